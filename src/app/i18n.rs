//! The UI's three languages: the texts, compiled in from `src/app/locales/*.json`, and the current
//! language as app state. Every page reads its texts through this module.
//!
//! The texts are leptos_i18n's (`load_locales!`; the macro form avoids leptos_i18n_build's large
//! ICU build dependency), looked up with `td_string!(locale, key)`; counts take the plural form
//! with `ui::dom::fill_count`. Only leptos_i18n's run-time context is not used (cookie, locale
//! negotiation and `<html>` handling we do not need, and about 25 KB of the compressed bundle):
//! the language is an [`I18n`] signal, provided as context.

#[allow(deprecated)]
mod generated {
    leptos_i18n::load_locales!();
}
pub use generated::i18n::*;

use crate::core::locale::Lang;
use leptos::prelude::*;

/// The UI language, as app state.
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

/// Provides the UI language, starting in `locale` (the app does; so can a component test).
pub fn provide_i18n(locale: Locale) -> I18n {
    let lang = I18n(RwSignal::new(locale));
    provide_context(lang);
    lang
}

/// The language context that the app provides (English outside it, e.g. in a component test).
pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(|| I18n(RwSignal::new(Locale::en)))
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
