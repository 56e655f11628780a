import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "@playwright/test";

// End-to-end tests against the release build (dist/), served by the reference server
// (target/debug/kiosque-server, built by scripts/test.sh) in test mode, in Debian's Chromium
// (Playwright never downloads a browser here).
//
// A fresh, empty database for every run. Workers re-read this file but inherit the runner's
// environment, so they all see the runner's directory.
process.env.KIOSQUE_E2E_DATA ??= mkdtempSync(join(tmpdir(), "kiosque-e2e-"));

const server = [
  "target/debug/kiosque-server",
  "--addr 127.0.0.1:4173",
  "--static dist",
  "--content fixtures",
  `--data ${process.env.KIOSQUE_E2E_DATA}`,
  "--moderation off",
  "--rate-limit off",
  "--test-mode",
  "--test-pages e2e/pages",
].join(" ");

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
  webServer: {
    command: server,
    url: "http://127.0.0.1:4173/",
    reuseExistingServer: !process.env.CI,
  },
});
