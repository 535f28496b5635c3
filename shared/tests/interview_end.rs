//! `POST /api/interviews/{session_id}/end` and `GET /api/interviews/{session_id}/performance-report`, called as
//! handler functions against the filesystem store with a pinned clock.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use http::{Method, StatusCode};
use prepai::AppContext;
use prepai::adapters::local::FsObjectStore;
use prepai::analytics::{InterviewSummary, SummaryStore};
use prepai::api::{ApiRequest, ApiResponse};
use prepai::domain::{
    CandidateName, Identity, InterviewType, OwnerKey, Role, Session, SessionId, SessionStatus,
    Source, SubmissionEntry, TranscriptEntry, Transition, timestamp,
};
use prepai::handlers::{interview_end, performance_report};
use prepai::ports::Clock;
use prepai::store::ObjectKey;
use serde_json::{Map, Value, json};

struct TestClock(Mutex<DateTime<Utc>>);

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

impl TestClock {
    fn advance(&self, by: Duration) {
        *self.0.lock().unwrap() += by;
    }
}

struct Fixture {
    ctx: AppContext,
    clock: Arc<TestClock>,
    _dir: tempfile::TempDir,
}

fn at(s: &str) -> DateTime<Utc> {
    timestamp::parse(s).unwrap()
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let mut ctx = AppContext::new(Arc::new(FsObjectStore::new(dir.path())));
    let clock = Arc::new(TestClock(Mutex::new(at("2026-03-02T10:30:00Z"))));
    ctx.clock = clock.clone();
    Fixture {
        ctx,
        clock,
        _dir: dir,
    }
}

fn user(sub: &str) -> Identity {
    Identity::new(sub, vec![]).unwrap()
}

fn line(role: Role, text: &str, when: &str, extra: Map<String, Value>) -> TranscriptEntry {
    TranscriptEntry {
        role,
        text: text.into(),
        timestamp: at(when),
        source: if extra.is_empty() {
            Source::Text
        } else {
            Source::Voice
        },
        reply_kind: None,
        message_id: None,
        extra,
    }
}

/// A 30-minute Google SDE session with two answered questions (one spoken) and a passing code run.
async fn interview(ctx: &AppContext, owner: &Identity) -> SessionId {
    let mut session = Session::new(
        SessionId::new_random(),
        owner,
        InterviewType::GoogleSde,
        CandidateName::parse("Ada Lovelace").unwrap(),
        at("2026-03-02T10:00:00Z"),
    );
    let voice: Map<String, Value> = json!({"wpm": 140, "filler_count": 1})
        .as_object()
        .unwrap()
        .clone();
    session.transcript = vec![
        line(
            Role::Assistant,
            "How does a hash map handle collisions, and what does a lookup cost?",
            "2026-03-02T10:01:00Z",
            Map::new(),
        ),
        line(
            Role::User,
            "Keys are hashed to a bucket. Colliding keys are chained in a linked list, or probed with open addressing. \
             Lookup is O(1) on average because the table resizes when the load factor passes 0.75, and O(n) in the worst case.",
            "2026-03-02T10:01:20Z",
            voice,
        ),
        line(
            Role::Assistant,
            "How would you detect a cycle in a linked list?",
            "2026-03-02T10:05:00Z",
            Map::new(),
        ),
        line(
            Role::User,
            "I would move a slow pointer one step and a fast pointer two steps; they meet inside a cycle because the gap \
             shrinks by one each step, and the fast one reaches null otherwise. That is O(n) time and O(1) space.",
            "2026-03-02T10:05:30Z",
            Map::new(),
        ),
    ];
    session.code_submissions = vec![SubmissionEntry::Inline(json!({
        "submissionId": "sub-1", "mode": "graded", "problemId": "linked-list-cycle",
        "language": "python", "functionName": "has_cycle",
        "code": "def has_cycle(head):\n    slow = fast = head\n    while fast and fast.next:\n        slow, fast = slow.next, fast.next.next\n        if slow is fast:\n            return True\n    return False\n",
        "testResults": [{"passed": true}, {"passed": true}, {"passed": true}],
        "allTestsPassed": true,
        "qualityMetrics": {"linesOfCode": 7, "cyclomaticComplexity": 4, "commentRatio": 0.0, "qualityScore": 8.0},
        "executionTime": 0.01
    }))];
    let id = session.session_id;
    ctx.sessions.create(&session).await.unwrap();
    id
}

fn request(caller: Option<&Identity>, id: &str) -> ApiRequest {
    ApiRequest {
        method: Method::POST,
        path_params: [("session_id".to_owned(), id.to_owned())].into(),
        identity: caller.cloned(),
        ..ApiRequest::default()
    }
}

async fn end(f: &Fixture, caller: &Identity, id: &SessionId) -> ApiResponse {
    interview_end::end(&f.ctx, request(Some(caller), &id.to_string()))
        .await
        .unwrap_or_else(|e| e.into_response())
}

async fn report(f: &Fixture, caller: &Identity, id: &SessionId) -> ApiResponse {
    performance_report::get(&f.ctx, request(Some(caller), &id.to_string()))
        .await
        .unwrap_or_else(|e| e.into_response())
}

async fn report_bytes(f: &Fixture, id: &SessionId) -> bytes::Bytes {
    f.ctx
        .sessions
        .objects()
        .get(&ObjectKey::performance_report(id))
        .await
        .unwrap()
        .expect("report stored")
        .body
}

#[tokio::test]
async fn ending_evaluates_stores_the_report_and_marks_the_session() {
    let f = fixture();
    let ada = user("ada");
    let id = interview(&f.ctx, &ada).await;

    let response = end(&f, &ada, &id).await;
    assert_eq!(response.status, StatusCode::OK);
    let url = format!("/api/interviews/{id}/performance-report");
    assert_eq!(
        response.body_json(),
        json!({"session_id": id.to_string(), "status": "ended", "report_url": url})
    );

    let stored: Value = serde_json::from_slice(&report_bytes(&f, &id).await).unwrap();
    assert_eq!(stored["sessionId"], id.to_string());
    assert_eq!(stored["endedAt"], "2026-03-02T10:30:00.000Z");
    assert_eq!(stored["metrics"]["durationSeconds"], 1800.0);
    assert_eq!(stored["metrics"]["answersGiven"], 2);
    assert_eq!(stored["metrics"]["averageResponseTimeSeconds"], 25.0);
    assert_eq!(stored["metrics"]["averageWordsPerMinute"], 140.0);
    assert!(stored["scores"]["codeQuality"].as_f64().unwrap() >= 8.0);
    assert!(stored["scores"]["culturalFit"].is_null());

    let session = f.ctx.sessions.get(&id, &ada).await.unwrap();
    assert_eq!(session.status, SessionStatus::Ended);
    assert_eq!(session.ended_at, Some(at("2026-03-02T10:30:00Z")));
    assert_eq!(session.duration, Some(1800.0));
    let report_ref = session.report.as_ref().unwrap();
    assert_eq!(report_ref.report_url, url);
    assert_eq!(report_ref.summary["overall_score"], stored["overallScore"]);
    assert_eq!(
        report_ref.summary["recommendation"],
        stored["recommendation"]
    );

    // The analytics summary is in the day file and the owner's file.
    let summaries = SummaryStore::new(f.ctx.sessions.objects().clone());
    let day = summaries
        .day(at("2026-03-02T00:00:00Z").date_naive())
        .await
        .unwrap();
    let mine = summaries.owner(&OwnerKey::of("ada")).await.unwrap();
    assert_eq!(day, mine);
    assert_eq!(day.len(), 1);
    assert_eq!(day[0], InterviewSummary::from_session(&session));
    assert_eq!(day[0].overall_score, stored["overallScore"].as_f64());
}

#[tokio::test]
async fn the_handlers_run_on_spawned_tasks() {
    // Both entrances spawn handler futures, so they must be `Send`.
    let f = fixture();
    let ada = user("ada");
    let id = interview(&f.ctx, &ada).await;
    let ctx = f.ctx.clone();
    let req = request(Some(&ada), &id.to_string());
    let ended = tokio::spawn(async move { interview_end::end(&ctx, req).await.map(|r| r.status) });
    assert_eq!(ended.await.unwrap().unwrap(), StatusCode::OK);
    let ctx = f.ctx.clone();
    let req = request(Some(&ada), &id.to_string());
    let served =
        tokio::spawn(async move { performance_report::get(&ctx, req).await.map(|r| r.status) });
    assert_eq!(served.await.unwrap().unwrap(), StatusCode::OK);
}

#[tokio::test]
async fn ending_twice_returns_the_same_report_without_evaluating_again() {
    let f = fixture();
    let ada = user("ada");
    let id = interview(&f.ctx, &ada).await;
    let first = end(&f, &ada, &id).await;
    let stored = report_bytes(&f, &id).await;
    let session = f.ctx.sessions.get(&id, &ada).await.unwrap();

    f.clock.advance(Duration::minutes(45));
    let second = end(&f, &ada, &id).await;
    assert_eq!(second.status, StatusCode::OK);
    assert_eq!(second.body_json(), first.body_json());
    assert_eq!(
        report_bytes(&f, &id).await,
        stored,
        "the report was rewritten"
    );
    let again = f.ctx.sessions.get(&id, &ada).await.unwrap();
    assert_eq!(again, session, "the session changed on the second end");
}

#[tokio::test]
async fn a_crash_after_the_report_was_written_is_finished_with_that_report() {
    let f = fixture();
    let ada = user("ada");
    let id = interview(&f.ctx, &ada).await;
    end(&f, &ada, &id).await;
    let stored = report_bytes(&f, &id).await;
    // Undo the session update, as if the first attempt had stopped right after writing the report.
    f.ctx
        .sessions
        .update(&id, &ada, Transition::FinishEnding, |s| {
            s.status = SessionStatus::Active;
            s.ended_at = None;
            s.duration = None;
            s.report = None;
            Ok::<_, prepai::store::SessionStoreError>(())
        })
        .await
        .unwrap();
    f.clock.advance(Duration::minutes(10));
    assert_eq!(end(&f, &ada, &id).await.status, StatusCode::OK);
    assert_eq!(report_bytes(&f, &id).await, stored);
    let session = f.ctx.sessions.get(&id, &ada).await.unwrap();
    assert_eq!(
        session.ended_at,
        Some(at("2026-03-02T10:30:00Z")),
        "the stored report's end time wins"
    );
    assert_eq!(session.duration, Some(1800.0));
}

#[tokio::test]
async fn ending_a_missing_or_someone_elses_session_is_404() {
    let f = fixture();
    let ada = user("ada");
    let id = interview(&f.ctx, &ada).await;
    let missing = end(&f, &ada, &SessionId::new_random()).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.body_json()["error"]["code"], "not_found");
    let foreign = end(&f, &user("mallory"), &id).await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    // Mallory's attempt changed nothing.
    let session = f.ctx.sessions.get(&id, &ada).await.unwrap();
    assert_eq!(session.status, SessionStatus::Created);
    assert!(
        f.ctx
            .sessions
            .objects()
            .get(&ObjectKey::performance_report(&id))
            .await
            .unwrap()
            .is_none()
    );
    let bad_id = interview_end::end(&f.ctx, request(Some(&ada), "../../etc"))
        .await
        .unwrap_err()
        .into_response();
    assert_eq!(bad_id.status, StatusCode::BAD_REQUEST);
    let anonymous = interview_end::end(&f.ctx, request(None, &id.to_string()))
        .await
        .unwrap_err()
        .into_response();
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_report_is_404_until_the_interview_ends_then_served() {
    let f = fixture();
    let ada = user("ada");
    let id = interview(&f.ctx, &ada).await;
    let early = report(&f, &ada, &id).await;
    assert_eq!(early.status, StatusCode::NOT_FOUND);
    let message = early.body_json()["error"]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        message.contains("end it first") && message.contains(&format!("/api/interviews/{id}/end")),
        "{message}"
    );

    end(&f, &ada, &id).await;
    let served = report(&f, &ada, &id).await;
    assert_eq!(served.status, StatusCode::OK);
    let body = served.body_json();
    assert_eq!(body["success"], true);
    assert_eq!(
        body["report_url"],
        format!("/api/interviews/{id}/performance-report")
    );
    let stored: Value = serde_json::from_slice(&report_bytes(&f, &id).await).unwrap();
    assert_eq!(body["report"], stored);
    assert!(body["report"]["overallScore"].is_number());

    assert_eq!(
        report(&f, &user("mallory"), &id).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_missing_report_file_is_regenerated_by_ending_again() {
    let f = fixture();
    let ada = user("ada");
    let id = interview(&f.ctx, &ada).await;
    end(&f, &ada, &id).await;
    f.ctx
        .sessions
        .objects()
        .delete(&ObjectKey::performance_report(&id))
        .await
        .unwrap();
    let gone = report(&f, &ada, &id).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert!(
        gone.body_json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("regenerates")
    );
    assert_eq!(end(&f, &ada, &id).await.status, StatusCode::OK);
    assert_eq!(report(&f, &ada, &id).await.status, StatusCode::OK);
}
