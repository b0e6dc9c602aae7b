//! Local edits: a save, a CSV import, settling a conflict, discarding or retrying a rejected
//! change — each writes the record and its outbox entry in one transaction, then the screen, then
//! tells the other tabs and schedules a sync.

use super::clock::note_edit;
use super::stored::{show_outbox, show_problems};
use super::sync::request_sync;
use super::tabs::{broadcast, broadcast_all, broadcast_edit};
use super::{Runtime, is_open, new_id, runtime};
use crate::app::state::AppState;
use crate::core::record::Change;
use crate::core::record::Record;
use crate::core::sync::local::Local;
use crate::core::sync::local::SaveError;
use crate::core::sync::new_record_id;
use crate::core::sync::outbox::{Edit, OutboxEntry, Resolution, resolve_conflict};
use leptos::prelude::*;
use std::time::Duration;

/// Saves a local edit: record and outbox entry in one transaction, then the screen, then sync.
/// `seen` is the version of the record the user edited (see `Cache::save`).
pub async fn save(state: AppState, edit: Edit, seen: Option<Record>) -> Result<(), SaveError> {
    let rt = runtime()
        .ok_or(SaveError::Local(crate::core::sync::local::LocalError::Storage("no workspace is open".into())))?;
    let op_id = new_record_id(crate::shell::clock::random_bytes());
    let change = match &edit {
        Edit::Create(r) | Edit::Update(r) => Change::Upsert(r.clone()),
        Edit::Delete(e, id) => Change::Remove(*e, id.clone()),
    };
    let key = {
        let (e, id) = edit.key();
        (e, id.to_string())
    };
    note_edit([key.clone()]);
    let kept = rt.cache.save(edit, seen, crate::shell::clock::now(), op_id).await?;
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

/// [`import`], reached through its chunk (a `chunk!` split point, src/app/lazy.rs) from the customer list.
pub type Import =
    fn(AppState, Vec<Record>) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<usize, SaveError>>>>;

/// Imports records (CSV) as local edits: cache and outbox in one transaction, then the screen.
pub async fn import(state: AppState, records: Vec<Record>) -> Result<usize, SaveError> {
    let rt = runtime()
        .ok_or(SaveError::Local(crate::core::sync::local::LocalError::Storage("no workspace is open".into())))?;
    let changes: Vec<Change> = records.iter().cloned().map(Change::Upsert).collect();
    note_edit(records.iter().map(|r| (r.entity(), r.id().to_string())));
    let n = rt.cache.import(records, crate::shell::clock::now(), new_id).await?;
    if !is_open(&rt) {
        return Ok(n);
    }
    state.workspace.update(|w| w.apply(changes));
    show_outbox(state, &rt).await;
    broadcast_all(&rt, true);
    request_sync(state, Duration::from_secs(1));
    Ok(n)
}

/// Settles a conflict: the entry and the local record change together.
pub async fn resolve(state: AppState, entry: OutboxEntry, resolution: Resolution) -> Result<(), SaveError> {
    let rt = runtime()
        .ok_or(SaveError::Local(crate::core::sync::local::LocalError::Storage("no workspace is open".into())))?;
    // Settle the entry as stored now (the list on screen may be a moment old).
    let Some(entry) = fresh(&rt, &entry).await? else { return refreshed(state, &rt).await };
    let Some(resolved) = resolve_conflict(&entry, resolution, crate::shell::clock::now()) else { return Ok(()) };
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
    entry.reset_for_push(crate::shell::clock::now());
    rt.cache.put_entry(&entry, &[]).await?;
    if !is_open(&rt) {
        return Ok(());
    }
    show_outbox(state, &rt).await;
    request_sync(state, Duration::ZERO);
    Ok(())
}

/// The entry as stored now, if it is still the version `seen` (same position and revision).
pub(super) async fn fresh(rt: &Runtime, seen: &OutboxEntry) -> Result<Option<OutboxEntry>, SaveError> {
    Ok(rt.cache.entry(seen.seq).await?.filter(|e| e.rev == seen.rev))
}

/// The entry changed under the user's click: show the outbox as it is now instead.
pub(super) async fn refreshed(state: AppState, rt: &Runtime) -> Result<(), SaveError> {
    show_outbox(state, rt).await;
    Ok(())
}
