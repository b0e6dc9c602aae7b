//! The 7P scorecard of one customer: the numbers behind each P, structured (no prose).
//!
//! - **Profiling** — completeness of the profile: the share of [`PROFILE_CHECKS`] that are
//!   filled (ten profile fields, "has a contact", "has a reachable primary contact"), with the
//!   keys of the missing ones.
//! - **Persistency** — tenure, orders, rhythm (median gap, coefficient of variation of gaps),
//!   active trailing quarters.
//! - **Profitability** — revenue, margin, margin rate, average margin per order, ABC class,
//!   never-profitable flag; beside the revenue and margin (customer's currency), the same in the
//!   reporting currency from the analysis row (`None` without an analysis or without a rate).
//! - **Performance** — order-value trend, trailing-12-month growth (vs the 12 months before;
//!   `None` when those are zero), RFM scores and segment.
//! - **Prospecting** — potential annual spend, trailing-12-month revenue, share of wallet and
//!   headroom (potential − trailing 12 months; negative when the estimate is exceeded), and the
//!   open pipeline ([`Scorecard::with_pipeline`]): open deals, their amount and weighted amount,
//!   per currency (never summed across currencies).
//! - **Product** — breadth: distinct named categories bought (uncategorised revenue is not a
//!   category), the top category of the mix and its share.
//! - **Promotion** — "where campaign data exists": the model has no campaigns, so always `None`.

use super::Analysis;
use super::abc::AbcClass;
use super::orders::OrderAnalytics;
use super::rfm::RfmScores;
use crate::core::model::{Contact, Currency, Customer, Money, Opportunity};
use serde::{Deserialize, Serialize};

/// The profile checks, by key: fields of `Customer`, then `contact`, `reachable_primary_contact`.
pub const PROFILE_CHECKS: [&str; 12] = [
    "name",
    "industry",
    "region",
    "country",
    "city",
    "address",
    "owner",
    "credit_limit",
    "payment_terms_days",
    "potential_annual_spend",
    "contact",
    "reachable_primary_contact",
];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Profiling {
    pub filled: u32,
    pub total: u32,
    /// filled / total.
    pub completeness: f64,
    /// Keys from [`PROFILE_CHECKS`].
    pub missing: Vec<String>,
    pub contacts: u32,
    /// Contacts with a phone, mobile or e-mail.
    pub reachable_contacts: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Persistency {
    pub tenure_days: Option<u32>,
    pub orders: u32,
    pub distinct_days: u32,
    pub orders_per_month: Option<f64>,
    pub median_gap_days: Option<f64>,
    pub gap_cv: Option<f64>,
    pub quarters_active: Option<u8>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Profitability {
    pub revenue: Money,
    pub margin: Option<Money>,
    /// margin / revenue.
    pub margin_rate: Option<f64>,
    pub margin_per_order: Option<f64>,
    pub abc: Option<AbcClass>,
    pub never_profitable: bool,
    /// The currency of `revenue_report` and `margin_report` (the analysis's reporting currency).
    #[serde(default)]
    pub report_currency: Option<Currency>,
    #[serde(default)]
    pub revenue_report: Option<Money>,
    #[serde(default)]
    pub margin_report: Option<Money>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Performance {
    pub order_value_trend: Option<f64>,
    pub trailing_12m: Money,
    pub previous_12m: Money,
    pub growth_12m: Option<f64>,
    pub rfm: Option<RfmScores>,
    pub segment: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Prospecting {
    pub potential_annual_spend: Option<Money>,
    pub trailing_12m: Money,
    pub share_of_wallet: Option<f64>,
    pub headroom: Option<Money>,
    /// The open deals, per currency (empty until [`Scorecard::with_pipeline`]).
    #[serde(default)]
    pub open_pipeline: Vec<OpenPipeline>,
}

/// The open deals of one currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenPipeline {
    pub currency: Currency,
    pub deals: u32,
    pub amount: Money,
    pub weighted: Money,
}

impl Scorecard {
    /// The scorecard with the customer's open deals in its Prospecting figures.
    pub fn with_pipeline<'o>(mut self, deals: impl IntoIterator<Item = &'o Opportunity>) -> Scorecard {
        let mut by: std::collections::BTreeMap<Currency, OpenPipeline> = std::collections::BTreeMap::new();
        for o in deals.into_iter().filter(|o| o.is_open()) {
            let e = by.entry(o.currency).or_insert(OpenPipeline {
                currency: o.currency,
                deals: 0,
                amount: Money::ZERO,
                weighted: Money::ZERO,
            });
            e.deals += 1;
            e.amount = e.amount.saturating_add(o.amount);
            e.weighted = e.weighted.saturating_add(o.weighted());
        }
        self.prospecting.open_pipeline = by.into_values().collect();
        self
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductBreadth {
    pub categories: u32,
    pub top_category: Option<String>,
    pub top_share: Option<f64>,
}

/// Campaign reach and response; not in the model yet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Promotion {
    pub campaigns: u32,
    pub responses: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scorecard {
    pub profiling: Profiling,
    pub persistency: Persistency,
    pub profitability: Profitability,
    pub performance: Performance,
    pub prospecting: Prospecting,
    pub product: ProductBreadth,
    /// Always `None`: the model has no campaign data.
    pub promotion: Option<Promotion>,
}

fn filled(s: &str) -> bool {
    !s.trim().is_empty()
}

/// How complete `customer`'s profile is: the [`PROFILE_CHECKS`] it passes, from its own fields
/// and its contacts (others' contacts are ignored). Shared by the customer's 7P card and the
/// per-rep scorecard's data quality figure.
pub fn profiling<'c>(customer: &Customer, contacts: impl IntoIterator<Item = &'c Contact>) -> Profiling {
    let mut n_contacts = 0u32;
    let mut reachable = 0u32;
    let mut primary_reachable = false;
    for c in contacts {
        if c.customer_id != customer.id {
            continue;
        }
        n_contacts += 1;
        let ok = filled(&c.phone) || filled(&c.mobile) || filled(&c.email);
        reachable += u32::from(ok);
        primary_reachable |= ok && c.primary;
    }
    let checks = [
        filled(&customer.name),
        filled(&customer.industry),
        filled(&customer.region),
        filled(&customer.country),
        filled(&customer.city),
        filled(&customer.address),
        !customer.in_shared_pool(),
        customer.credit_limit.is_some(),
        customer.payment_terms_days > 0,
        customer.potential_annual_spend.is_some(),
        n_contacts > 0,
        primary_reachable,
    ];
    let missing: Vec<String> =
        PROFILE_CHECKS.iter().zip(checks).filter(|(_, ok)| !ok).map(|(k, _)| (*k).to_string()).collect();
    let total = PROFILE_CHECKS.len() as u32;
    let done = total - missing.len() as u32;
    Profiling {
        filled: done,
        total,
        completeness: f64::from(done) / f64::from(total),
        missing,
        contacts: n_contacts,
        reachable_contacts: reachable,
    }
}

/// The scorecard of `customer` from its contacts, its [`OrderAnalytics`] and, when available, its
/// row of an analysis (`(analysis, position)`) for RFM and ABC.
pub fn scorecard<'c>(
    customer: &Customer,
    contacts: impl IntoIterator<Item = &'c Contact>,
    orders: &OrderAnalytics,
    analysis: Option<(&Analysis, usize)>,
) -> Scorecard {
    let profiling = profiling(customer, contacts);
    let row = analysis.and_then(|(a, i)| a.rows.get(i).map(|r| (a, i, r)));
    let revenue = orders.revenue;
    let margin_rate = orders.margin.filter(|_| revenue.0 > 0).map(|m| m.0 as f64 / revenue.0 as f64);
    let margin_per_order = match (orders.margin, orders.margin_orders) {
        (Some(m), n) if n > 0 => Some(m.0 as f64 / f64::from(n)),
        _ => None,
    };
    let top = orders.product_mix.first();
    Scorecard {
        profiling,
        persistency: Persistency {
            tenure_days: orders.tenure_days,
            orders: orders.orders,
            distinct_days: orders.distinct_days,
            orders_per_month: orders.orders_per_month,
            median_gap_days: orders.median_gap_days,
            gap_cv: orders.gap_cv,
            quarters_active: row.map(|(_, _, r)| r.quarters_active),
        },
        profitability: Profitability {
            revenue,
            margin: orders.margin,
            margin_rate,
            margin_per_order,
            abc: row.and_then(|(_, _, r)| r.abc),
            never_profitable: orders.margin.is_some_and(|m| m.0 < 0),
            report_currency: row.map(|(a, _, _)| a.fx.reporting),
            revenue_report: row.and_then(|(_, _, r)| r.monetary_report),
            margin_report: row.and_then(|(_, _, r)| r.margin_report),
        },
        performance: Performance {
            order_value_trend: orders.order_value_trend,
            trailing_12m: orders.trailing_12m,
            previous_12m: orders.previous_12m,
            growth_12m: (orders.previous_12m.0 > 0)
                .then(|| (orders.trailing_12m.0 as f64 - orders.previous_12m.0 as f64) / orders.previous_12m.0 as f64),
            rfm: row.and_then(|(_, _, r)| r.scores),
            segment: row.and_then(|(a, i, _)| a.segment_key(i)).map(str::to_string),
        },
        prospecting: Prospecting {
            potential_annual_spend: orders.potential_annual_spend,
            trailing_12m: orders.trailing_12m,
            share_of_wallet: orders.share_of_wallet,
            headroom: orders.potential_annual_spend.map(|p| p.saturating_sub(orders.trailing_12m)),
            open_pipeline: Vec::new(),
        },
        product: ProductBreadth {
            categories: orders.product_mix.iter().filter(|c| !c.category.is_empty()).count() as u32,
            top_category: top.map(|c| c.category.clone()),
            top_share: top.map(|c| c.share),
        },
        promotion: None,
    }
}
