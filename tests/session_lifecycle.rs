//! The session's state machine under races, on both stores (a directory, and S3 over HTTP): `end` against a late
//! answer (the report covers exactly what was accepted), `end` against `delete` (nothing is left behind, analytics
//! included), and code runs and resume uploads after the end (409, nothing stored).

use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;
use prepai::AppContext;
use prepai::app::AppError;
use prepai::app::code::{RunRequest, Tests};
use prepai::app::cv::UploadedCv;
use prepai::app::interview::{CandidateMessage, TurnObserver};
use prepai::app::sessions::NewSession;
use prepai::domain::{
    CandidateName, Identity, InterviewType, OwnerKey, Role, SessionId, TranscriptEntry,
};
use prepai::ports::{CodeRunner, CodeRunnerError, KeyPrefix, ObjectKey};
use prepai::tools::code_executor::{
    ExecutionRequest, ExecutionResult, Language, SandboxReport, TestCase, TestOutcome,
};
use prepai_tests::stores::{StoreKind, TestStore};
use serde_json::json;

/// Passes every test instantly: these tests are about what is recorded, not about running code.
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

/// Ignores a turn's output.
struct Quiet;

#[async_trait]
impl TurnObserver for Quiet {
    async fn recorded(&self, _entry: &TranscriptEntry) {}
    async fn chunk(&self, _text: &str) {}
    async fn problem(&self, _problem: &serde_json::Value) {}
    async fn complete(&self, _text: &str) {}
    async fn broke(&self) {}
    async fn unsaved(&self, _error: prepai::app::AppError) {}
}

fn context(store: &TestStore) -> AppContext {
    AppContext::new(store.objects.clone())
        .with_interviewer(Arc::new(
            prepai::adapters::local::LocalInterviewer::embedded(),
        ))
        .with_code_runner(Arc::new(PassingRunner))
}

async fn new_session(ctx: &AppContext, who: &Identity) -> SessionId {
    ctx.session_cases()
        .create(
            who,
            NewSession {
                interview_type: InterviewType::GoogleSde,
                candidate_name: CandidateName::parse("Grace Hopper").unwrap(),
            },
        )
        .await
        .unwrap()
        .session_id
}

fn scratch_run() -> RunRequest {
    RunRequest {
        code: "def f(x):\n    return x\n".into(),
        language: Language::Python,
        function_name: Some("f".into()),
        tests: Tests::Scratch(vec![TestCase {
            input: json!(1),
            args: None,
            expected: json!(1),
        }]),
    }
}

fn is_interview_ended(e: &AppError) -> bool {
    matches!(
        e,
        AppError::Conflict {
            code: "interview_ended",
            ..
        }
    )
}

/// Words the candidate said, as the evaluator counts them.
fn candidate_words(transcript: &[TranscriptEntry]) -> usize {
    transcript
        .iter()
        .filter(|e| e.role == Role::User)
        .map(|e| prepai::tools::performance_evaluator::language::words(&e.text).count())
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_late_answer_is_either_refused_or_in_the_report() {
    for kind in StoreKind::ALL {
        let store = TestStore::new(kind).await;
        let ctx = context(&store);
        let ada = Identity::new("ada", vec![]).unwrap();
        let (mut accepted, mut refused) = (0, 0);
        for round in 0..12u64 {
            let id = new_session(&ctx, &ada).await;
            ctx.interview()
                .start(&ada, &id, None, &Quiet)
                .await
                .unwrap();
            let late = format!(
                "A hash map hashes each key to a bucket and chains collisions, so lookups stay constant on average ({round})."
            );
            let interview = ctx.interview();
            let reports = ctx.report_cases();
            // Vary the overlap from round to round: either side may start first, by up to 20 ms.
            let (answer_delay, end_delay) = if round % 2 == 0 {
                (round * 2, 0)
            } else {
                (0, round)
            };
            let answer = async {
                tokio::time::sleep(std::time::Duration::from_millis(answer_delay)).await;
                interview
                    .answer(&ada, &id, CandidateMessage::typed(late.clone()), &Quiet)
                    .await
            };
            let end = async {
                tokio::time::sleep(std::time::Duration::from_millis(end_delay)).await;
                reports.end(&ada, &id).await
            };
            let (answered, ended) = tokio::join!(answer, end);
            let ended = ended.unwrap();
            let session = ctx.session_cases().get(&ada, &id).await.unwrap();
            let in_transcript = session.transcript.iter().any(|e| e.text == late);
            match answered {
                Ok(()) => {
                    accepted += 1;
                    assert!(
                        in_transcript,
                        "{kind:?}: an accepted answer is in the transcript"
                    );
                }
                Err(e) => {
                    refused += 1;
                    assert!(is_interview_ended(&e), "{kind:?}: {e:?}");
                    assert!(!in_transcript, "{kind:?}: a refused answer left a line");
                }
            }
            assert_eq!(
                ended.report.report.metrics.candidate_words,
                candidate_words(&session.transcript),
                "{kind:?}: the report covers exactly the accepted answers"
            );
        }
        eprintln!("{kind:?}: {accepted} late answers accepted, {refused} refused");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_delete_racing_an_end_leaves_nothing_behind() {
    for kind in StoreKind::ALL {
        let store = TestStore::new(kind).await;
        let ctx = context(&store);
        let ada = Identity::new("ada", vec![]).unwrap();
        for round in 0..8u64 {
            let id = new_session(&ctx, &ada).await;
            ctx.interview()
                .answer(
                    &ada,
                    &id,
                    CandidateMessage::typed("I would shard by user id to spread the writes."),
                    &Quiet,
                )
                .await
                .unwrap();
            ctx.code_runs().run(&ada, &id, scratch_run()).await.unwrap();
            let reports = ctx.report_cases();
            let sessions = ctx.session_cases();
            let end = reports.end(&ada, &id);
            let delete = async {
                tokio::time::sleep(std::time::Duration::from_millis(round % 5)).await;
                sessions.delete(&ada, &id).await
            };
            let (ended, deleted) = tokio::join!(end, delete);
            if let Err(e) = &ended {
                assert!(matches!(e, AppError::NotFound { .. }), "{kind:?}: {e:?}");
            }
            // The delete may have found the session already gone only if an earlier delete ran; here it is the
            // only one, so it succeeds.
            deleted.unwrap();
            assert!(matches!(
                ctx.session_cases().get(&ada, &id).await,
                Err(AppError::NotFound { .. })
            ));
            for prefix in KeyPrefix::session_data(&id) {
                assert!(
                    store.objects.list(&prefix).await.unwrap().is_empty(),
                    "{kind:?}: {prefix} outlived its session"
                );
            }
            assert!(
                store
                    .objects
                    .get(&ObjectKey::session(&id))
                    .await
                    .unwrap()
                    .is_none()
            );
            let summaries = ctx.summaries().owner(&OwnerKey::of("ada")).await.unwrap();
            assert!(
                summaries.iter().all(|s| s.session_id != id),
                "{kind:?}: a ghost summary is left in analytics"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn code_runs_and_uploads_after_the_end_are_409_and_store_nothing() {
    for kind in StoreKind::ALL {
        let store = TestStore::new(kind).await;
        let ctx = context(&store);
        let ada = Identity::new("ada", vec![]).unwrap();
        let id = new_session(&ctx, &ada).await;
        ctx.code_runs().run(&ada, &id, scratch_run()).await.unwrap();
        ctx.report_cases().end(&ada, &id).await.unwrap();
        let before = ctx.session_cases().get(&ada, &id).await.unwrap();

        let run = ctx.code_runs().run(&ada, &id, scratch_run()).await;
        assert!(
            run.as_ref().is_err_and(is_interview_ended),
            "{kind:?}: {run:?}"
        );
        let upload = ctx
            .resumes()
            .upload(
                &ada,
                &id,
                UploadedCv {
                    file_name: Some("cv.txt".into()),
                    bytes: Bytes::from_static(
                        b"Ada Lovelace\nada@example.com\nSkills: Python, Rust\nExperience\nEngineer, Acme, 2020 - 2024\n",
                    ),
                },
            )
            .await;
        assert!(upload.as_ref().is_err_and(is_interview_ended), "{kind:?}");
        let answer = ctx
            .interview()
            .answer(&ada, &id, CandidateMessage::typed("one more thing"), &Quiet)
            .await;
        assert!(answer.as_ref().is_err_and(is_interview_ended), "{kind:?}");

        let after = ctx.session_cases().get(&ada, &id).await.unwrap();
        assert_eq!(after, before, "{kind:?}: nothing changed after the end");
        assert_eq!(
            store
                .objects
                .list(&KeyPrefix::submissions(&id))
                .await
                .unwrap()
                .len(),
            1,
            "{kind:?}: only the run made before the end is stored"
        );
        assert!(
            store
                .objects
                .list(&KeyPrefix::cvs(&id))
                .await
                .unwrap()
                .is_empty(),
            "{kind:?}: the refused resume was not kept"
        );

        // Through the REST entrance the refusal is a 409 with the JSON error.
        let body = json!({"sessionId": id.to_string(), "code": "def f(x): return x", "language": "python",
                          "functionName": "f", "testCases": [{"input": 1, "expected": 1}]});
        let response = prepai::Route::ExecuteCode
            .handle(
                &ctx,
                prepai::api::ApiRequest {
                    method: http::Method::POST,
                    body: Bytes::from(body.to_string()),
                    identity: Some(ada.clone()),
                    ..Default::default()
                },
            )
            .await;
        assert_eq!(response.status.as_u16(), 409);
        assert_eq!(
            response.body_json()["error"]["code"],
            "interview_ended",
            "{kind:?}"
        );
    }
}

/// Holds the interviewer's reply to one answer until the test lets it go, so another input can queue behind it.
struct HeldAnswer {
    inner: prepai::adapters::local::LocalInterviewer,
    held: &'static str,
    gate: tokio::sync::Semaphore,
    reached: tokio::sync::Notify,
}

impl HeldAnswer {
    /// The embedded interviewer, held on the answer `held`.
    fn on(held: &'static str) -> Arc<HeldAnswer> {
        Arc::new(HeldAnswer {
            inner: prepai::adapters::local::LocalInterviewer::embedded(),
            held,
            gate: tokio::sync::Semaphore::new(0),
            reached: tokio::sync::Notify::new(),
        })
    }
}

/// Ada's interview on `objects` with `interviewer`, greeted and waiting for her first answer.
async fn greeted(
    objects: Arc<dyn prepai::ports::ObjectStore>,
    interviewer: Arc<HeldAnswer>,
) -> (AppContext, Identity, SessionId) {
    let ctx = AppContext::new(objects)
        .with_interviewer(interviewer)
        .with_code_runner(Arc::new(PassingRunner));
    let ada = Identity::new("ada", vec![]).unwrap();
    let id = new_session(&ctx, &ada).await;
    ctx.interview()
        .start(&ada, &id, None, &Quiet)
        .await
        .unwrap();
    (ctx, ada, id)
}

#[async_trait]
impl prepai::ports::Interviewer for HeldAnswer {
    async fn turn(
        &self,
        turn: prepai::ports::InterviewTurn,
    ) -> Result<prepai::ports::InterviewerStream, prepai::ports::InterviewerError> {
        if matches!(&turn.input, prepai::domain::InterviewInput::Answer(text) if text == self.held)
        {
            self.reached.notify_one();
            let _permit = self.gate.acquire().await;
        }
        self.inner.turn(turn).await
    }
}

/// Fails the next `n` writes of session documents before they reach the store, as S3 would after its retries.
/// With `land_then_fail`, the write after those lands but is reported failed, and the read that would show it
/// landed fails too: the writer cannot know.
struct FailingSessionWrites {
    inner: Arc<dyn prepai::ports::ObjectStore>,
    fail_next: std::sync::atomic::AtomicU32,
    land_then_fail: std::sync::atomic::AtomicBool,
    fail_next_read: std::sync::atomic::AtomicBool,
}

fn unavailable(key: &ObjectKey) -> prepai::ports::StoreError {
    prepai::ports::StoreError::Unavailable {
        key: key.to_string(),
        message: "503 SlowDown".into(),
    }
}

#[async_trait]
impl prepai::ports::ObjectStore for FailingSessionWrites {
    async fn get(
        &self,
        key: &ObjectKey,
    ) -> Result<Option<prepai::ports::StoredObject>, prepai::ports::StoreError> {
        use std::sync::atomic::Ordering;
        if key.as_str().starts_with("sessions/")
            && self.fail_next_read.swap(false, Ordering::SeqCst)
        {
            return Err(unavailable(key));
        }
        self.inner.get(key).await
    }

    async fn put(
        &self,
        key: &ObjectKey,
        body: Bytes,
        precondition: prepai::ports::Precondition,
    ) -> Result<prepai::ports::ETag, prepai::ports::StoreError> {
        use std::sync::atomic::Ordering;
        let session_document = key.as_str().starts_with("sessions/");
        if session_document
            && self
                .fail_next
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_ok()
        {
            return Err(unavailable(key));
        }
        if session_document && self.land_then_fail.swap(false, Ordering::SeqCst) {
            self.inner.put(key, body, precondition).await?;
            self.fail_next_read.store(true, Ordering::SeqCst);
            return Err(unavailable(key));
        }
        self.inner.put(key, body, precondition).await
    }

    async fn delete(&self, key: &ObjectKey) -> Result<(), prepai::ports::StoreError> {
        self.inner.delete(key).await
    }

    async fn list(&self, prefix: &KeyPrefix) -> Result<Vec<ObjectKey>, prepai::ports::StoreError> {
        self.inner.list(prefix).await
    }
}

/// What a turn told its client, in order.
#[derive(Default)]
struct Told(std::sync::Mutex<Vec<String>>);

#[async_trait]
impl TurnObserver for Told {
    async fn recorded(&self, entry: &TranscriptEntry) {
        self.0
            .lock()
            .unwrap()
            .push(format!("recorded {}", entry.text));
    }
    async fn chunk(&self, _text: &str) {}
    async fn problem(&self, _problem: &serde_json::Value) {}
    async fn complete(&self, _text: &str) {
        self.0.lock().unwrap().push("complete".into());
    }
    async fn broke(&self) {
        self.0.lock().unwrap().push("broke".into());
    }
    async fn unsaved(&self, error: AppError) {
        self.0
            .lock()
            .unwrap()
            .push(format!("unsaved {}", error.code()));
    }
}

/// An answer that arrives while another is being answered waits for that turn. If that turn's reply then cannot
/// be saved, the answer that waited must still be answered — by the failed turn, which hands the lease over —
/// not left until the candidate's next message.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_queued_behind_a_turn_whose_save_failed_is_answered() {
    queued_behind_a_failed_save(false).await;
}

/// The same, when the failed turn's first try to hand the lease over lands unconfirmed: its next try must find
/// that hand-over, not take a second input or give up on the one it took.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hand_over_that_landed_unconfirmed_is_found_not_repeated() {
    queued_behind_a_failed_save(true).await;
}

async fn queued_behind_a_failed_save(hand_over_lands_unconfirmed: bool) {
    for kind in StoreKind::ALL {
        let store = TestStore::new(kind).await;
        let objects = Arc::new(FailingSessionWrites {
            inner: store.objects.clone(),
            fail_next: 0.into(),
            land_then_fail: false.into(),
            fail_next_read: false.into(),
        });
        let interviewer = HeldAnswer::on("First I would sort the input.");
        let (ctx, ada, id) = greeted(objects.clone(), interviewer.clone()).await;

        let first_told = Told::default();
        let interview = ctx.interview();
        let first = interview.answer(
            &ada,
            &id,
            CandidateMessage::typed(interviewer.held),
            &first_told,
        );
        let second_told = Told::default();
        let second = async {
            interviewer.reached.notified().await;
            interview
                .answer(
                    &ada,
                    &id,
                    CandidateMessage::typed("Then a hash map for the counts."),
                    &second_told,
                )
                .await
                .expect("queued behind the first turn");
            // Queued: the first turn's holder answers it. Its reply cannot be saved (the next session write
            // fails), so the holder gives the lease back — and with it the queued answer.
            objects
                .fail_next
                .store(1, std::sync::atomic::Ordering::SeqCst);
            objects.land_then_fail.store(
                hand_over_lands_unconfirmed,
                std::sync::atomic::Ordering::SeqCst,
            );
            interviewer.gate.add_permits(1);
        };
        let (first, ()) = tokio::join!(first, second);
        first.expect("the failure was told to the client as it happened");

        assert_eq!(
            *second_told.0.lock().unwrap(),
            ["recorded Then a hash map for the counts."],
            "{kind:?}"
        );
        assert_eq!(
            *first_told.0.lock().unwrap(),
            [
                "recorded First I would sort the input.",
                "unsaved storage_unavailable",
                "complete",
            ],
            "{kind:?}: the failure first, then the reply to the answer that waited"
        );
        let session = ctx.sessions.get(&id, &ada).await.unwrap();
        let roles: Vec<Role> = session.transcript.iter().map(|e| e.role).collect();
        assert_eq!(
            roles,
            [Role::Assistant, Role::User, Role::User, Role::Assistant],
            "{kind:?}: both answers once, one reply after them"
        );
        assert!(session.turns.open.is_none(), "{kind:?}: the lease is free");
        assert!(session.turns.waiting.is_empty(), "{kind:?}: nothing waits");
    }
}

/// The same answer sent twice before its reply, under one id and with no error in between (a double send): the
/// second copy waits for the first copy's turn, which is still being answered, instead of taking it over — the
/// answer is recorded once and gets one reply.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_sent_twice_before_its_reply_is_answered_once() {
    for kind in StoreKind::ALL {
        let store = TestStore::new(kind).await;
        let interviewer = HeldAnswer::on("First I would sort the input.");
        let (ctx, ada, id) = greeted(store.objects.clone(), interviewer.clone()).await;
        let copy = || CandidateMessage {
            id: Some(prepai::domain::MessageId::parse("double-send").unwrap()),
            ..CandidateMessage::typed(interviewer.held)
        };

        let (first_told, second_told) = (Told::default(), Told::default());
        let interview = ctx.interview();
        let first = interview.answer(&ada, &id, copy(), &first_told);
        let second = async {
            interviewer.reached.notified().await;
            interview
                .answer(&ada, &id, copy(), &second_told)
                .await
                .expect("the copy is recognised");
            interviewer.gate.add_permits(1);
        };
        // Bounded: a copy that took the turn over would wait on the held interviewer for good.
        let (first, ()) = tokio::time::timeout(std::time::Duration::from_secs(30), async {
            tokio::join!(first, second)
        })
        .await
        .expect("the copy returned at once and the first copy's turn finished");
        first.expect("the first copy's turn is answered");

        assert_eq!(
            *second_told.0.lock().unwrap(),
            ["recorded First I would sort the input."],
            "{kind:?}: the copy waits for the turn in progress"
        );
        assert_eq!(
            *first_told.0.lock().unwrap(),
            ["recorded First I would sort the input.", "complete"],
            "{kind:?}"
        );
        let session = ctx.sessions.get(&id, &ada).await.unwrap();
        let roles: Vec<Role> = session.transcript.iter().map(|e| e.role).collect();
        assert_eq!(
            roles,
            [Role::Assistant, Role::User, Role::Assistant],
            "{kind:?}: the answer once, one reply"
        );
        assert!(session.turns.open.is_none(), "{kind:?}: the lease is free");
    }
}
