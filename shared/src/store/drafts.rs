//! Editor drafts, one object each: `drafts/{session_id}/{problem_id}.{language}.json`, overwritten as the candidate
//! types. They live beside the session, not in its document, so typing never rewrites the transcript.

use std::sync::Arc;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures::{StreamExt, TryStreamExt, stream};
use serde::{Deserialize, Serialize};

use crate::domain::{EditorLanguage, ProblemId, SessionId, timestamp};
use crate::ports::{KeyPrefix, ObjectKey, ObjectStore, Precondition, StoreError};

/// How many drafts are read at once.
const READ_CONCURRENCY: usize = 8;

/// One draft as stored and as `GET …/drafts` lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Draft {
    pub problem_id: ProblemId,
    pub language: EditorLanguage,
    pub code: String,
    #[serde(with = "timestamp::required")]
    pub updated_at: DateTime<Utc>,
}

/// The drafts of sessions.
#[derive(Clone)]
pub struct DraftStore {
    objects: Arc<dyn ObjectStore>,
}

impl DraftStore {
    pub fn new(objects: Arc<dyn ObjectStore>) -> Self {
        Self { objects }
    }

    /// Writes (or replaces) the draft for its problem and language.
    pub async fn put(&self, session: &SessionId, draft: &Draft) -> Result<(), StoreError> {
        let key = ObjectKey::draft(session, &draft.problem_id, draft.language);
        let body = serde_json::to_vec(draft).map_err(|e| StoreError::Backend {
            key: key.to_string(),
            message: e.to_string(),
        })?;
        self.objects
            .put(&key, Bytes::from(body), Precondition::None)
            .await?;
        Ok(())
    }

    /// Removes one draft (a draft written for a session that was deleted meanwhile).
    pub async fn remove(
        &self,
        session: &SessionId,
        problem: &ProblemId,
        language: EditorLanguage,
    ) -> Result<(), StoreError> {
        self.objects
            .delete(&ObjectKey::draft(session, problem, language))
            .await
    }

    /// Every readable draft of a session, most recently changed first; unreadable objects are skipped and logged.
    pub async fn list(&self, session: &SessionId) -> Result<Vec<Draft>, StoreError> {
        let keys = self.objects.list(&KeyPrefix::drafts(session)).await?;
        let found: Vec<Option<Draft>> = stream::iter(keys)
            .map(|key| async move {
                let Some(object) = self.objects.get(&key).await? else {
                    return Ok::<_, StoreError>(None);
                };
                match serde_json::from_slice::<Draft>(&object.body) {
                    Ok(draft) => Ok(Some(draft)),
                    Err(e) => {
                        tracing::warn!(%key, error = %e, "skipping an unreadable draft");
                        Ok(None)
                    }
                }
            })
            .buffered(READ_CONCURRENCY)
            .try_collect()
            .await?;
        let mut drafts: Vec<Draft> = found.into_iter().flatten().collect();
        drafts.sort_by_key(|d| std::cmp::Reverse(d.updated_at));
        Ok(drafts)
    }
}
