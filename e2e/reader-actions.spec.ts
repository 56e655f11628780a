import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { postComment, watchConsole } from "./helpers";

// Issue 17: votes (one per reader and comment, not on one's own, taken back by pressing again),
// "most voted" order, and editing or deleting one's own comment while the server allows it.
const HOST = "/test/pages/host.html?w=src=/test/pages/comments-reader-actions.json";
const ARTICLE = "fr-repetition";

function unique(label: string) {
  return `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

async function open(page: Page) {
  await page.goto(HOST);
  await page.locator(".kq-comments").scrollIntoViewIfNeeded();
  await expect(page.locator(".kq-form")).toBeVisible();
}

async function axeClean(page: Page) {
  const axe = await new AxeBuilder({ page }).include(".kq-comments").analyze();
  expect(axe.violations.map((violation) => `${violation.id}: ${violation.nodes.map((n) => n.target).join(", ")}`)).toEqual([]);
}

/** Writes and publishes a comment through the widget's form, as a reader does. */
async function writeComment(page: Page, text: string) {
  const form = page.locator(".kq-form");
  await form.getByRole("textbox", { name: "Commentaire" }).fill(text);
  await form.getByRole("textbox", { name: "Nom", exact: true }).fill("Awa Ndiaye");
  await form.getByRole("textbox", { name: /^Adresse e-mail/ }).fill("awa@exemple.sn");
  await form.getByRole("checkbox", { name: "Je ne suis pas un robot" }).check();
  await form.getByRole("button", { name: "Publier le commentaire" }).click();
  const mine = page.locator(".kq-comment", { hasText: text });
  await expect(mine).toBeVisible();
  return mine;
}

test("a reader votes up, takes it back, votes down; the score and the pressed button survive a reload", async ({ page }) => {
  const seen = watchConsole(page);
  const text = unique("Un commentaire à juger");
  await postComment(page, ARTICLE, text, "Moussa Diop");
  await open(page);
  const comment = page.locator(".kq-comment", { hasText: text });
  const up = comment.getByRole("button", { name: "Approuver le commentaire de Moussa Diop", exact: true });
  const score = comment.locator(".kq-votes__score");
  const said = page.locator(".kq-comments__announcement");
  await expect(score).toHaveText("Score :0");
  await expect(up).toHaveAttribute("aria-pressed", "false");

  await up.click();
  await expect(score).toHaveText("Score :1");
  await expect(said).toHaveText("Vote enregistré. Score : 1.");
  await expect(comment.getByRole("button", { name: /^Approuver/ })).toHaveAttribute("aria-pressed", "true");
  await expect(comment.getByRole("button", { name: /^Approuver/ })).toBeFocused();
  await axeClean(page);

  await comment.getByRole("button", { name: /^Approuver/ }).click();
  await expect(score).toHaveText("Score :0");
  await expect(said).toHaveText("Vote retiré. Score : 0.");

  await comment.getByRole("button", { name: /^Désapprouver/ }).click();
  await expect(score).toHaveText("Score :-1");
  await page.reload();
  await page.locator(".kq-comments").scrollIntoViewIfNeeded();
  await expect(page.locator(".kq-comment", { hasText: text }).locator(".kq-votes__score")).toHaveText("Score :-1");
  await expect(page.locator(".kq-comment", { hasText: text }).getByRole("button", { name: /^Désapprouver/ })).toHaveAttribute("aria-pressed", "true");
  // (The bare host page has no favicon: the browser's 404 for it is the one console error.)
  expect(seen.crashes).toEqual([]);
});

test("a vote the server cannot take says so, and the score stays", async ({ page }) => {
  const text = unique("Voté pendant une panne");
  await postComment(page, ARTICLE, text, "Moussa Diop");
  await open(page);
  const comment = page.locator(".kq-comment", { hasText: text });
  await page.route("**/api/comments/*/vote", (route) => route.fulfill({ status: 503, contentType: "text/html", body: "<h1>Service Unavailable</h1>" }));
  await comment.getByRole("button", { name: /^Approuver/ }).click();
  await expect(page.locator(".kq-comments__announcement")).toContainText("Le vote n’a pas été enregistré");
  await expect(comment.locator(".kq-votes__score")).toHaveText("Score :0");
});

test("one's own comment: no vote buttons; edit it (marked « modifié »), then delete it", async ({ page }) => {
  const seen = watchConsole(page);
  await open(page);
  const text = unique("Mon avis, première version");
  const mine = await writeComment(page, text);
  await expect(mine.getByRole("button", { name: /^Approuver/ })).toHaveCount(0);
  await expect(mine.locator(".kq-votes__score")).toHaveText("Score :0");

  await mine.getByRole("button", { name: "Modifier votre commentaire" }).click();
  const form = page.locator(".kq-form");
  await expect(form.getByRole("heading", { name: "Modifier votre commentaire" })).toBeVisible();
  const box = form.getByRole("textbox", { name: "Commentaire" });
  await expect(box).toHaveValue(text);
  await expect(box).toBeFocused();
  await expect(form.getByRole("textbox", { name: "Nom", exact: true })).toBeHidden();
  await axeClean(page);
  const edited = unique("Mon avis, corrigé");
  await box.fill(edited);
  await form.getByRole("button", { name: "Enregistrer la modification" }).click();
  const changed = page.locator(".kq-comment", { hasText: edited });
  await expect(changed).toBeVisible();
  await expect(changed.locator(".kq-comment__edited")).toHaveText("modifié");
  await expect(page.locator(".kq-comment", { hasText: text })).toHaveCount(0);
  await expect(form.getByRole("heading", { name: "Laisser un commentaire" })).toBeVisible();
  await expect(box).toHaveValue("");

  const api = await page.request.get(`/api/articles/${ARTICLE}/comments?sort=newest`);
  const stored = (await api.json()).items.find((c: any) => c.text === edited);
  expect(stored?.edited).toBeTruthy();

  const count = page.locator(".kq-comments__title");
  const before = Number((await count.textContent())?.match(/\d+/)?.[0]);
  await changed.getByRole("button", { name: "Supprimer votre commentaire" }).click();
  await expect(page.locator(".kq-comments__announcement")).toHaveText("Appuyez sur « Confirmer la suppression » pour supprimer votre commentaire.");
  await changed.getByRole("button", { name: "Confirmer la suppression" }).click();
  await expect(page.locator(".kq-comments__announcement")).toHaveText("Votre commentaire a été supprimé.");
  await expect(page.locator(".kq-comment", { hasText: edited })).toHaveCount(0);
  await expect(count).toHaveText(before - 1 <= 1 ? `${before - 1} commentaire` : `${before - 1} commentaires`);
  const after = await page.request.get(`/api/articles/${ARTICLE}/comments?sort=newest`);
  expect((await after.json()).items.some((c: any) => c.text === edited)).toBe(false);
  // (The bare host page has no favicon: the browser's 404 for it is the one console error.)
  expect(seen.crashes).toEqual([]);
});

test("the edit and delete buttons go when the time to use them is over", async ({ page }) => {
  await open(page);
  const text = unique("Bientôt figé");
  await writeComment(page, text);
  // The device's record of its comment, brought to two seconds before its end.
  await page.evaluate(() => {
    const own = JSON.parse(localStorage.getItem("kiosque:own-comments") ?? "[]");
    for (const entry of own) entry.until = Date.now() + 2000;
    localStorage.setItem("kiosque:own-comments", JSON.stringify(own));
  });
  await page.reload();
  await page.locator(".kq-comments").scrollIntoViewIfNeeded();
  const mine = page.locator(".kq-comment", { hasText: text });
  await expect(mine.getByRole("button", { name: "Modifier votre commentaire" })).toBeVisible();
  await expect(mine.getByRole("button", { name: "Modifier votre commentaire" })).toHaveCount(0, { timeout: 6000 });
  await expect(mine.getByRole("button", { name: "Supprimer votre commentaire" })).toHaveCount(0);
});

test("most voted first: the server's order, offered because the server counts votes", async ({ page }) => {
  const tag = unique("classement");
  const low = await postComment(page, ARTICLE, `Peu apprécié ${tag}`, "Fatou");
  const high = await postComment(page, ARTICLE, `Très apprécié ${tag}`, "Fatou");
  for (const voter of ["voter-e2e-aaaaaaaaaaaa", "voter-e2e-bbbbbbbbbbbb"]) {
    const vote = await page.request.post(`/api/comments/${high}/vote`, { data: { voter: `${voter}-${tag.slice(-6)}`, value: 1 } });
    expect(vote.status()).toBe(200);
  }
  const against = await page.request.post(`/api/comments/${low}/vote`, { data: { voter: `voter-e2e-cccccccccccc-${tag.slice(-6)}`, value: -1 } });
  expect(against.status()).toBe(200);
  await open(page);
  const sort = page.getByLabel("Ordre des commentaires");
  const asked = page.waitForRequest((request) => request.url().includes("sort=votes"));
  await sort.selectOption("votes");
  await asked;
  const texts = page.locator(".kq-comment__text");
  const order = async () => (await texts.allTextContents()).filter((t) => t.includes(tag));
  await expect.poll(order).toEqual([`Très apprécié ${tag}`, `Peu apprécié ${tag}`]);
  await page.reload();
  await page.locator(".kq-comments").scrollIntoViewIfNeeded();
  await expect(page.getByLabel("Ordre des commentaires")).toHaveValue("votes");
});
