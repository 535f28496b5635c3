//! Turn-taking settings the server tells the browser, and what it keeps.

use serde::Serialize;

/// How long a silence ends the candidate's turn in hands-free mode. Thinking aloud about code has long pauses;
/// cutting a candidate off mid-thought is the complaint users of voice interviewers make most.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct SilenceMs {
    pub conversation: u32,
    pub coding: u32,
}

/// Voice behaviour, from the environment (`PREPAI_SILENCE_MS_CONVERSATION`, `PREPAI_SILENCE_MS_CODING`,
/// `PREPAI_KEEP_RECORDINGS`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VoiceSettings {
    pub silence_ms: SilenceMs,
    /// Keep utterance audio under `recordings/` after transcription (the bucket's lifecycle rule expires it);
    /// off deletes it as soon as it is transcribed.
    pub keep_recordings: bool,
}

impl Default for VoiceSettings {
    fn default() -> Self {
        Self {
            silence_ms: SilenceMs {
                conversation: 1_500,
                coding: 6_000,
            },
            keep_recordings: true,
        }
    }
}

impl VoiceSettings {
    /// Reads the settings; values that do not parse (or are outside 300 ms – 60 s) keep their defaults, with a
    /// warning, rather than stop the function.
    pub fn from_lookup(var: impl Fn(&str) -> Option<String>) -> Self {
        let mut settings = Self::default();
        let ms = |name: &str, default: u32| match var(name).map(|v| v.trim().parse::<u32>()) {
            Some(Ok(v)) if (300..=60_000).contains(&v) => v,
            Some(_) => {
                tracing::warn!(
                    variable = name,
                    "ignored: expected milliseconds between 300 and 60000"
                );
                default
            }
            None => default,
        };
        settings.silence_ms.conversation = ms(
            "PREPAI_SILENCE_MS_CONVERSATION",
            settings.silence_ms.conversation,
        );
        settings.silence_ms.coding = ms("PREPAI_SILENCE_MS_CODING", settings.silence_ms.coding);
        if let Some(keep) = var("PREPAI_KEEP_RECORDINGS") {
            settings.keep_recordings = !matches!(
                keep.trim().to_ascii_lowercase().as_str(),
                "0" | "false" | "off" | "no"
            );
        }
        settings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_come_from_the_environment_within_bounds() {
        let env = |name: &str| match name {
            "PREPAI_SILENCE_MS_CODING" => Some("9000".to_owned()),
            "PREPAI_SILENCE_MS_CONVERSATION" => Some("5".to_owned()),
            "PREPAI_KEEP_RECORDINGS" => Some("off".to_owned()),
            _ => None,
        };
        let s = VoiceSettings::from_lookup(env);
        assert_eq!(s.silence_ms.coding, 9000);
        assert_eq!(s.silence_ms.conversation, 1500);
        assert!(!s.keep_recordings);
        assert_eq!(
            VoiceSettings::from_lookup(|_| None),
            VoiceSettings::default()
        );
    }
}
