//! The open workspace's session — glue between the shell's edges and the app's signals. Non-`Send`
//! handles (the database, the HTTP client) live in a thread-local [`Runtime`]; signals hold plain
//! data. This file holds the runtime and re-exports what pages call; each job has its own file,
//! in the order they may import each other: `clock`, `choice`, `files` → `stored` → `tabs` →
//! `sync` → `edits`, `wipe` → `open`.

mod choice;
mod clock;
mod edits;
mod files;
mod open;
mod reminders;
mod stages;
mod stored;
mod sync;
mod tabs;
mod wipe;

pub use choice::{WorkspaceChoice, load_credentials, remembered, sign_in, sign_out, store_credentials};
pub use edits::{Import, discard, import, resolve, retry, save};
pub use files::{get_file, get_meta, is_demo, set_file, set_meta};
pub use open::{start, switch};
pub use reminders::start as start_reminders;
pub use stages::save_stages;
pub use sync::{SyncRun, probe, request_full_check};
pub use wipe::{AtStake, at_stake, wipe_device};

use crate::core::rest::config::ProfileRef;
use crate::core::sync::new_record_id;
use crate::shell::idb::Cache;
use crate::shell::tabs::Channel;
use leptos::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;

struct Runtime {
    id: String,
    cache: Rc<Cache>,
    /// The backend profile (`None` for the demo).
    profile: Option<ProfileRef>,
    /// This workspace's channel to the other tabs (none where the browser has no BroadcastChannel).
    channel: Option<Channel>,
}

thread_local! {
    static RUNTIME: RefCell<Option<Rc<Runtime>>> = const { RefCell::new(None) };
    static SYNC_TIMER: RefCell<Option<TimeoutHandle>> = const { RefCell::new(None) };
}

fn runtime() -> Option<Rc<Runtime>> {
    RUNTIME.with(|r| r.borrow().clone())
}

/// Whether `rt`'s workspace is the one open (the same runtime, or the same workspace opened
/// again since). Work that awaited (a sync run, a save, a message from another tab) checks this
/// before it touches the screen: after a switch, results of the workspace left behind belong to
/// its own cache only, never to the one now shown.
fn is_open(rt: &Runtime) -> bool {
    runtime().is_some_and(|r| std::ptr::eq(&*r, rt) || r.id == rt.id)
}

/// The user's name on this device (visit rep, "my tickets"); set in Settings.
pub fn me() -> String {
    crate::shell::storage::local_get("kehu.me").unwrap_or_default()
}

pub fn set_me(name: &str) {
    let name = name.trim();
    crate::shell::storage::local_set("kehu.me", (!name.is_empty()).then_some(name));
}

/// A new client-side id for a record the user creates.
pub fn new_id() -> String {
    new_record_id(crate::shell::clock::random_bytes())
}

pub fn current_id() -> Option<String> {
    runtime().map(|rt| rt.id.clone())
}
