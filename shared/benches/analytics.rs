//! Analytics over 10,000 and 100,000 ended sessions on the filesystem store: the summary files are generated
//! through `SummaryStore::record_many` (a year of days, 500 owners), then each route's handler is timed for an
//! admin (every day file) and for one user (their owner file).
//!
//! `cargo bench -p prepai-shared --bench analytics`

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};
use prepai::AppContext;
use prepai::adapters::local::FsObjectStore;
use prepai::analytics::{InterviewSummary, MetricScores, SummaryStore};
use prepai::api::{ApiRequest, ApiResponse};
use prepai::domain::{ADMIN_GROUP, Identity, InterviewType, OwnerKey, SessionId, SessionStatus};
use prepai::handlers::analytics;
use prepai::ports::Clock;
use prepai::tools::performance_evaluator::Recommendation;

const OWNERS: usize = 500;
const DAYS: i64 = 365;
const ROUNDS: usize = 7;

struct Fixed(DateTime<Utc>);

impl Clock for Fixed {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

fn now() -> DateTime<Utc> {
    "2026-12-31T20:00:00Z".parse().unwrap()
}

fn generate(n: usize, rng: &mut fastrand::Rng) -> Vec<InterviewSummary> {
    (0..n)
        .map(|i| {
            let created =
                now() - TimeDelta::days(rng.i64(0..DAYS)) - TimeDelta::minutes(rng.i64(60..600));
            let overall = (rng.f64() * 10.0 * 10.0).round() / 10.0;
            let kind = InterviewType::ALL[rng.usize(0..InterviewType::ALL.len())];
            let metric = |rng: &mut fastrand::Rng| {
                Some(((overall + rng.f64() * 2.0 - 1.0).clamp(0.0, 10.0) * 10.0).round() / 10.0)
            };
            let coding = !matches!(kind, InterviewType::Behavioral);
            InterviewSummary {
                session_id: SessionId::new_random(),
                owner: OwnerKey::of(&format!("user-{}", i % OWNERS))
                    .as_str()
                    .to_owned(),
                candidate_name: format!("Candidate {}", i % (OWNERS * 2)),
                interview_type: kind,
                status: SessionStatus::Ended,
                created_at: created,
                ended_at: Some(created + TimeDelta::minutes(45)),
                duration_seconds: Some(2700.0),
                overall_score: Some(overall),
                recommendation: Some(Recommendation::for_score(overall)),
                scores: MetricScores {
                    technical_knowledge: if coding { metric(rng) } else { None },
                    problem_solving: if coding { metric(rng) } else { None },
                    communication: metric(rng),
                    code_quality: if coding && rng.bool() {
                        metric(rng)
                    } else {
                        None
                    },
                    cultural_fit: if coding { None } else { metric(rng) },
                },
            }
        })
        .collect()
}

fn request(caller: &Identity, path: &[(&str, &str)], query: &[(&str, &str)]) -> ApiRequest {
    ApiRequest {
        path_params: path
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect(),
        query: query
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect(),
        identity: Some(caller.clone()),
        ..ApiRequest::default()
    }
}

fn summarise(mut samples: Vec<Duration>) -> (f64, f64, f64) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let total: Duration = samples.iter().sum();
    (
        ms(samples[samples.len() / 2]),
        ms(*samples.last().unwrap()),
        ms(total / samples.len() as u32),
    )
}

async fn measure<F, Fut>(sessions: usize, what: &str, mut call: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<ApiResponse, prepai::api::ApiError>>,
{
    let response = call().await.unwrap();
    assert_eq!(response.status, 200);
    let mut samples = Vec::new();
    for _ in 0..ROUNDS {
        let t = Instant::now();
        let response = call().await.unwrap();
        samples.push(t.elapsed());
        assert_eq!(response.status, 200);
    }
    let (p50, max, mean) = summarise(samples);
    println!("| {sessions:>8} | {what:<40} | {p50:>9.1} | {max:>9.1} | {mean:>9.1} |");
}

async fn scenario(sessions: usize) {
    let dir = tempfile::tempdir().unwrap();
    let mut ctx = AppContext::new(Arc::new(FsObjectStore::new(dir.path())));
    ctx.clock = Arc::new(Fixed(now()));
    let store = SummaryStore::new(ctx.sessions.objects().clone());
    let mut rng = fastrand::Rng::with_seed(sessions as u64);
    let records = generate(sessions, &mut rng);
    let t = Instant::now();
    store.record_many(&records).await.unwrap();
    let generated = t.elapsed();
    let admin = Identity::new("admin", vec![ADMIN_GROUP.to_owned()]).unwrap();
    let user = Identity::new("user-7", vec![]).unwrap();
    let ctx = &ctx;
    measure(sessions, "aggregate (admin: all day files)", || {
        analytics::aggregate(ctx, request(&admin, &[], &[]))
    })
    .await;
    measure(sessions, "benchmarks Google SDE (admin)", || {
        analytics::benchmarks(
            ctx,
            request(&admin, &[("interview_type", "Google SDE")], &[]),
        )
    })
    .await;
    measure(sessions, "trends days=30 (admin: 30 day files)", || {
        analytics::trends(ctx, request(&admin, &[], &[("days", "30")]))
    })
    .await;
    measure(sessions, "trends days=365 (admin)", || {
        analytics::trends(ctx, request(&admin, &[], &[("days", "365")]))
    })
    .await;
    measure(sessions, "candidate history (admin)", || {
        analytics::candidate_history(ctx, request(&admin, &[("name", "Candidate 7")], &[]))
    })
    .await;
    measure(sessions, "aggregate (user: one owner file)", || {
        analytics::aggregate(ctx, request(&user, &[], &[]))
    })
    .await;
    measure(sessions, "trends days=30 (user)", || {
        analytics::trends(ctx, request(&user, &[], &[("days", "30")]))
    })
    .await;
    println!(
        "|          | (generation: record_many of {sessions} summaries into {} day and {OWNERS} owner files: {:.1} s) | | | |",
        DAYS,
        generated.as_secs_f64()
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    println!(
        "Analytics handlers on the filesystem store, {ROUNDS} rounds after one warm-up, milliseconds:\n"
    );
    println!(
        "| sessions | request                                  |       p50 |       max |      mean |"
    );
    println!(
        "|----------|------------------------------------------|-----------|-----------|-----------|"
    );
    scenario(10_000).await;
    scenario(100_000).await;
}
