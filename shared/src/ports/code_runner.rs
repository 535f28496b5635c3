//! Running candidate code, wherever the sandbox lives: the zero-permission code-executor Lambda on AWS, a child
//! process of the local server here.

use async_trait::async_trait;
use serde_json::Value;

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

/// Takes the code executor's direct input (`{code, language, testCases, functionName, timeout?}`) and returns its
/// output (`{success, testResults, allTestsPassed, executionTime, qualityMetrics, …}`), as JSON so the Lambda
/// adapter can pass it through unchanged.
#[async_trait]
pub trait CodeRunner: Send + Sync {
    async fn run(&self, request: Value) -> Result<Value, CodeRunnerError>;
}

/// The runner for contexts that were built without one (the Lambdas of routes that never run code): refuses.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoCodeRunner;

#[async_trait]
impl CodeRunner for NoCodeRunner {
    async fn run(&self, _request: Value) -> Result<Value, CodeRunnerError> {
        Err(CodeRunnerError::Unavailable(
            "this function has no code runner configured".into(),
        ))
    }
}
