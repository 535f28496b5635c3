//! The storage port: a bucket of objects with conditional writes, which S3 and a local directory both provide.

use async_trait::async_trait;
use bytes::Bytes;

use super::{KeyPrefix, ObjectKey};

/// An opaque version tag; equal tags mean equal content. S3's ETag, or a content hash on the filesystem.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ETag(pub String);

/// An object's bytes together with the version they were read at, for a later `If-Match` write.
#[derive(Clone, Debug)]
pub struct StoredObject {
    pub body: Bytes,
    pub etag: ETag,
}

/// When a write may happen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Precondition {
    /// Always (last writer wins): only for objects no two writers share.
    None,
    /// Only if no object exists at the key (`If-None-Match: *`).
    IfAbsent,
    /// Only if the object is still at this version (`If-Match: <etag>`).
    IfMatch(ETag),
}

/// What can go wrong talking to storage.
#[derive(Clone, Debug, thiserror::Error)]
pub enum StoreError {
    /// The condition did not hold: someone else wrote first. Callers re-read and retry.
    #[error("the object at {key} changed or already exists")]
    PreconditionFailed { key: String },
    /// The backend failed; the message is for logs, never for a response.
    #[error("storage backend failed on {key}: {message}")]
    Backend { key: String, message: String },
    /// The backend answered "not now" (throttling, a 5xx, a timeout, a dropped connection) and kept answering it
    /// through the client's retries; the same request may succeed later. Whether a write that ends here landed is
    /// unknown, so writers read back before reporting it.
    #[error("storage is unavailable for {key}: {message}")]
    Unavailable { key: String, message: String },
    /// The disk is full (`ENOSPC`, or a quota): nothing was written, and nothing more can be until space is freed.
    #[error("no space left to store {key}")]
    OutOfSpace { key: String },
}

/// A flat namespace of objects addressed by validated keys.
///
/// Keys are only built from parsed domain values (see [`ObjectKey`]), so an adapter never sees request text.
#[async_trait]
pub trait ObjectStore: Send + Sync {
    /// The object and its version, or `None` when there is none.
    async fn get(&self, key: &ObjectKey) -> Result<Option<StoredObject>, StoreError>;

    /// Writes the whole object if `precondition` holds, returning the new version.
    async fn put(
        &self,
        key: &ObjectKey,
        body: Bytes,
        precondition: Precondition,
    ) -> Result<ETag, StoreError>;

    /// Removes the object; removing what is not there is not an error.
    async fn delete(&self, key: &ObjectKey) -> Result<(), StoreError>;

    /// Every key under `prefix`, in lexicographic order.
    async fn list(&self, prefix: &KeyPrefix) -> Result<Vec<ObjectKey>, StoreError>;

    /// Removes everything under `prefix`, returning how many objects went.
    async fn delete_prefix(&self, prefix: &KeyPrefix) -> Result<usize, StoreError> {
        let keys = self.list(prefix).await?;
        for key in &keys {
            self.delete(key).await?;
        }
        Ok(keys.len())
    }
}
