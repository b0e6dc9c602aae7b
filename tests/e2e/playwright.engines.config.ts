import { defineConfig } from "@playwright/test";

// The journeys every engine runs (engines/journeys.spec.ts, written once against engines/device.ts):
// chromium through Playwright, firefox (Firefox ESR + geckodriver) and webkit (WebKitGTK's
// MiniBrowser + WebKitWebDriver, under xvfb-run) over W3C WebDriver. scripts/test.sh runs one
// project at a time, so each engine's time and failures are its own:
//   npx playwright test -c playwright.engines.config.ts --project=firefox
// Same nginx as the main suite (global-setup.ts); desktop size only.
export default defineConfig({
  testDir: "./engines",
  testMatch: /.*\.spec\.ts/,
  globalSetup: "./global-setup.ts",
  outputDir: "../../artifacts/engines-results",
  fullyParallel: true,
  workers: 2,
  retries: 0,
  timeout: 150_000,
  expect: { timeout: 20_000 },
  reporter: [["list"], ["./failures-reporter.ts", { file: "journeys-failures.txt" }]],
  projects: [{ name: "chromium" }, { name: "firefox" }, { name: "webkit" }],
});
