// Issue 20, item 4 end to end: bad fields, not lost records. A real json-server holds customers
// with each kind of malformed value beside clean ones; after the sync every customer is in the
// list, a bad customer's page shows its problems (in English and in 简体中文), the Sync page
// counts them, and a reload keeps them; fixed on the server, a problem goes.
import { expect, test, type Page } from "./fixtures";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { axe, connect, customer, jsonServer, openApp, synced } from "./helpers";

// Screenshots go to <repo>/artifacts (git-ignored).
const artifacts = join(dirname(fileURLToPath(import.meta.url)), "../../artifacts");
mkdirSync(artifacts, { recursive: true });


test.describe.configure({ mode: "serial" });
test.beforeEach(({}, info) => test.skip(info.project.name !== "desktop", "sync journeys run once, at desktop size"));

const T = "2026-10-01T08:00:00.000Z";

test("a malformed field costs that field: every customer listed, its problems shown, counted and kept", async ({ page }) => {
  const noRole = customer("C07", "缺少角色有限公司", "温州");
  delete (noRole as Record<string, unknown>).role;
  const server = await jsonServer({
    customers: [
      customer("C01", "杭州精工机床有限公司", "杭州"),
      customer("C02", "Northwind Precision GmbH", "Stuttgart"),
      customer("C03", "宁波文本额度有限公司", "宁波", { credit_limit: "100" }),
      customer("C04", "Decimal Credit Ltd", "Shanghai", { credit_limit: 12.5 }),
      customer("C05", "无时间有限公司", "苏州", { updated_at: null, created_at: null }),
      customer("C06", "Zero Time Co", "Wuxi", { updated_at: 0, created_at: 0 }),
      noRole,
      customer("C08", "Nul\u0000 Industries", "Xiamen"),
      customer("C09", "未知角色有限公司", "绍兴", { role: "reseller" }),
      customer("C10", "Tag Mix Ltd", "Suzhou", { tags: ["ok", 5, { x: 1 }] }),
      { name: "没有编号的客户", role: "oem", updated_at: T },
    ],
    orders: [
      { id: "O1", customer_id: "C04", date: "2026-03-01", amount: 3000, status: "confirmed", updated_at: T,
        lines: [{ product: "Gear", quantity: "x", unit_price: 1000 }] },
    ],
  });
  try {
    await connect(page, "json-server", server.url);
    await synced(page);

    // Every customer with an id is there; the one without is listed as skipped, with a reason in words.
    await expect(page.getByTestId("data-problem-count")).toHaveText("7 records have data problems.");
    await expect(page.getByTestId("data-problem-row")).toHaveCount(7);
    await axe(page, "Sync page with data problems");
    await expect(page.getByTestId("last-sync")).toContainText("1 record from the server could not be read");
    await page.getByTestId("last-sync").locator("summary").click();
    await expect(page.getByTestId("skipped-record")).toHaveText("Customers: it has no usable id");
    await expect(page.getByTestId("last-sync")).not.toContainText("column");
    await page.getByRole("link", { name: "Customers" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Showing" })).toHaveText("Showing 10 of 10 customers");

    // The bad customer's page: its own problem and its order's, with field, value and what is shown.
    await page.goto("customers/C04");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Decimal Credit Ltd");
    const section = page.getByTestId("data-problems");
    await expect(section.getByRole("heading", { level: 2 })).toHaveText("Data problems");
    const credit = section.locator('[data-field="credit_limit"]');
    await expect(credit).toHaveText("Credit limit: 12.5 — not a valid amount: left empty");
    await expect(section.getByTestId("data-problem-record")).toHaveText("Orders · O1");
    await expect(section.locator('[data-field="lines[0].quantity"]')).toHaveText('Line 1 · Quantity: "x" — not a number: a default is shown');
    // The rest of the record is there.
    await expect(page.getByRole("heading", { level: 2, name: "Orders" })).toBeVisible();
    await axe(page, "customer page with data problems");
    await section.screenshot({ path: join(artifacts, "data-problems-customer.png") });

    // Clean customers have no such section; a numeric string was simply read.
    await page.goto("customers/C03");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("宁波文本额度有限公司");
    await expect(page.getByTestId("data-problems")).toHaveCount(0);
    await page.goto("customers/C05");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("无时间有限公司");
    await expect(page.getByTestId("data-problems")).toHaveCount(0);

    // A NUL is removed (and said); a missing role gets the default and is said too.
    await page.goto("customers/C08");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Nul Industries");
    await expect(page.getByTestId("data-problems").locator('[data-field="name"]')).toHaveText(
      'Name: "Nul\\u0000 Industries" — contains control characters: they were removed');
    await page.goto("customers/C07");
    await expect(page.getByTestId("data-problems").locator('[data-field="role"]')).toHaveText(
      "Supply-chain role: (nothing) — missing: a default is shown");
    await page.goto("customers/C06");
    await expect(page.getByTestId("data-problems").locator('[data-field="updated_at"]')).toHaveText(
      "Updated: 0 — not a date and time: the time this device first saw the record is shown");

    // In Simplified Chinese.
    await page.goto("customers/C04");
    await page.getByTestId("language").selectOption("zh-Hans");
    await expect(section.getByRole("heading", { level: 2 })).toHaveText("数据问题");
    await expect(credit).toHaveText("信用额度：12.5 — 不是有效金额：已留空");
    await expect(section.getByTestId("data-problem-record")).toHaveText("订单 · O1");
    await page.getByRole("link", { name: /^同步/ }).click();
    await expect(page.getByTestId("data-problem-count")).toHaveText("有 7 条记录存在数据问题。");
    await page.getByTestId("sync-data-problems").screenshot({ path: join(artifacts, "data-problems-sync-zh-Hans.png") });

    // A reload keeps them (stored with the records), still in Chinese.
    await page.reload();
    await openApp(page, "sync");
    await expect(page.getByTestId("data-problem-count")).toHaveText("有 7 条记录存在数据问题。");
    await page.goto("customers/C04");
    await expect(page.getByTestId("data-problems").locator('[data-field="credit_limit"]')).toHaveText("信用额度：12.5 — 不是有效金额：已留空");
    await page.getByTestId("language").selectOption("en");

    // Fixed on the server: read clean at the next sync, the problem goes.
    const fixed = await fetch(`${server.url}/customers/C04`, {
      method: "PATCH", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ credit_limit: 1250 }),
    });
    expect(fixed.ok).toBe(true);
    await page.getByRole("link", { name: /^Sync/ }).click();
    await page.getByTestId("sync-now").click();
    await expect(page.getByTestId("data-problem-count")).toHaveText("6 records have data problems.", { timeout: 30_000 });
    await page.goto("customers/C04");
    await expect(page.getByTestId("data-problems").locator('[data-field="credit_limit"]')).toHaveCount(0);
    await expect(page.getByTestId("data-problems").locator('[data-field="lines[0].quantity"]')).toHaveCount(1);

    // Fixed by the user: the role chosen in the form clears that problem at once.
    await page.goto("customers/C07/edit");
    await expect(page.getByTestId("customer-form")).toBeVisible({ timeout: 20_000 });
    await page.locator("#f-role").selectOption("distributor");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page).toHaveURL(/\/crm\/customers\/C07$/);
    await expect(page.getByTestId("data-problems")).toHaveCount(0);
    await synced(page);
    await expect(page.getByTestId("data-problem-count")).toHaveText("5 records have data problems.");
    expect(server.db().customers.find((c: any) => c.id === "C07").role).toBe("distributor");
  } finally {
    server.stop();
  }
});
