// The specs' `test` and `expect`: Playwright's, plus a watch on every page of the test's browser
// context that fails the test when the browser reports a Content-Security-Policy violation (the
// suite runs against nginx with the production CSP, so a violation is a real deployment bug).
import { expect, test as base, type BrowserContext } from "@playwright/test";

const violations = new WeakMap<BrowserContext, string[]>();

/** Starts collecting CSP violations of `context` (also for contexts a test makes itself). */
export function watchCsp(context: BrowserContext): string[] {
  const seen = violations.get(context) ?? [];
  if (!violations.has(context)) {
    violations.set(context, seen);
    context.on("console", (msg) => {
      const text = msg.text();
      if (/Content Security Policy|Content-Security-Policy/i.test(text)) seen.push(text);
    });
    // The DOM's own report (covers violations the console does not show, e.g. blocked styles).
    void context.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) =>
        console.error(`Content Security Policy violation: ${e.violatedDirective} blocked ${e.blockedURI}`));
    });
  }
  return seen;
}

export const test = base.extend<{ cspWatch: void }>({
  cspWatch: [
    async ({ context }, use) => {
      const seen = watchCsp(context);
      await use();
      expect(seen, "Content-Security-Policy violations").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
export type { Page } from "@playwright/test";
