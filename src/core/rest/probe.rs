//! "Test connection" as data: one small page of each resource, read with the profile as a sync
//! would read it, so a profile mistake (a wrong list path, an id path that finds nothing, a
//! missing field mapping) shows before "Save and connect".
//!
//! The shell sends [`request`] and hands the answer to [`read_page`]; the page shows [`Probe`].

use super::api::{self, Credentials};
use super::http::{HttpRequest, HttpResponse};
use super::mapping::from_remote;
use super::path;
use super::profile::{Profile, Resource, Transform};
use crate::core::model::Entity;
use crate::core::model::Timestamp;
use crate::core::sync::remote::{Cursor, PageRequest, RemoteError};
use serde_json::Value;

/// Records asked for per resource: a handful, enough to see a mapping at work.
pub const PROBE_PAGE: u32 = 5;

/// One resource's answer to "Test connection".
#[derive(Clone, Debug, PartialEq)]
pub struct Probe {
    pub entity: Entity,
    /// The list request's address (named when the server has nothing there).
    pub url: String,
    /// What the page said, or why there was none (not found, refused, unreachable, not JSON).
    pub result: Result<ProbeRead, RemoteError>,
}

/// What one page of a resource says about the profile.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProbeRead {
    /// Items on the page, readable or not.
    pub on_page: usize,
    /// The backend's total, when it says.
    pub total: Option<u64>,
    /// Items read as records, each with its id found where the profile says.
    pub read: usize,
    /// Of those, records kept with data problems (a field that could not be read, left empty).
    pub with_problems: usize,
    /// The first thing wrong on the page, if anything.
    pub problem: Option<ProbeProblem>,
    /// Mapped backend fields that no record of the page has (a misspelt `remote`, a field of
    /// another resource); only said when the page has records.
    pub unmatched: Vec<Unmatched>,
}

impl ProbeRead {
    /// Whether the page was read as the profile says, with nothing to look at.
    pub fn is_clean(&self) -> bool {
        self.problem.is_none() && self.unmatched.is_empty() && self.read == self.on_page && self.with_problems == 0
    }
}

/// The first problem a page shows.
#[derive(Clone, Debug, PartialEq)]
pub enum ProbeProblem {
    /// None of the `list_items` paths holds a list in the answer.
    NoList { paths: Vec<String> },
    /// A record in which the `id_field` path finds nothing.
    NoId { path: String },
    /// A record that could not be read, with the id when there is one and why (translated).
    Unreadable { id: Option<String>, why: crate::core::record::Unreadable },
    /// A record read with a field that could not be (its first data problem).
    Field { id: String, problem: crate::core::lenient::DataProblem },
}

/// A mapped field whose backend path is in no record of the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unmatched {
    pub kehu: String,
    pub remote: String,
}

/// The request for a resource's first page of [`PROBE_PAGE`] records.
pub fn request(profile: &Profile, entity: Entity, creds: &Credentials) -> Result<HttpRequest, RemoteError> {
    api::list_request(profile, entity, &first_page(), creds)
}

fn first_page() -> PageRequest {
    PageRequest { cursor: Cursor::Start, size: PROBE_PAGE, modified_since: None, ids_only: false }
}

/// Reads a resource's first page as a sync would, and what it says about the profile. An answer
/// a sync could not use at all (an error status, not JSON, no list where there must be one) is
/// the error.
pub fn read_page(
    profile: &Profile,
    entity: Entity,
    resp: &HttpResponse,
    now: Timestamp,
) -> Result<ProbeRead, RemoteError> {
    let page = api::parse_list(profile, entity, &first_page(), resp, now)?;
    let res = api::resource(profile, entity)?;
    let body = api::json(resp)?;
    let mut out = ProbeRead { total: page.total, ..ProbeRead::default() };
    let (items, found) = items_of(res, &body);
    if !found {
        out.note(ProbeProblem::NoList { paths: res.list_items.clone() });
    }
    out.on_page = items.len();
    // Each record as the sync reads it: read whole, read with data problems (a field left empty),
    // or not read at all.
    for item in &items {
        let id =
            path::get(item, &res.id_field).filter(|v| matches!(v, Value::String(s) if !s.is_empty()) || v.is_number());
        match from_remote(entity, res, item, now) {
            Ok((record, note)) if id.is_some() => {
                out.read += 1;
                if let Some(first) = note.problems.first() {
                    out.with_problems += 1;
                    out.note(ProbeProblem::Field { id: record.id().to_string(), problem: first.clone() });
                }
            }
            Ok(_) => out.note(ProbeProblem::NoId { path: res.id_field.clone() }),
            Err(b) if b.why == crate::core::record::Unreadable::NoId => {
                out.note(ProbeProblem::NoId { path: res.id_field.clone() })
            }
            Err(b) => out.note(ProbeProblem::Unreadable { id: b.id, why: b.why }),
        }
    }
    if !items.is_empty() {
        out.unmatched = unmatched(res, &items);
    }
    Ok(out)
}

impl ProbeRead {
    /// Keeps the first problem only.
    fn note(&mut self, p: ProbeProblem) {
        if self.problem.is_none() {
            self.problem = Some(p);
        }
    }
}

/// The page's items, and whether the list was where the profile says (with several paths, at
/// least one of them).
fn items_of<'a>(res: &Resource, body: &'a Value) -> (Vec<&'a Value>, bool) {
    if res.list_items.is_empty() {
        return (body.as_array().map(|a| a.iter().collect()).unwrap_or_default(), body.is_array());
    }
    let mut items = Vec::new();
    let mut found = false;
    for p in &res.list_items {
        if let Some(Value::Array(a)) = path::get(body, p) {
            found = true;
            items.extend(a.iter());
        }
    }
    (items, found)
}

/// The mapped backend paths that none of `items` has.
fn unmatched(res: &Resource, items: &[&Value]) -> Vec<Unmatched> {
    let mut out = Vec::new();
    for f in &res.mapping.fields {
        let paths: Vec<&String> =
            if f.transform == Transform::PersonName { f.parts.iter().collect() } else { f.remote.iter().collect() };
        for p in paths {
            if !items.iter().any(|it| path::get(it, p).is_some()) {
                out.push(Unmatched { kehu: f.kehu.clone(), remote: p.clone() });
            }
        }
    }
    out
}
