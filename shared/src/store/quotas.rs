//! Daily quota counters over the object store: `quotas/{owner_key}/{date}.json`, changed by conditional writes
//! (`If-None-Match: *` for a day's first use, `If-Match` after), re-read and re-checked on every collision like a
//! session document, so concurrent requests never spend past the limit together.

use std::sync::Arc;

use bytes::Bytes;
use chrono::NaiveDate;

use super::RetryPolicy;
use crate::domain::{DailyUsage, OwnerKey, QuotaKind};
use crate::ports::{ObjectKey, ObjectStore, Precondition, StoreError};

/// What a spend came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spend {
    /// Counted; `used` is the day's total with it.
    Granted { used: u32 },
    /// Over the limit: nothing was counted; `used` is what the day had.
    Refused { used: u32 },
}

/// Why a counter could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum QuotaStoreError {
    #[error("the quota counter {0} is being changed by too many requests at once")]
    Contention(String),
    #[error("the quota counter {key} is unreadable: {message}")]
    Corrupt { key: String, message: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The counters.
#[derive(Clone)]
pub struct QuotaStore {
    objects: Arc<dyn ObjectStore>,
    retry: RetryPolicy,
}

impl QuotaStore {
    pub fn new(objects: Arc<dyn ObjectStore>) -> Self {
        Self {
            objects,
            retry: RetryPolicy::default(),
        }
    }

    /// One user's use on `day` (nothing yet reads as zero).
    pub async fn usage(
        &self,
        owner: &OwnerKey,
        day: NaiveDate,
    ) -> Result<DailyUsage, QuotaStoreError> {
        let key = ObjectKey::quota(owner, day);
        Ok(self
            .read(&key)
            .await?
            .map(|(usage, _)| usage)
            .unwrap_or_default())
    }

    /// Counts `amount` of `kind` against `limit` for `owner` on `day`, unless that would pass the limit.
    pub async fn spend(
        &self,
        owner: &OwnerKey,
        day: NaiveDate,
        kind: QuotaKind,
        amount: u32,
        limit: u32,
    ) -> Result<Spend, QuotaStoreError> {
        let key = ObjectKey::quota(owner, day);
        for attempt in 0..self.retry.max_attempts {
            let (mut usage, precondition) = match self.read(&key).await? {
                Some((usage, etag)) => (usage, Precondition::IfMatch(etag)),
                None => (DailyUsage::default(), Precondition::IfAbsent),
            };
            if !usage.spend(kind, amount, limit) {
                return Ok(Spend::Refused {
                    used: usage.used(kind),
                });
            }
            let body = serde_json::to_vec(&usage).map_err(|e| QuotaStoreError::Corrupt {
                key: key.to_string(),
                message: e.to_string(),
            })?;
            match self
                .objects
                .put(&key, Bytes::from(body), precondition)
                .await
            {
                Ok(_) => {
                    return Ok(Spend::Granted {
                        used: usage.used(kind),
                    });
                }
                Err(StoreError::PreconditionFailed { .. }) => {
                    tokio::time::sleep(self.retry.delay(attempt)).await;
                }
                Err(other) => return Err(other.into()),
            }
        }
        Err(QuotaStoreError::Contention(key.to_string()))
    }

    async fn read(
        &self,
        key: &ObjectKey,
    ) -> Result<Option<(DailyUsage, crate::ports::ETag)>, QuotaStoreError> {
        let Some(object) = self.objects.get(key).await? else {
            return Ok(None);
        };
        let usage = serde_json::from_slice(&object.body).map_err(|e| QuotaStoreError::Corrupt {
            key: key.to_string(),
            message: e.to_string(),
        })?;
        Ok(Some((usage, object.etag)))
    }
}
