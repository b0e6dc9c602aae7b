//! Any record of the model, as one type: what the cache stores, the outbox carries and sync moves.

use crate::core::model::{
    Contact, Customer, Dataset, Entity, Invoice, Opportunity, Order, RegionPlan, ServiceTicket, SurveyResponse, Task,
    Validate, Visit,
};
use crate::core::validate::ValidationErrors;
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "entity", content = "record", rename_all = "snake_case")]
pub enum Record {
    Customers(Customer),
    Contacts(Contact),
    Orders(Order),
    Invoices(Invoice),
    Tickets(ServiceTicket),
    Visits(Visit),
    Surveys(SurveyResponse),
    Plans(RegionPlan),
    Opportunities(Opportunity),
    Tasks(Task),
}

/// Why a stored or received value is not a record of its entity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadRecord {
    pub entity: Entity,
    /// The record's id when one could be read.
    pub id: Option<String>,
    /// What kind of unreadable it is (translated in the UI).
    pub why: Unreadable,
    /// The details, for logs and tests (English, not shown to users).
    pub reason: String,
}

/// Why a value is no record at all. A backend record is only skipped for these; a field that
/// cannot be read costs that field (see [`crate::core::lenient`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unreadable {
    /// Not a JSON object.
    NotAnObject,
    /// No id (or one with control characters, which cannot name a record).
    NoId,
    /// A contact, order, invoice, ticket, visit or survey that names no customer.
    NoCustomer,
    /// Stored text that is not a record of this kind (a damaged cache row).
    Malformed,
}

/// The fields the cache indexes (IndexedDB indexes need them as plain properties).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexFields {
    pub id: String,
    /// The owning customer, for child records.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Last change (RFC 3339) or the record's date, so "recently changed" sorts lexically.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
}

impl Record {
    pub fn entity(&self) -> Entity {
        match self {
            Record::Customers(_) => Entity::Customers,
            Record::Contacts(_) => Entity::Contacts,
            Record::Orders(_) => Entity::Orders,
            Record::Invoices(_) => Entity::Invoices,
            Record::Tickets(_) => Entity::Tickets,
            Record::Visits(_) => Entity::Visits,
            Record::Surveys(_) => Entity::Surveys,
            Record::Plans(_) => Entity::Plans,
            Record::Opportunities(_) => Entity::Opportunities,
            Record::Tasks(_) => Entity::Tasks,
        }
    }

    pub fn id(&self) -> &str {
        match self {
            Record::Customers(r) => &r.id,
            Record::Contacts(r) => &r.id,
            Record::Orders(r) => &r.id,
            Record::Invoices(r) => &r.number,
            Record::Tickets(r) => &r.id,
            Record::Visits(r) => &r.id,
            Record::Surveys(r) => &r.id,
            Record::Plans(r) => &r.id,
            Record::Opportunities(r) => &r.id,
            Record::Tasks(r) => &r.id,
        }
    }

    /// The customer a child record belongs to (`None` for customers and plans).
    pub fn customer_id(&self) -> Option<&str> {
        match self {
            Record::Customers(_) | Record::Plans(_) => None,
            Record::Contacts(r) => Some(&r.customer_id),
            Record::Orders(r) => Some(&r.customer_id),
            Record::Invoices(r) => Some(&r.customer_id),
            Record::Tickets(r) => Some(&r.customer_id),
            Record::Visits(r) => Some(&r.customer_id),
            Record::Surveys(r) => Some(&r.customer_id),
            Record::Opportunities(r) => Some(&r.customer_id),
            Record::Tasks(r) => Some(&r.customer_id),
        }
    }

    pub fn validate(&self) -> Result<(), ValidationErrors> {
        match self {
            Record::Customers(r) => r.validate(),
            Record::Contacts(r) => r.validate(),
            Record::Orders(r) => r.validate(),
            Record::Invoices(r) => r.validate(),
            Record::Tickets(r) => r.validate(),
            Record::Visits(r) => r.validate(),
            Record::Surveys(r) => r.validate(),
            Record::Plans(r) => r.validate(),
            Record::Opportunities(r) => r.validate(),
            Record::Tasks(r) => r.validate(),
        }
    }

    /// The record as a JSON object (the model's own field names). Goes through the text form so
    /// the browser build carries one serialiser per type, not two.
    pub fn to_json(&self) -> Value {
        serde_json::from_str(&self.to_json_string()).unwrap_or(Value::Null)
    }

    /// Compact JSON text, as the cache stores it.
    pub fn to_json_string(&self) -> String {
        let s = match self {
            Record::Customers(r) => serde_json::to_string(r),
            Record::Contacts(r) => serde_json::to_string(r),
            Record::Orders(r) => serde_json::to_string(r),
            Record::Invoices(r) => serde_json::to_string(r),
            Record::Tickets(r) => serde_json::to_string(r),
            Record::Visits(r) => serde_json::to_string(r),
            Record::Surveys(r) => serde_json::to_string(r),
            Record::Plans(r) => serde_json::to_string(r),
            Record::Opportunities(r) => serde_json::to_string(r),
            Record::Tasks(r) => serde_json::to_string(r),
        };
        s.unwrap_or_default()
    }

    pub fn from_json(entity: Entity, value: Value) -> Result<Record, BadRecord> {
        // Through the text form: one deserialiser per type in the browser build (see `to_json`).
        let id = value.get(id_field(entity)).and_then(|v| v.as_str()).map(str::to_string);
        Record::from_json_str(entity, &value.to_string()).map_err(|mut b| {
            b.id = id;
            b
        })
    }

    /// Parses the cache's JSON text directly (no intermediate `Value`: this is the start-up hot path).
    pub fn from_json_str(entity: Entity, text: &str) -> Result<Record, BadRecord> {
        let bad =
            |e: serde_json::Error| BadRecord { entity, id: None, why: Unreadable::Malformed, reason: e.to_string() };
        Ok(match entity {
            Entity::Customers => Record::Customers(serde_json::from_str(text).map_err(bad)?),
            Entity::Contacts => Record::Contacts(serde_json::from_str(text).map_err(bad)?),
            Entity::Orders => Record::Orders(serde_json::from_str(text).map_err(bad)?),
            Entity::Invoices => Record::Invoices(serde_json::from_str(text).map_err(bad)?),
            Entity::Tickets => Record::Tickets(serde_json::from_str(text).map_err(bad)?),
            Entity::Visits => Record::Visits(serde_json::from_str(text).map_err(bad)?),
            Entity::Surveys => Record::Surveys(serde_json::from_str(text).map_err(bad)?),
            Entity::Plans => Record::Plans(serde_json::from_str(text).map_err(bad)?),
            Entity::Opportunities => Record::Opportunities(serde_json::from_str(text).map_err(bad)?),
            Entity::Tasks => Record::Tasks(serde_json::from_str(text).map_err(bad)?),
        })
    }

    pub fn index_fields(&self) -> IndexFields {
        let mut f = IndexFields {
            id: self.id().to_string(),
            cid: self.customer_id().map(str::to_string),
            ..Default::default()
        };
        match self {
            Record::Customers(c) => {
                f.name = Some(c.name.clone());
                f.region = Some(c.region.clone());
                f.owner = c.owner.clone().filter(|o| !o.trim().is_empty());
                f.updated = Some(c.updated_at.to_rfc3339());
            }
            Record::Contacts(c) => {
                f.name = Some(c.name.clone());
                f.updated = Some(c.updated_at.to_rfc3339());
            }
            Record::Orders(o) => f.updated = Some(o.updated_at.to_rfc3339()),
            Record::Invoices(i) => f.updated = Some(i.issue_date.to_string()),
            Record::Tickets(t) => f.updated = Some(t.updated_at.to_rfc3339()),
            Record::Visits(v) => f.updated = Some(v.updated_at.to_rfc3339()),
            Record::Surveys(s) => f.updated = Some(s.date.to_string()),
            Record::Plans(p) => f.region = Some(p.region.clone()),
            Record::Opportunities(o) => {
                f.name = Some(o.title.clone());
                f.owner = Some(o.owner.clone()).filter(|o| !o.trim().is_empty());
                f.updated = Some(o.updated_at.to_rfc3339());
            }
            Record::Tasks(t) => {
                f.name = Some(t.title.clone());
                f.owner = Some(t.owner.clone()).filter(|o| !o.trim().is_empty());
                f.updated = Some(t.updated_at.to_rfc3339());
            }
        }
        f
    }

    /// Every record of a dataset, entity by entity.
    pub fn all(data: &Dataset) -> impl Iterator<Item = Record> + '_ {
        data.customers
            .iter()
            .cloned()
            .map(Record::Customers)
            .chain(data.contacts.iter().cloned().map(Record::Contacts))
            .chain(data.orders.iter().cloned().map(Record::Orders))
            .chain(data.invoices.iter().cloned().map(Record::Invoices))
            .chain(data.tickets.iter().cloned().map(Record::Tickets))
            .chain(data.visits.iter().cloned().map(Record::Visits))
            .chain(data.surveys.iter().cloned().map(Record::Surveys))
            .chain(data.plans.iter().cloned().map(Record::Plans))
            .chain(data.opportunities.iter().cloned().map(Record::Opportunities))
            .chain(data.tasks.iter().cloned().map(Record::Tasks))
    }

    /// Appends to the dataset's vector for the record's entity (no de-duplication).
    pub fn push_into(self, data: &mut Dataset) {
        match self {
            Record::Customers(r) => data.customers.push(r),
            Record::Contacts(r) => data.contacts.push(r),
            Record::Orders(r) => data.orders.push(r),
            Record::Invoices(r) => data.invoices.push(r),
            Record::Tickets(r) => data.tickets.push(r),
            Record::Visits(r) => data.visits.push(r),
            Record::Surveys(r) => data.surveys.push(r),
            Record::Plans(r) => data.plans.push(r),
            Record::Opportunities(r) => data.opportunities.push(r),
            Record::Tasks(r) => data.tasks.push(r),
        }
    }
}

/// The JSON field that holds an entity's id in the model.
pub fn id_field(entity: Entity) -> &'static str {
    match entity {
        Entity::Invoices => "number",
        _ => "id",
    }
}

/// The fields of a record kind that hold ids of other records, with the kind each refers to (a
/// list field holds several; `source_id` is a visit's or a ticket's). When the server gives a
/// created record its own id, these are what must follow it (`sync::outbox::rename_ref`).
pub fn references(entity: Entity) -> &'static [(&'static str, Entity)] {
    use Entity::*;
    match entity {
        Customers => &[("parent_id", Customers), ("distributor_of", Customers)],
        Contacts | Orders => &[("customer_id", Customers)],
        Plans => &[],
        Invoices => &[("customer_id", Customers), ("order_id", Orders)],
        Tickets => &[("customer_id", Customers), ("order_id", Orders)],
        Visits => &[("customer_id", Customers), ("contacts_met", Contacts)],
        Surveys => &[("customer_id", Customers), ("contact_id", Contacts), ("ticket_id", Tickets)],
        Opportunities => {
            &[("customer_id", Customers), ("contacts", Contacts), ("source_id", Visits), ("source_id", Tickets)]
        }
        Tasks => &[
            ("customer_id", Customers),
            ("related_id", Visits),
            ("related_id", Tickets),
            ("related_id", Invoices),
            ("related_id", Opportunities),
        ],
    }
}

/// A change to apply to a workspace (from a local edit, a pull, or another tab).
// Changes move by value in batches of thousands: a box per record would cost an allocation each.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    Upsert(Record),
    Remove(Entity, String),
}

impl Change {
    /// The record it changes.
    pub fn key(&self) -> (Entity, &str) {
        match self {
            Change::Upsert(r) => (r.entity(), r.id()),
            Change::Remove(e, id) => (*e, id),
        }
    }
}
