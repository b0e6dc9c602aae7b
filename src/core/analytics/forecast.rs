//! The pipeline's numbers (issue 14): the forecast by close month × owner / region / product
//! category, win rates and cycle times, time per stage, stuck deals, the pipeline against the region
//! plans, and the board's column totals — one pure function ([`forecast`]) of the opportunities, the
//! workspace's [`Stages`], the customers (for regions), the plans and an analysis date.
//!
//! **The forecast** ([`Forecast::cells`], per month and dimension key; [`Forecast::months`], per
//! month only). An open deal counts in the month of its expected close, a won deal in the month of
//! its `closed_on` (its expected close when it has none); a deal with neither is in the "no date"
//! bucket (`month: None`, listed last). Lost deals are not in the forecast. Per cell ([`Amounts`]):
//! - `open` = Σ amount of the open deals; `weighted` = Σ [`Opportunity::weighted`] of the open deals;
//! - `committed` = Σ amount of the open deals in a stage whose [`crate::core::model::StageDef::committed`]
//!   is set, **plus** `won`;
//! - `best_case` = `open` + `won` (every open deal won: the most the month can bring);
//! - `won` = Σ amount of the won deals.
//!
//! The dimension ([`Dimension`]) is the deal's owner, its customer's region (trimmed; `""` when the
//! customer is unknown), or the product category of its lines (trimmed; `""` for a line without
//! one, or a deal without lines). A deal whose lines are of several categories **splits** its
//! amount and its weighted amount between them by their share of the lines' total quantity (each
//! line counting 1 when the quantities add up to 0): each part is rounded down to a minor unit and
//! the minor units left over go one each to the categories in the order they first appear, so the
//! parts add up to the deal exactly. The deal is counted (`open_deals` / `won_deals`) in each of its
//! categories.
//!
//! **Currency.** Without an [`FxTable`] every figure is per currency (a cell, a board column or a
//! plan never adds two currencies together). With one, every figure is in its reporting currency:
//! each deal converted exactly ([`crate::core::fx`]) at the rate valid on [`conversion_date`] — its
//! expected close for an open deal (the analysis date when it has none or it is in the past), its
//! `closed_on` for a won or lost one — and each figure is the exact sum, rounded once. A deal in a
//! currency without a rate is left out of every reporting figure and counted once in
//! [`Forecast::fx`] (per currency: deals, customers and their amount in their own currency).
//!
//! **Win rate** ([`WinRate`], per owner and overall) = won / (won + lost) over the deals whose
//! `closed_on` falls in the period ([`ForecastConfig::closed_since`] to the analysis date, both
//! included); the **cycle time** is the average number of days from creation (its UTC date) to
//! `closed_on` of the won deals of the period.
//!
//! **Time per stage** ([`StageTime`], per stage and per stage × owner) comes from the stage history,
//! as [`Opportunity::stage_durations`] measures it at the end of the analysis date (midnight UTC
//! after it): times are whole **seconds**. `avg_seconds` averages the completed stays (the deal moved
//! on; rounded half up); `median_seconds` is the median of every stay, completed or still going
//! (the mean of the two middle ones, rounded down, for an even count).
//!
//! **Stuck deals** ([`StuckDeal`]): open deals whose time in their current stage (since
//! [`Opportunity::in_stage_since`]) exceeds k × the median of their stage over all deals (k =
//! [`ForecastConfig::stuck_factor`], default 2); a stage whose median is 0 flags nothing.
//!
//! **Plans** ([`PlanForecast`]): each [`RegionPlan`] whose period overlaps the months of the
//! forecast (from the first dated month to the last), with the [`Amounts`] of its region's deals
//! dated (as above) in its period. Per currency, only the deals in the plan's currency count (the
//! others are counted in `other_currency_deals`); in the reporting currency, every deal with a rate
//! counts and the target is converted at the rate valid on the period's first day (`None` without
//! a rate).
//!
//! **The board** ([`BoardColumn`]): the open stages of [`Stages`] in order, then one column for
//! the deals whose stage the workspace does not define (only when there are such deals), then the
//! won and lost stages, each with its count, Σ amount and Σ weighted amount. The won and lost
//! columns count the deals closed in the win-rate period.
//!
//! Speed: one pass over the deals for the forecast and the board, one over their histories; keys
//! (owners, regions, categories, stages) are numbered once per deal and summed under integer keys
//! with the cheap Fx hash. 20k deals take about 8 ms natively in the release profile (size-optimised,
//! as the wasm is; `tests/forecast.rs`, best of three). Nothing here panics on any input or reads a
//! clock.

use super::index::{CustomerIndex, FxHashMap};
use crate::core::fx::{Coverage, Fx, FxTable, ReportSum};
use crate::core::model::{
    Currency, Customer, Date, Money, Opportunity, Period, RegionPlan, StageOutcome, Stages, Timestamp, keyed_enum,
};
use crate::core::workspace::Workspace;
use chrono::{Datelike, NaiveTime};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

keyed_enum!(
    /// What the forecast's rows are split by besides the month.
    Dimension, "forecast_dim", {
        Owner => "owner",
        Region => "region",
        Category => "category",
    }
);

/// The forecast's settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ForecastConfig {
    pub dimension: Dimension,
    /// k: an open deal is stuck when its time in its stage exceeds k × the stage's median.
    pub stuck_factor: f64,
    /// First day of the period for win rates, cycle times and the board's won / lost columns
    /// (up to the analysis date); `None`: every deal closed on or before the analysis date.
    pub closed_since: Option<Date>,
}

impl Default for ForecastConfig {
    fn default() -> Self {
        ForecastConfig { dimension: Dimension::Owner, stuck_factor: 2.0, closed_since: None }
    }
}

/// The figures of a set of deals (see the module documentation).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amounts {
    pub open_deals: u32,
    pub won_deals: u32,
    pub open: Money,
    pub weighted: Money,
    /// Open deals in a committed stage, plus won.
    pub committed: Money,
    /// Open plus won.
    pub best_case: Money,
    pub won: Money,
}

/// One row of the forecast.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForecastCell {
    /// A `Period::Month`; `None` for the deals without a date.
    pub month: Option<Period>,
    /// The owner, region or category (`""`: none); `""` in [`Forecast::months`].
    pub key: String,
    /// The deals' currency, or the reporting currency.
    pub currency: Currency,
    pub amounts: Amounts,
}

/// A rep's (or everyone's, `owner` empty) closed deals in the period.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WinRate {
    pub owner: String,
    pub won: u32,
    pub lost: u32,
    /// won / (won + lost); `None` when nothing closed.
    pub rate: Option<f64>,
    /// Average days from creation to close of the won deals; `None` without any.
    pub avg_cycle_days: Option<f64>,
}

/// Time spent in a stage, by every deal (`owner: None`) or by one owner's deals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageTime {
    pub stage: String,
    pub owner: Option<String>,
    /// Completed stays (the deal moved on).
    pub completed: u32,
    /// Every stay, the current ones of open deals included.
    pub stays: u32,
    /// Average of the completed stays, seconds; `None` without any.
    pub avg_seconds: Option<i64>,
    /// Median of every stay, seconds; `None` without any.
    pub median_seconds: Option<i64>,
}

/// An open deal in its stage for longer than k × the stage's median.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StuckDeal {
    /// Position in the opportunities given.
    pub index: usize,
    pub id: String,
    pub stage: String,
    pub owner: String,
    pub seconds_in_stage: i64,
    pub median_seconds: i64,
}

/// A region's plan against its pipeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanForecast {
    pub plan_id: String,
    pub region: String,
    pub period: Period,
    /// The currency of `target` and `amounts`: the plan's, or the reporting currency.
    pub currency: Currency,
    /// `None` in the reporting currency when the plan's currency has no rate.
    pub target: Option<Money>,
    pub amounts: Amounts,
    /// Per currency: the region's deals of the period in another currency than the plan's.
    pub other_currency_deals: u32,
}

/// One amount and weighted amount of a board column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardMoney {
    pub currency: Currency,
    pub amount: Money,
    pub weighted: Money,
}

/// A column of the board.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardColumn {
    /// The stage id; `None` for the deals in a stage the workspace does not define.
    pub stage: Option<String>,
    pub count: u32,
    /// Per currency (sorted by code), or one entry in the reporting currency.
    pub totals: Vec<BoardMoney>,
}

/// Everything [`forecast`] computes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    pub as_of: Date,
    pub dimension: Dimension,
    /// `Some` when the figures are in a reporting currency: which, and what they leave out.
    pub fx: Option<Coverage>,
    /// By month (dated ones in order, then "no date"), key, currency.
    pub cells: Vec<ForecastCell>,
    /// By month and currency, every key together.
    pub months: Vec<ForecastCell>,
    /// Per owner (sorted), in the period.
    pub win_rates: Vec<WinRate>,
    /// Every owner together (`owner` empty).
    pub win_rate: WinRate,
    /// Per stage (the workspace's order, then unknown ids sorted), everyone first, then per owner.
    pub stage_times: Vec<StageTime>,
    /// Longest in their stage first.
    pub stuck: Vec<StuckDeal>,
    pub plans: Vec<PlanForecast>,
    pub board: Vec<BoardColumn>,
}

/// The date a deal's amount is converted at: its `closed_on` when won or lost (or when it has one),
/// its expected close when that is on or after `as_of`, else `as_of`.
pub fn conversion_date(o: &Opportunity, as_of: Date) -> Date {
    if !o.is_open()
        && let Some(d) = o.closed_on
    {
        return d;
    }
    match o.expected_close {
        Some(d) if d >= as_of => d,
        _ => as_of,
    }
}

/// The month a deal counts in (see the module documentation); `None` for lost deals too.
fn deal_month(o: &Opportunity) -> Option<(i32, u32)> {
    let d = if o.is_won() {
        o.closed_on.or(o.expected_close)
    } else if o.is_open() {
        o.expected_close
    } else {
        None
    }?;
    Some((d.year(), d.month()))
}

/// The end of the analysis date: midnight UTC after it.
fn end_of(as_of: Date) -> Timestamp {
    as_of.succ_opt().unwrap_or(as_of).and_time(NaiveTime::MIN).and_utc()
}

/// Seconds an open deal has spent in its current stage at the end of `as_of` (since
/// [`Opportunity::in_stage_since`]; 0 when that is later); `None` for a won or lost deal.
pub fn seconds_in_stage(o: &Opportunity, as_of: Date) -> Option<i64> {
    o.is_open().then(|| (end_of(as_of) - o.in_stage_since()).num_seconds().max(0))
}

/// Converts into the reporting currency, or (without a table) exactly into each deal's own.
struct Conv<'t> {
    report: Option<&'t FxTable>,
    /// Per currency, a table reporting in it with no rates: converts it at 1.
    own: Vec<(Currency, FxTable)>,
}

impl<'t> Conv<'t> {
    fn new(report: Option<&'t FxTable>, currencies: impl IntoIterator<Item = Currency>) -> Conv<'t> {
        let mut own: Vec<(Currency, FxTable)> = Vec::new();
        if report.is_none() {
            let set: BTreeSet<Currency> = currencies.into_iter().collect();
            own = set.into_iter().map(|c| (c, FxTable::new(&Fx::new(c)))).collect();
        }
        Conv { report, own }
    }

    fn table(&self, currency: Currency) -> Option<&FxTable> {
        match self.report {
            Some(t) => Some(t),
            None => self.own.iter().find(|(c, _)| *c == currency).map(|(_, t)| t),
        }
    }

    /// The currency the figure is kept in, and the amount in it (exact); `None` without a rate.
    fn exact(&self, amount: Money, currency: Currency, date: Date) -> Option<(Currency, ReportSum)> {
        let t = self.table(currency)?;
        t.exact(amount, currency, date).map(|s| (t.reporting(), s))
    }

    fn money(&self, currency: Currency, sum: ReportSum) -> Money {
        self.table(currency).map_or(Money::ZERO, |t| t.money(sum))
    }
}

/// [`Amounts`] while summing (exact).
#[derive(Clone, Debug, Default)]
struct Acc {
    open_deals: u32,
    won_deals: u32,
    open: ReportSum,
    weighted: ReportSum,
    committed_open: ReportSum,
    won: ReportSum,
}

/// What one deal (or one category's part of it) adds.
#[derive(Clone, Copy)]
struct Part {
    won: bool,
    committed: bool,
    amount: ReportSum,
    weighted: ReportSum,
}

impl Acc {
    fn add(&mut self, p: Part) {
        if p.won {
            self.won_deals += 1;
            self.won.add(p.amount);
        } else {
            self.open_deals += 1;
            self.open.add(p.amount);
            self.weighted.add(p.weighted);
            if p.committed {
                self.committed_open.add(p.amount);
            }
        }
    }

    fn finish(&self, conv: &Conv<'_>, currency: Currency) -> Amounts {
        let mut committed = self.committed_open;
        committed.add(self.won);
        let mut best = self.open;
        best.add(self.won);
        Amounts {
            open_deals: self.open_deals,
            won_deals: self.won_deals,
            open: conv.money(currency, self.open),
            weighted: conv.money(currency, self.weighted),
            committed: conv.money(currency, committed),
            best_case: conv.money(currency, best),
            won: conv.money(currency, self.won),
        }
    }
}

/// `total` split by `shares` (rounded down, the minor units left over one each to the first parts).
fn split(total: i64, shares: &[u64]) -> Vec<i64> {
    let sum: u128 = shares.iter().map(|&q| u128::from(q)).sum();
    if sum == 0 {
        return shares.iter().map(|_| 0).collect();
    }
    let sum = i128::try_from(sum).unwrap_or(i128::MAX);
    let mut parts: Vec<i64> = shares
        .iter()
        .map(|&q| {
            let p = (i128::from(total) * i128::from(q)).div_euclid(sum);
            i64::try_from(p).unwrap_or(0)
        })
        .collect();
    let mut left = i128::from(total) - parts.iter().map(|&p| i128::from(p)).sum::<i128>();
    for p in parts.iter_mut() {
        if left <= 0 {
            break;
        }
        *p = p.saturating_add(1);
        left -= 1;
    }
    parts
}

/// A deal's categories (trimmed, in order of first appearance) with their quantity shares.
fn categories(o: &Opportunity) -> Vec<(&str, u64)> {
    let mut out: Vec<(&str, u64)> = Vec::new();
    let all_zero = o.lines.iter().all(|l| l.quantity == 0);
    for l in &o.lines {
        let q = if all_zero { 1 } else { u64::from(l.quantity) };
        let c = l.category.trim();
        match out.iter_mut().find(|(k, _)| *k == c) {
            Some((_, s)) => *s += q,
            None => out.push((c, q)),
        }
    }
    if out.is_empty() {
        out.push(("", 1));
    }
    out
}

/// Median (the mean of the two middle ones, rounded down, for an even count); reorders `v`.
fn median(v: &mut [i64]) -> Option<i64> {
    let n = v.len();
    if n == 0 {
        return None;
    }
    let (left, mid, _) = v.select_nth_unstable(n / 2);
    let hi = *mid;
    if n % 2 == 1 {
        return Some(hi);
    }
    let lo = left.iter().copied().max()?;
    i64::try_from((i128::from(lo) + i128::from(hi)).div_euclid(2)).ok()
}

/// Σ / n rounded half up.
fn mean(sum: i128, n: u32) -> Option<i64> {
    (n > 0).then(|| i64::try_from((2 * sum + i128::from(n)).div_euclid(2 * i128::from(n))).unwrap_or(i64::MAX))
}

/// Stays in one stage: completed (sum, count) and every stay's seconds.
#[derive(Default)]
struct Stays {
    completed_sum: i128,
    completed: u32,
    all: Vec<i64>,
}

impl Stays {
    fn add(&mut self, secs: i64, done: bool) {
        self.all.push(secs);
        if done {
            self.completed += 1;
            self.completed_sum += i128::from(secs);
        }
    }

    fn row(&mut self, stage: &str, owner: Option<&str>) -> StageTime {
        StageTime {
            stage: stage.to_string(),
            owner: owner.map(str::to_string),
            completed: self.completed,
            stays: u32::try_from(self.all.len()).unwrap_or(u32::MAX),
            avg_seconds: mean(self.completed_sum, self.completed),
            median_seconds: median(&mut self.all),
        }
    }
}

/// A month as one number: year × 12 + month − 1; [`NO_DATE`] for none (it sorts last).
const NO_DATE: i32 = i32::MAX;

fn month_key(m: Option<(i32, u32)>) -> i32 {
    m.map_or(NO_DATE, |(y, mo)| y.saturating_mul(12).saturating_add(mo as i32 - 1))
}

fn period_of(k: i32) -> Option<Period> {
    (k != NO_DATE).then(|| Period::Month(k.div_euclid(12), (k.rem_euclid(12) + 1) as u8))
}

/// Distinct strings numbered in order of first appearance (hashing each deal's key once).
#[derive(Default)]
struct Interner<'a> {
    ids: FxHashMap<&'a str, u32>,
    names: Vec<&'a str>,
}

impl<'a> Interner<'a> {
    fn id(&mut self, s: &'a str) -> u32 {
        if let Some(&i) = self.ids.get(s) {
            return i;
        }
        let i = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.names.push(s);
        self.ids.insert(s, i);
        i
    }

    fn name(&self, i: u32) -> &'a str {
        self.names.get(i as usize).copied().unwrap_or("")
    }
}

/// The stages met: the workspace's (in its order), then unknown ids as they come — few, so a
/// linear search.
struct StageSlots<'a> {
    ids: Vec<&'a str>,
    known: usize,
    /// Per known slot: its board column.
    column: Vec<usize>,
    /// Per known slot: committed.
    committed: Vec<bool>,
}

impl<'a> StageSlots<'a> {
    fn new(stages: &'a Stages) -> StageSlots<'a> {
        let open = stages.open().count();
        let (mut o, mut c) = (0, open + 1);
        let mut column = Vec::with_capacity(stages.0.len());
        for s in &stages.0 {
            if s.outcome == StageOutcome::Open {
                column.push(o);
                o += 1;
            } else {
                column.push(c);
                c += 1;
            }
        }
        StageSlots {
            ids: stages.0.iter().map(|s| s.id.as_str()).collect(),
            known: stages.0.len(),
            column,
            committed: stages.0.iter().map(|s| s.committed).collect(),
        }
    }

    fn slot(&mut self, id: &'a str) -> usize {
        match self.ids.iter().position(|s| *s == id) {
            Some(i) => i,
            None => {
                self.ids.push(id);
                self.ids.len() - 1
            }
        }
    }
}

/// The board column of a deal in `slot` (`unknown`: the column of undefined stages).
fn column_of(slots: &StageSlots<'_>, slot: usize, unknown: usize) -> usize {
    if slot < slots.known { slots.column.get(slot).copied().unwrap_or(unknown) } else { unknown }
}

/// A board column's exact amount and weighted amount per currency.
type BoardSums = BTreeMap<Currency, (ReportSum, ReportSum)>;

/// Every figure of the module documentation for `opportunities`, at the end of `as_of`.
/// `customers` give the regions (by `customer_id`); `fx` the reporting currency (per currency
/// without it).
pub fn forecast(
    opportunities: &[Opportunity],
    stages: &Stages,
    customers: &[Customer],
    plans: &[RegionPlan],
    as_of: Date,
    fx: Option<&FxTable>,
    config: &ForecastConfig,
) -> Forecast {
    let index = CustomerIndex::new(customers);
    let regions: Vec<&str> = opportunities
        .iter()
        .map(|o| index.get(&o.customer_id).and_then(|i| customers.get(i)).map_or("", |c| c.region.trim()))
        .collect();
    compute(opportunities, &regions, stages, plans, as_of, fx, config)
}

/// [`forecast`] of a workspace's opportunities, customers and plans.
pub fn forecast_workspace(
    ws: &Workspace,
    stages: &Stages,
    as_of: Date,
    fx: Option<&FxTable>,
    config: &ForecastConfig,
) -> Forecast {
    let d = &ws.data;
    let regions: Vec<&str> = d
        .opportunities
        .iter()
        .map(|o| ws.customer_index(&o.customer_id).and_then(|i| d.customers.get(i)).map_or("", |c| c.region.trim()))
        .collect();
    compute(&d.opportunities, &regions, stages, &d.plans, as_of, fx, config)
}

fn compute(
    opps: &[Opportunity],
    regions: &[&str],
    stages: &Stages,
    plans: &[RegionPlan],
    as_of: Date,
    fx: Option<&FxTable>,
    config: &ForecastConfig,
) -> Forecast {
    let conv = Conv::new(fx, opps.iter().map(|o| o.currency).chain(plans.iter().map(|p| p.currency)));
    let now = end_of(as_of);
    let since = config.closed_since;
    let in_period = |o: &Opportunity| o.closed_on.is_some_and(|d| d <= as_of && since.is_none_or(|s| d >= s));

    // Every deal without a rate, once: per currency, deals, amount and customers.
    let mut missing: BTreeMap<Currency, (usize, Money, BTreeSet<&str>)> = BTreeMap::new();
    let mut slots = StageSlots::new(stages);
    let mut keys = Interner::default();
    let mut owners = Interner::default();
    let mut cells: FxHashMap<(i32, u32, Currency), Acc> = FxHashMap::default();
    let mut months: FxHashMap<(i32, Currency), Acc> = FxHashMap::default();
    let open_count = stages.open().count();
    let unknown_col = open_count;
    let mut board: Vec<(u32, BoardSums)> = vec![(0, BTreeMap::new()); stages.0.len() + 1];
    // Win rates per owner: won, lost, Σ cycle days.
    let mut wins: BTreeMap<&str, (u32, u32, i64)> = BTreeMap::new();
    // Plans: deals per region (only when there are plans).
    let mut by_region: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    // Dated forecast months, for the plans.
    let (mut first_month, mut last_month) = (NO_DATE, i32::MIN);
    // Per deal: its stage slot and owner id.
    let mut deal_slot: Vec<(u32, u32)> = Vec::with_capacity(opps.len());

    for (i, o) in opps.iter().enumerate() {
        let slot = slots.slot(&o.stage);
        let owner = o.owner.trim();
        deal_slot.push((u32::try_from(slot).unwrap_or(u32::MAX), owners.id(owner)));
        let date = conversion_date(o, as_of);
        let w = o.weighted();
        let amount = conv.exact(o.amount, o.currency, date);
        let weighted = amount.and_then(|_| conv.exact(w, o.currency, date));
        if amount.is_none() {
            let m = missing.entry(o.currency).or_insert_with(|| (0, Money::ZERO, BTreeSet::new()));
            m.0 += 1;
            m.1 = m.1.saturating_add(o.amount);
            m.2.insert(o.customer_id.as_str());
        }
        let region = regions.get(i).copied().unwrap_or("");
        if !plans.is_empty() {
            by_region.entry(region).or_default().push(i);
        }

        // Win rates.
        let open = o.is_open();
        let closed_in_period = !open && in_period(o);
        if closed_in_period {
            let e = wins.entry(owner).or_default();
            if o.is_won() {
                e.0 += 1;
                let days = o.closed_on.map_or(0, |d| (d - o.created_at.date_naive()).num_days());
                e.2 = e.2.saturating_add(days);
            } else {
                e.1 += 1;
            }
        }

        // Board.
        if (open || closed_in_period)
            && let Some(col) = board.get_mut(column_of(&slots, slot, unknown_col))
        {
            col.0 += 1;
            if let (Some((cur, a)), Some((_, w))) = (amount, weighted) {
                let e = col.1.entry(cur).or_default();
                e.0.add(a);
                e.1.add(w);
            }
        }

        // Forecast.
        if o.is_lost() {
            continue;
        }
        let (Some((cur, a)), Some((_, wx))) = (amount, weighted) else { continue };
        let month = month_key(deal_month(o));
        if month != NO_DATE {
            first_month = first_month.min(month);
            last_month = last_month.max(month);
        }
        let won = o.is_won();
        let committed = slot < slots.known && slots.committed.get(slot).copied().unwrap_or(false);
        let part = Part { won, committed, amount: a, weighted: wx };
        months.entry((month, cur)).or_default().add(part);
        match config.dimension {
            Dimension::Owner | Dimension::Region => {
                let key = keys.id(if config.dimension == Dimension::Owner { owner } else { region });
                cells.entry((month, key, cur)).or_default().add(part);
            }
            Dimension::Category => {
                let cats = categories(o);
                if let [(cat, _)] = cats.as_slice() {
                    cells.entry((month, keys.id(cat), cur)).or_default().add(part);
                    continue;
                }
                let shares: Vec<u64> = cats.iter().map(|c| c.1).collect();
                let amounts = split(o.amount.0, &shares);
                let weights = split(w.0, &shares);
                for (k, (cat, _)) in cats.iter().enumerate() {
                    let pa = amounts.get(k).copied().unwrap_or(0);
                    let pw = weights.get(k).copied().unwrap_or(0);
                    let (Some((_, a)), Some((_, w))) =
                        (conv.exact(Money(pa), o.currency, date), conv.exact(Money(pw), o.currency, date))
                    else {
                        continue;
                    };
                    cells.entry((month, keys.id(cat), cur)).or_default().add(Part {
                        won,
                        committed,
                        amount: a,
                        weighted: w,
                    });
                }
            }
        }
    }
    let coverage = fx.map(|t| {
        let mut cov = Coverage::new(t.reporting());
        for (c, (count, amount, custs)) in &missing {
            cov.note(*c, custs.len(), *count, *amount);
        }
        cov
    });

    let mut cell_rows: Vec<(i32, ForecastCell)> = cells
        .into_iter()
        .map(|((m, key, cur), acc)| {
            let cell = ForecastCell {
                month: period_of(m),
                key: keys.name(key).to_string(),
                currency: cur,
                amounts: acc.finish(&conv, cur),
            };
            (m, cell)
        })
        .collect();
    cell_rows.sort_by(|a, b| (a.0, &a.1.key, a.1.currency).cmp(&(b.0, &b.1.key, b.1.currency)));
    let mut month_rows: Vec<(i32, ForecastCell)> = months
        .into_iter()
        .map(|((m, cur), acc)| {
            (
                m,
                ForecastCell {
                    month: period_of(m),
                    key: String::new(),
                    currency: cur,
                    amounts: acc.finish(&conv, cur),
                },
            )
        })
        .collect();
    month_rows.sort_by_key(|a| (a.0, a.1.currency));

    // Win rates.
    let rate = |owner: &str, (won, lost, days): (u32, u32, i64)| WinRate {
        owner: owner.to_string(),
        won,
        lost,
        rate: (won + lost > 0).then(|| f64::from(won) / f64::from(won + lost)),
        avg_cycle_days: (won > 0).then(|| days as f64 / f64::from(won)),
    };
    let mut all = (0u32, 0u32, 0i64);
    for w in wins.values() {
        all = (all.0 + w.0, all.1 + w.1, all.2.saturating_add(w.2));
    }
    let win_rates: Vec<WinRate> = wins.iter().map(|(o, w)| rate(o, *w)).collect();

    // Stage times: per stage slot, and per (slot, owner).
    let mut per_stage: Vec<Stays> = Vec::new();
    let mut per_rep: FxHashMap<(u32, u32), Stays> = FxHashMap::default();
    for (o, &(_, owner)) in opps.iter().zip(&deal_slot) {
        for (k, c) in o.history.iter().enumerate() {
            let (secs, done) = match o.history.get(k + 1) {
                Some(next) => ((next.at - c.at).num_seconds().max(0), true),
                None if o.is_open() => ((now - c.at).num_seconds().max(0), false),
                None => continue,
            };
            let slot = slots.slot(&c.stage);
            if per_stage.len() <= slot {
                per_stage.resize_with(slot + 1, Stays::default);
            }
            if let Some(s) = per_stage.get_mut(slot) {
                s.add(secs, done);
            }
            per_rep.entry((u32::try_from(slot).unwrap_or(u32::MAX), owner)).or_default().add(secs, done);
        }
    }
    // The workspace's stages in order, then unknown ids sorted.
    let mut order: Vec<usize> = (0..per_stage.len()).collect();
    order.sort_by_key(|&k| (k >= slots.known, if k >= slots.known { slots.ids.get(k).copied() } else { None }, k));
    let mut reps: Vec<((u32, u32), Stays)> = per_rep.into_iter().collect();
    reps.sort_by(|a, b| (a.0.0, owners.name(a.0.1)).cmp(&(b.0.0, owners.name(b.0.1))));
    let mut medians: Vec<Option<i64>> = vec![None; per_stage.len()];
    let mut stage_times: Vec<StageTime> = Vec::new();
    for &k in &order {
        let Some(s) = per_stage.get_mut(k) else { continue };
        if s.all.is_empty() {
            continue;
        }
        let id = slots.ids.get(k).copied().unwrap_or("");
        let r = s.row(id, None);
        if let Some(m) = medians.get_mut(k) {
            *m = r.median_seconds;
        }
        stage_times.push(r);
        let from = reps.partition_point(|(key, _)| (key.0 as usize) < k);
        for (key, s) in reps[from..].iter_mut().take_while(|(key, _)| key.0 as usize == k) {
            stage_times.push(s.row(id, Some(owners.name(key.1))));
        }
    }

    // Stuck deals.
    let mut stuck: Vec<StuckDeal> = Vec::new();
    for (i, (o, &(slot, _))) in opps.iter().zip(&deal_slot).enumerate() {
        let Some(m) = medians.get(slot as usize).copied().flatten() else { continue };
        let Some(secs) = seconds_in_stage(o, as_of) else { continue };
        if m > 0 && secs as f64 > config.stuck_factor * m as f64 {
            stuck.push(StuckDeal {
                index: i,
                id: o.id.clone(),
                stage: o.stage.clone(),
                owner: o.owner.clone(),
                seconds_in_stage: secs,
                median_seconds: m,
            });
        }
    }
    stuck.sort_by(|a, b| b.seconds_in_stage.cmp(&a.seconds_in_stage).then(a.index.cmp(&b.index)));

    // Plans.
    let mut plan_rows = Vec::new();
    let span = period_of(first_month)
        .and_then(Period::bounds)
        .zip(period_of(last_month).and_then(Period::bounds))
        .map(|((a, _), (_, b))| (a, b));
    if let Some((from, to)) = span {
        for p in plans {
            let Some((start, end)) = p.period.bounds() else { continue };
            if end < from || start > to {
                continue;
            }
            let currency = fx.map_or(p.currency, |t| t.reporting());
            let target = match fx {
                Some(t) => t.convert(p.target, p.currency, start),
                None => Some(p.target),
            };
            let mut acc = Acc::default();
            let mut other = 0u32;
            for &i in by_region.get(p.region.trim()).map(Vec::as_slice).unwrap_or(&[]) {
                let Some(o) = opps.get(i) else { continue };
                if o.is_lost() {
                    continue;
                }
                let Some((y, m)) = deal_month(o) else { continue };
                let Some(first) = Date::from_ymd_opt(y, m, 1) else { continue };
                if first < start || first > end {
                    continue;
                }
                if fx.is_none() && o.currency != p.currency {
                    other += 1;
                    continue;
                }
                let date = conversion_date(o, as_of);
                let (Some((_, a)), Some((_, w))) =
                    (conv.exact(o.amount, o.currency, date), conv.exact(o.weighted(), o.currency, date))
                else {
                    continue;
                };
                let committed = stages.is_committed(&o.stage);
                acc.add(Part { won: o.is_won(), committed, amount: a, weighted: w });
            }
            plan_rows.push(PlanForecast {
                plan_id: p.id.clone(),
                region: p.region.clone(),
                period: p.period,
                currency,
                target,
                amounts: acc.finish(&conv, currency),
                other_currency_deals: other,
            });
        }
    }

    // Board columns: the open stages, the undefined ones (when any), won and lost.
    let closed_ids: Vec<&str> =
        stages.0.iter().filter(|s| s.outcome != StageOutcome::Open).map(|s| s.id.as_str()).collect();
    let open_ids: Vec<&str> = stages.open().map(|s| s.id.as_str()).collect();
    let mut columns = Vec::with_capacity(board.len());
    for (k, (count, sums)) in board.into_iter().enumerate() {
        let stage = if k < unknown_col {
            open_ids.get(k).map(|s| s.to_string())
        } else if k == unknown_col {
            if count == 0 {
                continue;
            }
            None
        } else {
            closed_ids.get(k - unknown_col - 1).map(|s| s.to_string())
        };
        let mut totals: Vec<BoardMoney> = sums
            .into_iter()
            .map(|(cur, (a, w))| BoardMoney { currency: cur, amount: conv.money(cur, a), weighted: conv.money(cur, w) })
            .collect();
        if let (Some(t), true) = (fx, totals.is_empty()) {
            totals.push(BoardMoney { currency: t.reporting(), amount: Money::ZERO, weighted: Money::ZERO });
        }
        columns.push(BoardColumn { stage, count, totals });
    }

    Forecast {
        as_of,
        dimension: config.dimension,
        fx: coverage,
        cells: cell_rows.into_iter().map(|(_, c)| c).collect(),
        months: month_rows.into_iter().map(|(_, c)| c).collect(),
        win_rate: rate("", all),
        win_rates,
        stage_times,
        stuck,
        plans: plan_rows,
        board: columns,
    }
}
