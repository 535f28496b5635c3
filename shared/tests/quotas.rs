//! Per-user daily quotas on the filesystem store, one test per quota, through the entrances a candidate uses:
//! interviews through `POST /api/sessions/create`, code runs through `POST /api/code/execute` and the socket's
//! `code`, voice minutes through the socket's `speech_start` / `audio` / `speech_end`. A refusal is a 429 with
//! `Retry-After` and `{"error": {"code": "quota_exceeded", …}}` (an `error` message on the socket), and nothing
//! is counted, run, transcribed or stored for it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use base64::Engine;
use bytes::Bytes;
use futures::StreamExt;
use http::{Method, StatusCode, header};
use prepai::adapters::local::FsObjectStore;
use prepai::api::{ApiRequest, ApiResponse};
use prepai::auth::LocalJwt;
use prepai::context::SpeechServices;
use prepai::domain::{ConnectionId, Identity, OwnerKey, QuotaLimits, SessionId, Source, quota_day};
use prepai::ports::{
    CodeRunner, CodeRunnerError, ObjectKey, PushChannel, PushError, SpeechError, SpeechHypothesis,
    SpeechToText, TranscriptStream,
};
use prepai::tools::code_executor::{ExecutionRequest, ExecutionResult, SandboxReport, TestOutcome};
use prepai::ws::handlers;
use prepai::{AppContext, Route};
use serde_json::{Value, json};

const SECRET: &[u8] = b"quota-tests-secret-0123456789abcdef";

/// Passes every test instantly and counts the runs it was asked for.
#[derive(Default)]
struct CountingRunner(AtomicUsize);

#[async_trait]
impl CodeRunner for CountingRunner {
    async fn run(&self, request: &ExecutionRequest) -> Result<ExecutionResult, CodeRunnerError> {
        self.0.fetch_add(1, Ordering::SeqCst);
        let report = SandboxReport {
            tests_started: request.test_cases.len(),
            outcomes: request
                .test_cases
                .iter()
                .map(|case| TestOutcome::Returned {
                    actual: case.expected.clone(),
                    stdout: String::new(),
                    seconds: 0.0,
                })
                .collect(),
            ..Default::default()
        };
        Ok(ExecutionResult::assemble(request, report))
    }
}

/// Hears "I would use a hash map." in anything, and counts what it was asked to transcribe.
#[derive(Default)]
struct CountingRecogniser(AtomicUsize);

#[async_trait]
impl SpeechToText for CountingRecogniser {
    async fn transcribe(&self, _pcm: Bytes) -> Result<TranscriptStream, SpeechError> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Ok(futures::stream::iter(vec![Ok(SpeechHypothesis {
            text: "I would use a hash map.".into(),
            is_final: true,
        })])
        .boxed())
    }
}

/// The messages pushed to the client.
#[derive(Default)]
struct Collected(Mutex<Vec<Value>>);

#[async_trait]
impl PushChannel for Collected {
    async fn push(&self, _connection: &ConnectionId, text: String) -> Result<(), PushError> {
        self.0
            .lock()
            .unwrap()
            .push(serde_json::from_str(&text).unwrap());
        Ok(())
    }
}

impl Collected {
    fn take(&self) -> Vec<Value> {
        std::mem::take(&mut self.0.lock().unwrap())
    }
}

struct Fixture {
    ctx: AppContext,
    runner: Arc<CountingRunner>,
    recogniser: Arc<CountingRecogniser>,
    _dir: tempfile::TempDir,
}

fn fixture(limits: QuotaLimits) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let runner = Arc::new(CountingRunner::default());
    let recogniser = Arc::new(CountingRecogniser::default());
    let ctx = AppContext::new(Arc::new(FsObjectStore::new(dir.path())))
        .with_interviewer(Arc::new(
            prepai::adapters::local::LocalInterviewer::embedded(),
        ))
        .with_code_runner(runner.clone())
        .with_verifier(Arc::new(LocalJwt::new(SECRET).unwrap()))
        .with_speech(SpeechServices {
            stt: Some(recogniser.clone()),
            ..SpeechServices::default()
        })
        .with_quota_limits(limits);
    Fixture {
        ctx,
        runner,
        recogniser,
        _dir: dir,
    }
}

fn limits(interviews: u32, voice_seconds: u32, code_runs: u32) -> QuotaLimits {
    QuotaLimits {
        interviews_per_day: interviews,
        voice_seconds_per_day: voice_seconds,
        code_runs_per_day: code_runs,
    }
}

fn user(sub: &str) -> Identity {
    Identity::new(sub, vec![]).unwrap()
}

fn request(caller: &Identity, body: Value) -> ApiRequest {
    ApiRequest {
        method: Method::POST,
        body: Bytes::from(body.to_string()),
        identity: Some(caller.clone()),
        ..ApiRequest::default()
    }
}

fn body(response: &ApiResponse) -> Value {
    serde_json::from_slice(&response.body).unwrap()
}

/// A 429 in the documented shape, with a `Retry-After` that ends by the next UTC midnight.
fn assert_quota_refusal(response: &ApiResponse) {
    assert_eq!(
        response.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{:?}",
        body(response)
    );
    let json = body(response);
    assert_eq!(json["error"]["code"], "quota_exceeded", "{json}");
    assert!(
        json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("midnight UTC"),
        "{json}"
    );
    let retry: u64 = response.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=86_400).contains(&retry), "Retry-After: {retry}");
}

async fn create(ctx: &AppContext, caller: &Identity) -> ApiResponse {
    Route::CreateSession
        .handle(
            ctx,
            request(
                caller,
                json!({"interview_type": "Coding", "candidate_name": "Quinn"}),
            ),
        )
        .await
}

async fn new_session(ctx: &AppContext, caller: &Identity) -> SessionId {
    let response = create(ctx, caller).await;
    assert_eq!(
        response.status,
        StatusCode::CREATED,
        "{:?}",
        body(&response)
    );
    SessionId::parse(body(&response)["session_id"].as_str().unwrap()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn interviews_per_day() {
    let f = fixture(limits(3, 0, 0));
    let (quinn, other) = (user("quinn"), user("other"));
    // Eight at once: the counter's conditional writes let exactly three through.
    let attempts = futures::future::join_all((0..8).map(|_| create(&f.ctx, &quinn))).await;
    let created = attempts
        .iter()
        .filter(|r| r.status == StatusCode::CREATED)
        .count();
    assert_eq!(created, 3);
    for refused in attempts.iter().filter(|r| r.status != StatusCode::CREATED) {
        assert_quota_refusal(refused);
    }
    let listed = Route::ListSessions
        .handle(
            &f.ctx,
            ApiRequest {
                identity: Some(quinn.clone()),
                ..ApiRequest::default()
            },
        )
        .await;
    assert_eq!(
        body(&listed)["count"],
        3,
        "no session was made for a refusal"
    );
    // Another user's day is their own.
    assert_eq!(create(&f.ctx, &other).await.status, StatusCode::CREATED);
    // The counter is where the README says, for today.
    let key = ObjectKey::quota(&OwnerKey::of("quinn"), quota_day(chrono::Utc::now()));
    let stored = f
        .ctx
        .objects()
        .get(&key)
        .await
        .unwrap()
        .expect("counter stored");
    assert_eq!(
        serde_json::from_slice::<Value>(&stored.body).unwrap()["interviews"],
        3
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn code_runs_per_day() {
    let f = fixture(limits(0, 0, 2));
    let quinn = user("quinn");
    let session = new_session(&f.ctx, &quinn).await;
    let run = || {
        request(
            &quinn,
            json!({"sessionId": session.to_string(), "code": "def f(x):\n    return x\n", "language": "python",
                   "functionName": "f", "testCases": [{"input": 1, "expected": 1}]}),
        )
    };
    for _ in 0..2 {
        let response = Route::ExecuteCode.handle(&f.ctx, run()).await;
        assert_eq!(response.status, StatusCode::OK, "{:?}", body(&response));
    }
    let refused = Route::ExecuteCode.handle(&f.ctx, run()).await;
    assert_quota_refusal(&refused);
    assert_eq!(
        f.runner.0.load(Ordering::SeqCst),
        2,
        "the refused run never ran"
    );

    // A request that would be refused anyway (an unknown language) costs nothing: validation comes first.
    let invalid = Route::ExecuteCode
        .handle(
            &f.ctx,
            request(
                &quinn,
                json!({"sessionId": session.to_string(), "code": "x", "language": "cobol",
                       "functionName": "f", "testCases": [{"input": 1, "expected": 1}]}),
            ),
        )
        .await;
    assert_eq!(invalid.status, StatusCode::BAD_REQUEST);

    // The socket's `code` message is the same use case: an `error` with the same code.
    let (connection, push) = connect(&f, &quinn, &session).await;
    handlers::message(
        &f.ctx,
        &push,
        &connection,
        &json!({"type": "code", "code": "def f(x):\n    return x\n", "language": "python", "functionName": "f",
                "testCases": [{"input": 1, "expected": 1}]})
        .to_string(),
    )
    .await;
    let pushed = push.take();
    assert_eq!(pushed.len(), 1, "{pushed:?}");
    assert_eq!(pushed[0]["type"], "error");
    assert_eq!(pushed[0]["code"], "quota_exceeded");
    assert_eq!(f.runner.0.load(Ordering::SeqCst), 2);
    let stored = f.ctx.sessions.get(&session, &quinn).await.unwrap();
    assert_eq!(
        stored.code_submissions.len(),
        2,
        "only the granted runs are recorded"
    );
}

async fn connect(f: &Fixture, who: &Identity, session: &SessionId) -> (String, Collected) {
    let token = LocalJwt::new(SECRET).unwrap().mint(
        who.sub(),
        &[],
        chrono::Utc::now(),
        chrono::Duration::hours(1),
    );
    let query = HashMap::from([
        ("token".to_owned(), token),
        ("session_id".to_owned(), session.to_string()),
    ]);
    let connection = format!("conn-{}", uuid::Uuid::new_v4().simple());
    assert_eq!(
        handlers::connect(&f.ctx, &connection, &query).await.status,
        200
    );
    (connection, Collected::default())
}

/// One spoken answer of `seconds` (a loud buzz: the stand-in recogniser does not listen, the handler checks
/// there is sound), sent as the browser does; returns the messages pushed back.
async fn say(f: &Fixture, push: &Collected, connection: &str, seconds: f64) -> Vec<Value> {
    let samples: Vec<i16> = (0..(seconds * 16_000.0) as usize)
        .map(|i| if i % 20 < 10 { 7000 } else { -7000 })
        .collect();
    let pcm = prepai::voice::Pcm16::from_samples(&samples);
    let send = |message: Value| {
        let text = message.to_string();
        async move { handlers::message(&f.ctx, push, connection, &text).await }
    };
    send(json!({"type": "speech_start"})).await;
    let mut chunks = 0;
    for (seq, chunk) in pcm.bytes().chunks(16_000).enumerate() {
        let data = base64::engine::general_purpose::STANDARD.encode(chunk);
        send(json!({"type": "audio", "seq": seq, "data": data})).await;
        chunks += 1;
    }
    send(json!({"type": "speech_end", "chunks": chunks})).await;
    push.take()
}

fn errors(pushed: &[Value]) -> Vec<&Value> {
    pushed.iter().filter(|m| m["type"] == "error").collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn voice_minutes_per_day() {
    let f = fixture(limits(0, 60, 0));
    let quinn = user("quinn");
    let session = new_session(&f.ctx, &quinn).await;
    let (connection, push) = connect(&f, &quinn, &session).await;

    // 40 s of a 60 s day: transcribed and answered.
    let pushed = say(&f, &push, &connection, 40.0).await;
    assert!(errors(&pushed).is_empty(), "{pushed:?}");
    assert_eq!(f.recogniser.0.load(Ordering::SeqCst), 1);

    // Another 30 s would pass the limit: refused at its end, never sent to the recogniser, nothing recorded.
    let pushed = say(&f, &push, &connection, 30.0).await;
    let refused = errors(&pushed);
    assert_eq!(refused.len(), 1, "{pushed:?}");
    assert_eq!(refused[0]["code"], "quota_exceeded");
    assert!(
        refused[0]["message"]
            .as_str()
            .unwrap()
            .contains("type your answers")
    );
    assert_eq!(f.recogniser.0.load(Ordering::SeqCst), 1);

    // 20 s still fit; then the day is used up and the next answer is refused as soon as it starts.
    let pushed = say(&f, &push, &connection, 20.0).await;
    assert!(errors(&pushed).is_empty(), "{pushed:?}");
    handlers::message(
        &f.ctx,
        &push,
        &connection,
        &json!({"type": "speech_start"}).to_string(),
    )
    .await;
    let pushed = push.take();
    assert_eq!(pushed.len(), 1, "{pushed:?}");
    assert_eq!(pushed[0]["code"], "quota_exceeded");

    let stored = f.ctx.sessions.get(&session, &quinn).await.unwrap();
    let spoken = stored
        .transcript
        .iter()
        .filter(|e| e.source == Source::Voice)
        .count();
    assert_eq!(spoken, 2, "the refused answer is not in the transcript");
    let recordings = f
        .ctx
        .objects()
        .list(&prepai::ports::KeyPrefix::recordings(&session))
        .await
        .unwrap();
    let kept_seconds = recordings.len() as f64 * 0.5;
    assert!(
        (kept_seconds - 60.0).abs() < 1.0,
        "the refused answer's audio is deleted: {kept_seconds} s kept"
    );
}
