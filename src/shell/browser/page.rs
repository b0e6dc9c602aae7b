//! The document: its language, elements by id (removing, focusing), where the app is served
//! (origin, base path), and loading the app afresh.

use super::fetch::beside_index;

/// Sets `<html lang>` to the UI language (screen readers, hyphenation and the CJK font choice
/// follow it).
pub fn set_document_lang(tag: &str) {
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute("lang", tag);
    }
}

/// Loads the app's start page afresh (under the base path), replacing this history entry.
pub fn restart_app() {
    let Some(w) = web_sys::window() else { return };
    let start = beside_index("").unwrap_or_else(|| "/".into());
    let _ = w.location().replace(&start);
}

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// Removes the element with this id, if there is one (the start-up screen `#boot` once the app
/// is mounted).
pub fn remove_element(id: &str) {
    if let Some(el) = document().and_then(|d| d.get_element_by_id(id)) {
        el.remove();
    }
}

/// Moves the keyboard focus to the element with this id; false when there is no such element
/// or it cannot take focus (not an HTML element, or the browser refused).
pub fn focus_element(id: &str) -> bool {
    use wasm_bindgen::JsCast;
    let el = document().and_then(|d| d.get_element_by_id(id)).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    el.is_some_and(|el| el.focus().is_ok())
}

/// Shows the element with this id: scrolls it into view (its CSS `scroll-margin` kept) and gives
/// it the keyboard focus; false when there is no such element.
pub fn show_element(id: &str) -> bool {
    use wasm_bindgen::JsCast;
    let el = document().and_then(|d| d.get_element_by_id(id)).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    el.is_some_and(|el| {
        el.scroll_into_view();
        el.focus().is_ok()
    })
}

/// The path the app is served under: the directory of `document.baseURI`'s path without its
/// trailing slash, `""` at a domain's root or `"/crm"` under `/crm/` (a base of
/// `/crm/index.html` is `/crm` too).
pub fn base_path() -> String {
    let uri = document().and_then(|d| d.base_uri().ok().flatten());
    let path = uri.and_then(|u| web_sys::Url::new(&u).ok()).map(|u| u.pathname()).unwrap_or_default();
    match path.rfind('/') {
        Some(i) => path[..i].to_string(),
        None => String::new(),
    }
}

/// The page's origin (`window.location.origin`, e.g. `https://crm.example.com`); `""` if none.
pub fn origin() -> String {
    web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default()
}
