//! Offline speech recognition for the local server: Whisper tiny.en run by CTranslate2 (through `ct2rs`), so a
//! candidate can answer by voice without any cloud service. `scripts/fetch-whisper-model` installs the model.
//! An utterance is recognised while it is spoken ([`live`]), so `speech_end` only waits for its last words.

#[cfg(feature = "whisper")]
mod agreement;
#[cfg(feature = "whisper")]
mod features;
#[cfg(feature = "whisper")]
mod live;

use std::path::{Path, PathBuf};
#[cfg(feature = "whisper")]
use std::sync::Arc;

#[cfg(feature = "whisper")]
use async_trait::async_trait;
#[cfg(feature = "whisper")]
use bytes::Bytes;
#[cfg(feature = "whisper")]
use futures::StreamExt;
#[cfg(feature = "whisper")]
use prepai::ports::{SpeechError, SpeechHypothesis, SpeechToText, TranscriptStream};
#[cfg(feature = "whisper")]
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
    engine: Arc<Engine>,
    live: Arc<live::LiveRecognition>,
}

/// How the model computes, from `PREPAI_WHISPER_COMPUTE` (`float32`, `int8`, `int8_float32`); float32 unless set.
#[cfg(feature = "whisper")]
fn compute_type() -> Result<ct2rs::ComputeType, String> {
    match std::env::var("PREPAI_WHISPER_COMPUTE").as_deref() {
        Err(_) | Ok("" | "float32") => Ok(ct2rs::ComputeType::FLOAT32),
        Ok("int8") => Ok(ct2rs::ComputeType::INT8),
        Ok("int8_float32") => Ok(ct2rs::ComputeType::INT8_FLOAT32),
        Ok(other) => Err(format!(
            "PREPAI_WHISPER_COMPUTE must be one of: float32, int8, int8_float32 (not {other:?})"
        )),
    }
}

/// The model, its tokenizer and mel filters, loaded once and shared by every decode.
#[cfg(feature = "whisper")]
pub(crate) struct Engine {
    model: ct2rs::sys::Whisper,
    tokenizer: ct2rs::tokenizers::hf::Tokenizer,
    filters: features::MelFilters,
}

#[cfg(feature = "whisper")]
impl Engine {
    fn load(dir: &Path) -> Result<Self, String> {
        if let Some(problem) = missing_model(dir) {
            return Err(problem);
        }
        // float32 by default: int8 misheard espeak-ng test sentences ("led" as "land"); the model is stored as
        // float16, which CPUs here would convert anyway.
        let config = ct2rs::Config {
            compute_type: compute_type()?,
            ..ct2rs::Config::default()
        };
        let failed = |e: &dyn std::fmt::Display| {
            format!(
                "voice input is off: the Whisper model in {} did not load: {e}",
                dir.display()
            )
        };
        Ok(Self {
            model: ct2rs::sys::Whisper::new(dir, config).map_err(|e| failed(&e))?,
            tokenizer: ct2rs::tokenizers::hf::Tokenizer::new(dir).map_err(|e| failed(&e))?,
            filters: features::MelFilters::whisper(),
        })
    }

    /// Greedily decodes `window` after the forced `prefix` tokens; returns the tokens that follow the prefix.
    /// Blocking: CPU for as long as the encoder and decoder run.
    fn decode(
        &self,
        window: features::Window,
        prefix: &[String],
    ) -> Result<Vec<String>, SpeechError> {
        let features::Window {
            mut features,
            width,
        } = window;
        let features = ct2rs::sys::StorageView::new(
            &[1, features::MELS, width],
            &mut features,
            Default::default(),
        )
        .map_err(service)?;
        // The prompt `ct2rs` gives tiny.en; tokens after `<|notimestamps|>` are a prefix the decoder continues.
        let mut prompt: Vec<&str> = vec![
            "<|startoftranscript|>",
            "<|en|>",
            "<|transcribe|>",
            "<|notimestamps|>",
        ];
        prompt.extend(prefix.iter().map(String::as_str));
        // Greedy decoding: beam search costs several times more and gains little on short, clear answers.
        let options = ct2rs::WhisperOptions {
            beam_size: 1,
            ..Default::default()
        };
        let result = self
            .model
            .generate(&features, &[prompt], &options)
            .map_err(service)?;
        let mut tokens = result
            .into_iter()
            .next()
            .and_then(|r| r.sequences.into_iter().next())
            .ok_or_else(|| SpeechError::Service("the recogniser returned nothing".into()))?;
        if tokens.starts_with(prefix) {
            tokens.drain(..prefix.len());
        }
        Ok(tokens)
    }

    /// The words of `tokens`, cleaned of Whisper's non-speech markers.
    fn text(&self, tokens: Vec<String>) -> Result<String, SpeechError> {
        use ct2rs::Tokenizer as _;
        let text = self.tokenizer.decode(tokens).map_err(service)?;
        Ok(clean_transcript(&[text]))
    }

    /// The whole of `samples`, one window of at most 30 seconds after another.
    fn transcribe(&self, samples: &[f32]) -> Result<String, SpeechError> {
        let mut mel = features::LogMel::default();
        mel.push(&self.filters, samples);
        mel.finish(&self.filters);
        let mut pieces = Vec::new();
        for index in 0..mel.windows() {
            let tokens = self.decode(mel.window(index), &[])?;
            pieces.push(self.text(tokens)?);
        }
        Ok(clean_transcript(&pieces))
    }
}

#[cfg(feature = "whisper")]
fn service(e: impl std::fmt::Display) -> SpeechError {
    SpeechError::Service(e.to_string())
}

#[cfg(feature = "whisper")]
impl WhisperSpeech {
    /// Loads the model (about half a second for tiny.en).
    pub fn load(dir: &Path) -> Result<Self, String> {
        let decode = std::env::var("PREPAI_WHISPER_DECODE_WHILE_SPOKEN").is_ok_and(|v| v == "1");
        Self::load_listening(dir, decode)
    }

    /// Loads the model; with `decode_while_spoken`, utterances are decoded in the background as they are spoken
    /// and words two decodes agree on are committed (see [`live`]), else only their features are computed early.
    pub fn load_listening(dir: &Path, decode_while_spoken: bool) -> Result<Self, String> {
        let engine = Arc::new(Engine::load(dir)?);
        Ok(Self {
            live: Arc::new(live::LiveRecognition::new(
                Arc::clone(&engine),
                decode_while_spoken,
            )),
            engine,
        })
    }

    /// Utterances being recognised while spoken, and decodes running for them (for tests of cancellation).
    pub fn live_work(&self) -> (usize, usize) {
        self.live.work()
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
fn samples_of(pcm: Bytes) -> Result<Vec<f32>, SpeechError> {
    if pcm.is_empty() {
        return Err(SpeechError::Rejected("no audio".into()));
    }
    Ok(Pcm16::parse(pcm)
        .map_err(|e| SpeechError::Rejected(e.to_string()))?
        .to_f32())
}

#[cfg(feature = "whisper")]
fn finished(text: String) -> TranscriptStream {
    let hypothesis = SpeechHypothesis {
        text,
        is_final: true,
    };
    futures::stream::once(async move { Ok(hypothesis) }).boxed()
}

#[cfg(feature = "whisper")]
#[async_trait]
impl SpeechToText for WhisperSpeech {
    async fn transcribe(&self, pcm: Bytes) -> Result<TranscriptStream, SpeechError> {
        let samples = samples_of(pcm)?;
        let engine = Arc::clone(&self.engine);
        let text = tokio::task::spawn_blocking(move || engine.transcribe(&samples))
            .await
            .map_err(|e| SpeechError::Service(format!("the recogniser stopped: {e}")))??;
        Ok(finished(text))
    }

    fn hear(&self, utterance: &str, seq: u32, pcm: &Bytes) {
        self.live.hear(utterance, seq, pcm);
    }

    fn listens_while_spoken(&self) -> bool {
        true
    }

    async fn transcribe_utterance(
        &self,
        utterance: &str,
        pcm: Bytes,
    ) -> Result<TranscriptStream, SpeechError> {
        let samples = samples_of(pcm)?;
        let text = self.live.finish(utterance, samples).await?;
        Ok(finished(text))
    }

    fn forget(&self, utterance: &str) {
        self.live.forget(utterance);
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
