//! Ending an interview and reading its report.
//!
//! `end` is one transition, then work on what it froze: the `BeginEnding` write marks the session ending (from
//! then on answers, code runs and uploads are refused), and the document as of that write is exactly what the
//! report covers. The report is evaluated from it, stored once (`If-None-Match: *`: the first report wins), then
//! `FinishEnding` marks the session ended with the report's headline, and the analytics summary is recorded.
//! Ending again returns the stored report; an end that stopped half-way (ending, no report) is finished by the
//! next one from the same frozen document. A delete racing any of this leaves nothing behind: a report written
//! for a session that vanished is removed, and the summary is checked against the session after it is written.

use crate::analytics::{ReportHeadline, SummaryStore};
use crate::domain::{EndingStart, Identity, Session, SessionId, SessionStatus, Transition};
use crate::knowledge::QuestionBank;
use crate::ports::Clock;
use crate::store::{ReportStore, SessionStore, StoredReport, SubmissionStore};
use crate::tools::performance_evaluator::{EvaluationInput, evaluate};

use super::AppError;
use super::sessions::record_summary;

/// What ending and reports need.
pub struct Reports<'a> {
    pub sessions: &'a SessionStore,
    pub submissions: &'a SubmissionStore,
    pub reports: &'a ReportStore,
    pub summaries: &'a SummaryStore,
    pub clock: &'a dyn Clock,
    pub bank: &'static QuestionBank,
}

/// An ended interview with its report.
pub struct Ended {
    pub session_id: SessionId,
    pub report: StoredReport,
}

/// The API path of a session's report: a relative URL the client calls with its token (no presigned URLs).
pub fn report_url(id: &SessionId) -> String {
    format!("/api/interviews/{id}/performance-report")
}

impl Reports<'_> {
    /// Ends the caller's interview (idempotent) and returns its report.
    pub async fn end(&self, caller: &Identity, id: &SessionId) -> Result<Ended, AppError> {
        let now = self.clock.now();
        let (frozen, start) = self
            .sessions
            .update(id, caller, Transition::BeginEnding, |s| {
                s.begin_ending(now).map_err(AppError::from)
            })
            .await?;
        if start == EndingStart::AlreadyEnded
            && frozen.report.is_some()
            && let Some(report) = self.reports.get(id).await?
        {
            // Re-recording repairs analytics if an earlier end stopped after its report.
            record_summary(self.sessions, self.summaries, &frozen).await?;
            return Ok(Ended {
                session_id: *id,
                report,
            });
        }
        let report = self.evaluate(&frozen).await?;
        let stored = self
            .reports
            .put_first(
                id,
                StoredReport {
                    report,
                    ended_at: frozen.ended_at.unwrap_or(now),
                    generated_at: now,
                },
            )
            .await?;
        let headline = ReportHeadline::of(&stored.report, stored.generated_at);
        let duration = stored.report.metrics.duration_seconds;
        let finished = self
            .sessions
            .update(id, caller, Transition::FinishEnding, |s| {
                if s.status == SessionStatus::Ended && s.report.is_some() {
                    // Another request finished it first; its report stands.
                    return Ok::<_, AppError>(());
                }
                s.status = SessionStatus::Ended;
                // The stored report's end time wins (a repeated end after a crash keeps the first one's).
                s.ended_at = Some(stored.ended_at);
                s.duration = duration;
                s.report = Some(headline.clone().into_report_ref(report_url(id)));
                Ok(())
            })
            .await;
        let session = match finished {
            Ok((session, ())) => session,
            Err(AppError::NotFound { .. }) => {
                // Deleted while the report was being made: the report must not outlive the session.
                self.reports.remove(id).await?;
                return Err(AppError::not_found(format!("session {id}")));
            }
            Err(other) => return Err(other),
        };
        record_summary(self.sessions, self.summaries, &session).await?;
        tracing::info!(
            session_id = %id,
            overall_score = stored.report.overall_score,
            recommendation = stored.report.recommendation.as_str(),
            "interview ended"
        );
        Ok(Ended {
            session_id: *id,
            report: stored,
        })
    }

    /// Evaluates a frozen session: its transcript and the runs it had accepted.
    async fn evaluate(
        &self,
        frozen: &Session,
    ) -> Result<crate::tools::performance_evaluator::PerformanceReport, AppError> {
        let runs = self
            .submissions
            .resolve(&frozen.session_id, &frozen.code_submissions)
            .await?;
        let input = EvaluationInput::from_session(frozen, &runs, frozen.duration_seconds());
        let bank = self.bank;
        let id = frozen.session_id;
        super::cpu::run_heavy(move || evaluate(&input, bank))
            .await
            .map_err(|e| AppError::Internal(format!("evaluation of {id} did not finish: {e}")))
    }

    /// The report of the caller's ended interview; 404 saying what to do while it has not ended.
    pub async fn get(&self, caller: &Identity, id: &SessionId) -> Result<Ended, AppError> {
        let session = self.sessions.get(id, caller).await?;
        if session.status != SessionStatus::Ended || session.report.is_none() {
            return Err(AppError::NotYet {
                code: "report_not_ready",
                message: format!(
                    "the interview has not ended yet, so there is no report: end it first with \
                     POST /api/interviews/{id}/end"
                ),
            });
        }
        let Some(report) = self.reports.get(id).await? else {
            return Err(AppError::NotYet {
                code: "report_missing",
                message: format!(
                    "the report file is missing; POST /api/interviews/{id}/end regenerates it"
                ),
            });
        };
        Ok(Ended {
            session_id: *id,
            report,
        })
    }
}
