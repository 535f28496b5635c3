//! The interviewer on AWS: a Bedrock Agent (with its knowledge base and tool action groups), streamed.

use super::error_text::error_chain;
use std::collections::HashMap;

use async_trait::async_trait;
use aws_sdk_bedrockagentruntime::Client;
use aws_sdk_bedrockagentruntime::types::{ResponseStream, SessionState, StreamingConfigurations};
use futures::stream;
use serde_json::Value;

use crate::domain::Session;
use crate::ports::{
    InterviewInput, InterviewTurn, Interviewer, InterviewerError, InterviewerEvent,
    InterviewerStream,
};

/// The retry settings of our InvokeAgent client, set explicitly: the SDK may resend a turn only until the
/// response stream has begun (throttling, a 5xx, a refused connection — the agent has not started on it), twice at
/// most, with a short backoff, so a retried turn still fits the socket's 25 s. Once the stream has begun nothing
/// is resent: what was said is saved and the candidate is asked to resend.
pub fn configure_agent_client(
    builder: aws_sdk_bedrockagentruntime::config::Builder,
) -> aws_sdk_bedrockagentruntime::config::Builder {
    use aws_sdk_bedrockagentruntime::config::retry::RetryConfig;
    use aws_sdk_bedrockagentruntime::config::timeout::TimeoutConfig;
    builder
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(std::time::Duration::from_millis(200))
                .with_max_backoff(std::time::Duration::from_secs(2)),
        )
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(std::time::Duration::from_secs(3))
                .build(),
        )
}

/// One agent alias; every turn of a session goes to the agent session with the same id, so the agent keeps its
/// own conversation memory.
#[derive(Clone)]
pub struct BedrockInterviewer {
    client: Client,
    agent_id: String,
    alias_id: String,
}

/// Session attribute values are short strings; a CV summary longer than this is cut.
const MAX_CV_SUMMARY_CHARS: usize = 1500;

impl BedrockInterviewer {
    pub fn new(client: Client, agent_id: impl Into<String>, alias_id: impl Into<String>) -> Self {
        Self {
            client,
            agent_id: agent_id.into(),
            alias_id: alias_id.into(),
        }
    }
}

/// What the agent is told for each kind of turn.
fn input_text(input: &InterviewInput) -> String {
    match input {
        InterviewInput::Start => {
            "[The candidate has joined the interview. Greet them by name, explain the format in one sentence and ask \
             your first question.]"
                .to_owned()
        }
        InterviewInput::Answer(text) => text.clone(),
        InterviewInput::CodeResult(run) => {
            let mut text = format!(
                "[The candidate ran their {} code: {} of {} tests passed.",
                run.language, run.passed, run.total
            );
            if let Some(failure) = &run.first_failure {
                text.push_str(&format!(" First failure: {failure}."));
            }
            text.push_str(" Comment on the result and continue the interview.]");
            text
        }
    }
}

/// Interview type, candidate name and a CV summary, as the agent's session attributes.
fn session_attributes(session: &Session) -> HashMap<String, String> {
    let mut attributes = HashMap::from([
        ("sessionId".to_owned(), session.session_id.to_string()),
        (
            "interviewType".to_owned(),
            session.interview_type.to_string(),
        ),
        (
            "candidateName".to_owned(),
            session.candidate_name.to_string(),
        ),
    ]);
    if let Some(cv) = &session.cv_analysis {
        attributes.insert("cvSummary".to_owned(), cv_summary(cv));
    }
    attributes
}

fn cv_summary(cv: &Value) -> String {
    let mut parts = Vec::new();
    if let Some(years) = cv["totalYearsExperience"].as_f64() {
        parts.push(format!("{years:.1} years of experience"));
    }
    if let Some(skills) = cv["skills"].as_array() {
        let names: Vec<&str> = skills.iter().filter_map(Value::as_str).take(25).collect();
        if !names.is_empty() {
            parts.push(format!("skills: {}", names.join(", ")));
        }
    }
    if let Some(jobs) = cv["experience"].as_array() {
        let roles: Vec<String> = jobs
            .iter()
            .take(4)
            .map(|j| {
                format!(
                    "{} at {}",
                    j["title"].as_str().unwrap_or("role"),
                    j["company"].as_str().unwrap_or("a company")
                )
            })
            .collect();
        if !roles.is_empty() {
            parts.push(format!("recent roles: {}", roles.join("; ")));
        }
    }
    let summary = parts.join(". ");
    summary.chars().take(MAX_CV_SUMMARY_CHARS).collect()
}

#[async_trait]
impl Interviewer for BedrockInterviewer {
    async fn turn(&self, turn: InterviewTurn) -> Result<InterviewerStream, InterviewerError> {
        let state = SessionState::builder()
            .set_session_attributes(Some(session_attributes(&turn.session)))
            .build();
        let output = self
            .client
            .invoke_agent()
            .agent_id(&self.agent_id)
            .agent_alias_id(&self.alias_id)
            .session_id(turn.session.session_id.to_string())
            .input_text(input_text(&turn.input))
            .session_state(state)
            .streaming_configurations(
                StreamingConfigurations::builder()
                    .stream_final_response(true)
                    .build(),
            )
            .send()
            .await
            .map_err(|e| {
                InterviewerError::Unavailable(format!("InvokeAgent: {}", error_chain(&e)))
            })?;
        let events = stream::unfold(Some(output.completion), |receiver| async move {
            let mut receiver = receiver?;
            loop {
                match receiver.recv().await {
                    Ok(Some(ResponseStream::Chunk(part))) => {
                        let text = part
                            .bytes()
                            .map(|b| String::from_utf8_lossy(b.as_ref()).into_owned())
                            .unwrap_or_default();
                        if !text.is_empty() {
                            return Some((Ok(InterviewerEvent::Chunk(text)), Some(receiver)));
                        }
                    }
                    Ok(Some(ResponseStream::ReturnControl(_))) => {
                        // Our action groups run as Lambda functions; an agent configured to return control instead
                        // is a deployment mistake worth stating plainly.
                        return Some((
                            Err(InterviewerError::Unavailable(
                                "the agent returned control for a tool call; configure its action groups with \
                                 Lambda executors"
                                    .into(),
                            )),
                            None,
                        ));
                    }
                    Ok(Some(_)) => continue,
                    Ok(None) => return Some((Ok(InterviewerEvent::Done { state: None }), None)),
                    Err(e) => {
                        return Some((
                            Err(InterviewerError::Unavailable(format!(
                                "agent stream: {}",
                                error_chain(&e)
                            ))),
                            None,
                        ));
                    }
                }
            }
        });
        Ok(Box::pin(events))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::CodeRunSummary;
    use serde_json::json;

    #[test]
    fn code_results_are_described_to_the_agent() {
        let text = input_text(&InterviewInput::CodeResult(CodeRunSummary {
            language: "python".into(),
            passed: 2,
            total: 3,
            first_failure: Some("input [] expected 0 but got None".into()),
        }));
        assert!(text.contains("2 of 3 tests passed"));
        assert!(text.contains("expected 0 but got None"));
    }

    #[test]
    fn cv_summary_is_short_and_useful() {
        let cv = json!({
            "totalYearsExperience": 6.5,
            "skills": ["Rust", "AWS", "Kubernetes"],
            "experience": [{"title": "Staff Engineer", "company": "Acme"}]
        });
        assert_eq!(
            cv_summary(&cv),
            "6.5 years of experience. skills: Rust, AWS, Kubernetes. recent roles: Staff Engineer at Acme"
        );
    }
}
