//! An opportunity (商机 / 项目): a deal in progress with a customer — its stage, amount and
//! probability, expected close, team, products, cost and margin, competitors, source, next step,
//! how it ended, and the history of its stages (who moved it when), so the time spent in each
//! stage can be measured. The stages themselves are the workspace's: [`super::stages`].

use super::attachment::{Attachment, MAX_DOCUMENTS};
use super::stages::{LOST, StageDef, Stages, WON};
use super::{Date, Money, Timestamp, keyed_enum};
use crate::core::money::Currency;
use crate::core::validate::{Checker, MAX_NAME, MAX_SHORT_TEXT, Problem, Validate, ValidationErrors};
use serde::{Deserialize, Serialize};

keyed_enum!(
    /// Where the deal came from.
    OppSource, "opp_source", {
        Visit => "visit",
        Inquiry => "inquiry",
        Campaign => "campaign",
        Referral => "referral",
        Other => "other",
    }
);

keyed_enum!(
    /// Why a deal was lost.
    LostReason, "lost_reason", {
        Price => "price",
        Delivery => "delivery",
        Quality => "quality",
        Relationship => "relationship",
        NoDecision => "no_decision",
        Other => "other",
    }
);

/// A product or category the deal is about, with a quantity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OppLine {
    pub product: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub quantity: u32,
}

/// One move of the deal: into `stage`, at `at`, by `by`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageChange {
    pub stage: String,
    pub at: Timestamp,
    #[serde(default)]
    pub by: String,
}

/// A deal with a customer (商机 / 项目).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Opportunity {
    pub id: String,
    pub customer_id: String,
    pub title: String,
    /// A stage id of the workspace's [`Stages`]; [`WON`] and [`LOST`] end the deal.
    pub stage: String,
    /// The deal's value, in `currency`.
    #[serde(default)]
    pub amount: Money,
    #[serde(default)]
    pub currency: Currency,
    /// Chance of winning, 0–100 (the stage's default unless the rep changed it).
    #[serde(default)]
    pub probability: u8,
    #[serde(default)]
    pub expected_close: Option<Date>,
    #[serde(default)]
    pub owner: String,
    /// The account team members working the deal besides the owner.
    #[serde(default)]
    pub team: Vec<String>,
    /// Contact ids involved.
    #[serde(default)]
    pub contacts: Vec<String>,
    #[serde(default)]
    pub lines: Vec<OppLine>,
    /// Estimated cost of delivering the deal (its expected margin is `amount - cost`).
    #[serde(default)]
    pub estimated_cost: Option<Money>,
    #[serde(default)]
    pub competitors: Vec<String>,
    #[serde(default)]
    pub source: Option<OppSource>,
    /// The visit or ticket the deal came from.
    #[serde(default)]
    pub source_id: Option<String>,
    #[serde(default)]
    pub next_step: String,
    #[serde(default)]
    pub next_step_date: Option<Date>,
    /// When it was won or lost.
    #[serde(default)]
    pub closed_on: Option<Date>,
    #[serde(default)]
    pub lost_reason: Option<LostReason>,
    #[serde(default)]
    pub lost_note: String,
    /// Every move between stages, oldest first (the first one is the creation).
    #[serde(default)]
    pub history: Vec<StageChange>,
    /// The deal's documents: the quote sent, drawings, specifications (kept offline with the
    /// deal; sent with it to backends that store the field).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Opportunity {
    /// A new deal with `customer_id` in the first stage of `stages`, owned by `owner`.
    pub fn blank(id: String, customer_id: String, stages: &Stages, owner: String, now: Timestamp) -> Opportunity {
        let first = stages.open().next().cloned().unwrap_or_else(|| StageDef::open("lead", 10));
        Opportunity {
            id,
            customer_id,
            title: String::new(),
            stage: first.id.clone(),
            amount: Money::ZERO,
            currency: Currency::default(),
            probability: first.probability,
            expected_close: None,
            owner: owner.clone(),
            team: Vec::new(),
            contacts: Vec::new(),
            lines: Vec::new(),
            estimated_cost: None,
            competitors: Vec::new(),
            source: None,
            source_id: None,
            next_step: String::new(),
            next_step_date: None,
            closed_on: None,
            lost_reason: None,
            lost_note: String::new(),
            history: vec![StageChange { stage: first.id, at: now, by: owner }],
            attachments: Vec::new(),
            created_at: now,
            updated_at: now,
        }
    }

    pub fn is_won(&self) -> bool {
        self.stage == WON
    }

    pub fn is_lost(&self) -> bool {
        self.stage == LOST
    }

    pub fn is_open(&self) -> bool {
        !self.is_won() && !self.is_lost()
    }

    /// Expected margin: amount less estimated cost, when a cost is known.
    pub fn margin(&self) -> Option<Money> {
        self.estimated_cost.map(|c| self.amount.saturating_sub(c))
    }

    /// The amount weighted by the probability (rounded half away from zero, in minor units).
    pub fn weighted(&self) -> Money {
        let p = i128::from(self.probability.min(100));
        let v = i128::from(self.amount.minor()) * p;
        let rounded = if v >= 0 { (v + 50) / 100 } else { (v - 50) / 100 };
        Money(i64::try_from(rounded).unwrap_or(if v >= 0 { i64::MAX } else { i64::MIN }))
    }

    /// Moves the deal to `stage` (a no-op when it is there already): records the move in the
    /// history, takes the stage's default probability, and dates the outcome of a won or lost deal
    /// (a reopened deal loses its outcome).
    pub fn move_to(&mut self, stage: &str, stages: &Stages, by: &str, now: Timestamp) {
        if self.stage == stage {
            return;
        }
        self.stage = stage.to_string();
        self.probability = stages.probability(stage).unwrap_or(self.probability);
        self.history.push(StageChange { stage: stage.to_string(), at: now, by: by.to_string() });
        self.closed_on = (stage == WON || stage == LOST).then(|| now.date_naive());
        if stage != LOST {
            self.lost_reason = None;
        }
        self.updated_at = now;
    }

    /// When the deal entered its current stage (the last move into it; its creation when the
    /// history has none).
    pub fn in_stage_since(&self) -> Timestamp {
        self.history.iter().rev().find(|c| c.stage == self.stage).map_or(self.created_at, |c| c.at)
    }

    /// Time spent in each stage visited, in seconds, oldest first: (stage, seconds, still in it).
    /// The last stage of an open deal counts until `now`; a won or lost deal's last stage counts 0.
    pub fn stage_durations(&self, now: Timestamp) -> Vec<(String, i64, bool)> {
        let mut out = Vec::with_capacity(self.history.len());
        for (i, c) in self.history.iter().enumerate() {
            match self.history.get(i + 1) {
                Some(next) => out.push((c.stage.clone(), (next.at - c.at).num_seconds().max(0), false)),
                None if self.is_open() => out.push((c.stage.clone(), (now - c.at).num_seconds().max(0), true)),
                None => {}
            }
        }
        out
    }
}

impl Validate for Opportunity {
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut c = Checker::default();
        c.id("id", &self.id);
        c.id("customer_id", &self.customer_id);
        c.text("title", &self.title, MAX_NAME);
        c.text("stage", &self.stage, MAX_NAME);
        c.non_negative("amount", self.amount.minor());
        c.range("probability", i64::from(self.probability), 0, 100);
        c.max_len("owner", &self.owner, MAX_NAME);
        c.unique("team", &self.team);
        c.unique("competitors", &self.competitors);
        for (i, l) in self.lines.iter().enumerate() {
            c.text(&format!("lines[{i}].product"), &l.product, MAX_NAME);
            c.max_len(&format!("lines[{i}].category"), &l.category, MAX_NAME);
        }
        if let Some(cost) = self.estimated_cost {
            c.non_negative("estimated_cost", cost.minor());
        }
        c.max_len("next_step", &self.next_step, MAX_SHORT_TEXT);
        c.max_len("lost_note", &self.lost_note, MAX_SHORT_TEXT);
        let created = self.created_at.date_naive();
        if self.expected_close.is_some_and(|d| d < created) {
            c.push("expected_close", Problem::DateOrder);
        }
        if self.next_step_date.is_some_and(|d| d < created) {
            c.push("next_step_date", Problem::DateOrder);
        }
        if self.closed_on.is_some_and(|d| d < created) {
            c.push("closed_on", Problem::DateOrder);
        }
        if self.is_won() && self.amount.minor() == 0 {
            c.push("amount", Problem::Required);
        }
        if self.lost_reason == Some(LostReason::Other) && self.lost_note.trim().is_empty() {
            c.push("lost_note", Problem::Required);
        }
        if self.history.windows(2).any(|w| w[1].at < w[0].at) {
            c.push("history", Problem::DateOrder);
        }
        if self.attachments.len() > MAX_DOCUMENTS {
            c.push("attachments", Problem::TooMany { max: MAX_DOCUMENTS as u32 });
        }
        if self.attachments.iter().any(|a| !a.is_document()) {
            c.push("attachments", Problem::InvalidDocument);
        }
        c.finish()
    }
}
