//! One sync run: push the outbox in order, then pull every entity page by page.
//!
//! A resource pulled incrementally ("changed since the checkpoint") is also listed completely
//! at least every [`RECONCILE_EVERY`] and when the user asks: that adds what incremental pulls
//! missed (backends that leave the modification time empty on records created on the server)
//! and removes what the server deleted (it never reports deletions). Ids only, where the profile
//! can ask for them. A record with an unsynced local edit is never removed by it: its push finds
//! it gone and the user settles that.
//!
//! A create whose answer was lost, on a backend that assigns its own ids and cannot de-duplicate
//! a retried create, is not sent again blindly: the complete listing of its resource looks for a
//! record new to this device with the same content fingerprint ([`fingerprint`]); found, it is
//! that record; not found in a complete listing, the create is sent again.
//!
//! A create the server answers as done without saying which record it made (BottleCRM's tasks:
//! a message, no id; [`Remote::create`] gives `None`) is looked for the same way, in the same
//! run's pull: found, its temporary id becomes the server's; not found, it is not sent again by
//! itself — the server said it made it, and a second create would make a second record — but
//! refused for the user to look at (who may send it again).

use super::Env;
use super::backoff::{MAX_ATTEMPTS, retry_delay};
use super::local::{Local, LocalError};
use super::merge::{differs, three_way_known};
use super::outbox::{Conflict, EntryState, Op, OutboxEntry, refers_to};
use super::remote::{Cursor, PageRequest, Remote, RemoteError};
use crate::core::model::Entity;
use crate::core::model::Timestamp;
use crate::core::record::Change;
use crate::core::record::{BadRecord, Record};
use serde_json::Value;
use std::collections::HashSet;

/// How often a resource pulled incrementally is listed completely (at the most).
pub const RECONCILE_EVERY: chrono::Duration = chrono::Duration::hours(24);

/// Clock skew allowed between this device and the server when a lost create is looked for by
/// its content: the server's record must be created no earlier than this before the device
/// created its own.
pub const FINGERPRINT_SKEW: chrono::Duration = chrono::Duration::hours(24);

/// What the user asked of this run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SyncOptions {
    /// List every resource completely now ("Sync now"), not only when due.
    pub reconcile: bool,
}

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
    /// Resources the server does not have (404 for the collection): not pulled, the others are.
    pub missing: Vec<Entity>,
    /// Resources listed completely in this run (reconciled with the server).
    pub reconciled: Vec<Entity>,
    /// Creates whose answer was lost, found on the server by their content.
    pub matched: usize,
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
    /// Created, and the answer did not say which record: to be found by its content.
    Unidentified,
}

/// Runs one sync. Never panics; every failure ends up in the report.
pub async fn sync<R: Remote, L: Local, E: Env>(
    remote: &R,
    local: &L,
    env: &E,
    options: SyncOptions,
    progress: &mut dyn FnMut(Progress),
) -> SyncReport {
    let mut report = SyncReport::default();
    let mut lost = Vec::new();
    match push(remote, local, env, &mut lost, &mut report, progress).await {
        Ok(true) => {
            if let Err(e) = pull(remote, local, env, options, lost, &mut report, progress).await {
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
    lost: &mut Vec<OutboxEntry>,
    report: &mut SyncReport,
    progress: &mut dyn FnMut(Progress),
) -> Result<bool, SyncError> {
    let entries = local.outbox().await?;
    let mut queue: Vec<u64> = entries.iter().map(|e| e.seq).collect();
    let total = queue.len() as u64;
    // Records created on this device and not yet on the server (waiting, or held for the user):
    // an entry that refers to one (a deal to a contact made after it) goes after it, with the id
    // the server gave it, or waits with it.
    let mut creating: HashSet<(Entity, String)> =
        entries.iter().filter(|e| e.op == Op::Create).map(|e| (e.entity, e.record_id.clone())).collect();
    drop(entries);
    let mut deferred: HashSet<u64> = HashSet::new();
    // Records of a kind the backend has no resource for (BottleCRM keeps no visit reports) stay
    // on this device, waiting: never sent, never refused for it (they go if the profile gains
    // the resource).
    let supported = remote.entities();
    // Records whose earlier entry is waiting (for the user, a retry or a lost answer): their
    // later entries wait too, as do entries naming a held record (`refers_to`: a contact's
    // customer, a visit's contact, a deal's customer and contacts).
    let mut held: HashSet<(Entity, String)> = HashSet::new();
    let mut i = 0;
    while let Some(&seq) = queue.get(i) {
        progress(Progress { phase: Phase::Push, entity: None, done: (i as u64).min(total), total: Some(total) });
        i += 1;
        // The entry as stored now: the user may have edited it since the run began, and an
        // earlier push may have renamed a record it names.
        let Some(mut entry) = local.entry(seq).await? else { continue };
        let key = (entry.entity, entry.record_id.clone());
        // The records it refers to that the server keeps (a visit kept on this device is never
        // sent, so a deal that came from one does not wait for it).
        let refs: Vec<(Entity, String)> =
            refers_to(&entry).into_iter().filter(|(kind, _)| supported.contains(kind)).collect();
        if !entry.is_pending()
            || !supported.contains(&entry.entity)
            || held.contains(&key)
            || refs.iter().any(|r| held.contains(r))
        {
            held.insert(key);
            continue;
        }
        if refs.iter().any(|r| creating.contains(r)) {
            // Created here later than this entry was made: sent after it, once; still not sent
            // then (it waits for a retry), this entry waits with it.
            if deferred.insert(seq) {
                queue.push(seq);
            } else {
                held.insert(key);
            }
            continue;
        }
        if let Some(at) = entry.not_before
            && at > env.now()
        {
            report.retry_at = Some(at);
            return Ok(true);
        }
        let resent = entry.was_sent();
        if entry.op == Op::Create && resent && !remote.create_is_idempotent(entry.entity) {
            // It may be on the server under an id only the server knows: the pull looks for it
            // by its content before anything is sent again (its dependants wait meanwhile).
            lost.push(entry);
            held.insert(key);
            continue;
        }
        let plan = plan(remote, &entry, resent).await;
        if !matches!(plan, Plan::Settled(_)) {
            // Marked as sent, with the version it sends, right before the write leaves: an answer
            // that never comes back cannot make the next push take that version for someone
            // else's, nor drop an edit back to the earlier value.
            let marked = entry.marked_sent();
            if marked != entry {
                if !local.update_entry(&marked, &[]).await? {
                    // Edited this very moment: the next run pushes the newer version.
                    return Ok(true);
                }
                entry = marked;
            }
        }
        let outcome = write(remote, &entry, plan).await;
        match outcome {
            Outcome::Done(answer) => {
                let written = local.complete(&entry, &answer).await?;
                report.pushed += 1;
                report.changes.extend(written);
                creating.remove(&key);
            }
            Outcome::Renamed { old, changes } => {
                let written = local.complete(&entry, &changes).await?;
                report.pushed += 1;
                report.changes.extend(written);
                creating.remove(&key);
                let new = changes.iter().find_map(|c| match c {
                    Change::Upsert(r) => Some(r.id().to_string()),
                    Change::Remove(..) => None,
                });
                if let Some(new) = new {
                    report.changes.extend(local.rename_refs(entry.entity, &old, &new).await?);
                }
            }
            Outcome::Unidentified => {
                let mut e = entry;
                e.created_unidentified = true;
                e.updated_at = env.now();
                // Remembered, so a later run that gets to look for it never sends it blindly;
                // looked for in this run's pull either way (an edit made meanwhile is kept by
                // `complete` when it is found).
                local.update_entry(&e, &[]).await?;
                report.pushed += 1;
                lost.push(e);
                held.insert(key);
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

/// What pushing an entry comes to once the server's version has been read: settled without a
/// write, or a write to send.
enum Plan {
    Settled(Outcome),
    Create(Record),
    Update { record: Record, changed: Vec<String> },
    Delete,
}

/// Reads what the server has and decides the write, without writing anything yet.
async fn plan<R: Remote>(remote: &R, entry: &OutboxEntry, resent: bool) -> Plan {
    match try_plan(remote, entry, resent).await {
        Ok(p) => p,
        Err(e) => Plan::Settled(Outcome::Failed(e)),
    }
}

async fn try_plan<R: Remote>(remote: &R, entry: &OutboxEntry, resent: bool) -> Result<Plan, RemoteError> {
    let entity = entry.entity;
    let unreadable = || RemoteError::BadResponse { reason: "the local version of this record cannot be read".into() };
    match entry.op {
        Op::Create => {
            let record = entry.current_record().ok_or_else(unreadable)?;
            let mine = entry.current.clone().ok_or_else(unreadable)?;
            // Sent before without an answer: it may be there under its own id, and then this is
            // an update of what was sent to the current version.
            if resent && let Some(existing) = remote.get(entity, record.id()).await? {
                // The first version sent is what the server started from (entries of older
                // builds kept the version sent in `base`).
                let base = entry.unconfirmed.first().or(entry.base.as_ref()).cloned().unwrap_or_else(|| mine.clone());
                return merge_plan(entity, &base, &entry.unconfirmed, &mine, existing);
            }
            Ok(Plan::Create(record))
        }
        Op::Update => {
            let mine = entry.current.clone().ok_or_else(unreadable)?;
            let base = entry.base.clone().unwrap_or_else(|| mine.clone());
            let Some(theirs) = remote.get(entity, &entry.record_id).await? else {
                return Ok(Plan::Settled(Outcome::Conflict(Conflict::DeletedOnServer)));
            };
            merge_plan(entity, &base, &entry.unconfirmed, &mine, theirs)
        }
        Op::Delete => {
            let Some(theirs) = remote.get(entity, &entry.record_id).await? else {
                return Ok(Plan::Settled(Outcome::Done(vec![])));
            };
            let theirs_json = theirs.to_json();
            // Changed on the server since the base, by someone else (a version this device sent
            // and never heard back about is not someone else's change).
            let by_someone_else = entry.base.as_ref().is_some_and(|b| differs(b, &theirs_json))
                && entry.unconfirmed.iter().all(|v| differs(v, &theirs_json));
            if by_someone_else {
                return Ok(Plan::Settled(Outcome::Conflict(Conflict::ChangedOnServer { theirs: theirs_json })));
            }
            Ok(Plan::Delete)
        }
    }
}

/// Merges my version (edited from `base`; `sent` the versions earlier attempts sent without an
/// answer) with the server's current one: the write to send when it changes anything; a field
/// someone else changed differently is a conflict.
fn merge_plan(entity: Entity, base: &Value, sent: &[Value], mine: &Value, theirs: Record) -> Result<Plan, RemoteError> {
    let theirs_json = theirs.to_json();
    let merge = three_way_known(base, sent, mine, &theirs_json);
    if !merge.conflicts.is_empty() {
        return Ok(Plan::Settled(Outcome::Conflict(Conflict::Fields {
            fields: merge.conflicts,
            merged: merge.merged,
            theirs: theirs_json,
        })));
    }
    if merge.changed.is_empty() {
        return Ok(Plan::Settled(Outcome::Done(vec![Change::Upsert(theirs)])));
    }
    let record = Record::from_json(entity, merge.merged)
        .map_err(|b| RemoteError::BadResponse { reason: format!("merged record is invalid: {}", b.reason) })?;
    Ok(Plan::Update { record, changed: merge.changed })
}

/// Sends the write a plan decided on.
async fn write<R: Remote>(remote: &R, entry: &OutboxEntry, plan: Plan) -> Outcome {
    let entity = entry.entity;
    match plan {
        Plan::Settled(outcome) => outcome,
        Plan::Create(record) => match remote.create(&record, &entry.op_id).await {
            Ok(Some(created)) if created.id() != record.id() => {
                let old = record.id().to_string();
                Outcome::Renamed { changes: vec![Change::Remove(entity, old.clone()), Change::Upsert(created)], old }
            }
            Ok(Some(created)) => Outcome::Done(vec![Change::Upsert(created)]),
            Ok(None) => Outcome::Unidentified,
            Err(e) => Outcome::Failed(e),
        },
        Plan::Update { record, changed } => match remote.update(&record, &changed).await {
            Ok(saved) => Outcome::Done(vec![Change::Upsert(saved)]),
            Err(e) => Outcome::Failed(e),
        },
        Plan::Delete => match remote.delete(entity, &entry.record_id).await {
            Ok(()) | Err(RemoteError::NotFound) => Outcome::Done(vec![]),
            Err(e) => Outcome::Failed(e),
        },
    }
}

/// What identifies a record by its content, for finding a create whose answer was lost on a
/// backend that assigns ids: the fields a person would recognise it by (case and surrounding
/// space ignored), per entity. `None` when those are empty.
pub fn fingerprint(entity: Entity, record: &Value) -> Option<String> {
    let fields: &[&str] = match entity {
        Entity::Customers => &["name"],
        Entity::Contacts => &["customer_id", "name"],
        Entity::Orders => &["customer_id", "date", "amount"],
        Entity::Invoices => &["customer_id", "issue_date", "amount"],
        Entity::Tickets => &["customer_id", "title"],
        Entity::Visits => &["customer_id", "date", "rep"],
        Entity::Surveys => &["customer_id", "date", "contact_id"],
        Entity::Plans => &["region", "period"],
        Entity::Opportunities => &["customer_id", "title"],
        Entity::Tasks => &["customer_id", "title", "due_date"],
    };
    let text = |f: &str| match record.get(f) {
        Some(Value::String(s)) => crate::core::text::fold(s.trim()),
        Some(Value::Null) | None => String::new(),
        Some(v) => v.to_string(),
    };
    let parts: Vec<String> = fields.iter().map(|f| text(f)).collect();
    if parts.iter().all(String::is_empty) {
        return None;
    }
    Some(parts.join("\u{1f}"))
}

/// When a record was created, as far as its fields say (`created_at`, else `opened_at`).
fn created_time(record: &Value) -> Option<Timestamp> {
    ["created_at", "opened_at"]
        .iter()
        .find_map(|f| record.get(*f).and_then(Value::as_str))
        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&chrono::Utc))
}

/// Whether `candidate` (a record of the server new to this device) is the lost create `entry`.
fn is_lost_create(entry: &OutboxEntry, candidate: &Record) -> bool {
    let c = candidate.to_json();
    let Some(theirs) = fingerprint(entry.entity, &c) else { return false };
    let mine_match = entry
        .unconfirmed
        .iter()
        .chain(entry.base.iter())
        .chain(entry.current.iter())
        .any(|v| fingerprint(entry.entity, v).as_deref() == Some(theirs.as_str()));
    let recent = created_time(&c).is_none_or(|t| t >= entry.created_at - FINGERPRINT_SKEW);
    mine_match && recent
}

async fn pull<R: Remote, L: Local, E: Env>(
    remote: &R,
    local: &L,
    env: &E,
    options: SyncOptions,
    lost: Vec<OutboxEntry>,
    report: &mut SyncReport,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), SyncError> {
    let waiting: HashSet<(Entity, String)> =
        local.outbox().await?.into_iter().map(|e| (e.entity, e.record_id)).collect();
    'entities: for entity in remote.entities() {
        let incremental = remote.incremental(entity);
        let since = if incremental { local.checkpoint(entity).await? } else { None };
        let lost_here: Vec<&OutboxEntry> = lost.iter().filter(|e| e.entity == entity).collect();
        let due = match local.reconciled_at(entity).await? {
            Some(at) => env.now() - at >= RECONCILE_EVERY,
            None => true,
        };
        // A complete listing: always without a checkpoint; for incremental resources when due,
        // when asked, or to look for a lost create.
        let complete = since.is_none() || options.reconcile || due || !lost_here.is_empty();
        if complete && since.is_some() && lost_here.is_empty() && remote.lists_ids(entity) {
            match reconcile_ids(remote, local, entity, &waiting, report, progress).await? {
                Listed::Done => {
                    local.set_reconciled_at(entity, Some(env.now())).await?;
                    report.reconciled.push(entity);
                }
                Listed::Missing => {
                    report.missing.push(entity);
                    continue 'entities;
                }
            }
        }
        // Ids of records this device had before the listing: a lost create can only be a
        // record new to it.
        let known: HashSet<String> =
            if lost_here.is_empty() { HashSet::new() } else { local.ids(entity).await?.into_iter().collect() };
        let by_content = complete && !(since.is_some() && lost_here.is_empty() && remote.lists_ids(entity));
        let modified_since = if by_content { None } else { since.clone() };
        let mut cursor = Cursor::Start;
        let mut seen: HashSet<String> = HashSet::new();
        let mut found: Vec<(u64, Record)> = Vec::new();
        let mut fetched = 0u64;
        let mut checkpoint = since.clone();
        progress(Progress { phase: Phase::Pull, entity: Some(entity), done: 0, total: None });
        for page_no in 0..1_000_000u64 {
            let request = PageRequest {
                cursor: cursor.clone(),
                size: remote.page_size(),
                modified_since: modified_since.clone(),
                ids_only: false,
            };
            let page = match remote.list(entity, &request).await {
                Ok(p) => p,
                // The server has no such collection: said, and the other resources are pulled.
                Err(RemoteError::NotFound) if page_no == 0 => {
                    report.missing.push(entity);
                    continue 'entities;
                }
                // Some backends answer 404 for a page past the last one.
                Err(RemoteError::NotFound) => break,
                Err(e) => return Err(e.into()),
            };
            let n = page.records.len() + page.skipped.len();
            fetched += n as u64;
            seen.extend(page.skipped.iter().filter_map(|b| b.id.clone()));
            let mut changes = Vec::with_capacity(page.records.len());
            for r in page.records {
                let id = r.id().to_string();
                if !lost_here.is_empty() && !known.contains(&id) && !waiting.contains(&(entity, id.clone())) {
                    for e in &lost_here {
                        if !found.iter().any(|(s, f)| *s == e.seq || f.id() == id) && is_lost_create(e, &r) {
                            found.push((e.seq, r.clone()));
                        }
                    }
                }
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
        if by_content {
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
            if incremental {
                local.set_reconciled_at(entity, Some(env.now())).await?;
                if since.is_some() {
                    report.reconciled.push(entity);
                }
            }
        }
        if incremental && checkpoint != since {
            local.set_checkpoint(entity, checkpoint.as_deref()).await?;
        }
        settle_lost(remote, local, env, &lost_here, found, report).await?;
    }
    Ok(())
}

/// After a complete listing: each lost create found by its content becomes that record (its
/// temporary id replaced by the server's everywhere, like a create's answer), as the server
/// reads it by itself (a listing may leave fields out: BottleCRM's task list has no
/// description). One not found is not on the server, and goes again in the next run (right
/// away) — unless the server said it made it ([`OutboxEntry::created_unidentified`]): then it
/// waits for the user, who can send it again.
async fn settle_lost<R: Remote, L: Local, E: Env>(
    remote: &R,
    local: &L,
    env: &E,
    lost: &[&OutboxEntry],
    found: Vec<(u64, Record)>,
    report: &mut SyncReport,
) -> Result<(), SyncError> {
    for entry in lost {
        match found.iter().find(|(seq, _)| *seq == entry.seq) {
            Some((_, listed)) => {
                let old = entry.record_id.clone();
                // The listed version when the read fails: it is the record all the same.
                let record = match remote.get(entry.entity, listed.id()).await {
                    Ok(Some(r)) => r,
                    Ok(None) | Err(_) => listed.clone(),
                };
                let answer = vec![Change::Remove(entry.entity, old.clone()), Change::Upsert(record.clone())];
                let written = local.complete(entry, &answer).await?;
                report.changes.extend(written);
                report.matched += 1;
                report.changes.extend(local.rename_refs(entry.entity, &old, record.id()).await?);
            }
            None if entry.created_unidentified => {
                let err = RemoteError::BadResponse {
                    reason: "the server said it created this record without saying which one, and its list shows none \
                             like it; sending it again may make a second one"
                        .into(),
                };
                let mut e = (*entry).clone();
                e.attempts += 1;
                e.last_error = Some(err.to_string());
                e.failure = Some(err.clone());
                e.updated_at = env.now();
                // Sent again only when the user asks (Retry), as a new create.
                e.sent = false;
                e.created_unidentified = false;
                e.unconfirmed.clear();
                e.state =
                    EntryState::Rejected { status: None, message: err.to_string(), fields: vec![], error: Some(err) };
                if local.update_entry(&e, &[]).await? {
                    report.rejected += 1;
                }
            }
            None => {
                let mut again = (*entry).clone();
                again.sent = false;
                again.attempts = 0;
                again.unconfirmed.clear();
                again.not_before = None;
                again.updated_at = env.now();
                if local.update_entry(&again, &[]).await? {
                    report.retry_at = Some(env.now());
                }
            }
        }
    }
    Ok(())
}

enum Listed {
    Done,
    Missing,
}

/// A complete listing of ids only: records the server has and this device does not are read
/// one by one, records this device has and the server does not are removed (never one with a
/// local edit waiting).
async fn reconcile_ids<R: Remote, L: Local>(
    remote: &R,
    local: &L,
    entity: Entity,
    waiting: &HashSet<(Entity, String)>,
    report: &mut SyncReport,
    progress: &mut dyn FnMut(Progress),
) -> Result<Listed, SyncError> {
    let mut cursor = Cursor::Start;
    let mut on_server: HashSet<String> = HashSet::new();
    progress(Progress { phase: Phase::Pull, entity: Some(entity), done: 0, total: None });
    for page_no in 0..1_000_000u64 {
        let request =
            PageRequest { cursor: cursor.clone(), size: remote.page_size(), modified_since: None, ids_only: true };
        let page = match remote.list(entity, &request).await {
            Ok(p) => p,
            Err(RemoteError::NotFound) if page_no == 0 => return Ok(Listed::Missing),
            Err(RemoteError::NotFound) => break,
            Err(e) => return Err(e.into()),
        };
        let n = page.ids.len() + page.records.len() + page.skipped.len();
        on_server.extend(page.ids);
        on_server.extend(page.records.iter().map(|r| r.id().to_string()));
        on_server.extend(page.skipped.iter().filter_map(|b| b.id.clone()));
        progress(Progress {
            phase: Phase::Pull,
            entity: Some(entity),
            done: on_server.len() as u64,
            total: page.total,
        });
        match page.next {
            Some(next) if n > 0 && next != cursor => cursor = next,
            _ => break,
        }
    }
    let here: HashSet<String> = local.ids(entity).await?.into_iter().collect();
    let mut changes = Vec::new();
    for id in on_server.iter().filter(|id| !here.contains(*id)) {
        if waiting.contains(&(entity, id.clone())) {
            continue;
        }
        if let Some(r) = remote.get(entity, id).await? {
            changes.push(Change::Upsert(r));
        }
    }
    let mut gone = Vec::new();
    for id in here.iter().filter(|id| !on_server.contains(*id) && !waiting.contains(&(entity, (*id).clone()))) {
        gone.push(Change::Remove(entity, id.clone()));
    }
    let applied = local.apply(&changes).await?;
    report.pulled += applied.len();
    report.changes.extend(applied);
    let removed = local.apply(&gone).await?;
    report.removed += removed.len();
    report.changes.extend(removed);
    Ok(Listed::Done)
}
