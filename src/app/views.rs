//! Saved views of the customer list (named filters), kept on this device per workspace.

use crate::core::filter::{CustomerFilter, SavedView};
use leptos::prelude::*;

// The stored views are decoded by the `stored` chunk, after the first screen.
crate::app::lazy::chunk!(read_saved_views in stored: fn(&str) -> Vec<crate::core::filter::SavedView> = |text| serde_json::from_str(text).unwrap_or_default());

#[derive(Clone, Copy)]
pub struct Views {
    list: RwSignal<Vec<SavedView>>,
    /// Whether `list` holds what is stored: until the stored list is read (its decoder comes
    /// with a chunk, after the first screen) or if it cannot be, changes are not written over it.
    read: RwSignal<bool>,
}

fn key() -> Option<String> {
    crate::app::session::current_id().map(|id| format!("kehu.views.{id}"))
}

/// Reads the open workspace's saved views (their decoder comes with the `stored` chunk).
async fn load(views: Views) {
    views.read.set(false);
    let Some(k) = key() else { return };
    let list = match crate::shell::storage::local_get(&k) {
        None => Vec::new(),
        Some(text) => match read_saved_views().await {
            Ok(decode) => decode(&text),
            Err(crate::app::lazy::LoadFailed) => return,
        },
    };
    if key().as_deref() == Some(k.as_str()) {
        // Views saved in the moment before the list was read are kept, and then stored too.
        let added = views.list.get_untracked();
        let mut list = list;
        for v in &added {
            list.retain(|x| x.name != v.name);
            list.push(v.clone());
        }
        views.list.set(list);
        views.read.set(true);
        if !added.is_empty() {
            store(views);
        }
    }
}

fn store(views: Views) {
    if let Some(k) = key()
        && views.read.get_untracked()
    {
        views
            .list
            .with_untracked(|list| crate::shell::storage::local_set(&k, serde_json::to_string(list).ok().as_deref()));
    }
}

/// Provided once by the app shell; reloaded when another workspace opens.
pub fn provide(app: crate::app::state::AppState) {
    let views = Views { list: RwSignal::new(Vec::new()), read: RwSignal::new(false) };
    Effect::new(move |_| {
        if app.phase.get() == crate::app::state::Phase::Ready {
            views.list.set(Vec::new());
            leptos::task::spawn_local(async move {
                crate::shell::clock::after_paint().await;
                load(views).await;
            });
        }
    });
    provide_context(views);
}

/// The saved views (outside the app shell, as in component tests: an empty list of its own,
/// never stored). Taken when a component is made; its methods work in event handlers.
pub fn saved_views() -> Views {
    use_context::<Views>().unwrap_or_else(|| Views { list: RwSignal::new(Vec::new()), read: RwSignal::new(false) })
}

impl Views {
    pub fn with<R>(&self, f: impl FnOnce(&Vec<SavedView>) -> R) -> R {
        self.list.with(f)
    }

    /// Saves (or replaces, by name) a view.
    pub fn add(self, name: &str, filter: CustomerFilter) {
        let name = name.trim();
        if name.is_empty() {
            return;
        }
        self.list.update(|v| {
            v.retain(|x| x.name != name);
            v.push(SavedView { name: name.to_string(), filter });
        });
        if self.read.get_untracked() {
            store(self);
        } else {
            // The stored list is not read yet (or could not be): read it now; it keeps this view
            // and stores both.
            leptos::task::spawn_local(load(self));
        }
    }

    pub fn remove(self, name: &str) {
        self.list.update(|v| v.retain(|x| x.name != name));
        store(self);
    }
}

/// The saved views as a list: each opens the customer list with its filter, or is deleted.
/// `on_open` runs before a view's link is followed (the customer list uses it to take the
/// view's search text over what was being typed).
#[component]
pub fn SavedViewList(#[prop(optional)] on_open: Option<Callback<CustomerFilter>>) -> impl IntoView {
    use crate::app::i18n::*;
    use crate::app::ui::dom::fill;
    let i18n = crate::app::i18n::use_i18n();
    let views = saved_views();
    move || {
        let l = i18n.get_locale();
        let items = views
            .list
            .get()
            .into_iter()
            .map(|v| {
                let name = v.name.clone();
                let delete_label = fill(td_string!(l, view_delete), &[("name", &v.name)]);
                let href = crate::app::paths::href(&format!("/customers{}", v.filter.query()));
                let filter = v.filter.clone();
                view! {
                    <li>
                        <a href=href on:click=move |_| { if let Some(f) = on_open { f.run(filter.clone()) } }>{v.name.clone()}</a>
                        <button type="button" class="secondary small" aria-label=delete_label on:click=move |_| views.remove(&name)>
                            {td_string!(l, remove)}
                        </button>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="plain saved-views" data-testid="saved-view-list">{items}</ul> }
    }
}
