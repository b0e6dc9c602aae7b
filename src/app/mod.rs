//! Leptos components and routes: the app's frame, its route table and the pages' split points.
//! State lives in signals provided as context (`state`, filled by `session`); logic stays in `core`.
//!
//! The layers of this folder, each importing only those before it: `i18n`, `paths` → `ui::status`,
//! `lazy` → `state` → `session` → `analytics`, `views`, `draft` → `ui` → `pages` → this file.
//! `tests/arch.rs` checks that no import runs back up.

pub mod analytics;
pub mod draft;
pub mod i18n;
mod lazy;
pub mod pages;
pub mod paths;
pub mod session;
pub mod state;
pub mod ui;
pub mod views;

use i18n::td_string;
use lazy::{Page, chunk, lazy};
use leptos::children::ToChildren;
use leptos::prelude::*;
use leptos::tachys::prelude::IntoMaybeErased;
use leptos::tachys::view::iterators::StaticVec;
use leptos_router::components::{Redirect, RouteChildren, Router, Routes, RoutesProps};
use leptos_router::{NestedRoute, StaticSegment, path};
use ui::layout::Section;

/// Mounts the app on `<body>`, replacing the static loading note.
pub fn mount() {
    crate::shell::page::remove_element("boot");
    leptos::mount::mount_to_body(App);
}

#[component]
pub fn App() -> impl IntoView {
    // The remembered language, else the browser's (with zh-TW/HK/MO → Traditional); the switcher
    // stores explicit choices. `<html lang>` follows, so screen readers and CJK fonts do too.
    let lang = i18n::provide_i18n(i18n::to_locale(crate::shell::storage::initial_lang()));
    Effect::new(move |_| crate::shell::page::set_document_lang(i18n::from_locale(lang.get_locale()).tag()));
    view! { <Shell /> }
}

#[component]
fn Shell() -> impl IntoView {
    let app = state::provide_app();
    analytics::provide(app);
    views::provide(app);
    session::start(app);
    draft::watch(app);
    view! {
        <Router base=paths::base_path()>
            <PrefetchOpenedPage />
            <ui::layout::Layout sections=SECTIONS>
                {move || match app.phase.get() {
                    state::Phase::Loading => view! { <ui::status::Loading /> }.into_any(),
                    state::Phase::Failed(reason) => view! { <ui::status::StorageFailed reason /> }.into_any(),
                    state::Phase::Ready => view! { <AppRoutes /> }.into_any(),
                    state::Phase::Wiping => view! { <ui::status::WipingElsewhere /> }.into_any(),
                }}
            </ui::layout::Layout>
        </Router>
    }
}

/// Starts fetching the code of the page the app opens on (a bookmark, a reload) while the
/// workspace's cache is still being read, instead of after it: a reload of /pipeline shows its
/// board without waiting for the `pipeline` chunk once the cache is open. Renders nothing.
#[component]
fn PrefetchOpenedPage() -> impl IntoView {
    let path = leptos_router::hooks::use_location().pathname.get_untracked();
    let base = paths::base_path();
    let path = path.strip_prefix(base.trim_end_matches('/')).unwrap_or(&path);
    let mut parts = path.split('/').filter(|s| !s.is_empty());
    match (parts.next(), parts.next()) {
        (Some("pipeline"), _) => leptos::task::spawn_local(async {
            let _ = pipeline_page().await;
        }),
        (Some("segments"), _) => leptos::task::spawn_local(async {
            let _ = segments_page().await;
        }),
        (Some("service"), _) => leptos::task::spawn_local(async {
            let _ = service_page().await;
        }),
        (Some("team"), _) => leptos::task::spawn_local(async {
            let _ = team_page().await;
        }),
        (Some("sync" | "settings"), _) => leptos::task::spawn_local(async {
            let _ = sync_page().await;
        }),
        (Some("customers"), Some(_)) => leptos::task::spawn_local(async {
            let _ = customer_page().await;
        }),
        _ => {}
    }
}

// The pages' split points: each page's code is fetched on its first visit. Pages used together
// share a chunk: a visit to a customer fetches the customer page and both forms at once.
chunk!(customer_page in records: Page = || view! { <pages::customer::CustomerPage /> }.into_any());
chunk!(customer_form_page in records: Page = || view! { <pages::customer_form::CustomerForm /> }.into_any());
chunk!(record_form_page in records: Page = || view! { <pages::record_form::RecordForm /> }.into_any());
chunk!(pipeline_page in pipeline: Page = || view! { <pages::pipeline::PipelinePage /> }.into_any());
chunk!(segments_page in segments: Page = || view! { <pages::segments::SegmentsPage /> }.into_any());
chunk!(service_page in service: Page = || view! { <pages::service::ServicePage /> }.into_any());
chunk!(team_page in team: Page = || view! { <pages::team::TeamPage /> }.into_any());
chunk!(sync_page in admin: Page = || view! { <pages::sync::SyncPage /> }.into_any());
chunk!(settings_page in admin: Page = || view! { <pages::settings::SettingsPage /> }.into_any());

/// The sections of the app, in the navigation's order: each is a route and a link of the
/// navigation (a page added here appears in both).
const SECTIONS: &[Section] = &[
    Section {
        segment: "customers",
        name: |l| td_string!(l, nav_customers),
        view: customers_list,
        counts_pending: false,
        counts_due: false,
    },
    Section {
        segment: "pipeline",
        name: |l| td_string!(l, nav_pipeline),
        view: || lazy(pipeline_page).into_any(),
        counts_pending: false,
        counts_due: false,
    },
    Section {
        segment: "segments",
        name: |l| td_string!(l, nav_segments),
        view: || lazy(segments_page).into_any(),
        counts_pending: false,
        counts_due: false,
    },
    Section {
        segment: "service",
        name: |l| td_string!(l, nav_service),
        view: || lazy(service_page).into_any(),
        counts_pending: false,
        counts_due: true,
    },
    Section {
        segment: "team",
        name: |l| td_string!(l, nav_team),
        view: || lazy(team_page).into_any(),
        counts_pending: false,
        counts_due: false,
    },
    Section {
        segment: "sync",
        name: |l| td_string!(l, nav_sync),
        view: || lazy(sync_page).into_any(),
        counts_pending: true,
        counts_due: false,
    },
    Section {
        segment: "settings",
        name: |l| td_string!(l, nav_settings),
        view: || lazy(settings_page).into_any(),
        counts_pending: false,
        counts_due: false,
    },
];

fn customers_list() -> AnyView {
    view! { <pages::customers::CustomersPage /> }.into_any()
}

/// The route table: the sections above, and the addresses within them. (Written as values rather
/// than `<Route>` elements so that the sections' routes can come from their table.)
#[component]
fn AppRoutes() -> impl IntoView {
    let sections = SECTIONS
        .iter()
        .map(|s| NestedRoute::new(StaticSegment(s.segment), s.view).into_maybe_erased())
        .collect::<Vec<_>>();
    let table = (
        NestedRoute::new(path!("/"), || view! { <Redirect path="/customers" /> }).into_maybe_erased(),
        StaticVec::from(sections),
        NestedRoute::new(path!("/customers/new"), || lazy(customer_form_page)).into_maybe_erased(),
        NestedRoute::new(path!("/customers/:id"), || lazy(customer_page)).into_maybe_erased(),
        NestedRoute::new(path!("/customers/:id/edit"), || lazy(customer_form_page)).into_maybe_erased(),
        NestedRoute::new(path!("/customers/:id/:kind/:rid"), || lazy(record_form_page)).into_maybe_erased(),
    );
    Routes(
        RoutesProps::builder()
            .fallback(ui::status::NotFound)
            .children(RouteChildren::to_children(move || table))
            .build(),
    )
}
