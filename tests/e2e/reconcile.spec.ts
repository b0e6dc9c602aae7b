// Issue 20, item 2: incremental pulls miss what a backend creates without a modification time
// and never hear of deletions; the complete listing ("Sync now", and daily) finds both.
// Real json-server on 127.0.0.1, the app in Chromium.
import { expect, test } from "./fixtures";
import { connect, customer, jsonServer, synced } from "./helpers";

test.describe.configure({ mode: "serial" });
test.beforeEach(({}, info) => test.skip(info.project.name !== "desktop", "sync journeys run once, at desktop size"));

test("Sync now adds what incremental pulls missed and removes what the server deleted", async ({ page }) => {
  const server = await jsonServer({
    customers: [customer("C1", "杭州精工机床有限公司", "杭州"), customer("C2", "Northwind Precision GmbH", "Stuttgart")],
  });
  try {
    await connect(page, "json-server", server.url);
    await synced(page);
    // On the server, behind the app's back: a customer created with no modification time (as
    // some backends do on records made on the server), and one deleted.
    const made = { id: "S9", name: "服务器新建客户", role: "end_customer", region: "华东", country: "CN", city: "无锡", currency: "CNY", payment_terms_days: 30, created_at: "2026-10-02T08:00:00.000Z" };
    expect((await fetch(`${server.url}/customers`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(made) })).status).toBe(201);
    expect((await fetch(`${server.url}/customers/C2`, { method: "DELETE" })).status).toBe(200);

    // The sync the app runs by itself at start pulls what changed since the last one: neither shows.
    const incremental = page.waitForRequest((r) => r.url().includes("/customers?") && r.url().includes("updated_at_gte"));
    await page.reload();
    await incremental;
    await page.getByRole("link", { name: /^Sync/ }).click();
    await synced(page);
    await expect(page.getByTestId("sync-reconciled")).toHaveCount(0);
    await page.getByRole("link", { name: "Customers" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Showing" })).toHaveText("Showing 2 of 2 customers");
    await expect(page.getByText("Northwind Precision GmbH")).toBeVisible();

    // "Sync now": the list matches the server.
    await page.getByRole("link", { name: /^Sync/ }).click();
    await page.getByTestId("sync-now").click();
    // The run starts on the next turn of the page's event loop: wait for its report, then for the rest.
    await expect(page.getByTestId("sync-reconciled")).toContainText("Customers", { timeout: 45_000 });
    await synced(page);
    await page.getByRole("link", { name: "Customers" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Showing" })).toHaveText("Showing 2 of 2 customers");
    await expect(page.getByText("服务器新建客户")).toBeVisible();
    await expect(page.getByText("Northwind Precision GmbH")).toHaveCount(0);

    // In Chinese too. (The page is loaded again, and the sync Kehu runs at start replaces the
    // last run's report with its own, incremental one: the complete listing is asked for again.)
    await page.getByRole("banner").getByTestId("language").selectOption("zh-Hans");
    await page.goto("sync");
    await expect(page.getByTestId("sync-now")).toHaveText("立即同步");
    await expect(page.getByTestId("sync-now")).toBeEnabled();
    await page.getByTestId("sync-now").click();
    await expect(page.getByTestId("sync-reconciled")).toContainText("已与服务器全面核对", { timeout: 45_000 });
  } finally {
    server.stop();
  }
});
