//! The open workspace's session: its IndexedDB cache, its backend (if any), saving edits, and
//! driving sync — glue between the shell's edges and the app's signals. Non-`Send` handles
//! (the database, the HTTP client) live in a thread-local; signals hold plain data.

use crate::app::state::{AppState, Phase, SyncStatus};
use crate::core::demo;
use crate::core::model::Entity;
use crate::core::record::Change;
use crate::core::record::Record;
use crate::core::rest::api::{Credentials, Tokens};
use crate::core::rest::config::{DeploymentConfig, ProfileRef};
use crate::core::rest::profile::Profile;
use crate::core::sync::engine::{Progress, SyncError, SyncOptions, SyncReport};
use crate::core::sync::local::SaveError;
use crate::core::sync::local::{Local, LocalError};
use crate::core::sync::new_record_id;
use crate::core::sync::outbox::{Edit, OutboxEntry, Resolution, resolve_conflict};
use crate::core::sync::remote::RemoteError;
use crate::core::workspace::{Source, Workspace};
use crate::shell::http::{Probe, RestRemote};
use crate::shell::idb::Cache;
use crate::shell::tasks;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

// Fetched right after the first screen (with a backend): the sync engine with the REST client and
// the profile parser.
crate::app::lazy::chunk!(load_sync_engine in sync_engine: SyncRun = |cache, id, profile, creds, options, progress| {
    Box::pin(async move { crate::shell::tasks::sync(cache, &id, &profile, creds, options, progress).await })
});
// Only for a cache written by an older build (schema 1), before it is read.
crate::app::lazy::chunk!(load_migrate in migrate: Migrate = |cache| Box::pin(cache.migrate_rows()));
// What this device keeps for the open workspace besides its records — the outbox, the records'
// data problems, the last sync run (and, in `views` and `draft`, the saved views and the drafts'
// sweep) — read just after the first screen.
crate::app::lazy::chunk!(outbox_reader in stored: ReadOutbox = |cache| Box::pin(async move { crate::core::sync::local::Local::outbox(&*cache).await }));
crate::app::lazy::chunk!(last_sync_decoder in stored: fn(&str) -> Option<crate::app::state::LastSync> = |text| serde_json::from_str(text).ok());
crate::app::lazy::chunk!(problems_reader in stored: ReadProblems = |cache| Box::pin(async move { cache.problems().await }));

/// Which workspace to open, remembered on this device.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkspaceChoice {
    Demo,
    /// Kept as its JSON: parsed when the backend is first talked to (by the sync engine's chunk).
    Backend {
        profile: ProfileRef,
    },
}

const CHOICE_KEY: &str = "kehu.workspace";

pub fn stored_choice() -> Option<WorkspaceChoice> {
    crate::shell::local_get(CHOICE_KEY).and_then(|t| serde_json::from_str(&t).ok())
}

fn store_choice(c: &WorkspaceChoice) {
    crate::shell::local_set(CHOICE_KEY, serde_json::to_string(c).ok().as_deref());
}

pub fn workspace_id(choice: &WorkspaceChoice) -> String {
    match choice {
        WorkspaceChoice::Demo => "demo".into(),
        WorkspaceChoice::Backend { profile } => profile.workspace_id(),
    }
}

/// Credentials live in memory and `sessionStorage` (gone with the tab) unless the user asked to
/// be remembered on this device. Never in a URL, never logged.
fn creds_key(id: &str) -> String {
    format!("kehu.credentials.{id}")
}

fn tokens_key(id: &str) -> String {
    format!("kehu.session.{id}")
}

fn stored(key: &str) -> Option<String> {
    crate::shell::session_get(key).or_else(|| crate::shell::local_get(key)).filter(|t| !t.is_empty())
}

pub fn load_credentials(id: &str) -> Credentials {
    let session = stored(&tokens_key(id)).and_then(|t| {
        let v: serde_json::Value = serde_json::from_str(&t).ok()?;
        let access = v.get("access")?.as_str()?.to_string();
        Some(Tokens { access, refresh: v.get("refresh").and_then(|r| r.as_str()).map(str::to_string) })
    });
    Credentials { secret: stored(&creds_key(id)), session }
}

pub fn store_credentials(id: &str, secret: Option<&str>, remember: bool) {
    crate::shell::session_set(&creds_key(id), secret);
    crate::shell::local_set(&creds_key(id), if remember { secret } else { None });
}

/// Keeps a login's tokens (never the password) in this tab, or on the device if asked.
pub fn store_tokens(id: &str, tokens: Option<&Tokens>, remember: bool) {
    let text = tokens.map(|t| serde_json::json!({ "access": t.access, "refresh": t.refresh }).to_string());
    crate::shell::session_set(&tokens_key(id), text.as_deref());
    crate::shell::local_set(&tokens_key(id), if remember { text.as_deref() } else { None });
}

pub fn remembered(id: &str) -> bool {
    crate::shell::local_get(&creds_key(id)).is_some() || crate::shell::local_get(&tokens_key(id)).is_some()
}

/// Signs in at a login backend and keeps the tokens for its workspace.
pub async fn sign_in(profile: &Profile, username: &str, password: &str, remember: bool) -> Result<(), RemoteError> {
    let remote = RestRemote::new(profile.clone(), Credentials::default());
    remote.login(username, password).await?;
    store_tokens(&profile.workspace_id(), remote.credentials().session.as_ref(), remember);
    Ok(())
}

struct Runtime {
    id: String,
    cache: Rc<Cache>,
    /// The backend profile (`None` for the demo).
    profile: Option<ProfileRef>,
    channel: Option<web_sys::BroadcastChannel>,
    _listener: Option<Closure<dyn FnMut(web_sys::MessageEvent)>>,
}

thread_local! {
    static RUNTIME: RefCell<Option<Rc<Runtime>>> = const { RefCell::new(None) };
    static SYNC_TIMER: RefCell<Option<TimeoutHandle>> = const { RefCell::new(None) };
}

fn runtime() -> Option<Rc<Runtime>> {
    RUNTIME.with(|r| r.borrow().clone())
}

thread_local! {
    /// Counts local edits (this tab's saves, and other tabs' edits as they are announced).
    static EDIT_CLOCK: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    /// The clock's value at each record's last local edit.
    static EDITED: RefCell<std::collections::HashMap<(Entity, String), u64>> = RefCell::new(Default::default());
}

/// The edit clock now: work that reads records (a sync run, another tab's message) notes it
/// before it starts, and [`not_edited_since`] drops what it read for records edited meanwhile.
fn edit_clock() -> u64 {
    EDIT_CLOCK.with(std::cell::Cell::get)
}

/// Notes a local edit of these records, before it is written: anything read before it (a sync
/// run's pulled version, another tab's record) is older than the edit, and never replaces it on
/// screen. (The cache itself is safe by its transactions: a pull never overwrites a record with
/// a waiting edit.)
fn note_edit(keys: impl IntoIterator<Item = (Entity, String)>) {
    let now = EDIT_CLOCK.with(|c| {
        c.set(c.get() + 1);
        c.get()
    });
    EDITED.with(|e| {
        let mut e = e.borrow_mut();
        for k in keys {
            e.insert(k, now);
        }
    });
}

/// `changes` read from the cache or the server while the clock was at `since`, without the
/// records edited locally since then (what the screen shows of those is newer).
fn not_edited_since(since: u64, changes: Vec<Change>) -> Vec<Change> {
    if edit_clock() == since {
        return changes;
    }
    EDITED.with(|e| {
        let e = e.borrow();
        changes
            .into_iter()
            .filter(|c| {
                let (entity, id) = c.key();
                e.get(&(entity, id.to_string())).is_none_or(|&at| at <= since)
            })
            .collect()
    })
}

/// `changes` read while the clock was at `since`, split into those of records not edited
/// locally since, and the keys of those that were.
fn split_edited(since: u64, changes: Vec<Change>) -> (Vec<Change>, Vec<(Entity, String)>) {
    if edit_clock() == since {
        return (changes, Vec::new());
    }
    EDITED.with(|e| {
        let e = e.borrow();
        let mut keep = Vec::with_capacity(changes.len());
        let mut edited: Vec<(Entity, String)> = Vec::new();
        for c in changes {
            let (entity, id) = c.key();
            let k = (entity, id.to_string());
            if e.get(&k).is_some_and(|&at| at > since) {
                if !edited.contains(&k) {
                    edited.push(k);
                }
            } else {
                keep.push(c);
            }
        }
        (keep, edited)
    })
}

/// Whether `rt`'s workspace is the one open (the same runtime, or the same workspace opened
/// again since). Work that awaited (a sync run, a save, a message from another tab) checks this
/// before it touches the screen: after a switch, results of the workspace left behind belong to
/// its own cache only, never to the one now shown.
fn is_open(rt: &Runtime) -> bool {
    runtime().is_some_and(|r| std::ptr::eq(&*r, rt) || r.id == rt.id)
}

thread_local! {
    /// Counts `open` calls: an older open still reading its cache gives way to a newer one.
    static OPENING: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Opens the remembered workspace (the demo when none is configured).
pub fn start(state: AppState) {
    crate::shell::watch_csp();
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
async fn load_config(state: AppState) -> DeploymentConfig {
    let config = match crate::shell::fetch_config().await {
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
fn first_choice(config: &DeploymentConfig) -> WorkspaceChoice {
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

async fn open(state: AppState, choice: WorkspaceChoice) {
    let t0 = js_sys::Date::now();
    state.phase.set(Phase::Loading);
    let id = workspace_id(&choice);
    let generation = OPENING.with(|g| {
        g.set(g.get() + 1);
        g.get()
    });
    let superseded = move || OPENING.with(|g| g.get() != generation);
    if let Some(old) = RUNTIME.with(|r| r.borrow_mut().take()) {
        if let Some(ch) = &old.channel {
            ch.close();
        }
    }
    let cache = match Cache::open_unmigrated(&id).await {
        Ok(c) => c,
        Err(e) => {
            state.phase.set(Phase::Failed(e.to_string()));
            return;
        }
    };
    // A cache of an older layout (schema 1) is moved to the current one first; the code that
    // does it is fetched only then (src/app/lazy.rs).
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
    let t_loaded = js_sys::Date::now();
    // Indexed in slices (a cache of millions of records would hold the thread for seconds).
    let mut indexing = Workspace::indexing(source, data);
    let mut slice = js_sys::Date::now();
    while !indexing.step(20_000) {
        if js_sys::Date::now() - slice > 25.0 {
            crate::shell::next_task().await;
            if superseded() {
                cache.close();
                return;
            }
            slice = js_sys::Date::now();
        }
    }
    let workspace = indexing.finish();
    let t_indexed = js_sys::Date::now();
    if superseded() {
        cache.close();
        return;
    }
    let (channel, listener) = listen(state, &id);
    RUNTIME.with(|r| {
        *r.borrow_mut() =
            Some(Rc::new(Runtime { id: id.clone(), cache: Rc::new(cache), profile, channel, _listener: listener }))
    });
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
        js_sys::Date::now() - t0,
        t_loaded - t0,
        t_indexed - t_loaded
    );
    spawn_local(refresh_storage(state));
    spawn_local(add_pinyin(state));
    spawn_local(show_saved_state(state));
    request_sync(state, Duration::ZERO);
}

/// After the first screen: the open workspace's outbox, its records' data problems and its last
/// sync run (reading them is code of its own chunk, src/app/lazy.rs). A run that ended meanwhile
/// is newer: it is kept.
async fn show_saved_state(state: AppState) {
    crate::shell::after_paint().await;
    let Some(rt) = runtime() else { return };
    show_outbox(state, &rt).await;
    show_problems(state, &rt).await;
    let Ok(decode) = last_sync_decoder().await else { return };
    let Some(text) = rt.cache.get_meta(LAST_SYNC).await.ok().flatten() else { return };
    if let Some(last) = decode(&text)
        && is_open(&rt)
    {
        state.sync.update(|s| {
            if s.last.is_none() {
                s.last = Some(last);
            }
        });
    }
}

/// The outbox of `cache`; `None` if it cannot be read now (its chunk could not be fetched, or
/// the storage failed).
async fn read_outbox(cache: &Rc<Cache>) -> Option<Vec<OutboxEntry>> {
    let read = outbox_reader().await.ok()?;
    read(cache.clone()).await.ok()
}

/// Shows the outbox of `rt`'s workspace if it is still the open one (else it keeps what it shows).
async fn show_outbox(state: AppState, rt: &Runtime) {
    if let Some(outbox) = read_outbox(&rt.cache).await
        && is_open(rt)
    {
        state.outbox.set(outbox);
    }
}

/// Shows the data problems stored in `rt`'s cache, if it is still the open workspace (the code
/// that reads them is in the `stored` chunk; if it cannot be fetched, what is shown stays).
async fn show_problems(state: AppState, rt: &Runtime) {
    let Ok(read) = problems_reader().await else { return };
    if let Ok(problems) = read(rt.cache.clone()).await
        && is_open(rt)
        && state.problems.with_untracked(|p| *p != problems)
    {
        state.problems.set(problems);
    }
}

/// Reads the records' data problems (src/app/lazy.rs).
pub type ReadProblems =
    fn(
        Rc<Cache>,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<crate::core::lenient::Problems, LocalError>>>>;

/// Moves a schema-1 cache's rows to the current layout (src/app/lazy.rs).
pub type Migrate =
    for<'a> fn(&'a Cache) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), LocalError>> + 'a>>;

/// Reads the outbox (src/app/lazy.rs).
pub type ReadOutbox =
    fn(Rc<Cache>) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Vec<OutboxEntry>, LocalError>>>>;

const LAST_SYNC: &str = "last_sync";

thread_local! {
    static PINYIN: RefCell<Option<std::sync::Arc<crate::core::pinyin::Pinyin>>> = const { RefCell::new(None) };
}

/// Fetches the pinyin table (once) and adds its keys to the open workspace's search index a
/// chunk at a time, so a 100k-customer list stays responsive meanwhile.
async fn add_pinyin(state: AppState) {
    let t0 = js_sys::Date::now();
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
        crate::shell::next_task().await;
    }
    state.search_rev.update(|r| *r += 1);
    leptos::logging::log!("kehu: pinyin search keys in {:.0} ms", js_sys::Date::now() - t0);
}

/// The user's name on this device (visit rep, "my tickets"); set in Settings.
pub fn me() -> String {
    crate::shell::local_get("kehu.me").unwrap_or_default()
}

pub fn set_me(name: &str) {
    let name = name.trim();
    crate::shell::local_set("kehu.me", (!name.is_empty()).then_some(name));
}

/// Fills the demo workspace's cache once (dated today); then it lives like any other cache.
async fn seed_demo(cache: &Cache, _id: &str) -> Result<(), String> {
    if cache.get_meta("demo_seeded").await.map_err(|e| e.to_string())?.is_some() {
        return Ok(());
    }
    crate::shell::host::seed_demo(_id, demo::DEFAULT_CUSTOMERS, crate::shell::today()).await.map(|_| ())
}

pub async fn refresh_storage(state: AppState) {
    let persisted = crate::shell::persist_storage().await;
    let estimate = crate::shell::storage_estimate().await;
    state.storage.set(Some((estimate, persisted)));
}

/// Saves a local edit: record and outbox entry in one transaction, then the screen, then sync.
/// `seen` is the version of the record the user edited (see `Cache::save`).
pub async fn save(state: AppState, edit: Edit, seen: Option<Record>) -> Result<(), SaveError> {
    let rt = runtime()
        .ok_or(SaveError::Local(crate::core::sync::local::LocalError::Storage("no workspace is open".into())))?;
    let op_id = new_record_id(crate::shell::random_bytes());
    let change = match &edit {
        Edit::Create(r) | Edit::Update(r) => Change::Upsert(r.clone()),
        Edit::Delete(e, id) => Change::Remove(*e, id.clone()),
    };
    let key = {
        let (e, id) = edit.key();
        (e, id.to_string())
    };
    note_edit([key.clone()]);
    let kept = rt.cache.save(edit, seen, crate::shell::now(), op_id).await?;
    if !is_open(&rt) {
        return Ok(()); // saved in its own workspace's cache, sent when that one is open again
    }
    // What the cache holds now: the edit rebased onto a waiting one, if there was one.
    let change = match kept.as_ref().map(|e| (e.op, e.current_record())) {
        Some((crate::core::sync::outbox::Op::Delete, _)) => Change::Remove(key.0, key.1.clone()),
        Some((_, Some(r))) => Change::Upsert(r),
        _ => change,
    };
    state.workspace.update(|w| w.apply([change]));
    show_outbox(state, &rt).await;
    if state.problems.with_untracked(|p| !p.is_empty()) {
        show_problems(state, &rt).await; // a field the user changed clears its problem
    }
    broadcast_edit(&rt, &[key]);
    request_sync(state, Duration::from_secs(1));
    Ok(())
}

/// [`import`], reached through its chunk (src/app/lazy.rs) from the customer list.
pub type Import =
    fn(AppState, Vec<Record>) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<usize, SaveError>>>>;

/// Imports records (CSV) as local edits: cache and outbox in one transaction, then the screen.
pub async fn import(state: AppState, records: Vec<Record>) -> Result<usize, SaveError> {
    let rt = runtime()
        .ok_or(SaveError::Local(crate::core::sync::local::LocalError::Storage("no workspace is open".into())))?;
    let changes: Vec<Change> = records.iter().cloned().map(Change::Upsert).collect();
    note_edit(records.iter().map(|r| (r.entity(), r.id().to_string())));
    let n = rt.cache.import(records, crate::shell::now(), new_id).await?;
    if !is_open(&rt) {
        return Ok(n);
    }
    state.workspace.update(|w| w.apply(changes));
    show_outbox(state, &rt).await;
    broadcast_all(&rt, true);
    request_sync(state, Duration::from_secs(1));
    Ok(n)
}

/// A new client-side id for a record the user creates.
pub fn new_id() -> String {
    new_record_id(crate::shell::random_bytes())
}

/// Settles a conflict: the entry and the local record change together.
pub async fn resolve(state: AppState, entry: OutboxEntry, resolution: Resolution) -> Result<(), SaveError> {
    let rt = runtime()
        .ok_or(SaveError::Local(crate::core::sync::local::LocalError::Storage("no workspace is open".into())))?;
    // Settle the entry as stored now (the list on screen may be a moment old).
    let Some(entry) = fresh(&rt, &entry).await? else { return refreshed(state, &rt).await };
    let Some(resolved) = resolve_conflict(&entry, resolution, crate::shell::now()) else { return Ok(()) };
    note_edit([(entry.entity, entry.record_id.clone())]);
    let local_change = match resolved.local.clone().map(|v| Record::from_json(entry.entity, v)) {
        Some(Ok(r)) => Change::Upsert(r),
        Some(Err(_)) | None => Change::Remove(entry.entity, entry.record_id.clone()),
    };
    match &resolved.entry {
        Some(e) => rt.cache.put_entry(e, std::slice::from_ref(&local_change)).await?,
        None => rt.cache.drop_entry(entry.seq, std::slice::from_ref(&local_change)).await?,
    }
    if !is_open(&rt) {
        return Ok(());
    }
    state.workspace.update(|w| w.apply([local_change]));
    show_outbox(state, &rt).await;
    broadcast_edit(&rt, &[(entry.entity, entry.record_id.clone())]);
    request_sync(state, Duration::from_millis(200));
    Ok(())
}

/// Gives up a rejected change: the entry goes, the record returns to its last synced version
/// (a create's record goes; the next pull brings it back if it reached the server after all).
pub async fn discard(state: AppState, entry: OutboxEntry) -> Result<(), SaveError> {
    let rt = runtime()
        .ok_or(SaveError::Local(crate::core::sync::local::LocalError::Storage("no workspace is open".into())))?;
    // Only the change the user saw: a newer edit saved since is not thrown away with it.
    let Some(entry) = fresh(&rt, &entry).await? else { return refreshed(state, &rt).await };
    note_edit([(entry.entity, entry.record_id.clone())]);
    let base = if entry.op == crate::core::sync::outbox::Op::Create { None } else { entry.base.clone() };
    let back = match base.map(|v| Record::from_json(entry.entity, v)) {
        Some(Ok(r)) => Change::Upsert(r),
        _ => Change::Remove(entry.entity, entry.record_id.clone()),
    };
    rt.cache.drop_entry(entry.seq, std::slice::from_ref(&back)).await?;
    if !is_open(&rt) {
        return Ok(());
    }
    state.workspace.update(|w| w.apply([back]));
    show_outbox(state, &rt).await;
    broadcast(&rt, &[(entry.entity, entry.record_id.clone())]);
    Ok(())
}

/// Puts a rejected or parked entry back in the queue (after the user fixed the cause).
pub async fn retry(state: AppState, entry: OutboxEntry) -> Result<(), SaveError> {
    let rt = runtime()
        .ok_or(SaveError::Local(crate::core::sync::local::LocalError::Storage("no workspace is open".into())))?;
    let Some(mut entry) = fresh(&rt, &entry).await? else { return refreshed(state, &rt).await };
    entry.reset_for_push(crate::shell::now());
    rt.cache.put_entry(&entry, &[]).await?;
    if !is_open(&rt) {
        return Ok(());
    }
    show_outbox(state, &rt).await;
    request_sync(state, Duration::ZERO);
    Ok(())
}

/// The entry as stored now, if it is still the version `seen` (same position and revision).
async fn fresh(rt: &Runtime, seen: &OutboxEntry) -> Result<Option<OutboxEntry>, SaveError> {
    Ok(rt.cache.entry(seen.seq).await?.filter(|e| e.rev == seen.rev))
}

/// The entry changed under the user's click: show the outbox as it is now instead.
async fn refreshed(state: AppState, rt: &Runtime) -> Result<(), SaveError> {
    show_outbox(state, rt).await;
    Ok(())
}

thread_local! {
    /// The next run lists every resource completely ("Sync now" was pressed).
    static RECONCILE_NEXT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// "Sync now": a sync run now that also lists every resource completely (the user asked to see
/// what the server has), finding records the incremental pulls missed and removing those the
/// server deleted. Runs Kehu starts by itself pull what changed, and list completely once a day.
pub fn request_full_check(state: AppState) {
    RECONCILE_NEXT.with(|r| r.set(true));
    request_sync(state, Duration::ZERO);
}

/// Schedules a sync after `delay` (replacing a later one), if there is a backend and a network.
pub fn request_sync(state: AppState, delay: Duration) {
    let Some(rt) = runtime() else { return };
    if rt.profile.is_none() {
        return;
    }
    SYNC_TIMER.with(|t| {
        if let Some(h) = t.borrow_mut().take() {
            h.clear();
        }
    });
    let handle = set_timeout_with_handle(move || spawn_local(run_sync(state)), delay).ok();
    SYNC_TIMER.with(|t| *t.borrow_mut() = handle);
}

/// One sync run: the engine with the REST client, reached through its chunk (src/app/lazy.rs).
/// See `tasks::sync`.
pub type SyncRun = fn(
    Rc<Cache>,
    String,
    ProfileRef,
    Credentials,
    SyncOptions,
    Box<dyn FnMut(Progress)>,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = (Option<SyncReport>, Credentials)>>>;

async fn run_sync(state: AppState) {
    let Some(rt) = runtime() else { return };
    let Some(profile) = rt.profile.clone() else { return };
    if state.sync.with_untracked(|s| s.running) {
        // An edit saved while a run is under way may be past that run's push: run again after it.
        request_sync(state, Duration::from_secs(1));
        return;
    }
    if !crate::shell::is_online() {
        state.online.set(false);
        return;
    }
    state.sync.update(|s| {
        s.running = true;
        s.progress = None;
    });
    let before = load_credentials(&rt.id);
    let progress = Box::new(move |p| state.sync.update(|s| s.progress = Some(p)));
    let Ok(sync) = load_sync_engine().await else {
        // Its chunk could not be fetched (offline before the service worker had saved it): the
        // edits wait in the outbox as they do offline; try again later.
        state.sync.update(|s| s.running = false);
        request_sync(state, Duration::from_secs(OTHER_TAB_RETRY_SECS));
        return;
    };
    let options = SyncOptions { reconcile: RECONCILE_NEXT.with(|r| r.replace(false)) };
    // What the run reads is older than any edit saved while it goes.
    let started = edit_clock();
    let (report, after) = sync(rt.cache.clone(), rt.id.clone(), profile, before.clone(), options, progress).await;
    if report.is_none() && options.reconcile {
        // Another tab ran instead: the full check is still to do.
        RECONCILE_NEXT.with(|r| r.set(true));
    }
    // A refreshed login token replaces the stored one (where it was stored).
    if after.session != before.session {
        store_tokens(&rt.id, after.session.as_ref(), remembered(&rt.id));
    }
    if !is_open(&rt) {
        // The user switched workspaces during the run: its results are in the cache it ran on.
        return;
    }
    let Some(report) = report else {
        // Another tab holds the sync lock; its changes arrive over the broadcast channel, and it
        // syncs the edits this tab broadcasts. Try again later in case that tab goes away.
        state.sync.update(|s| {
            s.running = false;
            s.other_tab = true;
        });
        if let Some(waiting) = read_outbox(&rt.cache).await {
            if !is_open(&rt) {
                return;
            }
            let pending = waiting.iter().any(|e| e.is_pending());
            state.outbox.set(waiting);
            if pending {
                request_sync(state, Duration::from_secs(OTHER_TAB_RETRY_SECS));
            }
        }
        return;
    };
    let keys: Vec<(Entity, String)> = report.changes.iter().map(|c| (c.key().0, c.key().1.to_string())).collect();
    // Records edited while the run went are read again from the cache (which the run's
    // transactions kept right: the edit stays, or is rebased on what was sent): what the run
    // read of them is older than the edit.
    let reread_from = edit_clock();
    let (mut changes, edited) = split_edited(started, report.changes);
    if !edited.is_empty() {
        let mut again = Vec::new();
        for (e, id) in edited {
            match rt.cache.record(e, &id).await {
                Ok(Some(r)) => again.push(Change::Upsert(r)),
                Ok(None) => again.push(Change::Remove(e, id)),
                Err(_) => {}
            }
        }
        changes.extend(not_edited_since(reread_from, again));
    }
    let retry_at = report.retry_at;
    if !changes.is_empty() {
        state.workspace.update(|w| w.apply(changes));
    }
    show_outbox(state, &rt).await;
    show_problems(state, &rt).await;
    if !is_open(&rt) {
        return;
    }
    if matches!(report.error, Some(SyncError::Remote(crate::core::sync::remote::RemoteError::Offline))) {
        state.online.set(crate::shell::is_online());
    }
    state.sync.update(|s| {
        s.running = false;
        s.other_tab = false;
        s.progress = None;
        s.retry_at = retry_at;
        s.last = Some(crate::app::state::LastSync {
            at: crate::shell::now(),
            pushed: report.pushed,
            pulled: report.pulled,
            removed: report.removed,
            conflicts: report.conflicts,
            rejected: report.rejected,
            unread: report
                .skipped
                .iter()
                .map(|b| crate::app::state::Unread { entity: b.entity, id: b.id.clone(), why: b.why })
                .collect(),
            error: report.error,
            missing: report.missing,
            reconciled: report.reconciled,
            matched: report.matched,
        });
    });
    broadcast(&rt, &keys);
    if let Some(last) = state.sync.with_untracked(|s| s.last.clone())
        && let Ok(text) = serde_json::to_string(&last)
    {
        let _ = rt.cache.set_meta(LAST_SYNC, Some(&text)).await;
    }
    // A transient failure of the pull (the push schedules its own retries) is retried with
    // the same backoff, counted over consecutive failed runs.
    let failed = state.sync.with_untracked(|s| s.last.as_ref().and_then(|l| l.error.clone()));
    let pull_retry = match failed {
        Some(SyncError::Remote(e)) if e.retried_later() && retry_at.is_none() => {
            let n = FAILED_RUNS.with(|f| {
                f.set(f.get().saturating_add(1));
                f.get()
            });
            Some(crate::core::sync::backoff::retry_delay(n, js_sys::Math::random(), e.retry_after()))
        }
        _ => {
            FAILED_RUNS.with(|f| f.set(0));
            None
        }
    };
    if let Some(at) = retry_at {
        let wait = (at - crate::shell::now()).num_milliseconds().max(0) as u64;
        request_sync(state, Duration::from_millis(wait));
    } else if let Some(delay) = pull_retry {
        request_sync(state, Duration::from_millis(delay.num_milliseconds().max(0) as u64));
    }
    spawn_local(refresh_storage(state));
}

/// Seconds before a tab that found the sync lock taken tries again.
const OTHER_TAB_RETRY_SECS: u64 = 20;

thread_local! {
    /// Consecutive sync runs that failed transiently (for the pull's backoff).
    static FAILED_RUNS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// "Test connection" for a profile not yet saved.
pub async fn probe(
    profile: Profile,
    secret: Option<String>,
    login: Option<(String, String)>,
) -> Result<Vec<Probe>, RemoteError> {
    tasks::probe(profile, secret, login).await
}

/// Tells the other tabs that many records changed: they read the whole cache again. `edited`:
/// by the user here (the tab that holds the sync lock then syncs soon).
fn broadcast_all(rt: &Runtime, edited: bool) {
    if let Some(ch) = &rt.channel {
        let msg = serde_json::json!({ "all": true, "edited": edited });
        let _ = ch.post_message(&wasm_bindgen::JsValue::from_str(&msg.to_string()));
    }
}

/// Tells the other tabs of this workspace which records a sync changed.
fn broadcast(rt: &Runtime, keys: &[(Entity, String)]) {
    post_keys(rt, keys, false);
}

/// Tells the other tabs which records the user changed here: they show them, and the tab that
/// is syncing sends them soon (this tab's own sync request finds the lock taken).
fn broadcast_edit(rt: &Runtime, keys: &[(Entity, String)]) {
    post_keys(rt, keys, true);
}

fn post_keys(rt: &Runtime, keys: &[(Entity, String)], edited: bool) {
    let Some(ch) = &rt.channel else { return };
    let msg = serde_json::json!({ "keys": keys.iter().map(|(e, id)| [e.as_str(), id.as_str()]).collect::<Vec<_>>(), "edited": edited });
    let _ = ch.post_message(&wasm_bindgen::JsValue::from_str(&msg.to_string()));
}

/// Listens for other tabs' changes and applies them from the shared cache.
fn listen(
    state: AppState,
    id: &str,
) -> (Option<web_sys::BroadcastChannel>, Option<Closure<dyn FnMut(web_sys::MessageEvent)>>) {
    let Ok(ch) = web_sys::BroadcastChannel::new(&format!("kehu:{id}")) else { return (None, None) };
    let cb = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
        let Some(text) = ev.data().as_string() else { return };
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(&text) else { return };
        let keys: Vec<(Entity, String)> = msg["keys"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|k| Some((Entity::parse(k.get(0)?.as_str()?)?, k.get(1)?.as_str()?.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        let all = msg["all"].as_bool() == Some(true);
        if msg["edited"].as_bool() == Some(true) {
            // Edits of the other tab are local edits here too: a run of this tab that read these
            // records before does not put its older copy on screen.
            note_edit(keys.iter().cloned());
            request_sync(state, Duration::from_secs(1));
        }
        spawn_local(async move {
            let Some(rt) = runtime() else { return };
            if all {
                // Read again if this tab saved something while the cache was being read.
                for _ in 0..3 {
                    let since = edit_clock();
                    let Ok((data, _)) = rt.cache.load().await else { break };
                    if !is_open(&rt) {
                        return;
                    }
                    if edit_clock() != since {
                        continue;
                    }
                    let source = state.workspace.with_untracked(|w| w.source.clone());
                    state.workspace.set(Workspace::new(source, data));
                    break;
                }
                show_outbox(state, &rt).await;
                show_problems(state, &rt).await;
                return;
            }
            let since = edit_clock();
            let mut changes = Vec::new();
            for (e, id) in keys {
                match rt.cache.record(e, &id).await {
                    Ok(Some(r)) => changes.push(Change::Upsert(r)),
                    Ok(None) => changes.push(Change::Remove(e, id)),
                    Err(_) => {}
                }
            }
            if !is_open(&rt) {
                return;
            }
            // A record saved here while it was being read keeps this tab's newer version.
            let changes = not_edited_since(since, changes);
            state.workspace.update(|w| w.apply(changes));
            show_outbox(state, &rt).await;
            show_problems(state, &rt).await;
        });
    });
    ch.set_onmessage(Some(cb.as_ref().unchecked_ref()));
    (Some(ch), Some(cb))
}

pub fn current_id() -> Option<String> {
    runtime().map(|rt| rt.id.clone())
}

/// Signs out of the open backend: its token, secret and login session are forgotten (in this
/// tab and on the device). The cache and unsynced edits stay; the next sync asks to sign in.
pub fn sign_out() {
    if let Some(id) = current_id() {
        store_credentials(&id, None, false);
        store_tokens(&id, None, false);
    }
}

/// What wiping this device would lose: unsynced changes (outbox entries) of every workspace
/// cached here, not only the open one, and unsaved form drafts.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct AtStake {
    pub changes: u32,
    /// Workspaces with unsynced changes.
    pub workspaces: usize,
    pub drafts: usize,
}

pub async fn at_stake() -> AtStake {
    let per_db = crate::shell::idb::unsynced_by_database().await;
    AtStake {
        changes: per_db.iter().map(|(_, n)| n).sum(),
        workspaces: per_db.len(),
        drafts: crate::shell::local_keys(crate::core::form::DRAFT_PREFIX).len(),
    }
}

/// The tabs of this device tell each other about a wipe: "wipe" when it starts, "wiped" when it
/// is done.
const DEVICE_CHANNEL: &str = "kehu:device";

/// The device channel and its listener, kept for the page's life.
type DeviceChannel = (web_sys::BroadcastChannel, Closure<dyn FnMut(web_sys::MessageEvent)>);

thread_local! {
    static DEVICE: RefCell<Option<DeviceChannel>> = const { RefCell::new(None) };
    static WIPING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn listen_device(state: AppState) {
    // Another tab deleting a database this tab has open (the cache closes its connection first).
    crate::shell::idb::on_versionchange(move |deleted| {
        if deleted {
            wiped_elsewhere(state, false);
        }
    });
    let Ok(ch) = web_sys::BroadcastChannel::new(DEVICE_CHANNEL) else { return };
    let cb = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
        match ev.data().as_string().as_deref() {
            Some("wipe") => wiped_elsewhere(state, false),
            Some("wiped") => wiped_elsewhere(state, true),
            _ => {}
        }
    });
    ch.set_onmessage(Some(cb.as_ref().unchecked_ref()));
    DEVICE.with(|d| *d.borrow_mut() = Some((ch, cb)));
}

fn tell_other_tabs(msg: &str) {
    DEVICE.with(|d| {
        if let Some((ch, _)) = &*d.borrow() {
            let _ = ch.post_message(&wasm_bindgen::JsValue::from_str(msg));
        }
    });
}

/// Another tab is wiping this device: let go of the database at once (so the deletion is not
/// blocked), forget this tab's own session storage (its sign-ins; each tab has its own), stop
/// showing data, and start afresh when the wipe is done (after 15 s if that tab never says so).
fn wiped_elsewhere(state: AppState, done: bool) {
    if !WIPING.with(|w| w.replace(true)) {
        close_workspace();
        crate::shell::clear_session_storage();
        state.phase.set(Phase::Wiping);
        set_timeout(crate::shell::restart_app, Duration::from_secs(15));
    }
    if done {
        crate::shell::restart_app();
    }
}

/// Stops syncing and closes the open workspace's database connection; its database name.
fn close_workspace() -> Option<String> {
    SYNC_TIMER.with(|t| {
        if let Some(h) = t.borrow_mut().take() {
            h.clear();
        }
    });
    let rt = RUNTIME.with(|r| r.borrow_mut().take())?;
    if let Some(ch) = &rt.channel {
        ch.close();
    }
    rt.cache.close_shared();
    Some(crate::shell::idb::db_name(&rt.id))
}

/// "Wipe this device" (a lost or shared tablet): tells the other tabs (they close their
/// databases and start afresh when it is done), closes the workspace, deletes every IndexedDB
/// database, Cache Storage cache, `localStorage` and `sessionStorage` entry, unregisters the
/// service worker, and starts the app afresh. Unsynced edits are lost: the page asks first.
/// When a database stays open elsewhere (a tab that does not let go), its deletion waits for
/// that tab to close and the databases are returned instead of restarting, for the page to say.
pub async fn wipe_device() -> Result<(), Vec<String>> {
    WIPING.with(|w| w.set(true));
    tell_other_tabs("wipe");
    let known: Vec<String> = close_workspace().into_iter().collect();
    let blocked = crate::shell::idb::delete_all_databases(&known).await;
    crate::shell::clear_caches().await;
    crate::shell::clear_storage();
    crate::shell::unregister_service_workers().await;
    tell_other_tabs("wiped");
    if !blocked.is_empty() {
        return Err(blocked);
    }
    crate::shell::restart_app();
    Ok(())
}

/// An attachment of the open workspace (a form draft's photos) from its IndexedDB `files` store.
pub async fn get_file(key: &str) -> Option<String> {
    let rt = runtime()?;
    rt.cache.get_file(key).await.ok().flatten()
}

/// Stores (or with `None` deletes) an attachment of the open workspace.
pub async fn set_file(key: &str, value: Option<&str>) -> Result<(), crate::core::sync::local::LocalError> {
    let rt = runtime().ok_or(crate::core::sync::local::LocalError::Storage("no workspace is open".into()))?;
    rt.cache.set_file(key, value).await
}
