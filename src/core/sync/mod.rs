//! Offline-first sync: the outbox of local edits, three-way field merge, retry timing, and the
//! engine that pushes the outbox and pulls pages, written against two abstract interfaces —
//! [`remote::Remote`] (the backend; the REST layer implements it) and [`local::Local`] (the
//! cache; IndexedDB implements it). Pure: time and randomness come in through [`Env`].

pub mod backoff;
pub mod engine;
pub mod local;
pub mod merge;
pub mod outbox;
pub mod remote;

use crate::core::model::Timestamp;

/// The outside world the engine may consult: the clock and a source of jitter.
pub trait Env {
    fn now(&self) -> Timestamp;
    /// Uniform in `[0, 1)`.
    fn random(&self) -> f64;
}

/// A client-generated id for a new record (UUID v4 text) from 16 random bytes. The same id is
/// sent on every retry of its create, which is what makes retries idempotent.
pub fn new_record_id(random: [u8; 16]) -> String {
    uuid::Builder::from_random_bytes(random).into_uuid().to_string()
}
