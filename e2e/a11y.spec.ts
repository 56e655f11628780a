import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { hostPage, setFault } from "./helpers";

async function expectNoViolations(page: Page) {
  const results = await new AxeBuilder({ page }).include(".kq").analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(summary).toEqual([]);
}

for (const colorScheme of ["light", "dark"] as const) {
  test(`the demo article has no axe violation (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await page.goto("/");
    await expect(page.locator(".kq-headline")).toBeVisible();
    await expectNoViolations(page);
    const whole = await new AxeBuilder({ page }).analyze();
    expect(whole.violations.map((v) => v.id)).toEqual([]);
  });

  test(`the error state has no axe violation (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await page.goto("/?src=/fixtures/broken/missing-headline.json");
    await page.locator(".kq-error summary").click();
    await expect(page.locator(".kq-error__reasons")).toBeVisible();
    await expectNoViolations(page);
  });

  test(`the loading state has no axe violation (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await setFault(page, `a11y-loading-${colorScheme}`, { mode: "slow", delayMs: 5000 });
    await page.goto(hostPage({ src: `/test/fault/a11y-loading-${colorScheme}` }));
    await expect(page.locator(".kq-skeleton")).toBeVisible();
    await expectNoViolations(page);
  });
}

test("the configuration error and the other fixtures have no axe violation", async ({ page }) => {
  await page.goto(hostPage({ src: "/fixtures/fr-complet.json", theme: "violet" }));
  await expect(page.locator(".kq-error")).toBeVisible();
  await expectNoViolations(page);
  for (const name of ["en-complete.json", "fr-hostile.json", "fr-long.json", "en-minimal.json"]) {
    await page.goto(`/?src=/fixtures/${name}`);
    await expect(page.locator(".kq-headline")).toBeVisible();
    await expectNoViolations(page);
  }
});

test("the example host page, both themes side by side, has no axe violation", async ({ page }) => {
  await page.goto("/examples/");
  await expect(page.locator(".kq-headline")).toHaveCount(2);
  await expectNoViolations(page);
});

test("the retry button is reachable and usable with the keyboard", async ({ page }) => {
  await setFault(page, "a11y-keyboard", { mode: "status", status: 500 });
  await page.goto(hostPage({ src: "/test/fault/a11y-keyboard" }));
  await expect(page.locator(".kq-error")).toBeVisible();
  await setFault(page, "a11y-keyboard", { mode: "ok", fixture: "en-minimal.json" });
  // Details summary first, then the retry button.
  await page.keyboard.press("Tab");
  await expect(page.locator(".kq-error summary")).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Réessayer" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator(".kq-headline")).toBeFocused();
});
