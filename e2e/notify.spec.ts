import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

// Issue 17: "email me when someone replies", double opt-in, one-click unsubscribe; the mails go
// through a real SMTP server on loopback (aiosmtpd, started by playwright.config.ts).
const HOST = "/test/pages/host.html?w=src=/test/pages/comments-notify.json";
const MAIL = join(process.env.KIOSQUE_E2E_DATA ?? "", "mail");

interface Mail {
  headers: Map<string, string>;
  text: string;
}

/** One received message: its headers (unfolded, lower-case names) and its text/plain body. */
function parse(raw: string): Mail {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const at = line.indexOf(":");
    if (at > 0) headers.set(line.slice(0, at).toLowerCase(), line.slice(at + 1).trim());
  }
  let body = rest.join("\n\n");
  const encoding = headers.get("content-transfer-encoding")?.toLowerCase();
  if (encoding === "base64") body = Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (encoding === "quoted-printable") {
    const bytes = body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
    body = Buffer.from(bytes, "latin1").toString("utf8");
  }
  return { headers, text: body };
}

function mailsTo(address: string): Mail[] {
  let names: string[] = [];
  try {
    names = readdirSync(MAIL).filter((name) => name.endsWith(".eml")).sort();
  } catch {
    return [];
  }
  return names.map((name) => parse(readFileSync(join(MAIL, name), "utf8"))).filter((mail) => (mail.headers.get("to") ?? "").includes(address));
}

async function mailTo(address: string, count: number): Promise<Mail> {
  await expect.poll(() => mailsTo(address).length, { timeout: 20_000 }).toBe(count);
  return mailsTo(address)[count - 1];
}

function link(mail: Mail, prefix: string): string {
  const found = mail.text.split(/\s+/).find((word) => word.startsWith(prefix));
  expect(found, `a link starting ${prefix} in:\n${mail.text}`).toBeTruthy();
  return found ?? "";
}

async function axeClean(page: Page) {
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((violation) => violation.id)).toEqual([]);
}

test("a reader asks for reply emails, confirms, hears of one reply, and unsubscribes in one click", async ({ page }) => {
  const tag = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const address = `reader-${tag}@example.org`;
  await page.goto(HOST);
  await page.locator(".kq-comments").scrollIntoViewIfNeeded();
  const form = page.locator(".kq-form");
  await form.getByRole("textbox", { name: "Comment" }).fill(`Tell me when someone answers ${tag}`);
  await form.getByRole("textbox", { name: "Name", exact: true }).fill("Ama Mensah");
  await form.getByRole("textbox", { name: /^Email address/ }).fill(address);
  const notify = form.getByRole("checkbox", { name: "Email me when someone replies to my comment" });
  await expect(notify).toHaveAccessibleDescription("A first email will ask you to confirm; every email lets you unsubscribe.");
  await notify.check();
  await form.getByRole("checkbox", { name: "I am not a robot" }).check();
  await expect(form.getByRole("button", { name: "Cancel editing" })).toBeHidden();
  await form.getByRole("button", { name: "Post comment" }).click();
  await expect(form.locator("[role=status]")).toHaveText(
    "Your comment is published. We sent you an email: confirm your subscription to replies there.",
  );
  const mine = page.locator(".kq-comment", { hasText: tag });
  const commentId = ((await mine.getAttribute("id")) ?? "").replace("kq-comment-", "");

  const confirmation = await mailTo(address, 1);
  expect(confirmation.headers.get("subject")).toBe("Confirm reply notifications for your comment");
  const confirm = link(confirmation, "http://127.0.0.1:4173/api/notifications/confirm?token=");
  await page.goto(confirm);
  await expect(page.getByRole("heading", { name: "Confirm reply notifications" })).toBeVisible();
  await axeClean(page);
  await page.getByRole("button", { name: "Yes, notify me of replies" }).click();
  await expect(page.getByRole("heading", { name: "Confirmed" })).toBeVisible();
  await axeClean(page);

  const reply = await page.request.post("/api/articles/fr-long/comments", {
    data: {
      parent: commentId,
      author_name: "Kofi Boateng",
      author_email: "kofi@example.org",
      text: `I answer you ${tag}`,
      captcha: { kind: "stub", token: `stub:${Date.now()}:abc:0.9` },
      honeypot: "",
      elapsed_ms: 5000,
      idempotency_key: `notify-${tag}`,
    },
  });
  expect(reply.status()).toBe(201);
  const replyId = (await reply.json()).comment.id;
  const news = await mailTo(address, 2);
  expect(news.headers.get("subject")).toContain("New reply to your comment");
  expect(news.text).toContain("Kofi Boateng replied to your comment");
  expect(news.text).toContain(`I answer you ${tag}`);
  expect(news.text).toContain(`#kq-comment-${replyId}`);
  expect(news.headers.get("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
  const unsubscribe = link(news, "http://127.0.0.1:4173/api/notifications/unsubscribe?token=");
  expect(news.headers.get("list-unsubscribe")).toBe(`<${unsubscribe}>`);

  await page.goto(unsubscribe);
  await expect(page.getByRole("heading", { name: "Unsubscribe" })).toBeVisible();
  await page.getByRole("button", { name: "Unsubscribe" }).click();
  await expect(page.getByRole("heading", { name: "You are unsubscribed" })).toBeVisible();
  await axeClean(page);
  await page.goto(confirm);
  await expect(page.getByRole("heading", { name: "This link is no longer valid" })).toBeVisible();
});
