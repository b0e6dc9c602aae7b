//! Profiles shipped with Kehu, as JSON (`src/core/rest/presets/*.json`), compiled in.

use super::profile::Profile;

/// `(id, JSON)` of every preset.
pub const PRESETS: &[(&str, &str)] = &[
    ("json-server", include_str!("presets/json-server.json")),
    ("simple-rest", include_str!("presets/simple-rest.json")),
    ("bottlecrm", include_str!("presets/bottlecrm.json")),
];

pub fn json(id: &str) -> Option<&'static str> {
    PRESETS.iter().find(|(p, _)| *p == id).map(|(_, j)| *j)
}

/// A preset as a profile, optionally pointed at another base URL.
pub fn profile(id: &str, base_url: Option<&str>) -> Option<Profile> {
    let mut p: Profile = serde_json::from_str(json(id)?).ok()?;
    if let Some(u) = base_url {
        p.base_url = u.trim().to_string();
    }
    Some(p)
}
