//! The UI languages and how the browser's preferences map onto them.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[serde(rename = "en")]
    En,
    #[serde(rename = "zh-Hans")]
    ZhHans,
    #[serde(rename = "zh-Hant")]
    ZhHant,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::ZhHans, Lang::ZhHant, Lang::En];

    /// BCP 47 tag, as used in `<html lang>` and the stored preference.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhHans => "zh-Hans",
            Lang::ZhHant => "zh-Hant",
        }
    }

    /// The language's own name, shown in the switcher whatever the current language.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::ZhHans => "简体中文",
            Lang::ZhHant => "繁體中文",
        }
    }

    /// Maps one BCP 47 tag to a UI language, if it names one we speak.
    /// Chinese with a Traditional script, or from Taiwan, Hong Kong or Macau, is Traditional.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let lower = tag.trim().replace('_', "-").to_ascii_lowercase();
        let mut parts = lower.split('-');
        match parts.next()? {
            "en" => Some(Lang::En),
            "zh" | "cmn" | "yue" => {
                let rest: Vec<&str> = parts.collect();
                if rest.contains(&"hans") {
                    Some(Lang::ZhHans)
                } else if rest.iter().any(|p| matches!(*p, "hant" | "tw" | "hk" | "mo")) || lower.starts_with("yue") {
                    Some(Lang::ZhHant)
                } else {
                    Some(Lang::ZhHans)
                }
            }
            _ => None,
        }
    }

    /// The first preference we speak, in the browser's order (`navigator.languages`); English otherwise.
    pub fn negotiate<S: AsRef<str>>(preferences: &[S]) -> Lang {
        preferences.iter().find_map(|p| Lang::from_tag(p.as_ref())).unwrap_or(Lang::En)
    }
}
