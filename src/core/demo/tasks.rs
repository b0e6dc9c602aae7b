//! The demo's tasks and follow-ups (issue 15): for each customer, after its other records —
//! the next steps of its visits (a visit of the last five months with a next step becomes a task
//! for the visit's rep, due on the step's date; those due before today are mostly done, most on
//! time, some a few days late — nearly all of those due over a month ago — the rest still open
//! and so overdue), a collection task for an invoice more than 30 days overdue (about half of
//! them; the amount outstanding, sometimes a promised payment date), and a follow-up for an open
//! ticket past its SLA. A few open tasks fall due today, so "My day" has work on the demo's own
//! day. Every task passes `validate()`.
//!
//! Randomness comes from the customer's own stream number 8, which no other record draws from, so
//! the demo's other records are exactly what they were before tasks existed.

use super::*;
use crate::core::model::{Task, TaskPriority, TaskRelated, TaskStatus};

const COLLECT_CN: &str = "催收发票";
const COLLECT_EN: &str = "Collect invoice";
const TICKET_CN: &str = "跟进超时工单";
const TICKET_EN: &str = "Follow up the overdue ticket";

impl Gen<'_> {
    /// Adds the tasks of the customer just generated (the last of `ds.customers`, index `i`).
    pub(super) fn tasks(&mut self, p: &Profile, i: usize) {
        let Some(c) = self.ds.customers.last() else { return };
        let cid = c.id.clone();
        let owner = c.owner.clone().unwrap_or_else(|| p.rep.to_string());
        let mut r = Rng::new(self.cfg.seed, i as u64, 8);
        let today = self.a;
        let now_ts = self.ts(self.now);
        let today_date = now_ts.date_naive();
        let mut seq = 0u32;
        let mut out = Vec::new();

        // Visits' next steps (the customer's visits are the last ones pushed).
        let from = self.ds.visits.iter().rposition(|v| v.customer_id != cid).map_or(0, |k| k + 1);
        for v in &self.ds.visits[from..] {
            let Some(due) = v.next_step_date else { continue };
            if v.next_step.trim().is_empty() || v.date.num_days_from_ce() < today - 150 {
                continue;
            }
            let created = self.at(&mut r, v.date.num_days_from_ce(), p.region);
            seq += 1;
            let mut t = Task::blank(
                format!("TASK-{}-{seq}", cid.trim_start_matches('C')),
                cid.clone(),
                v.rep.clone(),
                self.ts(created),
            );
            t.title = v.next_step.clone();
            t.related = Some(TaskRelated::Visit);
            t.related_id = Some(v.id.clone());
            t.priority = if r.chance(0.25) { TaskPriority::High } else { TaskPriority::Normal };
            let due_day = due.num_days_from_ce();
            // About one in three steps still ahead falls due on the demo's day.
            let due_day = if due_day > today && r.chance(0.3) { today } else { due_day };
            t.due_date = NaiveDate::from_num_days_from_ce_opt(due_day);
            if r.chance(0.3) {
                t.due_time = format!("{:02}:{:02}", 9 + r.below(8), [0, 30][r.index(2)]);
            }
            // Old steps were mostly dealt with; the last month's are often still open (overdue).
            let done_p = if due_day < today - 30 { 0.93 } else { 0.6 };
            if due_day < today && r.chance(done_p) {
                let done_day = (due_day + r.days(-5, 3)).clamp(created.div_euclid(DAY) as i32, today);
                let done = self.at(&mut r, done_day, p.region).max(created);
                t.status = TaskStatus::Done;
                t.done_at = Some(self.ts(done));
                t.updated_at = self.ts(done);
            }
            out.push(t);
        }

        // Invoices long overdue: a collection task for about half of them.
        let from = self.ds.invoices.iter().rposition(|x| x.customer_id != cid).map_or(0, |k| k + 1);
        for inv in &self.ds.invoices[from..] {
            let owed = inv.outstanding(today_date);
            if owed.minor() <= 0 || inv.days_overdue(today_date) <= 30 || !r.chance(0.5) {
                continue;
            }
            let made = (inv.due_date.num_days_from_ce() + r.days(31, 45)).min(today);
            let created = self.at(&mut r, made, p.region);
            seq += 1;
            let mut t = Task::blank(
                format!("TASK-{}-{seq}", cid.trim_start_matches('C')),
                cid.clone(),
                owner.clone(),
                self.ts(created),
            );
            t.title = format!("{} {}", if p.china { COLLECT_CN } else { COLLECT_EN }, inv.number);
            t.related = Some(TaskRelated::Invoice);
            t.related_id = Some(inv.number.clone());
            t.priority = TaskPriority::High;
            t.amount = Some(owed);
            t.currency = inv.currency;
            t.due_date = NaiveDate::from_num_days_from_ce_opt((made + r.days(3, 14)).max(today - 20));
            if r.chance(0.4) {
                t.promised_on = NaiveDate::from_num_days_from_ce_opt(made.max(today) + r.days(1, 20));
            }
            out.push(t);
        }

        // Open tickets past their SLA.
        let from = self.ds.tickets.iter().rposition(|x| x.customer_id != cid).map_or(0, |k| k + 1);
        for tk in &self.ds.tickets[from..] {
            if !tk.status.is_open() || !tk.sla_breached(now_ts) {
                continue;
            }
            let created = tk.sla_due.timestamp().min(self.now);
            seq += 1;
            let mut t = Task::blank(
                format!("TASK-{}-{seq}", cid.trim_start_matches('C')),
                cid.clone(),
                p.support.to_string(),
                self.ts(created),
            );
            t.title = format!("{}：{}", if p.china { TICKET_CN } else { TICKET_EN }, tk.title);
            t.related = Some(TaskRelated::Ticket);
            t.related_id = Some(tk.id.clone());
            t.priority = TaskPriority::High;
            t.due_date = NaiveDate::from_num_days_from_ce_opt((created.div_euclid(DAY) as i32 + 1).min(today));
            out.push(t);
        }
        self.ds.tasks.extend(out);
    }
}
