//! CSV in and out, as pure functions of text.
//!
//! **Reading** goes through [`crate::core::csv`] (RFC 4180, leniently; header matched by name;
//! re-exported here: [`records`], [`parse_date`], [`CsvError`]). A missing required column is
//! fatal ([`CsvError`]); a bad row is skipped and reported as [`RowError`]s (its line — the
//! 1-based line the record starts on — column and a [`CsvProblem`] whose `key()` is a
//! translation key), one per bad field.
//!
//! Dates are ISO `1997-01-01` or `19970101`. Amounts are decimal text in major units
//! (`29.33`, `1,234.5`; [`Money::parse_major`], so more decimals than the currency has are an
//! error, not rounded).
//!
//! **Writing**: fields holding a comma, quote, CR or LF (or leading/trailing spaces) are quoted,
//! quotes doubled; records end with CRLF (RFC 4180). Against spreadsheet formula injection, a
//! *text* field (ids, names, segment keys) starting with `=`, `+`, `-`, `@`, tab or CR gets a
//! leading `'`, which spreadsheets show as text; numeric fields we format ourselves are left
//! as they are (a margin of `-12.50` must stay a number). No byte-order mark is written: prepend
//! `'\u{feff}'` for Excel.
//!
//! **The pipeline** (issue 14): [`pipeline_csv`] writes the opportunities with every computed
//! column ([`PIPELINE_COLUMNS`]) the same way; [`parse_opportunities_csv`] reads them back with
//! one [`OppRowError`] per bad field — a reading problem ([`CsvProblem`]), a value that is not a
//! stage / source / lost reason, or a rule of [`Opportunity::validate`].

use super::Analysis;
use super::bgnbd::Prediction;
use super::forecast::Forecast;
use super::satisfaction::Satisfaction;
use crate::core::csv::Header;
pub use crate::core::csv::{CsvError, Records, UnterminatedQuote, parse_date, records};
use crate::core::fx::FxTable;
use crate::core::model::{
    Currency, Customer, Date, LOST, LostReason, Money, OppLine, OppSource, Opportunity, Order, OrderStatus, Stages,
    SupplyChainRole, Timestamp, WON, keyed_enum,
};
use crate::core::money::MoneyParseError;
use crate::core::validate::{Problem, Validate};
use chrono::NaiveTime;
use std::fmt::Write as _;

keyed_enum!(
    /// What is wrong with one field of a row.
    CsvProblem, "csv", {
        Required => "required",
        InvalidDate => "invalid_date",
        InvalidAmount => "invalid_amount",
        TooManyDecimals => "too_many_decimals",
        TooLarge => "too_large",
        Negative => "negative",
        InvalidCurrency => "invalid_currency",
        InvalidNumber => "invalid_number",
        InvalidCountry => "invalid_country",
        InvalidRole => "invalid_role",
        MarginAboveAmount => "margin_above_amount",
        UnterminatedQuote => "unterminated_quote",
    }
);

/// A skipped row's problem.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RowError {
    /// 1-based line of the file where the record starts.
    pub line: usize,
    /// The column's name as normalised from the header (empty for a whole-record problem).
    pub column: String,
    pub problem: CsvProblem,
}

fn money_problem(e: MoneyParseError) -> CsvProblem {
    match e {
        MoneyParseError::Empty => CsvProblem::Required,
        MoneyParseError::NotANumber => CsvProblem::InvalidAmount,
        MoneyParseError::TooManyDecimals { .. } => CsvProblem::TooManyDecimals,
        MoneyParseError::TooLarge => CsvProblem::TooLarge,
    }
}

/// Collects the problems of one row.
struct RowCheck<'e> {
    line: usize,
    errors: &'e mut Vec<RowError>,
    bad: bool,
}

impl RowCheck<'_> {
    fn fail(&mut self, column: &str, problem: CsvProblem) {
        self.bad = true;
        self.errors.push(RowError { line: self.line, column: column.to_string(), problem });
    }

    fn required<'a>(&mut self, column: &str, v: Option<&'a str>) -> Option<&'a str> {
        match v {
            Some(s) if !s.trim().is_empty() => Some(s.trim()),
            _ => {
                self.fail(column, CsvProblem::Required);
                None
            }
        }
    }

    fn currency(&mut self, column: &str, v: Option<&str>, default: Currency) -> Currency {
        match v.map(str::trim) {
            Some(s) if !s.is_empty() => Currency::parse(s).unwrap_or_else(|| {
                self.fail(column, CsvProblem::InvalidCurrency);
                default
            }),
            _ => default,
        }
    }

    /// An optional non-negative amount (`negative_ok` for margins).
    fn amount(&mut self, column: &str, v: Option<&str>, currency: Currency, negative_ok: bool) -> Option<Money> {
        let s = v.map(str::trim).filter(|s| !s.is_empty())?;
        match Money::parse_major(s, currency) {
            Ok(m) if m.0 < 0 && !negative_ok => {
                self.fail(column, CsvProblem::Negative);
                None
            }
            Ok(m) => Some(m),
            Err(e) => {
                self.fail(column, money_problem(e));
                None
            }
        }
    }
}

/// Orders read from CSV, and the rows that were skipped.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ParsedOrders {
    pub orders: Vec<Order>,
    pub errors: Vec<RowError>,
    /// Data rows read (good and bad).
    pub rows: usize,
}

/// Orders from CSV: `customer_id,date,amount` required; `order_id`, `margin`, `currency`
/// optional (`default_currency` otherwise). Orders get status `delivered`, no lines, an
/// `updated_at` at midnight UTC of their date, and the id `row-<line>` when there is no
/// `order_id` (or it is empty).
pub fn parse_orders_csv(text: &str, default_currency: Currency) -> Result<ParsedOrders, CsvError> {
    let mut it = records(text);
    let h = Header::read(&mut it, &["customer_id", "date", "amount"])?;
    let mut out = ParsedOrders::default();
    for (line, rec) in it {
        out.rows += 1;
        let row = match rec {
            Ok(r) => r,
            Err(UnterminatedQuote) => {
                out.errors.push(RowError { line, column: String::new(), problem: CsvProblem::UnterminatedQuote });
                continue;
            }
        };
        let mut c = RowCheck { line, errors: &mut out.errors, bad: false };
        let customer = c.required("customer_id", h.get(&row, "customer_id"));
        let date = c.required("date", h.get(&row, "date")).and_then(|d| {
            let parsed = parse_date(d);
            if parsed.is_none() {
                c.fail("date", CsvProblem::InvalidDate);
            }
            parsed
        });
        let currency = c.currency("currency", h.get(&row, "currency"), default_currency);
        let amount =
            c.required("amount", h.get(&row, "amount")).and_then(|t| c.amount("amount", Some(t), currency, false));
        let margin = c.amount("margin", h.get(&row, "margin"), currency, true);
        if let (Some(m), Some(a)) = (margin, amount)
            && m > a
        {
            c.fail("margin", CsvProblem::MarginAboveAmount);
        }
        let (Some(customer), Some(date), Some(amount), false) = (customer, date, amount, c.bad) else { continue };
        let id = match h.get(&row, "order_id").map(str::trim) {
            Some(s) if !s.is_empty() => s.to_string(),
            _ => format!("row-{line}"),
        };
        out.orders.push(Order {
            id,
            customer_id: customer.to_string(),
            date,
            amount,
            margin,
            currency,
            status: OrderStatus::Delivered,
            lines: Vec::new(),
            updated_at: date.and_time(NaiveTime::MIN).and_utc(),
        });
    }
    Ok(out)
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ParsedCustomers {
    pub customers: Vec<Customer>,
    pub errors: Vec<RowError>,
    pub rows: usize,
}

/// Customers from CSV: `id,name` required; optional `short_name`, `role` (wire name, e.g.
/// `distributor`; `other` when absent), `industry`, `region`, `country` (ISO alpha-2), `city`,
/// `address`, `owner` (empty = shared pool), `tags` (separated by `;` or `|`), `credit_limit`,
/// `potential_annual_spend` (major units of the row's currency), `currency`
/// (`default_currency` otherwise), `payment_terms_days` (0–365). `created_at` and `updated_at`
/// are `now`.
pub fn parse_customers_csv(
    text: &str,
    default_currency: Currency,
    now: Timestamp,
) -> Result<ParsedCustomers, CsvError> {
    let mut it = records(text);
    let h = Header::read(&mut it, &["id", "name"])?;
    let mut out = ParsedCustomers::default();
    for (line, rec) in it {
        out.rows += 1;
        let row = match rec {
            Ok(r) => r,
            Err(UnterminatedQuote) => {
                out.errors.push(RowError { line, column: String::new(), problem: CsvProblem::UnterminatedQuote });
                continue;
            }
        };
        let text = |col: &str| h.get(&row, col).map(str::trim).unwrap_or("").to_string();
        let mut c = RowCheck { line, errors: &mut out.errors, bad: false };
        let id = c.required("id", h.get(&row, "id")).map(str::to_string);
        let name = c.required("name", h.get(&row, "name")).map(str::to_string);
        let currency = c.currency("currency", h.get(&row, "currency"), default_currency);
        let credit_limit = c.amount("credit_limit", h.get(&row, "credit_limit"), currency, false);
        let potential = c.amount("potential_annual_spend", h.get(&row, "potential_annual_spend"), currency, false);
        let country = text("country").to_ascii_uppercase();
        if !country.is_empty() && !crate::core::validate::is_country(&country) {
            c.fail("country", CsvProblem::InvalidCountry);
        }
        let role = match text("role") {
            r if r.is_empty() => SupplyChainRole::Other,
            r => SupplyChainRole::parse(&r).unwrap_or_else(|| {
                c.fail("role", CsvProblem::InvalidRole);
                SupplyChainRole::Other
            }),
        };
        let terms = match text("payment_terms_days") {
            t if t.is_empty() => 0,
            t => match t.parse::<u16>() {
                Ok(v) if v <= 365 => v,
                _ => {
                    c.fail("payment_terms_days", CsvProblem::InvalidNumber);
                    0
                }
            },
        };
        let (Some(id), Some(name), false) = (id, name, c.bad) else { continue };
        let owner = Some(text("owner")).filter(|o| !o.is_empty());
        let mut tags: Vec<String> = Vec::new();
        for t in text("tags").split([';', '|']).map(str::trim).filter(|t| !t.is_empty()) {
            if !tags.iter().any(|x| x == t) {
                tags.push(t.to_string());
            }
        }
        out.customers.push(Customer {
            name,
            short_name: text("short_name"),
            role,
            industry: text("industry"),
            region: text("region"),
            country,
            city: text("city"),
            address: text("address"),
            owner,
            tags,
            credit_limit,
            payment_terms_days: terms,
            potential_annual_spend: potential,
            ..Customer::blank(id, currency, now)
        });
    }
    Ok(out)
}

/// Prefixes `'` to text a spreadsheet would take for a formula.
pub fn neutralise(s: &str) -> std::borrow::Cow<'_, str> {
    match s.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => std::borrow::Cow::Owned(format!("'{s}")),
        _ => std::borrow::Cow::Borrowed(s),
    }
}

/// Appends one field, quoted when needed.
pub fn write_field(out: &mut String, s: &str) {
    let needs = s.bytes().any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n')) || s.starts_with(' ') || s.ends_with(' ');
    if needs {
        out.push('"');
        for ch in s.chars() {
            if ch == '"' {
                out.push('"');
            }
            out.push(ch);
        }
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// Appends a text field: neutralised against formulas, then quoted when needed.
pub fn write_text(out: &mut String, s: &str) {
    write_field(out, &neutralise(s));
}

/// Minor units as plain major units: `-1234.50` (no grouping, the currency's decimals).
pub fn format_amount(m: Money, currency: Currency) -> String {
    let digits = u32::from(currency.minor_digits());
    let scale = 10u64.pow(digits);
    let abs = m.0.unsigned_abs();
    let sign = if m.0 < 0 { "-" } else { "" };
    if digits == 0 {
        format!("{sign}{abs}")
    } else {
        format!("{sign}{}.{:0w$}", abs / scale, abs % scale, w = digits as usize)
    }
}

/// The export's columns, in order. The last five are in the reporting currency
/// (`Analysis::fx.reporting`, written in `report_currency` on every row): `m_report`,
/// `margin_report` and `clv_report` are M, margin and CLV converted order by order at the rate of
/// each order's date; they are empty when the customer's currency has no rate, and
/// `report_complete` is then `false`.
pub const EXPORT_COLUMNS: [&str; 32] = [
    "customer_id",
    "name",
    "currency",
    "first_order",
    "last_order",
    "recency_days",
    "frequency",
    "monetary",
    "margin",
    "trailing_12m",
    "r_score",
    "f_score",
    "m_score",
    "rfm_segment",
    "abc_class",
    "never_profitable",
    "stage",
    "strategy",
    "gap_warning",
    "median_gap_days",
    "gap_threshold_days",
    "p_alive",
    "expected_orders",
    "clv",
    "other_currency_orders",
    "csat",
    "nps",
    "report_currency",
    "m_report",
    "margin_report",
    "clv_report",
    "report_complete",
];

/// One line per customer with every computed column ([`EXPORT_COLUMNS`]); empty cells where a
/// figure does not apply (no orders, no margin, no prediction). Booleans are `true`/`false`,
/// classes and stages their wire names (`a`… as `A`…), amounts in major units. `csat` is the
/// customer's share (0–1) of satisfied CSAT answers and `nps` its Net Promoter Score (−100–100),
/// from `satisfaction` (one per customer, [`super::satisfaction::Voice`]); empty without answers.
pub fn export_csv(
    customers: &[Customer],
    analysis: &Analysis,
    predictions: Option<&[Option<Prediction>]>,
    satisfaction: Option<&[Satisfaction]>,
) -> String {
    export_csv_rows(customers, analysis, predictions, satisfaction, 0..customers.len())
}

/// [`export_csv`] of some customers only (positions in `customers`, in the order given), for
/// exporting one view of the list.
pub fn export_csv_rows(
    customers: &[Customer],
    analysis: &Analysis,
    predictions: Option<&[Option<Prediction>]>,
    satisfaction: Option<&[Satisfaction]>,
    rows: impl IntoIterator<Item = usize>,
) -> String {
    let mut out = String::with_capacity(customers.len().min(100_000) * 190 + 400);
    let report = analysis.fx.reporting;
    for (i, col) in EXPORT_COLUMNS.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(col);
    }
    out.push_str("\r\n");
    let opt = |out: &mut String, v: Option<String>| {
        out.push(',');
        if let Some(v) = v {
            out.push_str(&v);
        }
    };
    for i in rows {
        let (Some(c), Some(row)) = (customers.get(i), analysis.rows.get(i)) else { continue };
        let cur = c.currency;
        write_text(&mut out, &c.id);
        out.push(',');
        write_text(&mut out, &c.name);
        out.push(',');
        write_text(&mut out, cur.as_str());
        opt(&mut out, row.first_order.map(|d| d.to_string()));
        opt(&mut out, row.last_order.map(|d| d.to_string()));
        opt(&mut out, row.recency_days.map(|d| d.to_string()));
        let _ = write!(out, ",{}", row.frequency);
        opt(&mut out, (row.frequency > 0).then(|| format_amount(row.monetary, cur)));
        opt(&mut out, row.margin.map(|m| format_amount(m, cur)));
        opt(&mut out, (row.frequency > 0).then(|| format_amount(row.trailing_12m, cur)));
        opt(&mut out, row.scores.map(|s| s.r.to_string()));
        opt(&mut out, row.scores.map(|s| s.f.to_string()));
        opt(&mut out, row.scores.map(|s| s.m.to_string()));
        out.push(',');
        if let Some(seg) = analysis.segment_key(i) {
            write_text(&mut out, seg);
        }
        opt(&mut out, row.abc.map(|a| a.as_str().to_ascii_uppercase()));
        opt(&mut out, Some(row.never_profitable.to_string()));
        opt(&mut out, Some(row.stage.as_str().to_string()));
        opt(&mut out, Some(row.stage.strategy().as_str().to_string()));
        opt(&mut out, row.gap.map(|g| g.fires.to_string()));
        opt(&mut out, row.gap.map(|g| format_f64(g.median_gap, 1)));
        opt(&mut out, row.gap.map(|g| format_f64(g.threshold, 1)));
        let p = predictions.and_then(|p| p.get(i).copied().flatten());
        opt(&mut out, p.and_then(|p| p.p_alive).map(|v| format_f64(v, 6)));
        opt(&mut out, p.and_then(|p| p.expected_orders).map(|v| format_f64(v, 4)));
        opt(&mut out, p.and_then(|p| p.clv).map(|m| format_amount(m, cur)));
        let _ = write!(out, ",{}", row.other_currency_orders);
        let sat = satisfaction.and_then(|s| s.get(i));
        opt(&mut out, sat.and_then(Satisfaction::csat).map(|v| format_f64(v, 4)));
        opt(&mut out, sat.and_then(Satisfaction::nps).map(|v| format_f64(v, 1)));
        opt(&mut out, Some(report.as_str().to_string()));
        opt(&mut out, row.monetary_report.filter(|_| row.frequency > 0).map(|m| format_amount(m, report)));
        opt(&mut out, row.margin_report.map(|m| format_amount(m, report)));
        opt(&mut out, p.and_then(|p| p.clv_report).map(|m| format_amount(m, report)));
        opt(&mut out, Some(row.report_complete().to_string()));
        out.push_str("\r\n");
    }
    out
}

/// Fixed decimals; non-finite values become an empty cell.
fn format_f64(v: f64, decimals: usize) -> String {
    if v.is_finite() { format!("{v:.decimals$}") } else { String::new() }
}

// ---------------------------------------------------------------------------------------------
// The pipeline (issue 14): opportunities out with every computed column, and in with per-row errors

/// The pipeline export's columns, in order. `outcome` is `open`, `won` or `lost`; `weighted` is
/// [`Opportunity::weighted`]; `amount_report` / `weighted_report` are in `report_currency` (at the
/// rate of [`super::forecast::conversion_date`]), empty without a table or a rate; `team`,
/// `competitors` and `products` are separated by `; `; `days_in_stage` (whole days at the end of the
/// forecast's date) and `stuck` only for open deals; `created` is the creation's UTC date. The
/// import reads the columns it knows of these, so an export can be edited and imported again.
pub const PIPELINE_COLUMNS: [&str; 30] = [
    "id",
    "customer_id",
    "customer_name",
    "title",
    "stage",
    "outcome",
    "amount",
    "currency",
    "probability",
    "weighted",
    "report_currency",
    "amount_report",
    "weighted_report",
    "expected_close",
    "owner",
    "team",
    "products",
    "estimated_cost",
    "margin",
    "competitors",
    "days_in_stage",
    "stuck",
    "source",
    "source_id",
    "next_step",
    "next_step_date",
    "closed_on",
    "lost_reason",
    "lost_note",
    "created",
];

/// One line per opportunity with every computed column ([`PIPELINE_COLUMNS`]), customer names
/// from `customers`, days in stage and the stuck flag from `forecast` (computed over the same
/// `opportunities`), reporting amounts through `fx`.
pub fn pipeline_csv(
    opportunities: &[Opportunity],
    customers: &[Customer],
    forecast: &Forecast,
    fx: Option<&FxTable>,
) -> String {
    pipeline_csv_rows(opportunities, customers, forecast, fx, 0..opportunities.len())
}

/// [`pipeline_csv`] of some opportunities only (positions in `opportunities`, in the order given),
/// for exporting one view of the pipeline.
pub fn pipeline_csv_rows(
    opportunities: &[Opportunity],
    customers: &[Customer],
    forecast: &Forecast,
    fx: Option<&FxTable>,
    rows: impl IntoIterator<Item = usize>,
) -> String {
    let index = super::index::CustomerIndex::new(customers);
    let mut stuck = vec![false; opportunities.len()];
    for s in &forecast.stuck {
        if let Some(x) = stuck.get_mut(s.index) {
            *x = true;
        }
    }
    let as_of = forecast.as_of;
    let mut out = String::with_capacity(opportunities.len().min(100_000) * 260 + 400);
    out.push_str(&PIPELINE_COLUMNS.join(","));
    out.push_str("\r\n");
    let text = |out: &mut String, s: &str| {
        out.push(',');
        write_text(out, s);
    };
    let opt = |out: &mut String, v: Option<String>| {
        out.push(',');
        if let Some(v) = v {
            out.push_str(&v);
        }
    };
    for i in rows {
        let Some(o) = opportunities.get(i) else { continue };
        let cur = o.currency;
        write_text(&mut out, &o.id);
        text(&mut out, &o.customer_id);
        let name = index.get(&o.customer_id).and_then(|k| customers.get(k)).map_or("", |c| c.name.as_str());
        text(&mut out, name);
        text(&mut out, &o.title);
        text(&mut out, &o.stage);
        let outcome = if o.is_won() {
            "won"
        } else if o.is_lost() {
            "lost"
        } else {
            "open"
        };
        opt(&mut out, Some(outcome.to_string()));
        opt(&mut out, Some(format_amount(o.amount, cur)));
        text(&mut out, cur.as_str());
        let _ = write!(out, ",{}", o.probability);
        opt(&mut out, Some(format_amount(o.weighted(), cur)));
        let date = super::forecast::conversion_date(o, as_of);
        let report = fx.map(|t| t.reporting());
        opt(&mut out, report.map(|c| c.as_str().to_string()));
        let conv = |m: Money| fx.zip(report).and_then(|(t, r)| t.convert(m, cur, date).map(|v| format_amount(v, r)));
        opt(&mut out, conv(o.amount));
        opt(&mut out, conv(o.weighted()));
        opt(&mut out, o.expected_close.map(|d| d.to_string()));
        text(&mut out, &o.owner);
        text(&mut out, &o.team.join("; "));
        let products: Vec<&str> = o.lines.iter().map(|l| l.product.as_str()).collect();
        text(&mut out, &products.join("; "));
        opt(&mut out, o.estimated_cost.map(|m| format_amount(m, cur)));
        opt(&mut out, o.margin().map(|m| format_amount(m, cur)));
        text(&mut out, &o.competitors.join("; "));
        let secs = super::forecast::seconds_in_stage(o, as_of);
        opt(&mut out, secs.map(|s| (s / 86_400).to_string()));
        opt(&mut out, secs.map(|_| stuck.get(i).copied().unwrap_or(false).to_string()));
        opt(&mut out, o.source.map(|s| s.as_str().to_string()));
        text(&mut out, o.source_id.as_deref().unwrap_or(""));
        text(&mut out, &o.next_step);
        opt(&mut out, o.next_step_date.map(|d| d.to_string()));
        opt(&mut out, o.closed_on.map(|d| d.to_string()));
        opt(&mut out, o.lost_reason.map(|r| r.as_str().to_string()));
        text(&mut out, &o.lost_note);
        opt(&mut out, Some(o.created_at.date_naive().to_string()));
        out.push_str("\r\n");
    }
    out
}

/// What is wrong with one field of an opportunities row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", content = "problem", rename_all = "snake_case")]
pub enum OppRowProblem {
    /// A reading problem every import reports (a date, an amount, a currency …).
    Csv(CsvProblem),
    /// Not one of the allowed values: a stage of the workspace, a source or a lost reason (by
    /// their ids, e.g. `quote`, `visit`, `no_decision`).
    Unknown,
    /// A rule of the opportunity itself ([`Opportunity::validate`]; a won deal needs an amount …).
    Invalid(Problem),
}

impl OppRowProblem {
    /// The translation key: `csv_*` for [`OppRowProblem::Csv`] (as the other imports),
    /// `csv_unknown_value` for [`OppRowProblem::Unknown`], the field error's `err_*` otherwise.
    pub fn key(&self) -> &'static str {
        match self {
            OppRowProblem::Csv(p) => p.key(),
            OppRowProblem::Unknown => "csv_unknown_value",
            OppRowProblem::Invalid(p) => p.key(),
        }
    }
}

/// A skipped opportunities row's problem (as [`RowError`], with [`OppRowProblem`]).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OppRowError {
    /// 1-based line of the file where the record starts.
    pub line: usize,
    /// The column (for a rule of the opportunity, the column of the field it names).
    pub column: String,
    pub problem: OppRowProblem,
}

/// Opportunities read from CSV, and the rows that were skipped.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ParsedOpportunities {
    pub opportunities: Vec<Opportunity>,
    pub errors: Vec<OppRowError>,
    /// Data rows read (good and bad).
    pub rows: usize,
}

/// Opportunities from CSV: `customer_id,title` required; optional `id` (`row-<line>` when empty),
/// `stage` (an id of `stages`, any case; the first open stage when empty), `amount`, `currency`
/// (`default_currency` otherwise), `probability` (0–100; the stage's default when empty),
/// `expected_close`, `owner`, `team` and `competitors` (separated by `;` or `|`), `product`,
/// `category`, `quantity` (one line), `estimated_cost`, `source` and `source_id`, `next_step`,
/// `next_step_date`, `closed_on` (a won or lost deal's; `now`'s date when empty), `lost_reason`,
/// `lost_note`, `created` (a date; `now` when empty). The stage history is the deal's stage from its
/// creation (a won or lost deal: the first open stage, then the outcome on its close date).
/// Every row is checked as a form would ([`Opportunity::validate`]): a row with any problem is
/// skipped, with one [`OppRowError`] per bad field.
pub fn parse_opportunities_csv(
    text: &str,
    stages: &Stages,
    default_currency: Currency,
    now: Timestamp,
) -> Result<ParsedOpportunities, CsvError> {
    let mut it = records(text);
    let h = Header::read(&mut it, &["customer_id", "title"])?;
    let mut out = ParsedOpportunities::default();
    for (line, rec) in it {
        out.rows += 1;
        let row = match rec {
            Ok(r) => r,
            Err(UnterminatedQuote) => {
                let problem = OppRowProblem::Csv(CsvProblem::UnterminatedQuote);
                out.errors.push(OppRowError { line, column: String::new(), problem });
                continue;
            }
        };
        let mut errors: Vec<RowError> = Vec::new();
        let mut extra: Vec<OppRowError> = Vec::new();
        let mut c = RowCheck { line, errors: &mut errors, bad: false };
        let field = |col: &str| h.get(&row, col).map(str::trim).unwrap_or("");
        let customer = c.required("customer_id", h.get(&row, "customer_id")).map(str::to_string);
        let currency = c.currency("currency", h.get(&row, "currency"), default_currency);
        let amount = c.amount("amount", h.get(&row, "amount"), currency, false).unwrap_or(Money::ZERO);
        let cost = c.amount("estimated_cost", h.get(&row, "estimated_cost"), currency, false);
        let date = |c: &mut RowCheck<'_>, col: &str| -> Option<Date> {
            let t = field(col);
            if t.is_empty() {
                return None;
            }
            let d = parse_date(t);
            if d.is_none() {
                c.fail(col, CsvProblem::InvalidDate);
            }
            d
        };
        let expected_close = date(&mut c, "expected_close");
        let next_step_date = date(&mut c, "next_step_date");
        let closed_on = date(&mut c, "closed_on");
        let created = date(&mut c, "created");
        let probability = match field("probability") {
            "" => None,
            t => match t.parse::<i64>() {
                Ok(p) if (0..=100).contains(&p) => u8::try_from(p).ok(),
                Ok(_) => {
                    let problem = OppRowProblem::Invalid(Problem::OutOfRange { min: 0, max: 100 });
                    extra.push(OppRowError { line, column: "probability".into(), problem });
                    None
                }
                Err(_) => {
                    c.fail("probability", CsvProblem::InvalidNumber);
                    None
                }
            },
        };
        let quantity = match field("quantity") {
            "" => 1,
            t => t.parse::<u32>().unwrap_or_else(|_| {
                c.fail("quantity", CsvProblem::InvalidNumber);
                0
            }),
        };
        let bad = c.bad;
        let mut unknown =
            |col: &str| extra.push(OppRowError { line, column: col.into(), problem: OppRowProblem::Unknown });
        let first = stages.open().next().map_or("lead", |s| s.id.as_str());
        let stage = match field("stage") {
            "" => Some(first),
            t => match stages.0.iter().find(|s| s.id.eq_ignore_ascii_case(t)) {
                Some(s) => Some(s.id.as_str()),
                None => {
                    unknown("stage");
                    None
                }
            },
        };
        let source = match field("source") {
            "" => None,
            t => OppSource::parse(t).or_else(|| {
                unknown("source");
                None
            }),
        };
        let lost_reason = match field("lost_reason") {
            "" => None,
            t => LostReason::parse(t).or_else(|| {
                unknown("lost_reason");
                None
            }),
        };
        out.errors.extend(errors.into_iter().map(|e| OppRowError {
            line: e.line,
            column: e.column,
            problem: OppRowProblem::Csv(e.problem),
        }));
        let (Some(customer), Some(stage), false, true) = (customer, stage, bad, extra.is_empty()) else {
            out.errors.append(&mut extra);
            continue;
        };
        let list = |col: &str| {
            let mut v: Vec<String> = Vec::new();
            for x in field(col).split([';', '|']).map(str::trim).filter(|x| !x.is_empty()) {
                v.push(x.to_string());
            }
            v
        };
        let created_at = created.map_or(now, |d| d.and_time(NaiveTime::MIN).and_utc());
        let id = match field("id") {
            "" => format!("row-{line}"),
            s => s.to_string(),
        };
        let mut o = Opportunity::blank(id, customer, stages, field("owner").to_string(), created_at);
        o.updated_at = now;
        if stage == WON || stage == LOST {
            let closed = closed_on.unwrap_or_else(|| now.date_naive());
            let at = closed.and_time(NaiveTime::MIN).and_utc().max(created_at);
            o.move_to(stage, stages, field("owner"), at);
            o.closed_on = Some(closed);
        } else {
            o.stage = stage.to_string();
            o.probability = stages.probability(stage).unwrap_or(o.probability);
            if let Some(h) = o.history.first_mut() {
                h.stage = stage.to_string();
            }
        }
        o.updated_at = now;
        if let Some(p) = probability {
            o.probability = p;
        }
        o.title = field("title").to_string();
        o.amount = amount;
        o.currency = currency;
        o.expected_close = expected_close;
        o.team = list("team");
        o.competitors = list("competitors");
        if !field("product").is_empty() || !field("category").is_empty() {
            o.lines = vec![OppLine {
                product: field("product").to_string(),
                category: field("category").to_string(),
                quantity,
            }];
        }
        o.estimated_cost = cost;
        o.source = source;
        o.source_id = Some(field("source_id").to_string()).filter(|s| !s.is_empty());
        o.next_step = field("next_step").to_string();
        o.next_step_date = next_step_date;
        o.lost_reason = lost_reason;
        o.lost_note = field("lost_note").to_string();
        match o.validate() {
            Ok(()) => out.opportunities.push(o),
            Err(e) => out.errors.extend(e.0.into_iter().map(|f| OppRowError {
                line,
                column: opp_column(&f.field).to_string(),
                problem: OppRowProblem::Invalid(f.problem),
            })),
        }
    }
    Ok(out)
}

/// The CSV column of a field `Opportunity::validate` names (`team[2]` → `team`, `lines[0].product`
/// → `product`, the history → `stage`).
fn opp_column(field: &str) -> &str {
    if let Some(rest) = field.strip_prefix("lines[") {
        return rest.split_once("].").map_or("product", |(_, f)| f);
    }
    match field.split_once('[').map_or(field, |(f, _)| f) {
        "history" => "stage",
        f => f,
    }
}
