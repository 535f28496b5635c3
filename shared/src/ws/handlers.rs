//! `$connect`, `$default` and `$disconnect`: the same functions behind API Gateway's WebSocket API and the local
//! server's sockets. Replies go out through a [`PushChannel`], never as the handler's return value, because API
//! Gateway only relays pushed messages to the client.

use std::collections::HashMap;
use std::time::Duration;

use futures::StreamExt;
use serde_json::{Value, json};

use super::connections::{self, ConnectionId, ConnectionRecord};
use super::protocol::{ClientMessage, ServerMessage, parse_client_message};
use super::speech;
use crate::api::{ApiError, ApiRequest};
use crate::context::AppContext;
use crate::domain::{Identity, Role, Session, SessionId, SessionStatus, Source, TranscriptEntry};
use crate::ports::{
    CodeRunSummary, InterviewInput, InterviewTurn, InterviewerEvent, PushChannel, PushError,
};
use crate::store::SessionStoreError;

/// How long one interviewer turn may stream. API Gateway gives an integration 29 s; we stop a few seconds short,
/// keep what was said, and tell the candidate, rather than have the turn cut off silently.
pub const TURN_DEADLINE: Duration = Duration::from_secs(25);

/// The answer to `$connect`: 200 accepts the connection, anything else refuses the handshake.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectReply {
    pub status: u16,
    pub message: String,
}

impl ConnectReply {
    fn refuse(status: u16, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }
}

/// `$connect`: the token (query `token`) must be valid and the session (query `session_id`) the caller's and
/// still running; then the connection is bound to it in `connections/{connection_id}.json`.
pub async fn connect(
    ctx: &AppContext,
    connection_id: &str,
    query: &HashMap<String, String>,
) -> ConnectReply {
    let Some(connection) = ConnectionId::parse(connection_id) else {
        return ConnectReply::refuse(400, "invalid connection id");
    };
    let Some(token) = query.get("token").filter(|t| !t.is_empty()) else {
        return ConnectReply::refuse(401, "missing token query parameter");
    };
    let identity = match ctx.verifier.verify(token).await {
        Ok(identity) => identity,
        Err(_) => return ConnectReply::refuse(401, "the token is invalid or expired"),
    };
    let Some(raw_session) = query.get("session_id") else {
        return ConnectReply::refuse(400, "missing session_id query parameter");
    };
    let Ok(session_id) = SessionId::parse(raw_session) else {
        return ConnectReply::refuse(400, "session_id must be a UUID");
    };
    let session = match ctx.sessions.get(&session_id, &identity).await {
        Ok(session) => session,
        Err(SessionStoreError::NotFound(_)) => {
            return ConnectReply::refuse(404, "session not found");
        }
        Err(e) => {
            tracing::error!(error = %e, "connect: session lookup failed");
            return ConnectReply::refuse(500, "could not open the session; please retry");
        }
    };
    if session.status == SessionStatus::Ended {
        return ConnectReply::refuse(409, "this interview has ended; open its report instead");
    }
    let record = ConnectionRecord {
        connection_id: connection.to_string(),
        session_id,
        sub: identity.sub().to_owned(),
        groups: identity.groups().to_vec(),
        connected_at: ctx.clock.now(),
        utterance: None,
    };
    if let Err(e) = connections::save(ctx.sessions.objects().as_ref(), &connection, &record).await {
        tracing::error!(error = %e, "connect: could not save the connection");
        return ConnectReply::refuse(500, "could not open the connection; please retry");
    }
    tracing::info!(%session_id, connection = %connection, "connected");
    ConnectReply {
        status: 200,
        message: "connected".into(),
    }
}

/// `$disconnect`: forgets the connection.
pub async fn disconnect(ctx: &AppContext, connection_id: &str) {
    if let Some(connection) = ConnectionId::parse(connection_id)
        && let Err(e) = connections::remove(ctx.sessions.objects().as_ref(), &connection).await
    {
        tracing::warn!(error = %e, "disconnect: could not remove the connection record");
    }
}

/// Sends replies to one connection and cleans up after a client that has gone.
pub(super) struct Replies<'a> {
    ctx: &'a AppContext,
    push: &'a dyn PushChannel,
    pub(super) connection: ConnectionId,
}

impl Replies<'_> {
    pub(super) async fn send(&self, message: ServerMessage) {
        match self.push.push(&self.connection, message.to_text()).await {
            Ok(()) => {}
            Err(PushError::Gone(_)) => disconnect(self.ctx, self.connection.as_str()).await,
            Err(e) => tracing::warn!(error = %e, "push failed"),
        }
    }

    pub(super) async fn error(&self, code: &str, message: impl Into<String>) {
        self.send(ServerMessage::error(code, message)).await;
    }
}

/// `$default`: one client message. Every outcome, including a malformed message, is a pushed reply; the
/// connection stays up.
pub async fn message(ctx: &AppContext, push: &dyn PushChannel, connection_id: &str, body: &str) {
    let Some(connection) = ConnectionId::parse(connection_id) else {
        return;
    };
    let replies = Replies {
        ctx,
        push,
        connection,
    };
    let record = match connections::load(ctx.sessions.objects().as_ref(), &replies.connection).await
    {
        Ok(Some(record)) => record,
        Ok(None) => {
            return replies
                .error(
                    "not_connected",
                    "this connection is not bound to a session; reconnect",
                )
                .await;
        }
        Err(e) => {
            tracing::error!(error = %e, "message: connection lookup failed");
            return replies
                .error("internal", "something went wrong on our side; please retry")
                .await;
        }
    };
    let Some(identity) = record.identity() else {
        return replies
            .error("not_connected", "this connection has no caller; reconnect")
            .await;
    };
    let message = match parse_client_message(body) {
        Ok(message) => message,
        Err(refusal) => return replies.error(refusal.code, refusal.message).await,
    };
    let session_id = record.session_id;
    let outcome = match message {
        ClientMessage::Start { voice } => start(ctx, &replies, &identity, &session_id, voice).await,
        ClientMessage::Resume => resume(ctx, &replies, &identity, &session_id).await,
        ClientMessage::Text { text } => {
            let typed = Answer {
                text,
                source: Source::Text,
                extra: Default::default(),
            };
            answer(ctx, &replies, &identity, &session_id, typed, false).await
        }
        ClientMessage::Code {
            code,
            language,
            function_name,
            test_cases,
        } => {
            run_code(
                ctx,
                &replies,
                &identity,
                &session_id,
                code,
                language,
                function_name,
                test_cases,
            )
            .await
        }
        ClientMessage::SpeechStart => speech::start(ctx, &replies, record).await,
        ClientMessage::Audio { seq, data } => {
            speech::audio(ctx, &replies, &record, seq, &data).await
        }
        ClientMessage::SpeechEnd { chunks } => {
            match speech::finish(ctx, &replies, record, chunks).await {
                Ok(Some(spoken)) => {
                    answer(ctx, &replies, &identity, &session_id, spoken, true).await
                }
                Ok(None) => Ok(()),
                Err(e) => Err(e),
            }
        }
        ClientMessage::End => end(ctx, &replies, &identity, &session_id).await,
    };
    if let Err(e) = outcome {
        let (code, text) = match e {
            SessionStoreError::NotFound(_) => {
                ("not_found", "this session no longer exists".to_owned())
            }
            SessionStoreError::Contention(_) => {
                ("busy", "the session is busy; please resend".to_owned())
            }
            other => {
                tracing::error!(error = %other, "message failed");
                (
                    "internal",
                    "something went wrong on our side; please retry".to_owned(),
                )
            }
        };
        replies.error(code, text).await;
    }
}

/// The caller's session when it is still running, after sending the `voice` settings; `None` after telling the
/// client it has ended.
async fn open_session(
    ctx: &AppContext,
    replies: &Replies<'_>,
    identity: &Identity,
    session_id: &SessionId,
) -> Result<Option<Session>, SessionStoreError> {
    let session = ctx.sessions.get(session_id, identity).await?;
    if session.status == SessionStatus::Ended {
        replies
            .error("session_ended", "this interview has ended")
            .await;
        return Ok(None);
    }
    replies.send(speech::status(ctx)).await;
    Ok(Some(session))
}

async fn start(
    ctx: &AppContext,
    replies: &Replies<'_>,
    identity: &Identity,
    session_id: &SessionId,
    voice: bool,
) -> Result<(), SessionStoreError> {
    let Some(session) = open_session(ctx, replies, identity, session_id).await? else {
        return Ok(());
    };
    interviewer_turn(
        ctx,
        replies,
        identity,
        session,
        InterviewInput::Start,
        voice,
    )
    .await
}

/// After a reconnect: what the client needs to carry on without a new greeting.
async fn resume(
    ctx: &AppContext,
    replies: &Replies<'_>,
    identity: &Identity,
    session_id: &SessionId,
) -> Result<(), SessionStoreError> {
    let Some(session) = open_session(ctx, replies, identity, session_id).await? else {
        return Ok(());
    };
    if let Some(problem) = session.coding_problem {
        replies.send(ServerMessage::CodingProblem { problem }).await;
    }
    Ok(())
}

/// A candidate's answer, typed or transcribed.
pub(super) struct Answer {
    pub(super) text: String,
    pub(super) source: Source,
    /// Delivery measurements of a spoken answer (`wpm`, `filler_count`, …), stored on the transcript entry.
    pub(super) extra: serde_json::Map<String, Value>,
}

async fn answer(
    ctx: &AppContext,
    replies: &Replies<'_>,
    identity: &Identity,
    session_id: &SessionId,
    answer: Answer,
    speak: bool,
) -> Result<(), SessionStoreError> {
    let entry = TranscriptEntry {
        role: Role::User,
        text: answer.text.trim().to_owned(),
        timestamp: ctx.clock.now(),
        source: answer.source,
        extra: answer.extra,
    };
    let (session, accepted) = ctx
        .sessions
        .update(session_id, identity, |s| {
            if s.status == SessionStatus::Ended {
                return Ok(false);
            }
            s.insert_transcript_entry(entry.clone());
            Ok::<_, SessionStoreError>(true)
        })
        .await?;
    if !accepted {
        replies
            .error("session_ended", "this interview has ended")
            .await;
        return Ok(());
    }
    replies
        .send(ServerMessage::Transcript {
            text: entry.text.clone(),
            role: Role::User,
            is_final: true,
        })
        .await;
    interviewer_turn(
        ctx,
        replies,
        identity,
        session,
        InterviewInput::Answer(entry.text),
        speak,
    )
    .await
}

/// Streams one interviewer reply to the client and saves it — whatever was said, even if the stream breaks. With
/// `speak`, each finished sentence is also synthesised and sent as `audio` while later text is still arriving.
async fn interviewer_turn(
    ctx: &AppContext,
    replies: &Replies<'_>,
    identity: &Identity,
    session: Session,
    input: InterviewInput,
    speak: bool,
) -> Result<(), SessionStoreError> {
    let tts = ctx.speech.tts.as_deref().filter(|_| speak);
    let (sentences, to_speak) = tokio::sync::mpsc::unbounded_channel::<String>();
    let write = async move {
        let outcome = stream_reply(ctx, replies, session, input, tts.map(|_| &sentences)).await;
        drop(sentences);
        finish_reply(ctx, replies, identity, outcome).await
    };
    let say = async {
        if let Some(tts) = tts {
            speech::speak(tts, replies, to_speak).await;
        }
    };
    let (written, ()) = tokio::join!(write, say);
    written
}

/// What one streamed reply produced.
struct ReplyOutcome {
    session_id: SessionId,
    said: String,
    finished: Option<Option<Value>>,
    problem: Option<Value>,
    failure: Option<String>,
}

async fn stream_reply(
    ctx: &AppContext,
    replies: &Replies<'_>,
    session: Session,
    input: InterviewInput,
    sentences: Option<&tokio::sync::mpsc::UnboundedSender<String>>,
) -> ReplyOutcome {
    let session_id = session.session_id;
    let deadline = tokio::time::Instant::now() + TURN_DEADLINE;
    let mut splitter = crate::voice::SentenceSplitter::new();
    let mut outcome = ReplyOutcome {
        session_id,
        said: String::new(),
        finished: None,
        problem: None,
        failure: None,
    };
    match ctx.interviewer.turn(InterviewTurn { session, input }).await {
        Err(e) => outcome.failure = Some(e.to_string()),
        Ok(mut stream) => loop {
            let next = match tokio::time::timeout_at(deadline, stream.next()).await {
                Ok(next) => next,
                Err(_) => {
                    outcome.failure = Some("the interviewer took too long".to_owned());
                    break;
                }
            };
            match next {
                Some(Ok(InterviewerEvent::Chunk(text))) => {
                    outcome.said.push_str(&text);
                    if let Some(sentences) = sentences {
                        for sentence in splitter.push(&text) {
                            let _ = sentences.send(sentence);
                        }
                    }
                    replies.send(ServerMessage::LlmChunk { text }).await;
                }
                Some(Ok(InterviewerEvent::CodingProblem(p))) => {
                    replies
                        .send(ServerMessage::CodingProblem { problem: p.clone() })
                        .await;
                    outcome.problem = Some(p);
                }
                Some(Ok(InterviewerEvent::Done { state })) => {
                    outcome.finished = Some(state);
                    break;
                }
                Some(Err(e)) => {
                    outcome.failure = Some(e.to_string());
                    break;
                }
                None => {
                    outcome.failure = Some("the interviewer's reply ended early".to_owned());
                    break;
                }
            }
        },
    }
    if let Some(sentences) = sentences {
        for sentence in splitter.finish() {
            let _ = sentences.send(sentence);
        }
    }
    outcome
}

/// Saves what was said and tells the client the reply is complete (or broke).
async fn finish_reply(
    ctx: &AppContext,
    replies: &Replies<'_>,
    identity: &Identity,
    outcome: ReplyOutcome,
) -> Result<(), SessionStoreError> {
    let ReplyOutcome {
        session_id,
        said,
        finished,
        problem,
        failure,
    } = outcome;
    let said = said.trim().to_owned();
    if !said.is_empty() || finished.is_some() || problem.is_some() {
        let entry = (!said.is_empty()).then(|| TranscriptEntry {
            role: Role::Assistant,
            text: said.clone(),
            timestamp: ctx.clock.now(),
            source: Source::Agent,
            extra: Default::default(),
        });
        ctx.sessions
            .update(&session_id, identity, |s| {
                if let Some(entry) = &entry {
                    s.insert_transcript_entry(entry.clone());
                }
                if let Some(state) = &finished {
                    s.agent_state.clone_from(state);
                }
                if let Some(p) = &problem {
                    s.coding_problem = Some(p.clone());
                }
                Ok::<_, SessionStoreError>(())
            })
            .await?;
    }
    match failure {
        None => {
            replies
                .send(ServerMessage::AssistantComplete {
                    text: said,
                    role: Role::Assistant,
                })
                .await;
        }
        Some(reason) => {
            tracing::warn!(%session_id, %reason, "interviewer turn failed");
            replies
                .error(
                    "interviewer_unavailable",
                    "the interviewer stopped mid-reply; what was said is saved. Send your answer again to continue.",
                )
                .await;
        }
    }
    Ok(())
}

/// Runs code exactly as `POST /api/code/execute` does (same validation, same stored submission), then lets the
/// interviewer comment on the result.
#[allow(clippy::too_many_arguments)]
async fn run_code(
    ctx: &AppContext,
    replies: &Replies<'_>,
    identity: &Identity,
    session_id: &SessionId,
    code: String,
    language: String,
    function_name: Option<String>,
    test_cases: Option<Value>,
) -> Result<(), SessionStoreError> {
    let session = ctx.sessions.get(session_id, identity).await?;
    let problem = session.coding_problem.clone().unwrap_or(Value::Null);
    let lang_key = language.trim().to_lowercase();
    let function_name = function_name
        .or_else(|| {
            problem["functionName"][lang_key.as_str()]
                .as_str()
                .map(str::to_owned)
        })
        .or_else(|| problem["functionName"].as_str().map(str::to_owned));
    let test_cases = test_cases.or_else(|| problem.get("testCases").cloned());
    let (Some(function_name), Some(test_cases)) = (function_name, test_cases) else {
        replies
            .error(
                "invalid_message",
                "no coding problem is open: send functionName and testCases with your code",
            )
            .await;
        return Ok(());
    };
    let body = json!({
        "sessionId": session_id.to_string(),
        "code": code,
        "language": language,
        "functionName": function_name,
        "testCases": test_cases,
    });
    let request = ApiRequest {
        method: http::Method::POST,
        body: bytes::Bytes::from(body.to_string()),
        identity: Some(identity.clone()),
        ..ApiRequest::default()
    };
    let result = match crate::handlers::code::execute(ctx, request).await {
        Ok(response) => response.body_json(),
        Err(e) => {
            let (code, message) = refusal(e);
            replies.error(code, message).await;
            return Ok(());
        }
    };
    replies
        .send(ServerMessage::CodeResult {
            result: result.clone(),
        })
        .await;
    let session = ctx.sessions.get(session_id, identity).await?;
    let summary = summarise_run(&language, &result);
    interviewer_turn(
        ctx,
        replies,
        identity,
        session,
        InterviewInput::CodeResult(summary),
        false,
    )
    .await
}

/// An API error as an `error` message: the caller's mistake in its own words, our faults generically.
fn refusal(e: ApiError) -> (&'static str, String) {
    if e.status().is_server_error() {
        let _ = e.into_response();
        (
            "internal",
            "something went wrong on our side; please retry".to_owned(),
        )
    } else {
        ("rejected", e.to_string())
    }
}

fn summarise_run(language: &str, result: &Value) -> CodeRunSummary {
    let tests = result["testResults"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let passed = tests
        .iter()
        .filter(|t| t["passed"].as_bool() == Some(true))
        .count();
    let first_failure = tests
        .iter()
        .find(|t| t["passed"].as_bool() != Some(true))
        .map(|t| {
            let error = &t["error"];
            if error.is_object() || error.is_string() {
                let message = error["message"]
                    .as_str()
                    .or(error.as_str())
                    .unwrap_or("an error");
                format!("input {} raised {}", compact(&t["input"]), message)
            } else {
                format!(
                    "input {} expected {} but got {}",
                    compact(&t["input"]),
                    compact(&t["expected"]),
                    compact(&t["actual"])
                )
            }
        });
    let first_failure = first_failure.or_else(|| {
        result["error"]["message"]
            .as_str()
            .or(result["error"].as_str())
            .map(str::to_owned)
    });
    CodeRunSummary {
        language: language.to_owned(),
        passed,
        total: tests.len(),
        first_failure,
    }
}

fn compact(value: &Value) -> String {
    let text = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if text.chars().count() > 80 {
        format!("{}…", text.chars().take(80).collect::<String>())
    } else {
        text
    }
}

/// Ends the interview exactly as `POST /api/interviews/{id}/end` does, then sends the report.
async fn end(
    ctx: &AppContext,
    replies: &Replies<'_>,
    identity: &Identity,
    session_id: &SessionId,
) -> Result<(), SessionStoreError> {
    let request = ApiRequest {
        method: http::Method::POST,
        path_params: HashMap::from([("session_id".to_owned(), session_id.to_string())]),
        identity: Some(identity.clone()),
        ..ApiRequest::default()
    };
    if let Err(e) = crate::handlers::interview_end::end(ctx, request).await {
        let (code, message) = refusal(e);
        replies.error(code, message).await;
        return Ok(());
    }
    let report = match crate::handlers::interview_end::read_report(ctx, session_id).await {
        Ok(Some(stored)) => serde_json::to_value(&stored).unwrap_or(Value::Null),
        Ok(None) => Value::Null,
        Err(e) => {
            let (code, message) = refusal(e);
            replies.error(code, message).await;
            return Ok(());
        }
    };
    replies
        .send(ServerMessage::Report {
            session_id: session_id.to_string(),
            report_url: crate::handlers::interview_end::report_url(session_id),
            report,
        })
        .await;
    Ok(())
}
