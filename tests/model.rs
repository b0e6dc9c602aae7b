//! Table-driven tests of the domain model and its validation: good records pass, each kind of bad
//! input yields the expected field error, and serde round-trips keep every field.
// Tests: a panic is the test failing; tables of cases have long tuple types.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]
// Amounts are written as yuan_fen (12_500_00 = ¥12,500.00), so the grouping is deliberate.
#![allow(clippy::inconsistent_digit_grouping)]

use chrono::{NaiveDate, TimeZone, Utc};
use kehu::core::model::*;
use kehu::core::validate::{FieldError, Problem, Validate, is_email, is_phone};
use std::collections::BTreeMap;

fn d(y: i32, m: u32, day: u32) -> Date {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn ts(y: i32, m: u32, day: u32, h: u32) -> Timestamp {
    Utc.with_ymd_and_hms(y, m, day, h, 0, 0).unwrap()
}

fn customer() -> Customer {
    Customer {
        id: "C1".into(),
        name: "杭州精工机床有限公司".into(),
        short_name: "精工机床".into(),
        role: SupplyChainRole::Oem,
        industry: "机床".into(),
        region: "华东".into(),
        country: "CN".into(),
        city: "杭州".into(),
        address: "滨江区江南大道 1288 号".into(),
        owner: Some("王磊".into()),
        team: vec!["李娜".into()],
        tags: vec!["key-account".into(), "ISO9001".into()],
        credit_limit: Some(Money(500_000_00)),
        currency: Currency::CNY,
        payment_terms_days: 60,
        potential_annual_spend: Some(Money(3_000_000_00)),
        parent_id: None,
        distributor_of: vec![],
        created_at: ts(2024, 1, 5, 9),
        updated_at: ts(2026, 10, 1, 9),
        custom: BTreeMap::new(),
    }
}

fn contact() -> Contact {
    Contact {
        id: "P1".into(),
        customer_id: "C1".into(),
        name: "张伟".into(),
        title: "采购经理".into(),
        department: "采购部".into(),
        phone: "+86 571 8888 1234".into(),
        mobile: "138 0000 1234".into(),
        email: "zhang.wei@jinggong.example.cn".into(),
        primary: true,
        notes: String::new(),
        created_at: ts(2024, 1, 5, 9),
        updated_at: ts(2024, 1, 5, 9),
    }
}

fn order() -> Order {
    Order {
        id: "SO1".into(),
        customer_id: "C1".into(),
        date: d(2026, 3, 2),
        amount: Money(12_500_00),
        margin: Some(Money(2_500_00)),
        currency: Currency::CNY,
        status: OrderStatus::Delivered,
        lines: vec![
            OrderLine {
                product: "深沟球轴承 6205".into(),
                category: "轴承".into(),
                quantity: 100,
                unit_price: Money(25_00),
            },
            OrderLine {
                product: "液压阀 DG4V".into(),
                category: "液压件".into(),
                quantity: 5,
                unit_price: Money(2_000_00),
            },
        ],
        updated_at: ts(2026, 3, 2, 10),
    }
}

fn invoice() -> Invoice {
    Invoice {
        number: "INV-2026-000001".into(),
        customer_id: "C1".into(),
        order_id: Some("SO1".into()),
        issue_date: d(2026, 3, 5),
        due_date: d(2026, 5, 4),
        amount: Money(12_500_00),
        currency: Currency::CNY,
        payments: vec![Payment { date: d(2026, 5, 1), amount: Money(10_000_00) }],
    }
}

fn ticket() -> ServiceTicket {
    ServiceTicket {
        id: "T1".into(),
        customer_id: "C1".into(),
        kind: TicketKind::Complaint,
        stage: ServiceStage::AfterSales,
        severity: Severity::High,
        status: TicketStatus::Open,
        title: "主轴异响".into(),
        description: "交付后第三周主轴出现异响".into(),
        resolution: String::new(),
        order_id: Some("SO1".into()),
        product: Some("CNC spindle".into()),
        assignee: None,
        opened_at: ts(2026, 4, 1, 8),
        sla_due: ts(2026, 4, 2, 8),
        resolved_at: None,
        closed_at: None,
        updated_at: ts(2026, 4, 1, 8),
        photos: vec![],
    }
}

fn visit() -> Visit {
    Visit {
        id: "V1".into(),
        customer_id: "C1".into(),
        date: d(2026, 4, 10),
        rep: "王磊".into(),
        contacts_met: vec!["P1".into()],
        purpose: VisitPurpose::Complaint,
        notes: "现场确认异响".into(),
        outcome: "更换主轴".into(),
        next_step: "回访".into(),
        next_step_date: Some(d(2026, 4, 24)),
        location: Some(GeoPoint { lat: 30.2, lon: 120.2, accuracy_m: Some(15.0) }),
        updated_at: ts(2026, 4, 10, 17),
    }
}

fn survey() -> SurveyResponse {
    SurveyResponse {
        id: "S1".into(),
        customer_id: "C1".into(),
        contact_id: Some("P1".into()),
        date: d(2026, 5, 1),
        csat: Some(4),
        nps: Some(8),
        comment: "响应及时".into(),
        ticket_id: Some("T1".into()),
    }
}

fn plan() -> RegionPlan {
    RegionPlan {
        id: "PL1".into(),
        region: "华东".into(),
        period: Period::Quarter(2026, 2),
        target: Money(1_000_000_00),
        currency: Currency::CNY,
    }
}

fn errors<T: Validate>(r: &T) -> Vec<FieldError> {
    match r.validate() {
        Ok(()) => vec![],
        Err(e) => e.0,
    }
}

fn expect<T: Validate>(name: &str, r: T, field: &str, problem: Problem) {
    let errs = errors(&r);
    assert!(
        errs.iter().any(|e| e.field == field && e.problem == problem),
        "{name}: expected {field}: {problem:?}, got {errs:?}"
    );
}

#[test]
fn good_records_validate() {
    assert_eq!(errors(&customer()), vec![]);
    assert_eq!(errors(&contact()), vec![]);
    assert_eq!(errors(&order()), vec![]);
    assert_eq!(errors(&invoice()), vec![]);
    assert_eq!(errors(&ticket()), vec![]);
    assert_eq!(errors(&visit()), vec![]);
    assert_eq!(errors(&survey()), vec![]);
    assert_eq!(errors(&plan()), vec![]);
}

#[test]
fn bad_customers() {
    type Case = (&'static str, fn(&mut Customer), &'static str, Problem);
    let cases: &[Case] = &[
        ("blank name", |c| c.name = "   ".into(), "name", Problem::Required),
        ("empty id", |c| c.id = String::new(), "id", Problem::Required),
        ("long name", |c| c.name = "厂".repeat(201), "name", Problem::TooLong { max: 200 }),
        ("bad country", |c| c.country = "China".into(), "country", Problem::InvalidCountry),
        ("lower-case country", |c| c.country = "cn".into(), "country", Problem::InvalidCountry),
        ("negative credit", |c| c.credit_limit = Some(Money(-1)), "credit_limit", Problem::Negative),
        (
            "terms over a year",
            |c| c.payment_terms_days = 400,
            "payment_terms_days",
            Problem::OutOfRange { min: 0, max: 365 },
        ),
        ("own parent", |c| c.parent_id = Some("C1".into()), "parent_id", Problem::SelfReference),
        (
            "distributes to itself",
            |c| c.distributor_of = vec!["C9".into(), "C1".into()],
            "distributor_of[1]",
            Problem::SelfReference,
        ),
        ("duplicate tag", |c| c.tags = vec!["VMI".into(), "vmi".into()], "tags[1]", Problem::Duplicate),
        ("blank tag", |c| c.tags = vec![" ".into()], "tags[0]", Problem::Required),
        ("updated before created", |c| c.updated_at = ts(2020, 1, 1, 0), "updated_at", Problem::DateOrder),
        (
            "negative potential",
            |c| c.potential_annual_spend = Some(Money(-5)),
            "potential_annual_spend",
            Problem::Negative,
        ),
    ];
    for (name, mutate, field, problem) in cases {
        let mut c = customer();
        mutate(&mut c);
        expect(name, c, field, *problem);
    }
}

#[test]
fn shared_pool_and_display_name() {
    let mut c = customer();
    assert!(!c.in_shared_pool());
    assert_eq!(c.display_name(), "精工机床");
    c.owner = None;
    assert!(c.in_shared_pool());
    c.owner = Some("  ".into());
    assert!(c.in_shared_pool(), "a blank owner is the shared pool too");
    c.short_name.clear();
    assert_eq!(c.display_name(), "杭州精工机床有限公司");
}

#[test]
fn bad_contacts() {
    type Case = (&'static str, fn(&mut Contact), &'static str, Problem);
    let cases: &[Case] = &[
        ("no name", |c| c.name.clear(), "name", Problem::Required),
        ("no customer", |c| c.customer_id.clear(), "customer_id", Problem::Required),
        ("email without @", |c| c.email = "zhang.wei.example.cn".into(), "email", Problem::InvalidEmail),
        ("email with space", |c| c.email = "zhang wei@example.cn".into(), "email", Problem::InvalidEmail),
        ("phone with letters", |c| c.phone = "call me".into(), "phone", Problem::InvalidPhone),
        ("phone too short", |c| c.mobile = "123".into(), "mobile", Problem::InvalidPhone),
    ];
    for (name, mutate, field, problem) in cases {
        let mut c = contact();
        mutate(&mut c);
        expect(name, c, field, *problem);
    }
}

#[test]
fn email_and_phone_shapes() {
    let emails = [
        ("a@b.cn", true),
        ("zhang.wei+crm@jinggong.example.cn", true),
        ("no-at.example.com", false),
        ("two@@example.com", false),
        ("a@localhost", false),
        ("a@-bad.com", false),
        ("", false),
    ];
    for (e, ok) in emails {
        assert_eq!(is_email(e), ok, "{e:?}");
    }
    let phones = [
        ("+86 571 8888 1234", true),
        ("(0571) 88881234 ext. 12", true),
        ("021-5555-0000", true),
        ("+49 (0)89 1234567", true),
        ("1234", false),
        ("+86 +571 888", false),
        ("555 CALL NOW", false),
        ("123456789012345678901", false),
    ];
    for (p, ok) in phones {
        assert_eq!(is_phone(p), ok, "{p:?}");
    }
}

#[test]
fn bad_orders() {
    type Case = (&'static str, fn(&mut Order), &'static str, Problem);
    let cases: &[Case] = &[
        ("lines do not add up", |o| o.amount = Money(1), "amount", Problem::TotalMismatch),
        (
            "negative amount",
            |o| {
                o.lines.clear();
                o.amount = Money(-100);
            },
            "amount",
            Problem::Negative,
        ),
        (
            "zero quantity",
            |o| o.lines[0].quantity = 0,
            "lines[0].quantity",
            Problem::OutOfRange { min: 1, max: 1_000_000_000 },
        ),
        ("blank product", |o| o.lines[1].product = String::new(), "lines[1].product", Problem::Required),
        (
            "margin above amount",
            |o| o.margin = Some(Money(20_000_00)),
            "margin",
            Problem::OutOfRange { min: i64::MIN, max: 12_500_00 },
        ),
    ];
    for (name, mutate, field, problem) in cases {
        let mut o = order();
        mutate(&mut o);
        expect(name, o, field, *problem);
    }
}

#[test]
fn order_money_helpers() {
    let o = order();
    assert_eq!(o.cost(), Some(Money(10_000_00)));
    assert_eq!(o.lines[1].total(), Money(10_000_00));
    let mut loss = order();
    loss.margin = Some(Money(-500_00));
    assert_eq!(loss.cost(), Some(Money(13_000_00)));
    assert_eq!(errors(&loss), vec![], "a loss-making order is valid");
}

#[test]
fn bad_invoices_and_receivables() {
    type Case = (&'static str, fn(&mut Invoice), &'static str, Problem);
    let cases: &[Case] = &[
        ("due before issue", |i| i.due_date = d(2026, 3, 1), "due_date", Problem::DateOrder),
        (
            "overpaid",
            |i| i.payments.push(Payment { date: d(2026, 5, 2), amount: Money(3_000_00) }),
            "payments",
            Problem::Overpaid,
        ),
        (
            "zero payment",
            |i| i.payments[0].amount = Money(0),
            "payments[0].amount",
            Problem::OutOfRange { min: 1, max: i64::MAX },
        ),
        ("payment before issue", |i| i.payments[0].date = d(2026, 1, 1), "payments[0].date", Problem::DateOrder),
    ];
    for (name, mutate, field, problem) in cases {
        let mut i = invoice();
        mutate(&mut i);
        expect(name, i, field, *problem);
    }
    // (as_of, paid, outstanding, days overdue)
    let inv = invoice();
    let table = [
        (d(2026, 3, 1), 0, 0, 0),                  // before it was issued
        (d(2026, 4, 1), 0, 12_500_00, 0),          // issued, not yet due
        (d(2026, 5, 1), 10_000_00, 2_500_00, 0),   // part paid on the first of May
        (d(2026, 5, 14), 10_000_00, 2_500_00, 10), // ten days past due
        (d(2026, 9, 1), 10_000_00, 2_500_00, 120),
    ];
    for (as_of, paid, outstanding, overdue) in table {
        assert_eq!(inv.paid(as_of), Money(paid), "paid at {as_of}");
        if as_of >= inv.issue_date {
            assert_eq!(inv.outstanding(as_of), Money(outstanding), "outstanding at {as_of}");
        }
        assert_eq!(inv.days_overdue(as_of), overdue, "overdue at {as_of}");
    }
    let mut settled = invoice();
    settled.payments.push(Payment { date: d(2026, 5, 20), amount: Money(2_500_00) });
    assert_eq!(settled.days_overdue(d(2026, 9, 1)), 0, "a settled invoice is not overdue");
}

#[test]
fn bad_tickets_and_sla() {
    type Case = (&'static str, fn(&mut ServiceTicket), &'static str, Problem);
    let cases: &[Case] = &[
        ("no title", |t| t.title = " ".into(), "title", Problem::Required),
        ("SLA before opening", |t| t.sla_due = ts(2026, 3, 1, 0), "sla_due", Problem::DateOrder),
        (
            "resolved without note",
            |t| {
                t.status = TicketStatus::Resolved;
                t.resolved_at = Some(ts(2026, 4, 1, 20));
            },
            "resolution",
            Problem::MissingResolution,
        ),
        (
            "closed before resolved",
            |t| {
                t.status = TicketStatus::Closed;
                t.resolution = "更换主轴".into();
                t.resolved_at = Some(ts(2026, 4, 3, 0));
                t.closed_at = Some(ts(2026, 4, 2, 0));
            },
            "closed_at",
            Problem::DateOrder,
        ),
    ];
    for (name, mutate, field, problem) in cases {
        let mut t = ticket();
        mutate(&mut t);
        expect(name, t, field, *problem);
    }
    let t = ticket();
    assert!(!t.sla_breached(ts(2026, 4, 1, 20)));
    assert!(t.sla_breached(ts(2026, 4, 2, 9)));
    let mut late = ticket();
    late.status = TicketStatus::Resolved;
    late.resolution = "done".into();
    late.resolved_at = Some(ts(2026, 4, 3, 0));
    assert!(late.sla_breached(ts(2026, 4, 3, 0)), "resolved after the SLA counts as breached");
    let sla: Vec<i64> = Severity::ALL.iter().map(|s| s.default_sla().num_hours()).collect();
    assert_eq!(sla, vec![168, 72, 24, 4], "low → critical");
}

#[test]
fn bad_visits_surveys_plans() {
    let mut v = visit();
    v.next_step_date = Some(d(2026, 4, 1));
    expect("next step before visit", v, "next_step_date", Problem::DateOrder);
    for (lat, lon) in [(91.0, 0.0), (0.0, -181.0), (f64::NAN, 0.0)] {
        let mut v = visit();
        v.location = Some(GeoPoint { lat, lon, accuracy_m: None });
        expect("bad location", v, "location", Problem::InvalidCoordinates);
    }
    let mut v = visit();
    v.contacts_met = vec!["P1".into(), "P1".into()];
    expect("same contact twice", v, "contacts_met[1]", Problem::Duplicate);

    type Case = (&'static str, fn(&mut SurveyResponse), &'static str, Problem);
    let cases: &[Case] = &[
        ("CSAT 0", |s| s.csat = Some(0), "csat", Problem::OutOfRange { min: 1, max: 5 }),
        ("CSAT 6", |s| s.csat = Some(6), "csat", Problem::OutOfRange { min: 1, max: 5 }),
        ("NPS 11", |s| s.nps = Some(11), "nps", Problem::OutOfRange { min: 0, max: 10 }),
        (
            "no score",
            |s| {
                s.csat = None;
                s.nps = None;
            },
            "csat",
            Problem::NoScore,
        ),
    ];
    for (name, mutate, field, problem) in cases {
        let mut s = survey();
        mutate(&mut s);
        expect(name, s, field, *problem);
    }
    let mut s = survey();
    s.csat = None;
    s.nps = Some(0);
    assert_eq!(errors(&s), vec![], "an NPS of 0 alone is a valid answer");

    let mut p = plan();
    p.region = String::new();
    p.target = Money(-1);
    let errs = errors(&p);
    assert!(errs.contains(&FieldError { field: "region".into(), problem: Problem::Required }));
    assert!(errs.contains(&FieldError { field: "target".into(), problem: Problem::Negative }));
}

#[test]
fn periods() {
    let table = [
        ("2026", Some(Period::Year(2026)), Some((d(2026, 1, 1), d(2026, 12, 31)))),
        ("2026-Q1", Some(Period::Quarter(2026, 1)), Some((d(2026, 1, 1), d(2026, 3, 31)))),
        ("2026-q4", Some(Period::Quarter(2026, 4)), Some((d(2026, 10, 1), d(2026, 12, 31)))),
        ("2024-02", Some(Period::Month(2024, 2)), Some((d(2024, 2, 1), d(2024, 2, 29)))),
        ("2026-12", Some(Period::Month(2026, 12)), Some((d(2026, 12, 1), d(2026, 12, 31)))),
        ("2026-Q5", None, None),
        ("2026-13", None, None),
        ("2026-1", None, None),
        ("26", None, None),
        ("", None, None),
    ];
    for (text, period, bounds) in table {
        let parsed = Period::parse(text);
        assert_eq!(parsed, period, "{text:?}");
        assert_eq!(parsed.and_then(Period::bounds), bounds, "{text:?}");
        if let Some(p) = parsed {
            assert_eq!(Period::parse(&p.to_string()), Some(p), "display round-trips");
        }
    }
    assert_eq!(Period::quarter_of(d(2026, 8, 15)), Period::Quarter(2026, 3));
    assert!(Period::Quarter(2026, 3).contains(d(2026, 9, 30)));
    assert!(!Period::Quarter(2026, 3).contains(d(2026, 10, 1)));
    let json = serde_json::to_string(&plan()).unwrap();
    assert!(json.contains("\"period\":\"2026-Q2\""), "{json}");
    assert!(serde_json::from_str::<RegionPlan>(&json.replace("2026-Q2", "2026-Q9")).is_err());
}

#[test]
fn serde_round_trips_keep_every_field() {
    let mut c = customer();
    c.custom.insert("erp_code".into(), serde_json::json!("HZ-0042"));
    c.custom.insert("plants".into(), serde_json::json!([1, 2]));
    let back: Customer = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
    assert_eq!(back, c);
    let back: Order = serde_json::from_str(&serde_json::to_string(&order()).unwrap()).unwrap();
    assert_eq!(back, order());
    let back: Invoice = serde_json::from_str(&serde_json::to_string(&invoice()).unwrap()).unwrap();
    assert_eq!(back, invoice());
    let back: ServiceTicket = serde_json::from_str(&serde_json::to_string(&ticket()).unwrap()).unwrap();
    assert_eq!(back, ticket());
    let back: Visit = serde_json::from_str(&serde_json::to_string(&visit()).unwrap()).unwrap();
    assert_eq!(back, visit());
    let back: SurveyResponse = serde_json::from_str(&serde_json::to_string(&survey()).unwrap()).unwrap();
    assert_eq!(back, survey());
    let back: Contact = serde_json::from_str(&serde_json::to_string(&contact()).unwrap()).unwrap();
    assert_eq!(back, contact());
}

#[test]
fn money_is_stored_as_integer_minor_units() {
    let json = serde_json::to_value(order()).unwrap();
    assert_eq!(json["amount"], serde_json::json!(1_250_000));
    assert_eq!(json["currency"], serde_json::json!("CNY"));
    assert!(json["amount"].is_i64());
    assert!(
        serde_json::from_value::<Order>(serde_json::json!({
            "id": "x", "customer_id": "c", "date": "2026-01-01", "amount": 12.5, "status": "open",
            "updated_at": "2026-01-01T00:00:00Z"
        }))
        .is_err(),
        "a float amount is rejected, not rounded"
    );
}

#[test]
fn minimal_records_deserialize_with_defaults() {
    let c: Customer = serde_json::from_value(serde_json::json!({
        "id": "C9", "name": "Northwind GmbH", "role": "distributor",
        "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"
    }))
    .unwrap();
    assert!(c.in_shared_pool());
    assert_eq!(c.currency, Currency::CNY);
    assert!(c.validate().is_ok());
    assert!(
        serde_json::from_value::<Customer>(serde_json::json!({"id": "C9", "name": "x", "role": "pirate",
        "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"}))
        .is_err()
    );
}

#[test]
fn enums_have_stable_names_and_parse_back() {
    fn check<T: Copy + PartialEq + std::fmt::Debug + serde::Serialize>(
        all: &[T],
        as_str: fn(T) -> &'static str,
        parse: fn(&str) -> Option<T>,
    ) {
        for &v in all {
            let json = serde_json::to_value(v).unwrap();
            assert_eq!(json, serde_json::json!(as_str(v)), "{v:?}");
            assert_eq!(parse(as_str(v)), Some(v));
            assert_eq!(parse(&as_str(v).to_uppercase()), Some(v), "case-insensitive");
        }
        assert_eq!(parse("no-such-value"), None);
    }
    check(SupplyChainRole::ALL, SupplyChainRole::as_str, SupplyChainRole::parse);
    check(OrderStatus::ALL, OrderStatus::as_str, OrderStatus::parse);
    check(TicketKind::ALL, TicketKind::as_str, TicketKind::parse);
    check(ServiceStage::ALL, ServiceStage::as_str, ServiceStage::parse);
    check(Severity::ALL, Severity::as_str, Severity::parse);
    check(TicketStatus::ALL, TicketStatus::as_str, TicketStatus::parse);
    check(VisitPurpose::ALL, VisitPurpose::as_str, VisitPurpose::parse);
    assert_eq!(SupplyChainRole::LogisticsPartner.key(), "role_logistics_partner");
}
