//! Files the user hands over or takes away: the files picked in an `<input type=file>`, a
//! file's text, and a text offered as a download.

use wasm_bindgen::{JsCast, JsValue};

pub use web_sys::File;

/// The files picked in the `<input type=file>` whose event this is (empty if none, or if the
/// event did not come from a file input). The input is emptied, so picking the same file again
/// is a new `change`; the files stay readable.
pub fn picked_files(ev: &web_sys::Event) -> Vec<File> {
    let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
        return Vec::new();
    };
    let files = input.files().map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect()).unwrap_or_default();
    input.set_value("");
    files
}

/// The file's contents as text (UTF-8); `None` when it cannot be read.
pub async fn read_text(file: &File) -> Option<String> {
    wasm_bindgen_futures::JsFuture::from(file.text()).await.ok()?.as_string()
}

/// Offers `text` as a file download named `name`, of type `mime` (e.g. `text/csv;charset=utf-8`):
/// a link to an object URL of the text, clicked, then the URL released.
pub fn download(name: &str, mime: &str, text: &str) {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    if let Some(a) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.create_element("a").ok()) {
        let _ = a.set_attribute("href", &url);
        let _ = a.set_attribute("download", name);
        if let Some(a) = a.dyn_ref::<web_sys::HtmlElement>() {
            a.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
