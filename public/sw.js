// Kehu's service worker: the app shell (HTML, JS, wasm, CSS, icons) is cached on install so the
// app starts with no network. The post-build hook (scripts/sw-manifest.mjs) fills in the asset
// list and a version derived from their contents; a new build is a new version, installed in the
// background and activated when the page asks (after the user accepts "update available").
const VERSION = "__KEHU_VERSION__";
const ASSETS = ["__KEHU_ASSETS__"];
const CACHE = "kehu-shell-" + VERSION;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(ASSETS.map((a) => new Request(a, { cache: "reload" })))));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("kehu-shell-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "kehu:activate") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  // Only this app's own files: backend requests are never cached here.
  if (req.method !== "GET" || url.origin !== self.location.origin) return;
  const scope = new URL(self.registration.scope);
  if (!url.pathname.startsWith(scope.pathname)) return;
  const rel = url.pathname.slice(scope.pathname.length);
  if (rel === "config.json") {
    // Deployment configuration: always fresh when online, the last copy when not.
    event.respondWith(fetch(req).then((r) => { const copy = r.clone(); caches.open(CACHE).then((c) => c.put(req, copy)); return r; })
      .catch(() => caches.match(req).then((r) => r || new Response("{}", { headers: { "Content-Type": "application/json" } }))));
    return;
  }
  if (req.mode === "navigate") {
    // Any route of the app is index.html: from the network when possible, else the cached shell.
    event.respondWith(fetch(req).catch(() => caches.match(scope.pathname, { cacheName: CACHE }).then((r) => r || caches.match(scope.pathname))));
    return;
  }
  event.respondWith(caches.match(req, { cacheName: CACHE }).then((hit) => hit || fetch(req)));
});
