//! Loading, storage failure, a wipe in another tab and "not found".

use crate::app::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Loading() -> impl IntoView {
    view! {
        <section class="page">
            <p role="status" data-testid="loading">{tr(|l| td_string!(l, loading))}</p>
        </section>
    }
}

/// The device's storage could not be opened: say so, and why.
#[component]
pub fn StorageFailed(reason: String) -> impl IntoView {
    view! {
        <section class="page">
            <h1>{tr(|l| td_string!(l, storage_failed_title))}</h1>
            <p>{tr(|l| td_string!(l, storage_failed_body))}</p>
            <p class="hint">{reason}</p>
        </section>
    }
}

/// Another tab is wiping this device: nothing of it is shown any more; the page restarts.
#[component]
pub fn WipingElsewhere() -> impl IntoView {
    view! {
        <section class="page">
            <h1>{tr(|l| td_string!(l, wiping_elsewhere_title))}</h1>
            <p role="status" data-testid="wiping-elsewhere">{tr(|l| td_string!(l, wiping_elsewhere_body))}</p>
        </section>
    }
}

/// The customer a route names is not in this workspace (deleted, or a link from elsewhere).
#[component]
pub fn CustomerNotFound() -> impl IntoView {
    view! {
        <section class="page">
            <h1>{tr(|l| td_string!(l, customer_not_found))}</h1>
            <p>
                <A href=crate::app::paths::href("/customers")>{tr(|l| td_string!(l, back_to_customers))}</A>
            </p>
        </section>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="page">
            <h1>{tr(|l| td_string!(l, not_found_title))}</h1>
            <p>{tr(|l| td_string!(l, not_found_body))}</p>
            <p>
                <A href=crate::app::paths::href("/customers")>{tr(|l| td_string!(l, back_to_customers))}</A>
            </p>
        </section>
    }
}
