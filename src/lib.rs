//! Kehu (客户): an offline-first browser CRM front-end for B2B supply-chain companies.
//!
//! Three layers (see ARCHITECTURE.md):
//! - [`core`]: pure Rust — model, validation, demo data, workspace look-ups. Native and wasm.
//! - [`shell`]: the edges — HTTP (the browser's `fetch`; reqwest natively), IndexedDB, browser APIs.
//! - `app`: Leptos components and routes. wasm only.

pub mod core;
pub mod shell;

#[cfg(target_arch = "wasm32")]
pub mod app;
