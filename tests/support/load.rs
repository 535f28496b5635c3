//! Simulated candidates for load and fault runs: each does a whole interview against the local server — a
//! session over REST, the interview over the WebSocket (start, text turns, a code run), a resume upload over REST,
//! `end`, then the report over REST — while analytics readers poll beside them. Every request is timed and every
//! refusal counted; afterwards every accepted answer is looked for in its transcript (exactly once) and every report
//! is checked against its session.
//!
//! Bounded: a fixed number of candidates and turns, each wait capped, the whole run under a deadline.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::Mutex;
use tokio_tungstenite::tungstenite::Message;

use crate::local_server::LocalServer;
use crate::socket::{Socket, socket_url};

/// What a run does.
#[derive(Clone, Debug)]
pub struct LoadPlan {
    pub candidates: usize,
    /// Text answers per interview (besides `start`, the code run and `end`).
    pub turns: usize,
    /// Tasks reading analytics while the interviews run.
    pub analytics_readers: usize,
    /// A candidate's pause before each message, drawn uniformly from this range (ms): a person reading and typing.
    pub think_ms: std::ops::Range<u64>,
    /// Candidates start spread over this long, so that all are in their interview at once without 1,000 handshakes
    /// in the same millisecond.
    pub ramp: Duration,
    /// How long one reply may take before the candidate counts it as failed.
    pub reply_timeout: Duration,
    /// How often a candidate sends a message again after a retryable refusal (`busy`, `storage_unavailable`,
    /// a 503) before giving up on it.
    pub resends: usize,
    pub seed: u64,
}

impl LoadPlan {
    /// A small run for CI: a few seconds.
    pub fn small(candidates: usize) -> LoadPlan {
        LoadPlan {
            candidates,
            turns: 3,
            analytics_readers: 2,
            think_ms: 0..30,
            ramp: Duration::from_millis(300),
            reply_timeout: Duration::from_secs(30),
            resends: 3,
            seed: 7,
        }
    }
}

/// Timings and outcomes of one kind of operation.
#[derive(Clone, Debug, Default)]
pub struct OpStats {
    pub samples: Vec<Duration>,
    /// Refusals by code (REST `error.code` with its status, socket `error` codes, `transport` for a dropped
    /// connection or a timeout).
    pub errors: BTreeMap<String, usize>,
    /// REST answers with a 5xx status.
    pub status_5xx: usize,
}

impl OpStats {
    pub fn error_count(&self) -> usize {
        self.errors.values().sum()
    }

    /// The `q` quantile (nearest rank) in milliseconds.
    pub fn quantile_ms(&self, q: f64) -> f64 {
        if self.samples.is_empty() {
            return 0.0;
        }
        let mut sorted = self.samples.clone();
        sorted.sort();
        let at = ((sorted.len() - 1) as f64 * q).round() as usize;
        sorted[at].as_secs_f64() * 1e3
    }
}

/// What one candidate did, for the checks afterwards.
#[derive(Clone, Debug, Default)]
struct Interview {
    session_id: Option<String>,
    token: String,
    /// Answers the server acknowledged (echoed as the final `transcript`), as sent.
    accepted_answers: Vec<String>,
    /// Answers the server refused, each then sent again or given up.
    refused_answers: usize,
    /// Code runs the server acknowledged with a `code_result`, by submission id.
    accepted_runs: Vec<String>,
    /// The report sent over the socket on `end`.
    report: Option<Value>,
    /// The report as `GET …/performance-report` answered afterwards.
    stored_report: Option<Value>,
    /// Whether the interview got as far as its report.
    completed: bool,
}

/// The outcome of a run.
#[derive(Debug, Default)]
pub struct LoadReport {
    pub plan: Option<LoadPlan>,
    pub elapsed: Duration,
    pub ops: BTreeMap<&'static str, OpStats>,
    pub interviews_completed: usize,
    /// The most interviews in progress at once.
    pub peak_open: usize,
    pub answers_accepted: usize,
    pub answers_refused: usize,
    pub runs_accepted: usize,
    /// Accepted answers missing from their transcript.
    pub lost_answers: usize,
    /// Answers found more often in their transcript than they were accepted.
    pub duplicated_answers: usize,
    /// Accepted code runs missing from their session (its list or their object).
    pub lost_runs: usize,
    /// Code runs listed more than once.
    pub duplicated_runs: usize,
    /// Reports whose figures disagree with their session (candidate messages, words, code runs, session id).
    pub report_mismatches: Vec<String>,
}

impl LoadReport {
    /// Every operation's REST 5xx answers.
    pub fn total_5xx(&self) -> usize {
        self.ops.values().map(|o| o.status_5xx).sum()
    }

    pub fn total_errors(&self) -> usize {
        self.ops.values().map(OpStats::error_count).sum()
    }

    /// All operations per second over the run.
    pub fn throughput(&self) -> f64 {
        let n: usize = self.ops.values().map(|o| o.samples.len()).sum();
        n as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// The figures as a Markdown table and a summary, as the bench prints them.
    pub fn render(&self, title: &str) -> String {
        let mut out = format!("\n{title}\n");
        out.push_str(&format!(
            "{} interviews completed in {:.1} s, at most {} in progress at once; {:.0} operations/s\n\n",
            self.interviews_completed,
            self.elapsed.as_secs_f64(),
            self.peak_open,
            self.throughput()
        ));
        out.push_str("| operation | count | p50 ms | p95 ms | p99 ms | errors |\n");
        out.push_str("|---|---:|---:|---:|---:|---|\n");
        for (name, op) in &self.ops {
            let errors = if op.errors.is_empty() {
                "0".to_owned()
            } else {
                op.errors
                    .iter()
                    .map(|(code, n)| format!("{code}: {n}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            out.push_str(&format!(
                "| {name} | {} | {:.1} | {:.1} | {:.1} | {errors} |\n",
                op.samples.len(),
                op.quantile_ms(0.5),
                op.quantile_ms(0.95),
                op.quantile_ms(0.99)
            ));
        }
        out.push_str(&format!(
            "\nanswers accepted {}, refused (then resent) {}; code runs accepted {}\n\
             lost answers {}, duplicated answers {}, lost runs {}, duplicated runs {}, report mismatches {}, \
             REST 5xx {}\n",
            self.answers_accepted,
            self.answers_refused,
            self.runs_accepted,
            self.lost_answers,
            self.duplicated_answers,
            self.lost_runs,
            self.duplicated_runs,
            self.report_mismatches.len(),
            self.total_5xx()
        ));
        for mismatch in self.report_mismatches.iter().take(5) {
            out.push_str(&format!("  mismatch: {mismatch}\n"));
        }
        out
    }
}

/// Shared tallies while a run is going.
#[derive(Default)]
struct Tally {
    ops: Mutex<BTreeMap<&'static str, OpStats>>,
    /// Interviews between their session's creation and their end (or where they stopped).
    open: AtomicUsize,
    /// The most that were open at once: what makes a run "N concurrent interviews".
    peak_open: AtomicUsize,
}

/// Counts one interview as open while it lives.
struct Open(Arc<Tally>);

impl Open {
    fn new(tally: &Arc<Tally>) -> Open {
        let now = tally.open.fetch_add(1, Ordering::SeqCst) + 1;
        tally.peak_open.fetch_max(now, Ordering::SeqCst);
        Open(Arc::clone(tally))
    }
}

impl Drop for Open {
    fn drop(&mut self) {
        self.0.open.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Tally {
    async fn ok(&self, op: &'static str, took: Duration) {
        self.ops
            .lock()
            .await
            .entry(op)
            .or_default()
            .samples
            .push(took);
    }

    async fn error(&self, op: &'static str, code: String, status: Option<u16>) {
        let mut ops = self.ops.lock().await;
        let stats = ops.entry(op).or_default();
        *stats.errors.entry(code).or_default() += 1;
        if status.is_some_and(|s| s >= 500) {
            stats.status_5xx += 1;
        }
    }
}

/// A REST answer's status and JSON body (the error shape is checked: a refusal without it is counted as
/// `malformed_error`).
async fn rest(request: reqwest::RequestBuilder) -> Result<(u16, Value), String> {
    let response = request
        .send()
        .await
        .map_err(|e| format!("transport: {e}"))?;
    let status = response.status().as_u16();
    let body = response
        .bytes()
        .await
        .map_err(|e| format!("transport: {e}"))?;
    let value: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    Ok((status, value))
}

/// Times one REST call; `Some(body)` on 2xx, the refusal tallied otherwise.
async fn timed_rest(
    tally: &Tally,
    op: &'static str,
    request: impl Fn() -> reqwest::RequestBuilder,
    resends: usize,
) -> Option<Value> {
    for attempt in 0..=resends {
        let started = Instant::now();
        match rest(request()).await {
            Ok((status, body)) if (200..300).contains(&status) => {
                tally.ok(op, started.elapsed()).await;
                return Some(body);
            }
            Ok((status, body)) => {
                let code = body["error"]["code"]
                    .as_str()
                    .filter(|_| body["error"]["message"].is_string())
                    .unwrap_or("malformed_error");
                tally
                    .error(op, format!("{status} {code}"), Some(status))
                    .await;
                if !(status == 503 && attempt < resends) {
                    return None;
                }
            }
            Err(e) => {
                tally.error(op, "transport".into(), None).await;
                if attempt >= resends {
                    eprintln!("{op}: {e}");
                    return None;
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(100 * (attempt as u64 + 1))).await;
    }
    None
}

/// How a socket exchange ended.
enum Reply {
    /// The awaited message arrived.
    Done(Value),
    /// The server answered with an `error` message.
    Refused { code: String, accepted: bool },
    /// The socket closed or the reply took too long.
    Transport(String),
}

/// Reads until a message whose type is in `until`; notes whether the answer was echoed (`transcript`, final) on
/// the way. `code_result` messages are collected into `results`.
async fn await_reply(
    socket: &mut Socket,
    until: &[&str],
    timeout: Duration,
    accepted: &mut bool,
    results: &mut Vec<Value>,
) -> Reply {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let frame = match tokio::time::timeout_at(deadline, socket.next()).await {
            Err(_) => return Reply::Transport("timeout".into()),
            Ok(None) => return Reply::Transport("closed".into()),
            Ok(Some(Err(e))) => return Reply::Transport(e.to_string()),
            Ok(Some(Ok(frame))) => frame,
        };
        let Message::Text(text) = frame else { continue };
        let Ok(message) = serde_json::from_str::<Value>(text.as_str()) else {
            return Reply::Transport("a frame that is not JSON".into());
        };
        let kind = message["type"].as_str().unwrap_or_default().to_owned();
        if kind == "transcript" && message["is_final"] == true && message["role"] == "user" {
            *accepted = true;
        }
        if kind == "code_result" {
            results.push(message.clone());
        }
        if kind == "error" {
            let code = message["code"].as_str().unwrap_or("malformed_error");
            let code = if message["message"].is_string() {
                code
            } else {
                "malformed_error"
            };
            return Reply::Refused {
                code: code.to_owned(),
                accepted: *accepted,
            };
        }
        if until.contains(&kind.as_str()) {
            return Reply::Done(message);
        }
    }
}

fn retryable(code: &str) -> bool {
    matches!(code, "busy" | "storage_unavailable")
}

/// An answer unique to this candidate and turn, of plain words only (so its word count is unambiguous).
pub fn answer_text(candidate: usize, turn: usize) -> String {
    let tag: String = format!("{candidate:05}{turn:02}")
        .bytes()
        .map(|d| char::from(b'a' + (d - b'0')))
        .collect();
    format!(
        "I would put a cache keyed by user id in front of the database so reads stay fast and \
         shard the data by user id with consistent hashing so adding nodes moves few keys marker {tag}."
    )
}

const RESUME: &str = "Ada Lovelace\nada@example.com\nSenior Software Engineer\n\nExperience\nSoftware Engineer, \
Analytical Engines Ltd, 2019 - 2024\nBuilt distributed systems in Rust and Python on AWS with Kubernetes.\n\n\
Education\nBSc Computer Science, University of London, 2018\n\nSkills\nRust, Python, AWS, Kubernetes, SQL\n";

fn multipart(file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "prepai-load-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
         Content-Type: text/plain\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

const CODE: &str = "function add(a, b) { return a + b; }";

/// One candidate's whole interview. Never panics: every failure is tallied and the interview stops there.
async fn interview(
    server: Arc<LocalServer>,
    plan: LoadPlan,
    tally: Arc<Tally>,
    n: usize,
) -> Interview {
    let mut rng = fastrand::Rng::with_seed(plan.seed ^ (n as u64).wrapping_mul(0x9e37_79b9));
    let token = server.token(&format!("candidate-{n}"), &[]);
    let mut done = Interview {
        token: token.clone(),
        ..Interview::default()
    };
    let think = |rng: &mut fastrand::Rng| {
        let range = plan.think_ms.clone();
        let ms = if range.is_empty() {
            range.start
        } else {
            rng.u64(range)
        };
        tokio::time::sleep(Duration::from_millis(ms))
    };

    let Some(created) = timed_rest(
        &tally,
        "create session (REST)",
        || {
            server
                .http
                .post(server.url("/api/sessions/create"))
                .bearer_auth(&token)
                .json(&json!({"interview_type": "Google SDE", "candidate_name": format!("Candidate {n}")}))
        },
        plan.resends,
    )
    .await
    else {
        return done;
    };
    let Some(id) = created["session_id"].as_str().map(str::to_owned) else {
        tally
            .error("create session (REST)", "no session_id".into(), None)
            .await;
        return done;
    };
    done.session_id = Some(id.clone());
    let open = Open::new(&tally);

    let mut attempt = 0;
    let (mut socket, started) = loop {
        let started = Instant::now();
        let outcome = tokio::time::timeout(
            plan.reply_timeout,
            tokio_tungstenite::connect_async(socket_url(&server, &id, &token)),
        )
        .await;
        let status = match outcome {
            Ok(Ok((socket, _))) => break (socket, started),
            Ok(Err(tokio_tungstenite::tungstenite::Error::Http(r))) => Some(r.status().as_u16()),
            _ => None,
        };
        let code = status.map_or_else(|| "transport".to_owned(), |s| format!("handshake {s}"));
        tally.error("connect (socket)", code, status).await;
        attempt += 1;
        if status != Some(503) || attempt > plan.resends {
            return done;
        }
        tokio::time::sleep(Duration::from_millis(100 * attempt as u64)).await;
    };
    tally.ok("connect (socket)", started.elapsed()).await;

    // One message with its reply; retryable refusals are sent again, unless the server had already accepted it.
    let mut results = Vec::new();
    macro_rules! exchange {
        ($op:expr, $message:expr, $until:expr) => {{
            let mut outcome = None;
            for attempt in 0..=plan.resends {
                let started = Instant::now();
                if let Err(e) = socket
                    .send(Message::Text($message.to_string().into()))
                    .await
                {
                    tally.error($op, "transport".into(), None).await;
                    eprintln!("{}: {e}", $op);
                    break;
                }
                let mut accepted = false;
                match await_reply(
                    &mut socket,
                    $until,
                    plan.reply_timeout,
                    &mut accepted,
                    &mut results,
                )
                .await
                {
                    Reply::Done(message) => {
                        tally.ok($op, started.elapsed()).await;
                        outcome = Some((message, true));
                        break;
                    }
                    Reply::Refused { code, accepted } => {
                        tally.error($op, code.clone(), None).await;
                        if accepted {
                            outcome = Some((Value::Null, true));
                            break;
                        }
                        if !(retryable(&code) && attempt < plan.resends) {
                            outcome = Some((Value::Null, false));
                            break;
                        }
                        tokio::time::sleep(Duration::from_millis(50 * (attempt as u64 + 1))).await;
                    }
                    Reply::Transport(e) => {
                        tally.error($op, "transport".into(), None).await;
                        eprintln!("{}: {e}", $op);
                        break;
                    }
                }
            }
            outcome
        }};
    }

    think(&mut rng).await;
    if exchange!(
        "start (socket)",
        json!({"type": "start", "id": format!("load-start-{n}")}),
        &["assistant_complete"]
    )
    .is_none()
    {
        return done;
    }
    for turn in 0..plan.turns {
        think(&mut rng).await;
        let text = answer_text(n, turn);
        // One id for every copy of this answer, as the app sends: a copy resent after a refusal whose write had
        // landed is recognised by the server, not recorded twice. Every copy after the first follows a refusal,
        // and says so (`retry`), as the app does.
        let message_id = format!("load-{n}-{turn}");
        let mut accepted_now = false;
        for attempt in 0..=plan.resends {
            let started = Instant::now();
            if socket
                .send(Message::Text(
                    json!({"type": "text", "text": text, "id": message_id, "retry": attempt > 0})
                        .to_string()
                        .into(),
                ))
                .await
                .is_err()
            {
                tally
                    .error("text turn (socket)", "transport".into(), None)
                    .await;
                return done;
            }
            let mut accepted = false;
            match await_reply(
                &mut socket,
                &["assistant_complete"],
                plan.reply_timeout,
                &mut accepted,
                &mut results,
            )
            .await
            {
                Reply::Done(_) => {
                    tally.ok("text turn (socket)", started.elapsed()).await;
                    accepted_now = true;
                    break;
                }
                Reply::Refused { code, accepted } => {
                    tally.error("text turn (socket)", code.clone(), None).await;
                    if accepted {
                        accepted_now = true;
                        break;
                    }
                    done.refused_answers += 1;
                    if !(retryable(&code) && attempt < plan.resends) {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(50 * (attempt as u64 + 1))).await;
                }
                Reply::Transport(e) => {
                    tally
                        .error("text turn (socket)", "transport".into(), None)
                        .await;
                    eprintln!("text turn: {e}");
                    if accepted {
                        done.accepted_answers.push(text);
                    }
                    return done;
                }
            }
        }
        if accepted_now {
            done.accepted_answers.push(text);
        }
    }

    think(&mut rng).await;
    let code = json!({
        "type": "code", "code": CODE, "language": "javascript", "functionName": "add",
        "testCases": [{"input": "[1, 2]", "expected": "3"}, {"input": "[-4, 4]", "expected": "0"}],
    });
    let ran = exchange!("code run (socket)", code, &["code_result"]);
    if let Some((result, _)) = &ran
        && let Some(submission) = result["submissionId"].as_str()
    {
        done.accepted_runs.push(submission.to_owned());
        // The interviewer comments on the run.
        let mut accepted = false;
        match await_reply(
            &mut socket,
            &["assistant_complete"],
            plan.reply_timeout,
            &mut accepted,
            &mut results,
        )
        .await
        {
            Reply::Done(_) => {}
            Reply::Refused { code, .. } => tally.error("code run (socket)", code, None).await,
            Reply::Transport(_) => {
                tally
                    .error("code run (socket)", "transport".into(), None)
                    .await;
                return done;
            }
        }
    }

    think(&mut rng).await;
    let (content_type, body) = multipart("resume.txt", RESUME.as_bytes());
    timed_rest(
        &tally,
        "resume upload (REST)",
        || {
            server
                .http
                .post(server.url(&format!("/api/interviews/{id}/upload-cv")))
                .bearer_auth(&token)
                .header("content-type", content_type.clone())
                .body(body.clone())
        },
        plan.resends,
    )
    .await;

    think(&mut rng).await;
    match exchange!("end (socket)", json!({"type": "end"}), &["report"]) {
        Some((report, true)) if !report.is_null() => done.report = Some(report),
        _ => return done,
    }
    drop(open);
    let _ = socket.close(None).await;

    if let Some(stored) = timed_rest(
        &tally,
        "get report (REST)",
        || {
            server
                .http
                .get(server.url(&format!("/api/interviews/{id}/performance-report")))
                .bearer_auth(&token)
        },
        plan.resends,
    )
    .await
    {
        done.stored_report = Some(stored);
        done.completed = true;
    }
    done
}

/// Reads analytics as users do while interviews run, until told to stop.
async fn analytics_reader(
    server: Arc<LocalServer>,
    tally: Arc<Tally>,
    reader: usize,
    stop: Arc<AtomicBool>,
) {
    let own = server.token(&format!("candidate-{reader}"), &[]);
    let admin = server.token("analyst", &["admin"]);
    let paths = [
        ("analytics aggregate (REST)", "/api/analytics/aggregate"),
        (
            "analytics benchmarks (REST)",
            "/api/analytics/benchmarks/Google%20SDE",
        ),
        ("analytics trends (REST)", "/api/analytics/trends?days=30"),
    ];
    let mut i = reader;
    while !stop.load(Ordering::SeqCst) {
        let (op, path) = paths[i % paths.len()];
        let token = if i.is_multiple_of(2) { &admin } else { &own };
        timed_rest(
            &tally,
            op,
            || server.http.get(server.url(path)).bearer_auth(token),
            0,
        )
        .await;
        i += 1;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The number of words the evaluator counts in an answer made by [`answer_text`]: plain words, spaces between.
fn words(text: &str) -> usize {
    text.split_whitespace().count()
}

/// Checks every interview against what the server stored, over REST.
async fn verify(server: &LocalServer, interviews: &[Interview], report: &mut LoadReport) {
    for interview in interviews {
        let Some(id) = &interview.session_id else {
            continue;
        };
        let token = &interview.token;
        let transcript = match rest(
            server
                .http
                .get(server.url(&format!("/api/interviews/{id}/transcript")))
                .bearer_auth(token),
        )
        .await
        {
            Ok((200, body)) => body,
            other => {
                report
                    .report_mismatches
                    .push(format!("{id}: transcript unreadable: {other:?}"));
                report.lost_answers += interview.accepted_answers.len();
                continue;
            }
        };
        let user_lines: Vec<String> = transcript["transcript"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter(|e| e["role"] == "user")
            .filter_map(|e| e["text"].as_str().map(str::to_owned))
            .collect();
        for answer in &interview.accepted_answers {
            match user_lines.iter().filter(|l| *l == answer).count() {
                0 => report.lost_answers += 1,
                1 => {}
                _ => report.duplicated_answers += 1,
            }
        }
        // An answer the server refused and never acknowledged must not be there either (a refusal writes nothing).
        let accepted: std::collections::HashSet<&String> =
            interview.accepted_answers.iter().collect();
        let unexpected = user_lines.iter().filter(|l| !accepted.contains(l)).count();
        if unexpected > 0 {
            report.report_mismatches.push(format!(
                "{id}: {unexpected} candidate line(s) the candidate was told were not saved"
            ));
        }

        let session = match rest(
            server
                .http
                .get(server.url(&format!("/api/sessions/{id}")))
                .bearer_auth(token),
        )
        .await
        {
            Ok((200, body)) => body,
            other => {
                report
                    .report_mismatches
                    .push(format!("{id}: session unreadable: {other:?}"));
                continue;
            }
        };
        let listed: Vec<&str> = session["code_submissions"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(|s| s["submission_id"].as_str().or(s["submissionId"].as_str()))
            .collect();
        for run in &interview.accepted_runs {
            match listed.iter().filter(|l| *l == run).count() {
                0 => report.lost_runs += 1,
                1 => {}
                _ => report.duplicated_runs += 1,
            }
            match rest(
                server
                    .http
                    .get(server.url(&format!("/api/code/{id}/submissions/{run}")))
                    .bearer_auth(token),
            )
            .await
            {
                Ok((200, _)) => {}
                _ => report.lost_runs += 1,
            }
        }

        let Some(sent) = &interview.report else {
            continue;
        };
        if sent["session_id"].as_str() != Some(id.as_str()) {
            report
                .report_mismatches
                .push(format!("{id}: report names session {}", sent["session_id"]));
        }
        let metrics = &sent["report"]["metrics"];
        let lines = user_lines.len() as u64;
        let words_said: usize = user_lines.iter().map(|l| words(l)).sum();
        let exact = [
            (
                "candidateMessages",
                metrics["candidateMessages"].as_u64(),
                lines,
            ),
            (
                "codeSubmissions",
                metrics["codeSubmissions"].as_u64(),
                interview.accepted_runs.len() as u64,
            ),
        ];
        for (name, got, want) in exact {
            if got != Some(want) {
                report.report_mismatches.push(format!(
                    "{id}: report {name} {got:?}, the session has {want}"
                ));
            }
        }
        // The evaluator counts answers to questions (consecutive messages are one answer, a reply to small talk
        // none), so these are bounded by what the transcript holds rather than equal to it.
        let bounded = [
            ("answersGiven", metrics["answersGiven"].as_u64(), lines),
            (
                "candidateWords",
                metrics["candidateWords"].as_u64(),
                words_said as u64,
            ),
        ];
        for (name, got, most) in bounded {
            if !got.is_some_and(|n| n <= most && (n > 0) == (most > 0)) {
                report.report_mismatches.push(format!(
                    "{id}: report {name} {got:?}, the transcript has {most}"
                ));
            }
        }
        if let Some(stored) = &interview.stored_report
            && stored["report"]["metrics"] != *metrics
        {
            report.report_mismatches.push(format!(
                "{id}: the stored report differs from the one sent at the end"
            ));
        }
    }
}

/// Runs `plan` against `server` and checks what was stored.
pub async fn run(server: Arc<LocalServer>, plan: LoadPlan) -> LoadReport {
    run_then_verify(server, plan, || {}).await
}

/// [`run`], calling `before_verify` between the interviews and the checks (a fault test turns its faults off
/// there, so the checks read what was stored rather than more injected failures).
pub async fn run_then_verify(
    server: Arc<LocalServer>,
    plan: LoadPlan,
    before_verify: impl FnOnce(),
) -> LoadReport {
    let tally = Arc::new(Tally::default());
    let stop = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..plan.analytics_readers)
        .map(|r| {
            tokio::spawn(analytics_reader(
                Arc::clone(&server),
                Arc::clone(&tally),
                r,
                Arc::clone(&stop),
            ))
        })
        .collect();
    let started = Instant::now();
    let step = plan.ramp / plan.candidates.max(1) as u32;
    let tasks: Vec<_> = (0..plan.candidates)
        .map(|n| {
            let (server, plan, tally) = (Arc::clone(&server), plan.clone(), Arc::clone(&tally));
            tokio::spawn(async move {
                tokio::time::sleep(step * n as u32).await;
                interview(server, plan, tally, n).await
            })
        })
        .collect();
    let mut interviews = Vec::new();
    for task in tasks {
        match task.await {
            Ok(done) => interviews.push(done),
            Err(e) => eprintln!("a candidate task failed: {e}"),
        }
    }
    let elapsed = started.elapsed();
    stop.store(true, Ordering::SeqCst);
    for reader in readers {
        let _ = reader.await;
    }
    let mut report = LoadReport {
        plan: Some(plan),
        elapsed,
        ops: std::mem::take(&mut *tally.ops.lock().await),
        interviews_completed: interviews.iter().filter(|i| i.completed).count(),
        peak_open: tally.peak_open.load(Ordering::SeqCst),
        answers_accepted: interviews.iter().map(|i| i.accepted_answers.len()).sum(),
        answers_refused: interviews.iter().map(|i| i.refused_answers).sum(),
        runs_accepted: interviews.iter().map(|i| i.accepted_runs.len()).sum(),
        ..LoadReport::default()
    };
    before_verify();
    verify(&server, &interviews, &mut report).await;
    report
}
