#!/usr/bin/env node
// Kiosque's server next to Isso under load: `make bench-server` (which builds the release server
// and installs wrk and Isso first, bench/server-setup.sh), or `node bench/server.mjs`.
//
// Isso (https://isso-comments.de), a self-hosted comment server on SQLite, is the peer most like
// Kiosque's server. Both run on loopback, without moderation and without rate limits, next to
// each other: Isso, Kiosque on SQLite, and, when kiosque-server has --database, Kiosque on a
// throwaway PostgreSQL with one instance and with two instances on the same database. Each is
// seeded through its API with the same 100-comment thread, then loaded with wrk (4 connections,
// a fixed duration per row) reading an article, reading the 100-comment page and writing
// comments. The table (also bench/results/server-latest.json) gives requests per second and the
// p50 and p99 latencies of each, and Kiosque's figures as ratios to Isso's from the same run.
// Timings are reported, never asserted: the harness fails only when a run breaks (a server that
// does not start, a seeding error, a write acknowledged but not stored).
//
//   node bench/server.mjs [--duration S] [--warmup S] [--connections N] [--no-compression]
//     --duration S       seconds of load per row (10)
//     --warmup S         seconds of load before each row, not counted (2)
//     --connections N    connections per row, split between the instances of a row (4)
//     --no-compression   ask for uncompressed answers (by default every request asks for
//                        compression as a browser does; Kiosque compresses, Isso does not)

import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { seedComments } from "./lib/server.mjs";
import {
  hasDatabaseFlag,
  issoCommentCount,
  issoVersion,
  kiosqueCommentCount,
  seedIsso,
  startIsso,
  startKiosque,
  startPostgres,
  stopPostgres,
} from "./lib/peers.mjs";
import { ms, section } from "./lib/table.mjs";
import { figures, runWrk, wrkVersion } from "./lib/wrk.mjs";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const option = (name, fallback) => {
  const at = process.argv.indexOf(name);
  if (at === -1) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!(value > 0)) throw new Error(`${name} needs a positive number`);
  return value;
};
const DURATION_S = option("--duration", 10);
const WARMUP_S = option("--warmup", 2);
const CONNECTIONS = option("--connections", 4);
const ISSO_VENV = join(ROOT, "target/bench-server/isso-venv");
const BINARY = join(ROOT, "target/server/kiosque-server");
// What a browser sends: Kiosque compresses its answers (Isso does not).
const COMPRESSION = !process.argv.includes("--no-compression");
const HEADERS = COMPRESSION ? ["Accept-Encoding: gzip, deflate, br, zstd"] : [];

// The seeded article (a fixture, served from fixtures/) and its thread; the one comments are
// written to; and, for Isso, which serves no articles, a thread without comments: the least a
// page view asks of it.
const ARTICLE = "fr-complet";
const COMMENTS = 100;
const WRITTEN_ARTICLE = "fr-long";
const ISSO_EMPTY_THREAD = "/sans-commentaires";
const TITLE = "Article du banc de charge";
const COMMENT_TEXT = "Un commentaire du banc de charge : la rotation en trois équipes mérite un vrai bilan.\nDeuxième ligne.";

const SCENARIOS = [
  {
    key: "article",
    title: "Reading an article",
    kiosque: { path: `/api/articles/${ARTICLE}` },
    isso: { path: `/?uri=${encodeURIComponent(ISSO_EMPTY_THREAD)}` },
    note: `Kiosque: GET /api/articles/${ARTICLE}; Isso serves no articles: its lightest read per page view, an empty thread (GET /?uri=${ISSO_EMPTY_THREAD})`,
  },
  {
    key: "comments",
    title: `Reading a ${COMMENTS}-comment page`,
    kiosque: { path: `/api/articles/${ARTICLE}/comments?limit=100` },
    isso: { path: `/?uri=${encodeURIComponent(`/${ARTICLE}`)}` },
    note: `Kiosque: GET /api/articles/${ARTICLE}/comments?limit=100 (what the widget asks); Isso: GET /?uri=/${ARTICLE} (every comment, rendered from Markdown)`,
  },
  {
    key: "write",
    title: "Writing comments",
    kiosque: {
      path: `/api/articles/${WRITTEN_ARTICLE}/comments`,
      body: {
        parent: null,
        author_name: "Lectrice de charge",
        author_email: "charge@exemple.sn",
        author_url: null,
        text: COMMENT_TEXT,
        honeypot: "",
        elapsed_ms: 5000,
        idempotency_key: "@KEY@",
      },
    },
    isso: {
      path: `/new?uri=${encodeURIComponent(`/${WRITTEN_ARTICLE}`)}`,
      body: { text: COMMENT_TEXT, author: "Lectrice de charge", email: "charge@exemple.sn", website: null, parent: null, title: TITLE },
    },
    note: `Kiosque: POST /api/articles/${WRITTEN_ARTICLE}/comments, a new idempotency key per request; Isso: POST /new?uri=/${WRITTEN_ARTICLE}; top-level comments, stored before the answer`,
  },
];

const TARGETS = [
  { key: "isso", label: "Isso" },
  { key: "sqlite", label: "Kiosque, SQLite" },
  { key: "postgres1", label: "Kiosque, PostgreSQL, 1 instance" },
  { key: "postgres2", label: "Kiosque, PostgreSQL, 2 instances" },
];

const started = Date.now();
const loads = [];
const log = (message) => {
  loads.push(loadavg()[0]);
  console.error(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}`);
};

// Everything this run started, stopped in reverse order at the end or on Ctrl-C.
const running = [];
let tmp;
let postgresDir;

async function stopAll() {
  for (const server of running.splice(0).reverse()) await server.stop();
  if (postgresDir) stopPostgres(ROOT, postgresDir);
  postgresDir = null;
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}

/** One row: `instances` (the servers of one target, one wrk each, the connections split between
 * them), a warm-up, then the measured run. */
async function measure(target, scenario, instances, bodyFiles) {
  const spec = scenario[target.key === "isso" ? "isso" : "kiosque"];
  const connections = Math.max(1, Math.floor(CONNECTIONS / instances.length));
  // wrk's threads share the CPUs with the servers: two in all, split like the connections.
  const threads = Math.max(1, Math.min(connections, Math.floor(2 / instances.length)));
  const run = (durationS, phase) =>
    Promise.all(
      instances.map((server, i) =>
        runWrk({
          url: `${server.url}${spec.path}`,
          script: join(ROOT, spec.body ? "bench/wrk/write.lua" : "bench/wrk/read.lua"),
          scriptArgs: spec.body ? [bodyFiles[target.key === "isso" ? "isso" : "kiosque"], `${target.key}-${phase}-${i}-${started}`] : [],
          connections,
          threads,
          durationS,
          headers: HEADERS,
        }),
      ),
    );
  const warmup = await run(WARMUP_S, "warmup");
  const measured = await run(DURATION_S, "measured");
  // Each instance's own share too, in the JSON: how evenly the two wrk processes got the CPUs.
  const perInstance = measured.length > 1 ? measured.map((one) => figures([one])) : undefined;
  return { warmup: figures(warmup), measured: figures(measured), perInstance };
}

/** The written thread's count before and after a write row: every acknowledged comment is there. */
async function checkWrites(target, servers, before, row) {
  const after = await countWritten(target, servers);
  const acknowledged = row.warmup.requests - row.warmup.failed + row.measured.requests - row.measured.failed;
  // Requests still in flight when wrk stops are stored but not counted: more is fine, less is not.
  if (after - before < acknowledged) {
    throw new Error(`${target.label}: ${acknowledged} comments acknowledged, ${after - before} stored`);
  }
  return { acknowledged, stored: after - before };
}

function countWritten(target, servers) {
  return target.key === "isso" ? issoCommentCount(servers[0].url, `/${WRITTEN_ARTICLE}`) : kiosqueCommentCount(servers[0].url, WRITTEN_ARTICLE);
}

async function main() {
  if (!existsSync(BINARY)) throw new Error(`no ${BINARY}: run make server (or make bench-server)`);
  if (!existsSync(join(ISSO_VENV, "bin/isso")) || !wrkVersion()) throw new Error("no Isso or no wrk: run bench/server-setup.sh (or make bench-server)");
  tmp = mkdtempSync(join(tmpdir(), "kiosque-bench-server-"));
  // PostgreSQL runs as the postgres user, which must reach its cluster's directory inside.
  chmodSync(tmp, 0o711);
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, async () => {
      console.error(`\nbench-server: ${signal}, stopping`);
      await stopAll();
      process.exit(130);
    });
  }

  const withPostgres = hasDatabaseFlag(BINARY);
  const unavailable = withPostgres ? null : "not available: kiosque-server has no --database";
  const results = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? null, node: process.version },
    wrk: wrkVersion(),
    isso: issoVersion(ISSO_VENV),
    server: BINARY.replace(`${ROOT}/`, ""),
    load: { connections: CONNECTIONS, durationS: DURATION_S, warmupS: WARMUP_S, compression: COMPRESSION, headers: HEADERS },
    postgres: unavailable ?? "available",
  };

  // The servers, one directory each.
  const dir = (name) => {
    const path = join(tmp, name);
    mkdirSync(path);
    return path;
  };
  const servers = {};
  log(`Isso ${results.isso} from ${ISSO_VENV.replace(`${ROOT}/`, "")}`);
  servers.isso = [await startIsso({ venv: ISSO_VENV, dir: dir("isso"), logFile: join(tmp, "isso.log") })];
  running.push(...servers.isso);
  const kiosque = (name, database) =>
    startKiosque({ name, binary: BINARY, contentDir: join(ROOT, "fixtures"), dataDir: dir(name), database, logFile: join(tmp, `${name}.log`) });
  servers.sqlite = [await kiosque("kiosque-sqlite")];
  running.push(...servers.sqlite);
  if (withPostgres) {
    log("PostgreSQL: a throwaway cluster (scripts/postgres.sh)");
    postgresDir = join(tmp, "postgres");
    const database = startPostgres(ROOT, postgresDir);
    // The second instance starts once the first has brought the schema up to date.
    const first = await kiosque("kiosque-postgres-a", database);
    running.push(first);
    const second = await kiosque("kiosque-postgres-b", database);
    running.push(second);
    servers.postgres1 = [first];
    servers.postgres2 = [first, second];
  } else {
    log(`PostgreSQL rows ${unavailable}`);
  }
  const targets = TARGETS.filter((target) => servers[target.key]);

  // The same 100-comment thread everywhere, through each server's API.
  results.seeding = {};
  for (const target of targets.filter((t) => t.key !== "postgres2")) {
    const seedStart = Date.now();
    if (target.key === "isso") {
      await seedIsso(servers.isso[0].url, `/${ARTICLE}`, TITLE, COMMENTS);
    } else {
      await seedComments(servers[target.key][0].url, ARTICLE, COMMENTS);
    }
    results.seeding[target.key] = { comments: COMMENTS, ms: Date.now() - seedStart };
    log(`${target.label}: ${COMMENTS} comments seeded in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);
  }
  // Like for like: every server answers the read rows with the whole thread.
  for (const target of targets) {
    for (const server of servers[target.key]) {
      const count = target.key === "isso" ? await issoCommentCount(server.url, `/${ARTICLE}`) : await kiosqueCommentCount(server.url, ARTICLE);
      if (count !== COMMENTS) throw new Error(`${target.label} (${server.url}) shows ${count} comments on the seeded thread, not ${COMMENTS}`);
    }
  }
  const kiosquePage = await (await fetch(`${servers.sqlite[0].url}${SCENARIOS[1].kiosque.path}`)).json();
  if (kiosquePage.items.length !== COMMENTS) throw new Error(`Kiosque's page holds ${kiosquePage.items.length} comments, not ${COMMENTS}`);

  const bodyFiles = {};
  for (const side of ["kiosque", "isso"]) {
    bodyFiles[side] = join(tmp, `${side}-comment.json`);
    writeFileSync(bodyFiles[side], JSON.stringify(SCENARIOS[2][side].body));
  }

  // Scenario by scenario, the targets one after the other, so that a slow phase of the machine
  // hits one scenario's rows alike.
  results.scenarios = [];
  for (const scenario of SCENARIOS) {
    const rows = [];
    for (const target of TARGETS) {
      if (!servers[target.key]) {
        rows.push({ target: target.key, label: target.label, available: false, reason: unavailable });
        continue;
      }
      log(`${scenario.title}: ${target.label}, ${WARMUP_S} s of warm-up, then ${DURATION_S} s`);
      const before = scenario.key === "write" ? await countWritten(target, servers[target.key]) : null;
      const row = await measure(target, scenario, servers[target.key], bodyFiles);
      const writes = scenario.key === "write" ? await checkWrites(target, servers[target.key], before, row) : null;
      rows.push({ target: target.key, label: target.label, available: true, instances: servers[target.key].length, ...row, writes });
    }
    const isso = rows.find((row) => row.target === "isso").measured;
    for (const row of rows.filter((r) => r.available && r.target !== "isso")) {
      const ratio = (a, b) => (a === null || b === null || b === 0 ? null : a / b);
      row.ratioToIsso = {
        requestsPerSecond: ratio(row.measured.requestsPerSecond, isso.requestsPerSecond),
        p50: ratio(row.measured.p50Ms, isso.p50Ms),
        p99: ratio(row.measured.p99Ms, isso.p99Ms),
      };
    }
    results.scenarios.push({ key: scenario.key, title: scenario.title, note: scenario.note, rows });
  }
  await stopAll();

  results.durationMs = Date.now() - started;
  loads.push(loadavg()[0]);
  results.machine.loadAverage = { min: Math.min(...loads), max: Math.max(...loads), samples: loads.map((l) => Math.round(l * 100) / 100) };
  mkdirSync(join(ROOT, "bench/results"), { recursive: true });
  writeFileSync(join(ROOT, "bench/results/server-latest.json"), `${JSON.stringify(results, null, 2)}\n`);
  printTable(results);
  const failed = results.scenarios.flatMap((s) => s.rows.filter((r) => r.available && r.measured.failed).map((r) => `${s.title}, ${r.label}`));
  if (failed.length) throw new Error(`error answers or socket errors in: ${failed.join("; ")} (details in bench/results/server-latest.json)`);
}

// -----------------------------------------------------------------------------------------------

const rate = (v) => (v === null || v === undefined ? "—" : v < 100 ? v.toFixed(1) : Math.round(v).toString());
const times = (v) =>
  v === null || v === undefined ? "—" : `×${v < 0.1 ? v.toPrecision(2) : v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v)}`;

function printTable(r) {
  const minutes = Math.floor(r.durationMs / 60000);
  const seconds = Math.round((r.durationMs % 60000) / 1000);
  console.log(
    `\nKiosque's server next to Isso under load — ${r.date} — wrk ${r.wrk}, ${r.load.connections} connections, ` +
      `${r.load.durationS} s per row after ${r.load.warmupS} s of warm-up, ${r.machine.cpus} CPUs` +
      `\nIsso ${r.isso} (isso run: its own server) and ${r.server}, side by side on loopback, both on SQLite unless said, ` +
      `without moderation or rate limits; ` +
      (r.load.compression ? "every request asks for compression as a browser does (Accept-Encoding)." : "no request asks for compression (--no-compression).") +
      `\nK/I = Kiosque ÷ Isso from this run (above 1 for req/s is faster; below 1 for a latency is faster). ` +
      `Two instances: one wrk per instance, half the connections each, figures added up.`,
  );
  const load = r.machine.loadAverage;
  const busy = load.max > r.machine.cpus * 2.5;
  console.log(
    `Machine load (1-min average) during the run: ${load.min.toFixed(2)}–${load.max.toFixed(2)} on ${r.machine.cpus} CPUs (wrk and the servers share them)` +
      (busy ? " — OTHER WORK COMPETED FOR THE CPUs: rerun on a quiet machine before reading much into a figure." : "."),
  );
  for (const [n, s] of r.scenarios.entries()) {
    section(
      `${n + 1}. ${s.title}`,
      ["", "req/s", "p50 ms", "p99 ms", "req/s K/I", "p50 K/I", "p99 K/I", "bytes/answer", "errors"],
      s.rows.map((row) =>
        row.available
          ? [
              row.label,
              rate(row.measured.requestsPerSecond),
              ms(row.measured.p50Ms),
              ms(row.measured.p99Ms),
              row.ratioToIsso ? times(row.ratioToIsso.requestsPerSecond) : "",
              row.ratioToIsso ? times(row.ratioToIsso.p50) : "",
              row.ratioToIsso ? times(row.ratioToIsso.p99) : "",
              Math.round(row.measured.bytesPerResponse),
              row.measured.failed,
            ]
          : [row.label, "—", "—", "—", "—", "—", "—", "—", "—"],
      ),
    );
    console.log(`  ${s.note}`);
    const missing = s.rows.find((row) => !row.available);
    if (missing) console.log(`  PostgreSQL rows ${missing.reason}`);
    for (const row of s.rows.filter((x) => x.writes)) {
      if (row === s.rows.find((x) => x.writes)) console.log(`  written during the row and its warm-up, acknowledged / found stored afterwards:`);
      console.log(`    ${row.label}: ${row.writes.acknowledged} / ${row.writes.stored}`);
    }
  }
  const seeded = Object.entries(r.seeding).map(([key, s]) => `${key} ${(s.ms / 1000).toFixed(1)} s`).join(", ");
  console.log(`\nSeeding, ${COMMENTS} comments through each API: ${seeded}. Harness time: ${minutes} min ${seconds} s.`);
  console.log("Full results: bench/results/server-latest.json");
}

main().catch(async (error) => {
  console.error(`\nbench-server: broken run: ${error.stack ?? error}`);
  await stopAll();
  process.exit(1);
});
