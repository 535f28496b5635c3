//! `POST /api/sessions/create`, `GET /api/sessions/list`, `GET /api/sessions/{session_id}`,
//! `DELETE /api/sessions/{session_id}`.

use http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::analytics::{InterviewSummary, SummaryStore};
use crate::api::{ApiError, ApiRequest, ApiResponse};
use crate::context::AppContext;
use crate::domain::{CandidateName, InterviewType, Session, SessionId, SessionStatus, timestamp};

/// The seed's create body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateSessionRequest {
    interview_type: InterviewType,
    candidate_name: CandidateName,
}

/// A session as listings and the create response show it: the headline fields, not the transcript.
#[derive(Serialize)]
pub struct SessionSummary {
    pub session_id: SessionId,
    pub interview_type: InterviewType,
    pub candidate_name: String,
    pub status: SessionStatus,
    pub created_at: String,
    pub ended_at: Option<String>,
    pub duration: Option<f64>,
    pub message_count: usize,
    pub code_submission_count: usize,
    pub has_cv: bool,
    /// The report's headline fields (overall score, recommendation, …) once the session has ended.
    pub report: Option<Map<String, Value>>,
}

impl From<&Session> for SessionSummary {
    fn from(s: &Session) -> Self {
        Self {
            session_id: s.session_id,
            interview_type: s.interview_type,
            candidate_name: s.candidate_name.to_string(),
            status: s.status,
            created_at: timestamp::format(&s.created_at),
            ended_at: s.ended_at.as_ref().map(timestamp::format),
            duration: s.duration,
            message_count: s.transcript.len(),
            code_submission_count: s.code_submissions.len(),
            has_cv: s.cv_analysis.is_some(),
            report: s.report.as_ref().map(|r| {
                let mut headline = r.summary.clone();
                headline.insert("report_url".into(), Value::String(r.report_url.clone()));
                headline
            }),
        }
    }
}

/// Creates a session owned by the caller.
pub async fn create(ctx: &AppContext, req: ApiRequest) -> Result<ApiResponse, ApiError> {
    let caller = req.caller()?;
    let body: CreateSessionRequest = req.json()?;
    let session = Session::new(
        SessionId::new_random(),
        caller,
        body.interview_type,
        body.candidate_name,
        ctx.clock.now(),
    );
    ctx.sessions.create(&session).await?;
    // Analytics count started interviews too (completion rate); a failure here must not fail the create.
    let summaries = SummaryStore::new(ctx.sessions.objects().clone());
    if let Err(e) = summaries
        .record(&InterviewSummary::from_session(&session))
        .await
    {
        tracing::warn!(session_id = %session.session_id, error = %e, "could not record the analytics summary");
    }
    tracing::info!(session_id = %session.session_id, interview_type = %session.interview_type, "session created");
    Ok(ApiResponse::json(
        StatusCode::CREATED,
        &SessionSummary::from(&session),
    ))
}

#[derive(Serialize)]
struct SessionList {
    sessions: Vec<SessionSummary>,
    count: usize,
}

/// The caller's sessions, newest first.
pub async fn list(ctx: &AppContext, req: ApiRequest) -> Result<ApiResponse, ApiError> {
    let caller = req.caller()?;
    let sessions = ctx.sessions.list_for_owner(caller).await?;
    let sessions: Vec<SessionSummary> = sessions.iter().map(SessionSummary::from).collect();
    Ok(ApiResponse::ok(&SessionList {
        count: sessions.len(),
        sessions,
    }))
}

/// The whole session document, if it is the caller's.
pub async fn get(ctx: &AppContext, req: ApiRequest) -> Result<ApiResponse, ApiError> {
    let caller = req.caller()?;
    let id = req.session_id()?;
    let session = ctx.sessions.get(&id, caller).await?;
    Ok(ApiResponse::ok(&session))
}

#[derive(Serialize)]
struct Deleted {
    session_id: SessionId,
    deleted: bool,
    objects_removed: usize,
}

/// Deletes the session and its CVs, report and recordings (the seed's "can delete sessions on request").
pub async fn delete(ctx: &AppContext, req: ApiRequest) -> Result<ApiResponse, ApiError> {
    let caller = req.caller()?;
    let id = req.session_id()?;
    let session = ctx.sessions.get(&id, caller).await?;
    // The summary goes first: a deleted session must not linger in anyone's analytics.
    SummaryStore::new(ctx.sessions.objects().clone())
        .forget(&InterviewSummary::from_session(&session))
        .await
        .map_err(|e| {
            ApiError::Internal(format!(
                "could not remove the analytics summary of {id}: {e}"
            ))
        })?;
    let objects_removed = ctx.sessions.delete(&id, caller).await?;
    tracing::info!(session_id = %id, objects_removed, "session deleted");
    Ok(ApiResponse::ok(&Deleted {
        session_id: id,
        deleted: true,
        objects_removed,
    }))
}
