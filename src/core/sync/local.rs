//! The cache, as the sync engine sees it. Every method is one transaction.

use super::outbox::{EditError, OutboxEntry};
use crate::core::lenient::ReadNote;
use crate::core::model::Entity;
use crate::core::model::Timestamp;
use crate::core::record::Change;
use crate::core::record::Record;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum LocalError {
    /// The device is out of storage: nothing of the failed transaction was written.
    QuotaExceeded,
    /// Any other storage failure, with the browser's message.
    Storage(String),
}

impl std::fmt::Display for LocalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LocalError::QuotaExceeded => write!(f, "storage quota exceeded"),
            LocalError::Storage(m) => write!(f, "storage error: {m}"),
        }
    }
}

/// Why a local edit was not saved: the edit does not fit the record's state (it exists, it is
/// gone, it waits for a conflict to be settled) or the storage failed. Nothing was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveError {
    Edit(EditError),
    Local(LocalError),
}

impl From<LocalError> for SaveError {
    fn from(e: LocalError) -> Self {
        SaveError::Local(e)
    }
}

#[allow(async_fn_in_trait)]
pub trait Local {
    /// Every outbox entry, in push order.
    async fn outbox(&self) -> Result<Vec<OutboxEntry>, LocalError>;
    async fn record(&self, entity: Entity, id: &str) -> Result<Option<Record>, LocalError>;
    /// Ids of every cached record of an entity.
    async fn ids(&self, entity: Entity) -> Result<Vec<String>, LocalError>;
    /// Writes pulled records and removals in one transaction, except for records that have a
    /// local edit waiting in the outbox at that moment (the push merges those). Returns the
    /// changes actually written.
    async fn apply(&self, changes: &[Change]) -> Result<Vec<Change>, LocalError>;
    /// [`Local::apply`] for a page of records read from the backend, with what reading them
    /// found, in the same transaction: each upserted record's data problems are stored with it
    /// (those of its note in `notes`; a record without a note was read clean, and problems
    /// stored for it before are cleared), and the fields a note names as `first_seen` keep the
    /// values of the cached copy when there is one (a time the backend leaves empty stays the
    /// time this device first saw the record, so the record does not look changed on every
    /// pull). Returns the changes actually written, with those values.
    async fn apply_pulled(&self, changes: &[Change], notes: &[ReadNote]) -> Result<Vec<Change>, LocalError>;
    /// The outbox entry at `seq`, as stored now.
    async fn entry(&self, seq: u64) -> Result<Option<OutboxEntry>, LocalError>;
    /// Settles a pushed entry in one transaction: reads it again and applies
    /// [`after_push`](super::outbox::after_push) — removed with the server's `answer` written
    /// when unchanged since the push, else kept (rebased) with the user's newer edit. Returns the
    /// record changes written.
    async fn complete(&self, pushed: &OutboxEntry, answer: &[Change]) -> Result<Vec<Change>, LocalError>;
    /// Stores an entry's new state (sent, attempts, conflict, rejection) with `changes`, in one
    /// transaction, only if the stored entry still has `entry.rev` (the user did not change it
    /// meanwhile). Returns whether it was written.
    async fn update_entry(&self, entry: &OutboxEntry, changes: &[Change]) -> Result<bool, LocalError>;
    /// A created record of `entity` got id `new` from the server: every waiting entry (and its
    /// cached record) that refers to `old` — as its customer, contact, order, source … — now
    /// refers to `new` ([`rename_ref`](super::outbox::rename_ref)), in one transaction. Returns
    /// the record changes written.
    async fn rename_refs(&self, entity: Entity, old: &str, new: &str) -> Result<Vec<Change>, LocalError>;
    async fn checkpoint(&self, entity: Entity) -> Result<Option<String>, LocalError>;
    async fn set_checkpoint(&self, entity: Entity, value: Option<&str>) -> Result<(), LocalError>;
    /// When the entity was last listed completely (reconciled with the server).
    async fn reconciled_at(&self, entity: Entity) -> Result<Option<Timestamp>, LocalError>;
    async fn set_reconciled_at(&self, entity: Entity, at: Option<Timestamp>) -> Result<(), LocalError>;
}
