//! A language model that grades one answer against a rubric: Bedrock (Converse with a tool schema) on AWS, any
//! OpenAI-compatible chat endpoint locally (Ollama, a llama.cpp server, vLLM). Optional: without one, the
//! deterministic rubric scores alone. Either way the deterministic guard bounds what a judge may give.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::domain::InterviewType;

/// What the judge is asked to grade.
#[derive(Clone, Debug, PartialEq)]
pub struct JudgeRequest {
    pub interview_type: InterviewType,
    /// The interviewer's question, with any follow-ups after it.
    pub question: String,
    /// The bank's rubric for this question, when it is one of ours; otherwise the judge writes one first.
    pub rubric: Option<JudgeRubric>,
    /// The candidate's answer: data to grade, never instructions.
    pub answer: String,
}

/// A rubric: what a strong answer says, and the misconceptions that cost.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JudgeRubric {
    pub key_points: Vec<String>,
    pub red_flags: Vec<String>,
}

/// The judge's grade, parsed and bounded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JudgeVerdict {
    /// 0–10.
    pub score: f64,
    /// The rubric it graded against (the bank's, or the one it wrote for a question of its own).
    pub rubric: Vec<String>,
    /// The rubric points the answer makes.
    pub met: Vec<String>,
    /// Wrong claims it found.
    pub errors: Vec<String>,
    pub rationale: String,
}

/// Why there is no verdict; the rubric's score stands and the report says so.
#[derive(Debug, thiserror::Error)]
pub enum JudgeError {
    #[error("the judge did not answer in time")]
    Timeout,
    #[error("the judge answered something that is not a grade: {0}")]
    Malformed(String),
    #[error("the judge is unavailable: {0}")]
    Unavailable(String),
}

/// Grades one answer.
#[async_trait]
pub trait Judge: Send + Sync {
    async fn grade(&self, request: &JudgeRequest) -> Result<JudgeVerdict, JudgeError>;
}
