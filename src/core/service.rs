//! The service overview: open tickets by severity and SLA state, the user's tickets and the
//! user's visit plan for a day.

use crate::core::model::{Date, Severity, Timestamp};
use crate::core::sort::sort_by_key;
use crate::core::workspace::Workspace;

/// Where an open ticket stands against its service commitment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SlaState {
    Breached,
    /// Due within [`DUE_SOON_HOURS`].
    DueSoon,
    OnTrack,
}

pub const DUE_SOON_HOURS: i64 = 24;

pub fn sla_state(due: Timestamp, now: Timestamp) -> SlaState {
    if now > due {
        SlaState::Breached
    } else if due - now <= chrono::Duration::hours(DUE_SOON_HOURS) {
        SlaState::DueSoon
    } else {
        SlaState::OnTrack
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overview {
    /// Open tickets per severity (Critical first) and SLA state (breached, due soon, on track).
    pub grid: Vec<(Severity, [usize; 3])>,
    /// Open tickets breached or due soon (positions in `data.tickets`), most urgent first.
    pub urgent: Vec<usize>,
    /// Open tickets assigned to the user, by due time.
    pub mine: Vec<usize>,
    /// The user's visits on the day (positions in `data.visits`).
    pub visits_today: Vec<usize>,
}

pub fn overview(ws: &Workspace, now: Timestamp, today: Date, me: &str) -> Overview {
    let order = [Severity::Critical, Severity::High, Severity::Medium, Severity::Low];
    let mut grid: Vec<(Severity, [usize; 3])> = order.iter().map(|&s| (s, [0; 3])).collect();
    let mut urgent = Vec::new();
    let mut mine = Vec::new();
    let me = me.trim();
    for (i, t) in ws.data.tickets.iter().enumerate() {
        if !t.status.is_open() {
            continue;
        }
        let state = sla_state(t.sla_due, now);
        if let Some(row) = grid.iter_mut().find(|(s, _)| *s == t.severity) {
            row.1[state as usize] += 1;
        }
        if state != SlaState::OnTrack {
            urgent.push(i);
        }
        if !me.is_empty() && t.assignee.as_deref().map(str::trim) == Some(me) {
            mine.push(i);
        }
    }
    let tickets = &ws.data.tickets;
    sort_by_key(&mut urgent, |&i| (tickets[i].sla_due, std::cmp::Reverse(tickets[i].severity as u8)));
    sort_by_key(&mut mine, |&i| tickets[i].sla_due);
    let visits_today = if me.is_empty() {
        Vec::new()
    } else {
        ws.data
            .visits
            .iter()
            .enumerate()
            .filter(|(_, v)| v.date == today && v.rep.trim() == me)
            .map(|(i, _)| i)
            .collect()
    };
    Overview { grid, urgent, mine, visits_today }
}
