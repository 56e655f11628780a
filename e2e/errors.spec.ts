import { expect, test } from "@playwright/test";
import { fixtureJson, hostPage, setFault, watchConsole } from "./helpers";

// Each failure a server can produce shows a clear error; Retry recovers once the server does.
const failures = [
  { name: "404", fault: { mode: "status", status: 404 }, title: "Cet article est introuvable.", reason: "404" },
  { name: "500", fault: { mode: "status", status: 500 }, title: "L’article n’a pas pu être chargé.", reason: "500" },
  { name: "malformed", fault: { mode: "malformed" }, title: "Cet article ne peut pas être affiché.", reason: "JSON est mal formé" },
  { name: "missing", fault: { mode: "missing" }, title: "Cet article ne peut pas être affiché.", reason: "« headline »" },
  { name: "timeout", fault: { mode: "slow", delayMs: 4000 }, title: "L’article n’a pas pu être chargé.", reason: "délai de 1 s" },
];

for (const failure of failures) {
  test(`${failure.name}: error, then Retry recovers when the server does`, async ({ page }) => {
    const seen = watchConsole(page);
    const faultName = `errors-${failure.name}`;
    await setFault(page, faultName, failure.fault);
    await page.goto(hostPage({ src: `/test/fault/${faultName}`, timeout: 1 }));

    const error = page.locator(".kq-error");
    await expect(error).toHaveAttribute("role", "alert");
    await expect(error.locator(".kq-error__title")).toHaveText(failure.title);
    await expect(error.locator(".kq-error__reasons")).toContainText(failure.reason);
    expect(seen.errors.join("\n")).toContain("Kiosque: cannot display");

    await setFault(page, faultName, { mode: "ok", fixture: "en-minimal.json" });
    await error.getByRole("button", { name: "Réessayer" }).click();
    const headline = page.locator(".kq-headline");
    await expect(headline).toHaveText(fixtureJson("en-minimal.json").headline);
    await expect(headline, "focus moves to the article after a retry").toBeFocused();
    await expect(page.locator(".kq-error")).toHaveCount(0);
    expect(seen.crashes).toEqual([]);
  });
}

test("a slow answer within the time-out shows the skeleton, then the article", async ({ page }) => {
  await setFault(page, "errors-slow-ok", { mode: "slow", delayMs: 1500, fixture: "fr-complet.json" });
  await page.goto(hostPage({ src: "/test/fault/errors-slow-ok", timeout: 5 }));
  await expect(page.locator(".kq-skeleton")).toBeVisible();
  await expect(page.getByRole("status")).toHaveText("Chargement de l’article…");
  await expect(page.locator(".kq-headline")).toHaveText(fixtureJson("fr-complet.json").headline);
  await expect(page.locator(".kq-headline")).not.toBeFocused();
});

test("an unreachable server is a network error, in the page's language", async ({ page }) => {
  await page.goto(hostPage({ src: "http://127.0.0.1:9/article.json", lang: "en" }));
  await expect(page.locator(".kq-error__title")).toHaveText("The article could not be loaded.");
  await expect(page.locator(".kq-error__reasons")).toContainText("cannot be reached");
  await expect(page.getByRole("button", { name: "Try again" })).toBeVisible();
});

test("bad attributes are reported inside the element", async ({ page }) => {
  await page.goto(hostPage({ src: "/fixtures/fr-complet.json", theme: "violet", timeout: "jamais", lang: "xx" }));
  const error = page.locator(".kq-error");
  await expect(error.locator(".kq-error__title")).toHaveText("Ce widget est mal configuré.");
  await expect(error.locator(".kq-error__reasons li")).toHaveCount(3);
  await expect(error.locator(".kq-error__reasons")).toContainText("data-theme");
  await expect(error.locator(".kq-error__reasons")).toContainText("data-timeout");
});
