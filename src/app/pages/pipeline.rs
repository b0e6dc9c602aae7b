//! The pipeline at `/pipeline`: the board by stage — each column with its count, amount and
//! weighted amount; a card moves to another stage with its stage picker, by tap or keyboard (no
//! drag) — the list (`?view=list`), or the forecast (`?view=forecast&by=owner|region|category`:
//! by close month, win rates and cycle times per rep, stuck deals, region plans); each narrowed by
//! the filter in the URL (owner, team member, region, stage, close month, text), like the customer
//! list's. Amounts are in the workspace's reporting currency where rates allow, else per currency.
//!
//! A move is an ordinary edit (history, probability and outcome date from
//! `Opportunity::move_to`), saved through the outbox, so it works offline. A move the deal cannot
//! take as it is (won without an amount, lost without a reason) opens its form at that stage.

use crate::app::i18n::*;
use crate::app::paths::form_href;
use crate::app::state::use_app;
use crate::app::ui::deals::{DealTable, deal_row};
use crate::app::ui::dom::{fill, fill_count};
use crate::app::ui::format::{NONE, opt, text_or_none};
use crate::app::ui::labels;
use crate::core::analytics::forecast::{self, Dimension, Forecast, ForecastConfig};
use crate::core::model::{Entity, LOST, Money, Opportunity, Stages};
use crate::core::pipeline::{self, Column, PipelineFilter, PipelineView, Totals};
use crate::core::record::Record;
use crate::core::sync::outbox::Edit;
use crate::core::validate::Validate;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use std::collections::BTreeSet;

/// Cards shown per column (the list shows every deal of a column's filter).
const CARDS: usize = 40;
/// Rows the list shows.
const ROWS: usize = 300;

#[component]
pub fn PipelinePage() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query.with(|q| {
            let pairs: Vec<(String, String)> = q.clone().into_iter().map(|(k, v)| (k.to_string(), v)).collect();
            PipelineFilter::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        })
    });
    // The workspace's stages: the board, the pickers and the views follow an edit in Settings.
    let stages = app.stages;
    let an = crate::app::analytics::use_analytics();
    let today = crate::shell::clock::today();
    let items = Memo::new(move |_| {
        filter.with(|f| {
            app.workspace.with(|w| match (f.segment.is_some(), an) {
                (true, Some(an)) => an.analysis.with(|a| pipeline::filter(w, f, Some(a))),
                _ => pipeline::filter(w, f, None),
            })
        })
    });
    let segments = Memo::new(move |_| an.map(|a| a.analysis.with(|a| a.segments.clone())).unwrap_or_default());
    let columns = Memo::new(move |_| {
        let table = an.map(|an| an.config.with(|c| c.fx.table()));
        stages.with(|s| items.with(|i| app.workspace.with(|w| pipeline::board(w, i, s, table.as_ref(), today))))
    });
    // The choices of the filter's pickers, from every deal.
    let choices = Memo::new(move |_| {
        app.workspace.with(|w| {
            let mut owners = BTreeSet::new();
            let mut regions = BTreeSet::new();
            let mut months = BTreeSet::new();
            for o in &w.data.opportunities {
                for p in std::iter::once(&o.owner).chain(o.team.iter()) {
                    if !p.trim().is_empty() {
                        owners.insert(p.trim().to_string());
                    }
                }
                if let Some(c) = w.customer(&o.customer_id).filter(|c| !c.region.trim().is_empty()) {
                    regions.insert(c.region.clone());
                }
                if let Some(d) = if o.is_open() { o.expected_close } else { o.closed_on } {
                    months.insert(pipeline::month_of(d));
                }
            }
            (
                owners.into_iter().collect::<Vec<_>>(),
                regions.into_iter().collect::<Vec<_>>(),
                months.into_iter().collect::<Vec<_>>(),
            )
        })
    });
    let navigate = use_navigate();
    let go = {
        let navigate = navigate.clone();
        move |f: PipelineFilter| {
            navigate(
                &format!("/pipeline{}", f.query()),
                NavigateOptions { replace: true, scroll: false, ..Default::default() },
            )
        }
    };
    let status = RwSignal::new(String::new());
    let total = move || items.with(Vec::len);
    let picker = {
        let go = go.clone();
        move |name: &'static str, label: fn(Locale) -> &'static str, options: Signal<Vec<(String, String)>>| {
            let go = go.clone();
            let current = move || {
                filter
                    .with(|f| match name {
                        "owner" => f.owner.clone(),
                        "team" => f.team.clone(),
                        "region" => f.region.clone(),
                        "segment" => f.segment.clone(),
                        "stage" => f.stage.clone(),
                        _ => f.close.clone(),
                    })
                    .unwrap_or_default()
            };
            let id = format!("pf-{name}");
            view! {
                <div class="field">
                    <label for=id.clone()>{tr(label)}</label>
                    <select id=id data-testid=format!("pipeline-{name}") prop:value=current on:change=move |ev| {
                        let v = event_target_value(&ev);
                        let v = (!v.is_empty()).then_some(v);
                        let mut f = filter.get_untracked();
                        match name {
                            "owner" => f.owner = v,
                            "team" => f.team = v,
                            "region" => f.region = v,
                            "segment" => f.segment = v,
                            "stage" => f.stage = v,
                            _ => f.close = v,
                        }
                        go(f);
                    }>
                        <option value="">{tr(|l| td_string!(l, filter_any))}</option>
                        {move || options.get().into_iter().map(|(v, text)| {
                            let selected = current() == v;
                            view! { <option value=v selected=selected>{text}</option> }
                        }).collect_view()}
                    </select>
                </div>
            }
        }
    };
    let people = Signal::derive(move || choices.with(|c| c.0.iter().map(|p| (p.clone(), p.clone())).collect()));
    let regions = Signal::derive(move || choices.with(|c| c.1.iter().map(|p| (p.clone(), p.clone())).collect()));
    let months = Signal::derive(move || choices.with(|c| c.2.iter().map(|p| (p.clone(), p.clone())).collect()));
    let segment_options = Signal::derive(move || {
        let l = i18n.get_locale();
        segments
            .get()
            .into_iter()
            .map(|k| {
                let t = labels::rfm_segment(l, &k);
                (k, t)
            })
            .collect()
    });
    let stage_options = Signal::derive(move || {
        let l = i18n.get_locale();
        stages.with(|st| st.0.iter().map(|s| (s.id.clone(), labels::opp_stage(l, st, &s.id))).collect())
    });
    let on_search = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let mut f = filter.get_untracked();
            f.q = event_target_value(&ev);
            go(f);
        }
    };
    let view_link = move |v: PipelineView| {
        let mut f = filter.get();
        f.view = (v != PipelineView::Board).then_some(v);
        crate::app::paths::href(&format!("/pipeline{}", f.query()))
    };
    let current = move || filter.with(|f| f.view.unwrap_or(PipelineView::Board));
    let body = move || {
        let stages = stages.get();
        match current() {
            PipelineView::List => view! { <DealList items stages /> }.into_any(),
            PipelineView::Forecast => view! { <ForecastView items filter stages /> }.into_any(),
            PipelineView::Board => view! { <Board columns filter stages status /> }.into_any(),
        }
    };
    let tab = move |v: PipelineView, label: fn(Locale) -> &'static str| {
        view! {
            <A href=move || view_link(v) attr:class=move || if current() == v { "button" } else { "button secondary" } attr:aria-current=move || (current() == v).then_some("page") attr:data-testid=format!("pipeline-{}-view", v.as_str())>{tr(label)}</A>
        }
    };
    view! {
        <section class="page pipeline-page">
            <div class="page-head">
                <h1>{tr(|l| td_string!(l, pipeline_title))}</h1>
                <nav class="actions" aria-label=move || td_string!(i18n.get_locale(), pipeline_views)>
                    {tab(PipelineView::Board, |l| td_string!(l, pipeline_board))}
                    {tab(PipelineView::List, |l| td_string!(l, pipeline_list))}
                    {tab(PipelineView::Forecast, |l| td_string!(l, pipeline_forecast))}
                </nav>
            </div>
            <form class="filters pipeline-filters" role="search" on:submit=|ev| ev.prevent_default()>
                <div class="field">
                    <label for="pf-q">{tr(|l| td_string!(l, pipeline_search))}</label>
                    <input id="pf-q" type="search" data-testid="pipeline-search" prop:value=move || filter.with(|f| f.q.clone()) on:change=on_search />
                </div>
                {picker("owner", |l| td_string!(l, col_owner), people)}
                {picker("team", |l| td_string!(l, field_team), people)}
                {picker("region", |l| td_string!(l, col_region), regions)}
                {picker("segment", |l| td_string!(l, filter_segment), segment_options)}
                {picker("stage", |l| td_string!(l, col_stage), stage_options)}
                {picker("close", |l| td_string!(l, col_close), months)}
            </form>
            <p class="sub" data-testid="pipeline-count">
                {move || {
                    let l = i18n.get_locale();
                    let n = total();
                    fill_count(td_string!(l, pipeline_count_one), td_string!(l, pipeline_count), n, &[])
                }}
            </p>
            <p class="sr-only" role="status" aria-live="polite" data-testid="pipeline-status">{move || status.get()}</p>
            {body}
        </section>
    }
}

/// An amount of several currencies: the reporting-currency sum when there is one, else each
/// currency's own sum (never added together), with the currencies that have no rate named.
fn totals_text(l: Locale, t: &Totals, reporting: Option<crate::core::model::Currency>) -> String {
    match (t.reporting, reporting) {
        (Some(m), Some(c)) if t.by_currency.len() > 1 || t.by_currency.keys().any(|k| *k != c) => m.format(c),
        _ if t.by_currency.is_empty() => Money::ZERO.format(reporting.unwrap_or_default()),
        _ => {
            let parts: Vec<String> = t.by_currency.iter().map(|(c, m)| m.format(*c)).collect();
            let mut text = parts.join(" + ");
            if !t.unrated.is_empty() {
                let names: Vec<&str> = t.unrated.iter().map(|c| c.as_str()).collect();
                text.push_str(" · ");
                text.push_str(&fill(td_string!(l, pipeline_no_rate), &[("currencies", &names.join(", "))]));
            }
            text
        }
    }
}

#[component]
fn Board(
    columns: Memo<Vec<Column>>,
    filter: Memo<PipelineFilter>,
    stages: Stages,
    status: RwSignal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let an = crate::app::analytics::use_analytics();
    let reporting = move || an.map(|an| an.config.with(|c| c.fx.reporting));
    let navigate = use_navigate();
    let lanes = move || {
        let l = i18n.get_locale();
        let rep = reporting();
        columns
            .get()
            .into_iter()
            .map(|col| {
                let name = if col.stage.is_empty() { td_string!(l, pipeline_other_stage).to_string() } else { labels::opp_stage(l, &stages, &col.stage) };
                let id = format!("lane-{}", if col.stage.is_empty() { "other" } else { col.stage.as_str() });
                let heading = id.clone();
                let count = col.items.len();
                let more = count.saturating_sub(CARDS);
                let cards: Vec<Opportunity> =
                    app.workspace.with_untracked(|w| col.items.iter().take(CARDS).filter_map(|&i| w.data.opportunities.get(i).cloned()).collect());
                let names: Vec<String> = app.workspace.with_untracked(|w| {
                    cards.iter().map(|o| w.customer(&o.customer_id).map(|c| labels::shown_name(l, &c.name)).unwrap_or_else(|| NONE.to_string())).collect()
                });
                // The list of this column's deals: the board's filter, at this stage (every stage
                // for the column of stages the workspace does not define).
                let more_href = {
                    let stage = (!col.stage.is_empty()).then(|| col.stage.clone());
                    let f = PipelineFilter { view: Some(PipelineView::List), stage, ..filter.get_untracked() };
                    crate::app::paths::href(&format!("/pipeline{}", f.query()))
                };
                let stages = stages.clone();
                let navigate = navigate.clone();
                view! {
                    <section class="lane" aria-labelledby=id.clone() data-testid="lane" data-stage=col.stage.clone()>
                        <h2 id=heading>{name}" "<span class="count" data-testid="lane-count">{count}</span></h2>
                        <p class="lane-sums">
                            <span data-testid="lane-amount">{totals_text(l, &col.amount, rep)}</span>
                            <br />
                            <span class="weighted" data-testid="lane-weighted">{fill(td_string!(l, pipeline_weighted), &[("amount", &totals_text(l, &col.weighted, rep))])}</span>
                        </p>
                        <ul class="deal-cards">
                            {cards.into_iter().zip(names).map(|(o, customer)| {
                                view! { <Card o customer stages=stages.clone() status navigate=navigate.clone() /> }
                            }).collect_view()}
                        </ul>
                        {(more > 0).then(|| view! {
                            <p><A href=more_href>{fill_count(td_string!(l, pipeline_more_one), td_string!(l, pipeline_more), more, &[])}</A></p>
                        })}
                    </section>
                }
            })
            .collect_view()
    };
    view! { <div class="board" data-testid="pipeline-board">{lanes}</div> }
}

#[component]
fn Card<N>(o: Opportunity, customer: String, stages: Stages, status: RwSignal<String>, navigate: N) -> impl IntoView
where
    N: Fn(&str, NavigateOptions) + Clone + 'static,
{
    let i18n = use_i18n();
    let app = use_app();
    let l = i18n.get_locale_untracked();
    let href = crate::app::paths::href(&form_href(&o.customer_id, Entity::Opportunities, Some(&o.id)));
    let select_id = format!("move-{}", o.id);
    let select_for = select_id.clone();
    let title = labels::shown_name(l, &o.title);
    let move_label = fill(td_string!(l, pipeline_move_label), &[("title", &o.title)]);
    let options: Vec<(String, String)> =
        stages.0.iter().map(|s| (s.id.clone(), labels::opp_stage(l, &stages, &s.id))).collect();
    let current = o.stage.clone();
    let current_for_button = o.stage.clone();
    let close = if o.is_open() { o.expected_close } else { o.closed_on };
    // The stage picked in the card's picker; the Move button (or Enter on it) applies it.
    let chosen = RwSignal::new(o.stage.clone());
    let on_move = {
        let (o, stages) = (o.clone(), stages.clone());
        move |_| {
            let target = chosen.get_untracked();
            if target == o.stage {
                return;
            }
            let seen = app.workspace.with_untracked(|w| w.get(Entity::Opportunities, &o.id));
            let Some(Record::Opportunities(before)) = seen.clone() else { return };
            let mut moved = before.clone();
            let me = crate::app::session::me();
            moved.move_to(&target, &stages, &me, crate::shell::clock::now());
            let form = format!(
                "{}?stage={}",
                form_href(&o.customer_id, Entity::Opportunities, Some(&o.id)),
                crate::app::paths::encode(&target)
            );
            if target == LOST || moved.validate().is_err() {
                // It needs more from the user (a lost reason, an amount): its form, at that stage.
                navigate(&form, NavigateOptions::default());
                return;
            }
            let label = labels::opp_stage(i18n.get_locale_untracked(), &stages, &target);
            let (title, focus) = (moved.title.clone(), format!("move-{}", o.id));
            spawn_local(async move {
                let r = crate::app::session::save(app, Edit::Update(Record::Opportunities(moved)), seen).await;
                let l = i18n.get_locale_untracked();
                status.set(match r {
                    Ok(()) => fill(td_string!(l, pipeline_moved), &[("title", &title), ("stage", &label)]),
                    Err(e) => crate::app::ui::labels::save_error(l, &e),
                });
                // The card is redrawn in its new column: the keyboard stays on it.
                crate::app::ui::dom::focus_id_later(focus);
            });
        }
    };
    view! {
        <li class="deal-card" data-testid="deal-card" data-id=o.id.clone() data-stage=o.stage.clone()>
            <A href=href attr:class="deal-title">{title}</A>
            <span class="deal-customer">{customer}</span>
            <span class="deal-amount">{o.amount.format(o.currency)}" · "{format!("{} %", o.probability)}</span>
            <span class="deal-close">{opt(close, |d| d.to_string())}" · "{text_or_none(&o.owner)}</span>
            <div class="deal-move">
                <label class="sr-only" for=select_for>{move_label}</label>
                <select id=select_id data-testid="deal-stage" on:change=move |ev| chosen.set(event_target_value(&ev))>
                    {options.into_iter().map(|(v, text)| {
                        let selected = v == current;
                        view! { <option value=v selected=selected>{text}</option> }
                    }).collect_view()}
                </select>
                <button type="button" class="secondary" data-testid="deal-move" disabled=move || chosen.with(|c| *c == current_for_button) on:click=on_move>
                    {tr(|l| td_string!(l, pipeline_move))}
                </button>
            </div>
        </li>
    }
}

#[component]
fn DealList(items: Memo<Vec<usize>>, stages: Stages) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let rows = move || {
        let l = i18n.get_locale();
        items.with(|items| {
            app.workspace.with(|w| {
                let mut rows: Vec<&Opportunity> = items.iter().filter_map(|&i| w.data.opportunities.get(i)).collect();
                rows.sort_by(|a, b| {
                    stages
                        .position(&a.stage)
                        .cmp(&stages.position(&b.stage))
                        .then(a.expected_close.is_none().cmp(&b.expected_close.is_none()))
                        .then(a.expected_close.cmp(&b.expected_close))
                        .then(a.id.cmp(&b.id))
                });
                rows.into_iter()
                    .take(ROWS)
                    .map(|o| {
                        let customer = w
                            .customer(&o.customer_id)
                            .map(|c| labels::shown_name(l, &c.name))
                            .unwrap_or_else(|| NONE.to_string());
                        deal_row(l, &stages, o, Some(customer), "deal-row")
                    })
                    .collect_view()
            })
        })
    };
    let more = move || items.with(Vec::len).saturating_sub(ROWS);
    view! {
        <crate::app::ui::csv::PipelineCsv rows=Signal::derive(move || items.get()) />
        <div class="table-wrap">
            <DealTable with_customer=true testid="pipeline-list">{rows}</DealTable>
        </div>
        <Show when=move || { more() > 0 }>
            <p class="sub">{move || { let l = i18n.get_locale(); fill_count(td_string!(l, pipeline_list_more_one), td_string!(l, pipeline_list_more), more(), &[]) }}</p>
        </Show>
    }
}

/// The forecast of the deals in view: by close month × owner / region / product category, the
/// months' totals, win rates and cycle times per rep, time per stage, stuck deals, region plans.
#[component]
fn ForecastView(items: Memo<Vec<usize>>, filter: Memo<PipelineFilter>, stages: Stages) -> impl IntoView {
    let i18n = use_i18n();
    let stages_for_cards = stages.clone();
    let app = use_app();
    let an = crate::app::analytics::use_analytics();
    let today = crate::shell::clock::today();
    let navigate = use_navigate();
    let result = Memo::new(move |_| {
        let table = an.map(|an| an.config.with(|c| c.fx.table()));
        let by = filter.with(|f| f.by.unwrap_or(Dimension::Owner));
        let config = ForecastConfig { dimension: by, ..ForecastConfig::default() };
        app.workspace.with(|w| {
            items.with(|items| {
                if items.len() == w.data.opportunities.len() {
                    forecast::forecast_workspace(w, &stages, today, table.as_ref(), &config)
                } else {
                    let deals: Vec<_> = items.iter().filter_map(|&i| w.data.opportunities.get(i).cloned()).collect();
                    forecast::forecast(
                        &deals,
                        &stages,
                        &w.data.customers,
                        &w.data.plans,
                        today,
                        table.as_ref(),
                        &config,
                    )
                }
            })
        })
    });
    let on_by = move |ev: leptos::ev::Event| {
        let mut f = filter.get_untracked();
        f.by = Dimension::parse(&event_target_value(&ev)).filter(|d| *d != Dimension::Owner);
        navigate(
            &format!("/pipeline{}", f.query()),
            NavigateOptions { replace: true, scroll: false, ..Default::default() },
        );
    };
    let by_label = move |l: Locale, d: Dimension| match d {
        Dimension::Owner => td_string!(l, col_owner),
        Dimension::Region => td_string!(l, col_region),
        Dimension::Category => td_string!(l, fc_category),
    };
    view! {
        <div class="forecast" data-testid="forecast">
            <div class="field fc-by">
                <label for="fc-by">{tr(|l| td_string!(l, fc_by))}</label>
                <select id="fc-by" data-testid="forecast-by" on:change=on_by>
                    {move || {
                        let l = i18n.get_locale();
                        let now = filter.with(|f| f.by.unwrap_or(Dimension::Owner));
                        Dimension::ALL.iter().map(|&d| view! { <option value=d.as_str() selected=d == now>{by_label(l, d)}</option> }).collect_view()
                    }}
                </select>
            </div>
            {move || forecast_cards(i18n.get_locale(), result.get(), stages_for_cards.clone(), by_label)}
        </div>
    }
}

fn money_or_none(m: Option<Money>, c: crate::core::model::Currency) -> String {
    opt(m, |m| m.format(c))
}

/// The forecast's cards, drawn from its figures.
fn forecast_cards(
    l: Locale,
    r: Forecast,
    stages: Stages,
    by_label: impl Fn(Locale, Dimension) -> &'static str,
) -> impl IntoView {
    let month = |m: &Option<crate::core::model::Period>| {
        m.map(|p| p.to_string()).unwrap_or_else(|| td_string!(l, fc_no_date).to_string())
    };
    let coverage = r.fx.as_ref().map(|fx| {
        let missing = fx
            .missing
            .iter()
            .map(|m| {
                let text = fill_count(td_string!(l, fc_missing_one), td_string!(l, fc_missing), m.count, &[("currency", m.currency.as_str())]);
                view! { <p class="warning" role="note" data-testid="forecast-missing" data-currency=m.currency.as_str()>{text}</p> }
            })
            .collect_view();
        view! {
            <p class="hint" data-testid="forecast-coverage">{fill(td_string!(l, fx_figures_in), &[("currency", fx.reporting.as_str())])}</p>
            {missing}
        }
    });
    let head = move |first: &'static str| {
        view! {
            <thead>
                <tr>
                    <th scope="col">{td_string!(l, fc_month)}</th>
                    {(!first.is_empty()).then(|| view! { <th scope="col">{first}</th> })}
                    <th scope="col" class="num">{td_string!(l, fc_open)}</th>
                    <th scope="col" class="num">{td_string!(l, col_weighted)}</th>
                    <th scope="col" class="num">{td_string!(l, fc_committed)}</th>
                    <th scope="col" class="num">{td_string!(l, fc_best_case)}</th>
                    <th scope="col" class="num">{td_string!(l, fc_won)}</th>
                </tr>
            </thead>
        }
    };
    let row = move |c: &forecast::ForecastCell, key: Option<String>, testid: &'static str| {
        let a = &c.amounts;
        let data_key = key.clone().unwrap_or_default();
        view! {
            <tr data-testid=testid data-month=c.month.map(|m| m.to_string()).unwrap_or_default() data-key=data_key>
                <td>{month(&c.month)}</td>
                {key.map(|k| view! { <td>{if k.is_empty() { NONE.to_string() } else { k }}</td> })}
                <td class="num">{a.open.format(c.currency)}</td>
                <td class="num">{a.weighted.format(c.currency)}</td>
                <td class="num">{a.committed.format(c.currency)}</td>
                <td class="num">{a.best_case.format(c.currency)}</td>
                <td class="num">{a.won.format(c.currency)}</td>
            </tr>
        }
    };
    let months = r.months.iter().map(|c| row(c, None, "forecast-month")).collect_view();
    let cells = r.cells.iter().map(|c| row(c, Some(c.key.clone()), "forecast-cell")).collect_view();
    let rate_row = |w: &forecast::WinRate, everyone: bool| {
        let who = if everyone {
            td_string!(l, fc_everyone).to_string()
        } else if w.owner.is_empty() {
            NONE.to_string()
        } else {
            w.owner.clone()
        };
        view! {
            <tr data-testid="win-rate" data-owner=w.owner.clone()>
                <td>{who}</td>
                <td class="num">{w.won}</td>
                <td class="num">{w.lost}</td>
                <td class="num">{opt(w.rate, crate::app::ui::format::pct)}</td>
                <td class="num">{opt(w.avg_cycle_days, |d| format!("{d:.0}"))}</td>
            </tr>
        }
    };
    let rates = r.win_rates.iter().map(|w| rate_row(w, false)).collect_view();
    let overall = rate_row(&r.win_rate, true);
    let days = |s: i64| format!("{:.1}", s as f64 / 86_400.0);
    let stage_rows = r
        .stage_times
        .iter()
        .filter(|t| t.owner.is_none())
        .map(|t| {
            view! {
                <tr data-testid="stage-time" data-stage=t.stage.clone()>
                    <td>{labels::opp_stage(l, &stages, &t.stage)}</td>
                    <td class="num">{t.stays}</td>
                    <td class="num">{opt(t.avg_seconds, days)}</td>
                    <td class="num">{opt(t.median_seconds, days)}</td>
                </tr>
            }
        })
        .collect_view();
    let stuck = r
        .stuck
        .iter()
        .take(20)
        .map(|s| {
            let text = fill(
                td_string!(l, fc_stuck_row),
                &[
                    ("days", &days(s.seconds_in_stage)),
                    ("stage", &labels::opp_stage(l, &stages, &s.stage)),
                    ("median", &days(s.median_seconds)),
                ],
            );
            view! { <li data-testid="stuck-deal" data-id=s.id.clone()>{s.id.clone()}" — "{text}</li> }
        })
        .collect_view();
    let plans = r
        .plans
        .iter()
        .map(|p| {
            view! {
                <tr data-testid="plan-forecast">
                    <td>{p.region.clone()}</td>
                    <td>{p.period.to_string()}</td>
                    <td class="num">{money_or_none(p.target, p.currency)}</td>
                    <td class="num">{p.amounts.won.format(p.currency)}</td>
                    <td class="num">{p.amounts.committed.format(p.currency)}</td>
                    <td class="num">{p.amounts.weighted.format(p.currency)}</td>
                </tr>
            }
        })
        .collect_view();
    let first = by_label(l, r.dimension);
    view! {
        <section class="card" aria-labelledby="h-fc-months">
            <h2 id="h-fc-months">{td_string!(l, fc_by_month)}</h2>
            {coverage}
            <div class="table-wrap"><table class="data" data-testid="forecast-months">{head("")}<tbody>{months}</tbody></table></div>
        </section>
        <section class="card" aria-labelledby="h-fc-cells">
            <h2 id="h-fc-cells">{fill(td_string!(l, fc_by_month_and), &[("by", first)])}</h2>
            <div class="table-wrap"><table class="data" data-testid="forecast-cells">{head(first)}<tbody>{cells}</tbody></table></div>
        </section>
        <section class="card" aria-labelledby="h-fc-rates">
            <h2 id="h-fc-rates">{td_string!(l, fc_win_rates)}</h2>
            <div class="table-wrap">
                <table class="data" data-testid="win-rates">
                    <thead><tr>
                        <th scope="col">{td_string!(l, col_owner)}</th>
                        <th scope="col" class="num">{td_string!(l, fc_won_deals)}</th>
                        <th scope="col" class="num">{td_string!(l, fc_lost_deals)}</th>
                        <th scope="col" class="num">{td_string!(l, fc_win_rate)}</th>
                        <th scope="col" class="num">{td_string!(l, fc_cycle_days)}</th>
                    </tr></thead>
                    <tbody>{overall}{rates}</tbody>
                </table>
            </div>
        </section>
        <section class="card" aria-labelledby="h-fc-stages">
            <h2 id="h-fc-stages">{td_string!(l, fc_stage_times)}</h2>
            <div class="table-wrap">
                <table class="data" data-testid="stage-times">
                    <thead><tr>
                        <th scope="col">{td_string!(l, col_stage)}</th>
                        <th scope="col" class="num">{td_string!(l, fc_stays)}</th>
                        <th scope="col" class="num">{td_string!(l, fc_avg_days)}</th>
                        <th scope="col" class="num">{td_string!(l, fc_median_days)}</th>
                    </tr></thead>
                    <tbody>{stage_rows}</tbody>
                </table>
            </div>
            <h3>{fill_count(td_string!(l, fc_stuck_one), td_string!(l, fc_stuck), r.stuck.len(), &[])}</h3>
            <ul class="stuck" data-testid="stuck">{stuck}</ul>
        </section>
        <section class="card" aria-labelledby="h-fc-plans">
            <h2 id="h-fc-plans">{td_string!(l, fc_plans)}</h2>
            {if r.plans.is_empty() {
                view! { <p class="empty">{td_string!(l, fc_no_plans)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="data" data-testid="plan-forecasts">
                            <thead><tr>
                                <th scope="col">{td_string!(l, col_region)}</th>
                                <th scope="col">{td_string!(l, fc_period)}</th>
                                <th scope="col" class="num">{td_string!(l, fc_target)}</th>
                                <th scope="col" class="num">{td_string!(l, fc_won)}</th>
                                <th scope="col" class="num">{td_string!(l, fc_committed)}</th>
                                <th scope="col" class="num">{td_string!(l, col_weighted)}</th>
                            </tr></thead>
                            <tbody>{plans}</tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}
