// One measured page load, shared by the benchmark (bench/run.mjs) and the build comparison
// (bench/compare.mjs): a fresh browser context (cold cache, empty storage, like a first visit), the
// probe installed before any script, optional CPU throttling and route overrides.

import { instrument } from "./probe.mjs";

export const CHROMIUM = process.env.CHROME_PATH || "/usr/bin/chromium";
// Playwright adds --headless; Lighthouse's chrome-launcher gets it explicitly.
export const CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
export const DESKTOP = { width: 1280, height: 800 };
export const LOAD_TIMEOUT_MS = 90_000;

/** Rejects after `ms` unless `promise` settles first. */
export async function within(ms, what, promise) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function openPage(browser, { viewport = DESKTOP, goals = [], throttle = 1, routes = [] } = {}) {
  const context = await browser.newContext({ viewport });
  await context.addInitScript(instrument, goals);
  for (const [pattern, handler] of routes) await context.route(pattern, handler);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  const cdp = await context.newCDPSession(page);
  if (throttle !== 1) await cdp.send("Emulation.setCPUThrottlingRate", { rate: throttle });
  return { context, page, cdp, errors };
}

/** Navigates to `url`, waits for every goal, and returns what the probe recorded on that page. */
async function loadAndProbe(page, url, goals, label) {
  await page.goto(url, { waitUntil: "commit" });
  await within(LOAD_TIMEOUT_MS, `${label} ${url}`, page.evaluate(() => window.__kq.done));
  // Element Timing entries arrive once the frame is on screen, a little after the probe's mark.
  const timed = goals.filter((goal) => goal.elementTiming).map((goal) => goal.name);
  if (timed.length) {
    await page
      .waitForFunction((names) => names.every((name) => name in window.__kq.elements), timed, { timeout: 2000, polling: 50 })
      .catch(() => {});
  }
  return page.evaluate(() => {
    const { marks, reachedAt, data, lcp, elements, clickedAt, cls, shifts, instantiation } = window.__kq;
    return { marks, reachedAt, data, lcp, elements, clickedAt, cls, shifts, instantiation };
  });
}

/** Loads `url`, waits for every goal, runs `after`, and returns what the probe recorded. */
export async function measureLoad(browser, url, { goals, throttle, viewport, routes, after, label = "" }) {
  const { context, page, cdp, errors } = await openPage(browser, { viewport, goals, throttle, routes });
  try {
    const probe = await loadAndProbe(page, url, goals, label);
    const extra = after ? await after(page, cdp) : {};
    if (errors.length) throw new Error(`${label} ${url}: page error: ${errors[0]}`);
    return { ...probe, ...extra };
  } finally {
    await context.close();
  }
}

/** A returning reader: `firstUrl` until its goals are reached, a pause (the reader reads), then
 * `secondUrl` in the same browser context, whose HTTP cache (and Chromium's code cache) the first
 * page filled. Returns the probe of the second page, the first page's marks, and what the second
 * page fetched: every resource's path and transferred bytes (0 when it came from the cache). */
export async function measureSecondVisit(browser, firstUrl, secondUrl, { goals, pauseMs = 1000, label = "" }) {
  const { context, page, errors } = await openPage(browser, { goals });
  try {
    const first = await loadAndProbe(page, firstUrl, goals, `${label} (first visit)`);
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
    const probe = await loadAndProbe(page, secondUrl, goals, `${label} (second visit)`);
    const resources = await page.evaluate(() =>
      [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")].map((entry) => ({
        path: new URL(entry.name).pathname,
        transferSize: entry.transferSize,
        encodedBodySize: entry.encodedBodySize,
      })),
    );
    if (errors.length) throw new Error(`${label} ${secondUrl}: page error: ${errors[0]}`);
    return { ...probe, first: { marks: first.marks }, resources };
  } finally {
    await context.close();
  }
}
