import { expect, test, type Page } from "./fixtures";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// Screenshots go to <repo>/artifacts (git-ignored).
const artifacts = join(dirname(fileURLToPath(import.meta.url)), "../../artifacts");
mkdirSync(artifacts, { recursive: true });

async function openApp(page: Page, path = "./") {
  await page.goto(path);
  await expect(page.locator("#boot")).toHaveCount(0); // the wasm app has mounted
  await expect(page.getByTestId("loading")).toHaveCount(0, { timeout: 20_000 }); // the workspace is open
}

test("opens on the labelled demo workspace, finds and opens a customer, switches language", async ({ page }, info) => {
  await openApp(page);
  await expect(page).toHaveURL(/\/crm\/customers$/);
  await expect(page.getByTestId("demo-badge")).toHaveText("Demo data");
  await expect(page.getByRole("note")).toContainText("demo workspace");

  // The demo has 1,000 customers, all in one virtualised list: only the visible rows (and a
  // few more) are in the DOM.
  await expect(page.getByRole("status").filter({ hasText: "Showing" })).toHaveText("Showing 1000 of 1000 customers");
  const rows = page.getByTestId("customer-table").locator("tbody tr[data-row]");
  await expect(rows.first()).toBeVisible();
  const domRows = await rows.count();
  expect(domRows).toBeGreaterThan(5);
  expect(domRows).toBeLessThan(50);

  // Search narrows the list and is kept in the URL.
  const search = page.getByLabel("Search customers");
  await search.fill("有限公司");
  await expect(page).toHaveURL(/\?q=/);
  const status = page.getByRole("status").filter({ hasText: "Showing" });
  await expect(status).not.toHaveText("Showing 1000 of 1000 customers");
  const chineseCount = Number((await status.textContent())!.match(/Showing (\d+)/)![1]);
  expect(chineseCount).toBeGreaterThan(100);
  expect(chineseCount).toBeLessThan(1000);
  await page.reload();
  await expect(page.getByLabel("Search customers")).toHaveValue("有限公司");
  await expect(page.getByRole("status").filter({ hasText: "Showing" })).toHaveText(new RegExp(`Showing ${chineseCount} of 1000`));

  // Open the first customer.
  const first = page.getByTestId("customer-table").locator("tbody tr[data-row]").first().getByRole("link");
  const name = (await first.textContent())!.trim();
  await first.click();
  await expect(page).toHaveURL(/\/crm\/customers\/C\d+/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  for (const section of ["Profile", "Contacts", "Orders", "Invoices", "Service tickets"]) {
    await expect(page.getByRole("heading", { level: 2, name: section })).toBeVisible();
  }

  // Switch to Simplified Chinese: labels translate and <html lang> follows.
  await page.getByTestId("language").selectOption("zh-Hans");
  await expect(page.getByRole("heading", { level: 2, name: "客户档案" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "客户细分" })).toBeVisible();
  await expect(page.getByTestId("demo-badge")).toHaveText("演示数据");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-Hans");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name); // data is not translated

  // The choice is remembered across a reload.
  await page.reload();
  await expect(page.getByRole("heading", { level: 2, name: "应收账款" })).toBeVisible();

  // Traditional Chinese.
  await page.getByTestId("language").selectOption("zh-Hant");
  await expect(page.getByRole("heading", { level: 2, name: "應收帳款" })).toBeVisible();
  await expect(page.getByRole("link", { name: "返回客戶列表" })).toBeVisible();

  await page.screenshot({ path: join(artifacts, `customer-zh-Hant-${info.project.name}.png`), fullPage: true });
});

test("defaults to the browser's language", async ({ browser }) => {
  for (const [locale, nav, lang] of [["zh-CN", "客户细分", "zh-Hans"], ["zh-TW", "客戶分群", "zh-Hant"], ["en-GB", "Segments", "en"]]) {
    const context = await browser.newContext({ locale });
    const page = await context.newPage();
    await openApp(page, "segments");
    await expect(page.getByRole("link", { name: nav })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", lang);
    await context.close();
  }
});

test("every page is built: service overview, sync, settings, not found", async ({ page }) => {
  await openApp(page, "service");
  await expect(page.getByTestId("sla-grid")).toBeVisible();
  await expect(page.getByTestId("pending")).toHaveCount(0);
  await openApp(page, "sync");
  await expect(page.getByTestId("sync-source")).toContainText("demo workspace");
  await expect(page.getByTestId("sync-now")).toHaveCount(0);
  await openApp(page, "settings");
  await expect(page.getByText("Demo workspace: generated from seed")).toBeVisible();
  await expect(page.locator("dl.counts dd").first()).toHaveText("1000");
  await openApp(page, "no/such/page");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
});

test("works by keyboard and by touch at tablet width", async ({ page }, info) => {
  await openApp(page);
  // The skip link is the first stop and moves focus past the navigation.
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator("main")).toBeFocused();

  // Navigation links and customer links are comfortable tap targets.
  for (const link of await page.getByRole("navigation").getByRole("link").all()) {
    const box = (await link.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(44);
  }
  const firstCustomer = page.getByTestId("customer-table").locator("tbody tr[data-row]").first().getByRole("link");
  expect((await firstCustomer.boundingBox())!.height).toBeGreaterThanOrEqual(44);

  if (info.project.name === "tablet") {
    // Nothing overflows the 768 px page sideways; wide tables scroll inside their own box.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await firstCustomer.tap();
    await expect(page).toHaveURL(/\/crm\/customers\/C\d+/);
    const overflowDetail = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflowDetail).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(artifacts, "customer-tablet-768.png"), fullPage: false });
  }
});
