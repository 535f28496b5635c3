//! Code runs as the session document lists them. Each run's full record (the code, every test's result) is an
//! object of its own (`submissions/{session_id}/{submission_id}.json`), so the session document stays small
//! however much a candidate runs; the document keeps one short line per run.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use uuid::Uuid;

use super::timestamp;

/// A submission id: a UUID in canonical form, so it can be compared and shown in paths safely.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SubmissionId(Uuid);

/// Why a string is not a submission id.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("submission id must be a UUID like 9b2d7c4e-1f3a-4e5b-8c6d-7e8f9a0b1c2d, got {shown:?}")]
pub struct InvalidSubmissionId {
    shown: String,
}

impl SubmissionId {
    pub fn new_random() -> Self {
        Self(Uuid::new_v4())
    }

    /// Accepts only the 36-character hyphenated form, any case.
    pub fn parse(raw: &str) -> Result<Self, InvalidSubmissionId> {
        let invalid = || InvalidSubmissionId {
            shown: raw.chars().take(64).collect(),
        };
        if raw.len() != 36 {
            return Err(invalid());
        }
        Uuid::try_parse(raw).map(Self).map_err(|_| invalid())
    }
}

impl fmt::Display for SubmissionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

impl Serialize for SubmissionId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for SubmissionId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// Whether a run counted: graded by the server's own tests of the open problem, or a scratch run against tests
/// the candidate wrote (recorded, never scored).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunMode {
    Graded,
    Scratch,
}

/// One code run as listed on the session document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubmissionRef {
    pub submission_id: SubmissionId,
    #[serde(with = "timestamp::required")]
    pub timestamp: DateTime<Utc>,
    /// `python` or `javascript`.
    pub language: String,
    /// The bank problem a graded run was graded against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem_id: Option<String>,
    pub mode: RunMode,
    pub passed_count: usize,
    pub total_count: usize,
    pub all_tests_passed: bool,
}

/// An entry of `Session.code_submissions`: a reference to a run stored on its own, or — in documents written
/// before runs moved out — the whole run inline, kept as written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SubmissionEntry {
    Ref(SubmissionRef),
    Inline(Value),
}

impl SubmissionEntry {
    /// The run's id, when the entry has a readable one.
    pub fn id(&self) -> Option<SubmissionId> {
        match self {
            Self::Ref(r) => Some(r.submission_id),
            Self::Inline(v) => v
                .get("submissionId")
                .and_then(Value::as_str)
                .and_then(|raw| SubmissionId::parse(raw).ok()),
        }
    }
}
