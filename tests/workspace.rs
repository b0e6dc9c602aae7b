//! Workspace look-ups: customer by id, a customer's records in date order, search.

use chrono::{NaiveDate, TimeZone, Utc};
use kehu::core::model::*;
use kehu::core::workspace::{Dataset, Entity, Source, Workspace};

fn customer(id: &str, name: &str, city: &str, tags: &[&str]) -> Customer {
    let t = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
    Customer {
        id: id.into(),
        name: name.into(),
        short_name: String::new(),
        role: SupplyChainRole::EndCustomer,
        industry: String::new(),
        region: String::new(),
        country: String::new(),
        city: city.into(),
        address: String::new(),
        owner: None,
        team: vec![],
        tags: tags.iter().map(|s| s.to_string()).collect(),
        credit_limit: None,
        currency: Currency::CNY,
        payment_terms_days: 30,
        potential_annual_spend: None,
        parent_id: None,
        distributor_of: vec![],
        created_at: t,
        updated_at: t,
        custom: Default::default(),
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
            id: "P1".into(),
            customer_id: "C3".into(),
            name: "Anna Schmidt".into(),
            title: String::new(),
            department: String::new(),
            phone: "+49 711 555 0101".into(),
            mobile: String::new(),
            email: "anna@haifan.example.com".into(),
            primary: true,
            notes: String::new(),
            created_at: t,
            updated_at: t,
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
