//! HTTP in the browser: one exchange with `fetch` (`http.rs` builds on it), the files beside
//! index.html, whether a server is up at all (`no-cors`), whether the page's Content-Security-
//! Policy refused a request, and `navigator.onLine`.

use super::global_prop;
use wasm_bindgen::JsValue;

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
/// answers even when CORS forbids reading the answer (the answer is opaque: no status, no
/// headers, an empty URL; only that it came counts).
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

/// `navigator.onLine`, in a window or a worker.
pub fn is_online() -> bool {
    global_prop("navigator")
        .and_then(|n| js_sys::Reflect::get(&n, &"onLine".into()).ok())
        .and_then(|v| v.as_bool())
        .unwrap_or(true)
}
