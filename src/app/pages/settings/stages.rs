//! The workspace's pipeline stages in Settings: the open stages in order, each renamed, given a
//! default probability, counted as committed or not, moved up or down, removed (not while deals
//! are in it); a stage added; won and lost shown as fixed. The edits are `core::model::Stages`'
//! methods; each accepted one is saved in the workspace's cache and the board, the forms and the
//! forecast use it at once.

use crate::app::i18n::*;
use crate::app::session;
use crate::app::state::{AppState, use_app};
use crate::app::ui::dom::{fill, fill_count, focus_id_later};
use crate::app::ui::labels;
use crate::core::model::{Entity, StageDef, StageOutcome, StageProblem, Stages, parse_probability};
use crate::core::rest::profile::Profile;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::BTreeMap;

/// What an edit of the stages needs: the app (its stages), the last refusal (which stage, why)
/// and the last save's result.
#[derive(Clone, Copy)]
struct Editor {
    app: AppState,
    refused: RwSignal<Option<(String, StageProblem)>>,
    saved: RwSignal<Option<Result<(), String>>>,
}

impl Editor {
    /// Applies `edit` to a copy of the stages; saves the result, or shows why it was refused
    /// (naming the stage `who`). True when accepted.
    fn apply(
        self,
        l: Locale,
        who: String,
        edit: impl FnOnce(&mut Stages, &dyn Fn(&StageDef) -> String) -> Result<(), StageProblem>,
    ) -> bool {
        let mut next = self.app.stages.get_untracked();
        let name_of = move |s: &StageDef| labels::stage_name(l, s);
        match edit(&mut next, &name_of) {
            Err(p) => {
                self.refused.set(Some((who, p)));
                false
            }
            Ok(()) => {
                self.refused.set(None);
                if next != self.app.stages.get_untracked() {
                    let saving = session::save_stages(self.app, next);
                    let saved = self.saved;
                    spawn_local(async move { saved.set(Some(saving.await.map_err(|e| e.to_string()))) });
                }
                true
            }
        }
    }
}

#[component]
pub fn StagesCard() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let ed = Editor { app, refused: RwSignal::new(None), saved: RwSignal::new(None) };
    // Deals per stage: a stage with deals in it is not removed.
    let deals = Memo::new(move |_| {
        app.workspace.with(|w| {
            let mut m = BTreeMap::<String, usize>::new();
            for o in &w.data.opportunities {
                *m.entry(o.stage.clone()).or_default() += 1;
            }
            m
        })
    });
    // The stages the open backend can store, when it translates them (BottleCRM has its own).
    let storable = Memo::new(move |_| {
        app.backend.with(|b| {
            let profile: Profile = b.as_ref()?.parse().ok()?;
            let deals = profile.resources.get(&Entity::Opportunities)?;
            Some(deals.known_values("stage")?.into_iter().map(str::to_string).collect::<Vec<_>>())
        })
    });
    let backend_note = move || {
        let l = i18n.get_locale();
        let known = storable.get()?;
        let stages = app.stages.get();
        let names = |ids: &mut dyn Iterator<Item = &StageDef>| {
            ids.map(|s| labels::stage_name(l, s)).collect::<Vec<_>>().join(", ")
        };
        let refused = names(&mut stages.0.iter().filter(|s| !known.contains(&s.id)));
        let text = if refused.is_empty() {
            fill(
                td_string!(l, stages_backend_known),
                &[("stages", &names(&mut stages.0.iter().filter(|s| known.contains(&s.id))))],
            )
        } else {
            fill(td_string!(l, stages_backend_refuses), &[("stages", &refused)])
        };
        Some(
            view! { <p class=if refused.is_empty() { "hint" } else { "warning" } data-testid="stages-backend">{text}</p> },
        )
    };
    let row = move |l: Locale, s: StageDef, first: bool, last: bool| {
        let name = labels::stage_name(l, &s);
        let n = deals.with_untracked(|d| d.get(&s.id).copied().unwrap_or(0));
        let id = s.id.clone();
        let invalid = {
            let name = name.clone();
            move || if ed.refused.with(|r| r.as_ref().is_some_and(|(w, _)| *w == name)) { "true" } else { "false" }
        };
        if s.outcome != StageOutcome::Open {
            return view! {
                <tr data-testid="stage-row" data-stage=id>
                    <th scope="row">{name}</th>
                    <td class="num">{format!("{} %", s.probability)}</td>
                    <td>{if s.committed { "✓" } else { "–" }}</td>
                    <td class="num" data-testid="stage-deals">{n}</td>
                    <td colspan="3" class="hint">{td_string!(l, stages_fixed)}</td>
                </tr>
            }
            .into_any();
        }
        let on_name = {
            let (id, name) = (id.clone(), name.clone());
            move |ev: leptos::ev::Event| {
                let text = event_target_value(&ev);
                let id = id.clone();
                ed.apply(l, name.clone(), move |st, name_of| st.rename(&id, &text, name_of));
            }
        };
        let on_probability = {
            let (id, name) = (id.clone(), name.clone());
            move |ev: leptos::ev::Event| {
                let text = event_target_value(&ev);
                let id = id.clone();
                ed.apply(l, name.clone(), move |st, _| st.set_probability(&id, parse_probability(&text)?));
            }
        };
        let on_committed = {
            let (id, name) = (id.clone(), name.clone());
            move |ev: leptos::ev::Event| {
                let on = event_target_checked(&ev);
                let id = id.clone();
                ed.apply(l, name.clone(), move |st, _| st.set_committed(&id, on));
            }
        };
        let shift = {
            let (id, name) = (id.clone(), name.clone());
            move |up: bool| {
                let id2 = id.clone();
                if ed.apply(l, name.clone(), move |st, _| st.move_stage(&id2, up)) {
                    // The row is drawn anew: the focus follows the stage, to its other button when
                    // the stage reached an end (where this one is disabled).
                    let (at, open) =
                        app.stages.with_untracked(|st| (st.open().position(|x| x.id == id), st.open().count()));
                    let at_end = if up { at == Some(0) } else { at.map(|a| a + 1) == Some(open) };
                    let button = if up != at_end { "up" } else { "down" };
                    focus_id_later(format!("stage-{button}-{id}"));
                }
            }
        };
        let (shift_up, shift_down) = (shift.clone(), shift);
        let remove = {
            let (id, name) = (id.clone(), name.clone());
            move |_| {
                let id = id.clone();
                ed.apply(l, name.clone(), move |st, _| st.remove(&id, n));
            }
        };
        let with_name = |t: &str| fill(t, &[("stage", &name)]);
        view! {
            <tr data-testid="stage-row" data-stage=id.clone()>
                <th scope="row">
                    <input type="text" data-testid="stage-name" maxlength="200" autocomplete="off"
                        aria-label=with_name(td_string!(l, stages_name_of)) aria-invalid=invalid.clone()
                        prop:value=name.clone() on:change=on_name />
                </th>
                <td class="num">
                    <input type="number" data-testid="stage-probability" min="0" max="100" step="1" inputmode="numeric"
                        aria-label=with_name(td_string!(l, stages_probability_of)) aria-invalid=invalid
                        prop:value=s.probability.to_string() on:change=on_probability />
                </td>
                <td>
                    <label class="check">
                        <input type="checkbox" data-testid="stage-committed" aria-label=with_name(td_string!(l, stages_committed_of))
                            prop:checked=s.committed on:change=on_committed />
                    </label>
                </td>
                <td class="num" data-testid="stage-deals">{n}</td>
                <td>
                    <button type="button" class="secondary" id=format!("stage-up-{id}") data-testid="stage-up" disabled=first
                        aria-label=with_name(td_string!(l, stages_up_of)) on:click=move |_| shift_up(true)>"↑"</button>
                </td>
                <td>
                    <button type="button" class="secondary" id=format!("stage-down-{id}") data-testid="stage-down" disabled=last
                        aria-label=with_name(td_string!(l, stages_down_of)) on:click=move |_| shift_down(false)>"↓"</button>
                </td>
                <td>
                    <button type="button" class="secondary" data-testid="stage-remove"
                        aria-label=with_name(td_string!(l, stages_remove_of)) on:click=remove>{td_string!(l, stages_remove)}</button>
                </td>
            </tr>
        }
        .into_any()
    };
    let rows = move || {
        let l = i18n.get_locale();
        deals.track();
        let list = app.stages.get();
        let open = list.open().count();
        let mut k = 0;
        list.0
            .into_iter()
            .map(|s| {
                let is_open = s.outcome == StageOutcome::Open;
                let (first, last) = (is_open && k == 0, is_open && k + 1 == open);
                if is_open {
                    k += 1;
                }
                row(l, s, first, last)
            })
            .collect_view()
    };
    // Adding a stage.
    let (new_name, new_probability) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = i18n.get_locale_untracked();
        let name = new_name.get_untracked().trim().to_string();
        let text = new_probability.get_untracked();
        let who = if name.is_empty() { td_string!(l, stages_new).to_string() } else { name.clone() };
        if ed.apply(l, who, move |st, name_of| st.add(&name, parse_probability(&text)?, name_of).map(|_| ())) {
            new_name.set(String::new());
            new_probability.set(String::new());
            focus_id_later("stage-new-name".into());
        }
    };
    let refusal = move || {
        let l = i18n.get_locale();
        ed.refused.get().map(|(who, p)| {
            let text = fill(td_string!(l, stages_error), &[("stage", &who), ("problem", &stage_problem(l, p))]);
            view! { <p class="error" data-testid="stages-error">{text}</p> }
        })
    };
    let status = move || {
        let l = i18n.get_locale();
        ed.saved.get().map(|r| match r {
            Ok(()) => td_string!(l, stages_saved).to_string(),
            Err(e) => fill(td_string!(l, stages_save_failed), &[("error", &e)]),
        })
    };
    view! {
        <section class="card" aria-labelledby="h-stages" data-testid="stages-settings">
            <h2 id="h-stages">{tr(|l| td_string!(l, stages_title))}</h2>
            <p class="hint">{tr(|l| td_string!(l, stages_intro))}</p>
            {backend_note}
            <div class="table-wrap">
                <table class="data stages">
                    <thead>
                        <tr>
                            <th scope="col">{tr(|l| td_string!(l, stages_col_name))}</th>
                            <th scope="col" class="num">{tr(|l| td_string!(l, stages_col_probability))}</th>
                            <th scope="col">{tr(|l| td_string!(l, stages_col_committed))}</th>
                            <th scope="col" class="num">{tr(|l| td_string!(l, stages_col_deals))}</th>
                            <td colspan="3"></td>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <form class="stages-add" data-testid="stages-add" on:submit=add novalidate>
                <div class="field">
                    <label for="stage-new-name">{tr(|l| td_string!(l, stages_new_name))}</label>
                    <input id="stage-new-name" data-testid="stages-new-name" maxlength="200" autocomplete="off"
                        prop:value=move || new_name.get() on:input=move |ev| new_name.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="stage-new-probability">{tr(|l| td_string!(l, stages_col_probability))}</label>
                    <input id="stage-new-probability" data-testid="stages-new-probability" type="number" min="0" max="100" step="1" inputmode="numeric"
                        prop:value=move || new_probability.get() on:input=move |ev| new_probability.set(event_target_value(&ev)) />
                </div>
                <button type="submit" data-testid="stages-add-button">{tr(|l| td_string!(l, stages_add))}</button>
            </form>
            <div role="alert">{refusal}</div>
            <p class="hint" role="status" data-testid="stages-status">{status}</p>
        </section>
    }
}

/// Why an edit of the stages was refused, in words.
fn stage_problem(l: Locale, p: StageProblem) -> String {
    match p {
        StageProblem::EmptyLabel => td_string!(l, stage_problem_empty).to_string(),
        StageProblem::DuplicateLabel => td_string!(l, stage_problem_duplicate).to_string(),
        StageProblem::TooLong => td_string!(l, stage_problem_too_long).to_string(),
        StageProblem::Probability => td_string!(l, stage_problem_probability).to_string(),
        StageProblem::Fixed => td_string!(l, stage_problem_fixed).to_string(),
        StageProblem::Unknown => td_string!(l, stage_problem_unknown).to_string(),
        StageProblem::LastOpen => td_string!(l, stage_problem_last_open).to_string(),
        StageProblem::TooMany => {
            fill(td_string!(l, stage_problem_too_many), &[("max", &crate::core::model::MAX_OPEN_STAGES.to_string())])
        }
        StageProblem::HasDeals(n) => {
            fill_count(td_string!(l, stage_problem_has_deals_one), td_string!(l, stage_problem_has_deals), n, &[])
        }
    }
}
