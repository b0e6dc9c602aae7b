// Issue 7 end to end: the release build as deployed — Debian's nginx under /crm/ with the
// production headers — started offline from the service worker, updated to a new deploy only when
// the user says so, and wiped from a lost device.
import { expect, test, watchCsp } from "./fixtures";
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request as http } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chunkGate, connect, customer, editCustomer, freePort, jsonServer, openApp, synced } from "./helpers";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const dist = process.env.KEHU_E2E_DIST ?? join(root, "dist");
const nginx = join(root, "scripts/nginx.sh");

/** One raw HTTP exchange (no decompression, every header as sent). */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = http(url, { headers }, (res) => {
      let bytes = 0;
      res.on("data", (c: Buffer) => (bytes += c.length));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** A copy of the build (with `files` added) served by its own nginx under /crm/, so a test can
 * deploy to it; the CSP's connect-src is what scripts/nginx.sh derives for that copy. */
async function ownDeploy(files: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "kehu-deploy-"));
  cpSync(dist, dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  chmodSync(dir, 0o755); // nginx's workers (user nobody when started as root) read it
  const port = await freePort();
  const base = execFileSync(nginx, ["start", dir, String(port), "/crm/"], { encoding: "utf8" }).trim();
  const version = readFileSync(join(dir, "sw.js"), "utf8").match(/const VERSION = "([0-9a-f]+)"/)![1];
  return {
    dir, base, version,
    /** Deploys a new version: index.html marked with `build` (a `<meta name="kehu-build">`), and
     * a service worker of a new version. */
    next(build: string) {
      const sw = join(dir, "sw.js");
      const text = readFileSync(sw, "utf8");
      writeFileSync(sw, text.replace(/const VERSION = "([0-9a-f]+)[^"]*"/, `const VERSION = "$1${build}"`));
      const index = join(dir, "index.html");
      writeFileSync(index, readFileSync(index, "utf8").replace(/<head>/, `<head><meta name="kehu-build" content="${build}">`));
    },
    stop() {
      execFileSync(nginx, ["stop", String(port)]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A proxy in front of `target` (an origin) whose answers can be made very slow: a weak network. */
async function slowProxy(target: string) {
  const { createServer, request } = await import("node:http");
  const to = new URL(target);
  let delay = 0;
  const timers = new Set<NodeJS.Timeout>();
  const srv = createServer((req, res) => {
    const forward = () => {
      const up = request({ host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      up.on("error", () => res.destroy());
      req.pipe(up);
    };
    if (delay === 0) return forward();
    const t = setTimeout(() => { timers.delete(t); forward(); }, delay);
    timers.add(t);
  });
  const port = await freePort();
  await new Promise<void>((r) => srv.listen(port, "127.0.0.1", () => r()));
  return {
    origin: `http://127.0.0.1:${port}`,
    setDelay: (ms: number) => { delay = ms; },
    stop: () => { for (const t of timers) clearTimeout(t); srv.closeAllConnections(); srv.close(); },
  };
}

/** What Kehu left on this device, seen from `page` (its own sessionStorage). */
function leftOnDevice(page: import("@playwright/test").Page) {
  return page.evaluate(async () => ({
    databases: (await indexedDB.databases()).map((d) => d.name),
    caches: await caches.keys(),
    local: localStorage.length,
    session: sessionStorage.length,
    workers: (await navigator.serviceWorker.getRegistrations()).length,
  }));
}

const held = (url: URL) => url.pathname === "/crm/";
const holdStart = (route: import("@playwright/test").Route) => route.fulfill({ contentType: "text/html", body: "<!doctype html><title>held</title>" });

async function controlled(page: import("@playwright/test").Page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller), { timeout: 20_000 }).toBe(true);
}

test("nginx sends the deployment's headers: CSP, cache per file type, wasm MIME, compression, SPA fallback", async ({}, info) => {
  test.skip(info.project.name !== "desktop", "headers do not depend on the viewport");
  const base = info.project.use.baseURL!;
  expect(base).toMatch(/\/crm\/$/);
  const files = readdirSync(dist);
  // The app's wasm and JS live in a directory named by the hash of its contents (build-app.sh).
  const app = files.find((f) => /^app-[0-9a-f]{16}$/.test(f))!;
  expect(app, "the app's hashed directory in dist").toBeTruthy();
  const appFiles = readdirSync(join(dist, app));
  const hashed = {
    wasm: `${app}/kehu_bg.wasm`,
    js: `${app}/kehu.js`,
    chunk: `${app}/${appFiles.find((f) => /^split_segments\.wasm$/.test(f))}`,
    css: files.find((f) => /-[0-9a-f]{16}\.css$/.test(f))!,
    start: files.find((f) => /^start-[0-9a-f]{16}\.js$/.test(f))!,
  };
  expect(appFiles).toEqual(expect.arrayContaining(["kehu_bg.wasm", "kehu.js", "__wasm_split.js", "split_segments.wasm"]));
  for (const [k, v] of Object.entries(hashed)) expect(v, `a hashed ${k} file in dist`).toBeTruthy();

  // index.html: the policy, and never cached without revalidation; the loader is not inline.
  const index = await get(base);
  expect(index.status).toBe(200);
  expect(index.headers["content-type"]).toMatch(/^text\/html/);
  expect(index.headers["cache-control"]).toBe("no-cache");
  const csp = String(index.headers["content-security-policy"]);
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(csp).toContain("connect-src 'self' http://127.0.0.1:*");
  expect(csp).not.toContain("unsafe-inline");
  const html = readFileSync(join(dist, "index.html"), "utf8");
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>\s*\S/);
  expect(html).toContain('<base href="/crm/"');

  // Any route of the app is index.html; a missing file is a 404; the bare sub-path redirects.
  for (const route of ["customers", "customers/C0001/edit", "segments?r=5&f=5"]) {
    const r = await get(base + route);
    expect([r.status, r.headers["content-type"], r.headers["cache-control"]], route).toEqual([200, "text/html; charset=utf-8", "no-cache"]);
  }
  expect((await get(base + "no-such-file.js")).status).toBe(404);
  const bare = await get(base.replace(/\/$/, ""));
  expect([bare.status, bare.headers.location]).toEqual([301, expect.stringMatching(/\/crm\/$/)]);

  // Files that keep their name across releases: revalidated every time.
  for (const [file, type] of [["sw.js", /javascript/], ["manifest.webmanifest", /^application\/manifest\+json/], ["kehu-demo_loader.js", /javascript/],
    ["icons/icon-192.png", /^image\/png/]] as const) {
    const r = await get(base + file);
    expect(r.status, file).toBe(200);
    expect(r.headers["content-type"], file).toMatch(type);
    expect(r.headers["cache-control"], file).toBe("no-cache");
    expect(r.headers["content-security-policy"], file).toBe(csp);
  }
  // config.json is never cached either; where none is deployed nginx answers an empty one.
  const config = await get(base + "config.json");
  expect([config.status, config.headers["content-type"], config.headers["cache-control"]]).toEqual([200, "application/json; charset=utf-8", "no-cache"]);

  // Hashed assets: a year, immutable.
  for (const f of Object.values(hashed)) {
    expect((await get(base + f)).headers["cache-control"], f).toBe("public, max-age=31536000, immutable");
  }
  // wasm: its MIME type (streaming compilation) and compressed, brotli when asked, else gzip.
  const raw = await get(base + hashed.wasm);
  expect(raw.headers["content-type"]).toBe("application/wasm");
  expect(raw.headers["content-encoding"]).toBeUndefined();
  const br = await get(base + hashed.wasm, { "Accept-Encoding": "br, gzip" });
  expect(br.headers["content-encoding"]).toBe("br");
  expect(br.bytes).toBeLessThan(raw.bytes / 2);
  const chunk = await get(base + hashed.chunk, { "Accept-Encoding": "br" });
  expect([chunk.status, chunk.headers["content-type"], chunk.headers["content-encoding"]]).toEqual([200, "application/wasm", "br"]);
  const gz = await get(base + hashed.wasm, { "Accept-Encoding": "gzip" });
  expect(gz.headers["content-encoding"]).toBe("gzip");
  expect(gz.bytes).toBeLessThan(raw.bytes / 2);
  expect((await get(base + hashed.js, { "Accept-Encoding": "br" })).headers["content-encoding"]).toBe("br");
  const manifest = JSON.parse(readFileSync(join(dist, "manifest.webmanifest"), "utf8"));
  expect(manifest).toMatchObject({ start_url: ".", scope: ".", display: "standalone" });
  expect(manifest.icons.map((i: any) => `${i.sizes} ${i.purpose}`)).toEqual(["192x192 any", "512x512 any", "512x512 maskable"]);
});

test("a page's code is fetched when the page is first opened; a chunk that cannot be fetched is said and tried again", async ({ browser }, info) => {
  test.skip(info.project.name !== "desktop", "once is enough");
  // No service worker: every fetch goes to the network, where this test can refuse one.
  const context = await browser.newContext({ baseURL: info.project.use.baseURL, serviceWorkers: "block" });
  const page = await context.newPage();
  const fetched: string[] = [];
  page.on("request", (r) => {
    if (r.url().endsWith(".wasm")) fetched.push(r.url().split("/").pop()!);
  });
  const segments = await chunkGate(page, "segments", true);

  await openApp(page, "customers");
  await expect(page.getByRole("status").filter({ hasText: "Showing" })).toHaveText("Showing 1000 of 1000 customers");
  // The start: the app's main module; after the first screen the analysis and the reading of
  // the outbox; no page's chunk, nor the list's actions'.
  expect(fetched).toContain("kehu_bg.wasm");
  await expect.poll(() => fetched).toContain("split_analytics.wasm");
  await expect.poll(() => fetched).toContain("split_stored.wasm");
  expect(fetched.filter((f) => /^split_(records|segments|service|admin|bulk)\.wasm$/.test(f))).toEqual([]);

  // A customer: the customer page and the forms come as one chunk.
  await page.locator("table tbody tr a").first().click();
  await expect(page.getByRole("link", { name: "Log a visit" })).toBeVisible();
  expect(fetched).toContain("split_records.wasm");

  // Segments, its chunk refused: said in the UI language, the rest of the app unharmed.
  await page.getByRole("navigation").getByRole("link", { name: "Segments" }).click();
  await expect(page.getByTestId("chunk-failed")).toContainText("could not be loaded");
  await page.getByRole("banner").getByTestId("language").selectOption("zh-Hans");
  await expect(page.getByTestId("chunk-failed")).toContainText("无法加载此页面");
  await page.getByRole("banner").getByTestId("language").selectOption("en");
  // Back on the network, "Try again" fetches it.
  segments.refuse = false;
  await page.getByRole("button", { name: "Try again" }).click();
  await expect(page.getByTestId("rfm")).toBeVisible();
  expect(fetched.filter((f) => f === "split_segments.wasm").length).toBeGreaterThanOrEqual(2);
  await context.close();
});

test("the list's export and bulk actions fetch their code at first use; refused, they say so and change nothing", async ({ browser }, info) => {
  test.skip(info.project.name !== "desktop", "once is enough");
  const context = await browser.newContext({ baseURL: info.project.use.baseURL, serviceWorkers: "block", acceptDownloads: true });
  const page = await context.newPage();
  const bulk = await chunkGate(page, "bulk", true);
  await openApp(page, "customers");
  const status = page.getByRole("status").filter({ hasText: "Showing" });
  await expect(status).toHaveText("Showing 1000 of 1000 customers");
  expect(bulk.asked).toBe(0);

  // Refused: each says so, in the UI language; nothing is saved or downloaded.
  let downloads = 0;
  page.on("download", () => downloads++);
  await page.getByTestId("export-list").click();
  await expect(page.getByTestId("export-failed")).toContainText("This action could not be loaded");
  const rows = page.getByTestId("customer-table").locator("tbody tr[data-row]");
  await rows.nth(0).getByRole("checkbox").check();
  await page.locator("#bulk-action").selectOption("add_tag");
  await page.locator("#bulk-value").fill("展会线索");
  await page.getByTestId("bulk-apply").click();
  await expect(page.getByTestId("bulk-message")).toContainText("This action could not be loaded");
  await page.getByRole("banner").getByTestId("language").selectOption("zh-Hans");
  await page.getByTestId("bulk-apply").click();
  await expect(page.getByTestId("bulk-message")).toContainText("此操作无法加载");
  await page.getByRole("banner").getByTestId("language").selectOption("en");
  await expect(page.getByTestId("nav-pending")).toHaveCount(0);
  expect(downloads).toBe(0);
  expect(bulk.asked).toBeGreaterThanOrEqual(2);

  // Back on the network: the same clicks work.
  bulk.refuse = false;
  await page.getByTestId("bulk-apply").click();
  await expect(page.getByTestId("bulk-message")).toContainText("1 change saved on this device; it syncs when online.");
  await expect(page.getByTestId("nav-pending")).toHaveText("1");
  const download = page.waitForEvent("download");
  await page.getByTestId("export-list").click();
  expect((await download).suggestedFilename()).toBe("kehu-customers.csv");
  await expect(page.getByTestId("export-failed")).toHaveCount(0);
  await context.close();
});

test("what the device stored besides the records is read after the first screen; unread, a saved view is kept and nothing written over", async ({ browser }, info) => {
  test.skip(info.project.name !== "desktop", "once is enough");
  const context = await browser.newContext({ baseURL: info.project.use.baseURL, serviceWorkers: "block" });
  const page = await context.newPage();
  const stored = await chunkGate(page, "stored", false);
  const status = page.getByRole("status").filter({ hasText: "Showing" });
  const saved = page.getByTestId("customers-saved-views");
  const save = async (name: string) => {
    await page.getByTestId("view-name").fill(name);
    await page.getByTestId("save-view").click();
    await expect(saved.getByRole("link", { name })).toBeVisible();
  };
  await openApp(page, "customers?pool=1");
  await save("旧视图");

  // Its chunk refused: the list opens all the same; the views are not shown, not lost.
  stored.refuse = true;
  await page.reload();
  await expect(status).toContainText("of 1000 customers");
  await expect(saved).toHaveCount(0);
  await save("A");
  await expect(saved.getByRole("link")).toHaveCount(1);
  // Back on the network, the next view saved reads the stored list first: all three are kept.
  stored.refuse = false;
  await save("B");
  await expect(saved.getByRole("link")).toHaveText(["旧视图", "A", "B"]);
  await page.reload();
  await expect(saved.getByRole("link")).toHaveText(["旧视图", "A", "B"]);
  await context.close();
});

test("a cold start with the network off opens the app from the service worker", async ({ context, page }) => {
  await openApp(page, "customers");
  await expect(page.getByRole("status").filter({ hasText: "Showing" })).toHaveText("Showing 1000 of 1000 customers");
  await controlled(page);
  // The installed shell is in Cache Storage, manifest and icons included.
  const cached = await page.evaluate(async () => {
    const names = await caches.keys();
    const c = await caches.open(names[0]);
    return { names, urls: (await c.keys()).map((r) => new URL(r.url).pathname) };
  });
  expect(cached.names).toHaveLength(1);
  expect(cached.urls).toEqual(expect.arrayContaining(["/crm/", "/crm/manifest.webmanifest", "/crm/icons/maskable-512.png", "/crm/kehu-demo_loader.js", "/crm/pinyin.txt"]));
  await page.close();

  await context.setOffline(true);
  for (const route of ["customers", "segments", "settings"]) {
    const fresh = await context.newPage();
    await openApp(fresh, route);
    await expect(fresh.getByTestId("offline")).toBeVisible();
    if (route === "customers") {
      await expect(fresh.getByRole("status").filter({ hasText: "Showing" })).toHaveText("Showing 1000 of 1000 customers");
      // Pinyin search works offline too (its table comes from the shell cache).
      await fresh.getByLabel("Search customers").fill("yxgs");
      await expect(fresh.getByTestId("result-count")).not.toHaveText(/Showing (0|1000) of/, { timeout: 15_000 });
    } else if (route === "segments") await expect(fresh.getByTestId("rfm")).toBeVisible();
    // Every page's code is in the shell cache: Settings' chunk too.
    else await expect(fresh.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();
    await fresh.close();
  }
  await context.setOffline(false);
});

test("a cold start on a very slow network opens the app from the cache within seconds", async ({ browser }, info) => {
  test.skip(info.project.name !== "desktop", "once is enough");
  const proxy = await slowProxy(new URL(info.project.use.baseURL!).origin);
  const context = await browser.newContext({ baseURL: `${proxy.origin}/crm/` });
  const seen = watchCsp(context);
  try {
    const page = await context.newPage();
    await openApp(page, "customers");
    await expect(page.getByRole("status").filter({ hasText: "Showing" })).toHaveText("Showing 1000 of 1000 customers");
    await controlled(page);
    await page.close();

    // The network now answers everything — the document, config.json, sw.js — after a minute.
    proxy.setDelay(60_000);
    const t0 = Date.now();
    const fresh = await context.newPage();
    await fresh.goto("customers", { timeout: 10_000 });
    await expect(fresh.locator("#boot")).toHaveCount(0, { timeout: 10_000 });
    await expect(fresh.getByRole("status").filter({ hasText: "Showing" })).toHaveText("Showing 1000 of 1000 customers", { timeout: 10_000 });
    // config.json waited for at most the worker's 3 s, then came from its copy.
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(seen).toEqual([]);
  } finally {
    await context.close();
    proxy.stop();
  }
});

test("a new deploy is offered as an update; the reload happens only on the user's click and keeps unsynced edits", async ({ browser }, info) => {
  test.skip(info.project.name !== "desktop", "once is enough");
  // Its own nginx over a copy of the build, so this test can deploy a new version to it.
  const deploy = await ownDeploy();
  const context = await browser.newContext({ baseURL: deploy.base });
  const seen = watchCsp(context);
  try {
    const page = await context.newPage();
    await openApp(page, "customers");
    await controlled(page);
    const before = await page.evaluate(() => caches.keys());
    const id = decodeURIComponent((await page.getByTestId("customer-table").locator("tbody tr[data-row]").first().getByRole("link").getAttribute("href"))!.split("/").pop()!);
    await editCustomer(page, id, "city", "更新前的城市");
    await expect(page.getByTestId("nav-pending")).toHaveText("1");
    await expect(page.getByTestId("update-banner")).toHaveCount(0);

    // Deploy: a changed service worker (new version) replaces the old one on the server.
    deploy.next("next");

    // The app checks for a new version when the network comes back (and on every start).
    await page.evaluate(() => ((window as any).__samePage = true));
    await context.setOffline(true);
    await context.setOffline(false);
    const banner = page.getByTestId("update-banner");
    await expect(banner).toBeVisible({ timeout: 20_000 });
    await expect(banner).toContainText("A new version of Kehu is available");
    // Never reloaded behind the user's back.
    await page.waitForTimeout(1500);
    expect(await page.evaluate(() => (window as any).__samePage)).toBe(true);
    await page.getByTestId("language").selectOption("zh-Hant");
    await expect(banner).toContainText("新版本");
    await page.getByTestId("language").selectOption("en");

    await Promise.all([page.waitForEvent("load"), banner.getByRole("button", { name: "Reload" }).click()]);
    await expect(page.locator("#boot")).toHaveCount(0);
    expect(await page.evaluate(() => (window as any).__samePage)).toBeUndefined();
    await expect(page.getByTestId("update-banner")).toHaveCount(0);
    // The new worker controls the page, the old version's cache is gone, the edit is still waiting.
    await expect.poll(() => page.evaluate(() => caches.keys())).toEqual([`kehu-shell-${deploy.version}next`]);
    expect(before).toEqual([`kehu-shell-${deploy.version}`]);
    await expect(page.getByTestId("nav-pending")).toHaveText("1");
    await page.goto(`customers/${encodeURIComponent(id)}`);
    await expect(page.locator("main")).toContainText("更新前的城市");
    expect(seen).toEqual([]);
  } finally {
    await context.close();
    deploy.stop();
  }
});

test("a tab left open finds a new deploy hourly and when shown again; until accepted, a reload keeps the old version whole", async ({ browser }, info) => {
  test.skip(info.project.name !== "desktop", "once is enough");
  const deploy = await ownDeploy();
  // Two devices (separate browser profiles), each with the app open on the current version.
  const left = await browser.newContext({ baseURL: deploy.base });
  const shown = await browser.newContext({ baseURL: deploy.base });
  const seen = [watchCsp(left), watchCsp(shown)];
  const build = (page: import("@playwright/test").Page) => page.evaluate(() => document.querySelector('meta[name="kehu-build"]')?.getAttribute("content") ?? "first");
  try {
    const tab = await left.newPage();
    await tab.clock.install(); // fake timers that keep running: fast-forwarded below
    await openApp(tab, "customers");
    await controlled(tab);
    const other = await shown.newPage();
    await openApp(other, "customers");
    await controlled(other);
    // Let each start's own check for a new version finish.
    await tab.waitForTimeout(2000);

    deploy.next("2");
    // No start, no network change: nothing looks for the new version…
    await tab.waitForTimeout(2000);
    await expect(tab.getByTestId("update-banner")).toHaveCount(0);
    await expect(other.getByTestId("update-banner")).toHaveCount(0);
    // …until a tab is shown again (switching back to the browser or the tab),
    await other.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
    await expect(other.getByTestId("update-banner")).toBeVisible({ timeout: 20_000 });
    await expect(tab.getByTestId("update-banner")).toHaveCount(0);
    // …or an hour has passed.
    await tab.clock.fastForward("01:00:01");
    await expect(tab.getByTestId("update-banner")).toBeVisible({ timeout: 20_000 });

    // Reloading online before accepting: still the version that was running — its index.html
    // with its own files, never the new index.html (or new files) half-way — and still offered.
    await tab.reload();
    await expect(tab.locator("#boot")).toHaveCount(0);
    expect(await build(tab)).toBe("first");
    await expect(tab.getByTestId("update-banner")).toBeVisible({ timeout: 20_000 });
    await expect(tab.getByRole("status").filter({ hasText: "Showing" })).toHaveText("Showing 1000 of 1000 customers");
    // Accepted: the new version, whole.
    await Promise.all([tab.waitForEvent("load"), tab.getByTestId("update-banner").getByRole("button", { name: "Reload" }).click()]);
    await expect(tab.locator("#boot")).toHaveCount(0);
    expect(await build(tab)).toBe("2");
    await expect.poll(() => tab.evaluate(() => caches.keys())).toEqual([`kehu-shell-${deploy.version}2`]);
    await expect(tab.getByRole("status").filter({ hasText: "Showing" })).toHaveText("Showing 1000 of 1000 customers");
    expect(seen.flat()).toEqual([]);
  } finally {
    await left.close();
    await shown.close();
    deploy.stop();
  }
});

test("csp-connect-src.mjs lists 'self' and each profile's backend origin, and refuses a config.json the app would not use", async ({}, info) => {
  test.skip(info.project.name !== "desktop", "does not depend on the viewport");
  const dir = mkdtempSync(join(tmpdir(), "kehu-csp-"));
  const script = join(root, "scripts/csp-connect-src.mjs");
  const run = (text: string) => {
    const file = join(dir, "config.json");
    writeFileSync(file, text);
    try {
      return { out: execFileSync("node", [script, file], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim(), code: 0 };
    } catch (e: any) {
      return { out: String(e.stderr).trim(), code: e.status as number };
    }
  };
  const profiles = (...urls: unknown[]) => JSON.stringify({ profiles: urls.map((base_url, i) => ({ name: `P${i}`, base_url })) });
  try {
    for (const [text, code, out] of [
      ["", 0, "'self'"],
      ["{}", 0, "'self'"],
      [JSON.stringify({ demo: true }), 0, "'self'"],
      [profiles("https://crm.acme.example/api"), 0, "'self' https://crm.acme.example"],
      // Origins: host in lower case, the default port dropped, each once, in order.
      [profiles("https://CRM.acme.example:443/v2/", "http://127.0.0.1:3000", "https://crm.acme.example/other", "https://erp.acme.example:8443"), 0,
        "'self' https://crm.acme.example http://127.0.0.1:3000 https://erp.acme.example:8443"],
      ["{not json", 1, "not JSON"],
      ["[]", 1, "expected a JSON object"],
      [JSON.stringify({ profiles: {} }), 1, "profiles must be a list"],
      [profiles("crm.acme.example"), 1, "profiles[0].base_url is not a URL"],
      [profiles("https://ok.example", "ftp://files.acme.example"), 1, "profiles[1].base_url must be http(s)"],
      [JSON.stringify({ profiles: [{ name: "x" }] }), 1, "profiles[0].base_url is missing"],
      [profiles("http://[::1]:3000"), 1, "IPv6"],
    ] as const) {
      const r = run(text);
      expect(r.code, text).toBe(code);
      if (code === 0) expect(r.out, text).toBe(out);
      else expect(r.out, text).toContain(out);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("connect-src comes from config.json: a listed backend works, an unlisted one is refused with a clear message", async ({ browser }, info) => {
  test.skip(info.project.name !== "desktop", "once is enough");
  const listed = await jsonServer({ customers: [customer("C1", "宁波港物流", "宁波")] });
  const unlisted = await jsonServer({ customers: [customer("X1", "不应出现的客户", "上海")] });
  const preset = JSON.parse(readFileSync(join(root, "src/core/rest/presets/json-server.json"), "utf8"));
  const acme = { ...preset, name: "Acme CRM", preset: undefined, base_url: listed.url };
  const deploy = await ownDeploy({ "config.json": JSON.stringify({ profiles: [acme], default: "Acme CRM" }) });
  const context = await browser.newContext({ baseURL: deploy.base });
  const violations = watchCsp(context);
  try {
    // nginx sends the policy scripts/nginx.sh derived from this deployment's config.json.
    const csp = String((await get(deploy.base)).headers["content-security-policy"]);
    expect(csp).toContain(`connect-src 'self' ${listed.url};`);

    // The deployment's backend: opened by default and synced.
    const page = await context.newPage();
    await openApp(page, "sync");
    await expect(page.getByTestId("sync-source")).toContainText(listed.url);
    await synced(page);
    await page.getByRole("link", { name: "Customers" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Showing" })).toHaveText("Showing 1 of 1 customer");
    expect(violations).toEqual([]);

    // A backend the deployment does not list: the browser refuses it and the app says why, at once.
    await page.getByRole("link", { name: "Settings" }).click();
    await page.getByTestId("preset").selectOption("json-server");
    await page.getByTestId("backend-url").fill(unlisted.url);
    const t0 = Date.now();
    await page.getByTestId("test-connection").click();
    const probes = page.getByTestId("probes");
    await expect(probes.locator("li.bad").first()).toContainText(`This deployment does not allow connections to ${unlisted.url}:`, { timeout: 10_000 });
    expect(Date.now() - t0).toBeLessThan(10_000);
    await expect(probes.locator("li.ok")).toHaveCount(0);
    await page.getByRole("banner").getByTestId("language").selectOption("zh-Hans");
    await expect(probes.locator("li.bad").first()).toContainText(`此部署不允许连接到 ${unlisted.url}`);
    await page.getByRole("banner").getByTestId("language").selectOption("en");
    // Connected anyway, its sync stops with the same message instead of waiting forever.
    await page.getByTestId("save-backend").click();
    await expect(page.getByTestId("workspace-source")).toContainText(unlisted.url, { timeout: 30_000 });
    await page.getByRole("link", { name: /^Sync/ }).click();
    await expect(page.getByTestId("sync-error")).toContainText(`This deployment does not allow connections to ${unlisted.url}`, { timeout: 15_000 });
    // The refusals were the browser's, for that backend only (the messages quote the policy, which
    // names the listed one).
    expect(violations.length).toBeGreaterThan(0);
    expect(violations.filter((v) => !v.includes(unlisted.url))).toEqual([]);
    expect(violations.filter((v) => v.includes(`connect to '${listed.url}`) || v.includes(`blocked ${listed.url}`))).toEqual([]);
  } finally {
    await context.close();
    deploy.stop();
    listed.stop();
    unlisted.stop();
  }
});

test("wipe this device: warns with the number of unsynced edits, then leaves nothing behind", async ({ context, page }, info) => {
  test.skip(info.project.name !== "desktop", "once is enough");
  await openApp(page, "customers");
  await controlled(page);
  await page.getByTestId("language").selectOption("zh-Hans"); // remembered in localStorage
  await page.getByTestId("language").selectOption("en");
  const id = decodeURIComponent((await page.getByTestId("customer-table").locator("tbody tr[data-row]").first().getByRole("link").getAttribute("href"))!.split("/").pop()!);
  await context.setOffline(true);
  await editCustomer(page, id, "city", "离线改的城市");
  await editCustomer(page, id, "address", "离线改的地址 1 号");
  await page.goto("customers/new");
  await page.locator("#f-name").fill("离线新建的客户");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("nav-pending")).toHaveText("2");
  await context.setOffline(false);
  expect(await page.evaluate(async () => (await indexedDB.databases()).length)).toBeGreaterThan(0);

  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByTestId("wipe-device").click();
  const confirm = page.getByTestId("wipe-confirm");
  await expect(confirm.getByTestId("wipe-warning")).toHaveText("2 unsynced changes have not reached the backend and will be lost.");
  // Cancel keeps everything.
  await confirm.getByTestId("cancel-wipe").click();
  await expect(confirm).toHaveCount(0);
  await expect(page.getByTestId("nav-pending")).toHaveText("2");

  // Confirmed: the app wipes and restarts at its start page. Hold that page as a blank one, to
  // look at the device before the fresh app creates its new (empty) workspace.
  await page.getByTestId("wipe-device").click();
  await page.route(held, holdStart);
  await Promise.all([page.waitForURL(held, { timeout: 20_000 }), page.getByTestId("confirm-wipe").click()]);
  await expect(page).toHaveTitle("held");
  expect(await leftOnDevice(page)).toEqual({ databases: [], caches: [], local: 0, session: 0, workers: 0 });
  await page.unroute(held);

  // A fresh start: the demo again, nothing waiting, the edits gone.
  await openApp(page, "customers");
  await expect(page.getByTestId("nav-pending")).toHaveCount(0);
  await page.goto(`customers/${encodeURIComponent(id)}`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.locator("main")).not.toContainText("离线改的城市");
});

test("wipe with two tabs open: counts every workspace's unsynced changes and the drafts; the other tab lets go and starts clean", async ({ context }, info) => {
  test.skip(info.project.name !== "desktop", "once is enough");
  const server = await jsonServer({ customers: [customer("C1", "宁波港物流", "宁波")] });
  try {
    // One unsynced change in the demo workspace…
    const one = await context.newPage();
    await openApp(one, "customers");
    await controlled(one);
    const demoId = decodeURIComponent((await one.getByTestId("customer-table").locator("tbody tr[data-row]").first().getByRole("link").getAttribute("href"))!.split("/").pop()!);
    await editCustomer(one, demoId, "city", "演示里改的城市");
    // …two in a backend's workspace whose server is down, and a ticket form left half-filled.
    await connect(one, "json-server", server.url);
    await synced(one);
    server.stop();
    await editCustomer(one, "C1", "city", "宁波北仑");
    await one.goto("customers/new");
    await one.locator("#f-name").fill("服务器停机时新建");
    await one.getByRole("button", { name: "Save" }).click();
    await expect(one.getByTestId("nav-pending")).toHaveText("2");
    await one.goto("customers/C1");
    await one.getByTestId("new-ticket").click();
    await one.locator("#f-title").fill("没保存的工单");
    await expect.poll(() => one.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("kehu.draft.")).length)).toBe(1);

    // The other tab: the same workspace open (its database too), and its own session storage.
    const two = await context.newPage();
    await openApp(two, "customers/C1");
    await expect(two.locator("main")).toContainText("宁波北仑");
    await two.evaluate(() => sessionStorage.setItem("kehu.tab", "two"));

    await one.getByRole("link", { name: "Settings" }).click();
    await one.getByTestId("wipe-device").click();
    await expect(one.getByTestId("wipe-warning")).toHaveText(
      "3 unsynced changes in 2 workspaces have not reached their backends and will be lost. Unsaved form drafts that will be lost: 1.");
    await one.getByRole("banner").getByTestId("language").selectOption("zh-Hans");
    await expect(one.getByTestId("wipe-warning")).toHaveText("2 个工作区中有 3 项未同步的更改尚未送达其后端，将会丢失。将丢失的未保存表单草稿：1 份。");
    await one.getByRole("banner").getByTestId("language").selectOption("en");

    // Both tabs restart at the start page when it is done; hold it to look at the device first.
    await context.route(held, holdStart);
    await Promise.all([
      one.waitForURL(held, { timeout: 20_000 }),
      two.waitForURL(held, { timeout: 20_000 }),
      one.getByTestId("confirm-wipe").click(),
    ]);
    await expect(one).toHaveTitle("held");
    await expect(two).toHaveTitle("held");
    const nothing = { databases: [], caches: [], local: 0, session: 0, workers: 0 };
    expect(await leftOnDevice(one)).toEqual(nothing);
    expect(await leftOnDevice(two)).toEqual(nothing);
    await context.unroute(held);

    // The other tab starts clean: the demo, nothing waiting, no draft.
    await openApp(two, "customers");
    await expect(two.getByTestId("demo-badge")).toBeVisible();
    await expect(two.getByTestId("nav-pending")).toHaveCount(0);
    await two.goto(`customers/${encodeURIComponent(demoId)}`);
    await expect(two.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(two.locator("main")).not.toContainText("演示里改的城市");
  } finally {
    server.stop();
  }
});

test("a wipe that a page holding the database blocks says so instead of restarting", async ({ context, page }, info) => {
  test.skip(info.project.name !== "desktop", "once is enough");
  await openApp(page, "settings");
  // Something that keeps the database open and ignores requests to close it (not Kehu).
  const holder = await context.newPage();
  await holder.goto("no-such-file.js").catch(() => {});
  await holder.evaluate(() => new Promise<void>((resolve, reject) => {
    const req = indexedDB.open("kehu:demo");
    req.onsuccess = () => { (window as any).__db = req.result; resolve(); };
    req.onerror = () => reject(req.error);
  }));
  await page.getByTestId("wipe-device").click();
  await page.getByTestId("confirm-wipe").click();
  await expect(page.getByTestId("wipe-blocked")).toContainText("another tab or window still has Kehu's data open", { timeout: 20_000 });
  await expect(page).toHaveURL(/\/crm\/settings$/);
  // Closing it lets the queued deletion finish.
  await holder.close();
  await expect.poll(() => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name)), { timeout: 10_000 }).toEqual([]);
});

test("sign-out offers wiping this device too, saying first what would be lost", async ({ context, page }, info) => {
  test.skip(info.project.name !== "desktop", "once is enough");
  const server = await jsonServer({ customers: [customer("C1", "宁波港物流", "宁波")] });
  try {
    await connect(page, "json-server", server.url);
    await synced(page);
    server.stop();
    await editCustomer(page, "C1", "city", "宁波北仑");
    await page.getByRole("link", { name: "Settings" }).click();

    // Plain sign-out keeps the data and the unsynced change.
    await page.getByTestId("sign-out").click();
    const panel = page.getByTestId("sign-out-confirm");
    await expect(panel).toContainText("unsynced changes stay");
    await expect(panel.getByTestId("wipe-warning")).toHaveCount(0);
    await panel.getByTestId("confirm-sign-out").click();
    await expect(page.getByTestId("signed-out")).toBeVisible();
    await expect(page.getByTestId("nav-pending")).toHaveText("1");

    // With "also wipe this device": what would be lost, then everything goes.
    await page.getByTestId("sign-out").click();
    await panel.getByTestId("also-wipe").check();
    await expect(panel.getByTestId("wipe-warning")).toHaveText("1 unsynced change has not reached the backend and will be lost.");
    await expect(panel.getByTestId("confirm-sign-out")).toHaveText("Sign out and wipe");
    await page.route(held, holdStart);
    await Promise.all([page.waitForURL(held, { timeout: 20_000 }), panel.getByTestId("confirm-sign-out").click()]);
    const left = await leftOnDevice(page);
    expect({ ...left, workers: 0 }).toEqual({ databases: [], caches: [], local: 0, session: 0, workers: 0 });
  } finally {
    server.stop();
  }
});
