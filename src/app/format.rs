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
