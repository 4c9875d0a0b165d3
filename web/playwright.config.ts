import { defineConfig } from "@playwright/test";

// Browser tests of the built dashboard against the real server (e2e/support/global-setup.ts starts it
// on an embedded PostgreSQL of its own), in Debian's Chromium: Playwright never downloads a browser
// here (`npx playwright install` cannot reach its download site). `npm run test:e2e -w web` builds first.
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Headless, and without the background connections this machine's closed network refuses. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export default defineConfig({
  testDir: "e2e",
  outputDir: "e2e/.results",
  globalSetup: "./e2e/support/global-setup.ts",
  // Two cores: the server, its PostgreSQL and one browser at a time keep the run steady.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    browserName: "chromium",
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
    },
    trace: "retain-on-failure",
  },
});
