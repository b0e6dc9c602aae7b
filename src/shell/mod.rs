//! The browser edges: language preferences, local storage, the clock. Thin by design:
//! anything worth testing natively lives in `core`.

use crate::core::locale::Lang;
use crate::core::model::{Date, Timestamp};
use gloo_storage::{LocalStorage, Storage};

const LANG_KEY: &str = "kehu.lang";

/// `navigator.languages` (falling back to `navigator.language`), most preferred first.
pub fn browser_languages() -> Vec<String> {
    let Some(window) = web_sys::window() else { return Vec::new() };
    let nav = window.navigator();
    let list: Vec<String> = nav.languages().iter().filter_map(|v| v.as_string()).collect();
    if list.is_empty() { nav.language().into_iter().collect() } else { list }
}

/// The language the user chose earlier on this device, if any (an unreadable value counts as none).
pub fn stored_lang() -> Option<Lang> {
    let tag: String = LocalStorage::get(LANG_KEY).ok()?;
    Lang::ALL.into_iter().find(|l| l.tag() == tag)
}

/// Remembers the user's choice; storage being full or disabled is not an error worth a message.
pub fn store_lang(lang: Lang) {
    let _ = LocalStorage::set(LANG_KEY, lang.tag());
}

/// The language to start in: the remembered choice, else the browser's preference.
pub fn initial_lang() -> Lang {
    stored_lang().unwrap_or_else(|| Lang::negotiate(&browser_languages()))
}

/// Today's date in the user's time zone.
pub fn today() -> Date {
    let d = js_sys::Date::new_0();
    Date::from_ymd_opt(d.get_full_year() as i32, d.get_month() + 1, d.get_date()).unwrap_or_default()
}

/// Now, from the browser clock.
pub fn now() -> Timestamp {
    let ms = js_sys::Date::now();
    chrono::DateTime::from_timestamp_millis(ms as i64).unwrap_or_default()
}

/// Minutes east of UTC of the user's time zone (for showing local times).
pub fn utc_offset_minutes() -> i32 {
    -(js_sys::Date::new_0().get_timezone_offset() as i32)
}
