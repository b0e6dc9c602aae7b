//! The customer list's filter: what a view of the list shows, as a value that lives in the URL
//! (`/customers?segment=at_risk&region=华东`), so every chart cell can link to its customers and a
//! view can be bookmarked, shared and saved.

use crate::core::analytics::Analysis;
use crate::core::analytics::abc::AbcClass;
use crate::core::analytics::lifecycle::Stage;
use crate::core::analytics::receivables::{AgingBucket, Receivables};
use crate::core::analytics::satisfaction::{Answered, customer_complaints, customer_satisfaction};
use crate::core::model::{Currency, SupplyChainRole, keyed_enum};
use crate::core::sort::{sort_by, sort_by_key};
use crate::core::workspace::Workspace;
use serde::{Deserialize, Serialize};

/// `?k=v&…` of a view's pairs (values URL-encoded), or empty without any: the list's filter and
/// the pipeline's write their URLs with it.
pub fn url_query(pairs: &[(&'static str, String)]) -> String {
    if pairs.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={}", crate::core::rest::http::encode(v))).collect();
    format!("?{}", parts.join("&"))
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerFilter {
    /// Search text (every word must match name, place, industry, tags or contacts).
    pub q: String,
    /// RFM segment key (`champions`, `at_risk`, … `others`).
    pub segment: Option<String>,
    pub abc: Option<AbcClass>,
    pub stage: Option<Stage>,
    /// RFM scores 1–5.
    pub r: Option<u8>,
    pub f: Option<u8>,
    pub m: Option<u8>,
    /// Only customers whose order gap warning fires.
    pub warning: bool,
    /// Only customers whose total margin is negative.
    pub unprofitable: bool,
    /// Only customers with an open amount in this aging bucket.
    pub aging: Option<AgingBucket>,
    /// Only customers with anything overdue.
    pub overdue: bool,
    /// Only customers over their credit limit.
    pub over_limit: bool,
    /// Only customers billed in this currency (the aging chart is per currency).
    pub currency: Option<Currency>,
    /// Only customers who gave such survey answers up to the analysis date.
    pub answered: Option<Answered>,
    /// Only customers with a complaint ticket opened up to the analysis date.
    pub complained: bool,
    pub region: Option<String>,
    pub role: Option<SupplyChainRole>,
    /// Only customers of this owner.
    pub owner: Option<String>,
    /// Only customers in the shared pool (公海: no owner).
    pub pool: bool,
    /// Only customers this person owns or is on the account team of ("my accounts" with the
    /// user's own name; `Customer::has_member`).
    pub member: Option<String>,
    pub tag: Option<String>,
    /// List order; `None` is the cache's order.
    pub sort: Option<SortKey>,
}

keyed_enum!(
    /// How the customer list is ordered.
    SortKey, "sort", {
        /// By name (pinyin for Chinese names).
        Name => "name",
        /// Most recently changed first.
        Updated => "updated",
        Region => "region",
        Owner => "owner",
        /// Largest sales (M, in the reporting currency) first; customers without a rate last.
        Value => "value",
        /// Longest since the last order first (who needs a call).
        Recency => "recency",
    }
);

fn score(v: &str) -> Option<u8> {
    v.parse::<u8>().ok().filter(|s| (1..=5).contains(s))
}

fn text(v: &str) -> Option<String> {
    let t = v.trim();
    (!t.is_empty()).then(|| t.to_string())
}

fn flag(v: &str) -> bool {
    matches!(v, "1" | "true" | "yes" | "")
}

impl CustomerFilter {
    /// From the URL's query pairs (already percent-decoded). Unknown keys and values that do
    /// not parse are ignored: a stale bookmark shows a wider list, never an error.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> CustomerFilter {
        let mut f = CustomerFilter::default();
        for (k, v) in pairs {
            match k {
                "q" => f.q = v.to_string(),
                "segment" => f.segment = text(v),
                "abc" => f.abc = AbcClass::parse(&v.to_ascii_lowercase()),
                "stage" => f.stage = Stage::parse(v),
                "r" => f.r = score(v),
                "f" => f.f = score(v),
                "m" => f.m = score(v),
                "warning" => f.warning = flag(v),
                "unprofitable" => f.unprofitable = flag(v),
                "aging" => f.aging = AgingBucket::parse(v),
                "overdue" => f.overdue = flag(v),
                "over_limit" => f.over_limit = flag(v),
                "currency" => f.currency = Currency::parse(v),
                "answered" => f.answered = Answered::parse(v),
                "complained" => f.complained = flag(v),
                "region" => f.region = text(v),
                "role" => f.role = SupplyChainRole::parse(v),
                "owner" => f.owner = text(v),
                "pool" => f.pool = flag(v),
                "member" => f.member = text(v),
                "tag" => f.tag = text(v),
                "sort" => f.sort = SortKey::parse(v),
                _ => {}
            }
        }
        f
    }

    /// The query pairs of the filter, in a stable order (empty for no filter).
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut p = Vec::new();
        let mut put = |k: &'static str, v: Option<String>| {
            if let Some(v) = v {
                p.push((k, v));
            }
        };
        put("q", (!self.q.trim().is_empty()).then(|| self.q.clone()));
        put("segment", self.segment.clone());
        put("abc", self.abc.map(|a| a.as_str().to_string()));
        put("stage", self.stage.map(|s| s.as_str().to_string()));
        put("r", self.r.map(|s| s.to_string()));
        put("f", self.f.map(|s| s.to_string()));
        put("m", self.m.map(|s| s.to_string()));
        put("warning", self.warning.then(|| "1".into()));
        put("unprofitable", self.unprofitable.then(|| "1".into()));
        put("aging", self.aging.map(|a| a.as_str().to_string()));
        put("overdue", self.overdue.then(|| "1".into()));
        put("over_limit", self.over_limit.then(|| "1".into()));
        put("currency", self.currency.map(|c| c.as_str().to_string()));
        put("answered", self.answered.map(|a| a.as_str().to_string()));
        put("complained", self.complained.then(|| "1".into()));
        put("region", self.region.clone());
        put("role", self.role.map(|r| r.as_str().to_string()));
        put("owner", self.owner.clone());
        put("pool", self.pool.then(|| "1".into()));
        put("member", self.member.clone());
        put("tag", self.tag.clone());
        put("sort", self.sort.map(|s| s.as_str().to_string()));
        p
    }

    /// `?k=v&…` (percent-encoded), or empty.
    pub fn query(&self) -> String {
        url_query(&self.pairs())
    }

    pub fn is_empty(&self) -> bool {
        self.pairs().is_empty()
    }

    /// Whether the filter narrows the list (anything but the search text and the order).
    pub fn has_criteria(&self) -> bool {
        let mut g = self.clone();
        g.q.clear();
        g.sort = None;
        !g.is_empty()
    }

    /// Whether the filter needs the analysis (segments, scores, stages, warnings).
    pub fn needs_analysis(&self) -> bool {
        matches!(self.sort, Some(SortKey::Value | SortKey::Recency)) || self.filters_on_analysis()
    }

    /// Whether a criterion (not the order) needs the analysis (survey answers and complaints
    /// count up to its date).
    fn filters_on_analysis(&self) -> bool {
        self.segment.is_some()
            || self.abc.is_some()
            || self.stage.is_some()
            || self.r.is_some()
            || self.f.is_some()
            || self.m.is_some()
            || self.warning
            || self.unprofitable
            || self.answered.is_some()
            || self.complained
    }

    /// Whether the filter needs receivables.
    pub fn needs_receivables(&self) -> bool {
        self.aging.is_some() || self.overdue || self.over_limit
    }

    /// The customers (dataset positions) the filter lets through, in list order. A filter on
    /// analysis or receivables without them lets nothing through.
    pub fn apply(&self, ws: &Workspace, analysis: Option<&Analysis>, receivables: Option<&Receivables>) -> Vec<usize> {
        let base: Vec<usize> =
            if self.q.trim().is_empty() { (0..ws.data.customers.len()).collect() } else { ws.search(&self.q) };
        let mut rows = self.apply_to(ws, base, analysis, receivables);
        if let Some(key) = self.sort {
            sort_rows(ws, analysis, key, &mut rows);
        }
        rows
    }

    /// The criteria other than the search text and order, on already searched rows.
    pub fn apply_to(
        &self,
        ws: &Workspace,
        base: Vec<usize>,
        analysis: Option<&Analysis>,
        receivables: Option<&Receivables>,
    ) -> Vec<usize> {
        if !self.has_criteria() {
            return base;
        }
        if (self.filters_on_analysis() && analysis.is_none()) || (self.needs_receivables() && receivables.is_none()) {
            return Vec::new();
        }
        let segment =
            self.segment.as_deref().and_then(|k| analysis.and_then(|a| a.segments.iter().position(|s| s == k)));
        if self.segment.is_some() && segment.is_none() {
            return Vec::new();
        }
        base.into_iter()
            .filter(|&i| {
                let Some(c) = ws.data.customers.get(i) else { return false };
                if self.region.as_ref().is_some_and(|r| &c.region != r)
                    || self.role.is_some_and(|r| c.role != r)
                    || self.owner.as_ref().is_some_and(|o| c.in_shared_pool() || c.owner.as_ref() != Some(o))
                    || (self.pool && !c.in_shared_pool())
                    || self.member.as_ref().is_some_and(|m| !c.has_member(m))
                    || self.tag.as_ref().is_some_and(|t| !c.tags.contains(t))
                    || self.currency.is_some_and(|x| c.currency != x)
                {
                    return false;
                }
                if let Some(a) = analysis.filter(|_| self.filters_on_analysis()) {
                    let Some(row) = a.rows.get(i) else { return false };
                    let scores = row.scores;
                    if segment.is_some_and(|s| row.segment != u16::try_from(s).ok())
                        || self.abc.is_some_and(|x| row.abc != Some(x))
                        || self.stage.is_some_and(|x| row.stage != x)
                        || self.r.is_some_and(|x| scores.map(|s| s.r) != Some(x))
                        || self.f.is_some_and(|x| scores.map(|s| s.f) != Some(x))
                        || self.m.is_some_and(|x| scores.map(|s| s.m) != Some(x))
                        || (self.warning && !row.gap.is_some_and(|g| g.fires))
                        || (self.unprofitable && !row.never_profitable)
                        || self.answered.is_some_and(|x| !x.matches(&customer_satisfaction(ws, i, a.as_of)))
                        || (self.complained && customer_complaints(ws, i, a.as_of) == 0)
                    {
                        return false;
                    }
                }
                if let Some(rc) = receivables.filter(|_| self.needs_receivables()) {
                    let Some(cr) = rc.customers.get(i) else { return false };
                    let b = &cr.aging.buckets;
                    if self.aging.is_some_and(|x| b[x as usize].0 <= 0)
                        || (self.overdue && cr.aging.overdue.0 <= 0)
                        || (self.over_limit && !cr.over_limit)
                    {
                        return false;
                    }
                }
                true
            })
            .collect()
    }
}

/// Orders rows (dataset positions) by `key`; ties keep their order. Sorting by value or recency
/// without the analysis leaves the order as it is.
pub fn sort_rows(ws: &Workspace, analysis: Option<&Analysis>, key: SortKey, rows: &mut Vec<usize>) {
    let cs = &ws.data.customers;
    match key {
        SortKey::Name => {
            let mut keyed: Vec<(String, usize)> = rows.iter().map(|&i| (ws.sort_name(i), i)).collect();
            keyed.sort();
            *rows = keyed.into_iter().map(|(_, i)| i).collect();
        }
        SortKey::Updated => sort_by_key(rows, |&i| std::cmp::Reverse(cs.get(i).map(|c| c.updated_at))),
        SortKey::Region => sort_by(rows, &|&a, &b| cs.get(a).map(|c| &c.region).cmp(&cs.get(b).map(|c| &c.region))),
        // The shared pool (no owner) last.
        SortKey::Owner => sort_by(rows, &|&a, &b| {
            let key = |i: usize| cs.get(i).map(|c| (c.owner.is_none(), c.owner.as_deref()));
            key(a).cmp(&key(b))
        }),
        SortKey::Value => {
            if let Some(a) = analysis {
                // M in the reporting currency (customers without a rate last).
                sort_by_key(rows, |&i| std::cmp::Reverse(a.rows.get(i).and_then(|r| r.monetary_report.map(|m| m.0))));
            }
        }
        SortKey::Recency => {
            if let Some(a) = analysis {
                // Customers without orders (potential) after those with the longest gap.
                sort_by_key(rows, |&i| {
                    a.rows.get(i).and_then(|r| r.recency_days).map_or((1, 0), |d| (0, -i64::from(d)))
                });
            }
        }
    }
}

/// A named view of the customer list, kept on the device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedView {
    pub name: String,
    pub filter: CustomerFilter,
}
