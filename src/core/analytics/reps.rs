//! The per-rep scorecard (销售考核, issue 15 item 5): for each rep and for the whole team, over a
//! period, a handful of plain figures — each kept with the records it counts, so every number
//! opens the orders, customers, visits, tasks, tickets or answers behind it. No single score.
//!
//! Whose is what:
//! - a rep's **accounts** are the customers they own (`Customer::owner`, trimmed; compared
//!   case-folded); customers in the shared pool belong to no rep (the team row counts them);
//! - **revenue** is the sales (not cancelled) of their accounts dated within the period and on or
//!   before the analysis date, each converted to the reporting currency at the rate valid on its
//!   date; sales in a currency without a rate are left out and counted (`unrated_orders`);
//!   **margin** sums the converted margins of the sales that have one (`margin_orders` of them);
//! - **new customers**: their accounts whose first sale falls in the period;
//! - **customers lost** (by the lifecycle rules, [`LifecycleConfig::lost_days`]): their accounts
//!   whose last sale up to the period's end (or the analysis date) turns more than `lost_days`
//!   old within the period — the day they crossed into "lost" lies in it;
//! - **visits made**: visit reports dated in the period whose rep is them (whatever the account);
//! - **tasks**: tasks they own (an unowned one: its account owner's) due in the period and not
//!   cancelled — one due on the analysis date only once done (it still has the day); **on
//!   time**: done by the due date;
//! - **complaints**: complaint tickets of their accounts resolved in the period; **within SLA**:
//!   resolved by the ticket's SLA due time;
//! - **satisfaction**: CSAT and NPS answers of their accounts dated in the period;
//! - **profile completeness**: the mean of their accounts' [`super::scorecard::profiling`] share
//!   (data quality is part of the job), as of now.

use super::lifecycle::LifecycleConfig;
use super::satisfaction::Satisfaction;
use super::scorecard::profiling;
use crate::core::fx::{Fx, ReportSum};
use crate::core::model::{Currency, Date, Money, TaskStatus, TicketKind};
use crate::core::text::fold;
use crate::core::workspace::Workspace;
use chrono::Datelike;
use std::collections::BTreeMap;

/// One rep's figures (or the team's, `rep` empty), with the positions of the records behind each
/// (in the workspace's `data` vectors).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RepCard {
    /// As the accounts name them (the first spelling met); empty for the team.
    pub rep: String,
    pub accounts: Vec<usize>,
    /// In the reporting currency.
    pub revenue: Money,
    pub sales: Vec<usize>,
    pub margin: Money,
    /// Sales with a margin (the rest have no cost recorded).
    pub margin_orders: u32,
    /// Sales left out for want of a rate, and their currencies.
    pub unrated_orders: u32,
    pub unrated_currencies: Vec<Currency>,
    pub new_customers: Vec<usize>,
    pub lost_customers: Vec<usize>,
    pub visits: Vec<usize>,
    /// Tasks due in the period (not cancelled), and those of them done by their due date.
    pub tasks_due: Vec<usize>,
    pub tasks_on_time: Vec<usize>,
    /// Complaints resolved in the period, and those of them resolved within their SLA.
    pub complaints: Vec<usize>,
    pub complaints_in_sla: Vec<usize>,
    pub satisfaction: Satisfaction,
    pub surveys: Vec<usize>,
    /// Mean profile completeness of the accounts (0..1); `None` without accounts.
    pub completeness: Option<f64>,
}

impl RepCard {
    /// margin / revenue; `None` without revenue or without any margin recorded.
    pub fn margin_rate(&self) -> Option<f64> {
        (self.revenue.0 > 0 && self.margin_orders > 0).then(|| self.margin.0 as f64 / self.revenue.0 as f64)
    }

    /// Share of the tasks due that were done on time; `None` without tasks due.
    pub fn on_time_rate(&self) -> Option<f64> {
        (!self.tasks_due.is_empty()).then(|| self.tasks_on_time.len() as f64 / self.tasks_due.len() as f64)
    }

    /// Share of the complaints resolved within their SLA; `None` without complaints.
    pub fn sla_rate(&self) -> Option<f64> {
        (!self.complaints.is_empty()).then(|| self.complaints_in_sla.len() as f64 / self.complaints.len() as f64)
    }
}

/// Every rep's card (by name) and the team's, over `from..=to` as seen on `as_of`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TeamCards {
    pub report_currency: Currency,
    pub reps: Vec<RepCard>,
    pub team: RepCard,
}

/// Sums the exact reporting amounts of one card.
#[derive(Default)]
struct Sums {
    revenue: ReportSum,
    margin: ReportSum,
}

/// The scorecards of every rep who owns an account, made a visit or owns a task, over the
/// period `from..=to` (figures of days after `as_of` are not counted yet).
pub fn rep_scorecards(
    ws: &Workspace,
    from: Date,
    to: Date,
    as_of: Date,
    fx: &Fx,
    lifecycle: &LifecycleConfig,
) -> TeamCards {
    let table = fx.table();
    let d = &ws.data;
    let end = to.min(as_of);
    // Rep key (folded) → card position; the team is apart.
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut cards: Vec<RepCard> = Vec::new();
    let mut sums: Vec<Sums> = Vec::new();
    let mut card_of = |name: &str, cards: &mut Vec<RepCard>, sums: &mut Vec<Sums>| -> Option<usize> {
        let key = fold(name.trim());
        if key.is_empty() {
            return None;
        }
        Some(*index.entry(key).or_insert_with(|| {
            cards.push(RepCard { rep: name.trim().to_string(), ..RepCard::default() });
            sums.push(Sums::default());
            cards.len() - 1
        }))
    };
    let mut team = RepCard::default();
    let mut team_sums = Sums::default();
    // Per customer: its rep's card.
    let mut owner_card: Vec<Option<usize>> = Vec::with_capacity(d.customers.len());
    let mut completeness: Vec<(f64, u32)> = Vec::new();
    let mut team_completeness = (0.0, 0u32);
    let (f, a) = (from.num_days_from_ce(), end.num_days_from_ce());
    for (ci, c) in d.customers.iter().enumerate() {
        let k = c.owner.as_deref().and_then(|o| card_of(o, &mut cards, &mut sums));
        owner_card.push(k);
        let ch = ws.children(ci);
        let share = profiling(c, ch.contacts.iter().filter_map(|&i| d.contacts.get(i))).completeness;
        team.accounts.push(ci);
        team_completeness.0 += share;
        team_completeness.1 += 1;
        if let Some(k) = k {
            cards[k].accounts.push(ci);
            if completeness.len() <= k {
                completeness.resize(k + 1, (0.0, 0));
            }
            completeness[k].0 += share;
            completeness[k].1 += 1;
        }
        // Sales: revenue, margin, first sale, last sale before the period's end.
        let mut first_sale: Option<i32> = None;
        let mut last_to_end: Option<i32> = None;
        for &oi in &ch.orders {
            let Some(o) = d.orders.get(oi) else { continue };
            if !o.counts_as_sale() {
                continue;
            }
            let day = o.date.num_days_from_ce();
            first_sale = Some(first_sale.map_or(day, |x: i32| x.min(day)));
            if day <= a {
                last_to_end = Some(last_to_end.map_or(day, |x: i32| x.max(day)));
            }
            if day < f || day > a {
                continue;
            }
            let mut targets: Vec<(&mut RepCard, &mut Sums)> = vec![(&mut team, &mut team_sums)];
            let (card, sum) = match k {
                Some(k) => (cards.get_mut(k), sums.get_mut(k)),
                None => (None, None),
            };
            if let (Some(card), Some(sum)) = (card, sum) {
                targets.push((card, sum));
            }
            for (card, sum) in targets {
                card.sales.push(oi);
                match table.exact(o.amount, o.currency, o.date) {
                    Some(x) => {
                        sum.revenue.add(x);
                        if let Some(m) = o.margin.and_then(|m| table.exact(m, o.currency, o.date)) {
                            sum.margin.add(m);
                            card.margin_orders += 1;
                        }
                    }
                    None => {
                        card.unrated_orders += 1;
                        if let Err(i) = card.unrated_currencies.binary_search(&o.currency) {
                            card.unrated_currencies.insert(i, o.currency);
                        }
                    }
                }
            }
        }
        let new = first_sale.is_some_and(|x| x >= f && x <= a);
        // Crossed into "lost" within the period: the last sale up to the period's end is more
        // than `lost_days` old on its last counted day, and was not at its start.
        let lost_days = i32::try_from(lifecycle.lost_days).unwrap_or(i32::MAX);
        let lost = last_to_end.is_some_and(|last| {
            let crossed = last.saturating_add(lost_days).saturating_add(1);
            crossed >= f && crossed <= a
        });
        for card in std::iter::once(&mut team).chain(k.and_then(|k| cards.get_mut(k))) {
            if new {
                card.new_customers.push(ci);
            }
            if lost {
                card.lost_customers.push(ci);
            }
        }
        // Complaints resolved in the period, and answers dated in it.
        for &ti in &ch.tickets {
            let Some(t) = d.tickets.get(ti) else { continue };
            let Some(done) = t.resolved_at.or(t.closed_at) else { continue };
            let day = done.date_naive().num_days_from_ce();
            if t.kind != TicketKind::Complaint || day < f || day > a {
                continue;
            }
            for card in std::iter::once(&mut team).chain(k.and_then(|k| cards.get_mut(k))) {
                card.complaints.push(ti);
                if done <= t.sla_due {
                    card.complaints_in_sla.push(ti);
                }
            }
        }
        for &si in &ch.surveys {
            let Some(s) = d.surveys.get(si) else { continue };
            let day = s.date.num_days_from_ce();
            if day < f || day > a {
                continue;
            }
            for card in std::iter::once(&mut team).chain(k.and_then(|k| cards.get_mut(k))) {
                card.surveys.push(si);
                card.satisfaction.add(s);
            }
        }
    }
    // Visits by their rep.
    for (vi, v) in d.visits.iter().enumerate() {
        let day = v.date.num_days_from_ce();
        if day < f || day > a {
            continue;
        }
        team.visits.push(vi);
        if let Some(k) = card_of(&v.rep, &mut cards, &mut sums) {
            cards[k].visits.push(vi);
        }
    }
    // Tasks by their owner (an unowned one: its account owner's).
    for (ti, t) in d.tasks.iter().enumerate() {
        let Some(due) = t.due_date else { continue };
        let day = due.num_days_from_ce();
        if t.status == TaskStatus::Cancelled || day < f || day > a {
            continue;
        }
        // Due today and not done yet: not late, not counted.
        if day == as_of.num_days_from_ce() && t.status != TaskStatus::Done {
            continue;
        }
        let on_time = t.done_on_time();
        team.tasks_due.push(ti);
        if on_time {
            team.tasks_on_time.push(ti);
        }
        let k = if t.owner.trim().is_empty() {
            ws.customer_index(&t.customer_id).and_then(|ci| owner_card.get(ci).copied().flatten())
        } else {
            card_of(&t.owner, &mut cards, &mut sums)
        };
        if let Some(k) = k {
            cards[k].tasks_due.push(ti);
            if on_time {
                cards[k].tasks_on_time.push(ti);
            }
        }
    }
    for (k, card) in cards.iter_mut().enumerate() {
        if let Some(s) = sums.get(k) {
            card.revenue = table.money(s.revenue);
            card.margin = table.money(s.margin);
        }
        card.completeness = completeness.get(k).filter(|(_, n)| *n > 0).map(|(x, n)| x / f64::from(*n));
    }
    team.revenue = table.money(team_sums.revenue);
    team.margin = table.money(team_sums.margin);
    team.completeness = (team_completeness.1 > 0).then(|| team_completeness.0 / f64::from(team_completeness.1));
    cards.sort_by_key(|x| fold(&x.rep));
    TeamCards { report_currency: table.reporting(), reps: cards, team }
}
