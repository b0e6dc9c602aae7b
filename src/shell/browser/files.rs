//! Files the user hands over or takes away: the files picked in an `<input type=file>`, a
//! file's text or its bytes as a `data:` URL, and a text or a `data:` URL offered as a download.

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
    click_download(&blob, name);
}

/// The file's bytes as a `data:<mime>;base64,…` URL (base64 by the `base64` crate).
pub async fn read_data_url(file: &File, mime: &str) -> Result<String, String> {
    use base64::Engine as _;
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| e.as_string().unwrap_or_else(|| "unreadable".into()))?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    Ok(format!("data:{mime};base64,{}", base64::engine::general_purpose::STANDARD.encode(bytes)))
}

/// Offers the file in a `data:…;base64,…` URL as a download named `name` (its bytes as a blob
/// of its type; nothing happens for a URL that is not base64).
pub fn download_data_url(name: &str, data_url: &str) {
    use base64::Engine as _;
    let Some((mime, body)) = data_url
        .strip_prefix("data:")
        .and_then(|d| d.split_once(';'))
        .and_then(|(m, rest)| Some((m, rest.strip_prefix("base64,")?)))
    else {
        return;
    };
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(body) else { return };
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts) else { return };
    click_download(&blob, name);
}

/// A link to an object URL of `blob`, clicked (the browser saves it as `name`), then released.
fn click_download(blob: &web_sys::Blob, name: &str) {
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else { return };
    if let Some(a) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.create_element("a").ok()) {
        let _ = a.set_attribute("href", &url);
        let _ = a.set_attribute("download", name);
        if let Some(a) = a.dyn_ref::<web_sys::HtmlElement>() {
            a.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
