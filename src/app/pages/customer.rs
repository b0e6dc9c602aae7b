//! One customer's page: profile, contacts, opportunities (open pipeline and won / lost), orders,
//! invoices, service tickets, visits, satisfaction.

use crate::app::i18n::*;
use crate::app::paths::{customer_href, form_href};
use crate::app::state::use_app;
use crate::app::ui::deals::{DealTable, deal_row};
use crate::app::ui::dom::{El, el, fill, fill_count, live, svg};
use crate::app::ui::format::{NONE, datetime, opt, opt_money, pct, signed_pct, text_or_none};
use crate::app::ui::labels;
use crate::core::model::Entity;
use crate::core::model::{
    Contact, Customer, Invoice, Opportunity, Order, ServiceTicket, SurveyResponse, Task, TicketKind, Visit,
};
use crate::core::workspace::Workspace;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_params_map};

/// Everything the page shows, copied out of the workspace (re-rendered only when it changes).
#[derive(Clone, Debug, PartialEq)]
struct Snapshot {
    customer: Customer,
    contacts: Vec<Contact>,
    orders: Vec<Order>,
    invoices: Vec<Invoice>,
    tickets: Vec<ServiceTicket>,
    visits: Vec<Visit>,
    surveys: Vec<SurveyResponse>,
    /// Open deals first (by expected close), then the closed ones, newest first.
    opportunities: Vec<Opportunity>,
    /// Open tasks first (soonest due first), then the done and cancelled ones, newest first.
    tasks: Vec<Task>,
    /// (id, name) of the parent company and of the accounts it distributes to.
    parent: Option<(String, Option<String>)>,
    distributes: Vec<(String, Option<String>)>,
}

fn snapshot(w: &Workspace, id: &str) -> Option<Snapshot> {
    let i = w.customer_index(id)?;
    let c = w.data.customers.get(i)?.clone();
    let ch = w.children(i);
    let pick = |list: &Vec<usize>| list.iter().rev().copied().collect::<Vec<_>>();
    let name_of = |id: &String| (id.clone(), w.customer(id).map(|c| c.name.clone()));
    Some(Snapshot {
        parent: c.parent_id.as_ref().map(name_of),
        distributes: c.distributor_of.iter().map(name_of).collect(),
        contacts: ch.contacts.iter().filter_map(|&k| w.data.contacts.get(k).cloned()).collect(),
        orders: pick(&ch.orders).into_iter().filter_map(|k| w.data.orders.get(k).cloned()).collect(),
        invoices: pick(&ch.invoices).into_iter().filter_map(|k| w.data.invoices.get(k).cloned()).collect(),
        tickets: pick(&ch.tickets).into_iter().filter_map(|k| w.data.tickets.get(k).cloned()).collect(),
        visits: pick(&ch.visits).into_iter().filter_map(|k| w.data.visits.get(k).cloned()).collect(),
        surveys: pick(&ch.surveys).into_iter().filter_map(|k| w.data.surveys.get(k).cloned()).collect(),
        opportunities: {
            let mut o: Vec<Opportunity> =
                ch.opportunities.iter().filter_map(|&k| w.data.opportunities.get(k).cloned()).collect();
            o.sort_by(|a, b| {
                b.is_open()
                    .cmp(&a.is_open())
                    .then_with(|| match a.is_open() {
                        true => a
                            .expected_close
                            .is_none()
                            .cmp(&b.expected_close.is_none())
                            .then(a.expected_close.cmp(&b.expected_close)),
                        false => b.closed_on.cmp(&a.closed_on),
                    })
                    .then_with(|| a.id.cmp(&b.id))
            });
            o
        },
        tasks: {
            let mut t: Vec<Task> = ch.tasks.iter().filter_map(|&k| w.data.tasks.get(k).cloned()).collect();
            t.sort_by(|a, b| {
                b.is_open()
                    .cmp(&a.is_open())
                    .then_with(|| match a.is_open() {
                        true => (a.due_date.is_none(), a.due_date, &a.due_time).cmp(&(
                            b.due_date.is_none(),
                            b.due_date,
                            &b.due_time,
                        )),
                        false => b.done_at.cmp(&a.done_at),
                    })
                    .then_with(|| a.id.cmp(&b.id))
            });
            t
        },
        customer: c,
    })
}

#[component]
pub fn CustomerPage() -> impl IntoView {
    let app = use_app();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let snap = Memo::new(move |_| app.workspace.with(|w| snapshot(w, &id.get())));
    let waiting = Memo::new(move |_| {
        let id = id.get();
        app.outbox.with(|o| o.iter().any(|e| e.entity == Entity::Customers && e.record_id == id))
    });
    // Opened at a section (a reload, a link with `#h-orders`): that section is shown once the
    // page is drawn; later redraws (a sync) leave the scroll where the user has it.
    let location = use_location();
    let jumped = StoredValue::new(false);
    Effect::new(move |_| {
        if snap.with(Option::is_some) && !jumped.get_value() {
            jumped.set_value(true);
            let hash = location.hash.get_untracked();
            let target = hash.trim_start_matches('#').to_string();
            if !target.is_empty() {
                // After the frame that lays the page out (the loading screen has just gone).
                request_animation_frame(move || {
                    crate::shell::page::show_element(&target);
                });
            }
        }
    });
    move || match snap.get() {
        Some(s) => view! { <CustomerView s waiting /> }.into_any(),
        None => view! { <crate::app::ui::status::CustomerNotFound /> }.into_any(),
    }
}

#[component]
fn CustomerView(s: Snapshot, waiting: Memo<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let c = s.customer.clone();
    let edit = format!("{}/edit", customer_href(&c.id));
    let counts = SectionCounts {
        tasks: s.tasks.iter().filter(|t| t.is_open()).count(),
        opportunities: s.opportunities.len(),
        orders: s.orders.len(),
        tickets: s.tickets.len(),
        visits: s.visits.len(),
        contacts: s.contacts.len(),
    };
    view! {
        <article class="page customer-page">
            // The compact header stays on screen while the page scrolls: who this is, what is
            // wrong, what to record, and a jump to each section (one tap on a tablet).
            <header class="customer-head" data-testid="customer-head">
                <div class="page-head">
                    <A href=crate::app::paths::href("/customers") attr:class="crumb">{tr(|l| td_string!(l, back_to_customers))}</A>
                    <h1><labels::Name text=c.name.clone() /></h1>
                    <div class="actions">
                        <A href=crate::app::paths::href(&edit) attr:class="button">{tr(|l| td_string!(l, edit))}</A>
                        <DeleteCustomer id=c.id.clone() />
                    </div>
                </div>
                <p class="sub">
                    <span class="badge">{move || labels::role(i18n.get_locale(), c.role)}</span>
                    {(!c.region.is_empty()).then(|| view! { <span>{c.region.clone()}</span> })}
                    {(!c.city.is_empty()).then(|| view! { <span>{c.city.clone()}</span> })}
                    <GapBadge id=c.id.clone() />
                    {crate::core::tasks::next_task(&s.tasks).map(|t| {
                        let overdue = t.is_overdue(crate::shell::clock::today());
                        let line = crate::app::ui::tasks::next_line(t);
                        let href = crate::app::paths::href(&form_href(&t.customer_id, Entity::Tasks, Some(&t.id)));
                        view! {
                            <A href=href attr:class=if overdue { "badge badge-warn next-task" } else { "badge next-task" } attr:data-testid="head-next-task">
                                {tr(|l| td_string!(l, head_next_task))} " " {line}
                            </A>
                        }
                    })}
                    <Show when=move || waiting.get()>
                        <span class="badge badge-warn" data-testid="unsynced">{tr(|l| td_string!(l, waiting_to_sync))}</span>
                    </Show>
                </p>
                <nav class="actions record-actions" aria-label=move || td_string!(i18n.get_locale(), record_actions)>
                    <A href=crate::app::paths::href(&form_href(&c.id, Entity::Visits, None)) attr:class="button" attr:data-testid="new-visit">{tr(|l| td_string!(l, new_visit))}</A>
                    <A href=crate::app::paths::href(&form_href(&c.id, Entity::Tickets, None)) attr:class="button" attr:data-testid="new-ticket">{tr(|l| td_string!(l, new_ticket))}</A>
                    <A href=crate::app::paths::href(&form_href(&c.id, Entity::Opportunities, None)) attr:class="button" attr:data-testid="new-opportunity">{tr(|l| td_string!(l, new_opportunity))}</A>
                    <A href=crate::app::paths::href(&form_href(&c.id, Entity::Surveys, None)) attr:class="button secondary" attr:data-testid="new-survey">{tr(|l| td_string!(l, new_survey))}</A>
                    <A href=crate::app::paths::href(&form_href(&c.id, Entity::Contacts, None)) attr:class="button secondary" attr:data-testid="new-contact">{tr(|l| td_string!(l, new_contact))}</A>
                </nav>
                <SectionNav id=c.id.clone() counts />
            </header>
            <crate::app::ui::problems::CustomerProblems customer=c.id.clone() />
            <Insights id=c.id.clone() />
            <Trend id=c.id.clone() />
            <Timeline id=c.id.clone() />
            <Tasks customer=c.id.clone() tasks=s.tasks.clone() visits=s.visits.clone() />
            <Opportunities opportunities=s.opportunities.clone() />
            <Orders orders=s.orders.clone() />
            <Invoices customer=c.id.clone() invoices=s.invoices.clone() tasks=s.tasks.clone() />
            <Tickets customer=c.id.clone() tickets=s.tickets.clone() tasks=s.tasks.clone() />
            <Surveys surveys=s.surveys />
            <Visits customer=c.id.clone() visits=s.visits.clone() tasks=s.tasks.clone() />
            <Contacts customer=c.id.clone() contacts=s.contacts.clone() />
            <Profile customer=s.customer.clone() parent=s.parent.clone() distributes=s.distributes.clone() />
        </article>
    }
}

/// How many records each section of the page holds (shown beside its name in [`SectionNav`]).
#[derive(Clone, Copy)]
struct SectionCounts {
    tasks: usize,
    opportunities: usize,
    orders: usize,
    tickets: usize,
    visits: usize,
    contacts: usize,
}

/// The page's sections, each one tap (or Tab and Enter) away: links to the sections' headings
/// (focusable, `tabindex=-1`), which scroll into view below the sticky header (`scroll-margin-top`
/// in the stylesheet); the URL keeps the section, so back and reload return to it.
#[component]
fn SectionNav(id: String, counts: SectionCounts) -> impl IntoView {
    let i18n = use_i18n();
    let page = crate::app::paths::href(&customer_href(&id));
    let link = move |target: &'static str, name: fn(Locale) -> &'static str, count: Option<usize>| {
        let href = format!("{page}#{target}");
        view! {
            // The keyboard's focus goes with the eye: Tab goes on inside the section.
            <a href=href data-testid=format!("jump-{target}") on:click=move |_| { crate::shell::page::focus_element(target); }>
                {move || name(i18n.get_locale())}
                {count.map(|n| view! { <span class="count">{n}</span> })}
            </a>
        }
    };
    view! {
        <nav class="section-nav" aria-label=move || td_string!(i18n.get_locale(), customer_sections) data-testid="section-nav">
            {link("h-insights", |l| td_string!(l, tab_overview), None)}
            {link("h-tasks", |l| td_string!(l, section_tasks), Some(counts.tasks))}
            {link("h-opportunities", |l| td_string!(l, section_opportunities), Some(counts.opportunities))}
            {link("h-orders", |l| td_string!(l, tab_orders), Some(counts.orders))}
            {link("h-tickets", |l| td_string!(l, tab_service), Some(counts.tickets))}
            {link("h-visits", |l| td_string!(l, section_visits), Some(counts.visits))}
            {link("h-contacts", |l| td_string!(l, section_contacts), Some(counts.contacts))}
            {link("h-profile", |l| td_string!(l, section_profile), None)}
        </nav>
    }
}

/// The order-gap warning in the header, short ("No order for 120 days"); its numbers and
/// reasoning are in the analysis card.
#[component]
fn GapBadge(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let Some(an) = crate::app::analytics::use_analytics() else { return ().into_any() };
    (move || {
        let l = i18n.get_locale();
        let gap = app.workspace.with(|w| {
            let i = w.customer_index(&id)?;
            an.analysis.with(|a| a.rows.get(i)?.gap.filter(|g| g.fires))
        })?;
        let days = labels::days(l, gap.days_since_last as usize);
        Some(view! {
            <span class="badge badge-warn" data-testid="head-warning">{fill(td_string!(l, head_gap), &[("days", &days)])}</span>
        })
    })
    .into_any()
}

/// What the analysis says about this customer: RFM, ABC and lifecycle badges with the strategy
/// the stage calls for, the order-gap warning with its numbers, P(alive), and the 7P scorecard.
#[component]
fn Insights(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let Some(an) = crate::app::analytics::use_analytics() else { return ().into_any() };
    (move || {
        let l = i18n.get_locale();
        let as_of = an.as_of.get();
        let params = match an.fit.get() {
            crate::app::analytics::FitState::Done { fit, .. } => Some(fit.params),
            _ => None,
        };
        app.workspace.with(|w| {
            let i = w.customer_index(&id)?;
            let c = w.data.customers.get(i)?;
            an.analysis.with(|a| {
                let row = a.rows.get(i)?;
                let ch = w.children(i);
                let oa = crate::core::analytics::orders::order_analytics(c, ch.orders.iter().filter_map(|&k| w.data.orders.get(k)), as_of);
                let card = crate::core::analytics::scorecard::scorecard(c, ch.contacts.iter().filter_map(|&k| w.data.contacts.get(k)), &oa, Some((a, i)))
                    .with_pipeline(ch.opportunities.iter().filter_map(|&k| w.data.opportunities.get(k)));
                let alive = params.and_then(|p| crate::core::analytics::bgnbd::Summary::from_row(row, as_of).and_then(|s| crate::core::analytics::bgnbd::p_alive(&p, s)));
                let model = model_numbers(l, row, as_of, params, an.config.with(|c| c.horizon_weeks), c.currency);
                let voice = {
                    use crate::core::analytics::satisfaction::{customer_complaints, customer_satisfaction};
                    let s = customer_satisfaction(w, i, as_of);
                    fill(td_string!(l, customer_satisfaction), &[
                        ("csat", &opt(s.csat(), pct)),
                        ("csat_n", &labels::answers(l, s.csat_answers as usize)),
                        ("nps", &opt(s.nps(), |n| format!("{n:+.0}"))),
                        ("nps_n", &labels::answers(l, s.nps_answers as usize)),
                        ("complaints", &labels::complaints(l, customer_complaints(w, i, as_of) as usize)),
                    ])
                };
                let segment = a.segment_key(i).map(|k| labels::rfm_segment(l, k));
                let scores = row.scores.map(|s| format!("R{} F{} M{}", s.r, s.f, s.m));
                // Its currency has no rate: no M score, no ABC class (said, not left blank).
                let no_rate = row.no_rate.then(|| fill(td_string!(l, fx_no_rate_hint), &[("currency", c.currency.as_str())]));
                let warning = row.gap.filter(|g| g.fires).map(|g| {
                    let days = labels::days(l, g.days_since_last as usize);
                    // The work the warning calls for, as a task: the stage's strategy, named.
                    let what = format!("{} — {}", labels::strategy(l, row.stage.strategy()), fill(td_string!(l, head_gap), &[("days", &days)]));
                    let warning_task = format!("{}?warning={}", form_href(&c.id, Entity::Tasks, None), crate::app::paths::encode(&what));
                    let (usual, k) = (labels::days(l, g.median_gap.round() as usize), format!("{:.1}", g.k));
                    view! {
                        <p class="warning" role="note" data-testid="churn-warning">
                            <strong>{td_string!(l, churn_warning)}</strong> " "
                            {fill(td_string!(l, gap_reason), &[("days", &days), ("usual", &usual)])}
                            " (k = " {k} ")" " "
                            <A href=crate::app::paths::href(&warning_task) attr:class="link-button" attr:data-testid="task-from-warning">{td_string!(l, task_from_here)}</A>
                        </p>
                    }
                });
                let cur = c.currency;
                let cp = &card;
                let seven = [
                    (td_string!(l, p_profiling), format!("{} · {}", pct(cp.profiling.completeness), labels::contacts(l, cp.profiling.contacts as usize))),
                    (td_string!(l, p_persistency), format!("{} · {}", opt(cp.persistency.tenure_days, |d| labels::days(l, d as usize)), opt(cp.persistency.orders_per_month, |x| format!("{x:.2} / {}", td_string!(l, month))))),
                    (td_string!(l, p_profitability), format!("{} · {}", opt(cp.profitability.margin, |m| m.format(cur)), opt(cp.profitability.margin_rate, pct))),
                    (td_string!(l, p_performance), format!("{} · {}", cp.performance.trailing_12m.format(cur), opt(cp.performance.growth_12m, signed_pct))),
                    (td_string!(l, p_prospecting), {
                        let mut text = format!("{} · {}", opt(cp.prospecting.share_of_wallet, pct), opt(cp.prospecting.headroom, |m| m.format(cur)));
                        for p in &cp.prospecting.open_pipeline {
                            text.push_str(" · ");
                            text.push_str(&fill_count(td_string!(l, p_open_pipeline_one), td_string!(l, p_open_pipeline), p.deals as usize, &[("amount", &p.amount.format(p.currency)), ("weighted", &p.weighted.format(p.currency))]));
                        }
                        text
                    }),
                    (td_string!(l, p_product), format!("{} · {}", cp.product.categories, cp.product.top_category.clone().unwrap_or_else(|| NONE.into()))),
                    (td_string!(l, p_promotion), td_string!(l, p_no_campaigns).to_string()),
                ]
                .into_iter()
                .map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> })
                .collect_view();
                Some(view! {
                    <section class="card insights" aria-labelledby="h-insights" data-testid="insights">
                        <h2 id="h-insights" tabindex="-1">{td_string!(l, insights_title)}</h2>
                        <p class="badges">
                            {segment.map(|s| view! { <span class="badge" data-testid="badge-segment">{s}</span> })}
                            {scores.map(|s| view! { <span class="badge">{s}</span> })}
                            {row.abc.map(|x| view! { <span class="badge" data-testid="badge-abc">{labels::abc(l, x)}</span> })}
                            {no_rate.clone().map(|hint| view! { <span class="badge badge-warn" data-testid="badge-no-rate" title=hint>{format!("M {NONE} · ABC {NONE}")}</span> })}
                            <span class="badge" data-testid="badge-stage">{labels::lifecycle(l, row.stage)}</span>
                            {alive.map(|p| view! { <span class="badge">{format!("P(alive) {}", pct(p))}</span> })}
                        </p>
                        {no_rate.map(|hint| view! { <p class="hint" data-testid="no-rate-hint">{hint}</p> })}
                        <p class="strategy">{labels::strategy(l, row.stage.strategy())}</p>
                        {warning}
                        {model}
                        <p data-testid="customer-satisfaction">{voice}</p>
                        <h3>{td_string!(l, scorecard_title)}</h3>
                        <dl class="kv seven-p">{seven}</dl>
                    </section>
                })
            })
        })
    })
    .into_any()
}

/// P(alive), expected orders and CLV over the horizon with the numbers behind them (the BG/NBD
/// inputs and the average margin per order), once the model is fitted.
fn model_numbers(
    l: Locale,
    row: &crate::core::analytics::CustomerRow,
    as_of: crate::core::model::Date,
    params: Option<crate::core::analytics::bgnbd::Params>,
    horizon: f64,
    cur: crate::core::model::Currency,
) -> Option<AnyView> {
    use crate::core::analytics::bgnbd::{Summary, predict_row};
    let (p, s) = (params?, Summary::from_row(row, as_of)?);
    let pr = predict_row(row, as_of, &p, horizon)?;
    let weeks = format!("{horizon:.0}");
    let orders = opt(pr.expected_orders, |e| format!("{e:.2}"));
    let margin = row.margin_per_order().map(|m| crate::core::model::Money(m.round() as i64).format(cur));
    let clv = match (pr.clv, &margin) {
        (Some(v), Some(m)) => format!("{} = {orders} × {m}", v.format(cur)),
        _ => td_string!(l, clv_no_margin).to_string(),
    };
    let numbers = fill(
        td_string!(l, model_inputs),
        &[("x", &s.x.to_string()), ("tx", &format!("{:.1}", s.t_x)), ("t", &format!("{:.1}", s.t))],
    );
    Some(view! {
        <dl class="kv" data-testid="customer-model">
            <dt>"P(alive)"</dt><dd>{opt(pr.p_alive, pct)}</dd>
            <dt>{fill(td_string!(l, expected_orders_next), &[("weeks", &weeks)])}</dt><dd data-testid="expected-orders">{orders}</dd>
            <dt>{fill(td_string!(l, clv_next), &[("weeks", &weeks)])}</dt><dd data-testid="clv">{clv}</dd>
        </dl>
        <p class="hint" data-testid="model-inputs">{numbers}</p>
    }
    .into_any())
}

/// Deletes the customer after an explicit confirmation (offline too, through the outbox).
#[component]
fn DeleteCustomer(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let asking = RwSignal::new(false);
    let failure = RwSignal::new(None::<crate::core::sync::local::SaveError>);
    let navigate = leptos_router::hooks::use_navigate();
    let confirm = move |_| {
        let id = id.clone();
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let seen = app.workspace.with_untracked(|w| w.get(Entity::Customers, &id));
            match crate::app::session::save(app, crate::core::sync::outbox::Edit::Delete(Entity::Customers, id), seen)
                .await
            {
                Ok(()) => navigate("/customers", Default::default()),
                Err(e) => failure.set(Some(e)),
            }
        });
    };
    view! {
        <button class="secondary" data-testid="delete-customer" on:click=move |_| asking.set(true)>{tr(|l| td_string!(l, delete))}</button>
        <Show when=move || asking.get()>
            <div class="confirm" role="alertdialog" aria-labelledby="confirm-delete">
                <p id="confirm-delete">{tr(|l| td_string!(l, delete_customer_confirm))}</p>
                <div class="actions">
                    <button class="danger" data-testid="confirm-delete" on:click=confirm.clone()>{tr(|l| td_string!(l, delete))}</button>
                    <button class="secondary" on:click=move |_| asking.set(false)>{tr(|l| td_string!(l, cancel))}</button>
                </div>
            </div>
        </Show>
        <p class="error" role="alert">{move || failure.get().map(|e| crate::app::ui::labels::save_error(i18n.get_locale(), &e))}</p>
    }
}

fn link_to((id, name): (String, Option<String>)) -> AnyView {
    match name {
        Some(name) => {
            view! { <A href=crate::app::paths::href(&customer_href(&id))><labels::Name text=name /></A> }.into_any()
        }
        None => view! { <bdi>{id}</bdi> }.into_any(),
    }
}

#[component]
fn Profile(
    customer: Customer,
    parent: Option<(String, Option<String>)>,
    distributes: Vec<(String, Option<String>)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let c = customer;
    let distributor_of = if distributes.is_empty() {
        view! { <span>{NONE}</span> }.into_any()
    } else {
        let items = distributes.into_iter().map(|d| view! { <li>{link_to(d)}</li> }).collect_view();
        view! { <ul class="plain">{items}</ul> }.into_any()
    };
    let owner = if c.in_shared_pool() {
        view! { <span class="badge badge-pool">{tr(|l| td_string!(l, shared_pool))}</span> }.into_any()
    } else {
        view! { <span>{c.owner.clone().unwrap_or_default()}</span> }.into_any()
    };
    let terms = c.payment_terms_days;
    view! {
        <section class="card" aria-labelledby="h-profile">
            <h2 id="h-profile" tabindex="-1">{tr(|l| td_string!(l, section_profile))}</h2>
            <dl class="profile">
                <dt>{tr(|l| td_string!(l, field_short_name))}</dt>
                <dd>{text_or_none(&c.short_name)}</dd>
                <dt>{tr(|l| td_string!(l, field_industry))}</dt>
                <dd>{text_or_none(&c.industry)}</dd>
                <dt>{tr(|l| td_string!(l, field_country))}</dt>
                <dd>{text_or_none(&c.country)}</dd>
                <dt>{tr(|l| td_string!(l, field_address))}</dt>
                <dd>{text_or_none(&c.address)}</dd>
                <dt>{tr(|l| td_string!(l, field_owner))}</dt>
                <dd>{owner}</dd>
                <dt>{tr(|l| td_string!(l, field_account_team))}</dt>
                <dd>{text_or_none(&c.team.join(", "))}</dd>
                <dt>{tr(|l| td_string!(l, field_tags))}</dt>
                <dd class="tags">
                    {c.tags.iter().map(|t| view! { <span class="chip">{t.clone()}</span> }).collect_view()}
                </dd>
                <dt>{tr(|l| td_string!(l, field_credit_limit))}</dt>
                <dd>{opt_money(c.credit_limit, c.currency)}</dd>
                <dt>{tr(|l| td_string!(l, field_payment_terms))}</dt>
                <dd>{move || {
                    let l = i18n.get_locale();
                    fill_count(td_string!(l, payment_terms_days_one), td_string!(l, payment_terms_days), terms as usize, &[("days", &terms.to_string())])
                }}</dd>
                <dt>{tr(|l| td_string!(l, field_potential_spend))}</dt>
                <dd>{opt_money(c.potential_annual_spend, c.currency)}</dd>
                <dt>{tr(|l| td_string!(l, field_parent))}</dt>
                <dd>{parent.map(link_to).unwrap_or_else(|| view! { <span>{NONE}</span> }.into_any())}</dd>
                <dt>{tr(|l| td_string!(l, field_distributor_of))}</dt>
                <dd>{distributor_of}</dd>
                <dt>{tr(|l| td_string!(l, field_created))}</dt>
                <dd>{datetime(c.created_at)}</dd>
                <dt>{tr(|l| td_string!(l, field_updated))}</dt>
                <dd>{datetime(c.updated_at)}</dd>
            </dl>
        </section>
    }
}

/// A titled section that shows "nothing recorded" when empty.
#[component]
fn Section(id: &'static str, title: Signal<String>, empty: bool, children: Children) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby=id data-section=id>
            <h2 id=id tabindex="-1">{move || title.get()}</h2>
            {if empty {
                view! { <p class="empty">{tr(|l| td_string!(l, no_records))}</p> }.into_any()
            } else {
                view! { <div class="table-wrap">{children()}</div> }.into_any()
            }}
        </section>
    }
}

#[component]
fn Contacts(customer: String, contacts: Vec<Contact>) -> impl IntoView {
    let i18n = use_i18n();
    let empty = contacts.is_empty();
    let title = Signal::derive(move || td_string!(i18n.get_locale(), section_contacts).to_string());
    let cards = contacts
        .into_iter()
        .map(|p| {
            let tel = |n: &str| {
                (!n.is_empty()).then(|| {
                    let href = format!("tel:{}", n.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect::<String>());
                    view! { <a class="tap" href=href>{n.to_string()}</a> }
                })
            };
            let mail = (!p.email.is_empty()).then(|| match crate::app::ui::format::mailto(&p.email) {
                Some(href) => view! { <a class="tap" href=href>{p.email.clone()}</a> }.into_any(),
                None => view! { <span class="tap">{p.email.clone()}</span> }.into_any(),
            });
            let role = [p.title.as_str(), p.department.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(" · ");
            view! {
                <li class="contact">
                    <strong><labels::Name text=p.name.clone() /></strong>
                    {p.primary.then(|| view! { <span class="badge">{tr(|l| td_string!(l, contact_primary))}</span> })}
                    <span class="sub">{role}</span>
                    <span class="links">{tel(&p.phone)} {tel(&p.mobile)} {mail}</span>
                    <A href=crate::app::paths::href(&form_href(&customer, Entity::Contacts, Some(&p.id))) attr:class="tap">{tr(|l| td_string!(l, edit))}</A>
                </li>
            }
        })
        .collect_view();
    view! {
        <Section id="h-contacts" title empty>
            <ul class="contacts">{cards}</ul>
        </Section>
    }
}

#[component]
fn Orders(orders: Vec<Order>) -> impl IntoView {
    let i18n = use_i18n();
    let empty = orders.is_empty();
    let title = Signal::derive(move || td_string!(i18n.get_locale(), section_orders).to_string());
    let rows = move || {
        let l = i18n.get_locale();
        orders
            .iter()
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
                        <th scope="col">{tr(|l| td_string!(l, col_date))}</th>
                        <th scope="col">{tr(|l| td_string!(l, col_order))}</th>
                        <th scope="col">{tr(|l| td_string!(l, col_status))}</th>
                        <th scope="col" class="num">{tr(|l| td_string!(l, col_amount))}</th>
                        <th scope="col" class="num">{tr(|l| td_string!(l, col_margin))}</th>
                        <th scope="col" class="num">{tr(|l| td_string!(l, col_lines))}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </Section>
    }
}

#[component]
fn Invoices(customer: String, invoices: Vec<Invoice>, tasks: Vec<Task>) -> impl IntoView {
    let i18n = use_i18n();
    let today = crate::shell::clock::today();
    let empty = invoices.is_empty();
    let title = Signal::derive(move || td_string!(i18n.get_locale(), section_invoices).to_string());
    let rows = move || {
        let l = i18n.get_locale();
        invoices
            .iter()
            .map(|inv| {
                let days = inv.days_overdue(today);
                let overdue = if days > 0 {
                    fill_count(
                        td_string!(l, overdue_days_one),
                        td_string!(l, overdue_days),
                        days as usize,
                        &[("days", &days.to_string())],
                    )
                    .into_any()
                } else {
                    NONE.into_any()
                };
                let owed = inv.outstanding(today).minor() > 0;
                let task = (days > 0 && owed).then(|| follow_up_cell(l, &customer, "invoice", &inv.number, &tasks));
                view! {
                    <tr class:overdue=(days > 0)>
                        <td>{inv.number.clone()}</td>
                        <td>{inv.issue_date.to_string()}</td>
                        <td>{inv.due_date.to_string()}</td>
                        <td class="num">{inv.amount.format(inv.currency)}</td>
                        <td class="num">{inv.outstanding(today).format(inv.currency)}</td>
                        <td>{overdue}</td>
                        <td>{task}</td>
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
                        <th scope="col">{tr(|l| td_string!(l, col_invoice))}</th>
                        <th scope="col">{tr(|l| td_string!(l, col_issue_date))}</th>
                        <th scope="col">{tr(|l| td_string!(l, col_due_date))}</th>
                        <th scope="col" class="num">{tr(|l| td_string!(l, col_amount))}</th>
                        <th scope="col" class="num">{tr(|l| td_string!(l, col_outstanding))}</th>
                        <th scope="col">{tr(|l| td_string!(l, col_overdue))}</th>
                        <th scope="col"><span class="sr-only">{tr(|l| td_string!(l, section_tasks))}</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </Section>
    }
}

#[component]
fn Tickets(customer: String, tickets: Vec<ServiceTicket>, tasks: Vec<Task>) -> impl IntoView {
    let i18n = use_i18n();
    let now = crate::shell::clock::now();
    let empty = tickets.is_empty();
    let title = Signal::derive(move || td_string!(i18n.get_locale(), section_tickets).to_string());
    let rows = move || {
        let l = i18n.get_locale();
        tickets
            .iter()
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
                        <td>
                            {(tk.kind == TicketKind::Inquiry).then(|| deal_link(l, &customer, "ticket", &tk.id))}
                            {(breached && tk.status.is_open()).then(|| follow_up_cell(l, &customer, "ticket", &tk.id, &tasks))}
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
                        <th scope="col">{tr(|l| td_string!(l, col_opened))}</th>
                        <th scope="col">{tr(|l| td_string!(l, col_kind))}</th>
                        <th scope="col">{tr(|l| td_string!(l, col_stage))}</th>
                        <th scope="col">{tr(|l| td_string!(l, col_severity))}</th>
                        <th scope="col">{tr(|l| td_string!(l, col_status))}</th>
                        <th scope="col">{tr(|l| td_string!(l, col_title))}</th>
                        <th scope="col">{tr(|l| td_string!(l, col_sla_due))}</th>
                        <th scope="col"><span class="sr-only">{tr(|l| td_string!(l, new_opportunity))}</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </Section>
    }
}

#[component]
fn Visits(customer: String, visits: Vec<Visit>, tasks: Vec<Task>) -> impl IntoView {
    let i18n = use_i18n();
    let empty = visits.is_empty();
    let title = Signal::derive(move || td_string!(i18n.get_locale(), section_visits).to_string());
    let rows = move || {
        let l = i18n.get_locale();
        visits
            .iter()
            .map(|v| {
                let next = match v.next_step_date {
                    Some(d) if !v.next_step.is_empty() => format!("{} ({d})", v.next_step),
                    _ => text_or_none(&v.next_step),
                };
                view! {
                    <tr>
                        <td>{v.date.to_string()}</td>
                        <td>{labels::purpose(l, v.purpose)}</td>
                        <td>{text_or_none(&v.rep)}</td>
                        <td>{text_or_none(&v.outcome)}</td>
                        <td>{next}</td>
                        <td>
                            {deal_link(l, &customer, "visit", &v.id)}
                            {crate::core::tasks::visit_has_next_step(v).then(|| follow_up_cell(l, &customer, "visit", &v.id, &tasks))}
                        </td>
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
                        <th scope="col">{tr(|l| td_string!(l, col_date))}</th>
                        <th scope="col">{tr(|l| td_string!(l, col_purpose))}</th>
                        <th scope="col">{tr(|l| td_string!(l, col_rep))}</th>
                        <th scope="col">{tr(|l| td_string!(l, col_outcome))}</th>
                        <th scope="col">{tr(|l| td_string!(l, col_next_step))}</th>
                        <th scope="col"><span class="sr-only">{tr(|l| td_string!(l, new_opportunity))}</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </Section>
    }
}

/// The follow-up task of a record (`from` = `visit`, `invoice` or `ticket`): a link to it when it
/// exists, else a one-tap link to the task form prefilled from the record.
fn follow_up_cell(l: Locale, customer: &str, from: &str, id: &str, tasks: &[Task]) -> AnyView {
    if let Some(t) = crate::core::tasks::follow_up_of(tasks, id) {
        let href = crate::app::paths::href(&form_href(customer, Entity::Tasks, Some(&t.id)));
        let text = format!("{} · {}", td_string!(l, entity_tasks), labels::task_status(l, t.status));
        return view! { <A href=href attr:class="link-button" attr:data-testid=format!("task-of-{from}")>{text}</A> }
            .into_any();
    }
    let target = format!("{}?{from}={}", form_href(customer, Entity::Tasks, None), crate::app::paths::encode(id));
    view! {
        <A href=crate::app::paths::href(&target) attr:class="link-button" attr:data-testid=format!("task-from-{from}")>
            {td_string!(l, task_from_here)}
        </A>
    }
    .into_any()
}

/// The customer's tasks: open ones (soonest first) with a Done box each, then the done and
/// cancelled ones; a visit just saved with a next step offers its follow-up at the top (one tap).
#[component]
fn Tasks(customer: String, tasks: Vec<Task>, visits: Vec<Visit>) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let today = crate::shell::clock::today();
    let status = RwSignal::new(String::new());
    let open = tasks.iter().filter(|t| t.is_open()).count();
    let title = Signal::derive(move || {
        let l = i18n.get_locale();
        fill_count(
            td_string!(l, section_tasks_open_one),
            td_string!(l, section_tasks_open),
            open,
            &[("count", &open.to_string())],
        )
    });
    let query = leptos_router::hooks::use_query_map();
    let offer = {
        let (customer, tasks) = (customer.clone(), tasks.clone());
        move || {
            let id = query.with(|q| q.get("offer"))?;
            let v = visits.iter().find(|v| v.id == id && crate::core::tasks::visit_has_next_step(v))?.clone();
            if crate::core::tasks::follow_up_of(&tasks, &v.id).is_some() {
                return None;
            }
            let l = i18n.get_locale();
            let target =
                format!("{}?visit={}", form_href(&customer, Entity::Tasks, None), crate::app::paths::encode(&v.id));
            let when = v.next_step_date.map(|d| format!(" ({d})")).unwrap_or_default();
            Some(view! {
                <p class="notice" role="status" data-testid="task-offer">
                    {fill(td_string!(l, task_offer), &[("step", &v.next_step)])}{when}" "
                    <A href=crate::app::paths::href(&target) attr:class="button" attr:data-testid="task-offer-accept">{td_string!(l, task_offer_accept)}</A>
                </p>
            })
        }
    };
    let new_task = crate::app::paths::href(&form_href(&customer, Entity::Tasks, None));
    let rows = {
        let tasks = tasks.clone();
        move || {
            let l = i18n.get_locale();
            tasks
                .iter()
                .take(50)
                .map(|t| crate::app::ui::tasks::task_row(l, app, t, None, today, status))
                .collect_view()
        }
    };
    let empty = tasks.is_empty();
    view! {
        <section class="card" aria-labelledby="h-tasks" data-section="h-tasks" data-testid="customer-tasks">
            <div class="section-head">
                <h2 id="h-tasks" tabindex="-1">{move || title.get()}</h2>
                <A href=new_task attr:class="button" attr:data-testid="new-task">{tr(|l| td_string!(l, new_task))}</A>
            </div>
            {offer}
            <p class="sr-only" role="status" aria-live="polite" data-testid="task-status">{move || status.get()}</p>
            {if empty {
                view! { <p class="empty">{tr(|l| td_string!(l, no_tasks))}</p> }.into_any()
            } else {
                view! { <div class="table-wrap"><crate::app::ui::tasks::TaskTable testid="task-table">{rows}</crate::app::ui::tasks::TaskTable></div> }.into_any()
            }}
        </section>
    }
}

/// "New opportunity" from a visit report or an inquiry (`from` = `visit` or `ticket`), prefilled
/// from it.
fn deal_link(l: Locale, customer: &str, from: &str, id: &str) -> impl IntoView + use<> {
    let target =
        format!("{}?{from}={}", form_href(customer, Entity::Opportunities, None), crate::app::paths::encode(id));
    view! {
        <A href=crate::app::paths::href(&target) attr:class="link-button" attr:data-testid=format!("deal-from-{from}")>
            {td_string!(l, opportunity_from_here)}
        </A>
    }
}

/// The customer's deals: the open pipeline (stage, amount, probability, weighted amount, expected
/// close, owner, next step) and the won and lost ones with their outcome.
#[component]
fn Opportunities(opportunities: Vec<Opportunity>) -> impl IntoView {
    let i18n = use_i18n();
    let stages = use_app().stages;
    let empty = opportunities.is_empty();
    let title = Signal::derive(move || td_string!(i18n.get_locale(), section_opportunities).to_string());
    let rows = move || {
        let l = i18n.get_locale();
        let stages = stages.get();
        opportunities.iter().map(|o| deal_row(l, &stages, o, None, "opportunity-row")).collect_view()
    };
    view! {
        <Section id="h-opportunities" title empty>
            <DealTable>{rows}</DealTable>
        </Section>
    }
}

#[component]
fn Surveys(surveys: Vec<SurveyResponse>) -> impl IntoView {
    let i18n = use_i18n();
    let empty = surveys.is_empty();
    let title = Signal::derive(move || td_string!(i18n.get_locale(), section_surveys).to_string());
    let score = |v: Option<u8>| v.map(|s| s.to_string()).unwrap_or_else(|| NONE.to_string());
    let rows = surveys
        .iter()
        .map(|s| {
            view! {
                <tr>
                    <td>{s.date.to_string()}</td>
                    <td class="num">{score(s.csat)}</td>
                    <td class="num">{score(s.nps)}</td>
                    <td>{text_or_none(&s.comment)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <Section id="h-surveys" title empty>
            <table class="data">
                <thead>
                    <tr>
                        <th scope="col">{tr(|l| td_string!(l, col_date))}</th>
                        <th scope="col" class="num">{tr(|l| td_string!(l, col_csat))}</th>
                        <th scope="col" class="num">{tr(|l| td_string!(l, col_nps))}</th>
                        <th scope="col">{tr(|l| td_string!(l, col_comment))}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </Section>
    }
}

/// Quarterly sales of the last three years as bars with each quarter's value beside them (in a
/// table: visible, and read by screen readers instead of the picture), and the receivables:
/// open and overdue amounts, the aging buckets and the credit status.
#[component]
fn Trend(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let Some(an) = crate::app::analytics::use_analytics() else { return ().into_any() };
    live("trend", move || {
        let l = i18n.get_locale();
        let as_of = an.as_of.get();
        app.workspace.with(|w| {
            let Some(i) = w.customer_index(&id) else { return el("div") };
            let Some(c) = w.data.customers.get(i) else { return el("div") };
            let ch = w.children(i);
            let oa = crate::core::analytics::orders::order_analytics(
                c,
                ch.orders.iter().filter_map(|&k| w.data.orders.get(k)),
                as_of,
            );
            let quarters: Vec<_> = oa.quarters.iter().rev().take(12).rev().collect();
            let mut card = el("section")
                .class("card trend")
                .attr("aria-labelledby", "h-trend")
                .child(el("h2").attr("id", "h-trend").text(td_string!(l, trend_title)));
            if quarters.is_empty() {
                card = card.child(el("p").class("empty").text(td_string!(l, no_records)));
            } else {
                let max = quarters.iter().map(|q| q.revenue.0).max().unwrap_or(1).max(1) as f64;
                let (bw, h) = (40.0, 120.0);
                let width = bw * quarters.len() as f64;
                let mut chart = svg("svg")
                    .attr("viewBox", &format!("0 0 {width} {}", h + 20.0))
                    .attr("aria-hidden", "true")
                    .attr("data-testid", "trend-chart")
                    .class("bars");
                let mut rows = Vec::with_capacity(quarters.len());
                for (k, q) in quarters.iter().enumerate() {
                    let bh = (q.revenue.0.max(0) as f64 / max * h).max(1.0);
                    let x = k as f64 * bw;
                    let value = q.revenue.format(c.currency);
                    chart = chart
                        .child(
                            svg("rect")
                                .attr("x", &format!("{}", x + 6.0))
                                .attr("y", &format!("{}", h - bh))
                                .attr("width", &format!("{}", bw - 12.0))
                                .attr("height", &format!("{bh}"))
                                .child(svg("title").text(&format!("{}: {value}", q.period))),
                        )
                        .child(
                            svg("text")
                                .attr("x", &format!("{}", x + bw / 2.0))
                                .attr("y", &format!("{}", h + 14.0))
                                .attr("text-anchor", "middle")
                                .text(&q.period.to_string().replace("-Q", " Q").chars().skip(2).collect::<String>()),
                        );
                    rows.push(
                        el("tr")
                            .child(el("th").attr("scope", "row").text(&q.period.to_string()))
                            .child(el("td").class("num").text(&value)),
                    );
                }
                let table = el("table").class("data compact").attr("data-testid", "trend-table").child(
                    el("thead").child(
                        el("tr")
                            .child(el("th").attr("scope", "col").text(td_string!(l, col_quarter)))
                            .child(el("th").attr("scope", "col").class("num").text(td_string!(l, col_revenue))),
                    ),
                );
                card = card
                    .child(el("div").class("trend-body").child(chart).child(table.child(el("tbody").children(rows))));
            }
            let rc = an.receivables.with(|r| r.customers.get(i).cloned());
            if let Some(r) = rc {
                let cur = c.currency;
                let credit = match (r.credit_limit, r.over_limit) {
                    (None, _) => td_string!(l, credit_no_limit).to_string(),
                    (Some(_), true) => td_string!(l, credit_over).to_string(),
                    (Some(lim), false) => fill(
                        td_string!(l, credit_within),
                        &[("limit", &lim.format(cur)), ("used", &opt(r.utilisation, pct))],
                    ),
                };
                let line = fill(
                    td_string!(l, receivables_line),
                    &[
                        ("open", &r.aging.outstanding.format(cur)),
                        ("overdue", &r.aging.overdue.format(cur)),
                        ("days", &labels::days(l, r.aging.max_days_overdue.max(0) as usize)),
                    ],
                );
                card = card.child(el("h3").attr("id", "h-aging").text(td_string!(l, receivables_title)));
                card = card.child(
                    el("p")
                        .class(if r.over_limit || r.aging.overdue.0 > 0 { "warning" } else { "sub" })
                        .attr("data-testid", "receivables")
                        .text(&line)
                        .text(" · ")
                        .text(&credit),
                );
                let mut body = Vec::new();
                for b in crate::core::analytics::receivables::AgingBucket::ALL {
                    let amount = r.aging.buckets.get(*b as usize).copied().unwrap_or_default();
                    let late = *b != crate::core::analytics::receivables::AgingBucket::Current && amount.0 > 0;
                    body.push(
                        el("tr")
                            .child(el("th").attr("scope", "row").text(labels::aging(l, *b)))
                            .child(el("td").class(if late { "num bad" } else { "num" }).text(&amount.format(cur))),
                    );
                }
                body.push(
                    el("tr")
                        .class("total")
                        .child(el("th").attr("scope", "row").text(td_string!(l, col_outstanding)))
                        .child(el("td").class("num").text(&r.aging.outstanding.format(cur))),
                );
                card = card.child(
                    el("table")
                        .class("data compact aging")
                        .attr("aria-labelledby", "h-aging")
                        .attr("data-testid", "aging")
                        .child(
                            el("thead").child(
                                el("tr")
                                    .child(el("th").attr("scope", "col").text(td_string!(l, col_aging)))
                                    .child(el("th").attr("scope", "col").class("num").text(td_string!(l, col_amount))),
                            ),
                        )
                        .child(el("tbody").children(body)),
                );
            }
            card
        })
    })
    .into_any()
}

/// Tickets, visits and surveys on one timeline, newest first, each linking to its form.
#[component]
fn Timeline(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    live("timeline", move || {
        let l = i18n.get_locale();
        let now = crate::shell::clock::now();
        app.workspace.with(|w| {
            let Some(i) = w.customer_index(&id) else { return el("div") };
            let ch = w.children(i);
            // (sort key, element)
            let mut items: Vec<(i64, El)> = Vec::new();
            let day =
                |d: crate::core::model::Date| d.and_hms_opt(12, 0, 0).map(|t| t.and_utc().timestamp()).unwrap_or(0);
            for &k in &ch.tickets {
                let Some(t) = w.data.tickets.get(k) else { continue };
                let mut li = el("li")
                    .class("t-ticket")
                    .child(el("time").text(&datetime(t.opened_at)))
                    .child(el("span").class("badge").text(labels::ticket_kind(l, t.kind)))
                    .child(el("span").class("badge").text(labels::ticket_status(l, t.status)));
                if t.sla_breached(now) {
                    li = li.child(el("span").class("badge badge-warn").text(td_string!(l, sla_breached)));
                }
                li =
                    li.child(El::link(&form_href(&id, Entity::Tickets, Some(&t.id)), &labels::shown_name(l, &t.title)));
                if !t.photos.is_empty() {
                    li = li.child(el("span").class("sub").text(&format!(" · 📷 {}", t.photos.len())));
                }
                items.push((t.opened_at.timestamp(), li));
            }
            for &k in &ch.visits {
                let Some(v) = w.data.visits.get(k) else { continue };
                let text = if v.outcome.trim().is_empty() {
                    labels::purpose(l, v.purpose).to_string()
                } else {
                    format!("{} — {}", labels::purpose(l, v.purpose), v.outcome)
                };
                let li = el("li")
                    .class("t-visit")
                    .child(el("time").text(&v.date.to_string()))
                    .child(el("span").class("badge").text(td_string!(l, entity_visits)))
                    .child(El::link(&form_href(&id, Entity::Visits, Some(&v.id)), &text))
                    .child(el("span").class("sub").text(&format!(" · {}", v.rep)));
                items.push((day(v.date), li));
            }
            for &k in &ch.surveys {
                let Some(s) = w.data.surveys.get(k) else { continue };
                let score = [s.csat.map(|x| format!("CSAT {x}")), s.nps.map(|x| format!("NPS {x}"))]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" · ");
                let li = el("li")
                    .class("t-survey")
                    .child(el("time").text(&s.date.to_string()))
                    .child(el("span").class("badge").text(td_string!(l, entity_surveys)))
                    .child(El::link(&form_href(&id, Entity::Surveys, Some(&s.id)), &score))
                    .child(el("span").class("sub").text(&format!(" {}", s.comment)));
                items.push((day(s.date), li));
            }
            items.sort_by_key(|(t, _)| std::cmp::Reverse(*t));
            let mut card = el("section")
                .class("card")
                .attr("aria-labelledby", "h-timeline")
                .child(el("h2").attr("id", "h-timeline").text(td_string!(l, timeline_title)));
            if items.is_empty() {
                return card.child(el("p").class("empty").text(td_string!(l, no_records)));
            }
            let mut ul = el("ul").class("timeline").attr("data-testid", "timeline");
            for (_, li) in items.into_iter().take(100) {
                ul = ul.child(li);
            }
            card = card.child(ul);
            card
        })
    })
}
