// Issue 20, item 8: the chaos test. The app in Chromium syncs with json-server 0.17.4 through a
// fault-injecting proxy (chaos-proxy.ts: dropped connections before and after a write is applied,
// 429 with Retry-After, 503, 500 after a write is applied, delays), driven by a seeded PRNG. Per
// seed, two tabs of one browser make 37 edits through the UI: online under faults, offline,
// A → B → A of one field while the write of B is in flight and its answer is lost, a reload while
// a write is in flight, edits saved while a sync run is going (in the same tab and in the other),
// creates and deletes. Then, with the faults still on and without "Sync now", a batch of offline
// edits in one tab must go out by itself; then, with the faults off, "Sync now" until settled, and
// json-server must hold exactly what the edits made (the last edit of each field wins): no edit
// lost, no create twice, nothing deleted left, nothing stuck; and the page must never have called
// a dropped connection a CORS refusal.
//
// KEHU_CHAOS_SEEDS=11,23,47 picks the seeds; KEHU_CHAOS_FAULTS=0 turns every fault off (the
// scripted in-flight moments stay, their answers are delivered) to check the harness itself.
import { expect, test, type Page } from "./fixtures";
import { writeFileSync } from "node:fs";
import { chaosProxy, NO_FAULTS, prng, type HeldRequest, type Rates, type Release } from "./chaos-proxy";
import { connect, customer, editCustomer, jsonServer, synced } from "./helpers";

const SEEDS = (process.env.KEHU_CHAOS_SEEDS ?? "11,23,47").split(",").map((s) => Number(s.trim())).filter(Number.isFinite);
const FAULTS_ON = process.env.KEHU_CHAOS_FAULTS !== "0";
/** Per request: about one in nine fails (a preflight: one in sixteen, dropped), one in eight waits up to 1.2 s. */
const RATES: Rates = FAULTS_ON ? { dropBefore: 0.03, dropAfter: 0.03, tooMany: 0.015, unavailable: 0.015, errorAfter: 0.02, delay: 0.12 } : NO_FAULTS;
/** How the write of B in "A → B → A" ends, per seed (in turn): answer lost, 500 after applying, or answered late. */
const ABA_ENDINGS: Release[] = ["dropAfter", "errorAfter", "forward"];
/** With the faults on and no "Sync now", the changes of an offline batch must all have gone out
 *  this long after the network is back. An app that retries with backoff (2, 4, 8, 16, 32 s at
 *  most) needs 6 failures of one change in a row to miss it (about one in 3,700 per change at these
 *  rates); one that stops at a failure until the next edit or its 5-minute timer misses it. */
const DRAIN_MS = 90_000;
/** Faults off: "Sync now" until nothing waits, for at most this long. */
const SETTLE_MS = 60_000;
const CORS_CLAIM = "does not allow this page's origin";
const FIELDS = ["city", "address", "industry", "short_name"] as const;
type Field = (typeof FIELDS)[number] | "name";

test.describe.configure({ mode: "parallel" });
test.beforeEach(({}, info) => test.skip(info.project.name !== "desktop", "the chaos test runs once, at desktop size"));

interface Edit {
  n: number;
  /** Milliseconds since the test's proxy started, when the edit was saved. */
  at: number;
  scene: string;
  tab: 1 | 2;
  /** The record's name as the test knows it (its id for seeded customers). */
  key: string;
  field: Field | "delete" | "create";
  value: string;
}

/** What the test expects on the server, from the edits it made. */
class Expected {
  records = new Map<string, Record<string, string>>(); // key → fields
  ids = new Map<string, string>(); // key → the id Kehu gave it (creates)
  created = new Set<string>();
  deleted = new Set<string>();
  edits: Edit[] = [];

  live(): string[] {
    return [...this.records.keys()].filter((k) => !this.deleted.has(k));
  }
  id(key: string): string {
    return this.ids.get(key) ?? key;
  }
  constructor(private readonly started: number) {}
  record(e: Omit<Edit, "n" | "at">) {
    this.edits.push({ ...e, n: this.edits.length + 1, at: Date.now() - this.started });
  }
}

/** The app open and ready after a load or reload. */
async function ready(page: Page) {
  await expect(page.locator("#boot")).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByTestId("loading")).toHaveCount(0, { timeout: 30_000 });
}

async function toList(page: Page) {
  await page.locator("nav.main-nav").getByRole("link", { name: "Customers" }).click();
  await expect(page.getByTestId("customer-table")).toBeVisible({ timeout: 20_000 });
}

async function toSyncPage(page: Page) {
  await page.locator("nav.main-nav").getByRole("link", { name: /^Sync/ }).click();
  await expect(page.getByTestId("pending-count")).toBeVisible({ timeout: 20_000 });
}

/** From the list, the customer's page (the list may redraw under the click: clicked again then). */
async function openFromList(page: Page, id: string) {
  await toList(page);
  const at = new RegExp(`/crm/customers/${id}$`);
  await expect(async () => {
    if (!at.test(page.url())) await page.getByTestId("customer-table").locator(`a[href$="/customers/${id}"]`).first().click({ timeout: 5_000 });
    await expect(page).toHaveURL(at, { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
}

/** Edits one field as a user does without reloading: list → customer → Edit → Save. */
async function editInApp(page: Page, id: string, field: string, value: string) {
  await openFromList(page, id);
  await page.getByRole("link", { name: "Edit", exact: true }).click({ timeout: 20_000 });
  await expect(page.getByTestId("customer-form")).toBeVisible({ timeout: 20_000 });
  await page.locator(`#f-${field}`).fill(value);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page).toHaveURL(new RegExp(`/crm/customers/${id}$`));
}

/** A new customer through the list's "New customer" form; returns the id Kehu gave it. */
async function createInApp(page: Page, name: string, city: string): Promise<string> {
  await toList(page);
  await page.getByRole("link", { name: "New customer" }).click();
  await expect(page.getByTestId("customer-form")).toBeVisible({ timeout: 20_000 });
  await page.locator("#f-name").fill(name);
  await page.locator("#f-city").fill(city);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  return decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!);
}

async function deleteInApp(page: Page, id: string) {
  await openFromList(page, id);
  await page.getByTestId("delete-customer").click({ timeout: 20_000 });
  await page.getByTestId("confirm-delete").click();
  await expect(page).toHaveURL(/\/crm\/customers$/);
}

/** `p`, or `undefined` after `ms`. */
async function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([p, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** Counts of the Sync page's outbox by state (Waiting / Conflict / Refused) and each item's text. */
async function outbox(page: Page) {
  const items = await page.getByTestId("outbox-item").allInnerTexts();
  const conflicts = await page.getByTestId("outbox-item").filter({ has: page.getByTestId("conflict") }).count();
  const refused = items.filter((t) => t.includes("Refused")).length;
  return { total: items.length, conflicts, refused, waiting: items.length - conflicts - refused, items: items.map((t) => t.replace(/\s+/g, " ").trim()) };
}

for (const [index, seed] of SEEDS.entries()) {
  test(`chaos, seed ${seed}: two tabs, 30+ edits through faults, offline, reloads and edits mid-sync; the server ends with every edit once`, async ({ context, page }, info) => {
    test.setTimeout(360_000); // 100-150 s on a busy two-core machine, 90 s more when changes are not sent by themselves
    const t0 = Date.now();
    const rnd = prng(seed * 7919 + 17);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    const seeded = Array.from({ length: 8 }, (_, i) =>
      customer(`C${i + 1}`, `混沌客户 ${seed}-${i + 1}`, `城${i + 1}`, { address: `路${i + 1}号`, industry: "机械", short_name: `混${i + 1}` }));
    const server = await jsonServer({ customers: seeded });
    const proxy = await chaosProxy(server.url, { seed, rates: NO_FAULTS, retryAfterSecs: 1 });
    const exp = new Expected(Date.now()); // edits are timed like the proxy's requests
    for (const c of seeded) exp.records.set(c.id, { name: c.name, city: c.city, address: c.address, industry: c.industry, short_name: c.short_name });
    const findings: string[] = [];
    let settled = false;
    const claims: string[] = [];

    // Whatever a page says that blames CORS for a failure (none is a CORS refusal here).
    await context.addInitScript((needle: string) => {
      let shown = new Set<string>();
      setInterval(() => {
        const now = new Set<string>();
        if (!document.body) return;
        const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let n = walk.nextNode(); n; n = walk.nextNode()) {
          if (!n.textContent?.includes(needle)) continue;
          const where = n.parentElement?.closest("[data-testid]");
          now.add(`${where?.getAttribute("data-testid") ?? "page"}: ${n.textContent.trim().slice(0, 240)}`);
        }
        for (const c of now) if (!shown.has(c)) console.log(`kehu-chaos-cors: ${c}`);
        shown = now;
      }, 200);
    }, CORS_CLAIM);
    const tabs: Page[] = [page];
    const inFlight = new Map<Page, Set<string>>();
    const watch = (p: Page) => {
      const set = new Set<string>();
      inFlight.set(p, set);
      p.on("console", (m) => {
        if (m.text().startsWith("kehu-chaos-cors:")) claims.push(`tab ${tabs.indexOf(p) + 1}: ${m.text().slice(16).trim()}`);
      });
      p.on("request", (r) => r.url().startsWith(proxy.url) && set.add(`${r.method()} ${r.url().slice(proxy.url.length)}`));
      const done = (r: { method(): string; url(): string }) => set.delete(`${r.method()} ${r.url().slice(proxy.url.length)}`);
      p.on("requestfinished", done);
      p.on("requestfailed", done);
    };
    watch(page);
    /** The tab whose sync run sent `held` (the one to reload). */
    const sender = (held: HeldRequest): Page => tabs.find((p) => inFlight.get(p)?.has(`${held.method} ${held.path}`)) ?? page;

    /** One edit in tab 1 or 2: in tab 1 through the app's own links (no reload), in tab 2 by
     *  opening the form's address (a page load) unless `inApp`; tab 2 then waits on the Sync page,
     *  where failures are shown. */
    const edit = async (tab: 1 | 2, key: string, field: Field, value: string, scene: string, inApp = tab === 1) => {
      const p = tabs[tab - 1];
      const id = exp.id(key);
      if (inApp) await editInApp(p, id, field, value);
      else await editCustomer(p, id, field, value);
      if (tab === 2) await toSyncPage(p);
      exp.records.get(key)![field] = value;
      exp.record({ scene, tab, key, field, value });
    };
    /** Which tab (1 or 2) sent a held request: the one running that sync. */
    const running = (held: HeldRequest | undefined): 1 | 2 => (held && sender(held) === tabs[1] ? 2 : 1);
    let counter = 0;
    const value = (field: string) => `${field}-${++counter}-s${seed}`;
    const used = new Set<string>(); // customers of the scripted moments
    const randomEdit = async (scene: string, tab?: 1 | 2) => {
      const key = pick(exp.live().filter((k) => !used.has(k)));
      const field = pick(FIELDS);
      await edit(tab ?? (rnd() < 0.3 ? 2 : 1), key, field, value(field), scene);
      await page.waitForTimeout(Math.floor(rnd() * 500));
    };
    const create = async (tab: 1 | 2, scene: string) => {
      const p = tabs[tab - 1];
      const name = `混沌新建 ${seed}-${exp.created.size + 1}`;
      const city = value("city");
      const id = await createInApp(p, name, city);
      if (tab === 2) await toSyncPage(p);
      exp.records.set(name, { name, city });
      exp.ids.set(name, id);
      exp.created.add(name);
      exp.record({ scene, tab, key: name, field: "create", value: city });
      return name;
    };
    const remove = async (tab: 1 | 2, key: string, scene: string) => {
      await deleteInApp(tabs[tab - 1], exp.id(key));
      if (tab === 2) await toSyncPage(tabs[1]);
      exp.deleted.add(key);
      exp.record({ scene, tab, key, field: "delete", value: "" });
    };
    /** Waits for a held request; a miss is a finding (the change never went out). */
    const arrival = async (hold: { arrived: Promise<HeldRequest>; cancel: () => void }, what: string) => {
      const held = await within(hold.arrived, 30_000);
      if (!held) {
        hold.cancel();
        findings.push(`${what}: the request never reached the server within 30 s`);
      }
      return held;
    };
    const faults = (on: boolean) => proxy.setRates(on ? RATES : NO_FAULTS);

    try {
      // Set-up, without faults: the workspace pulled in the first tab, the second tab opened.
      await connect(page, "json-server", proxy.url);
      await synced(page);
      await page.evaluate(() => navigator.serviceWorker.ready);
      const two = await context.newPage();
      tabs.push(two);
      watch(two);
      await two.goto("sync");
      await ready(two);
      await expect(two.getByTestId("sync-source")).toContainText(proxy.url);

      // 1. Online under faults, both tabs.
      faults(true);
      for (let i = 0; i < 6; i++) await randomEdit("online");

      // 2. Offline (both tabs): edits, A → B → A of one field, a create and a delete.
      await context.setOffline(true);
      await expect(page.getByTestId("offline")).toBeVisible();
      for (let i = 0; i < 4; i++) await randomEdit("offline");
      {
        const key = pick(exp.live());
        const a = exp.records.get(key)!.city;
        await edit(1, key, "city", value("city"), "offline A→B→A");
        await edit(2, key, "city", a, "offline A→B→A");
      }
      await create(1, "offline");
      await remove(1, pick(exp.live().filter((k) => !exp.created.has(k))), "offline");
      await randomEdit("offline", 2);
      await context.setOffline(false);
      await page.waitForTimeout(1_500);

      // A calm moment (bounded): what the faults held up goes out first, so that the scripted
      // moments below catch the writes they are about.
      faults(false);
      await toSyncPage(page);
      for (const end = Date.now() + 15_000; Date.now() < end && (await outbox(page)).waiting > 0; ) await page.waitForTimeout(500);
      // Each scripted moment below takes customers of its own, and no later edit touches them
      // (`used`): a later edit of the same field would hide an edit lost here.
      const take = () => {
        const k = pick(exp.live().filter((k) => !exp.created.has(k) && !used.has(k)));
        used.add(k);
        return k;
      };

      // 3. A → B → A while the write of B is at the server: its answer is lost (or comes late).
      {
        const key = take();
        const [a, b] = [exp.records.get(key)!.city, value("city")];
        const hold = proxy.hold((m, path, body) => m === "PATCH" && path === `/customers/${key}` && body.includes(JSON.stringify(b)));
        await edit(1, key, "city", b, "A→B→A in flight");
        const held = await arrival(hold, `A→B→A on ${key}.city (the write of B)`);
        await edit(1, key, "city", a, "A→B→A in flight");
        await held?.release(FAULTS_ON ? ABA_ENDINGS[index % ABA_ENDINGS.length] : "forward");
      }

      // 4. A reload while a write is at the server (applied, the answer goes nowhere); an edit after it.
      {
        const key = take();
        const v = value("address");
        const hold = proxy.hold((m, path, body) => m === "PATCH" && path === `/customers/${key}` && body.includes(JSON.stringify(v)));
        await edit(1, key, "address", v, "reload mid-sync");
        const held = await arrival(hold, `reload mid-sync on ${key}.address`);
        if (held) {
          const tab = sender(held);
          await tab.reload();
          await ready(tab);
          await held.release("forward");
        }
        await edit(1, key, "industry", value("industry"), "after reload");
      }

      // 5. Edits saved while a sync run is going, in the tab that runs it (without leaving the
      //    page): the run pulls the old version of a record edited meanwhile; then one more edit
      //    of that record, after the run ended and before the next run sends the edit saved during it.
      {
        const [x, y] = [take(), take()];
        const v1 = value("city");
        const sent = proxy.hold((m, path, body) => m === "PATCH" && path === `/customers/${x}` && body.includes(JSON.stringify(v1)));
        await edit(1, x, "city", v1, "edit during a run");
        const write = await arrival(sent, `the write of ${x}.city`);
        // The same run's pull comes next: it is held while two edits are saved.
        const pull = proxy.hold((m, path) => m === "GET" && path.startsWith("/customers?"));
        await write?.release("forward");
        const pulling = await arrival(pull, `the pull after the write of ${x}`);
        const tab = running(pulling);
        await edit(tab, y, "city", value("city"), "edit during a run", true);
        await edit(tab, x, "address", value("address"), "edit during a run", true);
        // The next run sends y first: held while x is edited once more.
        const next = proxy.hold((m, path) => m !== "OPTIONS" && path === `/customers/${y}`); // its read (or write)
        await pulling?.release("forward");
        const second = await arrival(next, `the next run's push of ${y}`);
        await edit(tab, x, "industry", value("industry"), "edit after the run", true);
        await second?.release("forward");
      }

      // 6. The tab that does not sync edits while a run is going; then the tab that ran it edits
      //    the same record, then the other again.
      {
        const z = take();
        const v = value("short_name");
        const sent = proxy.hold((m, path, body) => m === "PATCH" && path === `/customers/${z}` && body.includes(JSON.stringify(v)));
        await edit(1, z, "short_name", v, "other tab during a run");
        const write = await arrival(sent, `the write of ${z}.short_name`);
        const pull = proxy.hold((m, path) => m === "GET" && path.startsWith("/customers?"));
        await write?.release("forward");
        const pulling = await arrival(pull, `the pull after the write of ${z}`);
        const [runs, other] = running(pulling) === 1 ? ([1, 2] as const) : ([2, 1] as const);
        await edit(other, z, "address", value("address"), "other tab during a run", true);
        await pulling?.release("forward");
        await edit(runs, z, "city", value("city"), "other tab during a run", true);
        await edit(other, z, "industry", value("industry"), "other tab during a run");
      }
      faults(true);

      // 7. Creates and a delete online, under faults; an edit of a new customer.
      const fresh = await create(1, "online create");
      await create(2, "online create");
      await edit(1, fresh, "address", value("address"), "edit of a new customer");
      await remove(2, pick(exp.live().filter((k) => !exp.created.has(k) && !used.has(k))), "online delete");

      // 8. The second tab is closed (its own retries would hide whether this one retries), and
      //    offline, a batch of edits (to at least 32 in all); then back online under faults, and
      //    nobody presses "Sync now": the changes must go out by themselves.
      await tabs[1].close();
      await toSyncPage(page);
      await context.setOffline(true);
      await expect(page.getByTestId("offline")).toBeVisible();
      for (let i = 0; i < 6 || exp.edits.length < 32; i++) await randomEdit("offline batch", 1);
      await toSyncPage(page);
      await context.setOffline(false);
      const online = Date.now();
      let drained = false;
      let left = await outbox(page);
      while (Date.now() - online < DRAIN_MS) {
        left = await outbox(page);
        if (left.waiting === 0) {
          drained = true;
          break;
        }
        await page.waitForTimeout(1_000);
      }
      const drainSecs = Math.round((Date.now() - online) / 1000);
      if (!drained) {
        findings.push(
          `not sent by itself: ${left.waiting} changes still waiting (and ${left.conflicts} in conflict, ${left.refused} refused) ` +
            `${DRAIN_MS / 1000} s after the network came back, with the faults on and no "Sync now":\n      ${left.items.join("\n      ")}`,
        );
      }

      // Faults off: "Sync now" until nothing is left to send (bounded).
      faults(false);
      const settleStart = Date.now();
      while (Date.now() - settleStart < SETTLE_MS) {
        const now = page.getByTestId("sync-now");
        if (await now.isEnabled()) await now.click();
        await page.getByTestId("sync-progress").waitFor({ state: "detached", timeout: 30_000 }).catch(() => {});
        left = await outbox(page);
        if (left.waiting === 0) break;
        await page.waitForTimeout(2_000);
      }
      left = await outbox(page);
      if (left.total > 0) findings.push(`stuck after settling without faults: ${left.waiting} waiting, ${left.conflicts} in conflict, ${left.refused} refused:\n      ${left.items.join("\n      ")}`);

      // The server against the edits.
      const db = server.db().customers as Record<string, unknown>[];
      const byName = new Map<string, Record<string, unknown>[]>();
      for (const r of db) byName.set(String(r.name), [...(byName.get(String(r.name)) ?? []), r]);
      const lost: string[] = [];
      for (const [key, fields] of exp.records) {
        const name = fields.name;
        const found = exp.created.has(key) ? byName.get(name) ?? [] : db.filter((r) => r.id === key);
        if (exp.deleted.has(key)) {
          if (found.length > 0) findings.push(`deleted but still on the server: ${key} (${name})`);
          continue;
        }
        if (found.length === 0) {
          findings.push(`${exp.created.has(key) ? "created" : "seeded"} customer missing on the server: ${key} (${name})`);
          continue;
        }
        if (found.length > 1) findings.push(`created twice: "${name}" ×${found.length} (ids ${found.map((r) => r.id).join(", ")})`);
        for (const [field, want] of Object.entries(fields)) {
          const got = String(found[0][field] ?? "");
          if (got === want) continue;
          const history = exp.edits.filter((e) => e.key === key && e.field === field);
          const last = history[history.length - 1];
          const said = last ? `edit #${last.n} (${last.scene}, tab ${last.tab})` : "never edited";
          lost.push(`${key}.${field}: expected "${want}" from ${said}, server has "${got}"; edits of it: ${history.map((e) => `#${e.n} "${e.value}"`).join(", ") || "none"}`);
        }
      }
      for (const r of db) {
        const known = exp.records.has(String(r.id)) || exp.created.has(String(r.name));
        if (!known) findings.push(`a record on the server no edit made: ${JSON.stringify(r)}`);
      }
      if (lost.length > 0) {
        // What Kehu itself shows for each lost field (on the edit form, after settling).
        const shown: string[] = [];
        for (const line of lost) {
          const [key, field] = line.split(":")[0].split(".");
          await page.goto(`customers/${exp.id(key)}/edit`);
          const form = await within(page.getByTestId("customer-form").waitFor({ timeout: 10_000 }).then(() => true), 12_000);
          shown.push(`${line}; Kehu shows "${form ? await page.locator(`#f-${field}`).inputValue() : "(no form)"}"`);
        }
        findings.push(`lost edits (${lost.length}):\n      ${shown.join("\n      ")}`);
      }
      if (claims.length > 0) findings.push(`the page called a network fault a CORS refusal ${claims.length}× while the faults were on; first: ${claims[0]}`);

      const summary = [
        `seed ${seed}: ${exp.edits.length} edits (${[...new Set(exp.edits.map((e) => e.scene))].map((s) => `${s} ${exp.edits.filter((e) => e.scene === s).length}`).join(", ")})`,
        `faults ${FAULTS_ON ? JSON.stringify(RATES) : "off"}; A→B→A ending: ${FAULTS_ON ? ABA_ENDINGS[index % ABA_ENDINGS.length] : "forward"}`,
        `proxy: ${JSON.stringify(proxy.counts())}`,
        `offline batch sent by itself: ${drained ? `yes, ${drainSecs} s after the network came back` : "no"}; took ${Math.round((Date.now() - t0) / 1000)} s`,
      ].join("\n  ");
      console.log(`[chaos] ${summary}${findings.length ? `\n  findings:\n    - ${findings.join("\n    - ")}` : "\n  no findings"}`);
      // Every edit and every request the proxy saw, kept beside the test's other output.
      const dump = info.outputPath(`chaos-seed-${seed}.json`);
      writeFileSync(dump, JSON.stringify({ seed, rates: RATES, edits: exp.edits, proxy: proxy.counts(), requests: proxy.log, findings }, null, 2));
      await info.attach(`chaos-seed-${seed}.json`, { path: dump, contentType: "application/json" });
      settled = true;
      expect(findings, `chaos ${summary}\n  findings:\n    - ${findings.join("\n    - ")}`).toEqual([]);
    } catch (e) {
      // A step that could not be done: say how far the run got.
      if (!settled) console.log(`[chaos] seed ${seed} stopped after ${exp.edits.length} edits (last: ${JSON.stringify(exp.edits[exp.edits.length - 1])}); proxy: ${JSON.stringify(proxy.counts())}; findings so far: ${findings.join(" | ") || "none"}`);
      throw e;
    } finally {
      await proxy.stop();
      server.stop();
    }
  });
}
