import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";

// The newsroom console (console/, served at /admin/) against its own reference server
// (playwright.config.ts: e2e/console-server.sh, moderation on, an admin and a moderator made with
// `user add`). The same server serves the reader's widget, so what a moderator does is checked
// where readers see it. One server and one set of queues: the tests run one after another.
test.describe.configure({ mode: "serial" });
// The console speaks the browser's language when it is English; these tests read French.
test.use({ locale: "fr-FR" });

const BASE = `http://127.0.0.1:${process.env.KIOSQUE_CONSOLE_PORT ?? 4177}`;
const CONSOLE = `${BASE}/admin/`;
const ADMIN = { name: "admin", password: "mot de passe de l’admin des tests" };
const MODERATOR = { name: "fatou", password: "mot de passe de la modératrice" };
/** The one fixture whose comments the widget shows (fixtures/fr-complet.json). */
const ARTICLE = "fr-complet";
const WIDGET = `${BASE}/?src=/api/articles/${ARTICLE}`;

function unique(label: string) {
  return `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** A reader's comment through the public API (held for moderation on this server). */
async function postComment(
  request: APIRequestContext,
  text: string,
  options: { article?: string; parent?: string; email?: string; name?: string } = {},
): Promise<string> {
  const response = await request.post(`${BASE}/api/articles/${options.article ?? ARTICLE}/comments`, {
    data: {
      parent: options.parent ?? null,
      author_name: options.name ?? "Awa Ndiaye",
      author_email: options.email ?? "awa@example.org",
      author_url: "https://awa.example",
      text,
      captcha: { kind: "stub", token: "stub:1763800200000:k3f9a2:0.9" },
      honeypot: "",
      elapsed_ms: 5000,
    },
  });
  expect(response.status()).toBe(201);
  const body = await response.json();
  expect(body.comment.status).toBe("pending");
  return body.comment.id;
}

async function signIn(page: Page, who: { name: string; password: string }) {
  await page.goto(CONSOLE);
  await page.getByLabel("Nom").fill(who.name);
  await page.getByLabel("Mot de passe").fill(who.password);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page.getByRole("heading", { name: "Commentaires", level: 2 })).toBeVisible();
}

async function search(page: Page, text: string) {
  await page.getByLabel("Texte, nom ou e-mail").fill(text);
  await page.getByRole("button", { name: "Chercher" }).click();
}

/** The comment whose own text (not its parent's) contains `text`. */
function card(page: Page, text: string) {
  return page.locator("article.comment").filter({ has: page.locator(":scope > .comment__text", { hasText: text }) });
}

async function queue(page: Page, name: RegExp) {
  await page.getByRole("button", { name }).click();
}

async function expectAxeClean(page: Page, label: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(summary, label).toEqual([]);
}

async function expectNoHorizontalScroll(page: Page, label: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${label}: wider than the screen by ${overflow}px`).toBeLessThanOrEqual(0);
}

async function widgetComments(page: Page) {
  await page.goto(WIDGET);
  await page.locator(".kq-comments").scrollIntoViewIfNeeded();
  return page.locator(".kq-comments");
}

test("the console runs under its strict Content-Security-Policy, compressed, with nothing blocked", async ({ page }) => {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(String(error)));
  const wasm: string[] = [];
  page.on("response", (response) => {
    if (response.url().endsWith(".wasm")) wasm.push(response.headers()["content-encoding"] ?? "none");
  });
  const response = await page.goto(CONSOLE);
  const policy = response?.headers()["content-security-policy"] ?? "";
  expect(policy).toMatch(/script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+'/);
  expect(policy).not.toContain("unsafe-inline");
  expect(response?.headers()["x-frame-options"]).toBe("DENY");
  expect(response?.headers()["referrer-policy"]).toBe("no-referrer");
  await expect(page.getByRole("heading", { name: "Connexion" })).toBeVisible();
  await signIn(page, MODERATOR);
  expect([...new Set(wasm)]).toEqual(["br"]);
  // A 401 on the first load (not signed in yet) is the browser's own console line; nothing else.
  expect(problems.filter((text) => !text.includes("401"))).toEqual([]);
});

test("a wrong password is refused without saying which of the two was wrong; sign-in and sign-out", async ({ page }) => {
  await page.goto(CONSOLE);
  await expect(page.getByRole("heading", { name: "Connexion" })).toBeVisible();
  await page.getByLabel("Nom").fill(MODERATOR.name);
  await page.getByLabel("Mot de passe").fill("pas le bon mot de passe");
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page.getByRole("alert")).toHaveText("Nom ou mot de passe incorrect.");
  await page.getByLabel("Nom").fill("personne");
  await page.getByLabel("Mot de passe").fill(MODERATOR.password);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page.getByRole("alert")).toHaveText("Nom ou mot de passe incorrect.");

  // Tries in a row on one name are slowed: after five failures the next try must wait 4 s, and
  // the screen says how long. (Five, sent straight to the API: this server allows nine failures
  // from one address before slowing it down, and every test signs in from 127.0.0.1.)
  const name = unique("inconnu").replace(" ", "-");
  for (let failures = 0; failures < 5; ) {
    const refused = await page.request.post(`${BASE}/admin/api/session`, { headers: { Origin: BASE }, data: { name, password: "toujours faux" } });
    if (refused.status() === 429) {
      await page.waitForTimeout(Number(refused.headers()["retry-after"]) * 1000);
    } else {
      expect(refused.status()).toBe(401);
      failures++;
    }
  }
  await page.getByLabel("Nom").fill(name);
  await page.getByLabel("Mot de passe").fill("toujours faux");
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page.getByRole("alert")).toHaveText(/^Trop de tentatives\. Réessayez dans \d+ s\.$/);

  await signIn(page, MODERATOR);
  await expect(page.getByRole("heading", { name: "Commentaires", level: 2 })).toBeFocused();
  await expect(page.getByText("fatou · modérateur")).toBeVisible();
  // A moderator has no admin screens.
  await expect(page.getByRole("button", { name: "Journal" })).toHaveCount(0);
  // A reload keeps the session (the cookie), and signing out ends it.
  await page.reload();
  await expect(page.getByRole("heading", { name: "Commentaires", level: 2 })).toBeVisible();
  await page.getByRole("button", { name: "Se déconnecter" }).click();
  await expect(page.getByRole("heading", { name: "Connexion" })).toBeVisible();
  await expect(page.getByLabel("Nom")).toBeFocused();
  await page.reload();
  await expect(page.getByRole("heading", { name: "Connexion" })).toBeVisible();
});

test("a moderator approves a pending comment and the reader's widget shows it; another goes to spam", async ({ page, request }) => {
  const approved = unique("Un avis à publier");
  const spam = unique("Achetez mes montres");
  await postComment(request, approved);
  await postComment(request, spam, { name: "Vendeur", email: "vendeur@example.org" });
  const thread = await widgetComments(page);
  await expect(thread).not.toContainText(approved);

  await signIn(page, MODERATOR);
  await expect(card(page, approved)).toBeVisible();
  await expect(card(page, approved)).toContainText("awa@example.org");
  await expect(card(page, approved).getByRole("link", { name: "https://awa.example" })).toHaveAttribute("href", "https://awa.example");
  await expect(page.getByRole("button", { name: /^En attente \(\d+\)$/ })).toHaveAttribute("aria-pressed", "true");
  await card(page, approved).getByRole("button", { name: "Approuver" }).click();
  await expect(page.getByRole("status")).toHaveText("1 commentaire(s) approuvé(s).");
  await expect(card(page, approved)).toHaveCount(0);
  await card(page, spam).getByRole("button", { name: "Indésirable" }).click();
  await expect(page.getByRole("status")).toHaveText("1 commentaire(s) marqué(s) indésirable(s).");
  await queue(page, /^Indésirables \(\d+\)$/);
  await expect(card(page, spam)).toBeVisible();
  await queue(page, /^Approuvés \(\d+\)$/);
  await expect(card(page, approved)).toBeVisible();

  const published = await widgetComments(page);
  await expect(published).toContainText(approved);
  await expect(published).not.toContainText(spam);
});

test("deleting a parent keeps its replies in the reader's thread, with « Commentaire supprimé » in its place", async ({ page, request }) => {
  const tag = unique("fil");
  const parent = await postComment(request, `Le parent ${tag}`);
  await postComment(request, `La réponse ${tag}`, { parent, name: "Bintou", email: "bintou@example.org" });
  await signIn(page, MODERATOR);
  await search(page, tag);
  await expect(page.locator("article.comment")).toHaveCount(2);
  // The reply shows what it answers.
  await expect(card(page, `La réponse ${tag}`).locator(".comment__parent")).toContainText(`Le parent ${tag}`);
  await page.getByLabel("Tout sélectionner").check();
  await expect(page.getByText("2 sélectionné(s)")).toBeVisible();
  await page.getByRole("button", { name: "Sélection : Approuver" }).click();
  await expect(page.getByRole("status")).toHaveText("2 commentaire(s) approuvé(s).");

  await queue(page, /^Approuvés/);
  await card(page, `Le parent ${tag}`).getByRole("button", { name: "Supprimer" }).click();
  await expect(page.getByRole("status")).toHaveText("1 commentaire(s) supprimé(s).");

  const thread = await widgetComments(page);
  await expect(thread).toContainText(`La réponse ${tag}`);
  await expect(thread).not.toContainText(`Le parent ${tag}`);
  const reply = thread.locator(".kq-comment", { hasText: `La réponse ${tag}` }).last();
  await expect(reply).toBeVisible();
  await expect(thread.locator(".kq-comment__deleted").first()).toHaveText("Commentaire supprimé");
});

test("editing a comment keeps its earlier versions", async ({ page, request }) => {
  const original = unique("Un texte avec une faute d’ortografe");
  const id = await postComment(request, original);
  await signIn(page, MODERATOR);
  await search(page, original);
  const comment = page.locator(`#comment-${id}`);
  await comment.getByRole("button", { name: "Modifier" }).click();
  await expect(comment.getByText("Aucune version antérieure.")).toBeVisible();
  const corrected = original.replace("ortografe", "orthographe");
  await comment.getByLabel("Texte du commentaire").fill(corrected);
  await expectAxeClean(page, "editing");
  await comment.getByRole("button", { name: "Enregistrer" }).click();
  await expect(page.getByRole("status")).toHaveText("Texte enregistré ; l’ancien est dans l’historique.");
  await search(page, corrected);
  const edited = page.locator(`#comment-${id}`);
  await expect(edited.locator(".comment__text")).toHaveText(corrected);
  await edited.getByRole("button", { name: "Modifier" }).click();
  const history = edited.locator(".history");
  await expect(history.getByRole("heading", { name: "Versions antérieures" })).toBeVisible();
  await expect(history.locator("li")).toHaveCount(1);
  await expect(history.locator("li")).toContainText(original);
  await expect(history.locator("li")).toContainText("Remplacé par fatou");
});

test("closing an article shows readers that comments are closed; reopening brings the form back", async ({ page, browser }) => {
  await signIn(page, MODERATOR);
  await page.getByRole("button", { name: "Articles" }).click();
  const close = page.getByRole("button", { name: /^Fermer les commentaires de « .* »$/ }).first();
  await expect(close).toBeVisible();
  const row = page.locator("li.row", { hasText: `(${ARTICLE})` });
  await row.getByRole("button", { name: /^Fermer les commentaires/ }).click();
  await expect(page.getByRole("status")).toContainText("Commentaires fermés sur");
  await expect(row).toContainText("Commentaires fermés");

  const thread = await widgetComments(page);
  await expect(thread.locator(".kq-comments__closed")).toHaveText("Les commentaires sont fermés pour cet article.");
  await expect(page.locator(".kq-form")).toHaveCount(0);

  await page.goto(CONSOLE);
  await page.getByRole("button", { name: "Articles" }).click();
  await row.getByRole("button", { name: /^Rouvrir les commentaires/ }).click();
  await expect(row).toContainText("Commentaires ouverts");
  // Another reader (this browser keeps the article for its max-age, as docs/api.md says).
  const reader = await browser.newPage({ locale: "fr-FR" });
  await widgetComments(reader);
  await expect(reader.locator(".kq-form")).toBeVisible();
  await reader.close();
});

test("a queue is moderated with the keyboard alone: j/k move, a approves, s marks as spam, d deletes", async ({ page, request }) => {
  const tag = unique("clavier");
  // Posted oldest first: the queue shows the newest first.
  for (const label of ["trois", "deux", "un"]) await postComment(request, `${label} ${tag}`);
  await page.goto(CONSOLE);
  await page.getByLabel("Nom").focus();
  await page.keyboard.type(MODERATOR.name);
  await page.keyboard.press("Tab");
  await page.keyboard.type(MODERATOR.password);
  await page.keyboard.press("Enter");
  await expect(page.getByText("Clavier : j / k commentaire suivant / précédent, a approuver, s indésirable, d supprimer.")).toBeVisible();
  await page.getByLabel("Texte, nom ou e-mail").focus();
  await page.keyboard.type(tag);
  // Letters typed in a field are text, not shortcuts.
  await expect(page.getByLabel("Texte, nom ou e-mail")).toHaveValue(tag);
  await page.keyboard.press("Enter");
  await expect(page.locator("article.comment")).toHaveCount(3);
  await page.keyboard.press("Tab");

  await page.keyboard.press("j");
  const first = card(page, `un ${tag}`);
  await expect(first).toBeFocused();
  await expect(first).toHaveClass(/is-focused/);
  const outline = await first.evaluate((element) => getComputedStyle(element).outlineStyle);
  expect(outline, "a visible focus ring").not.toBe("none");
  await page.keyboard.press("j");
  await expect(card(page, `deux ${tag}`)).toBeFocused();
  await page.keyboard.press("k");
  await expect(first).toBeFocused();

  await page.keyboard.press("a");
  await expect(page.getByRole("status")).toHaveText("1 commentaire(s) approuvé(s).");
  await expect(page.locator("article.comment")).toHaveCount(2);
  // The focus moves to the comment that took its place.
  await expect(card(page, `deux ${tag}`)).toBeFocused();
  await page.keyboard.press("s");
  await expect(page.getByRole("status")).toHaveText("1 commentaire(s) marqué(s) indésirable(s).");
  await expect(card(page, `trois ${tag}`)).toBeFocused();
  await page.keyboard.press("d");
  await expect(page.getByRole("status")).toHaveText("1 commentaire(s) supprimé(s).");
  await expect(page.getByText("Aucun commentaire ici.")).toBeVisible();

  for (const [name, text] of [[/^Approuvés/, "un"], [/^Indésirables/, "deux"], [/^Supprimés/, "trois"]] as const) {
    await queue(page, name);
    await expect(page.locator("article.comment")).toHaveCount(1);
    await expect(card(page, `${text} ${tag}`)).toBeVisible();
  }
});

test("an admin sees the audit trail, manages accounts, and exports then erases a reader's data", async ({ page, request }) => {
  const email = `${unique("lecteur").replace(" ", "-")}@example.org`;
  const text = unique("Mes mots à effacer");
  const id = await postComment(request, text, { email, name: "Lecteur à effacer" });
  await signIn(page, ADMIN);
  await search(page, email);
  await card(page, text).getByRole("button", { name: "Approuver" }).click();
  await expect(page.getByRole("status")).toHaveText("1 commentaire(s) approuvé(s).");

  await page.getByRole("button", { name: "Journal" }).click();
  const trail = page.locator("table.audit");
  await expect(trail.locator("tbody tr").first()).toContainText("admin");
  await expect(trail.locator("tbody tr").first()).toContainText(`#${id}`);

  await page.getByRole("button", { name: "Comptes" }).click();
  await expect(page.locator("li.row", { hasText: "fatou" })).toBeVisible();
  await page.getByLabel("Nom").fill("awa");
  await page.getByLabel("Mot de passe").fill("un mot de passe assez long");
  await page.getByRole("button", { name: "Créer le compte" }).click();
  await expect(page.getByRole("status")).toHaveText("Compte awa créé.");
  await page.getByRole("button", { name: "Supprimer le compte awa" }).click();
  await expect(page.getByRole("status")).toHaveText("Compte awa supprimé.");

  await page.getByRole("button", { name: "Données des lecteurs" }).click();
  await page.getByLabel("Adresse e-mail du lecteur").fill(email);
  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Exporter (JSON)" }).click();
  const download = await downloading;
  const exported = JSON.parse((await (await download.createReadStream()).toArray()).join(""));
  expect(exported.comments.map((comment: any) => comment.text)).toEqual([text]);
  await expect(page.getByRole("status")).toHaveText("Export téléchargé : 1 commentaire(s).");

  await page.getByRole("button", { name: "Effacer ses données" }).click();
  await expect(page.getByRole("alert")).toContainText(`tous les commentaires de ${email}`);
  await page.getByRole("button", { name: "Confirmer l’effacement" }).click();
  await expect(page.getByRole("status")).toHaveText("Données effacées : 1 commentaire(s).");
  const thread = await widgetComments(page);
  await expect(thread).not.toContainText(text);
});

test("a server error is said with a retry; a lost session returns to the sign-in screen", async ({ page, context }) => {
  await signIn(page, MODERATOR);
  await page.route("**/admin/api/comments?*", (route) => route.fulfill({ status: 502, contentType: "text/html", body: "<h1>Bad gateway</h1>" }));
  await queue(page, /^Indésirables/);
  await expect(page.getByRole("alert")).toHaveText(/Le serveur a échoué \(HTTP 502\)\. Réessayez\./);
  await expect(page.locator("h1", { hasText: "Bad gateway" })).toHaveCount(0);
  // A refused action is said too, with a retry that does it again.
  await page.route("**/admin/api/comments/actions", (route) => route.abort());
  await page.unroute("**/admin/api/comments?*");
  await page.getByRole("button", { name: "Réessayer" }).click();
  const comment = page.locator("article.comment").first();
  await comment.getByRole("button", { name: "Rétablir" }).click();
  await expect(page.getByRole("alert")).toHaveText(/Le serveur ne répond pas\./);
  await page.unroute("**/admin/api/comments/actions");
  await page.getByRole("button", { name: "Réessayer" }).click();
  await expect(page.getByRole("status")).toHaveText("1 commentaire(s) rétabli(s).");
  await page.route("**/admin/api/comments?*", (route) => route.fulfill({ status: 502, contentType: "text/html", body: "<h1>Bad gateway</h1>" }));
  await queue(page, /^Supprimés/);
  await expect(page.getByRole("alert")).toHaveText(/Le serveur a échoué \(HTTP 502\)\. Réessayez\./);
  await expectAxeClean(page, "error");
  await page.unroute("**/admin/api/comments?*");
  await page.getByRole("button", { name: "Réessayer" }).click();
  await expect(page.getByRole("alert")).toHaveCount(0);
  await context.clearCookies();
  await queue(page, /^Approuvés/);
  await expect(page.getByRole("heading", { name: "Connexion" })).toBeVisible();
});

test("English by ?lang=en, the browser's language or the switcher", async ({ page, browser }) => {
  const english = await browser.newContext({ locale: "en-GB" });
  const englishPage = await english.newPage();
  await englishPage.goto(CONSOLE);
  await expect(englishPage.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await english.close();

  await page.goto(`${CONSOLE}?lang=en`);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.getByLabel("Name").fill(MODERATOR.name);
  await page.getByLabel("Password").fill("wrong");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("Wrong name or password.");
  await signIn(page, MODERATOR);
  await page.getByLabel("Langue").selectOption("en");
  await expect(page.getByRole("heading", { name: "Comments", level: 2 })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
});

for (const colorScheme of ["light", "dark"] as const) {
  test(`every screen is axe clean and fits 320 px (${colorScheme})`, async ({ page, request }) => {
    // Eighteen axe runs over two widths: more than the default 30 s on a busy two-core machine.
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme });
    const parent = await postComment(request, unique("Un parent pour axe"));
    await postComment(request, unique("Une réponse pour axe"), { parent });
    for (const width of [1280, 320]) {
      await page.setViewportSize({ width, height: 800 });
      await page.goto(CONSOLE);
      await expect(page.getByRole("heading", { name: "Connexion" })).toBeVisible();
      await expectAxeClean(page, `sign-in ${width}`);
      await expectNoHorizontalScroll(page, `sign-in ${width}`);
      await signIn(page, ADMIN);
      await expect(page.locator("article.comment").first()).toBeVisible();
      await expectAxeClean(page, `queue ${width}`);
      await expectNoHorizontalScroll(page, `queue ${width}`);
      for (const screen of ["Articles", "Bannissements", "Journal", "Comptes", "Données des lecteurs"]) {
        await page.getByRole("button", { name: screen, exact: true }).click();
        await expect(page.getByRole("heading", { name: screen, level: 2 })).toBeVisible();
        await expect(page.getByText("Chargement…")).toHaveCount(0);
        await expectAxeClean(page, `${screen} ${width}`);
        await expectNoHorizontalScroll(page, `${screen} ${width}`);
      }
      // The last screen, readers' data, asking to confirm an erasure.
      await page.getByLabel("Adresse e-mail du lecteur").fill("personne@example.org");
      await page.getByRole("button", { name: "Effacer ses données" }).click();
      await expect(page.getByRole("button", { name: "Confirmer l’effacement" })).toBeVisible();
      await expectAxeClean(page, `erase confirmation ${width}`);
      await expectNoHorizontalScroll(page, `erase confirmation ${width}`);
      await page.getByRole("button", { name: "Annuler" }).click();
      await page.getByRole("button", { name: "Se déconnecter" }).click();
      await expect(page.getByRole("heading", { name: "Connexion" })).toBeVisible();
    }
  });
}

test("the queue is filtered by article, and counts are the article's", async ({ page, request }) => {
  const text = unique("Sur un autre article");
  const elsewhere = unique("Sur l’article habituel");
  await postComment(request, text, { article: "fr-minimal" });
  await postComment(request, elsewhere);
  await signIn(page, MODERATOR);
  await expect(card(page, elsewhere)).toBeVisible();
  await page.getByLabel("Article").selectOption("fr-minimal");
  await expect(page.locator("article.comment")).toHaveCount(1);
  await expect(card(page, text)).toBeVisible();
  await expect(page.getByRole("button", { name: "En attente (1)" })).toBeVisible();
  await page.getByLabel("Article").selectOption("");
  await expect(card(page, elsewhere)).toBeVisible();
  await expect(card(page, text)).toBeVisible();
});

test("a long queue comes a page of 50 at a time; emptying the last page goes back one", async ({ page, request }) => {
  const tag = unique("page");
  for (let index = 0; index < 51; index++) await postComment(request, `${tag} n° ${index}`, { article: "fr-long" });
  await signIn(page, MODERATOR);
  await search(page, tag);
  await expect(page.locator("article.comment")).toHaveCount(50);
  await expect(page.getByText("Page 1", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Page précédente" })).toBeDisabled();
  await page.getByRole("button", { name: "Page suivante" }).click();
  await expect(page.getByText("Page 2", { exact: true })).toBeVisible();
  // Newest first: the oldest is alone on the second page.
  await expect(page.locator("article.comment")).toHaveCount(1);
  await expect(card(page, `${tag} n° 0`)).toBeVisible();
  await expect(page.getByRole("button", { name: "Page suivante" })).toBeDisabled();
  await card(page, `${tag} n° 0`).getByRole("button", { name: "Approuver" }).click();
  await expect(page.getByText("Page 1", { exact: true })).toBeVisible();
  await expect(page.locator("article.comment")).toHaveCount(50);
});

test("bans: an address is banned, listed, and the ban lifted", async ({ page, request }) => {
  const address = `${unique("banni").replace(" ", "-")}@example.org`;
  await signIn(page, MODERATOR);
  await page.getByRole("button", { name: "Bannissements" }).click();
  await page.getByLabel("Adresse ou site").fill(address);
  await page.getByRole("button", { name: "Bannir" }).click();
  await expect(page.getByRole("status")).toHaveText(`${address} est banni.`);
  await expect(page.locator("li.row", { hasText: address })).toBeVisible();
  // A new comment from that address goes straight to spam.
  const text = unique("Encore moi");
  await postComment(request, text, { email: address });
  await page.getByRole("button", { name: "Commentaires" }).click();
  await queue(page, /^Indésirables/);
  await search(page, text);
  await expect(card(page, text)).toBeVisible();
  await page.getByRole("button", { name: "Bannissements" }).click();
  await page.getByRole("button", { name: `Lever le bannissement de ${address}` }).click();
  await expect(page.getByRole("status")).toHaveText(`Bannissement de ${address} levé.`);
  await expect(page.locator("li.row", { hasText: address })).toHaveCount(0);
});
