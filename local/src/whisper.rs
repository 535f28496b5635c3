//! Offline speech recognition for the local server: Whisper tiny.en run by CTranslate2 (through `ct2rs`), so a
//! candidate can answer by voice without any cloud service. `scripts/fetch-whisper-model` installs the model.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;
use futures::StreamExt;
use prepai::ports::{SpeechError, SpeechHypothesis, SpeechToText, TranscriptStream};
use prepai::voice::Pcm16;

/// Where the model is looked for: `PREPAI_WHISPER_MODEL`, else `~/.cache/prepai/whisper-tiny.en` (where the
/// fetch script puts it).
pub fn default_model_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("PREPAI_WHISPER_MODEL").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from);
    home.join(".cache/prepai/whisper-tiny.en")
}

/// The files a CTranslate2 Whisper model folder needs; checked first so a missing one is named.
const MODEL_FILES: [&str; 4] = [
    "model.bin",
    "config.json",
    "tokenizer.json",
    "preprocessor_config.json",
];

/// Why voice input is off, in words for the person running the server.
pub fn missing_model(dir: &Path) -> Option<String> {
    let missing: Vec<&str> = MODEL_FILES
        .iter()
        .copied()
        .filter(|f| !dir.join(f).is_file())
        .collect();
    (!missing.is_empty()).then(|| {
        format!(
            "voice input is off: no Whisper model in {} (missing {}); run scripts/fetch-whisper-model",
            dir.display(),
            missing.join(", ")
        )
    })
}

/// Whisper behind [`SpeechToText`].
#[cfg(feature = "whisper")]
pub struct WhisperSpeech {
    model: Arc<ct2rs::Whisper>,
}

#[cfg(feature = "whisper")]
impl WhisperSpeech {
    /// Loads the model (about half a second for tiny.en).
    pub fn load(dir: &Path) -> Result<Self, String> {
        if let Some(problem) = missing_model(dir) {
            return Err(problem);
        }
        // float32: int8 is faster but misheard espeak-ng test sentences ("led" as "land"); the model is stored as
        // float16, which CPUs here would convert anyway.
        let config = ct2rs::Config {
            compute_type: ct2rs::ComputeType::FLOAT32,
            ..ct2rs::Config::default()
        };
        let model = ct2rs::Whisper::new(dir, config).map_err(|e| {
            format!(
                "voice input is off: the Whisper model in {} did not load: {e}",
                dir.display()
            )
        })?;
        Ok(Self {
            model: Arc::new(model),
        })
    }
}

/// Whisper writes these for silence or noise; they are not words the candidate said.
const NON_SPEECH: [&str; 4] = ["[BLANK_AUDIO]", "[blank_audio]", "(silence)", "[MUSIC]"];

/// Joins Whisper's 30-second windows and drops its non-speech markers.
pub fn clean_transcript(pieces: &[String]) -> String {
    let mut text = pieces.join(" ");
    for marker in NON_SPEECH {
        text = text.replace(marker, " ");
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(feature = "whisper")]
#[async_trait]
impl SpeechToText for WhisperSpeech {
    async fn transcribe(&self, pcm: Bytes) -> Result<TranscriptStream, SpeechError> {
        if pcm.is_empty() {
            return Err(SpeechError::Rejected("no audio".into()));
        }
        let samples = Pcm16::parse(pcm)
            .map_err(|e| SpeechError::Rejected(e.to_string()))?
            .to_f32();
        let model = Arc::clone(&self.model);
        // Greedy decoding: beam search costs several times more and gains little on short, clear answers.
        let options = ct2rs::WhisperOptions {
            beam_size: 1,
            ..Default::default()
        };
        let pieces = tokio::task::spawn_blocking(move || {
            model.generate(&samples, Some("en"), false, &options)
        })
        .await
        .map_err(|e| SpeechError::Service(format!("the recogniser stopped: {e}")))?
        .map_err(|e| SpeechError::Service(e.to_string()))?;
        let hypothesis = SpeechHypothesis {
            text: clean_transcript(&pieces),
            is_final: true,
        };
        Ok(futures::stream::once(async move { Ok(hypothesis) }).boxed())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_and_window_joins_are_cleaned() {
        let pieces = vec![
            " I would use a heap.".to_owned(),
            "[BLANK_AUDIO]".to_owned(),
        ];
        assert_eq!(clean_transcript(&pieces), "I would use a heap.");
    }

    #[test]
    fn a_missing_model_is_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("model.bin"), b"x").unwrap();
        let problem = missing_model(dir.path()).unwrap();
        assert!(problem.contains("tokenizer.json"), "{problem}");
        assert!(problem.contains("scripts/fetch-whisper-model"));
        assert!(!problem.contains("model.bin,"));
    }
}
