#!/usr/bin/env node
// Two release builds of the widget side by side, on the time to article only: to judge one change
// whose effect is smaller than what the machine's noise does to `make bench` from one run to the
// next. Each build gets its own reference server; every round loads the demo page once with build A,
// once with build B and once with the baseline, in a rotating order, at CPU ×1 and ×4.
//
//   cp -r dist /tmp/before; <change, make build>; node bench/compare.mjs /tmp/before dist [--runs 15]

import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "@playwright/test";

import { MANIFEST } from "./check-budget.mjs";
import { writeContent } from "./lib/content.mjs";
import { CHROMIUM, CHROMIUM_FLAGS, measureLoad } from "./lib/load.mjs";
import { articleGoals } from "./lib/probe.mjs";
import { startServer } from "./lib/server.mjs";
import { PAGES, buildSite, demoArticleBlocks } from "./lib/site.mjs";
import { median } from "./lib/stats.mjs";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const runsAt = args.indexOf("--runs");
const RUNS = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 15;
const [distA, distB] = args;

async function main() {
  if (!distA || !distB || !Number.isInteger(RUNS) || RUNS < 1) throw new Error("usage: node bench/compare.mjs DIST_A DIST_B [--runs N]");
  for (const dist of [distA, distB]) if (!existsSync(join(dist, MANIFEST))) throw new Error(`no release build in ${dist} (no ${MANIFEST})`);
  const binary = [join(ROOT, "target/server/kiosque-server"), join(ROOT, "target/debug/kiosque-server")].find(existsSync);
  if (!binary) throw new Error("no kiosque-server: run make server");

  const tmp = mkdtempSync(join(tmpdir(), "kiosque-compare-"));
  const servers = [];
  let browser;
  try {
    const content = join(tmp, "content");
    mkdirSync(content);
    writeContent(content, join(ROOT, "fixtures"), Date.now());
    for (const [name, dist] of [["A", distA], ["B", distB]]) {
      const site = join(tmp, `site-${name}`);
      const data = join(tmp, `data-${name}`);
      mkdirSync(site);
      mkdirSync(data);
      buildSite({ distDir: dist, baselineDir: join(ROOT, "bench/baseline"), localesDir: join(ROOT, "locales"), siteDir: site });
      servers.push(await startServer({ binary, staticDir: site, contentDir: content, dataDir: data }));
    }
    const variants = [
      ["A", `${servers[0].url}${PAGES.demo.kiosque}`],
      ["B", `${servers[1].url}${PAGES.demo.kiosque}`],
      ["baseline", `${servers[0].url}${PAGES.demo.baseline}`],
    ];
    const goals = articleGoals(demoArticleBlocks(ROOT));
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });

    console.log(`A = ${distA}, B = ${distB}, ${RUNS} rounds; medians in ms from navigation start`);
    for (const throttle of [1, 4]) {
      const marks = Object.fromEntries(variants.map(([name]) => [name, { headline: [], body: [], lcp: [], asked: [], compiled: [], painted: [] }]));
      for (let round = 0; round < RUNS; round++) {
        // Each variant goes first, second and third equally often.
        const order = variants.map((_, i) => variants[(i + round) % variants.length]);
        for (const [name, url] of order) {
          const probe = await measureLoad(browser, url, { goals, throttle, label: name });
          marks[name].headline.push(probe.marks.headline);
          marks[name].body.push(probe.marks.body);
          marks[name].lcp.push(probe.lcp.at(-1)?.time ?? null);
          // When the wasm was asked for and when it was ready: what comes before, during and after.
          marks[name].asked.push(probe.instantiation?.asked ?? null);
          marks[name].compiled.push(probe.instantiation?.done ?? null);
          // The headline's paint as the browser reports it (Element Timing), which `make bench`
          // calls "on screen": the probe's mark comes from a task queued after that paint, which
          // the widget's own after-paint work (the related news, the comments) may run before.
          marks[name].painted.push(probe.elements?.headline ?? null);
        }
      }
      console.log(`\nCPU ×${throttle} (load average ${loadavg()[0].toFixed(1)})`);
      console.log("              headline     body      LCP   ÷ baseline: headline   LCP   wasm asked  ready   headline painted");
      const base = { headline: median(marks.baseline.headline), lcp: median(marks.baseline.lcp) };
      for (const [name] of variants) {
        const [headline, body, lcp] = ["headline", "body", "lcp"].map((key) => median(marks[name][key]));
        const ratios = `×${(headline / base.headline).toFixed(2)}`.padStart(21) + `×${(lcp / base.lcp).toFixed(2)}`.padStart(7);
        const wasm = ["asked", "compiled"].map((key) => marks[name][key].filter((time) => time !== null));
        const startup = wasm.every((times) => times.length) ? wasm.map((times) => median(times).toFixed(0).padStart(7)).join("") : "";
        const painted = marks[name].painted.filter((time) => time !== null);
        const paint = painted.length ? median(painted).toFixed(0).padStart(10) : "";
        console.log(`  ${name.padEnd(9)} ${headline.toFixed(0).padStart(9)} ${body.toFixed(0).padStart(8)} ${lcp.toFixed(0).padStart(8)}${ratios}${startup.padStart(19)}${paint}`);
      }
    }
  } finally {
    if (browser) await browser.close().catch(() => {});
    for (const server of servers) await server.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`compare: ${error.stack ?? error}`);
  process.exit(1);
});
