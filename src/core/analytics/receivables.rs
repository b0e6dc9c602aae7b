//! Receivables and credit risk from invoices.
//!
//! Invoices issued after the analysis date are ignored; payments count when dated on or before it
//! (`Invoice::outstanding`). Per customer only invoices in the customer's currency count (others
//! are counted in `other_currency_invoices`); portfolio totals are per currency.
//!
//! - **Aging** buckets the outstanding amount of each invoice by days past due at the analysis
//!   date: current (not yet due), 1–30, 31–60, 61–90, over 90.
//! - **Overdue** = outstanding on invoices at least one day past due.
//! - **DSO** (days sales outstanding) = outstanding / credit sales of the last 90 days × 90, where
//!   credit sales are the amounts of invoices issued in the 90 days up to and including the
//!   analysis date; `None` without such sales.
//! - **Credit-limit utilisation** = outstanding / credit limit (`None` without a limit or with a
//!   zero limit); **over limit** when outstanding exceeds the limit (any outstanding amount
//!   exceeds a zero limit).

use super::index::CustomerIndex;
use crate::core::model::{Currency, Customer, Date, Invoice, Money, keyed_enum};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

keyed_enum!(AgingBucket, "aging", {
    Current => "current",
    Days1To30 => "1_30",
    Days31To60 => "31_60",
    Days61To90 => "61_90",
    Over90 => "over_90",
});

impl AgingBucket {
    pub fn of_days_overdue(days: i64) -> AgingBucket {
        match days {
            d if d <= 0 => AgingBucket::Current,
            1..=30 => AgingBucket::Days1To30,
            31..=60 => AgingBucket::Days31To60,
            61..=90 => AgingBucket::Days61To90,
            _ => AgingBucket::Over90,
        }
    }
}

/// Outstanding, overdue and aging amounts of some invoices in one currency.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Aging {
    pub invoices: u32,
    /// Invoices with something outstanding.
    pub open_invoices: u32,
    pub outstanding: Money,
    pub overdue: Money,
    /// Indexed by `AgingBucket as usize`.
    pub buckets: [Money; 5],
    /// Invoiced in the 90 days up to the analysis date.
    pub sales_90d: Money,
    pub max_days_overdue: i64,
}

impl Aging {
    fn add(&mut self, inv: &Invoice, as_of: Date) {
        self.invoices += 1;
        let back = (as_of - inv.issue_date).num_days();
        if (0..90).contains(&back) {
            self.sales_90d = self.sales_90d.saturating_add(inv.amount);
        }
        let out = inv.outstanding(as_of);
        if out.0 <= 0 {
            return;
        }
        self.open_invoices += 1;
        let days = inv.days_overdue(as_of);
        self.outstanding = self.outstanding.saturating_add(out);
        if days > 0 {
            self.overdue = self.overdue.saturating_add(out);
        }
        let b = AgingBucket::of_days_overdue(days) as usize;
        self.buckets[b] = self.buckets[b].saturating_add(out);
        self.max_days_overdue = self.max_days_overdue.max(days);
    }

    /// Days sales outstanding (see the module documentation).
    pub fn dso(&self) -> Option<f64> {
        (self.sales_90d.0 > 0).then(|| self.outstanding.0 as f64 / self.sales_90d.0 as f64 * 90.0)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerReceivables {
    pub aging: Aging,
    pub dso: Option<f64>,
    pub credit_limit: Option<Money>,
    pub utilisation: Option<f64>,
    pub over_limit: bool,
    pub other_currency_invoices: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CurrencyReceivables {
    pub currency: Currency,
    pub aging: Aging,
    pub dso: Option<f64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Receivables {
    /// One per customer, in the customers' order.
    pub customers: Vec<CustomerReceivables>,
    /// Portfolio totals per currency (invoice currency), sorted by currency code.
    pub totals: Vec<CurrencyReceivables>,
    /// Positions of the customers over their credit limit, largest excess first.
    pub over_limit: Vec<usize>,
    pub unknown_customer_invoices: u32,
    pub issued_after_as_of: u32,
}

pub fn receivables(customers: &[Customer], invoices: &[Invoice], as_of: Date) -> Receivables {
    let index = CustomerIndex::new(customers);
    let mut per: Vec<CustomerReceivables> = vec![CustomerReceivables::default(); customers.len()];
    let mut totals: BTreeMap<Currency, Aging> = BTreeMap::new();
    let mut out = Receivables::default();
    for inv in invoices {
        if inv.issue_date > as_of {
            out.issued_after_as_of += 1;
            continue;
        }
        let Some(c) = index.get(&inv.customer_id) else {
            out.unknown_customer_invoices += 1;
            continue;
        };
        totals.entry(inv.currency).or_default().add(inv, as_of);
        if inv.currency != customers[c].currency {
            per[c].other_currency_invoices += 1;
            continue;
        }
        per[c].aging.add(inv, as_of);
    }
    let mut over: Vec<(i64, usize)> = Vec::new();
    for (i, (r, c)) in per.iter_mut().zip(customers).enumerate() {
        r.dso = r.aging.dso();
        r.credit_limit = c.credit_limit;
        if let Some(limit) = c.credit_limit {
            let outstanding = r.aging.outstanding;
            r.utilisation = (limit.0 > 0).then(|| outstanding.0 as f64 / limit.0 as f64);
            r.over_limit = outstanding > limit;
            if r.over_limit {
                over.push((outstanding.saturating_sub(limit).0, i));
            }
        }
    }
    over.sort_by(|p, q| q.0.cmp(&p.0).then(p.1.cmp(&q.1)));
    out.over_limit = over.into_iter().map(|(_, i)| i).collect();
    out.totals = totals
        .into_iter()
        .map(|(currency, aging)| {
            let dso = aging.dso();
            CurrencyReceivables { currency, aging, dso }
        })
        .collect();
    out.customers = per;
    out
}
