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
use serde_json::Value;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct DeploymentConfig {
    pub profiles: Vec<Profile>,
    /// Index into `profiles` of the workspace a new device opens.
    pub default: Option<usize>,
    /// Whether the demo workspace is offered.
    pub demo: bool,
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
        let syntax = |at: String, m: String| vec![ProfileError { at, problem: ProfileProblem::Syntax(m) }];
        let value: Value = serde_json::from_str(&text)
            .map_err(|e| syntax(format!("config.json line {}, column {}", e.line(), e.column()), e.to_string()))?;
        let Value::Object(mut obj) = value else {
            return Err(syntax("config.json".into(), "expected a JSON object".into()));
        };
        let profiles_v = match obj.remove("profiles") {
            None => vec![],
            Some(Value::Array(a)) => a,
            Some(_) => return Err(syntax("profiles".into(), "expected a list of profiles".into())),
        };
        let default_name = match obj.remove("default") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s),
            Some(_) => return Err(syntax("default".into(), "expected a profile name".into())),
        };
        let demo = match obj.remove("demo") {
            None => true,
            Some(Value::Bool(b)) => b,
            Some(_) => return Err(syntax("demo".into(), "expected true or false".into())),
        };
        if let Some(k) = obj.keys().next() {
            return Err(syntax(k.clone(), format!("unknown field `{k}`, expected `profiles`, `default` or `demo`")));
        }
        let mut errors = Vec::new();
        let mut profiles = Vec::new();
        for (i, v) in profiles_v.into_iter().enumerate() {
            match Profile::parse(&v.to_string()) {
                Ok(p) => profiles.push(p),
                Err(es) => errors.extend(
                    es.into_iter().map(|e| ProfileError { at: format!("profiles[{i}].{}", e.at), problem: e.problem }),
                ),
            }
        }
        let default = match &default_name {
            None => None,
            Some(name) => match profiles.iter().position(|p| &p.name == name) {
                Some(i) => Some(i),
                None => {
                    errors.push(ProfileError { at: "default".into(), problem: ProfileProblem::UnknownProfile });
                    None
                }
            },
        };
        if !demo && profiles.is_empty() {
            errors.push(ProfileError { at: "profiles".into(), problem: ProfileProblem::NoProfiles });
        }
        if errors.is_empty() { Ok(DeploymentConfig { profiles, default, demo }) } else { Err(errors) }
    }
}
