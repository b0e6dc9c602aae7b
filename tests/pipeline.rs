//! The pipeline's views (`kehu::core::pipeline`) and the opportunity form (`core::form`): the
//! filter as it lives in the URL and what it keeps; the board's columns, their order and their
//! sums per currency and in the reporting currency (hand-computed); the form building a deal,
//! moving it, and prefilled from a visit or an inquiry.
// Tests: a panic is the test failing; tables of cases have long tuple types.
// Amounts are minor units written `major_minor` (100_000_00 is 100,000.00).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity, clippy::inconsistent_digit_grouping)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use kehu::core::form::{self, Context, Fields};
use kehu::core::fx::{Fx, Rate, RateEntry};
use kehu::core::model::*;
use kehu::core::pipeline::{self, PipelineFilter};
use kehu::core::validate::Problem;
use kehu::core::workspace::{Source, Workspace};

fn d(s: &str) -> Date {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 9, 1, 8, 0, 0).unwrap()
}

fn customer(id: &str, name: &str, region: &str) -> Customer {
    let mut c = Customer::blank(id, Currency::CNY, t0());
    c.name = name.into();
    c.region = region.into();
    c
}

fn deal(id: &str, cid: &str, stage: &str, amount: i64, cur: &str, close: Option<&str>, owner: &str) -> Opportunity {
    let stages = Stages::default();
    let mut o = Opportunity::blank(id.into(), cid.into(), &stages, owner.into(), t0());
    o.title = format!("Deal {id}");
    o.amount = Money(amount);
    o.currency = Currency::parse(cur).unwrap();
    o.expected_close = close.map(d);
    if stage != o.stage {
        o.move_to(stage, &stages, owner, t0() + chrono::Duration::days(10));
    }
    o
}

fn workspace(deals: Vec<Opportunity>) -> Workspace {
    let data = Dataset {
        customers: vec![customer("C1", "杭州精工机械", "华东"), customer("C2", "Airbus Supply", "Europe")],
        opportunities: deals,
        ..Default::default()
    };
    Workspace::new(Source::Backend { name: "t".into(), url: "http://x".into() }, data)
}

#[test]
fn the_filter_round_trips_through_the_url_and_ignores_what_it_does_not_know() {
    let f = PipelineFilter::from_pairs([
        ("view", "forecast"),
        ("by", "region"),
        ("owner", "王磊"),
        ("close", "2027-01"),
        ("stage", "quote"),
        ("q", "gear box"),
        ("unknown", "x"),
    ]);
    assert_eq!(f.view, Some(pipeline::PipelineView::Forecast));
    assert_eq!(f.by, Some(kehu::core::analytics::forecast::Dimension::Region));
    assert_eq!(f.owner.as_deref(), Some("王磊"));
    assert_eq!(f.close.as_deref(), Some("2027-01"));
    let again = PipelineFilter::from_pairs(
        f.pairs().iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>().iter().map(|(k, v)| (*k, *v)),
    );
    assert_eq!(again, f);
    assert_eq!(f.query(), "?view=forecast&by=region&q=gear%20box&owner=%E7%8E%8B%E7%A3%8A&stage=quote&close=2027-01");
    // A month that is not YYYY-MM is no filter; blank values are none.
    // The defaults (board, by owner) are not written; what is unknown is no filter.
    let bad = PipelineFilter::from_pairs([
        ("close", "2027-1"),
        ("owner", "  "),
        ("view", "board"),
        ("by", "owner"),
        ("view", "x"),
    ]);
    assert_eq!(bad, PipelineFilter::default());
    assert_eq!(PipelineFilter::default().query(), "");
}

#[test]
fn the_filter_keeps_what_each_criterion_says() {
    let mut a = deal("D1", "C1", "quote", 100_00, "CNY", Some("2027-01-15"), "王磊");
    a.team = vec!["李娜".into()];
    let b = deal("D2", "C2", "lead", 50_00, "EUR", None, "Anna");
    let mut won = deal("D3", "C1", "won", 70_00, "CNY", Some("2027-03-01"), "王磊");
    won.closed_on = Some(d("2026-12-20"));
    let w = workspace(vec![a, b, won]);
    let ids = |f: PipelineFilter| -> Vec<String> {
        pipeline::filter(&w, &f, None).into_iter().map(|i| w.data.opportunities[i].id.clone()).collect()
    };
    let table: Vec<(PipelineFilter, Vec<&str>)> = vec![
        (PipelineFilter::default(), vec!["D1", "D2", "D3"]),
        (PipelineFilter { owner: Some("王磊".into()), ..Default::default() }, vec!["D1", "D3"]),
        (PipelineFilter { owner: Some("anna".into()), ..Default::default() }, vec!["D2"]), // case folded
        (PipelineFilter { team: Some("李娜".into()), ..Default::default() }, vec!["D1"]),
        (PipelineFilter { team: Some("Anna".into()), ..Default::default() }, vec!["D2"]), // the owner is on the team
        (PipelineFilter { region: Some("华东".into()), ..Default::default() }, vec!["D1", "D3"]),
        (PipelineFilter { stage: Some("lead".into()), ..Default::default() }, vec!["D2"]),
        // An open deal by its expected close; a closed one by when it closed.
        (PipelineFilter { close: Some("2027-01".into()), ..Default::default() }, vec!["D1"]),
        (PipelineFilter { close: Some("2026-12".into()), ..Default::default() }, vec!["D3"]),
        (PipelineFilter { close: Some("2027-03".into()), ..Default::default() }, vec![]),
        (PipelineFilter { q: "精工 d1".into(), ..Default::default() }, vec!["D1"]), // customer name + title
        (PipelineFilter { q: "airbus".into(), ..Default::default() }, vec!["D2"]),
    ];
    for (f, want) in table {
        assert_eq!(ids(f.clone()), want, "{f:?}");
    }
}

#[test]
fn the_board_has_a_column_per_stage_with_counts_and_sums_never_across_currencies_without_a_rate() {
    let deals = vec![
        deal("D1", "C1", "quote", 100_000_00, "CNY", Some("2027-02-01"), "王磊"), // 60 %
        deal("D2", "C1", "quote", 20_000_00, "CNY", None, "王磊"),
        deal("D3", "C2", "quote", 10_000_00, "EUR", Some("2027-01-10"), "Anna"),
        deal("D4", "C2", "lead", 3_333_33, "USD", None, "Anna"), // 10 %: 333 333 × 10 / 100 = 33 333.3 → 33 333
        deal("D5", "C1", "mystery", 1_00, "CNY", None, "王磊"),  // a stage the workspace lacks
    ];
    let w = workspace(deals);
    let all: Vec<usize> = (0..w.data.opportunities.len()).collect();
    let stages = Stages::default();
    let cols = pipeline::board(&w, &all, &stages, None, d("2026-12-01"));
    let ids: Vec<&str> = cols.iter().map(|c| c.stage.as_str()).collect();
    assert_eq!(ids, ["lead", "qualified", "solution", "quote", "negotiation", "", "won", "lost"]);
    let quote = &cols[3];
    // By expected close, undated last, then larger first.
    let order: Vec<&str> = quote.items.iter().map(|&i| w.data.opportunities[i].id.as_str()).collect();
    assert_eq!(order, ["D3", "D1", "D2"]);
    assert_eq!(quote.amount.by_currency[&Currency::CNY], Money(120_000_00));
    assert_eq!(quote.amount.by_currency[&Currency::EUR], Money(10_000_00));
    // 60 % of each: 72 000.00 CNY and 6 000.00 EUR.
    assert_eq!(quote.weighted.by_currency[&Currency::CNY], Money(72_000_00));
    assert_eq!(quote.weighted.by_currency[&Currency::EUR], Money(6_000_00));
    assert_eq!(quote.amount.reporting, None, "no table: no sum across currencies");
    assert_eq!(cols[0].weighted.by_currency[&Currency::USD], Money(33_333));
    assert_eq!(cols[5].items.len(), 1, "the unknown stage's deal is shown, not lost");
    assert!(cols[1].items.is_empty());

    // With rates: EUR 7.8 from 2026-01-01, 8.0 from 2027-01-05; USD has none.
    let fx = Fx {
        reporting: Currency::CNY,
        rates: vec![
            RateEntry { currency: Currency::EUR, valid_from: d("2026-01-01"), rate: Rate::parse("7.8").unwrap() },
            RateEntry { currency: Currency::EUR, valid_from: d("2027-01-05"), rate: Rate::parse("8.0").unwrap() },
        ],
    };
    let table = fx.table();
    let cols = pipeline::board(&w, &all, &stages, Some(&table), d("2026-12-01"));
    // D3 closes 2027-01-10: 10 000 EUR × 8.0 = 80 000 CNY; + 120 000 CNY = 200 000.00.
    assert_eq!(cols[3].amount.reporting, Some(Money(200_000_00)));
    // Weighted: 6 000 × 8.0 + 72 000 = 120 000.00.
    assert_eq!(cols[3].weighted.reporting, Some(Money(120_000_00)));
    assert!(cols[3].amount.unrated.is_empty());
    // The lead column holds USD only, which has no rate: no sum, the currency named.
    assert_eq!(cols[0].amount.reporting, None);
    assert_eq!(cols[0].amount.unrated, vec![Currency::USD]);
    // An undated EUR deal converts at today's rate (7.8).
    let w2 = workspace(vec![deal("E", "C2", "quote", 1_000_00, "EUR", None, "Anna")]);
    let cols = pipeline::board(&w2, &[0], &stages, Some(&table), d("2026-12-01"));
    assert_eq!(cols[3].amount.reporting, Some(Money(7_800_00)));
}

fn cx<'a>(new_id: &'a str) -> Context<'a> {
    Context { customer_id: "C1", new_id, now: t0(), today: t0().date_naive(), me: "王磊" }
}

fn fields(pairs: &[(&str, &str)]) -> Fields {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn the_form_builds_a_deal_in_the_chosen_stage_with_one_history_entry() {
    let stages = Stages::default();
    let mut f = form::opportunity_fields(None, &stages, Currency::EUR, "王磊");
    assert_eq!(f["stage"], "lead");
    assert_eq!(f["probability"], "10");
    assert_eq!(f["currency"], "EUR");
    f.extend(fields(&[
        ("title", "A320 bracket kit"),
        ("stage", "quote"),
        ("probability", "60"),
        ("amount", "125,000.50"),
        ("expected_close", "2027-03-31"),
        ("team", "李娜, Anna"),
        ("lines", "Bracket × 400\nFastener set x 20\nTooling"),
        ("estimated_cost", "90000"),
        ("competitors", "Competitor A; Competitor B"),
        ("source", "visit"),
    ]));
    let o = form::build_opportunity(&f, None, &stages, &cx("D-new"), true, None).unwrap();
    assert_eq!((o.id.as_str(), o.customer_id.as_str(), o.stage.as_str()), ("D-new", "C1", "quote"));
    assert_eq!(o.amount, Money(12_500_050));
    assert_eq!(o.probability, 60);
    assert_eq!(o.margin(), Some(Money(3_500_050)));
    assert_eq!(o.team, ["李娜", "Anna"]);
    assert_eq!(o.competitors, ["Competitor A", "Competitor B"]);
    let lines: Vec<(&str, u32)> = o.lines.iter().map(|l| (l.product.as_str(), l.quantity)).collect();
    assert_eq!(lines, [("Bracket", 400), ("Fastener set", 20), ("Tooling", 1)]);
    assert_eq!(o.source, Some(OppSource::Visit));
    assert_eq!(o.history.len(), 1, "created in the quote stage: {:?}", o.history);
    assert_eq!((o.history[0].stage.as_str(), o.history[0].by.as_str()), ("quote", "王磊"));
    // The form shows it back as it was typed (amounts without grouping).
    let back = form::opportunity_fields(Some(&o), &stages, Currency::CNY, "x");
    assert_eq!(back["amount"], "125000.50");
    assert_eq!(back["lines"], "Bracket × 400\nFastener set × 20\nTooling × 1");
}

#[test]
fn the_form_names_each_bad_field() {
    let stages = Stages::default();
    let base = form::opportunity_fields(None, &stages, Currency::CNY, "王磊");
    let table: Vec<(&[(&str, &str)], &str, Problem)> = vec![
        (&[("title", "")], "title", Problem::Required),
        (&[("title", "x"), ("amount", "12.5x")], "amount", Problem::InvalidNumber),
        (&[("title", "x"), ("amount", "-5")], "amount", Problem::Negative),
        (&[("title", "x"), ("probability", "120")], "probability", Problem::OutOfRange { min: 0, max: 100 }),
        (&[("title", "x"), ("probability", "abc")], "probability", Problem::InvalidNumber),
        (&[("title", "x"), ("expected_close", "2026-13-01")], "expected_close", Problem::InvalidDate),
        (&[("title", "x"), ("expected_close", "2026-08-01")], "expected_close", Problem::DateOrder),
        (&[("title", "x"), ("stage", "won")], "amount", Problem::Required),
        (&[("title", "x"), ("stage", "lost"), ("amount", "5")], "lost_reason", Problem::Required),
        (&[("title", "x"), ("stage", "lost"), ("lost_reason", "lateness")], "lost_reason", Problem::Required),
        (
            &[("title", "x"), ("stage", "lost"), ("amount", "5"), ("lost_reason", "other")],
            "lost_note",
            Problem::Required,
        ),
        (&[("title", "x"), ("currency", "??")], "currency", Problem::Required),
        (&[("title", "x"), ("team", "A, a")], "team[1]", Problem::Duplicate),
    ];
    for (patch, field, problem) in table {
        let mut f = base.clone();
        f.extend(fields(patch));
        let e = form::build_opportunity(&f, None, &stages, &cx("D"), true, None).unwrap_err();
        assert!(e.has(field, problem), "{patch:?}: {e:?}");
    }
    // On a backend that cannot store a lost reason, a deal is marked lost without one.
    let mut f = base.clone();
    f.extend(fields(&[("title", "x"), ("stage", "lost")]));
    let lost = form::build_opportunity(&f, None, &stages, &cx("D"), false, None).unwrap();
    assert_eq!((lost.stage.as_str(), lost.lost_reason), ("lost", None));
}

#[test]
fn editing_the_stage_is_a_move_in_the_history_and_lost_keeps_its_reason() {
    let stages = Stages::default();
    let o = form::build_opportunity(
        &fields(&[
            ("title", "Gearbox"),
            ("stage", "qualified"),
            ("probability", "25"),
            ("currency", "CNY"),
            ("amount", "100"),
        ]),
        None,
        &stages,
        &cx("D1"),
        true,
        None,
    )
    .unwrap();
    let later = Context { now: t0() + chrono::Duration::days(30), me: "李娜", ..cx("unused") };
    // The form put the new stage's default probability in (what the UI does); the user kept it.
    let mut f = form::opportunity_fields(Some(&o), &stages, Currency::CNY, "李娜");
    f.insert("stage".into(), "negotiation".into());
    f.insert("probability".into(), "80".into());
    let moved = form::build_opportunity(&f, Some(o.clone()), &stages, &later, true, None).unwrap();
    assert_eq!(moved.history.len(), 2);
    assert_eq!(moved.history[1].stage, "negotiation");
    assert_eq!(moved.history[1].by, "李娜");
    assert_eq!(moved.history[1].at, later.now);
    assert_eq!(moved.probability, 80);
    // A probability typed by the user wins.
    f.insert("probability".into(), "70".into());
    assert_eq!(form::build_opportunity(&f, Some(o.clone()), &stages, &later, true, None).unwrap().probability, 70);
    // Lost with its reason: closed that day, reason kept; reopened: no outcome left.
    let mut f = form::opportunity_fields(Some(&moved), &stages, Currency::CNY, "李娜");
    f.extend(fields(&[("stage", "lost"), ("lost_reason", "price"), ("lost_note", "30 % under us")]));
    let lost = form::build_opportunity(&f, Some(moved.clone()), &stages, &later, true, None).unwrap();
    assert_eq!(lost.lost_reason, Some(LostReason::Price));
    assert_eq!(lost.closed_on, Some(later.now.date_naive()));
    assert_eq!(lost.probability, 0, "a lost deal has no chance, whatever the field said");
    let mut f = form::opportunity_fields(Some(&lost), &stages, Currency::CNY, "李娜");
    f.insert("stage".into(), "quote".into());
    let reopened = form::build_opportunity(&f, Some(lost), &stages, &later, true, None).unwrap();
    assert_eq!((reopened.closed_on, reopened.lost_reason, reopened.lost_note.as_str()), (None, None, ""));
    assert_eq!(reopened.history.len(), 4);
}

#[test]
fn a_new_deal_starts_from_its_visit_or_inquiry() {
    let stages = Stages::default();
    let mut v = Visit::planned("V9".into(), "C1".into(), d("2026-09-01"), "王磊".into(), t0());
    v.outcome = "客户计划扩产，需要 12 台加工中心".into();
    v.next_step = "发送报价".into();
    v.next_step_date = Some(d("2026-09-10"));
    let mut f = form::opportunity_fields(None, &stages, Currency::CNY, "王磊");
    form::opportunity_from_visit(&mut f, &v);
    let o = form::build_opportunity(&f, None, &stages, &cx("D"), true, None).unwrap();
    assert_eq!(o.title, "客户计划扩产，需要 12 台加工中心");
    assert_eq!((o.source, o.source_id.as_deref()), (Some(OppSource::Visit), Some("V9")));
    assert_eq!((o.next_step.as_str(), o.next_step_date), ("发送报价", Some(d("2026-09-10"))));

    let t = ServiceTicket {
        id: "T4".into(),
        customer_id: "C1".into(),
        kind: TicketKind::Inquiry,
        stage: ServiceStage::PreSales,
        severity: Severity::Low,
        status: TicketStatus::Open,
        title: "Price for 200 bearings".into(),
        description: String::new(),
        resolution: String::new(),
        order_id: None,
        product: Some("Bearing 6204".into()),
        assignee: None,
        opened_at: t0(),
        sla_due: t0(),
        resolved_at: None,
        closed_at: None,
        updated_at: t0(),
        photos: vec![],
    };
    let mut f = form::opportunity_fields(None, &stages, Currency::CNY, "王磊");
    form::opportunity_from_ticket(&mut f, &t);
    let o = form::build_opportunity(&f, None, &stages, &cx("D"), true, None).unwrap();
    assert_eq!(
        (o.title.as_str(), o.source, o.source_id.as_deref()),
        ("Price for 200 bearings", Some(OppSource::Inquiry), Some("T4"))
    );
    assert_eq!(o.lines[0].product, "Bearing 6204");
}

#[test]
fn a_potential_customer_with_an_open_deal_is_in_pursuit_and_its_pipeline_is_in_prospecting() {
    use kehu::core::analytics::lifecycle::{Stage, Strategy};
    let mut lost = deal("D2", "C2", "lead", 5_00, "CNY", None, "Anna");
    lost.move_to("lost", &Stages::default(), "Anna", t0() + chrono::Duration::days(3));
    lost.lost_reason = Some(LostReason::Price);
    let w = workspace(vec![
        deal("D1", "C1", "quote", 100_000_00, "CNY", Some("2027-02-01"), "王磊"),
        deal("D3", "C1", "lead", 10_000_00, "EUR", None, "王磊"),
        lost,
    ]);
    let cfg = kehu::core::analytics::AnalysisConfig::default();
    let a = kehu::core::analytics::analyze_workspace(&w, &cfg, d("2026-12-01"));
    let stage_of = |id: &str| a.rows[w.customer_index(id).unwrap()].stage;
    assert_eq!(stage_of("C1"), Stage::InPursuit);
    assert_eq!(Stage::InPursuit.strategy(), Strategy::Pursue);
    assert_eq!(stage_of("C2"), Stage::Potential, "a lost deal is no pursuit");
    // Before the deals were created, nobody was in pursuit.
    let before = kehu::core::analytics::analyze_workspace(&w, &cfg, d("2026-08-01"));
    assert_eq!(before.rows[w.customer_index("C1").unwrap()].stage, Stage::Potential);

    let i = w.customer_index("C1").unwrap();
    let oa = kehu::core::analytics::orders::order_analytics(&w.data.customers[i], [], d("2026-12-01"));
    let card = kehu::core::analytics::scorecard::scorecard(&w.data.customers[i], &[], &oa, Some((&a, i)))
        .with_pipeline(w.data.opportunities.iter().filter(|o| o.customer_id == "C1"));
    let p: Vec<(Currency, u32, Money, Money)> =
        card.prospecting.open_pipeline.iter().map(|p| (p.currency, p.deals, p.amount, p.weighted)).collect();
    // Per currency, never summed: CNY 100 000 at 60 % = 60 000; EUR 10 000 at 10 % = 1 000.
    assert_eq!(
        p,
        vec![
            (Currency::CNY, 1, Money(100_000_00), Money(60_000_00)),
            (Currency::EUR, 1, Money(10_000_00), Money(1_000_00))
        ]
    );
}

#[test]
fn a_backend_deal_without_an_amount_or_with_a_bad_move_time_is_kept() {
    use kehu::core::rest::mapping::from_remote;
    let p = kehu::core::rest::presets::profile("json-server", Some("http://127.0.0.1:3000")).unwrap();
    let r = &p.resources[&Entity::Opportunities];
    let v = serde_json::json!({"id": "D1", "customer_id": "C1", "title": "Lead", "stage": "lead", "amount": null,
        "history": [{"stage": "lead", "at": "yesterday"}], "created_at": "2026-09-01T08:00:00Z", "updated_at": "2026-09-02T08:00:00Z"});
    let (rec, note) = from_remote(Entity::Opportunities, r, &v, t0()).unwrap();
    let kehu::core::record::Record::Opportunities(o) = rec else { panic!("not an opportunity") };
    assert_eq!(o.amount, Money(0));
    assert_eq!(o.history[0].at, Utc.with_ymd_and_hms(2026, 9, 1, 8, 0, 0).unwrap(), "dated by its creation");
    assert_eq!(note.problems.len(), 1, "{:?}", note.problems);
    assert_eq!(note.problems[0].field, "history[0].at");
}

#[test]
fn the_segment_criterion_keeps_the_deals_of_customers_in_that_rfm_segment() {
    use kehu::core::demo::{DemoConfig, generate};
    let as_of = d("2026-11-01");
    let data = generate(&DemoConfig { seed: 7, customers: 300, as_of });
    let w = Workspace::new(Source::Demo { seed: 7, customers: 300 }, data);
    let cfg = kehu::core::analytics::AnalysisConfig { fx: kehu::core::demo::rates(as_of), ..Default::default() };
    let a = kehu::core::analytics::analyze_workspace(&w, &cfg, as_of);
    let segment_of = |o: &Opportunity| w.customer_index(&o.customer_id).and_then(|i| a.segment_key(i));
    // A segment some deal's customer is in.
    let key = w.data.opportunities.iter().find_map(segment_of).expect("a deal of a scored customer").to_string();
    let f = PipelineFilter { segment: Some(key.clone()), ..Default::default() };
    let kept = pipeline::filter(&w, &f, Some(&a));
    let want: Vec<usize> = (0..w.data.opportunities.len())
        .filter(|&i| segment_of(&w.data.opportunities[i]) == Some(key.as_str()))
        .collect();
    assert!(
        !want.is_empty() && want.len() < w.data.opportunities.len(),
        "{} of {}",
        want.len(),
        w.data.opportunities.len()
    );
    assert_eq!(kept, want);
    // The URL keeps it; without the analysis (not computed yet) nothing is claimed to be in it.
    assert_eq!(PipelineFilter::from_pairs([("segment", key.as_str())]), f);
    assert!(pipeline::filter(&w, &f, None).is_empty());
}

/// A `data:` URL of `bytes` bytes (all zero: base64 `A`s, padded).
fn data_url(mime: &str, bytes: usize) -> String {
    let mut b64 = "A".repeat(bytes.div_ceil(3) * 4);
    let pad = (3 - bytes % 3) % 3;
    b64.replace_range(b64.len() - pad.., &"=".repeat(pad));
    format!("data:{mime};base64,{b64}")
}

#[test]
fn a_deals_documents_are_pdf_image_word_or_excel_files_within_the_cap() {
    // (what, name, data URL, is a document, is a photo, size)
    let cases: Vec<(&str, &str, String, bool, bool, Option<usize>)> = vec![
        ("a PDF quote", "报价单.pdf", data_url("application/pdf", 10), true, false, Some(10)),
        (
            "an Excel price list",
            "prices.xlsx",
            data_url("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 4),
            true,
            false,
            Some(4),
        ),
        ("an old Word file", "spec.doc", data_url("application/msword", 5), true, false, Some(5)),
        ("a drawing as PNG is both", "drawing.png", data_url("image/png", 3), true, true, Some(3)),
        ("a zip", "all.zip", data_url("application/zip", 3), false, false, Some(3)),
        ("HTML is never a document", "x.html", data_url("text/html", 3), false, false, Some(3)),
        ("not base64", "a.pdf", "data:application/pdf,%25PDF".into(), false, false, None),
        ("bad characters", "a.pdf", "data:application/pdf;base64,<b>".into(), false, false, None),
        ("empty", "a.pdf", "data:application/pdf;base64,".into(), false, false, None),
        ("not a data URL", "a.pdf", "https://example.com/a.pdf".into(), false, false, None),
        (
            "the largest file that fits",
            "big.pdf",
            data_url("application/pdf", MAX_DOCUMENT_FILE_BYTES),
            true,
            false,
            Some(MAX_DOCUMENT_FILE_BYTES),
        ),
        ("over the cap", "huge.pdf", data_url("application/pdf", 1_500_000), false, false, None),
    ];
    for (what, name, url, doc, photo, size) in cases {
        let a = Attachment { name: name.into(), data_url: url };
        assert_eq!((a.is_document(), a.is_photo(), a.size()), (doc, photo, size), "{what}");
    }
    let types = [
        ("Q.PDF", Some("application/pdf")),
        ("a.b.xlsx", Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")),
        ("x.jpeg", Some("image/jpeg")),
        ("noext", None),
        ("a.exe", None),
    ];
    for (name, want) in types {
        assert_eq!(document_type_of(name), want, "{name}");
    }
}

#[test]
fn the_form_attaches_documents_and_validation_names_the_field() {
    let stages = Stages::default();
    let f = fields(&[("title", "Harness 40 sets"), ("stage", "quote"), ("currency", "CNY"), ("amount", "350000")]);
    let quote = Attachment { name: "报价单 Q-2026-118.pdf".into(), data_url: data_url("application/pdf", 300) };
    let o = form::build_opportunity(&f, None, &stages, &cx("D"), true, Some(vec![quote.clone()])).unwrap();
    assert_eq!(o.attachments, vec![quote.clone()]);
    // A form that does not show them (the backend cannot store them) keeps the deal's.
    let kept = form::build_opportunity(&f, Some(o.clone()), &stages, &cx("D"), true, None).unwrap();
    assert_eq!(kept.attachments, vec![quote.clone()]);
    let removed = form::build_opportunity(&f, Some(o.clone()), &stages, &cx("D"), true, Some(vec![])).unwrap();
    assert!(removed.attachments.is_empty());
    // Refused, naming the field: a file of another type, or one too many.
    let zip = Attachment { name: "all.zip".into(), data_url: data_url("application/zip", 3) };
    let e = form::build_opportunity(&f, None, &stages, &cx("D"), true, Some(vec![quote.clone(), zip])).unwrap_err();
    assert_eq!(
        e.0.iter().map(|x| (x.field.as_str(), x.problem)).collect::<Vec<_>>(),
        vec![("attachments", Problem::InvalidDocument)]
    );
    let e =
        form::build_opportunity(&f, None, &stages, &cx("D"), true, Some(vec![quote; MAX_DOCUMENTS + 1])).unwrap_err();
    assert_eq!(
        e.0.iter().map(|x| (x.field.as_str(), x.problem)).collect::<Vec<_>>(),
        vec![("attachments", Problem::TooMany { max: MAX_DOCUMENTS as u32 })]
    );
    // Kept in the record's JSON (the cache, the outbox, a backend that stores the field) and read back.
    let json = serde_json::to_value(&o).unwrap();
    assert_eq!(json["attachments"][0]["name"], "报价单 Q-2026-118.pdf");
    let (back, note) = kehu::core::lenient::read(Entity::Opportunities, &json, vec![], t0()).unwrap();
    assert!(note.is_clean(), "{note:?}");
    assert_eq!(back, kehu::core::record::Record::Opportunities(o));
}
