//! The pipeline's numbers (`kehu::core::analytics::forecast`) on small hand-made datasets whose
//! expected figures are computed by hand in the comments: the forecast by month × owner / region /
//! category per currency and in the reporting currency (a deal without a rate left out and
//! counted), rounding once, win rates and cycle times, time per stage, stuck deals, plans, the
//! board; and the size of the result for 20k deals.
// Tests: a panic is the test failing; tables of cases have long tuple types.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]
// Amounts are written as yuan_fen (12_500_00 = ¥12,500.00), so the grouping is deliberate.
#![allow(clippy::inconsistent_digit_grouping)]

use chrono::{NaiveDate, TimeZone, Utc};
use kehu::core::analytics::forecast::{
    Amounts, BoardColumn, BoardMoney, Dimension, ForecastCell, ForecastConfig, StageTime, conversion_date, forecast,
};
use kehu::core::fx::{Coverage, Fx, FxTable, MissingRate, Rate, RateEntry};
use kehu::core::model::*;

fn d(y: i32, m: u32, day: u32) -> Date {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn ts(y: i32, m: u32, day: u32) -> Timestamp {
    Utc.with_ymd_and_hms(y, m, day, 0, 0, 0).unwrap()
}

fn customer(id: &str, region: &str, currency: Currency) -> Customer {
    Customer { name: id.into(), region: region.into(), ..Customer::blank(id, currency, ts(2025, 1, 1)) }
}

/// An open deal in `stage` (with the stage's default probability) since its creation, or a won /
/// lost one created in "lead" and closed on `closed`.
#[allow(clippy::too_many_arguments)]
fn deal(
    id: &str,
    customer: &str,
    owner: &str,
    stage: &str,
    currency: Currency,
    amount: i64,
    close: Option<Date>,
    created: Date,
    closed: Option<Date>,
) -> Opportunity {
    let stages = Stages::default();
    let at = created.and_hms_opt(0, 0, 0).unwrap().and_utc();
    let mut o = Opportunity::blank(id.into(), customer.into(), &stages, owner.into(), at);
    o.title = id.into();
    o.currency = currency;
    o.amount = Money(amount);
    o.expected_close = close;
    if let Some(c) = closed {
        o.move_to(stage, &stages, owner, c.and_hms_opt(0, 0, 0).unwrap().and_utc());
        if stage == LOST {
            o.lost_reason = Some(LostReason::Price);
        }
    } else {
        o.stage = stage.into();
        o.probability = stages.probability(stage).unwrap_or(50);
        o.history[0].stage = stage.into();
    }
    o
}

fn rates() -> FxTable {
    let r = |s: &str| Rate::parse(s).unwrap();
    Fx {
        reporting: Currency::CNY,
        rates: vec![
            RateEntry { currency: Currency::EUR, valid_from: d(2026, 1, 1), rate: r("7.8") },
            RateEntry { currency: Currency::EUR, valid_from: d(2026, 5, 1), rate: r("8") },
        ],
    }
    .table()
}

const AS_OF: (i32, u32, u32) = (2026, 3, 31);

fn as_of() -> Date {
    d(AS_OF.0, AS_OF.1, AS_OF.2)
}

/// Three customers in three currencies (USD has no rate) and seven deals.
fn dataset() -> (Vec<Customer>, Vec<Opportunity>) {
    let customers = vec![
        customer("C1", "华东", Currency::CNY),
        customer("C2", "Europe", Currency::EUR),
        customer("C3", "America", Currency::USD),
    ];
    let (cny, eur, usd) = (Currency::CNY, Currency::EUR, Currency::USD);
    let mut d1 = deal("D1", "C1", "王磊", "quote", cny, 100_000_00, Some(d(2026, 4, 15)), d(2026, 1, 2), None);
    d1.lines = vec![
        OppLine { product: "A".into(), category: "spindle".into(), quantity: 1 },
        OppLine { product: "B".into(), category: "bearing".into(), quantity: 2 },
    ];
    let mut d2 = deal("D2", "C2", "Anna", "negotiation", eur, 10_000_00, Some(d(2026, 5, 20)), d(2026, 1, 3), None);
    d2.lines = vec![OppLine { product: "A".into(), category: "spindle".into(), quantity: 5 }];
    let opps = vec![
        d1,                                                                                         // 60 %, Apr
        d2, // 80 %, committed, May
        deal("D3", "C3", "Anna", "lead", usd, 5_000_00, Some(d(2026, 4, 10)), d(2026, 2, 1), None), // no rate
        deal("D4", "C1", "王磊", WON, cny, 50_000_00, None, d(2026, 1, 10), Some(d(2026, 3, 10))), // 59 days
        deal("D5", "C2", "Anna", LOST, eur, 20_000_00, None, d(2026, 1, 5), Some(d(2026, 2, 20))),
        deal("D6", "C2", "Anna", WON, eur, 2_000_00, None, d(2026, 2, 1), Some(d(2026, 3, 20))), // 47 days
        deal("D7", "C1", "王磊", "qualified", cny, 8_000_00, None, d(2026, 3, 1), None),         // 25 %, no date
    ];
    for o in &opps {
        assert_eq!(o.validate(), Ok(()), "{}", o.id);
    }
    (customers, opps)
}

fn amounts(open_deals: u32, won_deals: u32, open: i64, weighted: i64, committed: i64, best: i64, won: i64) -> Amounts {
    Amounts {
        open_deals,
        won_deals,
        open: Money(open),
        weighted: Money(weighted),
        committed: Money(committed),
        best_case: Money(best),
        won: Money(won),
    }
}

fn cell(month: Option<(i32, u8)>, key: &str, currency: Currency, a: Amounts) -> ForecastCell {
    ForecastCell { month: month.map(|(y, m)| Period::Month(y, m)), key: key.into(), currency, amounts: a }
}

fn config(dimension: Dimension) -> ForecastConfig {
    ForecastConfig { dimension, ..ForecastConfig::default() }
}

#[test]
fn per_currency_by_owner_never_adds_currencies() {
    let (customers, opps) = dataset();
    let f = forecast(&opps, &Stages::default(), &customers, &[], as_of(), None, &config(Dimension::Owner));
    let (cny, eur, usd) = (Currency::CNY, Currency::EUR, Currency::USD);
    assert_eq!(f.fx, None);
    assert_eq!(
        f.cells,
        vec![
            // March: D6 won €2,000 (Anna), D4 won ¥50,000 (王磊): committed and best case include won.
            cell(Some((2026, 3)), "Anna", eur, amounts(0, 1, 0, 0, 2_000_00, 2_000_00, 2_000_00)),
            cell(Some((2026, 3)), "王磊", cny, amounts(0, 1, 0, 0, 50_000_00, 50_000_00, 50_000_00)),
            // April: D3 $5,000 at 10 % = $500; D1 ¥100,000 at 60 % = ¥60,000 (quote: not committed).
            cell(Some((2026, 4)), "Anna", usd, amounts(1, 0, 5_000_00, 500_00, 0, 5_000_00, 0)),
            cell(Some((2026, 4)), "王磊", cny, amounts(1, 0, 100_000_00, 60_000_00, 0, 100_000_00, 0)),
            // May: D2 €10,000 at 80 % = €8,000, negotiation is committed.
            cell(Some((2026, 5)), "Anna", eur, amounts(1, 0, 10_000_00, 8_000_00, 10_000_00, 10_000_00, 0)),
            // No date: D7 ¥8,000 at 25 % = ¥2,000. D5 (lost) is nowhere.
            cell(None, "王磊", cny, amounts(1, 0, 8_000_00, 2_000_00, 0, 8_000_00, 0)),
        ]
    );
    assert_eq!(
        f.months,
        vec![
            cell(Some((2026, 3)), "", cny, amounts(0, 1, 0, 0, 50_000_00, 50_000_00, 50_000_00)),
            cell(Some((2026, 3)), "", eur, amounts(0, 1, 0, 0, 2_000_00, 2_000_00, 2_000_00)),
            cell(Some((2026, 4)), "", cny, amounts(1, 0, 100_000_00, 60_000_00, 0, 100_000_00, 0)),
            cell(Some((2026, 4)), "", usd, amounts(1, 0, 5_000_00, 500_00, 0, 5_000_00, 0)),
            cell(Some((2026, 5)), "", eur, amounts(1, 0, 10_000_00, 8_000_00, 10_000_00, 10_000_00, 0)),
            cell(None, "", cny, amounts(1, 0, 8_000_00, 2_000_00, 0, 8_000_00, 0)),
        ]
    );
}

#[test]
fn in_the_reporting_currency_each_deal_at_its_dates_rate_and_usd_left_out() {
    let (customers, opps) = dataset();
    let t = rates();
    let f = forecast(&opps, &Stages::default(), &customers, &[], as_of(), Some(&t), &config(Dimension::Region));
    let cny = Currency::CNY;
    assert_eq!(
        f.fx,
        Some(Coverage {
            reporting: cny,
            missing: vec![MissingRate { currency: Currency::USD, customers: 1, count: 1, amount: Money(5_000_00) }],
        })
    );
    assert_eq!(
        f.cells,
        vec![
            // D6 €2,000 closed 03-20 at 7.8 = ¥15,600.
            cell(Some((2026, 3)), "Europe", cny, amounts(0, 1, 0, 0, 15_600_00, 15_600_00, 15_600_00)),
            cell(Some((2026, 3)), "华东", cny, amounts(0, 1, 0, 0, 50_000_00, 50_000_00, 50_000_00)),
            // D3 (USD) is left out: April holds D1 only.
            cell(Some((2026, 4)), "华东", cny, amounts(1, 0, 100_000_00, 60_000_00, 0, 100_000_00, 0)),
            // D2 closes 05-20, after the analysis date: at 8 (from 05-01): ¥80,000, weighted ¥64,000.
            cell(Some((2026, 5)), "Europe", cny, amounts(1, 0, 80_000_00, 64_000_00, 80_000_00, 80_000_00, 0)),
            cell(None, "华东", cny, amounts(1, 0, 8_000_00, 2_000_00, 0, 8_000_00, 0)),
        ]
    );
    // March, everything together: ¥50,000 + ¥15,600.
    assert_eq!(f.months[0], cell(Some((2026, 3)), "", cny, amounts(0, 2, 0, 0, 65_600_00, 65_600_00, 65_600_00)));
    assert_eq!(f.months.len(), 4);
}

#[test]
fn conversion_dates() {
    let (_, opps) = dataset();
    // (deal, date its amount converts at)
    let cases = [
        ("D1", d(2026, 4, 15)), // expected close after as_of
        ("D4", d(2026, 3, 10)), // won: closed_on
        ("D5", d(2026, 2, 20)), // lost: closed_on
        ("D7", as_of()),        // no expected close
    ];
    for (id, want) in cases {
        let o = opps.iter().find(|o| o.id == id).unwrap();
        assert_eq!(conversion_date(o, as_of()), want, "{id}");
    }
    let mut past = opps[0].clone();
    past.expected_close = Some(d(2026, 3, 1)); // in the past: as_of
    assert_eq!(conversion_date(&past, as_of()), as_of());
}

#[test]
fn category_splits_by_quantity_share_and_adds_up_exactly() {
    let (customers, opps) = dataset();
    let f = forecast(&opps, &Stages::default(), &customers, &[], as_of(), None, &config(Dimension::Category));
    let april: Vec<&ForecastCell> =
        f.cells.iter().filter(|c| c.month == Some(Period::Month(2026, 4)) && c.currency == Currency::CNY).collect();
    // D1 ¥100,000.00: spindle 1 of 3 = 3,333,333.33 fen → 3,333,333 + the fen left over = 3,333,334;
    // bearing 2 of 3 = 6,666,666. Weighted ¥60,000: 2,000,000 and 4,000,000 fen.
    assert_eq!(
        april,
        vec![
            &cell(Some((2026, 4)), "bearing", Currency::CNY, amounts(1, 0, 66_666_66, 40_000_00, 0, 66_666_66, 0)),
            &cell(Some((2026, 4)), "spindle", Currency::CNY, amounts(1, 0, 33_333_34, 20_000_00, 0, 33_333_34, 0)),
        ]
    );
    // A deal without lines is under "".
    assert!(f.cells.iter().any(|c| c.key.is_empty() && c.month == Some(Period::Month(2026, 3))));
    // May: D2's only category takes it all.
    assert!(f.cells.contains(&cell(
        Some((2026, 5)),
        "spindle",
        Currency::EUR,
        amounts(1, 0, 10_000_00, 8_000_00, 10_000_00, 10_000_00, 0)
    )));
    // Quantities all 0: each line counts 1 (¥0.03 → 0.02 + 0.01).
    let mut z = opps[0].clone();
    z.amount = Money(3);
    z.probability = 100;
    for l in &mut z.lines {
        l.quantity = 0;
    }
    let f = forecast(&[z], &Stages::default(), &customers, &[], as_of(), None, &config(Dimension::Category));
    let got: Vec<(&str, i64, i64)> =
        f.cells.iter().map(|c| (c.key.as_str(), c.amounts.open.0, c.amounts.weighted.0)).collect();
    assert_eq!(got, vec![("bearing", 1, 1), ("spindle", 2, 2)]);
}

#[test]
fn reporting_sums_are_rounded_once() {
    // Two open deals of €0.01 at 7.25: each ¥0.0725 (0.07 rounded), the exact sum ¥0.145 → ¥0.15.
    let customers = vec![customer("C2", "Europe", Currency::EUR)];
    let mut a = deal("A", "C2", "Anna", "quote", Currency::EUR, 1, None, d(2026, 1, 1), None);
    a.probability = 100;
    let mut b = a.clone();
    b.id = "B".into();
    let t = Fx {
        reporting: Currency::CNY,
        rates: vec![RateEntry {
            currency: Currency::EUR,
            valid_from: d(2026, 1, 1),
            rate: Rate::parse("7.25").unwrap(),
        }],
    }
    .table();
    assert_eq!(t.convert(Money(1), Currency::EUR, as_of()), Some(Money(7)));
    let f = forecast(&[a, b], &Stages::default(), &customers, &[], as_of(), Some(&t), &config(Dimension::Owner));
    assert_eq!(f.cells[0].amounts.open, Money(15));
    assert_eq!(f.cells[0].amounts.weighted, Money(15));
    assert_eq!(f.board[3].totals, vec![BoardMoney { currency: Currency::CNY, amount: Money(15), weighted: Money(15) }]);
}

#[test]
fn win_rates_and_cycle_times_over_the_period() {
    let (customers, opps) = dataset();
    let stages = Stages::default();
    let f = forecast(&opps, &stages, &customers, &[], as_of(), None, &config(Dimension::Owner));
    // Anna: D6 won (47 days: Feb 1 → Mar 20), D5 lost → 1/2. 王磊: D4 won (59 days: Jan 10 → Mar 10) → 1/1.
    let got: Vec<(&str, u32, u32, Option<f64>, Option<f64>)> =
        f.win_rates.iter().map(|w| (w.owner.as_str(), w.won, w.lost, w.rate, w.avg_cycle_days)).collect();
    assert_eq!(got, vec![("Anna", 1, 1, Some(0.5), Some(47.0)), ("王磊", 1, 0, Some(1.0), Some(59.0))]);
    // All: 2 won, 1 lost → 2/3; cycle (59 + 47) / 2 = 53.
    assert_eq!((f.win_rate.won, f.win_rate.lost, f.win_rate.avg_cycle_days), (2, 1, Some(53.0)));
    assert!((f.win_rate.rate.unwrap() - 2.0 / 3.0).abs() < 1e-12);
    // From March on, D5 (lost 02-20) is outside the period.
    let cfg = ForecastConfig { closed_since: Some(d(2026, 3, 1)), ..config(Dimension::Owner) };
    let f = forecast(&opps, &stages, &customers, &[], as_of(), None, &cfg);
    assert_eq!((f.win_rate.won, f.win_rate.lost, f.win_rate.rate), (2, 0, Some(1.0)));
    // Up to 03-15, D6 (03-20) is outside it too.
    let f = forecast(&opps, &stages, &customers, &[], d(2026, 3, 15), None, &cfg);
    assert_eq!((f.win_rate.won, f.win_rate.lost, f.win_rate.avg_cycle_days), (1, 0, Some(59.0)));
    // Nothing closed: no rate.
    let f = forecast(&opps[..3], &stages, &customers, &[], as_of(), None, &cfg);
    assert_eq!((f.win_rate.rate, f.win_rate.avg_cycle_days), (None, None));
    assert!(f.win_rates.is_empty());
}

/// Four deals with known histories (analysis date 03-31, so "now" is 04-01 00:00).
fn histories() -> Vec<Opportunity> {
    let stages = Stages::default();
    let mk = |id: &str, owner: &str, moves: &[(&str, Timestamp)]| {
        let mut o = Opportunity::blank(id.into(), "C1".into(), &stages, owner.into(), moves[0].1);
        o.title = id.into();
        o.amount = Money(1_000_00);
        for (s, at) in &moves[1..] {
            o.move_to(s, &stages, owner, *at);
        }
        o
    };
    vec![
        // lead 2 d, qualified since 03-03: 29 d so far.
        mk("S1", "A", &[("lead", ts(2026, 3, 1)), ("qualified", ts(2026, 3, 3))]),
        // lead 1 d, qualified 4 d, quote since 03-06: 26 d so far.
        mk("S2", "A", &[("lead", ts(2026, 3, 1)), ("qualified", ts(2026, 3, 2)), ("quote", ts(2026, 3, 6))]),
        // lead 3 d, qualified 7 d, won.
        mk("S3", "B", &[("lead", ts(2026, 3, 10)), ("qualified", ts(2026, 3, 13)), (WON, ts(2026, 3, 20))]),
        // lead since 03-25: 7 d so far.
        mk("S4", "B", &[("lead", ts(2026, 3, 25))]),
    ]
}

const DAY: i64 = 86_400;

#[test]
fn time_per_stage_from_the_history() {
    let opps = histories();
    let f = forecast(&opps, &Stages::default(), &[], &[], as_of(), None, &ForecastConfig::default());
    let st = |stage: &str, owner: Option<&str>, completed: u32, stays: u32, avg: Option<i64>, median: Option<i64>| {
        StageTime {
            stage: stage.into(),
            owner: owner.map(Into::into),
            completed,
            stays,
            avg_seconds: avg,
            median_seconds: median,
        }
    };
    assert_eq!(
        f.stage_times,
        vec![
            // lead: completed 2, 1, 3 d (avg 2 d); every stay 1, 2, 3, 7 → median (2 + 3) / 2 = 2.5 d.
            st("lead", None, 3, 4, Some(2 * DAY), Some(5 * DAY / 2)),
            st("lead", Some("A"), 2, 2, Some(3 * DAY / 2), Some(3 * DAY / 2)),
            st("lead", Some("B"), 1, 2, Some(3 * DAY), Some(5 * DAY)),
            // qualified: completed 4, 7 d (avg 5.5 d); every stay 4, 7, 29 → median 7 d.
            st("qualified", None, 2, 3, Some(11 * DAY / 2), Some(7 * DAY)),
            st("qualified", Some("A"), 1, 2, Some(4 * DAY), Some(33 * DAY / 2)),
            st("qualified", Some("B"), 1, 1, Some(7 * DAY), Some(7 * DAY)),
            // quote: S2 still in it (26 d), nothing completed.
            st("quote", None, 0, 1, None, Some(26 * DAY)),
            st("quote", Some("A"), 0, 1, None, Some(26 * DAY)),
        ]
    );
}

#[test]
fn stuck_deals_exceed_k_times_their_stages_median() {
    let opps = histories();
    // k = 2: S1 29 d in qualified > 2 × 7 d; S4 7 d in lead > 2 × 2.5 d; S2 26 d in quote is not > 2 × 26 d.
    let f = forecast(&opps, &Stages::default(), &[], &[], as_of(), None, &ForecastConfig::default());
    let got: Vec<(&str, &str, i64, i64)> =
        f.stuck.iter().map(|s| (s.id.as_str(), s.stage.as_str(), s.seconds_in_stage, s.median_seconds)).collect();
    assert_eq!(got, vec![("S1", "qualified", 29 * DAY, 7 * DAY), ("S4", "lead", 7 * DAY, 5 * DAY / 2)]);
    assert_eq!((f.stuck[0].index, f.stuck[1].index, f.stuck[0].owner.as_str()), (0, 3, "A"));
    // k = 3: S4's 7 d is not > 7.5 d.
    let cfg = ForecastConfig { stuck_factor: 3.0, ..ForecastConfig::default() };
    let f = forecast(&opps, &Stages::default(), &[], &[], as_of(), None, &cfg);
    assert_eq!(f.stuck.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), vec!["S1"]);
    // Before the deals reached their current stages, nobody has been in one for any time.
    let f = forecast(&opps, &Stages::default(), &[], &[], d(2026, 2, 1), None, &ForecastConfig::default());
    assert!(f.stuck.is_empty(), "{:?}", f.stuck);
    // A stage whose median is 0 flags nothing: two deals went through lead at once (0 s), a third has
    // been in it 1 day; stays 0, 0, 1 d → median 0.
    let stages = Stages::default();
    let quick = |id: &str| {
        let mut o = Opportunity::blank(id.into(), "C1".into(), &stages, "A".into(), ts(2026, 3, 1));
        o.move_to("qualified", &stages, "A", ts(2026, 3, 1));
        o
    };
    let slow = Opportunity::blank("S".into(), "C1".into(), &stages, "A".into(), ts(2026, 3, 30));
    let f = forecast(
        &[quick("Q1"), quick("Q2"), slow],
        &stages,
        &[],
        &[],
        d(2026, 3, 30),
        None,
        &ForecastConfig::default(),
    );
    assert_eq!(f.stage_times[0].median_seconds, Some(0));
    assert!(f.stuck.is_empty(), "{:?}", f.stuck);
}

#[test]
fn plans_against_the_pipeline_of_their_region_and_period() {
    let (customers, opps) = dataset();
    let plan = |id: &str, region: &str, period: &str, target: i64, currency: Currency| RegionPlan {
        id: id.into(),
        region: region.into(),
        period: Period::parse(period).unwrap(),
        target: Money(target),
        currency,
    };
    let plans = vec![
        plan("P1", "华东", "2026-Q2", 200_000_00, Currency::CNY),
        plan("P2", " Europe ", "2026", 50_000_00, Currency::EUR),
        plan("P3", "Europe", "2025", 1_00, Currency::EUR), // before the forecast's months (2026-03 … 05)
        plan("P4", "America", "2026-04", 1_000_00, Currency::USD),
        plan("P5", "华东", "2026-Q2", 1_000_00, Currency::EUR),
    ];
    let f = forecast(&opps, &Stages::default(), &customers, &plans, as_of(), None, &config(Dimension::Owner));
    let got: Vec<(&str, Currency, Option<Money>, &Amounts, u32)> = f
        .plans
        .iter()
        .map(|p| (p.plan_id.as_str(), p.currency, p.target, &p.amounts, p.other_currency_deals))
        .collect();
    assert_eq!(
        got,
        vec![
            // 华东 in Q2: D1 (April) only; D7 has no date, D4 closed in March.
            ("P1", Currency::CNY, Some(Money(200_000_00)), &amounts(1, 0, 100_000_00, 60_000_00, 0, 100_000_00, 0), 0),
            // Europe in 2026: D2 open (committed) and D6 won; D5 lost.
            (
                "P2",
                Currency::EUR,
                Some(Money(50_000_00)),
                &amounts(1, 1, 10_000_00, 8_000_00, 12_000_00, 12_000_00, 2_000_00),
                0
            ),
            ("P4", Currency::USD, Some(Money(1_000_00)), &amounts(1, 0, 5_000_00, 500_00, 0, 5_000_00, 0), 0),
            // Per currency, D1 in CNY does not count against a plan in EUR.
            ("P5", Currency::EUR, Some(Money(1_000_00)), &Amounts::default(), 1),
        ]
    );
    let t = rates();
    let f = forecast(&opps, &Stages::default(), &customers, &plans, as_of(), Some(&t), &config(Dimension::Owner));
    let got: Vec<(&str, Currency, Option<Money>, &Amounts)> =
        f.plans.iter().map(|p| (p.plan_id.as_str(), p.currency, p.target, &p.amounts)).collect();
    assert_eq!(
        got,
        vec![
            ("P1", Currency::CNY, Some(Money(200_000_00)), &amounts(1, 0, 100_000_00, 60_000_00, 0, 100_000_00, 0)),
            // Target €50,000 at the rate of 2026-01-01 (7.8) = ¥390,000; D2 ¥80,000 (weighted ¥64,000),
            // D6 ¥15,600: committed 80,000 + 15,600.
            (
                "P2",
                Currency::CNY,
                Some(Money(390_000_00)),
                &amounts(1, 1, 80_000_00, 64_000_00, 95_600_00, 95_600_00, 15_600_00)
            ),
            // USD has no rate: no target, and D3 is left out.
            ("P4", Currency::CNY, None, &Amounts::default()),
            // €1,000 at 7.8; D1 counts now.
            ("P5", Currency::CNY, Some(Money(7_800_00)), &amounts(1, 0, 100_000_00, 60_000_00, 0, 100_000_00, 0)),
        ]
    );
}

#[test]
fn the_board_by_stage_with_unknown_stages_before_the_outcomes() {
    let (customers, mut opps) = dataset();
    let mut pilot = deal("D8", "C1", "王磊", "pilot", Currency::CNY, 1_000_00, None, d(2026, 3, 1), None);
    pilot.probability = 50;
    opps.push(pilot);
    let m = |c: Currency, a: i64, w: i64| BoardMoney { currency: c, amount: Money(a), weighted: Money(w) };
    let col = |stage: Option<&str>, count: u32, totals: Vec<BoardMoney>| BoardColumn {
        stage: stage.map(Into::into),
        count,
        totals,
    };
    let (cny, eur, usd) = (Currency::CNY, Currency::EUR, Currency::USD);
    let f = forecast(&opps, &Stages::default(), &customers, &[], as_of(), None, &config(Dimension::Owner));
    assert_eq!(
        f.board,
        vec![
            col(Some("lead"), 1, vec![m(usd, 5_000_00, 500_00)]),
            col(Some("qualified"), 1, vec![m(cny, 8_000_00, 2_000_00)]),
            col(Some("solution"), 0, vec![]),
            col(Some("quote"), 1, vec![m(cny, 100_000_00, 60_000_00)]),
            col(Some("negotiation"), 1, vec![m(eur, 10_000_00, 8_000_00)]),
            col(None, 1, vec![m(cny, 1_000_00, 500_00)]),
            // Won at 100 %: weighted = amount. Lost at 0 %.
            col(Some(WON), 2, vec![m(cny, 50_000_00, 50_000_00), m(eur, 2_000_00, 2_000_00)]),
            col(Some(LOST), 1, vec![m(eur, 20_000_00, 0)]),
        ]
    );
    // In CNY: D3 counted but left out of the amounts; D5 lost on 02-20 at 7.8 = ¥156,000.
    let t = rates();
    let f = forecast(&opps, &Stages::default(), &customers, &[], as_of(), Some(&t), &config(Dimension::Owner));
    let got: Vec<(Option<&str>, u32, Money, Money)> =
        f.board.iter().map(|c| (c.stage.as_deref(), c.count, c.totals[0].amount, c.totals[0].weighted)).collect();
    assert_eq!(
        got,
        vec![
            (Some("lead"), 1, Money(0), Money(0)),
            (Some("qualified"), 1, Money(8_000_00), Money(2_000_00)),
            (Some("solution"), 0, Money(0), Money(0)),
            (Some("quote"), 1, Money(100_000_00), Money(60_000_00)),
            (Some("negotiation"), 1, Money(80_000_00), Money(64_000_00)),
            (None, 1, Money(1_000_00), Money(500_00)),
            (Some(WON), 2, Money(65_600_00), Money(65_600_00)),
            (Some(LOST), 1, Money(156_000_00), Money(0)),
        ]
    );
    // Closed before the period: not on the board's outcome columns.
    let cfg = ForecastConfig { closed_since: Some(d(2026, 3, 15)), ..config(Dimension::Owner) };
    let f = forecast(&opps, &Stages::default(), &customers, &[], as_of(), None, &cfg);
    let counts: Vec<u32> = f.board.iter().map(|c| c.count).collect();
    assert_eq!(counts, vec![1, 1, 0, 1, 1, 1, 1, 0]);
}

#[test]
fn the_result_serialises() {
    let (customers, opps) = dataset();
    let t = rates();
    let f = forecast(&opps, &Stages::default(), &customers, &[], as_of(), Some(&t), &config(Dimension::Category));
    let json = serde_json::to_string(&f).unwrap();
    assert!(json.contains("\"month\":\"2026-04\""), "{json}");
    let back: kehu::core::analytics::forecast::Forecast = serde_json::from_str(&json).unwrap();
    assert_eq!(
        (&back.cells, &back.months, &back.board, &back.fx, &back.plans),
        (&f.cells, &f.months, &f.board, &f.fx, &f.plans)
    );
    assert_eq!((&back.stage_times, &back.stuck, back.dimension), (&f.stage_times, &f.stuck, f.dimension));
}

#[test]
fn twenty_thousand_deals() {
    // Deal i: owner i % 10, close month i % 12 + 1 of 2026, CNY when i is even else EUR, an open
    // stage i % 5. Cells (month, owner, currency) repeat every lcm(12, 10, 2) = 60 deals: 60 cells;
    // months (month, currency) every 12: 12 rows; 4,000 deals per open stage.
    let stages = Stages::default();
    let open: Vec<&str> = stages.open().map(|s| s.id.as_str()).collect();
    let customers: Vec<Customer> =
        (0..1000).map(|k| customer(&format!("C{k}"), &format!("R{}", k % 7), Currency::CNY)).collect();
    let opps: Vec<Opportunity> = (0..20_000u32)
        .map(|i| {
            let cur = if i % 2 == 0 { Currency::CNY } else { Currency::EUR };
            let mut o = deal(
                &format!("O{i}"),
                &format!("C{}", i % 1000),
                &format!("rep{}", i % 10),
                open[(i % 5) as usize],
                cur,
                i64::from(i) * 100,
                Some(d(2026, i % 12 + 1, 1)),
                d(2026, 1, 1),
                None,
            );
            o.history[0].at = ts(2026, 1, 1 + i % 28);
            o
        })
        .collect();
    let t = rates();
    // Not a timed test: the timing (the best of three runs) is printed for the record.
    let best = |fx: Option<&FxTable>| {
        let mut times = Vec::new();
        let mut out = None;
        for _ in 0..3 {
            let started = std::time::Instant::now();
            out = Some(forecast(&opps, &stages, &customers, &[], d(2026, 3, 31), fx, &ForecastConfig::default()));
            times.push(started.elapsed());
        }
        (out.unwrap(), times.into_iter().min().unwrap())
    };
    let (f, per_currency) = best(None);
    let (g, in_cny) = best(Some(&t));
    eprintln!("forecast of 20k deals: {per_currency:?} per currency, {in_cny:?} in CNY");
    assert_eq!(f.cells.len(), 60);
    assert_eq!(f.months.len(), 12);
    // In CNY: (month, owner) pairs, still 60 (the month fixes the currency).
    assert_eq!(g.cells.len(), 60);
    assert_eq!(g.fx.as_ref().map(Coverage::is_complete), Some(true));
    assert_eq!(f.board.len(), 7);
    assert!(f.board[..5].iter().all(|c| c.count == 4_000));
    // Every deal still in its first stage: 5 stages, each with everyone and its 2 owners (i % 5 is fixed by i % 10).
    assert_eq!(f.stage_times.len(), 5 * 3);
    let total: i64 = f.months.iter().filter(|c| c.currency == Currency::CNY).map(|c| c.amounts.open.0).sum();
    // Σ of i × 100 over the even i below 20,000 = 100 × 2 × (0 + … + 9,999) = 9,999,000,000.
    assert_eq!(total, 9_999_000_000);
}

// ---------------------------------------------------------------------------------------------
// The pipeline as CSV

mod pipeline_csv {
    use super::*;
    use kehu::core::analytics::csv::CsvProblem;
    use kehu::core::analytics::csv::{
        OppRowError, OppRowProblem, PIPELINE_COLUMNS, parse_opportunities_csv, pipeline_csv, pipeline_csv_rows,
    };
    use kehu::core::csv::CsvError;
    use kehu::core::validate::{Problem, Validate};

    #[test]
    fn the_export_has_every_computed_column() {
        let (customers, mut opps) = dataset();
        opps[6].title = "=HYPERLINK(\"x\")".into();
        opps[6].team = vec!["李娜".into(), "张伟".into()];
        opps[6].estimated_cost = Some(Money(6_500_00));
        opps[6].source = Some(OppSource::Visit);
        opps[6].source_id = Some("V1".into());
        opps[6].next_step = "call, then visit".into();
        let t = rates();
        let f = forecast(&opps, &Stages::default(), &customers, &[], as_of(), Some(&t), &ForecastConfig::default());
        let csv = pipeline_csv(&opps, &customers, &f, Some(&t));
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines[0], PIPELINE_COLUMNS.join(","));
        assert_eq!(lines.len(), 2 + opps.len(), "a header, a line per deal, and the final CRLF");
        // D2: €10,000 at 80 % → €8,000; at 8 (its close on 05-20) ¥80,000 and ¥64,000; in
        // negotiation since its creation on 01-03: 88 days at the end of 03-31; alone in its stage,
        // so its own median: not stuck.
        assert_eq!(
            lines[2],
            "D2,C2,C2,D2,negotiation,open,10000.00,EUR,80,8000.00,CNY,80000.00,64000.00,2026-05-20,Anna,,A,,,,88,false,,,,,,,,2026-01-03"
        );
        // D3 in USD has no rate: no reporting amounts.
        assert_eq!(
            lines[3],
            "D3,C3,C3,D3,lead,open,5000.00,USD,10,500.00,CNY,,,2026-04-10,Anna,,,,,,59,false,,,,,,,,2026-02-01"
        );
        // D5 lost on 02-20 (at 7.8: ¥156,000, weighted 0): no days in stage, no stuck flag.
        assert_eq!(
            lines[5],
            "D5,C2,C2,D5,lost,lost,20000.00,EUR,0,0.00,CNY,156000.00,0.00,,Anna,,,,,,,,,,,,2026-02-20,price,,2026-01-05"
        );
        // D7: a formula neutralised, a comma quoted, margin 8,000 − 6,500.
        assert_eq!(
            lines[7],
            "D7,C1,C1,\"'=HYPERLINK(\"\"x\"\")\",qualified,open,8000.00,CNY,25,2000.00,CNY,8000.00,2000.00,,王磊,李娜; 张伟,,6500.00,1500.00,,31,false,visit,V1,\"call, then visit\",,,,,2026-03-01"
        );
        // Without a table: the reporting columns are empty.
        let f = forecast(&opps, &Stages::default(), &customers, &[], as_of(), None, &ForecastConfig::default());
        let csv = pipeline_csv_rows(&opps, &customers, &f, None, [1]);
        assert_eq!(
            csv.split("\r\n").nth(1),
            Some(
                "D2,C2,C2,D2,negotiation,open,10000.00,EUR,80,8000.00,,,,2026-05-20,Anna,,A,,,,88,false,,,,,,,,2026-01-03"
            )
        );
    }

    #[test]
    fn the_stuck_flag_comes_from_the_forecast() {
        let opps = histories();
        let f = forecast(&opps, &Stages::default(), &[], &[], as_of(), None, &ForecastConfig::default());
        let csv = pipeline_csv(&opps, &[], &f, None);
        let col = |name: &str| PIPELINE_COLUMNS.iter().position(|c| *c == name).unwrap();
        let got: Vec<(String, String, String)> = csv
            .split("\r\n")
            .skip(1)
            .filter(|l| !l.is_empty())
            .map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                (f[0].to_string(), f[col("days_in_stage")].to_string(), f[col("stuck")].to_string())
            })
            .collect();
        let want = [("S1", "29", "true"), ("S2", "26", "false"), ("S3", "", ""), ("S4", "7", "true")];
        assert_eq!(got, want.map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string())));
    }

    const HEADER: [&str; 16] = [
        "customer_id",
        "title",
        "stage",
        "amount",
        "currency",
        "probability",
        "expected_close",
        "created",
        "lost_reason",
        "lost_note",
        "source",
        "team",
        "closed_on",
        "quantity",
        "product",
        "category",
    ];

    fn csv(rows: &[&[(&str, &str)]]) -> String {
        let mut out = HEADER.join(",") + "\n";
        for r in rows {
            let fields: Vec<String> = HEADER
                .iter()
                .map(|h| {
                    let v = r.iter().find(|(k, _)| k == h).map_or("", |(_, v)| v);
                    if v.contains(',') { format!("\"{v}\"") } else { v.to_string() }
                })
                .collect();
            out += &(fields.join(",") + "\n");
        }
        out
    }

    #[test]
    fn import_reports_each_bad_field_by_line_and_column() {
        let now = ts(2026, 3, 31);
        let x = [("customer_id", "C1"), ("title", "X")];
        let with = |more: &[(&'static str, &'static str)]| -> Vec<(&'static str, &'static str)> {
            x.iter().chain(more).copied().collect()
        };
        use OppRowProblem::{Csv, Invalid, Unknown};
        // (row, column, problem); each row on its own line, from line 2.
        let cases: Vec<(Vec<(&str, &str)>, &str, OppRowProblem)> = vec![
            (vec![("customer_id", "C1"), ("title", " ")], "title", Invalid(Problem::Required)),
            (vec![("title", "X")], "customer_id", Csv(CsvProblem::Required)),
            (with(&[("stage", "pilot")]), "stage", Unknown),
            (with(&[("amount", "-5")]), "amount", Csv(CsvProblem::Negative)),
            (with(&[("amount", "1.005")]), "amount", Csv(CsvProblem::TooManyDecimals)),
            (with(&[("amount", "10"), ("currency", "XYZ1")]), "currency", Csv(CsvProblem::InvalidCurrency)),
            (with(&[("probability", "150")]), "probability", Invalid(Problem::OutOfRange { min: 0, max: 100 })),
            (with(&[("probability", "abc")]), "probability", Csv(CsvProblem::InvalidNumber)),
            (with(&[("expected_close", "31/12/2026")]), "expected_close", Csv(CsvProblem::InvalidDate)),
            (
                with(&[("expected_close", "2026-02-01"), ("created", "2026-03-01")]),
                "expected_close",
                Invalid(Problem::DateOrder),
            ),
            (with(&[("stage", "won"), ("amount", "0")]), "amount", Invalid(Problem::Required)),
            (with(&[("stage", "lost"), ("lost_reason", "other")]), "lost_note", Invalid(Problem::Required)),
            (with(&[("stage", "lost"), ("lost_reason", "cheap")]), "lost_reason", Unknown),
            (with(&[("source", "fair")]), "source", Unknown),
            (with(&[("team", "Anna; anna")]), "team", Invalid(Problem::Duplicate)),
            (with(&[("quantity", "many"), ("product", "P")]), "quantity", Csv(CsvProblem::InvalidNumber)),
            (with(&[("category", "x"), ("product", " "), ("quantity", "2")]), "product", Invalid(Problem::Required)),
            (
                with(&[("stage", "won"), ("amount", "5"), ("created", "2026-03-01"), ("closed_on", "2026-02-01")]),
                "closed_on",
                Invalid(Problem::DateOrder),
            ),
        ];
        for (k, (row, column, problem)) in cases.iter().enumerate() {
            let text = csv(&[row.as_slice()]);
            let parsed = parse_opportunities_csv(&text, &Stages::default(), Currency::CNY, now).unwrap();
            let want = vec![OppRowError { line: 2, column: column.to_string(), problem: *problem }];
            assert_eq!(parsed.errors, want, "case {k}: {row:?}");
            assert!(parsed.opportunities.is_empty(), "case {k}");
            assert_eq!(parsed.rows, 1);
        }
        // A missing required column is fatal.
        assert_eq!(
            parse_opportunities_csv("customer_id,amount\nC1,5\n", &Stages::default(), Currency::CNY, now),
            Err(CsvError::MissingColumn("title".into()))
        );
        // Keys: the other imports' for reading problems, the forms' for the rules.
        assert_eq!(Csv(CsvProblem::InvalidDate).key(), "csv_invalid_date");
        assert_eq!(Unknown.key(), "csv_unknown_value");
        assert_eq!(Invalid(Problem::DateOrder).key(), "err_date_order");
    }

    #[test]
    fn import_keeps_good_rows_and_fills_defaults() {
        let now = ts(2026, 3, 31);
        let text = csv(&[
            &[
                ("customer_id", "C1"),
                ("title", "Spindles"),
                ("stage", "Quote"),
                ("amount", "1,200.50"),
                ("expected_close", "20260630"),
                ("created", "2026-03-01"),
                ("source", "visit"),
                ("team", "A| B"),
                ("product", "VMC"),
                ("quantity", "3"),
            ],
            &[("customer_id", "C1"), ("stage", "nope")],
            &[
                ("customer_id", "C2"),
                ("title", "Won deal"),
                ("stage", "won"),
                ("amount", "500"),
                ("currency", "EUR"),
                ("created", "2026-01-05"),
                ("closed_on", "2026-02-10"),
            ],
        ]);
        let parsed = parse_opportunities_csv(&text, &Stages::default(), Currency::CNY, now).unwrap();
        assert_eq!(parsed.rows, 3);
        assert_eq!(
            parsed.errors,
            vec![OppRowError { line: 3, column: "stage".into(), problem: OppRowProblem::Unknown }],
            "the bad stage is reported (the blank title would be too, once the stage is right)"
        );
        let [a, b] = parsed.opportunities.as_slice() else { panic!("{:?}", parsed.opportunities) };
        assert_eq!(
            (a.id.as_str(), a.stage.as_str(), a.probability, a.amount, a.currency),
            ("row-2", "quote", 60, Money(1_200_50), Currency::CNY)
        );
        assert_eq!(
            (a.expected_close, a.source, a.team.clone()),
            (Some(d(2026, 6, 30)), Some(OppSource::Visit), vec!["A".to_string(), "B".to_string()])
        );
        assert_eq!(a.lines, vec![OppLine { product: "VMC".into(), category: String::new(), quantity: 3 }]);
        assert_eq!(a.history, vec![StageChange { stage: "quote".into(), at: ts(2026, 3, 1), by: String::new() }]);
        assert_eq!((a.created_at, a.updated_at), (ts(2026, 3, 1), now));
        // Won: lead at the creation, won on the close date, at 100 %.
        assert_eq!(
            (b.stage.as_str(), b.probability, b.closed_on, b.currency),
            (WON, 100, Some(d(2026, 2, 10)), Currency::EUR)
        );
        let moves: Vec<(&str, Timestamp)> = b.history.iter().map(|h| (h.stage.as_str(), h.at)).collect();
        assert_eq!(moves, vec![("lead", ts(2026, 1, 5)), (WON, ts(2026, 2, 10))]);
        assert!(parsed.opportunities.iter().all(|o| o.validate().is_ok()));
    }

    #[test]
    fn an_export_imports_again() {
        let (customers, opps) = dataset();
        let f = forecast(&opps, &Stages::default(), &customers, &[], as_of(), None, &ForecastConfig::default());
        let csv = pipeline_csv(&opps, &customers, &f, None);
        let parsed = parse_opportunities_csv(&csv, &Stages::default(), Currency::CNY, ts(2026, 3, 31)).unwrap();
        assert_eq!(parsed.errors, vec![]);
        assert_eq!(parsed.opportunities.len(), opps.len());
        for (a, b) in opps.iter().zip(&parsed.opportunities) {
            let key = |o: &Opportunity| {
                (
                    o.id.clone(),
                    o.customer_id.clone(),
                    o.title.clone(),
                    o.stage.clone(),
                    o.amount,
                    o.currency,
                    o.probability,
                    o.expected_close,
                    o.owner.clone(),
                    o.closed_on,
                    o.lost_reason,
                    o.created_at.date_naive(),
                )
            };
            assert_eq!(key(a), key(b));
        }
    }
}
