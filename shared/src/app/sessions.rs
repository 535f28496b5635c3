//! Sessions: create, list, read, delete — and keeping each session's analytics summary in step with it.

use crate::analytics::{InterviewSummary, SummaryStore};
use crate::domain::{
    CandidateName, Identity, InterviewType, QuotaKind, Session, SessionId, Transition,
};
use crate::ports::Clock;
use crate::store::{SessionStore, SessionStoreError};

use super::AppError;
use super::quotas::Quotas;

/// What the session use cases need.
pub struct Sessions<'a> {
    pub sessions: &'a SessionStore,
    pub summaries: &'a SummaryStore,
    pub quotas: Quotas<'a>,
    pub clock: &'a dyn Clock,
}

/// A new session's choices, parsed.
pub struct NewSession {
    pub interview_type: InterviewType,
    pub candidate_name: CandidateName,
}

/// What a delete removed.
pub struct Deleted {
    pub session_id: SessionId,
    pub objects_removed: usize,
}

impl Sessions<'_> {
    /// Creates a session owned by `caller`, one of the interviews the caller may start today (429 beyond). Its
    /// analytics summary is recorded too (completion rates count interviews that never ended); a failure there is
    /// logged, not returned — the session exists.
    pub async fn create(&self, caller: &Identity, new: NewSession) -> Result<Session, AppError> {
        self.quotas
            .spend(&caller.owner_key(), QuotaKind::Interviews, 1)
            .await?;
        let session = Session::new(
            SessionId::new_random(),
            caller,
            new.interview_type,
            new.candidate_name,
            self.clock.now(),
        );
        self.sessions.create(&session).await?;
        if let Err(e) = record_summary(self.sessions, self.summaries, &session).await {
            tracing::warn!(session_id = %session.session_id, error = %e, "could not record the analytics summary");
        }
        tracing::info!(session_id = %session.session_id, interview_type = %session.interview_type, "session created");
        Ok(session)
    }

    /// The caller's sessions, newest first.
    pub async fn list(&self, caller: &Identity) -> Result<Vec<Session>, AppError> {
        Ok(self.sessions.list_for_owner(caller).await?)
    }

    /// One of the caller's sessions.
    pub async fn get(&self, caller: &Identity, id: &SessionId) -> Result<Session, AppError> {
        Ok(self.sessions.get(id, caller).await?)
    }

    /// Deletes the session and everything it owns. First the `BeginDelete` transition (from then on the session
    /// is gone for every reader and refuses every other transition), then its analytics summary, then its data,
    /// then the document. A repeated delete finishes an interrupted one; an `end` racing it cleans up after
    /// itself (see [`record_summary`]).
    pub async fn delete(&self, caller: &Identity, id: &SessionId) -> Result<Deleted, AppError> {
        let session = match self
            .sessions
            .update(id, caller, Transition::BeginDelete, |s| {
                s.begin_delete().map_err(AppError::from)
            })
            .await
        {
            Ok((session, ())) => session,
            // Already deleting (an earlier delete stopped half-way) reads as not found: finish it.
            Err(AppError::NotFound { .. }) => {
                let session = self.sessions.get_including_deleting(id, caller).await?;
                if session.ensure_present().is_ok() {
                    return Err(AppError::not_found(format!("session {id}")));
                }
                session
            }
            Err(other) => return Err(other),
        };
        self.summaries
            .forget(&InterviewSummary::from_session(&session))
            .await
            .map_err(|e| {
                AppError::Internal(format!(
                    "could not remove the analytics summary of {id}: {e}"
                ))
            })?;
        let objects_removed = self.sessions.purge(id, caller).await?;
        tracing::info!(session_id = %id, objects_removed, "session deleted");
        Ok(Deleted {
            session_id: *id,
            objects_removed,
        })
    }
}

/// Records a session's analytics summary so that no summary outlives its session: after writing, the session is
/// read again, and if it is gone or being deleted the summary is removed. A delete forgets the summary only after
/// its `BeginDelete` write, so whichever order the two run in, the summary ends up absent exactly when the
/// session is.
pub async fn record_summary(
    sessions: &SessionStore,
    summaries: &SummaryStore,
    session: &Session,
) -> Result<(), AppError> {
    let summary = InterviewSummary::from_session(session);
    summaries.record(&summary).await?;
    let still_there = match sessions.read(&session.session_id).await {
        Ok(Some((current, _))) => current.ensure_present().is_ok(),
        Ok(None) => false,
        Err(SessionStoreError::Corrupt { .. }) => true,
        Err(e) => return Err(e.into()),
    };
    if !still_there {
        summaries.forget(&summary).await?;
    }
    Ok(())
}
