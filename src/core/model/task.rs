//! A task or follow-up (任务 / 跟进): work someone owns about a customer — call back after a
//! visit, collect an overdue invoice, win back a customer drifting away, close a breached ticket —
//! with a due date, a priority and a status. Made by hand or, prefilled, from the record it
//! follows up ([`crate::core::tasks`]).

use super::{Date, Money, Timestamp, keyed_enum};
use crate::core::money::Currency;
use crate::core::validate::{Checker, MAX_LONG_TEXT, MAX_NAME, Problem, Validate, ValidationErrors};
use serde::{Deserialize, Serialize};

keyed_enum!(
    /// Where a task stands.
    TaskStatus, "task_status", {
        Open => "open",
        Done => "done",
        Cancelled => "cancelled",
    }
);

keyed_enum!(
    /// How urgent a task is.
    TaskPriority, "task_priority", {
        Low => "low",
        Normal => "normal",
        High => "high",
    }
);

keyed_enum!(
    /// The kind of record a task follows up.
    TaskRelated, "task_related", {
        Visit => "visit",
        Ticket => "ticket",
        Invoice => "invoice",
        Opportunity => "opportunity",
        /// A warning or strategy on the customer page (no record of its own).
        Warning => "warning",
    }
);

/// A task or follow-up about a customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub id: String,
    pub customer_id: String,
    pub title: String,
    /// What the task follows up (with `related_id` for a record).
    #[serde(default)]
    pub related: Option<TaskRelated>,
    /// The visit, ticket, invoice number or opportunity it follows up.
    #[serde(default)]
    pub related_id: Option<String>,
    /// Who does it (a name or email, as the workspace writes owners). Empty: the account's team.
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub due_date: Option<Date>,
    /// Time of day it is due (`HH:MM`, local), empty for "some time that day".
    #[serde(default)]
    pub due_time: String,
    #[serde(default = "normal")]
    pub priority: TaskPriority,
    #[serde(default = "open")]
    pub status: TaskStatus,
    #[serde(default)]
    pub note: String,
    /// For a collection task: the amount to collect, in `currency`.
    #[serde(default)]
    pub amount: Option<Money>,
    #[serde(default)]
    pub currency: Currency,
    /// For a collection task: the date the customer promised to pay.
    #[serde(default)]
    pub promised_on: Option<Date>,
    /// When it was done or cancelled.
    #[serde(default)]
    pub done_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

fn normal() -> TaskPriority {
    TaskPriority::Normal
}
fn open() -> TaskStatus {
    TaskStatus::Open
}

impl Task {
    /// A new open task about `customer_id`, for `owner`, nothing else said yet.
    pub fn blank(id: String, customer_id: String, owner: String, now: Timestamp) -> Task {
        Task {
            id,
            customer_id,
            title: String::new(),
            related: None,
            related_id: None,
            owner,
            due_date: None,
            due_time: String::new(),
            priority: TaskPriority::Normal,
            status: TaskStatus::Open,
            note: String::new(),
            amount: None,
            currency: Currency::default(),
            promised_on: None,
            done_at: None,
            created_at: now,
            updated_at: now,
        }
    }

    pub fn is_open(&self) -> bool {
        self.status == TaskStatus::Open
    }

    /// Open and due before `today`.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.is_open() && self.due_date.is_some_and(|d| d < today)
    }

    /// Done at `now` (a no-op on a task that is no longer open).
    pub fn complete(&mut self, now: Timestamp) {
        if self.is_open() {
            self.status = TaskStatus::Done;
            self.done_at = Some(now);
            self.updated_at = now;
        }
    }

    /// Moves the task to `status`: done or cancelled are dated now, reopened loses the date.
    pub fn set_status(&mut self, status: TaskStatus, now: Timestamp) {
        if self.status == status {
            return;
        }
        self.status = status;
        self.done_at = (status != TaskStatus::Open).then_some(now);
        self.updated_at = now;
    }

    /// Done by its due date (a task done with no due date counts as on time).
    pub fn done_on_time(&self) -> bool {
        self.status == TaskStatus::Done
            && match (self.done_at, self.due_date) {
                (Some(at), Some(due)) => at.date_naive() <= due,
                _ => true,
            }
    }
}

/// Whether `s` is a time of day as `HH:MM` (24 h).
pub fn is_time_of_day(s: &str) -> bool {
    chrono::NaiveTime::parse_from_str(s, "%H:%M").is_ok() && s.len() == 5
}

impl Validate for Task {
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut c = Checker::default();
        c.id("id", &self.id);
        c.id("customer_id", &self.customer_id);
        c.text("title", &self.title, MAX_NAME);
        c.max_len("owner", &self.owner, MAX_NAME);
        c.max_len("note", &self.note, MAX_LONG_TEXT);
        if !self.due_time.is_empty() {
            if !is_time_of_day(&self.due_time) {
                c.push("due_time", Problem::InvalidTime);
            } else if self.due_date.is_none() {
                c.push("due_date", Problem::Required);
            }
        }
        if let Some(a) = self.amount {
            c.non_negative("amount", a.minor());
        }
        if self.related_id.as_deref().is_some_and(|r| !r.trim().is_empty()) && self.related.is_none() {
            c.push("related", Problem::Required);
        }
        let created = self.created_at.date_naive();
        if self.promised_on.is_some_and(|d| d < created) {
            c.push("promised_on", Problem::DateOrder);
        }
        if self.done_at.is_some_and(|d| d < self.created_at) {
            c.push("done_at", Problem::DateOrder);
        }
        c.finish()
    }
}
