//! WebSocket connections and the session each is bound to: `connections/{connection_id}.json`.

use std::fmt;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{Identity, SessionId, timestamp};
use crate::ports::{ObjectStore, Precondition, StoreError};
use crate::store::ObjectKey;
use crate::voice::UtteranceId;

/// A connection id as API Gateway (base64-like) or the local server (hex) issues it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ConnectionId(String);

impl ConnectionId {
    /// 1–128 characters of `[A-Za-z0-9+/=_-]`.
    pub fn parse(raw: &str) -> Option<Self> {
        let ok = (1..=128).contains(&raw.len())
            && raw.bytes().all(|b| {
                b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'_' | b'-')
            });
        ok.then(|| Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key for this connection's record; the id is hex-encoded because `/` and `+` are not key-safe.
    pub fn key(&self) -> ObjectKey {
        ObjectKey::connection(&hex::encode(self.0.as_bytes()))
    }
}

impl fmt::Display for ConnectionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What `$connect` learned and later messages need: whose connection it is and which session it speaks for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConnectionRecord {
    pub connection_id: String,
    pub session_id: SessionId,
    pub sub: String,
    #[serde(default)]
    pub groups: Vec<String>,
    #[serde(with = "timestamp::required")]
    pub connected_at: DateTime<Utc>,
    /// The utterance being spoken, between `speech_start` and `speech_end`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utterance: Option<OpenUtterance>,
}

/// An utterance in progress on a connection.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OpenUtterance {
    pub id: UtteranceId,
    #[serde(with = "timestamp::required")]
    pub started_at: DateTime<Utc>,
    /// Set by `speech_end`. The utterance stays on the record so chunks still in flight (handled by other
    /// invocations) land beside the others while it is being read back; a second `speech_end` finds it ended.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "timestamp::optional"
    )]
    pub ended_at: Option<DateTime<Utc>>,
}

impl ConnectionRecord {
    /// The caller this connection was opened by.
    pub fn identity(&self) -> Option<Identity> {
        Identity::new(self.sub.clone(), self.groups.clone()).ok()
    }
}

/// Saves the record (a connection id is never reused, so no precondition is needed).
pub async fn save(
    objects: &dyn ObjectStore,
    id: &ConnectionId,
    record: &ConnectionRecord,
) -> Result<(), StoreError> {
    let body = serde_json::to_vec(record).map_err(|e| StoreError::Backend {
        key: id.key().to_string(),
        message: e.to_string(),
    })?;
    objects
        .put(&id.key(), Bytes::from(body), Precondition::None)
        .await?;
    Ok(())
}

/// The record of a live connection, if any.
pub async fn load(
    objects: &dyn ObjectStore,
    id: &ConnectionId,
) -> Result<Option<ConnectionRecord>, StoreError> {
    let Some(object) = objects.get(&id.key()).await? else {
        return Ok(None);
    };
    serde_json::from_slice(&object.body)
        .map(Some)
        .map_err(|e| StoreError::Backend {
            key: id.key().to_string(),
            message: format!("unreadable connection record: {e}"),
        })
}

/// Forgets a connection.
pub async fn remove(objects: &dyn ObjectStore, id: &ConnectionId) -> Result<(), StoreError> {
    objects.delete(&id.key()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_gateway_ids_parse_and_make_safe_keys() {
        let id = ConnectionId::parse("L0SM9cOFvHcCIhw=").unwrap();
        assert_eq!(
            id.key().as_str(),
            format!("connections/{}.json", hex::encode("L0SM9cOFvHcCIhw="))
        );
        let slashy = ConnectionId::parse("a/b+c=").unwrap();
        assert!(!slashy.key().as_str()["connections/".len()..].contains('/'));
        assert!(ConnectionId::parse("").is_none());
        assert!(ConnectionId::parse("a b").is_none());
        assert!(ConnectionId::parse("../x").is_none());
    }
}
