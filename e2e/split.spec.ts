import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { watchConsole } from "./helpers";

// Issue 18: the related news and the comment section are wasm parts of their own in the release
// build, downloaded when the reader comes near them. The article of long-with-sections.json is 60
// paragraphs long, so both sections start far below the first screen.
const LONG = "/test/pages/host.html?w=src=/test/pages/long-with-sections.json";
const PART = /\/(split_[a-z]+|chunk_\d+)-[0-9a-f]{16}\.wasm$/;

function partRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (PART.test(path)) seen.push(path.replace(/-[0-9a-f]{16}\.wasm$/, ""));
  });
  return seen;
}

test("a reader who stays on the article downloads no section's code; scrolling down brings both", async ({ page }) => {
  const seen = watchConsole(page);
  const parts = partRequests(page);
  await page.goto(LONG);
  await expect(page.locator(".kq-headline")).toHaveText("Le conseil municipal adopte son budget après une longue séance");
  // The placeholders hold the sections' places meanwhile, with their headings.
  await expect(page.locator(".kq-comments .kq-comments__title")).toHaveText("0 commentaire");
  await page.waitForTimeout(1000);
  expect(parts).toEqual([]);

  await page.locator("[data-kq-part=comments]").scrollIntoViewIfNeeded();
  await expect(page.locator(".kq-form textarea")).toBeEnabled();
  await expect(page.locator(".kq-card__headline")).toHaveText(["Les marchés rouvrent lundi", "L’éclairage public étendu à trois quartiers"]);
  expect(parts.sort()).toEqual(expect.arrayContaining(["/split_comments", "/split_related"]));
  expect(seen.errors).toEqual([]);
  expect(seen.crashes).toEqual([]);
});

test("a failed download of the comments' code shows their error with Retry, which recovers", async ({ page }) => {
  await page.route(/\/split_comments-[0-9a-f]{16}\.wasm$/, (route) => route.abort("connectionreset"));
  const seen = watchConsole(page);
  await page.goto(LONG);
  await expect(page.locator(".kq-headline")).toBeVisible();
  await page.locator("[data-kq-part=comments]").scrollIntoViewIfNeeded();
  const error = page.locator(".kq-comments__error");
  await expect(error).toHaveAttribute("role", "alert");
  await expect(error).toContainText("Les commentaires n’ont pas pu être chargés.");
  await expect(page.locator(".kq-form")).toHaveCount(0);
  expect(seen.crashes).toEqual([]);
  const axe = await new AxeBuilder({ page }).include(".kq-comments").analyze();
  expect(axe.violations).toEqual([]);

  await page.unroute(/\/split_comments-[0-9a-f]{16}\.wasm$/);
  await error.getByRole("button", { name: "Réessayer" }).click();
  await expect(page.locator(".kq-form textarea")).toBeEnabled();
  await expect(page.locator(".kq-comments__error")).toHaveCount(0);
  await page.locator(".kq-form textarea").fill("Enfin, le formulaire.");
  await expect(page.locator(".kq-form textarea")).toHaveValue("Enfin, le formulaire.");
});

test("a failed download of the code both sections share shows the comments' error, and Retry recovers", async ({ page }) => {
  await page.route(/\/chunk_\d+-[0-9a-f]{16}\.wasm$/, (route) => route.abort("connectionreset"));
  await page.goto(LONG);
  await expect(page.locator(".kq-headline")).toBeVisible();
  await page.locator("[data-kq-part=comments]").scrollIntoViewIfNeeded();
  const error = page.locator(".kq-comments__error");
  await expect(error).toContainText("Les commentaires n’ont pas pu être chargés.");
  await page.unroute(/\/chunk_\d+-[0-9a-f]{16}\.wasm$/);
  await error.getByRole("button", { name: "Réessayer" }).click();
  // The button is gone with the error: focus waits on the section's heading meanwhile.
  await expect(page.locator(".kq-comments__title")).toBeFocused();
  await expect(page.locator(".kq-form textarea")).toBeEnabled();
});

test("a failed download of the related news' code shows their error with Retry, which recovers", async ({ page }) => {
  await page.route(/\/split_related-[0-9a-f]{16}\.wasm$/, (route) => route.abort("connectionreset"));
  await page.goto(LONG);
  await expect(page.locator(".kq-headline")).toBeVisible();
  await page.locator("[data-kq-part=related]").scrollIntoViewIfNeeded();
  const error = page.locator(".kq-related__error");
  await expect(error).toContainText("Les autres articles n’ont pas pu être chargés.");
  await page.unroute(/\/split_related-[0-9a-f]{16}\.wasm$/);
  await error.getByRole("button", { name: "Réessayer" }).click();
  await expect(page.locator(".kq-card__headline")).toHaveCount(2);
});
