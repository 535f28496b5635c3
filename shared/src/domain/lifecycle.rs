//! The session as a state machine: created → active → ending → ended, and deleting (→ gone).
//!
//! Every change to a session document is one of the named [`Transition`]s below, applied to the document just
//! read and written back only if the document is still at the version that was read (the store retries by reading
//! again and re-applying the transition, never by re-applying a value computed from an older read). The guards live
//! here, in one place, so that a late answer, a code run or an upload that races `end` is refused the same way
//! whichever entrance it came through.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{InterviewInput, MessageId, Role, Session, TranscriptEntry};

/// Where a session is in its life.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    /// Made, nothing said yet (a resume may be uploaded).
    Created,
    /// The interview is under way. Seed-era documents without a status read as active.
    #[default]
    Active,
    /// `end` has been accepted: the document as of this transition is what the report covers, and nothing the
    /// candidate sends is accepted any more.
    Ending,
    /// The report is stored.
    Ended,
    /// A delete is removing the session's data; the session is already gone for every reader.
    Deleting,
}

impl SessionStatus {
    /// Whether the candidate may still add to the interview (answers, code runs, resumes).
    pub fn accepts_candidate_input(self) -> bool {
        matches!(self, Self::Created | Self::Active)
    }
}

/// The named changes a session document goes through. Each is logged with the write that makes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transition {
    /// A candidate message (typed or spoken) joins the transcript; created → active.
    AcceptAnswer,
    /// The interviewer starts a turn (claims the turn lease, or queues the input behind the turn in progress).
    ClaimTurn,
    /// The interviewer's reply is saved and its state advanced, if this turn still holds the lease.
    FinishTurn,
    /// A turn that could not be saved gives its lease back, so the candidate's resend is answered now rather
    /// than queued behind a holder that has gone.
    AbandonTurn,
    /// A code run is recorded (its full result lives in its own object).
    RecordRun,
    /// The coding problem the interviewer posed is remembered for later runs.
    PoseProblem,
    /// A resume's analysis is attached.
    AttachCv,
    /// The candidate corrected the resume's analysis (skills, positions, education, contact).
    CorrectCv,
    /// `end` accepted: active → ending, with the end time.
    BeginEnding,
    /// The report is stored: ending → ended.
    FinishEnding,
    /// `DELETE` accepted: any → deleting.
    BeginDelete,
}

impl Transition {
    /// A stable name for logs.
    pub fn name(self) -> &'static str {
        match self {
            Self::AcceptAnswer => "accept_answer",
            Self::ClaimTurn => "claim_turn",
            Self::FinishTurn => "finish_turn",
            Self::AbandonTurn => "abandon_turn",
            Self::RecordRun => "record_run",
            Self::PoseProblem => "pose_problem",
            Self::AttachCv => "attach_cv",
            Self::CorrectCv => "correct_cv",
            Self::BeginEnding => "begin_ending",
            Self::FinishEnding => "finish_ending",
            Self::BeginDelete => "begin_delete",
        }
    }
}

/// Why a transition cannot be made from the state the session is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LifecycleError {
    /// The interview is ending or has ended: nothing the candidate sends is accepted.
    #[error("this interview has ended; nothing more can be added to it")]
    InterviewEnded,
    /// The session is being deleted: it is gone for every caller.
    #[error("the session is being deleted")]
    Deleted,
}

impl Session {
    /// Refuses candidate input once `end` (or a delete) has been accepted.
    pub fn ensure_accepting(&self) -> Result<(), LifecycleError> {
        match self.status {
            SessionStatus::Deleting => Err(LifecycleError::Deleted),
            s if s.accepts_candidate_input() => Ok(()),
            _ => Err(LifecycleError::InterviewEnded),
        }
    }

    /// Refuses every transition on a session that is being deleted.
    pub fn ensure_present(&self) -> Result<(), LifecycleError> {
        if self.status == SessionStatus::Deleting {
            Err(LifecycleError::Deleted)
        } else {
            Ok(())
        }
    }

    /// created → active (idempotent on an active session).
    pub fn activate(&mut self) -> Result<(), LifecycleError> {
        self.ensure_accepting()?;
        self.status = SessionStatus::Active;
        Ok(())
    }

    /// active → ending at `now`. Returns what state the session was in, so a repeated `end` can tell "I began
    /// ending it" from "it was already ending/ended" (both are fine: ending is idempotent).
    pub fn begin_ending(&mut self, now: DateTime<Utc>) -> Result<EndingStart, LifecycleError> {
        match self.status {
            SessionStatus::Deleting => Err(LifecycleError::Deleted),
            SessionStatus::Ending => Ok(EndingStart::AlreadyEnding),
            SessionStatus::Ended => Ok(EndingStart::AlreadyEnded),
            SessionStatus::Created | SessionStatus::Active => {
                // A seed-era session may carry an end time already; keep it.
                let ended_at = self.ended_at.unwrap_or(now).max(self.created_at);
                self.ended_at = Some(ended_at);
                self.status = SessionStatus::Ending;
                // An interviewer turn still streaming cannot queue more work on an ended interview.
                self.turns.waiting.clear();
                Ok(EndingStart::Began)
            }
        }
    }

    /// Seconds from creation to the end time `begin_ending` recorded.
    pub fn duration_seconds(&self) -> f64 {
        let ended_at = self.ended_at.unwrap_or(self.created_at);
        (ended_at - self.created_at).num_milliseconds().max(0) as f64 / 1000.0
    }

    /// Any state but deleting → deleting.
    pub fn begin_delete(&mut self) -> Result<(), LifecycleError> {
        self.ensure_present()?;
        self.status = SessionStatus::Deleting;
        Ok(())
    }
}

/// What [`Session::begin_ending`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndingStart {
    Began,
    AlreadyEnding,
    AlreadyEnded,
}

/// The interviewer's turn-taking on one session.
///
/// API Gateway runs a WebSocket's messages concurrently, and a candidate may type while a code run is being
/// commented on, so two turns can overlap. Only one invocation at a time runs the interviewer: it claims the
/// lease with a conditional write before asking, and inputs that arrive meanwhile wait in `waiting` for it to
/// answer them next. The interviewer's state (`Session.agent_state`) is only replaced by the lease holder, and
/// only if no other turn completed since it read that state — so the plan moves forward exactly once per turn and
/// never back.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Turns {
    /// Turns completed so far; the interviewer's state belongs to this count.
    #[serde(default)]
    pub completed: u64,
    /// The turn in progress, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open: Option<OpenTurn>,
    /// Inputs that arrived while a turn was in progress, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waiting: Vec<InterviewInput>,
    /// Candidate lines the interviewer has not heard yet, oldest first: spoken answers left open mid-sentence
    /// (it said only "go on" to each), and the answer that completed them when the turn answering it failed. The
    /// next answer reaches the interviewer with them (see [`crate::voice::turn_end`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub held: Vec<HeldLine>,
}

/// One candidate line kept for the interviewer to hear with the next answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldLine {
    pub text: String,
    /// The client's id for the message, so a copy sent again is not heard twice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<MessageId>,
}

/// What a turn does to the lines held for the interviewer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HeldChange {
    /// The turn only said "go on" to this line: it is held too.
    Hold(HeldLine),
    /// The turn answered the lines held together with this one: they are heard once the reply is saved. If the
    /// turn fails, this line is held with them, so the interviewer still hears them together.
    Heard(HeldLine),
}

/// The most lines held at once; the oldest go first (they stay in the transcript, and the report reads them there).
pub const MAX_HELD_LINES: usize = 8;

/// The most inputs that wait for a turn in progress; older ones are dropped first (their text is in the transcript
/// either way; only the interviewer's reaction to them is lost).
pub const MAX_WAITING_INPUTS: usize = 8;

/// How long a turn may hold the lease. A holder that died (a Lambda timed out mid-turn) is taken over after this.
pub const TURN_LEASE_SECONDS: i64 = 60;

/// A turn in progress.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OpenTurn {
    /// Random, so a holder can tell its own lease from one that replaced it.
    pub id: String,
    #[serde(with = "super::timestamp::required")]
    pub started_at: DateTime<Utc>,
    /// The `completed` count when the lease was taken: the state the interviewer was asked from.
    pub base: u64,
    /// The candidate message (by the client's id) this turn was claimed to answer, so the message sent again after
    /// its holder failed takes the turn over instead of waiting behind it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<MessageId>,
    /// Taken over by a copy of `message` sent again: a further copy (a double click after an error) waits for
    /// this holder instead of taking the turn over a second time and answering the message twice.
    /// If that holder fails too and cannot give the lease back, a further copy waits until the lease expires.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub retaken: bool,
    /// The waiting input this turn was handed over to answer: a holder whose hand-over write landed although it
    /// was reported failed finds here what it took out of `waiting`, instead of taking a second input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handed: Option<InterviewInput>,
}

impl Turns {
    /// Whether there is nothing to store (keeps the document of a session without turns as before).
    pub fn is_idle(&self) -> bool {
        self.completed == 0 && self.open.is_none() && self.waiting.is_empty()
    }
}

/// What claiming a turn did.
#[derive(Clone, Debug, PartialEq)]
pub enum TurnClaim {
    /// This caller holds the lease and runs the interviewer.
    Holder(OpenTurn),
    /// Another turn is in progress; the input waits for it.
    Queued,
}

/// What a candidate message sent again needs (see [`Session::resend`]); each carries the line as first recorded.
#[derive(Clone, Debug, PartialEq)]
pub enum Resend {
    /// Nobody is answering it: this caller took the lease and answers it.
    Retake {
        entry: TranscriptEntry,
        lease: OpenTurn,
    },
    /// It waits for the turn in progress, which answers it.
    Pending(TranscriptEntry),
    /// It was answered: the reply it got, to send again.
    Answered {
        entry: TranscriptEntry,
        reply: String,
    },
}

impl Resend {
    /// The candidate's line as first recorded.
    pub fn entry(&self) -> &TranscriptEntry {
        match self {
            Self::Retake { entry, .. } | Self::Pending(entry) | Self::Answered { entry, .. } => {
                entry
            }
        }
    }
}

/// What finishing a turn did.
#[derive(Clone, Debug, PartialEq)]
pub enum TurnFinish {
    /// The lease is released; nothing waits.
    Released,
    /// An input arrived meanwhile: the holder keeps the lease and answers it next.
    Next(InterviewInput),
    /// The lease had expired and was taken over; this reply was saved but the interviewer's state was not.
    LostLease,
}

impl Session {
    /// Claims the turn lease for `input` at `now`, or queues `input` behind the turn in progress.
    pub fn claim_turn(
        &mut self,
        input: InterviewInput,
        message: Option<&MessageId>,
        turn_id: &str,
        now: DateTime<Utc>,
    ) -> Result<TurnClaim, LifecycleError> {
        self.ensure_present()?;
        if matches!(input, InterviewInput::Start) {
            self.ensure_accepting()?;
        }
        let busy = self.turn_busy(now);
        if busy {
            if self.turns.waiting.len() >= MAX_WAITING_INPUTS {
                self.turns.waiting.remove(0);
            }
            self.turns.waiting.push(input);
            return Ok(TurnClaim::Queued);
        }
        let open = self.take_turn(turn_id, now, message);
        Ok(TurnClaim::Holder(open))
    }

    /// Whether a turn holds the lease at `now` (one older than [`TURN_LEASE_SECONDS`] has a holder that died).
    fn turn_busy(&self, now: DateTime<Utc>) -> bool {
        self.turns
            .open
            .as_ref()
            .is_some_and(|open| (now - open.started_at).num_seconds() < TURN_LEASE_SECONDS)
    }

    /// Whether the open turn was claimed to answer the candidate message `message`.
    fn turn_claimed_for(&self, message: &MessageId) -> bool {
        self.turns
            .open
            .as_ref()
            .is_some_and(|open| open.message.as_ref() == Some(message))
    }

    /// Takes the lease for a new turn at `now` (answering `message`, if one).
    fn take_turn(
        &mut self,
        turn_id: &str,
        now: DateTime<Utc>,
        message: Option<&MessageId>,
    ) -> OpenTurn {
        let open = OpenTurn {
            id: turn_id.to_owned(),
            started_at: now,
            base: self.turns.completed,
            message: message.cloned(),
            retaken: false,
            handed: None,
        };
        self.turns.open = Some(open.clone());
        open
    }

    /// A `start` sent again under `message`: if the turn its first copy claimed is still open and nothing has been
    /// said, that copy's sender failed after its claim landed, and this caller takes the turn over to greet.
    pub fn restart(
        &mut self,
        message: &MessageId,
        turn_id: &str,
        now: DateTime<Utc>,
    ) -> Option<OpenTurn> {
        if !self.turn_claimed_for(message)
            || self.turn_retaken(now)
            || !self.transcript.is_empty()
            || self.turns.completed > 0
        {
            return None;
        }
        Some(self.retake_turn(turn_id, now, message))
    }

    /// A candidate message arrived whose id is already in the transcript: the client sent it again, usually
    /// because it was told the first copy failed (`after_error`), though that copy's write had landed. `None` when
    /// the id is new. Never records the message a second time.
    ///
    /// A live turn claimed for the message is taken over only by a copy sent after an error: that holder failed
    /// (and could not give the lease back). A copy sent without one — the same text sent twice before a reply —
    /// waits for it, since its holder is still answering; taking it over would answer the message twice. Should
    /// that holder have died without a word, the copy after it takes the turn once its lease expires.
    pub fn resend(
        &mut self,
        message: &MessageId,
        after_error: bool,
        turn_id: &str,
        now: DateTime<Utc>,
    ) -> Option<Resend> {
        let at = self
            .transcript
            .iter()
            .position(|e| e.role == Role::User && e.message_id.as_ref() == Some(message))?;
        let entry = self.transcript[at].clone();
        let input = InterviewInput::Answer(entry.text.clone());
        let claimed_for_it = self.turn_claimed_for(message);
        let busy = self.turn_busy(now);
        if claimed_for_it && (self.turn_retaken(now) || (busy && !after_error)) {
            // Another copy already took the turn over and is answering it, or its first copy's holder still is.
            return Some(Resend::Pending(entry));
        }
        if !claimed_for_it {
            if busy && self.turns.waiting.contains(&input) {
                return Some(Resend::Pending(entry));
            }
            if let Some(reply) = self.transcript[at + 1..]
                .iter()
                .find(|e| e.role == Role::Assistant)
            {
                return Some(Resend::Answered {
                    entry,
                    reply: reply.text.clone(),
                });
            }
            if busy {
                return Some(Resend::Pending(entry));
            }
        }
        // Claimed for it by a holder that failed, or never answered and nothing in progress: this caller answers
        // it, so it no longer waits for another turn to.
        if let Some(waiting) = self.turns.waiting.iter().position(|w| *w == input) {
            self.turns.waiting.remove(waiting);
        }
        let lease = self.retake_turn(turn_id, now, message);
        Some(Resend::Retake { entry, lease })
    }

    /// Whether a live turn at `now` was taken over by a copy of its message sent again (a further copy waits).
    fn turn_retaken(&self, now: DateTime<Utc>) -> bool {
        self.turn_busy(now) && self.turns.open.as_ref().is_some_and(|open| open.retaken)
    }

    /// Takes the turn over for a copy of `message` sent again, marked so no further copy takes it over too.
    fn retake_turn(&mut self, turn_id: &str, now: DateTime<Utc>, message: &MessageId) -> OpenTurn {
        let mut open = self.take_turn(turn_id, now, Some(message));
        open.retaken = true;
        self.turns.open = Some(open.clone());
        open
    }

    /// Gives back the lease `lease` holds, if it still does, without saving a reply: the turn failed (its storage
    /// kept failing). Inputs that waited for it are not left behind: with `more_time`, the first is handed over
    /// under the lease id `next_id` ([`TurnFinish::Next`]), since nobody else would answer it before the
    /// candidate's next message; without, the lease is released and they wait for the next turn.
    /// [`TurnFinish::LostLease`] when the lease had already moved on.
    ///
    /// Safe to repeat with the same `next_id` after a write whose outcome was unknown (and after a `finish_turn`
    /// that used it): a hand-over already made under `next_id` is found and returned as it was, so no second
    /// input is taken out of `waiting`.
    pub fn abandon_turn(
        &mut self,
        lease: &OpenTurn,
        next_id: &str,
        more_time: bool,
        now: DateTime<Utc>,
    ) -> TurnFinish {
        if let Some(open) = &self.turns.open
            && open.id == next_id
            && let Some(handed) = &open.handed
        {
            return TurnFinish::Next(handed.clone());
        }
        if !self.holds(lease) {
            return TurnFinish::LostLease;
        }
        self.pass_on(next_id, more_time, now)
    }

    /// Ends the turn `lease` holds. `state` is the interviewer's new state when the turn completed (`None` when the
    /// reply broke off: the plan does not move); it replaces the stored state only if no other turn completed since
    /// the lease was taken. With `more_time`, the next waiting input, if any, is handed over and the lease kept;
    /// without, the lease is released and waiting inputs stay for the next turn to answer.
    pub fn finish_turn(
        &mut self,
        lease: &OpenTurn,
        next_id: &str,
        state: Option<Option<serde_json::Value>>,
        more_time: bool,
        now: DateTime<Utc>,
    ) -> TurnFinish {
        if !self.holds(lease) {
            return TurnFinish::LostLease;
        }
        if let Some(state) = state
            && self.turns.completed == lease.base
        {
            self.agent_state = state;
            self.turns.completed += 1;
        }
        self.pass_on(next_id, more_time, now)
    }

    /// Applies what the turn under `lease` did to the held lines: `done` when its reply was saved, not when it
    /// failed or could not be saved (then a line that completed the held ones joins them, so none is lost and the
    /// next answer brings them all). Only the holder whose reply counts changes anything: a turn that lost its lease,
    /// or whose state was overtaken, does not.
    pub fn note_held(&mut self, lease: &OpenTurn, change: &HeldChange, done: bool) {
        if !self.holds(lease) || self.turns.completed != lease.base {
            return;
        }
        let line = match change {
            HeldChange::Heard(_) if done => {
                self.turns.held.clear();
                return;
            }
            HeldChange::Hold(line) | HeldChange::Heard(line) => line,
        };
        let known = line.message.is_some()
            && self
                .turns
                .held
                .iter()
                .any(|held| held.message == line.message);
        if !known {
            if self.turns.held.len() >= MAX_HELD_LINES {
                self.turns.held.remove(0);
            }
            self.turns.held.push(line.clone());
        }
    }

    /// Whether `lease` is still the open turn's.
    fn holds(&self, lease: &OpenTurn) -> bool {
        self.turns.open.as_ref().is_some_and(|o| o.id == lease.id)
    }

    /// The holder of the open turn is done with its input: it takes a lease under `next_id` for the first waiting
    /// input when it has `more_time`, and releases the turn otherwise.
    fn pass_on(&mut self, next_id: &str, more_time: bool, now: DateTime<Utc>) -> TurnFinish {
        if !self.status.accepts_candidate_input() {
            self.turns.waiting.clear();
        }
        if self.turns.waiting.is_empty() || !more_time {
            self.turns.open = None;
            return TurnFinish::Released;
        }
        let next = self.turns.waiting.remove(0);
        self.turns.open = Some(OpenTurn {
            id: next_id.to_owned(),
            started_at: now,
            base: self.turns.completed,
            message: None,
            retaken: false,
            handed: Some(next.clone()),
        });
        TurnFinish::Next(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{CandidateName, Identity, InterviewType, SessionId};
    use serde_json::json;

    fn session() -> Session {
        Session::new(
            SessionId::new_random(),
            &Identity::new("u", vec![]).unwrap(),
            InterviewType::Coding,
            CandidateName::parse("A").unwrap(),
            Utc::now(),
        )
    }

    #[test]
    fn an_abandoned_turn_frees_the_lease_only_if_it_still_holds_it() {
        let mut s = session();
        let now = Utc::now();
        let TurnClaim::Holder(lease) = s
            .claim_turn(InterviewInput::Start, None, "t1", now)
            .unwrap()
        else {
            panic!("the first claim holds the lease")
        };
        assert_eq!(
            s.claim_turn(InterviewInput::Answer("a".into()), None, "t2", now),
            Ok(TurnClaim::Queued)
        );
        assert_eq!(
            s.abandon_turn(&lease, "next", false, now),
            TurnFinish::Released
        );
        assert!(s.turns.open.is_none());
        assert_eq!(s.turns.waiting.len(), 1, "the waiting input stays");
        // A resend is answered now, not queued behind the turn that failed.
        let resend = s
            .claim_turn(InterviewInput::Answer("a".into()), None, "t3", now)
            .unwrap();
        assert!(matches!(resend, TurnClaim::Holder(_)));
        // A stale holder cannot free a lease that has moved on.
        assert_eq!(
            s.abandon_turn(&lease, "next", true, now),
            TurnFinish::LostLease
        );
        assert!(s.turns.open.is_some());
    }

    fn line(text: &str, id: &str) -> HeldLine {
        HeldLine {
            text: text.into(),
            message: MessageId::parse(id).ok(),
        }
    }

    #[test]
    fn only_the_holder_whose_reply_counts_holds_or_clears_an_answer() {
        let mut s = session();
        let now = Utc::now();
        let TurnClaim::Holder(lease) = s
            .claim_turn(
                InterviewInput::Answer("switch to the".into()),
                None,
                "t1",
                now,
            )
            .unwrap()
        else {
            panic!("the first claim holds the lease")
        };
        let held = line("switch to the", "u1");
        s.note_held(&lease, &HeldChange::Hold(held.clone()), true);
        assert_eq!(s.turns.held, std::slice::from_ref(&held));
        assert!(matches!(
            s.finish_turn(&lease, "next", Some(None), false, now),
            TurnFinish::Released
        ));
        // The lease is gone: a late write from that holder changes nothing.
        s.note_held(&lease, &HeldChange::Heard(line("x", "u9")), true);
        assert_eq!(s.turns.held.len(), 1);
        let TurnClaim::Holder(next) = s
            .claim_turn(InterviewInput::Answer("Dijkstra".into()), None, "t2", now)
            .unwrap()
        else {
            panic!("free again")
        };
        // The turn that completed it failed: the completing line is held with it, once however often it fails.
        let completing = line("Dijkstra.", "u2");
        for _ in 0..2 {
            s.note_held(&next, &HeldChange::Heard(completing.clone()), false);
        }
        assert_eq!(s.turns.held, [held, completing.clone()]);
        s.note_held(&next, &HeldChange::Heard(completing), true);
        assert!(s.turns.held.is_empty());
    }

    #[test]
    fn a_failed_turn_with_time_left_hands_its_waiting_input_over() {
        // The input queued behind a turn whose save failed would otherwise wait for the candidate's next message.
        let mut s = session();
        let now = Utc::now();
        let lease = greeting(&mut s);
        assert_eq!(
            s.claim_turn(InterviewInput::Answer("a".into()), None, "t2", now),
            Ok(TurnClaim::Queued)
        );
        let later = now + chrono::Duration::seconds(5);
        assert_eq!(
            s.abandon_turn(&lease, "next", true, later),
            TurnFinish::Next(InterviewInput::Answer("a".into()))
        );
        assert!(s.turns.waiting.is_empty());
        let open = s.turns.open.clone().expect("the lease is kept for it");
        assert_eq!(open.id, "next");
        assert_eq!(
            open.started_at, later,
            "a fresh lease for the handed-over input"
        );
        assert_eq!(s.turns.completed, 0, "a failed turn does not move the plan");
        // The same hand-over again (its first write landed but was reported failed) takes nothing more.
        let before = s.clone();
        assert_eq!(
            s.abandon_turn(&lease, "next", true, later),
            TurnFinish::Next(InterviewInput::Answer("a".into()))
        );
        assert_eq!(s, before);
        // Answered, it releases the lease as any turn does.
        assert_eq!(
            s.finish_turn(&open, "next", Some(None), true, later),
            TurnFinish::Released
        );
        assert!(s.turns.open.is_none());
    }

    #[test]
    fn nothing_is_accepted_once_ending() {
        let mut s = session();
        assert_eq!(s.status, SessionStatus::Created);
        s.activate().unwrap();
        assert_eq!(s.begin_ending(Utc::now()), Ok(EndingStart::Began));
        assert_eq!(s.ensure_accepting(), Err(LifecycleError::InterviewEnded));
        assert_eq!(s.activate(), Err(LifecycleError::InterviewEnded));
        assert_eq!(s.begin_ending(Utc::now()), Ok(EndingStart::AlreadyEnding));
        s.begin_delete().unwrap();
        assert_eq!(s.begin_ending(Utc::now()), Err(LifecycleError::Deleted));
        assert_eq!(s.begin_delete(), Err(LifecycleError::Deleted));
    }

    #[test]
    fn a_second_turn_waits_and_the_state_never_rewinds() {
        let mut s = session();
        let now = Utc::now();
        let TurnClaim::Holder(first) = s
            .claim_turn(InterviewInput::Start, None, "t1", now)
            .unwrap()
        else {
            panic!("the first turn holds the lease");
        };
        let answer = InterviewInput::Answer("hello".into());
        assert_eq!(
            s.claim_turn(answer.clone(), None, "t2", now).unwrap(),
            TurnClaim::Queued
        );
        // The holder finishes with state 1 and answers the waiting input next.
        assert_eq!(
            s.finish_turn(&first, "next", Some(Some(json!(1))), true, now),
            TurnFinish::Next(answer)
        );
        assert_eq!(s.agent_state, Some(json!(1)));
        let second = s.turns.open.clone().unwrap();
        assert_eq!(second.base, 1);
        assert_eq!(
            s.finish_turn(&second, "next", Some(Some(json!(2))), true, now),
            TurnFinish::Released
        );
        assert_eq!(
            (s.agent_state.clone(), s.turns.completed),
            (Some(json!(2)), 2)
        );
        // A stale holder coming back cannot write its (older) state.
        assert_eq!(
            s.finish_turn(&first, "next", Some(Some(json!(0))), true, now),
            TurnFinish::LostLease
        );
        assert_eq!(s.agent_state, Some(json!(2)));
    }

    #[test]
    fn an_expired_lease_is_taken_over_and_its_holder_cannot_write() {
        let mut s = session();
        let long_ago = Utc::now() - chrono::Duration::seconds(TURN_LEASE_SECONDS + 5);
        let TurnClaim::Holder(dead) = s
            .claim_turn(InterviewInput::Start, None, "dead", long_ago)
            .unwrap()
        else {
            panic!()
        };
        let TurnClaim::Holder(live) = s
            .claim_turn(InterviewInput::Answer("x".into()), None, "live", Utc::now())
            .unwrap()
        else {
            panic!("an expired lease is taken over")
        };
        assert_eq!(
            s.finish_turn(&dead, "next", Some(Some(json!("old"))), true, Utc::now()),
            TurnFinish::LostLease
        );
        assert_eq!(
            s.finish_turn(&live, "next", Some(Some(json!("new"))), true, Utc::now()),
            TurnFinish::Released
        );
        assert_eq!(s.agent_state, Some(json!("new")));
    }

    /// The lease of a claim that must hold it.
    fn held(claim: TurnClaim) -> OpenTurn {
        match claim {
            TurnClaim::Holder(lease) => lease,
            TurnClaim::Queued => panic!("the claim should hold the lease"),
        }
    }

    /// The greeting's turn, claimed on a fresh session.
    fn greeting(s: &mut Session) -> OpenTurn {
        held(
            s.claim_turn(InterviewInput::Start, None, "t0", Utc::now())
                .unwrap(),
        )
    }

    /// Records `text` under `id` as the answer flow does, claiming the turn for it.
    fn answered_with_id(s: &mut Session, text: &str, id: &MessageId, turn: &str) -> TurnClaim {
        let now = Utc::now();
        s.add_candidate_entry(TranscriptEntry {
            role: Role::User,
            text: text.into(),
            timestamp: now,
            source: crate::domain::Source::Text,
            reply_kind: None,
            message_id: Some(id.clone()),
            extra: serde_json::Map::new(),
        })
        .unwrap();
        s.claim_turn(InterviewInput::Answer(text.into()), Some(id), turn, now)
            .unwrap()
    }

    fn reply(s: &mut Session, text: &str) {
        s.add_reply_entry(TranscriptEntry {
            role: Role::Assistant,
            text: text.into(),
            timestamp: Utc::now(),
            source: crate::domain::Source::Agent,
            reply_kind: None,
            message_id: None,
            extra: serde_json::Map::new(),
        });
    }

    #[test]
    fn a_new_message_id_is_not_a_resend() {
        let mut s = session();
        answered_with_id(&mut s, "a", &MessageId::parse("m1").unwrap(), "t1");
        assert_eq!(
            s.resend(&MessageId::parse("m2").unwrap(), true, "t2", Utc::now()),
            None
        );
    }

    #[test]
    fn a_message_whose_holder_failed_is_taken_over_by_its_resend() {
        // The answer's write landed but its sender was told it failed (and so never ran the turn): the lease it
        // claimed is still open. The resend takes it over at once instead of waiting out the lease.
        let mut s = session();
        let id = MessageId::parse("m1").unwrap();
        let first = held(answered_with_id(&mut s, "my answer", &id, "t1"));
        let lines = s.transcript.len();
        let Some(Resend::Retake { entry, lease }) = s.resend(&id, true, "t2", Utc::now()) else {
            panic!("the resend answers it")
        };
        assert_eq!(entry.text, "my answer");
        assert_eq!(s.transcript.len(), lines, "recorded once");
        assert_eq!(lease.id, "t2");
        assert_eq!(s.turns.open.as_ref(), Some(&lease));
        assert_eq!(
            s.finish_turn(&first, "next", Some(None), false, Utc::now()),
            TurnFinish::LostLease,
            "the failed holder cannot write over the turn"
        );
    }

    #[test]
    fn a_copy_sent_before_any_error_waits_for_the_turn_its_first_copy_claimed() {
        // The same text sent twice before a reply (no error in between): the first copy's holder is answering it;
        // the second copy must not take the turn over, or the message gets two replies.
        let mut s = session();
        let id = MessageId::parse("m1").unwrap();
        let first = held(answered_with_id(&mut s, "my answer", &id, "t1"));
        let lines = s.transcript.len();
        let now = Utc::now();
        assert!(matches!(
            s.resend(&id, false, "t2", now),
            Some(Resend::Pending(_))
        ));
        assert_eq!(s.transcript.len(), lines, "recorded once");
        assert_eq!(
            s.turns.open.as_ref(),
            Some(&first),
            "the first holder keeps its turn"
        );
        // Had that holder died without a word, a copy after its lease expired answers it.
        let expired = now + chrono::Duration::seconds(TURN_LEASE_SECONDS + 1);
        assert!(matches!(
            s.resend(&id, false, "t3", expired),
            Some(Resend::Retake { .. })
        ));
    }

    #[test]
    fn two_copies_sent_again_at_once_answer_the_message_once() {
        // A double click after an error: the first copy takes over the failed holder's turn; the second waits for
        // it rather than taking the turn over again (both would save a reply to the same message).
        let mut s = session();
        let id = MessageId::parse("m1").unwrap();
        held(answered_with_id(&mut s, "my answer", &id, "t1"));
        let now = Utc::now();
        let Some(Resend::Retake { lease, .. }) = s.resend(&id, true, "t2", now) else {
            panic!("the first copy takes the turn over")
        };
        assert!(matches!(
            s.resend(&id, true, "t3", now),
            Some(Resend::Pending(_))
        ));
        assert_eq!(s.turns.open.as_ref().map(|o| o.id.as_str()), Some("t2"));
        // If that copy's holder dies too, its lease expires like any other and a later copy answers.
        let expired = now + chrono::Duration::seconds(TURN_LEASE_SECONDS + 1);
        assert!(matches!(
            s.resend(&id, true, "t4", expired),
            Some(Resend::Retake { .. })
        ));
        assert_eq!(
            s.finish_turn(&lease, "next", Some(None), false, expired),
            TurnFinish::LostLease
        );
        assert_eq!(s.transcript.len(), 1, "recorded once");
    }

    #[test]
    fn a_resend_of_an_answered_message_gets_the_reply_it_had() {
        let mut s = session();
        let id = MessageId::parse("m1").unwrap();
        let lease = held(answered_with_id(&mut s, "my answer", &id, "t1"));
        reply(&mut s, "Thanks. Next question?");
        s.finish_turn(&lease, "next", Some(None), false, Utc::now());
        let before = s.clone();
        assert_eq!(
            s.resend(&id, true, "t2", Utc::now()),
            Some(Resend::Answered {
                entry: before.transcript[0].clone(),
                reply: "Thanks. Next question?".into()
            })
        );
        assert_eq!(s, before, "nothing changes, so nothing is written");
    }

    #[test]
    fn a_resend_of_a_message_waiting_behind_another_turn_waits_too() {
        let mut s = session();
        let _ = greeting(&mut s);
        let id = MessageId::parse("m1").unwrap();
        assert_eq!(
            answered_with_id(&mut s, "queued", &id, "t1"),
            TurnClaim::Queued
        );
        let before = s.clone();
        assert!(matches!(
            s.resend(&id, true, "t2", Utc::now()),
            Some(Resend::Pending(_))
        ));
        assert_eq!(s, before);
    }

    #[test]
    fn a_resend_of_a_message_nobody_answered_claims_the_free_turn() {
        // Its turn broke off before anything was said and was given back: the resend asks again.
        let mut s = session();
        let id = MessageId::parse("m1").unwrap();
        let lease = held(answered_with_id(&mut s, "my answer", &id, "t1"));
        assert_eq!(
            s.abandon_turn(&lease, "next", false, Utc::now()),
            TurnFinish::Released
        );
        assert!(matches!(
            s.resend(&id, true, "t2", Utc::now()),
            Some(Resend::Retake { .. })
        ));
        assert_eq!(s.transcript.len(), 1);
    }

    #[test]
    fn a_waiting_message_whose_turn_was_given_back_is_answered_by_its_resend_once() {
        // It waited behind a turn whose storage failed; the failed holder gave the lease back, so nobody would
        // answer it until the candidate's next message. Its resend answers it, and it no longer waits.
        let mut s = session();
        let holder = greeting(&mut s);
        let id = MessageId::parse("m1").unwrap();
        assert_eq!(
            answered_with_id(&mut s, "queued", &id, "t1"),
            TurnClaim::Queued
        );
        assert_eq!(
            s.abandon_turn(&holder, "next", false, Utc::now()),
            TurnFinish::Released
        );
        let Some(Resend::Retake { lease, .. }) = s.resend(&id, true, "t2", Utc::now()) else {
            panic!("the resend answers it")
        };
        assert!(s.turns.waiting.is_empty(), "{:?}", s.turns.waiting);
        assert_eq!(
            s.finish_turn(&lease, "next", Some(None), true, Utc::now()),
            TurnFinish::Released,
            "not handed over a second time"
        );
    }

    #[test]
    fn a_start_sent_again_takes_over_only_its_own_unanswered_claim() {
        let mut s = session();
        let first = MessageId::parse("join-1").unwrap();
        let TurnClaim::Holder(dead) = s
            .claim_turn(InterviewInput::Start, Some(&first), "t1", Utc::now())
            .unwrap()
        else {
            panic!()
        };
        assert_eq!(
            s.restart(&MessageId::parse("other-tab").unwrap(), "t2", Utc::now()),
            None,
            "another tab's start resumes"
        );
        let lease = s.restart(&first, "t3", Utc::now()).expect("greets");
        assert_eq!(
            s.restart(&first, "t3b", Utc::now()),
            None,
            "a second copy does not greet again while the first greets"
        );
        assert_eq!(
            s.finish_turn(&dead, "next", Some(None), false, Utc::now()),
            TurnFinish::LostLease
        );
        reply(&mut s, "Hi!");
        s.finish_turn(&lease, "next", Some(None), false, Utc::now());
        s.turns.open = Some(OpenTurn {
            message: Some(first.clone()),
            ..lease
        });
        assert_eq!(
            s.restart(&first, "t4", Utc::now()),
            None,
            "once greeted, never again"
        );
    }
}
