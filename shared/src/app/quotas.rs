//! Daily quotas, checked where the cost is incurred: creating an interview, transcribing a spoken answer, running
//! code. A refusal is [`AppError::TooManyRequests`] (`quota_exceeded`): a 429 with `Retry-After` on REST, an `error`
//! message on the socket.

use crate::domain::{OwnerKey, QuotaKind, QuotaLimits, quota_day, seconds_until_reset};
use crate::ports::Clock;
use crate::store::{QuotaStore, Spend};

use super::AppError;

/// What checking quotas needs.
pub struct Quotas<'a> {
    pub store: &'a QuotaStore,
    pub limits: QuotaLimits,
    pub clock: &'a dyn Clock,
}

impl Quotas<'_> {
    /// Counts `amount` of `kind` for `owner` today, or refuses if that would pass the day's limit (nothing is
    /// counted then). Unlimited kinds are not counted at all.
    pub async fn spend(
        &self,
        owner: &OwnerKey,
        kind: QuotaKind,
        amount: u32,
    ) -> Result<(), AppError> {
        let Some(limit) = self.limits.limit(kind) else {
            return Ok(());
        };
        let now = self.clock.now();
        match self
            .store
            .spend(owner, quota_day(now), kind, amount, limit)
            .await?
        {
            Spend::Granted { .. } => Ok(()),
            Spend::Refused { used } => {
                tracing::info!(%kind, used, limit, "quota refused");
                Err(exceeded(kind, limit, seconds_until_reset(now)))
            }
        }
    }

    /// Refuses when `kind` is already used up today (before recording a spoken answer, so a candidate out of voice
    /// minutes is told at once rather than after speaking).
    pub async fn ensure_left(&self, owner: &OwnerKey, kind: QuotaKind) -> Result<(), AppError> {
        let Some(limit) = self.limits.limit(kind) else {
            return Ok(());
        };
        let now = self.clock.now();
        let usage = self.store.usage(owner, quota_day(now)).await?;
        if usage.used(kind) >= limit {
            return Err(exceeded(kind, limit, seconds_until_reset(now)));
        }
        Ok(())
    }
}

fn exceeded(kind: QuotaKind, limit: u32, retry_after_seconds: u64) -> AppError {
    let wait = match retry_after_seconds {
        s if s >= 3600 => format!("{} h {} min", s / 3600, (s % 3600) / 60),
        s => format!("{} min", s.div_ceil(60)),
    };
    let message = match kind {
        QuotaKind::Interviews => format!(
            "you have started {limit} interviews today, the most one day allows; you can start another after \
             midnight UTC (in {wait})"
        ),
        QuotaKind::VoiceSeconds => format!(
            "you have used today's {} minutes of spoken answers; type your answers, or speak again after midnight \
             UTC (in {wait})",
            limit / 60
        ),
        QuotaKind::CodeRuns => format!(
            "you have run code {limit} times today, the most one day allows; you can run code again after midnight \
             UTC (in {wait})"
        ),
    };
    AppError::TooManyRequests {
        code: "quota_exceeded",
        message,
        retry_after_seconds,
    }
}
