//! The pipeline's views: which deals a view shows ([`PipelineFilter`], a value that lives in the
//! URL like the customer list's filter: `/pipeline?owner=王磊&close=2027-01&segment=champions`), and the board's
//! columns by stage with their counts, amounts and weighted amounts ([`board`]) — per currency,
//! or in the reporting currency when every currency shown has a rate; never summed across
//! currencies without one.

use crate::core::analytics::Analysis;
use crate::core::analytics::forecast::Dimension;
use crate::core::fx::FxTable;
use crate::core::model::{Currency, Date, Money, Opportunity, Stages, keyed_enum};
use crate::core::workspace::Workspace;
use std::collections::BTreeMap;

keyed_enum!(
    /// How the pipeline is shown.
    PipelineView, "pipeline_view", {
        Board => "board",
        List => "list",
        Forecast => "forecast",
    }
);

/// What a view of the pipeline shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PipelineFilter {
    /// Words that must all appear in the title, the customer's name or the owner.
    pub q: String,
    pub owner: Option<String>,
    /// Only deals this person works on (owner or account team).
    pub team: Option<String>,
    /// The customer's region.
    pub region: Option<String>,
    /// The customer's RFM segment key (`champions`, `at_risk`, …), from the analysis.
    pub segment: Option<String>,
    pub stage: Option<String>,
    /// Expected close month (`YYYY-MM`), or the month a closed deal was won or lost.
    pub close: Option<String>,
    /// The board (`None`), the list or the forecast.
    pub view: Option<PipelineView>,
    /// What the forecast's rows are split by besides the month (`None`: by owner).
    pub by: Option<Dimension>,
}

impl PipelineFilter {
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> PipelineFilter {
        let text = |v: &str| Some(v.trim().to_string()).filter(|v| !v.is_empty());
        let mut f = PipelineFilter::default();
        for (k, v) in pairs {
            match k {
                "q" => f.q = v.to_string(),
                "owner" => f.owner = text(v),
                "team" => f.team = text(v),
                "region" => f.region = text(v),
                "segment" => f.segment = text(v),
                "stage" => f.stage = text(v),
                "close" => f.close = text(v).filter(|m| month(m).is_some()),
                "view" => f.view = PipelineView::parse(v).filter(|v| *v != PipelineView::Board),
                "by" => f.by = Dimension::parse(v).filter(|d| *d != Dimension::Owner),
                _ => {}
            }
        }
        f
    }

    /// The filter as URL query pairs, in a fixed order (empty ones left out).
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(v) = self.view {
            out.push(("view", v.as_str().to_string()));
        }
        if let Some(d) = self.by {
            out.push(("by", d.as_str().to_string()));
        }
        if !self.q.trim().is_empty() {
            out.push(("q", self.q.clone()));
        }
        for (k, v) in [
            ("owner", &self.owner),
            ("team", &self.team),
            ("region", &self.region),
            ("segment", &self.segment),
            ("stage", &self.stage),
            ("close", &self.close),
        ] {
            if let Some(v) = v {
                out.push((k, v.clone()));
            }
        }
        out
    }

    /// `?k=v&…` (URL-encoded), or empty.
    pub fn query(&self) -> String {
        crate::core::filter::url_query(&self.pairs())
    }

    /// Whether a deal (of a customer in `region`, named `customer`) is in the view.
    pub fn keeps(&self, o: &Opportunity, region: &str, customer: &str) -> bool {
        let same = |a: &str, b: &str| crate::core::text::fold(a.trim()) == crate::core::text::fold(b.trim());
        if self.owner.as_deref().is_some_and(|w| !same(w, &o.owner)) {
            return false;
        }
        if self.team.as_deref().is_some_and(|w| !same(w, &o.owner) && !o.team.iter().any(|t| same(w, t))) {
            return false;
        }
        if self.region.as_deref().is_some_and(|r| !same(r, region)) {
            return false;
        }
        if self.stage.as_deref().is_some_and(|s| s != o.stage) {
            return false;
        }
        if let Some(m) = self.close.as_deref() {
            let day = if o.is_open() { o.expected_close } else { o.closed_on.or(o.expected_close) };
            if day.is_none_or(|d| month_of(d) != m) {
                return false;
            }
        }
        if !self.q.trim().is_empty() {
            let hay = crate::core::text::fold(&format!("{}\u{1f}{}\u{1f}{}", o.title, customer, o.owner));
            if !crate::core::text::fold(&self.q).split_whitespace().all(|w| hay.contains(w)) {
                return false;
            }
        }
        true
    }
}

/// A day's month as `YYYY-MM`.
pub fn month_of(d: Date) -> String {
    use chrono::Datelike;
    format!("{:04}-{:02}", d.year(), d.month())
}

/// A `YYYY-MM` month's first day.
fn month(m: &str) -> Option<Date> {
    let (y, mo) = m.split_once('-')?;
    if y.len() != 4 || mo.len() != 2 {
        return None;
    }
    Date::from_ymd_opt(y.parse().ok()?, mo.parse().ok()?, 1)
}

/// The deals of the workspace a filter keeps, as positions in `data.opportunities`. A segment
/// criterion needs the workspace's analysis: without it (not computed yet) it keeps nothing.
pub fn filter(w: &Workspace, f: &PipelineFilter, analysis: Option<&Analysis>) -> Vec<usize> {
    w.data
        .opportunities
        .iter()
        .enumerate()
        .filter(|(_, o)| {
            let i = w.customer_index(&o.customer_id);
            let c = i.and_then(|i| w.data.customers.get(i));
            if let Some(s) = f.segment.as_deref()
                && i.and_then(|i| analysis?.segment_key(i)) != Some(s)
            {
                return false;
            }
            f.keeps(o, c.map_or("", |c| c.region.as_str()), c.map_or("", |c| c.name.as_str()))
        })
        .map(|(i, _)| i)
        .collect()
}

/// Amounts of several currencies: each currency's own sum, and their sum in the reporting
/// currency when every one of them has a rate.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub by_currency: BTreeMap<Currency, Money>,
    /// The sum in the reporting currency; `None` without a rate table or when a currency has no
    /// rate (named in `unrated`).
    pub reporting: Option<Money>,
    pub unrated: Vec<Currency>,
}

/// A column's running sums: per currency (amount, weighted), the exact reporting-currency sums
/// (amount, weighted), and the currencies without a rate.
#[derive(Clone, Default)]
struct Sums {
    by: BTreeMap<Currency, (Money, Money)>,
    exact: [crate::core::fx::ReportSum; 2],
    unrated: Vec<Currency>,
}

/// One column of the board.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub stage: String,
    /// Positions in `data.opportunities`, by expected close (undated last), then larger first.
    pub items: Vec<usize>,
    pub amount: Totals,
    pub weighted: Totals,
}

/// The board: one column per stage of `stages` in order, and one for deals in a stage the
/// workspace does not have (after the open stages; only when there are such deals). Amounts
/// are converted at the rate of the expected close date (or `today` when it has none or is
/// past) — won and lost deals at their close.
pub fn board(w: &Workspace, items: &[usize], stages: &Stages, fx: Option<&FxTable>, today: Date) -> Vec<Column> {
    let mut cols: Vec<Column> = stages
        .0
        .iter()
        .map(|s| Column {
            stage: s.id.clone(),
            items: Vec::new(),
            amount: Totals::default(),
            weighted: Totals::default(),
        })
        .collect();
    let open = stages.open().count();
    let mut unknown =
        Column { stage: String::new(), items: Vec::new(), amount: Totals::default(), weighted: Totals::default() };
    let mut sums: Vec<Sums> = vec![Sums::default(); cols.len() + 1];
    for &i in items {
        let Some(o) = w.data.opportunities.get(i) else { continue };
        let k = stages.0.iter().position(|s| s.id == o.stage).unwrap_or(cols.len());
        let col = if k < cols.len() { &mut cols[k] } else { &mut unknown };
        col.items.push(i);
        let Sums { by, exact, unrated } = &mut sums[k];
        let weighted = o.weighted();
        let e = by.entry(o.currency).or_insert((Money::ZERO, Money::ZERO));
        e.0 = e.0.saturating_add(o.amount);
        e.1 = e.1.saturating_add(weighted);
        if let Some(fx) = fx {
            let day = if o.is_open() {
                o.expected_close.filter(|d| *d > today).unwrap_or(today)
            } else {
                o.closed_on.unwrap_or(today)
            };
            match (fx.exact(o.amount, o.currency, day), fx.exact(weighted, o.currency, day)) {
                (Some(a), Some(b)) => {
                    exact[0].add(a);
                    exact[1].add(b);
                }
                _ => {
                    if !unrated.contains(&o.currency) {
                        unrated.push(o.currency);
                    }
                }
            }
        }
    }
    let order = |v: &mut Vec<usize>| {
        v.sort_by(|&a, &b| {
            let (a, b) = (&w.data.opportunities[a], &w.data.opportunities[b]);
            a.expected_close
                .is_none()
                .cmp(&b.expected_close.is_none())
                .then(a.expected_close.cmp(&b.expected_close))
                .then(b.amount.cmp(&a.amount))
                .then(a.id.cmp(&b.id))
        })
    };
    let finish = |col: &mut Column, Sums { by, exact, unrated }: &Sums| {
        col.amount.by_currency = by.iter().map(|(c, (a, _))| (*c, *a)).collect();
        col.weighted.by_currency = by.iter().map(|(c, (_, b))| (*c, *b)).collect();
        let mut unrated = unrated.clone();
        unrated.sort();
        if let Some(fx) = fx {
            if unrated.is_empty() {
                col.amount.reporting = Some(fx.money(exact[0]));
                col.weighted.reporting = Some(fx.money(exact[1]));
            }
            col.amount.unrated = unrated.clone();
            col.weighted.unrated = unrated;
        }
    };
    for (k, col) in cols.iter_mut().enumerate() {
        order(&mut col.items);
        finish(col, &sums[k]);
    }
    if !unknown.items.is_empty() {
        order(&mut unknown.items);
        finish(&mut unknown, &sums[cols.len()]);
        cols.insert(open, unknown);
    }
    cols
}
