//! Whisper's log-mel features, computed as audio arrives rather than all at once at the end: the short-time
//! Fourier transform only looks back one window, so each 10 ms hop of audio gives its frame for good. The frames
//! are exactly those `ct2rs` computes for the whole utterance (same transform, filters and per-frame
//! normalisation), so a transcript does not depend on how the audio was split. CTranslate2 takes fewer than 3000
//! frames, so a window is cut to its audio plus a margin of silence rather than always padded to 30 s.

use mel_spec::mel::{log_mel_spectrogram, mel, norm_mel};
use mel_spec::stft::Spectrogram;
use ndarray::Array2;

/// Samples per second Whisper takes.
pub const SAMPLE_RATE: usize = 16_000;
/// Mel bands per frame.
pub const MELS: usize = 80;
/// Samples between two frames (10 ms).
pub const HOP: usize = 160;
/// Samples in one Fourier window.
const FFT: usize = 400;
/// Frames in one Whisper window (30 s), the most the encoder takes.
pub const WINDOW_FRAMES: usize = 3_000;
/// Silent frames given to the encoder after the audio of a window (3 s). Whisper was trained on whole 30-second
/// windows, but CTranslate2 takes shorter ones, and the encoder's and cross-attention's cost grows with the frames:
/// a 10-second answer costs about a third. With this margin the word error rate on the voice bench's espeak-ng
/// answers went down (27.9 % → 23.1 %), while with 1 s the decoder tended to stop after the first sentence.
const SILENT_MARGIN: usize = 300;

/// The mel filter bank, built once per model.
pub struct MelFilters(Array2<f64>);

impl MelFilters {
    /// Whisper's 80-band filter bank for 16 kHz audio (the one `ct2rs` builds when the model ships none).
    pub fn whisper() -> Self {
        Self(mel(SAMPLE_RATE as f64, FFT, MELS, None, None, false, true))
    }
}

/// The frames of one utterance so far.
pub struct LogMel {
    stft: Spectrogram,
    /// Samples of a hop not yet complete.
    pending: Vec<f32>,
    /// Frame-major: `MELS` values per frame.
    frames: Vec<f32>,
    samples: usize,
}

impl Default for LogMel {
    fn default() -> Self {
        Self {
            stft: Spectrogram::new(FFT, HOP),
            pending: Vec::with_capacity(HOP),
            frames: Vec::new(),
            samples: 0,
        }
    }
}

impl LogMel {
    /// Frames computed so far.
    pub fn frames(&self) -> usize {
        self.frames.len() / MELS
    }

    /// Samples taken so far.
    pub fn samples(&self) -> usize {
        self.samples
    }

    /// Takes more audio (normalised to [-1, 1]); every complete hop becomes a frame.
    pub fn push(&mut self, filters: &MelFilters, mut samples: &[f32]) {
        self.samples += samples.len();
        while !samples.is_empty() {
            let take = (HOP - self.pending.len()).min(samples.len());
            self.pending.extend_from_slice(&samples[..take]);
            samples = &samples[take..];
            if self.pending.len() == HOP {
                self.hop(filters);
            }
        }
    }

    /// The audio has ended: its last partial hop becomes a (zero-padded) frame, as `ct2rs` does.
    pub fn finish(&mut self, filters: &MelFilters) {
        if !self.pending.is_empty() {
            self.hop(filters);
        }
    }

    fn hop(&mut self, filters: &MelFilters) {
        // The first hops fill the Fourier window and give no spectrum; their frames stay silent.
        match self.stft.add(&self.pending) {
            Some(spectrum) => {
                let frame = norm_mel(&log_mel_spectrogram(&spectrum, &filters.0));
                self.frames.extend(frame.iter().map(|v| *v as f32));
            }
            None => self.frames.extend([0.0; MELS]),
        }
        self.pending.clear();
    }

    /// How many 30-second windows the frames fill.
    pub fn windows(&self) -> usize {
        self.frames().div_ceil(WINDOW_FRAMES)
    }

    /// Window `index` as the encoder takes it: `[MELS, width]` band-major, the audio's frames then
    /// [`SILENT_MARGIN`] silent ones (an even number, at most [`WINDOW_FRAMES`]).
    pub fn window(&self, index: usize) -> Window {
        let first = index * WINDOW_FRAMES;
        let last = self.frames().min(first + WINDOW_FRAMES);
        let audio = last.saturating_sub(first);
        let width = (audio + SILENT_MARGIN)
            .next_multiple_of(2)
            .min(WINDOW_FRAMES);
        let mut features = vec![0.0; MELS * width];
        for (column, frame) in (first..last).enumerate() {
            let values = &self.frames[frame * MELS..(frame + 1) * MELS];
            for (band, value) in values.iter().enumerate() {
                features[band * width + column] = *value;
            }
        }
        Window { features, width }
    }
}

/// The encoder's input for one window.
pub struct Window {
    /// `[MELS, width]`, band-major.
    pub features: Vec<f32>,
    /// Frames per band.
    pub width: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(n: usize) -> Vec<f32> {
        (0..n)
            .map(|i| (i as f32 * 0.05).sin() * 0.3 + ((i * 7919) % 13) as f32 * 0.001)
            .collect()
    }

    #[test]
    fn a_long_window_is_cut_at_thirty_seconds() {
        let filters = MelFilters::whisper();
        let mut features = LogMel::default();
        features.push(&filters, &vec![0.1; HOP * (WINDOW_FRAMES + 5)]);
        assert_eq!(features.windows(), 2);
        assert_eq!(features.window(0).width, WINDOW_FRAMES);
        assert_eq!(features.window(1).width, 6 + SILENT_MARGIN);
    }

    #[test]
    fn frames_do_not_depend_on_how_the_audio_was_split() {
        let filters = MelFilters::whisper();
        let audio = tone(16_000 + 77);
        let mut whole = LogMel::default();
        whole.push(&filters, &audio);
        whole.finish(&filters);
        let mut split = LogMel::default();
        for piece in audio.chunks(1_234) {
            split.push(&filters, piece);
        }
        split.finish(&filters);
        assert_eq!(whole.frames(), (16_000 + 77_usize).div_ceil(HOP));
        assert_eq!(whole.window(0).features, split.window(0).features);
    }

    #[test]
    fn a_window_is_band_major_and_padded_with_silence() {
        let filters = MelFilters::whisper();
        let mut features = LogMel::default();
        features.push(&filters, &tone(HOP * 10));
        let window = features.window(0);
        let width = 10 + SILENT_MARGIN;
        assert_eq!(window.width, width);
        assert_eq!(window.features.len(), MELS * width);
        assert_eq!(features.windows(), 1);
        // Frame 5 of band 3 is the fourth value of the sixth frame.
        assert_eq!(
            window.features[3 * width + 5],
            features.frames[5 * MELS + 3]
        );
        assert!(
            window.features[3 * width + 10..4 * width]
                .iter()
                .all(|v| *v == 0.0)
        );
    }
}
