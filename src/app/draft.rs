//! Form drafts on this device, shared by the customer form and the record forms: the fields go
//! to `localStorage` as the user types (keyed by workspace, kind, customer and record:
//! `core::form::draft_key`), a ticket's photos to the workspace's IndexedDB `files` store (data
//! URLs can be megabytes). A draft that cannot be kept says so instead of failing silently.

use super::dom::fill;
use super::i18n::*;
use super::tr;
use super::use_i18n;
use crate::core::form::{self, Draft};
use crate::core::model::Photo;
use crate::core::sync::local::LocalError;
use crate::core::workspace::Entity;
use leptos::prelude::*;

/// The draft key of a form of the open workspace (`record` = `new` for a new record).
pub fn key(kind: Entity, customer: &str, record: &str) -> String {
    form::draft_key(&super::session::current_id().unwrap_or_default(), kind.as_str(), customer, record)
}

pub fn load(key: &str) -> Option<Draft> {
    crate::shell::local_get(key).and_then(|t| serde_json::from_str(&t).ok())
}

/// Keeps (or with `None` forgets) a draft's fields; `Err` with the browser's reason when they
/// could not be kept.
pub fn store(key: &str, d: Option<&Draft>) -> Result<(), String> {
    let text = match d {
        Some(d) => Some(serde_json::to_string(d).map_err(|e| e.to_string())?),
        None => None,
    };
    crate::shell::local_try_set(key, text.as_deref())
}

fn photos_key(key: &str) -> String {
    format!("{key}.photos")
}

/// The photos kept with a draft; `None` when they cannot be read back.
pub async fn load_photos(key: &str) -> Option<Vec<Photo>> {
    super::session::get_file(&photos_key(key)).await.and_then(|t| serde_json::from_str(&t).ok())
}

/// Keeps (or with `None` forgets) a draft's photos; `Err` with the reason they could not be kept.
pub async fn store_photos(key: &str, photos: Option<&[Photo]>) -> Result<(), String> {
    let text = match photos {
        Some(p) => Some(serde_json::to_string(p).map_err(|e| e.to_string())?),
        None => None,
    };
    super::session::set_file(&photos_key(key), text.as_deref()).await.map_err(|e| match e {
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
                <ul>{rebased.into_iter().map(|(f, v)| view! { <li>{format!("{f}: {}", if v.is_empty() { "—".to_string() } else { v })}</li> }).collect_view()}</ul>
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
