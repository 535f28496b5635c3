//! The bucket layout, in one place. Keys can only be made here, from parsed domain values.

use std::fmt;

use chrono::NaiveDate;

use crate::domain::{
    ConnectionId, EditorLanguage, OwnerKey, ProblemId, SessionId, SubmissionId, UtteranceId,
};

/// A storage key built from validated parts; adapters accept nothing else.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectKey(String);

/// A key prefix (always ending in `/`) built from validated parts.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct KeyPrefix(String);

impl ObjectKey {
    /// `sessions/{session_id}.json` — the session document (seed layout).
    pub fn session(id: &SessionId) -> Self {
        Self(format!("sessions/{id}.json"))
    }

    /// `owners/{owner_key}/sessions/{session_id}` — the per-owner index entry that lets a user's listing cost in
    /// proportion to their own sessions.
    pub fn owner_index(owner: &OwnerKey, id: &SessionId) -> Self {
        Self(format!("owners/{}/sessions/{id}", owner.as_str()))
    }

    /// `connections/{hex}.json` — a WebSocket connection's record; the id is hex-encoded because API Gateway's
    /// ids contain `/` and `+`, which are not key-safe.
    pub fn connection(id: &ConnectionId) -> Self {
        Self(format!(
            "connections/{}.json",
            hex::encode(id.as_str().as_bytes())
        ))
    }

    /// `submissions/{session_id}/{submission_id}.json` — one code run's full record (code, every test's result),
    /// kept out of the session document so that document stays small.
    pub fn submission(id: &SessionId, submission: &SubmissionId) -> Self {
        Self(format!("submissions/{id}/{submission}.json"))
    }

    /// `drafts/{session_id}/{problem_id}.{language}.json` — the editor's latest code for one problem in one
    /// language (one object per pair, overwritten as the candidate types).
    pub fn draft(id: &SessionId, problem: &ProblemId, language: EditorLanguage) -> Self {
        Self(format!("drafts/{id}/{problem}.{language}.json"))
    }

    /// `recordings/{session_id}/{utterance_id}/{seq:06}.pcm` — one chunk of a spoken answer, zero-padded so
    /// listing order is `seq` order.
    pub fn recording_chunk(id: &SessionId, utterance: &UtteranceId, seq: u32) -> Self {
        Self(format!("recordings/{id}/{utterance}/{seq:06}.pcm"))
    }

    /// `reports/{session_id}/performance_report.json` — the end-of-interview report (seed layout).
    pub fn performance_report(id: &SessionId) -> Self {
        Self(format!("reports/{id}/performance_report.json"))
    }

    /// `analytics/days/date={YYYY-MM-DD}/summaries.jsonl` — one line per session created that day (UTC), every
    /// owner's; admin analytics read these instead of session documents. The `date=` folder is a Hive-style
    /// partition, so Athena can query the same files by date.
    pub fn analytics_day(date: NaiveDate) -> Self {
        Self(format!(
            "{}date={}/summaries.jsonl",
            ANALYTICS_DAYS,
            date.format("%Y-%m-%d")
        ))
    }

    /// `analytics/owners/{owner_key}/summaries.jsonl` — one owner's session summaries, so a user's own analytics
    /// read one object.
    pub fn analytics_owner(owner: &OwnerKey) -> Self {
        Self(format!(
            "analytics/owners/{}/summaries.jsonl",
            owner.as_str()
        ))
    }

    /// [`ObjectKey::analytics_owner`] from an owner key's text as summary records store it; `None` unless it is
    /// 32 lowercase hex digits, the only shape [`OwnerKey`] produces.
    pub fn analytics_owner_hex(owner_hex: &str) -> Option<Self> {
        let valid = owner_hex.len() == 32
            && owner_hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        valid.then(|| Self(format!("analytics/owners/{owner_hex}/summaries.jsonl")))
    }

    /// The day an [`ObjectKey::analytics_day`] key names, for keys a listing returned.
    pub fn analytics_day_of(&self) -> Option<NaiveDate> {
        let rest = self.0.strip_prefix(ANALYTICS_DAYS)?.strip_prefix("date=")?;
        let (date, file) = rest.split_once('/')?;
        (file == "summaries.jsonl")
            .then(|| NaiveDate::parse_from_str(date, "%Y-%m-%d").ok())
            .flatten()
    }

    /// `quotas/{owner_key}/{YYYY-MM-DD}.json` — one user's use of the daily quotas on one UTC day (see
    /// [`crate::domain::QuotaLimits`]). Kept apart from sessions: deleting a session gives nothing back.
    pub fn quota(owner: &OwnerKey, day: NaiveDate) -> Self {
        Self(format!(
            "quotas/{}/{}.json",
            owner.as_str(),
            day.format("%Y-%m-%d")
        ))
    }

    /// An object directly under `prefix`, named `name` — which must be 1–128 characters of `[A-Za-z0-9._-]` and
    /// not `.` or `..`; callers sanitise user-supplied file names into that alphabet first.
    pub fn child(prefix: &KeyPrefix, name: &str) -> Option<Self> {
        let safe = (1..=128).contains(&name.len())
            && name != "."
            && name != ".."
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
        safe.then(|| Self(format!("{}{name}", prefix.0)))
    }

    /// Adopts a key that an adapter's listing returned; only adapters call this, and only with keys under a
    /// prefix this module built.
    pub(crate) fn from_listing(raw: String) -> Self {
        Self(raw)
    }

    /// The key text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The last path segment (the session id in an index key, the file name in a CV key).
    pub fn file_name(&self) -> &str {
        self.0.rsplit('/').next().unwrap_or(&self.0)
    }
}

impl KeyPrefix {
    /// Every session document.
    pub fn all_sessions() -> Self {
        Self("sessions/".into())
    }

    /// One owner's index entries.
    pub fn owner_sessions(owner: &OwnerKey) -> Self {
        Self(format!("owners/{}/sessions/", owner.as_str()))
    }

    /// `cvs/{session_id}/` — uploaded resumes.
    pub fn cvs(id: &SessionId) -> Self {
        Self(format!("cvs/{id}/"))
    }

    /// `reports/{session_id}/` — the performance report.
    pub fn reports(id: &SessionId) -> Self {
        Self(format!("reports/{id}/"))
    }

    /// Every per-day analytics summary file (see [`ObjectKey::analytics_day`]).
    pub fn analytics_days() -> Self {
        Self(ANALYTICS_DAYS.into())
    }

    /// `recordings/{session_id}/` — audio, when voice is used.
    pub fn recordings(id: &SessionId) -> Self {
        Self(format!("recordings/{id}/"))
    }

    /// `recordings/{session_id}/{utterance_id}/` — one spoken answer's chunks.
    pub fn utterance(id: &SessionId, utterance: &UtteranceId) -> Self {
        Self(format!("recordings/{id}/{utterance}/"))
    }

    /// `submissions/{session_id}/` — the session's code runs.
    pub fn submissions(id: &SessionId) -> Self {
        Self(format!("submissions/{id}/"))
    }

    /// `drafts/{session_id}/` — the editor's drafts.
    pub fn drafts(id: &SessionId) -> Self {
        Self(format!("drafts/{id}/"))
    }

    /// Every prefix that holds data belonging to one session besides its document: what deletion must clear.
    pub fn session_data(id: &SessionId) -> [Self; 5] {
        [
            Self::cvs(id),
            Self::reports(id),
            Self::recordings(id),
            Self::submissions(id),
            Self::drafts(id),
        ]
    }

    /// The prefix text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Where the per-day analytics summaries live.
const ANALYTICS_DAYS: &str = "analytics/days/";

impl fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for KeyPrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_matches_the_seed() {
        let id = SessionId::parse("3f2c1a9e-8d4b-4c6a-9e1f-2b3c4d5e6f70").unwrap();
        assert_eq!(
            ObjectKey::session(&id).as_str(),
            "sessions/3f2c1a9e-8d4b-4c6a-9e1f-2b3c4d5e6f70.json"
        );
        assert_eq!(
            KeyPrefix::cvs(&id).as_str(),
            "cvs/3f2c1a9e-8d4b-4c6a-9e1f-2b3c4d5e6f70/"
        );
        assert_eq!(
            KeyPrefix::reports(&id).as_str(),
            "reports/3f2c1a9e-8d4b-4c6a-9e1f-2b3c4d5e6f70/"
        );
        assert_eq!(
            KeyPrefix::recordings(&id).as_str(),
            "recordings/3f2c1a9e-8d4b-4c6a-9e1f-2b3c4d5e6f70/"
        );
        let draft = ObjectKey::draft(
            &id,
            &ProblemId::parse("two-sum").unwrap(),
            EditorLanguage::JavaScript,
        );
        assert_eq!(
            draft.as_str(),
            "drafts/3f2c1a9e-8d4b-4c6a-9e1f-2b3c4d5e6f70/two-sum.javascript.json"
        );
        assert!(draft.as_str().starts_with(KeyPrefix::drafts(&id).as_str()));
        assert!(KeyPrefix::session_data(&id).contains(&KeyPrefix::drafts(&id)));
        let connection = ConnectionId::parse("a/b+c=").unwrap();
        let key = ObjectKey::connection(&connection);
        assert!(!key.as_str()["connections/".len()..].contains('/'));
        let run = SubmissionId::new_random();
        assert!(
            ObjectKey::submission(&id, &run)
                .as_str()
                .starts_with(KeyPrefix::submissions(&id).as_str())
        );
        let owner = OwnerKey::of("user-1");
        let index = ObjectKey::owner_index(&owner, &id);
        assert!(
            index
                .as_str()
                .starts_with(KeyPrefix::owner_sessions(&owner).as_str())
        );
        assert_eq!(index.file_name(), id.to_string());
    }

    #[test]
    fn report_and_analytics_keys() {
        let id = SessionId::parse("3f2c1a9e-8d4b-4c6a-9e1f-2b3c4d5e6f70").unwrap();
        let report = ObjectKey::performance_report(&id);
        assert_eq!(
            report.as_str(),
            "reports/3f2c1a9e-8d4b-4c6a-9e1f-2b3c4d5e6f70/performance_report.json"
        );
        assert!(
            report
                .as_str()
                .starts_with(KeyPrefix::reports(&id).as_str())
        );
        let day = NaiveDate::from_ymd_opt(2026, 3, 7).unwrap();
        let key = ObjectKey::analytics_day(day);
        assert_eq!(
            key.as_str(),
            "analytics/days/date=2026-03-07/summaries.jsonl"
        );
        assert!(
            key.as_str()
                .starts_with(KeyPrefix::analytics_days().as_str())
        );
        assert_eq!(key.analytics_day_of(), Some(day));
        assert_eq!(ObjectKey::session(&id).analytics_day_of(), None);
        let owner = OwnerKey::of("user-1");
        assert_eq!(
            ObjectKey::analytics_owner(&owner).as_str(),
            format!("analytics/owners/{}/summaries.jsonl", owner.as_str())
        );
        assert_eq!(
            ObjectKey::analytics_owner_hex(owner.as_str()),
            Some(ObjectKey::analytics_owner(&owner))
        );
        for bad in [
            "",
            "../x",
            "ABCDEF0123456789ABCDEF0123456789",
            &"a".repeat(33),
        ] {
            assert!(ObjectKey::analytics_owner_hex(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn children_must_be_plain_names() {
        let id = SessionId::new_random();
        let prefix = KeyPrefix::cvs(&id);
        assert_eq!(
            ObjectKey::child(&prefix, "resume.pdf").unwrap().as_str(),
            format!("cvs/{id}/resume.pdf")
        );
        for bad in [
            "",
            ".",
            "..",
            "a/b",
            "../x",
            "a b",
            "ü.pdf",
            &"x".repeat(129),
        ] {
            assert!(ObjectKey::child(&prefix, bad).is_none(), "{bad:?}");
        }
    }
}
