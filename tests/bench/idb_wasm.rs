//! The IndexedDB benchmark's wasm side (`--features bench`, driven by tests/bench/idb.mjs in
//! Chromium beside Dexie): fill Kehu's cache with 100k customers, then load them back into
//! memory, each timed in the page.

#[cfg(target_arch = "wasm32")]
mod bench {
    use kehu::core::demo::{DemoConfig, generate};
    use kehu::core::record::Record;
    use kehu::shell::idb::{Cache, delete_database};
    use std::cell::RefCell;
    use wasm_bindgen::prelude::*;

    thread_local! {
        static CUSTOMERS: RefCell<Vec<kehu::core::model::Customer>> = const { RefCell::new(Vec::new()) };
    }

    fn ms() -> f64 {
        web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or_else(js_sys::Date::now)
    }

    fn err(e: impl std::fmt::Display) -> JsValue {
        JsValue::from_str(&e.to_string())
    }

    /// Generates `n` demo customers (not timed) and returns them as a JSON array, for Dexie.
    #[wasm_bindgen]
    pub fn prepare(n: usize) -> String {
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default();
        let data = generate(&DemoConfig { seed: 7, customers: n, as_of });
        let json = serde_json::to_string(&data.customers).unwrap_or_default();
        CUSTOMERS.with(|c| *c.borrow_mut() = data.customers);
        json
    }

    /// Writes the prepared customers into a fresh cache; milliseconds.
    #[wasm_bindgen]
    pub async fn kehu_fill(db: String) -> Result<f64, JsValue> {
        let _ = delete_database(&db).await;
        let cache = Cache::open_named(&db, kehu::shell::idb::SCHEMA_VERSION).await.map_err(err)?;
        let records: Vec<Record> = CUSTOMERS.with(|c| c.borrow().iter().cloned().map(Record::Customers).collect());
        let t0 = ms();
        cache.fill(records).await.map_err(err)?;
        let t = ms() - t0;
        cache.close();
        Ok(t)
    }

    /// Opens the cache and reads every record into memory; milliseconds, and the count read.
    #[wasm_bindgen]
    pub async fn kehu_load(db: String) -> Result<js_sys::Array, JsValue> {
        let t0 = ms();
        let cache = Cache::open_named(&db, kehu::shell::idb::SCHEMA_VERSION).await.map_err(err)?;
        let (data, _bad) = cache.load().await.map_err(err)?;
        let t = ms() - t0;
        cache.close();
        Ok(js_sys::Array::of2(&JsValue::from_f64(t), &JsValue::from_f64(data.customers.len() as f64)))
    }
}

fn main() {}
