//! Voice interviews: audio in over the WebSocket, speech to text, spoken replies, and how answers were delivered.
//! The services themselves sit behind [`crate::ports::SpeechToText`] and [`crate::ports::TextToSpeech`].

pub mod audio;
pub mod delivery;
pub mod sentences;
pub mod settings;
pub mod turn_end;
pub mod utterances;

pub use crate::domain::UtteranceId;
pub use audio::{Pcm16, Wav};
pub use delivery::Delivery;
pub use sentences::SentenceSplitter;
pub use settings::VoiceSettings;
