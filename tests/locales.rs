//! The three locale files agree with each other and cover every translation key the core defines.
// Tests: a panic is the test failing; tables of cases have long tuple types.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

use kehu::core::locale::Lang;
use kehu::core::model::Entity;
use kehu::core::model::*;
use kehu::core::validate::Problem;
use serde_json::{Map, Value};

fn load(lang: Lang) -> Map<String, Value> {
    let path = format!("{}/src/app/locales/{}.json", env!("CARGO_MANIFEST_DIR"), lang.tag());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    match serde_json::from_str(&text) {
        Ok(Value::Object(map)) => map,
        other => panic!("{path} is not a JSON object: {other:?}"),
    }
}

fn core_keys() -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = Vec::new();
    keys.extend(Problem::ALL.iter().map(Problem::key));
    keys.extend(SupplyChainRole::ALL.iter().map(|v| v.key()));
    keys.extend(OrderStatus::ALL.iter().map(|v| v.key()));
    keys.extend(TicketKind::ALL.iter().map(|v| v.key()));
    keys.extend(ServiceStage::ALL.iter().map(|v| v.key()));
    keys.extend(Severity::ALL.iter().map(|v| v.key()));
    keys.extend(TicketStatus::ALL.iter().map(|v| v.key()));
    keys.extend(VisitPurpose::ALL.iter().map(|v| v.key()));
    keys.extend(Entity::ALL.iter().map(|v| v.key()));
    keys.extend(kehu::core::fx::RateProblem::ALL.iter().map(|v| v.key()));
    keys
}

#[test]
fn every_locale_has_the_same_non_empty_keys() {
    let en = load(Lang::En);
    assert!(en.len() > 100, "en has {} keys", en.len());
    for lang in [Lang::ZhHans, Lang::ZhHant] {
        let other = load(lang);
        let missing: Vec<_> = en.keys().filter(|k| !other.contains_key(*k)).collect();
        let extra: Vec<_> = other.keys().filter(|k| !en.contains_key(*k)).collect();
        assert!(missing.is_empty() && extra.is_empty(), "{}: missing {missing:?}, extra {extra:?}", lang.tag());
    }
    for lang in Lang::ALL {
        for (k, v) in load(lang) {
            assert!(v.as_str().is_some_and(|s| !s.trim().is_empty()), "{}: {k} is empty or not a string", lang.tag());
        }
    }
}

#[test]
fn every_core_key_is_translated() {
    let keys = core_keys();
    assert!(keys.len() > 50);
    for lang in Lang::ALL {
        let map = load(lang);
        let missing: Vec<_> = keys.iter().filter(|k| !map.contains_key(**k)).collect();
        assert!(missing.is_empty(), "{} lacks {missing:?}", lang.tag());
    }
}

#[test]
fn interpolations_match_across_locales() {
    fn vars(s: &str) -> Vec<String> {
        let mut out: Vec<String> =
            s.split("{{").skip(1).filter_map(|p| p.split("}}").next()).map(|v| v.trim().to_string()).collect();
        out.sort();
        out
    }
    let en = load(Lang::En);
    for lang in [Lang::ZhHans, Lang::ZhHant] {
        for (k, v) in load(lang) {
            let want = vars(en[&k].as_str().unwrap_or_default());
            assert_eq!(vars(v.as_str().unwrap_or_default()), want, "{}: {k}", lang.tag());
        }
    }
}

#[test]
fn chinese_locales_are_actually_chinese_and_distinct() {
    let hans = load(Lang::ZhHans);
    let hant = load(Lang::ZhHant);
    let han = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    let with_han = hans.values().filter(|v| v.as_str().is_some_and(han)).count();
    assert!(with_han * 10 >= hans.len() * 9, "most zh-Hans strings contain Chinese characters");
    // Spot checks where the scripts differ.
    for (key, simplified, traditional) in [
        ("nav_customers", "客户", "客戶"),
        ("nav_settings", "设置", "設定"),
        ("section_invoices", "应收账款", "應收帳款"),
    ] {
        assert_eq!(hans[key], simplified);
        assert_eq!(hant[key], traditional);
    }
    let differing = hans.iter().filter(|(k, v)| hant[k.as_str()] != **v).count();
    assert!(
        differing * 2 > hans.len(),
        "Traditional differs from Simplified in most strings ({differing}/{})",
        hans.len()
    );
}

#[test]
fn browser_preferences_pick_the_language() {
    let table: &[(&[&str], Lang)] = &[
        (&["zh-CN", "en"], Lang::ZhHans),
        (&["zh"], Lang::ZhHans),
        (&["zh-SG"], Lang::ZhHans),
        (&["zh-Hans-HK"], Lang::ZhHans),
        (&["zh-TW"], Lang::ZhHant),
        (&["zh-HK", "en"], Lang::ZhHant),
        (&["zh_MO"], Lang::ZhHant),
        (&["zh-Hant"], Lang::ZhHant),
        (&["yue"], Lang::ZhHant),
        (&["en-GB", "zh-CN"], Lang::En),
        (&["de-DE", "fr", "zh-TW"], Lang::ZhHant),
        (&["de-DE", "fr"], Lang::En),
        (&[], Lang::En),
        (&["", "??"], Lang::En),
    ];
    for (prefs, want) in table {
        assert_eq!(Lang::negotiate(prefs), *want, "{prefs:?}");
    }
    for lang in Lang::ALL {
        assert_eq!(Lang::from_tag(lang.tag()), Some(lang), "a stored tag reads back");
    }
}

/// "1 customer", never "1 customers": an English message that counts something (`{count}` or
/// `{days}` before a plural noun) has a `<key>_one` form, shown by `ui::dom::fill_count` when the
/// number is 1; each `_one` form has its plural beside it, with the same placeholders, in every
/// language (Chinese repeats its one form; a singular may write its "1" out).
/// (`customers_shown` counts by `{total}` and is checked by the e2e: "Showing 1 of 1 customer".)
/// The placeholders that stand for a number of things (a noun follows them).
const COUNTS: [&str; 5] = ["{count} ", "{days} ", "{rows} ", "{scored} ", "{customers} "];

#[test]
fn counted_messages_have_their_singular() {
    fn placeholders(s: &str) -> Vec<&str> {
        let mut out: Vec<&str> = s.split('{').skip(1).filter_map(|p| p.split('}').next()).collect();
        out.sort();
        out
    }
    // Said only of two or more: changes waiting in two or more workspaces are at least two; the
    // stuck deal's days are decimals ("1.0 days").
    let always_plural = ["wipe_unsynced_many", "fc_stuck_row", "probe_records"];
    let en = load(Lang::En);
    let counted = |v: &str| {
        COUNTS.iter().any(|p| {
            v.split(p).skip(1).any(|rest| {
                let words: Vec<&str> = rest.split_whitespace().take(2).collect();
                words.iter().any(|w| w.trim_end_matches(|c: char| !c.is_alphanumeric()).ends_with('s'))
            })
        })
    };
    let missing: Vec<&String> = en
        .iter()
        .filter(|(k, _)| !k.ends_with("_one") && !always_plural.contains(&k.as_str()))
        .filter(|(k, v)| counted(v.as_str().unwrap_or_default()) && !en.contains_key(&format!("{k}_one")))
        .map(|(k, _)| k)
        .collect();
    assert!(missing.is_empty(), "counted messages without a `_one` form: {missing:?}");
    for lang in Lang::ALL {
        let map = load(lang);
        for (k, one) in map.iter().filter(|(k, _)| k.ends_with("_one")) {
            let base = &k[..k.len() - 4];
            let other = map.get(base).unwrap_or_else(|| panic!("{}: {k} without {base}", lang.tag()));
            let plural = |s: &str| COUNTS.iter().any(|p| s.contains(p.trim_end()));
            if !plural(other.as_str().unwrap_or_default()) {
                continue; // not a plural pair ("Select {name}" picks one row)
            }
            // The same placeholders; the singular may write its "1" out instead of `{count}`.
            let mut want = placeholders(other.as_str().unwrap_or_default());
            let got = placeholders(one.as_str().unwrap_or_default());
            if !got.contains(&"count") {
                want.retain(|p| *p != "count");
            }
            assert_eq!(got, want, "{}: {k} and {base}", lang.tag());
        }
    }
    // The check finds what it is for.
    assert!(counted("{count} customers are over their credit limit"));
    assert!(!counted("Showing {shown} of {total} customers"));
    assert!(!counted("{count} selected"));
}
