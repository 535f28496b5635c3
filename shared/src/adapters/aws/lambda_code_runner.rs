//! Running candidate code on AWS: a synchronous invoke of the code-executor function, whose role grants nothing
//! but its own logs, so code never runs where the caller's permissions (S3, Bedrock) are.

use async_trait::async_trait;
use aws_sdk_lambda::Client;
use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types::InvocationType;
use serde_json::Value;

use crate::ports::{CodeRunner, CodeRunnerError};
use crate::tools::code_executor::{ExecutionRequest, ExecutionResult};

/// Invokes the code-executor Lambda with the tool's direct input and parses its output: the one place a code run
/// becomes JSON and back on AWS (the Lambda boundary).
#[derive(Clone)]
pub struct LambdaCodeRunner {
    client: Client,
    function: String,
}

impl LambdaCodeRunner {
    /// `function` is the code executor's name or ARN.
    pub fn new(client: Client, function: impl Into<String>) -> Self {
        Self {
            client,
            function: function.into(),
        }
    }
}

#[async_trait]
impl CodeRunner for LambdaCodeRunner {
    async fn run(&self, request: &ExecutionRequest) -> Result<ExecutionResult, CodeRunnerError> {
        let output = self
            .client
            .invoke()
            .function_name(&self.function)
            .invocation_type(InvocationType::RequestResponse)
            .payload(Blob::new(request.to_tool_input().to_string().into_bytes()))
            .send()
            .await
            .map_err(|e| {
                CodeRunnerError::Unavailable(format!("invoke {}: {e:?}", self.function))
            })?;
        if let Some(error) = output.function_error() {
            return Err(CodeRunnerError::Unavailable(format!(
                "code executor failed: {error}"
            )));
        }
        let payload = output
            .payload()
            .map(|b| b.as_ref().to_vec())
            .unwrap_or_default();
        let result: Value = serde_json::from_slice(&payload).map_err(|e| {
            CodeRunnerError::Unavailable(format!("code executor answered non-JSON: {e}"))
        })?;
        // The tool reports refused input as `{success: false, error: {code, message}}` with no test results.
        if result["success"] == Value::Bool(false)
            && result.get("testResults").is_none()
            && let Some(message) = result["error"]["message"].as_str()
        {
            return Err(CodeRunnerError::Rejected(message.to_owned()));
        }
        serde_json::from_value(result).map_err(|e| {
            CodeRunnerError::Unavailable(format!("code executor answered an unknown shape: {e}"))
        })
    }
}
