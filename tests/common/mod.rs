//! Helpers shared by the test crates: the demo fingerprint (native and wasm), an in-memory
//! cache (`mem`), and real backend servers started on 127.0.0.1 (`servers`, native).
//!
//! The demo generator promises the same data on every platform (it only uses integer PCG output and
//! `libm`), so the native run and the run in Chromium must both match these constants. They may
//! only change when the generator is changed on purpose: then update them. A change you did not
//! intend — say `f64::exp` instead of `libm::exp`, or a `HashMap` walk — is what this catches.

#![allow(dead_code)]
// Tests: a panic is the test failing; tables of cases have long tuple types.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

pub mod mem;
#[cfg(not(target_arch = "wasm32"))]
pub mod servers;

use chrono::NaiveDate;
use kehu::core::demo::{DemoConfig, generate};

pub fn assert_demo_fingerprint() {
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 1).expect("valid date");
    let d = generate(&DemoConfig { seed: 7, customers: 300, as_of });
    fn fnv(h: &mut u64, s: &str) {
        for b in s.bytes().chain([0xff]) {
            *h ^= u64::from(b);
            *h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    let counts = [
        d.customers.len(),
        d.contacts.len(),
        d.orders.len(),
        d.invoices.len(),
        d.tickets.len(),
        d.visits.len(),
        d.surveys.len(),
        d.plans.len(),
    ];
    assert_eq!(counts, [300, 542, 2864, 2744, 522, 832, 416, 169]);
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for c in &d.customers {
        fnv(&mut h, &c.name);
        fnv(&mut h, &c.address);
    }
    for p in &d.contacts {
        fnv(&mut h, &p.name);
        fnv(&mut h, &p.phone);
        fnv(&mut h, &p.email);
    }
    for t in &d.tickets {
        fnv(&mut h, &t.title);
        fnv(&mut h, &t.opened_at.to_rfc3339());
    }
    for v in &d.visits {
        fnv(&mut h, &v.notes);
        fnv(&mut h, &v.date.to_string());
    }
    let amounts: i64 = d.orders.iter().map(|o| o.amount.0).sum();
    let margins: i64 = d.orders.iter().filter_map(|o| o.margin).map(|m| m.0).sum();
    let paid: i64 = d.invoices.iter().flat_map(|i| &i.payments).map(|p| p.amount.0).sum();
    let targets: i64 = d.plans.iter().map(|p| p.target.0).sum();
    let csat: u64 = d.surveys.iter().filter_map(|s| s.csat).map(u64::from).sum();
    assert_eq!(
        (amounts, margins, paid, targets, csat),
        (22_759_155_600, 3_376_921_365, 19_543_135_777, 25_510_741_000, 1499)
    );
    assert_eq!(h, 0x7a21_8146_f193_c9ec, "texts, names and times");
}
