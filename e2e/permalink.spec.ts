import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { postComment, watchConsole } from "./helpers";

// Issue 17: every comment has a link; opening the page with it loads pages of comments until the
// comment is there, then shows it. The article of e2e/pages/comments-one-a-page.json asks for one
// thread a page, so the newest of three comments is on the third page.
const HOST = "/test/pages/host.html?w=src=/test/pages/comments-one-a-page.json";

function post(page: Page, text: string) {
  return postComment(page, "fr-minimal", text, "Moussa Sarr");
}

test("a comment's link loads the pages before it, then shows and focuses it", async ({ page }) => {
  const tag = Date.now().toString(36);
  await post(page, `Premier ${tag}`);
  await post(page, `Deuxième ${tag}`);
  const id = await post(page, `Troisième ${tag}`);
  const seen = watchConsole(page);
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto(`${HOST}#kq-comment-${id}`);
  const target = page.locator(".kq-comment--target");
  await expect(target).toContainText(`Troisième ${tag}`);
  await expect(target).toBeFocused();
  await expect(target).toBeInViewport();
  // No horizontal scrolling at 320 px, highlighted or not.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  const axe = await new AxeBuilder({ page }).include(".kq-comments").analyze();
  expect(axe.violations.map((violation) => violation.id)).toEqual([]);
  expect(seen.crashes).toEqual([]);
});

test("a comment's link is copied, and the reader is told", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const tag = Date.now().toString(36);
  const id = await post(page, `À partager ${tag}`);
  await page.goto(`${HOST}#kq-comment-${id}`);
  const comment = page.locator(".kq-comment--target");
  await expect(comment).toContainText(`À partager ${tag}`);
  const link = comment.getByRole("link", { name: "Copier le lien du commentaire de Moussa Sarr" });
  await expect(link).toHaveAttribute("href", `#kq-comment-${id}`);
  await link.click();
  await expect(page.locator(".kq-comments__announcement")).toHaveText("Lien du commentaire copié.");
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(`${new URL(page.url()).href.split("#")[0]}#kq-comment-${id}`);
});

test("a link to a comment that is not published leaves the article as it is", async ({ page }) => {
  const seen = watchConsole(page);
  await page.goto(`${HOST}#kq-comment-999999999`);
  await expect(page.locator(".kq-headline")).toBeVisible();
  await expect(page.locator(".kq-comment--target")).toHaveCount(0);
  await expect(page.locator(".kq-headline")).toBeInViewport();
  expect(seen.crashes).toEqual([]);
});
