//! The local interviewer with a voice: the bank interviewer ([`LocalInterviewer`]) still decides everything — the
//! plan, what each turn does, and the mark on each reply the scorer reads — while a model behind any
//! OpenAI-compatible chat endpoint (`PREPAI_LLM_URL`, `PREPAI_LLM_MODEL`) phrases the lead-in before the bank's
//! question, streamed. The question itself is said word for word after it, so the scorer still recognises it.
//! The model knows the current question's key points and follow-ups but may not say them (the prompt forbids it and
//! [`guard::RecitationGuard`] enforces it for the points not yet made).
//!
//! Whenever the endpoint fails — refused, slow, or cut off midway — the bank reply stands (or, when part of the
//! model's lead-in was already sent, its question follows it), so a candidate is never left without the question;
//! after [`BREAKER_FAILURES`] failures in a row the model is not asked again in this process.

mod chat;
mod guard;
mod prompt;
mod script;
mod sentences;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use futures::StreamExt;
use serde_json::Value;
use tokio::sync::mpsc;

use self::chat::{ChatEndpoint, ChatError};
use self::guard::{RecitationGuard, Recited};
use self::script::{LeadIn, Script};
use self::sentences::SentenceGate;
use super::LocalInterviewer;
use crate::domain::ReplyKind;
use crate::knowledge::QuestionBank;
use crate::ports::{
    InterviewTurn, Interviewer, InterviewerError, InterviewerEvent, InterviewerStream,
};

/// Failures in a row after which the model is no longer asked (until the process restarts).
pub const BREAKER_FAILURES: u32 = 3;

/// Where the model is and how long it may take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LlmEndpoint {
    /// The server's address; `/v1/chat/completions` is added unless present.
    pub url: String,
    pub model: String,
    pub api_key: Option<String>,
    /// Connecting to the server.
    pub connect_timeout: Duration,
    /// The whole lead-in, from the request to its last word: after it, the bank reply takes over.
    pub reply_timeout: Duration,
}

impl LlmEndpoint {
    /// The limits a live interview uses: 3 s to connect, 20 s for a whole lead-in (the turn itself has 25).
    pub fn new(url: impl Into<String>, model: impl Into<String>, api_key: Option<String>) -> Self {
        Self {
            url: url.into(),
            model: model.into(),
            api_key,
            connect_timeout: Duration::from_secs(3),
            reply_timeout: Duration::from_secs(20),
        }
    }
}

/// The bank interviewer, phrased by a model.
pub struct LlmInterviewer {
    bank: Arc<QuestionBank>,
    inner: LocalInterviewer,
    chat: ChatEndpoint,
    reply_timeout: Duration,
    breaker: Arc<Breaker>,
}

impl LlmInterviewer {
    /// The bank interviewer over `bank`, phrased through `endpoint`. Fails only when no HTTP client can be built.
    pub fn new(bank: Arc<QuestionBank>, endpoint: &LlmEndpoint) -> Result<Self, InterviewerError> {
        let chat = ChatEndpoint::new(
            &endpoint.url,
            endpoint.model.clone(),
            endpoint.api_key.clone(),
            endpoint.connect_timeout,
        )
        .map_err(|e| InterviewerError::Unavailable(e.to_string()))?;
        Ok(Self {
            inner: LocalInterviewer::new(bank.clone()),
            bank,
            chat,
            reply_timeout: endpoint.reply_timeout,
            breaker: Arc::new(Breaker::default()),
        })
    }

    /// Over the bank compiled into the binary.
    pub fn embedded(endpoint: &LlmEndpoint) -> Result<Self, InterviewerError> {
        Self::new(Arc::new(QuestionBank::embedded().clone()), endpoint)
    }
}

/// The bank interviewer's reply for a turn, gathered whole (it is computed, not streamed from anywhere).
struct BankReply {
    kind: Option<ReplyKind>,
    chunks: Vec<String>,
    problem: Option<Value>,
    state: Option<Value>,
}

impl BankReply {
    fn text(&self) -> String {
        self.chunks.concat()
    }

    /// The reply as the bank interviewer streams it.
    fn events(self) -> Vec<InterviewerEvent> {
        let mut events: Vec<InterviewerEvent> =
            self.kind.map(InterviewerEvent::Kind).into_iter().collect();
        events.extend(self.chunks.into_iter().map(InterviewerEvent::Chunk));
        events.extend(self.problem.map(InterviewerEvent::CodingProblem));
        events.push(InterviewerEvent::Done { state: self.state });
        events
    }
}

#[async_trait]
impl Interviewer for LlmInterviewer {
    async fn turn(&self, turn: InterviewTurn) -> Result<InterviewerStream, InterviewerError> {
        let mut stream = self.inner.turn(turn.clone()).await?;
        let mut bank = BankReply {
            kind: None,
            chunks: Vec::new(),
            problem: None,
            state: None,
        };
        while let Some(event) = stream.next().await {
            match event? {
                InterviewerEvent::Kind(kind) => bank.kind = Some(kind),
                InterviewerEvent::Chunk(text) => bank.chunks.push(text),
                InterviewerEvent::CodingProblem(problem) => bank.problem = Some(problem),
                InterviewerEvent::Done { state } => bank.state = state,
            }
        }
        let script = script::plan(
            &self.bank,
            bank.kind,
            bank.problem.is_some(),
            bank.state.as_ref(),
            &bank.text(),
        );
        let lead_in = match script {
            Script::LeadIn(lead_in) if !self.breaker.is_open() => lead_in,
            _ => {
                return Ok(Box::pin(futures::stream::iter(
                    bank.events().into_iter().map(Ok),
                )));
            }
        };
        let messages = prompt::messages(&turn.session, &turn.input, &lead_in);
        let (tx, mut rx) = mpsc::channel(32);
        let speaker = Speaker {
            chat: self.chat.clone(),
            reply_timeout: self.reply_timeout,
            breaker: self.breaker.clone(),
            tx,
        };
        tokio::spawn(speaker.speak(bank, lead_in, messages));
        Ok(Box::pin(futures::stream::poll_fn(move |cx| {
            rx.poll_recv(cx)
        })))
    }
}

/// Says one reply: the model's lead-in as it streams, then the bank's question.
struct Speaker {
    chat: ChatEndpoint,
    reply_timeout: Duration,
    breaker: Arc<Breaker>,
    tx: mpsc::Sender<Result<InterviewerEvent, InterviewerError>>,
}

/// Why the model's lead-in was not used to its end.
#[derive(Debug, thiserror::Error)]
enum LeadInError {
    #[error(transparent)]
    Endpoint(#[from] ChatError),
    #[error(transparent)]
    Recited(#[from] Recited),
    #[error("the reply took longer than {0:?}")]
    Timeout(Duration),
    #[error("the candidate left")]
    Gone,
}

impl Speaker {
    async fn speak(self, bank: BankReply, lead_in: LeadIn, messages: Vec<Value>) {
        if let Some(kind) = bank.kind
            && !self.send(InterviewerEvent::Kind(kind)).await
        {
            return;
        }
        let mut said = Said::default();
        let result = match tokio::time::timeout(
            self.reply_timeout,
            self.lead_in(&lead_in, messages, &mut said),
        )
        .await
        {
            Ok(result) => result,
            Err(_) => Err(LeadInError::Timeout(self.reply_timeout)),
        };
        match &result {
            Ok(()) => self.breaker.succeeded(),
            Err(LeadInError::Gone) => return,
            Err(e @ LeadInError::Recited(_)) => {
                tracing::warn!(error = %e, "the interviewer model's lead-in was cut; the bank question follows");
            }
            Err(e) => {
                tracing::warn!(error = %e, lead_in_sent = !said.text.is_empty(),
                    "the interviewer model failed; the bank interviewer's words stand");
                self.breaker.failed();
            }
        }
        let rest: Vec<String> = if said.text.is_empty() {
            bank.chunks
        } else {
            vec![format!(
                "{}{}",
                separator(&said.text, result.is_err()),
                lead_in.question
            )]
        };
        for chunk in rest {
            if !self.send(InterviewerEvent::Chunk(chunk)).await {
                return;
            }
        }
        self.send(InterviewerEvent::Done { state: bank.state })
            .await;
    }

    /// Streams the model's lead-in to the candidate, held back by the recitation guard and released a sentence at
    /// a time (at most two, and no question of its own); `said` keeps what was sent even when this is cut off by the
    /// time limit.
    async fn lead_in(
        &self,
        lead_in: &LeadIn,
        messages: Vec<Value>,
        said: &mut Said,
    ) -> Result<(), LeadInError> {
        let mut guard = RecitationGuard::new(&lead_in.private.unmade);
        let mut sentences = SentenceGate::default();
        let mut stream = self.chat.open(messages).await?;
        while let Some(text) = stream.next_text().await? {
            let shown = sentences.push(&guard.push(&text)?);
            self.show(shown, said).await?;
            if sentences.is_closed() || said.text.len() > MAX_LEAD_IN_BYTES {
                return Ok(());
            }
        }
        let mut rest = sentences.push(&guard.finish());
        rest.push_str(&sentences.finish());
        self.show(rest, said).await
    }

    /// Sends released text, minus leading blanks and with trailing ones kept back until more words follow (so
    /// the question can be joined to the words said without a stray blank).
    async fn show(&self, text: String, said: &mut Said) -> Result<(), LeadInError> {
        said.held.push_str(&text);
        let words = said.held.trim_end();
        let text = if said.text.is_empty() {
            words.trim_start().to_owned()
        } else {
            words.to_owned()
        };
        said.held = said.held[words.len()..].to_owned();
        if text.is_empty() {
            return Ok(());
        }
        said.text.push_str(&text);
        if self.send(InterviewerEvent::Chunk(text)).await {
            Ok(())
        } else {
            Err(LeadInError::Gone)
        }
    }

    /// Sends an event; false once nobody is listening.
    async fn send(&self, event: InterviewerEvent) -> bool {
        self.tx.send(Ok(event)).await.is_ok()
    }
}

/// Beyond this much lead-in, the model is cut short and the question follows (it was asked for a sentence or two).
const MAX_LEAD_IN_BYTES: usize = 600;

/// The model's words sent so far, and blanks held back after them.
#[derive(Default)]
struct Said {
    text: String,
    held: String,
}

/// What goes between the model's words and the question, so the question stays a sentence of its own; words cut
/// off (`broken`) trail off rather than end in a full stop.
fn separator(said: &str, broken: bool) -> &'static str {
    let end = said
        .trim_end()
        .trim_end_matches(['"', '\'', '”', '’', ')'])
        .chars()
        .last();
    match end {
        Some('.' | '!' | '?' | '…') => " ",
        Some(c) if c.is_alphanumeric() && broken => "... ",
        Some(c) if c.is_alphanumeric() => ". ",
        _ => "\n",
    }
}

/// Consecutive failures of the endpoint; open (the model is no longer asked) after [`BREAKER_FAILURES`].
#[derive(Default)]
struct Breaker {
    failures: AtomicU32,
    open: AtomicBool,
}

impl Breaker {
    fn is_open(&self) -> bool {
        self.open.load(Ordering::Relaxed)
    }

    fn succeeded(&self) {
        self.failures.store(0, Ordering::Relaxed);
    }

    fn failed(&self) {
        let failures = self.failures.fetch_add(1, Ordering::Relaxed) + 1;
        if failures >= BREAKER_FAILURES && !self.open.swap(true, Ordering::Relaxed) {
            tracing::error!(
                failures,
                "the interviewer model failed {failures} times in a row; the bank interviewer speaks alone from now on"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_question_stays_a_sentence_of_its_own() {
        assert_eq!(separator("Good thinking.", false), " ");
        assert_eq!(separator("Good thinking.”", true), " ");
        assert_eq!(separator("Good thinking", false), ". ");
        assert_eq!(separator("Good thinking", true), "... ");
        assert_eq!(separator("Good thinking,", false), "\n");
    }

    #[test]
    fn the_breaker_opens_after_consecutive_failures_only() {
        let b = Breaker::default();
        b.failed();
        b.failed();
        b.succeeded();
        b.failed();
        b.failed();
        assert!(!b.is_open());
        b.failed();
        assert!(b.is_open());
    }
}
