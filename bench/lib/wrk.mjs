// wrk (Debian's package), the load generator of `make bench-server`: one run, read from the JSON
// line that bench/wrk/read.lua prints, and the figures of runs made side by side (one wrk per
// server instance) taken together.

import { spawn, spawnSync } from "node:child_process";

const MARKER = "bench-server-result ";

export function wrkVersion() {
  // wrk has no --version: it prints its banner, then its usage, and exits 1.
  const { stdout = "", stderr = "" } = spawnSync("wrk", ["--version"], { encoding: "utf8" });
  return `${stdout}${stderr}`.match(/^wrk (\S+)/m)?.[1] ?? null;
}

/** Loads `url` for `durationS` seconds; returns `{ requests, durationUs, bytes, errors, latencyUs }`,
 * `latencyUs` being the histogram `[[microseconds, count], …]` of every answered request. */
export function runWrk({ url, script, scriptArgs = [], connections, threads, durationS, headers = [] }) {
  const args = [
    "--threads", threads,
    "--connections", connections,
    "--duration", `${durationS}s`,
    // Isso's slowest answers take seconds under load: a request cut off at wrk's default 2 s
    // would leave the latency figures instead of counting in them.
    "--timeout", "60s",
    ...headers.flatMap((header) => ["--header", header]),
    "--script", script,
    url,
    ...(scriptArgs.length ? ["--", ...scriptArgs] : []),
  ].map(String);
  return new Promise((resolve, reject) => {
    const child = spawn("wrk", args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.once("error", reject);
    child.once("exit", (code) => {
      const line = output.split("\n").find((l) => l.startsWith(MARKER));
      if (code !== 0 || !line) reject(new Error(`wrk ${args.join(" ")} failed (exit ${code}):\n${output}`));
      else resolve(JSON.parse(line.slice(MARKER.length)));
    });
  });
}

/** The latency under which `p` % of the requests were answered, as wrk computes it. */
function percentile(histogram, count, p) {
  const rank = Math.round((p / 100) * count + 0.5);
  let total = 0;
  for (const [value, n] of histogram) {
    total += n;
    if (total >= rank) return value;
  }
  return histogram.at(-1)?.[0] ?? null;
}

/** The figures of one run, or of runs made at the same time against several instances: requests
 * per second added up, latencies from the merged histograms. */
export function figures(runs) {
  const merged = new Map();
  for (const run of runs) for (const [value, n] of run.latencyUs) merged.set(value, (merged.get(value) ?? 0) + n);
  const histogram = [...merged].sort((a, b) => a[0] - b[0]);
  const answered = histogram.reduce((sum, [, n]) => sum + n, 0);
  const requests = runs.reduce((sum, run) => sum + run.requests, 0);
  const errors = {};
  for (const run of runs) for (const [kind, n] of Object.entries(run.errors)) errors[kind] = (errors[kind] ?? 0) + n;
  const ms = (us) => (us === null ? null : us / 1000);
  return {
    requests,
    requestsPerSecond: runs.reduce((sum, run) => sum + run.requests / (run.durationUs / 1e6), 0),
    p50Ms: ms(percentile(histogram, answered, 50)),
    p99Ms: ms(percentile(histogram, answered, 99)),
    maxMs: ms(histogram.at(-1)?.[0] ?? null),
    bytesPerResponse: requests ? runs.reduce((sum, run) => sum + run.bytes, 0) / requests : null,
    // wrk counts an answer of status 400 or more as an error, and socket errors apart.
    errors,
    failed: Object.values(errors).reduce((a, b) => a + b, 0),
  };
}
