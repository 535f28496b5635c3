//! The four analytics answers, computed from summary records (pure functions: the handlers fetch, these count).

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use serde::Serialize;

use super::stats::{Distribution, least_squares_slope, round2};
use super::{InterviewSummary, MetricScores};
use crate::domain::{CandidateName, InterviewType, SessionId, SessionStatus, timestamp};
use crate::tools::performance_evaluator::{Metric, Recommendation};

/// `GET /api/analytics/aggregate`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Aggregate {
    /// `"own"` or `"all"`.
    pub scope: &'static str,
    /// Sessions started (active or ended) that analytics know of.
    pub total_interviews: usize,
    pub completed_interviews: usize,
    pub active_interviews: usize,
    /// Completed over total; 0 with no interviews.
    pub completion_rate: f64,
    /// Mean overall score of completed interviews; `null` with none.
    pub average_score: Option<f64>,
    pub average_duration_seconds: Option<f64>,
    /// Mean of each metric over the interviews where it was assessed.
    pub average_scores: MetricScores,
    pub interview_type_distribution: BTreeMap<String, usize>,
    pub recommendation_distribution: BTreeMap<String, usize>,
}

/// Counts and averages over `records`.
pub fn aggregate(records: &[InterviewSummary], scope: &'static str) -> Aggregate {
    let scored: Vec<&InterviewSummary> = records.iter().filter(|r| r.is_scored()).collect();
    let completed = records
        .iter()
        .filter(|r| r.status == SessionStatus::Ended)
        .count();
    let mut interview_type_distribution = BTreeMap::new();
    for r in records {
        *interview_type_distribution
            .entry(r.interview_type.to_string())
            .or_insert(0) += 1;
    }
    let mut recommendation_distribution: BTreeMap<String, usize> = Recommendation::ALL
        .iter()
        .map(|r| (r.as_str().to_owned(), 0))
        .collect();
    for r in &scored {
        if let Some(rec) = r.recommendation {
            *recommendation_distribution
                .entry(rec.as_str().to_owned())
                .or_insert(0) += 1;
        }
    }
    let metric_mean = |m: Metric| average(scored.iter().filter_map(|r| r.scores.get(m)));
    Aggregate {
        scope,
        total_interviews: records.len(),
        completed_interviews: completed,
        active_interviews: records.len() - completed,
        completion_rate: if records.is_empty() {
            0.0
        } else {
            round2(completed as f64 / records.len() as f64)
        },
        average_score: average(scored.iter().filter_map(|r| r.overall_score)),
        average_duration_seconds: average(
            records
                .iter()
                .filter(|r| r.status == SessionStatus::Ended)
                .filter_map(|r| r.duration_seconds),
        ),
        average_scores: MetricScores {
            technical_knowledge: metric_mean(Metric::TechnicalKnowledge),
            problem_solving: metric_mean(Metric::ProblemSolving),
            communication: metric_mean(Metric::Communication),
            code_quality: metric_mean(Metric::CodeQuality),
            cultural_fit: metric_mean(Metric::CulturalFit),
        },
        interview_type_distribution,
        recommendation_distribution,
    }
}

fn average(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (n, sum) = values
        .filter(|v| v.is_finite())
        .fold((0usize, 0.0), |(n, s), v| (n + 1, s + v));
    (n > 0).then(|| round2(sum / n as f64))
}

/// How percentiles are computed, stated in every benchmark response.
pub const PERCENTILE_METHOD: &str =
    "linear interpolation between closest ranks (numpy's default percentile, Hyndman-Fan type 7)";

/// Benchmarks are published to candidates only when at least this many distinct candidates (accounts) have a
/// scored interview of the type: below that, percentiles would let one candidate learn another's scores.
pub const MIN_BENCHMARK_CANDIDATES: usize = 20;

/// `GET /api/analytics/benchmarks/{interview_type}`: everyone's scored interviews of one type, as anonymous
/// aggregates.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Benchmarks {
    /// Always `"all"`: benchmarks compare with everyone who took the interview type.
    pub scope: &'static str,
    pub interview_type: InterviewType,
    /// Whether the figures are published: at least [`MIN_BENCHMARK_CANDIDATES`] distinct candidates contribute.
    pub published: bool,
    pub min_candidates: usize,
    /// Completed, scored interviews of this type; `null` when withheld.
    pub sample_size: Option<usize>,
    /// Distinct candidates (accounts) among them; `null` when withheld.
    pub candidates: Option<usize>,
    pub method: &'static str,
    /// `null` when withheld (fewer candidates than [`MIN_BENCHMARK_CANDIDATES`], to anyone but an admin).
    pub benchmarks: Option<BenchmarkSet>,
    /// What the figures are, or why there are none, in words.
    pub note: String,
}

/// Per metric: P25, P50, P75, P90, min, max, average and count; `null` where no interview has a value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BenchmarkSet {
    pub overall: Option<Distribution>,
    pub technical: Option<Distribution>,
    pub problem_solving: Option<Distribution>,
    pub communication: Option<Distribution>,
    pub code_quality: Option<Distribution>,
    pub cultural_fit: Option<Distribution>,
}

/// The distribution of every metric over everyone's scored interviews of one type (`records` must be everyone's).
/// Published when at least [`MIN_BENCHMARK_CANDIDATES`] distinct owners contribute; otherwise withheld — counts
/// and figures `null` — unless `admin`, who sees them with `published: false`.
pub fn benchmarks(
    records: &[InterviewSummary],
    interview_type: InterviewType,
    admin: bool,
) -> Benchmarks {
    let scored: Vec<&InterviewSummary> = records
        .iter()
        .filter(|r| r.interview_type == interview_type && r.is_scored())
        .collect();
    let candidates = scored
        .iter()
        .map(|r| r.owner.as_str())
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let published = candidates >= MIN_BENCHMARK_CANDIDATES;
    let shown = published || admin;
    let of = |m: Metric| Distribution::of(scored.iter().filter_map(|r| r.scores.get(m)));
    let note = if published {
        format!(
            "{} scored {interview_type} interviews by {candidates} candidates; anonymous aggregates only",
            scored.len()
        )
    } else if admin {
        format!(
            "not published to candidates yet: {candidates} of the {MIN_BENCHMARK_CANDIDATES} candidates needed (shown to admins)"
        )
    } else {
        format!(
            "not enough data yet: benchmarks appear once {MIN_BENCHMARK_CANDIDATES} candidates have completed a {interview_type} interview"
        )
    };
    Benchmarks {
        scope: "all",
        interview_type,
        published,
        min_candidates: MIN_BENCHMARK_CANDIDATES,
        sample_size: shown.then_some(scored.len()),
        candidates: shown.then_some(candidates),
        method: PERCENTILE_METHOD,
        benchmarks: shown.then(|| BenchmarkSet {
            overall: Distribution::of(scored.iter().filter_map(|r| r.overall_score)),
            technical: of(Metric::TechnicalKnowledge),
            problem_solving: of(Metric::ProblemSolving),
            communication: of(Metric::Communication),
            code_quality: of(Metric::CodeQuality),
            cultural_fit: of(Metric::CulturalFit),
        }),
        note,
    }
}

/// The fitted change over the window (points on the 0–10 scale) from which a trend is called improving or
/// declining; smaller changes are stable. Half a point is the smallest difference the scores show reliably.
pub const TREND_THRESHOLD: f64 = 0.5;

/// The shortest and longest windows `?days=` accepts, and the default.
pub const TREND_DAYS: std::ops::RangeInclusive<u32> = 1..=365;
pub const DEFAULT_TREND_DAYS: u32 = 30;

/// The direction of the scores.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    Improving,
    Declining,
    Stable,
    /// Fewer than two days with scored interviews: no line can be fitted.
    InsufficientData,
}

/// One day of the series.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DailyPoint {
    pub date: NaiveDate,
    pub average_score: f64,
    pub interviews: usize,
}

/// `GET /api/analytics/trends?days=N`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Trends {
    pub scope: &'static str,
    pub days: u32,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub trend: Trend,
    /// The least-squares line's rise from the first to the last day with data (score points); 0 without a line.
    pub change: f64,
    /// The line's slope, score points per day.
    pub slope_per_day: f64,
    /// `|change|` at or above this is improving or declining.
    pub threshold: f64,
    pub days_with_data: usize,
    pub data: Vec<DailyPoint>,
}

/// The first day of a window of `days` days ending `today`.
pub fn window_start(today: NaiveDate, days: u32) -> NaiveDate {
    today
        .checked_sub_days(Days::new(u64::from(days.saturating_sub(1))))
        .unwrap_or(today)
}

/// Daily average overall scores of the scored interviews created in the `days` days ending `today`, and the
/// least-squares trend through them (x = day number, y = that day's average; each day weighs the same).
pub fn trends(
    records: &[InterviewSummary],
    today: NaiveDate,
    days: u32,
    scope: &'static str,
) -> Trends {
    let from = window_start(today, days);
    let mut by_day: BTreeMap<NaiveDate, (usize, f64)> = BTreeMap::new();
    for r in records
        .iter()
        .filter(|r| r.is_scored() && (from..=today).contains(&r.day()))
    {
        if let Some(score) = r.overall_score.filter(|s| s.is_finite()) {
            let entry = by_day.entry(r.day()).or_insert((0, 0.0));
            entry.0 += 1;
            entry.1 += score;
        }
    }
    let data: Vec<DailyPoint> = by_day
        .iter()
        .map(|(date, (n, sum))| DailyPoint {
            date: *date,
            average_score: round2(sum / *n as f64),
            interviews: *n,
        })
        .collect();
    let points: Vec<(f64, f64)> = by_day
        .iter()
        .map(|(date, (n, sum))| ((*date - from).num_days() as f64, sum / *n as f64))
        .collect();
    let (trend, slope, change) = match least_squares_slope(&points) {
        Some(slope) => {
            let span = points.last().map_or(0.0, |p| p.0) - points.first().map_or(0.0, |p| p.0);
            let change = slope * span;
            let trend = if change >= TREND_THRESHOLD {
                Trend::Improving
            } else if change <= -TREND_THRESHOLD {
                Trend::Declining
            } else {
                Trend::Stable
            };
            (trend, slope, change)
        }
        None => (Trend::InsufficientData, 0.0, 0.0),
    };
    Trends {
        scope,
        days,
        from,
        to: today,
        trend,
        change: round2(change),
        slope_per_day: (slope * 10_000.0).round() / 10_000.0,
        threshold: TREND_THRESHOLD,
        days_with_data: data.len(),
        data,
    }
}

/// One interview in a candidate's history.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HistoryPoint {
    pub session_id: SessionId,
    pub interview_type: InterviewType,
    pub created_at: String,
    pub ended_at: Option<String>,
    pub overall_score: f64,
    pub recommendation: Option<Recommendation>,
    pub scores: MetricScores,
}

/// `GET /api/analytics/candidate/{name}/history`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CandidateHistory {
    pub scope: &'static str,
    pub candidate_name: String,
    /// Scored interviews of this candidate.
    pub total_interviews: usize,
    pub average_score: Option<f64>,
    pub best_score: Option<f64>,
    pub latest_score: Option<f64>,
    /// Latest minus first overall score; `null` with fewer than two interviews.
    pub improvement: Option<f64>,
    pub interview_types: BTreeMap<String, usize>,
    /// Oldest first.
    pub scores_over_time: Vec<HistoryPoint>,
}

/// The scored interviews whose candidate name matches `name` (case-insensitively, blanks folded as names are
/// stored), oldest first.
pub fn history(
    records: &[InterviewSummary],
    name: &CandidateName,
    scope: &'static str,
) -> CandidateHistory {
    let wanted = name.as_str().to_lowercase();
    let mut mine: Vec<&InterviewSummary> = records
        .iter()
        .filter(|r| r.is_scored() && r.candidate_name.to_lowercase() == wanted)
        .collect();
    mine.sort_by(|a, b| {
        a.created_at
            .cmp(&b.created_at)
            .then(a.session_id.cmp(&b.session_id))
    });
    let scores: Vec<f64> = mine.iter().filter_map(|r| r.overall_score).collect();
    let mut interview_types = BTreeMap::new();
    for r in &mine {
        *interview_types
            .entry(r.interview_type.to_string())
            .or_insert(0) += 1;
    }
    CandidateHistory {
        scope,
        candidate_name: name.to_string(),
        total_interviews: mine.len(),
        average_score: average(scores.iter().copied()),
        best_score: scores.iter().copied().reduce(f64::max),
        latest_score: scores.last().copied(),
        improvement: (scores.len() >= 2).then(|| round2(scores[scores.len() - 1] - scores[0])),
        interview_types,
        scores_over_time: mine
            .iter()
            .map(|r| HistoryPoint {
                session_id: r.session_id,
                interview_type: r.interview_type,
                created_at: timestamp::format(&r.created_at),
                ended_at: r.ended_at.as_ref().map(timestamp::format),
                overall_score: r.overall_score.unwrap_or(0.0),
                recommendation: r.recommendation,
                scores: r.scores,
            })
            .collect(),
    }
}

/// One interview type in the caller's own history.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TypeHistory {
    pub interview_type: InterviewType,
    pub total_interviews: usize,
    pub average_score: Option<f64>,
    pub best_score: Option<f64>,
    pub latest_score: Option<f64>,
    /// Latest minus first overall score of this type; `null` with fewer than two.
    pub improvement: Option<f64>,
    /// Oldest first.
    pub scores_over_time: Vec<HistoryPoint>,
}

/// How often one recommendation was given.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OutcomeCount {
    pub recommendation: Recommendation,
    pub count: usize,
}

/// `GET /api/analytics/history`: the caller's own scored interviews, whatever name they used.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OwnHistory {
    /// Always `"own"`, admins included: this is the signed-in candidate's history.
    pub scope: &'static str,
    pub total_interviews: usize,
    pub average_score: Option<f64>,
    pub best_score: Option<f64>,
    pub latest_score: Option<f64>,
    pub improvement: Option<f64>,
    /// One entry per interview type taken, most recently taken first.
    pub by_type: Vec<TypeHistory>,
    /// Every recommendation, strongest first (`STRONG_HIRE` … `NO_HIRE`), with how often it was given.
    pub outcomes: Vec<OutcomeCount>,
    /// All types together, oldest first.
    pub scores_over_time: Vec<HistoryPoint>,
}

fn history_point(r: &InterviewSummary) -> HistoryPoint {
    HistoryPoint {
        session_id: r.session_id,
        interview_type: r.interview_type,
        created_at: timestamp::format(&r.created_at),
        ended_at: r.ended_at.as_ref().map(timestamp::format),
        overall_score: r.overall_score.unwrap_or(0.0),
        recommendation: r.recommendation,
        scores: r.scores,
    }
}

/// Average, best, latest and improvement of scores in time order.
fn headline(scores: &[f64]) -> (Option<f64>, Option<f64>, Option<f64>, Option<f64>) {
    (
        average(scores.iter().copied()),
        scores.iter().copied().reduce(f64::max),
        scores.last().copied(),
        (scores.len() >= 2).then(|| round2(scores[scores.len() - 1] - scores[0])),
    )
}

/// The caller's own history from their summaries (`records` must be the caller's), per interview type.
pub fn own_history(records: &[InterviewSummary]) -> OwnHistory {
    let mut mine: Vec<&InterviewSummary> = records.iter().filter(|r| r.is_scored()).collect();
    mine.sort_by(|a, b| {
        a.created_at
            .cmp(&b.created_at)
            .then(a.session_id.cmp(&b.session_id))
    });
    let scores: Vec<f64> = mine.iter().filter_map(|r| r.overall_score).collect();
    let (average_score, best_score, latest_score, improvement) = headline(&scores);
    let mut types: Vec<InterviewType> = Vec::new();
    for r in mine.iter().rev() {
        if !types.contains(&r.interview_type) {
            types.push(r.interview_type);
        }
    }
    let by_type = types
        .into_iter()
        .map(|kind| {
            let of_type: Vec<&&InterviewSummary> =
                mine.iter().filter(|r| r.interview_type == kind).collect();
            let scores: Vec<f64> = of_type.iter().filter_map(|r| r.overall_score).collect();
            let (average_score, best_score, latest_score, improvement) = headline(&scores);
            TypeHistory {
                interview_type: kind,
                total_interviews: of_type.len(),
                average_score,
                best_score,
                latest_score,
                improvement,
                scores_over_time: of_type.iter().map(|r| history_point(r)).collect(),
            }
        })
        .collect();
    let outcomes = Recommendation::ALL
        .iter()
        .map(|rec| OutcomeCount {
            recommendation: *rec,
            count: mine
                .iter()
                .filter(|r| r.recommendation == Some(*rec))
                .count(),
        })
        .collect();
    OwnHistory {
        scope: "own",
        total_interviews: mine.len(),
        average_score,
        best_score,
        latest_score,
        improvement,
        by_type,
        outcomes,
        scores_over_time: mine.iter().map(|r| history_point(r)).collect(),
    }
}
