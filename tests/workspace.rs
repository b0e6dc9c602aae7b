//! Workspace look-ups: customer by id, a customer's records in date order, search.
// Tests: a panic is the test failing; tables of cases have long tuple types.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

use chrono::{NaiveDate, TimeZone, Utc};
use kehu::core::model::*;
use kehu::core::model::{Dataset, Entity};
use kehu::core::workspace::{Source, Workspace};

fn customer(id: &str, name: &str, city: &str, tags: &[&str]) -> Customer {
    let t = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
    Customer {
        name: name.into(),
        role: SupplyChainRole::EndCustomer,
        city: city.into(),
        tags: tags.iter().map(|s| s.to_string()).collect(),
        payment_terms_days: 30,
        ..Customer::blank(id, Currency::CNY, t)
    }
}

fn order(id: &str, customer: &str, day: u32) -> Order {
    Order {
        id: id.into(),
        customer_id: customer.into(),
        date: NaiveDate::from_ymd_opt(2026, 1, day).unwrap(),
        amount: Money(100),
        margin: None,
        currency: Currency::CNY,
        status: OrderStatus::Delivered,
        lines: vec![],
        updated_at: Utc.with_ymd_and_hms(2026, 1, day, 0, 0, 0).unwrap(),
    }
}

fn workspace() -> Workspace {
    let t = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
    let data = Dataset {
        customers: vec![
            customer("C1", "杭州精工机床有限公司", "杭州", &["key-account"]),
            customer("C2", "Northwind Precision GmbH", "Stuttgart", &["export", "AS9100"]),
            customer("C3", "宁波海帆液压科技有限公司", "宁波", &[]),
        ],
        contacts: vec![Contact {
            name: "Anna Schmidt".into(),
            phone: "+49 711 555 0101".into(),
            email: "anna@haifan.example.com".into(),
            primary: true,
            ..Contact::blank("P1", "C3", t)
        }],
        // Out of date order on purpose, plus one whose customer does not exist.
        orders: vec![order("SO3", "C1", 20), order("SO1", "C1", 5), order("SO2", "C2", 9), order("SO9", "C404", 1)],
        ..Default::default()
    };
    Workspace::new(Source::Demo { seed: 1, customers: 3 }, data)
}

#[test]
fn look_ups() {
    let ws = workspace();
    assert!(ws.is_demo());
    assert_eq!(ws.customer("C2").map(|c| c.name.as_str()), Some("Northwind Precision GmbH"));
    assert_eq!(ws.customer("nope"), None);
    let c1 = ws.customer_index("C1").unwrap();
    let ids: Vec<&str> = ws.children(c1).orders.iter().map(|&i| ws.data.orders[i].id.as_str()).collect();
    assert_eq!(ids, vec!["SO1", "SO3"], "a customer's orders, oldest first");
    assert!(ws.children(99).orders.is_empty(), "out-of-range index gives no records, not a panic");
    assert_eq!(ws.data.len(Entity::Orders), 4);
    assert_eq!(ws.data.len(Entity::Contacts), 1);
}

#[test]
fn search() {
    let ws = workspace();
    let names =
        |q: &str| -> Vec<String> { ws.search(q).into_iter().map(|i| ws.data.customers[i].id.clone()).collect() };
    let table: &[(&str, &[&str])] = &[
        ("", &["C1", "C2", "C3"]),
        ("   ", &["C1", "C2", "C3"]),
        ("杭州", &["C1"]),
        ("northwind", &["C2"]),
        ("NORTHWIND gmbh", &["C2"]),
        ("stuttgart", &["C2"]),
        ("as9100", &["C2"]),
        ("anna", &["C3"]),           // by contact name
        ("555 0101", &["C3"]),       // by contact phone
        ("haifan.example", &["C3"]), // by contact e-mail
        ("有限公司", &["C1", "C3"]),
        ("有限公司 宁波", &["C3"]), // every term must match
        ("northwind 杭州", &[]),
        ("<script>", &[]),
    ];
    for (q, want) in table {
        assert_eq!(names(q), want.iter().map(|s| s.to_string()).collect::<Vec<_>>(), "{q:?}");
    }
}

/// Indexing a piece at a time (as the browser opens a big cache) gives the same workspace as
/// indexing at once: every customer's records in the same order, the same search answers.
#[test]
fn indexing_in_steps_equals_indexing_at_once() {
    use kehu::core::demo::{DemoConfig, generate};
    let cfg = DemoConfig { seed: 7, customers: 300, as_of: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap() };
    let whole = Workspace::new(Source::Demo { seed: 7, customers: 300 }, generate(&cfg));
    let queries = ["", "有限公司", "gmbh", "a", "上海 物流", "@", "13"];
    for step in [1, 7, 64, 1_000, usize::MAX] {
        let mut ix = Workspace::indexing(Source::Demo { seed: 7, customers: 300 }, generate(&cfg));
        let mut steps = 0;
        while !ix.step(step) {
            steps += 1;
            assert!(steps < 1_000_000, "indexing ends");
        }
        let ws = ix.finish();
        if step < 1_000 {
            assert!(steps > 10, "step {step}: the work is spread over steps ({steps})");
        }
        for i in 0..whole.data.customers.len() {
            let (a, b) = (whole.children(i), ws.children(i));
            assert_eq!(
                (&a.contacts, &a.orders, &a.invoices, &a.tickets, &a.visits, &a.surveys),
                (&b.contacts, &b.orders, &b.invoices, &b.tickets, &b.visits, &b.surveys),
                "step {step}: customer {i}'s records"
            );
            let id = &whole.data.customers[i].id;
            assert_eq!(ws.customer_index(id), whole.customer_index(id), "step {step}: {id}");
        }
        for q in queries {
            assert_eq!(ws.search(q), whole.search(q), "step {step}: search {q:?}");
        }
        assert!(ws.children(0).orders.len() + ws.children(1).orders.len() > 0, "the sample has orders");
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod batches {
    //! Applying a batch is idempotent by record: one row per record, whatever the batch repeats.
    use super::*;
    use kehu::core::record::Change;
    use kehu::core::record::Record;
    use proptest::prelude::*;

    fn up_c(id: &str, city: &str) -> Change {
        Change::Upsert(Record::Customers(customer(id, id, city, &[])))
    }
    fn up_o(id: &str, cid: &str, day: u32) -> Change {
        Change::Upsert(Record::Orders(order(id, cid, day)))
    }
    fn rm(e: Entity, id: &str) -> Change {
        Change::Remove(e, id.into())
    }

    /// Every look-up agrees with the data: each customer found at its own position, each record
    /// listed under its customer exactly once, ids unique.
    fn consistent(ws: &Workspace) {
        let mut ids: Vec<&str> = ws.data.customers.iter().map(|c| c.id.as_str()).collect();
        ids.sort_unstable();
        let n = ids.len();
        ids.dedup();
        assert_eq!(
            ids.len(),
            n,
            "one row per customer: {:?}",
            ws.data.customers.iter().map(|c| &c.id).collect::<Vec<_>>()
        );
        let mut oids: Vec<&str> = ws.data.orders.iter().map(|o| o.id.as_str()).collect();
        oids.sort_unstable();
        let n = oids.len();
        oids.dedup();
        assert_eq!(oids.len(), n, "one row per order");
        for (i, c) in ws.data.customers.iter().enumerate() {
            assert_eq!(ws.customer_index(&c.id), Some(i), "{} found at its position", c.id);
            let mut listed: Vec<&str> = ws.children(i).orders.iter().map(|&p| ws.data.orders[p].id.as_str()).collect();
            listed.sort_unstable();
            let mut own: Vec<&str> =
                ws.data.orders.iter().filter(|o| o.customer_id == c.id).map(|o| o.id.as_str()).collect();
            own.sort_unstable();
            assert_eq!(listed, own, "{}'s orders", c.id);
        }
    }

    fn cities(ws: &Workspace) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = ws.data.customers.iter().map(|c| (c.id.clone(), c.city.clone())).collect();
        v.sort();
        v
    }

    #[test]
    fn table() {
        type Case = (&'static str, Vec<Change>, &'static [(&'static str, &'static str)]);
        let cases: Vec<Case> = vec![
            (
                "a create's answer and the pull's copy of the same new record",
                vec![up_c("C9", "温州"), up_c("C9", "温州")],
                &[("C1", "杭州"), ("C2", "Stuttgart"), ("C3", "宁波"), ("C9", "温州")],
            ),
            (
                "a temporary id removed and the server's id added, then pulled again",
                vec![up_c("tmp-1", "温州"), rm(Entity::Customers, "tmp-1"), up_c("S-77", "温州"), up_c("S-77", "温州")],
                &[("C1", "杭州"), ("C2", "Stuttgart"), ("C3", "宁波"), ("S-77", "温州")],
            ),
            (
                "overlapping pages: the later copy wins",
                vec![up_c("C2", "Berlin"), up_c("C3", "舟山"), up_c("C3", "舟山"), up_c("C2", "München")],
                &[("C1", "杭州"), ("C2", "München"), ("C3", "舟山")],
            ),
            (
                "removed then upserted in one batch: the record stays, once",
                vec![rm(Entity::Customers, "C1"), up_c("C1", "绍兴")],
                &[("C1", "绍兴"), ("C2", "Stuttgart"), ("C3", "宁波")],
            ),
            (
                "a removal before a replacement further on does not replace the wrong row",
                vec![rm(Entity::Customers, "C1"), up_c("C3", "舟山")],
                &[("C2", "Stuttgart"), ("C3", "舟山")],
            ),
            (
                "upserted then removed: gone",
                vec![up_c("C9", "温州"), rm(Entity::Customers, "C9"), rm(Entity::Customers, "nope")],
                &[("C1", "杭州"), ("C2", "Stuttgart"), ("C3", "宁波")],
            ),
        ];
        for (what, batch, want) in cases {
            let mut ws = workspace();
            ws.apply(batch.clone());
            consistent(&ws);
            let want: Vec<(String, String)> = want.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
            assert_eq!(cities(&ws), want, "{what}");
            // The same batch again changes nothing.
            ws.apply(batch);
            consistent(&ws);
            assert_eq!(cities(&ws), want, "{what}, applied twice");
        }
    }

    #[test]
    fn child_records_of_a_customer_created_in_the_same_batch() {
        let mut ws = workspace();
        ws.apply(vec![
            up_c("tmp", "温州"),
            up_o("O1", "tmp", 3),
            rm(Entity::Customers, "tmp"),
            up_c("S1", "温州"),
            up_o("O1", "S1", 3),
            up_o("O1", "S1", 3),
            rm(Entity::Orders, "SO9"),
        ]);
        consistent(&ws);
        let s1 = ws.customer_index("S1").unwrap();
        assert_eq!(ws.children(s1).orders.len(), 1);
        assert_eq!(ws.data.orders.iter().filter(|o| o.id == "O1").count(), 1);
    }

    fn change() -> impl Strategy<Value = Change> {
        let id = prop::sample::select(vec!["C1", "C2", "C3", "C4", "C5"]);
        let oid = prop::sample::select(vec!["SO1", "SO2", "SO3", "SO4"]);
        prop_oneof![
            (id.clone(), prop::sample::select(vec!["a", "b", "c"])).prop_map(|(i, c)| up_c(i, c)),
            id.clone().prop_map(|i| rm(Entity::Customers, i)),
            (oid.clone(), id, 1u32..28).prop_map(|(o, c, d)| up_o(o, c, d)),
            oid.prop_map(|o| rm(Entity::Orders, o)),
        ]
    }

    proptest! {
        /// Any batch, split anywhere, gives the workspace a fresh index of the end state would be.
        #[test]
        fn batches_equal_the_end_state(changes in prop::collection::vec(change(), 0..40), split in 0usize..40) {
            let mut ws = workspace();
            let split = split.min(changes.len());
            ws.apply(changes[..split].to_vec());
            ws.apply(changes[split..].to_vec());
            consistent(&ws);
            // The end state, by last word per record.
            let mut expected = workspace().data;
            let mut model: std::collections::BTreeMap<(Entity, String), Option<Record>> = Default::default();
            for r in Record::all(&expected) {
                model.insert((r.entity(), r.id().to_string()), Some(r));
            }
            for c in &changes {
                match c {
                    Change::Upsert(r) => model.insert((r.entity(), r.id().to_string()), Some(r.clone())),
                    Change::Remove(e, id) => model.insert((*e, id.clone()), None),
                };
            }
            expected = Dataset::default();
            for r in model.into_values().flatten() {
                r.push_into(&mut expected);
            }
            let sorted = |d: &Dataset| {
                let mut v: Vec<String> = Record::all(d).map(|r| r.to_json_string()).collect();
                v.sort();
                v
            };
            prop_assert_eq!(sorted(&ws.data), sorted(&expected));
        }
    }
}
