//! "Wipe this device" and what it would lose; the device channel that tells every tab of a wipe.

use super::{RUNTIME, SYNC_TIMER};
use crate::app::state::{AppState, Phase};
use crate::shell::tabs::Channel;
use leptos::prelude::*;
use std::cell::RefCell;
use std::time::Duration;

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
        drafts: crate::shell::storage::local_keys(crate::core::form::DRAFT_PREFIX).len(),
    }
}

/// The tabs of this device tell each other about a wipe: "wipe" when it starts, "wiped" when it
/// is done.
pub(super) const DEVICE_CHANNEL: &str = "kehu:device";

thread_local! {
    /// The device channel, kept for the page's life.
    pub(super) static DEVICE: RefCell<Option<Channel>> = const { RefCell::new(None) };
    pub(super) static WIPING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

pub(super) fn listen_device(state: AppState) {
    // Another tab deleting a database this tab has open (the cache closes its connection first).
    crate::shell::idb::on_versionchange(move |deleted| {
        if deleted {
            wiped_elsewhere(state, false);
        }
    });
    let channel = Channel::open(DEVICE_CHANNEL, move |msg: String| match msg.as_str() {
        "wipe" => wiped_elsewhere(state, false),
        "wiped" => wiped_elsewhere(state, true),
        _ => {}
    });
    DEVICE.with(|d| *d.borrow_mut() = channel);
}

pub(super) fn tell_other_tabs(msg: &str) {
    DEVICE.with(|d| {
        if let Some(ch) = &*d.borrow() {
            ch.post(msg);
        }
    });
}

/// Another tab is wiping this device: let go of the database at once (so the deletion is not
/// blocked), forget this tab's own session storage (its sign-ins; each tab has its own), stop
/// showing data, and start afresh when the wipe is done (after 15 s if that tab never says so).
pub(super) fn wiped_elsewhere(state: AppState, done: bool) {
    if !WIPING.with(|w| w.replace(true)) {
        close_workspace();
        crate::shell::storage::clear_session_storage();
        state.phase.set(Phase::Wiping);
        set_timeout(crate::shell::page::restart_app, Duration::from_secs(15));
    }
    if done {
        crate::shell::page::restart_app();
    }
}

/// Stops syncing and closes the open workspace's database connection; its database name.
pub(super) fn close_workspace() -> Option<String> {
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
    crate::shell::sw::clear_caches().await;
    crate::shell::storage::clear_storage();
    crate::shell::sw::unregister_service_workers().await;
    tell_other_tabs("wiped");
    if !blocked.is_empty() {
        return Err(blocked);
    }
    crate::shell::page::restart_app();
    Ok(())
}
