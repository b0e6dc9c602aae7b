//! Satisfaction from survey responses, and complaint rates.
//!
//! - **CSAT** = share (0..1) of CSAT answers that are 4 or 5.
//! - **NPS** = % promoters (9–10) − % detractors (0–6) of the NPS answers, from −100 to 100.
//! - A response may carry either score or both; out-of-range scores (CSAT outside 1–5, NPS above
//!   10) are counted as `invalid` and ignored; responses dated after the analysis date are ignored.
//! - **Complaint rate** of a group of customers: complaint tickets opened on or before the
//!   analysis date per customer of the group (customers without tickets count too), and per 100
//!   sales (orders that count as a sale, dated on or before the analysis date, any currency).
//!
//! Grouping is by an arbitrary key of (position, customer): per customer, per region, per RFM
//! segment (`|i, _| analysis.segment_key(i).map(str::to_string)`), per owner…

use super::index::CustomerIndex;
use crate::core::model::{Customer, Date, Order, ServiceTicket, SurveyResponse, TicketKind, keyed_enum};
use crate::core::workspace::Workspace;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Satisfaction {
    pub responses: u32,
    pub csat_answers: u32,
    /// CSAT answers of 4 or 5.
    pub csat_satisfied: u32,
    pub nps_answers: u32,
    pub promoters: u32,
    pub passives: u32,
    pub detractors: u32,
    /// Out-of-range scores (ignored).
    pub invalid: u32,
}

impl Satisfaction {
    pub fn add(&mut self, s: &SurveyResponse) {
        self.responses += 1;
        match s.csat {
            Some(v @ 1..=5) => {
                self.csat_answers += 1;
                if v >= 4 {
                    self.csat_satisfied += 1;
                }
            }
            Some(_) => self.invalid += 1,
            None => {}
        }
        match s.nps {
            Some(v @ 0..=10) => {
                self.nps_answers += 1;
                match v {
                    9..=10 => self.promoters += 1,
                    7..=8 => self.passives += 1,
                    _ => self.detractors += 1,
                }
            }
            Some(_) => self.invalid += 1,
            None => {}
        }
    }

    pub fn merge(&mut self, o: &Satisfaction) {
        self.responses += o.responses;
        self.csat_answers += o.csat_answers;
        self.csat_satisfied += o.csat_satisfied;
        self.nps_answers += o.nps_answers;
        self.promoters += o.promoters;
        self.passives += o.passives;
        self.detractors += o.detractors;
        self.invalid += o.invalid;
    }

    /// Share of satisfied CSAT answers (0..1); `None` without answers.
    pub fn csat(&self) -> Option<f64> {
        (self.csat_answers > 0).then(|| f64::from(self.csat_satisfied) / f64::from(self.csat_answers))
    }

    /// Net Promoter Score (−100..100); `None` without answers.
    pub fn nps(&self) -> Option<f64> {
        (self.nps_answers > 0)
            .then(|| (f64::from(self.promoters) - f64::from(self.detractors)) * 100.0 / f64::from(self.nps_answers))
    }
}

/// All responses dated on or before `as_of`.
pub fn satisfaction<'s>(surveys: impl IntoIterator<Item = &'s SurveyResponse>, as_of: Date) -> Satisfaction {
    let mut s = Satisfaction::default();
    for r in surveys {
        if r.date <= as_of {
            s.add(r);
        }
    }
    s
}

/// One entry per customer (same positions); responses of unknown customers are left out.
pub fn satisfaction_per_customer(customers: &[Customer], surveys: &[SurveyResponse], as_of: Date) -> Vec<Satisfaction> {
    let index = CustomerIndex::new(customers);
    let mut out = vec![Satisfaction::default(); customers.len()];
    for r in surveys {
        if r.date <= as_of
            && let Some(c) = index.get(&r.customer_id)
        {
            out[c].add(r);
        }
    }
    out
}

/// Responses grouped by `key(position, customer)` (`None` leaves the customer out).
pub fn satisfaction_by<K: Ord>(
    customers: &[Customer],
    surveys: &[SurveyResponse],
    as_of: Date,
    key: impl Fn(usize, &Customer) -> Option<K>,
) -> BTreeMap<K, Satisfaction> {
    let per = satisfaction_per_customer(customers, surveys, as_of);
    let mut out: BTreeMap<K, Satisfaction> = BTreeMap::new();
    for (i, (c, s)) in customers.iter().zip(&per).enumerate() {
        if let Some(k) = key(i, c) {
            out.entry(k).or_default().merge(s);
        }
    }
    out
}

/// Complaints and sales of a group of customers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintRate {
    pub customers: u32,
    pub complaints: u32,
    pub orders: u32,
}

impl ComplaintRate {
    pub fn per_customer(&self) -> Option<f64> {
        (self.customers > 0).then(|| f64::from(self.complaints) / f64::from(self.customers))
    }

    pub fn per_100_orders(&self) -> Option<f64> {
        (self.orders > 0).then(|| f64::from(self.complaints) * 100.0 / f64::from(self.orders))
    }
}

/// Complaint rates grouped by `key(position, customer)`.
pub fn complaint_rates_by<K: Ord>(
    customers: &[Customer],
    orders: &[Order],
    tickets: &[ServiceTicket],
    as_of: Date,
    key: impl Fn(usize, &Customer) -> Option<K>,
) -> BTreeMap<K, ComplaintRate> {
    let index = CustomerIndex::new(customers);
    let mut per = vec![(0u32, 0u32); customers.len()];
    for o in orders {
        if o.counts_as_sale()
            && o.date <= as_of
            && let Some(c) = index.get(&o.customer_id)
        {
            per[c].1 = per[c].1.saturating_add(1);
        }
    }
    for t in tickets {
        if t.kind == TicketKind::Complaint
            && t.opened_at.date_naive() <= as_of
            && let Some(c) = index.get(&t.customer_id)
        {
            per[c].0 = per[c].0.saturating_add(1);
        }
    }
    let mut out: BTreeMap<K, ComplaintRate> = BTreeMap::new();
    for (i, (c, &(complaints, n))) in customers.iter().zip(&per).enumerate() {
        if let Some(k) = key(i, c) {
            let e = out.entry(k).or_default();
            e.customers += 1;
            e.complaints = e.complaints.saturating_add(complaints);
            e.orders = e.orders.saturating_add(n);
        }
    }
    out
}

keyed_enum!(
    /// Which survey answers a customer gave (up to the analysis date), for the customer list.
    Answered, "answered", {
        /// Any survey response.
        Any => "any",
        /// A valid CSAT score (1–5).
        Csat => "csat",
        /// A valid NPS score (0–10).
        Nps => "nps",
    }
);

impl Answered {
    pub fn matches(self, s: &Satisfaction) -> bool {
        match self {
            Answered::Any => s.responses > 0,
            Answered::Csat => s.csat_answers > 0,
            Answered::Nps => s.nps_answers > 0,
        }
    }
}

/// Per customer, what it told us up to the analysis date: its survey answers and complaint
/// tickets, read through the workspace's per-customer index (no customer id is looked up).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Voice {
    pub as_of: Option<Date>,
    /// One per customer, in the customers' order.
    pub satisfaction: Vec<Satisfaction>,
    /// Complaint tickets opened on or before the analysis date, per customer.
    pub complaints: Vec<u32>,
}

/// One customer's satisfaction: its responses dated on or before `as_of`.
pub fn customer_satisfaction(ws: &Workspace, customer: usize, as_of: Date) -> Satisfaction {
    let mut s = Satisfaction::default();
    for &k in &ws.children(customer).surveys {
        if let Some(r) = ws.data.surveys.get(k).filter(|r| r.date <= as_of) {
            s.add(r);
        }
    }
    s
}

/// One customer's complaint tickets opened on or before `as_of`.
pub fn customer_complaints(ws: &Workspace, customer: usize, as_of: Date) -> u32 {
    let tickets = &ws.data.tickets;
    let n = ws
        .children(customer)
        .tickets
        .iter()
        .filter_map(|&k| tickets.get(k))
        .filter(|t| t.kind == TicketKind::Complaint && t.opened_at.date_naive() <= as_of)
        .count();
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Every customer's [`customer_satisfaction`] and [`customer_complaints`].
pub fn voice_workspace(ws: &Workspace, as_of: Date) -> Voice {
    let n = ws.data.customers.len();
    Voice {
        as_of: Some(as_of),
        satisfaction: (0..n).map(|i| customer_satisfaction(ws, i, as_of)).collect(),
        complaints: (0..n).map(|i| customer_complaints(ws, i, as_of)).collect(),
    }
}

/// Satisfaction and complaint rate of one group of customers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupVoice {
    pub satisfaction: Satisfaction,
    pub complaints: ComplaintRate,
    /// Customers of the group with a valid CSAT answer, with a valid NPS answer, with any
    /// response, with a complaint: what the customer list shows for the group and
    /// `answered=csat`, `answered=nps`, `answered=any`, `complained`.
    pub csat_customers: u32,
    pub nps_customers: u32,
    pub responding_customers: u32,
    pub complaining_customers: u32,
}

/// [`Voice`] grouped by `key(position)` (`None` leaves the customer out); `sales(position)` is
/// the customer's sales up to the analysis date in any currency (the analysis row's `frequency
/// + other_currency_orders`), for complaints per 100 orders. Same figures as
/// [`satisfaction_by`] and [`complaint_rates_by`].
pub fn group_voice<K: Ord>(
    voice: &Voice,
    sales: impl Fn(usize) -> u32,
    key: impl Fn(usize) -> Option<K>,
) -> BTreeMap<K, GroupVoice> {
    let mut out: BTreeMap<K, GroupVoice> = BTreeMap::new();
    for (i, (s, &complaints)) in voice.satisfaction.iter().zip(&voice.complaints).enumerate() {
        let Some(k) = key(i) else { continue };
        let g = out.entry(k).or_default();
        g.satisfaction.merge(s);
        g.complaints.customers += 1;
        g.complaints.complaints = g.complaints.complaints.saturating_add(complaints);
        g.complaints.orders = g.complaints.orders.saturating_add(sales(i));
        g.csat_customers += u32::from(Answered::Csat.matches(s));
        g.nps_customers += u32::from(Answered::Nps.matches(s));
        g.responding_customers += u32::from(Answered::Any.matches(s));
        g.complaining_customers += u32::from(complaints > 0);
    }
    out
}
