//! One customer's page: profile, contacts, orders, invoices, service tickets, visits, satisfaction.

use super::customers::customer_href;
use super::format::{datetime, opt_money};
use super::i18n::*;
use super::labels;
use super::state::use_workspace;
use crate::core::model::Customer;
use crate::core::workspace::Workspace;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use std::sync::Arc;

#[component]
pub fn CustomerPage() -> impl IntoView {
    let i18n = use_i18n();
    let ws = use_workspace();
    let params = use_params_map();
    let index = Memo::new(move |_| {
        let id = params.read().get("id").unwrap_or_default();
        ws.with(|w| w.customer_index(&id))
    });
    move || match index.get() {
        Some(i) => view! { <CustomerView ws=ws.get() index=i /> }.into_any(),
        None => view! {
            <section class="page">
                <h1>{t!(i18n, customer_not_found)}</h1>
                <p>
                    <A href="/customers">{t!(i18n, back_to_customers)}</A>
                </p>
            </section>
        }
        .into_any(),
    }
}

#[component]
fn CustomerView(ws: Arc<Workspace>, index: usize) -> impl IntoView {
    let i18n = use_i18n();
    let Some(c) = ws.data.customers.get(index).cloned() else {
        return view! { <p>{t!(i18n, customer_not_found)}</p> }.into_any();
    };
    view! {
        <article class="page customer-page">
            <p class="crumb">
                <A href="/customers">{t!(i18n, back_to_customers)}</A>
            </p>
            <header class="customer-head">
                <h1>{c.name.clone()}</h1>
                <p class="sub">
                    <span class="badge">{move || labels::role(i18n.get_locale(), c.role)}</span>
                    {(!c.region.is_empty()).then(|| view! { <span>{c.region.clone()}</span> })}
                    {(!c.city.is_empty()).then(|| view! { <span>{c.city.clone()}</span> })}
                </p>
            </header>
            <Profile ws=ws.clone() customer=c.clone() />
            <Contacts ws=ws.clone() index=index />
            <Orders ws=ws.clone() index=index />
            <Invoices ws=ws.clone() index=index />
            <Tickets ws=ws.clone() index=index />
            <Visits ws=ws.clone() index=index />
            <Surveys ws=ws index=index />
        </article>
    }
    .into_any()
}

fn or_dash(s: &str) -> String {
    if s.trim().is_empty() { "—".to_string() } else { s.to_string() }
}

#[component]
fn Profile(ws: Arc<Workspace>, customer: Customer) -> impl IntoView {
    let i18n = use_i18n();
    let c = customer;
    let link_to = |id: &str| match ws.customer(id) {
        Some(other) => {
            let name = other.name.clone();
            view! { <A href=customer_href(id)>{name}</A> }.into_any()
        }
        None => view! { <span>{id.to_string()}</span> }.into_any(),
    };
    let parent = c.parent_id.as_deref().map(link_to);
    let distributor_of = if c.distributor_of.is_empty() {
        view! { <span>"—"</span> }.into_any()
    } else {
        let items = c.distributor_of.iter().map(|id| view! { <li>{link_to(id)}</li> }).collect_view();
        view! { <ul class="plain">{items}</ul> }.into_any()
    };
    let owner = if c.in_shared_pool() {
        view! { <span class="badge badge-pool">{t!(i18n, shared_pool)}</span> }.into_any()
    } else {
        view! { <span>{c.owner.clone().unwrap_or_default()}</span> }.into_any()
    };
    let terms = c.payment_terms_days;
    view! {
        <section class="card" aria-labelledby="h-profile">
            <h2 id="h-profile">{t!(i18n, section_profile)}</h2>
            <dl class="profile">
                <dt>{t!(i18n, field_short_name)}</dt>
                <dd>{or_dash(&c.short_name)}</dd>
                <dt>{t!(i18n, field_industry)}</dt>
                <dd>{or_dash(&c.industry)}</dd>
                <dt>{t!(i18n, field_country)}</dt>
                <dd>{or_dash(&c.country)}</dd>
                <dt>{t!(i18n, field_address)}</dt>
                <dd>{or_dash(&c.address)}</dd>
                <dt>{t!(i18n, field_owner)}</dt>
                <dd>{owner}</dd>
                <dt>{t!(i18n, field_team)}</dt>
                <dd>{or_dash(&c.team.join(", "))}</dd>
                <dt>{t!(i18n, field_tags)}</dt>
                <dd class="tags">
                    {c.tags.iter().map(|t| view! { <span class="chip">{t.clone()}</span> }).collect_view()}
                </dd>
                <dt>{t!(i18n, field_credit_limit)}</dt>
                <dd>{opt_money(c.credit_limit, c.currency)}</dd>
                <dt>{t!(i18n, field_payment_terms)}</dt>
                <dd>{t!(i18n, payment_terms_days, days = move || terms)}</dd>
                <dt>{t!(i18n, field_potential_spend)}</dt>
                <dd>{opt_money(c.potential_annual_spend, c.currency)}</dd>
                <dt>{t!(i18n, field_parent)}</dt>
                <dd>{parent.unwrap_or_else(|| view! { <span>"—"</span> }.into_any())}</dd>
                <dt>{t!(i18n, field_distributor_of)}</dt>
                <dd>{distributor_of}</dd>
                <dt>{t!(i18n, field_created)}</dt>
                <dd>{datetime(c.created_at)}</dd>
                <dt>{t!(i18n, field_updated)}</dt>
                <dd>{datetime(c.updated_at)}</dd>
            </dl>
        </section>
    }
}

/// A titled section that shows "nothing recorded" when empty.
#[component]
fn Section(id: &'static str, title: Signal<String>, empty: bool, children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" aria-labelledby=id data-section=id>
            <h2 id=id>{move || title.get()}</h2>
            {if empty {
                view! { <p class="empty">{t!(i18n, no_records)}</p> }.into_any()
            } else {
                view! { <div class="table-wrap">{children()}</div> }.into_any()
            }}
        </section>
    }
}

#[component]
fn Contacts(ws: Arc<Workspace>, index: usize) -> impl IntoView {
    let i18n = use_i18n();
    let ids = ws.children(index).contacts.clone();
    let title = Signal::derive(move || t_string!(i18n, section_contacts).to_string());
    let cards = ids
        .iter()
        .filter_map(|&k| ws.data.contacts.get(k))
        .map(|p| {
            let tel = |n: &str| {
                (!n.is_empty()).then(|| {
                    let href = format!("tel:{}", n.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect::<String>());
                    view! { <a class="tap" href=href>{n.to_string()}</a> }
                })
            };
            let mail = (!p.email.is_empty()).then(|| {
                let href = format!("mailto:{}", p.email);
                view! { <a class="tap" href=href>{p.email.clone()}</a> }
            });
            view! {
                <li class="contact">
                    <strong>{p.name.clone()}</strong>
                    {p.primary.then(|| view! { <span class="badge">{t!(i18n, contact_primary)}</span> })}
                    <span class="sub">{[p.title.as_str(), p.department.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(" · ")}</span>
                    <span class="links">{tel(&p.phone)} {tel(&p.mobile)} {mail}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <Section id="h-contacts" title empty=ids.is_empty()>
            <ul class="contacts">{cards}</ul>
        </Section>
    }
}

#[component]
fn Orders(ws: Arc<Workspace>, index: usize) -> impl IntoView {
    let i18n = use_i18n();
    let ids = ws.children(index).orders.clone();
    let empty = ids.is_empty();
    let title = Signal::derive(move || t_string!(i18n, section_orders).to_string());
    let rows = move || {
        let l = i18n.get_locale();
        ids.iter()
            .rev()
            .filter_map(|&k| ws.data.orders.get(k))
            .map(|o| {
                view! {
                    <tr>
                        <td>{o.date.to_string()}</td>
                        <td>{o.id.clone()}</td>
                        <td>{labels::order_status(l, o.status)}</td>
                        <td class="num">{o.amount.format(o.currency)}</td>
                        <td class="num">{opt_money(o.margin, o.currency)}</td>
                        <td class="num">{o.lines.len()}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <Section id="h-orders" title empty>
            <table class="data">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, col_date)}</th>
                        <th scope="col">{t!(i18n, col_order)}</th>
                        <th scope="col">{t!(i18n, col_status)}</th>
                        <th scope="col" class="num">{t!(i18n, col_amount)}</th>
                        <th scope="col" class="num">{t!(i18n, col_margin)}</th>
                        <th scope="col" class="num">{t!(i18n, col_lines)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </Section>
    }
}

#[component]
fn Invoices(ws: Arc<Workspace>, index: usize) -> impl IntoView {
    let i18n = use_i18n();
    let today = crate::shell::today();
    let ids = ws.children(index).invoices.clone();
    let empty = ids.is_empty();
    let title = Signal::derive(move || t_string!(i18n, section_invoices).to_string());
    let rows = move || {
        let l = i18n.get_locale();
        ids.iter()
            .rev()
            .filter_map(|&k| ws.data.invoices.get(k))
            .map(|inv| {
                let days = inv.days_overdue(today);
                let overdue =
                    if days > 0 { td!(l, overdue_days, days = move || days).into_any() } else { "—".into_any() };
                view! {
                    <tr class:overdue=(days > 0)>
                        <td>{inv.number.clone()}</td>
                        <td>{inv.issue_date.to_string()}</td>
                        <td>{inv.due_date.to_string()}</td>
                        <td class="num">{inv.amount.format(inv.currency)}</td>
                        <td class="num">{inv.outstanding(today).format(inv.currency)}</td>
                        <td>{overdue}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <Section id="h-invoices" title empty>
            <table class="data">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, col_invoice)}</th>
                        <th scope="col">{t!(i18n, col_issue_date)}</th>
                        <th scope="col">{t!(i18n, col_due_date)}</th>
                        <th scope="col" class="num">{t!(i18n, col_amount)}</th>
                        <th scope="col" class="num">{t!(i18n, col_outstanding)}</th>
                        <th scope="col">{t!(i18n, col_overdue)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </Section>
    }
}

#[component]
fn Tickets(ws: Arc<Workspace>, index: usize) -> impl IntoView {
    let i18n = use_i18n();
    let now = crate::shell::now();
    let ids = ws.children(index).tickets.clone();
    let empty = ids.is_empty();
    let title = Signal::derive(move || t_string!(i18n, section_tickets).to_string());
    let rows = move || {
        let l = i18n.get_locale();
        ids.iter()
            .rev()
            .filter_map(|&k| ws.data.tickets.get(k))
            .map(|tk| {
                let breached = tk.sla_breached(now);
                view! {
                    <tr>
                        <td>{datetime(tk.opened_at)}</td>
                        <td>{labels::ticket_kind(l, tk.kind)}</td>
                        <td>{labels::stage(l, tk.stage)}</td>
                        <td>{labels::severity(l, tk.severity)}</td>
                        <td>{labels::ticket_status(l, tk.status)}</td>
                        <td>{tk.title.clone()}</td>
                        <td>
                            {datetime(tk.sla_due)}
                            {breached.then(|| view! { <span class="badge badge-warn">{td_string!(l, sla_breached)}</span> })}
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <Section id="h-tickets" title empty>
            <table class="data">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, col_opened)}</th>
                        <th scope="col">{t!(i18n, col_kind)}</th>
                        <th scope="col">{t!(i18n, col_stage)}</th>
                        <th scope="col">{t!(i18n, col_severity)}</th>
                        <th scope="col">{t!(i18n, col_status)}</th>
                        <th scope="col">{t!(i18n, col_title)}</th>
                        <th scope="col">{t!(i18n, col_sla_due)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </Section>
    }
}

#[component]
fn Visits(ws: Arc<Workspace>, index: usize) -> impl IntoView {
    let i18n = use_i18n();
    let ids = ws.children(index).visits.clone();
    let empty = ids.is_empty();
    let title = Signal::derive(move || t_string!(i18n, section_visits).to_string());
    let rows = move || {
        let l = i18n.get_locale();
        ids.iter()
            .rev()
            .filter_map(|&k| ws.data.visits.get(k))
            .map(|v| {
                let next = match v.next_step_date {
                    Some(d) if !v.next_step.is_empty() => format!("{} ({d})", v.next_step),
                    _ => or_dash(&v.next_step),
                };
                view! {
                    <tr>
                        <td>{v.date.to_string()}</td>
                        <td>{labels::purpose(l, v.purpose)}</td>
                        <td>{or_dash(&v.rep)}</td>
                        <td>{or_dash(&v.outcome)}</td>
                        <td>{next}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <Section id="h-visits" title empty>
            <table class="data">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, col_date)}</th>
                        <th scope="col">{t!(i18n, col_purpose)}</th>
                        <th scope="col">{t!(i18n, col_rep)}</th>
                        <th scope="col">{t!(i18n, col_outcome)}</th>
                        <th scope="col">{t!(i18n, col_next_step)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </Section>
    }
}

#[component]
fn Surveys(ws: Arc<Workspace>, index: usize) -> impl IntoView {
    let i18n = use_i18n();
    let ids = ws.children(index).surveys.clone();
    let empty = ids.is_empty();
    let title = Signal::derive(move || t_string!(i18n, section_surveys).to_string());
    let score = |v: Option<u8>| v.map(|s| s.to_string()).unwrap_or_else(|| "—".to_string());
    let rows = ids
        .iter()
        .rev()
        .filter_map(|&k| ws.data.surveys.get(k))
        .map(|s| {
            view! {
                <tr>
                    <td>{s.date.to_string()}</td>
                    <td class="num">{score(s.csat)}</td>
                    <td class="num">{score(s.nps)}</td>
                    <td>{or_dash(&s.comment)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <Section id="h-surveys" title empty>
            <table class="data">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, col_date)}</th>
                        <th scope="col" class="num">{t!(i18n, col_csat)}</th>
                        <th scope="col" class="num">{t!(i18n, col_nps)}</th>
                        <th scope="col">{t!(i18n, col_comment)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </Section>
    }
}
