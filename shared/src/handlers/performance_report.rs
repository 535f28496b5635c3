//! `GET /api/interviews/{session_id}/performance-report`: the stored report of an ended interview.

use serde::Serialize;
use serde_json::Value;

use super::interview_end::{read_report, report_url};
use crate::api::{ApiError, ApiRequest, ApiResponse};
use crate::context::AppContext;
use crate::domain::SessionStatus;

/// The seed's `{success, report, report_url}`; `report` is the evaluator's report (camelCase) with `endedAt` and
/// `generatedAt`.
#[derive(Serialize)]
struct ReportResponse {
    success: bool,
    report: Value,
    report_url: String,
}

/// The caller's report. 404 when the session does not exist or is not the caller's, and — with a message saying
/// to end it first — while the interview has not ended.
pub async fn get(ctx: &AppContext, req: ApiRequest) -> Result<ApiResponse, ApiError> {
    let caller = req.caller()?;
    let id = req.session_id()?;
    let session = ctx.sessions.get(&id, caller).await?;
    let not_ended = || ApiError::NotYet {
        code: "report_not_ready",
        message: format!(
            "the interview has not ended yet, so there is no report: end it first with \
                 POST /api/interviews/{id}/end"
        ),
    };
    if session.status != SessionStatus::Ended || session.report.is_none() {
        return Err(not_ended());
    }
    let Some(stored) = read_report(ctx, &id).await? else {
        return Err(ApiError::NotYet {
            code: "report_missing",
            message: format!(
                "the report file is missing; POST /api/interviews/{id}/end regenerates it"
            ),
        });
    };
    let report = serde_json::to_value(&stored)
        .map_err(|e| ApiError::Internal(format!("report of {id} did not serialise: {e}")))?;
    Ok(ApiResponse::ok(&ReportResponse {
        success: true,
        report,
        report_url: report_url(&id),
    }))
}
