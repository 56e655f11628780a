import { expect, test } from "@playwright/test";
import { fixtureJson, watchConsole } from "./helpers";

// The release build's content-hashed widget files (scripts/post-build.mjs): the wasm, the glue and
// the stylesheet.
const HASHED = /\/kiosque(_bg)?-[0-9a-f]{16}\.(wasm|js|css)$/;

/** The bytes each path the page fetched so far transferred, summed over its fetches (0: every
 * fetch came from the HTTP cache). */
function transfers(): Record<string, number> {
  const bytes: Record<string, number> = {};
  for (const entry of performance.getEntriesByType("resource") as PerformanceResourceTiming[]) {
    const path = new URL(entry.name).pathname;
    bytes[path] = (bytes[path] ?? 0) + entry.transferSize;
  }
  return bytes;
}

test("a reader who opens a second article downloads none of the widget again", async ({ page }) => {
  const seen = watchConsole(page);
  const immutable = page.waitForResponse((response) => /\/kiosque_bg-[0-9a-f]{16}\.wasm$/.test(new URL(response.url()).pathname));
  await page.goto("/");
  await expect(page.locator(".kq-headline")).toHaveText(fixtureJson("fr-complet.json").headline);
  expect((await immutable).headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
  const first = Object.entries(await page.evaluate(transfers)).filter(([path]) => HASHED.test(path));
  expect(first.map(([path]) => path.split(".").pop()).sort()).toEqual(["css", "js", "wasm"]);
  for (const [path, bytes] of first) expect(bytes, `first visit: ${path} is downloaded`).toBeGreaterThan(0);

  await page.goto(`/?src=${encodeURIComponent("/fixtures/en-complete.json")}`);
  await expect(page.locator(".kq-headline")).toHaveText(fixtureJson("en-complete.json").headline);
  const second = await page.evaluate(transfers);
  const widget = Object.entries(second).filter(([path]) => HASHED.test(path) || path === "/kiosque-loader.js");
  expect(widget.map(([path]) => path).sort()).toEqual([...first.map(([path]) => path), "/kiosque-loader.js"].sort());
  for (const [path, bytes] of widget) expect(bytes, `second visit: ${path} comes from the cache`).toBe(0);
  // The new article itself does travel.
  expect(second["/fixtures/en-complete.json"]).toBeGreaterThan(0);
  expect(seen.errors).toEqual([]);
  expect(seen.crashes).toEqual([]);
});

test("the loader keeps its name and is cached briefly; pages are revalidated", async ({ page }) => {
  const loader = await page.request.get("/kiosque-loader.js");
  expect(loader.headers()["cache-control"]).toBe("public, max-age=300, must-revalidate");
  // It names the hashed files, which the server has.
  const names = (await loader.text()).match(/kiosque(_bg)?-[0-9a-f]{16}\.(wasm|js|css)/g) ?? [];
  expect(new Set(names.map((name) => name.split(".").pop()))).toEqual(new Set(["wasm", "js", "css"]));
  for (const name of names) expect((await page.request.get(`/${name}`)).status(), name).toBe(200);

  const demo = await page.request.get("/");
  expect(demo.headers()["cache-control"]).toBe("no-cache");
  const lastModified = demo.headers()["last-modified"];
  expect(lastModified).toBeTruthy();
  const again = await page.request.get("/", { headers: { "If-Modified-Since": lastModified } });
  expect(again.status()).toBe(304);
});
