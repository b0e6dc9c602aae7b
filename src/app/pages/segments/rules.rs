//! Editing the RFM rules: how R, F and M are scored (quantiles or the user's cut points) and
//! the ordered segment rules (first match wins), kept per workspace on this device.

use crate::app::analytics::Analytics;
use crate::app::i18n::*;
use crate::app::ui::labels;
use crate::core::analytics::rfm::{CutPoints, RfmScoring, ScoreRange, SegmentRule};
use leptos::prelude::*;

fn list<T: std::str::FromStr>(text: &str) -> Option<Vec<T>> {
    text.split([',', ' ', '，']).filter(|p| !p.is_empty()).map(|p| p.parse().ok()).collect()
}

fn show<T: ToString>(v: &[T]) -> String {
    v.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

#[component]
pub fn SegmentRules(an: Analytics, save: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let cuts = move || match an.config.with(|c| c.rfm.scoring.clone()) {
        RfmScoring::CutPoints(c) => Some(c),
        RfmScoring::Quantile => None,
    };
    let set_mode = move |ev: leptos::ev::Event| {
        let mode = event_target_value(&ev);
        an.config.update(|c| {
            c.rfm.scoring =
                if mode == "cuts" { RfmScoring::CutPoints(CutPoints::default()) } else { RfmScoring::Quantile }
        });
        save();
    };
    // One cut-point list (comma-separated numbers); a list that does not parse is refused.
    let cut_field = move |label: fn(Locale) -> &'static str,
                          id: &'static str,
                          get: fn(&CutPoints) -> String,
                          set: fn(&mut CutPoints, &str) -> bool| {
        let bad = RwSignal::new(false);
        view! {
            <div class="field">
                <label for=id>{tr(label)}</label>
                <input id=id inputmode="decimal" prop:value=move || cuts().map(|c| get(&c)).unwrap_or_default()
                    aria-invalid=move || bad.get().to_string()
                    on:change=move |ev| {
                        let text = event_target_value(&ev);
                        let mut ok = false;
                        an.config.update(|c| if let RfmScoring::CutPoints(cp) = &mut c.rfm.scoring { ok = set(cp, &text) });
                        bad.set(!ok);
                        if ok { save(); }
                    } />
                <Show when=move || bad.get()><p class="error" role="alert">{tr(|l| td_string!(l, rule_cuts_invalid))}</p></Show>
            </div>
        }
    };
    let rule_rows = move || {
        let l = i18n.get_locale();
        let rules = an.config.with(|c| c.rfm.segments.clone());
        rules
            .into_iter()
            .enumerate()
            .map(|(i, rule)| {
                // Score bounds of one rule: `which` 0–2 is R/F/M, `hi` the upper bound.
                let bound = move |which: usize, hi: bool, v: u8| {
                    view! {
                        <input type="number" min="1" max="5" class="score" prop:value=v.to_string()
                            aria-label=format!("{} {}", ["R", "F", "M"][which], if hi { "max" } else { "min" })
                            on:change=move |ev| {
                                let Ok(x) = event_target_value(&ev).parse::<u8>() else { return };
                                let x = x.clamp(1, 5);
                                an.config.update(|c| {
                                    if let Some(r) = c.rfm.segments.get_mut(i) {
                                        let range: &mut ScoreRange = [&mut r.r, &mut r.f, &mut r.m][which];
                                        if hi { range.1 = x.max(range.0) } else { range.0 = x.min(range.1) }
                                    }
                                });
                                save();
                            } />
                    }
                };
                let name = labels::rfm_segment(l, &rule.key).to_string();
                view! {
                    <tr>
                        <th scope="row">{name}</th>
                        <td>{bound(0, false, rule.r.0)} "–" {bound(0, true, rule.r.1)}</td>
                        <td>{bound(1, false, rule.f.0)} "–" {bound(1, true, rule.f.1)}</td>
                        <td>{bound(2, false, rule.m.0)} "–" {bound(2, true, rule.m.1)}</td>
                        <td>
                            <button class="secondary small" disabled=i == 0 aria-label=td_string!(l, rule_up)
                                on:click=move |_| { an.config.update(|c| if i > 0 && i < c.rfm.segments.len() { c.rfm.segments.swap(i - 1, i) }); save(); }>"↑"</button>
                            <button class="secondary small" aria-label=td_string!(l, remove)
                                on:click=move |_| { an.config.update(|c| if i < c.rfm.segments.len() { c.rfm.segments.remove(i); }); save(); }>"✕"</button>
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    let new_name = RwSignal::new(String::new());
    let add_rule = move |_| {
        let key = new_name.get_untracked().trim().to_string();
        if key.is_empty() {
            return;
        }
        an.config.update(|c| {
            c.rfm.segments.push(SegmentRule { key, r: ScoreRange(1, 5), f: ScoreRange(1, 5), m: ScoreRange(1, 5) })
        });
        new_name.set(String::new());
        save();
    };
    view! {
        <h3>{tr(|l| td_string!(l, rule_scoring))}</h3>
        <div class="field">
            <label for="r-mode">{tr(|l| td_string!(l, rule_scoring_mode))}</label>
            <select id="r-mode" prop:value=move || if cuts().is_some() { "cuts" } else { "quantile" } on:change=set_mode>
                <option value="quantile">{tr(|l| td_string!(l, rule_quantile))}</option>
                <option value="cuts">{tr(|l| td_string!(l, rule_cut_points))}</option>
            </select>
        </div>
        <Show when=move || cuts().is_some()>
            <div class="grid">
                {cut_field(|l| td_string!(l, rule_cuts_r), "r-cut-r", |c| show(&c.recency_days), |c, t| list(t).map(|v| c.recency_days = v).is_some())}
                {cut_field(|l| td_string!(l, rule_cuts_f), "r-cut-f", |c| show(&c.frequency), |c, t| list(t).map(|v| c.frequency = v).is_some())}
                {cut_field(|l| td_string!(l, rule_cuts_m), "r-cut-m", |c| show(&c.monetary), |c, t| list::<f64>(t).filter(|v| v.iter().all(|x| x.is_finite())).map(|v| c.monetary = v).is_some())}
            </div>
        </Show>
        <h3>{tr(|l| td_string!(l, rule_segments))}</h3>
        <p class="hint">{tr(|l| td_string!(l, rule_segments_note))}</p>
        <div class="table-wrap">
            <table class="data rules" data-testid="segment-rules">
                <thead><tr>
                    <th scope="col">{tr(|l| td_string!(l, rule_segment))}</th>
                    <th scope="col">"R"</th><th scope="col">"F"</th><th scope="col">"M"</th><th scope="col"></th>
                </tr></thead>
                <tbody>{rule_rows}</tbody>
            </table>
        </div>
        <div class="field inline">
            <label for="r-new-name">{tr(|l| td_string!(l, rule_new))}</label>
            <input id="r-new-name" prop:value=move || new_name.get() on:input=move |ev| new_name.set(event_target_value(&ev)) />
            <button class="secondary" on:click=add_rule>{tr(|l| td_string!(l, rule_add))}</button>
        </div>
    }
}
