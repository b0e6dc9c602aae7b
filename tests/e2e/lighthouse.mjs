// Lighthouse (desktop preset) against a served build, with Debian's Chromium. Prints
//   lighthouse_performance N, lighthouse_accessibility N, lighthouse_best_practices N  (0–100)
// and writes the full report to artifacts/lighthouse.html.
// Usage: node lighthouse.mjs <url> [report.html]
import { writeFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";

const url = process.argv[2];
const report = process.argv[3];
if (!url) {
  console.error("usage: node lighthouse.mjs <url> [report.html]");
  process.exit(2);
}
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH ?? "/usr/bin/chromium",
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--lang=en-US"],
});
try {
  const result = await lighthouse(url, { port: chrome.port, output: "html", logLevel: "error", onlyCategories: ["performance", "accessibility", "best-practices"] }, desktopConfig);
  if (!result) throw new Error("lighthouse returned no result");
  const { categories, audits } = result.lhr;
  if (report) {
    mkdirSync(dirname(report), { recursive: true });
    writeFileSync(report, result.report);
  }
  const score = (c) => Math.round((categories[c]?.score ?? 0) * 100);
  console.log(`lighthouse_performance: ${score("performance")} score`);
  console.log(`lighthouse_accessibility: ${score("accessibility")} score`);
  console.log(`lighthouse_best_practices: ${score("best-practices")} score`);
  // What cost points, for whoever wants to raise them (stderr, so the figures stay clean).
  for (const c of ["performance", "accessibility", "best-practices"]) {
    for (const ref of categories[c].auditRefs) {
      const a = audits[ref.id];
      if (ref.weight > 0 && a.score !== null && a.score < 0.9) {
        console.error(`  ${c}: ${a.id} ${a.score} ${a.displayValue ?? ""}`);
        for (const item of (a.details?.items ?? []).slice(0, 5)) console.error(`    ${JSON.stringify(item).slice(0, 300)}`);
      }
    }
  }
} finally {
  await chrome.kill();
}
