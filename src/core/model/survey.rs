//! A satisfaction survey answer: CSAT and NPS from a customer's contact, perhaps about a ticket.

use super::Date;
use crate::core::validate::{Checker, MAX_LONG_TEXT, Problem, Validate, ValidationErrors};
use serde::{Deserialize, Serialize};

/// One answer to a satisfaction survey (满意度调查).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyResponse {
    pub id: String,
    pub customer_id: String,
    #[serde(default)]
    pub contact_id: Option<String>,
    pub date: Date,
    /// Customer satisfaction, 1 (very unsatisfied) to 5 (very satisfied).
    #[serde(default)]
    pub csat: Option<u8>,
    /// Net Promoter answer, 0 to 10.
    #[serde(default)]
    pub nps: Option<u8>,
    #[serde(default)]
    pub comment: String,
    /// The ticket this survey followed up, if any.
    #[serde(default)]
    pub ticket_id: Option<String>,
}

impl Validate for SurveyResponse {
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut c = Checker::default();
        c.id("id", &self.id);
        c.id("customer_id", &self.customer_id);
        if let Some(v) = self.csat {
            c.range("csat", i64::from(v), 1, 5);
        }
        if let Some(v) = self.nps {
            c.range("nps", i64::from(v), 0, 10);
        }
        if self.csat.is_none() && self.nps.is_none() {
            c.push("csat", Problem::NoScore);
        }
        c.max_len("comment", &self.comment, MAX_LONG_TEXT);
        c.finish()
    }
}
