//! The interviewer: the Bedrock Agent on AWS, the local interviewer over our question bank here. Both stream their
//! reply in chunks, which the WebSocket handler forwards as they arrive.

use async_trait::async_trait;
use futures::stream::BoxStream;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::Session;

/// What the candidate just did.
#[derive(Clone, Debug, PartialEq)]
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
    /// A one-line description of the first failing test or error, if any.
    pub first_failure: Option<String>,
}

/// One turn: the session as it stands (the candidate's message already in the transcript), what happened, and
/// the interviewer's own state from the previous turn.
#[derive(Clone, Debug)]
pub struct InterviewTurn {
    pub session: Session,
    pub input: InterviewInput,
}

/// Pieces of the interviewer's reply, in order.
#[derive(Clone, Debug, PartialEq)]
pub enum InterviewerEvent {
    /// More reply text.
    Chunk(String),
    /// A coding problem for the candidate (statement, starters, function names, tests), sent to the client as is.
    CodingProblem(Value),
    /// The reply is complete; `state` is stored on the session for the next turn.
    Done { state: Option<Value> },
}

/// Why the interviewer could not answer.
#[derive(Debug, thiserror::Error)]
pub enum InterviewerError {
    /// The service refused or broke; the message is for logs.
    #[error("interviewer unavailable: {0}")]
    Unavailable(String),
}

/// A reply as a stream of events ending with [`InterviewerEvent::Done`].
pub type InterviewerStream = BoxStream<'static, Result<InterviewerEvent, InterviewerError>>;

/// Conducts the interview, one turn at a time.
#[async_trait]
pub trait Interviewer: Send + Sync {
    async fn turn(&self, turn: InterviewTurn) -> Result<InterviewerStream, InterviewerError>;
}
