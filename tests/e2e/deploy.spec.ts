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
import { editCustomer, freePort, openApp } from "./helpers";

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

async function controlled(page: import("@playwright/test").Page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller), { timeout: 20_000 }).toBe(true);
}

test("nginx sends the deployment's headers: CSP, cache per file type, wasm MIME, compression, SPA fallback", async ({}, info) => {
  test.skip(info.project.name !== "desktop", "headers do not depend on the viewport");
  const base = info.project.use.baseURL!;
  expect(base).toMatch(/\/crm\/$/);
  const files = readdirSync(dist);
  const hashed = {
    wasm: files.find((f) => /^kehu-[0-9a-f]{16}_bg\.wasm$/.test(f))!,
    js: files.find((f) => /^kehu-[0-9a-f]{16}\.js$/.test(f))!,
    css: files.find((f) => /-[0-9a-f]{16}\.css$/.test(f))!,
    start: files.find((f) => /^start-[0-9a-f]{16}\.js$/.test(f))!,
  };
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
  const gz = await get(base + hashed.wasm, { "Accept-Encoding": "gzip" });
  expect(gz.headers["content-encoding"]).toBe("gzip");
  expect(gz.bytes).toBeLessThan(raw.bytes / 2);
  expect((await get(base + hashed.js, { "Accept-Encoding": "br" })).headers["content-encoding"]).toBe("br");
  const manifest = JSON.parse(readFileSync(join(dist, "manifest.webmanifest"), "utf8"));
  expect(manifest).toMatchObject({ start_url: ".", scope: ".", display: "standalone" });
  expect(manifest.icons.map((i: any) => `${i.sizes} ${i.purpose}`)).toEqual(["192x192 any", "512x512 any", "512x512 maskable"]);
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
  for (const route of ["customers", "segments"]) {
    const fresh = await context.newPage();
    await openApp(fresh, route);
    await expect(fresh.getByTestId("offline")).toBeVisible();
    if (route === "customers") {
      await expect(fresh.getByRole("status").filter({ hasText: "Showing" })).toHaveText("Showing 1000 of 1000 customers");
      // Pinyin search works offline too (its table comes from the shell cache).
      await fresh.getByLabel("Search customers").fill("yxgs");
      await expect(fresh.getByTestId("result-count")).not.toHaveText(/Showing (0|1000) of/, { timeout: 15_000 });
    } else await expect(fresh.getByTestId("rfm")).toBeVisible();
    await fresh.close();
  }
  await context.setOffline(false);
});

test("a new deploy is offered as an update; the reload happens only on the user's click and keeps unsynced edits", async ({ browser }, info) => {
  test.skip(info.project.name !== "desktop", "once is enough");
  // Its own nginx over a copy of the build, so this test can deploy a new version to it.
  const dir = mkdtempSync(join(tmpdir(), "kehu-deploy-"));
  cpSync(dist, dir, { recursive: true });
  chmodSync(dir, 0o755); // nginx's workers (user nobody when started as root) read it
  const port = await freePort();
  const base = execFileSync(nginx, ["start", dir, String(port), "/crm/"], { encoding: "utf8" }).trim();
  const context = await browser.newContext({ baseURL: base });
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
    const sw = join(dir, "sw.js");
    const text = readFileSync(sw, "utf8");
    const version = text.match(/const VERSION = "([0-9a-f]+)"/)![1];
    writeFileSync(sw, text.replace(`const VERSION = "${version}"`, `const VERSION = "${version}next"`));

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
    await expect.poll(() => page.evaluate(() => caches.keys())).toEqual([`kehu-shell-${version}next`]);
    expect(before).toEqual([`kehu-shell-${version}`]);
    await expect(page.getByTestId("nav-pending")).toHaveText("1");
    await page.goto(`customers/${encodeURIComponent(id)}`);
    await expect(page.locator("main")).toContainText("更新前的城市");
    expect(seen).toEqual([]);
  } finally {
    await context.close();
    execFileSync(nginx, ["stop", String(port)]);
    rmSync(dir, { recursive: true, force: true });
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
  await page.route((url) => url.pathname === "/crm/", (route) => route.fulfill({ contentType: "text/html", body: "<!doctype html><title>held</title>" }));
  await Promise.all([page.waitForURL((url) => url.pathname === "/crm/", { timeout: 20_000 }), page.getByTestId("confirm-wipe").click()]);
  await expect(page).toHaveTitle("held");
  const left = await page.evaluate(async () => ({
    databases: (await indexedDB.databases()).map((d) => d.name),
    caches: await caches.keys(),
    local: localStorage.length,
    session: sessionStorage.length,
    workers: (await navigator.serviceWorker.getRegistrations()).length,
  }));
  expect(left).toEqual({ databases: [], caches: [], local: 0, session: 0, workers: 0 });
  await page.unroute((url) => url.pathname === "/crm/");

  // A fresh start: the demo again, nothing waiting, the edits gone.
  await openApp(page, "customers");
  await expect(page.getByTestId("nav-pending")).toHaveCount(0);
  await page.goto(`customers/${encodeURIComponent(id)}`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.locator("main")).not.toContainText("离线改的城市");
});
