//! The document: its language, and loading the app afresh.

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
