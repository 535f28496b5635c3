//! The local server's speech services: the same adapters `prepai-local` and the tests run.

use std::sync::Arc;

use prepai::adapters::local::EspeakSpeech;
use prepai::context::SpeechServices;

/// Whisper for speech input and espeak-ng for spoken replies, each when installed; the notes say what is on.
pub async fn local_speech(settings: prepai::voice::VoiceSettings) -> (SpeechServices, Vec<String>) {
    let mut speech = SpeechServices {
        settings,
        ..SpeechServices::default()
    };
    let mut notes = Vec::new();
    let model = crate::whisper::default_model_dir();
    #[cfg(feature = "whisper")]
    match crate::whisper::WhisperSpeech::load(&model) {
        Ok(whisper) => {
            speech.stt = Some(Arc::new(whisper));
            notes.push(format!(
                "voice input: Whisper tiny.en from {}",
                model.display()
            ));
        }
        Err(problem) => {
            notes.push(problem.clone());
            speech.unavailable_reason = Some(
                "voice input is off on this server (no speech model installed); type your answers"
                    .into(),
            );
        }
    }
    #[cfg(not(feature = "whisper"))]
    {
        let _ = model;
        notes.push("voice input is off: built without the `whisper` feature".into());
        speech.unavailable_reason =
            Some("voice input is off on this server; type your answers".into());
    }
    match EspeakSpeech::detect().await {
        Ok(espeak) => {
            speech.tts = Some(Arc::new(espeak));
            notes.push("spoken replies: espeak-ng".into());
        }
        Err(problem) => notes.push(problem),
    }
    (speech, notes)
}
