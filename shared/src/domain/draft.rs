//! Code drafts: what a candidate has typed in the editor for one problem in one language, kept on the server so a
//! reload, another device or a dropped connection never loses it.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The longest draft kept, in bytes of UTF-8: the code executor's own limit, so every draft can be run.
pub const MAX_DRAFT_BYTES: usize = 64 * 1024;

/// A coding problem's id as the question bank spells them (`two-sum`): 1–64 characters of `[a-z0-9-]`, starting
/// and ending with a letter or digit — safe in a storage key. Whether the bank has it is the use case's check.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProblemId(String);

/// Why a problem id was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "problemId must be a coding problem's id: 1–64 lowercase letters, digits and dashes (got {0:?})"
)]
pub struct InvalidProblemId(String);

impl ProblemId {
    pub fn parse(raw: &str) -> Result<Self, InvalidProblemId> {
        let ok = (1..=64).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !raw.starts_with('-')
            && !raw.ends_with('-');
        if ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err(InvalidProblemId(raw.chars().take(80).collect()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ProblemId {
    type Error = InvalidProblemId;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<ProblemId> for String {
    fn from(id: ProblemId) -> Self {
        id.0
    }
}

impl fmt::Display for ProblemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The editor's languages, spelled exactly as the app sends them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum EditorLanguage {
    Python,
    JavaScript,
}

/// Why a language was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("language must be python or javascript (got {0:?})")]
pub struct InvalidEditorLanguage(String);

impl EditorLanguage {
    pub fn parse(raw: &str) -> Result<Self, InvalidEditorLanguage> {
        match raw {
            "python" => Ok(Self::Python),
            "javascript" => Ok(Self::JavaScript),
            other => Err(InvalidEditorLanguage(other.chars().take(40).collect())),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Python => "python",
            Self::JavaScript => "javascript",
        }
    }
}

impl TryFrom<String> for EditorLanguage {
    type Error = InvalidEditorLanguage;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<EditorLanguage> for String {
    fn from(language: EditorLanguage) -> Self {
        language.as_str().to_owned()
    }
}

impl fmt::Display for EditorLanguage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_ids_are_key_safe() {
        assert!(ProblemId::parse("two-sum").is_ok());
        assert!(ProblemId::parse("lru-cache2").is_ok());
        for bad in ["", "-x", "x-", "Two-Sum", "../x", "a/b", "a.b", "a b", "é"] {
            assert!(ProblemId::parse(bad).is_err(), "{bad:?}");
        }
        assert!(ProblemId::parse(&"a".repeat(65)).is_err());
    }

    #[test]
    fn languages_are_the_editors_two_spelled_exactly() {
        assert_eq!(EditorLanguage::parse("python"), Ok(EditorLanguage::Python));
        assert_eq!(
            EditorLanguage::parse("javascript"),
            Ok(EditorLanguage::JavaScript)
        );
        for bad in ["Python", "js", "py", "", "rust"] {
            assert!(EditorLanguage::parse(bad).is_err(), "{bad:?}");
        }
    }
}
