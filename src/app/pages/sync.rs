//! Sync: state of the connection, the queue of local changes, conflicts to settle, storage.

use crate::app::i18n::*;
use crate::app::session;
use crate::app::state::{AppState, use_app};
use crate::app::ui::dom::{fill, fill_count};
use crate::app::ui::format::{datetime, json_value};
use crate::app::ui::labels;
use crate::app::ui::labels::save_error;
use crate::core::model::Entity;
use crate::core::sync::engine::{Phase as SyncPhase, SyncError};
use crate::core::sync::local::LocalError;
use crate::core::sync::local::SaveError;
use crate::core::sync::merge::Side;
use crate::core::sync::outbox::{Conflict, EntryState, Op, OutboxEntry, Resolution};
use crate::core::sync::remote::RemoteError;
use crate::core::workspace::Source;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

/// A readable name for an entry's record: its name or title, else its id.
fn record_label(e: &OutboxEntry) -> String {
    let v = e.current.as_ref().or(e.base.as_ref());
    v.and_then(|v| v.get("name").or_else(|| v.get("title")).and_then(|n| n.as_str()).map(str::to_string))
        .filter(|s| !crate::core::text::is_blank(s))
        .unwrap_or_else(|| e.record_id.clone())
}

pub fn sync_error(l: Locale, e: &SyncError) -> AnyView {
    match e {
        SyncError::Remote(r) => labels::remote_error(l, r),
        SyncError::Local(LocalError::QuotaExceeded) => td_string!(l, save_quota).into_any(),
        SyncError::Local(LocalError::Storage(m)) => {
            let m = m.clone();
            view! { <span>{td_string!(l, save_storage)} " (" {m} ")"</span> }.into_any()
        }
        SyncError::Profile(errors) => {
            let text =
                errors.iter().map(|e| crate::app::ui::labels::profile_error(l, e)).collect::<Vec<_>>().join("; ");
            view! { <span>{td_string!(l, sync_profile_problem)} " " {text}</span> }.into_any()
        }
    }
}

#[component]
pub fn SyncPage() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let has_backend = move || app.backend.with(|b| b.is_some());
    // Asked for by the user: a complete comparison with the server, not only what changed.
    let sync_now = move |_| session::request_full_check(app);
    let source = move || {
        app.workspace.with(|w| match &w.source {
            Source::Demo { .. } => td_string!(i18n.get_locale(), sync_demo).to_string(),
            Source::Backend { name, url } => format!("{name} — {url}"),
        })
    };
    view! {
        <section class="page sync-page">
            <h1>{tr(|l| td_string!(l, sync_title))}</h1>
            <section class="card" aria-labelledby="h-conn">
                <h2 id="h-conn">{tr(|l| td_string!(l, sync_connection))}</h2>
                <p data-testid="sync-source">{source}</p>
                <p data-testid="network">
                    {move || if app.online.get() { td_string!(i18n.get_locale(), net_online).to_string() } else { td_string!(i18n.get_locale(), net_offline).to_string() }}
                </p>
                <Show when=has_backend>
                    <button
                        data-testid="sync-now"
                        aria-describedby="sync-now-hint"
                        on:click=sync_now
                        disabled=move || !app.online.get() || app.sync.with(|s| s.running)
                    >
                        {tr(|l| td_string!(l, sync_now))}
                    </button>
                    <p class="hint" id="sync-now-hint">{tr(|l| td_string!(l, sync_now_hint))}</p>
                    <SyncProgress app />
                    <LastRun app />
                </Show>
            </section>
            <crate::app::ui::problems::SyncProblems />
            <Outbox app />
            <Storage app />
        </section>
    }
}

#[component]
fn SyncProgress(app: AppState) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let s = app.sync.get();
        if !s.running {
            return s
                .other_tab
                .then(|| view! { <p class="hint">{tr(|l| td_string!(l, sync_other_tab))}</p> }.into_any());
        }
        let p = s.progress;
        let (done, total) = p.as_ref().map(|p| (p.done, p.total)).unwrap_or((0, None));
        let what = match p.as_ref() {
            Some(p) if p.phase == SyncPhase::Push => td_string!(i18n.get_locale(), sync_pushing).to_string(),
            Some(p) => {
                let entity = p.entity.map(|e| labels::entity(i18n.get_locale(), e)).unwrap_or("");
                format!("{} {entity}", td_string!(i18n.get_locale(), sync_pulling))
            }
            None => td_string!(i18n.get_locale(), sync_starting).to_string(),
        };
        let count = match total {
            Some(t) => format!("{done} / {t}"),
            None => done.to_string(),
        };
        Some(
            view! {
                <div class="progress" data-testid="sync-progress">
                    <label>
                        {what} " " {count}
                        <progress max=total.map(|t| t.max(1) as f64) value=total.map(|_| done as f64)></progress>
                    </label>
                </div>
            }
            .into_any(),
        )
    }
}

#[component]
fn LastRun(app: AppState) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let last = app.sync.with(|s| s.last.clone())?;
        let l = i18n.get_locale();
        let retry =
            app.sync.with(|s| s.retry_at).map(|t| view! { <p>{td_string!(l, sync_retry_at)} " " {datetime(t)}</p> });
        let skipped = last.unread.clone();
        Some(view! {
            <div class="last-sync" data-testid="last-sync">
                <p>
                    {td_string!(l, sync_last)} " " {datetime(last.at)} " · "
                    {fill(td_string!(l, sync_counts), &[("pushed", &last.pushed.to_string()), ("pulled", &last.pulled.to_string()), ("removed", &last.removed.to_string())])}
                </p>
                {last.error.as_ref().map(|e| view! { <p class="error" role="alert" data-testid="sync-error">{sync_error(l, e)}</p> })}
                {matches!(last.error, Some(SyncError::Remote(RemoteError::Unauthorized { .. }))).then(|| view! {
                    <p><A href=crate::app::paths::href("/settings") attr:data-testid="sign-in-again">{td_string!(l, sign_in_again)}</A></p>
                })}
                {retry}
                {last.missing.iter().map(|&e| view! {
                    <p class="error" data-testid="sync-missing">{fill(td_string!(l, sync_missing), &[("entity", labels::entity(l, e))])}</p>
                }).collect_view()}
                {(!last.reconciled.is_empty()).then(|| {
                    let list = last.reconciled.iter().map(|&e| labels::entity(l, e)).collect::<Vec<_>>().join(td_string!(l, list_separator));
                    view! { <p data-testid="sync-reconciled">{fill(td_string!(l, sync_reconciled), &[("list", &list)])}</p> }
                })}
                {(last.matched > 0).then(|| view! {
                    <p data-testid="sync-matched">{fill_count(td_string!(l, sync_matched_one), td_string!(l, sync_matched), last.matched, &[])}</p>
                })}
                {(!skipped.is_empty()).then(|| view! {
                    <details>
                        <summary>{fill_count(td_string!(l, sync_skipped_one), td_string!(l, sync_skipped), skipped.len(), &[])}</summary>
                        <ul>{skipped.iter().map(|s| {
                            let (entity, reason) = (labels::entity(l, s.entity), crate::app::ui::problems::unreadable(l, s.why));
                            let line = match s.id.as_deref() {
                                Some(id) => fill(td_string!(l, skipped_line), &[("entity", entity), ("id", id), ("reason", reason)]),
                                None => fill(td_string!(l, skipped_line_no_id), &[("entity", entity), ("reason", reason)]),
                            };
                            view! { <li data-testid="skipped-record">{line}</li> }
                        }).collect_view()}</ul>
                    </details>
                })}
            </div>
        })
    }
}

#[component]
fn Outbox(app: AppState) -> impl IntoView {
    // Records of a kind the backend keeps none of wait on this device: not counted as to be sent.
    let kept = crate::app::ui::form::kept_here(app);
    let to_send = move || kept.with(|k| app.outbox.with(|o| o.iter().filter(|e| !k.contains(&e.entity)).count()));
    view! {
        <section class="card" aria-labelledby="h-outbox">
            <h2 id="h-outbox">
                {tr(|l| td_string!(l, outbox_title))} " " <span class="badge" data-testid="pending-count">{to_send}</span>
            </h2>
            <Show when=move || app.outbox.with(Vec::is_empty)>
                <p class="empty">{tr(|l| td_string!(l, outbox_empty))}</p>
            </Show>
            <Show when=move || app.backend.with(Option::is_none) && !app.outbox.with(Vec::is_empty)>
                <p class="hint">{tr(|l| td_string!(l, outbox_demo_note))}</p>
            </Show>
            <ul class="outbox" data-testid="outbox">
                <For each=move || app.outbox.get() key=|e| (e.seq, e.updated_at, e.attempts) let:entry>
                    <OutboxItem app entry kept />
                </For>
            </ul>
        </section>
    }
}

#[component]
fn OutboxItem(app: AppState, entry: OutboxEntry, kept: Memo<Vec<Entity>>) -> impl IntoView {
    let i18n = use_i18n();
    let failure = RwSignal::new(None::<SaveError>);
    let act = move |f: std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), SaveError>>>>| {
        spawn_local(async move {
            if let Err(e) = f.await {
                failure.set(Some(e));
            }
        })
    };
    let op = entry.op;
    let entity = entry.entity;
    let name = record_label(&entry);
    let state_view = {
        let entry = entry.clone();
        move || {
            let l = i18n.get_locale();
            match &entry.state {
                EntryState::Pending if kept.with(|k| k.contains(&entry.entity)) => {
                    let note = fill(td_string!(l, kept_here_note), &[("kind", labels::entity(l, entry.entity))]);
                    view! {
                        <span class="badge" data-testid="kept-here">{td_string!(l, state_kept_here)}</span>
                        <p class="hint">{note}</p>
                    }
                    .into_any()
                }
                EntryState::Pending => {
                    // Why the last attempt failed: translated; older entries kept only English text.
                    let note = match (&entry.failure, entry.last_error.clone()) {
                        (Some(f), _) => {
                            Some(view! { <span class="hint">" (" {labels::remote_error(l, f)} ")"</span> }.into_any())
                        }
                        (None, Some(e)) => Some(view! { <span class="hint">{format!(" ({e})")}</span> }.into_any()),
                        (None, None) => None,
                    };
                    let attempts = entry.attempts;
                    view! {
                        <span class="badge">{td_string!(l, state_pending)}</span>
                        {(attempts > 0).then(|| view! { <span class="hint">" " {fill_count(td_string!(l, attempts_one), td_string!(l, attempts), attempts as usize, &[])}</span> })}
                        {note}
                    }
                    .into_any()
                }
                EntryState::Rejected { message, fields, error, .. } => {
                    let e1 = entry.clone();
                    let e2 = entry.clone();
                    // The reason in the user's language; the server's own words beside it (data).
                    let reason = match error {
                        Some(RemoteError::Rejected { .. }) => view! { {td_string!(l, err_rejected)} }.into_any(),
                        Some(err) => labels::remote_error(l, err),
                        None if message.is_empty() => td_string!(l, outbox_unreadable).into_any(),
                        None => view! { {message.clone()} }.into_any(),
                    };
                    let said = (matches!(error, Some(RemoteError::Rejected { .. })) && !message.is_empty())
                        .then(|| message.clone());
                    let edit = edit_href(&entry);
                    view! {
                        <span class="badge badge-warn">{td_string!(l, state_rejected)}</span>
                        <p class="error">{reason} {said.map(|m| view! { <span class="server-said">" " {m}</span> })}</p>
                        <ul class="plain">
                            {fields
                                .iter()
                                .map(|(f, m)| {
                                    let label = labels::field(l, f).map(str::to_string).unwrap_or_else(|| f.clone());
                                    view! { <li><strong>{label}</strong> ": " {m.clone()}</li> }
                                })
                                .collect_view()}
                        </ul>
                        <div class="actions">
                            {edit.map(|href| view! { <a class="button" href=href data-testid="fix-rejected">{td_string!(l, fix_and_resend)}</a> })}
                            <button on:click=move |_| act(Box::pin(session::retry(app, e1.clone())))>{td_string!(l, retry)}</button>
                            <button class="secondary" on:click=move |_| act(Box::pin(session::discard(app, e2.clone())))>{td_string!(l, discard_mine)}</button>
                        </div>
                    }
                    .into_any()
                }
                EntryState::Conflict(c) => {
                    view! { <ConflictView app entry=entry.clone() conflict=c.clone() failure /> }.into_any()
                }
            }
        }
    };
    view! {
        <li class="outbox-item" data-testid="outbox-item">
            <strong>{move || op_label(i18n.get_locale(), op)}</strong>
            " · " {move || labels::entity(i18n.get_locale(), entity)} " · " <span class="record">{name.clone()}</span>
            <div>{state_view}</div>
            <p class="error" role="alert">{move || failure.get().map(|e| save_error(i18n.get_locale(), &e))}</p>
        </li>
    }
}

/// Where the user corrects a rejected change: the record's form (none for a delete).
fn edit_href(e: &OutboxEntry) -> Option<String> {
    if e.op == Op::Delete {
        return None;
    }
    let path = match e.entity {
        Entity::Customers => format!("{}/edit", crate::app::paths::customer_href(&e.record_id)),
        kind => {
            let customer = e.current.as_ref()?.get("customer_id")?.as_str()?;
            crate::app::paths::form_href(customer, kind, Some(&e.record_id))
        }
    };
    Some(crate::app::paths::href(&path))
}

fn op_label(l: Locale, op: Op) -> &'static str {
    match op {
        Op::Create => td_string!(l, op_create),
        Op::Update => td_string!(l, op_update),
        Op::Delete => td_string!(l, op_delete),
    }
}

#[component]
fn ConflictView(
    app: AppState,
    entry: OutboxEntry,
    conflict: Conflict,
    failure: RwSignal<Option<SaveError>>,
) -> impl IntoView {
    let go = move |entry: OutboxEntry, r: Resolution| {
        spawn_local(async move {
            if let Err(e) = session::resolve(app, entry, r).await {
                failure.set(Some(e));
            }
        })
    };
    match conflict {
        Conflict::Fields { fields, .. } => {
            let choices: Vec<(String, RwSignal<Side>)> =
                fields.iter().map(|f| (f.field.clone(), RwSignal::new(Side::Mine))).collect();
            let rows = fields
                .iter()
                .zip(choices.iter())
                .map(|(f, (_, choice))| {
                    let choice = *choice;
                    let group = format!("c-{}-{}", entry.seq, f.field);
                    view! {
                        <tr>
                            <th scope="row">{f.field.clone()}</th>
                            <td>{json_value(&f.base)}</td>
                            <td>
                                <label class="choice">
                                    <input type="radio" name=group.clone() checked=true on:change=move |_| choice.set(Side::Mine) />
                                    {json_value(&f.mine)}
                                </label>
                            </td>
                            <td>
                                <label class="choice">
                                    <input type="radio" name=group on:change=move |_| choice.set(Side::Theirs) />
                                    {json_value(&f.theirs)}
                                </label>
                            </td>
                        </tr>
                    }
                })
                .collect_view();
            let e1 = entry.clone();
            let e2 = entry.clone();
            view! {
                <div class="conflict" data-testid="conflict">
                    <span class="badge badge-warn">{tr(|l| td_string!(l, state_conflict))}</span>
                    <p>{tr(|l| td_string!(l, conflict_fields))}</p>
                    <div class="table-wrap">
                        <table class="data">
                            <thead>
                                <tr>
                                    <th scope="col">{tr(|l| td_string!(l, conflict_field))}</th>
                                    <th scope="col">{tr(|l| td_string!(l, conflict_base))}</th>
                                    <th scope="col">{tr(|l| td_string!(l, conflict_mine))}</th>
                                    <th scope="col">{tr(|l| td_string!(l, conflict_theirs))}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                    <div class="actions">
                        <button on:click=move |_| {
                            let picked = choices.iter().map(|(f, c)| (f.clone(), c.get_untracked())).collect();
                            go(e1.clone(), Resolution::Fields(picked))
                        }>{tr(|l| td_string!(l, apply_choices))}</button>
                        <button class="secondary" on:click=move |_| go(e2.clone(), Resolution::DiscardMine)>{tr(|l| td_string!(l, discard_mine))}</button>
                    </div>
                </div>
            }
            .into_any()
        }
        Conflict::DeletedOnServer => {
            let e1 = entry.clone();
            let e2 = entry.clone();
            view! {
                <div class="conflict" data-testid="conflict">
                    <span class="badge badge-warn">{tr(|l| td_string!(l, state_conflict))}</span>
                    <p>{tr(|l| td_string!(l, conflict_deleted_on_server))}</p>
                    <div class="actions">
                        <button on:click=move |_| go(e1.clone(), Resolution::Recreate)>{tr(|l| td_string!(l, recreate))}</button>
                        <button class="secondary" on:click=move |_| go(e2.clone(), Resolution::DiscardMine)>{tr(|l| td_string!(l, discard_mine))}</button>
                    </div>
                </div>
            }
            .into_any()
        }
        Conflict::ChangedOnServer { .. } => {
            let e1 = entry.clone();
            let e2 = entry.clone();
            view! {
                <div class="conflict" data-testid="conflict">
                    <span class="badge badge-warn">{tr(|l| td_string!(l, state_conflict))}</span>
                    <p>{tr(|l| td_string!(l, conflict_changed_on_server))}</p>
                    <div class="actions">
                        <button on:click=move |_| go(e1.clone(), Resolution::DeleteAnyway)>{tr(|l| td_string!(l, delete_anyway))}</button>
                        <button class="secondary" on:click=move |_| go(e2.clone(), Resolution::DiscardMine)>{tr(|l| td_string!(l, keep_theirs))}</button>
                    </div>
                </div>
            }
            .into_any()
        }
    }
}

#[component]
fn Storage(app: AppState) -> impl IntoView {
    let i18n = use_i18n();
    let mb = |b: f64| format!("{:.1} MB", b / 1_048_576.0);
    view! {
        <section class="card" aria-labelledby="h-storage">
            <h2 id="h-storage">{tr(|l| td_string!(l, storage_title))}</h2>
            {move || {
                let l = i18n.get_locale();
                let info = app.storage.get();
                let usage = match info.and_then(|i| i.0) {
                    Some((used, quota)) => view! { <p data-testid="storage-usage">{td_string!(l, storage_usage)} " " {mb(used)} " / " {mb(quota)}</p> }.into_any(),
                    None => view! { <p>{td_string!(l, storage_unknown)}</p> }.into_any(),
                };
                let persisted = match info.and_then(|i| i.1) {
                    Some(true) => td_string!(l, storage_persistent),
                    _ => td_string!(l, storage_not_persistent),
                };
                let unreadable = app.unreadable.get();
                view! {
                    {usage}
                    <p>{persisted}</p>
                    {(unreadable > 0).then(|| view! { <p class="error">{fill_count(td_string!(l, storage_unreadable_one), td_string!(l, storage_unreadable), unreadable, &[])}</p> })}
                }
            }}
        </section>
    }
}
