// Issue 14 end to end: on a tablet with no network, a rep logs a visit, makes an opportunity of
// it (prefilled from the visit), moves it to "quote" on the pipeline board by keyboard; the move
// survives a reload; back online the deal, its stage history and its source are on json-server.
// On the demo workspace, a manager's forecast by month and rep changes with a move on the board
// (exactly: the deal's amount and probabilities), a lost deal asks for its reason, the pipeline
// exports with its computed columns, in Chinese too; axe-core finds nothing serious. Against
// BottleCRM (started by the test command) the tablet journey runs too: a visit, a deal from it, two
// moves offline, and the deal on the real server once online. A deal's quote is attached as a
// document, kept, downloaded byte for byte and removed.
import { expect, test, type Page } from "./fixtures";
import { readFileSync } from "node:fs";
import { axe, bottleCrm, connect, customer, jsonServer, openApp, synced } from "./helpers";


/** "¥1,234,567.89" in minor units. */
const minor = (text: string) => Math.round(Number(text.replace(/[^\d.]/g, "")) * 100);

test.describe.configure({ mode: "serial" });

test("offline on a tablet: a visit becomes an opportunity, moved to quote by keyboard, on json-server once online", async ({ page, context }, info) => {
  test.skip(info.project.name !== "tablet", "the rep's journey on a 768×1024 touch screen");
  const server = await jsonServer({ customers: [customer("C1", "杭州精工机床有限公司", "杭州")] });
  try {
    await connect(page, "json-server", server.url);
    await synced(page);
    await page.evaluate(() => navigator.serviceWorker.ready);
    await context.setOffline(true);
    await expect(page.getByTestId("offline")).toBeVisible();

    // A visit report, by touch.
    await page.goto("customers/C1");
    await page.getByTestId("new-visit").tap();
    await page.locator("#f-outcome").fill("扩产：需要 12 台五轴加工中心");
    await page.locator("#f-next_step").fill("发送报价");
    await page.getByRole("button", { name: "Save" }).tap();
    // Back on the customer's page, which offers the next step as a task (tasks.spec.ts).
    await expect(page).toHaveURL(/\/crm\/customers\/C1\?offer=[^#]+#h-tasks$/);
    await expect(page.getByTestId("task-offer")).toBeVisible();

    // From the visit: a new opportunity, prefilled with what the visit said.
    await page.getByTestId("deal-from-visit").first().tap();
    await expect(page.locator("#f-title")).toHaveValue("扩产：需要 12 台五轴加工中心");
    await expect(page.locator("#f-next_step")).toHaveValue("发送报价");
    await expect(page.locator("#f-source")).toHaveValue("visit");
    await expect(page.locator("#f-stage")).toHaveValue("lead");
    await expect(page.locator("#f-probability")).toHaveValue("10");
    // A bad amount is named, nothing is lost.
    await page.locator("#f-amount").fill("1.200.000");
    await page.getByRole("button", { name: "Save" }).tap();
    await expect(page.locator("#f-amount")).toHaveAttribute("aria-invalid", "true");
    await expect(page.locator("#f-title")).toHaveValue("扩产：需要 12 台五轴加工中心");
    await page.locator("#f-amount").fill("1,200,000");
    await page.locator("#f-expected_close").fill("2027-03-31");
    await page.getByRole("button", { name: "Save" }).tap();
    await expect(page).toHaveURL(/\/crm\/customers\/C1$/);
    const row = page.getByTestId("opportunity-row");
    await expect(row).toHaveCount(1);
    await expect(row).toContainText("Lead");
    await expect(row).toContainText("¥1,200,000.00");
    await expect(row).toContainText("¥120,000.00"); // weighted at 10 %

    // The board: one card in "Lead", moved to "Quote" with the keyboard only.
    await page.getByRole("link", { name: "Pipeline", exact: true }).tap();
    const lane = (stage: string) => page.locator(`[data-testid="lane"][data-stage="${stage}"]`);
    await expect(lane("lead").getByTestId("lane-count")).toHaveText("1");
    await expect(lane("lead").getByTestId("lane-amount")).toHaveText("¥1,200,000.00");
    await expect(lane("lead").getByTestId("lane-weighted")).toHaveText("weighted ¥120,000.00");
    await expect(page.getByTestId("lane")).toHaveCount(7);
    await page.screenshot({ path: "../../artifacts/pipeline-board-tablet.png" });
    const picker = lane("lead").getByTestId("deal-stage");
    await picker.focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowDown");
    await expect(picker).toHaveValue("quote");
    await page.keyboard.press("Tab");
    await expect(lane("lead").getByTestId("deal-move")).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(lane("quote").getByTestId("lane-count")).toHaveText("1");
    await expect(lane("lead").getByTestId("lane-count")).toHaveText("0");
    await expect(page.getByTestId("pipeline-status")).toHaveText("“扩产：需要 12 台五轴加工中心” moved to Quote.");
    // The keyboard stays on the card in its new column; its weighted value is the quote's 60 %.
    await expect(lane("quote").getByTestId("deal-stage")).toBeFocused();
    await expect(lane("quote").getByTestId("lane-weighted")).toHaveText("weighted ¥720,000.00");
    // Nothing wider than the screen: the board scrolls sideways inside itself.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);

    // A reload with no network keeps it there; the backend has nothing yet.
    await page.reload();
    await openApp(page, "pipeline");
    await expect(lane("quote").getByTestId("lane-count")).toHaveText("1");
    expect(server.db().opportunities).toHaveLength(0);
    // The deal's page: where it came from and its moves.
    await lane("quote").locator(".deal-title").tap();
    await expect(page.getByTestId("deal-move-row")).toHaveCount(2);
    await expect(page.getByTestId("deal-move-row").nth(0)).toContainText("Lead");
    await expect(page.getByTestId("deal-move-row").nth(1)).toContainText(/Quote.*\(so far\)/);
    await expect(page.getByTestId("deal-source")).toHaveText("Came from: Visit");
    await expect(page.getByTestId("deal-source").getByRole("link")).toHaveAttribute("href", /\/crm\/customers\/C1\/visits\//);

    // Back online: the deal, its history and its source reach json-server.
    await context.setOffline(false);
    await synced(page);
    const db = server.db();
    expect(db.visits).toHaveLength(1);
    expect(db.opportunities).toHaveLength(1);
    const o = db.opportunities[0];
    expect(o).toMatchObject({ customer_id: "C1", stage: "quote", probability: 60, amount: 120000000, currency: "CNY", expected_close: "2027-03-31", source: "visit", source_id: db.visits[0].id });
    expect(o.history.map((h: any) => h.stage)).toEqual(["lead", "quote"]);

    // The list view with a filter in the URL finds it; another stage does not.
    await openApp(page, "pipeline?view=list&stage=quote");
    await expect(page.getByTestId("deal-row")).toHaveCount(1);
    await openApp(page, "pipeline?view=list&stage=lead");
    await expect(page.getByTestId("deal-row")).toHaveCount(0);
    await expect(page.getByTestId("pipeline-count")).toHaveText("0 opportunities");
  } finally {
    server.stop();
  }
});

test("demo: the forecast by month and rep follows a move on the board; a lost deal asks its reason; export; Chinese; axe", async ({ page }, info) => {
  test.skip(info.project.name !== "desktop", "the manager's view, once at desktop size");
  await openApp(page, "pipeline");
  const lane = (stage: string) => page.locator(`[data-testid="lane"][data-stage="${stage}"]`);
  // The demo has deals in every open stage, in CNY at its rates.
  for (const s of ["lead", "qualified", "solution", "quote", "negotiation"]) {
    await expect(lane(s).getByTestId("lane-count")).not.toHaveText("0");
    await expect(lane(s).getByTestId("lane-amount")).toHaveText(/^¥[\d,]+\.\d\d$/);
  }
  await axe(page, "pipeline board");

  // A CNY deal in "quote" with a close date: its amount, month and owner.
  const card = lane("quote").locator('[data-testid="deal-card"]').filter({ has: page.locator(".deal-amount", { hasText: /^¥/ }) }).filter({ has: page.locator(".deal-close", { hasText: /^\d{4}-\d\d-\d\d · [^—\s]/ }) }).first();
  const id = (await card.getAttribute("data-id"))!;
  const amount = minor((await card.locator(".deal-amount").textContent())!.split(" · ")[0]);
  const [date, owner] = (await card.locator(".deal-close").textContent())!.split(" · ");
  const month = date.slice(0, 7);
  expect(amount).toBeGreaterThan(0);

  // The forecast by month and rep, before.
  await page.getByTestId("pipeline-forecast-view").click();
  await expect(page.getByTestId("forecast-coverage")).toHaveText("Figures in CNY.");
  const cell = page.locator(`[data-testid="forecast-cell"][data-month="${month}"][data-key="${owner}"]`);
  const figures = async () => {
    const tds = await cell.locator("td").allTextContents();
    // month, rep, open, weighted, committed, best case, won
    return { open: minor(tds[2]), weighted: minor(tds[3]), committed: minor(tds[4]) };
  };
  const before = await figures();
  await axe(page, "pipeline forecast");

  // Moved to negotiation on the board (the stage picker, then Move).
  await page.getByTestId("pipeline-board-view").click();
  const moving = page.locator(`[data-testid="deal-card"][data-id="${id}"]`);
  await moving.getByTestId("deal-stage").selectOption("negotiation");
  await moving.getByTestId("deal-move").click();
  await expect(lane("negotiation").locator(`[data-testid="deal-card"][data-id="${id}"]`)).toHaveCount(1);

  // After: open unchanged; weighted up by 80 % − 60 % of the amount; committed up by the amount.
  await page.getByTestId("pipeline-forecast-view").click();
  await expect.poll(async () => (await figures()).committed).toBe(before.committed + amount);
  const after = await figures();
  expect(after.open).toBe(before.open);
  expect(after.weighted - before.weighted).toBe(Math.round((amount * 80) / 100) - Math.round((amount * 60) / 100));
  // Win rates and stuck deals are shown; by region on request (in the URL).
  await expect(page.getByTestId("win-rate").first()).toBeVisible();
  await page.getByTestId("forecast-by").selectOption("region");
  await expect(page).toHaveURL(/view=forecast&by=region/);
  await expect(page.getByRole("heading", { name: "By close month and Region" })).toBeVisible();

  // In Chinese.
  await page.getByRole("banner").getByTestId("language").selectOption("zh-Hans");
  await expect(page.getByRole("heading", { name: "按成交月份预测" })).toBeVisible();
  await expect(page.getByTestId("forecast-coverage")).toHaveText("金额以 CNY 计。");
  await page.screenshot({ path: "../../artifacts/pipeline-forecast-zh-Hans.png", fullPage: false });
  await page.getByRole("banner").getByTestId("language").selectOption("en");

  // Lost on the board: the deal's form opens at that stage and asks for the reason.
  await page.getByTestId("pipeline-board-view").click();
  const losing = lane("lead").locator('[data-testid="deal-card"]').first();
  const lostTitle = (await losing.locator(".deal-title").textContent())!;
  await losing.getByTestId("deal-stage").selectOption("lost");
  await losing.getByTestId("deal-move").click();
  await expect(page).toHaveURL(/\/opportunities\/[^/?]+\?stage=lost$/);
  await expect(page.locator("#f-stage")).toHaveValue("lost");
  await expect(page.locator("#f-probability")).toHaveValue("0");
  await axe(page, "opportunity form");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.locator("#f-lost_reason")).toHaveAttribute("aria-invalid", "true");
  await page.locator("#f-lost_reason").selectOption("price");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page).toHaveURL(/\/crm\/customers\/[^/]+$/);
  const row = page.getByTestId("opportunity-row").filter({ hasText: lostTitle });
  await expect(row).toContainText("Lost");
  await expect(row).toContainText("Price");

  // The list with its export: every computed column.
  await openApp(page, "pipeline?view=list&stage=negotiation");
  await expect(page.getByTestId("deal-row").first()).toBeVisible();
  await axe(page, "pipeline list");
  const download = page.waitForEvent("download");
  await page.getByTestId("export-pipeline").click();
  const text = readFileSync(await (await download).path(), "utf8");
  const [header, ...lines] = text.trim().split(/\r?\n/);
  expect(header).toContain("weighted");
  expect(header).toContain("days_in_stage");
  expect(lines.length).toBe(await page.getByTestId("deal-row").count());
  expect(text).toContain(id);

  // By the customers' RFM segment (from the analysis; in the URL too).
  await openApp(page, "pipeline?view=list");
  const count = async () => Number(((await page.getByTestId("pipeline-count").textContent()) ?? "").match(/\d+/)![0]);
  const all = await count();
  const segment = page.getByTestId("pipeline-segment");
  await expect(segment.locator("option")).not.toHaveCount(1, { timeout: 30_000 });
  await segment.selectOption({ index: 1 });
  await expect(page).toHaveURL(/[?&]segment=/);
  await expect.poll(count).toBeLessThan(all);
  expect(await count()).toBeGreaterThan(0);

  // A potential customer with an open deal is "in pursuit".
  await openApp(page, "customers?stage=in_pursuit");
  await expect(page.getByRole("status").filter({ hasText: "Showing" })).toHaveText(/^Showing [1-9]\d* of \d+ customers$/);
});

test("offline on a tablet against BottleCRM: a visit becomes a deal, moved through the stages, on the real server once online", async ({ page, context }, info) => {
  test.skip(info.project.name !== "tablet", "the rep's journey on a 768×1024 touch screen");
  test.setTimeout(150_000); // a Django server on a busy two-core machine
  const bottle = bottleCrm();
  test.skip(!bottle, "BottleCRM is started by the test command (make test)");
  const { url, token, api } = bottle!;
  // Names are unique per org on BottleCRM, and the server outlives a run.
  const tag = Date.now().toString(36);
  const account = await api("/api/accounts/", { method: "POST", body: JSON.stringify({ name: `E2E 机载设备 ${tag}`, city: "Xi'an", country: "CN" }) });
  await connect(page, "bottlecrm", url, token);
  await synced(page);
  // Settings says which stages BottleCRM can keep, and names one it cannot.
  await page.getByRole("link", { name: "Settings" }).tap();
  const note = page.getByTestId("stages-backend");
  await expect(note).toHaveText("This backend keeps deals in these stages only: Lead, Qualified, Solution / sample, Quote, Negotiation, Won, Lost.");
  await page.getByTestId("stages-new-name").fill("Tender");
  await page.getByTestId("stages-new-probability").fill("50");
  await page.getByTestId("stages-add-button").tap();
  await expect(note).toHaveText("This backend has no place for Tender: a deal moved there is refused when it is sent (move its deals and remove it, or map it in the backend profile).");
  await page.locator('[data-testid="stage-row"][data-stage="tender"]').getByTestId("stage-remove").tap();
  await expect(note).toHaveText(/^This backend keeps deals in these stages only/);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await context.setOffline(true);
  await expect(page.getByTestId("offline")).toBeVisible();

  // A visit report at the customer's site, then a deal from it, by touch.
  await page.goto(`customers/${account.id}`);
  await page.getByTestId("new-visit").tap();
  // BottleCRM keeps no visit reports: the form says this one stays on the device.
  await expect(page.getByTestId("form-kept-here")).toHaveText("This backend has no place for Visits: this record is kept on this device only.");
  const title = `线束 40 套 ${tag}`;
  await page.locator("#f-outcome").fill(title);
  await page.locator("#f-next_step").fill("发送样品");
  await page.getByRole("button", { name: "Save" }).tap();
  await expect(page).toHaveURL(new RegExp(`/crm/customers/${account.id}\\?offer=[^#]+#h-tasks$`));
  await page.getByTestId("deal-from-visit").first().tap();
  await expect(page.locator("#f-title")).toHaveValue(title);
  await expect(page.locator("#f-stage")).toHaveValue("lead");
  await page.locator("#f-amount").fill("350,000");
  await page.locator("#f-expected_close").fill("2027-06-30");
  // BottleCRM keeps no documents with a deal: the form says so rather than lose them.
  await expect(page.getByTestId("fixed-attachments")).toContainText("This backend has no field for it.");
  await page.getByRole("button", { name: "Save" }).tap();
  await expect(page).toHaveURL(new RegExp(`/crm/customers/${account.id}$`));
  await expect(page.getByTestId("opportunity-row")).toHaveCount(1);

  // Through the stages on the board (the deals of other runs are filtered out by the search).
  await openApp(page, `pipeline?q=${tag}`);
  const lane = (stage: string) => page.locator(`[data-testid="lane"][data-stage="${stage}"]`);
  await expect(lane("lead").getByTestId("lane-count")).toHaveText("1");
  for (const stage of ["qualified", "quote"]) {
    const card = page.getByTestId("deal-card");
    await card.getByTestId("deal-stage").selectOption(stage);
    await card.getByTestId("deal-move").tap();
    await expect(lane(stage).getByTestId("lane-count")).toHaveText("1");
  }
  await expect(lane("quote").getByTestId("lane-weighted")).toHaveText("weighted ¥210,000.00");
  // Kept across a reload with no network.
  await page.reload();
  await openApp(page, `pipeline?q=${tag}`);
  await expect(lane("quote").getByTestId("lane-count")).toHaveText("1");

  // Online: the deal is on BottleCRM under its own id, at BottleCRM's stage for a quote.
  await context.setOffline(false);
  await synced(page);
  // The visit report waits on the device, neither sent nor refused.
  const kept = page.getByTestId("outbox-item").filter({ hasText: "Visits" });
  await expect(kept.getByTestId("kept-here")).toHaveText("Kept on this device");
  await expect(page.getByTestId("outbox-item").getByText("Refused")).toHaveCount(0);
  await openApp(page, `pipeline?q=${tag}`);
  const id = await lane("quote").getByTestId("deal-card").getAttribute("data-id");
  const on = (await api(`/api/opportunities/${id}/`)).opportunity_obj;
  expect(on).toMatchObject({ name: title, stage: "PROPOSAL", probability: 60, amount: "350000.00", currency: "CNY", closed_on: "2027-06-30" });
  expect(on.account.id).toBe(account.id);
});

test("a deal's quote as a document: attached, kept offline with the deal, downloaded byte for byte, removed; a wrong file refused by name", async ({ page }, info) => {
  test.skip(info.project.name !== "desktop", "once, at desktop size");
  await openApp(page, "pipeline");
  const lane = (stage: string) => page.locator(`[data-testid="lane"][data-stage="${stage}"]`);
  const card = lane("quote").getByTestId("deal-card").first();
  const id = (await card.getAttribute("data-id"))!;
  await card.locator(".deal-title").click();
  await expect(page.getByTestId("record-form")).toBeVisible();
  const docs = page.getByTestId("document");
  await expect(docs).toHaveCount(0);
  await expect(page.getByTestId("documents")).toHaveText("No documents yet.");
  // A PDF quote of 2,345 bytes (any bytes: the app keeps them as they are).
  const pdf = Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.from(Array.from({ length: 2336 }, (_, i) => (i * 37) % 256))]);
  await page.getByTestId("document-input").setInputFiles({ name: "报价单 Q-2026-118.pdf", mimeType: "application/pdf", buffer: pdf });
  await expect(docs).toHaveCount(1);
  await expect(docs).toContainText("报价单 Q-2026-118.pdf");
  await expect(docs.getByTestId("document-meta")).toHaveText("PDF · 3 KB");
  // Not a document: refused, naming the file; what was attached stays.
  await page.getByTestId("document-input").setInputFiles({ name: "setup.exe", mimeType: "application/octet-stream", buffer: Buffer.from("MZ") });
  await expect(page.getByTestId("documents-status")).toHaveText("setup.exe was not attached: only PDF, image, Word or Excel files up to 1.4 MB.");
  await expect(docs).toHaveCount(1);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page).not.toHaveURL(/opportunities/);

  // Kept with the deal across a reload; downloaded, it is the same file.
  await openApp(page, "pipeline");
  await page.locator(`[data-testid="deal-card"][data-id="${id}"] .deal-title`).click();
  await expect(docs).toHaveCount(1);
  const [download] = await Promise.all([page.waitForEvent("download"), docs.getByTestId("document-download").click()]);
  expect(download.suggestedFilename()).toBe("报价单 Q-2026-118.pdf");
  const path = await download.path();
  expect(Buffer.compare(readFileSync(path!), pdf)).toBe(0);
  // In Chinese; then removed and saved.
  await page.getByRole("banner").getByTestId("language").selectOption("zh-Hans");
  await expect(page.getByRole("group", { name: "报价单及文件" })).toBeVisible();
  await page.getByRole("banner").getByTestId("language").selectOption("en");
  await docs.getByRole("button", { name: "Remove 报价单 Q-2026-118.pdf" }).click();
  await expect(docs).toHaveCount(0);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page).not.toHaveURL(/opportunities/);
  await openApp(page, "pipeline");
  await page.locator(`[data-testid="deal-card"][data-id="${id}"] .deal-title`).click();
  await expect(page.getByTestId("documents")).toHaveText("No documents yet.");
});

test("a column's 'more in the list' link keeps the board's filter", async ({ page }, info) => {
  test.skip(info.project.name !== "desktop", "once, at desktop size");
  // The demo's Kevin Zhang has won more deals than a column shows (40 cards).
  await openApp(page, `pipeline?owner=${encodeURIComponent("Kevin Zhang")}`);
  const won = page.locator('[data-testid="lane"][data-stage="won"]');
  const count = Number(await won.getByTestId("lane-count").textContent());
  expect(count).toBeGreaterThan(40);
  await expect(won.getByTestId("deal-card")).toHaveCount(40);
  await won.getByRole("link", { name: `${count - 40} more in the list` }).click();
  await expect(page).toHaveURL(/view=list/);
  await expect(page).toHaveURL(/stage=won/);
  await expect(page).toHaveURL(/owner=Kevin(\+|%20)Zhang/);
  await expect(page.getByTestId("pipeline-count")).toHaveText(`${count} opportunities`);
  await expect(page.getByTestId("pipeline-owner")).toHaveValue("Kevin Zhang");
});

test("a reload of /pipeline fetches the pipeline's code while the cache is read, not after it", async ({ page }, info) => {
  test.skip(info.project.name !== "desktop", "once, at desktop size");
  await openApp(page, "pipeline");
  await expect(page.getByTestId("pipeline-board")).toBeVisible();
  // A fresh page of the same browser (its HTTP cache and service worker hold the code): when
  // does the pipeline's chunk get asked for, against when the workspace is open?
  const fresh = await page.context().newPage();
  const events: string[] = [];
  fresh.on("request", (r) => {
    if (/\/split_pipeline\.wasm$/.test(r.url())) events.push("chunk");
  });
  fresh.on("console", (m) => {
    if (m.text().startsWith("kehu: workspace")) events.push("open");
  });
  await fresh.goto("pipeline");
  await expect(fresh.getByTestId("pipeline-board")).toBeVisible({ timeout: 30_000 });
  expect(events.slice(0, 2)).toEqual(["chunk", "open"]);
  // The customer list (the start-up page) fetches no page's code ahead.
  const list = await page.context().newPage();
  const asked: string[] = [];
  list.on("request", (r) => {
    if (/\/split_[a-z_]+\.wasm$/.test(r.url())) asked.push(r.url().split("/").pop()!);
  });
  await openApp(list, "customers");
  await expect(list.getByTestId("customer-table")).toBeVisible();
  expect(asked.filter((n) => /pipeline|segments|service|admin|records/.test(n))).toEqual([]);
});
