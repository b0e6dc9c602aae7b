//! Device features the service forms use: the camera (a photo, downscaled to a JPEG `data:`
//! URL), the position (with the user's permission) and static data files beside index.html.
//! Plain JS calls through `Reflect`: each is one call, and web-sys' typed bindings would add
//! a feature per interface for the same thing.

use crate::core::model::GeoPoint;
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Longest side of a stored photo, in pixels.
const PHOTO_MAX_SIDE: f64 = 1280.0;

fn get(obj: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(obj, &JsValue::from_str(key)).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

fn call(obj: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let f: Function = get(obj, method).ok_or_else(|| JsValue::from_str(method))?.dyn_into()?;
    let list = js_sys::Array::new();
    for a in args {
        list.push(a);
    }
    f.apply(obj, &list)
}

fn text_of(e: &JsValue) -> String {
    get(e, "message").and_then(|m| m.as_string()).or_else(|| e.as_string()).unwrap_or_else(|| "unknown error".into())
}

/// A text file beside index.html (`None` offline without a cached copy, or on any error).
pub async fn fetch_text(file: &str) -> Option<String> {
    let url = super::fetch::beside_index(file)?;
    match super::fetch::fetch("GET", &url, &[], None, 15_000).await {
        Ok((200, _, body)) => String::from_utf8(body).ok(),
        _ => None,
    }
}

/// The image in `file` as a JPEG `data:` URL, its longer side at most 1280 px.
pub async fn image_data_url(file: &web_sys::File) -> Result<String, String> {
    let window: JsValue = web_sys::window().ok_or("no window")?.into();
    let bitmap = call(&window, "createImageBitmap", &[file.into()]).map_err(|e| text_of(&e))?;
    let bitmap = JsFuture::from(Promise::from(bitmap)).await.map_err(|e| text_of(&e))?;
    let (w, h) = (
        get(&bitmap, "width").and_then(|v| v.as_f64()).unwrap_or(0.0),
        get(&bitmap, "height").and_then(|v| v.as_f64()).unwrap_or(0.0),
    );
    if w < 1.0 || h < 1.0 {
        return Err("empty image".into());
    }
    let scale = (PHOTO_MAX_SIDE / w.max(h)).min(1.0);
    let (cw, ch) = ((w * scale).round().max(1.0), (h * scale).round().max(1.0));
    let document: JsValue = web_sys::window().and_then(|w| w.document()).ok_or("no document")?.into();
    let canvas = call(&document, "createElement", &["canvas".into()]).map_err(|e| text_of(&e))?;
    let _ = Reflect::set(&canvas, &"width".into(), &cw.into());
    let _ = Reflect::set(&canvas, &"height".into(), &ch.into());
    let ctx = call(&canvas, "getContext", &["2d".into()]).map_err(|e| text_of(&e))?;
    call(&ctx, "drawImage", &[bitmap.clone(), 0.into(), 0.into(), cw.into(), ch.into()]).map_err(|e| text_of(&e))?;
    let _ = call(&bitmap, "close", &[]);
    call(&canvas, "toDataURL", &["image/jpeg".into(), 0.8.into()])
        .map_err(|e| text_of(&e))?
        .as_string()
        .ok_or_else(|| "no image".into())
}

/// The device's position, asking the user's permission (the browser shows the prompt).
pub async fn current_position() -> Result<GeoPoint, String> {
    let navigator: JsValue = web_sys::window().ok_or("no window")?.navigator().into();
    let geo = get(&navigator, "geolocation").ok_or("no geolocation on this device")?;
    let promise = Promise::new(&mut |resolve, reject| {
        let options = js_sys::Object::new();
        let _ = Reflect::set(&options, &"enableHighAccuracy".into(), &true.into());
        let _ = Reflect::set(&options, &"timeout".into(), &20_000.into());
        let _ = Reflect::set(&options, &"maximumAge".into(), &60_000.into());
        if let Err(e) = call(&geo, "getCurrentPosition", &[resolve.into(), reject.clone().into(), options.into()]) {
            let _ = reject.call1(&JsValue::NULL, &e);
        }
    });
    let pos = JsFuture::from(promise).await.map_err(|e| text_of(&e))?;
    let coords = get(&pos, "coords").ok_or("no coordinates")?;
    let num = |k: &str| get(&coords, k).and_then(|v| v.as_f64());
    match (num("latitude"), num("longitude")) {
        (Some(lat), Some(lon)) => Ok(GeoPoint { lat, lon, accuracy_m: num("accuracy") }),
        _ => Err("no coordinates".into()),
    }
}
