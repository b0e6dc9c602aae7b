//! Browser basics: language preferences, local storage, the clock.

use crate::core::locale::Lang;
use crate::core::model::{Date, Timestamp};
use gloo_storage::{LocalStorage, Storage};
use wasm_bindgen::JsValue;

const LANG_KEY: &str = "kehu.lang";

/// `navigator.languages` (falling back to `navigator.language`), most preferred first.
pub fn browser_languages() -> Vec<String> {
    let Some(window) = web_sys::window() else { return Vec::new() };
    let nav = window.navigator();
    let list: Vec<String> = nav.languages().iter().filter_map(|v| v.as_string()).collect();
    if list.is_empty() { nav.language().into_iter().collect() } else { list }
}

/// The language the user chose earlier on this device, if any (an unreadable value counts as none).
pub fn stored_lang() -> Option<Lang> {
    let tag: String = LocalStorage::get(LANG_KEY).ok()?;
    Lang::ALL.into_iter().find(|l| l.tag() == tag)
}

/// Remembers the user's choice; storage being full or disabled is not an error worth a message.
pub fn store_lang(lang: Lang) {
    let _ = LocalStorage::set(LANG_KEY, lang.tag());
}

/// The language to start in: the remembered choice, else the browser's preference.
pub fn initial_lang() -> Lang {
    stored_lang().unwrap_or_else(|| Lang::negotiate(&browser_languages()))
}

/// Sets `<html lang>` to the UI language (screen readers, hyphenation and the CJK font choice
/// follow it).
pub fn set_document_lang(tag: &str) {
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute("lang", tag);
    }
}

/// Today's date in the user's time zone.
pub fn today() -> Date {
    let d = js_sys::Date::new_0();
    Date::from_ymd_opt(d.get_full_year() as i32, d.get_month() + 1, d.get_date()).unwrap_or_default()
}

/// Resolves in a new task of the event loop, so that long work split at these points never holds
/// the main thread for more than one piece (the page renders and takes input in between). It
/// posts a message to itself through a `MessageChannel`, which, unlike chained `setTimeout(0)`,
/// is not clamped to 4 ms; `setTimeout(0)` if that fails.
pub async fn next_task() {
    use wasm_bindgen::JsCast;
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let channel = web_sys::MessageChannel::new().ok();
        let keep = channel.clone();
        let done = wasm_bindgen::closure::Closure::once_into_js(move || {
            drop(keep);
            let _ = resolve.call0(&JsValue::UNDEFINED);
        });
        let posted = channel.is_some_and(|ch| {
            ch.port1().set_onmessage(Some(done.unchecked_ref()));
            ch.port2().post_message(&JsValue::UNDEFINED).is_ok()
        });
        if !posted && let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(done.unchecked_ref(), 0);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Resolves once the next frame is painted (an animation frame, then a task): work that can
/// wait goes after the first screen. A hidden tab paints no frames: there it waits until shown.
pub async fn after_paint() {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let scheduled = web_sys::window().and_then(|w| w.request_animation_frame(&resolve).ok()).is_some();
        if !scheduled {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    next_task().await;
}

/// Now, from the browser clock.
pub fn now() -> Timestamp {
    let ms = js_sys::Date::now();
    chrono::DateTime::from_timestamp_millis(ms as i64).unwrap_or_default()
}

/// Minutes east of UTC of the user's time zone (for showing local times).
pub fn utc_offset_minutes() -> i32 {
    -(js_sys::Date::new_0().get_timezone_offset() as i32)
}

/// A value from `sessionStorage` (cleared when the tab closes).
pub fn session_get(key: &str) -> Option<String> {
    web_sys::window()?.session_storage().ok()??.get_item(key).ok()?
}

pub fn session_set(key: &str, value: Option<&str>) {
    if let Some(s) = web_sys::window().and_then(|w| w.session_storage().ok().flatten()) {
        let _ = match value {
            Some(v) => s.set_item(key, v),
            None => s.remove_item(key),
        };
    }
}

/// A raw string from `localStorage` (kept on this device).
pub fn local_get(key: &str) -> Option<String> {
    web_sys::window()?.local_storage().ok()??.get_item(key).ok()?
}

pub fn local_set(key: &str, value: Option<&str>) {
    if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = match value {
            Some(v) => s.set_item(key, v),
            None => s.remove_item(key),
        };
    }
}

/// Like [`local_set`], but says when the value could not be kept: `Err` with the browser's
/// reason (`QuotaExceededError` when storage is full, or no `localStorage` at all).
pub fn local_try_set(key: &str, value: Option<&str>) -> Result<(), String> {
    let s = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .ok_or_else(|| "no localStorage".to_string())?;
    let r = match value {
        Some(v) => s.set_item(key, v),
        None => s.remove_item(key),
    };
    r.map_err(|e| {
        use wasm_bindgen::JsCast;
        e.dyn_ref::<web_sys::DomException>()
            .map(|d| d.name())
            .or_else(|| e.as_string())
            .unwrap_or_else(|| "storage error".into())
    })
}

/// A property of the global scope (window or worker), e.g. `navigator`.
fn global_prop(name: &str) -> Option<JsValue> {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str(name)).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

/// 16 bytes from the cryptographic random source (for record ids), in a window or a worker.
pub fn random_bytes() -> [u8; 16] {
    use wasm_bindgen::JsCast;
    let mut b = [0u8; 16];
    let filled = global_prop("crypto")
        .and_then(|c| c.dyn_into::<web_sys::Crypto>().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut b).is_ok());
    if !filled {
        for x in b.iter_mut() {
            *x = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    b
}

/// `navigator.onLine`, in a window or a worker.
pub fn is_online() -> bool {
    global_prop("navigator")
        .and_then(|n| js_sys::Reflect::get(&n, &"onLine".into()).ok())
        .and_then(|v| v.as_bool())
        .unwrap_or(true)
}

/// Storage used and available to this origin, in bytes.
pub async fn storage_estimate() -> Option<(f64, f64)> {
    let sm = web_sys::window()?.navigator().storage();
    let est = wasm_bindgen_futures::JsFuture::from(sm.estimate().ok()?).await.ok()?;
    let est: web_sys::StorageEstimate = est.into();
    Some((est.get_usage().unwrap_or(0.0), est.get_quota().unwrap_or(0.0)))
}

/// Asks the browser not to evict this origin's storage; `Some(true)` when granted.
pub async fn persist_storage() -> Option<bool> {
    let sm = web_sys::window()?.navigator().storage();
    let persisted = wasm_bindgen_futures::JsFuture::from(sm.persisted().ok()?).await.ok()?.as_bool();
    if persisted == Some(true) {
        return persisted;
    }
    wasm_bindgen_futures::JsFuture::from(sm.persist().ok()?).await.ok()?.as_bool()
}

/// Runs `work` while holding the Web Lock `name`, if no other tab holds it; `None` when another
/// tab does. Without the Web Locks API (old browsers) the work simply runs.
pub async fn with_lock<T: 'static>(name: &str, work: impl std::future::Future<Output = T> + 'static) -> Option<T> {
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::Closure;
    let locks = global_prop("navigator")
        .and_then(|n| js_sys::Reflect::get(&n, &"locks".into()).ok())
        .filter(|l| !l.is_undefined() && !l.is_null());
    let Some(locks) = locks else { return Some(work.await) };
    let request =
        js_sys::Reflect::get(&locks, &"request".into()).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let Some(request) = request else { return Some(work.await) };
    let slot: Rc<RefCell<Option<T>>> = Rc::new(RefCell::new(None));
    let work = Rc::new(RefCell::new(Some(work)));
    let out = slot.clone();
    let cb = Closure::<dyn FnMut(JsValue) -> js_sys::Promise>::new(move |lock: JsValue| {
        let job = if lock.is_null() { None } else { work.borrow_mut().take() };
        let out = out.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            if let Some(job) = job {
                let v = job.await;
                *out.borrow_mut() = Some(v);
            }
            Ok(JsValue::UNDEFINED)
        })
    });
    let opts = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&opts, &"ifAvailable".into(), &JsValue::TRUE);
    let promise = request.call3(&locks, &JsValue::from_str(name), &opts, cb.as_ref().unchecked_ref()).ok()?;
    let _ = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(promise)).await;
    drop(cb);
    slot.borrow_mut().take()
}

/// Why a `fetch` produced no complete response.
pub enum FetchError {
    /// No answer within the time limit.
    Timeout,
    /// No answer: offline, host unreachable, or the browser refused to show it (CORS).
    Network,
    /// The request could not be made (a bad URL or header).
    Build(String),
    /// The answer stopped before its end.
    Body(String),
}

fn js_text(e: &JsValue) -> String {
    js_sys::Reflect::get(e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| e.as_string())
        .unwrap_or_default()
}

/// One HTTP exchange with `fetch`: status, headers (names in lower case) and the whole body.
pub async fn fetch(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
    timeout_ms: u32,
) -> Result<(u16, Vec<(String, String)>, Vec<u8>), FetchError> {
    use js_sys::Reflect;
    use wasm_bindgen::JsCast;
    let global = js_sys::global();
    let fetch = Reflect::get(&global, &"fetch".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or_else(|| FetchError::Build("fetch is not available".into()))?;
    let h = web_sys::Headers::new().map_err(|e| FetchError::Build(js_text(&e)))?;
    for (k, v) in headers {
        h.set(k, v).map_err(|e| FetchError::Build(js_text(&e)))?;
    }
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_headers(&h);
    init.set_cache(web_sys::RequestCache::NoStore);
    if let Some(b) = body {
        init.set_body(&js_sys::Uint8Array::from(b));
    }
    let controller = web_sys::AbortController::new().ok();
    if let Some(c) = &controller {
        init.set_signal(Some(&c.signal()));
    }
    let timed_out = std::rc::Rc::new(std::cell::Cell::new(false));
    let flag = timed_out.clone();
    let abort = controller.clone();
    let timer = gloo_timers::callback::Timeout::new(timeout_ms, move || {
        flag.set(true);
        if let Some(c) = abort {
            c.abort();
        }
    });
    let failed = |e: JsValue| {
        if timed_out.get() {
            FetchError::Timeout
        } else if e.is_instance_of::<js_sys::TypeError>() {
            FetchError::Network
        } else {
            FetchError::Build(js_text(&e))
        }
    };
    let promise = fetch.call2(&global, &JsValue::from_str(url), &init).map_err(|e| FetchError::Build(js_text(&e)))?;
    let resp: web_sys::Response = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(promise))
        .await
        .map_err(failed)?
        .dyn_into()
        .map_err(|_| FetchError::Network)?;
    let status = resp.status();
    let mut out_headers = Vec::new();
    if let Ok(Some(iter)) = js_sys::try_iter(&resp.headers()) {
        for pair in iter.flatten() {
            let pair = js_sys::Array::from(&pair);
            if let (Some(k), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                out_headers.push((k, v));
            }
        }
    }
    let buf = resp.array_buffer().map_err(|e| FetchError::Body(js_text(&e)))?;
    let bytes = wasm_bindgen_futures::JsFuture::from(buf)
        .await
        .map_err(|e| if timed_out.get() { FetchError::Timeout } else { FetchError::Body(js_text(&e)) })?;
    drop(timer);
    Ok((status, out_headers, js_sys::Uint8Array::new(&bytes).to_vec()))
}

/// The deployment's `config.json` beside `index.html`, if it has one (any answer but 200, or
/// no answer within 5 s, counts as none; the service worker answers from its copy offline).
pub async fn fetch_config() -> Option<Vec<u8>> {
    let url = beside_index("config.json")?;
    match fetch("GET", &url, &[("Accept", "application/json")], None, 5_000).await {
        Ok((200, _, body)) => Some(body),
        _ => None,
    }
}

/// Whether a `no-cors` fetch of `url` gets any answer within `timeout_ms`: a server that is up
/// answers even when CORS forbids reading the answer. (Plain `fetch`, not reqwest: reqwest's
/// wasm client cannot take an opaque response, whose URL is empty.)
pub async fn reachable_no_cors(url: &str, timeout_ms: u32) -> bool {
    use js_sys::Reflect;
    use wasm_bindgen::JsCast;
    let global = js_sys::global();
    let Some(fetch) = Reflect::get(&global, &"fetch".into()).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    else {
        return false;
    };
    let init = js_sys::Object::new();
    let _ = Reflect::set(&init, &"mode".into(), &"no-cors".into());
    let _ = Reflect::set(&init, &"cache".into(), &"no-store".into());
    let signal = global_prop("AbortSignal")
        .and_then(|s| Reflect::get(&s, &"timeout".into()).ok().map(|f| (s, f)))
        .and_then(|(s, f)| f.dyn_into::<js_sys::Function>().ok()?.call1(&s, &JsValue::from(timeout_ms)).ok());
    if let Some(signal) = signal {
        let _ = Reflect::set(&init, &"signal".into(), &signal);
    }
    match fetch.call2(&global, &JsValue::from_str(url), &init) {
        Ok(p) => wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(p)).await.is_ok(),
        Err(_) => false,
    }
}

#[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"
const refused = new Set();
let watching = false;
const originOf = (u) => { try { return new URL(u, location.href).origin; } catch (_) { return ""; } };
export function kehu_csp_watch() {
  if (watching || typeof document === "undefined") return;
  watching = true;
  document.addEventListener("securitypolicyviolation", (e) => {
    if ((e.effectiveDirective || e.violatedDirective || "").startsWith("connect-src")) refused.add(originOf(e.blockedURI));
  });
}
export function kehu_csp_refused(url) { const o = originOf(url); return o !== "" && refused.has(o); }
"#)]
extern "C" {
    fn kehu_csp_watch();
    fn kehu_csp_refused(url: &str) -> bool;
}

/// Starts noting the origins the page's Content-Security-Policy refuses to connect to (a fetch
/// it blocks fails like a network error; only the `securitypolicyviolation` event says why).
pub fn watch_csp() {
    kehu_csp_watch();
}

/// Whether the page's CSP refused a request to `url`'s origin. The violation event is queued
/// separately from the failed fetch, so it is given up to 0.5 s to arrive.
pub async fn refused_by_policy(url: &str) -> bool {
    for _ in 0..10 {
        if kehu_csp_refused(url) {
            return true;
        }
        gloo_timers::future::TimeoutFuture::new(50).await;
    }
    false
}

/// The URL of a file beside `index.html` (respects `<base>` and sub-path deployments).
pub fn beside_index(file: &str) -> Option<String> {
    let base = web_sys::window()?.document()?.base_uri().ok()??;
    let dir = match base.rfind('/') {
        Some(i) => &base[..=i],
        None => base.as_str(),
    };
    Some(format!("{dir}{file}"))
}

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

/// The `localStorage` keys that start with `prefix` (e.g. the forms' drafts, `kehu.draft.`).
pub fn local_keys(prefix: &str) -> Vec<String> {
    let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) else { return Vec::new() };
    (0..s.length().unwrap_or(0)).filter_map(|i| s.key(i).ok().flatten()).filter(|k| k.starts_with(prefix)).collect()
}

/// Empties this tab's `sessionStorage` (each tab has its own: a wipe started in another tab
/// cannot reach it).
pub fn clear_session_storage() {
    if let Some(s) = web_sys::window().and_then(|w| w.session_storage().ok().flatten()) {
        let _ = s.clear();
    }
}

/// Empties `localStorage` and `sessionStorage`.
pub fn clear_storage() {
    let Some(w) = web_sys::window() else { return };
    if let Ok(Some(s)) = w.local_storage() {
        let _ = s.clear();
    }
    if let Ok(Some(s)) = w.session_storage() {
        let _ = s.clear();
    }
}

/// Loads the app's start page afresh (under the base path), replacing this history entry.
pub fn restart_app() {
    let Some(w) = web_sys::window() else { return };
    let start = beside_index("").unwrap_or_else(|| "/".into());
    let _ = w.location().replace(&start);
}
