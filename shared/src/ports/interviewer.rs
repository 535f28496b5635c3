//! The interviewer: the Bedrock Agent on AWS, the local interviewer over our question bank here. Both stream their
//! reply in chunks, which the WebSocket handler forwards as they arrive.

use async_trait::async_trait;
use futures::stream::BoxStream;
use serde_json::Value;

pub use crate::domain::{CodeRunSummary, InterviewInput};
use crate::domain::{ReplyKind, Session};

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
    /// What this reply does (a new question, a follow-up, a remark…), when the interviewer knows.
    Kind(ReplyKind),
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

/// The interviewer for contexts built without one (the Lambdas of routes that never interview): refuses.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoInterviewer;

#[async_trait]
impl Interviewer for NoInterviewer {
    async fn turn(&self, _turn: InterviewTurn) -> Result<InterviewerStream, InterviewerError> {
        Err(InterviewerError::Unavailable(
            "this function has no interviewer configured".into(),
        ))
    }
}
