//! Segmentation and 7P analytics (issue 5): pure functions of records and an analysis date.
//!
//! - [`analyze`] / [`analyze_workspace`] — the per-customer table in one pass over the orders: R, F, M and their scores,
//!   RFM segment ([`rfm`]), ABC class ([`abc`]), lifecycle stage and gap warning
//!   ([`lifecycle`]). Built for 100 k customers / 1 M orders within a frame budget.
//! - [`bgnbd`] — the BG/NBD model: fitting (resumable, [`bgnbd::Fitter`]), P(alive), expected
//!   orders, CLV. Kept out of `analyze` because fitting is slower.
//! - [`orders`] — one customer's order analytics (periods, product mix, share of wallet).
//! - [`receivables`], [`satisfaction`], [`plan`], [`scorecard`] (the 7P) and [`csv`].
//!
//! **Common rules.** Only orders that count as a sale (`Order::counts_as_sale`, i.e. not
//! cancelled) and are dated on or before the analysis date are used. The analysis date is an
//! input (the caller's "today"); nothing here reads a clock.
//!
//! **Currency.** Per-customer figures are in the customer's currency (its sales in another
//! currency are left out of them and counted — the demo generator always bills a customer in its
//! own currency). Everything that adds up or compares money *across* customers or currencies is
//! in the **reporting currency** of [`AnalysisConfig::fx`] ([`crate::core::fx`]: each order
//! converted exactly at the rate valid on its date): M scores, ABC classes and the Pareto curve,
//! the churn list's order, CLV beside its own-currency figure, receivables and plan totals. Each
//! row carries its reporting figures beside its own (`monetary_report`, `margin_report`). A
//! currency without a rate is never counted 1:1: its customers get no reporting figures
//! (`no_rate`), are left out of the M scores (so of the RFM segments), ABC and the Pareto, and
//! [`Analysis::fx`] lists, per such currency, how many customers and orders and how much is left
//! out. Money sums are exact integers (saturating); ratios, scores and model outputs are `f64`.
//!
//! Nothing here panics on any input: no `unwrap` on data, sorting of floats with `total_cmp`.
//!
//! **Speed** (100 k demo customers, ~1 M orders, native release, `cargo bench --bench analytics`):
//! [`analyze_workspace`] ~25–35 ms — it reads every order by position through the workspace's
//! per-customer index; [`analyze`] from bare slices ~100–120 ms, almost all of it spent grouping
//! the orders by their `customer_id` strings (one heap string per order: memory latency, not
//! hashing); [`bgnbd::fit_bgnbd`] ~80 ms. Scores use histograms for R and F and one sort shared
//! by M and ABC; per-customer work is one pass over a compact, date-sorted `Sale` list.

pub mod abc;
pub mod bgnbd;
pub mod csv;
pub mod forecast;
pub mod index;
pub mod lifecycle;
pub mod orders;
pub mod plan;
pub mod receivables;
pub mod reps;
pub mod rfm;
pub mod satisfaction;
pub mod scorecard;

pub use bgnbd::fit_bgnbd;

use crate::core::fx::{Coverage, Fx, FxTable};
use crate::core::model::Dataset;
use crate::core::model::{Customer, Date, Money, Order};
use crate::core::workspace::Workspace;
use abc::{AbcClass, AbcConfig, AbcSummary};
use chrono::Datelike;
use index::{CustomerIndex, OrderCounts, Sale, SalesIndex, date_of};
use lifecycle::{GapCheck, GapConfig, LifecycleConfig, Stage, StageFacts};
use rfm::{RfmConfig, RfmScores, RfmScoring, SegmentTable};
use serde::{Deserialize, Serialize};

/// Everything the analysis can be tuned with; serde-serialisable, every field defaulted. (A
/// configuration saved before the reporting currency, with its undated `rates` map, still loads:
/// unknown fields are ignored, and those rates with them.)
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnalysisConfig {
    pub rfm: RfmConfig,
    pub abc: AbcConfig,
    pub lifecycle: LifecycleConfig,
    pub gap: GapConfig,
    /// The reporting currency and its dated rates: what customers are compared in (M scores, ABC,
    /// the Pareto, the churn list) and the reporting columns are in. Default: CNY, no rates.
    pub fx: Fx,
    /// Horizon of the BG/NBD expected orders and CLV, in weeks.
    pub horizon_weeks: f64,
}

impl Default for AnalysisConfig {
    fn default() -> Self {
        AnalysisConfig {
            rfm: RfmConfig::default(),
            abc: AbcConfig::default(),
            lifecycle: LifecycleConfig::default(),
            gap: GapConfig::default(),
            fx: Fx::default(),
            horizon_weeks: 52.0,
        }
    }
}

/// One customer's row of the analysis (same position as in the customers slice).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerRow {
    pub first_order: Option<Date>,
    pub last_order: Option<Date>,
    /// R: whole days from the last order to the analysis date.
    pub recency_days: Option<u32>,
    /// F: orders.
    pub frequency: u32,
    /// Distinct order dates (BG/NBD counts purchase days).
    pub distinct_days: u32,
    /// M: sum of order amounts, customer's currency.
    pub monetary: Money,
    /// Sum of the known order margins; `None` when no order has one.
    pub margin: Option<Money>,
    /// Orders with a known margin.
    pub margin_orders: u32,
    /// Revenue of the 365 days up to and including the analysis date.
    pub trailing_12m: Money,
    /// M in the reporting currency ([`Analysis::fx`]): the same sales, each converted at the rate
    /// valid on its date; `None` when the customer's currency has no rate (`no_rate`). Zero
    /// without orders.
    #[serde(default)]
    pub monetary_report: Option<Money>,
    /// The known margins, converted likewise; `None` without a known margin or without a rate.
    #[serde(default)]
    pub margin_report: Option<Money>,
    /// The customer has sales and its currency has no rate: its reporting figures are missing and
    /// it is left out of the comparisons (M score and RFM segment, ABC class and the Pareto).
    #[serde(default)]
    pub no_rate: bool,
    /// Sales left out because they are in another currency.
    pub other_currency_orders: u32,
    /// Of the last four trailing quarters (see [`lifecycle`]), how many have an order.
    pub quarters_active: u8,
    /// `None` for customers without orders (they are not scored).
    pub scores: Option<RfmScores>,
    /// Index into [`Analysis::segments`].
    pub segment: Option<u16>,
    pub abc: Option<AbcClass>,
    /// Total margin below zero.
    pub never_profitable: bool,
    pub stage: Stage,
    pub gap: Option<GapCheck>,
}

impl CustomerRow {
    fn potential(other_currency_orders: u32) -> CustomerRow {
        CustomerRow {
            first_order: None,
            last_order: None,
            recency_days: None,
            frequency: 0,
            distinct_days: 0,
            monetary: Money::ZERO,
            margin: None,
            margin_orders: 0,
            trailing_12m: Money::ZERO,
            monetary_report: Some(Money::ZERO),
            margin_report: None,
            no_rate: false,
            other_currency_orders,
            quarters_active: 0,
            scores: None,
            segment: None,
            abc: None,
            never_profitable: false,
            stage: Stage::Potential,
            gap: None,
        }
    }

    /// Days from the first order to the analysis date.
    pub fn tenure_days(&self, as_of: Date) -> Option<u32> {
        self.first_order.map(|f| (as_of - f).num_days().clamp(0, i64::from(u32::MAX)) as u32)
    }

    /// Average known margin per order (minor units), for CLV.
    pub fn margin_per_order(&self) -> Option<f64> {
        match (self.margin, self.margin_orders) {
            (Some(m), n) if n > 0 => Some(m.0 as f64 / f64::from(n)),
            _ => None,
        }
    }

    /// Average known margin per order in the reporting currency (minor units), for its CLV.
    pub fn margin_report_per_order(&self) -> Option<f64> {
        match (self.margin_report, self.margin_orders) {
            (Some(m), n) if n > 0 => Some(m.0 as f64 / f64::from(n)),
            _ => None,
        }
    }

    /// Whether the row's reporting figures hold all its sales (false: its currency has no rate).
    pub fn report_complete(&self) -> bool {
        !self.no_rate
    }
}

/// The per-customer table and its summaries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub as_of: Date,
    /// One per customer, in the customers' order.
    pub rows: Vec<CustomerRow>,
    /// Segment keys: the rules' keys in order, then `others`.
    pub segments: Vec<String>,
    /// Customers per segment (same indices as `segments`).
    pub segment_counts: Vec<usize>,
    /// Customers per stage, indexed by `Stage as usize` (order of `Stage::ALL`).
    pub stage_counts: [usize; 7],
    pub abc: AbcSummary,
    pub orders: OrderCounts,
    /// Customers with at least one order and a rate (those with an M score).
    pub scored: usize,
    /// The reporting currency, and the customers and orders left out of the comparisons for want
    /// of a rate (amounts in their own currency).
    #[serde(default)]
    pub fx: Coverage,
}

impl Analysis {
    /// The analysis of no customers: what [`analyze`] gives for none, without its code (the app's
    /// value until the first analysis is done; the analysis itself is fetched after the first
    /// screen).
    pub fn empty(cfg: &AnalysisConfig, as_of: Date) -> Analysis {
        let mut segments: Vec<String> =
            cfg.rfm.segments.iter().take(usize::from(u16::MAX)).map(|r| r.key.clone()).collect();
        segments.push(rfm::OTHERS.to_string());
        // The Pareto curve of nobody: (0, 0) to (1, 0), as for a zero total.
        let curve =
            vec![abc::ParetoPoint { customers: 0.0, value: 0.0 }, abc::ParetoPoint { customers: 1.0, value: 0.0 }];
        Analysis {
            as_of,
            rows: Vec::new(),
            segment_counts: vec![0; segments.len()],
            segments,
            stage_counts: [0; 7],
            abc: AbcSummary { basis: Some(cfg.abc.basis), curve, ..AbcSummary::default() },
            orders: OrderCounts::default(),
            scored: 0,
            fx: Coverage::new(cfg.fx.reporting),
        }
    }

    pub fn segment_key(&self, customer: usize) -> Option<&str> {
        let s = self.rows.get(customer)?.segment?;
        self.segments.get(usize::from(s)).map(String::as_str)
    }
}

/// [`analyze`] over a dataset's customers and orders, with its opportunities: a potential
/// customer with an open one is in pursuit (as in [`analyze_workspace`]).
pub fn analyze_dataset(data: &Dataset, cfg: &AnalysisConfig, as_of: Date) -> Analysis {
    let index = CustomerIndex::new(&data.customers);
    let sales = SalesIndex::build(&data.customers, &index, &data.orders, as_of);
    let pursued: std::collections::HashSet<&str> = data
        .opportunities
        .iter()
        .filter(|o| o.is_open() && o.created_at.date_naive() <= as_of)
        .map(|o| o.customer_id.as_str())
        .collect();
    let mut t = Table::new(data.customers.len(), cfg, as_of);
    for (i, c) in data.customers.iter().enumerate() {
        t.push(c, sales.of(i), sales.other_currency(i), pursued.contains(c.id.as_str()));
    }
    t.finish(sales.counts)
}

/// The per-customer table: one pass to group the orders by customer ([`SalesIndex::build`]),
/// one per customer over its date-sorted sales, then the cross-customer scores (RFM, ABC).
/// Without the opportunities nobody is in pursuit ([`analyze_dataset`] sees them).
/// BG/NBD is separate ([`bgnbd::fit_bgnbd`]). In the app prefer [`analyze_workspace`], which
/// reuses the workspace's grouping.
pub fn analyze(customers: &[Customer], orders: &[Order], cfg: &AnalysisConfig, as_of: Date) -> Analysis {
    let index = CustomerIndex::new(customers);
    let sales = SalesIndex::build(customers, &index, orders, as_of);
    analyze_indexed(customers, &sales, cfg, as_of)
}

/// [`analyze`] from sales already grouped (reuse a [`SalesIndex`] across configurations).
pub fn analyze_indexed(customers: &[Customer], sales: &SalesIndex, cfg: &AnalysisConfig, as_of: Date) -> Analysis {
    let mut t = Table::new(customers.len(), cfg, as_of);
    for (i, c) in customers.iter().enumerate() {
        t.push(c, sales.of(i), sales.other_currency(i), false);
    }
    t.finish(sales.counts)
}

/// [`analyze`] using the workspace's grouping of orders by customer (built when the workspace
/// was loaded, date-sorted): no customer id is read or hashed and no order list is copied, so
/// this is the fast path for the app. Orders of customers the workspace does not know are not
/// seen, so `Analysis::orders.unknown_customer` stays 0.
pub fn analyze_workspace(ws: &Workspace, cfg: &AnalysisConfig, as_of: Date) -> Analysis {
    let mut b = AnalysisBuilder::new(ws, cfg, as_of);
    b.add(ws, usize::MAX);
    b.finish()
}

/// [`analyze_workspace`] a number of customers at a time, so a browser can spread the per-customer
/// pass over several short tasks (on a workspace read from the cache, whose orders lie in no
/// particular order in memory, that pass is most of the time): [`AnalysisBuilder::add`] until it
/// says all customers are in, then [`AnalysisBuilder::finish`] (the cross-customer scores). The
/// workspace must not change in between.
pub struct AnalysisBuilder<'c> {
    t: Table<'c>,
    counts: OrderCounts,
    scratch: Vec<Sale>,
    next: usize,
}

impl<'c> AnalysisBuilder<'c> {
    pub fn new(ws: &Workspace, cfg: &'c AnalysisConfig, as_of: Date) -> AnalysisBuilder<'c> {
        AnalysisBuilder {
            t: Table::new(ws.data.customers.len(), cfg, as_of),
            counts: OrderCounts::default(),
            scratch: Vec::new(),
            next: 0,
        }
    }

    /// Adds the next `max` customers; true when every customer is in.
    pub fn add(&mut self, ws: &Workspace, max: usize) -> bool {
        let data = &ws.data;
        let as_of = self.t.as_of;
        let end = self.next.saturating_add(max).min(data.customers.len());
        for i in self.next..end {
            let Some(c) = data.customers.get(i) else { break };
            let scratch = &mut self.scratch;
            scratch.clear();
            let mut other = 0u32;
            let mut sorted = true;
            for &p in &ws.children(i).orders {
                let Some(o) = data.orders.get(p) else { continue };
                if !o.counts_as_sale() {
                    self.counts.cancelled += 1;
                } else if o.date > as_of {
                    self.counts.after_as_of += 1;
                } else if o.currency != c.currency {
                    self.counts.other_currency += 1;
                    other = other.saturating_add(1);
                } else {
                    let day = o.date.num_days_from_ce();
                    sorted &= scratch.last().is_none_or(|l| l.day <= day);
                    scratch.push(Sale {
                        day,
                        has_margin: o.margin.is_some(),
                        amount: o.amount.0,
                        margin: o.margin.map_or(0, |m| m.0),
                    });
                }
            }
            if !sorted {
                crate::core::sort::sort_by_key(scratch, |s| s.day);
            }
            self.counts.used += scratch.len();
            let pursuit = ws
                .children(i)
                .opportunities
                .iter()
                .filter_map(|&p| data.opportunities.get(p))
                .any(|o| o.is_open() && o.created_at.date_naive() <= as_of);
            self.t.push(c, scratch, other, pursuit);
        }
        self.next = end;
        end >= data.customers.len()
    }

    pub fn finish(self) -> Analysis {
        self.t.finish(self.counts)
    }
}

/// Who to call first: how many customers the order-gap warning fires for, and the positions of
/// the `max` most valuable of those not yet lost (by M in the reporting currency, largest first;
/// customers without a rate after all others; ties by position).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChurnList {
    pub warned: usize,
    pub top: Vec<usize>,
}

/// The churn list of `analysis` (its rows hold M in the reporting currency; `customers` and `cfg`
/// are not read any more and stay for the callers).
pub fn churn_list(analysis: &Analysis, _customers: &[Customer], _cfg: &AnalysisConfig, max: usize) -> ChurnList {
    let warned = analysis.rows.iter().filter(|r| r.gap.is_some_and(|g| g.fires)).count();
    let mut v: Vec<(Option<i64>, usize)> = analysis
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.gap.is_some_and(|g| g.fires) && r.stage != Stage::Lost)
        .map(|(i, r)| (r.monetary_report.map(|m| m.0), i))
        .collect();
    // Largest first, `None` (no rate) last.
    let order = |x: &(Option<i64>, usize), y: &(Option<i64>, usize)| y.0.cmp(&x.0).then(x.1.cmp(&y.1));
    if v.len() > max && max > 0 {
        v.select_nth_unstable_by(max - 1, order);
    }
    v.truncate(max);
    v.sort_unstable_by(order);
    ChurnList { warned, top: v.into_iter().map(|(_, i)| i).collect() }
}

/// Day numbers to dates for the ~11 years before the analysis date (cheaper than chrono's
/// conversion per call); older days convert one by one.
struct DayTable {
    start: i32,
    dates: Vec<Date>,
}

impl DayTable {
    fn new(to: i32) -> DayTable {
        let start = to.saturating_sub(4095);
        let mut dates = Vec::with_capacity(4096);
        let mut d = date_of(start);
        while let Some(x) = d {
            if dates.len() >= 4096 {
                break;
            }
            dates.push(x);
            d = x.succ_opt();
        }
        DayTable { start, dates }
    }

    fn get(&self, day: i32) -> Option<Date> {
        usize::try_from(day.saturating_sub(self.start))
            .ok()
            .and_then(|k| self.dates.get(k).copied())
            .or_else(|| date_of(day))
    }
}

/// The table under construction: one row per customer, plus the keys the scores are ranked by.
struct Table<'c> {
    cfg: &'c AnalysisConfig,
    a: i32,
    as_of: Date,
    dates: DayTable,
    gaps: Vec<i32>,
    rows: Vec<CustomerRow>,
    /// Positions of the scored customers (with orders), and their R, F, M keys.
    scored: Vec<u32>,
    r: Vec<u64>,
    f: Vec<u64>,
    m: Vec<f64>,
    /// ABC value of every customer.
    abc: Vec<Option<f64>>,
    fx: FxTable,
    /// Reporting minor units per major unit.
    unit: f64,
    coverage: Coverage,
    /// Customers with sales and no rate.
    no_rate: usize,
}

impl<'c> Table<'c> {
    fn new(n: usize, cfg: &'c AnalysisConfig, as_of: Date) -> Table<'c> {
        let a = as_of.num_days_from_ce();
        Table {
            cfg,
            a,
            as_of,
            dates: DayTable::new(a),
            gaps: Vec::new(),
            rows: Vec::with_capacity(n),
            scored: Vec::with_capacity(n),
            r: Vec::with_capacity(n),
            f: Vec::with_capacity(n),
            m: Vec::with_capacity(n),
            abc: Vec::with_capacity(n),
            fx: cfg.fx.table(),
            unit: libm::pow(10.0, f64::from(cfg.fx.reporting.minor_digits())),
            coverage: Coverage::new(cfg.fx.reporting),
            no_rate: 0,
        }
    }

    /// Adds the next customer's row from its date-sorted sales.
    /// `pursuit`: the customer has an open opportunity (a potential customer is then in pursuit).
    fn push(&mut self, c: &Customer, s: &[Sale], other: u32, pursuit: bool) {
        let (Some(first), Some(last)) = (s.first(), s.last()) else {
            let mut row = CustomerRow::potential(other);
            if pursuit {
                row.stage = Stage::InPursuit;
            }
            self.rows.push(row);
            self.abc.push(None);
            return;
        };
        let (a, cfg) = (self.a, self.cfg);
        let (first, last) = (first.day, last.day);
        let (mut monetary, mut margin, mut margin_orders, mut t12) = (0i64, 0i64, 0u32, 0i64);
        let mut bits = 0u8;
        let mut prev = first;
        self.gaps.clear();
        for x in s {
            monetary = monetary.saturating_add(x.amount);
            margin = margin.saturating_add(if x.has_margin { x.margin } else { 0 });
            margin_orders += u32::from(x.has_margin);
            let back = a - x.day;
            if back < 365 {
                t12 = t12.saturating_add(x.amount);
                bits |= 1 << (back * 4 / 365);
            }
            if x.day != prev {
                self.gaps.push(x.day - prev);
                prev = x.day;
            }
        }
        let distinct_days = self.gaps.len() as u32 + 1;
        let days_since_last = (a - last).max(0) as u32;
        let tenure_days = (a - first).max(0) as u32;
        let frequency = u32::try_from(s.len()).unwrap_or(u32::MAX);
        // Eligibility counts orders; the gaps are between distinct days (none: no check).
        let gap = if frequency >= cfg.gap.min_orders {
            lifecycle::median_i32(&mut self.gaps).map(|m| lifecycle::make_gap_check(days_since_last, m, cfg.gap.k))
        } else {
            None
        };
        let quarters_active = bits.count_ones() as u8;
        let stage = lifecycle::stage(
            StageFacts {
                orders: frequency,
                tenure_days,
                days_since_last,
                quarters_active,
                gap_fires: gap.is_some_and(|g| g.fires),
            },
            &cfg.lifecycle,
        );
        let margin = (margin_orders > 0).then_some(Money(margin));
        // The reporting figures: one pass per sum over the date-sorted sales (the rate is looked
        // up only where it changes).
        let (monetary_report, margin_report) = match self.fx.series(c.currency) {
            Some(series) => {
                let m = self.fx.money(series.sum(s.iter().map(|x| (x.day, x.amount))));
                let g = margin
                    .map(|_| self.fx.money(series.sum(s.iter().filter(|x| x.has_margin).map(|x| (x.day, x.margin)))));
                (Some(m), g)
            }
            None => {
                self.coverage.note(c.currency, 1, s.len(), Money(monetary));
                (None, None)
            }
        };
        if let Some(m) = monetary_report {
            let value = m.0 as f64 / self.unit;
            self.scored.push(self.rows.len() as u32);
            self.r.push(u64::from(days_since_last));
            self.f.push(u64::from(frequency));
            self.m.push(value);
            self.abc.push(match cfg.abc.basis {
                abc::AbcBasis::Revenue => Some(value),
                abc::AbcBasis::Margin => margin_report.map(|g| g.0 as f64 / self.unit),
            });
        } else {
            self.no_rate += 1;
            self.abc.push(None);
        }
        self.rows.push(CustomerRow {
            first_order: self.dates.get(first),
            last_order: self.dates.get(last),
            recency_days: Some(days_since_last),
            frequency,
            distinct_days,
            monetary: Money(monetary),
            margin,
            margin_orders,
            trailing_12m: Money(t12),
            monetary_report,
            margin_report,
            no_rate: monetary_report.is_none(),
            other_currency_orders: other,
            quarters_active,
            scores: None,
            segment: None,
            abc: None,
            never_profitable: margin.is_some_and(|m| m.0 < 0),
            stage,
            gap,
        });
    }

    fn finish(self, orders: OrderCounts) -> Analysis {
        let Table { cfg, as_of, mut rows, scored, r, f, m, abc: abc_values, coverage, no_rate, .. } = self;
        let (classes, mut abc_summary, ranked) = abc::classify_ranked(&abc_values, &cfg.abc);
        // Those without a rate are not "without a value": counted apart.
        abc_summary.unclassified = abc_summary.unclassified.saturating_sub(no_rate);
        abc_summary.no_rate = no_rate;
        let scores: Vec<RfmScores> = match &cfg.rfm.scoring {
            RfmScoring::Quantile => {
                let r = rfm::quantile_scores_u64(&r, false);
                let f = rfm::quantile_scores_u64(&f, true);
                let m = if cfg.abc.basis == abc::AbcBasis::Revenue && ranked.len() == scored.len() {
                    // The ABC ranking by revenue is the M ranking: reuse its sort.
                    rfm::scores_from_ranked(&ranked, &scored, rows.len())
                } else {
                    rfm::quantile_scores_f64(&m, true)
                };
                r.iter().zip(&f).zip(&m).map(|((&r, &f), &m)| RfmScores { r, f, m }).collect()
            }
            RfmScoring::CutPoints(cp) => (0..scored.len())
                .map(|k| RfmScores {
                    r: cp.recency_score(r[k].min(u64::from(u32::MAX)) as u32),
                    f: cp.frequency_score(f[k].min(u64::from(u32::MAX)) as u32),
                    m: cp.monetary_score(m[k]),
                })
                .collect(),
        };
        let table = SegmentTable::new(&cfg.rfm.segments);
        let mut segments: Vec<String> =
            cfg.rfm.segments.iter().take(usize::from(u16::MAX)).map(|r| r.key.clone()).collect();
        segments.push(rfm::OTHERS.to_string());
        let mut segment_counts = vec![0usize; segments.len()];
        for (&i, &s) in scored.iter().zip(&scores) {
            let seg = table.segment(s);
            if let Some(row) = rows.get_mut(i as usize) {
                row.scores = Some(s);
                row.segment = Some(seg);
            }
            if let Some(n) = segment_counts.get_mut(usize::from(seg)) {
                *n += 1;
            }
        }
        let mut stage_counts = [0usize; 7];
        for (row, class) in rows.iter_mut().zip(classes) {
            row.abc = class;
            stage_counts[row.stage as usize] += 1;
            match row.margin {
                Some(m) if m.0 > 0 => abc_summary.profitable += 1,
                Some(m) if m.0 == 0 => abc_summary.break_even += 1,
                Some(_) => abc_summary.never_profitable += 1,
                None => {}
            }
        }
        Analysis {
            as_of,
            rows,
            segments,
            segment_counts,
            stage_counts,
            abc: abc_summary,
            orders,
            scored: scored.len(),
            fx: coverage,
        }
    }
}
