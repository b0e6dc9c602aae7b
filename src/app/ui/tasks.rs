//! Tasks as the customer's page and "My day" show them: the prefilled follow-up a form opens
//! with (from the page's query: `?visit=`, `?opportunity=`, `?invoice=`, `?ticket=`,
//! `?warning=`), what a task
//! follows up (as a link), a task's row with its Done box, and ticking it off — saved like any
//! edit (offline first, synced later).

use crate::app::i18n::*;
use crate::app::paths::{customer_href, form_href, href};
use crate::app::state::AppState;
use crate::app::ui::dom::fill;
use crate::app::ui::format::{NONE, opt, text_or_none};
use crate::app::ui::labels;
use crate::core::model::{Entity, Task, TaskPriority, TaskRelated, TaskStatus};
use crate::core::record::Record;
use crate::core::sync::outbox::Edit;
use crate::core::tasks::{Source, follow_up};
use crate::core::workspace::Workspace;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::params::ParamsMap;

/// The new task a form opens with: the follow-up of the record the query names (that
/// customer's only), or a blank task for `me`.
pub fn prefilled(l: Locale, w: &Workspace, customer_id: &str, q: &ParamsMap, me: &str) -> Task {
    let now = crate::shell::clock::now();
    let today = crate::shell::clock::today();
    let get =
        |e: Entity, key: &str| q.get(key).and_then(|id| w.get(e, &id)).filter(|r| r.customer_id() == Some(customer_id));
    let make = |source, title: String| follow_up(source, customer_id, String::new(), title, me, now);
    if let Some(Record::Visits(v)) = get(Entity::Visits, "visit") {
        return make(Source::Visit(&v), v.next_step.clone());
    }
    if let Some(Record::Invoices(inv)) = get(Entity::Invoices, "invoice") {
        let title = fill(td_string!(l, task_title_collect), &[("number", &inv.number)]);
        return make(Source::Invoice(&inv, today), title);
    }
    if let Some(Record::Opportunities(o)) = get(Entity::Opportunities, "opportunity") {
        let title = if o.next_step.trim().is_empty() {
            fill(td_string!(l, task_title_ticket), &[("title", &o.title)])
        } else {
            o.next_step.clone()
        };
        return make(Source::Opportunity(&o), title);
    }
    if let Some(Record::Tickets(t)) = get(Entity::Tickets, "ticket") {
        let title = fill(td_string!(l, task_title_ticket), &[("title", &t.title)]);
        return make(Source::Ticket(&t, today), title);
    }
    if let Some(text) = q.get("warning").filter(|t| !t.trim().is_empty()) {
        let title: String = text.trim().chars().take(120).collect();
        return make(Source::Warning { today, days: 2 }, title);
    }
    let mut t = Task::blank(String::new(), customer_id.to_string(), me.trim().to_string(), now);
    t.due_date = Some(today);
    t
}

/// What a task follows up, as text and (for a record) a link to it.
pub fn related_link(
    l: Locale,
    w: &Workspace,
    customer_id: &str,
    related: Option<&str>,
    related_id: Option<&str>,
) -> Option<(String, Option<String>)> {
    let kind = TaskRelated::parse(related?)?;
    let id = related_id.filter(|s| !s.trim().is_empty());
    let what = labels::task_related(l, kind);
    let entity = match kind {
        TaskRelated::Visit => Entity::Visits,
        TaskRelated::Ticket => Entity::Tickets,
        TaskRelated::Opportunity => Entity::Opportunities,
        TaskRelated::Invoice => return Some((format!("{what} {}", id.unwrap_or(NONE)), None)),
        TaskRelated::Warning => return Some((what.to_string(), None)),
    };
    let id = id?;
    let text = match w.get(entity, id) {
        Some(Record::Visits(v)) => format!("{what} {}", v.date),
        Some(Record::Tickets(t)) => format!("{what} {}", labels::shown_name(l, &t.title)),
        Some(Record::Opportunities(o)) => format!("{what} {}", labels::shown_name(l, &o.title)),
        _ => return Some((format!("{what} {id}"), None)),
    };
    Some((text, Some(form_href(customer_id, entity, Some(id)))))
}

/// When a task is due, as a person reads it: the date, and the time when there is one.
pub fn due_text(t: &Task) -> String {
    match (t.due_date, t.due_time.is_empty()) {
        (Some(d), true) => d.to_string(),
        (Some(d), false) => format!("{d} {}", t.due_time),
        (None, _) => NONE.to_string(),
    }
}

/// Marks a task done (or open again) from a list: saved as a local edit; a message for the
/// page's live region.
pub fn toggle_done(app: AppState, id: String, done: bool, status: RwSignal<String>) {
    let i18n = use_i18n();
    let seen = app.workspace.with_untracked(|w| w.get(Entity::Tasks, &id));
    let Some(Record::Tasks(before)) = seen.clone() else { return };
    let mut t = before;
    t.set_status(if done { TaskStatus::Done } else { TaskStatus::Open }, crate::shell::clock::now());
    let title = t.title.clone();
    leptos::task::spawn_local(async move {
        let r = crate::app::session::save(app, Edit::Update(Record::Tasks(t)), seen).await;
        let l = i18n.get_locale_untracked();
        status.set(match r {
            Ok(()) if done => fill(td_string!(l, task_marked_done), &[("title", &title)]),
            Ok(()) => fill(td_string!(l, task_reopened), &[("title", &title)]),
            Err(e) => labels::save_error(l, &e),
        });
    });
}

/// The table of tasks around its rows (from [`task_row`]); `with_customer` adds the customer.
#[component]
pub fn TaskTable(
    #[prop(optional)] with_customer: bool,
    #[prop(optional)] testid: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <table class="data tasks" data-testid=testid>
            <thead>
                <tr>
                    <th scope="col" class="done-col">{tr(|l| td_string!(l, task_done))}</th>
                    <th scope="col">{tr(|l| td_string!(l, field_task_title))}</th>
                    {with_customer.then(|| view! { <th scope="col">{tr(|l| td_string!(l, col_customer))}</th> })}
                    <th scope="col">{tr(|l| td_string!(l, field_due_date))}</th>
                    <th scope="col">{tr(|l| td_string!(l, field_priority))}</th>
                    <th scope="col">{tr(|l| td_string!(l, col_owner))}</th>
                </tr>
            </thead>
            <tbody>{children()}</tbody>
        </table>
    }
}

/// One task's row: a Done box (ticks it off offline), the title (to its form), the customer
/// when asked, due (marked when overdue), priority and owner.
pub fn task_row(
    l: Locale,
    app: AppState,
    t: &Task,
    customer: Option<String>,
    today: crate::core::model::Date,
    status: RwSignal<String>,
) -> AnyView {
    let to_task = href(&form_href(&t.customer_id, Entity::Tasks, Some(&t.id)));
    let customer = customer.map(|name| {
        let to_customer = href(&customer_href(&t.customer_id));
        view! { <td><A href=to_customer>{name}</A></td> }
    });
    let overdue = t.is_overdue(today);
    let class = match t.status {
        TaskStatus::Open if overdue => "open overdue",
        TaskStatus::Open => "open",
        TaskStatus::Done => "done",
        TaskStatus::Cancelled => "cancelled",
    };
    let title = labels::shown_name(l, &t.title);
    let check_label = fill(td_string!(l, task_done_label), &[("title", &title)]);
    let (id, done) = (t.id.clone(), t.status == TaskStatus::Done);
    let cancelled = t.status == TaskStatus::Cancelled;
    let due = due_text(t);
    let due = if overdue { format!("{due} · {}", td_string!(l, task_overdue)) } else { due };
    let priority = labels::task_priority(l, t.priority);
    let high = t.priority == TaskPriority::High;
    view! {
        <tr class=class data-testid="task-row" data-id=t.id.clone()>
            <td class="done-col">
                <input type="checkbox" data-testid="task-done" aria-label=check_label checked=done disabled=cancelled
                    on:change=move |ev| toggle_done(app, id.clone(), event_target_checked(&ev), status) />
            </td>
            <td><A href=to_task>{title}</A></td>
            {customer}
            <td class=if overdue { "bad" } else { "" }>{due}</td>
            <td>{if high { view! { <span class="badge badge-warn">{priority}</span> }.into_any() } else { priority.into_any() }}</td>
            <td>{text_or_none(&t.owner)}</td>
        </tr>
    }
    .into_any()
}

/// The customer header's "next task" line: its title and when it is due.
pub fn next_line(t: &Task) -> String {
    format!("{} · {}", t.title, opt(t.due_date, |d| d.to_string()))
}
