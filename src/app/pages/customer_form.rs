//! Forms: field-level validation with translated, accessible messages. Saving goes through the
//! session (record + outbox entry in one transaction), so it works offline. The customer form
//! keeps a draft on the device as the user types (`app::draft`), like the record forms.

use crate::app::i18n::*;
use crate::app::paths::customer_href;
use crate::app::session;
use crate::app::state::use_app;
use crate::app::ui::form::{FixedField, TextField, fixed, focus_first_error, provide_fixed};
use crate::app::ui::labels::{self, save_error};
use crate::core::form::{self, Context, Draft};
use crate::core::model::Entity;
use crate::core::model::SupplyChainRole;
use crate::core::record::Record;
use crate::core::sync::local::SaveError;
use crate::core::sync::outbox::{Edit, EditError};
use crate::core::validate::ValidationErrors;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};

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
        return view! { <crate::app::ui::status::CustomerNotFound /> }.into_any();
    }
    let editing = existing.is_some();
    crate::app::ui::rejection::provide(app, Entity::Customers, existing.as_ref().map(|c| c.id.clone()));
    let errors = RwSignal::new(ValidationErrors::default());
    // The form's text starts as the customer's, or as the draft left here (moved onto the
    // customer's current version if it changed since the draft began).
    let start = form::customer_fields(existing.as_ref());
    let slot = id.clone().unwrap_or_else(|| "new".into());
    let key = crate::app::draft::key(Entity::Customers, &slot, &slot);
    let restored = crate::app::draft::load(&key);
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
    let draft_problem = RwSignal::new(None::<crate::app::draft::Problem>);
    {
        let (key, start) = (key.clone(), start.clone());
        Effect::new(move |first: Option<()>| {
            let f = fields.get();
            if first.is_some() || had_draft {
                let d = Draft { fields: f, base: editing.then(|| start.clone()), photos: None };
                let r = crate::app::draft::store(&key, (d.fields != start).then_some(&d));
                draft_problem.set(r.err().map(crate::app::draft::Problem::NotKept));
            }
        });
    }
    let discard = {
        let (key, start) = (key.clone(), start.clone());
        move |()| {
            crate::app::draft::forget(&key);
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
            now: crate::shell::clock::now(),
            today: crate::shell::clock::today(),
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
                        changed_meanwhile.set(
                            merge
                                .conflicts
                                .iter()
                                .map(|f| (f.field.clone(), crate::app::ui::format::json_value(&f.theirs)))
                                .collect(),
                        );
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
                            crate::app::draft::forget(&key);
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
            <crate::app::ui::rejection::Summary />
            <crate::app::draft::DraftNotes restored=restored_note rebased problem=draft_problem.into() on_discard=discard />
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
                    <TextField name="team" label=l(|l| td_string!(l, field_account_team)) fields errors />
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
                <crate::app::ui::form::FormFooter saving cancel=cancel.clone() />
            </form>
        </section>
    }
    .into_any()
}
