// Issue 6 end to end: the customer list over the whole cache (pinyin search, filters in the URL,
// virtual scrolling, bulk actions), the 360 page, the service forms with drafts, the service
// overview, touch and keyboard use, axe-core on every page, and a field rep's offline journey
// against json-server on 127.0.0.1.
import { expect, test, type Page } from "./fixtures";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { deflateSync } from "node:zlib";
import { connect, customer, jsonServer, openApp, synced } from "./helpers";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const desktopOnly = (name: string) => test.skip(name !== "desktop", "journey runs once, at desktop size");

async function firstCustomerHref(page: Page) {
  const first = page.getByTestId("customer-table").locator("tbody tr[data-row]").first().getByRole("link");
  await expect(first).toBeVisible();
  return (await first.getAttribute("href"))!;
}

/** Runs axe-core on the page; fails on serious or critical violations. */
async function axe(page: Page, where: string) {
  await page.evaluate(axeSource);
  const violations: any[] = await page.evaluate(async () => {
    const r = await (window as any).axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v: any) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n: any) => n.target.join(" ")) }));
  });
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad, `${where}: ${JSON.stringify(bad, null, 1)}`).toEqual([]);
}

/** A small real PNG (a photo stand-in for the camera input). */
function png(w = 64, h = 48): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) raw.set([x * 4, y * 5, 128], y * (w * 3 + 1) + 1 + x * 3);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

test("customer list: pinyin search, filters and order in the URL, virtual scrolling, bulk actions", async ({ page }, info) => {
  desktopOnly(info.project.name);
  await openApp(page, "customers");
  const status = page.getByTestId("result-count");
  await expect(status).toHaveText("Showing 1000 of 1000 customers");
  const rows = page.getByTestId("customer-table").locator("tbody tr[data-row]");

  // Full pinyin and initials find Chinese names (the table loads after the first rows).
  const search = page.getByLabel("Search customers");
  await search.fill("youxiangongsi");
  await expect(status).not.toHaveText(/Showing (0|1000) of/, { timeout: 15_000 });
  const byPinyin = Number((await status.textContent())!.match(/Showing (\d+)/)![1]);
  await search.fill("有限公司");
  await expect(status).toHaveText(`Showing ${byPinyin} of 1000 customers`);
  await search.fill("yxgs");
  await expect(status).not.toHaveText(/Showing 0 of/);
  await expect(rows.first().getByRole("link")).toContainText("有限公司");
  await expect(page).toHaveURL(/\?q=yxgs/);

  // Virtual scrolling: 1,000 rows, a few dozen in the DOM, the last one reachable.
  await search.fill("");
  await expect(status).toHaveText("Showing 1000 of 1000 customers");
  const list = page.getByTestId("customer-list");
  await list.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(page.locator('tr[data-row="999"]')).toBeVisible();
  expect(await rows.count()).toBeLessThan(50);

  // Filters and order live in the URL and survive a reload.
  await page.getByText("Filters and order").click();
  await page.locator("#f-owner").selectOption({ index: 1 }); // the shared pool
  await expect(page).toHaveURL(/pool=1/);
  const pool = Number((await status.textContent())!.match(/Showing (\d+)/)![1]);
  expect(pool).toBeGreaterThan(0);
  expect(pool).toBeLessThan(1000);
  await expect(rows.first().locator(".badge-pool")).toBeVisible();
  await page.locator("#f-sort").selectOption("name");
  await expect(page).toHaveURL(/sort=name/);
  await page.reload();
  await expect(status).toHaveText(`Showing ${pool} of 1000 customers`);
  await expect(page.locator("#f-sort")).toHaveValue("name");

  // Bulk: pick two customers, tag them; both edits go to the outbox at once.
  await rows.nth(0).getByRole("checkbox").check();
  await rows.nth(1).getByRole("checkbox").check();
  await expect(page.getByTestId("bulk-bar")).toContainText("2 selected");
  await page.locator("#bulk-action").selectOption("add_tag");
  await page.locator("#bulk-value").fill("展会线索");
  await page.getByTestId("bulk-apply").click();
  await expect(page.getByTestId("bulk-message")).toContainText("2 changes saved");
  await expect(page.getByTestId("nav-pending")).toHaveText("2");
  await openApp(page, "customers?tag=" + encodeURIComponent("展会线索"));
  await expect(status).toHaveText("Showing 2 of 1000 customers");
  // Back to the pool's owner: assign both to a rep, then plan a visit for them.
  await page.getByTestId("select-all").click();
  await page.locator("#bulk-action").selectOption("visit");
  await page.getByTestId("bulk-apply").click();
  await expect(page.getByTestId("bulk-message")).toContainText("2 changes saved");
});

test("360 page, a ticket with validation and a draft kept across a reload, the service overview", async ({ page }, info) => {
  desktopOnly(info.project.name);
  await openApp(page, "settings");
  await page.locator("#my-name").fill("测试代表");
  await page.getByTestId("save-name").click();
  await openApp(page, "customers?sort=value");
  const href = await firstCustomerHref(page);
  await page.goto(href);
  await expect(page.getByTestId("trend-chart")).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId("receivables")).toContainText("Receivables");
  await expect(page.getByTestId("badge-stage")).toBeVisible();
  await expect(page.getByTestId("timeline")).toBeVisible();
  const mail = page.locator('a[href^="mailto:"]').first();
  if (await mail.count()) expect(await mail.getAttribute("href")).toMatch(/^mailto:[^\s]+@/);

  await page.getByTestId("new-ticket").click();
  await expect(page.getByTestId("record-form")).toBeVisible();
  await page.getByRole("button", { name: "Save" }).click();
  const title = page.locator("#f-title");
  await expect(title).toHaveAttribute("aria-invalid", "true");
  await expect(title).toBeFocused();
  await expect(page.locator("#e-title")).toHaveText("This field is required.");

  await title.fill("主轴异响，需现场检查");
  await page.locator("#f-severity").selectOption("critical");
  await expect(page.getByTestId("sla-hint")).toContainText("4 h");
  await page.locator("#f-description").fill("客户反映 3 号机床主轴有异响。");
  await page.reload();
  await expect(page.getByTestId("draft-restored")).toBeVisible({ timeout: 15_000 });
  await expect(page.locator("#f-title")).toHaveValue("主轴异响，需现场检查");
  await expect(page.locator("#f-severity")).toHaveValue("critical");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("timeline")).toContainText("主轴异响，需现场检查");
  await expect(page.getByTestId("nav-pending")).toHaveText("1");

  // Resolving needs a resolution note.
  await page.getByTestId("timeline").getByRole("link", { name: "主轴异响，需现场检查" }).click();
  await page.locator("#f-status").selectOption("resolved");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.locator("#e-resolution")).not.toBeEmpty();
  await page.locator("#f-resolution").fill("更换轴承后试机正常");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("timeline")).toContainText("Resolved");

  // A survey with an out-of-range score is refused field by field.
  await page.getByTestId("new-survey").click();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.locator("#e-csat")).not.toBeEmpty();
  await page.locator("#f-csat").selectOption("4");
  await page.locator("#f-nps").selectOption("9");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("timeline")).toContainText("CSAT 4 · NPS 9");

  // The service overview counts open tickets by severity and SLA state.
  await page.getByRole("link", { name: "Service", exact: true }).click();
  await expect(page.getByTestId("sla-grid")).toBeVisible();
  await expect(page.getByRole("heading", { name: "My open tickets" })).toBeVisible();
});

test("touch and keyboard: rows open by tap, controls are reachable with Tab and show focus", async ({ page }, info) => {
  test.skip(info.project.name === "desktop", "touch at tablet sizes");
  await openApp(page, "customers");
  const row = page.getByTestId("customer-table").locator("tbody tr[data-row]").first();
  const box = (await row.getByRole("checkbox").boundingBox())!;
  expect(box.height).toBeGreaterThanOrEqual(44);
  expect(box.width).toBeGreaterThanOrEqual(44);
  const name = (await row.getByRole("link").textContent())!.trim();
  await row.getByRole("link").tap();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  // Keyboard: from the search box, Tab reaches the first row's link and Enter opens it.
  await openApp(page, "customers");
  await page.getByLabel("Search customers").focus();
  let reached = false;
  for (let i = 0; i < 40 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => !!document.activeElement?.closest("tr[data-row]") && document.activeElement?.tagName === "A");
  }
  expect(reached).toBe(true);
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
  expect(outline).not.toBe("none");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/customers\/[^/]+$/);
  // Nothing wider than the screen.
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
});

test("axe-core finds no serious or critical violation on any page", async ({ page }) => {
  await openApp(page, "customers");
  await axe(page, "customers");
  const href = await firstCustomerHref(page);
  for (const path of [href, `${href}/tickets/new`, `${href}/visits/new`, `${href}/surveys/new`, `${href}/contacts/new`, `${href}/edit`, "segments", "service", "sync", "settings"]) {
    await openApp(page, path);
    await expect(page.locator("main h1")).toBeVisible();
    await axe(page, path);
  }
});

test("field rep: finds a customer by pinyin, logs a visit and a complaint with a photo offline, both reach the backend", async ({ page, context }, info) => {
  desktopOnly(info.project.name);
  const server = await jsonServer({
    customers: [customer("C1", "杭州机床有限公司", "杭州"), customer("C2", "宁波海帆液压", "宁波"), customer("C3", "Northwind Precision GmbH", "Stuttgart")],
    contacts: [{ id: "P1", customer_id: "C1", name: "张敏", title: "采购经理", email: "zhang@hzjc.example", mobile: "+86 138 0000 0001", primary: true,
      created_at: "2026-10-01T08:00:00.000Z", updated_at: "2026-10-01T08:00:00.000Z" }],
  });
  try {
    await context.grantPermissions(["geolocation"]);
    await context.setGeolocation({ latitude: 30.274085, longitude: 120.15507, accuracy: 15 });
    await connect(page, "json-server", server.url);
    await synced(page);
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.getByRole("link", { name: "Customers" }).click();
    await page.getByLabel("Search customers").fill("hzjc");
    const rows = page.getByTestId("customer-table").locator("tbody tr[data-row]");
    await expect(rows).toHaveCount(1, { timeout: 15_000 });
    await rows.first().getByRole("link", { name: "杭州机床有限公司" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("杭州机床有限公司");
    await expect(page.locator('a[href="tel:+8613800000001"]')).toBeVisible();

    await context.setOffline(true);
    await page.getByTestId("new-visit").click();
    await page.getByLabel("张敏").check();
    await page.locator("#f-notes").fill("试机正常，客户关注交期。");
    await page.locator("#f-outcome").fill("确认二季度追加订单");
    await page.getByTestId("locate").click();
    await expect(page.locator("#f-location")).toHaveValue(/^30\.27\d+,120\.15\d+/);
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByTestId("timeline")).toContainText("确认二季度追加订单");

    await page.getByTestId("new-ticket").click();
    await page.locator("#f-title").fill("液压阀漏油");
    await page.locator("#f-kind").selectOption("complaint");
    await page.getByTestId("photo-input").setInputFiles({ name: "leak.png", mimeType: "image/png", buffer: png() });
    await expect(page.getByTestId("photos").locator("img")).toHaveCount(1);
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByTestId("timeline")).toContainText("液压阀漏油");
    await expect(page.getByTestId("nav-pending")).toHaveText("2");

    await page.reload();
    await expect(page.getByTestId("timeline")).toContainText("液压阀漏油", { timeout: 20_000 });
    await expect(page.getByTestId("timeline")).toContainText("确认二季度追加订单");
    expect(server.db().visits).toHaveLength(0);

    await context.setOffline(false);
    await synced(page);
    const db = server.db();
    expect(db.visits).toHaveLength(1);
    expect(db.visits[0]).toMatchObject({ customer_id: "C1", outcome: "确认二季度追加订单", contacts_met: ["P1"] });
    expect(db.visits[0].location.lat).toBeCloseTo(30.274085, 4);
    expect(db.tickets).toHaveLength(1);
    expect(db.tickets[0]).toMatchObject({ customer_id: "C1", title: "液压阀漏油", kind: "complaint", status: "open" });
    expect(db.tickets[0].photos[0].data_url).toMatch(/^data:image\/jpeg;base64,/);
  } finally {
    server.stop();
  }
});
