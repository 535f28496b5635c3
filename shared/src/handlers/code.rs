//! Code routes: `POST /api/code/execute`, `GET /api/code/{session_id}/submissions`,
//! `GET /api/code/{session_id}/submissions/{submission_id}`, `GET /api/code/{session_id}/quality-summary`.
//! Parsing and rendering only; runs are made and recorded by [`crate::app::code`].

use serde::Serialize;
use serde_json::Value;

use crate::api::{ApiError, ApiRequest, ApiResponse};
use crate::app::code::{RunRequest, Tests};
use crate::context::AppContext;
use crate::domain::{SessionId, timestamp};
use crate::tools::code_executor::{
    CodeSubmission, ExecutionResult, Language, QualitySummary, SubmissionId, TestCase,
};

pub use crate::app::code::MAX_SUBMISSIONS_PER_SESSION;

/// The execute response: the submission's ids and the executor's result, flat (the seed's
/// `{success, testResults, qualityMetrics, ...}`), plus how the run counted.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExecuteResponse<'a> {
    session_id: SessionId,
    submission_id: SubmissionId,
    timestamp: String,
    mode: crate::domain::RunMode,
    #[serde(skip_serializing_if = "Option::is_none")]
    problem_id: Option<&'a str>,
    #[serde(flatten)]
    result: &'a ExecutionResult,
}

/// `{sessionId, code, language, problemId?, testCases?, functionName?}`: with `problemId`, a graded run against that
/// problem's tests; with `testCases` (and `functionName`), a scratch run against the candidate's own.
fn run_request(body: &Value) -> Result<(SessionId, RunRequest), ApiError> {
    let field = |name: &str| body.get(name).filter(|v| !v.is_null());
    let session_id = match field("sessionId") {
        Some(Value::String(raw)) => SessionId::parse(raw)
            .map_err(|e| ApiError::bad_request("invalid_session_id", e.to_string()))?,
        _ => {
            return Err(ApiError::bad_request(
                "missing_field",
                "sessionId is required: the session this code belongs to",
            ));
        }
    };
    let language = match field("language") {
        Some(Value::String(raw)) => {
            Language::parse(raw).map_err(|e| ApiError::bad_request(e.code, e.message))?
        }
        Some(_) => {
            return Err(ApiError::bad_request(
                "invalid_input",
                "language must be a string: python or javascript",
            ));
        }
        None => {
            return Err(ApiError::bad_request(
                "invalid_input",
                "language is required: python or javascript",
            ));
        }
    };
    let code = match field("code") {
        Some(Value::String(code)) => code.clone(),
        Some(_) => {
            return Err(ApiError::bad_request(
                "invalid_input",
                "code must be a string",
            ));
        }
        None => return Err(ApiError::bad_request("empty_code", "code is required")),
    };
    let function_name = match field("functionName") {
        Some(Value::String(name)) => Some(name.clone()),
        Some(_) => {
            return Err(ApiError::bad_request(
                "invalid_input",
                "functionName must be a string",
            ));
        }
        None => None,
    };
    let tests = match (field("problemId"), field("testCases")) {
        (Some(_), Some(_)) => {
            return Err(ApiError::bad_request(
                "ambiguous_tests",
                "send problemId for a graded run or testCases for a scratch run, not both",
            ));
        }
        (Some(Value::String(id)), None) => Tests::Problem(id.clone()),
        (Some(_), None) => {
            return Err(ApiError::bad_request(
                "invalid_input",
                "problemId must be a string",
            ));
        }
        (None, Some(cases)) => Tests::Scratch(
            TestCase::parse_list(cases).map_err(|e| ApiError::bad_request(e.code, e.message))?,
        ),
        (None, None) => Tests::OpenProblem,
    };
    Ok((
        session_id,
        RunRequest {
            code,
            language,
            function_name,
            tests,
        },
    ))
}

/// Runs the candidate's code and records the run on the session. Bad input is refused before anything runs or is
/// stored.
pub async fn execute(ctx: &AppContext, req: ApiRequest) -> Result<ApiResponse, ApiError> {
    let caller = req.caller()?;
    let body: Value = req.json()?;
    let (session_id, request) = run_request(&body)?;
    let run = ctx.code_runs().run(caller, &session_id, request).await?;
    Ok(ApiResponse::ok(&execute_response(
        &run.session_id,
        &run.submission,
    )))
}

fn execute_response<'a>(session_id: &SessionId, s: &'a CodeSubmission) -> ExecuteResponse<'a> {
    ExecuteResponse {
        session_id: *session_id,
        submission_id: s.submission_id,
        timestamp: timestamp::format(&s.timestamp),
        mode: s.mode,
        problem_id: s.problem_id.as_deref(),
        result: &s.result,
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SubmissionList<'a> {
    session_id: SessionId,
    /// Oldest first.
    submissions: &'a [CodeSubmission],
    summary: &'a QualitySummary,
}

/// The session's submissions, oldest first, with their summary (the seed's `{submissions, summary}`).
pub async fn list_submissions(ctx: &AppContext, req: ApiRequest) -> Result<ApiResponse, ApiError> {
    let runs = ctx
        .code_runs()
        .list(req.caller()?, &req.session_id()?)
        .await?;
    Ok(ApiResponse::ok(&SubmissionList {
        session_id: runs.session_id,
        submissions: &runs.submissions,
        summary: &runs.summary,
    }))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OneSubmission<'a> {
    session_id: SessionId,
    submission: &'a CodeSubmission,
}

/// One submission (the seed's `{submission}`).
pub async fn get_submission(ctx: &AppContext, req: ApiRequest) -> Result<ApiResponse, ApiError> {
    let session_id = req.session_id()?;
    let raw = req.path_params.get("submission_id").ok_or_else(|| {
        ApiError::bad_request("missing_parameter", "the path needs a submission_id")
    })?;
    let submission_id = SubmissionId::parse(raw)
        .map_err(|e| ApiError::bad_request("invalid_submission_id", e.to_string()))?;
    let submission = ctx
        .code_runs()
        .get(req.caller()?, &session_id, &submission_id)
        .await?;
    Ok(ApiResponse::ok(&OneSubmission {
        session_id,
        submission: &submission,
    }))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct QualitySummaryResponse<'a> {
    session_id: SessionId,
    #[serde(flatten)]
    summary: &'a QualitySummary,
}

/// Quality figures over the session's submissions (the seed's `{averageQualityScore, averageComplexity, ...}`).
pub async fn quality_summary(ctx: &AppContext, req: ApiRequest) -> Result<ApiResponse, ApiError> {
    let runs = ctx
        .code_runs()
        .list(req.caller()?, &req.session_id()?)
        .await?;
    Ok(ApiResponse::ok(&QualitySummaryResponse {
        session_id: runs.session_id,
        summary: &runs.summary,
    }))
}
