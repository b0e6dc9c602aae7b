//! An invoice and the payments against it: what a customer owes and when (receivables, aging).

use super::{Date, Money};
use crate::core::money::Currency;
use crate::core::validate::{Checker, Problem, Validate, ValidationErrors};
use serde::{Deserialize, Serialize};

/// Money received against an invoice (回款).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    pub date: Date,
    pub amount: Money,
}

/// A receivable (应收账款).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invoice {
    /// The invoice number, which is also its id.
    pub number: String,
    pub customer_id: String,
    #[serde(default)]
    pub order_id: Option<String>,
    pub issue_date: Date,
    pub due_date: Date,
    pub amount: Money,
    #[serde(default)]
    pub currency: Currency,
    #[serde(default)]
    pub payments: Vec<Payment>,
}

impl Invoice {
    /// Payments received on or before `as_of`.
    pub fn paid(&self, as_of: Date) -> Money {
        self.payments.iter().filter(|p| p.date <= as_of).fold(Money::ZERO, |acc, p| acc.saturating_add(p.amount))
    }

    /// What is still owed at `as_of` (never below zero).
    pub fn outstanding(&self, as_of: Date) -> Money {
        let left = self.amount.saturating_sub(self.paid(as_of));
        if left.is_negative() { Money::ZERO } else { left }
    }

    /// Whole days past due at `as_of` while something is outstanding; 0 otherwise.
    pub fn days_overdue(&self, as_of: Date) -> i64 {
        if self.issue_date > as_of || self.outstanding(as_of) == Money::ZERO {
            return 0;
        }
        (as_of - self.due_date).num_days().max(0)
    }
}

impl Validate for Invoice {
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut c = Checker::default();
        c.id("number", &self.number);
        c.id("customer_id", &self.customer_id);
        c.non_negative("amount", self.amount.0);
        if self.due_date < self.issue_date {
            c.push("due_date", Problem::DateOrder);
        }
        let mut total = Money::ZERO;
        for (i, p) in self.payments.iter().enumerate() {
            if p.amount.0 <= 0 {
                c.push(format!("payments[{i}].amount"), Problem::OutOfRange { min: 1, max: i64::MAX });
            }
            if p.date < self.issue_date {
                c.push(format!("payments[{i}].date"), Problem::DateOrder);
            }
            total = total.saturating_add(p.amount);
        }
        if total > self.amount {
            c.push("payments", Problem::Overpaid);
        }
        c.finish()
    }
}
