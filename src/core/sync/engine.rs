//! One sync run: push the outbox in order, then pull every entity page by page.

use super::Env;
use super::backoff::{MAX_ATTEMPTS, retry_delay};
use super::local::{Local, LocalError};
use super::merge::{differs, three_way};
use super::outbox::{Conflict, EntryState, Op, OutboxEntry};
use super::remote::{Cursor, PageRequest, Remote, RemoteError};
use crate::core::model::Timestamp;
use crate::core::record::{BadRecord, Record};
use crate::core::workspace::{Change, Entity};
use std::collections::HashSet;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Phase {
    Push,
    Pull,
}

/// Progress for the progress bar: `done` of `total` (when known) in this phase / entity.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Progress {
    pub phase: Phase,
    pub entity: Option<Entity>,
    pub done: u64,
    pub total: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum SyncError {
    Remote(RemoteError),
    Local(LocalError),
    /// The workspace's backend profile is not valid (a `config.json` or stored profile that
    /// names its backend but describes it wrongly): nothing was sent; edits wait.
    Profile(Vec<crate::core::rest::profile::ProfileError>),
}

impl From<RemoteError> for SyncError {
    fn from(e: RemoteError) -> Self {
        SyncError::Remote(e)
    }
}

impl From<LocalError> for SyncError {
    fn from(e: LocalError) -> Self {
        SyncError::Local(e)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct SyncReport {
    pub pushed: usize,
    pub conflicts: usize,
    pub rejected: usize,
    pub pulled: usize,
    pub removed: usize,
    /// Records the backend sent that could not be read: skipped, reported.
    pub skipped: Vec<BadRecord>,
    /// Everything written to the cache, for the in-memory workspace to apply.
    pub changes: Vec<Change>,
    /// What stopped the run early, if anything.
    pub error: Option<SyncError>,
    /// When the next push attempt is due (after a transient failure).
    pub retry_at: Option<Timestamp>,
}

enum Outcome {
    Done(Vec<Change>),
    /// Created, and the server gave the record another id.
    Renamed {
        old: String,
        changes: Vec<Change>,
    },
    Conflict(Conflict),
    Failed(RemoteError),
}

/// Runs one sync. Never panics; every failure ends up in the report.
pub async fn sync<R: Remote, L: Local, E: Env>(
    remote: &R,
    local: &L,
    env: &E,
    progress: &mut dyn FnMut(Progress),
) -> SyncReport {
    let mut report = SyncReport::default();
    match push(remote, local, env, &mut report, progress).await {
        Ok(true) => {
            if let Err(e) = pull(remote, local, &mut report, progress).await {
                report.error = Some(e);
            }
        }
        Ok(false) => {}
        Err(e) => report.error = Some(e),
    }
    report
}

/// Pushes pending entries in order. Returns whether the pull should follow: not after a failure
/// in this run (retried later as a whole), but yes when the queue only waits for a retry time
/// (pulling is safe: records with waiting edits are never overwritten).
async fn push<R: Remote, L: Local, E: Env>(
    remote: &R,
    local: &L,
    env: &E,
    report: &mut SyncReport,
    progress: &mut dyn FnMut(Progress),
) -> Result<bool, SyncError> {
    let seqs: Vec<u64> = local.outbox().await?.iter().map(|e| e.seq).collect();
    let total = seqs.len() as u64;
    // Records whose earlier entry is waiting for the user: their later entries wait too,
    // as do records that belong to a held customer.
    let mut held: HashSet<(Entity, String)> = HashSet::new();
    for (i, &seq) in seqs.iter().enumerate() {
        progress(Progress { phase: Phase::Push, entity: None, done: i as u64, total: Some(total) });
        // The entry as stored now: the user may have edited it since the run began, and an
        // earlier push may have renamed its customer.
        let Some(mut entry) = local.entry(seq).await? else { continue };
        let key = (entry.entity, entry.record_id.clone());
        let parent = entry
            .current
            .as_ref()
            .and_then(|v| v.get("customer_id"))
            .and_then(|v| v.as_str())
            .map(|c| (Entity::Customers, c.to_string()));
        if !entry.is_pending() || held.contains(&key) || parent.is_some_and(|p| held.contains(&p)) {
            held.insert(key);
            continue;
        }
        if let Some(at) = entry.not_before
            && at > env.now()
        {
            report.retry_at = Some(at);
            return Ok(true);
        }
        let outcome = if entry.op == Op::Create {
            match push_create(remote, local, &mut entry).await? {
                Some(o) => o,
                // Edited this very moment: the next run pushes the newer version.
                None => return Ok(true),
            }
        } else {
            push_one(remote, &entry).await
        };
        match outcome {
            Outcome::Done(answer) => {
                let written = local.complete(&entry, &answer).await?;
                report.pushed += 1;
                report.changes.extend(written);
            }
            Outcome::Renamed { old, changes } => {
                let written = local.complete(&entry, &changes).await?;
                report.pushed += 1;
                report.changes.extend(written);
                let new = changes.iter().find_map(|c| match c {
                    Change::Upsert(r) => Some(r.id().to_string()),
                    Change::Remove(..) => None,
                });
                if let (Entity::Customers, Some(new)) = (entry.entity, new) {
                    report.changes.extend(local.rename_customer(&old, &new).await?);
                }
            }
            Outcome::Conflict(conflict) => {
                let mut e = entry;
                e.state = EntryState::Conflict(conflict);
                e.updated_at = env.now();
                // Computed from a version the user has since changed: the next run merges anew.
                if local.update_entry(&e, &[]).await? {
                    held.insert(key);
                    report.conflicts += 1;
                }
            }
            Outcome::Failed(err) if err.stops_sync() => return Err(err.into()),
            Outcome::Failed(err) if err.is_transient() => {
                let mut e = entry;
                e.attempts += 1;
                e.last_error = Some(err.to_string());
                e.failure = Some(err.clone());
                e.updated_at = env.now();
                if e.attempts >= MAX_ATTEMPTS {
                    e.state = EntryState::Rejected {
                        status: None,
                        message: err.to_string(),
                        fields: vec![],
                        error: Some(err.clone()),
                    };
                    if local.update_entry(&e, &[]).await? {
                        held.insert(key);
                        report.rejected += 1;
                        continue;
                    }
                    return Ok(false);
                }
                let at = env.now() + retry_delay(e.attempts, env.random(), err.retry_after());
                e.not_before = Some(at);
                local.update_entry(&e, &[]).await?;
                report.retry_at = Some(at);
                report.error = Some(SyncError::Remote(err));
                return Ok(false);
            }
            Outcome::Failed(err) => {
                let (status, message, fields) = match &err {
                    RemoteError::Rejected { status, message, fields } => {
                        (Some(*status), message.clone(), fields.clone())
                    }
                    other => (None, other.to_string(), vec![]),
                };
                let mut e = entry;
                e.attempts += 1;
                e.last_error = Some(err.to_string());
                e.failure = Some(err.clone());
                e.updated_at = env.now();
                e.state = EntryState::Rejected { status, message, fields, error: Some(err) };
                // A newer edit may fix what the server refused: then it is pushed next run.
                if local.update_entry(&e, &[]).await? {
                    held.insert(key);
                    report.rejected += 1;
                }
            }
        }
    }
    progress(Progress { phase: Phase::Push, entity: None, done: total, total: Some(total) });
    Ok(true)
}

async fn push_one<R: Remote>(remote: &R, entry: &OutboxEntry) -> Outcome {
    match try_push(remote, entry).await {
        Ok(o) => o,
        Err(e) => Outcome::Failed(e),
    }
}

async fn try_push<R: Remote>(remote: &R, entry: &OutboxEntry) -> Result<Outcome, RemoteError> {
    let entity = entry.entity;
    let unreadable = || RemoteError::BadResponse { reason: "the local version of this record cannot be read".into() };
    match entry.op {
        Op::Create => Err(RemoteError::Unsupported { reason: "creates go through push_create".into() }),
        Op::Update => {
            let mine = entry.current.clone().ok_or_else(unreadable)?;
            let base = entry.base.clone().unwrap_or_else(|| mine.clone());
            let Some(theirs) = remote.get(entity, &entry.record_id).await? else {
                return Ok(Outcome::Conflict(Conflict::DeletedOnServer));
            };
            update(remote, entity, &base, &mine, theirs).await
        }
        Op::Delete => {
            let Some(theirs) = remote.get(entity, &entry.record_id).await? else {
                return Ok(Outcome::Done(vec![]));
            };
            let theirs_json = theirs.to_json();
            if entry.base.as_ref().is_some_and(|b| differs(b, &theirs_json)) {
                return Ok(Outcome::Conflict(Conflict::ChangedOnServer { theirs: theirs_json }));
            }
            match remote.delete(entity, &entry.record_id).await {
                Ok(()) | Err(RemoteError::NotFound) => Ok(Outcome::Done(vec![])),
                Err(e) => Err(e),
            }
        }
    }
}

/// Pushes a create. One sent before may have reached the server even though no answer came
/// back: if the record is there, this is an update of what was sent (`base`) to the current
/// version. Before a create goes out, the entry is marked as sent with that version as its base
/// (only if the user has not changed it meanwhile: `None` then, and nothing is sent).
async fn push_create<R: Remote, L: Local>(
    remote: &R,
    local: &L,
    entry: &mut OutboxEntry,
) -> Result<Option<Outcome>, SyncError> {
    let entity = entry.entity;
    let (Some(record), Some(mine)) = (entry.current_record(), entry.current.clone()) else {
        return Ok(Some(Outcome::Failed(RemoteError::BadResponse {
            reason: "the local version of this record cannot be read".into(),
        })));
    };
    if entry.was_sent() {
        match remote.get(entity, record.id()).await {
            Ok(Some(existing)) => {
                let base = entry.base.clone().unwrap_or_else(|| mine.clone());
                return Ok(Some(update(remote, entity, &base, &mine, existing).await.unwrap_or_else(Outcome::Failed)));
            }
            Ok(None) => {}
            Err(e) => return Ok(Some(Outcome::Failed(e))),
        }
    }
    let mut marked = entry.clone();
    marked.sent = true;
    marked.base = Some(mine);
    if !local.update_entry(&marked, &[]).await? {
        return Ok(None);
    }
    *entry = marked;
    Ok(Some(match remote.create(&record, &entry.op_id).await {
        Ok(created) if created.id() != record.id() => {
            let old = record.id().to_string();
            Outcome::Renamed { changes: vec![Change::Remove(entity, old.clone()), Change::Upsert(created)], old }
        }
        Ok(created) => Outcome::Done(vec![Change::Upsert(created)]),
        Err(e) => Outcome::Failed(e),
    }))
}

/// Merges my version (edited from `base`) with the server's current one and writes the result
/// when it changes anything; a field both sides changed differently is a conflict.
async fn update<R: Remote>(
    remote: &R,
    entity: Entity,
    base: &serde_json::Value,
    mine: &serde_json::Value,
    theirs: Record,
) -> Result<Outcome, RemoteError> {
    let theirs_json = theirs.to_json();
    let merge = three_way(base, mine, &theirs_json);
    if !merge.conflicts.is_empty() {
        return Ok(Outcome::Conflict(Conflict::Fields {
            fields: merge.conflicts,
            merged: merge.merged,
            theirs: theirs_json,
        }));
    }
    if merge.changed.is_empty() {
        return Ok(Outcome::Done(vec![Change::Upsert(theirs)]));
    }
    let record = Record::from_json(entity, merge.merged)
        .map_err(|b| RemoteError::BadResponse { reason: format!("merged record is invalid: {}", b.reason) })?;
    let saved = remote.update(&record, &merge.changed).await?;
    Ok(Outcome::Done(vec![Change::Upsert(saved)]))
}

async fn pull<R: Remote, L: Local>(
    remote: &R,
    local: &L,
    report: &mut SyncReport,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), SyncError> {
    let waiting: HashSet<(Entity, String)> =
        local.outbox().await?.into_iter().map(|e| (e.entity, e.record_id)).collect();
    for entity in remote.entities() {
        let incremental = remote.incremental(entity);
        let since = if incremental { local.checkpoint(entity).await? } else { None };
        let full = since.is_none();
        let mut cursor = Cursor::Start;
        let mut seen: HashSet<String> = HashSet::new();
        let mut fetched = 0u64;
        let mut checkpoint = since.clone();
        progress(Progress { phase: Phase::Pull, entity: Some(entity), done: 0, total: None });
        for _ in 0..1_000_000 {
            let request =
                PageRequest { cursor: cursor.clone(), size: remote.page_size(), modified_since: since.clone() };
            let page = remote.list(entity, &request).await?;
            let n = page.records.len() + page.skipped.len();
            fetched += n as u64;
            seen.extend(page.skipped.iter().filter_map(|b| b.id.clone()));
            let mut changes = Vec::with_capacity(page.records.len());
            for r in page.records {
                let id = r.id().to_string();
                // A record with a local edit waiting keeps the local version; the push merges.
                if !waiting.contains(&(entity, id.clone())) {
                    changes.push(Change::Upsert(r));
                }
                seen.insert(id);
            }
            report.skipped.extend(page.skipped);
            let applied = local.apply_pulled(&changes, &page.notes).await?;
            report.pulled += applied.len();
            report.changes.extend(applied);
            if page.max_modified > checkpoint {
                checkpoint = page.max_modified;
            }
            progress(Progress { phase: Phase::Pull, entity: Some(entity), done: fetched, total: page.total });
            match page.next {
                Some(next) if n > 0 && next != cursor => cursor = next,
                _ => break,
            }
        }
        if full {
            let gone: Vec<Change> = local
                .ids(entity)
                .await?
                .into_iter()
                .filter(|id| !seen.contains(id) && !waiting.contains(&(entity, id.clone())))
                .map(|id| Change::Remove(entity, id))
                .collect();
            let applied = local.apply(&gone).await?;
            report.removed += applied.len();
            report.changes.extend(applied);
        }
        if incremental && checkpoint != since {
            local.set_checkpoint(entity, checkpoint.as_deref()).await?;
        }
    }
    Ok(())
}
