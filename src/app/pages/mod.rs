//! One module per route (the route table is in `app/mod.rs`). Pages do not import each other:
//! what two pages share lives below them (`app::ui`, `app::paths`, the session and its contexts).

pub mod customer;
pub mod customer_form;
pub mod customers;
pub mod pipeline;
pub mod record_form;
pub mod segments;
pub mod service;
pub mod settings;
pub mod sync;
pub mod team;
