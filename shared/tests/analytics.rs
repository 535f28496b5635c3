//! The analytics routes over summary files: percentiles against hand-computed values, trends on synthetic series,
//! history per candidate, scope (own vs admin), parameter validation, and the summary store's upserts.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use http::StatusCode;
use prepai::AppContext;
use prepai::adapters::local::FsObjectStore;
use prepai::analytics::{InterviewSummary, MetricScores, SummaryStore};
use prepai::api::{ApiError, ApiRequest};
use prepai::domain::{
    ADMIN_GROUP, Identity, InterviewType, OwnerKey, SessionId, SessionStatus, timestamp,
};
use prepai::handlers::analytics;
use prepai::ports::Clock;
use prepai::store::ObjectKey;
use prepai::tools::performance_evaluator::Recommendation;
use serde_json::{Value, json};

struct FixedClock(Mutex<DateTime<Utc>>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

const TODAY: &str = "2026-03-31T18:00:00Z";

fn at(s: &str) -> DateTime<Utc> {
    timestamp::parse(s).unwrap()
}

fn context() -> (AppContext, SummaryStore, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut ctx = AppContext::new(Arc::new(FsObjectStore::new(dir.path())));
    ctx.clock = Arc::new(FixedClock(Mutex::new(at(TODAY))));
    let store = SummaryStore::new(ctx.sessions.objects().clone());
    (ctx, store, dir)
}

fn user(sub: &str) -> Identity {
    Identity::new(sub, vec![]).unwrap()
}

fn admin() -> Identity {
    Identity::new("root", vec![ADMIN_GROUP.to_owned()]).unwrap()
}

/// An ended, scored interview of `owner`'s, created `days_ago` days before [`TODAY`].
fn ended(
    owner: &str,
    name: &str,
    kind: InterviewType,
    days_ago: i64,
    overall: f64,
) -> InterviewSummary {
    let created = at(TODAY) - Duration::days(days_ago) - Duration::hours(2);
    InterviewSummary {
        session_id: SessionId::new_random(),
        owner: OwnerKey::of(owner).as_str().to_owned(),
        candidate_name: name.to_owned(),
        interview_type: kind,
        status: SessionStatus::Ended,
        created_at: created,
        ended_at: Some(created + Duration::minutes(30)),
        duration_seconds: Some(1800.0),
        overall_score: Some(overall),
        recommendation: Some(Recommendation::for_score(overall)),
        scores: MetricScores {
            technical_knowledge: Some(overall),
            problem_solving: Some((overall - 1.0).max(0.0)),
            communication: Some(overall),
            code_quality: None,
            cultural_fit: Some(overall / 2.0),
        },
    }
}

fn active(owner: &str, name: &str) -> InterviewSummary {
    InterviewSummary {
        status: SessionStatus::Active,
        ended_at: None,
        duration_seconds: None,
        overall_score: None,
        recommendation: None,
        scores: MetricScores::default(),
        ..ended(owner, name, InterviewType::Coding, 0, 0.0)
    }
}

fn get(caller: &Identity, path: &[(&str, &str)], query: &[(&str, &str)]) -> ApiRequest {
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

fn ok(result: Result<prepai::api::ApiResponse, ApiError>) -> Value {
    let response = result.unwrap_or_else(|e| e.into_response());
    assert_eq!(response.status, StatusCode::OK, "{}", response.body_json());
    response.body_json()
}

fn status(result: Result<prepai::api::ApiResponse, ApiError>) -> (StatusCode, Value) {
    let response = result.unwrap_or_else(|e| e.into_response());
    (response.status, response.body_json())
}

#[tokio::test]
async fn benchmarks_give_numpy_percentiles_per_metric() {
    let (ctx, store, _dir) = context();
    let mut records: Vec<InterviewSummary> = [2.0, 10.0, 4.0, 8.0, 6.0]
        .iter()
        .enumerate()
        .map(|(i, s)| ended("u1", "A", InterviewType::GoogleSde, i as i64, *s))
        .collect();
    records.push(ended("u2", "B", InterviewType::AwsSa, 1, 9.9));
    records.push(active("u1", "A"));
    store.record_many(&records).await.unwrap();

    let body = ok(analytics::benchmarks(
        &ctx,
        get(&admin(), &[("interview_type", "Google SDE")], &[]),
    )
    .await);
    assert_eq!(body["sample_size"], 5);
    assert!(body["method"].as_str().unwrap().contains("numpy"));
    // Hand-computed, numpy.percentile([2, 4, 6, 8, 10], q): h = 4q; P25 = 4, P50 = 6, P75 = 8, P90 = 8 + 0.6 * 2.
    assert_eq!(
        body["benchmarks"]["overall"],
        json!({"count": 5, "min": 2.0, "max": 10.0, "average": 6.0, "p25": 4.0, "p50": 6.0, "p75": 8.0, "p90": 9.2})
    );
    // problem_solving = overall - 1 → [1, 3, 5, 7, 9]; cultural_fit = overall / 2 → [1, 2, 3, 4, 5].
    assert_eq!(body["benchmarks"]["problem_solving"]["p90"], 8.2);
    assert_eq!(body["benchmarks"]["cultural_fit"]["p25"], 2.0);
    assert_eq!(body["benchmarks"]["cultural_fit"]["p90"], 4.6);
    assert!(
        body["benchmarks"]["code_quality"].is_null(),
        "no interview assessed code"
    );

    // Four values: numpy.percentile([1, 2, 3, 4], [25, 50, 75, 90]) = [1.75, 2.5, 3.25, 3.7].
    let (ctx4, store4, _dir4) = context();
    let four: Vec<InterviewSummary> = [4.0, 1.0, 3.0, 2.0]
        .iter()
        .map(|s| ended("u1", "A", InterviewType::Behavioral, 3, *s))
        .collect();
    store4.record_many(&four).await.unwrap();
    let body = ok(analytics::benchmarks(
        &ctx4,
        get(&admin(), &[("interview_type", "behavioral")], &[]),
    )
    .await);
    let overall = &body["benchmarks"]["overall"];
    assert_eq!(
        (overall["p25"].clone(), overall["p50"].clone()),
        (json!(1.75), json!(2.5))
    );
    assert_eq!(
        (overall["p75"].clone(), overall["p90"].clone()),
        (json!(3.25), json!(3.7))
    );
    assert_eq!(body["scope"], "all");
    assert_eq!(
        body["published"], false,
        "one candidate is not enough to publish"
    );
}

/// Benchmarks compare with everyone who took the type, whoever asks, and are published to candidates only once 20
/// distinct candidates (not interviews) contribute; admins see them before that.
#[tokio::test]
async fn benchmarks_are_everyones_and_withheld_below_twenty_candidates() {
    let (ctx, store, _dir) = context();
    // 19 candidates, one of them with many interviews: still 19.
    let mut records: Vec<InterviewSummary> = (0..19)
        .map(|i| {
            ended(
                &format!("c{i}"),
                "X",
                InterviewType::Coding,
                1,
                5.0 + f64::from(i) / 10.0,
            )
        })
        .collect();
    records.extend((0..10).map(|d| ended("c0", "X", InterviewType::Coding, d, 9.0)));
    records.push(ended("other", "Y", InterviewType::Behavioral, 1, 1.0));
    store.record_many(&records).await.unwrap();
    let ask = |who: Identity| get(&who, &[("interview_type", "Coding")], &[]);

    let withheld = ok(analytics::benchmarks(&ctx, ask(user("c3"))).await);
    assert_eq!(withheld["published"], false);
    assert_eq!(withheld["min_candidates"], 20);
    assert!(withheld["benchmarks"].is_null(), "{withheld}");
    assert!(withheld["sample_size"].is_null() && withheld["candidates"].is_null());
    assert!(
        withheld["note"]
            .as_str()
            .unwrap()
            .contains("not enough data yet")
    );
    let outsider = ok(analytics::benchmarks(&ctx, ask(user("nobody"))).await);
    assert_eq!(outsider, withheld, "the same answer whoever asks");

    let admin_view = ok(analytics::benchmarks(&ctx, ask(admin())).await);
    assert_eq!(admin_view["published"], false);
    assert_eq!(admin_view["candidates"], 19);
    assert_eq!(admin_view["sample_size"], 29);
    assert!(admin_view["benchmarks"]["overall"]["p50"].is_number());

    store
        .record(&ended("c19", "Z", InterviewType::Coding, 2, 4.0))
        .await
        .unwrap();
    let published = ok(analytics::benchmarks(&ctx, ask(user("nobody"))).await);
    assert_eq!(published["published"], true, "{published}");
    assert_eq!(published["candidates"], 20);
    assert_eq!(published["sample_size"], 30);
    assert_eq!(published["scope"], "all");
    assert_eq!(published["benchmarks"]["overall"]["min"], 4.0);
    assert_eq!(published["benchmarks"]["overall"]["max"], 9.0);
    assert!(
        !published
            .to_string()
            .contains(&OwnerKey::of("c3").as_str().to_owned()),
        "no owner appears in the aggregates"
    );
}

/// `GET /api/analytics/history`: the caller's own scored interviews, whatever name they gave, per type, with the
/// outcomes strongest first; never anyone else's, admins included.
#[tokio::test]
async fn own_history_is_per_type_and_names_no_one() {
    let (ctx, store, _dir) = context();
    store
        .record_many(&[
            ended("me", "Ada", InterviewType::Coding, 9, 4.0),
            ended("me", "Ada Lovelace", InterviewType::Coding, 5, 6.0),
            ended("me", "A. L.", InterviewType::Behavioral, 3, 8.8),
            ended("me", "Ada", InterviewType::Coding, 1, 7.5),
            active("me", "Ada"),
            ended("someone", "Ada", InterviewType::Coding, 2, 1.0),
        ])
        .await
        .unwrap();
    let body = ok(analytics::own_history(&ctx, get(&user("me"), &[], &[])).await);
    assert_eq!(body["scope"], "own");
    assert_eq!(body["total_interviews"], 4);
    assert_eq!(body["best_score"], 8.8);
    assert_eq!(body["latest_score"], 7.5);
    assert_eq!(body["improvement"], 3.5);
    let types: Vec<&str> = body["by_type"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["interview_type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["Coding", "Behavioral"], "most recently taken first");
    let coding = &body["by_type"][0];
    assert_eq!(coding["total_interviews"], 3);
    assert_eq!(coding["improvement"], 3.5);
    let scores: Vec<f64> = coding["scores_over_time"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["overall_score"].as_f64().unwrap())
        .collect();
    assert_eq!(scores, [4.0, 6.0, 7.5]);
    let outcomes: Vec<(&str, u64)> = body["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["recommendation"].as_str().unwrap(),
                o["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        outcomes,
        [
            ("STRONG_HIRE", 1),
            ("HIRE", 1),
            ("LEAN_HIRE", 1),
            ("LEAN_NO_HIRE", 1),
            ("NO_HIRE", 0)
        ]
    );
    let admin_own = ok(analytics::own_history(&ctx, get(&admin(), &[], &[])).await);
    assert_eq!(
        admin_own["total_interviews"], 0,
        "an admin's history is their own"
    );
    let (code, _) = status(analytics::own_history(&ctx, ApiRequest::default()).await);
    assert_eq!(code, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn benchmarks_name_the_valid_types_and_decode_the_path() {
    let (ctx, store, _dir) = context();
    store
        .record(&ended("u1", "A", InterviewType::AwsSa, 0, 7.0))
        .await
        .unwrap();
    let encoded = ok(analytics::benchmarks(
        &ctx,
        get(&admin(), &[("interview_type", "AWS%20SA")], &[]),
    )
    .await);
    assert_eq!(encoded["interview_type"], "AWS SA");
    assert_eq!(encoded["sample_size"], 1);
    let (code, body) = status(
        analytics::benchmarks(
            &ctx,
            get(&user("u1"), &[("interview_type", "Netflix SDE")], &[]),
        )
        .await,
    );
    assert_eq!(code, StatusCode::BAD_REQUEST);
    let message = body["error"]["message"].as_str().unwrap();
    for t in InterviewType::ALL {
        assert!(message.contains(t.as_str()), "{message}");
    }
}

#[tokio::test]
async fn trends_fit_a_line_through_daily_averages() {
    // Rising 0.1 a day over 30 days (two interviews a day, averaging the line): improving by 2.9.
    let (ctx, store, _dir) = context();
    let mut rising = Vec::new();
    for d in 0..30 {
        let y = 5.0 + 0.1 * f64::from(29 - d as i32);
        rising.push(ended("u1", "A", InterviewType::Coding, d, y - 0.5));
        rising.push(ended("u1", "A", InterviewType::Coding, d, y + 0.5));
    }
    store.record_many(&rising).await.unwrap();
    let body = ok(analytics::trends(&ctx, get(&user("u1"), &[], &[])).await);
    assert_eq!(body["days"], 30);
    assert_eq!(body["from"], "2026-03-02");
    assert_eq!(body["to"], "2026-03-31");
    assert_eq!(body["trend"], "improving");
    assert_eq!(body["change"], 2.9);
    assert_eq!(body["slope_per_day"], 0.1);
    assert_eq!(body["threshold"], 0.5);
    assert_eq!(body["days_with_data"], 30);
    assert_eq!(
        body["data"][0],
        json!({"date": "2026-03-02", "average_score": 5.0, "interviews": 2})
    );
    assert_eq!(body["data"][29]["average_score"], 7.9);

    // A 7-day window sees only the last week, still rising by 0.6: improving.
    let week = ok(analytics::trends(&ctx, get(&user("u1"), &[], &[("days", "7")])).await);
    assert_eq!(week["days_with_data"], 7);
    assert_eq!(week["change"], 0.6);
    assert_eq!(week["trend"], "improving");

    // The admin's trend over everyone reads the same day files.
    let all = ok(analytics::trends(&ctx, get(&admin(), &[], &[])).await);
    assert_eq!(all["change"], 2.9);
    assert_eq!(all["scope"], "all");

    // Falling by 0.05 a day over 10 days: change -0.45, within the threshold: stable. Falling 0.1: declining.
    for (per_day, expected) in [(0.05, "stable"), (0.1, "declining")] {
        let (ctx, store, _dir) = context();
        let series: Vec<InterviewSummary> = (0..10)
            .map(|d| {
                ended(
                    "u1",
                    "A",
                    InterviewType::Coding,
                    d,
                    6.0 + per_day * f64::from(d as i32),
                )
            })
            .collect();
        store.record_many(&series).await.unwrap();
        let body = ok(analytics::trends(&ctx, get(&user("u1"), &[], &[("days", "10")])).await);
        assert_eq!(body["trend"], expected, "{body}");
    }

    // One day of data cannot make a line.
    let (ctx, store, _dir) = context();
    store
        .record(&ended("u1", "A", InterviewType::Coding, 0, 6.0))
        .await
        .unwrap();
    let body = ok(analytics::trends(&ctx, get(&user("u1"), &[], &[])).await);
    assert_eq!(body["trend"], "insufficient_data");
    assert_eq!(body["change"], 0.0);
}

#[tokio::test]
async fn trends_days_must_be_1_to_365() {
    let (ctx, _store, _dir) = context();
    for bad in ["0", "366", "-3", "abc", "7.5"] {
        let (code, body) =
            status(analytics::trends(&ctx, get(&user("u1"), &[], &[("days", bad)])).await);
        assert_eq!(code, StatusCode::BAD_REQUEST, "{bad}");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("from 1 to 365"),
            "{body}"
        );
    }
    for good in ["1", "365"] {
        let body = ok(analytics::trends(&ctx, get(&user("u1"), &[], &[("days", good)])).await);
        assert_eq!(body["days"].to_string(), good);
    }
}

#[tokio::test]
async fn history_is_per_candidate_and_per_owner() {
    let (ctx, store, _dir) = context();
    store
        .record_many(&[
            ended("u1", "Ada Lovelace", InterviewType::GoogleSde, 20, 5.0),
            ended("u1", "Ada Lovelace", InterviewType::Coding, 10, 6.5),
            ended("u1", "Ada Lovelace", InterviewType::GoogleSde, 1, 8.0),
            ended("u1", "Grace Hopper", InterviewType::Coding, 2, 9.0),
            ended("u2", "Ada Lovelace", InterviewType::Behavioral, 5, 3.0),
            active("u1", "Ada Lovelace"),
        ])
        .await
        .unwrap();
    let mine = ok(analytics::candidate_history(
        &ctx,
        get(&user("u1"), &[("name", "ada  LOVELACE")], &[]),
    )
    .await);
    assert_eq!(mine["candidate_name"], "ada LOVELACE");
    assert_eq!(mine["total_interviews"], 3);
    let scores: Vec<f64> = mine["scores_over_time"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["overall_score"].as_f64().unwrap())
        .collect();
    assert_eq!(scores, [5.0, 6.5, 8.0], "oldest first");
    assert_eq!(mine["average_score"], 6.5);
    assert_eq!(mine["best_score"], 8.0);
    assert_eq!(mine["latest_score"], 8.0);
    assert_eq!(mine["improvement"], 3.0);
    assert_eq!(
        mine["interview_types"],
        json!({"Coding": 1, "Google SDE": 2})
    );

    // The admin also sees u2's interview of the same name; the encoded name decodes.
    let all = ok(analytics::candidate_history(
        &ctx,
        get(&admin(), &[("name", "Ada%20Lovelace")], &[]),
    )
    .await);
    assert_eq!(all["total_interviews"], 4);
    // Someone else sees none of u1's.
    let other = ok(analytics::candidate_history(
        &ctx,
        get(&user("u3"), &[("name", "Ada Lovelace")], &[]),
    )
    .await);
    assert_eq!(other["total_interviews"], 0);
    assert!(other["improvement"].is_null());
    let (code, _) =
        status(analytics::candidate_history(&ctx, get(&user("u1"), &[("name", "   ")], &[])).await);
    assert_eq!(code, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn aggregate_counts_own_sessions_or_everyones() {
    let (ctx, store, _dir) = context();
    store
        .record_many(&[
            ended("u1", "A", InterviewType::GoogleSde, 1, 9.0),
            ended("u1", "A", InterviewType::Coding, 2, 5.0),
            active("u1", "A"),
            ended("u2", "B", InterviewType::Behavioral, 3, 2.0),
        ])
        .await
        .unwrap();
    let mine = ok(analytics::aggregate(&ctx, get(&user("u1"), &[], &[])).await);
    assert_eq!(mine["scope"], "own");
    assert_eq!(mine["total_interviews"], 3);
    assert_eq!(mine["completed_interviews"], 2);
    assert_eq!(mine["active_interviews"], 1);
    assert_eq!(mine["completion_rate"], 0.67);
    assert_eq!(mine["average_score"], 7.0);
    assert_eq!(mine["average_duration_seconds"], 1800.0);
    assert_eq!(mine["average_scores"]["cultural_fit"], 3.5);
    assert!(mine["average_scores"]["code_quality"].is_null());
    assert_eq!(
        mine["interview_type_distribution"],
        json!({"Coding": 2, "Google SDE": 1})
    );
    assert_eq!(mine["recommendation_distribution"]["STRONG_HIRE"], 1);
    assert_eq!(mine["recommendation_distribution"]["LEAN_NO_HIRE"], 1);
    assert_eq!(mine["recommendation_distribution"]["HIRE"], 0);

    let all = ok(analytics::aggregate(&ctx, get(&admin(), &[], &[])).await);
    assert_eq!(all["scope"], "all");
    assert_eq!(all["total_interviews"], 4);
    assert_eq!(all["average_score"], 5.33);

    let nobody = ok(analytics::aggregate(&ctx, get(&user("u9"), &[], &[])).await);
    assert_eq!(nobody["total_interviews"], 0);
    assert_eq!(nobody["completion_rate"], 0.0);
    assert!(nobody["average_score"].is_null());

    let anonymous = ApiRequest::default();
    let (code, _) = status(analytics::aggregate(&ctx, anonymous).await);
    assert_eq!(code, StatusCode::UNAUTHORIZED);

    // Both entrances spawn handler futures, so every analytics handler must be `Send`.
    let spawned = |ctx: AppContext, req: ApiRequest| {
        tokio::spawn(async move {
            let mut statuses = Vec::new();
            statuses.push(
                analytics::aggregate(&ctx, req.clone())
                    .await
                    .map(|r| r.status),
            );
            statuses.push(
                analytics::benchmarks(&ctx, req.clone())
                    .await
                    .map(|r| r.status),
            );
            statuses.push(analytics::trends(&ctx, req.clone()).await.map(|r| r.status));
            statuses.push(
                analytics::candidate_history(&ctx, req)
                    .await
                    .map(|r| r.status),
            );
            statuses
                .into_iter()
                .map(|s| s.unwrap_or_else(|e| e.status()))
                .collect::<Vec<_>>()
        })
    };
    let req = get(
        &admin(),
        &[("interview_type", "Coding"), ("name", "A")],
        &[],
    );
    assert_eq!(
        spawned(ctx.clone(), req).await.unwrap(),
        vec![StatusCode::OK; 4]
    );
}

#[tokio::test]
async fn concurrent_records_are_all_kept_and_recording_is_idempotent() {
    let (_ctx, store, _dir) = context();
    let records: Vec<InterviewSummary> = (0..24)
        .map(|i| {
            ended(
                &format!("u{}", i % 3),
                "A",
                InterviewType::Coding,
                0,
                f64::from(i) / 3.0,
            )
        })
        .collect();
    let tasks: Vec<_> = records
        .iter()
        .cloned()
        .map(|r| {
            let store = store.clone();
            tokio::spawn(async move { store.record(&r).await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let day: NaiveDate = records[0].day();
    assert_eq!(store.day(day).await.unwrap().len(), 24);
    assert_eq!(store.owner(&OwnerKey::of("u1")).await.unwrap().len(), 8);
    assert_eq!(store.everyone().await.unwrap().len(), 24);

    // Recording again changes nothing; an update replaces the line; forgetting removes it from both files.
    store.record(&records[0]).await.unwrap();
    assert_eq!(store.day(day).await.unwrap().len(), 24);
    let mut changed = records[0].clone();
    changed.overall_score = Some(9.5);
    store.record(&changed).await.unwrap();
    let day_records = store.day(day).await.unwrap();
    assert_eq!(day_records.len(), 24);
    assert!(day_records.contains(&changed));
    store.forget(&changed).await.unwrap();
    assert_eq!(store.day(day).await.unwrap().len(), 23);
    assert_eq!(store.owner(&OwnerKey::of("u0")).await.unwrap().len(), 7);
}

#[tokio::test]
async fn an_unreadable_line_is_skipped_on_read_but_never_overwritten() {
    let (ctx, store, _dir) = context();
    let record = ended("u1", "A", InterviewType::Coding, 0, 5.0);
    store.record(&record).await.unwrap();
    let key = ObjectKey::analytics_day(record.day());
    let objects = ctx.sessions.objects();
    let mut body = objects.get(&key).await.unwrap().unwrap().body.to_vec();
    body.extend_from_slice(b"{not json\n");
    objects
        .put(&key, body.into(), prepai::ports::Precondition::None)
        .await
        .unwrap();
    assert_eq!(store.day(record.day()).await.unwrap(), vec![record.clone()]);
    let err = store
        .record(&ended("u1", "B", InterviewType::Coding, 0, 6.0))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("unreadable"), "{err}");
}
