//! The customer list's logic: pinyin keys with the shipped table, search over the flat buffer
//! (same answers as a plain scan), sorting, filters and bulk actions.
// Tests: a panic is the test failing; tables of cases have long tuple types.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

use chrono::{NaiveDate, TimeZone, Utc};
use kehu::core::bulk::{BulkAction, PlanError, plan_visits, retain_visible};
use kehu::core::demo::{DemoConfig, generate};
use kehu::core::filter::{CustomerFilter, SortKey, sort_rows};
use kehu::core::model::Dataset;
use kehu::core::model::*;
use kehu::core::pinyin::Pinyin;
use kehu::core::workspace::{Source, Workspace};
use std::sync::Arc;

fn table() -> Arc<Pinyin> {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/public/pinyin.txt")).expect("public/pinyin.txt");
    Arc::new(Pinyin::parse(&text))
}

fn customer(id: &str, name: &str, owner: Option<&str>, tags: &[&str], updated_day: u32) -> Customer {
    let t = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
    Customer {
        name: name.into(),
        role: SupplyChainRole::EndCustomer,
        region: "华东".into(),
        country: "CN".into(),
        owner: owner.map(str::to_string),
        tags: tags.iter().map(|s| s.to_string()).collect(),
        payment_terms_days: 30,
        updated_at: Utc.with_ymd_and_hms(2025, 3, updated_day, 0, 0, 0).unwrap(),
        ..Customer::blank(id, Currency::CNY, t)
    }
}

fn small() -> Workspace {
    let customers = vec![
        customer("c1", "杭州机床有限公司", Some("王伟"), &["key"], 3),
        customer("c2", "深圳華為物流", None, &[], 1),
        customer("c3", "Acme Aerospace GmbH", Some("Li Na"), &["key", "export"], 2),
        customer("c4", "北京航空零件厂", Some("王伟"), &["export"], 4),
    ];
    let mut ws = Workspace::new(Source::Demo { seed: 1, customers: 4 }, Dataset { customers, ..Dataset::default() });
    ws.set_pinyin(table());
    ws
}

#[test]
fn the_shipped_table_covers_simplified_and_traditional() {
    let p = table();
    assert!(p.len() > 8_000, "{} characters", p.len());
    let cases = [
        ('杭', "hang"),
        ('州', "zhou"),
        ('机', "ji"),
        ('機', "ji"),
        ('床', "chuang"),
        ('華', "hua"),
        ('为', "wei"),
        ('為', "wei"),
        ('绿', "lv"),
    ];
    for (ch, want) in cases {
        assert_eq!(p.syllable(ch), Some(want), "{ch}");
    }
    assert_eq!(p.keys("杭州机床"), "hangzhoujichuang hzjc");
}

#[test]
fn polyphones_are_found_by_every_reading() {
    let p = table();
    // (character, its readings in the shipped table, first reading first)
    let readings: &[(char, &[&str])] = &[
        ('重', &["zhong", "chong"]),
        ('长', &["zhang", "chang"]),
        ('長', &["zhang", "chang"]),
        ('厦', &["sha", "xia"]),
        ('廈', &["sha", "xia"]),
        ('行', &["xing", "hang"]),
        ('大', &["da"]),
        ('杭', &["hang"]),
    ];
    for (ch, want) in readings {
        assert_eq!(&p.readings(*ch), want, "{ch}");
    }
    let customers = vec![
        customer("c1", "重庆长安汽车", None, &[], 1),
        customer("c2", "长沙远大", None, &[], 1),
        customer("c3", "厦门航空港", None, &[], 1),
        customer("c4", "中国银行杭州分行", None, &[], 1),
        customer("c5", "廈門長興貿易", None, &[], 1),
        customer("c6", "行知重工", None, &[], 1),
    ];
    let mut ws = Workspace::new(Source::Demo { seed: 1, customers: 6 }, Dataset { customers, ..Dataset::default() });
    ws.set_pinyin(p.clone());
    let cases: &[(&str, &[&str])] = &[
        ("cq", &["c1"]),
        ("chongqing", &["c1"]),
        ("zhongqing", &["c1"]),
        ("cqca", &["c1"]),
        ("chongqingchangan", &["c1"]),
        ("cs", &["c2"]),
        ("changsha", &["c2"]),
        ("xm", &["c3", "c5"]),
        ("xiamen", &["c3", "c5"]),
        ("yh", &["c4"]),
        ("yinhang", &["c4"]),
        ("zgyhhzfh", &["c4"]),
        ("xmcx", &["c5"]),
        ("hangzhi", &["c6"]),
        ("xzzg", &["c6"]),
        ("xzcg", &["c6"]),
    ];
    for (q, want) in cases {
        let got: Vec<&str> = ws.search(q).into_iter().map(|i| ws.data.customers[i].id.as_str()).collect();
        assert_eq!(&got, want, "query {q:?}");
        let typed: Vec<&str> =
            ws.search_typed(q, None).rows.into_iter().map(|i| ws.data.customers[i].id.as_str()).collect();
        assert_eq!(&typed, want, "typed query {q:?}");
    }
    // The list still sorts by the first reading.
    assert_eq!(ws.sort_name(0), "zhongqingzhanganqiche");
}

#[test]
fn spellings_per_name_are_bounded() {
    let p = table();
    // Every character polyphonic: at most MAX_VARIANTS full spellings (and as many initials).
    let cases = [
        ("行长重厦", 8),
        ("行行行行行行行行行行行行", 8),
        ("重庆", 2),
        ("杭州机床", 1),
        ("Acme", 0),
        ("超长名称Kehu", 4),
    ];
    for (name, fulls) in cases {
        let keys = p.keys(name);
        let n_chars = name.chars().count();
        let got = keys.split(' ').filter(|k| k.len() > n_chars).count();
        assert_eq!(got, fulls, "{name}: {keys}");
        assert!(fulls <= kehu::core::pinyin::MAX_VARIANTS);
        assert!(keys.split(' ').count() <= 2 * kehu::core::pinyin::MAX_VARIANTS, "{name}: {keys}");
    }
    // A hostile 100,000-character name full of polyphones: one spelling, at once.
    let long = "超长名称Kehu".repeat(12_500);
    let t = std::time::Instant::now();
    let keys = p.keys(&long);
    assert!(t.elapsed() < std::time::Duration::from_secs(2), "{:?}", t.elapsed());
    assert_eq!(keys.split(' ').count(), 2);
    assert!(
        keys.starts_with("chaozhangmingchengkehuchaozhang") || keys.starts_with("chaochangmingchengkehu"),
        "{}",
        &keys[..40]
    );
    assert_eq!(p.full("重庆"), "zhongqing");
    assert_eq!(p.full("Acme"), "");
}

#[test]
fn search_by_characters_pinyin_initials_and_latin() {
    let ws = small();
    let cases: &[(&str, &[&str])] = &[
        ("hzjc", &["c1"]),
        ("hangzhou", &["c1"]),
        ("HZJC", &["c1"]),
        ("机床", &["c1"]),
        ("shenzhenhuawei", &["c2"]),
        ("szhw", &["c2"]),
        ("acme", &["c3"]),
        ("key export", &["c3"]),
        ("bjhk", &["c4"]),
        ("zzzz", &[]),
        ("", &["c1", "c2", "c3", "c4"]),
    ];
    for (q, want) in cases {
        let got: Vec<&str> = ws.search(q).into_iter().map(|i| ws.data.customers[i].id.as_str()).collect();
        assert_eq!(&got, want, "query {q:?}");
    }
}

#[test]
fn flat_search_agrees_with_a_plain_scan_and_within_narrows() {
    let data =
        generate(&DemoConfig { seed: 11, customers: 2_000, as_of: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap() });
    let mut ws = Workspace::new(Source::Demo { seed: 11, customers: 2_000 }, data);
    ws.set_pinyin(table());
    for q in ["科技", "sh", "shanghai", "a", "gmbh", "139", "@", "zz qq", "key 华东"] {
        let flat = ws.search(q);
        let all: Vec<usize> = (0..ws.data.customers.len()).collect();
        let scan = ws.search_within(q, Some(&all));
        assert_eq!(flat, scan, "query {q:?}");
    }
    let wide = ws.search("s");
    let narrow = ws.search_within("sh", Some(&wide));
    assert_eq!(narrow, ws.search("sh"));
    assert!(!narrow.is_empty() && narrow.len() <= wide.len());
}

#[test]
fn deferred_pinyin_indexing_finishes_in_chunks() {
    let mut ws = small();
    let mut fresh = Workspace::new(ws.source.clone(), ws.data.clone());
    assert!(fresh.search("hzjc").is_empty());
    fresh.set_pinyin_deferred(table());
    let mut rounds = 0;
    while !fresh.index_pinyin(1) {
        rounds += 1;
    }
    assert_eq!(rounds, 3);
    // Stale buffer: the plain scan still answers; prepared, the buffer does.
    assert_eq!(fresh.search("hzjc"), vec![0]);
    fresh.prepare_search();
    assert_eq!(fresh.search("hzjc"), vec![0]);
    ws.prepare_search();
    assert_eq!(ws.search("hzjc"), vec![0]);
}

/// The search buffer built a few customers at a time (the app spreads 100k customers over short
/// tasks) is the buffer built at once: same rows and match positions; a change of the text in
/// between starts it again.
#[test]
fn search_buffer_in_steps() {
    let data = generate(&DemoConfig { seed: 4, customers: 700, as_of: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap() });
    let mut whole = Workspace::new(Source::Demo { seed: 4, customers: 700 }, data.clone());
    whole.set_pinyin(table());
    for step in [1, 64, 699, 700, 10_000] {
        let mut ws = Workspace::new(Source::Demo { seed: 4, customers: 700 }, data.clone());
        ws.set_pinyin_deferred(table());
        while !ws.index_pinyin(100) {}
        // Half built, then the text changes (pinyin again): the build starts over.
        assert_eq!(ws.prepare_search_step(step), step >= 700, "{step}");
        ws.set_pinyin_deferred(table());
        while !ws.index_pinyin(300) {}
        let mut rounds = 1;
        while !ws.prepare_search_step(step) {
            rounds += 1;
        }
        assert_eq!(rounds, 700usize.div_ceil(step).max(1), "{step}");
        for q in ["s", "sh", "shanghai", "hzjc", "gmbh", "1"] {
            let (a, b) = (ws.search_typed(q, None), whole.search_typed(q, None));
            assert_eq!((&a.rows, &a.at), (&b.rows, &b.at), "{step} {q:?}");
            assert_eq!(a.at.len(), a.rows.len(), "the buffer answered {q:?}");
        }
    }
}

#[test]
fn sorting() {
    let ws = small();
    let ids = |rows: &[usize]| rows.iter().map(|&i| ws.data.customers[i].id.clone()).collect::<Vec<_>>();
    let cases = [
        // acme, beijing…, hangzhou…, shenzhen…
        (SortKey::Name, vec!["c3", "c4", "c1", "c2"]),
        (SortKey::Updated, vec!["c4", "c1", "c3", "c2"]),
        (SortKey::Owner, vec!["c3", "c1", "c4", "c2"]),
    ];
    for (key, want) in cases {
        let mut rows: Vec<usize> = (0..4).collect();
        sort_rows(&ws, None, key, &mut rows);
        assert_eq!(ids(&rows), want, "{key:?}");
    }
    let f = CustomerFilter::from_pairs([("sort", "name"), ("tag", "export")]);
    assert_eq!(ids(&f.apply(&ws, None, None)), vec!["c3", "c4"]);
    assert_eq!(f.query(), "?tag=export&sort=name");
    // Sorting by value needs the analysis; without it the order is kept, nothing is dropped.
    let f = CustomerFilter::from_pairs([("sort", "value")]);
    assert!(f.needs_analysis());
    assert_eq!(f.apply(&ws, None, None).len(), 4);
}

#[test]
fn filters_by_owner_pool_and_tag() {
    let ws = small();
    let cases: &[(&[(&str, &str)], &[&str])] = &[
        (&[("owner", "王伟")], &["c1", "c4"]),
        (&[("pool", "1")], &["c2"]),
        (&[("tag", "key")], &["c1", "c3"]),
        (&[("tag", "key"), ("q", "hzjc")], &["c1"]),
        (&[("region", "华东"), ("owner", "Li Na")], &["c3"]),
    ];
    for (pairs, want) in cases {
        let f = CustomerFilter::from_pairs(pairs.iter().copied());
        let got: Vec<&str> = f.apply(&ws, None, None).into_iter().map(|i| ws.data.customers[i].id.as_str()).collect();
        assert_eq!(&got, want, "{pairs:?}");
        assert_eq!(CustomerFilter::from_pairs(f.pairs().iter().map(|(k, v)| (*k, v.as_str()))), f, "round trip");
    }
}

/// Account team actions: names compared trimmed and case-folded; the owner is on the account
/// already; nothing to change, no edit.
#[test]
fn bulk_team_actions_change_only_what_they_must() {
    let now = Utc.with_ymd_and_hms(2025, 6, 1, 0, 0, 0).unwrap();
    let with_team = |team: &[&str]| Customer {
        team: team.iter().map(|s| s.to_string()).collect(),
        ..customer("c1", "杭州机床有限公司", Some("王伟"), &[], 3)
    };
    let cases: Vec<(BulkAction, &[&str], Option<Vec<&str>>)> = vec![
        (BulkAction::AddMember(" 李娜 ".into()), &[], Some(vec!["李娜"])),
        (BulkAction::AddMember("Zhang Wei".into()), &["李娜"], Some(vec!["李娜", "Zhang Wei"])),
        (BulkAction::AddMember("王伟".into()), &[], None),
        (BulkAction::AddMember(" zhang WEI".into()), &["Zhang Wei"], None),
        (BulkAction::AddMember("   ".into()), &[], None),
        (BulkAction::RemoveMember("zhang wei ".into()), &["Zhang Wei", "李娜"], Some(vec!["李娜"])),
        (BulkAction::RemoveMember("Nobody".into()), &["李娜"], None),
        (BulkAction::RemoveMember("王伟".into()), &[], None),
    ];
    for (action, team, want) in cases {
        let c = with_team(team);
        let got = action.apply(&c, now);
        match (got, want) {
            (None, None) => {}
            (Some(g), Some(team)) => {
                assert_eq!(g.team, team, "{action:?}");
                assert_eq!((g.owner.as_deref(), g.updated_at), (Some("王伟"), now), "{action:?}");
                assert!(g.validate().is_ok(), "{action:?}");
                // The account is now theirs to find (or no longer).
                let name = match &action {
                    BulkAction::AddMember(m) | BulkAction::RemoveMember(m) => m.clone(),
                    _ => unreachable!(),
                };
                assert_eq!(g.has_member(&name), matches!(action, BulkAction::AddMember(_)), "{action:?}");
            }
            (g, w) => panic!("{action:?}: got {g:?}, want {w:?}"),
        }
    }
}

#[test]
fn bulk_actions_change_only_what_they_must() {
    let now = Utc.with_ymd_and_hms(2025, 6, 1, 0, 0, 0).unwrap();
    let ws = small();
    let c1 = &ws.data.customers[0];
    let c2 = &ws.data.customers[1];
    let cases: Vec<(BulkAction, &Customer, Option<(Option<&str>, Vec<&str>)>)> = vec![
        (BulkAction::AssignOwner("李娜".into()), c1, Some((Some("李娜"), vec!["key"]))),
        (BulkAction::AssignOwner("王伟".into()), c1, None),
        (BulkAction::AssignOwner("  ".into()), c2, None),
        (BulkAction::ToPool, c1, Some((None, vec!["key"]))),
        (BulkAction::ToPool, c2, None),
        (BulkAction::AddTag("vip".into()), c1, Some((Some("王伟"), vec!["key", "vip"]))),
        (BulkAction::AddTag("key".into()), c1, None),
        (BulkAction::RemoveTag("key".into()), c1, Some((Some("王伟"), vec![]))),
        (BulkAction::RemoveTag("nope".into()), c1, None),
    ];
    for (action, c, want) in cases {
        let got = action.apply(c, now);
        match (got, want) {
            (None, None) => {}
            (Some(g), Some((owner, tags))) => {
                assert_eq!(g.owner.as_deref(), owner, "{action:?}");
                assert_eq!(g.tags, tags, "{action:?}");
                assert_eq!(g.updated_at, now);
                assert_eq!(g.name, c.name);
                assert!(g.validate().is_ok());
            }
            (g, w) => panic!("{action:?}: got {g:?}, want {w:?}"),
        }
    }
    let day = NaiveDate::from_ymd_opt(2025, 6, 3).unwrap();
    let mut n = 0;
    let visits = plan_visits(["c1", "c3"], day, " 王伟 ", now, || {
        n += 1;
        format!("v{n}")
    })
    .expect("a rep is named");
    assert_eq!(
        visits.iter().map(|v| (v.id.as_str(), v.customer_id.as_str(), v.rep.as_str())).collect::<Vec<_>>(),
        vec![("v1", "c1", "王伟"), ("v2", "c3", "王伟")]
    );
    assert!(visits.iter().all(|v| v.validate().is_ok() && v.is_planned(day) && !v.is_planned(day.succ_opt().unwrap())));
    // No rep, no plan (not visits by nobody).
    for rep in ["", "   "] {
        assert_eq!(plan_visits(["c1"], day, rep, now, || "v".into()), Err(PlanError::NoRep), "{rep:?}");
    }
}

#[test]
fn selection_follows_what_is_shown() {
    let ws = small();
    let ids = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<std::collections::BTreeSet<String>>();
    // (picked, shown rows, kept, dropped)
    let cases: &[(&[&str], &[usize], &[&str], usize)] = &[
        (&[], &[0, 1, 2, 3], &[], 0),
        (&["c1", "c3"], &[0, 1, 2, 3], &["c1", "c3"], 0),
        (&["c1", "c3"], &[2, 0], &["c1", "c3"], 0),
        (&["c1", "c3"], &[0], &["c1"], 1),
        (&["c1", "c3"], &[], &[], 2),
        (&["c1", "gone"], &[0, 1, 2, 3], &["c1"], 1),
    ];
    for (picked, shown, kept, dropped) in cases {
        assert_eq!(retain_visible(&ws, &ids(picked), shown), (ids(kept), *dropped), "{picked:?} in {shown:?}");
    }
    // A filter change: the picked customers without the tag are dropped.
    let picked = ids(&["c1", "c2", "c3"]);
    let shown = CustomerFilter::from_pairs([("tag", "key")]).apply(&ws, None, None);
    assert_eq!(retain_visible(&ws, &picked, &shown), (ids(&["c1", "c3"]), 1));
}

#[test]
fn typed_search_narrows_from_the_previous_matches_and_agrees_with_search() {
    let data =
        generate(&DemoConfig { seed: 5, customers: 3_000, as_of: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap() });
    let mut ws = Workspace::new(Source::Demo { seed: 5, customers: 3_000 }, data);
    ws.set_pinyin(table());
    for q in ["youxiangongsi", "hangzhou", "gmbh", "138", "zhang", "hzjc", "上海", "a@b", "co ltd"] {
        let mut prev = None;
        let chars: Vec<char> = q.chars().collect();
        for k in 1..=chars.len() {
            let typed: String = chars[..k].iter().collect();
            let got = ws.search_typed(&typed, prev.as_ref());
            assert_eq!(
                got.rows,
                ws.search(&typed),
                "{typed:?} after {:?}",
                prev.as_ref().map(|p: &kehu::core::workspace::TypedSearch| p.query.clone())
            );
            prev = Some(got);
        }
    }
    // A stale answer (the text changed since) is not narrowed from.
    let old = ws.search_typed("sh", None);
    let mut ws2 = ws.clone();
    ws2.index_pinyin(usize::MAX);
    ws2.prepare_search();
    assert_eq!(ws2.search_typed("sha", Some(&old)).rows, ws2.search("sha"));
}
