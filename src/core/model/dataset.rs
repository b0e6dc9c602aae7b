//! What a workspace holds: the kinds of record ([`Entity`]) and every record of them as stored
//! ([`Dataset`]).

use super::{
    Contact, Customer, Invoice, Opportunity, Order, RegionPlan, ServiceTicket, SurveyResponse, Task, Visit, keyed_enum,
};
use serde::{Deserialize, Serialize};

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
    #[serde(default)]
    pub opportunities: Vec<Opportunity>,
    #[serde(default)]
    pub tasks: Vec<Task>,
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
        Opportunities => "opportunities",
        Tasks => "tasks",
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
            Entity::Opportunities => self.opportunities.len(),
            Entity::Tasks => self.tasks.len(),
        }
    }
}
