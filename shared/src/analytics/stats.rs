//! The statistics analytics report: percentiles, five-number-style distributions and least-squares slopes.
//!
//! Written here rather than taken from a crate because the contract is one specific definition — numpy's default
//! percentile (linear interpolation between closest ranks) — which the common Rust statistics crates do not use by
//! default; the tests pin it to hand-computed values.

use serde::Serialize;

/// The `p`-th quantile (`p` in 0..=1) of ascending, finite `sorted` values by linear interpolation between closest
/// ranks — numpy's default (`method="linear"`, Hyndman & Fan type 7): with `h = (n − 1)·p`, the value is
/// `x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋])`. `None` for no values.
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let h = last as f64 * p.clamp(0.0, 1.0);
    let lower = h.floor() as usize;
    let upper = (lower + 1).min(last);
    Some(sorted[lower] + (h - lower as f64) * (sorted[upper] - sorted[lower]))
}

/// How a metric is spread over a set of interviews: the benchmark figures of the seed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Distribution {
    pub count: usize,
    pub min: f64,
    pub max: f64,
    pub average: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p90: f64,
}

impl Distribution {
    /// The distribution of the finite values among `values`; `None` when there are none.
    pub fn of(values: impl IntoIterator<Item = f64>) -> Option<Self> {
        let mut sorted: Vec<f64> = values.into_iter().filter(|v| v.is_finite()).collect();
        sorted.sort_by(f64::total_cmp);
        let count = sorted.len();
        let at = |p: f64| percentile(&sorted, p).map(round2);
        Some(Self {
            count,
            min: *sorted.first()?,
            max: *sorted.last()?,
            average: round2(sorted.iter().sum::<f64>() / count as f64),
            p25: at(0.25)?,
            p50: at(0.50)?,
            p75: at(0.75)?,
            p90: at(0.90)?,
        })
    }
}

/// The least-squares slope of `y` over `x`; `None` with fewer than two distinct `x`.
pub fn least_squares_slope(points: &[(f64, f64)]) -> Option<f64> {
    let n = points.len() as f64;
    if points.len() < 2 {
        return None;
    }
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    if sxx <= f64::EPSILON {
        return None;
    }
    let sxy: f64 = points.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
    Some(sxy / sxx)
}

/// Two decimals, as the analytics responses show figures.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_match_numpy_linear() {
        // numpy.percentile([1, 2, 3, 4], [25, 50, 75, 90]) == [1.75, 2.5, 3.25, 3.7]
        let x = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(percentile(&x, 0.25), Some(1.75));
        assert_eq!(percentile(&x, 0.50), Some(2.5));
        assert_eq!(percentile(&x, 0.75), Some(3.25));
        assert!((percentile(&x, 0.90).unwrap() - 3.7).abs() < 1e-12);
        assert_eq!(percentile(&[5.0], 0.9), Some(5.0));
        assert_eq!(percentile(&[], 0.5), None);
        assert_eq!(percentile(&x, 0.0), Some(1.0));
        assert_eq!(percentile(&x, 1.0), Some(4.0));
    }

    #[test]
    fn distribution_ignores_non_finite_values() {
        let d = Distribution::of([f64::NAN, 10.0, 0.0, 5.0, f64::INFINITY]).unwrap();
        assert_eq!(d.count, 3);
        assert_eq!((d.min, d.max, d.average, d.p50), (0.0, 10.0, 5.0, 5.0));
        assert!(Distribution::of([f64::NAN]).is_none());
    }

    #[test]
    fn slope_of_a_line_and_of_nothing() {
        let line: Vec<(f64, f64)> = (0..10)
            .map(|x| (f64::from(x), 2.0 + 0.5 * f64::from(x)))
            .collect();
        assert!((least_squares_slope(&line).unwrap() - 0.5).abs() < 1e-12);
        assert_eq!(least_squares_slope(&[(1.0, 1.0)]), None);
        assert_eq!(least_squares_slope(&[(1.0, 1.0), (1.0, 5.0)]), None);
    }
}
