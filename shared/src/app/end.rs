//! Ending an interview and reading its report.
//!
//! `end` is one transition, then work on what it froze: the `BeginEnding` write marks the session ending (from
//! then on answers, code runs and uploads are refused), and the document as of that write is exactly what the
//! report covers. The report is evaluated from it, stored once (`If-None-Match: *`: the first report wins), then
//! `FinishEnding` marks the session ended with the report's headline, and the analytics summary is recorded.
//! Ending again returns the stored report; an end that stopped half-way (ending, no report) is finished by the
//! next one from the same frozen document. A delete racing any of this leaves nothing behind: a report written
//! for a session that vanished is removed, and the summary is checked against the session after it is written.

use std::collections::BTreeMap;

use futures::StreamExt;

use crate::analytics::{ReportHeadline, SummaryStore};
use crate::domain::{EndingStart, Identity, Session, SessionId, SessionStatus, Transition};
use crate::knowledge::QuestionBank;
use crate::ports::{Clock, Judge};
use crate::store::{ReportStore, SessionStore, StoredReport, SubmissionStore};
use crate::tools::performance_evaluator::{
    EvaluationInput, JudgeOutcome, evaluate_with, judge_requests,
};

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
    /// Grades answers when configured; its verdicts are bounded by the deterministic guard.
    pub judge: Option<&'a dyn Judge>,
}

/// How many answers are sent to the judge at once.
const JUDGE_CONCURRENCY: usize = 4;

/// How long the judge may take over one whole interview. `end` answers a request API Gateway abandons after 30 s
/// (and `end-interview` stops at 29 s), so grading stops here and any answer not yet graded keeps its rubric
/// score, with the reason in its evidence.
pub const JUDGE_BUDGET: std::time::Duration = std::time::Duration::from_secs(18);

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
        let verdicts = match self.judge {
            Some(judge) => grade_all(judge, &input, self.bank).await,
            None => BTreeMap::new(),
        };
        let bank = self.bank;
        let id = frozen.session_id;
        super::cpu::run_heavy(move || evaluate_with(&input, bank, &verdicts))
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

/// Asks the judge about every technical answer, a few at a time. A failure on one answer is recorded for that
/// answer (the rubric's score stands and the report says why); it never fails the end.
async fn grade_all(
    judge: &dyn Judge,
    input: &EvaluationInput,
    bank: &QuestionBank,
) -> BTreeMap<usize, JudgeOutcome> {
    let deadline = tokio::time::Instant::now() + JUDGE_BUDGET;
    futures::stream::iter(judge_requests(input, bank))
        .map(|(exchange, request)| async move {
            let graded = tokio::time::timeout_at(deadline, judge.grade(&request)).await;
            let outcome = match graded {
                Ok(Ok(verdict)) => JudgeOutcome::Graded(verdict),
                Err(_) => {
                    tracing::warn!(
                        "judge out of time for this interview; the rubric's score stands"
                    );
                    JudgeOutcome::Failed("the judge ran out of time for this interview".to_owned())
                }
                Ok(Err(e)) => {
                    tracing::warn!(error = %e, "judge failed; the rubric's score stands");
                    JudgeOutcome::Failed(e.to_string())
                }
            };
            (exchange, outcome)
        })
        .buffer_unordered(JUDGE_CONCURRENCY)
        .collect()
        .await
}
