//! The browser's APIs other than IndexedDB, one file per concern: `clock`, `storage`, `fetch`,
//! `sw` (the service worker), `locks` (Web Locks), `tabs` (BroadcastChannel), `page` (the
//! document), `files` (picking, reading and offering files), `device` (camera, position).

pub mod clock;
pub mod device;
pub mod fetch;
pub mod files;
pub mod locks;
pub mod notify;
pub mod page;
pub mod storage;
pub mod sw;
pub mod tabs;

use wasm_bindgen::JsValue;

/// A property of the global scope (window or worker), e.g. `navigator`.
fn global_prop(name: &str) -> Option<JsValue> {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str(name)).ok().filter(|v| !v.is_undefined() && !v.is_null())
}
