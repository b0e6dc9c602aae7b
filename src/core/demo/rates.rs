//! The demo's exchange rates: the CNY prices its generator gave foreign accounts, as the demo
//! workspace's rates table (reporting in CNY), so every demo figure in CNY is right.

use super::HISTORY_DAYS;
use crate::core::fx::{Fx, Rate, RateEntry};
use crate::core::model::{Currency, Date};

/// CNY per unit of each foreign currency the demo bills in: the rate as written, and the same
/// as the generator's float (they must agree; a test checks it).
pub(super) const RATES: [(Currency, &str, f64); 2] = [(Currency::EUR, "7.8", 7.8), (Currency::USD, "7.1", 7.1)];

/// The generator's CNY per unit of `c` (1 for CNY and any currency it does not use).
pub(super) fn cny_per_unit(c: Currency) -> f64 {
    RATES.iter().find(|r| r.0 == c).map_or(1.0, |r| r.2)
}

/// The demo's rates for the history ending `as_of`: reporting in CNY, one rate per foreign
/// currency valid from the first day of the history (earlier dates use it too). A pure function
/// of `as_of`, like the data.
pub fn rates(as_of: Date) -> Fx {
    let from = as_of.checked_sub_days(chrono::Days::new(HISTORY_DAYS as u64)).unwrap_or(as_of);
    let mut fx = Fx::new(Currency::CNY);
    for (currency, text, _) in RATES {
        if let Ok(rate) = Rate::parse(text) {
            fx.set(RateEntry { currency, valid_from: from, rate });
        }
    }
    fx
}
