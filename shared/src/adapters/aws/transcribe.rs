//! Speech to text on AWS: Amazon Transcribe streaming, one finished utterance per call.

use async_trait::async_trait;
use aws_sdk_transcribestreaming::Client;
use aws_sdk_transcribestreaming::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_transcribestreaming::operation::RequestId;
use aws_sdk_transcribestreaming::operation::start_stream_transcription::StartStreamTranscriptionError;
use aws_sdk_transcribestreaming::primitives::Blob;
use aws_sdk_transcribestreaming::primitives::event_stream::EventReceiver;
use aws_sdk_transcribestreaming::types::error::{AudioStreamError, TranscriptResultStreamError};
use aws_sdk_transcribestreaming::types::{
    AudioEvent, AudioStream, LanguageCode, MediaEncoding, TranscriptResultStream,
};
use bytes::Bytes;
use futures::stream;

use super::error_text::{error_chain, with_request_id};
use super::speech_setting::{InvalidSpeechSetting, one_of};
use crate::ports::{
    PCM_SAMPLE_RATE, SpeechError, SpeechHypothesis, SpeechToText, TranscriptStream,
};

/// Bytes of PCM per audio event: 4,096 samples, 256 ms at 16 kHz. Few enough events that signing each one costs
/// little, small enough that the service starts recognising while the rest of the utterance is still on the wire.
const AUDIO_CHUNK_BYTES: usize = 8 * 1024;

/// Where the language is read from.
pub const TRANSCRIBE_LANGUAGE_ENV: &str = "PREPAI_TRANSCRIBE_LANGUAGE";

/// How Transcribe is asked to listen; the language is checked against the SDK's list when read, so a typo fails
/// at start-up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TranscribeConfig {
    /// The candidate's spoken language (default en-US).
    pub language: LanguageCode,
}

impl Default for TranscribeConfig {
    fn default() -> Self {
        Self {
            language: LanguageCode::EnUs,
        }
    }
}

impl TranscribeConfig {
    /// Reads [`TRANSCRIBE_LANGUAGE_ENV`] (a Transcribe language code such as `en-US`, `en-GB`, `de-DE`) from any
    /// variable source; unset means en-US.
    pub fn from_lookup(var: impl Fn(&str) -> Option<String>) -> Result<Self, InvalidSpeechSetting> {
        let Some(value) = var(TRANSCRIBE_LANGUAGE_ENV) else {
            return Ok(Self::default());
        };
        let code = one_of(TRANSCRIBE_LANGUAGE_ENV, &value, LanguageCode::values())?;
        Ok(Self {
            language: LanguageCode::from(code),
        })
    }
}

/// Amazon Transcribe's streaming API. The utterance is complete before the call, so its audio is sent as fast
/// as the stream takes it while the results come back on the same request.
#[derive(Clone, Debug)]
pub struct TranscribeSpeech {
    client: Client,
    language: LanguageCode,
}

impl TranscribeSpeech {
    /// Transcribes with `client` in `language` (for example `LanguageCode::EnUs`, or `"en-US".into()`).
    pub fn new(client: Client, language: LanguageCode) -> Self {
        Self { client, language }
    }

    /// [`TranscribeSpeech::new`] with the language from `config`.
    pub fn from_config(client: Client, config: &TranscribeConfig) -> Self {
        Self::new(client, config.language.clone())
    }
}

#[async_trait]
impl SpeechToText for TranscribeSpeech {
    async fn transcribe(&self, pcm: Bytes) -> Result<TranscriptStream, SpeechError> {
        if pcm.is_empty() {
            return Err(SpeechError::Rejected("no audio".into()));
        }
        let events: Vec<Result<AudioStream, AudioStreamError>> = audio_chunks(&pcm)
            .map(|chunk| {
                Ok(AudioStream::AudioEvent(
                    AudioEvent::builder()
                        .audio_chunk(Blob::new(chunk.to_vec()))
                        .build(),
                ))
            })
            .collect();
        let output = self
            .client
            .start_stream_transcription()
            .language_code(self.language.clone())
            .media_encoding(MediaEncoding::Pcm)
            .media_sample_rate_hertz(PCM_SAMPLE_RATE as i32)
            .audio_stream(stream::iter(events).into())
            .send()
            .await
            .map_err(start_error)?;
        Ok(hypotheses(output.transcript_result_stream))
    }
}

/// The utterance cut into audio events, in order.
fn audio_chunks(pcm: &Bytes) -> impl Iterator<Item = Bytes> + '_ {
    (0..pcm.len())
        .step_by(AUDIO_CHUNK_BYTES)
        .map(|start| pcm.slice(start..pcm.len().min(start + AUDIO_CHUNK_BYTES)))
}

/// Turns the service's result events into the port's hypotheses: one per change of the text so far, then one
/// final hypothesis when the service ends the stream, or an error that ends it.
fn hypotheses(
    receiver: EventReceiver<TranscriptResultStream, TranscriptResultStreamError>,
) -> TranscriptStream {
    let events = stream::unfold(Some((receiver, Utterance::default())), |state| async move {
        let (mut receiver, mut utterance) = state?;
        loop {
            match receiver.recv().await {
                Ok(Some(TranscriptResultStream::TranscriptEvent(event))) => {
                    let results = event.transcript().map(|t| t.results()).unwrap_or_default();
                    let changed = utterance.apply(results.iter().map(|result| {
                        Segment {
                            result_id: result.result_id(),
                            text: result
                                .alternatives()
                                .first()
                                .and_then(|best| best.transcript())
                                .unwrap_or_default(),
                            is_partial: result.is_partial(),
                        }
                    }));
                    if let Some(text) = changed {
                        let hypothesis = SpeechHypothesis {
                            text,
                            is_final: false,
                        };
                        return Some((Ok(hypothesis), Some((receiver, utterance))));
                    }
                }
                // Event kinds newer than this SDK carry nothing we use.
                Ok(Some(_)) => continue,
                Ok(None) => {
                    let hypothesis = SpeechHypothesis {
                        text: utterance.finished_text(),
                        is_final: true,
                    };
                    return Some((Ok(hypothesis), None));
                }
                Err(e) => return Some((Err(stream_error(&e)), None)),
            }
        }
    });
    Box::pin(events)
}

/// One result of a transcript event, as far as the hypothesis cares.
#[derive(Clone, Copy, Debug)]
struct Segment<'a> {
    result_id: Option<&'a str>,
    text: &'a str,
    is_partial: bool,
}

/// What the service has recognised so far: the finished segments in order, and the segment it is still
/// revising. Transcribe sends a result again under the same id each time it revises it, until the one with
/// `IsPartial: false`.
#[derive(Debug, Default)]
struct Utterance {
    finished: Vec<(Option<String>, String)>,
    partial: Option<(Option<String>, String)>,
    last_text: String,
}

impl Utterance {
    /// Applies one event's results; returns the text so far when it changed.
    fn apply<'a>(&mut self, segments: impl IntoIterator<Item = Segment<'a>>) -> Option<String> {
        for segment in segments {
            let id = segment.result_id.map(str::to_owned);
            let text = segment.text.trim().to_owned();
            if segment.is_partial {
                self.partial = Some((id, text));
                continue;
            }
            if self
                .partial
                .as_ref()
                .is_some_and(|(partial_id, _)| *partial_id == id)
            {
                self.partial = None;
            }
            // A result finished twice (a repeated event) replaces, never duplicates.
            match self
                .finished
                .iter_mut()
                .find(|(finished_id, _)| id.is_some() && *finished_id == id)
            {
                Some(existing) => existing.1 = text,
                None => self.finished.push((id, text)),
            }
        }
        let text = self.text_so_far();
        if text == self.last_text {
            return None;
        }
        self.last_text.clone_from(&text);
        Some(text)
    }

    /// The finished segments followed by the one under revision.
    fn text_so_far(&self) -> String {
        join(
            self.finished
                .iter()
                .map(|(_, text)| text.as_str())
                .chain(self.partial.iter().map(|(_, text)| text.as_str())),
        )
    }

    /// The utterance's transcript: only what the service finished.
    fn finished_text(&self) -> String {
        join(self.finished.iter().map(|(_, text)| text.as_str()))
    }
}

fn join<'a>(parts: impl Iterator<Item = &'a str>) -> String {
    parts
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A refused request is the audio's fault (the candidate can try again); anything else is the service's.
fn start_error(e: SdkError<StartStreamTranscriptionError>) -> SpeechError {
    match e.as_service_error() {
        Some(StartStreamTranscriptionError::BadRequestException(refused)) => refused_audio(refused),
        _ => SpeechError::Service(with_request_id(
            format!("StartStreamTranscription: {}", error_chain(&e)),
            e.request_id(),
        )),
    }
}

fn stream_error<R: std::fmt::Debug + 'static>(
    e: &SdkError<TranscriptResultStreamError, R>,
) -> SpeechError {
    match e.as_service_error() {
        Some(TranscriptResultStreamError::BadRequestException(refused)) => refused_audio(refused),
        _ => SpeechError::Service(format!("transcript stream: {}", error_chain(e))),
    }
}

fn refused_audio(error: &impl ProvideErrorMetadata) -> SpeechError {
    SpeechError::Rejected(format!(
        "the speech service could not use this audio: {}",
        error.message().unwrap_or("bad request")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn partial<'a>(id: &'a str, text: &'a str) -> Segment<'a> {
        Segment {
            result_id: Some(id),
            text,
            is_partial: true,
        }
    }

    fn finished<'a>(id: &'a str, text: &'a str) -> Segment<'a> {
        Segment {
            result_id: Some(id),
            text,
            is_partial: false,
        }
    }

    #[test]
    fn partials_grow_and_finished_segments_are_joined() {
        let mut u = Utterance::default();
        assert_eq!(
            u.apply([partial("a", "I would")]).as_deref(),
            Some("I would")
        );
        assert_eq!(
            u.apply([partial("a", "I would use")]).as_deref(),
            Some("I would use")
        );
        assert_eq!(
            u.apply([finished("a", "I would use S3.")]).as_deref(),
            Some("I would use S3.")
        );
        assert_eq!(
            u.apply([partial("b", "With")]).as_deref(),
            Some("I would use S3. With")
        );
        assert_eq!(
            u.apply([finished("b", "With versioning.")]).as_deref(),
            Some("I would use S3. With versioning.")
        );
        assert_eq!(u.finished_text(), "I would use S3. With versioning.");
    }

    #[test]
    fn an_unchanged_text_is_not_repeated() {
        let mut u = Utterance::default();
        assert!(u.apply([partial("a", "Hello")]).is_some());
        assert_eq!(u.apply([partial("a", "Hello")]), None);
        assert_eq!(u.apply([partial("a", "")]).as_deref(), Some(""));
        assert_eq!(u.apply([]), None);
    }

    #[test]
    fn a_finished_and_a_new_partial_in_one_event() {
        let mut u = Utterance::default();
        u.apply([partial("a", "one")]);
        assert_eq!(
            u.apply([finished("a", "One."), partial("b", "two")])
                .as_deref(),
            Some("One. two")
        );
        assert_eq!(u.finished_text(), "One.");
    }

    #[test]
    fn a_result_finished_twice_is_counted_once() {
        let mut u = Utterance::default();
        u.apply([finished("a", "One.")]);
        assert_eq!(u.apply([finished("a", "One.")]), None);
        assert_eq!(u.finished_text(), "One.");
    }

    #[test]
    fn the_final_text_leaves_out_an_unfinished_partial() {
        let mut u = Utterance::default();
        u.apply([finished("a", "Done."), partial("b", "and th")]);
        assert_eq!(u.finished_text(), "Done.");
    }

    #[test]
    fn audio_is_cut_into_whole_chunks_in_order() {
        let pcm = Bytes::from((0..20_000u32).map(|i| i as u8).collect::<Vec<_>>());
        let chunks: Vec<Bytes> = audio_chunks(&pcm).collect();
        assert_eq!(
            chunks.iter().map(Bytes::len).collect::<Vec<_>>(),
            vec![8192, 8192, 3616]
        );
        assert_eq!(chunks.concat(), pcm.to_vec());
    }

    #[test]
    fn the_language_comes_from_the_environment() {
        let config = TranscribeConfig::from_lookup(|name| {
            (name == TRANSCRIBE_LANGUAGE_ENV).then(|| "en-gb".to_owned())
        })
        .unwrap();
        assert_eq!(config.language, LanguageCode::EnGb);
        assert_eq!(
            TranscribeConfig::from_lookup(|_| None).unwrap().language,
            LanguageCode::EnUs
        );
        let error = TranscribeConfig::from_lookup(|_| Some("klingon".into())).unwrap_err();
        assert!(error.to_string().contains("en-US"), "{error}");
    }
}
