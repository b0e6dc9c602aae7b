//! The demo worker (a separate wasm module, `kehu-demo`): generates the demo dataset into the
//! demo workspace's IndexedDB cache, then the page reads it like any cache.
//!
//! The generator, its name and place tables and its text snippets are an eighth of the app's
//! size. They run once per device, and only on the demo workspace, so they live in their own
//! module that a deployment with a backend never downloads.

use super::idb::Cache;
use crate::core::demo::{self, DemoConfig};
use crate::core::record::Record;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

/// What the page asks for.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SeedRequest {
    pub id: u32,
    /// The workspace id (its database is `kehu:<workspace>`).
    pub workspace: String,
    pub customers: usize,
    /// The demo's "today": nothing in it is dated later.
    pub as_of: crate::core::model::Date,
}

/// What the worker answers: `ready` once listening, then one answer per request.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SeedAnswer {
    pub id: u32,
    #[serde(default)]
    pub ready: bool,
    /// Records written.
    #[serde(default)]
    pub records: Option<usize>,
    #[serde(default)]
    pub error: Option<String>,
}

fn post(answer: &SeedAnswer) {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    if let Ok(text) = serde_json::to_string(answer) {
        let _ = scope.post_message(&wasm_bindgen::JsValue::from_str(&text));
    }
}

/// Installs the message handler. Called once by the worker binary.
pub fn start() {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
        let Some(text) = ev.data().as_string() else { return };
        match serde_json::from_str::<SeedRequest>(&text) {
            Ok(req) => wasm_bindgen_futures::spawn_local(seed(req)),
            Err(e) => post(&SeedAnswer {
                id: 0,
                ready: false,
                records: None,
                error: Some(format!("unreadable request: {e}")),
            }),
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&SeedAnswer { id: 0, ready: true, records: None, error: None });
}

async fn seed(req: SeedRequest) {
    let answer = match fill(&req).await {
        Ok(n) => SeedAnswer { id: req.id, ready: false, records: Some(n), error: None },
        Err(e) => SeedAnswer { id: req.id, ready: false, records: None, error: Some(e) },
    };
    post(&answer);
}

async fn fill(req: &SeedRequest) -> Result<usize, String> {
    let cache = Cache::open(&req.workspace).await.map_err(|e| e.to_string())?;
    let data = demo::generate(&DemoConfig { seed: demo::DEFAULT_SEED, customers: req.customers, as_of: req.as_of });
    let result = async {
        let n = cache.fill(Record::all(&data)).await?;
        cache.set_meta("demo_customers", Some(&req.customers.to_string())).await?;
        cache.set_meta("demo_seeded", Some(&req.as_of.to_string())).await?;
        Ok::<usize, crate::core::sync::local::LocalError>(n)
    }
    .await;
    cache.close();
    result.map_err(|e| e.to_string())
}
