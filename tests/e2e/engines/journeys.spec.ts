// Issue 17: the journeys that matter most offline, written once (against device.ts) and run in
// every engine a rep's device runs — Chromium, Firefox and WebKit (the engine of every browser on
// an iPad). Offline is each device's relays switched off (switch.ts), in every engine alike.
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync } from "node:zlib";
import { customer, freePort, jsonServer } from "../helpers";
import type { Device } from "./device";
import { expect, test } from "./fixtures";

const root = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const dist = process.env.KEHU_E2E_DIST ?? join(root, "dist");
const nginx = join(root, "scripts/nginx.sh");

// ---- reading the page, waiting for it --------------------------------------------------------

/** Polls `f` until `ok` holds for its value (or `timeout` ms pass: then fails, saying the last value). */
async function until<T>(d: Device, what: string, f: () => Promise<T>, ok: (v: T) => boolean, timeout = 20_000): Promise<T> {
  const end = Date.now() + timeout;
  let v: T | undefined;
  let err = "";
  for (;;) {
    try {
      v = await f();
      if (ok(v)) return v;
    } catch (e) {
      err = (e as Error).message;
    }
    if (Date.now() > end) throw new Error(`[${d.engine}] ${what}: still ${JSON.stringify(v)}${err ? ` (${err})` : ""} after ${timeout / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
const texts = (d: Device, css: string) => d.run<string[]>(`return [...document.querySelectorAll(arguments[0])].map((e) => e.innerText.trim());`, css);
const text = async (d: Device, css: string) => (await texts(d, css)).join("\n");
const count = async (d: Device, css: string) => (await texts(d, css)).length;
const hasText = (d: Device, css: string, want: string, timeout?: number) =>
  until(d, `${css} containing "${want}"`, () => text(d, css), (t) => t.includes(want), timeout);
const isText = (d: Device, css: string, want: string, timeout?: number) =>
  until(d, `${css} reading "${want}"`, () => text(d, css), (t) => t === want, timeout);
const counted = (d: Device, css: string, n: number, timeout?: number) => until(d, `count of ${css}`, () => count(d, css), (c) => c === n, timeout);

/** Opens `path` and waits for the app to have started (the boot screen and loading gone). */
async function openApp(d: Device, path = "./") {
  await d.goto(path);
  try {
    await counted(d, "#boot", 0, 30_000);
    await counted(d, '[data-testid="loading"]', 0, 60_000);
  } catch (e) {
    const seen = await d.run<string>(`return location.href + "\\n" + (document.body ? document.body.innerText.slice(0, 600) : "");`).catch((x) => String(x));
    throw new Error(`${(e as Error).message}\nopening ${path}; the page said:\n${seen}`);
  }
}

/** The service worker installed and controlling the page (so an offline start can work). */
async function controlled(d: Device) {
  await d.run(`await navigator.serviceWorker.ready;`);
  await until(d, "a service worker controlling the page", () => d.run<boolean>(`return !!navigator.serviceWorker.controller;`), (c) => c);
}

const nav = (section: string) => `nav.main-nav a[href$="/crm/${section}"]`;

/** Settings → json-server preset, the backend's address as this device reaches it, save. */
async function connect(d: Device, url: string) {
  await openApp(d, "settings");
  await d.select('[data-testid="preset"]', "json-server");
  await d.fill('[data-testid="backend-url"]', await d.backend(url));
  await d.click('[data-testid="save-backend"]');
  await hasText(d, '[data-testid="workspace-source"]', await d.backend(url), 30_000);
}

/** The Sync page shows a finished run with `pending` changes waiting (0: all sent). */
async function synced(d: Device, pending = 0) {
  await d.click(nav("sync"));
  await counted(d, '[data-testid="last-sync"]', 1, 30_000);
  await counted(d, '[data-testid="sync-progress"]', 0, 30_000);
  try {
    await isText(d, '[data-testid="pending-count"]', String(pending), 45_000);
  } catch (e) {
    const seen = `last sync: ${await text(d, '[data-testid="last-sync"]')}\nerror: ${await text(d, '[data-testid="sync-error"]')}\noutbox: ${await text(d, '[data-testid="outbox"]')}`;
    throw new Error(`${(e as Error).message}\n--- the Sync page said:\n${seen}`);
  }
}

/** Edits one field of a customer through its form. */
async function editCustomer(d: Device, id: string, field: string, value: string) {
  await d.goto(`customers/${id}/edit`);
  await counted(d, '[data-testid="customer-form"]', 1, 20_000);
  await d.fill(`#f-${field}`, value);
  await d.click('[data-testid="customer-form"] button[type="submit"]');
  await until(d, "back on the customer's page", () => d.run<string>(`return location.pathname;`), (p) => p.endsWith(`/customers/${id}`));
}

/** A small RGB PNG, written to a file for the photo input. */
function pngFile(w = 64, h = 48): string {
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = table[(c ^ x) & 0xff] ^ (c >>> 8);
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
  ihdr[8] = 8;
  ihdr[9] = 2;
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) raw.set([x * 4, y * 5, 128], y * (w * 3 + 1) + 1 + x * 3);
  const png = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
  const file = join(mkdtempSync(join(tmpdir(), "kehu-photo-")), "leak.png");
  writeFileSync(file, png);
  return file;
}

/** A copy of the build served by its own nginx under /crm/, so a journey can deploy to it. */
async function ownDeploy() {
  const dir = mkdtempSync(join(tmpdir(), "kehu-deploy-"));
  cpSync(dist, dir, { recursive: true });
  chmodSync(dir, 0o755);
  const port = await freePort();
  execFileSync(nginx, ["start", dir, String(port), "/crm/"], { encoding: "utf8" });
  const version = readFileSync(join(dir, "sw.js"), "utf8").match(/const VERSION = "([0-9a-f]+)"/)![1];
  return {
    origin: `http://127.0.0.1:${port}`,
    version,
    /** A new deploy: a service worker of a new version. */
    next(build: string) {
      const sw = join(dir, "sw.js");
      writeFileSync(sw, readFileSync(sw, "utf8").replace(/const VERSION = "([0-9a-f]+)[^"]*"/, `const VERSION = "$1${build}"`));
    },
    stop() {
      execFileSync(nginx, ["stop", String(port)]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const firstCustomerId = (d: Device) =>
  until(d, "a customer in the list", () => d.run<string>(`const a = document.querySelector('[data-testid="customer-table"] tbody tr[data-row] a[href*="/customers/"]'); return a ? decodeURIComponent(a.getAttribute("href").split("/").pop()) : "";`), (id) => id !== "");

// ---- the journeys -------------------------------------------------------------------------------

test("field rep: finds a customer by pinyin, logs a visit and a complaint with a photo offline, reloads, both reach json-server", async ({ devices }) => {
  const server = await jsonServer({
    customers: [customer("C1", "杭州机床有限公司", "杭州"), customer("C2", "宁波海帆液压", "宁波"), customer("C3", "Northwind Precision GmbH", "Stuttgart")],
    contacts: [{ id: "P1", customer_id: "C1", name: "张敏", title: "采购经理", email: "zhang@hzjc.example", mobile: "+86 138 0000 0001", primary: true,
      created_at: "2026-10-01T08:00:00.000Z", updated_at: "2026-10-01T08:00:00.000Z" }],
  });
  try {
    const d = await devices.open();
    await connect(d, server.url);
    await synced(d);
    await controlled(d);
    await d.click(nav("customers"));
    await d.fill("#customer-search", "hzjc");
    const rows = '[data-testid="customer-table"] tbody tr[data-row]';
    await counted(d, rows, 1, 15_000);
    await d.click(`${rows} a`, "杭州机床有限公司");
    await isText(d, "main h1", "杭州机床有限公司");
    await counted(d, 'a[href="tel:+8613800000001"]', 1);

    await d.online(false);
    await d.click('[data-testid="new-visit"]');
    await d.click("#met-P1");
    await d.fill("#f-notes", "试机正常，客户关注交期。");
    await d.fill("#f-outcome", "确认二季度追加订单");
    await d.click('[data-testid="record-form"] button[type="submit"]');
    await hasText(d, '[data-testid="timeline"]', "确认二季度追加订单");

    await d.click('[data-testid="new-ticket"]');
    await d.fill("#f-title", "液压阀漏油");
    await d.select("#f-kind", "complaint");
    await d.upload('[data-testid="photo-input"]', pngFile());
    await counted(d, '[data-testid="photos"] img', 1);
    await d.click('[data-testid="record-form"] button[type="submit"]');
    await hasText(d, '[data-testid="timeline"]', "液压阀漏油");
    await isText(d, '[data-testid="nav-pending"]', "2");

    // Reloaded with no network: the app from the service worker, the records from IndexedDB.
    await d.reload();
    await hasText(d, '[data-testid="timeline"]', "液压阀漏油", 30_000);
    await hasText(d, '[data-testid="timeline"]', "确认二季度追加订单");
    expect(server.db().visits, `[${d.engine}] nothing sent while offline`).toHaveLength(0);

    await d.online(true);
    await synced(d);
    const db = server.db();
    expect(db.visits, `[${d.engine}] visits on json-server`).toHaveLength(1);
    expect(db.visits[0]).toMatchObject({ customer_id: "C1", outcome: "确认二季度追加订单", notes: "试机正常，客户关注交期。", contacts_met: ["P1"] });
    expect(db.tickets, `[${d.engine}] tickets on json-server`).toHaveLength(1);
    expect(db.tickets[0]).toMatchObject({ customer_id: "C1", title: "液压阀漏油", kind: "complaint", status: "open" });
    expect(db.tickets[0].photos[0].data_url, `[${d.engine}] the photo, re-encoded`).toMatch(/^data:image\/jpeg;base64,/);
  } finally {
    server.stop();
  }
});

test("two devices: one field each merges, the same field is a conflict settled by choice", async ({ devices }) => {
  const server = await jsonServer({ customers: [customer("C1", "Acme Gears", "Ningbo")] });
  try {
    const a = await devices.open();
    const b = await devices.open();
    await connect(a, server.url);
    await synced(a);
    await connect(b, server.url);
    await synced(b);

    await editCustomer(a, "C1", "city", "宁波北仑");
    await synced(a);
    await editCustomer(b, "C1", "address", "港口路 88 号");
    await synced(b);
    let c1 = server.db().customers[0];
    expect([c1.city, c1.address], `[${a.engine}] one field each, merged`).toEqual(["宁波北仑", "港口路 88 号"]);

    // The same field: B is offline (on a visit) while A renames the customer.
    await synced(a);
    await b.online(false);
    await editCustomer(a, "C1", "name", "Acme Gears Group");
    await synced(a);
    await editCustomer(b, "C1", "name", "Acme Gears Holdings");
    await b.online(true);
    await b.click(nav("sync"));
    await hasText(b, '[data-testid="conflict"]', "Acme Gears Group", 45_000);
    await hasText(b, '[data-testid="conflict"]', "Acme Gears Holdings");
    expect(server.db().customers[0].name, `[${b.engine}] nothing overwritten`).toBe("Acme Gears Group");
    await b.click('[data-testid="conflict"] button', "Apply my choices"); // "mine" is preselected
    await synced(b);
    c1 = server.db().customers[0];
    expect([c1.name, c1.city, c1.address], `[${b.engine}] after the choice`).toEqual(["Acme Gears Holdings", "宁波北仑", "港口路 88 号"]);
  } finally {
    server.stop();
  }
});

test("service worker: a cold start with the network off, then a new deploy offered and applied on the user's click, the edit kept", async ({ devices }) => {
  const deploy = await ownDeploy();
  try {
    const d = await devices.open(deploy.origin);
    await openApp(d, "customers");
    await isText(d, '[data-testid="result-count"]', "Showing 1000 of 1000 customers", 60_000);
    await controlled(d);
    const cached = await d.run<string[]>(`const c = await caches.open((await caches.keys())[0]); return (await c.keys()).map((r) => new URL(r.url).pathname);`);
    expect(cached, `[${d.engine}] the shell in Cache Storage`).toEqual(expect.arrayContaining(["/crm/", "/crm/manifest.webmanifest", "/crm/pinyin.txt"]));

    // Network off: each page starts from the service worker's cache, the data from IndexedDB.
    await d.online(false);
    await openApp(d, "customers");
    await isText(d, '[data-testid="result-count"]', "Showing 1000 of 1000 customers", 30_000);
    await d.fill("#customer-search", "yxgs");
    await until(d, "pinyin search offline", () => text(d, '[data-testid="result-count"]'), (t) => /^Showing \d+ of/.test(t) && !/Showing (0|1000) of/.test(t));
    await openApp(d, "segments");
    await counted(d, '[data-testid="rfm"]', 1, 30_000);
    await openApp(d, "settings");
    await isText(d, "main h1", "Settings", 30_000);
    await d.online(true);

    // An unsynced edit, then a new deploy: offered, never applied behind the user's back.
    await openApp(d, "customers");
    const id = await firstCustomerId(d);
    await editCustomer(d, encodeURIComponent(id), "city", "更新前的城市");
    await isText(d, '[data-testid="nav-pending"]', "1");
    expect(await count(d, '[data-testid="update-banner"]')).toBe(0);
    deploy.next("next");
    await d.run(`window.__samePage = true;`);
    await d.online(true); // the network's return is one of the moments the app looks for a new version
    await hasText(d, '[data-testid="update-banner"]', "A new version of Kehu is available", 30_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await d.run(`return window.__samePage === true;`), `[${d.engine}] not reloaded behind the user's back`).toBe(true);
    await d.click('[data-testid="update-reload"]');
    await until(d, "the page reloaded on the new version", () => d.run<boolean>(`return window.__samePage === undefined && !document.getElementById("boot");`), (v) => v, 30_000);
    await until(d, "only the new version's cache", () => d.run<string[]>(`return await caches.keys();`), (k) => JSON.stringify(k) === JSON.stringify([`kehu-shell-${deploy.version}next`]), 30_000);
    await counted(d, '[data-testid="update-banner"]', 0);
    await isText(d, '[data-testid="nav-pending"]', "1");
    await openApp(d, `customers/${encodeURIComponent(id)}`);
    await hasText(d, "main", "更新前的城市");
  } finally {
    deploy.stop();
  }
});

test("wipe this device: warns with the number of unsynced changes, then starts clean", async ({ devices }) => {
  const d = await devices.open();
  await openApp(d, "customers");
  await controlled(d);
  const id = await firstCustomerId(d);
  await d.online(false);
  await editCustomer(d, encodeURIComponent(id), "city", "离线改的城市");
  await editCustomer(d, encodeURIComponent(id), "address", "离线改的地址 1 号");
  await openApp(d, "customers/new");
  await d.fill("#f-name", "离线新建的客户");
  await d.click('[data-testid="customer-form"] button[type="submit"]');
  await isText(d, '[data-testid="nav-pending"]', "2");
  await d.online(true);
  await d.select('[data-testid="language"]', "zh-Hans"); // remembered on the device
  await hasText(d, "nav.main-nav", "客户");
  expect(await d.run<number>(`return (await indexedDB.databases()).length;`)).toBeGreaterThan(0);

  await d.click(nav("settings"));
  await d.click('[data-testid="wipe-device"]');
  await hasText(d, '[data-testid="wipe-confirm"] [data-testid="wipe-warning"]', "2");
  await d.click('[data-testid="cancel-wipe"]');
  await counted(d, '[data-testid="wipe-confirm"]', 0);
  await isText(d, '[data-testid="nav-pending"]', "2");

  await d.click('[data-testid="wipe-device"]');
  await d.run(`window.__beforeWipe = true;`);
  await d.click('[data-testid="confirm-wipe"]');
  // The app restarts clean: the demo again, in the browser's language, nothing waiting.
  await until(d, "the app restarted", () => d.run<boolean>(`return window.__beforeWipe === undefined && !document.getElementById("boot");`), (v) => v, 30_000);
  await openApp(d, "customers");
  await hasText(d, "nav.main-nav", "Customers");
  await counted(d, '[data-testid="nav-pending"]', 0);
  await openApp(d, `customers/${encodeURIComponent(id)}`);
  await counted(d, "main h1", 1);
  expect(await text(d, "main"), `[${d.engine}] the wiped edit`).not.toContain("离线改的城市");
});

// Hostile data from json-server: markup, script URLs, a 100 KB name, right-to-left overrides, emoji.
const SCRIPT = "<script>window.__pwned=1</script>";
const IMG = `<img src=x onerror="window.__pwned=1">`;
const JS_URL = "javascript:window.__pwned=1";
const LONG = "超长名称Kehu".repeat(12_500);
const RTL = "شركة الشحن \u202Egnp.exe\u202C חברת ספנות";
const EMOJI = "👩‍👩‍👧‍👦 Family Logistics 🏳️‍🌈 🇨🇳 🧑🏽‍🔧";

/** Nothing ran, nothing became markup, no link can run script, nothing wider than the window. */
async function inert(d: Device, where: string) {
  const r = await d.run<Record<string, unknown>>(`
    const links = [...document.querySelectorAll("a[href]")].map((a) => a.getAttribute("href") || "");
    const h1 = document.querySelector("main h1");
    return {
      pwned: window.__pwned === undefined ? null : window.__pwned,
      onerror: document.querySelectorAll("[onerror]").length,
      scripts: document.querySelectorAll("main script, main img, main iframe").length,
      badLinks: links.filter((h) => /^\\s*(javascript|data|vbscript):/i.test(h) || /^(tel|mailto):\\s*javascript:/i.test(h)),
      overflow: document.documentElement.scrollWidth - window.innerWidth > 1,
      h1Overflow: !!h1 && h1.getBoundingClientRect().right > window.innerWidth + 1,
    };`);
  expect(r, `[${d.engine}] ${where}`).toEqual({ pwned: null, onerror: 0, scripts: 0, badLinks: [], overflow: false, h1Overflow: false });
}

test("hostile records from a backend are shown as text, run nothing and keep the layout", async ({ devices }) => {
  const server = await jsonServer({
    customers: [
      customer("H1", SCRIPT, IMG, { address: SCRIPT, industry: IMG, tags: [SCRIPT, JS_URL], owner: IMG, website: JS_URL, email: JS_URL, phone: JS_URL }),
      customer("H2", IMG, SCRIPT, { short_name: IMG }),
      customer("H3", LONG, LONG, { address: LONG, tags: [LONG] }),
      customer("H4", RTL, RTL, { owner: RTL }),
      customer("H5", EMOJI, EMOJI, { tags: [EMOJI] }),
    ],
  });
  try {
    const d = await devices.open();
    await connect(d, server.url);
    await synced(d);
    await d.click(nav("customers"));
    await isText(d, '[data-testid="result-count"]', "Showing 5 of 5 customers");
    await hasText(d, '[data-testid="customer-table"]', SCRIPT);
    await hasText(d, '[data-testid="customer-table"]', IMG);
    await inert(d, "list");
    for (const id of ["H1", "H2", "H3", "H4", "H5"]) {
      await openApp(d, `customers/${id}`);
      await counted(d, "main h1", 1);
      await inert(d, `customer ${id}`);
    }
    await openApp(d, "customers/H1");
    await isText(d, "main h1", SCRIPT);
    await openApp(d, "segments");
    await counted(d, '[data-testid="rfm"]', 1, 30_000);
    await inert(d, "segments");
  } finally {
    server.stop();
  }
});
