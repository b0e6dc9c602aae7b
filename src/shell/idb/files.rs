//! Attachments kept beside the records in the `files` store: a form draft's photos, which are
//! too big for `localStorage`.

use super::{Cache, FILES};
use crate::core::sync::local::LocalError;

/// Attachments kept beside the records in the `files` store (a form draft's photos, which are
/// too big for `localStorage`): text by key.
impl Cache {
    pub async fn get_file(&self, key: &str) -> Result<Option<String>, LocalError> {
        self.get_text(FILES, key).await
    }

    /// Stores (or with `None` deletes) a file; `QuotaExceeded` when the device is full.
    pub async fn set_file(&self, key: &str, value: Option<&str>) -> Result<(), LocalError> {
        self.set_text(FILES, key, value).await
    }
}
