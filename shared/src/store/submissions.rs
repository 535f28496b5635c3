//! Code runs, one object each: `submissions/{session_id}/{submission_id}.json`. The session document lists them
//! (one short [`SubmissionRef`](crate::domain::SubmissionRef) line per run); the whole record — the code and every
//! test's result, outputs cut to 4 KiB — lives here, so a chat message never rewrites them.

use std::sync::Arc;

use bytes::Bytes;
use futures::{StreamExt, TryStreamExt, stream};

use crate::domain::{SessionId, SubmissionEntry, SubmissionId};
use crate::ports::{ObjectKey, ObjectStore, Precondition, StoreError};
use crate::tools::code_executor::CodeSubmission;

/// How many runs are read at once when a whole session's runs are needed.
const READ_CONCURRENCY: usize = 8;

/// The runs of sessions.
#[derive(Clone)]
pub struct SubmissionStore {
    objects: Arc<dyn ObjectStore>,
}

impl SubmissionStore {
    pub fn new(objects: Arc<dyn ObjectStore>) -> Self {
        Self { objects }
    }

    /// Stores a run once (its id is fresh, so it never exists yet).
    pub async fn put(
        &self,
        session: &SessionId,
        submission: &CodeSubmission,
    ) -> Result<(), StoreError> {
        let key = ObjectKey::submission(session, &submission.submission_id);
        let body = serde_json::to_vec(submission).map_err(|e| StoreError::Backend {
            key: key.to_string(),
            message: e.to_string(),
        })?;
        match self
            .objects
            .put(&key, Bytes::from(body), Precondition::IfAbsent)
            .await
        {
            // The id is fresh and nobody else writes under it: an object already there is this very write, which
            // landed on an earlier attempt whose answer was lost.
            Ok(_) | Err(StoreError::PreconditionFailed { .. }) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// One run, if it exists and is readable.
    pub async fn get(
        &self,
        session: &SessionId,
        id: &SubmissionId,
    ) -> Result<Option<CodeSubmission>, StoreError> {
        let key = ObjectKey::submission(session, id);
        let Some(object) = self.objects.get(&key).await? else {
            return Ok(None);
        };
        serde_json::from_slice(&object.body)
            .map(Some)
            .map_err(|e| StoreError::Backend {
                key: key.to_string(),
                message: format!("unreadable submission: {e}"),
            })
    }

    /// Removes a run that its session did not accept (the interview ended while it ran).
    pub async fn remove(&self, session: &SessionId, id: &SubmissionId) -> Result<(), StoreError> {
        self.objects
            .delete(&ObjectKey::submission(session, id))
            .await
    }

    /// The whole runs a session lists, in its order: referenced ones read from their objects, inline ones (older
    /// documents) parsed in place; entries that are neither are skipped.
    pub async fn resolve(
        &self,
        session: &SessionId,
        entries: &[SubmissionEntry],
    ) -> Result<Vec<CodeSubmission>, StoreError> {
        let found: Vec<Option<CodeSubmission>> = stream::iter(entries.iter().cloned())
            .map(|entry| async move {
                match entry {
                    SubmissionEntry::Ref(r) => self.get(session, &r.submission_id).await,
                    SubmissionEntry::Inline(value) => Ok(CodeSubmission::from_stored(&value)),
                }
            })
            .buffered(READ_CONCURRENCY)
            .try_collect()
            .await?;
        Ok(found.into_iter().flatten().collect())
    }
}
