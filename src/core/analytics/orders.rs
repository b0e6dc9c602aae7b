//! One customer's order analytics, for the customer page: dates, rhythm, order value and its
//! trend, revenue and margin per year and quarter, product mix and share of wallet.
//!
//! Only sales (not cancelled) dated on or before the analysis date, in the customer's currency,
//! are used; the others are counted. Choices:
//!
//! - **Orders per month** = orders / months of tenure (first order → analysis date, a month being
//!   30.4375 days), with tenure counted as at least one month so a first order today is "1 per
//!   month", not 30.
//! - **Average order value** = revenue / orders, rounded to the minor unit (half away from zero).
//! - **Trend of order value** = least-squares slope of order amount against order index
//!   (0, 1, 2, … in date order) divided by the mean amount: the relative change per order
//!   (+0.05 ≈ each order 5 % of the average bigger than the one before). `None` with fewer than
//!   two orders or a zero mean.
//! - **Product mix**: revenue share by line category (line totals); an order without lines
//!   counts its amount under the empty category `""` ("uncategorised").
//! - **Share of wallet** = revenue of the 365 days up to the analysis date / the customer's
//!   `potential_annual_spend`, when that is known and positive (it may exceed 1).

use super::lifecycle::median_i32;
use crate::core::model::{Currency, Customer, Date, Money, Order, Period};
use chrono::Datelike;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Revenue and margin of one period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodTotal {
    pub period: Period,
    pub orders: u32,
    pub revenue: Money,
    /// Sum of known margins; `None` when no order of the period has one.
    pub margin: Option<Money>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CategoryShare {
    /// As written on the order lines; `""` for orders without lines or uncategorised lines.
    pub category: String,
    pub revenue: Money,
    /// Of the mix total (0..1).
    pub share: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderAnalytics {
    pub currency: Currency,
    pub orders: u32,
    pub cancelled: u32,
    pub after_as_of: u32,
    pub other_currency: u32,
    pub first_order: Option<Date>,
    pub last_order: Option<Date>,
    pub tenure_days: Option<u32>,
    pub days_since_last: Option<u32>,
    pub distinct_days: u32,
    /// Median days between consecutive distinct order dates.
    pub median_gap_days: Option<f64>,
    /// Coefficient of variation (standard deviation / mean) of those gaps: 0 = clockwork.
    pub gap_cv: Option<f64>,
    pub orders_per_month: Option<f64>,
    pub revenue: Money,
    pub margin: Option<Money>,
    pub margin_orders: u32,
    pub average_order_value: Option<Money>,
    pub order_value_trend: Option<f64>,
    pub years: Vec<PeriodTotal>,
    pub quarters: Vec<PeriodTotal>,
    /// Largest revenue first.
    pub product_mix: Vec<CategoryShare>,
    /// Revenue of the 365 days up to the analysis date, and of the 365 before.
    pub trailing_12m: Money,
    pub previous_12m: Money,
    pub potential_annual_spend: Option<Money>,
    pub share_of_wallet: Option<f64>,
}

/// `num / den` rounded half away from zero (`den > 0`).
pub(crate) fn div_round(num: i64, den: i64) -> i64 {
    if den <= 0 {
        return 0;
    }
    let (n, d) = (i128::from(num), i128::from(den));
    let q = if n >= 0 { (n + d / 2) / d } else { (n - d / 2) / d };
    q.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

/// Least-squares slope of `y` against 0, 1, 2, … divided by the mean of `y`.
pub fn relative_trend(y: &[f64]) -> Option<f64> {
    let n = y.len();
    if n < 2 {
        return None;
    }
    let nf = n as f64;
    let mean_x = (nf - 1.0) / 2.0;
    let mean_y = y.iter().sum::<f64>() / nf;
    if mean_y == 0.0 || !mean_y.is_finite() {
        return None;
    }
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (i, v) in y.iter().enumerate() {
        let dx = i as f64 - mean_x;
        sxy += dx * (v - mean_y);
        sxx += dx * dx;
    }
    let t = sxy / sxx / mean_y;
    t.is_finite().then_some(t)
}

fn add_period(map: &mut BTreeMap<Period, (u32, i64, i64, u32)>, p: Period, o: &Order) {
    let e = map.entry(p).or_insert((0, 0, 0, 0));
    e.0 += 1;
    e.1 = e.1.saturating_add(o.amount.0);
    if let Some(m) = o.margin {
        e.2 = e.2.saturating_add(m.0);
        e.3 += 1;
    }
}

fn period_totals(map: BTreeMap<Period, (u32, i64, i64, u32)>) -> Vec<PeriodTotal> {
    map.into_iter()
        .map(|(period, (orders, revenue, margin, known))| PeriodTotal {
            period,
            orders,
            revenue: Money(revenue),
            margin: (known > 0).then_some(Money(margin)),
        })
        .collect()
}

/// The order analytics of `customer` from its orders (orders of other customers are ignored).
pub fn order_analytics<'o>(
    customer: &Customer,
    orders: impl IntoIterator<Item = &'o Order>,
    as_of: Date,
) -> OrderAnalytics {
    let mut out = OrderAnalytics {
        currency: customer.currency,
        orders: 0,
        cancelled: 0,
        after_as_of: 0,
        other_currency: 0,
        first_order: None,
        last_order: None,
        tenure_days: None,
        days_since_last: None,
        distinct_days: 0,
        median_gap_days: None,
        gap_cv: None,
        orders_per_month: None,
        revenue: Money::ZERO,
        margin: None,
        margin_orders: 0,
        average_order_value: None,
        order_value_trend: None,
        years: Vec::new(),
        quarters: Vec::new(),
        product_mix: Vec::new(),
        trailing_12m: Money::ZERO,
        previous_12m: Money::ZERO,
        potential_annual_spend: customer.potential_annual_spend,
        share_of_wallet: None,
    };
    let mut sales: Vec<&Order> = Vec::new();
    for o in orders {
        if o.customer_id != customer.id {
            continue;
        }
        if !o.counts_as_sale() {
            out.cancelled += 1;
        } else if o.date > as_of {
            out.after_as_of += 1;
        } else if o.currency != customer.currency {
            out.other_currency += 1;
        } else {
            sales.push(o);
        }
    }
    sales.sort_by(|p, q| p.date.cmp(&q.date).then_with(|| p.id.cmp(&q.id)));
    let (Some(first), Some(last)) = (sales.first(), sales.last()) else {
        return out;
    };
    let (first, last) = (first.date, last.date);
    out.orders = u32::try_from(sales.len()).unwrap_or(u32::MAX);
    out.first_order = Some(first);
    out.last_order = Some(last);
    let tenure = (as_of - first).num_days().max(0);
    out.tenure_days = Some(tenure.min(i64::from(u32::MAX)) as u32);
    out.days_since_last = Some((as_of - last).num_days().clamp(0, i64::from(u32::MAX)) as u32);
    let months = (tenure as f64 / 30.4375).max(1.0);
    out.orders_per_month = Some(f64::from(out.orders) / months);

    let mut days: Vec<i32> = sales.iter().map(|o| o.date.num_days_from_ce()).collect();
    days.dedup();
    out.distinct_days = days.len() as u32;
    let mut gaps: Vec<i32> = days.windows(2).map(|w| w[1].saturating_sub(w[0])).collect();
    if !gaps.is_empty() {
        let mean = gaps.iter().map(|&g| f64::from(g)).sum::<f64>() / gaps.len() as f64;
        let var = gaps.iter().map(|&g| (f64::from(g) - mean) * (f64::from(g) - mean)).sum::<f64>() / gaps.len() as f64;
        out.gap_cv = (mean > 0.0).then(|| libm::sqrt(var) / mean);
        out.median_gap_days = median_i32(&mut gaps);
    }

    let a = as_of.num_days_from_ce();
    let (mut revenue, mut margin, mut known) = (0i64, 0i64, 0u32);
    let (mut t12, mut p12) = (0i64, 0i64);
    let mut years = BTreeMap::new();
    let mut quarters = BTreeMap::new();
    let mut mix: BTreeMap<&str, i64> = BTreeMap::new();
    for o in &sales {
        revenue = revenue.saturating_add(o.amount.0);
        if let Some(m) = o.margin {
            margin = margin.saturating_add(m.0);
            known += 1;
        }
        let back = a - o.date.num_days_from_ce();
        if back < 365 {
            t12 = t12.saturating_add(o.amount.0);
        } else if back < 730 {
            p12 = p12.saturating_add(o.amount.0);
        }
        add_period(&mut years, Period::Year(o.date.year()), o);
        add_period(&mut quarters, Period::quarter_of(o.date), o);
        if o.lines.is_empty() {
            let e = mix.entry("").or_insert(0);
            *e = e.saturating_add(o.amount.0);
        } else {
            for l in &o.lines {
                let e = mix.entry(l.category.trim()).or_insert(0);
                *e = e.saturating_add(l.total().0);
            }
        }
    }
    out.revenue = Money(revenue);
    out.margin = (known > 0).then_some(Money(margin));
    out.margin_orders = known;
    out.average_order_value = Some(Money(div_round(revenue, i64::from(out.orders))));
    let amounts: Vec<f64> = sales.iter().map(|o| o.amount.0 as f64).collect();
    out.order_value_trend = relative_trend(&amounts);
    out.years = period_totals(years);
    out.quarters = period_totals(quarters);
    let mix_total: f64 = mix.values().map(|&v| v as f64).sum();
    let mut shares: Vec<CategoryShare> = mix
        .into_iter()
        .map(|(category, v)| CategoryShare {
            category: category.to_string(),
            revenue: Money(v),
            share: if mix_total > 0.0 { v as f64 / mix_total } else { 0.0 },
        })
        .collect();
    shares.sort_by(|p, q| q.revenue.cmp(&p.revenue).then_with(|| p.category.cmp(&q.category)));
    out.product_mix = shares;
    out.trailing_12m = Money(t12);
    out.previous_12m = Money(p12);
    out.share_of_wallet = customer.potential_annual_spend.filter(|p| p.0 > 0).map(|p| t12 as f64 / p.0 as f64);
    out
}
