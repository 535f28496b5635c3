//! The code routes' handlers, called directly with an `ApiRequest` and an `AppContext` over a temporary
//! filesystem store and the real sandbox (the local code runner).

mod common;

use std::collections::HashMap;
use std::sync::Arc;

use bytes::Bytes;
use chrono::Utc;
use http::{Method, StatusCode};
use prepai::AppContext;
use prepai::adapters::local::FsObjectStore;
use prepai::api::{ApiRequest, ApiResponse};
use prepai::domain::{CandidateName, Identity, InterviewType, Session, SessionId};
use prepai::handlers::code;
use prepai_sandbox::LocalCodeRunner;
use serde_json::{Value, json};

struct Fixture {
    ctx: AppContext,
    owner: Identity,
    session: SessionId,
    _dir: tempfile::TempDir,
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let ctx = AppContext::new(Arc::new(FsObjectStore::new(dir.path())))
        .with_code_runner(Arc::new(LocalCodeRunner::new(common::sandbox())));
    let owner = Identity::new("candidate-1", vec![]).unwrap();
    let session = Session::new(
        SessionId::new_random(),
        &owner,
        InterviewType::Coding,
        CandidateName::parse("Ada").unwrap(),
        Utc::now(),
    );
    ctx.sessions.create(&session).await.unwrap();
    Fixture {
        ctx,
        owner,
        session: session.session_id,
        _dir: dir,
    }
}

fn request(
    f: &Fixture,
    method: Method,
    params: &[(&str, String)],
    body: Option<Value>,
) -> ApiRequest {
    ApiRequest {
        method,
        path_params: params
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect::<HashMap<_, _>>(),
        body: body.map_or_else(Bytes::new, |b| Bytes::from(b.to_string())),
        identity: Some(f.owner.clone()),
        ..ApiRequest::default()
    }
}

fn execute_body(f: &Fixture, code: &str, expected: i64) -> Value {
    json!({
        "sessionId": f.session.to_string(),
        "code": code,
        "language": "python",
        "functionName": "solution",
        "testCases": [{"input": "[3,1,2]", "expected": expected.to_string()}],
    })
}

async fn stored_submissions(f: &Fixture) -> usize {
    f.ctx
        .sessions
        .get(&f.session, &f.owner)
        .await
        .unwrap()
        .code_submissions
        .len()
}

fn ok(response: ApiResponse) -> Value {
    assert_eq!(response.status, StatusCode::OK, "{}", response.body_json());
    response.body_json()
}

#[tokio::test]
async fn execute_records_submissions_that_the_other_routes_read() {
    let f = fixture().await;
    let first = ok(code::execute(
        &f.ctx,
        request(
            &f,
            Method::POST,
            &[],
            Some(execute_body(&f, "def solution(a):\n    return len(a)", 3)),
        ),
    )
    .await
    .unwrap());
    assert_eq!(first["success"], true);
    assert_eq!(first["allTestsPassed"], true);
    assert_eq!(first["sessionId"], f.session.to_string());
    assert!(first["qualityMetrics"]["qualityScore"].is_number());
    let submission_id = first["submissionId"].as_str().unwrap().to_owned();

    let second = ok(code::execute(
        &f.ctx,
        request(
            &f,
            Method::POST,
            &[],
            Some(execute_body(&f, "def solution(a):\n    return max(a)", 2)),
        ),
    )
    .await
    .unwrap());
    assert_eq!(second["verdict"], "WrongAnswer");
    assert_eq!(stored_submissions(&f).await, 2);

    let session = [("session_id", f.session.to_string())];
    let listed = ok(
        code::list_submissions(&f.ctx, request(&f, Method::GET, &session, None))
            .await
            .unwrap(),
    );
    assert_eq!(listed["submissions"].as_array().unwrap().len(), 2);
    assert_eq!(
        listed["submissions"][0]["submissionId"],
        submission_id.as_str()
    );
    assert_eq!(
        listed["submissions"][0]["code"],
        "def solution(a):\n    return len(a)"
    );
    assert_eq!(listed["summary"]["totalSubmissions"], 2);
    assert_eq!(listed["summary"]["acceptedSubmissions"], 1);

    let one = ok(code::get_submission(
        &f.ctx,
        request(
            &f,
            Method::GET,
            &[
                ("session_id", f.session.to_string()),
                ("submission_id", submission_id.clone()),
            ],
            None,
        ),
    )
    .await
    .unwrap());
    assert_eq!(one["submission"]["submissionId"], submission_id.as_str());
    assert_eq!(one["submission"]["verdict"], "Accepted");

    let summary = ok(
        code::quality_summary(&f.ctx, request(&f, Method::GET, &session, None))
            .await
            .unwrap(),
    );
    assert_eq!(summary["totalSubmissions"], 2);
    assert!(summary["averageQualityScore"].as_f64().unwrap() > 0.0);
    assert!(summary["averageComplexity"].as_f64().unwrap() >= 1.0);
    assert_eq!(summary["passRate"], 0.5);
}

#[tokio::test]
async fn bad_input_is_a_4xx_and_stores_nothing() {
    let f = fixture().await;
    let good = execute_body(&f, "def solution(a):\n    return len(a)", 3);
    let mut cases: Vec<(&str, Value, &str)> = Vec::new();
    let mut patched = |name, field: &str, value: Value, code| {
        let mut body = good.clone();
        body[field] = value;
        cases.push((name, body, code));
    };
    patched(
        "unknown language",
        "language",
        json!("cobol"),
        "unsupported_language",
    );
    patched("empty code", "code", json!(""), "empty_code");
    patched(
        "no function name",
        "functionName",
        Value::Null,
        "missing_function",
    );
    patched(
        "function not in the code",
        "code",
        json!("def other(a):\n    return a"),
        "code_rejected",
    );
    patched(
        "too many tests",
        "testCases",
        json!(vec![json!({"input": 1, "expected": 1}); 51]),
        "too_many_tests",
    );
    patched(
        "code too large",
        "code",
        json!("#".repeat(64 * 1024 + 1)),
        "code_too_large",
    );
    patched(
        "session id not a UUID",
        "sessionId",
        json!("../etc"),
        "invalid_session_id",
    );
    patched("no session id", "sessionId", Value::Null, "missing_field");
    for (name, body, error_code) in cases {
        let error = code::execute(&f.ctx, request(&f, Method::POST, &[], Some(body)))
            .await
            .expect_err(name);
        let response = error.into_response();
        assert_eq!(response.status, StatusCode::BAD_REQUEST, "{name}");
        assert_eq!(response.body_json()["error"]["code"], error_code, "{name}");
    }
    assert_eq!(stored_submissions(&f).await, 0);

    let other = SessionId::new_random();
    let mut body = good;
    body["sessionId"] = json!(other.to_string());
    let error = code::execute(&f.ctx, request(&f, Method::POST, &[], Some(body)))
        .await
        .unwrap_err();
    assert_eq!(error.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn submission_ids_are_validated_and_foreign_sessions_are_hidden() {
    let f = fixture().await;
    let bad = code::get_submission(
        &f.ctx,
        request(
            &f,
            Method::GET,
            &[
                ("session_id", f.session.to_string()),
                ("submission_id", "../../sessions/x".to_owned()),
            ],
            None,
        ),
    )
    .await
    .unwrap_err();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let missing = code::get_submission(
        &f.ctx,
        request(
            &f,
            Method::GET,
            &[
                ("session_id", f.session.to_string()),
                ("submission_id", SessionId::new_random().to_string()),
            ],
            None,
        ),
    )
    .await
    .unwrap_err();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);

    let stranger = Identity::new("someone-else", vec![]).unwrap();
    let mut req = request(
        &f,
        Method::GET,
        &[("session_id", f.session.to_string())],
        None,
    );
    req.identity = Some(stranger);
    let hidden = code::list_submissions(&f.ctx, req).await.unwrap_err();
    assert_eq!(hidden.status(), StatusCode::NOT_FOUND);

    let mut req = request(
        &f,
        Method::GET,
        &[("session_id", f.session.to_string())],
        None,
    );
    req.identity = None;
    assert_eq!(
        code::quality_summary(&f.ctx, req)
            .await
            .unwrap_err()
            .status(),
        StatusCode::UNAUTHORIZED
    );
}
