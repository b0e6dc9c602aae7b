//! The edges: HTTP (reqwest, native and in the browser), IndexedDB, browser events, the clock.
//! Thin by design: anything worth testing natively lives in `core`.

pub mod http;

#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(target_arch = "wasm32")]
pub mod demo_worker;
#[cfg(target_arch = "wasm32")]
pub mod device;
#[cfg(target_arch = "wasm32")]
pub mod host;
#[cfg(target_arch = "wasm32")]
pub mod idb;
#[cfg(target_arch = "wasm32")]
pub mod tasks;

#[cfg(target_arch = "wasm32")]
pub use browser::*;
