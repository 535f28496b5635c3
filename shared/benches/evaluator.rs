//! Evaluator time: a 60-minute interview (40 questions, about 5,000 candidate words, 6 code runs), and the
//! 10,000-message transcript the tests bound.
//!
//! `cargo bench -p prepai-shared --bench evaluator`

use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};
use prepai::knowledge::QuestionBank;
use prepai::tools::performance_evaluator::{EvaluationInput, evaluate, run};
use serde_json::{Value, json};

const ANSWERS: [&str; 4] = [
    "A hash map runs each key through a hash function and uses the result as an array index, so the key lands in a \
     bucket. When two keys land in the same bucket we have a collision, and the common fix is chaining: each bucket \
     keeps a linked list of entries. Lookup is O(1) in the average case because the load factor stays below 0.75, \
     but the worst case is O(n), which is why the table doubles and rehashes when it fills up. The trade-off of open \
     addressing is better cache locality against worse behaviour when the table is nearly full.",
    "I would put the service behind a load balancer in two availability zones and keep it stateless, so that any \
     instance can serve any request. Sessions go to Redis, because a restart must not log users out, and the \
     database runs with a synchronous standby. For 10,000 requests per second I would estimate about 20 instances, \
     and the first bottleneck would be the database connections, so I would add a connection pool and read \
     replicas. An edge case is a retry storm after an outage, which I would limit with exponential backoff.",
    "At my previous company I was responsible for the billing migration, and three weeks before the deadline I \
     realised the validation would take twice as long as planned. I proposed that we move the ten most important \
     jobs first, I automated the comparison of old and new outputs, and I asked a colleague to pair with me on the \
     hardest cases. As a result the critical jobs moved on time and the rest followed four days later with no \
     errors. I learned to estimate validation separately from the migration itself.",
    "Um, so I think, you know, it depends. Maybe I would use a queue or something, I guess, because it is kind of \
     scalable. I'm not sure about the details but I would look it up and then, like, build it step by step.",
];

fn sixty_minute_interview() -> Value {
    let start: DateTime<Utc> = "2026-03-02T10:00:00Z".parse().unwrap();
    let mut history = Vec::new();
    for i in 0..40 {
        let asked = start + TimeDelta::seconds(i * 90);
        history.push(json!({
            "role": "assistant",
            "content": format!("Question {i}: how would you design the storage layer for feature {i}, and why?"),
            "timestamp": asked.to_rfc3339()
        }));
        history.push(json!({
            "role": "user",
            "content": ANSWERS[i as usize % ANSWERS.len()],
            "timestamp": (asked + TimeDelta::seconds(12)).to_rfc3339(),
            "wpm": 120 + i % 40,
            "filler_count": i % 4
        }));
    }
    let submissions: Vec<Value> = (0..6)
        .map(|i| {
            json!({
                "submissionId": format!("sub-{i}"),
                "language": "python",
                "functionName": format!("problem_{}", i / 2),
                "code": "def f(xs):\n    return sorted(xs)\n",
                "testResults": (0..5).map(|t| json!({"passed": t < 3 + i % 3})).collect::<Vec<_>>(),
                "qualityMetrics": {"linesOfCode": 2, "cyclomaticComplexity": 1, "commentRatio": 0.0, "qualityScore": 7.0}
            })
        })
        .collect();
    json!({
        "sessionId": "bench", "interviewType": "Google SDE", "duration": 3600,
        "conversationHistory": history, "codeSubmissions": submissions
    })
}

/// The same hour answered by voice with pauses: each answer arrives as four utterances, cut mid-sentence, so every
/// answer goes through the sentence joining of consecutive messages.
fn sixty_minutes_in_pauses() -> Value {
    let mut hour = sixty_minute_interview();
    if let Some(history) = hour["conversationHistory"].as_array_mut() {
        let cut: Vec<Value> = history
            .drain(..)
            .flat_map(|m| {
                let text = m["content"].as_str().unwrap_or_default().to_owned();
                if m["role"] != "user" {
                    return vec![m];
                }
                let words: Vec<&str> = text.split_whitespace().collect();
                words
                    .chunks(words.len().div_ceil(4).max(1))
                    .map(|piece| {
                        let mut part = m.clone();
                        part["content"] = Value::String(piece.join(" "));
                        part
                    })
                    .collect()
            })
            .collect();
        *history = cut;
    }
    hour
}

fn ten_thousand_messages() -> Value {
    let history: Vec<Value> = (0..5_000)
        .flat_map(|i| {
            [
                json!({"role": "assistant", "content": format!("Question {i}: how would you cache service {i}?")}),
                json!({"role": "user", "content": ANSWERS[i % ANSWERS.len()]}),
            ]
        })
        .collect();
    json!({"interviewType": "Google SDE", "duration": 36000, "conversationHistory": history})
}

/// One answer of 400 KB that is a single sentence of hedged asides, each a clause of its own: reading clauses must
/// stay linear in the answer (each clause once held a copy of the whole sentence, and each admission re-read the
/// rest of its clause: 22 s here).
fn one_long_hedged_answer() -> Value {
    json!({"interviewType": "Google SDE", "duration": 30, "conversationHistory": [
        {"role": "assistant", "content": "Explain how a hash table works internally."},
        {"role": "user", "content": "(i'm not sure but chaining, probing) ".repeat(11_000)},
    ]})
}

struct Summary {
    p50: Duration,
    p95: Duration,
    mean: Duration,
}

fn summarise(mut samples: Vec<Duration>) -> Summary {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    let total: Duration = samples.iter().sum();
    Summary {
        p50: at(0.5),
        p95: at(0.95),
        mean: total / samples.len() as u32,
    }
}

fn row(what: &str, rounds: usize, s: &Summary) {
    println!(
        "| {what:<46} | {rounds:>6} | {:>9.3} | {:>9.3} | {:>9.3} |",
        s.p50.as_secs_f64() * 1e3,
        s.p95.as_secs_f64() * 1e3,
        s.mean.as_secs_f64() * 1e3
    );
}

fn time(rounds: usize, mut f: impl FnMut()) -> Summary {
    f();
    summarise(
        (0..rounds)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let bank = QuestionBank::embedded();
    let hour = sixty_minute_interview();
    let parsed = EvaluationInput::from_json(&hour).unwrap();
    let report = evaluate(&parsed, bank);
    println!(
        "60-minute interview: {} messages, {} candidate words, {} code runs; overall {} ({:?}); bank of {} questions\n",
        parsed.conversation.len(),
        report.metrics.candidate_words,
        parsed.code_submissions.len(),
        report.overall_score,
        report.recommendation,
        bank.questions.len()
    );
    println!(
        "| workload                                       | rounds |  p50 (ms) |  p95 (ms) | mean (ms) |"
    );
    println!(
        "|------------------------------------------------|--------|-----------|-----------|-----------|"
    );
    row(
        "60-min: parse input",
        200,
        &time(200, || {
            EvaluationInput::from_json(&hour).unwrap();
        }),
    );
    row(
        "60-min: evaluate",
        200,
        &time(200, || {
            evaluate(&parsed, bank);
        }),
    );
    let paused = EvaluationInput::from_json(&sixty_minutes_in_pauses()).unwrap();
    row(
        "60-min, each answer in 4 utterances: evaluate",
        200,
        &time(200, || {
            evaluate(&paused, bank);
        }),
    );
    let mut samples = Vec::new();
    for _ in 0..100 {
        let t = Instant::now();
        run(hour.clone()).await.unwrap();
        samples.push(t.elapsed());
    }
    row(
        "60-min: run (parse + evaluate + JSON)",
        100,
        &summarise(samples),
    );
    let big = ten_thousand_messages();
    let big_parsed = EvaluationInput::from_json(&big).unwrap();
    row(
        "10,000 messages: evaluate",
        10,
        &time(10, || {
            evaluate(&big_parsed, bank);
        }),
    );
    let hedged = EvaluationInput::from_json(&one_long_hedged_answer()).unwrap();
    row(
        "one 400 KB answer of 11,000 clauses: evaluate",
        5,
        &time(5, || {
            evaluate(&hedged, bank);
        }),
    );
}
