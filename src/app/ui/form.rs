//! The parts every form shares: fields the backend cannot take (shown fixed, with the reason),
//! the labelled text input with its errors, and the focus on the first invalid field.

use crate::app::i18n::*;
use crate::app::state::AppState;
use crate::app::ui::labels;
use crate::core::form::Fields;
use crate::core::model::Entity;
use crate::core::rest::profile::{Fixed, Profile, Resource};
use crate::core::validate::ValidationErrors;
use leptos::prelude::*;
use leptos_router::components::A;

/// The open backend's resource for the kind of record a form edits: which of its fields are
/// fixed (`core::rest::profile::Resource::fixed`). Each form provides it for its fields.
#[derive(Clone, Copy)]
pub struct FixedFields(Memo<Option<Resource>>);

/// Provides the open backend's resource for `kind` to the form's fields (none for the demo, or
/// a backend without that resource: then every field is editable, kept on the device).
pub fn provide_fixed(app: AppState, kind: Entity) {
    let resource = Memo::new(move |_| {
        app.backend
            .with(|b| b.as_ref().and_then(|p| p.parse().ok()).and_then(|p: Profile| p.resources.get(&kind).cloned()))
    });
    provide_context(FixedFields(resource));
}

/// The kinds of record the open backend has no resource for (none for the demo, or for a
/// profile that cannot be read): records of these kinds stay on this device, waiting.
pub fn kept_here(app: AppState) -> Memo<Vec<Entity>> {
    Memo::new(move |_| {
        app.backend.with(|b| {
            b.as_ref()
                .and_then(|p| p.parse().ok())
                .map(|p: Profile| Entity::ALL.iter().copied().filter(|e| !p.resources.contains_key(e)).collect())
                .unwrap_or_default()
        })
    })
}

/// The only values of a field the open backend can keep (BottleCRM keeps no cancelled task),
/// `None` when it keeps any.
pub fn known_values(name: &'static str) -> Option<Vec<String>> {
    let ctx = use_context::<FixedFields>()?;
    ctx.0.with_untracked(|r| Some(r.as_ref()?.known_values(name)?.into_iter().map(str::to_string).collect()))
}

/// Why a field of the form in view cannot be changed on this backend, if so.
pub fn fixed(name: &'static str) -> Signal<Option<Fixed>> {
    let ctx = use_context::<FixedFields>();
    Signal::derive(move || ctx.and_then(|c| c.0.with(|r| r.as_ref().and_then(|r| r.fixed(name)))))
}

/// The reason a field is fixed, in the user's language.
pub fn fixed_reason(l: Locale, why: Fixed) -> &'static str {
    match why {
        Fixed::NoField => td_string!(l, fixed_no_field),
        Fixed::SetByBackend => td_string!(l, fixed_set_by_backend),
    }
}

/// A field the backend cannot take: its value as text (not an input), marked fixed, with the
/// reason, and its errors if it has any.
#[component]
pub fn FixedField(
    name: &'static str,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] value: Signal<String>,
    why: Fixed,
    #[prop(optional)] errors: Option<RwSignal<ValidationErrors>>,
    #[prop(optional)] wide: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("f-{name}");
    view! {
        <div class="field fixed" class:wide=wide data-testid=format!("fixed-{name}")>
            <label for=id.clone()>{move || label.get()}</label>
            <output id=id name=name aria-describedby=format!("why-{name}")>
                <bdi>{move || crate::app::ui::format::text_or_none(&value.get())}</bdi>
            </output>
            <p class="hint" id=format!("why-{name}")>
                <span class="tag">{tr(|l| td_string!(l, field_fixed))}</span> " " {move || fixed_reason(i18n.get_locale(), why)}
            </p>
            <p class="error" id=format!("e-{name}") role="alert">
                {move || {
                    let l = i18n.get_locale();
                    errors
                        .map(|e| e.with(|e| e.for_field(name).map(|p| labels::problem(l, *p)).collect::<Vec<_>>()))
                        .unwrap_or_default()
                        .join(" ")
                }}
            </p>
        </div>
    }
}

/// A labelled input bound to one of a form's fields, with its errors underneath
/// (`aria-invalid`, `aria-describedby`); shown fixed where the backend cannot take it.
#[component]
pub fn TextField(
    name: &'static str,
    label: Signal<String>,
    fields: RwSignal<Fields>,
    errors: RwSignal<ValidationErrors>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] kind: Option<&'static str>,
    #[prop(optional, into)] hint: Option<Signal<String>>,
    #[prop(optional)] mode: Option<&'static str>,
) -> impl IntoView {
    let fixed = fixed(name);
    move || match fixed.get() {
        Some(why) => {
            let value = Signal::derive(move || fields.with(|f| f.get(name).cloned().unwrap_or_default()));
            view! { <FixedField name label value why errors /> }.into_any()
        }
        None => {
            view! { <TextInput name label fields errors required kind=kind.unwrap_or("text") hint mode /> }.into_any()
        }
    }
}

#[component]
fn TextInput(
    name: &'static str,
    label: Signal<String>,
    fields: RwSignal<Fields>,
    errors: RwSignal<ValidationErrors>,
    required: bool,
    kind: &'static str,
    hint: Option<Signal<String>>,
    mode: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("f-{name}");
    let err_id = format!("e-{name}");
    let server = crate::app::ui::rejection::for_field(name);
    let has_err = move || errors.with(|e| e.0.iter().any(|x| x.field == name)) || !server().is_empty();
    view! {
        <div class="field" class:invalid=has_err>
            <label for=id.clone()>
                {move || label.get()}
                {required.then_some(view! { <span class="req" aria-hidden="true">" *"</span> })}
            </label>
            <input
                id=id
                name=name
                type=kind
                inputmode=mode
                required=required
                aria-invalid=move || if has_err() { "true" } else { "false" }
                aria-describedby=err_id.clone()
                prop:value=move || fields.with(|f| f.get(name).cloned().unwrap_or_default())
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    fields.update(|f| {
                        f.insert(name.to_string(), v);
                    });
                }
            />
            {hint.map(|h| view! { <p class="hint">{move || h.get()}</p> })}
            <p class="error" id=err_id role="alert">
                {move || {
                    let l = i18n.get_locale();
                    errors
                        .with(|e| e.for_field(name).copied().collect::<Vec<_>>())
                        .into_iter()
                        .map(|p| view! { <span>{labels::problem(l, p)}</span> })
                        .collect_view()
                }}
                {move || server().into_iter().map(|m| view! { <span class="server-said">{m}</span> }).collect_view()}
            </p>
        </div>
    }
}

/// The end of a form that keeps a draft: "Save" (disabled while saving), "Cancel" back to
/// `cancel` (a route path), and the note that the draft stays on this device.
#[component]
pub fn FormFooter(saving: RwSignal<bool>, cancel: String) -> impl IntoView {
    view! {
        <div class="actions">
            <button type="submit" disabled=move || saving.get()>{tr(|l| td_string!(l, save))}</button>
            <A href=crate::app::paths::href(&cancel) attr:class="button secondary">{tr(|l| td_string!(l, cancel))}</A>
        </div>
        <p class="hint">{tr(|l| td_string!(l, draft_note))}</p>
    }
}

/// Moves the keyboard focus to the first field marked invalid (after the errors render).
pub fn focus_first_error() {
    crate::app::ui::dom::focus_first("[aria-invalid=true]");
}
