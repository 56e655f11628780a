import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { fixtureJson, hostPage, setFault, watchConsole } from "./helpers";

test("the list is fetched only near the viewport, then pages with “more”", async ({ page }) => {
  const relatedRequests: string[] = [];
  page.on("request", (request) => {
    if (/related-page-\d/.test(request.url())) relatedRequests.push(request.url());
  });
  await setFault(page, "related-long", { mode: "ok", fixture: "related/long-article.json" });
  await setFault(page, "related-page-1", { mode: "ok", fixture: "related/page-1.json" });
  await setFault(page, "related-page-2", { mode: "ok", fixture: "related/page-2.json" });
  await page.goto(hostPage({ src: "/test/fault/related-long" }));
  await expect(page.locator(".kq-headline")).toHaveText("Un long article dont la liste vient du serveur");
  await page.waitForLoadState("networkidle");
  expect(relatedRequests, "no request before the reader scrolls").toEqual([]);
  await expect(page.locator(".kq-related__placeholder")).toHaveCount(1);

  await page.locator(".kq-related").scrollIntoViewIfNeeded();
  const list = page.locator(".kq-related");
  await expect(list.getByRole("heading", { name: "Autres articles" })).toBeVisible();
  await expect(list.locator(".kq-card")).toHaveCount(6);
  expect(relatedRequests).toHaveLength(1);
  const first = fixtureJson("related/page-1.json").items[0];
  await expect(list.locator(".kq-card").first()).toContainText(first.section.label);
  await expect(list.locator(".kq-card__date").first()).toHaveAttribute("datetime", first.published);

  await list.getByRole("button", { name: "Plus d’articles" }).click();
  await expect(list.locator(".kq-card")).toHaveCount(9);
  await expect(list.locator(".kq-card__headline a").nth(6), "focus goes to the first new item").toBeFocused();
  await expect(list.getByRole("button", { name: "Plus d’articles" }), "no further page").toHaveCount(0);
  expect(relatedRequests).toHaveLength(2);
});

test("a failing list never harms the article and Retry recovers", async ({ page }) => {
  const seen = watchConsole(page);
  await setFault(page, "related-errors", { mode: "status", status: 500 });
  await setFault(page, "related-errors-article", { mode: "ok", fixture: "related/broken-related-article.json" });
  await page.goto(hostPage({ src: "/test/fault/related-errors-article" }));
  const list = page.locator(".kq-related");
  await expect(list.getByRole("alert")).toHaveText(/Les autres articles n’ont pas pu être chargés\./);
  await expect(page.locator(".kq-headline")).toHaveText("Un article dont la liste échoue d’abord");
  expect(seen.errors.join("\n")).toContain("related news");

  await setFault(page, "related-errors", { mode: "malformed" });
  await list.getByRole("button", { name: "Réessayer" }).click();
  await expect(list.getByRole("alert")).toBeVisible();

  await setFault(page, "related-errors", { mode: "ok", fixture: "related/page-2.json" });
  await list.getByRole("button", { name: "Réessayer" }).click();
  await expect(list.locator(".kq-card")).toHaveCount(3);
  await expect(list.getByRole("alert")).toHaveCount(0);
  expect(seen.crashes).toEqual([]);
});

test("an article without related news shows no empty heading", async ({ page }) => {
  await page.goto("/?src=/fixtures/fr-minimal.json");
  await expect(page.locator(".kq-headline")).toBeVisible();
  await expect(page.locator(".kq-related")).toHaveCount(0);
  await page.goto("/?src=/fixtures/fr-repetition.json");
  await page.locator(".kq-related").scrollIntoViewIfNeeded();
  await page.waitForLoadState("networkidle");
  await expect(page.locator(".kq-related"), "the server had nothing for its section").toBeHidden();
});

test("inline mode opens a related article in place; Back returns with the scroll position", async ({ page }) => {
  const seen = watchConsole(page);
  const complete = fixtureJson("fr-complet.json");
  const target = fixtureJson("fr-repetition.json");
  await page.goto("/");
  await expect(page.locator(".kq-headline")).toHaveText(complete.headline);
  const list = page.locator(".kq-related");
  await list.scrollIntoViewIfNeeded();
  await expect(list.getByRole("heading", { name: complete.related.title })).toBeVisible();
  await expect(list.locator(".kq-card"), "inline and fetched items, without duplicates").toHaveCount(3);
  const scrollBefore = await page.evaluate(() => window.scrollY);
  expect(scrollBefore).toBeGreaterThan(500);

  await list.getByRole("link", { name: target.headline }).click();
  const headline = page.locator(".kq-headline");
  await expect(headline).toHaveText(target.headline);
  await expect(headline).toBeFocused();
  await expect(page).toHaveURL(/\?src=%2Fapi%2Farticles%2Ffr-repetition$/);
  expect(await page.evaluate(() => window.scrollY)).toBeLessThan(scrollBefore);

  await page.goBack();
  await expect(headline).toHaveText(complete.headline);
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(scrollBefore - 50);
  await page.goForward();
  await expect(headline).toHaveText(target.headline);
  expect(seen.errors).toEqual([]);
  expect(seen.crashes).toEqual([]);
});

test("a modified click keeps the browser's behaviour in inline mode", async ({ page, context }) => {
  await page.goto("/");
  const list = page.locator(".kq-related");
  await list.scrollIntoViewIfNeeded();
  const link = list.locator(".kq-card__headline a").first();
  await expect(link).toBeVisible();
  const headline = await page.locator(".kq-headline").textContent();
  const opened = context.waitForEvent("page");
  await link.click({ modifiers: ["Control"] });
  await (await opened).close();
  await expect(page.locator(".kq-headline")).toHaveText(headline ?? "");
});

test("link mode renders plain links to each item's page", async ({ page }) => {
  await page.goto("/examples/");
  const list = page.locator("#article-principal .kq-related");
  await list.scrollIntoViewIfNeeded();
  const items = fixtureJson("fr-complet.json").related.items;
  await expect(list.locator(".kq-card")).toHaveCount(items.length);
  for (const item of items) {
    await expect(list.getByRole("link", { name: item.headline })).toHaveAttribute("href", item.url);
  }
});

test("the related list has no axe violation, in both themes", async ({ page }) => {
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    await page.goto("/");
    await page.locator(".kq-related").scrollIntoViewIfNeeded();
    await expect(page.locator(".kq-card").first()).toBeVisible();
    const results = await new AxeBuilder({ page }).include(".kq-related").analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  }
});
