//! The evaluator's output: the seed's `{overallScore, scores, strengths, improvements, recommendation,
//! detailedFeedback}` in camelCase, plus what makes it explainable — per-metric evidence, the metrics that were not
//! assessed and the counts behind the scores.

use serde::{Deserialize, Serialize};

use super::integrity::IntegrityFlag;
use crate::domain::InterviewType;

/// The five scored dimensions, with the seed's weights.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Metric {
    TechnicalKnowledge,
    ProblemSolving,
    Communication,
    CodeQuality,
    CulturalFit,
}

impl Metric {
    pub const ALL: [Metric; 5] = [
        Metric::TechnicalKnowledge,
        Metric::ProblemSolving,
        Metric::Communication,
        Metric::CodeQuality,
        Metric::CulturalFit,
    ];

    /// The seed's weights: 30 / 25 / 20 / 15 / 10 percent.
    pub fn weight(self) -> f64 {
        match self {
            Metric::TechnicalKnowledge => 0.30,
            Metric::ProblemSolving => 0.25,
            Metric::Communication => 0.20,
            Metric::CodeQuality => 0.15,
            Metric::CulturalFit => 0.10,
        }
    }

    /// The name people read.
    pub fn label(self) -> &'static str {
        match self {
            Metric::TechnicalKnowledge => "Technical knowledge",
            Metric::ProblemSolving => "Problem solving",
            Metric::Communication => "Communication",
            Metric::CodeQuality => "Code quality",
            Metric::CulturalFit => "Cultural fit",
        }
    }

    /// The JSON field name (`technicalKnowledge`…).
    pub fn key(self) -> &'static str {
        match self {
            Metric::TechnicalKnowledge => "technicalKnowledge",
            Metric::ProblemSolving => "problemSolving",
            Metric::Communication => "communication",
            Metric::CodeQuality => "codeQuality",
            Metric::CulturalFit => "culturalFit",
        }
    }
}

/// The hiring recommendation, from the overall score (0–10):
///
/// | recommendation | overall score |
/// | --- | --- |
/// | `STRONG_HIRE` | ≥ 8.5 |
/// | `HIRE` | ≥ 7.0 |
/// | `LEAN_HIRE` | ≥ 5.5 |
/// | `LEAN_NO_HIRE` | ≥ 4.0 |
/// | `NO_HIRE` | < 4.0 |
///
/// A score from too little evidence — fewer than [`MIN_ANSWERS_FOR_HIRE`] substantive answers (ten words or more,
/// on topic, not void) — is capped at `LEAN_HIRE`, with or without code: one good answer, or one solved problem
/// with no conversation, is not an interview. An answer addressed to the grader makes it `NO_HIRE`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Recommendation {
    StrongHire,
    Hire,
    LeanHire,
    LeanNoHire,
    NoHire,
}

/// Substantive answers needed before the recommendation may exceed `LEAN_HIRE`, whatever code was submitted.
pub const MIN_ANSWERS_FOR_HIRE: usize = 3;

impl Recommendation {
    /// The band an overall score falls in (see the table on [`Recommendation`]).
    pub fn for_score(overall: f64) -> Self {
        match overall {
            s if s >= 8.5 => Self::StrongHire,
            s if s >= 7.0 => Self::Hire,
            s if s >= 5.5 => Self::LeanHire,
            s if s >= 4.0 => Self::LeanNoHire,
            _ => Self::NoHire,
        }
    }

    /// The seed's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::StrongHire => "STRONG_HIRE",
            Self::Hire => "HIRE",
            Self::LeanHire => "LEAN_HIRE",
            Self::LeanNoHire => "LEAN_NO_HIRE",
            Self::NoHire => "NO_HIRE",
        }
    }

    /// Every value, best first.
    pub const ALL: [Recommendation; 5] = [
        Self::StrongHire,
        Self::Hire,
        Self::LeanHire,
        Self::LeanNoHire,
        Self::NoHire,
    ];
}

/// The five scores (0–10, one decimal); `null` for a metric that was not assessed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Scores {
    pub technical_knowledge: Option<f64>,
    pub problem_solving: Option<f64>,
    pub communication: Option<f64>,
    pub code_quality: Option<f64>,
    pub cultural_fit: Option<f64>,
}

impl Scores {
    pub fn get(&self, metric: Metric) -> Option<f64> {
        match metric {
            Metric::TechnicalKnowledge => self.technical_knowledge,
            Metric::ProblemSolving => self.problem_solving,
            Metric::Communication => self.communication,
            Metric::CodeQuality => self.code_quality,
            Metric::CulturalFit => self.cultural_fit,
        }
    }

    pub fn set(&mut self, metric: Metric, value: Option<f64>) {
        let slot = match metric {
            Metric::TechnicalKnowledge => &mut self.technical_knowledge,
            Metric::ProblemSolving => &mut self.problem_solving,
            Metric::Communication => &mut self.communication,
            Metric::CodeQuality => &mut self.code_quality,
            Metric::CulturalFit => &mut self.cultural_fit,
        };
        *slot = value;
    }
}

/// Where a piece of evidence comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum EvidenceSource {
    /// A candidate's answer (or the lack of one) to an interviewer's question.
    Answer,
    /// A code run.
    CodeSubmission,
    /// The attempts at one coding problem taken together.
    CodingProblem,
}

/// One thing that moved a score, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Evidence {
    pub source: EvidenceSource,
    /// Index in `conversationHistory` of the answer's first message (or of the unanswered question).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_index: Option<usize>,
    /// The question, shortened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    /// The bank question's id, when the question came from the bank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question_id: Option<String>,
    /// The answer, shortened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submission_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function_name: Option<String>,
    /// This item's own score (0–10), which the metric averages.
    pub score: f64,
    pub reasons: Vec<String>,
}

/// One metric's verdict and its grounds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricAssessment {
    pub assessed: bool,
    pub score: Option<f64>,
    /// The seed's weight.
    pub weight: f64,
    /// The weight actually used: the seed's, scaled up so the assessed metrics' weights sum to 1; 0 when not
    /// assessed.
    pub effective_weight: f64,
    pub summary: String,
    /// The items behind the score — all of them, or the lowest and highest scoring when there are many.
    pub evidence: Vec<Evidence>,
    /// How many items there were in all.
    pub evidence_count: usize,
}

/// Every metric's assessment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Assessments {
    pub technical_knowledge: MetricAssessment,
    pub problem_solving: MetricAssessment,
    pub communication: MetricAssessment,
    pub code_quality: MetricAssessment,
    pub cultural_fit: MetricAssessment,
}

impl Assessments {
    pub fn get(&self, metric: Metric) -> &MetricAssessment {
        match metric {
            Metric::TechnicalKnowledge => &self.technical_knowledge,
            Metric::ProblemSolving => &self.problem_solving,
            Metric::Communication => &self.communication,
            Metric::CodeQuality => &self.code_quality,
            Metric::CulturalFit => &self.cultural_fit,
        }
    }
}

/// Counts and timings behind the scores.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportMetrics {
    /// Interviewer prompts that asked something (small talk excluded).
    pub questions_asked: usize,
    /// Questions that got an answer.
    pub answers_given: usize,
    pub unanswered_questions: usize,
    /// Candidate messages, including greetings and questions back.
    pub candidate_messages: usize,
    pub code_submissions: usize,
    /// Mean seconds from a question to the start of its answer, from message timestamps; `null` without them.
    pub average_response_time_seconds: Option<f64>,
    pub duration_seconds: Option<f64>,
    /// Words the candidate said in answers.
    pub candidate_words: usize,
    /// Filler words per 100 answer words (voice counts when present, else the text's).
    pub filler_words_per_100_words: Option<f64>,
    /// Mean speaking rate over spoken answers.
    pub average_words_per_minute: Option<f64>,
    /// Questions recognised as question-bank questions (scored against their key points).
    pub bank_questions_matched: usize,
}

/// The evaluator's report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PerformanceReport {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidate_name: Option<String>,
    pub interview_type: InterviewType,
    /// The weighted mean of the assessed metrics (0–10, one decimal).
    pub overall_score: f64,
    pub scores: Scores,
    pub strengths: Vec<String>,
    pub improvements: Vec<String>,
    pub recommendation: Recommendation,
    /// Why this recommendation: the band, and the evidence cap when it applied.
    pub recommendation_reason: String,
    pub detailed_feedback: String,
    /// Per metric: score, weights, summary and the evidence that moved it.
    pub evidence: Assessments,
    /// Metrics with no evidence at all, whose weight went to the others.
    pub not_assessed: Vec<Metric>,
    pub metrics: ReportMetrics,
    /// Each answer under the question it answered: the key points credited with the sentence that earned each,
    /// those missed, the misconceptions asserted, and why the answer may not count.
    #[serde(default)]
    pub answers: Vec<AnswerReview>,
    /// What makes the interview as a whole less than it looks (reused answers, injection, scratch-only code…).
    #[serde(default)]
    pub integrity: Vec<IntegrityFlag>,
    /// Which scoring method produced this report, so stored reports stay interpretable when it changes.
    pub method: String,
}

/// One answer as the report explains it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AnswerReview {
    /// The question, as the interviewer asked it (its asking sentence).
    pub question: String,
    /// The bank question it was recognised as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question_id: Option<String>,
    /// The interviewer's follow-ups on the same question; the answer includes what was said to them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub follow_ups: Vec<String>,
    /// The start of the answer.
    pub answer: String,
    /// `technical` or `behavioral`.
    pub kind: String,
    /// The answer's score on its main metric (technical knowledge or cultural fit), 0–10.
    pub score: f64,
    /// Everything that moved that score, the judge's grade and the guard's bounds included.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// How the score was reached: `judge` (a language model graded it, bounded by the guard), `rubric` (a bank
    /// question, word for word or nearly), `nearest` (a paraphrase of a bank question, scored by its rubric),
    /// `star` (a behavioral story, scored on its structure), or `low` (no bank question is close and no judge:
    /// capped).
    pub confidence: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key_points_credited: Vec<CreditedPoint>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key_points_missed: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub red_flags: Vec<RedFlagHit>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub integrity: Vec<IntegrityFlag>,
}

/// A key point and the sentence that earned it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreditedPoint {
    pub point: String,
    pub sentence: String,
    /// Said only once the interviewer had pointed at it (a follow-up asked for it or questioned the answer, or a
    /// reply to a clarifying question named it): counts half. Absent when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hinted: bool,
}

/// A misconception and the sentence that asserted it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RedFlagHit {
    pub claim: String,
    pub sentence: String,
}
