//! The analysis of the open workspace, provided as context: recomputed when the workspace, the
//! analysis date or the settings change (all pure core functions), each piece in its own short
//! task so that no main-thread task runs long on 100k customers and a million orders (goal: none
//! over 50 ms):
//!
//! - the analysis chain (workspace, date, settings): the per-customer pass a range of customers
//!   per task, the scores, the hand-over to the pages (their redraw), the churn list, the BG/NBD
//!   summaries, the grouping, then the fit in steps of three likelihood evaluations;
//! - the data chain (workspace, date, exchange rates): receivables and the region plans a range of
//!   customers per task, the aging charts, then satisfaction and complaints per customer;
//! - the voice chain (after either): satisfaction and complaints per RFM segment and per region.
//!
//! Money across currencies is summed in the workspace's reporting currency at its dated rates
//! (`AnalysisConfig::fx`, a `core::fx::Fx`): kept in the workspace's IndexedDB `meta` (key
//! [`FX_KEY`], decoded in the chunk); the demo's default is `demo::rates`, a backend's CNY
//! without rates.
//!
//! Tasks are separated by [`crate::shell::clock::next_task`]; a newer change abandons an older chain at
//! its next step. Until a chain is done the signals hold the previous results (at first, empty
//! ones); `data_pending` tells the data chain is under way. Each signal is set in a task of its
//! own, so the cards that show it redraw there and nowhere else.

use crate::app::state::AppState;
use crate::core::analytics::bgnbd::{self, Fit, FitOptions, Fitter, Grouped, Summary};
use crate::core::analytics::plan::{PlanActual, PlanBuilder};
use crate::core::analytics::receivables::{CurrencyAging, Receivables, ReceivablesBuilder, aging_by_currency};
use crate::core::analytics::satisfaction::{GroupVoice, Satisfaction, Voice, group_voice, voice_workspace};
use crate::core::analytics::{Analysis, AnalysisBuilder, AnalysisConfig, ChurnList, churn_list};
use crate::core::fx::Fx;
use crate::core::model::Date;
use crate::core::workspace::Workspace;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::thread::LocalKey;

// The analysis of the workspace, fetched right after the first screen.
crate::app::lazy::chunk!(load_chains in analytics: Chains = Chains::get());

#[derive(Clone, Debug, PartialEq)]
pub enum FitState {
    /// No scored customers.
    Idle,
    Running,
    Done {
        fit: Fit,
        ms: f64,
    },
}

/// Satisfaction and complaints per group, for the Segments page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VoiceGroups {
    /// All customers' answers.
    pub all: Satisfaction,
    /// Per RFM segment (keys in the rules' order) and per region (by name).
    pub by_segment: Vec<(String, GroupVoice)>,
    pub by_region: Vec<(String, GroupVoice)>,
    /// Computed (an empty workspace has empty groups too).
    pub ready: bool,
}

#[derive(Clone, Copy)]
pub struct Analytics {
    /// The analysis date: today unless the user picks another; orders after it are ignored.
    pub as_of: RwSignal<Date>,
    pub config: RwSignal<AnalysisConfig>,
    /// RFM, ABC, lifecycle and gap warning per customer (empty until the first is done).
    pub analysis: RwSignal<Analysis>,
    /// Who to call first (from the analysis; `None` until the first is done).
    pub churn: RwSignal<Option<ChurnList>>,
    pub receivables: RwSignal<Receivables>,
    /// The aging chart per currency customers are billed in (from the receivables).
    pub aging: RwSignal<Vec<CurrencyAging>>,
    /// Per customer: survey answers and complaints up to the analysis date.
    pub voice: RwSignal<Voice>,
    pub voice_groups: RwSignal<VoiceGroups>,
    /// The region plans whose period holds the analysis date, against actual sales.
    pub plans: RwSignal<Vec<PlanActual>>,
    pub fit: RwSignal<FitState>,
    /// Milliseconds the last analysis took, its pieces added (shown in the model panel).
    pub analysis_ms: RwSignal<f64>,
    /// Receivables, plans and satisfaction are still being computed for the latest change.
    pub data_pending: RwSignal<bool>,
}

thread_local! {
    static ANALYSIS_RUN: Cell<u64> = const { Cell::new(0) };
    static DATA_RUN: Cell<u64> = const { Cell::new(0) };
    static VOICE_RUN: Cell<u64> = const { Cell::new(0) };
}

type Run = &'static LocalKey<Cell<u64>>;

/// Customers per task for the per-customer passes (on 100k customers from the cache, about
/// 10 ms per task: room to spare under 50 ms on a slower or busy device).
const CHUNK: usize = 5_000;

fn config_key(workspace: &str) -> String {
    format!("kehu.analysis.{workspace}")
}

/// The key of the open workspace's reporting currency and rates in its IndexedDB `meta` store.
pub const FX_KEY: &str = "fx";

/// The analysis settings saved on this device for a workspace (defaults when none or unreadable),
/// without the exchange rates (those are the workspace's, see [`load_fx`]).
pub fn load_config(workspace: &str) -> AnalysisConfig {
    crate::shell::storage::local_get(&config_key(workspace))
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

/// Saves the analysis settings of a workspace on this device; the rates are not written there
/// (they live in the workspace's cache, [`save_fx`]).
pub fn save_config(workspace: &str, config: &AnalysisConfig) {
    let config = AnalysisConfig { fx: Fx::default(), ..config.clone() };
    crate::shell::storage::local_set(&config_key(workspace), serde_json::to_string(&config).ok().as_deref());
}

/// The open workspace's reporting currency and rates from its cache; when none were saved (or
/// they cannot be read) the default: the demo's rates for the demo, else CNY without rates.
pub async fn load_fx() -> Fx {
    let stored = crate::app::session::get_meta(FX_KEY).await.and_then(|t| serde_json::from_str::<Fx>(&t).ok());
    match stored {
        Some(mut fx) => {
            fx.normalise();
            fx
        }
        None if crate::app::session::is_demo() => crate::core::demo::rates(crate::shell::clock::today()),
        None => Fx::default(),
    }
}

/// Saves the open workspace's reporting currency and rates in its cache and recomputes the
/// analysis with them. Returns the storage error, if any (the analysis uses them anyway).
pub async fn save_fx(an: Analytics, fx: Fx) -> Result<(), String> {
    let text = serde_json::to_string(&fx).map_err(|e| e.to_string())?;
    an.config.update(|c| c.fx = fx);
    crate::app::session::set_meta(FX_KEY, Some(&text)).await.map_err(|e| e.to_string())
}

fn bump(run: Run) -> u64 {
    run.with(|g| {
        g.set(g.get() + 1);
        g.get()
    })
}

/// Waits for the next task; false when a newer run has started meanwhile.
async fn still(run: Run, id: u64) -> bool {
    crate::shell::clock::next_task().await;
    run.with(Cell::get) == id
}

fn now() -> f64 {
    crate::shell::clock::now_ms()
}

pub fn provide(app: AppState) -> Analytics {
    let as_of = RwSignal::new(crate::shell::clock::today());
    let config = RwSignal::new(AnalysisConfig::default());
    let an = Analytics {
        as_of,
        config,
        analysis: RwSignal::new(Analysis::empty(&AnalysisConfig::default(), as_of.get_untracked())),
        churn: RwSignal::new(None),
        receivables: RwSignal::new(Receivables::default()),
        aging: RwSignal::new(Vec::new()),
        voice: RwSignal::new(Voice::default()),
        voice_groups: RwSignal::new(VoiceGroups::default()),
        plans: RwSignal::new(Vec::new()),
        fit: RwSignal::new(FitState::Idle),
        analysis_ms: RwSignal::new(0.0),
        data_pending: RwSignal::new(false),
    };
    // A workspace brings its own saved settings (read by the chains' chunk, which has their
    // decoder; a run started meanwhile with the defaults is abandoned when they arrive).
    Effect::new(move |_| {
        if app.phase.get() == crate::app::state::Phase::Ready
            && let Some(id) = crate::app::session::current_id()
        {
            spawn_local(async move {
                if let Some(c) = chains().await {
                    let mut cfg = (c.config)(&id);
                    cfg.fx = (c.fx)().await;
                    if crate::app::session::current_id().as_deref() == Some(id.as_str()) {
                        config.set(cfg);
                    }
                }
            });
        }
    });
    let ws = app.workspace;
    Effect::new(move |_| {
        ws.track();
        let cfg = config.get();
        let date = as_of.get();
        let run = bump(&ANALYSIS_RUN);
        spawn_local(async move {
            if let Some(c) = chains().await {
                (c.analysis)(an, ws, cfg, date, run).await
            }
        });
    });
    // The data chain reruns when the rates change, not on every other setting.
    let fx = Memo::new(move |_| config.with(|c| c.fx.clone()));
    Effect::new(move |_| {
        ws.track();
        let date = as_of.get();
        let fx = fx.get();
        let run = bump(&DATA_RUN);
        if !an.data_pending.get_untracked() {
            an.data_pending.set(true);
        }
        spawn_local(async move {
            if let Some(c) = chains().await {
                (c.data)(an, ws, fx, date, run).await
            }
        });
    });
    // Satisfaction per segment needs both chains' results.
    Effect::new(move |_| {
        an.analysis.track();
        an.voice.track();
        let run = bump(&VOICE_RUN);
        spawn_local(async move {
            if let Some(c) = chains().await {
                (c.voice)(an, ws, run).await
            }
        });
    });
    provide_context(an);
    an
}

type Task = Pin<Box<dyn Future<Output = ()>>>;

/// The three chains. Their code (most of `core::analytics` with them) is a chunk of its own,
/// fetched after the first screen rather than before it (a `chunk!` split point, src/app/lazy.rs).
#[derive(Clone, Copy)]
pub struct Chains {
    analysis: fn(Analytics, RwSignal<Workspace>, AnalysisConfig, Date, u64) -> Task,
    data: fn(Analytics, RwSignal<Workspace>, Fx, Date, u64) -> Task,
    voice: fn(Analytics, RwSignal<Workspace>, u64) -> Task,
    config: fn(&str) -> AnalysisConfig,
    fx: fn() -> Pin<Box<dyn Future<Output = Fx>>>,
}

impl Chains {
    /// The chains of this build (its `chunk!` split point returns them).
    pub fn get() -> Self {
        Chains {
            analysis: |an, ws, cfg, date, run| Box::pin(analysis_chain(an, ws, cfg, date, run)),
            data: |an, ws, fx, date, run| Box::pin(data_chain(an, ws, fx, date, run)),
            voice: |an, ws, run| Box::pin(voice_chain(an, ws, run)),
            config: load_config,
            fx: || Box::pin(load_fx()),
        }
    }
}

/// The chains' chunk (fetched once). Unreachable — offline before the service worker had saved
/// it — the analysis stays empty and says nothing wrong; the next change of the workspace or of
/// the settings tries again.
async fn chains() -> Option<Chains> {
    match load_chains().await {
        Ok(c) => Some(c),
        Err(_) => {
            leptos::logging::warn!("kehu: the analytics chunk could not be loaded");
            None
        }
    }
}

/// The analysis, the churn list, then the BG/NBD fit (100k customers from the cache: the
/// per-customer pass ~10 ms per 5k customers, scores ~15 ms, summaries ~10 ms, grouping
/// ~25 ms, a step ~15 ms).
async fn analysis_chain(an: Analytics, ws: RwSignal<Workspace>, cfg: AnalysisConfig, date: Date, run: u64) {
    const RUN: Run = &ANALYSIS_RUN;
    if !still(RUN, run).await {
        return;
    }
    let (mut ms, mut t0) = (0.0, now());
    let Some(mut builder) = ws.try_with_untracked(|w| AnalysisBuilder::new(w, &cfg, date)) else { return };
    loop {
        let done = ws.with_untracked(|w| builder.add(w, CHUNK));
        ms += now() - t0;
        if !still(RUN, run).await {
            return;
        }
        t0 = now();
        if done {
            break;
        }
    }
    let a = builder.finish();
    ms += now() - t0;
    // The pages redraw with it in a task of their own.
    if !still(RUN, run).await {
        return;
    }
    an.analysis.set(a);
    an.analysis_ms.set(ms);
    if !still(RUN, run).await {
        return;
    }
    let churn = ws.with_untracked(|w| an.analysis.with_untracked(|a| churn_list(a, &w.data.customers, &cfg, 12)));
    an.churn.set(Some(churn));
    if !still(RUN, run).await {
        return;
    }
    let t0 = now();
    let picked: Vec<Summary> = an.analysis.with_untracked(|a| bgnbd::summaries(a).into_iter().flatten().collect());
    if picked.is_empty() {
        an.fit.set(FitState::Idle);
        return;
    }
    an.fit.set(FitState::Running);
    if !still(RUN, run).await {
        return;
    }
    let mut fitter = Fitter::new(Grouped::new(picked), FitOptions::default());
    loop {
        if !still(RUN, run).await {
            return;
        }
        if fitter.step(3) {
            break;
        }
    }
    an.fit.set(FitState::Done { fit: fitter.result(), ms: now() - t0 });
}

/// Receivables and the current plans a range of customers per task, then satisfaction.
async fn data_chain(an: Analytics, ws: RwSignal<Workspace>, fx: Fx, date: Date, run: u64) {
    const RUN: Run = &DATA_RUN;
    if !still(RUN, run).await {
        return;
    }
    let Some(n) = ws.try_with_untracked(|w| w.data.customers.len()) else { return };
    let mut rc = ReceivablesBuilder::new(n, date).with_fx(&fx);
    for start in (0..n).step_by(CHUNK) {
        ws.with_untracked(|w| rc.add_customers(w, start..start.saturating_add(CHUNK)));
        if !still(RUN, run).await {
            return;
        }
    }
    let (rc, aging) = ws.with_untracked(|w| {
        let rc = rc.finish(&w.data.customers);
        let aging = aging_by_currency(&w.data.customers, &rc);
        (rc, aging)
    });
    if !still(RUN, run).await {
        return;
    }
    an.receivables.set(rc);
    an.aging.set(aging);
    if !still(RUN, run).await {
        return;
    }
    let mut plans = ws.with_untracked(|w| PlanBuilder::new(w, |p| p.period.contains(date), date).with_fx(&fx));
    for start in (0..n).step_by(CHUNK) {
        ws.with_untracked(|w| plans.add_customers(w, start..start.saturating_add(CHUNK)));
        if !still(RUN, run).await {
            return;
        }
    }
    an.plans.set(plans.finish());
    if !still(RUN, run).await {
        return;
    }
    let voice = ws.with_untracked(|w| voice_workspace(w, date));
    if !still(RUN, run).await {
        return;
    }
    an.voice.set(voice);
    an.data_pending.set(false);
}

/// Satisfaction and complaints per RFM segment, then per region, once the analysis and the
/// per-customer answers are for the same date.
async fn voice_chain(an: Analytics, ws: RwSignal<Workspace>, run: u64) {
    const RUN: Run = &VOICE_RUN;
    if !still(RUN, run).await {
        return;
    }
    let same = an.analysis.with_untracked(|a| {
        an.voice.with_untracked(|v| v.as_of == Some(a.as_of) && v.satisfaction.len() == a.rows.len())
    });
    if !same {
        return;
    }
    // Complaints per 100 sales in any currency up to the analysis date.
    let sales =
        |a: &Analysis, i: usize| a.rows.get(i).map_or(0, |r| r.frequency.saturating_add(r.other_currency_orders));
    let by_segment: Vec<(String, GroupVoice)> = an.analysis.with_untracked(|a| {
        an.voice.with_untracked(|v| {
            group_voice(v, |i| sales(a, i), |i| a.rows.get(i).and_then(|r| r.segment))
                .into_iter()
                .filter_map(|(k, g)| Some((a.segments.get(usize::from(k))?.clone(), g)))
                .collect()
        })
    });
    if !still(RUN, run).await {
        return;
    }
    let by_region: Vec<(String, GroupVoice)> = ws.with_untracked(|w| {
        an.analysis.with_untracked(|a| {
            an.voice.with_untracked(|v| {
                group_voice(v, |i| sales(a, i), |i| w.data.customers.get(i).map(|c| c.region.as_str()))
                    .into_iter()
                    .map(|(k, g)| (k.to_string(), g))
                    .collect()
            })
        })
    });
    let mut all = Satisfaction::default();
    for (_, g) in &by_region {
        all.merge(&g.satisfaction);
    }
    if !still(RUN, run).await {
        return;
    }
    an.voice_groups.set(VoiceGroups { all, by_segment, by_region, ready: true });
}

pub fn use_analytics() -> Option<Analytics> {
    use_context::<Analytics>()
}
