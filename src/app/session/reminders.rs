//! Task reminders: once a minute, the open workspace's tasks of mine that have come due (by the
//! browser's local time) and were not shown before become a notification — one per task, or one
//! for all when more than three come due at once — where the user allowed notifications. Tasks
//! already overdue when a session starts are not announced (the "My day" badge counts them).
//! Which ones were shown is kept on this device (`kehu.reminded`, the latest 500 ids).

use crate::app::i18n::*;
use crate::app::state::AppState;
use crate::app::ui::dom::{fill, fill_count};
use crate::shell::notify::{Permission, permission, show};
use leptos::prelude::*;

const KEY: &str = "kehu.reminded";
const KEEP: usize = 500;
/// More at once than this: one notification for all of them.
const ONE_BY_ONE: usize = 3;

fn reminded() -> Vec<String> {
    crate::shell::storage::local_get(KEY).and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default()
}

fn remember(mut ids: Vec<String>) {
    if ids.len() > KEEP {
        ids.drain(..ids.len() - KEEP);
    }
    if let Ok(text) = serde_json::to_string(&ids) {
        crate::shell::storage::local_set(KEY, Some(&text));
    }
}

/// Starts the minute-by-minute check for this page's life.
pub fn start(app: AppState) {
    let i18n = use_i18n();
    let first = StoredValue::new(true);
    let check = move || {
        if permission() != Permission::Granted || app.phase.with_untracked(|p| *p != crate::app::state::Phase::Ready) {
            return;
        }
        let l = i18n.get_locale_untracked();
        let me = super::me();
        let offset = crate::shell::clock::utc_offset_minutes();
        let local_now = (crate::shell::clock::now() + chrono::Duration::minutes(i64::from(offset))).naive_utc();
        let mut already = reminded();
        let due: Vec<(String, String, String)> = app.workspace.with_untracked(|w| {
            crate::core::tasks::due_reminders(w, &me, local_now, &already)
                .into_iter()
                .filter_map(|i| w.data.tasks.get(i))
                .map(|t| {
                    let who = w.customer(&t.customer_id).map(|c| c.name.clone()).unwrap_or_default();
                    (t.id.clone(), t.title.clone(), format!("{who} · {}", crate::app::ui::tasks::due_text(t)))
                })
                .collect()
        });
        // Overdue before this session began: counted by the badge, not announced.
        let today = local_now.date();
        let (old, new): (Vec<_>, Vec<_>) = if first.get_value() {
            let dates = app.workspace.with_untracked(|w| {
                due.iter()
                    .map(|(id, _, _)| w.get(crate::core::model::Entity::Tasks, id))
                    .map(|r| match r {
                        Some(crate::core::record::Record::Tasks(t)) => t.due_date.is_some_and(|d| d < today),
                        _ => true,
                    })
                    .collect::<Vec<_>>()
            });
            due.into_iter().zip(dates).partition(|(_, old)| *old)
        } else {
            (Vec::new(), due.into_iter().map(|d| (d, false)).collect())
        };
        first.set_value(false);
        let url = crate::app::paths::href("/service");
        if new.len() > ONE_BY_ONE {
            let n = new.len();
            let title = fill_count(
                td_string!(l, reminder_many_one),
                td_string!(l, reminder_many),
                n,
                &[("count", &n.to_string())],
            );
            show(&title, td_string!(l, reminder_open_my_day), "kehu-tasks", &url);
        } else {
            for ((id, title, body), _) in &new {
                show(&fill(td_string!(l, reminder_title), &[("title", title)]), body, &format!("kehu-task-{id}"), &url);
            }
        }
        if old.is_empty() && new.is_empty() {
            return;
        }
        already.extend(old.into_iter().chain(new).map(|((id, _, _), _)| id));
        remember(already);
    };
    // As soon as the workspace is open, then every minute.
    Effect::new(move |_| {
        if app.phase.with(|p| *p == crate::app::state::Phase::Ready) {
            check();
        }
    });
    if let Ok(h) = set_interval_with_handle(check, std::time::Duration::from_secs(60)) {
        on_cleanup(move || h.clear());
    }
}
