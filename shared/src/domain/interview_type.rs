//! The eight interview types the product offers.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One of the seed's eight interview types; serialised exactly as the seed spells it ("Google SDE", "AWS SA", …).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InterviewType {
    GoogleSde,
    AmazonSde,
    MicrosoftSde,
    AwsSa,
    AzureSa,
    GcpSa,
    Behavioral,
    Coding,
}

/// Why a string is not an interview type; the message lists the valid ones so a caller can correct the request.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "interview_type must be one of: {}; got {shown:?}",
    InterviewType::valid_names()
)]
pub struct UnknownInterviewType {
    shown: String,
}

impl InterviewType {
    /// Every type, in the order the product lists them.
    pub const ALL: [InterviewType; 8] = [
        InterviewType::GoogleSde,
        InterviewType::AmazonSde,
        InterviewType::MicrosoftSde,
        InterviewType::AwsSa,
        InterviewType::AzureSa,
        InterviewType::GcpSa,
        InterviewType::Behavioral,
        InterviewType::Coding,
    ];

    /// The seed's spelling, used in JSON, storage and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            InterviewType::GoogleSde => "Google SDE",
            InterviewType::AmazonSde => "Amazon SDE",
            InterviewType::MicrosoftSde => "Microsoft SDE",
            InterviewType::AwsSa => "AWS SA",
            InterviewType::AzureSa => "Azure SA",
            InterviewType::GcpSa => "GCP SA",
            InterviewType::Behavioral => "Behavioral",
            InterviewType::Coding => "Coding",
        }
    }

    /// Matches one of the eight names; case and surrounding blanks are forgiven because clients type them, but
    /// nothing else is guessed.
    pub fn parse(raw: &str) -> Result<Self, UnknownInterviewType> {
        let wanted = raw.trim();
        Self::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| UnknownInterviewType {
                shown: raw.chars().take(64).collect(),
            })
    }

    fn valid_names() -> String {
        Self::ALL.map(Self::as_str).join(", ")
    }
}

impl fmt::Display for InterviewType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for InterviewType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for InterviewType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_round_trips() {
        for t in InterviewType::ALL {
            assert_eq!(InterviewType::parse(t.as_str()), Ok(t));
        }
    }

    #[test]
    fn case_and_blanks_are_forgiven() {
        assert_eq!(InterviewType::parse(" aws sa "), Ok(InterviewType::AwsSa));
    }

    #[test]
    fn unknown_type_lists_the_valid_ones() {
        let err = InterviewType::parse("Netflix SDE").unwrap_err().to_string();
        for t in InterviewType::ALL {
            assert!(err.contains(t.as_str()), "{err}");
        }
        assert!(err.contains("Netflix SDE"));
    }
}
