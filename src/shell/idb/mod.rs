//! The IndexedDB cache of one workspace (database `kehu:<workspace>`), through indexed_db_futures.
//!
//! Layout (schema 2; schema 3 added the opportunities' store, schema 4 the tasks'; an upgrade
//! adds only what is missing): each entity has a store of 256 *buckets*; a record lives in bucket
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
//!
//! Files: `raw` (requests, transactions and errors; the JS glue), `bucket` (the bucket row
//! format), `local` (`impl Local`: edits with their outbox entries), `files` (attachments),
//! `wipe` (deleting databases, other tabs' `versionchange`, every workspace's outbox count).
//! This file: the schema, opening (upgrade, migration from schema 1) and reading whole stores.

mod bucket;
mod files;
mod local;
mod raw;
mod wipe;

pub use bucket::{BUCKETS, bucket_of};
pub use wipe::{database_names, delete_all_databases, delete_database, on_versionchange, unsynced_by_database};

use self::bucket::{bucket_store, fill_buckets, parse_problems, problem_range, row_text};
use self::raw::{SEP, commit, idb_promise, js_err, jsv_err, kehu_close_on_versionchange, kehu_join, request};
use crate::core::lenient::Problems;
use crate::core::model::{Dataset, Entity};
use crate::core::record::Change;
use crate::core::record::{BadRecord, Record};
use crate::core::sync::local::LocalError;
use indexed_db_futures::database::Database;
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::prelude::*;
use std::collections::BTreeMap;
use wasm_bindgen::{JsCast, JsValue};

pub const SCHEMA_VERSION: u32 = 4;
pub const OUTBOX: &str = "outbox";
pub const META: &str = "meta";
pub const FILES: &str = "files";

pub fn db_name(workspace: &str) -> String {
    format!("kehu:{workspace}")
}

/// The longest a slice of decoding the cache at start-up runs before it lets the page breathe.
const LOAD_SLICE_MS: f64 = 25.0;

/// Buckets per read of a store at start-up.
const LOAD_PAGE: u32 = 8;

/// The record kinds of schemas 1 and 2 (schema 1's stores are named after them).
const FIRST_ENTITIES: [Entity; 8] = [
    Entity::Customers,
    Entity::Contacts,
    Entity::Orders,
    Entity::Invoices,
    Entity::Tickets,
    Entity::Visits,
    Entity::Surveys,
    Entity::Plans,
];

/// What each schema version creates.
fn upgrade(db: &Database, old: u32, new: u32) -> indexed_db_futures::Result<()> {
    if new == 1 {
        // Schema 1 (kept so older databases can be read, and for the migration test).
        for e in FIRST_ENTITIES {
            db.create_object_store(e.as_str()).with_key_path("id".into()).build()?;
        }
        db.create_object_store(OUTBOX).with_key_path("seq".into()).build()?;
        db.create_object_store(META).build()?;
        return Ok(());
    }
    if old < 1 {
        db.create_object_store(META).build()?;
    }
    if old < 2 {
        // Schema 2: bucket stores with their indexes, files, and the outbox's record index.
        let files = db.create_object_store(FILES).build()?;
        let outbox = if old < 1 {
            db.create_object_store(OUTBOX).with_key_path("seq".into()).build()?
        } else {
            files.transaction().object_store(OUTBOX)?
        };
        outbox.create_index("rid", "rid".into()).with_unique(true).build()?;
    }
    // Each record kind's bucket store (schema 3 added opportunities', schema 4 tasks'): created
    // where missing, so an upgrade keeps what is stored and adds only the new kinds' stores.
    let kinds: Vec<Entity> = match new {
        0..=2 => FIRST_ENTITIES.to_vec(),
        3 => Entity::ALL.iter().copied().filter(|&e| e != Entity::Tasks).collect(),
        _ => Entity::ALL.to_vec(),
    };
    let names: Vec<String> = db.object_store_names().collect();
    for e in kinds {
        let name = bucket_store(e);
        if names.contains(&name) {
            continue;
        }
        let store = db.create_object_store(&name).build()?;
        for field in ["id", "cid", "name", "region", "owner", "updated"] {
            store.create_index(field, field.into()).with_multi_entry(true).build()?;
        }
    }
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
                    crate::shell::clock::next_task().await;
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

    /// Buckets that hold records of a customer, through the multiEntry `cid` index.
    pub async fn buckets_of_customer(&self, entity: Entity, customer_id: &str) -> Result<u32, LocalError> {
        let tx = self.tx(&[&bucket_store(entity)], false)?;
        let store = tx.object_store(&bucket_store(entity)).map_err(jsv_err)?;
        let index = store.index("cid").map_err(jsv_err)?;
        let n = request(index.count_with_key(&JsValue::from_str(customer_id))).await?;
        Ok(n.as_f64().unwrap_or(0.0) as u32)
    }
}
