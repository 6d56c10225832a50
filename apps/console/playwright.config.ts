import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions, readE2eEnv } from "./e2e/env.ts";
import { ARTIFACTS_DIR } from "./e2e/paths.ts";

const env = readE2eEnv();

/**
 * End-to-end tests of the console against the real registry server, a real database and simulated runtimes over
 * HTTP. Global setup starts one stack per run (e2e/stack.ts); the tests share it, one at a time.
 * Needs a built console: `pnpm --filter @rollcall/console build`.
 */
export default defineConfig({
  testDir: "e2e",
  outputDir: `${ARTIFACTS_DIR}/test-results`,
  globalSetup: "./e2e/global-setup.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // The JSON report is what the test command's closing total reads (scripts/test-totals.mjs), one per database.
  reporter: [
    ["list"],
    ["html", { outputFolder: `${ARTIFACTS_DIR}/report`, open: "never" }],
    ["json", { outputFile: `.test-results/playwright-${env.ROLLCALL_E2E_DATABASE}.json` }],
  ],
  use: {
    browserName: "chromium",
    viewport: { width: 1280, height: 800 },
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: chromiumLaunchOptions(env),
  },
});
