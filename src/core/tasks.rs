//! Tasks and follow-ups: the prefilled task a record calls for (a visit's or a deal's next step,
//! an overdue invoice's collection, a breached ticket, a warning on the customer page), whether that
//! follow-up exists already, and "My day" — a person's overdue, today's and coming tasks, ordered
//! so the most pressing comes first.
//!
//! Whose task is it: the owner's, named as the workspace names owners (case and surrounding space
//! ignored); a task with no owner belongs to its account's owner and team.

use crate::core::model::{
    Customer, Date, Invoice, Opportunity, ServiceTicket, Task, TaskPriority, TaskRelated, Timestamp, Visit,
};
use crate::core::sort::sort_by_key;
use crate::core::text::fold;
use crate::core::workspace::Workspace;

/// How many days ahead "coming up" reaches.
pub const UPCOMING_DAYS: i64 = 7;

/// What a follow-up is made from.
#[derive(Clone, Copy, Debug)]
pub enum Source<'a> {
    /// A visit's next step: due on the step's date, for the visit's rep.
    Visit(&'a Visit),
    /// An overdue invoice: collect what is outstanding on `today`.
    Invoice(&'a Invoice, Date),
    /// A ticket past (or near) its SLA: due today.
    Ticket(&'a ServiceTicket, Date),
    /// A deal's next step: due on the step's date, for the deal's owner.
    Opportunity(&'a Opportunity),
    /// A warning or strategy on the customer page: due `today` + `days`.
    Warning { today: Date, days: u32 },
}

/// The prefilled follow-up task for `source` (`id` new, `title` in the user's language, owned by
/// `owner` unless the source names someone), as the form opens it.
pub fn follow_up(
    source: Source<'_>,
    customer_id: &str,
    id: String,
    title: String,
    owner: &str,
    now: Timestamp,
) -> Task {
    let mut t = Task::blank(id, customer_id.to_string(), owner.trim().to_string(), now);
    t.title = title;
    match source {
        Source::Visit(v) => {
            t.related = Some(TaskRelated::Visit);
            t.related_id = Some(v.id.clone());
            t.due_date = v.next_step_date;
            if !v.rep.trim().is_empty() {
                t.owner = v.rep.trim().to_string();
            }
        }
        Source::Invoice(inv, today) => {
            t.related = Some(TaskRelated::Invoice);
            t.related_id = Some(inv.number.clone());
            t.priority = TaskPriority::High;
            t.amount = Some(inv.outstanding(today));
            t.currency = inv.currency;
            t.due_date = Some(today);
        }
        Source::Ticket(tk, today) => {
            t.related = Some(TaskRelated::Ticket);
            t.related_id = Some(tk.id.clone());
            t.priority = TaskPriority::High;
            t.due_date = Some(today);
            if let Some(a) = tk.assignee.as_deref().filter(|a| !a.trim().is_empty()) {
                t.owner = a.trim().to_string();
            }
        }
        Source::Opportunity(o) => {
            t.related = Some(TaskRelated::Opportunity);
            t.related_id = Some(o.id.clone());
            t.due_date = o.next_step_date;
            if !o.owner.trim().is_empty() {
                t.owner = o.owner.trim().to_string();
            }
        }
        Source::Warning { today, days } => {
            t.related = Some(TaskRelated::Warning);
            t.due_date = today.checked_add_days(chrono::Days::new(u64::from(days)));
        }
    }
    t
}

/// Whether a visit calls for a follow-up: it names a next step.
pub fn visit_has_next_step(v: &Visit) -> bool {
    !v.next_step.trim().is_empty()
}

/// The open or done task that already follows up `related_id` (a cancelled one does not count:
/// the follow-up can be made again).
pub fn follow_up_of<'a>(tasks: impl IntoIterator<Item = &'a Task>, related_id: &str) -> Option<&'a Task> {
    tasks
        .into_iter()
        .find(|t| t.related_id.as_deref() == Some(related_id) && t.status != crate::core::model::TaskStatus::Cancelled)
}

/// The follow-up of `related_id` among the tasks of `customer_id` in the workspace.
pub fn follow_up_in<'w>(ws: &'w Workspace, customer_id: &str, related_id: &str) -> Option<&'w Task> {
    let i = ws.customer_index(customer_id)?;
    follow_up_of(ws.children(i).tasks.iter().filter_map(|&k| ws.data.tasks.get(k)), related_id)
}

/// Whether `task` is `me`'s: owned by me, or unowned on an account I own or am on the team of.
/// With no name (`me` blank) every task counts: the person has not said who they are yet.
pub fn is_mine(task: &Task, customer: Option<&Customer>, me: &str) -> bool {
    let me = fold(me.trim());
    if me.is_empty() {
        return true;
    }
    let owner = fold(task.owner.trim());
    if owner.is_empty() { customer.is_some_and(|c| c.has_member(&me)) } else { owner == me }
}

/// A person's tasks for the day (positions in `data.tasks`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MyDay {
    /// Open and due before today: oldest first, then the more urgent.
    pub overdue: Vec<usize>,
    /// Open and due today: by time of day (untimed last), then the more urgent.
    pub today: Vec<usize>,
    /// Open and due in the next [`UPCOMING_DAYS`] days, by date.
    pub upcoming: Vec<usize>,
    /// Open with no due date.
    pub undated: Vec<usize>,
    /// Done today (so a ticked task stays in sight until tomorrow).
    pub done_today: Vec<usize>,
}

impl MyDay {
    /// What the page badge counts: overdue and due today.
    pub fn due_count(&self) -> usize {
        self.overdue.len() + self.today.len()
    }
}

/// `me`'s day on `today` (local date; `done_today` compares `done_at`'s UTC date shifted by
/// `utc_offset_minutes`, the browser's offset east of UTC).
pub fn my_day(ws: &Workspace, me: &str, today: Date, utc_offset_minutes: i32) -> MyDay {
    let mut day = MyDay::default();
    let horizon = today.checked_add_days(chrono::Days::new(UPCOMING_DAYS as u64)).unwrap_or(today);
    let local_date = |t: Timestamp| (t + chrono::Duration::minutes(i64::from(utc_offset_minutes))).date_naive();
    for (i, t) in ws.data.tasks.iter().enumerate() {
        if !is_mine(t, ws.customer(&t.customer_id), me) {
            continue;
        }
        if !t.is_open() {
            if t.status == crate::core::model::TaskStatus::Done && t.done_at.is_some_and(|d| local_date(d) == today) {
                day.done_today.push(i);
            }
            continue;
        }
        match t.due_date {
            None => day.undated.push(i),
            Some(d) if d < today => day.overdue.push(i),
            Some(d) if d == today => day.today.push(i),
            Some(d) if d <= horizon => day.upcoming.push(i),
            Some(_) => {}
        }
    }
    let tasks = &ws.data.tasks;
    let urgency = |i: usize| std::cmp::Reverse(tasks[i].priority);
    sort_by_key(&mut day.overdue, |&i| (tasks[i].due_date, urgency(i), tasks[i].id.clone()));
    sort_by_key(&mut day.today, |&i| {
        let t = &tasks[i];
        (t.due_time.is_empty(), t.due_time.clone(), urgency(i), t.id.clone())
    });
    sort_by_key(&mut day.upcoming, |&i| {
        (tasks[i].due_date, tasks[i].due_time.clone(), urgency(i), tasks[i].id.clone())
    });
    sort_by_key(&mut day.undated, |&i| (urgency(i), tasks[i].created_at, tasks[i].id.clone()));
    sort_by_key(&mut day.done_today, |&i| std::cmp::Reverse(tasks[i].done_at));
    day
}

/// A customer's next task: the open one due soonest (undated last, then the most urgent).
pub fn next_task<'a>(tasks: impl IntoIterator<Item = &'a Task>) -> Option<&'a Task> {
    tasks.into_iter().filter(|t| t.is_open()).min_by_key(|t| {
        (t.due_date.is_none(), t.due_date, t.due_time.is_empty(), t.due_time.clone(), std::cmp::Reverse(t.priority))
    })
}

/// Open tasks of `me` that have come due by `local_now` (the browser's local date and time) and
/// are not in `already` (ids notified before): what a reminder shows. A task with a time is due
/// at that time; one without, at the start of its day.
pub fn due_reminders(ws: &Workspace, me: &str, local_now: chrono::NaiveDateTime, already: &[String]) -> Vec<usize> {
    ws.data
        .tasks
        .iter()
        .enumerate()
        .filter(|(_, t)| t.is_open() && !already.contains(&t.id))
        .filter(|(_, t)| {
            let Some(d) = t.due_date else { return false };
            let at = chrono::NaiveTime::parse_from_str(&t.due_time, "%H:%M").unwrap_or(chrono::NaiveTime::MIN);
            d.and_time(at) <= local_now
        })
        .filter(|(_, t)| is_mine(t, ws.customer(&t.customer_id), me))
        .map(|(i, _)| i)
        .collect()
}
