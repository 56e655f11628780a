import { readFileSync } from "node:fs";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { watchConsole } from "./helpers";

// The widget on posts of a real WordPress (scripts/wordpress.sh, started by playwright.config.ts
// through scripts/e2e-wordpress.sh), served by a reference server with --comments wordpress.
const KIOSQUE = "http://127.0.0.1:4176";

/** The test WordPress's own address, to check what it holds without going through Kiosque. */
function wordpressUrl(): string {
  const port = readFileSync(join(process.env.KIOSQUE_E2E_DATA ?? "", "wordpress", "site", "web.port"), "utf8").trim();
  return `http://127.0.0.1:${port}`;
}

function post(slug: string) {
  return `${KIOSQUE}/?src=/api/articles/${encodeURIComponent(slug)}`;
}

/** Hostile markup in the test site sets `window.__pwned`, changes the title or opens a dialog. */
async function expectNothingRan(page: Page, seen: ReturnType<typeof watchConsole>) {
  expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
  expect(await page.title()).not.toBe("pwned");
  expect(seen.crashes).toEqual([]);
}

test("a WordPress post: the article, related news and its comments from WordPress, nothing hostile runs", async ({ page }) => {
  const seen = watchConsole(page);
  await page.goto(post("greve-au-port-de-dakar"));
  await expect(page.locator(".kq-headline")).toHaveText("Grève au port : l’heure du choix & des comptes");
  await expect(page.locator(".kq")).toContainText("Les dockers ont voté la grève à main levée.");
  // The block editor's table and YouTube embed: a scrolling table region and a link card (contract 1.1).
  const table = page.getByRole("region", { name: "Navires à quai, lundi" });
  await expect(table.getByRole("columnheader")).toHaveText(["Quai", "Navires"]);
  await expect(table.getByRole("row")).toHaveCount(3);
  const video = page.locator(".kq-embed__link");
  await expect(video).toHaveAttribute("href", "https://www.youtube.com/watch?v=dQw4w9WgXcQ");
  await expect(video).toContainText("S’ouvre sur YouTube");
  await expect(page.locator(".kq iframe")).toHaveCount(0);

  await page.locator(".kq-related").scrollIntoViewIfNeeded();
  const related = page.locator(".kq-related");
  await expect(related).toContainText("Coupure d’électricité samedi à Thiès");
  await expect(related).not.toContainText("Grève au port");

  await page.locator(".kq-comments").scrollIntoViewIfNeeded();
  const first = page.locator(".kq-comment", { hasText: "Merci pour cet article." }).first();
  await expect(first).toBeVisible();
  await expect(first.locator(".kq-comment__author").first()).toHaveText("Awa Ndiaye");
  // Three replies deep: the widget nests two levels of replies, and shows deeper ones at the last
  // level, after the comment they answer (src/model/comments.rs, MAX_DEPTH).
  const depth = (text: string) =>
    page.locator(".kq-comment__text", { hasText: text }).evaluate((node) => {
      let levels = 0;
      for (let up = node.parentElement; up; up = up.parentElement) {
        if (up.classList.contains("kq-comments__replies")) levels++;
      }
      return levels;
    });
  await expect(page.locator(".kq-comment__text", { hasText: "Réponse au niveau quatre." })).toBeVisible();
  expect([await depth("Lundi, selon"), await depth("Réponse au niveau trois."), await depth("Réponse au niveau quatre.")]).toEqual([1, 2, 2]);
  await expect(first.locator(".kq-comment__text", { hasText: "Réponse au niveau quatre." })).toHaveCount(1);
  // Held, spam and trash comments are not shown, nor replies under the held and the spam ones.
  for (const hidden of ["en attente de modération", "Réponse approuvée sous", "pilules", "corbeille", "rétrolien"]) {
    await expect(page.locator(".kq-comments")).not.toContainText(hidden);
  }
  const hostile = page.locator(".kq-comment", { hasText: "Bonjour" });
  await expect(hostile.locator(".kq-comment__text")).toHaveText("Bonjour cliquez ici fin.");
  await expect(page.locator(".kq script:not([type='application/ld+json']), .kq img[onerror], .kq [href^='javascript']")).toHaveCount(0);
  await expectNothingRan(page, seen);

  const axe = await new AxeBuilder({ page }).include(".kq").analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
});

test("the hostile WordPress post runs nothing and shows its text", async ({ page }) => {
  const seen = watchConsole(page);
  await page.goto(post("contenu-hostile"));
  await expect(page.locator(".kq-headline")).toHaveText("Un article piégé");
  await expect(page.locator(".kq")).toContainText("La fin reste lisible.");
  await expect(page.locator(".kq script:not([type='application/ld+json']), .kq iframe, .kq object, .kq svg script, .kq [onclick]")).toHaveCount(0);
  await page.waitForTimeout(300);
  await expectNothingRan(page, seen);
});

test("a comment posted on a WordPress post exists in WordPress", async ({ page, request }) => {
  const seen = watchConsole(page);
  await page.goto(post("thies-coupure-samedi"));
  await page.locator(".kq-comments").scrollIntoViewIfNeeded();
  const form = page.locator(".kq-form");
  await expect(form).toBeVisible();
  const marker = `Envoyé depuis le widget ${Date.now().toString(36)}`;
  await form.getByRole("textbox", { name: "Commentaire" }).fill(`${marker} <script>window.__pwned = 1</script>`);
  // Someone WordPress approved before: WordPress approves this one too.
  await form.getByRole("textbox", { name: "Nom", exact: true }).fill("Awa Ndiaye");
  await form.getByRole("textbox", { name: /^Adresse e-mail/ }).fill("awa@example.sn");
  await form.getByRole("checkbox", { name: "Je ne suis pas un robot" }).check();
  await form.getByRole("button", { name: "Publier le commentaire" }).click();
  const posted = page.locator(".kq-comment", { hasText: marker });
  await expect(posted).toBeVisible();
  await expect(page.locator(".kq-form [role=status]")).toHaveText("Votre commentaire est publié.");
  await expect(posted.locator(".kq-comment__text")).toContainText("<script>window.__pwned = 1</script>");

  // In WordPress, through its own REST API, on that post.
  const wordpress = wordpressUrl();
  const posts = await (await request.get(`${wordpress}/?rest_route=/wp/v2/posts&slug=thies-coupure-samedi`)).json();
  const comments = await (await request.get(`${wordpress}/?rest_route=/wp/v2/comments&post=${posts[0].id}&search=${encodeURIComponent(marker)}`)).json();
  expect(comments).toHaveLength(1);
  expect(comments[0].author_name).toBe("Awa Ndiaye");
  expect(comments[0].content.rendered).toContain("&lt;script&gt;");

  // A reader arriving later sees it, read from WordPress.
  await page.reload();
  await page.locator(".kq-comments").scrollIntoViewIfNeeded();
  await expect(page.locator(".kq-comment", { hasText: marker })).toBeVisible();
  await expectNothingRan(page, seen);
});
