//! The compact record analytics read instead of a session document, and the report headline stored on the session.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::domain::{
    InterviewType, OwnerKey, ReportRef, Session, SessionId, SessionStatus, timestamp,
};
use crate::tools::performance_evaluator::{Metric, PerformanceReport, Recommendation};

/// The five metric scores in the REST responses' snake_case; `null` where the metric was not assessed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MetricScores {
    #[serde(default)]
    pub technical_knowledge: Option<f64>,
    #[serde(default)]
    pub problem_solving: Option<f64>,
    #[serde(default)]
    pub communication: Option<f64>,
    #[serde(default)]
    pub code_quality: Option<f64>,
    #[serde(default)]
    pub cultural_fit: Option<f64>,
}

impl MetricScores {
    /// One metric's score.
    pub fn get(&self, metric: Metric) -> Option<f64> {
        match metric {
            Metric::TechnicalKnowledge => self.technical_knowledge,
            Metric::ProblemSolving => self.problem_solving,
            Metric::Communication => self.communication,
            Metric::CodeQuality => self.code_quality,
            Metric::CulturalFit => self.cultural_fit,
        }
    }

    fn of(report: &PerformanceReport) -> Self {
        let s = &report.scores;
        Self {
            technical_knowledge: s.technical_knowledge,
            problem_solving: s.problem_solving,
            communication: s.communication,
            code_quality: s.code_quality,
            cultural_fit: s.cultural_fit,
        }
    }
}

/// The report's headline, kept on the session (`report` next to `report_url`) so listings and analytics need not
/// read the report itself.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportHeadline {
    pub overall_score: f64,
    pub recommendation: Recommendation,
    pub scores: MetricScores,
    #[serde(with = "timestamp::required")]
    pub generated_at: DateTime<Utc>,
}

impl ReportHeadline {
    /// The headline of a report generated at `generated_at`.
    pub fn of(report: &PerformanceReport, generated_at: DateTime<Utc>) -> Self {
        Self {
            overall_score: report.overall_score,
            recommendation: report.recommendation,
            scores: MetricScores::of(report),
            generated_at,
        }
    }

    /// The session's report reference: the report's URL and these fields beside it.
    pub fn into_report_ref(self, report_url: String) -> ReportRef {
        let summary = match serde_json::to_value(self) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        };
        ReportRef {
            report_url,
            summary,
        }
    }

    /// Reads the headline back from a session's report reference (`None` for references written by other code).
    pub fn from_report_ref(report: &ReportRef) -> Option<Self> {
        serde_json::from_value(Value::Object(report.summary.clone())).ok()
    }
}

/// One session as analytics see it: about 400 bytes of JSON, one line in a summary file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InterviewSummary {
    pub session_id: SessionId,
    /// The owner's [`OwnerKey`] (a hash of the `sub`), never the `sub` itself.
    pub owner: String,
    pub candidate_name: String,
    pub interview_type: InterviewType,
    pub status: SessionStatus,
    #[serde(with = "timestamp::required")]
    pub created_at: DateTime<Utc>,
    #[serde(default, with = "timestamp::optional")]
    pub ended_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub duration_seconds: Option<f64>,
    /// Present once the session has ended with a report.
    #[serde(default)]
    pub overall_score: Option<f64>,
    #[serde(default)]
    pub recommendation: Option<Recommendation>,
    #[serde(default)]
    pub scores: MetricScores,
}

impl InterviewSummary {
    /// The summary of a session as it stands: an active session has no scores yet; an ended one carries its
    /// report headline.
    pub fn from_session(session: &Session) -> Self {
        let headline = session
            .report
            .as_ref()
            .and_then(ReportHeadline::from_report_ref);
        let ended = session.status == SessionStatus::Ended;
        Self {
            session_id: session.session_id,
            owner: OwnerKey::of(&session.owner).as_str().to_owned(),
            candidate_name: session.candidate_name.to_string(),
            interview_type: session.interview_type,
            status: session.status,
            created_at: session.created_at,
            ended_at: session.ended_at,
            duration_seconds: session.duration,
            overall_score: headline.as_ref().filter(|_| ended).map(|h| h.overall_score),
            recommendation: headline
                .as_ref()
                .filter(|_| ended)
                .map(|h| h.recommendation),
            scores: headline
                .filter(|_| ended)
                .map(|h| h.scores)
                .unwrap_or_default(),
        }
    }

    /// The day file this summary belongs to: the session's creation date in UTC.
    pub fn day(&self) -> NaiveDate {
        self.created_at.date_naive()
    }

    /// Whether the session ended with a scored report.
    pub fn is_scored(&self) -> bool {
        self.status == SessionStatus::Ended && self.overall_score.is_some()
    }
}
