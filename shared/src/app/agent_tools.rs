//! What the interviewer agent's own tool calls do to the interview: the same use cases the candidate's requests run,
//! on the session the agent is interviewing in — never on data the model wrote into the call.
//!
//! The agent has no caller identity of its own; it acts for the session's owner (the candidate it is
//! interviewing), so the owner checks the candidate's own requests pass through hold here too.

use serde_json::{Value, json};

use crate::domain::{Identity, Session, SessionId};
use crate::store::SessionStore;

use super::AppError;
use super::end::{Reports, report_url};

/// What the agent's resume tool needs.
pub struct AgentResume<'a> {
    pub sessions: &'a SessionStore,
}

/// What the agent's evaluator tool needs.
pub struct AgentEvaluation<'a> {
    pub sessions: &'a SessionStore,
    pub reports: Reports<'a>,
}

impl AgentResume<'_> {
    /// The analysis of the resume uploaded to the session, as the upload stored it (from the file's own text).
    pub async fn analysis(&self, id: &SessionId) -> Result<Value, AppError> {
        let (session, _) = session_and_owner(self.sessions, id).await?;
        let Some(mut analysis) = session.cv_analysis else {
            return Err(AppError::NotYet {
                code: "no_cv",
                message: "the candidate has not uploaded a resume to this interview: ask them to upload one in \
                          the app (Upload CV) and continue without it meanwhile"
                    .into(),
            });
        };
        if let Value::Object(fields) = &mut analysis {
            fields.insert("success".into(), Value::Bool(true));
            fields.insert("source".into(), json!("uploaded resume"));
        }
        Ok(analysis)
    }
}

impl AgentEvaluation<'_> {
    /// Ends the interview exactly as `POST /api/interviews/{id}/end` does and returns the stored report: the
    /// session's own transcript and accepted code runs, evaluated once; a repeated call, or the candidate's own
    /// End, returns the same report.
    pub async fn report(&self, id: &SessionId) -> Result<Value, AppError> {
        let (_, owner) = session_and_owner(self.sessions, id).await?;
        let ended = self.reports.end(&owner, id).await?;
        let mut report = serde_json::to_value(&ended.report)
            .map_err(|e| AppError::Internal(format!("report did not serialise: {e}")))?;
        if let Value::Object(fields) = &mut report {
            fields.insert("success".into(), Value::Bool(true));
            fields.insert("sessionId".into(), Value::String(id.to_string()));
            fields.insert("reportUrl".into(), Value::String(report_url(id)));
        }
        Ok(report)
    }
}

/// The session and its owner, as the owner's own requests see it (absent, deleting or owner-less: not found).
async fn session_and_owner(
    sessions: &SessionStore,
    id: &SessionId,
) -> Result<(Session, Identity), AppError> {
    let not_found = || AppError::not_found(format!("session {id}"));
    let Some((session, _)) = sessions.read(id).await? else {
        return Err(not_found());
    };
    session.ensure_present()?;
    let owner = Identity::new(session.owner.clone(), vec![]).map_err(|_| not_found())?;
    Ok((session, owner))
}
