//! ABC (Pareto) classification by revenue or by margin.
//!
//! Customers are sorted by value, largest first (ties by position, so the result is
//! deterministic). **Boundary rule:** a customer is **A** when the cumulative share of the
//! customers *before* it is below the A cut (default 80 %), **B** when it is below the B cut
//! (default 95 %), else **C**. So the top customer is always A, and the customer that crosses
//! 80 % is still A.
//!
//! Customers with a negative value (by margin: a negative total margin — "never profitable";
//! flagged separately in the per-customer table) are **C** and kept outside the Pareto: they add
//! nothing to the total the shares are taken of. Customers without a value (no orders; by margin,
//! no order with a known margin) are not classified. When the total is zero every classified
//! customer is C.

use crate::core::model::keyed_enum;
use serde::{Deserialize, Serialize};

keyed_enum!(AbcClass, "abc", {
    A => "a",
    B => "b",
    C => "c",
});

keyed_enum!(
    /// What the Pareto ranks customers by.
    AbcBasis, "abc_basis", {
        Revenue => "revenue",
        Margin => "margin",
    }
);

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AbcConfig {
    pub basis: AbcBasis,
    /// Cumulative share (0..1) below which a customer is A.
    pub a_cut: f64,
    /// Cumulative share (0..1) below which a customer is B.
    pub b_cut: f64,
    /// How many points of the Pareto curve to return (2 to 10,001, including both ends).
    pub curve_points: usize,
}

impl Default for AbcConfig {
    fn default() -> Self {
        AbcConfig { basis: AbcBasis::Revenue, a_cut: 0.8, b_cut: 0.95, curve_points: 101 }
    }
}

/// One point of the Pareto curve: the top `customers` share of the ranked customers bring
/// `value` share of the total (both 0..1).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParetoPoint {
    pub customers: f64,
    pub value: f64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AbcSummary {
    pub basis: Option<AbcBasis>,
    /// Customers in A, B, C (C includes the negative ones).
    pub counts: [usize; 3],
    /// Customers inside the Pareto (non-negative value).
    pub ranked: usize,
    /// Classified C because their value is negative.
    pub negative: usize,
    /// Without a value (no orders; by margin, no known margin): not classified.
    pub unclassified: usize,
    /// With orders in a currency without a rate: not classified either, and outside the Pareto
    /// (set by the analysis; [`classify`] knows nothing of currencies).
    #[serde(default)]
    pub no_rate: usize,
    /// Sum of the ranked customers' values (major units of the reporting currency).
    pub total: f64,
    /// From (0, 0) to (1, 1) (or (1, 0) when the total is zero), evenly spaced in customers.
    pub curve: Vec<ParetoPoint>,
    /// Customers whose total margin is positive, zero, negative ("never profitable"); by margin
    /// history, whatever the basis. Customers without a known margin are in none.
    pub profitable: usize,
    pub break_even: usize,
    pub never_profitable: usize,
}

/// Classifies `values` (one per customer; `None` = not classified).
pub fn classify(values: &[Option<f64>], cfg: &AbcConfig) -> (Vec<Option<AbcClass>>, AbcSummary) {
    let (classes, summary, _) = classify_ranked(values, cfg);
    (classes, summary)
}

/// `total_cmp`'s order as an unsigned integer.
pub(crate) fn order_key(v: f64) -> u64 {
    let b = v.to_bits();
    if b >> 63 == 1 { !b } else { b | (1 << 63) }
}

fn from_order_key(k: u64) -> f64 {
    f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
}

/// [`classify`], also returning the ranked customers as `(!order_key(value), position)`,
/// largest value first.
pub(crate) fn classify_ranked(
    values: &[Option<f64>],
    cfg: &AbcConfig,
) -> (Vec<Option<AbcClass>>, AbcSummary, Vec<(u64, u32)>) {
    let mut classes = vec![None; values.len()];
    let mut summary = AbcSummary { basis: Some(cfg.basis), ..AbcSummary::default() };
    // (descending-order key, position): a plain integer sort; ties by position.
    let mut ranked: Vec<(u64, u32)> = Vec::with_capacity(values.len());
    for (i, v) in values.iter().enumerate() {
        match v {
            None => summary.unclassified += 1,
            Some(v) if v.is_nan() || *v < 0.0 => {
                // Negative (or NaN): C, outside the Pareto.
                summary.negative += 1;
                summary.counts[AbcClass::C as usize] += 1;
                classes[i] = Some(AbcClass::C);
            }
            Some(v) => ranked.push((!order_key(*v), i as u32)),
        }
    }
    ranked.sort_unstable();
    let total: f64 = ranked.iter().map(|r| from_order_key(!r.0)).sum();
    summary.total = total;
    summary.ranked = ranked.len();
    let positive = total > 0.0 && total.is_finite();
    let mut cum = 0.0;
    let n = ranked.len();
    let want = cfg.curve_points.clamp(2, 10_001);
    let mut curve = Vec::with_capacity(want.min(n + 1));
    curve.push(ParetoPoint { customers: 0.0, value: 0.0 });
    // Curve point k (1..want) sits after ceil(k × n / (want − 1)) customers.
    let mut next_point = 1usize;
    let point_at = |k: usize| -> usize { k.saturating_mul(n).div_ceil(want - 1) };
    for (k, &(key, i)) in ranked.iter().enumerate() {
        let v = from_order_key(!key);
        let before = if positive { cum / total } else { 1.0 };
        let class = if before < cfg.a_cut {
            AbcClass::A
        } else if before < cfg.b_cut {
            AbcClass::B
        } else {
            AbcClass::C
        };
        classes[i as usize] = Some(class);
        summary.counts[class as usize] += 1;
        cum += v;
        let count = k + 1;
        let mut due = false;
        while next_point < want && point_at(next_point) <= count {
            next_point += 1;
            due = true;
        }
        if due {
            let value = if positive { (cum / total).min(1.0) } else { 0.0 };
            curve.push(ParetoPoint { customers: count as f64 / n as f64, value });
        }
    }
    if n == 0 {
        curve.push(ParetoPoint { customers: 1.0, value: 0.0 });
    }
    summary.curve = curve;
    (classes, summary, ranked)
}
