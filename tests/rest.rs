//! The REST layer without a network: profiles and their validation, requests as values,
//! responses parsed from bytes (every error shape), field mapping, and a property test that no
//! response parser panics on arbitrary bytes or JSON.
// Tests: a panic is the test failing; tables of cases have long tuple types.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

use chrono::{TimeZone, Utc};
use kehu::core::model::Entity;
use kehu::core::model::*;
use kehu::core::record::Record;
use kehu::core::rest::api::{self, Credentials, Tokens, Written};
use kehu::core::rest::http::{HttpResponse, Method};
use kehu::core::rest::mapping::{from_remote, to_remote};
use kehu::core::rest::presets;
use kehu::core::rest::probe::{self, ProbeProblem, ProbeRead, Unmatched};
use kehu::core::rest::profile::*;
use kehu::core::sync::remote::{Cursor, PageRequest, RemoteError};
use proptest::prelude::*;
use serde_json::{Value, json};

fn now() -> Timestamp {
    Utc.with_ymd_and_hms(2026, 11, 1, 8, 0, 0).unwrap()
}

fn resp(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
    HttpResponse {
        status,
        headers: headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        body: body.as_bytes().to_vec(),
    }
}

fn js() -> Profile {
    presets::profile("json-server", Some("http://127.0.0.1:3000")).unwrap()
}

fn customer_json(id: &str, name: &str) -> Value {
    json!({"id": id, "name": name, "role": "oem", "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-10-01T08:00:00.250Z"})
}

fn req(cursor: Cursor, size: u32) -> PageRequest {
    PageRequest { cursor, size, modified_since: None, ids_only: false }
}

#[test]
fn presets_parse_and_validate() {
    let mut ids = std::collections::BTreeSet::new();
    for preset in presets::PRESETS {
        let id = preset.id;
        let p = Profile::parse(preset.json).unwrap_or_else(|e| panic!("{id}: {e:?}"));
        assert_eq!(p.preset.as_deref(), Some(id));
        assert!(p.resources.contains_key(&Entity::Customers), "{id}");
        assert!(!preset.label.trim().is_empty(), "{id} has a label for Settings");
        assert!(ids.insert(id), "{id} is listed once");
    }
    // Every preset file is in the table (the table is what Settings offers).
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/core/rest/presets");
    for file in std::fs::read_dir(dir).unwrap().flatten() {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(file.path()).unwrap()).unwrap();
        let id = v["preset"].as_str().unwrap_or_default().to_string();
        assert!(ids.contains(id.as_str()), "{:?} (preset {id:?}) is in presets::PRESETS", file.path());
    }
    let a = js();
    let mut b = js();
    b.base_url = "http://127.0.0.1:3001".into();
    assert_ne!(a.workspace_id(), b.workspace_id(), "two backends, two workspaces");
    let mut c = js();
    c.base_url = "HTTP://127.0.0.1:3000/".into();
    assert_eq!(a.workspace_id(), c.workspace_id(), "the same backend spelled differently");
}

#[test]
fn profile_errors_say_where_and_what() {
    let good = presets::json("json-server").unwrap();
    let mut v: Value = serde_json::from_str(good).unwrap();
    type Edit = fn(&mut Value);
    let cases: Vec<(&str, Edit, &str, ProfileProblem)> = vec![
        ("blank name", |v| v["name"] = json!(" "), "name", ProfileProblem::Required),
        ("ftp url", |v| v["base_url"] = json!("ftp://x"), "base_url", ProfileProblem::BadUrl),
        ("no host", |v| v["base_url"] = json!("http://"), "base_url", ProfileProblem::BadUrl),
        (
            "timeout 0",
            |v| v["timeout_secs"] = json!(0),
            "timeout_secs",
            ProfileProblem::OutOfRange { min: 1, max: 600 },
        ),
        (
            "no customers",
            |v| {
                v["resources"].as_object_mut().unwrap().remove("customers");
            },
            "resources",
            ProfileProblem::NoResources,
        ),
        (
            "item without id",
            |v| v["resources"]["orders"]["item"] = json!("/orders/x"),
            "resources.orders.item",
            ProfileProblem::MissingIdPlaceholder,
        ),
        (
            "bad path",
            |v| v["resources"]["customers"]["list_items"] = json!(["data..items"]),
            "resources.customers.list_items",
            ProfileProblem::BadPath,
        ),
        (
            "unknown kehu field",
            |v| v["resources"]["customers"]["mapping"] = json!({"fields": [{"kehu": "colour", "remote": "c"}]}),
            "resources.customers.mapping.fields[0].kehu",
            ProfileProblem::UnknownField,
        ),
        (
            "empty cursor place",
            |v| v["resources"]["customers"]["pagination"] = json!({"style": "cursor", "param": "c", "next_path": ""}),
            "resources.customers.pagination.next_path",
            ProfileProblem::BadPath,
        ),
        (
            "empty page parameter",
            |v| {
                v["resources"]["customers"]["pagination"] =
                    json!({"style": "page", "page_param": "", "size_param": "n"})
            },
            "resources.customers.pagination.page_param",
            ProfileProblem::Required,
        ),
        (
            "empty sort field",
            |v| v["resources"]["customers"]["sort"] = json!({"style": "signed", "param": "ordering", "field": ""}),
            "resources.customers.sort.field",
            ProfileProblem::Required,
        ),
        (
            "empty modified-since",
            |v| v["resources"]["customers"]["modified_since"] = json!({"param": " "}),
            "resources.customers.modified_since.param",
            ProfileProblem::Required,
        ),
        (
            "modified-since expression without the checkpoint",
            |v| v["resources"]["customers"]["modified_since"] = json!({"param": "or", "value": "(updated_at.is.null)"}),
            "resources.customers.modified_since.value",
            ProfileProblem::MissingSincePlaceholder,
        ),
        (
            "fixed parameter without a name",
            |v| v["resources"]["customers"]["query"] = json!({" ": "total_count"}),
            "resources.customers.query",
            ProfileProblem::Required,
        ),
        (
            "fixed parameter Kehu sets itself",
            |v| v["resources"]["customers"]["query"] = json!({"_limit": "5"}),
            "resources.customers.query._limit",
            ProfileProblem::ParamTaken,
        ),
        (
            "write_as on a field that is not money",
            |v| {
                v["resources"]["customers"]["mapping"] =
                    json!({"fields": [{"kehu": "city", "remote": "town", "write_as": "number"}]})
            },
            "resources.customers.mapping.fields[0].write_as",
            ProfileProblem::WriteAsMisplaced,
        ),
        (
            "write_as on an amount that is never written",
            |v| {
                v["resources"]["customers"]["mapping"] = json!({"fields": [
                    {"kehu": "credit_limit", "remote": "limit", "transform": "money_major", "write_as": "number", "read_only": true}
                ]})
            },
            "resources.customers.mapping.fields[0].write_as",
            ProfileProblem::WriteAsMisplaced,
        ),
        (
            "header with a space",
            |v| v["headers"] = json!({"X Tenant": "acme"}),
            "headers.X Tenant",
            ProfileProblem::BadHeader,
        ),
        (
            "idempotency header",
            |v| v["idempotency_header"] = json!("Idem:Key"),
            "idempotency_header",
            ProfileProblem::BadHeader,
        ),
        (
            "login without a token place",
            |v| v["auth"] = json!({"type": "login", "url": "/login", "token_path": ""}),
            "auth.token_path",
            ProfileProblem::BadPath,
        ),
        (
            "login with a blank url",
            |v| v["auth"] = json!({"type": "login", "url": " ", "token_path": "access"}),
            "auth.url",
            ProfileProblem::BadPath,
        ),
    ];
    for (name, edit, at, problem) in cases {
        let mut x = v.clone();
        edit(&mut x);
        let errs = Profile::parse(&x.to_string()).expect_err(name);
        assert!(errs.iter().any(|e| e.at == at && e.problem == problem), "{name}: {errs:?}");
    }
    // What is allowed: a fixed parameter of its own, an expression with the checkpoint, and a
    // written amount as a number.
    let mut ok = v.clone();
    ok["resources"]["customers"]["query"] = json!({"meta": "total_count"});
    ok["resources"]["customers"]["modified_since"] =
        json!({"param": "or", "value": "(updated_at.gte.{since},updated_at.is.null)"});
    ok["resources"]["orders"]["mapping"] =
        json!({"fields": [{"kehu": "amount", "remote": "total", "transform": "money_major", "write_as": "number"}]});
    assert_eq!(Profile::parse(&ok.to_string()).err(), None);
    ok["resources"]["orders"]["mapping"]["fields"][0]["write_as"] = json!("decimal");
    let errs = Profile::parse(&ok.to_string()).unwrap_err();
    assert!(errs[0].to_string().contains("decimal"), "an unknown write_as is named: {}", errs[0]);
    // Custom fields may be mapped; syntax errors point at the line.
    v["resources"]["customers"]["mapping"] = json!({"fields": [{"kehu": "custom.erp_code", "remote": "erp"}]});
    assert!(Profile::parse(&v.to_string()).is_ok());
    let errs = Profile::parse("{\n  \"name\": \"x\",\n  \"base_url\": 5\n}").unwrap_err();
    assert!(matches!(errs[0].problem, ProfileProblem::Syntax(_)) && errs[0].at.starts_with("line 3"), "{errs:?}");
    let errs = Profile::parse(r#"{"name":"x","base_url":"http://h","resources":{},"colour":1}"#).unwrap_err();
    assert!(errs[0].to_string().contains("colour"), "unknown keys are named: {}", errs[0]);
}

/// The tagged settings (`auth`, `total`, `pagination`, `sort`, `filter`): every variant reads
/// with its defaults; a field of another variant, a missing field and an unknown tag are errors
/// that name what is wrong.
#[test]
fn tagged_settings_read_every_variant_and_refuse_strays() {
    let with = |key: &str, value: Value| {
        let mut v: Value = serde_json::from_str(presets::json("json-server").unwrap()).unwrap();
        if key == "auth" {
            v["auth"] = value;
        } else {
            v["resources"]["customers"][key] = value;
        }
        Profile::parse(&v.to_string())
    };
    let ok: Vec<(&str, Value)> = vec![
        ("auth", json!({"type": "none"})),
        ("auth", json!({"type": "bearer"})),
        ("auth", json!({"type": "api_key", "header": "X-Api-Key"})),
        (
            "auth",
            json!({"type": "login", "url": "/auth/login", "token_path": "access", "refresh_url": "/auth/refresh", "refresh_token_path": "refresh"}),
        ),
        ("total", json!({"from": "none"})),
        ("total", json!({"from": "header", "name": "X-Total-Count"})),
        ("total", json!({"from": "content_range"})),
        ("total", json!({"from": "body", "path": "meta.total"})),
        ("total", json!({"from": "sum", "paths": ["a.n", "b.n"]})),
        ("pagination", json!({"style": "none"})),
        ("pagination", json!({"style": "page", "page_param": "page", "size_param": "size"})),
        (
            "pagination",
            json!({"style": "offset", "offset_param": "offset", "limit_param": "limit", "advance_by_page": true}),
        ),
        ("pagination", json!({"style": "range"})),
        ("pagination", json!({"style": "cursor", "param": "after", "next_path": "meta.next"})),
        ("sort", json!({"style": "params", "field_param": "_sort", "order_param": "_order", "field": "id"})),
        ("sort", json!({"style": "json", "param": "sort", "field": "id", "descending": true})),
        ("sort", json!({"style": "signed", "param": "ordering", "field": "id"})),
        ("filter", json!({"style": "params"})),
        ("filter", json!({"style": "json", "param": "filter"})),
    ];
    for (key, value) in ok {
        let p = with(key, value.clone()).unwrap_or_else(|e| panic!("{key} {value}: {e:?}"));
        // What was read writes back as the same tagged JSON (the tag names the variant).
        let back = serde_json::to_value(&p).unwrap();
        let written = if key == "auth" { &back["auth"] } else { &back["resources"]["customers"][key] };
        let tag = value.as_object().unwrap().iter().next().map(|(k, v)| (k.clone(), v.clone())).unwrap();
        assert_eq!(written[&tag.0], tag.1, "{key} {value} → {written}");
    }
    let p = with("auth", json!({"type": "login", "url": "/auth/login", "token_path": "access"})).unwrap();
    assert!(
        matches!(p.auth, Auth::Login { ref username_field, ref header, ref scheme, .. }
        if username_field == "username" && header == "Authorization" && scheme == "Bearer"),
        "defaults: {:?}",
        p.auth
    );
    let p = with("pagination", json!({"style": "page", "page_param": "p", "size_param": "s"})).unwrap();
    assert_eq!(
        p.resources[&Entity::Customers].pagination,
        Pagination::Page { page_param: "p".into(), size_param: "s".into(), first_page: 1 }
    );

    let bad: Vec<(&str, Value, &str)> = vec![
        ("auth", json!({"type": "bearer", "token_path": "t"}), "has no field `token_path`"),
        ("auth", json!({"type": "api_key"}), "needs the field `header`"),
        ("auth", json!({"type": "oauth"}), "unknown auth type \"oauth\""),
        ("auth", json!({"type": "none", "colour": 1}), "colour"),
        ("total", json!({"from": "header"}), "needs the field `name`"),
        ("total", json!({"from": "body", "name": "x", "path": "n"}), "has no field `name`"),
        ("pagination", json!({"style": "offset", "offset_param": "o"}), "needs the field `limit_param`"),
        (
            "pagination",
            json!({"style": "page", "page_param": "p", "size_param": "s", "next_path": "n"}),
            "has no field `next_path`",
        ),
        ("pagination", json!({"style": "pages"}), "unknown pagination style"),
        ("sort", json!({"style": "json", "param": "sort"}), "needs the field `field`"),
        ("filter", json!({"style": "params", "param": "f"}), "has no field `param`"),
        ("filter", json!({"style": "json"}), "needs the field `param`"),
    ];
    for (key, value, says) in bad {
        let errs = with(key, value.clone()).expect_err(&value.to_string());
        assert!(matches!(errs[0].problem, ProfileProblem::Syntax(_)), "{value}: {errs:?}");
        assert!(errs[0].to_string().contains(says), "{value}: {} should say {says}", errs[0]);
    }
}

#[test]
fn deployment_config_presets_profiles() {
    use kehu::core::rest::config::DeploymentConfig;
    let profile = serde_json::from_str::<Value>(presets::json("json-server").unwrap()).unwrap();
    let mut acme = profile.clone();
    acme["name"] = json!("Acme CRM");
    acme["base_url"] = json!("https://crm.acme.example/api");
    // No file, an empty file: nothing preset, the demo offered.
    assert_eq!(DeploymentConfig::parse(b"").unwrap(), DeploymentConfig::none());
    assert!(DeploymentConfig::parse(b"  \n").unwrap().demo);
    let c = DeploymentConfig::parse(
        json!({"profiles": [profile, acme], "default": "Acme CRM", "demo": false}).to_string().as_bytes(),
    )
    .unwrap();
    assert_eq!((c.profiles.len(), c.default, c.demo), (2, Some(1), false));
    assert_eq!(c.profiles[1].base_url(), "https://crm.acme.example/api");
    // The workspace is named from the file without parsing the whole profile, the same as the
    // parsed profile names it.
    assert_eq!(c.profiles[1].workspace_id(), Profile::parse(&acme.to_string()).unwrap().workspace_id());
    assert_eq!(c.profiles[1].parse().unwrap().name, "Acme CRM");
    assert!(c.check().is_empty());
    let c = DeploymentConfig::parse(json!({"profiles": [acme]}).to_string().as_bytes()).unwrap();
    assert_eq!((c.default, c.demo), (None, true));

    let with = |k: &str, v: Value| {
        let mut p = acme.clone();
        p[k] = v;
        p
    };
    // (config, where, problem, found by `parse` at start-up (else by `check`, later))
    let cases: Vec<(Value, &str, ProfileProblem, bool)> = vec![
        (
            json!({"profiles": [with("base_url", json!("ftp://x"))]}),
            "profiles[0].base_url",
            ProfileProblem::BadUrl,
            true,
        ),
        (json!({"profiles": [with("base_url", json!(7))]}), "profiles[0].base_url", ProfileProblem::BadUrl, true),
        (json!({"profiles": [with("name", json!(" "))]}), "profiles[0].name", ProfileProblem::Required, true),
        (
            json!({"profiles": [acme, 3]}),
            "profiles[1]",
            ProfileProblem::Syntax("expected a profile (a JSON object)".into()),
            true,
        ),
        (json!({"profiles": [acme], "default": "Other"}), "default", ProfileProblem::UnknownProfile, true),
        (json!({"demo": false}), "profiles", ProfileProblem::NoProfiles, true),
        (
            json!({"profiles": [acme, with("timeout_secs", json!(0))]}),
            "profiles[1].timeout_secs",
            ProfileProblem::OutOfRange { min: 1, max: 600 },
            false,
        ),
        (
            json!({"profiles": [with("resources", json!({}))]}),
            "profiles[0].resources",
            ProfileProblem::NoResources,
            false,
        ),
    ];
    for (v, at, problem, at_start) in cases {
        let found = match DeploymentConfig::parse(v.to_string().as_bytes()) {
            Err(errs) => {
                assert!(at_start, "{v}: refused at start-up: {errs:?}");
                errs
            }
            Ok(c) => {
                assert!(!at_start, "{v}: not refused at start-up");
                c.check()
            }
        };
        assert!(found.iter().any(|e| e.at == at && e.problem == problem), "{v}: {found:?}");
    }
    for text in ["{", "[]", r#"{"profile": []}"#, "<html>404</html>"] {
        let errs = DeploymentConfig::parse(text.as_bytes()).expect_err(text);
        assert!(matches!(errs[0].problem, ProfileProblem::Syntax(_)), "{text}: {errs:?}");
    }
}

#[test]
fn a_profile_ref_is_stored_as_the_profile_and_parsed_on_demand() {
    use kehu::core::rest::config::ProfileRef;
    let p = presets::profile("json-server", Some("https://crm.example/api")).unwrap();
    let r = ProfileRef::of(&p);
    // Stored as the profile's JSON itself: a device's choice remembered by an older build
    // (which stored the parsed profile) reads the same.
    let text = serde_json::to_string(&r).unwrap();
    assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), serde_json::to_value(&p).unwrap());
    let back: ProfileRef = serde_json::from_str(&text).unwrap();
    assert_eq!(back, r);
    assert_eq!(back.parse().unwrap(), p);
    assert_eq!((back.name(), back.base_url()), (p.name.as_str(), p.base_url.as_str()));
    assert_eq!(back.workspace_id(), p.workspace_id());
    // Without a usable name or URL it is refused as a whole.
    for bad in [json!({"base_url": "https://x.example"}), json!({"name": "A", "base_url": "ftp://x"}), json!([1])] {
        assert!(serde_json::from_value::<ProfileRef>(bad.clone()).is_err(), "{bad}");
    }
    // Other mistakes are found when it is parsed, with where they are.
    let mut v = serde_json::to_value(&p).unwrap();
    v["page_size"] = json!(0);
    let r: ProfileRef = serde_json::from_value(v).unwrap();
    assert!(r.parse().unwrap_err().iter().any(|e| e.at == "page_size"), "{:?}", r.parse());
}

#[test]
fn backend_date_times_in_common_forms() {
    use kehu::core::lenient::parse_datetime;
    let at =
        |y, mo, d, h, mi, s, ms| Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap() + chrono::Duration::milliseconds(ms);
    let cases = [
        ("2026-10-01T08:00:00Z", Some(at(2026, 10, 1, 8, 0, 0, 0))),
        ("2026-10-01T08:00:00.250Z", Some(at(2026, 10, 1, 8, 0, 0, 250))),
        ("2026-10-01T16:00:00+08:00", Some(at(2026, 10, 1, 8, 0, 0, 0))),
        ("2026-10-01 08:00:00", Some(at(2026, 10, 1, 8, 0, 0, 0))),
        ("2026-10-01 08:00:00.5", Some(at(2026, 10, 1, 8, 0, 0, 500))),
        ("2026-10-01T08:00:00", Some(at(2026, 10, 1, 8, 0, 0, 0))),
        (" 2026-10-01 ", Some(at(2026, 10, 1, 0, 0, 0, 0))),
        ("2026-13-01", None),
        ("yesterday", None),
        ("", None),
    ];
    for (text, want) in cases {
        assert_eq!(parse_datetime(text), want, "{text:?}");
    }
}

#[test]
fn search_folds_case_of_the_scripts_customers_use() {
    use kehu::core::text::fold;
    let cases = [
        ("Northwind GmbH", "northwind gmbh"),
        ("DÜSSELDORF", "düsseldorf"),
        ("ÀÉÎÕÜ × Þ", "àéîõü × þ"),
        ("ŁÓDŹ ŚWIĘTY", "łódź święty"),
        ("ΑΘΗΝΑ", "αθηνα"),
        ("МОСКВА Ёлка", "москва ёлка"),
        ("ＡＢＣ精工", "ａｂｃ精工"),
        ("杭州精工机床", "杭州精工机床"),
        ("Ÿ", "ÿ"),
    ];
    for (input, want) in cases {
        assert_eq!(fold(input), want, "{input}");
    }
}

#[test]
fn list_requests_for_every_pagination_style() {
    let mut p = js();
    p.headers.insert("X-Tenant".into(), "acme".into());
    let r = api::list_request(&p, Entity::Customers, &req(Cursor::Page(3), 50), &Credentials::default()).unwrap();
    assert_eq!(r.method, Method::Get);
    assert_eq!(r.url, "http://127.0.0.1:3000/customers?_page=3&_limit=50&_sort=id&_order=asc");
    assert_eq!(r.header("x-tenant"), Some("acme"));
    assert_eq!(r.header("Authorization"), None);
    let r = api::list_request(
        &p,
        Entity::Customers,
        &PageRequest {
            cursor: Cursor::Start,
            size: 10,
            modified_since: Some("2026-10-01T08:00:00Z".into()),
            ids_only: false,
        },
        &Credentials::default(),
    )
    .unwrap();
    assert!(
        r.url.ends_with("_page=1&_limit=10&_sort=id&_order=asc&updated_at_gte=2026-10-01T08%3A00%3A00Z"),
        "{}",
        r.url
    );

    let sr = presets::profile("simple-rest", None).unwrap();
    let creds = Credentials { secret: Some("s3cret".into()), session: None };
    let r = api::list_request(&sr, Entity::Orders, &req(Cursor::Offset(100), 25), &creds).unwrap();
    assert_eq!(r.url, "https://crm.example.com/api/orders?range=%5B100%2C124%5D&sort=%5B%22id%22%2C%22ASC%22%5D");
    assert_eq!(r.header("Authorization"), Some("Bearer s3cret"));

    let mut off = js();
    let res = off.resources.get_mut(&Entity::Contacts).unwrap();
    res.pagination =
        Pagination::Offset { offset_param: "offset".into(), limit_param: "limit".into(), advance_by_page: false };
    res.sort = Some(Sort::Signed { param: "ordering".into(), field: "created_at".into(), descending: true });
    res.collection = "/api/contacts/".into();
    let r = api::list_request(&off, Entity::Contacts, &req(Cursor::Start, 20), &Credentials::default()).unwrap();
    assert_eq!(r.url, "http://127.0.0.1:3000/api/contacts/?offset=0&limit=20&ordering=-created_at");
    assert_eq!(res_item(&off, Entity::Contacts), "/api/contacts/{id}/", "trailing slash kept for items");
    assert!(api::list_request(&off, Entity::Plans, &req(Cursor::Start, 1), &Credentials::default()).is_ok());
    let mut none = js();
    none.resources.remove(&Entity::Plans);
    assert!(matches!(
        api::list_request(&none, Entity::Plans, &req(Cursor::Start, 1), &Credentials::default()),
        Err(RemoteError::Unsupported { .. })
    ));
}

/// Fixed query parameters go on every list request (after Kehu's own), never on item requests.
#[test]
fn fixed_query_parameters_go_on_lists_only() {
    let mut p = js();
    let res = p.resources.get_mut(&Entity::Customers).unwrap();
    res.query.insert("meta".into(), "total_count".into());
    res.query.insert("with".into(), "a b&c".into());
    let none = Credentials::default();
    let since = PageRequest {
        cursor: Cursor::Page(2),
        size: 10,
        modified_since: Some("2026-10-01T08:00:00Z".into()),
        ids_only: false,
    };
    let cases: Vec<(&str, Entity, PageRequest, &str)> = vec![
        (
            "first page",
            Entity::Customers,
            req(Cursor::Start, 10),
            "http://127.0.0.1:3000/customers?_page=1&_limit=10&_sort=id&_order=asc&meta=total_count&with=a%20b%26c",
        ),
        (
            "a later page, incremental",
            Entity::Customers,
            since,
            "http://127.0.0.1:3000/customers?_page=2&_limit=10&_sort=id&_order=asc&updated_at_gte=2026-10-01T08%3A00%3A00Z&meta=total_count&with=a%20b%26c",
        ),
        (
            "another resource has its own",
            Entity::Contacts,
            req(Cursor::Start, 10),
            "http://127.0.0.1:3000/contacts?_page=1&_limit=10&_sort=id&_order=asc",
        ),
    ];
    for (name, entity, r, want) in cases {
        assert_eq!(api::list_request(&p, entity, &r, &none).unwrap().url, want, "{name}");
    }
    let rec = Record::Customers(serde_json::from_value(customer_json("C1", "Acme")).unwrap());
    let item_urls = [
        api::get_request(&p, Entity::Customers, "C1", &none).unwrap().url,
        api::update_request(&p, &rec, &["name".to_string()], &none, now()).unwrap().url,
        api::delete_request(&p, Entity::Customers, "C1", &none).unwrap().url,
        api::create_request(&p, &rec, &none, now()).unwrap().url,
    ];
    for u in item_urls {
        assert!(!u.contains("meta="), "item reads and writes go without them: {u}");
    }
    // Written in the profile JSON, and kept when the profile is written back out.
    let text = serde_json::to_string(&p).unwrap();
    assert_eq!(
        Profile::parse(&text).unwrap().resources[&Entity::Customers].query,
        p.resources[&Entity::Customers].query
    );
}

/// `modified_since` as one parameter, or as an expression with `{since}`, in both filter styles.
#[test]
fn modified_since_expressions_in_both_filter_styles() {
    let since = "2026-10-01T08:00:00Z";
    let ask = PageRequest { cursor: Cursor::Start, size: 10, modified_since: Some(since.into()), ids_only: false };
    let plain = PageRequest { cursor: Cursor::Start, size: 10, modified_since: None, ids_only: false };
    let json_filter = FilterStyle::Json { param: "filter".into() };
    type Case = (&'static str, FilterStyle, Value, &'static str);
    let cases: Vec<Case> = vec![
        (
            "params, one parameter",
            FilterStyle::Params,
            json!({"param": "updated_at_gte"}),
            "updated_at_gte=2026-10-01T08%3A00%3A00Z",
        ),
        (
            "params, an expression",
            FilterStyle::Params,
            json!({"param": "or", "value": "(updated_at.gte.{since},updated_at.is.null)"}),
            "or=%28updated_at.gte.2026-10-01T08%3A00%3A00Z%2Cupdated_at.is.null%29",
        ),
        (
            "params, a JSON expression sent as its text",
            FilterStyle::Params,
            json!({"param": "where", "value": {"$or": [{"updated": {"$gte": "{since}"}}, {"updated": null}]}}),
            "where=%7B%22%24or%22%3A%5B%7B%22updated%22%3A%7B%22%24gte%22%3A%222026-10-01T08%3A00%3A00Z%22%7D%7D%2C%7B%22updated%22%3Anull%7D%5D%7D",
        ),
        (
            "json, one parameter",
            json_filter.clone(),
            json!({"param": "updated_at_gte"}),
            "filter=%7B%22updated_at_gte%22%3A%222026-10-01T08%3A00%3A00Z%22%7D",
        ),
        (
            "json, an expression",
            json_filter.clone(),
            json!({"param": "q", "value": "updated_at >= '{since}' or updated_at is null"}),
            "filter=%7B%22q%22%3A%22updated_at%20%3E%3D%20%272026-10-01T08%3A00%3A00Z%27%20or%20updated_at%20is%20null%22%7D",
        ),
        (
            "json, a structured expression",
            json_filter,
            json!({"param": "or", "value": [{"updated_at_gte": "{since}"}, {"updated_at": null}]}),
            "filter=%7B%22or%22%3A%5B%7B%22updated_at_gte%22%3A%222026-10-01T08%3A00%3A00Z%22%7D%2C%7B%22updated_at%22%3Anull%7D%5D%7D",
        ),
    ];
    for (name, filter, ms, want) in cases {
        let mut p = js();
        let res = p.resources.get_mut(&Entity::Customers).unwrap();
        res.filter = filter;
        res.modified_since = Some(serde_json::from_value(ms).unwrap());
        assert!(Profile::parse(&serde_json::to_string(&p).unwrap()).is_ok(), "{name}: valid");
        let url = api::list_request(&p, Entity::Customers, &ask, &Credentials::default()).unwrap().url;
        assert!(url.ends_with(&format!("&{want}")), "{name}: {url}");
        // Without a checkpoint (a full pull), no filter at all.
        let url = api::list_request(&p, Entity::Customers, &plain, &Credentials::default()).unwrap().url;
        assert!(url.ends_with("_sort=id&_order=asc"), "{name}: {url}");
    }
}

/// A `money_major` amount is written as a decimal string, or as a JSON number with
/// `write_as: "number"`; reading is the same either way.
#[test]
fn money_is_written_as_text_or_as_a_number() {
    let cases: Vec<(Option<WriteAs>, i64, Value)> = vec![
        (None, 123_450, json!("1234.50")),
        (Some(WriteAs::Text), 123_450, json!("1234.50")),
        (Some(WriteAs::Number), 123_450, json!(1234.5)),
        (Some(WriteAs::Number), 123_456, json!(1234.56)),
        (Some(WriteAs::Number), 10_000, json!(100)),
        (Some(WriteAs::Number), 0, json!(0)),
        (Some(WriteAs::Number), -5, json!(-0.05)),
        (Some(WriteAs::Number), 123_456_789_012_345, json!(1_234_567_890_123.45)),
        // Beyond 2^53 minor units a double cannot hold every amount: the exact text instead.
        (Some(WriteAs::Number), 9_007_199_254_740_993, json!("90071992547409.93")),
    ];
    for (write_as, minor, want) in cases {
        let mut res: Resource = serde_json::from_value(json!({"collection": "/orders"})).unwrap();
        let mut amount = fm("amount", "total");
        amount.transform = Transform::MoneyMajor;
        amount.write_as = write_as;
        res.mapping.fields = vec![amount];
        let order: Order = serde_json::from_value(json!({"id": "O1", "customer_id": "C1", "date": "2026-01-01", "amount": minor, "status": "open", "updated_at": "2026-01-01T00:00:00Z"})).unwrap();
        let rec = Record::Orders(order);
        let out = to_remote(&res, &rec, None);
        assert_eq!(out["total"], want, "{write_as:?} {minor}");
        assert_eq!(out["total"].to_string(), want.to_string(), "{write_as:?} {minor}: the JSON text");
        let patch = to_remote(&res, &rec, Some(&["amount".to_string()]));
        assert_eq!(patch, json!({"total": want}), "a PATCH writes it the same way");
        // What is written reads back as the same amount.
        let (Record::Orders(back), _) = from_remote(Entity::Orders, &res, &out, now()).unwrap() else { panic!() };
        assert_eq!(back.amount, Money(minor), "{write_as:?} {minor} reads back");
    }
}

/// "Test connection" reads a page as a sync would and says what the profile makes of it: the
/// records on the page, the total, how many could be read, the first problem, and mapped fields
/// that no record has.
#[test]
fn test_connection_reads_the_page_and_names_the_first_problem() {
    type Edit = fn(&mut Resource);
    let two = json!([customer_json("C1", "Acme"), customer_json("C2", "Beta")]).to_string();
    // A record no mapping can read (not an object) is skipped by a sync too.
    let not_a_record = json!([customer_json("C1", "Acme"), "C2"]).to_string();
    let wrapped = json!({"data": [customer_json("C1", "Acme")], "meta": {"total": 40}}).to_string();
    let cases: Vec<(&str, Edit, String, &[(&str, &str)], Result<ProbeRead, RemoteError>)> = vec![
        (
            "a profile that fits",
            |_| {},
            two.clone(),
            &[("X-Total-Count", "2")],
            Ok(ProbeRead { on_page: 2, total: Some(2), read: 2, with_problems: 0, problem: None, unmatched: vec![] }),
        ),
        (
            "a list path the answer does not have",
            |r| r.list_items = vec!["data".into()],
            two.clone(),
            &[("X-Total-Count", "2")],
            Ok(ProbeRead {
                on_page: 0,
                total: Some(2),
                read: 0,
                with_problems: 0,
                problem: Some(ProbeProblem::NoList { paths: vec!["data".into()] }),
                unmatched: vec![],
            }),
        ),
        (
            "the right list path, the total in the body",
            |r| {
                r.list_items = vec!["data".into()];
                r.total = Total::Body { path: "meta.total".into() };
            },
            wrapped.clone(),
            &[],
            Ok(ProbeRead { on_page: 1, total: Some(40), read: 1, with_problems: 0, problem: None, unmatched: vec![] }),
        ),
        (
            "an id path that finds nothing",
            |r| r.id_field = "uid".into(),
            two.clone(),
            &[],
            Ok(ProbeRead {
                on_page: 2,
                total: None,
                read: 0,
                with_problems: 0,
                problem: Some(ProbeProblem::NoId { path: "uid".into() }),
                unmatched: vec![],
            }),
        ),
        (
            "a record the mapping cannot read",
            |_| {},
            not_a_record,
            &[],
            Ok(ProbeRead {
                on_page: 2,
                total: None,
                read: 1,
                with_problems: 0,
                problem: Some(ProbeProblem::Unreadable { id: None, why: kehu::core::record::Unreadable::NotAnObject }),
                unmatched: vec![],
            }),
        ),
        (
            "a mapped field no record has",
            |r| r.mapping.fields = vec![fm("region", "province")],
            two.clone(),
            &[],
            Ok(ProbeRead {
                on_page: 2,
                total: None,
                read: 2,
                with_problems: 0,
                problem: None,
                unmatched: vec![Unmatched { kehu: "region".into(), remote: "province".into() }],
            }),
        ),
        (
            "no list where the body must be one",
            |_| {},
            wrapped,
            &[],
            Err(RemoteError::BadResponse { reason: String::new() }),
        ),
    ];
    for (name, edit, body, headers, want) in cases {
        let mut p = js();
        edit(p.resources.get_mut(&Entity::Customers).unwrap());
        let r = probe::request(&p, Entity::Customers, &Credentials::default()).unwrap();
        assert!(r.url.contains(&format!("_limit={}", probe::PROBE_PAGE)), "{name}: a handful of records: {}", r.url);
        let got = probe::read_page(&p, Entity::Customers, &resp(200, headers, &body), now());
        // An error's reason is English detail: compared by kind, not text.
        let blank = |mut r: Result<ProbeRead, RemoteError>| {
            if let Err(RemoteError::BadResponse { reason }) = &mut r {
                reason.clear();
            }
            r
        };
        let clean = want.as_ref().is_ok_and(ProbeRead::is_clean);
        assert_eq!(blank(got.clone()), want, "{name}");
        assert_eq!(got.as_ref().is_ok_and(ProbeRead::is_clean), clean, "{name}: clean");
    }
    // A record read with a field that could not be: read, counted as with problems, and its
    // first problem named (the record is kept by a sync too).
    let mut bad = customer_json("C2", "Beta");
    bad["role"] = json!("wholesaler");
    let body = json!([customer_json("C1", "Acme"), bad]).to_string();
    let got = probe::read_page(&js(), Entity::Customers, &resp(200, &[], &body), now()).unwrap();
    assert_eq!((got.on_page, got.read, got.with_problems), (2, 2, 1));
    assert!(!got.is_clean());
    match got.problem {
        Some(ProbeProblem::Field { id, problem }) => {
            assert_eq!((id.as_str(), problem.field.as_str()), ("C2", "role"));
            assert_eq!(problem.issue, kehu::core::lenient::Issue::UnknownValue);
        }
        other => panic!("{other:?}"),
    }
    // An answer that is not a list page at all is the error a sync would get.
    let p = js();
    assert_eq!(probe::read_page(&p, Entity::Customers, &resp(404, &[], "{}"), now()), Err(RemoteError::NotFound));
    assert!(matches!(
        probe::read_page(&p, Entity::Customers, &resp(200, &[], "<html>"), now()),
        Err(RemoteError::BadResponse { .. })
    ));
}

fn res_item(p: &Profile, e: Entity) -> String {
    p.resources[&e].item_path()
}

#[test]
fn list_responses_items_totals_and_next_pages() {
    let p = js();
    let body = json!([customer_json("C1", "Acme"), {"id": 3, "name": ["x"]}, {"name": "no id"}]).to_string();
    let r = resp(200, &[("X-Total-Count", "7"), ("Content-Type", "application/json")], &body);
    let page = api::parse_list(&p, Entity::Customers, &req(Cursor::Page(1), 3), &r, now()).unwrap();
    assert_eq!(page.records.iter().map(|r| r.id().to_string()).collect::<Vec<_>>(), vec!["C1", "3"]);
    assert_eq!(page.notes.iter().map(|n| n.id.as_str()).collect::<Vec<_>>(), vec!["3"], "kept, with its data problems");
    assert_eq!(page.skipped.len(), 1, "a record without an id is skipped, not fatal");
    assert_eq!(page.skipped[0].why, kehu::core::record::Unreadable::NoId);
    assert_eq!(page.total, Some(7));
    assert_eq!(page.next, Some(Cursor::Page(2)));
    assert_eq!(page.max_modified.as_deref(), Some("2026-10-01T07:59:59Z"), "one second back, no fraction");
    let last = api::parse_list(
        &p,
        Entity::Customers,
        &req(Cursor::Page(3), 3),
        &resp(200, &[("X-Total-Count", "7")], &json!([customer_json("C7", "G")]).to_string()),
        now(),
    )
    .unwrap();
    assert_eq!(last.next, None, "7 of 7 read");
    let empty = api::parse_list(&p, Entity::Customers, &req(Cursor::Page(1), 3), &resp(200, &[], "[]"), now()).unwrap();
    assert_eq!((empty.records.len(), empty.next.clone()), (0, None));

    // Several item lists, and a total that is a sum (BottleCRM's accounts are split in two).
    let mut split = js();
    let res = split.resources.get_mut(&Entity::Customers).unwrap();
    res.list_items = vec!["active_accounts.open_accounts".into(), "closed_accounts.close_accounts".into()];
    res.total = Total::Sum {
        paths: vec!["active_accounts.open_accounts_count".into(), "closed_accounts.close_accounts_count".into()],
    };
    res.pagination =
        Pagination::Offset { offset_param: "offset".into(), limit_param: "limit".into(), advance_by_page: false };
    let body = json!({
        "active_accounts": {"open_accounts": [customer_json("A", "a")], "open_accounts_count": 4},
        "closed_accounts": {"close_accounts": [customer_json("B", "b")], "close_accounts_count": 1}
    });
    let page = api::parse_list(
        &split,
        Entity::Customers,
        &req(Cursor::Offset(2), 2),
        &resp(200, &[], &body.to_string()),
        now(),
    )
    .unwrap();
    assert_eq!(page.records.len(), 2);
    assert_eq!(page.total, Some(5));
    assert_eq!(page.next, Some(Cursor::Offset(4)));

    // Content-Range and a body total.
    let sr = presets::profile("simple-rest", None).unwrap();
    let page = api::parse_list(
        &sr,
        Entity::Customers,
        &req(Cursor::Offset(0), 2),
        &resp(
            200,
            &[("Content-Range", "customers 0-1/3")],
            &json!([customer_json("A", "a"), customer_json("B", "b")]).to_string(),
        ),
        now(),
    )
    .unwrap();
    assert_eq!((page.total, page.next), (Some(3), Some(Cursor::Offset(2))));
    let mut b = js();
    let res = b.resources.get_mut(&Entity::Customers).unwrap();
    res.list_items = vec!["data".into()];
    res.total = Total::Body { path: "meta.total".into() };
    res.pagination =
        Pagination::Cursor { param: "after".into(), size_param: Some("limit".into()), next_path: "meta.next".into() };
    let body = json!({"data": [customer_json("A", "a")], "meta": {"total": 9, "next": "tok2"}});
    let page =
        api::parse_list(&b, Entity::Customers, &req(Cursor::Start, 1), &resp(200, &[], &body.to_string()), now())
            .unwrap();
    assert_eq!((page.total, page.next), (Some(9), Some(Cursor::Token("tok2".into()))));
    let r = api::list_request(&b, Entity::Customers, &req(Cursor::Token("tok2".into()), 1), &Credentials::default())
        .unwrap();
    assert!(r.url.contains("after=tok2&limit=1"), "{}", r.url);
    // Without a total, a full page means "maybe more".
    let mut nt = js();
    nt.resources.get_mut(&Entity::Customers).unwrap().total = Total::None;
    let page = api::parse_list(
        &nt,
        Entity::Customers,
        &req(Cursor::Page(1), 1),
        &resp(200, &[], &json!([customer_json("A", "a")]).to_string()),
        now(),
    )
    .unwrap();
    assert_eq!(page.next, Some(Cursor::Page(2)));
}

#[test]
fn every_error_is_typed() {
    let p = js();
    let r = |s, h: &[(&str, &str)], b: &str| {
        api::parse_list(&p, Entity::Customers, &req(Cursor::Start, 5), &resp(s, h, b), now())
    };
    let cases: Vec<(HttpResponse, RemoteError)> = vec![
        (resp(401, &[], "{}"), RemoteError::Unauthorized { status: 401 }),
        (
            resp(403, &[], r#"{"detail":"Authentication credentials were not provided."}"#),
            RemoteError::Unauthorized { status: 403 },
        ),
        (resp(404, &[], "{}"), RemoteError::NotFound),
        (
            resp(409, &[], r#"{"message":"version mismatch"}"#),
            RemoteError::Conflict { message: "version mismatch".into() },
        ),
        (resp(429, &[("Retry-After", "30")], ""), RemoteError::RateLimited { retry_after_secs: Some(30) }),
        (
            resp(503, &[("retry-after", "Sun, 01 Nov 2026 08:02:00 GMT")], "<html>down</html>"),
            RemoteError::Server { status: 503, retry_after_secs: Some(120) },
        ),
        (resp(500, &[], ""), RemoteError::Server { status: 500, retry_after_secs: None }),
        (resp(418, &[], ""), RemoteError::Status { status: 418 }),
    ];
    for (rsp, want) in cases {
        assert_eq!(
            r(
                rsp.status,
                &rsp.headers.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect::<Vec<_>>(),
                std::str::from_utf8(&rsp.body).unwrap()
            ),
            Err(want.clone()),
            "{want:?}"
        );
    }
    let bad = |b: &str, h: &[(&str, &str)]| match r(200, h, b) {
        Err(RemoteError::BadResponse { reason }) => reason,
        other => panic!("{b:?}: {other:?}"),
    };
    assert!(bad("<!DOCTYPE html><html>Login</html>", &[]).contains("HTML"));
    assert!(bad("{\"a\": 1}", &[("Content-Type", "text/html; charset=utf-8")]).contains("HTML"));
    assert!(bad("[{\"id\": \"C1\", \"name\": \"x\"", &[]).contains("truncated"));
    assert!(bad("[1, 2,, 3]", &[]).contains("malformed"));
    assert!(bad("{\"items\": []}", &[]).contains("no list"));
    // Validation errors map to Kehu's form fields.
    let mut bc = js();
    bc.resources.get_mut(&Entity::Customers).unwrap().mapping.fields.push(fm("city", "billing_city"));
    let shapes = [
        r#"{"errors": {"name": ["This field is required."], "billing_city": "Too long"}}"#,
        r#"{"name": ["This field is required."], "billing_city": ["Too long"]}"#,
        r#"{"errors": [{"field": "name", "message": "This field is required."}, {"path": "billing_city", "msg": "Too long"}]}"#,
    ];
    for body in shapes {
        let rec = Record::Customers(serde_json::from_value(customer_json("C1", "")).unwrap());
        match api::parse_write(&bc, Entity::Customers, rec.id(), &resp(422, &[], body), now()) {
            Err(RemoteError::Rejected { status: 422, fields, .. }) => {
                assert!(
                    fields.contains(&("name".to_string(), "This field is required.".to_string())),
                    "{body}: {fields:?}"
                );
                assert!(fields.contains(&("city".to_string(), "Too long".to_string())), "{body}: {fields:?}");
            }
            other => panic!("{body}: {other:?}"),
        }
    }
}

#[test]
fn detail_and_write_answers() {
    let p = js();
    let got = api::parse_get(&p, Entity::Customers, &resp(200, &[], &customer_json("C1", "Acme").to_string()), now())
        .unwrap();
    assert_eq!(got.map(|r| r.id().to_string()), Some("C1".into()));
    assert_eq!(
        api::parse_get(&p, Entity::Customers, &resp(404, &[], "{}"), now()),
        Ok(None),
        "missing is not an error"
    );
    let mut env = js();
    let res = env.resources.get_mut(&Entity::Customers).unwrap();
    res.detail_path = "account_obj".into();
    res.write_returns_record = false;
    res.write_id_path = Some("id".into());
    let body = json!({"account_obj": customer_json("C9", "Env"), "contacts": []});
    assert_eq!(
        api::parse_get(&env, Entity::Customers, &resp(200, &[], &body.to_string()), now()).unwrap().unwrap().id(),
        "C9"
    );
    assert_eq!(
        api::parse_write(
            &env,
            Entity::Customers,
            "local-1",
            &resp(200, &[], r#"{"error": false, "id": "8d1f"}"#),
            now()
        ),
        Ok(Written::ReadBack("8d1f".into())),
        "only an id: read it back"
    );
    assert_eq!(
        api::parse_write(&p, Entity::Customers, "C1", &resp(204, &[], ""), now()),
        Ok(Written::ReadBack("C1".into()))
    );
    let w =
        api::parse_write(&p, Entity::Customers, "C1", &resp(201, &[], &customer_json("C1", "Acme").to_string()), now())
            .unwrap();
    assert!(matches!(w, Written::Record(ref r) if r.id() == "C1"));
}

#[test]
fn writes_carry_mapped_fields_stamps_and_ids() {
    let p = js();
    let mut c: Customer = serde_json::from_value(customer_json("C1", "Acme")).unwrap();
    c.city = "杭州".into();
    let rec = Record::Customers(c);
    let r = api::create_request(&p, &rec, &Credentials::default(), now()).unwrap();
    assert_eq!((r.method, r.url.as_str()), (Method::Post, "http://127.0.0.1:3000/customers"));
    let body: Value = serde_json::from_slice(r.body.as_ref().unwrap()).unwrap();
    assert_eq!(body["id"], "C1", "client id sent");
    // A create carries its idempotency key only where the profile names a header for it.
    assert_eq!(api::idempotent(&p, r.clone(), "op-7").header("Idempotency-Key"), None);
    let mut keyed = js();
    keyed.idempotency_header = Some("Idempotency-Key".into());
    assert_eq!(api::idempotent(&keyed, r.clone(), "op-7").header("Idempotency-Key"), Some("op-7"));
    assert_eq!(body["updated_at"], "2026-11-01T08:00:00.000Z", "json-server needs the client to stamp changes");
    let r = api::update_request(&p, &rec, &["city".to_string()], &Credentials::default(), now()).unwrap();
    assert_eq!((r.method, r.url.as_str()), (Method::Patch, "http://127.0.0.1:3000/customers/C1"));
    let body: Value = serde_json::from_slice(r.body.as_ref().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"city": "杭州", "updated_at": "2026-11-01T08:00:00.000Z"}),
        "PATCH sends only what changed"
    );
    // An id with reserved characters is encoded in the path.
    let r = api::delete_request(&p, Entity::Customers, "a/b c", &Credentials::default()).unwrap();
    assert_eq!(r.url, "http://127.0.0.1:3000/customers/a%2Fb%20c");
    // Invoices: Kehu's number is json-server's id.
    let inv: Invoice = serde_json::from_value(json!({"number": "INV-1", "customer_id": "C1", "issue_date": "2026-01-01", "due_date": "2026-02-01", "amount": 100})).unwrap();
    let r = api::create_request(&p, &Record::Invoices(inv), &Credentials::default(), now()).unwrap();
    let body: Value = serde_json::from_slice(r.body.as_ref().unwrap()).unwrap();
    assert_eq!((body["id"].clone(), body.get("number")), (json!("INV-1"), None));
}

fn fm(kehu: &str, remote: &str) -> FieldMap {
    FieldMap {
        kehu: kehu.into(),
        remote: Some(remote.into()),
        write_to: None,
        parts: vec![],
        values: Default::default(),
        read_values: Default::default(),
        fallback: None,
        default: None,
        transform: Transform::None,
        write_as: None,
        read_only: false,
        write_from: vec![],
        read_if: Default::default(),
        keep_when_absent: false,
        read_else: vec![],
    }
}

#[test]
fn explicit_mapping_with_values_defaults_and_transforms() {
    let mut res: Resource =
        serde_json::from_value(json!({"collection": "/api/accounts/", "id_field": "uuid"})).unwrap();
    res.mapping.base = MappingBase::Explicit;
    let mut role = fm("role", "account_type");
    role.values.insert("end_customer".into(), json!("Customer"));
    role.values.insert("distributor".into(), json!("Reseller"));
    role.fallback = Some(json!("other"));
    let mut tags = fm("tags", "tags");
    tags.transform = Transform::CommaList;
    let mut limit = fm("credit_limit", "credit.limit");
    limit.transform = Transform::MoneyMajor;
    let mut created = fm("created_at", "created_on");
    created.transform = Transform::DateTime;
    created.read_only = true;
    let mut updated = fm("updated_at", "updated_on");
    updated.transform = Transform::DateTime;
    updated.read_only = true;
    let mut currency = FieldMap { default: Some(json!("USD")), ..fm("currency", "x") };
    currency.remote = None;
    res.mapping.fields =
        vec![fm("name", "name"), role, tags, limit, created, updated, currency, fm("custom.erp", "erp_code")];
    res.mapping.defaults.insert("status".into(), json!("open"));
    let remote = json!({
        "uuid": 42, "name": "Northwind", "account_type": "Reseller", "tags": "vmi, export,",
        "credit": {"limit": "1234.5"}, "created_on": "2026-01-02 03:04:05", "updated_on": "2026-10-01T00:00:00+08:00",
        "erp_code": "NW-1", "secret": "not mapped"
    });
    let Record::Customers(c) = from_remote(Entity::Customers, &res, &remote, now()).unwrap().0 else { panic!() };
    assert_eq!(c.id, "42");
    assert_eq!(c.role, SupplyChainRole::Distributor);
    assert_eq!(c.tags, vec!["vmi", "export"]);
    assert_eq!(c.credit_limit, Some(Money(123_450)));
    assert_eq!(c.created_at, Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap());
    assert_eq!(c.updated_at, Utc.with_ymd_and_hms(2026, 9, 30, 16, 0, 0).unwrap());
    assert_eq!(c.currency, Currency::USD, "a default for a field the backend lacks");
    assert_eq!(c.custom.get("erp"), Some(&json!("NW-1")));
    let unknown = json!({"uuid": 1, "name": "X", "account_type": "Partner", "created_on": "2026-01-01", "updated_on": "2026-01-01"});
    let Record::Customers(c) = from_remote(Entity::Customers, &res, &unknown, now()).unwrap().0 else { panic!() };
    assert_eq!(c.role, SupplyChainRole::Other, "the fallback for an unknown backend value");
    let out = to_remote(&res, &Record::Customers(c.clone()), None);
    assert_eq!(out["account_type"], json!("other"), "no backend name for `other`: sent as is");
    assert_eq!(out["status"], json!("open"), "defaults fill required backend fields");
    assert!(
        out.get("created_on").is_none() && out.get("uuid").is_none(),
        "read-only and unmapped fields are not sent: {out}"
    );
    let mut d = c.clone();
    d.role = SupplyChainRole::EndCustomer;
    d.credit_limit = Some(Money(99_999));
    d.tags = vec!["a".into(), "b".into()];
    let out = to_remote(&res, &Record::Customers(d.clone()), None);
    assert_eq!(
        (out["account_type"].clone(), out["credit"]["limit"].clone(), out["tags"].clone()),
        (json!("Customer"), json!("999.99"), json!("a,b"))
    );
    let patch = to_remote(&res, &Record::Customers(d), Some(&["credit_limit".to_string()]));
    assert_eq!(patch, json!({"credit": {"limit": "999.99"}}));
    // A field that cannot be read costs that field only: the record is kept, the field named.
    let (kept, note) = from_remote(
        Entity::Customers,
        &res,
        &json!({"uuid": 7, "name": "X", "account_type": "Customer", "credit": {"limit": "lots"}}),
        now(),
    )
    .unwrap();
    assert_eq!(kept.id(), "7");
    assert_eq!(note.problems.iter().map(|p| p.field.as_str()).collect::<Vec<_>>(), vec!["credit_limit"]);
    // A value that is no record at all is reported with the reason.
    let bad = from_remote(Entity::Customers, &res, &json!("text"), now()).unwrap_err();
    assert_eq!(bad.why, kehu::core::record::Unreadable::NotAnObject);
}

#[test]
fn login_and_refresh_tokens() {
    let mut p = js();
    p.auth = Auth::Login {
        url: "/auth/login/".into(),
        username_field: "email".into(),
        password_field: "password".into(),
        token_path: "access".into(),
        refresh_token_path: Some("refresh".into()),
        refresh_url: Some("/auth/refresh/".into()),
        refresh_field: "refresh".into(),
        header: "Authorization".into(),
        scheme: "Bearer".into(),
    };
    let r = api::login_request(&p, "a@b.cn", "pw").unwrap();
    assert_eq!(r.url, "http://127.0.0.1:3000/auth/login/");
    assert_eq!(
        serde_json::from_slice::<Value>(r.body.as_ref().unwrap()).unwrap(),
        json!({"email": "a@b.cn", "password": "pw"})
    );
    let t = api::parse_tokens(&p, &resp(200, &[], r#"{"access":"A1","refresh":"R1"}"#), None, now()).unwrap();
    assert_eq!(t, Tokens { access: "A1".into(), refresh: Some("R1".into()) });
    let t2 = api::parse_tokens(&p, &resp(200, &[], r#"{"access":"A2"}"#), Some("R1"), now()).unwrap();
    assert_eq!(t2.refresh.as_deref(), Some("R1"), "a refresh without a new refresh token keeps the old");
    assert_eq!(
        api::parse_tokens(&p, &resp(401, &[], "{}"), None, now()),
        Err(RemoteError::Unauthorized { status: 401 })
    );
    assert!(matches!(
        api::parse_tokens(&p, &resp(200, &[], r#"{"token":"x"}"#), None, now()),
        Err(RemoteError::BadResponse { .. })
    ));
    let creds = Credentials { secret: None, session: Some(t) };
    let r = api::get_request(&p, Entity::Customers, "C1", &creds).unwrap();
    assert_eq!(r.header("authorization"), Some("Bearer A1"));
    let mut key = js();
    key.auth = Auth::ApiKey { header: "X-API-Key".into() };
    let r = api::get_request(&key, Entity::Customers, "C1", &Credentials { secret: Some("k".into()), session: None })
        .unwrap();
    assert_eq!(r.header("x-api-key"), Some("k"));
    assert!(!r.url.contains('k') || !r.url.contains("k="), "secrets never in URLs");
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
        prop_oneof![Just("id"), Just("name"), Just("2026-01-01"), Just("oem"), Just("1.5")].prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("id".to_string()),
                    Just("name".to_string()),
                    Just("role".to_string()),
                    Just("items".to_string()),
                    Just("access".to_string()),
                    ".{0,6}".prop_map(|s| s)
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn all_parsers(status: u16, headers: Vec<(String, String)>, body: Vec<u8>) {
    let r = HttpResponse { status, headers, body };
    let mut profiles = vec![js(), presets::profile("simple-rest", None).unwrap()];
    let mut env = js();
    let res = env.resources.get_mut(&Entity::Customers).unwrap();
    res.list_items = vec!["items".into(), "more.items".into()];
    res.total = Total::Sum { paths: vec!["n".into(), "more.n".into()] };
    res.pagination = Pagination::Cursor { param: "c".into(), size_param: None, next_path: "next".into() };
    res.detail_path = "item".into();
    res.write_id_path = Some("id".into());
    profiles.push(env);
    // BottleCRM: explicit mappings with value maps, person names, transforms and envelopes.
    profiles.push(presets::profile("bottlecrm", None).unwrap());
    // A login backend, so token answers are parsed too (a profile without login returns early).
    let mut login = js();
    login.auth = Auth::Login {
        url: "/auth/login".into(),
        username_field: "username".into(),
        password_field: "password".into(),
        token_path: "access".into(),
        refresh_url: Some("/auth/refresh".into()),
        refresh_token_path: Some("refresh".into()),
        refresh_field: "refresh".into(),
        header: "Authorization".into(),
        scheme: "Bearer".into(),
    };
    profiles.push(login);
    for p in &profiles {
        for &e in Entity::ALL {
            for c in [Cursor::Start, Cursor::Page(2), Cursor::Offset(5), Cursor::Token("t".into())] {
                let _ = api::parse_list(
                    p,
                    e,
                    &PageRequest { cursor: c, size: 3, modified_since: None, ids_only: false },
                    &r,
                    now(),
                );
            }
            let _ = api::parse_get(p, e, &r, now());
            let _ = api::parse_write(p, e, "x", &r, now());
        }
        let _ = api::parse_delete(&r, now());
        let _ = api::parse_tokens(p, &r, Some("r"), now());
        let _ = api::classify(&r, now());
        let _ = api::field_errors(&r);
        let _ = api::rejected_fields(
            p,
            Entity::Contacts,
            RemoteError::Rejected { status: 400, message: String::new(), fields: api::field_errors(&r) },
        );
    }
    // What a deployment or a user hands over: config.json and profile files, as bytes.
    if let Ok(c) = kehu::core::rest::config::DeploymentConfig::parse(&r.body) {
        let _ = c.check();
    }
    let _ = Profile::parse(&String::from_utf8_lossy(&r.body));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

    #[test]
    fn response_parsers_never_panic_on_bytes(status in 100u16..600, body in prop::collection::vec(any::<u8>(), 0..300), h in ".{0,20}") {
        all_parsers(status, vec![("X-Total-Count".into(), h.clone()), ("Content-Range".into(), h), ("Retry-After".into(), "x".into())], body);
    }

    #[test]
    fn response_parsers_never_panic_on_json(status in prop_oneof![Just(200u16), Just(201), Just(400), Just(422), Just(503)], v in any_json()) {
        all_parsers(status, vec![("X-Total-Count".into(), "12".into())], v.to_string().into_bytes());
        let wrapped = json!({"items": [v.clone()], "more": {"items": v.clone(), "n": 2}, "item": v.clone(), "next": v, "n": 1});
        all_parsers(status, vec![], wrapped.to_string().into_bytes());
    }
}

/// The README's worked example ("Connect your backend") is a profile that works: it parses,
/// validates, asks for the page it says, and reads the answer it shows into customers.
#[test]
fn the_readme_worked_example_reads_its_sample_answer() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = &readme[readme.find("### A worked example").expect("the section")..];
    let sample_start = section.find("answers `").unwrap() + "answers `".len();
    let request_line = &section[sample_start..sample_start + section[sample_start..].find('`').unwrap()];
    let body_start = section.find("with\n`").unwrap() + "with\n`".len();
    let body = &section[body_start..body_start + section[body_start..].find('`').unwrap()];
    let json_start = section.find("```json\n").unwrap() + "```json\n".len();
    let profile_text = &section[json_start..json_start + section[json_start..].find("```").unwrap()];

    let p = Profile::parse(profile_text).unwrap_or_else(|e| panic!("{e:?}"));
    let r = api::list_request(
        &p,
        Entity::Customers,
        &PageRequest { cursor: Cursor::Start, size: 100, modified_since: None, ids_only: false },
        &Credentials { secret: Some("k".into()), session: None },
    )
    .unwrap();
    let (_, path) = request_line.split_once(' ').unwrap();
    assert_eq!(r.url, format!("{}{path}", p.base_url), "the request the README shows");
    assert_eq!(r.header("X-Api-Key"), Some("k"));
    let page = api::parse_list(
        &p,
        Entity::Customers,
        &PageRequest { cursor: Cursor::Start, size: 100, modified_since: None, ids_only: false },
        &resp(200, &[], body),
        now(),
    )
    .unwrap();
    assert!(page.skipped.is_empty(), "{:?}", page.skipped);
    assert_eq!(page.total, Some(340));
    let Some(Record::Customers(c)) = page.records.first() else { panic!("{page:?}") };
    assert_eq!(
        (c.id.as_str(), c.name.as_str(), c.region.as_str(), c.role),
        ("c-17", "杭州精工机床", "浙江", SupplyChainRole::EndCustomer)
    );
    assert_eq!(c.updated_at, Utc.with_ymd_and_hms(2026, 10, 1, 8, 0, 0).unwrap());
    assert_eq!(c.created_at, c.updated_at, "a backend without a creation time: the last change stands in");
}

/// The daily complete listing asks for ids only where the profile says how (`ids_only`), and
/// reads only the ids from the answer.
#[test]
fn ids_only_listings() {
    let mut p = js();
    let res = p.resources.get_mut(&Entity::Customers).unwrap();
    res.ids_only = Some(kehu::core::rest::profile::IdsOnly { param: "_fields".into(), value: "id".into() });
    let ids = PageRequest { cursor: Cursor::Page(2), size: 2, modified_since: None, ids_only: true };
    let r = api::list_request(&p, Entity::Customers, &ids, &Credentials::default()).unwrap();
    assert_eq!(r.url, "http://127.0.0.1:3000/customers?_page=2&_limit=2&_sort=id&_order=asc&_fields=id");
    let plain = api::list_request(&p, Entity::Customers, &req(Cursor::Page(2), 2), &Credentials::default()).unwrap();
    assert!(!plain.url.contains("_fields"), "{}", plain.url);
    let answer = resp(200, &[("X-Total-Count", "5")], r#"[{"id": 7}, {"name": "no id"}]"#);
    let page = api::parse_list(&p, Entity::Customers, &ids, &answer, now()).unwrap();
    assert_eq!(page.ids, ["7"]);
    assert!(page.records.is_empty() && page.skipped.is_empty(), "no record is read from an ids-only page");
    assert_eq!(page.next, Some(Cursor::Page(3)), "paged like any list");
    // A profile without it: the engine asks for whole records (and this is an ordinary page).
    let q = js();
    let page = api::parse_list(&q, Entity::Customers, &ids, &resp(200, &[], "[]"), now()).unwrap();
    assert!(page.ids.is_empty());
    let mut bad = js();
    bad.resources.get_mut(&Entity::Customers).unwrap().ids_only =
        Some(kehu::core::rest::profile::IdsOnly { param: " ".into(), value: "id".into() });
    assert!(bad.validate().iter().any(|e| e.at == "resources.customers.ids_only.param"), "{:?}", bad.validate());
}

/// BottleCRM's opportunity (an answer shaped like django-crm 1.35's `OpportunitySerializer`)
/// through the preset: stages both ways (Kehu's solution and quote share BottleCRM's PROPOSAL,
/// which reads back as quote), an amount in major units, contacts as objects read as ids, lead
/// sources, and `closed_on`: the expected close of an open deal, the close date of a won or lost
/// one; an unknown stage reads as the first stage with a data problem naming it.
#[test]
fn bottlecrm_opportunities_map_both_ways() {
    use kehu::core::lenient::{Issue, Outcome};
    let p = presets::profile("bottlecrm", None).unwrap();
    let res = &p.resources[&Entity::Opportunities];
    let deal = |stage: &str, kind: Option<&str>, source: Value| {
        json!({
            "id": "6f1c", "name": "五轴加工中心 ×2", "account": {"id": "a-1", "name": "杭州精工"},
            "stage": stage, "stage_label": stage, "stage_kind": kind, "currency": "EUR", "amount": "120000.50",
            "probability": 55, "closed_on": "2027-03-31", "lead_source": source,
            "contacts": [{"id": "c-1", "name": "王芳", "email": "w@example.cn"}, {"id": "c-2", "name": "李伟"}],
            "assigned_to": [{"id": "p-1", "user_details": {"email": "rep@example.cn"}}],
            "created_at": "2026-11-02T08:00:00Z", "stage_changed_at": "2026-11-20T08:00:00Z"
        })
    };
    let read = |v: &Value| match from_remote(Entity::Opportunities, res, v, now()).unwrap() {
        (Record::Opportunities(o), note) => (o, note),
        other => panic!("{other:?}"),
    };
    let (o, note) = read(&deal("NEGOTIATION", Some("open"), json!("partner")));
    assert!(note.problems.is_empty(), "{:?}", note.problems);
    assert_eq!(
        (o.id.as_str(), o.customer_id.as_str(), o.title.as_str(), o.stage.as_str(), o.amount, o.currency),
        ("6f1c", "a-1", "五轴加工中心 ×2", "negotiation", Money(12_000_050), Currency::EUR)
    );
    assert_eq!((o.probability, o.owner.as_str(), o.source), (55, "rep@example.cn", Some(OppSource::Referral)));
    assert_eq!(o.contacts, vec!["c-1", "c-2"]);
    assert_eq!(o.expected_close, Some(chrono::NaiveDate::from_ymd_opt(2027, 3, 31).unwrap()));
    assert_eq!(o.closed_on, None, "an open deal's closed_on is its expected close only");
    assert_eq!(o.created_at, Utc.with_ymd_and_hms(2026, 11, 2, 8, 0, 0).unwrap());

    // Every BottleCRM stage and the Kehu stage it reads as; won and lost also date the close.
    for (stage, kind, want, closed) in [
        ("PROSPECTING", "open", "lead", false),
        ("QUALIFICATION", "open", "qualified", false),
        ("PROPOSAL", "open", "quote", false),
        ("NEGOTIATION", "open", "negotiation", false),
        ("CLOSED_WON", "won", "won", true),
        ("CLOSED_LOST", "lost", "lost", true),
    ] {
        let (o, note) = read(&deal(stage, Some(kind), json!("call")));
        assert!(note.problems.is_empty(), "{stage}: {:?}", note.problems);
        assert_eq!(
            (o.stage.as_str(), o.closed_on.is_some(), o.source),
            (want, closed, Some(OppSource::Visit)),
            "{stage}"
        );
    }
    // Kehu's stages written: solution and quote both go as PROPOSAL.
    for (kehu, remote) in [
        ("lead", "PROSPECTING"),
        ("qualified", "QUALIFICATION"),
        ("solution", "PROPOSAL"),
        ("quote", "PROPOSAL"),
        ("negotiation", "NEGOTIATION"),
        ("won", "CLOSED_WON"),
        ("lost", "CLOSED_LOST"),
    ] {
        let mut x = o.clone();
        x.stage = kehu.into();
        assert_eq!(to_remote(res, &Record::Opportunities(x), None)["stage"], json!(remote), "{kehu}");
    }

    // An org's own stage and an unknown source: the record is kept, the stage named. A deal
    // without an amount (BottleCRM's is nullable) is worth 0; one without an assignee is owned by
    // its creator.
    let mut custom = deal("TECHNICAL_REVIEW", Some("open"), json!("trade fair"));
    custom["amount"] = Value::Null;
    custom["assigned_to"] = json!([]);
    custom["created_by"] = json!({"id": "u-9", "email": "creator@example.cn"});
    let (o, note) = read(&custom);
    assert_eq!(
        (o.stage.as_str(), o.source, o.amount, o.owner.as_str()),
        ("lead", Some(OppSource::Other), Money(0), "creator@example.cn")
    );
    let stage_problems: Vec<_> = note.problems.iter().filter(|p| p.field == "stage").collect();
    assert_eq!(stage_problems.len(), 1, "{:?}", note.problems);
    assert_eq!(
        (stage_problems[0].issue, stage_problems[0].outcome, stage_problems[0].value.as_str()),
        (Issue::UnknownValue, Outcome::Default, "\"TECHNICAL_REVIEW\"")
    );

    // Written: the whole record (create), then a move to won as a partial update.
    let (mut o, _) = read(&deal("PROPOSAL", Some("open"), json!("web form")));
    let out = to_remote(res, &Record::Opportunities(o.clone()), None);
    assert_eq!(
        out,
        json!({
            "account": "a-1", "name": "五轴加工中心 ×2", "stage": "PROPOSAL", "amount": "120000.50",
            "currency": "EUR", "probability": 55, "closed_on": "2027-03-31", "contacts": ["c-1", "c-2"],
            "lead_source": "web form"
        }),
        "read-only fields (owner, times) are not sent"
    );
    let won_on = chrono::NaiveDate::from_ymd_opt(2027, 1, 15).unwrap();
    o.stage = "won".into();
    o.probability = 100;
    o.closed_on = Some(won_on);
    let changed: Vec<String> = ["stage", "probability", "closed_on", "history"].map(String::from).to_vec();
    assert_eq!(
        to_remote(res, &Record::Opportunities(o.clone()), Some(&changed)),
        json!({"stage": "CLOSED_WON", "probability": 100, "closed_on": "2027-01-15"}),
        "the close date goes in BottleCRM's closed_on, which a closed deal must have"
    );
    o.closed_on = None;
    assert_eq!(
        to_remote(res, &Record::Opportunities(o.clone()), Some(&["expected_close".to_string()])),
        json!({"closed_on": "2027-03-31"}),
        "without a close date the expected one is written"
    );
    assert!(res.writable("closed_on") && res.writable("expected_close"), "written through write_from");
    assert!(!res.writable("owner") && !res.writable("lines"));
}

/// The mapping features the BottleCRM opportunities use, on their own: `read_values` read
/// before `values` (so a backend value two Kehu values share reads as the one it names),
/// `read_if`, `write_from`, `id_list`; and the profile checks of the names and paths they hold.
#[test]
fn read_if_write_from_and_id_lists() {
    let mut res: Resource = serde_json::from_value(json!({"collection": "/t"})).unwrap();
    res.mapping.base = MappingBase::Explicit;
    let mut status = fm("status", "state");
    status.values.insert("resolved".into(), json!("done"));
    status.values.insert("closed".into(), json!("done"));
    let remote = |state: &str| json!({"id": 1, "customer_id": "c", "title": "t", "state": state});
    res.mapping.fields = vec![fm("customer_id", "customer_id"), fm("title", "title"), status.clone()];
    let status_of = |res: &Resource, v: &Value| match from_remote(Entity::Tickets, res, v, now()).unwrap().0 {
        Record::Tickets(t) => t.status,
        other => panic!("{other:?}"),
    };
    assert_eq!(status_of(&res, &remote("done")), TicketStatus::Closed, "without read_values: the first by name");
    status.read_values.insert("done".into(), json!("resolved"));
    res.mapping.fields[2] = status;
    assert_eq!(status_of(&res, &remote("done")), TicketStatus::Resolved, "read_values decides");

    // read_if: the field is read only when every listed path holds a listed value.
    let mut res: Resource = serde_json::from_value(json!({"collection": "/o"})).unwrap();
    res.mapping.base = MappingBase::Explicit;
    let mut closed = fm("closed_on", "closed");
    closed.transform = Transform::Date;
    closed.read_if.insert("kind".into(), vec![json!("won"), json!("lost")]);
    let mut expected = fm("expected_close", "closed");
    expected.transform = Transform::Date;
    expected.write_from = vec!["closed_on".into(), "expected_close".into()];
    let mut contacts = fm("contacts", "people");
    contacts.transform = Transform::IdList;
    let amount = FieldMap { default: Some(json!(0)), ..fm("amount", "amount") };
    res.mapping.fields = vec![
        fm("customer_id", "account"),
        fm("title", "name"),
        fm("stage", "stage"),
        amount,
        closed,
        expected,
        contacts,
    ];
    let read =
        |v: Value| match from_remote(Entity::Opportunities, &res, &v, now()).unwrap_or_else(|e| panic!("{v}: {e:?}")) {
            (Record::Opportunities(o), note) => (o, note),
            other => panic!("{other:?}"),
        };
    let base = json!({"id": "o1", "account": "c", "name": "n", "stage": "won", "closed": "2026-12-01"});
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 1);
    for (kind, people, closed_on, contacts) in [
        (json!("won"), json!([{"id": 7}, "x-8"]), day, vec!["7", "x-8"]),
        (json!("lost"), json!([]), day, vec![]),
        (json!("open"), json!(["a"]), None, vec!["a"]),
        (Value::Null, Value::Null, None, vec![]),
    ] {
        let mut v = base.clone();
        v["kind"] = kind.clone();
        v["people"] = people;
        let (o, note) = read(v);
        assert!(note.problems.is_empty(), "{kind}: {:?}", note.problems);
        let got: Vec<&str> = o.contacts.iter().map(String::as_str).collect();
        assert_eq!((o.closed_on, o.expected_close, got), (closed_on, day, contacts), "{kind}");
    }
    let mut v = base.clone();
    v["people"] = json!([{"name": "no id"}]);
    let (o, note) = read(v);
    assert_eq!(o.contacts, Vec::<String>::new());
    assert_eq!(note.problems.iter().map(|p| p.field.as_str()).collect::<Vec<_>>(), vec!["contacts"]);

    // write_from: the first set one; a partial update of any of them writes the field.
    let mut won = base.clone();
    won["kind"] = json!("won");
    let (mut o, _) = read(won);
    o.expected_close = chrono::NaiveDate::from_ymd_opt(2027, 2, 1);
    o.contacts = vec!["7".into()];
    let full = to_remote(&res, &Record::Opportunities(o.clone()), None);
    assert_eq!((full["closed"].clone(), full["people"].clone()), (json!("2026-12-01"), json!(["7"])));
    assert_eq!(full.get("kind"), None);
    o.closed_on = None;
    for only in ["closed_on", "expected_close"] {
        let patch = to_remote(&res, &Record::Opportunities(o.clone()), Some(&[only.to_string()]));
        assert_eq!(patch, json!({"closed": "2027-02-01"}), "{only}");
    }
    assert_eq!(to_remote(&res, &Record::Opportunities(o), Some(&["title".to_string()])), json!({"name": "n"}));

    // The profile names the fields and paths it refers to.
    let mut p = presets::profile("json-server", None).unwrap();
    let mut bad = fm("expected_close", "closed");
    bad.write_from = vec!["closed_on".into(), "closing_day".into()];
    bad.read_if.insert("a..b".into(), vec![json!("x")]);
    bad.read_else = vec!["ok.path".into(), "".into()];
    p.resources.get_mut(&Entity::Opportunities).unwrap().mapping.fields.push(bad);
    let n = p.resources[&Entity::Opportunities].mapping.fields.len() - 1;
    assert_eq!(
        p.validate(),
        vec![
            ProfileError {
                at: format!("resources.opportunities.mapping.fields[{n}].read_else[1]"),
                problem: ProfileProblem::BadPath
            },
            ProfileError {
                at: format!("resources.opportunities.mapping.fields[{n}].write_from[1]"),
                problem: ProfileProblem::UnknownField
            },
            ProfileError {
                at: format!("resources.opportunities.mapping.fields[{n}].read_if.a..b"),
                problem: ProfileProblem::BadPath
            },
        ]
    );
}

/// `money_major` amounts are in the record's currency: read in the backend record's (mapped)
/// currency, written in the Kehu record's, so a yen or dinar amount is not off by 100× or 10×.
#[test]
fn money_major_amounts_are_in_the_records_currency() {
    let p = presets::profile("bottlecrm", None).unwrap();
    let res = &p.resources[&Entity::Opportunities];
    // (backend currency, backend amount, Kehu minor units, written back)
    for (currency, amount, minor, written) in [
        (json!("EUR"), json!("1234.50"), 123_450, "1234.50"),
        (json!("JPY"), json!("1000000.00"), 1_000_000, "1000000"),
        (json!("JPY"), json!("1500.5"), 1_501, "1501"),
        (json!("KWD"), json!("12.345"), 12_345, "12.345"),
        (json!("KWD"), json!(7), 7_000, "7.000"),
        (json!("USD"), json!("12.345"), 1_235, "12.35"),
        (Value::Null, json!("88.80"), 8_880, "88.80"),
    ] {
        let remote = json!({"id": "d", "account": {"id": "a"}, "name": "n", "stage": "PROSPECTING",
                            "currency": currency, "amount": amount});
        let (Record::Opportunities(o), note) = from_remote(Entity::Opportunities, res, &remote, now()).unwrap() else {
            panic!()
        };
        assert!(note.problems.is_empty(), "{currency} {amount}: {:?}", note.problems);
        assert_eq!(o.amount, Money(minor), "{currency} {amount}");
        let out = to_remote(res, &Record::Opportunities(o), Some(&["amount".to_string()]));
        assert_eq!(out, json!({"amount": written}), "{currency} {amount}");
    }
    let remote = json!({"id": "d", "account": {"id": "a"}, "name": "n", "stage": "PROSPECTING",
                        "currency": "JPY", "amount": "12.3x"});
    let (_, note) = from_remote(Entity::Opportunities, res, &remote, now()).unwrap();
    assert_eq!(note.problems.iter().map(|p| p.field.as_str()).collect::<Vec<_>>(), vec!["amount"]);
}

#[test]
fn the_stages_a_backend_can_store() {
    // BottleCRM translates Kehu's default stages into its own: only those can be written there.
    let bottle = presets::profile("bottlecrm", None).unwrap();
    let deals = bottle.resources.get(&Entity::Opportunities).unwrap();
    let mut known = deals.known_values("stage").unwrap();
    known.sort_unstable();
    assert_eq!(known, vec!["lead", "lost", "negotiation", "qualified", "quote", "solution", "won"]);
    assert_eq!(deals.known_values("title"), None, "a field without a value table takes any value");
    // json-server and simple-rest keep Kehu's values as they are: any stage goes.
    for preset in ["json-server", "simple-rest"] {
        let p = presets::profile(preset, Some("http://127.0.0.1:9")).unwrap();
        assert_eq!(p.resources.get(&Entity::Opportunities).unwrap().known_values("stage"), None, "{preset}");
    }
}

/// BottleCRM's task (shaped like django-crm 1.35's `TaskListSerializer` row and `TaskSerializer`
/// detail) through the preset: status and priority both ways ("In Progress" reads as open;
/// cancelled is not a status it keeps), the account as the customer, the first assignee's email
/// as the owner (read only), and the description, which the list leaves out: a listed row notes
/// it for the cache to keep its own copy's, a detail read has it. Fields BottleCRM has no place
/// for are never sent.
#[test]
fn bottlecrm_tasks_map_both_ways() {
    let p = presets::profile("bottlecrm", None).unwrap();
    let res = &p.resources[&Entity::Tasks];
    assert_eq!(res.known_values("status"), Some(vec!["done", "open"]), "no cancelled on BottleCRM");
    let row = |status: &str, priority: &str| {
        json!({
            "id": "9a7e", "title": "回访：样品反馈", "status": status, "priority": priority,
            "due_date": "2026-11-20", "account": {"id": "a-1", "name": "杭州精工"},
            "opportunity": null, "case": null, "lead": null, "project": null,
            "assigned_to": [{"id": "p-1", "user_details": {"email": "rep@example.cn"}}],
            "tags": [], "created_at": "2026-11-02T08:00:00Z"
        })
    };
    let read = |v: &Value| match from_remote(Entity::Tasks, res, v, now()).unwrap() {
        (Record::Tasks(t), note) => (t, note),
        other => panic!("{other:?}"),
    };
    for (status, priority, want_status, want_priority) in [
        ("New", "Low", TaskStatus::Open, TaskPriority::Low),
        ("In Progress", "Medium", TaskStatus::Open, TaskPriority::Normal),
        ("Completed", "High", TaskStatus::Done, TaskPriority::High),
    ] {
        let (t, note) = read(&row(status, priority));
        assert!(note.problems.is_empty(), "{status}: {:?}", note.problems);
        assert_eq!((t.status, t.priority), (want_status, want_priority), "{status} {priority}");
        assert_eq!(note.first_seen, ["note"], "the list has no description: the cached copy keeps its own");
        assert_eq!(t.note, "");
    }
    let (t, _) = read(&row("New", "High"));
    assert_eq!(
        (t.id.as_str(), t.customer_id.as_str(), t.title.as_str(), t.owner.as_str()),
        ("9a7e", "a-1", "回访：样品反馈", "rep@example.cn")
    );
    assert_eq!(t.due_date, chrono::NaiveDate::from_ymd_opt(2026, 11, 20));
    assert_eq!(t.created_at, Utc.with_ymd_and_hms(2026, 11, 2, 8, 0, 0).unwrap());
    // The detail read has the description (null reads as empty, and is not "left out").
    let mut detail = row("New", "High");
    detail["description"] = json!("带样品");
    let (t, note) = read(&detail);
    assert_eq!((t.note.as_str(), note.first_seen.is_empty()), ("带样品", true));
    detail["description"] = Value::Null;
    let (_, note) = read(&detail);
    assert!(note.first_seen.is_empty(), "null is a value: an emptied description");

    // Written: the mapped fields only (not due_time, related, amount, promised_on, done_at, owner).
    let mut mine = Task::blank("local-1".into(), "a-1".into(), "王磊".into(), now());
    mine.title = "Chase invoice 1042".into();
    mine.due_date = chrono::NaiveDate::from_ymd_opt(2026, 12, 1);
    mine.due_time = "09:30".into();
    mine.priority = TaskPriority::High;
    mine.note = "call the buyer".into();
    mine.related = Some(TaskRelated::Invoice);
    mine.related_id = Some("1042".into());
    mine.amount = Some(Money(1_000_000));
    let out = to_remote(res, &Record::Tasks(mine.clone()), None);
    assert_eq!(
        out,
        json!({
            "account": "a-1", "title": "Chase invoice 1042", "status": "New", "priority": "High",
            "due_date": "2026-12-01", "description": "call the buyer"
        })
    );
    mine.status = TaskStatus::Done;
    assert_eq!(to_remote(res, &Record::Tasks(mine.clone()), Some(&["status".into()])), json!({"status": "Completed"}));
    for f in ["due_time", "related", "amount", "promised_on", "done_at"] {
        assert_eq!(res.fixed(f), Some(Fixed::NoField), "{f} stays on the device");
    }
    assert_eq!(res.fixed("owner"), Some(Fixed::SetByBackend));
}

/// A create answered with a message and no id, on a resource that does not keep Kehu's id
/// (BottleCRM's tasks), names no record: reading back Kehu's own id could only find nothing.
/// Where the resource keeps Kehu's id, the same answer is that record; an update names it too.
#[test]
fn a_create_answer_without_an_id_names_no_record_where_the_server_assigns_ids() {
    let p = presets::profile("bottlecrm", None).unwrap();
    let created = resp(200, &[], r#"{"error": false, "message": "Task Created Successfully"}"#);
    assert_eq!(api::parse_create(&p, Entity::Tasks, "local-1", &created, now()), Ok(Written::Unidentified));
    assert_eq!(
        api::parse_write(&p, Entity::Tasks, "9a7e", &created, now()),
        Ok(Written::ReadBack("9a7e".into())),
        "an update's answer: the record written"
    );
    let with_id = resp(200, &[], r#"{"error": false, "id": "9a7e"}"#);
    assert_eq!(api::parse_create(&p, Entity::Tasks, "local-1", &with_id, now()), Ok(Written::ReadBack("9a7e".into())));
    assert_eq!(
        api::parse_create(&p, Entity::Tasks, "local-1", &resp(204, &[], ""), now()),
        Ok(Written::Unidentified),
        "an empty answer names nothing either"
    );
    let refused = resp(400, &[], r#"{"error": true, "errors": {"title": ["This field is required."]}}"#);
    assert!(matches!(
        api::parse_create(&p, Entity::Tasks, "local-1", &refused, now()),
        Err(RemoteError::Rejected { status: 400, .. })
    ));
    let js = js();
    assert!(js.resources[&Entity::Customers].send_id_on_create);
    assert_eq!(
        api::parse_create(&js, Entity::Customers, "C1", &resp(204, &[], ""), now()),
        Ok(Written::ReadBack("C1".into())),
        "a backend that keeps Kehu's id: the record is under it"
    );
}
