//! `GET /api/interviews/{session_id}/transcript`.

use serde::Serialize;

use crate::api::{ApiError, ApiRequest, ApiResponse};
use crate::context::AppContext;
use crate::domain::{SessionId, TranscriptEntry};

#[derive(Serialize)]
struct TranscriptResponse<'a> {
    session_id: SessionId,
    transcript: &'a [TranscriptEntry],
}

/// Both sides of the conversation in time order, as the seed's `{session_id, transcript}`.
pub async fn get(ctx: &AppContext, req: ApiRequest) -> Result<ApiResponse, ApiError> {
    let id = req.session_id()?;
    let session = ctx.session_cases().get(req.caller()?, &id).await?;
    Ok(ApiResponse::ok(&TranscriptResponse {
        session_id: id,
        transcript: &session.transcript,
    }))
}
