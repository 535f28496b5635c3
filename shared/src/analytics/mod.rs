//! Analytics over interviews without reading session documents: a compact summary record per session, kept in a
//! few summary files, and the aggregate, benchmarks, trends and candidate history computed from them.
//!
//! # Storage layout
//! ```text
//! analytics/days/date={YYYY-MM-DD}/summaries.jsonl   every owner's sessions created that day (UTC)
//! analytics/owners/{owner_key}/summaries.jsonl        one owner's sessions, all days
//! ```
//! Each file is JSON Lines: one [`InterviewSummary`] per line (session id, owner key, candidate name, interview
//! type, status, created/ended time, duration, overall score, recommendation and the five metric scores — about
//! 400 bytes). A session's summary is written to both files when it ends (and may be written when it is created,
//! as an active session, so completion rates count sessions that never ended). Writes are upserts by session id:
//! a conditional read-modify-write (`If-Match` the ETag read, `If-None-Match: *` for a new file) retried with
//! jittered backoff, so concurrent ends never lose each other's lines and recording the same summary twice changes
//! nothing.
//!
//! Reads: a user's own analytics read their one owner file. An admin's (everyone's) aggregate, benchmarks and
//! history list `analytics/days/` and read one file per day; trends read only the files of the requested days.
//! 100,000 sessions over a year are 365 files of about 110 KB, instead of 100,000 session documents.
//!
//! Scaling beyond one process: the day files are laid out as Hive partitions, so the same objects are an Athena
//! table (`ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'`, partition projection on `date`) and the
//! benchmark percentiles become `approx_percentile(overall_score, 0.9)` grouped by `interview_type`, with no change
//! to the writers.
//!
//! # Definitions
//! - Percentiles: linear interpolation between closest ranks, numpy's default ([`stats::percentile`]).
//! - Trends: daily average overall scores; the least-squares line through them rises by `change` points from the
//!   first to the last day with data; `change` ≥ [`queries::TREND_THRESHOLD`] (0.5) is improving, ≤ −0.5
//!   declining, otherwise stable; fewer than two days with data is `insufficient_data`.
//! - Scope: callers in the `admin` group see everyone's sessions, others their own ([`Scope::of`]) — except
//!   benchmarks, which always compare with everyone who took the interview type and are published to candidates
//!   only as anonymous aggregates (percentiles, counts) once at least [`MIN_BENCHMARK_CANDIDATES`] (20) distinct
//!   candidates contribute; below that candidates get `published: false` and no figures ("not enough data yet"),
//!   while admins still see them. `GET /api/analytics/history` is always the caller's own, per interview type.

pub mod queries;
pub mod stats;
mod store;
mod summary;

pub use queries::{
    Aggregate, BenchmarkSet, Benchmarks, CandidateHistory, DEFAULT_TREND_DAYS, DailyPoint,
    HistoryPoint, MIN_BENCHMARK_CANDIDATES, OutcomeCount, OwnHistory, PERCENTILE_METHOD,
    TREND_DAYS, TREND_THRESHOLD, Trend, Trends, TypeHistory,
};
pub use stats::{Distribution, least_squares_slope, percentile};
pub use store::{AnalyticsError, Scope, SummaryStore};
pub use summary::{InterviewSummary, MetricScores, ReportHeadline};
