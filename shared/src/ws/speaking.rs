//! The interviewer's voice on the socket: what voice can do here (the `voice` message), and a reply spoken
//! sentence by sentence while later text is still arriving.

use super::ServerMessage;
use super::handlers::Replies;
use super::outgoing::AudioSequencer;
use crate::context::AppContext;
use crate::ports::TextToSpeech;
use crate::voice::utterances::{MAX_CHUNK_BYTES, MAX_UTTERANCE_SECONDS};

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
