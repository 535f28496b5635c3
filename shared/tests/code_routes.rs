//! The code routes' handlers against a stand-in code runner: what the route does with the runner's answers and
//! refusals, independent of any sandbox (the sandbox crate tests the same handlers with the real one).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use bytes::Bytes;
use chrono::Utc;
use http::{Method, StatusCode};
use prepai::AppContext;
use prepai::adapters::local::FsObjectStore;
use prepai::api::ApiRequest;
use prepai::domain::{
    CandidateName, Identity, InterviewType, Session, SessionId, SubmissionEntry, Transition,
};
use prepai::handlers::code;
use prepai::ports::{CodeRunner, CodeRunnerError};
use prepai::tools::code_executor::{
    ExecutionRequest, ExecutionResult, QualityMetrics, SandboxReport, SourceMeasurements,
    TestOutcome,
};
use serde_json::{Value, json};

/// Answers every request by returning each test's input as its result, and remembers what it was sent.
#[derive(Default)]
struct EchoRunner {
    seen: Mutex<Vec<ExecutionRequest>>,
}

#[async_trait]
impl CodeRunner for EchoRunner {
    async fn run(&self, request: &ExecutionRequest) -> Result<ExecutionResult, CodeRunnerError> {
        self.seen.lock().unwrap().push(request.clone());
        let report = SandboxReport {
            tests_started: request.test_cases.len(),
            outcomes: request
                .test_cases
                .iter()
                .map(|case| TestOutcome::Returned {
                    actual: case.input.clone(),
                    stdout: String::new(),
                    seconds: 0.001,
                })
                .collect(),
            quality_metrics: Some(QualityMetrics::from_measurements(SourceMeasurements {
                code_lines: 2,
                decision_points: 1,
                ..Default::default()
            })),
            wall_seconds: 0.01,
            ..Default::default()
        };
        Ok(ExecutionResult::assemble(request, report))
    }
}

/// Refuses or fails every request.
struct Failing {
    rejected: bool,
}

#[async_trait]
impl CodeRunner for Failing {
    async fn run(&self, _request: &ExecutionRequest) -> Result<ExecutionResult, CodeRunnerError> {
        Err(if self.rejected {
            CodeRunnerError::Rejected("the code does not define f".into())
        } else {
            CodeRunnerError::Unavailable("worker missing".into())
        })
    }
}

async fn context(
    runner: Arc<dyn CodeRunner>,
) -> (AppContext, Identity, SessionId, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let ctx = AppContext::new(Arc::new(FsObjectStore::new(dir.path()))).with_code_runner(runner);
    let owner = Identity::new("owner", vec![]).unwrap();
    let session = Session::new(
        SessionId::new_random(),
        &owner,
        InterviewType::Coding,
        CandidateName::parse("Ada").unwrap(),
        Utc::now(),
    );
    ctx.sessions.create(&session).await.unwrap();
    (ctx, owner, session.session_id, dir)
}

fn post(owner: &Identity, body: Value) -> ApiRequest {
    ApiRequest {
        method: Method::POST,
        body: Bytes::from(body.to_string()),
        identity: Some(owner.clone()),
        ..ApiRequest::default()
    }
}

fn get(owner: &Identity, params: &[(&str, String)]) -> ApiRequest {
    ApiRequest {
        method: Method::GET,
        path_params: params
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect::<HashMap<_, _>>(),
        identity: Some(owner.clone()),
        ..ApiRequest::default()
    }
}

fn body(session: SessionId) -> Value {
    json!({
        "sessionId": session.to_string(),
        "code": "def f(x):\n    return x",
        "language": "Python",
        "functionName": "f",
        "testCases": [{"input": "[1,2]", "expected": "[1,2]"}, {"input": "\"7\"", "expected": 7}],
    })
}

#[tokio::test]
async fn the_runner_gets_the_canonical_input_and_the_result_is_stored() {
    let runner = Arc::new(EchoRunner::default());
    let (ctx, owner, session, _dir) = context(runner.clone()).await;
    let response = code::execute(&ctx, post(&owner, body(session)))
        .await
        .unwrap();
    assert_eq!(response.status, StatusCode::OK);
    let answer = response.body_json();
    assert_eq!(answer["verdict"], "WrongAnswer");
    assert_eq!(answer["passedCount"], 1);
    assert_eq!(answer["testResults"][1]["actual"], "7");

    let sent = runner.seen.lock().unwrap()[0].clone();
    assert_eq!(
        sent.language,
        prepai::tools::code_executor::Language::Python
    );
    assert_eq!(sent.test_cases[1].input, json!("7"));
    assert_eq!(
        answer["mode"], "scratch",
        "the candidate's own tests make a scratch run"
    );

    let listed = code::list_submissions(&ctx, get(&owner, &[("session_id", session.to_string())]))
        .await
        .unwrap()
        .body_json();
    assert_eq!(
        listed["submissions"][0]["submissionId"],
        answer["submissionId"]
    );
    assert_eq!(listed["summary"]["verdicts"]["WrongAnswer"], 1);
}

#[tokio::test]
async fn runner_refusals_are_400_and_outages_500_and_neither_is_stored() {
    for (rejected, status) in [
        (true, StatusCode::BAD_REQUEST),
        (false, StatusCode::INTERNAL_SERVER_ERROR),
    ] {
        let (ctx, owner, session, _dir) = context(Arc::new(Failing { rejected })).await;
        let error = code::execute(&ctx, post(&owner, body(session)))
            .await
            .unwrap_err();
        assert_eq!(error.status(), status);
        let stored = ctx.sessions.get(&session, &owner).await.unwrap();
        assert!(stored.code_submissions.is_empty());
    }
}

#[tokio::test]
async fn an_empty_session_summarises_to_zeroes_and_ignores_foreign_entries() {
    let (ctx, owner, session, _dir) = context(Arc::new(EchoRunner::default())).await;
    ctx.sessions
        .update(&session, &owner, Transition::RecordRun, |s| {
            s.code_submissions.push(SubmissionEntry::Inline(
                json!({"code": "print(1)", "from": "the seed"}),
            ));
            Ok::<_, prepai::store::SessionStoreError>(())
        })
        .await
        .unwrap();
    let summary = code::quality_summary(&ctx, get(&owner, &[("session_id", session.to_string())]))
        .await
        .unwrap()
        .body_json();
    assert_eq!(summary["totalSubmissions"], 0);
    assert_eq!(summary["averageQualityScore"], 0.0);
    assert_eq!(summary["sessionId"], session.to_string());
}
