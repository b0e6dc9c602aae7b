//! The customer list over the whole cache: search as you type (names, contacts, phones, e-mail,
//! cities, tags and pinyin), filters and order in the URL (a view can be bookmarked, shared and
//! saved), a virtualised table (only the visible rows exist in the DOM), multi-select with bulk
//! actions.

use crate::app::analytics::use_analytics;
use crate::app::i18n::*;
use crate::app::paths::customer_href;
use crate::app::state::use_workspace;
use crate::app::ui::dom::{El, el, fill, fill_count};
use crate::app::ui::format::NONE;
use crate::app::ui::labels;
use crate::core::analytics::lifecycle::Stage;
use crate::core::filter::CustomerFilter;
use crate::core::filter::SortKey;
use crate::core::model::SupplyChainRole;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use std::collections::BTreeSet;

// The list's actions, at first use: the CSV export, and saving a bulk action.
crate::app::lazy::chunk!(load_export in bulk: fn(crate::app::state::AppState, crate::app::analytics::Analytics, Vec<usize>) -> String = crate::app::ui::csv::export);
crate::app::lazy::chunk!(load_bulk_save in bulk: crate::app::session::Import = |app, records| Box::pin(crate::app::session::import(app, records)));

/// Height of a list row in pixels (a comfortable touch target; `style/main.css` agrees).
const ROW_H: f64 = 48.0;
/// Rows rendered above and below the visible ones.
const BUFFER: usize = 4;
/// Most customers one bulk action changes (each becomes an outbox entry).
pub const BULK_MAX: usize = 2_000;

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
    for (name, v, clear) in [
        ("R", f.r, (|g: &mut CustomerFilter| g.r = None) as fn(&mut CustomerFilter)),
        ("F", f.f, |g| g.f = None),
        ("M", f.m, |g| g.m = None),
    ] {
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
    if let Some(x) = f.currency {
        push(x.as_str().to_string(), |g| g.currency = None);
    }
    if let Some(x) = f.answered {
        use crate::core::analytics::satisfaction::Answered;
        let text = match x {
            Answered::Any => td_string!(l, filter_answered_any),
            Answered::Csat => td_string!(l, filter_answered_csat),
            Answered::Nps => td_string!(l, filter_answered_nps),
        };
        push(text.to_string(), |g| g.answered = None);
    }
    if f.complained {
        push(td_string!(l, filter_complained).to_string(), |g| g.complained = false);
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
    if let Some(x) = &f.member {
        push(fill(td_string!(l, filter_member_chip), &[("name", x)]), |g| g.member = None);
    }
    if let Some(x) = &f.tag {
        push(x.clone(), |g| g.tag = None);
    }
    out
}

#[component]
pub fn CustomersPage() -> impl IntoView {
    let i18n = use_i18n();
    let app = crate::app::state::use_app();
    let ws = app.workspace;
    let an = use_analytics();
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query.with(|q| {
            let pairs: Vec<(String, String)> = q.clone().into_iter().map(|(k, v)| (k.to_string(), v)).collect();
            CustomerFilter::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        })
    });
    // What the user types searches at once; the URL follows a moment later. Every navigation
    // from this page carries the typed text, so a filter changed within that moment keeps it;
    // the URL's text is taken over only when it is not one this page put there (back, forward,
    // a link).
    let q = RwSignal::new(filter.with_untracked(|f| f.q.clone()));
    let sent_q = StoredValue::new(q.get_untracked());
    let url_timer = StoredValue::new(None::<leptos::prelude::TimeoutHandle>);
    let cancel_timer = move || {
        if let Some(h) = url_timer.get_value() {
            h.clear();
        }
        url_timer.set_value(None);
    };
    Effect::new(move |_| {
        let from_url = filter.with(|f| f.q.clone());
        if sent_q.with_value(|s| *s != from_url) {
            sent_q.set_value(from_url.clone());
            if from_url != q.get_untracked() {
                cancel_timer();
                q.set(from_url);
            }
        }
    });
    let criteria = Memo::new(move |_| {
        let mut f = filter.get();
        f.q.clear();
        f
    });
    // Search results, narrowed from the previous ones while the query only grows.
    let found = Memo::new(move |prev: Option<&(u64, crate::core::workspace::TypedSearch)>| {
        let text = q.get();
        let rev = app.search_rev.get();
        ws.with(|w| {
            let prev = prev.filter(|(r, _)| *r == rev).map(|(_, t)| t);
            (rev, w.search_typed(&text, prev))
        })
    });
    let matches = Memo::new(move |_| {
        criteria.with(|f| {
            let rows = found.with(|(_, t)| t.rows.clone());
            let analysis = f.needs_analysis().then_some(an).flatten();
            let receivables = f.needs_receivables().then_some(an).flatten();
            ws.with(|w| {
                let mut out = match (analysis, receivables) {
                    (Some(a), Some(r)) => {
                        a.analysis.with(|a| r.receivables.with(|r| f.apply_to(w, rows, Some(a), Some(r))))
                    }
                    (Some(a), None) => a.analysis.with(|a| f.apply_to(w, rows, Some(a), None)),
                    (None, Some(r)) => r.receivables.with(|r| f.apply_to(w, rows, None, Some(r))),
                    (None, None) => f.apply_to(w, rows, None, None),
                };
                if let Some(key) = f.sort {
                    match analysis {
                        Some(a) => a.analysis.with(|a| crate::core::filter::sort_rows(w, Some(a), key, &mut out)),
                        None => crate::core::filter::sort_rows(w, None, key, &mut out),
                    }
                }
                out
            })
        })
    });
    let total = move || ws.with(|w| w.data.customers.len());
    let navigate = use_navigate();
    // To the list with these criteria and the text typed in the search box.
    let go = {
        let navigate = navigate.clone();
        move |mut f: CustomerFilter| {
            cancel_timer();
            f.q = q.get_untracked();
            sent_q.set_value(f.q.clone());
            navigate(
                &format!("/customers{}", f.query()),
                NavigateOptions { replace: true, scroll: false, ..Default::default() },
            )
        }
    };
    let on_input = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            q.set(event_target_value(&ev));
            cancel_timer();
            let go = go.clone();
            let h = set_timeout_with_handle(move || go(filter.get_untracked()), std::time::Duration::from_millis(400));
            url_timer.set_value(h.ok());
        }
    };
    let current = move || {
        let mut f = filter.get_untracked();
        f.q = q.get_untracked();
        f
    };
    let views = crate::app::views::saved_views();
    let view_name = RwSignal::new(String::new());
    let save_view = move |_| {
        views.add(&view_name.get_untracked(), current());
        view_name.set(String::new());
    };
    // Opening a saved view shows its search text, not what was being typed.
    let open_view = Callback::new(move |f: CustomerFilter| {
        cancel_timer();
        sent_q.set_value(f.q.clone());
        q.set(f.q);
    });
    // The export's code comes with its chunk, fetched at the first export.
    let export_failed = RwSignal::new(false);
    let export = move |_| {
        let Some(an) = an else { return };
        leptos::task::spawn_local(async move {
            match load_export().await {
                Ok(export) => {
                    export_failed.set(false);
                    crate::shell::files::download(
                        "kehu-customers.csv",
                        "text/csv;charset=utf-8",
                        &export(app, an, matches.get_untracked()),
                    );
                }
                Err(crate::app::lazy::LoadFailed) => export_failed.set(true),
            }
        });
    };
    let chips = move || {
        let l = i18n.get_locale();
        let typed = q.get();
        filter.with(|f| {
            active(l, f)
                .into_iter()
                .map(|(label, mut without)| {
                    without.q = typed.clone();
                    let href = crate::app::paths::href(&format!("/customers{}", without.query()));
                    let aria = format!("{} {label}", td_string!(l, filter_remove));
                    view! { <a class="chip filter" href=href aria-label=aria>{label} " ✕"</a> }
                })
                .collect_view()
        })
    };
    let selected = RwSignal::new(BTreeSet::<String>::new());
    view! {
        <section class="page customers-page">
            // Title, search and "new" on one line, and the list's tools on the next: on a
            // portrait tablet the rows start within a quarter of the screen.
            <div class="page-head list-head">
                <h1>{tr(|l| td_string!(l, customers_title))}</h1>
                <div class="search">
                    <label for="customer-search" class="sr-only">{tr(|l| td_string!(l, search_label))}</label>
                    <input
                        id="customer-search"
                        type="search"
                        autocomplete="off"
                        placeholder=move || td_string!(i18n.get_locale(), search_placeholder)
                        prop:value=move || q.get()
                        on:input=on_input
                    />
                </div>
                <A href=crate::app::paths::href("/customers/new") attr:class="button">{tr(|l| td_string!(l, new_customer))}</A>
            </div>
            <div class="list-toolbar" data-testid="list-toolbar">
            <Filters filter=filter go=go.clone() />
            <MyAccounts filter />
            <div class="filters" data-testid="active-filters">{chips}</div>
            <p class="result-count" role="status" aria-live="polite" data-testid="result-count">
                {move || {
                    let (l, total) = (i18n.get_locale(), total());
                    let shown = matches.with(Vec::len).to_string();
                    fill_count(td_string!(l, customers_shown_one), td_string!(l, customers_shown), total, &[("shown", &shown), ("total", &total.to_string())])
                }}
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
                <Show when=move || export_failed.get()>
                    <p class="error" role="alert" data-testid="export-failed">{tr(|l| td_string!(l, action_chunk_failed))}</p>
                </Show>
            </div>
            <BulkBar selected matches />
            </div>
            <Show when=move || views.with(|v| !v.is_empty())>
                <section class="saved-views-bar" aria-labelledby="h-saved-views" data-testid="customers-saved-views">
                    <h2 id="h-saved-views">{tr(|l| td_string!(l, views_title))}</h2>
                    <crate::app::views::SavedViewList on_open=open_view />
                </section>
            </Show>
            <Show
                when=move || matches.with(|m| !m.is_empty())
                fallback=move || {
                    view! {
                        <p class="empty">{move || fill(td_string!(i18n.get_locale(), no_results), &[("query", &q.get())])}</p>
                    }
                }
            >
                <CustomerTable rows=matches selected />
            </Show>
        </section>
    }
}

/// "My accounts": the customers the user (named in Settings) owns or is on the team of, one
/// tap from the list; a toggle, with the other criteria kept.
#[component]
fn MyAccounts(filter: Memo<CustomerFilter>) -> impl IntoView {
    let me = crate::app::session::me();
    if me.trim().is_empty() {
        return ().into_any();
    }
    let on = {
        let me = me.clone();
        Memo::new(move |_| filter.with(|f| f.member.as_deref() == Some(me.as_str())))
    };
    let href = move || {
        let mut f = filter.get();
        f.member = (!on.get()).then(|| me.clone());
        crate::app::paths::href(&format!("/customers{}", f.query()))
    };
    view! {
        <A href=href attr:class="button secondary" attr:data-testid="my-accounts" attr:aria-current=move || on.get().then_some("true")>
            {tr(|l| td_string!(l, my_accounts))}
        </A>
    }
    .into_any()
}

/// The regions, owners, most used tags and account team members (owners included) in the cache
/// (the pickers' options).
type PickerValues = (Vec<String>, Vec<String>, Vec<String>, Vec<String>);

/// Region, role, owner, tag, segment and stage pickers, warning flags and the order; each
/// change goes to the URL.
#[component]
fn Filters(filter: Memo<CustomerFilter>, go: impl Fn(CustomerFilter) + Clone + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let ws = use_workspace();
    let an = use_analytics();
    // The values present in the cache, for the pickers.
    let values = Memo::new(move |_| {
        ws.with(|w| {
            let mut regions = BTreeSet::new();
            let mut owners = BTreeSet::new();
            let mut members = BTreeSet::new();
            let mut tags = std::collections::HashMap::<&str, usize>::new();
            for c in &w.data.customers {
                if !c.region.is_empty() {
                    regions.insert(c.region.clone());
                }
                if let Some(o) = c.owner.as_ref().filter(|_| !c.in_shared_pool()) {
                    owners.insert(o.clone());
                }
                for m in &c.team {
                    members.insert(m.trim().to_string());
                }
                for t in &c.tags {
                    *tags.entry(t.as_str()).or_default() += 1;
                }
            }
            let mut tags: Vec<(&str, usize)> = tags.into_iter().collect();
            tags.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            let tags: Vec<String> = tags.into_iter().take(100).map(|(t, _)| t.to_string()).collect();
            // Everyone on an account: its owner or its team.
            members.extend(owners.iter().cloned());
            members.remove("");
            (
                regions.into_iter().collect::<Vec<_>>(),
                owners.into_iter().collect::<Vec<_>>(),
                tags,
                members.into_iter().collect::<Vec<_>>(),
            )
        })
    });
    let segments = Memo::new(move |_| an.map(|a| a.analysis.with(|a| a.segments.clone())).unwrap_or_default());
    let pick = move |id: &'static str,
                     label: fn(Locale) -> &'static str,
                     current: Signal<String>,
                     options: Signal<Vec<(String, String)>>,
                     set: fn(&mut CustomerFilter, &str),
                     go: std::sync::Arc<dyn Fn(CustomerFilter) + Send + Sync>| {
        view! {
            <div class="field">
                <label for=id>{tr(label)}</label>
                <select
                    id=id
                    prop:value=move || current.get()
                    on:change=move |ev| {
                        let mut f = filter.get_untracked();
                        set(&mut f, &event_target_value(&ev));
                        go(f);
                    }
                >
                    <option value="">{tr(|l| td_string!(l, filter_any))}</option>
                    {move || options.get().into_iter().map(|(v, text)| view! { <option value=v>{text}</option> }).collect_view()}
                </select>
            </div>
        }
    };
    let go: std::sync::Arc<dyn Fn(CustomerFilter) + Send + Sync> = std::sync::Arc::new(go);
    let text_opts = move |f: fn(&PickerValues) -> &Vec<String>| {
        Signal::derive(move || values.with(|v| f(v).iter().map(|x| (x.clone(), x.clone())).collect::<Vec<_>>()))
    };
    let opt = |s: Option<String>| s.unwrap_or_default();
    let owner_current =
        Signal::derive(move || filter.with(|f| if f.pool { "__pool".to_string() } else { opt(f.owner.clone()) }));
    let owner_opts = Signal::derive(move || {
        let l = i18n.get_locale();
        let mut o = vec![("__pool".to_string(), td_string!(l, shared_pool).to_string())];
        o.extend(values.with(|v| v.1.iter().map(|x| (x.clone(), x.clone())).collect::<Vec<_>>()));
        o
    });
    let flag = move |id: &'static str,
                     label: fn(Locale) -> &'static str,
                     get: fn(&CustomerFilter) -> bool,
                     set: fn(&mut CustomerFilter, bool),
                     go: std::sync::Arc<dyn Fn(CustomerFilter) + Send + Sync>| {
        view! {
            <label class="check" for=id>
                <input
                    type="checkbox"
                    id=id
                    prop:checked=move || filter.with(get)
                    on:change=move |ev| {
                        let mut f = filter.get_untracked();
                        set(&mut f, event_target_checked(&ev));
                        go(f);
                    }
                />
                {tr(label)}
            </label>
        }
    };
    // Closed when the page opens, criteria or not: the chips above say what is applied, and the
    // rows stay in sight on a tablet.
    view! {
        <details class="filter-panel">
            <summary>{tr(|l| td_string!(l, filters_title))}</summary>
            <div class="grid filters-grid">
                {pick("f-region", |l| td_string!(l, col_region), Signal::derive(move || filter.with(|f| opt(f.region.clone()))), text_opts(|v| &v.0), |f, v| f.region = (!v.is_empty()).then(|| v.to_string()), go.clone())}
                {pick(
                    "f-role",
                    |l| td_string!(l, col_role),
                    Signal::derive(move || filter.with(|f| f.role.map(|r| r.as_str().to_string()).unwrap_or_default())),
                    Signal::derive(move || { let l = i18n.get_locale(); SupplyChainRole::ALL.iter().map(|&r| (r.as_str().to_string(), labels::role(l, r).to_string())).collect() }),
                    |f, v| f.role = SupplyChainRole::parse(v),
                    go.clone(),
                )}
                {pick(
                    "f-owner",
                    |l| td_string!(l, col_owner),
                    owner_current,
                    owner_opts,
                    |f, v| {
                        f.pool = v == "__pool";
                        f.owner = (!v.is_empty() && v != "__pool").then(|| v.to_string());
                    },
                    go.clone(),
                )}
                {pick(
                    "f-member",
                    |l| td_string!(l, filter_member),
                    Signal::derive(move || filter.with(|f| opt(f.member.clone()))),
                    // The picked name stays an option even when no account has it (yet).
                    Signal::derive(move || {
                        let mut names = values.with(|v| v.3.clone());
                        if let Some(m) = filter.with(|f| f.member.clone()).filter(|m| !names.contains(m)) {
                            names.push(m);
                        }
                        names.into_iter().map(|x| (x.clone(), x)).collect()
                    }),
                    |f, v| f.member = (!v.is_empty()).then(|| v.to_string()),
                    go.clone(),
                )}
                {pick("f-tag", |l| td_string!(l, col_tags), Signal::derive(move || filter.with(|f| opt(f.tag.clone()))), text_opts(|v| &v.2), |f, v| f.tag = (!v.is_empty()).then(|| v.to_string()), go.clone())}
                {pick(
                    "f-segment",
                    |l| td_string!(l, filter_segment),
                    Signal::derive(move || filter.with(|f| opt(f.segment.clone()))),
                    Signal::derive(move || { let l = i18n.get_locale(); segments.get().into_iter().map(|k| { let t = labels::rfm_segment(l, &k); (k, t) }).collect() }),
                    |f, v| f.segment = (!v.is_empty()).then(|| v.to_string()),
                    go.clone(),
                )}
                {pick(
                    "f-stage",
                    |l| td_string!(l, filter_stage),
                    Signal::derive(move || filter.with(|f| f.stage.map(|s| s.as_str().to_string()).unwrap_or_default())),
                    Signal::derive(move || { let l = i18n.get_locale(); Stage::ALL.iter().map(|&s| (s.as_str().to_string(), labels::lifecycle(l, s).to_string())).collect() }),
                    |f, v| f.stage = Stage::parse(v),
                    go.clone(),
                )}
                <div class="field">
                    <label for="f-sort">{tr(|l| td_string!(l, sort_label))}</label>
                    <select
                        id="f-sort"
                        prop:value=move || filter.with(|f| f.sort.map(|s| s.as_str().to_string()).unwrap_or_default())
                        on:change={
                            let go = go.clone();
                            move |ev| {
                                let mut f = filter.get_untracked();
                                f.sort = SortKey::parse(&event_target_value(&ev));
                                go(f);
                            }
                        }
                    >
                        <option value="">{tr(|l| td_string!(l, sort_default))}</option>
                        {SortKey::ALL.iter().map(|&k| view! { <option value=k.as_str()>{move || labels::sort(i18n.get_locale(), k)}</option> }).collect_view()}
                    </select>
                </div>
            </div>
            <div class="flags">
                {flag("f-warning", |l| td_string!(l, filter_warning), |f| f.warning, |f, v| f.warning = v, go.clone())}
                {flag("f-overdue", |l| td_string!(l, overdue), |f| f.overdue, |f, v| f.overdue = v, go.clone())}
                {flag("f-over-limit", |l| td_string!(l, filter_over_limit), |f| f.over_limit, |f, v| f.over_limit = v, go.clone())}
            </div>
        </details>
    }
}

/// Actions on the selected customers: assign an owner or return them to the shared pool, add
/// or remove a tag, plan a visit. Saved through the outbox in one transaction.
#[component]
fn BulkBar(selected: RwSignal<BTreeSet<String>>, matches: Memo<Vec<usize>>) -> impl IntoView {
    use crate::core::bulk::{BulkAction, PlanError, plan_visits, retain_visible};
    use crate::core::record::Record;
    let i18n = use_i18n();
    let app = crate::app::state::use_app();
    let action = RwSignal::new("owner".to_string());
    let value = RwSignal::new(String::new());
    let date = RwSignal::new(
        // `2026-12-05` (chrono's `Display`; a format string would bring its strftime code along).
        crate::shell::clock::today().succ_opt().unwrap_or_else(crate::shell::clock::today).to_string(),
    );
    // The visit plan's rep: the name from Settings unless the user enters another.
    let rep = RwSignal::new(crate::app::session::me());
    let message = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let count = move || selected.with(BTreeSet::len);
    let select_all = move |_| {
        let l = i18n.get_locale();
        let shown = matches.with_untracked(Vec::len);
        let ids: BTreeSet<String> = app.workspace.with_untracked(|w| {
            matches.with_untracked(|m| {
                m.iter().take(BULK_MAX).filter_map(|&i| w.data.customers.get(i).map(|c| c.id.clone())).collect()
            })
        });
        selected.set(ids);
        message.set((shown > BULK_MAX).then(|| {
            fill(td_string!(l, bulk_capped), &[("max", &BULK_MAX.to_string()), ("shown", &shown.to_string())])
        }));
    };
    // The selection follows what is shown: picked customers that a new filter or search hides
    // are unpicked (and the user told), so an action never changes customers out of sight.
    Effect::new(move |_| {
        let (kept, dropped) =
            matches.with(|m| app.workspace.with_untracked(|w| selected.with_untracked(|s| retain_visible(w, s, m))));
        if dropped > 0 {
            selected.set(kept);
            let l = i18n.get_locale_untracked();
            message.set(Some(fill_count(
                td_string!(l, bulk_unselected_one),
                td_string!(l, bulk_unselected),
                dropped,
                &[],
            )));
        }
    });
    let apply = move |_| {
        let l = i18n.get_locale();
        let ids: Vec<String> = selected.get_untracked().into_iter().collect();
        if ids.len() > BULK_MAX {
            message.set(Some(fill(td_string!(l, bulk_too_many), &[("max", &BULK_MAX.to_string())])));
            return;
        }
        let now = crate::shell::clock::now();
        let v = value.get_untracked();
        let records: Vec<Record> = match action.get_untracked().as_str() {
            "visit" => {
                let Ok(day) = date.get_untracked().trim().parse::<crate::core::model::Date>() else {
                    message.set(Some(td_string!(l, err_invalid_date).to_string()));
                    return;
                };
                match plan_visits(
                    ids.iter().map(String::as_str),
                    day,
                    &rep.get_untracked(),
                    now,
                    crate::app::session::new_id,
                ) {
                    Ok(v) => v.into_iter().map(Record::Visits).collect(),
                    Err(PlanError::NoRep) => {
                        message.set(Some(td_string!(l, bulk_no_rep).to_string()));
                        crate::shell::page::focus_element("bulk-rep");
                        return;
                    }
                }
            }
            kind => {
                let act = match kind {
                    "owner" => BulkAction::AssignOwner(v),
                    "pool" => BulkAction::ToPool,
                    "add_tag" => BulkAction::AddTag(v),
                    "add_member" => BulkAction::AddMember(v),
                    "remove_member" => BulkAction::RemoveMember(v),
                    _ => BulkAction::RemoveTag(v),
                };
                app.workspace.with_untracked(|w| {
                    ids.iter()
                        .filter_map(|id| w.customer(id))
                        .filter_map(|c| act.apply(c, now))
                        .map(Record::Customers)
                        .collect()
                })
            }
        };
        if records.is_empty() {
            message.set(Some(td_string!(l, bulk_nothing).to_string()));
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let r = match load_bulk_save().await {
                Ok(save) => save(app, records).await,
                Err(crate::app::lazy::LoadFailed) => {
                    busy.set(false);
                    message.set(Some(td_string!(l, action_chunk_failed).to_string()));
                    return;
                }
            };
            busy.set(false);
            match r {
                Ok(n) => {
                    message.set(Some(fill_count(td_string!(l, bulk_done_one), td_string!(l, bulk_done), n, &[])));
                    selected.set(BTreeSet::new());
                }
                Err(e) => message.set(Some(crate::app::ui::labels::save_error(l, &e))),
            }
        });
    };
    let needs_value =
        move || matches!(action.get().as_str(), "owner" | "add_tag" | "remove_tag" | "add_member" | "remove_member");
    view! {
        <div class="bulk-bar" role="region" aria-label=move || td_string!(i18n.get_locale(), bulk_title) data-testid="bulk-bar">
            <span class="count" aria-live="polite">{move || fill(td_string!(i18n.get_locale(), bulk_selected), &[("count", &count().to_string())])}</span>
            <button type="button" class="secondary" data-testid="select-all" on:click=select_all>{tr(|l| td_string!(l, bulk_select_all))}</button>
            <Show when=move || { count() > 0 }>
                <button type="button" class="secondary" on:click=move |_| selected.set(BTreeSet::new())>{tr(|l| td_string!(l, bulk_clear))}</button>
                <div class="field inline">
                    <label for="bulk-action">{tr(|l| td_string!(l, bulk_action))}</label>
                    <select id="bulk-action" prop:value=move || action.get() on:change=move |ev| action.set(event_target_value(&ev))>
                        <option value="owner">{tr(|l| td_string!(l, bulk_assign))}</option>
                        <option value="pool">{tr(|l| td_string!(l, bulk_to_pool))}</option>
                        <option value="add_tag">{tr(|l| td_string!(l, bulk_add_tag))}</option>
                        <option value="remove_tag">{tr(|l| td_string!(l, bulk_remove_tag))}</option>
                        <option value="add_member">{tr(|l| td_string!(l, bulk_add_member))}</option>
                        <option value="remove_member">{tr(|l| td_string!(l, bulk_remove_member))}</option>
                        <option value="visit">{tr(|l| td_string!(l, bulk_plan_visit))}</option>
                    </select>
                </div>
                <Show when=needs_value>
                    <div class="field inline">
                        <label for="bulk-value">{tr(|l| td_string!(l, bulk_value))}</label>
                        <input id="bulk-value" prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
                    </div>
                </Show>
                <Show when=move || action.get() == "visit">
                    <div class="field inline">
                        <label for="bulk-date">{tr(|l| td_string!(l, col_date))}</label>
                        <input id="bulk-date" type="date" prop:value=move || date.get() on:input=move |ev| date.set(event_target_value(&ev)) />
                    </div>
                    <div class="field inline">
                        <label for="bulk-rep">{tr(|l| td_string!(l, col_rep))}</label>
                        <input id="bulk-rep" required=true aria-describedby="bulk-message" prop:value=move || rep.get() on:input=move |ev| rep.set(event_target_value(&ev)) />
                    </div>
                </Show>
                <button type="button" data-testid="bulk-apply" disabled=move || busy.get() on:click=apply>{tr(|l| td_string!(l, bulk_apply))}</button>
            </Show>
            <p class="hint" role="status" id="bulk-message" data-testid="bulk-message">{move || message.get()}</p>
        </div>
    }
}

/// The virtualised customer table: a scrolling box in which only the visible rows (plus a few)
/// exist, between two spacer rows. Rows are built with the text-only DOM builder: every value
/// from the records is a text node.
#[component]
pub fn CustomerTable(
    #[prop(into)] rows: Signal<Vec<usize>>,
    #[prop(optional)] selected: Option<RwSignal<BTreeSet<String>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let ws = use_workspace();
    let an = use_analytics();
    let body = NodeRef::<leptos::html::Tbody>::new();
    let scroller = NodeRef::<leptos::html::Div>::new();
    let first = RwSignal::new(0usize);
    let height = RwSignal::new(640.0f64);
    let measure = move || {
        if let Some(s) = scroller.get_untracked() {
            let h = f64::from(s.client_height());
            if h > 0.0 && (h - height.get_untracked()).abs() > 1.0 {
                height.set(h);
            }
        }
    };
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());
    let on_scroll = move |_| {
        if let Some(s) = scroller.get_untracked() {
            let top = f64::from(s.scroll_top()).max(0.0);
            let row = (top / ROW_H) as usize;
            if row != first.get_untracked() {
                first.set(row);
            }
        }
    };
    // A new result scrolls back to the top.
    Effect::new(move |prev: Option<usize>| {
        let n = rows.with(Vec::len);
        if prev.is_some() {
            if let Some(s) = scroller.get_untracked() {
                s.set_scroll_top(0);
            }
            if first.get_untracked() != 0 {
                first.set(0);
            }
        }
        n
    });
    Effect::new(move |_| {
        let Some(tbody) = body.get() else { return };
        measure();
        let locale = i18n.get_locale();
        let visible = (height.get() / ROW_H).ceil() as usize + 1;
        let top = first.get();
        let chosen = selected.map(|s| s.get()).unwrap_or_default();
        let focus = crate::app::ui::dom::focused_row(&tbody);
        rows.with(|rows| {
            let start = top.saturating_sub(BUFFER).min(rows.len());
            let end = (top + visible + BUFFER).min(rows.len());
            // Customers whose currency has no rate are marked (their figures are incomplete).
            let no_rate = |i: usize| an.is_some_and(|a| a.analysis.with(|a| a.rows.get(i).is_some_and(|r| r.no_rate)));
            let fresh = ws.with(|w| {
                let mut out: Vec<El> = Vec::with_capacity(end - start + 2);
                out.push(spacer(start as f64 * ROW_H));
                for (pos, &i) in rows[start..end].iter().enumerate() {
                    if let Some(c) = w.data.customers.get(i) {
                        out.push(row(locale, c, start + pos, chosen.contains(&c.id), selected.is_some(), no_rate(i)));
                    }
                }
                out.push(spacer((rows.len() - end) as f64 * ROW_H));
                out
            });
            crate::app::ui::dom::replace_children(&tbody, fresh);
        });
        if let Some((row, what)) = focus {
            crate::app::ui::dom::refocus(&tbody, row, &what);
        }
    });
    let on_change = move |ev: leptos::ev::Event| {
        let Some(set) = selected else { return };
        let Some((id, on)) = crate::app::ui::dom::checkbox(&ev) else { return };
        set.update(|s| {
            if on {
                s.insert(id);
            } else {
                s.remove(&id);
            }
        });
    };
    view! {
        <div class="table-wrap vlist" node_ref=scroller on:scroll=on_scroll data-testid="customer-list">
            <table class="data customers" data-testid="customer-table" aria-rowcount=move || rows.with(Vec::len) + 1>
                <thead>
                    <tr aria-rowindex="1">
                        {selected.is_some().then(|| view! { <th scope="col" class="sel"><span class="sr-only">{tr(|l| td_string!(l, bulk_select))}</span></th> })}
                        <th scope="col">{tr(|l| td_string!(l, col_name))}</th>
                        <th scope="col">{tr(|l| td_string!(l, col_role))}</th>
                        <th scope="col">{tr(|l| td_string!(l, col_region))}</th>
                        <th scope="col">{tr(|l| td_string!(l, col_owner))}</th>
                        <th scope="col">{tr(|l| td_string!(l, col_tags))}</th>
                    </tr>
                </thead>
                <tbody node_ref=body on:change=on_change></tbody>
            </table>
        </div>
    }
}

fn spacer(px: f64) -> El {
    el("tr").class("spacer").attr("aria-hidden", "true").child(el("td").attr("colspan", "6").height(px))
}

/// One customer row; `pos` is its place in the list.
#[inline(never)]
fn row(l: Locale, c: &crate::core::model::Customer, pos: usize, checked: bool, selectable: bool, no_rate: bool) -> El {
    let mut tr = el("tr").attr("data-row", &pos.to_string()).attr("aria-rowindex", &(pos + 2).to_string());
    if selectable {
        let label = fill(td_string!(l, bulk_select_one), &[("name", &labels::shown_name(l, &c.name))]);
        let mut input = el("input").attr("type", "checkbox").attr("data-id", &c.id).attr("aria-label", &label);
        if checked {
            input = input.attr("checked", "");
        }
        tr = tr.child(el("td").class("sel").child(input));
    }
    let shown = labels::shown_name(l, &c.name);
    let mut link = El::link(&customer_href(&c.id), &shown);
    if crate::core::text::is_blank(&c.name) {
        link = link.class("no-name");
    }
    let mut name = el("td").class("name").child(link);
    if !crate::core::text::is_blank(&c.short_name) && c.short_name != c.name {
        name = name.child(el("span").class("sub").text(&c.short_name));
    }
    if no_rate {
        let hint = fill(td_string!(l, fx_no_rate_hint), &[("currency", c.currency.as_str())]);
        name = name.child(
            el("span")
                .class("badge badge-warn")
                .attr("title", &hint)
                .attr("data-testid", "row-no-rate")
                .text(&format!("{} {NONE}", c.currency.as_str())),
        );
    }
    let place =
        [c.region.as_str(), c.city.as_str()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" · ");
    let owner = match c.owner.as_deref().filter(|_| !c.in_shared_pool()) {
        Some(o) => el("td").text(o),
        None => el("td").child(el("span").class("badge badge-pool").text(td_string!(l, shared_pool))),
    };
    let mut tags = el("td").class("tags");
    for t in c.tags.iter().take(3) {
        tags = tags.child(el("span").class("chip").text(t));
    }
    if c.tags.len() > 3 {
        tags = tags.child(el("span").class("sub").text(&format!("+{}", c.tags.len() - 3)));
    }
    tr.child(name).child(el("td").text(labels::role(l, c.role))).child(el("td").text(&place)).child(owner).child(tags)
}
