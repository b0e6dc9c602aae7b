//! Code fetched when first needed: the mechanism. In the release build (`--cfg kehu_split`, see
//! `scripts/build-app.sh`) every function declared with [`chunk!`] is a split point: wasm-split-cli
//! cuts what only it reaches out of the app's module into a chunk of its own (code two of them
//! share goes into a shared chunk), and the first call fetches it. The start-up download carries
//! the shell, the cache and the customer list; every other page, the analytics and the sync
//! engine come after the first screen. Elsewhere (tests, `cargo check`) the same functions are
//! ordinary code.
//!
//! The split points live beside what they load (the pages' in the route table of `app/mod.rs`,
//! the sync engine's in `session::sync`, …); wasm-split groups them by the chunk name given in
//! `chunk!`, not by the Rust module they are written in. A split point hands back a function
//! pointer into its chunk (a page's view, the sync run, the analytics chains), so that the
//! caller's reactive owner and arguments stay with the caller.

use crate::app::i18n::*;
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

/// `chunk!(load_fn in chunk_name: Type = value)`: an async `load_fn()` that fetches the chunk
/// `chunk_name` once and hands back `value`. Split points with one chunk name share its fetch:
/// the pages used together are one chunk, so a visit to a customer fetches the customer page and
/// both forms at once.
macro_rules! chunk {
    ($load:ident in $module:ident: $ty:ty = $value:expr) => {
        #[cfg(kehu_split)]
        #[wasm_split_helpers::wasm_split($module, fallible)]
        pub fn $load() -> Result<$ty, $crate::app::lazy::LoadFailed> {
            Ok($value)
        }
        #[cfg(not(kehu_split))]
        pub async fn $load() -> Result<$ty, $crate::app::lazy::LoadFailed> {
            Ok($value)
        }
    };
}
pub(crate) use chunk;

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
        None => view! { <crate::app::ui::status::Loading /> }.into_any(),
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
