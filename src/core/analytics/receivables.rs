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
//! - **In the reporting currency** ([`Receivables::report`]): the same portfolio figures with
//!   every invoice converted at the rate valid on its **issue date** ([`crate::core::fx`]; each
//!   figure is the exact sum, rounded once). Invoices in a currency without a rate are left out of
//!   them and listed per currency (how many, of how many customers, and their outstanding amount
//!   in their own currency).

use super::index::CustomerIndex;
use crate::core::fx::{Coverage, Fx, FxTable, ReportSum};
use crate::core::model::{Currency, Customer, Date, Invoice, Money, keyed_enum};
use crate::core::workspace::Workspace;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

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

/// What one invoice adds to an aging at the analysis date.
struct InvoiceFacts {
    /// Issued in the 90 days up to the analysis date.
    recent: bool,
    /// Outstanding and days past due, when something is outstanding.
    open: Option<(Money, i64)>,
}

impl InvoiceFacts {
    fn of(inv: &Invoice, as_of: Date) -> InvoiceFacts {
        let back = (as_of - inv.issue_date).num_days();
        let out = inv.outstanding(as_of);
        // `Invoice::days_overdue`, without reading the payments again.
        let days = if inv.issue_date > as_of { 0 } else { (as_of - inv.due_date).num_days().max(0) };
        InvoiceFacts { recent: (0..90).contains(&back), open: (out.0 > 0).then_some((out, days)) }
    }
}

impl Aging {
    fn add(&mut self, inv: &Invoice, as_of: Date) {
        self.invoices += 1;
        let facts = InvoiceFacts::of(inv, as_of);
        if facts.recent {
            self.sales_90d = self.sales_90d.saturating_add(inv.amount);
        }
        let Some((out, days)) = facts.open else { return };
        self.open_invoices += 1;
        self.outstanding = self.outstanding.saturating_add(out);
        if days > 0 {
            self.overdue = self.overdue.saturating_add(out);
        }
        let b = AgingBucket::of_days_overdue(days) as usize;
        self.buckets[b] = self.buckets[b].saturating_add(out);
        self.max_days_overdue = self.max_days_overdue.max(days);
    }

    fn merge(&mut self, o: &Aging) {
        self.invoices += o.invoices;
        self.open_invoices += o.open_invoices;
        self.outstanding = self.outstanding.saturating_add(o.outstanding);
        self.overdue = self.overdue.saturating_add(o.overdue);
        for (b, x) in self.buckets.iter_mut().zip(&o.buckets) {
            *b = b.saturating_add(*x);
        }
        self.sales_90d = self.sales_90d.saturating_add(o.sales_90d);
        self.max_days_overdue = self.max_days_overdue.max(o.max_days_overdue);
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

/// The portfolio in the reporting currency.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportReceivables {
    /// The reporting currency, and the invoices left out for want of a rate (`count` invoices of
    /// `customers` customers, `amount` = their outstanding, in their own currency).
    pub fx: Coverage,
    /// Every other invoice converted at the rate valid on its issue date.
    pub aging: Aging,
    pub dso: Option<f64>,
}

/// An [`Aging`] in the reporting currency while it is summed (exact until [`ExactAging::finish`]).
#[derive(Clone, Debug, Default)]
struct ExactAging {
    invoices: u32,
    open_invoices: u32,
    outstanding: ReportSum,
    overdue: ReportSum,
    buckets: [ReportSum; 5],
    sales_90d: ReportSum,
    max_days_overdue: i64,
}

impl ExactAging {
    fn add(&mut self, inv: &Invoice, as_of: Date, series: crate::core::fx::Series<'_>) {
        use chrono::Datelike;
        let day = inv.issue_date.num_days_from_ce();
        self.invoices += 1;
        let facts = InvoiceFacts::of(inv, as_of);
        if facts.recent {
            self.sales_90d.add(series.exact(day, inv.amount.0));
        }
        let Some((out, days)) = facts.open else { return };
        let out = series.exact(day, out.0);
        self.open_invoices += 1;
        self.outstanding.add(out);
        if days > 0 {
            self.overdue.add(out);
        }
        self.buckets[AgingBucket::of_days_overdue(days) as usize].add(out);
        self.max_days_overdue = self.max_days_overdue.max(days);
    }

    fn finish(&self, fx: &FxTable) -> Aging {
        Aging {
            invoices: self.invoices,
            open_invoices: self.open_invoices,
            outstanding: fx.money(self.outstanding),
            overdue: fx.money(self.overdue),
            buckets: self.buckets.map(|b| fx.money(b)),
            sales_90d: fx.money(self.sales_90d),
            max_days_overdue: self.max_days_overdue,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Receivables {
    /// One per customer, in the customers' order.
    pub customers: Vec<CustomerReceivables>,
    /// Portfolio totals per currency (invoice currency), sorted by currency code.
    pub totals: Vec<CurrencyReceivables>,
    /// Portfolio totals in the reporting currency, and what they leave out.
    #[serde(default)]
    pub report: ReportReceivables,
    /// Positions of the customers over their credit limit, largest excess first.
    pub over_limit: Vec<usize>,
    pub unknown_customer_invoices: u32,
    pub issued_after_as_of: u32,
}

/// The receivables of `customers` from `invoices`, with the portfolio in `fx`'s reporting currency.
pub fn receivables(customers: &[Customer], invoices: &[Invoice], as_of: Date, fx: &Fx) -> Receivables {
    let index = CustomerIndex::new(customers);
    let mut b = ReceivablesBuilder::new(customers.len(), as_of).with_fx(fx);
    for inv in invoices {
        match index.get(&inv.customer_id) {
            Some(c) => b.add_invoice(c, customers[c].currency, inv),
            None if inv.issue_date > as_of => b.out.issued_after_as_of += 1,
            None => b.out.unknown_customer_invoices += 1,
        }
    }
    b.finish(customers)
}

/// [`receivables`] through the workspace's per-customer index of invoices (no customer id is
/// looked up). Invoices of customers the workspace does not know are not seen, so
/// `unknown_customer_invoices` stays 0.
pub fn receivables_workspace(ws: &Workspace, as_of: Date, fx: &Fx) -> Receivables {
    let mut b = ReceivablesBuilder::new(ws.data.customers.len(), as_of).with_fx(fx);
    b.add_customers(ws, 0..ws.data.customers.len());
    b.finish(&ws.data.customers)
}

/// [`receivables_workspace`] a range of customers at a time, so a browser can spread 100k
/// customers' invoices over several short tasks: [`ReceivablesBuilder::add_customers`] for
/// consecutive ranges, then [`ReceivablesBuilder::finish`].
#[derive(Clone, Debug)]
pub struct ReceivablesBuilder {
    as_of: Date,
    per: Vec<CustomerReceivables>,
    totals: BTreeMap<Currency, Aging>,
    out: Receivables,
    fx: FxTable,
    report: ExactAging,
    coverage: Coverage,
    /// (currency without a rate, customer position) of the invoices left out: customers per currency.
    missing: BTreeSet<(Currency, usize)>,
}

impl ReceivablesBuilder {
    /// Reports in CNY with no rates until [`ReceivablesBuilder::with_fx`] says otherwise.
    pub fn new(customers: usize, as_of: Date) -> ReceivablesBuilder {
        let fx = Fx::default();
        ReceivablesBuilder {
            as_of,
            per: vec![CustomerReceivables::default(); customers],
            totals: BTreeMap::new(),
            out: Receivables::default(),
            coverage: Coverage::new(fx.reporting),
            fx: fx.table(),
            report: ExactAging::default(),
            missing: BTreeSet::new(),
        }
    }

    /// The portfolio in `fx`'s reporting currency (call before adding anything).
    pub fn with_fx(mut self, fx: &Fx) -> ReceivablesBuilder {
        self.fx = fx.table();
        self.coverage = Coverage::new(fx.reporting);
        self
    }

    /// Adds customer `c`'s invoice (issued on or before the analysis date) to the reporting
    /// totals, or to what they leave out.
    fn report(&mut self, c: usize, inv: &Invoice) {
        match self.fx.series(inv.currency) {
            Some(series) => self.report.add(inv, self.as_of, series),
            None => {
                self.missing.insert((inv.currency, c));
                let out = inv.outstanding(self.as_of).0.max(0);
                self.coverage.note(inv.currency, 0, 1, Money(out));
            }
        }
    }

    fn add_invoice(&mut self, c: usize, currency: Currency, inv: &Invoice) {
        if inv.issue_date > self.as_of {
            self.out.issued_after_as_of += 1;
            return;
        }
        self.totals.entry(inv.currency).or_default().add(inv, self.as_of);
        self.report(c, inv);
        let Some(r) = self.per.get_mut(c) else { return };
        if inv.currency != currency {
            r.other_currency_invoices += 1;
            return;
        }
        r.aging.add(inv, self.as_of);
    }

    /// Adds the invoices of the workspace's customers in `range` (positions); each customer
    /// once. A customer's invoices in its own currency go into its aging, which is then added to
    /// that currency's total as a whole.
    pub fn add_customers(&mut self, ws: &Workspace, range: std::ops::Range<usize>) {
        let data = &ws.data;
        let as_of = self.as_of;
        for c in range {
            let (Some(customer), Some(r)) = (data.customers.get(c), self.per.get_mut(c)) else { break };
            let mut own = Aging::default();
            for &k in &ws.children(c).invoices {
                let Some(inv) = data.invoices.get(k) else { continue };
                if inv.issue_date > as_of {
                    self.out.issued_after_as_of += 1;
                } else if inv.currency == customer.currency {
                    own.add(inv, as_of);
                } else {
                    r.other_currency_invoices += 1;
                    self.totals.entry(inv.currency).or_default().add(inv, as_of);
                }
            }
            if own.invoices > 0 {
                self.totals.entry(customer.currency).or_default().merge(&own);
                r.aging.merge(&own);
            }
            for &k in &ws.children(c).invoices {
                if let Some(inv) = data.invoices.get(k).filter(|inv| inv.issue_date <= as_of) {
                    self.report(c, inv);
                }
            }
        }
    }

    pub fn finish(self, customers: &[Customer]) -> Receivables {
        let ReceivablesBuilder { mut per, totals, mut out, fx, report, mut coverage, missing, .. } = self;
        for (currency, _) in missing {
            coverage.note(currency, 1, 0, Money::ZERO);
        }
        let aging = report.finish(&fx);
        out.report = ReportReceivables { fx: coverage, dso: aging.dso(), aging };
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
        over.sort_unstable_by(|p, q| q.0.cmp(&p.0).then(p.1.cmp(&q.1)));
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
}

/// One bar of an aging chart: customers billed in one currency, one bucket.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgingBar {
    /// Their outstanding amounts in the bucket (the customer's currency).
    pub amount: Money,
    /// Customers with anything in the bucket: exactly those the customer list shows for
    /// `aging=<bucket>&currency=<currency>`.
    pub customers: usize,
}

/// The aging chart of the customers billed in one currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrencyAging {
    pub currency: Currency,
    /// Customers billed in it with something outstanding.
    pub customers: usize,
    /// Indexed by `AgingBucket as usize`.
    pub bars: [AgingBar; 5],
}

/// An aging chart per currency that customers are billed in and owe something in, most such
/// customers first (ties by currency code), from the per-customer figures, so each bar matches
/// the customer list filtered to its bucket and currency. Unlike [`Receivables::totals`] (per
/// invoice currency), invoices in a currency other than their customer's are left out (they are
/// counted in `other_currency_invoices`).
pub fn aging_by_currency(customers: &[Customer], r: &Receivables) -> Vec<CurrencyAging> {
    let mut by: BTreeMap<Currency, CurrencyAging> = BTreeMap::new();
    for (c, cr) in customers.iter().zip(&r.customers) {
        if cr.aging.outstanding.0 <= 0 {
            continue;
        }
        let e = by.entry(c.currency).or_insert_with(|| CurrencyAging {
            currency: c.currency,
            customers: 0,
            bars: Default::default(),
        });
        e.customers += 1;
        for (bar, &m) in e.bars.iter_mut().zip(&cr.aging.buckets) {
            if m.0 > 0 {
                bar.amount = bar.amount.saturating_add(m);
                bar.customers += 1;
            }
        }
    }
    let mut v: Vec<CurrencyAging> = by.into_values().collect();
    crate::core::sort::sort_by(&mut v, &|a, b| b.customers.cmp(&a.customers));
    v
}
