//! Code routes: `POST /api/code/execute`, `GET /api/code/{session_id}/submissions`,
//! `GET /api/code/{session_id}/submissions/{submission_id}`, `GET /api/code/{session_id}/quality-summary`.
//!
//! Execution goes through the [`CodeRunner`](crate::ports::CodeRunner) port (the code-executor Lambda on AWS, the
//! sandbox's child processes locally); this module only validates, records and reports.

use serde::Serialize;
use serde_json::Value;

use crate::api::{ApiError, ApiRequest, ApiResponse};
use crate::context::AppContext;
use crate::domain::{SessionId, timestamp};
use crate::ports::CodeRunnerError;
use crate::tools::code_executor::{
    CodeSubmission, ExecutionRequest, ExecutionResult, QualitySummary, SubmissionId,
};

/// The most submissions one session keeps; each can hold 64 KiB of code and its output, and the session is one
/// document.
pub const MAX_SUBMISSIONS_PER_SESSION: usize = 100;

/// The execute response: the submission's ids and the executor's result, flat (the seed's
/// `{success, testResults, qualityMetrics, ...}`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExecuteResponse<'a> {
    session_id: SessionId,
    submission_id: SubmissionId,
    timestamp: String,
    #[serde(flatten)]
    result: &'a ExecutionResult,
}

/// Runs the candidate's code against the tests and records the run on the session. Bad input is refused before
/// anything runs or is stored.
pub async fn execute(ctx: &AppContext, req: ApiRequest) -> Result<ApiResponse, ApiError> {
    let caller = req.caller()?;
    let body: Value = req.json()?;
    let session_id = match body.get("sessionId") {
        Some(Value::String(raw)) => SessionId::parse(raw)
            .map_err(|e| ApiError::bad_request("invalid_session_id", e.to_string()))?,
        _ => {
            return Err(ApiError::bad_request(
                "missing_field",
                "sessionId is required: the session this code belongs to",
            ));
        }
    };
    let request =
        ExecutionRequest::parse(&body).map_err(|e| ApiError::bad_request(e.code, e.message))?;
    let session = ctx.sessions.get(&session_id, caller).await?;
    if session.code_submissions.len() >= MAX_SUBMISSIONS_PER_SESSION {
        return Err(too_many_submissions());
    }

    let output = ctx
        .code_runner
        .run(request.to_tool_input())
        .await
        .map_err(|e| match e {
            CodeRunnerError::Rejected(message) => ApiError::bad_request("code_rejected", message),
            CodeRunnerError::Unavailable(detail) => ApiError::Internal(detail),
        })?;
    let result: ExecutionResult = serde_json::from_value(output)
        .map_err(|e| ApiError::Internal(format!("code runner answered an unknown shape: {e}")))?;

    let submission = CodeSubmission {
        submission_id: SubmissionId::new_random(),
        timestamp: ctx.clock.now(),
        code: request.code,
        result,
    };
    let stored = serde_json::to_value(&submission)
        .map_err(|e| ApiError::Internal(format!("submission did not serialise: {e}")))?;
    ctx.sessions
        .update(&session_id, caller, |s| {
            if s.code_submissions.len() >= MAX_SUBMISSIONS_PER_SESSION {
                return Err(too_many_submissions());
            }
            s.code_submissions.push(stored.clone());
            Ok(())
        })
        .await?;
    tracing::info!(
        session_id = %session_id,
        submission_id = %submission.submission_id,
        language = %submission.result.language,
        verdict = ?submission.result.verdict,
        "code submission recorded"
    );
    Ok(ApiResponse::ok(&ExecuteResponse {
        session_id,
        submission_id: submission.submission_id,
        timestamp: timestamp::format(&submission.timestamp),
        result: &submission.result,
    }))
}

fn too_many_submissions() -> ApiError {
    ApiError::Conflict {
        code: "too_many_submissions",
        message: format!(
            "this session already has {MAX_SUBMISSIONS_PER_SESSION} code submissions, the most it keeps"
        ),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SubmissionList<'a> {
    session_id: SessionId,
    /// As stored, oldest first.
    submissions: &'a [Value],
    summary: QualitySummary,
}

/// The session's submissions as stored, oldest first, with their summary (the seed's `{submissions, summary}`).
pub async fn list_submissions(ctx: &AppContext, req: ApiRequest) -> Result<ApiResponse, ApiError> {
    let caller = req.caller()?;
    let session_id = req.session_id()?;
    let session = ctx.sessions.get(&session_id, caller).await?;
    Ok(ApiResponse::ok(&SubmissionList {
        session_id,
        summary: summarise(&session.code_submissions),
        submissions: &session.code_submissions,
    }))
}

/// One submission (the seed's `{submission}`).
pub async fn get_submission(ctx: &AppContext, req: ApiRequest) -> Result<ApiResponse, ApiError> {
    let caller = req.caller()?;
    let session_id = req.session_id()?;
    let raw = req.path_params.get("submission_id").ok_or_else(|| {
        ApiError::bad_request("missing_parameter", "the path needs a submission_id")
    })?;
    let submission_id = SubmissionId::parse(raw)
        .map_err(|e| ApiError::bad_request("invalid_submission_id", e.to_string()))?;
    let session = ctx.sessions.get(&session_id, caller).await?;
    let submission = session
        .code_submissions
        .iter()
        .find(|stored| CodeSubmission::stored_id_is(stored, &submission_id))
        .ok_or_else(|| ApiError::not_found(format!("submission {submission_id}")))?;
    Ok(ApiResponse::ok(&serde_json::json!({
        "sessionId": session_id,
        "submission": submission,
    })))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct QualitySummaryResponse {
    session_id: SessionId,
    #[serde(flatten)]
    summary: QualitySummary,
}

/// Quality figures over the session's submissions (the seed's `{averageQualityScore, averageComplexity, ...}`).
pub async fn quality_summary(ctx: &AppContext, req: ApiRequest) -> Result<ApiResponse, ApiError> {
    let caller = req.caller()?;
    let session_id = req.session_id()?;
    let session = ctx.sessions.get(&session_id, caller).await?;
    Ok(ApiResponse::ok(&QualitySummaryResponse {
        session_id,
        summary: summarise(&session.code_submissions),
    }))
}

/// Entries that are not our submissions (written by an older system) are left out of the figures.
fn summarise(stored: &[Value]) -> QualitySummary {
    let submissions: Vec<CodeSubmission> = stored
        .iter()
        .filter_map(CodeSubmission::from_stored)
        .collect();
    QualitySummary::of(&submissions)
}
