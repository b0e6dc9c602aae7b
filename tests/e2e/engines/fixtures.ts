// The journeys' `test`: Playwright's runner (its projects are the engines: chromium, firefox,
// webkit — a failure is reported under its engine's name) with a `devices` fixture that opens
// devices of the project's engine (device.ts) and closes them after the test.
import { test as base, expect } from "@playwright/test";
import { chromium } from "@playwright/test";
import { subpath } from "../playwright.config";
import { openDevice, type Device, type Engine } from "./device";

export interface Devices {
  engine: Engine;
  /** A new device (its own profile and network) on the app at `app` (default: the suite's nginx). */
  open(app?: string): Promise<Device>;
}

export const test = base.extend<{ devices: Devices }>({
  devices: async ({}, use, info) => {
    const engine = info.project.name as Engine;
    const opened: Device[] = [];
    const app = `http://127.0.0.1:${process.env.KEHU_E2E_PORT ?? 8091}`;
    const launch = () => chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
    await use({
      engine,
      async open(origin = app) {
        const d = await openDevice(engine, origin, subpath, launch);
        opened.push(d);
        return d;
      },
    });
    for (const d of opened) await d.close();
  },
});

const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

export { expect };
