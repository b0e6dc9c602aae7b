//! Driving sync: one run at a time, scheduled after edits, when the network returns and every
//! five minutes; its report put on screen (never over a newer local edit) and retried with backoff.
//! The engine itself is `core::sync::engine`, run by `shell::tasks::sync` from its own chunk.

use super::choice::{load_credentials, remembered, store_tokens};
use super::clock::{edit_clock, not_edited_since, split_edited};
use super::stored::{LAST_SYNC, read_outbox, refresh_storage, show_outbox, show_problems};
use super::tabs::broadcast;
use super::{SYNC_TIMER, is_open, runtime};
use crate::app::state::AppState;
use crate::core::model::Entity;
use crate::core::record::Change;
use crate::core::rest::api::Credentials;
use crate::core::rest::config::ProfileRef;
use crate::core::rest::profile::Profile;
use crate::core::sync::engine::{Progress, SyncError, SyncOptions, SyncReport};
use crate::core::sync::local::Local;
use crate::core::sync::remote::RemoteError;
use crate::shell::http::Probe;
use crate::shell::idb::Cache;
use crate::shell::tasks;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::rc::Rc;
use std::time::Duration;

// Fetched right after the first screen (with a backend): the sync engine with the REST client and
// the profile parser.
crate::app::lazy::chunk!(load_sync_engine in sync_engine: SyncRun = |cache, id, profile, creds, options, progress| {
    Box::pin(async move { crate::shell::tasks::sync(cache, &id, &profile, creds, options, progress).await })
});

thread_local! {
    /// The next run lists every resource completely ("Sync now" was pressed).
    pub(super) static RECONCILE_NEXT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
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

/// One sync run: the engine with the REST client, reached through its chunk (a `chunk!` split point, src/app/lazy.rs).
/// See `tasks::sync`.
pub type SyncRun = fn(
    Rc<Cache>,
    String,
    ProfileRef,
    Credentials,
    SyncOptions,
    Box<dyn FnMut(Progress)>,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = (Option<SyncReport>, Credentials)>>>;

pub(super) async fn run_sync(state: AppState) {
    let Some(rt) = runtime() else { return };
    let Some(profile) = rt.profile.clone() else { return };
    if state.sync.with_untracked(|s| s.running) {
        // An edit saved while a run is under way may be past that run's push: run again after it.
        request_sync(state, Duration::from_secs(1));
        return;
    }
    if !crate::shell::fetch::is_online() {
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
        state.online.set(crate::shell::fetch::is_online());
    }
    state.sync.update(|s| {
        s.running = false;
        s.other_tab = false;
        s.progress = None;
        s.retry_at = retry_at;
        s.last = Some(crate::app::state::LastSync {
            at: crate::shell::clock::now(),
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
            Some(crate::core::sync::backoff::retry_delay(n, crate::shell::clock::random(), e.retry_after()))
        }
        _ => {
            FAILED_RUNS.with(|f| f.set(0));
            None
        }
    };
    if let Some(at) = retry_at {
        let wait = (at - crate::shell::clock::now()).num_milliseconds().max(0) as u64;
        request_sync(state, Duration::from_millis(wait));
    } else if let Some(delay) = pull_retry {
        request_sync(state, Duration::from_millis(delay.num_milliseconds().max(0) as u64));
    }
    spawn_local(refresh_storage(state));
}

/// Seconds before a tab that found the sync lock taken tries again.
pub(super) const OTHER_TAB_RETRY_SECS: u64 = 20;

thread_local! {
    /// Consecutive sync runs that failed transiently (for the pull's backoff).
    pub(super) static FAILED_RUNS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// "Test connection" for a profile not yet saved.
pub async fn probe(
    profile: Profile,
    secret: Option<String>,
    login: Option<(String, String)>,
) -> Result<Vec<Probe>, RemoteError> {
    tasks::probe(profile, secret, login).await
}
