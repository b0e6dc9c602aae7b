//! Settings: language, the workspace, and connecting a backend (preset or profile, URL,
//! credentials, "Test connection").

use super::tr;
use super::LanguageSelect;
use super::i18n::*;
use super::labels;
use super::session::{self, Choice};
use super::state::use_app;
use crate::core::rest::presets;
use crate::core::rest::profile::{Auth, Profile, ProfileError};
use crate::core::workspace::{Entity, Source};
use crate::shell::http::Probe;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let source = move || {
        app.workspace.with(|w| match &w.source {
            Source::Demo { seed, customers } => {
                let (seed, customers) = (*seed, *customers);
                t!(i18n, workspace_demo, seed = move || seed, customers = move || customers).into_any()
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
            <section class="card" aria-labelledby="h-workspace">
                <h2 id="h-workspace">{tr(|l| td_string!(l, settings_workspace))}</h2>
                <p data-testid="workspace-source">{source}</p>
                <dl class="counts">{counts}</dl>
            </section>
            <BackendForm />
        </section>
    }
}

fn profile_error_text(errs: &[ProfileError]) -> Vec<String> {
    errs.iter().map(ToString::to_string).collect()
}

#[component]
fn BackendForm() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let current = app.backend.get_untracked();
    let initial = current.clone().unwrap_or_else(|| presets::profile("json-server", None).unwrap_or_else(empty_profile));
    let preset = RwSignal::new(initial.preset.clone().unwrap_or_else(|| "custom".into()));
    let url = RwSignal::new(initial.base_url.clone());
    let json = RwSignal::new(serde_json::to_string_pretty(&initial).unwrap_or_default());
    let secret = RwSignal::new(session::current_id().map(|id| session::load_credentials(&id).secret.unwrap_or_default()).unwrap_or_default());
    let remember = RwSignal::new(session::current_id().is_some_and(|id| session::remembered(&id)));
    let errors = RwSignal::new(Vec::<String>::new());
    let probes = RwSignal::new(None::<Result<Vec<Probe>, String>>);
    let testing = RwSignal::new(false);

    // The profile as edited: the JSON text with the URL field applied.
    let parsed = move || -> Result<Profile, Vec<String>> {
        let mut p = Profile::parse(&json.get_untracked()).map_err(|e| profile_error_text(&e))?;
        p.base_url = url.get_untracked().trim().to_string();
        let errs = p.validate();
        if errs.is_empty() { Ok(p) } else { Err(profile_error_text(&errs)) }
    };
    let choose_preset = move |id: String| {
        preset.set(id.clone());
        if let Some(p) = presets::profile(&id, Some(&url.get_untracked())) {
            json.set(serde_json::to_string_pretty(&p).unwrap_or_default());
        }
    };
    let needs_secret = move || {
        Profile::parse(&json.get()).map(|p| !matches!(p.auth, Auth::None)).unwrap_or(true)
    };
    let on_test = move |_| {
        probes.set(None);
        match parsed() {
            Err(e) => errors.set(e),
            Ok(p) => {
                errors.set(vec![]);
                testing.set(true);
                let s = secret.get_untracked();
                spawn_local(async move {
                    probes.set(Some(Ok(session::probe(p, (!s.is_empty()).then_some(s)).await)));
                    testing.set(false);
                });
            }
        }
    };
    let on_save = move |_| match parsed() {
        Err(e) => errors.set(e),
        Ok(p) => {
            errors.set(vec![]);
            let id = p.workspace_id();
            let s = secret.get_untracked();
            session::store_credentials(&id, (!s.is_empty()).then_some(s.as_str()), remember.get_untracked());
            session::switch(app, Choice::Backend { profile: p });
        }
    };
    let on_demo = move |_| session::switch(app, Choice::Demo);
    let on_file = move |ev: leptos::ev::Event| {
        let input: Option<web_sys::HtmlInputElement> = ev.target().and_then(|t| t.dyn_into().ok());
        let Some(file) = input.and_then(|i| i.files()).and_then(|f| f.get(0)) else { return };
        spawn_local(async move {
            if let Ok(text) = wasm_bindgen_futures::JsFuture::from(file.text()).await
                && let Some(text) = text.as_string()
            {
                preset.set("custom".into());
                if let Ok(p) = Profile::parse(&text) {
                    url.set(p.base_url.clone());
                }
                json.set(text);
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="h-backend">
            <h2 id="h-backend">{tr(|l| td_string!(l, settings_backend))}</h2>
            <p class="hint">{tr(|l| td_string!(l, backend_intro))}</p>
            <div class="grid">
                <div class="field">
                    <label for="f-preset">{tr(|l| td_string!(l, backend_preset))}</label>
                    <select id="f-preset" data-testid="preset" prop:value=move || preset.get() on:change=move |ev| choose_preset(event_target_value(&ev))>
                        <option value="json-server">"json-server 0.17"</option>
                        <option value="simple-rest">"react-admin simple-rest"</option>
                        <option value="bottlecrm">"BottleCRM"</option>
                        <option value="custom">{tr(|l| td_string!(l, backend_custom))}</option>
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
                        <label class="check">
                            <input type="checkbox" prop:checked=move || remember.get() on:change=move |ev| remember.set(event_target_checked(&ev)) />
                            {tr(|l| td_string!(l, remember_device))}
                        </label>
                        <p class="hint">{tr(|l| td_string!(l, token_storage_note))}</p>
                    </div>
                </Show>
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
                {move || errors.get().into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}
            </ul>
            <div class="actions">
                <button class="secondary" data-testid="test-connection" on:click=on_test disabled=move || testing.get()>{tr(|l| td_string!(l, test_connection))}</button>
                <button data-testid="save-backend" on:click=on_save>{tr(|l| td_string!(l, save_backend))}</button>
                <Show when=move || app.backend.with(Option::is_some)>
                    <button class="secondary" data-testid="use-demo" on:click=on_demo>{tr(|l| td_string!(l, use_demo))}</button>
                </Show>
            </div>
            <Show when=move || testing.get()>
                <p role="status">{tr(|l| td_string!(l, testing))}</p>
            </Show>
            {move || probes.get().map(|result| {
                let l = i18n.get_locale();
                let list = match result {
                    Ok(list) => list,
                    Err(e) => return view! { <p class="error" role="alert">{e}</p> }.into_any(),
                };
                view! {
                    <ul class="probes" data-testid="probes">
                        {list.into_iter().map(|p| {
                            let entity = labels::entity(l, p.entity);
                            match p.result {
                                Ok((_, total)) => {
                                    let n = total.map(|t| t.to_string()).unwrap_or_else(|| "?".into());
                                    view! { <li class="ok">"✓ " {entity} " — " {td!(l, probe_records, count = move || n.clone())}</li> }.into_any()
                                }
                                Err(e) => view! { <li class="bad">"✗ " {entity} " — " {labels::remote_error(l, &e)}</li> }.into_any(),
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </section>
    }
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
        resources: Default::default(),
    }
}
