//! The BottleCRM preset against responses captured from the real server (django-crm 1.35.0,
//! `tests/fixtures/bottlecrm/`, recorded by `scripts/backends/bottlecrm_capture.py`): every
//! exchange is replayed through the parsers, and the records are checked field by field.
// Tests: a panic is the test failing; tables of cases have long tuple types.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

use chrono::{TimeZone, Utc};
use kehu::core::model::Entity;
use kehu::core::model::*;
use kehu::core::record::Record;
use kehu::core::rest::api::{self, Written};
use kehu::core::rest::http::HttpResponse;
use kehu::core::rest::presets;
use kehu::core::rest::profile::{Fixed, Profile};
use kehu::core::sync::remote::{Cursor, PageRequest, RemoteError};
use serde_json::Value;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/bottlecrm");

fn now() -> Timestamp {
    Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).unwrap()
}

fn profile() -> Profile {
    presets::profile("bottlecrm", Some("http://127.0.0.1:8000")).unwrap()
}

fn body(file: &str) -> Vec<u8> {
    let text = std::fs::read_to_string(format!("{DIR}/{file}")).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    match v.get("_non_json_body").and_then(Value::as_str) {
        Some(raw) => raw.as_bytes().to_vec(),
        None => text.into_bytes(),
    }
}

fn exchange(name: &str) -> (String, String, HttpResponse) {
    let all: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(format!("{DIR}/exchanges.json")).unwrap()).unwrap();
    let e = all.iter().find(|e| e["name"] == name).unwrap_or_else(|| panic!("no exchange {name}"));
    replay(e)
}

fn replay(e: &Value) -> (String, String, HttpResponse) {
    let headers = e["response"]["headers"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
        .collect();
    let status = e["response"]["status"].as_u64().unwrap() as u16;
    let file = e["response"]["body_file"].as_str().unwrap_or("");
    let b = if file.is_empty() { vec![] } else { body(file) };
    (
        e["request"]["method"].as_str().unwrap().into(),
        e["request"]["path"].as_str().unwrap().into(),
        HttpResponse { status, headers, body: b },
    )
}

fn entity_of(path: &str) -> Entity {
    if path.starts_with("/api/accounts") {
        Entity::Customers
    } else if path.starts_with("/api/contacts") {
        Entity::Contacts
    } else {
        Entity::Tickets
    }
}

fn page(size: u32, offset: u64) -> PageRequest {
    PageRequest {
        cursor: if offset == 0 { Cursor::Start } else { Cursor::Offset(offset) },
        size,
        modified_since: None,
        ids_only: false,
    }
}

#[test]
fn the_preset_matches_what_the_server_needs() {
    let p = profile();
    assert!(p.validate().is_empty());
    let r = api::list_request(
        &p,
        Entity::Customers,
        &page(100, 0),
        &api::Credentials { secret: Some("bcrm_pat_x".into()), session: None },
    )
    .unwrap();
    assert_eq!(r.url, "http://127.0.0.1:8000/api/accounts/?offset=0&limit=100", "trailing slash before the query");
    assert_eq!(r.header("Authorization"), Some("Bearer bcrm_pat_x"));
    let g = api::get_request(&p, Entity::Tickets, "eb6f25f0-61a4-4c72-80b9-7741e0e0bfc5", &Default::default()).unwrap();
    assert_eq!(g.url, "http://127.0.0.1:8000/api/cases/eb6f25f0-61a4-4c72-80b9-7741e0e0bfc5/");
    let res = &p.resources[&Entity::Customers];
    assert!(res.writable("name") && res.writable("city") && res.writable("custom.erp"));
    assert!(
        !res.writable("role") && !res.writable("owner") && !res.writable("industry"),
        "the form disables what BottleCRM cannot store"
    );
    // With the reason the form shows: no such field, or the backend sets it.
    let cases = [
        (Entity::Customers, "name", None),
        (Entity::Customers, "role", Some(Fixed::NoField)),
        (Entity::Customers, "industry", Some(Fixed::SetByBackend)),
        (Entity::Customers, "owner", Some(Fixed::SetByBackend)),
        (Entity::Customers, "short_name", Some(Fixed::NoField)),
        (Entity::Customers, "custom.erp", None),
        (Entity::Contacts, "name", None),
        (Entity::Contacts, "mobile", Some(Fixed::NoField)),
        (Entity::Tickets, "stage", Some(Fixed::NoField)),
        (Entity::Tickets, "assignee", Some(Fixed::SetByBackend)),
        (Entity::Tickets, "severity", None),
    ];
    for (entity, field, want) in cases {
        assert_eq!(p.resources[&entity].fixed(field), want, "{entity:?} {field}");
        assert_eq!(p.resources[&entity].writable(field), want.is_none(), "{entity:?} {field}");
    }
}

#[test]
fn every_captured_exchange_parses_without_surprises() {
    let all: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(format!("{DIR}/exchanges.json")).unwrap()).unwrap();
    assert!(all.len() > 50);
    let p = profile();
    for (i, e) in all.iter().enumerate() {
        let name = e["name"].as_str().map(str::to_string).unwrap_or_else(|| format!("exchange #{i}"));
        if e["response"]["body_file"].is_null() && e["response"]["status"] != 301 {
            continue; // a set-up request whose body was not kept
        }
        let (method, path, resp) = replay(e);
        let entity = entity_of(&path);
        let bare = path.split('?').next().unwrap_or(&path);
        let is_item =
            bare.trim_end_matches('/').rsplit('/').next().is_some_and(|last| last.len() >= 32 || last == "not-a-uuid");
        let result: Result<usize, RemoteError> = match method.as_str() {
            "GET" if is_item => api::parse_get(&p, entity, &resp, now()).map(|r| r.map_or(0, |_| 1)),
            "GET" => api::parse_list(&p, entity, &page(10, 0), &resp, now()).map(|pg| pg.records.len()),
            "POST" | "PUT" | "PATCH" => api::parse_write(&p, entity, "local-id", &resp, now()).map(|_| 1),
            "DELETE" => api::parse_delete(&resp, now()).map(|_| 0),
            _ => continue,
        };
        match resp.status {
            200 => assert!(result.is_ok(), "{name}: {result:?}"),
            403 => assert!(matches!(result, Err(RemoteError::Unauthorized { status: 403 })), "{name}: {result:?}"),
            404 if method == "GET" => assert_eq!(result, Ok(0), "{name}: a missing record is None"),
            404 => assert_eq!(result, Err(RemoteError::NotFound), "{name}"),
            400 => assert!(matches!(result, Err(RemoteError::Rejected { .. })), "{name}: {result:?}"),
            301 => assert_eq!(result, Err(RemoteError::Status { status: 301 }), "{name}"),
            s => panic!("{name}: unexpected status {s} in the fixtures"),
        }
    }
}

#[test]
fn accounts_come_from_both_lists_and_page_together() {
    let p = profile();
    let (_, _, resp) = exchange("accounts_list_page1");
    let pg = api::parse_list(&p, Entity::Customers, &page(2, 0), &resp, now()).unwrap();
    let names: Vec<String> = pg
        .records
        .iter()
        .map(|r| match r {
            Record::Customers(c) => c.name.clone(),
            _ => unreachable!(),
        })
        .collect();
    assert!(names.contains(&"Delta Exports (dormant)".to_string()), "the closed list is read too: {names:?}");
    assert_eq!(pg.records.len(), 3);
    assert_eq!(pg.total, Some(4));
    assert_eq!(pg.next, Some(Cursor::Offset(2)), "one offset pages both lists");
    let (_, _, resp) = exchange("accounts_list_page2");
    let pg2 = api::parse_list(&p, Entity::Customers, &page(2, 2), &resp, now()).unwrap();
    assert_eq!((pg2.records.len(), pg2.next.clone()), (1, None));
    let mut all: Vec<String> = pg.records.iter().chain(&pg2.records).map(|r| r.id().to_string()).collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 4, "every account once");
}

#[test]
fn detail_records_map_field_by_field() {
    let p = profile();
    let (_, _, resp) = exchange("account_detail");
    let Some(Record::Customers(c)) = api::parse_get(&p, Entity::Customers, &resp, now()).unwrap() else { panic!() };
    assert_eq!(c.id, "b7873605-1677-4a50-b49e-4f9565db64ba");
    assert_eq!(
        (c.name.as_str(), c.city.as_str(), c.country.as_str(), c.region.as_str()),
        ("Acme Precision Gears", "Ningbo", "CN", "Zhejiang")
    );
    assert_eq!(c.address, "88 Harbour Road");
    assert_eq!(c.owner.as_deref(), Some("admin@example.com"));
    assert_eq!((c.role, c.currency), (SupplyChainRole::EndCustomer, Currency::CNY));
    assert_eq!(c.industry, "MANUFACTURING");
    assert_eq!(c.created_at.to_rfc3339(), "2026-11-22T23:05:16.191003+00:00");

    let (_, _, resp) = exchange("contact_detail");
    let Some(Record::Contacts(ct)) = api::parse_get(&p, Entity::Contacts, &resp, now()).unwrap() else { panic!() };
    assert_eq!((ct.name.as_str(), ct.customer_id.as_str()), ("Wei Li", "b7873605-1677-4a50-b49e-4f9565db64ba"));
    assert_eq!((ct.title.as_str(), ct.email.as_str()), ("Purchasing Manager", "li.wei@acme-gears.example"));
    assert_eq!(ct.notes, "Prefers WeChat.");

    let (_, _, resp) = exchange("case_detail");
    let Some(Record::Tickets(t)) = api::parse_get(&p, Entity::Tickets, &resp, now()).unwrap() else { panic!() };
    assert_eq!(t.title, "Gearbox noise on crane 7");
    assert_eq!((t.kind, t.severity, t.status), (TicketKind::Complaint, Severity::High, TicketStatus::Open));
    assert_eq!(t.customer_id, "b7873605-1677-4a50-b49e-4f9565db64ba");
    assert!(t.sla_due > t.opened_at);
    let (_, _, resp) = exchange("case_detail_closed");
    let Some(Record::Tickets(t)) = api::parse_get(&p, Entity::Tickets, &resp, now()).unwrap() else { panic!() };
    assert_eq!(t.status, TicketStatus::Closed);
    assert!(t.closed_at.is_some());
}

#[test]
fn contacts_without_an_account_are_skipped_and_reported() {
    let p = profile();
    let (_, _, resp) = exchange("contacts_list_page1");
    let pg = api::parse_list(&p, Entity::Contacts, &page(2, 0), &resp, now()).unwrap();
    assert_eq!(pg.records.len() + pg.skipped.len(), 2);
    assert!(pg.skipped.iter().all(|b| b.reason.contains("customer_id")), "{:?}", pg.skipped);
    assert_eq!(pg.total, Some(4));
    assert_eq!(pg.next, Some(Cursor::Offset(2)), "the body's own `offset: 3` is ignored");
    assert!(pg.max_modified.is_some(), "contacts carry updated_at");
}

#[test]
fn writes_send_what_bottlecrm_expects() {
    let p = profile();
    let (_, _, resp) = exchange("account_create");
    assert_eq!(
        api::parse_write(&p, Entity::Customers, "local-1", &resp, now()),
        Ok(Written::ReadBack("b7873605-1677-4a50-b49e-4f9565db64ba".into()))
    );
    let (_, _, resp) = exchange("account_patch");
    assert_eq!(
        api::parse_write(&p, Entity::Customers, "b78", &resp, now()),
        Ok(Written::ReadBack("b78".into())),
        "update answers a message only"
    );
    let (_, _, resp) = exchange("case_create_error_choices");
    match api::parse_write(&p, Entity::Tickets, "x", &resp, now()) {
        Err(RemoteError::Rejected { fields, .. }) => {
            let names: Vec<&str> = fields.iter().map(|(f, _)| f.as_str()).collect();
            assert!(
                names.contains(&"status") && names.contains(&"severity") && names.contains(&"kind"),
                "mapped back to Kehu fields: {names:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    // A contact with a Chinese name, a ticket with its account.
    let contact: Contact = serde_json::from_value(serde_json::json!({
        "id": "tmp", "customer_id": "b7873605", "name": "李伟", "email": "li@x.cn",
        "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"
    }))
    .unwrap();
    let r = api::create_request(&p, &Record::Contacts(contact), &Default::default(), now()).unwrap();
    let b: Value = serde_json::from_slice(r.body.as_ref().unwrap()).unwrap();
    assert_eq!(
        (b["first_name"].as_str(), b["last_name"].as_str(), b["account"].as_str()),
        (Some("伟"), Some("李"), Some("b7873605"))
    );
    assert!(b.get("id").is_none(), "BottleCRM assigns its own ids");
    let ticket: ServiceTicket = serde_json::from_value(serde_json::json!({
        "id": "tmp", "customer_id": "b7873605", "kind": "inquiry", "stage": "pre_sales", "severity": "critical",
        "status": "open", "title": "Lead time?", "opened_at": "2026-01-01T00:00:00Z", "sla_due": "2026-01-01T04:00:00Z",
        "updated_at": "2026-01-01T00:00:00Z"
    }))
    .unwrap();
    let r = api::create_request(&p, &Record::Tickets(ticket), &Default::default(), now()).unwrap();
    let b: Value = serde_json::from_slice(r.body.as_ref().unwrap()).unwrap();
    assert_eq!(
        b,
        serde_json::json!({"account": "b7873605", "name": "Lead time?", "description": "", "case_type": "Question", "priority": "Urgent", "status": "New"})
    );
}
