//! Wiping this device: deleting one or every database of this origin (reporting a deletion
//! another tab blocks), closing this tab's connections when another tab deletes or upgrades a
//! database (`versionchange`), and counting every workspace's unsynced changes first.

use super::raw::{js_err, kehu_delete_db, kehu_on_versionchange, kehu_outbox_count};
use crate::core::sync::local::LocalError;
use indexed_db_futures::database::Database;
use js_sys::Reflect;
use wasm_bindgen::JsCast;

/// Deletes a workspace's database (sign-out wipe, tests).
pub async fn delete_database(name: &str) -> Result<(), LocalError> {
    Database::delete_by_name(name).map_err(js_err)?.await.map_err(js_err)
}

/// The names of this origin's IndexedDB databases (`indexedDB.databases()`; empty where the
/// browser cannot list them).
pub async fn database_names() -> Vec<String> {
    let list = async {
        let factory = Reflect::get(&js_sys::global(), &"indexedDB".into()).ok()?;
        let f: js_sys::Function = Reflect::get(&factory, &"databases".into()).ok()?.dyn_into().ok()?;
        let p: js_sys::Promise = f.call0(&factory).ok()?.dyn_into().ok()?;
        wasm_bindgen_futures::JsFuture::from(p).await.ok()
    };
    let Some(list) = list.await else { return Vec::new() };
    js_sys::Array::from(&list).iter().filter_map(|d| Reflect::get(&d, &"name".into()).ok()?.as_string()).collect()
}

/// Deletes every IndexedDB database of this origin, and the `known` ones in any case ("wipe this
/// device"). Other tabs close their connections when asked (`versionchange`, see
/// [`on_versionchange`]); a deletion still blocked by an open connection 3 s after the browser
/// said so stays queued (the browser completes it when that connection closes) and its database
/// is returned, so the page can tell the user to close the other tab or window.
pub async fn delete_all_databases(known: &[String]) -> Vec<String> {
    let mut names = database_names().await;
    for k in known {
        if !names.contains(k) {
            names.push(k.clone());
        }
    }
    let mut blocked = Vec::new();
    for name in names {
        let outcome = wasm_bindgen_futures::JsFuture::from(kehu_delete_db(&name, 3_000)).await;
        if outcome.ok().and_then(|v| v.as_string()).as_deref() == Some("blocked") {
            blocked.push(name);
        }
    }
    blocked
}

/// Every open cache closes its connection when another tab deletes its database (a device wipe)
/// or upgrades it (a newer version of the app), so that tab is never blocked; `f(deleted)` runs
/// after, with `deleted` false for an upgrade. One handler per page; the last one set wins.
pub fn on_versionchange(f: impl Fn(bool) + 'static) {
    let cb = wasm_bindgen::closure::Closure::<dyn Fn(bool)>::new(f);
    kehu_on_versionchange(cb.as_ref().unchecked_ref());
    cb.forget(); // lives as long as the page
}

/// Unsynced changes (outbox entries) of every workspace on this device: `(database, count)` for
/// each Kehu database that has any. Unreadable databases count as none.
pub async fn unsynced_by_database() -> Vec<(String, u32)> {
    let mut out = Vec::new();
    for name in database_names().await {
        if !name.starts_with("kehu:") {
            continue;
        }
        let n = wasm_bindgen_futures::JsFuture::from(kehu_outbox_count(&name))
            .await
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(-1.0);
        if n >= 1.0 {
            out.push((name, n as u32));
        }
    }
    out
}
