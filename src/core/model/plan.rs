//! A sales plan: a region's target for a period (month, quarter, year).

use super::{Date, Money};
use crate::core::money::Currency;
use crate::core::validate::{Checker, MAX_NAME, Validate, ValidationErrors};
use chrono::Datelike;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A planning period: a year (`2026`), a quarter (`2026-Q3`) or a month (`2026-07`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Period {
    Year(i32),
    Quarter(i32, u8),
    Month(i32, u8),
}

impl Period {
    pub fn parse(s: &str) -> Option<Period> {
        let s = s.trim();
        let year = |y: &str| -> Option<i32> {
            (y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit())).then(|| y.parse().ok()).flatten()
        };
        match s.split_once('-') {
            None => year(s).map(Period::Year),
            Some((y, rest)) => {
                let y = year(y)?;
                if let Some(q) = rest.strip_prefix('Q').or_else(|| rest.strip_prefix('q')) {
                    let q: u8 = q.parse().ok()?;
                    (1..=4).contains(&q).then_some(Period::Quarter(y, q))
                } else {
                    if rest.len() != 2 {
                        return None;
                    }
                    let m: u8 = rest.parse().ok()?;
                    (1..=12).contains(&m).then_some(Period::Month(y, m))
                }
            }
        }
    }

    /// First and last day of the period.
    pub fn bounds(self) -> Option<(Date, Date)> {
        let (y, m0, months) = match self {
            Period::Year(y) => (y, 1u32, 12u32),
            Period::Quarter(y, q) => (y, u32::from(q) * 3 - 2, 3),
            Period::Month(y, m) => (y, u32::from(m), 1),
        };
        let start = Date::from_ymd_opt(y, m0, 1)?;
        let end_month = m0 + months;
        let next = if end_month > 12 {
            Date::from_ymd_opt(y + 1, end_month - 12, 1)?
        } else {
            Date::from_ymd_opt(y, end_month, 1)?
        };
        Some((start, next.pred_opt()?))
    }

    pub fn contains(self, d: Date) -> bool {
        self.bounds().is_some_and(|(a, b)| a <= d && d <= b)
    }

    pub fn quarter_of(d: Date) -> Period {
        Period::Quarter(d.year(), (d.month0() / 3 + 1) as u8)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Year(y) => write!(f, "{y:04}"),
            Period::Quarter(y, q) => write!(f, "{y:04}-Q{q}"),
            Period::Month(y, m) => write!(f, "{y:04}-{m:02}"),
        }
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Period::parse(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("not a period (2026, 2026-Q3, 2026-07): {s:?}")))
    }
}

/// A sales target for a region and period (销售计划和区域).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionPlan {
    pub id: String,
    pub region: String,
    pub period: Period,
    pub target: Money,
    #[serde(default)]
    pub currency: Currency,
}

impl Validate for RegionPlan {
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut c = Checker::default();
        c.id("id", &self.id);
        c.text("region", &self.region, MAX_NAME);
        c.non_negative("target", self.target.0);
        c.finish()
    }
}
