//! The team's scorecard at `/team` (销售考核): each rep side by side with the team over a month,
//! quarter or year (`?period=2026-Q4`) — revenue and margin in the reporting currency, new and
//! lost customers, visits made, tasks done on time, complaints resolved within SLA, CSAT and NPS
//! of their customers, the profile completeness of their accounts. Every figure is a link
//! (`?rep=…&show=…`, kept in the URL) that lists the records it counts below the table. "Mine"
//! shows the user's own row (the name set in Settings) with the team's. The figures come from
//! `core::analytics::reps`; every value is rendered as text.

use crate::app::i18n::*;
use crate::app::paths::{customer_href, encode, form_href, href};
use crate::app::state::use_app;
use crate::app::ui::dom::{fill, fill_count};
use crate::app::ui::format::{NONE, opt, pct};
use crate::app::ui::labels;
use crate::core::analytics::reps::{RepCard, TeamCards, rep_scorecards};
use crate::core::model::{Date, Entity, Period};
use crate::core::text::fold;
use crate::core::workspace::Workspace;
use chrono::Datelike;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

/// Records a drill-down lists.
const ROWS: usize = 200;

/// The figures a cell can open.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Show {
    Accounts,
    Revenue,
    New,
    Lost,
    Visits,
    Tasks,
    Complaints,
    Surveys,
}

impl Show {
    fn parse(s: &str) -> Option<Show> {
        Some(match s {
            "accounts" => Show::Accounts,
            "revenue" => Show::Revenue,
            "new" => Show::New,
            "lost" => Show::Lost,
            "visits" => Show::Visits,
            "tasks" => Show::Tasks,
            "complaints" => Show::Complaints,
            "surveys" => Show::Surveys,
            _ => return None,
        })
    }
    fn as_str(self) -> &'static str {
        match self {
            Show::Accounts => "accounts",
            Show::Revenue => "revenue",
            Show::New => "new",
            Show::Lost => "lost",
            Show::Visits => "visits",
            Show::Tasks => "tasks",
            Show::Complaints => "complaints",
            Show::Surveys => "surveys",
        }
    }
}

/// The periods offered: this and the previous month, quarter and year.
fn periods(today: Date) -> Vec<Period> {
    let (y, m) = (today.year(), today.month() as u8);
    let q = Period::quarter_of(today);
    let prev_month = if m == 1 { Period::Month(y - 1, 12) } else { Period::Month(y, m - 1) };
    let prev_quarter = match q {
        Period::Quarter(y, 1) => Period::Quarter(y - 1, 4),
        Period::Quarter(y, q) => Period::Quarter(y, q - 1),
        other => other,
    };
    vec![Period::Month(y, m), prev_month, q, prev_quarter, Period::Year(y), Period::Year(y - 1)]
}

fn period_label(l: Locale, p: Period, today: Date) -> String {
    let list = periods(today);
    let name = match list.iter().position(|x| *x == p) {
        Some(0) => td_string!(l, team_this_month),
        Some(1) => td_string!(l, team_last_month),
        Some(2) => td_string!(l, team_this_quarter),
        Some(3) => td_string!(l, team_last_quarter),
        Some(4) => td_string!(l, team_this_year),
        Some(5) => td_string!(l, team_last_year),
        _ => return p.to_string(),
    };
    format!("{name} ({p})")
}

#[component]
pub fn TeamPage() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let query = use_query_map();
    let navigate = use_navigate();
    let today = crate::shell::clock::today();
    let me = crate::app::session::me();
    let period = Memo::new(move |_| {
        query.with(|q| q.get("period").and_then(|p| Period::parse(&p))).unwrap_or(Period::quarter_of(today))
    });
    let mine = Memo::new(move |_| query.with(|q| q.get("mine").is_some_and(|v| v == "1")));
    let an = crate::app::analytics::use_analytics();
    let cards = Memo::new(move |_| {
        let Some((from, to)) = period.get().bounds() else { return TeamCards::default() };
        let (fx, lifecycle) = an.map(|a| a.config.with(|c| (c.fx.clone(), c.lifecycle.clone()))).unwrap_or_default();
        app.workspace.with(|w| rep_scorecards(w, from, to, today, &fx, &lifecycle))
    });
    // The URL with one parameter changed (the others kept).
    let link = move |changes: &[(&str, Option<String>)]| -> String {
        let mut pairs: Vec<(String, String)> = query.with(|q| {
            ["period", "mine", "rep", "show"].iter().filter_map(|k| q.get(k).map(|v| (k.to_string(), v))).collect()
        });
        for (k, v) in changes {
            pairs.retain(|(x, _)| x != k);
            if let Some(v) = v {
                pairs.push((k.to_string(), v.clone()));
            }
        }
        let q: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect();
        if q.is_empty() { "/team".to_string() } else { format!("/team?{}", q.join("&")) }
    };
    let on_period = {
        let navigate = navigate.clone();
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            navigate(&link(&[("period", Some(v)), ("rep", None), ("show", None)]), Default::default());
        }
    };
    let me_for_rows = me.clone();
    let rows = move || {
        let l = i18n.get_locale();
        let c = cards.get();
        let only_me = mine.get();
        let me_key = fold(me_for_rows.trim());
        let mut out: Vec<AnyView> = c
            .reps
            .iter()
            .filter(|r| !only_me || fold(&r.rep) == me_key)
            .map(|r| row(l, r, false, fold(&r.rep) == me_key && !me_key.is_empty(), c.report_currency, &link))
            .collect();
        out.push(row(l, &c.team, true, false, c.report_currency, &link));
        out
    };
    let drill = move || {
        let l = i18n.get_locale();
        let (rep, show) = query.with(|q| (q.get("rep"), q.get("show").and_then(|s| Show::parse(&s))));
        let (rep, show) = (rep?, show?);
        let c = cards.get();
        let card = if rep.is_empty() { Some(c.team.clone()) } else { c.reps.iter().find(|r| r.rep == rep).cloned() }?;
        Some(app.workspace.with(|w| records(l, w, &card, show)))
    };
    let unrated = move || {
        let l = i18n.get_locale();
        let c = cards.get();
        (c.team.unrated_orders > 0).then(|| {
            let currencies: Vec<&str> = c.team.unrated_currencies.iter().map(|x| x.as_str()).collect();
            view! {
                <p class="warning" role="note" data-testid="team-unrated">
                    {fill_count(td_string!(l, team_unrated_one), td_string!(l, team_unrated), c.team.unrated_orders as usize, &[
                        ("count", &c.team.unrated_orders.to_string()),
                        ("currencies", &currencies.join(", ")),
                    ])}
                    " " <A href=href("/settings")>{td_string!(l, nav_settings)}</A>
                </p>
            }
        })
    };
    let has_me = !me.trim().is_empty();
    view! {
        <section class="page team-page">
            <div class="section-head">
                <h1>{tr(|l| td_string!(l, team_title))}</h1>
                <div class="actions">
                    <label for="team-period" class="sr-only">{tr(|l| td_string!(l, team_period))}</label>
                    <select id="team-period" data-testid="team-period" on:change=on_period>
                        {move || {
                            let l = i18n.get_locale();
                            let current = period.get();
                            let mut list = periods(today);
                            if !list.contains(&current) {
                                list.push(current);
                            }
                            list.into_iter().map(|p| {
                                let sel = p == current;
                                view! { <option value=p.to_string() selected=sel>{period_label(l, p, today)}</option> }
                            }).collect_view()
                        }}
                    </select>
                    {has_me.then(|| view! {
                        <A href=move || href(&link(&[("mine", (!mine.get()).then(|| "1".to_string()))])) attr:class="button secondary" attr:data-testid="team-mine" attr:aria-current=move || mine.get().then_some("true")>
                            {tr(|l| td_string!(l, team_mine))}
                        </A>
                    })}
                </div>
            </div>
            <p class="hint">{move || {
                let l = i18n.get_locale();
                let c = cards.get();
                fill(td_string!(l, team_hint), &[("currency", c.report_currency.as_str())])
            }}</p>
            {(!has_me).then(|| view! { <p class="notice" data-testid="set-name">{tr(|l| td_string!(l, service_set_name))} " " <A href=href("/settings")>{tr(|l| td_string!(l, nav_settings))}</A></p> })}
            {unrated}
            <div class="table-wrap">
                <table class="data team" data-testid="team-table">
                    <thead>
                        <tr>
                            <th scope="col">{tr(|l| td_string!(l, col_owner))}</th>
                            <th scope="col" class="num">{tr(|l| td_string!(l, team_accounts))}</th>
                            <th scope="col" class="num">{tr(|l| td_string!(l, team_revenue))}</th>
                            <th scope="col" class="num">{tr(|l| td_string!(l, team_margin))}</th>
                            <th scope="col" class="num">{tr(|l| td_string!(l, team_new))}</th>
                            <th scope="col" class="num">{tr(|l| td_string!(l, team_lost))}</th>
                            <th scope="col" class="num">{tr(|l| td_string!(l, team_visits))}</th>
                            <th scope="col" class="num">{tr(|l| td_string!(l, team_tasks_on_time))}</th>
                            <th scope="col" class="num">{tr(|l| td_string!(l, team_complaints_sla))}</th>
                            <th scope="col" class="num">"CSAT"</th>
                            <th scope="col" class="num">"NPS"</th>
                            <th scope="col" class="num">{tr(|l| td_string!(l, team_profile))}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {drill}
        </section>
    }
}

/// One rep's row (or the team's): each figure a link to the records behind it.
fn row(
    l: Locale,
    r: &RepCard,
    team: bool,
    is_me: bool,
    currency: crate::core::model::Currency,
    link: &impl Fn(&[(&str, Option<String>)]) -> String,
) -> AnyView {
    let cell = |show: Show, text: String, testid: &'static str| {
        let to = href(&link(&[("rep", Some(r.rep.clone())), ("show", Some(show.as_str().to_string()))]));
        view! { <td class="num"><A href=to attr:data-testid=testid>{text}</A></td> }
    };
    let name = if team { td_string!(l, team_total).to_string() } else { r.rep.clone() };
    let margin = match r.margin_rate() {
        Some(rate) => format!("{} · {}", r.margin.format(currency), pct(rate)),
        None => NONE.to_string(),
    };
    let ratio = |part: usize, all: usize, rate: Option<f64>| match rate {
        Some(x) => format!("{part} / {all} · {}", pct(x)),
        None => NONE.to_string(),
    };
    view! {
        <tr class:team-total=team class:me=is_me data-testid=if team { "team-row-total" } else { "team-row" } data-rep=r.rep.clone() aria-current=is_me.then_some("true")>
            <th scope="row">{name}</th>
            {cell(Show::Accounts, r.accounts.len().to_string(), "fig-accounts")}
            {cell(Show::Revenue, r.revenue.format(currency), "fig-revenue")}
            {cell(Show::Revenue, margin, "fig-margin")}
            {cell(Show::New, r.new_customers.len().to_string(), "fig-new")}
            {cell(Show::Lost, r.lost_customers.len().to_string(), "fig-lost")}
            {cell(Show::Visits, r.visits.len().to_string(), "fig-visits")}
            {cell(Show::Tasks, ratio(r.tasks_on_time.len(), r.tasks_due.len(), r.on_time_rate()), "fig-tasks")}
            {cell(Show::Complaints, ratio(r.complaints_in_sla.len(), r.complaints.len(), r.sla_rate()), "fig-complaints")}
            {cell(Show::Surveys, opt(r.satisfaction.csat(), pct), "fig-csat")}
            {cell(Show::Surveys, opt(r.satisfaction.nps(), |n| format!("{n:+.0}")), "fig-nps")}
            {cell(Show::Accounts, opt(r.completeness, pct), "fig-profile")}
        </tr>
    }
    .into_any()
}

/// The records behind one figure of one card, as links.
fn records(l: Locale, w: &Workspace, r: &RepCard, show: Show) -> AnyView {
    let d = &w.data;
    let who = if r.rep.is_empty() { td_string!(l, team_total).to_string() } else { r.rep.clone() };
    let customer_name = |id: &str| w.customer(id).map_or_else(|| id.to_string(), |c| labels::shown_name(l, &c.name));
    let item = |to: String, text: String, sub: String| {
        view! { <li data-testid="team-record"><A href=href(&to)>{text}</A><span class="sub">{sub}</span></li> }
            .into_any()
    };
    let customers = |list: &[usize]| -> Vec<AnyView> {
        list.iter()
            .filter_map(|&i| d.customers.get(i))
            .map(|c| {
                let share = crate::core::analytics::scorecard::profiling(
                    c,
                    w.customer_index(&c.id)
                        .map(|i| w.children(i).contacts.clone())
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|&k| d.contacts.get(k)),
                )
                .completeness;
                item(
                    customer_href(&c.id),
                    labels::shown_name(l, &c.name),
                    format!(" · {} · {}", c.region, fill(td_string!(l, team_profile_share), &[("share", &pct(share))])),
                )
            })
            .collect()
    };
    let (title, list): (&str, Vec<AnyView>) = match show {
        Show::Accounts => (td_string!(l, team_accounts), customers(&r.accounts)),
        Show::New => (td_string!(l, team_new), customers(&r.new_customers)),
        Show::Lost => (td_string!(l, team_lost), customers(&r.lost_customers)),
        Show::Revenue => (
            td_string!(l, team_revenue),
            r.sales
                .iter()
                .filter_map(|&i| d.orders.get(i))
                .map(|o| {
                    item(
                        customer_href(&o.customer_id),
                        format!("{} · {}", o.date, customer_name(&o.customer_id)),
                        format!(" · {} · {}", o.id, o.amount.format(o.currency)),
                    )
                })
                .collect(),
        ),
        Show::Visits => (
            td_string!(l, team_visits),
            r.visits
                .iter()
                .filter_map(|&i| d.visits.get(i))
                .map(|v| {
                    item(
                        form_href(&v.customer_id, Entity::Visits, Some(&v.id)),
                        format!("{} · {}", v.date, customer_name(&v.customer_id)),
                        format!(" · {}", labels::purpose(l, v.purpose)),
                    )
                })
                .collect(),
        ),
        Show::Tasks => (
            td_string!(l, team_tasks_on_time),
            r.tasks_due
                .iter()
                .filter_map(|&i| d.tasks.get(i).map(|t| (i, t)))
                .map(|(i, t)| {
                    let state = if r.tasks_on_time.contains(&i) {
                        td_string!(l, team_on_time)
                    } else {
                        labels::task_status(l, t.status)
                    };
                    item(
                        form_href(&t.customer_id, Entity::Tasks, Some(&t.id)),
                        labels::shown_name(l, &t.title),
                        format!(
                            " · {} · {} · {state}",
                            customer_name(&t.customer_id),
                            crate::app::ui::tasks::due_text(t)
                        ),
                    )
                })
                .collect(),
        ),
        Show::Complaints => (
            td_string!(l, team_complaints_sla),
            r.complaints
                .iter()
                .filter_map(|&i| d.tickets.get(i).map(|t| (i, t)))
                .map(|(i, t)| {
                    let state = if r.complaints_in_sla.contains(&i) {
                        td_string!(l, team_in_sla)
                    } else {
                        td_string!(l, sla_breached)
                    };
                    item(
                        form_href(&t.customer_id, Entity::Tickets, Some(&t.id)),
                        labels::shown_name(l, &t.title),
                        format!(" · {} · {state}", customer_name(&t.customer_id)),
                    )
                })
                .collect(),
        ),
        Show::Surveys => (
            td_string!(l, team_surveys),
            r.surveys
                .iter()
                .filter_map(|&i| d.surveys.get(i))
                .map(|s| {
                    item(
                        customer_href(&s.customer_id),
                        format!("{} · {}", s.date, customer_name(&s.customer_id)),
                        format!(" · CSAT {} · NPS {}", opt(s.csat, |x| x.to_string()), opt(s.nps, |x| x.to_string())),
                    )
                })
                .collect(),
        ),
    };
    let total = list.len();
    let more = (total > ROWS).then(|| view! { <li class="sub">{fill(td_string!(l, more_not_shown), &[("count", &(total - ROWS).to_string())])}</li> });
    view! {
        <section class="card" aria-labelledby="h-team-records" data-testid="team-records">
            <h2 id="h-team-records" tabindex="-1">{format!("{who} · {title} ({total})")}</h2>
            {if total == 0 {
                view! { <p class="empty">{td_string!(l, no_records)}</p> }.into_any()
            } else {
                view! { <ul class="timeline">{list.into_iter().take(ROWS).collect_view()}{more}</ul> }.into_any()
            }}
        </section>
    }
    .into_any()
}
