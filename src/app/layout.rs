//! The frame around every page: header, demo label, language switch, navigation.

use super::i18n::*;
use super::state::use_workspace;
use super::{from_locale, to_locale};
use crate::core::locale::Lang;
use leptos::prelude::*;
use leptos_router::components::A;
use wasm_bindgen::JsCast;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let ws = use_workspace();
    let is_demo = move || ws.with(|w| w.is_demo());
    view! {
        <a class="skip-link" href="#main" on:click=skip_to_main>
            {t!(i18n, skip_to_content)}
        </a>
        <header class="top">
            <div class="brand">
                <span class="brand-mark" aria-hidden="true">"客"</span>
                <span class="brand-name">{t!(i18n, app_name)}</span>
                <Show when=is_demo>
                    <span class="badge badge-demo" data-testid="demo-badge">{t!(i18n, demo_badge)}</span>
                </Show>
            </div>
            <LanguageSelect />
        </header>
        <nav class="main-nav" aria-label=move || t_string!(i18n, nav_label)>
            <A href="/customers">{t!(i18n, nav_customers)}</A>
            <A href="/segments">{t!(i18n, nav_segments)}</A>
            <A href="/service">{t!(i18n, nav_service)}</A>
            <A href="/sync">{t!(i18n, nav_sync)}</A>
            <A href="/settings">{t!(i18n, nav_settings)}</A>
        </nav>
        <Show when=is_demo>
            <p class="demo-banner" role="note">{t!(i18n, demo_banner)}</p>
        </Show>
        <main id="main" tabindex="-1">{children()}</main>
    }
}

/// Moves keyboard focus to the page content (the router would otherwise treat `#main` as a route).
fn skip_to_main(ev: leptos::ev::MouseEvent) {
    ev.prevent_default();
    let main = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("main"));
    if let Some(main) = main.and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = main.focus();
    }
}

/// Switches the UI language and remembers the choice on this device.
#[component]
pub fn LanguageSelect() -> impl IntoView {
    let i18n = use_i18n();
    let on_change = move |ev: leptos::ev::Event| {
        let tag = event_target_value(&ev);
        if let Some(lang) = Lang::ALL.into_iter().find(|l| l.tag() == tag) {
            i18n.set_locale(to_locale(lang));
            crate::shell::store_lang(lang);
        }
    };
    view! {
        <label class="lang-select">
            <span class="label-text">{t!(i18n, language)}</span>
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
