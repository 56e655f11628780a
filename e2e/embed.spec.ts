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
