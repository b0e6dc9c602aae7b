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
//!
//! Before its first screen the app needs of a backend profile only the name and base URL (they
//! name the workspace's cache): [`DeploymentConfig::parse`] checks the file's shape and those,
//! and keeps each profile as a [`ProfileRef`]. The whole profile is parsed and checked
//! ([`ProfileRef::parse`], [`DeploymentConfig::check`]) when the backend is first talked to or
//! edited — by code the browser fetches after the first screen (`chunk!` split points, `src/app/lazy.rs`).

use super::profile::{Profile, ProfileError, ProfileProblem, base_url_ok, workspace_id};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A backend profile as configured (in `config.json`, or chosen on this device), kept as its
/// JSON with the name and base URL read out. Stored as the profile's JSON itself.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "Value", into = "Value")]
pub struct ProfileRef {
    name: String,
    base_url: String,
    json: Value,
}

impl ProfileRef {
    /// A profile's JSON object, if it has a name and an `http(s)://` base URL; everything else
    /// is checked by [`ProfileRef::parse`].
    pub fn from_value(json: Value) -> Result<ProfileRef, Vec<ProfileError>> {
        if !json.is_object() {
            return Err(vec![ProfileError {
                at: String::new(),
                problem: ProfileProblem::Syntax("expected a profile (a JSON object)".into()),
            }]);
        }
        let text = |k: &str| json.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
        let (name, base_url) = (text("name"), text("base_url"));
        let mut errors = Vec::new();
        if name.trim().is_empty() {
            errors.push(ProfileError { at: "name".into(), problem: ProfileProblem::Required });
        }
        if !base_url_ok(&base_url) {
            errors.push(ProfileError { at: "base_url".into(), problem: ProfileProblem::BadUrl });
        }
        if errors.is_empty() { Ok(ProfileRef { name, base_url, json }) } else { Err(errors) }
    }

    /// A parsed profile, kept as its JSON.
    pub fn of(profile: &Profile) -> ProfileRef {
        ProfileRef {
            name: profile.name.clone(),
            base_url: profile.base_url.clone(),
            json: serde_json::to_value(profile).unwrap_or_default(),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The preset the profile started from, if it says.
    pub fn preset(&self) -> Option<&str> {
        self.json.get("preset").and_then(Value::as_str)
    }

    pub fn json(&self) -> &Value {
        &self.json
    }

    /// The same as the parsed profile's [`Profile::workspace_id`].
    pub fn workspace_id(&self) -> String {
        workspace_id(&self.name, &self.base_url)
    }

    /// The whole profile, validated; every problem reported with where it is.
    pub fn parse(&self) -> Result<Profile, Vec<ProfileError>> {
        Profile::parse(&self.json.to_string())
    }
}

impl TryFrom<Value> for ProfileRef {
    type Error = String;
    fn try_from(v: Value) -> Result<Self, String> {
        ProfileRef::from_value(v).map_err(|es| es.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))
    }
}

impl From<ProfileRef> for Value {
    fn from(p: ProfileRef) -> Value {
        p.json
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct DeploymentConfig {
    pub profiles: Vec<ProfileRef>,
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

    /// Parses `config.json`: its shape, and each profile's name and base URL. Every problem is
    /// reported with where it is; a file with errors is not used at all (the app says so and
    /// starts as if there were none). What else a profile says is checked by
    /// [`DeploymentConfig::check`].
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
            match ProfileRef::from_value(v) {
                Ok(p) => profiles.push(p),
                Err(es) => errors.extend(es.into_iter().map(|e| in_profile(i, e))),
            }
        }
        let default = match &default_name {
            None => None,
            Some(name) => match profiles.iter().position(|p| p.name() == name) {
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

    /// The problems of the profiles beyond their names and URLs (all of them, with where).
    pub fn check(&self) -> Vec<ProfileError> {
        let mut errors = Vec::new();
        for (i, p) in self.profiles.iter().enumerate() {
            if let Err(es) = p.parse() {
                errors.extend(es.into_iter().map(|e| in_profile(i, e)));
            }
        }
        errors
    }
}

/// A problem of the `i`th profile, with where it is in the file.
fn in_profile(i: usize, e: ProfileError) -> ProfileError {
    let at = if e.at.is_empty() { format!("profiles[{i}]") } else { format!("profiles[{i}].{}", e.at) };
    ProfileError { at, problem: e.problem }
}
