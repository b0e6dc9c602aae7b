//! Every link of the app, built in one place: the routes' paths (`customer_path`, `form_path`)
//! and the path the app is served under (`""` at a domain's root, `"/crm"` under `/crm/`), read
//! at run time from `<base href>` (which trunk's `--public-url` writes into index.html), so one
//! build's code serves any sub-path.
//!
//! leptos_router 0.8 gets it as `<Router base>`: routes match under it and `use_navigate()` /
//! `<Redirect>` prefix it to absolute paths themselves. `<A href="/x">` and plain `<a href>`
//! do **not** (the router only intercepts clicks on links under the base), so every internal
//! link is written `href("/x")`; never pass an `href(…)` result to `navigate`.

use crate::core::model::Entity;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use std::cell::OnceCell;

thread_local! {
    static BASE: OnceCell<String> = const { OnceCell::new() };
}

/// The pathname of `document.baseURI` without its trailing slash: `""` or `"/crm"`.
pub fn base_path() -> String {
    BASE.with(|b| b.get_or_init(crate::shell::page::base_path).clone())
}

/// A link to a route of the app (`"/customers/C1"`) as an `href` under the base path.
pub fn href(path: &str) -> String {
    format!("{}{path}", base_path())
}

/// What `encodeURIComponent` leaves as it is: letters, digits and `-_.!~*'()`.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// One path segment (a record's id) as `encodeURIComponent` writes it, so ids with `/`, `?`,
/// `#`, spaces or CJK characters survive the route.
pub fn encode(segment: &str) -> String {
    utf8_percent_encode(segment, COMPONENT).to_string()
}

/// A customer's page: `/customers/<id>` (a route path: pass it through [`href`] for a link).
pub fn customer_href(id: &str) -> String {
    format!("/customers/{}", encode(id))
}

/// The form of a customer's record of kind `kind` (a new one when `rid` is `None`).
pub fn form_href(customer: &str, kind: Entity, rid: Option<&str>) -> String {
    format!("{}/{}/{}", customer_href(customer), kind.as_str(), encode(rid.unwrap_or("new")))
}
