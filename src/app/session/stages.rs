//! The open workspace's own pipeline stages: read from its cache when it opens (the default when
//! it has none), saved when Settings changes them, and told to its other tabs, which read them
//! again (`tabs` listens for [`CHANGED`]).

use super::runtime;
use crate::app::state::AppState;
use crate::core::model::Stages;
use crate::core::sync::local::LocalError;
use crate::shell::idb::Cache;
use leptos::prelude::*;

// Decoding them is code of the `stored` chunk (fetched only for a workspace with its own stages).
crate::app::lazy::chunk!(stages_decoder in stored: fn(&str) -> Option<Stages> = |text| {
    serde_json::from_str::<Stages>(text).ok().map(|mut s| {
        s.normalise();
        s
    })
});

/// The key of a workspace's own pipeline stages in its `meta` store (none: the default stages).
pub const STAGES_KEY: &str = "stages";

/// The message on the workspace's channel saying its stages changed (a JSON object with
/// `"stages": true`).
pub(super) const CHANGED: &str = r#"{"stages":true}"#;

/// The workspace's pipeline stages from its cache: the default when it has none of its own, or
/// when they cannot be read.
pub(super) async fn load_stages(cache: &Cache) -> Stages {
    let Some(text) = cache.get_meta(STAGES_KEY).await.ok().flatten() else { return Stages::default() };
    match stages_decoder().await {
        Ok(decode) => decode(&text).unwrap_or_default(),
        Err(crate::app::lazy::LoadFailed) => Stages::default(),
    }
}

/// Shows the open workspace's pipeline stages at once (before this returns) and saves them in its
/// cache, then tells its other tabs (the future, with the storage error if any).
pub fn save_stages(state: AppState, stages: Stages) -> impl std::future::Future<Output = Result<(), LocalError>> {
    let text = serde_json::to_string(&stages).map_err(|e| LocalError::Storage(e.to_string()));
    state.stages.set(stages);
    async move {
        super::set_meta(STAGES_KEY, Some(&text?)).await?;
        if let Some(rt) = runtime()
            && let Some(ch) = &rt.channel
        {
            ch.post(CHANGED);
        }
        Ok(())
    }
}
