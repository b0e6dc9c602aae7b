//! The backend, as the sync engine sees it (after the REST layer's mapping): pages of records,
//! and single-record reads and writes. Modelled on react-admin's dataProvider.

use crate::core::lenient::ReadNote;
use crate::core::model::Entity;
use crate::core::record::{BadRecord, Record};
use chrono::Duration;
use serde::{Deserialize, Serialize};

/// Where the next page starts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cursor {
    Start,
    /// Page number (1-based), for page/size pagination.
    Page(u64),
    /// Record offset, for offset/limit and range pagination.
    Offset(u64),
    /// An opaque token the backend handed out.
    Token(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageRequest {
    pub cursor: Cursor,
    pub size: u32,
    /// Only records changed at or after this value of the backend's modification field.
    pub modified_since: Option<String>,
    /// Only the records' ids (a complete listing that reconciles), where the backend can say
    /// which fields it sends ([`Remote::lists_ids`]): the page's `ids`.
    pub ids_only: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Page {
    pub records: Vec<Record>,
    /// Items of the page that could not be read as records (not an object, no id): reported,
    /// not fatal.
    pub skipped: Vec<BadRecord>,
    /// What reading found about records of `records` that were not read clean: their data
    /// problems, and times the backend left empty (see [`ReadNote`]). Stored with the records.
    pub notes: Vec<ReadNote>,
    /// Total number of records, when the backend says.
    pub total: Option<u64>,
    /// The following page, or `None` at the end.
    pub next: Option<Cursor>,
    /// The largest modification value seen on the page (the incremental checkpoint).
    pub max_modified: Option<String>,
    /// The ids of an ids-only page.
    pub ids: Vec<String>,
}

/// What can go wrong talking to a backend. Every variant has a translated message in the UI.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemoteError {
    /// No network (the browser is offline).
    Offline,
    /// The browser is online but the server gave no answer (a dropped connection, the host down
    /// or unknown): retried with backoff.
    Unreachable {
        url: String,
    },
    /// The browser blocked the request: the server does not allow this origin (CORS).
    Blocked {
        url: String,
    },
    /// The page's own Content-Security-Policy refused the request: the deployment does not list
    /// this backend's origin in `connect-src` (it derives that list from `config.json`).
    Refused {
        url: String,
    },
    Timeout,
    /// 401 or 403: sign in again (edits are kept).
    Unauthorized {
        status: u16,
    },
    NotFound,
    /// 409 from the server.
    Conflict {
        message: String,
    },
    /// 400/422 with what the server said, per field where it said so.
    Rejected {
        status: u16,
        message: String,
        fields: Vec<(String, String)>,
    },
    /// 429.
    RateLimited {
        retry_after_secs: Option<i64>,
    },
    /// 5xx.
    Server {
        status: u16,
        retry_after_secs: Option<i64>,
    },
    /// Another unexpected status.
    Status {
        status: u16,
    },
    /// An HTML error page, malformed or truncated JSON, or JSON of the wrong shape.
    BadResponse {
        reason: String,
    },
    /// The backend profile cannot express this request.
    Unsupported {
        reason: String,
    },
}

impl RemoteError {
    /// Worth retrying later without any change on our side.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            RemoteError::Offline
                | RemoteError::Unreachable { .. }
                | RemoteError::Timeout
                | RemoteError::RateLimited { .. }
                | RemoteError::Server { .. }
        )
    }

    /// Worth a later run by itself (with backoff): the transient failures, and a refusal by CORS
    /// or the page's policy (which an administrator may fix without anyone touching the device).
    /// Not a lost sign-in: that waits for the user.
    pub fn retried_later(&self) -> bool {
        self.is_transient() || matches!(self, RemoteError::Blocked { .. } | RemoteError::Refused { .. })
    }

    /// Stops the whole sync: nothing else will work until the user or the network acts.
    pub fn stops_sync(&self) -> bool {
        matches!(
            self,
            RemoteError::Offline
                | RemoteError::Unreachable { .. }
                | RemoteError::Blocked { .. }
                | RemoteError::Refused { .. }
                | RemoteError::Unauthorized { .. }
        )
    }

    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            RemoteError::RateLimited { retry_after_secs: Some(s) }
            | RemoteError::Server { retry_after_secs: Some(s), .. } => Some(Duration::seconds(*s)),
            _ => None,
        }
    }
}

impl std::fmt::Display for RemoteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RemoteError::Offline => write!(f, "offline"),
            RemoteError::Unreachable { url } => write!(f, "{url} could not be reached"),
            RemoteError::Blocked { url } => write!(f, "request to {url} blocked by the browser (CORS)"),
            RemoteError::Refused { url } => {
                write!(f, "request to {url} refused by the page's Content-Security-Policy (connect-src)")
            }
            RemoteError::Timeout => write!(f, "timed out"),
            RemoteError::Unauthorized { status } => write!(f, "not authorised ({status})"),
            RemoteError::NotFound => write!(f, "not found (404)"),
            RemoteError::Conflict { message } => write!(f, "conflict (409): {message}"),
            RemoteError::Rejected { status, message, .. } => write!(f, "rejected ({status}): {message}"),
            RemoteError::RateLimited { .. } => write!(f, "too many requests (429)"),
            RemoteError::Server { status, .. } => write!(f, "server error ({status})"),
            RemoteError::Status { status } => write!(f, "unexpected status {status}"),
            RemoteError::BadResponse { reason } => write!(f, "bad response: {reason}"),
            RemoteError::Unsupported { reason } => write!(f, "unsupported: {reason}"),
        }
    }
}

/// A backend. Implementations must not panic on any response.
#[allow(async_fn_in_trait)]
pub trait Remote {
    /// The entities this backend has (in pull order: customers before their records).
    fn entities(&self) -> Vec<Entity>;
    /// Whether lists can be filtered by modification time (incremental pulls).
    fn incremental(&self, entity: Entity) -> bool;
    /// Records per page to ask for.
    fn page_size(&self) -> u32 {
        200
    }
    /// Whether lists can be asked for ids only (a cheap complete listing).
    fn lists_ids(&self, _entity: Entity) -> bool {
        false
    }
    /// Whether sending a create again after its answer was lost cannot make a second record:
    /// the backend keeps the client's id (so the record can be looked up by it) or de-duplicates
    /// by the idempotency key. Otherwise the engine looks for it by content first.
    fn create_is_idempotent(&self, _entity: Entity) -> bool {
        true
    }
    async fn list(&self, entity: Entity, request: &PageRequest) -> Result<Page, RemoteError>;
    /// `Ok(None)` when the record does not exist.
    async fn get(&self, entity: Entity, id: &str) -> Result<Option<Record>, RemoteError>;
    /// Creates the record (with its client-generated id where the backend accepts one) and
    /// returns the server's version, whose id may differ. `op_id` is the operation's
    /// idempotency key, the same on every retry (sent where the backend profile says how).
    /// `Ok(None)`: created, but the answer does not say which record it is (a backend that
    /// assigns ids and answers a create with a message only); the engine finds it by its
    /// content in the listing, as a create whose answer was lost.
    async fn create(&self, record: &Record, op_id: &str) -> Result<Option<Record>, RemoteError>;
    /// Writes the record; `changed` names the fields that differ from the server's version.
    async fn update(&self, record: &Record, changed: &[String]) -> Result<Record, RemoteError>;
    async fn delete(&self, entity: Entity, id: &str) -> Result<(), RemoteError>;
}
