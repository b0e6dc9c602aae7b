//! The service forms' builders: text fields → validated records, field errors otherwise.
// Tests: a panic is the test failing; tables of cases have long tuple types.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use kehu::core::form::*;
use kehu::core::model::*;
use kehu::core::validate::Problem;

fn cx() -> Context<'static> {
    Context {
        customer_id: "c1",
        new_id: "new-1",
        now: Utc.with_ymd_and_hms(2026, 5, 4, 8, 0, 0).unwrap(),
        today: NaiveDate::from_ymd_opt(2026, 5, 4).unwrap(),
        me: "王伟",
    }
}

fn fields(pairs: &[(&str, &str)]) -> Fields {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn problems<T: std::fmt::Debug>(r: Result<T, kehu::core::validate::ValidationErrors>) -> Vec<(String, Problem)> {
    match r {
        Ok(v) => panic!("expected errors, got {v:?}"),
        Err(e) => e.0.into_iter().map(|e| (e.field, e.problem)).collect(),
    }
}

#[test]
fn ticket_sla_follows_severity_and_status_stamps_times() {
    let c = cx();
    let t = build_ticket(
        &fields(&[("title", "主轴异响"), ("severity", "critical"), ("kind", "complaint")]),
        None,
        vec![],
        &c,
    )
    .expect("valid");
    assert_eq!((t.id.as_str(), t.customer_id.as_str(), t.status), ("new-1", "c1", TicketStatus::Open));
    assert_eq!(t.sla_due - t.opened_at, Duration::hours(4));
    assert_eq!(t.assignee.as_deref(), Some("王伟"));
    // Lower the severity later: the due time moves from the opening time.
    let mut later = c.clone();
    later.now += Duration::hours(2);
    let mut f = ticket_fields(Some(&t));
    f.insert("severity".into(), "low".into());
    let t2 = build_ticket(&f, Some(t.clone()), vec![], &later).expect("valid");
    assert_eq!(t2.sla_due - t2.opened_at, Duration::days(7));
    assert_eq!(t2.opened_at, t.opened_at);
    // Resolving needs a note; with one, the time is stamped; reopening clears it.
    f.insert("status".into(), "resolved".into());
    assert_eq!(
        problems(build_ticket(&f, Some(t2.clone()), vec![], &later)),
        vec![("resolution".to_string(), Problem::MissingResolution)]
    );
    f.insert("resolution".into(), "更换轴承".into());
    let t3 = build_ticket(&f, Some(t2.clone()), vec![], &later).expect("valid");
    assert_eq!(t3.resolved_at, Some(later.now));
    f.insert("status".into(), "closed".into());
    let t4 = build_ticket(&f, Some(t3.clone()), vec![], &later).expect("valid");
    assert_eq!((t4.resolved_at, t4.closed_at), (Some(later.now), Some(later.now)));
    f.insert("status".into(), "in_progress".into());
    let t5 = build_ticket(&f, Some(t4), vec![], &later).expect("valid");
    assert_eq!((t5.resolved_at, t5.closed_at), (None, None));
}

#[test]
fn ticket_errors_and_photos() {
    let c = cx();
    assert_eq!(
        problems(build_ticket(&fields(&[("title", " ")]), None, vec![], &c)),
        vec![("title".to_string(), Problem::Required)]
    );
    let ok = Photo { name: "a.jpg".into(), data_url: "data:image/jpeg;base64,/9j/4AAQSkZJRg==".into() };
    let bad = Photo { name: "x.svg".into(), data_url: "data:image/svg+xml;base64,PHN2Zz4=".into() };
    let script = Photo { name: "x".into(), data_url: "javascript:alert(1)".into() };
    let f = fields(&[("title", "漏油")]);
    assert_eq!(build_ticket(&f, None, vec![ok.clone()], &c).expect("valid").photos, vec![ok.clone()]);
    for p in [bad, script] {
        assert_eq!(problems(build_ticket(&f, None, vec![p], &c)), vec![("photos".to_string(), Problem::InvalidPhoto)]);
    }
    assert_eq!(
        problems(build_ticket(&f, None, vec![ok; MAX_PHOTOS + 1], &c)),
        vec![("photos".to_string(), Problem::TooMany { max: MAX_PHOTOS as u32 })]
    );
}

#[test]
fn visit_report() {
    let c = cx();
    let f = fields(&[
        ("date", "2026-05-04"),
        ("purpose", "service"),
        ("contacts_met", "p1, p2"),
        ("notes", "试机正常"),
        ("next_step", "寄样"),
        ("next_step_date", "2026-05-10"),
        ("location", "30.274085,120.155070,12"),
        ("rep", "王伟"),
    ]);
    let v = build_visit(&f, None, &c).expect("valid");
    assert_eq!(v.contacts_met, vec!["p1", "p2"]);
    assert_eq!(v.purpose, VisitPurpose::Service);
    assert_eq!(v.location, Some(GeoPoint { lat: 30.274085, lon: 120.15507, accuracy_m: Some(12.0) }));
    assert_eq!(build_visit(&visit_fields(Some(&v), c.today, "x"), Some(v.clone()), &c).expect("round trip"), v);
    let cases: &[(&[(&str, &str)], &[(&str, Problem)])] = &[
        (&[("date", "")], &[("date", Problem::Required)]),
        (&[("date", "2026-13-01")], &[("date", Problem::InvalidDate)]),
        (&[("date", "2026-05-04"), ("next_step_date", "2026-05-01")], &[("next_step_date", Problem::DateOrder)]),
        (&[("date", "2026-05-04"), ("location", "north")], &[("location", Problem::InvalidCoordinates)]),
        (&[("date", "2026-05-04"), ("location", "91,0")], &[("location", Problem::InvalidCoordinates)]),
        (&[("date", "2026-05-04"), ("contacts_met", "p1,p1")], &[("contacts_met[1]", Problem::Duplicate)]),
    ];
    for (pairs, want) in cases {
        let want: Vec<(String, Problem)> = want.iter().map(|(f, p)| (f.to_string(), *p)).collect();
        assert_eq!(problems(build_visit(&fields(pairs), None, &c)), want, "{pairs:?}");
    }
}

#[test]
fn survey_scores() {
    let c = cx();
    let s = build_survey(&fields(&[("csat", "4"), ("nps", "9"), ("comment", "交期准时")]), None, &c).expect("valid");
    assert_eq!((s.csat, s.nps, s.date), (Some(4), Some(9), c.today));
    let cases: &[(&[(&str, &str)], &[(&str, Problem)])] = &[
        (&[("csat", "6")], &[("csat", Problem::OutOfRange { min: 1, max: 5 })]),
        (&[("nps", "11")], &[("nps", Problem::OutOfRange { min: 0, max: 10 })]),
        (
            &[("csat", "x"), ("nps", "-1")],
            &[("csat", Problem::OutOfRange { min: 1, max: 5 }), ("nps", Problem::OutOfRange { min: 0, max: 10 })],
        ),
        (&[("comment", "ok")], &[("csat", Problem::NoScore)]),
    ];
    for (pairs, want) in cases {
        let got = problems(build_survey(&fields(pairs), None, &c));
        let want: Vec<(String, Problem)> = want.iter().map(|(f, p)| (f.to_string(), *p)).collect();
        assert_eq!(
            got.iter().map(|g| g.1).collect::<Vec<_>>(),
            want.iter().map(|w| w.1).collect::<Vec<_>>(),
            "{pairs:?}: {got:?}"
        );
    }
}

#[test]
fn contact_create_and_edit() {
    let c = cx();
    let p = build_contact(
        &fields(&[("name", "张敏"), ("email", "zhang@example.cn"), ("mobile", "+86 138 0000 0000"), ("primary", "1")]),
        None,
        &c,
    )
    .expect("valid");
    assert!(p.primary && p.customer_id == "c1");
    assert_eq!(build_contact(&contact_fields(Some(&p)), Some(p.clone()), &c).expect("round trip"), p);
    let got = problems(build_contact(&fields(&[("name", ""), ("email", "zhang@")]), None, &c));
    assert!(
        got.contains(&("name".to_string(), Problem::Required))
            && got.contains(&("email".to_string(), Problem::InvalidEmail)),
        "{got:?}"
    );
}

#[test]
fn customer_create_edit_and_errors() {
    let c = cx();
    let f = fields(&[
        ("name", " 杭州机床 "),
        ("role", "distributor"),
        ("country", "cn"),
        ("tags", "key， export; key2"),
        ("credit_limit", "1234.5"),
        ("currency", "CNY"),
        ("payment_terms_days", "45"),
    ]);
    let k = build_customer(&f, None, &c).expect("valid");
    assert_eq!(
        (k.id.as_str(), k.name.as_str(), k.role, k.country.as_str()),
        ("new-1", "杭州机床", SupplyChainRole::Distributor, "CN")
    );
    assert_eq!(k.tags, vec!["key", "export", "key2"]);
    assert_eq!((k.credit_limit, k.payment_terms_days, k.owner.clone()), (Some(Money(123_450)), 45, None));
    assert_eq!(build_customer(&customer_fields(Some(&k)), Some(k.clone()), &c).expect("round trip"), k);
    let cases: &[(&[(&str, &str)], &[(&str, Problem)])] = &[
        (&[("name", "")], &[("name", Problem::Required)]),
        (&[("name", "A"), ("credit_limit", "lots")], &[("credit_limit", Problem::InvalidNumber)]),
        (&[("name", "A"), ("potential_annual_spend", "1.2.3")], &[("potential_annual_spend", Problem::InvalidNumber)]),
        (
            &[("name", "A"), ("payment_terms_days", "-1")],
            &[("payment_terms_days", Problem::OutOfRange { min: 0, max: 365 })],
        ),
        (
            &[("name", "A"), ("payment_terms_days", "400")],
            &[("payment_terms_days", Problem::OutOfRange { min: 0, max: 365 })],
        ),
        (&[("name", "A"), ("country", "China")], &[("country", Problem::InvalidCountry)]),
    ];
    for (pairs, want) in cases {
        let mut f = customer_fields(None);
        f.extend(fields(pairs));
        let want: Vec<(String, Problem)> = want.iter().map(|(f, p)| (f.to_string(), *p)).collect();
        assert_eq!(problems(build_customer(&f, None, &c)), want, "{pairs:?}");
    }
}

#[test]
fn draft_keys_are_per_workspace_and_record() {
    let cases = [
        (("demo", "customers", "42", "42"), ("https://a.example|A", "customers", "42", "42")),
        (("w", "contacts", "a.b", "c"), ("w", "contacts", "a", "b.c")),
        (("w", "tickets", "c1", "new"), ("w", "visits", "c1", "new")),
        (("w\"", "x", "y", "z"), ("w", "\"x", "y", "z")),
    ];
    for (a, b) in cases {
        let ka = draft_key(a.0, a.1, a.2, a.3);
        let kb = draft_key(b.0, b.1, b.2, b.3);
        assert_ne!(ka, kb, "{a:?} vs {b:?}");
        assert!(ka.starts_with("kehu.draft."));
        assert_eq!(ka, draft_key(a.0, a.1, a.2, a.3));
    }
    // A draft without the newer fields (written by an older build) still reads.
    let old: Draft = serde_json::from_str(r#"{"fields":{"name":"x"}}"#).expect("old draft");
    assert_eq!((old.fields["name"].as_str(), old.base, old.photos), ("x", None, None));
}

#[test]
fn rebasing_a_draft_keeps_what_the_user_typed_and_takes_the_rest_from_the_record() {
    // (field, base, draft, current) → (result, changed on both sides)
    let cases: &[(&str, Option<&str>, Option<&str>, Option<&str>, Option<&str>, bool)] = &[
        ("untouched, unchanged", Some("a"), Some("a"), Some("a"), Some("a"), false),
        ("untouched, changed meanwhile", Some("a"), Some("a"), Some("b"), Some("b"), false),
        ("typed, unchanged meanwhile", Some("a"), Some("x"), Some("a"), Some("x"), false),
        ("typed, same change meanwhile", Some("a"), Some("x"), Some("x"), Some("x"), false),
        ("typed, other change meanwhile", Some("a"), Some("x"), Some("b"), Some("x"), true),
        ("new field typed", None, Some("x"), None, Some("x"), false),
        ("field added meanwhile", None, None, Some("b"), Some("b"), false),
        ("cleared by the user", Some("a"), Some(""), Some("a"), Some(""), false),
    ];
    for &(what, base, draft, current, want, conflict) in cases {
        let one = |v: Option<&str>| v.map(|v| fields(&[("f", v)])).unwrap_or_default();
        let (got, both) = rebase(&one(draft), &one(base), &one(current));
        assert_eq!(got.get("f").map(String::as_str), want, "{what}");
        assert_eq!(
            both,
            if conflict { vec![("f".to_string(), current.unwrap_or("").to_string())] } else { vec![] },
            "{what}"
        );
    }
}

/// A name of only spaces or invisible characters is refused with the field's "required" error,
/// like an empty one; a name with any visible character is accepted.
#[test]
fn a_blank_name_is_refused() {
    let c = cx();
    let cases: &[(&str, bool)] = &[
        ("", true),
        ("   ", true),
        ("\t\u{3000}", true),
        ("\u{200B}\u{200D}", true),
        ("\u{202E}", true),
        ("\u{2067} \u{2069}\u{FEFF}", true),
        ("A", false),
        (" 杭州精工 ", false),
        ("\u{202E}ABC", false),
    ];
    for &(name, refused) in cases {
        let mut f = customer_fields(None);
        f.insert("name".into(), name.into());
        let got = build_customer(&f, None, &c);
        assert_eq!(got.as_ref().err().is_some_and(|e| e.has("name", Problem::Required)), refused, "customer {name:?}");
        assert_eq!(kehu::core::text::is_blank(name), refused, "{name:?}");
        let contact = build_contact(&fields(&[("name", name)]), None, &c);
        assert_eq!(contact.err().is_some_and(|e| e.has("name", Problem::Required)), refused, "contact {name:?}");
    }
}

#[test]
fn draft_keys_of_today_and_of_older_builds_are_read() {
    let cases: Vec<(String, Option<DraftKey>)> = vec![
        (
            draft_key("b-1", "contacts", "a.b", "c"),
            Some(DraftKey::Current {
                workspace: "b-1".into(),
                kind: "contacts".into(),
                customer: "a.b".into(),
                record: "c".into(),
            }),
        ),
        (
            legacy_draft_key("tickets", "C1", "new"),
            Some(DraftKey::Legacy { kind: "tickets".into(), rest: "C1.new".into() }),
        ),
        ("kehu.draft.visits.c.1.v.2".into(), Some(DraftKey::Legacy { kind: "visits".into(), rest: "c.1.v.2".into() })),
        ("kehu.draft.[broken".into(), None),
        ("kehu.draft.nodots".into(), None),
        ("kehu.credentials.b-1".into(), None),
    ];
    for (key, want) in cases {
        assert_eq!(parse_draft_key(&key), want, "{key}");
    }
    // An older build's draft: fields and inline photos, read as today's draft and its photos.
    let photo = Photo { name: "a.jpg".into(), data_url: "data:image/jpeg;base64,/9j/4AAQ".into() };
    let old = serde_json::json!({"fields": {"title": "漏油"}, "photos": [photo.clone()]}).to_string();
    let (d, photos) = read_legacy_draft(&old).expect("read");
    assert_eq!((d.fields["title"].as_str(), d.base, d.photos, photos), ("漏油", None, Some(1), vec![photo]));
    let (d, photos) = read_legacy_draft(r#"{"fields": {"name": "x"}}"#).expect("no photos");
    assert_eq!((d.photos, photos.len()), (None, 0));
    assert_eq!(read_legacy_draft("not json"), None);
}

/// Which stored drafts can never be found again, seen from the open workspace.
#[test]
fn drafts_that_can_never_be_found_are_forgotten() {
    let now = Utc.with_ymd_and_hms(2026, 5, 4, 8, 0, 0).unwrap();
    let mut data = kehu::core::model::Dataset::default();
    data.customers.push(Customer { name: "甲".into(), ..Customer::blank("c.1", Currency::CNY, now) });
    data.customers.push(Customer { name: "乙".into(), ..Customer::blank("c2", Currency::CNY, now) });
    let mut f = fields(&[("name", "王伟")]);
    let contact = build_contact(&f, None, &Context { customer_id: "c.1", new_id: "k.1", ..cx() }).unwrap();
    data.contacts.push(contact);
    f.clear();
    let w = kehu::core::workspace::Workspace::new(kehu::core::workspace::Source::Demo { seed: 1, customers: 2 }, data);
    let exists = |k: &str, c: &str, r: &str| draft_target_exists(&w, k, c, r);
    let device = vec!["open".to_string(), "other".to_string()];
    let alone = vec!["open".to_string()];
    let full = DraftScope { open: "open", on_device: Some(&device), complete: true };
    let only_open = DraftScope { open: "open", on_device: Some(&alone), complete: true };
    let unlisted = DraftScope { open: "open", on_device: None, complete: true };
    let partial = DraftScope { open: "open", on_device: Some(&alone), complete: false };
    let forget = DraftFate::Forget { photos: true };
    let gone = DraftFate::Forget { photos: false };
    let cases: Vec<(&str, String, DraftScope, DraftFate)> = vec![
        ("a customer's edit", draft_key("open", "customers", "c2", "c2"), full, DraftFate::Keep),
        ("a new customer", draft_key("open", "customers", "new", "new"), full, DraftFate::Keep),
        ("a deleted customer's edit", draft_key("open", "customers", "c9", "c9"), full, forget),
        ("a new contact of a customer there", draft_key("open", "contacts", "c.1", "new"), full, DraftFate::Keep),
        ("a contact's edit", draft_key("open", "contacts", "c.1", "k.1"), full, DraftFate::Keep),
        ("the contact under another customer", draft_key("open", "contacts", "c2", "k.1"), full, forget),
        ("a record that is gone", draft_key("open", "tickets", "c.1", "t-temp"), full, forget),
        ("a new record of a customer that is gone", draft_key("open", "visits", "c9", "new"), full, forget),
        ("not all records could be read", draft_key("open", "tickets", "c.1", "t-temp"), partial, DraftFate::Keep),
        ("another workspace on the device", draft_key("other", "customers", "x", "x"), full, DraftFate::Keep),
        ("a workspace gone from the device", draft_key("gone", "customers", "x", "x"), full, gone),
        ("workspaces the browser cannot list", draft_key("gone", "customers", "x", "x"), unlisted, DraftFate::Keep),
        ("an older build's draft found here", legacy_draft_key("contacts", "c.1", "k.1"), only_open, DraftFate::Keep),
        ("an older build's new-record draft", legacy_draft_key("tickets", "c.1", "new"), only_open, DraftFate::Keep),
        ("an older build's, nowhere", legacy_draft_key("tickets", "c9", "new"), only_open, gone),
        (
            "an older build's, another workspace may have it",
            legacy_draft_key("tickets", "c9", "new"),
            full,
            DraftFate::Keep,
        ),
        ("an older build's, workspaces unknown", legacy_draft_key("tickets", "c9", "new"), unlisted, DraftFate::Keep),
        ("an older build's, not all read", legacy_draft_key("tickets", "c9", "new"), partial, DraftFate::Keep),
    ];
    for (what, key, scope, want) in cases {
        let k = parse_draft_key(&key).unwrap_or_else(|| panic!("{what}: {key}"));
        assert_eq!(draft_fate(&k, scope, exists), want, "{what}");
    }
}
