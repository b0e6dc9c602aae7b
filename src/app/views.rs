//! Saved views of the customer list (named filters), kept on this device per workspace.

use crate::core::filter::{CustomerFilter, SavedView};
use leptos::prelude::*;

#[derive(Clone, Copy)]
struct Views(RwSignal<Vec<SavedView>>);

fn key() -> Option<String> {
    super::session::current_id().map(|id| format!("kehu.views.{id}"))
}

fn load() -> Vec<SavedView> {
    key().and_then(|k| crate::shell::local_get(&k)).and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default()
}

fn store(list: &[SavedView]) {
    if let Some(k) = key() {
        crate::shell::local_set(&k, serde_json::to_string(list).ok().as_deref());
    }
}

/// Provided once by the app shell; reloaded when another workspace opens.
pub fn provide(app: super::state::AppState) {
    let views = RwSignal::new(Vec::new());
    Effect::new(move |_| {
        if app.phase.get() == super::state::Phase::Ready {
            views.set(load());
        }
    });
    provide_context(Views(views));
}

/// The saved views (an empty, unshared list outside the app shell, as in component tests).
pub fn saved_views() -> RwSignal<Vec<SavedView>> {
    use_context::<Views>().map(|v| v.0).unwrap_or_else(|| RwSignal::new(Vec::new()))
}

/// Saves (or replaces, by name) a view.
pub fn add_view(views: RwSignal<Vec<SavedView>>, name: &str, filter: CustomerFilter) {
    let name = name.trim();
    if name.is_empty() {
        return;
    }
    views.update(|v| {
        v.retain(|x| x.name != name);
        v.push(SavedView { name: name.to_string(), filter });
    });
    views.with_untracked(|v| store(v));
}

pub fn remove_view(views: RwSignal<Vec<SavedView>>, name: &str) {
    views.update(|v| v.retain(|x| x.name != name));
    views.with_untracked(|v| store(v));
}

/// The saved views as a list: each opens the customer list with its filter, or is deleted.
/// `on_open` runs before a view's link is followed (the customer list uses it to take the
/// view's search text over what was being typed).
#[component]
pub fn SavedViewList(#[prop(optional)] on_open: Option<Callback<CustomerFilter>>) -> impl IntoView {
    use super::dom::fill;
    use super::i18n::*;
    let i18n = super::use_i18n();
    let views = saved_views();
    move || {
        let l = i18n.get_locale();
        let items = views
            .get()
            .into_iter()
            .map(|v| {
                let name = v.name.clone();
                let delete_label = fill(td_string!(l, view_delete), &[("name", &v.name)]);
                let href = super::base::href(&format!("/customers{}", v.filter.query()));
                let filter = v.filter.clone();
                view! {
                    <li>
                        <a href=href on:click=move |_| { if let Some(f) = on_open { f.run(filter.clone()) } }>{v.name.clone()}</a>
                        <button type="button" class="secondary small" aria-label=delete_label on:click=move |_| remove_view(views, &name)>
                            {td_string!(l, remove)}
                        </button>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="plain saved-views" data-testid="saved-view-list">{items}</ul> }
    }
}
