//! Forms: field-level validation with translated, accessible messages. Saving goes through the
//! session (record + outbox entry in one transaction), so it works offline. The customer form
//! keeps a draft on the device as the user types (`app::draft`), like the record forms.

use super::customers::customer_href;
use super::i18n::*;
use super::labels;
use super::session;
use super::state::use_app;
use super::tr;
use super::use_i18n;
use crate::core::form::{self, Context, Draft, Fields};
use crate::core::model::SupplyChainRole;
use crate::core::record::Record;
use crate::core::sync::local::LocalError;
use crate::core::sync::outbox::{Edit, EditError};
use crate::core::validate::ValidationErrors;
use crate::core::workspace::Entity;
use crate::shell::idb::SaveError;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

/// A labelled input bound to one of a form's fields, with its errors underneath
/// (`aria-invalid`, `aria-describedby`).
#[component]
pub fn TextField(
    name: &'static str,
    label: Signal<String>,
    fields: RwSignal<Fields>,
    errors: RwSignal<ValidationErrors>,
    #[prop(optional)] disabled: Signal<bool>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] kind: Option<&'static str>,
    #[prop(optional, into)] hint: Option<Signal<String>>,
    #[prop(optional)] mode: Option<&'static str>,
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
                type=kind.unwrap_or("text")
                inputmode=mode
                required=required
                disabled=move || disabled.get()
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

/// Create (`/customers/new`) or edit (`/customers/:id/edit`) a customer.
#[component]
pub fn CustomerForm() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let params = use_params_map();
    let id = params.read_untracked().get("id");
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
    // Fields this backend cannot store are shown but not editable.
    let profile = Memo::new(move |_| app.backend.with(|b| b.as_ref().and_then(|p| p.parse().ok())));
    let locked = move |field: &'static str| {
        Signal::derive(move || {
            profile.with(|p| {
                p.as_ref().and_then(|p| p.resources.get(&Entity::Customers)).is_some_and(|r| !r.writable(field))
            })
        })
    };
    let lock_hint = Signal::derive(move || td_string!(i18n.get_locale(), field_not_stored).to_string());
    let hint_if = move |field: &'static str| {
        Signal::derive(move || if locked(field).get() { lock_hint.get() } else { String::new() })
    };
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
                    <TextField name="name" label=l(|l| td_string!(l, field_name)) fields errors required=true disabled=locked("name") hint=hint_if("name") />
                    <TextField name="short_name" label=l(|l| td_string!(l, field_short_name)) fields errors disabled=locked("short_name") hint=hint_if("short_name") />
                    <div class="field">
                        <label for="f-role">{tr(|l| td_string!(l, field_role))}</label>
                        <select
                            id="f-role"
                            disabled=move || locked("role").get()
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
                    <TextField name="industry" label=l(|l| td_string!(l, field_industry)) fields errors disabled=locked("industry") hint=hint_if("industry") />
                    <TextField name="region" label=l(|l| td_string!(l, field_region)) fields errors disabled=locked("region") hint=hint_if("region") />
                    <TextField name="country" label=l(|l| td_string!(l, field_country)) fields errors disabled=locked("country") hint=hint_if("country") />
                    <TextField name="city" label=l(|l| td_string!(l, field_city)) fields errors disabled=locked("city") hint=hint_if("city") />
                    <TextField name="address" label=l(|l| td_string!(l, field_address)) fields errors disabled=locked("address") hint=hint_if("address") />
                    <TextField name="owner" label=l(|l| td_string!(l, field_owner)) fields errors disabled=locked("owner") hint=hint_if("owner") />
                    <TextField name="tags" label=l(|l| td_string!(l, field_tags)) fields errors disabled=locked("tags") hint=hint_if("tags") />
                    <TextField name="currency" label=l(|l| td_string!(l, field_currency)) fields errors disabled=locked("currency") hint=hint_if("currency") />
                    <TextField name="credit_limit" label=l(|l| td_string!(l, field_credit_limit)) fields errors mode="decimal" disabled=locked("credit_limit") hint=hint_if("credit_limit") />
                    <TextField name="payment_terms_days" label=l(|l| td_string!(l, field_payment_terms_days)) fields errors mode="numeric" disabled=locked("payment_terms_days") hint=hint_if("payment_terms_days") />
                    <TextField name="potential_annual_spend" label=l(|l| td_string!(l, field_potential_spend)) fields errors mode="decimal" disabled=locked("potential_annual_spend") hint=hint_if("potential_annual_spend") />
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
