//! The deployment's runtime configuration: an optional `config.json` beside `index.html`, read
//! when the app starts, so one static build serves many companies.
//!
//! ```json
//! { "profiles": [ { "name": "Acme CRM", "base_url": "https://crm.acme.example/api", … } ],
//!   "default": "Acme CRM", "demo": false }
//! ```
//! `profiles` are offered in Settings before the built-in presets; `default` (a profile name)
//! is opened on a device that has not chosen a workspace yet; `demo: false` hides the demo
//! workspace (a deployment for real staff).

use super::profile::{Profile, ProfileError, ProfileProblem};
use serde::Deserialize;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct DeploymentConfig {
    pub profiles: Vec<Profile>,
    /// Index into `profiles` of the workspace a new device opens.
    pub default: Option<usize>,
    /// Whether the demo workspace is offered.
    pub demo: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    profiles: Vec<serde_json::Value>,
    #[serde(default)]
    default: Option<String>,
    #[serde(default)]
    demo: Option<bool>,
}

impl DeploymentConfig {
    /// With no `config.json` (a 404, or the file is empty): nothing preset, demo offered.
    pub fn none() -> DeploymentConfig {
        DeploymentConfig { profiles: vec![], default: None, demo: true }
    }

    /// Parses `config.json`. Every problem is reported with where it is; a file with errors
    /// is not used at all (the app says so and starts as if there were none).
    pub fn parse(bytes: &[u8]) -> Result<DeploymentConfig, Vec<ProfileError>> {
        let text = String::from_utf8_lossy(bytes);
        if text.trim().is_empty() {
            return Ok(DeploymentConfig::none());
        }
        let raw: Raw = serde_json::from_str(&text).map_err(|e| {
            vec![ProfileError { at: format!("config.json line {}, column {}", e.line(), e.column()), problem: ProfileProblem::Syntax(e.to_string()) }]
        })?;
        let mut errors = Vec::new();
        let mut profiles = Vec::new();
        for (i, v) in raw.profiles.into_iter().enumerate() {
            match Profile::parse(&v.to_string()) {
                Ok(p) => profiles.push(p),
                Err(es) => errors.extend(es.into_iter().map(|e| ProfileError { at: format!("profiles[{i}].{}", e.at), problem: e.problem })),
            }
        }
        let default = match &raw.default {
            None => None,
            Some(name) => match profiles.iter().position(|p| &p.name == name) {
                Some(i) => Some(i),
                None => {
                    errors.push(ProfileError { at: "default".into(), problem: ProfileProblem::UnknownProfile });
                    None
                }
            },
        };
        let demo = raw.demo.unwrap_or(true);
        if !demo && profiles.is_empty() {
            errors.push(ProfileError { at: "profiles".into(), problem: ProfileProblem::NoProfiles });
        }
        if errors.is_empty() { Ok(DeploymentConfig { profiles, default, demo }) } else { Err(errors) }
    }
}
