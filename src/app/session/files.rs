//! Attachments of the open workspace (form drafts' photos), in its IndexedDB `files` store, and
//! its small settings kept with its data (the exchange rates), in its `meta` store.

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

/// A setting of the open workspace kept in its IndexedDB `meta` store (`None`: none saved, no
/// workspace open, or the cache could not be read).
pub async fn get_meta(key: &str) -> Option<String> {
    let rt = runtime()?;
    rt.cache.get_meta(key).await.ok().flatten()
}

/// Stores (or with `None` deletes) a setting of the open workspace in its `meta` store.
pub async fn set_meta(key: &str, value: Option<&str>) -> Result<(), crate::core::sync::local::LocalError> {
    let rt = runtime().ok_or(crate::core::sync::local::LocalError::Storage("no workspace is open".into()))?;
    rt.cache.set_meta(key, value).await
}

/// Whether the open workspace is the demo (no backend profile).
pub fn is_demo() -> bool {
    runtime().is_some_and(|rt| rt.profile.is_none())
}
