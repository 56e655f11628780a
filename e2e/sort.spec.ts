import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { postComment } from "./helpers";

// Issue 17: oldest first (the default) or newest first, chosen by the reader, remembered on the
// device, sorted by the server.
const HOST = "/test/pages/host.html?w=src=/test/pages/comments-sorted.json";

function post(page: Page, text: string) {
  return postComment(page, "en-minimal", text, "Aïssatou Ba");
}

test("newest first is the reader's choice, sorted by the server and remembered", async ({ page }) => {
  const tag = Date.now().toString(36);
  await post(page, `Ancien ${tag}`);
  await post(page, `Récent ${tag}`);
  await page.goto(HOST);
  await page.locator(".kq-comments").scrollIntoViewIfNeeded();
  const texts = page.locator(".kq-comment__text");
  const order = async () => (await texts.allTextContents()).filter((text) => text.includes(tag));
  await expect.poll(order).toEqual([`Ancien ${tag}`, `Récent ${tag}`]);

  const sort = page.getByLabel("Ordre des commentaires");
  await expect(sort).toHaveValue("oldest");
  const asked = page.waitForRequest((request) => request.url().includes("sort=newest"));
  await sort.selectOption("newest");
  await asked;
  await expect.poll(order).toEqual([`Récent ${tag}`, `Ancien ${tag}`]);
  const axe = await new AxeBuilder({ page }).include(".kq-comments").analyze();
  expect(axe.violations.map((violation) => violation.id)).toEqual([]);

  await page.reload();
  await page.locator(".kq-comments").scrollIntoViewIfNeeded();
  await expect(page.getByLabel("Ordre des commentaires")).toHaveValue("newest");
  await expect.poll(order).toEqual([`Récent ${tag}`, `Ancien ${tag}`]);
});
