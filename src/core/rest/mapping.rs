//! Field mapping between Kehu records and backend records, both as JSON.

use super::path;
use super::profile::{FieldMap, MappingBase, Resource, Transform, WriteAs};
use crate::core::lenient::{self, DataProblem, Issue, Outcome, ReadNote, parse_datetime, value_text};
use crate::core::model::Entity;
use crate::core::model::Timestamp;
use crate::core::money::{Currency, Money};
use crate::core::record::{BadRecord, Record, Unreadable, id_field};
use serde_json::{Map, Value};

/// A backend record → a Kehu record, field by field ([`lenient::read`]): a field that cannot be
/// read is left empty (or given a default) and noted in the [`ReadNote`]; only a value that is
/// not an object or has no id (or a child record naming no customer) is a [`BadRecord`]. `now`
/// is the time of the read: it stands in for times the backend leaves empty.
pub fn from_remote(
    entity: Entity,
    res: &Resource,
    remote: &Value,
    now: Timestamp,
) -> Result<(Record, ReadNote), BadRecord> {
    let remote_id = path::get(remote, &res.id_field).and_then(scalar_text);
    if !remote.is_object() {
        return Err(BadRecord {
            entity,
            id: remote_id,
            why: Unreadable::NotAnObject,
            reason: "not a JSON object".into(),
        });
    }
    let mut kehu = match res.mapping.base {
        MappingBase::Identity => remote.clone(),
        MappingBase::Explicit => Value::Object(Map::new()),
    };
    let mut problems = Vec::new();
    // Fields this answer leaves out that a cached copy keeps (`keep_when_absent`).
    let mut absent: Vec<String> = Vec::new();
    let currency = remote_currency(res, remote);
    if let Some(obj) = kehu.as_object_mut() {
        // Under identity, backend names that are mapped elsewhere do not leak in as Kehu fields.
        if res.mapping.base == MappingBase::Identity {
            for f in &res.mapping.fields {
                if let Some(r) = &f.remote
                    && !r.contains('.')
                    && r != &f.kehu
                    && !res.mapping.fields.iter().any(|g| &g.kehu == r)
                {
                    obj.remove(r.as_str());
                }
            }
        }
        for f in &res.mapping.fields {
            if f.keep_when_absent && f.remote.as_deref().is_some_and(|r| path::get(remote, r).is_none()) {
                absent.push(f.kehu.clone());
            }
            let found = if !read_if_holds(f, remote) {
                None
            } else if f.transform == Transform::PersonName {
                read_person_name(f, remote)
            } else {
                f.remote.iter().chain(&f.read_else).filter_map(|r| path::get(remote, r)).find(|v| !v.is_null()).cloned()
            };
            let value = match found {
                Some(v) if !v.is_null() => match read_value(f, &v, currency) {
                    Ok(x) if !x.is_null() => Some(x),
                    Ok(_) => f.default.clone(),
                    Err(issue) => {
                        // The field costs itself only: the profile's default or nothing, noted.
                        let outcome = if f.default.is_some() { Outcome::Default } else { Outcome::Empty };
                        problems.push(DataProblem { field: f.kehu.clone(), value: value_text(&v), issue, outcome });
                        f.default.clone()
                    }
                },
                _ => f.default.clone(),
            };
            match value {
                Some(v) => set_kehu(obj, &f.kehu, v),
                None => {
                    remove_kehu(obj, &f.kehu);
                }
            }
        }
        // The id from the resource's id field, as text.
        if let Some(id) = &remote_id {
            obj.insert(id_field(entity).into(), Value::String(id.clone()));
        }
    }
    let (record, mut note) = lenient::read(entity, &kehu, problems, now)?;
    // The same way as times the backend leaves empty: the cache keeps its own copy's value there.
    note.first_seen.extend(absent);
    Ok((record, note))
}

/// A Kehu record → a backend record. With `only`, just those Kehu fields (a PATCH body).
pub fn to_remote(res: &Resource, record: &Record, only: Option<&[String]>) -> Value {
    let kehu = record.to_json();
    let empty = Map::new();
    let k = kehu.as_object().unwrap_or(&empty);
    let wanted = |field: &str| only.is_none_or(|o| o.iter().any(|x| x == field || field.starts_with(&format!("{x}."))));
    let mut out = Value::Object(Map::new());
    if res.mapping.base == MappingBase::Identity {
        let mapped: Vec<&str> = res.mapping.fields.iter().map(|f| f.kehu.split('.').next().unwrap_or("")).collect();
        for (key, v) in k {
            if !mapped.contains(&key.as_str()) && wanted(key) {
                path::set(&mut out, key, v.clone());
            }
        }
    }
    for f in &res.mapping.fields {
        if f.read_only || !(wanted(&f.kehu) || f.write_from.iter().any(|x| wanted(x))) {
            continue;
        }
        let v = if f.write_from.is_empty() {
            get_kehu(k, &f.kehu).cloned().unwrap_or(Value::Null)
        } else {
            // The first of the listed Kehu fields that is set.
            f.write_from.iter().filter_map(|x| get_kehu(k, x)).find(|v| !is_unset(v)).cloned().unwrap_or(Value::Null)
        };
        if f.transform == Transform::PersonName {
            write_person_name(f, &v, &mut out);
            continue;
        }
        let Some(target) = f.write_to.as_ref().or(f.remote.as_ref()) else { continue };
        path::set(&mut out, target, write_value(f, &v, k));
    }
    if only.is_none() {
        for (p, v) in &res.mapping.defaults {
            if path::get(&out, p).is_none_or(Value::is_null) {
                path::set(&mut out, p, v.clone());
            }
        }
    }
    out
}

/// The backend field(s) a Kehu field is stored in (for mapping server errors back to form fields).
pub fn kehu_field_for(res: &Resource, remote_field: &str) -> String {
    res.mapping
        .fields
        .iter()
        .find(|f| f.remote.as_deref() == Some(remote_field))
        .map(|f| f.kehu.clone())
        .unwrap_or_else(|| remote_field.to_string())
}

/// A value that does not count as set for `write_from`: null, blank text, an empty list.
fn is_unset(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// Whether the backend record meets the field's `read_if` (every path holds a listed value).
fn read_if_holds(f: &FieldMap, remote: &Value) -> bool {
    f.read_if.iter().all(|(p, allowed)| {
        path::get(remote, p).is_some_and(|v| !v.is_null() && allowed.iter().any(|a| loosely_equal(a, v)))
    })
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn get_kehu<'a>(k: &'a Map<String, Value>, field: &str) -> Option<&'a Value> {
    match field.split_once('.') {
        Some((top, rest)) => k.get(top).and_then(|v| v.get(rest)),
        None => k.get(field),
    }
}

fn set_kehu(obj: &mut Map<String, Value>, field: &str, v: Value) {
    match field.split_once('.') {
        Some((top, rest)) => {
            let e = obj.entry(top.to_string()).or_insert_with(|| Value::Object(Map::new()));
            if let Some(m) = e.as_object_mut() {
                m.insert(rest.to_string(), v);
            }
        }
        None => {
            obj.insert(field.to_string(), v);
        }
    }
}

fn remove_kehu(obj: &mut Map<String, Value>, field: &str) {
    match field.split_once('.') {
        Some((top, rest)) => {
            if let Some(m) = obj.get_mut(top).and_then(Value::as_object_mut) {
                m.remove(rest);
            }
        }
        None => {
            obj.remove(field);
        }
    }
}

fn read_value(f: &FieldMap, v: &Value, currency: Currency) -> Result<Value, Issue> {
    let v = transform_in(f.transform, v, currency)?;
    if v.is_null() || (f.values.is_empty() && f.read_values.is_empty()) {
        return Ok(v);
    }
    if let Some(kehu) = scalar_text(&v).and_then(|t| f.read_values.get(&t)) {
        return Ok(kehu.clone());
    }
    if let Some((kehu, _)) = f.values.iter().find(|(_, remote)| loosely_equal(remote, &v)) {
        return Ok(Value::String(kehu.clone()));
    }
    f.fallback.clone().ok_or(Issue::UnknownValue)
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{ac00}'..='\u{d7af}' | '\u{f900}'..='\u{faff}')
}

/// Given and family name → one name: "李" + "伟" → "李伟"; "Wei" + "Li" → "Wei Li".
fn read_person_name(f: &FieldMap, remote: &Value) -> Option<Value> {
    let part = |i: usize| {
        f.parts
            .get(i)
            .and_then(|p| path::get(remote, p))
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let (given, family) = (part(0), part(1));
    let name = match (given, family) {
        (Some(g), Some(fam)) if g.chars().chain(fam.chars()).any(is_cjk) => format!("{fam}{g}"),
        (Some(g), Some(fam)) => format!("{g} {fam}"),
        (Some(one), None) | (None, Some(one)) => one.to_string(),
        (None, None) => return None,
    };
    Some(Value::String(name))
}

/// One name → given and family name: "李伟" → ("伟", "李"); "Wei Li" → ("Wei", "Li");
/// a single word goes to both (backends often require both).
fn write_person_name(f: &FieldMap, v: &Value, out: &mut Value) {
    let (Some(given_path), Some(family_path)) = (f.parts.first(), f.parts.get(1)) else { return };
    let name = v.as_str().unwrap_or("").trim();
    let (given, family) = if name.chars().next().is_some_and(is_cjk) && !name.contains(' ') {
        let mut chars = name.chars();
        let fam: String = chars.next().map(String::from).unwrap_or_default();
        let rest: String = chars.collect();
        if rest.is_empty() { (fam.clone(), fam) } else { (rest, fam) }
    } else {
        match name.rsplit_once(' ') {
            Some((g, fam)) => (g.trim().to_string(), fam.trim().to_string()),
            None => (name.to_string(), name.to_string()),
        }
    };
    path::set(out, given_path, Value::String(given));
    path::set(out, family_path, Value::String(family));
}

fn write_value(f: &FieldMap, v: &Value, record: &Map<String, Value>) -> Value {
    let mapped = match v.as_str().and_then(|s| f.values.get(s)) {
        Some(remote) => remote.clone(),
        None => v.clone(),
    };
    let out = transform_out(f.transform, &mapped, record);
    match (f.transform, f.write_as) {
        (Transform::MoneyMajor, Some(WriteAs::Number)) => as_number(out),
        _ => out,
    }
}

/// Below 2^53 minor units every amount is exact as a JSON number (an IEEE double); a larger one
/// stays the decimal text rather than be written rounded.
const EXACT_MINOR: u64 = 1 << 53;

/// A written decimal amount (`"1234.50"`) as a JSON number (`1234.5`; a whole amount as an
/// integer, `100`).
fn as_number(v: Value) -> Value {
    let Value::String(text) = &v else { return v };
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    if !digits.parse::<u64>().is_ok_and(|minor| minor < EXACT_MINOR) {
        return v;
    }
    let whole =
        text.split_once('.').map_or(Some(text.as_str()), |(int, frac)| frac.bytes().all(|b| b == b'0').then_some(int));
    match whole.and_then(|w| w.parse::<i64>().ok()) {
        Some(i) => Value::from(i),
        None => text.parse::<serde_json::Number>().map_or(v, Value::Number),
    }
}

/// `"3"` and `3` are the same value in a value map.
fn loosely_equal(a: &Value, b: &Value) -> bool {
    a == b || (scalar_text(a).is_some() && scalar_text(a) == scalar_text(b))
}

/// The currency of a backend record's amounts: its mapped `currency` field (or that field's
/// default), the record's own `currency` under an identity mapping; CNY when it names none.
fn remote_currency(res: &Resource, remote: &Value) -> Currency {
    let code = |v: Option<&Value>| v.and_then(Value::as_str).and_then(Currency::parse);
    match res.mapping.fields.iter().find(|f| f.kehu == "currency") {
        Some(f) => code(f.remote.as_deref().and_then(|r| path::get(remote, r))).or_else(|| code(f.default.as_ref())),
        None if res.mapping.base == MappingBase::Identity => code(remote.get("currency")),
        None => None,
    }
    .unwrap_or(Currency::CNY)
}

/// The currency of a Kehu record's amounts (CNY when it has no currency field).
fn kehu_currency(record: &Map<String, Value>) -> Currency {
    record.get("currency").and_then(Value::as_str).and_then(Currency::parse).unwrap_or(Currency::CNY)
}

/// A backend value in Kehu's terms, amounts in minor units of `currency` (a yen amount
/// `"1000.00"` is 1000; a euro amount 100000). Blank text is nothing (`Null`: the field is missing).
fn transform_in(t: Transform, v: &Value, currency: Currency) -> Result<Value, Issue> {
    let blank = v.as_str().is_some_and(|s| s.trim().is_empty());
    Ok(match t {
        Transform::None => v.clone(),
        Transform::Text => match v {
            Value::String(_) => v.clone(),
            Value::Number(n) => Value::String(n.to_string()),
            _ => return Err(Issue::NotText),
        },
        Transform::MoneyMajor if blank => Value::Null,
        Transform::MoneyMajor => {
            let text = match v {
                Value::String(s) => s.trim().to_string(),
                Value::Number(n) => n.to_string(),
                _ => return Err(Issue::NotAnAmount),
            };
            let m = Money::parse_major(&text, currency)
                .or_else(|_| round_major(&text, currency))
                .map_err(|_| Issue::NotAnAmount)?;
            Value::from(m.minor())
        }
        Transform::Date if blank => Value::Null,
        Transform::Date => {
            let s = v.as_str().ok_or(Issue::NotADate)?;
            let d = s.get(..10).ok_or(Issue::NotADate)?;
            d.parse::<chrono::NaiveDate>().map_err(|_| Issue::NotADate)?;
            Value::String(d.to_string())
        }
        Transform::DateTime if blank => Value::Null,
        Transform::DateTime => {
            let s = v.as_str().ok_or(Issue::NotATime)?;
            Value::String(parse_datetime(s).ok_or(Issue::NotATime)?.to_rfc3339())
        }
        Transform::PersonName => v.clone(),
        Transform::CommaList => match v {
            Value::Array(_) => v.clone(),
            Value::String(s) => Value::Array(
                s.split(',').map(str::trim).filter(|p| !p.is_empty()).map(|p| Value::String(p.into())).collect(),
            ),
            _ => return Err(Issue::NotAList),
        },
        Transform::IdList => match v {
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|x| scalar_text(x).or_else(|| x.get("id").and_then(scalar_text)).map(Value::String))
                    .collect::<Option<Vec<_>>>()
                    .ok_or(Issue::NotAList)?,
            ),
            _ => return Err(Issue::NotAList),
        },
    })
}

/// More decimals than the currency has (e.g. `"12.345"`, or a yen amount `"1000.00"`, from a
/// backend): round half away from zero.
fn round_major(text: &str, currency: Currency) -> Result<Money, ()> {
    let (int, frac) = text.trim().split_once('.').ok_or(())?;
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(());
    }
    let digits = usize::from(currency.minor_digits());
    let kept: String = frac.chars().take(digits).collect::<String>();
    let next = frac.chars().nth(digits).and_then(|c| c.to_digit(10)).unwrap_or(0);
    let kept_text = if kept.is_empty() { int.to_string() } else { format!("{int}.{kept}") };
    let base = Money::parse_major(&kept_text, currency).map_err(|_| ())?;
    let bump = if next >= 5 { if base.minor() < 0 || int.starts_with('-') { -1 } else { 1 } } else { 0 };
    Ok(Money(base.minor().saturating_add(bump)))
}

fn transform_out(t: Transform, v: &Value, record: &Map<String, Value>) -> Value {
    match (t, v) {
        (Transform::MoneyMajor, Value::Number(n)) => match n.as_i64() {
            Some(minor) => Value::String(Money(minor).format_plain(kehu_currency(record)).replace(',', "")),
            None => v.clone(),
        },
        (Transform::CommaList, Value::Array(items)) => {
            Value::String(items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(","))
        }
        _ => v.clone(),
    }
}
