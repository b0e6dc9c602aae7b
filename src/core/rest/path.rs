//! Dotted JSON paths: `items`, `data.accounts`, `results.0.id`; empty or `$` is the value itself.

use serde_json::{Map, Value};

fn parts(path: &str) -> impl Iterator<Item = &str> {
    let p = path.trim();
    let p = p.strip_prefix("$.").unwrap_or(p);
    p.split('.').filter(|s| !s.is_empty() && *s != "$")
}

pub fn get<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    let mut v = value;
    for part in parts(path) {
        v = match v {
            Value::Object(m) => m.get(part)?,
            Value::Array(a) => a.get(part.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(v)
}

/// Sets a value, creating intermediate objects. Returns false if a non-object is in the way.
pub fn set(value: &mut Value, path: &str, new: Value) -> bool {
    let keys: Vec<&str> = parts(path).collect();
    let Some((last, init)) = keys.split_last() else {
        *value = new;
        return true;
    };
    let mut v = value;
    for k in init {
        if v.is_null() {
            *v = Value::Object(Map::new());
        }
        let Value::Object(m) = v else { return false };
        v = m.entry(k.to_string()).or_insert(Value::Null);
    }
    if v.is_null() {
        *v = Value::Object(Map::new());
    }
    match v {
        Value::Object(m) => {
            m.insert(last.to_string(), new);
            true
        }
        _ => false,
    }
}

/// A path is well-formed: dot-separated names, no empty parts (or exactly `$`/empty for the root).
pub fn is_valid(path: &str) -> bool {
    let p = path.trim();
    if p.is_empty() || p == "$" {
        return true;
    }
    let p = p.strip_prefix("$.").unwrap_or(p);
    p.split('.').all(|s| !s.is_empty() && !s.chars().any(char::is_whitespace))
}
