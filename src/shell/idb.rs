//! The IndexedDB cache of one workspace (database `kehu:<workspace>`), through indexed_db_futures.
//!
//! Layout (schema 2): each entity has a store of 256 *buckets*; a record lives in bucket
//! `fnv1a(id) % 256`. A bucket row holds its records' JSON texts (`j`, joined by U+0001, as
//! UTF-8 bytes; rows that earlier builds wrote as strings are read too), their index fields as
//! JSON (`m`), and arrays with multiEntry indexes (`id`, `cid`, `name`, `region`, `owner`,
//! `updated`) for look-ups by those fields. Reading a whole workspace is then
//! a few hundred rows, not one row per record — per-row cost dominates IndexedDB (≈ 80 µs per
//! put, 20 µs per read in Chromium here). `outbox` keeps one row per entry (`{seq, rid, j}`,
//! unique index on `rid`), `meta` key → text, `files` attachments. A bucket's records' data
//! problems (fields a backend sent that could not be read) live in the same store under the key
//! `problems:<bucket>` (a JSON text: id → problems), written in the transaction that writes the
//! records; clean buckets have none, and text keys sort after every numeric bucket key. Schema 1 stored one row per
//! record (`{id, j}`) in stores named after the entities; opening such a database moves its
//! records into buckets, one entity per transaction, then empties the old stores.
//!
//! Every local edit writes its record and its outbox entry in one transaction.

use crate::core::lenient::{Problems, ReadNote, RecordProblems, keep_first_seen, still_wrong};
use crate::core::model::Timestamp;
use crate::core::model::{Dataset, Entity};
use crate::core::record::Change;
use crate::core::record::{BadRecord, IndexFields, Record};
use crate::core::sync::local::{Local, LocalError, SaveError};
use crate::core::sync::outbox::{Edit, EntryState, Op, OutboxChange, OutboxEntry, after_push, record_edit};
use indexed_db_futures::database::Database;
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::prelude::*;
use js_sys::{Object, Reflect};
use std::collections::BTreeMap;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

pub const SCHEMA_VERSION: u32 = 2;
pub const OUTBOX: &str = "outbox";
pub const META: &str = "meta";
pub const FILES: &str = "files";
pub const BUCKETS: u32 = 256;

const SEP: char = '\u{1}';

#[wasm_bindgen(inline_js = r#"
export function kehu_bucket(metas, texts) {
  const m = JSON.parse(metas);
  // The records' text as UTF-8 bytes (a copy: `texts` is a view of wasm memory).
  const row = { m: metas, j: texts.slice(), id: [], cid: [], name: [], region: [], owner: [], updated: [] };
  for (const x of m) {
    row.id.push(x.id);
    for (const k of ["cid", "name", "region", "owner", "updated"]) if (typeof x[k] === "string") row[k].push(x[k]);
  }
  return row;
}
export function kehu_field(row, key) {
  return row && typeof row[key] === "string" ? row[key] : "";
}
const kehuEncoder = new TextEncoder();
export function kehu_bytes(row, key) {
  const v = row ? row[key] : undefined;
  if (v instanceof Uint8Array) return v;
  return kehuEncoder.encode(typeof v === "string" ? v : "");
}
export function kehu_join(rows, key) {
  let out = "", first = true;
  for (const r of rows) {
    const t = r && typeof r[key] === "string" ? r[key] : "";
    if (t === "") continue;
    out += first ? t : "\u0001" + t;
    first = false;
  }
  return out;
}
export function kehu_join_ids(rows) {
  let out = [];
  for (const r of rows) if (r && Array.isArray(r.id)) for (const id of r.id) out.push(id);
  return out.join("\u0001");
}
"#)]
extern "C" {
    fn kehu_bucket(metas: &str, texts: &[u8]) -> JsValue;
    fn kehu_field(row: &JsValue, key: &str) -> String;
    fn kehu_bytes(row: &JsValue, key: &str) -> Vec<u8>;
    fn kehu_join(rows: &JsValue, key: &str) -> String;
    fn kehu_join_ids(rows: &JsValue) -> String;
}

pub fn db_name(workspace: &str) -> String {
    format!("kehu:{workspace}")
}

fn bucket_store(e: Entity) -> String {
    format!("bucket:{}", e.as_str())
}

/// The bucket of a record id (FNV-1a, stable across versions and platforms).
pub fn bucket_of(id: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in id.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h % BUCKETS
}

fn jsv_err(e: JsValue) -> LocalError {
    let dom = e.dyn_ref::<web_sys::DomException>();
    let name = dom.map(|d| d.name()).unwrap_or_default();
    let message = dom.map(|d| d.message()).or_else(|| e.as_string()).unwrap_or_else(|| format!("{e:?}"));
    if name == "QuotaExceededError" { LocalError::QuotaExceeded } else { LocalError::Storage(message) }
}

fn js_err(e: impl std::fmt::Debug + std::fmt::Display) -> LocalError {
    if format!("{e:?}").contains("QuotaExceeded") {
        LocalError::QuotaExceeded
    } else {
        LocalError::Storage(e.to_string())
    }
}

/// A promise resolved with an IDB request's result (or rejected with its error).
fn idb_promise(req: web_sys::IdbRequest) -> js_sys::Promise {
    js_sys::Promise::new(&mut |resolve, reject| {
        let r2 = req.clone();
        let ok = wasm_bindgen::closure::Closure::once_into_js(move |_e: web_sys::Event| {
            let _ = resolve.call1(&JsValue::UNDEFINED, &r2.result().unwrap_or(JsValue::UNDEFINED));
        });
        let r3 = req.clone();
        let fail = wasm_bindgen::closure::Closure::once_into_js(move |_e: web_sys::Event| {
            let err = r3.error().ok().flatten().map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
            let _ = reject.call1(&JsValue::UNDEFINED, &err);
        });
        req.set_onsuccess(Some(ok.unchecked_ref()));
        req.set_onerror(Some(fail.unchecked_ref()));
    })
}

async fn request(req: Result<web_sys::IdbRequest, JsValue>) -> Result<JsValue, LocalError> {
    wasm_bindgen_futures::JsFuture::from(idb_promise(req.map_err(jsv_err)?)).await.map_err(jsv_err)
}

/// The longest a slice of decoding the cache at start-up runs before it lets the page breathe.
const LOAD_SLICE_MS: f64 = 25.0;

/// Buckets per read of a store at start-up.
const LOAD_PAGE: u32 = 8;

/// One bucket's records: texts and index fields, aligned.
#[derive(Default)]
struct Bucket {
    metas: Vec<IndexFields>,
    texts: Vec<String>,
}

impl Bucket {
    fn from_row(row: &JsValue) -> Bucket {
        if row.is_undefined() || row.is_null() {
            return Bucket::default();
        }
        let metas: Vec<IndexFields> = serde_json::from_str(&kehu_field(row, "m")).unwrap_or_default();
        let j = row_text(row);
        let texts: Vec<String> = if j.is_empty() { vec![] } else { j.split(SEP).map(str::to_string).collect() };
        if metas.len() != texts.len() {
            // A damaged row: keep what can be matched rather than mis-pairing records.
            let n = metas.len().min(texts.len());
            return Bucket { metas: metas.into_iter().take(n).collect(), texts: texts.into_iter().take(n).collect() };
        }
        Bucket { metas, texts }
    }

    fn to_row(&self) -> JsValue {
        let metas = serde_json::to_string(&self.metas).unwrap_or_else(|_| "[]".into());
        kehu_bucket(&metas, self.texts.join("\u{1}").as_bytes())
    }

    fn position(&self, id: &str) -> Option<usize> {
        self.metas.iter().position(|m| m.id == id)
    }

    fn upsert(&mut self, r: &Record) {
        let (meta, text) = (r.index_fields(), r.to_json_string());
        match self.position(r.id()) {
            Some(p) => {
                self.metas[p] = meta;
                self.texts[p] = text;
            }
            None => {
                self.metas.push(meta);
                self.texts.push(text);
            }
        }
    }

    fn remove(&mut self, id: &str) {
        if let Some(p) = self.position(id) {
            self.metas.remove(p);
            self.texts.remove(p);
        }
    }

    fn get(&self, entity: Entity, id: &str) -> Option<Record> {
        self.position(id).and_then(|p| Record::from_json_str(entity, &self.texts[p]).ok())
    }
}

/// A bucket row's records as text. Rows hold UTF-8 bytes: half the size of a JS string of
/// Chinese text, and they cross into wasm as a copy rather than a re-encoding. Rows written as
/// strings (before this layout) are still read.
fn row_text(row: &JsValue) -> String {
    String::from_utf8(kehu_bytes(row, "j")).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

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

/// What each schema version creates.
fn upgrade(db: &Database, old: u32, new: u32) -> indexed_db_futures::Result<()> {
    if new == 1 {
        // Schema 1 (kept so older databases can be read, and for the migration test).
        for e in Entity::ALL {
            db.create_object_store(e.as_str()).with_key_path("id".into()).build()?;
        }
        db.create_object_store(OUTBOX).with_key_path("seq".into()).build()?;
        db.create_object_store(META).build()?;
        return Ok(());
    }
    if old < 1 {
        db.create_object_store(META).build()?;
    }
    // Schema 2: bucket stores with their indexes, files, and the outbox's record index.
    let files = db.create_object_store(FILES).build()?;
    for &e in Entity::ALL {
        let store = db.create_object_store(&bucket_store(e)).build()?;
        for field in ["id", "cid", "name", "region", "owner", "updated"] {
            store.create_index(field, field.into()).with_multi_entry(true).build()?;
        }
    }
    let outbox = if old < 1 {
        db.create_object_store(OUTBOX).with_key_path("seq".into()).build()?
    } else {
        files.transaction().object_store(OUTBOX)?
    };
    outbox.create_index("rid", "rid".into()).with_unique(true).build()?;
    Ok(())
}

pub struct Cache {
    db: Database,
}

impl Cache {
    pub async fn open(workspace: &str) -> Result<Cache, LocalError> {
        Cache::open_named(&db_name(workspace), SCHEMA_VERSION).await
    }

    /// Opens (creating or upgrading) a database at a schema version, migrating schema-1 data.
    pub async fn open_named(name: &str, version: u32) -> Result<Cache, LocalError> {
        let cache = Cache::connect(name, version).await?;
        if cache.needs_migration() {
            cache.migrate_rows().await?;
        }
        Ok(cache)
    }

    /// Opens a workspace's database without moving schema-1 rows yet: the app fetches the code
    /// that moves them (`migrate_rows`) only when `needs_migration` says there are some.
    pub async fn open_unmigrated(workspace: &str) -> Result<Cache, LocalError> {
        Cache::connect(&db_name(workspace), SCHEMA_VERSION).await
    }

    /// Whether the database still has schema-1 stores (an upgraded one; they may be emptied
    /// already: `migrate_rows` then does nothing).
    pub fn needs_migration(&self) -> bool {
        let names = self.store_names();
        self.version() >= 2 && Entity::ALL.iter().any(|e| names.iter().any(|n| n == e.as_str()))
    }

    async fn connect(name: &str, version: u32) -> Result<Cache, LocalError> {
        let db = Database::open(name)
            .with_version(version)
            .with_on_upgrade_needed(move |event, db| {
                let old = event.old_version() as u32;
                let new = event.new_version().map(|v| v as u32).unwrap_or(version);
                upgrade(&db, old, new)
            })
            .await
            .map_err(js_err)?;
        let cache = Cache { db };
        kehu_close_on_versionchange(cache.raw());
        Ok(cache)
    }

    pub fn close(self) {
        self.db.close();
    }

    /// Closes the connection held behind a shared handle (before the database is deleted).
    pub fn close_shared(&self) {
        self.raw().close();
    }

    pub fn version(&self) -> u32 {
        self.db.version() as u32
    }

    pub fn store_names(&self) -> Vec<String> {
        self.db.object_store_names().collect()
    }

    fn raw(&self) -> &web_sys::IdbDatabase {
        self.db.as_sys().unchecked_ref()
    }

    fn tx(&self, stores: &[&str], write: bool) -> Result<web_sys::IdbTransaction, LocalError> {
        let names = js_sys::Array::new();
        for s in stores {
            names.push(&JsValue::from_str(s));
        }
        let mode = if write { web_sys::IdbTransactionMode::Readwrite } else { web_sys::IdbTransactionMode::Readonly };
        self.raw().transaction_with_str_sequence_and_mode(&names, mode).map_err(jsv_err)
    }

    /// Moves schema-1 rows (one per record) into buckets: per entity, one transaction that
    /// reads them, writes the buckets and empties the old store. Safe to interrupt and re-run.
    pub async fn migrate_rows(&self) -> Result<(), LocalError> {
        let names = self.store_names();
        for &e in Entity::ALL {
            if !names.iter().any(|n| n == e.as_str()) {
                continue;
            }
            let tx = self.tx(&[e.as_str(), &bucket_store(e)], true)?;
            let old = tx.object_store(e.as_str()).map_err(jsv_err)?;
            let rows = request(old.get_all()).await?;
            let texts = kehu_join(&rows, "j");
            if texts.is_empty() {
                continue;
            }
            let records: Vec<Record> = texts.split(SEP).filter_map(|t| Record::from_json_str(e, t).ok()).collect();
            let changes: Vec<Change> = records.into_iter().map(Change::Upsert).collect();
            fill_buckets(&tx, e, &changes).await?; // a schema-1 cache has no data problems
            old.clear().map_err(jsv_err)?;
            commit(tx).await?;
        }
        Ok(())
    }

    /// Reads every record: one `getAll` of a few hundred bucket rows per entity. Unreadable
    /// records are reported, not fatal.
    pub async fn load(&self) -> Result<(Dataset, Vec<BadRecord>), LocalError> {
        let stores: Vec<String> = Entity::ALL.iter().map(|&e| bucket_store(e)).collect();
        let refs: Vec<&str> = stores.iter().map(String::as_str).collect();
        let tx = self.tx(&refs, false)?;
        // Every store's read is asked for at once, in the one transaction (a consistent
        // snapshot); the rows are then decoded in slices of about 25 ms, each its own task, so
        // a cache of millions of records never holds the main thread for seconds (the loading
        // screen stays live, and a tablet's browser never calls the page unresponsive).
        // A store is read in pages of buckets: the browser hands each page over in a task of
        // its own (one `getAll` of a million orders is a second-long task of its own).
        let mut reads = Vec::with_capacity(Entity::ALL.len() * (BUCKETS / LOAD_PAGE) as usize);
        for &entity in Entity::ALL {
            let store = tx.object_store(&bucket_store(entity)).map_err(jsv_err)?;
            for lo in (0..BUCKETS).step_by(LOAD_PAGE as usize) {
                let hi = lo + LOAD_PAGE - 1;
                // The first and last pages are open-ended: no row is left out, whatever its key.
                let key = |k: u32| JsValue::from_f64(f64::from(k));
                let range = match (lo == 0, hi + 1 >= BUCKETS) {
                    (true, true) => None,
                    (true, false) => Some(web_sys::IdbKeyRange::upper_bound(&key(hi))),
                    (false, true) => Some(web_sys::IdbKeyRange::lower_bound(&key(lo))),
                    (false, false) => Some(web_sys::IdbKeyRange::bound(&key(lo), &key(hi))),
                };
                let req = match range {
                    None => store.get_all(),
                    Some(r) => store.get_all_with_key(&r.map_err(jsv_err)?.into()),
                }
                .map_err(jsv_err)?;
                reads.push((entity, wasm_bindgen_futures::JsFuture::from(idb_promise(req))));
            }
        }
        let mut data = Dataset::default();
        let mut bad = Vec::new();
        let mut slice_start = js_sys::Date::now();
        for (entity, read) in reads {
            let rows: js_sys::Array = read.await.map_err(jsv_err)?.unchecked_into();
            // One bucket's text at a time crosses into wasm (no whole-store string).
            for row in rows.iter() {
                let texts = row_text(&row);
                if texts.is_empty() {
                    continue;
                }
                for text in texts.split(SEP) {
                    match Record::from_json_str(entity, text) {
                        Ok(r) => r.push_into(&mut data),
                        Err(b) => bad.push(b),
                    }
                }
                if js_sys::Date::now() - slice_start > LOAD_SLICE_MS {
                    crate::shell::next_task().await;
                    slice_start = js_sys::Date::now();
                }
            }
        }
        Ok((data, bad))
    }

    /// Writes many records, one transaction per entity: the initial fill of a cache whose records
    /// have no data problems (the demo's). Problem rows are not looked at, which keeps that code
    /// out of the demo worker.
    pub async fn fill(&self, records: impl IntoIterator<Item = Record>) -> Result<usize, LocalError> {
        let mut by_entity: BTreeMap<Entity, Vec<Change>> = BTreeMap::new();
        let mut n = 0;
        for r in records {
            n += 1;
            by_entity.entry(r.entity()).or_default().push(Change::Upsert(r));
        }
        for (&e, changes) in &by_entity {
            let tx = self.tx(&[&bucket_store(e)], true)?;
            fill_buckets(&tx, e, changes).await?;
            commit(tx).await?;
        }
        Ok(n)
    }

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

    /// Every record's stored data problems: only the problem rows are read (none in a cache
    /// whose records were all read clean).
    pub async fn problems(&self) -> Result<Problems, LocalError> {
        let stores: Vec<String> = Entity::ALL.iter().map(|&e| bucket_store(e)).collect();
        let refs: Vec<&str> = stores.iter().map(String::as_str).collect();
        let tx = self.tx(&refs, false)?;
        let mut out = Problems::default();
        for &entity in Entity::ALL {
            let store = tx.object_store(&bucket_store(entity)).map_err(jsv_err)?;
            let rows: js_sys::Array = request(store.get_all_with_key(&problem_range()?.into())).await?.unchecked_into();
            for row in rows.iter() {
                for (id, p) in parse_problems(&row) {
                    out.insert(entity, id, p);
                }
            }
        }
        Ok(out)
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

    pub async fn get_meta(&self, key: &str) -> Result<Option<String>, LocalError> {
        self.get_text(META, key).await
    }

    pub async fn set_meta(&self, key: &str, value: Option<&str>) -> Result<(), LocalError> {
        self.set_text(META, key, value).await
    }

    /// A text value of a key/value store (`meta`, `files`).
    async fn get_text(&self, store: &str, key: &str) -> Result<Option<String>, LocalError> {
        let tx = self.tx(&[store], false)?;
        let store = tx.object_store(store).map_err(jsv_err)?;
        Ok(request(store.get(&JsValue::from_str(key))).await?.as_string())
    }

    /// Stores (or with `None` deletes) a text value of a key/value store.
    async fn set_text(&self, store: &str, key: &str, value: Option<&str>) -> Result<(), LocalError> {
        let tx = self.tx(&[store], true)?;
        let store = tx.object_store(store).map_err(jsv_err)?;
        match value {
            Some(v) => store.put_with_key(&JsValue::from_str(v), &JsValue::from_str(key)).map_err(jsv_err)?,
            None => store.delete(&JsValue::from_str(key)).map_err(jsv_err)?,
        };
        commit(tx).await
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

    /// Buckets that hold records of a customer, through the multiEntry `cid` index.
    pub async fn buckets_of_customer(&self, entity: Entity, customer_id: &str) -> Result<u32, LocalError> {
        let tx = self.tx(&[&bucket_store(entity)], false)?;
        let store = tx.object_store(&bucket_store(entity)).map_err(jsv_err)?;
        let index = store.index("cid").map_err(jsv_err)?;
        let n = request(index.count_with_key(&JsValue::from_str(customer_id))).await?;
        Ok(n.as_f64().unwrap_or(0.0) as u32)
    }
}

/// Applies record changes of any entities inside `tx` (which must cover their bucket stores).
async fn write_changes(tx: &web_sys::IdbTransaction, changes: &[Change]) -> Result<(), LocalError> {
    let mut entities: Vec<Entity> = changes.iter().map(change_entity).collect();
    entities.sort_unstable();
    entities.dedup();
    for e in entities {
        let mine: Vec<Change> = changes.iter().filter(|c| change_entity(c) == e).cloned().collect();
        write_buckets(tx, e, &mine, &Reading::Edit).await?;
    }
    Ok(())
}

fn change_entity(c: &Change) -> Entity {
    match c {
        Change::Upsert(r) => r.entity(),
        Change::Remove(e, _) => *e,
    }
}

/// Upserts records of one entity into their buckets inside `tx`, leaving problem rows alone
/// (see [`Cache::fill`]; also the migration from schema 1, which had none).
async fn fill_buckets(tx: &web_sys::IdbTransaction, e: Entity, changes: &[Change]) -> Result<(), LocalError> {
    let store = tx.object_store(&bucket_store(e)).map_err(jsv_err)?;
    let mut touched: BTreeMap<u32, Vec<&Record>> = BTreeMap::new();
    for c in changes {
        if let Change::Upsert(r) = c {
            touched.entry(bucket_of(r.id())).or_default().push(r);
        }
    }
    let keys: Vec<u32> = touched.keys().copied().collect();
    let pending: Vec<_> = keys
        .iter()
        .map(|&k| store.get(&JsValue::from_f64(f64::from(k))).map(idb_promise).map_err(jsv_err))
        .collect::<Result<_, _>>()?;
    for (k, p) in keys.into_iter().zip(pending) {
        let mut bucket = Bucket::from_row(&wasm_bindgen_futures::JsFuture::from(p).await.map_err(jsv_err)?);
        for r in touched.get(&k).into_iter().flatten() {
            bucket.upsert(r);
        }
        store.put_with_key(&bucket.to_row(), &JsValue::from_f64(f64::from(k))).map_err(jsv_err)?;
    }
    Ok(())
}

/// How a write treats the data problems stored with its records.
enum Reading<'a> {
    /// A local edit, a server's answer to one, a removal: a record keeps the problems of the
    /// fields that hold the same value as before ([`still_wrong`]).
    Edit,
    /// Records read from the backend: their problems become the ones noted (a record without a
    /// note was read clean: none), and their `first_seen` fields keep the cached values.
    Pulled(&'a std::collections::HashMap<(Entity, &'a str), &'a ReadNote>),
}

/// The key of a bucket's data-problems row (in the bucket's own store).
fn problem_key(bucket: u32) -> JsValue {
    JsValue::from_str(&format!("problems:{bucket}"))
}

/// Every problem row's key (`problems:` up to, not including, `problems;`).
fn problem_range() -> Result<web_sys::IdbKeyRange, LocalError> {
    web_sys::IdbKeyRange::bound_with_lower_open_and_upper_open(
        &JsValue::from_str("problems:"),
        &JsValue::from_str("problems;"),
        false,
        true,
    )
    .map_err(jsv_err)
}

/// A problem row (JSON text: record id → its problems); anything unreadable counts as none.
fn parse_problems(row: &JsValue) -> BTreeMap<String, RecordProblems> {
    row.as_string().and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default()
}

/// Writes a bucket's problem row, or deletes it when no record of the bucket has problems.
fn put_problems(
    store: &web_sys::IdbObjectStore,
    key: &JsValue,
    problems: &BTreeMap<String, RecordProblems>,
) -> Result<(), LocalError> {
    if problems.is_empty() {
        store.delete(key).map_err(jsv_err)?;
    } else {
        let text = serde_json::to_string(problems).unwrap_or_else(|_| "{}".into());
        store.put_with_key(&JsValue::from_str(&text), key).map_err(jsv_err)?;
    }
    Ok(())
}

/// Applies changes of one entity to its buckets inside `tx`: reads each touched bucket,
/// modifies it, writes it back, with its records' data problems (see [`Reading`]). Returns the
/// changes as written (pulled records with their first-seen times kept).
async fn write_buckets(
    tx: &web_sys::IdbTransaction,
    e: Entity,
    changes: &[Change],
    reading: &Reading<'_>,
) -> Result<Vec<Change>, LocalError> {
    let store = tx.object_store(&bucket_store(e)).map_err(jsv_err)?;
    let mut touched: BTreeMap<u32, Vec<&Change>> = BTreeMap::new();
    for c in changes {
        let id = match c {
            Change::Upsert(r) => r.id(),
            Change::Remove(_, id) => id.as_str(),
        };
        touched.entry(bucket_of(id)).or_default().push(c);
    }
    // Which buckets have problem rows: one request, answered with nothing for a clean cache.
    let keys: js_sys::Array = request(store.get_all_keys_with_key(&problem_range()?.into())).await?.unchecked_into();
    let with_problems: std::collections::HashSet<u32> =
        keys.iter().filter_map(|k| k.as_string()?.strip_prefix("problems:")?.parse().ok()).collect();
    // Ask for every touched bucket (and its problem row, if it has one) at once, then rewrite them.
    let keys: Vec<u32> = touched.keys().copied().collect();
    let get = |key: &JsValue| store.get(key).map(idb_promise).map_err(jsv_err);
    let pending: Vec<_> = keys
        .iter()
        .map(|&k| {
            let row = get(&JsValue::from_f64(f64::from(k)))?;
            let problems = if with_problems.contains(&k) { Some(get(&problem_key(k))?) } else { None };
            Ok((row, problems))
        })
        .collect::<Result<_, LocalError>>()?;
    let mut written = Vec::with_capacity(changes.len());
    for (k, (row, problem_row)) in keys.into_iter().zip(pending) {
        let row = wasm_bindgen_futures::JsFuture::from(row).await.map_err(jsv_err)?;
        let mut problems = match problem_row {
            Some(p) => parse_problems(&wasm_bindgen_futures::JsFuture::from(p).await.map_err(jsv_err)?),
            None => BTreeMap::new(),
        };
        let mut dirty = false;
        let mut bucket = Bucket::from_row(&row);
        for c in touched.get(&k).into_iter().flatten() {
            match (c, reading) {
                (Change::Upsert(r), Reading::Pulled(notes)) => {
                    let note = notes.get(&(e, r.id())).copied();
                    let r = match note.filter(|n| !n.first_seen.is_empty()) {
                        Some(n) => keep_first_seen(r.clone(), bucket.get(e, r.id()).as_ref(), &n.first_seen),
                        None => r.clone(),
                    };
                    match note.filter(|n| !n.problems.is_empty()) {
                        Some(n) => {
                            problems.insert(r.id().to_string(), n.stored());
                            dirty = true;
                        }
                        None => dirty |= problems.remove(r.id()).is_some(),
                    }
                    bucket.upsert(&r);
                    written.push(Change::Upsert(r));
                }
                (Change::Upsert(r), Reading::Edit) => {
                    if let Some(stored) = problems.get_mut(r.id()) {
                        let kept = match bucket.get(e, r.id()) {
                            Some(old) => still_wrong(&stored.problems, &old, r),
                            None => Vec::new(),
                        };
                        if kept.len() != stored.problems.len() {
                            dirty = true;
                            stored.problems = kept;
                            if stored.problems.is_empty() {
                                problems.remove(r.id());
                            }
                        }
                    }
                    bucket.upsert(r);
                    written.push((*c).clone());
                }
                (Change::Remove(_, id), _) => {
                    bucket.remove(id);
                    dirty |= problems.remove(id).is_some();
                    written.push((*c).clone());
                }
            }
        }
        store.put_with_key(&bucket.to_row(), &JsValue::from_f64(f64::from(k))).map_err(jsv_err)?;
        if dirty {
            put_problems(&store, &problem_key(k), &problems)?;
        }
    }
    Ok(written)
}

/// Commits and waits until the transaction is durable (or reports why it was aborted).
async fn commit(tx: web_sys::IdbTransaction) -> Result<(), LocalError> {
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        let ok = wasm_bindgen::closure::Closure::once_into_js(move |_e: web_sys::Event| {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        });
        let t2 = tx.clone();
        let reject2 = reject.clone();
        let fail = wasm_bindgen::closure::Closure::once_into_js(move |_e: web_sys::Event| {
            let err = t2.error().map(JsValue::from).unwrap_or_else(|| JsValue::from_str("transaction aborted"));
            let _ = reject2.call1(&JsValue::UNDEFINED, &err);
        });
        let t3 = tx.clone();
        let abort = wasm_bindgen::closure::Closure::once_into_js(move |_e: web_sys::Event| {
            let err = t3.error().map(JsValue::from).unwrap_or_else(|| JsValue::from_str("transaction aborted"));
            let _ = reject.call1(&JsValue::UNDEFINED, &err);
        });
        tx.set_oncomplete(Some(ok.unchecked_ref()));
        tx.set_onerror(Some(fail.unchecked_ref()));
        tx.set_onabort(Some(abort.unchecked_ref()));
    });
    // No explicit commit(): the transaction commits itself once its last request is done.
    wasm_bindgen_futures::JsFuture::from(done).await.map(|_| ()).map_err(jsv_err)
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

    async fn rename_customer(&self, old: &str, new: &str) -> Result<Vec<Change>, LocalError> {
        let mut names: Vec<String> =
            Entity::ALL.iter().filter(|&&e| e != Entity::Customers).map(|&e| bucket_store(e)).collect();
        names.push(OUTBOX.into());
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let tx = self.tx(&refs, true)?;
        let store = tx.object_store(OUTBOX).map_err(jsv_err)?;
        let rows: js_sys::Array = request(store.get_all()).await?.unchecked_into();
        let mut changes = Vec::new();
        for mut e in rows.iter().filter_map(|r| parse_outbox_row(&r)) {
            if e.entity == Entity::Customers || !crate::core::sync::outbox::rename_customer_ref(&mut e, old, new) {
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

/// Deletes a workspace's database (sign-out wipe, tests).
pub async fn delete_database(name: &str) -> Result<(), LocalError> {
    Database::delete_by_name(name).map_err(js_err)?.await.map_err(js_err)
}

/// The names of this origin's IndexedDB databases (`indexedDB.databases()`; empty where the
/// browser cannot list them).
pub async fn database_names() -> Vec<String> {
    let list = async {
        let factory = Reflect::get(&js_sys::global(), &"indexedDB".into()).ok()?;
        let f: js_sys::Function = Reflect::get(&factory, &"databases".into()).ok()?.dyn_into().ok()?;
        let p: js_sys::Promise = f.call0(&factory).ok()?.dyn_into().ok()?;
        wasm_bindgen_futures::JsFuture::from(p).await.ok()
    };
    let Some(list) = list.await else { return Vec::new() };
    js_sys::Array::from(&list).iter().filter_map(|d| Reflect::get(&d, &"name".into()).ok()?.as_string()).collect()
}

/// Deletes every IndexedDB database of this origin, and the `known` ones in any case ("wipe this
/// device"). Other tabs close their connections when asked (`versionchange`, see
/// [`on_versionchange`]); a deletion still blocked by an open connection 3 s after the browser
/// said so stays queued (the browser completes it when that connection closes) and its database
/// is returned, so the page can tell the user to close the other tab or window.
pub async fn delete_all_databases(known: &[String]) -> Vec<String> {
    let mut names = database_names().await;
    for k in known {
        if !names.contains(k) {
            names.push(k.clone());
        }
    }
    let mut blocked = Vec::new();
    for name in names {
        let outcome = wasm_bindgen_futures::JsFuture::from(kehu_delete_db(&name, 3_000)).await;
        if outcome.ok().and_then(|v| v.as_string()).as_deref() == Some("blocked") {
            blocked.push(name);
        }
    }
    blocked
}

// Closing on `versionchange`, deleting with the `blocked` outcome, and counting outbox entries
// of any workspace, in a few lines of JS (the IDB events web-sys would need extra features for).
#[wasm_bindgen(inline_js = r#"
let onVersionChange = null;
export function kehu_on_versionchange(f) { onVersionChange = f; }
export function kehu_close_on_versionchange(db) {
  db.addEventListener("versionchange", (e) => {
    db.close();
    if (onVersionChange) onVersionChange(e.newVersion === null);
  });
}
export function kehu_delete_db(name, graceMs) {
  return new Promise((resolve) => {
    let req;
    try { req = indexedDB.deleteDatabase(name); } catch (_) { resolve("failed"); return; }
    let timer = null;
    req.onsuccess = () => { clearTimeout(timer); resolve("deleted"); };
    req.onerror = () => { clearTimeout(timer); resolve("failed"); };
    req.onblocked = () => { if (timer === null) timer = setTimeout(() => resolve("blocked"), graceMs); };
  });
}
export function kehu_outbox_count(name) {
  return new Promise((resolve) => {
    let req;
    try { req = indexedDB.open(name); } catch (_) { resolve(-1); return; }
    // A database that does not exist is not created.
    req.onupgradeneeded = () => req.transaction.abort();
    req.onerror = () => resolve(-1);
    req.onsuccess = () => {
      const db = req.result;
      const done = (n) => { db.close(); resolve(n); };
      try {
        if (!db.objectStoreNames.contains("outbox")) return done(0);
        const c = db.transaction("outbox").objectStore("outbox").count();
        c.onsuccess = () => done(c.result);
        c.onerror = () => done(-1);
      } catch (_) { done(-1); }
    };
  });
}
"#)]
extern "C" {
    fn kehu_on_versionchange(f: &js_sys::Function);
    fn kehu_close_on_versionchange(db: &JsValue);
    fn kehu_delete_db(name: &str, grace_ms: u32) -> js_sys::Promise;
    fn kehu_outbox_count(name: &str) -> js_sys::Promise;
}

/// Every open cache closes its connection when another tab deletes its database (a device wipe)
/// or upgrades it (a newer version of the app), so that tab is never blocked; `f(deleted)` runs
/// after, with `deleted` false for an upgrade. One handler per page; the last one set wins.
pub fn on_versionchange(f: impl Fn(bool) + 'static) {
    let cb = wasm_bindgen::closure::Closure::<dyn Fn(bool)>::new(f);
    kehu_on_versionchange(cb.as_ref().unchecked_ref());
    cb.forget(); // lives as long as the page
}

/// Unsynced changes (outbox entries) of every workspace on this device: `(database, count)` for
/// each Kehu database that has any. Unreadable databases count as none.
pub async fn unsynced_by_database() -> Vec<(String, u32)> {
    let mut out = Vec::new();
    for name in database_names().await {
        if !name.starts_with("kehu:") {
            continue;
        }
        let n = wasm_bindgen_futures::JsFuture::from(kehu_outbox_count(&name))
            .await
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(-1.0);
        if n >= 1.0 {
            out.push((name, n as u32));
        }
    }
    out
}

/// Attachments kept beside the records in the `files` store (a form draft's photos, which are
/// too big for `localStorage`): text by key.
impl Cache {
    pub async fn get_file(&self, key: &str) -> Result<Option<String>, LocalError> {
        self.get_text(FILES, key).await
    }

    /// Stores (or with `None` deletes) a file; `QuotaExceeded` when the device is full.
    pub async fn set_file(&self, key: &str, value: Option<&str>) -> Result<(), LocalError> {
        self.set_text(FILES, key, value).await
    }
}
