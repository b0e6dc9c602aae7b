//! What this device keeps outside IndexedDB: `localStorage` (kept) and `sessionStorage` (this
//! tab's), the UI language chosen here, and the origin's storage quota and persistence.

use crate::core::locale::Lang;
use gloo_storage::{LocalStorage, Storage};

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
