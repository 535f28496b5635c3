//! The record a code run leaves on its session (`Session.code_submissions`) and the summaries computed over them.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::result::{ExecutionResult, Verdict};
use crate::domain::timestamp;
pub use crate::domain::{InvalidSubmissionId, RunMode, SubmissionId};

/// One code run as stored on the session: the code and everything the executor answered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeSubmission {
    pub submission_id: SubmissionId,
    #[serde(with = "timestamp::required")]
    pub timestamp: DateTime<Utc>,
    pub code: String,
    /// The bank problem the run was graded against, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem_id: Option<String>,
    /// Graded by the server's tests, or a scratch run against the candidate's own (older runs read as scratch:
    /// nothing says their tests were ours).
    #[serde(default = "scratch")]
    pub mode: RunMode,
    #[serde(flatten)]
    pub result: ExecutionResult,
}

fn scratch() -> RunMode {
    RunMode::Scratch
}

impl CodeSubmission {
    /// The one line the session document keeps for this run.
    pub fn to_ref(&self) -> crate::domain::SubmissionRef {
        crate::domain::SubmissionRef {
            submission_id: self.submission_id,
            timestamp: self.timestamp,
            language: self.result.language.to_string(),
            problem_id: self.problem_id.clone(),
            mode: self.mode,
            passed_count: self.result.passed_count,
            total_count: self.result.total_count,
            all_tests_passed: self.result.all_tests_passed,
        }
    }

    /// The stored form of a session entry, if it is one of ours (seed-era or foreign entries are skipped).
    pub fn from_stored(value: &Value) -> Option<Self> {
        serde_json::from_value(value.clone()).ok()
    }

    /// Whether a stored entry has this id, without parsing the whole entry.
    pub fn stored_id_is(value: &Value, id: &SubmissionId) -> bool {
        value
            .get("submissionId")
            .and_then(Value::as_str)
            .and_then(|raw| SubmissionId::parse(raw).ok())
            .is_some_and(|stored| stored == *id)
    }
}

/// Figures over a session's submissions (the seed's quality summary).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QualitySummary {
    pub total_submissions: usize,
    /// Submissions whose every test passed.
    pub accepted_submissions: usize,
    /// `accepted_submissions / total_submissions`, 0 when there are none.
    pub pass_rate: f64,
    /// Averages over submissions that parsed (a compile error has no metrics); 0 when there are none.
    pub average_quality_score: f64,
    pub average_complexity: f64,
    pub average_lines_of_code: f64,
    pub average_comment_ratio: f64,
    pub best_quality_score: Option<f64>,
    /// The score of the most recent submission that parsed.
    pub latest_quality_score: Option<f64>,
    /// Submission counts by language and by verdict.
    pub languages: BTreeMap<String, usize>,
    pub verdicts: BTreeMap<String, usize>,
}

impl QualitySummary {
    /// Summarises submissions given oldest first.
    pub fn of(submissions: &[CodeSubmission]) -> Self {
        let total = submissions.len();
        let accepted = submissions
            .iter()
            .filter(|s| s.result.all_tests_passed)
            .count();
        let metrics: Vec<_> = submissions
            .iter()
            .filter_map(|s| s.result.quality_metrics.as_ref())
            .collect();
        let average = |f: &dyn Fn(&super::QualityMetrics) -> f64| {
            if metrics.is_empty() {
                0.0
            } else {
                round2(metrics.iter().map(|m| f(m)).sum::<f64>() / metrics.len() as f64)
            }
        };
        let mut languages = BTreeMap::new();
        let mut verdicts = BTreeMap::new();
        for s in submissions {
            *languages.entry(s.result.language.to_string()).or_insert(0) += 1;
            *verdicts.entry(verdict_name(s.result.verdict)).or_insert(0) += 1;
        }
        Self {
            total_submissions: total,
            accepted_submissions: accepted,
            pass_rate: if total == 0 {
                0.0
            } else {
                round2(accepted as f64 / total as f64)
            },
            average_quality_score: average(&|m| m.quality_score),
            average_complexity: average(&|m| f64::from(m.cyclomatic_complexity)),
            average_lines_of_code: average(&|m| f64::from(m.lines_of_code)),
            average_comment_ratio: average(&|m| m.comment_ratio),
            best_quality_score: metrics.iter().map(|m| m.quality_score).reduce(f64::max),
            latest_quality_score: metrics.last().map(|m| m.quality_score),
            languages,
            verdicts,
        }
    }
}

fn verdict_name(verdict: Verdict) -> String {
    serde_json::to_value(verdict)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tools::code_executor::{
        ExecutionRequest, QualityMetrics, SandboxReport, SourceMeasurements, TestOutcome,
    };
    use serde_json::json;

    fn submission(expected: i64, decision_points: u32, parses: bool) -> CodeSubmission {
        let request = ExecutionRequest::parse(&json!({
            "code": "def f(x): return x",
            "language": "python",
            "functionName": "f",
            "testCases": [{"input": 1, "expected": expected}],
        }))
        .unwrap();
        let report = SandboxReport {
            tests_started: 1,
            outcomes: vec![TestOutcome::Returned {
                actual: json!(1),
                stdout: String::new(),
                seconds: 0.0,
            }],
            quality_metrics: parses.then(|| {
                QualityMetrics::from_measurements(SourceMeasurements {
                    code_lines: 10,
                    comment_lines: 2,
                    decision_points,
                    ..Default::default()
                })
            }),
            ..Default::default()
        };
        CodeSubmission {
            submission_id: SubmissionId::new_random(),
            // Stored timestamps keep milliseconds.
            timestamp: timestamp::parse("2026-01-02T03:04:05.678Z").unwrap(),
            code: request.code.clone(),
            problem_id: None,
            mode: RunMode::Scratch,
            result: ExecutionResult::assemble(&request, report),
        }
    }

    #[test]
    fn stored_form_is_flat_and_round_trips() {
        let s = submission(1, 0, true);
        let stored = serde_json::to_value(&s).unwrap();
        assert_eq!(stored["submissionId"], s.submission_id.to_string());
        assert_eq!(stored["verdict"], "Accepted");
        assert!(stored["qualityMetrics"]["qualityScore"].is_number());
        assert_eq!(CodeSubmission::from_stored(&stored), Some(s.clone()));
        assert!(CodeSubmission::stored_id_is(&stored, &s.submission_id));
        assert!(!CodeSubmission::stored_id_is(
            &stored,
            &SubmissionId::new_random()
        ));
        assert!(CodeSubmission::from_stored(&json!({"code": "x"})).is_none());
    }

    #[test]
    fn summary_averages_over_parsed_submissions() {
        let all = [
            submission(1, 0, true),
            submission(2, 13, true),
            submission(1, 0, false),
        ];
        let summary = QualitySummary::of(&all);
        assert_eq!(summary.total_submissions, 3);
        assert_eq!(summary.accepted_submissions, 2);
        assert_eq!(summary.pass_rate, 0.67);
        assert_eq!(summary.average_complexity, 7.5);
        assert_eq!(summary.average_quality_score, 9.0);
        assert_eq!(summary.best_quality_score, Some(10.0));
        assert_eq!(summary.latest_quality_score, Some(8.0));
        assert_eq!(summary.languages["python"], 3);
        assert_eq!(summary.verdicts["WrongAnswer"], 1);
        assert_eq!(QualitySummary::of(&[]).average_quality_score, 0.0);
    }

    #[test]
    fn submission_ids_must_be_uuids() {
        assert!(SubmissionId::parse("../x").is_err());
        let id = SubmissionId::new_random();
        assert_eq!(SubmissionId::parse(&id.to_string()), Ok(id));
    }
}
