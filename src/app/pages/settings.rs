//! Settings: language, the workspace, its reporting currency and exchange rates, its pipeline
//! stages (`stages`), and connecting a backend (preset or profile, URL, credentials, "Test
//! connection").

mod stages;

use crate::app::i18n::*;
use crate::app::session::{self, WorkspaceChoice};
use crate::app::state::use_app;
use crate::app::ui::dom::{fill, fill_count};
use crate::app::ui::labels;
use crate::app::ui::layout::LanguageSelect;
use crate::core::analytics::csv::CsvError;
use crate::core::fx::{Fx, RateProblem, RateRowError, parse_rate_row, parse_rates_csv, rates_csv};
use crate::core::model::{Currency, Entity};
use crate::core::rest::config::{DeploymentConfig, ProfileRef};
use crate::core::rest::presets;
use crate::core::rest::probe::{Probe, ProbeProblem};
use crate::core::rest::profile::{Auth, Profile, ProfileError};
use crate::core::sync::remote::RemoteError;
use crate::core::workspace::Source;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::BTreeSet;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let source = move || {
        app.workspace.with(|w| match &w.source {
            Source::Demo { seed, customers } => {
                let (seed, customers) = (*seed, *customers);
                let l = i18n.get_locale();
                fill_count(
                    td_string!(l, workspace_demo_one),
                    td_string!(l, workspace_demo),
                    customers,
                    &[("seed", &seed.to_string()), ("customers", &customers.to_string())],
                )
                .into_any()
            }
            Source::Backend { name, url } => {
                let text = format!("{name} — {url}");
                view! { {tr(|l| td_string!(l, workspace_backend))} " " {text} }.into_any()
            }
        })
    };
    let counts = move || {
        let l = i18n.get_locale();
        app.workspace.with(|w| {
            Entity::ALL
                .iter()
                .map(|&entity| {
                    view! {
                        <dt>{labels::entity(l, entity)}</dt>
                        <dd class="num">{w.data.len(entity)}</dd>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="page settings">
            <h1>{tr(|l| td_string!(l, settings_title))}</h1>
            <section class="card" aria-labelledby="h-language">
                <h2 id="h-language">{tr(|l| td_string!(l, language))}</h2>
                <LanguageSelect />
            </section>
            <YourName />
            <section class="card" aria-labelledby="h-workspace">
                <h2 id="h-workspace">{tr(|l| td_string!(l, settings_workspace))}</h2>
                <p data-testid="workspace-source">{source}</p>
                <dl class="counts">{counts}</dl>
            </section>
            <FxCard />
            <stages::StagesCard />
            <BackendForm />
            <DeviceCard />
        </section>
    }
}

/// Which confirmation the device card shows.
#[derive(Clone, Copy, PartialEq)]
enum DeviceFlow {
    /// Sign out, with "also wipe this device" on offer.
    SignOut,
    Wipe,
}

/// Signing out (optionally wiping the device with it), and wiping everything Kehu keeps on this
/// device — each after saying what would be lost: the unsynced changes of every workspace on the
/// device and the unsaved form drafts.
#[component]
fn DeviceCard() -> impl IntoView {
    let app = use_app();
    let i18n = use_i18n();
    let signed_out = RwSignal::new(false);
    let flow = RwSignal::new(None::<DeviceFlow>);
    let also_wipe = RwSignal::new(false);
    let stake = RwSignal::new(None::<session::AtStake>);
    let wiping = RwSignal::new(false);
    let blocked = RwSignal::new(false);
    let open = move |f: DeviceFlow| {
        flow.set(Some(f));
        also_wipe.set(false);
        signed_out.set(false);
        stake.set(None);
        spawn_local(async move { stake.set(Some(session::at_stake().await)) });
    };
    let wipes = move || flow.get() == Some(DeviceFlow::Wipe) || also_wipe.get();
    let on_confirm = move |_| {
        let wipe = wipes();
        if flow.get_untracked() == Some(DeviceFlow::SignOut) {
            session::sign_out();
        }
        if !wipe {
            flow.set(None);
            signed_out.set(true);
            return;
        }
        wiping.set(true);
        spawn_local(async move {
            if session::wipe_device().await.is_err() {
                blocked.set(true);
            }
        });
    };
    let warning = move || {
        let l = i18n.get_locale();
        let Some(at) = stake.get() else { return td_string!(l, wipe_counting).to_string() };
        let count = at.changes.to_string();
        let changes = match (at.changes, at.workspaces) {
            (0, _) if at.drafts > 0 => None,
            (0, _) => Some(td_string!(l, wipe_nothing_unsynced).to_string()),
            (_, 0 | 1) => Some(fill_count(
                td_string!(l, wipe_unsynced_one),
                td_string!(l, wipe_unsynced),
                at.changes as usize,
                &[],
            )),
            (_, n) => {
                Some(fill(td_string!(l, wipe_unsynced_many), &[("count", &count), ("workspaces", &n.to_string())]))
            }
        };
        let drafts = (at.drafts > 0).then(|| fill(td_string!(l, wipe_drafts), &[("count", &at.drafts.to_string())]));
        // Sentences follow each other with a space in English, directly in Chinese.
        changes.into_iter().chain(drafts).collect::<Vec<_>>().join(if l == Locale::en { " " } else { "" })
    };
    let busy = move || wiping.get() || stake.with(Option::is_none);
    let cancel = move |_| flow.set(None);
    view! {
        <section class="card" aria-labelledby="h-device">
            <h2 id="h-device">{tr(|l| td_string!(l, device_title))}</h2>
            <div class="actions">
                <Show when=move || app.backend.with(Option::is_some)>
                    <button class="secondary" data-testid="sign-out" aria-expanded=move || (flow.get() == Some(DeviceFlow::SignOut)).to_string()
                        on:click=move |_| open(DeviceFlow::SignOut)>{tr(|l| td_string!(l, sign_out))}</button>
                </Show>
                <button class="secondary danger" data-testid="wipe-device" aria-expanded=move || (flow.get() == Some(DeviceFlow::Wipe)).to_string()
                    on:click=move |_| open(DeviceFlow::Wipe)>{tr(|l| td_string!(l, wipe_device))}</button>
            </div>
            <Show when=move || signed_out.get()>
                <p role="status" data-testid="signed-out">{tr(|l| td_string!(l, signed_out))}</p>
            </Show>
            <Show when=move || flow.get().is_some()>
                <div class="confirm" role="alert"
                    data-testid=move || if flow.get() == Some(DeviceFlow::SignOut) { "sign-out-confirm" } else { "wipe-confirm" }>
                    <Show when=move || flow.get() == Some(DeviceFlow::SignOut)>
                        <p>{tr(|l| td_string!(l, sign_out_explain))}</p>
                        <label class="check">
                            <input type="checkbox" data-testid="also-wipe" prop:checked=move || also_wipe.get()
                                on:change=move |ev| also_wipe.set(event_target_checked(&ev)) disabled=move || wiping.get() />
                            {tr(|l| td_string!(l, also_wipe))}
                        </label>
                    </Show>
                    <Show when=wipes>
                        <p>{tr(|l| td_string!(l, wipe_explain))}</p>
                        <p class="warn-text" data-testid="wipe-warning">{warning}</p>
                    </Show>
                    <Show when=move || blocked.get()>
                        <p class="error" data-testid="wipe-blocked">{tr(|l| td_string!(l, wipe_blocked))}</p>
                    </Show>
                    <div class="actions">
                        <button class=move || if wipes() { "danger" } else { "" } data-testid=move || if flow.get() == Some(DeviceFlow::SignOut) { "confirm-sign-out" } else { "confirm-wipe" }
                            on:click=on_confirm disabled=move || busy() && wipes()>
                            {move || {
                                let l = i18n.get_locale();
                                match (flow.get() == Some(DeviceFlow::SignOut), also_wipe.get()) {
                                    (true, false) => td_string!(l, sign_out),
                                    (true, true) => td_string!(l, sign_out_and_wipe),
                                    (false, _) => td_string!(l, wipe_confirm),
                                }
                            }}
                        </button>
                        <button class="secondary" data-testid="cancel-wipe" on:click=cancel disabled=move || wiping.get()>{tr(|l| td_string!(l, cancel))}</button>
                    </div>
                </div>
            </Show>
        </section>
    }
}

#[component]
fn BackendForm() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let current = app.backend.get_untracked();
    let config = app.config.get_untracked();
    let initial = current
        .clone()
        .or_else(|| config.profiles.first().cloned())
        .unwrap_or_else(|| ProfileRef::of(&presets::profile("json-server", None).unwrap_or_else(empty_profile)));
    // The dropdown value: `config:<n>` for the deployment's profiles, else a preset id.
    let initial_choice = config
        .profiles
        .iter()
        .position(|p| p.workspace_id() == initial.workspace_id())
        .map(|i| format!("config:{i}"))
        .or_else(|| initial.preset().map(str::to_string))
        .unwrap_or_else(|| "custom".into());
    let preset = RwSignal::new(initial_choice);
    let url = RwSignal::new(initial.base_url().to_string());
    let json = RwSignal::new(serde_json::to_string_pretty(initial.json()).unwrap_or_default());
    let creds = session::current_id().map(|id| session::load_credentials(&id)).unwrap_or_default();
    let secret = RwSignal::new(creds.secret.unwrap_or_default());
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let remember = RwSignal::new(session::current_id().is_some_and(|id| session::remembered(&id)));
    let errors = RwSignal::new(Vec::<ProfileError>::new());
    let failure = RwSignal::new(None::<RemoteError>);
    let probes = RwSignal::new(None::<Vec<Probe>>);
    let busy = RwSignal::new(false);

    // The profile as edited: the JSON text with the URL field applied.
    let parsed = move || -> Result<Profile, Vec<ProfileError>> {
        let mut p = Profile::parse(&json.get_untracked())?;
        p.base_url = url.get_untracked().trim().to_string();
        let errs = p.validate();
        if errs.is_empty() { Ok(p) } else { Err(errs) }
    };
    let choose_preset = move |id: String| {
        preset.set(id.clone());
        let chosen = match id.strip_prefix("config:").and_then(|i| i.parse::<usize>().ok()) {
            Some(i) => app.config.with_untracked(|c| c.profiles.get(i).cloned()),
            None => presets::profile(&id, Some(&url.get_untracked())).map(|p| ProfileRef::of(&p)),
        };
        if let Some(p) = chosen {
            url.set(p.base_url().to_string());
            json.set(serde_json::to_string_pretty(p.json()).unwrap_or_default());
        }
    };
    let auth_kind = move || Profile::parse(&json.get()).map(|p| p.auth).unwrap_or(Auth::None);
    let needs_secret = move || matches!(auth_kind(), Auth::Bearer { .. } | Auth::ApiKey { .. });
    let needs_login = move || matches!(auth_kind(), Auth::Login { .. });
    let on_test = move |_| {
        probes.set(None);
        failure.set(None);
        match parsed() {
            Err(e) => errors.set(e),
            Ok(p) => {
                errors.set(vec![]);
                busy.set(true);
                let s = secret.get_untracked();
                let login = matches!(p.auth, Auth::Login { .. })
                    .then(|| (username.get_untracked().trim().to_string(), password.get_untracked()));
                spawn_local(async move {
                    match session::probe(p, (!s.is_empty()).then_some(s), login).await {
                        Ok(list) => probes.set(Some(list)),
                        Err(e) => failure.set(Some(e)),
                    }
                    busy.set(false);
                });
            }
        }
    };
    let on_save = move |_| match parsed() {
        Err(e) => errors.set(e),
        Ok(p) => {
            errors.set(vec![]);
            failure.set(None);
            let id = p.workspace_id();
            let keep = remember.get_untracked();
            if matches!(p.auth, Auth::Login { .. }) {
                let (u, pw) = (username.get_untracked(), password.get_untracked());
                busy.set(true);
                spawn_local(async move {
                    let signed = session::sign_in(&p, u.trim(), &pw, keep).await;
                    busy.set(false);
                    password.set(String::new());
                    match signed {
                        Ok(()) => session::switch(app, WorkspaceChoice::Backend { profile: ProfileRef::of(&p) }),
                        Err(e) => failure.set(Some(e)),
                    }
                });
            } else {
                let s = secret.get_untracked();
                session::store_credentials(&id, (!s.is_empty()).then_some(s.as_str()), keep);
                session::switch(app, WorkspaceChoice::Backend { profile: ProfileRef::of(&p) });
            }
        }
    };
    let on_demo = move |_| session::switch(app, WorkspaceChoice::Demo);
    let on_file = move |ev: leptos::ev::Event| {
        let Some(file) = crate::shell::files::picked_files(&ev).into_iter().next() else { return };
        spawn_local(async move {
            if let Some(text) = crate::shell::files::read_text(&file).await {
                preset.set("custom".into());
                match Profile::parse(&text) {
                    Ok(p) => {
                        url.set(p.base_url.clone());
                        errors.set(vec![]);
                    }
                    Err(e) => errors.set(e),
                }
                json.set(text);
            }
        });
    };
    let config_options = move || {
        app.config.with(|c| {
            (!c.profiles.is_empty()).then(|| {
                let options = c
                    .profiles
                    .iter()
                    .enumerate()
                    .map(|(i, p)| view! { <option value=format!("config:{i}")>{p.name().to_string()}</option> })
                    .collect_view();
                view! { <optgroup label=move || td_string!(i18n.get_locale(), config_profiles)>{options}</optgroup> }
            })
        })
    };
    view! {
        <section class="card" aria-labelledby="h-backend">
            <h2 id="h-backend">{tr(|l| td_string!(l, settings_backend))}</h2>
            <p class="hint">{tr(|l| td_string!(l, backend_intro))}</p>
            {move || {
                // The file's shape is checked at start-up (a file with such errors is not used);
                // its profiles' details here, and by the sync engine before it sends anything.
                let l = i18n.get_locale();
                let (unused, errors) = match app.config_problem.get() {
                    e if e.is_empty() => (false, app.config.with(DeploymentConfig::check)),
                    e => (true, e),
                };
                (!errors.is_empty()).then(|| {
                    let text = errors.iter().map(|e| crate::app::ui::labels::profile_error(l, e)).collect::<Vec<_>>().join("; ");
                    let lead = if unused { td_string!(l, config_problem) } else { td_string!(l, config_profile_problem) };
                    view! { <p class="error" role="alert" data-testid="config-problem">{lead} " " {text}</p> }
                })
            }}
            <div class="grid">
                <div class="field">
                    <label for="f-preset">{tr(|l| td_string!(l, backend_preset))}</label>
                    <select id="f-preset" data-testid="preset" prop:value=move || preset.get() on:change=move |ev| choose_preset(event_target_value(&ev))>
                        {config_options}
                        <optgroup label=move || td_string!(i18n.get_locale(), builtin_presets)>
                            {presets::PRESETS.iter().map(|p| view! { <option value=p.id>{p.label}</option> }).collect_view()}
                            <option value="custom">{tr(|l| td_string!(l, backend_custom))}</option>
                        </optgroup>
                    </select>
                </div>
                <div class="field">
                    <label for="f-url">{tr(|l| td_string!(l, backend_url))}</label>
                    <input id="f-url" data-testid="backend-url" type="url" inputmode="url" autocomplete="url"
                        prop:value=move || url.get() on:input=move |ev| url.set(event_target_value(&ev)) />
                </div>
                <Show when=needs_secret>
                    <div class="field">
                        <label for="f-secret">{tr(|l| td_string!(l, backend_token))}</label>
                        <input id="f-secret" data-testid="backend-token" type="password" autocomplete="off"
                            prop:value=move || secret.get() on:input=move |ev| secret.set(event_target_value(&ev)) />
                        <p class="hint">{tr(|l| td_string!(l, token_storage_note))}</p>
                    </div>
                </Show>
                <Show when=needs_login>
                    <div class="field">
                        <label for="f-username">{tr(|l| td_string!(l, backend_username))}</label>
                        <input id="f-username" data-testid="backend-username" autocomplete="username"
                            prop:value=move || username.get() on:input=move |ev| username.set(event_target_value(&ev)) />
                    </div>
                    <div class="field">
                        <label for="f-password">{tr(|l| td_string!(l, backend_password))}</label>
                        <input id="f-password" data-testid="backend-password" type="password" autocomplete="current-password"
                            prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev)) />
                        <p class="hint">{tr(|l| td_string!(l, login_note))}</p>
                    </div>
                </Show>
                <label class="check">
                    <input type="checkbox" prop:checked=move || remember.get() on:change=move |ev| remember.set(event_target_checked(&ev)) />
                    {tr(|l| td_string!(l, remember_device))}
                </label>
            </div>
            <details>
                <summary>{tr(|l| td_string!(l, backend_profile_json))}</summary>
                <div class="field">
                    <label for="f-profile">{tr(|l| td_string!(l, backend_profile_json))}</label>
                    <textarea id="f-profile" rows="16" spellcheck="false" data-testid="profile-json"
                        prop:value=move || json.get() on:input=move |ev| { preset.set("custom".into()); json.set(event_target_value(&ev)) }></textarea>
                    <label class="file">
                        {tr(|l| td_string!(l, backend_upload))}
                        <input type="file" accept="application/json,.json" on:change=on_file />
                    </label>
                </div>
            </details>
            <ul class="error" role="alert" data-testid="profile-errors">
                {move || {
                    let l = i18n.get_locale();
                    errors.get().iter().map(|e| view! { <li>{crate::app::ui::labels::profile_error(l, e)}</li> }).collect_view()
                }}
            </ul>
            <p class="error" role="alert" data-testid="sign-in-error">
                {move || failure.get().map(|e| {
                    let l = i18n.get_locale();
                    view! { {td_string!(l, sign_in_failed)} " " {labels::remote_error(l, &e)} }
                })}
            </p>
            <div class="actions">
                <button class="secondary" data-testid="test-connection" on:click=on_test disabled=move || busy.get()>{tr(|l| td_string!(l, test_connection))}</button>
                <button data-testid="save-backend" on:click=on_save disabled=move || busy.get()>{tr(|l| td_string!(l, save_backend))}</button>
                <Show when=move || app.backend.with(Option::is_some) && app.config.with(|c| c.demo)>
                    <button class="secondary" data-testid="use-demo" on:click=on_demo>{tr(|l| td_string!(l, use_demo))}</button>
                </Show>
            </div>
            <Show when=move || busy.get()>
                <p role="status">{tr(|l| td_string!(l, testing))}</p>
            </Show>
            {move || probes.get().map(|list| {
                let l = i18n.get_locale();
                view! {
                    <ul class="probes" data-testid="probes">
                        {list.into_iter().map(|p| probe_line(l, p)).collect_view()}
                    </ul>
                }
            })}
        </section>
    }
}

/// One resource's line of "Test connection": it answers, N records on the page (total T), M
/// could be read, and the first problem; or why it does not answer.
fn probe_line(l: Locale, p: Probe) -> impl IntoView {
    let p_entity = p.entity;
    let entity = labels::entity(l, p.entity);
    let testid = format!("probe-{}", p.entity.as_str());
    let read = match p.result {
        Err(RemoteError::NotFound) => {
            let text = fill(td_string!(l, probe_not_found), &[("url", &p.url)]);
            return view! { <li class="bad" data-testid=testid>"✗ " {entity} " — " {text}</li> }.into_any();
        }
        Err(e) => {
            return view! { <li class="bad" data-testid=testid>"✗ " {entity} " — " {labels::remote_error(l, &e)}</li> }
                .into_any();
        }
        Ok(read) => read,
    };
    let (sep, space) = if l == Locale::en { (", ", " ") } else { ("，", "") };
    let mut first = fill_count(td_string!(l, probe_page_one), td_string!(l, probe_page), read.on_page, &[]);
    if let Some(t) = read.total {
        first = format!("{first}{space}{}", fill(td_string!(l, probe_total), &[("total", &t.to_string())]));
    }
    let mut parts = vec![first];
    if read.on_page > 0 || read.problem.is_some() {
        parts.push(fill_count(td_string!(l, probe_read_one), td_string!(l, probe_read), read.read, &[]));
    }
    if read.with_problems > 0 {
        parts.push(fill_count(
            td_string!(l, probe_with_problems_one),
            td_string!(l, probe_with_problems),
            read.with_problems,
            &[],
        ));
    }
    let problem = read.problem.as_ref().map(|p| {
        let what = match p {
            ProbeProblem::NoList { paths } => fill(td_string!(l, probe_no_list), &[("paths", &paths.join(", "))]),
            ProbeProblem::NoId { path } => fill(td_string!(l, probe_no_id), &[("path", path)]),
            ProbeProblem::Unreadable { id: Some(id), why } => fill(
                td_string!(l, probe_unreadable),
                &[("id", id), ("reason", crate::app::ui::problems::unreadable(l, *why))],
            ),
            ProbeProblem::Unreadable { id: None, why } => fill(
                td_string!(l, probe_unreadable_no_id),
                &[("reason", crate::app::ui::problems::unreadable(l, *why))],
            ),
            ProbeProblem::Field { id, problem } => fill(
                td_string!(l, probe_field_problem),
                &[
                    ("id", id),
                    ("field", &crate::app::ui::problems::field_label(l, p_entity, &problem.field)),
                    ("value", &problem.value),
                    ("issue", crate::app::ui::problems::issue(l, problem.issue)),
                ],
            ),
        };
        fill(td_string!(l, probe_first_problem), &[("problem", &what)])
    });
    let unmatched = (!read.unmatched.is_empty()).then(|| {
        let fields = read.unmatched.iter().map(|u| format!("{} ({})", u.remote, u.kehu)).collect::<Vec<_>>().join(", ");
        fill(td_string!(l, probe_unmatched), &[("fields", &fields)])
    });
    let (class, mark) = if read.is_clean() { ("ok", "✓ ") } else { ("warn", "⚠ ") };
    view! {
        <li class=class data-testid=testid>
            {mark} {entity} " — " {parts.join(sep)}
            {problem.map(|t| view! { <span class="probe-problem" data-testid="probe-problem">{sep} {t}</span> })}
            {unmatched.map(|t| view! { <span class="probe-unmatched" data-testid="probe-unmatched">{sep} {t}</span> })}
        </li>
    }
    .into_any()
}

fn empty_profile() -> Profile {
    Profile {
        name: String::new(),
        preset: None,
        base_url: String::new(),
        auth: Auth::None,
        headers: Default::default(),
        timeout_secs: 30,
        page_size: 200,
        idempotency_header: None,
        resources: Default::default(),
    }
}

/// The user's name on this device: the rep on visit reports, "my tickets" and "my visit plan".
#[component]
fn YourName() -> impl IntoView {
    let name = RwSignal::new(crate::app::session::me());
    let saved = RwSignal::new(false);
    view! {
        <section class="card" aria-labelledby="h-me">
            <h2 id="h-me">{tr(|l| td_string!(l, settings_me))}</h2>
            <div class="field inline">
                <label for="my-name">{tr(|l| td_string!(l, settings_me_label))}</label>
                <input
                    id="my-name"
                    autocomplete="name"
                    prop:value=move || name.get()
                    on:input=move |ev| {
                        name.set(event_target_value(&ev));
                        saved.set(false);
                    }
                />
                <button
                    type="button"
                    data-testid="save-name"
                    on:click=move |_| {
                        crate::app::session::set_me(&name.get_untracked());
                        saved.set(true);
                    }
                >
                    {tr(|l| td_string!(l, save))}
                </button>
            </div>
            <p class="hint" role="status">{move || saved.get().then(|| tr(|l| td_string!(l, settings_me_saved)))}</p>
        </section>
    }
}

/// A rate field's translated name (`currency`, `valid_from`, `rate`, as core names them).
fn rate_field(l: Locale, column: &str, reporting: Currency) -> String {
    match column {
        "currency" => td_string!(l, fx_col_currency).to_string(),
        "valid_from" => td_string!(l, fx_col_valid_from).to_string(),
        "rate" => fill(td_string!(l, fx_col_rate), &[("currency", reporting.as_str())]),
        _ => crate::app::ui::format::NONE.to_string(),
    }
}

/// What the last rates import did.
#[derive(Clone)]
enum RatesImport {
    Done { imported: usize, errors: Vec<RateRowError> },
    Unreadable(CsvError),
}

/// The workspace's reporting currency and its exchange rates (a table; a row added with its
/// fields checked by core, removed, imported from or exported to CSV). Each change is saved in
/// the workspace's cache and the analysis recomputes with it.
#[component]
fn FxCard() -> impl IntoView {
    let Some(an) = crate::app::analytics::use_analytics() else { return ().into_any() };
    let i18n = use_i18n();
    let fx = Memo::new(move |_| an.config.with(|c| c.fx.clone()));
    let reporting = move || fx.with(|f| f.reporting);
    let saved = RwSignal::new(None::<Result<(), String>>);
    let save = move |next: Fx| {
        spawn_local(async move {
            let r = crate::app::analytics::save_fx(an, next).await;
            saved.set(Some(r));
        });
    };
    // Any ISO 4217 code (core checks it); the common ones are offered.
    let reporting_bad = RwSignal::new(false);
    // Rates are units of the reporting currency: with rates entered it does not change under them
    // (the figures would be silently wrong); the user exports and removes them first.
    let reporting_locked = RwSignal::new(false);
    let on_reporting = move |ev: leptos::ev::Event| match Currency::parse(event_target_value(&ev).trim()) {
        Some(c) => {
            reporting_bad.set(false);
            let (current, has_rates) = fx.with_untracked(|f| (f.reporting, !f.rates.is_empty()));
            reporting_locked.set(c != current && has_rates);
            if c != current && !has_rates {
                let mut next = fx.get_untracked();
                next.reporting = c;
                save(next);
            }
        }
        None => {
            reporting_locked.set(false);
            reporting_bad.set(true);
        }
    };
    let remove = move |currency: Currency, from: crate::core::model::Date| {
        let mut next = fx.get_untracked();
        if next.remove(currency, from) {
            save(next);
        }
    };
    // Adding a row.
    let (cur_in, from_in, rate_in) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let problems = RwSignal::new(Vec::<(&'static str, RateProblem)>::new());
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut next = fx.get_untracked();
        match parse_rate_row(
            &cur_in.get_untracked(),
            &from_in.get_untracked(),
            &rate_in.get_untracked(),
            next.reporting,
        ) {
            Ok(entry) => {
                // A rate for a currency and date already in the table replaces it.
                next.set(entry);
                problems.set(Vec::new());
                rate_in.set(String::new());
                save(next);
            }
            Err(p) => problems.set(p),
        }
    };
    let invalid = move |column: &'static str| {
        move || if problems.with(|p| p.iter().any(|x| x.0 == column)) { "true" } else { "false" }
    };
    // Import and export.
    let imported = RwSignal::new(None::<RatesImport>);
    let on_import = move |ev: leptos::ev::Event| {
        spawn_local(async move {
            let Some(file) = crate::shell::files::picked_files(&ev).into_iter().next() else { return };
            let Some(text) = crate::shell::files::read_text(&file).await else { return };
            let mut next = fx.get_untracked();
            match parse_rates_csv(&text, next.reporting) {
                Err(e) => imported.set(Some(RatesImport::Unreadable(e))),
                Ok(p) => {
                    let n = p.rates.len();
                    for e in p.rates {
                        next.set(e);
                    }
                    imported.set(Some(RatesImport::Done { imported: n, errors: p.errors }));
                    if n > 0 {
                        save(next);
                    }
                }
            }
        });
    };
    let export = move |_| {
        crate::shell::files::download("kehu-rates.csv", "text/csv;charset=utf-8", &fx.with_untracked(rates_csv));
    };
    let table = move || {
        let l = i18n.get_locale();
        fx.with(|f| {
            if f.rates.is_empty() {
                return view! { <p class="hint" data-testid="fx-no-rates">{td_string!(l, fx_no_rates)}</p> }.into_any();
            }
            let mut rates = f.rates.clone();
            rates.sort_by_key(|e| (e.currency, e.valid_from));
            let rows = rates
                .into_iter()
                .map(|e| {
                    let label = fill(td_string!(l, fx_remove_row), &[("currency", e.currency.as_str()), ("date", &e.valid_from.to_string())]);
                    view! {
                        <tr data-testid="fx-rate" data-currency=e.currency.to_string()>
                            <td>{e.currency.to_string()}</td>
                            <td>{e.valid_from.to_string()}</td>
                            <td class="num">{e.rate.to_string()}</td>
                            <td>
                                <button type="button" class="secondary" aria-label=label on:click=move |_| remove(e.currency, e.valid_from)>
                                    {td_string!(l, fx_remove)}
                                </button>
                            </td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <table class="data fx-rates" data-testid="fx-rates">
                    <thead>
                        <tr>
                            <th scope="col">{td_string!(l, fx_col_currency)}</th>
                            <th scope="col">{td_string!(l, fx_col_valid_from)}</th>
                            <th scope="col">{fill(td_string!(l, fx_col_rate), &[("currency", f.reporting.as_str())])}</th>
                            <td></td>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            }
            .into_any()
        })
    };
    let field_errors = move || {
        let l = i18n.get_locale();
        let r = reporting();
        problems.with(|p| {
            p.iter()
                .map(|&(column, problem)| {
                    let text = fill(
                        td_string!(l, fx_field_error),
                        &[("field", &rate_field(l, column, r)), ("problem", labels::rate_problem(l, problem))],
                    );
                    view! { <li data-field=column>{text}</li> }
                })
                .collect_view()
        })
    };
    let import_report = move || {
        let l = i18n.get_locale();
        let r = reporting();
        imported.get().map(|o| match o {
            RatesImport::Unreadable(e) => {
                view! { <p class="error" role="alert" data-testid="fx-import-result">{crate::app::ui::csv::csv_error(l, &e)}</p> }.into_any()
            }
            RatesImport::Done { imported, errors } => {
                let bad: BTreeSet<usize> = errors.iter().map(|e| e.line).collect();
                let lines = errors
                    .iter()
                    .map(|e| {
                        let text = fill(td_string!(l, fx_row_error), &[
                            ("line", &e.line.to_string()),
                            ("column", &rate_field(l, &e.column, r)),
                            ("problem", labels::rate_problem(l, e.problem)),
                        ]);
                        view! { <li>{text}</li> }
                    })
                    .collect_view();
                view! {
                    <div role="status" data-testid="fx-import-result">
                        <p>{fill_count(td_string!(l, fx_imported_one), td_string!(l, fx_imported), imported, &[])}</p>
                        {(!bad.is_empty()).then(|| view! {
                            <p>{fill_count(td_string!(l, fx_rows_skipped_one), td_string!(l, fx_rows_skipped), bad.len(), &[])}</p>
                            <ul class="plain error">{lines}</ul>
                        })}
                    </div>
                }
                .into_any()
            }
        })
    };
    let status = move || {
        let l = i18n.get_locale();
        saved.get().map(|r| match r {
            Ok(()) => td_string!(l, fx_saved).to_string(),
            Err(e) => fill(td_string!(l, fx_save_failed), &[("error", &e)]),
        })
    };
    view! {
        <section class="card" aria-labelledby="h-fx" data-testid="fx-settings">
            <h2 id="h-fx">{tr(|l| td_string!(l, fx_title))}</h2>
            <p class="hint">{tr(|l| td_string!(l, fx_intro))}</p>
            <div class="field inline">
                <label for="fx-reporting">{tr(|l| td_string!(l, fx_reporting))}</label>
                <input id="fx-reporting" data-testid="fx-reporting" list="fx-known" autocomplete="off" size="5"
                    aria-invalid=move || if reporting_bad.get() || reporting_locked.get() { "true" } else { "false" }
                    prop:value=move || reporting().to_string() on:change=on_reporting />
                <datalist id="fx-known">
                    {[Currency::CNY, Currency::EUR, Currency::USD, Currency::HKD, Currency::JPY, Currency::GBP].map(|c| view! { <option value=c.to_string()></option> }).into_iter().collect_view()}
                </datalist>
            </div>
            <Show when=move || reporting_bad.get()>
                <p class="error" role="alert" data-testid="fx-reporting-error">
                    {move || {
                        let l = i18n.get_locale();
                        fill(td_string!(l, fx_field_error), &[("field", td_string!(l, fx_reporting)), ("problem", labels::rate_problem(l, RateProblem::InvalidCurrency))])
                    }}
                </p>
            </Show>
            <Show when=move || reporting_locked.get()>
                <p class="error" role="alert" data-testid="fx-reporting-locked">
                    {move || fill(td_string!(i18n.get_locale(), fx_reporting_has_rates), &[("current", reporting().as_str())])}
                </p>
            </Show>
            {table}
            <form class="fx-add" data-testid="fx-add" on:submit=add novalidate>
                <div class="field">
                    <label for="fx-currency">{tr(|l| td_string!(l, fx_col_currency))}</label>
                    <input id="fx-currency" data-testid="fx-currency" placeholder="EUR" autocomplete="off" aria-invalid=invalid("currency")
                        prop:value=move || cur_in.get() on:input=move |ev| cur_in.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="fx-valid-from">{tr(|l| td_string!(l, fx_col_valid_from))}</label>
                    <input id="fx-valid-from" data-testid="fx-valid-from" type="date" aria-invalid=invalid("valid_from")
                        prop:value=move || from_in.get() on:input=move |ev| from_in.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="fx-rate">{move || rate_field(i18n.get_locale(), "rate", reporting())}</label>
                    <input id="fx-rate" data-testid="fx-rate-input" inputmode="decimal" placeholder="7.8" autocomplete="off" aria-invalid=invalid("rate")
                        prop:value=move || rate_in.get() on:input=move |ev| rate_in.set(event_target_value(&ev)) />
                </div>
                <button type="submit" data-testid="fx-add-button">{tr(|l| td_string!(l, fx_add))}</button>
            </form>
            <div role="alert"><ul class="plain error" data-testid="fx-errors">{field_errors}</ul></div>
            <div class="actions">
                <label class="file button secondary">
                    {tr(|l| td_string!(l, fx_import))}
                    <input type="file" accept=".csv,text/csv" data-testid="fx-import" on:change=on_import />
                </label>
                <button type="button" class="secondary" data-testid="fx-export" on:click=export>{tr(|l| td_string!(l, fx_export))}</button>
            </div>
            {import_report}
            <p class="hint" role="status" data-testid="fx-status">{status}</p>
        </section>
    }
    .into_any()
}
