//! Code fetched when first needed. In the release build (`--cfg kehu_split`, see
//! `scripts/build-app.sh`) each function below is a split point: wasm-split-cli cuts what only it
//! reaches out of the app's module into a chunk of its own (code two of them share goes into a
//! shared chunk), and the first call fetches it. The start-up download carries the shell, the
//! cache and the customer list; every other page, the analytics and the sync engine come after
//! the first screen. Elsewhere (tests, `cargo check`) the same functions are ordinary code.
//!
//! A split point hands back a function pointer into its chunk (a page's view, the sync run, the
//! analytics chains), so that the caller's reactive owner and arguments stay with the caller.

use super::i18n::*;
use super::tr;
use leptos::prelude::*;
use std::future::Future;

/// A page's view function, reached through its chunk.
pub type Page = fn() -> AnyView;

/// A chunk could not be fetched (offline before the service worker had saved it, or a deploy
/// replaced it meanwhile).
#[derive(Debug, Clone, Copy)]
pub struct LoadFailed;

#[cfg(kehu_split)]
impl From<wasm_split_helpers::SplitLoaderError> for LoadFailed {
    fn from(_: wasm_split_helpers::SplitLoaderError) -> Self {
        LoadFailed
    }
}

/// `chunk!(load_fn in module: Type = value)`: an async `load_fn()` that fetches `module` once and
/// hands back `value`. Functions of one module share its fetch: the pages used together are one
/// module, so a visit to a customer fetches the customer page and both forms at once.
macro_rules! chunk {
    ($load:ident in $module:ident: $ty:ty = $value:expr) => {
        #[cfg(kehu_split)]
        #[wasm_split_helpers::wasm_split($module, fallible)]
        pub fn $load() -> Result<$ty, LoadFailed> {
            Ok($value)
        }
        #[cfg(not(kehu_split))]
        pub async fn $load() -> Result<$ty, LoadFailed> {
            Ok($value)
        }
    };
}

// Fetched right after the first screen: the analysis of the workspace, and (with a backend) the
// sync engine with the REST client and the profile parser.
chunk!(analytics in analytics: super::analytics::Chains = super::analytics::Chains::get());
chunk!(sync_engine in sync_engine: super::session::SyncRun = |cache, id, profile, creds, options, progress| {
    Box::pin(async move { crate::shell::tasks::sync(cache, &id, &profile, creds, options, progress).await })
});
// Only for a cache written by an older build (schema 1), before it is read.
chunk!(migrate in migrate: super::session::Migrate = |cache| Box::pin(cache.migrate_rows()));
// What this device keeps for the open workspace besides its records — the outbox, the records'
// data problems, the last sync run, the saved views of the list — read just after the first screen.
chunk!(outbox in stored: super::session::ReadOutbox = |cache| Box::pin(async move { crate::core::sync::local::Local::outbox(&*cache).await }));
chunk!(last_sync in stored: fn(&str) -> Option<super::state::LastSync> = |text| serde_json::from_str(text).ok());
chunk!(problems in stored: super::session::ReadProblems = |cache| Box::pin(async move { cache.problems().await }));
chunk!(saved_views in stored: fn(&str) -> Vec<crate::core::filter::SavedView> = |text| serde_json::from_str(text).unwrap_or_default());
// Forgetting form drafts that can never be found again (src/app/draft.rs), in the same chunk.
chunk!(draft_sweep in stored: super::draft::Sweep = |app| Box::pin(super::draft::sweep_open(app)));
// The customer list's actions, at first use: the CSV export, and saving a bulk action.
chunk!(export_list in bulk: fn(super::state::AppState, super::analytics::Analytics, Vec<usize>) -> String = super::csv_io::export);
chunk!(bulk_save in bulk: super::session::Import = |app, records| Box::pin(super::session::import(app, records)));
// Pages, on first visit.
chunk!(customer in records: Page = || view! { <super::customer::CustomerPage /> }.into_any());
chunk!(customer_form in records: Page = || view! { <super::forms::CustomerForm /> }.into_any());
chunk!(record_form in records: Page = || view! { <super::record_form::RecordForm /> }.into_any());
chunk!(segments in segments: Page = || view! { <super::segments::SegmentsPage /> }.into_any());
chunk!(service in service: Page = || view! { <super::service::ServicePage /> }.into_any());
chunk!(sync in admin: Page = || view! { <super::sync_page::SyncPage /> }.into_any());
chunk!(settings in admin: Page = || view! { <super::settings::SettingsPage /> }.into_any());

/// Shows the page `load` fetches: "Loading…" meanwhile, and if it cannot be fetched a message
/// with a retry button (nothing of the workspace is touched).
pub fn lazy<Fut>(load: fn() -> Fut) -> impl IntoView
where
    Fut: Future<Output = Result<Page, LoadFailed>> + 'static,
{
    let page = RwSignal::new(None::<Result<Page, LoadFailed>>);
    let fetch = move || {
        page.set(None);
        leptos::task::spawn_local(async move {
            let got = load().await;
            if !page.is_disposed() {
                page.set(Some(got));
            }
        });
    };
    fetch();
    move || match page.get() {
        None => view! { <super::pages::Loading /> }.into_any(),
        Some(Ok(view)) => view(),
        Some(Err(LoadFailed)) => view! {
            <section class="page">
                <p role="alert" data-testid="chunk-failed">{tr(|l| td_string!(l, chunk_failed))}</p>
                <button type="button" on:click=move |_| fetch()>{tr(|l| td_string!(l, retry))}</button>
            </section>
        }
        .into_any(),
    }
}
