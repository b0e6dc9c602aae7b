// Issue 16, item 1 end to end: the demo reports in CNY at its own rates; a rate removed in
// Settings makes Segments name the currency it leaves out and marks its customers; a rates CSV
// with bad rows keeps the good ones and lists each bad field with its line; a typed-in rate's
// errors name the field; the warning in Chinese once.
import { expect, test } from "./fixtures";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openApp } from "./helpers";

test("reporting currency and exchange rates: Segments says what its figures cover", async ({ page }, info) => {
  test.skip(info.project.name !== "desktop", "once is enough");
  await openApp(page, "segments");
  // The demo ships a rate for each of its currencies: every customer with orders is scored, nothing is left out.
  await expect(page.getByTestId("rfm-scored")).toContainText(/[1-9]\d* customers/);
  await expect(page.getByTestId("fx-coverage")).toContainText("Figures in CNY.");
  await expect(page.getByTestId("fx-missing")).toHaveCount(0);
  const scored0 = Number(((await page.getByTestId("rfm-scored").textContent()) ?? "").match(/\d+/)![0]);

  // Settings lists the demo's rates; the USD one is removed.
  await openApp(page, "settings");
  const card = page.getByTestId("fx-settings");
  await expect(card.getByTestId("fx-reporting")).toHaveValue("CNY");
  await expect(card.getByTestId("fx-rate")).toHaveCount(2);
  await expect(card.locator('[data-testid="fx-rate"][data-currency="USD"]')).toContainText("7.1");
  // The rates are in CNY: the reporting currency does not change under them.
  await card.getByTestId("fx-reporting").fill("EUR");
  await card.getByTestId("fx-reporting").press("Tab");
  await expect(card.getByTestId("fx-reporting-locked")).toHaveText(/^The rates are in units of CNY: export them and remove them first/);
  await expect(card.getByTestId("fx-rate")).toHaveCount(2);
  await card.getByTestId("fx-reporting").fill("CNY");
  await card.getByTestId("fx-reporting").press("Tab");
  await expect(card.getByTestId("fx-reporting-locked")).toHaveCount(0);
  await card.getByRole("button", { name: /^Remove the USD rate valid from \d{4}-\d\d-\d\d$/ }).click();
  await expect(card.getByTestId("fx-rate")).toHaveCount(1);
  await expect(card.getByTestId("fx-status")).toHaveText("Saved; the analysis is being recomputed.");

  // Reloaded (the rates are the workspace's, kept on the device): Segments names USD and what it leaves out.
  await openApp(page, "segments");
  const missing = page.getByTestId("fx-missing");
  await expect(missing).toHaveCount(1, { timeout: 30_000 });
  await expect(missing).toHaveAttribute("data-currency", "USD");
  await expect(missing).toContainText(/^No rate for USD: [1-9]\d* customers?, [1-9]\d* orders? left out of the totals\. Enter rates in Settings$/);
  await expect(missing.getByRole("link", { name: "Enter rates in Settings" })).toHaveAttribute("href", /\/crm\/settings$/);
  const left = Number(((await missing.textContent()) ?? "").match(/: (\d+) customer/)![1]);
  await expect.poll(async () => Number(((await page.getByTestId("rfm-scored").textContent()) ?? "").match(/\d+/)![0])).toBeLessThan(scored0);
  expect(scored0 - Number(((await page.getByTestId("rfm-scored").textContent()) ?? "").match(/\d+/)![0])).toBeLessThanOrEqual(left);

  // In Chinese once.
  await page.getByRole("banner").getByTestId("language").selectOption("zh-Hans");
  await expect(page.getByTestId("fx-coverage")).toContainText("金额以 CNY 计。");
  await expect(missing).toContainText(/^USD 没有汇率：\d+ 个客户、\d+ 笔订单未计入合计。/);
  await page.screenshot({ path: `../../artifacts/fx-segments-zh-Hans.png` });
  await page.getByRole("banner").getByTestId("language").selectOption("en");

  // The list and the customer page mark a USD customer: M and ABC "—", the hint names USD.
  // (Active customers have orders: a customer without orders has nothing left out.)
  await page.goto("customers?currency=USD&stage=active");
  const first = page.getByTestId("customer-table").locator("tbody tr[data-row]").first();
  await expect(first.getByTestId("row-no-rate")).toHaveAttribute("title", /^No exchange rate for USD/);
  await first.getByRole("link").first().click();
  await expect(page.getByTestId("badge-no-rate")).toHaveText("M — · ABC —");
  await expect(page.getByTestId("no-rate-hint")).toHaveText("No exchange rate for USD: its M score and ABC class are not computed.");
  await expect(page.getByTestId("badge-abc")).toHaveCount(0);

  // A rates CSV: the good row is kept, each bad field listed with its line.
  await openApp(page, "settings");
  mkdirSync(info.outputDir, { recursive: true });
  const file = join(info.outputDir, "rates.csv");
  writeFileSync(file, "currency,valid_from,rate\nUSD,2020-01-01,7.1\nEUR,2026-13-01,7.9\nGBP,2025-01-01,abc\n");
  await card.getByTestId("fx-import").setInputFiles(file);
  const result = card.getByTestId("fx-import-result");
  await expect(result).toContainText("1 rate imported.");
  await expect(result).toContainText("2 rows skipped:");
  await expect(result).toContainText("Line 3, Valid from: Not a date (2026-01-31).");
  await expect(result).toContainText("Line 4, Rate (CNY per unit): Not a decimal number (7.8).");
  await expect(card.getByTestId("fx-rate")).toHaveCount(2);
  await expect(card.locator('[data-testid="fx-rate"][data-currency="USD"]')).toContainText("2020-01-01");
  await card.screenshot({ path: "../../artifacts/fx-settings-desktop.png" });

  // A rate typed in: each bad field is named; a good one is added.
  await card.getByTestId("fx-currency").fill("EURO");
  await card.getByTestId("fx-rate-input").fill("0");
  await card.getByTestId("fx-add-button").click();
  const errors = card.getByTestId("fx-errors");
  await expect(errors).toContainText("Currency: Not a known currency code (e.g. EUR).");
  await expect(errors).toContainText("Valid from: Required.");
  await expect(errors).toContainText("Rate (CNY per unit): Must be greater than zero.");
  await expect(card.getByTestId("fx-currency")).toHaveAttribute("aria-invalid", "true");
  await card.getByTestId("fx-currency").fill("gbp");
  await card.getByTestId("fx-valid-from").fill("2025-01-01");
  await card.getByTestId("fx-rate-input").fill("9.2");
  await card.getByTestId("fx-add-button").click();
  await expect(errors.locator("li")).toHaveCount(0);
  await expect(card.locator('[data-testid="fx-rate"][data-currency="GBP"]')).toContainText("9.2");

  // Exported: what was imported and added, read back by the same parser.
  const download = page.waitForEvent("download");
  await card.getByTestId("fx-export").click();
  const csv = readFileSync((await (await download).path())!, "utf8").trim().split(/\r\n/);
  expect(csv[0]).toBe("currency,valid_from,rate");
  expect(csv).toContain("USD,2020-01-01,7.1");
  expect(csv).toContain("GBP,2025-01-01,9.2");
  expect(csv.length).toBe(4);

  // USD has a rate again: nothing left out, every customer scored as at first.
  await openApp(page, "segments");
  await expect.poll(async () => Number(((await page.getByTestId("rfm-scored").textContent()) ?? "0").match(/\d+/)?.[0] ?? 0), { timeout: 30_000 }).toBe(scored0);
  await expect(page.getByTestId("fx-missing")).toHaveCount(0);
});
