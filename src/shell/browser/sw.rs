//! The service worker: registering it, looking for a new version and switching to it when the
//! user accepts; unregistering it and emptying Cache Storage (the device wipe).

use super::fetch::beside_index;
use super::global_prop;
use wasm_bindgen::JsValue;

#[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"
let reg = null;
let accepting = false;
export function kehu_sw_register(url, onUpdate, everyMs) {
  const sw = navigator.serviceWorker;
  if (!sw) return;
  // A new version is ready when a worker is installed and waiting while this page is controlled
  // (the first install has no controller: nothing to update).
  const check = (r) => { if (r.waiting && sw.controller) onUpdate(); };
  const update = () => { if (reg) reg.update().catch(() => {}); };
  sw.register(url).then((r) => {
    reg = r;
    check(r);
    r.addEventListener("updatefound", () => {
      const w = r.installing;
      if (w) w.addEventListener("statechange", () => { if (w.state === "installed") check(r); });
    });
    r.update().catch(() => {});
  }).catch(() => {});
  // Look for a new version when the network comes back, when the tab is shown again, and every
  // `everyMs` for a tab left open all day (each a revalidation of the small sw.js).
  window.addEventListener("online", update);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") update(); });
  setInterval(update, everyMs);
  // Another tab accepted an update: the new worker now controls this page too, which still runs
  // the old version (whose files the new cache no longer has): offer the reload here as well.
  let controlled = !!sw.controller;
  sw.addEventListener("controllerchange", () => { if (controlled && !accepting) onUpdate(); controlled = true; });
}
export function kehu_sw_activate() {
  const sw = navigator.serviceWorker;
  const waiting = reg && reg.waiting;
  accepting = true;
  if (!sw || !waiting) { location.reload(); return; }
  let done = false;
  sw.addEventListener("controllerchange", () => { if (!done) { done = true; location.reload(); } });
  waiting.postMessage("kehu:activate");
}
"#)]
extern "C" {
    fn kehu_sw_register(url: &str, on_update: &js_sys::Function, every_ms: u32);
    fn kehu_sw_activate();
}

/// How often an open tab looks for a new version of the app.
const UPDATE_CHECK_MS: u32 = 60 * 60 * 1000;

/// Registers the service worker (beside index.html) that keeps the app shell for offline starts,
/// and checks for a new version now, whenever the network comes back or the tab is shown again,
/// and hourly. `on_update` runs when a new version is installed and waiting (or another tab
/// switched to it): the page offers a reload, never forces one.
pub fn register_service_worker(on_update: impl Fn() + 'static) {
    use wasm_bindgen::JsCast;
    let Some(url) = beside_index("sw.js") else { return };
    let cb = wasm_bindgen::prelude::Closure::<dyn Fn()>::new(on_update);
    kehu_sw_register(&url, cb.as_ref().unchecked_ref(), UPDATE_CHECK_MS);
    cb.forget(); // lives as long as the page
}

/// The user accepted "update available": the waiting worker takes over, then the page reloads
/// (the session and the outbox are in storage, so nothing is lost).
pub fn activate_update() {
    kehu_sw_activate();
}

/// `obj.name(...args)` for a browser API that web-sys would need extra features for.
fn call(obj: &JsValue, name: &str, args: &[JsValue]) -> Option<JsValue> {
    use wasm_bindgen::JsCast;
    let f: js_sys::Function = js_sys::Reflect::get(obj, &JsValue::from_str(name)).ok()?.dyn_into().ok()?;
    f.apply(obj, &args.iter().collect::<js_sys::Array>()).ok()
}

async fn settle(p: Option<JsValue>) -> Option<JsValue> {
    use wasm_bindgen::JsCast;
    let p = p?.dyn_into::<js_sys::Promise>().ok()?;
    wasm_bindgen_futures::JsFuture::from(p).await.ok()
}

/// Deletes every Cache Storage cache of this origin (the service worker's shell copies).
pub async fn clear_caches() -> usize {
    let Some(caches) = global_prop("caches") else { return 0 };
    let keys = settle(call(&caches, "keys", &[])).await.map(|k| js_sys::Array::from(&k)).unwrap_or_default();
    let mut n = 0;
    for k in keys.iter() {
        if settle(call(&caches, "delete", &[k])).await.and_then(|v| v.as_bool()) == Some(true) {
            n += 1;
        }
    }
    n
}

/// Unregisters this origin's service workers (the page stays as it is until reloaded).
pub async fn unregister_service_workers() {
    let Some(sw) = global_prop("navigator").and_then(|n| js_sys::Reflect::get(&n, &"serviceWorker".into()).ok()) else {
        return;
    };
    if sw.is_undefined() {
        return;
    }
    let regs = settle(call(&sw, "getRegistrations", &[])).await.map(|r| js_sys::Array::from(&r)).unwrap_or_default();
    for r in regs.iter() {
        let _ = settle(call(&r, "unregister", &[])).await;
    }
}
