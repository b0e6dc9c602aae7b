//! Which workspace this device opens (the demo or a backend profile) and the backend's
//! credentials: a secret or login token, kept for the tab (`sessionStorage`) or remembered on the
//! device (`localStorage`) as the user chose.

use super::current_id;
use crate::core::rest::api::{Credentials, Tokens};
use crate::core::rest::config::ProfileRef;
use crate::core::rest::profile::Profile;
use crate::core::sync::remote::RemoteError;
use crate::shell::http::RestRemote;
use serde::{Deserialize, Serialize};

/// Which workspace to open, remembered on this device.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkspaceChoice {
    Demo,
    /// Kept as its JSON: parsed when the backend is first talked to (by the sync engine's chunk).
    Backend {
        profile: ProfileRef,
    },
}

pub(super) const CHOICE_KEY: &str = "kehu.workspace";

pub fn stored_choice() -> Option<WorkspaceChoice> {
    crate::shell::storage::local_get(CHOICE_KEY).and_then(|t| serde_json::from_str(&t).ok())
}

pub(super) fn store_choice(c: &WorkspaceChoice) {
    crate::shell::storage::local_set(CHOICE_KEY, serde_json::to_string(c).ok().as_deref());
}

pub fn workspace_id(choice: &WorkspaceChoice) -> String {
    match choice {
        WorkspaceChoice::Demo => "demo".into(),
        WorkspaceChoice::Backend { profile } => profile.workspace_id(),
    }
}

/// Credentials live in memory and `sessionStorage` (gone with the tab) unless the user asked to
/// be remembered on this device. Never in a URL, never logged.
pub(super) fn creds_key(id: &str) -> String {
    format!("kehu.credentials.{id}")
}

pub(super) fn tokens_key(id: &str) -> String {
    format!("kehu.session.{id}")
}

pub(super) fn stored(key: &str) -> Option<String> {
    crate::shell::storage::session_get(key).or_else(|| crate::shell::storage::local_get(key)).filter(|t| !t.is_empty())
}

pub fn load_credentials(id: &str) -> Credentials {
    let session = stored(&tokens_key(id)).and_then(|t| {
        let v: serde_json::Value = serde_json::from_str(&t).ok()?;
        let access = v.get("access")?.as_str()?.to_string();
        Some(Tokens { access, refresh: v.get("refresh").and_then(|r| r.as_str()).map(str::to_string) })
    });
    Credentials { secret: stored(&creds_key(id)), session }
}

pub fn store_credentials(id: &str, secret: Option<&str>, remember: bool) {
    crate::shell::storage::session_set(&creds_key(id), secret);
    crate::shell::storage::local_set(&creds_key(id), if remember { secret } else { None });
}

/// Keeps a login's tokens (never the password) in this tab, or on the device if asked.
pub fn store_tokens(id: &str, tokens: Option<&Tokens>, remember: bool) {
    let text = tokens.map(|t| serde_json::json!({ "access": t.access, "refresh": t.refresh }).to_string());
    crate::shell::storage::session_set(&tokens_key(id), text.as_deref());
    crate::shell::storage::local_set(&tokens_key(id), if remember { text.as_deref() } else { None });
}

pub fn remembered(id: &str) -> bool {
    crate::shell::storage::local_get(&creds_key(id)).is_some()
        || crate::shell::storage::local_get(&tokens_key(id)).is_some()
}

/// Signs in at a login backend and keeps the tokens for its workspace.
pub async fn sign_in(profile: &Profile, username: &str, password: &str, remember: bool) -> Result<(), RemoteError> {
    let remote = RestRemote::new(profile.clone(), Credentials::default());
    remote.login(username, password).await?;
    store_tokens(&profile.workspace_id(), remote.credentials().session.as_ref(), remember);
    Ok(())
}

/// Signs out of the open backend: its token, secret and login session are forgotten (in this
/// tab and on the device). The cache and unsynced edits stay; the next sync asks to sign in.
pub fn sign_out() {
    if let Some(id) = current_id() {
        store_credentials(&id, None, false);
        store_tokens(&id, None, false);
    }
}
