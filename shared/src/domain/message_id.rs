//! The client's own id for a candidate message, so a message sent again after an error is recognised.
//!
//! A write can land while its acknowledgement is lost (a connection reset after S3 applied it, every retry then
//! refused): the client is told the answer failed and sends it again. With an id the second copy is the first one,
//! not a second answer — it is answered if the first never was, and the reply it already got is sent again if it
//! was.

use std::fmt;

use serde::{Deserialize, Serialize};

/// 1–64 characters of `[A-Za-z0-9_-]` (a UUID fits), chosen by the client, unique within its session.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MessageId(String);

/// Why a message id was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("id must be 1–64 letters, digits, dashes or underscores (got {0:?})")]
pub struct InvalidMessageId(String);

impl MessageId {
    pub fn parse(raw: &str) -> Result<Self, InvalidMessageId> {
        let ok = (1..=64).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err(InvalidMessageId(raw.chars().take(80).collect()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for MessageId {
    type Error = InvalidMessageId;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<MessageId> for String {
    fn from(id: MessageId) -> Self {
        id.0
    }
}

impl fmt::Display for MessageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_and_short_ids_parse_and_anything_else_is_refused() {
        for good in ["0b6f2c1e-8d3a-4f7e-9a51-2f0c3d4e5f60", "m1", "a_b-C"] {
            assert_eq!(MessageId::parse(good).unwrap().as_str(), good);
        }
        for bad in ["", "a b", "../x", "é", &"x".repeat(65), "a/b"] {
            assert!(MessageId::parse(bad).is_err(), "{bad:?}");
        }
        assert!(serde_json::from_str::<MessageId>("\"x y\"").is_err());
    }
}
