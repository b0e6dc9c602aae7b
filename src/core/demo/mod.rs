//! The demo workspace: a deterministic, seeded generator of B2B supply-chain data.
//!
//! It pictures the CRM of a Chinese manufacturer and exporter of industrial components
//! (bearings, hydraulic valves, spindles, aerospace fasteners, PCB assemblies, packaging and
//! freight services) with about 60 % domestic and 40 % foreign accounts, three years of history
//! before `as_of`, and the patterns the analytics look for:
//!
//! - **Archetypes** (share of customers): potential 12 % (no orders), new 8 % (first order in the
//!   last 90 days), steady 35 %, growing 12 % (rising order rate and value), occasional 15 %,
//!   churning 10 % (each gap 1.3–1.8× the previous, last order 3–12 months ago, more complaints,
//!   lower scores, slower payment) and lost 8 % (no order for more than a year).
//! - **Heavy tail**: annual value is log-normal, so the top fifth of customers brings ~80 % of revenue.
//! - **Seasons**: orders follow a thinned Poisson process with a Chinese New Year dip and a Q4 peak;
//!   about ten orders per customer overall.
//! - **Receivables**: one invoice per shipped order, due after the payment terms; prompt, normal and
//!   chronically late payers, a few bad debts, so every aging bucket is populated at `as_of`.
//! - **Service**: inquiries, requests and complaints (about 3 % of shipped orders, four times as
//!   many in a churning account's last orders); most are solved within the severity's SLA, a third
//!   of complaints need a one-to-six-week 8D investigation and a few tickets stay stuck for months.
//! - **Visits, surveys** by the owner rep and from the contacts, consistent with the above.
//!
//! Region plans are one per region and quarter of the window, in the region's currency (CNY for
//! China, EUR for Europe, USD elsewhere abroad — every customer of a region shares it), with a target
//! of 0.85–1.2× the region's actual revenue of the quarter (extrapolated for partial quarters).
//! Foreign accounts are priced at fixed CNY rates (7.8 per EUR, 7.1 per USD); [`rates`] gives them
//! as the workspace's exchange rates (reporting in CNY), kept apart from the generated records.
//!
//! Determinism: each customer draws from its own random streams, derived from (seed, index), and
//! ids are numbered in customer order (invoice numbers per issue year), so the first N customers of
//! a bigger dataset equal a dataset of N customers (only the region plans, which aggregate
//! everybody, differ). All randomness is integer PCG output and float maths goes through `libm`,
//! so native and wasm32 builds produce the same data.
//!
//! "Nothing after `as_of`" applies to events (order dates, issues, payments, ticket and visit times,
//! survey dates, record timestamps, all at most [`demo_now`]); deadlines — invoice due dates,
//! ticket SLA due times and planned next-step dates — may lie after it.

mod account;
mod catalog;
mod generator;
mod geo;
mod history;
mod names;
mod opportunities;
mod rates;
mod rng;
mod service;
mod tasks;
mod text;

use crate::core::model::Dataset;
use crate::core::model::{
    Contact, Currency, Customer, Date, GeoPoint, Invoice, Money, Order, OrderLine, OrderStatus, Payment, Period,
    RegionPlan, ServiceStage, ServiceTicket, Severity, SupplyChainRole, SurveyResponse, TicketKind, TicketStatus,
    Timestamp, Visit, VisitPurpose,
};
use catalog::{CATEGORIES, INDUSTRIES};
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use geo::{AddressStyle, CITIES, COUNTRIES, REGIONS};
use rng::Rng;
use std::collections::{BTreeMap, HashSet};

pub use rates::rates;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DemoConfig {
    pub seed: u64,
    pub customers: usize,
    /// "Today" of the generated history: nothing happens after it.
    pub as_of: Date,
}

pub const DEFAULT_SEED: u64 = 0x6b65_6875; // "kehu"
pub const DEFAULT_CUSTOMERS: usize = 1_000;
/// Larger requests are generated with this many customers (about 10 M orders, several GB).
pub const MAX_CUSTOMERS: usize = 1_000_000;
/// Length of the generated history before `as_of`, in days (three years).
pub const HISTORY_DAYS: i32 = 1095;

/// The regions the demo uses, China first, as stored in `Customer::region`.
pub fn regions() -> impl Iterator<Item = &'static str> {
    REGIONS.iter().map(|r| r.name)
}

/// The sales reps who own demo accounts.
pub fn sales_reps() -> impl Iterator<Item = &'static str> {
    names::REPS.iter().map(|r| r.0)
}

/// The demo's "now": `as_of` at 09:00 UTC (17:00 in China). No generated timestamp is later.
pub fn demo_now(as_of: Date) -> Timestamp {
    as_of.and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN)).and_utc()
}

/// Generates the demo dataset for `cfg`. Same config, same data, on every platform.
pub fn generate(cfg: &DemoConfig) -> Dataset {
    let mut g = Gen::new(cfg);
    for i in 0..cfg.customers.min(MAX_CUSTOMERS) {
        g.customer(i);
    }
    g.plans();
    g.ds
}

// ---------------------------------------------------------------------------------------------
// Profiles

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Arch {
    Potential,
    New,
    Steady,
    Growing,
    Occasional,
    Churning,
    Lost,
}

const ARCHETYPES: &[(Arch, u32)] = &[
    (Arch::Potential, 12),
    (Arch::New, 8),
    (Arch::Steady, 35),
    (Arch::Growing, 12),
    (Arch::Occasional, 15),
    (Arch::Churning, 10),
    (Arch::Lost, 8),
];

const ROLES: &[(SupplyChainRole, u32)] = &[
    (SupplyChainRole::EndCustomer, 55),
    (SupplyChainRole::Oem, 25),
    (SupplyChainRole::Distributor, 8),
    (SupplyChainRole::LogisticsPartner, 6),
    (SupplyChainRole::Supplier, 3),
    (SupplyChainRole::Other, 3),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Payer {
    Prompt,
    Normal,
    Late,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tier {
    Small,
    Mid,
    Key,
}

/// Median annual value of an account at full run rate, in CNY.
const MEDIAN_VALUE: f64 = 300_000.0;
const VALUE_SIGMA: f64 = 1.5;
/// Scales order frequency so the dataset averages about ten orders per customer.
const ORDER_RATE: f64 = 0.78;
const SEASON_MAX: f64 = 1.4;
const MAX_ORDERS_PER_CUSTOMER: usize = 400;
const DAY: i64 = 86_400;
const HOUR: i64 = 3_600;

struct Profile {
    arch: Arch,
    china: bool,
    region: usize,
    city: usize,
    country: usize,
    role: SupplyChainRole,
    industry: usize,
    /// Annual value at full run rate, in CNY.
    value: f64,
    /// Orders per year at full run rate.
    freq: f64,
    tier: Tier,
    currency: Currency,
    /// CNY per unit of `currency`.
    fx: f64,
    terms: u16,
    margin: f64,
    payer: Payer,
    price_factor: f64,
    /// Base satisfaction 0..1.
    sat: f64,
    owner: Option<&'static str>,
    rep: &'static str,
    support: &'static str,
    created: i32,
    start: i32,
}

#[derive(Clone, Copy)]
struct Ev {
    day: i32,
    mult: f64,
    late: bool,
}

#[derive(Clone, Copy)]
enum Shape {
    Flat,
    Growing,
    /// Slows down and shrinks in the last third (lost accounts).
    Fading,
}

impl Shape {
    fn max(self) -> f64 {
        match self {
            Shape::Flat | Shape::Fading => 1.0,
            Shape::Growing => 1.8,
        }
    }
    fn rate(self, p: f64) -> f64 {
        match self {
            Shape::Flat => 1.0,
            Shape::Growing => 0.5 + 1.3 * p,
            Shape::Fading => {
                if p > 0.7 {
                    0.6
                } else {
                    1.0
                }
            }
        }
    }
    fn mult(self, p: f64) -> f64 {
        match self {
            Shape::Flat => 1.0,
            Shape::Growing => 0.55 + 0.9 * p,
            Shape::Fading => {
                if p > 0.7 {
                    0.8
                } else {
                    1.0
                }
            }
        }
    }
    fn late(self, p: f64) -> bool {
        matches!(self, Shape::Fading) && p > 0.7
    }
}

/// A parent company others can be subsidiaries of.
#[derive(Clone, Copy)]
struct Group {
    index: u32,
    china: bool,
    industry: usize,
    brand: names::N,
    word: &'static str,
}

/// Ticket facts before ids and statuses are settled.
struct TicketDraft {
    kind: TicketKind,
    stage: ServiceStage,
    severity: Severity,
    opened: i64,
    text: text::TicketText,
    order_id: Option<String>,
    product: Option<String>,
    stuck: bool,
}

struct Gen<'a> {
    cfg: &'a DemoConfig,
    /// Day numbers (days from CE) of `as_of` and of the window start.
    a: i32,
    s: i32,
    now: i64,
    season_cn: Vec<f64>,
    season_intl: Vec<f64>,
    campaigns: Vec<i32>,
    ds: Dataset,
    names: HashSet<u64>,
    end_customers: Vec<Vec<u32>>,
    groups: Vec<Group>,
    invoice_seq: Vec<(i32, u32)>,
    /// Revenue per region per quarter (minor units of the region's currency).
    revenue: Vec<Vec<i64>>,
    region_used: Vec<bool>,
    q0: i32,
    // Reusable buffers.
    events: Vec<Ev>,
    sales: Vec<(i32, i64)>,
    drafts: Vec<TicketDraft>,
    contact_ids: Vec<(String, String)>,
    /// Per region: city indices with their weights, and rep weights (precomputed once).
    region_cities: Vec<(Vec<usize>, Vec<u32>)>,
    region_reps: Vec<Vec<u32>>,
    next_contact: u64,
    next_order: u64,
    next_ticket: u64,
    next_visit: u64,
    next_survey: u64,
}

fn quarter_key(d: Date) -> i32 {
    d.year() * 4 + d.month0() as i32 / 3
}

fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn round_sig(x: f64, digits: i32) -> i64 {
    if !x.is_finite() || x <= 0.0 {
        return 0;
    }
    let mag = libm::floor(libm::log10(x)) as i32;
    let unit = libm::pow(10.0, f64::from(mag - digits + 1));
    (libm::round(x / unit) * unit) as i64
}

/// Rounds a unit price (minor units) the way price lists are written.
fn round_price(x: f64) -> i64 {
    let step = if x >= 1_000_000.0 {
        10_000.0
    } else if x >= 100_000.0 {
        1_000.0
    } else if x >= 10_000.0 {
        100.0
    } else if x >= 1_000.0 {
        10.0
    } else {
        1.0
    };
    ((libm::round(x / step) * step) as i64).max(1)
}

/// What kind of goods a catalogue category holds (some ticket texts only fit some).
fn goods_of(cat: usize) -> text::Goods {
    match CATEGORIES.get(cat) {
        Some(c) if c.service => text::Goods::Service,
        _ if cat == catalog::CAT_PACKAGING || cat == catalog::CAT_CHEMICALS => text::Goods::Consumable,
        _ => text::Goods::Technical,
    }
}

fn ind_of(i: usize) -> &'static catalog::Industry {
    &INDUSTRIES[i.min(INDUSTRIES.len() - 1)]
}

/// The largest revenue in any 365-day window (sales sorted by day).
fn rolling_peak(sales: &[(i32, i64)]) -> i64 {
    let (mut lo, mut sum, mut best) = (0usize, 0i64, 0i64);
    for hi in 0..sales.len() {
        sum = sum.saturating_add(sales[hi].1);
        while sales[hi].0 - sales[lo].0 >= 365 {
            sum -= sales[lo].1;
            lo += 1;
        }
        best = best.max(sum);
    }
    best
}

// ---------------------------------------------------------------------------------------------
// Region plans
