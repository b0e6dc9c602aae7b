//! The IndexedDB cache in headless Chromium: batched fill and load, schema migration from the
//! one-row-per-record layout, the indexes, and the atomicity of a local edit (record + outbox entry).
#![cfg(target_arch = "wasm32")]
// Tests: a panic is the test failing; tables of cases have long tuple types.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

use chrono::{NaiveDate, TimeZone, Utc};
use kehu::core::demo::{self, DemoConfig};
use kehu::core::model::Entity;
use kehu::core::model::*;
use kehu::core::record::Change;
use kehu::core::record::Record;
use kehu::core::sync::local::SaveError;
use kehu::core::sync::local::{Local, LocalError};
use kehu::core::sync::outbox::{Edit, EditError, Op};
use kehu::shell::idb::{Cache, SCHEMA_VERSION, delete_database};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now() -> Timestamp {
    Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).unwrap()
}

fn demo(customers: usize) -> kehu::core::model::Dataset {
    demo::generate(&DemoConfig { seed: 3, customers, as_of: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap() })
}

async fn fresh(name: &str, version: u32) -> Cache {
    let _ = delete_database(name).await;
    Cache::open_named(name, version).await.expect("open")
}

/// A demo of the schema-1 era: record kinds added since (opportunities, tasks) had no store then.
fn demo_v1(customers: usize) -> kehu::core::model::Dataset {
    let mut data = demo(customers);
    data.opportunities.clear();
    data.tasks.clear();
    data
}

/// Record kinds the schema-1 and schema-2 layouts had stores for.
fn before_schema_3(e: Entity) -> bool {
    !matches!(e, Entity::Opportunities | Entity::Tasks)
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[wasm_bindgen_test]
async fn fill_and_load_round_trip_every_record() {
    let cache = fresh("kehu:test-roundtrip", SCHEMA_VERSION).await;
    let data = demo(150);
    let n = cache.fill(Record::all(&data)).await.expect("fill");
    let total: usize = Entity::ALL.iter().map(|&e| data.len(e)).sum();
    assert_eq!(n, total);
    for &e in Entity::ALL {
        assert_eq!(cache.count(e).await.unwrap(), data.len(e), "{}", e.as_str());
    }
    // The multiEntry customer-id index finds the buckets holding a customer's orders.
    let c0 = &data.customers[0].id;
    let has_orders = data.orders.iter().any(|o| &o.customer_id == c0);
    assert_eq!(cache.buckets_of_customer(Entity::Orders, c0).await.unwrap() > 0, has_orders);
    assert_eq!(cache.buckets_of_customer(Entity::Orders, "no-such-customer").await.unwrap(), 0);
    let (loaded, bad) = cache.load().await.expect("load");
    assert!(bad.is_empty(), "{bad:?}");
    for &e in Entity::ALL {
        assert_eq!(loaded.len(e), data.len(e), "{}", e.as_str());
    }
    let mut a = loaded.customers.clone();
    let mut b = data.customers.clone();
    a.sort_by(|x, y| x.id.cmp(&y.id));
    b.sort_by(|x, y| x.id.cmp(&y.id));
    assert_eq!(a, b, "customers come back field for field");
    let mut a = loaded.orders.clone();
    let mut b = data.orders.clone();
    a.sort_by(|x, y| x.id.cmp(&y.id));
    b.sort_by(|x, y| x.id.cmp(&y.id));
    assert_eq!(a, b, "orders with their lines");
    cache.close();
}

#[wasm_bindgen_test]
async fn an_edit_commits_record_and_outbox_entry_together() {
    let cache = fresh("kehu:test-atomic", SCHEMA_VERSION).await;
    let data = demo(5);
    cache.fill(Record::all(&data)).await.unwrap();
    let mut c = data.customers[0].clone();
    c.name = "改名后的客户".into();
    let entry =
        cache.save(Edit::Update(Record::Customers(c.clone())), None, now(), "op-1".into()).await.unwrap().unwrap();
    assert_eq!((entry.seq, entry.op), (1, Op::Update));
    assert_eq!(cache.record(Entity::Customers, &c.id).await.unwrap(), Some(Record::Customers(c.clone())));
    let outbox = cache.outbox().await.unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!(
        outbox[0].base,
        Some(Record::Customers(data.customers[0].clone()).to_json()),
        "the base is the version before the edit"
    );

    // A second edit folds into the same entry; a new record gets the next position.
    c.city = "宁波".into();
    cache.save(Edit::Update(Record::Customers(c.clone())), None, now(), "op-2".into()).await.unwrap();
    let mut n = data.customers[1].clone();
    n.id = "new-1".into();
    cache.save(Edit::Create(Record::Customers(n.clone())), None, now(), "op-3".into()).await.unwrap();
    let outbox = cache.outbox().await.unwrap();
    assert_eq!(
        outbox.iter().map(|e| (e.seq, e.record_id.clone())).collect::<Vec<_>>(),
        vec![(1, c.id.clone()), (2, "new-1".into())]
    );
    let outbox_len_after_create = outbox.len();
    assert_eq!(outbox[0].op_id, "op-1");

    // A refused edit writes nothing.
    let err = cache.save(Edit::Create(Record::Customers(n.clone())), None, now(), "op-4".into()).await;
    assert_eq!(err, Err(SaveError::Edit(EditError::Exists)));
    assert_eq!(cache.outbox().await.unwrap().len(), 2);

    // A transaction that fails half-way leaves nothing behind: the record write and an outbox
    // row that breaks the one-entry-per-record rule go together, and neither lands.
    let mut clash = outbox[1].clone();
    clash.seq = 99;
    let mut changed = data.customers[2].clone();
    changed.name = "不应保存".into();
    let res = cache.write(&[Change::Upsert(Record::Customers(changed.clone()))], Some((Some(&clash), None))).await;
    assert!(matches!(res, Err(LocalError::Storage(_))), "{res:?}");
    assert_eq!(
        cache.record(Entity::Customers, &changed.id).await.unwrap(),
        Some(Record::Customers(data.customers[2].clone()))
    );
    assert_eq!(cache.outbox().await.unwrap().len(), 2);

    // A pull does not overwrite a record whose edit is waiting (checked in its transaction).
    let mut server = data.customers[0].clone();
    server.name = "服务器上的名称".into();
    let mut other = data.customers[3].clone();
    other.name = "其他客户的新名称".into();
    let applied = cache
        .write_unless_waiting(&[
            Change::Upsert(Record::Customers(server)),
            Change::Upsert(Record::Customers(other.clone())),
        ])
        .await
        .unwrap();
    assert_eq!(applied, vec![Change::Upsert(Record::Customers(other.clone()))]);
    assert_eq!(cache.record(Entity::Customers, &c.id).await.unwrap(), Some(Record::Customers(c.clone())));
    assert_eq!(cache.record(Entity::Customers, &other.id).await.unwrap(), Some(Record::Customers(other)));

    // The base of an edit is the version the user saw, even if the cache has moved on since.
    let seen = data.customers[4].clone();
    let mut newer = seen.clone();
    newer.city = "拉取后的城市".into();
    cache.write_unless_waiting(&[Change::Upsert(Record::Customers(newer))]).await.unwrap();
    let mut mine = seen.clone();
    mine.name = "用户看到后修改".into();
    let e = cache
        .save(Edit::Update(Record::Customers(mine)), Some(Record::Customers(seen.clone())), now(), "op-seen".into())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(e.base, Some(Record::Customers(seen).to_json()));

    // Deleting an unsent new record cancels its create.
    cache.save(Edit::Delete(Entity::Customers, "new-1".into()), None, now(), "op-5".into()).await.unwrap();
    assert_eq!(
        cache.outbox().await.unwrap().len(),
        outbox_len_after_create,
        "the create is gone, the seen-base edit added one"
    );
    assert_eq!(cache.record(Entity::Customers, "new-1").await.unwrap(), None);
    cache.close();
}

/// Writes rows exactly as schema 1 stored them (`{id, j}` per record, `{seq, rid, j}` outbox).
async fn write_v1(name: &str, data: &kehu::core::model::Dataset, entries: &[kehu::core::sync::outbox::OutboxEntry]) {
    use wasm_bindgen::JsCast;
    let v1 = fresh(name, 1).await;
    assert_eq!(v1.version(), 1);
    v1.close();
    let factory = web_sys::window().unwrap().indexed_db().unwrap().unwrap();
    let req = factory.open(name).unwrap();
    let db: web_sys::IdbDatabase = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::new(&mut |ok, _| {
        let r = req.clone();
        let cb = wasm_bindgen::closure::Closure::once_into_js(move |_e: web_sys::Event| {
            let _ = ok.call1(&wasm_bindgen::JsValue::NULL, &r.result().unwrap());
        });
        req.set_onsuccess(Some(cb.unchecked_ref()));
    }))
    .await
    .unwrap()
    .unchecked_into();
    let names = js_sys::Array::new();
    for e in Entity::ALL.iter().filter(|&&e| before_schema_3(e)) {
        names.push(&e.as_str().into());
    }
    names.push(&"outbox".into());
    let tx = db.transaction_with_str_sequence_and_mode(&names, web_sys::IdbTransactionMode::Readwrite).unwrap();
    for r in Record::all(data) {
        let row = js_sys::Object::new();
        js_sys::Reflect::set(&row, &"id".into(), &r.id().into()).unwrap();
        js_sys::Reflect::set(&row, &"j".into(), &r.to_json_string().into()).unwrap();
        tx.object_store(r.entity().as_str()).unwrap().put(&row).unwrap();
    }
    for e in entries {
        let row = js_sys::Object::new();
        js_sys::Reflect::set(&row, &"seq".into(), &(e.seq as f64).into()).unwrap();
        js_sys::Reflect::set(&row, &"rid".into(), &format!("{}/{}", e.entity.as_str(), e.record_id).into()).unwrap();
        // As builds of the schema-1 era wrote entries: without the fields added since.
        let mut old = serde_json::to_value(e).unwrap();
        for added in ["rev", "sent", "failure"] {
            old.as_object_mut().unwrap().remove(added);
        }
        js_sys::Reflect::set(&row, &"j".into(), &old.to_string().into()).unwrap();
        tx.object_store("outbox").unwrap().put(&row).unwrap();
    }
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::new(&mut |ok, _| {
        let cb = wasm_bindgen::closure::Closure::once_into_js(move |_e: web_sys::Event| {
            let _ = ok.call0(&wasm_bindgen::JsValue::NULL);
        });
        tx.set_oncomplete(Some(cb.unchecked_ref()));
    }))
    .await
    .unwrap();
    db.close();
}

#[wasm_bindgen_test]
async fn schema_1_upgrades_with_every_record_and_outbox_entry_intact() {
    let name = "kehu:test-migrate";
    let data = demo_v1(40);
    let mut edited = data.customers[0].clone();
    edited.name = "v1 时期的修改".into();
    let mut entries = Vec::new();
    for (i, (op, rec)) in
        [(Op::Update, Record::Customers(edited.clone())), (Op::Create, Record::Contacts(data.contacts[0].clone()))]
            .into_iter()
            .enumerate()
    {
        entries.push(kehu::core::sync::outbox::OutboxEntry {
            seq: i as u64 + 1,
            op_id: format!("op{i}"),
            entity: rec.entity(),
            record_id: rec.id().into(),
            op,
            base: None,
            current: Some(rec.to_json()),
            created_at: now(),
            updated_at: now(),
            attempts: 0,
            not_before: None,
            last_error: None,
            state: kehu::core::sync::outbox::EntryState::Pending,
            rev: 0,
            sent: false,
            failure: None,
            unconfirmed: vec![],
            created_unidentified: false,
        });
    }
    write_v1(name, &data, &entries).await;

    let v2 = Cache::open_named(name, SCHEMA_VERSION).await.expect("upgrade");
    assert_eq!(v2.version(), SCHEMA_VERSION);
    assert!(v2.store_names().contains(&"files".to_string()));
    let (loaded, bad) = v2.load().await.unwrap();
    assert!(bad.is_empty());
    for &e in Entity::ALL {
        assert_eq!(loaded.len(e), data.len(e), "{}", e.as_str());
    }
    let mut a = loaded.customers.clone();
    let mut b = data.customers.clone();
    a.sort_by(|x, y| x.id.cmp(&y.id));
    b.sort_by(|x, y| x.id.cmp(&y.id));
    assert_eq!(a, b, "every customer, field for field");
    assert_eq!(v2.outbox().await.unwrap(), entries, "outbox entries intact");
    // The new one-entry-per-record index covers the old entries: editing that customer
    // again folds into its v1 entry.
    let mut again = edited.clone();
    again.city = "宁波".into();
    v2.set_meta("outbox_seq", None).await.unwrap();
    let folded = v2.save(Edit::Update(Record::Customers(again)), None, now(), "op-new".into()).await.unwrap().unwrap();
    assert_eq!((folded.seq, folded.op_id.as_str()), (1, "op0"));
    // A new edit of another record (the database has entries but no counter) goes after them,
    // and takes nobody's place.
    let mut other = data.customers[1].clone();
    other.city = "温州".into();
    let added = v2.save(Edit::Update(Record::Customers(other)), None, now(), "op-other".into()).await.unwrap().unwrap();
    assert_eq!(added.seq, 3);
    let after: Vec<(u64, String)> = v2.outbox().await.unwrap().into_iter().map(|e| (e.seq, e.op_id)).collect();
    assert_eq!(after, vec![(1, "op0".to_string()), (2, "op1".to_string()), (3, "op-other".to_string())]);
    assert_eq!(
        sorted(v2.ids(Entity::Customers).await.unwrap()),
        sorted(data.customers.iter().map(|c| c.id.clone()).collect())
    );
    v2.close();
    // Opening again finds nothing left to migrate and nothing duplicated.
    let again = Cache::open_named(name, SCHEMA_VERSION).await.unwrap();
    assert_eq!(again.count(Entity::Orders).await.unwrap(), data.orders.len());
    again.close();
}

#[wasm_bindgen_test]
async fn only_a_cache_of_the_older_layout_needs_the_migration_code() {
    // The app opens without migrating and fetches the migration's code only when this says so.
    let fresh_db = fresh("kehu:test-layout-new", SCHEMA_VERSION).await;
    assert!(!fresh_db.needs_migration());
    fresh_db.close();

    let name = "kehu:test-layout-old";
    let data = demo_v1(12);
    write_v1(name, &data, &[]).await;
    let cache = Cache::open_unmigrated("test-layout-old").await.expect("open");
    assert!(cache.needs_migration());
    let (before, _) = cache.load().await.unwrap();
    assert_eq!(before.customers.len(), 0, "nothing is moved before migrate_rows");
    cache.migrate_rows().await.unwrap();
    let (after, bad) = cache.load().await.unwrap();
    assert!(bad.is_empty());
    assert_eq!(after.customers.len(), data.customers.len());
    cache.close();
    // Migrated once: the old stores stay (emptied), and moving again changes nothing.
    let again = Cache::open_unmigrated("test-layout-old").await.unwrap();
    assert!(again.needs_migration());
    again.migrate_rows().await.unwrap();
    assert_eq!(again.count(Entity::Orders).await.unwrap(), data.orders.len());
    again.close();
    delete_database(name).await.unwrap();
}

async fn raw_db(name: &str) -> web_sys::IdbDatabase {
    use wasm_bindgen::JsCast;
    let factory = web_sys::window().unwrap().indexed_db().unwrap().unwrap();
    let req = factory.open(name).unwrap();
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::new(&mut |ok, _| {
        let r = req.clone();
        let cb = wasm_bindgen::closure::Closure::once_into_js(move |_e: web_sys::Event| {
            let _ = ok.call1(&wasm_bindgen::JsValue::NULL, &r.result().unwrap());
        });
        req.set_onsuccess(Some(cb.unchecked_ref()));
    }))
    .await
    .unwrap()
    .unchecked_into()
}

async fn done(req: web_sys::IdbRequest) -> wasm_bindgen::JsValue {
    use wasm_bindgen::JsCast;
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::new(&mut |ok, _| {
        let r = req.clone();
        let cb = wasm_bindgen::closure::Closure::once_into_js(move |_e: web_sys::Event| {
            let _ = ok.call1(&wasm_bindgen::JsValue::NULL, &r.result().unwrap());
        });
        req.set_onsuccess(Some(cb.unchecked_ref()));
    }))
    .await
    .unwrap()
}

/// Bucket rows hold UTF-8 bytes; a row an earlier build wrote as a string is still read, and
/// the next edit in its bucket rewrites it as bytes.
#[wasm_bindgen_test]
async fn bucket_rows_written_as_text_are_still_read() {
    let name = "kehu:test-text-rows";
    let data = demo(3);
    let c = data.customers[0].clone();
    let cache = fresh(name, SCHEMA_VERSION).await;
    cache.close();
    let key = wasm_bindgen::JsValue::from_f64(f64::from(kehu::shell::idb::bucket_of(&c.id)));
    let db = raw_db(name).await;
    let tx = db.transaction_with_str_and_mode("bucket:customers", web_sys::IdbTransactionMode::Readwrite).unwrap();
    let row = js_sys::Object::new();
    let meta = serde_json::to_string(&vec![Record::Customers(c.clone()).index_fields()]).unwrap();
    js_sys::Reflect::set(&row, &"m".into(), &meta.into()).unwrap();
    js_sys::Reflect::set(&row, &"j".into(), &Record::Customers(c.clone()).to_json_string().into()).unwrap();
    js_sys::Reflect::set(&row, &"id".into(), &js_sys::Array::of1(&c.id.clone().into())).unwrap();
    done(tx.object_store("bucket:customers").unwrap().put_with_key(&row, &key).unwrap()).await;
    db.close();

    let cache = Cache::open_named(name, SCHEMA_VERSION).await.unwrap();
    let (loaded, bad) = cache.load().await.unwrap();
    assert!(bad.is_empty());
    assert_eq!(loaded.customers, vec![c.clone()]);
    let mut edited = c.clone();
    edited.city = "舟山".into();
    cache.save(Edit::Update(Record::Customers(edited.clone())), None, now(), "op1".into()).await.unwrap();
    assert_eq!(cache.record(Entity::Customers, &c.id).await.unwrap(), Some(Record::Customers(edited)));
    cache.close();
    let db = raw_db(name).await;
    let tx = db.transaction_with_str("bucket:customers").unwrap();
    let row = done(tx.object_store("bucket:customers").unwrap().get(&key).unwrap()).await;
    let j = js_sys::Reflect::get(&row, &"j".into()).unwrap();
    assert!(j.is_instance_of::<js_sys::Uint8Array>(), "rewritten as bytes");
    db.close();
}

/// The engine settles a pushed entry in one transaction that reads it again: an edit the user
/// saved during the push stays (local record and waiting entry); a state found for an older
/// version is not written over a newer one; a customer's new server id reaches its waiting
/// records.
#[wasm_bindgen_test]
async fn settling_a_push_keeps_an_edit_saved_meanwhile() {
    let name = "kehu:test-settle";
    let data = demo(3);
    let cache = fresh(name, SCHEMA_VERSION).await;
    cache.fill(Record::all(&data)).await.unwrap();
    let c = data.customers[0].clone();
    let mut v1 = c.clone();
    v1.name = "第一次修改".into();
    let pushed =
        cache.save(Edit::Update(Record::Customers(v1.clone())), None, now(), "op1".into()).await.unwrap().unwrap();
    // The push is on its way; the user saves again.
    let mut v2 = v1.clone();
    v2.city = "舟山".into();
    cache.save(Edit::Update(Record::Customers(v2.clone())), None, now(), "op2".into()).await.unwrap();
    // A state computed for the pushed version is not written over the newer one.
    let mut stale = pushed.clone();
    stale.attempts = 3;
    assert!(!cache.update_entry(&stale, &[]).await.unwrap());
    assert_eq!(cache.entry(pushed.seq).await.unwrap().unwrap().attempts, 0);
    // The server answers the first push.
    let mut saved = v1.clone();
    saved.updated_at = now() + chrono::Duration::seconds(5);
    let written = cache.complete(&pushed, &[Change::Upsert(Record::Customers(saved))]).await.unwrap();
    assert!(written.is_empty(), "the newer local version stays: {written:?}");
    assert_eq!(cache.record(Entity::Customers, &c.id).await.unwrap(), Some(Record::Customers(v2.clone())));
    let left = cache.outbox().await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!((left[0].op, left[0].base.clone()), (Op::Update, Some(Record::Customers(v1.clone()).to_json())));
    // Unchanged since its push: the entry goes and the answer is written.
    let written = cache.complete(&left[0], &[Change::Upsert(Record::Customers(v2.clone()))]).await.unwrap();
    assert_eq!(written.len(), 1);
    assert!(cache.outbox().await.unwrap().is_empty());

    // A created customer gets the server's id: its waiting contact follows.
    let mut n = c.clone();
    n.id = "N-local".into();
    n.name = "新客户".into();
    cache.save(Edit::Create(Record::Customers(n.clone())), None, now(), "op3".into()).await.unwrap();
    let mut p = data.contacts[0].clone();
    p.id = "P-new".into();
    p.customer_id = n.id.clone();
    cache.save(Edit::Create(Record::Contacts(p.clone())), None, now(), "op4".into()).await.unwrap();
    let changes = cache.rename_refs(Entity::Customers, "N-local", "N-server").await.unwrap();
    assert_eq!(changes.len(), 1);
    let Some(Record::Contacts(moved)) = cache.record(Entity::Contacts, "P-new").await.unwrap() else { panic!() };
    assert_eq!(moved.customer_id, "N-server");
    let entries = cache.outbox().await.unwrap();
    assert_eq!(entries[1].current.as_ref().and_then(|v| v["customer_id"].as_str()), Some("N-server"));
    // A deal waiting with that contact among its contacts follows the contact's new id too.
    let mut deal = Opportunity::blank("D-new".into(), "N-server".into(), &Stages::default(), "王芳".into(), now());
    deal.title = "数控机床 3 台".into();
    deal.contacts = vec!["P-new".into()];
    cache.save(Edit::Create(Record::Opportunities(deal)), None, now(), "op5".into()).await.unwrap();
    let changes = cache.rename_refs(Entity::Contacts, "P-new", "P-server").await.unwrap();
    assert_eq!(changes.len(), 1, "only the deal refers to the contact");
    let Some(Record::Opportunities(d)) = cache.record(Entity::Opportunities, "D-new").await.unwrap() else { panic!() };
    assert_eq!(d.contacts, vec!["P-server".to_string()]);
    cache.close();
    delete_database(name).await.unwrap();
}

/// An outbox row that cannot be read is shown (as a rejected change of its record), not hidden.
#[wasm_bindgen_test]
async fn an_unreadable_outbox_row_is_listed_not_dropped() {
    let name = "kehu:test-unreadable";
    let cache = fresh(name, SCHEMA_VERSION).await;
    cache.close();
    let db = raw_db(name).await;
    let tx = db.transaction_with_str_and_mode("outbox", web_sys::IdbTransactionMode::Readwrite).unwrap();
    let row = js_sys::Object::new();
    js_sys::Reflect::set(&row, &"seq".into(), &7.0.into()).unwrap();
    js_sys::Reflect::set(&row, &"rid".into(), &"customers/C9".into()).unwrap();
    js_sys::Reflect::set(&row, &"j".into(), &"{not json".into()).unwrap();
    done(tx.object_store("outbox").unwrap().put(&row).unwrap()).await;
    db.close();
    let cache = Cache::open_named(name, SCHEMA_VERSION).await.unwrap();
    let entries = cache.outbox().await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!((entries[0].seq, entries[0].entity, entries[0].record_id.as_str()), (7, Entity::Customers, "C9"));
    assert!(matches!(entries[0].state, kehu::core::sync::outbox::EntryState::Rejected { .. }));
    // It still keeps a pull from overwriting that record.
    let mut c = demo(1).customers[0].clone();
    c.id = "C9".into();
    assert!(cache.apply(&[Change::Upsert(Record::Customers(c))]).await.unwrap().is_empty());
    cache.close();
    delete_database(name).await.unwrap();
}

/// An edit made on an older copy of a record whose earlier edit still waits: IndexedDB stores the
/// earlier edit with the new one on top (rebased), not the older copy with the new change.
#[wasm_bindgen_test]
async fn an_edit_on_an_older_copy_is_stored_rebased_onto_the_waiting_one() {
    let name = "kehu:test-rebase";
    let data = demo(3);
    let cache = fresh(name, SCHEMA_VERSION).await;
    cache.fill(Record::all(&data)).await.unwrap();
    let c = data.customers[0].clone();
    let mut v1 = c.clone();
    v1.name = "第一次修改".into();
    cache.save(Edit::Update(Record::Customers(v1.clone())), None, now(), "op1".into()).await.unwrap();
    // The form showed the copy from before the first edit; the user changed the city only.
    let mut v2 = c.clone();
    v2.city = "舟山".into();
    let kept = cache
        .save(Edit::Update(Record::Customers(v2)), Some(Record::Customers(c.clone())), now(), "op2".into())
        .await
        .unwrap()
        .unwrap();
    let Some(Record::Customers(stored)) = cache.record(Entity::Customers, &c.id).await.unwrap() else { panic!() };
    assert_eq!((stored.name.as_str(), stored.city.as_str()), ("第一次修改", "舟山"));
    assert_eq!(kept.current_record(), Some(Record::Customers(stored)));
    assert_eq!(cache.outbox().await.unwrap().len(), 1);
    cache.close();
    delete_database(name).await.unwrap();
}

#[wasm_bindgen_test]
async fn data_problems_are_stored_with_their_records() {
    use kehu::core::rest::{mapping::from_remote, presets};
    use serde_json::{Value, json};
    let cache = fresh("kehu:test-problems", SCHEMA_VERSION).await;
    let data = demo(5);
    cache.fill(Record::all(&data)).await.unwrap();
    let profile = presets::profile("json-server", Some("http://127.0.0.1:3000")).unwrap();
    let res = profile.resources[&Entity::Customers].clone();
    let (c0, c1) = (data.customers[0].clone(), data.customers[1].clone());
    // From the backend: a credit limit with decimals (minor units), and a record without times.
    let mut bad = Record::Customers(c0.clone()).to_json();
    bad["credit_limit"] = json!(12.5);
    let mut untimed = Record::Customers(c1.clone()).to_json();
    untimed["updated_at"] = Value::Null;
    untimed["created_at"] = Value::Null;
    let read = |v: &Value| from_remote(Entity::Customers, &res, v, now() + chrono::Duration::days(3)).unwrap();
    let ((r0, n0), (r1, n1)) = (read(&bad), read(&untimed));
    let written = cache.apply_pulled(&[Change::Upsert(r0), Change::Upsert(r1)], &[n0, n1]).await.unwrap();
    let w1 = written
        .iter()
        .find_map(|c| match c {
            Change::Upsert(Record::Customers(x)) if x.id == c1.id => Some(x.clone()),
            _ => None,
        })
        .expect("written");
    assert_eq!((w1.updated_at, w1.created_at), (c1.updated_at, c1.created_at), "cached: its times are kept");
    let problems = cache.problems().await.unwrap();
    assert_eq!(problems.len(), 1);
    let stored = problems.of(Entity::Customers, &c0.id).expect("stored with the record");
    assert_eq!(stored.problems.iter().map(|p| p.field.as_str()).collect::<Vec<_>>(), vec!["credit_limit"]);
    // The problem rows sit beside the buckets without being taken for records.
    assert_eq!(cache.count(Entity::Customers).await.unwrap(), data.customers.len());
    let (loaded, unreadable) = cache.load().await.unwrap();
    assert!(unreadable.is_empty(), "{unreadable:?}");
    assert_eq!(loaded.customers.len(), data.customers.len());
    // A user's edit of another field keeps the problem; setting the field clears it.
    let Some(Record::Customers(mut c)) = cache.record(Entity::Customers, &c0.id).await.unwrap() else { panic!() };
    c.city = "宁波".into();
    cache.save(Edit::Update(Record::Customers(c.clone())), None, now(), "op-p1".into()).await.unwrap();
    assert_eq!(cache.problems().await.unwrap().len(), 1);
    c.credit_limit = Some(Money(1250));
    cache.save(Edit::Update(Record::Customers(c.clone())), None, now(), "op-p2".into()).await.unwrap();
    assert!(cache.problems().await.unwrap().is_empty(), "fixed by the user");
    // Read bad again (the record has no waiting edit once its entry is gone), then clean: cleared.
    for e in cache.outbox().await.unwrap() {
        cache.drop_entry(e.seq, &[]).await.unwrap();
    }
    let (r0, n0) = read(&bad);
    cache.apply_pulled(&[Change::Upsert(r0)], &[n0]).await.unwrap();
    assert_eq!(cache.problems().await.unwrap().len(), 1);
    let (clean, note) = read(&Record::Customers(c0.clone()).to_json());
    assert!(note.is_clean());
    cache.apply_pulled(&[Change::Upsert(clean)], &[]).await.unwrap();
    assert!(cache.problems().await.unwrap().is_empty(), "read clean");
    // A removed record takes its problems with it.
    let (r0, n0) = read(&bad);
    cache.apply_pulled(&[Change::Upsert(r0)], &[n0]).await.unwrap();
    cache.apply(&[Change::Remove(Entity::Customers, c0.id.clone())]).await.unwrap();
    assert!(cache.problems().await.unwrap().is_empty());
    cache.close();
}

#[wasm_bindgen_test]
async fn schema_2_upgrades_to_3_with_every_record_kept_and_a_store_for_opportunities() {
    let name = "kehu:test-schema-2";
    let data = demo(60);
    let v2 = fresh(name, 2).await;
    let before = v2.store_names();
    assert!(before.iter().any(|n| n.contains("customers")), "{before:?}");
    assert!(!before.iter().any(|n| n.contains("opportunities")), "schema 2 had no opportunities: {before:?}");
    let older: Vec<Record> = Record::all(&data).filter(|r| before_schema_3(r.entity())).collect();
    let n = older.len();
    assert_eq!(v2.fill(older).await.unwrap(), n);
    v2.close();

    let v3 = Cache::open_named(name, SCHEMA_VERSION).await.expect("upgrade");
    assert_eq!(v3.version(), SCHEMA_VERSION);
    assert!(v3.store_names().iter().any(|n| n.contains("opportunities")));
    let (loaded, bad) = v3.load().await.unwrap();
    assert!(bad.is_empty(), "{bad:?}");
    for &e in Entity::ALL.iter().filter(|&&e| before_schema_3(e)) {
        assert_eq!(loaded.len(e), data.len(e), "{}", e.as_str());
    }
    let mut a = loaded.customers.clone();
    let mut b = data.customers.clone();
    a.sort_by(|x, y| x.id.cmp(&y.id));
    b.sort_by(|x, y| x.id.cmp(&y.id));
    assert_eq!(a, b, "customers field for field");
    // The new kind is stored with its outbox entry, like any other.
    let mut deal =
        Opportunity::blank("D-new".into(), data.customers[0].id.clone(), &Stages::default(), "王磊".into(), now());
    deal.title = "齿轮箱改造".into();
    deal.amount = Money(120_000_000);
    let entry = v3.save(Edit::Create(Record::Opportunities(deal.clone())), None, now(), "op-d".into()).await.unwrap();
    assert!(entry.is_some());
    let (again, _) = v3.load().await.unwrap();
    assert_eq!(again.opportunities, vec![deal]);
    assert_eq!(v3.outbox().await.unwrap().len(), 1);
    v3.close();
}

#[wasm_bindgen_test]
async fn schema_3_upgrades_to_4_with_every_record_and_entry_kept_and_a_store_for_tasks() {
    let name = "kehu:test-schema-3";
    let data = demo(40);
    let v3 = fresh(name, 3).await;
    let before = v3.store_names();
    assert!(before.iter().any(|n| n.contains("opportunities")), "{before:?}");
    assert!(!before.iter().any(|n| n.contains("tasks")), "schema 3 had no tasks: {before:?}");
    let older: Vec<Record> = Record::all(&data).filter(|r| r.entity() != Entity::Tasks).collect();
    let n = older.len();
    assert_eq!(v3.fill(older).await.unwrap(), n);
    // An unsynced edit made under schema 3 survives the upgrade.
    let mut edited = data.customers[1].clone();
    edited.city = "常州".into();
    v3.save(Edit::Update(Record::Customers(edited.clone())), None, now(), "op-c".into()).await.unwrap();
    v3.close();

    let v4 = Cache::open_named(name, SCHEMA_VERSION).await.expect("upgrade");
    assert_eq!(v4.version(), SCHEMA_VERSION);
    assert!(v4.store_names().iter().any(|n| n.contains("tasks")));
    let (loaded, bad) = v4.load().await.unwrap();
    assert!(bad.is_empty(), "{bad:?}");
    for &e in Entity::ALL.iter().filter(|&&e| e != Entity::Tasks && e != Entity::Customers) {
        assert_eq!(loaded.len(e), data.len(e), "{}", e.as_str());
    }
    assert!(loaded.customers.contains(&edited), "the edit made under schema 3");
    let outbox = v4.outbox().await.unwrap();
    assert_eq!(outbox.iter().map(|e| e.op_id.as_str()).collect::<Vec<_>>(), vec!["op-c"]);
    // The new kind is stored with its outbox entry, like any other.
    let mut task = kehu::core::model::Task::blank("K-new".into(), data.customers[0].id.clone(), "王磊".into(), now());
    task.title = "回访：确认样品测试结果".into();
    task.due_date = Some(now().date_naive());
    let entry = v4.save(Edit::Create(Record::Tasks(task.clone())), None, now(), "op-k".into()).await.unwrap();
    assert!(entry.is_some());
    let (again, _) = v4.load().await.unwrap();
    assert_eq!(again.tasks, vec![task]);
    assert_eq!(v4.outbox().await.unwrap().len(), 2);
    v4.close();
}
