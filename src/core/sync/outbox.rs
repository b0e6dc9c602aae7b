//! The outbox: every local create, update and delete waiting to reach the backend, in order.
//!
//! Each entry keeps the version its edit started from (`base`), so the push can merge with
//! whatever the server has by then instead of overwriting it. Edits to a record that is still
//! waiting fold into its entry: the base stays the first one.
//!
//! The user may edit a record while the engine is pushing its entry (the push is a chain of
//! network calls). Every change the user makes to an entry bumps its `rev`; the engine writes an
//! entry back only while its `rev` is the one it pushed, and a push that completes under a
//! newer edit keeps that edit waiting, rebased on what was sent ([`after_push`]).
//!
//! A write may reach the server although its answer never comes back (a dropped connection, a
//! 500 after the server applied it, a reload mid-request). Before a write goes out, the version
//! it sends is kept in the entry (`unconfirmed`): until an answer confirms what the server holds,
//! a server value equal to one of those versions is the user's own, not someone else's change.
//! So an edit A → B whose write was lost, followed by B → A, still sends A (the server may hold
//! B), and an edit on top of an unconfirmed one is not a conflict with oneself.

use super::merge::{FieldConflict, Side, resolve};
use super::remote::RemoteError;
use crate::core::model::Entity;
use crate::core::model::Timestamp;
use crate::core::record::Change;
use crate::core::record::Record;
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Create,
    Update,
    Delete,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryState {
    /// Waiting to be pushed (perhaps after `not_before`).
    Pending,
    /// Needs the user: both sides changed the same fields, or the record went away on one side.
    Conflict(Conflict),
    /// The backend refused it (validation, permissions) or it failed too often; shown with the
    /// reason: `error` (translated in the UI; absent in entries of older builds), the server's
    /// own `message` and its errors per field (Kehu's field names where the mapping knows them).
    Rejected {
        status: Option<u16>,
        message: String,
        fields: Vec<(String, String)>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error: Option<RemoteError>,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Conflict {
    /// Both sides changed these fields differently.
    Fields { fields: Vec<FieldConflict>, merged: Value, theirs: Value },
    /// Edited here, deleted on the server.
    DeletedOnServer,
    /// Deleted here, changed on the server since.
    ChangedOnServer { theirs: Value },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutboxEntry {
    /// Position in the outbox (the store's key); pushes go in this order.
    pub seq: u64,
    /// Idempotency key of the operation (stable across retries).
    pub op_id: String,
    pub entity: Entity,
    pub record_id: String,
    pub op: Op,
    /// The record as it was before the first local edit (`None` for a create).
    pub base: Option<Value>,
    /// The record as edited locally (`None` for a delete).
    pub current: Option<Value>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub attempts: u32,
    /// Do not retry before this time.
    pub not_before: Option<Timestamp>,
    pub last_error: Option<String>,
    pub state: EntryState,
    /// Bumped by every change the user makes to this entry (a folded edit, a resolution, a
    /// retry): the engine writes the entry back only while `rev` is the one it read.
    #[serde(default)]
    pub rev: u32,
    /// A create has been sent at least once: it may exist on the server even if no answer came
    /// back. From then on `base` holds the version that was sent.
    #[serde(default)]
    pub sent: bool,
    /// Why the last attempt failed, for the UI to say in the user's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<RemoteError>,
    /// Versions of the record earlier attempts sent with no answer confirming them (oldest
    /// first, at most [`MAX_UNCONFIRMED`]): the server may hold any of them. Emptied when an
    /// answer confirms what the server holds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unconfirmed: Vec<Value>,
    /// The server answered this create as done without saying which record it made
    /// ([`Remote::create`](super::remote::Remote::create) gave `None`): it is on the server, to be
    /// found by its content; not found there, it is not sent again by itself (that would make a
    /// second one) but shown to the user.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub created_unidentified: bool,
}

/// How many unconfirmed versions an entry remembers (older ones are forgotten: at worst a
/// server still holding one of them shows as a conflict, never as a lost edit).
pub const MAX_UNCONFIRMED: usize = 8;

impl OutboxEntry {
    pub fn key(&self) -> (Entity, &str) {
        (self.entity, &self.record_id)
    }

    pub fn is_pending(&self) -> bool {
        matches!(self.state, EntryState::Pending)
    }

    /// The locally edited record, parsed.
    pub fn current_record(&self) -> Option<Record> {
        self.current.clone().and_then(|v| Record::from_json(self.entity, v).ok())
    }

    /// Whether this operation may already have reached the server.
    pub fn was_sent(&self) -> bool {
        self.sent || self.attempts > 0
    }

    /// The entry as it is about to be sent: marked as sent, with the version it sends among the
    /// unconfirmed ones (written before the request leaves, so a lost answer cannot lose it).
    pub fn marked_sent(&self) -> OutboxEntry {
        let mut next = self.clone();
        next.sent = true;
        if let Some(v) = &self.current
            && next.unconfirmed.last() != Some(v)
        {
            next.unconfirmed.push(v.clone());
            if next.unconfirmed.len() > MAX_UNCONFIRMED {
                next.unconfirmed.remove(0);
            }
        }
        next
    }

    /// Ready to be pushed again after a change by the user.
    pub fn reset_for_push(&mut self, now: Timestamp) {
        self.updated_at = now;
        self.state = EntryState::Pending;
        self.attempts = 0;
        self.not_before = None;
        self.last_error = None;
        self.failure = None;
        self.rev = self.rev.wrapping_add(1);
    }
}

/// Settles an entry after its push succeeded. `stored` is the entry as the outbox holds it now,
/// `pushed` as the engine read it before pushing, `answer` what the server's answer means for
/// the cache (the saved record; for a create that got a server id, the old id's removal too).
///
/// Unchanged since the push (same `rev`): the entry goes and the answer is written. Edited again
/// meanwhile: the newer edit stays waiting and the local record stays as the user left it. It is
/// now an update of what was sent, so the next push merges it against the server's version with
/// the pushed version as its base (the user's new changes are the difference from it).
pub fn after_push(
    stored: Option<&OutboxEntry>,
    pushed: &OutboxEntry,
    answer: &[Change],
) -> (Option<OutboxEntry>, Vec<Change>) {
    let Some(stored) = stored.filter(|s| s.rev != pushed.rev) else {
        return (None, answer.to_vec());
    };
    let mut next = stored.clone();
    next.state = EntryState::Pending;
    next.attempts = 0;
    next.not_before = None;
    next.last_error = None;
    next.failure = None;
    next.sent = false;
    next.created_unidentified = false;
    // The answer confirmed what the server holds now.
    next.unconfirmed.clear();
    // The id the server gave a created record, if it gave another one.
    let renamed = answer.iter().find_map(|c| match c {
        Change::Upsert(r) if r.entity() == pushed.entity && r.id() != pushed.record_id => Some(r.id().to_string()),
        _ => None,
    });
    let mut changes = Vec::new();
    if pushed.op != Op::Delete {
        next.base = pushed.current.clone();
        if next.op == Op::Create {
            next.op = Op::Update;
        }
    }
    if let Some(new) = renamed {
        let set_id = |v: &mut Option<Value>| {
            if let Some(obj) = v.as_mut().and_then(Value::as_object_mut) {
                obj.insert(crate::core::record::id_field(pushed.entity).into(), Value::String(new.clone()));
            }
        };
        set_id(&mut next.base);
        set_id(&mut next.current);
        changes.push(Change::Remove(pushed.entity, next.record_id.clone()));
        next.record_id = new.clone();
        if let Some(r) = next.current_record() {
            changes.push(Change::Upsert(r));
        }
    }
    (Some(next), changes)
}

/// Points a waiting entry at the new id of a record it refers to (the server assigned one when
/// `target`'s record `old` was created): its customer, its contacts, its order, the visit it came
/// from … ([`references`](crate::core::record::references)), in the version it sends and in its
/// base. Returns whether the entry referred to `old`.
pub fn rename_ref(entry: &mut OutboxEntry, target: Entity, old: &str, new: &str) -> bool {
    let fields: Vec<&str> = crate::core::record::references(entry.entity)
        .iter()
        .filter(|(_, kind)| *kind == target)
        .map(|(field, _)| *field)
        .collect();
    let mut changed = false;
    for v in [&mut entry.current, &mut entry.base].into_iter().flatten() {
        let Some(obj) = v.as_object_mut() else { continue };
        for field in &fields {
            match obj.get_mut(*field) {
                Some(Value::String(s)) if s == old => {
                    *s = new.to_string();
                    changed = true;
                }
                Some(Value::Array(items)) => {
                    for item in items.iter_mut() {
                        if item.as_str() == Some(old) {
                            *item = Value::String(new.to_string());
                            changed = true;
                        }
                    }
                }
                _ => {}
            }
        }
    }
    changed
}

/// The records the version an entry sends refers to (kind and id; see
/// [`references`](crate::core::record::references)), without the record itself.
pub fn refers_to(entry: &OutboxEntry) -> Vec<(Entity, String)> {
    let Some(obj) = entry.current.as_ref().and_then(Value::as_object) else { return Vec::new() };
    let mut out = Vec::new();
    for &(field, kind) in crate::core::record::references(entry.entity) {
        let ids: Vec<&str> = match obj.get(field) {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        for id in ids {
            let itself = kind == entry.entity && id == entry.record_id;
            if !id.is_empty() && !itself {
                out.push((kind, id.to_string()));
            }
        }
    }
    out
}

/// A local edit, as the UI makes it.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    Create(Record),
    Update(Record),
    Delete(Entity, String),
}

impl Edit {
    pub fn key(&self) -> (Entity, &str) {
        match self {
            Edit::Create(r) | Edit::Update(r) => (r.entity(), r.id()),
            Edit::Delete(e, id) => (*e, id),
        }
    }
}

/// What to do to the outbox for one edit.
#[derive(Clone, Debug, PartialEq)]
pub enum OutboxChange {
    Add(OutboxEntry),
    Replace(OutboxEntry),
    /// The edit cancels the waiting entry (a record created and deleted before it was sent).
    Remove(u64),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditError {
    /// Creating a record whose id already exists.
    Exists,
    /// Updating or deleting a record that is not in the workspace (or already deleted here).
    Missing,
    /// The record's conflict must be resolved first.
    InConflict,
}

/// Folds a local edit into the outbox. `waiting` is the record's entry if one is waiting;
/// `stored` the version the user edited (the form's starting point; else the record as the cache
/// holds it before this edit); `seq` and `op_id` are used for a new entry.
///
/// An update folded into a waiting entry is rebased, not swapped in: the fields the user changed
/// (the edit against `stored`) go onto the waiting version, so an edit made on a copy older than
/// the waiting one keeps the waiting one's changes. The entry's unconfirmed versions stay: the
/// server may hold one of them, and the next push merges against whatever it holds.
pub fn record_edit(
    waiting: Option<&OutboxEntry>,
    stored: Option<&Record>,
    edit: Edit,
    now: Timestamp,
    seq: u64,
    op_id: String,
) -> Result<OutboxChange, EditError> {
    let (entity, id) = {
        let (e, id) = edit.key();
        (e, id.to_string())
    };
    if let Some(w) = waiting {
        if matches!(w.state, EntryState::Conflict(_)) {
            return Err(EditError::InConflict);
        }
        let mut next = w.clone();
        next.reset_for_push(now);
        return match (w.op, edit) {
            (Op::Delete, _) => Err(EditError::Missing),
            (_, Edit::Create(_)) => Err(EditError::Exists),
            (Op::Create, Edit::Update(r)) | (Op::Update, Edit::Update(r)) => {
                let edited = r.to_json();
                next.current = Some(match (stored, &w.current) {
                    (Some(seen), Some(waiting)) => rebase(&seen.to_json(), &edited, waiting),
                    _ => edited,
                });
                Ok(OutboxChange::Replace(next))
            }
            // Never sent: nothing to tell the server. Sent at least once: it may exist there.
            (Op::Create, Edit::Delete(..)) if !w.was_sent() => Ok(OutboxChange::Remove(w.seq)),
            (Op::Create, Edit::Delete(..)) | (Op::Update, Edit::Delete(..)) => {
                next.op = Op::Delete;
                next.current = None;
                Ok(OutboxChange::Replace(next))
            }
        };
    }
    let entry = |op, base: Option<Value>, current: Option<Value>| OutboxEntry {
        seq,
        op_id,
        entity,
        record_id: id.clone(),
        op,
        base,
        current,
        created_at: now,
        updated_at: now,
        attempts: 0,
        not_before: None,
        last_error: None,
        state: EntryState::Pending,
        rev: 0,
        sent: false,
        failure: None,
        unconfirmed: Vec::new(),
        created_unidentified: false,
    };
    match edit {
        Edit::Create(r) => {
            if stored.is_some() {
                return Err(EditError::Exists);
            }
            Ok(OutboxChange::Add(entry(Op::Create, None, Some(r.to_json()))))
        }
        Edit::Update(r) => {
            let base = stored.ok_or(EditError::Missing)?;
            Ok(OutboxChange::Add(entry(Op::Update, Some(base.to_json()), Some(r.to_json()))))
        }
        Edit::Delete(..) => {
            let base = stored.ok_or(EditError::Missing)?;
            Ok(OutboxChange::Add(entry(Op::Delete, Some(base.to_json()), None)))
        }
    }
}

/// `onto` with the fields that differ between `from` and `edited` set to `edited`'s values (a
/// field `edited` lacks is removed; `custom` key by key). Server-managed times come from `onto`.
pub fn rebase(from: &Value, edited: &Value, onto: &Value) -> Value {
    super::merge::overlay(from, edited, onto)
}

/// How the user settles a conflict.
#[derive(Clone, Debug, PartialEq)]
pub enum Resolution {
    /// Field conflicts: take mine or theirs per field.
    Fields(Vec<(String, Side)>),
    /// Deleted on the server: create it again from my version.
    Recreate,
    /// Give up my change and keep (or accept the absence of) the server's version.
    DiscardMine,
    /// Deleted here, changed there: delete it anyway.
    DeleteAnyway,
}

/// The outcome of a resolution: the entry to keep (if any) and the record the cache should hold.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved {
    pub entry: Option<OutboxEntry>,
    /// `Some(record)` to store, `None` to remove the local record.
    pub local: Option<Value>,
}

pub fn resolve_conflict(entry: &OutboxEntry, resolution: Resolution, now: Timestamp) -> Option<Resolved> {
    let EntryState::Conflict(conflict) = &entry.state else { return None };
    let mut next = entry.clone();
    next.reset_for_push(now);
    match (conflict, resolution) {
        (Conflict::Fields { fields, merged, theirs }, Resolution::Fields(choices)) => {
            let value = resolve(merged, fields, |f| {
                choices.iter().find(|(name, _)| name == f).map(|(_, c)| *c).unwrap_or(Side::Theirs)
            });
            // The server's version is the new base: the next push merges against it again.
            next.base = Some(theirs.clone());
            next.current = Some(value.clone());
            Some(Resolved { entry: Some(next), local: Some(value) })
        }
        (Conflict::Fields { theirs, .. }, Resolution::DiscardMine) => {
            Some(Resolved { entry: None, local: Some(theirs.clone()) })
        }
        (Conflict::DeletedOnServer, Resolution::Recreate) => {
            next.op = Op::Create;
            next.base = None;
            next.sent = false;
            let local = next.current.clone();
            Some(Resolved { entry: Some(next), local })
        }
        (Conflict::DeletedOnServer, Resolution::DiscardMine) => Some(Resolved { entry: None, local: None }),
        (Conflict::ChangedOnServer { theirs }, Resolution::DeleteAnyway) => {
            next.base = Some(theirs.clone());
            Some(Resolved { entry: Some(next), local: None })
        }
        (Conflict::ChangedOnServer { theirs }, Resolution::DiscardMine) => {
            Some(Resolved { entry: None, local: Some(theirs.clone()) })
        }
        _ => None,
    }
}
