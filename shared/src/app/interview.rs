//! The interview turn: the candidate says something (or joins, or a code run finishes), the interviewer replies,
//! streamed as it is produced, and both sides are saved.
//!
//! Turns overlap in practice — API Gateway runs a socket's messages concurrently, and a candidate may type while a
//! code run is being commented on — so a turn is a small protocol on the session document (see
//! [`Turns`](crate::domain::Turns)): the candidate's message and the claim on the interviewer go in one
//! conditional write; only the lease holder asks the interviewer; an input that arrives meanwhile waits on the
//! document and the holder answers it next; the interviewer's state is written back only by the holder and only
//! over the state it was asked from. So no answer is lost, and the plan moves forward once per turn, never back.

use std::time::Duration;

use async_trait::async_trait;
use futures::StreamExt;
use serde_json::{Map, Value};

use crate::domain::{
    CodeRunSummary, HeldChange, Identity, InterviewInput, MessageId, OpenTurn, ReplyKind, Resend,
    Role, Session, SessionId, Source, TranscriptEntry, Transition, TurnClaim, TurnFinish,
};
use crate::ports::{Clock, InterviewTurn, Interviewer, InterviewerEvent};
use crate::store::{RetryPolicy, SessionStore};
use crate::voice::turn_end::{self, Heard};

use super::AppError;

/// How long one invocation may keep the interviewer streaming, all turns it answers together. API Gateway gives
/// a WebSocket integration 29 s; we stop a few seconds short, keep what was said, and tell the candidate, rather
/// than have the turn cut off silently.
pub const TURN_DEADLINE: Duration = Duration::from_secs(25);

/// How hard a failed turn tries to give its lease back: five tries with the store's jittered doubling pauses
/// (at most about three seconds in all), against the minute a lease that is never given back blocks the session.
const ABANDON_RETRY: RetryPolicy = RetryPolicy {
    max_attempts: 5,
    base_delay: Duration::from_millis(200),
    max_delay: Duration::from_millis(1_600),
};

/// The most coding problems one session remembers as posed (bounds the document).
const MAX_POSED_PROBLEMS: usize = 20;

/// What the interview use cases need.
pub struct Interview<'a> {
    pub sessions: &'a SessionStore,
    pub interviewer: &'a dyn Interviewer,
    pub clock: &'a dyn Clock,
}

/// Where a turn's output goes as it happens (the socket pushes each piece to the client).
#[async_trait]
pub trait TurnObserver: Send + Sync {
    /// The candidate's message as recorded.
    async fn recorded(&self, entry: &TranscriptEntry);
    /// More of the interviewer's reply.
    async fn chunk(&self, text: &str);
    /// The interviewer posed a coding problem (what the client may see of it).
    async fn problem(&self, problem: &Value);
    /// The reply is complete.
    async fn complete(&self, text: &str);
    /// The reply broke off; what was said is saved.
    async fn broke(&self);
    /// The reply could not be saved (`error` says why, as the use case would have returned it), and the turn goes
    /// on to an input that waited for it.
    async fn unsaved(&self, error: AppError);
}

/// A candidate message, typed or transcribed.
#[derive(Clone, Debug)]
pub struct CandidateMessage {
    pub text: String,
    pub source: Source,
    /// Delivery measurements of a spoken answer (`wpm`, `filler_count`, …), stored on its transcript line.
    pub extra: Map<String, Value>,
    /// The client's id for the message, when it sent one: a copy sent again is recognised.
    pub id: Option<MessageId>,
    /// Sent again because the client was told this message failed (see [`Session::resend`]).
    pub after_error: bool,
}

impl CandidateMessage {
    pub fn typed(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            source: Source::Text,
            extra: Map::new(),
            id: None,
            after_error: false,
        }
    }
}

/// What a session looks like to a client that reconnects: enough to carry on without a new greeting.
pub struct Resumed {
    pub coding_problem: Option<Value>,
}

/// What a `start` did.
pub enum Started {
    /// The interviewer greeted the candidate (the reply went to the observer).
    Greeted,
    /// The conversation had already begun: nothing was said, and this is what a `resume` answers.
    Resumed(Resumed),
}

impl Interview<'_> {
    /// The candidate joined: the interviewer greets and asks the first question — once. A `start` on a session
    /// whose conversation has begun (a reloaded page, a second tab, a client that lost track) is a
    /// [`resume`](Self::resume): no second greeting, and the plan does not move.
    ///
    /// `message` is the client's id for this `start`: sent again under it after an error whose write had landed,
    /// it greets (taking over the turn its first copy claimed) instead of resuming a conversation nobody began.
    pub async fn start(
        &self,
        caller: &Identity,
        id: &SessionId,
        message: Option<&MessageId>,
        observer: &dyn TurnObserver,
    ) -> Result<Started, AppError> {
        let turn_id = new_turn_id();
        let now = self.clock.now();
        let (session, claim) = self
            .sessions
            .update(id, caller, Transition::ClaimTurn, |s| {
                s.ensure_accepting()?;
                if let Some(message) = message
                    && let Some(lease) = s.restart(message, &turn_id, now)
                {
                    return Ok(Some(TurnClaim::Holder(lease)));
                }
                if s.has_begun() {
                    return Ok(None);
                }
                s.activate()?;
                Ok::<_, AppError>(Some(s.claim_turn(
                    InterviewInput::Start,
                    message,
                    &turn_id,
                    now,
                )?))
            })
            .await?;
        let Some(claim) = claim else {
            return Ok(Started::Resumed(Resumed {
                coding_problem: session.coding_problem,
            }));
        };
        self.run_turns(caller, session, claim, InterviewInput::Start, observer)
            .await?;
        Ok(Started::Greeted)
    }

    /// After a reconnect: the open problem, and a check that the interview is still running.
    pub async fn resume(&self, caller: &Identity, id: &SessionId) -> Result<Resumed, AppError> {
        let session = self.sessions.get(id, caller).await?;
        session.ensure_accepting()?;
        Ok(Resumed {
            coding_problem: session.coding_problem,
        })
    }

    /// The candidate answered (or asked something): recorded, then the interviewer replies. A message sent again
    /// under the same id is recorded once: answered if nobody answered it, its reply sent again if it was.
    pub async fn answer(
        &self,
        caller: &Identity,
        id: &SessionId,
        message: CandidateMessage,
        observer: &dyn TurnObserver,
    ) -> Result<(), AppError> {
        let entry = TranscriptEntry {
            role: Role::User,
            text: message.text.trim().to_owned(),
            timestamp: self.clock.now(),
            source: message.source,
            reply_kind: None,
            message_id: message.id.clone(),
            extra: message.extra,
        };
        let input = InterviewInput::Answer(entry.text.clone());
        let turn_id = new_turn_id();
        let now = entry.timestamp;
        let (session, accepted) = self
            .sessions
            .update(id, caller, Transition::AcceptAnswer, |s| {
                s.activate()?;
                if let Some(message_id) = &message.id
                    && let Some(resend) = s.resend(message_id, message.after_error, &turn_id, now)
                {
                    // Another text under a used id would be dropped as "already recorded": refuse it instead.
                    if resend.entry().text != entry.text {
                        return Err(AppError::Conflict {
                            code: "message_id_reused",
                            message: "this id was already used for another message; send it under a new id"
                                .into(),
                        });
                    }
                    return Ok(Accepted::Resent(resend));
                }
                s.add_candidate_entry(entry.clone())
                    .map_err(|full| AppError::Conflict {
                        code: "transcript_full",
                        message: full.to_string(),
                    })?;
                Ok::<_, AppError>(Accepted::New(s.claim_turn(
                    input.clone(),
                    message.id.as_ref(),
                    &turn_id,
                    now,
                )?))
            })
            .await?;
        match accepted {
            Accepted::New(claim) => {
                observer.recorded(&entry).await;
                self.run_turns(caller, session, claim, input, observer)
                    .await
            }
            Accepted::Resent(Resend::Retake { entry, lease }) => {
                observer.recorded(&entry).await;
                let input = InterviewInput::Answer(entry.text);
                self.run_turns(caller, session, TurnClaim::Holder(lease), input, observer)
                    .await
            }
            Accepted::Resent(Resend::Pending(entry)) => {
                observer.recorded(&entry).await;
                Ok(())
            }
            Accepted::Resent(Resend::Answered { entry, reply }) => {
                observer.recorded(&entry).await;
                observer.complete(&reply).await;
                Ok(())
            }
        }
    }

    /// A code run finished: the interviewer comments on it.
    pub async fn comment_on_run(
        &self,
        caller: &Identity,
        id: &SessionId,
        run: CodeRunSummary,
        observer: &dyn TurnObserver,
    ) -> Result<(), AppError> {
        let input = InterviewInput::CodeResult(run);
        let turn_id = new_turn_id();
        let now = self.clock.now();
        let (session, claim) = self
            .sessions
            .update(id, caller, Transition::ClaimTurn, |s| {
                s.ensure_accepting()?;
                Ok::<_, AppError>(s.claim_turn(input.clone(), None, &turn_id, now)?)
            })
            .await?;
        self.run_turns(caller, session, claim, input, observer)
            .await
    }

    /// Runs the interviewer while this caller holds the lease: its own input, then whatever waited meanwhile,
    /// within [`TURN_DEADLINE`].
    async fn run_turns(
        &self,
        caller: &Identity,
        mut session: Session,
        claim: TurnClaim,
        mut input: InterviewInput,
        observer: &dyn TurnObserver,
    ) -> Result<(), AppError> {
        let TurnClaim::Holder(mut lease) = claim else {
            // Another turn is in progress; it answers this input next.
            return Ok(());
        };
        let deadline = tokio::time::Instant::now() + TURN_DEADLINE;
        let id = session.session_id;
        loop {
            // The three steps are boxed: each holds a session and a storage update in flight, and inline they made
            // this future (polled on a 2 MiB worker stack in debug builds) large enough to overflow it.
            let outcome = Box::pin(self.stream(session, input, deadline, observer)).await;
            // The lease for an input that waited, should this turn hand over: one id for the save and for the
            // abandon after it, so a hand-over that landed unconfirmed is found rather than made twice.
            let next_id = new_turn_id();
            let saved = Box::pin(
                self.save_reply(caller, &id, &lease, &next_id, &outcome, deadline, observer),
            )
            .await;
            let (after, finish) = match saved {
                Ok(saved) => saved,
                Err(e) => {
                    match Box::pin(self.abandon(
                        caller,
                        &id,
                        &lease,
                        &next_id,
                        // Held lines survive a turn that could not be saved.
                        outcome.held.as_ref(),
                        deadline,
                    ))
                    .await
                    {
                        Some((after, TurnFinish::Next(next))) => {
                            // This reply is lost: the client hears it now, then the reply to the input that waited.
                            observer.unsaved(e).await;
                            (after, TurnFinish::Next(next))
                        }
                        _ => return Err(e),
                    }
                }
            };
            match finish {
                TurnFinish::Next(next) => {
                    lease = after.turns.open.clone().unwrap_or(lease);
                    session = after;
                    input = next;
                }
                TurnFinish::Released | TurnFinish::LostLease => return Ok(()),
            }
        }
    }

    /// Gives the lease back after a turn that could not be saved, handing it to the first input that waited for
    /// that turn when there is time to answer it (the session as written and what was done; `None` if storage
    /// still failed). Storage that just failed may fail again, so this write is retried a few times: if it never
    /// lands, the lease expires only after [`crate::domain::TURN_LEASE_SECONDS`] as for a holder that died, and
    /// every message until then waits behind a turn that has already failed. Repeating it is safe: it acts only
    /// while `lease` is still the open turn's, and a hand-over under `next_id` that already landed is found, not
    /// made again (see [`Session::abandon_turn`]). Whether there is time to answer another input is decided at
    /// each try, against `deadline`.
    async fn abandon(
        &self,
        caller: &Identity,
        id: &SessionId,
        lease: &OpenTurn,
        next_id: &str,
        held: Option<&HeldChange>,
        deadline: tokio::time::Instant,
    ) -> Option<(Session, TurnFinish)> {
        for attempt in 1..=ABANDON_RETRY.max_attempts {
            let now = self.clock.now();
            let more_time = has_more_time(deadline);
            let given_back = self
                .sessions
                .update(id, caller, Transition::AbandonTurn, |s| {
                    if let Some(change) = held {
                        s.note_held(lease, change, false);
                    }
                    Ok::<_, AppError>(s.abandon_turn(lease, next_id, more_time, now))
                })
                .await;
            match given_back {
                Ok(done) => return Some(done),
                Err(AppError::NotFound { .. }) => return None,
                Err(e) if attempt == ABANDON_RETRY.max_attempts => {
                    tracing::warn!(error = %e, "could not give back the lease of a failed turn; it will expire");
                }
                Err(_) => tokio::time::sleep(ABANDON_RETRY.delay(attempt)).await,
            }
        }
        None
    }

    /// Streams one reply to the observer, stopping at the deadline.
    async fn stream(
        &self,
        session: Session,
        input: InterviewInput,
        deadline: tokio::time::Instant,
        observer: &dyn TurnObserver,
    ) -> ReplyOutcome {
        let mut outcome = ReplyOutcome {
            kind: matches!(input, InterviewInput::CodeResult(_)).then_some(ReplyKind::Remark),
            ..ReplyOutcome::default()
        };
        // A spoken answer that only paused mid-sentence is not answered yet; once complete, the interviewer hears
        // it whole.
        let input = match input {
            InterviewInput::Answer(text) => {
                match turn_end::heard(&session.transcript, &session.turns.held, &text) {
                    Heard::Hold(line) => {
                        observer.chunk(turn_end::GO_ON).await;
                        outcome.said = turn_end::GO_ON.to_owned();
                        outcome.kind = Some(ReplyKind::Remark);
                        outcome.finished = Some(session.agent_state.clone());
                        outcome.held = Some(HeldChange::Hold(line));
                        return outcome;
                    }
                    Heard::Answer { text, change } => {
                        outcome.held = change;
                        InterviewInput::Answer(text)
                    }
                }
            }
            other => other,
        };
        match self
            .interviewer
            .turn(InterviewTurn { session, input })
            .await
        {
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
                        observer.chunk(&text).await;
                    }
                    Some(Ok(InterviewerEvent::Kind(kind))) => outcome.kind = Some(kind),
                    Some(Ok(InterviewerEvent::CodingProblem(problem))) => {
                        observer.problem(&problem).await;
                        outcome.problem = Some(problem);
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
        outcome
    }

    /// Saves what was said (even if the stream broke) and the interviewer's new state, releases or passes on the
    /// lease, and tells the observer how the reply ended.
    #[allow(clippy::too_many_arguments)]
    async fn save_reply(
        &self,
        caller: &Identity,
        id: &SessionId,
        lease: &OpenTurn,
        next_id: &str,
        outcome: &ReplyOutcome,
        deadline: tokio::time::Instant,
        observer: &dyn TurnObserver,
    ) -> Result<(Session, TurnFinish), AppError> {
        let more_time = has_more_time(deadline);
        let said = outcome.said.trim().to_owned();
        let entry = (!said.is_empty()).then(|| TranscriptEntry {
            role: Role::Assistant,
            text: said.clone(),
            timestamp: self.clock.now(),
            source: Source::Agent,
            reply_kind: outcome.kind,
            message_id: None,
            extra: Map::new(),
        });
        let now = self.clock.now();
        let saved = self
            .sessions
            .update(id, caller, Transition::FinishTurn, |s| {
                if let Some(entry) = &entry {
                    s.add_reply_entry(entry.clone());
                }
                if let Some(change) = &outcome.held {
                    s.note_held(lease, change, outcome.failure.is_none());
                }
                if let Some(problem) = &outcome.problem {
                    s.coding_problem = Some(problem.clone());
                    if let Some(id) = problem.get("id").and_then(|id| id.as_str())
                        && !s.posed_problems.iter().any(|p| p == id)
                        && s.posed_problems.len() < MAX_POSED_PROBLEMS
                    {
                        s.posed_problems.push(id.to_owned());
                    }
                }
                Ok::<_, AppError>(s.finish_turn(
                    lease,
                    next_id,
                    outcome.finished.clone(),
                    more_time,
                    now,
                ))
            })
            .await?;
        match &outcome.failure {
            None => observer.complete(&said).await,
            Some(reason) => {
                tracing::warn!(%reason, "interviewer turn failed");
                observer.broke().await;
            }
        }
        Ok(saved)
    }
}

/// What accepting a candidate message did.
enum Accepted {
    /// A new message: recorded, and the turn claimed or queued.
    New(TurnClaim),
    /// A message sent again under an id already recorded.
    Resent(Resend),
}

/// What one streamed reply produced.
#[derive(Default)]
struct ReplyOutcome {
    said: String,
    /// `Some(state)` when the interviewer finished its reply.
    finished: Option<Option<Value>>,
    problem: Option<Value>,
    failure: Option<String>,
    /// What the reply does, as the interviewer marked it (a comment on a code run is a remark unless it says
    /// otherwise).
    kind: Option<ReplyKind>,
    /// What the reply does to the spoken answers held (see [`turn_end`]).
    held: Option<HeldChange>,
}

/// Whether a turn that ends now leaves time to answer another input before `deadline`.
fn has_more_time(deadline: tokio::time::Instant) -> bool {
    tokio::time::Instant::now() + Duration::from_secs(5) < deadline
}

fn new_turn_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}
