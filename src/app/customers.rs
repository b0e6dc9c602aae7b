//! The customer list: search as you type; the query lives in the URL (`?q=`) so a view can be shared.

use super::tr;
use super::i18n::*;
use super::labels;
use super::state::use_workspace;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

/// Rows added per "Show more" (the virtualised list over the whole cache is a later step).
const PAGE: usize = 50;

pub fn customer_href(id: &str) -> String {
    format!("/customers/{}", String::from(js_sys::encode_uri_component(id)))
}

#[component]
pub fn CustomersPage() -> impl IntoView {
    let i18n = use_i18n();
    let ws = use_workspace();
    let query = use_query_map();
    let q = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let matches = Memo::new(move |_| ws.with(|w| w.search(&q.get())));
    let limit = RwSignal::new(PAGE);
    let shown = Signal::derive(move || matches.with(|m| m.iter().take(limit.get()).copied().collect::<Vec<_>>()));
    let total = move || matches.with(Vec::len);
    let navigate = use_navigate();
    let on_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        limit.set(PAGE);
        let url = if text.is_empty() {
            "/customers".to_string()
        } else {
            format!("/customers?q={}", String::from(js_sys::encode_uri_component(&text)))
        };
        navigate(&url, NavigateOptions { replace: true, scroll: false, ..Default::default() });
    };
    view! {
        <section class="page customers-page">
            <div class="page-head">
                <h1>{tr(|l| td_string!(l, customers_title))}</h1>
                <A href="/customers/new" attr:class="button">{tr(|l| td_string!(l, new_customer))}</A>
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
            <p class="result-count" role="status" aria-live="polite">
                {t!(i18n, customers_shown, shown = move || shown.with(Vec::len), total = total)}
            </p>
            <Show
                when=move || { total() > 0 }
                fallback=move || {
                    view! {
                        <p class="empty">{t!(i18n, no_results, query = move || q.get())}</p>
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
                                            <A href=customer_href(&c.id)>{name}</A>
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
