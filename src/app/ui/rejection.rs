//! What the backend said about a record's fields when it refused the last change (400/422).
//!
//! The change waits in the outbox as rejected (see the Sync page). The form that edits the
//! record shows each message under its field, as the server wrote it (text, never markup), and
//! all of them above the form, until the change is sent again or discarded.

use crate::app::i18n::*;
use crate::app::state::AppState;
use crate::app::ui::labels;
use crate::core::model::Entity;
use crate::core::sync::outbox::EntryState;
use leptos::prelude::*;

/// The server's messages per field for the record the current form edits.
#[derive(Clone, Copy)]
pub struct ServerErrors(Memo<Vec<(String, String)>>);

impl ServerErrors {
    /// The messages for one field (tracked).
    pub fn messages(self, field: &str) -> Vec<String> {
        self.0.with(|v| v.iter().filter(|(f, _)| f == field).map(|(_, m)| m.clone()).collect())
    }
}

/// Provides the server's field errors for a record to the form's fields.
pub fn provide(app: AppState, entity: Entity, id: Option<String>) {
    let errors = Memo::new(move |_| {
        let Some(id) = id.as_deref() else { return Vec::new() };
        app.outbox.with(|o| {
            o.iter()
                .find(|e| e.entity == entity && e.record_id == id)
                .and_then(|e| match &e.state {
                    EntryState::Rejected { fields, .. } => Some(fields.clone()),
                    _ => None,
                })
                .unwrap_or_default()
        })
    });
    provide_context(ServerErrors(errors));
}

/// The server's messages for a field of the form being built (none outside such a form).
pub fn for_field(field: &'static str) -> impl Fn() -> Vec<String> + Copy {
    let ctx = use_context::<ServerErrors>();
    move || ctx.map(|c| c.messages(field)).unwrap_or_default()
}

/// Above the form: the server refused the last change of this record, and why, per field.
#[component]
pub fn Summary() -> impl IntoView {
    let ctx = use_context::<ServerErrors>();
    let i18n = crate::app::i18n::use_i18n();
    move || {
        let errors = ctx.map(|c| c.0.get()).unwrap_or_default();
        (!errors.is_empty()).then(|| {
            let l = i18n.get_locale();
            view! {
                <div class="banner error" role="alert" data-testid="server-rejection">
                    <p>{td_string!(l, server_refused)}</p>
                    <ul>
                        {errors
                            .into_iter()
                            .map(|(f, m)| {
                                let label = labels::field(l, &f).map(str::to_string).unwrap_or(f);
                                view! { <li><strong>{label}</strong> ": " {m}</li> }
                            })
                            .collect_view()}
                    </ul>
                </div>
            }
        })
    }
}
