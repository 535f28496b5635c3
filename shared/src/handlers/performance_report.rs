//! `GET /api/interviews/{session_id}/performance-report`: the stored report of an ended interview.

use serde::Serialize;

use crate::api::{ApiError, ApiRequest, ApiResponse};
use crate::app::end::report_url;
use crate::context::AppContext;
use crate::store::StoredReport;

/// The seed's `{success, report, report_url}`; `report` is the evaluator's report (camelCase) with `endedAt` and
/// `generatedAt`.
#[derive(Serialize)]
struct ReportResponse<'a> {
    success: bool,
    report: &'a StoredReport,
    report_url: String,
}

/// The caller's report. 404 when the session does not exist or is not the caller's, and — with a message saying
/// to end it first — while the interview has not ended.
pub async fn get(ctx: &AppContext, req: ApiRequest) -> Result<ApiResponse, ApiError> {
    let id = req.session_id()?;
    let ended = ctx.report_cases().get(req.caller()?, &id).await?;
    Ok(ApiResponse::ok(&ReportResponse {
        success: true,
        report: &ended.report,
        report_url: report_url(&id),
    }))
}
