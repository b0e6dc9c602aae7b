//! Form drafts on this device, shared by the customer form and the record forms: the fields go
//! to `localStorage` as the user types (keyed by workspace, kind, customer and record:
//! `core::form::draft_key`), a ticket's photos to the workspace's IndexedDB `files` store (data
//! URLs can be megabytes). A draft that cannot be kept says so instead of failing silently.
//! A draft an older build kept under another key is moved to today's when its form opens
//! (`adopt_legacy`); drafts that can never be found again are forgotten when a workspace opens
//! (`sweep`, decided by `core::form::draft_fate`).

use crate::app::i18n::*;
use crate::app::state::{AppState, Phase};
use crate::app::ui::dom::fill;
use crate::core::form::{self, Draft};
use crate::core::model::Entity;
use crate::core::model::Photo;
use crate::core::sync::local::LocalError;
use leptos::prelude::*;

// Forgetting form drafts that can never be found again, fetched with the `stored` chunk.
crate::app::lazy::chunk!(load_sweep in stored: Sweep = |app| Box::pin(sweep_open(app)));

/// The draft key of a form of the open workspace (`record` = `new` for a new record).
pub fn key(kind: Entity, customer: &str, record: &str) -> String {
    form::draft_key(&crate::app::session::current_id().unwrap_or_default(), kind.as_str(), customer, record)
}

pub fn load(key: &str) -> Option<Draft> {
    crate::shell::storage::local_get(key).and_then(|t| serde_json::from_str(&t).ok())
}

/// Keeps (or with `None` forgets) a draft's fields; `Err` with the browser's reason when they
/// could not be kept.
pub fn store(key: &str, d: Option<&Draft>) -> Result<(), String> {
    let text = match d {
        Some(d) => Some(serde_json::to_string(d).map_err(|e| e.to_string())?),
        None => None,
    };
    crate::shell::storage::local_try_set(key, text.as_deref())
}

fn photos_key(key: &str) -> String {
    format!("{key}.photos")
}

/// The photos kept with a draft; `None` when they cannot be read back.
pub async fn load_photos(key: &str) -> Option<Vec<Photo>> {
    crate::app::session::get_file(&photos_key(key)).await.and_then(|t| serde_json::from_str(&t).ok())
}

/// Keeps (or with `None` forgets) a draft's photos; `Err` with the reason they could not be kept.
pub async fn store_photos(key: &str, photos: Option<&[Photo]>) -> Result<(), String> {
    let text = match photos {
        Some(p) => Some(serde_json::to_string(p).map_err(|e| e.to_string())?),
        None => None,
    };
    crate::app::session::set_file(&photos_key(key), text.as_deref()).await.map_err(|e| match e {
        LocalError::QuotaExceeded => "QuotaExceededError".to_string(),
        LocalError::Storage(m) => m,
    })
}

/// Forgets a draft: its fields and its photos.
pub fn forget(key: &str) {
    let _ = store(key, None);
    let key = key.to_string();
    leptos::task::spawn_local(async move {
        let _ = store_photos(&key, None).await;
    });
}

/// Moves the draft an older build kept for this record form (under a key without the
/// workspace, its photos inside it) to today's key, its photos to the files store, so the form
/// finds it. A draft already under today's key wins; the older one is dropped. The older key
/// goes once its photos are kept (if they cannot be, it stays and the next opening tries again).
pub fn adopt_legacy(key: &str, kind: Entity, customer: &str, record: &str) {
    let old_key = form::legacy_draft_key(kind.as_str(), customer, record);
    let Some(text) = crate::shell::storage::local_get(&old_key) else { return };
    let Some((draft, photos)) = form::read_legacy_draft(&text) else {
        crate::shell::storage::local_set(&old_key, None);
        return;
    };
    if crate::shell::storage::local_get(key).is_some() {
        crate::shell::storage::local_set(&old_key, None);
        return;
    }
    if store(key, Some(&draft)).is_err() {
        return;
    }
    if photos.is_empty() {
        crate::shell::storage::local_set(&old_key, None);
        return;
    }
    // Queued before the form's own read of the draft's photos (IndexedDB keeps that order).
    let key = key.to_string();
    leptos::task::spawn_local(async move {
        if store_photos(&key, Some(photos.as_slice())).await.is_ok() {
            crate::shell::storage::local_set(&old_key, None);
        }
    });
}

/// Forgets the drafts that can never be found again (`core::form::draft_fate`): a draft of the
/// open workspace whose record is gone, with its photos; a draft of a workspace whose cache is
/// gone from the device; an older build's draft that no workspace on the device can have. Run
/// when a workspace is open and ready.
pub async fn sweep(workspace: &str, complete: bool, exists: impl Fn(&str, &str, &str) -> bool) {
    let keys = crate::shell::storage::local_keys(form::DRAFT_PREFIX);
    if keys.is_empty() {
        return;
    }
    let names = crate::shell::idb::database_names().await;
    let on_device: Vec<String> = names.iter().filter_map(|n| n.strip_prefix("kehu:")).map(str::to_string).collect();
    // A browser that cannot list its databases (or lists none, not even the open one) says nothing.
    let listed = on_device.iter().any(|w| w == workspace);
    let scope = form::DraftScope { open: workspace, on_device: listed.then_some(on_device.as_slice()), complete };
    for key in keys {
        let Some(k) = form::parse_draft_key(&key) else { continue };
        match form::draft_fate(&k, scope, &exists) {
            form::DraftFate::Keep => {}
            form::DraftFate::Forget { photos: false } => crate::shell::storage::local_set(&key, None),
            form::DraftFate::Forget { photos: true } => {
                crate::shell::storage::local_set(&key, None);
                let _ = store_photos(&key, None).await;
            }
        }
    }
}

/// Sweeps the drafts after the first screen of each workspace opened (the sweep is code of the
/// `stored` chunk, fetched then anyway).
pub fn watch(app: AppState) {
    Effect::new(move |_| {
        if app.phase.get() != Phase::Ready {
            return;
        }
        leptos::task::spawn_local(async move {
            crate::shell::clock::after_paint().await;
            if let Ok(run) = load_sweep().await {
                run(app).await;
            }
        });
    });
}

/// [`sweep_open`], reached through its chunk.
pub type Sweep = fn(AppState) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>;

/// [`sweep`] over the open workspace, as its records are now (a later sync may remove more; the
/// next opening sweeps again).
pub async fn sweep_open(app: AppState) {
    if app.phase.get_untracked() != Phase::Ready {
        return;
    }
    let Some(id) = crate::app::session::current_id() else { return };
    let complete = app.unreadable.get_untracked() == 0;
    let ws = app.workspace;
    sweep(&id, complete, move |k, c, r| ws.with_untracked(|w| form::draft_target_exists(w, k, c, r))).await;
}

/// What went wrong with a draft.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// It could not be kept, for the browser's reason (`QuotaExceededError`: storage is full).
    NotKept(String),
    /// Its photos could not be read back.
    PhotosLost,
}

/// What went wrong, for the user.
pub fn problem_text(l: Locale, p: &Problem) -> String {
    match p {
        Problem::NotKept(reason) => {
            let why =
                if reason.contains("Quota") { td_string!(l, draft_storage_full).to_string() } else { reason.clone() };
            fill(td_string!(l, draft_not_kept), &[("reason", &why)])
        }
        Problem::PhotosLost => td_string!(l, draft_photos_lost).to_string(),
    }
}

/// The notes above a form: a restored draft (with "Discard draft"), fields changed elsewhere
/// since the draft began (the user's text kept), and a draft that could not be kept.
#[component]
pub fn DraftNotes(
    restored: RwSignal<bool>,
    rebased: Vec<(String, String)>,
    problem: Signal<Option<Problem>>,
    #[prop(into)] on_discard: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let rebased = (!rebased.is_empty()).then(|| {
        view! {
            <div class="notice" role="status" data-testid="draft-rebased">
                <p>{tr(|l| td_string!(l, draft_rebased))}</p>
                <ul>{rebased.into_iter().map(|(f, v)| view! { <li>{format!("{f}: {}", crate::app::ui::format::text_or_none(&v))}</li> }).collect_view()}</ul>
            </div>
        }
    });
    view! {
        <Show when=move || restored.get()>
            <div class="notice" role="status" data-testid="draft-restored">
                {tr(|l| td_string!(l, draft_restored))} " "
                <button type="button" class="secondary" data-testid="draft-discard" on:click=move |_| on_discard.run(())>{tr(|l| td_string!(l, draft_discard))}</button>
            </div>
        </Show>
        {rebased}
        <p class="error" role="alert" data-testid="draft-problem">{move || problem.get().map(|p| problem_text(i18n.get_locale(), &p))}</p>
    }
}
