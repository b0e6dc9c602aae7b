//! `kehu-analyze`: segmentation analytics of an orders CSV, on the command line.
//!
//! ```text
//! kehu-analyze ORDERS.csv [--as-of YYYY-MM-DD] [--currency CUR] [--horizon-weeks N]
//!              [--rates RATES.csv] [--report-currency CUR] > segments.csv
//! ```
//!
//! Reads `customer_id,date,amount[,order_id,margin,currency]` (see
//! `kehu::core::analytics::csv`; `-` reads standard input). The customers are the distinct
//! `customer_id`s in order of first appearance, with empty names and the currency of their first
//! row. Writes the per-customer export CSV to standard output and, to standard error, skipped rows
//! (the first 20) and the BG/NBD fit on one line: `bgnbd: r=… alpha=… a=… b=… ll=…`.
//!
//! `--as-of` (the analysis date; orders after it are ignored) defaults to today (UTC).
//! `--currency` (default CNY) is the currency
//! of rows without a `currency` column; `--horizon-weeks` (default 52) the horizon of expected
//! orders and CLV. `--report-currency` (default CNY) is the currency customers are compared in (M
//! scores, ABC) and of the `m_report`, `margin_report` and `clv_report` columns; `--rates` reads
//! `currency,valid_from,rate` (units of the reporting currency per unit, from that date; see
//! `kehu::core::fx`). A currency without a rate is never counted 1:1: its customers get empty
//! reporting columns, `report_complete=false`, no M score or ABC class, and a line on standard
//! error says what was left out. Exits with status 2 on bad arguments and 1 on unreadable input.
//!
//! On wasm32 (the app is built with `--bins`) this is an empty program.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    if let Err(message) = cli::run(std::env::args().skip(1).collect()) {
        eprintln!("kehu-analyze: {}", message.text);
        std::process::exit(message.code);
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use chrono::{DateTime, Utc};
    use kehu::core::analytics::{AnalysisConfig, analyze, bgnbd, csv};
    use kehu::core::fx::{Fx, parse_rates_csv};
    use kehu::core::model::{Currency, Customer, Date};
    use std::collections::HashMap;
    use std::io::{Read, Write};

    pub struct Failure {
        pub text: String,
        pub code: i32,
    }

    fn usage(text: impl Into<String>) -> Failure {
        Failure {
            text: format!(
                "{}\nusage: kehu-analyze ORDERS.csv [--as-of YYYY-MM-DD] [--currency CUR] [--horizon-weeks N] \
                 [--rates RATES.csv] [--report-currency CUR]",
                text.into()
            ),
            code: 2,
        }
    }

    fn input(text: impl Into<String>) -> Failure {
        Failure { text: text.into(), code: 1 }
    }

    struct Args {
        path: String,
        as_of: Option<Date>,
        currency: Currency,
        horizon: f64,
        rates: Option<String>,
        report: Currency,
    }

    fn parse_args(args: Vec<String>) -> Result<Args, Failure> {
        let mut path = None;
        let mut as_of = None;
        let mut currency = Currency::CNY;
        let mut horizon = 52.0;
        let (mut rates, mut report) = (None, Currency::CNY);
        let mut it = args.into_iter();
        while let Some(a) = it.next() {
            let (flag, inline) = match a.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
                _ => (a.clone(), None),
            };
            let mut value =
                |name: &str| inline.clone().or_else(|| it.next()).ok_or_else(|| usage(format!("{name} needs a value")));
            match flag.as_str() {
                "--as-of" => {
                    let v = value("--as-of")?;
                    as_of = Some(csv::parse_date(&v).ok_or_else(|| usage(format!("--as-of: not a date: {v:?}")))?);
                }
                "--currency" => {
                    let v = value("--currency")?;
                    currency =
                        Currency::parse(&v).ok_or_else(|| usage(format!("--currency: not a currency code: {v:?}")))?;
                }
                "--rates" => rates = Some(value("--rates")?),
                "--report-currency" => {
                    let v = value("--report-currency")?;
                    report = Currency::parse(&v)
                        .ok_or_else(|| usage(format!("--report-currency: not a currency code: {v:?}")))?;
                }
                "--horizon-weeks" => {
                    let v = value("--horizon-weeks")?;
                    horizon = v
                        .parse::<f64>()
                        .ok()
                        .filter(|h| h.is_finite() && *h >= 0.0)
                        .ok_or_else(|| usage(format!("--horizon-weeks: not a number of weeks: {v:?}")))?;
                }
                "-h" | "--help" => return Err(usage("segmentation analytics of an orders CSV")),
                f if f.starts_with("--") => return Err(usage(format!("unknown option {f}"))),
                _ if path.is_none() => path = Some(a),
                _ => return Err(usage(format!("unexpected argument {a:?}"))),
            }
        }
        let path = path.ok_or_else(|| usage("no orders file given"))?;
        Ok(Args { path, as_of, currency, horizon, rates, report })
    }

    fn read_text(path: &str) -> Result<String, Failure> {
        let mut bytes = Vec::new();
        let read = if path == "-" {
            std::io::stdin().read_to_end(&mut bytes).map(|_| ())
        } else {
            std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes)).map(|_| ())
        };
        read.map_err(|e| input(format!("cannot read {path}: {e}")))?;
        String::from_utf8(bytes).map_err(|_| input(format!("{path} is not UTF-8 text")))
    }

    /// The rates file (its bad rows reported and skipped), or no rates.
    fn read_rates(args: &Args, err: &mut impl Write) -> Result<Fx, Failure> {
        let mut fx = Fx::new(args.report);
        let Some(path) = &args.rates else { return Ok(fx) };
        let text = read_text(path)?;
        let parsed = parse_rates_csv(&text, args.report).map_err(|e| input(format!("{path}: {e}")))?;
        for e in parsed.errors.iter().take(20) {
            let column = if e.column.is_empty() { String::new() } else { format!(", column {}", e.column) };
            let _ = writeln!(err, "{path}: line {}{column}: {} (row skipped)", e.line, e.problem.key());
        }
        if parsed.errors.len() > 20 {
            let _ = writeln!(err, "{path}: … and {} more problems", parsed.errors.len() - 20);
        }
        fx.rates = parsed.rates;
        Ok(fx)
    }

    /// Today's date in UTC, from the system clock.
    fn today() -> Option<Date> {
        let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
        DateTime::from_timestamp(i64::try_from(secs).ok()?, 0).map(|t| t.date_naive())
    }

    pub fn run(args: Vec<String>) -> Result<(), Failure> {
        let args = parse_args(args)?;
        let text = read_text(&args.path)?;
        let parsed = csv::parse_orders_csv(&text, args.currency).map_err(|e| input(format!("{}: {e}", args.path)))?;
        let mut err = std::io::stderr().lock();
        let fx = read_rates(&args, &mut err)?;
        for e in parsed.errors.iter().take(20) {
            let column = if e.column.is_empty() { String::new() } else { format!(", column {}", e.column) };
            let _ = writeln!(err, "{}: line {}{column}: {} (row skipped)", args.path, e.line, e.problem.key());
        }
        if parsed.errors.len() > 20 {
            let _ = writeln!(err, "{}: … and {} more problems", args.path, parsed.errors.len() - 20);
        }
        if parsed.orders.is_empty() {
            return Err(input(format!("{}: no valid order rows ({} rows read)", args.path, parsed.rows)));
        }
        let orders = parsed.orders;
        let as_of = match args.as_of {
            Some(d) => d,
            None => today().ok_or_else(|| input("the system clock is not set"))?,
        };
        let now: DateTime<Utc> = as_of.and_time(chrono::NaiveTime::MIN).and_utc();
        let mut seen: HashMap<&str, ()> = HashMap::new();
        let mut customers: Vec<Customer> = Vec::new();
        for o in &orders {
            if seen.insert(o.customer_id.as_str(), ()).is_none() {
                customers.push(Customer::blank(o.customer_id.clone(), o.currency, now));
            }
        }
        let cfg = AnalysisConfig { horizon_weeks: args.horizon, fx, ..AnalysisConfig::default() };
        let analysis = analyze(&customers, &orders, &cfg, as_of);
        if analysis.orders.after_as_of > 0 {
            let _ = writeln!(err, "{}: {} orders after {as_of} ignored", args.path, analysis.orders.after_as_of);
        }
        for m in &analysis.fx.missing {
            let _ = writeln!(
                err,
                "{}: no rate for {} to {}: {} orders ({} {}) of {} customers left out of the {} figures",
                args.path,
                m.currency,
                analysis.fx.reporting,
                m.count,
                csv::format_amount(m.amount, m.currency),
                m.currency,
                m.customers,
                analysis.fx.reporting,
            );
        }
        let fit = bgnbd::fit_bgnbd(&analysis);
        let p = fit.params;
        let _ = writeln!(
            err,
            "bgnbd: r={:.4} alpha={:.4} a={:.4} b={:.4} ll={:.4}",
            p.r, p.alpha, p.a, p.b, fit.log_likelihood
        );
        if !fit.converged {
            let _ = writeln!(err, "kehu-analyze: the BG/NBD fit did not converge ({} iterations)", fit.iterations);
        }
        let predictions = bgnbd::predict(&analysis, &p, cfg.horizon_weeks);
        let out = csv::export_csv(&customers, &analysis, Some(&predictions), None);
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(out.as_bytes())
            .and_then(|()| stdout.flush())
            .map_err(|e| Failure { text: format!("cannot write the output: {e}"), code: 1 })?;
        Ok(())
    }
}
