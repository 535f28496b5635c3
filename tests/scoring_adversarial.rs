//! The scorer against interviews written blind (`tests/fixtures/adversarial/`, see its README): 62 whole
//! interviews across all eight types, graded 0–10 by someone who never saw the scorer, covering every attack on the
//! score (a canned paragraph reused, "We use <buzzwords>", keyword stuffing, confident wrong answers, parroting,
//! prompt injection, off-topic answers, code tested only with the candidate's own tests, code hard-coding the
//! visible examples, skipping, clarifying questions only) beside honest interviews across the whole scale.
//!
//! Code turns really run in the sandbox: graded runs against the problem's worked examples and hidden tests,
//! scratch runs against the candidate's own tests. The test prints the Spearman rank correlation between scores
//! and grades and every violation, and fails below the targets: Spearman ≥ 0.9, every attack below 3 (prompt
//! injection and code-only-with-own-tests at most 1.5), every strong honest interview (graded 7.5 or more) at 7 or
//! more.
//!
//! A ratchet, not a wish list: the interviews the scorer still gets wrong without a judge are listed in
//! [`KNOWN_GAPS`], each with the reason. The test fails on any other violation, and also when a listed gap is
//! closed (so the list only shrinks). The list must never grow to let a change through.
//!
//! `cargo test --workspace --test scoring_adversarial -- --nocapture` shows the table.

use std::path::PathBuf;

use chrono::{Duration, TimeZone, Utc};
use prepai::domain::{InterviewType, RunMode, SubmissionId};
use prepai::knowledge::QuestionBank;
use prepai::tools::code_executor::{CodeSubmission, ExecutionRequest, Language, TestCase};
use prepai::tools::performance_evaluator::{
    self, Delivery, EvaluationInput, Message, PerformanceReport, Speaker,
};
use prepai_sandbox::Sandbox;
use serde::Deserialize;
use serde_json::Value;

/// Interviews the deterministic rubric still scores past the targets, and why. Each needs what only reading the
/// answer for meaning gives: the judge (PREPAI_JUDGE_MODEL / PREPAI_JUDGE_URL) is the designed answer, held by the
/// rubric's caps, and is not run here (no model in CI).
const KNOWN_GAPS: &[(&str, &str)] = &[
    (
        "google-sde-confident-wrong-bsearch",
        "one of its misconceptions matches a red flag's words; the others (consistent hashing moves no data, a \
         greedy position count is the edit distance, binary search works on any array) are said in words no flag \
         anticipates, and fluent delivery keeps communication high",
    ),
    (
        "amazon-sde-we-use-buzzwords",
        "technology names in grammatical sentences earn part of the coverage of system-design key points, fluent \
         sentences keep communication high, and bracket counting passes 14 of the problem's 18 tests",
    ),
    (
        "google-sde-keyword-stuffing-scheduler",
        "key-point keywords inside sentences that say little else still earn part of the coverage",
    ),
    (
        "aws-sa-concise-strong",
        "terse, correct answers show trade-offs and failure handling in words the problem-solving phrases do not \
         read (\"cheapest to fastest\", \"accepting a little replica lag\") and credit one key point per clause \
         where a clause lists several services each with its use",
    ),
];

/// A fixture's id and what it violated.
type Violation = (String, String);

#[derive(Deserialize)]
struct Fixture {
    id: String,
    interview_type: String,
    grade: f64,
    attacks: Vec<String>,
    turns: Vec<Turn>,
}

#[derive(Deserialize)]
#[serde(tag = "role", rename_all = "snake_case")]
enum Turn {
    Interviewer {
        text: String,
    },
    Candidate {
        text: String,
    },
    Problem {
        problem_id: String,
    },
    Code {
        problem_id: String,
        language: String,
        code: String,
        #[serde(default)]
        scratch_tests: Option<Value>,
    },
}

fn fixtures() -> Vec<Fixture> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/adversarial");
    let mut out: Vec<Fixture> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            serde_json::from_str(&std::fs::read_to_string(&p).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// Runs one code turn as the product would: graded against the bank problem's tests, or a scratch run.
async fn run_code(
    sandbox: &Sandbox,
    problem_id: &str,
    language: &str,
    code: &str,
    scratch: Option<&Value>,
) -> CodeSubmission {
    let bank = QuestionBank::embedded();
    let problem = bank.coding_problem(problem_id).expect("a bank problem");
    let language = Language::parse(language).unwrap();
    let function = match language {
        Language::Python => &problem.function_names.python,
        Language::JavaScript => &problem.function_names.javascript,
    };
    let (tests, mode) = match scratch {
        Some(own) => (TestCase::parse_list(own).unwrap(), RunMode::Scratch),
        None => (
            prepai::app::code::graded_tests(problem).unwrap(),
            RunMode::Graded,
        ),
    };
    let request = ExecutionRequest::new(code.to_owned(), language, function, tests).unwrap();
    let result = sandbox.execute(request).await.unwrap();
    CodeSubmission {
        submission_id: SubmissionId::new_random(),
        timestamp: Utc::now(),
        code: code.to_owned(),
        problem_id: (mode == RunMode::Graded).then(|| problem_id.to_owned()),
        mode,
        result,
    }
}

async fn evaluate(sandbox: &Sandbox, fixture: &Fixture) -> PerformanceReport {
    let start = Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap();
    let mut at = start;
    let mut conversation = Vec::new();
    let mut code_submissions = Vec::new();
    let mut posed_problems = Vec::new();
    for turn in &fixture.turns {
        at += Duration::seconds(45);
        match turn {
            Turn::Interviewer { text } | Turn::Candidate { text } => {
                conversation.push(Message {
                    speaker: if matches!(turn, Turn::Interviewer { .. }) {
                        Speaker::Interviewer
                    } else {
                        Speaker::Candidate
                    },
                    text: text.clone(),
                    timestamp: Some(at),
                    delivery: Delivery::default(),
                    kind: None,
                });
            }
            Turn::Problem { problem_id } => posed_problems.push(problem_id.clone()),
            Turn::Code {
                problem_id,
                language,
                code,
                scratch_tests,
            } => {
                let run =
                    run_code(sandbox, problem_id, language, code, scratch_tests.as_ref()).await;
                code_submissions.push(performance_evaluator::CodeSubmission::from(&run));
            }
        }
    }
    let input = EvaluationInput {
        session_id: Some(fixture.id.clone()),
        interview_type: InterviewType::parse(&fixture.interview_type).unwrap(),
        duration: None,
        candidate_name: None,
        conversation,
        code_submissions,
        posed_problems,
    };
    performance_evaluator::evaluate(&input, QuestionBank::embedded())
}

/// Ranks with ties given their average rank.
fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|a, b| values[*a].total_cmp(&values[*b]));
    let mut out = vec![0.0; values.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && values[order[j + 1]] == values[order[i]] {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for k in &order[i..=j] {
            out[*k] = rank;
        }
        i = j + 1;
    }
    out
}

/// Spearman's rank correlation: Pearson's over the ranks.
fn spearman(a: &[f64], b: &[f64]) -> f64 {
    let (ra, rb) = (ranks(a), ranks(b));
    let n = ra.len() as f64;
    let (ma, mb) = (ra.iter().sum::<f64>() / n, rb.iter().sum::<f64>() / n);
    let cov: f64 = ra.iter().zip(&rb).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = ra.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = rb.iter().map(|y| (y - mb).powi(2)).sum();
    cov / (va.sqrt() * vb.sqrt())
}

#[test]
fn spearman_is_exact_on_small_cases() {
    assert!((spearman(&[1.0, 2.0, 3.0], &[10.0, 20.0, 30.0]) - 1.0).abs() < 1e-12);
    assert!((spearman(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]) + 1.0).abs() < 1e-12);
    assert_eq!(ranks(&[5.0, 1.0, 5.0]), vec![2.5, 1.0, 2.5]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_score_agrees_with_blind_expert_grades_and_resists_every_attack() {
    let sandbox = Sandbox::with_worker_exe(prepai_tests::local_server::worker_exe());
    let fixtures = fixtures();
    assert!(fixtures.len() >= 30, "the set has at least 30 interviews");
    let mut grades = Vec::new();
    let mut scores = Vec::new();
    let mut violations: Vec<Violation> = Vec::new();
    println!(
        "{:<48} {:>5} {:>5}  {:<12} attacks",
        "interview", "grade", "score", "verdict"
    );
    for fixture in &fixtures {
        let report = evaluate(&sandbox, fixture).await;
        let score = report.overall_score;
        // `PREPAI_SHOW_REPORT=<id>` prints one interview's whole report, to see why it scored as it did.
        if std::env::var("PREPAI_SHOW_REPORT").is_ok_and(|id| id == fixture.id) {
            println!("{}", serde_json::to_string_pretty(&report).unwrap());
        }
        println!(
            "{:<48} {:>5.1} {:>5.1}  {:<12} {}",
            fixture.id,
            fixture.grade,
            score,
            report.recommendation.as_str(),
            fixture.attacks.join(",")
        );
        grades.push(fixture.grade);
        scores.push(score);
        let strict = fixture
            .attacks
            .iter()
            .any(|a| a == "prompt_injection" || a == "self_tested_code_only");
        if !fixture.attacks.is_empty() {
            // Known gap or not, no attack ever reaches HIRE.
            assert!(
                score < 7.0,
                "{}: an attack scored {score:.1} (HIRE)",
                fixture.id
            );
            let limit = if strict { 1.5 } else { 3.0 };
            let ok = if strict {
                score <= limit
            } else {
                score < limit
            };
            if !ok {
                violations.push((
                    fixture.id.clone(),
                    format!(
                        "{} ({}): {score:.1}, must be {} {limit}",
                        fixture.id,
                        fixture.attacks.join(","),
                        if strict { "at most" } else { "below" }
                    ),
                ));
            }
        } else if fixture.grade >= 7.5 && score < 7.0 {
            violations.push((
                fixture.id.clone(),
                format!(
                    "{}: strong (graded {}) but scored {score:.1}, must be at least 7",
                    fixture.id, fixture.grade
                ),
            ));
        }
    }
    let rho = spearman(&grades, &scores);
    println!("Spearman {rho:.3} over {} interviews", fixtures.len());
    let (known, new): (Vec<&Violation>, Vec<&Violation>) = violations
        .iter()
        .partition(|(id, _)| KNOWN_GAPS.iter().any(|(gap, _)| gap == id));
    for (id, v) in &known {
        let why = KNOWN_GAPS
            .iter()
            .find(|(gap, _)| gap == id)
            .map_or("", |g| g.1);
        println!("KNOWN GAP {v} — {why}");
    }
    for (_, v) in &new {
        println!("VIOLATION {v}");
    }
    let closed: Vec<&str> = KNOWN_GAPS
        .iter()
        .map(|(gap, _)| *gap)
        .filter(|gap| !violations.iter().any(|(id, _)| id == gap))
        .collect();
    for gap in &closed {
        assert!(
            fixtures.iter().any(|f| f.id == *gap),
            "KNOWN_GAPS names {gap}, which is not in the set"
        );
    }
    assert!(rho >= 0.9, "Spearman {rho:.3} is below 0.9");
    assert!(new.is_empty(), "new violations: {new:#?}");
    assert!(
        closed.is_empty(),
        "closed gaps, remove them from KNOWN_GAPS: {closed:?}"
    );
}
