import { expect, test } from "@playwright/test";
import { fixtureJson, hostPage, watchConsole } from "./helpers";

// Issue 17: the widget writes schema.org NewsArticle JSON-LD for the article it shows, unless the
// host says data-structured-data="off".

async function jsonLd(page: import("@playwright/test").Page) {
  const blocks = await page.locator('.kq script[type="application/ld+json"]').allTextContents();
  return blocks.map((text) => JSON.parse(text));
}

test("the article's NewsArticle JSON-LD: headline, dates, authors, publisher, image, comment count", async ({ page }) => {
  const fixture = fixtureJson("fr-complet.json");
  await page.goto(hostPage({ src: "/fixtures/fr-complet.json" }));
  await expect(page.locator(".kq-headline")).toHaveText(fixture.headline);
  const [data, ...others] = await jsonLd(page);
  expect(others).toEqual([]);
  expect(data["@context"]).toBe("https://schema.org");
  expect(data["@type"]).toBe("NewsArticle");
  expect(data.headline).toBe(fixture.headline);
  expect(data.datePublished).toBe(fixture.published);
  expect(data.url).toBe(fixture.url);
  expect(data.author.map((author: any) => author.name)).toEqual(fixture.authors.map((author: any) => author.name));
  expect(data.author[0]).toEqual({ "@type": "Person", name: fixture.authors[0].name, url: fixture.authors[0].url });
  expect(data.publisher).toEqual({ "@type": "Organization", name: fixture.site.name, url: fixture.site.url });
  expect(data.image).toEqual([new URL(fixture.image.url, page.url()).href]);
  expect(data.commentCount).toBe(fixture.comments.count);
  expect(data.inLanguage).toBe(fixture.lang);
});

test("hostile text stays text in the JSON-LD, and nothing runs", async ({ page }) => {
  const seen = watchConsole(page);
  const fixture = fixtureJson("fr-hostile.json");
  await page.goto(hostPage({ src: "/fixtures/fr-hostile.json" }));
  await expect(page.locator(".kq-headline")).toBeVisible();
  const [data] = await jsonLd(page);
  expect(data.headline).toBe(fixture.headline);
  expect(await page.locator('.kq script:not([type="application/ld+json"])').count()).toBe(0);
  expect(seen.crashes).toEqual([]);
});

test("data-structured-data=off writes none; another value is reported like any bad attribute", async ({ page }) => {
  await page.goto(hostPage({ src: "/fixtures/fr-complet.json", "structured-data": "off" }));
  await expect(page.locator(".kq-headline")).toBeVisible();
  expect(await jsonLd(page)).toEqual([]);

  await page.goto(hostPage({ src: "/fixtures/fr-complet.json", "structured-data": "peut-être" }));
  const error = page.locator(".kq-error");
  await expect(error.locator(".kq-error__title")).toHaveText("Ce widget est mal configuré.");
  await expect(error.locator(".kq-error__reasons")).toContainText("data-structured-data");
  await expect(error.locator(".kq-error__reasons")).toContainText("on ou off");
});
