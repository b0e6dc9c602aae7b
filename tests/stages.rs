//! Table-driven tests of a workspace's pipeline stages (issue 14): every edit a manager makes in
//! Settings — add, rename, default probability, committed, move, remove — with each refusal, and
//! the repair of stages read back from storage (`normalise`), through serde as the app stores them.
// Tests: a panic is the test failing; tables of cases have long tuple types.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

use kehu::core::model::*;

/// The shown name of a stage as the app gives it: its label, else a (here English) name by id.
fn name_of(s: &StageDef) -> String {
    if !s.label.trim().is_empty() {
        return s.label.clone();
    }
    match s.id.as_str() {
        "lead" => "Lead",
        "qualified" => "Qualified",
        "solution" => "Solution / sample",
        "quote" => "Quote",
        "negotiation" => "Negotiation",
        "won" => "Won",
        "lost" => "Lost",
        other => other,
    }
    .to_string()
}

fn ids(s: &Stages) -> Vec<&str> {
    s.0.iter().map(|d| d.id.as_str()).collect()
}

#[test]
fn adding_a_stage_makes_a_lasting_id_and_puts_it_after_the_open_ones() {
    // (stages before, label, probability, expected: Ok(new id) or the problem)
    let with_sample = {
        let mut s = Stages::default();
        s.add("Sample test", 30, &name_of).unwrap();
        s
    };
    let long = "长".repeat(201);
    let cases: Vec<(&str, Stages, &str, u8, Result<&str, StageProblem>)> = vec![
        ("ASCII words become the id", Stages::default(), "Sample test", 30, Ok("sample_test")),
        ("spaces around are trimmed", Stages::default(), "  Tender  ", 50, Ok("tender")),
        ("a Chinese name gets stage_<n>", Stages::default(), "样品试制", 35, Ok("stage_2")),
        ("mixed: the ASCII part", Stages::default(), "PPAP 审核", 45, Ok("ppap")),
        ("another name, the same id: a suffix", with_sample.clone(), "Sample-Test!", 30, Ok("sample_test_2")),
        ("the same name in other case", with_sample.clone(), "SAMPLE TEST", 30, Err(StageProblem::DuplicateLabel)),
        ("a default stage's shown name is taken", Stages::default(), "Lead", 10, Err(StageProblem::DuplicateLabel)),
        ("the name of won is taken", Stages::default(), "won", 100, Err(StageProblem::DuplicateLabel)),
        ("an id equal to won is not made", Stages::default(), "Won over", 90, Ok("won_over")),
        ("names compare without case", Stages::default(), "QUOTE", 60, Err(StageProblem::DuplicateLabel)),
        ("empty", Stages::default(), "   ", 10, Err(StageProblem::EmptyLabel)),
        ("probability over 100", Stages::default(), "Tender", 101, Err(StageProblem::Probability)),
        ("too long", Stages::default(), &long, 10, Err(StageProblem::TooLong)),
    ];
    for (what, mut stages, label, p, expected) in cases {
        let before = stages.clone();
        let got = stages.add(label, p, &name_of);
        assert_eq!(got.as_deref().map_err(|e| *e), expected, "{what}");
        match expected {
            Ok(id) => {
                let open: Vec<&str> = stages.open().map(|s| s.id.as_str()).collect();
                assert_eq!(open.last(), Some(&id), "{what}: the new stage is the last open one");
                assert_eq!(&ids(&stages)[stages.0.len() - 2..], &[WON, LOST], "{what}: won and lost stay last");
                let def = stages.get(id).unwrap();
                assert_eq!((def.label.as_str(), def.probability, def.committed), (label.trim(), p, false), "{what}");
            }
            Err(_) => assert_eq!(stages, before, "{what}: a refused edit changes nothing"),
        }
    }
}

#[test]
fn removing_the_default_id_frees_it_and_the_twelfth_stage_is_the_last() {
    let mut s = Stages::default();
    s.remove("quote", 0).unwrap();
    assert_eq!(s.add("Quote", 60, &name_of).unwrap(), "quote", "a deal stored as quote finds its stage again");
    for i in 0..(MAX_OPEN_STAGES - 5) {
        s.add(&format!("Gate {i}"), 50, &name_of).unwrap();
    }
    assert_eq!(s.open().count(), MAX_OPEN_STAGES);
    assert_eq!(s.add("One more", 50, &name_of), Err(StageProblem::TooMany));
}

#[test]
fn renaming_changing_and_refusing() {
    // (edit, expected, the stage's (label, probability, committed) afterwards)
    type Edit = fn(&mut Stages) -> Result<(), StageProblem>;
    let cases: Vec<(&str, Edit, Result<(), StageProblem>, &str, (&str, u8, bool))> = vec![
        (
            "rename a default stage",
            |s| s.rename("quote", "报价 / Quotation", &name_of),
            Ok(()),
            "quote",
            ("报价 / Quotation", 60, false),
        ),
        ("its own name again is fine", |s| s.rename("quote", "quote", &name_of), Ok(()), "quote", ("quote", 60, false)),
        (
            "an empty name brings a default stage's translation back",
            |s| s.rename("quote", "  ", &name_of),
            Ok(()),
            "quote",
            ("", 60, false),
        ),
        (
            "another stage's name",
            |s| s.rename("quote", "Negotiation", &name_of),
            Err(StageProblem::DuplicateLabel),
            "quote",
            ("", 60, false),
        ),
        (
            "won cannot be renamed",
            |s| s.rename(WON, "Closed", &name_of),
            Err(StageProblem::Fixed),
            WON,
            ("", 100, true),
        ),
        (
            "no such stage",
            |s| s.rename("tender", "Tender", &name_of),
            Err(StageProblem::Unknown),
            "quote",
            ("", 60, false),
        ),
        ("probability", |s| s.set_probability("quote", 55), Ok(()), "quote", ("", 55, false)),
        ("probability 0 and 100 are allowed", |s| s.set_probability("lead", 0), Ok(()), "lead", ("", 0, false)),
        (
            "probability over 100",
            |s| s.set_probability("quote", 120),
            Err(StageProblem::Probability),
            "quote",
            ("", 60, false),
        ),
        ("lost's probability is fixed", |s| s.set_probability(LOST, 5), Err(StageProblem::Fixed), LOST, ("", 0, false)),
        ("committed", |s| s.set_committed("quote", true), Ok(()), "quote", ("", 60, true)),
        ("no longer committed", |s| s.set_committed("negotiation", false), Ok(()), "negotiation", ("", 80, false)),
        ("won stays committed", |s| s.set_committed(WON, false), Err(StageProblem::Fixed), WON, ("", 100, true)),
    ];
    for (what, edit, expected, id, after) in cases {
        let mut s = Stages::default();
        assert_eq!(edit(&mut s), expected, "{what}");
        let d = s.get(id).unwrap();
        assert_eq!((d.label.as_str(), d.probability, d.committed), after, "{what}");
        assert_eq!(ids(&s), ids(&Stages::default()), "{what}: the order is unchanged");
    }
    // A custom stage needs its name (it has no translation).
    let mut s = Stages::default();
    let id = s.add("Tender", 50, &name_of).unwrap();
    assert_eq!(s.rename(&id, "", &name_of), Err(StageProblem::EmptyLabel));
    assert_eq!(s.get(&id).unwrap().label, "Tender");
}

#[test]
fn moving_and_removing() {
    type Edit = fn(&mut Stages) -> Result<(), StageProblem>;
    let cases: Vec<(&str, Edit, Result<(), StageProblem>, Vec<&str>)> = vec![
        (
            "up",
            |s| s.move_stage("quote", true),
            Ok(()),
            vec!["lead", "qualified", "quote", "solution", "negotiation", WON, LOST],
        ),
        (
            "down",
            |s| s.move_stage("lead", false),
            Ok(()),
            vec!["qualified", "lead", "solution", "quote", "negotiation", WON, LOST],
        ),
        (
            "the first up: unchanged",
            |s| s.move_stage("lead", true),
            Ok(()),
            vec!["lead", "qualified", "solution", "quote", "negotiation", WON, LOST],
        ),
        (
            "the last open one down: not past won",
            |s| s.move_stage("negotiation", false),
            Ok(()),
            vec!["lead", "qualified", "solution", "quote", "negotiation", WON, LOST],
        ),
        (
            "won does not move",
            |s| s.move_stage(WON, true),
            Err(StageProblem::Fixed),
            vec!["lead", "qualified", "solution", "quote", "negotiation", WON, LOST],
        ),
        (
            "remove an empty stage",
            |s| s.remove("solution", 0),
            Ok(()),
            vec!["lead", "qualified", "quote", "negotiation", WON, LOST],
        ),
        (
            "not with deals in it",
            |s| s.remove("solution", 3),
            Err(StageProblem::HasDeals(3)),
            vec!["lead", "qualified", "solution", "quote", "negotiation", WON, LOST],
        ),
        (
            "not lost",
            |s| s.remove(LOST, 0),
            Err(StageProblem::Fixed),
            vec!["lead", "qualified", "solution", "quote", "negotiation", WON, LOST],
        ),
        (
            "not an unknown one",
            |s| s.remove("tender", 0),
            Err(StageProblem::Unknown),
            vec!["lead", "qualified", "solution", "quote", "negotiation", WON, LOST],
        ),
    ];
    for (what, edit, expected, order) in cases {
        let mut s = Stages::default();
        assert_eq!(edit(&mut s), expected, "{what}");
        assert_eq!(ids(&s), order, "{what}");
    }
    let mut s = Stages::default();
    for id in ["lead", "qualified", "solution", "quote"] {
        s.remove(id, 0).unwrap();
    }
    assert_eq!(s.remove("negotiation", 0), Err(StageProblem::LastOpen));
    assert_eq!(ids(&s), vec!["negotiation", WON, LOST]);
}

#[test]
fn an_edited_pipeline_drives_positions_probabilities_and_new_deals() {
    let mut s = Stages::default();
    let tender = s.add("Tender", 50, &name_of).unwrap();
    s.move_stage(&tender, true).unwrap(); // before negotiation
    s.remove("lead", 0).unwrap();
    assert_eq!(s.position("qualified"), 0);
    assert_eq!(s.position(&tender), 3);
    assert_eq!(s.position("negotiation"), 4);
    assert_eq!(s.position("somewhere"), 5, "an unknown stage sorts after the open ones");
    assert!(s.position(WON) > s.position("somewhere"));
    assert_eq!(s.probability(&tender), Some(50));
    let now = chrono::DateTime::parse_from_rfc3339("2026-12-07T09:00:00Z").unwrap().to_utc();
    let o = Opportunity::blank("O1".into(), "C1".into(), &s, "王磊".into(), now);
    assert_eq!((o.stage.as_str(), o.probability), ("qualified", 25), "a new deal starts in the first open stage");
}

#[test]
fn stored_stages_are_repaired_not_refused() {
    // (stored JSON, the ids after normalise, the probabilities after)
    let cases: Vec<(&str, &str, Vec<&str>, Vec<u8>)> = vec![
        (
            "as saved",
            r#"[{"id":"qualified","label":"","probability":25,"committed":false,"outcome":"open"},{"id":"tender","label":"Tender","probability":50,"committed":true,"outcome":"open"},{"id":"won","label":"","probability":100,"committed":true,"outcome":"won"},{"id":"lost","label":"","probability":0,"committed":false,"outcome":"lost"}]"#,
            vec!["qualified", "tender", WON, LOST],
            vec![25, 50, 100, 0],
        ),
        (
            "won and lost missing or out of place come back fixed, at the end",
            r#"[{"id":"won","label":"Gewonnen","probability":3,"outcome":"won"},{"id":"lead","probability":10,"outcome":"open"}]"#,
            vec!["lead", WON, LOST],
            vec![10, 100, 0],
        ),
        (
            "duplicate, empty and outcome ids among the open ones are dropped; unknown fields ignored",
            r#"[{"id":"lead","probability":10,"outcome":"open","colour":"red"},{"id":"lead","probability":20,"outcome":"open"},{"id":" ","probability":5,"outcome":"open"},{"id":"won","probability":50,"outcome":"open"}]"#,
            vec!["lead", WON, LOST],
            vec![10, 100, 0],
        ),
        (
            "no open stage left: the default",
            r#"[{"id":"won","probability":100,"outcome":"won"}]"#,
            vec!["lead", "qualified", "solution", "quote", "negotiation", WON, LOST],
            vec![10, 25, 40, 60, 80, 100, 0],
        ),
    ];
    for (what, json, want_ids, want_p) in cases {
        let mut s: Stages = serde_json::from_str(json).expect(what);
        s.normalise();
        assert_eq!(ids(&s), want_ids, "{what}");
        assert_eq!(s.0.iter().map(|d| d.probability).collect::<Vec<_>>(), want_p, "{what}");
        let mut again = s.clone();
        again.normalise();
        assert_eq!(again, s, "{what}: normalising twice changes nothing");
    }
    // A probability over 100 is clamped (u8 holds up to 255).
    let mut s: Stages = serde_json::from_str(r#"[{"id":"lead","probability":200,"outcome":"open"}]"#).unwrap();
    s.normalise();
    assert_eq!(s.probability("lead"), Some(100));
    // What the app stores reads back equal.
    let mut edited = Stages::default();
    edited.add("样品试制", 35, &name_of).unwrap();
    edited.rename("quote", "Quotation", &name_of).unwrap();
    let mut back: Stages = serde_json::from_str(&serde_json::to_string(&edited).unwrap()).unwrap();
    back.normalise();
    assert_eq!(back, edited);
}

#[test]
fn typed_probabilities() {
    let cases = [
        ("40", Ok(40)),
        (" 40 % ", Ok(40)),
        ("0", Ok(0)),
        ("100", Ok(100)),
        ("101", Err(StageProblem::Probability)),
        ("-1", Err(StageProblem::Probability)),
        ("4.5", Err(StageProblem::Probability)),
        ("", Err(StageProblem::Probability)),
        ("四十", Err(StageProblem::Probability)),
    ];
    for (text, want) in cases {
        assert_eq!(parse_probability(text), want, "{text:?}");
    }
}
