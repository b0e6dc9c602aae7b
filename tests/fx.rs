//! The reporting currency and dated exchange rates (`kehu::core::fx`): rates parsed exactly,
//! conversion at the rate of each date (hand-computed tables: before the first rate, the day a
//! rate changes, the reporting currency, a missing rate, rounding, huge amounts), exact sums, the
//! rates as serde data and as CSV, and the demo's rates.
// Tests: a panic is the test failing; tables of cases have long tuple types.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

use chrono::NaiveDate;
use kehu::core::csv::CsvError;
use kehu::core::demo::{DemoConfig, generate};
use kehu::core::fx::{
    Coverage, Fx, MissingRate, Rate, RateEntry, RateProblem, parse_rate_row, parse_rates_csv, rates_csv,
};
use kehu::core::model::{Currency, Date, Money};

fn d(s: &str) -> Date {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

fn cur(s: &str) -> Currency {
    Currency::parse(s).expect("currency")
}

fn entry(currency: &str, from: &str, rate: &str) -> RateEntry {
    RateEntry { currency: cur(currency), valid_from: d(from), rate: Rate::parse(rate).expect("rate") }
}

fn fx(reporting: &str, entries: &[(&str, &str, &str)]) -> Fx {
    Fx { reporting: cur(reporting), rates: entries.iter().map(|&(c, f, r)| entry(c, f, r)).collect() }
}

#[test]
fn rates_parse_exactly_or_say_what_is_wrong() {
    use RateProblem as P;
    let table: [(&str, Result<u64, RateProblem>); 22] = [
        ("7.8", Ok(78_000_000_000)),
        (" 1 ", Ok(10_000_000_000)),
        ("+2", Ok(20_000_000_000)),
        (".5", Ok(5_000_000_000)),
        ("0.1389", Ok(1_389_000_000)),
        ("0.0000000001", Ok(1)),
        ("7.80000000000000", Ok(78_000_000_000)), // trailing zeros are not decimals
        ("00012.5", Ok(125_000_000_000)),
        ("99999999.9999999999", Ok(999_999_999_999_999_999)),
        ("0.00000000001", Err(P::TooManyDecimals)),
        ("100000000", Err(P::TooLarge)),
        ("0", Err(P::NotPositive)),
        ("0.000", Err(P::NotPositive)),
        ("-1", Err(P::NotPositive)),
        ("-0", Err(P::NotPositive)),
        ("", Err(P::Required)),
        ("  ", Err(P::Required)),
        ("abc", Err(P::InvalidRate)),
        ("1.2.3", Err(P::InvalidRate)),
        ("1,5", Err(P::InvalidRate)),
        ("1e3", Err(P::InvalidRate)),
        (".", Err(P::InvalidRate)),
    ];
    for (text, want) in table {
        assert_eq!(Rate::parse(text).map(Rate::scaled), want, "{text:?}");
    }
    for (text, shown) in [("7.8", "7.8"), ("1", "1"), ("0.0000000001", "0.0000000001"), ("00012.50", "12.5")] {
        assert_eq!(Rate::parse(text).expect("rate").to_string(), shown);
    }
    assert_eq!(Rate::from_scaled(0), None);
    assert_eq!(Rate::from_scaled(1_000_000_000_000_000_000), None, "10⁸");
    assert_eq!(Rate::from_scaled(78_000_000_000), Rate::parse("7.8").ok());
    assert_eq!(Rate::ONE.to_f64(), 1.0);
}

/// Reporting in CNY: EUR 7.8 from 1 January 2026 and 7.9 from 1 March; USD 7.1 from 1 February;
/// JPY 0.048; KWD (3 decimals) 23.4567; CHF 7.5 (for exact halves); a CNY entry (ignored).
fn cny_table() -> Fx {
    fx(
        "CNY",
        &[
            ("EUR", "2026-03-01", "7.9"),
            ("EUR", "2026-01-01", "7.8"),
            ("USD", "2026-02-01", "7.1"),
            ("JPY", "2026-01-01", "0.048"),
            ("KWD", "2026-01-01", "23.4567"),
            ("CHF", "2026-01-01", "7.5"),
            ("CNY", "2026-01-01", "2"),
        ],
    )
}

#[test]
fn conversion_at_the_rate_of_the_date_by_hand() {
    let t = cny_table().table();
    let table: [(i64, &str, &str, Option<i64>, &str); 21] = [
        (10_000, "EUR", "2025-12-31", Some(78_000), "before the first rate: the first (€100 × 7.8)"),
        (10_000, "EUR", "2020-06-01", Some(78_000), "long before: still the first"),
        (10_000, "EUR", "2026-01-01", Some(78_000), "on its first day"),
        (10_000, "EUR", "2026-02-28", Some(78_000), "the day before the change"),
        (10_000, "EUR", "2026-03-01", Some(79_000), "on the day of the change: the new rate"),
        (10_000, "EUR", "2030-01-01", Some(79_000), "after the last: the last"),
        (100, "USD", "2026-01-15", Some(710), "USD before its first rate (1 February)"),
        (12_345, "CNY", "2026-01-15", Some(12_345), "the reporting currency is 1 (its own entry of 2 ignored)"),
        (-12_345, "CNY", "1990-01-01", Some(-12_345), "at any date"),
        (10_000, "GBP", "2026-01-15", None, "no GBP rate: missing, never 1:1"),
        (1_000, "JPY", "2026-01-15", Some(4_800), "¥1000 (no minor unit) × 0.048 = CN¥48.00"),
        (1_000, "KWD", "2026-01-15", Some(2_346), "1.000 KWD × 23.4567 = 23.4567 → 23.46"),
        (1, "EUR", "2026-01-15", Some(8), "€0.01 × 7.8 = 7.8 fen → 8"),
        (-1, "EUR", "2026-01-15", Some(-8), "negative: −7.8 → −8"),
        (1, "CHF", "2026-01-15", Some(8), "7.5 fen: half away from zero → 8"),
        (-1, "CHF", "2026-01-15", Some(-8), "−7.5 → −8"),
        (2, "CHF", "2026-01-15", Some(15), "exactly 15"),
        (0, "EUR", "2026-01-15", Some(0), "zero"),
        (i64::MAX, "EUR", "2026-01-15", Some(i64::MAX), "huge: saturates"),
        (i64::MIN, "EUR", "2026-01-15", Some(i64::MIN), "huge negative: saturates"),
        (i64::MAX, "CNY", "2026-01-15", Some(i64::MAX), "huge in the reporting currency: exact"),
    ];
    for (minor, currency, date, want, why) in table {
        assert_eq!(t.convert(Money(minor), cur(currency), d(date)).map(|m| m.0), want, "{why}");
    }
    assert_eq!(t.rate(cur("EUR"), d("2026-02-28")).map(|r| r.to_string()), Some("7.8".into()));
    assert_eq!(t.rate(cur("EUR"), d("2026-03-01")).map(|r| r.to_string()), Some("7.9".into()));
    assert_eq!(t.rate(cur("CNY"), d("2026-03-01")), Some(Rate::ONE));
    assert_eq!(t.rate(cur("GBP"), d("2026-03-01")), None);
    assert!(!t.has_rate(cur("GBP")) && t.has_rate(cur("CNY")) && t.has_rate(cur("KWD")));
}

#[test]
fn other_reporting_currencies_by_hand() {
    // Reporting in yen (no minor unit): CN¥0.01 × 20.5 = 0.205 → 0; CN¥1.00 → 20.5 → 21.
    let t = fx("JPY", &[("CNY", "2026-01-01", "20.5")]).table();
    for (minor, want) in [(1, 0), (100, 21), (-100, -21), (10_000, 2_050)] {
        assert_eq!(t.convert(Money(minor), Currency::CNY, d("2026-05-01")), Some(Money(want)), "{minor}");
    }
    assert_eq!(t.convert(Money(7), Currency::JPY, d("2026-05-01")), Some(Money(7)));
    assert_eq!(t.convert(Money(100), Currency::EUR, d("2026-05-01")), None);
    // Reporting in a 3-decimal currency: CN¥1.00 × 0.0431 KWD = 0.0431 → 0.043 (43 fils).
    let t = fx("KWD", &[("CNY", "2026-01-01", "0.0431")]).table();
    assert_eq!(t.convert(Money(100), Currency::CNY, d("2026-05-01")), Some(Money(43)));
    assert_eq!(t.convert(Money(1_234), cur("KWD"), d("2026-05-01")), Some(Money(1_234)));
}

#[test]
fn sums_are_exact_and_rounded_once() {
    let t = cny_table().table();
    let eur = t.series(Currency::EUR).expect("EUR");
    let (jan, mar) = (d("2026-01-15"), d("2026-03-15"));
    let day = |x: Date| chrono::Datelike::num_days_from_ce(&x);
    // Three cents at 7.8: each alone rounds to 8 fen, together 23.4 fen → 23.
    let cents = [(day(jan), 1), (day(jan), 1), (day(jan), 1)];
    assert_eq!(t.money(eur.sum(cents)), Money(23));
    assert_eq!(cents.iter().map(|&(_, m)| t.convert(Money(m), Currency::EUR, jan).expect("rate").0).sum::<i64>(), 24);
    // Across the change of rate, in date order or not: €100 × 7.8 + €100 × 7.9 + €0.01 × 7.8.
    let across = [(day(jan), 10_000), (day(mar), 10_000), (day(jan), 1)];
    assert_eq!(t.money(eur.sum(across)), Money(157_008));
    let mut sorted = across;
    sorted.sort();
    assert_eq!(t.money(eur.sum(sorted)), Money(157_008));
    // Exact sums of single conversions add up the same way.
    let mut total = kehu::core::fx::ReportSum::ZERO;
    for (m, c, date) in [(1, "EUR", jan), (1, "EUR", jan), (1, "EUR", jan), (1, "CHF", jan), (1, "CHF", jan)] {
        total.add(t.exact(Money(m), cur(c), date).expect("rate"));
    }
    assert_eq!(t.money(total), Money(38), "23.4 + 15 = 38.4 fen");
    assert_eq!(t.money(eur.sum([])), Money(0));
    // A run of amounts past the 64-bit range stays exact (the reporting currency is 1).
    let cny = t.series(Currency::CNY).expect("CNY");
    assert_eq!(t.money(cny.sum([(day(jan), i64::MAX), (day(jan), 10), (day(jan), -20)])), Money(i64::MAX - 10));
    // Saturating sums.
    let huge = [(day(jan), i64::MAX), (day(jan), i64::MAX), (day(mar), i64::MAX)];
    assert_eq!(t.money(eur.sum(huge)), Money(i64::MAX));
}

#[test]
fn the_later_entry_wins_and_the_list_is_kept_sorted() {
    let mut f = fx("CNY", &[("USD", "2026-01-01", "7.1"), ("EUR", "2026-01-01", "7.8"), ("EUR", "2026-01-01", "8")]);
    assert_eq!(f.table().convert(Money(100), Currency::EUR, d("2026-01-02")), Some(Money(800)), "the later 8 wins");
    f.normalise();
    assert_eq!(f.rates, vec![entry("EUR", "2026-01-01", "8"), entry("USD", "2026-01-01", "7.1")]);
    f.set(entry("EUR", "2025-06-01", "7.5"));
    f.set(entry("USD", "2026-01-01", "7.2"));
    assert_eq!(
        f.rates,
        vec![entry("EUR", "2025-06-01", "7.5"), entry("EUR", "2026-01-01", "8"), entry("USD", "2026-01-01", "7.2")]
    );
    assert!(f.remove(Currency::EUR, d("2026-01-01")));
    assert!(!f.remove(Currency::EUR, d("2026-01-01")));
    assert_eq!(f.table().convert(Money(100), Currency::EUR, d("2027-01-01")), Some(Money(750)));
    f.set(entry("CNY", "2026-01-01", "1"));
    assert_eq!(f.currencies(), vec![Currency::EUR, Currency::USD], "the reporting currency is not listed");
}

#[test]
fn coverage_lists_what_is_left_out_by_currency() {
    let mut c = Coverage::new(Currency::EUR);
    assert!(c.is_complete());
    c.note(Currency::USD, 1, 3, Money(500));
    c.note(Currency::CNY, 1, 1, Money(100));
    c.note(Currency::USD, 0, 2, Money(250));
    assert_eq!(
        c.missing,
        vec![
            MissingRate { currency: Currency::CNY, customers: 1, count: 1, amount: Money(100) },
            MissingRate { currency: Currency::USD, customers: 1, count: 5, amount: Money(750) },
        ]
    );
    assert_eq!((c.left_out(), c.is_complete()), (6, false));
}

#[test]
fn rates_as_serde_data_round_trip_and_stay_readable() {
    let f = cny_table();
    let json = serde_json::to_string(&f).expect("json");
    assert!(json.contains(r#""rate":"7.8""#), "rates are decimal strings: {json}");
    assert_eq!(serde_json::from_str::<Fx>(&json).expect("back"), f);
    // Numbers are accepted; missing fields default; unknown fields and entries this version cannot
    // read are skipped, not fatal.
    let newer = r#"{"reporting":"EUR","source":"ecb","rates":[
        {"currency":"CNY","valid_from":"2026-01-01","rate":0.1282,"note":"from the bank"},
        {"currency":"USD","valid_from":"2026-01-01","rate":"0.00000000000001"},
        {"currency":"GBP","valid_from":"2026-01-01"},
        {"currency":"JPY","valid_from":"2026-01-01","rate":"0.0061"}
    ]}"#;
    let read: Fx = serde_json::from_str(newer).expect("newer data");
    assert_eq!(read.reporting, Currency::EUR);
    assert_eq!(read.rates, vec![entry("CNY", "2026-01-01", "0.1282"), entry("JPY", "2026-01-01", "0.0061")]);
    assert_eq!(serde_json::from_str::<Fx>("{}").expect("empty"), Fx::default());
    assert_eq!(Fx::default().reporting, Currency::CNY);
    assert!(serde_json::from_str::<Rate>("\"0\"").is_err() && serde_json::from_str::<Rate>("-2").is_err());
    assert_eq!(serde_json::from_str::<Rate>("7").expect("integer").to_string(), "7");
}

#[test]
fn rates_csv_with_bom_crlf_quotes_any_column_order() {
    let text = "\u{feff}Rate,Currency,note,Valid From\r\n\
        7.8,EUR,ecb,2026-01-01\r\n\
        \r\n\
        \"7.9\",eur,,20260301\r\n\
        7.1,\"USD\",\"a, note\",2026-02-01\r\n";
    let p = parse_rates_csv(text, Currency::CNY).expect("readable");
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(p.rows, 3);
    assert_eq!(
        p.rates,
        vec![entry("EUR", "2026-01-01", "7.8"), entry("EUR", "2026-03-01", "7.9"), entry("USD", "2026-02-01", "7.1")]
    );
    // Written back and read again.
    let f = Fx { reporting: Currency::CNY, rates: p.rates.clone() };
    let out = rates_csv(&f);
    assert_eq!(out, "currency,valid_from,rate\r\nEUR,2026-01-01,7.8\r\nEUR,2026-03-01,7.9\r\nUSD,2026-02-01,7.1\r\n");
    let mut back = parse_rates_csv(&out, Currency::CNY).expect("back").rates;
    back.sort_by_key(|e| (e.currency, e.valid_from));
    let mut want = p.rates;
    want.sort_by_key(|e| (e.currency, e.valid_from));
    assert_eq!(back, want);
}

#[test]
fn rates_csv_errors_name_the_line_and_column() {
    use RateProblem as P;
    let text = "currency,valid_from,rate\n\
        EUR,2026-01-01,7.8\n\
        EURO,2026-01-01,7.8\n\
        USD,2026-02-30,7.1\n\
        USD,2026-02-01,0\n\
        USD,2026-02-01,-7\n\
        GBP,2026-01-01,9.00000000001\n\
        JPY,2026-01-01,123456789\n\
        \"\",,\n\
        EUR,20260101,7.9\n\
        CNY,2026-01-01,2\n\
        CNY,2026-01-01,1\n\
        HKD,2026-01-01,seven\n\
        CHF,2026-01-01\n\
        KWD,\"2026-01-01,23\n";
    let p = parse_rates_csv(text, Currency::CNY).expect("readable");
    let errors: Vec<(usize, &str, RateProblem)> =
        p.errors.iter().map(|e| (e.line, e.column.as_str(), e.problem)).collect();
    assert_eq!(
        errors,
        vec![
            (3, "currency", P::InvalidCurrency),
            (4, "valid_from", P::InvalidDate),
            (5, "rate", P::NotPositive),
            (6, "rate", P::NotPositive),
            (7, "rate", P::TooManyDecimals),
            (8, "rate", P::TooLarge),
            (9, "currency", P::Required),
            (9, "valid_from", P::Required),
            (9, "rate", P::Required),
            (10, "valid_from", P::Duplicate),
            (11, "rate", P::ReportingCurrency),
            (13, "rate", P::InvalidRate),
            (14, "rate", P::Required),
            (15, "", P::UnterminatedQuote),
        ]
    );
    assert_eq!(p.rows, 14);
    assert_eq!(p.rates, vec![entry("EUR", "2026-01-01", "7.8"), entry("CNY", "2026-01-01", "1")]);
    assert_eq!(P::ReportingCurrency.key(), "fx_reporting_currency");
    assert_eq!(P::Duplicate.key(), "fx_duplicate");
    // Files that cannot be read at all.
    assert_eq!(parse_rates_csv("", Currency::CNY), Err(CsvError::Empty));
    assert_eq!(parse_rates_csv("\u{feff}\r\n\r\n", Currency::CNY), Err(CsvError::Empty));
    assert_eq!(
        parse_rates_csv("currency,valid_from\nEUR,2026-01-01\n", Currency::CNY),
        Err(CsvError::MissingColumn("rate".into()))
    );
    assert_eq!(
        parse_rates_csv("currency,rate,Rate,valid_from\n", Currency::CNY),
        Err(CsvError::DuplicateColumn("rate".into()))
    );
    // A header only: no rates, no errors.
    let empty = parse_rates_csv("currency,valid_from,rate\n", Currency::EUR).expect("header only");
    assert_eq!((empty.rows, empty.rates.len(), empty.errors.len()), (0, 0, 0));
}

#[test]
fn the_demo_ships_a_rate_for_each_of_its_currencies() {
    let as_of = d("2026-11-01");
    let f = kehu::core::demo::rates(as_of);
    assert_eq!(f, kehu::core::demo::rates(as_of), "a pure function of the date");
    assert_eq!(f.reporting, Currency::CNY);
    // What the generator priced foreign accounts at: 7.8 CNY per EUR and 7.1 per USD, from the
    // first day of the three-year history.
    assert_eq!(f.rates, vec![entry("EUR", "2023-11-02", "7.8"), entry("USD", "2023-11-02", "7.1")]);
    let data = generate(&DemoConfig { seed: 3, customers: 400, as_of });
    let t = f.table();
    for c in &data.customers {
        assert!(t.has_rate(c.currency), "{}", c.currency);
    }
    for p in &data.plans {
        assert!(t.has_rate(p.currency), "{}", p.currency);
    }
    assert!(data.customers.iter().any(|c| c.currency == Currency::EUR));
    assert!(data.customers.iter().any(|c| c.currency == Currency::USD));
}

#[test]
fn a_rate_typed_in_is_checked_field_by_field() {
    use RateProblem as P;
    let cases: &[(&str, &str, &str, Result<(&str, &str, &str), Vec<(&str, RateProblem)>>)] = &[
        ("EUR", "2026-01-01", "7.8", Ok(("EUR", "2026-01-01", "7.8"))),
        (" usd ", "20260315", " 7.10 ", Ok(("USD", "2026-03-15", "7.1"))),
        ("CNY", "2026-01-01", "1", Ok(("CNY", "2026-01-01", "1"))),
        ("", "", "", Err(vec![("currency", P::Required), ("valid_from", P::Required), ("rate", P::Required)])),
        (
            "EURO",
            "2026-02-30",
            "7,8",
            Err(vec![("currency", P::InvalidCurrency), ("valid_from", P::InvalidDate), ("rate", P::InvalidRate)]),
        ),
        ("EUR", "2026-01-01", "0", Err(vec![("rate", P::NotPositive)])),
        ("EUR", "2026-01-01", "-7.8", Err(vec![("rate", P::NotPositive)])),
        ("EUR", "2026-01-01", "0.12345678901", Err(vec![("rate", P::TooManyDecimals)])),
        ("EUR", "2026-01-01", "123456789", Err(vec![("rate", P::TooLarge)])),
        ("CNY", "2026-01-01", "7.8", Err(vec![("rate", P::ReportingCurrency)])),
    ];
    for (c, f, r, want) in cases {
        let got = parse_rate_row(c, f, r, Currency::CNY);
        match want {
            Ok((wc, wf, wr)) => assert_eq!(got, Ok(entry(wc, wf, wr)), "{c:?} {f:?} {r:?}"),
            Err(problems) => assert_eq!(got, Err(problems.clone()), "{c:?} {f:?} {r:?}"),
        }
    }
}
