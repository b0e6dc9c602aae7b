// Issue 20 end to end (items 3, 6, 7): fields a backend cannot take shown fixed with the reason,
// one form straight to another's, blank names, right-to-left overrides in backend text, and form
// drafts an older build kept under another key — against json-server on 127.0.0.1 and the demo.
import { expect, test, type Page } from "./fixtures";
import { customer, jsonServer, openApp, synced } from "./helpers";

test.beforeEach(({}, info) => test.skip(info.project.name !== "desktop", "journeys run once, at desktop size"));

const T = "2026-10-01T08:00:00.000Z";

/** Settings → json-server preset at `url`, the profile JSON changed by `edit`, saved. */
async function connectWith(page: Page, url: string, edit: (profile: any) => void) {
  await openApp(page, "settings");
  await page.getByTestId("preset").selectOption("json-server");
  await page.getByTestId("backend-url").fill(url);
  await page.getByText("Backend profile (JSON)").first().click();
  const json = page.getByTestId("profile-json");
  const profile = JSON.parse(await json.inputValue());
  edit(profile);
  await json.fill(JSON.stringify(profile, null, 2));
  await page.getByTestId("save-backend").click();
  await expect(page.getByTestId("workspace-source")).toContainText(url, { timeout: 30_000 });
}

/** Goes to `path` inside the app without loading the page (as a link or the history would). */
async function navigateInApp(page: Page, path: string) {
  await page.evaluate((p) => {
    history.pushState(null, "", new URL(p, document.baseURI).pathname);
    dispatchEvent(new PopStateEvent("popstate", { state: null }));
  }, path);
}

test("fields the backend has no place for, or sets itself, are shown fixed with the reason", async ({ page }) => {
  const server = await jsonServer({
    customers: [customer("C1", "杭州精工机床", "杭州", { industry: "机床" })],
    contacts: [{ id: "K1", customer_id: "C1", name: "王伟", department: "采购部", created_at: T, updated_at: T }],
  });
  try {
    await connectWith(page, server.url, (p) => {
      p.resources.customers.mapping = {
        fields: [
          { kehu: "industry", remote: "industry", read_only: true },
          { kehu: "region", default: "华东" },
        ],
      };
      p.resources.contacts.mapping = { fields: [{ kehu: "department", remote: "department", read_only: true }] };
    });
    await synced(page);
    await page.goto("customers/C1/edit");
    await expect(page.getByTestId("customer-form")).toBeVisible({ timeout: 20_000 });
    const industry = page.getByTestId("fixed-industry");
    await expect(industry).toContainText("机床");
    await expect(industry).toContainText("Fixed The backend sets this field.");
    await expect(page.getByTestId("fixed-region")).toContainText("华东");
    await expect(page.getByTestId("fixed-region")).toContainText("This backend has no field for it.");
    await expect(page.locator("input#f-industry, input#f-region")).toHaveCount(0);
    await expect(page.locator("input#f-city")).toBeEditable();
    await page.getByTestId("language").selectOption("zh-Hant");
    await expect(industry).toContainText("固定 此欄位由後端設定。");
    await expect(page.getByTestId("fixed-region")).toContainText("此後端沒有對應的欄位。");
    await page.getByTestId("language").selectOption("en");
    // Saving sends what the backend takes; the fixed values stay as the backend has them.
    await page.locator("#f-city").fill("绍兴");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page).toHaveURL(/\/crm\/customers\/C1$/);
    await synced(page);
    const c1 = server.db().customers[0];
    expect([c1.city, c1.industry, c1.region]).toEqual(["绍兴", "机床", "华东"]);

    // A record form too.
    await page.goto("customers/C1/contacts/K1");
    await expect(page.getByTestId("record-form")).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId("fixed-department")).toContainText("采购部");
    await expect(page.getByTestId("fixed-department")).toContainText("The backend sets this field.");
    await expect(page.locator("input#f-name")).toHaveValue("王伟");
  } finally {
    server.stop();
  }
});

test("one customer's or record's form straight to another's shows the other's values, also back and forward", async ({ page }) => {
  const server = await jsonServer({
    customers: [customer("C1", "甲方机械", "杭州"), customer("C2", "乙方液压", "宁波")],
    contacts: [
      { id: "K1", customer_id: "C1", name: "张一", created_at: T, updated_at: T },
      { id: "K2", customer_id: "C2", name: "李二", created_at: T, updated_at: T },
    ],
  });
  try {
    await connectWith(page, server.url, () => {});
    await synced(page);
    await page.goto("customers/C1/edit");
    await expect(page.locator("#f-name")).toHaveValue("甲方机械", { timeout: 20_000 });
    await page.locator("#f-address").fill("一号路");
    await navigateInApp(page, "customers/C2/edit");
    await expect(page.locator("#f-name")).toHaveValue("乙方液压");
    await expect(page.locator("#f-city")).toHaveValue("宁波");
    await expect(page.locator("#f-address")).toHaveValue("");
    await page.goBack();
    await expect(page).toHaveURL(/\/crm\/customers\/C1\/edit$/);
    await expect(page.locator("#f-name")).toHaveValue("甲方机械");
    await expect(page.locator("#f-address")).toHaveValue("一号路", { timeout: 5_000 }); // its draft
    await page.goForward();
    await expect(page.locator("#f-name")).toHaveValue("乙方液压");
    await expect(page.locator("#f-address")).toHaveValue("");

    await page.goto("customers/C1/contacts/K1");
    await expect(page.locator("#f-name")).toHaveValue("张一", { timeout: 20_000 });
    await navigateInApp(page, "customers/C2/contacts/K2");
    await expect(page.locator("#f-name")).toHaveValue("李二");
    await expect(page.getByTestId("back-to-customer")).toHaveText("← 乙方液压");
    await page.goBack();
    await expect(page.locator("#f-name")).toHaveValue("张一");
    await expect(page.getByTestId("back-to-customer")).toHaveText("← 甲方机械");
  } finally {
    server.stop();
  }
});

test("a blank name is refused by the form and shown as (no name) when it comes from the backend", async ({ page }) => {
  const server = await jsonServer({
    customers: [customer("C1", "Acme", "Ningbo"), customer("C2", "  \u200b ", "Wuxi")],
    contacts: [{ id: "K1", customer_id: "C2", name: " ", created_at: T, updated_at: T }],
  });
  try {
    await connectWith(page, server.url, () => {});
    await synced(page);
    await page.goto("customers");
    const row = page.getByTestId("customer-table").locator("tbody tr[data-row]").filter({ hasText: "Wuxi" });
    await expect(row.getByRole("link")).toHaveText("(no name)");
    await row.getByRole("link").click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("(no name)");
    await expect(page.locator(".contact strong")).toHaveText("(no name)");
    await page.goto("customers/C2/tickets/new");
    await expect(page.getByTestId("back-to-customer")).toHaveText("← (no name)", { timeout: 20_000 });
    await page.getByTestId("language").selectOption("zh-Hans");
    await expect(page.getByTestId("back-to-customer")).toHaveText("← （无名称）");
    await page.getByTestId("language").selectOption("en");

    // The form refuses a name of only spaces (or invisible characters), at the field.
    await page.goto("customers/C1/edit");
    await page.locator("#f-name").fill("   ");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.locator("#e-name")).toHaveText("This field is required.");
    await expect(page.locator("#f-name")).toHaveAttribute("aria-invalid", "true");
    await page.locator("#f-name").fill("\u200b\u202e");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.locator("#e-name")).toHaveText("This field is required.");
    await page.getByTestId("language").selectOption("zh-Hans");
    await expect(page.locator("#e-name")).toHaveText("此项为必填项。");
    await page.getByTestId("language").selectOption("en");
    await expect(page).toHaveURL(/\/crm\/customers\/C1\/edit$/);
    expect(server.db().customers[0].name).toBe("Acme");
  } finally {
    server.stop();
  }
});

test("right-to-left overrides in backend text cannot reorder the page around them", async ({ page }) => {
  const evil = "\u202eRLO Trading";
  const server = await jsonServer({
    customers: [customer("C1", evil, "Ningbo")],
    contacts: [{ id: "K1", customer_id: "C1", name: "\u202eAli", primary: true, created_at: T, updated_at: T }],
    tickets: [
      {
        id: "T1", customer_id: "C1", kind: "complaint", stage: "after_sales", severity: "high", status: "open",
        title: "\u202eleaking seal", opened_at: "2026-01-01T00:00:00.000Z", sla_due: "2026-01-02T00:00:00.000Z", updated_at: T,
      },
    ],
  });
  try {
    await connectWith(page, server.url, () => {});
    await synced(page);
    await page.goto("customers");
    const link = page.getByTestId("customer-table").getByRole("link", { name: "RLO Trading" });
    await expect(link).toHaveCSS("unicode-bidi", "isolate");
    await link.click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("RLO Trading");
    await expect(page.getByRole("heading", { level: 1 }).locator("bdi")).toHaveCSS("unicode-bidi", "isolate");
    await expect(page.locator(".contact strong bdi")).toHaveCSS("unicode-bidi", "isolate");
    await page.goto("customers/C1/contacts/K1");
    await expect(page.getByTestId("back-to-customer").locator("bdi")).toHaveCSS("unicode-bidi", "isolate");

    // On the customer's page a contact's name is followed, on the same line, by its "Primary"
    // badge: with the override isolated, the badge stays to the right of the name.
    await page.goto("customers/C1");
    const card = page.locator("li.contact").filter({ hasText: "Ali" });
    const name = await card.locator("strong").boundingBox();
    const badge = await card.locator(".badge").boundingBox();
    expect(name && badge && Math.abs(badge.y - name.y) < name.height && badge.x >= name.x + name.width - 1, JSON.stringify([name, badge])).toBe(true);
    // The Service page: the breached ticket's title link is isolated too.
    await page.goto("service");
    const item = page.getByTestId("urgent-tickets").locator("li").filter({ hasText: "leaking seal" });
    await expect(item.getByRole("link", { name: "leaking seal" })).toHaveCSS("unicode-bidi", "isolate");
  } finally {
    server.stop();
  }
});

test("drafts an older version kept under another key are found by their form; drafts that can never be found are forgotten", async ({ page }) => {
  await openApp(page, "customers");
  const first = page.getByTestId("customer-table").locator("tbody tr[data-row]").first().getByRole("link");
  const id = decodeURIComponent((await first.getAttribute("href"))!.split("/").pop()!);
  const key = (ws: string, kind: string, customer: string, record: string) => "kehu.draft." + JSON.stringify([ws, kind, customer, record]);
  const photo = {
    name: "seal.png",
    data_url:
      "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  };
  const gone = key("demo", "contacts", id, "no-such-contact");
  const kept = key("demo", "customers", id, id);
  await page.evaluate(
    async ({ id, gone, kept, photo }) => {
      localStorage.setItem(`kehu.draft.contacts.${id}.new`, JSON.stringify({ fields: { name: "旧版草稿联系人" }, photos: [] }));
      localStorage.setItem(`kehu.draft.tickets.${id}.new`, JSON.stringify({ fields: { title: "旧版草稿工单" }, photos: [photo] }));
      localStorage.setItem("kehu.draft.visits.no-such-customer.new", JSON.stringify({ fields: { notes: "x" }, photos: [] }));
      localStorage.setItem(gone, JSON.stringify({ fields: { name: "gone" }, photos: 1 }));
      localStorage.setItem("kehu.draft." + JSON.stringify(["b-0000000000000000", "customers", "x", "x"]), JSON.stringify({ fields: { name: "x" } }));
      localStorage.setItem(kept, JSON.stringify({ fields: { address: "保留的草稿" } }));
      await new Promise<void>((resolve, reject) => {
        const open = indexedDB.open("kehu:demo");
        open.onsuccess = () => {
          const tx = open.result.transaction("files", "readwrite");
          tx.objectStore("files").put(JSON.stringify([photo]), gone + ".photos");
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        };
        open.onerror = () => reject(open.error);
      });
    },
    { id, gone, kept, photo },
  );
  const drafts = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("kehu.draft.")).sort());
  const file = (k: string) =>
    page.evaluate(
      (k) =>
        new Promise<string | null>((resolve) => {
          const open = indexedDB.open("kehu:demo");
          open.onsuccess = () => {
            const get = open.result.transaction("files").objectStore("files").get(k);
            get.onsuccess = () => resolve(get.result ?? null);
            get.onerror = () => resolve(null);
          };
          open.onerror = () => resolve(null);
        }),
      k,
    );

  // When the workspace opens: the drafts of a record, a customer or a workspace that is gone
  // are forgotten (with the photos); those that can still be found stay.
  await page.reload();
  await openApp(page, "customers");
  await expect
    .poll(drafts, { timeout: 15_000 })
    .toEqual([`kehu.draft.contacts.${id}.new`, `kehu.draft.tickets.${id}.new`, kept].sort());
  await expect.poll(() => file(gone + ".photos")).toBeNull();

  // Its form finds an older version's draft and moves it to today's key.
  await page.goto(`customers/${encodeURIComponent(id)}/contacts/new`);
  await expect(page.locator("#f-name")).toHaveValue("旧版草稿联系人", { timeout: 20_000 });
  await expect(page.getByTestId("draft-restored")).toBeVisible();
  await expect.poll(drafts).toEqual([key("demo", "contacts", id, "new"), `kehu.draft.tickets.${id}.new`, kept].sort());
  // A ticket's with its photo, which moves to IndexedDB.
  await page.goto(`customers/${encodeURIComponent(id)}/tickets/new`);
  await expect(page.locator("#f-title")).toHaveValue("旧版草稿工单", { timeout: 20_000 });
  await expect(page.getByTestId("photos").locator("img")).toHaveCount(1);
  const ticket = key("demo", "tickets", id, "new");
  await expect.poll(() => file(ticket + ".photos")).toContain("seal.png");
  await expect.poll(drafts).toEqual([key("demo", "contacts", id, "new"), ticket, kept].sort());
  await page.reload();
  await expect(page.locator("#f-title")).toHaveValue("旧版草稿工单", { timeout: 20_000 });
  await expect(page.getByTestId("photos").locator("img")).toHaveCount(1);
  expect(await page.evaluate((k) => localStorage.getItem(k), ticket)).not.toContain("data:image");
});
