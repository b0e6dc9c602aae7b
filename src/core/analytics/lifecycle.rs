//! Lifecycle stages with their strategy, and the order-gap churn warning.
//!
//! **Stage**, first match in this order (all thresholds in [`LifecycleConfig`]):
//!
//! 1. **potential** — no orders; **in pursuit** when it has an open opportunity created by the
//!    analysis date (set by the analysis, which sees the deals: [`stage`] sees orders only).
//! 2. **lost** — more than `lost_days` (365) since the last order.
//! 3. **at risk** — more than `at_risk_days` (180) since the last order.
//! 4. **new** — first order less than `new_days` (90) ago (tenure 0–89 days). A new customer
//!    stays new even when the gap warning fires: a few weeks of history say little about a rhythm
//!    (the warning itself is still reported).
//! 5. **at risk** — the gap warning fires ([`GapCheck`]).
//! 6. **mature** — a steady repeat buyer for at least a year: tenure ≥ `mature_tenure_days`
//!    (365), at least `mature_orders` (4) orders, and orders in at least `mature_quarters` (3) of
//!    the last four quarters. "Quarters" are trailing windows, not calendar quarters, so a stage
//!    does not flip on the 1st of January: the 365 days up to the analysis date split in four,
//!    an order `d` days before the analysis date (0–364) falling in window `⌊4d / 365⌋`.
//! 7. **active** — everyone else with orders.
//!
//! Strategies: potential → nurture, in pursuit → pursue (close the deal), new → onboard, active → develop, mature → retain,
//! at risk → win back, lost → reactivate.

use crate::core::model::keyed_enum;
use serde::{Deserialize, Serialize};

keyed_enum!(
    /// Where a customer is in its relationship with us.
    Stage, "lifecycle", {
        Potential => "potential",
        InPursuit => "in_pursuit",
        New => "new",
        Active => "active",
        Mature => "mature",
        AtRisk => "at_risk",
        Lost => "lost",
    }
);

keyed_enum!(
    /// What to do with a customer of a stage.
    Strategy, "strategy", {
        Nurture => "nurture",
        Pursue => "pursue",
        Onboard => "onboard",
        Develop => "develop",
        Retain => "retain",
        WinBack => "win_back",
        Reactivate => "reactivate",
    }
);

impl Stage {
    pub fn strategy(self) -> Strategy {
        match self {
            Stage::Potential => Strategy::Nurture,
            Stage::InPursuit => Strategy::Pursue,
            Stage::New => Strategy::Onboard,
            Stage::Active => Strategy::Develop,
            Stage::Mature => Strategy::Retain,
            Stage::AtRisk => Strategy::WinBack,
            Stage::Lost => Strategy::Reactivate,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LifecycleConfig {
    pub new_days: u32,
    pub at_risk_days: u32,
    pub lost_days: u32,
    pub mature_tenure_days: u32,
    pub mature_orders: u32,
    /// Of the last four (trailing) quarters.
    pub mature_quarters: u8,
}

impl Default for LifecycleConfig {
    fn default() -> Self {
        LifecycleConfig {
            new_days: 90,
            at_risk_days: 180,
            lost_days: 365,
            mature_tenure_days: 365,
            mature_orders: 4,
            mature_quarters: 3,
        }
    }
}

/// The order-gap warning: for a customer with at least `min_orders` orders (3), it fires when
/// the days since the last order exceed `k ×` (2) the median gap between consecutive distinct
/// order dates. Eligibility counts orders; the gaps are between distinct days, so three orders
/// on two days have one gap, and orders all on one day have none (no check).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GapConfig {
    pub k: f64,
    /// Settings saved before this field was renamed call it `min_dates`.
    #[serde(alias = "min_dates")]
    pub min_orders: u32,
}

impl Default for GapConfig {
    fn default() -> Self {
        GapConfig { k: 2.0, min_orders: 3 }
    }
}

/// The numbers behind the gap warning, for "no order for 212 days; usually every 61 days".
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GapCheck {
    pub days_since_last: u32,
    /// Median of the gaps (days) between consecutive distinct order dates; the mean of the two
    /// middle gaps when their number is even.
    pub median_gap: f64,
    pub k: f64,
    /// `k × median_gap`.
    pub threshold: f64,
    /// `days_since_last > threshold`.
    pub fires: bool,
}

/// Median of `v` (reordered in place); `None` when empty.
pub fn median_i32(v: &mut [i32]) -> Option<f64> {
    let n = v.len();
    if n == 0 {
        return None;
    }
    let mid = n / 2;
    if n <= 20 {
        // The standard library's small-slice sort (a branch-free network for integers) beats a
        // selection on the usual handful of gaps.
        v.sort_unstable();
        let m = f64::from(v[mid]);
        return Some(if n % 2 == 1 { m } else { (f64::from(v[mid - 1]) + m) / 2.0 });
    }
    let (lower, m, _) = v.select_nth_unstable(mid);
    let m = f64::from(*m);
    if n % 2 == 1 {
        Some(m)
    } else {
        let below = lower.iter().copied().max().map_or(m, f64::from);
        Some((below + m) / 2.0)
    }
}

/// The gap check of a customer from its order days in ascending order, one entry per order
/// (repeated days allowed); `None` with fewer than `min_orders` orders or no gap (`gaps` is
/// scratch space).
pub fn gap_check(order_days: &[i32], as_of_day: i32, cfg: &GapConfig, gaps: &mut Vec<i32>) -> Option<GapCheck> {
    if order_days.len() < cfg.min_orders as usize {
        return None;
    }
    let last = *order_days.last()?;
    gaps.clear();
    gaps.extend(order_days.windows(2).map(|w| w[1].saturating_sub(w[0])).filter(|&g| g != 0));
    let median_gap = median_i32(gaps)?;
    Some(make_gap_check(as_of_day.saturating_sub(last).max(0) as u32, median_gap, cfg.k))
}

pub(crate) fn make_gap_check(days_since_last: u32, median_gap: f64, k: f64) -> GapCheck {
    let threshold = k * median_gap;
    GapCheck { days_since_last, median_gap, k, threshold, fires: f64::from(days_since_last) > threshold }
}

/// The facts a stage is decided on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StageFacts {
    pub orders: u32,
    /// Days from the first order to the analysis date.
    pub tenure_days: u32,
    pub days_since_last: u32,
    /// Of the last four trailing quarters, how many have an order.
    pub quarters_active: u8,
    pub gap_fires: bool,
}

/// The stage of a customer (see the module documentation for the rules).
pub fn stage(facts: StageFacts, cfg: &LifecycleConfig) -> Stage {
    if facts.orders == 0 {
        Stage::Potential
    } else if facts.days_since_last > cfg.lost_days {
        Stage::Lost
    } else if facts.days_since_last > cfg.at_risk_days {
        Stage::AtRisk
    } else if facts.tenure_days < cfg.new_days {
        Stage::New
    } else if facts.gap_fires {
        Stage::AtRisk
    } else if facts.tenure_days >= cfg.mature_tenure_days
        && facts.orders >= cfg.mature_orders
        && facts.quarters_active >= cfg.mature_quarters
    {
        Stage::Mature
    } else {
        Stage::Active
    }
}

/// Bit `q` set when some day falls in trailing quarter `q` (0 = the most recent) of the 365 days
/// up to `as_of_day`.
pub fn quarter_bits(days: impl IntoIterator<Item = i32>, as_of_day: i32) -> u8 {
    let mut bits = 0u8;
    for d in days {
        let back = as_of_day.saturating_sub(d);
        if (0..365).contains(&back) {
            bits |= 1 << (back * 4 / 365);
        }
    }
    bits
}
