//! Text to speech on AWS: Amazon Polly's SynthesizeSpeech, one sentence per call.

use async_trait::async_trait;
use aws_sdk_polly::Client;
use aws_sdk_polly::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_polly::operation::RequestId;
use aws_sdk_polly::operation::synthesize_speech::SynthesizeSpeechError;
use aws_sdk_polly::types::{Engine, OutputFormat, TextType, VoiceId};

use super::error_text::{error_chain, with_request_id};
use super::speech_setting::{InvalidSpeechSetting, one_of};
use crate::ports::{AudioFormat, PCM_SAMPLE_RATE, SpeechClip, SpeechError, TextToSpeech};

/// Polly bills and accepts at most this many characters of plain text per request.
pub const MAX_POLLY_TEXT_CHARS: usize = 3_000;

/// Where the voice id is read from (default Joanna).
pub const POLLY_VOICE_ENV: &str = "PREPAI_POLLY_VOICE";
/// Where the engine is read from (default neural).
pub const POLLY_ENGINE_ENV: &str = "PREPAI_POLLY_ENGINE";
/// Where the audio format is read from (default mp3).
pub const POLLY_FORMAT_ENV: &str = "PREPAI_POLLY_FORMAT";

/// Polly's voice engines. Not every voice has every engine; Polly refuses the pair it lacks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PollyEngine {
    /// The oldest and cheapest voices.
    Standard,
    /// The default: natural enough for a conversation at a modest price.
    #[default]
    Neural,
    /// The most human-sounding, for fewer voices and at a higher price.
    Generative,
    /// Tuned for long passages rather than conversational turns.
    LongForm,
}

impl PollyEngine {
    const NAMES: [&str; 4] = ["standard", "neural", "generative", "long-form"];

    fn to_sdk(self) -> Engine {
        match self {
            Self::Standard => Engine::Standard,
            Self::Neural => Engine::Neural,
            Self::Generative => Engine::Generative,
            Self::LongForm => Engine::LongForm,
        }
    }
}

/// The encodings of Polly's output that the client can play: MP3 files, or raw PCM at the same 16 kHz the
/// browser records.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PollyFormat {
    /// Small clips every browser plays (the default).
    #[default]
    Mp3,
    /// 16 kHz PCM16 LE mono, for a client that plays samples itself.
    Pcm,
}

impl PollyFormat {
    const NAMES: [&str; 2] = ["mp3", "pcm"];

    /// How the clip is labelled for the client.
    pub fn audio_format(self) -> AudioFormat {
        match self {
            Self::Mp3 => AudioFormat::Mp3,
            Self::Pcm => AudioFormat::Pcm,
        }
    }
}

/// How the interviewer sounds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PollyConfig {
    /// The interviewer's voice (default Joanna); it must offer `engine`.
    pub voice: VoiceId,
    /// Which of Polly's engines speaks (default neural).
    pub engine: PollyEngine,
    /// How the clips are encoded (default MP3).
    pub format: PollyFormat,
}

impl Default for PollyConfig {
    /// Joanna, neural, MP3.
    fn default() -> Self {
        Self {
            voice: VoiceId::Joanna,
            engine: PollyEngine::default(),
            format: PollyFormat::default(),
        }
    }
}

impl PollyConfig {
    /// Reads [`POLLY_VOICE_ENV`] (a Polly voice id), [`POLLY_ENGINE_ENV`] (neural, standard, generative or
    /// long-form) and [`POLLY_FORMAT_ENV`] (mp3 or pcm) from any variable source; an unset variable keeps its
    /// default, a value Polly does not know is an error naming the accepted ones.
    pub fn from_lookup(var: impl Fn(&str) -> Option<String>) -> Result<Self, InvalidSpeechSetting> {
        let mut config = Self::default();
        if let Some(value) = var(POLLY_VOICE_ENV) {
            config.voice = VoiceId::from(one_of(POLLY_VOICE_ENV, &value, VoiceId::values())?);
        }
        if let Some(value) = var(POLLY_ENGINE_ENV) {
            config.engine = match one_of(POLLY_ENGINE_ENV, &value, &PollyEngine::NAMES)? {
                "standard" => PollyEngine::Standard,
                "generative" => PollyEngine::Generative,
                "long-form" => PollyEngine::LongForm,
                _ => PollyEngine::Neural,
            };
        }
        if let Some(value) = var(POLLY_FORMAT_ENV) {
            config.format = match one_of(POLLY_FORMAT_ENV, &value, &PollyFormat::NAMES)? {
                "pcm" => PollyFormat::Pcm,
                _ => PollyFormat::Mp3,
            };
        }
        Ok(config)
    }
}

/// The retry and timeout settings of our Polly client, set explicitly: SynthesizeSpeech is safe to repeat (it
/// changes nothing), so throttling — Polly's neural voices allow a few requests a second per account — a 5xx or a
/// dropped connection is retried up to 3 attempts with a short backoff; each attempt has 5 s, the whole call 10 s,
/// after which the reply goes on as text (`voice_output_failed`).
pub fn configure_polly_client(
    builder: aws_sdk_polly::config::Builder,
) -> aws_sdk_polly::config::Builder {
    use aws_sdk_polly::config::retry::RetryConfig;
    use aws_sdk_polly::config::timeout::TimeoutConfig;
    use std::time::Duration;
    builder
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(100))
                .with_max_backoff(Duration::from_secs(1)),
        )
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(2))
                .operation_attempt_timeout(Duration::from_secs(5))
                .operation_timeout(Duration::from_secs(10))
                .build(),
        )
}

/// How many times one sentence's audio is asked for when it keeps breaking off mid-stream.
const AUDIO_READ_ATTEMPTS: u32 = 2;

/// Amazon Polly: each sentence of the interviewer's reply becomes one clip.
#[derive(Clone, Debug)]
pub struct PollySpeech {
    client: Client,
    config: PollyConfig,
}

impl PollySpeech {
    /// Speaks with `client` as `config` describes.
    pub fn new(client: Client, config: PollyConfig) -> Self {
        Self { client, config }
    }
}

#[async_trait]
impl TextToSpeech for PollySpeech {
    async fn synthesize(&self, text: &str) -> Result<SpeechClip, SpeechError> {
        let characters = text.chars().count();
        if characters > MAX_POLLY_TEXT_CHARS {
            return Err(SpeechError::Rejected(format!(
                "a sentence to speak may have at most {MAX_POLLY_TEXT_CHARS} characters; this one has {characters}"
            )));
        }
        if text.trim().is_empty() {
            return Err(SpeechError::Rejected("nothing to speak".into()));
        }
        // The SDK retries until the audio's headers arrive (see `configure_polly_client`); audio that breaks off
        // after that is asked for again here — synthesis changes nothing, so it is safe to repeat.
        let mut attempt = 1;
        let audio = loop {
            let mut request = self
                .client
                .synthesize_speech()
                .text(text)
                .text_type(TextType::Text)
                .voice_id(self.config.voice.clone())
                .engine(self.config.engine.to_sdk());
            request = match self.config.format {
                PollyFormat::Mp3 => request.output_format(OutputFormat::Mp3),
                PollyFormat::Pcm => request
                    .output_format(OutputFormat::Pcm)
                    .sample_rate(PCM_SAMPLE_RATE.to_string()),
            };
            let output = request.send().await.map_err(synthesis_error)?;
            match output.audio_stream.collect().await {
                Ok(audio) => break audio,
                Err(e) if attempt < AUDIO_READ_ATTEMPTS => {
                    tracing::warn!(error = %error_chain(&e), attempt, "SynthesizeSpeech audio broke off; asking again");
                    tokio::time::sleep(std::time::Duration::from_millis(100 * u64::from(attempt)))
                        .await;
                    attempt += 1;
                }
                Err(e) => {
                    return Err(SpeechError::Service(format!(
                        "SynthesizeSpeech audio: {}",
                        error_chain(&e)
                    )));
                }
            }
        };
        Ok(SpeechClip {
            format: self.config.format.audio_format(),
            audio: audio.into_bytes(),
        })
    }
}

/// Text Polly refuses to read is the text's fault; everything else (a voice without the engine, throttling, an
/// outage) is for the logs.
fn synthesis_error(e: SdkError<SynthesizeSpeechError>) -> SpeechError {
    match e.as_service_error() {
        Some(
            refused @ (SynthesizeSpeechError::TextLengthExceededException(_)
            | SynthesizeSpeechError::InvalidSsmlException(_)),
        ) => SpeechError::Rejected(format!(
            "the speech service refused this text: {}",
            refused.message().unwrap_or("invalid text")
        )),
        _ => SpeechError::Service(with_request_id(
            format!("SynthesizeSpeech: {}", error_chain(&e)),
            e.request_id(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn lookup(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let env: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| env.get(name).cloned()
    }

    #[test]
    fn defaults_are_joanna_neural_mp3() {
        assert_eq!(
            PollyConfig::from_lookup(lookup(&[])).unwrap(),
            PollyConfig::default()
        );
        assert_eq!(PollyConfig::default().voice, VoiceId::Joanna);
    }

    #[test]
    fn settings_are_read_whatever_their_case() {
        let config = PollyConfig::from_lookup(lookup(&[
            (POLLY_VOICE_ENV, "matthew"),
            (POLLY_ENGINE_ENV, "Long-Form"),
            (POLLY_FORMAT_ENV, "PCM"),
        ]))
        .unwrap();
        assert_eq!(
            config,
            PollyConfig {
                voice: VoiceId::Matthew,
                engine: PollyEngine::LongForm,
                format: PollyFormat::Pcm,
            }
        );
    }

    #[test]
    fn unknown_settings_name_the_variable_and_the_choices() {
        let error = PollyConfig::from_lookup(lookup(&[(POLLY_ENGINE_ENV, "turbo")])).unwrap_err();
        assert_eq!(
            error.to_string(),
            "PREPAI_POLLY_ENGINE must be one of: standard, neural, generative, long-form; got \"turbo\""
        );
        let error =
            PollyConfig::from_lookup(lookup(&[(POLLY_FORMAT_ENV, "ogg_vorbis")])).unwrap_err();
        assert_eq!(error.variable, POLLY_FORMAT_ENV);
        let error = PollyConfig::from_lookup(lookup(&[(POLLY_VOICE_ENV, "Hal")])).unwrap_err();
        assert!(error.allowed.contains("Joanna"), "{error}");
    }
}
