//! A service ticket: a complaint, request or inquiry, its severity and SLA, status times and photos.

use super::attachment::Attachment;
use super::{Timestamp, keyed_enum};
use crate::core::validate::{Checker, MAX_LONG_TEXT, MAX_NAME, Problem, Validate, ValidationErrors};
use chrono::Duration;
use serde::{Deserialize, Serialize};

keyed_enum!(TicketKind, "ticket_kind", {
    Complaint => "complaint",
    Request => "request",
    Inquiry => "inquiry",
});

keyed_enum!(
    /// Pre-, in- and after-sales service (售前/售中/售后).
    ServiceStage, "stage", {
        PreSales => "pre_sales",
        InSales => "in_sales",
        AfterSales => "after_sales",
    }
);

keyed_enum!(Severity, "severity", {
    Low => "low",
    Medium => "medium",
    High => "high",
    Critical => "critical",
});

keyed_enum!(TicketStatus, "ticket_status", {
    Open => "open",
    InProgress => "in_progress",
    Resolved => "resolved",
    Closed => "closed",
});

impl Severity {
    /// The default service commitment (服务承诺): how long until the ticket must be resolved.
    pub fn default_sla(self) -> Duration {
        match self {
            Severity::Critical => Duration::hours(4),
            Severity::High => Duration::hours(24),
            Severity::Medium => Duration::hours(72),
            Severity::Low => Duration::days(7),
        }
    }
}

impl TicketStatus {
    pub fn is_open(self) -> bool {
        matches!(self, TicketStatus::Open | TicketStatus::InProgress)
    }
}

/// A complaint, request or inquiry (投诉 / 服务请求 / 咨询).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceTicket {
    pub id: String,
    pub customer_id: String,
    pub kind: TicketKind,
    pub stage: ServiceStage,
    pub severity: Severity,
    pub status: TicketStatus,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub resolution: String,
    #[serde(default)]
    pub order_id: Option<String>,
    #[serde(default)]
    pub product: Option<String>,
    #[serde(default)]
    pub assignee: Option<String>,
    pub opened_at: Timestamp,
    pub sla_due: Timestamp,
    #[serde(default)]
    pub resolved_at: Option<Timestamp>,
    #[serde(default)]
    pub closed_at: Option<Timestamp>,
    pub updated_at: Timestamp,
    /// Photos taken on site (stored offline with the ticket; sent with it to backends that store
    /// the field).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<Photo>,
}

/// A photo attached to a ticket (JPEG or PNG, downscaled on the device): an [`Attachment`] that
/// [`Attachment::is_photo`].
pub type Photo = Attachment;

/// Photos per ticket.
pub const MAX_PHOTOS: usize = 6;

impl ServiceTicket {
    /// Past its SLA: still open after the due time, or resolved after it.
    pub fn sla_breached(&self, now: Timestamp) -> bool {
        match self.resolved_at {
            Some(done) => done > self.sla_due,
            None => self.status.is_open() && now > self.sla_due,
        }
    }
}

impl Validate for ServiceTicket {
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut c = Checker::default();
        c.id("id", &self.id);
        c.id("customer_id", &self.customer_id);
        c.text("title", &self.title, MAX_NAME);
        c.max_len("description", &self.description, MAX_LONG_TEXT);
        c.max_len("resolution", &self.resolution, MAX_LONG_TEXT);
        c.opt_text("product", &self.product, MAX_NAME);
        if self.sla_due < self.opened_at {
            c.push("sla_due", Problem::DateOrder);
        }
        if let Some(r) = self.resolved_at
            && r < self.opened_at
        {
            c.push("resolved_at", Problem::DateOrder);
        }
        if let Some(cl) = self.closed_at
            && (cl < self.opened_at || self.resolved_at.is_some_and(|r| cl < r))
        {
            c.push("closed_at", Problem::DateOrder);
        }
        if matches!(self.status, TicketStatus::Resolved | TicketStatus::Closed) && self.resolution.trim().is_empty() {
            c.push("resolution", Problem::MissingResolution);
        }
        if self.photos.len() > MAX_PHOTOS {
            c.push("photos", Problem::TooMany { max: MAX_PHOTOS as u32 });
        }
        if self.photos.iter().any(|p| !p.is_photo()) {
            c.push("photos", Problem::InvalidPhoto);
        }
        c.finish()
    }
}
