//! In memory, for sync tests: a cache with the same contract as the IndexedDB one (`MemLocal`:
//! one "transaction" per call, edits folded into the outbox exactly as `Cache::save` does) and a
//! backend (`MemRemote`: pages, reads, writes, scripted failures before or after a write is
//! applied, hooks to act "during" a call).
// Tests: a panic is the test failing; tables of cases have long tuple types.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

use chrono::{DateTime, Utc};
use kehu::core::lenient::{ReadNote, RecordProblems, keep_first_seen, still_wrong};
use kehu::core::model::Entity;
use kehu::core::record::BadRecord;
use kehu::core::record::Change;
use kehu::core::record::Record;
use kehu::core::sync::local::{Local, LocalError};
use kehu::core::sync::outbox::*;
use kehu::core::sync::remote::{Cursor, Page, PageRequest, Remote, RemoteError};
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, VecDeque};

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
    async fn rename_refs(&self, entity: Entity, old: &str, new: &str) -> Result<Vec<Change>, LocalError> {
        let mut changes = Vec::new();
        for e in self.outbox.borrow_mut().values_mut() {
            if rename_ref(e, entity, old, new) {
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

// ------------------------------------------------------------------------------------------
// An in-memory backend

/// A scripted failure: the next call of `op` fails with `error`; `applied` means the write
/// reached the server before the failure (a timeout after commit).
pub struct Failure {
    pub op: &'static str,
    pub error: RemoteError,
    pub applied: bool,
}

#[derive(Default)]
pub struct MemRemote {
    pub records: RefCell<BTreeMap<(Entity, String), (Record, u64)>>,
    pub clock: Cell<u64>,
    pub failures: RefCell<VecDeque<Failure>>,
    pub log: RefCell<Vec<String>>,
    /// The server assigns its own ids on create (like BottleCRM): to customers…
    pub assigns_ids: bool,
    /// …and, with this too, to every kind of record (`srv-<the client's id>`).
    pub assigns_all_ids: bool,
    /// The server de-duplicates a create sent again by its idempotency key (or keeps our id).
    pub idempotent_creates: bool,
    /// Creates of these kinds answer "created" without saying which record (BottleCRM's tasks):
    /// the record is stored under `srv-<the client's id>`, the answer names nothing.
    pub creates_without_id: Vec<Entity>,
    /// Lists can be asked for ids only.
    pub ids_only: bool,
    /// Kinds of record it keeps besides customers and contacts.
    pub more_kinds: Vec<Entity>,
    /// Collections the server does not have (404).
    pub missing: RefCell<Vec<Entity>>,
    pub incremental: bool,
    pub page_size: u32,
    /// Items that are not valid records, returned with the first page of customers.
    pub garbage: RefCell<Vec<BadRecord>>,
    /// Runs when a page is served (to act "during" a pull).
    pub on_list: RefCell<Option<Box<dyn FnMut()>>>,
    /// Runs when a write (create, update, delete) reaches the server, before it answers (to
    /// act "during" a push): the name of the operation.
    pub on_write: RefCell<Option<Box<dyn FnMut(&str)>>>,
    /// Runs when a single record is read.
    pub on_get: RefCell<Option<Box<dyn FnMut()>>>,
}

impl MemRemote {
    pub fn with(records: &[Record]) -> MemRemote {
        let r = MemRemote { page_size: 2, ..Default::default() };
        for rec in records {
            r.put(rec.clone());
        }
        r
    }
    pub fn put(&self, rec: Record) {
        self.clock.set(self.clock.get() + 1);
        self.records.borrow_mut().insert((rec.entity(), rec.id().to_string()), (rec, self.clock.get()));
    }
    pub fn during_write(&self, op: &str) {
        if let Some(f) = self.on_write.borrow_mut().as_mut() {
            f(op);
        }
    }
    pub fn fail(&self, op: &'static str, error: RemoteError, applied: bool) {
        self.failures.borrow_mut().push_back(Failure { op, error, applied });
    }
    pub fn check(&self, op: &'static str) -> Result<bool, RemoteError> {
        let mut f = self.failures.borrow_mut();
        match f.front() {
            Some(x) if x.op == op => {
                let x = f.pop_front().unwrap();
                if x.applied { Ok(true) } else { Err(x.error) }
            }
            _ => Ok(false),
        }
    }
    pub fn get_record(&self, e: Entity, id: &str) -> Option<Record> {
        self.records.borrow().get(&(e, id.to_string())).map(|(r, _)| r.clone())
    }
    pub fn calls(&self) -> Vec<String> {
        self.log.borrow().clone()
    }
}

pub fn timeout_after(applied: bool, op: &'static str) -> Failure {
    Failure { op, error: RemoteError::Timeout, applied }
}

impl Remote for MemRemote {
    fn entities(&self) -> Vec<Entity> {
        [Entity::Customers, Entity::Contacts].into_iter().chain(self.more_kinds.iter().copied()).collect()
    }
    fn incremental(&self, _: Entity) -> bool {
        self.incremental
    }
    fn page_size(&self) -> u32 {
        self.page_size
    }
    fn lists_ids(&self, _: Entity) -> bool {
        self.ids_only
    }
    fn create_is_idempotent(&self, _: Entity) -> bool {
        !self.assigns_ids || self.idempotent_creates
    }
    async fn list(&self, entity: Entity, req: &PageRequest) -> Result<Page, RemoteError> {
        let how = if req.ids_only {
            " ids"
        } else if req.modified_since.is_some() {
            " since"
        } else {
            ""
        };
        self.log.borrow_mut().push(format!("list {}{how} {:?}", entity.as_str(), req.cursor));
        self.check("list")?;
        if self.missing.borrow().contains(&entity) {
            return Err(RemoteError::NotFound);
        }
        if let Some(f) = self.on_list.borrow_mut().as_mut() {
            f();
        }
        // Version 0: a record created on the server with no modification time, which a "changed
        // since" filter never matches.
        let since: Option<u64> = req.modified_since.as_deref().and_then(|s| s.parse().ok());
        let all: Vec<(Record, u64)> = self
            .records
            .borrow()
            .values()
            .filter(|(r, v)| r.entity() == entity && since.is_none_or(|s| *v > s))
            .cloned()
            .collect();
        let start = match req.cursor {
            Cursor::Start => 0,
            Cursor::Offset(o) => o as usize,
            _ => return Err(RemoteError::Unsupported { reason: "cursor".into() }),
        };
        let end = (start + req.size as usize).min(all.len());
        let slice = &all[start.min(end)..end];
        let mut skipped = vec![];
        if entity == Entity::Customers && start == 0 {
            skipped = self.garbage.borrow().clone();
        }
        if req.ids_only {
            return Ok(Page {
                ids: slice.iter().map(|(r, _)| r.id().to_string()).collect(),
                total: Some(all.len() as u64),
                next: (end < all.len()).then_some(Cursor::Offset(end as u64)),
                ..Page::default()
            });
        }
        Ok(Page {
            records: slice.iter().map(|(r, _)| r.clone()).collect(),
            skipped,
            notes: vec![],
            total: Some(all.len() as u64),
            next: (end < all.len()).then_some(Cursor::Offset(end as u64)),
            max_modified: slice.iter().filter(|(_, v)| *v > 0).map(|(_, v)| format!("{v:06}")).max(),
            ids: vec![],
        })
    }
    async fn get(&self, entity: Entity, id: &str) -> Result<Option<Record>, RemoteError> {
        self.log.borrow_mut().push(format!("get {id}"));
        if let Some(f) = self.on_get.borrow_mut().as_mut() {
            f();
        }
        self.check("get")?;
        Ok(self.get_record(entity, id))
    }
    async fn create(&self, record: &Record, _op_id: &str) -> Result<Option<Record>, RemoteError> {
        self.log.borrow_mut().push(format!("create {}", record.id()));
        self.during_write("create");
        let applied = self.check("create")?;
        let mut rec = record.clone();
        if self.assigns_ids
            && let Record::Customers(c) = &mut rec
        {
            c.id = format!("srv-{}", c.id);
        } else if (self.assigns_ids && self.assigns_all_ids) || self.creates_without_id.contains(&rec.entity()) {
            let field = kehu::core::record::id_field(rec.entity());
            let mut json = rec.to_json();
            json[field] = serde_json::Value::String(format!("srv-{}", rec.id()));
            rec = Record::from_json(rec.entity(), json).expect("the same record with another id");
        }
        self.put(rec.clone());
        if applied {
            return Err(RemoteError::Timeout);
        }
        if self.creates_without_id.contains(&rec.entity()) {
            return Ok(None);
        }
        Ok(Some(rec))
    }
    async fn update(&self, record: &Record, changed: &[String]) -> Result<Record, RemoteError> {
        self.log.borrow_mut().push(format!("update {} {}", record.id(), changed.join(",")));
        self.during_write("update");
        let applied = self.check("update")?;
        self.put(record.clone());
        if applied {
            // Applied, and the answer lost on the way back.
            return Err(RemoteError::Server { status: 500, retry_after_secs: None });
        }
        Ok(record.clone())
    }
    async fn delete(&self, entity: Entity, id: &str) -> Result<(), RemoteError> {
        self.log.borrow_mut().push(format!("delete {id}"));
        let applied = self.check("delete")?;
        let gone = self.records.borrow_mut().remove(&(entity, id.to_string()));
        if applied {
            return Err(RemoteError::Server { status: 500, retry_after_secs: None });
        }
        match gone {
            Some(_) => Ok(()),
            None => Err(RemoteError::NotFound),
        }
    }
}
