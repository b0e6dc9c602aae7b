//! The per-rep scorecard (issue 15, item 5) on a hand-made workspace: every figure of two reps
//! and the team computed by hand, the records behind each, currencies converted at their dates'
//! rates and a currency without a rate left out and named.
// Tests: a panic is the test failing; tables of cases have long tuple types.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

use chrono::{NaiveDate, TimeZone, Utc};
use kehu::core::analytics::lifecycle::LifecycleConfig;
use kehu::core::analytics::reps::{RepCard, rep_scorecards};
use kehu::core::demo::{DemoConfig, generate};
use kehu::core::fx::{Fx, Rate, RateEntry};
use kehu::core::model::*;
use kehu::core::workspace::{Source, Workspace};

fn d(y: i32, m: u32, day: u32) -> Date {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}
fn at(y: i32, m: u32, day: u32, h: u32) -> Timestamp {
    Utc.with_ymd_and_hms(y, m, day, h, 0, 0).unwrap()
}

/// Name, region, country, owner and payment terms: 5 of the 12 profile checks.
fn cust(id: &str, owner: Option<&str>, currency: Currency) -> Customer {
    Customer {
        name: format!("客户 {id}"),
        region: "华东".into(),
        country: "CN".into(),
        owner: owner.map(str::to_string),
        payment_terms_days: 30,
        ..Customer::blank(id, currency, at(2024, 1, 1, 0))
    }
}

fn order(
    id: &str,
    c: &str,
    date: Date,
    amount: i64,
    margin: Option<i64>,
    currency: Currency,
    status: OrderStatus,
) -> Order {
    Order {
        id: id.into(),
        customer_id: c.into(),
        date,
        amount: Money(amount),
        margin: margin.map(Money),
        currency,
        status,
        lines: vec![],
        updated_at: at(2026, 1, 1, 0),
    }
}

fn task(id: &str, c: &str, owner: &str, due: Date, done: Option<Timestamp>, status: TaskStatus) -> Task {
    Task {
        title: id.into(),
        due_date: Some(due),
        status,
        done_at: done,
        ..Task::blank(id.into(), c.into(), owner.into(), at(2026, 1, 1, 0))
    }
}

fn workspace() -> Workspace {
    use OrderStatus::*;
    let customers = vec![
        cust("C1", Some("王磊"), Currency::CNY),
        cust("C2", Some(" 王磊 "), Currency::EUR),
        cust("C3", Some("李娜"), Currency::USD),
        cust("C4", Some("李娜"), Currency::CNY),
        cust("C5", Some("李娜"), Currency::CNY),
        cust("C6", None, Currency::CNY),
    ];
    let orders = vec![
        order("O1", "C1", d(2025, 2, 1), 100_000, None, Currency::CNY, Delivered),
        order("O2", "C1", d(2026, 2, 10), 200_000, Some(50_000), Currency::CNY, Delivered),
        order("O3", "C1", d(2026, 2, 11), 999_900, Some(1), Currency::CNY, Cancelled),
        order("O4", "C1", d(2026, 3, 20), 700_000, None, Currency::CNY, Confirmed), // after the analysis date
        order("O5", "C2", d(2026, 1, 20), 10_000, Some(2_000), Currency::EUR, Delivered), // first sale: new
        order("O6", "C3", d(2026, 2, 1), 5_000, None, Currency::USD, Delivered),    // no Currency::USD rate
        order("O7", "C4", d(2025, 1, 20), 80_000, None, Currency::CNY, Delivered),  // lost on 2026-01-21
        order("O8", "C5", d(2025, 3, 20), 80_000, None, Currency::CNY, Delivered),  // lost only on 2026-03-21
        order("O9", "C6", d(2026, 3, 1), 30_000, None, Currency::CNY, Delivered),   // the pool's: the team's only
    ];
    let base = generate(&DemoConfig { seed: 5, customers: 2, as_of: d(2026, 3, 15) });
    let ticket = |id: &str, c: &str, kind: TicketKind, resolved: Timestamp, sla: Timestamp| ServiceTicket {
        id: id.into(),
        customer_id: c.into(),
        kind,
        status: TicketStatus::Resolved,
        resolution: "已处理".into(),
        opened_at: at(2026, 1, 2, 0),
        sla_due: sla,
        resolved_at: Some(resolved),
        closed_at: None,
        ..base.tickets[0].clone()
    };
    let tickets = vec![
        ticket("K1", "C1", TicketKind::Complaint, at(2026, 2, 2, 8), at(2026, 2, 3, 0)), // in SLA
        ticket("K2", "C2", TicketKind::Complaint, at(2026, 2, 5, 8), at(2026, 2, 3, 0)), // late
        ticket("K3", "C1", TicketKind::Inquiry, at(2026, 2, 5, 8), at(2026, 2, 9, 0)),   // not a complaint
        ticket("K4", "C4", TicketKind::Complaint, at(2025, 12, 5, 8), at(2025, 12, 9, 0)), // before
    ];
    let visit = |id: &str, c: &str, date: Date, rep: &str| {
        Visit::planned(id.into(), c.into(), date, rep.into(), at(2026, 1, 1, 0))
    };
    let visits = vec![
        visit("V1", "C1", d(2026, 1, 5), "王磊"),
        visit("V2", "C4", d(2026, 2, 5), "王磊 "), // at someone else's account: still his visit
        visit("V3", "C1", d(2025, 12, 5), "王磊"), // before the period
        visit("V4", "C4", d(2026, 3, 1), "李娜"),
        visit("V5", "C6", d(2026, 3, 2), "陈静"), // a rep with no account
    ];
    let survey = |id: &str, c: &str, date: Date, csat: Option<u8>, nps: Option<u8>| SurveyResponse {
        id: id.into(),
        customer_id: c.into(),
        contact_id: None,
        date,
        csat,
        nps,
        comment: String::new(),
        ticket_id: None,
    };
    let surveys = vec![
        survey("S1", "C1", d(2026, 2, 2), Some(5), Some(10)),
        survey("S2", "C2", d(2026, 3, 1), Some(2), Some(6)),
        survey("S3", "C2", d(2025, 3, 1), Some(5), None), // before
    ];
    let tasks = vec![
        task("T1", "C1", "王磊", d(2026, 2, 1), Some(at(2026, 1, 31, 9)), TaskStatus::Done), // on time
        task("T2", "C1", "王磊", d(2026, 2, 5), Some(at(2026, 2, 7, 9)), TaskStatus::Done),  // late
        task("T3", "C1", "王磊", d(2026, 3, 20), None, TaskStatus::Open), // due after the analysis date
        task("T4", "C4", "", d(2026, 3, 1), None, TaskStatus::Open),      // unowned: the account owner's (李娜)
        task("T5", "C1", "王磊", d(2026, 2, 1), Some(at(2026, 1, 20, 9)), TaskStatus::Cancelled),
        task("T6", "C6", "", d(2026, 2, 1), Some(at(2026, 1, 20, 9)), TaskStatus::Done), // pool: team only
        task("T7", "C1", "王磊", d(2026, 3, 15), None, TaskStatus::Open), // due today, still open: not yet counted
        task("T8", "C2", "王磊", d(2026, 3, 15), Some(at(2026, 3, 15, 8)), TaskStatus::Done), // due and done today
    ];
    let data = Dataset { customers, orders, tickets, visits, surveys, tasks, ..Dataset::default() };
    Workspace::new(Source::Demo { seed: 1, customers: 6 }, data)
}

fn ids<'a>(of: &[usize], id: impl Fn(usize) -> &'a str) -> Vec<&'a str> {
    let mut v: Vec<&str> = of.iter().map(|&i| id(i)).collect();
    v.sort();
    v
}

#[test]
fn every_figure_of_each_rep_and_the_team_computed_by_hand() {
    let ws = workspace();
    let mut fx = Fx::new(Currency::CNY);
    fx.set(RateEntry { currency: Currency::EUR, valid_from: d(2026, 1, 1), rate: Rate::parse("7.8").unwrap() });
    let cards = rep_scorecards(&ws, d(2026, 1, 1), d(2026, 3, 31), d(2026, 3, 15), &fx, &LifecycleConfig::default());
    let data = &ws.data;
    let names: Vec<&str> = cards.reps.iter().map(|r| r.rep.as_str()).collect();
    assert_eq!(names, ["李娜", "王磊", "陈静"], "every rep with an account, a visit or a task, by name");
    let card = |name: &str| cards.reps.iter().find(|r| r.rep == name).unwrap().clone();
    let customers = |c: &RepCard, f: fn(&RepCard) -> &Vec<usize>| ids(f(c), |i| data.customers[i].id.as_str());
    let orders = |c: &RepCard| ids(&c.sales, |i| data.orders[i].id.as_str());
    let visits = |c: &RepCard| ids(&c.visits, |i| data.visits[i].id.as_str());
    let tasks = |v: &[usize]| ids(v, |i| data.tasks[i].id.as_str());
    let tickets = |v: &[usize]| ids(v, |i| data.tickets[i].id.as_str());

    let w = card("王磊");
    assert_eq!(customers(&w, |c| &c.accounts), ["C1", "C2"]);
    assert_eq!(orders(&w), ["O2", "O5"]);
    // ¥2,000.00 + €100.00 × 7.8 = ¥2,780.00; margin ¥500.00 + €20.00 × 7.8 = ¥656.00.
    assert_eq!((w.revenue, w.margin, w.margin_orders, w.unrated_orders), (Money(278_000), Money(65_600), 2, 0));
    assert_eq!(w.margin_rate(), Some(65_600.0 / 278_000.0));
    assert_eq!(customers(&w, |c| &c.new_customers), ["C2"]);
    assert!(w.lost_customers.is_empty());
    assert_eq!(visits(&w), ["V1", "V2"]);
    assert_eq!((tasks(&w.tasks_due), tasks(&w.tasks_on_time)), (vec!["T1", "T2", "T8"], vec!["T1", "T8"]));
    assert_eq!(w.on_time_rate(), Some(2.0 / 3.0));
    assert_eq!((tickets(&w.complaints), tickets(&w.complaints_in_sla)), (vec!["K1", "K2"], vec!["K1"]));
    assert_eq!(w.sla_rate(), Some(0.5));
    // CSAT: one satisfied of two; NPS: one promoter, one detractor of two → 0.
    assert_eq!((w.satisfaction.csat(), w.satisfaction.nps()), (Some(0.5), Some(0.0)));
    assert_eq!(w.completeness, Some(5.0 / 12.0));

    let l = card("李娜");
    assert_eq!(customers(&l, |c| &c.accounts), ["C3", "C4", "C5"]);
    assert_eq!(orders(&l), ["O6"]);
    assert_eq!((l.revenue, l.unrated_orders, l.unrated_currencies.clone()), (Money::ZERO, 1, vec![Currency::USD]));
    assert_eq!(l.margin_rate(), None);
    assert_eq!(customers(&l, |c| &c.lost_customers), ["C4"], "C5 crosses a year without orders only after the 15th");
    assert_eq!(visits(&l), ["V4"]);
    assert_eq!((tasks(&l.tasks_due), tasks(&l.tasks_on_time)), (vec!["T4"], vec![]));
    assert_eq!((l.complaints.len(), l.sla_rate(), l.satisfaction.csat()), (0, None, None));

    let c = card("陈静");
    assert_eq!((c.accounts.len(), visits(&c), c.completeness), (0, vec!["V5"], None));

    let t = &cards.team;
    assert_eq!(t.accounts.len(), 6);
    assert_eq!(orders(t), ["O2", "O5", "O6", "O9"]);
    assert_eq!((t.revenue, t.unrated_orders), (Money(308_000), 1));
    assert_eq!(
        (tasks(&t.tasks_due), tasks(&t.tasks_on_time)),
        (vec!["T1", "T2", "T4", "T6", "T8"], vec!["T1", "T6", "T8"])
    );
    assert_eq!(visits(t), ["V1", "V2", "V4", "V5"]);
    // Five accounts at 5/12, the pool's customer at 4/12 (it fails the ownership check): 29/72.
    assert!((t.completeness.unwrap() - 29.0 / 72.0).abs() < 1e-12, "{:?}", t.completeness);
    assert_eq!(cards.report_currency, Currency::CNY);

    // Another period: the year before — O1 makes C1 new then, and nothing of 2026 counts.
    let y = rep_scorecards(&ws, d(2025, 1, 1), d(2025, 12, 31), d(2026, 3, 15), &fx, &LifecycleConfig::default());
    let w = y.reps.iter().find(|r| r.rep == "王磊").unwrap();
    assert_eq!((orders(w), customers(w, |c| &c.new_customers)), (vec!["O1"], vec!["C1"]));
    assert_eq!((w.revenue, visits(w)), (Money(100_000), vec!["V3"]));
}

#[test]
fn the_demo_team_side_by_side() {
    let as_of = d(2026, 12, 6);
    let data = generate(&DemoConfig { seed: kehu::core::demo::DEFAULT_SEED, customers: 300, as_of });
    let ws = Workspace::new(Source::Demo { seed: 1, customers: 300 }, data);
    let fx = kehu::core::demo::rates(as_of);
    let cards = rep_scorecards(&ws, d(2026, 10, 1), d(2026, 12, 31), as_of, &fx, &LifecycleConfig::default());
    assert!(cards.reps.len() >= 10, "{}", cards.reps.len());
    // The reps' revenue adds up to the team's less the shared pool's.
    let reps: i64 = cards.reps.iter().map(|r| r.revenue.0).sum();
    let pool: Vec<usize> = cards
        .team
        .sales
        .iter()
        .copied()
        .filter(|&i| ws.customer(&ws.data.orders[i].customer_id).is_some_and(|c| c.in_shared_pool()))
        .collect();
    assert!(reps <= cards.team.revenue.0 && cards.team.revenue.0 > 0);
    assert_eq!(cards.reps.iter().map(|r| r.sales.len()).sum::<usize>() + pool.len(), cards.team.sales.len());
    assert!(cards.reps.iter().filter(|r| !r.visits.is_empty() && !r.tasks_due.is_empty()).count() >= 8);
    assert_eq!(cards.team.unrated_orders, 0, "the demo's rates cover its currencies");
}
