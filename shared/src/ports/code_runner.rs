//! Running candidate code, wherever the sandbox lives: the zero-permission code-executor Lambda on AWS, a child
//! process of the local server here.

use crate::tools::code_executor::{ExecutionRequest, ExecutionResult};
use async_trait::async_trait;

/// Why code could not be run at all (as opposed to code that ran and failed, which is a normal result).
#[derive(Debug, thiserror::Error)]
pub enum CodeRunnerError {
    /// The request was refused before running (unknown language, too many tests, code too large…): the
    /// message is for the candidate.
    #[error("{0}")]
    Rejected(String),
    /// The runner itself failed; the message is for logs.
    #[error("code runner unavailable: {0}")]
    Unavailable(String),
}

/// Runs one validated submission and returns its judged result. JSON appears only where a run crosses a Lambda
/// boundary (the code-executor's entry and the adapter that invokes it), never between our own layers.
#[async_trait]
pub trait CodeRunner: Send + Sync {
    async fn run(&self, request: &ExecutionRequest) -> Result<ExecutionResult, CodeRunnerError>;
}

/// The runner for contexts that were built without one (the Lambdas of routes that never run code): refuses.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoCodeRunner;

#[async_trait]
impl CodeRunner for NoCodeRunner {
    async fn run(&self, _request: &ExecutionRequest) -> Result<ExecutionResult, CodeRunnerError> {
        Err(CodeRunnerError::Unavailable(
            "this function has no code runner configured".into(),
        ))
    }
}
