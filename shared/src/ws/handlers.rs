//! `$connect`, `$default` and `$disconnect`: the same functions behind API Gateway's WebSocket API and the local
//! server's sockets. Each parses its event, calls a use case in [`crate::app`] and pushes what it produces; replies
//! go out through a [`PushChannel`], never as the handler's return value, because API Gateway only relays pushed
//! messages to the client.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use async_trait::async_trait;
use serde_json::Value;
use tokio::sync::mpsc::UnboundedSender;

use super::protocol::{ClientMessage, ServerMessage, parse_client_message};
use super::speaking;
use crate::app::AppError;
use crate::app::code::{RunRequest, Tests};
use crate::app::end::report_url;
use crate::app::interview::{CandidateMessage, Resumed, Started, TurnObserver};
use crate::app::voice::TranscriptObserver;
use crate::context::AppContext;
use crate::domain::{
    ConnectionId, Identity, MessageId, Role, SessionId, TranscriptEntry, timestamp,
};
use crate::ports::{PushChannel, PushError};
use crate::store::ConnectionRecord;
use crate::tools::code_executor::{Language, TestCase};
use crate::voice::SentenceSplitter;

pub use crate::app::interview::TURN_DEADLINE;

/// The answer to `$connect`: 200 accepts the connection, anything else refuses the handshake.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectReply {
    pub status: u16,
    pub message: String,
}

/// `$connect`: the token (query `token`) must be valid and the session (query `session_id`) the caller's and
/// still running; then the connection is bound to it.
pub async fn connect(
    ctx: &AppContext,
    connection_id: &str,
    query: &HashMap<String, String>,
) -> ConnectReply {
    let Some(connection) = ConnectionId::parse(connection_id) else {
        return ConnectReply {
            status: 400,
            message: "invalid connection id".into(),
        };
    };
    match ctx
        .socket_connections()
        .connect(
            &connection,
            query.get("token").map(String::as_str),
            query.get("session_id").map(String::as_str),
        )
        .await
    {
        Ok(_) => ConnectReply {
            status: 200,
            message: "connected".into(),
        },
        Err(refusal) => ConnectReply {
            status: refusal.status,
            message: refusal.message,
        },
    }
}

/// `$disconnect`: forgets the connection.
pub async fn disconnect(ctx: &AppContext, connection_id: &str) {
    if let Some(connection) = ConnectionId::parse(connection_id) {
        // A recogniser working on an utterance of this connection while it was spoken stops here.
        if let Some(stt) = ctx
            .speech
            .stt
            .as_deref()
            .filter(|s| s.listens_while_spoken())
            && let Ok(Some(record)) = ctx.connections().load(&connection).await
        {
            for utterance in &record.utterances {
                stt.forget(utterance.id.as_str());
            }
        }
        ctx.socket_connections().disconnect(&connection).await;
    }
}

/// How a `$default` message ended, for the entrance to count failures on our side (see
/// [`crate::entry::telemetry`]); the client has been told either way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Answered, or refused for a reason the client can act on.
    Answered,
    /// Refused with an `internal` error, or the interviewer broke off its reply.
    Failed,
}

/// Sends replies to one connection and cleans up after a client that has gone.
pub(super) struct Replies<'a> {
    ctx: &'a AppContext,
    push: &'a dyn PushChannel,
    connection: ConnectionId,
    /// Set when something failed on our side.
    failed: AtomicBool,
}

impl Replies<'_> {
    pub(super) async fn send(&self, message: ServerMessage) {
        match self.push.push(&self.connection, message.to_text()).await {
            Ok(()) => {}
            Err(PushError::Gone(_)) => {
                self.ctx
                    .socket_connections()
                    .disconnect(&self.connection)
                    .await;
            }
            Err(e) => tracing::warn!(error = %e, "push failed"),
        }
    }

    pub(super) async fn error(&self, code: &str, message: impl Into<String>) {
        self.send(ServerMessage::error(code, message)).await;
    }

    /// A use case's refusal as an `error` message: the caller's mistake in its own words, our faults generically.
    async fn refused(&self, e: AppError) {
        match e {
            AppError::Internal(detail) => {
                self.failed.store(true, Ordering::Relaxed);
                tracing::error!(%detail, "message failed");
                self.error("internal", "something went wrong on our side; please retry")
                    .await;
            }
            AppError::Busy => {
                self.error("busy", "the session is busy; please resend")
                    .await;
            }
            AppError::StorageUnavailable => {
                self.error(
                    "storage_unavailable",
                    "storage is unavailable right now; nothing was half-saved — please resend",
                )
                .await;
            }
            AppError::NotFound { .. } => {
                self.error("not_found", "this session no longer exists")
                    .await;
            }
            other => self.error(other.code(), other.to_string()).await,
        }
    }
}

#[async_trait]
impl TranscriptObserver for Replies<'_> {
    async fn partial(&self, text: &str) {
        self.send(ServerMessage::Transcript {
            text: text.to_owned(),
            role: Role::User,
            is_final: false,
        })
        .await;
    }
}

/// A turn's output on the socket: each piece pushed as it comes, and — when the reply is to be spoken — each
/// finished sentence handed to the speaker while later text is still arriving.
struct TurnReplies<'a> {
    replies: &'a Replies<'a>,
    speech: Mutex<Option<(SentenceSplitter, UnboundedSender<String>)>>,
}

impl TurnReplies<'_> {
    fn say(&self, sentences: Vec<String>) {
        if let Ok(guard) = self.speech.lock()
            && let Some((_, tx)) = guard.as_ref()
        {
            for sentence in sentences {
                let _ = tx.send(sentence);
            }
        }
    }

    fn split(&self, text: &str) -> Vec<String> {
        match self.speech.lock() {
            Ok(mut guard) => guard
                .as_mut()
                .map(|(splitter, _)| splitter.push(text))
                .unwrap_or_default(),
            Err(_) => Vec::new(),
        }
    }

    fn flush(&self) -> Vec<String> {
        match self.speech.lock() {
            Ok(mut guard) => guard
                .as_mut()
                .map(|(splitter, _)| splitter.finish())
                .unwrap_or_default(),
            Err(_) => Vec::new(),
        }
    }

    /// Ends the spoken side: the speaker finishes what it has and sends `audio_end`.
    fn close(&self) {
        if let Ok(mut guard) = self.speech.lock() {
            guard.take();
        }
    }
}

#[async_trait]
impl TurnObserver for TurnReplies<'_> {
    async fn recorded(&self, entry: &TranscriptEntry) {
        self.replies
            .send(ServerMessage::Transcript {
                text: entry.text.clone(),
                role: Role::User,
                is_final: true,
            })
            .await;
    }

    async fn chunk(&self, text: &str) {
        let sentences = self.split(text);
        self.say(sentences);
        self.replies
            .send(ServerMessage::LlmChunk {
                text: text.to_owned(),
            })
            .await;
    }

    async fn problem(&self, problem: &Value) {
        self.replies
            .send(ServerMessage::CodingProblem {
                problem: problem.clone(),
            })
            .await;
    }

    async fn complete(&self, text: &str) {
        let rest = self.flush();
        self.say(rest);
        self.replies
            .send(ServerMessage::AssistantComplete {
                text: text.to_owned(),
                role: Role::Assistant,
            })
            .await;
    }

    async fn broke(&self) {
        self.replies.failed.store(true, Ordering::Relaxed);
        let rest = self.flush();
        self.say(rest);
        self.replies
            .error(
                "interviewer_unavailable",
                "the interviewer stopped mid-reply; what was said is saved. Send your answer again to continue.",
            )
            .await;
    }

    async fn unsaved(&self, error: AppError) {
        let rest = self.flush();
        self.say(rest);
        self.replies.refused(error).await;
    }
}

/// `$default`: one client message. Every outcome, including a malformed message, is a pushed reply; the
/// connection stays up.
pub async fn message(
    ctx: &AppContext,
    push: &dyn PushChannel,
    connection_id: &str,
    body: &str,
) -> Outcome {
    let Some(connection) = ConnectionId::parse(connection_id) else {
        return Outcome::Answered;
    };
    let replies = Replies {
        ctx,
        push,
        connection: connection.clone(),
        failed: AtomicBool::new(false),
    };
    handle_message(&replies, body).await;
    if replies.failed.load(Ordering::Relaxed) {
        Outcome::Failed
    } else {
        Outcome::Answered
    }
}

async fn handle_message(replies: &Replies<'_>, body: &str) {
    let ctx = replies.ctx;
    let connection = &replies.connection;
    let record = match ctx.connections().load(connection).await {
        Ok(Some(record)) => record,
        Ok(None) => {
            return replies
                .error(
                    "not_connected",
                    "this connection is not bound to a session; reconnect",
                )
                .await;
        }
        Err(e) => return replies.refused(e.into()).await,
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
    let call = Call {
        ctx,
        replies,
        identity: &identity,
        session_id: record.session_id,
    };
    if let Err(e) = call.dispatch(message, &record).await {
        replies.refused(e).await;
    }
}

/// Which interview use case a turn runs.
enum TurnKind {
    Start(Option<MessageId>),
    Answer(CandidateMessage),
    Comment(crate::domain::CodeRunSummary),
}

/// One message's context: who sent it, on which session, and where replies go.
struct Call<'a> {
    ctx: &'a AppContext,
    replies: &'a Replies<'a>,
    identity: &'a Identity,
    session_id: SessionId,
}

impl Call<'_> {
    async fn dispatch(
        &self,
        message: ClientMessage,
        record: &ConnectionRecord,
    ) -> Result<(), AppError> {
        let ctx = self.ctx;
        match message {
            ClientMessage::Start { voice, id } => {
                // Fail before the voice status when the interview is over.
                ctx.interview()
                    .resume(self.identity, &self.session_id)
                    .await?;
                self.replies.send(speaking::status(ctx)).await;
                // The conversation had begun: a `start` answers exactly as `resume` does.
                if let Some(Started::Resumed(resumed)) =
                    self.turn(TurnKind::Start(id), voice).await?
                {
                    self.resumed(resumed).await;
                }
                Ok(())
            }
            ClientMessage::Resume => {
                let resumed = ctx
                    .interview()
                    .resume(self.identity, &self.session_id)
                    .await?;
                self.replies.send(speaking::status(ctx)).await;
                self.resumed(resumed).await;
                Ok(())
            }
            ClientMessage::Text { text, id, retry } => {
                let message = CandidateMessage {
                    id,
                    after_error: retry,
                    ..CandidateMessage::typed(text)
                };
                self.answer(message, false).await
            }
            ClientMessage::Code {
                code,
                language,
                function_name,
                test_cases,
            } => {
                self.run_code(code, &language, function_name, test_cases)
                    .await
            }
            ClientMessage::SpeechStart { utterance } => {
                ctx.voice()
                    .start(&self.replies.connection, record, utterance)
                    .await
            }
            ClientMessage::Audio {
                seq,
                data,
                utterance,
            } => {
                ctx.voice()
                    .audio(&self.replies.connection, record, utterance, seq, &data)
                    .await
            }
            ClientMessage::SpeechEnd {
                chunks,
                utterance,
                silence,
            } => {
                let spoken = ctx
                    .voice()
                    .finish(
                        &self.replies.connection,
                        utterance,
                        chunks,
                        silence,
                        self.replies,
                    )
                    .await?;
                match spoken {
                    Some(message) => self.answer(message, true).await,
                    None => Ok(()),
                }
            }
            ClientMessage::End => self.end().await,
        }
    }

    /// What a reconnecting client needs besides the transcript (read over REST): the open problem.
    async fn resumed(&self, resumed: Resumed) {
        if let Some(problem) = resumed.coding_problem {
            self.replies
                .send(ServerMessage::CodingProblem { problem })
                .await;
        }
    }

    /// Runs one interview use case with its reply streamed to the client, and spoken when asked and possible.
    /// A start tells what it did.
    async fn turn(&self, kind: TurnKind, speak: bool) -> Result<Option<Started>, AppError> {
        let tts = self.ctx.speech.tts.as_deref().filter(|_| speak);
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<String>();
        let observer = TurnReplies {
            replies: self.replies,
            speech: Mutex::new(tts.map(|_| (SentenceSplitter::new(), tx))),
        };
        let write = async {
            let interview = self.ctx.interview();
            let (who, id) = (self.identity, &self.session_id);
            let outcome = match kind {
                TurnKind::Start(message) => interview
                    .start(who, id, message.as_ref(), &observer)
                    .await
                    .map(Some),
                TurnKind::Answer(message) => interview
                    .answer(who, id, message, &observer)
                    .await
                    .map(|()| None),
                TurnKind::Comment(run) => interview
                    .comment_on_run(who, id, run, &observer)
                    .await
                    .map(|()| None),
            };
            observer.close();
            outcome
        };
        let say = async {
            if let Some(tts) = tts {
                speaking::speak(tts, self.replies, rx).await;
            }
        };
        let (written, ()) = tokio::join!(write, say);
        written
    }

    async fn answer(&self, message: CandidateMessage, speak: bool) -> Result<(), AppError> {
        self.turn(TurnKind::Answer(message), speak).await.map(drop)
    }

    /// Runs code against the open problem (a graded run) or the tests given (a scratch run), sends the result,
    /// then lets the interviewer comment on it.
    async fn run_code(
        &self,
        code: String,
        language: &str,
        function_name: Option<String>,
        test_cases: Option<Value>,
    ) -> Result<(), AppError> {
        let language =
            Language::parse(language).map_err(|e| AppError::invalid(e.code, e.message))?;
        let tests = match test_cases {
            Some(cases) => Tests::Scratch(
                TestCase::parse_list(&cases).map_err(|e| AppError::invalid(e.code, e.message))?,
            ),
            None => Tests::OpenProblem,
        };
        let run = self
            .ctx
            .code_runs()
            .run(
                self.identity,
                &self.session_id,
                RunRequest {
                    code,
                    language,
                    function_name,
                    tests,
                },
            )
            .await?;
        let result = code_result_json(&run);
        self.replies
            .send(ServerMessage::CodeResult { result })
            .await;
        let summary = run.summary();
        self.turn(TurnKind::Comment(summary), false).await.map(drop)
    }

    /// Ends the interview as `POST /api/interviews/{id}/end` does, then sends the report.
    async fn end(&self) -> Result<(), AppError> {
        let ended = self
            .ctx
            .report_cases()
            .end(self.identity, &self.session_id)
            .await?;
        let report = serde_json::to_value(&ended.report)
            .map_err(|e| AppError::Internal(format!("report did not serialise: {e}")))?;
        self.replies
            .send(ServerMessage::Report {
                session_id: self.session_id.to_string(),
                report_url: report_url(&self.session_id),
                report,
            })
            .await;
        Ok(())
    }
}

/// A run as `code_result` shows it: the stored submission's fields, flat, as the REST route answers.
fn code_result_json(run: &crate::app::code::RecordedRun) -> Value {
    let mut value = serde_json::to_value(&run.submission.result).unwrap_or(Value::Null);
    if let Value::Object(fields) = &mut value {
        fields.insert(
            "sessionId".into(),
            Value::String(run.session_id.to_string()),
        );
        fields.insert(
            "submissionId".into(),
            Value::String(run.submission.submission_id.to_string()),
        );
        fields.insert(
            "timestamp".into(),
            Value::String(timestamp::format(&run.submission.timestamp)),
        );
        fields.insert(
            "mode".into(),
            serde_json::to_value(run.submission.mode).unwrap_or(Value::Null),
        );
        if let Some(problem) = &run.submission.problem_id {
            fields.insert("problemId".into(), Value::String(problem.clone()));
        }
    }
    value
}
