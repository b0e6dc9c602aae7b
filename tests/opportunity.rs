//! Table-driven tests of the opportunity model (issue 14): every validation rule, `move_to` and the
//! stage history, `stage_durations`, `weighted` rounding, `margin`, and the default `Stages`.
// Tests: a panic is the test failing; tables of cases have long tuple types.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]
// Amounts are written as yuan_fen (12_500_00 = ¥12,500.00), so the grouping is deliberate.
#![allow(clippy::inconsistent_digit_grouping)]

use chrono::{NaiveDate, TimeZone, Utc};
use kehu::core::model::*;
use kehu::core::validate::{Problem, Validate};

fn d(y: i32, m: u32, day: u32) -> Date {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn ts(y: i32, m: u32, day: u32, h: u32) -> Timestamp {
    Utc.with_ymd_and_hms(y, m, day, h, 0, 0).unwrap()
}

/// A valid open deal created 2026-03-01 08:00, in "quote" since 2026-03-10.
fn deal() -> Opportunity {
    let stages = Stages::default();
    let mut o = Opportunity::blank("O1".into(), "C1".into(), &stages, "王磊".into(), ts(2026, 3, 1, 8));
    o.title = "五轴加工中心 3 台".into();
    o.amount = Money(1_200_000_00);
    o.currency = Currency::CNY;
    o.expected_close = Some(d(2026, 6, 30));
    o.team = vec!["李娜".into(), "张伟".into()];
    o.lines = vec![OppLine { product: "VMC-850".into(), category: "machining".into(), quantity: 3 }];
    o.estimated_cost = Some(Money(900_000_00));
    o.competitors = vec!["DMG Mori".into(), "Mazak".into()];
    o.next_step = "send the quote".into();
    o.next_step_date = Some(d(2026, 3, 5));
    o.move_to("quote", &stages, "王磊", ts(2026, 3, 10, 9));
    o
}

#[test]
fn a_complete_deal_is_valid_and_round_trips() {
    let o = deal();
    assert_eq!(o.validate(), Ok(()));
    let json = serde_json::to_string(&o).unwrap();
    let back: Opportunity = serde_json::from_str(&json).unwrap();
    assert_eq!(back, o);
}

#[test]
fn every_validation_rule_names_its_field() {
    let cases: Vec<(&str, Box<dyn Fn(&mut Opportunity)>, &str, Problem)> = vec![
        ("title required", Box::new(|o| o.title = "   ".into()), "title", Problem::Required),
        ("title invisible only", Box::new(|o| o.title = "\u{200b}".into()), "title", Problem::Required),
        ("customer required", Box::new(|o| o.customer_id = String::new()), "customer_id", Problem::Required),
        ("stage required", Box::new(|o| o.stage = String::new()), "stage", Problem::Required),
        ("negative amount", Box::new(|o| o.amount = Money(-1)), "amount", Problem::Negative),
        ("negative cost", Box::new(|o| o.estimated_cost = Some(Money(-100))), "estimated_cost", Problem::Negative),
        ("probability 101", Box::new(|o| o.probability = 101), "probability", Problem::OutOfRange { min: 0, max: 100 }),
        (
            "close before creation",
            Box::new(|o| o.expected_close = Some(d(2026, 2, 28))),
            "expected_close",
            Problem::DateOrder,
        ),
        (
            "next step before creation",
            Box::new(|o| o.next_step_date = Some(d(2026, 2, 1))),
            "next_step_date",
            Problem::DateOrder,
        ),
        (
            "closed before creation",
            Box::new(|o| {
                o.stage = WON.into();
                o.closed_on = Some(d(2025, 12, 31));
            }),
            "closed_on",
            Problem::DateOrder,
        ),
        (
            "won without amount",
            Box::new(|o| {
                o.move_to(WON, &Stages::default(), "王磊", ts(2026, 4, 1, 9));
                o.amount = Money::ZERO;
            }),
            "amount",
            Problem::Required,
        ),
        (
            "other reason without note",
            Box::new(|o| {
                o.move_to(LOST, &Stages::default(), "王磊", ts(2026, 4, 1, 9));
                o.lost_reason = Some(LostReason::Other);
                o.lost_note = "  ".into();
            }),
            "lost_note",
            Problem::Required,
        ),
        (
            "history out of order",
            Box::new(|o| o.history.push(StageChange { stage: "lead".into(), at: ts(2026, 3, 2, 0), by: "x".into() })),
            "history",
            Problem::DateOrder,
        ),
        ("duplicate team member", Box::new(|o| o.team.push(" 李娜 ".into())), "team[2]", Problem::Duplicate),
        (
            "duplicate competitor",
            Box::new(|o| o.competitors.push("mazak".into())),
            "competitors[2]",
            Problem::Duplicate,
        ),
        (
            "blank line product",
            Box::new(|o| o.lines.push(OppLine { product: " ".into(), category: String::new(), quantity: 1 })),
            "lines[1].product",
            Problem::Required,
        ),
        ("title too long", Box::new(|o| o.title = "x".repeat(201)), "title", Problem::TooLong { max: 200 }),
    ];
    for (name, change, field, problem) in cases {
        let mut o = deal();
        change(&mut o);
        let errs = o.validate().expect_err(name);
        assert_eq!(errs.0.len(), 1, "{name}: exactly one error, got {errs:?}");
        assert!(errs.has(field, problem), "{name}: expected {field} {problem:?}, got {errs:?}");
    }
}

#[test]
fn boundaries_that_are_valid() {
    let cases: Vec<(&str, Box<dyn Fn(&mut Opportunity)>)> = vec![
        ("probability 100", Box::new(|o| o.probability = 100)),
        ("probability 0", Box::new(|o| o.probability = 0)),
        ("close on the creation day", Box::new(|o| o.expected_close = Some(d(2026, 3, 1)))),
        ("open deal with zero amount", Box::new(|o| o.amount = Money::ZERO)),
        ("no cost", Box::new(|o| o.estimated_cost = None)),
        // A backend that keeps no reason still has lost deals (the form asks where it can store one).
        ("lost without a reason", Box::new(|o| o.move_to(LOST, &Stages::default(), "王磊", ts(2026, 4, 1, 9)))),
        (
            "lost with a reason",
            Box::new(|o| {
                o.move_to(LOST, &Stages::default(), "王磊", ts(2026, 4, 1, 9));
                o.lost_reason = Some(LostReason::Price);
            }),
        ),
        (
            "lost, other, with a note",
            Box::new(|o| {
                o.move_to(LOST, &Stages::default(), "王磊", ts(2026, 4, 1, 9));
                o.lost_reason = Some(LostReason::Other);
                o.lost_note = "project cancelled".into();
            }),
        ),
        (
            "two moves at the same instant",
            Box::new(|o| {
                o.history.push(StageChange { stage: "negotiation".into(), at: ts(2026, 3, 10, 9), by: String::new() })
            }),
        ),
        ("no lines", Box::new(|o| o.lines.clear())),
    ];
    for (name, change) in cases {
        let mut o = deal();
        change(&mut o);
        assert_eq!(o.validate(), Ok(()), "{name}");
    }
}

#[test]
fn move_to_records_who_when_and_the_outcome() {
    let stages = Stages::default();
    let created = ts(2026, 3, 1, 8);
    let mut o = Opportunity::blank("O1".into(), "C1".into(), &stages, "王磊".into(), created);
    assert_eq!(o.stage, "lead");
    assert_eq!(o.probability, 10);
    assert_eq!(o.history, vec![StageChange { stage: "lead".into(), at: created, by: "王磊".into() }]);

    // (to, by, when, stage, probability, closed_on, history length)
    let steps: Vec<(&str, &str, Timestamp, u8, Option<Date>, usize)> = vec![
        ("qualified", "李娜", ts(2026, 3, 5, 10), 25, None, 2),
        // Same stage: nothing changes (no history entry, probability kept).
        ("qualified", "张伟", ts(2026, 3, 6, 10), 25, None, 2),
        ("negotiation", "王磊", ts(2026, 4, 1, 9), 80, None, 3),
        (LOST, "王磊", ts(2026, 4, 20, 9), 0, Some(d(2026, 4, 20)), 4),
        // Reopened: the outcome date is cleared.
        ("quote", "李娜", ts(2026, 5, 2, 9), 60, None, 5),
        (WON, "李娜", ts(2026, 6, 3, 23), 100, Some(d(2026, 6, 3)), 6),
    ];
    for (k, (to, by, at, p, closed, len)) in steps.into_iter().enumerate() {
        let before = o.clone();
        if k == 3 {
            o.probability = 55; // the rep's own figure, replaced by the stage's default on a move
        }
        o.move_to(to, &stages, by, at);
        assert_eq!(o.stage, to, "step {k}");
        assert_eq!(o.probability, if k == 1 { before.probability } else { p }, "step {k}");
        assert_eq!(o.closed_on, closed, "step {k}");
        assert_eq!(o.history.len(), len, "step {k}");
        if k == 1 {
            assert_eq!(o, before, "a move to the same stage is a no-op");
        } else {
            assert_eq!(o.history.last(), Some(&StageChange { stage: to.into(), at, by: by.into() }), "step {k}");
            assert_eq!(o.updated_at, at, "step {k}");
        }
    }
}

#[test]
fn move_to_clears_the_lost_reason_unless_lost_and_keeps_probability_for_unknown_stages() {
    let stages = Stages::default();
    let mut o = deal();
    o.move_to(LOST, &stages, "王磊", ts(2026, 4, 1, 9));
    o.lost_reason = Some(LostReason::Delivery);
    assert_eq!(o.validate(), Ok(()));
    // Reopened into quote: the reason goes.
    o.move_to("quote", &stages, "王磊", ts(2026, 4, 2, 9));
    assert_eq!(o.lost_reason, None);
    assert_eq!(o.closed_on, None);
    assert_eq!(o.validate(), Ok(()));
    // Lost again, then won: the reason goes too.
    o.move_to(LOST, &stages, "王磊", ts(2026, 4, 3, 9));
    o.lost_reason = Some(LostReason::Price);
    o.move_to(WON, &stages, "王磊", ts(2026, 4, 4, 9));
    assert_eq!(o.lost_reason, None);
    assert_eq!(o.closed_on, Some(d(2026, 4, 4)));
    // A stage the workspace does not define keeps the current probability.
    o.move_to("pilot", &stages, "王磊", ts(2026, 4, 5, 9));
    assert_eq!((o.stage.as_str(), o.probability, o.closed_on), ("pilot", 100, None));
}

#[test]
fn stage_durations_count_each_stay_and_the_current_one_until_now() {
    let stages = Stages::default();
    let mut o = Opportunity::blank("O1".into(), "C1".into(), &stages, "王磊".into(), ts(2026, 3, 1, 0));
    o.move_to("qualified", &stages, "王磊", ts(2026, 3, 3, 0)); // lead: 2 days = 172800 s
    o.move_to("quote", &stages, "王磊", ts(2026, 3, 3, 6)); // qualified: 6 h = 21600 s
    o.move_to("qualified", &stages, "王磊", ts(2026, 3, 4, 6)); // quote: 1 day = 86400 s
    let now = ts(2026, 3, 5, 18); // qualified again, still in it: 36 h = 129600 s
    assert_eq!(
        o.stage_durations(now),
        vec![
            ("lead".to_string(), 172_800, false),
            ("qualified".to_string(), 21_600, false),
            ("quote".to_string(), 86_400, false),
            ("qualified".to_string(), 129_600, true),
        ]
    );
    assert_eq!(o.in_stage_since(), ts(2026, 3, 4, 6));
    // A `now` before the last move counts 0, never negative.
    assert_eq!(o.stage_durations(ts(2026, 3, 4, 0)).last(), Some(&("qualified".to_string(), 0, true)));
    // Won: the last stage counts nothing.
    o.move_to(WON, &stages, "王磊", ts(2026, 3, 6, 6)); // qualified: 2 days since 03-04 06:00 = 172800 s
    o.amount = Money(100);
    let won = o.stage_durations(ts(2027, 1, 1, 0));
    assert_eq!(won.len(), 4);
    assert_eq!(won.last(), Some(&("qualified".to_string(), 172_800, false)));
    // No history: nothing measured.
    o.history.clear();
    assert_eq!(o.stage_durations(now), vec![]);
    assert_eq!(o.in_stage_since(), o.created_at);
}

#[test]
fn weighted_rounds_half_away_from_zero() {
    // (amount in minor units, probability, expected weighted)
    let cases: Vec<(i64, u8, i64)> = vec![
        (1_000_00, 25, 250_00),
        (1, 50, 1),     // 0.5 → 1
        (1, 49, 0),     // 0.49 → 0
        (3, 50, 2),     // 1.5 → 2
        (333, 33, 110), // 109.89 → 110
        (-3, 50, -2),   // −1.5 → −2 (away from zero)
        (-1, 49, 0),
        (12_345, 0, 0),
        (12_345, 100, 12_345),
        (12_345, 150, 12_345), // probability capped at 100
        (i64::MAX, 100, i64::MAX),
    ];
    for (amount, p, want) in cases {
        let mut o = deal();
        o.amount = Money(amount);
        o.probability = p;
        assert_eq!(o.weighted(), Money(want), "{amount} × {p}%");
    }
}

#[test]
fn margin_is_amount_less_cost_when_a_cost_is_known() {
    let cases: Vec<(i64, Option<i64>, Option<i64>)> = vec![
        (1_200_000_00, Some(900_000_00), Some(300_000_00)),
        (100_00, Some(150_00), Some(-50_00)),
        (100_00, Some(0), Some(100_00)),
        (100_00, None, None),
        (i64::MIN, Some(1), Some(i64::MIN)), // saturates
    ];
    for (amount, cost, want) in cases {
        let mut o = deal();
        o.amount = Money(amount);
        o.estimated_cost = cost.map(Money);
        assert_eq!(o.margin(), want.map(Money), "{amount} − {cost:?}");
    }
}

#[test]
fn default_stages_order_positions_and_commitment() {
    let s = Stages::default();
    let ids: Vec<&str> = s.0.iter().map(|x| x.id.as_str()).collect();
    assert_eq!(ids, Stages::DEFAULT_IDS);
    assert_eq!(ids, ["lead", "qualified", "solution", "quote", "negotiation", "won", "lost"]);
    // (id, position, probability, committed, outcome)
    let cases: Vec<(&str, usize, Option<u8>, bool, Option<StageOutcome>)> = vec![
        ("lead", 0, Some(10), false, Some(StageOutcome::Open)),
        ("qualified", 1, Some(25), false, Some(StageOutcome::Open)),
        ("solution", 2, Some(40), false, Some(StageOutcome::Open)),
        ("quote", 3, Some(60), false, Some(StageOutcome::Open)),
        ("negotiation", 4, Some(80), true, Some(StageOutcome::Open)),
        (WON, 6, Some(100), true, Some(StageOutcome::Won)),
        (LOST, 7, Some(0), false, Some(StageOutcome::Lost)),
        // Unknown stages sort after the open ones, strictly before won and lost.
        ("pilot", 5, None, false, None),
    ];
    for (id, pos, p, committed, outcome) in cases {
        assert_eq!(s.position(id), pos, "{id}");
        assert_eq!(s.probability(id), p, "{id}");
        assert_eq!(s.is_committed(id), committed, "{id}");
        assert_eq!(s.get(id).map(|x| x.outcome), outcome, "{id}");
    }
    assert_eq!(s.open().count(), 5);
    assert!(s.0.iter().all(|x| x.label.is_empty()), "default labels are translated by id");
    // A workspace listing an outcome between open stages still sorts open ones first.
    let mixed = Stages(vec![s.0[5].clone(), s.0[0].clone(), s.0[6].clone(), s.0[4].clone()]);
    let order: Vec<usize> = ["lead", "negotiation", "pilot", WON, LOST].iter().map(|id| mixed.position(id)).collect();
    assert_eq!(order, vec![0, 1, 2, 3, 4]);
}

#[test]
fn open_won_lost_predicates() {
    let cases = [
        ("lead", true, false, false),
        (WON, false, true, false),
        (LOST, false, false, true),
        ("x", true, false, false),
    ];
    for (stage, open, won, lost) in cases {
        let mut o = deal();
        o.stage = stage.into();
        assert_eq!((o.is_open(), o.is_won(), o.is_lost()), (open, won, lost), "{stage}");
    }
}

// ---------------------------------------------------------------------------------------------
// The demo's deals

mod demo {
    use super::*;
    use kehu::core::analytics::forecast::{ForecastConfig, forecast};
    use kehu::core::demo::{DemoConfig, demo_now, generate, sales_reps};
    use std::collections::{HashMap, HashSet};

    fn data(seed: u64, customers: usize) -> Dataset {
        generate(&DemoConfig { seed, customers, as_of: d(2026, 11, 1) })
    }

    #[test]
    fn every_demo_deal_validates_and_its_history_is_consistent() {
        let now = demo_now(d(2026, 11, 1));
        let stages = Stages::default();
        for seed in 1..=5u64 {
            for n in [1usize, 40, 300] {
                let ds = data(seed, n);
                let customers: HashMap<&str, &Customer> = ds.customers.iter().map(|c| (c.id.as_str(), c)).collect();
                let mut ids = HashSet::new();
                for o in &ds.opportunities {
                    let ctx = format!("seed {seed}, {n} customers, {}", o.id);
                    assert_eq!(o.validate(), Ok(()), "{ctx}");
                    assert!(ids.insert(o.id.as_str()), "{ctx}: duplicate id");
                    let c = customers.get(o.customer_id.as_str()).unwrap_or_else(|| panic!("{ctx}: no customer"));
                    assert_eq!(o.currency, c.currency, "{ctx}: the customer's currency");
                    assert!(o.amount.0 > 0, "{ctx}");
                    assert!(o.history.windows(2).all(|w| w[0].at < w[1].at), "{ctx}: strictly increasing history");
                    assert!(o.history.iter().all(|h| h.at <= now), "{ctx}: nothing after now");
                    assert_eq!(o.history.first().map(|h| h.at), Some(o.created_at), "{ctx}");
                    assert_eq!(o.history.last().map(|h| h.stage.as_str()), Some(o.stage.as_str()), "{ctx}");
                    assert!(o.history.iter().all(|h| stages.get(&h.stage).is_some()), "{ctx}: default stages only");
                    assert!(o.updated_at <= now && o.created_at <= o.updated_at, "{ctx}");
                    assert!(!o.team.contains(&o.owner), "{ctx}: the owner is not in the team");
                    if o.is_open() {
                        assert!(o.expected_close.is_some() && o.next_step_date.is_some(), "{ctx}");
                        assert_eq!(o.closed_on, None, "{ctx}");
                    } else {
                        assert_eq!(o.closed_on, o.history.last().map(|h| h.at.date_naive()), "{ctx}");
                    }
                }
            }
        }
    }

    #[test]
    fn demo_deals_look_like_a_pipeline() {
        let ds = data(7, 1_000);
        let stages = Stages::default();
        let reps: HashSet<&str> = sales_reps().collect();
        let opps = &ds.opportunities;
        let open = opps.iter().filter(|o| o.is_open()).count();
        // About one open deal per three customers.
        assert!((250..=420).contains(&open), "{open} open deals for 1,000 customers");
        for s in stages.open() {
            let n = opps.iter().filter(|o| o.stage == s.id).count();
            assert!(n >= 10, "stage {} has {n} deals", s.id);
        }
        let won: Vec<&Opportunity> = opps.iter().filter(|o| o.is_won()).collect();
        let lost: Vec<&Opportunity> = opps.iter().filter(|o| o.is_lost()).collect();
        assert!(won.len() >= 150 && lost.len() >= 100, "{} won, {} lost", won.len(), lost.len());
        // Won deals became orders: an order of the customer of the same amount within 10 days after.
        for o in &won {
            let close = o.closed_on.unwrap();
            let matched = ds.orders.iter().any(|x| {
                x.customer_id == o.customer_id
                    && x.amount == o.amount
                    && x.date >= close
                    && (x.date - close).num_days() <= 11
            });
            assert!(matched, "{}: no order of {:?} after {close}", o.id, o.amount);
        }
        // Lost ones have reasons, "other" a note; every reason occurs.
        for r in LostReason::ALL {
            assert!(lost.iter().any(|o| o.lost_reason == Some(*r)), "{r:?}");
        }
        // Export deals in EUR and USD.
        for c in [Currency::EUR, Currency::USD, Currency::CNY] {
            assert!(opps.iter().any(|o| o.currency == c), "{c:?}");
        }
        // Owners and team members are sales reps.
        assert!(opps.iter().all(|o| reps.contains(o.owner.as_str())));
        assert!(opps.iter().flat_map(|o| &o.team).all(|t| reps.contains(t.as_str())));
        assert!(opps.iter().filter(|o| !o.team.is_empty()).count() > opps.len() / 5);
        // Sources point at a real visit or inquiry of the same customer, made before the deal.
        let visits: HashMap<&str, &Visit> = ds.visits.iter().map(|v| (v.id.as_str(), v)).collect();
        let tickets: HashMap<&str, &ServiceTicket> = ds.tickets.iter().map(|t| (t.id.as_str(), t)).collect();
        let mut linked = (0, 0);
        for o in opps {
            match (o.source, o.source_id.as_deref()) {
                (Some(OppSource::Visit), Some(id)) => {
                    let v = visits[id];
                    assert_eq!(v.customer_id, o.customer_id);
                    assert!(v.date <= o.created_at.date_naive());
                    linked.0 += 1;
                }
                (Some(OppSource::Inquiry), Some(id)) => {
                    let t = tickets[id];
                    assert_eq!((t.customer_id.as_str(), t.kind), (o.customer_id.as_str(), TicketKind::Inquiry));
                    assert!(t.opened_at <= o.created_at);
                    linked.1 += 1;
                }
                (_, None) => {}
                (s, id) => panic!("{}: source {s:?} with id {id:?}", o.id),
            }
        }
        assert!(linked.0 >= 20 && linked.1 >= 5, "linked visits, inquiries: {linked:?}");
        // Aerospace and machine tools: cycles of months, longer than the others'.
        let customers: HashMap<&str, &Customer> = ds.customers.iter().map(|c| (c.id.as_str(), c)).collect();
        let cycle = |long: bool| {
            let days: Vec<i64> = won
                .iter()
                .filter(|o| {
                    let ind = customers[o.customer_id.as_str()].industry.as_str();
                    ["航空航天", "Aerospace", "机床", "CNC machine tools"].contains(&ind) == long
                })
                .map(|o| (o.closed_on.unwrap() - o.created_at.date_naive()).num_days())
                .collect();
            days.iter().sum::<i64>() / days.len().max(1) as i64
        };
        let (long, short) = (cycle(true), cycle(false));
        assert!(long >= 90 && short < 90 && long > short * 2, "average cycles: {long} vs {short} days");
        // Some deals are stuck.
        let f = forecast(opps, &stages, &ds.customers, &ds.plans, d(2026, 11, 1), None, &ForecastConfig::default());
        assert!(f.stuck.len() >= 10, "{} stuck", f.stuck.len());
        eprintln!(
            "demo, 1,000 customers: {open} open, {} won, {} lost, {} stuck; {linked:?} from visits / inquiries; cycles {long} / {short} days",
            won.len(),
            lost.len(),
            f.stuck.len()
        );
    }

    #[test]
    fn the_workspace_forecast_equals_the_slices_one_on_the_demo() {
        use kehu::core::analytics::forecast::{Dimension, forecast_workspace};
        use kehu::core::workspace::{Source, Workspace};
        let ds = data(5, 600);
        let ws = Workspace::new(Source::Demo { seed: 5, customers: 600 }, ds.clone());
        let fx = kehu::core::demo::rates(d(2026, 11, 1)).table();
        let stages = Stages::default();
        for dimension in [Dimension::Owner, Dimension::Region, Dimension::Category] {
            let cfg = ForecastConfig { dimension, closed_since: Some(d(2026, 1, 1)), ..ForecastConfig::default() };
            let a = forecast_workspace(&ws, &stages, d(2026, 11, 1), Some(&fx), &cfg);
            let b = forecast(&ds.opportunities, &stages, &ds.customers, &ds.plans, d(2026, 11, 1), Some(&fx), &cfg);
            assert_eq!(a, b, "{dimension:?}");
            // The demo's plans meet its pipeline, and every deal has a rate.
            assert!(!a.plans.is_empty() && a.plans.iter().all(|p| p.target.is_some()), "{dimension:?}");
            assert_eq!(a.fx.as_ref().map(|c| c.is_complete()), Some(true));
            assert!(a.cells.len() > 20 && a.board.iter().take(5).all(|c| c.count > 0), "{dimension:?}");
        }
    }

    #[test]
    fn demo_deals_are_deterministic_and_per_customer() {
        let small = data(11, 250);
        let big = data(11, 700);
        assert_eq!(small.opportunities, data(11, 250).opportunities);
        let ids: HashSet<&str> = small.customers.iter().map(|c| c.id.as_str()).collect();
        let first: Vec<&Opportunity> =
            big.opportunities.iter().filter(|o| ids.contains(o.customer_id.as_str())).collect();
        assert_eq!(small.opportunities.iter().collect::<Vec<_>>(), first);
        assert_ne!(small.opportunities, data(12, 250).opportunities);
    }
}
