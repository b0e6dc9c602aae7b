//! Data problems: fields a backend sent that could not be read (the record was kept, the field
//! left empty or given a default). Listed on the customer's page (its own and its child
//! records') and counted on the Sync page; also the translated reason a record was skipped.

use crate::app::i18n::*;
use crate::app::paths::customer_href;
use crate::app::state::use_app;
use crate::app::ui::dom::{fill, fill_count};
use crate::app::ui::labels;
use crate::core::lenient::{DataProblem, Issue, Outcome};
use crate::core::model::Entity;
use crate::core::record::Unreadable;
use leptos::prelude::*;
use leptos_router::components::A;

/// Records listed on the Sync page at most (the count says how many there are).
const LISTED: usize = 50;

pub fn issue(l: Locale, i: Issue) -> &'static str {
    match i {
        Issue::Missing => td_string!(l, data_issue_missing),
        Issue::NotText => td_string!(l, data_issue_not_text),
        Issue::NotANumber => td_string!(l, data_issue_not_a_number),
        Issue::NotWholeNumber => td_string!(l, data_issue_not_whole_number),
        Issue::NotAnAmount => td_string!(l, data_issue_not_an_amount),
        Issue::OutOfRange => td_string!(l, data_issue_out_of_range),
        Issue::NotADate => td_string!(l, data_issue_not_a_date),
        Issue::NotATime => td_string!(l, data_issue_not_a_time),
        Issue::NotAPeriod => td_string!(l, data_issue_not_a_period),
        Issue::UnknownValue => td_string!(l, data_issue_unknown_value),
        Issue::NotYesNo => td_string!(l, data_issue_not_yes_no),
        Issue::NotAList => td_string!(l, data_issue_not_a_list),
        Issue::NotAnObject => td_string!(l, data_issue_not_an_object),
        Issue::ControlCharacters => td_string!(l, data_issue_control_characters),
    }
}

pub fn outcome(l: Locale, o: Outcome) -> &'static str {
    match o {
        Outcome::Empty => td_string!(l, data_outcome_empty),
        Outcome::Default => td_string!(l, data_outcome_default),
        Outcome::FirstSeen => td_string!(l, data_outcome_first_seen),
        Outcome::Cleaned => td_string!(l, data_outcome_cleaned),
        Outcome::LeftOut => td_string!(l, data_outcome_left_out),
    }
}

/// Why a record from the server was skipped.
pub fn unreadable(l: Locale, u: Unreadable) -> &'static str {
    match u {
        Unreadable::NotAnObject => td_string!(l, skipped_not_an_object),
        Unreadable::NoId => td_string!(l, skipped_no_id),
        Unreadable::NoCustomer => td_string!(l, skipped_no_customer),
        Unreadable::Malformed => td_string!(l, skipped_malformed),
    }
}

/// The label of one model field of a record of `entity` (a field of the forms, a column of the
/// customer page, or one named here).
fn one_field(l: Locale, entity: Entity, name: &str) -> String {
    let own = match (entity, name) {
        (Entity::Tickets, "title") => Some(td_string!(l, field_ticket_title)),
        (_, "created_at") => Some(td_string!(l, field_created)),
        (_, "updated_at") => Some(td_string!(l, field_updated)),
        (_, "date") => Some(td_string!(l, col_date)),
        (_, "amount") => Some(td_string!(l, col_amount)),
        (_, "margin") => Some(td_string!(l, col_margin)),
        (_, "status") => Some(td_string!(l, col_status)),
        (_, "lines") => Some(td_string!(l, col_lines)),
        (_, "issue_date") => Some(td_string!(l, col_issue_date)),
        (_, "due_date") => Some(td_string!(l, col_due_date)),
        (_, "opened_at") => Some(td_string!(l, col_opened)),
        (_, "kind") => Some(td_string!(l, col_kind)),
        (_, "stage") => Some(td_string!(l, col_stage)),
        (_, "severity") => Some(td_string!(l, col_severity)),
        (_, "sla_due") => Some(td_string!(l, col_sla_due)),
        (_, "purpose") => Some(td_string!(l, col_purpose)),
        (_, "rep") => Some(td_string!(l, col_rep)),
        (_, "outcome") => Some(td_string!(l, col_outcome)),
        (_, "order_id") => Some(td_string!(l, field_linked_order)),
        (_, "contact_id") => Some(td_string!(l, field_contact)),
        (_, "primary") => Some(td_string!(l, contact_primary)),
        (_, "quantity") => Some(td_string!(l, data_field_quantity)),
        (_, "unit_price") => Some(td_string!(l, data_field_unit_price)),
        (_, "category") => Some(td_string!(l, data_field_category)),
        (_, "payments") => Some(td_string!(l, data_field_payments)),
        (_, "resolved_at") => Some(td_string!(l, data_field_resolved_at)),
        (_, "closed_at") => Some(td_string!(l, data_field_closed_at)),
        (_, "period") => Some(td_string!(l, data_field_period)),
        (_, "target") => Some(td_string!(l, data_field_target)),
        (_, "ticket_id") => Some(td_string!(l, data_field_ticket)),
        (_, "data_url") => Some(td_string!(l, data_field_image)),
        (_, "custom") => Some(td_string!(l, data_field_custom)),
        _ => None,
    };
    own.or_else(|| labels::field(l, name)).map(str::to_string).unwrap_or_else(|| name.to_string())
}

/// A problem's field in the user's language: `lines[2].quantity` → "Line 3 · Quantity",
/// `custom.grade` → "Custom fields · grade".
pub fn field_label(l: Locale, entity: Entity, path: &str) -> String {
    let mut parts = Vec::new();
    for (i, part) in path.split('.').enumerate() {
        let (name, index) = match part.strip_suffix(']').and_then(|p| p.split_once('[')) {
            Some((name, n)) => (name, n.parse::<usize>().ok()),
            None => (part, None),
        };
        if i > 0 && path.starts_with("custom.") {
            parts.push(part.to_string());
            continue;
        }
        let item = |key: &str, n: usize| fill(key, &[("n", &(n + 1).to_string())]);
        parts.push(match (name, index) {
            ("lines", Some(n)) => item(td_string!(l, data_field_line), n),
            ("payments", Some(n)) => item(td_string!(l, data_field_payment), n),
            ("photos", Some(n)) => item(td_string!(l, data_field_photo), n),
            (_, Some(n)) => format!("{} {}", one_field(l, entity, name), n + 1),
            (_, None) => one_field(l, entity, name),
        });
    }
    parts.join(" · ")
}

/// One problem: field, value received (as text, isolated), what was wrong and what is shown.
fn problem_item(l: Locale, entity: Entity, p: &DataProblem) -> impl IntoView + use<> {
    let value = if p.value.is_empty() { td_string!(l, data_no_value).to_string() } else { p.value.clone() };
    let why =
        fill(td_string!(l, data_problem_why), &[("issue", issue(l, p.issue)), ("outcome", outcome(l, p.outcome))]);
    view! {
        <li data-testid="data-problem" data-field=p.field.clone()>
            <span class="problem-field">{field_label(l, entity, &p.field)}{td_string!(l, data_field_sep)}</span>
            <bdi class="problem-value">{value}</bdi> " — "
            <span class="problem-why">{why}</span>
        </li>
    }
}

/// A record of a customer: "Orders · O-17" (the customer's own problems have no heading).
fn record_heading(l: Locale, entity: Entity, id: &str) -> String {
    format!("{} · {id}", labels::entity(l, entity))
}

/// The customer page's section: the data problems of the customer and of its records (nothing
/// when there are none).
#[component]
pub fn CustomerProblems(customer: String) -> impl IntoView {
    let app = use_app();
    let i18n = use_i18n();
    let list = Memo::new(move |_| {
        app.problems.with(|p| {
            p.for_customer(&customer)
                .into_iter()
                .map(|(e, id, problems)| (e, id.to_string(), problems.to_vec()))
                .collect::<Vec<_>>()
        })
    });
    move || {
        let list = list.get();
        if list.is_empty() {
            return None;
        }
        let l = i18n.get_locale();
        let n: usize = list.len();
        let records = list
            .into_iter()
            .map(|(entity, id, problems)| {
                let heading = (entity != Entity::Customers).then(|| {
                    view! { <p class="problem-record" data-testid="data-problem-record">{record_heading(l, entity, &id)}</p> }
                });
                let items = problems.iter().map(|p| problem_item(l, entity, p)).collect_view();
                view! { <div>{heading}<ul class="plain">{items}</ul></div> }
            })
            .collect_view();
        Some(view! {
            <section class="card data-problems" aria-labelledby="h-data-problems" data-testid="data-problems">
                <h2 id="h-data-problems">{td_string!(l, data_problems_title)}</h2>
                <p class="hint">
                    {fill_count(td_string!(l, data_problems_count_one), td_string!(l, data_problems_count), n, &[])}
                    " " {td_string!(l, data_problems_intro)}
                </p>
                {records}
            </section>
        })
    }
}

/// The Sync page's count of records with data problems, with the first of them linked to their
/// customer's page (nothing when there are none).
#[component]
pub fn SyncProblems() -> impl IntoView {
    let app = use_app();
    let i18n = use_i18n();
    move || {
        let l = i18n.get_locale();
        let (n, rows) = app.problems.with(|p| {
            let rows: Vec<(Entity, String, Option<String>, Vec<DataProblem>)> = p
                .iter()
                .take(LISTED)
                .map(|(e, id, r)| {
                    let customer = if e == Entity::Customers { Some(id.to_string()) } else { r.customer.clone() };
                    (e, id.to_string(), customer, r.problems.clone())
                })
                .collect();
            (p.len(), rows)
        });
        if n == 0 {
            return None;
        }
        let items = rows
            .into_iter()
            .map(|(entity, id, customer, problems)| {
                let name =
                    customer.as_ref().and_then(|c| app.workspace.with(|w| w.customer(c).map(|x| x.name.clone())));
                let fields = problems
                    .iter()
                    .map(|p| field_label(l, entity, &p.field))
                    .collect::<Vec<_>>()
                    .join(td_string!(l, data_field_list_sep));
                let what = format!("{} — {fields}", record_heading(l, entity, &id));
                let link = customer.map(|c| {
                    let label = name.filter(|n| !n.trim().is_empty()).unwrap_or_else(|| c.clone());
                    view! { <A href=crate::app::paths::href(&customer_href(&c))><bdi>{label}</bdi></A> " · " }
                });
                view! { <li data-testid="data-problem-row">{link}<span>{what}</span></li> }
            })
            .collect_view();
        let more = (n > LISTED).then(|| {
            view! { <p class="hint">{fill(td_string!(l, more_not_shown), &[("count", &(n - LISTED).to_string())])}</p> }
        });
        Some(view! {
            <section class="card data-problems" aria-labelledby="h-sync-data-problems" data-testid="sync-data-problems">
                <h2 id="h-sync-data-problems">{td_string!(l, data_problems_title)}</h2>
                <p data-testid="data-problem-count">
                    {fill_count(td_string!(l, data_problems_count_one), td_string!(l, data_problems_count), n, &[])}
                </p>
                <p class="hint">{td_string!(l, data_problems_intro)}</p>
                <ul class="plain">{items}</ul>
                {more}
            </section>
        })
    }
}
