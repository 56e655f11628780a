import { expect, test } from "@playwright/test";
import { postComment, watchConsole } from "./helpers";

// Issue 17: comment counts on a listing page, from one request made by the loader, no wasm.

test("a listing page shows each article's comment count, from one request and without the wasm", async ({ page }) => {
  for (const text of ["Premier commentaire compté.", "Second commentaire compté."]) {
    await postComment(page, "fr-long", text);
  }
  // What the server says now (other tests may comment too): the page must show the same.
  const truth = (await (await page.request.get("/api/counts?ids=fr-long,fr-lien-javascript")).json()).counts;
  expect(truth["fr-long"]).toBeGreaterThanOrEqual(2);

  const seen = watchConsole(page);
  const requests: string[] = [];
  page.on("request", (request) => requests.push(new URL(request.url()).pathname));
  await page.goto("/test/pages/listing.html");
  const french = new Intl.NumberFormat("fr").format(truth["fr-long"]);
  await expect(page.locator("#long")).toHaveText(`${french} commentaires`);
  await expect(page.locator("#long-again")).toHaveText(`${french} commentaires`);
  await expect(page.locator("#english")).toHaveText(`${truth["fr-long"]} comments`);
  await expect(page.locator("#none")).toHaveText(truth["fr-lien-javascript"] === 0 ? "Aucun commentaire" : /commentaire/);
  // A link the loader cannot use keeps the page's own text, and runs nothing.
  await expect(page.locator("#hostile")).toHaveText("Commentaires");
  await page.waitForLoadState("networkidle");
  expect(requests.filter((path) => path === "/api/counts")).toHaveLength(1);
  expect(requests.filter((path) => path.endsWith(".wasm") || /kiosque-[0-9a-f]+\.js$/.test(path))).toEqual([]);
  expect(seen.crashes).toEqual([]);
});

test("the counts' server failing leaves the page's own text", async ({ page }) => {
  await page.route("**/api/counts*", (route) => route.fulfill({ status: 503, contentType: "application/json", body: '{"error":"unavailable","message":"Down."}' }));
  await page.goto("/test/pages/listing.html");
  await page.waitForLoadState("networkidle");
  await expect(page.locator("#long")).toHaveText("Commentaires");
  await expect(page.locator("#english")).toHaveText("Comments");
});
