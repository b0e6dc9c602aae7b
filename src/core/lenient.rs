//! Reading a backend's records field by field: a value that can be read unambiguously is read, one
//! that cannot is left empty (or given a default) and noted as a [`DataProblem`], and the record
//! is kept. Only a value that is not an object, has no id, or is a child record naming no
//! customer is skipped. Also the table of the problems stored with records ([`Problems`]).
//!
//! Hand-written over `serde_json::Value` rather than serde attributes on the model (e.g.
//! `serde_with`'s `DefaultOnError`): those drop a bad value silently, while this must say which
//! field, what value and why, read numeric strings, and give required fields a default; and it
//! keeps the model structs (and the cache's hot start-up path) untouched.

use crate::core::model::Entity;
use crate::core::model::{
    LostReason, OppSource, OrderStatus, ServiceStage, Severity, SupplyChainRole, TaskPriority, TaskRelated, TaskStatus,
    TicketKind, TicketStatus, Timestamp, VisitPurpose,
};
use crate::core::record::{BadRecord, Record, Unreadable, id_field};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Characters of a received value kept with its problem; a longer one ends in "…".
pub const VALUE_CHARS: usize = 40;

/// One field of a backend record that could not be read as it was.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataProblem {
    /// The Kehu field: `credit_limit`, `lines[2].quantity`, `payments[0].date`, `custom.grade`.
    #[serde(rename = "f")]
    pub field: String,
    /// What the backend sent, as JSON text shortened to [`VALUE_CHARS`]; empty when it sent none.
    #[serde(rename = "v", default, skip_serializing_if = "String::is_empty")]
    pub value: String,
    #[serde(rename = "i")]
    pub issue: Issue,
    #[serde(rename = "o")]
    pub outcome: Outcome,
}

/// What is wrong with a received value. The set is closed: each has a message in every language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Issue {
    /// A field every record has was missing or null.
    Missing,
    /// A list or a structure where text belongs.
    NotText,
    NotANumber,
    /// A number with decimals where a whole number belongs.
    NotWholeNumber,
    /// Not an amount of money (in the unit the mapping says: minor units unless `money_major`).
    NotAnAmount,
    OutOfRange,
    NotADate,
    NotATime,
    /// Not a period such as 2026, 2026-Q3 or 2026-07.
    NotAPeriod,
    /// Not one of the values Kehu knows for the field (and the mapping names no fallback).
    UnknownValue,
    /// Not yes or no.
    NotYesNo,
    NotAList,
    /// Not a structure (an order line, a payment, a location, custom fields).
    NotAnObject,
    /// Control characters (such as NUL), which break storage and display.
    ControlCharacters,
}

impl Issue {
    pub const ALL: [Issue; 14] = [
        Issue::Missing,
        Issue::NotText,
        Issue::NotANumber,
        Issue::NotWholeNumber,
        Issue::NotAnAmount,
        Issue::OutOfRange,
        Issue::NotADate,
        Issue::NotATime,
        Issue::NotAPeriod,
        Issue::UnknownValue,
        Issue::NotYesNo,
        Issue::NotAList,
        Issue::NotAnObject,
        Issue::ControlCharacters,
    ];
}

/// What Kehu shows instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The field is left empty.
    Empty,
    /// A default is shown (the model needs a value: "other" for a role, 0 for an amount).
    Default,
    /// The time this device first saw the record.
    FirstSeen,
    /// The offending characters were removed; the rest of the text is kept.
    Cleaned,
    /// The list item was left out; the rest of the list is kept.
    LeftOut,
}

impl Outcome {
    pub const ALL: [Outcome; 5] =
        [Outcome::Empty, Outcome::Default, Outcome::FirstSeen, Outcome::Cleaned, Outcome::LeftOut];
}

/// What reading one backend record found besides the record itself.
#[derive(Clone, Debug, PartialEq)]
pub struct ReadNote {
    pub entity: Entity,
    pub id: String,
    /// The customer the record belongs to (`None` for customers and plans).
    pub customer: Option<String>,
    pub problems: Vec<DataProblem>,
    /// Fields (paths, as in [`DataProblem::field`]) whose value comes from the time this device
    /// first saw the record, because the backend gave none that could be read: a copy already
    /// cached keeps its own values there ([`keep_first_seen`]), so the record does not look
    /// changed on every pull.
    pub first_seen: Vec<String>,
}

impl ReadNote {
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty() && self.first_seen.is_empty()
    }

    /// What is stored with the record.
    pub fn stored(&self) -> RecordProblems {
        RecordProblems { customer: self.customer.clone(), problems: self.problems.clone() }
    }
}

/// A record's stored problems, with its customer (so a customer's page finds its child records').
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordProblems {
    #[serde(rename = "c", default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
    #[serde(rename = "p")]
    pub problems: Vec<DataProblem>,
}

/// Every record of a workspace that has data problems (records read clean are not in it).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Problems {
    by_record: BTreeMap<(Entity, String), RecordProblems>,
    /// Customer id → the records (its own and its child records) with problems.
    by_customer: BTreeMap<String, Vec<(Entity, String)>>,
}

impl Problems {
    pub fn insert(&mut self, entity: Entity, id: String, p: RecordProblems) {
        if p.problems.is_empty() {
            return;
        }
        let owner = if entity == Entity::Customers { Some(id.clone()) } else { p.customer.clone() };
        if let Some(c) = owner {
            let list = self.by_customer.entry(c).or_default();
            if !list.iter().any(|(e, i)| *e == entity && *i == id) {
                list.push((entity, id.clone()));
            }
        }
        self.by_record.insert((entity, id), p);
    }

    /// Records with problems.
    pub fn len(&self) -> usize {
        self.by_record.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_record.is_empty()
    }

    pub fn of(&self, entity: Entity, id: &str) -> Option<&RecordProblems> {
        self.by_record.get(&(entity, id.to_string()))
    }

    /// Every record with problems, by entity and id.
    pub fn iter(&self) -> impl Iterator<Item = (Entity, &str, &RecordProblems)> {
        self.by_record.iter().map(|((e, id), p)| (*e, id.as_str(), p))
    }

    /// A customer's own problems first, then its child records', in entity order.
    pub fn for_customer(&self, customer: &str) -> Vec<(Entity, &str, &[DataProblem])> {
        let mut out: Vec<(Entity, &str, &[DataProblem])> = self
            .by_customer
            .get(customer)
            .into_iter()
            .flatten()
            .filter_map(|(e, id)| self.by_record.get_key_value(&(*e, id.clone())))
            .map(|((e, id), p)| (*e, id.as_str(), p.problems.as_slice()))
            .collect();
        out.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        out
    }
}

/// `text` cut to `max` characters, with "…" when it was longer.
pub fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// A received value as it is shown with its problem: its JSON text (strings quoted, control
/// characters escaped), shortened.
pub fn value_text(v: &Value) -> String {
    let text = match v {
        Value::String(s) if s.chars().count() > VALUE_CHARS * 2 => {
            // Do not serialise a 100 KB text to show 40 characters of it.
            serde_json::to_string(&shorten(s, VALUE_CHARS * 2)).unwrap_or_default()
        }
        _ => serde_json::to_string(v).unwrap_or_default(),
    };
    shorten(&text, VALUE_CHARS)
}

/// Characters removed from received text: C0 controls but tab, line feed and carriage return,
/// DEL and C1 controls. NUL and U+0001 (the cache's separator) break storage; the others break
/// display or mean nothing in a CRM's text.
pub fn is_unwanted(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// One entry of a record's schema: a model field and how to read it.
type Field = (&'static str, Kind);

#[derive(Clone, Copy)]
enum Kind {
    /// Text; `true` when every record has it (missing: empty, with a problem).
    Text(bool),
    OptText,
    Texts,
    Bool,
    /// Money in minor units; `true` when every record has it (missing or unreadable: 0).
    Money(bool),
    OptMoney,
    /// A whole number within a range; `required` as for `Text`.
    Int {
        min: i64,
        max: i64,
        required: bool,
    },
    OptInt {
        min: i64,
        max: i64,
    },
    /// A keyed enumeration: its parser and the default for a missing or unknown value.
    Enum(fn(&str) -> Option<&'static str>, &'static str),
    /// A keyed enumeration a record may leave unset (unknown: unset, with a problem).
    OptEnum(fn(&str) -> Option<&'static str>),
    Currency,
    /// A date-time every record has: when it cannot be read, [`fill_defaults`] gives one.
    Time,
    OptTime,
    /// A date every record has (filled as `Time`).
    Date,
    OptDate,
    Period,
    /// A list of structures.
    List(&'static [Field]),
    Geo,
    /// Custom fields: an object of any JSON values.
    Custom,
}

fn role(s: &str) -> Option<&'static str> {
    SupplyChainRole::parse(s).map(SupplyChainRole::as_str)
}
fn order_status(s: &str) -> Option<&'static str> {
    OrderStatus::parse(s).map(OrderStatus::as_str)
}
fn ticket_kind(s: &str) -> Option<&'static str> {
    TicketKind::parse(s).map(TicketKind::as_str)
}
fn stage(s: &str) -> Option<&'static str> {
    ServiceStage::parse(s).map(ServiceStage::as_str)
}
fn severity(s: &str) -> Option<&'static str> {
    Severity::parse(s).map(Severity::as_str)
}
fn ticket_status(s: &str) -> Option<&'static str> {
    TicketStatus::parse(s).map(TicketStatus::as_str)
}
fn purpose(s: &str) -> Option<&'static str> {
    VisitPurpose::parse(s).map(VisitPurpose::as_str)
}
fn opp_source(s: &str) -> Option<&'static str> {
    OppSource::parse(s).map(OppSource::as_str)
}
fn lost_reason(s: &str) -> Option<&'static str> {
    LostReason::parse(s).map(LostReason::as_str)
}
fn task_status(s: &str) -> Option<&'static str> {
    TaskStatus::parse(s).map(TaskStatus::as_str)
}
fn task_priority(s: &str) -> Option<&'static str> {
    TaskPriority::parse(s).map(TaskPriority::as_str)
}
fn task_related(s: &str) -> Option<&'static str> {
    TaskRelated::parse(s).map(TaskRelated::as_str)
}

use Kind::*;

const CUSTOMER: &[Field] = &[
    ("name", Text(true)),
    ("short_name", Text(false)),
    ("role", Enum(role, "other")),
    ("industry", Text(false)),
    ("region", Text(false)),
    ("country", Text(false)),
    ("city", Text(false)),
    ("address", Text(false)),
    ("owner", OptText),
    ("team", Texts),
    ("tags", Texts),
    ("credit_limit", OptMoney),
    ("currency", Currency),
    ("payment_terms_days", Int { min: 0, max: u16::MAX as i64, required: false }),
    ("potential_annual_spend", OptMoney),
    ("parent_id", OptText),
    ("distributor_of", Texts),
    ("created_at", Time),
    ("updated_at", Time),
    ("custom", Custom),
];

const CONTACT: &[Field] = &[
    ("name", Text(true)),
    ("title", Text(false)),
    ("department", Text(false)),
    ("phone", Text(false)),
    ("mobile", Text(false)),
    ("email", Text(false)),
    ("primary", Bool),
    ("notes", Text(false)),
    ("created_at", Time),
    ("updated_at", Time),
];

const LINE: &[Field] = &[
    ("product", Text(true)),
    ("category", Text(false)),
    ("quantity", Int { min: 0, max: u32::MAX as i64, required: true }),
    ("unit_price", Money(true)),
];

const ORDER: &[Field] = &[
    ("date", Date),
    ("amount", Money(true)),
    ("margin", OptMoney),
    ("currency", Currency),
    ("status", Enum(order_status, "open")),
    ("lines", List(LINE)),
    ("updated_at", Time),
];

const PAYMENT: &[Field] = &[("date", Date), ("amount", Money(true))];

const INVOICE: &[Field] = &[
    ("order_id", OptText),
    ("issue_date", Date),
    ("due_date", Date),
    ("amount", Money(true)),
    ("currency", Currency),
    ("payments", List(PAYMENT)),
];

/// An attachment's fields (a ticket's `photos`, a deal's `attachments`).
const PHOTO: &[Field] = &[("name", Text(false)), ("data_url", Text(true))];

const TICKET: &[Field] = &[
    ("kind", Enum(ticket_kind, "inquiry")),
    ("stage", Enum(stage, "after_sales")),
    ("severity", Enum(severity, "medium")),
    ("status", Enum(ticket_status, "open")),
    ("title", Text(true)),
    ("description", Text(false)),
    ("resolution", Text(false)),
    ("order_id", OptText),
    ("product", OptText),
    ("assignee", OptText),
    ("opened_at", Time),
    ("sla_due", Time),
    ("resolved_at", OptTime),
    ("closed_at", OptTime),
    ("updated_at", Time),
    ("photos", List(PHOTO)),
];

const VISIT: &[Field] = &[
    ("date", Date),
    ("rep", Text(false)),
    ("contacts_met", Texts),
    ("purpose", Enum(purpose, "other")),
    ("notes", Text(false)),
    ("outcome", Text(false)),
    ("next_step", Text(false)),
    ("next_step_date", OptDate),
    ("location", Geo),
    ("updated_at", Time),
];

const SURVEY: &[Field] = &[
    ("contact_id", OptText),
    ("date", Date),
    ("csat", OptInt { min: 1, max: 5 }),
    ("nps", OptInt { min: 0, max: 10 }),
    ("comment", Text(false)),
    ("ticket_id", OptText),
];

const PLAN: &[Field] = &[("region", Text(true)), ("period", Period), ("target", Money(true)), ("currency", Currency)];

const OPP_LINE: &[Field] = &[
    ("product", Text(true)),
    ("category", Text(false)),
    ("quantity", Int { min: 0, max: u32::MAX as i64, required: false }),
];

const STAGE_CHANGE: &[Field] = &[("stage", Text(true)), ("at", Time), ("by", Text(false))];

const OPPORTUNITY: &[Field] = &[
    ("title", Text(true)),
    ("stage", Text(true)),
    ("amount", Money(false)),
    ("currency", Currency),
    ("probability", Int { min: 0, max: 100, required: false }),
    ("expected_close", OptDate),
    ("owner", Text(false)),
    ("team", Texts),
    ("contacts", Texts),
    ("lines", List(OPP_LINE)),
    ("estimated_cost", OptMoney),
    ("competitors", Texts),
    ("source", OptEnum(opp_source)),
    ("source_id", OptText),
    ("next_step", Text(false)),
    ("next_step_date", OptDate),
    ("closed_on", OptDate),
    ("lost_reason", OptEnum(lost_reason)),
    ("lost_note", Text(false)),
    ("history", List(STAGE_CHANGE)),
    ("attachments", List(PHOTO)),
    ("created_at", Time),
    ("updated_at", Time),
];

const TASK: &[Field] = &[
    ("title", Text(true)),
    ("related", OptEnum(task_related)),
    ("related_id", OptText),
    ("owner", Text(false)),
    ("due_date", OptDate),
    ("due_time", Text(false)),
    ("priority", Enum(task_priority, "normal")),
    ("status", Enum(task_status, "open")),
    ("note", Text(false)),
    ("amount", OptMoney),
    ("currency", Currency),
    ("promised_on", OptDate),
    ("done_at", OptTime),
    ("created_at", Time),
    ("updated_at", Time),
];

fn schema(entity: Entity) -> &'static [Field] {
    match entity {
        Entity::Customers => CUSTOMER,
        Entity::Contacts => CONTACT,
        Entity::Orders => ORDER,
        Entity::Invoices => INVOICE,
        Entity::Tickets => TICKET,
        Entity::Visits => VISIT,
        Entity::Surveys => SURVEY,
        Entity::Plans => PLAN,
        Entity::Opportunities => OPPORTUNITY,
        Entity::Tasks => TASK,
    }
}

/// The model fields the reader knows for an entity, identity fields included (for tests that
/// check the schema against the model).
pub fn known_fields(entity: Entity) -> Vec<&'static str> {
    let mut out = vec![id_field(entity)];
    if !matches!(entity, Entity::Customers | Entity::Plans) {
        out.push("customer_id");
    }
    out.extend(schema(entity).iter().map(|(name, _)| *name));
    out
}

/// The fields of a nested list's items (`lines`, `payments`, `photos`), for the same tests.
pub fn known_item_fields(list: &str) -> Vec<&'static str> {
    let fields = match list {
        "lines" => LINE,
        "payments" => PAYMENT,
        "photos" | "attachments" => PHOTO,
        "history" => STAGE_CHANGE,
        _ => &[],
    };
    fields.iter().map(|(name, _)| *name).collect()
}

/// Reads a Kehu-shaped JSON object (the backend record after the profile's mapping) as a record
/// of `entity`, field by field. `noted`: problems the mapping already found (their fields are
/// absent from `value`). `now` stands in for times the backend did not give (see [`ReadNote`]).
pub fn read(
    entity: Entity,
    value: &Value,
    noted: Vec<DataProblem>,
    now: Timestamp,
) -> Result<(Record, ReadNote), BadRecord> {
    let id = value.get(id_field(entity)).and_then(identity);
    let bad = |why: Unreadable, reason: &str| BadRecord { entity, id: id.clone(), why, reason: reason.to_string() };
    let Some(src) = value.as_object() else { return Err(bad(Unreadable::NotAnObject, "not a JSON object")) };
    let Some(record_id) = id.clone() else { return Err(bad(Unreadable::NoId, "no usable id")) };
    let mut out = Map::new();
    out.insert(id_field(entity).into(), Value::String(record_id.clone()));
    let customer = if matches!(entity, Entity::Customers | Entity::Plans) {
        None
    } else {
        let Some(c) = src.get("customer_id").and_then(identity) else {
            return Err(bad(Unreadable::NoCustomer, "customer_id: missing"));
        };
        out.insert("customer_id".into(), Value::String(c.clone()));
        Some(c)
    };
    let mut r = Reader { problems: noted, pending: Vec::new() };
    r.fields(schema(entity), src, "", &mut out);
    let mut first_seen = Vec::new();
    fill_defaults(entity, &mut out, &mut r, now, &mut first_seen);
    let record = Record::from_json(entity, Value::Object(out)).map_err(|b| bad(Unreadable::Malformed, &b.reason))?;
    let note = ReadNote { entity, id: record_id, customer, problems: r.problems, first_seen };
    Ok((record, note))
}

/// An id as text: a non-empty string or a number, without control characters.
fn identity(v: &Value) -> Option<String> {
    let text = match v {
        Value::String(s) if !s.trim().is_empty() => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    (!text.is_empty() && !text.chars().any(is_unwanted)).then_some(text)
}

/// Reading state: problems so far and required dates and times still to fill in.
struct Reader {
    problems: Vec<DataProblem>,
    /// (field path, the issue when a value was sent but not readable, that value's text).
    pending: Vec<(String, Option<Issue>, String)>,
}

impl Reader {
    /// Notes a problem. A field the mapping already noted keeps its issue and value; only what
    /// is shown instead is updated.
    fn note(&mut self, field: &str, value: Option<&Value>, issue: Issue, outcome: Outcome) {
        if let Some(p) = self.problems.iter_mut().find(|p| p.field == field) {
            p.outcome = outcome;
            return;
        }
        let value = value.map(value_text).unwrap_or_default();
        self.problems.push(DataProblem { field: field.to_string(), value, issue, outcome });
    }

    /// A required field with nothing readable: a default is shown. Missing is only a problem
    /// when the mapping did not already say what was wrong.
    fn defaulted(&mut self, field: &str, v: Option<&Value>, issue: Option<Issue>) {
        self.note(field, v, issue.unwrap_or(Issue::Missing), Outcome::Default);
    }

    fn text(&mut self, field: &str, s: &str, original: &Value) -> String {
        if !s.chars().any(is_unwanted) {
            return s.to_string();
        }
        self.note(field, Some(original), Issue::ControlCharacters, Outcome::Cleaned);
        s.chars().filter(|&c| !is_unwanted(c)).collect()
    }

    fn fields(&mut self, fields: &[Field], src: &Map<String, Value>, prefix: &str, out: &mut Map<String, Value>) {
        for &(name, kind) in fields {
            let path = if prefix.is_empty() { name.to_string() } else { format!("{prefix}.{name}") };
            let v = src.get(name).filter(|v| !v.is_null());
            if let Some(value) = self.field(kind, &path, v) {
                out.insert(name.to_string(), value);
            }
        }
    }

    /// One field's value as the model reads it; `None`: left out (filled in later, or absent).
    fn field(&mut self, kind: Kind, path: &str, v: Option<&Value>) -> Option<Value> {
        // Blank text counts as nothing sent for everything but text.
        let blank = v.is_none_or(|v| v.as_str().is_some_and(|s| s.trim().is_empty()));
        Some(match kind {
            Text(required) => match v {
                None => {
                    if required {
                        self.defaulted(path, None, None);
                    }
                    Value::String(String::new())
                }
                Some(x) => match scalar_text(x) {
                    Some(s) => Value::String(self.text(path, &s, x)),
                    None => {
                        self.note(path, v, Issue::NotText, Outcome::Empty);
                        Value::String(String::new())
                    }
                },
            },
            OptText => match v {
                None => Value::Null,
                Some(x) => match scalar_text(x) {
                    Some(s) => Value::String(self.text(path, &s, x)),
                    None => {
                        self.note(path, v, Issue::NotText, Outcome::Empty);
                        Value::Null
                    }
                },
            },
            Texts => match v {
                None => Value::Array(vec![]),
                Some(Value::Array(items)) => {
                    let mut list = Vec::with_capacity(items.len());
                    for (i, item) in items.iter().enumerate() {
                        let at = format!("{path}[{i}]");
                        match scalar_text(item) {
                            Some(s) => list.push(Value::String(self.text(&at, &s, item))),
                            None => self.note(&at, Some(item), Issue::NotText, Outcome::LeftOut),
                        }
                    }
                    Value::Array(list)
                }
                Some(_) => {
                    self.note(path, v, Issue::NotAList, Outcome::Empty);
                    Value::Array(vec![])
                }
            },
            Bool => match v.map(yes_no) {
                None => Value::Bool(false),
                Some(Some(b)) => Value::Bool(b),
                Some(None) => {
                    self.note(path, v, Issue::NotYesNo, Outcome::Empty);
                    Value::Bool(false)
                }
            },
            Money(required) => {
                let read = if blank { None } else { v.map(|x| whole(x, Issue::NotAnAmount, Issue::NotAnAmount)) };
                match read {
                    Some(Ok(n)) => Value::from(n),
                    Some(Err(issue)) if required => {
                        self.defaulted(path, v, Some(issue));
                        Value::from(0)
                    }
                    Some(Err(issue)) => {
                        self.note(path, v, issue, Outcome::Empty);
                        Value::Null
                    }
                    None if required => {
                        self.defaulted(path, v, None);
                        Value::from(0)
                    }
                    None => Value::Null,
                }
            }
            OptMoney => return self.field(Money(false), path, v),
            Int { min, max, required } => {
                let read = if blank { None } else { v.map(|x| whole(x, Issue::NotANumber, Issue::NotWholeNumber)) };
                let read =
                    read.map(|r| r.and_then(|n| if (min..=max).contains(&n) { Ok(n) } else { Err(Issue::OutOfRange) }));
                let fallback = 0.clamp(min, max);
                match read {
                    Some(Ok(n)) => Value::from(n),
                    Some(Err(issue)) if required => {
                        self.defaulted(path, v, Some(issue));
                        Value::from(fallback)
                    }
                    Some(Err(issue)) => {
                        self.note(path, v, issue, Outcome::Empty);
                        Value::from(fallback)
                    }
                    None if required => {
                        self.defaulted(path, v, None);
                        Value::from(fallback)
                    }
                    None => Value::from(fallback),
                }
            }
            OptInt { min, max } => {
                let read = if blank { None } else { v.map(|x| whole(x, Issue::NotANumber, Issue::NotWholeNumber)) };
                match read
                    .map(|r| r.and_then(|n| if (min..=max).contains(&n) { Ok(n) } else { Err(Issue::OutOfRange) }))
                {
                    Some(Ok(n)) => Value::from(n),
                    Some(Err(issue)) => {
                        self.note(path, v, issue, Outcome::Empty);
                        Value::Null
                    }
                    None => Value::Null,
                }
            }
            Enum(parse, default) => {
                let read = if blank { None } else { v.and_then(scalar_text) };
                match read.as_deref().map(parse) {
                    Some(Some(key)) => Value::String(key.to_string()),
                    Some(None) => {
                        self.defaulted(path, v, Some(Issue::UnknownValue));
                        Value::String(default.to_string())
                    }
                    None if blank => {
                        self.defaulted(path, v, None);
                        Value::String(default.to_string())
                    }
                    None => {
                        self.defaulted(path, v, Some(Issue::UnknownValue));
                        Value::String(default.to_string())
                    }
                }
            }
            OptEnum(parse) => {
                let read = if blank { None } else { v.and_then(scalar_text) };
                match read.as_deref().map(parse) {
                    Some(Some(key)) => Value::String(key.to_string()),
                    None if blank => Value::Null,
                    _ => {
                        self.note(path, v, Issue::UnknownValue, Outcome::Empty);
                        Value::Null
                    }
                }
            }
            Currency => match v.and_then(Value::as_str).map(crate::core::money::Currency::parse) {
                _ if blank => Value::String(crate::core::money::Currency::default().as_str().to_string()),
                Some(Some(c)) => Value::String(c.as_str().to_string()),
                _ => {
                    self.defaulted(path, v, Some(Issue::UnknownValue));
                    Value::String(crate::core::money::Currency::default().as_str().to_string())
                }
            },
            Time => match v.and_then(Value::as_str).and_then(parse_datetime) {
                Some(t) if !blank => Value::String(t.to_rfc3339()),
                _ => {
                    let issue = (!blank).then_some(Issue::NotATime);
                    self.pending.push((path.to_string(), issue, v.map(value_text).unwrap_or_default()));
                    return None;
                }
            },
            OptTime => match v.and_then(Value::as_str).and_then(parse_datetime) {
                Some(t) if !blank => Value::String(t.to_rfc3339()),
                _ if blank => Value::Null,
                _ => {
                    self.note(path, v, Issue::NotATime, Outcome::Empty);
                    Value::Null
                }
            },
            Date => match v.and_then(Value::as_str).and_then(date) {
                Some(d) if !blank => Value::String(d.to_string()),
                _ => {
                    let issue = (!blank).then_some(Issue::NotADate);
                    self.pending.push((path.to_string(), issue, v.map(value_text).unwrap_or_default()));
                    return None;
                }
            },
            OptDate => match v.and_then(Value::as_str).and_then(date) {
                Some(d) if !blank => Value::String(d.to_string()),
                _ if blank => Value::Null,
                _ => {
                    self.note(path, v, Issue::NotADate, Outcome::Empty);
                    Value::Null
                }
            },
            Period => match v.and_then(scalar_text).as_deref().and_then(crate::core::model::Period::parse) {
                Some(p) if !blank => Value::String(p.to_string()),
                _ => {
                    let issue = (!blank).then_some(Issue::NotAPeriod);
                    self.pending.push((path.to_string(), issue, v.map(value_text).unwrap_or_default()));
                    return None;
                }
            },
            List(item_fields) => match v {
                None => Value::Array(vec![]),
                Some(Value::Array(items)) => {
                    let mut list = Vec::with_capacity(items.len());
                    for (i, item) in items.iter().enumerate() {
                        let at = format!("{path}[{i}]");
                        match item.as_object() {
                            Some(obj) => {
                                let mut one = Map::new();
                                self.fields(item_fields, obj, &at, &mut one);
                                list.push(Value::Object(one));
                            }
                            None => self.note(&at, Some(item), Issue::NotAnObject, Outcome::LeftOut),
                        }
                    }
                    Value::Array(list)
                }
                Some(_) => {
                    self.note(path, v, Issue::NotAList, Outcome::Empty);
                    Value::Array(vec![])
                }
            },
            Geo => match v {
                None => Value::Null,
                Some(x) => match geo(x) {
                    Some(point) => point,
                    None => {
                        self.note(path, v, Issue::NotAnObject, Outcome::Empty);
                        Value::Null
                    }
                },
            },
            Custom => match v {
                None => Value::Object(Map::new()),
                Some(Value::Object(m)) => {
                    let mut clean = Map::new();
                    for (k, x) in m {
                        let key: String = k.chars().filter(|&c| !is_unwanted(c)).collect();
                        let at = format!("{path}.{key}");
                        let cleaned = self.clean_json(&at, x);
                        clean.insert(key, cleaned);
                    }
                    Value::Object(clean)
                }
                Some(_) => {
                    self.note(path, v, Issue::NotAnObject, Outcome::Empty);
                    Value::Object(Map::new())
                }
            },
        })
    }

    /// Any JSON with control characters removed from its texts (one problem for the field).
    fn clean_json(&mut self, field: &str, v: &Value) -> Value {
        fn walk(v: &Value, dirty: &mut bool) -> Value {
            match v {
                Value::String(s) if s.chars().any(is_unwanted) => {
                    *dirty = true;
                    Value::String(s.chars().filter(|&c| !is_unwanted(c)).collect())
                }
                Value::Array(a) => Value::Array(a.iter().map(|x| walk(x, dirty)).collect()),
                Value::Object(m) => Value::Object(
                    m.iter().map(|(k, x)| (k.chars().filter(|&c| !is_unwanted(c)).collect(), walk(x, dirty))).collect(),
                ),
                other => other.clone(),
            }
        }
        let mut dirty = false;
        let out = walk(v, &mut dirty);
        if dirty {
            self.note(field, Some(v), Issue::ControlCharacters, Outcome::Cleaned);
        }
        out
    }
}

/// Text from a string, a number or a yes/no; `None` for lists and structures.
fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn yes_no(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_f64() {
            Some(0.0) => Some(false),
            Some(1.0) => Some(true),
            _ => None,
        },
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A whole number from a JSON number or a string that holds one (`"100"`, `" 12 "`, `"100.0"`).
/// Decimals are `fraction` (an amount in minor units has none); anything else is `not`.
fn whole(v: &Value, not: Issue, fraction: Issue) -> Result<i64, Issue> {
    let x = match v {
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                return Ok(i);
            }
            n.as_f64().ok_or(not)?
        }
        Value::String(s) => {
            let t = s.trim();
            if let Ok(i) = t.parse::<i64>() {
                return Ok(i);
            }
            // Plain decimal notation only: no "inf", "NaN", hex, or grouping.
            let plain = !t.is_empty()
                && t.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
                && t.bytes().any(|b| b.is_ascii_digit());
            if !plain {
                return Err(not);
            }
            t.parse::<f64>().map_err(|_| not)?
        }
        _ => return Err(not),
    };
    if !x.is_finite() {
        return Err(not);
    }
    if x.fract() != 0.0 {
        return Err(fraction);
    }
    if x.abs() >= 9.2e18 {
        return Err(Issue::OutOfRange);
    }
    Ok(x as i64)
}

/// A date from `YYYY-MM-DD` or a date-time text (its date, in UTC).
fn date(s: &str) -> Option<chrono::NaiveDate> {
    let t = s.trim();
    if let Some(d) = t.get(..10).and_then(|d| d.parse::<chrono::NaiveDate>().ok())
        && (t.len() == 10 || parse_datetime(t).is_some())
    {
        return Some(d);
    }
    parse_datetime(t).map(|x| x.date_naive())
}

/// A position: an object with finite `lat` and `lon` (numbers or numeric strings).
fn geo(v: &Value) -> Option<Value> {
    let obj = v.as_object()?;
    let num = |k: &str| -> Option<f64> {
        match obj.get(k)? {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse::<f64>().ok(),
            _ => None,
        }
        .filter(|x| x.is_finite())
    };
    let (lat, lon) = (num("lat")?, num("lon")?);
    let mut out = Map::new();
    out.insert("lat".into(), Value::from(lat));
    out.insert("lon".into(), Value::from(lon));
    out.insert("accuracy_m".into(), num("accuracy_m").map_or(Value::Null, Value::from));
    Some(Value::Object(out))
}

/// Fills required dates and times the backend did not give readably. The modification time
/// (`updated_at`) and creation time stand in for each other (a record was created no later than
/// its last change); with neither, both are the time this device first saw the record — no
/// problem when they were simply missing or null, a problem when something unreadable was sent.
/// Other required dates get a sensible default and a problem: a ticket's SLA due time from its
/// severity, an order's or visit's date from its last change, an invoice's due date from its
/// issue date, a payment's date from the invoice's.
fn fill_defaults(
    entity: Entity,
    out: &mut Map<String, Value>,
    r: &mut Reader,
    now: Timestamp,
    first_seen: &mut Vec<String>,
) {
    let pending = std::mem::take(&mut r.pending);
    let take = |name: &str| pending.iter().find(|(p, _, _)| p == name).cloned();
    let time_of = |out: &Map<String, Value>, name: &str| -> Option<Timestamp> {
        out.get(name)
            .and_then(Value::as_str)
            .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
            .map(|t| t.to_utc())
    };
    let has_created = matches!(entity, Entity::Customers | Entity::Contacts | Entity::Opportunities | Entity::Tasks);
    let has_updated = matches!(
        entity,
        Entity::Customers
            | Entity::Contacts
            | Entity::Orders
            | Entity::Tickets
            | Entity::Visits
            | Entity::Opportunities
            | Entity::Tasks
    );
    if has_updated {
        let updated = take("updated_at");
        let created = if has_created { take("created_at") } else { None };
        let stamp = |t: Timestamp| Value::String(t.to_rfc3339());
        if let Some((_, issue, value)) = &updated {
            match has_created.then(|| time_of(out, "created_at")).flatten() {
                Some(t) => {
                    out.insert("updated_at".into(), stamp(t));
                    fill_note(r, "updated_at", *issue, value, Outcome::Default, true);
                }
                None => {
                    out.insert("updated_at".into(), stamp(now));
                    first_seen.push("updated_at".into());
                    fill_note(r, "updated_at", *issue, value, Outcome::FirstSeen, true);
                }
            }
        }
        if let Some((_, issue, value)) = &created {
            let from_first_seen = first_seen.iter().any(|f| f == "updated_at");
            let t = time_of(out, "updated_at").unwrap_or(now);
            out.insert("created_at".into(), stamp(t));
            if from_first_seen {
                first_seen.push("created_at".into());
            }
            let outcome = if from_first_seen { Outcome::FirstSeen } else { Outcome::Default };
            fill_note(r, "created_at", *issue, value, outcome, true);
        }
    }
    let derived = |first_seen: &mut Vec<String>, from: &str, to: &str| {
        if first_seen.iter().any(|f| f == from) {
            first_seen.push(to.to_string());
        }
    };
    match entity {
        Entity::Tickets => {
            if let Some((_, issue, value)) = take("opened_at") {
                out.insert("opened_at".into(), Value::String(now.to_rfc3339()));
                first_seen.push("opened_at".into());
                fill_note(r, "opened_at", issue, &value, Outcome::FirstSeen, false);
            }
            if let Some((_, issue, value)) = take("sla_due") {
                let opened = time_of(out, "opened_at").unwrap_or(now);
                let sev =
                    out.get("severity").and_then(Value::as_str).and_then(Severity::parse).unwrap_or(Severity::Medium);
                out.insert("sla_due".into(), Value::String((opened + sev.default_sla()).to_rfc3339()));
                derived(first_seen, "opened_at", "sla_due");
                fill_note(r, "sla_due", issue, &value, Outcome::Default, false);
            }
        }
        Entity::Orders | Entity::Visits => {
            if let Some((_, issue, value)) = take("date") {
                let d = time_of(out, "updated_at").unwrap_or(now).date_naive();
                out.insert("date".into(), Value::String(d.to_string()));
                derived(first_seen, "updated_at", "date");
                fill_note(r, "date", issue, &value, Outcome::Default, false);
            }
        }
        Entity::Invoices => {
            if let Some((_, issue, value)) = take("issue_date") {
                out.insert("issue_date".into(), Value::String(now.date_naive().to_string()));
                first_seen.push("issue_date".into());
                fill_note(r, "issue_date", issue, &value, Outcome::FirstSeen, false);
            }
            let issued = out.get("issue_date").cloned().unwrap_or(Value::String(now.date_naive().to_string()));
            if let Some((_, issue, value)) = take("due_date") {
                out.insert("due_date".into(), issued.clone());
                derived(first_seen, "issue_date", "due_date");
                fill_note(r, "due_date", issue, &value, Outcome::Default, false);
            }
            // Paths name the backend's list positions; items left out are not in `out`.
            let left_out: Vec<usize> = r
                .problems
                .iter()
                .filter(|p| p.outcome == Outcome::LeftOut)
                .filter_map(|p| p.field.strip_prefix("payments[")?.strip_suffix(']')?.parse().ok())
                .collect();
            for (path, issue, value) in pending.iter().filter(|(p, _, _)| p.starts_with("payments[")) {
                let Some(i) = path
                    .strip_prefix("payments[")
                    .and_then(|p| p.split_once(']'))
                    .and_then(|(i, _)| i.parse::<usize>().ok())
                else {
                    continue;
                };
                let at = i - left_out.iter().filter(|&&k| k < i).count();
                if let Some(obj) = out.get_mut("payments").and_then(|p| p.get_mut(at)).and_then(Value::as_object_mut) {
                    obj.insert("date".into(), issued.clone());
                    derived(first_seen, "issue_date", &format!("payments[{at}].date"));
                    fill_note(r, path, *issue, value, Outcome::Default, false);
                }
            }
        }
        Entity::Surveys => {
            if let Some((_, issue, value)) = take("date") {
                out.insert("date".into(), Value::String(now.date_naive().to_string()));
                first_seen.push("date".into());
                fill_note(r, "date", issue, &value, Outcome::FirstSeen, false);
            }
        }
        Entity::Plans => {
            if let Some((_, issue, value)) = take("period") {
                let year = crate::core::model::Period::Year(chrono::Datelike::year(&now));
                out.insert("period".into(), Value::String(year.to_string()));
                first_seen.push("period".into());
                fill_note(r, "period", issue, &value, Outcome::FirstSeen, false);
            }
        }
        Entity::Opportunities => {
            // A deal without an amount yet (a lead) is worth 0 until someone says more.
            if out.get("amount").is_none_or(Value::is_null) {
                out.insert("amount".into(), Value::from(0));
            }
            // A move whose time cannot be read is dated by the record's creation.
            let created = out.get("created_at").cloned().unwrap_or(Value::String(now.to_rfc3339()));
            for (path, issue, value) in pending.iter().filter(|(p, _, _)| p.starts_with("history[")) {
                let Some(i) = path
                    .strip_prefix("history[")
                    .and_then(|p| p.split_once(']'))
                    .and_then(|(i, _)| i.parse::<usize>().ok())
                else {
                    continue;
                };
                let left_out = r
                    .problems
                    .iter()
                    .filter(|p| p.outcome == Outcome::LeftOut)
                    .filter_map(|p| p.field.strip_prefix("history[")?.strip_suffix(']')?.parse::<usize>().ok())
                    .filter(|&k| k < i)
                    .count();
                if let Some(obj) =
                    out.get_mut("history").and_then(|h| h.get_mut(i - left_out)).and_then(Value::as_object_mut)
                {
                    obj.insert("at".into(), created.clone());
                    derived(first_seen, "created_at", &format!("history[{}].at", i - left_out));
                    fill_note(r, path, *issue, value, Outcome::Default, false);
                }
            }
        }
        Entity::Customers | Entity::Contacts | Entity::Tasks => {}
    }
}

/// Notes what a filled-in field shows. `value` is the received value's text already; a missing
/// modification or creation time (`silent_if_missing`) is the stated rule, not a problem.
fn fill_note(
    r: &mut Reader,
    field: &str,
    issue: Option<Issue>,
    value: &str,
    outcome: Outcome,
    silent_if_missing: bool,
) {
    if let Some(p) = r.problems.iter_mut().find(|p| p.field == field) {
        p.outcome = outcome;
        return;
    }
    if issue.is_none() && silent_if_missing {
        return;
    }
    let issue = issue.unwrap_or(Issue::Missing);
    r.problems.push(DataProblem { field: field.to_string(), value: value.to_string(), issue, outcome });
}

/// The record with the values its cached copy has at the `first_seen` fields (times the
/// backend did not give: the device keeps the first it saw). Without a cached copy: unchanged.
pub fn keep_first_seen(record: Record, cached: Option<&Record>, first_seen: &[String]) -> Record {
    let Some(cached) = cached.filter(|_| !first_seen.is_empty()) else { return record };
    let (mut new, old) = (record.to_json(), cached.to_json());
    let mut changed = false;
    for field in first_seen {
        if let Some(v) = get_path(&old, field).cloned()
            && get_path(&new, field) != Some(&v)
        {
            changed |= set_path(&mut new, field, v);
        }
    }
    if !changed {
        return record;
    }
    Record::from_json(record.entity(), new).unwrap_or(record)
}

/// A record's problems still true after it was written with another version (a local edit, a
/// server's answer to one): those whose field holds the same value in both. A field the user
/// changed clears its problem; the others stay until the backend's record is read again.
pub fn still_wrong(problems: &[DataProblem], old: &Record, new: &Record) -> Vec<DataProblem> {
    if problems.is_empty() {
        return Vec::new();
    }
    let (old, new) = (old.to_json(), new.to_json());
    problems.iter().filter(|p| get_path(&old, &p.field) == get_path(&new, &p.field)).cloned().collect()
}

/// The value at a field path such as `lines[2].quantity` or `custom.grade`.
pub fn get_path<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    let mut at = v;
    for part in path.split('.') {
        let (name, index) = split_index(part);
        at = at.get(name)?;
        if let Some(i) = index {
            at = at.get(i)?;
        }
    }
    Some(at)
}

/// Sets an existing field path's value; false when the path does not exist.
fn set_path(v: &mut Value, path: &str, new: Value) -> bool {
    let mut at = v;
    for part in path.split('.') {
        let (name, index) = split_index(part);
        let Some(next) = at.get_mut(name) else { return false };
        at = next;
        if let Some(i) = index {
            let Some(next) = at.get_mut(i) else { return false };
            at = next;
        }
    }
    *at = new;
    true
}

/// `lines[2]` → (`lines`, Some(2)).
fn split_index(part: &str) -> (&str, Option<usize>) {
    match part.strip_suffix(']').and_then(|p| p.split_once('[')) {
        Some((name, i)) => match i.parse() {
            Ok(i) => (name, Some(i)),
            Err(_) => (part, None),
        },
        None => (part, None),
    }
}

/// RFC 3339, `YYYY-MM-DD HH:MM:SS[.fff]` (taken as UTC), or a date alone.
pub fn parse_datetime(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let s = s.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&chrono::Utc));
    }
    // chrono's own `FromStr` parsers, not `parse_from_str`: format strings pull chrono's whole
    // strftime machinery into the browser build.
    if let Ok(t) = s.replacen(' ', "T", 1).parse::<chrono::NaiveDateTime>() {
        return Some(t.and_utc());
    }
    s.get(..10)?.parse::<chrono::NaiveDate>().ok().and_then(|d| d.and_hms_opt(0, 0, 0)).map(|t| t.and_utc())
}
