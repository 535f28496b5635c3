//! The Lambda entrance for the three Bedrock Agent tools: any of the three event forms in, the matching response
//! form out.
//!
//! The code executor is pure: it runs what it is given, holds no credentials and keeps nothing. The resume analyser
//! and the evaluator, when the agent calls them, act on the interview itself: the session is the one named by the
//! event's envelope (`sessionId`, which Bedrock fills with the agent session id — our session id, set by
//! `ws-default` — and which the model cannot change), and they read it from storage rather than trust the JSON the
//! model typed into the call's arguments. Invoked directly (the seed's `{cvText}` / `{conversationHistory}` input),
//! they stay pure functions of that input.

use std::future::Future;
use std::sync::Arc;

use lambda_http::lambda_runtime::{self, LambdaEvent, service_fn};
use serde_json::{Value, json};

use super::config::Wiring;
use super::telemetry;
use crate::app::AppError;
use crate::context::AppContext;
use crate::domain::SessionId;
use crate::tools::{ToolError, ToolInvocation};

/// A pure tool's `main` (the code executor): runs `tool` on each invocation's arguments.
pub async fn serve<F, Fut>(binary: &'static str, tool: F) -> Result<(), lambda_runtime::Error>
where
    F: Fn(Value) -> Fut,
    Fut: Future<Output = Result<Value, ToolError>>,
{
    super::init_tracing();
    let tool = &tool;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| async move {
        let request_id = event.context.request_id.clone();
        let (response, failed) =
            run(event.payload, |invocation| tool(invocation.arguments())).await;
        if failed {
            telemetry::report_handler_error(binary, &request_id, "tool failed");
        }
        Ok::<_, std::convert::Infallible>(response)
    }))
    .await
}

/// The `main` of a tool that acts on the agent's session: wires storage once, then runs `tool` with the context and
/// the whole invocation (its envelope names the session).
pub async fn serve_with_context<W, T, Fut>(
    binary: &'static str,
    wiring: W,
    tool: T,
) -> Result<(), lambda_runtime::Error>
where
    W: Future<Output = Wiring>,
    T: Fn(Arc<AppContext>, ToolInvocation) -> Fut,
    Fut: Future<Output = Result<Value, ToolError>>,
{
    super::init_tracing();
    let ctx = Arc::new(wiring.await.context());
    let (ctx, tool) = (&ctx, &tool);
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| async move {
        let request_id = event.context.request_id.clone();
        let (response, failed) = run(event.payload, |invocation| {
            tool(Arc::clone(ctx), invocation.clone())
        })
        .await;
        if failed {
            telemetry::report_handler_error(binary, &request_id, "tool failed");
        }
        Ok::<_, std::convert::Infallible>(response)
    }))
    .await
}

/// One invocation of a pure tool: recognise the form, run the tool on its arguments, wrap the answer in the same
/// form.
pub async fn invoke<F, Fut>(event: Value, tool: &F) -> Value
where
    F: Fn(Value) -> Fut,
    Fut: Future<Output = Result<Value, ToolError>>,
{
    run(event, |invocation| tool(invocation.arguments()))
        .await
        .0
}

/// One invocation of a tool that may act on the agent's session (see [`cv_analyzer`], [`performance_evaluator`]).
pub async fn invoke_with_context<T, Fut>(ctx: Arc<AppContext>, event: Value, tool: &T) -> Value
where
    T: Fn(Arc<AppContext>, ToolInvocation) -> Fut,
    Fut: Future<Output = Result<Value, ToolError>>,
{
    run(event, |invocation| {
        tool(Arc::clone(&ctx), invocation.clone())
    })
    .await
    .0
}

/// The response, and whether the tool failed on our side.
async fn run<F, Fut>(event: Value, tool: F) -> (Value, bool)
where
    F: FnOnce(&ToolInvocation) -> Fut,
    Fut: Future<Output = Result<Value, ToolError>>,
{
    match ToolInvocation::parse(event) {
        Ok(invocation) => {
            let result = tool(&invocation).await;
            let failed = matches!(&result, Err(e) if e.code == "internal");
            if let Err(e) = &result {
                tracing::info!(code = e.code, message = %e.message, "tool refused its input");
            }
            (invocation.respond(result), failed)
        }
        Err(e) => (
            json!({"success": false, "error": {"code": e.code, "message": e.message}}),
            false,
        ),
    }
}

/// The interview an agent invocation belongs to: the envelope's `sessionId`, which must be one of ours.
fn agent_session(invocation: &ToolInvocation) -> Option<Result<SessionId, ToolError>> {
    let raw = match invocation {
        ToolInvocation::Direct(_) => return None,
        _ => invocation.agent_session_id().unwrap_or_default(),
    };
    Some(SessionId::parse(raw).map_err(|_| ToolError {
        code: "not_found",
        message: format!(
            "agent session {:?} is not a PrepAI interview: this tool works on the interview the agent is running",
            raw.chars().take(64).collect::<String>()
        ),
    }))
}

fn tool_error(e: AppError) -> ToolError {
    match e {
        AppError::Internal(detail) => {
            tracing::error!(%detail, "tool failed");
            ToolError {
                code: "internal",
                message: "something went wrong on our side; please try again".into(),
            }
        }
        other => ToolError {
            code: other.code(),
            message: other.to_string(),
        },
    }
}

/// The resume analyser. Called by the agent: the analysis of the resume uploaded to its interview (made from the
/// stored file when it was uploaded, and kept on the session — the arguments' `cvText` is not read). Called
/// directly: the analysis of the given text.
pub async fn cv_analyzer(
    ctx: Arc<AppContext>,
    invocation: ToolInvocation,
) -> Result<Value, ToolError> {
    match agent_session(&invocation) {
        None => crate::tools::cv_analyzer::run(invocation.arguments()).await,
        Some(session) => ctx
            .agent_resume()
            .analysis(&session?)
            .await
            .map_err(tool_error),
    }
}

/// The performance evaluator. Called by the agent: ends its interview exactly as `POST …/end` does — the session's
/// own transcript and accepted code runs, evaluated once, stored as the report (the first one wins, so the agent
/// and the candidate's End button agree) — and returns that report. Called directly: the report of the given input.
pub async fn performance_evaluator(
    ctx: Arc<AppContext>,
    invocation: ToolInvocation,
) -> Result<Value, ToolError> {
    match agent_session(&invocation) {
        None => crate::tools::performance_evaluator::run(invocation.arguments()).await,
        Some(session) => ctx
            .agent_evaluation()
            .report(&session?)
            .await
            .map_err(tool_error),
    }
}
