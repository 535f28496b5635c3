//! Domain types that parse rather than validate: once a value has one of these types it is valid everywhere.

mod candidate_name;
mod identity;
mod interview_type;
mod session;
mod session_id;
pub mod timestamp;

pub use candidate_name::{CandidateName, InvalidCandidateName, MAX_CANDIDATE_NAME_CHARS};
pub use identity::{ADMIN_GROUP, Identity, InvalidIdentity, OwnerKey};
pub use interview_type::{InterviewType, UnknownInterviewType};
pub use session::{
    CURRENT_SCHEMA_VERSION, ReportRef, Role, Session, SessionStatus, Source, TranscriptEntry,
};
pub use session_id::{InvalidSessionId, SessionId};
