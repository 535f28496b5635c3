//! The bucket layout, in one place. Keys can only be made here, from parsed domain values.

use std::fmt;

use crate::domain::{OwnerKey, SessionId};

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

    /// `recordings/{session_id}/` — audio, when voice is used.
    pub fn recordings(id: &SessionId) -> Self {
        Self(format!("recordings/{id}/"))
    }

    /// Every prefix that holds data belonging to one session besides its document: what deletion must clear.
    pub fn session_data(id: &SessionId) -> [Self; 3] {
        [Self::cvs(id), Self::reports(id), Self::recordings(id)]
    }

    /// The prefix text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

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
