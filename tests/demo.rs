//! The demo generator: deterministic, valid, and shaped like a real supply-chain CRM.
//!
//! Datasets are generated once per size and shared by the tests (the dev profile keeps it quick).
// Tests: a panic is the test failing; tables of cases have long tuple types.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

use chrono::{Datelike, NaiveDate};
use kehu::core::demo::{DEFAULT_SEED, DemoConfig, demo_now, generate, regions, sales_reps};
use kehu::core::model::Dataset;
use kehu::core::model::{
    Currency, Customer, Invoice, Order, OrderStatus, Period, ServiceTicket, SupplyChainRole, TicketKind, TicketStatus,
};
use kehu::core::validate::Validate;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::LazyLock;

mod common;

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 1).expect("valid date")
}

fn cfg(seed: u64, customers: usize) -> DemoConfig {
    DemoConfig { seed, customers, as_of: as_of() }
}

/// The seed of the shared datasets; `DEMO_SEED=123 cargo test --test demo` checks another one.
fn seed() -> u64 {
    std::env::var("DEMO_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(DEFAULT_SEED)
}

/// 2,000 customers: structure and integrity.
static SMALL: LazyLock<Dataset> = LazyLock::new(|| generate(&cfg(seed(), 2_000)));
/// 10,000 customers: distributions.
static LARGE: LazyLock<Dataset> = LazyLock::new(|| generate(&cfg(seed(), 10_000)));

/// Rough CNY value of minor units, for comparing customers across currencies.
fn cny(minor: i64, c: Currency) -> f64 {
    let fx = if c == Currency::EUR {
        7.8
    } else if c == Currency::USD {
        7.1
    } else {
        1.0
    };
    minor as f64 * fx / 100.0
}

fn orders_by_customer(d: &Dataset) -> HashMap<&str, Vec<&Order>> {
    let mut m: HashMap<&str, Vec<&Order>> = HashMap::new();
    for o in &d.orders {
        m.entry(o.customer_id.as_str()).or_default().push(o);
    }
    for v in m.values_mut() {
        v.sort_by_key(|o| o.date);
    }
    m
}

fn revenue_by_customer(d: &Dataset) -> Vec<f64> {
    let mut rev: HashMap<&str, f64> = HashMap::new();
    for o in d.orders.iter().filter(|o| o.counts_as_sale()) {
        *rev.entry(o.customer_id.as_str()).or_default() += cny(o.amount.0, o.currency);
    }
    d.customers.iter().map(|c| rev.get(c.id.as_str()).copied().unwrap_or(0.0)).collect()
}

fn aging_bucket(inv: &Invoice, as_of: NaiveDate) -> Option<usize> {
    match inv.days_overdue(as_of) {
        0 => None,
        1..=30 => Some(0),
        31..=60 => Some(1),
        61..=90 => Some(2),
        _ => Some(3),
    }
}

fn is_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

// ---------------------------------------------------------------------------------------------
// Determinism and sizes

#[test]
fn same_config_gives_the_same_dataset() {
    let a = generate(&cfg(7, 300));
    let b = generate(&cfg(7, 300));
    assert_eq!(a, b);
    assert_eq!(serde_json::to_string(&a).ok(), serde_json::to_string(&b).ok(), "identical serialisation too");
}

#[test]
fn different_seed_or_date_gives_different_data() {
    let base = generate(&cfg(7, 300));
    let other_seed = generate(&cfg(8, 300));
    assert_ne!(base.customers, other_seed.customers);
    let names_a: HashSet<&str> = base.customers.iter().map(|c| c.name.as_str()).collect();
    let shared = other_seed.customers.iter().filter(|c| names_a.contains(c.name.as_str())).count();
    assert!(shared < 30, "a different seed should give mostly different names, {shared} shared");
    let later =
        generate(&DemoConfig { seed: 7, customers: 300, as_of: NaiveDate::from_ymd_opt(2027, 3, 1).expect("date") });
    assert_ne!(base.orders, later.orders);
}

#[test]
fn the_first_customers_of_a_bigger_dataset_equal_a_smaller_one() {
    let small = generate(&cfg(11, 250));
    let big = generate(&cfg(11, 700));
    assert_eq!(small.customers[..], big.customers[..250]);
    let ids: HashSet<&str> = small.customers.iter().map(|c| c.id.as_str()).collect();
    let keep = |id: &str| ids.contains(id);
    assert_eq!(small.contacts, big.contacts.iter().filter(|x| keep(&x.customer_id)).cloned().collect::<Vec<_>>());
    assert_eq!(small.orders, big.orders.iter().filter(|x| keep(&x.customer_id)).cloned().collect::<Vec<_>>());
    assert_eq!(small.invoices, big.invoices.iter().filter(|x| keep(&x.customer_id)).cloned().collect::<Vec<_>>());
    assert_eq!(small.tickets, big.tickets.iter().filter(|x| keep(&x.customer_id)).cloned().collect::<Vec<_>>());
    assert_eq!(small.visits, big.visits.iter().filter(|x| keep(&x.customer_id)).cloned().collect::<Vec<_>>());
    assert_eq!(small.surveys, big.surveys.iter().filter(|x| keep(&x.customer_id)).cloned().collect::<Vec<_>>());
}

/// Same data on every platform: see `tests/common/mod.rs` (the wasm tests check the same constants).
#[test]
fn fingerprint_is_stable() {
    common::assert_demo_fingerprint();
}

#[test]
fn zero_customers_give_an_empty_dataset() {
    let d = generate(&cfg(DEFAULT_SEED, 0));
    assert_eq!(d, Dataset::default());
}

#[test]
fn odd_inputs_do_not_panic_and_stay_valid() {
    let dates = [
        NaiveDate::from_ymd_opt(1970, 1, 1),
        NaiveDate::from_ymd_opt(2000, 2, 29),
        NaiveDate::from_ymd_opt(2040, 12, 31),
        Some(NaiveDate::MIN),
        Some(NaiveDate::MAX),
    ];
    for (k, date) in dates.into_iter().enumerate() {
        let Some(as_of) = date else { continue };
        for (seed, customers) in [(0, 1), (u64::MAX, 3), (k as u64, 40)] {
            let d = generate(&DemoConfig { seed, customers, as_of });
            assert_eq!(d.customers.len(), customers, "{as_of} seed {seed}");
            // The extremes of chrono's calendar have no room for a history; only ordinary dates must validate.
            if as_of.year() > 1000 && as_of.year() < 3000 {
                let invalid = all_problems(&d);
                assert!(invalid.is_empty(), "{as_of} seed {seed}: {invalid:?}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Validity and integrity

fn all_problems(d: &Dataset) -> Vec<String> {
    fn check<T: Validate>(entity: &str, items: &[T], id: impl Fn(&T) -> &str, out: &mut Vec<String>) {
        for x in items {
            if let Err(e) = x.validate() {
                out.push(format!("{entity} {}: {e:?}", id(x)));
            }
        }
    }
    let mut out = Vec::new();
    check("customer", &d.customers, |x| &x.id, &mut out);
    check("contact", &d.contacts, |x| &x.id, &mut out);
    check("order", &d.orders, |x| &x.id, &mut out);
    check("invoice", &d.invoices, |x| &x.number, &mut out);
    check("ticket", &d.tickets, |x| &x.id, &mut out);
    check("visit", &d.visits, |x| &x.id, &mut out);
    check("survey", &d.surveys, |x| &x.id, &mut out);
    check("plan", &d.plans, |x| &x.id, &mut out);
    out
}

#[test]
fn every_record_validates() {
    for d in [&*SMALL, &*LARGE] {
        let problems = all_problems(d);
        assert!(
            problems.is_empty(),
            "{} invalid records, e.g. {:?}",
            problems.len(),
            &problems[..problems.len().min(5)]
        );
    }
}

#[test]
fn every_entity_is_populated() {
    let d = &*SMALL;
    let table = [
        ("customers", d.customers.len(), 2_000, 2_000),
        ("contacts", d.contacts.len(), 2_000, 8_000),
        ("orders", d.orders.len(), 16_000, 25_000),
        ("invoices", d.invoices.len(), 14_000, 25_000),
        ("tickets", d.tickets.len(), 1_000, 10_000),
        ("visits", d.visits.len(), 1_000, 20_000),
        ("surveys", d.surveys.len(), 500, 10_000),
        ("plans", d.plans.len(), 13 * 12, 13 * 14),
    ];
    for (entity, n, min, max) in table {
        assert!((min..=max).contains(&n), "{entity}: {n} not in {min}..={max}");
    }
}

#[test]
fn ids_are_unique_and_well_formed() {
    let d = &*SMALL;
    let table: [(&str, Vec<&str>, &str); 8] = [
        ("customers", d.customers.iter().map(|x| x.id.as_str()).collect(), "C"),
        ("contacts", d.contacts.iter().map(|x| x.id.as_str()).collect(), "P"),
        ("orders", d.orders.iter().map(|x| x.id.as_str()).collect(), "SO"),
        ("invoices", d.invoices.iter().map(|x| x.number.as_str()).collect(), "INV-20"),
        ("tickets", d.tickets.iter().map(|x| x.id.as_str()).collect(), "T"),
        ("visits", d.visits.iter().map(|x| x.id.as_str()).collect(), "V"),
        ("surveys", d.surveys.iter().map(|x| x.id.as_str()).collect(), "S"),
        ("plans", d.plans.iter().map(|x| x.id.as_str()).collect(), "PLAN-"),
    ];
    for (entity, ids, prefix) in table {
        let unique: HashSet<&str> = ids.iter().copied().collect();
        assert_eq!(unique.len(), ids.len(), "{entity} ids must be unique");
        assert!(ids.iter().all(|id| id.starts_with(prefix)), "{entity} ids start with {prefix}");
    }
    assert_eq!(d.customers[0].id, "C000001");
    assert!(d.plans.iter().any(|p| p.id == "PLAN-华东-2026-Q3"), "plan ids like PLAN-华东-2026-Q3");
    // Invoice numbers carry their issue year.
    for inv in &d.invoices {
        assert_eq!(&inv.number[4..8], inv.issue_date.year().to_string(), "{}", inv.number);
    }
}

#[test]
fn company_names_are_unique() {
    let d = &*LARGE;
    let mut seen = HashSet::new();
    for c in &d.customers {
        assert!(seen.insert(c.name.as_str()), "duplicate name {}", c.name);
    }
}

#[test]
fn references_point_at_existing_records() {
    let d = &*SMALL;
    let customers: HashMap<&str, &Customer> = d.customers.iter().map(|c| (c.id.as_str(), c)).collect();
    let orders: HashMap<&str, &Order> = d.orders.iter().map(|o| (o.id.as_str(), o)).collect();
    let tickets: HashSet<&str> = d.tickets.iter().map(|t| t.id.as_str()).collect();
    let contact_owner: HashMap<&str, &str> =
        d.contacts.iter().map(|c| (c.id.as_str(), c.customer_id.as_str())).collect();
    let child_ids = d
        .contacts
        .iter()
        .map(|x| &x.customer_id)
        .chain(d.orders.iter().map(|x| &x.customer_id))
        .chain(d.invoices.iter().map(|x| &x.customer_id))
        .chain(d.tickets.iter().map(|x| &x.customer_id))
        .chain(d.visits.iter().map(|x| &x.customer_id))
        .chain(d.surveys.iter().map(|x| &x.customer_id));
    for id in child_ids {
        assert!(customers.contains_key(id.as_str()), "unknown customer {id}");
    }
    for inv in &d.invoices {
        let order = inv.order_id.as_deref().and_then(|o| orders.get(o)).expect("every invoice has an existing order");
        assert_eq!(order.customer_id, inv.customer_id, "{}", inv.number);
        assert_eq!(order.amount, inv.amount, "{}: invoice amount is the order total", inv.number);
        assert!(inv.issue_date >= order.date, "{}: issued before the order", inv.number);
        assert_eq!(order.currency, inv.currency);
        assert!(
            matches!(order.status, OrderStatus::Shipped | OrderStatus::Delivered),
            "{}: invoiced orders have shipped",
            inv.number
        );
    }
    for t in &d.tickets {
        if let Some(o) = &t.order_id {
            assert_eq!(
                orders.get(o.as_str()).map(|o| o.customer_id.as_str()),
                Some(t.customer_id.as_str()),
                "{}",
                t.id
            );
        }
    }
    for v in &d.visits {
        for c in &v.contacts_met {
            assert_eq!(contact_owner.get(c.as_str()), Some(&v.customer_id.as_str()), "visit {} met {c}", v.id);
        }
    }
    for s in &d.surveys {
        if let Some(c) = &s.contact_id {
            assert_eq!(contact_owner.get(c.as_str()), Some(&s.customer_id.as_str()), "survey {}", s.id);
        }
        if let Some(t) = &s.ticket_id {
            assert!(tickets.contains(t.as_str()), "survey {} follows unknown ticket {t}", s.id);
        }
    }
    let mut parents = 0;
    let mut distributors = 0;
    for c in &d.customers {
        if let Some(p) = &c.parent_id {
            parents += 1;
            assert!(customers.contains_key(p.as_str()) && p != &c.id, "{} parent {p}", c.id);
        }
        for e in &c.distributor_of {
            let end = customers.get(e.as_str()).expect("distributor_of points at a customer");
            assert_eq!(end.role, SupplyChainRole::EndCustomer, "{} distributes to {e}", c.id);
        }
        if !c.distributor_of.is_empty() {
            distributors += 1;
            assert_eq!(c.role, SupplyChainRole::Distributor);
        }
    }
    assert!(parents >= 10, "some subsidiaries: {parents}");
    assert!(distributors >= 50, "distributors with end customers: {distributors}");
}

#[test]
fn every_customer_has_one_primary_contact() {
    let d = &*SMALL;
    let mut per: HashMap<&str, (usize, usize)> = HashMap::new();
    for c in &d.contacts {
        let e = per.entry(c.customer_id.as_str()).or_default();
        e.0 += 1;
        e.1 += usize::from(c.primary);
    }
    for c in &d.customers {
        let (n, primary) = per.get(c.id.as_str()).copied().unwrap_or_default();
        assert!((1..=4).contains(&n), "{}: {n} contacts", c.id);
        assert_eq!(primary, 1, "{}", c.id);
    }
}

// ---------------------------------------------------------------------------------------------
// Time

#[test]
fn nothing_happens_after_as_of() {
    let d = &*SMALL;
    let as_of = as_of();
    let now = demo_now(as_of);
    for c in &d.customers {
        assert!(c.created_at <= now && c.updated_at <= now && c.created_at <= c.updated_at, "{}", c.id);
    }
    for c in &d.contacts {
        assert!(c.created_at <= now && c.updated_at <= now, "{}", c.id);
    }
    for o in &d.orders {
        assert!(o.date <= as_of && o.updated_at <= now, "{}", o.id);
        assert!(o.updated_at.date_naive() >= o.date, "{}: updated before ordered", o.id);
    }
    for i in &d.invoices {
        assert!(i.issue_date <= as_of, "{}", i.number);
        assert!(i.payments.iter().all(|p| p.date <= as_of), "{}", i.number);
    }
    for t in &d.tickets {
        let times = [Some(t.opened_at), t.resolved_at, t.closed_at, Some(t.updated_at)];
        assert!(times.iter().flatten().all(|x| *x <= now), "{}", t.id);
        assert!(t.updated_at >= t.opened_at, "{}", t.id);
    }
    for v in &d.visits {
        assert!(v.date <= as_of && v.updated_at <= now, "{}", v.id);
    }
    for s in &d.surveys {
        assert!(s.date <= as_of, "{}", s.id);
    }
}

#[test]
fn history_covers_about_three_years() {
    let d = &*SMALL;
    let first = d.orders.iter().map(|o| o.date).min().expect("orders");
    let last = d.orders.iter().map(|o| o.date).max().expect("orders");
    let span = (last - first).num_days();
    assert!((1000..=1096).contains(&span), "history spans {span} days ({first}..{last})");
    assert!((as_of() - last).num_days() <= 3, "orders up to as_of");
    // Customers exist before they order.
    let created: HashMap<&str, NaiveDate> =
        d.customers.iter().map(|c| (c.id.as_str(), c.created_at.date_naive())).collect();
    for o in &d.orders {
        assert!(created[o.customer_id.as_str()] <= o.date, "{} ordered before {} existed", o.id, o.customer_id);
    }
}

// ---------------------------------------------------------------------------------------------
// Orders, invoices, tickets

#[test]
fn orders_add_up_and_have_sensible_statuses() {
    let d = &*SMALL;
    let as_of = as_of();
    let mut open_recent = 0;
    let mut loss_making = 0;
    for o in &d.orders {
        assert!((1..=4).contains(&o.lines.len()), "{}: {} lines", o.id, o.lines.len());
        let sum: i64 = o.lines.iter().map(|l| l.unit_price.0 * i64::from(l.quantity)).sum();
        assert_eq!(sum, o.amount.0, "{}", o.id);
        assert!(o.amount.0 > 0, "{}", o.id);
        let margin = o.margin.expect("the demo knows every margin");
        assert!(margin.0 <= o.amount.0);
        loss_making += usize::from(margin.0 < 0);
        let age = (as_of - o.date).num_days();
        match o.status {
            OrderStatus::Open | OrderStatus::Confirmed => {
                assert!(age <= 30, "{} still {:?} after {age} days", o.id, o.status);
                open_recent += 1;
            }
            OrderStatus::Shipped => assert!(age <= 70, "{} shipped {age} days ago", o.id),
            OrderStatus::Delivered | OrderStatus::Cancelled => {}
        }
    }
    assert!(open_recent > 50, "recent orders are still open or confirmed: {open_recent}");
    let cancelled = d.orders.iter().filter(|o| o.status == OrderStatus::Cancelled).count();
    assert!(cancelled > 0 && cancelled * 20 < d.orders.len(), "a few cancelled: {cancelled}");
    let share = loss_making as f64 / d.orders.len() as f64;
    assert!((0.01..0.2).contains(&share), "some loss-making orders: {share:.3}");
}

#[test]
fn margins_follow_each_customers_rate() {
    let d = &*LARGE;
    let mut per: HashMap<&str, (i64, i64)> = HashMap::new();
    for o in d.orders.iter().filter(|o| o.counts_as_sale()) {
        let e = per.entry(o.customer_id.as_str()).or_default();
        e.0 += o.amount.0;
        e.1 += o.margin.map_or(0, |m| m.0);
    }
    let mut rates: Vec<f64> = per.values().filter(|(a, _)| *a > 0).map(|(a, m)| *m as f64 / *a as f64).collect();
    rates.sort_by(f64::total_cmp);
    let losing = rates.iter().filter(|&&r| r < 0.0).count() as f64 / rates.len() as f64;
    assert!((0.02..0.1).contains(&losing), "never-profitable customers: {losing:.3}");
    let median = rates[rates.len() / 2];
    assert!((0.1..0.3).contains(&median), "median margin rate {median:.3}");
    let typical = rates.iter().filter(|&&r| (0.05..=0.38).contains(&r)).count() as f64 / rates.len() as f64;
    assert!(typical > 0.8, "most margin rates between 8% and 35% (with noise): {typical:.3}");
}

#[test]
fn invoices_are_never_overpaid_and_most_are_paid() {
    let d = &*SMALL;
    let as_of = as_of();
    let mut paid = 0;
    for inv in &d.invoices {
        let total: i64 = inv.payments.iter().map(|p| p.amount.0).sum();
        assert!(total <= inv.amount.0, "{}", inv.number);
        let c = &d.customers[inv.customer_id[1..].parse::<usize>().expect("numeric id") - 1];
        assert_eq!(inv.customer_id, c.id);
        assert_eq!((inv.due_date - inv.issue_date).num_days(), i64::from(c.payment_terms_days), "{}", inv.number);
        paid += usize::from(inv.outstanding(as_of).0 == 0);
    }
    let share = paid as f64 / d.invoices.len() as f64;
    assert!(share > 0.8, "most invoices paid: {share:.3}");
}

#[test]
fn receivables_fill_every_aging_bucket() {
    let d = &*SMALL;
    let as_of = as_of();
    let mut buckets = [0usize; 4];
    let mut not_due = 0;
    for inv in &d.invoices {
        match aging_bucket(inv, as_of) {
            Some(b) => buckets[b] += 1,
            None if inv.outstanding(as_of).0 > 0 => not_due += 1,
            None => {}
        }
    }
    assert!(buckets.iter().all(|&n| n >= 10), "1-30/31-60/61-90/>90 overdue: {buckets:?}");
    assert!(not_due > 100, "recent invoices not yet due: {not_due}");
    // Some customers are chronic late payers: most of their invoices were paid late or are overdue.
    let mut late: HashMap<&str, (usize, usize)> = HashMap::new();
    for inv in &d.invoices {
        let e = late.entry(inv.customer_id.as_str()).or_default();
        e.0 += 1;
        let last_payment = inv.payments.iter().map(|p| p.date).max();
        e.1 += usize::from(last_payment.is_some_and(|p| p > inv.due_date) || inv.days_overdue(as_of) > 0);
    }
    let chronic = late.values().filter(|(n, l)| *n >= 5 && *l * 10 >= *n * 7).count();
    assert!(chronic >= 20, "chronic late payers: {chronic}");
}

#[test]
fn ticket_statuses_are_consistent() {
    let d = &*SMALL;
    let now = demo_now(as_of());
    for t in &d.tickets {
        assert!(t.sla_due >= t.opened_at, "{}", t.id);
        assert_eq!(t.sla_due - t.opened_at, t.severity.default_sla(), "{}: SLA from the severity", t.id);
        match t.status {
            TicketStatus::Open | TicketStatus::InProgress => {
                assert!(t.resolution.is_empty() && t.resolved_at.is_none() && t.closed_at.is_none(), "{}", t.id);
            }
            TicketStatus::Resolved => {
                assert!(!t.resolution.is_empty() && t.resolved_at.is_some() && t.closed_at.is_none(), "{}", t.id);
            }
            TicketStatus::Closed => {
                assert!(!t.resolution.is_empty() && t.resolved_at.is_some() && t.closed_at.is_some(), "{}", t.id);
            }
        }
        if t.kind == TicketKind::Complaint {
            assert!(t.order_id.is_some(), "{}: complaints name the order", t.id);
        }
    }
    let open_complaints = d.tickets.iter().filter(|t| t.kind == TicketKind::Complaint && t.status.is_open()).count();
    assert!(open_complaints > 0, "open complaints exist");
    let past_sla = d.tickets.iter().filter(|t| t.status.is_open() && t.sla_breached(now)).count();
    assert!(past_sla > 0, "some open tickets are past their SLA");
    let closed = d.tickets.iter().filter(|t| t.status == TicketStatus::Closed).count();
    assert!(closed * 10 > d.tickets.len() * 8, "most tickets closed: {closed}/{}", d.tickets.len());
    for kind in [TicketKind::Complaint, TicketKind::Request, TicketKind::Inquiry] {
        assert!(d.tickets.iter().any(|t| t.kind == kind), "{kind:?} tickets exist");
    }
}

// ---------------------------------------------------------------------------------------------
// Shapes the analytics need

/// Last three gaps strictly increasing and the last order at least 90 days old.
fn looks_churning(orders: &[&Order], as_of: NaiveDate) -> bool {
    let dates: Vec<NaiveDate> = orders.iter().map(|o| o.date).collect();
    if dates.len() < 4 {
        return false;
    }
    let n = dates.len();
    let gaps: Vec<i64> = (n - 3..n).map(|k| (dates[k] - dates[k - 1]).num_days()).collect();
    gaps[0] < gaps[1] && gaps[1] < gaps[2] && (as_of - dates[n - 1]).num_days() >= 90
}

#[test]
fn customer_archetypes_are_present() {
    let d = &*LARGE;
    let as_of = as_of();
    let by = orders_by_customer(d);
    let n = d.customers.len() as f64;
    let without = d.customers.iter().filter(|c| !by.contains_key(c.id.as_str())).count() as f64 / n;
    let new = by.values().filter(|o| (as_of - o[0].date).num_days() < 90).count() as f64 / n;
    let churning = by.values().filter(|o| looks_churning(o, as_of)).count() as f64 / n;
    let lost = by.values().filter(|o| (as_of - o[o.len() - 1].date).num_days() > 365).count() as f64 / n;
    let active = by.values().filter(|o| (as_of - o[o.len() - 1].date).num_days() <= 90).count() as f64 / n;
    let table = [
        ("potential (no orders)", without, 0.08, 0.18),
        ("new (first order < 90 days)", new, 0.05, 0.14),
        ("churning (growing gaps, quiet >= 90 days)", churning, 0.05, 0.2),
        ("lost (quiet > 1 year)", lost, 0.05, 0.2),
        ("active in the last quarter", active, 0.45, 0.8),
    ];
    for (what, share, lo, hi) in table {
        assert!((lo..=hi).contains(&share), "{what}: {share:.3} not in {lo}..{hi}");
    }
}

#[test]
fn churning_customers_complain_more_and_score_lower() {
    let d = &*LARGE;
    let as_of = as_of();
    let by = orders_by_customer(d);
    let churners: HashSet<&str> = by.iter().filter(|(_, o)| looks_churning(o, as_of)).map(|(c, _)| *c).collect();
    let mut complaints: HashMap<&str, usize> = HashMap::new();
    for t in d.tickets.iter().filter(|t| t.kind == TicketKind::Complaint) {
        *complaints.entry(t.customer_id.as_str()).or_default() += 1;
    }
    let rate = |pick: &dyn Fn(&str) -> bool| {
        let (mut c, mut o) = (0usize, 0usize);
        for (id, orders) in &by {
            if pick(id) {
                c += complaints.get(id).copied().unwrap_or(0);
                o += orders.len();
            }
        }
        c as f64 / o.max(1) as f64
    };
    let churn_rate = rate(&|id| churners.contains(id));
    let other_rate = rate(&|id| !churners.contains(id));
    assert!(churn_rate > other_rate * 1.5, "complaints per order: churning {churn_rate:.4} vs others {other_rate:.4}");

    let csat = |pick: &dyn Fn(&str) -> bool| {
        let v: Vec<f64> = d
            .surveys
            .iter()
            .filter(|s| s.ticket_id.is_none() && pick(&s.customer_id))
            .filter_map(|s| s.csat)
            .map(f64::from)
            .collect();
        v.iter().sum::<f64>() / v.len().max(1) as f64
    };
    let (churn_csat, other_csat) = (csat(&|id| churners.contains(id)), csat(&|id| !churners.contains(id)));
    assert!(churn_csat + 0.3 < other_csat, "CSAT churning {churn_csat:.2} vs others {other_csat:.2}");
}

#[test]
fn surveys_cover_a_good_share_of_customers() {
    let d = &*LARGE;
    let answered: HashSet<&str> = d.surveys.iter().map(|s| s.customer_id.as_str()).collect();
    let share = answered.len() as f64 / d.customers.len() as f64;
    assert!((0.3..0.9).contains(&share), "customers with a survey answer: {share:.3}");
    let nps: Vec<u8> = d.surveys.iter().filter_map(|s| s.nps).collect();
    let promoters = nps.iter().filter(|&&n| n >= 9).count() as f64 / nps.len() as f64;
    let detractors = nps.iter().filter(|&&n| n <= 6).count() as f64 / nps.len() as f64;
    assert!(promoters > 0.1 && detractors > 0.1, "NPS has promoters ({promoters:.2}) and detractors ({detractors:.2})");
    let csats: HashSet<u8> = d.surveys.iter().filter_map(|s| s.csat).collect();
    assert_eq!(csats.len(), 5, "all CSAT scores occur: {csats:?}");
    assert!(d.surveys.iter().any(|s| s.ticket_id.is_some()), "ticket follow-up surveys");
    assert!(d.surveys.iter().filter(|s| !s.comment.is_empty()).count() * 3 > d.surveys.len(), "many comments");
}

#[test]
fn revenue_is_heavy_tailed() {
    let d = &*LARGE;
    let mut rev = revenue_by_customer(d);
    rev.sort_by(|a, b| b.total_cmp(a));
    let total: f64 = rev.iter().sum();
    let top: f64 = rev[..rev.len() / 5].iter().sum();
    let share = top / total;
    assert!((0.65..0.92).contains(&share), "top 20% of customers hold {share:.3} of revenue");
}

#[test]
fn about_ten_orders_per_customer() {
    let d = &*LARGE;
    let per = d.orders.len() as f64 / d.customers.len() as f64;
    assert!((8.0..=12.5).contains(&per), "{per:.2} orders per customer");
}

#[test]
fn orders_are_seasonal() {
    let d = &*LARGE;
    let mut months = [0usize; 12];
    for o in &d.orders {
        months[o.date.month0() as usize] += 1;
    }
    let avg = months.iter().sum::<usize>() as f64 / 12.0;
    assert!((months[1] as f64) < avg * 0.8, "February (Spring Festival) {} vs average month {avg:.0}", months[1]);
    let q4 = (months[10] + months[11]) as f64 / 2.0;
    assert!(q4 > avg * 1.05, "November/December peak {q4:.0} vs average {avg:.0}");
}

#[test]
fn growing_customers_order_more_and_bigger() {
    // Across all customers active in both halves of the history, some clearly grow.
    let d = &*LARGE;
    let as_of = as_of();
    let mid = as_of - chrono::Duration::days(548);
    let by = orders_by_customer(d);
    let growing = by
        .values()
        .filter(|o| {
            let (early, late): (Vec<&&Order>, Vec<&&Order>) = o.iter().partition(|x| x.date < mid);
            let sum = |v: &[&&Order]| v.iter().map(|x| x.amount.0 as f64).sum::<f64>();
            early.len() >= 3 && late.len() >= early.len() * 2 && sum(&late) > sum(&early) * 3.0
        })
        .count();
    assert!(growing as f64 > d.customers.len() as f64 * 0.02, "growing accounts: {growing}");
}

// ---------------------------------------------------------------------------------------------
// Look and feel

#[test]
fn names_and_places_look_local() {
    let d = &*LARGE;
    let n = d.customers.len() as f64;
    let china: Vec<&Customer> = d.customers.iter().filter(|c| c.country == "CN").collect();
    let share = china.len() as f64 / n;
    assert!((0.55..0.65).contains(&share), "Chinese customers: {share:.3}");
    let china_regions: Vec<&str> = regions().take(7).collect();
    let suffixes = ["有限公司", "股份有限公司", "集团有限公司"];
    for c in &china {
        assert!(is_cjk(&c.name) && suffixes.iter().any(|s| c.name.contains(s)), "{}", c.name);
        assert!(is_cjk(&c.short_name) && c.short_name.chars().count() <= 12, "{}", c.short_name);
        assert!(china_regions.contains(&c.region.as_str()), "{} in {}", c.name, c.region);
        assert_eq!(c.currency, Currency::CNY);
        assert!(c.address.contains('号'), "{}", c.address);
    }
    let abroad_suffixes = [
        "GmbH",
        "AG",
        "KG",
        "Ltd",
        "Ltd.",
        "PLC",
        "Inc.",
        "LLC",
        "Corp.",
        "S.p.A.",
        "S.r.l.",
        "SAS",
        "S.A.",
        "Pte Ltd",
        "Co., Ltd.",
        "C.V.",
        "Ltda.",
        "Sdn Bhd",
        "Bhd",
        "JSC",
        "FZE",
        "FZCO",
        "Corporation",
        "Trading Co.",
    ];
    let mut countries = BTreeMap::new();
    for c in d.customers.iter().filter(|c| c.country != "CN") {
        assert!(!is_cjk(&c.name), "{}", c.name);
        assert!(abroad_suffixes.iter().any(|s| c.name.contains(s)), "{}", c.name);
        assert!(!china_regions.contains(&c.region.as_str()), "{} in {}", c.name, c.region);
        let expected = if c.region == "Europe" { Currency::EUR } else { Currency::USD };
        assert_eq!(c.currency, expected, "{}", c.name);
        *countries.entry(c.country.as_str()).or_insert(0) += 1;
    }
    for code in ["DE", "IT", "FR", "GB", "US", "CA", "MX", "BR", "SG", "VN", "TH", "MY", "AE", "SA", "JP", "KR"] {
        assert!(countries.get(code).copied().unwrap_or(0) > 10, "customers in {code}: {countries:?}");
    }
    // Chinese customers have Chinese contacts and texts; the others English ones.
    let cn_ids: HashSet<&str> = china.iter().map(|c| c.id.as_str()).collect();
    for p in d.contacts.iter().take(3_000) {
        assert_eq!(is_cjk(&p.name), cn_ids.contains(p.customer_id.as_str()), "{} at {}", p.name, p.customer_id);
    }
    for t in d.tickets.iter().take(3_000) {
        assert_eq!(is_cjk(&t.title), cn_ids.contains(t.customer_id.as_str()), "{}", t.title);
    }
    assert!(d.contacts.iter().any(|p| p.phone.starts_with("+86 571 ")), "Hangzhou landlines");
    assert!(d.contacts.iter().filter(|p| !p.email.is_empty()).all(|p| p.email.is_ascii()), "ASCII e-mail addresses");
}

#[test]
fn owners_pools_tags_and_terms() {
    let d = &*LARGE;
    let reps: HashSet<&str> = sales_reps().collect();
    assert!((10..=14).contains(&reps.len()));
    let owners: HashSet<&str> = d.customers.iter().filter_map(|c| c.owner.as_deref()).collect();
    assert_eq!(owners, reps, "every rep owns accounts and nobody else does");
    let pool = d.customers.iter().filter(|c| c.in_shared_pool()).count() as f64 / d.customers.len() as f64;
    assert!((0.1..0.22).contains(&pool), "shared pool: {pool:.3}");
    for c in &d.customers {
        assert!([30, 45, 60, 90].contains(&c.payment_terms_days), "{}", c.id);
    }
    let tags: HashSet<&str> = d.customers.iter().flat_map(|c| c.tags.iter().map(String::as_str)).collect();
    for t in ["key-account", "export", "AS9100", "ISO9001", "VMI", "strategic", "price-sensitive", "new-2026"] {
        assert!(tags.contains(t), "tag {t} in use");
    }
    // The shared pool holds more prospects and lost accounts than active ones.
    let by = orders_by_customer(d);
    let pool_share = |pick: &dyn Fn(&Customer) -> bool| {
        let group: Vec<&Customer> = d.customers.iter().filter(|c| pick(c)).collect();
        group.iter().filter(|c| c.in_shared_pool()).count() as f64 / group.len().max(1) as f64
    };
    let last_order = |c: &Customer| by.get(c.id.as_str()).map(|o| o[o.len() - 1].date);
    let prospects = pool_share(&|c| last_order(c).is_none());
    let lost = pool_share(&|c| last_order(c).is_some_and(|d| (as_of() - d).num_days() > 365));
    let active = pool_share(&|c| last_order(c).is_some_and(|d| (as_of() - d).num_days() <= 90));
    assert!(
        prospects > active * 2.0 && lost > active * 2.0,
        "pool: prospects {prospects:.2}, lost {lost:.2}, active {active:.2}"
    );
    let with_credit = d.customers.iter().filter(|c| by.contains_key(c.id.as_str()) && c.credit_limit.is_some()).count();
    assert!(with_credit as f64 > by.len() as f64 * 0.8, "credit limits for most buying customers: {with_credit}");
    let with_potential =
        d.customers.iter().filter(|c| c.potential_annual_spend.is_some()).count() as f64 / d.customers.len() as f64;
    assert!((0.6..0.85).contains(&with_potential), "potential spend known for {with_potential:.2}");
    let roles: HashSet<SupplyChainRole> = d.customers.iter().map(|c| c.role).collect();
    assert_eq!(roles.len(), SupplyChainRole::ALL.len(), "every supply-chain role occurs");
}

#[test]
fn potential_spend_covers_actual_spend() {
    let d = &*SMALL;
    let by = orders_by_customer(d);
    for c in &d.customers {
        let (Some(potential), Some(orders)) = (c.potential_annual_spend, by.get(c.id.as_str())) else { continue };
        // Best 365-day window of sales.
        let sales: Vec<&&Order> = orders.iter().filter(|o| o.counts_as_sale()).collect();
        let mut best = 0i64;
        for (k, o) in sales.iter().enumerate() {
            let window: i64 =
                sales[k..].iter().take_while(|x| (x.date - o.date).num_days() < 365).map(|x| x.amount.0).sum();
            best = best.max(window);
        }
        assert!(potential.0 >= best, "{}: potential {} < spend {best}", c.id, potential.0);
    }
}

#[test]
fn region_plans_track_actual_revenue() {
    let d = &*LARGE;
    let currency_of: HashMap<&str, Currency> = d.customers.iter().map(|c| (c.region.as_str(), c.currency)).collect();
    let mut actual: HashMap<(&str, Period), i64> = HashMap::new();
    let region_of: HashMap<&str, &str> = d.customers.iter().map(|c| (c.id.as_str(), c.region.as_str())).collect();
    for o in d.orders.iter().filter(|o| o.counts_as_sale()) {
        *actual.entry((region_of[o.customer_id.as_str()], Period::quarter_of(o.date))).or_default() += o.amount.0;
    }
    let all_regions: Vec<&str> = regions().collect();
    assert_eq!(all_regions.len(), 13);
    let mut per_region: HashMap<&str, usize> = HashMap::new();
    for p in &d.plans {
        assert!(matches!(p.period, Period::Quarter(..)), "{}", p.id);
        assert_eq!(Some(&p.currency), currency_of.get(p.region.as_str()), "{}: the region's currency", p.id);
        *per_region.entry(p.region.as_str()).or_default() += 1;
        let (start, end) = p.period.bounds().expect("valid quarter");
        // Full quarters inside the history: the target is 0.85–1.2× what was sold (3 significant digits).
        if start > as_of() - chrono::Duration::days(1090) && end < as_of() {
            let sold = actual.get(&(p.region.as_str(), p.period)).copied().unwrap_or(0) as f64;
            let ratio = p.target.0 as f64 / sold;
            assert!((0.84..=1.21).contains(&ratio), "{}: target/actual {ratio:.3}", p.id);
        }
    }
    for r in &all_regions {
        assert!((12..=14).contains(&per_region.get(r).copied().unwrap_or(0)), "{r}: {per_region:?}");
    }
}

#[test]
fn visits_are_made_by_reps_and_plan_next_steps() {
    let d = &*SMALL;
    let reps: HashSet<&str> = sales_reps().collect();
    let owner: HashMap<&str, Option<&str>> = d.customers.iter().map(|c| (c.id.as_str(), c.owner.as_deref())).collect();
    for v in &d.visits {
        assert!(reps.contains(v.rep.as_str()), "{}: {}", v.id, v.rep);
        if let Some(o) = owner[v.customer_id.as_str()] {
            assert_eq!(v.rep, o, "{}: owned accounts are visited by their owner", v.id);
        }
        assert_eq!(v.next_step.is_empty(), v.next_step_date.is_none(), "{}", v.id);
        assert!(!v.notes.is_empty() && !v.outcome.is_empty(), "{}", v.id);
    }
    let as_of = as_of();
    let upcoming = d.visits.iter().filter(|v| v.next_step_date.is_some_and(|n| n > as_of)).count();
    assert!(upcoming > 5, "next steps planned after as_of: {upcoming}");
    assert!(d.visits.iter().any(|v| v.location.is_some()) && d.visits.iter().any(|v| v.location.is_none()));
    assert!(d.visits.iter().any(|v| v.contacts_met.len() == 2));
}

#[test]
fn lost_customers_are_visited_less() {
    let d = &*LARGE;
    let as_of = as_of();
    let by = orders_by_customer(d);
    // Visits of the last twelve months, per customer.
    let mut visits: HashMap<&str, usize> = HashMap::new();
    for v in d.visits.iter().filter(|v| (as_of - v.date).num_days() <= 365) {
        *visits.entry(v.customer_id.as_str()).or_default() += 1;
    }
    let rate = |pick: &dyn Fn(&[&Order]) -> bool| {
        let ids: Vec<&str> = by.iter().filter(|(_, o)| pick(o)).map(|(c, _)| *c).collect();
        ids.iter().map(|c| visits.get(c).copied().unwrap_or(0)).sum::<usize>() as f64 / ids.len().max(1) as f64
    };
    let lost = rate(&|o| (as_of - o[o.len() - 1].date).num_days() > 365);
    let active = rate(&|o| (as_of - o[o.len() - 1].date).num_days() <= 90);
    assert!(lost * 2.0 < active, "visits per customer in the last year: lost {lost:.2} vs active {active:.2}");
    // In the last quarter lost accounts get a win-back visit at most, and rarely.
    let recent: HashSet<&str> =
        d.visits.iter().filter(|v| (as_of - v.date).num_days() <= 90).map(|v| v.customer_id.as_str()).collect();
    let lost_ids: Vec<&str> =
        by.iter().filter(|(_, o)| (as_of - o[o.len() - 1].date).num_days() > 365).map(|(c, _)| *c).collect();
    let lost_recent = lost_ids.iter().filter(|c| recent.contains(*c)).count() as f64 / lost_ids.len().max(1) as f64;
    assert!(lost_recent < 0.15, "lost accounts visited in the last quarter: {lost_recent:.3}");
}

#[test]
fn tickets_link_orders_products_and_assignees() {
    let d = &*SMALL;
    let with_product = d.tickets.iter().filter(|t: &&ServiceTicket| t.product.is_some()).count();
    assert!(with_product * 2 > d.tickets.len());
    let after_sales = d.tickets.iter().filter(|t| t.kind == TicketKind::Complaint && t.product.is_some()).count();
    assert!(after_sales > 20, "product complaints: {after_sales}");
    assert!(d.tickets.iter().filter(|t| t.assignee.is_some()).count() * 10 > d.tickets.len() * 9);
}
