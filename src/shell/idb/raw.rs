//! The IndexedDB plumbing every part of the cache shares: a request or a transaction as a
//! future, its errors as `LocalError`, and the few lines of JS for what web-sys would need extra
//! features for (reading row fields, joining many rows' texts in one call, closing on
//! `versionchange`, deleting with the `blocked` outcome, counting any database's outbox).
//! A leaf: it uses nothing else of `idb`.

use crate::core::sync::local::LocalError;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

/// What the JS helpers join many rows' texts with (`kehu_join`, `kehu_join_ids`), and a bucket
/// row its records' texts.
pub(super) const SEP: char = '\u{1}';

#[wasm_bindgen(inline_js = r#"
export function kehu_bucket(metas, texts) {
  const m = JSON.parse(metas);
  // The records' text as UTF-8 bytes (a copy: `texts` is a view of wasm memory).
  const row = { m: metas, j: texts.slice(), id: [], cid: [], name: [], region: [], owner: [], updated: [] };
  for (const x of m) {
    row.id.push(x.id);
    for (const k of ["cid", "name", "region", "owner", "updated"]) if (typeof x[k] === "string") row[k].push(x[k]);
  }
  return row;
}
export function kehu_field(row, key) {
  return row && typeof row[key] === "string" ? row[key] : "";
}
const kehuEncoder = new TextEncoder();
export function kehu_bytes(row, key) {
  const v = row ? row[key] : undefined;
  if (v instanceof Uint8Array) return v;
  return kehuEncoder.encode(typeof v === "string" ? v : "");
}
export function kehu_join(rows, key) {
  let out = "", first = true;
  for (const r of rows) {
    const t = r && typeof r[key] === "string" ? r[key] : "";
    if (t === "") continue;
    out += first ? t : "\u0001" + t;
    first = false;
  }
  return out;
}
export function kehu_join_ids(rows) {
  let out = [];
  for (const r of rows) if (r && Array.isArray(r.id)) for (const id of r.id) out.push(id);
  return out.join("\u0001");
}
"#)]
extern "C" {
    pub(super) fn kehu_bucket(metas: &str, texts: &[u8]) -> JsValue;
    pub(super) fn kehu_field(row: &JsValue, key: &str) -> String;
    pub(super) fn kehu_bytes(row: &JsValue, key: &str) -> Vec<u8>;
    pub(super) fn kehu_join(rows: &JsValue, key: &str) -> String;
    pub(super) fn kehu_join_ids(rows: &JsValue) -> String;
}

pub(super) fn jsv_err(e: JsValue) -> LocalError {
    let dom = e.dyn_ref::<web_sys::DomException>();
    let name = dom.map(|d| d.name()).unwrap_or_default();
    let message = dom.map(|d| d.message()).or_else(|| e.as_string()).unwrap_or_else(|| format!("{e:?}"));
    if name == "QuotaExceededError" { LocalError::QuotaExceeded } else { LocalError::Storage(message) }
}

pub(super) fn js_err(e: impl std::fmt::Debug + std::fmt::Display) -> LocalError {
    if format!("{e:?}").contains("QuotaExceeded") {
        LocalError::QuotaExceeded
    } else {
        LocalError::Storage(e.to_string())
    }
}

/// A promise resolved with an IDB request's result (or rejected with its error).
pub(super) fn idb_promise(req: web_sys::IdbRequest) -> js_sys::Promise {
    js_sys::Promise::new(&mut |resolve, reject| {
        let r2 = req.clone();
        let ok = wasm_bindgen::closure::Closure::once_into_js(move |_e: web_sys::Event| {
            let _ = resolve.call1(&JsValue::UNDEFINED, &r2.result().unwrap_or(JsValue::UNDEFINED));
        });
        let r3 = req.clone();
        let fail = wasm_bindgen::closure::Closure::once_into_js(move |_e: web_sys::Event| {
            let err = r3.error().ok().flatten().map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
            let _ = reject.call1(&JsValue::UNDEFINED, &err);
        });
        req.set_onsuccess(Some(ok.unchecked_ref()));
        req.set_onerror(Some(fail.unchecked_ref()));
    })
}

pub(super) async fn request(req: Result<web_sys::IdbRequest, JsValue>) -> Result<JsValue, LocalError> {
    wasm_bindgen_futures::JsFuture::from(idb_promise(req.map_err(jsv_err)?)).await.map_err(jsv_err)
}

/// Commits and waits until the transaction is durable (or reports why it was aborted).
pub(super) async fn commit(tx: web_sys::IdbTransaction) -> Result<(), LocalError> {
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        let ok = wasm_bindgen::closure::Closure::once_into_js(move |_e: web_sys::Event| {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        });
        let t2 = tx.clone();
        let reject2 = reject.clone();
        let fail = wasm_bindgen::closure::Closure::once_into_js(move |_e: web_sys::Event| {
            let err = t2.error().map(JsValue::from).unwrap_or_else(|| JsValue::from_str("transaction aborted"));
            let _ = reject2.call1(&JsValue::UNDEFINED, &err);
        });
        let t3 = tx.clone();
        let abort = wasm_bindgen::closure::Closure::once_into_js(move |_e: web_sys::Event| {
            let err = t3.error().map(JsValue::from).unwrap_or_else(|| JsValue::from_str("transaction aborted"));
            let _ = reject.call1(&JsValue::UNDEFINED, &err);
        });
        tx.set_oncomplete(Some(ok.unchecked_ref()));
        tx.set_onerror(Some(fail.unchecked_ref()));
        tx.set_onabort(Some(abort.unchecked_ref()));
    });
    // No explicit commit(): the transaction commits itself once its last request is done.
    wasm_bindgen_futures::JsFuture::from(done).await.map(|_| ()).map_err(jsv_err)
}

// Closing on `versionchange`, deleting with the `blocked` outcome, and counting outbox entries
// of any workspace, in a few lines of JS (the IDB events web-sys would need extra features for).
#[wasm_bindgen(inline_js = r#"
let onVersionChange = null;
export function kehu_on_versionchange(f) { onVersionChange = f; }
export function kehu_close_on_versionchange(db) {
  db.addEventListener("versionchange", (e) => {
    db.close();
    if (onVersionChange) onVersionChange(e.newVersion === null);
  });
}
export function kehu_delete_db(name, graceMs) {
  return new Promise((resolve) => {
    let req;
    try { req = indexedDB.deleteDatabase(name); } catch (_) { resolve("failed"); return; }
    let timer = null;
    req.onsuccess = () => { clearTimeout(timer); resolve("deleted"); };
    req.onerror = () => { clearTimeout(timer); resolve("failed"); };
    req.onblocked = () => { if (timer === null) timer = setTimeout(() => resolve("blocked"), graceMs); };
  });
}
export function kehu_outbox_count(name) {
  return new Promise((resolve) => {
    let req;
    try { req = indexedDB.open(name); } catch (_) { resolve(-1); return; }
    // A database that does not exist is not created.
    req.onupgradeneeded = () => req.transaction.abort();
    req.onerror = () => resolve(-1);
    req.onsuccess = () => {
      const db = req.result;
      const done = (n) => { db.close(); resolve(n); };
      try {
        if (!db.objectStoreNames.contains("outbox")) return done(0);
        const c = db.transaction("outbox").objectStore("outbox").count();
        c.onsuccess = () => done(c.result);
        c.onerror = () => done(-1);
      } catch (_) { done(-1); }
    };
  });
}
"#)]
extern "C" {
    pub(super) fn kehu_on_versionchange(f: &js_sys::Function);
    pub(super) fn kehu_close_on_versionchange(db: &JsValue);
    pub(super) fn kehu_delete_db(name: &str, grace_ms: u32) -> js_sys::Promise;
    pub(super) fn kehu_outbox_count(name: &str) -> js_sys::Promise;
}
