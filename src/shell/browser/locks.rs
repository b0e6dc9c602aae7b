//! Web Locks: work that one tab of this device at a time may do (a workspace's sync run).

use super::global_prop;
use wasm_bindgen::JsValue;

/// Runs `work` while holding the Web Lock `name`, if no other tab holds it; `None` when another
/// tab does. Without the Web Locks API (old browsers) the work simply runs.
pub async fn with_lock<T: 'static>(name: &str, work: impl std::future::Future<Output = T> + 'static) -> Option<T> {
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::Closure;
    let locks = global_prop("navigator")
        .and_then(|n| js_sys::Reflect::get(&n, &"locks".into()).ok())
        .filter(|l| !l.is_undefined() && !l.is_null());
    let Some(locks) = locks else { return Some(work.await) };
    let request =
        js_sys::Reflect::get(&locks, &"request".into()).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let Some(request) = request else { return Some(work.await) };
    let slot: Rc<RefCell<Option<T>>> = Rc::new(RefCell::new(None));
    let work = Rc::new(RefCell::new(Some(work)));
    let out = slot.clone();
    let cb = Closure::<dyn FnMut(JsValue) -> js_sys::Promise>::new(move |lock: JsValue| {
        let job = if lock.is_null() { None } else { work.borrow_mut().take() };
        let out = out.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            if let Some(job) = job {
                let v = job.await;
                *out.borrow_mut() = Some(v);
            }
            Ok(JsValue::UNDEFINED)
        })
    });
    let opts = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&opts, &"ifAvailable".into(), &JsValue::TRUE);
    let promise = request.call3(&locks, &JsValue::from_str(name), &opts, cb.as_ref().unchecked_ref()).ok()?;
    let _ = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(promise)).await;
    drop(cb);
    slot.borrow_mut().take()
}
