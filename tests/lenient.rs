//! Bad fields, not lost records: backend records read field by field (`core::lenient` through the
//! profile's mapping), table-driven; the first-seen rule for missing times; problems stored with
//! records by a sync run (against the in-memory cache), kept across pulls, cleared when read
//! clean or fixed by the user.
// Tests: a panic is the test failing; tables of cases have long tuple types.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use futures::executor::block_on;
use kehu::core::lenient::{self, DataProblem, Issue, Outcome, Problems, ReadNote, RecordProblems};
use kehu::core::model::Currency;
use kehu::core::model::Entity;
use kehu::core::record::Change;
use kehu::core::record::{BadRecord, Record, Unreadable};
use kehu::core::rest::mapping::from_remote;
use kehu::core::rest::presets;
use kehu::core::rest::profile::{Profile, Resource};
use kehu::core::sync::Env;
use kehu::core::sync::engine::sync;
use kehu::core::sync::outbox::Edit;
use kehu::core::sync::remote::{Page, PageRequest, Remote, RemoteError};
use serde_json::{Value, json};
use std::cell::{Cell, RefCell};

mod common;
use common::mem::MemLocal;

const T0: &str = "2026-01-05T09:30:00Z";
const T1: &str = "2026-10-01T08:00:00Z";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 8, 0, 0).unwrap()
}

/// A time as the model writes it.
fn ts(t: DateTime<Utc>) -> String {
    serde_json::to_value(t).unwrap().as_str().unwrap().to_string()
}

fn js() -> Profile {
    presets::profile("json-server", Some("http://127.0.0.1:3000")).unwrap()
}

fn resource(p: &Profile, e: Entity) -> Resource {
    p.resources[&e].clone()
}

/// A clean record of each entity, as json-server would hold it.
fn base(e: Entity) -> Value {
    match e {
        Entity::Customers => {
            json!({"id": "C1", "name": "Acme", "role": "oem", "credit_limit": 500000, "currency": "CNY",
            "payment_terms_days": 30, "tags": ["vip"], "owner": "王磊", "created_at": T0, "updated_at": T1})
        }
        Entity::Contacts => {
            json!({"id": "P1", "customer_id": "C1", "name": "Li Wei", "primary": true, "created_at": T0, "updated_at": T1})
        }
        Entity::Orders => {
            json!({"id": "O1", "customer_id": "C1", "date": "2026-03-01", "amount": 3000, "status": "confirmed",
            "lines": [{"product": "Gear", "quantity": 3, "unit_price": 1000}], "updated_at": T1})
        }
        Entity::Invoices => {
            json!({"id": "I1", "customer_id": "C1", "issue_date": "2026-03-01", "due_date": "2026-03-31",
            "amount": 12000, "payments": [{"date": "2026-03-10", "amount": 5000}]})
        }
        Entity::Tickets => {
            json!({"id": "T1", "customer_id": "C1", "kind": "complaint", "stage": "after_sales", "severity": "high",
            "status": "open", "title": "Noise", "opened_at": T0, "sla_due": "2026-01-06T09:30:00Z", "updated_at": T1})
        }
        Entity::Visits => {
            json!({"id": "V1", "customer_id": "C1", "date": "2026-03-01", "purpose": "service", "updated_at": T1})
        }
        Entity::Surveys => json!({"id": "S1", "customer_id": "C1", "date": "2026-03-01", "csat": 4}),
        Entity::Plans => json!({"id": "R1", "region": "华东", "period": "2026-Q1", "target": 1000000}),
        Entity::Opportunities => {
            json!({"id": "D1", "customer_id": "C1", "title": "Gearbox retrofit", "stage": "quote", "amount": 500000,
            "probability": 60, "history": [{"stage": "lead", "at": T0, "by": "王磊"}, {"stage": "quote", "at": T1}],
            "created_at": T0, "updated_at": T1})
        }
        Entity::Tasks => {
            json!({"id": "K1", "customer_id": "C1", "title": "Call back about the quote", "related": "visit",
            "related_id": "V1", "owner": "王磊", "due_date": "2026-03-05", "due_time": "09:30", "priority": "high",
            "status": "open", "created_at": T0, "updated_at": T1})
        }
    }
}

/// `base` with `patch` merged in; a patch value of `"∅"` removes the field.
fn with(e: Entity, patch: Value) -> Value {
    let mut v = base(e);
    for (k, x) in patch.as_object().unwrap() {
        if x == "∅" {
            v.as_object_mut().unwrap().remove(k);
        } else {
            v[k] = x.clone();
        }
    }
    v
}

fn read_with(p: &Profile, e: Entity, v: &Value) -> Result<(Record, ReadNote), BadRecord> {
    from_remote(e, &resource(p, e), v, now())
}

fn read(e: Entity, v: &Value) -> Result<(Record, ReadNote), BadRecord> {
    read_with(&js(), e, v)
}

fn problem(field: &str, issue: Issue, outcome: Outcome) -> (String, Issue, Outcome) {
    (field.to_string(), issue, outcome)
}

fn summary(problems: &[DataProblem]) -> Vec<(String, Issue, Outcome)> {
    problems.iter().map(|p| (p.field.clone(), p.issue, p.outcome)).collect()
}

use Issue as I;
use Outcome as O;

struct Case {
    name: &'static str,
    entity: Entity,
    patch: Value,
    /// (field path, value it is read as)
    reads: Vec<(&'static str, Value)>,
    problems: Vec<(String, Issue, Outcome)>,
}

fn case(
    name: &'static str,
    entity: Entity,
    patch: Value,
    reads: Vec<(&'static str, Value)>,
    problems: Vec<(String, Issue, Outcome)>,
) -> Case {
    Case { name, entity, patch, reads, problems }
}

#[test]
fn each_field_is_read_on_its_own_and_the_record_is_kept() {
    use Entity::*;
    let first_seen = ts(now());
    let cases = vec![
        // Money in minor units (json-server's identity mapping): a numeric string is read; decimals are not minor units.
        case(
            "credit limit as a numeric string",
            Customers,
            json!({"credit_limit": "100"}),
            vec![("credit_limit", json!(100))],
            vec![],
        ),
        case(
            "credit limit with spaces",
            Customers,
            json!({"credit_limit": " 2500 "}),
            vec![("credit_limit", json!(2500))],
            vec![],
        ),
        case(
            "credit limit 100.0 is whole",
            Customers,
            json!({"credit_limit": 100.0}),
            vec![("credit_limit", json!(100))],
            vec![],
        ),
        case(
            "credit limit with decimals",
            Customers,
            json!({"credit_limit": 12.5}),
            vec![("credit_limit", Value::Null)],
            vec![problem("credit_limit", I::NotAnAmount, O::Empty)],
        ),
        case(
            "credit limit text with decimals",
            Customers,
            json!({"credit_limit": "12.5"}),
            vec![("credit_limit", Value::Null)],
            vec![problem("credit_limit", I::NotAnAmount, O::Empty)],
        ),
        case(
            "credit limit not a number",
            Customers,
            json!({"credit_limit": "lots"}),
            vec![("credit_limit", Value::Null)],
            vec![problem("credit_limit", I::NotAnAmount, O::Empty)],
        ),
        case(
            "credit limit with grouping",
            Customers,
            json!({"credit_limit": "1,000"}),
            vec![("credit_limit", Value::Null)],
            vec![problem("credit_limit", I::NotAnAmount, O::Empty)],
        ),
        case(
            "credit limit a yes",
            Customers,
            json!({"credit_limit": true}),
            vec![("credit_limit", Value::Null)],
            vec![problem("credit_limit", I::NotAnAmount, O::Empty)],
        ),
        case(
            "credit limit infinite text",
            Customers,
            json!({"credit_limit": "inf"}),
            vec![("credit_limit", Value::Null)],
            vec![problem("credit_limit", I::NotAnAmount, O::Empty)],
        ),
        case(
            "credit limit too large",
            Customers,
            json!({"credit_limit": 1e30}),
            vec![("credit_limit", Value::Null)],
            vec![problem("credit_limit", I::OutOfRange, O::Empty)],
        ),
        case(
            "credit limit null is none",
            Customers,
            json!({"credit_limit": null}),
            vec![("credit_limit", Value::Null)],
            vec![],
        ),
        case(
            "credit limit empty text is none",
            Customers,
            json!({"credit_limit": ""}),
            vec![("credit_limit", Value::Null)],
            vec![],
        ),
        // Times: missing or null is the stated rule (no problem); 0 or garbage is a problem.
        case(
            "no modification time: the creation time stands in",
            Customers,
            json!({"updated_at": null}),
            vec![("updated_at", json!("2026-01-05T09:30:00Z"))],
            vec![],
        ),
        case(
            "no times at all: first seen",
            Customers,
            json!({"updated_at": "∅", "created_at": null}),
            vec![("updated_at", json!(first_seen)), ("created_at", json!(first_seen))],
            vec![],
        ),
        case(
            "modification time 0",
            Customers,
            json!({"updated_at": 0, "created_at": "∅"}),
            vec![("updated_at", json!(first_seen)), ("created_at", json!(first_seen))],
            vec![problem("updated_at", I::NotATime, O::FirstSeen)],
        ),
        case(
            "modification time garbage, creation time known",
            Customers,
            json!({"updated_at": "yesterday"}),
            vec![("updated_at", json!("2026-01-05T09:30:00Z"))],
            vec![problem("updated_at", I::NotATime, O::Default)],
        ),
        case(
            "creation time garbage",
            Customers,
            json!({"created_at": "soon"}),
            vec![("created_at", json!("2026-10-01T08:00:00Z"))],
            vec![problem("created_at", I::NotATime, O::Default)],
        ),
        case(
            "a time as a space-separated text",
            Customers,
            json!({"updated_at": "2026-10-02 10:00:00"}),
            vec![("updated_at", json!("2026-10-02T10:00:00Z"))],
            vec![],
        ),
        // Required fields and enumerations.
        case(
            "role missing",
            Customers,
            json!({"role": "∅"}),
            vec![("role", json!("other"))],
            vec![problem("role", I::Missing, O::Default)],
        ),
        case(
            "role blank",
            Customers,
            json!({"role": " "}),
            vec![("role", json!("other"))],
            vec![problem("role", I::Missing, O::Default)],
        ),
        case(
            "role unknown",
            Customers,
            json!({"role": "reseller"}),
            vec![("role", json!("other"))],
            vec![problem("role", I::UnknownValue, O::Default)],
        ),
        case("role in capitals", Customers, json!({"role": "OEM"}), vec![("role", json!("oem"))], vec![]),
        case(
            "role a number",
            Customers,
            json!({"role": 3}),
            vec![("role", json!("other"))],
            vec![problem("role", I::UnknownValue, O::Default)],
        ),
        case(
            "name missing",
            Customers,
            json!({"name": "∅"}),
            vec![("name", json!(""))],
            vec![problem("name", I::Missing, O::Default)],
        ),
        case(
            "name a list",
            Customers,
            json!({"name": ["a"]}),
            vec![("name", json!(""))],
            vec![problem("name", I::NotText, O::Empty)],
        ),
        case("name a number is text", Customers, json!({"name": 1688}), vec![("name", json!("1688"))], vec![]),
        // Control characters.
        case(
            "NUL in a name",
            Customers,
            json!({"name": "Acme\u{0}Gears"}),
            vec![("name", json!("AcmeGears"))],
            vec![problem("name", I::ControlCharacters, O::Cleaned)],
        ),
        case(
            "the cache's separator in a city",
            Customers,
            json!({"city": "杭\u{1}州"}),
            vec![("city", json!("杭州"))],
            vec![problem("city", I::ControlCharacters, O::Cleaned)],
        ),
        case(
            "line breaks are kept",
            Customers,
            json!({"address": "1 Road\nBlock 2\tGate 3"}),
            vec![("address", json!("1 Road\nBlock 2\tGate 3"))],
            vec![],
        ),
        case(
            "C1 control in a tag",
            Customers,
            json!({"tags": ["a\u{85}b"]}),
            vec![("tags", json!(["ab"]))],
            vec![problem("tags[0]", I::ControlCharacters, O::Cleaned)],
        ),
        case(
            "NUL in a custom field",
            Customers,
            json!({"custom": {"grade": "A\u{0}", "n": 3}}),
            vec![("custom", json!({"grade": "A", "n": 3}))],
            vec![problem("custom.grade", I::ControlCharacters, O::Cleaned)],
        ),
        // Lists.
        case(
            "wrong types in a list",
            Customers,
            json!({"tags": ["a", 3, {"x": 1}, null, ["b"]]}),
            vec![("tags", json!(["a", "3"]))],
            vec![
                problem("tags[2]", I::NotText, O::LeftOut),
                problem("tags[3]", I::NotText, O::LeftOut),
                problem("tags[4]", I::NotText, O::LeftOut),
            ],
        ),
        case(
            "a list that is text",
            Customers,
            json!({"tags": "vip"}),
            vec![("tags", json!([]))],
            vec![problem("tags", I::NotAList, O::Empty)],
        ),
        case("team as numbers", Customers, json!({"team": [7, 8]}), vec![("team", json!(["7", "8"]))], vec![]),
        // Whole numbers and other kinds.
        case(
            "payment terms as text",
            Customers,
            json!({"payment_terms_days": "45"}),
            vec![("payment_terms_days", json!(45))],
            vec![],
        ),
        case(
            "payment terms with decimals",
            Customers,
            json!({"payment_terms_days": 30.5}),
            vec![("payment_terms_days", json!(0))],
            vec![problem("payment_terms_days", I::NotWholeNumber, O::Empty)],
        ),
        case(
            "payment terms negative",
            Customers,
            json!({"payment_terms_days": -1}),
            vec![("payment_terms_days", json!(0))],
            vec![problem("payment_terms_days", I::OutOfRange, O::Empty)],
        ),
        case(
            "payment terms beyond u16",
            Customers,
            json!({"payment_terms_days": 70000}),
            vec![("payment_terms_days", json!(0))],
            vec![problem("payment_terms_days", I::OutOfRange, O::Empty)],
        ),
        case("currency in lower case", Customers, json!({"currency": "usd"}), vec![("currency", json!("USD"))], vec![]),
        case(
            "currency unknown",
            Customers,
            json!({"currency": "RMB!"}),
            vec![("currency", json!("CNY"))],
            vec![problem("currency", I::UnknownValue, O::Default)],
        ),
        case("owner as a number", Customers, json!({"owner": 42}), vec![("owner", json!("42"))], vec![]),
        case(
            "owner an object",
            Customers,
            json!({"owner": {"n": 1}}),
            vec![("owner", Value::Null)],
            vec![problem("owner", I::NotText, O::Empty)],
        ),
        case("parent id as a number", Customers, json!({"parent_id": 17}), vec![("parent_id", json!("17"))], vec![]),
        case(
            "custom not an object",
            Customers,
            json!({"custom": "x"}),
            vec![("custom", json!({}))],
            vec![problem("custom", I::NotAnObject, O::Empty)],
        ),
        case(
            "a country Kehu would not accept in a form is kept",
            Customers,
            json!({"country": "China"}),
            vec![("country", json!("China"))],
            vec![],
        ),
        case("id as a number", Customers, json!({"id": 17}), vec![("id", json!("17"))], vec![]),
        case(
            "unknown backend fields are ignored",
            Customers,
            json!({"fax": "x", "internal": {"a": 1}}),
            vec![("name", json!("Acme"))],
            vec![],
        ),
        // Contacts.
        case("primary as text", Contacts, json!({"primary": "1"}), vec![("primary", json!(true))], vec![]),
        case("primary as 0", Contacts, json!({"primary": 0}), vec![("primary", json!(false))], vec![]),
        case(
            "primary not yes or no",
            Contacts,
            json!({"primary": "yes please"}),
            vec![("primary", json!(false))],
            vec![problem("primary", I::NotYesNo, O::Empty)],
        ),
        case("customer id as a number", Contacts, json!({"customer_id": 1}), vec![("customer_id", json!("1"))], vec![]),
        case(
            "phone as a number",
            Contacts,
            json!({"phone": 8657188881234_i64}),
            vec![("phone", json!("8657188881234"))],
            vec![],
        ),
        // Orders and their lines.
        case("status in capitals", Orders, json!({"status": "SHIPPED"}), vec![("status", json!("shipped"))], vec![]),
        case(
            "status unknown",
            Orders,
            json!({"status": "lost"}),
            vec![("status", json!("open"))],
            vec![problem("status", I::UnknownValue, O::Default)],
        ),
        case(
            "order date missing: from its last change",
            Orders,
            json!({"date": "∅"}),
            vec![("date", json!("2026-10-01"))],
            vec![problem("date", I::Missing, O::Default)],
        ),
        case(
            "order date not a date",
            Orders,
            json!({"date": "31/12/2025"}),
            vec![("date", json!("2026-10-01"))],
            vec![problem("date", I::NotADate, O::Default)],
        ),
        case(
            "order date as a date-time",
            Orders,
            json!({"date": "2025-12-31T10:00:00Z"}),
            vec![("date", json!("2025-12-31"))],
            vec![],
        ),
        case(
            "order date missing and no time: first seen",
            Orders,
            json!({"date": "∅", "updated_at": null}),
            vec![("date", json!("2026-11-01")), ("updated_at", json!(first_seen))],
            vec![problem("date", I::Missing, O::Default)],
        ),
        case(
            "order amount unreadable",
            Orders,
            json!({"amount": "3,000"}),
            vec![("amount", json!(0))],
            vec![problem("amount", I::NotAnAmount, O::Default)],
        ),
        case(
            "order amount missing",
            Orders,
            json!({"amount": "∅"}),
            vec![("amount", json!(0))],
            vec![problem("amount", I::Missing, O::Default)],
        ),
        case(
            "margin unreadable",
            Orders,
            json!({"margin": "n/a"}),
            vec![("margin", Value::Null)],
            vec![problem("margin", I::NotAnAmount, O::Empty)],
        ),
        case(
            "nested lines",
            Orders,
            json!({"lines": [
                {"product": "Gear", "quantity": "3", "unit_price": 1000},
                "junk",
                {"product": "Shaft", "quantity": 2.5, "unit_price": "abc"},
                {"quantity": 1, "unit_price": 5, "category": ["x"]}]}),
            vec![
                ("lines[0].quantity", json!(3)),
                ("lines[1].product", json!("Shaft")),
                ("lines[1].quantity", json!(0)),
                ("lines[1].unit_price", json!(0)),
                ("lines[2].product", json!("")),
                ("lines[2].category", json!("")),
            ],
            vec![
                problem("lines[1]", I::NotAnObject, O::LeftOut),
                problem("lines[2].quantity", I::NotWholeNumber, O::Default),
                problem("lines[2].unit_price", I::NotAnAmount, O::Default),
                problem("lines[3].product", I::Missing, O::Default),
                problem("lines[3].category", I::NotText, O::Empty),
            ],
        ),
        case(
            "lines not a list",
            Orders,
            json!({"lines": {"product": "Gear"}}),
            vec![("lines", json!([]))],
            vec![problem("lines", I::NotAList, O::Empty)],
        ),
        // Invoices and their payments.
        case(
            "payments with wrong types",
            Invoices,
            json!({"payments": [{"date": "2026-03-10", "amount": "5000"}, {"amount": 100}, 7,
                {"date": "later", "amount": 1.5}]}),
            vec![
                ("payments[0].amount", json!(5000)),
                ("payments[1].date", json!("2026-03-01")),
                ("payments[2].date", json!("2026-03-01")),
                ("payments[2].amount", json!(0)),
            ],
            vec![
                problem("payments[2]", I::NotAnObject, O::LeftOut),
                problem("payments[1].date", I::Missing, O::Default),
                problem("payments[3].amount", I::NotAnAmount, O::Default),
                problem("payments[3].date", I::NotADate, O::Default),
            ],
        ),
        case(
            "payments not a list",
            Invoices,
            json!({"payments": "paid"}),
            vec![("payments", json!([]))],
            vec![problem("payments", I::NotAList, O::Empty)],
        ),
        case(
            "invoice without dates",
            Invoices,
            json!({"issue_date": "∅", "due_date": null}),
            vec![("issue_date", json!("2026-11-01")), ("due_date", json!("2026-11-01"))],
            vec![problem("issue_date", I::Missing, O::FirstSeen), problem("due_date", I::Missing, O::Default)],
        ),
        case(
            "due date garbage",
            Invoices,
            json!({"due_date": "net 30"}),
            vec![("due_date", json!("2026-03-01"))],
            vec![problem("due_date", I::NotADate, O::Default)],
        ),
        // Tickets.
        case(
            "severity unknown, SLA from the default",
            Tickets,
            json!({"severity": "urgent", "sla_due": "∅"}),
            vec![("severity", json!("medium")), ("sla_due", json!("2026-01-08T09:30:00Z"))],
            vec![problem("severity", I::UnknownValue, O::Default), problem("sla_due", I::Missing, O::Default)],
        ),
        case(
            "no SLA: from the severity",
            Tickets,
            json!({"sla_due": "∅"}),
            vec![("sla_due", json!("2026-01-06T09:30:00Z"))],
            vec![problem("sla_due", I::Missing, O::Default)],
        ),
        case(
            "opened missing: first seen",
            Tickets,
            json!({"opened_at": "∅", "sla_due": "∅"}),
            vec![("opened_at", json!(first_seen)), ("sla_due", json!(ts(now() + Duration::hours(24))))],
            vec![problem("opened_at", I::Missing, O::FirstSeen), problem("sla_due", I::Missing, O::Default)],
        ),
        case(
            "resolved time garbage",
            Tickets,
            json!({"resolved_at": "soon"}),
            vec![("resolved_at", Value::Null)],
            vec![problem("resolved_at", I::NotATime, O::Empty)],
        ),
        case(
            "photo without its image",
            Tickets,
            json!({"photos": [{"name": "a.jpg"}]}),
            vec![("photos[0].data_url", json!(""))],
            vec![problem("photos[0].data_url", I::Missing, O::Default)],
        ),
        case(
            "kind, stage, status unknown",
            Tickets,
            json!({"kind": 1, "stage": "during", "status": "WIP"}),
            vec![("kind", json!("inquiry")), ("stage", json!("after_sales")), ("status", json!("open"))],
            vec![
                problem("kind", I::UnknownValue, O::Default),
                problem("stage", I::UnknownValue, O::Default),
                problem("status", I::UnknownValue, O::Default),
            ],
        ),
        // Visits.
        case(
            "location as numeric strings",
            Visits,
            json!({"location": {"lat": "30.25", "lon": 120.17}}),
            vec![("location", json!({"lat": 30.25, "lon": 120.17, "accuracy_m": null}))],
            vec![],
        ),
        case(
            "location unreadable",
            Visits,
            json!({"location": "at the plant"}),
            vec![("location", Value::Null)],
            vec![problem("location", I::NotAnObject, O::Empty)],
        ),
        case(
            "next step date garbage",
            Visits,
            json!({"next_step_date": "tomorrow"}),
            vec![("next_step_date", Value::Null)],
            vec![problem("next_step_date", I::NotADate, O::Empty)],
        ),
        case(
            "purpose missing",
            Visits,
            json!({"purpose": "∅"}),
            vec![("purpose", json!("other"))],
            vec![problem("purpose", I::Missing, O::Default)],
        ),
        case(
            "contacts met as numbers",
            Visits,
            json!({"contacts_met": [1, "P2"]}),
            vec![("contacts_met", json!(["1", "P2"]))],
            vec![],
        ),
        // Surveys and plans.
        case(
            "CSAT out of range",
            Surveys,
            json!({"csat": 7}),
            vec![("csat", Value::Null)],
            vec![problem("csat", I::OutOfRange, O::Empty)],
        ),
        case("NPS as text", Surveys, json!({"nps": "9"}), vec![("nps", json!(9))], vec![]),
        case(
            "survey date missing: first seen",
            Surveys,
            json!({"date": "∅"}),
            vec![("date", json!("2026-11-01"))],
            vec![problem("date", I::Missing, O::FirstSeen)],
        ),
        case(
            "plan period unreadable",
            Plans,
            json!({"period": "2026-Q5"}),
            vec![("period", json!("2026"))],
            vec![problem("period", I::NotAPeriod, O::FirstSeen)],
        ),
        case("plan period as a number", Plans, json!({"period": 2027}), vec![("period", json!("2027"))], vec![]),
        case(
            "plan target in exponent notation",
            Plans,
            json!({"target": "1e6"}),
            vec![("target", json!(1000000))],
            vec![],
        ),
    ];
    for c in cases {
        let v = with(c.entity, c.patch.clone());
        let (record, note) = read(c.entity, &v).unwrap_or_else(|b| panic!("{}: skipped: {b:?}", c.name));
        let got = record.to_json();
        for (path, want) in &c.reads {
            assert_eq!(lenient::get_path(&got, path), Some(want), "{}: {path} in {got}", c.name);
        }
        let mut want = c.problems.clone();
        let mut have = summary(&note.problems);
        want.sort_by(|a, b| a.0.cmp(&b.0));
        have.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(have, want, "{}", c.name);
        assert_eq!(note.id, record.id(), "{}", c.name);
    }
}

#[test]
fn problems_name_the_value_shortened_to_forty_characters() {
    let long = "x".repeat(300);
    let (_, note) = read(Entity::Customers, &with(Entity::Customers, json!({"credit_limit": long}))).unwrap();
    let v = &note.problems[0].value;
    assert_eq!(v.chars().count(), 41, "{v}");
    assert!(v.starts_with("\"xxxx") && v.ends_with('…'), "{v}");
    let (_, note) = read(Entity::Customers, &with(Entity::Customers, json!({"credit_limit": 12.5}))).unwrap();
    assert_eq!(note.problems[0].value, "12.5");
    let (_, note) = read(Entity::Customers, &with(Entity::Customers, json!({"name": "A\u{0}B"}))).unwrap();
    assert_eq!(note.problems[0].value, "\"A\\u0000B\"", "control characters are shown escaped, never raw");
    let (_, note) = read(Entity::Customers, &with(Entity::Customers, json!({"role": "∅"}))).unwrap();
    assert_eq!(note.problems[0].value, "", "nothing was sent");
    assert_eq!(lenient::shorten("杭州精工机床", 2), "杭州…");
    assert_eq!(lenient::shorten("ab", 2), "ab");
}

#[test]
fn only_records_that_are_no_record_are_skipped() {
    let cases: Vec<(&str, Entity, Value, Unreadable)> = vec![
        ("not an object", Entity::Customers, json!(["C1", "Acme"]), Unreadable::NotAnObject),
        ("a text", Entity::Customers, json!("C1"), Unreadable::NotAnObject),
        ("no id", Entity::Customers, with(Entity::Customers, json!({"id": "∅"})), Unreadable::NoId),
        ("null id", Entity::Customers, with(Entity::Customers, json!({"id": null})), Unreadable::NoId),
        ("blank id", Entity::Customers, with(Entity::Customers, json!({"id": " "})), Unreadable::NoId),
        ("id with NUL", Entity::Customers, with(Entity::Customers, json!({"id": "C\u{0}1"})), Unreadable::NoId),
        ("id an object", Entity::Customers, with(Entity::Customers, json!({"id": {"v": 1}})), Unreadable::NoId),
        (
            "contact of no customer",
            Entity::Contacts,
            with(Entity::Contacts, json!({"customer_id": "∅"})),
            Unreadable::NoCustomer,
        ),
        (
            "order of a null customer",
            Entity::Orders,
            with(Entity::Orders, json!({"customer_id": null})),
            Unreadable::NoCustomer,
        ),
        ("invoice without a number", Entity::Invoices, with(Entity::Invoices, json!({"id": "∅"})), Unreadable::NoId),
    ];
    for (name, e, v, why) in cases {
        let b = read(e, &v).err().unwrap_or_else(|| panic!("{name}: read"));
        assert_eq!(b.why, why, "{name}");
        assert_eq!(b.entity, e, "{name}");
    }
    let b = read(Entity::Contacts, &with(Entity::Contacts, json!({"customer_id": "∅"}))).unwrap_err();
    assert_eq!(b.id.as_deref(), Some("P1"), "the id is reported when there is one");
}

/// A profile with an explicit mapping and transforms, for the mapping's share of the reading.
fn mapped() -> Profile {
    let mut v: Value = serde_json::from_str(presets::json("json-server").unwrap()).unwrap();
    v["resources"]["customers"]["mapping"] = json!({
        "base": "explicit",
        "fields": [
            {"kehu": "id", "remote": "uid"},
            {"kehu": "name", "remote": "company"},
            {"kehu": "role", "remote": "type", "values": {"oem": "OEM", "distributor": "DIST"}},
            {"kehu": "credit_limit", "remote": "limit", "transform": "money_major"},
            {"kehu": "potential_annual_spend", "remote": "potential", "transform": "money_major"},
            {"kehu": "region", "remote": "area", "values": {"华东": "E"}, "fallback": "其他"},
            {"kehu": "payment_terms_days", "remote": "terms", "default": 30},
            {"kehu": "tags", "remote": "labels", "transform": "comma_list"},
            {"kehu": "updated_at", "remote": "modified", "transform": "date_time"},
            {"kehu": "created_at", "remote": "created", "transform": "date_time"},
            {"kehu": "custom.grade", "remote": "grade", "transform": "text"}
        ]
    });
    Profile::parse(&v.to_string()).unwrap()
}

#[test]
fn the_mapping_reads_each_field_on_its_own_too() {
    let p = mapped();
    let good = json!({"uid": "c-1", "company": "杭州精工", "type": "OEM", "limit": "12.5", "area": "E", "labels": "vip, key",
        "modified": T1, "created": T0, "grade": 3});
    let (r, note) = read_with(&p, Entity::Customers, &good).unwrap();
    assert!(note.is_clean(), "{note:?}");
    let Record::Customers(c) = r else { panic!() };
    assert_eq!(c.credit_limit.map(|m| m.0), Some(1250), "money_major: 12.5 in major units is 1250 minor");
    assert_eq!((c.region.as_str(), c.tags.clone()), ("华东", vec!["vip".to_string(), "key".to_string()]));
    assert_eq!(c.custom.get("grade"), Some(&json!("3")));
    let first_seen = ts(now());
    type Reads = Vec<(&'static str, Value)>;
    type Found = Vec<(String, Issue, Outcome)>;
    let cases: Vec<(&str, Value, Reads, Found)> = vec![
        ("major units as a number", json!({"limit": 12.5}), vec![("credit_limit", json!(1250))], vec![]),
        (
            "major units as text with grouping",
            json!({"limit": "1,200.50"}),
            vec![("credit_limit", json!(120050))],
            vec![],
        ),
        (
            "major units unreadable",
            json!({"limit": "n/a"}),
            vec![("credit_limit", Value::Null)],
            vec![problem("credit_limit", I::NotAnAmount, O::Empty)],
        ),
        (
            "major units a list",
            json!({"potential": [1]}),
            vec![("potential_annual_spend", Value::Null)],
            vec![problem("potential_annual_spend", I::NotAnAmount, O::Empty)],
        ),
        (
            "value map without fallback",
            json!({"type": "RESELLER"}),
            vec![("role", json!("other"))],
            vec![problem("role", I::UnknownValue, O::Default)],
        ),
        ("value map with fallback", json!({"area": "Z"}), vec![("region", json!("其他"))], vec![]),
        ("profile default for a missing field", json!({"terms": "∅"}), vec![("payment_terms_days", json!(30))], vec![]),
        (
            "unreadable where the profile has a default",
            json!({"terms": "net"}),
            vec![("payment_terms_days", json!(0))],
            vec![problem("payment_terms_days", I::NotANumber, O::Empty)],
        ),
        (
            "date-time transform given 0",
            json!({"modified": 0, "created": "∅"}),
            vec![("updated_at", json!(first_seen)), ("created_at", json!(first_seen))],
            vec![problem("updated_at", I::NotATime, O::FirstSeen)],
        ),
        (
            "date-time transform given null",
            json!({"modified": null, "created": null}),
            vec![("updated_at", json!(first_seen))],
            vec![],
        ),
        (
            "date-time transform given blank text",
            json!({"modified": "", "created": "∅"}),
            vec![("updated_at", json!(first_seen))],
            vec![],
        ),
        (
            "comma list given a number",
            json!({"labels": 5}),
            vec![("tags", json!([]))],
            vec![problem("tags", I::NotAList, O::Empty)],
        ),
        (
            "text transform given a list",
            json!({"grade": [1]}),
            vec![("custom", json!({}))],
            vec![problem("custom.grade", I::NotText, O::Empty)],
        ),
        ("id as a number", json!({"uid": 9}), vec![("id", json!("9"))], vec![]),
    ];
    for (name, patch, reads, problems) in cases {
        let mut v = good.clone();
        for (k, x) in patch.as_object().unwrap() {
            if x == "∅" {
                v.as_object_mut().unwrap().remove(k);
            } else {
                v[k] = x.clone();
            }
        }
        let (r, note) = read_with(&p, Entity::Customers, &v).unwrap_or_else(|b| panic!("{name}: {b:?}"));
        let got = r.to_json();
        for (path, want) in &reads {
            assert_eq!(lenient::get_path(&got, path), Some(want), "{name}: {path} in {got}");
        }
        assert_eq!(summary(&note.problems), problems, "{name}");
    }
}

#[test]
fn every_clean_record_reads_back_exactly_and_the_schema_covers_the_model() {
    use kehu::core::demo::{DemoConfig, generate};
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    let data = generate(&DemoConfig { seed: 11, customers: 60, as_of });
    let mut seen = std::collections::BTreeMap::<Entity, usize>::new();
    for r in Record::all(&data) {
        let e = r.entity();
        *seen.entry(e).or_default() += 1;
        let json = r.to_json();
        let (back, note) = lenient::read(e, &json, vec![], now()).unwrap_or_else(|b| panic!("{b:?}"));
        assert!(note.is_clean(), "{note:?}");
        assert_eq!(back, r, "a clean record reads back as it was");
        // Every field of the model is known to the reader, and nothing else.
        let known = lenient::known_fields(e);
        for key in json.as_object().unwrap().keys() {
            assert!(known.contains(&key.as_str()), "{e:?}.{key} is not in the reader's schema");
        }
        for k in &known {
            // Empty lists of files are not written (`photos`, `attachments`).
            assert!(
                json.get(*k).is_some() || *k == "photos" || *k == "attachments",
                "{e:?}.{k} is in the schema but not the model"
            );
        }
        for list in ["lines", "payments", "photos"] {
            for item in json.get(list).and_then(Value::as_array).into_iter().flatten() {
                // `known_item_fields("lines")` lists an order's lines; an opportunity's have no unit price.
                let mut known = lenient::known_item_fields(list);
                if e == Entity::Opportunities && list == "lines" {
                    known.retain(|f| *f != "unit_price");
                }
                let keys: Vec<&str> = item.as_object().unwrap().keys().map(String::as_str).collect();
                let mut sorted = known.clone();
                sorted.sort();
                let mut keys_sorted = keys.clone();
                keys_sorted.sort();
                assert_eq!(keys_sorted, sorted, "{e:?}.{list} items");
            }
        }
    }
    assert_eq!(seen.len(), Entity::ALL.len(), "the demo has every entity: {seen:?}");
    // The demo has no photos: a photo's fields, from the model's serialisation.
    let photo = kehu::core::model::Photo { name: "a.jpg".into(), data_url: "data:image/png;base64,AAAA".into() };
    let json = serde_json::to_value(&photo).unwrap();
    let mut keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
    let mut known = lenient::known_item_fields("photos");
    keys.sort();
    known.sort();
    assert_eq!(keys, known);
    assert_eq!(
        lenient::known_item_fields("attachments"),
        lenient::known_item_fields("photos"),
        "a deal's documents are attachments too"
    );
}

#[test]
fn a_cached_copy_keeps_its_first_seen_times() {
    let v = with(Entity::Orders, json!({"updated_at": null, "date": "∅"}));
    let (first, note) = read(Entity::Orders, &v).unwrap();
    assert_eq!(note.first_seen, vec!["updated_at".to_string(), "date".to_string()]);
    // A later pull, a day later, of the same record: its times are the first read's.
    let later = from_remote(Entity::Orders, &resource(&js(), Entity::Orders), &v, now() + Duration::days(1)).unwrap();
    assert_ne!(later.0, first, "read alone, it would look changed");
    let kept = lenient::keep_first_seen(later.0.clone(), Some(&first), &later.1.first_seen);
    assert_eq!(kept, first, "kept with the cached copy's times: no change");
    assert_eq!(
        lenient::keep_first_seen(later.0.clone(), None, &later.1.first_seen),
        later.0,
        "not cached: the pull's time"
    );
    // A record with a time of its own is not touched.
    let (stamped, note) = read(Entity::Orders, &base(Entity::Orders)).unwrap();
    assert!(note.first_seen.is_empty());
    assert_eq!(lenient::keep_first_seen(stamped.clone(), Some(&first), &note.first_seen), stamped);
}

#[test]
fn a_field_the_user_changes_clears_its_problem_only() {
    let v = with(Entity::Customers, json!({"credit_limit": 12.5, "role": "reseller", "name": "A\u{0}B"}));
    let (old, note) = read(Entity::Customers, &v).unwrap();
    assert_eq!(note.problems.len(), 3);
    let Record::Customers(mut c) = old.clone() else { panic!() };
    c.credit_limit = Some(kehu::core::model::Money(1250));
    c.city = "宁波".into();
    let left = lenient::still_wrong(&note.problems, &old, &Record::Customers(c.clone()));
    assert_eq!(
        summary(&left),
        vec![problem("name", I::ControlCharacters, O::Cleaned), problem("role", I::UnknownValue, O::Default)]
    );
    c.role = kehu::core::model::SupplyChainRole::Oem;
    c.name = "AB Gears".into();
    assert!(lenient::still_wrong(&left, &old, &Record::Customers(c)).is_empty());
}

#[test]
fn the_problem_table_finds_a_customers_own_and_child_records() {
    let p =
        |field: &str| DataProblem { field: field.into(), value: "1".into(), issue: I::NotAnAmount, outcome: O::Empty };
    let mut t = Problems::default();
    t.insert(Entity::Orders, "O1".into(), RecordProblems { customer: Some("C1".into()), problems: vec![p("amount")] });
    t.insert(Entity::Customers, "C1".into(), RecordProblems { customer: None, problems: vec![p("credit_limit")] });
    t.insert(Entity::Contacts, "P9".into(), RecordProblems { customer: Some("C2".into()), problems: vec![p("name")] });
    t.insert(Entity::Plans, "R1".into(), RecordProblems { customer: None, problems: vec![p("target")] });
    t.insert(Entity::Visits, "V1".into(), RecordProblems { customer: Some("C1".into()), problems: vec![] });
    assert_eq!(t.len(), 4, "a record without problems is not in the table");
    let c1: Vec<(Entity, &str)> = t.for_customer("C1").into_iter().map(|(e, id, _)| (e, id)).collect();
    assert_eq!(c1, vec![(Entity::Customers, "C1"), (Entity::Orders, "O1")], "its own first, then its records'");
    assert!(t.for_customer("C3").is_empty());
    assert_eq!(t.of(Entity::Plans, "R1").map(|r| r.problems.len()), Some(1));
    // Stored compactly, and read back.
    let text = serde_json::to_string(t.of(Entity::Orders, "O1").unwrap()).unwrap();
    assert_eq!(text, r#"{"c":"C1","p":[{"f":"amount","v":"1","i":"not_an_amount","o":"empty"}]}"#);
    let back: RecordProblems = serde_json::from_str(&text).unwrap();
    assert_eq!(Some(&back), t.of(Entity::Orders, "O1"));
    // Problems that name a field by path are found in a record's JSON.
    let order = base(Entity::Orders);
    assert_eq!(lenient::get_path(&order, "lines[0].unit_price"), Some(&json!(1000)));
    assert_eq!(lenient::get_path(&order, "lines[1].unit_price"), None);
    assert_eq!(lenient::get_path(&order, "amount"), Some(&json!(3000)));
}

// ------------------------------------------------------------------------------------------
// Sync runs: a backend of raw JSON records read through the json-server profile, the in-memory
// cache that stores problems as the IndexedDB one does.

struct JsonRemote {
    profile: Profile,
    rows: RefCell<Vec<(Entity, Value)>>,
    clock: Cell<DateTime<Utc>>,
}

impl Env for JsonRemote {
    fn now(&self) -> DateTime<Utc> {
        self.clock.get()
    }
    fn random(&self) -> f64 {
        0.5
    }
}

impl Remote for JsonRemote {
    fn entities(&self) -> Vec<Entity> {
        vec![Entity::Customers, Entity::Orders]
    }
    fn incremental(&self, _: Entity) -> bool {
        false
    }
    async fn list(&self, entity: Entity, _req: &PageRequest) -> Result<Page, RemoteError> {
        let res = resource(&self.profile, entity);
        let mut page = Page::default();
        for (_, v) in self.rows.borrow().iter().filter(|(e, _)| *e == entity) {
            match from_remote(entity, &res, v, self.clock.get()) {
                Ok((r, note)) => {
                    if !note.is_clean() {
                        page.notes.push(note);
                    }
                    page.records.push(r);
                }
                Err(b) => page.skipped.push(b),
            }
        }
        Ok(page)
    }
    async fn get(&self, entity: Entity, id: &str) -> Result<Option<Record>, RemoteError> {
        let res = resource(&self.profile, entity);
        let rows = self.rows.borrow();
        let found = rows.iter().find(|(e, v)| *e == entity && v["id"] == json!(id));
        Ok(found.and_then(|(_, v)| from_remote(entity, &res, v, self.clock.get()).ok()).map(|(r, _)| r))
    }
    async fn create(&self, record: &Record, _op_id: &str) -> Result<Option<Record>, RemoteError> {
        Ok(Some(record.clone()))
    }
    async fn update(&self, record: &Record, _changed: &[String]) -> Result<Record, RemoteError> {
        // Stores what Kehu sends, as json-server does.
        let mut rows = self.rows.borrow_mut();
        if let Some(row) = rows.iter_mut().find(|(e, v)| *e == record.entity() && v["id"] == json!(record.id())) {
            row.1 = record.to_json();
        }
        Ok(record.clone())
    }
    async fn delete(&self, _: Entity, _: &str) -> Result<(), RemoteError> {
        Ok(())
    }
}

fn run(remote: &JsonRemote, local: &MemLocal) -> kehu::core::sync::engine::SyncReport {
    block_on(sync(remote, local, remote, kehu::core::sync::engine::SyncOptions::default(), &mut |_| {}))
}

fn server() -> JsonRemote {
    let c = |id: &str, patch: Value| {
        let mut v = with(Entity::Customers, patch);
        v["id"] = json!(id);
        (Entity::Customers, v)
    };
    let rows = vec![
        c("C1", json!({})),
        c("C2", json!({"credit_limit": "100"})),
        c("C3", json!({"credit_limit": 12.5})),
        c("C4", json!({"updated_at": null, "created_at": null})),
        c("C5", json!({"updated_at": 0, "created_at": "∅"})),
        c("C6", json!({"role": "∅"})),
        c("C7", json!({"name": "Nul\u{0}Gears"})),
        (Entity::Customers, json!({"name": "no id"})),
        (Entity::Customers, json!("not an object")),
        (
            Entity::Orders,
            with(
                Entity::Orders,
                json!({"id": "O1", "customer_id": "C3", "lines": [{"product": "Gear", "quantity": "x", "unit_price": 1}]}),
            ),
        ),
    ];
    JsonRemote { profile: js(), rows: RefCell::new(rows), clock: Cell::new(now()) }
}

#[test]
fn a_sync_keeps_every_record_and_stores_its_problems() {
    let remote = server();
    let local = MemLocal::default();
    let r = run(&remote, &local);
    assert_eq!(r.error, None);
    assert_eq!(
        local.ids_sorted(Entity::Customers),
        vec!["C1", "C2", "C3", "C4", "C5", "C6", "C7"],
        "every customer with an id is kept"
    );
    assert_eq!(local.ids_sorted(Entity::Orders), vec!["O1"]);
    assert_eq!(r.skipped.iter().map(|b| b.why).collect::<Vec<_>>(), vec![Unreadable::NoId, Unreadable::NotAnObject]);
    let fields = |id: &str| local.problems_of(Entity::Customers, id).into_iter().map(|p| p.field).collect::<Vec<_>>();
    assert!(fields("C1").is_empty() && fields("C2").is_empty() && fields("C4").is_empty());
    assert_eq!(fields("C3"), vec!["credit_limit"]);
    assert_eq!(fields("C5"), vec!["updated_at"]);
    assert_eq!(fields("C6"), vec!["role"]);
    assert_eq!(fields("C7"), vec!["name"]);
    assert_eq!(
        local.problems_of(Entity::Orders, "O1").into_iter().map(|p| p.field).collect::<Vec<_>>(),
        vec!["lines[0].quantity"]
    );
    assert_eq!(
        local.problems.borrow().get(&(Entity::Orders, "O1".into())).and_then(|p| p.customer.clone()).as_deref(),
        Some("C3")
    );
    let Some(Record::Customers(c2)) = local.record(Entity::Customers, "C2") else { panic!() };
    assert_eq!(c2.credit_limit.map(|m| m.0), Some(100));
    let Some(Record::Customers(c7)) = local.record(Entity::Customers, "C7") else { panic!() };
    assert_eq!(c7.name, "NulGears");
}

#[test]
fn records_without_a_time_do_not_look_changed_on_every_pull() {
    let remote = server();
    let local = MemLocal::default();
    run(&remote, &local);
    let first = |id: &str| local.record(Entity::Customers, id).unwrap();
    let (c4, c5) = (first("C4"), first("C5"));
    let Record::Customers(c) = &c4 else { panic!() };
    assert_eq!((c.updated_at, c.created_at), (now(), now()), "first seen at the first pull");
    remote.clock.set(now() + Duration::hours(5));
    let r = run(&remote, &local);
    assert_eq!(first("C4"), c4, "the second pull keeps the time first seen");
    assert_eq!(first("C5"), c5);
    let pulled = |id: &str| {
        r.changes.iter().find_map(|ch| match ch {
            Change::Upsert(x) if x.id() == id => Some(x.clone()),
            _ => None,
        })
    };
    assert_eq!(pulled("C4"), Some(c4), "what the run hands to the workspace is unchanged too");
    assert_eq!(local.problems_of(Entity::Customers, "C5").len(), 1, "the 0 time is still a problem");
}

#[test]
fn problems_clear_when_read_clean_or_fixed_by_the_user() {
    let remote = server();
    let local = MemLocal::default();
    run(&remote, &local);
    // Fixed on the server: read clean, the problem goes.
    remote.rows.borrow_mut()[2].1["credit_limit"] = json!(1250);
    // Broken on the server since: a new problem.
    remote.rows.borrow_mut()[0].1["payment_terms_days"] = json!("net 30");
    run(&remote, &local);
    assert!(local.problems_of(Entity::Customers, "C3").is_empty());
    assert_eq!(local.problems_of(Entity::Customers, "C1").len(), 1);
    // Fixed by the user: the field's problem goes at once (the others stay until the server's record reads clean).
    let Some(Record::Customers(mut c6)) = local.record(Entity::Customers, "C6") else { panic!() };
    c6.city = "宁波".into();
    local.edit(Edit::Update(Record::Customers(c6.clone())), now());
    assert_eq!(local.problems_of(Entity::Customers, "C6").len(), 1, "another field changed: the role's problem stays");
    c6.role = kehu::core::model::SupplyChainRole::Distributor;
    local.edit(Edit::Update(Record::Customers(c6)), now());
    assert!(local.problems_of(Entity::Customers, "C6").is_empty(), "the role set by the user");
    // The edit is sent; json-server stores the whole record; the next pull reads it clean.
    let r = run(&remote, &local);
    assert_eq!(r.error, None);
    assert!(local.problems_of(Entity::Customers, "C6").is_empty());
    // A record removed on the server takes its problems with it.
    remote.rows.borrow_mut().retain(|(_, v)| v["id"] != json!("C7"));
    run(&remote, &local);
    assert!(local.record(Entity::Customers, "C7").is_none());
    assert!(local.problems_of(Entity::Customers, "C7").is_empty());
    let _ = Currency::CNY;
}
