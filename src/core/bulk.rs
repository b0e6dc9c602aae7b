//! Bulk actions on customers picked in the list: assign an owner (or return them to the shared
//! pool 公海), add or remove a tag or an account team member, add them to a visit plan. Each yields ordinary records, saved
//! through the outbox like any other edit.

use crate::core::model::{Customer, Date, Timestamp, Visit};
use crate::core::workspace::Workspace;
use std::collections::{BTreeSet, HashMap};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BulkAction {
    AssignOwner(String),
    /// Back to the shared pool: no owner.
    ToPool,
    AddTag(String),
    RemoveTag(String),
    /// Onto the account team (not when already on it or the owner: nothing would change).
    AddMember(String),
    RemoveMember(String),
}

impl BulkAction {
    /// The customer after the action, or `None` when it changes nothing (no outbox entry).
    pub fn apply(&self, c: &Customer, now: Timestamp) -> Option<Customer> {
        let mut out = c.clone();
        match self {
            BulkAction::AssignOwner(o) => {
                let o = o.trim();
                if o.is_empty() || c.owner.as_deref() == Some(o) {
                    return None;
                }
                out.owner = Some(o.to_string());
            }
            BulkAction::ToPool => {
                c.owner.as_ref()?;
                out.owner = None;
            }
            BulkAction::AddTag(t) => {
                let t = t.trim();
                if t.is_empty() || c.tags.iter().any(|x| x == t) {
                    return None;
                }
                out.tags.push(t.to_string());
            }
            BulkAction::RemoveTag(t) => {
                let t = t.trim();
                if !c.tags.iter().any(|x| x == t) {
                    return None;
                }
                out.tags.retain(|x| x != t);
            }
            BulkAction::AddMember(m) => {
                let m = m.trim();
                if m.is_empty() || c.has_member(m) {
                    return None;
                }
                out.team.push(m.to_string());
            }
            BulkAction::RemoveMember(m) => {
                let m = crate::core::text::fold(m.trim());
                out.team.retain(|x| crate::core::text::fold(x.trim()) != m);
                if out.team.len() == c.team.len() {
                    return None;
                }
            }
        }
        out.updated_at = now.max(c.created_at);
        Some(out)
    }
}

/// Why visits could not be planned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlanError {
    /// No rep named: a visit plan is someone's plan.
    NoRep,
}

/// A planned visit (no outcome yet) for each customer, on `date` by `rep` (trimmed; required).
/// `new_id` makes the records' client-side ids.
pub fn plan_visits<'a>(
    customers: impl IntoIterator<Item = &'a str>,
    date: Date,
    rep: &str,
    now: Timestamp,
    mut new_id: impl FnMut() -> String,
) -> Result<Vec<Visit>, PlanError> {
    let rep = rep.trim();
    if rep.is_empty() {
        return Err(PlanError::NoRep);
    }
    Ok(customers.into_iter().map(|id| Visit::planned(new_id(), id.to_string(), date, rep.to_string(), now)).collect())
}

/// The picked customers (by id) that are still shown (`visible`: positions in the workspace),
/// and how many picked ones are not — a bulk action only changes what the user sees.
pub fn retain_visible(ws: &Workspace, selected: &BTreeSet<String>, visible: &[usize]) -> (BTreeSet<String>, usize) {
    if selected.is_empty() {
        return (BTreeSet::new(), 0);
    }
    let picked: HashMap<usize, &String> =
        selected.iter().filter_map(|id| ws.customer_index(id).map(|i| (i, id))).collect();
    let kept: BTreeSet<String> = visible.iter().filter_map(|i| picked.get(i).map(|id| (*id).clone())).collect();
    let dropped = selected.len() - kept.len();
    (kept, dropped)
}
