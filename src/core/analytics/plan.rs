//! Sales plan by region: actual revenue against each `RegionPlan`.
//!
//! Actual = sales (not cancelled) dated within the plan's period and on or before the analysis
//! date, of customers whose `region` equals the plan's (both trimmed, case-sensitive), in the
//! plan's currency; sales in another currency are counted in `other_currency_orders`, not
//! converted. `elapsed` is the share of the period's days up to the analysis date, so
//! `attainment / elapsed` tells whether the region is on track.
//!
//! **In the reporting currency** (the `_report` fields, [`crate::core::fx`]): the target is
//! converted at the rate valid on the period's first day, and the actual is every sale of the
//! region in the period, whatever its currency, each converted at the rate valid on its date (the
//! exact sum, rounded once). Sales in a currency without a rate are left out and counted
//! (`unrated_orders`, with their currencies); a plan in such a currency has no reporting target.

use super::index::CustomerIndex;
use crate::core::fx::{Fx, FxTable, ReportSum};
use crate::core::model::{Currency, Customer, Date, Money, Order, Period, RegionPlan};
use crate::core::workspace::Workspace;
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
    /// The currency of the `_report` figures.
    #[serde(default)]
    pub report_currency: Currency,
    /// The target at the rate valid on the period's first day; `None` without a rate.
    #[serde(default)]
    pub target_report: Option<Money>,
    /// Every sale of the region in the period with a rate, converted at its date's rate.
    #[serde(default)]
    pub actual_report: Money,
    /// Sales in `actual_report`.
    #[serde(default)]
    pub report_orders: u32,
    /// Sales left out of `actual_report` for want of a rate, and their currencies (sorted).
    #[serde(default)]
    pub unrated_orders: u32,
    #[serde(default)]
    pub unrated_currencies: Vec<Currency>,
    /// actual_report / target_report; `None` for a zero or missing reporting target.
    #[serde(default)]
    pub attainment_report: Option<f64>,
}

/// A plan's row and its first and last day (day numbers).
type PlanSpan = (usize, i32, i32);

/// The rows of `plans` (actual still zero; reporting figures in CNY without rates) and, per
/// trimmed region, their spans.
fn plan_rows<'p>(
    plans: impl IntoIterator<Item = &'p RegionPlan>,
    as_of: Date,
) -> (Vec<PlanActual>, HashMap<&'p str, Vec<PlanSpan>>) {
    let mut rows: Vec<PlanActual> = Vec::new();
    // Plans per region, as (row, first day, last day).
    let mut by_region: HashMap<&str, Vec<PlanSpan>> = HashMap::new();
    let a = as_of.num_days_from_ce();
    for (k, p) in plans.into_iter().enumerate() {
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
            report_currency: Currency::default(),
            target_report: None,
            actual_report: Money::ZERO,
            report_orders: 0,
            unrated_orders: 0,
            unrated_currencies: Vec::new(),
            attainment_report: None,
        });
        if let Some((s, e)) = bounds {
            by_region.entry(p.region.trim()).or_default().push((k, s.num_days_from_ce(), e.num_days_from_ce()));
        }
    }
    (rows, by_region)
}

/// The rows with their exact reporting sums while orders are counted.
#[derive(Clone, Debug)]
struct Rows {
    rows: Vec<PlanActual>,
    exact: Vec<ReportSum>,
    fx: FxTable,
}

impl Rows {
    fn new(rows: Vec<PlanActual>, fx: &Fx) -> Rows {
        Rows { exact: vec![ReportSum::ZERO; rows.len()], rows, fx: fx.table() }
    }

    fn count(&mut self, k: usize, o: &Order) {
        let (Some(row), Some(exact)) = (self.rows.get_mut(k), self.exact.get_mut(k)) else { return };
        if row.currency == o.currency {
            row.actual = row.actual.saturating_add(o.amount);
            row.orders += 1;
        } else {
            row.other_currency_orders += 1;
        }
        match self.fx.exact(o.amount, o.currency, o.date) {
            Some(x) => {
                exact.add(x);
                row.report_orders += 1;
            }
            None => {
                row.unrated_orders += 1;
                if let Err(i) = row.unrated_currencies.binary_search(&o.currency) {
                    row.unrated_currencies.insert(i, o.currency);
                }
            }
        }
    }

    fn finish(self) -> Vec<PlanActual> {
        let Rows { mut rows, exact, fx } = self;
        for (row, x) in rows.iter_mut().zip(exact) {
            row.attainment = (row.target.0 > 0).then(|| row.actual.0 as f64 / row.target.0 as f64);
            row.report_currency = fx.reporting();
            row.actual_report = fx.money(x);
            row.target_report = row.period.bounds().and_then(|(first, _)| fx.convert(row.target, row.currency, first));
            row.attainment_report =
                row.target_report.filter(|t| t.0 > 0).map(|t| row.actual_report.0 as f64 / t.0 as f64);
        }
        rows
    }
}

/// One row per plan, in the plans' order; the reporting figures in `fx`'s reporting currency.
pub fn plan_vs_actual(
    customers: &[Customer],
    orders: &[Order],
    plans: &[RegionPlan],
    as_of: Date,
    fx: &Fx,
) -> Vec<PlanActual> {
    let (rows, by_region) = plan_rows(plans, as_of);
    let mut rows = Rows::new(rows, fx);
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
                rows.count(k, o);
            }
        }
    }
    rows.finish()
}

/// [`plan_vs_actual`] of the plans `pick` keeps (in their order), through the workspace's
/// per-customer, date-sorted index of orders: each customer's orders are read from the newest
/// back to the earliest start of its region's picked plans, so the plans of the current period
/// (`|p| p.period.contains(as_of)`) read only this period's orders.
pub fn plan_vs_actual_workspace(
    ws: &Workspace,
    pick: impl Fn(&RegionPlan) -> bool,
    as_of: Date,
    fx: &Fx,
) -> Vec<PlanActual> {
    let mut b = PlanBuilder::new(ws, pick, as_of).with_fx(fx);
    b.add_customers(ws, 0..ws.data.customers.len());
    b.finish()
}

/// [`plan_vs_actual_workspace`] a range of customers at a time (for short browser tasks).
#[derive(Clone, Debug)]
pub struct PlanBuilder {
    a: i32,
    rows: Rows,
    /// Per trimmed region: its plans' (row, first day, last day) and the earliest first day.
    regions: HashMap<String, (Vec<PlanSpan>, i32)>,
}

impl PlanBuilder {
    /// Reports in CNY with no rates until [`PlanBuilder::with_fx`] says otherwise.
    pub fn new(ws: &Workspace, pick: impl Fn(&RegionPlan) -> bool, as_of: Date) -> PlanBuilder {
        let (rows, by_region) = plan_rows(ws.data.plans.iter().filter(|p| pick(p)), as_of);
        let regions = by_region
            .into_iter()
            .map(|(r, spans)| {
                let from = spans.iter().map(|s| s.1).min().unwrap_or(i32::MAX);
                (r.to_string(), (spans, from))
            })
            .collect();
        PlanBuilder { a: as_of.num_days_from_ce(), rows: Rows::new(rows, &Fx::default()), regions }
    }

    /// The reporting figures in `fx`'s reporting currency (call before adding anything).
    pub fn with_fx(mut self, fx: &Fx) -> PlanBuilder {
        self.rows.fx = fx.table();
        self
    }

    /// Adds the orders of the workspace's customers in `range` (positions); each customer once.
    pub fn add_customers(&mut self, ws: &Workspace, range: std::ops::Range<usize>) {
        if self.regions.is_empty() {
            return;
        }
        let data = &ws.data;
        for i in range {
            let Some(c) = data.customers.get(i) else { break };
            let Some((spans, from)) = self.regions.get(c.region.trim()) else { continue };
            for &k in ws.children(i).orders.iter().rev() {
                let Some(o) = data.orders.get(k) else { continue };
                let day = o.date.num_days_from_ce();
                if day < *from {
                    break;
                }
                if !o.counts_as_sale() || day > self.a {
                    continue;
                }
                for &(row, s, e) in spans {
                    if s <= day && day <= e {
                        self.rows.count(row, o);
                    }
                }
            }
        }
    }

    pub fn finish(self) -> Vec<PlanActual> {
        self.rows.finish()
    }
}
