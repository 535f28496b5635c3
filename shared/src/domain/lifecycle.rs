//! The session as a state machine: created → active → ending → ended, and deleting (→ gone).
//!
//! Every change to a session document is one of the named [`Transition`]s below, applied to the document just
//! read and written back only if the document is still at the version that was read (the store retries by reading
//! again and re-applying the transition, never by re-applying a value computed from an older read). The guards live
//! here, in one place, so that a late answer, a code run or an upload that races `end` is refused the same way
//! whichever entrance it came through.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{InterviewInput, Session};

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
}

/// The most inputs that wait for a turn in progress; older ones are dropped first (their text is in the transcript
/// either way; only the interviewer's reaction to them is lost).
pub const MAX_WAITING_INPUTS: usize = 8;

/// How long a turn may hold the lease. A holder that died (a Lambda timed out mid-turn) is taken over after this.
pub const TURN_LEASE_SECONDS: i64 = 60;

/// A turn in progress.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenTurn {
    /// Random, so a holder can tell its own lease from one that replaced it.
    pub id: String,
    #[serde(with = "super::timestamp::required")]
    pub started_at: DateTime<Utc>,
    /// The `completed` count when the lease was taken: the state the interviewer was asked from.
    pub base: u64,
}

impl Turns {
    /// Whether there is nothing to store (keeps the document of a session without turns as before).
    pub fn is_idle(&self) -> bool {
        self.completed == 0 && self.open.is_none() && self.waiting.is_empty()
    }
}

/// What claiming a turn did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TurnClaim {
    /// This caller holds the lease and runs the interviewer.
    Holder(OpenTurn),
    /// Another turn is in progress; the input waits for it.
    Queued,
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
        turn_id: &str,
        now: DateTime<Utc>,
    ) -> Result<TurnClaim, LifecycleError> {
        self.ensure_present()?;
        if matches!(input, InterviewInput::Start) {
            self.ensure_accepting()?;
        }
        let busy = self
            .turns
            .open
            .as_ref()
            .is_some_and(|open| (now - open.started_at).num_seconds() < TURN_LEASE_SECONDS);
        if busy {
            if self.turns.waiting.len() >= MAX_WAITING_INPUTS {
                self.turns.waiting.remove(0);
            }
            self.turns.waiting.push(input);
            return Ok(TurnClaim::Queued);
        }
        let open = OpenTurn {
            id: turn_id.to_owned(),
            started_at: now,
            base: self.turns.completed,
        };
        self.turns.open = Some(open.clone());
        Ok(TurnClaim::Holder(open))
    }

    /// Gives back the lease `lease` holds, if it still does, without saving a reply: the turn failed (its storage
    /// kept failing). Waiting inputs stay for the next turn to answer. Returns whether the lease was released.
    pub fn abandon_turn(&mut self, lease: &OpenTurn) -> bool {
        let holds = self.turns.open.as_ref().is_some_and(|o| o.id == lease.id);
        if holds {
            self.turns.open = None;
        }
        holds
    }

    /// Ends the turn `lease` holds. `state` is the interviewer's new state when the turn completed (`None` when the
    /// reply broke off: the plan does not move); it replaces the stored state only if no other turn completed since
    /// the lease was taken. With `more_time`, the next waiting input, if any, is handed over and the lease kept;
    /// without, the lease is released and waiting inputs stay for the next turn to answer.
    pub fn finish_turn(
        &mut self,
        lease: &OpenTurn,
        state: Option<Option<serde_json::Value>>,
        more_time: bool,
        now: DateTime<Utc>,
    ) -> TurnFinish {
        let holds = self.turns.open.as_ref().is_some_and(|o| o.id == lease.id);
        if !holds {
            return TurnFinish::LostLease;
        }
        if let Some(state) = state
            && self.turns.completed == lease.base
        {
            self.agent_state = state;
            self.turns.completed += 1;
        }
        if !self.status.accepts_candidate_input() {
            self.turns.waiting.clear();
        }
        if self.turns.waiting.is_empty() || !more_time {
            self.turns.open = None;
            return TurnFinish::Released;
        }
        let next = self.turns.waiting.remove(0);
        self.turns.open = Some(OpenTurn {
            id: lease.id.clone(),
            started_at: now,
            base: self.turns.completed,
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
        let TurnClaim::Holder(lease) = s.claim_turn(InterviewInput::Start, "t1", now).unwrap()
        else {
            panic!("the first claim holds the lease")
        };
        assert_eq!(
            s.claim_turn(InterviewInput::Answer("a".into()), "t2", now),
            Ok(TurnClaim::Queued)
        );
        assert!(s.abandon_turn(&lease));
        assert!(s.turns.open.is_none());
        assert_eq!(s.turns.waiting.len(), 1, "the waiting input stays");
        // A resend is answered now, not queued behind the turn that failed.
        let resend = s
            .claim_turn(InterviewInput::Answer("a".into()), "t3", now)
            .unwrap();
        assert!(matches!(resend, TurnClaim::Holder(_)));
        // A stale holder cannot free a lease that has moved on.
        assert!(!s.abandon_turn(&lease));
        assert!(s.turns.open.is_some());
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
        let TurnClaim::Holder(first) = s.claim_turn(InterviewInput::Start, "t1", now).unwrap()
        else {
            panic!("the first turn holds the lease");
        };
        let answer = InterviewInput::Answer("hello".into());
        assert_eq!(
            s.claim_turn(answer.clone(), "t2", now).unwrap(),
            TurnClaim::Queued
        );
        // The holder finishes with state 1 and answers the waiting input next.
        assert_eq!(
            s.finish_turn(&first, Some(Some(json!(1))), true, now),
            TurnFinish::Next(answer)
        );
        assert_eq!(s.agent_state, Some(json!(1)));
        let second = s.turns.open.clone().unwrap();
        assert_eq!(second.base, 1);
        assert_eq!(
            s.finish_turn(&second, Some(Some(json!(2))), true, now),
            TurnFinish::Released
        );
        assert_eq!(
            (s.agent_state.clone(), s.turns.completed),
            (Some(json!(2)), 2)
        );
        // A stale holder coming back cannot write its (older) state.
        assert_eq!(
            s.finish_turn(&first, Some(Some(json!(0))), true, now),
            TurnFinish::LostLease
        );
        assert_eq!(s.agent_state, Some(json!(2)));
    }

    #[test]
    fn an_expired_lease_is_taken_over_and_its_holder_cannot_write() {
        let mut s = session();
        let long_ago = Utc::now() - chrono::Duration::seconds(TURN_LEASE_SECONDS + 5);
        let TurnClaim::Holder(dead) = s
            .claim_turn(InterviewInput::Start, "dead", long_ago)
            .unwrap()
        else {
            panic!()
        };
        let TurnClaim::Holder(live) = s
            .claim_turn(InterviewInput::Answer("x".into()), "live", Utc::now())
            .unwrap()
        else {
            panic!("an expired lease is taken over")
        };
        assert_eq!(
            s.finish_turn(&dead, Some(Some(json!("old"))), true, Utc::now()),
            TurnFinish::LostLease
        );
        assert_eq!(
            s.finish_turn(&live, Some(Some(json!("new"))), true, Utc::now()),
            TurnFinish::Released
        );
        assert_eq!(s.agent_state, Some(json!("new")));
    }
}
