//! Time and chance: now, today and the time zone from the browser clock, yielding to the event
//! loop (`next_task`, `after_paint`), random numbers.

use super::global_prop;
use crate::core::model::{Date, Timestamp};
use wasm_bindgen::JsValue;

/// Now, from the browser clock.
pub fn now() -> Timestamp {
    let ms = js_sys::Date::now();
    chrono::DateTime::from_timestamp_millis(ms as i64).unwrap_or_default()
}

/// Now, in milliseconds since the Unix epoch (`Date.now()`), for measuring durations.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Today's date in the user's time zone.
pub fn today() -> Date {
    let d = js_sys::Date::new_0();
    Date::from_ymd_opt(d.get_full_year() as i32, d.get_month() + 1, d.get_date()).unwrap_or_default()
}

/// Minutes east of UTC of the user's time zone (for showing local times).
pub fn utc_offset_minutes() -> i32 {
    -(js_sys::Date::new_0().get_timezone_offset() as i32)
}

/// Resolves in a new task of the event loop, so that long work split at these points never holds
/// the main thread for more than one piece (the page renders and takes input in between). It
/// posts a message to itself through a `MessageChannel`, which, unlike chained `setTimeout(0)`,
/// is not clamped to 4 ms; `setTimeout(0)` if that fails.
pub async fn next_task() {
    use wasm_bindgen::JsCast;
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let channel = web_sys::MessageChannel::new().ok();
        let keep = channel.clone();
        let done = wasm_bindgen::closure::Closure::once_into_js(move || {
            drop(keep);
            let _ = resolve.call0(&JsValue::UNDEFINED);
        });
        let posted = channel.is_some_and(|ch| {
            ch.port1().set_onmessage(Some(done.unchecked_ref()));
            ch.port2().post_message(&JsValue::UNDEFINED).is_ok()
        });
        if !posted && let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(done.unchecked_ref(), 0);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Resolves once the next frame is painted (an animation frame, then a task): work that can
/// wait goes after the first screen. A hidden tab paints no frames: there it waits until shown.
pub async fn after_paint() {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let scheduled = web_sys::window().and_then(|w| w.request_animation_frame(&resolve).ok()).is_some();
        if !scheduled {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    next_task().await;
}

/// A random number in `[0, 1)` (`Math.random()`: not for secrets; see [`random_bytes`]).
pub fn random() -> f64 {
    js_sys::Math::random()
}

/// 16 bytes from the cryptographic random source (for record ids), in a window or a worker.
pub fn random_bytes() -> [u8; 16] {
    use wasm_bindgen::JsCast;
    let mut b = [0u8; 16];
    let filled = global_prop("crypto")
        .and_then(|c| c.dyn_into::<web_sys::Crypto>().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut b).is_ok());
    if !filled {
        for x in b.iter_mut() {
            *x = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    b
}
