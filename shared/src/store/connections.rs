//! WebSocket connections and the session each is bound to: `connections/{hex(connection_id)}.json`.
//!
//! API Gateway runs a socket's `$default` messages concurrently, one invocation each, so the record is changed only
//! by conditional writes on the version that was read, retried by re-reading and re-applying the change — like
//! sessions. That is what makes `speech_end` transcribe an utterance exactly once, and a `speech_start` racing the
//! previous `speech_end` leave both answers intact.

use std::sync::Arc;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::sessions::RetryPolicy;
use crate::domain::{ConnectionId, Identity, SessionId, UtteranceId, timestamp};
use crate::ports::{ObjectKey, ObjectStore, Precondition, StoreError};

/// What `$connect` learned and later messages need: whose connection it is, which session it speaks for, and the
/// spoken answers in progress on it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConnectionRecord {
    pub connection_id: String,
    pub session_id: SessionId,
    pub sub: String,
    #[serde(default)]
    pub groups: Vec<String>,
    #[serde(with = "timestamp::required")]
    pub connected_at: DateTime<Utc>,
    /// The most recent utterances, oldest first (at most [`MAX_UTTERANCES_KEPT`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub utterances: Vec<Utterance>,
}

/// How many utterances a record remembers: enough that a late `audio` or a repeated `speech_end` still finds its
/// utterance after the candidate has started the next one.
pub const MAX_UTTERANCES_KEPT: usize = 6;

/// One spoken answer on a connection.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Utterance {
    pub id: UtteranceId,
    /// The client's own number for it (`utterance` on `speech_start`, `audio` and `speech_end`), which ties
    /// messages to their answer whatever order API Gateway delivers them in. Absent for clients that send none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_seq: Option<u32>,
    #[serde(with = "timestamp::required")]
    pub started_at: DateTime<Utc>,
    pub state: UtteranceState,
}

/// Where an utterance is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UtteranceState {
    /// Chunks are arriving.
    Open,
    /// A `speech_end` took it: it is being (or has been) transcribed, by that invocation only. Late chunks are
    /// still stored beside the others.
    Ended,
    /// Replaced by a newer `speech_start` before it ended; its chunks are discarded.
    Abandoned,
}

impl ConnectionRecord {
    /// The caller this connection was opened by.
    pub fn identity(&self) -> Option<Identity> {
        Identity::new(self.sub.clone(), self.groups.clone()).ok()
    }

    /// The utterance a message names: by the client's number when it sends one, else the newest.
    pub fn utterance(&self, client_seq: Option<u32>) -> Option<&Utterance> {
        match client_seq {
            Some(n) => self
                .utterances
                .iter()
                .rev()
                .find(|u| u.client_seq == Some(n)),
            None => self.utterances.last(),
        }
    }

    fn utterance_mut(&mut self, client_seq: Option<u32>) -> Option<&mut Utterance> {
        match client_seq {
            Some(n) => self
                .utterances
                .iter_mut()
                .rev()
                .find(|u| u.client_seq == Some(n)),
            None => self.utterances.last_mut(),
        }
    }

    /// `speech_start`: opens a new utterance. Without client numbers, an open utterance is abandoned by the next
    /// start (its chunks are returned for discarding); with them, an earlier open utterance is left alone — its
    /// `speech_end` may simply not have been handled yet. A start whose number is already known is a repeat.
    pub fn start_utterance(
        &mut self,
        id: UtteranceId,
        client_seq: Option<u32>,
        now: DateTime<Utc>,
    ) -> UtteranceStart {
        if client_seq.is_some() && self.utterance(client_seq).is_some() {
            return UtteranceStart::Repeated;
        }
        let mut abandoned = Vec::new();
        for u in &mut self.utterances {
            let stale = (now - u.started_at).num_seconds() > ABANDON_AFTER_SECONDS;
            if u.state == UtteranceState::Open && (client_seq.is_none() || stale) {
                u.state = UtteranceState::Abandoned;
                abandoned.push(u.id.clone());
            }
        }
        self.utterances.push(Utterance {
            id,
            client_seq,
            started_at: now,
            state: UtteranceState::Open,
        });
        if self.utterances.len() > MAX_UTTERANCES_KEPT {
            let excess = self.utterances.len() - MAX_UTTERANCES_KEPT;
            for old in self.utterances.drain(..excess) {
                if old.state == UtteranceState::Open {
                    abandoned.push(old.id);
                }
            }
        }
        UtteranceStart::Opened { abandoned }
    }

    /// `speech_end`: open → ended, exactly once per utterance.
    pub fn end_utterance(&mut self, client_seq: Option<u32>) -> UtteranceEnd {
        match self.utterance_mut(client_seq) {
            None => UtteranceEnd::Unknown,
            Some(u) => match u.state {
                UtteranceState::Open => {
                    u.state = UtteranceState::Ended;
                    UtteranceEnd::Ended(u.id.clone())
                }
                UtteranceState::Ended => UtteranceEnd::AlreadyEnded,
                UtteranceState::Abandoned => UtteranceEnd::Unknown,
            },
        }
    }
}

/// An open utterance older than this (longer than any allowed answer, plus slack) is abandoned by the next start.
const ABANDON_AFTER_SECONDS: i64 = 150;

/// What [`ConnectionRecord::start_utterance`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UtteranceStart {
    /// A new utterance is open; these older ones were abandoned and their chunks should go.
    Opened { abandoned: Vec<UtteranceId> },
    /// The same start arrived twice.
    Repeated,
}

/// What [`ConnectionRecord::end_utterance`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UtteranceEnd {
    /// This call ended it and must transcribe it.
    Ended(UtteranceId),
    /// Another `speech_end` ended it already.
    AlreadyEnded,
    /// No such utterance (never started, or abandoned).
    Unknown,
}

/// What can go wrong with a connection record.
#[derive(Debug, thiserror::Error)]
pub enum ConnectionStoreError {
    /// The connection is not (or no longer) bound to a session.
    #[error("connection {0} is not bound to a session")]
    NotConnected(String),
    /// Concurrent messages kept colliding beyond the retry budget.
    #[error("connection {0} is being changed by too many messages at once")]
    Contention(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Connection records over the object store.
#[derive(Clone)]
pub struct ConnectionStore {
    objects: Arc<dyn ObjectStore>,
    retry: RetryPolicy,
}

impl ConnectionStore {
    pub fn new(objects: Arc<dyn ObjectStore>) -> Self {
        Self {
            objects,
            retry: RetryPolicy::default(),
        }
    }

    /// Binds a new connection (a connection id is never reused, so it must not exist yet).
    pub async fn create(
        &self,
        id: &ConnectionId,
        record: &ConnectionRecord,
    ) -> Result<(), ConnectionStoreError> {
        let key = ObjectKey::connection(id);
        match self
            .objects
            .put(&key, encode(&key, record)?, Precondition::IfAbsent)
            .await
        {
            // A connection id is never reused: a record already there is this very write, landed on an earlier
            // attempt whose answer was lost.
            Ok(_) | Err(StoreError::PreconditionFailed { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// The record of a live connection, if any.
    pub async fn load(
        &self,
        id: &ConnectionId,
    ) -> Result<Option<ConnectionRecord>, ConnectionStoreError> {
        Ok(self.read(id).await?.map(|(record, _)| record))
    }

    async fn read(
        &self,
        id: &ConnectionId,
    ) -> Result<Option<(ConnectionRecord, crate::ports::ETag)>, ConnectionStoreError> {
        let key = ObjectKey::connection(id);
        let Some(object) = self.objects.get(&key).await? else {
            return Ok(None);
        };
        let record = serde_json::from_slice(&object.body).map_err(|e| StoreError::Backend {
            key: key.to_string(),
            message: format!("unreadable connection record: {e}"),
        })?;
        Ok(Some((record, object.etag)))
    }

    /// Read-modify-write with `If-Match`, retried on fresh state: `change` may run several times and must depend
    /// only on the record it is given.
    pub async fn update<T>(
        &self,
        id: &ConnectionId,
        mut change: impl FnMut(&mut ConnectionRecord) -> T,
    ) -> Result<T, ConnectionStoreError> {
        let key = ObjectKey::connection(id);
        for attempt in 0..self.retry.max_attempts {
            let Some((mut record, etag)) = self.read(id).await? else {
                return Err(ConnectionStoreError::NotConnected(id.to_string()));
            };
            let outcome = change(&mut record);
            match self
                .objects
                .put(&key, encode(&key, &record)?, Precondition::IfMatch(etag))
                .await
            {
                Ok(_) => return Ok(outcome),
                Err(StoreError::PreconditionFailed { .. }) => {
                    tokio::time::sleep(self.retry.delay(attempt)).await;
                }
                Err(other) => return Err(other.into()),
            }
        }
        Err(ConnectionStoreError::Contention(id.to_string()))
    }

    /// Forgets a connection.
    pub async fn remove(&self, id: &ConnectionId) -> Result<(), ConnectionStoreError> {
        Ok(self.objects.delete(&ObjectKey::connection(id)).await?)
    }
}

fn encode(key: &ObjectKey, record: &ConnectionRecord) -> Result<Bytes, StoreError> {
    serde_json::to_vec(record)
        .map(Bytes::from)
        .map_err(|e| StoreError::Backend {
            key: key.to_string(),
            message: e.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> ConnectionRecord {
        ConnectionRecord {
            connection_id: "c".into(),
            session_id: SessionId::new_random(),
            sub: "u".into(),
            groups: vec![],
            connected_at: Utc::now(),
            utterances: vec![],
        }
    }

    #[test]
    fn an_utterance_ends_once() {
        let mut r = record();
        let id = UtteranceId::new();
        r.start_utterance(id.clone(), Some(0), Utc::now());
        assert_eq!(r.end_utterance(Some(0)), UtteranceEnd::Ended(id));
        assert_eq!(r.end_utterance(Some(0)), UtteranceEnd::AlreadyEnded);
        assert_eq!(r.end_utterance(Some(7)), UtteranceEnd::Unknown);
    }

    #[test]
    fn numbered_starts_leave_an_earlier_open_answer_alone() {
        let mut r = record();
        let (first, second) = (UtteranceId::new(), UtteranceId::new());
        r.start_utterance(first.clone(), Some(0), Utc::now());
        // The next answer's start is handled before the first answer's end.
        assert_eq!(
            r.start_utterance(second.clone(), Some(1), Utc::now()),
            UtteranceStart::Opened { abandoned: vec![] }
        );
        assert_eq!(
            r.start_utterance(UtteranceId::new(), Some(1), Utc::now()),
            UtteranceStart::Repeated
        );
        assert_eq!(r.end_utterance(Some(0)), UtteranceEnd::Ended(first));
        assert_eq!(r.end_utterance(Some(1)), UtteranceEnd::Ended(second));
    }

    #[test]
    fn unnumbered_starts_abandon_the_open_answer() {
        let mut r = record();
        let first = UtteranceId::new();
        r.start_utterance(first.clone(), None, Utc::now());
        assert_eq!(
            r.start_utterance(UtteranceId::new(), None, Utc::now()),
            UtteranceStart::Opened {
                abandoned: vec![first]
            }
        );
        for _ in 0..MAX_UTTERANCES_KEPT * 2 {
            r.start_utterance(UtteranceId::new(), None, Utc::now());
        }
        assert_eq!(r.utterances.len(), MAX_UTTERANCES_KEPT);
    }
}
