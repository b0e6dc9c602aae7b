//! A contact: a person at a customer (name, title, department, phones, e-mail, the primary one).

use super::Timestamp;
use crate::core::validate::{Checker, MAX_NAME, MAX_SHORT_TEXT, Problem, Validate, ValidationErrors};
use serde::{Deserialize, Serialize};

/// A person at a customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub id: String,
    pub customer_id: String,
    pub name: String,
    /// Job title, e.g. 采购经理 / Purchasing Manager.
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub mobile: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub primary: bool,
    #[serde(default)]
    pub notes: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Contact {
    /// A contact of `customer_id` with only its id and times: no name yet, not the primary one.
    pub fn blank(id: impl Into<String>, customer_id: impl Into<String>, at: Timestamp) -> Contact {
        Contact {
            id: id.into(),
            customer_id: customer_id.into(),
            name: String::new(),
            title: String::new(),
            department: String::new(),
            phone: String::new(),
            mobile: String::new(),
            email: String::new(),
            primary: false,
            notes: String::new(),
            created_at: at,
            updated_at: at,
        }
    }
}

impl Validate for Contact {
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut c = Checker::default();
        c.id("id", &self.id);
        c.id("customer_id", &self.customer_id);
        c.text("name", &self.name, MAX_NAME);
        c.max_len("title", &self.title, MAX_NAME);
        c.max_len("department", &self.department, MAX_NAME);
        c.phone("phone", &self.phone);
        c.phone("mobile", &self.mobile);
        c.email("email", &self.email);
        c.max_len("notes", &self.notes, MAX_SHORT_TEXT * 4);
        if self.updated_at < self.created_at {
            c.push("updated_at", Problem::DateOrder);
        }
        c.finish()
    }
}
