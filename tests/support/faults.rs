//! Faults the loopback peers inject on purpose: a seeded, switchable die each peer rolls per request, so a test
//! chooses how often things break and the same seed breaks the same requests in the same order.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

/// How often a peer fails, and which failure it picks; shared between the peer and the test that drives it.
pub struct FaultDice {
    /// The failure rate in millionths (0: never, 1,000,000: always).
    rate_ppm: AtomicU32,
    rng: Mutex<fastrand::Rng>,
    /// How many times each kind of failure was injected.
    injected: Mutex<BTreeMap<&'static str, usize>>,
}

impl std::fmt::Debug for FaultDice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FaultDice")
            .field("rate_ppm", &self.rate_ppm.load(Ordering::SeqCst))
            .field("injected", &self.injected())
            .finish()
    }
}

impl FaultDice {
    /// A die that never fails until [`FaultDice::set_rate`] says so.
    pub fn new(seed: u64) -> FaultDice {
        FaultDice {
            rate_ppm: AtomicU32::new(0),
            rng: Mutex::new(fastrand::Rng::with_seed(seed)),
            injected: Mutex::new(BTreeMap::new()),
        }
    }

    /// A die failing at `rate` (0.0–1.0) from the start.
    pub fn with_rate(seed: u64, rate: f64) -> FaultDice {
        let dice = FaultDice::new(seed);
        dice.set_rate(rate);
        dice
    }

    /// Changes the failure rate (0.0–1.0) from the next roll on.
    pub fn set_rate(&self, rate: f64) {
        let ppm = (rate.clamp(0.0, 1.0) * 1e6).round() as u32;
        self.rate_ppm.store(ppm, Ordering::SeqCst);
    }

    /// Whether this request fails; when it does, `pick` chooses how from a uniform draw in 0..`kinds`.
    pub fn roll(&self, kinds: usize) -> Option<usize> {
        let ppm = self.rate_ppm.load(Ordering::SeqCst);
        if ppm == 0 {
            return None;
        }
        let mut rng = self.rng.lock().unwrap();
        (rng.u32(0..1_000_000) < ppm).then(|| rng.usize(0..kinds.max(1)))
    }

    /// A uniform draw in `range` from the same seeded source (latencies, cut points).
    pub fn draw(&self, range: std::ops::Range<u64>) -> u64 {
        self.rng.lock().unwrap().u64(range)
    }

    /// Counts one injected failure of `kind`.
    pub fn record(&self, kind: &'static str) {
        *self.injected.lock().unwrap().entry(kind).or_default() += 1;
    }

    /// How many failures of each kind were injected so far.
    pub fn injected(&self) -> BTreeMap<&'static str, usize> {
        self.injected.lock().unwrap().clone()
    }

    /// How many failures were injected so far, all kinds.
    pub fn total(&self) -> usize {
        self.injected.lock().unwrap().values().sum()
    }
}
