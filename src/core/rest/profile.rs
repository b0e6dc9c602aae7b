//! The backend profile: everything Kehu needs to know to talk to one REST CRM, as JSON.
//! See README.md "Connect your backend" for the format, field by field.

use super::path;
use crate::core::model::Entity;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Shown in the UI; also names the workspace together with the base URL.
    pub name: String,
    /// The preset this profile started from, if any (informative).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preset: Option<String>,
    /// `https://crm.example.com/api` — paths are appended to it.
    pub base_url: String,
    #[serde(default)]
    pub auth: Auth,
    /// Extra headers sent with every request (e.g. a tenant header).
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    #[serde(default = "default_timeout")]
    pub timeout_secs: u32,
    #[serde(default = "default_page_size")]
    pub page_size: u32,
    /// A header that carries each create's idempotency key (e.g. `Idempotency-Key`), for
    /// backends that assign their own ids and de-duplicate retried creates by it. Without it, a
    /// create whose answer was lost may be created twice on such a backend (see the README).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_header: Option<String>,
    /// One entry per entity the backend has; entities left out are not synced.
    pub resources: BTreeMap<Entity, Resource>,
}

fn default_timeout() -> u32 {
    30
}
fn default_page_size() -> u32 {
    200
}
fn default_true() -> bool {
    true
}
fn default_id() -> String {
    "id".into()
}
fn default_authorization() -> String {
    "Authorization".into()
}
fn default_bearer() -> String {
    "Bearer".into()
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", try_from = "AuthSpec")]
pub enum Auth {
    #[default]
    None,
    /// A token the user pastes (a personal access token): `Authorization: <scheme> <token>`.
    Bearer {
        #[serde(default = "default_authorization")]
        header: String,
        #[serde(default = "default_bearer")]
        scheme: String,
    },
    /// An API key sent in a header of its own.
    ApiKey { header: String },
    /// Username and password exchanged for a token at a login endpoint, refreshed when it expires.
    Login {
        /// Path of the login endpoint (POST, JSON body).
        url: String,
        #[serde(default = "username_field")]
        username_field: String,
        #[serde(default = "password_field")]
        password_field: String,
        /// Where the access token is in the login response.
        token_path: String,
        /// Where the refresh token is in the login response, if there is one.
        #[serde(default)]
        refresh_token_path: Option<String>,
        /// Path of the refresh endpoint (POST), if tokens can be refreshed.
        #[serde(default)]
        refresh_url: Option<String>,
        /// Name of the refresh token in the refresh request body.
        #[serde(default = "refresh_field")]
        refresh_field: String,
        #[serde(default = "default_authorization")]
        header: String,
        #[serde(default = "default_bearer")]
        scheme: String,
    },
}

fn username_field() -> String {
    "username".into()
}
fn password_field() -> String {
    "password".into()
}
fn refresh_field() -> String {
    "refresh".into()
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    /// Path of the collection: `/customers`, `/api/accounts/`.
    pub collection: String,
    /// Path of one record with `{id}`; defaults to the collection + `/{id}`.
    #[serde(default)]
    pub item: Option<String>,
    /// Where the list's items are in a list response: one or several paths (their arrays are
    /// concatenated); none means the body is the array.
    #[serde(default)]
    pub list_items: Vec<String>,
    #[serde(default)]
    pub total: Total,
    #[serde(default)]
    pub pagination: Pagination,
    #[serde(default)]
    pub sort: Option<Sort>,
    #[serde(default)]
    pub filter: FilterStyle,
    /// Incremental pulls: the filter that asks for records changed since a value.
    #[serde(default)]
    pub modified_since: Option<ModifiedSince>,
    /// Fixed query parameters added to every list request of this resource (e.g.
    /// `{"meta": "total_count"}` for a backend that returns a total only when asked). Only lists:
    /// item reads and writes go without them (a parameter that filters a list could hide the
    /// one record a read looks for); an item read that needs a parameter puts it in `item`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub query: BTreeMap<String, String>,
    /// Path of the id in a backend record.
    #[serde(default = "default_id")]
    pub id_field: String,
    /// Path of the modification time or version in a backend record, if any.
    #[serde(default)]
    pub version_field: Option<String>,
    /// Set the version field to the current time on every write (for plain stores such as
    /// json-server that do not maintain it themselves).
    #[serde(default)]
    pub stamp_writes: bool,
    #[serde(default)]
    pub update_method: UpdateMethod,
    /// Whether create and update answer with the record; otherwise it is read again.
    #[serde(default = "default_true")]
    pub write_returns_record: bool,
    /// Where the new record's id is in a create response that returns only an id.
    #[serde(default)]
    pub write_id_path: Option<String>,
    /// Where the record is in a detail (and write) response; empty means the body is the record.
    #[serde(default)]
    pub detail_path: String,
    /// Send Kehu's client-generated id when creating (backends that assign ids ignore it).
    #[serde(default = "default_true")]
    pub send_id_on_create: bool,
    /// A query parameter that makes the list answer with the ids only (e.g. `select=id`), for the
    /// daily complete listing that finds records incremental pulls missed and records the server
    /// deleted. Without it that listing reads whole records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ids_only: Option<IdsOnly>,
    #[serde(default)]
    pub mapping: Mapping,
}

/// `?<param>=<value>` asks for ids only.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdsOnly {
    pub param: String,
    pub value: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "from", rename_all = "snake_case", try_from = "TotalSpec")]
pub enum Total {
    #[default]
    None,
    /// A header holding the number, e.g. `X-Total-Count`.
    Header { name: String },
    /// `Content-Range: items 0-24/319`.
    ContentRange,
    /// A number in the body.
    Body { path: String },
    /// The sum of several numbers in the body.
    Sum { paths: Vec<String> },
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "style", rename_all = "snake_case", try_from = "PaginationSpec")]
pub enum Pagination {
    /// Everything in one response.
    #[default]
    None,
    /// `?page=2&size=50`.
    Page {
        page_param: String,
        size_param: String,
        #[serde(default = "one")]
        first_page: u64,
    },
    /// `?offset=100&limit=50`.
    Offset {
        offset_param: String,
        limit_param: String,
        /// Advance the offset by the page size, not by the items received: for backends that
        /// page several item lists with one offset (BottleCRM's active and closed accounts).
        #[serde(default)]
        advance_by_page: bool,
    },
    /// react-admin simple-rest: `?range=[100,149]`.
    Range {
        #[serde(default = "range")]
        param: String,
    },
    /// `?cursor=<token>&limit=50`, the next token at `next_path` in the body.
    Cursor {
        param: String,
        #[serde(default)]
        size_param: Option<String>,
        next_path: String,
    },
}

fn one() -> u64 {
    1
}
fn range() -> String {
    "range".into()
}

/// A stable order for paging.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "style", rename_all = "snake_case", try_from = "SortSpec")]
pub enum Sort {
    /// `?_sort=id&_order=asc`.
    Params {
        field_param: String,
        order_param: Option<String>,
        field: String,
        #[serde(default)]
        descending: bool,
    },
    /// react-admin simple-rest: `?sort=["id","ASC"]`.
    Json {
        param: String,
        field: String,
        #[serde(default)]
        descending: bool,
    },
    /// `?ordering=-id` (Django REST framework).
    Signed {
        param: String,
        field: String,
        #[serde(default)]
        descending: bool,
    },
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "style", rename_all = "snake_case", try_from = "FilterSpec")]
pub enum FilterStyle {
    /// Each filter is its own query parameter: `?updated_at_gte=…`.
    #[default]
    Params,
    /// All filters as one JSON object: `?filter={"updated_at_gte":"…"}`.
    Json { param: String },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModifiedSince {
    /// The filter name, e.g. `updated_at_gte`, or the parameter that holds an expression (`or`).
    pub param: String,
    /// An expression instead of the checkpoint alone, for filter languages that allow one:
    /// every `{since}` in its text is replaced by the checkpoint, e.g.
    /// `"(updated_at.gte.{since},updated_at.is.null)"` ("changed since, or never changed").
    /// With the `params` filter style a text is the parameter's value (other JSON is sent as its
    /// JSON text); with `json` it is the value of `param` in the filter object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
}

/// The place of the checkpoint in a `modified_since` expression.
pub const SINCE: &str = "{since}";

impl ModifiedSince {
    /// The filter's value for a checkpoint: the checkpoint itself, or the expression with every
    /// `{since}` replaced by it.
    pub fn value_for(&self, since: &str) -> Value {
        fn fill(v: &Value, since: &str) -> Value {
            match v {
                Value::String(s) => Value::String(s.replace(SINCE, since)),
                Value::Array(a) => Value::Array(a.iter().map(|x| fill(x, since)).collect()),
                Value::Object(m) => Value::Object(m.iter().map(|(k, x)| (k.clone(), fill(x, since))).collect()),
                other => other.clone(),
            }
        }
        match &self.value {
            None => Value::String(since.to_string()),
            Some(v) => fill(v, since),
        }
    }
}

fn mentions_since(v: &Value) -> bool {
    match v {
        Value::String(s) => s.contains(SINCE),
        Value::Array(a) => a.iter().any(mentions_since),
        Value::Object(m) => m.values().any(mentions_since),
        _ => false,
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum UpdateMethod {
    #[default]
    #[serde(rename = "PUT")]
    Put,
    #[serde(rename = "PATCH")]
    Patch,
}

/// How a Kehu record and a backend record correspond.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// `identity`: fields have the same names unless mapped below; `explicit`: only mapped fields exist.
    #[serde(default)]
    pub base: MappingBase,
    #[serde(default)]
    pub fields: Vec<FieldMap>,
    /// Backend fields set on every write when absent (values the backend requires).
    #[serde(default)]
    pub defaults: BTreeMap<String, Value>,
}

impl Default for Mapping {
    fn default() -> Self {
        Mapping { base: MappingBase::Identity, fields: Vec::new(), defaults: BTreeMap::new() }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MappingBase {
    #[default]
    Identity,
    Explicit,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldMap {
    /// The Kehu field: a top-level field of the model, or `custom.<key>`.
    pub kehu: String,
    /// The backend path; absent when the backend has no such field (then `default` applies).
    #[serde(default)]
    pub remote: Option<String>,
    /// Further backend paths read in turn when `remote` holds nothing (missing or null): a deal's
    /// owner is its first assignee, else its creator. Only read: writes go to `remote`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub read_else: Vec<String>,
    /// Where to write the field when it differs from where it is read (read `account.id`,
    /// write `account`).
    #[serde(default)]
    pub write_to: Option<String>,
    /// For `person_name`: the paths of the given name and the family name.
    #[serde(default)]
    pub parts: Vec<String>,
    /// Kehu value → backend value (for enumerations such as statuses).
    #[serde(default)]
    pub values: BTreeMap<String, Value>,
    /// Further backend values → Kehu value, read only (several backend statuses meaning one Kehu
    /// status). Read before `values`, so it also settles which Kehu value a backend value that
    /// several Kehu values are written as reads back as.
    #[serde(default)]
    pub read_values: BTreeMap<String, Value>,
    /// Kehu value for a backend value missing from `values`.
    #[serde(default)]
    pub fallback: Option<Value>,
    /// Kehu value when the backend record lacks the field.
    #[serde(default)]
    pub default: Option<Value>,
    #[serde(default)]
    pub transform: Transform,
    /// How a `money_major` amount is written: `"text"` (default, `"1234.50"`) or `"number"`
    /// (`1234.5`, for a numeric column).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write_as: Option<WriteAs>,
    /// Read from the backend, never written to it.
    #[serde(default)]
    pub read_only: bool,
    /// The Kehu fields written to the backend field, first set one wins (default: `kehu` alone),
    /// for a backend field that holds one of several Kehu fields: `["closed_on",
    /// "expected_close"]` writes the date a won or lost deal closed, else the expected close. An
    /// update that changes any of them writes the field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub write_from: Vec<String>,
    /// Read the field only when the backend record holds one of the listed values at each path
    /// (`{"stage_kind": ["won", "lost"]}`); otherwise it reads as absent (its `default`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub read_if: BTreeMap<String, Vec<Value>>,
    /// Some answers leave the field out altogether (BottleCRM's task list has no `description`;
    /// a task read by itself has it): where `remote` is absent from the record read — not null,
    /// absent — a copy this device already has keeps its own value, instead of reading as
    /// emptied on every pull. Read and written as usual where it is present.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub keep_when_absent: bool,
}

/// The JSON type a written amount takes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WriteAs {
    /// A decimal string with the currency's decimals: `"1234.50"`.
    #[default]
    Text,
    /// A JSON number: `1234.5`.
    Number,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transform {
    #[default]
    None,
    /// Backend: decimal amount in major units (`"1234.50"` or `1234.5`); Kehu: integer minor units.
    MoneyMajor,
    /// Backend: a date or date-time; Kehu: `YYYY-MM-DD`.
    Date,
    /// Backend: a date-time in any common form; Kehu: RFC 3339 UTC.
    DateTime,
    /// Backend: a number or string; Kehu: a string (ids).
    Text,
    /// Backend: a comma-separated string; Kehu: a list of strings.
    CommaList,
    /// Backend: a list of ids or of objects with an `id` (`[{"id": "…", "name": "…"}]`); Kehu: a
    /// list of id texts. Written as the list of ids.
    IdList,
    /// Backend: given and family name in the two `parts` paths; Kehu: one name (family name
    /// first without a space for Chinese, Japanese and Korean names, "Given Family" otherwise).
    PersonName,
}

// The JSON of the tagged settings above (`auth`, `total`, `pagination`, `sort`, `filter`) is read
// as one flat object — the tag plus the fields of every variant — and then converted. The JSON
// format is the same as serde's internally tagged enums, whose derived deserialisers buffer
// through serde's `Content` and were the largest single part of the profile code in the wasm
// bundle. Fields that do not belong to the chosen variant are errors, as before.

/// Checks that only `allowed` fields are present for the variant `tag`.
fn only(kind: &str, tag: &str, present: &[(&str, bool)], allowed: &[&str]) -> Result<(), String> {
    match present.iter().find(|(name, there)| *there && !allowed.contains(name)) {
        Some((name, _)) => Err(format!("{kind} \"{tag}\" has no field `{name}`")),
        None => Ok(()),
    }
}

fn need<T>(kind: &str, tag: &str, name: &str, v: Option<T>) -> Result<T, String> {
    v.ok_or_else(|| format!("{kind} \"{tag}\" needs the field `{name}`"))
}

fn unknown(kind: &str, tag: &str, expected: &str) -> String {
    format!("unknown {kind} \"{tag}\", expected one of {expected}")
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AuthSpec {
    #[serde(rename = "type")]
    tag: String,
    header: Option<String>,
    scheme: Option<String>,
    url: Option<String>,
    username_field: Option<String>,
    password_field: Option<String>,
    token_path: Option<String>,
    refresh_token_path: Option<String>,
    refresh_url: Option<String>,
    refresh_field: Option<String>,
}

impl TryFrom<AuthSpec> for Auth {
    type Error = String;
    fn try_from(s: AuthSpec) -> Result<Auth, String> {
        let k = "auth type";
        let t = s.tag.as_str();
        let present = [
            ("header", s.header.is_some()),
            ("scheme", s.scheme.is_some()),
            ("url", s.url.is_some()),
            ("username_field", s.username_field.is_some()),
            ("password_field", s.password_field.is_some()),
            ("token_path", s.token_path.is_some()),
            ("refresh_token_path", s.refresh_token_path.is_some()),
            ("refresh_url", s.refresh_url.is_some()),
            ("refresh_field", s.refresh_field.is_some()),
        ];
        Ok(match t {
            "none" => {
                only(k, t, &present, &[])?;
                Auth::None
            }
            "bearer" => {
                only(k, t, &present, &["header", "scheme"])?;
                Auth::Bearer {
                    header: s.header.unwrap_or_else(default_authorization),
                    scheme: s.scheme.unwrap_or_else(default_bearer),
                }
            }
            "api_key" => {
                only(k, t, &present, &["header"])?;
                Auth::ApiKey { header: need(k, t, "header", s.header)? }
            }
            "login" => Auth::Login {
                url: need(k, t, "url", s.url)?,
                username_field: s.username_field.unwrap_or_else(username_field),
                password_field: s.password_field.unwrap_or_else(password_field),
                token_path: need(k, t, "token_path", s.token_path)?,
                refresh_token_path: s.refresh_token_path,
                refresh_url: s.refresh_url,
                refresh_field: s.refresh_field.unwrap_or_else(refresh_field),
                header: s.header.unwrap_or_else(default_authorization),
                scheme: s.scheme.unwrap_or_else(default_bearer),
            },
            _ => return Err(unknown(k, t, "none, bearer, api_key, login")),
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TotalSpec {
    from: String,
    name: Option<String>,
    path: Option<String>,
    paths: Option<Vec<String>>,
}

impl TryFrom<TotalSpec> for Total {
    type Error = String;
    fn try_from(s: TotalSpec) -> Result<Total, String> {
        let (k, t) = ("total from", s.from.as_str());
        let present = [("name", s.name.is_some()), ("path", s.path.is_some()), ("paths", s.paths.is_some())];
        Ok(match t {
            "none" => only(k, t, &present, &[]).map(|_| Total::None)?,
            "header" => {
                only(k, t, &present, &["name"])?;
                Total::Header { name: need(k, t, "name", s.name)? }
            }
            "content_range" => only(k, t, &present, &[]).map(|_| Total::ContentRange)?,
            "body" => {
                only(k, t, &present, &["path"])?;
                Total::Body { path: need(k, t, "path", s.path)? }
            }
            "sum" => {
                only(k, t, &present, &["paths"])?;
                Total::Sum { paths: need(k, t, "paths", s.paths)? }
            }
            _ => return Err(unknown(k, t, "none, header, content_range, body, sum")),
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PaginationSpec {
    style: String,
    page_param: Option<String>,
    size_param: Option<String>,
    first_page: Option<u64>,
    offset_param: Option<String>,
    limit_param: Option<String>,
    advance_by_page: Option<bool>,
    param: Option<String>,
    next_path: Option<String>,
}

impl TryFrom<PaginationSpec> for Pagination {
    type Error = String;
    fn try_from(s: PaginationSpec) -> Result<Pagination, String> {
        let (k, t) = ("pagination style", s.style.as_str());
        let present = [
            ("page_param", s.page_param.is_some()),
            ("size_param", s.size_param.is_some()),
            ("first_page", s.first_page.is_some()),
            ("offset_param", s.offset_param.is_some()),
            ("limit_param", s.limit_param.is_some()),
            ("advance_by_page", s.advance_by_page.is_some()),
            ("param", s.param.is_some()),
            ("next_path", s.next_path.is_some()),
        ];
        Ok(match t {
            "none" => only(k, t, &present, &[]).map(|_| Pagination::None)?,
            "page" => {
                only(k, t, &present, &["page_param", "size_param", "first_page"])?;
                Pagination::Page {
                    page_param: need(k, t, "page_param", s.page_param)?,
                    size_param: need(k, t, "size_param", s.size_param)?,
                    first_page: s.first_page.unwrap_or_else(one),
                }
            }
            "offset" => {
                only(k, t, &present, &["offset_param", "limit_param", "advance_by_page"])?;
                Pagination::Offset {
                    offset_param: need(k, t, "offset_param", s.offset_param)?,
                    limit_param: need(k, t, "limit_param", s.limit_param)?,
                    advance_by_page: s.advance_by_page.unwrap_or(false),
                }
            }
            "range" => {
                only(k, t, &present, &["param"])?;
                Pagination::Range { param: s.param.unwrap_or_else(range) }
            }
            "cursor" => {
                only(k, t, &present, &["param", "size_param", "next_path"])?;
                Pagination::Cursor {
                    param: need(k, t, "param", s.param)?,
                    size_param: s.size_param,
                    next_path: need(k, t, "next_path", s.next_path)?,
                }
            }
            _ => return Err(unknown(k, t, "none, page, offset, range, cursor")),
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SortSpec {
    style: String,
    field_param: Option<String>,
    order_param: Option<String>,
    param: Option<String>,
    field: Option<String>,
    descending: Option<bool>,
}

impl TryFrom<SortSpec> for Sort {
    type Error = String;
    fn try_from(s: SortSpec) -> Result<Sort, String> {
        let (k, t) = ("sort style", s.style.as_str());
        let present = [
            ("field_param", s.field_param.is_some()),
            ("order_param", s.order_param.is_some()),
            ("param", s.param.is_some()),
        ];
        let descending = s.descending.unwrap_or(false);
        Ok(match t {
            "params" => {
                only(k, t, &present, &["field_param", "order_param"])?;
                Sort::Params {
                    field_param: need(k, t, "field_param", s.field_param)?,
                    order_param: s.order_param,
                    field: need(k, t, "field", s.field)?,
                    descending,
                }
            }
            "json" => {
                only(k, t, &present, &["param"])?;
                Sort::Json { param: need(k, t, "param", s.param)?, field: need(k, t, "field", s.field)?, descending }
            }
            "signed" => {
                only(k, t, &present, &["param"])?;
                Sort::Signed { param: need(k, t, "param", s.param)?, field: need(k, t, "field", s.field)?, descending }
            }
            _ => return Err(unknown(k, t, "params, json, signed")),
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FilterSpec {
    style: String,
    param: Option<String>,
}

impl TryFrom<FilterSpec> for FilterStyle {
    type Error = String;
    fn try_from(s: FilterSpec) -> Result<FilterStyle, String> {
        let (k, t) = ("filter style", s.style.as_str());
        Ok(match t {
            "params" => only(k, t, &[("param", s.param.is_some())], &[]).map(|_| FilterStyle::Params)?,
            "json" => FilterStyle::Json { param: need(k, t, "param", s.param)? },
            _ => return Err(unknown(k, t, "params, json")),
        })
    }
}

/// One thing wrong with a profile, with where it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileError {
    /// JSON path of the offending value, e.g. `resources.customers.collection`.
    pub at: String,
    pub problem: ProfileProblem,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProfileProblem {
    /// Not valid JSON, or not of the expected shape (serde's message).
    Syntax(String),
    Required,
    BadUrl,
    BadPath,
    /// An item path without `{id}`.
    MissingIdPlaceholder,
    OutOfRange {
        min: u32,
        max: u32,
    },
    /// A mapped Kehu field that the model does not have.
    UnknownField,
    NoResources,
    /// Not a valid HTTP header name.
    BadHeader,
    /// `config.json`'s `default` names no profile of the file.
    UnknownProfile,
    /// `config.json` turns the demo off but lists no backend.
    NoProfiles,
    /// A `modified_since` expression without `{since}` (it would ask for the same records on
    /// every pull).
    MissingSincePlaceholder,
    /// A fixed query parameter that Kehu itself sets (pagination, sort, filter).
    ParamTaken,
    /// `write_as` on a field that is not a written `money_major` amount.
    WriteAsMisplaced,
}

impl std::fmt::Display for ProfileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match &self.problem {
            ProfileProblem::Syntax(m) => return write!(f, "{m}"),
            ProfileProblem::Required => "is required".to_string(),
            ProfileProblem::BadUrl => "must be an http:// or https:// URL".to_string(),
            ProfileProblem::BadPath => "is not a valid path".to_string(),
            ProfileProblem::BadHeader => "is not a valid header name".to_string(),
            ProfileProblem::MissingIdPlaceholder => "must contain {id}".to_string(),
            ProfileProblem::OutOfRange { min, max } => format!("must be between {min} and {max}"),
            ProfileProblem::UnknownField => "is not a Kehu field".to_string(),
            ProfileProblem::NoResources => "must describe at least the customers resource".to_string(),
            ProfileProblem::UnknownProfile => "names no profile of this file".to_string(),
            ProfileProblem::NoProfiles => "must list at least one backend when the demo is off".to_string(),
            ProfileProblem::MissingSincePlaceholder => "must contain {since}".to_string(),
            ProfileProblem::ParamTaken => "is a parameter Kehu sets itself (pagination, sort or filter)".to_string(),
            ProfileProblem::WriteAsMisplaced => {
                "applies only to a written field with \"transform\": \"money_major\"".to_string()
            }
        };
        write!(f, "{} {what}", self.at)
    }
}

/// The Kehu fields of each entity (what `FieldMap::kehu` may name).
pub fn kehu_fields(entity: Entity) -> &'static [&'static str] {
    match entity {
        Entity::Customers => &[
            "id",
            "name",
            "short_name",
            "role",
            "industry",
            "region",
            "country",
            "city",
            "address",
            "owner",
            "team",
            "tags",
            "credit_limit",
            "currency",
            "payment_terms_days",
            "potential_annual_spend",
            "parent_id",
            "distributor_of",
            "created_at",
            "updated_at",
            "custom",
        ],
        Entity::Contacts => &[
            "id",
            "customer_id",
            "name",
            "title",
            "department",
            "phone",
            "mobile",
            "email",
            "primary",
            "notes",
            "created_at",
            "updated_at",
        ],
        Entity::Orders => {
            &["id", "customer_id", "date", "amount", "margin", "currency", "status", "lines", "updated_at"]
        }
        Entity::Invoices => {
            &["number", "customer_id", "order_id", "issue_date", "due_date", "amount", "currency", "payments"]
        }
        Entity::Tickets => &[
            "id",
            "customer_id",
            "kind",
            "stage",
            "severity",
            "status",
            "title",
            "description",
            "resolution",
            "order_id",
            "product",
            "assignee",
            "opened_at",
            "sla_due",
            "resolved_at",
            "closed_at",
            "updated_at",
            "photos",
        ],
        Entity::Visits => &[
            "id",
            "customer_id",
            "date",
            "rep",
            "contacts_met",
            "purpose",
            "notes",
            "outcome",
            "next_step",
            "next_step_date",
            "location",
            "updated_at",
        ],
        Entity::Surveys => &["id", "customer_id", "contact_id", "date", "csat", "nps", "comment", "ticket_id"],
        Entity::Plans => &["id", "region", "period", "target", "currency"],
        Entity::Opportunities => &[
            "id",
            "customer_id",
            "title",
            "stage",
            "amount",
            "currency",
            "probability",
            "expected_close",
            "owner",
            "team",
            "contacts",
            "lines",
            "estimated_cost",
            "competitors",
            "source",
            "source_id",
            "next_step",
            "next_step_date",
            "closed_on",
            "lost_reason",
            "lost_note",
            "history",
            "created_at",
            "updated_at",
        ],
        Entity::Tasks => &[
            "id",
            "customer_id",
            "title",
            "related",
            "related_id",
            "owner",
            "due_date",
            "due_time",
            "priority",
            "status",
            "note",
            "amount",
            "currency",
            "promised_on",
            "done_at",
            "created_at",
            "updated_at",
        ],
    }
}

/// Why a Kehu field cannot be written to a backend (the forms show it fixed, with the reason).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fixed {
    /// The backend has no field for it: an explicit mapping without it, or mapped without a
    /// backend path (only a `default`).
    NoField,
    /// The backend sets it: mapped `read_only`.
    SetByBackend,
}

impl Resource {
    /// The only Kehu values of `kehu_field` this backend can store, when its mapping translates
    /// that field's values (BottleCRM's deal stages); `None` when any value is written as it is.
    /// Another value would be written untranslated, and such a backend refuses it.
    pub fn known_values(&self, kehu_field: &str) -> Option<Vec<&str>> {
        let f = self.mapping.fields.iter().find(|f| f.kehu == kehu_field && !f.values.is_empty())?;
        Some(f.values.keys().map(String::as_str).collect())
    }

    /// Whether a Kehu field can be written to this backend (the forms show the others fixed).
    pub fn writable(&self, kehu_field: &str) -> bool {
        self.fixed(kehu_field).is_none()
    }

    /// Why a Kehu field cannot be written to this backend; `None` when it can.
    pub fn fixed(&self, kehu_field: &str) -> Option<Fixed> {
        let top = kehu_field.split('.').next().unwrap_or(kehu_field);
        let mapping = self.mapping.fields.iter().find(|f| f.kehu == kehu_field || f.kehu == top);
        // Written through another field's `write_from`.
        let written_by_another = self.mapping.fields.iter().any(|f| {
            !f.read_only && (f.remote.is_some() || f.write_to.is_some()) && f.write_from.iter().any(|k| k == kehu_field)
        });
        match (self.mapping.base, mapping) {
            _ if written_by_another => None,
            (_, Some(f)) if f.remote.is_none() && f.write_to.is_none() && f.parts.is_empty() => Some(Fixed::NoField),
            (_, Some(f)) if f.read_only => Some(Fixed::SetByBackend),
            (_, Some(_)) | (MappingBase::Identity, None) => None,
            (MappingBase::Explicit, None) => Some(Fixed::NoField),
        }
    }

    pub fn item_path(&self) -> String {
        match &self.item {
            Some(p) => p.clone(),
            None => {
                let c = self.collection.trim_end_matches('/');
                if self.collection.ends_with('/') { format!("{c}/{{id}}/") } else { format!("{c}/{{id}}") }
            }
        }
    }
}

/// Whether a base URL is an `http://` or `https://` URL with a host.
pub fn base_url_ok(url: &str) -> bool {
    let url = url.trim();
    let scheme_ok = url.starts_with("http://") || url.starts_with("https://");
    let host = url.split("://").nth(1).unwrap_or("");
    scheme_ok && !host.is_empty() && !host.starts_with('/') && !url.chars().any(char::is_whitespace)
}

/// The workspace id of the backend a profile of this name and base URL describes: FNV-1a of the
/// base URL (what identifies the data) and the name.
pub fn workspace_id(name: &str, base_url: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in base_url.trim().trim_end_matches('/').to_ascii_lowercase().bytes().chain([0]).chain(name.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("b-{h:016x}")
}

impl Profile {
    /// Parses and validates a profile; every problem is reported, with where it is.
    pub fn parse(json: &str) -> Result<Profile, Vec<ProfileError>> {
        let profile: Profile = serde_json::from_str(json).map_err(|e| {
            vec![ProfileError {
                at: format!("line {}, column {}", e.line(), e.column()),
                problem: ProfileProblem::Syntax(e.to_string()),
            }]
        })?;
        let errors = profile.validate();
        if errors.is_empty() { Ok(profile) } else { Err(errors) }
    }

    pub fn validate(&self) -> Vec<ProfileError> {
        let mut errs = Vec::new();
        let mut push = |at: String, problem| errs.push(ProfileError { at, problem });
        if self.name.trim().is_empty() {
            push("name".into(), ProfileProblem::Required);
        }
        if !base_url_ok(&self.base_url) {
            push("base_url".into(), ProfileProblem::BadUrl);
        }
        if !(1..=600).contains(&self.timeout_secs) {
            push("timeout_secs".into(), ProfileProblem::OutOfRange { min: 1, max: 600 });
        }
        if !(1..=10_000).contains(&self.page_size) {
            push("page_size".into(), ProfileProblem::OutOfRange { min: 1, max: 10_000 });
        }
        if !self.resources.contains_key(&Entity::Customers) {
            push("resources".into(), ProfileProblem::NoResources);
        }
        // Header names must be HTTP tokens (a browser refuses anything else before sending).
        let token =
            |h: &str| !h.is_empty() && h.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        for name in self.headers.keys() {
            if !token(name) {
                push(format!("headers.{name}"), ProfileProblem::BadHeader);
            }
        }
        if let Some(h) = &self.idempotency_header
            && !token(h)
        {
            push("idempotency_header".into(), ProfileProblem::BadHeader);
        }
        match &self.auth {
            Auth::None => {}
            Auth::Bearer { header, .. } | Auth::ApiKey { header } => {
                if !token(header) {
                    push("auth.header".into(), ProfileProblem::BadHeader);
                }
            }
            Auth::Login {
                url,
                token_path,
                refresh_url,
                refresh_token_path,
                header,
                username_field,
                password_field,
                refresh_field,
                ..
            } => {
                if url.trim().is_empty() || url.chars().any(char::is_whitespace) {
                    push("auth.url".into(), ProfileProblem::BadPath);
                }
                if refresh_url.as_deref().is_some_and(|u| u.trim().is_empty() || u.chars().any(char::is_whitespace)) {
                    push("auth.refresh_url".into(), ProfileProblem::BadPath);
                }
                for (at, p) in
                    [("auth.token_path", Some(token_path)), ("auth.refresh_token_path", refresh_token_path.as_ref())]
                {
                    if let Some(p) = p
                        && (p.trim().is_empty() || !path::is_valid(p))
                    {
                        push(at.into(), ProfileProblem::BadPath);
                    }
                }
                for (at, f) in [
                    ("auth.username_field", username_field),
                    ("auth.password_field", password_field),
                    ("auth.refresh_field", refresh_field),
                ] {
                    if f.trim().is_empty() {
                        push(at.into(), ProfileProblem::Required);
                    }
                }
                if !token(header) {
                    push("auth.header".into(), ProfileProblem::BadHeader);
                }
            }
        }
        for (entity, r) in &self.resources {
            let at = |f: &str| format!("resources.{}.{f}", entity.as_str());
            if r.collection.trim().is_empty() {
                push(at("collection"), ProfileProblem::Required);
            } else if r.collection.chars().any(char::is_whitespace) {
                push(at("collection"), ProfileProblem::BadPath);
            }
            if let Some(item) = &r.item
                && !item.contains("{id}")
            {
                push(at("item"), ProfileProblem::MissingIdPlaceholder);
            }
            let mut paths: Vec<(String, &str)> = r.list_items.iter().map(|p| (at("list_items"), p.as_str())).collect();
            paths.push((at("id_field"), r.id_field.as_str()));
            paths.push((at("detail_path"), r.detail_path.as_str()));
            if let Some(v) = &r.version_field {
                paths.push((at("version_field"), v.as_str()));
            }
            if let Some(v) = &r.write_id_path {
                paths.push((at("write_id_path"), v.as_str()));
            }
            match &r.total {
                Total::Body { path } => paths.push((at("total.path"), path.as_str())),
                Total::Sum { paths: ps } => paths.extend(ps.iter().map(|p| (at("total.paths"), p.as_str()))),
                _ => {}
            }
            for (where_, p) in paths {
                if !path::is_valid(p) {
                    push(where_, ProfileProblem::BadPath);
                }
            }
            // Query parameter names and the cursor's place: an empty one would ask for the wrong
            // page or stop after the first one without a word.
            let mut params: Vec<(String, &str)> = Vec::new();
            match &r.pagination {
                Pagination::None => {}
                Pagination::Page { page_param, size_param, .. } => {
                    params.push((at("pagination.page_param"), page_param));
                    params.push((at("pagination.size_param"), size_param));
                }
                Pagination::Offset { offset_param, limit_param, .. } => {
                    params.push((at("pagination.offset_param"), offset_param));
                    params.push((at("pagination.limit_param"), limit_param));
                }
                Pagination::Range { param } => params.push((at("pagination.param"), param)),
                Pagination::Cursor { param, size_param, next_path } => {
                    params.push((at("pagination.param"), param));
                    if let Some(sp) = size_param {
                        params.push((at("pagination.size_param"), sp));
                    }
                    if next_path.trim().is_empty() || !path::is_valid(next_path) {
                        push(at("pagination.next_path"), ProfileProblem::BadPath);
                    }
                }
            }
            match &r.sort {
                None => {}
                Some(Sort::Params { field_param, order_param, field, .. }) => {
                    params.push((at("sort.field_param"), field_param));
                    if let Some(o) = order_param {
                        params.push((at("sort.order_param"), o));
                    }
                    params.push((at("sort.field"), field));
                }
                Some(Sort::Json { param, field, .. } | Sort::Signed { param, field, .. }) => {
                    params.push((at("sort.param"), param));
                    params.push((at("sort.field"), field));
                }
            }
            if let FilterStyle::Json { param } = &r.filter {
                params.push((at("filter.param"), param));
            }
            if let Some(m) = &r.modified_since {
                params.push((at("modified_since.param"), &m.param));
                if m.value.as_ref().is_some_and(|v| !mentions_since(v)) {
                    push(at("modified_since.value"), ProfileProblem::MissingSincePlaceholder);
                }
            }
            // Fixed parameters: named, and not one Kehu sets itself (the request would carry it
            // twice). The sort field is a value, and a `json` filter's names are inside its object.
            let json_filter = matches!(r.filter, FilterStyle::Json { .. });
            let taken: Vec<&str> = params
                .iter()
                .filter(|(w, _)| !(w.ends_with(".sort.field") || json_filter && w.ends_with(".modified_since.param")))
                .map(|(_, name)| name.trim())
                .collect();
            for name in r.query.keys() {
                if name.trim().is_empty() {
                    push(at("query"), ProfileProblem::Required);
                } else if taken.contains(&name.trim()) {
                    push(at(&format!("query.{name}")), ProfileProblem::ParamTaken);
                }
            }
            if let Some(i) = &r.ids_only {
                params.push((at("ids_only.param"), &i.param));
                params.push((at("ids_only.value"), &i.value));
            }
            for (where_, name) in params {
                if name.trim().is_empty() {
                    push(where_, ProfileProblem::Required);
                }
            }
            if r.id_field.trim().is_empty() {
                push(at("id_field"), ProfileProblem::Required);
            }
            let known = kehu_fields(*entity);
            for (i, f) in r.mapping.fields.iter().enumerate() {
                let top = f.kehu.split('.').next().unwrap_or("");
                let custom_ok = f.kehu.strip_prefix("custom.").is_some_and(|k| !k.is_empty());
                if !known.contains(&f.kehu.as_str()) && (top != "custom" || !custom_ok) {
                    push(
                        format!("resources.{}.mapping.fields[{i}].kehu", entity.as_str()),
                        ProfileProblem::UnknownField,
                    );
                }
                for (j, p) in f.read_else.iter().enumerate() {
                    if p.trim().is_empty() || !path::is_valid(p) {
                        push(
                            format!("resources.{}.mapping.fields[{i}].read_else[{j}]", entity.as_str()),
                            ProfileProblem::BadPath,
                        );
                    }
                }
                for (what, p) in [("remote", f.remote.as_ref()), ("write_to", f.write_to.as_ref())] {
                    if let Some(p) = p
                        && (p.trim().is_empty() || !path::is_valid(p))
                    {
                        push(
                            format!("resources.{}.mapping.fields[{i}].{what}", entity.as_str()),
                            ProfileProblem::BadPath,
                        );
                    }
                }
                for (j, k) in f.write_from.iter().enumerate() {
                    if !known.contains(&k.as_str()) {
                        push(
                            format!("resources.{}.mapping.fields[{i}].write_from[{j}]", entity.as_str()),
                            ProfileProblem::UnknownField,
                        );
                    }
                }
                for p in f.read_if.keys() {
                    if p.trim().is_empty() || !path::is_valid(p) {
                        push(
                            format!("resources.{}.mapping.fields[{i}].read_if.{p}", entity.as_str()),
                            ProfileProblem::BadPath,
                        );
                    }
                }
                if f.transform == Transform::PersonName && f.parts.len() != 2 {
                    push(format!("resources.{}.mapping.fields[{i}].parts", entity.as_str()), ProfileProblem::Required);
                }
                // Only an amount that is written has a written form to choose.
                let written = !f.read_only && (f.remote.is_some() || f.write_to.is_some());
                if f.write_as.is_some() && (f.transform != Transform::MoneyMajor || !written) {
                    push(
                        format!("resources.{}.mapping.fields[{i}].write_as", entity.as_str()),
                        ProfileProblem::WriteAsMisplaced,
                    );
                }
            }
        }
        errs
    }

    /// A stable workspace id for this backend: data of two backends never mix.
    pub fn workspace_id(&self) -> String {
        workspace_id(&self.name, &self.base_url)
    }
}
