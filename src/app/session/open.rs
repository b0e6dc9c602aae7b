//! Opening a workspace: the deployment's `config.json`, the workspace to open, its cache (moved
//! from an older layout first if needed), indexed in slices so the page stays responsive, then
//! the pinyin search keys and the saved state after the first screen.

use super::choice::{WorkspaceChoice, store_choice, stored_choice, workspace_id};
use super::stages::load_stages;
use super::stored::{refresh_storage, show_saved_state};
use super::sync::request_sync;
use super::tabs::listen;
use super::wipe::{WIPING, listen_device};
use super::{RUNTIME, Runtime};
use crate::app::state::{AppState, Phase, SyncStatus};
use crate::core::demo;
use crate::core::rest::config::DeploymentConfig;
use crate::core::sync::local::LocalError;
use crate::core::workspace::{Source, Workspace};
use crate::shell::idb::Cache;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

// Only for a cache written by an older build (schema 1), before it is read.
crate::app::lazy::chunk!(load_migrate in migrate: Migrate = |cache| Box::pin(cache.migrate_rows()));

thread_local! {
    /// Counts `open` calls: an older open still reading its cache gives way to a newer one.
    pub(super) static OPENING: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Opens the remembered workspace (the demo when none is configured).
pub fn start(state: AppState) {
    crate::shell::fetch::watch_csp();
    listen_device(state);
    spawn_local(async move {
        let config = load_config(state).await;
        spawn_local(open(state, first_choice(&config)));
    });
    // Sync when the network comes back; show the state either way.
    let on = window_event_listener(leptos::ev::online, move |_| {
        state.online.set(true);
        request_sync(state, Duration::from_millis(500));
    });
    let off = window_event_listener(leptos::ev::offline, move |_| state.online.set(false));
    std::mem::forget((on, off));
    set_interval(move || request_sync(state, Duration::ZERO), Duration::from_secs(300));
}

/// Reads the deployment's `config.json` into the state. A file with errors is not used: the
/// Settings page says why.
pub(super) async fn load_config(state: AppState) -> DeploymentConfig {
    let config = match crate::shell::fetch::fetch_config().await {
        None => DeploymentConfig::none(),
        Some(bytes) => match DeploymentConfig::parse(&bytes) {
            Ok(c) => c,
            Err(errors) => {
                state.config_problem.set(errors);
                DeploymentConfig::none()
            }
        },
    };
    state.config.set(config.clone());
    config
}

/// The workspace to open: the one chosen on this device (unless the deployment turned the demo
/// off), else the deployment's default backend, else the demo (or the first backend).
pub(super) fn first_choice(config: &DeploymentConfig) -> WorkspaceChoice {
    let stored = stored_choice().filter(|c| config.demo || !matches!(c, WorkspaceChoice::Demo));
    let preset =
        || config.default.and_then(|i| config.profiles.get(i)).map(|p| WorkspaceChoice::Backend { profile: p.clone() });
    let fallback = || match (config.demo, config.profiles.first()) {
        (false, Some(p)) => WorkspaceChoice::Backend { profile: p.clone() },
        _ => WorkspaceChoice::Demo,
    };
    stored.or_else(preset).unwrap_or_else(fallback)
}

/// Switches to another workspace (after Settings saved a backend, or back to the demo).
pub fn switch(state: AppState, choice: WorkspaceChoice) {
    store_choice(&choice);
    spawn_local(open(state, choice));
}

pub(super) async fn open(state: AppState, choice: WorkspaceChoice) {
    let t0 = crate::shell::clock::now_ms();
    state.phase.set(Phase::Loading);
    let id = workspace_id(&choice);
    let generation = OPENING.with(|g| {
        g.set(g.get() + 1);
        g.get()
    });
    let superseded = move || OPENING.with(|g| g.get() != generation);
    // The old runtime may live on in work still under way: its channel closes now.
    if let Some(old) = RUNTIME.with(|r| r.borrow_mut().take())
        && let Some(ch) = &old.channel
    {
        ch.close();
    }
    let cache = match Cache::open_unmigrated(&id).await {
        Ok(c) => c,
        Err(e) => {
            state.phase.set(Phase::Failed(e.to_string()));
            return;
        }
    };
    // A cache of an older layout (schema 1) is moved to the current one first; the code that
    // does it is fetched only then (a `chunk!` split point, src/app/lazy.rs).
    if cache.needs_migration() {
        let migrated = match load_migrate().await {
            Ok(migrate) => migrate(&cache).await.map_err(|e| e.to_string()),
            Err(crate::app::lazy::LoadFailed) => {
                Err("the code that reads this older cache could not be fetched".into())
            }
        };
        if let Err(e) = migrated {
            cache.close();
            state.phase.set(Phase::Failed(e));
            return;
        }
    }
    if WIPING.with(std::cell::Cell::get) || superseded() {
        // The device is being wiped (here or in another tab), or another workspace is being
        // opened since: open nothing more.
        cache.close();
        return;
    }
    let (source, profile) = match &choice {
        WorkspaceChoice::Demo => {
            if let Err(e) = seed_demo(&cache, &id).await {
                state.phase.set(Phase::Failed(e));
                return;
            }
            let customers = cache
                .get_meta("demo_customers")
                .await
                .ok()
                .flatten()
                .and_then(|s| s.parse().ok())
                .unwrap_or(demo::DEFAULT_CUSTOMERS);
            (Source::Demo { seed: demo::DEFAULT_SEED, customers }, None)
        }
        WorkspaceChoice::Backend { profile } => {
            let (name, url) = (profile.name().to_string(), profile.base_url().to_string());
            (Source::Backend { name, url }, Some(profile.clone()))
        }
    };
    let (data, bad) = match cache.load().await {
        Ok(x) => x,
        Err(e) => {
            state.phase.set(Phase::Failed(e.to_string()));
            return;
        }
    };
    let stages = load_stages(&cache).await;
    let t_loaded = crate::shell::clock::now_ms();
    // Indexed in slices (a cache of millions of records would hold the thread for seconds).
    let mut indexing = Workspace::indexing(source, data);
    let mut slice = crate::shell::clock::now_ms();
    while !indexing.step(20_000) {
        if crate::shell::clock::now_ms() - slice > 25.0 {
            crate::shell::clock::next_task().await;
            if superseded() {
                cache.close();
                return;
            }
            slice = crate::shell::clock::now_ms();
        }
    }
    let workspace = indexing.finish();
    let t_indexed = crate::shell::clock::now_ms();
    if superseded() {
        cache.close();
        return;
    }
    let channel = listen(state, &id, move || request_sync(state, Duration::from_secs(1)));
    RUNTIME
        .with(|r| *r.borrow_mut() = Some(Rc::new(Runtime { id: id.clone(), cache: Rc::new(cache), profile, channel })));
    // Most workspaces keep the default stages: the pages that follow them are not redrawn for it.
    if state.stages.with_untracked(|s| *s != stages) {
        state.stages.set(stages);
    }
    state.workspace.set(workspace);
    state.problems.set(Default::default());
    state.outbox.set(Vec::new());
    state.unreadable.set(bad.len());
    state.backend.set(match &choice {
        WorkspaceChoice::Demo => None,
        WorkspaceChoice::Backend { profile } => Some(profile.clone()),
    });
    state.sync.set(SyncStatus::default());
    state.phase.set(Phase::Ready);
    leptos::logging::log!(
        "kehu: workspace {id} open in {:.0} ms (cache read {:.0} ms, indexing {:.0} ms)",
        crate::shell::clock::now_ms() - t0,
        t_loaded - t0,
        t_indexed - t_loaded
    );
    spawn_local(refresh_storage(state));
    spawn_local(add_pinyin(state));
    spawn_local(show_saved_state(state));
    request_sync(state, Duration::ZERO);
}

/// Moves a schema-1 cache's rows to the current layout (a `chunk!` split point, src/app/lazy.rs).
pub type Migrate =
    for<'a> fn(&'a Cache) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), LocalError>> + 'a>>;

thread_local! {
    pub(super) static PINYIN: RefCell<Option<std::sync::Arc<crate::core::pinyin::Pinyin>>> = const { RefCell::new(None) };
}

/// Fetches the pinyin table (once) and adds its keys to the open workspace's search index a
/// chunk at a time, so a 100k-customer list stays responsive meanwhile.
pub(super) async fn add_pinyin(state: AppState) {
    let t0 = crate::shell::clock::now_ms();
    let table = match PINYIN.with(|p| p.borrow().clone()) {
        Some(t) => t,
        None => {
            let Some(text) = crate::shell::device::fetch_text("pinyin.txt").await else { return };
            let t = std::sync::Arc::new(crate::core::pinyin::Pinyin::parse(&text));
            if t.is_empty() {
                return;
            }
            PINYIN.with(|p| *p.borrow_mut() = Some(t.clone()));
            t
        }
    };
    state.workspace.update_untracked(|w| w.set_pinyin_deferred(table));
    loop {
        let done = state.workspace.try_update_untracked(|w| w.index_pinyin(4_000)).unwrap_or(true);
        if done {
            break;
        }
        gloo_timers::future::TimeoutFuture::new(0).await;
    }
    // The search buffer of 100k customers, a chunk per task too.
    while !state.workspace.try_update_untracked(|w| w.prepare_search_step(20_000)).unwrap_or(true) {
        crate::shell::clock::next_task().await;
    }
    state.search_rev.update(|r| *r += 1);
    leptos::logging::log!("kehu: pinyin search keys in {:.0} ms", crate::shell::clock::now_ms() - t0);
}

/// Fills the demo workspace's cache once (dated today); then it lives like any other cache.
pub(super) async fn seed_demo(cache: &Cache, _id: &str) -> Result<(), String> {
    if cache.get_meta("demo_seeded").await.map_err(|e| e.to_string())?.is_some() {
        return Ok(());
    }
    crate::shell::host::seed_demo(_id, demo::DEFAULT_CUSTOMERS, crate::shell::clock::today()).await.map(|_| ())
}
