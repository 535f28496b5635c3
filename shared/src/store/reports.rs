//! End-of-interview reports: `reports/{session_id}/performance_report.json` (seed layout), written once.

use std::sync::Arc;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{SessionId, timestamp};
use crate::ports::{ObjectKey, ObjectStore, Precondition, StoreError};
use crate::tools::performance_evaluator::PerformanceReport;

/// What the report object holds: the evaluator's report (camelCase, as the tool returns it) with when the
/// interview ended and when the report was made.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredReport {
    #[serde(flatten)]
    pub report: PerformanceReport,
    #[serde(with = "timestamp::required")]
    pub ended_at: DateTime<Utc>,
    #[serde(with = "timestamp::required")]
    pub generated_at: DateTime<Utc>,
}

/// Reports over the object store.
#[derive(Clone)]
pub struct ReportStore {
    objects: Arc<dyn ObjectStore>,
}

impl ReportStore {
    pub fn new(objects: Arc<dyn ObjectStore>) -> Self {
        Self { objects }
    }

    /// Writes the report unless one is stored already, and returns the stored one: the first report written
    /// wins, so concurrent or repeated ends agree on one report.
    pub async fn put_first(
        &self,
        id: &SessionId,
        report: StoredReport,
    ) -> Result<StoredReport, StoreError> {
        let key = ObjectKey::performance_report(id);
        let body = serde_json::to_vec(&report).map_err(|e| StoreError::Backend {
            key: key.to_string(),
            message: format!("report did not serialise: {e}"),
        })?;
        match self
            .objects
            .put(&key, Bytes::from(body), Precondition::IfAbsent)
            .await
        {
            Ok(_) => Ok(report),
            Err(StoreError::PreconditionFailed { .. }) => {
                self.get(id).await?.ok_or_else(|| StoreError::Backend {
                    key: key.to_string(),
                    message: "the report vanished while ending".into(),
                })
            }
            Err(e) => Err(e),
        }
    }

    /// The stored report of a session, if any.
    pub async fn get(&self, id: &SessionId) -> Result<Option<StoredReport>, StoreError> {
        let key = ObjectKey::performance_report(id);
        let Some(object) = self.objects.get(&key).await? else {
            return Ok(None);
        };
        serde_json::from_slice(&object.body)
            .map(Some)
            .map_err(|e| StoreError::Backend {
                key: key.to_string(),
                message: format!("stored report is unreadable: {e}"),
            })
    }

    /// Removes a report written for a session that was deleted meanwhile.
    pub async fn remove(&self, id: &SessionId) -> Result<(), StoreError> {
        self.objects
            .delete(&ObjectKey::performance_report(id))
            .await
    }
}
