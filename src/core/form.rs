//! The service forms' logic: a form's fields as text (what the user typed, also what a draft
//! saves), turned into a validated record — or into field errors, nothing lost.
//!
//! Each record kind has `*_fields` (a record → its form's text, for editing) and `build_*`
//! (text + the record being edited → the new record). The UI only binds inputs to field names.

use crate::core::model::Entity;
use crate::core::model::{
    Attachment, Contact, Currency, Customer, Date, GeoPoint, LostReason, Money, OppLine, OppSource, Opportunity, Photo,
    ServiceStage, ServiceTicket, Severity, Stages, SupplyChainRole, SurveyResponse, Task, TaskPriority, TaskRelated,
    TaskStatus, TicketKind, TicketStatus, Timestamp, Visit, VisitPurpose,
};
use crate::core::money::MoneyParseError;
use crate::core::validate::{FieldError, Problem, Validate, ValidationErrors};
use crate::core::workspace::Workspace;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A form's values by field name.
pub type Fields = BTreeMap<String, String>;

/// What every builder needs besides the fields.
#[derive(Clone, Debug)]
pub struct Context<'a> {
    pub customer_id: &'a str,
    /// The id for a new record.
    pub new_id: &'a str,
    pub now: Timestamp,
    pub today: Date,
    /// The signed-in user (rep of a visit, default assignee).
    pub me: &'a str,
}

fn get<'a>(f: &'a Fields, k: &str) -> &'a str {
    f.get(k).map(|s| s.trim()).unwrap_or("")
}

fn opt(f: &Fields, k: &str) -> Option<String> {
    let v = get(f, k);
    (!v.is_empty()).then(|| v.to_string())
}

fn set(f: &mut Fields, k: &str, v: impl Into<String>) {
    f.insert(k.to_string(), v.into());
}

struct Errors(Vec<FieldError>);

impl Errors {
    fn push(&mut self, field: &str, problem: Problem) {
        self.0.push(FieldError { field: field.into(), problem });
    }

    fn date(&mut self, f: &Fields, k: &str) -> Option<Date> {
        let v = get(f, k);
        if v.is_empty() {
            return None;
        }
        // `2026-12-05` through chrono's `FromStr` (no format string: its strftime code would be
        // in the wasm bundle).
        match v.parse::<Date>() {
            Ok(d) => Some(d),
            Err(_) => {
                self.push(k, Problem::InvalidDate);
                None
            }
        }
    }

    /// An optional whole number in `min..=max`.
    fn score(&mut self, f: &Fields, k: &str, min: u8, max: u8) -> Option<u8> {
        let v = get(f, k);
        if v.is_empty() {
            return None;
        }
        match v.parse::<u8>() {
            Ok(n) if (min..=max).contains(&n) => Some(n),
            _ => {
                self.push(k, Problem::OutOfRange { min: i64::from(min), max: i64::from(max) });
                None
            }
        }
    }

    /// An optional amount in major units of `currency`; unreadable: an error on the field.
    fn money(&mut self, f: &Fields, k: &str, currency: Currency) -> Option<Money> {
        match Money::parse_major(get(f, k), currency) {
            Ok(m) => Some(m),
            Err(MoneyParseError::Empty) => None,
            Err(_) => {
                self.push(k, Problem::InvalidNumber);
                None
            }
        }
    }

    fn finish<T: Validate>(mut self, record: T) -> Result<T, ValidationErrors> {
        if let Err(v) = record.validate() {
            for e in v.0 {
                if !self.0.contains(&e) {
                    self.0.push(e);
                }
            }
        }
        if self.0.is_empty() { Ok(record) } else { Err(ValidationErrors(self.0)) }
    }
}

fn list(v: &str) -> Vec<String> {
    v.split([',', '，', ';']).map(str::trim).filter(|t| !t.is_empty()).map(str::to_string).collect()
}

// ---- drafts ----

/// What a form keeps on the device while the user types: the fields and, for an edit, the
/// record's fields when the draft began (so a record changed meanwhile is not silently reverted
/// to the draft's copy of fields the user did not touch).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub fields: Fields,
    #[serde(default)]
    pub base: Option<Fields>,
    /// The draft's photos are kept apart (they can be megabytes): how many there are.
    #[serde(default)]
    pub photos: Option<usize>,
}

/// The storage key of a form's draft: per workspace (two backends can both have a customer
/// `42`), kind of record, customer and record (`new` for a new one). The parts are
/// JSON-quoted, so no two tuples share a key whatever their text.
pub fn draft_key(workspace: &str, kind: &str, customer: &str, record: &str) -> String {
    let parts = serde_json::to_string(&[workspace, kind, customer, record]).unwrap_or_default();
    format!("{DRAFT_PREFIX}{parts}")
}

/// Every draft's storage key starts with this (a device wipe counts them).
pub const DRAFT_PREFIX: &str = "kehu.draft.";

/// What a draft's storage key says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DraftKey {
    /// Today's key ([`draft_key`]).
    Current { workspace: String, kind: String, customer: String, record: String },
    /// The key of builds before drafts were kept per workspace ([`legacy_draft_key`]): a record
    /// form's draft, `kehu.draft.<kind>.<customer>.<record>`. Customer and record ids may hold
    /// dots, so `rest` is split only against the records there are.
    Legacy { kind: String, rest: String },
}

/// Reads a draft's storage key; `None` for a key that is not a draft's.
pub fn parse_draft_key(key: &str) -> Option<DraftKey> {
    let rest = key.strip_prefix(DRAFT_PREFIX)?;
    if rest.starts_with('[') {
        let [workspace, kind, customer, record] = serde_json::from_str::<[String; 4]>(rest).ok()?;
        return Some(DraftKey::Current { workspace, kind, customer, record });
    }
    let (kind, rest) = rest.split_once('.')?;
    (!kind.is_empty() && rest.contains('.')).then(|| DraftKey::Legacy { kind: kind.into(), rest: rest.into() })
}

/// Where builds before drafts were kept per workspace put a record form's draft (no workspace
/// in the key; the photos inside the draft).
pub fn legacy_draft_key(kind: &str, customer: &str, record: &str) -> String {
    format!("{DRAFT_PREFIX}{kind}.{customer}.{record}")
}

/// A draft of those builds: `{"fields": {…}, "photos": [{"name", "data_url"}, …]}`, as today's
/// [`Draft`] (without the record's fields it began on: those builds did not keep them) and its
/// photos, which today live apart.
pub fn read_legacy_draft(text: &str) -> Option<(Draft, Vec<Photo>)> {
    #[derive(Deserialize)]
    struct Legacy {
        fields: Fields,
        #[serde(default)]
        photos: Vec<Photo>,
    }
    let old: Legacy = serde_json::from_str(text).ok()?;
    let n = old.photos.len();
    Some((Draft { fields: old.fields, base: None, photos: (n > 0).then_some(n) }, old.photos))
}

/// What to do with a stored draft, seen from the open workspace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DraftFate {
    /// Its form can still be opened (or it belongs to a workspace not open now).
    Keep,
    /// Its form can never be opened again: forget it, and with `photos` its photos in the open
    /// workspace's files store (the photos of a workspace that is gone went with its database).
    Forget { photos: bool },
}

/// Where a draft is looked for.
#[derive(Clone, Copy, Debug)]
pub struct DraftScope<'a> {
    /// The open workspace's id.
    pub open: &'a str,
    /// The workspaces with a cache on this device; `None` when the browser cannot list them.
    pub on_device: Option<&'a [String]>,
    /// Whether every record of the open workspace could be read (a record that could not is
    /// not gone: its drafts are kept).
    pub complete: bool,
}

/// Whether a draft's form can still be opened: a customer form's (`new`, or a customer there
/// is), a record form's (its customer there, and `new` or that customer's record).
pub fn draft_target_exists(w: &Workspace, kind: &str, customer: &str, record: &str) -> bool {
    match Entity::parse(kind) {
        Some(Entity::Customers) => customer == "new" || w.customer(customer).is_some(),
        Some(k) => {
            w.customer(customer).is_some()
                && (record == "new" || w.get(k, record).is_some_and(|r| r.customer_id() == Some(customer)))
        }
        None => false,
    }
}

/// A stored draft's fate: a draft of the open workspace whose record is gone (deleted, or a
/// new record's temporary id replaced by the server's) is forgotten with its photos; one of a
/// workspace whose cache is gone from the device is forgotten; an older build's draft (no
/// workspace in its key) is kept while its record is in the open workspace (its form moves it
/// to today's key) or while another workspace on the device might have it.
pub fn draft_fate(key: &DraftKey, scope: DraftScope, exists: impl Fn(&str, &str, &str) -> bool) -> DraftFate {
    let elsewhere = |ws: &str| scope.on_device.is_none_or(|all| all.iter().any(|w| w == ws));
    match key {
        DraftKey::Current { workspace, kind, customer, record } if workspace == scope.open => {
            if !scope.complete || exists(kind, customer, record) {
                DraftFate::Keep
            } else {
                DraftFate::Forget { photos: true }
            }
        }
        DraftKey::Current { workspace, .. } => {
            if elsewhere(workspace) {
                DraftFate::Keep
            } else {
                DraftFate::Forget { photos: false }
            }
        }
        DraftKey::Legacy { kind, rest } => {
            let found = rest.match_indices('.').any(|(i, _)| exists(kind, &rest[..i], &rest[i + 1..]));
            let other_workspaces = scope.on_device.is_none_or(|all| all.iter().any(|w| w != scope.open));
            if found || !scope.complete || other_workspaces {
                DraftFate::Keep
            } else {
                DraftFate::Forget { photos: false }
            }
        }
    }
}

/// A draft begun on a record's `base` fields, moved onto its `current` ones: a field the user
/// changed keeps the user's text, any other takes its current value. Also the fields changed
/// both in the draft and meanwhile (to something else), with their current value: the user's
/// text is kept, the other value is to be shown.
pub fn rebase(draft: &Fields, base: &Fields, current: &Fields) -> (Fields, Vec<(String, String)>) {
    let mut out = Fields::new();
    let mut both = Vec::new();
    fn text(v: Option<&String>) -> &str {
        v.map_or("", String::as_str)
    }
    let keys: std::collections::BTreeSet<&String> = draft.keys().chain(base.keys()).chain(current.keys()).collect();
    for k in keys {
        let (d, b, c) = (draft.get(k), base.get(k), current.get(k));
        let pick = if text(d) == text(b) {
            c.or(d)
        } else {
            if text(c) != text(b) && text(c) != text(d) {
                both.push((k.clone(), text(c).to_string()));
            }
            d
        };
        if let Some(v) = pick {
            out.insert(k.clone(), v.clone());
        }
    }
    (out, both)
}

// ---- customer ----

pub fn customer_fields(c: Option<&Customer>) -> Fields {
    let mut f = Fields::new();
    let money = |m: Option<Money>, cur: Currency| m.map(|m| m.format_plain(cur).replace(',', "")).unwrap_or_default();
    set(&mut f, "role", c.map_or(SupplyChainRole::EndCustomer, |c| c.role).as_str());
    set(&mut f, "currency", c.map(|c| c.currency).unwrap_or_default().as_str());
    set(&mut f, "payment_terms_days", c.map_or(30, |c| c.payment_terms_days).to_string());
    if let Some(c) = c {
        for (k, v) in [
            ("name", &c.name),
            ("short_name", &c.short_name),
            ("industry", &c.industry),
            ("region", &c.region),
            ("country", &c.country),
            ("city", &c.city),
            ("address", &c.address),
        ] {
            set(&mut f, k, v.clone());
        }
        set(&mut f, "owner", c.owner.clone().unwrap_or_default());
        set(&mut f, "tags", c.tags.join(", "));
        set(&mut f, "team", c.team.join(", "));
        set(&mut f, "credit_limit", money(c.credit_limit, c.currency));
        set(&mut f, "potential_annual_spend", money(c.potential_annual_spend, c.currency));
    }
    f
}

/// The customer from its form (a new one with `cx.new_id`), or the field errors that stop it.
pub fn build_customer(f: &Fields, base: Option<Customer>, cx: &Context) -> Result<Customer, ValidationErrors> {
    let mut e = Errors(Vec::new());
    let currency = Currency::parse(get(f, "currency")).unwrap_or_default();
    let credit_limit = e.money(f, "credit_limit", currency);
    let potential = e.money(f, "potential_annual_spend", currency);
    let terms = match get(f, "payment_terms_days").parse::<u16>() {
        Ok(t) => t,
        Err(_) => {
            e.push("payment_terms_days", Problem::OutOfRange { min: 0, max: 365 });
            0
        }
    };
    let mut c = base.unwrap_or_else(|| Customer {
        role: SupplyChainRole::EndCustomer,
        payment_terms_days: 30,
        ..Customer::blank(cx.new_id, currency, cx.now)
    });
    c.name = get(f, "name").to_string();
    c.short_name = get(f, "short_name").to_string();
    c.role = SupplyChainRole::parse(get(f, "role")).unwrap_or(c.role);
    c.industry = get(f, "industry").to_string();
    c.region = get(f, "region").to_string();
    c.country = get(f, "country").to_ascii_uppercase();
    c.city = get(f, "city").to_string();
    c.address = get(f, "address").to_string();
    c.owner = opt(f, "owner");
    c.tags = list(get(f, "tags"));
    c.team = list(get(f, "team"));
    c.currency = currency;
    c.credit_limit = credit_limit;
    c.potential_annual_spend = potential;
    c.payment_terms_days = terms;
    c.updated_at = cx.now.max(c.created_at);
    e.finish(c)
}

// ---- contact ----

pub fn contact_fields(c: Option<&Contact>) -> Fields {
    let mut f = Fields::new();
    if let Some(c) = c {
        for (k, v) in [
            ("name", &c.name),
            ("title", &c.title),
            ("department", &c.department),
            ("phone", &c.phone),
            ("mobile", &c.mobile),
            ("email", &c.email),
            ("notes", &c.notes),
        ] {
            set(&mut f, k, v.clone());
        }
        set(&mut f, "primary", if c.primary { "1" } else { "" });
    }
    f
}

pub fn build_contact(f: &Fields, base: Option<Contact>, cx: &Context) -> Result<Contact, ValidationErrors> {
    let mut c = base.unwrap_or_else(|| Contact::blank(cx.new_id, cx.customer_id, cx.now));
    c.name = get(f, "name").to_string();
    c.title = get(f, "title").to_string();
    c.department = get(f, "department").to_string();
    c.phone = get(f, "phone").to_string();
    c.mobile = get(f, "mobile").to_string();
    c.email = get(f, "email").to_string();
    c.notes = get(f, "notes").to_string();
    c.primary = !get(f, "primary").is_empty();
    c.updated_at = cx.now.max(c.created_at);
    Errors(Vec::new()).finish(c)
}

// ---- service ticket ----

pub fn ticket_fields(t: Option<&ServiceTicket>) -> Fields {
    let mut f = Fields::new();
    let (kind, stage, severity, status) = match t {
        Some(t) => (t.kind, t.stage, t.severity, t.status),
        None => (TicketKind::Complaint, ServiceStage::AfterSales, Severity::Medium, TicketStatus::Open),
    };
    set(&mut f, "kind", kind.as_str());
    set(&mut f, "stage", stage.as_str());
    set(&mut f, "severity", severity.as_str());
    set(&mut f, "status", status.as_str());
    if let Some(t) = t {
        set(&mut f, "title", t.title.clone());
        set(&mut f, "description", t.description.clone());
        set(&mut f, "resolution", t.resolution.clone());
        set(&mut f, "order_id", t.order_id.clone().unwrap_or_default());
        set(&mut f, "product", t.product.clone().unwrap_or_default());
        set(&mut f, "assignee", t.assignee.clone().unwrap_or_default());
    }
    f
}

/// The ticket from its form. The SLA due time follows the severity (from the opening time);
/// moving to resolved or closed stamps the time, reopening clears it.
pub fn build_ticket(
    f: &Fields,
    base: Option<ServiceTicket>,
    photos: Vec<Photo>,
    cx: &Context,
) -> Result<ServiceTicket, ValidationErrors> {
    let e = Errors(Vec::new());
    let kind = TicketKind::parse(get(f, "kind")).unwrap_or(TicketKind::Complaint);
    let stage = ServiceStage::parse(get(f, "stage")).unwrap_or(ServiceStage::AfterSales);
    let severity = Severity::parse(get(f, "severity")).unwrap_or(Severity::Medium);
    let status = TicketStatus::parse(get(f, "status")).unwrap_or(TicketStatus::Open);
    let mut t = base.unwrap_or_else(|| ServiceTicket {
        id: cx.new_id.to_string(),
        customer_id: cx.customer_id.to_string(),
        kind,
        stage,
        severity,
        status: TicketStatus::Open,
        title: String::new(),
        description: String::new(),
        resolution: String::new(),
        order_id: None,
        product: None,
        assignee: (!cx.me.is_empty()).then(|| cx.me.to_string()),
        opened_at: cx.now,
        sla_due: cx.now + severity.default_sla(),
        resolved_at: None,
        closed_at: None,
        updated_at: cx.now,
        photos: Vec::new(),
    });
    if t.severity != severity {
        t.sla_due = t.opened_at + severity.default_sla();
    }
    t.kind = kind;
    t.stage = stage;
    t.severity = severity;
    t.title = get(f, "title").to_string();
    t.description = get(f, "description").to_string();
    t.resolution = get(f, "resolution").to_string();
    t.order_id = opt(f, "order_id");
    t.product = opt(f, "product");
    if f.contains_key("assignee") {
        t.assignee = opt(f, "assignee");
    }
    match status {
        TicketStatus::Open | TicketStatus::InProgress => {
            t.resolved_at = None;
            t.closed_at = None;
        }
        TicketStatus::Resolved => {
            t.resolved_at = t.resolved_at.or(Some(cx.now));
            t.closed_at = None;
        }
        TicketStatus::Closed => {
            t.resolved_at = t.resolved_at.or(Some(cx.now));
            t.closed_at = t.closed_at.or(Some(cx.now));
        }
    }
    t.status = status;
    t.photos = photos;
    t.updated_at = cx.now.max(t.opened_at);
    e.finish(t)
}

// ---- visit report ----

pub fn visit_fields(v: Option<&Visit>, today: Date, me: &str) -> Fields {
    let mut f = Fields::new();
    set(&mut f, "date", v.map_or(today, |v| v.date).to_string());
    set(&mut f, "rep", v.map_or(me, |v| v.rep.as_str()));
    set(&mut f, "purpose", v.map_or(VisitPurpose::Relationship, |v| v.purpose).as_str());
    if let Some(v) = v {
        set(&mut f, "contacts_met", v.contacts_met.join(","));
        set(&mut f, "notes", v.notes.clone());
        set(&mut f, "outcome", v.outcome.clone());
        set(&mut f, "next_step", v.next_step.clone());
        set(&mut f, "next_step_date", v.next_step_date.map(|d| d.to_string()).unwrap_or_default());
        set(&mut f, "location", v.location.map(location_text).unwrap_or_default());
    }
    f
}

/// `lat,lon[,accuracy]` as the form keeps it.
pub fn location_text(p: GeoPoint) -> String {
    match p.accuracy_m {
        Some(a) => format!("{:.6},{:.6},{:.0}", p.lat, p.lon, a),
        None => format!("{:.6},{:.6}", p.lat, p.lon),
    }
}

fn parse_location(v: &str) -> Option<GeoPoint> {
    let parts: Vec<f64> = v.split(',').map(|p| p.trim().parse::<f64>()).collect::<Result<_, _>>().ok()?;
    match parts.as_slice() {
        [lat, lon] => Some(GeoPoint { lat: *lat, lon: *lon, accuracy_m: None }),
        [lat, lon, a] => Some(GeoPoint { lat: *lat, lon: *lon, accuracy_m: Some(*a) }),
        _ => None,
    }
}

pub fn build_visit(f: &Fields, base: Option<Visit>, cx: &Context) -> Result<Visit, ValidationErrors> {
    let mut e = Errors(Vec::new());
    let date = e.date(f, "date");
    if date.is_none() && get(f, "date").is_empty() {
        e.push("date", Problem::Required);
    }
    let next_step_date = e.date(f, "next_step_date");
    let location = match get(f, "location") {
        "" => None,
        v => match parse_location(v) {
            Some(p) => Some(p),
            None => {
                e.push("location", Problem::InvalidCoordinates);
                None
            }
        },
    };
    let mut v = base.unwrap_or_else(|| {
        Visit::planned(cx.new_id.to_string(), cx.customer_id.to_string(), cx.today, cx.me.to_string(), cx.now)
    });
    v.date = date.unwrap_or(v.date);
    v.rep = get(f, "rep").to_string();
    v.contacts_met = list(get(f, "contacts_met"));
    v.purpose = VisitPurpose::parse(get(f, "purpose")).unwrap_or(v.purpose);
    v.notes = get(f, "notes").to_string();
    v.outcome = get(f, "outcome").to_string();
    v.next_step = get(f, "next_step").to_string();
    v.next_step_date = next_step_date;
    v.location = location;
    v.updated_at = cx.now;
    e.finish(v)
}

// ---- satisfaction survey ----

pub fn survey_fields(s: Option<&SurveyResponse>, today: Date) -> Fields {
    let mut f = Fields::new();
    set(&mut f, "date", s.map_or(today, |s| s.date).to_string());
    if let Some(s) = s {
        set(&mut f, "csat", s.csat.map(|x| x.to_string()).unwrap_or_default());
        set(&mut f, "nps", s.nps.map(|x| x.to_string()).unwrap_or_default());
        set(&mut f, "comment", s.comment.clone());
        set(&mut f, "contact_id", s.contact_id.clone().unwrap_or_default());
        set(&mut f, "ticket_id", s.ticket_id.clone().unwrap_or_default());
    }
    f
}

pub fn build_survey(
    f: &Fields,
    base: Option<SurveyResponse>,
    cx: &Context,
) -> Result<SurveyResponse, ValidationErrors> {
    let mut e = Errors(Vec::new());
    let date = e.date(f, "date");
    let csat = e.score(f, "csat", 1, 5);
    let nps = e.score(f, "nps", 0, 10);
    let mut s = base.unwrap_or_else(|| SurveyResponse {
        id: cx.new_id.to_string(),
        customer_id: cx.customer_id.to_string(),
        contact_id: None,
        date: cx.today,
        csat: None,
        nps: None,
        comment: String::new(),
        ticket_id: None,
    });
    s.date = date.unwrap_or(s.date);
    s.csat = csat;
    s.nps = nps;
    s.comment = get(f, "comment").to_string();
    s.contact_id = opt(f, "contact_id");
    s.ticket_id = opt(f, "ticket_id");
    // A score that did not parse is already reported on its field: no "no score" on top.
    if e.0.iter().any(|x| x.field == "csat" || x.field == "nps") {
        return Err(ValidationErrors(e.0));
    }
    e.finish(s)
}

// ---- opportunity ----

/// The products of a deal as the form keeps them: `name × quantity` per line (`x`, `X`, `*`
/// and `×` all separate the quantity; a line without one has quantity 1).
pub fn lines_text(lines: &[OppLine]) -> String {
    lines.iter().map(|l| format!("{} × {}", l.product, l.quantity)).collect::<Vec<_>>().join("\n")
}

/// Reads [`lines_text`]'s form back; a quantity that is not a whole number is an error on `lines`.
fn parse_lines(text: &str, base: &[OppLine], e: &mut Errors) -> Vec<OppLine> {
    let mut out = Vec::new();
    for raw in text.split(['\n', ';', '；']).map(str::trim).filter(|l| !l.is_empty()) {
        let split =
            raw.rfind(['×', 'x', 'X', '*']).map(|i| (raw[..i].trim(), raw[i..].chars().skip(1).collect::<String>()));
        let (product, quantity) = match split {
            Some((p, q)) if !p.is_empty() && !q.trim().is_empty() && q.trim().chars().all(|c| c.is_ascii_digit()) => {
                match q.trim().parse::<u32>() {
                    Ok(n) => (p.to_string(), n),
                    Err(_) => {
                        e.push("lines", Problem::InvalidNumber);
                        continue;
                    }
                }
            }
            _ => (raw.to_string(), 1),
        };
        // A product the deal had keeps its category.
        let category = base.iter().find(|l| l.product == product).map(|l| l.category.clone()).unwrap_or_default();
        out.push(OppLine { product, category, quantity });
    }
    out
}

fn money_text(m: Money, c: Currency) -> String {
    m.format_plain(c).replace(',', "")
}

/// An opportunity's form. A new one starts in the first stage, with its probability, the
/// customer's currency and `me` as the owner.
pub fn opportunity_fields(o: Option<&Opportunity>, stages: &Stages, currency: Currency, me: &str) -> Fields {
    let mut f = Fields::new();
    let first = stages.open().next();
    set(&mut f, "stage", o.map_or_else(|| first.map(|s| s.id.clone()).unwrap_or_default(), |o| o.stage.clone()));
    let p = o.map_or_else(|| first.map_or(0, |s| s.probability), |o| o.probability);
    set(&mut f, "probability", p.to_string());
    set(&mut f, "currency", o.map_or(currency, |o| o.currency).as_str());
    set(&mut f, "owner", o.map_or(me, |o| o.owner.as_str()));
    if let Some(o) = o {
        set(&mut f, "title", o.title.clone());
        set(&mut f, "amount", money_text(o.amount, o.currency));
        set(&mut f, "expected_close", o.expected_close.map(|d| d.to_string()).unwrap_or_default());
        set(&mut f, "team", o.team.join(", "));
        set(&mut f, "lines", lines_text(&o.lines));
        set(&mut f, "estimated_cost", o.estimated_cost.map(|m| money_text(m, o.currency)).unwrap_or_default());
        set(&mut f, "competitors", o.competitors.join(", "));
        set(&mut f, "source", o.source.map(|s| s.as_str()).unwrap_or_default());
        set(&mut f, "source_id", o.source_id.clone().unwrap_or_default());
        set(&mut f, "next_step", o.next_step.clone());
        set(&mut f, "next_step_date", o.next_step_date.map(|d| d.to_string()).unwrap_or_default());
        set(&mut f, "lost_reason", o.lost_reason.map(|s| s.as_str()).unwrap_or_default());
        set(&mut f, "lost_note", o.lost_note.clone());
    }
    f
}

/// A new opportunity's form prefilled from the visit report it came from: its outcome as the
/// title, its next step, the visit as the source.
pub fn opportunity_from_visit(f: &mut Fields, v: &Visit) {
    set(f, "source", OppSource::Visit.as_str());
    set(f, "source_id", v.id.clone());
    let title = if v.outcome.trim().is_empty() { v.notes.lines().next().unwrap_or("") } else { v.outcome.as_str() };
    set(f, "title", title.trim().chars().take(200).collect::<String>());
    set(f, "next_step", v.next_step.clone());
    set(f, "next_step_date", v.next_step_date.map(|d| d.to_string()).unwrap_or_default());
}

/// A new opportunity's form prefilled from an inquiry ticket: its title and product, the ticket
/// as the source.
pub fn opportunity_from_ticket(f: &mut Fields, t: &ServiceTicket) {
    set(f, "source", OppSource::Inquiry.as_str());
    set(f, "source_id", t.id.clone());
    set(f, "title", t.title.clone());
    if let Some(p) = t.product.as_deref().filter(|p| !p.trim().is_empty()) {
        set(f, "lines", format!("{p} × 1"));
    }
}

/// The opportunity from its form. A stage other than the record's is a move (in the history,
/// by `cx.me`); the probability is the one typed (the form shows a chosen stage's default, which
/// the user may change), the stage's default when the field is empty. A lost deal needs its
/// reason when `ask_reason` (the form asks unless the backend cannot store one: a deal marked
/// lost there must still be savable; the model does not require it, so a backend's lost deals
/// without one stay editable). `documents`: the form's attached files (`None`: the deal's kept).
pub fn build_opportunity(
    f: &Fields,
    base: Option<Opportunity>,
    stages: &Stages,
    cx: &Context,
    ask_reason: bool,
    documents: Option<Vec<Attachment>>,
) -> Result<Opportunity, ValidationErrors> {
    let mut e = Errors(Vec::new());
    let currency = match Currency::parse(get(f, "currency")) {
        Some(c) => c,
        None => {
            e.push("currency", Problem::Required);
            base.as_ref().map(|b| b.currency).unwrap_or_default()
        }
    };
    let amount = e.money(f, "amount", currency);
    let cost = e.money(f, "estimated_cost", currency);
    let typed_probability = match get(f, "probability") {
        "" => None,
        v => match v.trim_end_matches('%').trim().parse::<i64>() {
            Ok(n) if (0..=100).contains(&n) => u8::try_from(n).ok(),
            Ok(_) => {
                e.push("probability", Problem::OutOfRange { min: 0, max: 100 });
                None
            }
            Err(_) => {
                e.push("probability", Problem::InvalidNumber);
                None
            }
        },
    };
    let expected_close = e.date(f, "expected_close");
    let next_step_date = e.date(f, "next_step_date");
    let stage = get(f, "stage").to_string();
    let is_new = base.is_none();
    let mut o = base.unwrap_or_else(|| {
        Opportunity::blank(cx.new_id.to_string(), cx.customer_id.to_string(), stages, cx.me.to_string(), cx.now)
    });
    if is_new {
        // Created in the chosen stage: one entry in the history.
        if !stage.is_empty() && stage != o.stage {
            o.move_to(&stage, stages, cx.me, cx.now);
            o.history.retain(|c| c.stage == stage);
        }
    } else if !stage.is_empty() {
        o.move_to(&stage, stages, cx.me, cx.now);
    }
    // What the form shows is saved (the form puts a chosen stage's default probability in it).
    if let Some(p) = typed_probability {
        o.probability = p;
    }
    // A won deal is certain, a lost one gone, whatever the field said.
    if o.is_won() {
        o.probability = 100;
    } else if o.is_lost() {
        o.probability = 0;
    }
    if stage.is_empty() {
        e.push("stage", Problem::Required);
    }
    o.title = get(f, "title").to_string();
    o.amount = amount.unwrap_or(Money::ZERO);
    o.currency = currency;
    o.expected_close = expected_close;
    o.owner = get(f, "owner").to_string();
    o.team = list(get(f, "team"));
    o.lines = parse_lines(get(f, "lines"), &o.lines, &mut e);
    o.estimated_cost = cost;
    o.competitors = list(get(f, "competitors"));
    o.source = OppSource::parse(get(f, "source"));
    o.source_id = opt(f, "source_id");
    o.next_step = get(f, "next_step").to_string();
    o.next_step_date = next_step_date;
    o.lost_reason = if o.is_lost() { LostReason::parse(get(f, "lost_reason")) } else { None };
    if ask_reason && o.is_lost() && o.lost_reason.is_none() {
        e.push("lost_reason", Problem::Required);
    }
    o.lost_note = if o.is_lost() { get(f, "lost_note").to_string() } else { String::new() };
    o.updated_at = cx.now.max(o.created_at);
    // The form's documents (a form without them keeps the deal's).
    if let Some(d) = documents {
        o.attachments = d;
    }
    e.finish(o)
}

// ---- task / follow-up ----

/// A task's form text: the task being edited, or the prefilled follow-up a new one starts from.
pub fn task_fields(t: &Task) -> Fields {
    let mut f = Fields::new();
    set(&mut f, "title", t.title.clone());
    set(&mut f, "owner", t.owner.clone());
    set(&mut f, "due_date", t.due_date.map(|d| d.to_string()).unwrap_or_default());
    set(&mut f, "due_time", t.due_time.clone());
    set(&mut f, "priority", t.priority.as_str());
    set(&mut f, "status", t.status.as_str());
    set(&mut f, "note", t.note.clone());
    set(&mut f, "related", t.related.map(|r| r.as_str()).unwrap_or_default());
    set(&mut f, "related_id", t.related_id.clone().unwrap_or_default());
    set(&mut f, "amount", t.amount.map(|a| a.format_plain(t.currency).replace(',', "")).unwrap_or_default());
    set(&mut f, "currency", t.currency.as_str());
    set(&mut f, "promised_on", t.promised_on.map(|d| d.to_string()).unwrap_or_default());
    f
}

/// The task from its form: `base` is the task edited (or the prefilled follow-up of a new one).
/// A status moved to done or cancelled is dated now; moved back to open, undated.
pub fn build_task(f: &Fields, base: Option<Task>, cx: &Context) -> Result<Task, ValidationErrors> {
    let mut e = Errors(Vec::new());
    let due_date = e.date(f, "due_date");
    let promised_on = e.date(f, "promised_on");
    let mut t = base
        .unwrap_or_else(|| Task::blank(cx.new_id.to_string(), cx.customer_id.to_string(), cx.me.to_string(), cx.now));
    let currency = Currency::parse(get(f, "currency")).unwrap_or(t.currency);
    t.amount = e.money(f, "amount", currency);
    t.currency = currency;
    t.title = get(f, "title").to_string();
    t.owner = get(f, "owner").to_string();
    t.due_date = due_date;
    t.due_time = get(f, "due_time").to_string();
    t.priority = TaskPriority::parse(get(f, "priority")).unwrap_or(t.priority);
    if let Some(s) = TaskStatus::parse(get(f, "status")) {
        t.set_status(s, cx.now);
    }
    t.note = get(f, "note").to_string();
    t.related = TaskRelated::parse(get(f, "related"));
    t.related_id = opt(f, "related_id");
    t.promised_on = promised_on;
    t.updated_at = cx.now.max(t.created_at);
    e.finish(t)
}
