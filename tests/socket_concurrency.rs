//! One interview socket as API Gateway drives it: every message its own invocation, all running at once. Spoken
//! answers (speech_start, audio chunks, speech_end) overlap each other and typed answers and code runs, in a
//! different interleaving for every seed, on both stores (a directory, and S3 over HTTP). Afterwards: each
//! utterance was transcribed exactly once, no answer is missing or doubled, and the interviewer never asked a
//! question twice (its plan never rewound or repeated).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use base64::Engine;
use bytes::Bytes;
use futures::stream;
use prepai::AppContext;
use prepai::context::SpeechServices;
use prepai::domain::{CandidateName, Identity, InterviewType, Role, Session, SessionId};
use prepai::knowledge::QuestionBank;
use prepai::ports::{
    CodeRunner, CodeRunnerError, PushChannel, PushError, SpeechError, SpeechHypothesis,
    SpeechToText, TranscriptStream,
};
use prepai::tools::code_executor::{ExecutionRequest, ExecutionResult, SandboxReport, TestOutcome};
use prepai::ws::{ConnectionId, handlers};
use prepai_tests::stores::{StoreKind, TestStore};
use serde_json::{Value, json};

/// Bytes of one `audio` message: 0.1 s of 16 kHz PCM16.
const CHUNK_BYTES: usize = 3_200;
const CHUNKS_PER_UTTERANCE: usize = 6;

/// PCM whose amplitude says which utterance it is: a loud square wave of amplitude `4000 + 100 × n`.
fn utterance_pcm(n: u32) -> Vec<u8> {
    let amplitude = 4_000 + 100 * n as i16;
    (0..CHUNK_BYTES * CHUNKS_PER_UTTERANCE / 2)
        .flat_map(|i| {
            let sample = if (i / 20) % 2 == 0 {
                amplitude
            } else {
                -amplitude
            };
            sample.to_le_bytes()
        })
        .collect()
}

/// "Recognises" an utterance by its amplitude and counts how often each was transcribed.
#[derive(Default)]
struct CountingRecogniser {
    calls: Mutex<HashMap<u32, usize>>,
}

#[async_trait]
impl SpeechToText for CountingRecogniser {
    async fn transcribe(&self, pcm: Bytes) -> Result<TranscriptStream, SpeechError> {
        let first = i16::from_le_bytes([pcm[0], pcm[1]]).unsigned_abs();
        let n = u32::from((first - 4_000) / 100);
        *self.calls.lock().unwrap().entry(n).or_default() += 1;
        Ok(Box::pin(stream::iter([Ok(SpeechHypothesis {
            text: format!(
                "Spoken answer number {n}: I would measure first, then cache the hot keys."
            ),
            is_final: true,
        })])))
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

/// Collects every pushed message.
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

struct Run {
    ctx: AppContext,
    recogniser: Arc<CountingRecogniser>,
    push: Collected,
    connection: String,
    identity: Identity,
    session: SessionId,
}

async fn setup(store: &TestStore) -> Run {
    let recogniser = Arc::new(CountingRecogniser::default());
    let jwt = prepai::auth::LocalJwt::new(prepai_tests::local_server::TEST_SECRET).unwrap();
    let token = jwt.mint("kat", &[], chrono::Utc::now(), chrono::Duration::hours(1));
    let ctx = AppContext::new(store.objects.clone())
        .with_interviewer(Arc::new(
            prepai::adapters::local::LocalInterviewer::embedded(),
        ))
        .with_code_runner(Arc::new(PassingRunner))
        .with_verifier(Arc::new(jwt))
        .with_speech(SpeechServices {
            stt: Some(recogniser.clone()),
            ..SpeechServices::default()
        });
    let identity = Identity::new("kat", vec![]).unwrap();
    let session = Session::new(
        SessionId::new_random(),
        &identity,
        InterviewType::GoogleSde,
        CandidateName::parse("Kat").unwrap(),
        chrono::Utc::now(),
    );
    ctx.sessions.create(&session).await.unwrap();
    let connection = format!("conn{}", fastrand::u64(..));
    let query = HashMap::from([
        ("token".to_owned(), token),
        ("session_id".to_owned(), session.session_id.to_string()),
    ]);
    assert_eq!(
        handlers::connect(&ctx, &connection, &query).await.status,
        200
    );
    Run {
        ctx,
        recogniser,
        push: Collected::default(),
        connection,
        identity,
        session: session.session_id,
    }
}

impl Run {
    async fn send(&self, message: Value) {
        handlers::message(
            &self.ctx,
            &self.push,
            &self.connection,
            &message.to_string(),
        )
        .await;
    }
}

async fn sleep_ms(ms: u64) {
    tokio::time::sleep(Duration::from_millis(ms)).await;
}

/// One spoken answer as a browser sends it, each message handled concurrently as API Gateway would.
async fn speak(run: &Run, n: u32, rng: &mut fastrand::Rng) {
    let pcm = utterance_pcm(n);
    let chunks: Vec<Value> = pcm
        .chunks(CHUNK_BYTES)
        .enumerate()
        .map(|(seq, c)| {
            json!({"type": "audio", "seq": seq, "utterance": n,
                   "data": base64::engine::general_purpose::STANDARD.encode(c)})
        })
        .collect();
    let delays: Vec<u64> = (0..chunks.len()).map(|_| rng.u64(0..8)).collect();
    let start = run.send(json!({"type": "speech_start", "utterance": n}));
    let audio = futures::future::join_all(chunks.into_iter().zip(delays).map(
        |(chunk, delay)| async move {
            sleep_ms(delay).await;
            run.send(chunk).await;
        },
    ));
    let end_delay = rng.u64(2..12);
    let end = async {
        sleep_ms(end_delay).await;
        run.send(json!({"type": "speech_end", "utterance": n, "chunks": CHUNKS_PER_UTTERANCE}))
            .await;
    };
    tokio::join!(start, audio, end);
}

async fn interleaved_interview(kind: StoreKind, seed: u64) {
    let store = TestStore::new(kind).await;
    let run = setup(&store).await;
    run.send(json!({"type": "start"})).await;
    let mut rng = fastrand::Rng::with_seed(seed);
    const SPOKEN: u32 = 3;
    const TYPED: usize = 3;
    const CODE_RUNS: usize = 2;
    let typed: Vec<String> = (0..TYPED)
        .map(|i| format!("Typed answer number {i}: I would partition the table by tenant."))
        .collect();
    let mut work: Vec<std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + '_>>> =
        Vec::new();
    for n in 0..SPOKEN {
        let mut own = fastrand::Rng::with_seed(rng.u64(..));
        let delay = rng.u64(0..30);
        let run = &run;
        work.push(Box::pin(async move {
            sleep_ms(delay).await;
            speak(run, n, &mut own).await;
        }));
    }
    for text in &typed {
        let delay = rng.u64(0..30);
        let run = &run;
        work.push(Box::pin(async move {
            sleep_ms(delay).await;
            run.send(json!({"type": "text", "text": text})).await;
        }));
    }
    for i in 0..CODE_RUNS {
        let delay = rng.u64(0..30);
        let run = &run;
        work.push(Box::pin(async move {
            sleep_ms(delay).await;
            run.send(
                json!({"type": "code", "language": "python", "functionName": "f",
                            "code": format!("def f(x):\n    return x  # run {i}\n"),
                            "testCases": [{"input": 1, "expected": 1}]}),
            )
            .await;
        }));
    }
    futures::future::join_all(work).await;

    let context = format!("{kind:?}, seed {seed}");
    let pushed = run.push.0.lock().unwrap().clone();
    let errors: Vec<&Value> = pushed.iter().filter(|m| m["type"] == "error").collect();
    assert!(errors.is_empty(), "{context}: {errors:?}");

    let calls = run.recogniser.calls.lock().unwrap().clone();
    for n in 0..SPOKEN {
        assert_eq!(
            calls.get(&n),
            Some(&1),
            "{context}: utterance {n} transcribed once: {calls:?}"
        );
    }
    let session = run
        .ctx
        .sessions
        .get(&run.session, &run.identity)
        .await
        .unwrap();
    let said: Vec<&str> = session
        .transcript
        .iter()
        .filter(|e| e.role == Role::User)
        .map(|e| e.text.as_str())
        .collect();
    for n in 0..SPOKEN {
        let wanted = format!("Spoken answer number {n}:");
        assert_eq!(
            said.iter().filter(|t| t.starts_with(&wanted)).count(),
            1,
            "{context}: spoken answer {n} exactly once: {said:#?}"
        );
    }
    for text in &typed {
        assert_eq!(
            said.iter().filter(|t| *t == text).count(),
            1,
            "{context}: typed answer exactly once: {said:#?}"
        );
    }
    assert_eq!(session.code_submissions.len(), CODE_RUNS, "{context}");

    // The plan never rewinds or repeats: no bank question is asked twice.
    let bank = QuestionBank::embedded();
    let mut asked: HashMap<String, usize> = HashMap::new();
    for entry in session
        .transcript
        .iter()
        .filter(|e| e.role == Role::Assistant)
    {
        for question in &bank.questions {
            if entry.text.contains(&question.text) {
                *asked.entry(question.id.clone()).or_default() += 1;
            }
        }
    }
    let repeated: Vec<_> = asked.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        repeated.is_empty(),
        "{context}: questions asked twice: {repeated:?}"
    );
    assert!(
        session.turns.open.is_none() && session.turns.waiting.is_empty(),
        "{context}: every turn was answered and the lease released: {:?}",
        session.turns
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_messages_on_one_connection_lose_and_repeat_nothing_on_the_filesystem() {
    for seed in 0..12 {
        interleaved_interview(StoreKind::Filesystem, seed).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_messages_on_one_connection_lose_and_repeat_nothing_on_s3() {
    for seed in 100..106 {
        interleaved_interview(StoreKind::S3OverHttp, seed).await;
    }
}
