import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { fixtureJson, watchConsole } from "./helpers";

// Contract 1.1's table and embed blocks as a reader gets them (fixtures/fr-tableaux.json).
const FIXTURE = "/?src=/fixtures/fr-tableaux.json";

async function open(page: Page) {
  const seen = watchConsole(page);
  await page.goto(FIXTURE);
  await expect(page.locator(".kq-headline")).toHaveText(fixtureJson("fr-tableaux.json").headline);
  await expect(page.locator(".kq-body .kq-embed")).toHaveCount(2);
  return seen;
}

test("tables and embeds render as a named region and link cards", async ({ page }) => {
  const seen = await open(page);
  const widget = page.locator(".kq");
  const quays = widget.getByRole("region", { name: "Navires reçus par quai, de juillet à septembre" });
  await expect(quays.getByRole("columnheader")).toHaveText(["Quai", "Juillet", "Août", "Septembre", "Total", "Évolution sur un an", "Tirant d’eau maximal", "Exploitant"]);
  await expect(quays.locator("caption")).toHaveText("Navires reçus par quai, de juillet à septembre");
  await expect(widget.locator(".kq-table__caption").first()).toBeVisible();
  await expect(quays.getByRole("row")).toHaveCount(5);
  await expect(quays.getByRole("link", { name: "Dakar Terminal" })).toHaveAttribute("href", "https://dakar-terminal.example/");
  const hours = widget.getByRole("region", { name: "Tableau", exact: true });
  await expect(hours.getByRole("row")).toHaveCount(3);
  await expect(hours.getByRole("columnheader")).toHaveCount(0);

  const video = widget.getByRole("link", { name: /Le reportage vidéo : une nuit au terminal/ });
  await expect(video).toHaveAttribute("href", "https://www.youtube.com/watch?v=dQw4w9WgXcQ");
  await expect(video).toHaveAttribute("rel", "noopener noreferrer");
  await expect(video).toContainText("S’ouvre sur YouTube");
  await expect(video).toContainText("www.youtube.com");
  await expect(widget.getByRole("link", { name: /Contenu Vimeo/ })).toContainText("vimeo.com");
  await expect(widget.getByText("Ce lien n’est jamais affiché")).toHaveCount(0);
  await expect(widget.locator('iframe, script:not([type="application/ld+json"]), object, embed')).toHaveCount(0);
  expect(seen.warnings.join("\n")).toContain("body[7].url: embed skipped");
  expect(seen.errors).toEqual([]);
  expect(seen.crashes).toEqual([]);
});

test("at 320 px a wide table scrolls sideways in its region, not the page", async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 720 });
  await open(page);
  const region = page.locator(".kq-table__scroll").first();
  const sizes = await region.evaluate((element) => ({ scroll: element.scrollWidth, client: element.clientWidth }));
  expect(sizes.scroll).toBeGreaterThan(sizes.client);
  expect(sizes.client).toBeLessThanOrEqual(320);
  const page_width = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  expect(page_width.scroll).toBeLessThanOrEqual(page_width.client);
  await region.scrollIntoViewIfNeeded();
  const caption = page.locator(".kq-table__caption").first();
  expect(await caption.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
  await expect(page.getByRole("columnheader", { name: "Exploitant" })).not.toBeInViewport();
  await region.evaluate((element) => element.scrollTo({ left: element.scrollWidth }));
  await expect(page.getByRole("columnheader", { name: "Exploitant" })).toBeInViewport();
  expect(await page.evaluate(() => window.scrollX)).toBe(0);
});

test("the keyboard reaches a table's region and scrolls it", async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 720 });
  await open(page);
  const region = page.locator(".kq-table__scroll").first();
  // Tab through the page until the region has focus: it is in the tab order like a link.
  let reached = false;
  for (let presses = 0; presses < 40 && !reached; presses++) {
    await page.keyboard.press("Tab");
    reached = await region.evaluate((element) => element === document.activeElement);
  }
  expect(reached).toBe(true);
  await expect(region).toBeFocused();
  expect(await region.evaluate((element) => getComputedStyle(element).outlineStyle)).toBe("solid");
  await page.keyboard.press("ArrowRight");
  await expect.poll(() => region.evaluate((element) => element.scrollLeft)).toBeGreaterThan(0);
});

for (const colorScheme of ["light", "dark"] as const) {
  for (const width of [1280, 320]) {
    test(`tables and embeds have no axe violation (${colorScheme}, ${width} px)`, async ({ page }) => {
      await page.setViewportSize({ width, height: 800 });
      await page.emulateMedia({ colorScheme });
      await open(page);
      await page.locator(".kq-table__scroll").first().focus();
      const results = await new AxeBuilder({ page }).include(".kq").analyze();
      const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
      expect(summary).toEqual([]);
    });
  }
}
