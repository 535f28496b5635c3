//! A pause does not cost a point. A spoken answer reaches the evaluator as one message per utterance, and hands-free
//! turn taking ends an utterance at every silence, mid-sentence included; a chat candidate sends one thought in
//! several messages. The same words must earn the same credit however they were cut.
//!
//! Every correct answer written blind for a bank question (`red-flag-recall/blind-correct-answers.json`, the plain
//! ones) is scored once as one message and again cut at pseudo-random word positions into pieces of 3 to 14 words,
//! in two forms: as typed (the pieces as they are) and as a transcriber writes each utterance (capitalised, ended by
//! a full stop); and a third time one sentence per message, lowercase and unpunctuated, as some chat candidates
//! type. The cuts fall where they fall, mid-phrase included: nothing here knows the rubric. The test prints
//! the key points kept and the mean score change, and fails when a form loses more than [`MAX_POINTS_LOST`] of the
//! points, or costs more than [`MAX_MEAN_DROP`] on average.
//!
//! `cargo test --test paused_answers -- --nocapture`

use std::collections::BTreeMap;
use std::path::Path;

use prepai::domain::InterviewType;
use prepai::knowledge::QuestionBank;
use prepai::tools::performance_evaluator::{EvaluationInput, evaluate};
use serde_json::{Value, json};

/// The most of the whole answers' key points a cut form may lose.
const MAX_POINTS_LOST: f64 = 0.05;

/// The most a cut form may cost an answer on average, on the 0–10 scale.
const MAX_MEAN_DROP: f64 = 0.25;

#[derive(serde::Deserialize)]
struct Correct {
    plain: String,
}

/// How the pieces of an answer are written.
#[derive(Clone, Copy, Debug)]
enum Form {
    /// As typed: each piece exactly as it was in the answer.
    Typed,
    /// As a transcriber writes an utterance: a capital first letter and a full stop at the end.
    Transcribed,
    /// As a chat candidate who does not punctuate types: one sentence per message, lowercase, no full stop (the
    /// cut falls at each sentence's end instead of at random).
    Lines,
}

/// The answer cut into pieces of 3 to 14 words, at positions drawn from `seed` (or at sentence ends, for
/// [`Form::Lines`]).
fn cut(answer: &str, seed: u64, form: Form) -> Vec<String> {
    if let Form::Lines = form {
        return answer
            .split_inclusive(". ")
            .map(|s| s.trim().trim_end_matches('.').to_lowercase())
            .filter(|s| !s.is_empty())
            .collect();
    }
    let mut rng = fastrand::Rng::with_seed(seed);
    let words: Vec<&str> = answer.split_whitespace().collect();
    let mut pieces = Vec::new();
    let mut at = 0;
    while at < words.len() {
        let len = rng.usize(3..=14).min(words.len() - at);
        let piece = words[at..at + len].join(" ");
        at += len;
        pieces.push(match form {
            Form::Typed | Form::Lines => piece,
            Form::Transcribed => {
                let piece = piece.trim_end_matches([',', ';', ':']);
                let mut out: String = piece
                    .chars()
                    .take(1)
                    .flat_map(char::to_uppercase)
                    .chain(piece.chars().skip(1))
                    .collect();
                if !out.ends_with(['.', '?', '!']) {
                    out.push('.');
                }
                out
            }
        });
    }
    pieces
}

/// One question answered by `pieces`, one message each: the answer's score and how many key points it earned.
fn scored(kind: InterviewType, question: &str, pieces: &[String]) -> (f64, usize) {
    let mut history = vec![json!({"role": "assistant", "content": question})];
    history.extend(pieces.iter().map(|p| json!({"role": "user", "content": p})));
    let input = EvaluationInput::from_json(&json!({
        "interviewType": kind.as_str(),
        "duration": 30,
        "conversationHistory": Value::Array(history),
    }))
    .expect("a valid interview");
    let report = evaluate(&input, QuestionBank::embedded());
    let answer = report.answers.first().expect("the answer is reviewed");
    (answer.score, answer.key_points_credited.len())
}

#[test]
fn an_answer_cut_by_pauses_keeps_its_credit() {
    let bank = QuestionBank::embedded();
    let answers: BTreeMap<String, Correct> = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures/red-flag-recall/blind-correct-answers.json"),
        )
        .expect("the blind correct answers"),
    )
    .expect("the blind correct answers parse");
    let show = std::env::var_os("PREPAI_SHOW_CUTS").is_some();
    let mut failures = Vec::new();
    for form in [Form::Typed, Form::Transcribed, Form::Lines] {
        let (mut whole_points, mut cut_points) = (0usize, 0usize);
        let (mut drop, mut n, mut worse) = (0.0, 0usize, 0usize);
        for (seed, question) in bank
            .questions
            .iter()
            .filter(|q| answers.contains_key(&q.id))
            .enumerate()
        {
            let answer = &answers[&question.id].plain;
            let (whole_score, whole) = scored(
                question.interview_type,
                &question.text,
                std::slice::from_ref(answer),
            );
            let pieces = cut(answer, seed as u64, form);
            let (cut_score, kept) = scored(question.interview_type, &question.text, &pieces);
            whole_points += whole;
            cut_points += kept;
            drop += whole_score - cut_score;
            n += 1;
            if cut_score < whole_score - 0.5 {
                worse += 1;
                if show {
                    println!(
                        "  {form:?} {}: {whole_score:.1} -> {cut_score:.1}, points {whole} -> {kept}\n    {pieces:?}",
                        question.id
                    );
                }
            }
        }
        let lost = 1.0 - cut_points as f64 / whole_points.max(1) as f64;
        let mean_drop = drop / n.max(1) as f64;
        println!(
            "{form:?}: {n} answers; key points {cut_points} of {whole_points} kept ({:.1} % lost); mean score change \
             {:+.2}; {worse} answers lose more than 0.5",
            lost * 100.0,
            -mean_drop
        );
        if lost > MAX_POINTS_LOST || mean_drop > MAX_MEAN_DROP {
            failures.push(format!(
                "{form:?}: {:.1} % of key points lost, mean drop {mean_drop:.2}",
                lost * 100.0
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
