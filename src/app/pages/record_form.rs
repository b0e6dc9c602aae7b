//! Forms for a customer's records — contact, service ticket (with photos), visit report (with
//! an optional location), satisfaction survey, opportunity — at `/customers/:id/:kind/:rid`
//! (`rid` = `new`; a new opportunity's form takes `?visit=<id>` or `?ticket=<id>` to start from
//! the visit report or inquiry it came from).
//!
//! The fields are a text map bound to inputs; `core::form` turns them into a record or field
//! errors. Every keystroke is kept as a draft on the device (`app::draft`: the fields in
//! localStorage, a ticket's photos in IndexedDB), so a reload or a wrong tap loses nothing;
//! saving goes through the outbox and works offline.

use crate::app::i18n::*;
use crate::app::paths::{customer_href, form_href};
use crate::app::session;
use crate::app::state::use_app;
use crate::app::ui::dom::fill;
use crate::app::ui::form::FixedField;
use crate::app::ui::format::NONE;
use crate::app::ui::labels;
use crate::core::form::{self, Context, Draft, Fields};
use crate::core::model::Entity;
use crate::core::model::{
    Attachment, DOCUMENT_TYPES, LostReason, MAX_DOCUMENT_FILE_BYTES, MAX_DOCUMENTS, MAX_PHOTOS, OppSource, Photo,
    ServiceStage, Severity, TaskPriority, TaskStatus, TicketKind, TicketStatus, VisitPurpose, document_type_of,
};
use crate::core::record::Record;
use crate::core::rest::profile::Fixed;
use crate::core::sync::outbox::Edit;
use crate::core::validate::ValidationErrors;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

/// The record kinds these forms edit, from the route.
fn kind_of(s: &str) -> Option<Entity> {
    match s {
        "contacts" => Some(Entity::Contacts),
        "tickets" => Some(Entity::Tickets),
        "visits" => Some(Entity::Visits),
        "surveys" => Some(Entity::Surveys),
        "opportunities" => Some(Entity::Opportunities),
        "tasks" => Some(Entity::Tasks),
        _ => None,
    }
}

/// The form of the record the route names; built afresh when the route's parameters change
/// (one record's form straight to another's: a link, the address, back and forward).
#[component]
pub fn RecordForm() -> impl IntoView {
    let params = use_params_map();
    let route = Memo::new(move |_| {
        params.with(|p| {
            (p.get("id").unwrap_or_default(), p.get("kind").unwrap_or_default(), p.get("rid").unwrap_or_default())
        })
    });
    move || {
        let (cid, kind, rid) = route.get();
        record_form(cid, kind, rid)
    }
}

fn record_form(cid: String, kind: String, rid: String) -> AnyView {
    let app = use_app();
    let kind = kind_of(&kind);
    let customer = app.workspace.with_untracked(|w| w.customer(&cid).cloned());
    let existing = match (kind, rid.as_str()) {
        (Some(_), "new") => None,
        (Some(k), id) => {
            app.workspace.with_untracked(|w| w.get(k, id)).filter(|r| r.customer_id() == Some(cid.as_str()))
        }
        _ => None,
    };
    let (Some(kind), Some(customer)) = (kind, customer) else {
        return not_found().into_any();
    };
    if rid != "new" && existing.is_none() {
        return not_found().into_any();
    }
    let currency = customer.currency;
    view! { <FormBody kind customer_id=cid customer_name=customer.name currency rid existing /> }.into_any()
}

fn not_found() -> impl IntoView {
    view! {
        <section class="page">
            <h1>{tr(|l| td_string!(l, record_not_found))}</h1>
            <p><A href=crate::app::paths::href("/customers")>{tr(|l| td_string!(l, back_to_customers))}</A></p>
        </section>
    }
}

#[component]
fn FormBody(
    kind: Entity,
    customer_id: String,
    customer_name: String,
    currency: crate::core::model::Currency,
    rid: String,
    existing: Option<Record>,
) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    crate::app::ui::rejection::provide(app, kind, existing.as_ref().map(|r| r.id().to_string()));
    // Fields this backend cannot store are shown fixed, with the reason; a kind of record it
    // keeps none of stays on this device, and the form says so.
    crate::app::ui::form::provide_fixed(app, kind);
    let kept = crate::app::ui::form::kept_here(app);
    let today = crate::shell::clock::today();
    let me = session::me();
    let stages = app.stages.get_untracked();
    let start = match &existing {
        Some(Record::Contacts(c)) => form::contact_fields(Some(c)),
        Some(Record::Tickets(t)) => form::ticket_fields(Some(t)),
        Some(Record::Visits(v)) => form::visit_fields(Some(v), today, &me),
        Some(Record::Surveys(s)) => form::survey_fields(Some(s), today),
        Some(Record::Opportunities(o)) => form::opportunity_fields(Some(o), &stages, currency, &me),
        Some(Record::Tasks(t)) => form::task_fields(t),
        _ => match kind {
            Entity::Contacts => form::contact_fields(None),
            Entity::Tickets => {
                let mut f = form::ticket_fields(None);
                f.insert("assignee".into(), me.clone());
                f
            }
            Entity::Visits => form::visit_fields(None, today, &me),
            Entity::Opportunities => {
                let mut f = form::opportunity_fields(None, &stages, currency, &me);
                // From the visit report or the inquiry it came from (that customer's only).
                let q = use_query_map().get_untracked();
                let of_customer = |r: &Record| r.customer_id() == Some(customer_id.as_str());
                let from = |e: Entity, id: Option<String>| {
                    id.and_then(|id| app.workspace.with_untracked(|w| w.get(e, &id))).filter(of_customer)
                };
                if let Some(Record::Visits(v)) = from(Entity::Visits, q.get("visit")) {
                    form::opportunity_from_visit(&mut f, &v);
                } else if let Some(Record::Tickets(t)) = from(Entity::Tickets, q.get("ticket")) {
                    form::opportunity_from_ticket(&mut f, &t);
                }
                f
            }
            Entity::Tasks => {
                let l = i18n.get_locale_untracked();
                let prefilled = app.workspace.with_untracked(|w| {
                    crate::app::ui::tasks::prefilled(l, w, &customer_id, &use_query_map().get_untracked(), &me)
                });
                form::task_fields(&prefilled)
            }
            _ => form::survey_fields(None, today),
        },
    };
    // A ticket's photos or a deal's documents: files kept with the record (and with its draft).
    let start_photos = match &existing {
        Some(Record::Tickets(t)) => t.photos.clone(),
        Some(Record::Opportunities(o)) => o.attachments.clone(),
        _ => Vec::new(),
    };
    let key = crate::app::draft::key(kind, &customer_id, &rid);
    // A draft an older build kept for this form (another key) is moved to this one first.
    crate::app::draft::adopt_legacy(&key, kind, &customer_id, &rid);
    let restored = crate::app::draft::load(&key);
    let had_draft = restored.is_some();
    let editing = existing.is_some();
    // A draft of an edit is moved onto the record's current version if it changed meanwhile.
    let (fields0, rebased, draft_photos) = match restored {
        Some(Draft { fields, base: Some(base), photos }) if editing && base != start => {
            let (f, both) = form::rebase(&fields, &base, &start);
            (f, both, photos)
        }
        Some(d) => (d.fields, Vec::new(), d.photos),
        None => (start.clone(), Vec::new(), None),
    };
    let fields = RwSignal::new(fields0);
    // A move on the board that needs more (a lost reason, an amount) opens the form at that stage.
    if kind == Entity::Opportunities
        && editing
        && let Some(stage) = use_query_map().get_untracked().get("stage").filter(|s| stages.get(s).is_some())
    {
        let p = stages.probability(&stage).unwrap_or_default();
        fields.update(|f| {
            f.insert("stage".into(), stage);
            f.insert("probability".into(), p.to_string());
        });
    }
    let photos = RwSignal::new(start_photos.clone());
    let restored_note = RwSignal::new(had_draft);
    let errors = RwSignal::new(ValidationErrors::default());
    let failure = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);
    // Why the draft's fields or its photos could not be kept, if so.
    let fields_problem = RwSignal::new(None::<crate::app::draft::Problem>);
    let photos_problem = RwSignal::new(None::<crate::app::draft::Problem>);
    // The photos last written with the draft (so reading them back does not write them again),
    // and whether the draft's photos are still being read back.
    let photos_kept = StoredValue::new(start_photos.clone());
    let photos_loading = StoredValue::new(draft_photos.is_some());
    if draft_photos.is_some() {
        let key = key.clone();
        let start_photos = start_photos.clone();
        spawn_local(async move {
            let stored = crate::app::draft::load_photos(&key).await;
            photos_loading.set_value(false);
            match stored {
                Some(p) if photos.with_untracked(|now| *now == start_photos) => {
                    photos_kept.set_value(p.clone());
                    photos.set(p);
                }
                // Photos taken while the draft's were read: keep both.
                Some(mut p) => photos.update(|now| {
                    for x in now.drain(..) {
                        if !p.contains(&x) {
                            p.push(x);
                        }
                    }
                    p.truncate(MAX_PHOTOS);
                    *now = p;
                }),
                None => {
                    photos_problem.set(Some(crate::app::draft::Problem::PhotosLost));
                    photos.notify();
                }
            }
        });
    }
    // Every change is a draft at once (nothing is lost on reload); an unchanged form keeps none.
    {
        let (key, start, start_photos) = (key.clone(), start.clone(), start_photos.clone());
        Effect::new(move |first: Option<()>| {
            let f = fields.get();
            let changed = photos.with(|p| *p != start_photos).then(|| photos.with(Vec::len));
            // Until the draft's photos are read back, the draft keeps saying it has them.
            let photos_changed = if photos_loading.get_value() { draft_photos } else { changed };
            if first.is_some() || had_draft {
                let d = Draft { fields: f, base: editing.then(|| start.clone()), photos: photos_changed };
                let keep = d.fields != start || d.photos.is_some();
                fields_problem.set(
                    crate::app::draft::store(&key, keep.then_some(&d)).err().map(crate::app::draft::Problem::NotKept),
                );
            }
        });
    }
    {
        let (key, start_photos) = (key.clone(), start_photos.clone());
        Effect::new(move |_| {
            let now = photos.get();
            if photos_kept.with_value(|k| *k == now) {
                return;
            }
            photos_kept.set_value(now.clone());
            let key = key.clone();
            let keep = (now != start_photos).then_some(now);
            spawn_local(async move {
                photos_problem.set(
                    crate::app::draft::store_photos(&key, keep.as_deref())
                        .await
                        .err()
                        .map(crate::app::draft::Problem::NotKept),
                );
            });
        });
    }
    let navigate = use_navigate();
    let back = customer_href(&customer_id);
    let on_submit = {
        let (key, back, customer_id, existing) = (key.clone(), back.clone(), customer_id.clone(), existing.clone());
        let stages_for_build = stages.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            failure.set(None);
            let new_id = session::new_id();
            let me = session::me();
            let cx = Context {
                customer_id: &customer_id,
                new_id: &new_id,
                now: crate::shell::clock::now(),
                today: crate::shell::clock::today(),
                me: &me,
            };
            let f = fields.get_untracked();
            let built: Result<Record, ValidationErrors> = match (kind, existing.clone()) {
                (Entity::Contacts, base) => {
                    form::build_contact(&f, base.and_then(as_contact), &cx).map(Record::Contacts)
                }
                (Entity::Tickets, base) => {
                    form::build_ticket(&f, base.and_then(as_ticket), photos.get_untracked(), &cx).map(Record::Tickets)
                }
                (Entity::Visits, base) => form::build_visit(&f, base.and_then(as_visit), &cx).map(Record::Visits),
                (Entity::Tasks, base) => form::build_task(&f, base.and_then(as_task), &cx).map(Record::Tasks),
                (Entity::Opportunities, base) => {
                    let ask_reason = fixed_now("lost_reason").is_none();
                    // Documents the backend cannot store: the deal keeps what it had.
                    let documents = fixed_now("attachments").is_none().then(|| photos.get_untracked());
                    form::build_opportunity(
                        &f,
                        base.and_then(as_opportunity),
                        &stages_for_build,
                        &cx,
                        ask_reason,
                        documents,
                    )
                    .map(Record::Opportunities)
                }
                (_, base) => form::build_survey(&f, base.and_then(as_survey), &cx).map(Record::Surveys),
            };
            match built {
                Err(e) => {
                    errors.set(e);
                    crate::app::ui::form::focus_first_error();
                }
                Ok(record) => {
                    errors.set(ValidationErrors::default());
                    saving.set(true);
                    let seen = existing.clone();
                    let edit = if seen.is_some() { Edit::Update(record) } else { Edit::Create(record) };
                    // A visit report naming a next step offers its follow-up task on the
                    // customer's page (one tap), unless it has one.
                    let offer = match &edit {
                        Edit::Create(Record::Visits(v)) | Edit::Update(Record::Visits(v))
                            if crate::core::tasks::visit_has_next_step(v) =>
                        {
                            app.workspace
                                .with_untracked(|w| {
                                    crate::core::tasks::follow_up_in(w, &v.customer_id, &v.id).is_none()
                                })
                                .then(|| format!("{back}?offer={}#h-tasks", crate::app::paths::encode(&v.id)))
                        }
                        _ => None,
                    };
                    let back = offer.unwrap_or_else(|| back.clone());
                    let (key, navigate) = (key.clone(), navigate.clone());
                    spawn_local(async move {
                        let r = session::save(app, edit, seen).await;
                        saving.set(false);
                        match r {
                            Ok(()) => {
                                crate::app::draft::forget(&key);
                                navigate(&back, Default::default());
                            }
                            Err(e) => failure.set(Some(crate::app::ui::labels::save_error(i18n.get_locale(), &e))),
                        }
                    });
                }
            }
        }
    };
    let discard = {
        let key = key.clone();
        move |()| {
            crate::app::draft::forget(&key);
            photos_kept.set_value(start_photos.clone());
            fields.set(start.clone());
            photos.set(start_photos.clone());
            restored_note.set(false);
            errors.set(ValidationErrors::default());
        }
    };
    let title = move || {
        let l = i18n.get_locale();
        let what = labels::entity(l, kind);
        let verb = if editing { td_string!(l, form_edit) } else { td_string!(l, form_new) };
        fill(verb, &[("what", what)])
    };
    let contacts: Vec<(String, String)> = app.workspace.with_untracked(|w| {
        w.customer_index(&customer_id)
            .map(|i| {
                w.children(i)
                    .contacts
                    .iter()
                    .filter_map(|&k| w.data.contacts.get(k))
                    .map(|c| (c.id.clone(), labels::shown_name(i18n.get_locale_untracked(), &c.name)))
                    .collect()
            })
            .unwrap_or_default()
    });
    // Who works this account (its owner, then its team): offered for a deal's owner and a
    // visit's rep, so the work can go to a team member.
    let people: Vec<String> = app.workspace.with_untracked(|w| {
        let mut out: Vec<String> = Vec::new();
        if let Some(c) = w.customer(&customer_id) {
            for p in c.owner.iter().chain(c.team.iter()).map(|p| p.trim()) {
                if !p.is_empty() && !out.iter().any(|x| x == p) {
                    out.push(p.to_string());
                }
            }
        }
        out
    });
    let orders: Vec<(String, String)> = app.workspace.with_untracked(|w| {
        w.customer_index(&customer_id)
            .map(|i| {
                w.children(i)
                    .orders
                    .iter()
                    .rev()
                    .take(50)
                    .filter_map(|&k| w.data.orders.get(k))
                    .map(|o| (o.id.clone(), format!("{} · {}", o.date, o.id)))
                    .collect()
            })
            .unwrap_or_default()
    });
    let body = match kind {
        Entity::Contacts => view! {
            <div class="grid">
                <Input name="name" label=|l| td_string!(l, field_name) fields errors required=true />
                <Input name="title" label=|l| td_string!(l, field_title) fields errors />
                <Input name="department" label=|l| td_string!(l, field_department) fields errors />
                <Input name="phone" label=|l| td_string!(l, field_phone) fields errors kind="tel" />
                <Input name="mobile" label=|l| td_string!(l, field_mobile) fields errors kind="tel" />
                <Input name="email" label=|l| td_string!(l, field_email) fields errors kind="email" />
                <Check name="primary" label=|l| td_string!(l, contact_primary) fields />
                <Area name="notes" label=|l| td_string!(l, field_notes) fields errors />
            </div>
        }
        .into_any(),
        Entity::Tickets => view! {
            <div class="grid">
                <Input name="title" label=|l| td_string!(l, field_ticket_title) fields errors required=true />
                <OptionSelect name="kind" label=|l| td_string!(l, col_kind) fields options=Signal::derive(move || { let l = i18n.get_locale(); TicketKind::ALL.iter().map(|&k| (k.as_str().to_string(), labels::ticket_kind(l, k).to_string())).collect() }) />
                <OptionSelect name="stage" label=|l| td_string!(l, col_stage) fields options=Signal::derive(move || { let l = i18n.get_locale(); ServiceStage::ALL.iter().map(|&k| (k.as_str().to_string(), labels::stage(l, k).to_string())).collect() }) />
                <OptionSelect name="severity" label=|l| td_string!(l, col_severity) fields options=Signal::derive(move || { let l = i18n.get_locale(); Severity::ALL.iter().map(|&k| (k.as_str().to_string(), labels::severity(l, k).to_string())).collect() }) />
                <OptionSelect name="status" label=|l| td_string!(l, col_status) fields options=Signal::derive(move || { let l = i18n.get_locale(); TicketStatus::ALL.iter().map(|&k| (k.as_str().to_string(), labels::ticket_status(l, k).to_string())).collect() }) />
                <OptionSelect name="order_id" label=|l| td_string!(l, field_linked_order) fields options=Signal::derive(move || orders.clone()) blank=true />
                <Input name="product" label=|l| td_string!(l, field_product) fields errors />
                <Input name="assignee" label=|l| td_string!(l, field_assignee) fields errors />
                <p class="hint" data-testid="sla-hint">
                    {move || {
                        let l = i18n.get_locale();
                        let sev = fields.with(|f| f.get("severity").and_then(|s| Severity::parse(s))).unwrap_or(Severity::Medium);
                        let hours = sev.default_sla().num_hours();
                        fill(td_string!(l, sla_hint), &[("hours", &hours.to_string())])
                    }}
                </p>
                <Area name="description" label=|l| td_string!(l, field_description) fields errors />
                <Area name="resolution" label=|l| td_string!(l, field_resolution) fields errors />
                <Photos photos errors />
            </div>
        }
        .into_any(),
        Entity::Visits => view! {
            <div class="grid">
                <Input name="date" label=|l| td_string!(l, col_date) fields errors kind="date" required=true />
                <Input name="rep" label=|l| td_string!(l, col_rep) fields errors suggest=people.clone() />
                <OptionSelect name="purpose" label=|l| td_string!(l, col_purpose) fields options=Signal::derive(move || { let l = i18n.get_locale(); VisitPurpose::ALL.iter().map(|&k| (k.as_str().to_string(), labels::purpose(l, k).to_string())).collect() }) />
                <ContactsMet contacts fields />
                <Area name="notes" label=|l| td_string!(l, field_notes) fields errors />
                <Input name="outcome" label=|l| td_string!(l, col_outcome) fields errors />
                <Input name="next_step" label=|l| td_string!(l, field_next_step) fields errors />
                <Input name="next_step_date" label=|l| td_string!(l, field_next_step_date) fields errors kind="date" />
                <Locate fields errors />
            </div>
        }
        .into_any(),
        Entity::Opportunities => {
            // A chosen stage brings its default probability into the form (the user may change it).
            let stages_for_effect = stages.clone();
            Effect::new(move |before: Option<String>| {
                let stage = fields.with(|f| f.get("stage").cloned().unwrap_or_default());
                if before.as_ref().is_some_and(|b| *b != stage)
                    && let Some(p) = stages_for_effect.probability(&stage)
                {
                    set_field(fields, "probability", p.to_string());
                }
                stage
            });
            let stage_options = {
                let stages = stages.clone();
                Signal::derive(move || {
                    let l = i18n.get_locale();
                    stages.0.iter().map(|s| (s.id.clone(), labels::opp_stage(l, &stages, &s.id))).collect()
                })
            };
            let is_lost = move || fields.with(|f| f.get("stage").is_some_and(|s| s == crate::core::model::LOST));
            view! {
                <div class="grid">
                    <Input name="title" label=|l| td_string!(l, field_opp_title) fields errors required=true />
                    <OptionSelect name="stage" label=|l| td_string!(l, col_stage) fields options=stage_options errors />
                    <Input name="amount" label=|l| td_string!(l, col_amount) fields errors />
                    <Input name="currency" label=|l| td_string!(l, field_currency) fields errors />
                    <Input name="probability" label=|l| td_string!(l, field_probability) fields errors kind="number" />
                    <Input name="expected_close" label=|l| td_string!(l, field_expected_close) fields errors kind="date" />
                    <Input name="owner" label=|l| td_string!(l, field_owner) fields errors suggest=people.clone() />
                    <Input name="team" label=|l| td_string!(l, field_team) fields errors />
                    <Area name="lines" label=|l| td_string!(l, field_opp_lines) fields errors />
                    <Input name="estimated_cost" label=|l| td_string!(l, field_estimated_cost) fields errors />
                    <Input name="competitors" label=|l| td_string!(l, field_competitors) fields errors />
                    <OptionSelect name="source" label=|l| td_string!(l, field_opp_source) fields options=Signal::derive(move || { let l = i18n.get_locale(); OppSource::ALL.iter().map(|&k| (k.as_str().to_string(), labels::opp_source(l, k).to_string())).collect() }) blank=true />
                    <Input name="next_step" label=|l| td_string!(l, field_next_step) fields errors />
                    <Input name="next_step_date" label=|l| td_string!(l, field_next_step_date) fields errors kind="date" />
                    <Show when=is_lost>
                        <OptionSelect name="lost_reason" label=|l| td_string!(l, field_lost_reason) fields options=Signal::derive(move || { let l = i18n.get_locale(); LostReason::ALL.iter().map(|&k| (k.as_str().to_string(), labels::lost_reason(l, k).to_string())).collect() }) blank=true errors />
                        <Input name="lost_note" label=|l| td_string!(l, field_lost_note) fields errors />
                    </Show>
                    <FieldErrors name="history" errors />
                    <Documents docs=photos errors />
                </div>
            }
            .into_any()
        }
        Entity::Tasks => {
            let statuses = crate::app::ui::form::known_values("status");
            let status_options = Signal::derive(move || {
                let l = i18n.get_locale();
                TaskStatus::ALL
                    .iter()
                    .filter(|s| statuses.as_ref().is_none_or(|k| k.iter().any(|x| x == s.as_str())))
                    .map(|&k| (k.as_str().to_string(), labels::task_status(l, k).to_string()))
                    .collect()
            });
            let related = app.workspace.with_untracked(|w| {
                fields.with_untracked(|f| {
                    crate::app::ui::tasks::related_link(
                        i18n.get_locale_untracked(),
                        w,
                        &customer_id,
                        f.get("related").map(String::as_str),
                        f.get("related_id").map(String::as_str),
                    )
                })
            });
            let collecting = move || fields.with(|f| f.get("related").is_some_and(|r| r == "invoice"));
            view! {
                <div class="grid">
                    {related.map(|(label, href)| view! {
                        <p class="field wide hint" data-testid="task-follows">{tr(|l| td_string!(l, task_follows_up))} " " {match href {
                            Some(h) => view! { <A href=crate::app::paths::href(&h)>{label}</A> }.into_any(),
                            None => view! { <span>{label}</span> }.into_any(),
                        }}</p>
                    })}
                    <Input name="title" label=|l| td_string!(l, field_task_title) fields errors required=true />
                    <Input name="owner" label=|l| td_string!(l, field_owner) fields errors suggest=people.clone() />
                    <Input name="due_date" label=|l| td_string!(l, field_due_date) fields errors kind="date" />
                    <Input name="due_time" label=|l| td_string!(l, field_due_time) fields errors kind="time" />
                    <OptionSelect name="priority" label=|l| td_string!(l, field_priority) fields options=Signal::derive(move || { let l = i18n.get_locale(); TaskPriority::ALL.iter().map(|&k| (k.as_str().to_string(), labels::task_priority(l, k).to_string())).collect() }) />
                    <OptionSelect name="status" label=|l| td_string!(l, col_status) fields options=status_options />
                    <Show when=collecting>
                        <Input name="amount" label=|l| td_string!(l, field_collect_amount) fields errors />
                        <Input name="currency" label=|l| td_string!(l, field_currency) fields errors />
                        <Input name="promised_on" label=|l| td_string!(l, field_promised_on) fields errors kind="date" />
                    </Show>
                    <Area name="note" label=|l| td_string!(l, field_notes) fields errors />
                    <FieldErrors name="related" errors />
                    <FieldErrors name="done_at" errors />
                </div>
            }
            .into_any()
        }
        _ => view! {
            <div class="grid">
                <Input name="date" label=|l| td_string!(l, col_date) fields errors kind="date" required=true />
                <OptionSelect name="csat" label=|l| td_string!(l, field_csat) fields options=Signal::derive(|| (1..=5).map(|n: u8| (n.to_string(), "★".repeat(usize::from(n)))).collect()) blank=true errors />
                <OptionSelect name="nps" label=|l| td_string!(l, field_nps) fields options=Signal::derive(|| (0..=10).map(|n: u8| (n.to_string(), n.to_string())).collect()) blank=true errors />
                <OptionSelect name="contact_id" label=|l| td_string!(l, field_contact) fields options=Signal::derive(move || contacts.clone()) blank=true />
                <Area name="comment" label=|l| td_string!(l, field_comment) fields errors />
                <FieldErrors name="csat" errors />
                <FieldErrors name="nps" errors />
            </div>
        }
        .into_any(),
    };
    view! {
        <section class="page form-page">
            <p><A href=crate::app::paths::href(&back) attr:data-testid="back-to-customer">"← " <labels::Name text=customer_name /></A></p>
            <h1>{title}</h1>
            <crate::app::draft::DraftNotes restored=restored_note rebased problem=Signal::derive(move || fields_problem.get().or_else(|| photos_problem.get())) on_discard=discard />
            <crate::app::ui::rejection::Summary />
            {move || kept.with(|k| k.contains(&kind)).then(|| {
                let l = i18n.get_locale();
                view! { <p class="hint" data-testid="form-kept-here">{fill(td_string!(l, form_kept_here), &[("kind", labels::entity(l, kind))])}</p> }
            })}
            <form novalidate on:submit=on_submit data-testid="record-form">
                {body}
                <p class="error" role="alert">{move || failure.get()}</p>
                <crate::app::ui::form::FormFooter saving cancel=back.clone() />
            </form>
            {match &existing {
                Some(Record::Opportunities(o)) => Some(deal_history(o, &customer_id)),
                _ => None,
            }}
            {match &existing {
                Some(Record::Opportunities(o)) => Some(deal_task(app, o)),
                _ => None,
            }}
        </section>
    }
    .into_any()
}

fn as_contact(r: Record) -> Option<crate::core::model::Contact> {
    if let Record::Contacts(c) = r { Some(c) } else { None }
}
fn as_ticket(r: Record) -> Option<crate::core::model::ServiceTicket> {
    if let Record::Tickets(c) = r { Some(c) } else { None }
}
fn as_task(r: Record) -> Option<crate::core::model::Task> {
    match r {
        Record::Tasks(t) => Some(t),
        _ => None,
    }
}
fn as_visit(r: Record) -> Option<crate::core::model::Visit> {
    if let Record::Visits(c) = r { Some(c) } else { None }
}
fn as_survey(r: Record) -> Option<crate::core::model::SurveyResponse> {
    if let Record::Surveys(c) = r { Some(c) } else { None }
}
/// An opportunity's story under its form: where it came from (the visit or inquiry, linked),
/// every move between stages (who, when, how long it stayed), and its expected margin.
fn deal_history(o: &crate::core::model::Opportunity, customer_id: &str) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let stages = use_app().stages.get_untracked();
    let source = o.source_id.as_ref().and_then(|id| {
        let kind = match o.source? {
            OppSource::Visit => Entity::Visits,
            OppSource::Inquiry => Entity::Tickets,
            _ => return None,
        };
        let href = crate::app::paths::href(&crate::app::paths::form_href(customer_id, kind, Some(id)));
        let what = labels::opp_source(l, o.source?).to_string();
        Some(view! { <p data-testid="deal-source">{td_string!(l, deal_came_from)}" "<A href=href>{what}</A></p> })
    });
    let now = crate::shell::clock::now();
    let days = |s: i64| format!("{:.1}", s as f64 / 86_400.0);
    let durations = o.stage_durations(now);
    let rows = o
        .history
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let stay = durations.get(i).map(|(_, s, current)| {
                let d = days(*s);
                if *current { fill(td_string!(l, deal_stay_current), &[("days", &d)]) } else { d }
            });
            view! {
                <tr data-testid="deal-move-row">
                    <td>{labels::opp_stage(l, &stages, &c.stage)}</td>
                    <td>{c.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)}</td>
                    <td>{if c.by.trim().is_empty() { NONE.to_string() } else { c.by.clone() }}</td>
                    <td class="num">{stay.unwrap_or_else(|| NONE.to_string())}</td>
                </tr>
            }
        })
        .collect_view();
    let margin = o.margin().map(|m| {
        view! { <p data-testid="deal-margin">{fill(td_string!(l, deal_margin), &[("amount", &m.format(o.currency))])}</p> }
    });
    view! {
        <section class="card" aria-labelledby="h-deal-history" data-testid="deal-history">
            <h2 id="h-deal-history">{td_string!(l, deal_history)}</h2>
            {source}
            {margin}
            <div class="table-wrap">
                <table class="data">
                    <thead><tr>
                        <th scope="col">{td_string!(l, col_stage)}</th>
                        <th scope="col">{td_string!(l, deal_moved_at)}</th>
                        <th scope="col">{td_string!(l, deal_moved_by)}</th>
                        <th scope="col" class="num">{td_string!(l, deal_days)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

/// A deal's follow-up: its task when one exists, else one tap to make it from the deal's next
/// step (for its owner, on the step's date).
fn deal_task(app: crate::app::state::AppState, o: &crate::core::model::Opportunity) -> impl IntoView + use<> {
    let existing = app
        .workspace
        .with_untracked(|w| crate::core::tasks::follow_up_in(w, &o.customer_id, &o.id).map(|t| t.id.clone()));
    let (href, testid, text): (String, &str, fn(Locale) -> &'static str) = match existing {
        Some(id) => (form_href(&o.customer_id, Entity::Tasks, Some(&id)), "task-of-opportunity", |l| {
            td_string!(l, entity_tasks)
        }),
        None => (
            format!(
                "{}?opportunity={}",
                form_href(&o.customer_id, Entity::Tasks, None),
                crate::app::paths::encode(&o.id)
            ),
            "task-from-opportunity",
            |l| td_string!(l, task_from_here),
        ),
    };
    view! {
        <p><A href=crate::app::paths::href(&href) attr:class="button secondary" attr:data-testid=testid>{tr(text)}</A></p>
    }
}

fn as_opportunity(r: Record) -> Option<crate::core::model::Opportunity> {
    if let Record::Opportunities(c) = r { Some(c) } else { None }
}

/// Why a field cannot be changed on the open backend (the form's backend does not change while
/// it is open: a workspace switch leaves the page).
fn fixed_now(name: &'static str) -> Option<Fixed> {
    crate::app::ui::form::fixed(name).get_untracked()
}

fn label_signal(label: fn(Locale) -> &'static str) -> Signal<String> {
    let i18n = use_i18n();
    Signal::derive(move || label(i18n.get_locale()).to_string())
}

fn value_of(fields: RwSignal<Fields>, name: &'static str) -> impl Fn() -> String + Copy {
    move || fields.with(|f| f.get(name).cloned().unwrap_or_default())
}

fn set_field(fields: RwSignal<Fields>, name: &'static str, v: String) {
    fields.update(|f| {
        f.insert(name.to_string(), v);
    });
}

/// The messages of one field's errors (an `aria-describedby` target).
#[component]
fn FieldErrors(name: &'static str, errors: RwSignal<ValidationErrors>) -> impl IntoView {
    let i18n = use_i18n();
    let server = crate::app::ui::rejection::for_field(name);
    view! {
        <p class="error" id=format!("e-{name}") role="alert">
            {move || {
                let l = i18n.get_locale();
                let mut text: Vec<String> = errors.with(|e| e.0.iter().filter(|x| x.field == name || x.field.starts_with(&format!("{name}["))).map(|x| labels::problem(l, x.problem)).collect());
                // What the backend said when it refused the last change (its own words).
                text.extend(server());
                text.join(" ")
            }}
        </p>
    }
}

fn invalid(errors: RwSignal<ValidationErrors>, name: &'static str) -> impl Fn() -> &'static str + Copy {
    let server = crate::app::ui::rejection::for_field(name);
    move || {
        if errors.with(|e| e.0.iter().any(|x| x.field == name || x.field.starts_with(&format!("{name}["))))
            || !server().is_empty()
        {
            "true"
        } else {
            "false"
        }
    }
}

#[component]
fn Input(
    name: &'static str,
    label: fn(Locale) -> &'static str,
    fields: RwSignal<Fields>,
    errors: RwSignal<ValidationErrors>,
    #[prop(optional)] kind: Option<&'static str>,
    #[prop(optional)] required: bool,
    /// Values offered as the user types (a `<datalist>`); any other text is allowed.
    #[prop(optional)]
    suggest: Vec<String>,
) -> impl IntoView {
    if let Some(why) = fixed_now(name) {
        return view! { <FixedField name label=label_signal(label) value=Signal::derive(value_of(fields, name)) why errors /> }.into_any();
    }
    let id = format!("f-{name}");
    let list = (!suggest.is_empty()).then(|| format!("l-{name}"));
    view! {
        <div class="field">
            <label for=id.clone()>{tr(label)}{required.then_some(view! { <span class="req" aria-hidden="true">" *"</span> })}</label>
            {list.clone().map(|list| view! {
                <datalist id=list>{suggest.into_iter().map(|v| view! { <option value=v></option> }).collect_view()}</datalist>
            })}
            <input
                id=id
                name=name
                list=list
                type=kind.unwrap_or("text")
                required=required
                aria-invalid=invalid(errors, name)
                aria-describedby=format!("e-{name}")
                prop:value=value_of(fields, name)
                on:input=move |ev| set_field(fields, name, event_target_value(&ev))
            />
            <FieldErrors name errors />
        </div>
    }
    .into_any()
}

#[component]
fn Area(
    name: &'static str,
    label: fn(Locale) -> &'static str,
    fields: RwSignal<Fields>,
    errors: RwSignal<ValidationErrors>,
) -> impl IntoView {
    if let Some(why) = fixed_now(name) {
        return view! { <FixedField name label=label_signal(label) value=Signal::derive(value_of(fields, name)) why errors wide=true /> }.into_any();
    }
    let id = format!("f-{name}");
    view! {
        <div class="field wide">
            <label for=id.clone()>{tr(label)}</label>
            <textarea
                id=id
                name=name
                rows="4"
                aria-invalid=invalid(errors, name)
                aria-describedby=format!("e-{name}")
                prop:value=value_of(fields, name)
                on:input=move |ev| set_field(fields, name, event_target_value(&ev))
            ></textarea>
            <FieldErrors name errors />
        </div>
    }
    .into_any()
}

/// A picker; with `errors`, marked invalid and described by the field's error messages (which
/// the form shows with `FieldErrors`).
#[component]
fn OptionSelect(
    name: &'static str,
    label: fn(Locale) -> &'static str,
    fields: RwSignal<Fields>,
    options: Signal<Vec<(String, String)>>,
    #[prop(optional)] blank: bool,
    #[prop(optional)] errors: Option<RwSignal<ValidationErrors>>,
) -> impl IntoView {
    if let Some(why) = fixed_now(name) {
        // The chosen option's text, as the picker would show it.
        let value = Signal::derive(move || {
            let v = value_of(fields, name)();
            options.with(|o| o.iter().find(|(k, _)| *k == v).map(|(_, t)| t.clone())).unwrap_or(v)
        });
        return match errors {
            Some(errors) => view! { <FixedField name label=label_signal(label) value why errors /> }.into_any(),
            None => view! { <FixedField name label=label_signal(label) value why /> }.into_any(),
        };
    }
    let id = format!("f-{name}");
    let is_invalid = move || errors.map_or("false", |e| invalid(e, name)());
    view! {
        <div class="field">
            <label for=id.clone()>{tr(label)}</label>
            <select
                id=id
                name=name
                aria-invalid=is_invalid
                aria-describedby=errors.map(|_| format!("e-{name}"))
                prop:value=value_of(fields, name)
                on:change=move |ev| set_field(fields, name, event_target_value(&ev))
            >
                {blank.then(|| view! { <option value="">{NONE}</option> })}
                {move || {
                    let current = value_of(fields, name)();
                    options.get().into_iter().map(|(v, t)| { let sel = v == current; view! { <option value=v selected=sel>{t}</option> } }).collect_view()
                }}
            </select>
        </div>
    }
    .into_any()
}

#[component]
fn Check(name: &'static str, label: fn(Locale) -> &'static str, fields: RwSignal<Fields>) -> impl IntoView {
    if let Some(why) = fixed_now(name) {
        let value =
            Signal::derive(move || if value_of(fields, name)().is_empty() { String::new() } else { "✓".into() });
        return view! { <FixedField name label=label_signal(label) value why /> }.into_any();
    }
    let id = format!("f-{name}");
    let for_id = id.clone();
    view! {
        <label class="check" for=for_id>
            <input type="checkbox" id=id prop:checked=move || !value_of(fields, name)().is_empty() on:change=move |ev| set_field(fields, name, if event_target_checked(&ev) { "1".into() } else { String::new() }) />
            {tr(label)}
        </label>
    }
    .into_any()
}

/// The customer's contacts as checkboxes (their ids go into `contacts_met`).
#[component]
fn ContactsMet(contacts: Vec<(String, String)>, fields: RwSignal<Fields>) -> impl IntoView {
    let chosen = move || {
        fields.with(|f| {
            f.get("contacts_met")
                .map(|v| v.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    let toggle = move |id: String, on: bool| {
        let mut list = chosen();
        list.retain(|x| x != &id);
        if on {
            list.push(id);
        }
        set_field(fields, "contacts_met", list.join(","));
    };
    if let Some(why) = fixed_now("contacts_met") {
        let value = Signal::derive(move || {
            let met = chosen();
            contacts.iter().filter(|(id, _)| met.contains(id)).map(|(_, n)| n.clone()).collect::<Vec<_>>().join(", ")
        });
        return view! { <FixedField name="contacts_met" label=label_signal(|l| td_string!(l, field_contacts_met)) value why wide=true /> }.into_any();
    }
    let empty = contacts.is_empty();
    view! {
        <fieldset class="field wide">
            <legend>{tr(|l| td_string!(l, field_contacts_met))}</legend>
            {empty.then(|| view! { <p class="hint">{tr(|l| td_string!(l, no_records))}</p> })}
            {contacts
                .into_iter()
                .map(|(id, name)| {
                    let for_check = id.clone();
                    let input_id = format!("met-{}", crate::app::paths::encode(&id).replace('%', "_"));
                    let for_id = input_id.clone();
                    view! {
                        <label class="check" for=for_id>
                            <input type="checkbox" id=input_id prop:checked=move || chosen().contains(&for_check) on:change=move |ev| toggle(id.clone(), event_target_checked(&ev)) />
                            {name}
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
    .into_any()
}

/// Adds the files picked in a file input (`ev`) to `list`, each as `read` makes it into an attachment
/// (or says, in the user's language, why not), at most `max` in all: `busy` while it works,
/// `problem` the last refusal (cleared by the next file taken).
fn add_picked<Fut>(
    i18n: I18n,
    ev: &leptos::ev::Event,
    list: RwSignal<Vec<Attachment>>,
    max: usize,
    busy: RwSignal<bool>,
    problem: RwSignal<Option<String>>,
    read: impl Fn(crate::shell::files::File) -> Fut + 'static,
) where
    Fut: std::future::Future<Output = Result<Attachment, String>> + 'static,
{
    let files = crate::shell::files::picked_files(ev);
    if files.is_empty() {
        return;
    }
    busy.set(true);
    spawn_local(async move {
        for f in files {
            if list.with_untracked(Vec::len) >= max {
                let l = i18n.get_locale_untracked();
                problem.set(Some(fill(td_string!(l, err_too_many), &[("max", &max.to_string())])));
                break;
            }
            match read(f).await {
                Ok(a) => {
                    list.update(|v| v.push(a));
                    problem.set(None);
                }
                Err(why) => problem.set(Some(why)),
            }
        }
        busy.set(false);
    });
}

/// Photos from the tablet's camera (or files), downscaled and kept with the ticket.
#[component]
fn Photos(photos: RwSignal<Vec<Photo>>, errors: RwSignal<ValidationErrors>) -> impl IntoView {
    let i18n = use_i18n();
    if let Some(why) = fixed_now("photos") {
        let value =
            Signal::derive(move || photos.with(|p| p.iter().map(|x| x.name.clone()).collect::<Vec<_>>().join(", ")));
        return view! { <FixedField name="photos" label=label_signal(|l| td_string!(l, field_photos)) value why errors wide=true /> }.into_any();
    }
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let on_pick = move |ev: leptos::ev::Event| {
        add_picked(i18n, &ev, photos, MAX_PHOTOS, busy, problem, move |f| async move {
            let l = i18n.get_locale_untracked();
            let data_url = crate::shell::device::image_data_url(&f)
                .await
                .map_err(|e| format!("{} ({e})", td_string!(l, photo_failed)))?;
            let p = Photo { name: f.name(), data_url };
            if p.is_photo() { Ok(p) } else { Err(td_string!(l, err_invalid_photo).to_string()) }
        })
    };
    view! {
        <fieldset class="field wide photos">
            <legend>{tr(|l| td_string!(l, field_photos))}</legend>
            <ul class="thumbs" data-testid="photos">
                {move || {
                    photos
                        .get()
                        .into_iter()
                        .enumerate()
                        .filter(|(_, p)| p.is_photo())
                        .map(|(i, p)| {
                            let remove_label = fill(td_string!(i18n.get_locale(), photo_remove), &[("name", &p.name)]);
                            view! {
                                <li>
                                    <img src=p.data_url alt=p.name.clone() />
                                    <button type="button" class="secondary" aria-label=remove_label on:click=move |_| photos.update(|v| { if i < v.len() { v.remove(i); } })>"✕"</button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <label class="file button">
                {tr(|l| td_string!(l, photo_add))}
                <input id="f-photo" type="file" accept="image/jpeg,image/png" capture="environment" multiple on:change=on_pick data-testid="photo-input" />
            </label>
            <p class="hint" role="status">{move || if busy.get() { Some(td_string!(i18n.get_locale(), photo_working).to_string()) } else { problem.get() }}</p>
            <FieldErrors name="photos" errors />
        </fieldset>
    }
    .into_any()
}

/// A deal's documents — the quote sent, drawings, specifications — attached from files (PDF,
/// image, Word, Excel, each up to 1.4 MB), listed with type and size, downloaded, removed; kept
/// with the deal offline and sent with it to backends that store them.
#[component]
fn Documents(docs: RwSignal<Vec<Attachment>>, errors: RwSignal<ValidationErrors>) -> impl IntoView {
    let i18n = use_i18n();
    if let Some(why) = fixed_now("attachments") {
        let value =
            Signal::derive(move || docs.with(|p| p.iter().map(|x| x.name.clone()).collect::<Vec<_>>().join(", ")));
        return view! { <FixedField name="attachments" label=label_signal(|l| td_string!(l, field_documents)) value why errors wide=true /> }.into_any();
    }
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let on_pick = move |ev: leptos::ev::Event| {
        add_picked(i18n, &ev, docs, MAX_DOCUMENTS, busy, problem, move |f| async move {
            let l = i18n.get_locale_untracked();
            let name = f.name();
            let refused = || fill(td_string!(l, document_refused), &[("name", &name)]);
            let typed = Some(f.type_()).filter(|t| DOCUMENT_TYPES.contains(&t.as_str()));
            let Some(mime) = typed.or_else(|| document_type_of(&name).map(String::from)) else {
                return Err(refused());
            };
            if f.size() > MAX_DOCUMENT_FILE_BYTES as f64 {
                return Err(refused());
            }
            let data_url = crate::shell::files::read_data_url(&f, &mime)
                .await
                .map_err(|e| fill(td_string!(l, document_failed), &[("name", &name), ("error", &e)]))?;
            let a = Attachment { name: name.clone(), data_url };
            if a.is_document() { Ok(a) } else { Err(refused()) }
        })
    };
    let size = |bytes: usize| {
        if bytes >= 1_000_000 {
            format!("{:.1} MB", bytes as f64 / 1_000_000.0)
        } else {
            format!("{} KB", bytes.div_ceil(1000))
        }
    };
    let kind = |l: Locale, a: &Attachment| match a.mime() {
        Some("application/pdf") => "PDF",
        Some("image/jpeg" | "image/png") => td_string!(l, document_image),
        Some("application/msword" | "application/vnd.openxmlformats-officedocument.wordprocessingml.document") => {
            "Word"
        }
        Some(_) => "Excel",
        None => NONE,
    };
    view! {
        <fieldset class="field wide documents">
            <legend>{tr(|l| td_string!(l, field_documents))}</legend>
            <ul class="plain documents" data-testid="documents">
                {move || {
                    let l = i18n.get_locale();
                    let list = docs.get();
                    if list.is_empty() {
                        return view! { <li class="hint">{td_string!(l, document_none)}</li> }.into_any();
                    }
                    list.into_iter()
                        .enumerate()
                        .map(|(i, a)| {
                            let download_label = fill(td_string!(l, document_download_of), &[("name", &a.name)]);
                            let remove_label = fill(td_string!(l, document_remove_of), &[("name", &a.name)]);
                            let meta = format!("{} · {}", kind(l, &a), a.size().map(size).unwrap_or_else(|| NONE.to_string()));
                            let (name, url) = (a.name.clone(), a.data_url.clone());
                            view! {
                                <li data-testid="document">
                                    <span class="doc-name"><labels::Name text=a.name.clone() /></span>
                                    " "<span class="sub" data-testid="document-meta">{meta}</span>
                                    <button type="button" class="secondary" aria-label=download_label data-testid="document-download"
                                        on:click=move |_| crate::shell::files::download_data_url(&name, &url)>{td_string!(l, document_download)}</button>
                                    <button type="button" class="secondary" aria-label=remove_label data-testid="document-remove"
                                        on:click=move |_| docs.update(|v| { if i < v.len() { v.remove(i); } })>"✕"</button>
                                </li>
                            }
                        })
                        .collect_view()
                        .into_any()
                }}
            </ul>
            <label class="file button secondary">
                {tr(|l| td_string!(l, document_add))}
                <input id="f-attachments" type="file" multiple data-testid="document-input" on:change=on_pick
                    accept=".pdf,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx,application/pdf,image/jpeg,image/png" />
            </label>
            <p class="hint" role="status" data-testid="documents-status">{move || if busy.get() { Some(td_string!(i18n.get_locale(), document_working).to_string()) } else { problem.get() }}</p>
            <FieldErrors name="attachments" errors />
        </fieldset>
    }
    .into_any()
}

/// "Add my location" for a visit report: asks the browser (and so the user) for the position.
#[component]
fn Locate(fields: RwSignal<Fields>, errors: RwSignal<ValidationErrors>) -> impl IntoView {
    let i18n = use_i18n();
    if let Some(why) = fixed_now("location") {
        let value = Signal::derive(value_of(fields, "location"));
        return view! { <FixedField name="location" label=label_signal(|l| td_string!(l, field_location)) value why errors wide=true /> }.into_any();
    }
    let status = RwSignal::new(None::<String>);
    let locate = move |_| {
        status.set(Some(td_string!(i18n.get_locale(), locating).to_string()));
        spawn_local(async move {
            match crate::shell::device::current_position().await {
                Ok(p) => {
                    set_field(fields, "location", form::location_text(p));
                    status.set(None);
                }
                Err(e) => status.set(Some(format!("{} ({e})", td_string!(i18n.get_locale(), location_failed)))),
            }
        });
    };
    view! {
        <div class="field wide">
            <label for="f-location">{tr(|l| td_string!(l, field_location))}</label>
            <div class="inline">
                <input id="f-location" name="location" inputmode="decimal" aria-invalid=invalid(errors, "location") aria-describedby="e-location" prop:value=value_of(fields, "location") on:input=move |ev| set_field(fields, "location", event_target_value(&ev)) />
                <button type="button" class="secondary" data-testid="locate" on:click=locate>{tr(|l| td_string!(l, locate_me))}</button>
            </div>
            <p class="hint" role="status">{move || status.get()}</p>
            <FieldErrors name="location" errors />
        </div>
    }
    .into_any()
}
