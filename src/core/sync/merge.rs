//! Three-way, field-level merge of one record: base (what the local edit started from), mine
//! (the local edit) and theirs (the server's current version).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A field both sides changed differently: shown to the user, who picks one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldConflict {
    /// Field name; a custom field is `custom.<key>`.
    pub field: String,
    pub base: Value,
    pub mine: Value,
    pub theirs: Value,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Merge {
    /// The merged record; for a conflicting field it holds theirs until the user decides.
    pub merged: Value,
    pub conflicts: Vec<FieldConflict>,
    /// Fields whose merged value differs from theirs (what an update must send).
    pub changed: Vec<String>,
}

/// Fields the server owns: always taken from theirs, never a conflict.
pub const SERVER_MANAGED: &[&str] = &["created_at", "updated_at"];

/// Merges per field. A field changed on one side only takes that side; changed identically on
/// both sides is fine; changed differently is a conflict. `custom` is merged key by key.
pub fn three_way(base: &Value, mine: &Value, theirs: &Value) -> Merge {
    three_way_known(base, &[], mine, theirs)
}

/// [`three_way`] when earlier writes of mine may have reached the server unconfirmed: `sent`
/// are the versions they sent. A server value equal to the base or to one of them is mine (the
/// server holds what I sent, or nothing new): my current value goes. A server value nobody here
/// sent is someone else's change: it stays when I never touched the field (base, every sent
/// version and mine agree), else it is a conflict.
pub fn three_way_known(base: &Value, sent: &[Value], mine: &Value, theirs: &Value) -> Merge {
    let empty = Map::new();
    let (b, m, t) =
        (base.as_object().unwrap_or(&empty), mine.as_object().unwrap_or(&empty), theirs.as_object().unwrap_or(&empty));
    let s: Vec<&Map<String, Value>> = sent.iter().map(|v| v.as_object().unwrap_or(&empty)).collect();
    let mut merged = t.clone();
    let mut conflicts = Vec::new();
    let mut changed = Vec::new();
    for key in keys(&[b, m, t]) {
        if SERVER_MANAGED.contains(&key.as_str()) {
            continue;
        }
        if key == "custom" {
            let (bc, mc, tc) = (sub(b, &key), sub(m, &key), sub(t, &key));
            let sc: Vec<Map<String, Value>> = s.iter().map(|x| sub(x, &key)).collect();
            let mut out = tc.clone();
            let mut any = false;
            for k in keys(&[&bc, &mc, &tc]) {
                let name = format!("custom.{k}");
                let known: Vec<&Value> = sc.iter().map(|x| norm(x.get(&k))).collect();
                match pick(bc.get(&k), &known, mc.get(&k), tc.get(&k)) {
                    Pick::Theirs => {}
                    Pick::Mine(v) => {
                        set(&mut out, &k, v);
                        any = true;
                    }
                    Pick::Conflict => conflicts.push(conflict(name, bc.get(&k), mc.get(&k), tc.get(&k))),
                }
            }
            if any {
                merged.insert(key.clone(), Value::Object(out));
                changed.push(key);
            }
            continue;
        }
        let known: Vec<&Value> = s.iter().map(|x| norm(x.get(&key))).collect();
        match pick(b.get(&key), &known, m.get(&key), t.get(&key)) {
            Pick::Theirs => {}
            Pick::Mine(v) => {
                set(&mut merged, &key, v);
                changed.push(key);
            }
            Pick::Conflict => conflicts.push(conflict(key.clone(), b.get(&key), m.get(&key), t.get(&key))),
        }
    }
    Merge { merged: Value::Object(merged), conflicts, changed }
}

/// Which side a conflicting field should take.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Mine,
    Theirs,
}

/// Applies the user's choices to a merge's result. Unanswered conflicts keep theirs.
pub fn resolve(merged: &Value, conflicts: &[FieldConflict], choose: impl Fn(&str) -> Side) -> Value {
    let mut out = merged.clone();
    for c in conflicts {
        if choose(&c.field) == Side::Mine {
            let Some(obj) = out.as_object_mut() else { continue };
            match c.field.strip_prefix("custom.") {
                Some(k) => {
                    let entry = obj.entry("custom").or_insert_with(|| Value::Object(Map::new()));
                    if let Some(custom) = entry.as_object_mut() {
                        set(custom, k, c.mine.clone());
                    }
                }
                None => set(obj, &c.field, c.mine.clone()),
            }
        }
    }
    out
}

/// True when the two versions differ in any field the user can change.
pub fn differs(a: &Value, b: &Value) -> bool {
    let empty = Map::new();
    let (a, b) = (a.as_object().unwrap_or(&empty), b.as_object().unwrap_or(&empty));
    keys(&[a, b]).into_iter().any(|k| !SERVER_MANAGED.contains(&k.as_str()) && norm(a.get(&k)) != norm(b.get(&k)))
}

enum Pick {
    Theirs,
    Mine(Value),
    Conflict,
}

fn pick(b: Option<&Value>, sent: &[&Value], m: Option<&Value>, t: Option<&Value>) -> Pick {
    let (b, m, t) = (norm(b), norm(m), norm(t));
    if m == t {
        Pick::Theirs
    } else if t == b || sent.contains(&t) {
        // The server holds the base or a version I sent: my latest value goes.
        Pick::Mine(m.clone())
    } else if m == b && sent.iter().all(|v| *v == b) {
        // Never touched here: the server's change stands.
        Pick::Theirs
    } else {
        Pick::Conflict
    }
}

/// `onto` with every field that differs between `from` and `edited` set to `edited`'s value
/// (`custom` key by key; a field `edited` lacks is removed). A local edit made on `from` moved
/// onto a newer local version `onto`: the user's changes win, the rest of `onto` stays.
pub fn overlay(from: &Value, edited: &Value, onto: &Value) -> Value {
    let empty = Map::new();
    let (f, e) = (from.as_object().unwrap_or(&empty), edited.as_object().unwrap_or(&empty));
    let mut out = onto.as_object().cloned().unwrap_or_default();
    for key in keys(&[f, e]) {
        if key == "custom" {
            let (fc, ec) = (sub(f, &key), sub(e, &key));
            let mut oc = sub(&out, &key);
            let mut any = false;
            for k in keys(&[&fc, &ec]) {
                if norm(fc.get(&k)) != norm(ec.get(&k)) {
                    set(&mut oc, &k, norm(ec.get(&k)).clone());
                    any = true;
                }
            }
            if any {
                out.insert(key, Value::Object(oc));
            }
        } else if norm(f.get(&key)) != norm(e.get(&key)) {
            set(&mut out, &key, norm(e.get(&key)).clone());
        }
    }
    Value::Object(out)
}

/// A missing field and an explicit `null` are the same value.
fn norm(v: Option<&Value>) -> &Value {
    static NULL: Value = Value::Null;
    v.unwrap_or(&NULL)
}

fn set(obj: &mut Map<String, Value>, key: &str, v: Value) {
    if v.is_null() {
        obj.remove(key);
    } else {
        obj.insert(key.to_string(), v);
    }
}

fn sub(obj: &Map<String, Value>, key: &str) -> Map<String, Value> {
    obj.get(key).and_then(Value::as_object).cloned().unwrap_or_default()
}

fn keys(objs: &[&Map<String, Value>]) -> Vec<String> {
    let mut ks: Vec<String> = objs.iter().flat_map(|o| o.keys().cloned()).collect();
    ks.sort();
    ks.dedup();
    ks
}

fn conflict(field: String, b: Option<&Value>, m: Option<&Value>, t: Option<&Value>) -> FieldConflict {
    FieldConflict { field, base: norm(b).clone(), mine: norm(m).clone(), theirs: norm(t).clone() }
}
