//! Reading CSV text (RFC 4180, leniently): records, the header, dates — shared by the analytics'
//! imports (`core::analytics::csv`) and the exchange rates (`core::fx`).
//!
//! Comma-separated; fields may be quoted with `"` (a quote inside is doubled, and a quoted field
//! may hold commas and line breaks); records end with LF, CRLF or CR; a leading UTF-8 byte-order
//! mark is skipped; blank lines are skipped; unquoted fields are trimmed. The first record is the
//! header: column names are matched case-insensitively, with spaces and hyphens read as
//! underscores, in any order; unknown columns are ignored. A missing required column is fatal
//! ([`CsvError`]). Records are numbered by the 1-based line they start on.

use crate::core::model::Date;
use std::collections::BTreeMap;

/// A file that cannot be read at all.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum CsvError {
    /// No header row.
    Empty,
    MissingColumn(String),
    DuplicateColumn(String),
    /// The header itself is malformed (an unterminated quote).
    BadHeader,
}

impl CsvError {
    pub fn key(&self) -> &'static str {
        match self {
            CsvError::Empty => "csv_empty",
            CsvError::MissingColumn(_) => "csv_missing_column",
            CsvError::DuplicateColumn(_) => "csv_duplicate_column",
            CsvError::BadHeader => "csv_bad_header",
        }
    }
}

impl std::fmt::Display for CsvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CsvError::Empty => f.write_str("the file is empty (no header row)"),
            CsvError::MissingColumn(c) => write!(f, "required column {c:?} is missing"),
            CsvError::DuplicateColumn(c) => write!(f, "column {c:?} appears twice"),
            CsvError::BadHeader => f.write_str("the header row has an unterminated quote"),
        }
    }
}

/// A record whose quote is never closed: it takes the rest of the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnterminatedQuote;

/// Records of a CSV text: `(line, fields)` or the line of an unterminated quote (which takes the
/// rest of the text).
pub struct Records<'a> {
    s: &'a str,
    pos: usize,
    line: usize,
}

/// Iterates over the records of `text` (a leading BOM is skipped; blank lines are skipped).
pub fn records(text: &str) -> Records<'_> {
    let s = text.strip_prefix('\u{feff}').unwrap_or(text);
    Records { s, pos: 0, line: 1 }
}

impl Iterator for Records<'_> {
    type Item = (usize, Result<Vec<String>, UnterminatedQuote>);

    fn next(&mut self) -> Option<Self::Item> {
        let b = self.s.as_bytes();
        loop {
            if self.pos >= b.len() {
                return None;
            }
            let start_line = self.line;
            let mut fields: Vec<String> = Vec::new();
            let mut field = String::new();
            let mut quoted_any = false;
            let mut i = self.pos;
            let mut ended = false;
            while i < b.len() && !ended {
                // At the start of a field.
                let mut quoted = false;
                let mut j = i;
                while j < b.len() && (b[j] == b' ' || b[j] == b'\t') {
                    j += 1;
                }
                if j < b.len() && b[j] == b'"' {
                    quoted = true;
                    quoted_any = true;
                    let mut k = j + 1;
                    loop {
                        if k >= b.len() {
                            self.pos = b.len();
                            return Some((start_line, Err(UnterminatedQuote)));
                        }
                        match b[k] {
                            b'"' if k + 1 < b.len() && b[k + 1] == b'"' => {
                                field.push('"');
                                k += 2;
                            }
                            b'"' => {
                                k += 1;
                                break;
                            }
                            c => {
                                if c == b'\n' || (c == b'\r' && b.get(k + 1) != Some(&b'\n')) {
                                    self.line += 1;
                                }
                                let next = next_special(b, k + 1, true);
                                field.push_str(&self.s[k..next]);
                                k = next;
                            }
                        }
                    }
                    i = k;
                }
                // Unquoted text (or what follows a closing quote, kept as-is).
                let stop = next_special(b, i, false);
                let raw = &self.s[i..stop];
                if quoted {
                    field.push_str(raw.trim_end());
                } else {
                    field.push_str(raw.trim());
                }
                i = stop;
                fields.push(std::mem::take(&mut field));
                match b.get(i) {
                    Some(b',') => {
                        i += 1;
                        if i >= b.len() {
                            fields.push(String::new());
                        }
                    }
                    Some(b'\r') => {
                        i += if b.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
                        self.line += 1;
                        ended = true;
                    }
                    Some(b'\n') => {
                        i += 1;
                        self.line += 1;
                        ended = true;
                    }
                    _ => ended = true,
                }
            }
            self.pos = i;
            let blank = !quoted_any && fields.iter().all(String::is_empty);
            if blank {
                continue;
            }
            return Some((start_line, Ok(fields)));
        }
    }
}

/// Position of the next `,` CR or LF (inside quotes: the next `"` CR or LF) at or after `from`.
fn next_special(b: &[u8], from: usize, in_quotes: bool) -> usize {
    let mut k = from;
    while k < b.len() {
        match b[k] {
            b'"' if in_quotes => return k,
            b',' if !in_quotes => return k,
            b'\r' | b'\n' => return k,
            _ => k += 1,
        }
    }
    k
}

fn normalise_column(name: &str) -> String {
    name.trim().to_lowercase().chars().map(|c| if c == ' ' || c == '-' { '_' } else { c }).collect()
}

/// The header's column positions.
pub struct Header {
    pos: BTreeMap<String, usize>,
}

impl Header {
    /// Reads the first record as the header; `required` columns (normalised names) must be there.
    pub fn read(it: &mut Records<'_>, required: &[&str]) -> Result<Header, CsvError> {
        let Some((_, first)) = it.next() else { return Err(CsvError::Empty) };
        let names: Vec<String> = first.map_err(|_| CsvError::BadHeader)?.iter().map(|n| normalise_column(n)).collect();
        let mut pos = BTreeMap::new();
        for (i, n) in names.iter().enumerate() {
            if n.is_empty() {
                continue;
            }
            if pos.insert(n.clone(), i).is_some() {
                return Err(CsvError::DuplicateColumn(n.clone()));
            }
        }
        for r in required {
            if !pos.contains_key(*r) {
                return Err(CsvError::MissingColumn((*r).to_string()));
            }
        }
        Ok(Header { pos })
    }

    /// The field of `row` in `column` (`""` when the row is short; `None` when the header has no such column).
    pub fn get<'r>(&self, row: &'r [String], column: &str) -> Option<&'r str> {
        self.pos.get(column).map(|&i| row.get(i).map_or("", |s| s.as_str()))
    }
}

/// `1997-01-01` or `19970101`.
pub fn parse_date(text: &str) -> Option<Date> {
    let t = text.trim();
    let b = t.as_bytes();
    let num = |s: &str| -> Option<u32> { s.bytes().all(|c| c.is_ascii_digit()).then(|| s.parse().ok()).flatten() };
    let (y, m, d) = if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        (t.get(0..4)?, t.get(5..7)?, t.get(8..10)?)
    } else if b.len() == 8 && b.iter().all(u8::is_ascii_digit) {
        (t.get(0..4)?, t.get(4..6)?, t.get(6..8)?)
    } else {
        return None;
    };
    Date::from_ymd_opt(num(y)? as i32, num(m)?, num(d)?)
}
