//! Session ids: the only form of a session id that may reach a storage key.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use uuid::Uuid;

/// A session id, always a UUID in its canonical lowercase hyphenated form.
///
/// Parsing is the single gate between a path parameter and a storage key: once a value has this type it is safe to
/// splice into `sessions/{id}.json` and every other prefix, so no handler re-checks it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SessionId(Uuid);

/// Why a string is not a session id.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("session id must be a UUID like 3f2c1a9e-8d4b-4c6a-9e1f-2b3c4d5e6f70, got {shown:?}")]
pub struct InvalidSessionId {
    shown: String,
}

impl SessionId {
    /// A fresh random (v4) id for a new session.
    pub fn new_random() -> Self {
        Self(Uuid::new_v4())
    }

    /// Accepts only the 36-character hyphenated form (any case), so one session has exactly one spelling in keys.
    pub fn parse(raw: &str) -> Result<Self, InvalidSessionId> {
        let invalid = || InvalidSessionId {
            shown: raw.chars().take(64).collect(),
        };
        if raw.len() != 36 {
            return Err(invalid());
        }
        Uuid::try_parse(raw).map(Self).map_err(|_| invalid())
    }
}

impl fmt::Display for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

impl FromStr for SessionId {
    type Err = InvalidSessionId;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for SessionId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for SessionId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_form_is_lowercase() {
        let id = SessionId::parse("3F2C1A9E-8D4B-4C6A-9E1F-2B3C4D5E6F70").unwrap();
        assert_eq!(id.to_string(), "3f2c1a9e-8d4b-4c6a-9e1f-2b3c4d5e6f70");
    }

    #[test]
    fn rejects_everything_that_is_not_a_hyphenated_uuid() {
        for bad in [
            "",
            "..",
            "../sessions/x",
            "3f2c1a9e8d4b4c6a9e1f2b3c4d5e6f70",
            "{3f2c1a9e-8d4b-4c6a-9e1f-2b3c4d5e6f70}",
            "urn:uuid:3f2c1a9e-8d4b-4c6a-9e1f-2b3c4d5e6f70",
            "3f2c1a9e-8d4b-4c6a-9e1f-2b3c4d5e6f7g",
            "3f2c1a9e/8d4b-4c6a-9e1f-2b3c4d5e6f70",
        ] {
            assert!(SessionId::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn random_ids_round_trip() {
        let id = SessionId::new_random();
        assert_eq!(SessionId::parse(&id.to_string()).unwrap(), id);
    }
}
