//! Per-user daily limits on what costs money or invites abuse: interviews started, seconds of voice answers sent to
//! the speech recogniser, and code runs. Counted per UTC day.

use std::fmt;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// What is counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuotaKind {
    /// Interviews created.
    Interviews,
    /// Seconds of spoken answers transcribed.
    VoiceSeconds,
    /// Code runs.
    CodeRuns,
}

/// The most a user may use in one UTC day; 0 means no limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuotaLimits {
    pub interviews_per_day: u32,
    pub voice_seconds_per_day: u32,
    pub code_runs_per_day: u32,
}

/// The variables (and template parameters) that set the limits.
pub const QUOTA_INTERVIEWS_ENV: &str = "PREPAI_QUOTA_INTERVIEWS_PER_DAY";
pub const QUOTA_VOICE_MINUTES_ENV: &str = "PREPAI_QUOTA_VOICE_MINUTES_PER_DAY";
pub const QUOTA_CODE_RUNS_ENV: &str = "PREPAI_QUOTA_CODE_RUNS_PER_DAY";

impl QuotaLimits {
    /// Nothing is counted (tests, and `prepai-local` unless the variables are set).
    pub const UNLIMITED: Self = Self {
        interviews_per_day: 0,
        voice_seconds_per_day: 0,
        code_runs_per_day: 0,
    };

    /// The deployed defaults: generous for someone practising every day (a 30-minute spoken interview is about 15
    /// minutes of the candidate's speech and a few dozen runs), and a bound on what one account can cost — about
    /// $10 a day at the README's per-interview figures.
    pub const DEFAULTS: Self = Self {
        interviews_per_day: 10,
        voice_seconds_per_day: 60 * 60,
        code_runs_per_day: 200,
    };

    /// The limits from the environment (whole numbers; voice in minutes), each falling back to `defaults` when
    /// unset; a value that is not a whole number is logged and the default kept.
    pub fn from_lookup(var: impl Fn(&str) -> Option<String>, defaults: Self) -> Self {
        let read = |name: &str, default: u32, scale: u32| match var(name) {
            None => default,
            Some(text) => match text.trim().parse::<u32>() {
                Ok(n) => n.saturating_mul(scale),
                Err(_) => {
                    tracing::error!(variable = name, value = %text, "not a whole number; using the default");
                    default
                }
            },
        };
        Self {
            interviews_per_day: read(QUOTA_INTERVIEWS_ENV, defaults.interviews_per_day, 1),
            voice_seconds_per_day: read(
                QUOTA_VOICE_MINUTES_ENV,
                defaults.voice_seconds_per_day,
                60,
            ),
            code_runs_per_day: read(QUOTA_CODE_RUNS_ENV, defaults.code_runs_per_day, 1),
        }
    }

    /// The limit on `kind`; `None` when unlimited.
    pub fn limit(&self, kind: QuotaKind) -> Option<u32> {
        let limit = match kind {
            QuotaKind::Interviews => self.interviews_per_day,
            QuotaKind::VoiceSeconds => self.voice_seconds_per_day,
            QuotaKind::CodeRuns => self.code_runs_per_day,
        };
        (limit > 0).then_some(limit)
    }
}

/// One user's use on one day, as stored in `quotas/{owner_key}/{date}.json`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DailyUsage {
    #[serde(default)]
    pub interviews: u32,
    #[serde(default)]
    pub voice_seconds: u32,
    #[serde(default)]
    pub code_runs: u32,
}

impl DailyUsage {
    /// How much of `kind` is used.
    pub fn used(&self, kind: QuotaKind) -> u32 {
        match kind {
            QuotaKind::Interviews => self.interviews,
            QuotaKind::VoiceSeconds => self.voice_seconds,
            QuotaKind::CodeRuns => self.code_runs,
        }
    }

    /// Adds `amount` of `kind` if that stays within `limit`; false (and unchanged) otherwise.
    pub fn spend(&mut self, kind: QuotaKind, amount: u32, limit: u32) -> bool {
        let used = self.used(kind);
        if used.saturating_add(amount) > limit {
            return false;
        }
        let slot = match kind {
            QuotaKind::Interviews => &mut self.interviews,
            QuotaKind::VoiceSeconds => &mut self.voice_seconds,
            QuotaKind::CodeRuns => &mut self.code_runs,
        };
        *slot = used + amount;
        true
    }
}

/// The day a use counts against.
pub fn quota_day(now: DateTime<Utc>) -> NaiveDate {
    now.date_naive()
}

/// Whole seconds until the next UTC midnight, when every daily quota starts again (at least 1).
pub fn seconds_until_reset(now: DateTime<Utc>) -> u64 {
    let tomorrow = (quota_day(now) + Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc())
        .unwrap_or(now);
    u64::try_from((tomorrow - now).num_seconds())
        .unwrap_or(0)
        .max(1)
}

impl fmt::Display for QuotaKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Interviews => "interviews",
            Self::VoiceSeconds => "voice",
            Self::CodeRuns => "code runs",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn limits_come_from_the_environment_with_defaults() {
        let env = HashMap::from([
            (QUOTA_INTERVIEWS_ENV, "3"),
            (QUOTA_VOICE_MINUTES_ENV, "2"),
            (QUOTA_CODE_RUNS_ENV, "lots"),
        ]);
        let limits =
            QuotaLimits::from_lookup(|k| env.get(k).map(|v| v.to_string()), QuotaLimits::DEFAULTS);
        assert_eq!(limits.interviews_per_day, 3);
        assert_eq!(limits.voice_seconds_per_day, 120);
        assert_eq!(
            limits.code_runs_per_day,
            QuotaLimits::DEFAULTS.code_runs_per_day
        );
        assert_eq!(
            QuotaLimits::from_lookup(|_| None, QuotaLimits::UNLIMITED).limit(QuotaKind::CodeRuns),
            None
        );
    }

    #[test]
    fn spending_stops_at_the_limit() {
        let mut usage = DailyUsage::default();
        assert!(usage.spend(QuotaKind::VoiceSeconds, 50, 60));
        assert!(!usage.spend(QuotaKind::VoiceSeconds, 11, 60));
        assert!(usage.spend(QuotaKind::VoiceSeconds, 10, 60));
        assert_eq!(usage.used(QuotaKind::VoiceSeconds), 60);
        assert_eq!(usage.used(QuotaKind::CodeRuns), 0);
    }

    #[test]
    fn quotas_reset_at_utc_midnight() {
        let now = DateTime::parse_from_rfc3339("2026-03-02T23:59:30Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(seconds_until_reset(now), 30);
        assert_eq!(quota_day(now).to_string(), "2026-03-02");
    }
}
