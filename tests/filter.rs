//! The customer list's filter: URL round trips, and every criterion against the analysis and
//! receivables it reads (the lists behind the Segments charts).
// Tests: a panic is the test failing; tables of cases have long tuple types.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

use chrono::NaiveDate;
use kehu::core::analytics::abc::AbcClass;
use kehu::core::analytics::lifecycle::Stage;
use kehu::core::analytics::receivables::{AgingBucket, aging_by_currency, receivables};
use kehu::core::analytics::satisfaction::{Answered, voice_workspace};
use kehu::core::analytics::{AnalysisConfig, analyze_workspace};
use kehu::core::demo::{DemoConfig, generate};
use kehu::core::filter::CustomerFilter;
use kehu::core::model::{Currency, SupplyChainRole};
use kehu::core::workspace::{Source, Workspace};

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()
}

fn ws() -> Workspace {
    let data = generate(&DemoConfig { seed: 5, customers: 300, as_of: as_of() });
    Workspace::new(Source::Demo { seed: 5, customers: 300 }, data)
}

fn parse(q: &str) -> CustomerFilter {
    let pairs: Vec<(String, String)> = q
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k.to_string(), percent_encoding::percent_decode_str(v).decode_utf8_lossy().into_owned())
        })
        .collect();
    CustomerFilter::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

#[test]
fn filters_read_from_and_write_to_the_url() {
    let cases: Vec<(&str, CustomerFilter)> = vec![
        ("", CustomerFilter::default()),
        ("?segment=at_risk", CustomerFilter { segment: Some("at_risk".into()), ..Default::default() }),
        (
            "?abc=a&stage=mature",
            CustomerFilter { abc: Some(AbcClass::A), stage: Some(Stage::Mature), ..Default::default() },
        ),
        ("?r=5&f=1&m=3", CustomerFilter { r: Some(5), f: Some(1), m: Some(3), ..Default::default() }),
        (
            "?warning=1&unprofitable=1&aging=61_90&overdue=1&over_limit=1",
            CustomerFilter {
                warning: true,
                unprofitable: true,
                aging: Some(AgingBucket::Days61To90),
                overdue: true,
                over_limit: true,
                ..Default::default()
            },
        ),
        (
            "?q=%E6%9D%AD%E5%B7%9E%20%E6%9C%BA%E5%BA%8A&region=%E5%8D%8E%E4%B8%9C&role=oem&pool=1&tag=ISO9001",
            CustomerFilter {
                q: "杭州 机床".into(),
                region: Some("华东".into()),
                role: Some(SupplyChainRole::Oem),
                pool: true,
                tag: Some("ISO9001".into()),
                ..Default::default()
            },
        ),
        ("?owner=%E7%8E%8B%E7%A3%8A", CustomerFilter { owner: Some("王磊".into()), ..Default::default() }),
        (
            "?pool=1&member=Emily%20Chen",
            CustomerFilter { pool: true, member: Some("Emily Chen".into()), ..Default::default() },
        ),
        (
            "?segment=loyal&aging=over_90&currency=EUR&answered=csat&complained=1",
            CustomerFilter {
                segment: Some("loyal".into()),
                aging: Some(AgingBucket::Over90),
                currency: Some(Currency::EUR),
                answered: Some(Answered::Csat),
                complained: true,
                ..Default::default()
            },
        ),
    ];
    for (q, want) in cases {
        let got = parse(q);
        assert_eq!(got, want, "{q}");
        assert_eq!(got.query(), q, "written back in the same form");
    }
    // Stale or mistyped values are ignored, not errors.
    assert_eq!(parse("?r=9&abc=x&stage=dormant&colour=red&segment="), CustomerFilter::default());
    assert_eq!(parse("?abc=B").abc, Some(AbcClass::B));
    assert_eq!(
        parse("?currency=usd&answered=NPS"),
        CustomerFilter { currency: Some(Currency::USD), answered: Some(Answered::Nps), ..Default::default() }
    );
    assert_eq!(parse("?currency=euro&answered=maybe"), CustomerFilter::default());
}

#[test]
fn every_criterion_selects_exactly_its_customers() {
    let ws = ws();
    let a = analyze_workspace(&ws, &AnalysisConfig::default(), as_of());
    let rc = receivables(&ws.data.customers, &ws.data.invoices, as_of(), &kehu::core::fx::Fx::default());
    let voice = voice_workspace(&ws, as_of());
    let all: Vec<usize> = (0..ws.data.customers.len()).collect();
    let pick = |pred: &dyn Fn(usize) -> bool| all.iter().copied().filter(|&i| pred(i)).collect::<Vec<_>>();
    let seg = |k: &str| a.segments.iter().position(|s| s == k).map(|p| p as u16);
    let cases: Vec<(&str, Vec<usize>)> = vec![
        ("", all.clone()),
        ("?segment=champions", pick(&|i| a.rows[i].segment == seg("champions"))),
        ("?abc=a", pick(&|i| a.rows[i].abc == Some(AbcClass::A))),
        ("?stage=potential", pick(&|i| a.rows[i].stage == Stage::Potential)),
        ("?r=1&f=5", pick(&|i| a.rows[i].scores.is_some_and(|s| s.r == 1 && s.f == 5))),
        ("?warning=1", pick(&|i| a.rows[i].gap.is_some_and(|g| g.fires))),
        ("?unprofitable=1", pick(&|i| a.rows[i].never_profitable)),
        ("?aging=over_90", pick(&|i| rc.customers[i].aging.buckets[4].0 > 0)),
        ("?overdue=1", pick(&|i| rc.customers[i].aging.overdue.0 > 0)),
        ("?over_limit=1", pick(&|i| rc.customers[i].over_limit)),
        ("?pool=1", pick(&|i| ws.data.customers[i].in_shared_pool())),
        (
            "?role=distributor&stage=mature",
            pick(&|i| ws.data.customers[i].role == SupplyChainRole::Distributor && a.rows[i].stage == Stage::Mature),
        ),
        ("?currency=EUR", pick(&|i| ws.data.customers[i].currency == Currency::EUR)),
        (
            "?aging=1_30&currency=CNY",
            pick(&|i| ws.data.customers[i].currency == Currency::CNY && rc.customers[i].aging.buckets[1].0 > 0),
        ),
        ("?answered=csat", pick(&|i| voice.satisfaction[i].csat_answers > 0)),
        ("?answered=nps", pick(&|i| voice.satisfaction[i].nps_answers > 0)),
        ("?answered=any", pick(&|i| voice.satisfaction[i].responses > 0)),
        ("?complained=1", pick(&|i| voice.complaints[i] > 0)),
        (
            "?segment=champions&answered=csat",
            pick(&|i| a.rows[i].segment == seg("champions") && voice.satisfaction[i].csat_answers > 0),
        ),
    ];
    for (q, want) in cases {
        let got = parse(q).apply(&ws, Some(&a), Some(&rc));
        assert_eq!(got, want, "{q}");
    }
    // Sanity: the demo has customers in these groups, so the cases above are not all empty.
    for q in [
        "?segment=champions",
        "?stage=potential",
        "?warning=1",
        "?overdue=1",
        "?pool=1",
        "?abc=a",
        "?currency=EUR",
        "?answered=csat",
        "?answered=nps",
        "?complained=1",
    ] {
        assert!(!parse(q).apply(&ws, Some(&a), Some(&rc)).is_empty(), "{q} is empty in the demo");
    }
    // An owner, a region and a tag taken from the data select the customers that have them.
    let c = ws.data.customers.iter().find(|c| !c.in_shared_pool() && !c.tags.is_empty()).unwrap();
    let f = CustomerFilter {
        owner: c.owner.clone(),
        region: Some(c.region.clone()),
        tag: Some(c.tags[0].clone()),
        ..Default::default()
    };
    let got = f.apply(&ws, None, None);
    assert!(got.contains(&ws.customer_index(&c.id).unwrap()));
    assert!(got.iter().all(|&i| {
        let x = &ws.data.customers[i];
        x.owner == c.owner && x.region == c.region && x.tags.contains(&c.tags[0])
    }));
    // An account team member: the accounts they own and those whose team they are on, names
    // compared trimmed and case-folded; nobody's name selects nothing.
    let member =
        ws.data.customers.iter().flat_map(|c| c.team.iter()).next().expect("the demo has account teams").clone();
    let got = parse(&format!("?member={}", member.to_uppercase())).apply(&ws, None, None);
    let want: Vec<usize> = (0..ws.data.customers.len())
        .filter(|&i| {
            let c = &ws.data.customers[i];
            c.owner.as_deref() == Some(member.as_str()) || c.team.contains(&member)
        })
        .collect();
    assert_eq!(got, want);
    assert!(
        got.iter().any(|&i| ws.data.customers[i].owner.as_deref() != Some(member.as_str())),
        "team, not only owned"
    );
    assert!(parse("?member=%20Nobody%20").apply(&ws, None, None).is_empty());
    // Survey answers and complaints count up to the analysis date: an earlier analysis, fewer.
    let early = analyze_workspace(&ws, &AnalysisConfig::default(), NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
    let now = parse("?answered=any").apply(&ws, Some(&a), None).len();
    let then = parse("?answered=any").apply(&ws, Some(&early), None).len();
    assert!(then < now, "{then} < {now}");
    // A filter that needs the analysis shows nothing until it is there; an unknown segment nothing.
    assert!(parse("?abc=a").apply(&ws, None, Some(&rc)).is_empty());
    assert!(parse("?complained=1").apply(&ws, None, Some(&rc)).is_empty());
    assert!(parse("?segment=gold").apply(&ws, Some(&a), Some(&rc)).is_empty());
    // Search and criteria combine.
    let name = ws.data.customers[0].name.clone();
    let got = CustomerFilter { q: name.clone(), ..Default::default() }.apply(&ws, None, None);
    assert!(got.contains(&0));
}

/// The aging chart shows, per currency and bucket, the customers the list shows for its link
/// (`aging=<bucket>&currency=<currency>`) and their amounts, also with several currencies.
#[test]
fn aging_bars_match_the_lists_they_open() {
    let ws = ws();
    let rc = receivables(&ws.data.customers, &ws.data.invoices, as_of(), &kehu::core::fx::Fx::default());
    let charts = aging_by_currency(&ws.data.customers, &rc);
    assert!(charts.len() >= 2, "the demo bills in several currencies: {charts:?}");
    assert!(charts.windows(2).all(|w| w[0].customers >= w[1].customers), "most customers first");
    for chart in &charts {
        let cur = chart.currency;
        let owing = CustomerFilter { currency: Some(cur), ..Default::default() }
            .apply(&ws, None, Some(&rc))
            .into_iter()
            .filter(|&i| rc.customers[i].aging.outstanding.0 > 0)
            .count();
        assert_eq!(owing, chart.customers, "{cur:?}");
        for b in AgingBucket::ALL {
            let f = CustomerFilter { aging: Some(*b), currency: Some(cur), ..Default::default() };
            let rows = f.apply(&ws, None, Some(&rc));
            let bar = &chart.bars[*b as usize];
            assert_eq!(rows.len(), bar.customers, "{cur:?} {b:?}: {}", f.query());
            let sum = rows.iter().map(|&i| rc.customers[i].aging.buckets[*b as usize].0).sum::<i64>();
            assert_eq!(sum, bar.amount.0, "{cur:?} {b:?}");
        }
    }
    // Every customer owing something is in one chart.
    let owing = rc.customers.iter().filter(|c| c.aging.outstanding.0 > 0).count();
    assert_eq!(charts.iter().map(|c| c.customers).sum::<usize>(), owing);
}
