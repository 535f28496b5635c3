//! The candidate's loop end to end over real HTTP: drafts saved per problem and language and read back (bad
//! input refused, other people's sessions invisible, ended interviews closed, drafts gone with their session), and
//! resume corrections saved on the session and used by the interviewer.

use prepai_tests::local_server::LocalServer;
use prepai_tests::socket::{connect, next_json, read_turn, send};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn call(
    server: &LocalServer,
    token: &str,
    method: Method,
    path: &str,
    body: Option<&str>,
) -> (StatusCode, Value) {
    let mut request = server
        .http
        .request(method, server.url(path))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_owned());
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{status}: {e}: {text}"));
    (status, json)
}

fn refusal(body: &Value) -> &str {
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    body["error"]["code"].as_str().unwrap()
}

fn draft(problem: &str, language: &str, code: &str) -> String {
    json!({"problemId": problem, "language": language, "code": code}).to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drafts_are_saved_per_problem_and_language_and_read_back() {
    let server = LocalServer::start().await;
    let ada = server.token("ada", &[]);
    let session = server.create_session(&ada, "Coding", "Ada L").await;
    let path = format!("/api/interviews/{session}/drafts");

    let (status, body) = call(&server, &ada, Method::GET, &path, None).await;
    assert_eq!((status, body), (StatusCode::OK, json!({"drafts": []})));

    for (problem, language, code) in [
        (
            "two-sum",
            "python",
            "def two_sum(nums, target):\n    pass\n",
        ),
        (
            "two-sum",
            "javascript",
            "function twoSum(nums, target) {}\n",
        ),
        (
            "two-sum",
            "python",
            "def two_sum(nums, target):\n    return [0, 1]  # ünïcødé\n",
        ),
    ] {
        let (status, saved) = call(
            &server,
            &ada,
            Method::PUT,
            &path,
            Some(&draft(problem, language, code)),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        assert_eq!(saved["code"], code);
        assert!(saved["updatedAt"].is_string(), "{saved}");
    }
    let (status, body) = call(&server, &ada, Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::OK);
    let drafts = body["drafts"].as_array().unwrap();
    assert_eq!(drafts.len(), 2, "one per problem and language: {body}");
    assert_eq!(drafts[0]["language"], "python", "most recent first");
    assert!(drafts[0]["code"].as_str().unwrap().contains("ünïcødé"));
    for d in drafts {
        let keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["code", "language", "problemId", "updatedAt"]);
    }

    // Bad input: each a 4xx in the error shape, nothing written.
    let long = "x".repeat(64 * 1024 + 1);
    let cases: Vec<(String, StatusCode, &str)> = vec![
        ("not json".into(), StatusCode::BAD_REQUEST, "invalid_json"),
        (
            json!({"problemId": "two-sum", "language": "python"}).to_string(),
            StatusCode::BAD_REQUEST,
            "invalid_field",
        ),
        (
            json!({"problemId": "two-sum", "language": "python", "code": "", "extra": 1})
                .to_string(),
            StatusCode::BAD_REQUEST,
            "invalid_field",
        ),
        (
            draft("../../etc/passwd", "python", "x"),
            StatusCode::BAD_REQUEST,
            "invalid_problem_id",
        ),
        (
            draft("no-such-problem", "python", "x"),
            StatusCode::BAD_REQUEST,
            "unknown_problem",
        ),
        (
            draft("two-sum", "rust", "x"),
            StatusCode::BAD_REQUEST,
            "unsupported_language",
        ),
        (
            draft("two-sum", "Python", "x"),
            StatusCode::BAD_REQUEST,
            "unsupported_language",
        ),
        (
            json!({"problemId": 7, "language": "python", "code": "x"}).to_string(),
            StatusCode::BAD_REQUEST,
            "invalid_field",
        ),
        (
            json!(["two-sum", "python", "x"]).to_string(),
            StatusCode::BAD_REQUEST,
            "invalid_field",
        ),
        (
            draft("two-sum", "python", &long),
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ),
    ];
    for (body, want, code) in cases {
        let (status, answer) = call(&server, &ada, Method::PUT, &path, Some(&body)).await;
        assert_eq!(status, want, "{}: {answer}", &body[..body.len().min(80)]);
        assert_eq!(refusal(&answer), code, "{answer}");
    }
    let (status, answer) = call(
        &server,
        &ada,
        Method::PUT,
        "/api/interviews/not-a-uuid/drafts",
        Some(&draft("two-sum", "python", "x")),
    )
    .await;
    assert_eq!(
        (status, refusal(&answer)),
        (StatusCode::BAD_REQUEST, "invalid_session_id")
    );
    let (_, body) = call(&server, &ada, Method::GET, &path, None).await;
    assert_eq!(
        body["drafts"].as_array().unwrap().len(),
        2,
        "nothing written by refusals"
    );

    // Someone else's session is not found, for reading and writing alike.
    let eve = server.token("eve", &[]);
    let (status, answer) = call(&server, &eve, Method::GET, &path, None).await;
    assert_eq!(
        (status, refusal(&answer)),
        (StatusCode::NOT_FOUND, "not_found")
    );
    let (status, _) = call(
        &server,
        &eve,
        Method::PUT,
        &path,
        Some(&draft("two-sum", "python", "stolen")),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, body) = call(&server, &ada, Method::GET, &path, None).await;
    assert!(!body.to_string().contains("stolen"));

    // Without a token: 401.
    let response = server.http.get(server.url(&path)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);

    // Deleting the session removes its drafts.
    let drafts_dir = server.data.path().join("drafts").join(&session);
    assert_eq!(std::fs::read_dir(&drafts_dir).unwrap().count(), 2);
    let (status, deleted) = call(
        &server,
        &ada,
        Method::DELETE,
        &format!("/api/sessions/{session}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{deleted}");
    assert!(
        std::fs::read_dir(&drafts_dir).map_or(0, |d| d.count()) == 0,
        "drafts outlived their session"
    );
    let (status, _) = call(&server, &ada, Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ended_interview_takes_no_more_drafts_but_keeps_its_own() {
    let server = LocalServer::start().await;
    let ada = server.token("ada", &[]);
    let session = server.create_session(&ada, "Coding", "Ada L").await;
    let path = format!("/api/interviews/{session}/drafts");
    let (status, _) = call(
        &server,
        &ada,
        Method::PUT,
        &path,
        Some(&draft("valid-anagram", "javascript", "// a")),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, ended) = call(
        &server,
        &ada,
        Method::POST,
        &format!("/api/interviews/{session}/end"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{ended}");
    let (status, answer) = call(
        &server,
        &ada,
        Method::PUT,
        &path,
        Some(&draft("valid-anagram", "javascript", "// b")),
    )
    .await;
    assert_eq!(
        (status, refusal(&answer)),
        (StatusCode::CONFLICT, "interview_ended")
    );
    let (_, body) = call(&server, &ada, Method::GET, &path, None).await;
    assert_eq!(body["drafts"][0]["code"], "// a");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resume_corrections_are_validated_saved_and_used_by_the_interviewer() {
    let server = LocalServer::start().await;
    let ada = server.token("ada", &[]);
    let session = server.create_session(&ada, "Google SDE", "Ada L").await;
    let path = format!("/api/interviews/{session}/cv-analysis");

    let refusals: Vec<(Value, &str)> = vec![
        (
            json!({"skills": ["Rust"], "hobbies": ["chess"]}),
            "invalid_field",
        ),
        (json!({"skills": ["x".repeat(61)]}), "invalid_cv_correction"),
        (json!({"skills": [""]}), "invalid_cv_correction"),
        (
            json!({"skills": (0..101).map(|i| format!("s{i}")).collect::<Vec<_>>()}),
            "invalid_cv_correction",
        ),
        (
            json!({"experience": [{"title": "t".repeat(201), "company": "c"}]}),
            "invalid_cv_correction",
        ),
        (
            json!({"experience": [{"title": "", "company": ""}]}),
            "invalid_cv_correction",
        ),
        (
            json!({"experience": [{"title": "A", "company": "B", "durationMonths": 5000}]}),
            "invalid_cv_correction",
        ),
        (
            json!({"experience": [{"title": "A", "company": "B", "salary": 1}]}),
            "invalid_field",
        ),
        (
            json!({"education": [{"degree": "BSc", "institution": "X\u{7}"}]}),
            "invalid_cv_correction",
        ),
        (json!({"totalYearsExperience": 40}), "invalid_field"),
        (json!(["Rust"]), "invalid_field"),
    ];
    for (body, code) in refusals {
        let (status, answer) =
            call(&server, &ada, Method::PUT, &path, Some(&body.to_string())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
        assert_eq!(refusal(&answer), code, "{body}: {answer}");
    }
    let (status, _) = call(&server, &ada, Method::GET, &path, None).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "nothing was saved by a refusal"
    );

    let corrections = json!({
        "candidateName": "Ada Lovelace",
        "skills": ["kubernetes", "python", "Analytical Engine Programming", "Python"],
        "experience": [
            {"title": "Staff Engineer", "company": "Difference Works", "startDate": "2020-01", "endDate": "Present"},
            {"title": "Engineer", "company": "Babbage & Co", "startDate": "2018-01", "endDate": "2020-06"}
        ],
        "education": [{"degree": "BSc Mathematics", "institution": "University of London", "year": "2017"}]
    });
    let (status, saved) = call(
        &server,
        &ada,
        Method::PUT,
        &path,
        Some(&corrections.to_string()),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let analysis = &saved["analysis"];
    assert_eq!(
        analysis["skills"],
        json!(["Kubernetes", "Python", "Analytical Engine Programming"]),
        "known skills take the taxonomy's spelling, duplicates go: {analysis}"
    );
    assert_eq!(
        analysis["skillsByCategory"]["Other"],
        json!(["Analytical Engine Programming"])
    );
    assert!(
        analysis["totalYearsExperience"].as_f64().unwrap() > 6.0,
        "{analysis}"
    );
    assert!(
        analysis["interviewMatch"]["summary"].is_string(),
        "{analysis}"
    );
    let (status, read) = call(&server, &ada, Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(read["analysis"]["skills"], analysis["skills"]);

    let eve = server.token("eve", &[]);
    let (status, _) = call(
        &server,
        &eve,
        Method::PUT,
        &path,
        Some(&corrections.to_string()),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The interviewer greets with the corrected role and asks about a corrected skill.
    let mut socket = connect(&server, &session, &ada).await;
    send(&mut socket, json!({"type": "start"})).await;
    assert_eq!(next_json(&mut socket).await["type"], "voice");
    let (_, greeting, _) = read_turn(&mut socket).await;
    assert!(
        greeting.contains("Staff Engineer at Difference Works"),
        "{greeting}"
    );
    assert!(
        greeting.contains("I see Kubernetes on your resume"),
        "{greeting}"
    );

    // Once the interview has ended, corrections are refused.
    let (status, _) = call(
        &server,
        &ada,
        Method::POST,
        &format!("/api/interviews/{session}/end"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, answer) = call(
        &server,
        &ada,
        Method::PUT,
        &path,
        Some(&corrections.to_string()),
    )
    .await;
    assert_eq!(
        (status, refusal(&answer)),
        (StatusCode::CONFLICT, "interview_ended")
    );
}
