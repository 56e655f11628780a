import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { hostPage, setFault, watchConsole } from "./helpers";

// The reference servers of playwright.config.ts: the main one, one that moderates and accepts only
// proof of work, one with a tight rate limit.
const MODERATED = "http://127.0.0.1:4174";
const LIMITED = "http://127.0.0.1:4175";
const ARTICLE = "/?src=/fixtures/fr-complet.json";

function unique(label: string) {
  return `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

function form(page: Page) {
  const root = page.locator(".kq-form");
  return {
    root,
    text: root.getByRole("textbox", { name: "Commentaire" }),
    name: root.getByRole("textbox", { name: "Nom", exact: true }),
    email: root.getByRole("textbox", { name: /^Adresse e-mail/ }),
    website: root.getByRole("textbox", { name: /^Site web/ }),
    robot: root.getByRole("checkbox", { name: "Je ne suis pas un robot" }),
    remember: root.getByRole("checkbox", { name: "Se souvenir de moi sur cet appareil" }),
    submit: root.getByRole("button", { name: "Publier le commentaire" }),
  };
}

async function openComments(page: Page, url = ARTICLE) {
  await page.goto(url);
  await page.locator(".kq-comments").scrollIntoViewIfNeeded();
  await expect(page.locator(".kq-form")).toBeVisible();
}

async function fillValid(page: Page, text: string, name = "Awa Ndiaye") {
  const f = form(page);
  await f.text.fill(text);
  await f.name.fill(name);
  await f.email.fill("awa@exemple.sn");
}

/** Every comment POST the page sends, with its parsed body. */
function watchPosts(page: Page) {
  const posts: any[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && /\/comments$/.test(new URL(request.url()).pathname)) {
      posts.push(request.postDataJSON());
    }
  });
  return posts;
}

test("each validation message shows next to its field and nothing is sent", async ({ page }) => {
  const posts = watchPosts(page);
  await openComments(page);
  const f = form(page);
  await f.submit.click();
  const summary = f.root.getByRole("alert");
  await expect(summary).toContainText("Corrigez les 4 erreurs suivantes :");
  await expect(f.text).toBeFocused();
  await expect(f.text).toHaveAttribute("aria-invalid", "true");
  await expect(f.root).toContainText("Écrivez votre commentaire.");
  await expect(f.root).toContainText("Indiquez votre nom.");
  await expect(f.root).toContainText("Indiquez votre adresse e-mail.");
  await expect(f.root).toContainText("Confirmez que vous n’êtes pas un robot.");
  await summary.getByRole("link", { name: "Indiquez votre nom." }).click();
  await expect(f.name).toBeFocused();
  await f.robot.check();
  await expect(f.root).not.toContainText("Confirmez que vous n’êtes pas un robot.");
  // The honeypot is out of reach of people and assistive technology.
  await expect(f.root.locator(".kq-form__trap")).toHaveAttribute("aria-hidden", "true");
  await expect(f.root.locator(".kq-form__trap input")).toHaveAttribute("tabindex", "-1");
  await expect(f.root.locator(".kq-form__trap input")).toHaveAttribute("autocomplete", "off");
  await expect(f.root.locator(".kq-form__trap input")).not.toBeInViewport();

  await f.text.fill("    \n  ");
  await f.text.blur();
  await expect(f.root.locator(`#${await f.text.getAttribute("id")}-error`)).toHaveText("Écrivez votre commentaire.");
  await f.email.fill("pas-une-adresse");
  await f.email.blur();
  await expect(f.root).toContainText("Cette adresse e-mail n’est pas valide (exemple : nom@exemple.sn).");
  await expect(f.email).toHaveAttribute("aria-describedby", /-email-error/);
  await f.website.fill("ftp://exemple.sn");
  await f.website.blur();
  await expect(f.root).toContainText("L’adresse du site doit commencer par http:// ou https://.");
  await f.text.fill("a".repeat(5001));
  await f.text.blur();
  await expect(f.root).toContainText("Votre commentaire dépasse 5000 caractères.");
  await expect(f.root).toContainText("5001 / 5000 caractères");
  await f.name.fill("n".repeat(101));
  await f.name.blur();
  await expect(f.root).toContainText("Votre nom dépasse 100 caractères.");
  expect(posts).toEqual([]);
});

test("spaces only, then one click on Publish: every error and the summary (the button stays under the pointer)", async ({ page }) => {
  // Issue 17's report: at 412 px, the text box's blur message used to push the button down between
  // press and release, and the click was lost.
  await page.setViewportSize({ width: 412, height: 800 });
  const posts = watchPosts(page);
  await openComments(page);
  const f = form(page);
  await f.text.fill("      ");
  await f.submit.scrollIntoViewIfNeeded();
  await expect(f.text).toBeFocused();
  const button = await f.submit.boundingBox();
  if (!button) throw new Error("the submit button has no box");
  // A reader's click: press and release at one point while the text box still has the focus.
  await page.mouse.click(button.x + button.width / 2, button.y + button.height / 2);
  const summary = f.root.getByRole("alert");
  await expect(summary).toContainText("Corrigez les 4 erreurs suivantes :");
  await expect(f.text).toBeFocused();
  await expect(f.root).toContainText("Indiquez votre nom.");
  expect(posts).toEqual([]);
});

test("the form is built when the reader comes near the comments, not with the article", async ({ page }) => {
  await page.setViewportSize({ width: 412, height: 700 });
  await page.goto(ARTICLE);
  await expect(page.locator(".kq-headline")).toBeVisible();
  await expect(page.locator(".kq-comments")).toBeAttached();
  await expect(page.locator(".kq-form")).toHaveCount(0);
  await page.locator(".kq-comments").scrollIntoViewIfNeeded();
  await expect(form(page).text).toBeVisible();
});

test("the form's error state and its success have no axe violation", async ({ page }) => {
  await openComments(page);
  const f = form(page);
  await f.submit.click();
  await expect(f.root.getByRole("alert")).toBeVisible();
  const errors = await new AxeBuilder({ page }).include(".kq-comments").analyze();
  expect(errors.violations.map((v) => v.id)).toEqual([]);

  await fillValid(page, unique("Accessible"));
  await f.robot.check();
  await f.submit.click();
  await expect(page.getByRole("status").filter({ hasText: "Votre commentaire est publié." })).toHaveCount(1);
  const success = await new AxeBuilder({ page }).include(".kq-comments").analyze();
  expect(success.violations.map((v) => v.id)).toEqual([]);
});

test("stub captcha passes: the comment appears in place, focused, and the form resets", async ({ page }) => {
  const seen = watchConsole(page);
  const posts = watchPosts(page);
  await openComments(page);
  const text = unique("Merci pour ce reportage sur le môle 3.");
  await fillValid(page, text);
  const f = form(page);
  await f.robot.check();
  await f.submit.click();
  const posted = page.locator(".kq-comment", { hasText: text });
  await expect(posted).toBeVisible();
  await expect(posted).toBeFocused();
  await expect(posted.locator(".kq-comment__author")).toHaveText("Awa Ndiaye");
  await expect(page.locator(".kq-form [role=status]")).toHaveText("Votre commentaire est publié.");
  await expect(f.text).toHaveValue("");
  await expect(f.robot).not.toBeChecked();
  expect(posts).toHaveLength(1);
  expect(posts[0].captcha.kind).toBe("stub");
  expect(posts[0].captcha.token).toMatch(/^stub:\d+:[A-Za-z0-9]+:0\.9$/);
  expect(posts[0].honeypot).toBe("");
  expect(posts[0].elapsed_ms).toBeGreaterThanOrEqual(3000);
  expect(seen.errors).toEqual([]);
});

test("stub captcha fails below 0.5: a clear message, a way to reach the site, nothing sent", async ({ page }) => {
  const posts = watchPosts(page);
  await openComments(page, hostPage({ src: "/fixtures/fr-complet.json", "captcha-score": 0.3 }));
  await fillValid(page, unique("Un robot ?"));
  const f = form(page);
  await f.robot.check();
  await f.submit.click();
  const notice = f.root.locator(".kq-form__notice");
  await expect(notice).toContainText("La vérification anti-robot a échoué");
  await expect(notice).toContainText("Contacter la rédaction :");
  await expect(notice.getByRole("link")).toHaveAttribute("href", /^https:\/\//);
  await expect(f.text).not.toHaveValue("");
  expect(posts).toEqual([]);
});

test("proof of work is solved, accepted, and the comment awaits moderation", async ({ page }) => {
  const posts = watchPosts(page);
  await openComments(page, `${MODERATED}${hostPage({ src: "/fixtures/fr-complet.json", captcha: "pow" })}`);
  const text = unique("Vérifié par preuve de travail.");
  await fillValid(page, text);
  const f = form(page);
  await f.root.getByRole("button", { name: "Lancer la vérification" }).click();
  await expect(f.root.locator(".kq-captcha__status")).toHaveText("Vérification réussie.", { timeout: 20_000 });
  await f.submit.click();
  const posted = page.locator(".kq-comment", { hasText: text });
  await expect(posted.locator(".kq-comment__pending")).toHaveText("En attente de modération");
  await expect(page.locator(".kq-form [role=status]").last()).toHaveText("Merci ! Votre commentaire sera publié après modération.");
  expect(posts[0].captcha.kind).toBe("pow");
  const payload = JSON.parse(Buffer.from(posts[0].captcha.token, "base64").toString("utf8"));
  expect(payload).toMatchObject({ algorithm: "SHA-256" });
  expect(typeof payload.number).toBe("number");
});

test("403: a captcha the server refuses shows the captcha message and keeps the text", async ({ page }) => {
  // The moderated server accepts proof of work only: a stub token is refused.
  await openComments(page, `${MODERATED}${ARTICLE}`);
  const text = unique("Refusé par le serveur");
  await fillValid(page, text);
  const f = form(page);
  await f.robot.check();
  await f.submit.click();
  await expect(f.root.locator(".kq-form__notice")).toContainText("La vérification anti-robot a échoué");
  await expect(f.text).toHaveValue(text);
});

test("422: the server's field errors show on their fields (a reply to a comment that is gone)", async ({ page }) => {
  await page.addInitScript(() => {
    if (!sessionStorage.getItem("seeded")) {
      sessionStorage.setItem("seeded", "1");
      localStorage.setItem(
        "kiosque:draft:fr-complet",
        JSON.stringify({ text: "Je réponds.", name: "Awa", email: "awa@exemple.sn", website: "", reply_to: { id: "999999", author: "Fantôme" }, idempotency_key: "" }),
      );
    }
  });
  await openComments(page);
  const f = form(page);
  await expect(f.root).toContainText("Réponse à Fantôme");
  await expect(page.locator(".kq-form [role=status]").last()).toHaveText("Votre brouillon a été restauré.");
  await expect(f.text).toHaveValue("Je réponds.");
  await f.robot.check();
  await f.submit.click();
  await expect(f.root.getByRole("alert")).toContainText("Le commentaire auquel vous répondez n’existe plus.");
});

test("409: comments closed meanwhile; a closed article shows the note and no form", async ({ page }) => {
  await setFault(page, "comments-closed", { mode: "ok", fixture: "comments/en-complete-open.json" });
  await page.goto(hostPage({ src: "/test/fault/comments-closed" }));
  await page.locator(".kq-comments").scrollIntoViewIfNeeded();
  const root = page.locator(".kq-form");
  await root.getByRole("textbox", { name: "Comment" }).fill(unique("Too late"));
  await root.getByRole("textbox", { name: "Name", exact: true }).fill("Kofi");
  await root.getByRole("textbox", { name: /^Email address/ }).fill("kofi@example.com");
  await root.getByRole("checkbox", { name: "I am not a robot" }).check();
  await root.getByRole("button", { name: "Post comment" }).click();
  await expect(root.getByRole("alert")).toContainText("Comments have just been closed: your comment was not published.");
  await expect(page.locator(".kq-comments__closed")).toHaveText("Comments are closed for this article.");
  await expect(root.getByRole("textbox", { name: "Comment" }), "the reader's text stays").toHaveValue(/^Too late/);
  await expect(page.locator(".kq-comment__reply")).toHaveCount(0);

  await page.goto("/?src=/fixtures/en-complete.json");
  await page.locator(".kq-comments").scrollIntoViewIfNeeded();
  await expect(page.locator(".kq-comments__closed")).toHaveText("Comments are closed for this article.");
  await expect(page.locator(".kq-form")).toHaveCount(0);
  await expect(page.locator(".kq-comment__reply")).toHaveCount(0);
});

test("429: too many comments says when to try again", async ({ page }) => {
  await openComments(page, `${LIMITED}${ARTICLE}`);
  const f = form(page);
  await fillValid(page, unique("Premier"));
  await f.robot.check();
  await f.submit.click();
  await expect(page.locator(".kq-form [role=status]").last()).toHaveText("Votre commentaire est publié.");
  await fillValid(page, unique("Second, trop vite"));
  await f.robot.check();
  await f.submit.click();
  await expect(f.root.locator(".kq-form__notice")).toContainText(/Réessayez dans \d+ s/);
  await expect(f.root.getByRole("button", { name: "Réessayer l’envoi" })).toBeVisible();
});

for (const afterStore of [false, true]) {
  test(`a failed submit (${afterStore ? "response lost" : "server error"}) then Retry stores one comment`, async ({ page }) => {
    const posts = watchPosts(page);
    const fault = await page.request.post("/test/comment-fault/fr-complet", { data: { fail: 1, status: 503, after_store: afterStore } });
    expect(fault.status()).toBe(204);
    await openComments(page);
    const text = unique(afterStore ? "Réponse perdue" : "Erreur serveur");
    await fillValid(page, text);
    const f = form(page);
    await f.robot.check();
    await f.submit.click();
    const notice = f.root.locator(".kq-form__notice");
    await expect(notice).toContainText("L’envoi a échoué (Le serveur a répondu avec le code 503). Votre texte est conservé.");
    await expect(f.text).toHaveValue(text);
    await notice.getByRole("button", { name: "Réessayer l’envoi" }).click();
    await expect(page.locator(".kq-comment", { hasText: text })).toHaveCount(1);
    expect(posts).toHaveLength(2);
    expect(posts[1].idempotency_key).toBe(posts[0].idempotency_key);
    const stored = await (await page.request.get("/api/articles/fr-complet/comments?limit=100")).json();
    expect(stored.items.filter((c: any) => c.text === text)).toHaveLength(1);
  });
}

test("a reload restores the draft", async ({ page }) => {
  await openComments(page);
  const text = unique("Un brouillon à ne pas perdre\nsur deux lignes");
  await form(page).text.fill(text);
  await form(page).name.fill("Awa");
  await page.waitForTimeout(600);
  await page.reload();
  await page.locator(".kq-comments").scrollIntoViewIfNeeded();
  await expect(form(page).text).toHaveValue(text);
  await expect(form(page).name).toHaveValue("Awa");
  await expect(page.locator(".kq-form [role=status]").last()).toHaveText("Votre brouillon a été restauré.");
});

test("a double click sends one comment, and the button shows it is busy", async ({ page }) => {
  const posts = watchPosts(page);
  await openComments(page);
  const text = unique("Double clic");
  await fillValid(page, text);
  const f = form(page);
  await f.robot.check();
  // Within three seconds of the form appearing: the widget holds the comment until then (faster
  // is a robot's pace), which leaves time to see the busy state.
  await f.submit.dblclick();
  await expect(f.root.getByRole("button", { name: "Envoi en cours…" })).toHaveAttribute("aria-busy", "true");
  await expect(page.locator(".kq-comment", { hasText: text })).toHaveCount(1);
  await page.waitForTimeout(500);
  expect(posts).toHaveLength(1);
});

test("replies nest under their comment", async ({ page }) => {
  await openComments(page);
  const f = form(page);
  const first = unique("Question");
  await fillValid(page, first, "Moussa Sarr");
  await f.robot.check();
  await f.submit.click();
  const parent = page.locator(".kq-comment", { hasText: first });
  await expect(parent).toBeVisible();
  await parent.getByRole("button", { name: "Répondre à Moussa Sarr" }).first().click();
  await expect(f.root).toContainText("Réponse à Moussa Sarr");
  await expect(f.text).toBeFocused();
  const reply = unique("Réponse");
  await fillValid(page, reply, "Awa Ndiaye");
  await f.robot.check();
  await f.submit.click();
  await expect(parent.locator(".kq-comments__replies .kq-comment", { hasText: reply })).toBeVisible();
  await expect(f.root).not.toContainText("Réponse à Moussa Sarr");
});

test("hostile comment text shows as text and runs nothing", async ({ page }) => {
  const seen = watchConsole(page);
  await openComments(page);
  const marker = unique("hostile");
  const text = `${marker} <script>alert(1)</script> <img src=x onerror=alert(2)> <a href="javascript:alert(3)">x</a> javascript:alert(4) https://ok.example/page`;
  await fillValid(page, text, `<b onmouseover=alert(5)>Nom</b>`);
  const f = form(page);
  await f.website.fill("https://auteur.example");
  await f.robot.check();
  await f.submit.click();
  const posted = page.locator(".kq-comment", { hasText: marker });
  await expect(posted.locator(".kq-comment__text")).toContainText("<script>alert(1)</script> <img src=x onerror=alert(2)>");
  await expect(posted.locator("script, img, [onerror], [onmouseover]")).toHaveCount(0);
  // The comment's own link (#kq-comment-N, e2e/permalink.spec.ts) aside, the links are the reader's.
  await expect(posted.locator(".kq-comment__permalink")).toHaveAttribute("href", /^#kq-comment-\d+$/);
  const hrefs = await posted.locator("a:not(.kq-comment__permalink)").evaluateAll((links) => links.map((a) => [a.getAttribute("href"), a.getAttribute("rel")]));
  expect(hrefs).toEqual([
    ["https://auteur.example", "nofollow ugc noopener"],
    ["https://ok.example/page", "nofollow ugc noopener"],
  ]);
  await expect(posted.locator(".kq-comment__author")).toHaveText("<b onmouseover=alert(5)>Nom</b>");
  expect(seen.crashes).toEqual([]);
});

test("remember me keeps name and email for the next comment", async ({ page }) => {
  await openComments(page);
  const f = form(page);
  await fillValid(page, unique("Souvenir"), "Fatou Diouf");
  await f.remember.check();
  await f.robot.check();
  await f.submit.click();
  await expect(page.locator(".kq-form [role=status]").last()).toHaveText("Votre commentaire est publié.");
  await page.reload();
  await page.locator(".kq-comments").scrollIntoViewIfNeeded();
  await expect(form(page).name).toHaveValue("Fatou Diouf");
  await expect(form(page).remember).toBeChecked();
  await expect(form(page).text).toHaveValue("");
});

test("a deleted comment shows as a placeholder and its replies stay under it", async ({ page }) => {
  // The answer of docs/api.md for a thread whose first comment a moderator deleted.
  await page.route("**/api/articles/fr-complet/comments*", (route) =>
    route.fulfill({
      contentType: "application/json",
      body: JSON.stringify({
        items: [
          { id: "901", parent: null, deleted: true, created: "2026-11-22T08:30:00Z", status: "deleted" },
          { id: "902", parent: "901", author: { name: "Bintou", url: null }, text: "Une réponse qui reste.", created: "2026-11-22T09:00:00Z", status: "approved" },
        ],
        total: 2,
        next: null,
      }),
    }),
  );
  await openComments(page);
  const placeholder = page.locator(".kq-comment").filter({ has: page.locator(".kq-comment__deleted") }).first();
  await expect(placeholder.locator(".kq-comment__deleted")).toHaveText("Commentaire supprimé");
  await expect(placeholder.locator(".kq-comment__body--deleted").getByRole("button")).toHaveCount(0);
  await expect(placeholder.locator(".kq-comment__body--deleted")).toHaveText("Commentaire supprimé");
  await expect(placeholder.locator(".kq-comments__replies .kq-comment", { hasText: "Une réponse qui reste." })).toBeVisible();
  const results = await new AxeBuilder({ page }).include(".kq-comments").analyze();
  expect(results.violations).toEqual([]);
});
