//! Summary files over the object-store port: upserts by conditional read-modify-write with retry, reads by day, by
//! owner or of everything.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use bytes::Bytes;
use chrono::NaiveDate;
use futures::future::try_join_all;
use tokio::sync::oneshot;

use super::InterviewSummary;
use crate::domain::{Identity, OwnerKey, SessionId};
use crate::ports::{ObjectStore, Precondition, StoreError};
use crate::store::{KeyPrefix, ObjectKey, RetryPolicy};

/// What can go wrong with summary files.
#[derive(Clone, Debug, thiserror::Error)]
pub enum AnalyticsError {
    /// Writers kept colliding on one summary file beyond the retry budget; the caller may retry.
    #[error("analytics summaries at {key} are being changed by too many writers at once")]
    Contention { key: String },
    /// A summary file has a line that does not parse; writing over it would lose data, so an operator must look.
    #[error("analytics summaries at {key} are unreadable: {message}")]
    Corrupt { key: String, message: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Whose sessions an analytics request covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// One user's own sessions.
    Owner(OwnerKey),
    /// Everyone's: callers in the `admin` group.
    Everyone,
}

impl Scope {
    /// Admins see everyone's sessions, other callers their own.
    pub fn of(caller: &Identity) -> Self {
        if caller.is_admin() {
            Self::Everyone
        } else {
            Self::Owner(caller.owner_key())
        }
    }

    /// `"all"` or `"own"`, as responses say which they cover.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Owner(_) => "own",
            Self::Everyone => "all",
        }
    }

    fn admits(&self, summary: &InterviewSummary) -> bool {
        match self {
            Self::Owner(owner) => summary.owner == owner.as_str(),
            Self::Everyone => true,
        }
    }
}

/// How many summary files are read or written at once.
const READ_CONCURRENCY: usize = 16;

/// One change to a summary file.
#[derive(Clone)]
enum Change {
    Put(InterviewSummary),
    Remove(SessionId),
}

/// Group commit for summary files within one process: writers of a file queue their changes, and one of them at a
/// time — the first to get the file's turn — applies everything queued for it in one read-modify-write. Without
/// it, every session created or ended in a day rewrites that day's file in its own conditional write, and under
/// load those writes collide and retry each other out (each retry re-reading a file that grows with the day).
/// Writers in other processes (other Lambdas) are still kept apart by the conditional write.
struct GroupCommit {
    queued: std::sync::Mutex<HashMap<ObjectKey, Vec<Queued>>>,
    turns: Vec<tokio::sync::Mutex<()>>,
}

/// A writer's changes and where its outcome goes.
type Queued = (Vec<Change>, oneshot::Sender<Result<(), AnalyticsError>>);

const COMMIT_STRIPES: usize = 16;

impl GroupCommit {
    fn new() -> Self {
        Self {
            queued: std::sync::Mutex::new(HashMap::new()),
            turns: (0..COMMIT_STRIPES)
                .map(|_| tokio::sync::Mutex::new(()))
                .collect(),
        }
    }

    fn turn_for(&self, key: &ObjectKey) -> &tokio::sync::Mutex<()> {
        let hash = key
            .as_str()
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            });
        // The modulo keeps the index below COMMIT_STRIPES, so the conversion cannot truncate.
        &self.turns[(hash % COMMIT_STRIPES as u64) as usize]
    }

    fn enqueue(&self, key: &ObjectKey, queued: Queued) {
        if let Ok(mut all) = self.queued.lock() {
            all.entry(key.clone()).or_default().push(queued);
        }
    }

    fn take(&self, key: &ObjectKey) -> Vec<Queued> {
        self.queued
            .lock()
            .ok()
            .and_then(|mut all| all.remove(key))
            .unwrap_or_default()
    }
}

/// The summary files.
#[derive(Clone)]
pub struct SummaryStore {
    objects: Arc<dyn ObjectStore>,
    retry: RetryPolicy,
    commits: Arc<GroupCommit>,
}

impl SummaryStore {
    pub fn new(objects: Arc<dyn ObjectStore>) -> Self {
        Self {
            objects,
            retry: RetryPolicy::default(),
            commits: Arc::new(GroupCommit::new()),
        }
    }

    /// Replaces the retry policy (tests provoke contention with a tight one).
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Inserts or replaces (by session id) a session's summary in its day file and its owner's file. Idempotent:
    /// recording the same summary twice writes nothing the second time.
    pub async fn record(&self, summary: &InterviewSummary) -> Result<(), AnalyticsError> {
        self.record_many(std::slice::from_ref(summary)).await
    }

    /// Records many summaries with one read-modify-write per file touched (backfills, benchmarks).
    pub async fn record_many(&self, summaries: &[InterviewSummary]) -> Result<(), AnalyticsError> {
        let mut by_key: BTreeMap<ObjectKey, Vec<Change>> = BTreeMap::new();
        for s in summaries {
            by_key
                .entry(ObjectKey::analytics_day(s.day()))
                .or_default()
                .push(Change::Put(s.clone()));
            by_key
                .entry(owner_file(s)?)
                .or_default()
                .push(Change::Put(s.clone()));
        }
        let files: Vec<(ObjectKey, Vec<Change>)> = by_key.into_iter().collect();
        for batch in files.chunks(READ_CONCURRENCY) {
            try_join_all(batch.iter().map(|(key, changes)| self.apply(key, changes))).await?;
        }
        Ok(())
    }

    /// Removes a session's summary from its day and owner files (for session deletion).
    pub async fn forget(&self, summary: &InterviewSummary) -> Result<(), AnalyticsError> {
        let change = [Change::Remove(summary.session_id)];
        self.apply(&ObjectKey::analytics_day(summary.day()), &change)
            .await?;
        self.apply(&owner_file(summary)?, &change).await
    }

    /// The summaries of sessions created on `date`, every owner's.
    pub async fn day(&self, date: NaiveDate) -> Result<Vec<InterviewSummary>, AnalyticsError> {
        self.read_lenient(&ObjectKey::analytics_day(date)).await
    }

    /// One owner's summaries.
    pub async fn owner(&self, owner: &OwnerKey) -> Result<Vec<InterviewSummary>, AnalyticsError> {
        self.read_lenient(&ObjectKey::analytics_owner(owner)).await
    }

    /// Every summary: one listing of the day files and one read per day.
    pub async fn everyone(&self) -> Result<Vec<InterviewSummary>, AnalyticsError> {
        let keys = self.objects.list(&KeyPrefix::analytics_days()).await?;
        let keys: Vec<ObjectKey> = keys
            .into_iter()
            .filter(|k| k.analytics_day_of().is_some())
            .collect();
        self.read_all(keys).await
    }

    /// The summaries a scope covers.
    pub async fn in_scope(&self, scope: &Scope) -> Result<Vec<InterviewSummary>, AnalyticsError> {
        match scope {
            Scope::Owner(owner) => self.owner(owner).await,
            Scope::Everyone => self.everyone().await,
        }
    }

    /// The summaries a scope covers of sessions created from `from` to `to` (inclusive): for everyone, only those
    /// days' files are read.
    pub async fn in_scope_between(
        &self,
        scope: &Scope,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<InterviewSummary>, AnalyticsError> {
        let within = |s: &InterviewSummary| (from..=to).contains(&s.day());
        match scope {
            Scope::Owner(owner) => Ok(self
                .owner(owner)
                .await?
                .into_iter()
                .filter(within)
                .collect()),
            Scope::Everyone => {
                let keys: Vec<ObjectKey> = from
                    .iter_days()
                    .take_while(|d| *d <= to)
                    .map(ObjectKey::analytics_day)
                    .collect();
                Ok(self
                    .read_all(keys)
                    .await?
                    .into_iter()
                    .filter(|s| scope.admits(s) && within(s))
                    .collect())
            }
        }
    }

    async fn read_all(
        &self,
        keys: Vec<ObjectKey>,
    ) -> Result<Vec<InterviewSummary>, AnalyticsError> {
        let mut out = Vec::new();
        for batch in keys.chunks(READ_CONCURRENCY) {
            let files = try_join_all(batch.iter().map(|key| self.read_lenient(key))).await?;
            out.extend(files.into_iter().flatten());
        }
        Ok(out)
    }

    /// Reads a file, skipping (and logging) lines that do not parse, so one bad line never hides a whole day.
    async fn read_lenient(&self, key: &ObjectKey) -> Result<Vec<InterviewSummary>, AnalyticsError> {
        let Some(object) = self.objects.get(key).await? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for (n, line) in lines(&object.body).enumerate() {
            match serde_json::from_slice::<InterviewSummary>(line) {
                Ok(s) => out.push(s),
                Err(e) => {
                    tracing::warn!(key = %key, line = n + 1, error = %e, "skipping unreadable summary line")
                }
            }
        }
        Ok(out)
    }

    /// Applies `changes` to one file together with whatever other writers in this process have queued for it
    /// (see [`GroupCommit`]); returns once a write containing them has landed, or with that write's error.
    async fn apply(&self, key: &ObjectKey, changes: &[Change]) -> Result<(), AnalyticsError> {
        let (done, outcome) = oneshot::channel();
        self.commits.enqueue(key, (changes.to_vec(), done));
        {
            let _turn = self.commits.turn_for(key).lock().await;
            let batch = self.commits.take(key);
            if !batch.is_empty() {
                let all: Vec<Change> = batch
                    .iter()
                    .flat_map(|(changes, _)| changes.iter().cloned())
                    .collect();
                let result = self.apply_now(key, &all).await;
                for (_, done) in batch {
                    let _ = done.send(result.clone());
                }
            }
        }
        match outcome.await {
            Ok(result) => result,
            // The writer that took these changes was cancelled before it wrote them: write them ourselves.
            Err(_) => self.apply_now(key, changes).await,
        }
    }

    /// Read-modify-write of one file with `If-Match` (or `If-None-Match` for a new file), retried with jittered
    /// backoff when another writer got in first; skipped when the changes change nothing.
    async fn apply_now(&self, key: &ObjectKey, changes: &[Change]) -> Result<(), AnalyticsError> {
        for attempt in 0..self.retry.max_attempts {
            let current = self.objects.get(key).await?;
            let mut records: Vec<InterviewSummary> = match &current {
                Some(object) => lines(&object.body)
                    .enumerate()
                    .map(|(n, line)| {
                        serde_json::from_slice(line).map_err(|e| AnalyticsError::Corrupt {
                            key: key.to_string(),
                            message: format!("line {}: {e}", n + 1),
                        })
                    })
                    .collect::<Result<_, _>>()?,
                None => Vec::new(),
            };
            let mut changed = false;
            for change in changes {
                match change {
                    Change::Put(s) => {
                        match records.iter_mut().find(|r| r.session_id == s.session_id) {
                            Some(existing) if existing == s => {}
                            Some(existing) => {
                                *existing = s.clone();
                                changed = true;
                            }
                            None => {
                                records.push(s.clone());
                                changed = true;
                            }
                        }
                    }
                    Change::Remove(id) => {
                        let before = records.len();
                        records.retain(|r| r.session_id != *id);
                        changed |= records.len() != before;
                    }
                }
            }
            if !changed {
                return Ok(());
            }
            records.sort_by(|a, b| {
                a.created_at
                    .cmp(&b.created_at)
                    .then(a.session_id.cmp(&b.session_id))
            });
            let precondition = match current {
                Some(object) => Precondition::IfMatch(object.etag),
                None => Precondition::IfAbsent,
            };
            match self
                .objects
                .put(key, encode(key, &records)?, precondition)
                .await
            {
                Ok(_) => return Ok(()),
                Err(StoreError::PreconditionFailed { .. }) => {
                    tokio::time::sleep(backoff(&self.retry, attempt)).await
                }
                Err(other) => return Err(other.into()),
            }
        }
        tracing::warn!(key = %key, "summary update gave up after {} attempts", self.retry.max_attempts);
        Err(AnalyticsError::Contention {
            key: key.to_string(),
        })
    }
}

/// The owner file of a summary, whose `owner` is an [`OwnerKey`]'s text (hashing it again would name another file).
fn owner_file(summary: &InterviewSummary) -> Result<ObjectKey, AnalyticsError> {
    ObjectKey::analytics_owner_hex(&summary.owner).ok_or_else(|| AnalyticsError::Corrupt {
        key: format!("summary of session {}", summary.session_id),
        message: format!("owner {:?} is not an owner key", summary.owner),
    })
}

fn lines(body: &[u8]) -> impl Iterator<Item = &[u8]> {
    body.split(|b| *b == b'\n')
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
}

fn encode(key: &ObjectKey, records: &[InterviewSummary]) -> Result<Bytes, AnalyticsError> {
    let mut out = Vec::with_capacity(records.len() * 420);
    for r in records {
        serde_json::to_writer(&mut out, r).map_err(|e| AnalyticsError::Corrupt {
            key: key.to_string(),
            message: e.to_string(),
        })?;
        out.push(b'\n');
    }
    Ok(Bytes::from(out))
}

/// Full-jitter exponential backoff within the session store's policy.
fn backoff(policy: &RetryPolicy, attempt: u32) -> std::time::Duration {
    let ceiling = policy
        .base_delay
        .saturating_mul(1 << attempt.min(16))
        .min(policy.max_delay);
    ceiling.mul_f64(fastrand::f64())
}
