// Issue 6 end to end: the customer list over the whole cache (pinyin search, filters in the URL,
// virtual scrolling, bulk actions), the 360 page, the service forms with drafts, the service
// overview, touch and keyboard use, axe-core on every page, and a field rep's offline journey
// against json-server on 127.0.0.1.
import { expect, test, type Page } from "./fixtures";
import { deflateSync } from "node:zlib";
import { axe, connect, customer, jsonServer, openApp, setMyName, synced } from "./helpers";


const desktopOnly = (name: string) => test.skip(name !== "desktop", "journey runs once, at desktop size");

async function firstCustomerHref(page: Page) {
  const first = page.getByTestId("customer-table").locator("tbody tr[data-row]").first().getByRole("link");
  await expect(first).toBeVisible();
  return (await first.getAttribute("href"))!;
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
  // Plan a visit for both: with no name in Settings, the plan asks whose it is first.
  await page.getByTestId("select-all").click();
  await page.locator("#bulk-action").selectOption("visit");
  await expect(page.locator("#bulk-rep")).toHaveValue("");
  await page.getByTestId("bulk-apply").click();
  await expect(page.getByTestId("bulk-message")).toHaveText("Enter whose visit plan this is (or set your name in Settings).");
  await expect(page.locator("#bulk-rep")).toBeFocused();
  await expect(page.getByTestId("nav-pending")).toHaveText("2");
  await page.locator("#bulk-rep").fill("王磊");
  await page.getByTestId("bulk-apply").click();
  await expect(page.getByTestId("bulk-message")).toContainText("2 changes saved");
  await expect(page.getByTestId("nav-pending")).toHaveText("4");
});

test("account teams: two accounts joined by bulk action are \"my accounts\"; one left again on its form", async ({ page }, info) => {
  desktopOnly(info.project.name);
  await setMyName(page, "团队测试");
  await openApp(page, "customers");
  const status = page.getByTestId("result-count");
  const rows = page.getByTestId("customer-table").locator("tbody tr[data-row]");
  const mine = page.getByTestId("my-accounts");
  // Nobody's accounts yet: the toggle shows none, and is said to be on.
  await mine.click();
  await expect(page).toHaveURL(/member=%E5%9B%A2%E9%98%9F%E6%B5%8B%E8%AF%95/);
  await expect(status).toHaveText("Showing 0 of 1000 customers");
  await expect(mine).toHaveAttribute("aria-current", "true");
  await expect(page.getByTestId("active-filters")).toContainText("Account of 团队测试");
  await mine.click();
  await expect(status).toHaveText("Showing 1000 of 1000 customers");
  await expect(mine).not.toHaveAttribute("aria-current", "true");

  // Two accounts joined at once; their names kept for later.
  const names = [(await rows.nth(0).getByRole("link").textContent())!.trim(), (await rows.nth(1).getByRole("link").textContent())!.trim()];
  await rows.nth(0).getByRole("checkbox").check();
  await rows.nth(1).getByRole("checkbox").check();
  await page.locator("#bulk-action").selectOption("add_member");
  await page.locator("#bulk-value").fill(" 团队测试 ");
  await page.getByTestId("bulk-apply").click();
  await expect(page.getByTestId("bulk-message")).toContainText("2 changes saved");
  await mine.click();
  await expect(status).toHaveText("Showing 2 of 1000 customers");
  for (const name of names) await expect(rows.getByRole("link", { name, exact: true })).toBeVisible();

  // On the account's page and form: the team names them; removed there, the account is no longer theirs.
  await rows.getByRole("link", { name: names[0], exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(names[0]);
  await expect(page.locator("dl.profile")).toContainText("团队测试");
  await page.getByTestId("customer-head").getByRole("link", { name: "Edit", exact: true }).click();
  const team = page.locator("#f-team");
  await expect(team).toHaveValue(/团队测试/);
  await team.fill((await team.inputValue()).split(", ").filter((n) => n !== "团队测试").join(", "));
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page).toHaveURL(/\/crm\/customers\/[^/?]+$/);
  await expect(page.locator("dl.profile")).not.toContainText("团队测试");
  await openApp(page, "customers?member=%E5%9B%A2%E9%98%9F%E6%B5%8B%E8%AF%95");
  await expect(status).toHaveText("Showing 1 of 1000 customers");
  await expect(page.locator("#f-member")).toHaveValue("团队测试");
  await expect(rows.getByRole("link", { name: names[1], exact: true })).toBeVisible();
  // A deal and a visit for that account can go to its team: the owner and the team are offered.
  await rows.getByRole("link", { name: names[1], exact: true }).click();
  await page.getByTestId("new-opportunity").click();
  const offered = async (field: string) =>
    page.locator(`#f-${field}`).evaluate((el: HTMLInputElement) => [...(el.list?.options ?? [])].map((o) => o.value));
  expect(await offered("owner")).toContain("团队测试");
  await page.goto(page.url().replace(/opportunities\/new.*$/, "visits/new"));
  await expect(page.locator("#f-rep")).toBeVisible();
  expect(await offered("rep")).toContain("团队测试");
  await openApp(page, "customers?member=%E5%9B%A2%E9%98%9F%E6%B5%8B%E8%AF%95");
  await expect(status).toHaveText("Showing 1 of 1000 customers");

  // Left by bulk action too: none left.
  await page.getByTestId("select-all").click();
  await page.locator("#bulk-action").selectOption("remove_member");
  await page.locator("#bulk-value").fill("团队测试");
  await page.getByTestId("bulk-apply").click();
  await expect(page.getByTestId("bulk-message")).toContainText("1 change saved");
  await expect(status).toHaveText("Showing 0 of 1000 customers");

  // In Chinese.
  await page.getByRole("banner").getByTestId("language").selectOption("zh-Hans");
  await expect(page.getByTestId("my-accounts")).toHaveText("我的客户");
  await expect(page.getByTestId("active-filters")).toContainText("团队测试 的客户");
});

test("typed search wins over a filter changed before the URL caught up; saved views on the list", async ({ page }, info) => {
  desktopOnly(info.project.name);
  await openApp(page, "customers");
  const status = page.getByTestId("result-count");
  await expect(status).toHaveText("Showing 1000 of 1000 customers");
  await page.getByText("Filters and order").click();
  const search = page.getByLabel("Search customers");
  // Type and change a filter in the same moment (well within the 400 ms before the URL follows).
  await page.evaluate(() => {
    const input = document.querySelector<HTMLInputElement>("#customer-search")!;
    input.value = "有限公司";
    input.dispatchEvent(new Event("input", { bubbles: true }));
    const owner = document.querySelector<HTMLSelectElement>("#f-owner")!;
    owner.selectedIndex = 1; // the shared pool
    owner.dispatchEvent(new Event("change", { bubbles: true }));
  });
  await expect(page).toHaveURL(/pool=1/);
  await expect.poll(() => new URL(page.url()).searchParams.get("q")).toBe("有限公司");
  await expect(search).toHaveValue("有限公司");
  await page.waitForTimeout(600);
  await expect(search).toHaveValue("有限公司");
  await expect.poll(() => new URL(page.url()).searchParams.get("q")).toBe("有限公司");
  const both = (await status.textContent())!;
  // A filter chip removed while typing keeps the text too.
  await search.fill("公司");
  await page.getByTestId("active-filters").getByRole("link").first().click();
  await expect(page).not.toHaveURL(/pool=1/);
  await expect(search).toHaveValue("公司");
  await expect.poll(() => new URL(page.url()).searchParams.get("q")).toBe("公司");

  // Save the view, find it on the list, open it, delete it.
  await page.locator("#f-owner").selectOption({ index: 1 });
  await search.fill("有限公司");
  await page.getByTestId("view-name").fill("公海里的公司");
  await page.getByTestId("save-view").click();
  const saved = page.getByTestId("customers-saved-views");
  await expect(saved.getByRole("link", { name: "公海里的公司" })).toBeVisible();
  await openApp(page, "customers");
  await expect(status).toHaveText("Showing 1000 of 1000 customers");
  await saved.getByRole("link", { name: "公海里的公司" }).click();
  await expect(search).toHaveValue("有限公司");
  await expect(status).toHaveText(both);
  await expect(page).toHaveURL(/pool=1/);
  await openApp(page, "segments");
  await expect(page.getByTestId("saved-views").locator("ul > li")).toHaveCount(1);
  await openApp(page, "customers");
  await saved.getByRole("button", { name: "Delete the view 公海里的公司" }).click();
  await expect(saved).toHaveCount(0);
});

test("bulk selection: the 2,000 cap is told and the selection follows the filter", async ({ page }, info) => {
  desktopOnly(info.project.name);
  const many = Array.from({ length: 2050 }, (_, i) => customer(`K${i}`, `批量客户${i}`, i % 2 ? "杭州" : "宁波"));
  const server = await jsonServer({ customers: many });
  try {
    await connect(page, "json-server", server.url);
    await synced(page);
    await page.getByRole("link", { name: "Customers" }).click();
    const status = page.getByTestId("result-count");
    await expect(status).toHaveText("Showing 2050 of 2050 customers", { timeout: 20_000 });
    const bar = page.getByTestId("bulk-bar");
    await page.getByTestId("select-all").click();
    await expect(bar).toContainText("2000 selected");
    await expect(page.getByTestId("bulk-message")).toHaveText("Selected the first 2000 of the 2050 customers shown: one bulk action changes at most 2000 customers.");
    // Narrow the list: the picked customers no longer shown are unpicked, and the user told.
    await page.getByLabel("Search customers").fill("杭州");
    await expect(status).toHaveText("Showing 1025 of 2050 customers");
    await expect(page.getByTestId("bulk-message")).toContainText("selected customers are no longer shown and were unselected");
    const kept = Number((await bar.locator(".count").textContent())!.match(/(\d+) selected/)![1]);
    const dropped = Number((await page.getByTestId("bulk-message").textContent())!.match(/^(\d+)/)![1]);
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(1025);
    expect(kept + dropped).toBe(2000);
    // Every row still picked is one shown: tag them, and only 杭州 customers change.
    await page.locator("#bulk-action").selectOption("add_tag");
    await page.locator("#bulk-value").fill("批量");
    await page.getByTestId("bulk-apply").click();
    await expect(page.getByTestId("bulk-message")).toContainText(`${kept} changes saved`, { timeout: 20_000 });
    await openApp(page, "customers?tag=" + encodeURIComponent("批量") + "&q=" + encodeURIComponent("宁波"));
    await expect(status).toHaveText("Showing 0 of 2050 customers");
  } finally {
    server.stop();
  }
});

test("customer form and ticket drafts: kept across a reload, photos outside localStorage, cleared on save or discard, a full device said", async ({ page }, info) => {
  desktopOnly(info.project.name);
  await openApp(page, "customers/new");
  await page.locator("#f-name").fill("草稿测试精密机械有限公司");
  await page.locator("#f-city").fill("苏州");
  await page.reload();
  await expect(page.getByTestId("draft-restored")).toBeVisible({ timeout: 15_000 });
  await expect(page.locator("#f-name")).toHaveValue("草稿测试精密机械有限公司");
  await expect(page.locator("#f-city")).toHaveValue("苏州");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("草稿测试精密机械有限公司");
  const customerUrl = page.url();
  await openApp(page, "customers/new");
  await expect(page.locator("#f-name")).toHaveValue("");
  await expect(page.getByTestId("draft-restored")).toHaveCount(0);

  // Editing: a draft per customer, discarded on request.
  await page.goto(customerUrl + "/edit");
  await expect(page.getByTestId("customer-form")).toBeVisible({ timeout: 15_000 });
  await page.locator("#f-address").fill("工业园区星湖街 328 号");
  await page.reload();
  await expect(page.locator("#f-address")).toHaveValue("工业园区星湖街 328 号", { timeout: 15_000 });
  await page.getByTestId("draft-discard").click();
  await expect(page.locator("#f-address")).toHaveValue("");
  await page.reload();
  await expect(page.getByTestId("customer-form")).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId("draft-restored")).toHaveCount(0);
  await expect(page.locator("#f-address")).toHaveValue("");

  // A ticket's photo is kept with its draft, in IndexedDB rather than localStorage.
  await page.goto(customerUrl + "/tickets/new");
  await page.locator("#f-title").fill("外壳划伤");
  await page.getByTestId("photo-input").setInputFiles({ name: "scratch.png", mimeType: "image/png", buffer: png() });
  await expect(page.getByTestId("photos").locator("img")).toHaveCount(1);
  const filesKept = () =>
    page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const open = indexedDB.open("kehu:demo");
          open.onsuccess = () => {
            const count = open.result.transaction("files").objectStore("files").count();
            count.onsuccess = () => resolve(count.result);
            count.onerror = () => resolve(-1);
          };
          open.onerror = () => resolve(-1);
        }),
    );
  await expect.poll(filesKept).toBe(1);
  const local = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("kehu.draft.")).map((k) => localStorage.getItem(k)!).join("\n"));
  expect(local).toContain("外壳划伤");
  expect(local).not.toContain("data:image");
  await page.reload();
  await expect(page.getByTestId("draft-restored")).toBeVisible({ timeout: 15_000 });
  await expect(page.locator("#f-title")).toHaveValue("外壳划伤");
  await expect(page.getByTestId("photos").locator("img")).toHaveCount(1);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("timeline")).toContainText("外壳划伤");
  await expect.poll(filesKept).toBe(0);

  // A device whose storage is full: the draft cannot be kept, and the form says so.
  await page.goto(customerUrl + "/edit");
  await expect(page.getByTestId("customer-form")).toBeVisible({ timeout: 15_000 });
  await page.evaluate(() => {
    for (const size of [1 << 20, 1 << 14, 1 << 10, 64]) {
      const chunk = "x".repeat(size);
      try {
        for (let i = 0; ; i++) localStorage.setItem(`e2e.fill.${size}.${i}`, chunk);
      } catch {}
    }
  });
  await page.locator("#f-address").fill("园区".repeat(2000));
  await expect(page.getByTestId("draft-problem")).toHaveText(/could not be kept on this device \(storage is full\)/);
  await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("e2e.fill.")).forEach((k) => localStorage.removeItem(k)));
  await page.locator("#f-address").fill("园区大道 1 号");
  await expect(page.getByTestId("draft-problem")).toBeHidden();
});

test("service overview: SLA states move with the clock, without a reload", async ({ page }, info) => {
  desktopOnly(info.project.name);
  await page.clock.install();
  await setMyName(page, "时钟测试");
  await openApp(page, "customers");
  const href = await firstCustomerHref(page);
  await openApp(page, `${href}/tickets/new`);
  await page.locator("#f-title").fill("四小时内必须处理");
  await page.locator("#f-severity").selectOption("critical");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("timeline")).toContainText("四小时内必须处理");
  await page.getByRole("link", { name: "My day", exact: true }).click();
  const mine = page.getByTestId("my-tickets").locator("li", { hasText: "四小时内必须处理" });
  await expect(mine).toContainText("Due within 24 h");
  await page.clock.fastForward("05:00:00");
  await expect(mine).toContainText("SLA breached");
});

test("360 page, a ticket with validation and a draft kept across a reload, the service overview", async ({ page }, info) => {
  desktopOnly(info.project.name);
  await setMyName(page, "测试代表");
  await openApp(page, "customers?sort=value");
  const href = await firstCustomerHref(page);
  await page.goto(href);
  await expect(page.getByTestId("trend-chart")).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId("receivables")).toContainText("Receivables");
  // Each quarter's sales are on the page (not only in a hover tooltip), and the receivables by age.
  const quarters = page.getByTestId("trend-table").locator("tbody tr");
  expect(await quarters.count()).toBeGreaterThan(0);
  await expect(quarters.first().locator("th")).toHaveText(/^\d{4}-Q[1-4]$/);
  await expect(quarters.first().locator("td")).toHaveText(/\d/);
  const aging = page.getByTestId("aging");
  await expect(aging.locator("tbody th")).toHaveText(["Not yet due", "1–30 days overdue", "31–60 days overdue", "61–90 days overdue", "Over 90 days overdue", "Outstanding"]);
  for (const cell of await aging.locator("tbody td").all()) await expect(cell).toHaveText(/\d/);
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
  await page.getByRole("link", { name: "My day", exact: true }).click();
  await expect(page.getByTestId("sla-grid")).toBeVisible();
  await expect(page.getByRole("heading", { name: "My open tickets" })).toBeVisible();
});

test("touch and keyboard: rows open by tap, controls are reachable with Tab and show focus", async ({ page }, info) => {
  test.skip(info.project.name === "desktop", "touch at tablet sizes");
  await openApp(page, "customers");
  const row = page.getByTestId("customer-table").locator("tbody tr[data-row]").first();
  // The first rows are drawn a moment after the loading screen goes: wait for one (its box is null before).
  await expect(row.getByRole("checkbox")).toBeVisible();
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
  // A customer's quarterly sales and receivables by age are on screen, not behind a hover.
  await openApp(page, "customers?sort=value");
  await page.goto(await firstCustomerHref(page));
  await expect(page.getByTestId("trend-table")).toBeVisible({ timeout: 15_000 });
  await page.getByTestId("aging").scrollIntoViewIfNeeded();
  await expect(page.getByTestId("aging")).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
});

test("on a tablet: the list's rows start within a quarter of the screen; a customer's header stays and each section is one tap away", async ({ page }, info) => {
  test.skip(info.project.name === "desktop", "tablet sizes (768×1024 portrait, 1366×1024 landscape)");
  const screen = page.viewportSize()!;
  // The list: title, search and tools take less than a quarter of the screen below the app's bars,
  // with a filter applied too (its chip and "save this view" shown, the filter panel closed); no
  // blank row above the first one.
  const rows = page.getByTestId("customer-table").locator("tbody tr[data-row]");
  for (const path of ["customers", "customers?warning=1"]) {
    await openApp(page, path);
    await expect(rows.first()).toBeVisible();
    const [toolbar, gap] = await page.evaluate(() => {
      const top = (q: string) => document.querySelector(q)!.getBoundingClientRect().top;
      return [top("[data-testid=customer-table]") - top(".customers-page"), top("tr[data-row]") - document.querySelector("[data-testid=customer-table] thead")!.getBoundingClientRect().bottom];
    });
    expect(toolbar, path).toBeLessThan(screen.height / 4);
    expect(gap, path).toBeLessThan(2);
    await expect(page.getByLabel("Search customers")).toBeVisible();
  }
  await expect(page.getByTestId("active-filters")).toContainText("Order gap warning");
  await expect(page.getByTestId("view-name")).toBeVisible();

  // A customer whose order gap warning fires: the header says so, with the name and the record buttons.
  await rows.first().getByRole("link").tap();
  const head = page.getByTestId("customer-head");
  await expect(head.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(head.getByTestId("head-warning")).toHaveText(/^No order for \d+ days?$/);
  await expect(head.getByTestId("new-visit")).toBeVisible();
  const height = (await head.boundingBox())!.height;
  expect(height).toBeLessThan(screen.height / 4);
  // Each jump is a tap target, and counts what its section holds.
  const nav = page.getByTestId("section-nav");
  for (const link of await nav.getByRole("link").all()) expect((await link.boundingBox())!.height).toBeGreaterThanOrEqual(44);
  const contacts = await page.locator("[data-section=h-contacts] li.contact").count();
  await expect(nav.getByTestId("jump-h-contacts")).toHaveText(new RegExp(`^Contacts\\s*${contacts}$`));

  // One tap: the section's heading is on screen below the header, which is still there.
  await nav.getByTestId("jump-h-contacts").tap();
  await expect(page).toHaveURL(/#h-contacts$/);
  const below = async (id: string) => {
    await expect(page.locator(`#${id}`)).toBeInViewport();
    const [h, b] = [(await page.locator(`#${id}`).boundingBox())!, (await head.boundingBox())!];
    expect(b.y).toBeGreaterThanOrEqual(-1); // the header has not scrolled away
    expect(h.y).toBeGreaterThanOrEqual(b.y + b.height - 1); // nor does it cover the heading
  };
  await below("h-contacts");
  await expect(page.locator("#h-contacts")).toBeFocused();
  // By keyboard: Tab to "Orders & receivables", Enter; then Tab goes on inside that section.
  await nav.getByTestId("jump-h-orders").focus();
  await page.keyboard.press("Enter");
  await below("h-orders");
  await expect(page.locator("#h-orders")).toBeFocused();
  // A reload keeps the section.
  await page.reload();
  await expect(page.locator("#h-orders")).toBeInViewport({ timeout: 30_000 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);

  // In Chinese, the jumps and the warning are translated.
  await page.getByRole("banner").getByTestId("language").selectOption("zh-Hant");
  await expect(nav.getByTestId("jump-h-orders")).toContainText("訂單與應收");
  await expect(head.getByTestId("head-warning")).toHaveText(/^已 \d+ 天未下單$/);
  await page.screenshot({ path: `../../artifacts/customer-head-${info.project.name}.png` });
});

test("axe-core finds no serious or critical violation on any page", async ({ page }) => {
  await openApp(page, "customers");
  await axe(page, "customers");
  const href = await firstCustomerHref(page);
  // The list with a saved view, the filters open and the bulk bar with every control shown.
  await page.getByText("Filters and order").click();
  await page.locator("#f-owner").selectOption({ index: 1 });
  await page.getByTestId("view-name").fill("公海客户");
  await page.getByTestId("save-view").click();
  await expect(page.getByTestId("customers-saved-views")).toContainText("公海客户");
  await page.getByTestId("customer-table").locator("tbody tr[data-row]").first().getByRole("checkbox").check();
  await page.locator("#bulk-action").selectOption("visit");
  await expect(page.locator("#bulk-rep")).toBeVisible();
  await axe(page, "customers with a saved view and the bulk bar");
  for (const path of [href, `${href}/tickets/new`, `${href}/visits/new`, `${href}/surveys/new`, `${href}/contacts/new`, `${href}/edit`, "segments", "service", "sync", "settings"]) {
    await openApp(page, path);
    await expect(page.locator("main h1")).toBeVisible();
    await axe(page, path);
  }
  await openApp(page, "segments");
  await expect(page.getByTestId("saved-views").getByRole("link", { name: "公海客户" })).toBeVisible();
  await axe(page, "segments with a saved view");
  // Forms showing their validation errors.
  for (const [path, form] of [["customers/new", "customer-form"], [`${href}/tickets/new`, "record-form"], [`${href}/surveys/new`, "record-form"]]) {
    await openApp(page, path);
    await page.getByTestId(form).getByRole("button", { name: "Save" }).click();
    await expect(page.locator("[aria-invalid=true]").first()).toBeVisible();
    await expect(page.locator(".error:not(:empty)").first()).toBeVisible();
    await axe(page, `${path} with errors`);
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
