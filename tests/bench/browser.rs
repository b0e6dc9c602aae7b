//! The in-browser benchmarks' wasm side (`--features bench`, driven by tests/e2e/bench-browser.mjs
//! in Chromium): fill Kehu's IndexedDB cache with 100k customers and load them back (beside
//! Dexie, in the page), and the segmentation analytics and BG/NBD fit on 100k customers with
//! about a million orders, run the way the app runs them; the pipeline board and forecast on
//! 20k open opportunities, in wasm and in the real app.
// Tests: a panic is the test failing; tables of cases have long tuple types.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

#[cfg(target_arch = "wasm32")]
mod bench {
    use kehu::core::demo::{DemoConfig, generate};
    use kehu::core::record::Record;
    use kehu::shell::idb::{Cache, delete_database};
    use std::cell::RefCell;
    use wasm_bindgen::prelude::*;

    thread_local! {
        static CUSTOMERS: RefCell<Vec<kehu::core::model::Customer>> = const { RefCell::new(Vec::new()) };
        static WORKSPACE: RefCell<Option<kehu::core::workspace::Workspace>> = const { RefCell::new(None) };
    }

    fn as_of() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default()
    }

    /// Generates `n` demo customers with their orders into a workspace (not timed).
    #[wasm_bindgen]
    pub fn analytics_prepare(n: usize) -> usize {
        let data = generate(&DemoConfig { seed: kehu::core::demo::DEFAULT_SEED, customers: n, as_of: as_of() });
        let orders = data.orders.len();
        let ws =
            kehu::core::workspace::Workspace::new(kehu::core::workspace::Source::Demo { seed: 0, customers: n }, data);
        WORKSPACE.with(|w| *w.borrow_mut() = Some(ws));
        orders
    }

    /// RFM, ABC, lifecycle and gap warning on the prepared workspace: the median of `runs`, ms.
    #[wasm_bindgen]
    pub fn analytics_run(runs: usize) -> f64 {
        // With the demo's exchange rates: every customer's M converted, as in the app.
        let cfg = kehu::core::analytics::AnalysisConfig {
            fx: kehu::core::demo::rates(as_of()),
            ..kehu::core::analytics::AnalysisConfig::default()
        };
        let mut times: Vec<f64> = (0..runs.max(1))
            .map(|_| {
                let t0 = ms();
                let a = WORKSPACE
                    .with(|w| w.borrow().as_ref().map(|w| kehu::core::analytics::analyze_workspace(w, &cfg, as_of())));
                let t = ms() - t0;
                std::hint::black_box(a);
                t
            })
            .collect();
        times.sort_by(f64::total_cmp);
        times[times.len() / 2]
    }

    /// The BG/NBD fit as the app's analysis chain runs it (src/app/analytics.rs): the analysis in
    /// one task, the summaries in the next, the grouping in the next, then steps of three
    /// likelihood evaluations, each task separated by `kehu::shell::clock::next_task`. Returns
    /// `[fit ms, longest task of the fit ms, tasks, log-likelihood, analysis task ms, fit start]`
    /// (the fit's time starts with the summaries, as in the app's model panel).
    #[wasm_bindgen]
    pub async fn fit_chunked() -> js_sys::Array {
        use kehu::core::analytics::bgnbd::{FitOptions, Fitter, Grouped, summaries};
        // With the demo's exchange rates: every customer's M converted, as in the app.
        let cfg = kehu::core::analytics::AnalysisConfig {
            fx: kehu::core::demo::rates(as_of()),
            ..kehu::core::analytics::AnalysisConfig::default()
        };
        let t0 = ms();
        let analysis =
            WORKSPACE.with(|w| w.borrow().as_ref().map(|w| kehu::core::analytics::analyze_workspace(w, &cfg, as_of())));
        let Some(analysis) = analysis else { return js_sys::Array::new() };
        let analysis_ms = ms() - t0;
        kehu::shell::clock::next_task().await;
        let start = ms();
        let picked: Vec<_> = summaries(&analysis).into_iter().flatten().collect();
        let mut longest = ms() - start;
        kehu::shell::clock::next_task().await;
        let t = ms();
        let mut fitter = Fitter::new(Grouped::new(picked), FitOptions::default());
        longest = longest.max(ms() - t);
        let mut tasks = 2;
        loop {
            kehu::shell::clock::next_task().await;
            let t = ms();
            let done = fitter.step(3);
            longest = longest.max(ms() - t);
            tasks += 1;
            if done {
                break;
            }
        }
        let total = ms() - start;
        let fit = fitter.result();
        let out = js_sys::Array::of5(
            &total.into(),
            &longest.into(),
            &JsValue::from_f64(tasks as f64),
            &fit.log_likelihood.into(),
            &analysis_ms.into(),
        );
        // When the fit began (performance.now()), so the page can tell the fit's tasks from the analysis task's.
        out.push(&start.into());
        out
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

    /// Fills the app's own demo workspace cache ("demo") with `n` demo customers and their
    /// contacts, as if the device had synced them, so the app opens on 100k cached customers.
    /// Returns the number of records written.
    #[wasm_bindgen]
    pub async fn seed_app_workspace(n: usize) -> Result<usize, JsValue> {
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default();
        let data = generate(&DemoConfig { seed: kehu::core::demo::DEFAULT_SEED, customers: n, as_of });
        let cache = Cache::open("demo").await.map_err(err)?;
        let records: Vec<Record> = data
            .customers
            .into_iter()
            .map(Record::Customers)
            .chain(data.contacts.into_iter().map(Record::Contacts))
            .collect();
        let written = cache.fill(records).await.map_err(err)?;
        cache.set_meta("demo_customers", Some(&n.to_string())).await.map_err(err)?;
        cache.set_meta("demo_seeded", Some(&as_of.to_string())).await.map_err(err)?;
        cache.close();
        Ok(written)
    }

    /// Fills the app's demo workspace cache ("demo") with the whole demo dataset of `n` customers
    /// (customers, contacts, orders, invoices, tickets, visits, surveys, plans: about ten orders a
    /// customer), as the demo worker does, so the app's Segments page analyses about a million
    /// orders. Returns the number of records written.
    #[wasm_bindgen]
    pub async fn seed_app_workspace_full(n: usize) -> Result<usize, JsValue> {
        let data = generate(&DemoConfig { seed: kehu::core::demo::DEFAULT_SEED, customers: n, as_of: as_of() });
        let cache = Cache::open("demo").await.map_err(err)?;
        let written = cache.fill(Record::all(&data)).await.map_err(err)?;
        cache.set_meta("demo_customers", Some(&n.to_string())).await.map_err(err)?;
        cache.set_meta("demo_seeded", Some(&as_of().to_string())).await.map_err(err)?;
        cache.close();
        Ok(written)
    }

    /// `deals` open opportunities over the first customers of a demo of `customers`: spread over
    /// the open stages, eight owners, CNY / EUR / USD and the next twelve months (not timed).
    fn synthetic_pipeline(customers: usize, deals: usize) -> kehu::core::model::Dataset {
        use kehu::core::model::{Currency, Money, Opportunity, Stages};
        let mut data = generate(&DemoConfig { seed: kehu::core::demo::DEFAULT_SEED, customers, as_of: as_of() });
        let stages = Stages::default();
        let open: Vec<String> = stages.open().map(|s| s.id.clone()).collect();
        let now = as_of().and_hms_opt(9, 0, 0).unwrap_or_default().and_utc();
        let currencies = [Currency::CNY, Currency::CNY, Currency::EUR, Currency::USD];
        data.opportunities = (0..deals)
            .map(|i| {
                let c = &data.customers[i % data.customers.len().max(1)];
                let owner = format!("rep{}", i % 8);
                let mut o = Opportunity::blank(format!("bench-d{i}"), c.id.clone(), &stages, owner, now);
                o.title = format!("Deal {i}");
                o.currency = currencies[i % currencies.len()];
                o.amount = Money(((i * 7919) % 900_000 + 10_000) as i64 * 100);
                o.expected_close = as_of().checked_add_days(chrono::Days::new((i % 365) as u64));
                let stage = &open[i % open.len()];
                o.move_to(stage, &stages, "bench", now);
                o
            })
            .collect();
        data
    }

    /// Prepares a workspace with `deals` open opportunities (not timed); the deals made.
    #[wasm_bindgen]
    pub fn pipeline_prepare(customers: usize, deals: usize) -> usize {
        let data = synthetic_pipeline(customers, deals);
        let n = data.opportunities.len();
        let ws =
            kehu::core::workspace::Workspace::new(kehu::core::workspace::Source::Demo { seed: 0, customers }, data);
        WORKSPACE.with(|w| *w.borrow_mut() = Some(ws));
        n
    }

    /// The board's columns (filter + grouping + sums in the reporting currency) on the prepared
    /// pipeline: the median of `runs`, ms.
    #[wasm_bindgen]
    pub fn board_run(runs: usize) -> f64 {
        let table = kehu::core::demo::rates(as_of()).table();
        let stages = kehu::core::model::Stages::default();
        let f = kehu::core::pipeline::PipelineFilter::default();
        median_of(runs, || {
            WORKSPACE.with(|w| {
                w.borrow().as_ref().map(|w| {
                    let items = kehu::core::pipeline::filter(w, &f, None);
                    kehu::core::pipeline::board(w, &items, &stages, Some(&table), as_of())
                })
            })
        })
    }

    /// The forecast (by month × owner, win rates, stage times, stuck deals, plans, board totals)
    /// on the prepared pipeline, in the reporting currency: the median of `runs`, ms.
    #[wasm_bindgen]
    pub fn forecast_run(runs: usize) -> f64 {
        let table = kehu::core::demo::rates(as_of()).table();
        let stages = kehu::core::model::Stages::default();
        let cfg = kehu::core::analytics::forecast::ForecastConfig::default();
        median_of(runs, || {
            WORKSPACE.with(|w| {
                w.borrow().as_ref().map(|w| {
                    kehu::core::analytics::forecast::forecast_workspace(w, &stages, as_of(), Some(&table), &cfg)
                })
            })
        })
    }

    fn median_of<T>(runs: usize, mut f: impl FnMut() -> T) -> f64 {
        let mut times: Vec<f64> = (0..runs.max(1))
            .map(|_| {
                let t0 = ms();
                std::hint::black_box(f());
                ms() - t0
            })
            .collect();
        times.sort_by(f64::total_cmp);
        times[times.len() / 2]
    }

    /// Fills the app's demo workspace cache ("demo") with the customers and contacts of a demo of
    /// `customers` and `deals` open opportunities, so the app's pipeline board opens on them.
    /// Returns the number of records written.
    #[wasm_bindgen]
    pub async fn seed_app_workspace_with_deals(customers: usize, deals: usize) -> Result<usize, JsValue> {
        let data = synthetic_pipeline(customers, deals);
        let cache = Cache::open("demo").await.map_err(err)?;
        let records: Vec<Record> = data
            .customers
            .into_iter()
            .map(Record::Customers)
            .chain(data.contacts.into_iter().map(Record::Contacts))
            .chain(data.opportunities.into_iter().map(Record::Opportunities))
            .collect();
        let written = cache.fill(records).await.map_err(err)?;
        cache.set_meta("demo_customers", Some(&customers.to_string())).await.map_err(err)?;
        cache.set_meta("demo_seeded", Some(&as_of().to_string())).await.map_err(err)?;
        cache.close();
        Ok(written)
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
