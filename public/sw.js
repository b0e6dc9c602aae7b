// Kehu's service worker: the app shell (HTML, JS, wasm, CSS, icons) is cached on install so the
// app starts with no network. The post-build hook (scripts/sw-manifest.mjs) fills in the asset
// list and a version derived from their contents; a new build is a new version, installed in the
// background and activated when the page asks (after the user accepts "update available").
//
// One version at a time: every page this worker serves — index.html for any route, and every
// asset it loads — comes from this version's cache (`kehu-shell-<version>`), never from the
// network while the cache has it. So an online reload cannot mix an old shell with new assets
// (or a new index.html with an old unhashed file such as `kehu-demo_loader.js` or wasm-bindgen's
// `snippets/`): a new deploy is a new worker with its own complete cache, waiting until the user
// accepts "update available" (or every tab of the app is closed), and only then does index.html
// change, together with all of its files. This is also what makes a start on a slow or dead
// network instant: navigations never wait for the network.
const VERSION = "__KEHU_VERSION__";
const ASSETS = ["__KEHU_ASSETS__"];
const CACHE = "kehu-shell-" + VERSION;
// How long config.json may take before the last copy is used (the app itself gives up at 5 s).
const CONFIG_TIMEOUT_MS = 3000;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then(async (c) => {
    await c.addAll(ASSETS.map((a) => new Request(a, { cache: "reload" })));
    // The deployment's config.json too, if it answers (not required: it is refreshed at each start),
    // so the next start on a dead or slow network has it.
    const config = new Request(new URL("config.json", self.registration.scope).href, { cache: "no-store" });
    await fetch(config).then((r) => r.ok && c.put(config, r)).catch(() => {});
  }));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const current = await caches.open(CACHE);
    const old = (await caches.keys()).filter((k) => k.startsWith("kehu-shell-") && k !== CACHE);
    // The deployment's config.json is not part of a version: keep the last copy for offline starts.
    const config = new URL("config.json", self.registration.scope).href;
    if (!(await current.match(config))) {
      for (const k of old) {
        const copy = await caches.open(k).then((c) => c.match(config));
        if (copy) { await current.put(config, copy); break; }
      }
    }
    await Promise.all(old.map((k) => caches.delete(k)));
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  if (event.data === "kehu:activate") self.skipWaiting();
});

// A task reminder clicked: the app's window, at the page the reminder names (My day), focused;
// a new window when none is open. Only this app's own addresses (same origin) are opened.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const raw = (event.notification.data && event.notification.data.url) || self.registration.scope;
  let url;
  try { url = new URL(raw, self.registration.scope); } catch (e) { url = new URL(self.registration.scope); }
  if (url.origin !== self.location.origin) url = new URL(self.registration.scope);
  event.waitUntil((async () => {
    const open = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    const mine = open.find((c) => c.url.startsWith(self.registration.scope));
    if (mine) {
      await mine.focus();
      if ("navigate" in mine) await mine.navigate(url.href).catch(() => {});
      return;
    }
    await self.clients.openWindow(url.href);
  })());
});

// `caches.match` with a cacheName, not `caches.open`: a lookup never recreates a cache that a
// device wipe has just deleted.
const fromCache = (req) => caches.match(req, { cacheName: CACHE });

/** `promise`, or `undefined` if it has not settled within `ms`. */
const within = (ms, promise) => new Promise((resolve, reject) => {
  const t = setTimeout(() => resolve(undefined), ms);
  promise.then((v) => { clearTimeout(t); resolve(v); }, (e) => { clearTimeout(t); reject(e); });
});

/** config.json: fresh from the network when it answers within CONFIG_TIMEOUT_MS (a late answer
 * still refreshes the copy), else the last copy. With no copy, the network's answer whenever it
 * comes (the app has its own limit), and "{}" (no configuration) when there is none. */
function config(event) {
  const req = event.request;
  const network = fetch(req);
  // Registered first, so the copy is taken before the page reads the body; kept only while this
  // version's cache exists (not re-created after a device wipe).
  event.waitUntil(network.then((r) => {
    if (!r.ok) return;
    const copy = r.clone();
    return caches.has(CACHE).then((has) => has && caches.open(CACHE).then((c) => c.put(req, copy)));
  }).catch(() => {}));
  const none = () => new Response("{}", { headers: { "Content-Type": "application/json" } });
  return within(CONFIG_TIMEOUT_MS, network)
    .then((r) => r || fromCache(req).then((hit) => hit || network))
    .catch(() => fromCache(req).then((hit) => hit || none()));
}

/** Any route of the app is index.html, from this version's cache (see the top); the network only
 * when the cache lacks it (the browser evicted it). A path naming a file of the shell is that
 * file; any other path with an extension goes to the network (a 404 there). */
function navigate(req, scope, rel) {
  const file = ASSETS.includes("./" + rel) && rel !== "";
  if (!file && /\.[A-Za-z0-9]+$/.test(rel)) return fetch(req);
  const key = file ? new URL(rel, scope).href : scope;
  return fromCache(key).then((hit) => hit || fetch(req).catch(() => caches.match(key).then((r) => r || Response.error())));
}

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  // Only this app's own files: backend requests are never cached here.
  if (req.method !== "GET" || url.origin !== self.location.origin) return;
  const scope = self.registration.scope;
  const base = new URL(scope).pathname;
  if (!url.pathname.startsWith(base)) return;
  const rel = url.pathname.slice(base.length);
  if (rel === "config.json") return event.respondWith(config(event));
  if (req.mode === "navigate") return event.respondWith(navigate(req, scope, rel));
  event.respondWith(fromCache(req).then((hit) => hit || fetch(req)));
});
