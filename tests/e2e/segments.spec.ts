// Issue 5 end to end: the segmentation views computed in the browser from the cached demo
// workspace; every number opens its customers; views saved; CSV out and in; the churn model.
import { expect, test } from "./fixtures";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openApp } from "./helpers";

test("segments: RFM cell, lifecycle, churn warning and the model, each opening its customers", async ({ page }, info) => {
  await openApp(page, "segments");
  const rfm = page.getByTestId("rfm");
  await expect(rfm).toBeVisible();
  // The grid's counts add up to the customers scored; a cell opens exactly its customers.
  const cells = rfm.locator("table.rfm-grid td a");
  await expect(cells).toHaveCount(25);
  const counts = (await cells.allTextContents()).map(Number);
  const scored = Number(((await rfm.locator("p.hint").first().textContent()) ?? "").match(/\d+/)![0]);
  expect(counts.reduce((a, b) => a + b, 0)).toBe(scored);
  expect(scored).toBeGreaterThan(500);
  const best = await page.getByTestId("rfm-5-5").textContent();
  await page.getByTestId("rfm-5-5").click();
  await expect(page).toHaveURL(/\/crm\/customers\?r=5&f=5$/);
  await expect(page.getByRole("status").filter({ hasText: "Showing" })).toContainText(`Showing ${best} of`);
  await expect(page.getByTestId("active-filters")).toContainText("R = 5");

  // Lifecycle: the at-risk bar lists at-risk customers; the customer page says why.
  await page.goBack();
  const risk = page.getByTestId("lifecycle").getByRole("link", { name: /^At risk/ });
  const n = Number(((await risk.locator(".bar-value").textContent()) ?? "0").trim());
  expect(n).toBeGreaterThan(0);
  await risk.click();
  await expect(page.getByRole("status").filter({ hasText: "Showing" })).toContainText(`Showing ${n} of`);

  // The churn list: a warned customer's page shows the warning with its numbers.
  await page.goto("segments");
  await expect(page.getByTestId("churn-all")).toContainText(/\d+ customers are ordering much later/);
  await page.getByTestId("churn").locator("li a").first().click();
  await expect(page.getByTestId("churn-warning")).toContainText(/no order for \d+ days; usually every \d+ days/);
  await expect(page.getByTestId("insights")).toContainText("7P scorecard");
  await expect(page.getByTestId("badge-stage")).toBeVisible();

  // The BG/NBD model is fitted in the page, in steps.
  await page.goto("segments");
  const model = page.getByTestId("model");
  await expect(model).toBeVisible({ timeout: 20_000 });
  for (const p of ["r", "α", "a", "b"]) await expect(model.locator("dt", { hasText: new RegExp(`^${p}$`) })).toHaveCount(1);
  await page.screenshot({ path: `../../artifacts/segments-${info.project.name}.png`, fullPage: true });
});

test("receivables aging and ABC link to their customers; a filtered view is saved and exported", async ({ page }) => {
  await openApp(page, "segments");
  const over90 = page.getByTestId("receivables").getByRole("link", { name: /^Over 90 days overdue/ });
  await over90.click();
  await expect(page).toHaveURL(/aging=over_90/);
  const shown = page.getByRole("status").filter({ hasText: "Showing" });
  await expect(shown).toContainText(/Showing [1-9]\d* of/);
  await page.getByTestId("view-name").fill("逾期 90 天以上");
  await page.getByTestId("save-view").click();
  const download = page.waitForEvent("download");
  await page.getByTestId("export-list").click();
  const file = await download;
  const csv = readFileSync((await file.path())!, "utf8").replace(/^\uFEFF/, "");
  const lines = csv.trim().split(/\r\n/);
  expect(lines[0]).toContain("customer_id,name,currency,first_order");
  expect(lines[0]).toContain("rfm_segment,abc_class");
  const total = Number(((await shown.textContent()) ?? "").match(/Showing (\d+)/)![1]);
  expect(lines.length - 1).toBe(total);

  await page.goto("segments");
  await page.getByTestId("saved-views").getByRole("link", { name: "逾期 90 天以上" }).click();
  await expect(page).toHaveURL(/aging=over_90/);

  await page.goto("segments");
  const a = page.getByTestId("abc").getByRole("link", { name: /^A — / });
  const nA = Number(((await a.locator(".bar-value").textContent()) ?? "0").trim());
  await a.click();
  await expect(page.getByRole("status").filter({ hasText: "Showing" })).toContainText(`Showing ${nA} of`);
});

test("an orders CSV from an ERP imports with a clear error per bad row and changes the analysis", async ({ page }, info) => {
  test.skip(info.project.name !== "desktop", "once is enough");
  await openApp(page, "customers");
  const first = page.getByTestId("customer-table").locator("tbody tr[data-row]").first().getByRole("link");
  const id = decodeURIComponent((await first.getAttribute("href"))!.split("/").pop()!);
  mkdirSync(info.outputDir, { recursive: true });
  const file = join(info.outputDir, "orders.csv");
  writeFileSync(file, `customer_id,date,amount,margin\n${id},2026-11-20,1200.50,300\n${id},20261125,800,\n${id},2026-13-01,5,\n,2026-11-02,9,\n`);
  await page.goto("segments");
  await page.getByTestId("import-orders").setInputFiles(file);
  const result = page.getByTestId("import-result");
  await expect(result).toContainText("Read 4 rows: 2 saved, 2 skipped.");
  await expect(result).toContainText("Line 4, date: not a date");
  await expect(result).toContainText("Line 5, customer_id: is required");
  // The orders are in the workspace (and waiting to sync, like any change).
  await page.goto(`customers/${encodeURIComponent(id)}`);
  await expect(page.locator("section", { hasText: "Orders" }).first()).toContainText("2026-11-25");
  // Importing the same file again changes nothing.
  await page.goto("segments");
  await page.getByTestId("import-orders").setInputFiles(file);
  await expect(result).toContainText("Read 4 rows: 0 saved, 2 skipped.");
});
