//! Requests as values, responses parsed from bytes, for one backend profile.

use super::http::{HttpRequest, HttpResponse, Method, url};
use super::mapping::{from_remote, kehu_field_for, to_remote};
use super::path;
use super::profile::{Auth, FilterStyle, Pagination, Profile, Resource, Sort, Total, UpdateMethod};
use crate::core::lenient::parse_datetime;
use crate::core::model::Entity;
use crate::core::model::Timestamp;
use crate::core::record::Record;
use crate::core::sync::remote::{Cursor, Page, PageRequest, RemoteError};
use serde_json::{Map, Value};

/// What the user supplies at run time (never part of a profile, never in a URL).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Credentials {
    /// The token of `bearer` auth or the key of `api_key` auth.
    pub secret: Option<String>,
    /// Tokens from a login.
    pub session: Option<Tokens>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tokens {
    pub access: String,
    pub refresh: Option<String>,
}

/// A write's answer: the record itself, or only its id (read it back).
// One per write, consumed at once: not worth a box.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Written {
    Record(Record),
    ReadBack(String),
    /// A create the server answered as done without saying which record it made (BottleCRM's
    /// tasks: `{"error": false, "message": "Task Created Successfully"}`), on a resource that does
    /// not keep the id Kehu sends: there is nothing to read back. The sync engine looks for it
    /// by its content in the same run's listing, as for a create whose answer was lost.
    Unidentified,
}

pub fn resource(profile: &Profile, entity: Entity) -> Result<&Resource, RemoteError> {
    profile.resources.get(&entity).ok_or_else(|| RemoteError::Unsupported {
        reason: format!("the backend profile has no {} resource", entity.as_str()),
    })
}

fn headers(profile: &Profile, creds: &Credentials, body: bool) -> Vec<(String, String)> {
    let mut h = vec![("Accept".to_string(), "application/json".to_string())];
    if body {
        h.push(("Content-Type".into(), "application/json".into()));
    }
    for (k, v) in &profile.headers {
        h.push((k.clone(), v.clone()));
    }
    match &profile.auth {
        Auth::None => {}
        Auth::Bearer { header, scheme } => {
            if let Some(t) = creds.secret.as_deref().filter(|t| !t.is_empty()) {
                h.push((header.clone(), join_scheme(scheme, t)));
            }
        }
        Auth::ApiKey { header } => {
            if let Some(t) = creds.secret.as_deref().filter(|t| !t.is_empty()) {
                h.push((header.clone(), t.to_string()));
            }
        }
        Auth::Login { header, scheme, .. } => {
            if let Some(s) = &creds.session {
                h.push((header.clone(), join_scheme(scheme, &s.access)));
            }
        }
    }
    h
}

fn join_scheme(scheme: &str, token: &str) -> String {
    if scheme.is_empty() { token.to_string() } else { format!("{scheme} {token}") }
}

fn json_body(v: &Value) -> Option<Vec<u8>> {
    serde_json::to_vec(v).ok()
}

pub fn list_request(
    profile: &Profile,
    entity: Entity,
    req: &PageRequest,
    creds: &Credentials,
) -> Result<HttpRequest, RemoteError> {
    let res = resource(profile, entity)?;
    let mut q: Vec<(String, String)> = Vec::new();
    let size = req.size.max(1) as u64;
    match &res.pagination {
        Pagination::None => {}
        Pagination::Page { page_param, size_param, first_page } => {
            let p = match req.cursor {
                Cursor::Page(p) => p,
                _ => *first_page,
            };
            q.push((page_param.clone(), p.to_string()));
            q.push((size_param.clone(), size.to_string()));
        }
        Pagination::Offset { offset_param, limit_param, .. } => {
            q.push((offset_param.clone(), offset_of(&req.cursor).to_string()));
            q.push((limit_param.clone(), size.to_string()));
        }
        Pagination::Range { param } => {
            let o = offset_of(&req.cursor);
            q.push((param.clone(), format!("[{},{}]", o, o + size - 1)));
        }
        Pagination::Cursor { param, size_param, .. } => {
            if let Cursor::Token(t) = &req.cursor {
                q.push((param.clone(), t.clone()));
            }
            if let Some(sp) = size_param {
                q.push((sp.clone(), size.to_string()));
            }
        }
    }
    match &res.sort {
        None => {}
        Some(Sort::Params { field_param, order_param, field, descending }) => {
            q.push((field_param.clone(), field.clone()));
            if let Some(op) = order_param {
                q.push((op.clone(), if *descending { "desc" } else { "asc" }.into()));
            }
        }
        Some(Sort::Json { param, field, descending }) => {
            q.push((
                param.clone(),
                Value::from(vec![field.clone(), if *descending { "DESC" } else { "ASC" }.to_string()]).to_string(),
            ));
        }
        Some(Sort::Signed { param, field, descending }) => {
            q.push((param.clone(), if *descending { format!("-{field}") } else { field.clone() }));
        }
    }
    if let (Some(since), Some(ms)) = (&req.modified_since, &res.modified_since) {
        let value = ms.value_for(since);
        match &res.filter {
            FilterStyle::Params => q.push((
                ms.param.clone(),
                match value {
                    Value::String(s) => s,
                    other => other.to_string(),
                },
            )),
            FilterStyle::Json { param } => {
                let mut f = Map::new();
                f.insert(ms.param.clone(), value);
                q.push((param.clone(), Value::Object(f).to_string()));
            }
        }
    }
    if let (true, Some(ids)) = (req.ids_only, &res.ids_only) {
        q.push((ids.param.clone(), ids.value.clone()));
    }
    // The profile's fixed parameters, after Kehu's own.
    q.extend(res.query.iter().map(|(k, v)| (k.trim().to_string(), v.clone())));
    Ok(HttpRequest {
        method: Method::Get,
        url: url(&profile.base_url, &res.collection, None, &q),
        headers: headers(profile, creds, false),
        body: None,
    })
}

fn offset_of(c: &Cursor) -> u64 {
    match c {
        Cursor::Offset(o) => *o,
        _ => 0,
    }
}

/// Turns an error status (or an unusable success) into a typed error; `None` for a usable answer.
pub fn classify(resp: &HttpResponse, now: Timestamp) -> Option<RemoteError> {
    let retry = || {
        resp.header("Retry-After")
            .and_then(|v| crate::core::sync::backoff::parse_retry_after(v, now))
            .map(|d| d.num_seconds())
    };
    let s = resp.status;
    Some(match s {
        200..=299 => return None,
        401 | 403 => RemoteError::Unauthorized { status: s },
        404 | 410 => RemoteError::NotFound,
        409 => RemoteError::Conflict { message: message_of(resp) },
        400 | 422 => RemoteError::Rejected { status: s, message: message_of(resp), fields: field_errors(resp) },
        429 => RemoteError::RateLimited { retry_after_secs: retry() },
        500..=599 => RemoteError::Server { status: s, retry_after_secs: retry() },
        _ => RemoteError::Status { status: s },
    })
}

fn looks_html(resp: &HttpResponse) -> bool {
    resp.header("Content-Type").is_some_and(|c| c.to_ascii_lowercase().contains("text/html"))
        || resp.body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<')
}

/// The JSON body of a successful response.
pub fn json(resp: &HttpResponse) -> Result<Value, RemoteError> {
    if looks_html(resp) {
        return Err(RemoteError::BadResponse {
            reason: format!("the server answered with an HTML page (status {}), not JSON", resp.status),
        });
    }
    serde_json::from_slice(&resp.body).map_err(|e| {
        let what = if e.is_eof() { "truncated JSON" } else { "malformed JSON" };
        RemoteError::BadResponse { reason: format!("{what}: {e}") }
    })
}

fn message_of(resp: &HttpResponse) -> String {
    let Ok(v) = serde_json::from_slice::<Value>(&resp.body) else {
        return String::from_utf8_lossy(&resp.body).chars().take(200).collect();
    };
    for key in ["message", "detail", "error", "title", "error_description"] {
        if let Some(s) = v.get(key).and_then(Value::as_str) {
            return s.to_string();
        }
    }
    v.to_string().chars().take(200).collect()
}

/// `(field, message)` pairs from the usual error shapes: `{"errors": {"f": ["m"]}}`,
/// Django REST framework's `{"f": ["m"]}`, and `{"errors": [{"field": "f", "message": "m"}]}`.
pub fn field_errors(resp: &HttpResponse) -> Vec<(String, String)> {
    let Ok(v) = serde_json::from_slice::<Value>(&resp.body) else { return vec![] };
    // Inside an `errors` envelope a message may be a string; at the top level (DRF) only lists
    // of messages are field errors, so `{"detail": "..."}` is not mistaken for one.
    let (src, enveloped) = match v.get("errors") {
        Some(e) => (e, true),
        None => (&v, false),
    };
    let text = |m: &Value| match m {
        Value::String(s) if enveloped => Some(s.clone()),
        Value::Array(a) => {
            let parts: Vec<String> = a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect();
            (!parts.is_empty()).then(|| parts.join("; "))
        }
        _ => None,
    };
    let mut out = Vec::new();
    match src {
        Value::Object(m) => {
            for (k, val) in m {
                if let Some(t) = text(val) {
                    out.push((k.clone(), t));
                }
            }
        }
        Value::Array(items) => {
            for it in items {
                let f = it.get("field").or_else(|| it.get("path")).or_else(|| it.get("param")).and_then(Value::as_str);
                let m = it.get("message").or_else(|| it.get("msg")).and_then(|m| match m {
                    Value::String(s) => Some(s.clone()),
                    other => text(other),
                });
                if let (Some(f), Some(m)) = (f, m) {
                    out.push((f.to_string(), m));
                }
            }
        }
        _ => {}
    }
    out
}

/// Maps backend field names in a rejection to Kehu's form fields.
pub fn rejected_fields(profile: &Profile, entity: Entity, err: RemoteError) -> RemoteError {
    match (err, profile.resources.get(&entity)) {
        (RemoteError::Rejected { status, message, fields }, Some(res)) => RemoteError::Rejected {
            status,
            message,
            fields: fields.into_iter().map(|(f, m)| (kehu_field_for(res, &f), m)).collect(),
        },
        (e, _) => e,
    }
}

pub fn parse_list(
    profile: &Profile,
    entity: Entity,
    req: &PageRequest,
    resp: &HttpResponse,
    now: Timestamp,
) -> Result<Page, RemoteError> {
    if let Some(e) = classify(resp, now) {
        return Err(e);
    }
    let res = resource(profile, entity)?;
    let body = json(resp)?;
    let mut items: Vec<&Value> = Vec::new();
    let paths: Vec<&str> =
        if res.list_items.is_empty() { vec![""] } else { res.list_items.iter().map(String::as_str).collect() };
    for p in paths {
        match path::get(&body, p) {
            Some(Value::Array(a)) => items.extend(a.iter()),
            Some(Value::Null) | None if !res.list_items.is_empty() => {}
            _ => return Err(RemoteError::BadResponse { reason: format!("no list of records at \"{p}\"") }),
        }
    }
    let items_len = items.len() as u64;
    let mut page = Page::default();
    let mut versions: Vec<String> = Vec::new();
    let ids_only = req.ids_only && res.ids_only.is_some();
    for item in items {
        if ids_only {
            // Only the id: the rest of the record is not there to be read.
            let id = path::get(item, &res.id_field).and_then(|v| match v {
                Value::String(s) if !s.is_empty() => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            });
            page.ids.extend(id);
            continue;
        }
        if let Some(vf) = &res.version_field
            && let Some(v) = path::get(item, vf)
        {
            match v {
                Value::String(s) => versions.push(s.clone()),
                Value::Number(n) => versions.push(n.to_string()),
                _ => {}
            }
        }
        match from_remote(entity, res, item, now) {
            Ok((r, note)) => {
                if !note.is_clean() {
                    page.notes.push(note);
                }
                page.records.push(r);
            }
            Err(b) => page.skipped.push(b),
        }
    }
    page.total = match &res.total {
        Total::None => None,
        Total::Header { name } => resp.header(name).and_then(|v| v.trim().parse().ok()),
        Total::ContentRange => {
            resp.header("Content-Range").and_then(|v| v.rsplit('/').next()).and_then(|t| t.trim().parse().ok())
        }
        Total::Body { path: p } => path::get(&body, p).and_then(Value::as_u64),
        Total::Sum { paths } => {
            let parts: Vec<u64> = paths.iter().filter_map(|p| path::get(&body, p).and_then(Value::as_u64)).collect();
            (!parts.is_empty()).then(|| parts.iter().sum())
        }
    };
    let n = if ids_only { items_len } else { (page.records.len() + page.skipped.len()) as u64 };
    let size = req.size.max(1) as u64;
    let more = |consumed: u64| n > 0 && page.total.map_or(n >= size, |t| consumed < t);
    page.next = match &res.pagination {
        Pagination::None => None,
        Pagination::Page { first_page, .. } => {
            let p = match req.cursor {
                Cursor::Page(p) => p,
                _ => *first_page,
            };
            let consumed = (p.saturating_sub(*first_page)) * size + n;
            more(consumed).then_some(Cursor::Page(p + 1))
        }
        Pagination::Offset { advance_by_page: true, .. } => {
            let consumed = offset_of(&req.cursor) + size;
            more(consumed).then_some(Cursor::Offset(consumed))
        }
        Pagination::Offset { .. } | Pagination::Range { .. } => {
            let consumed = offset_of(&req.cursor) + n;
            more(consumed).then_some(Cursor::Offset(consumed))
        }
        Pagination::Cursor { next_path, .. } => match path::get(&body, next_path) {
            Some(Value::String(s)) if !s.is_empty() && n > 0 => Some(Cursor::Token(s.clone())),
            Some(Value::Number(x)) if n > 0 => Some(Cursor::Token(x.to_string())),
            _ => None,
        },
    };
    page.max_modified = checkpoint_of(&versions);
    Ok(page)
}

/// The incremental checkpoint from a page's modification values. Date-times step back one
/// second and drop fractions, so records changed within the same second as the newest one are
/// fetched again rather than missed (upserts make the overlap harmless).
fn checkpoint_of(values: &[String]) -> Option<String> {
    if values.is_empty() {
        return None;
    }
    if let Some(times) = values.iter().map(|v| parse_datetime(v)).collect::<Option<Vec<_>>>() {
        let max = times.into_iter().max()?;
        return Some((max - chrono::Duration::seconds(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    }
    if let Some(nums) = values.iter().map(|v| v.parse::<u64>().ok()).collect::<Option<Vec<_>>>() {
        return nums.into_iter().max().map(|m| format!("{m:020}"));
    }
    values.iter().max().cloned()
}

pub fn get_request(
    profile: &Profile,
    entity: Entity,
    id: &str,
    creds: &Credentials,
) -> Result<HttpRequest, RemoteError> {
    let res = resource(profile, entity)?;
    Ok(HttpRequest {
        method: Method::Get,
        url: url(&profile.base_url, &res.item_path(), Some(id), &[]),
        headers: headers(profile, creds, false),
        body: None,
    })
}

pub fn parse_get(
    profile: &Profile,
    entity: Entity,
    resp: &HttpResponse,
    now: Timestamp,
) -> Result<Option<Record>, RemoteError> {
    match classify(resp, now) {
        Some(RemoteError::NotFound) => return Ok(None),
        Some(e) => return Err(e),
        None => {}
    }
    let res = resource(profile, entity)?;
    let body = json(resp)?;
    let obj = path::get(&body, &res.detail_path)
        .ok_or_else(|| RemoteError::BadResponse { reason: format!("no record at \"{}\"", res.detail_path) })?;
    from_remote(entity, res, obj, now)
        .map(|(r, _)| Some(r))
        .map_err(|b| RemoteError::BadResponse { reason: format!("unusable record: {}", b.reason) })
}

fn stamp(res: &Resource, body: &mut Value, now: Timestamp) {
    if let (true, Some(vf)) = (res.stamp_writes, &res.version_field) {
        path::set(body, vf, Value::String(now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)));
    }
}

/// A create request with the operation's idempotency key, where the profile names a header
/// for it (the same key on every retry of the same create).
pub fn idempotent(profile: &Profile, mut request: HttpRequest, op_id: &str) -> HttpRequest {
    if let Some(h) = profile.idempotency_header.as_deref().filter(|h| !h.trim().is_empty()) {
        request.headers.push((h.trim().to_string(), op_id.to_string()));
    }
    request
}

pub fn create_request(
    profile: &Profile,
    record: &Record,
    creds: &Credentials,
    now: Timestamp,
) -> Result<HttpRequest, RemoteError> {
    let res = resource(profile, record.entity())?;
    let mut body = to_remote(res, record, None);
    if res.send_id_on_create {
        path::set(&mut body, &res.id_field, Value::String(record.id().to_string()));
    } else if let Some(obj) = body.as_object_mut() {
        obj.remove(&res.id_field);
    }
    stamp(res, &mut body, now);
    Ok(HttpRequest {
        method: Method::Post,
        url: url(&profile.base_url, &res.collection, None, &[]),
        headers: headers(profile, creds, true),
        body: json_body(&body),
    })
}

pub fn update_request(
    profile: &Profile,
    record: &Record,
    changed: &[String],
    creds: &Credentials,
    now: Timestamp,
) -> Result<HttpRequest, RemoteError> {
    let res = resource(profile, record.entity())?;
    let (method, mut body) = match res.update_method {
        UpdateMethod::Put => (Method::Put, to_remote(res, record, None)),
        UpdateMethod::Patch => (Method::Patch, to_remote(res, record, Some(changed))),
    };
    stamp(res, &mut body, now);
    Ok(HttpRequest {
        method,
        url: url(&profile.base_url, &res.item_path(), Some(record.id()), &[]),
        headers: headers(profile, creds, true),
        body: json_body(&body),
    })
}

/// A create or update answer. `id` is the record's id as sent (used when the answer has none).
pub fn parse_write(
    profile: &Profile,
    entity: Entity,
    id: &str,
    resp: &HttpResponse,
    now: Timestamp,
) -> Result<Written, RemoteError> {
    if let Some(e) = classify(resp, now) {
        return Err(rejected_fields(profile, entity, e));
    }
    let res = resource(profile, entity)?;
    if resp.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Written::ReadBack(id.to_string()));
    }
    let body = json(resp)?;
    let new_id = res.write_id_path.as_deref().and_then(|p| path::get(&body, p)).and_then(|v| match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    });
    if res.write_returns_record
        && let Some(obj) = path::get(&body, &res.detail_path).filter(|v| v.is_object())
        && let Ok((r, _)) = from_remote(entity, res, obj, now)
    {
        return Ok(Written::Record(r));
    }
    Ok(Written::ReadBack(new_id.unwrap_or_else(|| id.to_string())))
}

/// A create's answer. `id` is the id Kehu sent (or kept to itself): where the resource keeps
/// it, an answer without an id means that record; where it does not, such an answer names no
/// record ([`Written::Unidentified`]), and reading back Kehu's own id could only find nothing.
pub fn parse_create(
    profile: &Profile,
    entity: Entity,
    id: &str,
    resp: &HttpResponse,
    now: Timestamp,
) -> Result<Written, RemoteError> {
    let written = parse_write(profile, entity, id, resp, now)?;
    let keeps_our_id = resource(profile, entity)?.send_id_on_create;
    Ok(match written {
        Written::ReadBack(back) if back == id && !keeps_our_id => Written::Unidentified,
        other => other,
    })
}

pub fn delete_request(
    profile: &Profile,
    entity: Entity,
    id: &str,
    creds: &Credentials,
) -> Result<HttpRequest, RemoteError> {
    let res = resource(profile, entity)?;
    Ok(HttpRequest {
        method: Method::Delete,
        url: url(&profile.base_url, &res.item_path(), Some(id), &[]),
        headers: headers(profile, creds, false),
        body: None,
    })
}

pub fn parse_delete(resp: &HttpResponse, now: Timestamp) -> Result<(), RemoteError> {
    match classify(resp, now) {
        None => Ok(()),
        Some(e) => Err(e),
    }
}

pub fn login_request(profile: &Profile, username: &str, password: &str) -> Result<HttpRequest, RemoteError> {
    let Auth::Login { url: path, username_field, password_field, .. } = &profile.auth else {
        return Err(RemoteError::Unsupported { reason: "this backend has no login endpoint".into() });
    };
    let mut body = Map::new();
    body.insert(username_field.clone(), Value::String(username.into()));
    body.insert(password_field.clone(), Value::String(password.into()));
    Ok(HttpRequest {
        method: Method::Post,
        url: url(&profile.base_url, path, None, &[]),
        headers: headers(profile, &Credentials::default(), true),
        body: json_body(&Value::Object(body)),
    })
}

pub fn refresh_request(profile: &Profile, refresh: &str) -> Result<HttpRequest, RemoteError> {
    let Auth::Login { refresh_url: Some(path), refresh_field, .. } = &profile.auth else {
        return Err(RemoteError::Unsupported { reason: "this backend cannot refresh tokens".into() });
    };
    let mut body = Map::new();
    body.insert(refresh_field.clone(), Value::String(refresh.into()));
    Ok(HttpRequest {
        method: Method::Post,
        url: url(&profile.base_url, path, None, &[]),
        headers: headers(profile, &Credentials::default(), true),
        body: json_body(&Value::Object(body)),
    })
}

/// Tokens from a login or refresh answer; a refresh that returns no new refresh token keeps the old one.
pub fn parse_tokens(
    profile: &Profile,
    resp: &HttpResponse,
    old_refresh: Option<&str>,
    now: Timestamp,
) -> Result<Tokens, RemoteError> {
    if let Some(e) = classify(resp, now) {
        return Err(e);
    }
    let Auth::Login { token_path, refresh_token_path, .. } = &profile.auth else {
        return Err(RemoteError::Unsupported { reason: "this backend has no login endpoint".into() });
    };
    let body = json(resp)?;
    let access = path::get(&body, token_path)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| RemoteError::BadResponse { reason: format!("no token at \"{token_path}\"") })?;
    let refresh = refresh_token_path
        .as_deref()
        .and_then(|p| path::get(&body, p))
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| old_refresh.map(str::to_string));
    Ok(Tokens { access: access.to_string(), refresh })
}
