#!/usr/bin/env node
// Kiosque's benchmark harness: `make bench` (which builds the release widget and the reference
// server first), or `node bench/run.mjs` on an existing build.
//
// It generates the scale content into a temporary directory, starts the reference server on a free
// loopback port serving the release build plus the plain-JavaScript baseline (bench/baseline/),
// seeds the comment threads through the public API, drives Debian's chromium with Playwright, and
// prints one table (also bench/results/latest.json). Every timing is a median over several runs in
// which Kiosque and the baseline alternate, reported with their ratio, so that the ratio holds on a
// noisy machine. Timings are reported, never asserted: the harness fails only when a run breaks.
//
//   node bench/run.mjs [--quick] [--dist DIR]
//     --quick       2 runs per figure (1 for memory and layout), no Lighthouse: to work on the harness
//     --dist DIR    measure another release build than dist/ (e.g. one kept from before a change)

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "@playwright/test";

import { MANIFEST, compressedSizes, readBudget, widgetFiles, widgetSizes } from "./check-budget.mjs";
import { ARTICLE_SIZES, COMMENT_SIZES, RELATED_SIZES, articleId, commentsId, relatedId, writeContent } from "./lib/content.mjs";
import { runLighthouse } from "./lib/lighthouse.mjs";
import { CHROMIUM, CHROMIUM_FLAGS, DESKTOP, LOAD_TIMEOUT_MS, measureLoad, measureSecondVisit, openPage, within } from "./lib/load.mjs";
import { articleGoals, domSignature, fullyRendered, scrollThrough } from "./lib/probe.mjs";
import { seedComments, startServer } from "./lib/server.mjs";
import { DEMO_ARTICLE, PAGES, buildSite, demoArticleBlocks } from "./lib/site.mjs";
import { alternate, median, ratio, summarize } from "./lib/stats.mjs";
import { printTable } from "./lib/table.mjs";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const QUICK = process.argv.includes("--quick");
const DIST = process.argv.includes("--dist") ? process.argv[process.argv.indexOf("--dist") + 1] : join(ROOT, "dist");
const RUNS = {
  timeToArticle: QUICK ? 2 : 7,
  scale: QUICK ? 2 : 5,
  interaction: QUICK ? 2 : 5,
  memory: QUICK ? 1 : 3,
  cls: QUICK ? 1 : 3,
};
const MOBILE = { width: 412, height: 915 };
// ASCII only: Playwright types other characters as text insertion, without the keydown the probe times from.
const KEYSTROKES = "Merci pour cet article, il est instructif.";

const started = Date.now();
// The machine's 1-minute load average at every step: other work competing for the CPUs (a build,
// a test suite) makes every timing noisy, and the table says so. The harness itself (chromium's
// processes, the server, Node) accounts for a load of about 1 to 4 on two cores.
const loads = [];
const log = (message) => {
  loads.push(loadavg()[0]);
  console.error(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}`);
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// -----------------------------------------------------------------------------------------------
// The browser and the server of this run (see lib/load.mjs for one measured page load).

let browser;
let server;

function urlOf(pageKey, variant, src) {
  const path = PAGES[pageKey][variant];
  return `${server.url}${path}${src ? `?src=${encodeURIComponent(src)}` : ""}`;
}

/** Loads one of the site's pages as `variant` (see measureLoad). */
function measureVariant({ variant, pageKey, src, ...options }) {
  return measureLoad(browser, urlOf(pageKey, variant, src), { ...options, label: variant });
}

// -----------------------------------------------------------------------------------------------
// The figures.

/** The baseline renders the same DOM: checked on every kind of page measured, fully rendered. */
async function checkDom(pages) {
  const results = [];
  for (const { pageKey, src, widgets } of pages) {
    const signatures = {};
    for (const variant of ["kiosque", "baseline"]) {
      const { context, page, errors } = await openPage(browser);
      try {
        await page.goto(urlOf(pageKey, variant, src));
        await settle(page, widgets, DESKTOP);
        signatures[variant] = await page.evaluate(domSignature);
        if (errors.length) throw new Error(`${variant} ${pageKey}: page error: ${errors[0]}`);
      } finally {
        await context.close();
      }
    }
    const [k, b] = [signatures.kiosque, signatures.baseline];
    let first = -1;
    for (let i = 0; i < Math.max(k.length, b.length); i++) {
      if (k[i] !== b[i]) {
        first = i;
        break;
      }
    }
    results.push({
      page: `${PAGES[pageKey].kiosque}${src ? `?src=${src}` : ""}`,
      lines: k.length,
      identical: first === -1,
      firstDifference: first === -1 ? null : { line: first, kiosque: k[first] ?? null, baseline: b[first] ?? null },
    });
  }
  return results;
}

/** Waits for the widgets' articles, then scrolls through the page until everything is rendered. */
async function settle(page, widgets, viewport) {
  await page.waitForFunction((count) => document.querySelectorAll(".kq-article").length >= count, widgets, {
    timeout: LOAD_TIMEOUT_MS,
    polling: 100,
  });
  await page.evaluate(`window.__kqFullyRendered = ${fullyRendered}`);
  await page.evaluate(scrollThrough, { step: Math.round(viewport.height * 0.75), pauseMs: 100, timeoutMs: 60_000 });
}

async function timeToArticle(demoBlocks) {
  const goals = articleGoals(demoBlocks);
  const out = {};
  for (const throttle of [1, 4]) {
    log(`time to article, demo page, CPU ×${throttle}`);
    const results = await alternate(RUNS.timeToArticle, (variant) => measureVariant({ variant, pageKey: "demo", goals, throttle }));
    out[`x${throttle}`] = {
      // Kiosque only: when the wasm's instantiation was asked for and when it was done.
      instantiationAsked: summarize(results, (r) => r.instantiation?.asked ?? null),
      instantiationDone: summarize(results, (r) => r.instantiation?.done ?? null),
      // When the article's JSON was read: what comes before (start-up) and after (rendering).
      articleRead: summarize(results, (r) => r.data[DEMO_ARTICLE] ?? null),
      // The frame in which the headline (then the whole body) is first rendered, by the probe.
      headline: summarize(results, (r) => r.marks.headline),
      body: summarize(results, (r) => r.marks.body),
      // When the browser reports the headline on screen (Element Timing: presentation time).
      headlineOnScreen: summarize(results, (r) => r.elements.headline ?? null),
      // The page's largest contentful paint: the headline or, if larger, the demo page's own text.
      lcp: summarize(results, (r) => r.lcp.at(-1)?.time ?? null),
      lcpElement: results.kiosque[0].lcp.at(-1)?.element ?? null,
      elementTimingRuns: [...results.kiosque, ...results.baseline].filter((r) => r.elements.headline).length,
      runs: compact(results),
    };
  }
  return out;
}

/** The article a returning reader opens after the demo page's (the demo page's `?src=`). */
const SECOND_ARTICLE = "/fixtures/en-complete.json";

/** A returning reader: the demo page, then another article on it, in the same browser context.
 * What the second page transferred, file by file (0 bytes: from the HTTP cache), and its times. */
async function secondVisit() {
  log(`second visit: demo page, then ${SECOND_ARTICLE}, same browser context`);
  const goals = [{ name: "headline", selector: ".kq-headline", count: 1, elementTiming: true }];
  const results = await alternate(RUNS.timeToArticle, (variant) =>
    measureSecondVisit(browser, urlOf("demo", variant), urlOf("demo", variant, SECOND_ARTICLE), { goals, label: variant }),
  );
  const [wasm, glue, stylesheet, loader, split] = widgetFiles(DIST).map((name) => `/${name}`);
  const files = [
    ["wasm", (path) => path === wasm],
    ["glue (JS)", (path) => path === glue],
    ...(split ? [["split loader (JS)", (path) => path === split]] : []),
    ["stylesheet", (path) => path === stylesheet],
    ["loader", (path) => path === loader],
    ["baseline script", (path) => path.startsWith("/baseline/kiosque-baseline-")],
    ["page (HTML)", (path) => path === "/" || path === "/baseline/"],
    ["article (JSON)", (path) => path === SECOND_ARTICLE],
  ];
  // Bytes on the wire for each file on the second page (null: not fetched at all by that variant).
  const bytes = (run, matches) => {
    const entries = run.resources.filter((entry) => matches(entry.path));
    return entries.length ? entries.reduce((sum, entry) => sum + entry.transferSize, 0) : null;
  };
  return {
    article: SECOND_ARTICLE,
    pauseMs: 1000,
    headline: summarize(results, (r) => r.marks.headline),
    headlineOnScreen: summarize(results, (r) => r.elements.headline ?? null),
    articleRead: summarize(results, (r) => r.data[SECOND_ARTICLE] ?? null),
    lcp: summarize(results, (r) => r.lcp.at(-1)?.time ?? null),
    firstVisitHeadline: summarize(results, (r) => r.first.marks.headline),
    transfer: files.map(([name, matches]) => ({ name, ...summarize(results, (r) => bytes(r, matches)) })),
    totalTransfer: summarize(results, (r) => r.resources.reduce((sum, entry) => sum + entry.transferSize, 0)),
    // Every file of the widget's the second page asked for, with its bytes, from Kiosque's first run.
    kiosqueResources: results.kiosque[0].resources,
  };
}

/** The probe's timestamps of each run (ms from navigation start), kept in the JSON for a closer look. */
function compact(results) {
  const round = (object) => Object.fromEntries(Object.entries(object ?? {}).map(([k, v]) => [k, Math.round(v * 10) / 10]));
  const pick = (r) => ({ data: round(r.data), reachedAt: round(r.reachedAt), marks: round(r.marks), clickedAt: round(r.clickedAt), instantiation: round(r.instantiation) });
  return { kiosque: results.kiosque.map(pick), baseline: results.baseline.map(pick) };
}

/** Render time: from the moment the data's body was read to the frame that shows it all. */
async function scale() {
  const out = { articles: [], related: [], comments: [] };
  for (const blocks of ARTICLE_SIZES) {
    log(`scale: article of ${blocks} blocks`);
    const path = `/api/articles/${articleId(blocks)}`;
    const results = await alternate(RUNS.scale, (variant) =>
      measureVariant({ variant, pageKey: "host", src: path, goals: [{ name: "done", selector: ".kq-body > *", count: blocks }] }),
    );
    out.articles.push({ size: blocks, render: summarize(results, (r) => r.marks.done - r.data[path]), total: summarize(results, (r) => r.marks.done), runs: compact(results) });
  }
  for (const items of RELATED_SIZES) {
    log(`scale: related list of ${items} items`);
    const path = `/api/articles/${relatedId(items)}`;
    // The widget shows at most 50 items at a time (data-related-limit): past 50, "more" is
    // clicked once the first 50 are painted, and only the rendering on both sides counts.
    const goals =
      items <= 50
        ? [{ name: "done", selector: ".kq-card", count: items }]
        : [
            { name: "first", selector: ".kq-card", count: 50, click: ".kq-related__more" },
            { name: "done", selector: ".kq-card", count: items },
          ];
    const render = (r) => (items <= 50 ? r.marks.done - r.data[path] : r.marks.first - r.data[path] + (r.marks.done - r.clickedAt.first));
    const results = await alternate(RUNS.scale, (variant) => measureVariant({ variant, pageKey: "host", src: path, goals }));
    out.related.push({ size: items, render: summarize(results, render), total: summarize(results, (r) => r.marks.done), runs: compact(results) });
  }
  for (const count of COMMENT_SIZES) {
    log(`scale: ${count} comments`);
    const src = `/api/articles/${commentsId(count)}`;
    const path = `${src}/comments`;
    const results = await alternate(RUNS.scale, (variant) =>
      measureVariant({ variant, pageKey: "host", src, goals: [{ name: "done", selector: ".kq-comment", count }] }),
    );
    out.comments.push({ size: count, render: summarize(results, (r) => r.marks.done - r.data[path]), total: summarize(results, (r) => r.marks.done), runs: compact(results) });
  }
  for (const series of Object.values(out)) {
    for (let i = 1; i < series.length; i++) {
      const [previous, current] = [series[i - 1], series[i]];
      current.growth = {
        size: current.size / previous.size,
        kiosque: ratio(current.render.kiosque, previous.render.kiosque),
        baseline: ratio(current.render.baseline, previous.render.baseline),
      };
    }
  }
  return out;
}

async function keystrokes(throttle) {
  log(`interaction: keystrokes in the comment textarea, CPU ×${throttle}`);
  const src = `/api/articles/${commentsId(10)}`;
  const results = await alternate(RUNS.interaction, (variant) =>
    measureVariant({
      variant,
      pageKey: "host",
      src,
      throttle,
      goals: [{ name: "done", selector: ".kq-comment", count: 10 }],
      after: async (page) => {
        await page.focus(".kq-form textarea");
        await sleep(200);
        await page.keyboard.type(KEYSTROKES, { delay: 50 });
        await sleep(500);
        const keys = await page.evaluate(() => window.__kq.keys);
        const counter = await page.textContent(".kq-field__counter");
        if (keys.length !== KEYSTROKES.length) throw new Error(`${variant}: ${keys.length} keystrokes measured of ${KEYSTROKES.length}`);
        return { keys, counter };
      },
    }),
  );
  return {
    median: summarize(results, (r) => median(r.keys)),
    max: summarize(results, (r) => Math.max(...r.keys)),
  };
}

/** The proof of work on the server's default challenge. The server picks a random number up to
 * `maxnumber`, so solve times vary tenfold between challenges; to compare like with like, every
 * run gets the server's own challenge with the number set to half of `maxnumber` (the average
 * work), served in place of the real endpoint. */
async function proofOfWork(doneText) {
  log("interaction: proof of work");
  const real = await (await fetch(`${server.url}/api/captcha/challenge`)).json();
  const number = Math.floor(real.maxnumber / 2);
  const challenge = { ...real, challenge: createHash("sha256").update(`${real.salt}${number}`).digest("hex") };
  const routes = [["**/api/captcha/challenge", (route) => route.fulfill({ json: challenge })]];
  const src = `/api/articles/${commentsId(10)}`;
  const results = await alternate(RUNS.interaction, (variant) =>
    measureVariant({
      variant,
      pageKey: "host",
      src,
      routes,
      goals: [{ name: "done", selector: ".kq-captcha button", count: 1 }],
      after: async (page) => {
        const solveMs = await within(
          LOAD_TIMEOUT_MS,
          `${variant}: proof of work`,
          page.evaluate((done) => {
            const status = document.querySelector(".kq-captcha__status");
            return new Promise((resolve) => {
              const observer = new MutationObserver(() => {
                if (!status.textContent.includes(done)) return;
                observer.disconnect();
                window.__kq.afterPaint((end) => resolve(end - start));
              });
              observer.observe(status, { childList: true, characterData: true, subtree: true });
              const start = performance.now();
              document.querySelector(".kq-captcha button").click();
            });
          }, doneText),
        );
        return { solveMs };
      },
    }),
  );
  return {
    maxnumber: real.maxnumber,
    number,
    solve: summarize(results, (r) => r.solveMs),
    perHashUs: summarize(results, (r) => (r.solveMs * 1000) / (number + 1)),
  };
}

/** Kiosque only (the baseline has no code to download later): on the demo page, once the headline
 * is there, the reader jumps to the comments; from the request of the comment section's wasm part
 * (its Resource Timing start) to the comment form's textarea in the DOM, enabled. A build that is
 * not split has no such request: null. */
async function commentSection(throttle) {
  log(`comment section's code: requested to usable, demo page, CPU ×${throttle}`);
  const runs = [];
  for (let run = 0; run < RUNS.interaction; run++) {
    runs.push(
      await measureLoad(browser, urlOf("demo", "kiosque"), {
        throttle,
        label: "kiosque",
        goals: [{ name: "headline", selector: ".kq-headline", count: 1 }],
        after: (page) =>
          within(
            LOAD_TIMEOUT_MS,
            "the comment form",
            page.evaluate(
              () =>
                new Promise((resolve) => {
                  const usable = () => {
                    const textarea = document.querySelector(".kq-form textarea");
                    if (!textarea || textarea.disabled) return false;
                    const part = performance.getEntriesByType("resource").find((entry) => /\/split_comments-[0-9a-f]+\.wasm$/.test(entry.name));
                    resolve({ requestedToUsable: part ? performance.now() - part.startTime : null });
                    return true;
                  };
                  const observer = new MutationObserver(() => usable() && observer.disconnect());
                  observer.observe(document.body, { childList: true, subtree: true, attributes: true });
                  document.querySelector(".kq-comments")?.scrollIntoView();
                  usable() && observer.disconnect();
                }),
            ),
          ),
      }),
    );
  }
  return { requestedToUsable: median(runs.map((r) => r.requestedToUsable)), runs: runs.map((r) => r.requestedToUsable) };
}

/** JS heap (after a forced garbage collection) and WebAssembly memory once everything is shown. */
async function memory() {
  const cases = [
    { name: `article of ${ARTICLE_SIZES.at(-1)} blocks`, src: `/api/articles/${articleId(ARTICLE_SIZES.at(-1))}`, selector: ".kq-body > *", count: ARTICLE_SIZES.at(-1) },
    { name: `${COMMENT_SIZES.at(-1)} comments`, src: `/api/articles/${commentsId(COMMENT_SIZES.at(-1))}`, selector: ".kq-comment", count: COMMENT_SIZES.at(-1) },
  ];
  const out = [];
  for (const item of cases) {
    log(`memory: ${item.name}`);
    const results = await alternate(RUNS.memory, (variant) =>
      measureVariant({
        variant,
        pageKey: "host",
        src: item.src,
        goals: [{ name: "done", selector: item.selector, count: item.count }],
        after: async (page, cdp) => {
          await sleep(300);
          await cdp.send("HeapProfiler.collectGarbage");
          await cdp.send("HeapProfiler.collectGarbage");
          await cdp.send("Performance.enable");
          const { metrics } = await cdp.send("Performance.getMetrics");
          const metric = (name) => metrics.find((m) => m.name === name)?.value ?? null;
          const inPage = await page.evaluate(() => ({
            wasmBytes: window.__kq.wasm.reduce((sum, memory) => sum + memory.buffer.byteLength, 0),
            wasmInstances: window.__kq.wasm.length,
            crossOriginIsolated: window.crossOriginIsolated,
          }));
          return { jsHeap: metric("JSHeapUsedSize"), nodes: metric("Nodes"), ...inPage };
        },
      }),
    );
    const total = (r) => r.jsHeap + r.wasmBytes;
    out.push({
      name: item.name,
      jsHeap: summarize(results, (r) => r.jsHeap),
      wasm: summarize(results, (r) => r.wasmBytes),
      total: summarize(results, total),
      nodes: summarize(results, (r) => r.nodes),
      wasmInstances: results.kiosque[0].wasmInstances,
      crossOriginIsolated: results.kiosque[0].crossOriginIsolated,
    });
  }
  return out;
}

/** Cumulative layout shift from navigation until everything is rendered and loaded, the reader
 * scrolling down a screen at a time so that the lazy parts appear as they would for them. */
async function layoutStability() {
  const out = [];
  for (const [pageKey, widgets] of [["demo", 1], ["examples", 2]]) {
    for (const [viewportName, viewport] of [["desktop", DESKTOP], ["mobile", MOBILE]]) {
      log(`layout stability: ${pageKey}, ${viewportName}`);
      const results = await alternate(RUNS.cls, async (variant) => {
        const { context, page, errors } = await openPage(browser, { viewport });
        try {
          await page.goto(urlOf(pageKey, variant));
          await settle(page, widgets, viewport);
          await sleep(500);
          const { cls, shifts } = await page.evaluate(() => ({ cls: window.__kq.cls, shifts: window.__kq.shifts }));
          if (errors.length) throw new Error(`${variant} ${pageKey}: page error: ${errors[0]}`);
          return { cls, shifts };
        } finally {
          await context.close();
        }
      });
      // The largest single shift of the run whose CLS is the median one.
      const medianRun = (runs) => [...runs].sort((a, b) => a.cls - b.cls)[(runs.length - 1) >> 1];
      const worst = (r) => [...r.shifts].sort((a, b) => b.value - a.value)[0] ?? null;
      out.push({
        page: PAGES[pageKey].kiosque,
        viewport: `${viewport.width}×${viewport.height}`,
        cls: summarize(results, (r) => r.cls),
        largestShift: { kiosque: worst(medianRun(results.kiosque)), baseline: worst(medianRun(results.baseline)) },
      });
    }
  }
  return out;
}

// -----------------------------------------------------------------------------------------------

async function main() {
  const dist = DIST;
  const binaries = [join(ROOT, "target/server/kiosque-server"), join(ROOT, "target/debug/kiosque-server")];
  const binary = binaries.find(existsSync);
  if (!existsSync(join(dist, MANIFEST))) throw new Error(`no release build in ${dist} (no ${MANIFEST}): run make build (or make bench)`);
  if (!binary) throw new Error("no kiosque-server: run make server (or make bench)");
  if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM}`);

  const tmp = mkdtempSync(join(tmpdir(), "kiosque-bench-"));
  const dirs = Object.fromEntries(["content", "data", "site"].map((name) => [name, join(tmp, name)]));
  Object.values(dirs).forEach((dir) => mkdirSync(dir));
  // Ctrl-C or a kill: stop the browser and the server and remove the temporary files first.
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, async () => {
      console.error(`\nbench: ${signal}, stopping`);
      if (browser) await browser.close().catch(() => {});
      if (server) await server.stop();
      rmSync(tmp, { recursive: true, force: true });
      process.exit(130);
    });
  }
  const results = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? null, node: process.version },
    server: binary.replace(`${ROOT}/`, ""),
    dist: dist.replace(`${ROOT}/`, ""),
    runs: RUNS,
    quick: QUICK,
  };
  try {
    writeContent(dirs.content, join(ROOT, "fixtures"), Date.now());
    const { baselineScript } = buildSite({
      distDir: dist,
      baselineDir: join(ROOT, "bench/baseline"),
      localesDir: join(ROOT, "locales"),
      siteDir: dirs.site,
    });

    const sizes = widgetSizes(dist);
    const budget = readBudget();
    results.sizes = {
      ...sizes,
      budget: budget.brotli_total_bytes,
      budgetBeforeHeadline: budget.brotli_before_headline_bytes,
      baseline: { name: "kiosque-baseline.js", ...compressedSizes(Buffer.from(baselineScript)) },
    };

    server = await startServer({ binary, staticDir: dirs.site, contentDir: dirs.content, dataDir: dirs.data, log });
    const seedStart = Date.now();
    await seedComments(server.url, "fr-complet", 3);
    for (const count of COMMENT_SIZES) await seedComments(server.url, commentsId(count), count);
    results.seeding = { comments: 3 + COMMENT_SIZES.reduce((a, b) => a + b, 0), ms: Date.now() - seedStart };
    log(`seeded ${results.seeding.comments} comments over HTTP in ${(results.seeding.ms / 1000).toFixed(1)} s`);

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
    results.machine.chromium = browser.version();

    log("DOM check: the baseline renders what Kiosque renders");
    results.domCheck = await checkDom([
      { pageKey: "demo", widgets: 1 },
      { pageKey: "examples", widgets: 2 },
      { pageKey: "host", src: `/api/articles/${articleId(ARTICLE_SIZES[0])}`, widgets: 1 },
      { pageKey: "host", src: `/api/articles/${relatedId(RELATED_SIZES[0])}`, widgets: 1 },
      { pageKey: "host", src: `/api/articles/${commentsId(COMMENT_SIZES[1])}`, widgets: 1 },
    ]);

    results.timeToArticle = await timeToArticle(demoArticleBlocks(ROOT));
    results.secondVisit = await secondVisit();
    results.scale = await scale();
    const doneText = JSON.parse(readFileSync(join(ROOT, "locales/fr.json"), "utf8"))["captcha.pow.done"];
    results.interaction = { keystroke: { x1: await keystrokes(1), x4: await keystrokes(4) }, pow: await proofOfWork(doneText) };
    results.commentSection = { x1: await commentSection(1), x4: await commentSection(4) };
    results.memory = await memory();
    results.cls = await layoutStability();
    await browser.close();
    browser = null;

    results.lighthouse = {};
    if (QUICK) {
      results.lighthouse.skipped = "--quick";
    } else {
      for (const variant of ["kiosque", "baseline"]) {
        log(`Lighthouse (mobile preset), demo page, ${variant}`);
        try {
          results.lighthouse[variant] = await runLighthouse(urlOf("demo", variant), { chromePath: CHROMIUM, flags: ["--headless", ...CHROMIUM_FLAGS] });
        } catch (error) {
          results.lighthouse[variant] = { error: String(error.message ?? error) };
        }
      }
    }
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) await server.stop();
    rmSync(tmp, { recursive: true, force: true });
  }

  results.durationMs = Date.now() - started;
  loads.push(loadavg()[0]);
  results.machine.loadAverage = { min: Math.min(...loads), max: Math.max(...loads), samples: loads.map((l) => Math.round(l * 100) / 100) };
  mkdirSync(join(ROOT, "bench/results"), { recursive: true });
  // Run by run details are kept in the JSON only for the time-to-article figure (the others are long).
  writeFileSync(join(ROOT, "bench/results/latest.json"), `${JSON.stringify(results, null, 2)}\n`);
  printTable(results);
}

main().catch((error) => {
  console.error(`\nbench: broken run: ${error.stack ?? error}`);
  process.exit(1);
});
