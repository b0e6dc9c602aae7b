//! The path the app is served under (`""` at a domain's root, `"/crm"` under `/crm/`), read at
//! run time from `<base href>` (which trunk's `--public-url` writes into index.html), so one
//! build's code serves any sub-path.
//!
//! leptos_router 0.8 gets it as `<Router base>`: routes match under it and `use_navigate()` /
//! `<Redirect>` prefix it to absolute paths themselves. `<A href="/x">` and plain `<a href>`
//! do **not** (the router only intercepts clicks on links under the base), so every internal
//! link is written `href("/x")`; never pass an `href(…)` result to `navigate`.

use std::cell::OnceCell;

thread_local! {
    static BASE: OnceCell<String> = const { OnceCell::new() };
}

/// The pathname of `document.baseURI` without its trailing slash: `""` or `"/crm"`.
pub fn base_path() -> String {
    BASE.with(|b| b.get_or_init(read_base).clone())
}

fn read_base() -> String {
    let uri = web_sys::window().and_then(|w| w.document()).and_then(|d| d.base_uri().ok().flatten());
    let path = uri.and_then(|u| web_sys::Url::new(&u).ok()).map(|u| u.pathname()).unwrap_or_default();
    // The directory of the base (a base of "/crm/index.html" is "/crm/").
    let dir = match path.rfind('/') {
        Some(i) => &path[..i],
        None => "",
    };
    dir.to_string()
}

/// A link to a route of the app (`"/customers/C1"`) as an `href` under the base path.
pub fn href(path: &str) -> String {
    format!("{}{path}", base_path())
}
