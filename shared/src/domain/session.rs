//! The session document: what `sessions/{session_id}.json` holds.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{
    CandidateName, Identity, InterviewType, MessageId, SessionId, SessionStatus, SubmissionEntry,
    Turns, timestamp,
};

/// The schema version this build writes. Version 0 is the seed's Python-era document (no owner, no version).
pub const CURRENT_SCHEMA_VERSION: u32 = 1;

/// One interview session as stored.
///
/// Every field added after version 1 must be `#[serde(default)]`, and fields this build does not know are kept in
/// `extra` and written back untouched, so an older deployment never drops what a newer one stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Session {
    #[serde(default)]
    pub schema_version: u32,
    pub session_id: SessionId,
    /// The `sub` of the caller who created it; empty on seed-era documents, which therefore belong to nobody.
    #[serde(default)]
    pub owner: String,
    pub interview_type: InterviewType,
    pub candidate_name: CandidateName,
    #[serde(default)]
    pub status: SessionStatus,
    #[serde(with = "timestamp::required")]
    pub created_at: DateTime<Utc>,
    #[serde(default, with = "timestamp::optional")]
    pub ended_at: Option<DateTime<Utc>>,
    /// Seconds from creation to end, set when the session ends.
    #[serde(default)]
    pub duration: Option<f64>,
    /// Both sides of the conversation, ordered by timestamp.
    #[serde(default)]
    pub transcript: Vec<TranscriptEntry>,
    /// One line per code run; each run's full record is its own object (see [`SubmissionEntry`]).
    #[serde(default)]
    pub code_submissions: Vec<SubmissionEntry>,
    /// The CV analyzer's output for this session's resume; that tool owns its schema.
    #[serde(default)]
    pub cv_analysis: Option<Value>,
    /// Where the end-of-interview report lives, with its headline figures.
    #[serde(default)]
    pub report: Option<ReportRef>,
    /// The interviewer's own memory between turns (the local interviewer's plan and position); opaque here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_state: Option<Value>,
    /// The coding problem the interviewer has put to the candidate, with its tests, so a `code` message can run
    /// against it without repeating them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coding_problem: Option<Value>,
    /// The bank coding problems the interviewer has posed, in order: the report counts each as unsolved until a
    /// graded run passes it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub posed_problems: Vec<String>,
    /// The interviewer's turn-taking: the lease on the turn in progress and the inputs waiting for it.
    #[serde(default, skip_serializing_if = "Turns::is_idle")]
    pub turns: Turns,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Who said a transcript line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The candidate.
    User,
    /// The interviewer.
    Assistant,
    /// Notes the system adds (a code result, a phase change).
    System,
}

/// How a transcript line entered the session.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    #[default]
    Text,
    Voice,
    Code,
    Agent,
}

/// What an interviewer's message does, as the interviewer that wrote it knows. The evaluator reads the transcript
/// by these marks where they exist: a remark after a code run or a "welcome back" is not a question, a follow-up's
/// answer counts for the question it follows up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplyKind {
    /// Asks a new question (possibly after a greeting or an acknowledgement of the last answer).
    Question,
    /// Poses a coding problem.
    CodingProblem,
    /// Asks more about the question just answered.
    FollowUp,
    /// Answers the candidate's own question and, usually, repeats the question that stands.
    Clarification,
    /// Comments (on a code run, on progress) without asking anything new.
    Remark,
    /// Greets a returning candidate and repeats the question that stands.
    Resumed,
    /// Closes the interview.
    WrapUp,
}

/// One line of the conversation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TranscriptEntry {
    pub role: Role,
    /// The seed's Python backend called this `content` in some places; both read.
    #[serde(alias = "content")]
    pub text: String,
    #[serde(with = "timestamp::required")]
    pub timestamp: DateTime<Utc>,
    #[serde(default)]
    pub source: Source,
    /// For the interviewer's lines: what the line does, when the interviewer said so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_kind: Option<ReplyKind>,
    /// For the candidate's lines: the client's id for the message, so a copy sent again after an error is
    /// recognised instead of recorded twice.
    #[serde(default, rename = "messageId", skip_serializing_if = "Option::is_none")]
    pub message_id: Option<MessageId>,
    /// Per-entry data later features attach (speech timings, filler counts), kept as written.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The most text (UTF-8 bytes) a transcript holds, both sides together. With the other capped parts (the code-run
/// list, the resume analysis, the posed problem, the interviewer's state and waiting inputs) it keeps a session
/// document under [`MAX_SESSION_DOCUMENT_BYTES`] whatever a candidate sends.
pub const MAX_TRANSCRIPT_BYTES: usize = 512 * 1024;
/// The most lines a transcript holds (bounds the per-line overhead of many tiny messages).
pub const MAX_TRANSCRIPT_ENTRIES: usize = 1_200;
/// The longest interviewer reply stored; a longer one is cut (it is ours, not the candidate's).
pub const MAX_REPLY_BYTES: usize = 16 * 1024;
/// Room kept for the interviewer's replies: a candidate message is refused once the transcript would leave less.
const REPLY_RESERVE_BYTES: usize = 32 * 1024;
/// The documented ceiling of a session document, asserted by the hostile-candidate test.
pub const MAX_SESSION_DOCUMENT_BYTES: usize = 1024 * 1024;

/// Why a transcript line was not added.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "this interview has reached its length limit ({MAX_TRANSCRIPT_BYTES} bytes of conversation); end it to get your report"
)]
pub struct TranscriptFull;

/// Where a session's report is stored, plus headline fields the report route and listings show without reading it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportRef {
    pub report_url: String,
    #[serde(flatten)]
    pub summary: Map<String, Value>,
}

impl Session {
    /// A new, active session owned by `owner`.
    pub fn new(
        session_id: SessionId,
        owner: &Identity,
        interview_type: InterviewType,
        candidate_name: CandidateName,
        created_at: DateTime<Utc>,
    ) -> Self {
        Self {
            schema_version: CURRENT_SCHEMA_VERSION,
            session_id,
            owner: owner.sub().to_owned(),
            interview_type,
            candidate_name,
            status: SessionStatus::Created,
            created_at,
            ended_at: None,
            duration: None,
            transcript: Vec::new(),
            code_submissions: Vec::new(),
            cv_analysis: None,
            report: None,
            agent_state: None,
            coding_problem: None,
            posed_problems: Vec::new(),
            turns: Turns::default(),
            extra: Map::new(),
        }
    }

    /// Whether `caller` may see or change this session. Seed-era documents have no owner and match nobody, and a
    /// session being deleted is nobody's any more.
    pub fn is_owned_by(&self, caller: &Identity) -> bool {
        !self.owner.is_empty()
            && self.owner == caller.sub()
            && self.status != SessionStatus::Deleting
    }

    /// Inserts an entry at its place in timestamp order (after entries with an equal timestamp), so concurrent
    /// writers whose retries land out of order still leave a transcript sorted by when things were said.
    pub fn insert_transcript_entry(&mut self, entry: TranscriptEntry) {
        let at = self
            .transcript
            .partition_point(|e| e.timestamp <= entry.timestamp);
        self.transcript.insert(at, entry);
    }

    /// The transcript's text, in bytes.
    pub fn transcript_bytes(&self) -> usize {
        self.transcript.iter().map(|e| e.text.len()).sum()
    }

    /// Adds a candidate line, if the transcript has room for it and for the replies still to come.
    pub fn add_candidate_entry(&mut self, entry: TranscriptEntry) -> Result<(), TranscriptFull> {
        let full = self.transcript.len() + 2 > MAX_TRANSCRIPT_ENTRIES
            || self.transcript_bytes() + entry.text.len() + REPLY_RESERVE_BYTES
                > MAX_TRANSCRIPT_BYTES;
        if full {
            return Err(TranscriptFull);
        }
        self.insert_transcript_entry(entry);
        Ok(())
    }

    /// Adds an interviewer line, cut to [`MAX_REPLY_BYTES`] and to the room left; never refused (what was said to
    /// the candidate is kept as far as it fits).
    pub fn add_reply_entry(&mut self, mut entry: TranscriptEntry) {
        if self.transcript.len() >= MAX_TRANSCRIPT_ENTRIES {
            return;
        }
        let room = MAX_TRANSCRIPT_BYTES
            .saturating_sub(self.transcript_bytes())
            .min(MAX_REPLY_BYTES);
        if entry.text.len() > room {
            let mut end = room;
            while !entry.text.is_char_boundary(end) {
                end -= 1;
            }
            entry.text.truncate(end);
        }
        if !entry.text.is_empty() {
            self.insert_transcript_entry(entry);
        }
    }

    /// Whether the interview has begun: something was said, or a turn was taken (a greeting may be streaming
    /// right now). A `start` on such a session must not greet again.
    pub fn has_begun(&self) -> bool {
        !self.transcript.is_empty() || !self.turns.is_idle()
    }

    /// Brings a document read from any older schema to the current one before it is written back.
    pub fn upgrade(&mut self) {
        if self.schema_version < CURRENT_SCHEMA_VERSION {
            self.schema_version = CURRENT_SCHEMA_VERSION;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn at(s: &str) -> DateTime<Utc> {
        timestamp::parse(s).unwrap()
    }

    #[test]
    fn seed_era_document_reads() {
        let doc = json!({
            "session_id": "3f2c1a9e-8d4b-4c6a-9e1f-2b3c4d5e6f70",
            "interview_type": "Google SDE",
            "candidate_name": "John Doe",
            "created_at": "2025-10-17T12:00:00.123456",
            "status": "active",
            "transcript": [{"role": "user", "content": "Hello", "timestamp": "2025-10-17T12:00:01"}]
        });
        let s: Session = serde_json::from_value(doc).unwrap();
        assert_eq!(s.schema_version, 0);
        assert_eq!(s.owner, "");
        assert_eq!(s.transcript[0].text, "Hello");
        assert_eq!(s.transcript[0].source, Source::Text);
        let anyone = Identity::new("x", vec![]).unwrap();
        assert!(!s.is_owned_by(&anyone));
    }

    #[test]
    fn unknown_fields_survive_a_round_trip() {
        let doc = json!({
            "schema_version": 7,
            "session_id": "3f2c1a9e-8d4b-4c6a-9e1f-2b3c4d5e6f70",
            "owner": "u1",
            "interview_type": "Coding",
            "candidate_name": "Ann",
            "created_at": "2026-01-01T00:00:00.000Z",
            "future_field": {"a": 1},
            "transcript": [{"role": "assistant", "text": "Hi", "timestamp": "2026-01-01T00:00:00Z",
                            "source": "voice", "wpm": 120}]
        });
        let s: Session = serde_json::from_value(doc).unwrap();
        let back = serde_json::to_value(&s).unwrap();
        assert_eq!(back["future_field"], json!({"a": 1}));
        assert_eq!(back["transcript"][0]["wpm"], json!(120));
        assert_eq!(back["schema_version"], json!(7));
    }

    #[test]
    fn entries_insert_in_timestamp_order() {
        let owner = Identity::new("u", vec![]).unwrap();
        let mut s = Session::new(
            SessionId::new_random(),
            &owner,
            InterviewType::Coding,
            CandidateName::parse("A").unwrap(),
            at("2026-01-01T00:00:00Z"),
        );
        for (t, text) in [
            ("00:00:03", "c"),
            ("00:00:01", "a"),
            ("00:00:02", "b"),
            ("00:00:02", "b2"),
        ] {
            s.insert_transcript_entry(TranscriptEntry {
                role: Role::User,
                text: text.into(),
                timestamp: at(&format!("2026-01-01T{t}Z")),
                source: Source::Text,
                reply_kind: None,
                message_id: None,
                extra: Map::new(),
            });
        }
        let order: Vec<_> = s.transcript.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(order, ["a", "b", "b2", "c"]);
    }
}
