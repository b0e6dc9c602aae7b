//! Display formats, in one place: dates, times, money, percentages, and the `—` of a value
//! that is not there.

use crate::core::model::{Currency, Money, Timestamp};
use chrono::{Datelike, Timelike};

/// `2026-11-22 14:05` in the user's time zone. Written out by hand rather than with chrono's
/// `format`, whose pattern interpreter is a sizeable part of the browser build.
pub fn datetime(ts: Timestamp) -> String {
    let offset = i64::from(crate::shell::clock::utc_offset_minutes().clamp(-24 * 60, 24 * 60));
    let t = ts.naive_utc() + chrono::Duration::minutes(offset);
    format!("{:04}-{:02}-{:02} {:02}:{:02}", t.year(), t.month(), t.day(), t.hour(), t.minute())
}

/// What a figure or field without a value shows.
pub const NONE: &str = "—";

/// `v` formatted by `f`, or [`NONE`].
pub fn opt<T>(v: Option<T>, f: impl FnOnce(T) -> String) -> String {
    v.map(f).unwrap_or_else(|| NONE.to_string())
}

/// A text, or [`NONE`] for nothing.
pub fn or_none(v: Option<String>) -> String {
    v.unwrap_or_else(|| NONE.to_string())
}

/// A text, or [`NONE`] when it is blank.
pub fn text_or_none(s: &str) -> String {
    if s.trim().is_empty() { NONE.to_string() } else { s.to_string() }
}

/// A share (0.25) as a whole percentage (`25 %`); [`NONE`] when it is not a number.
pub fn pct(x: f64) -> String {
    if x.is_finite() { format!("{:.0} %", x * 100.0) } else { NONE.to_string() }
}

/// A change (0.25, -0.1) as a signed percentage (`+25 %`, `-10 %`); [`NONE`] when not a number.
pub fn signed_pct(x: f64) -> String {
    if x.is_finite() { format!("{:+.0} %", x * 100.0) } else { NONE.to_string() }
}

/// A JSON value as the user reads it (a field's value in a conflict or a merge): a string as it
/// is, `null` as [`NONE`], anything else as JSON.
pub fn json_value(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => NONE.into(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub fn opt_money(m: Option<Money>, c: Currency) -> String {
    opt(m, |m| m.format(c))
}

/// The `mailto:` link for an address that looks like one (`is_email`, and none of the
/// characters that would add mail headers, change the scheme or hide the text's direction);
/// anything else is shown as plain text, not a link.
pub fn mailto(email: &str) -> Option<String> {
    let e = email.trim();
    let odd = |c: char| {
        c.is_control()
            || matches!(c, ':' | '?' | '&' | '/' | '\\' | '<' | '>' | '"' | '\'' | '%' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    (crate::core::validate::is_email(e) && !e.chars().any(odd)).then(|| format!("mailto:{e}"))
}
