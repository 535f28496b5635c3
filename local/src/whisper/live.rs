//! Recognition while the candidate speaks. Each `audio` chunk of an open utterance extends its log-mel frames, so
//! `speech_end` starts the model at once. Optionally (`PREPAI_WHISPER_DECODE_WHILE_SPOKEN=1`) a background decode
//! of the audio so far
//! runs whenever a second more has arrived, one at a time per utterance, and the words two consecutive decodes
//! agree on are committed ([`LocalAgreement`]); the last decode, with the committed words forced as its prefix,
//! then only has the tail to write. Either way the stored audio is authoritative: whatever the chunks missed is
//! added at `speech_end`. Off by default because it has not yet shown a gain here: on the voice bench its word
//! error rate equals the one-shot one (23.1 %), but on two shared cores the background decodes fall behind the
//! speech, and `speech_end` waits for the one in flight.
//!
//! Bounded: one decode in flight per utterance; an utterance is dropped when it ends, is forgotten (abandoned,
//! refused, its connection gone), or has heard nothing for [`IDLE`]; past one 30-second window it is left to the
//! one-shot path.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use bytes::Bytes;
use prepai::ports::SpeechError;
use prepai::voice::Pcm16;

use super::Engine;
use super::agreement::LocalAgreement;
use super::features::{LogMel, WINDOW_FRAMES};

/// New audio (in 10 ms frames) that earns another background decode: a second, as whisper-streaming's default.
const STEP_FRAMES: usize = 100;

/// Audio (in frames) before the first background decode: on a second or less Whisper guesses the opening words
/// ("I would st…" came back twice as "I will"), and two agreeing guesses would commit them.
const FIRST_FRAMES: usize = 200;

/// An utterance that has heard nothing for this long is dropped: its `speech_end` will not come.
const IDLE: Duration = Duration::from_secs(60);

/// One open utterance.
struct Live {
    /// Chunks that arrived ahead of a missing earlier one.
    waiting: BTreeMap<u32, Bytes>,
    next_seq: u32,
    mel: LogMel,
    agreement: LocalAgreement,
    /// Frames the latest decode (finished or running) was given.
    decoded_frames: usize,
    /// The decode in flight: it applies its own result while the utterance is open, and hands it back once the
    /// utterance has been taken by `finish`.
    decoding: Option<tokio::task::JoinHandle<Option<Decoded>>>,
    heard_at: Instant,
    /// Longer than one window: recognised in one go at the end instead.
    too_long: bool,
}

/// A background decode's result.
struct Decoded {
    tokens: Vec<String>,
    /// The committed prefix it was decoded after; stale if the agreement has committed more since.
    after: usize,
}

/// Every utterance heard while spoken, on one server.
pub struct LiveRecognition {
    engine: Arc<Engine>,
    /// Whether background decodes and local agreement run, or only the features are computed as audio arrives.
    decode_while_spoken: bool,
    utterances: Mutex<HashMap<String, Live>>,
    /// Background decodes running on the blocking pool (they cannot be interrupted, only ignored).
    running: Arc<AtomicUsize>,
}

/// Decrements the running count however the decode ends.
struct Running(Arc<AtomicUsize>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl LiveRecognition {
    pub fn new(engine: Arc<Engine>, decode_while_spoken: bool) -> Self {
        Self {
            engine,
            decode_while_spoken,
            utterances: Mutex::new(HashMap::new()),
            running: Arc::new(AtomicUsize::new(0)),
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Live>> {
        // A panic while holding the lock leaves plain data behind; carry on with it.
        self.utterances
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// (utterances open, background decodes running).
    pub fn work(&self) -> (usize, usize) {
        (self.lock().len(), self.running.load(Ordering::SeqCst))
    }

    /// Takes chunk `seq` of `utterance` and starts a background decode if one is due.
    pub fn hear(self: &Arc<Self>, utterance: &str, seq: u32, pcm: &Bytes) {
        let Ok(tokio) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let mut all = self.lock();
        let now = Instant::now();
        all.retain(|_, live| {
            let keep = now.duration_since(live.heard_at) < IDLE;
            if !keep && let Some(task) = &live.decoding {
                task.abort();
            }
            keep
        });
        let live = all.entry(utterance.to_owned()).or_insert_with(|| Live {
            waiting: BTreeMap::new(),
            next_seq: 0,
            mel: LogMel::default(),
            agreement: LocalAgreement::default(),
            decoded_frames: 0,
            decoding: None,
            heard_at: now,
            too_long: false,
        });
        live.heard_at = now;
        if seq < live.next_seq || live.too_long {
            return;
        }
        live.waiting.insert(seq, pcm.clone());
        while let Some(chunk) = live.waiting.remove(&live.next_seq) {
            live.next_seq += 1;
            if let Ok(pcm) = Pcm16::parse(chunk) {
                live.mel.push(&self.engine.filters, &pcm.to_f32());
            }
        }
        if live.mel.frames() > WINDOW_FRAMES {
            live.too_long = true;
            if let Some(task) = live.decoding.take() {
                task.abort();
            }
            return;
        }
        self.start_decode(&tokio, utterance, live);
    }

    /// Starts a background decode of `live` if none is running and a step of new audio has arrived.
    fn start_decode(
        self: &Arc<Self>,
        tokio: &tokio::runtime::Handle,
        utterance: &str,
        live: &mut Live,
    ) {
        let frames = live.mel.frames();
        if !self.decode_while_spoken
            || live.decoding.is_some()
            || frames < FIRST_FRAMES
            || frames < live.decoded_frames + STEP_FRAMES
        {
            return;
        }
        live.decoded_frames = live.mel.frames();
        let window = live.mel.window(0);
        let prefix = live.agreement.committed().to_vec();
        let after = prefix.len();
        let engine = Arc::clone(&self.engine);
        let this = Arc::clone(self);
        let key = utterance.to_owned();
        self.running.fetch_add(1, Ordering::SeqCst);
        let running = Running(Arc::clone(&self.running));
        live.decoding = Some(tokio.spawn(async move {
            let decoded = tokio::task::spawn_blocking(move || {
                let _running = running;
                engine.decode(window, &prefix)
            })
            .await;
            let tokens = match decoded {
                Ok(Ok(tokens)) => tokens,
                Ok(Err(e)) => {
                    tracing::debug!(error = %e, "a background decode failed");
                    return None;
                }
                Err(_) => return None,
            };
            let decoded = Decoded { tokens, after };
            let mut all = this.lock();
            match all.get_mut(&key) {
                Some(live) => {
                    live.decoding = None;
                    offer(&mut live.agreement, decoded);
                    if let Ok(tokio) = tokio::runtime::Handle::try_current() {
                        this.start_decode(&tokio, &key, live);
                    }
                    None
                }
                // `finish` took the utterance meanwhile and is waiting for this result.
                None => Some(decoded),
            }
        }));
    }

    /// Drops `utterance` and ignores its decode in flight.
    pub fn forget(&self, utterance: &str) {
        if let Some(live) = self.lock().remove(utterance)
            && let Some(task) = live.decoding
        {
            task.abort();
        }
    }

    /// The transcript of the finished `utterance`, whose whole audio is `samples`: its committed words plus one
    /// decode of the rest; a one-shot decode if it was not heard (or not all of it fits one window).
    pub async fn finish(&self, utterance: &str, samples: Vec<f32>) -> Result<String, SpeechError> {
        let taken = self.lock().remove(utterance);
        let engine = Arc::clone(&self.engine);
        let Some(mut live) = taken.filter(|l| !l.too_long && l.mel.samples() <= samples.len())
        else {
            return blocking(move || engine.transcribe(&samples)).await;
        };
        if let Some(task) = live.decoding.take()
            && let Ok(Some(decoded)) = task.await
        {
            offer(&mut live.agreement, decoded);
        }
        let heard = live.mel.samples();
        live.mel.push(&engine.filters, &samples[heard..]);
        live.mel.finish(&engine.filters);
        if live.mel.frames() > WINDOW_FRAMES {
            return blocking(move || engine.transcribe(&samples)).await;
        }
        let prefix = live.agreement.committed().to_vec();
        blocking(move || {
            let mut tokens = prefix;
            let tail = engine.decode(live.mel.window(0), &tokens)?;
            tokens.extend(tail);
            engine.text(tokens)
        })
        .await
    }
}

/// Offers a decode's tokens unless the agreement has moved on since it began.
fn offer(agreement: &mut LocalAgreement, decoded: Decoded) {
    if decoded.after == agreement.committed().len() {
        agreement.offer(decoded.tokens);
    }
}

async fn blocking(
    work: impl FnOnce() -> Result<String, SpeechError> + Send + 'static,
) -> Result<String, SpeechError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| SpeechError::Service(format!("the recogniser stopped: {e}")))?
}
