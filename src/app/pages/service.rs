//! My day: my overdue, today's and coming tasks (tick one done, offline), then the service
//! overview — open tickets by severity and SLA state, the urgent ones, my tickets and my visit
//! plan for today (numbers from `core::tasks` and `core::service`; every value rendered as
//! text), redrawn every minute as the clock moves tasks to overdue and tickets from on track to
//! due soon to breached.

use crate::app::i18n::*;
use crate::app::paths::{customer_href, form_href};
use crate::app::state::use_app;
use crate::app::ui::dom::{El, el, fill, live};
use crate::app::ui::format::{NONE, datetime};
use crate::app::ui::labels;
use crate::core::model::Entity;
use crate::core::service::{SlaState, overview, sla_state};
use crate::core::workspace::Workspace;
use leptos::prelude::*;

#[component]
pub fn ServicePage() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let me = crate::app::session::me();
    let who = me.clone();
    // SLA states depend on the clock: the overview is drawn again every minute, so "due soon"
    // turns into "breached" (and a new day's visit plan appears) without a reload.
    let tick = RwSignal::new(0u64);
    if let Ok(h) = set_interval_with_handle(move || tick.update(|t| *t += 1), std::time::Duration::from_secs(60)) {
        on_cleanup(move || h.clear());
    }
    let report = live("service-overview", move || {
        tick.track();
        let l = i18n.get_locale();
        let now = crate::shell::clock::now();
        let today = crate::shell::clock::today();
        let offset = crate::shell::clock::utc_offset_minutes();
        app.workspace
            .with(|w| el("div").child(my_tasks(l, w, today, offset, &who)).child(build(l, w, now, today, &who)))
    });
    // A task's Done box (drawn as plain DOM): saved as a local edit, the list redrawn from it.
    let status = RwSignal::new(String::new());
    let on_change = move |ev: leptos::ev::Event| {
        if let Some((id, done)) = crate::app::ui::dom::checkbox(&ev) {
            crate::app::ui::tasks::toggle_done(app, id, done, status);
        }
    };
    view! {
        <section class="page service-page">
            <h1>{tr(|l| td_string!(l, service_title))}</h1>
            {me.is_empty().then(|| view! { <p class="notice" data-testid="set-name">{tr(|l| td_string!(l, service_set_name))} " " <a href=crate::app::paths::href("/settings")>{tr(|l| td_string!(l, nav_settings))}</a></p> })}
            <Reminders />
            <p class="sr-only" role="status" aria-live="polite" data-testid="task-status">{move || status.get()}</p>
            <div on:change=on_change>{report}</div>
        </section>
    }
}

/// Whether reminders can pop up: a button to turn them on (the browser asks once), or why not.
#[component]
fn Reminders() -> impl IntoView {
    use crate::shell::notify::{Permission, permission, request_permission};
    let i18n = use_i18n();
    let state = RwSignal::new(permission());
    let ask = move |_| {
        leptos::task::spawn_local(async move {
            state.set(request_permission().await);
        });
    };
    view! {
        <p class="reminders" data-testid="reminders" data-permission=move || format!("{:?}", state.get()).to_lowercase()>
            {move || {
                let l = i18n.get_locale();
                match state.get() {
                    Permission::Default => view! {
                        <span>{td_string!(l, reminders_ask_hint)}</span> " "
                        <button type="button" class="secondary" data-testid="reminders-ask" on:click=ask>{td_string!(l, reminders_ask)}</button>
                    }.into_any(),
                    Permission::Granted => view! { <span>{td_string!(l, reminders_on)}</span> }.into_any(),
                    Permission::Denied => view! { <span class="notice">{td_string!(l, reminders_denied)}</span> }.into_any(),
                    Permission::Unsupported => view! { <span>{td_string!(l, reminders_unsupported)}</span> }.into_any(),
                }
            }}
        </p>
    }
}

fn state_label(l: Locale, s: SlaState) -> &'static str {
    match s {
        SlaState::Breached => td_string!(l, sla_breached),
        SlaState::DueSoon => td_string!(l, sla_due_soon),
        SlaState::OnTrack => td_string!(l, sla_on_track),
    }
}

fn build(
    l: Locale,
    w: &Workspace,
    now: crate::core::model::Timestamp,
    today: crate::core::model::Date,
    me: &str,
) -> El {
    let o = overview(w, now, today, me);
    let states = [SlaState::Breached, SlaState::DueSoon, SlaState::OnTrack];
    let mut head = el("tr").child(el("th").attr("scope", "col").text(td_string!(l, col_severity)));
    for s in states {
        head = head.child(el("th").attr("scope", "col").class("num").text(state_label(l, s)));
    }
    let rows: Vec<El> = o
        .grid
        .iter()
        .map(|(sev, counts)| {
            let mut tr = el("tr").child(el("th").attr("scope", "row").text(labels::severity(l, *sev)));
            for (k, n) in counts.iter().enumerate() {
                let cls = if k == 0 && *n > 0 { "num bad" } else { "num" };
                tr = tr.child(el("td").class(cls).text(&n.to_string()));
            }
            tr
        })
        .collect();
    let grid = el("section")
        .attr("aria-labelledby", "h-sla")
        .child(el("h2").attr("id", "h-sla").text(td_string!(l, service_open_by_sla)))
        .child(
            el("div").class("table-wrap").child(
                el("table")
                    .class("data")
                    .attr("data-testid", "sla-grid")
                    .child(el("thead").child(head))
                    .child(el("tbody").children(rows)),
            ),
        );
    let ticket_list = |id: &str, title: &str, list: &[usize]| -> El {
        let mut sec = el("section").attr("aria-labelledby", id).child(el("h2").attr("id", id).text(title));
        if list.is_empty() {
            return sec.child(el("p").class("empty").text(td_string!(l, no_records)));
        }
        let mut ul = el("ul").class("timeline");
        for &i in list.iter().take(50) {
            let Some(t) = w.data.tickets.get(i) else { continue };
            let name = w.customer(&t.customer_id).map_or_else(|| NONE.into(), |c| labels::shown_name(l, &c.name));
            let state = sla_state(t.sla_due, now);
            ul = ul.child(
                el("li")
                    .child(
                        el("span")
                            .class(if state == SlaState::Breached { "badge badge-warn" } else { "badge" })
                            .text(state_label(l, state)),
                    )
                    .child(el("span").class("badge").text(labels::severity(l, t.severity)))
                    .child(El::link(
                        &form_href(&t.customer_id, Entity::Tickets, Some(&t.id)),
                        &labels::shown_name(l, &t.title),
                    ))
                    .child(el("span").class("sub").text(" · "))
                    .child(El::link(&customer_href(&t.customer_id), &name))
                    .child(el("span").class("sub").text(&format!(
                        " · {} {}",
                        td_string!(l, col_sla_due),
                        datetime(t.sla_due)
                    ))),
            );
        }
        if list.len() > 50 {
            ul = ul.child(
                el("li")
                    .class("sub")
                    .text(&fill(td_string!(l, more_not_shown), &[("count", &(list.len() - 50).to_string())])),
            );
        }
        sec = sec.child(ul);
        sec
    };
    let urgent =
        ticket_list("h-urgent", td_string!(l, service_urgent), &o.urgent).attr("data-testid", "urgent-tickets");
    let mine = ticket_list("h-mine", td_string!(l, service_my_tickets), &o.mine).attr("data-testid", "my-tickets");
    let mut plan = el("section")
        .attr("aria-labelledby", "h-plan")
        .child(el("h2").attr("id", "h-plan").text(td_string!(l, service_my_visits)));
    if o.visits_today.is_empty() {
        plan = plan.child(el("p").class("empty").text(td_string!(l, service_no_visits)));
    } else {
        let mut ul = el("ul").class("timeline").attr("data-testid", "visit-plan");
        for &i in &o.visits_today {
            let Some(v) = w.data.visits.get(i) else { continue };
            let name = w.customer(&v.customer_id).map_or_else(|| NONE.into(), |c| labels::shown_name(l, &c.name));
            let done = !v.is_planned(today);
            ul = ul.child(
                el("li")
                    .child(El::link(&customer_href(&v.customer_id), &name))
                    .child(el("span").class("sub").text(&format!(" · {} · ", labels::purpose(l, v.purpose))))
                    .child(El::link(
                        &form_href(&v.customer_id, Entity::Visits, Some(&v.id)),
                        if done { td_string!(l, visit_report_edit) } else { td_string!(l, visit_report_write) },
                    )),
            );
        }
        plan = plan.child(ul);
    }
    el("div").child(grid).child(urgent).child(mine).child(plan)
}

/// My tasks: overdue, today, the next days, undated, and those done today — each with a Done
/// box (`data-id` names the task for the page's change handler).
fn my_tasks(l: Locale, w: &Workspace, today: crate::core::model::Date, offset: i32, me: &str) -> El {
    let day = crate::core::tasks::my_day(w, me, today, offset);
    let group = |id: &str, title: &str, list: &[usize], testid: &str| -> Option<El> {
        if list.is_empty() {
            return None;
        }
        let mut ul = el("ul").class("task-list").attr("data-testid", testid);
        for &i in list.iter().take(100) {
            let Some(t) = w.data.tasks.get(i) else { continue };
            let name = w.customer(&t.customer_id).map_or_else(|| NONE.into(), |c| labels::shown_name(l, &c.name));
            let title = labels::shown_name(l, &t.title);
            let check_id = format!("done-{}", t.id);
            let mut check = el("input")
                .attr("type", "checkbox")
                .attr("id", &check_id)
                .attr("data-id", &t.id)
                .attr("data-testid", "task-done")
                .attr("aria-label", &fill(td_string!(l, task_done_label), &[("title", &title)]));
            if t.status == crate::core::model::TaskStatus::Done {
                check = check.attr("checked", "");
            }
            let mut li = el("li")
                .attr("data-testid", "my-task")
                .attr("data-id", &t.id)
                .child(check)
                .child(El::link(&form_href(&t.customer_id, Entity::Tasks, Some(&t.id)), &title))
                .child(el("span").class("sub").text(" · "))
                .child(El::link(&customer_href(&t.customer_id), &name))
                .child(el("span").class("sub").text(&format!(" · {}", crate::app::ui::tasks::due_text(t))));
            if t.priority == crate::core::model::TaskPriority::High {
                li = li.child(el("span").class("badge badge-warn").text(labels::task_priority(l, t.priority)));
            }
            ul = ul.child(li);
        }
        if list.len() > 100 {
            ul = ul.child(
                el("li")
                    .class("sub")
                    .text(&fill(td_string!(l, more_not_shown), &[("count", &(list.len() - 100).to_string())])),
            );
        }
        Some(el("div").child(el("h3").attr("id", id).text(&format!("{title} ({})", list.len()))).child(ul))
    };
    let mut sec = el("section").attr("aria-labelledby", "h-my-tasks").attr("data-testid", "my-tasks").child(
        el("h2").attr("id", "h-my-tasks").text(&crate::app::ui::dom::fill_count(
            td_string!(l, my_tasks_due_one),
            td_string!(l, my_tasks_due),
            day.due_count(),
            &[("count", &day.due_count().to_string())],
        )),
    );
    let groups = [
        group("h-overdue", td_string!(l, my_tasks_overdue), &day.overdue, "tasks-overdue"),
        group("h-today", td_string!(l, my_tasks_today), &day.today, "tasks-today"),
        group("h-upcoming", td_string!(l, my_tasks_upcoming), &day.upcoming, "tasks-upcoming"),
        group("h-undated", td_string!(l, my_tasks_undated), &day.undated, "tasks-undated"),
        group("h-done-today", td_string!(l, my_tasks_done_today), &day.done_today, "tasks-done-today"),
    ];
    let mut any = false;
    for g in groups.into_iter().flatten() {
        any = true;
        sec = sec.child(g);
    }
    if !any {
        sec = sec.child(el("p").class("empty").text(td_string!(l, my_tasks_none)));
    }
    sec
}
