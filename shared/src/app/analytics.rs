//! Analytics for a caller: their own interviews, or everyone's for an admin. Reads summary files only (see
//! [`crate::analytics`]).

use crate::analytics::{
    self, Aggregate, Benchmarks, CandidateHistory, OwnHistory, Scope, SummaryStore, TREND_DAYS,
    Trends,
};
use crate::domain::{CandidateName, Identity, InterviewType};
use crate::ports::Clock;

use super::AppError;

/// What the analytics use cases need.
pub struct Analytics<'a> {
    pub summaries: &'a SummaryStore,
    pub clock: &'a dyn Clock,
}

/// A trend window in days, 1–365: a value outside that range cannot be made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrendDays(u32);

impl TrendDays {
    pub fn parse(raw: &str) -> Result<Self, AppError> {
        raw.trim()
            .parse::<u32>()
            .ok()
            .filter(|d| TREND_DAYS.contains(d))
            .map(Self)
            .ok_or_else(|| {
                AppError::invalid(
                    "invalid_days",
                    format!(
                        "days must be a whole number from {} to {}, got {:?}",
                        TREND_DAYS.start(),
                        TREND_DAYS.end(),
                        raw.chars().take(32).collect::<String>()
                    ),
                )
            })
    }
}

impl Default for TrendDays {
    fn default() -> Self {
        Self(analytics::DEFAULT_TREND_DAYS)
    }
}

impl Analytics<'_> {
    pub async fn aggregate(&self, caller: &Identity) -> Result<Aggregate, AppError> {
        let scope = Scope::of(caller);
        let records = self.summaries.in_scope(&scope).await?;
        Ok(analytics::queries::aggregate(&records, scope.name()))
    }

    /// Everyone's interviews of the type, whoever asks: published as anonymous aggregates from
    /// [`analytics::MIN_BENCHMARK_CANDIDATES`] distinct candidates on, withheld below (admins still see them).
    pub async fn benchmarks(
        &self,
        caller: &Identity,
        interview_type: InterviewType,
    ) -> Result<Benchmarks, AppError> {
        let records = self.summaries.in_scope(&Scope::Everyone).await?;
        Ok(analytics::queries::benchmarks(
            &records,
            interview_type,
            caller.is_admin(),
        ))
    }

    /// The caller's own scored interviews, per interview type (admins get their own too).
    pub async fn own_history(&self, caller: &Identity) -> Result<OwnHistory, AppError> {
        let records = self
            .summaries
            .in_scope(&Scope::Owner(caller.owner_key()))
            .await?;
        Ok(analytics::queries::own_history(&records))
    }

    pub async fn trends(&self, caller: &Identity, days: TrendDays) -> Result<Trends, AppError> {
        let scope = Scope::of(caller);
        let today = self.clock.now().date_naive();
        let from = analytics::queries::window_start(today, days.0);
        let records = self.summaries.in_scope_between(&scope, from, today).await?;
        Ok(analytics::queries::trends(
            &records,
            today,
            days.0,
            scope.name(),
        ))
    }

    pub async fn history(
        &self,
        caller: &Identity,
        name: &CandidateName,
    ) -> Result<CandidateHistory, AppError> {
        let scope = Scope::of(caller);
        let records = self.summaries.in_scope(&scope).await?;
        Ok(analytics::queries::history(&records, name, scope.name()))
    }
}
