//! The cache as the sync engine's `Local` (`core::sync::local`), and the local edits: a record
//! and its outbox entry written in one transaction (`save`, `import`, `write`), pulled records
//! written unless an edit waits for them; the outbox rows (`{seq, rid, j}`).

use super::bucket::{
    Bucket, Reading, bucket_of, bucket_store, change_entity, parse_problems, problem_key, put_problems, write_buckets,
    write_changes,
};
use super::raw::{SEP, commit, jsv_err, kehu_field, kehu_join, kehu_join_ids, request};
use super::{Cache, META, OUTBOX};
use crate::core::lenient::{ReadNote, still_wrong};
use crate::core::model::{Entity, Timestamp};
use crate::core::record::{Change, Record};
use crate::core::sync::local::{Local, LocalError, SaveError};
use crate::core::sync::outbox::{Edit, EntryState, Op, OutboxChange, OutboxEntry, after_push, record_edit};
use js_sys::{Object, Reflect};
use std::collections::BTreeMap;
use wasm_bindgen::{JsCast, JsValue};

fn set(obj: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

fn rid(entity: Entity, id: &str) -> String {
    format!("{}/{id}", entity.as_str())
}

fn outbox_row(entry: &OutboxEntry) -> JsValue {
    let obj = Object::new();
    set(&obj, "seq", &JsValue::from_f64(entry.seq as f64));
    set(&obj, "rid", &JsValue::from_str(&rid(entry.entity, &entry.record_id)));
    set(&obj, "j", &JsValue::from_str(&serde_json::to_string(entry).unwrap_or_default()));
    obj.into()
}

/// An outbox row as an entry. A row that cannot be read (damaged, or written by a newer build)
/// is not hidden: it comes back as a rejected entry of its record, which the user can see and
/// discard, and which keeps pulls from overwriting that record meanwhile.
fn parse_outbox_row(row: &JsValue) -> Option<OutboxEntry> {
    let text = kehu_field(row, "j");
    if let Ok(e) = serde_json::from_str(&text) {
        return Some(e);
    }
    let seq = Reflect::get(row, &"seq".into()).ok()?.as_f64()? as u64;
    let rid = kehu_field(row, "rid");
    let (entity, id) = rid.split_once('/')?;
    let entity = Entity::parse(entity)?;
    let epoch = Timestamp::default();
    Some(OutboxEntry {
        seq,
        op_id: String::new(),
        entity,
        record_id: id.to_string(),
        op: Op::Update,
        base: None,
        current: None,
        created_at: epoch,
        updated_at: epoch,
        attempts: 0,
        not_before: None,
        last_error: None,
        state: EntryState::Rejected { status: None, message: String::new(), fields: vec![], error: None },
        rev: 0,
        sent: false,
        failure: None,
        unconfirmed: Vec::new(),
        created_unidentified: false,
    })
}

/// The stored entry at `seq` inside `tx` (its outbox store), if any.
async fn stored_entry(tx: &web_sys::IdbTransaction, seq: u64) -> Result<Option<OutboxEntry>, LocalError> {
    let store = tx.object_store(OUTBOX).map_err(jsv_err)?;
    let row = request(store.get(&JsValue::from_f64(seq as f64))).await?;
    Ok(if row.is_undefined() || row.is_null() { None } else { parse_outbox_row(&row) })
}

/// The next outbox position: after both the stored counter and the highest key in the store
/// (a database migrated from an older layout may have entries but no counter).
async fn next_seq(outbox: &web_sys::IdbObjectStore, meta: &web_sys::IdbObjectStore) -> Result<u64, LocalError> {
    let counter = request(meta.get(&JsValue::from_str("outbox_seq"))).await?.as_f64().unwrap_or(0.0) as u64;
    let keys: js_sys::Array = request(outbox.get_all_keys()).await?.unchecked_into();
    let highest = keys.iter().filter_map(|k| k.as_f64()).fold(0.0, f64::max) as u64;
    Ok(counter.max(highest) + 1)
}

impl Cache {
    /// One transaction: record changes, plus an outbox entry to put and/or one to remove.
    pub async fn write(
        &self,
        changes: &[Change],
        outbox: Option<(Option<&OutboxEntry>, Option<u64>)>,
    ) -> Result<(), LocalError> {
        if changes.is_empty() && outbox.is_none() {
            return Ok(());
        }
        let mut entities: Vec<Entity> = changes.iter().map(change_entity).collect();
        entities.sort_unstable();
        entities.dedup();
        let mut names: Vec<String> = entities.iter().map(|&e| bucket_store(e)).collect();
        if outbox.is_some() {
            names.push(OUTBOX.into());
        }
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let tx = self.tx(&refs, true)?;
        for &e in &entities {
            let mine: Vec<Change> = changes.iter().filter(|c| change_entity(c) == e).cloned().collect();
            write_buckets(&tx, e, &mine, &Reading::Edit).await?;
        }
        if let Some((put, remove)) = outbox {
            let store = tx.object_store(OUTBOX).map_err(jsv_err)?;
            if let Some(seq) = remove {
                store.delete(&JsValue::from_f64(seq as f64)).map_err(jsv_err)?;
            }
            if let Some(e) = put {
                store.put(&outbox_row(e)).map_err(jsv_err)?;
            }
        }
        commit(tx).await
    }

    /// Writes pulled changes, skipping records with an outbox entry — checked inside the same
    /// transaction, so an edit saved while a pull runs is never overwritten by it.
    pub async fn write_unless_waiting(&self, changes: &[Change]) -> Result<Vec<Change>, LocalError> {
        self.write_pulled(changes, None).await
    }

    /// [`Cache::write_unless_waiting`]; with `notes`, the changes are records read from the
    /// backend: their data problems are stored with them (see `Local::apply_pulled`).
    async fn write_pulled(&self, changes: &[Change], notes: Option<&[ReadNote]>) -> Result<Vec<Change>, LocalError> {
        if changes.is_empty() {
            return Ok(vec![]);
        }
        let mut entities: Vec<Entity> = changes.iter().map(change_entity).collect();
        entities.sort_unstable();
        entities.dedup();
        let mut names: Vec<String> = entities.iter().map(|&e| bucket_store(e)).collect();
        names.push(OUTBOX.into());
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let tx = self.tx(&refs, true)?;
        let rows = request(tx.object_store(OUTBOX).map_err(jsv_err)?.get_all()).await?;
        let rids = kehu_join(&rows, "rid");
        let waiting: std::collections::HashSet<&str> =
            if rids.is_empty() { Default::default() } else { rids.split(SEP).collect() };
        let applied: Vec<Change> = changes
            .iter()
            .filter(|c| {
                let (e, id) = match c {
                    Change::Upsert(r) => (r.entity(), r.id()),
                    Change::Remove(e, id) => (*e, id.as_str()),
                };
                !waiting.contains(rid(e, id).as_str())
            })
            .cloned()
            .collect();
        let by_id: Option<std::collections::HashMap<(Entity, &str), &ReadNote>> =
            notes.map(|n| n.iter().map(|x| ((x.entity, x.id.as_str()), x)).collect());
        let mut written = Vec::with_capacity(applied.len());
        for &e in &entities {
            let mine: Vec<Change> = applied.iter().filter(|c| change_entity(c) == e).cloned().collect();
            if !mine.is_empty() {
                let reading = match &by_id {
                    Some(notes) => Reading::Pulled(notes),
                    None => Reading::Edit,
                };
                written.extend(write_buckets(&tx, e, &mine, &reading).await?);
            }
        }
        commit(tx).await?;
        Ok(written)
    }

    /// Saves a local edit: the record and its outbox entry commit together or not at all.
    /// `seen` is the version the user edited (the outbox keeps it as the base to merge from);
    /// without it, the cached version is the base.
    pub async fn save(
        &self,
        edit: Edit,
        seen: Option<Record>,
        now: Timestamp,
        op_id: String,
    ) -> Result<Option<OutboxEntry>, SaveError> {
        let (entity, id) = {
            let (e, id) = edit.key();
            (e, id.to_string())
        };
        let tx = self.tx(&[&bucket_store(entity), OUTBOX, META], true)?;
        let buckets = tx.object_store(&bucket_store(entity)).map_err(jsv_err)?;
        let outbox = tx.object_store(OUTBOX).map_err(jsv_err)?;
        let meta = tx.object_store(META).map_err(jsv_err)?;
        let key = JsValue::from_f64(f64::from(bucket_of(&id)));
        let mut bucket = Bucket::from_row(&request(buckets.get(&key)).await?);
        let stored = bucket.get(entity, &id);
        let index = outbox.index("rid").map_err(jsv_err)?;
        let waiting = request(index.get(&JsValue::from_str(&rid(entity, &id)))).await?;
        let waiting = (!waiting.is_undefined()).then(|| parse_outbox_row(&waiting)).flatten();
        let seq = next_seq(&outbox, &meta).await?;
        let local = match &edit {
            Edit::Create(r) | Edit::Update(r) => Some(r.clone()),
            Edit::Delete(..) => None,
        };
        let base = match (&edit, seen) {
            (Edit::Create(_), _) | (_, None) => stored,
            (_, Some(seen)) => Some(seen),
        };
        let change = record_edit(waiting.as_ref(), base.as_ref(), edit, now, seq, op_id).map_err(SaveError::Edit)?;
        // The record as the entry now has it (an edit folded into a waiting one is rebased).
        let local = match &change {
            OutboxChange::Add(e) | OutboxChange::Replace(e) if e.op != Op::Delete => e.current_record().or(local),
            _ => local,
        };
        // A field the user changed clears its data problem; a deleted record's go with it.
        let pkey = problem_key(bucket_of(&id));
        let mut problems = parse_problems(&request(buckets.get(&pkey)).await?);
        if let Some(stored) = problems.get_mut(&id) {
            match (&local, bucket.get(entity, &id)) {
                (Some(new), Some(old)) => stored.problems = still_wrong(&stored.problems, &old, new),
                _ => stored.problems.clear(),
            }
            if stored.problems.is_empty() {
                problems.remove(&id);
            }
            put_problems(&buckets, &pkey, &problems)?;
        }
        match &local {
            Some(r) => bucket.upsert(r),
            None => bucket.remove(&id),
        }
        buckets.put_with_key(&bucket.to_row(), &key).map_err(jsv_err)?;
        let kept = match change {
            OutboxChange::Add(e) => {
                meta.put_with_key(&JsValue::from_f64(seq as f64), &JsValue::from_str("outbox_seq")).map_err(jsv_err)?;
                outbox.put(&outbox_row(&e)).map_err(jsv_err)?;
                Some(e)
            }
            OutboxChange::Replace(e) => {
                outbox.put(&outbox_row(&e)).map_err(jsv_err)?;
                Some(e)
            }
            OutboxChange::Remove(seq) => {
                outbox.delete(&JsValue::from_f64(seq as f64)).map_err(jsv_err)?;
                None
            }
        };
        commit(tx).await?;
        Ok(kept)
    }

    /// Saves many records as local edits in one transaction (a CSV import): each becomes a
    /// create, or an update of the cached version, with its outbox entry; records identical to
    /// the cached version are skipped. Returns how many were saved. All or nothing.
    pub async fn import(
        &self,
        records: Vec<Record>,
        now: Timestamp,
        mut op_id: impl FnMut() -> String,
    ) -> Result<usize, SaveError> {
        let mut entities: Vec<Entity> = records.iter().map(Record::entity).collect();
        entities.sort_unstable();
        entities.dedup();
        if entities.is_empty() {
            return Ok(0);
        }
        let mut names: Vec<String> = entities.iter().map(|&e| bucket_store(e)).collect();
        names.push(OUTBOX.into());
        names.push(META.into());
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let tx = self.tx(&refs, true)?;
        let outbox = tx.object_store(OUTBOX).map_err(jsv_err)?;
        let meta = tx.object_store(META).map_err(jsv_err)?;
        let index = outbox.index("rid").map_err(jsv_err)?;
        let mut seq = next_seq(&outbox, &meta).await? - 1;
        let mut buckets: BTreeMap<(Entity, u32), Bucket> = BTreeMap::new();
        let mut saved = 0;
        for record in records {
            let (entity, id) = (record.entity(), record.id().to_string());
            let key = (entity, bucket_of(&id));
            if let std::collections::btree_map::Entry::Vacant(v) = buckets.entry(key) {
                let store = tx.object_store(&bucket_store(entity)).map_err(jsv_err)?;
                v.insert(Bucket::from_row(&request(store.get(&JsValue::from_f64(f64::from(key.1)))).await?));
            }
            let Some(bucket) = buckets.get_mut(&key) else { continue };
            let stored = bucket.get(entity, &id);
            if stored.as_ref() == Some(&record) {
                continue;
            }
            let waiting = request(index.get(&JsValue::from_str(&rid(entity, &id)))).await?;
            let waiting = (!waiting.is_undefined()).then(|| parse_outbox_row(&waiting)).flatten();
            let edit = if stored.is_some() || waiting.is_some() {
                Edit::Update(record.clone())
            } else {
                Edit::Create(record.clone())
            };
            let change =
                record_edit(waiting.as_ref(), stored.as_ref(), edit, now, seq + 1, op_id()).map_err(SaveError::Edit)?;
            match &change {
                OutboxChange::Add(e) | OutboxChange::Replace(e) => match e.current_record() {
                    Some(r) => bucket.upsert(&r),
                    None => bucket.upsert(&record),
                },
                OutboxChange::Remove(_) => bucket.upsert(&record),
            }
            match change {
                OutboxChange::Add(e) => {
                    seq += 1;
                    outbox.put(&outbox_row(&e)).map_err(jsv_err)?;
                }
                OutboxChange::Replace(e) => {
                    outbox.put(&outbox_row(&e)).map_err(jsv_err)?;
                }
                OutboxChange::Remove(s) => {
                    outbox.delete(&JsValue::from_f64(s as f64)).map_err(jsv_err)?;
                }
            }
            saved += 1;
        }
        for ((entity, b), bucket) in &buckets {
            let store = tx.object_store(&bucket_store(*entity)).map_err(jsv_err)?;
            store.put_with_key(&bucket.to_row(), &JsValue::from_f64(f64::from(*b))).map_err(jsv_err)?;
        }
        meta.put_with_key(&JsValue::from_f64(seq as f64), &JsValue::from_str("outbox_seq")).map_err(jsv_err)?;
        commit(tx).await?;
        Ok(saved)
    }

    /// Number of records of an entity (or rows of another store).
    pub async fn count(&self, entity: Entity) -> Result<usize, LocalError> {
        Ok(self.ids(entity).await?.len())
    }

    /// Replaces an outbox entry's row (state changes, conflict resolution) with record changes.
    pub async fn put_entry(&self, entry: &OutboxEntry, changes: &[Change]) -> Result<(), LocalError> {
        self.write(changes, Some((Some(entry), None))).await
    }

    /// Removes an outbox entry with record changes.
    pub async fn drop_entry(&self, seq: u64, changes: &[Change]) -> Result<(), LocalError> {
        self.write(changes, Some((None, Some(seq)))).await
    }
}

impl Local for Cache {
    async fn outbox(&self) -> Result<Vec<OutboxEntry>, LocalError> {
        let tx = self.tx(&[OUTBOX], false)?;
        let store = tx.object_store(OUTBOX).map_err(jsv_err)?;
        let rows: js_sys::Array = request(store.get_all()).await?.unchecked_into();
        let mut entries: Vec<OutboxEntry> = rows.iter().filter_map(|r| parse_outbox_row(&r)).collect();
        crate::core::sort::sort_by_key(&mut entries, |e| e.seq);
        Ok(entries)
    }

    async fn record(&self, entity: Entity, id: &str) -> Result<Option<Record>, LocalError> {
        let tx = self.tx(&[&bucket_store(entity)], false)?;
        let store = tx.object_store(&bucket_store(entity)).map_err(jsv_err)?;
        let row = request(store.get(&JsValue::from_f64(f64::from(bucket_of(id))))).await?;
        Ok(Bucket::from_row(&row).get(entity, id))
    }

    async fn ids(&self, entity: Entity) -> Result<Vec<String>, LocalError> {
        let tx = self.tx(&[&bucket_store(entity)], false)?;
        let store = tx.object_store(&bucket_store(entity)).map_err(jsv_err)?;
        let rows = request(store.get_all()).await?;
        let ids = kehu_join_ids(&rows);
        Ok(if ids.is_empty() { vec![] } else { ids.split(SEP).map(str::to_string).collect() })
    }

    async fn apply(&self, changes: &[Change]) -> Result<Vec<Change>, LocalError> {
        self.write_unless_waiting(changes).await
    }

    async fn apply_pulled(&self, changes: &[Change], notes: &[ReadNote]) -> Result<Vec<Change>, LocalError> {
        self.write_pulled(changes, Some(notes)).await
    }

    async fn entry(&self, seq: u64) -> Result<Option<OutboxEntry>, LocalError> {
        let tx = self.tx(&[OUTBOX], false)?;
        stored_entry(&tx, seq).await
    }

    async fn complete(&self, pushed: &OutboxEntry, answer: &[Change]) -> Result<Vec<Change>, LocalError> {
        // The entry is read again inside the transaction that settles it: an edit the user saves
        // meanwhile either lands before (and is kept, rebased) or waits for this one to commit.
        let mut names: Vec<String> =
            answer.iter().map(change_entity).chain([pushed.entity]).map(bucket_store).collect();
        names.sort();
        names.dedup();
        names.push(OUTBOX.into());
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let tx = self.tx(&refs, true)?;
        let stored = stored_entry(&tx, pushed.seq).await?;
        let (keep, changes) = after_push(stored.as_ref(), pushed, answer);
        write_changes(&tx, &changes).await?;
        let store = tx.object_store(OUTBOX).map_err(jsv_err)?;
        match &keep {
            Some(e) => store.put(&outbox_row(e)).map_err(jsv_err)?,
            None => store.delete(&JsValue::from_f64(pushed.seq as f64)).map_err(jsv_err)?,
        };
        commit(tx).await?;
        Ok(changes)
    }

    async fn update_entry(&self, entry: &OutboxEntry, changes: &[Change]) -> Result<bool, LocalError> {
        let mut names: Vec<String> = changes.iter().map(change_entity).map(bucket_store).collect();
        names.sort();
        names.dedup();
        names.push(OUTBOX.into());
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let tx = self.tx(&refs, true)?;
        let unchanged = stored_entry(&tx, entry.seq).await?.is_some_and(|s| s.rev == entry.rev);
        if !unchanged {
            // Nothing to write: let the transaction end empty.
            commit(tx).await?;
            return Ok(false);
        }
        write_changes(&tx, changes).await?;
        tx.object_store(OUTBOX).map_err(jsv_err)?.put(&outbox_row(entry)).map_err(jsv_err)?;
        commit(tx).await?;
        Ok(true)
    }

    async fn rename_refs(&self, entity: Entity, old: &str, new: &str) -> Result<Vec<Change>, LocalError> {
        let mut names: Vec<String> = Entity::ALL.iter().map(|&e| bucket_store(e)).collect();
        names.push(OUTBOX.into());
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let tx = self.tx(&refs, true)?;
        let store = tx.object_store(OUTBOX).map_err(jsv_err)?;
        let rows: js_sys::Array = request(store.get_all()).await?.unchecked_into();
        let mut changes = Vec::new();
        for mut e in rows.iter().filter_map(|r| parse_outbox_row(&r)) {
            if !crate::core::sync::outbox::rename_ref(&mut e, entity, old, new) {
                continue;
            }
            store.put(&outbox_row(&e)).map_err(jsv_err)?;
            changes.extend(e.current_record().map(Change::Upsert));
        }
        write_changes(&tx, &changes).await?;
        commit(tx).await?;
        Ok(changes)
    }

    async fn checkpoint(&self, entity: Entity) -> Result<Option<String>, LocalError> {
        self.get_meta(&format!("checkpoint:{}", entity.as_str())).await
    }

    async fn set_checkpoint(&self, entity: Entity, value: Option<&str>) -> Result<(), LocalError> {
        self.set_meta(&format!("checkpoint:{}", entity.as_str()), value).await
    }

    async fn reconciled_at(&self, entity: Entity) -> Result<Option<Timestamp>, LocalError> {
        let text = self.get_meta(&format!("reconciled:{}", entity.as_str())).await?;
        Ok(text.and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok()).map(|t| t.with_timezone(&chrono::Utc)))
    }

    async fn set_reconciled_at(&self, entity: Entity, at: Option<Timestamp>) -> Result<(), LocalError> {
        let text = at.map(|t| t.to_rfc3339());
        self.set_meta(&format!("reconciled:{}", entity.as_str()), text.as_deref()).await
    }
}
