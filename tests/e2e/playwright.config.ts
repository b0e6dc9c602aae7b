import { defineConfig } from "@playwright/test";

// Debian's Chromium, never a downloaded browser. The release build in ../../dist is served by
// Debian's nginx under /crm/ on 127.0.0.1, with the headers of deploy/nginx.conf (global-setup.ts
// starts it through scripts/nginx.sh and stops it afterwards).
//
// Convention for specs: baseURL ends in /crm/, so navigate with *relative* paths —
// `page.goto("customers")`, `openApp(page, "customers/C1")`, never "/customers" (that would leave
// the sub-path) — and assert URLs with `expect(page).toHaveURL(/\/crm\/customers$/)` or `url("customers")`.
const port = Number(process.env.KEHU_E2E_PORT ?? 8091);
// KEHU_E2E_SUBPATH=/ runs the suite against a build for the root (deploy.spec.ts assumes /crm/).
export const subpath = process.env.KEHU_E2E_SUBPATH ?? "/crm/";

export default defineConfig({
  testDir: ".",
  testMatch: /.*\.spec\.ts/,
  testIgnore: "engines/**", // the journeys of every engine: playwright.engines.config.ts (a glob: relative to testDir)
  globalSetup: "./global-setup.ts",
  outputDir: "../../artifacts/test-results",
  fullyParallel: true,
  workers: 2,
  retries: 0,
  timeout: 90_000,
  // CI has two cores shared by the wasm build, three engines and this suite: a screen that follows
  // a sync or a chunk load can take longer than Playwright's default 5 s there. Assertions that
  // hold pass at once; only the wait for a slow screen grows.
  expect: { timeout: 15_000 },
  reporter: [["list"], ["./failures-reporter.ts", { file: "e2e-failures.txt" }]],
  use: {
    baseURL: `http://127.0.0.1:${port}${subpath}`,
    locale: "en-US",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [
    { name: "desktop", use: { browserName: "chromium", viewport: { width: 1280, height: 800 } } },
    { name: "tablet", use: { browserName: "chromium", viewport: { width: 768, height: 1024 }, hasTouch: true, isMobile: false } },
    {
      name: "tablet-landscape",
      testMatch: /workspace\.spec\.ts/,
      use: { browserName: "chromium", viewport: { width: 1366, height: 1024 }, hasTouch: true, isMobile: false },
    },
  ],
});
