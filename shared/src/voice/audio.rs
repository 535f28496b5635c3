//! PCM16 audio as the browser sends it and WAV as espeak-ng writes it: the few operations the voice pipeline
//! needs (duration, where the speech is, format conversion), without pulling in an audio crate.

use bytes::Bytes;

use crate::ports::PCM_SAMPLE_RATE;

/// Bytes per second of 16 kHz mono PCM16.
pub const PCM_BYTES_PER_SECOND: usize = PCM_SAMPLE_RATE as usize * 2;

/// 16 kHz mono signed 16-bit little-endian samples.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pcm16(Bytes);

/// Why bytes are not usable audio.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum AudioError {
    #[error("PCM16 audio must have an even number of bytes")]
    OddLength,
    #[error("not a WAV file: {0}")]
    NotWav(&'static str),
}

impl Pcm16 {
    pub fn parse(bytes: Bytes) -> Result<Self, AudioError> {
        if bytes.len().is_multiple_of(2) {
            Ok(Self(bytes))
        } else {
            Err(AudioError::OddLength)
        }
    }

    pub fn from_samples(samples: &[i16]) -> Self {
        Self(samples.iter().flat_map(|s| s.to_le_bytes()).collect())
    }

    pub fn bytes(&self) -> &Bytes {
        &self.0
    }

    pub fn into_bytes(self) -> Bytes {
        self.0
    }

    pub fn samples(&self) -> impl Iterator<Item = i16> + '_ {
        self.0
            .chunks_exact(2)
            .map(|pair| i16::from_le_bytes([pair[0], pair[1]]))
    }

    /// Samples scaled to [-1, 1], as speech models take them.
    pub fn to_f32(&self) -> Vec<f32> {
        self.samples().map(|s| f32::from(s) / 32768.0).collect()
    }

    pub fn seconds(&self) -> f64 {
        self.0.len() as f64 / PCM_BYTES_PER_SECOND as f64
    }

    /// The span from the first to the last 20 ms frame louder than the noise floor, in seconds; `None` when no
    /// frame is. Words per minute are measured over this span, so silence before and after an answer does not
    /// make the candidate seem slow.
    pub fn voiced_seconds(&self) -> Option<f64> {
        const FRAME: usize = PCM_SAMPLE_RATE as usize / 50;
        let mut loud = self
            .0
            .chunks(FRAME * 2)
            .enumerate()
            .filter(|(_, frame)| rms(frame) > SPEECH_RMS)
            .map(|(i, _)| i);
        let first = loud.next()?;
        let last = loud.next_back().unwrap_or(first);
        Some((last - first + 1) as f64 * FRAME as f64 / f64::from(PCM_SAMPLE_RATE))
    }
}

/// Root-mean-square level (0–32768) above which a frame counts as sound rather than a quiet room: about −40 dBFS.
const SPEECH_RMS: f64 = 330.0;

/// Of a frame of PCM16 LE bytes.
fn rms(frame: &[u8]) -> f64 {
    let samples = frame
        .chunks_exact(2)
        .map(|pair| f64::from(i16::from_le_bytes([pair[0], pair[1]])));
    let (sum, n) = samples.fold((0.0, 0usize), |(sum, n), s| (sum + s * s, n + 1));
    if n == 0 { 0.0 } else { (sum / n as f64).sqrt() }
}

/// A decoded PCM16 WAV file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wav {
    pub sample_rate: u32,
    pub channels: u16,
    /// Interleaved samples.
    pub samples: Vec<i16>,
}

impl Wav {
    /// Reads a RIFF/WAVE file with 16-bit PCM samples. espeak-ng writes its data chunk size as 0xFFFFFFFF when
    /// streaming to stdout, so a data chunk runs to the end of the file when its size overruns.
    pub fn parse(bytes: &[u8]) -> Result<Self, AudioError> {
        if bytes.len() < 12 || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
            return Err(AudioError::NotWav("no RIFF/WAVE header"));
        }
        let mut at = 12;
        let mut format = None;
        while at + 8 <= bytes.len() {
            let id = &bytes[at..at + 4];
            let size =
                u32::from_le_bytes([bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]])
                    as usize;
            let body_start = at + 8;
            let body_end = body_start.saturating_add(size).min(bytes.len());
            let body = &bytes[body_start..body_end];
            match id {
                b"fmt " => {
                    if body.len() < 16 {
                        return Err(AudioError::NotWav("short fmt chunk"));
                    }
                    let tag = u16::from_le_bytes([body[0], body[1]]);
                    let channels = u16::from_le_bytes([body[2], body[3]]);
                    let rate = u32::from_le_bytes([body[4], body[5], body[6], body[7]]);
                    let bits = u16::from_le_bytes([body[14], body[15]]);
                    if tag != 1 || bits != 16 || channels == 0 || rate == 0 {
                        return Err(AudioError::NotWav("only 16-bit PCM is supported"));
                    }
                    format = Some((rate, channels));
                }
                b"data" => {
                    let (sample_rate, channels) =
                        format.ok_or(AudioError::NotWav("data before fmt"))?;
                    let samples = body
                        .chunks_exact(2)
                        .map(|pair| i16::from_le_bytes([pair[0], pair[1]]))
                        .collect();
                    return Ok(Self {
                        sample_rate,
                        channels,
                        samples,
                    });
                }
                _ => {}
            }
            at = body_start.saturating_add(size + size % 2);
        }
        Err(AudioError::NotWav("no data chunk"))
    }

    /// A PCM16 WAV file.
    pub fn encode(&self) -> Vec<u8> {
        let data_len = (self.samples.len() * 2) as u32;
        let block_align = self.channels * 2;
        let mut out = Vec::with_capacity(44 + data_len as usize);
        out.extend_from_slice(b"RIFF");
        out.extend_from_slice(&(36 + data_len).to_le_bytes());
        out.extend_from_slice(b"WAVEfmt ");
        out.extend_from_slice(&16u32.to_le_bytes());
        out.extend_from_slice(&1u16.to_le_bytes());
        out.extend_from_slice(&self.channels.to_le_bytes());
        out.extend_from_slice(&self.sample_rate.to_le_bytes());
        out.extend_from_slice(&(self.sample_rate * u32::from(block_align)).to_le_bytes());
        out.extend_from_slice(&block_align.to_le_bytes());
        out.extend_from_slice(&16u16.to_le_bytes());
        out.extend_from_slice(b"data");
        out.extend_from_slice(&data_len.to_le_bytes());
        for s in &self.samples {
            out.extend_from_slice(&s.to_le_bytes());
        }
        out
    }

    pub fn seconds(&self) -> f64 {
        self.samples.len() as f64 / f64::from(self.channels) / f64::from(self.sample_rate)
    }

    /// The first channel at 16 kHz (linear interpolation; good enough for speech recognition).
    pub fn to_pcm16_mono_16k(&self) -> Pcm16 {
        let mono: Vec<i16> = self
            .samples
            .iter()
            .step_by(usize::from(self.channels))
            .copied()
            .collect();
        Pcm16::from_samples(&resample(&mono, self.sample_rate, PCM_SAMPLE_RATE))
    }
}

/// Linear-interpolation resampling.
pub fn resample(samples: &[i16], from: u32, to: u32) -> Vec<i16> {
    if from == to || samples.is_empty() {
        return samples.to_vec();
    }
    let out_len = (samples.len() as u64 * u64::from(to) / u64::from(from)) as usize;
    let step = f64::from(from) / f64::from(to);
    (0..out_len)
        .map(|i| {
            let pos = i as f64 * step;
            let left = pos.floor() as usize;
            let frac = pos - left as f64;
            let a = f64::from(samples[left.min(samples.len() - 1)]);
            let b = f64::from(samples[(left + 1).min(samples.len() - 1)]);
            (a + (b - a) * frac).round() as i16
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(seconds: f64, amplitude: f64) -> Vec<i16> {
        let n = (seconds * f64::from(PCM_SAMPLE_RATE)) as usize;
        (0..n)
            .map(|i| {
                (amplitude * (i as f64 * 440.0 * std::f64::consts::TAU / 16_000.0).sin()) as i16
            })
            .collect()
    }

    #[test]
    fn pcm_must_have_whole_samples() {
        assert_eq!(
            Pcm16::parse(Bytes::from_static(&[1, 2, 3])),
            Err(AudioError::OddLength)
        );
        let pcm = Pcm16::parse(Bytes::from_static(&[0, 0x80, 0xff, 0x7f])).unwrap();
        assert_eq!(pcm.samples().collect::<Vec<_>>(), vec![i16::MIN, i16::MAX]);
        assert_eq!(pcm.to_f32(), vec![-1.0, 32767.0 / 32768.0]);
    }

    #[test]
    fn voiced_span_ignores_silence_around_speech() {
        let mut samples = vec![0i16; 16_000];
        samples.extend(tone(2.0, 8000.0));
        samples.extend(vec![3i16; 32_000]);
        let pcm = Pcm16::from_samples(&samples);
        assert!((pcm.seconds() - 5.0).abs() < 1e-9);
        let voiced = pcm.voiced_seconds().unwrap();
        assert!((voiced - 2.0).abs() < 0.05, "{voiced}");
        assert_eq!(Pcm16::from_samples(&[5i16; 8000]).voiced_seconds(), None);
    }

    #[test]
    fn wav_round_trips_and_tolerates_streamed_sizes() {
        let wav = Wav {
            sample_rate: 22_050,
            channels: 1,
            samples: vec![1, -2, 3, -4],
        };
        let mut bytes = wav.encode();
        assert_eq!(Wav::parse(&bytes).unwrap(), wav);
        // espeak-ng --stdout writes 0xFFFFFFFF sizes.
        bytes[40..44].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(Wav::parse(&bytes).unwrap(), wav);
        assert!(Wav::parse(b"RIFF....WAVX").is_err());
        assert!(Wav::parse(b"").is_err());
    }

    #[test]
    fn resampling_keeps_duration_and_shape() {
        let wav = Wav {
            sample_rate: 22_050,
            channels: 1,
            samples: (0..22_050).map(|i| (i % 100) as i16).collect(),
        };
        let pcm = wav.to_pcm16_mono_16k();
        assert!((pcm.seconds() - 1.0).abs() < 1e-3);
        assert_eq!(resample(&[10, 20], 8000, 16000), vec![10, 15, 20, 20]);
    }
}
