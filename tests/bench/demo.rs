//! `cargo bench --bench demo`: wall time of the demo generator for 100,000 customers.
//!
//! Prints `demo_generate_100k_ms: <median of 3 runs> ms` and `demo_orders_100k: <n> count`.
// Tests: a panic is the test failing; tables of cases have long tuple types.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

use chrono::NaiveDate;
use kehu::core::demo::{DEFAULT_SEED, DemoConfig, generate};
use std::hint::black_box;
use std::time::Instant;

fn main() {
    let Some(as_of) = NaiveDate::from_ymd_opt(2026, 11, 1) else { return };
    let cfg = DemoConfig { seed: DEFAULT_SEED, customers: 100_000, as_of };
    let mut times = Vec::with_capacity(3);
    let mut orders = 0;
    for _ in 0..3 {
        let start = Instant::now();
        let data = generate(black_box(&cfg));
        let elapsed = start.elapsed();
        orders = black_box(&data).orders.len();
        // Dropping a million orders takes a while; keep it out of the measurement.
        drop(data);
        times.push(elapsed.as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    println!("demo_generate_100k_ms: {:.0} ms", times[times.len() / 2]);
    println!("demo_orders_100k: {orders} count");
}
