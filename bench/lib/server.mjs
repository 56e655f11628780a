// The reference server for a benchmark run: on loopback, on a free port, with a fresh data
// directory, and with everything that would slow seeding or measuring down switched off.

import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { commentPlan } from "./content.mjs";

/** A port nobody listens on right now (the OS picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

export async function startServer({ binary, staticDir, contentDir, dataDir, log }) {
  const port = await freePort();
  const args = [
    "--addr", `127.0.0.1:${port}`,
    "--static", staticDir,
    "--content", contentDir,
    "--data", dataDir,
    // Seeding thousands of comments over HTTP: publish at once, no rate limit, no captcha, no
    // minimum writing time. The proof-of-work challenge endpoint still answers (default difficulty).
    "--moderation", "off",
    "--rate-limit", "off",
    "--captcha", "none",
    "--min-elapsed-ms", "0",
  ];
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`kiosque-server did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  log?.(`server: ${binary} on ${url}`);
  return {
    url,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 12_000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function pool(items, limit, work) {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(workers);
}

/** Posts `count` comments to `articleId` through the public API (`POST …/comments`), parents before
 * their replies, a few requests in flight. Returns the server's ids in plan order. */
export async function seedComments(serverUrl, articleId, count) {
  const plan = commentPlan(count);
  const ids = new Map();
  for (const depth of [0, 1, 2]) {
    await pool(plan.filter((entry) => entry.depth === depth), 8, async (entry) => {
      const body = { ...entry.body, parent: entry.parentKey === null ? null : ids.get(entry.parentKey) };
      const response = await fetch(`${serverUrl}/api/articles/${encodeURIComponent(articleId)}/comments`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      if (response.status !== 201) throw new Error(`seeding ${articleId}: HTTP ${response.status} ${await response.text()}`);
      ids.set(entry.key, (await response.json()).comment.id);
    });
  }
  return plan.map((entry) => ids.get(entry.key));
}
