//! Sales plan by region: actual revenue against each `RegionPlan`.
//!
//! Actual = sales (not cancelled) dated within the plan's period and on or before the analysis
//! date, of customers whose `region` equals the plan's (both trimmed, case-sensitive), in the
//! plan's currency; sales in another currency are counted in `other_currency_orders`, not
//! converted. `elapsed` is the share of the period's days up to the analysis date, so
//! `attainment / elapsed` tells whether the region is on track.

use super::index::CustomerIndex;
use crate::core::model::{Currency, Customer, Date, Money, Order, Period, RegionPlan};
use chrono::Datelike;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanActual {
    pub plan_id: String,
    pub region: String,
    pub period: Period,
    pub currency: Currency,
    pub target: Money,
    pub actual: Money,
    pub orders: u32,
    pub other_currency_orders: u32,
    /// actual / target; `None` for a zero target.
    pub attainment: Option<f64>,
    /// Share (0..1) of the period's days on or before the analysis date.
    pub elapsed: f64,
}

/// A plan's row and its first and last day (day numbers).
type PlanSpan = (usize, i32, i32);

/// One row per plan, in the plans' order.
pub fn plan_vs_actual(customers: &[Customer], orders: &[Order], plans: &[RegionPlan], as_of: Date) -> Vec<PlanActual> {
    let mut rows: Vec<PlanActual> = Vec::with_capacity(plans.len());
    // Plans per region, as (row, first day, last day).
    let mut by_region: HashMap<&str, Vec<PlanSpan>> = HashMap::new();
    let a = as_of.num_days_from_ce();
    for (k, p) in plans.iter().enumerate() {
        let bounds = p.period.bounds();
        let elapsed = bounds.map_or(0.0, |(s, e)| {
            let (s, e) = (s.num_days_from_ce(), e.num_days_from_ce());
            f64::from((a.min(e) - s + 1).max(0)) / f64::from(e - s + 1)
        });
        rows.push(PlanActual {
            plan_id: p.id.clone(),
            region: p.region.clone(),
            period: p.period,
            currency: p.currency,
            target: p.target,
            actual: Money::ZERO,
            orders: 0,
            other_currency_orders: 0,
            attainment: None,
            elapsed,
        });
        if let Some((s, e)) = bounds {
            by_region.entry(p.region.trim()).or_default().push((k, s.num_days_from_ce(), e.num_days_from_ce()));
        }
    }
    let index = CustomerIndex::new(customers);
    let region_plans: Vec<Option<&Vec<PlanSpan>>> = customers.iter().map(|c| by_region.get(c.region.trim())).collect();
    for o in orders {
        if !o.counts_as_sale() || o.date > as_of {
            continue;
        }
        let Some(list) = index.get(&o.customer_id).and_then(|c| region_plans[c]) else { continue };
        let day = o.date.num_days_from_ce();
        for &(k, s, e) in list {
            if s <= day && day <= e {
                let row = &mut rows[k];
                if row.currency == o.currency {
                    row.actual = row.actual.saturating_add(o.amount);
                    row.orders += 1;
                } else {
                    row.other_currency_orders += 1;
                }
            }
        }
    }
    for row in &mut rows {
        row.attainment = (row.target.0 > 0).then(|| row.actual.0 as f64 / row.target.0 as f64);
    }
    rows
}
