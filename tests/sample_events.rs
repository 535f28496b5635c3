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
    let ctx = AppContext::new(Arc::new(FsObjectStore::new(dir.path())));
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

#[tokio::test]
async fn every_route_has_a_sample_event_that_its_handler_accepts() {
    for route in Route::ALL {
        let path = events_dir().join(format!("{}.json", route.binary()));
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let request = lambda_http::request::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let (ctx, _dir) = seeded_context().await;
        let response = http_lambda::invoke(*route, &ctx, request).await;
        let body = match response.body() {
            lambda_http::Body::Text(t) => t.clone(),
            other => panic!("{}: non-text body {other:?}", route.binary()),
        };
        assert!(
            response.status().is_success(),
            "{}: {} {body}",
            route.binary(),
            response.status()
        );
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        match route {
            Route::ListSessions => assert_eq!(json["sessions"][0]["session_id"], SAMPLE_SESSION),
            Route::GetSession => assert_eq!(json["owner"], SAMPLE_SUB),
            Route::CreateSession => assert_eq!(json["candidate_name"], "Ada Lovelace"),
            Route::DeleteSession => assert_eq!(json["deleted"], true),
            Route::GetTranscript => assert_eq!(json["session_id"], SAMPLE_SESSION),
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
        assert!(
            Route::from_binary(binary).is_some(),
            "events/{name} names no function"
        );
    }
}
