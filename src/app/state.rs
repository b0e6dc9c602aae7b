//! App-wide state, provided as context.

use crate::core::demo::{self, DemoConfig};
use crate::core::workspace::{Source, Workspace};
use leptos::prelude::*;
use std::sync::Arc;

/// The open workspace. With no backend configured it is the generated demo.
#[derive(Clone, Copy)]
pub struct AppState {
    pub workspace: RwSignal<Arc<Workspace>>,
}

pub fn demo_workspace(customers: usize) -> Workspace {
    let cfg = DemoConfig { seed: demo::DEFAULT_SEED, customers, as_of: crate::shell::today() };
    Workspace::new(Source::Demo { seed: cfg.seed, customers }, demo::generate(&cfg))
}

pub fn provide_demo_workspace() {
    provide_workspace(demo_workspace(demo::DEFAULT_CUSTOMERS));
}

pub fn provide_workspace(ws: Workspace) {
    provide_context(AppState { workspace: RwSignal::new(Arc::new(ws)) });
}

pub fn use_workspace() -> RwSignal<Arc<Workspace>> {
    match use_context::<AppState>() {
        Some(s) => s.workspace,
        // Components used outside the app shell (tests) get an empty workspace rather than a panic.
        None => {
            let ws = Workspace::new(Source::Demo { seed: 0, customers: 0 }, Default::default());
            RwSignal::new(Arc::new(ws))
        }
    }
}
