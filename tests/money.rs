//! Money parsing and formatting, table-driven.
// Tests: a panic is the test failing; tables of cases have long tuple types.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

use kehu::core::money::{Currency, Money, MoneyParseError};

#[test]
fn parse_major_units() {
    let cny = Currency::CNY;
    let jpy = Currency::JPY;
    let kwd = Currency::parse("kwd").unwrap();
    let table: &[(&str, Currency, Result<i64, MoneyParseError>)] = &[
        ("1234.5", cny, Ok(123_450)),
        ("1,234.56", cny, Ok(123_456)),
        (" 1 234 ", cny, Ok(123_400)),
        ("-20", cny, Ok(-2_000)),
        ("+7.05", cny, Ok(705)),
        ("0.1", cny, Ok(10)),
        (".5", cny, Ok(50)),
        ("１２３．４", cny, Ok(12_340)),
        ("１，０００", cny, Ok(100_000)),
        ("500", jpy, Ok(500)),
        ("1.234", kwd, Ok(1_234)),
        ("1.005", cny, Err(MoneyParseError::TooManyDecimals { max: 2 })),
        ("5.5", jpy, Err(MoneyParseError::TooManyDecimals { max: 0 })),
        ("", cny, Err(MoneyParseError::Empty)),
        ("   ", cny, Err(MoneyParseError::Empty)),
        ("abc", cny, Err(MoneyParseError::NotANumber)),
        ("1e5", cny, Err(MoneyParseError::NotANumber)),
        ("1.2.3", cny, Err(MoneyParseError::NotANumber)),
        ("-", cny, Err(MoneyParseError::NotANumber)),
        (".", cny, Err(MoneyParseError::NotANumber)),
        ("99999999999999999999", cny, Err(MoneyParseError::TooLarge)),
        ("92233720368547758.07", cny, Ok(i64::MAX)),
        ("92233720368547758.08", cny, Err(MoneyParseError::TooLarge)),
    ];
    for (text, cur, want) in table {
        assert_eq!(Money::parse_major(text, *cur).map(Money::minor), *want, "{text:?} in {cur}");
    }
}

#[test]
fn format() {
    let table: &[(i64, &str, &str, &str)] = &[
        (0, "CNY", "0.00", "¥0.00"),
        (5, "CNY", "0.05", "¥0.05"),
        (123_456_789, "CNY", "1,234,567.89", "¥1,234,567.89"),
        (-100_050, "USD", "-1,000.50", "-US$1,000.50"),
        (1_000_000, "JPY", "1,000,000", "JP¥1,000,000"),
        (1_234, "CHF", "12.34", "CHF 12.34"),
        (i64::MIN, "CNY", "-92,233,720,368,547,758.08", "-¥92,233,720,368,547,758.08"),
    ];
    for (minor, code, plain, full) in table {
        let c = Currency::parse(code).unwrap();
        assert_eq!(Money(*minor).format_plain(c), *plain);
        assert_eq!(Money(*minor).format(c), *full);
    }
}

#[test]
fn arithmetic_saturates_instead_of_panicking() {
    assert_eq!(Money(i64::MAX).saturating_add(Money(1)), Money(i64::MAX));
    assert_eq!(Money(i64::MIN).saturating_sub(Money(1)), Money(i64::MIN));
    assert_eq!(Money(i64::MAX / 2).times(3), Money(i64::MAX));
    assert_eq!(Money(250).times(4), Money(1_000));
}

#[test]
fn currency_codes() {
    assert_eq!(Currency::parse("usd"), Some(Currency::USD));
    for bad in ["", "US", "USDT", "U$D", "人民币"] {
        assert_eq!(Currency::parse(bad), None, "{bad:?}");
        assert!(serde_json::from_value::<Currency>(serde_json::json!(bad)).is_err());
    }
    assert_eq!(serde_json::to_value(Currency::EUR).unwrap(), serde_json::json!("EUR"));
    assert_eq!(Currency::JPY.minor_digits(), 0);
    assert_eq!(Currency::CNY.minor_digits(), 2);
}
