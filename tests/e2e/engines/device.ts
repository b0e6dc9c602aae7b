// One device of a journey — a browser profile with one tab — behind a small interface, so the
// journeys (journeys.spec.ts) are written once and run in every engine:
//   chromium: Debian's Chromium through Playwright;
//   firefox:  Firefox ESR through geckodriver (W3C WebDriver, selenium-webdriver's client);
//   webkit:   WebKitGTK's MiniBrowser through WebKitWebDriver (W3C WebDriver), on Xvfb.
// Each device reaches the app (nginx) and each backend through relays of its own (switch.ts):
// switching them off is how a device goes offline in every engine alike.
import type { Browser, Page } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { freePort } from "../helpers";
import { relay, type Switch } from "./switch";

// selenium-webdriver is CommonJS; loaded as such (its named exports are not statically visible).
const require = createRequire(import.meta.url);
const sw = require("selenium-webdriver") as typeof import("selenium-webdriver");
const swHttp = require("selenium-webdriver/http") as { Executor: any; HttpClient: any };

export type Engine = "chromium" | "firefox" | "webkit";
export const ENGINES: Engine[] = ["chromium", "firefox", "webkit"];

/** What a journey does with a device. Selectors are CSS; `text` narrows to the first match whose
 *  text contains it. Every action waits (up to 15 s) for its element to be there and visible. */
export interface Device {
  engine: Engine;
  /** The app's base URL as this device reaches it (ends in /crm/). */
  base: string;
  /** `url` (a backend on 127.0.0.1) as this device reaches it: through its own relay. */
  backend(url: string): Promise<string>;
  /** Network on or off for this device (app and backends). Back on, the page gets the `online`
   *  event a browser fires when its network returns. */
  online(on: boolean): Promise<void>;
  goto(path: string): Promise<void>;
  reload(): Promise<void>;
  click(css: string, text?: string): Promise<void>;
  fill(css: string, value: string): Promise<void>;
  select(css: string, value: string): Promise<void>;
  upload(css: string, file: string): Promise<void>;
  /** Runs `body` (a function body; `return` a value or a promise) in the page with `args`. */
  run<T = unknown>(body: string, ...args: unknown[]): Promise<T>;
  close(): Promise<void>;
}


/** Finds the first visible element matching `css` (containing `text`): its index, or -1. */
const FIND = `const [css, text, visible] = arguments;
const all = [...document.querySelectorAll(css)];
return all.findIndex((e) => (text == null || (e.textContent || "").includes(text)) && (!visible || e.getClientRects().length > 0));`;

async function poll<T>(what: string, timeout: number, f: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const v = await f();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`${what}: not found within ${timeout / 1000} s${last ? ` (${(last as Error).message})` : ""}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** The relays of one device: to the app, and one per backend. */
class Net {
  switches: Switch[] = [];
  byTarget = new Map<string, Switch>();
  on = true;
  async to(target: string): Promise<string> {
    let s = this.byTarget.get(target);
    if (!s) {
      s = await relay(target);
      s.set(this.on);
      this.switches.push(s);
      this.byTarget.set(target, s);
    }
    return s.origin;
  }
  set(on: boolean) {
    this.on = on;
    for (const s of this.switches) s.set(on);
  }
  async stop() {
    await Promise.all(this.switches.map((s) => s.stop()));
  }
}

/** Opens a device of `engine` on the app served at `app` (an origin) under `subpath`. */
export async function openDevice(engine: Engine, app: string, subpath: string, browser?: () => Promise<Browser>): Promise<Device> {
  const net = new Net();
  const base = `${await net.to(app)}${subpath}`;
  const backend = (url: string) => net.to(url);
  if (engine === "chromium") {
    const b = await browser!();
    const context = await b.newContext({ baseURL: base, viewport: { width: 1280, height: 800 }, locale: "en-US" });
    const page = await context.newPage();
    return playwrightDevice(engine, base, page, net, backend, async () => {
      await context.close();
      await b.close();
    });
  }
  return webDriverDevice(engine, base, net, backend);
}

function playwrightDevice(engine: Engine, base: string, page: Page, net: Net, backend: Device["backend"], closing: () => Promise<void>): Device {
  const el = (css: string, text?: string) => (text == null ? page.locator(css) : page.locator(css).filter({ hasText: text })).first();
  const d: Device = {
    engine,
    base,
    backend,
    async online(on) {
      net.set(on);
      if (on) await d.run(`window.dispatchEvent(new Event("online"));`);
    },
    goto: async (path) => void (await page.goto(path)),
    reload: async () => void (await page.reload()),
    click: (css, text) => el(css, text).click({ timeout: 15_000 }),
    fill: (css, value) => el(css).fill(value, { timeout: 15_000 }),
    select: async (css, value) => void (await el(css).selectOption(value, { timeout: 15_000 })),
    upload: (css, file) => el(css).setInputFiles(file, { timeout: 15_000 }),
    // A string expression: evaluated by the DevTools protocol, outside the page's CSP.
    run: (body, ...args) => page.evaluate(`(async function () { ${body} }).apply(null, ${JSON.stringify(args)})`),
    async close() {
      await closing();
      await net.stop();
    },
  };
  return d;
}

/** Starts a WebDriver server of `engine` on a free port; resolves once it answers /status. */
async function startDriver(engine: Engine): Promise<{ url: string; proc: ChildProcess }> {
  const port = await freePort();
  let cmd: string;
  if (engine === "firefox") cmd = process.env.GECKODRIVER ?? "geckodriver";
  else {
    if (!process.env.DISPLAY) throw new Error("webkit: MiniBrowser needs an X display: run under xvfb-run (scripts/test.sh does)");
    cmd = process.env.WEBKITWEBDRIVER ?? "/usr/bin/WebKitWebDriver";
  }
  const proc = spawn(cmd, [`--port=${port}`], { stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  proc.stderr!.on("data", (b: Buffer) => (err = (err + b.toString()).slice(-2000)));
  const url = `http://127.0.0.1:${port}`;
  await poll(`${engine}: ${cmd} did not start (${err})`, 15_000, async () => ((await fetch(`${url}/status`)).ok ? true : undefined));
  return { url, proc };
}

function capabilities(engine: Engine): Record<string, unknown> {
  if (engine === "firefox") {
    const binary = process.env.FIREFOX ?? "/usr/bin/firefox-esr";
    if (!existsSync(binary)) throw new Error(`firefox: no ${binary} (scripts/setup.sh test installs firefox-esr)`);
    return {
      browserName: "firefox",
      "moz:firefoxOptions": {
        binary,
        args: ["-headless", "-width=1280", "-height=800"],
        prefs: { "intl.accept_languages": "en-US", "browser.shell.checkDefaultBrowser": false, "datareporting.policy.dataSubmissionEnabled": false },
      },
    };
  }
  // WebKitWebDriver starts MiniBrowser (its default browser) in automation mode.
  return { "webkitgtk:browserOptions": { binary: process.env.MINIBROWSER ?? "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser", args: ["--automation"] } };
}

async function webDriverDevice(engine: Engine, base: string, net: Net, backend: Device["backend"]): Promise<Device> {
  const { url, proc } = await startDriver(engine);
  let driver: import("selenium-webdriver").WebDriver;
  try {
    driver = await sw.WebDriver.createSession(new swHttp.Executor(new swHttp.HttpClient(url)), new sw.Capabilities(capabilities(engine)));
    await driver.manage().window().setRect({ width: 1280, height: 800 });
  } catch (e) {
    proc.kill();
    throw new Error(`${engine}: no WebDriver session: ${(e as Error).message}`);
  }
  // Options and file inputs (often styled away) need not be visible themselves.
  const find = async (css: string, text?: string, visible = true) =>
    poll(`${engine}: ${css}${text == null ? "" : ` with "${text}"`}`, 15_000, async () => {
      const i = (await driver.executeScript(FIND, css, text ?? null, visible)) as number;
      if (i < 0) return undefined;
      const all = await driver.findElements(sw.By.css(css));
      return all[i];
    });
  /** Acts on the element, finding it again if the page replaced it meanwhile. */
  const act = async (css: string, text: string | undefined, f: (e: import("selenium-webdriver").WebElement) => Promise<void>, visible = true) =>
    poll(`${engine}: acting on ${css}`, 15_000, async () => {
      await f(await find(css, text, visible));
      return true;
    });
  const to = (path: string) => new URL(path, base).href;
  const d: Device = {
    engine,
    base,
    backend,
    async online(on) {
      net.set(on);
      if (on) await d.run(`window.dispatchEvent(new Event("online"));`);
    },
    goto: (path) => driver.get(to(path)),
    // The page's own reload — what F5 or the reload button does. WebDriver's Refresh command is
    // not used: geckodriver's bypasses the service worker (as a shift-reload does), which would
    // make an offline reload fail in Firefox for a reason no user meets.
    async reload() {
      await d.run(`window.__kehuReload = true; setTimeout(() => location.reload(), 0);`);
      await poll(`${engine}: the reloaded page`, 30_000, async () =>
        (await d.run(`return window.__kehuReload === undefined && document.readyState === "complete";`)) ? true : undefined);
    },
    click: (css, text) => act(css, text, (e) => e.click()),
    fill: (css, value) =>
      act(css, undefined, async (e) => {
        await e.clear();
        if (value) await e.sendKeys(value);
      }),
    select: (css, value) => act(`${css} option[value="${value}"]`, undefined, (e) => e.click(), false),
    upload: (css, file) => act(css, undefined, (e) => e.sendKeys(file), false),
    run: (body, ...args) => driver.executeScript(`return (async function () { ${body} }).apply(null, arguments);`, ...args) as Promise<any>,
    async close() {
      await driver.quit().catch(() => {});
      proc.kill();
      await net.stop();
    },
  };
  return d;
}
