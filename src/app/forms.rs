//! Forms: field-level validation with translated, accessible messages. Saving goes through the
//! session (record + outbox entry in one transaction), so it works offline. The customer form
//! keeps a draft on the device as the user types (`app::draft`), like the record forms.

use super::customers::customer_href;
use super::i18n::*;
use super::labels;
use super::session;
use super::state::{AppState, use_app};
use super::tr;
use super::use_i18n;
use crate::core::form::{self, Context, Draft, Fields};
use crate::core::model::Entity;
use crate::core::model::SupplyChainRole;
use crate::core::record::Record;
use crate::core::rest::profile::{Fixed, Profile, Resource};
use crate::core::sync::local::LocalError;
use crate::core::sync::local::SaveError;
use crate::core::sync::outbox::{Edit, EditError};
use crate::core::validate::ValidationErrors;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

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
                <bdi>{move || { let v = value.get(); if v.trim().is_empty() { "—".to_string() } else { v } }}</bdi>
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
    let server = super::rejection::for_field(name);
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

/// The message for a failed save.
pub fn save_error(l: Locale, e: &SaveError) -> String {
    save_error_text(l, e)
}

pub fn save_error_text(l: Locale, e: &SaveError) -> String {
    match e {
        SaveError::Edit(EditError::Exists) => td_string!(l, save_exists).to_string(),
        SaveError::Edit(EditError::Missing) => td_string!(l, save_missing).to_string(),
        SaveError::Edit(EditError::InConflict) => td_string!(l, save_in_conflict).to_string(),
        SaveError::Local(LocalError::QuotaExceeded) => td_string!(l, save_quota).to_string(),
        SaveError::Local(LocalError::Storage(m)) => format!("{} ({m})", td_string!(l, save_storage)),
    }
}

/// Create (`/customers/new`) or edit (`/customers/:id/edit`) a customer. Going from one
/// customer's form straight to another's (a link, the address, back and forward) keeps the
/// route's view but changes its `id`: the form is built afresh for it.
#[component]
pub fn CustomerForm() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id"));
    move || {
        let id = id.get();
        view! { <CustomerFormFor id /> }
    }
}

#[component]
fn CustomerFormFor(id: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let existing = id.as_deref().and_then(|id| app.workspace.with_untracked(|w| w.customer(id).cloned()));
    if id.is_some() && existing.is_none() {
        return view! {
            <section class="page">
                <h1>{tr(|l| td_string!(l, customer_not_found))}</h1>
                <p>
                    <A href=super::base::href("/customers")>{tr(|l| td_string!(l, back_to_customers))}</A>
                </p>
            </section>
        }
        .into_any();
    }
    let editing = existing.is_some();
    super::rejection::provide(app, Entity::Customers, existing.as_ref().map(|c| c.id.clone()));
    let errors = RwSignal::new(ValidationErrors::default());
    // The form's text starts as the customer's, or as the draft left here (moved onto the
    // customer's current version if it changed since the draft began).
    let start = form::customer_fields(existing.as_ref());
    let slot = id.clone().unwrap_or_else(|| "new".into());
    let key = super::draft::key(Entity::Customers, &slot, &slot);
    let restored = super::draft::load(&key);
    let had_draft = restored.is_some();
    let (fields0, rebased) = match restored {
        Some(Draft { fields, base: Some(base), .. }) if editing && base != start => {
            form::rebase(&fields, &base, &start)
        }
        Some(d) => (d.fields, Vec::new()),
        None => (start.clone(), Vec::new()),
    };
    let fields = RwSignal::new(fields0);
    let restored_note = RwSignal::new(had_draft);
    let draft_problem = RwSignal::new(None::<super::draft::Problem>);
    {
        let (key, start) = (key.clone(), start.clone());
        Effect::new(move |first: Option<()>| {
            let f = fields.get();
            if first.is_some() || had_draft {
                let d = Draft { fields: f, base: editing.then(|| start.clone()), photos: None };
                let r = super::draft::store(&key, (d.fields != start).then_some(&d));
                draft_problem.set(r.err().map(super::draft::Problem::NotKept));
            }
        });
    }
    let discard = {
        let (key, start) = (key.clone(), start.clone());
        move |()| {
            super::draft::forget(&key);
            fields.set(start.clone());
            restored_note.set(false);
            errors.set(ValidationErrors::default());
        }
    };
    let failure = RwSignal::new(None::<SaveError>);
    let saving = RwSignal::new(false);
    // Fields this backend cannot store are shown fixed, with the reason.
    provide_fixed(app, Entity::Customers);
    let role_fixed = fixed("role");
    let navigate = use_navigate();
    // The version the form was opened on. Saving applies only the fields the user changed to
    // the current version (a sync may have brought others' changes meanwhile); a field changed
    // on both sides is shown, and a second save keeps the user's value.
    let original = StoredValue::new(existing.clone());
    let changed_meanwhile = RwSignal::new(Vec::<(String, String)>::new());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
        let new_id = session::new_id();
        let me = session::me();
        let cx = Context {
            customer_id: "",
            new_id: &new_id,
            now: crate::shell::now(),
            today: crate::shell::today(),
            me: &me,
        };
        match fields.with_untracked(|f| form::build_customer(f, original.get_value(), &cx)) {
            Err(e) => {
                errors.set(e);
                focus_first_error();
            }
            Ok(mut c) => {
                if let Some(orig) = original.get_value() {
                    let current = app.workspace.with_untracked(|w| w.customer(&orig.id).cloned());
                    let Some(current) = current else {
                        failure.set(Some(SaveError::Edit(EditError::Missing)));
                        return;
                    };
                    let (o, m, t) = (
                        Record::Customers(orig).to_json(),
                        Record::Customers(c.clone()).to_json(),
                        Record::Customers(current.clone()).to_json(),
                    );
                    let merge = crate::core::sync::merge::three_way(&o, &m, &t);
                    if !merge.conflicts.is_empty() {
                        changed_meanwhile
                            .set(merge.conflicts.iter().map(|f| (f.field.clone(), show_value(&f.theirs))).collect());
                        original.set_value(Some(current));
                        return;
                    }
                    match Record::from_json(Entity::Customers, merge.merged) {
                        Ok(Record::Customers(mut merged)) => {
                            merged.updated_at = c.updated_at;
                            c = merged;
                        }
                        _ => {
                            failure.set(Some(SaveError::Edit(EditError::Missing)));
                            return;
                        }
                    }
                }
                changed_meanwhile.set(vec![]);
                errors.set(ValidationErrors::default());
                saving.set(true);
                let href = customer_href(&c.id);
                let seen = original.get_value().map(Record::Customers);
                let edit =
                    if editing { Edit::Update(Record::Customers(c)) } else { Edit::Create(Record::Customers(c)) };
                let navigate = navigate.clone();
                let key = key.clone();
                spawn_local(async move {
                    let r = session::save(app, edit, seen).await;
                    saving.set(false);
                    match r {
                        Ok(()) => {
                            super::draft::forget(&key);
                            navigate(&href, Default::default());
                        }
                        Err(e) => failure.set(Some(e)),
                    }
                });
            }
        }
    };
    let l = move |f: fn(Locale) -> &'static str| Signal::derive(move || f(i18n.get_locale()).to_string());
    let cancel = existing.as_ref().map(|c| customer_href(&c.id)).unwrap_or_else(|| "/customers".into());
    view! {
        <section class="page form-page">
            <h1>
                {move || if editing { td_string!(i18n.get_locale(), edit_customer).to_string() } else { td_string!(i18n.get_locale(), new_customer).to_string() }}
            </h1>
            <super::rejection::Summary />
            <super::draft::DraftNotes restored=restored_note rebased problem=draft_problem.into() on_discard=discard />
            <form novalidate on:submit=on_submit data-testid="customer-form">
                <div class="grid">
                    <TextField name="name" label=l(|l| td_string!(l, field_name)) fields errors required=true />
                    <TextField name="short_name" label=l(|l| td_string!(l, field_short_name)) fields errors />
                    {move || match role_fixed.get() {
                        Some(why) => {
                            let value = Signal::derive(move || {
                                let l = i18n.get_locale();
                                fields.with(|f| f.get("role").and_then(|r| SupplyChainRole::parse(r)).map(|r| labels::role(l, r).to_string()).unwrap_or_default())
                            });
                            view! { <FixedField name="role" label=l(|l| td_string!(l, field_role)) value why errors /> }.into_any()
                        }
                        None => view! {
                            <div class="field">
                                <label for="f-role">{tr(|l| td_string!(l, field_role))}</label>
                                <select
                                    id="f-role"
                                    prop:value=move || fields.with(|f| f.get("role").cloned().unwrap_or_default())
                                    on:change=move |ev| {
                                        let v = event_target_value(&ev);
                                        fields.update(|f| {
                                            f.insert("role".into(), v);
                                        });
                                    }
                                >
                                    {SupplyChainRole::ALL
                                        .iter()
                                        .map(|&r| view! { <option value=r.as_str()>{move || labels::role(i18n.get_locale(), r)}</option> })
                                        .collect_view()}
                                </select>
                            </div>
                        }
                        .into_any(),
                    }}
                    <TextField name="industry" label=l(|l| td_string!(l, field_industry)) fields errors />
                    <TextField name="region" label=l(|l| td_string!(l, field_region)) fields errors />
                    <TextField name="country" label=l(|l| td_string!(l, field_country)) fields errors />
                    <TextField name="city" label=l(|l| td_string!(l, field_city)) fields errors />
                    <TextField name="address" label=l(|l| td_string!(l, field_address)) fields errors />
                    <TextField name="owner" label=l(|l| td_string!(l, field_owner)) fields errors />
                    <TextField name="tags" label=l(|l| td_string!(l, field_tags)) fields errors />
                    <TextField name="currency" label=l(|l| td_string!(l, field_currency)) fields errors />
                    <TextField name="credit_limit" label=l(|l| td_string!(l, field_credit_limit)) fields errors mode="decimal" />
                    <TextField name="payment_terms_days" label=l(|l| td_string!(l, field_payment_terms_days)) fields errors mode="numeric" />
                    <TextField name="potential_annual_spend" label=l(|l| td_string!(l, field_potential_spend)) fields errors mode="decimal" />
                </div>
                <Show when=move || !changed_meanwhile.with(Vec::is_empty)>
                    <div class="confirm" role="alert" data-testid="changed-meanwhile">
                        <p>{tr(|l| td_string!(l, changed_meanwhile))}</p>
                        <ul>
                            {move || changed_meanwhile.get().into_iter().map(|(f, v)| view! { <li>{format!("{f}: {v}")}</li> }).collect_view()}
                        </ul>
                    </div>
                </Show>
                <p class="error" role="alert">
                    {move || failure.get().map(|e| save_error(i18n.get_locale(), &e))}
                </p>
                <div class="actions">
                    <button type="submit" disabled=move || saving.get()>{tr(|l| td_string!(l, save))}</button>
                    <A href=super::base::href(&cancel) attr:class="button secondary">{tr(|l| td_string!(l, cancel))}</A>
                </div>
                <p class="hint">{tr(|l| td_string!(l, draft_note))}</p>
            </form>
        </section>
    }
    .into_any()
}

fn show_value(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "—".into(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Moves the keyboard focus to the first field marked invalid (after the errors render).
pub fn focus_first_error() {
    use wasm_bindgen::JsCast;
    leptos::prelude::request_animation_frame(|| {
        let el = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector("[aria-invalid=true]").ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(el) = el {
            let _ = el.focus();
        }
    });
}
