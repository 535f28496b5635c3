//! Speech: Amazon Transcribe streaming and Polly on AWS; Whisper (CTranslate2) and espeak-ng in the local server.
//! The WebSocket handler only sees these two traits.

use async_trait::async_trait;
use bytes::Bytes;
use futures::stream::BoxStream;

/// The only audio the candidate's browser sends and Transcribe takes: 16 kHz, mono, signed 16-bit little-endian,
/// no header.
pub const PCM_SAMPLE_RATE: u32 = 16_000;

/// One hypothesis of what the candidate said in the utterance so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpeechHypothesis {
    /// The whole utterance's text so far (earlier finished segments plus the current partial one).
    pub text: String,
    /// True on the last event of the stream: the utterance's transcript.
    pub is_final: bool,
}

/// Hypotheses in order, the last one final.
pub type TranscriptStream = BoxStream<'static, Result<SpeechHypothesis, SpeechError>>;

/// Why speech could not be recognised or synthesised.
#[derive(Debug, thiserror::Error)]
pub enum SpeechError {
    /// No speech service on this server (the local model is absent, or voice is switched off).
    #[error("speech unavailable: {0}")]
    Unavailable(String),
    /// The audio or text itself was refused (too long, not audio); the message is for the candidate.
    #[error("{0}")]
    Rejected(String),
    /// The service failed; the message is for logs.
    #[error("speech service failed: {0}")]
    Service(String),
}

/// Speech to text for one finished utterance.
#[async_trait]
pub trait SpeechToText: Send + Sync {
    /// Transcribes `pcm` ([`PCM_SAMPLE_RATE`] mono PCM16 LE). Partial hypotheses arrive while the service works;
    /// the stream ends with exactly one final hypothesis, or an error.
    async fn transcribe(&self, pcm: Bytes) -> Result<TranscriptStream, SpeechError>;

    /// One chunk (`seq` from 0) of an utterance the candidate is still speaking, so a recogniser in this process
    /// can work while they speak and leave only the tail for `speech_end`. Must return at once. The default
    /// ignores it: Transcribe gets the whole utterance at the end, from storage, in whichever invocation ends it.
    fn hear(&self, _utterance: &str, _seq: u32, _pcm: &Bytes) {}

    /// Whether [`SpeechToText::hear`] starts work that [`SpeechToText::forget`] must stop; when false, callers
    /// skip the look-ups that find what to forget.
    fn listens_while_spoken(&self) -> bool {
        false
    }

    /// Transcribes a finished utterance whose chunks went to [`SpeechToText::hear`]; `pcm` is the whole of it as
    /// stored, and the transcript is the recogniser's for `pcm` whatever it heard. The default is
    /// [`SpeechToText::transcribe`].
    async fn transcribe_utterance(
        &self,
        _utterance: &str,
        pcm: Bytes,
    ) -> Result<TranscriptStream, SpeechError> {
        self.transcribe(pcm).await
    }

    /// The utterance will not be transcribed (abandoned, refused, or its connection went): drop any work on it.
    fn forget(&self, _utterance: &str) {}
}

/// How synthesised audio is encoded; the client plays each clip as one file of this type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AudioFormat {
    /// MPEG audio (Polly's default).
    Mp3,
    /// A RIFF WAVE file with PCM16 samples (espeak-ng's output).
    Wav,
    /// Raw PCM16 LE mono at 16 kHz, no header (Polly's `pcm`).
    Pcm,
}

/// One synthesised sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpeechClip {
    pub format: AudioFormat,
    pub audio: Bytes,
}

/// Text to speech, one sentence at a time, so the first sentence can play while the rest is being written.
#[async_trait]
pub trait TextToSpeech: Send + Sync {
    async fn synthesize(&self, text: &str) -> Result<SpeechClip, SpeechError>;
}
