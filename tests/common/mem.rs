//! An in-memory cache with the same contract as the IndexedDB one (one "transaction" per
//! call, edits folded into the outbox exactly as `Cache::save` does), for sync tests.

use chrono::{DateTime, Utc};
use kehu::core::lenient::{ReadNote, RecordProblems, keep_first_seen, still_wrong};
use kehu::core::record::Record;
use kehu::core::sync::local::{Local, LocalError};
use kehu::core::sync::outbox::*;
use kehu::core::workspace::{Change, Entity};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

#[derive(Default)]
pub struct MemLocal {
    pub records: RefCell<BTreeMap<(Entity, String), Record>>,
    pub outbox: RefCell<BTreeMap<u64, OutboxEntry>>,
    pub checkpoints: RefCell<BTreeMap<Entity, String>>,
    pub reconciled: RefCell<BTreeMap<Entity, DateTime<Utc>>>,
    pub next_seq: Cell<u64>,
    /// Data problems stored with records (as `Cache` keeps them beside its buckets).
    pub problems: RefCell<BTreeMap<(Entity, String), RecordProblems>>,
}

impl MemLocal {
    pub fn ids_sorted(&self, e: Entity) -> Vec<String> {
        self.records.borrow().keys().filter(|(x, _)| *x == e).map(|(_, id)| id.clone()).collect()
    }

    pub fn with(records: &[Record]) -> MemLocal {
        let l = MemLocal::default();
        for r in records {
            l.records.borrow_mut().insert((r.entity(), r.id().to_string()), r.clone());
        }
        l
    }
    /// What the app does on a local edit: record and outbox entry together.
    pub fn edit(&self, edit: Edit, now: DateTime<Utc>) {
        self.edit_from(edit, None, now)
    }

    /// A local edit made on `seen` (the version the form showed; the cached one when `None`), as
    /// `Cache::save` does it: an edit folded into a waiting entry is rebased onto it, and the
    /// record stored is the entry's.
    pub fn edit_from(&self, edit: Edit, seen: Option<Record>, now: DateTime<Utc>) {
        let (entity, id) = {
            let (e, id) = edit.key();
            (e, id.to_string())
        };
        let waiting = self.outbox.borrow().values().find(|e| e.entity == entity && e.record_id == id).cloned();
        let cached = self.records.borrow().get(&(entity, id.clone())).cloned();
        let stored = match (&edit, seen) {
            (Edit::Create(_), _) | (_, None) => cached,
            (_, Some(seen)) => Some(seen),
        };
        self.next_seq.set(self.next_seq.get() + 1);
        let seq = self.next_seq.get();
        let local = match &edit {
            Edit::Create(r) | Edit::Update(r) => Some(r.clone()),
            Edit::Delete(..) => None,
        };
        let mut local = local;
        match record_edit(waiting.as_ref(), stored.as_ref(), edit, now, seq, format!("op{seq}")).expect("valid edit") {
            OutboxChange::Add(e) | OutboxChange::Replace(e) => {
                if e.op != Op::Delete {
                    local = e.current_record().or(local);
                }
                self.outbox.borrow_mut().insert(e.seq, e);
            }
            OutboxChange::Remove(seq) => {
                self.outbox.borrow_mut().remove(&seq);
            }
        }
        match local {
            Some(r) => self.write(&[Change::Upsert(r)]),
            None => self.write(&[Change::Remove(entity, id)]),
        };
    }
    pub fn entries(&self) -> Vec<OutboxEntry> {
        self.outbox.borrow().values().cloned().collect()
    }
    pub fn record(&self, e: Entity, id: &str) -> Option<Record> {
        self.records.borrow().get(&(e, id.to_string())).cloned()
    }
    /// Writes changes as `Cache` does outside pulls: a record keeps the problems of the fields
    /// that hold the same value as before.
    pub fn write(&self, changes: &[Change]) {
        for c in changes {
            match c {
                Change::Upsert(r) => {
                    let key = (r.entity(), r.id().to_string());
                    let old = self.records.borrow_mut().insert(key.clone(), r.clone());
                    let mut problems = self.problems.borrow_mut();
                    if let Some(stored) = problems.get_mut(&key) {
                        stored.problems = old.map(|o| still_wrong(&stored.problems, &o, r)).unwrap_or_default();
                        if stored.problems.is_empty() {
                            problems.remove(&key);
                        }
                    }
                }
                Change::Remove(e, id) => {
                    self.records.borrow_mut().remove(&(*e, id.clone()));
                    self.problems.borrow_mut().remove(&(*e, id.clone()));
                }
            }
        }
    }
    /// The data problems stored with a record.
    pub fn problems_of(&self, e: Entity, id: &str) -> Vec<kehu::core::lenient::DataProblem> {
        self.problems.borrow().get(&(e, id.to_string())).map(|p| p.problems.clone()).unwrap_or_default()
    }
    fn waiting(&self) -> Vec<(Entity, String)> {
        self.outbox.borrow().values().map(|e| (e.entity, e.record_id.clone())).collect()
    }
}

impl Local for MemLocal {
    async fn outbox(&self) -> Result<Vec<OutboxEntry>, LocalError> {
        Ok(self.entries())
    }
    async fn record(&self, entity: Entity, id: &str) -> Result<Option<Record>, LocalError> {
        Ok(MemLocal::record(self, entity, id))
    }
    async fn ids(&self, entity: Entity) -> Result<Vec<String>, LocalError> {
        Ok(self.records.borrow().keys().filter(|(e, _)| *e == entity).map(|(_, id)| id.clone()).collect())
    }
    async fn apply_pulled(&self, changes: &[Change], notes: &[ReadNote]) -> Result<Vec<Change>, LocalError> {
        let waiting = self.waiting();
        let mut written = Vec::new();
        for c in changes {
            match c {
                Change::Upsert(r) if !waiting.contains(&(r.entity(), r.id().to_string())) => {
                    let key = (r.entity(), r.id().to_string());
                    let note = notes.iter().find(|n| n.entity == key.0 && n.id == key.1);
                    let cached = self.records.borrow().get(&key).cloned();
                    let r = match note {
                        Some(n) => keep_first_seen(r.clone(), cached.as_ref(), &n.first_seen),
                        None => r.clone(),
                    };
                    match note.filter(|n| !n.problems.is_empty()) {
                        Some(n) => self.problems.borrow_mut().insert(key.clone(), n.stored()),
                        None => self.problems.borrow_mut().remove(&key),
                    };
                    self.records.borrow_mut().insert(key, r.clone());
                    written.push(Change::Upsert(r));
                }
                Change::Upsert(_) => {}
                Change::Remove(e, id) if !waiting.contains(&(*e, id.clone())) => {
                    self.write(std::slice::from_ref(c));
                    written.push(c.clone());
                }
                Change::Remove(..) => {}
            }
        }
        Ok(written)
    }
    async fn apply(&self, changes: &[Change]) -> Result<Vec<Change>, LocalError> {
        let waiting = self.waiting();
        let applied: Vec<Change> = changes
            .iter()
            .filter(|c| {
                let key = match c {
                    Change::Upsert(r) => (r.entity(), r.id().to_string()),
                    Change::Remove(e, id) => (*e, id.clone()),
                };
                !waiting.contains(&key)
            })
            .cloned()
            .collect();
        self.write(&applied);
        Ok(applied)
    }
    async fn entry(&self, seq: u64) -> Result<Option<OutboxEntry>, LocalError> {
        Ok(self.outbox.borrow().get(&seq).cloned())
    }
    async fn complete(&self, pushed: &OutboxEntry, answer: &[Change]) -> Result<Vec<Change>, LocalError> {
        let stored = self.outbox.borrow().get(&pushed.seq).cloned();
        let (keep, changes) = after_push(stored.as_ref(), pushed, answer);
        match keep {
            Some(e) => self.outbox.borrow_mut().insert(e.seq, e),
            None => self.outbox.borrow_mut().remove(&pushed.seq),
        };
        self.write(&changes);
        Ok(changes)
    }
    async fn update_entry(&self, entry: &OutboxEntry, changes: &[Change]) -> Result<bool, LocalError> {
        if self.outbox.borrow().get(&entry.seq).is_none_or(|s| s.rev != entry.rev) {
            return Ok(false);
        }
        self.outbox.borrow_mut().insert(entry.seq, entry.clone());
        self.write(changes);
        Ok(true)
    }
    async fn rename_customer(&self, old: &str, new: &str) -> Result<Vec<Change>, LocalError> {
        let mut changes = Vec::new();
        for e in self.outbox.borrow_mut().values_mut() {
            if e.entity != Entity::Customers && rename_customer_ref(e, old, new) {
                changes.extend(e.current_record().map(Change::Upsert));
            }
        }
        self.write(&changes);
        Ok(changes)
    }
    async fn checkpoint(&self, entity: Entity) -> Result<Option<String>, LocalError> {
        Ok(self.checkpoints.borrow().get(&entity).cloned())
    }
    async fn set_checkpoint(&self, entity: Entity, value: Option<&str>) -> Result<(), LocalError> {
        match value {
            Some(v) => self.checkpoints.borrow_mut().insert(entity, v.to_string()),
            None => self.checkpoints.borrow_mut().remove(&entity),
        };
        Ok(())
    }
    async fn reconciled_at(&self, entity: Entity) -> Result<Option<DateTime<Utc>>, LocalError> {
        Ok(self.reconciled.borrow().get(&entity).copied())
    }
    async fn set_reconciled_at(&self, entity: Entity, at: Option<DateTime<Utc>>) -> Result<(), LocalError> {
        match at {
            Some(t) => self.reconciled.borrow_mut().insert(entity, t),
            None => self.reconciled.borrow_mut().remove(&entity),
        };
        Ok(())
    }
}
