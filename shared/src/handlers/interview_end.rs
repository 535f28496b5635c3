//! `POST /api/interviews/{session_id}/end`: evaluates the interview, stores the report, marks the session ended and
//! records its analytics summary.
//!
//! Ending is idempotent. The report is written with `If-None-Match: *`, and whatever report is stored first is the
//! one the session points to; a session that has already ended answers with its report without evaluating again
//! (and re-records its summary, which repairs analytics if an earlier attempt stopped half-way). Only when an
//! ended session's report file is missing is it evaluated again, so the report URL never leads nowhere.

use bytes::Bytes;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::analytics::{InterviewSummary, ReportHeadline, SummaryStore};
use crate::api::{ApiError, ApiRequest, ApiResponse};
use crate::context::AppContext;
use crate::domain::{SessionId, SessionStatus, timestamp};
use crate::knowledge::QuestionBank;
use crate::ports::{Precondition, StoreError};
use crate::store::ObjectKey;
use crate::tools::performance_evaluator::{EvaluationInput, PerformanceReport, evaluate};

/// The seed's `{session_id, status, report_url}`.
#[derive(Serialize)]
struct EndResponse {
    session_id: SessionId,
    status: SessionStatus,
    report_url: String,
}

/// What `reports/{session_id}/performance_report.json` holds: the evaluator's report (camelCase, as the tool
/// returns it) with when the interview ended and when the report was made.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredReport {
    #[serde(flatten)]
    pub report: PerformanceReport,
    #[serde(with = "timestamp::required")]
    pub ended_at: DateTime<Utc>,
    #[serde(with = "timestamp::required")]
    pub generated_at: DateTime<Utc>,
}

/// The API path of a session's report: a relative URL the client calls with its token (no presigned URLs).
pub fn report_url(id: &SessionId) -> String {
    format!("/api/interviews/{id}/performance-report")
}

/// Ends the caller's interview. 404 when the session does not exist or is not the caller's.
pub async fn end(ctx: &AppContext, req: ApiRequest) -> Result<ApiResponse, ApiError> {
    let caller = req.caller()?;
    let id = req.session_id()?;
    let session = ctx.sessions.get(&id, caller).await?;
    let summaries = SummaryStore::new(ctx.sessions.objects().clone());

    if session.status == SessionStatus::Ended
        && session.report.is_some()
        && read_report(ctx, &id).await?.is_some()
    {
        summaries
            .record(&InterviewSummary::from_session(&session))
            .await?;
        return Ok(respond(id));
    }

    let now = ctx.clock.now();
    // A seed-era session may be marked ended without a report: keep its end time.
    let ended_at = session.ended_at.unwrap_or(now).max(session.created_at);
    let duration = (ended_at - session.created_at).num_milliseconds() as f64 / 1000.0;
    let input = EvaluationInput::from_session(&session, duration);
    let report = tokio::task::spawn_blocking(move || evaluate(&input, QuestionBank::embedded()))
        .await
        .map_err(|e| ApiError::Internal(format!("evaluation of {id} did not finish: {e}")))?;
    let stored = store_report(
        ctx,
        &id,
        StoredReport {
            report,
            ended_at,
            generated_at: now,
        },
    )
    .await?;

    let headline = ReportHeadline::of(&stored.report, stored.generated_at);
    let duration = stored.report.metrics.duration_seconds;
    let (session, ()) = ctx
        .sessions
        .update(&id, caller, |s| {
            if s.status == SessionStatus::Ended && s.report.is_some() {
                // Another request ended it first; its report stands.
                return Ok::<_, ApiError>(());
            }
            s.status = SessionStatus::Ended;
            s.ended_at = Some(stored.ended_at);
            s.duration = duration;
            s.report = Some(headline.clone().into_report_ref(report_url(&id)));
            Ok(())
        })
        .await?;
    summaries
        .record(&InterviewSummary::from_session(&session))
        .await?;
    tracing::info!(
        session_id = %id,
        overall_score = stored.report.overall_score,
        recommendation = stored.report.recommendation.as_str(),
        "interview ended"
    );
    Ok(respond(id))
}

fn respond(id: SessionId) -> ApiResponse {
    ApiResponse::ok(&EndResponse {
        session_id: id,
        status: SessionStatus::Ended,
        report_url: report_url(&id),
    })
}

/// Writes the report unless one is already stored, and returns the stored one: the first report written wins, so
/// concurrent or repeated ends agree on one report.
async fn store_report(
    ctx: &AppContext,
    id: &SessionId,
    report: StoredReport,
) -> Result<StoredReport, ApiError> {
    let key = ObjectKey::performance_report(id);
    let body = serde_json::to_vec(&report)
        .map_err(|e| ApiError::Internal(format!("report of {id} did not serialise: {e}")))?;
    match ctx
        .sessions
        .objects()
        .put(&key, Bytes::from(body), Precondition::IfAbsent)
        .await
    {
        Ok(_) => Ok(report),
        Err(StoreError::PreconditionFailed { .. }) => read_report(ctx, id)
            .await?
            .ok_or_else(|| ApiError::Internal(format!("report of {id} vanished while ending"))),
        Err(e) => Err(ApiError::Internal(e.to_string())),
    }
}

/// The stored report of a session, if any.
pub async fn read_report(
    ctx: &AppContext,
    id: &SessionId,
) -> Result<Option<StoredReport>, ApiError> {
    let key = ObjectKey::performance_report(id);
    let Some(object) = ctx
        .sessions
        .objects()
        .get(&key)
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
    else {
        return Ok(None);
    };
    serde_json::from_slice(&object.body)
        .map(Some)
        .map_err(|e| ApiError::Internal(format!("stored report {key} is unreadable: {e}")))
}
