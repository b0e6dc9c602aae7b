//! CSV in and out: import customers and orders (an ERP's history) with a clear error per bad
//! row, and export any view of the list with every computed column; the same for the pipeline's
//! opportunities ([`PipelineCsv`]).

use crate::app::analytics::{Analytics, FitState};
use crate::app::i18n::*;
use crate::app::session;
use crate::app::state::{AppState, use_app};
use crate::app::ui::dom::fill_count;
use crate::core::analytics::bgnbd::predict;
use crate::core::analytics::csv::{
    CsvError, OppRowError, OppRowProblem, RowError, export_csv_rows, parse_customers_csv, parse_opportunities_csv,
    parse_orders_csv, pipeline_csv_rows,
};
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
                        <p>{fill_count(td_string!(l, import_done_one), td_string!(l, import_done), rows, &[("rows", &rows.to_string()), ("saved", &saved.to_string()), ("skipped", &bad.to_string())])}</p>
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
    at_line(l, e.line, &e.column, csv_problem(l, e.problem))
}

fn csv_problem(l: Locale, p: crate::core::analytics::csv::CsvProblem) -> &'static str {
    use crate::core::analytics::csv::CsvProblem as P;
    match p {
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
    }
}

/// "Line 3, amount: …".
fn at_line(l: Locale, line: usize, column: &str, what: impl std::fmt::Display) -> String {
    let word = td_string!(l, csv_line);
    if column.is_empty() { format!("{word} {line}: {what}") } else { format!("{word} {line}, {column}: {what}") }
}

fn opp_row_error(l: Locale, e: &OppRowError) -> String {
    let what = match e.problem {
        OppRowProblem::Csv(p) => csv_problem(l, p).to_string(),
        OppRowProblem::Unknown => td_string!(l, csv_unknown_value).to_string(),
        OppRowProblem::Invalid(p) => crate::app::ui::labels::problem(l, p),
    };
    at_line(l, e.line, &e.column, what)
}

/// The pipeline's CSV: export the deals in view with every computed column (the forecast's stuck
/// flag, days in stage, reporting-currency amounts), import deals with an error per bad field.
#[component]
pub fn PipelineCsv(rows: Signal<Vec<usize>>) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let an = crate::app::analytics::use_analytics();
    let report = RwSignal::new(None::<Result<(usize, usize, Vec<OppRowError>), String>>);
    let busy = RwSignal::new(false);
    let export = move |_| {
        let table = an.map(|an| an.config.with_untracked(|c| c.fx.table()));
        let stages = app.stages.get_untracked();
        let today = crate::shell::clock::today();
        let text = app.workspace.with_untracked(|w| {
            let config = crate::core::analytics::forecast::ForecastConfig::default();
            let f = crate::core::analytics::forecast::forecast_workspace(w, &stages, today, table.as_ref(), &config);
            pipeline_csv_rows(&w.data.opportunities, &w.data.customers, &f, table.as_ref(), rows.get_untracked())
        });
        crate::shell::files::download("kehu-pipeline.csv", "text/csv;charset=utf-8", &text);
    };
    let on_import = move |ev: leptos::ev::Event| {
        busy.set(true);
        spawn_local(async move {
            let Some(text) = read_file(&ev).await else {
                busy.set(false);
                return;
            };
            let l = i18n.get_locale_untracked();
            let stages = app.stages.get_untracked();
            let currency =
                app.workspace.with_untracked(|w| w.data.customers.first().map(|c| c.currency).unwrap_or_default());
            let result = match parse_opportunities_csv(&text, &stages, currency, crate::shell::clock::now()) {
                Err(e) => Err(csv_error(l, &e)),
                Ok(p) => {
                    let records: Vec<Record> = p.opportunities.into_iter().map(Record::Opportunities).collect();
                    match session::import(app, records).await {
                        Ok(saved) => Ok((p.rows, saved, p.errors)),
                        Err(e) => Err(crate::app::ui::labels::save_error(l, &e)),
                    }
                }
            };
            report.set(Some(result));
            busy.set(false);
        });
    };
    let result = move || {
        let l = i18n.get_locale();
        report.get().map(|r| match r {
            Ok((rows, saved, errors)) => view! {
                <div role="status" data-testid="opp-import-result">
                    <p>{fill_count(td_string!(l, import_done_one), td_string!(l, import_done), rows, &[("rows", &rows.to_string()), ("saved", &saved.to_string()), ("skipped", &errors.len().to_string())])}</p>
                    <ul class="plain error">{errors.iter().take(50).map(|e| view! { <li>{opp_row_error(l, e)}</li> }).collect_view()}</ul>
                </div>
            }
            .into_any(),
            Err(m) => view! { <p class="error" role="alert" data-testid="opp-import-result">{m}</p> }.into_any(),
        })
    };
    view! {
        <div class="actions">
            <button class="secondary" data-testid="export-pipeline" on:click=export>{tr(|l| td_string!(l, pipeline_export))}</button>
            <label class="file button secondary">
                {tr(|l| td_string!(l, pipeline_import))}
                <input type="file" accept=".csv,text/csv" data-testid="import-opportunities" on:change=on_import disabled=move || busy.get() />
            </label>
        </div>
        <Show when=move || busy.get()><p role="status">{tr(|l| td_string!(l, importing))}</p></Show>
        {result}
    }
}
