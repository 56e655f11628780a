import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "@playwright/test";

// End-to-end tests against the release build (dist/), served by the reference server
// (target/debug/kiosque-server, built by scripts/test.sh) in test mode, in Debian's Chromium
// (Playwright never downloads a browser here).
//
// Fresh, empty databases for every run, in one temporary directory. Workers re-read this file but
// inherit the runner's environment, so they all see the runner's directory.
process.env.KIOSQUE_E2E_DATA ??= mkdtempSync(join(tmpdir(), "kiosque-e2e-"));

const CONSOLE_PORT = Number(process.env.KIOSQUE_CONSOLE_PORT ?? 4177);
const SMTP_PORT = 4178;

/** One reference server in test mode, serving the release build; `extra` sets its policy. */
function server(port: number, extra: string[]) {
  const command = [
    "target/debug/kiosque-server",
    `--addr 127.0.0.1:${port}`,
    "--static dist",
    "--content fixtures",
    `--data ${join(process.env.KIOSQUE_E2E_DATA ?? "", String(port))}`,
    "--test-mode",
    "--test-pages e2e/pages",
    // Warnings and errors only: a line per request would bury the test report.
    "--log-level warn",
    ...extra,
  ].join(" ");
  return { command, url: `http://127.0.0.1:${port}/`, reuseExistingServer: !process.env.CI };
}

export default defineConfig({
  testDir: "e2e",
  outputDir: "e2e/results",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [["list"]],
  use: {
    baseURL: "http://127.0.0.1:4173",
    browserName: "chromium",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  webServer: [
    // The main backend: publishes at once, no rate limit, stub or proof of work; reply
    // notifications through the SMTP server below (e2e/notify.spec.ts).
    server(4173, [
      "--moderation off",
      "--rate-limit off",
      `--smtp smtp://127.0.0.1:${SMTP_PORT}`,
      "--mail-from noreply@kiosque.test",
      "--public-url http://127.0.0.1:4173",
    ]),
    // A real SMTP server (aiosmtpd, scripts/smtp-sink.sh) keeping each message it receives in
    // KIOSQUE_E2E_DATA/mail; it stops when its input closes, so it is given one that never does.
    {
      command: `tail -f /dev/null | scripts/smtp-sink.sh run ${SMTP_PORT} ${join(process.env.KIOSQUE_E2E_DATA ?? "", "mail")}`,
      port: SMTP_PORT,
      reuseExistingServer: false,
      timeout: 120_000,
    },
    // Holds comments for moderation and accepts proof of work only (e2e/comments.spec.ts).
    server(4174, ["--moderation on", "--rate-limit off", "--captcha pow"]),
    // A tight rate limit: one comment, then 429 (e2e/comments.spec.ts).
    server(4175, ["--moderation off", "--rate-limit on", "--rate-burst 1", "--rate-per-minute 1"]),
    // The test WordPress (scripts/wordpress.sh) and a server reading it, comments in WordPress
    // (e2e/wordpress.spec.ts). Installing the site takes about 10 s.
    {
      command: `scripts/e2e-wordpress.sh 4176 ${join(process.env.KIOSQUE_E2E_DATA ?? "", "wordpress")}`,
      url: "http://127.0.0.1:4176/api/health",
      reuseExistingServer: !process.env.CI,
      timeout: 180_000,
    },
    // The newsroom console (e2e/console.spec.ts): accounts made with `user add`, moderation on,
    // console/dist at /admin/ (built by scripts/test.sh).
    // KIOSQUE_CONSOLE_PORT moves it (the spec reads the same variable). Never reused: its tests
    // count on fresh queues and sign-in counters (a reused one may have locked 127.0.0.1 out).
    {
      command: `e2e/console-server.sh ${CONSOLE_PORT} ${join(process.env.KIOSQUE_E2E_DATA ?? "", "console")}`,
      url: `http://127.0.0.1:${CONSOLE_PORT}/admin/`,
      reuseExistingServer: false,
    },
  ],
});
