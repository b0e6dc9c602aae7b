//! The page's side of the demo worker: started when the demo workspace needs filling, one
//! promise per request, stopped afterwards (it is needed once per device).

use super::demo_worker::{SeedAnswer, SeedRequest};
use crate::core::model::Date;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// The worker's loader, beside index.html (trunk names it after the binary, unhashed).
pub const DEMO_WORKER: &str = "kehu-demo_loader.js";

/// Fills workspace `workspace`'s cache with a generated demo of `customers` customers dated
/// `as_of`, in the demo worker. Returns the number of records written.
pub async fn seed_demo(workspace: &str, customers: usize, as_of: Date) -> Result<usize, String> {
    let url = super::fetch::beside_index(DEMO_WORKER).ok_or("no document base URL")?;
    let opts = web_sys::WorkerOptions::new();
    opts.set_type(web_sys::WorkerType::Module);
    let worker =
        web_sys::Worker::new_with_options(&url, &opts).map_err(|e| format!("cannot start the demo worker: {e:?}"))?;
    let request = serde_json::to_string(&SeedRequest { id: 1, workspace: workspace.to_string(), customers, as_of })
        .map_err(|e| e.to_string())?;
    let w2 = worker.clone();
    let mut on_message: Option<Closure<dyn FnMut(web_sys::MessageEvent)>> = None;
    let mut on_error: Option<Closure<dyn FnMut(web_sys::Event)>> = None;
    let answer = js_sys::Promise::new(&mut |resolve, _reject| {
        let (r1, r2) = (resolve.clone(), resolve);
        let w = w2.clone();
        let text = request.clone();
        on_message = Some(Closure::new(move |ev: web_sys::MessageEvent| {
            let Some(t) = ev.data().as_string() else { return };
            let Ok(a) = serde_json::from_str::<SeedAnswer>(&t) else { return };
            if a.ready {
                let _ = w.post_message(&JsValue::from_str(&text));
            } else {
                let _ = r1.call1(&JsValue::UNDEFINED, &JsValue::from_str(&t));
            }
        }));
        on_error = Some(Closure::new(move |ev: web_sys::Event| {
            let why = ev.dyn_ref::<web_sys::ErrorEvent>().map(|e| e.message()).unwrap_or_default();
            let a = SeedAnswer {
                id: 1,
                ready: false,
                records: None,
                error: Some(format!("the demo worker stopped: {why}")),
            };
            let _ = r2.call1(&JsValue::UNDEFINED, &JsValue::from_str(&serde_json::to_string(&a).unwrap_or_default()));
        }));
    });
    if let (Some(m), Some(e)) = (&on_message, &on_error) {
        worker.set_onmessage(Some(m.as_ref().unchecked_ref()));
        worker.set_onerror(Some(e.as_ref().unchecked_ref()));
    }
    let result = wasm_bindgen_futures::JsFuture::from(answer).await;
    worker.terminate();
    drop((on_message, on_error));
    let text = result.ok().and_then(|v| v.as_string()).ok_or("no answer from the demo worker")?;
    let a: SeedAnswer = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    match (a.records, a.error) {
        (Some(n), None) => Ok(n),
        (_, Some(e)) => Err(e),
        (None, None) => Err("no answer from the demo worker".into()),
    }
}
