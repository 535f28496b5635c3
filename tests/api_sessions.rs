//! The session routes end to end: the local server on a free port, real HTTP, real tokens.

use std::sync::Arc;

use chrono::Utc;
use prepai::adapters::local::FsObjectStore;
use prepai::domain::{Identity, Role, SessionId, Source, TranscriptEntry};
use prepai::store::SessionStore;
use prepai_tests::local_server::LocalServer;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn create(server: &LocalServer, token: &str, body: Value) -> (StatusCode, Value) {
    let response = server
        .http
        .post(server.url("/api/sessions/create"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    (response.status(), response.json().await.unwrap())
}

async fn get(server: &LocalServer, token: &str, path: &str) -> (StatusCode, Value) {
    let response = server
        .http
        .get(server.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    (response.status(), response.json().await.unwrap())
}

/// Asserts the `{"error": {"code", "message"}}` shape and returns the code.
fn error_code(body: &Value) -> &str {
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    body["error"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error code in {body}"))
}

fn stored_session_count(server: &LocalServer) -> usize {
    std::fs::read_dir(server.data.path().join("sessions")).map_or(0, |d| d.count())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_list_get_transcript_delete() {
    let server = LocalServer::start().await;
    let token = server.token("alice", &[]);
    let (status, created) = create(
        &server,
        &token,
        json!({"interview_type": "Google SDE", "candidate_name": "Alice Ng"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["session_id"].as_str().unwrap().to_owned();
    assert!(SessionId::parse(&id).is_ok());
    assert_eq!(created["interview_type"], "Google SDE");
    assert_eq!(created["candidate_name"], "Alice Ng");
    assert_eq!(created["status"], "created");
    assert!(created["created_at"].as_str().unwrap().ends_with('Z'));

    let (status, listed) = get(&server, &token, "/api/sessions/list").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(listed["sessions"].as_array().unwrap().len(), 1);
    assert_eq!(listed["sessions"][0]["session_id"], id.as_str());

    // A line said in the interview, written the way the WebSocket handler will write it.
    let store = SessionStore::new(Arc::new(FsObjectStore::new(server.data.path())));
    let alice = Identity::new("alice", vec![]).unwrap();
    store
        .append_transcript(
            &SessionId::parse(&id).unwrap(),
            &alice,
            TranscriptEntry {
                role: Role::Assistant,
                text: "Tell me about a hash map.".into(),
                timestamp: Utc::now(),
                source: Source::Agent,
                reply_kind: None,
                message_id: None,
                extra: Default::default(),
            },
        )
        .await
        .unwrap();

    let (status, session) = get(&server, &token, &format!("/api/sessions/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(session["session_id"], id.as_str());
    assert_eq!(session["owner"], "alice");
    assert_eq!(session["schema_version"], 1);

    let (status, transcript) =
        get(&server, &token, &format!("/api/interviews/{id}/transcript")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(transcript["session_id"], id.as_str());
    assert_eq!(transcript["transcript"][0]["role"], "assistant");
    assert_eq!(
        transcript["transcript"][0]["text"],
        "Tell me about a hash map."
    );

    let response = server
        .http
        .delete(server.url(&format!("/api/sessions/{id}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let (status, body) = get(&server, &token, &format!("/api/sessions/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error_code(&body), "not_found");
    let (_, listed) = get(&server, &token, "/api/sessions/list").await;
    assert_eq!(listed["sessions"], json!([]));
    assert_eq!(stored_session_count(&server), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_users_session_does_not_exist_for_you() {
    let server = LocalServer::start().await;
    let alice = server.token("alice", &[]);
    let bob = server.token("bob", &["admin"]);
    let (_, created) = create(
        &server,
        &alice,
        json!({"interview_type": "Coding", "candidate_name": "A"}),
    )
    .await;
    let id = created["session_id"].as_str().unwrap();
    for path in [
        format!("/api/sessions/{id}"),
        format!("/api/interviews/{id}/transcript"),
    ] {
        let (status, body) = get(&server, &bob, &path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(error_code(&body), "not_found");
    }
    let never = SessionId::new_random();
    let (_, missing) = get(&server, &bob, &format!("/api/sessions/{never}")).await;
    let (_, hidden) = get(&server, &bob, &format!("/api/sessions/{id}")).await;
    assert_eq!(
        missing["error"]["message"]
            .as_str()
            .unwrap()
            .replace(&never.to_string(), "ID"),
        hidden["error"]["message"]
            .as_str()
            .unwrap()
            .replace(id, "ID"),
        "a hidden session must look exactly like a missing one"
    );
    let response = server
        .http
        .delete(server.url(&format!("/api/sessions/{id}")))
        .bearer_auth(&bob)
        .send()
        .await;
    assert_eq!(response.unwrap().status(), StatusCode::NOT_FOUND);
    let (_, listed) = get(&server, &bob, "/api/sessions/list").await;
    assert_eq!(listed["sessions"], json!([]));
    let (status, _) = get(&server, &alice, &format!("/api/sessions/{id}")).await;
    assert_eq!(status, StatusCode::OK, "the owner still has it");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_or_bad_tokens_are_401() {
    let server = LocalServer::start().await;
    let no_token = server
        .http
        .get(server.url("/api/sessions/list"))
        .send()
        .await
        .unwrap();
    assert_eq!(no_token.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(&no_token.json().await.unwrap()), "unauthorized");
    let forged = prepai::auth::LocalJwt::new(b"some-other-secret-some-other-secret")
        .unwrap()
        .mint("alice", &[], Utc::now(), chrono::Duration::hours(1));
    let expired = prepai::auth::LocalJwt::new(prepai_tests::local_server::TEST_SECRET)
        .unwrap()
        .mint(
            "alice",
            &[],
            Utc::now() - chrono::Duration::hours(3),
            chrono::Duration::hours(1),
        );
    for token in [forged.as_str(), expired.as_str(), "garbage"] {
        let (status, body) = get(&server, token, "/api/sessions/list").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(error_code(&body), "unauthorized");
    }
    let (status, _) = create(
        &server,
        "garbage",
        json!({"interview_type": "Coding", "candidate_name": "A"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(stored_session_count(&server), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_a_4xx_and_writes_nothing() {
    let server = LocalServer::start().await;
    let token = server.token("carol", &[]);
    let raw = |body: Vec<u8>| {
        server
            .http
            .post(server.url("/api/sessions/create"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            // The server answers an oversized body before reading it all and drops the connection; don't let a
            // later request reuse it.
            .header("connection", "close")
            .body(body)
            .send()
    };
    let cases: Vec<(Vec<u8>, StatusCode, &str)> = vec![
        (
            b"not json".to_vec(),
            StatusCode::BAD_REQUEST,
            "invalid_json",
        ),
        (Vec::new(), StatusCode::BAD_REQUEST, "invalid_json"),
        (b"[1,2]".to_vec(), StatusCode::BAD_REQUEST, "invalid_field"),
        (
            br#"{"candidate_name": "A"}"#.to_vec(),
            StatusCode::BAD_REQUEST,
            "invalid_field",
        ),
        (
            br#"{"interview_type": "Coding", "candidate_name": 42}"#.to_vec(),
            StatusCode::BAD_REQUEST,
            "invalid_field",
        ),
        (
            br#"{"interview_type": "Coding", "candidate_name": "   "}"#.to_vec(),
            StatusCode::BAD_REQUEST,
            "invalid_field",
        ),
        (
            br#"{"interview_type": "Coding", "candidate_name": "A", "extra": 1}"#.to_vec(),
            StatusCode::BAD_REQUEST,
            "invalid_field",
        ),
        (
            format!(
                r#"{{"interview_type": "Coding", "candidate_name": "{}"}}"#,
                "x".repeat(1024 * 1024 + 10)
            )
            .into_bytes(),
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ),
        (
            vec![b'{'; 7 * 1024 * 1024],
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ),
    ];
    for (body, want_status, want_code) in cases {
        let shown = String::from_utf8_lossy(&body[..body.len().min(60)]).into_owned();
        let response = raw(body).await.unwrap();
        assert_eq!(response.status(), want_status, "{shown}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(error_code(&body), want_code, "{shown}: {body}");
    }

    let (status, body) = create(
        &server,
        &token,
        json!({"interview_type": "Netflix SDE", "candidate_name": "A"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let message = body["error"]["message"].as_str().unwrap();
    for valid in [
        "Google SDE",
        "Amazon SDE",
        "Microsoft SDE",
        "AWS SA",
        "Azure SA",
        "GCP SA",
        "Behavioral",
        "Coding",
    ] {
        assert!(message.contains(valid), "{message}");
    }

    for bad_id in [
        "abc",
        "..",
        "3f2c1a9e8d4b4c6a9e1f2b3c4d5e6f70",
        "%2e%2e%2fetc",
    ] {
        for path in [
            format!("/api/sessions/{bad_id}"),
            format!("/api/interviews/{bad_id}/transcript"),
        ] {
            let (status, body) = get(&server, &token, &path).await;
            assert!(status.is_client_error(), "{path}: {status}");
            assert!(body["error"]["code"].is_string(), "{path}: {body}");
        }
        let (status, body) = get(&server, &token, &format!("/api/sessions/{bad_id}")).await;
        if bad_id != ".." {
            assert_eq!(status, StatusCode::BAD_REQUEST, "{bad_id}");
            assert_eq!(error_code(&body), "invalid_session_id");
        }
    }
    assert_eq!(stored_session_count(&server), 0);
    assert!(
        !server.data.path().join("owners").exists(),
        "no index entry either"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_paths_and_methods_answer_json() {
    let server = LocalServer::start().await;
    let token = server.token("dan", &[]);
    let (status, body) = get(&server, &token, "/api/nothing/here").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error_code(&body), "not_found");
    let response = server
        .http
        .put(server.url("/api/sessions/list"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        error_code(&response.json().await.unwrap()),
        "method_not_allowed"
    );
}
