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
use crate::core::model::{Customer, Date, Order, ServiceTicket, SurveyResponse, TicketKind};
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
