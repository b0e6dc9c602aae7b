//! The customer list: search as you type; the query lives in the URL (`?q=`) so a view can be shared.

use super::tr;
use super::i18n::*;
use super::labels;
use super::analytics::use_analytics;
use super::state::use_workspace;
use crate::core::filter::CustomerFilter;
use super::dom::fill;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

/// Rows added per "Show more" (the virtualised list over the whole cache is a later step).
const PAGE: usize = 50;

pub fn customer_href(id: &str) -> String {
    format!("/customers/{}", String::from(js_sys::encode_uri_component(id)))
}

/// A readable label for each active criterion of a filter, with the filter without it.
fn active(l: Locale, f: &CustomerFilter) -> Vec<(String, CustomerFilter)> {
    let mut out = Vec::new();
    let mut push = |label: String, clear: fn(&mut CustomerFilter)| {
        let mut g = f.clone();
        clear(&mut g);
        out.push((label, g));
    };
    if let Some(k) = &f.segment {
        push(labels::rfm_segment(l, k), |g| g.segment = None);
    }
    if let Some(x) = f.abc {
        push(labels::abc(l, x).to_string(), |g| g.abc = None);
    }
    if let Some(x) = f.stage {
        push(labels::lifecycle(l, x).to_string(), |g| g.stage = None);
    }
    for (name, v, clear) in [("R", f.r, (|g: &mut CustomerFilter| g.r = None) as fn(&mut CustomerFilter)), ("F", f.f, |g| g.f = None), ("M", f.m, |g| g.m = None)] {
        if let Some(v) = v {
            push(format!("{name} = {v}"), clear);
        }
    }
    if f.warning {
        push(td_string!(l, filter_warning).to_string(), |g| g.warning = false);
    }
    if f.unprofitable {
        push(td_string!(l, filter_unprofitable).to_string(), |g| g.unprofitable = false);
    }
    if let Some(x) = f.aging {
        push(labels::aging(l, x).to_string(), |g| g.aging = None);
    }
    if f.overdue {
        push(td_string!(l, overdue).to_string(), |g| g.overdue = false);
    }
    if f.over_limit {
        push(td_string!(l, filter_over_limit).to_string(), |g| g.over_limit = false);
    }
    if let Some(x) = &f.region {
        push(x.clone(), |g| g.region = None);
    }
    if let Some(x) = f.role {
        push(labels::role(l, x).to_string(), |g| g.role = None);
    }
    if let Some(x) = &f.owner {
        push(x.clone(), |g| g.owner = None);
    }
    if f.pool {
        push(td_string!(l, shared_pool).to_string(), |g| g.pool = false);
    }
    if let Some(x) = &f.tag {
        push(x.clone(), |g| g.tag = None);
    }
    out
}

#[component]
pub fn CustomersPage() -> impl IntoView {
    let i18n = use_i18n();
    let ws = use_workspace();
    let an = use_analytics();
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query.with(|q| {
            let pairs: Vec<(String, String)> = q.clone().into_iter().map(|(k, v)| (k.to_string(), v)).collect();
            CustomerFilter::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        })
    });
    let q = Memo::new(move |_| filter.with(|f| f.q.clone()));
    let matches = Memo::new(move |_| {
        filter.with(|f| {
            let analysis = (f.needs_analysis()).then_some(an).flatten();
            let receivables = (f.needs_receivables()).then_some(an).flatten();
            ws.with(|w| match (analysis, receivables) {
                (Some(a), Some(r)) => a.analysis.with(|a| r.receivables.with(|r| f.apply(w, Some(a), Some(r)))),
                (Some(a), None) => a.analysis.with(|a| f.apply(w, Some(a), None)),
                (None, Some(r)) => r.receivables.with(|r| f.apply(w, None, Some(r))),
                (None, None) => f.apply(w, None, None),
            })
        })
    });
    let limit = RwSignal::new(PAGE);
    let shown = Signal::derive(move || matches.with(|m| m.iter().take(limit.get()).copied().collect::<Vec<_>>()));
    let total = move || matches.with(Vec::len);
    let navigate = use_navigate();
    let on_input = move |ev: leptos::ev::Event| {
        let mut f = filter.get_untracked();
        f.q = event_target_value(&ev);
        limit.set(PAGE);
        navigate(&format!("/customers{}", f.query()), NavigateOptions { replace: true, scroll: false, ..Default::default() });
    };
    let views = super::views::saved_views();
    let view_name = RwSignal::new(String::new());
    let save_view = move |_| {
        super::views::add_view(views, &view_name.get_untracked(), filter.get_untracked());
        view_name.set(String::new());
    };
    let export = move |_| {
        if let Some(an) = an {
            super::csv_io::download("kehu-customers.csv", &super::csv_io::export(an, matches.get_untracked()));
        }
    };
    let chips = move || {
        let l = i18n.get_locale();
        filter.with(|f| {
            active(l, f)
                .into_iter()
                .map(|(label, without)| {
                    let href = super::base::href(&format!("/customers{}", without.query()));
                    let aria = format!("{} {label}", td_string!(l, filter_remove));
                    view! { <a class="chip filter" href=href aria-label=aria>{label} " ✕"</a> }
                })
                .collect_view()
        })
    };
    view! {
        <section class="page customers-page">
            <div class="page-head">
                <h1>{tr(|l| td_string!(l, customers_title))}</h1>
                <A href=super::base::href("/customers/new") attr:class="button">{tr(|l| td_string!(l, new_customer))}</A>
            </div>
            <div class="search">
                <label for="customer-search">{tr(|l| td_string!(l, search_label))}</label>
                <input
                    id="customer-search"
                    type="search"
                    autocomplete="off"
                    placeholder=move || t_string!(i18n, search_placeholder)
                    prop:value=move || q.get()
                    on:input=on_input
                />
            </div>
            <div class="filters" data-testid="active-filters">{chips}</div>
            <p class="result-count" role="status" aria-live="polite">
                {move || fill(td_string!(i18n.get_locale(), customers_shown), &[("shown", &shown.with(Vec::len).to_string()), ("total", &total().to_string())])}
            </p>
            <div class="actions list-actions">
                <Show when=move || filter.with(|f| !f.is_empty())>
                    <div class="field inline">
                        <label for="view-name">{tr(|l| td_string!(l, view_name))}</label>
                        <input id="view-name" data-testid="view-name" prop:value=move || view_name.get() on:input=move |ev| view_name.set(event_target_value(&ev)) />
                        <button class="secondary" data-testid="save-view" on:click=save_view disabled=move || view_name.with(|n| n.trim().is_empty())>
                            {tr(|l| td_string!(l, save_view))}
                        </button>
                    </div>
                </Show>
                <button class="secondary" data-testid="export-list" on:click=export>{tr(|l| td_string!(l, export_list))}</button>
            </div>
            <Show
                when=move || { total() > 0 }
                fallback=move || {
                    view! {
                        <p class="empty">{move || fill(td_string!(i18n.get_locale(), no_results), &[("query", &q.get().to_string())])}</p>
                    }
                }
            >
                <CustomerTable rows=shown />
            </Show>
            <Show when=move || { total() > shown.with(Vec::len) }>
                <button class="more" on:click=move |_| limit.update(|n| *n += PAGE)>
                    {tr(|l| td_string!(l, show_more))}
                </button>
            </Show>
        </section>
    }
}

/// A table of customers (by dataset index). Every value from the records is rendered as text.
#[component]
pub fn CustomerTable(#[prop(into)] rows: Signal<Vec<usize>>) -> impl IntoView {
    let i18n = use_i18n();
    let ws = use_workspace();
    view! {
        <div class="table-wrap">
            <table class="data customers" data-testid="customer-table">
                <thead>
                    <tr>
                        <th scope="col">{tr(|l| td_string!(l, col_name))}</th>
                        <th scope="col">{tr(|l| td_string!(l, col_role))}</th>
                        <th scope="col">{tr(|l| td_string!(l, col_region))}</th>
                        <th scope="col">{tr(|l| td_string!(l, col_owner))}</th>
                        <th scope="col">{tr(|l| td_string!(l, col_tags))}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let locale = i18n.get_locale();
                        let rows = rows.get();
                        ws.with(|w| rows
                            .into_iter()
                            .filter_map(|i| w.data.customers.get(i))
                            .map(|c| {
                                let owner = match c.owner.as_deref().filter(|_| !c.in_shared_pool()) {
                                    Some(o) => view! { <span>{o.to_string()}</span> }.into_any(),
                                    None => {
                                        view! {
                                            <span class="badge badge-pool">{td_string!(locale, shared_pool)}</span>
                                        }
                                            .into_any()
                                    }
                                };
                                let place = [c.region.as_str(), c.city.as_str()]
                                    .into_iter()
                                    .filter(|s| !s.is_empty())
                                    .collect::<Vec<_>>()
                                    .join(" · ");
                                let short = (!c.short_name.is_empty() && c.short_name != c.name)
                                    .then(|| view! { <span class="sub">{c.short_name.clone()}</span> });
                                let name = c.name.clone();
                                view! {
                                    <tr>
                                        <td class="name">
                                            <A href=super::base::href(&customer_href(&c.id))>{name}</A>
                                            {short}
                                        </td>
                                        <td>{labels::role(locale, c.role)}</td>
                                        <td>{place}</td>
                                        <td>{owner}</td>
                                        <td class="tags">
                                            {c
                                                .tags
                                                .iter()
                                                .map(|t| view! { <span class="chip">{t.clone()}</span> })
                                                .collect_view()}
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view())
                    }}
                </tbody>
            </table>
        </div>
    }
}
