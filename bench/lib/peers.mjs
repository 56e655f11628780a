// The servers of `make bench-server`, each on a free loopback port with its output in a log file:
// Kiosque's release server (on SQLite, or on PostgreSQL when it has --database), Isso from its
// virtual environment (bench/server-setup.sh), and a throwaway PostgreSQL (scripts/postgres.sh).

import { spawn, spawnSync } from "node:child_process";
import { closeSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { commentPlan } from "./content.mjs";
import { freePort, pool } from "./server.mjs";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function tail(file, lines = 30) {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** Starts `command` and waits until `readyUrl` answers 200. Its output goes to `logFile`, not to
 * memory: a server that logs every request would otherwise grow the harness by megabytes. */
async function startProcess({ name, command, args, readyUrl, logFile, env }) {
  const log = openSync(logFile, "a");
  const child = spawn(command, args, { stdio: ["ignore", log, log], env: { ...process.env, ...env } });
  closeSync(log);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.once("error", () => {});
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(readyUrl)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${name} did not start (${command} ${args.join(" ")}):\n${tail(logFile)}`);
    }
    await sleep(100);
  }
  return {
    name,
    pid: child.pid,
    logFile,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await Promise.race([exited, sleep(12_000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}

async function postJson(url, body) {
  const response = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, text };
}

// -----------------------------------------------------------------------------------------------
// Kiosque

/** Whether this kiosque-server can run on PostgreSQL, from its own --help. */
export function hasDatabaseFlag(binary) {
  const { stdout = "", stderr = "" } = spawnSync(binary, ["--help"], { encoding: "utf8" });
  return `${stdout}${stderr}`.includes("--database");
}

/** The release server with the fixtures as content, publishing every comment at once and
 * checking nothing that would throttle a load generator (the flags of bench/lib/server.mjs). */
export async function startKiosque({ name, binary, contentDir, dataDir, database, logFile }) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = [
    "--addr", `127.0.0.1:${port}`,
    "--content", contentDir,
    "--data", dataDir,
    ...(database ? ["--database", database] : []),
    "--moderation", "off",
    "--rate-limit", "off",
    "--captcha", "none",
    "--min-elapsed-ms", "0",
  ];
  const server = await startProcess({ name, command: binary, args, readyUrl: `${url}/api/health`, logFile });
  return { ...server, url };
}

/** How many comments the article shows (all pages together). */
export async function kiosqueCommentCount(url, articleId) {
  const response = await fetch(`${url}/api/articles/${encodeURIComponent(articleId)}/comments?limit=1`);
  if (!response.ok) throw new Error(`${url}: comments of ${articleId}: HTTP ${response.status}`);
  return (await response.json()).total;
}

// -----------------------------------------------------------------------------------------------
// Isso

/** Isso as its quick start runs it (`isso -c FILE run`: its own threaded server), on SQLite,
 * without moderation and without its guard (rate limit, reply limits). `[general] host` is the
 * site Isso may fetch a new thread's title from: nothing answers there, every POST names its
 * thread's title itself. */
export async function startIsso({ venv, dir, logFile }) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = join(dir, "isso.cfg");
  writeFileSync(
    config,
    `# Written by bench/lib/peers.mjs for one run of make bench-server.
[general]
dbpath = ${join(dir, "comments.db")}
host = http://127.0.0.1:${await freePort()}/

[server]
listen = ${url}/

[moderation]
enabled = false

[guard]
enabled = false
`,
  );
  const server = await startProcess({ name: "isso", command: join(venv, "bin/isso"), args: ["-c", config, "run"], readyUrl: `${url}/config`, logFile });
  return { ...server, url };
}

export function issoVersion(venv) {
  const { stdout = "" } = spawnSync(join(venv, "bin/python"), ["-c", 'import importlib.metadata as m; print(m.version("isso"))'], { encoding: "utf8" });
  return stdout.trim() || null;
}

/** Posts `count` comments to Isso's thread `uri` (`POST /new?uri=…`), the same authors, texts and
 * reply structure as Kiosque's seeding (bench/lib/content.mjs). Isso nests one level only: it
 * files a reply to a reply under the thread's first comment. */
export async function seedIsso(url, uri, title, count) {
  const plan = commentPlan(count);
  const ids = new Map();
  for (const depth of [0, 1, 2]) {
    await pool(plan.filter((entry) => entry.depth === depth), 4, async (entry) => {
      const { status, text } = await postJson(`${url}/new?uri=${encodeURIComponent(uri)}`, {
        text: entry.body.text,
        author: entry.body.author_name,
        email: entry.body.author_email,
        website: entry.body.author_url,
        parent: entry.parentKey === null ? null : ids.get(entry.parentKey),
        title,
      });
      if (status !== 201) throw new Error(`seeding Isso's ${uri}: HTTP ${status} ${text}`);
      ids.set(entry.key, JSON.parse(text).id);
    });
  }
}

/** How many comments Isso's thread has, replies included. */
export async function issoCommentCount(url, uri) {
  const response = await fetch(`${url}/?uri=${encodeURIComponent(uri)}&limit=0`);
  if (!response.ok) throw new Error(`${url}: thread ${uri}: HTTP ${response.status}`);
  return (await response.json()).total_replies;
}

// -----------------------------------------------------------------------------------------------
// PostgreSQL

/** Creates and starts a cluster in `dir` (installing Debian's postgresql when missing); its URL. */
export function startPostgres(root, dir) {
  const result = spawnSync(join(root, "scripts/postgres.sh"), ["start", dir], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const url = result.stdout.trim().split("\n").at(-1);
  if (result.status !== 0 || !url?.startsWith("postgres://")) throw new Error(`scripts/postgres.sh start ${dir} failed (exit ${result.status})`);
  return url;
}

export function stopPostgres(root, dir) {
  spawnSync(join(root, "scripts/postgres.sh"), ["stop", dir], { stdio: ["ignore", "ignore", "inherit"] });
}
