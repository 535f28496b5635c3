//! Session documents over the object-store port: create, read, read-modify-write with conditional writes, list by
//! owner, delete with everything the session owns.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures::{StreamExt, TryStreamExt, stream};

use super::{KeyPrefix, ObjectKey};
use crate::domain::{Identity, Session, SessionId, TranscriptEntry, Transition};
use crate::ports::{ETag, ObjectStore, Precondition, StoreError};

/// What can go wrong with a session document.
#[derive(Debug, thiserror::Error)]
pub enum SessionStoreError {
    /// No such session, or it belongs to someone else: the two are indistinguishable on purpose.
    #[error("session {0} not found")]
    NotFound(SessionId),
    /// Writers kept colliding beyond the retry budget.
    #[error("session {0} is being changed by too many writers at once")]
    Contention(SessionId),
    /// A stored document that no longer parses; needs an operator, not a retry.
    #[error("stored document {key} is unreadable: {message}")]
    Corrupt { key: String, message: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How hard an update tries before giving up with [`SessionStoreError::Contention`].
#[derive(Clone, Copy, Debug)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    /// Enough for dozens of simultaneous writers to one session (a burst of WebSocket messages), with full-jitter
    /// exponential backoff so they spread out instead of colliding again in lockstep.
    fn default() -> Self {
        Self {
            max_attempts: 40,
            base_delay: Duration::from_millis(2),
            max_delay: Duration::from_millis(150),
        }
    }
}

impl RetryPolicy {
    pub(crate) fn delay(&self, attempt: u32) -> Duration {
        let ceiling = self
            .base_delay
            .saturating_mul(1 << attempt.min(16))
            .min(self.max_delay);
        ceiling.mul_f64(fastrand::f64())
    }
}

/// The session repository every handler uses.
#[derive(Clone)]
pub struct SessionStore {
    objects: Arc<dyn ObjectStore>,
    retry: RetryPolicy,
}

/// How many documents a listing reads at once.
const LIST_CONCURRENCY: usize = 16;

impl SessionStore {
    pub fn new(objects: Arc<dyn ObjectStore>) -> Self {
        Self {
            objects,
            retry: RetryPolicy::default(),
        }
    }

    /// Replaces the retry policy (tests use a tight one to provoke contention errors).
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The object store underneath, for features that keep their own objects beside sessions.
    pub fn objects(&self) -> &Arc<dyn ObjectStore> {
        &self.objects
    }

    /// Stores a new session. The owner index entry is written first, so a crash between the two writes leaves at
    /// worst an index entry without a document (skipped by listings), never a session its owner cannot list.
    pub async fn create(&self, session: &Session) -> Result<(), SessionStoreError> {
        let owner = Identity::new(session.owner.clone(), Vec::new())
            .map_err(|e| corrupt(&ObjectKey::session(&session.session_id), e))?
            .owner_key();
        self.objects
            .put(
                &ObjectKey::owner_index(&owner, &session.session_id),
                Bytes::new(),
                Precondition::None,
            )
            .await?;
        self.objects
            .put(
                &ObjectKey::session(&session.session_id),
                encode(session)?,
                Precondition::IfAbsent,
            )
            .await?;
        Ok(())
    }

    /// The session if it exists and belongs to `caller`.
    pub async fn get(
        &self,
        id: &SessionId,
        caller: &Identity,
    ) -> Result<Session, SessionStoreError> {
        match self.read(id).await? {
            Some((session, _)) if session.is_owned_by(caller) => Ok(session),
            _ => Err(SessionStoreError::NotFound(*id)),
        }
    }

    /// Reads a session regardless of owner, with its version; for internal paths that authorise differently
    /// (a WebSocket connection already bound to its session, analytics jobs).
    pub async fn read(&self, id: &SessionId) -> Result<Option<(Session, ETag)>, SessionStoreError> {
        let key = ObjectKey::session(id);
        let Some(object) = self.objects.get(&key).await? else {
            return Ok(None);
        };
        let session =
            serde_json::from_slice::<Session>(&object.body).map_err(|e| corrupt(&key, e))?;
        Ok(Some((session, object.etag)))
    }

    /// Makes `transition` on one session: read, apply `change`, write with `If-Match` on the version read; when
    /// another writer got in first, read again and re-apply `change` to the fresh document (with backoff).
    ///
    /// `change` may run several times (once per attempt) and must be a pure function of the session it is given —
    /// never a value computed from an earlier read. Returning an error from it aborts without writing, and a change
    /// that leaves the session as it was writes nothing.
    ///
    /// Exactly once, even when a write's answer is lost: each attempt writes a token of its own into the
    /// document's [`APPLIED_WRITES`] list, so an attempt refused because an earlier one had in fact landed (its
    /// answer lost to a reset connection, then its retry refused by `If-Match`), or one whose outcome is unknown
    /// (the storage stopped answering), is recognised on the next read by its token, and `change` is not applied
    /// twice — however many other writers got in between, up to the last [`MAX_APPLIED_WRITES`] writes.
    pub async fn update<T, E>(
        &self,
        id: &SessionId,
        caller: &Identity,
        transition: Transition,
        mut change: impl FnMut(&mut Session) -> Result<T, E>,
    ) -> Result<(Session, T), E>
    where
        E: From<SessionStoreError>,
    {
        let key = ObjectKey::session(id);
        let write_id = uuid::Uuid::new_v4().simple().to_string();
        // What each unanswered attempt wrote and returned, by attempt number, should it turn out to have landed.
        let mut unanswered: Vec<Option<(Session, T)>> = Vec::new();
        for attempt in 0..self.retry.max_attempts {
            let (mut session, etag) = match self.read(id).await? {
                Some((s, etag)) if s.is_owned_by(caller) => (s, etag),
                _ => return Err(SessionStoreError::NotFound(*id).into()),
            };
            if let Some(landed) = landed_attempt(&session, &write_id)
                && let Some(done) = unanswered.get_mut(landed).and_then(Option::take)
            {
                return Ok(done);
            }
            let before = session.clone();
            let outcome = change(&mut session)?;
            session.upgrade();
            if session == before {
                // Nothing to write (a repeated end, a resume of what is already open): the document and its
                // version stay as they are, and the versioned bucket keeps no copy of the same bytes.
                return Ok((session, outcome));
            }
            record_write(&mut session, &write_id, attempt);
            let body = encode(&session)?;
            let refused = match self
                .objects
                .put(&key, body, Precondition::IfMatch(etag))
                .await
            {
                Ok(_) => return Ok((session, outcome)),
                Err(e) => e,
            };
            unanswered.resize_with(attempt as usize, || None);
            unanswered.push(Some((session, outcome)));
            match refused {
                StoreError::PreconditionFailed { .. } => {
                    tokio::time::sleep(self.retry.delay(attempt)).await;
                }
                StoreError::Unavailable { .. } | StoreError::Backend { .. } => {
                    // The write may have landed; one more read tells, and otherwise the failure stands.
                    if let Ok(Some((fresh, _))) = self.read(id).await
                        && landed_attempt(&fresh, &write_id) == Some(attempt as usize)
                        && let Some(done) = unanswered.pop().flatten()
                    {
                        return Ok(done);
                    }
                    return Err(SessionStoreError::from(refused).into());
                }
                other => return Err(SessionStoreError::from(other).into()),
            }
        }
        tracing::warn!(
            session_id = %id,
            transition = transition.name(),
            "update gave up after {} attempts",
            self.retry.max_attempts
        );
        Err(SessionStoreError::Contention(*id).into())
    }

    /// Adds one line to the transcript at its place in time order (a plain write, without the interview's
    /// guards — the use cases go through [`crate::app::interview`]; this serves imports and tests).
    pub async fn append_transcript(
        &self,
        id: &SessionId,
        caller: &Identity,
        entry: TranscriptEntry,
    ) -> Result<Session, SessionStoreError> {
        let (session, ()) = self
            .update(id, caller, Transition::AcceptAnswer, |s| {
                s.insert_transcript_entry(entry.clone());
                Ok::<_, SessionStoreError>(())
            })
            .await?;
        Ok(session)
    }

    /// The caller's sessions, newest first. Reads the caller's index entries and their documents only.
    pub async fn list_for_owner(
        &self,
        caller: &Identity,
    ) -> Result<Vec<Session>, SessionStoreError> {
        let index = self
            .objects
            .list(&KeyPrefix::owner_sessions(&caller.owner_key()))
            .await?;
        let ids: Vec<SessionId> = index
            .iter()
            .filter_map(|key| SessionId::parse(key.file_name()).ok())
            .collect();
        let mut sessions: Vec<Session> = stream::iter(ids)
            .map(|id| async move { self.read(&id).await })
            .buffer_unordered(LIST_CONCURRENCY)
            .try_filter_map(|found| async move {
                Ok(found.map(|(s, _)| s).filter(|s| s.is_owned_by(caller)))
            })
            .try_collect()
            .await?;
        sessions.sort_by(|a, b| {
            b.created_at
                .cmp(&a.created_at)
                .then(a.session_id.cmp(&b.session_id))
        });
        Ok(sessions)
    }

    /// Removes everything a session owns — CVs, report, recordings, code runs — then its document and index entry,
    /// in that order, so an interrupted purge leaves a document (marked deleting) that a repeated delete finds and
    /// finishes. Returns how many objects went. The caller has already made the `BeginDelete` transition.
    pub async fn purge(
        &self,
        id: &SessionId,
        owner: &Identity,
    ) -> Result<usize, SessionStoreError> {
        let mut removed = 0;
        for prefix in KeyPrefix::session_data(id) {
            removed += self.objects.delete_prefix(&prefix).await?;
        }
        self.objects.delete(&ObjectKey::session(id)).await?;
        self.objects
            .delete(&ObjectKey::owner_index(&owner.owner_key(), id))
            .await?;
        Ok(removed + 1)
    }

    /// Reads a session being deleted (which [`SessionStore::get`] hides), for a repeated delete to finish it.
    pub async fn get_including_deleting(
        &self,
        id: &SessionId,
        caller: &Identity,
    ) -> Result<Session, SessionStoreError> {
        match self.read(id).await? {
            Some((session, _)) if !session.owner.is_empty() && session.owner == caller.sub() => {
                Ok(session)
            }
            _ => Err(SessionStoreError::NotFound(*id)),
        }
    }
}

/// The session document's list of the latest writes' tokens (`{write id}/{attempt}`), kept among its extra fields
/// so every reader and older deployment carries it through untouched.
pub const APPLIED_WRITES: &str = "applied_writes";
/// How many write tokens a document keeps: far more writers than ever race on one session between a lost answer
/// and its retry (milliseconds to a second or two).
pub const MAX_APPLIED_WRITES: usize = 16;

fn record_write(session: &mut Session, write_id: &str, attempt: u32) {
    let list = session
        .extra
        .entry(APPLIED_WRITES)
        .or_insert_with(|| serde_json::Value::Array(Vec::new()));
    if !list.is_array() {
        *list = serde_json::Value::Array(Vec::new());
    }
    if let serde_json::Value::Array(tokens) = list {
        tokens.push(serde_json::Value::String(format!("{write_id}/{attempt}")));
        let excess = tokens.len().saturating_sub(MAX_APPLIED_WRITES);
        tokens.drain(..excess);
    }
}

/// Which attempt of write `write_id` the document shows as landed, if any.
fn landed_attempt(session: &Session, write_id: &str) -> Option<usize> {
    session
        .extra
        .get(APPLIED_WRITES)?
        .as_array()?
        .iter()
        .filter_map(serde_json::Value::as_str)
        .find_map(|token| {
            token
                .strip_prefix(write_id)?
                .strip_prefix('/')?
                .parse()
                .ok()
        })
}

fn encode(session: &Session) -> Result<Bytes, SessionStoreError> {
    serde_json::to_vec(session)
        .map(Bytes::from)
        .map_err(|e| corrupt(&ObjectKey::session(&session.session_id), e))
}

fn corrupt(key: &ObjectKey, e: impl std::fmt::Display) -> SessionStoreError {
    SessionStoreError::Corrupt {
        key: key.to_string(),
        message: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use async_trait::async_trait;
    use chrono::Utc;

    use super::*;
    use crate::adapters::local::FsObjectStore;
    use crate::domain::{CandidateName, InterviewType, Role, Source};
    use crate::ports::StoredObject;

    /// What the next session write does after it lands: answers normally, or loses its answer.
    #[derive(Clone, Copy, PartialEq)]
    enum AfterLanding {
        Answer,
        /// The answer is lost: the caller hears that storage is unavailable.
        Unavailable,
        /// The answer is lost, the client retries, and meanwhile another writer changes the document: the retry
        /// is refused as someone else's write.
        RefusedAfterAnotherWriter,
    }

    struct LosingAnswers {
        inner: FsObjectStore,
        next: Mutex<AfterLanding>,
    }

    #[async_trait]
    impl ObjectStore for LosingAnswers {
        async fn get(&self, key: &ObjectKey) -> Result<Option<StoredObject>, StoreError> {
            self.inner.get(key).await
        }

        async fn put(
            &self,
            key: &ObjectKey,
            body: Bytes,
            precondition: Precondition,
        ) -> Result<ETag, StoreError> {
            let landed = self.inner.put(key, body, precondition).await?;
            let after = std::mem::replace(&mut *self.next.lock().unwrap(), AfterLanding::Answer);
            match after {
                AfterLanding::Answer => Ok(landed),
                AfterLanding::Unavailable => Err(StoreError::Unavailable {
                    key: key.to_string(),
                    message: "connection reset".into(),
                }),
                AfterLanding::RefusedAfterAnotherWriter => {
                    let current = self.inner.get(key).await?.unwrap();
                    let mut other: Session = serde_json::from_slice(&current.body).unwrap();
                    other.cv_analysis = Some(serde_json::json!({"skills": ["Rust"]}));
                    let body = Bytes::from(serde_json::to_vec(&other).unwrap());
                    self.inner
                        .put(key, body, Precondition::IfMatch(current.etag))
                        .await?;
                    Err(StoreError::PreconditionFailed {
                        key: key.to_string(),
                    })
                }
            }
        }

        async fn delete(&self, key: &ObjectKey) -> Result<(), StoreError> {
            self.inner.delete(key).await
        }

        async fn list(&self, prefix: &KeyPrefix) -> Result<Vec<ObjectKey>, StoreError> {
            self.inner.list(prefix).await
        }
    }

    async fn answer_once_more(after: AfterLanding) -> Session {
        let dir = tempfile::tempdir().unwrap();
        let objects = Arc::new(LosingAnswers {
            inner: FsObjectStore::new(dir.path()),
            next: Mutex::new(AfterLanding::Answer),
        });
        let store = SessionStore::new(objects.clone());
        let owner = Identity::new("ada", vec![]).unwrap();
        let session = Session::new(
            SessionId::new_random(),
            &owner,
            InterviewType::Coding,
            CandidateName::parse("Ada").unwrap(),
            Utc::now(),
        );
        store.create(&session).await.unwrap();
        *objects.next.lock().unwrap() = after;
        let entry = TranscriptEntry {
            role: Role::User,
            text: "a hash map".into(),
            timestamp: Utc::now(),
            source: Source::Text,
            reply_kind: None,
            message_id: None,
            extra: serde_json::Map::new(),
        };
        store
            .append_transcript(&session.session_id, &owner, entry)
            .await
            .expect("the write landed, so it succeeded");
        store.get(&session.session_id, &owner).await.unwrap()
    }

    #[tokio::test]
    async fn a_write_whose_answer_was_lost_is_recognised_not_applied_again() {
        let stored = answer_once_more(AfterLanding::Unavailable).await;
        assert_eq!(stored.transcript.len(), 1);
    }

    #[tokio::test]
    async fn a_landed_write_is_recognised_even_after_another_writer_changed_the_document() {
        let stored = answer_once_more(AfterLanding::RefusedAfterAnotherWriter).await;
        assert_eq!(stored.transcript.len(), 1, "the answer is there once");
        assert!(
            stored.cv_analysis.is_some(),
            "the other writer's change stays"
        );
    }
}
