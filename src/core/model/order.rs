//! An order and its lines: what a customer bought, when, for how much and at what margin.

use super::{Date, Money, Timestamp, keyed_enum};
use crate::core::money::Currency;
use crate::core::validate::{Checker, MAX_NAME, Problem, Validate, ValidationErrors};
use serde::{Deserialize, Serialize};

keyed_enum!(
    OrderStatus, "order_status", {
        Open => "open",
        Confirmed => "confirmed",
        Shipped => "shipped",
        Delivered => "delivered",
        Cancelled => "cancelled",
    }
);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    pub product: String,
    #[serde(default)]
    pub category: String,
    pub quantity: u32,
    /// Price per unit in the order's currency.
    pub unit_price: Money,
}

impl OrderLine {
    pub fn total(&self) -> Money {
        self.unit_price.times(i64::from(self.quantity))
    }
}

/// A sales order. `amount` is the order total; when lines are present it equals their sum.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    pub id: String,
    pub customer_id: String,
    pub date: Date,
    pub amount: Money,
    /// Gross margin (amount − cost of goods); negative for a loss-making order. `None` when unknown.
    #[serde(default)]
    pub margin: Option<Money>,
    #[serde(default)]
    pub currency: Currency,
    pub status: OrderStatus,
    #[serde(default)]
    pub lines: Vec<OrderLine>,
    pub updated_at: Timestamp,
}

impl Order {
    /// Cost of goods, when the margin is known.
    pub fn cost(&self) -> Option<Money> {
        self.margin.map(|m| self.amount.saturating_sub(m))
    }

    pub fn counts_as_sale(&self) -> bool {
        self.status != OrderStatus::Cancelled
    }
}

impl Validate for Order {
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut c = Checker::default();
        c.id("id", &self.id);
        c.id("customer_id", &self.customer_id);
        c.non_negative("amount", self.amount.0);
        if let Some(m) = self.margin
            && m.0 > self.amount.0
        {
            c.push("margin", Problem::OutOfRange { min: i64::MIN, max: self.amount.0 });
        }
        for (i, line) in self.lines.iter().enumerate() {
            c.text(&format!("lines[{i}].product"), &line.product, MAX_NAME);
            c.max_len(&format!("lines[{i}].category"), &line.category, MAX_NAME);
            c.range(&format!("lines[{i}].quantity"), i64::from(line.quantity), 1, 1_000_000_000);
            c.non_negative(&format!("lines[{i}].unit_price"), line.unit_price.0);
        }
        if !self.lines.is_empty() {
            let sum = self.lines.iter().fold(Money::ZERO, |acc, l| acc.saturating_add(l.total()));
            if sum != self.amount {
                c.push("amount", Problem::TotalMismatch);
            }
        }
        c.finish()
    }
}
