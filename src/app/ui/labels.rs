//! Translated labels of the core's enumerations and validation problems.
//! Matches are exhaustive, so a new variant cannot ship without its translation.

use crate::app::i18n::*;
use crate::app::ui::dom::{fill, fill_count};
use crate::core::analytics::abc::AbcClass;
use crate::core::analytics::lifecycle::{Stage as LifeStage, Strategy};
use crate::core::analytics::receivables::AgingBucket;
use crate::core::model::Entity;
use crate::core::model::{
    OrderStatus, ServiceStage, Severity, SupplyChainRole, TicketKind, TicketStatus, VisitPurpose,
};
use crate::core::rest::profile::{ProfileError, ProfileProblem};
use crate::core::sync::local::{LocalError, SaveError};
use crate::core::sync::outbox::EditError;
use crate::core::sync::remote::RemoteError;
use crate::core::validate::Problem;
use leptos::prelude::*;

pub fn role(l: Locale, v: SupplyChainRole) -> &'static str {
    match v {
        SupplyChainRole::EndCustomer => td_string!(l, role_end_customer),
        SupplyChainRole::Distributor => td_string!(l, role_distributor),
        SupplyChainRole::Oem => td_string!(l, role_oem),
        SupplyChainRole::LogisticsPartner => td_string!(l, role_logistics_partner),
        SupplyChainRole::Supplier => td_string!(l, role_supplier),
        SupplyChainRole::Other => td_string!(l, role_other),
    }
}

pub fn order_status(l: Locale, v: OrderStatus) -> &'static str {
    match v {
        OrderStatus::Open => td_string!(l, order_status_open),
        OrderStatus::Confirmed => td_string!(l, order_status_confirmed),
        OrderStatus::Shipped => td_string!(l, order_status_shipped),
        OrderStatus::Delivered => td_string!(l, order_status_delivered),
        OrderStatus::Cancelled => td_string!(l, order_status_cancelled),
    }
}

pub fn ticket_kind(l: Locale, v: TicketKind) -> &'static str {
    match v {
        TicketKind::Complaint => td_string!(l, ticket_kind_complaint),
        TicketKind::Request => td_string!(l, ticket_kind_request),
        TicketKind::Inquiry => td_string!(l, ticket_kind_inquiry),
    }
}

pub fn stage(l: Locale, v: ServiceStage) -> &'static str {
    match v {
        ServiceStage::PreSales => td_string!(l, stage_pre_sales),
        ServiceStage::InSales => td_string!(l, stage_in_sales),
        ServiceStage::AfterSales => td_string!(l, stage_after_sales),
    }
}

pub fn severity(l: Locale, v: Severity) -> &'static str {
    match v {
        Severity::Low => td_string!(l, severity_low),
        Severity::Medium => td_string!(l, severity_medium),
        Severity::High => td_string!(l, severity_high),
        Severity::Critical => td_string!(l, severity_critical),
    }
}

pub fn ticket_status(l: Locale, v: TicketStatus) -> &'static str {
    match v {
        TicketStatus::Open => td_string!(l, ticket_status_open),
        TicketStatus::InProgress => td_string!(l, ticket_status_in_progress),
        TicketStatus::Resolved => td_string!(l, ticket_status_resolved),
        TicketStatus::Closed => td_string!(l, ticket_status_closed),
    }
}

pub fn purpose(l: Locale, v: VisitPurpose) -> &'static str {
    match v {
        VisitPurpose::Relationship => td_string!(l, purpose_relationship),
        VisitPurpose::Opportunity => td_string!(l, purpose_opportunity),
        VisitPurpose::Service => td_string!(l, purpose_service),
        VisitPurpose::Complaint => td_string!(l, purpose_complaint),
        VisitPurpose::Collection => td_string!(l, purpose_collection),
        VisitPurpose::Survey => td_string!(l, purpose_survey),
        VisitPurpose::Other => td_string!(l, purpose_other),
    }
}

pub fn entity(l: Locale, v: Entity) -> &'static str {
    match v {
        Entity::Customers => td_string!(l, entity_customers),
        Entity::Contacts => td_string!(l, entity_contacts),
        Entity::Orders => td_string!(l, entity_orders),
        Entity::Invoices => td_string!(l, entity_invoices),
        Entity::Tickets => td_string!(l, entity_tickets),
        Entity::Visits => td_string!(l, entity_visits),
        Entity::Surveys => td_string!(l, entity_surveys),
        Entity::Plans => td_string!(l, entity_plans),
        Entity::Opportunities => td_string!(l, entity_opportunities),
        Entity::Tasks => td_string!(l, entity_tasks),
    }
}

/// A pipeline stage's name: the workspace's label, else the default stage's translation, else
/// its id.
pub fn opp_stage(l: Locale, stages: &crate::core::model::Stages, id: &str) -> String {
    match stages.get(id) {
        Some(s) => stage_name(l, s),
        None => default_stage_name(l, id),
    }
}

/// A stage's shown name: its label, else the default stage's translation, else its id.
pub fn stage_name(l: Locale, s: &crate::core::model::StageDef) -> String {
    let label = s.label.trim();
    if label.is_empty() { default_stage_name(l, &s.id) } else { label.to_string() }
}

fn default_stage_name(l: Locale, id: &str) -> String {
    match id {
        "lead" => td_string!(l, opp_stage_lead),
        "qualified" => td_string!(l, opp_stage_qualified),
        "solution" => td_string!(l, opp_stage_solution),
        "quote" => td_string!(l, opp_stage_quote),
        "negotiation" => td_string!(l, opp_stage_negotiation),
        "won" => td_string!(l, opp_stage_won),
        "lost" => td_string!(l, opp_stage_lost),
        other => other,
    }
    .to_string()
}

pub fn opp_source(l: Locale, v: crate::core::model::OppSource) -> &'static str {
    use crate::core::model::OppSource as S;
    match v {
        S::Visit => td_string!(l, opp_source_visit),
        S::Inquiry => td_string!(l, opp_source_inquiry),
        S::Campaign => td_string!(l, opp_source_campaign),
        S::Referral => td_string!(l, opp_source_referral),
        S::Other => td_string!(l, opp_source_other),
    }
}

pub fn lost_reason(l: Locale, v: crate::core::model::LostReason) -> &'static str {
    use crate::core::model::LostReason as R;
    match v {
        R::Price => td_string!(l, lost_reason_price),
        R::Delivery => td_string!(l, lost_reason_delivery),
        R::Quality => td_string!(l, lost_reason_quality),
        R::Relationship => td_string!(l, lost_reason_relationship),
        R::NoDecision => td_string!(l, lost_reason_no_decision),
        R::Other => td_string!(l, lost_reason_other),
    }
}

/// The message for a validation problem, with its numbers filled in.
pub fn problem(l: Locale, p: Problem) -> String {
    match p {
        Problem::Required => td_string!(l, err_required).to_string(),
        Problem::TooLong { max } => fill(td_string!(l, err_too_long), &[("max", &max.to_string())]).to_string(),
        Problem::OutOfRange { min, max } => {
            fill(td_string!(l, err_out_of_range), &[("min", &min.to_string()), ("max", &max.to_string())]).to_string()
        }
        Problem::Negative => td_string!(l, err_negative).to_string(),
        Problem::InvalidEmail => td_string!(l, err_invalid_email).to_string(),
        Problem::InvalidPhone => td_string!(l, err_invalid_phone).to_string(),
        Problem::InvalidCountry => td_string!(l, err_invalid_country).to_string(),
        Problem::InvalidPeriod => td_string!(l, err_invalid_period).to_string(),
        Problem::DateOrder => td_string!(l, err_date_order).to_string(),
        Problem::TotalMismatch => td_string!(l, err_total_mismatch).to_string(),
        Problem::Overpaid => td_string!(l, err_overpaid).to_string(),
        Problem::SelfReference => td_string!(l, err_self_reference).to_string(),
        Problem::Duplicate => td_string!(l, err_duplicate).to_string(),
        Problem::NoScore => td_string!(l, err_no_score).to_string(),
        Problem::MissingResolution => td_string!(l, err_missing_resolution).to_string(),
        Problem::InvalidCoordinates => td_string!(l, err_invalid_coordinates).to_string(),
        Problem::CurrencyMismatch => td_string!(l, err_currency_mismatch).to_string(),
        Problem::InvalidNumber => td_string!(l, err_invalid_number).to_string(),
        Problem::InvalidDate => td_string!(l, err_invalid_date).to_string(),
        Problem::InvalidTime => td_string!(l, err_invalid_time).to_string(),
        Problem::TooMany { max } => fill(td_string!(l, err_too_many), &[("max", &max.to_string())]).to_string(),
        Problem::InvalidPhoto => td_string!(l, err_invalid_photo).to_string(),
        Problem::InvalidDocument => td_string!(l, err_invalid_document).to_string(),
    }
}

/// The message for a problem with an exchange rate (typed in or a rates CSV row).
pub fn rate_problem(l: Locale, p: crate::core::fx::RateProblem) -> &'static str {
    use crate::core::fx::RateProblem as P;
    match p {
        P::Required => td_string!(l, fx_required),
        P::InvalidCurrency => td_string!(l, fx_invalid_currency),
        P::InvalidDate => td_string!(l, fx_invalid_date),
        P::InvalidRate => td_string!(l, fx_invalid_rate),
        P::NotPositive => td_string!(l, fx_not_positive),
        P::TooManyDecimals => td_string!(l, fx_too_many_decimals),
        P::TooLarge => td_string!(l, fx_too_large),
        P::Duplicate => td_string!(l, fx_duplicate),
        P::ReportingCurrency => td_string!(l, fx_reporting_currency),
        P::UnterminatedQuote => td_string!(l, fx_unterminated_quote),
    }
}

pub fn sort(l: Locale, v: crate::core::filter::SortKey) -> &'static str {
    use crate::core::filter::SortKey;
    match v {
        SortKey::Name => td_string!(l, sort_name),
        SortKey::Updated => td_string!(l, sort_updated),
        SortKey::Region => td_string!(l, sort_region),
        SortKey::Owner => td_string!(l, sort_owner),
        SortKey::Value => td_string!(l, sort_value),
        SortKey::Recency => td_string!(l, sort_recency),
    }
}

fn origin() -> String {
    crate::shell::page::origin()
}

/// `scheme://host[:port]` of a URL (what a CSP source lists).
fn url_origin(url: &str) -> &str {
    let start = url.find("://").map_or(0, |i| i + 3);
    url[start..].find(['/', '?', '#']).map_or(url, |end| &url[..start + end])
}

/// What went wrong talking to the backend, and what to do about it.
pub fn remote_error(l: Locale, e: &RemoteError) -> AnyView {
    let detail = |text: String| view! { <span class="detail">" (" {text} ")"</span> };
    match e.clone() {
        RemoteError::Offline => td_string!(l, err_offline).into_any(),
        RemoteError::Unreachable { url } => {
            fill(td_string!(l, err_unreachable), &[("origin", url_origin(&url))]).into_any()
        }
        RemoteError::Blocked { url } => {
            let o = origin();
            fill(td_string!(l, err_cors), &[("url", &url), ("origin", &o)]).into_any()
        }
        RemoteError::Refused { url } => fill(td_string!(l, err_csp), &[("origin", url_origin(&url))]).into_any(),
        RemoteError::Timeout => td_string!(l, err_timeout).into_any(),
        RemoteError::Unauthorized { status } => {
            view! { {td_string!(l, err_unauthorized)} {detail(status.to_string())} }.into_any()
        }
        RemoteError::NotFound => td_string!(l, err_not_found).into_any(),
        RemoteError::Conflict { message } => view! { {td_string!(l, err_conflict)} {detail(message)} }.into_any(),
        RemoteError::Rejected { status, message, fields } => {
            let list = fields.into_iter().map(|(f, m)| format!("{f}: {m}")).collect::<Vec<_>>().join("; ");
            let text = if list.is_empty() { format!("{status}: {message}") } else { format!("{status}: {list}") };
            view! { {td_string!(l, err_rejected)} {detail(text)} }.into_any()
        }
        RemoteError::RateLimited { .. } => td_string!(l, err_rate_limited).into_any(),
        RemoteError::Server { status, .. } => {
            view! { {td_string!(l, err_server)} {detail(status.to_string())} }.into_any()
        }
        RemoteError::Status { status } => view! { {td_string!(l, err_status)} {detail(status.to_string())} }.into_any(),
        RemoteError::BadResponse { reason } => view! { {td_string!(l, err_bad_response)} {detail(reason)} }.into_any(),
        RemoteError::Unsupported { reason } => view! { {td_string!(l, err_unsupported)} {detail(reason)} }.into_any(),
    }
}

/// The label of a record field, by its name in the model (`None` for a name the form does not
/// know, e.g. a backend-only field: shown as the server wrote it).
pub fn field(l: Locale, name: &str) -> Option<&'static str> {
    Some(match name {
        "name" => td_string!(l, field_name),
        "short_name" => td_string!(l, field_short_name),
        "role" => td_string!(l, field_role),
        "industry" => td_string!(l, field_industry),
        "region" => td_string!(l, field_region),
        "country" => td_string!(l, field_country),
        "city" => td_string!(l, field_city),
        "address" => td_string!(l, field_address),
        "owner" => td_string!(l, field_owner),
        "team" => td_string!(l, field_team),
        "tags" => td_string!(l, field_tags),
        "credit_limit" => td_string!(l, field_credit_limit),
        "payment_terms_days" => td_string!(l, field_payment_terms_days),
        "potential_annual_spend" => td_string!(l, field_potential_spend),
        "parent_id" => td_string!(l, field_parent),
        "distributor_of" => td_string!(l, field_distributor_of),
        "currency" => td_string!(l, field_currency),
        "title" => td_string!(l, field_title),
        "department" => td_string!(l, field_department),
        "phone" => td_string!(l, field_phone),
        "mobile" => td_string!(l, field_mobile),
        "email" => td_string!(l, field_email),
        "notes" => td_string!(l, field_notes),
        "description" => td_string!(l, field_description),
        "resolution" => td_string!(l, field_resolution),
        "product" => td_string!(l, field_product),
        "assignee" => td_string!(l, field_assignee),
        "next_step" => td_string!(l, field_next_step),
        "next_step_date" => td_string!(l, field_next_step_date),
        "contacts_met" => td_string!(l, field_contacts_met),
        "location" => td_string!(l, field_location),
        "csat" => td_string!(l, field_csat),
        "nps" => td_string!(l, field_nps),
        "comment" => td_string!(l, field_comment),
        "photos" => td_string!(l, field_photos),
        _ => return None,
    })
}

/// An RFM segment's name; a segment the user added keeps the name they gave it.
pub fn rfm_segment(l: Locale, key: &str) -> String {
    let s = match key {
        "champions" => td_string!(l, segment_champions),
        "cant_lose_them" => td_string!(l, segment_cant_lose_them),
        "loyal_customers" => td_string!(l, segment_loyal_customers),
        "at_risk" => td_string!(l, segment_at_risk),
        "new_customers" => td_string!(l, segment_new_customers),
        "promising" => td_string!(l, segment_promising),
        "potential_loyalist" => td_string!(l, segment_potential_loyalist),
        "need_attention" => td_string!(l, segment_need_attention),
        "about_to_sleep" => td_string!(l, segment_about_to_sleep),
        "lost" => td_string!(l, segment_lost),
        "hibernating" => td_string!(l, segment_hibernating),
        "others" => td_string!(l, segment_others),
        other => return other.to_string(),
    };
    s.to_string()
}

pub fn abc(l: Locale, v: AbcClass) -> &'static str {
    match v {
        AbcClass::A => td_string!(l, abc_a),
        AbcClass::B => td_string!(l, abc_b),
        AbcClass::C => td_string!(l, abc_c),
    }
}

pub fn lifecycle(l: Locale, v: LifeStage) -> &'static str {
    match v {
        LifeStage::Potential => td_string!(l, lifecycle_potential),
        LifeStage::InPursuit => td_string!(l, lifecycle_in_pursuit),
        LifeStage::New => td_string!(l, lifecycle_new),
        LifeStage::Active => td_string!(l, lifecycle_active),
        LifeStage::Mature => td_string!(l, lifecycle_mature),
        LifeStage::AtRisk => td_string!(l, lifecycle_at_risk),
        LifeStage::Lost => td_string!(l, lifecycle_lost),
    }
}

pub fn strategy(l: Locale, v: Strategy) -> &'static str {
    match v {
        Strategy::Nurture => td_string!(l, strategy_nurture),
        Strategy::Pursue => td_string!(l, strategy_pursue),
        Strategy::Onboard => td_string!(l, strategy_onboard),
        Strategy::Develop => td_string!(l, strategy_develop),
        Strategy::Retain => td_string!(l, strategy_retain),
        Strategy::WinBack => td_string!(l, strategy_win_back),
        Strategy::Reactivate => td_string!(l, strategy_reactivate),
    }
}

pub fn aging(l: Locale, v: AgingBucket) -> &'static str {
    match v {
        AgingBucket::Current => td_string!(l, aging_current),
        AgingBucket::Days1To30 => td_string!(l, aging_1_30),
        AgingBucket::Days31To60 => td_string!(l, aging_31_60),
        AgingBucket::Days61To90 => td_string!(l, aging_61_90),
        AgingBucket::Over90 => td_string!(l, aging_over_90),
    }
}

/// A record's name (or title) as shown: itself, or "(no name)" in the user's language when it
/// would show nothing (only spaces or invisible characters).
pub fn shown_name(l: Locale, name: &str) -> String {
    if crate::core::text::is_blank(name) { td_string!(l, no_name).to_string() } else { name.to_string() }
}

/// A record's name as text isolated from the page around it (`<bdi>`: right-to-left runs and
/// direction overrides in it cannot reorder the UI's text), "(no name)" when it is blank.
#[component]
pub fn Name(#[prop(into)] text: String) -> impl IntoView {
    let i18n = crate::app::i18n::use_i18n();
    let blank = crate::core::text::is_blank(&text);
    view! { <bdi class=if blank { "no-name" } else { "" }>{move || if blank { td_string!(i18n.get_locale(), no_name).to_string() } else { text.clone() }}</bdi> }
}

/// The message for a failed save.
pub fn save_error(l: Locale, e: &SaveError) -> String {
    match e {
        SaveError::Edit(EditError::Exists) => td_string!(l, save_exists).to_string(),
        SaveError::Edit(EditError::Missing) => td_string!(l, save_missing).to_string(),
        SaveError::Edit(EditError::InConflict) => td_string!(l, save_in_conflict).to_string(),
        SaveError::Local(LocalError::QuotaExceeded) => td_string!(l, save_quota).to_string(),
        SaveError::Local(LocalError::Storage(m)) => format!("{} ({m})", td_string!(l, save_storage)),
    }
}

/// A profile problem in the user's language; where it is stays as the profile's own path.
pub fn profile_error(l: Locale, e: &ProfileError) -> String {
    let what = match &e.problem {
        ProfileProblem::Syntax(m) => return format!("{} {} {m}", e.at, td_string!(l, prob_syntax)),
        ProfileProblem::Required => td_string!(l, prob_required),
        ProfileProblem::BadUrl => td_string!(l, prob_bad_url),
        ProfileProblem::BadPath => td_string!(l, prob_bad_path),
        ProfileProblem::BadHeader => td_string!(l, prob_bad_header),
        ProfileProblem::MissingIdPlaceholder => td_string!(l, prob_missing_id),
        ProfileProblem::OutOfRange { min, max } => {
            return format!("{} {} ({min}–{max})", e.at, td_string!(l, prob_out_of_range));
        }
        ProfileProblem::UnknownField => td_string!(l, prob_unknown_field),
        ProfileProblem::NoResources => td_string!(l, prob_no_resources),
        ProfileProblem::UnknownProfile => td_string!(l, prob_unknown_profile),
        ProfileProblem::NoProfiles => td_string!(l, prob_no_profiles),
        ProfileProblem::MissingSincePlaceholder => td_string!(l, prob_missing_since),
        ProfileProblem::ParamTaken => td_string!(l, prob_param_taken),
        ProfileProblem::WriteAsMisplaced => td_string!(l, prob_write_as),
    };
    format!("{} {what}", e.at)
}

/// A number of days with the plural right ("1 day", "12 days"; "12 天"), for a sentence that
/// holds more than one number.
pub fn days(l: Locale, n: usize) -> String {
    fill_count(td_string!(l, n_days_one), td_string!(l, n_days), n, &[])
}

/// A number of contacts with the plural right ("1 contact").
pub fn contacts(l: Locale, n: usize) -> String {
    fill_count(td_string!(l, n_contacts_one), td_string!(l, n_contacts), n, &[])
}

/// A number of survey answers with the plural right ("1 answer").
pub fn answers(l: Locale, n: usize) -> String {
    fill_count(td_string!(l, n_answers_one), td_string!(l, n_answers), n, &[])
}

/// A number of complaints with the plural right ("1 complaint"; "投诉 1 次").
pub fn complaints(l: Locale, n: usize) -> String {
    fill_count(td_string!(l, n_complaints_one), td_string!(l, n_complaints), n, &[])
}

pub fn task_status(l: Locale, v: crate::core::model::TaskStatus) -> &'static str {
    use crate::core::model::TaskStatus as S;
    match v {
        S::Open => td_string!(l, task_status_open),
        S::Done => td_string!(l, task_status_done),
        S::Cancelled => td_string!(l, task_status_cancelled),
    }
}

pub fn task_priority(l: Locale, v: crate::core::model::TaskPriority) -> &'static str {
    use crate::core::model::TaskPriority as P;
    match v {
        P::Low => td_string!(l, task_priority_low),
        P::Normal => td_string!(l, task_priority_normal),
        P::High => td_string!(l, task_priority_high),
    }
}

pub fn task_related(l: Locale, v: crate::core::model::TaskRelated) -> &'static str {
    use crate::core::model::TaskRelated as R;
    match v {
        R::Visit => td_string!(l, task_related_visit),
        R::Ticket => td_string!(l, task_related_ticket),
        R::Invoice => td_string!(l, task_related_invoice),
        R::Opportunity => td_string!(l, task_related_opportunity),
        R::Warning => td_string!(l, task_related_warning),
    }
}
