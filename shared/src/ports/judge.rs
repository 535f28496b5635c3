//! A language model that grades one answer against a rubric: Bedrock (Converse with a tool schema) on AWS, any
//! OpenAI-compatible chat endpoint locally (Ollama, a llama.cpp server, vLLM). Optional: without one, the
//! deterministic rubric scores alone. Either way the deterministic guard bounds what a judge may give.

use async_trait::async_trait;

pub use crate::tools::performance_evaluator::judging::{
    JudgeError, JudgeRequest, JudgeRubric, JudgeVerdict,
};

/// Grades one answer.
#[async_trait]
pub trait Judge: Send + Sync {
    async fn grade(&self, request: &JudgeRequest) -> Result<JudgeVerdict, JudgeError>;
}
