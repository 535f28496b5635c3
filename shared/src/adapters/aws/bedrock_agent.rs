//! The interviewer on AWS: a Bedrock Agent (with its knowledge base and tool action groups), streamed.
//!
//! The agent's `CodingProblems` action group returns control: instead of running a Lambda, InvokeAgent ends its
//! stream with a `returnControl` event asking us to `present_coding_problem(problemId)`. We open the bank problem
//! in the candidate's editor ([`InterviewerEvent::CodingProblem`], worked examples only — hidden tests never leave
//! the server) and answer the agent with a second InvokeAgent carrying the result in
//! `sessionState.returnControlInvocationResults` and the call's `invocationId`; its continuation streams on as the
//! same reply.

use super::error_text::error_chain;
use std::collections::HashMap;

use async_trait::async_trait;
use aws_sdk_bedrockagentruntime::Client;
use aws_sdk_bedrockagentruntime::primitives::event_stream::EventReceiver;
use aws_sdk_bedrockagentruntime::types::error::ResponseStreamError;
use aws_sdk_bedrockagentruntime::types::{
    ContentBody, FunctionResult, InvocationInputMember, InvocationResultMember, ResponseState,
    ResponseStream, ReturnControlPayload, SessionState, StreamingConfigurations,
};
use futures::stream;
use serde_json::{Value, json};

use crate::domain::Session;
use crate::knowledge::QuestionBank;
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
    /// Where the problems the agent names are looked up.
    bank: &'static QuestionBank,
}

/// Session attribute values are short strings; a CV summary longer than this is cut.
const MAX_CV_SUMMARY_CHARS: usize = 1500;

/// The return-control function that opens a bank problem in the candidate's editor (template.yaml).
pub const PRESENT_CODING_PROBLEM: &str = "present_coding_problem";

/// How many times one reply may hand control back before we stop answering (a model looping on the tool).
const MAX_RETURN_CONTROL_ROUNDS: usize = 3;

impl BedrockInterviewer {
    pub fn new(
        client: Client,
        agent_id: impl Into<String>,
        alias_id: impl Into<String>,
        bank: &'static QuestionBank,
    ) -> Self {
        Self {
            client,
            agent_id: agent_id.into(),
            alias_id: alias_id.into(),
            bank,
        }
    }

    /// One InvokeAgent call: the turn's text, or (`answer`) the results of a `returnControl` with its invocation id.
    async fn invoke(
        &self,
        session: &Session,
        input: Option<String>,
        answer: Option<(String, Vec<InvocationResultMember>)>,
    ) -> Result<Receiver, InterviewerError> {
        let mut state =
            SessionState::builder().set_session_attributes(Some(session_attributes(session)));
        if let Some((invocation_id, results)) = answer {
            state = state
                .invocation_id(invocation_id)
                .set_return_control_invocation_results(Some(results));
        }
        let output = self
            .client
            .invoke_agent()
            .agent_id(&self.agent_id)
            .agent_alias_id(&self.alias_id)
            .session_id(session.session_id.to_string())
            .set_input_text(input)
            .session_state(state.build())
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
        Ok(output.completion)
    }

    /// What the agent asked for in a `returnControl`: the problems to show, and the results to send back.
    fn answer_return_control(
        &self,
        payload: &ReturnControlPayload,
    ) -> (Vec<Value>, Vec<InvocationResultMember>) {
        let mut problems = Vec::new();
        let mut results = Vec::new();
        for input in payload.invocation_inputs() {
            let InvocationInputMember::FunctionInvocationInput(call) = input else {
                tracing::warn!("the agent returned control for an API action; none is configured");
                continue;
            };
            let function = call.function().unwrap_or_default();
            let argument = |name: &str| {
                call.parameters()
                    .iter()
                    .find(|p| p.name() == Some(name))
                    .and_then(|p| p.value())
                    .map(str::trim)
                    .unwrap_or_default()
            };
            let (text, state) = if function != PRESENT_CODING_PROBLEM {
                (
                    format!(
                        "unknown function {function:?}; only {PRESENT_CODING_PROBLEM} is available"
                    ),
                    Some(ResponseState::Reprompt),
                )
            } else {
                match self.bank.coding_problem(argument("problemId")) {
                    Some(problem) => {
                        problems.push(problem.for_client());
                        (
                            json!({
                                "shown": true,
                                "problemId": problem.id,
                                "title": problem.title,
                                "difficulty": problem.difficulty,
                                "note": "the candidate sees the statement, starter code and worked examples; \
                                         introduce the problem in a sentence rather than reading it out"
                            })
                            .to_string(),
                            None,
                        )
                    }
                    None => (
                        format!(
                            "no coding problem has the id {:?}; use the bracketed id from a problem's title in the \
                             knowledge base, one of: {}",
                            argument("problemId").chars().take(64).collect::<String>(),
                            self.bank
                                .coding
                                .iter()
                                .map(|p| p.id.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        Some(ResponseState::Reprompt),
                    ),
                }
            };
            let result = FunctionResult::builder()
                .action_group(call.action_group())
                .function(function)
                .response_body("TEXT", ContentBody::builder().body(text).build())
                .set_response_state(state)
                .build();
            match result {
                Ok(result) => results.push(InvocationResultMember::FunctionResult(result)),
                Err(e) => tracing::error!(error = %e, "could not build a function result"),
            }
        }
        (problems, results)
    }
}

type Receiver = EventReceiver<ResponseStream, ResponseStreamError>;

/// Where a streamed reply is: reading an InvokeAgent stream, with events already due and the turn it answers.
struct Reply {
    interviewer: BedrockInterviewer,
    session: Session,
    receiver: Option<Receiver>,
    due: std::collections::VecDeque<Result<InterviewerEvent, InterviewerError>>,
    rounds: usize,
}

impl Reply {
    /// The next event of the reply, calling the agent again after a `returnControl`.
    async fn next(&mut self) -> Option<Result<InterviewerEvent, InterviewerError>> {
        loop {
            if let Some(event) = self.due.pop_front() {
                return Some(event);
            }
            let receiver = self.receiver.as_mut()?;
            match receiver.recv().await {
                Ok(Some(ResponseStream::Chunk(part))) => {
                    let text = part
                        .bytes()
                        .map(|b| String::from_utf8_lossy(b.as_ref()).into_owned())
                        .unwrap_or_default();
                    if !text.is_empty() {
                        return Some(Ok(InterviewerEvent::Chunk(text)));
                    }
                }
                Ok(Some(ResponseStream::ReturnControl(payload))) => {
                    self.receiver = None;
                    if let Err(e) = self.return_control(&payload).await {
                        return Some(Err(e));
                    }
                }
                Ok(Some(_)) => continue,
                Ok(None) => {
                    self.receiver = None;
                    return Some(Ok(InterviewerEvent::Done { state: None }));
                }
                Err(e) => {
                    self.receiver = None;
                    return Some(Err(InterviewerError::Unavailable(format!(
                        "agent stream: {}",
                        error_chain(&e)
                    ))));
                }
            }
        }
    }

    /// Shows what the agent asked for and answers it; the continuation becomes the stream read next.
    async fn return_control(
        &mut self,
        payload: &ReturnControlPayload,
    ) -> Result<(), InterviewerError> {
        self.rounds += 1;
        if self.rounds > MAX_RETURN_CONTROL_ROUNDS {
            return Err(InterviewerError::Unavailable(format!(
                "the agent returned control more than {MAX_RETURN_CONTROL_ROUNDS} times in one reply"
            )));
        }
        let Some(invocation_id) = payload.invocation_id().map(str::to_owned) else {
            return Err(InterviewerError::Unavailable(
                "returnControl without an invocationId".into(),
            ));
        };
        let (problems, results) = self.interviewer.answer_return_control(payload);
        self.due.extend(
            problems
                .into_iter()
                .map(|p| Ok(InterviewerEvent::CodingProblem(p))),
        );
        let receiver = self
            .interviewer
            .invoke(&self.session, None, Some((invocation_id, results)))
            .await?;
        self.receiver = Some(receiver);
        Ok(())
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
        let receiver = self
            .invoke(&turn.session, Some(input_text(&turn.input)), None)
            .await?;
        let reply = Reply {
            interviewer: self.clone(),
            session: turn.session,
            receiver: Some(receiver),
            due: Default::default(),
            rounds: 0,
        };
        let events = stream::unfold(reply, |mut reply| async move {
            let event = reply.next().await?;
            Some((event, reply))
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
