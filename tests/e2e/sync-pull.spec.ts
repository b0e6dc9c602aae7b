// Issue 20, items 1 and 7, end to end: how the pull copes with backends as they are. A backend
// pulled in full (no `modified_since`) sends a customer created in Kehu back in the same run that
// creates it: the list must show it once, before any reload. A backend without one of the
// profile's collections (404) must not stop the pull of the others.
import { expect, test, type Page } from "./fixtures";
import { readFileSync } from "node:fs";
import { customer, jsonServer, openApp, synced } from "./helpers";

test.beforeEach(({}, info) => test.skip(info.project.name !== "desktop", "sync journeys run once, at desktop size"));

const preset = () => JSON.parse(readFileSync(new URL("../../src/core/rest/presets/json-server.json", import.meta.url), "utf8"));

/** Settings → the profile's JSON typed in (a custom profile), the address, "Save and connect". */
async function connectProfile(page: Page, profile: Record<string, unknown>, url: string) {
  await openApp(page, "settings");
  await page.locator("details:has([data-testid=profile-json]) > summary").click();
  await page.getByTestId("profile-json").fill(JSON.stringify(profile, null, 2));
  await page.getByTestId("backend-url").fill(url);
  await page.getByTestId("save-backend").click();
  await expect(page.getByTestId("workspace-source")).toContainText(url, { timeout: 30_000 });
}

test("a backend pulled in full: a customer created in Kehu is listed once after the sync that sends it, before any reload", async ({ page }) => {
  const server = await jsonServer({ customers: [customer("C1", "温州港务物流", "温州"), customer("C2", "Baltic Freight OÜ", "Tallinn")] });
  try {
    // json-server without the "modified since" filter (every sync pulls every record), assigning
    // the ids of new customers itself (Kehu's own id is not sent): the create's answer and the
    // pull's copy are the same new record, under an id Kehu had not seen before that run.
    const profile = { ...preset(), name: "json-server, full pull", preset: undefined, base_url: server.url };
    for (const r of Object.values(profile.resources) as Record<string, unknown>[]) delete r.modified_since;
    profile.resources.customers.send_id_on_create = false;
    await connectProfile(page, profile, server.url);
    await synced(page);
    const nav = page.locator("nav.main-nav");
    await nav.getByRole("link", { name: "Customers" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Showing" })).toHaveText("Showing 2 of 2 customers");

    await page.getByRole("link", { name: "New customer" }).click();
    await page.locator("#f-name").fill("全量拉取新建客户");
    await page.locator("#f-city").fill("台州");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("全量拉取新建客户");
    const localId = decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!);
    // The run that sends it also pulls it back (a full pull).
    await synced(page);
    const created = server.db().customers.filter((c: any) => c.name === "全量拉取新建客户");
    expect(created).toHaveLength(1);
    expect(created[0].id, "the server gave the customer its own id").not.toBe(localId);
    await nav.getByRole("link", { name: "Customers" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Showing" })).toHaveText("Showing 3 of 3 customers");
    await expect(page.getByTestId("customer-table").locator("tbody tr[data-row]").filter({ hasText: "全量拉取新建客户" })).toHaveCount(1);
    // And the next sync (a full pull again) keeps it once.
    await page.goto("sync");
    await page.getByTestId("sync-now").click();
    await synced(page);
    await nav.getByRole("link", { name: "Customers" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Showing" })).toHaveText("Showing 3 of 3 customers");
  } finally {
    server.stop();
  }
});

test("a backend without one of the profile's collections (404): the Sync page names it and the others are pulled", async ({ page }) => {
  const t = "2026-10-01T08:00:00.000Z";
  const server = await jsonServer({
    customers: [customer("C1", "宁波海帆液压", "宁波"), customer("C2", "Northwind Precision GmbH", "Stuttgart")],
    tickets: [{ id: "T1", customer_id: "C1", kind: "complaint", stage: "after_sales", severity: "high", status: "open", title: "液压站漏油",
      opened_at: t, sla_due: "2026-10-02T08:00:00.000Z", updated_at: t }],
  });
  try {
    // The profile names a contacts collection this server does not have (json-server answers 404);
    // contacts are pulled after customers and before tickets.
    const profile = { ...preset(), name: "json-server, no contacts", preset: undefined, base_url: server.url };
    profile.resources.contacts.collection = "/partner-contacts";
    await connectProfile(page, profile, server.url);
    await synced(page);
    const last = page.getByTestId("last-sync");
    await expect(last).toContainText(/contacts/i);
    await expect(last).not.toContainText("The server does not have this record.");
    // The customers and (after the missing collection) the tickets are there.
    await page.locator("nav.main-nav").getByRole("link", { name: "Customers" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Showing" })).toHaveText("Showing 2 of 2 customers");
    await page.getByTestId("customer-table").locator('a[href$="/customers/C1"]').click();
    await expect(page.getByTestId("timeline")).toContainText("液压站漏油");
  } finally {
    server.stop();
  }
});
