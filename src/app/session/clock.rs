//! The session's edit clock: which records were edited locally (here, or announced by another
//! tab) since a read began, so that a sync run's or another tab's older copy never replaces a
//! newer local edit on screen.

use crate::core::model::Entity;
use crate::core::record::Change;
use std::cell::RefCell;

thread_local! {
    /// Counts local edits (this tab's saves, and other tabs' edits as they are announced).
    pub(super) static EDIT_CLOCK: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    /// The clock's value at each record's last local edit.
    pub(super) static EDITED: RefCell<std::collections::HashMap<(Entity, String), u64>> = RefCell::new(Default::default());
}

/// The edit clock now: work that reads records (a sync run, another tab's message) notes it
/// before it starts, and [`not_edited_since`] drops what it read for records edited meanwhile.
pub(super) fn edit_clock() -> u64 {
    EDIT_CLOCK.with(std::cell::Cell::get)
}

/// Notes a local edit of these records, before it is written: anything read before it (a sync
/// run's pulled version, another tab's record) is older than the edit, and never replaces it on
/// screen. (The cache itself is safe by its transactions: a pull never overwrites a record with
/// a waiting edit.)
pub(super) fn note_edit(keys: impl IntoIterator<Item = (Entity, String)>) {
    let now = EDIT_CLOCK.with(|c| {
        c.set(c.get() + 1);
        c.get()
    });
    EDITED.with(|e| {
        let mut e = e.borrow_mut();
        for k in keys {
            e.insert(k, now);
        }
    });
}

/// `changes` read from the cache or the server while the clock was at `since`, without the
/// records edited locally since then (what the screen shows of those is newer).
pub(super) fn not_edited_since(since: u64, changes: Vec<Change>) -> Vec<Change> {
    if edit_clock() == since {
        return changes;
    }
    EDITED.with(|e| {
        let e = e.borrow();
        changes
            .into_iter()
            .filter(|c| {
                let (entity, id) = c.key();
                e.get(&(entity, id.to_string())).is_none_or(|&at| at <= since)
            })
            .collect()
    })
}

/// `changes` read while the clock was at `since`, split into those of records not edited
/// locally since, and the keys of those that were.
pub(super) fn split_edited(since: u64, changes: Vec<Change>) -> (Vec<Change>, Vec<(Entity, String)>) {
    if edit_clock() == since {
        return (changes, Vec::new());
    }
    EDITED.with(|e| {
        let e = e.borrow();
        let mut keep = Vec::with_capacity(changes.len());
        let mut edited: Vec<(Entity, String)> = Vec::new();
        for c in changes {
            let (entity, id) = c.key();
            let k = (entity, id.to_string());
            if e.get(&k).is_some_and(|&at| at > since) {
                if !edited.contains(&k) {
                    edited.push(k);
                }
            } else {
                keep.push(c);
            }
        }
        (keep, edited)
    })
}
