//! The analysis of the open workspace, provided as context: recomputed when the workspace, the
//! analysis date or the settings change (all pure core functions); the BG/NBD model is fitted
//! after each change in short steps between frames, so the page never stalls.

use super::state::AppState;
use crate::core::analytics::bgnbd::{self, Fit, FitOptions, Fitter, Grouped, Summary};
use crate::core::analytics::receivables::{Receivables, receivables};
use crate::core::analytics::{Analysis, AnalysisConfig, analyze_workspace};
use crate::core::model::Date;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::Cell;

#[derive(Clone, Debug, PartialEq)]
pub enum FitState {
    /// No scored customers.
    Idle,
    Running,
    Done { fit: Fit, ms: f64 },
}

#[derive(Clone, Copy)]
pub struct Analytics {
    /// The analysis date: today unless the user picks another; orders after it are ignored.
    pub as_of: RwSignal<Date>,
    pub config: RwSignal<AnalysisConfig>,
    pub analysis: Memo<Analysis>,
    pub receivables: Memo<Receivables>,
    pub fit: RwSignal<FitState>,
    /// Milliseconds the last analysis took (shown in the model panel).
    pub analysis_ms: RwSignal<f64>,
}

thread_local! {
    static GENERATION: Cell<u64> = const { Cell::new(0) };
}

fn config_key(workspace: &str) -> String {
    format!("kehu.analysis.{workspace}")
}

/// The analysis settings saved on this device for a workspace (defaults when none or unreadable).
pub fn load_config(workspace: &str) -> AnalysisConfig {
    crate::shell::local_get(&config_key(workspace)).and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default()
}

pub fn save_config(workspace: &str, config: &AnalysisConfig) {
    crate::shell::local_set(&config_key(workspace), serde_json::to_string(config).ok().as_deref());
}

pub fn provide(app: AppState) -> Analytics {
    let as_of = RwSignal::new(crate::shell::today());
    let config = RwSignal::new(AnalysisConfig::default());
    let analysis_ms = RwSignal::new(0.0);
    // A workspace brings its own saved settings.
    Effect::new(move |_| {
        if app.phase.get() == super::state::Phase::Ready
            && let Some(id) = super::session::current_id()
        {
            config.set(load_config(&id));
        }
    });
    let ws = app.workspace;
    let analysis = Memo::new(move |_| {
        let cfg = config.get();
        let date = as_of.get();
        let t0 = js_sys::Date::now();
        let a = ws.with(|w| analyze_workspace(w, &cfg, date));
        analysis_ms.set(js_sys::Date::now() - t0);
        a
    });
    let receivables = Memo::new(move |_| {
        let date = as_of.get();
        ws.with(|w| receivables(&w.data.customers, &w.data.invoices, date))
    });
    let fit = RwSignal::new(FitState::Idle);
    Effect::new(move |_| {
        let picked: Vec<Summary> = analysis.with(|a| bgnbd::summaries(a).into_iter().flatten().collect());
        let generation = GENERATION.with(|g| {
            g.set(g.get() + 1);
            g.get()
        });
        if picked.is_empty() {
            fit.set(FitState::Idle);
            return;
        }
        fit.set(FitState::Running);
        spawn_local(run_fit(picked, generation, fit));
    });
    let a = Analytics { as_of, config, analysis, receivables, fit, analysis_ms };
    provide_context(a);
    a
}

/// Groups the customers, then fits in steps of a few likelihood evaluations, each in its own
/// task (100k customers: grouping ~40 ms, a step ~15 ms); a newer analysis cancels an older fit.
async fn run_fit(picked: Vec<Summary>, generation: u64, out: RwSignal<FitState>) {
    gloo_timers::future::TimeoutFuture::new(0).await;
    if GENERATION.with(Cell::get) != generation {
        return;
    }
    let t0 = js_sys::Date::now();
    let mut fitter = Fitter::new(Grouped::new(picked), FitOptions::default());
    loop {
        gloo_timers::future::TimeoutFuture::new(0).await;
        if GENERATION.with(Cell::get) != generation {
            return;
        }
        if fitter.step(3) {
            break;
        }
    }
    out.set(FitState::Done { fit: fitter.result(), ms: js_sys::Date::now() - t0 });
}

pub fn use_analytics() -> Option<Analytics> {
    use_context::<Analytics>()
}
