import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, type Page } from "@playwright/test";

export const FIXTURES = join(__dirname, "..", "fixtures");

export function fixtureJson(name: string): any {
  return JSON.parse(readFileSync(join(FIXTURES, name), "utf8"));
}

/** The articles the widget must render (the broken ones live in fixtures/broken/). */
export function goodFixtures(): string[] {
  return readdirSync(FIXTURES).filter((f) => f.endsWith(".json")).sort();
}

export function brokenFixtures(): string[] {
  return readdirSync(join(FIXTURES, "broken")).filter((f) => f.endsWith(".json")).sort();
}

/** Collects what the page logs, so a test can assert there was no error and no panic. */
export function watchConsole(page: Page) {
  const seen = { errors: [] as string[], warnings: [] as string[], crashes: [] as string[] };
  page.on("console", (message) => {
    if (message.type() === "error") seen.errors.push(message.text());
    if (message.type() === "warning") seen.warnings.push(message.text());
  });
  page.on("pageerror", (error) => seen.crashes.push(String(error)));
  page.on("dialog", (dialog) => {
    seen.crashes.push(`dialog opened: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return seen;
}

/** Sets what /test/fault/<name> answers next (the reference server's --test-mode, server/src/test_mode.rs). */
export async function setFault(page: Page, name: string, fault: Record<string, unknown>) {
  const response = await page.request.post(`/test/fault/${name}`, { data: fault });
  expect(response.status()).toBe(204);
}

/** A bare host page with one widget per entry, each a set of data-* attributes. */
export function hostPage(...widgets: Record<string, string | number>[]): string {
  const query = widgets
    .map((attributes) => Object.entries(attributes).map(([k, v]) => `${k}=${v}`).join(";"))
    .map((spec) => `w=${encodeURIComponent(spec)}`)
    .join("&");
  return `/test/pages/host.html?${query}`;
}

/** Posts a comment through the public API of the server behind `page` (stub captcha, published at
 * once on the main test server) and returns its id. */
export async function postComment(page: Page, article: string, text: string, author = "Awa Ndiaye"): Promise<string> {
  const answer = await page.request.post(`/api/articles/${article}/comments`, {
    data: {
      parent: null,
      author_name: author,
      author_email: "lecteur@exemple.sn",
      author_url: "",
      text,
      captcha: { kind: "stub", token: `stub:${Date.now()}:abc:0.9` },
      honeypot: "",
      elapsed_ms: 5000,
      idempotency_key: `e2e-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`,
    },
  });
  expect(answer.status()).toBe(201);
  return (await answer.json()).comment.id;
}
