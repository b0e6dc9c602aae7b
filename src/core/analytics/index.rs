//! Grouping orders by customer, once: a customer-id look-up with a cheap hasher and a compact,
//! per-customer, date-sorted list of sales.

use crate::core::model::{Currency, Customer, Date, Order};
use chrono::Datelike;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// The Fx hash (rustc's) with a final mix: one multiply per 8 bytes. Not DoS-resistant, which does not matter for
/// ids held in the user's own browser; several times faster than SipHash on short ids.
#[derive(Clone, Copy, Default)]
pub struct FxHasher(u64);

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 59));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    /// The bare Fx state has poor low bits (a multiply only carries upwards, and ids like `C000123`
    /// differ in their last, most significant, bytes); the table indexes by low bits, so finish with
    /// MurmurHash3's `fmix64`.
    #[inline]
    fn finish(&self) -> u64 {
        let mut z = self.0;
        z ^= z >> 33;
        z = z.wrapping_mul(0xff51_afd7_ed55_8ccd);
        z ^= z >> 33;
        z
    }
}

pub type FxBuildHasher = BuildHasherDefault<FxHasher>;
pub type FxHashMap<K, V> = HashMap<K, V, FxBuildHasher>;

/// Records are touched in batches of this many before they are used (see [`touch`]).
const BATCH: usize = 32;

/// Reads the first byte of each string, independently of one another, so that the CPU (or the
/// wasm engine) overlaps their cache misses instead of waiting for each in turn: every order's
/// `customer_id` is its own heap allocation, and reading them one by one while grouping is
/// otherwise the bulk of the cost.
#[inline]
fn touch<'s>(ids: impl Iterator<Item = &'s str>) {
    let mut acc = 0u8;
    for id in ids {
        acc ^= id.as_bytes().first().copied().unwrap_or(0);
    }
    std::hint::black_box(acc);
}

/// Customer id → position in the customers slice. When an id occurs twice the first customer
/// wins (the later duplicate gets no orders). Positions beyond `u32::MAX` are not indexed.
#[derive(Clone, Debug, Default)]
pub struct CustomerIndex<'a> {
    map: FxHashMap<&'a str, u32>,
}

impl<'a> CustomerIndex<'a> {
    pub fn new(customers: &'a [Customer]) -> CustomerIndex<'a> {
        let mut map = FxHashMap::with_capacity_and_hasher(customers.len(), FxBuildHasher::default());
        for (k, chunk) in customers.chunks(BATCH).enumerate() {
            touch(chunk.iter().map(|c| c.id.as_str()));
            for (j, c) in chunk.iter().enumerate() {
                let Ok(i) = u32::try_from(k * BATCH + j) else { break };
                map.entry(c.id.as_str()).or_insert(i);
            }
        }
        CustomerIndex { map }
    }

    pub fn get(&self, id: &str) -> Option<usize> {
        self.map.get(id).map(|&i| i as usize)
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// One sale as the analytics need it: day number (days from the Common Era, as
/// `Date::num_days_from_ce`), amount and margin in minor units of the customer's currency.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sale {
    pub day: i32,
    pub has_margin: bool,
    pub amount: i64,
    /// Meaningful only when `has_margin`.
    pub margin: i64,
}

/// Why orders were left out of the analysis (each order is counted once, in this order of checks).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OrderCounts {
    /// Orders analysed.
    pub used: usize,
    /// Not a sale (`!counts_as_sale()`, i.e. cancelled).
    pub cancelled: usize,
    /// Dated after the analysis date.
    pub after_as_of: usize,
    /// Their `customer_id` is not among the customers.
    pub unknown_customer: usize,
    /// In another currency than their customer's (left out of the customer's figures; the
    /// reporting figures convert the customer's own sales, see [`crate::core::fx`]).
    pub other_currency: usize,
}

/// Every customer's sales, sorted by day, in one flat vector (compressed rows: customer `i` owns
/// `sales[starts[i]..starts[i + 1]]`).
#[derive(Clone, Debug, Default)]
pub struct SalesIndex {
    starts: Vec<usize>,
    sales: Vec<Sale>,
    other_currency: Vec<u32>,
    pub counts: OrderCounts,
}

impl SalesIndex {
    /// Groups `orders` by customer in one pass: only sales (`counts_as_sale`) dated on or before
    /// `as_of`, of a known customer, in that customer's currency.
    pub fn build(customers: &[Customer], index: &CustomerIndex<'_>, orders: &[Order], as_of: Date) -> SalesIndex {
        let n = customers.len();
        let currencies: Vec<Currency> = customers.iter().map(|c| c.currency).collect();
        let mut counts = OrderCounts::default();
        let mut per_customer = vec![0usize; n + 1];
        let mut other_currency = vec![0u32; n];
        let mut slots: Vec<u32> = Vec::with_capacity(orders.len());
        let mut sales: Vec<Sale> = Vec::with_capacity(orders.len());
        let mut grouped = true;
        // Orders usually come grouped by customer: remember the last look-up.
        let mut last: Option<(&str, Option<usize>)> = None;
        for o in orders.chunks(BATCH).flat_map(|chunk| {
            touch(chunk.iter().map(|o| o.customer_id.as_str()));
            chunk
        }) {
            if !o.counts_as_sale() {
                counts.cancelled += 1;
                continue;
            }
            if o.date > as_of {
                counts.after_as_of += 1;
                continue;
            }
            let id = o.customer_id.as_str();
            let slot = match last {
                Some((prev, s)) if prev == id => s,
                _ => {
                    let s = index.get(id);
                    last = Some((id, s));
                    s
                }
            };
            let Some(c) = slot.filter(|&c| c < n) else {
                counts.unknown_customer += 1;
                continue;
            };
            if currencies[c] != o.currency {
                counts.other_currency += 1;
                other_currency[c] = other_currency[c].saturating_add(1);
                continue;
            }
            let c32 = c as u32;
            if slots.last().is_some_and(|&p| p > c32) {
                grouped = false;
            }
            slots.push(c32);
            per_customer[c + 1] += 1;
            sales.push(Sale {
                day: o.date.num_days_from_ce(),
                has_margin: o.margin.is_some(),
                amount: o.amount.0,
                margin: o.margin.map_or(0, |m| m.0),
            });
        }
        counts.used = sales.len();
        for i in 0..n {
            per_customer[i + 1] += per_customer[i];
        }
        let starts = per_customer;
        if !grouped {
            // Counting sort by customer (stable).
            let mut next: Vec<usize> = starts[..n].to_vec();
            let mut sorted = vec![Sale { day: 0, has_margin: false, amount: 0, margin: 0 }; sales.len()];
            for (s, &c) in sales.iter().zip(&slots) {
                let c = c as usize;
                sorted[next[c]] = *s;
                next[c] += 1;
            }
            sales = sorted;
        }
        for i in 0..n {
            let part = &mut sales[starts[i]..starts[i + 1]];
            if !part.windows(2).all(|w| w[0].day <= w[1].day) {
                crate::core::sort::sort_by_key(part, |s| s.day);
            }
        }
        SalesIndex { starts, sales, other_currency, counts }
    }

    /// The customer's sales in date order (empty for an unknown position).
    pub fn of(&self, customer: usize) -> &[Sale] {
        match (self.starts.get(customer), self.starts.get(customer + 1)) {
            (Some(&a), Some(&b)) => &self.sales[a..b],
            _ => &[],
        }
    }

    /// Orders of this customer left out because of their currency.
    pub fn other_currency(&self, customer: usize) -> u32 {
        self.other_currency.get(customer).copied().unwrap_or(0)
    }

    pub fn customers(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }
}

/// Day number (days from the Common Era) back to a date; `None` outside chrono's range.
pub fn date_of(day: i32) -> Option<Date> {
    Date::from_num_days_from_ce_opt(day)
}
