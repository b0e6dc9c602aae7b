//! What the device keeps for the open workspace besides its records — the outbox, the records'
//! data problems, the last sync run — read into the app state after the first screen (by code of
//! the `stored` chunk), and the storage figures.

use super::{Runtime, is_open, runtime};
use crate::app::state::AppState;
use crate::core::sync::local::LocalError;
use crate::core::sync::outbox::OutboxEntry;
use crate::shell::idb::Cache;
use leptos::prelude::*;
use std::rc::Rc;

// What this device keeps for the open workspace besides its records — the outbox, the records'
// data problems, the last sync run (and, in `views` and `draft`, the saved views and the drafts'
// sweep) — read just after the first screen.
crate::app::lazy::chunk!(outbox_reader in stored: ReadOutbox = |cache| Box::pin(async move { crate::core::sync::local::Local::outbox(&*cache).await }));
crate::app::lazy::chunk!(last_sync_decoder in stored: fn(&str) -> Option<crate::app::state::LastSync> = |text| serde_json::from_str(text).ok());
crate::app::lazy::chunk!(problems_reader in stored: ReadProblems = |cache| Box::pin(async move { cache.problems().await }));

/// After the first screen: the open workspace's outbox, its records' data problems and its last
/// sync run (reading them is code of its own chunk, src/app/lazy.rs). A run that ended meanwhile
/// is newer: it is kept.
pub(super) async fn show_saved_state(state: AppState) {
    crate::shell::clock::after_paint().await;
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
pub(super) async fn read_outbox(cache: &Rc<Cache>) -> Option<Vec<OutboxEntry>> {
    let read = outbox_reader().await.ok()?;
    read(cache.clone()).await.ok()
}

/// Shows the outbox of `rt`'s workspace if it is still the open one (else it keeps what it shows).
pub(super) async fn show_outbox(state: AppState, rt: &Runtime) {
    if let Some(outbox) = read_outbox(&rt.cache).await
        && is_open(rt)
    {
        state.outbox.set(outbox);
    }
}

/// Shows the data problems stored in `rt`'s cache, if it is still the open workspace (the code
/// that reads them is in the `stored` chunk; if it cannot be fetched, what is shown stays).
pub(super) async fn show_problems(state: AppState, rt: &Runtime) {
    let Ok(read) = problems_reader().await else { return };
    if let Ok(problems) = read(rt.cache.clone()).await
        && is_open(rt)
        && state.problems.with_untracked(|p| *p != problems)
    {
        state.problems.set(problems);
    }
}

/// Reads the records' data problems (a `chunk!` split point, src/app/lazy.rs).
pub type ReadProblems =
    fn(
        Rc<Cache>,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<crate::core::lenient::Problems, LocalError>>>>;

/// Reads the outbox (a `chunk!` split point, src/app/lazy.rs).
pub type ReadOutbox =
    fn(Rc<Cache>) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Vec<OutboxEntry>, LocalError>>>>;

pub(super) const LAST_SYNC: &str = "last_sync";

pub async fn refresh_storage(state: AppState) {
    let persisted = crate::shell::storage::persist_storage().await;
    let estimate = crate::shell::storage::storage_estimate().await;
    state.storage.set(Some((estimate, persisted)));
}
