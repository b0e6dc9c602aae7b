//! CSV in and out: import customers and orders (an ERP's history) with a clear error per bad
//! row, and export any view of the list with every computed column.

use crate::app::analytics::{Analytics, FitState};
use crate::app::i18n::*;
use crate::app::session;
use crate::app::state::{AppState, use_app};
use crate::app::ui::dom::fill;
use crate::core::analytics::bgnbd::predict;
use crate::core::analytics::csv::{CsvError, RowError, export_csv_rows, parse_customers_csv, parse_orders_csv};
use crate::core::model::Currency;
use crate::core::record::Record;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// What an import did, for the user.
#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    Done {
        rows: usize,
        saved: usize,
        errors: Vec<RowError>,
    },
    /// The file could not be read at all.
    Unreadable(CsvError),
    Failed(String),
}

/// Imported orders without an `order_id` get an id from their content (customer, date, amount,
/// margin, currency and line), so importing the same file twice updates rather than duplicates.
fn content_id(o: &crate::core::model::Order, line: usize) -> String {
    let key = format!(
        "{}|{}|{}|{:?}|{}|{line}",
        o.customer_id,
        o.date,
        o.amount.0,
        o.margin.map(|m| m.0),
        o.currency.as_str()
    );
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("csv-{h:016x}")
}

/// The export of some customers (positions), with predictions when the model is fitted and
/// satisfaction when it is computed for the same analysis date.
pub fn export(app: AppState, an: Analytics, rows: Vec<usize>) -> String {
    let params = match an.fit.get_untracked() {
        FitState::Done { fit, .. } => Some(fit.params),
        _ => None,
    };
    let horizon = an.config.with_untracked(|c| c.horizon_weeks);
    an.analysis.with_untracked(|a| {
        let predictions = params.map(|p| predict(a, &p, horizon));
        an.voice.with_untracked(|v| {
            let satisfaction = (v.as_of == Some(a.as_of)).then_some(v.satisfaction.as_slice());
            // A byte-order mark so spreadsheet programs read the Chinese names as UTF-8.
            let body = app
                .workspace
                .with_untracked(|w| export_csv_rows(&w.data.customers, a, predictions.as_deref(), satisfaction, rows));
            format!("\u{feff}{body}")
        })
    })
}

/// The text of the file picked in the input `ev` came from (the input is emptied: picking the
/// same file again imports it again).
async fn read_file(ev: &leptos::ev::Event) -> Option<String> {
    let file = crate::shell::files::picked_files(ev).into_iter().next()?;
    crate::shell::files::read_text(&file).await
}

#[component]
pub fn CsvCard(an: Analytics) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let outcome = RwSignal::new(None::<Outcome>);
    let busy = RwSignal::new(false);
    let currency =
        move || app.workspace.with_untracked(|w| w.data.customers.first().map(|c| c.currency).unwrap_or(Currency::CNY));
    let import = move |records: Vec<Record>, rows: usize, errors: Vec<RowError>| async move {
        match session::import(app, records).await {
            Ok(saved) => Outcome::Done { rows, saved, errors },
            Err(e) => Outcome::Failed(crate::app::ui::labels::save_error(i18n.get_locale(), &e)),
        }
    };
    let on_orders = move |ev: leptos::ev::Event| {
        busy.set(true);
        spawn_local(async move {
            let result = match read_file(&ev).await {
                None => None,
                Some(text) => Some(match parse_orders_csv(&text, currency()) {
                    Err(e) => Outcome::Unreadable(e),
                    Ok(p) => {
                        let records = p
                            .orders
                            .into_iter()
                            .map(|mut o| {
                                if let Some(line) = o.id.strip_prefix("row-").and_then(|n| n.parse().ok()) {
                                    o.id = content_id(&o, line);
                                }
                                Record::Orders(o)
                            })
                            .collect();
                        import(records, p.rows, p.errors).await
                    }
                }),
            };
            outcome.set(result);
            busy.set(false);
        });
    };
    let on_customers = move |ev: leptos::ev::Event| {
        busy.set(true);
        spawn_local(async move {
            let result = match read_file(&ev).await {
                None => None,
                Some(text) => Some(match parse_customers_csv(&text, currency(), crate::shell::clock::now()) {
                    Err(e) => Outcome::Unreadable(e),
                    Ok(p) => import(p.customers.into_iter().map(Record::Customers).collect(), p.rows, p.errors).await,
                }),
            };
            outcome.set(result);
            busy.set(false);
        });
    };
    let export_all = move |_| {
        let n = app.workspace.with_untracked(|w| w.data.customers.len());
        crate::shell::files::download(
            "kehu-segments.csv",
            "text/csv;charset=utf-8",
            &export(app, an, (0..n).collect()),
        );
    };
    let report = move || {
        let l = i18n.get_locale();
        outcome.get().map(|o| match o {
            Outcome::Done { rows, saved, errors } => {
                let bad = errors.len();
                view! {
                    <div role="status" data-testid="import-result">
                        <p>{fill(td_string!(l, import_done), &[("rows", &rows.to_string()), ("saved", &saved.to_string()), ("skipped", &bad.to_string())])}</p>
                        <ul class="plain error">
                            {errors.iter().take(50).map(|e| view! { <li>{row_error(l, e)}</li> }).collect_view()}
                        </ul>
                    </div>
                }
                .into_any()
            }
            Outcome::Unreadable(e) => view! { <p class="error" role="alert" data-testid="import-result">{csv_error(l, &e)}</p> }.into_any(),
            Outcome::Failed(m) => view! { <p class="error" role="alert" data-testid="import-result">{m}</p> }.into_any(),
        })
    };
    view! {
        <section class="card" aria-labelledby="h-csv" data-testid="csv">
            <h2 id="h-csv">{tr(|l| td_string!(l, csv_title))}</h2>
            <p class="hint">{tr(|l| td_string!(l, csv_intro))}</p>
            <div class="actions">
                <label class="file button secondary">
                    {tr(|l| td_string!(l, import_orders))}
                    <input type="file" accept=".csv,text/csv" data-testid="import-orders" on:change=on_orders disabled=move || busy.get() />
                </label>
                <label class="file button secondary">
                    {tr(|l| td_string!(l, import_customers))}
                    <input type="file" accept=".csv,text/csv" data-testid="import-customers" on:change=on_customers disabled=move || busy.get() />
                </label>
                <button class="secondary" data-testid="export-all" on:click=export_all>{tr(|l| td_string!(l, export_all))}</button>
            </div>
            <Show when=move || busy.get()><p role="status">{tr(|l| td_string!(l, importing))}</p></Show>
            {report}
        </section>
    }
}

/// The message for a CSV file that cannot be read at all (no header, a column missing).
pub fn csv_error(l: Locale, e: &CsvError) -> String {
    match e {
        CsvError::Empty => td_string!(l, csv_empty).to_string(),
        CsvError::MissingColumn(c) => format!("{} {c}", td_string!(l, csv_missing_column)),
        CsvError::DuplicateColumn(c) => format!("{} {c}", td_string!(l, csv_duplicate_column)),
        CsvError::BadHeader => td_string!(l, csv_bad_header).to_string(),
    }
}

fn row_error(l: Locale, e: &RowError) -> String {
    use crate::core::analytics::csv::CsvProblem as P;
    let what = match e.problem {
        P::Required => td_string!(l, csv_required),
        P::InvalidDate => td_string!(l, csv_invalid_date),
        P::InvalidAmount => td_string!(l, csv_invalid_amount),
        P::TooManyDecimals => td_string!(l, csv_too_many_decimals),
        P::TooLarge => td_string!(l, csv_too_large),
        P::Negative => td_string!(l, csv_negative),
        P::InvalidCurrency => td_string!(l, csv_invalid_currency),
        P::InvalidNumber => td_string!(l, csv_invalid_number),
        P::InvalidCountry => td_string!(l, csv_invalid_country),
        P::InvalidRole => td_string!(l, csv_invalid_role),
        P::MarginAboveAmount => td_string!(l, csv_margin_above_amount),
        P::UnterminatedQuote => td_string!(l, csv_unterminated_quote),
    };
    let line = td_string!(l, csv_line);
    if e.column.is_empty() {
        format!("{line} {}: {what}", e.line)
    } else {
        format!("{line} {}, {}: {what}", e.line, e.column)
    }
}
