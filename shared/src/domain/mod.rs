//! Domain types that parse rather than validate: once a value has one of these types it is valid everywhere.

mod candidate_name;
mod connection_id;
mod draft;
mod identity;
mod interview_input;
mod interview_type;
mod lifecycle;
mod message_id;
mod quota;
mod session;
mod session_id;
mod submission;
pub mod timestamp;
mod utterance_id;

pub use candidate_name::{CandidateName, InvalidCandidateName, MAX_CANDIDATE_NAME_CHARS};
pub use connection_id::ConnectionId;
pub use draft::{
    EditorLanguage, InvalidEditorLanguage, InvalidProblemId, MAX_DRAFT_BYTES, ProblemId,
};
pub use identity::{ADMIN_GROUP, Identity, InvalidIdentity, OwnerKey};
pub use interview_input::{CodeRunSummary, InterviewInput};
pub use interview_type::{InterviewType, UnknownInterviewType};
pub use lifecycle::{
    EndingStart, HeldChange, HeldLine, LifecycleError, MAX_HELD_LINES, MAX_WAITING_INPUTS,
    OpenTurn, Resend, SessionStatus, TURN_LEASE_SECONDS, Transition, TurnClaim, TurnFinish, Turns,
};
pub use message_id::{InvalidMessageId, MessageId};
pub use quota::{
    DailyUsage, QUOTA_CODE_RUNS_ENV, QUOTA_INTERVIEWS_ENV, QUOTA_VOICE_MINUTES_ENV, QuotaKind,
    QuotaLimits, quota_day, seconds_until_reset,
};
pub use session::{
    CURRENT_SCHEMA_VERSION, MAX_REPLY_BYTES, MAX_SESSION_DOCUMENT_BYTES, MAX_TRANSCRIPT_BYTES,
    MAX_TRANSCRIPT_ENTRIES, ReplyKind, ReportRef, Role, Session, Source, TranscriptEntry,
    TranscriptFull,
};
pub use session_id::{InvalidSessionId, SessionId};
pub use submission::{InvalidSubmissionId, RunMode, SubmissionEntry, SubmissionId, SubmissionRef};
pub use utterance_id::UtteranceId;
