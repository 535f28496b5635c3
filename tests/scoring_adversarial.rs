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
//! The set above has tuned the rubric for many sessions, so its figure flatters it. Three held-out sets measure what
//! it is worth on interviews it was not tuned on (`adversarial-holdout/`, 24 interviews weighted to the hardest
//! attacks and terse strong answers; `adversarial-holdout-2/` and `adversarial-holdout-3/`, 24 each spread over
//! every kind), written blind by helpers
//! who read only the fixture README, the bank's question lines and the coding problems. Their Spearman is below
//! the target; their floors and gap lists are the same kind of ratchet.
//!
//! `cargo test --workspace --test scoring_adversarial -- --nocapture` shows the table.
//!
//! With `PREPAI_JUDGE_URL` and `PREPAI_JUDGE_MODEL` set (an OpenAI-compatible server, as for `prepai-local`), every
//! answer the product would send to a judge is graded by that model and the report is the one the product would
//! write with it: the table then measures judge and guard together. The floors and gap lists describe the rubric
//! alone, so in that mode they are printed, not checked; no attack may reach HIRE either way.

use std::path::PathBuf;

use chrono::{Duration, TimeZone, Utc};
use std::collections::BTreeMap;
use std::time::Duration as StdDuration;

use prepai::adapters::local::OpenAiJudge;
use prepai::domain::{InterviewType, RunMode, SubmissionId};
use prepai::knowledge::QuestionBank;
use prepai::ports::Judge;
use prepai::tools::code_executor::{CodeSubmission, ExecutionRequest, Language, TestCase};
use prepai::tools::performance_evaluator::{
    self, Delivery, EvaluationInput, JudgeOutcome, Message, PerformanceReport, Speaker,
};
use prepai_sandbox::Sandbox;
use serde::Deserialize;
use serde_json::Value;

/// Interviews the deterministic rubric still scores past the targets, and why. Each would need what only reading the
/// answer for meaning gives: the judge (PREPAI_JUDGE_MODEL / PREPAI_JUDGE_URL) is the designed answer, held by the
/// rubric's caps, and is not run here (no model in CI). Empty since unsolved problems stopped earning partial credit:
/// the last three attacks (confident wrong, "we use" buzzwords, keyword stuffing) each carried a wrong solution that
/// passed most tests.
const KNOWN_GAPS: &[(&str, &str)] = &[];

/// Why the held-out sets' gaps are open, by kind: each needs reading for meaning (the judge), not more words.
const BUZZWORD_SENTENCES: &str = "technology names inside grammatical sentences earn part of the rubric's coverage and \
     fluent delivery keeps communication high";
const FLUENT_STUFFING: &str = "fluent prose carrying the rubric's terms earns coverage and reasoning markers though it \
     says nothing specific";
const UNANTICIPATED_WRONG_CLAIMS: &str = "wrong claims in words no red flag anticipates: the rubric credits the terms and \
     communication stays high";
const TERSE_STRONG: &str =
    "dense, correct notes earn less coverage and reasoning than full sentences saying the same";
const UNREAD_STRONG: &str = "a strong interview scored under 7; not read, to keep the set held out (the attacks' \
     kinds are known from their labels, this one's cause is not)";
const STORY_OFF_TOPIC: &str = "graded off topic but scored as an answer to the behavioral question; not read, to \
     keep the set held out — the first thing to look at when it is retired";

/// The first held-out set's gaps (`fixtures/adversarial-holdout/`, written blind by a helper after the rules above
/// were in place), and why. One of its interviews was read to find the note-form rule, so from then on it is a
/// development set; the second set has been run but never read.
const HOLDOUT_KNOWN_GAPS: &[(&str, &str)] = &[
    ("holdout-amazon-sde-buzzwords-cart", BUZZWORD_SENTENCES),
    ("holdout-aws-sa-keyword-stuffing-dr", FLUENT_STUFFING),
    ("holdout-azure-sa-concise-strong", TERSE_STRONG),
    (
        "holdout-azure-sa-confident-wrong-storage",
        UNANTICIPATED_WRONG_CLAIMS,
    ),
    ("holdout-azure-sa-keyword-stuffing-cosmos", FLUENT_STUFFING),
    ("holdout-behavioral-buzzwords-process", BUZZWORD_SENTENCES),
    (
        "holdout-coding-confident-wrong-coins",
        UNANTICIPATED_WRONG_CLAIMS,
    ),
    (
        "holdout-google-sde-confident-wrong-editdistance",
        UNANTICIPATED_WRONG_CLAIMS,
    ),
    (
        "holdout-google-sde-keyword-stuffing-typeahead",
        FLUENT_STUFFING,
    ),
];

/// The second held-out set's gaps (`fixtures/adversarial-holdout-2/`), and why.
const HOLDOUT_2_KNOWN_GAPS: &[(&str, &str)] = &[
    (
        "holdout2-aws-sa-confident-wrong",
        UNANTICIPATED_WRONG_CLAIMS,
    ),
    ("holdout2-behavioral-keyword-stuffing", FLUENT_STUFFING),
    ("holdout2-behavioral-off-topic", STORY_OFF_TOPIC),
    (
        "holdout2-google-sde-confident-wrong-rotated",
        UNANTICIPATED_WRONG_CLAIMS,
    ),
    (
        "holdout2-google-sde-keyword-stuffing-typeahead",
        FLUENT_STUFFING,
    ),
];

/// The third held-out set's gaps (`fixtures/adversarial-holdout-3/`, written blind after the rules above, never
/// read: only its scores were), and why.
const HOLDOUT_3_KNOWN_GAPS: &[(&str, &str)] = &[
    (
        "holdout3-amazon-sde-confident-wrong-kth-ratelimit",
        UNANTICIPATED_WRONG_CLAIMS,
    ),
    ("holdout3-aws-sa-keyword-stuffing", FLUENT_STUFFING),
    ("holdout3-aws-sa-strong-dr-multiaccount", UNREAD_STRONG),
    (
        "holdout3-azure-sa-confident-wrong",
        UNANTICIPATED_WRONG_CLAIMS,
    ),
    (
        "holdout3-gcp-sa-plainspoken-perimeter-spanner",
        UNREAD_STRONG,
    ),
    (
        "holdout3-google-sde-keyword-stuffing-kvstore",
        FLUENT_STUFFING,
    ),
];

/// The held-out sets' Spearman as measured (0.9 is the target): the first set was written for the attacks the rubric
/// finds hardest and for terse strong answers, the second is spread over every kind. The floors rise with the
/// figures, with one exception: when unsolved problems stopped earning partial credit, the second set fell from
/// 0.866 to 0.820 although every score that moved moved towards its grade (mean absolute error 1.62 → 1.35). A
/// mediocre interview with unsolved code went from 5.8 to 4.0 against its grade of 4.5, which ranks it under two
/// attacks still open there (off topic at 4.6, confident wrong at 6.1). The third set was written after that
/// change and scored before it too (a7ae010): Spearman 0.883, mean absolute error 1.23, 5 attacks at 3 or more;
/// after it 0.875, 1.07 and 4. It fell once more, to 0.869 (mean absolute error 1.04), when follow-ups that had been
/// read as new questions joined their question as the issue asks (after a bank question worded as a statement, a
/// follow-up containing "on top", one resembling another bank question): a mediocre interview's answers to them
/// now count with its first answer (6.0 → 6.1, graded 4.5), which ranks it among strong ones. Key points said only
/// after a follow-up asked for them, or after one questioning the answer, count half; without that it rose to 6.3.
/// The first rose from 0.685 to 0.694 when note-form marks ("=", a count heading a note, "w/") were read, and to
/// 0.704 when problem solving and communication read an answer's form with the claims the rubric credits (terse
/// strong interviews rose 0.1–0.7); the third moved 0.870 → 0.868 then, as two over-scored solid interviews rose 0.1
/// with them (mean absolute error 1.02 → 1.00). An easy problem solved earning at most `EASY_SOLVED` moved five
/// weak-to-solid interviews that had solved one towards their grades: the first 0.704 → 0.710, the third 0.868 → 0.887.
const HOLDOUT_MIN_RHO: f64 = 0.705;
const HOLDOUT_2_MIN_RHO: f64 = 0.81;
const HOLDOUT_3_MIN_RHO: f64 = 0.88;

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

fn fixtures(set: &str) -> Vec<Fixture> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(set);
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

/// The judge configured the way `prepai-local` reads it, if any. A measurement waits for a slow local model: the
/// product's per-answer limit is for candidates waiting on a report, not for a benchmark on two cores.
fn configured_judge() -> Option<(OpenAiJudge, String)> {
    let url = std::env::var("PREPAI_JUDGE_URL").ok()?;
    let model = std::env::var("PREPAI_JUDGE_MODEL").ok()?;
    let key = std::env::var("PREPAI_JUDGE_API_KEY").ok();
    let judge = OpenAiJudge::new(&url, model.clone(), key, StdDuration::from_secs(600))
        .expect("a judge client");
    Some((judge, model))
}

/// What the configured judge says about each answer the product would send it (none without a judge). Each failure
/// is printed: a judged figure means little if most answers fell back to the rubric.
async fn verdicts(
    judge: Option<&OpenAiJudge>,
    input: &EvaluationInput,
) -> BTreeMap<usize, JudgeOutcome> {
    let mut out = BTreeMap::new();
    let Some(judge) = judge else { return out };
    for (exchange, request) in
        performance_evaluator::judge_requests(input, QuestionBank::embedded())
    {
        let outcome = match judge.grade(&request).await {
            Ok(verdict) => JudgeOutcome::Graded(verdict),
            Err(e) => {
                let id = input.session_id.as_deref().unwrap_or("?");
                println!("JUDGE FAILED {id}, exchange {exchange}: {e}");
                JudgeOutcome::Failed(e.to_string())
            }
        };
        out.insert(exchange, outcome);
    }
    out
}

/// How many answers the judge graded and how many fell back to the rubric.
#[derive(Default)]
struct JudgeTally {
    graded: usize,
    failed: usize,
}

impl JudgeTally {
    fn add(&mut self, verdicts: &BTreeMap<usize, JudgeOutcome>) {
        for outcome in verdicts.values() {
            match outcome {
                JudgeOutcome::Graded(_) => self.graded += 1,
                JudgeOutcome::Failed(_) => self.failed += 1,
            }
        }
    }
}

async fn evaluate(
    sandbox: &Sandbox,
    judge: Option<&OpenAiJudge>,
    fixture: &Fixture,
) -> (PerformanceReport, BTreeMap<usize, JudgeOutcome>) {
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
    let verdicts = verdicts(judge, &input).await;
    let report = performance_evaluator::evaluate_with(&input, QuestionBank::embedded(), &verdicts);
    (report, verdicts)
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

/// What one set of fixtures scored: grades and scores in order, and every interview past the targets.
struct SetResult {
    grades: Vec<f64>,
    scores: Vec<f64>,
    violations: Vec<Violation>,
    judged: JudgeTally,
}

/// Scores every interview of a set, printing the table, and collects the violations of the targets: every attack
/// below 3 (prompt injection and self-tested code only at most 1.5), never HIRE; every strong interview (graded 7.5
/// or more) at least 7.
async fn score_set(
    sandbox: &Sandbox,
    judge: Option<&OpenAiJudge>,
    fixtures: &[Fixture],
) -> SetResult {
    let mut grades = Vec::new();
    let mut scores = Vec::new();
    let mut violations: Vec<Violation> = Vec::new();
    let mut judged = JudgeTally::default();
    println!(
        "{:<48} {:>5} {:>5}  {:<12} attacks",
        "interview", "grade", "score", "verdict"
    );
    for fixture in fixtures {
        let (report, verdicts) = evaluate(sandbox, judge, fixture).await;
        judged.add(&verdicts);
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
    SetResult {
        grades,
        scores,
        violations,
        judged,
    }
}

/// Checks a scored set against its list of known gaps: Spearman at least `min_rho`, no violation outside the list,
/// and no listed gap closed (so the list only shrinks).
fn check_set(
    name: &str,
    fixtures: &[Fixture],
    result: &SetResult,
    gaps: &[(&str, &str)],
    min_rho: f64,
) {
    let (rho, mae) = figures(result);
    println!(
        "{name}: Spearman {rho:.3}, mean absolute error {mae:.2} over {} interviews",
        fixtures.len()
    );
    let violations = &result.violations;
    let (known, new): (Vec<&Violation>, Vec<&Violation>) = violations
        .iter()
        .partition(|(id, _)| gaps.iter().any(|(gap, _)| gap == id));
    for (id, v) in &known {
        let why = gaps.iter().find(|(gap, _)| gap == id).map_or("", |g| g.1);
        println!("KNOWN GAP {v} — {why}");
    }
    for (_, v) in &new {
        println!("VIOLATION {v}");
    }
    let closed: Vec<&str> = gaps
        .iter()
        .map(|(gap, _)| *gap)
        .filter(|gap| !violations.iter().any(|(id, _)| id == gap))
        .collect();
    for gap in &closed {
        assert!(
            fixtures.iter().any(|f| f.id == *gap),
            "the known gaps name {gap}, which is not in the set"
        );
    }
    assert!(
        rho >= min_rho,
        "{name}: Spearman {rho:.3} is below {min_rho}"
    );
    assert!(new.is_empty(), "{name}: new violations: {new:#?}");
    assert!(
        closed.is_empty(),
        "{name}: closed gaps, remove them from the known gaps: {closed:?}"
    );
}

/// Prints a set's figures and violations as measured with a judge, without the rubric's floors and gap lists.
fn report_judged(name: &str, result: &SetResult) {
    let (rho, mae) = figures(result);
    println!(
        "{name}: Spearman {rho:.3}, mean absolute error {mae:.2} over {} interviews; the judge graded {} \
         answers, {} fell back to the rubric",
        result.grades.len(),
        result.judged.graded,
        result.judged.failed
    );
    for (_, v) in &result.violations {
        println!("VIOLATION {v}");
    }
}

/// Spearman and mean absolute error of a scored set.
fn figures(result: &SetResult) -> (f64, f64) {
    let rho = spearman(&result.grades, &result.scores);
    let mae = result
        .grades
        .iter()
        .zip(&result.scores)
        .map(|(g, s)| (g - s).abs())
        .sum::<f64>()
        / result.grades.len().max(1) as f64;
    (rho, mae)
}

/// Scores one set of at least `min_size` interviews and checks it against its gaps and Spearman floor.
async fn score_and_check(set: &str, min_size: usize, gaps: &[(&str, &str)], min_rho: f64) {
    let sandbox = Sandbox::with_worker_exe(prepai_tests::local_server::worker_exe());
    let fixtures = fixtures(set);
    assert!(
        fixtures.len() >= min_size,
        "{set} has {} interviews, fewer than {min_size}",
        fixtures.len()
    );
    let judge = configured_judge();
    let result = score_set(&sandbox, judge.as_ref().map(|(j, _)| j), &fixtures).await;
    match &judge {
        None => check_set(set, &fixtures, &result, gaps, min_rho),
        Some((_, model)) => report_judged(&format!("{set}, judged by {model}"), &result),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_score_agrees_with_blind_expert_grades_and_resists_every_attack() {
    score_and_check("adversarial", 30, KNOWN_GAPS, 0.9).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_score_holds_on_the_held_out_set() {
    score_and_check(
        "adversarial-holdout",
        20,
        HOLDOUT_KNOWN_GAPS,
        HOLDOUT_MIN_RHO,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_score_holds_on_the_second_held_out_set() {
    score_and_check(
        "adversarial-holdout-2",
        20,
        HOLDOUT_2_KNOWN_GAPS,
        HOLDOUT_2_MIN_RHO,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_score_holds_on_the_third_held_out_set() {
    score_and_check(
        "adversarial-holdout-3",
        20,
        HOLDOUT_3_KNOWN_GAPS,
        HOLDOUT_3_MIN_RHO,
    )
    .await;
}
