//! Long-running work of a workspace, on the page's thread: one sync run, "Test connection".
//! Each is a chain of short tasks (every network and IndexedDB call yields), so the page stays
//! responsive; one sync per workspace across tabs (Web Locks).

use super::http::{Probe, RestRemote};
use super::idb::Cache;
use crate::core::model::Timestamp;
use crate::core::rest::api::Credentials;
use crate::core::rest::config::ProfileRef;
use crate::core::rest::profile::Profile;
use crate::core::sync::Env;
use crate::core::sync::engine::{self, Progress, SyncError, SyncOptions, SyncReport};
use crate::core::sync::remote::RemoteError;

struct BrowserEnv;

impl Env for BrowserEnv {
    fn now(&self) -> Timestamp {
        super::clock::now()
    }
    fn random(&self) -> f64 {
        super::clock::random()
    }
}

/// One sync run of a workspace against its backend, holding the workspace's sync lock: the
/// report (`None` when another tab holds the lock; its changes arrive over the broadcast
/// channel) and the credentials after it (a login may have been refreshed). The profile is
/// parsed here, in the sync engine's chunk: one that is not valid stops the run before anything
/// is sent, and says why.
pub async fn sync(
    cache: std::rc::Rc<Cache>,
    workspace: &str,
    profile: &ProfileRef,
    creds: Credentials,
    options: SyncOptions,
    progress: impl FnMut(Progress) + 'static,
) -> (Option<SyncReport>, Credentials) {
    let profile = match profile.parse() {
        Ok(p) => p,
        Err(errors) => {
            let report = SyncReport { error: Some(SyncError::Profile(errors)), ..SyncReport::default() };
            return (Some(report), creds);
        }
    };
    let remote = std::rc::Rc::new(RestRemote::new(profile, creds));
    let mut progress = progress;
    let running = remote.clone();
    let report = super::locks::with_lock(&format!("kehu-sync:{workspace}"), async move {
        engine::sync(&*running, &*cache, &BrowserEnv, options, &mut progress).await
    })
    .await;
    (report, remote.credentials())
}

/// "Test connection" for a profile that may not be saved yet, signing in first for a login
/// backend.
pub async fn probe(
    profile: Profile,
    secret: Option<String>,
    login: Option<(String, String)>,
) -> Result<Vec<Probe>, RemoteError> {
    let remote = RestRemote::new(profile, Credentials { secret, session: None });
    if let Some((user, password)) = login {
        remote.login(&user, &password).await?;
    }
    Ok(remote.test_connection().await)
}
