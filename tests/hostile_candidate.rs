//! A candidate who sends the most the API allows, a thousand times over: the largest code with the most tests whose
//! function returns and prints far more than is stored, the longest answers, a resume again and again. The session
//! document must stay under its documented ceiling throughout, every refusal must be a 4xx with the JSON error, and
//! each stored run must keep its outputs within the documented cap.

use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;
use futures::stream;
use prepai::AppContext;
use prepai::adapters::local::FsObjectStore;
use prepai::api::{ApiError, ApiRequest};
use prepai::app::interview::{CandidateMessage, TurnObserver};
use prepai::app::sessions::NewSession;
use prepai::domain::{
    CandidateName, Identity, InterviewType, MAX_SESSION_DOCUMENT_BYTES, TranscriptEntry,
};
use prepai::ports::{
    CodeRunner, CodeRunnerError, InterviewTurn, Interviewer, InterviewerError, InterviewerEvent,
    InterviewerStream, ObjectKey,
};
use prepai::tools::code_executor::{
    ExecutionRequest, ExecutionResult, MAX_CODE_BYTES, MAX_STORED_OUTPUT_BYTES, MAX_TEST_CASES,
    SandboxReport, TestOutcome,
};
use serde_json::{Value, json};

/// Every test returns and prints 16 KiB, four times what a stored run keeps.
struct FloodingRunner;

const FLOOD_BYTES: usize = 16 * 1024;

#[async_trait]
impl CodeRunner for FloodingRunner {
    async fn run(&self, request: &ExecutionRequest) -> Result<ExecutionResult, CodeRunnerError> {
        let big = "x".repeat(FLOOD_BYTES);
        let report = SandboxReport {
            tests_started: request.test_cases.len(),
            outcomes: request
                .test_cases
                .iter()
                .map(|_| TestOutcome::Returned {
                    actual: Value::String(big.clone()),
                    stdout: big.clone(),
                    seconds: 0.0,
                })
                .collect(),
            ..Default::default()
        };
        Ok(ExecutionResult::assemble(request, report))
    }
}

/// Replies with 20 KiB every turn (more than a stored reply keeps).
struct Talkative;

#[async_trait]
impl Interviewer for Talkative {
    async fn turn(&self, _turn: InterviewTurn) -> Result<InterviewerStream, InterviewerError> {
        Ok(Box::pin(stream::iter([
            Ok(InterviewerEvent::Chunk("Tell me more. ".repeat(1_500))),
            Ok(InterviewerEvent::Done { state: None }),
        ])))
    }
}

struct Quiet;

#[async_trait]
impl TurnObserver for Quiet {
    async fn recorded(&self, _entry: &TranscriptEntry) {}
    async fn chunk(&self, _text: &str) {}
    async fn problem(&self, _problem: &Value) {}
    async fn complete(&self, _text: &str) {}
    async fn broke(&self) {}
    async fn unsaved(&self, _error: prepai::app::AppError) {}
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_session_document_stays_under_its_ceiling_and_every_refusal_is_a_4xx() {
    let dir = tempfile::tempdir().unwrap();
    let objects = Arc::new(FsObjectStore::new(dir.path()));
    let ctx = AppContext::new(objects.clone())
        .with_code_runner(Arc::new(FloodingRunner))
        .with_interviewer(Arc::new(Talkative));
    let mallory = Identity::new("mallory", vec![]).unwrap();
    let id = ctx
        .session_cases()
        .create(
            &mallory,
            NewSession {
                interview_type: InterviewType::Coding,
                candidate_name: CandidateName::parse("Mallory").unwrap(),
            },
        )
        .await
        .unwrap()
        .session_id;
    let code = format!(
        "def f(x):\n    return x\n#{}\n",
        "#".repeat(MAX_CODE_BYTES - 40)
    );
    assert!(code.len() <= MAX_CODE_BYTES);
    let tests: Vec<Value> = (0..MAX_TEST_CASES)
        .map(|i| json!({"input": i, "expected": i}))
        .collect();
    let body = json!({"sessionId": id.to_string(), "code": code, "language": "python",
                      "functionName": "f", "testCases": tests})
    .to_string();
    let answer = "I would ".repeat(1_250);
    let resume = format!(
        "Mallory Example\nmallory@example.com\nSkills: {}\n",
        "Python, Rust, Go, Kubernetes, ".repeat(20_000)
    );

    let (mut runs, mut answers, mut refusals) = (0, 0, Vec::new());
    let mut largest = 0;
    let document_size = || async {
        prepai::ports::ObjectStore::get(objects.as_ref(), &ObjectKey::session(&id))
            .await
            .unwrap()
            .unwrap()
            .body
            .len()
    };
    // A thousand of the largest runs the API takes.
    for i in 0..1_000 {
        let response = prepai::Route::ExecuteCode
            .handle(
                &ctx,
                ApiRequest {
                    method: http::Method::POST,
                    body: Bytes::from(body.clone()),
                    identity: Some(mallory.clone()),
                    ..Default::default()
                },
            )
            .await;
        match response.status.as_u16() {
            200 => runs += 1,
            status => {
                assert!((400..500).contains(&status), "run {i}: {status}");
                assert!(response.body_json()["error"]["code"].is_string());
                refusals.push(status);
            }
        }
        let size = document_size().await;
        largest = largest.max(size);
        assert!(
            size <= MAX_SESSION_DOCUMENT_BYTES,
            "after run {i} the document is {size} bytes"
        );
    }
    // A thousand of the longest answers, with a huge resume every fiftieth.
    for i in 0..1_000 {
        match ctx
            .interview()
            .answer(
                &mallory,
                &id,
                CandidateMessage::typed(answer.clone()),
                &Quiet,
            )
            .await
        {
            Ok(()) => answers += 1,
            Err(e) => {
                let status = ApiError::from(e).status().as_u16();
                assert!((400..500).contains(&status), "answer {i}: {status}");
                refusals.push(status);
            }
        }
        if i % 50 == 0 {
            let uploaded = ctx
                .resumes()
                .upload(
                    &mallory,
                    &id,
                    prepai::app::cv::UploadedCv {
                        file_name: Some("cv.txt".into()),
                        bytes: Bytes::from(resume.clone()),
                    },
                )
                .await;
            if let Err(e) = uploaded {
                let status = ApiError::from(e).status().as_u16();
                assert!((400..500).contains(&status), "upload {i}: {status}");
            }
        }
        let size = document_size().await;
        largest = largest.max(size);
        assert!(
            size <= MAX_SESSION_DOCUMENT_BYTES,
            "after answer {i} the document is {size} bytes"
        );
    }
    eprintln!(
        "{runs} runs and {answers} answers accepted, {} refusals, largest document {largest} bytes",
        refusals.len()
    );
    assert_eq!(runs, prepai::app::code::MAX_SUBMISSIONS_PER_SESSION);
    assert!(
        answers > 10 && answers < 1_000,
        "answers stop at the transcript's cap: {answers}"
    );

    let session = ctx.session_cases().get(&mallory, &id).await.unwrap();
    let stored = ctx
        .submissions()
        .resolve(&id, &session.code_submissions)
        .await
        .unwrap();
    for run in &stored {
        for test in &run.result.test_results {
            let actual = test.actual.as_ref().unwrap().to_string();
            assert!(
                actual.len() <= MAX_STORED_OUTPUT_BYTES + 8,
                "{}",
                actual.len()
            );
            assert!(test.stdout.len() <= MAX_STORED_OUTPUT_BYTES + 4);
            let cut = test.truncated.as_ref().expect("the cut is recorded");
            assert_eq!(cut.stdout_bytes, Some(FLOOD_BYTES));
            assert_eq!(cut.stdout_sha256.as_ref().map(String::len), Some(64));
        }
    }
    let analysis = serde_json::to_vec(&session.cv_analysis).unwrap();
    assert!(analysis.len() <= prepai::app::cv::MAX_ANALYSIS_BYTES + 2_048);
}
