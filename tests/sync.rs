//! The sync core, table-driven: outbox folding, three-way merge, retry timing, and whole sync
//! runs against an in-memory backend and cache that behave like the real ones (ordered pages,
//! ids, stale writes accepted) so order, retries, conflicts and deletions can be checked exactly.
// Tests: a panic is the test failing; tables of cases have long tuple types.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use futures::executor::block_on;
use kehu::core::model::*;
use kehu::core::record::{BadRecord, Record};
use kehu::core::sync::backoff::{MAX_ATTEMPTS, parse_retry_after, retry_delay};
use kehu::core::sync::engine::{SyncError, SyncOptions, SyncReport, sync};

use kehu::core::model::Entity;
use kehu::core::record::Change;
use kehu::core::sync::merge::{Side, three_way};
use kehu::core::sync::outbox::*;
use kehu::core::sync::remote::RemoteError;
use kehu::core::sync::{Env, new_record_id};
use serde_json::json;
use std::cell::Cell;

mod common;
use common::mem::{MemLocal, MemRemote, timeout_after};

fn t(h: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 8, 0, 0).unwrap() + Duration::hours(h)
}

fn customer(id: &str, name: &str, city: &str) -> Customer {
    Customer {
        name: name.into(),
        role: SupplyChainRole::EndCustomer,
        region: "华东".into(),
        country: "CN".into(),
        city: city.into(),
        owner: Some("王磊".into()),
        payment_terms_days: 30,
        ..Customer::blank(id, Currency::CNY, t(0))
    }
}

fn contact(id: &str, customer_id: &str, name: &str) -> Contact {
    Contact { name: name.into(), ..Contact::blank(id, customer_id, t(0)) }
}

fn cust(id: &str, name: &str, city: &str) -> Record {
    Record::Customers(customer(id, name, city))
}

// ------------------------------------------------------------------------------------------
// Outbox folding

fn entry(seq: u64, op: Op, record: &Record, attempts: u32) -> OutboxEntry {
    OutboxEntry {
        seq,
        op_id: format!("op{seq}"),
        entity: record.entity(),
        record_id: record.id().into(),
        op,
        base: (op != Op::Create).then(|| record.to_json()),
        current: (op != Op::Delete).then(|| record.to_json()),
        created_at: t(0),
        updated_at: t(0),
        attempts,
        not_before: None,
        last_error: None,
        state: EntryState::Pending,
        rev: 0,
        sent: attempts > 0,
        failure: None,
        unconfirmed: vec![],
        created_unidentified: false,
    }
}

#[test]
fn edits_fold_into_the_waiting_entry() {
    let v1 = cust("C1", "Acme", "杭州");
    let v2 = cust("C1", "Acme Ltd", "杭州");
    let del = || Edit::Delete(Entity::Customers, "C1".into());
    // (waiting entry, stored, edit) → expected op of the result / removal / error
    enum Want {
        Add(Op),
        Replace(Op),
        Remove,
        Err(EditError),
    }
    let cases: Vec<(&str, Option<OutboxEntry>, Option<Record>, Edit, Want)> = vec![
        ("new record", None, None, Edit::Create(v1.clone()), Want::Add(Op::Create)),
        ("create over an existing id", None, Some(v1.clone()), Edit::Create(v1.clone()), Want::Err(EditError::Exists)),
        ("first update", None, Some(v1.clone()), Edit::Update(v2.clone()), Want::Add(Op::Update)),
        ("update of a missing record", None, None, Edit::Update(v2.clone()), Want::Err(EditError::Missing)),
        ("delete", None, Some(v1.clone()), del(), Want::Add(Op::Delete)),
        (
            "update after create",
            Some(entry(1, Op::Create, &v1, 0)),
            Some(v1.clone()),
            Edit::Update(v2.clone()),
            Want::Replace(Op::Create),
        ),
        (
            "update after update",
            Some(entry(1, Op::Update, &v1, 0)),
            Some(v1.clone()),
            Edit::Update(v2.clone()),
            Want::Replace(Op::Update),
        ),
        ("delete after unsent create", Some(entry(1, Op::Create, &v1, 0)), Some(v1.clone()), del(), Want::Remove),
        (
            "delete after a create that was tried",
            Some(entry(1, Op::Create, &v1, 2)),
            Some(v1.clone()),
            del(),
            Want::Replace(Op::Delete),
        ),
        ("delete after update", Some(entry(1, Op::Update, &v1, 0)), Some(v1.clone()), del(), Want::Replace(Op::Delete)),
        (
            "update after delete",
            Some(entry(1, Op::Delete, &v1, 0)),
            None,
            Edit::Update(v2.clone()),
            Want::Err(EditError::Missing),
        ),
        (
            "create over a waiting entry",
            Some(entry(1, Op::Update, &v1, 0)),
            Some(v1.clone()),
            Edit::Create(v2.clone()),
            Want::Err(EditError::Exists),
        ),
    ];
    for (name, waiting, stored, edit, want) in cases {
        let got = record_edit(waiting.as_ref(), stored.as_ref(), edit, t(1), 9, "op9".into());
        match (got, want) {
            (Ok(OutboxChange::Add(e)), Want::Add(op)) => {
                assert_eq!(e.op, op, "{name}");
                assert_eq!((e.seq, e.op_id.as_str()), (9, "op9"), "{name}");
            }
            (Ok(OutboxChange::Replace(e)), Want::Replace(op)) => {
                assert_eq!(e.op, op, "{name}");
                let w = waiting.as_ref().unwrap();
                assert_eq!(e.seq, w.seq, "{name}: keeps its place in the queue");
                assert_eq!(e.op_id, w.op_id, "{name}: keeps its idempotency key");
                assert_eq!(e.base, w.base, "{name}: keeps the first base");
                assert_eq!(e.attempts, 0, "{name}");
            }
            (Ok(OutboxChange::Remove(seq)), Want::Remove) => assert_eq!(seq, 1, "{name}"),
            (Err(e), Want::Err(want)) => assert_eq!(e, want, "{name}"),
            (got, _) => panic!("{name}: unexpected {got:?}"),
        }
    }
    // The folded update carries the latest local version.
    let Ok(OutboxChange::Replace(e)) =
        record_edit(Some(&entry(1, Op::Update, &v1, 0)), Some(&v1), Edit::Update(v2.clone()), t(1), 9, "x".into())
    else {
        panic!()
    };
    assert_eq!(e.current, Some(v2.to_json()));
    assert_eq!(e.base, Some(v1.to_json()));
}

#[test]
fn an_entry_in_conflict_takes_no_more_edits() {
    let v1 = cust("C1", "Acme", "杭州");
    let mut e = entry(1, Op::Update, &v1, 0);
    e.state = EntryState::Conflict(Conflict::DeletedOnServer);
    assert_eq!(
        record_edit(Some(&e), Some(&v1), Edit::Update(v1.clone()), t(1), 2, "x".into()),
        Err(EditError::InConflict)
    );
}

#[test]
fn client_ids_are_uuid_v4() {
    let id = new_record_id([7; 16]);
    assert_eq!(id.len(), 36);
    assert_eq!(&id[14..15], "4", "{id}");
    assert_ne!(new_record_id([1; 16]), new_record_id([2; 16]));
}

// ------------------------------------------------------------------------------------------
// Merge

#[test]
fn three_way_merge_per_field() {
    let base = json!({"id": "C1", "name": "Acme", "city": "杭州", "tags": ["a"], "updated_at": "1", "custom": {"erp": "1", "vat": "x"}});
    // (name, mine, theirs, merged fields to check, conflicts, changed)
    type Case = (
        &'static str,
        serde_json::Value,
        serde_json::Value,
        Vec<(&'static str, serde_json::Value)>,
        Vec<&'static str>,
        Vec<&'static str>,
    );
    let cases: Vec<Case> = vec![
        ("nothing changed", base.clone(), base.clone(), vec![("name", json!("Acme"))], vec![], vec![]),
        (
            "mine only",
            json!({"id": "C1", "name": "Acme Ltd", "city": "杭州", "tags": ["a"], "custom": {"erp": "1", "vat": "x"}}),
            base.clone(),
            vec![("name", json!("Acme Ltd"))],
            vec![],
            vec!["name"],
        ),
        (
            "theirs only",
            base.clone(),
            json!({"id": "C1", "name": "Acme", "city": "宁波", "tags": ["a"], "updated_at": "2", "custom": {"erp": "1", "vat": "x"}}),
            vec![("city", json!("宁波")), ("updated_at", json!("2"))],
            vec![],
            vec![],
        ),
        (
            "different fields",
            json!({"id": "C1", "name": "Acme Ltd", "city": "杭州", "tags": ["a"], "custom": {"erp": "1", "vat": "x"}}),
            json!({"id": "C1", "name": "Acme", "city": "宁波", "tags": ["a"], "custom": {"erp": "1", "vat": "x"}}),
            vec![("name", json!("Acme Ltd")), ("city", json!("宁波"))],
            vec![],
            vec!["name"],
        ),
        (
            "same change on both sides",
            json!({"id": "C1", "name": "Acme Ltd", "city": "杭州", "tags": ["a"], "custom": {"erp": "1", "vat": "x"}}),
            json!({"id": "C1", "name": "Acme Ltd", "city": "杭州", "tags": ["a"], "custom": {"erp": "1", "vat": "x"}}),
            vec![("name", json!("Acme Ltd"))],
            vec![],
            vec![],
        ),
        (
            "same field, different values",
            json!({"id": "C1", "name": "Mine", "city": "杭州", "tags": ["a"], "custom": {"erp": "1", "vat": "x"}}),
            json!({"id": "C1", "name": "Theirs", "city": "杭州", "tags": ["a"], "custom": {"erp": "1", "vat": "x"}}),
            vec![("name", json!("Theirs"))],
            vec!["name"],
            vec![],
        ),
        (
            "a list is one field",
            json!({"id": "C1", "name": "Acme", "city": "杭州", "tags": ["a", "b"], "custom": {"erp": "1", "vat": "x"}}),
            json!({"id": "C1", "name": "Acme", "city": "杭州", "tags": ["c"], "custom": {"erp": "1", "vat": "x"}}),
            vec![("tags", json!(["c"]))],
            vec!["tags"],
            vec![],
        ),
        (
            "custom fields merge by key",
            json!({"id": "C1", "name": "Acme", "city": "杭州", "tags": ["a"], "custom": {"erp": "2", "vat": "x"}}),
            json!({"id": "C1", "name": "Acme", "city": "杭州", "tags": ["a"], "custom": {"erp": "1", "vat": "y"}}),
            vec![("custom", json!({"erp": "2", "vat": "y"}))],
            vec![],
            vec!["custom"],
        ),
        (
            "custom key conflict",
            json!({"id": "C1", "name": "Acme", "city": "杭州", "tags": ["a"], "custom": {"erp": "2", "vat": "x"}}),
            json!({"id": "C1", "name": "Acme", "city": "杭州", "tags": ["a"], "custom": {"erp": "3", "vat": "x"}}),
            vec![],
            vec!["custom.erp"],
            vec![],
        ),
        (
            "cleared here, unchanged there",
            json!({"id": "C1", "name": "Acme", "tags": ["a"], "custom": {"erp": "1", "vat": "x"}}),
            base.clone(),
            vec![("city", serde_json::Value::Null)],
            vec![],
            vec!["city"],
        ),
        (
            "server-managed fields never conflict",
            json!({"id": "C1", "name": "Acme", "city": "杭州", "tags": ["a"], "updated_at": "mine", "custom": {"erp": "1", "vat": "x"}}),
            json!({"id": "C1", "name": "Acme", "city": "杭州", "tags": ["a"], "updated_at": "theirs", "custom": {"erp": "1", "vat": "x"}}),
            vec![("updated_at", json!("theirs"))],
            vec![],
            vec![],
        ),
    ];
    for (name, mine, theirs, fields, conflicts, changed) in cases {
        let m = three_way(&base, &mine, &theirs);
        for (f, v) in fields {
            assert_eq!(m.merged.get(f).cloned().unwrap_or(serde_json::Value::Null), v, "{name}: {f}");
        }
        assert_eq!(m.conflicts.iter().map(|c| c.field.as_str()).collect::<Vec<_>>(), conflicts, "{name}");
        assert_eq!(m.changed, changed, "{name}");
    }
    let m = three_way(&base, &json!({"name": "Mine"}), &json!({"name": "Theirs"}));
    assert_eq!(
        (m.conflicts[0].base.clone(), m.conflicts[0].mine.clone(), m.conflicts[0].theirs.clone()),
        (json!("Acme"), json!("Mine"), json!("Theirs"))
    );
    let picked = kehu::core::sync::merge::resolve(&m.merged, &m.conflicts, |_| Side::Mine);
    assert_eq!(picked["name"], json!("Mine"));
}

// ------------------------------------------------------------------------------------------
// Retry timing

#[test]
fn backoff_grows_with_jitter_up_to_a_cap_and_honours_retry_after() {
    let mut prev = Duration::zero();
    for attempts in 1..=12u32 {
        let lo = retry_delay(attempts, 0.0, None);
        let hi = retry_delay(attempts, 0.999_999, None);
        assert!(lo <= hi, "attempt {attempts}");
        assert!(hi <= Duration::minutes(5), "capped: {hi}");
        assert!(lo >= prev / 2, "never shrinks much: {lo} after {prev}");
        assert!(hi <= lo * 2 + Duration::milliseconds(1), "jitter spans half a step");
        prev = lo;
    }
    assert_eq!(retry_delay(1, 0.0, None), Duration::seconds(1));
    assert_eq!(retry_delay(1, 0.5, None), Duration::milliseconds(1500));
    assert_eq!(retry_delay(3, 0.0, None), Duration::seconds(4));
    assert_eq!(retry_delay(30, 1.0, None), Duration::minutes(5));
    assert_eq!(retry_delay(1, 0.0, Some(Duration::seconds(120))), Duration::seconds(120), "Retry-After is a floor");
    assert_eq!(retry_delay(9, 0.0, Some(Duration::seconds(1))), Duration::seconds(150));
    assert_eq!(retry_delay(2, f64::NAN, None), Duration::seconds(3), "a bad jitter value is harmless");
    let now = Utc.with_ymd_and_hms(2026, 11, 1, 8, 0, 0).unwrap();
    let table = [
        ("120", Some(Duration::seconds(120))),
        (" 7 ", Some(Duration::seconds(7))),
        ("Sun, 01 Nov 2026 08:01:30 GMT", Some(Duration::seconds(90))),
        ("Sun, 01 Nov 2026 07:00:00 GMT", Some(Duration::zero())),
        ("soon", None),
        ("-5", None),
    ];
    for (v, want) in table {
        assert_eq!(parse_retry_after(v, now), want, "{v:?}");
    }
}

// ------------------------------------------------------------------------------------------
// In-memory backend and cache

struct Clock(Cell<DateTime<Utc>>);

impl Env for Clock {
    fn now(&self) -> DateTime<Utc> {
        self.0.get()
    }
    fn random(&self) -> f64 {
        0.5
    }
}

fn run(remote: &MemRemote, local: &MemLocal, clock: &Clock) -> SyncReport {
    block_on(sync(remote, local, clock, SyncOptions::default(), &mut |_| {}))
}

/// A run with "Sync now".
fn run_full_check(remote: &MemRemote, local: &MemLocal, clock: &Clock) -> SyncReport {
    block_on(sync(remote, local, clock, SyncOptions { reconcile: true }, &mut |_| {}))
}

fn name_of(r: Option<Record>) -> String {
    match r {
        Some(Record::Customers(c)) => c.name,
        Some(Record::Contacts(c)) => c.name,
        other => format!("{other:?}"),
    }
}

// ------------------------------------------------------------------------------------------
// Sync runs

#[test]
fn pushes_in_order_then_pulls_everything() {
    let remote = MemRemote::with(&[cust("C1", "Acme", "杭州"), cust("C2", "Bolt", "宁波"), cust("C3", "Cato", "苏州")]);
    let local = MemLocal::with(&[cust("C1", "Acme", "杭州"), cust("C2", "Bolt", "宁波")]);
    let clock = Clock(Cell::new(t(1)));
    local.edit(Edit::Create(cust("N1", "New Co", "苏州")), t(1));
    local.edit(Edit::Create(Record::Contacts(contact("P1", "N1", "张伟"))), t(1));
    local.edit(Edit::Update(cust("C1", "Acme Ltd", "杭州")), t(1));
    local.edit(Edit::Delete(Entity::Customers, "C2".into()), t(1));
    let report = run(&remote, &local, &clock);
    assert_eq!(report.error, None);
    assert_eq!(report.pushed, 4);
    let writes: Vec<String> =
        remote.calls().into_iter().filter(|c| !c.starts_with("list") && !c.starts_with("get")).collect();
    assert_eq!(writes, vec!["create N1", "create P1", "update C1 name", "delete C2"], "outbox order");
    assert!(local.entries().is_empty());
    assert_eq!(name_of(remote.get_record(Entity::Customers, "N1")), "New Co", "client id kept");
    assert_eq!(name_of(remote.get_record(Entity::Customers, "C1")), "Acme Ltd");
    assert!(remote.get_record(Entity::Customers, "C2").is_none());
    // The pull walked the pages (page size 2, three customers) and brought C3 in.
    let lists: Vec<String> = remote.calls().into_iter().filter(|c| c.starts_with("list customers")).collect();
    assert_eq!(lists, vec!["list customers Start", "list customers Offset(2)"]);
    assert_eq!(local.ids_sorted(Entity::Customers), vec!["C1", "C3", "N1"]);
}

#[test]
fn a_kind_the_backend_has_no_resource_for_stays_on_the_device_waiting_not_refused() {
    // The backend keeps customers and contacts only (like BottleCRM, which keeps no visit reports).
    let remote = MemRemote::with(&[cust("C1", "Acme", "杭州")]);
    let local = MemLocal::with(&[cust("C1", "Acme", "杭州")]);
    let clock = Clock(Cell::new(t(1)));
    let visit = Visit::planned("V1".into(), "C1".into(), t(1).date_naive(), "王磊".into(), t(1));
    local.edit(Edit::Create(Record::Visits(visit.clone())), t(1));
    local.edit(Edit::Update(cust("C1", "Acme Ltd", "杭州")), t(1));
    for run_no in 0..2 {
        let report = run(&remote, &local, &clock);
        assert_eq!(
            (report.error.clone(), report.pushed, report.rejected),
            (None, usize::from(run_no == 0), 0),
            "run {run_no}"
        );
        let writes: Vec<String> =
            remote.calls().into_iter().filter(|c| !c.starts_with("list") && !c.starts_with("get")).collect();
        assert_eq!(writes, vec!["update C1 name"], "the visit is never sent");
        // The visit waits, untouched: pending, never tried, and the record is kept.
        let waiting = local.entries();
        assert_eq!(waiting.len(), 1, "run {run_no}");
        assert_eq!((waiting[0].entity, waiting[0].record_id.as_str()), (Entity::Visits, "V1"));
        assert!(waiting[0].is_pending() && waiting[0].attempts == 0 && !waiting[0].was_sent(), "{:?}", waiting[0]);
        assert_eq!(local.record(Entity::Visits, "V1"), Some(Record::Visits(visit.clone())));
    }
}

#[test]
fn transient_failures_back_off_keep_order_and_retry_idempotently() {
    let remote = MemRemote::with(&[cust("C1", "Acme", "杭州")]);
    let local = MemLocal::with(&[cust("C1", "Acme", "杭州")]);
    let clock = Clock(Cell::new(t(1)));
    local.edit(Edit::Create(cust("N1", "New Co", "苏州")), t(1));
    local.edit(Edit::Update(cust("C1", "Acme Ltd", "杭州")), t(1));
    // The create reaches the server, but the answer is lost.
    remote.failures.borrow_mut().push_back(timeout_after(true, "create"));
    let r1 = run(&remote, &local, &clock);
    assert_eq!(r1.pushed, 0);
    assert_eq!(r1.error, Some(SyncError::Remote(RemoteError::Timeout)));
    let e = &local.entries()[0];
    assert_eq!((e.record_id.as_str(), e.attempts), ("N1", 1));
    let due = e.not_before.unwrap();
    assert_eq!(due, t(1) + Duration::milliseconds(1500), "first retry ~1-2 s later");
    assert_eq!(r1.retry_at, Some(due));
    assert_eq!(name_of(remote.get_record(Entity::Customers, "C1")), "Acme", "nothing after the failed entry went out");

    // Too early: nothing is sent, but the pull goes on (the waiting records are not touched).
    let writes = || remote.calls().iter().filter(|c| !c.starts_with("list")).count();
    let before = writes();
    let r2 = run(&remote, &local, &clock);
    assert_eq!((r2.pushed, writes()), (0, before));
    assert!(remote.calls().last().is_some_and(|c| c.starts_with("list")), "pulled meanwhile");
    assert_eq!(r2.retry_at, Some(due));

    // Due: the retry sees the record already exists (same client id) and does not create it twice.
    clock.0.set(due);
    let r3 = run(&remote, &local, &clock);
    assert_eq!(r3.error, None);
    assert_eq!(r3.pushed, 2);
    let creates = remote.calls().iter().filter(|c| c.starts_with("create")).count();
    assert_eq!(creates, 1, "one create, whatever the retries");
    assert_eq!(name_of(remote.get_record(Entity::Customers, "C1")), "Acme Ltd");
}

#[test]
fn retry_after_and_rate_limits_are_honoured() {
    let remote = MemRemote::with(&[]);
    let local = MemLocal::with(&[]);
    let clock = Clock(Cell::new(t(1)));
    local.edit(Edit::Create(cust("N1", "New Co", "苏州")), t(1));
    remote.fail("create", RemoteError::RateLimited { retry_after_secs: Some(600) }, false);
    let r = run(&remote, &local, &clock);
    assert_eq!(r.retry_at, Some(t(1) + Duration::seconds(600)));
    remote.fail("create", RemoteError::Server { status: 503, retry_after_secs: None }, false);
    clock.0.set(t(2));
    let r = run(&remote, &local, &clock);
    assert_eq!(local.entries()[0].attempts, 2);
    assert_eq!(r.retry_at, Some(t(2) + Duration::seconds(3)), "second attempt: 2-4 s");
}

#[test]
fn an_entry_that_keeps_failing_is_parked_not_blocking() {
    let remote = MemRemote::with(&[]);
    let local = MemLocal::with(&[]);
    let clock = Clock(Cell::new(t(1)));
    local.edit(Edit::Create(cust("N1", "Bad", "苏州")), t(1));
    local.edit(Edit::Create(cust("N2", "Good", "苏州")), t(1));
    for i in 0..MAX_ATTEMPTS {
        remote.fail("create", RemoteError::Server { status: 500, retry_after_secs: None }, false);
        clock.0.set(t(10 * (i as i64 + 1)));
        run(&remote, &local, &clock);
    }
    let entries = local.entries();
    assert_eq!(entries.len(), 1, "the good one went through");
    assert!(matches!(entries[0].state, EntryState::Rejected { .. }), "{:?}", entries[0].state);
    assert_eq!(entries[0].attempts, MAX_ATTEMPTS);
    assert!(remote.get_record(Entity::Customers, "N2").is_some());
    assert!(local.record(Entity::Customers, "N1").is_some(), "the user's record is kept");
}

#[test]
fn rejected_writes_keep_the_edit_with_field_errors_and_hold_dependants() {
    let remote = MemRemote::with(&[]);
    let local = MemLocal::with(&[]);
    let clock = Clock(Cell::new(t(1)));
    local.edit(Edit::Create(cust("N1", "", "苏州")), t(1));
    local.edit(Edit::Create(Record::Contacts(contact("P1", "N1", "张伟"))), t(1));
    local.edit(Edit::Create(cust("N2", "Fine", "苏州")), t(1));
    remote.fail(
        "create",
        RemoteError::Rejected {
            status: 422,
            message: "invalid".into(),
            fields: vec![("name".into(), "required".into())],
        },
        false,
    );
    let r = run(&remote, &local, &clock);
    assert_eq!((r.pushed, r.rejected), (1, 1));
    let entries = local.entries();
    assert_eq!(entries.len(), 2, "the rejected create and its contact wait");
    match &entries[0].state {
        EntryState::Rejected { status, fields, .. } => {
            assert_eq!(*status, Some(422));
            assert_eq!(fields, &vec![("name".to_string(), "required".to_string())]);
        }
        s => panic!("{s:?}"),
    }
    assert!(entries[1].is_pending(), "the contact is held, not rejected");
    assert!(!remote.calls().iter().any(|c| c == "create P1"), "a contact of an unsaved customer is not sent");
}

#[test]
fn losing_authorisation_or_network_stops_the_run_and_keeps_every_edit() {
    for error in [
        RemoteError::Unauthorized { status: 401 },
        RemoteError::Offline,
        RemoteError::Blocked { url: "x".into() },
        RemoteError::Refused { url: "x".into() },
    ] {
        let remote = MemRemote::with(&[]);
        let local = MemLocal::with(&[]);
        let clock = Clock(Cell::new(t(1)));
        local.edit(Edit::Create(cust("N1", "New", "苏州")), t(1));
        remote.fail("create", error.clone(), false);
        let r = run(&remote, &local, &clock);
        assert_eq!(r.error, Some(SyncError::Remote(error.clone())));
        let e = &local.entries()[0];
        assert_eq!((e.attempts, e.is_pending()), (0, true), "{error:?}: untouched, retried when possible");
        assert!(!remote.calls().iter().any(|c| c.starts_with("list")), "{error:?}: no pull");
    }
}

#[test]
fn one_field_each_merges_and_the_same_field_conflicts() {
    // Two clients edit the same customer. The server (like json-server or BottleCRM) accepts
    // stale writes, so the merge must happen on our side before the write.
    let remote = MemRemote::with(&[cust("C1", "Acme", "杭州")]);
    let a = MemLocal::with(&[cust("C1", "Acme", "杭州")]);
    let b = MemLocal::with(&[cust("C1", "Acme", "杭州")]);
    let clock = Clock(Cell::new(t(1)));
    a.edit(Edit::Update(cust("C1", "Acme Ltd", "杭州")), t(1));
    b.edit(Edit::Update(cust("C1", "Acme", "宁波")), t(1));
    assert_eq!(run(&remote, &a, &clock).pushed, 1);
    let rb = run(&remote, &b, &clock);
    assert_eq!((rb.pushed, rb.conflicts), (1, 0));
    let Some(Record::Customers(server)) = remote.get_record(Entity::Customers, "C1") else { panic!() };
    assert_eq!((server.name.as_str(), server.city.as_str()), ("Acme Ltd", "宁波"), "both edits kept");
    assert!(remote.calls().contains(&"update C1 city".to_string()), "B sent only its field");
    // A pulls and sees B's change.
    run(&remote, &a, &clock);
    assert_eq!(a.record(Entity::Customers, "C1"), Some(Record::Customers(server.clone())));

    // Now both change the name.
    a.edit(Edit::Update(cust("C1", "Acme Group", "宁波")), t(2));
    b.edit(Edit::Update(cust("C1", "Acme Holdings", "宁波")), t(2));
    run(&remote, &a, &clock);
    let rb = run(&remote, &b, &clock);
    assert_eq!(rb.conflicts, 1);
    let entry = b.entries()[0].clone();
    let EntryState::Conflict(Conflict::Fields { fields, .. }) = &entry.state else { panic!("{:?}", entry.state) };
    assert_eq!(fields.len(), 1);
    assert_eq!(
        (fields[0].field.as_str(), &fields[0].base, &fields[0].mine, &fields[0].theirs),
        ("name", &json!("Acme Ltd"), &json!("Acme Holdings"), &json!("Acme Group"))
    );
    assert_eq!(name_of(remote.get_record(Entity::Customers, "C1")), "Acme Group", "nothing overwritten");
    assert_eq!(name_of(b.record(Entity::Customers, "C1")), "Acme Holdings", "the user's edit is kept");
    // Running again changes nothing while the user has not decided.
    assert_eq!(run(&remote, &b, &clock).pushed, 0);

    // B keeps its own name.
    let resolved = resolve_conflict(&entry, Resolution::Fields(vec![("name".into(), Side::Mine)]), t(3)).unwrap();
    let e = resolved.entry.unwrap();
    b.outbox.borrow_mut().insert(e.seq, e);
    let r = run(&remote, &b, &clock);
    assert_eq!(r.pushed, 1);
    assert_eq!(name_of(remote.get_record(Entity::Customers, "C1")), "Acme Holdings");
}

#[test]
fn deletions_on_either_side_are_shown_not_dropped() {
    // Edited here, deleted there.
    let remote = MemRemote::with(&[cust("C1", "Acme", "杭州")]);
    let local = MemLocal::with(&[cust("C1", "Acme", "杭州")]);
    let clock = Clock(Cell::new(t(1)));
    local.edit(Edit::Update(cust("C1", "Acme Ltd", "杭州")), t(1));
    remote.records.borrow_mut().clear();
    let r = run(&remote, &local, &clock);
    assert_eq!(r.conflicts, 1);
    let entry = local.entries()[0].clone();
    assert_eq!(entry.state, EntryState::Conflict(Conflict::DeletedOnServer));
    assert_eq!(
        name_of(local.record(Entity::Customers, "C1")),
        "Acme Ltd",
        "the full pull does not drop an edited record"
    );
    // Recreate it.
    let resolved = resolve_conflict(&entry, Resolution::Recreate, t(2)).unwrap();
    let e = resolved.entry.unwrap();
    assert_eq!(e.op, Op::Create);
    local.outbox.borrow_mut().insert(e.seq, e);
    assert_eq!(run(&remote, &local, &clock).pushed, 1);
    assert_eq!(name_of(remote.get_record(Entity::Customers, "C1")), "Acme Ltd");

    // Deleted here, changed there.
    let remote = MemRemote::with(&[cust("C2", "Bolt", "宁波")]);
    let local = MemLocal::with(&[cust("C2", "Bolt", "宁波")]);
    local.edit(Edit::Delete(Entity::Customers, "C2".into()), t(1));
    remote.put(cust("C2", "Bolt Industries", "宁波"));
    let r = run(&remote, &local, &clock);
    assert_eq!(r.conflicts, 1);
    let entry = local.entries()[0].clone();
    assert!(matches!(entry.state, EntryState::Conflict(Conflict::ChangedOnServer { .. })));
    assert!(remote.get_record(Entity::Customers, "C2").is_some(), "not deleted behind the other user's back");
    let resolved = resolve_conflict(&entry, Resolution::DiscardMine, t(2)).unwrap();
    assert!(resolved.entry.is_none());
    assert_eq!(resolved.local.unwrap()["name"], json!("Bolt Industries"), "their version comes back");
}

#[test]
fn a_full_pull_detects_server_deletions_and_skips_bad_records() {
    let remote = MemRemote::with(&[cust("C1", "Acme", "杭州"), cust("C3", "Cato", "苏州")]);
    remote.garbage.borrow_mut().push(BadRecord {
        entity: Entity::Customers,
        id: Some("C4".into()),
        why: kehu::core::record::Unreadable::Malformed,
        reason: "missing name".into(),
    });
    let local = MemLocal::with(&[cust("C1", "Acme", "杭州"), cust("C2", "Gone", "宁波"), cust("C4", "Old", "宁波")]);
    let clock = Clock(Cell::new(t(1)));
    let r = run(&remote, &local, &clock);
    assert_eq!(r.error, None);
    assert_eq!(
        local.ids_sorted(Entity::Customers),
        vec!["C1", "C3", "C4"],
        "C2 removed; C4 kept though unreadable now"
    );
    assert_eq!(r.removed, 1);
    assert_eq!(r.skipped.len(), 1);
    assert!(r.changes.contains(&Change::Remove(Entity::Customers, "C2".into())));
}

#[test]
fn incremental_pulls_ask_only_for_changes_since_the_checkpoint() {
    let mut remote = MemRemote::with(&[cust("C1", "Acme", "杭州"), cust("C2", "Bolt", "宁波")]);
    remote.incremental = true;
    remote.page_size = 10;
    let local = MemLocal::with(&[]);
    let clock = Clock(Cell::new(t(1)));
    let r1 = run(&remote, &local, &clock);
    assert_eq!(r1.pulled, 2);
    assert_eq!(local.checkpoints.borrow().get(&Entity::Customers).cloned(), Some("000002".into()));
    remote.put(cust("C2", "Bolt Industries", "宁波"));
    let r2 = run(&remote, &local, &clock);
    assert_eq!(r2.pulled, 1, "only the changed record");
    assert_eq!(name_of(local.record(Entity::Customers, "C2")), "Bolt Industries");
    assert_eq!(r2.removed, 0, "an incremental pull never guesses deletions");
}

#[test]
fn server_assigned_ids_are_carried_to_waiting_records() {
    let mut remote = MemRemote::with(&[]);
    remote.assigns_ids = true;
    let local = MemLocal::with(&[]);
    let clock = Clock(Cell::new(t(1)));
    local.edit(Edit::Create(cust("N1", "New Co", "苏州")), t(1));
    local.edit(Edit::Create(Record::Contacts(contact("P1", "N1", "张伟"))), t(1));
    let r = run(&remote, &local, &clock);
    assert_eq!((r.error, r.pushed), (None, 2));
    assert!(remote.get_record(Entity::Customers, "srv-N1").is_some());
    let Some(Record::Contacts(p)) = remote.get_record(Entity::Contacts, "P1") else { panic!() };
    assert_eq!(p.customer_id, "srv-N1", "the contact was sent with the server's id");
    assert!(local.record(Entity::Customers, "N1").is_none());
    assert!(local.record(Entity::Customers, "srv-N1").is_some());
}

#[test]
fn records_made_together_reach_the_server_with_each_others_server_ids() {
    // A contact, a visit that met them and a deal that names both, all made on this device, on a
    // backend that gives every record its own id. (case, the deal is made first and names the
    // others in a later edit, the contact's create is refused)
    for (case, deal_first, refused) in
        [("contact, visit, deal", false, false), ("deal first", true, false), ("contact refused", false, true)]
    {
        let remote = MemRemote {
            assigns_ids: true,
            assigns_all_ids: true,
            more_kinds: vec![Entity::Visits, Entity::Opportunities],
            ..MemRemote::with(&[cust("C1", "Acme", "杭州")])
        };
        let local = MemLocal::with(&[cust("C1", "Acme", "杭州")]);
        let clock = Clock(Cell::new(t(1)));
        let p1 = Record::Contacts(contact("P1", "C1", "张伟"));
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
        let mut visit = Visit::planned("V1".into(), "C1".into(), day, "王芳".into(), t(0));
        visit.contacts_met = vec!["P1".into()];
        let mut deal = Opportunity::blank("D1".into(), "C1".into(), &Stages::default(), "王芳".into(), t(0));
        deal.title = "数控机床 3 台".into();
        let named = Opportunity { contacts: vec!["P1".into()], source_id: Some("V1".into()), ..deal.clone() };
        if deal_first {
            local.edit(Edit::Create(Record::Opportunities(deal)), t(1));
            local.edit(Edit::Create(p1), t(1));
            local.edit(Edit::Create(Record::Visits(visit)), t(1));
            local.edit(Edit::Update(Record::Opportunities(named)), t(1));
        } else {
            local.edit(Edit::Create(p1), t(1));
            local.edit(Edit::Create(Record::Visits(visit)), t(1));
            local.edit(Edit::Create(Record::Opportunities(named)), t(1));
        }
        if refused {
            let fields = vec![("name".to_string(), "taken".to_string())];
            remote.fail("create", RemoteError::Rejected { status: 400, message: "invalid".into(), fields }, false);
        }
        let r = run(&remote, &local, &clock);
        assert_eq!(r.error, None, "{case}");
        if refused {
            assert_eq!((r.pushed, r.rejected), (0, 1), "{case}");
            assert_eq!(local.entries().len(), 3, "{case}: the visit and the deal wait with their contact");
            assert!(
                !remote.calls().iter().any(|c| c == "create V1" || c == "create D1"),
                "{case}: nothing is sent naming a contact the server does not have"
            );
            continue;
        }
        assert_eq!(r.pushed, 3, "{case}: {:?} {:?}", remote.calls(), local.entries());
        assert!(local.entries().is_empty(), "{case}");
        let Some(Record::Visits(v)) = remote.get_record(Entity::Visits, "srv-V1") else { panic!("{case}") };
        assert_eq!(v.contacts_met, vec!["srv-P1".to_string()], "{case}");
        let Some(Record::Opportunities(d)) = remote.get_record(Entity::Opportunities, "srv-D1") else {
            panic!("{case}: {:?}", remote.calls())
        };
        assert_eq!((d.contacts, d.source_id), (vec!["srv-P1".to_string()], Some("srv-V1".to_string())), "{case}");
        let Some(Record::Opportunities(mine)) = local.record(Entity::Opportunities, "srv-D1") else { panic!("{case}") };
        assert_eq!(mine.contacts, vec!["srv-P1".to_string()], "{case}: the device keeps the server's ids too");
        assert!(local.record(Entity::Contacts, "P1").is_none(), "{case}");
    }
}

#[test]
fn a_pull_never_overwrites_an_edit_saved_while_it_runs() {
    let remote = MemRemote::with(&[cust("C1", "Acme", "杭州"), cust("C2", "Bolt", "宁波")]);
    remote.put(cust("C1", "Acme (server)", "杭州"));
    let local = std::rc::Rc::new(MemLocal::with(&[cust("C1", "Acme", "杭州"), cust("C2", "Bolt", "宁波")]));
    let l2 = local.clone();
    let mut done = false;
    // The user saves an edit of C1 after the pull has started (between its first and second page).
    *remote.on_list.borrow_mut() = Some(Box::new(move || {
        if !done {
            done = true;
            l2.edit(Edit::Update(cust("C1", "Acme (mine)", "杭州")), t(1));
        }
    }));
    let clock = Clock(Cell::new(t(1)));
    let r = run(&remote, &local, &clock);
    assert_eq!(r.error, None);
    assert_eq!(name_of(local.record(Entity::Customers, "C1")), "Acme (mine)", "the local edit stays");
    assert!(
        !r.changes.iter().any(|c| matches!(c, Change::Upsert(Record::Customers(x)) if x.id == "C1")),
        "and is not reported as pulled"
    );
    assert_eq!(local.entries().len(), 1);
    // The next run merges it with the server's version.
    let r = run(&remote, &local, &clock);
    assert_eq!(r.conflicts, 1, "both changed the name: the user decides");
}

// ------------------------------------------------------------------------------------------
// Edits saved while their own entry is being pushed (the push is a chain of network calls)

/// What a run leaves: the local record's name and city, the entry's op and base name (if one
/// is still waiting), and the server's record's name and city.
fn customer_state(
    remote: &MemRemote,
    local: &MemLocal,
    local_id: &str,
    server_id: &str,
) -> (String, String, Option<(Op, String)>, String, String) {
    let (ln, lc) = match local.record(Entity::Customers, local_id) {
        Some(Record::Customers(c)) => (c.name, c.city),
        other => (format!("{other:?}"), String::new()),
    };
    let waiting = local.entries().into_iter().find(|e| e.record_id == local_id).map(|e| {
        let base = e.base.as_ref().and_then(|b| b.get("name")).and_then(|n| n.as_str()).unwrap_or("").to_string();
        (e.op, base)
    });
    let (sn, sc) = match remote.get_record(Entity::Customers, server_id) {
        Some(Record::Customers(c)) => (c.name, c.city),
        other => (format!("{other:?}"), String::new()),
    };
    (ln, lc, waiting, sn, sc)
}

#[test]
fn an_edit_saved_during_its_own_push_is_kept_and_sent_next() {
    // (case, the server assigns ids, the first edit is a create)
    for (case, assigns, create) in
        [("update", false, false), ("create", false, true), ("create, server id", true, true)]
    {
        let mut remote = MemRemote::with(&[cust("C1", "Acme", "杭州")]);
        remote.assigns_ids = assigns;
        let local = std::rc::Rc::new(MemLocal::with(&[cust("C1", "Acme", "杭州")]));
        let clock = Clock(Cell::new(t(1)));
        let id = if create { "N1" } else { "C1" };
        if create {
            local.edit(Edit::Create(cust("N1", "New Co", "苏州")), t(1));
        } else {
            local.edit(Edit::Update(cust("C1", "Acme Ltd", "杭州")), t(1));
        }
        let first = if create { "New Co" } else { "Acme Ltd" };
        // While the write is on its way, the user changes the city on the same record.
        let l2 = local.clone();
        let mut once = true;
        *remote.on_write.borrow_mut() = Some(Box::new(move |_| {
            if once {
                once = false;
                l2.edit(Edit::Update(cust(id, first, "宁波")), t(2));
            }
        }));
        let server_id = if assigns { "srv-N1".to_string() } else { id.to_string() };
        let r = run(&remote, &local, &clock);
        assert_eq!((r.error.clone(), r.pushed), (None, 1), "{case}");
        let local_id = if assigns { "srv-N1" } else { id };
        let (ln, lc, waiting, sn, sc) = customer_state(&remote, &local, local_id, &server_id);
        assert_eq!((ln.as_str(), lc.as_str()), (first, "宁波"), "{case}: the newer edit stays on the device");
        assert_eq!(waiting, Some((Op::Update, first.to_string())), "{case}: and waits, based on what was sent");
        assert_eq!(sn.as_str(), first, "{case}: the first edit reached the server");
        assert_ne!(sc.as_str(), "宁波", "{case}");
        if assigns {
            assert!(local.record(Entity::Customers, "N1").is_none(), "{case}: the record carries the server's id");
        }
        // The next run sends the newer edit, as an update: no second create, no conflict.
        *remote.on_write.borrow_mut() = None;
        let r = run(&remote, &local, &clock);
        assert_eq!((r.error, r.pushed, r.conflicts), (None, 1, 0), "{case}");
        let (ln, lc, waiting, sn, sc) = customer_state(&remote, &local, local_id, &server_id);
        assert_eq!(
            (ln.as_str(), lc.as_str(), waiting, sn.as_str(), sc.as_str()),
            (first, "宁波", None, first, "宁波"),
            "{case}"
        );
        assert_eq!(remote.calls().iter().filter(|c| c.starts_with("create")).count(), usize::from(create), "{case}");
    }
}

#[test]
fn a_conflict_or_rejection_found_for_an_older_version_does_not_replace_a_newer_edit() {
    for outcome in ["conflict", "rejected"] {
        let remote = MemRemote::with(&[cust("C1", "Acme", "杭州")]);
        let local = std::rc::Rc::new(MemLocal::with(&[cust("C1", "Acme", "杭州")]));
        let clock = Clock(Cell::new(t(1)));
        local.edit(Edit::Update(cust("C1", "Acme Ltd", "杭州")), t(1));
        if outcome == "conflict" {
            // Someone renamed it on the server too: the push finds a conflict on the name...
            remote.put(cust("C1", "Acme Group", "杭州"));
        } else {
            remote.fail("update", RemoteError::Rejected { status: 422, message: "bad".into(), fields: vec![] }, false);
        }
        // ...while the user, on the device, puts the name back and changes the city instead.
        let l2 = local.clone();
        let mut once = true;
        let hook: Box<dyn FnMut()> = Box::new(move || {
            if once {
                once = false;
                l2.edit(Edit::Update(cust("C1", "Acme", "宁波")), t(2));
            }
        });
        if outcome == "conflict" {
            // The conflict is decided right after the server's version is read.
            *remote.on_get.borrow_mut() = Some(hook);
        } else {
            let mut hook = hook;
            *remote.on_write.borrow_mut() = Some(Box::new(move |_| hook()));
        }
        let r = run(&remote, &local, &clock);
        assert_eq!((r.conflicts, r.rejected), (0, 0), "{outcome}: found for a version that no longer exists");
        let e = &local.entries()[0];
        assert!(e.is_pending(), "{outcome}: {:?}", e.state);
        assert_eq!(name_of(local.record(Entity::Customers, "C1")), "Acme", "{outcome}");
        // The next run merges the newer edit: only the city changed here.
        *remote.on_get.borrow_mut() = None;
        *remote.on_write.borrow_mut() = None;
        let r = run(&remote, &local, &clock);
        assert_eq!((r.error, r.pushed, r.conflicts), (None, 1, 0), "{outcome}");
        let Some(Record::Customers(c)) = remote.get_record(Entity::Customers, "C1") else { panic!() };
        let want = if outcome == "conflict" { "Acme Group" } else { "Acme" };
        assert_eq!((c.name.as_str(), c.city.as_str()), (want, "宁波"), "{outcome}");
    }
}

#[test]
fn a_create_whose_answer_was_lost_and_then_edited_is_not_created_twice() {
    let remote = MemRemote::with(&[]);
    let local = MemLocal::with(&[]);
    let clock = Clock(Cell::new(t(1)));
    local.edit(Edit::Create(cust("N1", "New Co", "苏州")), t(1));
    remote.failures.borrow_mut().push_back(timeout_after(true, "create"));
    let r = run(&remote, &local, &clock);
    assert_eq!(r.error, Some(SyncError::Remote(RemoteError::Timeout)));
    // The user edits it before the retry (which resets the retry count).
    local.edit(Edit::Update(cust("N1", "New Co", "苏州工业园区")), t(2));
    assert_eq!(local.entries()[0].attempts, 0);
    let r = run(&remote, &local, &clock);
    assert_eq!((r.error, r.pushed, r.conflicts), (None, 1, 0));
    assert_eq!(remote.calls().iter().filter(|c| c.starts_with("create")).count(), 1, "one create");
    let Some(Record::Customers(c)) = remote.get_record(Entity::Customers, "N1") else { panic!() };
    assert_eq!(c.city, "苏州工业园区", "the later edit went out as an update");
    assert!(local.entries().is_empty());
    // Deleting a create that was sent (even if never answered) must reach the server.
    let local = MemLocal::with(&[]);
    local.edit(Edit::Create(cust("N2", "Gone Co", "苏州")), t(1));
    remote.failures.borrow_mut().push_back(timeout_after(true, "create"));
    run(&remote, &local, &clock);
    local.edit(Edit::Delete(Entity::Customers, "N2".into()), t(2));
    assert_eq!(local.entries().len(), 1, "the delete is kept: the create may have arrived");
    clock.0.set(t(3));
    let r = run(&remote, &local, &clock);
    assert_eq!(r.error, None);
    assert!(remote.get_record(Entity::Customers, "N2").is_none());
}

// ------------------------------------------------------------------------------------------
// Writes that reached the server with their answer lost (issue 20: lost edits under faults)

fn city_of(r: Option<Record>) -> String {
    match r {
        Some(Record::Customers(c)) => c.city,
        other => format!("{other:?}"),
    }
}

/// A field edited A → B, the write of B reaching the server (or not) with its answer lost, then
/// edited B → A (or on to C): the server ends with the last value, nothing is pending, and there
/// is no conflict with oneself.
#[test]
fn an_edit_after_a_write_whose_answer_was_lost_is_never_dropped_nor_a_conflict_with_oneself() {
    // (applied before the answer was lost?, second edit's city, how it failed)
    let cases: &[(bool, &str, RemoteError)] = &[
        (true, "杭州", RemoteError::Server { status: 500, retry_after_secs: None }),
        (false, "杭州", RemoteError::Server { status: 503, retry_after_secs: None }),
        (true, "温州", RemoteError::Server { status: 500, retry_after_secs: None }),
        (false, "温州", RemoteError::Timeout),
        (true, "杭州", RemoteError::Timeout),
    ];
    for (applied, last, err) in cases {
        let what = format!("applied={applied} last={last} {err}");
        let remote = MemRemote::with(&[cust("C1", "Acme", "杭州")]);
        let local = MemLocal::with(&[cust("C1", "Acme", "杭州")]);
        let clock = Clock(Cell::new(t(1)));
        local.edit(Edit::Update(cust("C1", "Acme", "宁波")), t(1));
        remote.fail("update", err.clone(), *applied);
        let r = run(&remote, &local, &clock);
        assert!(r.error.is_some(), "{what}: the first write failed");
        assert_eq!(
            city_of(remote.get_record(Entity::Customers, "C1")),
            if *applied { "宁波" } else { "杭州" },
            "{what}"
        );
        // The user changes it again before the retry.
        local.edit(Edit::Update(cust("C1", "Acme", last)), t(2));
        clock.0.set(t(3));
        let r = run(&remote, &local, &clock);
        assert_eq!((r.error.clone(), r.conflicts), (None, 0), "{what}: {:?}", local.entries());
        assert!(local.entries().is_empty(), "{what}: nothing left waiting");
        assert_eq!(city_of(remote.get_record(Entity::Customers, "C1")), *last, "{what}: the server has the last edit");
        assert_eq!(city_of(local.record(Entity::Customers, "C1")), *last, "{what}: and so does the device");
    }
}

/// The same when the second edit is saved while the first write is on its way (in flight), and
/// the answer to that write is then lost.
#[test]
fn an_edit_saved_while_its_write_is_in_flight_survives_a_lost_answer() {
    for applied in [true, false] {
        let remote = MemRemote::with(&[cust("C1", "Acme", "杭州")]);
        let local = std::rc::Rc::new(MemLocal::with(&[cust("C1", "Acme", "杭州")]));
        let clock = Clock(Cell::new(t(1)));
        local.edit(Edit::Update(cust("C1", "Acme", "宁波")), t(1));
        remote.fail("update", RemoteError::Server { status: 500, retry_after_secs: None }, applied);
        let l2 = local.clone();
        *remote.on_write.borrow_mut() =
            Some(Box::new(move |_| l2.edit(Edit::Update(cust("C1", "Acme", "杭州")), t(1))));
        run(&remote, &local, &clock);
        *remote.on_write.borrow_mut() = None;
        clock.0.set(t(2));
        let r = run(&remote, &local, &clock);
        assert_eq!((r.error, r.conflicts), (None, 0), "applied={applied}");
        assert!(local.entries().is_empty(), "applied={applied}");
        assert_eq!(city_of(remote.get_record(Entity::Customers, "C1")), "杭州", "applied={applied}");
    }
}

/// Deleting a record whose update was sent without an answer: the server holding that update is
/// not "changed by someone else".
#[test]
fn a_delete_after_an_unconfirmed_update_is_not_a_conflict() {
    let remote = MemRemote::with(&[cust("C1", "Acme", "杭州")]);
    let local = MemLocal::with(&[cust("C1", "Acme", "杭州")]);
    let clock = Clock(Cell::new(t(1)));
    local.edit(Edit::Update(cust("C1", "Acme", "宁波")), t(1));
    remote.fail("update", RemoteError::Server { status: 500, retry_after_secs: None }, true);
    run(&remote, &local, &clock);
    local.edit(Edit::Delete(Entity::Customers, "C1".into()), t(2));
    clock.0.set(t(3));
    let r = run(&remote, &local, &clock);
    assert_eq!((r.error, r.conflicts), (None, 0));
    assert!(remote.get_record(Entity::Customers, "C1").is_none());
    assert!(local.entries().is_empty());
}

/// An edit made on a copy older than the waiting edit (a screen that showed a pulled version
/// over it): the fields the user changed go onto the waiting version, whose own change stays.
#[test]
fn an_edit_made_on_an_older_copy_is_rebased_onto_the_waiting_one() {
    let remote = MemRemote::with(&[cust("C1", "Acme", "杭州")]);
    let local = MemLocal::with(&[cust("C1", "Acme", "杭州")]);
    let clock = Clock(Cell::new(t(1)));
    local.edit(Edit::Update(cust("C1", "Acme Ltd", "杭州")), t(1));
    // The form showed the old copy ("Acme", 杭州) and the user changed only the city.
    let seen = cust("C1", "Acme", "杭州");
    local.edit_from(Edit::Update(cust("C1", "Acme", "宁波")), Some(seen), t(2));
    assert_eq!(local.entries().len(), 1);
    assert_eq!(name_of(local.record(Entity::Customers, "C1")), "Acme Ltd", "the first edit is kept");
    assert_eq!(city_of(local.record(Entity::Customers, "C1")), "宁波");
    let r = run(&remote, &local, &clock);
    assert_eq!((r.error, r.conflicts), (None, 0));
    let on_server = remote.get_record(Entity::Customers, "C1");
    assert_eq!((name_of(on_server.clone()), city_of(on_server)), ("Acme Ltd".to_string(), "宁波".to_string()));
}

// ------------------------------------------------------------------------------------------
// Reconciling pulls, missing resources, lost creates on backends that assign ids

#[test]
fn a_daily_complete_listing_finds_what_incremental_pulls_missed_and_what_the_server_deleted() {
    let mut remote =
        MemRemote::with(&[cust("C1", "Acme", "杭州"), cust("C2", "Bolt", "宁波"), cust("C3", "Cog", "苏州")]);
    remote.incremental = true;
    remote.page_size = 10;
    let local = MemLocal::with(&[]);
    let clock = Clock(Cell::new(t(1)));
    run(&remote, &local, &clock);
    assert_eq!(local.ids_sorted(Entity::Customers), ["C1", "C2", "C3"]);
    // On the server: a record created with no modification time (no "changed since" finds it),
    // a record deleted, another deleted that has an edit waiting here.
    remote.records.borrow_mut().insert((Entity::Customers, "S9".into()), (cust("S9", "Server-made", "无锡"), 0));
    remote.records.borrow_mut().remove(&(Entity::Customers, "C2".to_string()));
    remote.records.borrow_mut().remove(&(Entity::Customers, "C3".to_string()));
    local.edit(Edit::Update(cust("C3", "Cog (mine)", "苏州")), t(1));
    clock.0.set(t(2));
    let r = run(&remote, &local, &clock);
    assert!(r.reconciled.is_empty(), "not due yet");
    assert_eq!(local.ids_sorted(Entity::Customers), ["C1", "C2", "C3"], "an incremental pull sees neither");
    assert_eq!(r.conflicts, 1, "the edit of a record deleted on the server is the user's to settle");
    // A day later, the complete listing.
    clock.0.set(t(2) + kehu::core::sync::engine::RECONCILE_EVERY);
    let r = run(&remote, &local, &clock);
    assert_eq!(r.reconciled, [Entity::Customers]);
    assert_eq!(local.ids_sorted(Entity::Customers), ["C1", "C3", "S9"], "S9 added, C2 removed, C3 (edited here) kept");
    assert_eq!(r.removed, 1);
    assert!(matches!(local.entries()[0].state, EntryState::Conflict(Conflict::DeletedOnServer)));
    // "Sync now" lists again at once.
    remote.records.borrow_mut().remove(&(Entity::Customers, "S9".to_string()));
    let r = run_full_check(&remote, &local, &clock);
    assert_eq!(r.reconciled, [Entity::Customers]);
    assert_eq!(local.ids_sorted(Entity::Customers), ["C1", "C3"]);
}

#[test]
fn the_complete_listing_asks_for_ids_only_where_the_backend_can() {
    let mut remote = MemRemote::with(&[cust("C1", "Acme", "杭州"), cust("C2", "Bolt", "宁波")]);
    remote.incremental = true;
    remote.ids_only = true;
    remote.page_size = 10;
    let local = MemLocal::with(&[]);
    let clock = Clock(Cell::new(t(1)));
    run(&remote, &local, &clock);
    remote.records.borrow_mut().insert((Entity::Customers, "S9".into()), (cust("S9", "Server-made", "无锡"), 0));
    remote.records.borrow_mut().remove(&(Entity::Customers, "C2".to_string()));
    remote.log.borrow_mut().clear();
    let r = run_full_check(&remote, &local, &clock);
    assert_eq!(r.error, None);
    assert_eq!(local.ids_sorted(Entity::Customers), ["C1", "S9"]);
    let calls = remote.calls();
    assert!(calls.contains(&"list customers ids Start".to_string()), "{calls:?}");
    assert!(calls.contains(&"get S9".to_string()), "the missing record read by itself: {calls:?}");
    assert!(calls.iter().any(|c| c.starts_with("list customers since")), "then the usual incremental pull: {calls:?}");
    assert!(!calls.contains(&"list customers Start".to_string()), "no listing of whole records: {calls:?}");
}

#[test]
fn a_resource_the_server_does_not_have_is_named_and_the_others_are_pulled() {
    let remote = MemRemote::with(&[cust("C1", "Acme", "杭州"), Record::Contacts(contact("P1", "C1", "张伟"))]);
    remote.missing.borrow_mut().push(Entity::Customers);
    let local = MemLocal::with(&[]);
    let clock = Clock(Cell::new(t(1)));
    let r = run(&remote, &local, &clock);
    assert_eq!(r.error, None);
    assert_eq!(r.missing, [Entity::Customers]);
    assert_eq!(local.ids_sorted(Entity::Contacts), ["P1"]);
}

#[test]
fn a_lost_create_on_a_backend_that_assigns_ids_is_found_by_its_content_not_sent_twice() {
    for applied in [true, false] {
        let mut remote = MemRemote::with(&[cust("C1", "Acme", "杭州")]);
        remote.assigns_ids = true;
        let local = MemLocal::with(&[cust("C1", "Acme", "杭州")]);
        let clock = Clock(Cell::new(t(1)));
        local.edit(Edit::Create(cust("N1", "New Co", "苏州")), t(1));
        local.edit(Edit::Create(Record::Contacts(contact("P1", "N1", "张伟"))), t(1));
        remote.fail("create", RemoteError::Timeout, applied);
        let r = run(&remote, &local, &clock);
        assert_eq!(r.error, Some(SyncError::Remote(RemoteError::Timeout)));
        clock.0.set(t(2));
        let r = run(&remote, &local, &clock);
        assert_eq!(r.error, None, "applied={applied}");
        if applied {
            assert_eq!(r.matched, 1, "found by its name, new to this device");
        } else {
            assert_eq!(r.matched, 0);
            // Not on the server: sent again, once.
            let r = run(&remote, &local, &clock);
            assert_eq!(r.error, None);
        }
        // The contact waited for its customer and went with the server's id.
        let r = run(&remote, &local, &clock);
        assert_eq!(r.error, None);
        let creates = remote.calls().iter().filter(|c| c.starts_with("create N1")).count();
        assert_eq!(creates, if applied { 1 } else { 2 }, "applied={applied}: {:?}", remote.calls());
        let names: Vec<String> = remote
            .records
            .borrow()
            .values()
            .filter_map(|(r, _)| if let Record::Customers(c) = r { Some(c.name.clone()) } else { None })
            .collect();
        assert_eq!(names.iter().filter(|n| *n == "New Co").count(), 1, "applied={applied}: one on the server");
        assert_eq!(local.ids_sorted(Entity::Customers), ["C1", "srv-N1"], "applied={applied}");
        let Some(Record::Contacts(p)) = remote.get_record(Entity::Contacts, "P1") else { panic!("applied={applied}") };
        assert_eq!(p.customer_id, "srv-N1");
        assert!(local.entries().is_empty(), "applied={applied}: {:?}", local.entries());
    }
}

fn task(id: &str, customer_id: &str, title: &str) -> Record {
    let mut t = Task::blank(id.into(), customer_id.into(), "王磊".into(), t(1));
    t.title = title.into();
    t.due_date = chrono::NaiveDate::from_ymd_opt(2026, 11, 20);
    t.note = "bring the samples".into();
    Record::Tasks(t)
}

fn creates_of(remote: &MemRemote, id: &str) -> usize {
    remote.calls().iter().filter(|c| *c == &format!("create {id}")).count()
}

/// A backend that assigns ids and answers a task's create with no id (as BottleCRM does).
fn answers_creates_without_id() -> MemRemote {
    let mut remote = MemRemote::with(&[cust("C1", "Acme", "杭州")]);
    remote.assigns_ids = true;
    remote.more_kinds = vec![Entity::Tasks];
    remote.creates_without_id = vec![Entity::Tasks];
    remote.page_size = 10;
    remote
}

/// A create answered "created" with no id (BottleCRM's tasks) is found by its content in the
/// same run's pull and takes the server's id; a later run sends nothing again.
#[test]
fn a_create_answered_without_an_id_is_found_by_its_content_in_the_same_run() {
    let remote = answers_creates_without_id();
    let local = MemLocal::with(&[cust("C1", "Acme", "杭州")]);
    let clock = Clock(Cell::new(t(1)));
    // A customer made here in the same run, and a task for it: the task waits for the
    // customer's server id, then goes.
    local.edit(Edit::Create(cust("N1", "New Co", "苏州")), t(1));
    local.edit(Edit::Create(task("T1", "N1", "Call back about samples")), t(1));
    let r = run(&remote, &local, &clock);
    assert_eq!(r.error, None);
    assert_eq!((r.pushed, r.matched, r.rejected), (2, 1, 0), "{r:?}");
    assert!(local.entries().is_empty(), "{:?}", local.entries());
    assert_eq!(local.ids_sorted(Entity::Tasks), ["srv-T1"], "the temporary id replaced by the server's");
    let Some(Record::Tasks(kept)) = local.records.borrow().get(&(Entity::Tasks, "srv-T1".to_string())).cloned() else {
        panic!("no task")
    };
    assert_eq!(kept.customer_id, "srv-N1");
    assert_eq!(kept.note, "bring the samples");
    assert!(remote.calls().contains(&"get srv-T1".to_string()), "read by itself once found: {:?}", remote.calls());
    assert!(!remote.calls().contains(&"get T1".to_string()), "its temporary id is never asked for");
    // Nothing to send again, nothing created twice.
    clock.0.set(t(2));
    let r = run_full_check(&remote, &local, &clock);
    assert_eq!((r.error, r.pushed, r.matched), (None, 0, 0));
    assert_eq!(creates_of(&remote, "T1"), 1, "{:?}", remote.calls());
    assert_eq!(remote.records.borrow().keys().filter(|(e, _)| *e == Entity::Tasks).count(), 1);
    assert_eq!(local.ids_sorted(Entity::Tasks), ["srv-T1"]);
}

/// Not found (here: deleted on the server before any pull could look), a create the server said
/// it made is not sent again by itself — the user is shown it and may send it again.
#[test]
fn a_create_answered_without_an_id_and_not_found_waits_for_the_user_never_resent_blindly() {
    let remote = answers_creates_without_id();
    let local = MemLocal::with(&[cust("C1", "Acme", "杭州")]);
    let clock = Clock(Cell::new(t(1)));
    local.edit(Edit::Create(task("T1", "C1", "Chase invoice 1042")), t(1));
    local.edit(Edit::Update(cust("C1", "Acme Ltd", "杭州")), t(1));
    // The run stops after the task was created (the next write times out): no pull looks for it.
    remote.fail("update", RemoteError::Timeout, false);
    let r = run(&remote, &local, &clock);
    assert_eq!(r.error, Some(SyncError::Remote(RemoteError::Timeout)));
    assert!(local.entries()[0].created_unidentified, "remembered across runs");
    remote.records.borrow_mut().remove(&(Entity::Tasks, "srv-T1".to_string()));
    clock.0.set(t(2));
    let r = run(&remote, &local, &clock);
    assert_eq!((&r.error, r.matched, r.rejected), (&None, 0, 1), "{r:?}");
    let e = local.entries().into_iter().find(|e| e.entity == Entity::Tasks).expect("kept");
    assert!(matches!(e.state, EntryState::Rejected { error: Some(RemoteError::BadResponse { .. }), .. }), "{e:?}");
    assert!(!e.sent && !e.created_unidentified);
    // Further runs leave it alone.
    clock.0.set(t(3));
    run(&remote, &local, &clock);
    assert_eq!(creates_of(&remote, "T1"), 1, "{:?}", remote.calls());
    // The user sends it again (Retry): created once more, and found.
    let mut retried = e.clone();
    retried.reset_for_push(t(3));
    local.outbox.borrow_mut().insert(retried.seq, retried);
    let r = run(&remote, &local, &clock);
    assert_eq!((&r.error, r.matched), (&None, 1), "{r:?}");
    assert_eq!(creates_of(&remote, "T1"), 2);
    assert_eq!(local.ids_sorted(Entity::Tasks), ["srv-T1"]);
    assert!(local.entries().is_empty(), "{:?}", local.entries());
}

#[test]
fn fingerprints() {
    use kehu::core::sync::engine::fingerprint;
    let table: &[(Entity, serde_json::Value, serde_json::Value, bool)] = &[
        (Entity::Customers, json!({"name": "New Co"}), json!({"name": " new co "}), true),
        (Entity::Customers, json!({"name": "New Co"}), json!({"name": "New Co Ltd"}), false),
        (
            Entity::Contacts,
            json!({"customer_id": "1", "name": "张伟"}),
            json!({"customer_id": "1", "name": "张伟"}),
            true,
        ),
        (
            Entity::Contacts,
            json!({"customer_id": "1", "name": "张伟"}),
            json!({"customer_id": "2", "name": "张伟"}),
            false,
        ),
        (
            Entity::Orders,
            json!({"customer_id": "1", "date": "2026-11-01", "amount": 100}),
            json!({"customer_id": "1", "date": "2026-11-01", "amount": 100}),
            true,
        ),
        (
            Entity::Orders,
            json!({"customer_id": "1", "date": "2026-11-01", "amount": 100}),
            json!({"customer_id": "1", "date": "2026-11-01", "amount": 101}),
            false,
        ),
    ];
    for (e, a, b, same) in table {
        assert_eq!(fingerprint(*e, a) == fingerprint(*e, b), *same, "{e:?} {a} {b}");
    }
    assert_eq!(fingerprint(Entity::Customers, &json!({"name": ""})), None, "nothing to recognise it by");
}

/// The report of a run applied to the workspace leaves one row per record, whatever the run
/// wrote twice (a create's answer, and the full pull's copy of the same record).
#[test]
fn a_runs_changes_leave_one_row_per_record_on_screen() {
    use kehu::core::model::Dataset;
    use kehu::core::workspace::{Source, Workspace};
    let remote = MemRemote::with(&[cust("C1", "Acme", "杭州")]);
    let local = MemLocal::with(&[cust("C1", "Acme", "杭州")]);
    let mut ws = Workspace::new(
        Source::Demo { seed: 0, customers: 0 },
        Dataset { customers: vec![customer("C1", "Acme", "杭州")], ..Default::default() },
    );
    let clock = Clock(Cell::new(t(1)));
    local.edit(Edit::Create(cust("N1", "New Co", "苏州")), t(1));
    ws.apply([Change::Upsert(cust("N1", "New Co", "苏州"))]);
    let r = run(&remote, &local, &clock);
    assert!(r.changes.iter().filter(|c| c.key().1 == "N1").count() >= 2, "written twice: {:?}", r.changes);
    ws.apply(r.changes);
    let ids: Vec<&str> = ws.data.customers.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["C1", "N1"]);
}

#[test]
fn merge_knows_the_versions_this_device_sent() {
    use kehu::core::sync::merge::{overlay, three_way_known};
    // (base, sent, mine, theirs) → merged city, conflict?
    let c = |city: &str| json!({"id": "C1", "city": city});
    let table: &[(&str, &[&str], &str, &str, &str, bool)] = &[
        ("A", &[], "B", "A", "B", false),         // mine only
        ("A", &[], "A", "C", "C", false),         // theirs only
        ("A", &[], "B", "C", "C", true),          // both: conflict
        ("A", &["B"], "A", "B", "A", false),      // A→B sent and applied, then back to A
        ("A", &["B"], "C", "B", "C", false),      // A→B applied, then C: not a conflict with oneself
        ("A", &["B"], "A", "A", "A", false),      // A→B never arrived, back to A: nothing to write
        ("A", &["B"], "A", "X", "X", true),       // someone else wrote X and I touched it: conflict
        ("A", &["A"], "A", "X", "X", false),      // I never touched the field: theirs stands
        ("A", &["B", "C"], "D", "B", "D", false), // any of the versions sent
    ];
    for (b, sent, m, t, want, conflict) in table {
        let sent: Vec<serde_json::Value> = sent.iter().map(|s| c(s)).collect();
        let merge = three_way_known(&c(b), &sent, &c(m), &c(t));
        assert_eq!(!merge.conflicts.is_empty(), *conflict, "{b} {sent:?} {m} {t}");
        assert_eq!(merge.merged["city"], json!(want), "{b} {sent:?} {m} {t}");
    }
    // An edit moved onto a newer version: the user's changes win, the rest stays.
    let from = json!({"name": "Acme", "city": "A", "custom": {"k": 1, "j": 1}});
    let edited = json!({"name": "Acme", "city": "B", "custom": {"k": 2, "j": 1}});
    let onto = json!({"name": "Acme Ltd", "city": "A", "custom": {"k": 1, "j": 5}});
    assert_eq!(overlay(&from, &edited, &onto), json!({"name": "Acme Ltd", "city": "B", "custom": {"k": 2, "j": 5}}));
}
