//! `POST /api/sessions/create`, `GET /api/sessions/list`, `GET /api/sessions/{session_id}`,
//! `DELETE /api/sessions/{session_id}`.

use http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::api::{ApiError, ApiRequest, ApiResponse};
use crate::app::sessions::NewSession;
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
    let session = ctx
        .session_cases()
        .create(
            caller,
            NewSession {
                interview_type: body.interview_type,
                candidate_name: body.candidate_name,
            },
        )
        .await?;
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
    let sessions = ctx.session_cases().list(req.caller()?).await?;
    let sessions: Vec<SessionSummary> = sessions.iter().map(SessionSummary::from).collect();
    Ok(ApiResponse::ok(&SessionList {
        count: sessions.len(),
        sessions,
    }))
}

/// The whole session document, if it is the caller's.
pub async fn get(ctx: &AppContext, req: ApiRequest) -> Result<ApiResponse, ApiError> {
    let session = ctx
        .session_cases()
        .get(req.caller()?, &req.session_id()?)
        .await?;
    Ok(ApiResponse::ok(&session))
}

#[derive(Serialize)]
struct Deleted {
    session_id: SessionId,
    deleted: bool,
    objects_removed: usize,
}

/// Deletes the session and everything it owns (the seed's "can delete sessions on request").
pub async fn delete(ctx: &AppContext, req: ApiRequest) -> Result<ApiResponse, ApiError> {
    let deleted = ctx
        .session_cases()
        .delete(req.caller()?, &req.session_id()?)
        .await?;
    Ok(ApiResponse::ok(&Deleted {
        session_id: deleted.session_id,
        deleted: true,
        objects_removed: deleted.objects_removed,
    }))
}
