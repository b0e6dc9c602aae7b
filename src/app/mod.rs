//! Leptos components and routes. State lives in signals provided as context; logic stays in `core`.

// Translations are compiled in from `src/app/locales/*.json` (see `[package.metadata.leptos-i18n]`).
// The macro form avoids leptos_i18n_build's large ICU build dependency. Texts are looked up with
// `td_string!(locale, key)`; the current locale is app state (`I18n`, below).
#[allow(deprecated)]
mod i18n_gen {
    leptos_i18n::load_locales!();
}
pub use i18n_gen::i18n;

pub mod analytics;
pub mod base;
mod csv_io;
mod customer;
mod customers;
mod data_problems;
pub mod dom;
mod draft;
pub mod format;
pub mod forms;
pub mod labels;
mod layout;
mod lazy;
mod pages;
mod record_form;
mod rejection;
mod rules;
mod segments;
mod service;
pub mod session;
mod settings;
pub mod state;
mod sync_page;
pub mod views;

pub use customers::CustomerTable;
pub use layout::LanguageSelect;

use crate::core::locale::Lang;
use i18n::Locale;
use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;

/// Mounts the app on `<body>`, replacing the static loading note.
pub fn mount() {
    if let Some(boot) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("boot")) {
        boot.remove();
    }
    leptos::mount::mount_to_body(App);
}

#[component]
pub fn App() -> impl IntoView {
    // The remembered language, else the browser's (with zh-TW/HK/MO → Traditional); the switcher
    // stores explicit choices. `<html lang>` follows, so screen readers and CJK fonts do too.
    let lang = provide_i18n(to_locale(crate::shell::initial_lang()));
    Effect::new(move |_| crate::shell::set_document_lang(from_locale(lang.get_locale()).tag()));
    view! { <Shell /> }
}

/// The UI language, as app state. The texts themselves are leptos_i18n's, compiled in from
/// `src/app/locales/*.json` and looked up with `td_string!(locale, key)`; only its run-time
/// context is not used (cookie, locale negotiation and `<html>` handling we do not need, and
/// about 25 KB of the compressed bundle).
#[derive(Clone, Copy)]
pub struct I18n(RwSignal<Locale>);

impl I18n {
    /// The current language (tracked: a reactive closure that reads it follows the switch).
    pub fn get_locale(self) -> Locale {
        self.0.get()
    }

    pub fn get_locale_untracked(self) -> Locale {
        self.0.get_untracked()
    }

    pub fn set_locale(self, locale: Locale) {
        self.0.set(locale);
    }
}

/// Provides the UI language, starting in `locale` ([`App`] does; so can a component test).
pub fn provide_i18n(locale: Locale) -> I18n {
    let lang = I18n(RwSignal::new(locale));
    provide_context(lang);
    lang
}

/// The language context that [`App`] provides (English outside it, e.g. in a component test).
pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(|| I18n(RwSignal::new(Locale::en)))
}

#[component]
fn Shell() -> impl IntoView {
    let app = state::provide_app();
    analytics::provide(app);
    views::provide(app);
    session::start(app);
    draft::watch(app);
    view! {
        <Router base=base::base_path()>
            <layout::Layout>
                {move || match app.phase.get() {
                    state::Phase::Loading => view! { <pages::Loading /> }.into_any(),
                    state::Phase::Failed(reason) => view! { <pages::StorageFailed reason /> }.into_any(),
                    state::Phase::Ready => view! { <AppRoutes /> }.into_any(),
                    state::Phase::Wiping => view! { <pages::WipingElsewhere /> }.into_any(),
                }}
            </layout::Layout>
        </Router>
    }
}

#[component]
fn AppRoutes() -> impl IntoView {
    view! {
        <Routes fallback=pages::NotFound>
            <Route path=path!("/") view=|| view! { <Redirect path="/customers" /> } />
            <Route path=path!("/customers") view=customers::CustomersPage />
            <Route path=path!("/customers/new") view=|| lazy::lazy(lazy::customer_form) />
            <Route path=path!("/customers/:id") view=|| lazy::lazy(lazy::customer) />
            <Route path=path!("/customers/:id/edit") view=|| lazy::lazy(lazy::customer_form) />
            <Route path=path!("/customers/:id/:kind/:rid") view=|| lazy::lazy(lazy::record_form) />
            <Route path=path!("/segments") view=|| lazy::lazy(lazy::segments) />
            <Route path=path!("/service") view=|| lazy::lazy(lazy::service) />
            <Route path=path!("/sync") view=|| lazy::lazy(lazy::sync) />
            <Route path=path!("/settings") view=|| lazy::lazy(lazy::settings) />
        </Routes>
    }
}

pub fn to_locale(lang: Lang) -> Locale {
    match lang {
        Lang::En => Locale::en,
        Lang::ZhHans => Locale::zh_Hans,
        Lang::ZhHant => Locale::zh_Hant,
    }
}

pub fn from_locale(locale: Locale) -> Lang {
    match locale {
        Locale::en => Lang::En,
        Locale::zh_Hans => Lang::ZhHans,
        Locale::zh_Hant => Lang::ZhHant,
    }
}

/// A translated text that follows the language switch. Every call site shares this one reactive
/// closure type (the message is a plain `fn`), so a page's texts add data, not code: per-site
/// `t!` closures were a large share of the wasm bundle.
pub fn tr(f: fn(Locale) -> &'static str) -> impl IntoView + use<> {
    let i18n = use_i18n();
    move || f(i18n.get_locale())
}
