//! The voice messages: `speech_start`, `audio`, `speech_end` in; partial transcripts and spoken replies out.
//! Every refusal is an `error` message on a live connection, and a failed utterance leaves nothing in the
//! transcript.

use std::time::Duration;

use base64::Engine;
use futures::StreamExt;

use super::connections::{self, ConnectionRecord, OpenUtterance};
use super::handlers::{Answer, Replies};
use super::protocol::ServerMessage;
use crate::context::AppContext;
use crate::domain::{Role, Source};
use crate::ports::{SpeechError, TextToSpeech};
use crate::store::SessionStoreError;
use crate::voice::outgoing::AudioSequencer;
use crate::voice::utterances::{
    self, MAX_CHUNK_BYTES, MAX_CHUNKS, MAX_UTTERANCE_SECONDS, UtteranceError,
};
use crate::voice::{Delivery, UtteranceId};

/// How long `speech_end` waits for chunks another invocation is still storing.
const CHUNK_PATIENCE: Duration = Duration::from_secs(2);

/// The `voice` message: what this server can do and how the browser should take turns.
pub(super) fn status(ctx: &AppContext) -> ServerMessage {
    let speech = &ctx.speech;
    let available = speech.stt.is_some();
    ServerMessage::Voice {
        available,
        message: speech.unavailable_message(),
        input: available,
        output: speech.tts.is_some(),
        silence_ms: speech.settings.silence_ms,
        max_utterance_seconds: MAX_UTTERANCE_SECONDS as u32,
        chunk_bytes: MAX_CHUNK_BYTES,
    }
}

/// `speech_start`: opens an utterance on this connection (a second start abandons the first).
pub(super) async fn start(
    ctx: &AppContext,
    replies: &Replies<'_>,
    mut record: ConnectionRecord,
) -> Result<(), SessionStoreError> {
    if let Some(message) = ctx.speech.unavailable_message() {
        replies.error("voice_unavailable", message).await;
        return Ok(());
    }
    let objects = ctx.sessions.objects();
    // An utterance that never ended is abandoned; an ended one was already kept or discarded by its speech_end.
    if let Some(abandoned) = record.utterance.take().filter(|u| u.ended_at.is_none()) {
        utterances::discard(objects.as_ref(), &record.session_id, &abandoned.id).await?;
    }
    record.utterance = Some(OpenUtterance {
        id: UtteranceId::new(),
        started_at: ctx.clock.now(),
        ended_at: None,
    });
    connections::save(objects.as_ref(), &replies.connection, &record).await?;
    Ok(())
}

/// `audio`: stores one chunk of the open utterance.
pub(super) async fn audio(
    ctx: &AppContext,
    replies: &Replies<'_>,
    record: &ConnectionRecord,
    seq: u32,
    data: &str,
) -> Result<(), SessionStoreError> {
    // A chunk of an ended utterance is still stored: its speech_end may be waiting for it.
    let open = match &record.utterance {
        Some(open) => open.clone(),
        None => match started_meanwhile(ctx, replies).await? {
            Some(open) => open,
            None => {
                replies
                    .error(
                        "no_utterance",
                        "audio arrived outside an utterance: send speech_start first",
                    )
                    .await;
                return Ok(());
            }
        },
    };
    if seq >= MAX_CHUNKS {
        replies
            .error("utterance_too_long", UtteranceError::TooLong.to_string())
            .await;
        return Ok(());
    }
    let pcm = match base64::engine::general_purpose::STANDARD.decode(data) {
        Ok(pcm) if !pcm.is_empty() && pcm.len().is_multiple_of(2) => pcm,
        Ok(_) => {
            replies
                .error(
                    "invalid_audio",
                    "audio must be 16 kHz mono 16-bit PCM: a non-empty, even number of bytes",
                )
                .await;
            return Ok(());
        }
        Err(_) => {
            replies
                .error("invalid_audio", "audio data must be base64")
                .await;
            return Ok(());
        }
    };
    utterances::store_chunk(
        ctx.sessions.objects().as_ref(),
        &record.session_id,
        &open.id,
        seq,
        pcm.into(),
    )
    .await?;
    Ok(())
}

/// How long an `audio` message waits for the `speech_start` sent just before it. API Gateway runs `$default` once
/// per message, concurrently, so the first chunks can be handled before the start has been recorded.
const START_PATIENCE: Duration = Duration::from_millis(750);

/// The utterance a concurrent `speech_start` opened, if one appears within [`START_PATIENCE`].
async fn started_meanwhile(
    ctx: &AppContext,
    replies: &Replies<'_>,
) -> Result<Option<OpenUtterance>, SessionStoreError> {
    let deadline = tokio::time::Instant::now() + START_PATIENCE;
    while tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let record =
            connections::load(ctx.sessions.objects().as_ref(), &replies.connection).await?;
        if let Some(open) = record.and_then(|r| r.utterance) {
            return Ok(Some(open));
        }
    }
    Ok(None)
}

/// `speech_end`: closes the utterance, transcribes it (partials pushed as they come) and returns the answer to
/// give the interviewer, or `None` after telling the client why there is none.
pub(super) async fn finish(
    ctx: &AppContext,
    replies: &Replies<'_>,
    mut record: ConnectionRecord,
    chunks: Option<u32>,
) -> Result<Option<Answer>, SessionStoreError> {
    let objects = ctx.sessions.objects();
    let Some(open) = record.utterance.as_mut().filter(|u| u.ended_at.is_none()) else {
        replies
            .error(
                "no_utterance",
                "speech_end without speech_start: nothing was being recorded",
            )
            .await;
        return Ok(None);
    };
    open.ended_at = Some(ctx.clock.now());
    let open = open.clone();
    // Ended first, so a repeated speech_end cannot transcribe the same audio twice.
    connections::save(objects.as_ref(), &replies.connection, &record).await?;
    let session = &record.session_id;
    let outcome = transcribe(ctx, replies, &record, &open.id, chunks).await;
    let keep = matches!(outcome, Ok(Some(_))) && ctx.speech.settings.keep_recordings;
    if !keep {
        utterances::discard(objects.as_ref(), session, &open.id).await?;
    }
    outcome
}

async fn transcribe(
    ctx: &AppContext,
    replies: &Replies<'_>,
    record: &ConnectionRecord,
    utterance: &UtteranceId,
    chunks: Option<u32>,
) -> Result<Option<Answer>, SessionStoreError> {
    let Some(stt) = ctx.speech.stt.as_deref() else {
        let message = ctx.speech.unavailable_message().unwrap_or_default();
        replies.error("voice_unavailable", message).await;
        return Ok(None);
    };
    let patience = if chunks.is_some() {
        CHUNK_PATIENCE
    } else {
        Duration::ZERO
    };
    let pcm = match utterances::assemble(
        ctx.sessions.objects().as_ref(),
        &record.session_id,
        utterance,
        chunks,
        patience,
    )
    .await
    {
        Ok(pcm) => pcm,
        Err(UtteranceError::Store(e)) => return Err(e.into()),
        Err(e) => {
            let code = match e {
                UtteranceError::Gap { .. } => "audio_gap",
                UtteranceError::TooLong => "utterance_too_long",
                _ => "no_speech",
            };
            replies.error(code, e.to_string()).await;
            return Ok(None);
        }
    };
    if pcm.voiced_seconds().is_none() {
        replies
            .error(
                "no_speech",
                "we did not hear anything; check the microphone and speak again",
            )
            .await;
        return Ok(None);
    }
    let mut stream = match stt.transcribe(pcm.bytes().clone()).await {
        Ok(stream) => stream,
        Err(e) => {
            speech_failed(replies, e).await;
            return Ok(None);
        }
    };
    let mut final_text = None;
    while let Some(event) = stream.next().await {
        match event {
            Ok(hypothesis) if hypothesis.is_final => {
                final_text = Some(hypothesis.text);
                break;
            }
            Ok(hypothesis) => {
                replies
                    .send(ServerMessage::Transcript {
                        text: hypothesis.text,
                        role: Role::User,
                        is_final: false,
                    })
                    .await;
            }
            Err(e) => {
                speech_failed(replies, e).await;
                return Ok(None);
            }
        }
    }
    let text = final_text.unwrap_or_default();
    if text.trim().is_empty() {
        replies
            .error(
                "no_speech",
                "we could not make out any words; please say that again, closer to the microphone",
            )
            .await;
        return Ok(None);
    }
    let delivery = Delivery::measure(&text, &pcm);
    Ok(Some(Answer {
        text,
        source: Source::Voice,
        extra: delivery.entry_fields(utterance.as_str()),
    }))
}

async fn speech_failed(replies: &Replies<'_>, e: SpeechError) {
    match e {
        SpeechError::Rejected(why) => {
            replies
                .error("invalid_audio", format!("the audio was refused: {why}"))
                .await;
        }
        other => {
            tracing::warn!(error = %other, "transcription failed");
            replies
                .error(
                    "transcription_failed",
                    "we could not transcribe that answer; please say it again or type it",
                )
                .await;
        }
    }
}

/// Speaks sentences as they arrive, in order. A synthesis failure is reported once and the rest of the reply is
/// left as text.
pub(super) async fn speak(
    tts: &dyn TextToSpeech,
    replies: &Replies<'_>,
    mut sentences: tokio::sync::mpsc::UnboundedReceiver<String>,
) {
    let mut sequencer = AudioSequencer::new();
    while let Some(sentence) = sentences.recv().await {
        match tts.synthesize(&sentence).await {
            Ok(clip) => {
                for message in sequencer.messages(&clip) {
                    replies.send(message).await;
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "speech synthesis failed");
                replies
                    .error(
                        "voice_output_failed",
                        "the interviewer's voice is unavailable for this reply; it is shown as text",
                    )
                    .await;
                while sentences.recv().await.is_some() {}
                break;
            }
        }
    }
    if sequencer.clips() > 0 {
        replies
            .send(ServerMessage::AudioEnd {
                clips: sequencer.clips(),
            })
            .await;
    }
}
