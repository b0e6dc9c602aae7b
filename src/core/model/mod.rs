//! The domain model: the records a B2B supply-chain CRM keeps about its customers.
//!
//! Records are plain serde structs; money is [`Money`] (integer minor units), dates are
//! `chrono::NaiveDate`, instants `DateTime<Utc>`. Every record implements [`Validate`].
//! Enumerations carry a stable translation `key()` and an `ALL` list.

mod attachment;
mod contact;
mod customer;
mod dataset;
mod invoice;
mod opportunity;
mod order;
mod plan;
mod stages;
mod survey;
mod task;
mod ticket;
mod visit;

pub use attachment::{
    Attachment, DOCUMENT_TYPES, MAX_ATTACHMENT_BYTES, MAX_DOCUMENT_FILE_BYTES, MAX_DOCUMENTS, document_type_of,
};
pub use contact::Contact;
pub use customer::{Customer, SupplyChainRole};
pub use dataset::{Dataset, Entity};
pub use invoice::{Invoice, Payment};
pub use opportunity::{LostReason, OppLine, OppSource, Opportunity, StageChange};
pub use order::{Order, OrderLine, OrderStatus};
pub use plan::{Period, RegionPlan};
pub use stages::{LOST, MAX_OPEN_STAGES, StageDef, StageOutcome, StageProblem, Stages, WON, parse_probability};
pub use survey::SurveyResponse;
pub use task::{Task, TaskPriority, TaskRelated, TaskStatus, is_time_of_day};
pub use ticket::{MAX_PHOTOS, Photo, ServiceStage, ServiceTicket, Severity, TicketKind, TicketStatus};
pub use visit::{GeoPoint, Visit, VisitPurpose};

pub use crate::core::money::{Currency, Money};
pub use crate::core::validate::{Validate, ValidationErrors};

pub type Timestamp = chrono::DateTime<chrono::Utc>;
pub type Date = chrono::NaiveDate;

/// Declares a fieldless enum with snake_case serde names, `ALL`, and translation keys `<prefix>_<name>`.
macro_rules! keyed_enum {
    ($(#[$meta:meta])* $name:ident, $prefix:literal, { $($(#[$vmeta:meta])* $variant:ident => $key:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Stable wire name (same as serde's).
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            /// Translation key of the label.
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => concat!($prefix, "_", $key)),+ }
            }

            pub fn parse(s: &str) -> Option<$name> {
                let s = s.trim();
                Self::ALL.iter().copied().find(|v| v.as_str().eq_ignore_ascii_case(s))
            }
        }
    };
}
pub(crate) use keyed_enum;
