//! What the candidate just did, as the interviewer is told it. Stored on the session while it waits for a turn in
//! progress (see [`super::Turns`]), so it is plain, serialisable data.

use serde::{Deserialize, Serialize};

/// One input to the interviewer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
pub enum InterviewInput {
    /// The candidate joined and is ready: greet and ask the first question.
    Start,
    /// A typed (or transcribed) answer or question.
    Answer(String),
    /// The candidate's code ran against the problem's tests.
    CodeResult(CodeRunSummary),
}

/// What the interviewer needs to know about a code run to comment on it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CodeRunSummary {
    pub language: String,
    pub passed: usize,
    pub total: usize,
    /// A one-line description of the first failing test or error, if any (never a hidden test's data).
    pub first_failure: Option<String>,
}
