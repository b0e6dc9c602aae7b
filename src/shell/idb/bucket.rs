//! The bucket row format: a record lives in bucket `fnv1a(id) % 256` of its entity's store;
//! a row holds its records' texts and index fields (`Bucket`), and a bucket's data problems live
//! beside it under `problems:<bucket>`. Reading, changing and writing back the touched buckets
//! inside a transaction (`fill_buckets`, `write_buckets`, `write_changes`).

use super::raw::{SEP, idb_promise, jsv_err, kehu_bucket, kehu_bytes, kehu_field, request};
use crate::core::lenient::{ReadNote, RecordProblems, keep_first_seen, still_wrong};
use crate::core::model::Entity;
use crate::core::record::{Change, IndexFields, Record};
use crate::core::sync::local::LocalError;
use std::collections::BTreeMap;
use wasm_bindgen::{JsCast, JsValue};

pub const BUCKETS: u32 = 256;

pub(super) fn bucket_store(e: Entity) -> String {
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

/// One bucket's records: texts and index fields, aligned.
#[derive(Default)]
pub(super) struct Bucket {
    metas: Vec<IndexFields>,
    texts: Vec<String>,
}

impl Bucket {
    pub(super) fn from_row(row: &JsValue) -> Bucket {
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

    pub(super) fn to_row(&self) -> JsValue {
        let metas = serde_json::to_string(&self.metas).unwrap_or_else(|_| "[]".into());
        kehu_bucket(&metas, self.texts.join("\u{1}").as_bytes())
    }

    fn position(&self, id: &str) -> Option<usize> {
        self.metas.iter().position(|m| m.id == id)
    }

    pub(super) fn upsert(&mut self, r: &Record) {
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

    pub(super) fn remove(&mut self, id: &str) {
        if let Some(p) = self.position(id) {
            self.metas.remove(p);
            self.texts.remove(p);
        }
    }

    pub(super) fn get(&self, entity: Entity, id: &str) -> Option<Record> {
        self.position(id).and_then(|p| Record::from_json_str(entity, &self.texts[p]).ok())
    }
}

/// A bucket row's records as text. Rows hold UTF-8 bytes: half the size of a JS string of
/// Chinese text, and they cross into wasm as a copy rather than a re-encoding. Rows written as
/// strings (before this layout) are still read.
pub(super) fn row_text(row: &JsValue) -> String {
    String::from_utf8(kehu_bytes(row, "j")).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Applies record changes of any entities inside `tx` (which must cover their bucket stores).
pub(super) async fn write_changes(tx: &web_sys::IdbTransaction, changes: &[Change]) -> Result<(), LocalError> {
    let mut entities: Vec<Entity> = changes.iter().map(change_entity).collect();
    entities.sort_unstable();
    entities.dedup();
    for e in entities {
        let mine: Vec<Change> = changes.iter().filter(|c| change_entity(c) == e).cloned().collect();
        write_buckets(tx, e, &mine, &Reading::Edit).await?;
    }
    Ok(())
}

pub(super) fn change_entity(c: &Change) -> Entity {
    match c {
        Change::Upsert(r) => r.entity(),
        Change::Remove(e, _) => *e,
    }
}

/// Upserts records of one entity into their buckets inside `tx`, leaving problem rows alone
/// (see [`Cache::fill`]; also the migration from schema 1, which had none).
pub(super) async fn fill_buckets(
    tx: &web_sys::IdbTransaction,
    e: Entity,
    changes: &[Change],
) -> Result<(), LocalError> {
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
pub(super) enum Reading<'a> {
    /// A local edit, a server's answer to one, a removal: a record keeps the problems of the
    /// fields that hold the same value as before ([`still_wrong`]).
    Edit,
    /// Records read from the backend: their problems become the ones noted (a record without a
    /// note was read clean: none), and their `first_seen` fields keep the cached values.
    Pulled(&'a std::collections::HashMap<(Entity, &'a str), &'a ReadNote>),
}

/// The key of a bucket's data-problems row (in the bucket's own store).
pub(super) fn problem_key(bucket: u32) -> JsValue {
    JsValue::from_str(&format!("problems:{bucket}"))
}

/// Every problem row's key (`problems:` up to, not including, `problems;`).
pub(super) fn problem_range() -> Result<web_sys::IdbKeyRange, LocalError> {
    web_sys::IdbKeyRange::bound_with_lower_open_and_upper_open(
        &JsValue::from_str("problems:"),
        &JsValue::from_str("problems;"),
        false,
        true,
    )
    .map_err(jsv_err)
}

/// A problem row (JSON text: record id → its problems); anything unreadable counts as none.
pub(super) fn parse_problems(row: &JsValue) -> BTreeMap<String, RecordProblems> {
    row.as_string().and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default()
}

/// Writes a bucket's problem row, or deletes it when no record of the bucket has problems.
pub(super) fn put_problems(
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
pub(super) async fn write_buckets(
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
