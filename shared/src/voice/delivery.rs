//! How an answer was said: speaking rate and filler words, stored on the transcript entry (`wpm`,
//! `filler_count`) where the evaluator's communication score reads them.

use serde_json::{Map, Value, json};

use super::audio::Pcm16;
use crate::tools::performance_evaluator::language::{filler_words, words};

/// Delivery measurements of one spoken answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Delivery {
    pub words: usize,
    /// Words per minute over the voiced span; `None` for answers too short to measure fairly.
    pub wpm: Option<f64>,
    pub filler_count: usize,
    pub audio_seconds: f64,
}

/// Below this much voiced audio a rate says more about the microphone than about the speaker.
const MIN_SECONDS_FOR_RATE: f64 = 1.5;

impl Delivery {
    pub fn measure(transcript: &str, audio: &Pcm16) -> Self {
        let count = words(transcript).count();
        let voiced = audio.voiced_seconds().unwrap_or(0.0);
        let wpm = (voiced >= MIN_SECONDS_FOR_RATE && count > 0)
            .then(|| (count as f64 * 60.0 / voiced * 10.0).round() / 10.0);
        Self {
            words: count,
            wpm,
            filler_count: filler_words(transcript),
            audio_seconds: (audio.seconds() * 100.0).round() / 100.0,
        }
    }

    /// The fields added to the transcript entry.
    pub fn entry_fields(&self, utterance_id: &str) -> Map<String, Value> {
        let mut fields = Map::new();
        if let Some(wpm) = self.wpm {
            fields.insert("wpm".into(), json!(wpm));
        }
        fields.insert("filler_count".into(), json!(self.filler_count));
        fields.insert("audio_seconds".into(), json!(self.audio_seconds));
        fields.insert("utterance_id".into(), json!(utterance_id));
        fields
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn speech(seconds: f64) -> Pcm16 {
        let n = (seconds * 16_000.0) as usize;
        let samples: Vec<i16> = (0..n)
            .map(|i| if i % 16 < 8 { 6000 } else { -6000 })
            .collect();
        Pcm16::from_samples(&samples)
    }

    #[test]
    fn rate_is_words_over_voiced_minutes() {
        let d = Delivery::measure(
            "so um the cache uses you know an LRU list and a hash map for lookups",
            &speech(6.0),
        );
        assert_eq!(d.words, 16);
        assert_eq!(d.wpm, Some(160.0));
        assert_eq!(d.filler_count, 2);
        let fields = d.entry_fields("u1");
        assert_eq!(fields["wpm"], json!(160.0));
        assert_eq!(fields["filler_count"], json!(2));
    }

    #[test]
    fn short_answers_get_no_rate() {
        let d = Delivery::measure("yes", &speech(0.6));
        assert_eq!(d.wpm, None);
        assert!(!d.entry_fields("u").contains_key("wpm"));
    }
}
