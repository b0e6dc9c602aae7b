//! Segments, Service, Sync and Settings, plus "not found". Pages whose capability is not built
//! yet say so plainly and show no figures.

use super::LanguageSelect;
use super::i18n::*;
use super::labels;
use super::state::use_workspace;
use crate::core::workspace::{Entity, Source};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn SegmentsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page">
            <h1>{t!(i18n, segments_title)}</h1>
            <p class="pending" data-testid="pending">{t!(i18n, segments_pending)}</p>
        </section>
    }
}

#[component]
pub fn ServicePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page">
            <h1>{t!(i18n, service_title)}</h1>
            <p class="pending" data-testid="pending">{t!(i18n, service_pending)}</p>
        </section>
    }
}

#[component]
pub fn SyncPage() -> impl IntoView {
    let i18n = use_i18n();
    let ws = use_workspace();
    view! {
        <section class="page">
            <h1>{t!(i18n, sync_title)}</h1>
            <Show when=move || ws.with(|w| w.is_demo())>
                <p>{t!(i18n, sync_demo)}</p>
            </Show>
            <p class="pending" data-testid="pending">{t!(i18n, sync_pending)}</p>
        </section>
    }
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let ws = use_workspace();
    let source = move || {
        ws.with(|w| match w.source {
            Source::Demo { seed, customers } => {
                t!(i18n, workspace_demo, seed = move || seed, customers = move || customers)
            }
        })
    };
    let counts = move || {
        let l = i18n.get_locale();
        ws.with(|w| {
            Entity::ALL
                .iter()
                .map(|&entity| {
                    view! {
                        <dt>{labels::entity(l, entity)}</dt>
                        <dd class="num">{w.data.len(entity)}</dd>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="page settings">
            <h1>{t!(i18n, settings_title)}</h1>
            <section class="card" aria-labelledby="h-language">
                <h2 id="h-language">{t!(i18n, language)}</h2>
                <LanguageSelect />
            </section>
            <section class="card" aria-labelledby="h-workspace">
                <h2 id="h-workspace">{t!(i18n, settings_workspace)}</h2>
                <p>{source}</p>
                <dl class="counts">{counts}</dl>
            </section>
            <section class="card" aria-labelledby="h-backend">
                <h2 id="h-backend">{t!(i18n, settings_backend)}</h2>
                <p class="pending">{t!(i18n, settings_backend_pending)}</p>
            </section>
        </section>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page">
            <h1>{t!(i18n, not_found_title)}</h1>
            <p>{t!(i18n, not_found_body)}</p>
            <p>
                <A href="/customers">{t!(i18n, back_to_customers)}</A>
            </p>
        </section>
    }
}
