//! Display helpers for dates, times and money.

use crate::core::model::{Currency, Money, Timestamp};
use chrono::FixedOffset;

const DATETIME: &str = "%Y-%m-%d %H:%M";

/// `2026-11-22 14:05` in the user's time zone (UTC if the browser reports an impossible offset).
pub fn datetime(ts: Timestamp) -> String {
    match FixedOffset::east_opt(crate::shell::utc_offset_minutes() * 60) {
        Some(offset) => ts.with_timezone(&offset).format(DATETIME).to_string(),
        None => ts.format(DATETIME).to_string(),
    }
}

pub fn opt_money(m: Option<Money>, c: Currency) -> String {
    m.map(|m| m.format(c)).unwrap_or_else(|| "—".to_string())
}
