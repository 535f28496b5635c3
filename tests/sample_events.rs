//! Every sample event in `events/` goes through its Lambda's real entrance (`lambda_http` parsing, the authorizer
//! claims, the handler) against the filesystem store, so the samples never rot.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::Utc;
use prepai::adapters::local::FsObjectStore;
use prepai::domain::{CandidateName, Identity, InterviewType, Session, SessionId};
use prepai::entry::http_lambda;
use prepai::{AppContext, Route};

/// The session and owner the samples name.
const SAMPLE_SESSION: &str = "3f2c1a9e-8d4b-4c6a-9e1f-2b3c4d5e6f70";
const SAMPLE_SUB: &str = "5f8e2c1a-0b7d-4e3f-9a6c-1d2e3f4a5b6c";

fn events_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../events")
}

async fn seeded_context() -> (AppContext, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let ctx = AppContext::new(Arc::new(FsObjectStore::new(dir.path()))).with_interviewer(Arc::new(
        prepai::adapters::local::LocalInterviewer::embedded(),
    ));
    let owner = Identity::new(SAMPLE_SUB, vec![]).unwrap();
    let mut session = Session::new(
        SessionId::parse(SAMPLE_SESSION).unwrap(),
        &owner,
        InterviewType::GoogleSde,
        CandidateName::parse("Ada Lovelace").unwrap(),
        Utc::now(),
    );
    session.session_id = SessionId::parse(SAMPLE_SESSION).unwrap();
    ctx.sessions.create(&session).await.unwrap();
    (ctx, dir)
}

fn read_event(binary: &str) -> serde_json::Value {
    let path = events_dir().join(format!("{binary}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

async fn invoke_sample(
    ctx: &AppContext,
    route: Route,
    event: serde_json::Value,
) -> (u16, serde_json::Value) {
    let request = lambda_http::request::from_str(&event.to_string())
        .unwrap_or_else(|e| panic!("{}: {e}", route.binary()));
    let response = http_lambda::invoke(route, ctx, request).await;
    let body = match response.body() {
        lambda_http::Body::Text(t) => t.clone(),
        other => panic!("{}: non-text body {other:?}", route.binary()),
    };
    let json =
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{}: {e}: {body}", route.binary()));
    (response.status().as_u16(), json)
}

/// Every route's sample, in the order a candidate's session produces them, through the Lambda entrance against
/// one store: each must succeed and answer in its documented shape.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_has_a_sample_event_that_its_handler_accepts() {
    let (ctx, _dir) = seeded_context().await;
    let ctx = ctx.with_code_runner(Arc::new(prepai_sandbox::LocalCodeRunner::new(
        prepai_sandbox::Sandbox::with_worker_exe(prepai_tests::local_server::worker_exe()),
    )));
    let order = [
        Route::GetSession,
        Route::GetTranscript,
        Route::ListSessions,
        Route::UploadCv,
        Route::GetCvAnalysis,
        Route::CorrectCvAnalysis,
        Route::SaveDraft,
        Route::ListDrafts,
        Route::ExecuteCode,
        Route::ListSubmissions,
        Route::GetSubmission,
        Route::QualitySummary,
        Route::EndInterview,
        Route::GetPerformanceReport,
        Route::AnalyticsAggregate,
        Route::AnalyticsBenchmarks,
        Route::AnalyticsTrends,
        Route::CandidateHistory,
        Route::AnalyticsHistory,
        Route::CreateSession,
        Route::DeleteSession,
    ];
    assert_eq!(order.len(), Route::ALL.len(), "every route is exercised");
    let mut submission_id = String::new();
    for route in order {
        let mut event = read_event(route.binary());
        if route == Route::GetSubmission {
            event["pathParameters"]["submission_id"] =
                serde_json::Value::String(submission_id.clone());
        }
        let (status, json) = invoke_sample(&ctx, route, event).await;
        assert!(
            (200..300).contains(&status),
            "{}: {status} {json}",
            route.binary()
        );
        match route {
            Route::ListSessions => assert_eq!(json["sessions"][0]["session_id"], SAMPLE_SESSION),
            Route::GetSession => assert_eq!(json["owner"], SAMPLE_SUB),
            Route::CreateSession => assert_eq!(json["candidate_name"], "Ada Lovelace"),
            Route::DeleteSession => assert_eq!(json["deleted"], true),
            Route::GetTranscript => assert_eq!(json["session_id"], SAMPLE_SESSION),
            Route::UploadCv => {
                assert_eq!(json["success"], true, "{json}");
                assert_eq!(json["analysis"]["candidateName"], "Ada Lovelace", "{json}");
            }
            Route::GetCvAnalysis => assert_eq!(json["success"], true, "{json}"),
            Route::CorrectCvAnalysis => {
                assert_eq!(json["analysis"]["skills"][1], "Rust", "{json}");
                assert_eq!(json["analysis"]["experience"][0]["title"], "Staff Engineer");
            }
            Route::SaveDraft => assert_eq!(json["problemId"], "two-sum", "{json}"),
            Route::ListDrafts => assert_eq!(json["drafts"][0]["language"], "python", "{json}"),
            Route::AnalyticsHistory => assert_eq!(json["total_interviews"], 1, "{json}"),
            Route::ExecuteCode => {
                assert_eq!(json["allTestsPassed"], true, "{json}");
                submission_id = json["submissionId"]
                    .as_str()
                    .expect("submissionId")
                    .to_owned();
            }
            Route::ListSubmissions => assert_eq!(
                json["submissions"].as_array().map(Vec::len),
                Some(1),
                "{json}"
            ),
            Route::GetSubmission => assert!(json["submission"].is_object(), "{json}"),
            Route::QualitySummary => assert!(json.is_object(), "{json}"),
            Route::EndInterview => assert_eq!(json["status"], "ended", "{json}"),
            Route::GetPerformanceReport => assert_eq!(json["success"], true, "{json}"),
            Route::AnalyticsAggregate => assert_eq!(json["total_interviews"], 1, "{json}"),
            Route::AnalyticsBenchmarks | Route::AnalyticsTrends | Route::CandidateHistory => {
                assert!(json.is_object(), "{json}")
            }
        }
    }
}

#[tokio::test]
async fn a_request_without_authorizer_claims_is_refused() {
    let text = std::fs::read_to_string(events_dir().join("list-sessions.json")).unwrap();
    let mut event: serde_json::Value = serde_json::from_str(&text).unwrap();
    event["requestContext"]
        .as_object_mut()
        .unwrap()
        .remove("authorizer");
    let request = lambda_http::request::from_str(&event.to_string()).unwrap();
    let (ctx, _dir) = seeded_context().await;
    let response = http_lambda::invoke(Route::ListSessions, &ctx, request).await;
    assert_eq!(response.status(), 401);
}

#[test]
fn every_sample_event_belongs_to_a_function() {
    for entry in std::fs::read_dir(events_dir()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let binary = name
            .strip_suffix(".json")
            .unwrap_or_else(|| panic!("{name} is not JSON"));
        let known = Route::from_binary(binary).is_some()
            || prepai::tools::TOOL_BINARIES.contains(&binary)
            || prepai::ws::WS_BINARIES.contains(&binary);
        assert!(known, "events/{name} names no function");
    }
}

/// The WebSocket samples, in the order a client produces them, through the Lambda entrance: `$connect` binds the
/// connection (with a real token substituted for the placeholder), `$default` runs a turn whose replies are
/// pushed, `$disconnect` forgets the connection.
#[tokio::test]
async fn the_websocket_samples_run_a_turn_end_to_end() {
    use prepai::adapters::local::LocalPushRegistry;
    use prepai::auth::LocalJwt;
    use prepai::entry::ws_lambda::{self, WsLambdaEvent};
    use prepai::ws::ConnectionId;

    let read = |name: &str| -> serde_json::Value {
        let text = std::fs::read_to_string(events_dir().join(format!("{name}.json"))).unwrap();
        serde_json::from_str(&text).unwrap()
    };
    let jwt = LocalJwt::new(b"sample-events-secret-0123456789abcdef").unwrap();
    let token = jwt.mint(SAMPLE_SUB, &[], Utc::now(), chrono::Duration::hours(1));
    let (ctx, _dir) = seeded_context().await;
    let ctx = ctx.with_verifier(Arc::new(jwt));
    let push = LocalPushRegistry::default();
    let mut connect = read("ws-connect");
    connect["queryStringParameters"]["token"] = serde_json::Value::String(token);
    let connection =
        ConnectionId::parse(connect["requestContext"]["connectionId"].as_str().unwrap()).unwrap();
    let mut replies = push.register(&connection);

    let event: WsLambdaEvent = serde_json::from_value(connect).unwrap();
    assert_eq!(
        ws_lambda::invoke(&ctx, &push, event).await["statusCode"],
        200
    );
    let event: WsLambdaEvent = serde_json::from_value(read("ws-default")).unwrap();
    assert_eq!(
        ws_lambda::invoke(&ctx, &push, event).await["statusCode"],
        200
    );
    let mut kinds = Vec::new();
    while let Ok(text) = replies.try_recv() {
        let message: serde_json::Value = serde_json::from_str(&text).unwrap();
        kinds.push(message["type"].as_str().unwrap().to_owned());
    }
    assert_eq!(kinds.first().map(String::as_str), Some("transcript"));
    assert!(kinds.contains(&"llm_chunk".to_owned()));
    assert_eq!(kinds.last().map(String::as_str), Some("assistant_complete"));
    let event: WsLambdaEvent = serde_json::from_value(read("ws-disconnect")).unwrap();
    assert_eq!(
        ws_lambda::invoke(&ctx, &push, event).await["statusCode"],
        200
    );
    assert!(
        ctx.sessions
            .objects()
            .get(&prepai::ports::ObjectKey::connection(&connection))
            .await
            .unwrap()
            .is_none()
    );
}
