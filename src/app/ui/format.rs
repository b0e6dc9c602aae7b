//! Display helpers for dates, times and money.

use crate::core::model::{Currency, Money, Timestamp};
use chrono::{Datelike, Timelike};

/// `2026-11-22 14:05` in the user's time zone. Written out by hand rather than with chrono's
/// `format`, whose pattern interpreter is a sizeable part of the browser build.
pub fn datetime(ts: Timestamp) -> String {
    let offset = i64::from(crate::shell::utc_offset_minutes().clamp(-24 * 60, 24 * 60));
    let t = ts.naive_utc() + chrono::Duration::minutes(offset);
    format!("{:04}-{:02}-{:02} {:02}:{:02}", t.year(), t.month(), t.day(), t.hour(), t.minute())
}

pub fn opt_money(m: Option<Money>, c: Currency) -> String {
    m.map(|m| m.format(c)).unwrap_or_else(|| "—".to_string())
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
