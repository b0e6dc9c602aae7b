//! What every page is built from: the DOM builder for large reports, display formats, the
//! translated labels (every error text included), the frame around the pages, the status screens
//! and the parts forms share. Nothing here knows a page.

pub mod csv;
pub mod deals;
pub mod dom;
pub mod form;
pub mod format;
pub mod labels;
pub mod layout;
pub mod problems;
pub mod rejection;
pub mod status;
pub mod tasks;
