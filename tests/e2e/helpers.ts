// Shared by the end-to-end specs: real backends on 127.0.0.1 and the app's common gestures.
import { expect, type Page } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

export interface JsonServer {
  url: string;
  db: () => any;
  stop: () => void;
}

/** json-server 0.17.4 on a free port over its own database file; with `login`, behind the token
 * login of tests/fixtures/json-server-login.js (user "rep", password "s3cret"); with `validate`,
 * refusing customers whose city has a digit (tests/fixtures/json-server-validate.js). */
export async function jsonServer(seed: Record<string, unknown[]>, opts: { login?: boolean; uses?: number; validate?: boolean } = {}): Promise<JsonServer> {
  const dir = mkdtempSync(join(tmpdir(), "kehu-json-server-"));
  const file = join(dir, "db.json");
  const empty = { customers: [], contacts: [], orders: [], invoices: [], tickets: [], visits: [], surveys: [], plans: [], opportunities: [], tasks: [] };
  writeFileSync(file, JSON.stringify({ ...empty, ...seed }));
  const port = await freePort();
  const args = [file, "--host", "127.0.0.1", "--port", String(port), "--quiet"];
  if (opts.login) args.push("--middlewares", join(here, "../fixtures/json-server-login.js"));
  // tests/fixtures/json-server-validate.js: 422 with field errors for a customer city with digits.
  if (opts.validate) args.push("--middlewares", join(here, "../fixtures/json-server-validate.js"));
  const env = { ...process.env, KEHU_TOKEN_USES: String(opts.uses ?? 5) };
  const child: ChildProcess = spawn(join(here, "node_modules/.bin/json-server"), args, { stdio: "ignore", env });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`${url}/customers?_limit=1`);
      if (r.ok || r.status === 401) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, db: () => JSON.parse(readFileSync(file, "utf8")), stop: () => child.kill() };
}

/** A plain JSON server that sends no CORS headers: the browser must refuse to read its answers. */
export async function serverWithoutCors(): Promise<{ url: string; stop: () => void }> {
  const { createServer: http } = await import("node:http");
  const port = await freePort();
  const srv = http((req, res) => {
    res.writeHead(200, { "Content-Type": "application/json", "X-Total-Count": "0" });
    res.end("[]");
  });
  await new Promise<void>((r) => srv.listen(port, "127.0.0.1", () => r()));
  return { url: `http://127.0.0.1:${port}`, stop: () => srv.close() };
}

export function customer(id: string, name: string, city: string, extra: Record<string, unknown> = {}) {
  const t = "2026-10-01T08:00:00.000Z";
  return { id, name, role: "end_customer", region: "华东", country: "CN", city, owner: "王磊", currency: "CNY",
    payment_terms_days: 30, created_at: t, updated_at: t, ...extra };
}

export async function openApp(page: Page, path = "./") {
  await page.goto(path);
  await expect(page.locator("#boot")).toHaveCount(0);
  await expect(page.getByTestId("loading")).toHaveCount(0, { timeout: 30_000 });
}

/** Settings → "Your name" (the visit rep, "my tickets", "My accounts"), saved on this device. */
export async function setMyName(page: Page, name: string) {
  await openApp(page, "settings");
  await page.locator("#my-name").fill(name);
  await page.getByTestId("save-name").click();
}

/** Settings → choose a preset, enter the address (and token), save: the app opens that workspace. */
export async function connect(page: Page, preset: string, url: string, token?: string) {
  await openApp(page, "settings");
  await page.getByTestId("preset").selectOption(preset);
  await page.getByTestId("backend-url").fill(url);
  if (token) await page.getByTestId("backend-token").fill(token);
  await page.getByTestId("save-backend").click();
  await expect(page.getByTestId("workspace-source")).toContainText(url, { timeout: 30_000 });
}

/** Waits until the Sync page shows a finished run with no pending changes (or `pending` of them). */
export async function synced(page: Page, pending = 0) {
  await page.getByRole("link", { name: /^Sync/ }).click();
  await expect(page.getByTestId("last-sync")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("sync-progress")).toHaveCount(0, { timeout: 30_000 });
  try {
    await expect(page.getByTestId("pending-count")).toHaveText(String(pending), { timeout: 45_000 });
  } catch (e) {
    // Say why: the last run's result, its error and every waiting change, as the page shows them.
    const text = async (id: string) => (await page.getByTestId(id).allInnerTexts()).join(" | ");
    const seen = `last sync: ${await text("last-sync")}\nerror: ${await text("sync-error")}\noutbox: ${await text("outbox")}`;
    throw new Error(`${(e as Error).message}\n--- the Sync page said:\n${seen}`);
  }
}

/** Edits one field of a customer through its form. */
export async function editCustomer(page: Page, id: string, field: string, value: string) {
  await page.goto(`customers/${id}/edit`);
  await expect(page.getByTestId("customer-form")).toBeVisible({ timeout: 20_000 });
  await page.locator(`#f-${field}`).fill(value);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page).toHaveURL(new RegExp(`/crm/customers/${id}$`));
}

/** The network refusing one chunk of the app's code (`split_<name>.wasm`) while `refuse` is set;
 *  `asked` counts the requests for it. */
export async function chunkGate(page: Page, name: string, refuse: boolean) {
  const gate = { refuse, asked: 0 };
  await page.route(new RegExp(`/split_${name}\\.wasm$`), (route) => {
    gate.asked++;
    return gate.refuse ? route.abort("internetdisconnected") : route.continue();
  });
  return gate;
}

/** The BottleCRM the test command started: its address, its token and a JSON client for its API
 *  (`null` when none runs, e.g. a spec run by hand without one). */
export function bottleCrm() {
  const url = process.env.KEHU_BOTTLECRM_URL;
  const token = process.env.KEHU_BOTTLECRM_TOKEN;
  if (!url || !token) return null;
  const api = async (path: string, init: RequestInit = {}) => {
    const r = await fetch(`${url}${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...(init.headers ?? {}) } });
    return r.json();
  };
  return { url, token, api };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** Runs axe-core on the page; fails on serious or critical violations, naming them. */
export async function axe(page: Page, where: string) {
  await page.evaluate(axeSource);
  const violations: any[] = await page.evaluate(async () => {
    const r = await (window as any).axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v: any) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n: any) => n.target.join(" ")) }));
  });
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad, `${where}: ${JSON.stringify(bad, null, 1)}`).toEqual([]);
}
