//! The other tabs of the open workspace: they are told which records changed (by a sync run or
//! by the user), or that its pipeline stages changed, and read them from the shared cache.

use super::clock::{edit_clock, not_edited_since, note_edit};
use super::stages::load_stages;
use super::stored::{show_outbox, show_problems};
use super::{Runtime, is_open, runtime};
use crate::app::state::AppState;
use crate::core::model::Entity;
use crate::core::record::Change;
use crate::core::sync::local::Local;
use crate::core::workspace::Workspace;
use crate::shell::tabs::Channel;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Tells the other tabs that many records changed: they read the whole cache again. `edited`:
/// by the user here (the tab that holds the sync lock then syncs soon).
pub(super) fn broadcast_all(rt: &Runtime, edited: bool) {
    if let Some(ch) = &rt.channel {
        let msg = serde_json::json!({ "all": true, "edited": edited });
        ch.post(&msg.to_string());
    }
}

/// Tells the other tabs of this workspace which records a sync changed.
pub(super) fn broadcast(rt: &Runtime, keys: &[(Entity, String)]) {
    post_keys(rt, keys, false);
}

/// Tells the other tabs which records the user changed here: they show them, and the tab that
/// is syncing sends them soon (this tab's own sync request finds the lock taken).
pub(super) fn broadcast_edit(rt: &Runtime, keys: &[(Entity, String)]) {
    post_keys(rt, keys, true);
}

pub(super) fn post_keys(rt: &Runtime, keys: &[(Entity, String)], edited: bool) {
    let Some(ch) = &rt.channel else { return };
    let msg = serde_json::json!({ "keys": keys.iter().map(|(e, id)| [e.as_str(), id.as_str()]).collect::<Vec<_>>(), "edited": edited });
    ch.post(&msg.to_string());
}

/// Listens for other tabs' changes and applies them from the shared cache; `on_edited` runs when
/// another tab says the user edited records there (the sync, which this tab may hold, sends them).
pub(super) fn listen(state: AppState, id: &str, on_edited: impl Fn() + 'static) -> Option<Channel> {
    Channel::open(&format!("kehu:{id}"), move |text: String| {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(&text) else { return };
        // `stages::CHANGED`: the workspace's pipeline stages changed.
        if msg["stages"].as_bool() == Some(true) {
            spawn_local(async move {
                let Some(rt) = runtime() else { return };
                let stages = load_stages(&rt.cache).await;
                if is_open(&rt) {
                    state.stages.set(stages);
                }
            });
            return;
        }
        let keys: Vec<(Entity, String)> = msg["keys"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|k| Some((Entity::parse(k.get(0)?.as_str()?)?, k.get(1)?.as_str()?.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        let all = msg["all"].as_bool() == Some(true);
        if msg["edited"].as_bool() == Some(true) {
            // Edits of the other tab are local edits here too: a run of this tab that read these
            // records before does not put its older copy on screen.
            note_edit(keys.iter().cloned());
            on_edited();
        }
        spawn_local(async move {
            let Some(rt) = runtime() else { return };
            if all {
                // Read again if this tab saved something while the cache was being read.
                for _ in 0..3 {
                    let since = edit_clock();
                    let Ok((data, _)) = rt.cache.load().await else { break };
                    if !is_open(&rt) {
                        return;
                    }
                    if edit_clock() != since {
                        continue;
                    }
                    let source = state.workspace.with_untracked(|w| w.source.clone());
                    state.workspace.set(Workspace::new(source, data));
                    break;
                }
                show_outbox(state, &rt).await;
                show_problems(state, &rt).await;
                return;
            }
            let since = edit_clock();
            let mut changes = Vec::new();
            for (e, id) in keys {
                match rt.cache.record(e, &id).await {
                    Ok(Some(r)) => changes.push(Change::Upsert(r)),
                    Ok(None) => changes.push(Change::Remove(e, id)),
                    Err(_) => {}
                }
            }
            if !is_open(&rt) {
                return;
            }
            // A record saved here while it was being read keeps this tab's newer version.
            let changes = not_edited_since(since, changes);
            state.workspace.update(|w| w.apply(changes));
            show_outbox(state, &rt).await;
            show_problems(state, &rt).await;
        });
    })
}
