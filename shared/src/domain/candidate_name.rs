//! The candidate's display name.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A name as a person would write it: trimmed, 1–100 characters, no control characters. Diacritics, hyphens and
/// apostrophes are welcome; the name is shown back in reports and used by analytics' per-candidate history.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CandidateName(String);

/// The longest name accepted, in characters.
pub const MAX_CANDIDATE_NAME_CHARS: usize = 100;

/// Why a string is not a usable candidate name.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum InvalidCandidateName {
    #[error("candidate_name must not be empty")]
    Empty,
    #[error("candidate_name must be at most {MAX_CANDIDATE_NAME_CHARS} characters")]
    TooLong,
    #[error("candidate_name must not contain control characters")]
    ControlCharacter,
}

impl CandidateName {
    /// Trims surrounding blanks and folds inner runs of whitespace to one space.
    pub fn parse(raw: &str) -> Result<Self, InvalidCandidateName> {
        if raw.chars().any(|c| c.is_control() && !c.is_whitespace()) {
            return Err(InvalidCandidateName::ControlCharacter);
        }
        let folded = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if folded.is_empty() {
            return Err(InvalidCandidateName::Empty);
        }
        if folded.chars().count() > MAX_CANDIDATE_NAME_CHARS {
            return Err(InvalidCandidateName::TooLong);
        }
        Ok(Self(folded))
    }

    /// The name as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CandidateName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for CandidateName {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for CandidateName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_real_names_and_folds_blanks() {
        assert_eq!(
            CandidateName::parse("  José   O'Neil-Smith ")
                .unwrap()
                .as_str(),
            "José O'Neil-Smith"
        );
    }

    #[test]
    fn rejects_empty_long_and_control() {
        assert_eq!(
            CandidateName::parse("   "),
            Err(InvalidCandidateName::Empty)
        );
        assert_eq!(
            CandidateName::parse(&"a".repeat(101)),
            Err(InvalidCandidateName::TooLong)
        );
        assert_eq!(
            CandidateName::parse("Ann\u{0}"),
            Err(InvalidCandidateName::ControlCharacter)
        );
    }
}
