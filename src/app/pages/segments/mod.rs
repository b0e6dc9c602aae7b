//! Segments: the 7P customer analysis of the cached data — RFM, ABC (Pareto), lifecycle,
//! churn warning with the BG/NBD model, receivables aging, sales plan by region, satisfaction.
//! Every number links to the customer list filtered to its customers. All of it is computed in
//! the browser from the cache (core::analytics), so it works offline.

pub mod rules;

use crate::app::analytics::{Analytics, FitState, VoiceGroups, save_config, use_analytics};
use crate::app::i18n::*;
use crate::app::session;
use crate::app::state::use_app;
use crate::app::ui::dom::{El, el, fill, fill_count, live, svg};
use crate::app::ui::format::{NONE, pct};
use crate::app::ui::labels;
use crate::core::analytics::abc::{AbcBasis, AbcClass};
use crate::core::analytics::bgnbd::{Summary, p_alive};
use crate::core::analytics::lifecycle::Stage;
use crate::core::analytics::plan::PlanActual;
use crate::core::analytics::receivables::{AgingBucket, CurrencyAging, Receivables};
use crate::core::analytics::satisfaction::{Answered, GroupVoice, Satisfaction};
use crate::core::analytics::{Analysis, AnalysisConfig, ChurnList};
use crate::core::filter::CustomerFilter;
use crate::core::workspace::Workspace;
use leptos::prelude::*;

/// One bar of a chart: a link to the customers behind it.
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub text: String,
    pub href: String,
}

/// Horizontal bars (SVG) as a list of links; `max` is the full width.
pub fn bars(items: Vec<Bar>, max: f64) -> El {
    let max = if max > 0.0 { max } else { 1.0 };
    el("ul").class("bars").children(
        items
            .into_iter()
            .map(|b| {
                let w = format!("{:.2}", (b.value / max * 100.0).clamp(0.0, 100.0));
                let bar = svg("svg")
                    .class("bar")
                    .attr("viewBox", "0 0 100 8")
                    .attr("preserveAspectRatio", "none")
                    .attr("aria-hidden", "true")
                    .child(svg("rect").attr("width", &w).attr("height", "8").attr("rx", "1"));
                el("li").child(
                    el("a")
                        .attr("href", &crate::app::paths::href(&b.href))
                        .child(el("span").class("bar-label").text(&b.label))
                        .child(bar)
                        .child(el("span").class("bar-value").text(&b.text)),
                )
            })
            .collect(),
    )
}

fn list_href(f: CustomerFilter) -> String {
    format!("/customers{}", f.query())
}

/// A report card: heading, then `body`.
fn card(id: &str, testid: &str, title: &str, body: Vec<El>) -> El {
    el("section")
        .class("card")
        .attr("aria-labelledby", id)
        .attr("data-testid", testid)
        .child(el("h2").attr("id", id).text(title))
        .children(body)
}

/// A card whose figures are still being computed.
fn computing(l: Locale, id: &str, testid: &str, title: &str) -> El {
    card(id, testid, title, vec![p("", td_string!(l, computing)).attr("role", "status")])
}

fn p(class: &str, text: &str) -> El {
    el("p").class(class).text(text)
}

/// `<dl>` of label → value pairs.
fn kv(pairs: Vec<(&str, String)>) -> El {
    let mut dl = el("dl").class("kv");
    for (k, v) in pairs {
        dl = dl.child(el("dt").text(k)).child(el("dd").class("num").text(&v));
    }
    dl
}

#[component]
pub fn SegmentsPage() -> impl IntoView {
    let Some(an) = use_analytics() else { return view! { <p>{tr(|l| td_string!(l, loading))}</p> }.into_any() };
    let i18n = use_i18n();
    let app = use_app();
    let on_date = move |ev: leptos::ev::Event| {
        if let Ok(d) = event_target_value(&ev).parse() {
            an.as_of.set(d);
        }
    };
    let set_basis = move |ev: leptos::ev::Event| {
        let basis = if event_target_value(&ev) == "margin" { AbcBasis::Margin } else { AbcBasis::Revenue };
        an.config.update(|c| c.abc.basis = basis);
        if let Some(id) = session::current_id() {
            save_config(&id, &an.config.get_untracked());
        }
    };
    // Each card is redrawn only when what it shows changes: a step of the model fit redraws the
    // model panel and the churn list, not the tables over every customer.
    let ws = app.workspace;
    // Until the analysis of the open workspace is there, its cards say so (no figures).
    let fresh = move |a: &Analysis| a.rows.len() == ws.with_untracked(|w| w.data.customers.len());
    view! {
        <section class="page segments-page">
            <div class="page-head">
                <h1>{tr(|l| td_string!(l, segments_title))}</h1>
                <div class="field inline">
                    <label for="as-of">{tr(|l| td_string!(l, analysis_date))}</label>
                    <input id="as-of" type="date" data-testid="as-of" prop:value=move || an.as_of.get().to_string() on:change=on_date />
                </div>
                <div class="field inline">
                    <label for="abc-basis">{tr(|l| td_string!(l, abc_basis))}</label>
                    <select id="abc-basis" data-testid="abc-basis" prop:value=move || an.config.with(|c| c.abc.basis.as_str()) on:change=set_basis>
                        <option value="revenue">{tr(|l| td_string!(l, abc_by_revenue))}</option>
                        <option value="margin">{tr(|l| td_string!(l, abc_by_margin))}</option>
                    </select>
                </div>
            </div>
            <p class="hint">{tr(|l| td_string!(l, segments_intro))}</p>
            {live("live", move || {
                let l = i18n.get_locale();
                an.analysis.with(|a| fx_note(l, &a.fx))
            })}
            <div class="cards">
                {live("live", move || {
                    let l = i18n.get_locale();
                    an.analysis.with(|a| if fresh(a) { rfm_card(l, a) } else { computing(l, "h-rfm", "rfm", td_string!(l, rfm_title)) })
                })}
                {live("live", move || {
                    let l = i18n.get_locale();
                    an.config.with(|cfg| an.analysis.with(|a| if fresh(a) { abc_card(l, a, cfg) } else { computing(l, "h-abc", "abc", td_string!(l, abc_title)) }))
                })}
                {live("live", move || {
                    let l = i18n.get_locale();
                    an.analysis.with(|a| if fresh(a) { lifecycle_card(l, a) } else { computing(l, "h-life", "lifecycle", td_string!(l, lifecycle_title)) })
                })}
                {live("live", move || {
                    // The list is computed with the analysis; here only its twelve rows are read.
                    let l = i18n.get_locale();
                    let fit = an.fit.get();
                    an.churn.with(|list| match list {
                        Some(list) => ws.with_untracked(|w| an.analysis.with_untracked(|a| churn_card(l, list, a, w, &fit))),
                        None => computing(l, "h-churn", "churn", td_string!(l, churn_title)),
                    })
                })}
                {live("live", move || {
                    let l = i18n.get_locale();
                    let pending = an.data_pending.get();
                    an.aging.with(|aging| an.receivables.with(|rc| receivables_card(l, rc, aging, pending)))
                })}
                {live("live", move || {
                    let l = i18n.get_locale();
                    let pending = an.data_pending.get();
                    an.plans.with(|plans| plan_card(l, plans, pending))
                })}
                {live("live", move || {
                    let l = i18n.get_locale();
                    let pending = an.data_pending.get();
                    an.voice_groups.with(|g| satisfaction_card(l, g, pending))
                })}
                {live("live", move || {
                    let l = i18n.get_locale();
                    model_card(l, &an.fit.get(), an.analysis_ms.get())
                })}
            </div>
            <div class="cards">
                <SavedViews />
                <RulesCard an />
                <crate::app::ui::csv::CsvCard an />
            </div>
        </section>
    }
    .into_any()
}

/// The currency the figures are in and, per currency without a rate, what they leave out (with
/// the way to Settings, where rates are entered).
fn fx_note(l: Locale, fx: &crate::core::fx::Coverage) -> El {
    let mut out = el("div")
        .class("fx-note")
        .attr("data-testid", "fx-coverage")
        .child(p("hint", &fill(td_string!(l, fx_figures_in), &[("currency", fx.reporting.as_str())])));
    for m in &fx.missing {
        let customers = fill_count(td_string!(l, fx_customers_one), td_string!(l, fx_customers), m.customers, &[]);
        let orders = fill_count(td_string!(l, fx_orders_one), td_string!(l, fx_orders), m.count, &[]);
        let text = fill(
            td_string!(l, fx_missing),
            &[("currency", m.currency.as_str()), ("customers", &customers), ("orders", &orders)],
        );
        out = out.child(
            el("p")
                .class("warning")
                .attr("role", "note")
                .attr("data-testid", "fx-missing")
                .attr("data-currency", m.currency.as_str())
                .text(&text)
                .text(" ")
                .child(El::link("/settings", td_string!(l, fx_set_rates))),
        );
    }
    out
}

fn rfm_card(l: Locale, a: &Analysis) -> El {
    // R (rows, best first) × F (columns) counts.
    let mut grid = [[0usize; 5]; 5];
    for s in a.rows.iter().filter_map(|r| r.scores) {
        if (1..=5).contains(&s.r) && (1..=5).contains(&s.f) {
            grid[usize::from(5 - s.r)][usize::from(s.f - 1)] += 1;
        }
    }
    let peak = grid.iter().flatten().copied().max().unwrap_or(0).max(1);
    let mut head = el("tr").child(el("th"));
    for f in 1..=5 {
        head = head.child(el("th").attr("scope", "col").text(&format!("F{f}")));
    }
    let mut body = el("tbody");
    for (ri, row) in grid.iter().enumerate() {
        let r = 5 - ri as u8;
        let mut tr = el("tr").child(el("th").attr("scope", "row").text(&format!("R{r}")));
        for (fi, &n) in row.iter().enumerate() {
            let f = fi as u8 + 1;
            let href = list_href(CustomerFilter { r: Some(r), f: Some(f), ..Default::default() });
            tr = tr.child(
                el("td")
                    .class(&format!("heat h{}", (n * 4).div_ceil(peak)))
                    .child(El::link(&href, &n.to_string()).attr("data-testid", &format!("rfm-{r}-{f}"))),
            );
        }
        body = body.child(tr);
    }
    let total: usize = a.segment_counts.iter().sum();
    let segs = a
        .segments
        .iter()
        .zip(&a.segment_counts)
        .map(|(key, &n)| Bar {
            label: labels::rfm_segment(l, key),
            value: n as f64,
            text: format!("{n} · {}", pct(n as f64 / total.max(1) as f64)),
            href: list_href(CustomerFilter { segment: Some(key.clone()), ..Default::default() }),
        })
        .collect();
    let max = a.segment_counts.iter().copied().max().unwrap_or(0) as f64;
    card(
        "h-rfm",
        "rfm",
        td_string!(l, rfm_title),
        vec![
            p(
                "hint",
                &fill_count(
                    td_string!(l, rfm_scored_one),
                    td_string!(l, rfm_scored),
                    a.scored,
                    &[("scored", &a.scored.to_string())],
                ),
            )
            .attr("data-testid", "rfm-scored"),
            el("div").class("table-wrap").child(
                el("table")
                    .class("rfm-grid")
                    .child(el("caption").text(td_string!(l, rfm_grid_caption)))
                    .child(el("thead").child(head))
                    .child(body),
            ),
            el("h3").text(td_string!(l, rfm_segments)),
            bars(segs, max).attr("data-testid", "rfm-segments"),
        ],
    )
}

/// Left edge of a share (0..1) of the Pareto chart's width, in % of the chart (the plot spans
/// x = 0..200 of a viewBox from −2 to 202).
fn pareto_x(share: f64) -> f64 {
    (2.0 + share.clamp(0.0, 1.0) * 200.0) / 204.0 * 100.0
}

fn abc_card(l: Locale, a: &Analysis, cfg: &AnalysisConfig) -> El {
    let s = &a.abc;
    let points = std::iter::once((0.0, 0.0))
        .chain(s.curve.iter().map(|p| (p.customers, p.value)))
        .map(|(x, y)| format!("{:.1},{:.1}", x * 200.0, 100.0 - y * 100.0))
        .collect::<Vec<_>>()
        .join(" ");
    let line = |y: f64| {
        let y = format!("{:.1}", 100.0 - y * 100.0);
        svg("line").class("cut").attr("x1", "0").attr("x2", "200").attr("y1", &y).attr("y2", &y)
    };
    let chart = svg("svg")
        .class("pareto")
        .attr("viewBox", "-2 -2 204 106")
        .attr("role", "img")
        .attr("aria-label", td_string!(l, abc_curve))
        .child(line(cfg.abc.a_cut))
        .child(line(cfg.abc.b_cut))
        .child(svg("polyline").class("curve").attr("points", &points))
        .child(svg("line").class("axis").attr("x1", "0").attr("y1", "100").attr("x2", "200").attr("y2", "100"))
        .child(svg("line").class("axis").attr("x1", "0").attr("y1", "0").attr("x2", "0").attr("y2", "100"));
    // The classes as bands over the curve (customers are ranked left to right, so A, B, C are
    // consecutive), each a link to its customers. The negative ones are C but outside the curve.
    let ranked = s.ranked.max(1) as f64;
    let inside = [s.counts[0], s.counts[1], s.counts[2].saturating_sub(s.negative)];
    let mut from = 0.0;
    let mut bands = el("div").class("pareto-classes");
    for (class, (&n, &count)) in [AbcClass::A, AbcClass::B, AbcClass::C].iter().zip(inside.iter().zip(&s.counts)) {
        let to = (from + n as f64 / ranked).min(1.0);
        if n > 0 {
            let letter = class.as_str().to_ascii_uppercase();
            let name = fill_count(td_string!(l, abc_band_one), td_string!(l, abc_band), count, &[("class", &letter)]);
            let (left, right) = (pareto_x(from), pareto_x(to));
            bands = bands.child(
                El::link(&list_href(CustomerFilter { abc: Some(*class), ..Default::default() }), &letter)
                    .class(&format!("band band-{}", class.as_str()))
                    .attr("aria-label", &name)
                    .attr("title", &name)
                    .attr("data-testid", &format!("pareto-{}", class.as_str()))
                    .css("left", &format!("{left:.2}%"))
                    .css("width", &format!("{:.2}%", right - left)),
            );
        }
        from = to;
    }
    let classes = [AbcClass::A, AbcClass::B, AbcClass::C]
        .into_iter()
        .zip(s.counts)
        .map(|(class, n)| Bar {
            label: labels::abc(l, class).to_string(),
            value: n as f64,
            text: n.to_string(),
            href: list_href(CustomerFilter { abc: Some(class), ..Default::default() }),
        })
        .collect();
    let max = s.counts.iter().copied().max().unwrap_or(0) as f64;
    let basis =
        if cfg.abc.basis == AbcBasis::Margin { td_string!(l, abc_by_margin) } else { td_string!(l, abc_by_revenue) };
    card(
        "h-abc",
        "abc",
        &format!("{} · {basis}", td_string!(l, abc_title)),
        vec![
            el("div").class("pareto-wrap").child(chart).child(bands),
            p("hint", td_string!(l, abc_curve_note)),
            bars(classes, max),
            el("p").child(
                El::link(
                    &list_href(CustomerFilter { unprofitable: true, ..Default::default() }),
                    &fill_count(
                        td_string!(l, abc_never_profitable_one),
                        td_string!(l, abc_never_profitable),
                        s.never_profitable,
                        &[],
                    ),
                )
                .attr("data-testid", "never-profitable"),
            ),
        ],
    )
}

fn lifecycle_card(l: Locale, a: &Analysis) -> El {
    let max = a.stage_counts.iter().copied().max().unwrap_or(0) as f64;
    let items = Stage::ALL
        .iter()
        .map(|&st| {
            let n = a.stage_counts[st as usize];
            el("li")
                .child(bars(
                    vec![Bar {
                        label: labels::lifecycle(l, st).to_string(),
                        value: n as f64,
                        text: n.to_string(),
                        href: list_href(CustomerFilter { stage: Some(st), ..Default::default() }),
                    }],
                    max,
                ))
                .child(p("hint", labels::strategy(l, st.strategy())))
        })
        .collect();
    card("h-life", "lifecycle", td_string!(l, lifecycle_title), vec![el("ol").class("funnel").children(items)])
}

fn churn_card(l: Locale, list: &ChurnList, a: &Analysis, w: &Workspace, fit: &FitState) -> El {
    let params = match fit {
        FitState::Done { fit, .. } => Some(fit.params),
        _ => None,
    };
    // Who to call first: warned customers not yet lost, the most valuable first.
    let rows = list
        .top
        .iter()
        .filter_map(|&i| {
            let c = w.data.customers.get(i)?;
            let row = a.rows.get(i)?;
            let g = row.gap?;
            let alive = params.and_then(|p| Summary::from_row(row, a.as_of).and_then(|s| p_alive(&p, s)));
            let reason = fill(
                td_string!(l, gap_reason),
                &[
                    ("days", &labels::days(l, g.days_since_last as usize)),
                    ("usual", &labels::days(l, g.median_gap.round() as usize)),
                ],
            );
            let alive = alive.map(|p| format!(" · P(alive) {}", pct(p))).unwrap_or_default();
            Some(
                el("li")
                    .child(El::link(&crate::app::paths::customer_href(&c.id), &labels::shown_name(l, &c.name)))
                    .child(el("span").class("hint").text(&format!(" {reason}{alive}"))),
            )
        })
        .collect();
    card(
        "h-churn",
        "churn",
        td_string!(l, churn_title),
        vec![
            el("p").child(
                El::link(
                    &list_href(CustomerFilter { warning: true, ..Default::default() }),
                    &fill_count(td_string!(l, churn_count_one), td_string!(l, churn_count), list.warned, &[]),
                )
                .attr("data-testid", "churn-all"),
            ),
            p("hint", td_string!(l, churn_list_note)),
            el("ul").class("plain churn-list").children(rows),
        ],
    )
}

/// Kv of one currency's portfolio totals, then its aging bars: per bucket the amount owed by
/// the customers billed in that currency and how many they are, linking to exactly them.
fn aging_section(l: Locale, rc: &Receivables, chart: &CurrencyAging) -> Vec<El> {
    let cur = chart.currency;
    let max = chart.bars.iter().map(|b| b.amount.0).max().unwrap_or(0) as f64;
    let items = AgingBucket::ALL
        .iter()
        .map(|&b| {
            let bar = &chart.bars[b as usize];
            Bar {
                label: labels::aging(l, b).to_string(),
                value: bar.amount.0 as f64,
                text: format!(
                    "{} · {}",
                    bar.amount.format(cur),
                    fill_count(td_string!(l, n_customers_one), td_string!(l, n_customers), bar.customers, &[])
                ),
                href: list_href(CustomerFilter { aging: Some(b), currency: Some(cur), ..Default::default() }),
            }
        })
        .collect();
    let mut out = Vec::new();
    if let Some(t) = rc.totals.iter().find(|t| t.currency == cur) {
        let dso = t.dso.map(|d| labels::days(l, d.round() as usize)).unwrap_or_else(|| NONE.into());
        out.push(kv(vec![
            (td_string!(l, outstanding), t.aging.outstanding.format(cur)),
            (td_string!(l, overdue), t.aging.overdue.format(cur)),
            ("DSO", dso),
        ]));
    }
    out.push(bars(items, max).attr("data-testid", &format!("aging-{}", cur.as_str())));
    out
}

fn receivables_card(l: Locale, rc: &Receivables, aging: &[CurrencyAging], pending: bool) -> El {
    let title = td_string!(l, receivables_title);
    let Some(main) = aging.first() else {
        let text = if pending { td_string!(l, computing) } else { td_string!(l, receivables_none) };
        return card("h-recv", "receivables", title, vec![p("empty", text)]);
    };
    let mut body = vec![el("h3").text(main.currency.as_str())];
    body.extend(aging_section(l, rc, main));
    body.push(
        el("p").child(
            El::link(
                &list_href(CustomerFilter { over_limit: true, ..Default::default() }),
                &fill_count(
                    td_string!(l, over_limit_count_one),
                    td_string!(l, over_limit_count),
                    rc.over_limit.len(),
                    &[],
                ),
            )
            .attr("data-testid", "over-limit"),
        ),
    );
    // Customers billed in other currencies: their own charts (amounts are never added across
    // currencies), folded away.
    if aging.len() > 1 {
        let names = aging[1..].iter().map(|c| c.currency.as_str()).collect::<Vec<_>>().join(", ");
        let mut more = el("details")
            .class("other-currencies")
            .child(el("summary").text(&format!("{} {names}", td_string!(l, other_currencies))));
        for chart in &aging[1..] {
            more = more.child(el("h3").text(chart.currency.as_str())).children(aging_section(l, rc, chart));
        }
        body.push(more);
    }
    let other = rc.customers.iter().map(|c| c.other_currency_invoices).sum::<u32>();
    if other > 0 {
        body.push(p(
            "hint",
            &fill_count(
                td_string!(l, aging_other_currency_invoices_one),
                td_string!(l, aging_other_currency_invoices),
                other as usize,
                &[],
            ),
        ));
    }
    card("h-recv", "receivables", title, body)
}

fn plan_card(l: Locale, current: &[PlanActual], pending: bool) -> El {
    let title = td_string!(l, plan_title);
    let Some(first) = current.first() else {
        let text = if pending { td_string!(l, computing) } else { td_string!(l, plan_none) };
        return card("h-plan", "plan", title, vec![p("empty", text)]);
    };
    // Bars show attainment (actual ÷ target): regions plan in different currencies.
    let max = current.iter().filter_map(|p| p.attainment).fold(1.0, f64::max);
    let elapsed = pct(first.elapsed);
    let items = current
        .iter()
        .map(|p| Bar {
            label: format!("{} · {}", p.region, p.period),
            value: p.attainment.unwrap_or(0.0),
            text: format!(
                "{} / {} ({})",
                p.actual.format(p.currency),
                p.target.format(p.currency),
                p.attainment.map(pct).unwrap_or_else(|| NONE.into())
            ),
            href: list_href(CustomerFilter { region: Some(p.region.clone()), ..Default::default() }),
        })
        .collect();
    card(
        "h-plan",
        "plan",
        title,
        vec![p("hint", &fill(td_string!(l, plan_elapsed), &[("elapsed", &elapsed)])), bars(items, max)],
    )
}

/// A number cell linking to the customers behind it; plain `—` when there are none.
fn cell(text: String, customers: u32, filter: CustomerFilter) -> El {
    let td = el("td").class("num");
    if customers == 0 { td.text(&text) } else { td.child(El::link(&list_href(filter), &text)) }
}

/// A table of satisfaction and complaints per group: the group's name links to its customers,
/// each number to those of them behind it (who answered CSAT, NPS, anything; who complained).
fn voice_table(l: Locale, first: &str, testid: &str, rows: Vec<(String, CustomerFilter, &GroupVoice)>) -> El {
    let mut head = el("tr");
    for h in [first, "CSAT", "NPS", td_string!(l, answers), td_string!(l, complaints_per_100)] {
        head = head.child(el("th").attr("scope", "col").text(h));
    }
    let mut body = el("tbody");
    for (name, base, g) in rows {
        let s = &g.satisfaction;
        let with = |f: fn(&mut CustomerFilter)| {
            let mut x = base.clone();
            f(&mut x);
            x
        };
        let rate = g.complaints.per_100_orders().map(|r| format!("{r:.1}")).unwrap_or_else(|| NONE.into());
        let tr = el("tr")
            .child(el("th").attr("scope", "row").child(El::link(&list_href(base.clone()), &name)))
            .child(cell(
                s.csat().map(pct).unwrap_or_else(|| NONE.into()),
                g.csat_customers,
                with(|x| x.answered = Some(Answered::Csat)),
            ))
            .child(cell(
                s.nps().map(|n| format!("{n:+.0}")).unwrap_or_else(|| NONE.into()),
                g.nps_customers,
                with(|x| x.answered = Some(Answered::Nps)),
            ))
            .child(cell(s.responses.to_string(), g.responding_customers, with(|x| x.answered = Some(Answered::Any))))
            .child(cell(rate, g.complaining_customers, with(|x| x.complained = true)));
        body = body.child(tr);
    }
    el("div")
        .class("table-wrap")
        .child(el("table").class("data").attr("data-testid", testid).child(el("thead").child(head)).child(body))
}

fn satisfaction_card(l: Locale, g: &VoiceGroups, pending: bool) -> El {
    let title = td_string!(l, satisfaction_card_title);
    if !g.ready {
        let text = if pending { td_string!(l, computing) } else { td_string!(l, loading) };
        return card("h-sat", "satisfaction", title, vec![p("", text).attr("role", "status")]);
    }
    let [csat, nps, n] = sat_cells(&g.all);
    let regions = g
        .by_region
        .iter()
        .map(|(region, v)| (region.clone(), CustomerFilter { region: Some(region.clone()), ..Default::default() }, v))
        .collect();
    let segments = g
        .by_segment
        .iter()
        .map(|(key, v)| {
            (labels::rfm_segment(l, key), CustomerFilter { segment: Some(key.clone()), ..Default::default() }, v)
        })
        .collect();
    card(
        "h-sat",
        "satisfaction",
        title,
        vec![
            kv(vec![("CSAT", csat), ("NPS", nps), (td_string!(l, answers), n)]),
            el("h3").text(td_string!(l, sat_by_segment)),
            voice_table(l, td_string!(l, filter_segment), "sat-segments", segments),
            el("h3").text(td_string!(l, sat_by_region)),
            voice_table(l, td_string!(l, col_region), "sat-regions", regions),
            p("hint", td_string!(l, satisfaction_note)),
        ],
    )
}

fn sat_cells(s: &Satisfaction) -> [String; 3] {
    [
        s.csat().map(pct).unwrap_or_else(|| NONE.into()),
        s.nps().map(|n| format!("{n:+.0}")).unwrap_or_else(|| NONE.into()),
        s.responses.to_string(),
    ]
}

fn model_card(l: Locale, fit: &FitState, analysis_ms: f64) -> El {
    let body = match fit {
        FitState::Idle => p("empty", td_string!(l, model_no_data)),
        FitState::Running => {
            p("", td_string!(l, model_fitting)).attr("role", "status").attr("data-testid", "model-fitting")
        }
        FitState::Done { fit, ms } => {
            let pr = fit.params;
            let f = |x: f64| format!("{x:.4}");
            let iterations = if fit.converged {
                fit.iterations.to_string()
            } else {
                format!("{} ({})", fit.iterations, td_string!(l, model_not_converged))
            };
            kv(vec![
                ("r", f(pr.r)),
                ("α", format!("{} {}", f(pr.alpha), td_string!(l, weeks))),
                ("a", f(pr.a)),
                ("b", f(pr.b)),
                (td_string!(l, model_ll), format!("{:.1}", fit.log_likelihood)),
                (td_string!(l, model_customers), fit.customers.to_string()),
                (td_string!(l, model_iterations), iterations),
                (td_string!(l, model_time), format!("{ms:.0} ms")),
            ])
            .attr("data-testid", "model")
        }
    };
    card(
        "h-model",
        "model-card",
        td_string!(l, model_title),
        vec![
            p("hint", td_string!(l, model_intro)),
            body,
            p("hint", &format!("{} {analysis_ms:.0} ms", td_string!(l, model_analysis_time))),
        ],
    )
}

#[component]
fn SavedViews() -> impl IntoView {
    let i18n = use_i18n();
    let views = crate::app::views::saved_views();
    move || {
        let l = i18n.get_locale();
        let none = views.with(Vec::is_empty);
        view! {
            <section class="card" aria-labelledby="h-views" data-testid="saved-views">
                <h2 id="h-views">{td_string!(l, views_title)}</h2>
                {if none {
                    view! { <p class="empty">{td_string!(l, views_none)}</p> }.into_any()
                } else {
                    view! { <crate::app::views::SavedViewList /> }.into_any()
                }}
            </section>
        }
    }
}

#[component]
fn RulesCard(an: Analytics) -> impl IntoView {
    let save = move || {
        if let Some(id) = session::current_id() {
            save_config(&id, &an.config.get_untracked());
        }
    };
    // A number input bound to one setting.
    let num = move |label: fn(Locale) -> &'static str,
                    id: &'static str,
                    get: fn(&crate::core::analytics::AnalysisConfig) -> f64,
                    set: fn(&mut crate::core::analytics::AnalysisConfig, f64),
                    step: &'static str| {
        view! {
            <div class="field">
                <label for=id>{tr(label)}</label>
                <input id=id type="number" step=step inputmode="decimal" prop:value=move || an.config.with(|c| get(c).to_string())
                    on:change=move |ev| {
                        if let Ok(v) = event_target_value(&ev).parse::<f64>()
                            && v.is_finite() && v >= 0.0
                        {
                            an.config.update(|c| set(c, v));
                            save();
                        }
                    } />
            </div>
        }
    };
    let reset = move |_| {
        // The rates are the workspace's (Settings), not a rule to reset.
        an.config.update(|c| {
            *c = crate::core::analytics::AnalysisConfig { fx: std::mem::take(&mut c.fx), ..Default::default() }
        });
        save();
    };
    view! {
        <section class="card" aria-labelledby="h-rules" data-testid="rules">
            <h2 id="h-rules">{tr(|l| td_string!(l, rules_title))}</h2>
            <details>
                <summary>{tr(|l| td_string!(l, rules_edit))}</summary>
                <div class="grid">
                    {num(|l| td_string!(l, rule_gap_k), "r-gap-k", |c| c.gap.k, |c, v| c.gap.k = v, "0.1")}
                    {num(|l| td_string!(l, rule_abc_a), "r-abc-a", |c| c.abc.a_cut * 100.0, |c, v| c.abc.a_cut = (v / 100.0).clamp(0.0, 1.0), "1")}
                    {num(|l| td_string!(l, rule_abc_b), "r-abc-b", |c| c.abc.b_cut * 100.0, |c, v| c.abc.b_cut = (v / 100.0).clamp(0.0, 1.0), "1")}
                    {num(|l| td_string!(l, rule_new_days), "r-new", |c| f64::from(c.lifecycle.new_days), |c, v| c.lifecycle.new_days = v as u32, "1")}
                    {num(|l| td_string!(l, rule_at_risk_days), "r-risk", |c| f64::from(c.lifecycle.at_risk_days), |c, v| c.lifecycle.at_risk_days = v as u32, "1")}
                    {num(|l| td_string!(l, rule_lost_days), "r-lost", |c| f64::from(c.lifecycle.lost_days), |c, v| c.lifecycle.lost_days = v as u32, "1")}
                    {num(|l| td_string!(l, rule_mature_orders), "r-mature", |c| f64::from(c.lifecycle.mature_orders), |c, v| c.lifecycle.mature_orders = v as u32, "1")}
                </div>
                <crate::app::pages::segments::rules::SegmentRules an save />
                <button class="secondary" on:click=reset>{tr(|l| td_string!(l, rules_reset))}</button>
            </details>
        </section>
    }
}
