//! App-wide state, provided as context: plain data in signals. The session module fills it.

use crate::core::model::Timestamp;
use crate::core::model::{Dataset, Stages};
use crate::core::rest::config::{DeploymentConfig, ProfileRef};
use crate::core::rest::profile::ProfileError;
use crate::core::sync::engine::{Progress, SyncError};
use crate::core::sync::outbox::{EntryState, OutboxEntry};
use crate::core::workspace::{Source, Workspace};
use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    Loading,
    Ready,
    /// The cache could not be opened (private browsing, storage disabled): the message says why.
    Failed(String),
    /// Another tab is wiping this device: this one has let go of its data and will restart.
    Wiping,
}

/// The last sync run's result; kept in the cache's meta store, so it is still shown after a
/// reload.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LastSync {
    pub at: Timestamp,
    pub pushed: usize,
    pub pulled: usize,
    pub removed: usize,
    pub conflicts: usize,
    pub rejected: usize,
    /// Backend records that could not be read at all, with the reason (records with fields that
    /// could not be read are kept: see `AppState::problems`). A run stored by an older version
    /// (with English texts under `skipped`) reads as none.
    #[serde(default)]
    pub unread: Vec<Unread>,
    pub error: Option<SyncError>,
    /// Resources the server does not have (404): not pulled.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<crate::core::model::Entity>,
    /// Resources listed completely against the server in the run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reconciled: Vec<crate::core::model::Entity>,
    /// Creates whose answer was lost, found on the server by their content.
    #[serde(default)]
    pub matched: usize,
}

/// A record from the backend that was skipped.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Unread {
    pub entity: crate::core::model::Entity,
    pub id: Option<String>,
    pub why: crate::core::record::Unreadable,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct SyncStatus {
    pub running: bool,
    pub progress: Option<Progress>,
    pub last: Option<LastSync>,
    pub retry_at: Option<Timestamp>,
    /// Another tab is syncing this workspace.
    pub other_tab: bool,
}

/// (usage, quota) in bytes and whether storage is persistent, when the browser says.
pub type StorageInfo = (Option<(f64, f64)>, Option<bool>);

#[derive(Clone, Copy)]
pub struct AppState {
    pub workspace: RwSignal<Workspace>,
    pub phase: RwSignal<Phase>,
    pub outbox: RwSignal<Vec<OutboxEntry>>,
    pub sync: RwSignal<SyncStatus>,
    pub online: RwSignal<bool>,
    /// The open backend's profile (as configured: `ProfileRef::parse` gives the whole of it);
    /// `None` for the demo workspace.
    pub backend: RwSignal<Option<ProfileRef>>,
    pub storage: RwSignal<Option<StorageInfo>>,
    /// Cached rows that could not be read (reported on the Sync page).
    pub unreadable: RwSignal<usize>,
    /// The open workspace's records with data problems (as stored in its cache).
    pub problems: RwSignal<crate::core::lenient::Problems>,
    /// The deployment's `config.json` (none: nothing preset, the demo offered).
    pub config: RwSignal<DeploymentConfig>,
    /// Why `config.json` was not used, if it could not be read (empty: it was, or there is none).
    pub config_problem: RwSignal<Vec<ProfileError>>,
    /// Bumped when the search index gains pinyin keys (the workspace itself is updated quietly,
    /// so the analysis is not recomputed for it).
    pub search_rev: RwSignal<u64>,
    /// The open workspace's pipeline stages (the default until its own are read, at open).
    pub stages: RwSignal<Stages>,
}

impl AppState {
    pub fn new(workspace: Workspace, phase: Phase) -> AppState {
        AppState {
            workspace: RwSignal::new(workspace),
            phase: RwSignal::new(phase),
            outbox: RwSignal::new(Vec::new()),
            sync: RwSignal::new(SyncStatus::default()),
            online: RwSignal::new(true),
            backend: RwSignal::new(None),
            storage: RwSignal::new(None),
            unreadable: RwSignal::new(0),
            problems: RwSignal::new(Default::default()),
            config: RwSignal::new(DeploymentConfig::none()),
            config_problem: RwSignal::new(Vec::new()),
            search_rev: RwSignal::new(0),
            stages: RwSignal::new(Stages::default()),
        }
    }

    /// Every entry of the outbox: those waiting to be sent, those waiting for the user
    /// (conflicts, rejections; [`Self::needs_attention`] counts these) and records of a kind the
    /// backend keeps none of (kept on this device). The navigation shows it: what is not on the
    /// backend.
    pub fn pending(&self) -> Signal<usize> {
        let outbox = self.outbox;
        Signal::derive(move || outbox.with(|o| o.len()))
    }

    pub fn needs_attention(&self) -> Signal<usize> {
        let outbox = self.outbox;
        Signal::derive(move || outbox.with(|o| o.iter().filter(|e| !matches!(e.state, EntryState::Pending)).count()))
    }
}

fn empty() -> Workspace {
    Workspace::new(Source::Demo { seed: 0, customers: 0 }, Dataset::default())
}

/// Provides the app state, loading.
pub fn provide_app() -> AppState {
    let s = AppState::new(empty(), Phase::Loading);
    s.online.set(crate::shell::fetch::is_online());
    provide_context(s);
    s
}

/// Provides a ready state over a given workspace (tests mount components with it).
pub fn provide_workspace(ws: Workspace) -> AppState {
    let s = AppState::new(ws, Phase::Ready);
    provide_context(s);
    s
}

pub fn use_app() -> AppState {
    // Components used outside the app shell (tests) get an empty state rather than a panic.
    use_context::<AppState>().unwrap_or_else(|| AppState::new(empty(), Phase::Ready))
}

pub fn use_workspace() -> RwSignal<Workspace> {
    use_app().workspace
}
