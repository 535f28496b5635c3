//! The Lambda entrance for the three Bedrock Agent tools: any of the three event forms in, the matching response
//! form out, the tool's pure logic in the middle.

use std::future::Future;

use lambda_http::lambda_runtime::{self, LambdaEvent, service_fn};
use serde_json::{Value, json};

use crate::tools::{ToolError, ToolInvocation};

/// What a tool's `main` calls after building what the tool needs.
pub async fn serve<F, Fut>(tool: F) -> Result<(), lambda_runtime::Error>
where
    F: Fn(Value) -> Fut,
    Fut: Future<Output = Result<Value, ToolError>>,
{
    super::init_tracing();
    let tool = &tool;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| async move {
        Ok::<_, std::convert::Infallible>(invoke(event.payload, tool).await)
    }))
    .await
}

/// One invocation: recognise the form, run the tool on its arguments, wrap the answer in the same form.
pub async fn invoke<F, Fut>(event: Value, tool: &F) -> Value
where
    F: Fn(Value) -> Fut,
    Fut: Future<Output = Result<Value, ToolError>>,
{
    match ToolInvocation::parse(event) {
        Ok(invocation) => {
            let result = tool(invocation.arguments()).await;
            if let Err(e) = &result {
                tracing::info!(code = e.code, message = %e.message, "tool refused its input");
            }
            invocation.respond(result)
        }
        Err(e) => json!({"success": false, "error": {"code": e.code, "message": e.message}}),
    }
}
