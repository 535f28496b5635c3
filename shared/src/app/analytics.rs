//! Analytics for a caller: their own interviews, or everyone's for an admin. Reads summary files only (see
//! [`crate::analytics`]).

use crate::analytics::{
    self, Aggregate, Benchmarks, CandidateHistory, Scope, SummaryStore, TREND_DAYS, Trends,
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

    pub async fn benchmarks(
        &self,
        caller: &Identity,
        interview_type: InterviewType,
    ) -> Result<Benchmarks, AppError> {
        let scope = Scope::of(caller);
        let records = self.summaries.in_scope(&scope).await?;
        Ok(analytics::queries::benchmarks(
            &records,
            interview_type,
            scope.name(),
        ))
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
