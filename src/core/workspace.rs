//! A workspace: one backend's (or the demo's) records, indexed for the UI.

use crate::core::model::keyed_enum;
use crate::core::model::{Contact, Customer, Invoice, Order, RegionPlan, ServiceTicket, SurveyResponse, Visit};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Every record of a workspace, as stored.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    pub customers: Vec<Customer>,
    pub contacts: Vec<Contact>,
    pub orders: Vec<Order>,
    pub invoices: Vec<Invoice>,
    pub tickets: Vec<ServiceTicket>,
    pub visits: Vec<Visit>,
    pub surveys: Vec<SurveyResponse>,
    pub plans: Vec<RegionPlan>,
}

keyed_enum!(
    /// The kinds of record a workspace holds (one store / resource each).
    Entity, "entity", {
        Customers => "customers",
        Contacts => "contacts",
        Orders => "orders",
        Invoices => "invoices",
        Tickets => "tickets",
        Visits => "visits",
        Surveys => "surveys",
        Plans => "plans",
    }
);

impl Dataset {
    pub fn len(&self, entity: Entity) -> usize {
        match entity {
            Entity::Customers => self.customers.len(),
            Entity::Contacts => self.contacts.len(),
            Entity::Orders => self.orders.len(),
            Entity::Invoices => self.invoices.len(),
            Entity::Tickets => self.tickets.len(),
            Entity::Visits => self.visits.len(),
            Entity::Surveys => self.surveys.len(),
            Entity::Plans => self.plans.len(),
        }
    }
}

/// Where a workspace's data comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Source {
    /// Generated demo data (no backend configured).
    Demo { seed: u64, customers: usize },
}

/// Indices (into the dataset's vectors) of one customer's child records, in date order.
#[derive(Clone, Debug, Default)]
pub struct Children {
    pub contacts: Vec<usize>,
    pub orders: Vec<usize>,
    pub invoices: Vec<usize>,
    pub tickets: Vec<usize>,
    pub visits: Vec<usize>,
    pub surveys: Vec<usize>,
}

/// A dataset with the look-ups the UI needs: customer by id, a customer's records, text search.
#[derive(Clone, Debug)]
pub struct Workspace {
    pub source: Source,
    pub data: Dataset,
    by_id: HashMap<String, usize>,
    children: Vec<Children>,
    /// Lower-cased searchable text per customer (names, place, tags, contacts).
    haystack: Vec<String>,
}

impl Workspace {
    pub fn new(source: Source, data: Dataset) -> Workspace {
        let by_id: HashMap<String, usize> = data.customers.iter().enumerate().map(|(i, c)| (c.id.clone(), i)).collect();
        let mut children = vec![Children::default(); data.customers.len()];
        let slot = |id: &str| by_id.get(id).copied();
        for (i, r) in data.contacts.iter().enumerate() {
            if let Some(c) = slot(&r.customer_id) {
                children[c].contacts.push(i);
            }
        }
        for (i, r) in data.orders.iter().enumerate() {
            if let Some(c) = slot(&r.customer_id) {
                children[c].orders.push(i);
            }
        }
        for (i, r) in data.invoices.iter().enumerate() {
            if let Some(c) = slot(&r.customer_id) {
                children[c].invoices.push(i);
            }
        }
        for (i, r) in data.tickets.iter().enumerate() {
            if let Some(c) = slot(&r.customer_id) {
                children[c].tickets.push(i);
            }
        }
        for (i, r) in data.visits.iter().enumerate() {
            if let Some(c) = slot(&r.customer_id) {
                children[c].visits.push(i);
            }
        }
        for (i, r) in data.surveys.iter().enumerate() {
            if let Some(c) = slot(&r.customer_id) {
                children[c].surveys.push(i);
            }
        }
        for ch in &mut children {
            ch.orders.sort_by_key(|&i| (data.orders[i].date, i));
            ch.invoices.sort_by_key(|&i| (data.invoices[i].issue_date, i));
            ch.tickets.sort_by_key(|&i| (data.tickets[i].opened_at, i));
            ch.visits.sort_by_key(|&i| (data.visits[i].date, i));
            ch.surveys.sort_by_key(|&i| (data.surveys[i].date, i));
        }
        let haystack = data
            .customers
            .iter()
            .zip(&children)
            .map(|(c, ch)| {
                let mut text = [c.name.as_str(), &c.short_name, &c.city, &c.region, &c.industry].join("\u{1f}");
                for t in &c.tags {
                    text.push('\u{1f}');
                    text.push_str(t);
                }
                for &k in &ch.contacts {
                    let p = &data.contacts[k];
                    for part in [&p.name, &p.phone, &p.mobile, &p.email] {
                        text.push('\u{1f}');
                        text.push_str(part);
                    }
                }
                text.to_lowercase()
            })
            .collect();
        Workspace { source, data, by_id, children, haystack }
    }

    pub fn is_demo(&self) -> bool {
        matches!(self.source, Source::Demo { .. })
    }

    pub fn customer_index(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    pub fn customer(&self, id: &str) -> Option<&Customer> {
        self.customer_index(id).map(|i| &self.data.customers[i])
    }

    /// The child records of the customer at `index`; empty for an out-of-range index.
    pub fn children(&self, index: usize) -> &Children {
        static EMPTY: Children = Children {
            contacts: Vec::new(),
            orders: Vec::new(),
            invoices: Vec::new(),
            tickets: Vec::new(),
            visits: Vec::new(),
            surveys: Vec::new(),
        };
        self.children.get(index).unwrap_or(&EMPTY)
    }

    /// Indices of customers matching every whitespace-separated term of `query`
    /// (case-insensitive substring over names, place, industry, tags and contacts), in dataset order.
    pub fn search(&self, query: &str) -> Vec<usize> {
        let terms: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        self.haystack
            .iter()
            .enumerate()
            .filter(|(_, h)| terms.iter().all(|t| h.contains(t.as_str())))
            .map(|(i, _)| i)
            .collect()
    }
}
