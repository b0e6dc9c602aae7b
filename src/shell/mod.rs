//! The edges: HTTP (`http`: the bytes move with the browser's `fetch`, natively with reqwest),
//! IndexedDB (`idb`), the browser's other APIs (`clock`, `storage`, `fetch`, `sw`, `locks`,
//! `tabs`, `page`, `files`, `device`; their files are under `browser/`), long-running work
//! (`tasks`), the demo worker (`host`, `demo_worker`).
//! Thin by design: anything worth testing natively lives in `core`.

pub mod http;

#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(target_arch = "wasm32")]
pub mod demo_worker;
#[cfg(target_arch = "wasm32")]
pub mod host;
#[cfg(target_arch = "wasm32")]
pub mod idb;
#[cfg(target_arch = "wasm32")]
pub mod tasks;

#[cfg(target_arch = "wasm32")]
pub use browser::{clock, device, fetch, files, locks, notify, page, storage, sw, tabs};
