//! Field-level validation. Errors carry a field path and a [`Problem`]; the UI turns each
//! problem into a translated message through its stable [`Problem::key`].

use serde::{Deserialize, Serialize};

/// What is wrong with one field. The set is closed so every variant has a translation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Problem {
    Required,
    TooLong {
        max: u32,
    },
    OutOfRange {
        min: i64,
        max: i64,
    },
    Negative,
    InvalidEmail,
    InvalidPhone,
    InvalidCountry,
    InvalidPeriod,
    /// A date or time that must not come before another one (the other field is named in `FieldError::field`'s message context).
    DateOrder,
    /// An order whose amount differs from the sum of its lines.
    TotalMismatch,
    /// Payments exceed the invoice amount.
    Overpaid,
    /// A record that points at itself (parent account, distributor-of).
    SelfReference,
    Duplicate,
    /// A survey answer with neither a CSAT nor an NPS score.
    NoScore,
    /// A resolved or closed ticket without a resolution note.
    MissingResolution,
    InvalidCoordinates,
    /// Amounts in a record must share its currency.
    CurrencyMismatch,
    /// Not a number or an amount (`12.5x`), or more decimals than the currency has.
    InvalidNumber,
    /// Not a date (`YYYY-MM-DD`).
    InvalidDate,
    /// Not a time of day (`HH:MM`).
    InvalidTime,
    /// More items than allowed (photos on a ticket).
    TooMany {
        max: u32,
    },
    /// A photo that is not a JPEG or PNG image, or too large.
    InvalidPhoto,
    /// A document that is not a PDF, image, Word or Excel file, or too large.
    InvalidDocument,
}

impl Problem {
    /// Every variant, for exhaustive tests (e.g. "each problem has a message in every language").
    pub const ALL: [Problem; 23] = [
        Problem::Required,
        Problem::TooLong { max: 0 },
        Problem::OutOfRange { min: 0, max: 0 },
        Problem::Negative,
        Problem::InvalidEmail,
        Problem::InvalidPhone,
        Problem::InvalidCountry,
        Problem::InvalidPeriod,
        Problem::DateOrder,
        Problem::TotalMismatch,
        Problem::Overpaid,
        Problem::SelfReference,
        Problem::Duplicate,
        Problem::NoScore,
        Problem::MissingResolution,
        Problem::InvalidCoordinates,
        Problem::CurrencyMismatch,
        Problem::InvalidNumber,
        Problem::InvalidDate,
        Problem::InvalidTime,
        Problem::TooMany { max: 0 },
        Problem::InvalidPhoto,
        Problem::InvalidDocument,
    ];

    /// The translation key of the message (present in every locale file).
    pub fn key(&self) -> &'static str {
        match self {
            Problem::Required => "err_required",
            Problem::TooLong { .. } => "err_too_long",
            Problem::OutOfRange { .. } => "err_out_of_range",
            Problem::Negative => "err_negative",
            Problem::InvalidEmail => "err_invalid_email",
            Problem::InvalidPhone => "err_invalid_phone",
            Problem::InvalidCountry => "err_invalid_country",
            Problem::InvalidPeriod => "err_invalid_period",
            Problem::DateOrder => "err_date_order",
            Problem::TotalMismatch => "err_total_mismatch",
            Problem::Overpaid => "err_overpaid",
            Problem::SelfReference => "err_self_reference",
            Problem::Duplicate => "err_duplicate",
            Problem::NoScore => "err_no_score",
            Problem::MissingResolution => "err_missing_resolution",
            Problem::InvalidCoordinates => "err_invalid_coordinates",
            Problem::CurrencyMismatch => "err_currency_mismatch",
            Problem::InvalidNumber => "err_invalid_number",
            Problem::InvalidDate => "err_invalid_date",
            Problem::InvalidTime => "err_invalid_time",
            Problem::TooMany { .. } => "err_too_many",
            Problem::InvalidPhoto => "err_invalid_photo",
            Problem::InvalidDocument => "err_invalid_document",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// Path of the field in the record: `name`, `lines[2].quantity`, `payments[0].amount`.
    pub field: String,
    pub problem: Problem,
}

/// All field errors of one record; never empty when returned as an `Err`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    pub fn for_field<'a>(&'a self, field: &'a str) -> impl Iterator<Item = &'a Problem> + 'a {
        self.0.iter().filter(move |e| e.field == field).map(|e| &e.problem)
    }

    pub fn has(&self, field: &str, problem: Problem) -> bool {
        self.0.iter().any(|e| e.field == field && e.problem == problem)
    }
}

pub trait Validate {
    fn validate(&self) -> Result<(), ValidationErrors>;
}

/// Collects field errors; the check helpers keep each model's `validate` a readable list.
#[derive(Default)]
pub struct Checker {
    errors: Vec<FieldError>,
}

pub const MAX_ID: u32 = 128;
pub const MAX_NAME: u32 = 200;
pub const MAX_SHORT_TEXT: u32 = 500;
pub const MAX_LONG_TEXT: u32 = 20_000;

impl Checker {
    pub fn push(&mut self, field: impl Into<String>, problem: Problem) {
        self.errors.push(FieldError { field: field.into(), problem });
    }

    /// Required, not blank (not only spaces or invisible characters), at most `max` characters.
    pub fn text(&mut self, field: &str, value: &str, max: u32) {
        if crate::core::text::is_blank(value) {
            self.push(field, Problem::Required);
        } else {
            self.max_len(field, value, max);
        }
    }

    pub fn max_len(&mut self, field: &str, value: &str, max: u32) {
        if value.chars().count() > max as usize {
            self.push(field, Problem::TooLong { max });
        }
    }

    pub fn opt_text(&mut self, field: &str, value: &Option<String>, max: u32) {
        if let Some(v) = value {
            self.max_len(field, v, max);
        }
    }

    pub fn id(&mut self, field: &str, value: &str) {
        self.text(field, value, MAX_ID);
    }

    pub fn range(&mut self, field: &str, value: i64, min: i64, max: i64) {
        if value < min || value > max {
            self.push(field, Problem::OutOfRange { min, max });
        }
    }

    pub fn non_negative(&mut self, field: &str, value: i64) {
        if value < 0 {
            self.push(field, Problem::Negative);
        }
    }

    pub fn email(&mut self, field: &str, value: &str) {
        if !value.trim().is_empty() && !is_email(value) {
            self.push(field, Problem::InvalidEmail);
        }
    }

    pub fn phone(&mut self, field: &str, value: &str) {
        if !value.trim().is_empty() && !is_phone(value) {
            self.push(field, Problem::InvalidPhone);
        }
    }

    pub fn unique<'a>(&mut self, field: &str, values: impl IntoIterator<Item = &'a String>) {
        let mut seen = std::collections::BTreeSet::new();
        for (i, v) in values.into_iter().enumerate() {
            if !seen.insert(crate::core::text::fold(v.trim())) {
                self.push(format!("{field}[{i}]"), Problem::Duplicate);
            }
        }
    }

    pub fn finish(self) -> Result<(), ValidationErrors> {
        if self.errors.is_empty() { Ok(()) } else { Err(ValidationErrors(self.errors)) }
    }
}

/// A pragmatic address check: one `@`, a non-empty local part, a dotted domain, no spaces.
pub fn is_email(s: &str) -> bool {
    let s = s.trim();
    let Some((local, domain)) = s.split_once('@') else { return false };
    !local.is_empty()
        && !domain.contains('@')
        && !s.chars().any(char::is_whitespace)
        && s.chars().count() <= 254
        && domain.split('.').count() >= 2
        && domain.split('.').all(|label| !label.is_empty() && !label.starts_with('-') && !label.ends_with('-'))
}

/// Phone numbers as staff type them: `+86 571-8888 1234`, `(0571) 88881234 ext. 12`; 5 to 20 digits.
pub fn is_phone(s: &str) -> bool {
    let s = s.trim();
    let (main, ext) = match s.to_ascii_lowercase().split_once("ext") {
        Some((m, e)) => (m.to_string(), Some(e.trim_start_matches(['.', ' ', ':']).to_string())),
        None => (s.to_string(), None),
    };
    let digits = main.chars().filter(char::is_ascii_digit).count();
    let allowed = main.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '+' | '.' | '/'));
    let plus_ok = main.trim_start().chars().skip(1).all(|c| c != '+');
    let ext_ok = ext.is_none_or(|e| !e.is_empty() && e.chars().all(|c| c.is_ascii_digit()) && e.len() <= 6);
    allowed && plus_ok && ext_ok && (5..=20).contains(&digits)
}

/// ISO 3166-1 alpha-2 shape: two upper-case ASCII letters.
pub fn is_country(s: &str) -> bool {
    s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase())
}
