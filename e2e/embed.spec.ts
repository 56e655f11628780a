import { expect, test } from "@playwright/test";
import { fixtureJson, hostPage, setFault, watchConsole } from "./helpers";

test("the example host page works under a strict CSP with two widgets", async ({ page }) => {
  const seen = watchConsole(page);
  await page.addInitScript(() => {
    (window as any).__violations = [];
    document.addEventListener("securitypolicyviolation", (event) =>
      (window as any).__violations.push(`${event.violatedDirective} ${event.blockedURI}`),
    );
  });
  const response = await page.goto("/examples/");
  expect(response?.headers()["content-security-policy"]).toContain("script-src 'self' 'wasm-unsafe-eval'");

  const first = page.locator("#article-principal");
  const second = page.locator("#article-secondaire");
  await expect(first.getByRole("heading", { level: 2, name: fixtureJson("fr-complet.json").headline })).toBeVisible();
  await expect(second.getByRole("heading", { level: 3, name: fixtureJson("en-complete.json").headline })).toBeVisible();
  await expect(second.locator(".kq-dates")).toContainText("Published");
  await expect(second.locator(".kq")).toHaveAttribute("data-kq-theme", "dark");
  expect(await page.evaluate(() => (window as any).__violations)).toEqual([]);
  expect(seen.errors).toEqual([]);
  expect(seen.crashes).toEqual([]);
});

test("two widgets on one page fail and recover independently", async ({ page }) => {
  await setFault(page, "embed-independent", { mode: "status", status: 503 });
  await page.goto(
    hostPage(
      { src: "/test/fault/embed-independent" },
      { src: "/fixtures/en-minimal.json", lang: "en", "heading-level": 2 },
    ),
  );
  const widgets = page.locator("[data-kiosque]");
  await expect(widgets.nth(0).locator(".kq-error")).toBeVisible();
  await expect(widgets.nth(1).locator("h2.kq-headline")).toHaveText(fixtureJson("en-minimal.json").headline);

  await setFault(page, "embed-independent", { mode: "ok", fixture: "fr-complet.json" });
  await widgets.nth(0).getByRole("button", { name: "Réessayer" }).click();
  await expect(widgets.nth(0).locator("h1.kq-headline")).toHaveText(fixtureJson("fr-complet.json").headline);
  await expect(widgets.nth(1).locator("h2.kq-headline")).toHaveText(fixtureJson("en-minimal.json").headline);
  const ids = await page.locator(".kq-headline").evaluateAll((h) => h.map((e) => e.id));
  expect(new Set(ids).size).toBe(2);
});

test("the reader downloads each article once, alongside the widget, and the widget compressed", async ({ page }) => {
  const downloads: string[] = [];
  page.on("requestfinished", (request) => downloads.push(new URL(request.url()).pathname));
  const wasm = page.waitForResponse((response) => /\/kiosque_bg-[0-9a-f]{16}\.wasm$/.test(new URL(response.url()).pathname));
  await page.goto("/examples/");
  await expect(page.locator("#article-secondaire .kq-headline")).toHaveText(fixtureJson("en-complete.json").headline);
  expect((await wasm).headers()["content-encoding"]).toBe("br");
  for (const article of ["/fixtures/fr-complet.json", "/fixtures/en-complete.json"]) {
    expect(downloads.filter((path) => path === article), article).toHaveLength(1);
  }
  // Started by the loader's preload hint, not after the wasm.
  const initiators = await page.evaluate(() =>
    performance.getEntriesByType("resource").filter((entry) => entry.name.includes("/fixtures/") && entry.name.endsWith(".json")).map((entry) => (entry as PerformanceResourceTiming).initiatorType),
  );
  expect(initiators).toEqual(["link", "link"]);

  // The same for an API answer that must not be stored (Cache-Control: no-store).
  await setFault(page, "preload-once", { mode: "ok", fixture: "en-minimal.json" });
  downloads.length = 0;
  await page.goto(hostPage({ src: "/test/fault/preload-once", lang: "en" }));
  await expect(page.locator(".kq-headline")).toHaveText(fixtureJson("en-minimal.json").headline);
  expect(downloads.filter((path) => path === "/test/fault/preload-once")).toHaveLength(1);
});
