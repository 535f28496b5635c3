//! The id of one spoken answer, made by the server at `speech_start`; it names the answer's folder of audio chunks.

use std::fmt;

/// An utterance's id: 32 lowercase hex digits, made by the server at `speech_start`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UtteranceId(String);

impl UtteranceId {
    pub fn new() -> Self {
        Self(uuid::Uuid::new_v4().simple().to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for UtteranceId {
    fn default() -> Self {
        Self::new()
    }
}

impl TryFrom<String> for UtteranceId {
    type Error = String;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        if raw.len() == 32
            && raw
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            Ok(Self(raw))
        } else {
            Err("an utterance id is 32 lowercase hex digits".into())
        }
    }
}

impl From<UtteranceId> for String {
    fn from(id: UtteranceId) -> Self {
        id.0
    }
}

impl fmt::Display for UtteranceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utterance_ids_are_checked() {
        assert!(UtteranceId::try_from("../x".to_owned()).is_err());
        assert!(UtteranceId::try_from(UtteranceId::new().to_string()).is_ok());
    }
}
