//! Attachments of the open workspace (form drafts' photos), in its IndexedDB `files` store.

use super::runtime;

/// An attachment of the open workspace (a form draft's photos) from its IndexedDB `files` store.
pub async fn get_file(key: &str) -> Option<String> {
    let rt = runtime()?;
    rt.cache.get_file(key).await.ok().flatten()
}

/// Stores (or with `None` deletes) an attachment of the open workspace.
pub async fn set_file(key: &str, value: Option<&str>) -> Result<(), crate::core::sync::local::LocalError> {
    let rt = runtime().ok_or(crate::core::sync::local::LocalError::Storage("no workspace is open".into()))?;
    rt.cache.set_file(key, value).await
}
