//! A decorator over a real adapter that counts calls, to show what an operation costs (not a fake: every call
//! goes through to the adapter underneath).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;
use bytes::Bytes;
use prepai::ports::{ETag, ObjectStore, Precondition, StoreError, StoredObject};
use prepai::store::{KeyPrefix, ObjectKey};

/// Counts gets and lists on the wrapped store.
pub struct CountingStore {
    inner: Arc<dyn ObjectStore>,
    pub gets: AtomicUsize,
    pub lists: AtomicUsize,
}

impl CountingStore {
    pub fn new(inner: Arc<dyn ObjectStore>) -> Self {
        Self {
            inner,
            gets: AtomicUsize::new(0),
            lists: AtomicUsize::new(0),
        }
    }

    /// Zeroes the counters.
    pub fn reset(&self) {
        self.gets.store(0, Ordering::SeqCst);
        self.lists.store(0, Ordering::SeqCst);
    }
}

#[async_trait]
impl ObjectStore for CountingStore {
    async fn get(&self, key: &ObjectKey) -> Result<Option<StoredObject>, StoreError> {
        self.gets.fetch_add(1, Ordering::SeqCst);
        self.inner.get(key).await
    }

    async fn put(
        &self,
        key: &ObjectKey,
        body: Bytes,
        precondition: Precondition,
    ) -> Result<ETag, StoreError> {
        self.inner.put(key, body, precondition).await
    }

    async fn delete(&self, key: &ObjectKey) -> Result<(), StoreError> {
        self.inner.delete(key).await
    }

    async fn list(&self, prefix: &KeyPrefix) -> Result<Vec<ObjectKey>, StoreError> {
        self.lists.fetch_add(1, Ordering::SeqCst);
        self.inner.list(prefix).await
    }
}
