//! A workspace's reporting currency and dated exchange rates, and the exact conversion of money
//! into the reporting currency (issue 16): every sum or comparison across currencies goes through here.
//!
//! **Rates.** A [`RateEntry`] `(currency, valid_from, rate)` says: from `valid_from` on, one unit
//! of `currency` is worth `rate` units of the reporting currency. A [`Rate`] is an exact positive
//! decimal (at most 8 digits before the point and 10 after), never a float.
//!
//! **The rule** ([`FxTable::rate`]):
//! - an amount dated `d` converts at the rate of its currency with the latest `valid_from` on or
//!   before `d` (so on the day a rate changes, the new rate applies);
//! - an amount dated before the first rate of its currency converts at that first rate;
//! - the reporting currency converts at 1 (rates listed for it are ignored);
//! - a currency with no rate at all is **missing**: nothing converts it (`None`), never 1:1 — the
//!   callers leave such amounts out of their reporting figures and say so ([`Coverage`]);
//! - of two entries with the same currency and date, the later in the list wins.
//!
//! **Arithmetic.** `amount × rate` (amount in minor units of its currency, rescaled to the
//! reporting currency's minor digits) is computed exactly in `i128` and rounded once to the
//! reporting currency's minor unit, half away from zero; results saturate at the `i64` range, as
//! [`Money`] sums do. A sum of converted amounts ([`ReportSum`]) adds the exact products and rounds
//! once, at the end: it is the exact total, rounded — never a sum of rounded parts, so a total does
//! not drift with the number of orders in it. A single amount is rounded the same way.
//!
//! **Data.** [`Fx`] (the reporting currency and its rates) is serde data, kept per workspace: every
//! field has a default, unknown fields are ignored, and a rate entry this version cannot read is
//! skipped rather than failing the whole table, so older and newer versions read each other's. A
//! rate is written as a decimal string (`"7.8123"`); a JSON number is accepted when reading.
//!
//! **CSV** ([`parse_rates_csv`], [`rates_csv`]): header `currency,valid_from,rate` (any order; other
//! columns ignored; read by [`crate::core::csv`]: byte-order mark, quotes and blank lines allowed),
//! dates `2026-01-01` or `20260101`. A bad row is skipped with one error per bad field
//! ([`RateRowError`]: its line, column and a [`RateProblem`] whose `key()` is a translation key), as
//! the orders import reports them.

use crate::core::csv::{CsvError, Header, UnterminatedQuote, parse_date, records};
use crate::core::model::{Currency, Date, Money, keyed_enum};
use chrono::Datelike;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeSet;
use std::fmt;

/// Digits of a rate after the decimal point, at most.
pub const RATE_DECIMALS: usize = 10;
/// Digits of a rate before the decimal point, at most (rates are below 10⁸).
pub const RATE_INTEGER_DIGITS: usize = 8;
/// 10^[`RATE_DECIMALS`].
const RATE_SCALE: u64 = 10_000_000_000;
/// The most minor digits a currency has ([`Currency::minor_digits`]).
const MAX_MINOR_DIGITS: u32 = 3;

keyed_enum!(
    /// What is wrong with one field of a rates row (or with a rate typed in).
    RateProblem, "fx", {
        Required => "required",
        InvalidCurrency => "invalid_currency",
        InvalidDate => "invalid_date",
        /// Not a decimal number.
        InvalidRate => "invalid_rate",
        /// Zero or negative.
        NotPositive => "not_positive",
        /// More than [`RATE_DECIMALS`] digits after the point (not rounded: an error).
        TooManyDecimals => "too_many_decimals",
        /// More than [`RATE_INTEGER_DIGITS`] digits before the point.
        TooLarge => "too_large",
        /// A second row for the same currency and date.
        Duplicate => "duplicate",
        /// A rate other than 1 for the reporting currency itself.
        ReportingCurrency => "reporting_currency",
        UnterminatedQuote => "unterminated_quote",
    }
);

/// Units of the reporting currency per one unit of a currency: an exact positive decimal, held as
/// the rate × 10¹⁰.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rate(u64);

impl Rate {
    pub const ONE: Rate = Rate(RATE_SCALE);

    /// `"7.8"`, `"0.1389"`, `" 1 "`, `"+2"`, `".5"`. Errors name what is wrong: empty
    /// ([`RateProblem::Required`]), not a decimal, zero or negative, more than 10 decimals (trailing
    /// zeros do not count) or 8 integer digits.
    pub fn parse(text: &str) -> Result<Rate, RateProblem> {
        let t = text.trim();
        if t.is_empty() {
            return Err(RateProblem::Required);
        }
        let (negative, body) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t.strip_prefix('+').unwrap_or(t)),
        };
        let (int, frac) = body.split_once('.').unwrap_or((body, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
            return Err(RateProblem::InvalidRate);
        }
        let (int, frac) = (int.trim_start_matches('0'), frac.trim_end_matches('0'));
        if negative || (int.is_empty() && frac.is_empty()) {
            return Err(RateProblem::NotPositive);
        }
        if int.len() > RATE_INTEGER_DIGITS {
            return Err(RateProblem::TooLarge);
        }
        if frac.len() > RATE_DECIMALS {
            return Err(RateProblem::TooManyDecimals);
        }
        let number = |s: &str| s.bytes().fold(0u64, |v, b| v * 10 + u64::from(b - b'0'));
        // At most 8 + 10 digits: below 10¹⁸, no overflow.
        let frac_units = number(frac) * 10u64.pow((RATE_DECIMALS - frac.len()) as u32);
        Ok(Rate(number(int) * RATE_SCALE + frac_units))
    }

    /// The rate × 10¹⁰ (`Rate::ONE.scaled() == 10_000_000_000`).
    pub fn scaled(self) -> u64 {
        self.0
    }

    /// From the rate × 10¹⁰; `None` for zero or for 10⁸ and more.
    pub fn from_scaled(units: u64) -> Option<Rate> {
        (units > 0 && units < 100_000_000 * RATE_SCALE).then_some(Rate(units))
    }

    /// For display and charts only (conversion never uses it).
    pub fn to_f64(self) -> f64 {
        self.0 as f64 / RATE_SCALE as f64
    }
}

impl fmt::Display for Rate {
    /// The shortest exact decimal: `7.8`, `1`, `0.0001389`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (int, frac) = (self.0 / RATE_SCALE, self.0 % RATE_SCALE);
        if frac == 0 {
            write!(f, "{int}")
        } else {
            let digits = format!("{frac:010}");
            write!(f, "{int}.{}", digits.trim_end_matches('0'))
        }
    }
}

impl fmt::Debug for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Serialize for Rate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Rate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Rate;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a positive decimal rate such as \"7.8\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Rate, E> {
                Rate::parse(v).map_err(|p| E::custom(format!("rate {v:?}: {}", p.as_str())))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Rate, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Rate, E> {
                self.visit_str(&v.to_string())
            }
            /// A JSON number: its shortest decimal form (`7.8` stays 7.8).
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Rate, E> {
                self.visit_str(&v.to_string())
            }
        }
        d.deserialize_any(V)
    }
}

/// One rate: from `valid_from` on, one `currency` is worth `rate` units of the reporting currency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RateEntry {
    pub currency: Currency,
    pub valid_from: Date,
    pub rate: Rate,
}

/// A workspace's reporting currency and its rates (serde data; see the module documentation for
/// its compatibility). The default reports in CNY with no rates.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Fx {
    pub reporting: Currency,
    /// In any order; [`Fx::set`] keeps them sorted by currency, then date.
    #[serde(deserialize_with = "readable_entries")]
    pub rates: Vec<RateEntry>,
}

/// The entries of a stored list that this version can read (the others are skipped).
fn readable_entries<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<RateEntry>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Entry {
        Readable(RateEntry),
        Other(serde::de::IgnoredAny),
    }
    let all: Vec<Entry> = Vec::deserialize(d)?;
    Ok(all
        .into_iter()
        .filter_map(|e| match e {
            Entry::Readable(r) => Some(r),
            Entry::Other(_) => None,
        })
        .collect())
}

impl Fx {
    /// Reporting in `reporting`, no rates yet.
    pub fn new(reporting: Currency) -> Fx {
        Fx { reporting, rates: Vec::new() }
    }

    /// Sorts the rates by currency, then date, keeping the later of two entries for the same
    /// currency and date (the rule [`FxTable`] applies).
    pub fn normalise(&mut self) {
        let mut all = std::mem::take(&mut self.rates);
        all.sort_by_key(|e| (e.currency, e.valid_from));
        for e in all {
            match self.rates.last_mut() {
                Some(last) if (last.currency, last.valid_from) == (e.currency, e.valid_from) => *last = e,
                _ => self.rates.push(e),
            }
        }
    }

    /// Adds `entry`, replacing the rate of the same currency and date (the list ends sorted).
    pub fn set(&mut self, entry: RateEntry) {
        self.normalise();
        let key = (entry.currency, entry.valid_from);
        match self.rates.binary_search_by_key(&key, |e| (e.currency, e.valid_from)) {
            Ok(i) => self.rates[i] = entry,
            Err(i) => self.rates.insert(i, entry),
        }
    }

    /// Removes the rates of `currency` valid from `valid_from`; whether there was one.
    pub fn remove(&mut self, currency: Currency, valid_from: Date) -> bool {
        let before = self.rates.len();
        self.rates.retain(|e| (e.currency, e.valid_from) != (currency, valid_from));
        self.rates.len() != before
    }

    /// The currencies with at least one rate, the reporting currency left out, sorted.
    pub fn currencies(&self) -> Vec<Currency> {
        let set: BTreeSet<Currency> = self.rates.iter().map(|e| e.currency).filter(|&c| c != self.reporting).collect();
        set.into_iter().collect()
    }

    /// The look-up table (build once per analysis: it sorts the rates).
    pub fn table(&self) -> FxTable {
        FxTable::new(self)
    }
}

/// One rate of a currency as the table holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    /// Day number (`Date::num_days_from_ce`) from which it applies.
    pub from_day: i32,
    pub rate: Rate,
    /// Exact units (see [`FxTable`]) per minor unit of the currency.
    factor: i128,
}

/// The rates of an [`Fx`], sorted for look-up, with the conversion arithmetic.
///
/// Exact sums count units of 10^−(d + 3) of the reporting currency's major unit, where `d` is the
/// most decimals any of the table's rates has (trailing zeros do not count) and 3 the most minor
/// digits a currency has: a minor unit of a currency with `m` minor digits at rate `r` is
/// `r × 10^d × 10^(3 − m)` such units, an integer. Keeping `d` small keeps the usual sums within
/// 64 bits (the rounding division is then a 64-bit one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FxTable {
    reporting: Currency,
    /// 10^(d + 3 − the reporting currency's minor digits): exact units per reporting minor unit.
    divisor: i128,
    /// The reporting currency's own series: one step at 1.
    own: [Step; 1],
    /// Per currency (sorted, the reporting currency not among them), its steps by day.
    series: Vec<(Currency, Vec<Step>)>,
}

impl Default for FxTable {
    fn default() -> Self {
        FxTable::new(&Fx::default())
    }
}

/// An exact sum of converted amounts, in the exact units of the [`FxTable`] that made it (and
/// meaningful only with that table); [`FxTable::money`] rounds it. Saturating.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReportSum(i128);

impl ReportSum {
    pub const ZERO: ReportSum = ReportSum(0);

    pub fn add(&mut self, other: ReportSum) {
        self.0 = self.0.saturating_add(other.0);
    }

    fn add_product(&mut self, minor: i128, factor: i128) {
        self.0 = self.0.saturating_add(minor.saturating_mul(factor));
    }
}

/// `10^(3 − digits)` for a currency's minor digits.
fn minor_scale(c: Currency) -> i128 {
    10i128.pow(MAX_MINOR_DIGITS - u32::from(c.minor_digits()).min(MAX_MINOR_DIGITS))
}

/// `num / den` rounded half away from zero (`den > 0`), clamped to `i64`.
fn round_div(num: i128, den: i128) -> i64 {
    if den <= 0 {
        return 0;
    }
    // The usual case in 64 bits (an `i128` division is a library call on 32-bit wasm).
    if let (Ok(n), Ok(d)) = (i64::try_from(num), i64::try_from(den))
        && n > i64::MIN
    {
        let (q, r) = (n / d, n % d);
        // |r| < d ≤ 10¹³: doubling cannot overflow.
        return if r.abs() * 2 >= d { q + n.signum() } else { q };
    }
    let (q, r) = (num / den, num % den);
    // |r| < den ≤ 10¹³: doubling cannot overflow.
    let q = if r.abs() * 2 >= den { q + num.signum() } else { q };
    q.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

impl FxTable {
    pub fn new(fx: &Fx) -> FxTable {
        let reporting = fx.reporting;
        let mut sorted = fx.clone();
        sorted.normalise();
        sorted.rates.retain(|e| e.currency != reporting);
        // d: the most decimals of any rate.
        let decimals = |r: Rate| {
            let mut v = r.0;
            let mut zeros = 0;
            while zeros < RATE_DECIMALS && v.is_multiple_of(10) {
                v /= 10;
                zeros += 1;
            }
            (RATE_DECIMALS - zeros) as u32
        };
        let d = sorted.rates.iter().map(|e| decimals(e.rate)).max().unwrap_or(0);
        let drop = 10u64.pow(RATE_DECIMALS as u32 - d);
        let divisor = 10i128.pow(d + MAX_MINOR_DIGITS - u32::from(reporting.minor_digits()).min(MAX_MINOR_DIGITS));
        let mut series: Vec<(Currency, Vec<Step>)> = Vec::new();
        for e in &sorted.rates {
            let step = Step {
                from_day: e.valid_from.num_days_from_ce(),
                rate: e.rate,
                // Exact: every rate has at most d decimals.
                factor: i128::from(e.rate.0 / drop) * minor_scale(e.currency),
            };
            match series.last_mut() {
                Some((c, steps)) if *c == e.currency => steps.push(step),
                _ => series.push((e.currency, vec![step])),
            }
        }
        let own = [Step { from_day: i32::MIN, rate: Rate::ONE, factor: divisor }];
        FxTable { reporting, divisor, own, series }
    }

    pub fn reporting(&self) -> Currency {
        self.reporting
    }

    /// The rates of `currency` (the reporting currency: 1 throughout); `None` when it has none.
    pub fn series(&self, currency: Currency) -> Option<Series<'_>> {
        if currency == self.reporting {
            return Some(Series { steps: &self.own });
        }
        let i = self.series.binary_search_by_key(&currency, |(c, _)| *c).ok()?;
        self.series.get(i).map(|(_, steps)| Series { steps })
    }

    pub fn has_rate(&self, currency: Currency) -> bool {
        self.series(currency).is_some()
    }

    /// The rate `currency` converts at on `date` (the module's rule); `None` when it has none.
    pub fn rate(&self, currency: Currency, date: Date) -> Option<Rate> {
        self.series(currency).map(|s| s.rate_on(date.num_days_from_ce()))
    }

    /// `amount` of `currency` dated `date` in the reporting currency, rounded half away from zero;
    /// `None` when the currency has no rate.
    pub fn convert(&self, amount: Money, currency: Currency, date: Date) -> Option<Money> {
        self.exact(amount, currency, date).map(|s| self.money(s))
    }

    /// `amount` converted, exactly (to be added up and rounded once with [`FxTable::money`]).
    pub fn exact(&self, amount: Money, currency: Currency, date: Date) -> Option<ReportSum> {
        self.series(currency).map(|s| s.exact(date.num_days_from_ce(), amount.0))
    }

    /// An exact sum rounded to the reporting currency's minor unit (half away from zero).
    pub fn money(&self, sum: ReportSum) -> Money {
        Money(round_div(sum.0, self.divisor))
    }
}

/// The rates of one currency, by day.
#[derive(Clone, Copy, Debug)]
pub struct Series<'t> {
    /// Never empty, sorted by `from_day`, no two on one day.
    steps: &'t [Step],
}

impl Series<'_> {
    /// Position of the step that applies on `day` (the first one before the first day).
    fn index(&self, day: i32) -> usize {
        self.steps.partition_point(|s| s.from_day <= day).saturating_sub(1)
    }

    pub fn rate_on(&self, day: i32) -> Rate {
        self.steps.get(self.index(day)).map_or(Rate::ONE, |s| s.rate)
    }

    /// One amount (minor units) dated `day`, converted exactly.
    pub fn exact(&self, day: i32, minor: i64) -> ReportSum {
        let mut out = ReportSum::ZERO;
        if let Some(s) = self.steps.get(self.index(day)) {
            out.add_product(i128::from(minor), s.factor);
        }
        out
    }

    /// The exact sum of `(day, minor units)` converted each at the rate of its day: amounts under
    /// one rate are added first, then multiplied once (the same exact value). Any order; amounts in
    /// date order look the rate up only when it changes.
    pub fn sum(&self, items: impl IntoIterator<Item = (i32, i64)>) -> ReportSum {
        let steps = self.steps;
        let mut out = ReportSum::ZERO;
        let mut k = usize::MAX;
        // Days [lo, hi) are under step k; empty until the first item.
        let (mut lo, mut hi) = (i32::MAX, i32::MIN);
        // The amounts under step k so far (a 64-bit add per amount; flushed when it would overflow).
        let mut run: i64 = 0;
        for (day, minor) in items {
            if day < lo || day >= hi {
                if let Some(s) = steps.get(k) {
                    out.add_product(i128::from(run), s.factor);
                }
                run = 0;
                k = self.index(day);
                lo = if k == 0 { i32::MIN } else { steps.get(k).map_or(i32::MIN, |s| s.from_day) };
                hi = steps.get(k + 1).map_or(i32::MAX, |s| s.from_day);
            }
            run = match run.checked_add(minor) {
                Some(r) => r,
                None => {
                    if let Some(s) = steps.get(k) {
                        out.add_product(i128::from(run), s.factor);
                    }
                    minor
                }
            };
        }
        if let Some(s) = steps.get(k) {
            out.add_product(i128::from(run), s.factor);
        }
        out
    }
}

/// Amounts left out of reporting figures because their currency has no rate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingRate {
    pub currency: Currency,
    /// Customers with something left out.
    pub customers: usize,
    /// Records left out (orders, invoices — as the figures say).
    pub count: usize,
    /// Their total, in `currency` (saturating).
    pub amount: Money,
}

/// The currency a set of figures is reported in, and what they leave out for want of a rate —
/// for "reported in EUR; these figures leave out 12 orders in USD (US$3,400.00) for want of a rate".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    pub reporting: Currency,
    /// One per currency without a rate that had something to convert, sorted by currency.
    pub missing: Vec<MissingRate>,
}

impl Coverage {
    pub fn new(reporting: Currency) -> Coverage {
        Coverage { reporting, missing: Vec::new() }
    }

    /// Nothing was left out.
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty()
    }

    /// Records left out, all currencies together.
    pub fn left_out(&self) -> usize {
        self.missing.iter().map(|m| m.count).sum()
    }

    /// Adds `count` records of `customers` customers worth `amount` of `currency` to what is left out.
    pub fn note(&mut self, currency: Currency, customers: usize, count: usize, amount: Money) {
        let i = match self.missing.binary_search_by_key(&currency, |m| m.currency) {
            Ok(i) => i,
            Err(i) => {
                self.missing.insert(i, MissingRate { currency, customers: 0, count: 0, amount: Money::ZERO });
                i
            }
        };
        if let Some(m) = self.missing.get_mut(i) {
            m.customers += customers;
            m.count += count;
            m.amount = m.amount.saturating_add(amount);
        }
    }
}

/// A skipped rates row's problem.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateRowError {
    /// 1-based line of the file where the record starts.
    pub line: usize,
    /// The column's name as normalised from the header (empty for a whole-record problem).
    pub column: String,
    pub problem: RateProblem,
}

/// Rates read from CSV, and the rows that were skipped.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParsedRates {
    /// In the file's order.
    pub rates: Vec<RateEntry>,
    pub errors: Vec<RateRowError>,
    /// Data rows read (good and bad).
    pub rows: usize,
}

/// Rates from CSV (`currency,valid_from,rate`, all three required), for a workspace reporting in
/// `reporting`: a row for the reporting currency is accepted only with the rate 1, and a second row
/// for a currency and date already read is an error (the first stays).
pub fn parse_rates_csv(text: &str, reporting: Currency) -> Result<ParsedRates, CsvError> {
    let mut it = records(text);
    let h = Header::read(&mut it, &["currency", "valid_from", "rate"])?;
    let mut out = ParsedRates::default();
    let mut seen: BTreeSet<(Currency, Date)> = BTreeSet::new();
    for (line, rec) in it {
        out.rows += 1;
        let row = match rec {
            Ok(r) => r,
            Err(UnterminatedQuote) => {
                out.errors.push(RateRowError { line, column: String::new(), problem: RateProblem::UnterminatedQuote });
                continue;
            }
        };
        let field = |column: &str| h.get(&row, column).map_or("", str::trim);
        let (currency, date, rate, mut problems) =
            check_fields(field("currency"), field("valid_from"), field("rate"), reporting);
        if let (Some(c), Some(d), true) = (currency, date, problems.is_empty())
            && seen.contains(&(c, d))
        {
            problems.push(("valid_from", RateProblem::Duplicate));
        }
        match (currency, date, rate) {
            (Some(currency), Some(valid_from), Some(rate)) if problems.is_empty() => {
                seen.insert((currency, valid_from));
                out.rates.push(RateEntry { currency, valid_from, rate });
            }
            _ => out.errors.extend(problems.into_iter().map(|(column, problem)| RateRowError {
                line,
                column: column.to_string(),
                problem,
            })),
        }
    }
    Ok(out)
}

/// One rate typed in (Settings) or read from a row, checked as [`parse_rates_csv`] checks a row
/// (except for duplicates): the entry, or every field's problem with the field's column name
/// (`currency`, `valid_from`, `rate`). Surrounding spaces are ignored.
pub fn parse_rate_row(
    currency: &str,
    valid_from: &str,
    rate: &str,
    reporting: Currency,
) -> Result<RateEntry, Vec<(&'static str, RateProblem)>> {
    match check_fields(currency.trim(), valid_from.trim(), rate.trim(), reporting) {
        (Some(currency), Some(valid_from), Some(rate), problems) if problems.is_empty() => {
            Ok(RateEntry { currency, valid_from, rate })
        }
        (_, _, _, problems) => Err(problems),
    }
}

/// The three fields of a rate, each read or its problem noted.
type Checked = (Option<Currency>, Option<Date>, Option<Rate>, Vec<(&'static str, RateProblem)>);

fn check_fields(currency: &str, valid_from: &str, rate: &str, reporting: Currency) -> Checked {
    let mut problems: Vec<(&'static str, RateProblem)> = Vec::new();
    let currency = match currency {
        "" => {
            problems.push(("currency", RateProblem::Required));
            None
        }
        s => Currency::parse(s).or_else(|| {
            problems.push(("currency", RateProblem::InvalidCurrency));
            None
        }),
    };
    let date = match valid_from {
        "" => {
            problems.push(("valid_from", RateProblem::Required));
            None
        }
        s => parse_date(s).or_else(|| {
            problems.push(("valid_from", RateProblem::InvalidDate));
            None
        }),
    };
    let rate = Rate::parse(rate).map_err(|p| problems.push(("rate", p))).ok();
    if let (Some(c), Some(r)) = (currency, rate)
        && c == reporting
        && r != Rate::ONE
    {
        problems.push(("rate", RateProblem::ReportingCurrency));
    }
    (currency, date, rate, problems)
}

/// The rates as CSV (`currency,valid_from,rate`, CRLF line ends, sorted by currency and date):
/// what [`parse_rates_csv`] reads back.
pub fn rates_csv(fx: &Fx) -> String {
    let mut sorted = fx.clone();
    sorted.normalise();
    let mut out = String::from("currency,valid_from,rate\r\n");
    for e in &sorted.rates {
        out.push_str(&format!("{},{},{}\r\n", e.currency, e.valid_from, e.rate));
    }
    out
}
