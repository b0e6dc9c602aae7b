//! Sync against real backends started on 127.0.0.1 — json-server 0.17.4 and BottleCRM
//! (django-crm 1.35.0) — through the same engine, REST layer and reqwest client the app uses:
//! pull, create, update, delete, and conflict detection between two clients.
#![cfg(not(target_arch = "wasm32"))]
// Tests: a panic is the test failing; tables of cases have long tuple types.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

mod common;

use chrono::{DateTime, Utc};
use common::mem::MemLocal;
use common::servers::{bottlecrm, json_server};
use kehu::core::model::Entity;
use kehu::core::model::*;
use kehu::core::record::Record;
use kehu::core::rest::api::Credentials;
use kehu::core::rest::presets;
use kehu::core::sync::Env;
use kehu::core::sync::engine::{SyncReport, sync};
use kehu::core::sync::merge::Side;
use kehu::core::sync::outbox::{Conflict, Edit, EntryState, Resolution, resolve_conflict};
use kehu::core::sync::remote::{Remote, RemoteError};
use kehu::shell::http::RestRemote;
use serde_json::{Value, json};

struct Clock;

impl Env for Clock {
    fn now(&self) -> DateTime<Utc> {
        DateTime::<Utc>::from(std::time::SystemTime::now())
    }
    fn random(&self) -> f64 {
        0.5
    }
}

async fn run(remote: &RestRemote, local: &MemLocal) -> SyncReport {
    sync(remote, local, &Clock, kehu::core::sync::engine::SyncOptions::default(), &mut |_| {}).await
}

fn now() -> DateTime<Utc> {
    Clock.now()
}

fn customer(id: &str, name: &str, city: &str) -> Customer {
    Customer {
        name: name.into(),
        role: SupplyChainRole::EndCustomer,
        region: "华东".into(),
        country: "CN".into(),
        city: city.into(),
        payment_terms_days: 30,
        ..Customer::blank(id, Currency::CNY, now())
    }
}

fn get_customer(local: &MemLocal, id: &str) -> Customer {
    match local.record(Entity::Customers, id) {
        Some(Record::Customers(c)) => c,
        other => panic!("no customer {id}: {other:?}"),
    }
}

/// The demo's first `n` customers and their contacts, in json-server's shape.
fn seed(n: usize) -> Value {
    let d = kehu::core::demo::generate(&kehu::core::demo::DemoConfig {
        seed: 11,
        customers: n,
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
    });
    let mut db = json!({"customers": [], "contacts": [], "orders": [], "invoices": [], "tickets": [], "visits": [], "surveys": [], "plans": [], "opportunities": [], "tasks": []});
    for r in Record::all(&d) {
        let mut v = r.to_json();
        if r.entity() == Entity::Invoices {
            let n = v["number"].clone();
            v.as_object_mut().unwrap().remove("number");
            v["id"] = n;
        }
        db[r.entity().as_str()].as_array_mut().unwrap().push(v);
    }
    db
}

#[tokio::test(flavor = "current_thread")]
async fn json_server_pull_push_and_conflicts() {
    let server = json_server(&seed(25));
    let stored = server.stored();
    let mut profile = presets::profile("json-server", Some(&server.url)).unwrap();
    profile.page_size = 7; // several pages per entity
    let remote = RestRemote::new(profile.clone(), Credentials::default());

    // Pull everything, page by page.
    let a = MemLocal::default();
    let r = run(&remote, &a).await;
    assert_eq!(r.error, None, "{r:?}");
    for &e in Entity::ALL {
        let want = stored[e.as_str()].as_array().unwrap().len();
        assert_eq!(a.ids_sorted(e).len(), want, "{}", e.as_str());
    }
    assert!(r.skipped.is_empty(), "{:?}", r.skipped);

    // Create, update and delete go out in order and land on the server.
    let ids = a.ids_sorted(Entity::Customers);
    let (c1, c2) = (ids[0].clone(), ids[1].clone());
    let new_id = kehu::core::sync::new_record_id([9; 16]);
    a.edit(Edit::Create(Record::Customers(customer(&new_id, "新建客户有限公司", "苏州"))), now());
    let mut edited = get_customer(&a, &c1);
    edited.city = "宁波".into();
    edited.updated_at = now();
    a.edit(Edit::Update(Record::Customers(edited.clone())), now());
    a.edit(Edit::Delete(Entity::Customers, c2.clone()), now());
    let r = run(&remote, &a).await;
    assert_eq!((r.error.clone(), r.pushed), (None, 3), "{r:?}");
    assert!(a.entries().is_empty());
    let db = server.stored();
    let find = |id: &str| db["customers"].as_array().unwrap().iter().find(|c| c["id"] == id).cloned();
    assert_eq!(find(&new_id).unwrap()["name"], "新建客户有限公司", "created with the client's id");
    assert_eq!(find(&c1).unwrap()["city"], "宁波");
    assert!(find(&c2).is_none(), "deleted");
    assert_ne!(find(&c1).unwrap()["updated_at"], json!(edited.updated_at), "stamped by the write");

    // A second client that pulled earlier sees all that after an incremental pull.
    let b = MemLocal::default();
    run(&remote, &b).await;
    assert_eq!(get_customer(&b, &c1).city, "宁波");
    assert!(b.record(Entity::Customers, &c2).is_none());
    assert!(b.checkpoints.borrow().contains_key(&Entity::Customers), "customers pull incrementally");

    // One field each: both kept. json-server accepts the stale write; the engine merges first.
    let mut x = get_customer(&a, &c1);
    x.name = "甲方修改的名称".into();
    a.edit(Edit::Update(Record::Customers(x)), now());
    let mut y = get_customer(&b, &c1);
    y.address = "乙方修改的地址".into();
    b.edit(Edit::Update(Record::Customers(y)), now());
    assert_eq!(run(&remote, &a).await.pushed, 1);
    let rb = run(&remote, &b).await;
    assert_eq!((rb.pushed, rb.conflicts), (1, 0), "{rb:?}");
    let Some(Record::Customers(server_c1)) = remote.get(Entity::Customers, &c1).await.unwrap() else { panic!() };
    assert_eq!((server_c1.name.as_str(), server_c1.address.as_str()), ("甲方修改的名称", "乙方修改的地址"));
    let ra = run(&remote, &a).await;
    assert_eq!(ra.error, None);
    assert_eq!(get_customer(&a, &c1).address, "乙方修改的地址", "A pulled B's field");

    // The same field: a conflict, nothing overwritten, resolved by choice.
    let mut x = get_customer(&a, &c1);
    x.city = "杭州".into();
    a.edit(Edit::Update(Record::Customers(x)), now());
    let mut y = get_customer(&b, &c1);
    y.city = "温州".into();
    b.edit(Edit::Update(Record::Customers(y)), now());
    run(&remote, &a).await;
    let rb = run(&remote, &b).await;
    assert_eq!(rb.conflicts, 1);
    let entry = b.entries()[0].clone();
    let EntryState::Conflict(Conflict::Fields { fields, .. }) = &entry.state else { panic!("{:?}", entry.state) };
    assert_eq!(
        (fields[0].field.as_str(), fields[0].mine.clone(), fields[0].theirs.clone()),
        ("city", json!("温州"), json!("杭州"))
    );
    let Some(Record::Customers(on_server)) = remote.get(Entity::Customers, &c1).await.unwrap() else { panic!() };
    assert_eq!(on_server.city, "杭州", "the other client's value stands until someone decides");
    let resolved = resolve_conflict(&entry, Resolution::Fields(vec![("city".into(), Side::Mine)]), now()).unwrap();
    let e = resolved.entry.unwrap();
    b.outbox.borrow_mut().insert(e.seq, e);
    assert_eq!(run(&remote, &b).await.pushed, 1);
    let Some(Record::Customers(on_server)) = remote.get(Entity::Customers, &c1).await.unwrap() else { panic!() };
    assert_eq!(on_server.city, "温州");

    // Deleted on the server while edited here: shown, not dropped.
    let victim = a.ids_sorted(Entity::Customers)[3].clone();
    remote.delete(Entity::Customers, &victim).await.unwrap();
    let mut z = get_customer(&a, &victim);
    z.name = "已被他人删除".into();
    a.edit(Edit::Update(Record::Customers(z)), now());
    let ra = run(&remote, &a).await;
    assert_eq!(ra.conflicts, 1);
    assert_eq!(a.entries()[0].state, EntryState::Conflict(Conflict::DeletedOnServer));
    assert_eq!(get_customer(&a, &victim).name, "已被他人删除");

    // Errors: a missing record is None; a dead server is "offline".
    assert_eq!(remote.get(Entity::Customers, "no-such-id").await, Ok(None));
    let dead = RestRemote::new(
        presets::profile("json-server", Some(&format!("http://127.0.0.1:{}", common::servers::free_port()))).unwrap(),
        Credentials::default(),
    );
    assert_eq!(dead.get(Entity::Customers, "x").await, Err(RemoteError::Offline));
}

#[tokio::test(flavor = "current_thread")]
async fn bottlecrm_pull_push_and_conflicts() {
    let server = bottlecrm();
    let profile = presets::profile("bottlecrm", Some(&server.url)).unwrap();
    let remote = RestRemote::new(profile.clone(), Credentials { secret: Some(server.token.clone()), session: None });
    let anonymous = RestRemote::new(profile, Credentials::default());
    assert_eq!(
        anonymous.get(Entity::Customers, "b7873605-1677-4a50-b49e-4f9565db64ba").await,
        Err(RemoteError::Unauthorized { status: 403 })
    );
    let mut c = anonymous.test_connection().await;
    c.retain(|p| p.result.is_ok());
    assert!(c.is_empty(), "no resource answers without the token");
    let probes = remote.test_connection().await;
    assert_eq!(probes.len(), 5, "customers, contacts, tickets, opportunities, tasks");
    assert!(probes.iter().all(|p| p.result.is_ok()), "{probes:?}");

    // Two clients start from the same pull.
    let tag = format!("{}", std::process::id());
    let a = MemLocal::default();
    let b = MemLocal::default();
    assert_eq!(run(&remote, &a).await.error, None);

    // Create: BottleCRM assigns its own id; a contact created with the customer follows it.
    let local_id = kehu::core::sync::new_record_id([3; 16]);
    a.edit(Edit::Create(Record::Customers(customer(&local_id, &format!("同步测试客户 {tag}"), "宁波"))), now());
    let contact = Contact {
        name: "王芳".into(),
        title: "采购经理".into(),
        phone: "+86 574 8765 4321".into(),
        email: format!("wang.fang.{tag}@example.cn"),
        primary: true,
        ..Contact::blank(kehu::core::sync::new_record_id([4; 16]), local_id.clone(), now())
    };
    a.edit(Edit::Create(Record::Contacts(contact)), now());
    let r = run(&remote, &a).await;
    assert_eq!((r.error.clone(), r.pushed, r.rejected), (None, 2, 0), "{r:?}");
    assert!(a.record(Entity::Customers, &local_id).is_none(), "the local id was replaced");
    let server_id = a
        .ids_sorted(Entity::Customers)
        .into_iter()
        .find(|id| get_customer(&a, id).name == format!("同步测试客户 {tag}"))
        .expect("the created customer, under the server's id");
    let contacts: Vec<Contact> = a
        .ids_sorted(Entity::Contacts)
        .iter()
        .filter_map(|id| match a.record(Entity::Contacts, id) {
            Some(Record::Contacts(c)) if c.name == "王芳" => Some(c),
            _ => None,
        })
        .collect();
    assert_eq!(contacts.len(), 1);
    assert_eq!(contacts[0].customer_id, server_id, "the contact points at the server's customer id");

    // A rejected write keeps the edit with the server's field errors.
    let dup = kehu::core::sync::new_record_id([5; 16]);
    a.edit(Edit::Create(Record::Customers(customer(&dup, &format!("同步测试客户 {tag}"), "杭州"))), now());
    let r = run(&remote, &a).await;
    assert_eq!(r.rejected, 1);
    match &a.entries()[0].state {
        EntryState::Rejected { status: Some(400), fields, .. } => assert_eq!(fields[0].0, "name", "{fields:?}"),
        s => panic!("{s:?}"),
    }
    a.outbox.borrow_mut().clear();

    // One field each, then the same field. BottleCRM ignores If-Match; the engine merges.
    run(&remote, &b).await;
    let mut x = get_customer(&a, &server_id);
    x.city = "宁波北仑".into();
    a.edit(Edit::Update(Record::Customers(x)), now());
    let mut y = get_customer(&b, &server_id);
    y.address = "北仑港路 88 号".into();
    b.edit(Edit::Update(Record::Customers(y)), now());
    assert_eq!(run(&remote, &a).await.pushed, 1);
    let rb = run(&remote, &b).await;
    assert_eq!((rb.pushed, rb.conflicts), (1, 0), "{rb:?}");
    let Some(Record::Customers(on)) = remote.get(Entity::Customers, &server_id).await.unwrap() else { panic!() };
    assert_eq!((on.city.as_str(), on.address.as_str()), ("宁波北仑", "北仑港路 88 号"));
    run(&remote, &a).await;
    let mut x = get_customer(&a, &server_id);
    x.city = "舟山".into();
    a.edit(Edit::Update(Record::Customers(x)), now());
    let mut y = get_customer(&b, &server_id);
    y.city = "温州".into();
    b.edit(Edit::Update(Record::Customers(y)), now());
    run(&remote, &a).await;
    let rb = run(&remote, &b).await;
    assert_eq!(rb.conflicts, 1, "{rb:?}");
    let Some(Record::Customers(on)) = remote.get(Entity::Customers, &server_id).await.unwrap() else { panic!() };
    assert_eq!(on.city, "舟山", "not overwritten");

    // Delete: gone on the server, and a client's full pull notices.
    b.outbox.borrow_mut().clear();
    a.edit(Edit::Delete(Entity::Customers, server_id.clone()), now());
    assert_eq!(run(&remote, &a).await.pushed, 1);
    assert_eq!(remote.get(Entity::Customers, &server_id).await, Ok(None));
    let rb = run(&remote, &b).await;
    assert!(rb.removed >= 1);
    assert!(b.record(Entity::Customers, &server_id).is_none());
}

fn get_opp(local: &MemLocal, id: &str) -> Opportunity {
    match local.record(Entity::Opportunities, id) {
        Some(Record::Opportunities(o)) => o,
        other => panic!("no opportunity {id}: {other:?}"),
    }
}

fn opp_titled(local: &MemLocal, title: &str) -> Opportunity {
    let found: Vec<Opportunity> = local
        .ids_sorted(Entity::Opportunities)
        .iter()
        .map(|id| get_opp(local, id))
        .filter(|o| o.title == title)
        .collect();
    assert_eq!(found.len(), 1, "one opportunity titled {title}");
    found.into_iter().next().unwrap()
}

/// The fields the BottleCRM preset maps, side by side (what must survive a round trip).
fn bottlecrm_fields(
    o: &Opportunity,
) -> (&str, &str, &str, Money, Currency, u8, Option<Date>, Option<Date>, &[String], Option<OppSource>) {
    (
        o.customer_id.as_str(),
        o.title.as_str(),
        o.stage.as_str(),
        o.amount,
        o.currency,
        o.probability,
        o.expected_close,
        o.closed_on,
        &o.contacts,
        o.source,
    )
}

/// BottleCRM's API called directly, as another BottleCRM user (web or phone) would: the status
/// and the JSON answer.
async fn bottlecrm_call(
    server: &common::servers::BottleCrm,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = reqwest::Client::new()
        .request(method, format!("{}{path}", server.url))
        .header("Authorization", format!("Bearer {}", server.token));
    if let Some(b) = body {
        req = req.header("Content-Type", "application/json").body(b.to_string());
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

/// Opportunities against BottleCRM's deals API, through the sync engine and the preset: a deal
/// created in Kehu (with its customer, in the same run) lands with BottleCRM's id and every
/// mapped field; moved through stages (and won: BottleCRM's `closed_on` is then the close
/// date), each change is on the server and pulled back equal by a second client; two clients'
/// edits merge field by field; a deal made in
/// BottleCRM reads with Kehu's stage and source; a stage of the org's own reads as the first
/// stage with a data problem, and an edit of another field leaves that stage alone.
#[tokio::test(flavor = "current_thread")]
async fn bottlecrm_opportunities_round_trip() {
    let server = bottlecrm();
    let profile = presets::profile("bottlecrm", Some(&server.url)).unwrap();
    let remote = RestRemote::new(profile, Credentials { secret: Some(server.token.clone()), session: None });
    // Names are unique per org on BottleCRM, and the server may outlive this run.
    let tag = format!("{}-{}", std::process::id(), now().timestamp_millis());
    let stages = Stages::default();
    let today = now().date_naive();
    let a = MemLocal::default();
    assert_eq!(run(&remote, &a).await.error, None);

    // Created in Kehu: a customer, its contact, and a deal for it, all in one run.
    let cust_local = kehu::core::sync::new_record_id([21; 16]);
    a.edit(Edit::Create(Record::Customers(customer(&cust_local, &format!("商机测试客户 {tag}"), "无锡"))), now());
    let contact = Contact {
        name: "赵敏".into(),
        email: format!("zhao.min.{tag}@example.cn"),
        ..Contact::blank(kehu::core::sync::new_record_id([22; 16]), cust_local.clone(), now())
    };
    a.edit(Edit::Create(Record::Contacts(contact)), now());
    let title = format!("数控机床改造 {tag}");
    let mut o = Opportunity {
        title: title.clone(),
        amount: Money(8_800_050),
        currency: Currency::EUR,
        expected_close: Some(today + chrono::Days::new(90)),
        source: Some(OppSource::Visit),
        ..Opportunity::blank(
            kehu::core::sync::new_record_id([23; 16]),
            cust_local.clone(),
            &stages,
            "rep@example.cn".into(),
            now(),
        )
    };
    o.move_to("qualified", &stages, "rep@example.cn", now());
    a.edit(Edit::Create(Record::Opportunities(o.clone())), now());
    let r = run(&remote, &a).await;
    assert_eq!((r.error.clone(), r.pushed, r.rejected), (None, 3, 0), "{r:?}");
    let cust = a
        .ids_sorted(Entity::Customers)
        .into_iter()
        .find(|id| get_customer(&a, id).name == format!("商机测试客户 {tag}"))
        .expect("the customer, under BottleCRM's id");
    let mine = opp_titled(&a, &title);
    assert_ne!(mine.id, o.id, "BottleCRM's id replaced the local one");
    let contact_id = a
        .ids_sorted(Entity::Contacts)
        .into_iter()
        .find(|id| matches!(a.record(Entity::Contacts, id), Some(Record::Contacts(c)) if c.email == format!("zhao.min.{tag}@example.cn")))
        .expect("the contact");
    let mut want = o.clone();
    want.customer_id = cust.clone();
    assert_eq!(bottlecrm_fields(&mine), bottlecrm_fields(&want), "every mapped field, back from the server");
    let (status, detail) = bottlecrm_call(&server, "GET", &format!("/api/opportunities/{}/", mine.id), None).await;
    assert_eq!(status, 200, "{detail}");
    let on = &detail["opportunity_obj"];
    assert!(!mine.owner.is_empty(), "unassigned on BottleCRM: owned by whoever created it");
    assert_eq!(json!(mine.owner), on["created_by"]["email"]);
    assert_eq!(
        (on["account"]["id"].clone(), on["stage"].clone(), on["amount"].clone(), on["currency"].clone()),
        (json!(cust), json!("QUALIFICATION"), json!("88000.50"), json!("EUR"))
    );
    assert_eq!(
        (on["probability"].clone(), on["closed_on"].clone(), on["lead_source"].clone()),
        (json!(25), json!((today + chrono::Days::new(90)).to_string()), json!("call"))
    );

    // A second client pulls the same deal.
    let b = MemLocal::default();
    assert_eq!(run(&remote, &b).await.error, None);
    assert_eq!(bottlecrm_fields(&get_opp(&b, &mine.id)), bottlecrm_fields(&mine));

    // Moved to negotiation with the contact and a new amount: on the server, pulled equal.
    let mut x = mine.clone();
    x.move_to("negotiation", &stages, "rep@example.cn", now());
    x.contacts = vec![contact_id.clone()];
    x.amount = Money(9_100_000);
    a.edit(Edit::Update(Record::Opportunities(x.clone())), now());
    let r = run(&remote, &a).await;
    assert_eq!((r.error.clone(), r.pushed, r.rejected, r.conflicts), (None, 1, 0, 0), "{r:?}");
    let (_, on) = bottlecrm_call(&server, "GET", &format!("/api/opportunities/{}/", mine.id), None).await;
    let on = &on["opportunity_obj"];
    assert_eq!(
        (on["stage"].clone(), on["probability"].clone(), on["amount"].clone(), on["contacts"][0]["id"].clone()),
        (json!("NEGOTIATION"), json!(80), json!("91000.00"), json!(contact_id))
    );
    assert_eq!(bottlecrm_fields(&get_opp(&a, &mine.id)), bottlecrm_fields(&x));
    assert_eq!(run(&remote, &b).await.error, None);
    assert_eq!(bottlecrm_fields(&get_opp(&b, &mine.id)), bottlecrm_fields(&x), "the other client sees the move");

    // Two clients, one field each: both kept. The same field: a conflict, nothing overwritten.
    let mut x = get_opp(&a, &mine.id);
    x.probability = 85;
    a.edit(Edit::Update(Record::Opportunities(x)), now());
    let mut y = get_opp(&b, &mine.id);
    y.expected_close = Some(today + chrono::Days::new(60));
    b.edit(Edit::Update(Record::Opportunities(y)), now());
    assert_eq!(run(&remote, &a).await.pushed, 1);
    let rb = run(&remote, &b).await;
    assert_eq!((rb.pushed, rb.conflicts), (1, 0), "{rb:?}");
    let Some(Record::Opportunities(on)) = remote.get(Entity::Opportunities, &mine.id).await.unwrap() else { panic!() };
    assert_eq!((on.probability, on.expected_close), (85, Some(today + chrono::Days::new(60))));
    assert_eq!(run(&remote, &a).await.error, None);
    let mut x = get_opp(&a, &mine.id);
    x.amount = Money(9_200_000);
    a.edit(Edit::Update(Record::Opportunities(x)), now());
    let mut y = get_opp(&b, &mine.id);
    y.amount = Money(9_300_000);
    b.edit(Edit::Update(Record::Opportunities(y)), now());
    assert_eq!(run(&remote, &a).await.pushed, 1);
    let rb = run(&remote, &b).await;
    assert_eq!(rb.conflicts, 1, "{rb:?}");
    let Some(Record::Opportunities(on)) = remote.get(Entity::Opportunities, &mine.id).await.unwrap() else { panic!() };
    assert_eq!(on.amount, Money(9_200_000), "not overwritten");
    b.outbox.borrow_mut().clear();

    // Solution and quote share BottleCRM's PROPOSAL, which reads back as quote.
    let mut x = get_opp(&a, &mine.id);
    x.move_to("solution", &stages, "rep@example.cn", now());
    a.edit(Edit::Update(Record::Opportunities(x)), now());
    assert_eq!(run(&remote, &a).await.pushed, 1);
    let (_, on) = bottlecrm_call(&server, "GET", &format!("/api/opportunities/{}/", mine.id), None).await;
    assert_eq!(on["opportunity_obj"]["stage"], "PROPOSAL");
    assert_eq!(get_opp(&a, &mine.id).stage, "quote");

    // Won: BottleCRM's closed_on becomes the date it closed (it requires one); Kehu reads it back
    // as the close date, and as the expected close too.
    let mut x = get_opp(&a, &mine.id);
    x.move_to("won", &stages, "rep@example.cn", now());
    assert_eq!(x.closed_on, Some(today));
    a.edit(Edit::Update(Record::Opportunities(x.clone())), now());
    let r = run(&remote, &a).await;
    assert_eq!((r.error.clone(), r.pushed, r.rejected), (None, 1, 0), "{r:?}");
    let (_, on) = bottlecrm_call(&server, "GET", &format!("/api/opportunities/{}/", mine.id), None).await;
    let on = &on["opportunity_obj"];
    assert_eq!(
        (on["stage"].clone(), on["stage_kind"].clone(), on["closed_on"].clone(), on["probability"].clone()),
        (json!("CLOSED_WON"), json!("won"), json!(today.to_string()), json!(100))
    );
    assert_eq!(run(&remote, &b).await.error, None);
    let won = get_opp(&b, &mine.id);
    assert_eq!((won.stage.as_str(), won.closed_on, won.expected_close), ("won", Some(today), Some(today)));

    // Made in BottleCRM for another user: read with Kehu's stage, source, amount, contacts and
    // that user as the owner.
    let someone = detail["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["user_details"]["email"] != on["created_by"]["email"])
        .expect("a second user in the org")
        .clone();
    let other = format!("备件年度框架 {tag}");
    let (status, made) = bottlecrm_call(
        &server,
        "POST",
        "/api/opportunities/",
        Some(json!({
            "name": other, "account": cust, "stage": "PROSPECTING", "amount": "1500", "currency": "USD",
            "closed_on": "2027-06-30", "lead_source": "partner", "contacts": [contact_id],
            "assigned_to": [someone["id"]]
        })),
    )
    .await;
    assert_eq!(status, 200, "{made}");
    let made_id = made["id"].as_str().unwrap().to_string();
    assert_eq!(run(&remote, &a).await.error, None);
    let theirs = get_opp(&a, &made_id);
    assert_eq!(
        bottlecrm_fields(&theirs),
        (
            cust.as_str(),
            other.as_str(),
            "lead",
            Money(150_000),
            Currency::USD,
            10,
            chrono::NaiveDate::from_ymd_opt(2027, 6, 30),
            None,
            &[contact_id.clone()][..],
            Some(OppSource::Referral)
        ),
        "BottleCRM's stage default probability (10 %) comes too"
    );
    assert_eq!(json!(theirs.owner), someone["user_details"]["email"]);
    assert!(a.problems_of(Entity::Opportunities, &made_id).is_empty());

    // A stage of the org's own: the deal is read, as the first stage, with the value named.
    let (_, pipelines) = bottlecrm_call(&server, "GET", "/api/opportunities/pipelines/", None).await;
    let pipeline = pipelines["pipelines"].as_array().unwrap().iter().find(|p| p["is_default"] == json!(true)).unwrap()
        ["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, p) = bottlecrm_call(
        &server,
        "POST",
        &format!("/api/opportunities/pipelines/{pipeline}/stages/"),
        Some(json!({"label": format!("Kehu review {tag}"), "kind": "open"})),
    )
    .await;
    assert!(status < 300, "{p}");
    let custom =
        p["stages"].as_array().unwrap().iter().find(|s| s["label"] == json!(format!("Kehu review {tag}"))).unwrap();
    let (code, stage_id) = (custom["code"].as_str().unwrap().to_string(), custom["id"].as_str().unwrap().to_string());
    let odd = format!("非标定制 {tag}");
    let (status, made) = bottlecrm_call(
        &server,
        "POST",
        "/api/opportunities/",
        Some(json!({"name": odd, "account": cust, "stage": code, "amount": "20", "probability": 30})),
    )
    .await;
    assert_eq!(status, 200, "{made}");
    let odd_id = made["id"].as_str().unwrap().to_string();
    let r = run(&remote, &a).await;
    assert_eq!(r.error, None);
    assert!(r.skipped.iter().all(|s| s.id.as_deref() != Some(odd_id.as_str())), "not skipped: {:?}", r.skipped);
    let odd_deal = get_opp(&a, &odd_id);
    assert_eq!((odd_deal.title.as_str(), odd_deal.stage.as_str(), odd_deal.probability), (odd.as_str(), "lead", 30));
    let problems = a.problems_of(Entity::Opportunities, &odd_id);
    assert_eq!(
        problems.iter().map(|p| (p.field.as_str(), p.value.as_str())).collect::<Vec<_>>(),
        vec![("stage", format!("\"{code}\"").as_str())],
        "{problems:?}"
    );
    // Another field edited in Kehu: only that field is written; the org's stage stays.
    let mut x = odd_deal.clone();
    x.amount = Money(2_500);
    a.edit(Edit::Update(Record::Opportunities(x)), now());
    let r = run(&remote, &a).await;
    assert_eq!((r.error.clone(), r.pushed, r.rejected), (None, 1, 0), "{r:?}");
    let (_, on) = bottlecrm_call(&server, "GET", &format!("/api/opportunities/{odd_id}/"), None).await;
    assert_eq!(
        (on["opportunity_obj"]["stage"].clone(), on["opportunity_obj"]["amount"].clone()),
        (json!(code), json!("25.00"))
    );

    // Deleted from Kehu: gone on the server. The extra stage is removed again.
    for id in [&mine.id, &made_id, &odd_id] {
        a.edit(Edit::Delete(Entity::Opportunities, id.clone()), now());
    }
    let r = run(&remote, &a).await;
    assert_eq!((r.error.clone(), r.pushed), (None, 3), "{r:?}");
    for id in [&mine.id, &made_id, &odd_id] {
        assert_eq!(remote.get(Entity::Opportunities, id).await, Ok(None));
    }
    let (status, gone) =
        bottlecrm_call(&server, "DELETE", &format!("/api/opportunities/stages/{stage_id}/"), None).await;
    assert!(status < 300, "{gone}");
    a.edit(Edit::Delete(Entity::Customers, cust.clone()), now());
    assert_eq!(run(&remote, &a).await.pushed, 1);
}

fn task_titled(local: &MemLocal, title: &str) -> Task {
    let found: Vec<Task> = local
        .ids_sorted(Entity::Tasks)
        .iter()
        .filter_map(|id| match local.record(Entity::Tasks, id) {
            Some(Record::Tasks(t)) if t.title == title => Some(t),
            _ => None,
        })
        .collect();
    assert_eq!(found.len(), 1, "one task titled {title}");
    found.into_iter().next().unwrap()
}

/// The fields BottleCRM's task list carries, side by side.
fn listed_task_fields(t: &Task) -> (&str, &str, TaskStatus, TaskPriority, Option<Date>, &str) {
    (t.customer_id.as_str(), t.title.as_str(), t.status, t.priority, t.due_date, t.owner.as_str())
}

/// How many tasks BottleCRM has with this title.
async fn bottlecrm_tasks_titled(server: &common::servers::BottleCrm, title: &str) -> u64 {
    let (status, list) =
        bottlecrm_call(server, "GET", &format!("/api/tasks/?slim=true&limit=100&title={title}"), None).await;
    assert_eq!(status, 200, "{list}");
    list["tasks"].as_array().unwrap().iter().filter(|t| t["title"] == json!(title)).count() as u64
}

/// Tasks against BottleCRM's tasks API. Its create answers a message without the new task's id:
/// the same run's pull finds the task by its content (customer, title, due date) and it takes
/// BottleCRM's id; a second run sends nothing again and the server has it once. Status,
/// priority, due date and note (BottleCRM's description, which its task list leaves out: kept
/// from the copy the device has) go both ways; a second client pulls it; done in Kehu is
/// "Completed" there; a task made in BottleCRM reads with Kehu's status and priority.
#[tokio::test(flavor = "current_thread")]
async fn bottlecrm_tasks_round_trip() {
    let server = bottlecrm();
    let profile = presets::profile("bottlecrm", Some(&server.url)).unwrap();
    let remote = RestRemote::new(profile, Credentials { secret: Some(server.token.clone()), session: None });
    let tag = format!("{}-{}", std::process::id(), now().timestamp_millis());
    let today = now().date_naive();
    let a = MemLocal::default();
    assert_eq!(run(&remote, &a).await.error, None);

    // Created in Kehu: a customer and a task for it, in one run.
    let cust_local = kehu::core::sync::new_record_id([31; 16]);
    a.edit(Edit::Create(Record::Customers(customer(&cust_local, &format!("任务测试客户 {tag}"), "常州"))), now());
    let title = format!("回访样品反馈 {tag}");
    let mut t = Task::blank(kehu::core::sync::new_record_id([32; 16]), cust_local.clone(), String::new(), now());
    t.title = title.clone();
    t.priority = TaskPriority::High;
    t.due_date = Some(today + chrono::Days::new(7));
    t.due_time = "09:30".into();
    t.note = "带上新样品，问清楚交期".into();
    a.edit(Edit::Create(Record::Tasks(t.clone())), now());
    let r = run(&remote, &a).await;
    assert_eq!((r.error.clone(), r.pushed, r.matched, r.rejected), (None, 2, 1, 0), "{r:?}");
    assert!(a.entries().is_empty(), "{:?}", a.entries());
    let cust = a
        .ids_sorted(Entity::Customers)
        .into_iter()
        .find(|id| get_customer(&a, id).name == format!("任务测试客户 {tag}"))
        .expect("the customer, under BottleCRM's id");
    let mine = task_titled(&a, &title);
    assert_ne!(mine.id, t.id, "BottleCRM's id replaced the local one");
    assert!(a.record(Entity::Tasks, &t.id).is_none());
    let mut want = t.clone();
    want.customer_id = cust.clone();
    assert_eq!(listed_task_fields(&mine), listed_task_fields(&want));
    assert_eq!(mine.note, t.note, "read by itself once found: the list has no description");
    let (status, detail) = bottlecrm_call(&server, "GET", &format!("/api/tasks/{}/", mine.id), None).await;
    assert_eq!(status, 200, "{detail}");
    let on = &detail["task_obj"];
    assert_eq!(
        (on["account"]["id"].clone(), on["status"].clone(), on["priority"].clone()),
        (json!(cust), json!("New"), json!("High"))
    );
    assert_eq!(
        (on["due_date"].clone(), on["description"].clone()),
        (json!((today + chrono::Days::new(7)).to_string()), json!(t.note))
    );

    // A second run sends nothing and makes nothing twice; the list (no description) leaves the
    // note as it is here.
    let r = sync(&remote, &a, &Clock, kehu::core::sync::engine::SyncOptions { reconcile: true }, &mut |_| {}).await;
    assert_eq!((r.error.clone(), r.pushed, r.matched, r.rejected), (None, 0, 0, 0), "{r:?}");
    assert_eq!(bottlecrm_tasks_titled(&server, &title).await, 1, "created once");
    assert_eq!(task_titled(&a, &title).note, t.note);

    // A second client pulls the same task.
    let b = MemLocal::default();
    assert_eq!(run(&remote, &b).await.error, None);
    assert_eq!(listed_task_fields(&task_titled(&b, &title)), listed_task_fields(&mine));
    let Some(Record::Tasks(read)) = remote.get(Entity::Tasks, &mine.id).await.unwrap() else { panic!() };
    assert_eq!(listed_task_fields(&read), listed_task_fields(&mine));
    assert_eq!(read.note, t.note, "the description, read by itself");

    // Done in Kehu: "Completed" on BottleCRM, and read back done by the other client.
    let mut x = task_titled(&a, &title);
    x.status = TaskStatus::Done;
    x.done_at = Some(now());
    a.edit(Edit::Update(Record::Tasks(x.clone())), now());
    let r = run(&remote, &a).await;
    assert_eq!((r.error.clone(), r.pushed, r.rejected, r.conflicts), (None, 1, 0, 0), "{r:?}");
    let (_, on) = bottlecrm_call(&server, "GET", &format!("/api/tasks/{}/", mine.id), None).await;
    assert_eq!(
        (on["task_obj"]["status"].clone(), on["task_obj"]["description"].clone()),
        (json!("Completed"), json!(t.note))
    );
    assert_eq!(task_titled(&a, &title).status, TaskStatus::Done);
    assert_eq!(run(&remote, &b).await.error, None);
    assert_eq!(task_titled(&b, &title).status, TaskStatus::Done);

    // Made in BottleCRM: read with Kehu's status and priority.
    let other = format!("催收尾款 {tag}");
    for (status, priority, want) in [
        ("In Progress", "Low", (TaskStatus::Open, TaskPriority::Low)),
        ("New", "Medium", (TaskStatus::Open, TaskPriority::Normal)),
    ] {
        let title = format!("{other} {status}");
        let (code, made) = bottlecrm_call(
            &server,
            "POST",
            "/api/tasks/",
            Some(json!({"title": title, "account": cust, "status": status, "priority": priority, "due_date": "2027-01-15"})),
        )
        .await;
        assert_eq!(code, 200, "{made}");
        assert_eq!(run(&remote, &a).await.error, None);
        let theirs = task_titled(&a, &title);
        assert_eq!((theirs.status, theirs.priority), want, "{status} {priority}");
        assert_eq!(
            (theirs.customer_id.as_str(), theirs.due_date),
            (cust.as_str(), chrono::NaiveDate::from_ymd_opt(2027, 1, 15))
        );
        assert!(a.problems_of(Entity::Tasks, &theirs.id).is_empty());
    }

    // Still one of ours, and nothing waiting.
    assert_eq!(bottlecrm_tasks_titled(&server, &title).await, 1);
    assert!(a.entries().is_empty(), "{:?}", a.entries());

    // Deleted from Kehu: gone on the server.
    let ids: Vec<String> = a
        .ids_sorted(Entity::Tasks)
        .into_iter()
        .filter(|id| matches!(a.record(Entity::Tasks, id), Some(Record::Tasks(t)) if t.customer_id == cust))
        .collect();
    assert_eq!(ids.len(), 3);
    for id in &ids {
        a.edit(Edit::Delete(Entity::Tasks, id.clone()), now());
    }
    a.edit(Edit::Delete(Entity::Customers, cust.clone()), now());
    let r = run(&remote, &a).await;
    assert_eq!((r.error.clone(), r.pushed), (None, 4), "{r:?}");
    for id in &ids {
        assert_eq!(remote.get(Entity::Tasks, id).await, Ok(None));
    }
}

/// An opportunity through json-server (identity mapping: every field, stage history and lines
/// included): created, moved to another stage, and pulled equal by a second client.
#[tokio::test(flavor = "current_thread")]
async fn json_server_opportunity_round_trip() {
    let server = json_server(&seed(3));
    let profile = presets::profile("json-server", Some(&server.url)).unwrap();
    let remote = RestRemote::new(profile, Credentials::default());
    let stages = Stages::default();
    let a = MemLocal::default();
    assert_eq!(run(&remote, &a).await.error, None);
    let cust = a.ids_sorted(Entity::Customers)[0].clone();
    let id = kehu::core::sync::new_record_id([31; 16]);
    let mut o = Opportunity {
        title: "风电主轴轴承 20 套".into(),
        amount: Money(46_000_000),
        currency: Currency::CNY,
        expected_close: Some(now().date_naive() + chrono::Days::new(120)),
        team: vec!["li.wei@example.cn".into()],
        lines: vec![OppLine { product: "主轴轴承".into(), category: "轴承".into(), quantity: 20 }],
        estimated_cost: Some(Money(31_000_000)),
        competitors: vec!["SKF".into()],
        source: Some(OppSource::Inquiry),
        next_step: "技术交流".into(),
        ..Opportunity::blank(id.clone(), cust.clone(), &stages, "rep@example.cn".into(), now())
    };
    o.move_to("qualified", &stages, "rep@example.cn", now());
    a.edit(Edit::Create(Record::Opportunities(o.clone())), now());
    let r = run(&remote, &a).await;
    assert_eq!((r.error.clone(), r.pushed), (None, 1), "{r:?}");
    let db = server.stored();
    let stored = db["opportunities"].as_array().unwrap().iter().find(|x| x["id"] == id.as_str()).cloned().unwrap();
    assert_eq!((stored["stage"].clone(), stored["amount"].clone()), (json!("qualified"), json!(46_000_000)));
    let Some(Record::Opportunities(back)) = remote.get(Entity::Opportunities, &id).await.unwrap() else { panic!() };
    assert_eq!(
        Opportunity { updated_at: o.updated_at, ..back.clone() },
        o,
        "every field back, the write's stamp aside"
    );

    let mut x = get_opp(&a, &id);
    x.move_to("quote", &stages, "rep@example.cn", now());
    a.edit(Edit::Update(Record::Opportunities(x.clone())), now());
    let r = run(&remote, &a).await;
    assert_eq!((r.error.clone(), r.pushed, r.conflicts), (None, 1, 0), "{r:?}");
    let db = server.stored();
    let stored = db["opportunities"].as_array().unwrap().iter().find(|x| x["id"] == id.as_str()).cloned().unwrap();
    assert_eq!((stored["stage"].clone(), stored["probability"].clone()), (json!("quote"), json!(60)));
    assert_eq!(
        stored["history"].as_array().unwrap().iter().map(|h| h["stage"].as_str().unwrap()).collect::<Vec<_>>(),
        vec!["lead", "qualified", "quote"]
    );
    let b = MemLocal::default();
    assert_eq!(run(&remote, &b).await.error, None);
    assert_eq!(get_opp(&b, &id), get_opp(&a, &id), "the second client has the same deal");
    assert_eq!(Opportunity { updated_at: x.updated_at, ..get_opp(&b, &id) }, x);
}

/// A backend with a login endpoint (json-server behind tests/fixtures/json-server-login.js):
/// sign in, sync across token expiry (refreshed and retried without losing the page or the
/// edit), and a wrong password or a lost session is `Unauthorized`, never a panic.
#[tokio::test(flavor = "current_thread")]
async fn login_backend_signs_in_refreshes_and_reports_lost_sessions() {
    use common::servers::json_server_with_login;
    let server = json_server_with_login(&seed(12), 3);
    let mut profile = presets::profile("json-server", Some(&server.url)).unwrap();
    profile.page_size = 5;
    profile.auth = serde_json::from_value(json!({
        "type": "login", "url": "/auth/login", "token_path": "access",
        "refresh_url": "/auth/refresh", "refresh_token_path": "refresh"
    }))
    .unwrap();

    // No session yet: the first request is refused.
    let anonymous = RestRemote::new(profile.clone(), Credentials::default());
    let r = run(&anonymous, &MemLocal::default()).await;
    assert!(
        matches!(r.error, Some(kehu::core::sync::engine::SyncError::Remote(RemoteError::Unauthorized { status: 401 }))),
        "{r:?}"
    );
    assert_eq!(
        RestRemote::new(profile.clone(), Credentials::default()).login("rep", "wrong").await,
        Err(RemoteError::Unauthorized { status: 401 })
    );

    // Signed in: a full pull takes many more requests than one token lasts (3), so it only
    // completes by refreshing.
    let remote = RestRemote::new(profile.clone(), Credentials::default());
    remote.login("rep", "s3cret").await.unwrap();
    let first = remote.credentials().session.unwrap();
    let local = MemLocal::default();
    let r = run(&remote, &local).await;
    assert_eq!(r.error, None, "{r:?}");
    let stored = server.stored();
    for &e in Entity::ALL {
        assert_eq!(local.ids_sorted(e).len(), stored[e.as_str()].as_array().unwrap().len(), "{}", e.as_str());
    }
    let now_tokens = remote.credentials().session.unwrap();
    assert_ne!(now_tokens.access, first.access, "the access token was refreshed");
    assert_eq!(now_tokens.refresh, first.refresh, "the refresh token is kept when the answer has none");

    // An edit goes through with the refreshed session.
    let id = local.ids_sorted(Entity::Customers)[0].clone();
    let mut c = get_customer(&local, &id);
    c.city = "嘉兴".into();
    local.edit(Edit::Update(Record::Customers(c)), now());
    let r = run(&remote, &local).await;
    assert_eq!((r.error.clone(), r.pushed), (None, 1), "{r:?}");
    let db = server.stored();
    assert_eq!(db["customers"].as_array().unwrap().iter().find(|x| x["id"] == json!(id)).unwrap()["city"], "嘉兴");

    // A refresh token the server no longer knows: the sync stops as Unauthorized and the edit waits.
    let lost = RestRemote::new(
        profile,
        Credentials {
            secret: None,
            session: Some(kehu::core::rest::api::Tokens { access: "gone".into(), refresh: Some("gone".into()) }),
        },
    );
    let mut c = get_customer(&local, &id);
    c.city = "湖州".into();
    local.edit(Edit::Update(Record::Customers(c)), now());
    let r = run(&lost, &local).await;
    assert!(
        matches!(r.error, Some(kehu::core::sync::engine::SyncError::Remote(RemoteError::Unauthorized { .. }))),
        "{r:?}"
    );
    assert_eq!(local.entries().len(), 1, "the edit is kept for the next sign-in");
}

/// A backend that answers an expired token with 403 (not 401): refreshed like a 401, and the
/// pull completes; a 403 that stays a 403 after the refresh is a real refusal, reported.
#[tokio::test(flavor = "current_thread")]
async fn a_403_after_token_expiry_refreshes_like_a_401() {
    use common::servers::json_server_with_login_expiring;
    let server = json_server_with_login_expiring(&seed(12), 3, 403);
    let mut profile = presets::profile("json-server", Some(&server.url)).unwrap();
    profile.page_size = 5;
    profile.auth = serde_json::from_value(json!({
        "type": "login", "url": "/auth/login", "token_path": "access",
        "refresh_url": "/auth/refresh", "refresh_token_path": "refresh"
    }))
    .unwrap();
    let remote = RestRemote::new(profile.clone(), Credentials::default());
    remote.login("rep", "s3cret").await.unwrap();
    let first = remote.credentials().session.unwrap();
    let local = MemLocal::default();
    let r = run(&remote, &local).await;
    assert_eq!(r.error, None, "{r:?}");
    assert_eq!(local.ids_sorted(Entity::Customers).len(), 12);
    assert_ne!(remote.credentials().session.unwrap().access, first.access, "refreshed after a 403");
}

/// The profile's language against a real json-server: a fixed query parameter goes on every list
/// (json-server filters by it), an amount written as a number is stored as one and reads back,
/// and "Test connection" reads a page of each resource and names a profile mistake.
#[tokio::test(flavor = "current_thread")]
async fn json_server_fixed_query_amounts_as_numbers_and_test_connection() {
    use kehu::core::rest::probe::ProbeProblem;
    use kehu::core::rest::profile::{FieldMap, Transform, WriteAs};
    let server = json_server(&seed(12));
    let stored = server.stored();
    let all = stored["customers"].as_array().unwrap();
    let role = all[0]["role"].as_str().unwrap().to_string();
    let want = all.iter().filter(|c| c["role"] == role.as_str()).count();
    assert!(want < all.len(), "the seed has customers of other roles");

    // `query`: only the customers of one role come, page after page.
    let mut profile = presets::profile("json-server", Some(&server.url)).unwrap();
    profile.page_size = 2;
    profile.resources.get_mut(&Entity::Customers).unwrap().query.insert("role".into(), role.clone());
    let local = MemLocal::default();
    let r = run(&RestRemote::new(profile.clone(), Credentials::default()), &local).await;
    assert_eq!(r.error, None, "{r:?}");
    let ids = local.ids_sorted(Entity::Customers);
    assert_eq!(ids.len(), want, "every page filtered");
    assert!(ids.iter().all(|id| get_customer(&local, id).role.as_str() == role));

    // `write_as: "number"`: the credit limit is stored as a JSON number in major units.
    for (write_as, stored_as) in [(None, json!("1234.50")), (Some(WriteAs::Number), json!(1234.5))] {
        let mut profile = presets::profile("json-server", Some(&server.url)).unwrap();
        let limit = FieldMap {
            kehu: "credit_limit".into(),
            remote: Some("limit".into()),
            write_to: None,
            parts: vec![],
            values: Default::default(),
            read_values: Default::default(),
            fallback: None,
            default: None,
            transform: Transform::MoneyMajor,
            write_as,
            read_only: false,
            write_from: vec![],
            read_if: Default::default(),
            keep_when_absent: false,
            read_else: vec![],
        };
        profile.resources.get_mut(&Entity::Customers).unwrap().mapping.fields.push(limit);
        assert_eq!(profile.validate(), vec![]);
        let remote = RestRemote::new(profile, Credentials::default());
        let local = MemLocal::default();
        let id = kehu::core::sync::new_record_id([if write_as.is_some() { 2 } else { 1 }; 16]);
        let mut c = customer(&id, "数字额度", "无锡");
        c.credit_limit = Some(Money(123_450));
        local.edit(Edit::Create(Record::Customers(c)), now());
        let r = run(&remote, &local).await;
        assert_eq!((r.error.clone(), r.pushed), (None, 1), "{r:?}");
        let db = server.stored();
        let on_server = db["customers"].as_array().unwrap().iter().find(|c| c["id"] == id.as_str()).cloned().unwrap();
        assert_eq!(on_server["limit"], stored_as, "{write_as:?}");
        assert_eq!(on_server["limit"].to_string(), stored_as.to_string(), "{write_as:?}: as JSON text");
        let Some(Record::Customers(back)) = remote.get(Entity::Customers, &id).await.unwrap() else { panic!() };
        assert_eq!(back.credit_limit, Some(Money(123_450)), "{write_as:?}: reads back");
    }

    // "Test connection": every resource answers and is read; a wrong list path and a wrong
    // collection are named.
    let profile = presets::profile("json-server", Some(&server.url)).unwrap();
    let probes = RestRemote::new(profile.clone(), Credentials::default()).test_connection().await;
    assert_eq!(probes.len(), Entity::ALL.len());
    let now_stored = server.stored();
    for p in &probes {
        let read = p.result.as_ref().unwrap_or_else(|e| panic!("{:?}: {e:?}", p.entity));
        let n = now_stored[p.entity.as_str()].as_array().unwrap().len();
        assert_eq!(
            (read.on_page, read.total, read.read, read.problem.clone()),
            (n.min(5), Some(n as u64), n.min(5), None),
            "{:?}",
            p.entity
        );
    }
    let mut wrong = profile.clone();
    wrong.resources.get_mut(&Entity::Customers).unwrap().list_items = vec!["data".into()];
    wrong.resources.get_mut(&Entity::Contacts).unwrap().collection = "/people".into();
    wrong.resources.get_mut(&Entity::Orders).unwrap().id_field = "order_no".into();
    let probes = RestRemote::new(wrong, Credentials::default()).test_connection().await;
    let of = |e: Entity| probes.iter().find(|p| p.entity == e).unwrap().result.clone();
    let customers = of(Entity::Customers).unwrap();
    assert_eq!((customers.on_page, customers.read), (0, 0));
    assert_eq!(customers.problem, Some(ProbeProblem::NoList { paths: vec!["data".into()] }));
    assert_eq!(of(Entity::Contacts), Err(RemoteError::NotFound));
    let orders = of(Entity::Orders).unwrap();
    assert_eq!((orders.read, orders.problem), (0, Some(ProbeProblem::NoId { path: "order_no".into() })));
    assert!(of(Entity::Invoices).unwrap().is_clean(), "the others are fine");
}
