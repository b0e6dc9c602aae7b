#!/usr/bin/env node
// Prints the Content-Security-Policy `connect-src` sources of a deployment, from its config.json:
// 'self' and the origin of every profile's base_url, in order, each once.
//   node scripts/csp-connect-src.mjs dist/config.json
//   'self' https://crm.acme.example https://erp.acme.example:8443
// scripts/nginx.sh uses it when the build it serves has a config.json; for any other server, put
// its output after `connect-src` in the Content-Security-Policy header. A backend that is not
// listed is refused by the browser (the app says so). The app calls nothing but its profiles'
// base_url (every request path is appended to it), so this list is complete for the profiles the
// deployment presets; a backend a user adds in Settings must be listed by hand.
// A file the app would not use (bad JSON, a profile without a valid http(s) base_url) is an
// error (exit 1, the reason on stderr), so a deployment never gets a policy that does not match.
import { readFileSync } from "node:fs";

function fail(message) {
  console.error(`csp-connect-src: ${message}`);
  process.exit(1);
}

const file = process.argv[2];
if (!file || process.argv.length > 3) fail("usage: node scripts/csp-connect-src.mjs <config.json>");
let text;
try {
  text = readFileSync(file, "utf8");
} catch (e) {
  fail(`cannot read ${file}: ${e.message}`);
}
// An empty file is no configuration (as the app reads it): nothing but the app's own origin.
let config = {};
if (text.trim() !== "") {
  try {
    config = JSON.parse(text);
  } catch (e) {
    fail(`${file} is not JSON: ${e.message}`);
  }
}
if (config === null || typeof config !== "object" || Array.isArray(config)) fail(`${file}: expected a JSON object`);
const profiles = config.profiles ?? [];
if (!Array.isArray(profiles)) fail(`${file}: profiles must be a list`);

const sources = ["'self'"];
profiles.forEach((p, i) => {
  const raw = p && typeof p === "object" ? p.base_url : undefined;
  if (typeof raw !== "string") fail(`${file}: profiles[${i}].base_url is missing`);
  let url;
  try {
    url = new URL(raw.trim());
  } catch {
    fail(`${file}: profiles[${i}].base_url is not a URL: ${raw}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") fail(`${file}: profiles[${i}].base_url must be http(s): ${raw}`);
  // A CSP host-source cannot name an IPv6 address.
  if (url.hostname.startsWith("[")) fail(`${file}: profiles[${i}].base_url: an IPv6 address cannot be listed in a CSP; use a host name`);
  if (!sources.includes(url.origin)) sources.push(url.origin);
});
console.log(sources.join(" "));
