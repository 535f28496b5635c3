//! IAM proven against the code: every function's handlers run a candidate's whole journey — create, resume uploads
//! (text, unreadable, scanned), the live interview over the socket (turns on Bedrock with a coding problem handed
//! back, voice in and out, code runs, a client that has gone), the agent's own tool calls, REST code runs, ending
//! three ways, reports, analytics as a user and an admin, delete — plus a not-found request on every route and the
//! races the use cases clean up after, over recording adapters (`tests/support/recording.rs`) that write down each
//! AWS call as `(action, resource)` under the function (binary) that made it, addressed from that function's
//! environment as `template.yaml` deploys it. Then, against the template's policies (`tests/support/iam.rs`):
//!
//! 1. every call each function makes is allowed by its own role;
//! 2. every grant each function holds (action × resource) is used by some call it makes — no prefix or action none
//!    of its code uses — but for the grants listed in [`AHEAD_OF_CODE`], each with its reason;
//! 3. the agent's role allows the model calls and retrievals the agent makes per turn, for both kinds of
//!    inference profile;
//! 4. the check fails on a real gap: removing a grant the code needs is caught.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use async_trait::async_trait;
use base64::Engine;
use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, header};
use prepai::adapters::local::{FsObjectStore, LocalInterviewer};
use prepai::api::ApiRequest;
use prepai::auth::LocalJwt;
use prepai::context::SpeechServices;
use prepai::domain::{Identity, SessionId};
use prepai::entry::config::{Config, InterviewerConfig, JudgeConfig};
use prepai::entry::tool_lambda;
use prepai::ports::{
    AudioFormat, CodeRunner, CodeRunnerError, Judge, JudgeError, JudgeRequest, JudgeVerdict,
    ObjectStore, SpeechClip, SpeechError, SpeechHypothesis, SpeechToText, TextToSpeech,
    TranscriptStream,
};
use prepai::tools::code_executor::{ExecutionRequest, ExecutionResult, SandboxReport, TestOutcome};
use prepai::ws::handlers;
use prepai::{AppContext, Route};
use prepai_tests::iam::{self, Call, Effect, Statement, Template, allowed};
use prepai_tests::recording::{
    AGENT, AgentModel, CallLog, ModelRoute, Recorded, Recorder, RecordingInterviewer,
    RecordingJudge, RecordingPush, RecordingRunner, RecordingSpeech, RecordingStore,
    RecordingTextract,
};
use serde_json::{Value, json};

/// Grants no code uses yet, each with why it is there. Anything else unused fails the check.
const AHEAD_OF_CODE: &[(&str, &str, &str)] = &[];

/// Actions every function's runtime uses on its own (logs, traces), not its code.
fn runtime_action(action: &str) -> bool {
    action.starts_with("logs:") || action.starts_with("xray:")
}

// --- Stand-ins the recording adapters wrap ------------------------------------------------------------------

/// Grades every answer 5 with the rubric it was given.
struct FairJudge;

#[async_trait]
impl Judge for FairJudge {
    async fn grade(&self, request: &JudgeRequest) -> Result<JudgeVerdict, JudgeError> {
        Ok(JudgeVerdict {
            score: 5.0,
            rubric: request
                .rubric
                .as_ref()
                .map(|r| r.key_points.clone())
                .unwrap_or_default(),
            met: Vec::new(),
            errors: Vec::new(),
            rationale: "a fair answer".into(),
        })
    }
}

/// Passes every test instantly.
struct PassingRunner;

#[async_trait]
impl CodeRunner for PassingRunner {
    async fn run(&self, request: &ExecutionRequest) -> Result<ExecutionResult, CodeRunnerError> {
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

/// Hears one sentence in anything.
struct Hears;

#[async_trait]
impl SpeechToText for Hears {
    async fn transcribe(&self, _pcm: Bytes) -> Result<TranscriptStream, SpeechError> {
        Ok(Box::pin(futures::stream::iter(vec![Ok(
            SpeechHypothesis {
                text: "I would hash each key to a bucket and chain collisions.".into(),
                is_final: true,
            },
        )])))
    }
}

/// Says anything as a few bytes of "mp3".
struct Says;

#[async_trait]
impl TextToSpeech for Says {
    async fn synthesize(&self, _text: &str) -> Result<SpeechClip, SpeechError> {
        Ok(SpeechClip {
            format: AudioFormat::Mp3,
            audio: Bytes::from_static(b"ID3 mp3"),
        })
    }
}

// --- The deployment: one context per function, wired as its main wires it ---------------------------------

const SECRET: &[u8] = b"iam-contract-secret-0123456789abcdef";

struct World {
    log: CallLog,
    ctx: BTreeMap<String, AppContext>,
    runners: BTreeMap<String, Arc<RecordingRunner>>,
    push: Arc<RecordingPush>,
    jwt: LocalJwt,
    _dir: tempfile::TempDir,
}

/// The agent's model as the template deploys it: its inference profile and the foundation-model ARNs the
/// profile routes to (every Region of the geography; for `global` also the Region-less ARN).
fn agent_model(template: &Template) -> AgentModel {
    let route = model_route(template, "AgentFoundationModel");
    AgentModel {
        profile_arn: route.profile_arn,
        foundation_model_arns: route.foundation_model_arns,
        knowledge_base_arn: iam::symbol("QuestionBankKnowledgeBase.KnowledgeBaseArn").unwrap(),
    }
}

/// The model a template parameter names, as reached through the InferenceGeography profile: the profile's ARN
/// and the foundation-model ARNs the profile routes to (every Region of the geography; for `global` also the
/// Region-less ARN).
fn model_route(template: &Template, parameter: &str) -> ModelRoute {
    let geography = template.symbol("InferenceGeography");
    let model = template.symbol(parameter);
    let profile_arn = format!(
        "arn:aws:bedrock:{}:{}:inference-profile/{geography}.{model}",
        iam::REGION,
        iam::ACCOUNT
    );
    let regions: &[&str] = match geography.as_str() {
        "us" => &["us-east-1", "us-east-2", "us-west-2"],
        "eu" => &["eu-central-1", "eu-west-1", "eu-west-3", "eu-north-1"],
        "apac" => &[
            "ap-northeast-1",
            "ap-southeast-1",
            "ap-southeast-2",
            "ap-south-1",
        ],
        _ => &["us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1"],
    };
    let mut foundation_model_arns: Vec<String> = regions
        .iter()
        .map(|r| format!("arn:aws:bedrock:{r}::foundation-model/{model}"))
        .collect();
    if geography == "global" {
        foundation_model_arns.push(format!("arn:aws:bedrock:::foundation-model/{model}"));
    }
    ModelRoute {
        profile_arn,
        foundation_model_arns,
    }
}

impl World {
    fn new(template: Template) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let objects: Arc<dyn ObjectStore> = Arc::new(FsObjectStore::new(dir.path()));
        let log = CallLog::default();
        let jwt = LocalJwt::new(SECRET).unwrap();
        let mut ctx = BTreeMap::new();
        let mut runners = BTreeMap::new();
        let functions = template.functions();
        for binary in functions.keys() {
            let env = template.environment(binary);
            let recorder = Recorder::new(binary, env.clone(), log.clone());
            // What the Lambda reads at start (storage stays the recording store over one shared directory).
            let config =
                Config::from_lookup(|k| env.get(k).cloned().filter(|v| !v.trim().is_empty()));
            let store = Arc::new(RecordingStore::new(objects.clone(), recorder.clone()));
            let mut c = AppContext::new(store).with_quota_limits(config.quotas);
            c.speech.settings = config.voice;
            // Each function's main wires these ports and no others (functions/src/bin).
            let (textract, code_runner, interview, verifier) = match binary.as_str() {
                "upload-cv" => (true, false, false, false),
                "execute-code" => (false, true, false, false),
                "ws-connect" => (false, false, false, true),
                "ws-default" => (false, true, true, false),
                _ => (false, false, false, false),
            };
            if textract && config.textract {
                c = c.with_text_extractor(Arc::new(RecordingTextract::new(
                    prepai::extract::local(),
                    recorder.clone(),
                )));
            }
            if code_runner && config.code_executor_function.is_some() {
                let runner = Arc::new(RecordingRunner::new(
                    Arc::new(PassingRunner),
                    recorder.clone(),
                ));
                runners.insert(binary.clone(), runner.clone());
                c = c.with_code_runner(runner);
            }
            if interview {
                if let InterviewerConfig::Bedrock { .. } = config.interviewer {
                    c = c.with_interviewer(Arc::new(RecordingInterviewer::new(
                        Arc::new(LocalInterviewer::embedded()),
                        recorder.clone(),
                        agent_model(&template),
                    )));
                }
                if config.speech.is_aws() {
                    let speech = Arc::new(RecordingSpeech::new(
                        Arc::new(Hears),
                        Arc::new(Says),
                        recorder.clone(),
                    ));
                    let settings = c.speech.settings;
                    c = c.with_speech(SpeechServices {
                        stt: Some(speech.clone()),
                        tts: Some(speech),
                        settings,
                        unavailable_reason: None,
                    });
                }
            }
            // end-interview, ws-default and performance-evaluator end interviews, and ask the judge when their
            // environment names a model (functions/src/bin: `.judge()`).
            let judges = matches!(
                binary.as_str(),
                "end-interview" | "ws-default" | "performance-evaluator"
            );
            if judges && matches!(config.judge, JudgeConfig::Bedrock { .. }) {
                c = c.with_judge(Arc::new(RecordingJudge::new(
                    Arc::new(FairJudge),
                    recorder.clone(),
                    model_route(&template, "JudgeModel"),
                )));
            }
            if verifier {
                // The Cognito verifier reads the pool's public keys over HTTPS, with no IAM; the local one stands in.
                c = c.with_verifier(Arc::new(LocalJwt::new(SECRET).unwrap()));
            }
            ctx.insert(binary.clone(), c);
        }
        let push_recorder = Recorder::new(
            "ws-default",
            template.environment("ws-default"),
            log.clone(),
        );
        let push = Arc::new(RecordingPush::new(
            push_recorder,
            &template.symbol("InterviewSocketApi"),
            &template.symbol("StageName"),
        ));
        World {
            log,
            ctx,
            runners,
            push,
            jwt,
            _dir: dir,
        }
    }

    fn ctx(&self, binary: &str) -> &AppContext {
        &self.ctx[binary]
    }

    /// One REST request through the route's handler, in its own function's context.
    async fn rest(
        &self,
        route: Route,
        caller: &Identity,
        params: &[(&str, &str)],
        query: &[(&str, &str)],
        body: Option<Value>,
    ) -> (u16, Value) {
        let request = ApiRequest {
            method: Method::POST,
            path_params: params
                .iter()
                .map(|(k, v)| ((*k).into(), (*v).into()))
                .collect(),
            query: query
                .iter()
                .map(|(k, v)| ((*k).into(), (*v).into()))
                .collect(),
            body: body.map(|b| Bytes::from(b.to_string())).unwrap_or_default(),
            identity: Some(caller.clone()),
            ..ApiRequest::default()
        };
        self.send(route, request).await
    }

    async fn send(&self, route: Route, request: ApiRequest) -> (u16, Value) {
        let response = route.handle(self.ctx(route.binary()), request).await;
        let json = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
        (response.status.as_u16(), json)
    }

    async fn create(&self, caller: &Identity, interview_type: &str) -> String {
        let (status, json) = self
            .rest(
                Route::CreateSession,
                caller,
                &[],
                &[],
                Some(json!({"interview_type": interview_type, "candidate_name": "Ada Lovelace"})),
            )
            .await;
        assert_eq!(status, 201, "{json}");
        json["session_id"].as_str().unwrap().to_owned()
    }

    async fn upload(&self, caller: &Identity, session: &str, fixture: &str) -> (u16, Value) {
        const BOUNDARY: &str = "----IamContractBoundary";
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/cv")
            .join(fixture);
        let bytes = std::fs::read(&path).unwrap();
        let mut body = format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cv.pdf\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(&bytes);
        body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_str(&format!("multipart/form-data; boundary={BOUNDARY}")).unwrap(),
        );
        let request = ApiRequest {
            method: Method::POST,
            path_params: HashMap::from([("session_id".to_owned(), session.to_owned())]),
            headers,
            body: Bytes::from(body),
            identity: Some(caller.clone()),
            ..ApiRequest::default()
        };
        self.send(Route::UploadCv, request).await
    }

    async fn connect(&self, connection: &str, caller: &Identity, session: &str) -> u16 {
        let token = self.jwt.mint(
            caller.sub(),
            caller.groups(),
            chrono::Utc::now(),
            chrono::Duration::hours(1),
        );
        let query = HashMap::from([
            ("token".to_owned(), token),
            ("session_id".to_owned(), session.to_owned()),
        ]);
        handlers::connect(self.ctx("ws-connect"), connection, &query)
            .await
            .status
    }

    /// One socket message through `$default`; what was pushed back.
    async fn message(&self, connection: &str, message: Value) -> Vec<Value> {
        handlers::message(
            self.ctx("ws-default"),
            self.push.as_ref(),
            connection,
            &message.to_string(),
        )
        .await;
        self.push.take(connection)
    }

    /// The agent calling a tool with a function-details event for `session`.
    async fn agent_tool(&self, binary: &str, session: &str, arguments: Value) -> Value {
        let parameters: Vec<Value> = arguments
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| json!({"name": k, "type": "string", "value": v.as_str().map_or_else(|| v.to_string(), str::to_owned)}))
            .collect();
        let event = json!({
            "messageVersion": "1.0",
            "agent": {"name": "prepai-interviewer", "id": "AGENT12345", "alias": "ALIAS12345", "version": "1"},
            "inputText": "…",
            "sessionId": session,
            "actionGroup": if binary == "cv-analyzer" { "CVAnalyzer" } else { "PerformanceEvaluator" },
            "function": if binary == "cv-analyzer" { "analyze_cv" } else { "evaluate_performance" },
            "parameters": parameters,
            "sessionAttributes": {},
            "promptSessionAttributes": {}
        });
        let ctx = Arc::new(self.ctx(binary).clone());
        let response = if binary == "cv-analyzer" {
            tool_lambda::invoke_with_context(ctx, event, &tool_lambda::cv_analyzer).await
        } else {
            tool_lambda::invoke_with_context(ctx, event, &tool_lambda::performance_evaluator).await
        };
        let body = response["response"]["functionResponse"]["responseBody"]["TEXT"]["body"]
            .as_str()
            .unwrap_or("null");
        serde_json::from_str(body).unwrap()
    }
}

fn types(pushed: &[Value]) -> Vec<&str> {
    pushed.iter().filter_map(|m| m["type"].as_str()).collect()
}

/// Loud PCM the stand-in recogniser "hears" (the handler checks there is sound), as `audio` messages.
fn audio_messages(seconds: f64) -> Vec<Value> {
    let samples: Vec<i16> = (0..(seconds * 16_000.0) as usize)
        .map(|i| if i % 20 < 10 { 7000 } else { -7000 })
        .collect();
    let pcm = prepai::voice::Pcm16::from_samples(&samples);
    pcm.bytes()
        .chunks(16_000)
        .enumerate()
        .map(|(seq, c)| {
            json!({"type": "audio", "seq": seq, "data": base64::engine::general_purpose::STANDARD.encode(c)})
        })
        .collect()
}

// --- The journey ----------------------------------------------------------------------------------------------

async fn journey(world: &World) {
    let w = world;
    let ada = Identity::new("ada-sub", vec![]).unwrap();
    let admin = Identity::new("root-sub", vec!["admin".into()]).unwrap();
    let nobody = Identity::new("nobody-sub", vec![]).unwrap();
    let missing = SessionId::new_random().to_string();
    let missing_params = [("session_id", missing.as_str())];

    // Every route asked about what is not there: readers may find objects missing (S3 needs ListBucket for a 404).
    for route in [
        Route::GetSession,
        Route::GetTranscript,
        Route::GetCvAnalysis,
        Route::GetPerformanceReport,
        Route::ListSubmissions,
        Route::QualitySummary,
        Route::EndInterview,
        Route::DeleteSession,
        Route::ListDrafts,
    ] {
        let (status, json) = w.rest(route, &ada, &missing_params, &[], None).await;
        assert_eq!(status, 404, "{}: {json}", route.binary());
    }
    for (route, body) in [
        (Route::SaveDraft, draft_body()),
        (Route::CorrectCvAnalysis, json!({"skills": ["Rust"]})),
    ] {
        let (status, json) = w.rest(route, &ada, &missing_params, &[], Some(body)).await;
        assert_eq!(status, 404, "{}: {json}", route.binary());
    }
    let submission = SessionId::new_random().to_string();
    let (status, _) = w
        .rest(
            Route::GetSubmission,
            &ada,
            &[("session_id", &missing), ("submission_id", &submission)],
            &[],
            None,
        )
        .await;
    assert_eq!(status, 404);
    let scratch = |session: &str, code: &str| {
        json!({"sessionId": session, "code": code, "language": "python", "functionName": "f",
               "testCases": [{"input": 1, "expected": 1}]})
    };
    let (status, _) = w
        .rest(
            Route::ExecuteCode,
            &ada,
            &[],
            &[],
            Some(scratch(&missing, "def f(x):\n    return x\n")),
        )
        .await;
    assert_eq!(status, 404);
    assert_eq!(w.upload(&ada, &missing, "01-ada-lovelace.pdf").await.0, 404);
    let (status, json) = w.rest(Route::ListSessions, &nobody, &[], &[], None).await;
    assert_eq!((status, json["count"].as_u64()), (200, Some(0)));
    for (route, params, query) in [
        (Route::AnalyticsAggregate, vec![], vec![]),
        (
            Route::AnalyticsBenchmarks,
            vec![("interview_type", "Coding")],
            vec![],
        ),
        (Route::AnalyticsTrends, vec![], vec![("days", "30")]),
        (
            Route::CandidateHistory,
            vec![("name", "Ada Lovelace")],
            vec![],
        ),
    ] {
        let (status, json) = w.rest(route, &nobody, &params, &query, None).await;
        assert_eq!(status, 200, "{}: {json}", route.binary());
    }

    // The resume: a readable PDF, an unreadable one (stored, then removed), scans of one page and of two.
    let a = w.create(&ada, "Coding").await;
    let a_params = [("session_id", a.as_str())];
    let (status, json) = w.upload(&ada, &a, "bad/password-protected.pdf").await;
    assert_eq!(status, 422, "{json}");
    for scan in ["bad/scanned-no-text-layer.pdf", "bad/scanned-two-pages.pdf"] {
        let (status, json) = w.upload(&ada, &a, scan).await;
        assert_eq!(status, 200, "{scan}: {json}");
        assert_eq!(
            json["analysis"]["document"]["extraction"], "textract",
            "{json}"
        );
    }
    let (status, json) = w.upload(&ada, &a, "01-ada-lovelace.pdf").await;
    assert_eq!(status, 200, "{json}");
    // The candidate corrects the analysis, and keeps a draft of code (read back on reload).
    let (status, json) = w
        .rest(
            Route::CorrectCvAnalysis,
            &ada,
            &a_params,
            &[],
            Some(json!({"skills": ["Rust", "Distributed systems"]})),
        )
        .await;
    assert_eq!(status, 200, "{json}");
    let (status, json) = w
        .rest(Route::SaveDraft, &ada, &a_params, &[], Some(draft_body()))
        .await;
    assert_eq!(status, 200, "{json}");
    let (status, json) = w.rest(Route::ListDrafts, &ada, &a_params, &[], None).await;
    assert_eq!(status, 200, "{json}");
    assert_eq!(json["drafts"].as_array().map(Vec::len), Some(1), "{json}");
    for route in [
        Route::GetCvAnalysis,
        Route::GetSession,
        Route::GetTranscript,
    ] {
        let (status, json) = w.rest(route, &ada, &a_params, &[], None).await;
        assert_eq!(status, 200, "{}: {json}", route.binary());
    }
    assert_eq!(
        w.rest(Route::ListSessions, &ada, &[], &[], None).await.0,
        200
    );

    // The live interview.
    assert_eq!(w.connect("conn-missing", &ada, &missing).await, 404);
    assert_eq!(w.connect("conn-a", &ada, &a).await, 200);
    let pushed = w
        .message("conn-a", json!({"type": "start", "voice": true}))
        .await;
    let kinds = types(&pushed);
    assert!(
        kinds.contains(&"voice") && kinds.contains(&"assistant_complete"),
        "{pushed:?}"
    );
    assert!(
        kinds.contains(&"audio"),
        "the greeting is spoken: {pushed:?}"
    );
    let pushed = w
        .message(
            "conn-a",
            json!({"type": "text", "text": "A hash map hashes keys into buckets."}),
        )
        .await;
    assert!(types(&pushed).contains(&"assistant_complete"), "{pushed:?}");
    assert!(types(&w.message("conn-a", json!({"type": "resume"})).await).contains(&"voice"));
    // A spoken answer, transcribed and answered aloud.
    assert!(
        w.message("conn-a", json!({"type": "speech_start"}))
            .await
            .is_empty()
    );
    let chunks = audio_messages(2.0);
    for chunk in &chunks {
        assert!(w.message("conn-a", chunk.clone()).await.is_empty());
    }
    let pushed = w
        .message(
            "conn-a",
            json!({"type": "speech_end", "chunks": chunks.len()}),
        )
        .await;
    assert!(types(&pushed).contains(&"transcript"), "{pushed:?}");
    assert!(types(&pushed).contains(&"assistant_complete"), "{pushed:?}");
    // One with a missing chunk: refused, and its chunks are deleted.
    w.message("conn-a", json!({"type": "speech_start"})).await;
    for chunk in [&chunks[0], &chunks[2]] {
        w.message("conn-a", chunk.clone()).await;
    }
    let pushed = w
        .message("conn-a", json!({"type": "speech_end", "chunks": 3}))
        .await;
    assert_eq!(pushed[0]["code"], "audio_gap", "{pushed:?}");
    // On to the coding problem, which the agent hands back to be opened in the editor.
    let mut opened = false;
    for _ in 0..12 {
        let pushed = w
            .message("conn-a", json!({"type": "text", "text": "skip"}))
            .await;
        if types(&pushed).contains(&"coding_problem") {
            opened = true;
            break;
        }
    }
    assert!(opened, "the interviewer poses a coding problem");
    let pushed = w
        .message(
            "conn-a",
            json!({"type": "code", "code": "def two_sum(nums, target):\n    return []\n", "language": "python"}),
        )
        .await;
    assert!(types(&pushed).contains(&"code_result"), "{pushed:?}");
    // A client that has gone: its record is removed when a push to it fails.
    assert_eq!(w.connect("gone-1", &ada, &a).await, 200);
    w.message("gone-1", json!({"type": "text", "text": "Are you there?"}))
        .await;
    assert!(
        w.message("gone-1", json!({"type": "resume"}))
            .await
            .is_empty()
    );

    // The agent's own tool calls: the resume analysis of the interview, not of text the model typed.
    let analysis = w
        .agent_tool(
            "cv-analyzer",
            &a,
            json!({"cvText": "Mallory, 40 years of everything"}),
        )
        .await;
    assert_eq!(analysis["candidateName"], "Ada Lovelace", "{analysis}");
    assert_eq!(analysis["source"], "uploaded resume");
    let refused = w
        .agent_tool("cv-analyzer", &missing, json!({"cvText": "x"}))
        .await;
    assert_eq!(refused["error"]["code"], "not_found", "{refused}");

    // Code runs over REST, and their reads.
    let (status, json) = w
        .rest(
            Route::ExecuteCode,
            &ada,
            &[],
            &[],
            Some(scratch(&a, "def f(x):\n    return x\n")),
        )
        .await;
    assert_eq!(status, 200, "{json}");
    let submission = json["submissionId"].as_str().unwrap().to_owned();
    for route in [Route::ListSubmissions, Route::QualitySummary] {
        assert_eq!(w.rest(route, &ada, &a_params, &[], None).await.0, 200);
    }
    let (status, _) = w
        .rest(
            Route::GetSubmission,
            &ada,
            &[("session_id", &a), ("submission_id", &submission)],
            &[],
            None,
        )
        .await;
    assert_eq!(status, 200);

    // A run the session refuses after it ran (the interview ended meanwhile) is removed — over REST…
    let c = w.create(&ada, "Coding").await;
    let end_ctx = w.ctx("end-interview").clone();
    let ender = |session: String, who: Identity| {
        let ctx = end_ctx.clone();
        Box::new(move || -> futures::future::BoxFuture<'static, ()> {
            Box::pin(async move {
                let id = SessionId::parse(&session).unwrap();
                ctx.report_cases().end(&who, &id).await.unwrap();
            })
        })
    };
    w.runners["execute-code"].after_run("# ends meanwhile (REST)", ender(c.clone(), ada.clone()));
    let (status, json) = w
        .rest(
            Route::ExecuteCode,
            &ada,
            &[],
            &[],
            Some(scratch(
                &c,
                "def f(x):\n    return x  # ends meanwhile (REST)\n",
            )),
        )
        .await;
    assert_eq!(
        (status, json["error"]["code"].as_str()),
        (409, Some("interview_ended")),
        "{json}"
    );
    // …and over the socket.
    let d = w.create(&ada, "Coding").await;
    assert_eq!(w.connect("conn-d", &ada, &d).await, 200);
    w.runners["ws-default"].after_run("# ends meanwhile (socket)", ender(d.clone(), ada.clone()));
    let pushed = w
        .message(
            "conn-d",
            json!({"type": "code", "code": "def f(x):\n    return x  # ends meanwhile (socket)\n", "language": "python",
                   "functionName": "f", "testCases": [{"input": 1, "expected": 1}]}),
        )
        .await;
    assert_eq!(
        pushed.last().unwrap()["code"],
        "interview_ended",
        "{pushed:?}"
    );

    // Ending: over the socket (twice: the second reads the stored report), over REST, and by the agent.
    let pushed = w.message("conn-a", json!({"type": "end"})).await;
    assert!(types(&pushed).contains(&"report"), "{pushed:?}");
    let pushed = w.message("conn-a", json!({"type": "end"})).await;
    assert!(types(&pushed).contains(&"report"), "{pushed:?}");
    assert_eq!(
        w.rest(Route::GetPerformanceReport, &ada, &a_params, &[], None)
            .await
            .0,
        200
    );
    let b = w.create(&ada, "Behavioral").await;
    let b_params = [("session_id", b.as_str())];
    assert_eq!(
        w.rest(
            Route::ExecuteCode,
            &ada,
            &[],
            &[],
            Some(scratch(&b, "def f(x):\n    return x\n"))
        )
        .await
        .0,
        200
    );
    for _ in 0..2 {
        let (status, json) = w
            .rest(Route::EndInterview, &ada, &b_params, &[], None)
            .await;
        assert_eq!(status, 200, "{json}");
    }
    let e = w.create(&ada, "Coding").await;
    assert_eq!(
        w.rest(
            Route::ExecuteCode,
            &ada,
            &[],
            &[],
            Some(scratch(&e, "def f(x):\n    return x\n"))
        )
        .await
        .0,
        200
    );
    let first = w
        .agent_tool(
            "performance-evaluator",
            &e,
            json!({"sessionId": "typed by the model"}),
        )
        .await;
    let again = w.agent_tool("performance-evaluator", &e, json!({})).await;
    assert_eq!(first["success"], true, "{first}");
    assert_eq!(first["generatedAt"], again["generatedAt"], "one report");
    let (status, _) = w
        .rest(Route::EndInterview, &ada, &[("session_id", &e)], &[], None)
        .await;
    assert_eq!(status, 200);
    let (_, report) = w
        .rest(
            Route::GetPerformanceReport,
            &ada,
            &[("session_id", &e)],
            &[],
            None,
        )
        .await;
    assert_eq!(
        report["report"]["generatedAt"], first["generatedAt"],
        "the agent's report is the report"
    );
    let refused = w
        .agent_tool("performance-evaluator", &missing, json!({}))
        .await;
    assert_eq!(refused["error"]["code"], "not_found", "{refused}");

    // Interviews with a technical answer, ended by the route and by the agent's tool: each asks the judge.
    // (Another candidate: Ada has used her ten interviews for the day.)
    let bea = Identity::new("bea-sub", vec![]).unwrap();
    for (conn, ender) in [
        ("conn-j", "end-interview"),
        ("conn-k", "performance-evaluator"),
    ] {
        let session = w.create(&bea, "Coding").await;
        assert_eq!(w.connect(conn, &bea, &session).await, 200);
        w.message(conn, json!({"type": "start"})).await;
        let pushed = w
            .message(
                conn,
                json!({"type": "text", "text": "A hash map hashes each key to a bucket index, so a lookup is constant time on average."}),
            )
            .await;
        assert!(types(&pushed).contains(&"assistant_complete"), "{pushed:?}");
        let before = w.log.calls().len();
        if ender == "end-interview" {
            let (status, json) = w
                .rest(
                    Route::EndInterview,
                    &bea,
                    &[("session_id", &session)],
                    &[],
                    None,
                )
                .await;
            assert_eq!(status, 200, "{json}");
        } else {
            let report = w.agent_tool(ender, &session, json!({})).await;
            assert_eq!(report["success"], true, "{report}");
        }
        let judged = w.log.calls()[before..]
            .iter()
            .any(|r| r.function == ender && r.call.action == "bedrock:InvokeModel");
        assert!(judged, "{ender} asked the judge about the answer");
    }

    // An end racing a delete: the report written for a session that vanished is removed — by each ender.
    let delete_ctx = w.ctx("delete-session").clone();
    let deleter = |session: String, who: Identity| {
        let ctx = delete_ctx.clone();
        Box::new(move || -> futures::future::BoxFuture<'static, ()> {
            Box::pin(async move {
                let id = SessionId::parse(&session).unwrap();
                ctx.session_cases().delete(&who, &id).await.unwrap();
            })
        })
    };
    let f = w.create(&ada, "Coding").await;
    w.log.after(
        "end-interview",
        ("s3:PutObject", &format!("reports/{f}/")),
        deleter(f.clone(), ada.clone()),
    );
    let (status, json) = w
        .rest(Route::EndInterview, &ada, &[("session_id", &f)], &[], None)
        .await;
    assert_eq!(status, 404, "{json}");
    let g = w.create(&ada, "Coding").await;
    assert_eq!(w.connect("conn-g", &ada, &g).await, 200);
    w.log.after(
        "ws-default",
        ("s3:PutObject", &format!("reports/{g}/")),
        deleter(g.clone(), ada.clone()),
    );
    let pushed = w.message("conn-g", json!({"type": "end"})).await;
    assert_eq!(pushed.last().unwrap()["code"], "not_found", "{pushed:?}");
    let h = w.create(&ada, "Coding").await;
    w.log.after(
        "performance-evaluator",
        ("s3:PutObject", &format!("reports/{h}/")),
        deleter(h.clone(), ada.clone()),
    );
    let refused = w.agent_tool("performance-evaluator", &h, json!({})).await;
    assert_eq!(refused["error"]["code"], "not_found", "{refused}");
    // A draft saved while its session is deleted is removed again.
    let d = w.create(&bea, "Coding").await;
    w.log.after(
        "save-draft",
        ("s3:PutObject", &format!("drafts/{d}/")),
        deleter(d.clone(), bea.clone()),
    );
    let (status, json) = w
        .rest(
            Route::SaveDraft,
            &bea,
            &[("session_id", &d)],
            &[],
            Some(draft_body()),
        )
        .await;
    assert_eq!(status, 404, "{json}");

    // Analytics, as the candidate and as an admin.
    for who in [&ada, &admin] {
        for (route, params, query) in [
            (Route::AnalyticsAggregate, vec![], vec![]),
            (
                Route::AnalyticsBenchmarks,
                vec![("interview_type", "Coding")],
                vec![],
            ),
            (Route::AnalyticsTrends, vec![], vec![("days", "30")]),
            (
                Route::CandidateHistory,
                vec![("name", "Ada Lovelace")],
                vec![],
            ),
            (Route::AnalyticsHistory, vec![], vec![]),
        ] {
            let (status, json) = w.rest(route, who, &params, &query, None).await;
            assert_eq!(status, 200, "{}: {json}", route.binary());
        }
    }

    // Leaving, and deleting everything.
    handlers::disconnect(w.ctx("ws-disconnect"), "conn-a").await;
    let (status, json) = w
        .rest(Route::DeleteSession, &ada, &a_params, &[], None)
        .await;
    assert_eq!(status, 200, "{json}");
    assert!(json["objects_removed"].as_u64().unwrap() > 4, "{json}");
}

/// A draft of code for a bank problem.
fn draft_body() -> Value {
    json!({"problemId": "two-sum", "language": "python", "code": "def two_sum(nums, target):\n    pass\n"})
}

/// The journey's calls, recorded once for every test.
fn recorded() -> &'static [Recorded] {
    static RECORDED: OnceLock<Vec<Recorded>> = OnceLock::new();
    RECORDED.get_or_init(|| {
        // The whole journey is one future polled on one thread, every handler's future nested in it: in a debug
        // build that needs more than a test thread's 2 MiB of stack (each real invocation is its own task).
        std::thread::Builder::new()
            .name("iam-journey".into())
            .stack_size(16 << 20)
            .spawn(|| {
                let runtime = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                    .unwrap();
                let world = World::new(Template::load(&[]));
                runtime.block_on(journey(&world));
                world.log.calls()
            })
            .unwrap()
            .join()
            .unwrap()
    })
}

fn by_function(calls: &[Recorded]) -> BTreeMap<String, BTreeSet<Call>> {
    let mut out: BTreeMap<String, BTreeSet<Call>> = BTreeMap::new();
    for r in calls {
        out.entry(r.function.clone())
            .or_default()
            .insert(r.call.clone());
    }
    out
}

/// Every call not allowed by its function's policies, in words.
fn gaps(template: &Template, calls: &[Recorded]) -> Vec<String> {
    let functions = template.functions();
    let mut out = Vec::new();
    for (function, calls) in by_function(calls) {
        let statements = if function == AGENT {
            template.role_statements("AgentRole")
        } else {
            assert!(
                functions.contains_key(&function),
                "{function} is not in the template"
            );
            template.function_statements(&function)
        };
        for call in calls {
            if allowed(&statements, &call).is_none() {
                out.push(format!("{function}: {call} is not allowed"));
            }
        }
    }
    out
}

/// Every (action, resource) a function is granted that none of its calls uses, in words.
fn unused(template: &Template, calls: &[Recorded]) -> Vec<String> {
    let calls = by_function(calls);
    let mut out = Vec::new();
    let empty = BTreeSet::new();
    for binary in template.functions().keys() {
        let made = calls.get(binary).unwrap_or(&empty);
        for statement in template.function_statements(binary) {
            if statement.effect != Effect::Allow {
                continue;
            }
            for action in &statement.actions {
                if runtime_action(action) {
                    continue;
                }
                for resource in &statement.resources {
                    let single = Statement {
                        actions: vec![action.clone()],
                        resources: vec![resource.clone()],
                        ..statement.clone()
                    };
                    let used = made.iter().any(|call| single.covers(call));
                    let ahead = AHEAD_OF_CODE
                        .iter()
                        .any(|(f, a, _)| f == binary && a == action);
                    if !used && !ahead {
                        out.push(format!(
                            "{binary}: {action} on {resource} is granted ({}) but no call uses it",
                            statement.origin
                        ));
                    }
                }
            }
        }
    }
    out
}

#[test]
fn every_call_each_function_makes_is_allowed_by_its_own_policies() {
    let calls = recorded();
    let gaps = gaps(&Template::load(&[]), calls);
    assert!(gaps.is_empty(), "IAM gaps:\n{}", gaps.join("\n"));
}

#[test]
fn no_function_is_granted_what_its_code_never_does() {
    let unused = unused(&Template::load(&[]), recorded());
    assert!(unused.is_empty(), "unused grants:\n{}", unused.join("\n"));
}

#[test]
fn every_function_was_exercised_and_the_code_executor_holds_nothing() {
    let template = Template::load(&[]);
    let calls = by_function(recorded());
    for binary in template.functions().keys() {
        if binary == "code-executor" {
            // Its main builds no context: it runs candidate code and nothing else.
            assert!(!calls.contains_key(binary));
            for statement in template.function_statements(binary) {
                assert!(
                    statement.actions.iter().all(|a| runtime_action(a)),
                    "the code executor may only log and trace: {statement:?}"
                );
            }
        } else {
            assert!(
                calls.contains_key(binary),
                "{binary} made no call in the journey"
            );
        }
    }
    // The socket's message function did what the journey says it did.
    let ws = &calls["ws-default"];
    for action in [
        "bedrock:InvokeAgent",
        "transcribe:StartStreamTranscription",
        "polly:SynthesizeSpeech",
        "lambda:InvokeFunction",
        "execute-api:ManageConnections",
    ] {
        assert!(
            ws.iter().any(|c| c.action == action),
            "ws-default never called {action}"
        );
    }
    // The coding problem was handed back: InvokeAgent ran more often than the turns asked.
    let invokes = recorded()
        .iter()
        .filter(|r| r.function == "ws-default" && r.call.action == "bedrock:InvokeAgent")
        .count();
    assert!(invokes > 10, "{invokes}");
}

#[test]
fn the_agent_may_call_its_model_through_the_profile_in_every_geography() {
    for geography in ["us", "eu", "apac", "global"] {
        let template = Template::load(&[("InferenceGeography", geography)]);
        let model = agent_model(&template);
        let statements = template.role_statements("AgentRole");
        let mut calls = vec![Call::new("bedrock:Retrieve", &model.knowledge_base_arn)];
        for action in [
            "bedrock:InvokeModel",
            "bedrock:InvokeModelWithResponseStream",
        ] {
            calls.push(Call::new(action, &model.profile_arn));
            for arn in &model.foundation_model_arns {
                calls.push(
                    Call::new(action, arn).with("bedrock:InferenceProfileArn", &model.profile_arn),
                );
                // Only through the profile: the same model called directly is refused.
                assert!(
                    allowed(&statements, &Call::new(action, arn)).is_none(),
                    "{geography}: {action} on {arn} without the profile"
                );
            }
        }
        for call in &calls {
            assert!(
                allowed(&statements, call).is_some(),
                "{geography}: the agent may not {call}"
            );
        }
    }
    // And the journey's own agent calls pass against the deployed (default) role.
    let agent: Vec<Recorded> = recorded()
        .iter()
        .filter(|r| r.function == AGENT)
        .cloned()
        .collect();
    assert!(!agent.is_empty());
    assert!(gaps(&Template::load(&[]), &agent).is_empty());
}

/// Removes from `function`'s policies the statement granting `action` on a resource containing `part`.
fn without_grant(template: &mut Template, function: &str, action: &str, part: &str) {
    let logical = template.functions()[function].clone();
    let root = template.root_mut();
    let policies = root["Resources"][logical.as_str()]["Properties"]["Policies"]
        .as_sequence_mut()
        .unwrap();
    let mut removed = false;
    for policy in policies {
        let Some(statements) = policy["Statement"].as_sequence_mut() else {
            continue;
        };
        statements.retain(|s| {
            let text = serde_yaml::to_string(s).unwrap();
            let hit = text.contains(action) && text.contains(part);
            removed |= hit;
            !hit
        });
    }
    assert!(
        removed,
        "{function} has no statement for {action} on {part}"
    );
}

#[test]
fn a_missing_grant_is_caught() {
    let calls = recorded();
    for (function, action, part, expected) in [
        (
            "ws-default",
            "s3:DeleteObject",
            "/recordings/*",
            "ws-default: s3:DeleteObject on arn:aws:s3:::prepai-databucket-1x2y3z/recordings/",
        ),
        (
            "get-session",
            "s3:ListBucket",
            "DataBucket.Arn",
            "get-session: s3:ListBucket on arn:aws:s3:::prepai-databucket-1x2y3z",
        ),
        (
            "execute-code",
            "lambda:InvokeFunction",
            "CodeExecutorFunction",
            "execute-code: lambda:InvokeFunction on arn:aws:lambda:",
        ),
        (
            "create-session",
            "s3:PutObject",
            "/quotas/*",
            "create-session: s3:PutObject on arn:aws:s3:::prepai-databucket-1x2y3z/quotas/",
        ),
    ] {
        let mut template = Template::load(&[]);
        without_grant(&mut template, function, action, part);
        let gaps = gaps(&template, calls);
        assert!(
            gaps.iter().any(|g| g.starts_with(expected)),
            "removing {action} on {part} from {function} went unnoticed: {gaps:?}"
        );
    }
}

/// The journey's calls by function, action and prefix, with counts:
/// `cargo test --workspace --test iam_contract -- --ignored --nocapture`.
#[test]
#[ignore = "prints a table"]
fn print_the_calls_each_function_makes() {
    let mut seen: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    for r in recorded() {
        let res = r.call.resource.clone();
        let bucket = iam::symbol("DataBucket.Arn").unwrap();
        let short = match res.split_once(bucket.as_str()) {
            Some((_, rest)) => {
                let mut parts = rest.trim_start_matches('/').split('/');
                format!("s3:{}", parts.next().unwrap_or(""))
            }
            None => res,
        };
        *seen
            .entry((r.function.clone(), r.call.action.clone(), short))
            .or_default() += 1;
    }
    for ((f, a, r), n) in seen {
        println!("{f:24} {a:40} {r} x{n}");
    }
}

fn repo_file(path: &str) -> String {
    let full = format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

/// The journey runs each function wired as its `main` wires it: every route's main runs the handler
/// [`Route::handle`] dispatches to, over storage plus exactly the ports listed here (and so links nothing else).
#[test]
fn each_main_runs_its_routes_handler_with_the_ports_the_journey_wired() {
    let routes = repo_file("shared/src/routes.rs");
    for route in Route::ALL {
        let arm = format!("Route::{route:?} => ");
        let handler = routes
            .lines()
            .filter_map(|l| l.trim().strip_prefix(arm.as_str()))
            .find(|rest| rest.starts_with("handlers::"))
            .and_then(|rest| rest.split('(').next())
            .unwrap_or_else(|| panic!("no dispatch arm for {route:?}"));
        let main = repo_file(&format!("functions/src/bin/{}.rs", route.binary()));
        assert!(
            main.contains(&format!("Route::{route:?},")),
            "{}",
            route.binary()
        );
        assert!(
            main.contains(&format!("prepai::{handler}(&ctx, request)")),
            "{} must run {handler}",
            route.binary()
        );
        let ports: Vec<&str> = [
            ".textract()",
            ".code_runner()",
            ".speech()",
            ".interviewer()",
            ".verifier()",
        ]
        .into_iter()
        .filter(|p| main.contains(p))
        .collect();
        let expected: &[&str] = match route.binary() {
            "upload-cv" => &[".textract()"],
            "execute-code" => &[".code_runner()"],
            _ => &[],
        };
        assert!(main.contains("Wiring::storage()"), "{}", route.binary());
        assert_eq!(ports, expected, "{}", route.binary());
    }
    let ws = repo_file("shared/src/entry/ws_lambda.rs");
    let body = |name: &str| {
        let start = ws.find(&format!("pub async fn {name}()")).unwrap();
        let end = ws[start..].find("\n}\n").unwrap();
        ws[start..start + end].to_owned()
    };
    assert!(body("serve_connect").contains(".verifier()"));
    for port in [
        ".textract()",
        ".code_runner()",
        ".speech()",
        ".interviewer()",
        ".verifier()",
    ] {
        assert!(
            !body("serve_disconnect").contains(port),
            "ws-disconnect wires only storage"
        );
    }
    for port in [".code_runner()", ".speech()", ".interviewer()"] {
        assert!(
            body("serve_default").contains(port),
            "ws-default wires {port}"
        );
    }
    for (binary, serve) in [
        ("ws-connect", "serve_connect"),
        ("ws-default", "serve_default"),
        ("ws-disconnect", "serve_disconnect"),
    ] {
        assert!(
            repo_file(&format!("functions/src/bin/{binary}.rs")).contains(serve),
            "{binary}"
        );
    }
    for (binary, tool) in [
        ("cv-analyzer", "cv_analyzer"),
        ("performance-evaluator", "performance_evaluator"),
    ] {
        let main = repo_file(&format!("functions/src/bin/{binary}.rs"));
        assert!(
            main.contains("Wiring::storage()") && main.contains(&format!("tool_lambda::{tool}")),
            "{binary}"
        );
    }
}
