//! The pure core: domain model, validation, the demo generator and workspace look-ups.
//!
//! Nothing here touches the browser, the network or storage (a test enforces it), so all of
//! it runs and is tested natively with plain `cargo test`.

pub mod analytics;
pub mod bulk;
pub mod csv;
pub mod demo;
pub mod filter;
pub mod form;
pub mod fx;
pub mod lenient;
pub mod locale;
pub mod model;
pub mod money;
pub mod pinyin;
pub mod pipeline;
pub mod record;
pub mod rest;
pub mod service;
pub mod sort;
pub mod sync;
pub mod tasks;
pub mod text;
pub mod validate;
pub mod workspace;
