//! Bad and extreme input to the performance evaluator: clear refusals for what cannot be evaluated, bounded work for
//! what is merely large.

use std::time::{Duration, Instant};

use prepai::knowledge::QuestionBank;
use prepai::tools::performance_evaluator::{
    EvaluationInput, MAX_EVIDENCE_PER_METRIC, MAX_MESSAGES, evaluate, language, run,
};
use serde_json::{Value, json};

fn qa(i: usize) -> [Value; 2] {
    [
        json!({"role": "assistant", "content": format!("Question {i}: how would you cache the results of service number {i}?")}),
        json!({"role": "user", "content": format!(
            "For service {i} I would put an LRU cache in front of the database, because most reads hit a small set of keys. \
             Entries expire after 60 seconds, which bounds staleness; the trade-off is memory against latency."
        )}),
    ]
}

#[tokio::test]
async fn unknown_interview_types_and_bad_durations_are_refused_with_the_reason() {
    let err =
        run(json!({"interviewType": "Netflix SDE", "duration": 60, "conversationHistory": []}))
            .await
            .unwrap_err();
    assert_eq!(err.code, "invalid_input");
    for valid in [
        "Google SDE",
        "Amazon SDE",
        "Microsoft SDE",
        "AWS SA",
        "Azure SA",
        "GCP SA",
        "Behavioral",
        "Coding",
    ] {
        assert!(err.message.contains(valid), "{}", err.message);
    }
    assert!(err.message.contains("Netflix SDE"));
    for duration in [
        json!(-1),
        json!(-0.5),
        json!("NaN"),
        json!("-inf"),
        json!("inf"),
    ] {
        let err = run(
            json!({"interviewType": "Coding", "duration": duration, "conversationHistory": []}),
        )
        .await
        .unwrap_err();
        assert!(
            err.message
                .contains("duration must be a non-negative number"),
            "{duration}: {}",
            err.message
        );
    }
}

#[tokio::test]
async fn more_messages_than_the_limit_are_refused() {
    let history: Vec<Value> = (0..=MAX_MESSAGES)
        .map(|_| json!({"role": "user", "content": "hi"}))
        .collect();
    let err =
        run(json!({"interviewType": "Coding", "duration": 1, "conversationHistory": history}))
            .await
            .unwrap_err();
    assert!(
        err.message.contains(&format!("at most {MAX_MESSAGES}")),
        "{}",
        err.message
    );
}

#[test]
fn ten_thousand_messages_are_evaluated_in_bounded_work() {
    let history: Vec<Value> = (0..5_000).flat_map(qa).collect();
    assert_eq!(history.len(), 10_000);
    let input = EvaluationInput::from_json(&json!({
        "interviewType": "Google SDE",
        "duration": 36_000,
        "conversationHistory": history
    }))
    .unwrap();
    let started = Instant::now();
    let report = evaluate(&input, &QuestionBank::default());
    let elapsed = started.elapsed();
    // Work done: every exchange was seen once, and the report stays small whatever the transcript's size.
    assert_eq!(report.metrics.questions_asked, 5_000);
    assert_eq!(report.metrics.answers_given, 5_000);
    let per_answer: usize = (0..5_000)
        .map(|i| language::words(qa(i)[1]["content"].as_str().unwrap()).count())
        .sum();
    assert_eq!(report.metrics.candidate_words, per_answer);
    let tech = &report.evidence.technical_knowledge;
    assert_eq!(tech.evidence_count, 5_000);
    assert_eq!(tech.evidence.len(), MAX_EVIDENCE_PER_METRIC);
    assert!(report.strengths.len() <= 5 && report.improvements.len() <= 6);
    assert!(serde_json::to_vec(&report).unwrap().len() < 64 * 1024);
    // The same answer with a different number pasted 5,000 times: the copies count once.
    assert!(report.overall_score.is_finite());
    assert!(report.integrity.iter().any(|f| matches!(
        f,
        prepai::tools::performance_evaluator::integrity::IntegrityFlag::ReusedAnswer { .. }
    )));
    // A generous bound for an unoptimised build on a busy machine; a release build takes well under a second.
    assert!(elapsed < Duration::from_secs(60), "{elapsed:?}");
}

#[test]
fn a_huge_answer_is_analysed_only_up_to_the_word_cap() {
    let sentence = "The cache keeps recent results in memory because reads repeat. ";
    let answer = sentence.repeat(20_000);
    let analysed = language::AnswerText::analyse(&answer);
    assert_eq!(analysed.total_words, 20_000 * 10);
    assert_eq!(analysed.words.len(), language::MAX_ANALYSED_WORDS);
    let input = EvaluationInput::from_json(&json!({
        "interviewType": "Coding",
        "duration": 60,
        "conversationHistory": [
            {"role": "assistant", "content": "Why would you add a cache?"},
            {"role": "user", "content": answer}
        ]
    }))
    .unwrap();
    let report = evaluate(&input, &QuestionBank::default());
    assert_eq!(report.metrics.candidate_words, 200_000);
    // Saying one sentence twenty thousand times is not a good answer.
    assert!(
        report.scores.communication.unwrap() < 3.0,
        "{:?}",
        report.scores
    );
}

#[test]
fn the_seed_field_names_and_aliases_are_accepted() {
    let input = EvaluationInput::from_json(&json!({
        "sessionId": "session-123",
        "interviewType": "Behavioral",
        "duration": 0,
        "conversationHistory": [
            {"role": "assistant", "content": "Tell me about yourself."},
            {"role": "user", "text": "I am a backend engineer.", "timestamp": "2026-01-01T10:00:00", "wpm": "150", "fillerCount": 3}
        ],
        "codeSubmissions": null,
        "candidateName": "  Ada   Lovelace "
    }))
    .unwrap();
    assert_eq!(input.candidate_name.unwrap().as_str(), "Ada Lovelace");
    assert_eq!(input.conversation[1].text, "I am a backend engineer.");
    assert_eq!(input.conversation[1].delivery.wpm, Some(150.0));
    assert_eq!(input.conversation[1].delivery.filler_count, Some(3));
    assert!(input.conversation[1].timestamp.is_some());
    assert!(input.code_submissions.is_empty());
}
