//! Long-running work of a workspace, on the page's thread: one sync run, "Test connection".
//! Each is a chain of short tasks (every network and IndexedDB call yields), so the page stays
//! responsive; one sync per workspace across tabs (Web Locks).

use super::http::{Probe, RestRemote};
use super::idb::Cache;
use crate::core::model::Timestamp;
use crate::core::rest::api::Credentials;
use crate::core::rest::profile::Profile;
use crate::core::sync::Env;
use crate::core::sync::engine::{self, Progress, SyncReport};
use crate::core::sync::remote::RemoteError;

struct BrowserEnv;

impl Env for BrowserEnv {
    fn now(&self) -> Timestamp {
        super::now()
    }
    fn random(&self) -> f64 {
        js_sys::Math::random()
    }
}

/// One sync run of a workspace against its backend, holding the workspace's sync lock.
/// `None` when another tab holds it (its changes arrive over the broadcast channel).
pub async fn sync(
    cache: std::rc::Rc<Cache>,
    workspace: &str,
    remote: std::rc::Rc<RestRemote>,
    progress: impl FnMut(Progress) + 'static,
) -> Option<SyncReport> {
    let mut progress = progress;
    super::with_lock(&format!("kehu-sync:{workspace}"), async move {
        engine::sync(&*remote, &*cache, &BrowserEnv, &mut progress).await
    })
    .await
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
