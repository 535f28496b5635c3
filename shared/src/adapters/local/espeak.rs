//! Offline speech synthesis for the local server: Debian's `espeak-ng`, which writes a WAV file to stdout. Robotic,
//! but instant, free and available everywhere the local server runs.

use std::process::Stdio;

use async_trait::async_trait;
use bytes::Bytes;
use tokio::io::AsyncWriteExt;
use tokio::process::Command;

use crate::ports::{AudioFormat, SpeechClip, SpeechError, TextToSpeech};
use crate::voice::Wav;

/// The longest sentence we hand to espeak-ng; the splitter keeps sentences far shorter.
const MAX_CHARS: usize = 3_000;

/// `espeak-ng` behind [`TextToSpeech`].
#[derive(Clone, Debug)]
pub struct EspeakSpeech {
    program: String,
    voice: String,
    words_per_minute: u32,
}

impl EspeakSpeech {
    /// The installed `espeak-ng` (voice `PREPAI_ESPEAK_VOICE`, default `en-us`), or why there is none.
    pub async fn detect() -> Result<Self, String> {
        let speech = Self {
            program: "espeak-ng".into(),
            voice: std::env::var("PREPAI_ESPEAK_VOICE").unwrap_or_else(|_| "en-us".into()),
            words_per_minute: 165,
        };
        match Command::new(&speech.program)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .await
        {
            Ok(status) if status.success() => Ok(speech),
            _ => Err(
                "spoken replies are off: espeak-ng is not installed (apt install espeak-ng)".into(),
            ),
        }
    }
}

#[async_trait]
impl TextToSpeech for EspeakSpeech {
    async fn synthesize(&self, text: &str) -> Result<SpeechClip, SpeechError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(SpeechError::Rejected("nothing to speak".into()));
        }
        if text.chars().count() > MAX_CHARS {
            return Err(SpeechError::Rejected(format!(
                "at most {MAX_CHARS} characters at a time"
            )));
        }
        // The text goes in on stdin, never as an argument, so nothing in it can be read as an option.
        let mut child = Command::new(&self.program)
            .args([
                "-v",
                &self.voice,
                "-s",
                &self.words_per_minute.to_string(),
                "--stdout",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| SpeechError::Unavailable(format!("espeak-ng did not start: {e}")))?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin
                .write_all(text.as_bytes())
                .await
                .map_err(|e| SpeechError::Service(format!("espeak-ng input: {e}")))?;
        }
        let output = child
            .wait_with_output()
            .await
            .map_err(|e| SpeechError::Service(format!("espeak-ng: {e}")))?;
        if !output.status.success() {
            return Err(SpeechError::Service(format!(
                "espeak-ng exited with {}",
                output.status
            )));
        }
        // espeak-ng streams with placeholder sizes in the header; rewrite it so every decoder accepts the file.
        let wav = Wav::parse(&output.stdout).map_err(|e| SpeechError::Service(e.to_string()))?;
        Ok(SpeechClip {
            format: AudioFormat::Wav,
            audio: Bytes::from(wav.encode()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn speaks_a_sentence_as_a_valid_wav() {
        let Ok(espeak) = EspeakSpeech::detect().await else {
            panic!("espeak-ng must be installed for this test (apt install espeak-ng)");
        };
        let clip = espeak
            .synthesize("Tell me about a project you led.")
            .await
            .unwrap();
        assert_eq!(clip.format, AudioFormat::Wav);
        let wav = Wav::parse(&clip.audio).unwrap();
        assert!(
            wav.seconds() > 1.0 && wav.seconds() < 5.0,
            "{}",
            wav.seconds()
        );
        assert!(wav.samples.iter().any(|s| s.unsigned_abs() > 1000));
        assert!(matches!(
            espeak.synthesize("  ").await,
            Err(SpeechError::Rejected(_))
        ));
        // A leading dash is text, not an option.
        assert!(espeak.synthesize("--help me").await.is_ok());
    }
}
