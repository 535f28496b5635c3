//! Percentiles for the benchmarks' printed figures.

use std::time::Duration;

/// p50, p95 and mean of a set of timings.
#[derive(Clone, Copy, Debug)]
pub struct Summary {
    pub p50: Duration,
    pub p95: Duration,
    pub mean: Duration,
}

/// The `q` quantile (nearest rank) of `samples`, which it sorts.
pub fn percentile(samples: &mut [Duration], q: f64) -> Duration {
    samples.sort();
    samples[((samples.len() - 1) as f64 * q).round() as usize]
}

pub fn summarise(mut samples: Vec<Duration>) -> Summary {
    let total: Duration = samples.iter().sum();
    Summary {
        p50: percentile(&mut samples, 0.5),
        p95: percentile(&mut samples, 0.95),
        mean: total / samples.len() as u32,
    }
}

/// Milliseconds, for printing.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
