//! `cargo bench --bench analytics`: the segmentation analytics on 100,000 demo customers
//! (~1 M orders).
//!
//! Prints to stdout:
//! - `analytics_100k_native_ms: <median of 7 runs> ms` — RFM, ABC, lifecycle and gap warning
//!   (`analyze_workspace`: every order read, grouped by the workspace's index built at load), with
//!   the demo's exchange rates (every customer's M converted into CNY, order by order);
//! - `bgnbd_fit_100k_native_ms: <median of 3 runs> ms` — summaries, grouping and the BG/NBD fit
//!   (`fit_bgnbd`).
//!
//! and, to stderr, the same analysis without rates (the EUR and USD customers not converted), from
//! bare slices (`analyze`, which first groups the orders by their `customer_id` strings) and the
//! fit's outcome.
// Tests: a panic is the test failing; tables of cases have long tuple types.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

use chrono::NaiveDate;
use kehu::core::analytics::{AnalysisConfig, analyze, analyze_workspace, bgnbd};
use kehu::core::demo::{DEFAULT_SEED, DemoConfig, generate};
use kehu::core::workspace::{Source, Workspace};
use std::hint::black_box;
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, Option<T>) {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let out = black_box(f());
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        last = Some(out);
    }
    (median(times), last)
}

fn main() {
    let Some(as_of) = NaiveDate::from_ymd_opt(2026, 11, 1) else { return };
    let data = generate(&DemoConfig { seed: DEFAULT_SEED, customers: 100_000, as_of });
    let ws = Workspace::new(Source::Demo { seed: DEFAULT_SEED, customers: 100_000 }, data);
    let cfg = AnalysisConfig { fx: kehu::core::demo::rates(as_of), ..AnalysisConfig::default() };
    let (ms, analysis) = time(7, || analyze_workspace(black_box(&ws), &cfg, as_of));
    println!("analytics_100k_native_ms: {ms:.1} ms");
    let plain = AnalysisConfig::default();
    let (plain_ms, _) = time(7, || analyze_workspace(black_box(&ws), &plain, as_of));
    eprintln!("(the same without rates: {plain_ms:.1} ms)");
    let Some(analysis) = analysis else { return };
    let (fit_ms, fit) = time(3, || bgnbd::fit_bgnbd(black_box(&analysis)));
    println!("bgnbd_fit_100k_native_ms: {fit_ms:.1} ms");
    let (slices_ms, _) = time(5, || analyze(black_box(&ws.data.customers), black_box(&ws.data.orders), &cfg, as_of));
    eprintln!("(analyze from slices, grouping by customer_id: {slices_ms:.1} ms)");
    if let Some(f) = fit {
        eprintln!(
            "(orders {}, scored {}, groups {}: r={:.4} alpha={:.4} a={:.4} b={:.4} ll={:.1}, {} iterations, {} evaluations, converged {})",
            analysis.orders.used,
            analysis.scored,
            f.groups,
            f.params.r,
            f.params.alpha,
            f.params.a,
            f.params.b,
            f.log_likelihood,
            f.iterations,
            f.evaluations,
            f.converged
        );
    }
}
