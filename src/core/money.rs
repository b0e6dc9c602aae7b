//! Money as integer minor units with an ISO 4217 currency code. Never `f64` in a record.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// An amount in minor units (cents, fen). Arithmetic saturates: a sum can never panic.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Money(pub i64);

impl Money {
    pub const ZERO: Money = Money(0);

    pub fn minor(self) -> i64 {
        self.0
    }

    pub fn saturating_add(self, other: Money) -> Money {
        Money(self.0.saturating_add(other.0))
    }

    pub fn saturating_sub(self, other: Money) -> Money {
        Money(self.0.saturating_sub(other.0))
    }

    /// `self × n`, saturating.
    pub fn times(self, n: i64) -> Money {
        Money(self.0.saturating_mul(n))
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// Parses a user-typed amount in major units ("1,234.5", "-20", "１２３"): grouping
    /// commas, spaces and full-width digits are accepted; more fraction digits than the
    /// currency has is an error rather than a silent rounding.
    pub fn parse_major(text: &str, currency: Currency) -> Result<Money, MoneyParseError> {
        let digits = u32::from(currency.minor_digits());
        let normal: String = text
            .trim()
            .chars()
            .filter(|c| !matches!(c, ',' | ' ' | '_' | '，' | '\u{a0}'))
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                '．' | '。' => '.',
                '－' => '-',
                _ => c,
            })
            .collect();
        if normal.is_empty() {
            return Err(MoneyParseError::Empty);
        }
        let (negative, body) = match normal.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, normal.strip_prefix('+').unwrap_or(&normal)),
        };
        let (int_part, frac_part) = match body.split_once('.') {
            Some((i, f)) => (i, f),
            None => (body, ""),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(MoneyParseError::NotANumber);
        }
        if !int_part.bytes().all(|b| b.is_ascii_digit()) || !frac_part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(MoneyParseError::NotANumber);
        }
        if frac_part.len() > digits as usize {
            return Err(MoneyParseError::TooManyDecimals { max: currency.minor_digits() });
        }
        let mut value: i64 = 0;
        for b in int_part.bytes() {
            value = value
                .checked_mul(10)
                .and_then(|v| v.checked_add(i64::from(b - b'0')))
                .ok_or(MoneyParseError::TooLarge)?;
        }
        let scale = 10i64.pow(digits);
        value = value.checked_mul(scale).ok_or(MoneyParseError::TooLarge)?;
        let mut frac: i64 = 0;
        for (i, b) in frac_part.bytes().enumerate() {
            frac += i64::from(b - b'0') * 10i64.pow(digits - 1 - i as u32);
        }
        value = value.checked_add(frac).ok_or(MoneyParseError::TooLarge)?;
        Ok(Money(if negative { -value } else { value }))
    }

    /// "1,234,567.89" with the currency's minor digits; no symbol.
    pub fn format_plain(self, currency: Currency) -> String {
        let digits = u32::from(currency.minor_digits());
        let scale = 10u64.pow(digits);
        let abs = self.0.unsigned_abs();
        let (int, frac) = (abs / scale, abs % scale);
        let int_text = group_thousands(int);
        let sign = if self.0 < 0 { "-" } else { "" };
        if digits == 0 {
            format!("{sign}{int_text}")
        } else {
            format!("{sign}{int_text}.{frac:0width$}", width = digits as usize)
        }
    }

    /// "¥1,234.00", "US$5.00", "CHF 12.00".
    pub fn format(self, currency: Currency) -> String {
        let plain = self.format_plain(currency);
        let (sign, plain) = match plain.strip_prefix('-') {
            Some(rest) => ("-", rest.to_string()),
            None => ("", plain),
        };
        match currency.symbol() {
            Some(sym) => format!("{sign}{sym}{plain}"),
            None => format!("{sign}{} {plain}", currency.as_str()),
        }
    }

    /// Major units as a float for charts and ratios only (never stored).
    pub fn to_major_f64(self, currency: Currency) -> f64 {
        self.0 as f64 / 10f64.powi(i32::from(currency.minor_digits()))
    }
}

fn group_thousands(mut n: u64) -> String {
    let mut groups = Vec::new();
    loop {
        groups.push(n % 1000);
        n /= 1000;
        if n == 0 {
            break;
        }
    }
    let mut out = String::new();
    for (i, g) in groups.iter().rev().enumerate() {
        if i == 0 {
            out.push_str(&g.to_string());
        } else {
            out.push_str(&format!(",{g:03}"));
        }
    }
    out
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MoneyParseError {
    Empty,
    NotANumber,
    TooManyDecimals { max: u8 },
    TooLarge,
}

/// ISO 4217 alphabetic code: three ASCII upper-case letters.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Currency([u8; 3]);

impl Currency {
    pub const CNY: Currency = Currency(*b"CNY");
    pub const USD: Currency = Currency(*b"USD");
    pub const EUR: Currency = Currency(*b"EUR");
    pub const JPY: Currency = Currency(*b"JPY");
    pub const HKD: Currency = Currency(*b"HKD");
    pub const GBP: Currency = Currency(*b"GBP");

    /// Accepts any three ASCII letters (case-insensitive); the code list itself is the backend's business.
    pub fn parse(code: &str) -> Option<Currency> {
        let b = code.trim().as_bytes();
        if b.len() == 3 && b.iter().all(u8::is_ascii_alphabetic) {
            Some(Currency([b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase(), b[2].to_ascii_uppercase()]))
        } else {
            None
        }
    }

    pub fn as_str(&self) -> &str {
        // Only ever built from ASCII letters.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }

    /// Digits after the decimal point (ISO 4217 exponent) for the common zero-decimal currencies; 2 otherwise.
    pub fn minor_digits(&self) -> u8 {
        match &self.0 {
            b"JPY" | b"KRW" | b"VND" | b"CLP" | b"ISK" | b"UGX" | b"XAF" | b"XOF" => 0,
            b"KWD" | b"BHD" | b"OMR" | b"JOD" | b"TND" => 3,
            _ => 2,
        }
    }

    pub fn symbol(&self) -> Option<&'static str> {
        match &self.0 {
            b"CNY" => Some("¥"),
            b"USD" => Some("US$"),
            b"EUR" => Some("€"),
            b"GBP" => Some("£"),
            b"JPY" => Some("JP¥"),
            b"HKD" => Some("HK$"),
            _ => None,
        }
    }
}

impl Default for Currency {
    fn default() -> Self {
        Currency::CNY
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.as_str())
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Currency::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("not an ISO 4217 currency code: {s:?}")))
    }
}
