//! Spoken answers: `speech_start`, `audio`, `speech_end` on a connection. Chunks are stored as they arrive (each
//! message may be a different Lambda invocation); `speech_end` ends the utterance — exactly once, by a conditional
//! write on the connection record — reads the chunks back in order, transcribes them, and returns the answer to
//! give the interviewer. Every refusal is an [`AppError`] the socket shows; a failed utterance leaves nothing in
//! the transcript and its chunks are removed.

use std::time::Duration;

use async_trait::async_trait;
use base64::Engine;
use futures::StreamExt;

use crate::domain::{ConnectionId, MessageId, OwnerKey, QuotaKind, Source, UtteranceId};
use crate::ports::{Clock, ObjectStore, SpeechError, SpeechToText};
use crate::store::{
    ConnectionRecord, ConnectionStore, UtteranceEnd, UtteranceStart, UtteranceState,
};
use crate::voice::utterances::{self, MAX_CHUNKS, UtteranceError};
use crate::voice::{Delivery, VoiceSettings, turn_end};

use super::AppError;
use super::interview::CandidateMessage;
use super::quotas::Quotas;

/// How long `speech_end` waits for chunks another invocation is still storing.
const CHUNK_PATIENCE: Duration = Duration::from_secs(2);

/// How long an `audio` message waits for the `speech_start` sent just before it. API Gateway runs `$default` once
/// per message, concurrently, so the first chunks can be handled before the start has been recorded.
const START_PATIENCE: Duration = Duration::from_millis(750);

/// What the voice use cases need.
pub struct Voice<'a> {
    pub connections: &'a ConnectionStore,
    pub recordings: &'a dyn ObjectStore,
    pub stt: Option<&'a dyn SpeechToText>,
    pub settings: VoiceSettings,
    /// Why voice input is off, in words for the candidate; `None` when it works.
    pub unavailable: Option<String>,
    /// Seconds of speech a caller may have transcribed per day.
    pub quotas: Quotas<'a>,
    pub clock: &'a dyn Clock,
}

/// Where partial transcripts go while an answer is recognised.
#[async_trait]
pub trait TranscriptObserver: Send + Sync {
    async fn partial(&self, text: &str);
}

fn refused(code: &'static str, message: impl Into<String>) -> AppError {
    AppError::invalid(code, message)
}

impl Voice<'_> {
    fn ensure_available(&self) -> Result<(), AppError> {
        match &self.unavailable {
            Some(message) => Err(refused("voice_unavailable", message.clone())),
            None => Ok(()),
        }
    }

    /// `speech_start`: opens an utterance — refused at once when the caller has no voice minutes left today.
    pub async fn start(
        &self,
        connection: &ConnectionId,
        record: &ConnectionRecord,
        client_seq: Option<u32>,
    ) -> Result<(), AppError> {
        self.ensure_available()?;
        self.quotas
            .ensure_left(&OwnerKey::of(&record.sub), QuotaKind::VoiceSeconds)
            .await?;
        let now = self.clock.now();
        let id = UtteranceId::new();
        let (started, session) = self
            .connections
            .update(connection, |record| {
                (
                    record.start_utterance(id.clone(), client_seq, now),
                    record.session_id,
                )
            })
            .await?;
        if let UtteranceStart::Opened { abandoned } = started {
            for old in abandoned {
                if let Some(stt) = self.stt {
                    stt.forget(old.as_str());
                }
                utterances::discard(self.recordings, &session, &old).await?;
            }
        }
        Ok(())
    }

    /// `audio`: stores one chunk of the utterance it belongs to.
    pub async fn audio(
        &self,
        connection: &ConnectionId,
        record: &ConnectionRecord,
        client_seq: Option<u32>,
        seq: u32,
        data: &str,
    ) -> Result<(), AppError> {
        // A chunk of an ended utterance is still stored: its speech_end may be waiting for it.
        let (utterance, open) = match record.utterance(client_seq) {
            Some(u) => (u.id.clone(), matches!(u.state, UtteranceState::Open)),
            None => (
                self.started_meanwhile(connection, client_seq)
                    .await?
                    .ok_or_else(|| {
                        refused(
                            "no_utterance",
                            "audio arrived outside an utterance: send speech_start first",
                        )
                    })?,
                true,
            ),
        };
        if seq >= MAX_CHUNKS {
            return Err(refused(
                "utterance_too_long",
                UtteranceError::TooLong.to_string(),
            ));
        }
        let pcm = match base64::engine::general_purpose::STANDARD.decode(data) {
            Ok(pcm) if !pcm.is_empty() && pcm.len().is_multiple_of(2) => pcm,
            Ok(_) => {
                return Err(refused(
                    "invalid_audio",
                    "audio must be 16 kHz mono 16-bit PCM: a non-empty, even number of bytes",
                ));
            }
            Err(_) => return Err(refused("invalid_audio", "audio data must be base64")),
        };
        let pcm = bytes::Bytes::from(pcm);
        utterances::store_chunk(
            self.recordings,
            &record.session_id,
            &utterance,
            seq,
            pcm.clone(),
        )
        .await?;
        // Only once stored: what the recogniser heard is then always part of what `speech_end` reads back. A late
        // chunk of an ended utterance is not heard: its `speech_end` reads it back from storage.
        if let Some(stt) = self.stt.filter(|_| open && self.unavailable.is_none()) {
            stt.hear(utterance.as_str(), seq, &pcm);
        }
        Ok(())
    }

    /// The utterance a concurrent `speech_start` opened, if one appears within [`START_PATIENCE`].
    async fn started_meanwhile(
        &self,
        connection: &ConnectionId,
        client_seq: Option<u32>,
    ) -> Result<Option<UtteranceId>, AppError> {
        let deadline = tokio::time::Instant::now() + START_PATIENCE;
        while tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(50)).await;
            let record = self.connections.load(connection).await?;
            if let Some(u) = record.as_ref().and_then(|r| r.utterance(client_seq)) {
                return Ok(Some(u.id.clone()));
            }
        }
        Ok(None)
    }

    /// `speech_end`: ends the utterance (once), transcribes it with partials going to `observer`, and returns the
    /// answer (marked when a `silence` ended it: see [`turn_end`](crate::voice::turn_end)). `Ok(None)` when
    /// another `speech_end` already took this utterance (a repeat; nothing to do).
    pub async fn finish(
        &self,
        connection: &ConnectionId,
        client_seq: Option<u32>,
        chunks: Option<u32>,
        silence: bool,
        observer: &dyn TranscriptObserver,
    ) -> Result<Option<CandidateMessage>, AppError> {
        // Like a chunk, a `speech_end` can be handled before its `speech_start` has been recorded.
        let deadline = tokio::time::Instant::now() + START_PATIENCE;
        let (ended, session, owner) = loop {
            let ((ended, session), owner) = self
                .connections
                .update(connection, |record| {
                    (
                        (record.end_utterance(client_seq), record.session_id),
                        OwnerKey::of(&record.sub),
                    )
                })
                .await?;
            if ended != UtteranceEnd::Unknown || tokio::time::Instant::now() >= deadline {
                break (ended, session, owner);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        let utterance = match ended {
            UtteranceEnd::Ended(id) => id,
            UtteranceEnd::AlreadyEnded => return Ok(None),
            UtteranceEnd::Unknown => {
                return Err(refused(
                    "no_utterance",
                    "speech_end without speech_start: nothing was being recorded",
                ));
            }
        };
        let outcome = self
            .transcribe(&session, &owner, &utterance, chunks, observer)
            .await;
        if let Some(stt) = self.stt {
            stt.forget(utterance.as_str());
        }
        let keep = outcome.is_ok() && self.settings.keep_recordings;
        if !keep {
            utterances::discard(self.recordings, &session, &utterance).await?;
        }
        outcome.map(|mut message| {
            if silence {
                message
                    .extra
                    .insert(turn_end::ENDED_BY.to_owned(), turn_end::BY_SILENCE.into());
            }
            Some(message)
        })
    }

    async fn transcribe(
        &self,
        session: &crate::domain::SessionId,
        owner: &OwnerKey,
        utterance: &UtteranceId,
        chunks: Option<u32>,
        observer: &dyn TranscriptObserver,
    ) -> Result<CandidateMessage, AppError> {
        self.ensure_available()?;
        let Some(stt) = self.stt else {
            return Err(refused(
                "voice_unavailable",
                "voice input is not available on this server; type your answers",
            ));
        };
        let patience = if chunks.is_some() {
            CHUNK_PATIENCE
        } else {
            Duration::ZERO
        };
        let pcm = utterances::assemble(self.recordings, session, utterance, chunks, patience)
            .await
            .map_err(|e| match e {
                UtteranceError::Store(e) => AppError::from(e),
                UtteranceError::Gap { .. } => refused("audio_gap", e.to_string()),
                UtteranceError::TooLong => refused("utterance_too_long", e.to_string()),
                UtteranceError::Empty => refused("no_speech", e.to_string()),
            })?;
        if pcm.voiced_seconds().is_none() {
            return Err(refused(
                "no_speech",
                "we did not hear anything; check the microphone and speak again",
            ));
        }
        // What the recogniser is paid for: the whole utterance, in started seconds.
        let seconds = u32::try_from(pcm.seconds().ceil() as u64).unwrap_or(u32::MAX);
        self.quotas
            .spend(owner, QuotaKind::VoiceSeconds, seconds)
            .await?;
        let mut stream = stt
            .transcribe_utterance(utterance.as_str(), pcm.bytes().clone())
            .await
            .map_err(speech_failed)?;
        let mut final_text = None;
        while let Some(event) = stream.next().await {
            let hypothesis = event.map_err(speech_failed)?;
            if hypothesis.is_final {
                final_text = Some(hypothesis.text);
                break;
            }
            observer.partial(&hypothesis.text).await;
        }
        let text = final_text.unwrap_or_default();
        if text.trim().is_empty() {
            return Err(refused(
                "no_speech",
                "we could not make out any words; please say that again, closer to the microphone",
            ));
        }
        let delivery = Delivery::measure(&text, &pcm);
        Ok(CandidateMessage {
            extra: delivery.entry_fields(utterance.as_str()),
            text,
            source: Source::Voice,
            // The same utterance ended twice (a `speech_end` sent again after an error) is one answer.
            id: MessageId::parse(utterance.as_str()).ok(),
            after_error: true,
        })
    }
}

fn speech_failed(e: SpeechError) -> AppError {
    match e {
        SpeechError::Rejected(why) => {
            refused("invalid_audio", format!("the audio was refused: {why}"))
        }
        other => {
            tracing::warn!(error = %other, "transcription failed");
            refused(
                "transcription_failed",
                "we could not transcribe that answer; please say it again or type it",
            )
        }
    }
}
