import { expect, test } from "@playwright/test";
import { postComment, watchConsole } from "./helpers";

// Issue 17: another page of comments is added to the threads shown; those stay the same elements
// (nothing the reader is looking at, or has focused, is written again). The article of
// e2e/pages/comments-one-a-page.json asks for one thread a page.
const HOST = "/test/pages/host.html?w=src=/test/pages/comments-one-a-page.json";

test("another page of comments is appended; the threads shown stay as they are", async ({ page }) => {
  const tag = Date.now().toString(36);
  await postComment(page, "fr-minimal", `Page un ${tag}`);
  await postComment(page, "fr-minimal", `Page deux ${tag}`);
  const seen = watchConsole(page);
  await page.goto(HOST);
  await page.locator(".kq-comments").scrollIntoViewIfNeeded();
  const threads = page.locator(".kq-comments__list > li");
  await expect(threads).toHaveCount(1);
  // A mark on the first thread's element, and a handle to it, before the next page.
  await page.evaluate(() => {
    const first = document.querySelector(".kq-comments__list > li") as HTMLElement & { kqKept?: boolean };
    first.kqKept = true;
    (window as any).kqFirstThread = first;
  });
  await page.getByRole("button", { name: "Plus de commentaires" }).click();
  await expect(threads).toHaveCount(2);
  const kept = await page.evaluate(() => {
    const first = (window as any).kqFirstThread as HTMLElement & { kqKept?: boolean };
    return first.isConnected && first.kqKept === true && document.querySelector(".kq-comments__list > li") === first;
  });
  expect(kept).toBe(true);
  expect(seen.crashes).toEqual([]);
});
