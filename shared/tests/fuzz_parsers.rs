//! Property tests (proptest) for every parser that takes bytes from outside, run through the same entrances
//! production uses:
//! - REST routes (`Route::handle`) with random bodies, path parameters, queries and callers: always an answer, never
//!   a 5xx, every refusal in the `{"error": {"code", "message"}}` shape, and a 4xx for a body that is not JSON;
//! - the resume upload with random `Content-Type` headers, boundaries and parts (extract_fuzz.rs covers random bodies
//!   under a fixed boundary and the extractors themselves);
//! - WebSocket client messages (`parse_client_message`) and audio chunks through `$default` on a bound connection
//!   (base64 PCM16), and `Pcm16` itself;
//! - Bedrock action-group events (`ToolInvocation::parse` and the whole tool entrance) for the resume analyser (with
//!   resume-like text), the performance evaluator and the code executor's request parsing;
//! - bearer tokens (`LocalJwt::verify`) and the socket handshake's `?token=`.
//!
//! No case may panic, take long (bounds are generous: only a hang trips them), or be treated as our fault. Each
//! property runs a few dozen cases so `cargo test` stays quick; `PROPTEST_CASES=20000 cargo test --workspace --test
//! fuzz_parsers` runs a long campaign. A case that ever fails is fixed and kept as a plain test.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use base64::Engine;
use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, header};
use prepai::adapters::local::FsObjectStore;
use prepai::api::ApiRequest;
use prepai::auth::LocalJwt;
use prepai::context::SpeechServices;
use prepai::domain::{CandidateName, ConnectionId, Identity, InterviewType, Session, SessionId};
use prepai::entry::tool_lambda;
use prepai::ports::{
    AuthError, CodeRunner, CodeRunnerError, PushChannel, PushError, SpeechError, SpeechToText,
    TranscriptStream,
};
use prepai::tools::ToolInvocation;
use prepai::tools::code_executor::{ExecutionRequest, ExecutionResult, SandboxReport};
use prepai::tools::{cv_analyzer, performance_evaluator};
use prepai::voice::Pcm16;
use prepai::ws::protocol::parse_client_message;
use prepai::ws::{MAX_FRAME_BYTES, handlers as socket};
use prepai::{AppContext, Route};
use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestRunner};
use serde_json::{Map, Value, json};

/// Far above anything these parsers take (microseconds to milliseconds); only a hang reaches it.
const BOUND: Duration = Duration::from_secs(20);

const SECRET: &[u8] = b"fuzz-secret-fuzz-secret-fuzz-secret!";

/// `cases` by default; `PROPTEST_CASES` overrides it for a longer campaign.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Runs `property` over `strategy`, failing the test with the smallest failing input proptest finds.
fn check<S: Strategy>(
    cases: u32,
    strategy: S,
    property: impl Fn(S::Value) -> Result<(), TestCaseError>,
) where
    S::Value: std::fmt::Debug,
{
    let mut runner = TestRunner::new(config(cases));
    if let Err(failure) = runner.run(&strategy, property) {
        panic!("{failure}");
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Random JSON: shapes close to what the parsers expect, not just noise.

/// Field names the parsers look for, and a few they do not.
const KEYS: &[&str] = &[
    "interview_type",
    "candidate_name",
    "sessionId",
    "session_id",
    "code",
    "language",
    "functionName",
    "testCases",
    "problemId",
    "timeout",
    "input",
    "expected",
    "args",
    "type",
    "text",
    "voice",
    "utterance",
    "seq",
    "data",
    "chunks",
    "cvText",
    "extractSkills",
    "interviewType",
    "conversationHistory",
    "duration",
    "codeSubmissions",
    "role",
    "content",
    "timestamp",
    "name",
    "value",
    "__proto__",
    "",
    "ünïcødé",
];

/// Strings the parsers treat specially, and some that break naive ones.
const WORDS: &[&str] = &[
    "",
    " ",
    "\u{0}",
    "python",
    "javascript",
    "Python",
    "cobol",
    "Google SDE",
    "Coding",
    "Behavioral",
    "google sde",
    "Alice",
    "def f(x):\n    return x",
    "function f(x) { return x; }",
    "f",
    "solve",
    "two-sum",
    "1",
    "-1",
    "1e309",
    "NaN",
    "[3,1,2]",
    "{\"a\":1}",
    "00000000-0000-0000-0000-000000000000",
    "not-a-uuid",
    "user",
    "assistant",
    "system",
    "start",
    "resume",
    "audio",
    "speech_start",
    "speech_end",
    "end",
    "true",
    "%E2%9C%93",
    "%ZZ",
    "../../etc/passwd",
    "\u{202e}evil",
    "😀",
];

fn json_number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop::sample::select(vec![
            0_i64,
            1,
            -1,
            2,
            3,
            10,
            50,
            51,
            3600,
            86_400,
            i64::MAX,
            i64::MIN
        ])
        .prop_map(Value::from),
    ]
}

fn json_string() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(WORDS).prop_map(str::to_owned),
        2 => any::<String>(),
        1 => (prop::sample::select(WORDS), 0..2000_usize).prop_map(|(w, n)| w.repeat(n)),
    ]
}

/// Any JSON value, nested a few levels, with objects keyed mostly by names the parsers read.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        json_number(),
        json_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        4 => prop::sample::select(KEYS).prop_map(str::to_owned),
                        1 => any::<String>()
                    ],
                    inner
                ),
                0..8
            )
            .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

/// A valid example with one field replaced, removed or added: close enough to pass the first checks.
fn near(valid: Value) -> impl Strategy<Value = Value> {
    let keys: Vec<String> = valid
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    (
        prop::sample::select(keys),
        0..3_usize,
        json_value(),
        prop::sample::select(KEYS),
    )
        .prop_map(move |(key, how, replacement, extra)| {
            let mut object = valid.as_object().cloned().unwrap_or_default();
            match how {
                0 => {
                    object.insert(key, replacement);
                }
                1 => {
                    object.remove(&key);
                }
                _ => {
                    object.insert(extra.to_owned(), replacement);
                }
            }
            Value::Object(object)
        })
}

/// Body bytes: noise, any JSON, near-valid JSON, or JSON cut short.
fn body(valid: Value) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        json_value().prop_map(|v| v.to_string().into_bytes()),
        near(valid.clone()).prop_map(|v| v.to_string().into_bytes()),
        (near(valid), any::<prop::sample::Index>()).prop_map(|(v, cut)| {
            let mut text = v.to_string().into_bytes();
            text.truncate(cut.index(text.len() + 1));
            text
        }),
    ]
}

// ---------------------------------------------------------------------------------------------------------------
// A context on a temporary directory, with a session, a code runner that echoes, and voice input that never hears.

/// Returns each test's input as its result, so a valid execute body is a 200, not a missing runner.
struct EchoRunner;

#[async_trait]
impl CodeRunner for EchoRunner {
    async fn run(&self, request: &ExecutionRequest) -> Result<ExecutionResult, CodeRunnerError> {
        Ok(ExecutionResult::assemble(request, SandboxReport::default()))
    }
}

/// Voice input that is "available" (so audio is accepted and stored) but is never asked to transcribe here.
struct DeafEars;

#[async_trait]
impl SpeechToText for DeafEars {
    async fn transcribe(&self, _pcm: Bytes) -> Result<TranscriptStream, SpeechError> {
        Err(SpeechError::Unavailable(
            "the fuzz tests do not transcribe".into(),
        ))
    }
}

/// Keeps every frame pushed to the client.
#[derive(Default)]
struct Frames(Mutex<Vec<String>>);

#[async_trait]
impl PushChannel for Frames {
    async fn push(&self, _connection: &ConnectionId, text: String) -> Result<(), PushError> {
        self.0
            .lock()
            .map_err(|e| PushError::Failed {
                connection: String::new(),
                message: e.to_string(),
            })?
            .push(text);
        Ok(())
    }
}

impl Frames {
    fn take(&self) -> Vec<String> {
        self.0
            .lock()
            .map(|mut f| std::mem::take(&mut *f))
            .unwrap_or_default()
    }
}

struct Fixture {
    runtime: tokio::runtime::Runtime,
    ctx: AppContext,
    jwt: LocalJwt,
    owner: Identity,
    session: SessionId,
    _dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Self {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let speech = SpeechServices {
            stt: Some(Arc::new(DeafEars)),
            ..SpeechServices::default()
        };
        let ctx = AppContext::new(Arc::new(FsObjectStore::new(dir.path())))
            .with_code_runner(Arc::new(EchoRunner))
            .with_verifier(Arc::new(LocalJwt::new(SECRET).unwrap()))
            .with_speech(speech);
        let owner = Identity::new("fuzzer", vec![]).unwrap();
        let session = Session::new(
            SessionId::new_random(),
            &owner,
            InterviewType::Coding,
            CandidateName::parse("Fuzz").unwrap(),
            chrono::Utc::now(),
        );
        runtime.block_on(ctx.sessions.create(&session)).unwrap();
        Self {
            runtime,
            ctx,
            jwt: LocalJwt::new(SECRET).unwrap(),
            owner,
            session: session.session_id,
            _dir: dir,
        }
    }

    fn token(&self) -> String {
        self.jwt.mint(
            self.owner.sub(),
            &[],
            chrono::Utc::now(),
            chrono::Duration::hours(1),
        )
    }
}

/// A refusal must be a 4xx with `{"error": {"code": "...", "message": "..."}}` and nothing else.
fn assert_refusal_shape(body: &Value) -> Result<(), TestCaseError> {
    let error = &body["error"];
    prop_assert!(
        body.as_object().is_some_and(|o| o.len() == 1)
            && error.as_object().is_some_and(|o| o.len() == 2)
            && error["code"].as_str().is_some_and(|c| !c.is_empty())
            && error["message"].as_str().is_some_and(|m| !m.is_empty()),
        "not the error shape: {body}"
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------------------------
// REST routes.

/// A path parameter: the fixture's session, a random UUID, or any text.
fn path_value() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        2 => Just(Some("{session}".to_owned())),
        1 => Just(Some("00000000-0000-4000-8000-000000000000".to_owned())),
        1 => json_string().prop_map(Some),
        1 => Just(None),
    ]
}

#[derive(Debug, Clone)]
struct RouteCase {
    route: Route,
    body: Vec<u8>,
    session_id: Option<String>,
    other_param: Option<String>,
    days: Option<String>,
    caller: u8,
    content_type: Option<String>,
}

/// A test case of an execute body: mostly well-formed, with values of any kind.
fn test_case_value() -> impl Strategy<Value = Value> {
    let value = prop_oneof![
        json_value(),
        json_value().prop_map(|v| Value::String(v.to_string()))
    ];
    (
        value.clone(),
        value,
        prop::option::of(prop::collection::vec(json_value(), 0..4)),
    )
        .prop_map(|(input, expected, args)| {
            let mut case = json!({"input": input, "expected": expected});
            if let Some(args) = args {
                case["args"] = Value::Array(args);
            }
            case
        })
}

/// An execute body whose every field may be odd, around a real session.
fn execute_body() -> impl Strategy<Value = Value> {
    (
        prop_oneof![
            3 => prop::sample::select(vec!["python", "javascript"]).prop_map(Value::from),
            1 => json_value()
        ],
        prop_oneof![
            3 => prop::sample::select(vec!["def f(x):\n    return x", "function f(x) { return x; }"])
                .prop_map(Value::from),
            1 => json_value()
        ],
        prop_oneof![3 => Just(json!("f")), 1 => json_value()],
        prop_oneof![
            3 => prop::collection::vec(test_case_value(), 0..4).prop_map(Value::Array),
            1 => json_value()
        ],
        prop::option::of(json_number()),
        prop::option::of(json_value()),
    )
        .prop_map(|(language, code, function, tests, timeout, problem)| {
            let mut body = json!({
                "sessionId": "{session}", "code": code, "language": language,
                "functionName": function, "testCases": tests,
            });
            if let Some(timeout) = timeout {
                body["timeout"] = timeout;
            }
            if let Some(problem) = problem {
                body["problemId"] = problem;
            }
            body
        })
}

/// What a route may be sent: its own body shape, near misses of it, JSON of any shape, or noise.
fn route_body(route: Route) -> BoxedStrategy<Vec<u8>> {
    match route {
        Route::CreateSession => {
            let valid = json!({"interview_type": "Coding", "candidate_name": "Alice"});
            prop_oneof![Just(valid.to_string().into_bytes()), body(valid)].boxed()
        }
        Route::ExecuteCode => prop_oneof![
            2 => execute_body().prop_map(|v| v.to_string().into_bytes()),
            1 => execute_body().prop_flat_map(body),
        ]
        .boxed(),
        _ => body(json!({"sessionId": "{session}"})).boxed(),
    }
}

fn route_case() -> impl Strategy<Value = RouteCase> {
    // The routes that read a body come up more often.
    prop_oneof![
        3 => Just(Route::ExecuteCode),
        2 => Just(Route::CreateSession),
        5 => prop::sample::select(Route::ALL),
    ]
    .prop_flat_map(|route| {
        // Ending or deleting the shared session would leave every later case a 404.
        let shared_session_allowed = !matches!(route, Route::DeleteSession | Route::EndInterview);
        (
            route_body(route),
            path_value().prop_map(move |v| {
                v.filter(|v| shared_session_allowed || !v.contains("{session}"))
            }),
            path_value(),
            prop::option::of(json_string()),
            prop_oneof![3 => Just(0_u8), 1 => Just(1_u8), 1 => Just(2_u8)],
            prop::option::of(prop_oneof![
                Just("application/json".to_owned()),
                Just("multipart/form-data; boundary=x".to_owned()),
                json_string()
            ]),
        )
            .prop_map(
                move |(body, session_id, other_param, days, caller, content_type)| RouteCase {
                    route,
                    body,
                    session_id,
                    other_param,
                    days,
                    caller,
                    content_type,
                },
            )
    })
}

impl Fixture {
    fn request(&self, case: &RouteCase) -> ApiRequest {
        let fill = |raw: &str| raw.replace("{session}", &self.session.to_string());
        let mut path_params = HashMap::new();
        if let Some(id) = &case.session_id {
            path_params.insert("session_id".to_owned(), fill(id));
        }
        if let Some(other) = &case.other_param {
            for name in ["submission_id", "interview_type", "name"] {
                path_params.insert(name.to_owned(), fill(other));
            }
        }
        let mut headers = HeaderMap::new();
        if let Some(value) = case
            .content_type
            .as_deref()
            .and_then(|t| HeaderValue::from_str(t).ok())
        {
            headers.insert(header::CONTENT_TYPE, value);
        }
        let body = String::from_utf8(case.body.clone())
            .map(|text| Bytes::from(fill(&text)))
            .unwrap_or_else(|_| Bytes::from(case.body.clone()));
        ApiRequest {
            method: Method::POST,
            path_params,
            query: case
                .days
                .iter()
                .map(|d| ("days".to_owned(), d.clone()))
                .collect(),
            headers,
            body,
            identity: match case.caller {
                0 => Some(self.owner.clone()),
                1 => Identity::new("someone-else", vec!["admin".into()]).ok(),
                _ => None,
            },
        }
    }
}

#[test]
fn rest_routes_answer_any_body_with_a_2xx_or_a_well_formed_4xx() {
    let fixture = Fixture::new();
    check(96, route_case(), |case| {
        let request = fixture.request(&case);
        let json_body = serde_json::from_slice::<Value>(&request.body).is_ok();
        let has_caller = request.identity.is_some();
        let started = Instant::now();
        let response = fixture
            .runtime
            .block_on(case.route.handle(&fixture.ctx, request));
        prop_assert!(started.elapsed() < BOUND, "took {:?}", started.elapsed());
        let status = response.status.as_u16();
        let body = response.body_json();
        prop_assert!(status < 500, "{:?} answered {status}: {body}", case.route);
        if status >= 400 {
            assert_refusal_shape(&body)?;
        }
        let reads_json = matches!(case.route, Route::CreateSession | Route::ExecuteCode);
        if reads_json && has_caller && !json_body {
            prop_assert!((400..500).contains(&status), "garbage got {status}: {body}");
        }
        Ok(())
    });
}

// ---------------------------------------------------------------------------------------------------------------
// The resume upload's multipart framing: random content types, boundaries and parts.

fn fixture_file(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/cv")
            .join(name),
    )
    .unwrap()
}

#[derive(Debug, Clone)]
struct UploadCase {
    header_boundary: String,
    body_boundary: String,
    quoted: bool,
    parts: Vec<(u8, String, Vec<u8>)>,
    content: u8,
    cut: prop::sample::Index,
    closed: bool,
}

fn upload_case() -> impl Strategy<Value = UploadCase> {
    let boundary = prop_oneof![
        Just("b0undary".to_owned()),
        Just(String::new()),
        Just("x".repeat(80)),
        Just("with space".to_owned()),
        Just("--".to_owned()),
        any::<String>(),
    ];
    (
        boundary.clone(),
        prop_oneof![3 => Just(None), 1 => boundary.prop_map(Some)],
        any::<bool>(),
        prop::collection::vec(
            (
                0..4_u8,
                json_string(),
                prop::collection::vec(any::<u8>(), 0..64),
            ),
            0..4,
        ),
        0..4_u8,
        any::<prop::sample::Index>(),
        any::<bool>(),
    )
        .prop_map(
            |(header_boundary, body_boundary, quoted, parts, content, cut, closed)| UploadCase {
                body_boundary: body_boundary.unwrap_or_else(|| header_boundary.clone()),
                header_boundary,
                quoted,
                parts,
                content,
                cut,
                closed,
            },
        )
}

fn upload_body(case: &UploadCase) -> Vec<u8> {
    use std::io::Write;
    let b = &case.body_boundary;
    let mut body = Vec::new();
    for (kind, name, noise) in &case.parts {
        let name = name.replace(['"', '\r', '\n'], "");
        let _ = write!(body, "--{b}\r\n");
        let _ = match kind {
            0 => write!(
                body,
                "Content-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            ),
            1 => write!(body, "Content-Disposition: form-data; name=\"{name}\"\r\n"),
            2 => write!(
                body,
                "Content-Disposition: form-data; name=\"f\"\r\nContent-Type: {name}\r\n"
            ),
            _ => write!(body, "{name}\r\n"),
        };
        body.extend_from_slice(b"\r\n");
        body.extend_from_slice(&match case.content {
            0 => noise.clone(),
            1 => fixture_file("10-lukasz-wisniewski-utf16le.txt"),
            2 => {
                let mut pdf = fixture_file("01-ada-lovelace.pdf");
                pdf.truncate(case.cut.index(pdf.len() + 1));
                pdf
            }
            _ => format!("{name}\nExperience\n2019 – 2021 Engineer at {name}\n").into_bytes(),
        });
        body.extend_from_slice(b"\r\n");
    }
    if case.closed {
        let _ = write!(body, "--{b}--\r\n");
    }
    body
}

#[test]
fn the_upload_route_answers_any_multipart_framing() {
    let fixture = Fixture::new();
    check(48, upload_case(), |case| {
        let content_type = if case.quoted {
            format!("multipart/form-data; boundary=\"{}\"", case.header_boundary)
        } else {
            format!("multipart/form-data; boundary={}", case.header_boundary)
        };
        let mut headers = HeaderMap::new();
        if let Ok(value) = HeaderValue::from_bytes(content_type.as_bytes()) {
            headers.insert(header::CONTENT_TYPE, value);
        }
        let request = ApiRequest {
            method: Method::POST,
            path_params: HashMap::from([("session_id".to_owned(), fixture.session.to_string())]),
            headers,
            body: Bytes::from(upload_body(&case)),
            identity: Some(fixture.owner.clone()),
            ..ApiRequest::default()
        };
        let started = Instant::now();
        let response = fixture
            .runtime
            .block_on(Route::UploadCv.handle(&fixture.ctx, request));
        prop_assert!(started.elapsed() < BOUND, "took {:?}", started.elapsed());
        let status = response.status.as_u16();
        let body = response.body_json();
        prop_assert!(status < 500, "upload answered {status}: {body}");
        if status >= 400 {
            assert_refusal_shape(&body)?;
        }
        Ok(())
    });
}

// ---------------------------------------------------------------------------------------------------------------
// WebSocket client messages and audio.

const MESSAGE_TYPES: &[&str] = &[
    "start",
    "resume",
    "text",
    "code",
    "speech_start",
    "audio",
    "speech_end",
    "end",
    "Start",
    "",
    "report",
];

fn client_frame() -> impl Strategy<Value = String> {
    let typed = (
        prop::sample::select(MESSAGE_TYPES),
        prop::collection::vec((prop::sample::select(KEYS), json_value()), 0..5),
    )
        .prop_map(|(kind, fields)| {
            let mut object: Map<String, Value> =
                fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
            object.insert("type".into(), Value::String(kind.to_owned()));
            Value::Object(object).to_string()
        });
    prop_oneof![
        any::<String>(),
        json_value().prop_map(|v| v.to_string()),
        typed,
        (0..3_usize).prop_map(|n| format!(
            "{{\"type\":\"text\",\"text\":\"{}\"}}",
            "a".repeat(MAX_FRAME_BYTES * n / 2 + 1)
        )),
    ]
}

#[test]
fn client_messages_parse_or_are_refused_with_a_code() {
    check(512, client_frame(), |frame| {
        let started = Instant::now();
        let parsed = parse_client_message(&frame);
        prop_assert!(started.elapsed() < BOUND);
        match parsed {
            Ok(_) => {
                prop_assert!(frame.len() <= MAX_FRAME_BYTES);
                prop_assert!(serde_json::from_str::<Value>(&frame).is_ok());
            }
            Err(refusal) => {
                prop_assert!(!refusal.code.is_empty() && !refusal.message.is_empty());
            }
        }
        Ok(())
    });
}

#[derive(Debug, Clone)]
struct AudioCase {
    seq: Value,
    data: Value,
    utterance: Option<u32>,
    extra: Option<(String, Value)>,
}

fn audio_case() -> impl Strategy<Value = AudioCase> {
    let b64 = |bytes: Vec<u8>| base64::engine::general_purpose::STANDARD.encode(bytes);
    let data = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..600).prop_map(move |b| Value::String(b64(b))),
        (1..4_000_usize).prop_map(move |n| Value::String(b64(vec![7; n * 2 + 1]))),
        json_string().prop_map(Value::String),
        json_value(),
    ];
    let seq = prop_oneof![
        4 => (0..8_u32).prop_map(Value::from),
        1 => json_number(),
        1 => json_value(),
    ];
    (
        seq,
        data,
        prop_oneof![Just(Some(0)), Just(None)],
        prop::option::of((
            prop::sample::select(KEYS).prop_map(str::to_owned),
            json_value(),
        )),
    )
        .prop_map(|(seq, data, utterance, extra)| AudioCase {
            seq,
            data,
            utterance,
            extra,
        })
}

#[test]
fn audio_chunks_are_stored_or_refused_by_the_socket() {
    let fixture = Fixture::new();
    let frames = Frames::default();
    let connection = "fuzzconnection=";
    let query = HashMap::from([
        ("token".to_owned(), fixture.token()),
        ("session_id".to_owned(), fixture.session.to_string()),
    ]);
    let reply = fixture
        .runtime
        .block_on(socket::connect(&fixture.ctx, connection, &query));
    assert_eq!(reply.status, 200, "{reply:?}");
    let start = r#"{"type":"speech_start","utterance":0}"#;
    fixture
        .runtime
        .block_on(socket::message(&fixture.ctx, &frames, connection, start));
    assert_eq!(
        frames.take(),
        Vec::<String>::new(),
        "speech_start is silent"
    );

    check(128, audio_case(), |case| {
        let mut message = json!({"type": "audio", "seq": case.seq, "data": case.data});
        if let Some(n) = case.utterance {
            message["utterance"] = json!(n);
        }
        if let Some((key, value)) = case.extra
            && key != "type"
        {
            message[key] = value;
        }
        let started = Instant::now();
        fixture.runtime.block_on(socket::message(
            &fixture.ctx,
            &frames,
            connection,
            &message.to_string(),
        ));
        prop_assert!(started.elapsed() < BOUND);
        for frame in frames.take() {
            let reply: Value = serde_json::from_str(&frame).unwrap_or_default();
            prop_assert_eq!(&reply["type"], "error", "unexpected reply {}", frame);
            let code = reply["code"].as_str().unwrap_or_default();
            prop_assert!(
                !code.is_empty() && code != "internal" && code != "busy",
                "audio refused as our fault: {frame}"
            );
        }
        Ok(())
    });
}

#[test]
fn pcm16_takes_whole_samples_only() {
    check(256, prop::collection::vec(any::<u8>(), 0..4096), |bytes| {
        let len = bytes.len();
        match Pcm16::parse(Bytes::from(bytes)) {
            Ok(pcm) => {
                prop_assert!(len % 2 == 0);
                prop_assert_eq!(pcm.samples().count(), len / 2);
                prop_assert!(pcm.to_f32().iter().all(|s| (-1.0..1.0).contains(s)));
                prop_assert!(pcm.seconds() >= 0.0);
                if let Some(voiced) = pcm.voiced_seconds() {
                    prop_assert!(voiced > 0.0 && voiced <= pcm.seconds() + 0.02);
                }
            }
            Err(_) => prop_assert!(len % 2 == 1),
        }
        Ok(())
    });
}

// ---------------------------------------------------------------------------------------------------------------
// Bedrock action-group events, through the tool entrance.

/// Resume-like text: headings, names, contact details, and date ranges with odd numbers in them.
fn resume_text() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        prop::sample::select(vec![
            "EXPERIENCE",
            "Education",
            "Skills",
            "Work History",
            "Projects",
            "Summary",
            "Contact",
            "Ada Lovelace",
            "ada@example.com",
            "+44 20 7946 0958",
            "B.Sc. Computer Science, MIT",
            "Python, Rust, AWS, Kubernetes",
            "• Led a team of 5",
            "Present",
            "Senior Engineer at Acme",
        ])
        .prop_map(str::to_owned),
        (0..10_000_u32, 0..15_u32, 0..10_000_u32, 0..15_u32)
            .prop_map(|(y1, m1, y2, m2)| format!("{m1:02}/{y1} – {m2:02}/{y2}")),
        (0..3000_u32, 0..3000_u32).prop_map(|(a, b)| format!("Engineer, Acme  {a} - {b}")),
        (
            prop::sample::select(vec!["Jan", "Sept", "Dec", "Foo", "May"]),
            0..100_000_u32
        )
            .prop_map(|(m, y)| format!("{m} {y} – Present")),
        any::<String>(),
        soup(),
    ];
    prop::collection::vec(line, 0..30).prop_map(|lines| lines.join("\n"))
}

/// A line glued from the characters the analyser's scanners stop at — `@`, dots, digits, dashes, brackets,
/// labels — and multi-byte characters next to them, where byte-offset arithmetic would break.
fn soup() -> impl Strategy<Value = String> {
    let token = prop::sample::select(vec![
        "@",
        ".",
        "..",
        "+",
        "(",
        ")",
        "-",
        "–",
        "—",
        "/",
        ":",
        " ",
        "\t",
        "\u{a0}",
        "0",
        "1",
        "19",
        "2020",
        "12",
        "00",
        "+44",
        "Tel",
        "Phone:",
        "☎",
        "📞",
        "é",
        "ß",
        "中",
        "😀",
        "\u{301}",
        "a",
        "Z",
        "com",
        "www.",
        "http://",
        "linkedin.com/in/",
        "Present",
        "Jan",
        "B.Sc.",
        "|",
        "•",
        "·",
        ",",
        "'",
        "’",
    ]);
    prop::collection::vec(token, 0..40).prop_map(|tokens| tokens.concat())
}

fn interview_type() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "Google SDE",
        "Amazon SDE",
        "Microsoft SDE",
        "AWS SA",
        "Azure SA",
        "GCP SA",
        "Behavioral",
        "Coding",
    ])
    .prop_map(str::to_owned)
}

/// An agent parameter `{name, type, value}` with a type and value that may disagree.
fn agent_parameter() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(KEYS),
        prop::sample::select(vec![
            "string", "number", "integer", "boolean", "array", "object", "",
        ]),
        prop_oneof![
            json_value(),
            json_value().prop_map(|v| Value::String(v.to_string())),
            resume_text().prop_map(Value::String),
        ],
    )
        .prop_map(|(name, kind, value)| json!({"name": name, "type": kind, "value": value}))
}

fn tool_event() -> impl Strategy<Value = Value> {
    let agent = (
        any::<bool>(),
        prop::collection::vec(agent_parameter(), 0..6),
        prop::collection::vec(agent_parameter(), 0..4),
        prop::option::of(json_string()),
    )
        .prop_map(|(openapi, parameters, properties, session)| {
            let mut event = json!({
                "messageVersion": "1.0",
                "actionGroup": "Tools",
                "parameters": parameters,
                "sessionId": session,
                "sessionAttributes": {},
                "promptSessionAttributes": {},
            });
            if openapi {
                event["apiPath"] = json!("/analyze-cv");
                event["httpMethod"] = json!("POST");
                event["requestBody"] =
                    json!({"content": {"application/json": {"properties": properties}}});
            } else {
                event["function"] = json!("analyze");
            }
            event
        });
    let direct_cv = (
        resume_text(),
        prop::option::of(prop_oneof![3 => any::<bool>().prop_map(Value::Bool), 1 => json_value()]),
        prop::option::of(interview_type()),
    )
        .prop_map(|(text, skills, kind)| {
            json!({"cvText": text, "extractSkills": skills, "interviewType": kind})
        });
    let message = prop_oneof![
        4 => (
            prop::sample::select(vec!["user", "assistant", "system", "x", ""]),
            prop_oneof![3 => resume_text(), 1 => json_string()],
            prop::option::of(json_value()),
        )
            .prop_map(|(role, content, extra)| {
                let mut message = json!({"role": role, "content": content});
                if let Some(extra) = extra {
                    message["timestamp"] = extra;
                }
                message
            }),
        1 => json_value(),
    ];
    let submission = prop_oneof![
        (any::<bool>(), 0..20_usize, json_value(), json_value()).prop_map(
            |(all, tests, score, code)| json!({
                "allTestsPassed": all,
                "testResults": vec![json!({"passed": all}); tests],
                "qualityMetrics": {"qualityScore": score},
                "code": code,
            })
        ),
        json_value(),
    ];
    let direct_evaluation = (
        prop::collection::vec(message, 0..12),
        prop_oneof![3 => json_number(), 1 => json_value()],
        prop_oneof![3 => interview_type(), 1 => json_string()],
        prop::option::of(prop::collection::vec(submission, 0..4)),
    )
        .prop_map(|(history, duration, kind, submissions)| {
            let mut event =
                json!({"conversationHistory": history, "duration": duration, "interviewType": kind});
            if let Some(submissions) = submissions {
                event["codeSubmissions"] = Value::Array(submissions);
            }
            event
        });
    prop_oneof![
        json_value(),
        agent,
        direct_cv,
        direct_evaluation,
        execute_body(),
        json_value().prop_map(|mut v| {
            // The agent markers on anything.
            if let Value::Object(o) = &mut v {
                o.insert("actionGroup".into(), json!("Tools"));
                o.insert("messageVersion".into(), json!("1.0"));
            }
            v
        }),
    ]
}

/// The HTTP-like status a tool response carries: the agent forms say it, the direct form says `success`.
fn tool_status(response: &Value) -> Option<u64> {
    let inner = &response["response"];
    if let Some(status) = inner["httpStatusCode"].as_u64() {
        return Some(status);
    }
    if inner["functionResponse"].is_object() {
        return Some(
            if inner["functionResponse"]["responseState"] == "REPROMPT" {
                400
            } else {
                200
            },
        );
    }
    // The direct form answers with the tool's output itself, or `{"success": false, "error": …}`.
    Some(if response["success"] == false {
        400
    } else {
        200
    })
}

/// The error object inside a refusal, wherever the form puts it.
fn tool_error(response: &Value) -> Value {
    let inner = &response["response"];
    let body = inner["responseBody"]["application/json"]["body"]
        .as_str()
        .or_else(|| inner["functionResponse"]["responseBody"]["TEXT"]["body"].as_str());
    match body {
        Some(text) => serde_json::from_str::<Value>(text).unwrap_or_default()["error"].clone(),
        None => response["error"].clone(),
    }
}

/// The code executor's parsing, without running anything (the sandbox crate runs submissions).
async fn parse_submission(args: Value) -> Result<Value, prepai::tools::ToolError> {
    ExecutionRequest::parse(&args).map(|request| json!({"tests": request.test_cases.len()}))
}

#[test]
fn tool_events_get_a_result_or_a_reasoned_400() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    check(128, (tool_event(), 0..3_u8), |(event, tool)| {
        let started = Instant::now();
        if let Ok(invocation) = ToolInvocation::parse(event.clone()) {
            let _ = invocation.arguments();
            let _ = invocation.agent_session_id();
        }
        let response = match tool {
            0 => runtime.block_on(tool_lambda::invoke(event, &cv_analyzer::run)),
            1 => runtime.block_on(tool_lambda::invoke(event, &performance_evaluator::run)),
            _ => runtime.block_on(tool_lambda::invoke(event, &parse_submission)),
        };
        prop_assert!(started.elapsed() < BOUND, "took {:?}", started.elapsed());
        let status = tool_status(&response);
        prop_assert!(matches!(status, Some(200 | 400)), "no status in {response}");
        if status == Some(400) {
            let error = tool_error(&response);
            let code = error["code"].as_str().unwrap_or_default();
            prop_assert!(
                !code.is_empty() && code != "internal" && error["message"].is_string(),
                "refused as our fault or without a reason: {response}"
            );
        }
        Ok(())
    });
}

#[test]
fn resume_text_is_analysed_whatever_its_dates() {
    check(256, resume_text(), |text| {
        let started = Instant::now();
        let result = cv_analyzer::run_on(
            json!({"cvText": text}),
            chrono::NaiveDate::from_ymd_opt(2026, 1, 15).unwrap_or_default(),
        );
        prop_assert!(started.elapsed() < BOUND);
        if let Err(e) = result {
            prop_assert_eq!(e.code, "invalid_input", "{}", e.message);
        }
        Ok(())
    });
}

// ---------------------------------------------------------------------------------------------------------------
// Bearer tokens and the socket handshake.

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A token signed with our secret over any header and claims: only valid claims may pass.
fn signed(header: &Value, claims: &Value) -> String {
    let signing_input = format!(
        "{}.{}",
        b64url(header.to_string().as_bytes()),
        b64url(claims.to_string().as_bytes())
    );
    let key = jsonwebtoken::EncodingKey::from_secret(SECRET);
    let signature = jsonwebtoken::crypto::sign(
        signing_input.as_bytes(),
        &key,
        jsonwebtoken::Algorithm::HS256,
    )
    .unwrap_or_default();
    format!("{signing_input}.{signature}")
}

fn token_case() -> impl Strategy<Value = String> {
    let claims = prop_oneof![
        json_value(),
        (
            json_value(),
            prop_oneof![Just(json!("prepai-local")), json_value()],
            prop_oneof![
                json_number(),
                Just(json!(chrono::Utc::now().timestamp() + 600))
            ],
            json_value(),
        )
            .prop_map(|(sub, iss, exp, groups)| {
                json!({"sub": sub, "iss": iss, "exp": exp, "iat": 0, "cognito:groups": groups})
            }),
    ];
    let header = prop_oneof![
        Just(json!({"alg": "HS256", "typ": "JWT"})),
        Just(json!({"alg": "none"})),
        Just(json!({"alg": "RS256"})),
        json_value(),
    ];
    prop_oneof![
        any::<String>(),
        prop::collection::vec(prop::collection::vec(any::<u8>(), 0..48), 0..5).prop_map(|parts| {
            parts
                .iter()
                .map(|p| b64url(p))
                .collect::<Vec<_>>()
                .join(".")
        }),
        (header, claims).prop_map(|(h, c)| signed(&h, &c)),
    ]
}

#[test]
fn bearer_tokens_verify_only_with_valid_claims() {
    let jwt = LocalJwt::new(SECRET).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let handshake_ctx = AppContext::new(Arc::new(FsObjectStore::new(dir.path())))
        .with_verifier(Arc::new(LocalJwt::new(SECRET).unwrap()));
    check(512, token_case(), |token| {
        let started = Instant::now();
        let verified = jwt.verify(&token);
        let header = jwt.verify_header(Some(&format!("Bearer {token}")));
        prop_assert!(started.elapsed() < BOUND);
        prop_assert_eq!(verified.is_ok(), header.is_ok());
        match verified {
            Ok(identity) => {
                // Only a token of ours with a subject and a future expiry.
                let claims: Value = token
                    .split('.')
                    .nth(1)
                    .and_then(|c| {
                        base64::engine::general_purpose::URL_SAFE_NO_PAD
                            .decode(c)
                            .ok()
                    })
                    .and_then(|c| serde_json::from_slice(&c).ok())
                    .unwrap_or_default();
                prop_assert_eq!(&claims["iss"], "prepai-local");
                prop_assert_eq!(claims["sub"].as_str(), Some(identity.sub()));
                prop_assert!(
                    claims["exp"]
                        .as_i64()
                        .is_some_and(|e| e > chrono::Utc::now().timestamp())
                );
            }
            Err(e) => prop_assert_eq!(e, AuthError::Invalid),
        }
        // The socket handshake refuses a bad token with 401, and never with a 5xx.
        let query = HashMap::from([
            ("token".to_owned(), token.clone()),
            ("session_id".to_owned(), SessionId::new_random().to_string()),
        ]);
        let reply = runtime.block_on(socket::connect(&handshake_ctx, "fuzzhandshake", &query));
        prop_assert!(
            (400..500).contains(&reply.status),
            "handshake answered {reply:?}"
        );
        Ok(())
    });
}
