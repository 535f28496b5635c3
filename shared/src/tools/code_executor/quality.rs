//! Code quality metrics (the seed's lines of code, cyclomatic complexity, comment ratio and 0–10 score). The
//! sandbox measures the code from a real parse; the score is computed here so its formula lives in one place.

use serde::{Deserialize, Serialize};

/// What the sandbox's parser counted in a submission.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceMeasurements {
    /// Every line of the source.
    pub total_lines: u32,
    /// Lines holding code (a line with code and a trailing comment counts here).
    pub code_lines: u32,
    /// Lines holding only a comment or docstring text.
    pub comment_lines: u32,
    pub blank_lines: u32,
    /// Branch points: `if`/`elif`, loops, `except`/`catch`, `case`, conditional expressions, each `and`/`or`
    /// (`&&`/`||`/`??`), comprehension `for`/`if` clauses.
    pub decision_points: u32,
    /// Function, method and lambda/arrow definitions.
    pub function_count: u32,
    /// The deepest nesting of blocks (function bodies, branches, loops, `try`, `with`).
    pub max_nesting_depth: u32,
    /// Lines spanned by the longest function.
    pub longest_function_lines: u32,
    /// Lines longer than [`LONG_LINE_CHARS`].
    pub long_lines: u32,
}

/// Lines longer than this count against the score.
pub const LONG_LINE_CHARS: usize = 100;

/// The metrics a submission reports and stores.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QualityMetrics {
    pub lines_of_code: u32,
    pub total_lines: u32,
    pub comment_lines: u32,
    pub blank_lines: u32,
    /// `comment_lines / (code_lines + comment_lines)`, 0 for empty code; three decimals.
    pub comment_ratio: f64,
    /// McCabe's number for the whole submission: 1 + decision points.
    pub cyclomatic_complexity: u32,
    pub function_count: u32,
    pub max_nesting_depth: u32,
    pub longest_function_lines: u32,
    pub long_lines: u32,
    /// 0–10, one decimal; see [`QualityMetrics::score`].
    pub quality_score: f64,
}

impl QualityMetrics {
    /// Derives the ratio and the score from what the parser counted.
    pub fn from_measurements(m: SourceMeasurements) -> Self {
        let commented = m.code_lines + m.comment_lines;
        let comment_ratio = if commented == 0 {
            0.0
        } else {
            round_to(f64::from(m.comment_lines) / f64::from(commented), 3)
        };
        let mut metrics = Self {
            lines_of_code: m.code_lines,
            total_lines: m.total_lines,
            comment_lines: m.comment_lines,
            blank_lines: m.blank_lines,
            comment_ratio,
            cyclomatic_complexity: 1 + m.decision_points,
            function_count: m.function_count,
            max_nesting_depth: m.max_nesting_depth,
            longest_function_lines: m.longest_function_lines,
            long_lines: m.long_lines,
            quality_score: 0.0,
        };
        metrics.quality_score = metrics.score();
        metrics
    }

    /// The quality score: 10, less
    /// - complexity: 0.5 per point of cyclomatic complexity above 10, at most 3;
    /// - nesting: 1 per level of nesting beyond 4, at most 2;
    /// - length: 0.05 per line of the longest function beyond 40, at most 2;
    /// - comments: 1 when there are 15 or more lines of code and under 5 % comments; 0.5 when comments exceed
    ///   half of the lines;
    /// - long lines: 0.25 per line over 100 characters, at most 1;
    ///
    /// clamped to 0–10 and rounded to one decimal.
    pub fn score(&self) -> f64 {
        let excess = |value: u32, allowed: u32| f64::from(value.saturating_sub(allowed));
        let complexity = (0.5 * excess(self.cyclomatic_complexity, 10)).min(3.0);
        let nesting = excess(self.max_nesting_depth, 4).min(2.0);
        let length = (0.05 * excess(self.longest_function_lines, 40)).min(2.0);
        let comments = if self.lines_of_code >= 15 && self.comment_ratio < 0.05 {
            1.0
        } else if self.comment_ratio > 0.5 {
            0.5
        } else {
            0.0
        };
        let long_lines = (0.25 * f64::from(self.long_lines)).min(1.0);
        round_to(
            (10.0 - complexity - nesting - length - comments - long_lines).clamp(0.0, 10.0),
            1,
        )
    }
}

fn round_to(value: f64, decimals: i32) -> f64 {
    let factor = 10_f64.powi(decimals);
    (value * factor).round() / factor
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_short_code_scores_ten() {
        let m = QualityMetrics::from_measurements(SourceMeasurements {
            total_lines: 4,
            code_lines: 3,
            comment_lines: 1,
            decision_points: 2,
            function_count: 1,
            max_nesting_depth: 2,
            longest_function_lines: 3,
            ..Default::default()
        });
        assert_eq!(m.cyclomatic_complexity, 3);
        assert_eq!(m.comment_ratio, 0.25);
        assert_eq!(m.quality_score, 10.0);
    }

    #[test]
    fn each_penalty_applies_and_is_capped() {
        let m = QualityMetrics::from_measurements(SourceMeasurements {
            total_lines: 200,
            code_lines: 120,
            comment_lines: 0,
            decision_points: 30,
            function_count: 1,
            max_nesting_depth: 9,
            longest_function_lines: 100,
            long_lines: 2,
            ..Default::default()
        });
        // complexity 3 (capped), nesting 2 (capped), length 2 (capped), comments 1, long lines 0.5.
        assert_eq!(m.quality_score, 1.5);
        let m = QualityMetrics::from_measurements(SourceMeasurements {
            code_lines: 2,
            comment_lines: 4,
            decision_points: 11,
            longest_function_lines: 50,
            ..Default::default()
        });
        // complexity 12 → 1, length 10 lines over → 0.5, over-commented → 0.5.
        assert_eq!(m.quality_score, 8.0);
    }
}
