//! A customer account: the company, its place in our supply chain, owner, credit and terms.

use super::{Money, Timestamp, keyed_enum};
use crate::core::money::Currency;
use crate::core::validate::{Checker, MAX_NAME, MAX_SHORT_TEXT, Problem, Validate, ValidationErrors, is_country};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

keyed_enum!(
    /// Where the account sits in our supply chain.
    SupplyChainRole, "role", {
        EndCustomer => "end_customer",
        Distributor => "distributor",
        Oem => "oem",
        LogisticsPartner => "logistics_partner",
        Supplier => "supplier",
        Other => "other",
    }
);

/// A customer account: the company, shared by everyone (one unified view, 客户统一视图).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub short_name: String,
    pub role: SupplyChainRole,
    #[serde(default)]
    pub industry: String,
    #[serde(default)]
    pub region: String,
    /// ISO 3166-1 alpha-2, e.g. `CN`, `DE`; empty when unknown.
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub address: String,
    /// The responsible rep; `None` means the account is in the shared pool (公海).
    #[serde(default)]
    pub owner: Option<String>,
    /// The account team: who else works this account (sales, service, finance), by name.
    #[serde(default)]
    pub team: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub credit_limit: Option<Money>,
    #[serde(default)]
    pub currency: Currency,
    /// Net payment days (30 = "net 30").
    #[serde(default)]
    pub payment_terms_days: u16,
    /// The customer's yearly spend in our categories, from all suppliers (for share of wallet).
    #[serde(default)]
    pub potential_annual_spend: Option<Money>,
    /// Parent company account.
    #[serde(default)]
    pub parent_id: Option<String>,
    /// Accounts this customer distributes to (for distributors).
    #[serde(default)]
    pub distributor_of: Vec<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    #[serde(default)]
    pub custom: BTreeMap<String, serde_json::Value>,
}

impl Customer {
    /// A customer with only an id, a currency and its times: no name yet, role "other", no
    /// owner (the shared pool), no payment terms. Imports and forms fill in what they have.
    pub fn blank(id: impl Into<String>, currency: Currency, at: Timestamp) -> Customer {
        Customer {
            id: id.into(),
            name: String::new(),
            short_name: String::new(),
            role: SupplyChainRole::Other,
            industry: String::new(),
            region: String::new(),
            country: String::new(),
            city: String::new(),
            address: String::new(),
            owner: None,
            team: Vec::new(),
            tags: Vec::new(),
            credit_limit: None,
            currency,
            payment_terms_days: 0,
            potential_annual_spend: None,
            parent_id: None,
            distributor_of: Vec::new(),
            created_at: at,
            updated_at: at,
            custom: BTreeMap::new(),
        }
    }

    pub fn in_shared_pool(&self) -> bool {
        self.owner.as_deref().is_none_or(|o| o.trim().is_empty())
    }

    /// Whether `name` owns this account or is on its account team (names compared trimmed and
    /// case-folded, as the pipeline's team filter does). An empty name is nobody's.
    pub fn has_member(&self, name: &str) -> bool {
        let name = crate::core::text::fold(name.trim());
        let same = |x: &str| crate::core::text::fold(x.trim()) == name;
        !name.is_empty() && (self.owner.as_deref().is_some_and(same) || self.team.iter().any(|t| same(t)))
    }

    /// The short name when there is one, else the full name.
    pub fn display_name(&self) -> &str {
        if self.short_name.trim().is_empty() { &self.name } else { &self.short_name }
    }
}

impl Validate for Customer {
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut c = Checker::default();
        c.id("id", &self.id);
        c.text("name", &self.name, MAX_NAME);
        c.max_len("short_name", &self.short_name, MAX_NAME);
        c.max_len("industry", &self.industry, MAX_NAME);
        c.max_len("region", &self.region, MAX_NAME);
        if !self.country.is_empty() && !is_country(&self.country) {
            c.push("country", Problem::InvalidCountry);
        }
        c.max_len("city", &self.city, MAX_NAME);
        c.max_len("address", &self.address, MAX_SHORT_TEXT);
        c.opt_text("owner", &self.owner, MAX_NAME);
        c.unique("team", &self.team);
        for (i, t) in self.tags.iter().enumerate() {
            c.text(&format!("tags[{i}]"), t, 50);
        }
        c.unique("tags", &self.tags);
        if let Some(limit) = self.credit_limit {
            c.non_negative("credit_limit", limit.0);
        }
        c.range("payment_terms_days", i64::from(self.payment_terms_days), 0, 365);
        if let Some(p) = self.potential_annual_spend {
            c.non_negative("potential_annual_spend", p.0);
        }
        if self.parent_id.as_deref() == Some(self.id.as_str()) {
            c.push("parent_id", Problem::SelfReference);
        }
        for (i, d) in self.distributor_of.iter().enumerate() {
            if d == &self.id {
                c.push(format!("distributor_of[{i}]"), Problem::SelfReference);
            }
        }
        c.unique("distributor_of", &self.distributor_of);
        if self.updated_at < self.created_at {
            c.push("updated_at", Problem::DateOrder);
        }
        c.finish()
    }
}
