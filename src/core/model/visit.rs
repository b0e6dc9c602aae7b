//! A visit report: who met whom at a customer, why, the outcome and the next step.

use super::{Date, Timestamp, keyed_enum};
use crate::core::validate::{Checker, MAX_LONG_TEXT, MAX_NAME, MAX_SHORT_TEXT, Problem, Validate, ValidationErrors};
use serde::{Deserialize, Serialize};

keyed_enum!(VisitPurpose, "purpose", {
    Relationship => "relationship",
    Opportunity => "opportunity",
    Service => "service",
    Complaint => "complaint",
    Collection => "collection",
    Survey => "survey",
    Other => "other",
});

/// A position the user agreed to share (WGS 84). Floats are fine here: this is not money.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
    #[serde(default)]
    pub accuracy_m: Option<f64>,
}

/// A visit report (拜访记录), often written on a tablet at the customer's site.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Visit {
    pub id: String,
    pub customer_id: String,
    pub date: Date,
    /// The rep who visited.
    #[serde(default)]
    pub rep: String,
    /// Ids of the contacts met.
    #[serde(default)]
    pub contacts_met: Vec<String>,
    pub purpose: VisitPurpose,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub next_step: String,
    #[serde(default)]
    pub next_step_date: Option<Date>,
    #[serde(default)]
    pub location: Option<GeoPoint>,
    pub updated_at: Timestamp,
}

impl Visit {
    /// A visit to `customer_id` on `date` by `rep`, nothing written yet (a planned visit).
    pub fn planned(id: String, customer_id: String, date: Date, rep: String, now: Timestamp) -> Visit {
        Visit {
            id,
            customer_id,
            date,
            rep,
            contacts_met: Vec::new(),
            purpose: VisitPurpose::Relationship,
            notes: String::new(),
            outcome: String::new(),
            next_step: String::new(),
            next_step_date: None,
            location: None,
            updated_at: now,
        }
    }

    /// Still to be made: dated `today` or later with no report written.
    pub fn is_planned(&self, today: Date) -> bool {
        self.date >= today && self.outcome.trim().is_empty() && self.notes.trim().is_empty()
    }
}

impl Validate for Visit {
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut c = Checker::default();
        c.id("id", &self.id);
        c.id("customer_id", &self.customer_id);
        c.max_len("rep", &self.rep, MAX_NAME);
        c.unique("contacts_met", &self.contacts_met);
        c.max_len("notes", &self.notes, MAX_LONG_TEXT);
        c.max_len("outcome", &self.outcome, MAX_SHORT_TEXT);
        c.max_len("next_step", &self.next_step, MAX_SHORT_TEXT);
        if let Some(d) = self.next_step_date
            && d < self.date
        {
            c.push("next_step_date", Problem::DateOrder);
        }
        if let Some(p) = self.location {
            let ok = p.lat.is_finite()
                && p.lon.is_finite()
                && (-90.0..=90.0).contains(&p.lat)
                && (-180.0..=180.0).contains(&p.lon)
                && p.accuracy_m.is_none_or(|a| a.is_finite() && a >= 0.0);
            if !ok {
                c.push("location", Problem::InvalidCoordinates);
            }
        }
        c.finish()
    }
}
