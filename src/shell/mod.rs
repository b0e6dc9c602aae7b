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
pub use browser::{clock, device, fetch, files, locks, page, storage, sw, tabs};

// Old flat paths, kept until src/app uses the module paths (issue 18).
#[cfg(target_arch = "wasm32")]
pub use browser::{
    clock::{after_paint, next_task, now, random_bytes, today, utc_offset_minutes},
    fetch::{
        FetchError, beside_index, fetch, fetch_config, is_online, reachable_no_cors, refused_by_policy, watch_csp,
    },
    locks::with_lock,
    page::{restart_app, set_document_lang},
    storage::{
        browser_languages, clear_session_storage, clear_storage, initial_lang, local_get, local_keys, local_set,
        local_try_set, persist_storage, session_get, session_set, storage_estimate, store_lang, stored_lang,
    },
    sw::{activate_update, clear_caches, register_service_worker, unregister_service_workers},
};
