//! Interviewer speech as `audio` messages: one clip per sentence, split into parts that each fit one API
//! Gateway frame (32 KB; a message may be 128 KB, but a frame over 32 KB is where clients have trouble).

use base64::Engine;

use super::{MAX_FRAME_BYTES, ServerMessage};
use crate::ports::SpeechClip;

/// Raw audio bytes per message: base64 makes 4/3 of it, and the JSON around it stays under 200 bytes.
pub const AUDIO_PART_BYTES: usize = (MAX_FRAME_BYTES - 512) / 4 * 3;

/// Numbers the audio messages of one reply.
#[derive(Debug, Default)]
pub struct AudioSequencer {
    next_seq: u32,
    next_clip: u32,
}

impl AudioSequencer {
    pub fn new() -> Self {
        Self::default()
    }

    /// How many clips were numbered.
    pub fn clips(&self) -> u32 {
        self.next_clip
    }

    /// The messages for the next clip, in order; the last one has `last: true`.
    pub fn messages(&mut self, clip: &SpeechClip) -> Vec<ServerMessage> {
        let clip_index = self.next_clip;
        self.next_clip += 1;
        let parts: Vec<&[u8]> = if clip.audio.is_empty() {
            vec![&[]]
        } else {
            clip.audio.chunks(AUDIO_PART_BYTES).collect()
        };
        let count = parts.len();
        parts
            .into_iter()
            .enumerate()
            .map(|(i, part)| {
                let seq = self.next_seq;
                self.next_seq += 1;
                ServerMessage::Audio {
                    seq,
                    format: clip.format,
                    data: base64::engine::general_purpose::STANDARD.encode(part),
                    clip: clip_index,
                    last: i + 1 == count,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::AudioFormat;
    use bytes::Bytes;

    #[test]
    fn every_message_fits_a_frame_and_the_parts_rebuild_the_clip() {
        let audio: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let clip = SpeechClip {
            format: AudioFormat::Mp3,
            audio: Bytes::from(audio.clone()),
        };
        let mut seq = AudioSequencer::new();
        let first = seq.messages(&clip);
        let second = seq.messages(&SpeechClip {
            format: AudioFormat::Wav,
            audio: Bytes::from_static(b"RIFF"),
        });
        assert!(first.len() >= 4);
        let mut rebuilt = Vec::new();
        for (i, m) in first.iter().chain(&second).enumerate() {
            let text = m.to_text();
            assert!(text.len() <= MAX_FRAME_BYTES, "{} bytes", text.len());
            let v: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(v["type"], "audio");
            assert_eq!(v["seq"], i as u64);
            if v["clip"] == 0 {
                assert_eq!(v["format"], "mp3");
                rebuilt.extend(
                    base64::engine::general_purpose::STANDARD
                        .decode(v["data"].as_str().unwrap())
                        .unwrap(),
                );
                assert_eq!(v["last"], i + 1 == first.len());
            } else {
                assert_eq!(
                    (v["clip"].as_u64(), v["last"].as_bool()),
                    (Some(1), Some(true))
                );
                assert_eq!(v["format"], "wav");
            }
        }
        assert_eq!(rebuilt, audio);
    }
}
