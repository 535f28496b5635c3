//! `POST /api/interviews/{session_id}/end`: ends the interview (see [`crate::app::end`]) and answers the seed's
//! `{session_id, status, report_url}`. Ending twice returns the same report.

use serde::Serialize;

use crate::api::{ApiError, ApiRequest, ApiResponse};
use crate::app::end::report_url;
use crate::context::AppContext;
use crate::domain::{SessionId, SessionStatus};

#[derive(Serialize)]
struct EndResponse {
    session_id: SessionId,
    status: SessionStatus,
    report_url: String,
}

/// Ends the caller's interview. 404 when the session does not exist or is not the caller's.
pub async fn end(ctx: &AppContext, req: ApiRequest) -> Result<ApiResponse, ApiError> {
    let id = req.session_id()?;
    let ended = ctx.report_cases().end(req.caller()?, &id).await?;
    Ok(ApiResponse::ok(&EndResponse {
        session_id: ended.session_id,
        status: SessionStatus::Ended,
        report_url: report_url(&id),
    }))
}
