//! Profiles shipped with Kehu, as JSON (`src/core/rest/presets/*.json`), compiled in.

use super::profile::Profile;

/// A backend Kehu knows how to talk to out of the box.
#[derive(Clone, Copy, Debug)]
pub struct Preset {
    /// Its id: the profile's `preset` field and the Settings dropdown's value.
    pub id: &'static str,
    /// What the Settings dropdown shows (a product name, not translated).
    pub label: &'static str,
    /// The profile, as JSON.
    pub json: &'static str,
}

/// Every preset, in the order Settings offers them. A preset added here appears in Settings.
pub const PRESETS: &[Preset] = &[
    Preset { id: "json-server", label: "json-server 0.17", json: include_str!("presets/json-server.json") },
    Preset { id: "simple-rest", label: "react-admin simple-rest", json: include_str!("presets/simple-rest.json") },
    Preset { id: "bottlecrm", label: "BottleCRM", json: include_str!("presets/bottlecrm.json") },
];

pub fn json(id: &str) -> Option<&'static str> {
    PRESETS.iter().find(|p| p.id == id).map(|p| p.json)
}

/// A preset as a profile, optionally pointed at another base URL.
pub fn profile(id: &str, base_url: Option<&str>) -> Option<Profile> {
    let mut p: Profile = serde_json::from_str(json(id)?).ok()?;
    if let Some(u) = base_url {
        p.base_url = u.trim().to_string();
    }
    Some(p)
}
