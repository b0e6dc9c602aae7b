// Hostile data from a real backend (json-server) and from a CSV file: markup, script URLs, a
// 100 KB name, right-to-left overrides, emoji sequences. It must show as text, run nothing, make
// no dangerous link, and not break the layout at tablet width.
import { expect, test, type Page } from "./fixtures";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { connect, customer, jsonServer, openApp, synced } from "./helpers";

const SCRIPT = "<script>window.__pwned=1</script>";
const IMG = `<img src=x onerror="window.__pwned=1">`;
const JS_URL = "javascript:window.__pwned=1";
const LONG = "超长名称Kehu".repeat(12_500); // 100,000 characters, no space to break at
const RTL = "شركة الشحن \u202Egnp.exe\u202C חברת ספנות";
const EMOJI = "👩‍👩‍👧‍👦 Family Logistics 🏳️‍🌈 🇨🇳 🧑🏽‍🔧";

const hostile = [
  customer("H1", SCRIPT, IMG, { address: SCRIPT, industry: IMG, tags: [SCRIPT, JS_URL], owner: IMG, website: JS_URL, email: JS_URL, phone: JS_URL }),
  customer("H2", IMG, SCRIPT, { short_name: IMG }),
  customer("H3", LONG, LONG, { address: LONG, tags: [LONG] }),
  customer("H4", RTL, RTL, { owner: RTL }),
  customer("H5", EMOJI, EMOJI, { tags: [EMOJI] }),
];
const t = "2026-10-01T08:00:00.000Z";
const contact = (id: string, customer_id: string, name: string, extra: Record<string, unknown>) =>
  ({ id, customer_id, name, title: "", department: "", phone: "", mobile: "", email: "", primary: false, notes: "", created_at: t, updated_at: t, ...extra });
const contacts = [
  contact("P1", "H1", SCRIPT, { phone: JS_URL, mobile: "javascript:alert(1)", email: JS_URL, title: IMG, notes: SCRIPT, primary: true }),
  contact("P2", "H3", LONG, { email: `${LONG}@example.com`, phone: "+86 571 8888 0000" }),
  contact("P3", "H4", RTL, { email: "\u202Emoc.elpmaxe@nimda", phone: "٠١٢٣٤٥" }),
];

async function arm(page: Page) {
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return dialogs;
}

/** Nothing ran, nothing became markup, no link can run script, and nothing overflows. */
async function inert(page: Page, where: string) {
  const r = await page.evaluate(() => {
    const links = [...document.querySelectorAll("a[href]")].map((a) => a.getAttribute("href") ?? "");
    const header = document.querySelector("header.top")!;
    const headerBox = header.getBoundingClientRect();
    const overflowing = [header, ...header.querySelectorAll("*")].filter((e) => {
      const b = e.getBoundingClientRect();
      return b.width > 0 && (b.right > headerBox.right + 1 || b.left < headerBox.left - 1 || e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === "visible");
    }).map((e) => e.tagName + "." + e.className);
    return {
      pwned: (window as any).__pwned,
      onerror: document.querySelectorAll("[onerror]").length,
      scripts: document.querySelectorAll("main script, main img, main iframe").length,
      badLinks: links.filter((h) => /^\s*(javascript|data|vbscript):/i.test(h) || /^(tel|mailto):\s*javascript:/i.test(h)),
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      headerOverflow: overflowing,
    };
  });
  expect(r, where).toEqual({ pwned: undefined, onerror: 0, scripts: 0, badLinks: [], overflow: expect.any(Number), headerOverflow: [] });
  expect(r.overflow, `${where}: page wider than the 768 px viewport`).toBeLessThanOrEqual(1);
}

test("hostile records from a backend are shown as text and keep the layout", async ({ page }, info) => {
  test.skip(info.project.name !== "tablet", "the tablet project is the 768 px viewport");
  test.setTimeout(90_000);
  const dialogs = await arm(page);
  const server = await jsonServer({ customers: hostile, contacts });
  try {
    await connect(page, "json-server", server.url);
    await synced(page);
    await page.getByRole("link", { name: "Customers" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Showing" })).toHaveText("Showing 5 of 5 customers");
    const table = page.getByTestId("customer-table");
    await expect(table).toContainText(SCRIPT);
    await expect(table).toContainText(IMG);
    await expect(table).toContainText(EMOJI);
    await inert(page, "list");
    await page.screenshot({ path: join(info.outputDir, "..", "..", "hostile-list.png"), fullPage: false });

    for (const id of ["H1", "H2", "H3", "H4", "H5"]) {
      await openApp(page, `customers/${id}`);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await inert(page, `customer ${id}`);
      // A heading never spreads past the viewport, however long the name.
      const h1 = await page.getByRole("heading", { level: 1 }).boundingBox();
      expect(h1!.x + h1!.width, `customer ${id} heading`).toBeLessThanOrEqual(769);
    }
    await openApp(page, "customers/H1");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(SCRIPT);
    const contactLinks = await page.locator("li.contact .links a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    expect(contactLinks.length).toBeGreaterThan(0);
    for (const h of contactLinks) expect(h).toMatch(/^(tel:[+\d]*|mailto:.*)$/);
    await page.screenshot({ path: join(info.outputDir, "..", "..", "hostile-customer.png"), fullPage: false });

    await openApp(page, "segments");
    await expect(page.getByTestId("rfm")).toBeVisible();
    await inert(page, "segments");
    expect(dialogs).toEqual([]);
  } finally {
    server.stop();
  }
});

test("hostile customers imported from CSV are shown as text", async ({ page }, info) => {
  test.skip(info.project.name !== "tablet", "the tablet project is the 768 px viewport");
  test.setTimeout(90_000);
  const dialogs = await arm(page);
  const q = (s: string) => `"${s.replaceAll('"', '""')}"`;
  const rows = [
    ["X1", SCRIPT, IMG, JS_URL],
    ["X2", IMG, SCRIPT, SCRIPT],
    ["X3", LONG, LONG, LONG],
    ["X4", RTL, RTL, RTL],
    ["X5", EMOJI, EMOJI, EMOJI],
  ];
  mkdirSync(info.outputDir, { recursive: true });
  const file = join(info.outputDir, "hostile-customers.csv");
  writeFileSync(file, "id,name,city,tags\n" + rows.map((r) => r.map(q).join(",")).join("\n") + "\n");
  await openApp(page, "segments");
  await page.getByTestId("import-customers").setInputFiles(file);
  await expect(page.getByTestId("import-result")).toContainText("5 saved");
  await inert(page, "segments after import");

  for (const [id, name] of rows) {
    await openApp(page, `customers/${id}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
    await inert(page, `imported ${id}`);
  }
  await page.goto(`customers?q=${encodeURIComponent("Family Logistics")}`);
  await expect(page.getByTestId("customer-table").locator("tbody tr[data-row]")).toHaveCount(1);
  await inert(page, "search");
  expect(dialogs).toEqual([]);
});
