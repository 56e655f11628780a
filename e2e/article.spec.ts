import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { brokenFixtures, fixtureJson, goodFixtures, watchConsole } from "./helpers";

test.describe("every fixture on the demo page", () => {
  for (const name of goodFixtures()) {
    test(`${name} renders its headline with no console error`, async ({ page }) => {
      const seen = watchConsole(page);
      await page.goto(`/?src=/fixtures/${name}`);
      await expect(page.locator(".kq-headline")).toHaveText(fixtureJson(name).headline.trim());
      await expect(page.locator(".kq-skeleton")).toHaveCount(0);
      expect(seen.errors).toEqual([]);
      expect(seen.crashes).toEqual([]);
    });
  }

  for (const name of brokenFixtures()) {
    test(`broken/${name} shows the localized error with its reason`, async ({ page }) => {
      const seen = watchConsole(page);
      await page.goto(`/?src=/fixtures/broken/${name}`);
      const error = page.locator(".kq-error");
      await expect(error).toBeVisible();
      await expect(error.locator(".kq-error__title")).toHaveText("Cet article ne peut pas être affiché.");
      await expect(error.getByRole("button", { name: "Réessayer" })).toBeVisible();
      await error.locator("summary").click();
      await expect(error.locator(".kq-error__reasons li")).toBeVisible();
      expect(seen.errors.join("\n")).toContain("Kiosque: cannot display");
      expect(seen.crashes).toEqual([]);
    });
  }

  test("the demo page links to every fixture", async () => {
    const html = readFileSync(join(__dirname, "..", "index.html"), "utf8");
    for (const name of goodFixtures()) expect(html).toContain(`?src=/fixtures/${name}"`);
    for (const name of brokenFixtures()) expect(html).toContain(`?src=/fixtures/broken/${name}"`);
  });
});

test("the complete article shows every part a reader expects", async ({ page }) => {
  const article = fixtureJson("fr-complet.json");
  await page.goto("/");
  const widget = page.locator(".kq");
  await expect(widget.getByRole("heading", { level: 1 })).toHaveText(article.headline);
  const breadcrumb = widget.getByRole("navigation", { name: "Fil d’Ariane" });
  await expect(breadcrumb.getByRole("listitem")).toHaveCount(article.breadcrumb.length);
  await expect(breadcrumb.locator("[aria-current=page]")).toHaveText(article.breadcrumb.at(-1).label);
  await expect(widget.locator(".kq-section")).toHaveText(article.section.label);
  await expect(widget.locator(".kq-dek")).toHaveText(article.dek);
  for (const author of article.authors) await expect(widget.locator(".kq-byline")).toContainText(author.name);
  await expect(widget.locator(".kq-source")).toContainText(article.source.name);
  await expect(widget.locator(`time[datetime="${article.published}"]`)).toContainText("2026");
  await expect(widget.locator(".kq-dates")).toContainText("Mis à jour le");
  await expect(widget.locator(".kq-reading-time")).toHaveText(/^\d+ min de lecture$/);
  await expect(widget.locator(".kq-hero img")).toHaveAttribute("alt", article.image.alt);
  await expect(widget.locator(".kq-hero figcaption")).toContainText(article.image.credit);
  await expect(widget.getByRole("group", { name: "Publicité" })).toHaveCount(2);
  await expect(widget.locator('.kq-ad[data-slot="milieu"] .kq-ad__slot')).toBeEmpty();
  for (const tag of article.tags) await expect(widget.locator(".kq-tags")).toContainText(tag.label);
  await expect(widget.locator(".kq-body img").first()).toHaveAttribute("loading", "lazy");
  for (const link of await widget.locator(".kq-body a[href^='http']").all()) {
    await expect(link).toHaveAttribute("rel", "noopener");
  }
});

test("a repeated run of paragraphs is shown once and logged", async ({ page }) => {
  const seen = watchConsole(page);
  await page.goto("/?src=/fixtures/fr-repetition.json");
  await expect(page.locator(".kq-headline")).toBeVisible();
  const paragraphs = await page.locator(".kq-body p.kq-p").allTextContents();
  const normalized = paragraphs.map((text) => text.replace(/\s+/g, " ").trim());
  const repeatedTwice = normalized.filter((text, i) => i > 0 && text === normalized[i - 1]);
  expect(repeatedTwice.length, "only the single short paragraph repeats").toBe(1);
  const raw = fixtureJson("fr-repetition.json").body.filter((b: any) => b.type === "paragraph");
  expect(paragraphs.length).toBeLessThan(raw.length);
  expect(seen.warnings.join("\n")).toMatch(/repeated 1 more time/);
});

test("hostile content is shown as text and runs nothing", async ({ page }) => {
  const seen = watchConsole(page);
  await page.goto("/?src=/fixtures/fr-hostile.json");
  const widget = page.locator(".kq");
  await expect(widget.locator(".kq-headline")).toContainText("<script>");
  // The one script is the widget's own JSON-LD data block, which browsers never run.
  await expect(widget.locator('script:not([type="application/ld+json"]), iframe, object, embed, svg')).toHaveCount(0);
  for (const href of await widget.locator("a").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""))) {
    expect(href).toMatch(/^(https?:\/\/|\/|mailto:|#|\?)/);
  }
  expect(seen.crashes).toEqual([]);
  expect(seen.warnings.join("\n")).toContain("unknown block types ignored");
});

test("a javascript: link keeps its text without the link", async ({ page }) => {
  await page.goto("/?src=/fixtures/fr-lien-javascript.json");
  const body = page.locator(".kq-body");
  await expect(body).toContainText("Lire la suite");
  await expect(body.getByRole("link", { name: "Lire la suite" })).toHaveCount(0);
});

test("a source from another site in the query string is refused", async ({ page }) => {
  await page.goto("/?src=https://evil.example/article.json");
  await expect(page.locator(".kq-error__title")).toHaveText("Ce widget est mal configuré.");
});

test("on a 320 px phone nothing overflows sideways", async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  for (const name of ["fr-complet.json", "fr-hostile.json"]) {
    await page.goto(`/?src=/fixtures/${name}`);
    await expect(page.locator(".kq-headline")).toBeVisible();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, name).toBeLessThanOrEqual(320);
  }
});

test("the dark theme applies when the reader prefers it", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto("/");
  await expect(page.locator(".kq-headline")).toBeVisible();
  const background = await page.locator(".kq").evaluate((el) => getComputedStyle(el).backgroundColor);
  await page.emulateMedia({ colorScheme: "light" });
  const light = await page.locator(".kq").evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(background).not.toBe(light);
});

test("nothing on the demo and example pages moves while the articles, images and lists arrive", async ({ page }) => {
  await page.addInitScript(() => {
    (window as any).__shift = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as any[]) if (!entry.hadRecentInput) (window as any).__shift += entry.value;
    }).observe({ type: "layout-shift", buffered: true });
  });
  for (const path of ["/", "/examples/"]) {
    for (const viewport of [{ width: 1280, height: 800 }, { width: 412, height: 915 }]) {
      await page.setViewportSize(viewport);
      await page.goto(path);
      await expect(page.locator(".kq-headline").first()).toBeVisible();
      await page.waitForLoadState("networkidle");
      const shift = await page.evaluate(() => (window as any).__shift);
      expect(shift, `cumulative layout shift of ${path} at ${viewport.width}×${viewport.height}`).toBeLessThan(0.001);
    }
  }
});
