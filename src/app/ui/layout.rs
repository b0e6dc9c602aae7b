//! The frame around every page: header, demo label, language switch, navigation.

use crate::app::i18n::*;
use crate::app::i18n::{from_locale, to_locale};
use crate::app::paths::href;
use crate::app::state::use_app;
use crate::core::locale::Lang;
use leptos::prelude::*;
use leptos_router::components::A;

/// A section of the app: a route (`/<segment>`) and a link of the navigation, in the route
/// table's order (`app/mod.rs`).
#[derive(Clone, Copy)]
pub struct Section {
    pub segment: &'static str,
    /// Its name in the navigation.
    pub name: fn(Locale) -> &'static str,
    pub view: fn() -> AnyView,
    /// Whether its link shows the count of changes waiting to be sent.
    pub counts_pending: bool,
    /// Whether its link shows how many of my tasks are overdue or due today ("My day").
    pub counts_due: bool,
}

#[component]
pub fn Layout(sections: &'static [Section], children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let is_demo =
        move || app.phase.with(|p| *p == crate::app::state::Phase::Ready) && app.workspace.with(|w| w.is_demo());
    let pending = app.pending();
    let attention = app.needs_attention();
    // Reminders of tasks as they come due, where notifications are allowed.
    crate::app::session::start_reminders(app);
    // My overdue and today's tasks, for the "My day" link (whatever the notification permission).
    let due = Memo::new(move |_| {
        let me = crate::app::session::me();
        let (today, offset) = (crate::shell::clock::today(), crate::shell::clock::utc_offset_minutes());
        app.workspace.with(|w| crate::core::tasks::my_day(w, &me, today, offset).due_count())
    });
    // A new version of the app waiting in the service worker: offered, never forced (a reload
    // keeps the session and the outbox, both in storage).
    let update = RwSignal::new(false);
    crate::shell::sw::register_service_worker(move || update.set(true));
    view! {
        <a class="skip-link" href="#main" on:click=skip_to_main>
            {tr(|l| td_string!(l, skip_to_content))}
        </a>
        <header class="top">
            <div class="brand">
                <span class="brand-mark" aria-hidden="true">"客"</span>
                <span class="brand-name">{tr(|l| td_string!(l, app_name))}</span>
                <Show when=is_demo>
                    <span class="badge badge-demo" data-testid="demo-badge">{tr(|l| td_string!(l, demo_badge))}</span>
                </Show>
            </div>
            <div class="top-right">
                <Show when=move || !app.online.get()>
                    <span class="badge badge-offline" role="status" data-testid="offline">{tr(|l| td_string!(l, net_offline_short))}</span>
                </Show>
                <LanguageSelect />
            </div>
        </header>
        <nav class="main-nav" aria-label=move || td_string!(i18n.get_locale(), nav_label)>
            {sections
                .iter()
                .map(|s| {
                    view! {
                        <A href=href(&format!("/{}", s.segment))>
                            {tr(s.name)}
                            {s.counts_due.then(|| view! {
                                <Show when=move || { due.get() > 0 }>
                                    <span class="count warn" data-testid="nav-due">{move || due.get()}</span>
                                </Show>
                            })}
                            {s.counts_pending.then(|| view! {
                                <Show when=move || { pending.get() > 0 }>
                                    <span class="count" class:warn=move || { attention.get() > 0 } data-testid="nav-pending">
                                        {move || pending.get()}
                                    </span>
                                </Show>
                            })}
                        </A>
                    }
                })
                .collect_view()}
        </nav>
        <Show when=move || update.get()>
            <div class="update-banner" role="status" data-testid="update-banner">
                <span>{tr(|l| td_string!(l, update_available))}</span>
                <button data-testid="update-reload" on:click=|_| crate::shell::sw::activate_update()>{tr(|l| td_string!(l, update_reload))}</button>
            </div>
        </Show>
        <Show when=is_demo>
            <p class="demo-banner" role="note">{tr(|l| td_string!(l, demo_banner))}</p>
        </Show>
        <main id="main" tabindex="-1">{children()}</main>
    }
}

/// Moves keyboard focus to the page content (the router would otherwise treat `#main` as a route).
fn skip_to_main(ev: leptos::ev::MouseEvent) {
    ev.prevent_default();
    crate::shell::page::focus_element("main");
}

/// Switches the UI language and remembers the choice on this device.
#[component]
pub fn LanguageSelect() -> impl IntoView {
    let i18n = use_i18n();
    let on_change = move |ev: leptos::ev::Event| {
        let tag = event_target_value(&ev);
        if let Some(lang) = Lang::ALL.into_iter().find(|l| l.tag() == tag) {
            i18n.set_locale(to_locale(lang));
            crate::shell::storage::store_lang(lang);
        }
    };
    view! {
        <label class="lang-select">
            <span class="label-text">{tr(|l| td_string!(l, language))}</span>
            <select on:change=on_change data-testid="language">
                {Lang::ALL
                    .into_iter()
                    .map(|lang| {
                        view! {
                            <option
                                value=lang.tag()
                                lang=lang.tag()
                                selected=move || from_locale(i18n.get_locale()) == lang
                            >
                                {lang.native_name()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}
