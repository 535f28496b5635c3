//! The transcript pairs in `tests/fixtures/transcripts/`: in each, two interviews of the same type with the same
//! questions, one clearly better. The better one must score higher overall and on every metric assessed in both —
//! with the fixtures' own question bank (bank questions scored against key points) and with an empty bank (the same
//! questions scored as the agent's own).

use std::path::PathBuf;

use prepai::knowledge::QuestionBank;
use prepai::tools::performance_evaluator::{
    EvaluationInput, Metric, PerformanceReport, Recommendation, evaluate,
};
use serde_json::Value;

struct Pair {
    file: String,
    better: EvaluationInput,
    worse: EvaluationInput,
}

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/transcripts")
}

fn pairs() -> Vec<Pair> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let doc: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let file = path.file_name().unwrap().to_string_lossy().into_owned();
            let side = |name: &str| {
                EvaluationInput::from_json(&doc[name])
                    .unwrap_or_else(|e| panic!("{file} {name}: {e}"))
            };
            Pair {
                better: side("better"),
                worse: side("worse"),
                file,
            }
        })
        .collect()
}

fn fixture_bank() -> QuestionBank {
    let text = std::fs::read_to_string(fixtures_dir().join("question-bank.md")).unwrap();
    let bank = QuestionBank::from_files([("questions/fixtures.md", text.as_str())]).unwrap();
    assert_eq!(bank.questions.len(), 3);
    bank
}

fn by_file<'a>(
    reports: &'a [(String, PerformanceReport, PerformanceReport)],
    prefix: &str,
) -> &'a (String, PerformanceReport, PerformanceReport) {
    reports
        .iter()
        .find(|(f, _, _)| f.starts_with(prefix))
        .unwrap()
}

fn evaluate_all(bank: &QuestionBank) -> Vec<(String, PerformanceReport, PerformanceReport)> {
    pairs()
        .into_iter()
        .map(|p| (p.file, evaluate(&p.better, bank), evaluate(&p.worse, bank)))
        .collect()
}

#[test]
fn there_are_at_least_twelve_pairs_of_the_same_type() {
    let pairs = pairs();
    assert!(pairs.len() >= 12, "{} pairs", pairs.len());
    for p in &pairs {
        assert_eq!(
            p.better.interview_type, p.worse.interview_type,
            "{}",
            p.file
        );
    }
}

#[test]
fn the_better_transcript_wins_overall_and_on_every_shared_metric() {
    for (bank_name, bank) in [
        ("fixture bank", fixture_bank()),
        ("empty bank", QuestionBank::default()),
    ] {
        let mut failures = Vec::new();
        for (file, better, worse) in evaluate_all(&bank) {
            if better.overall_score <= worse.overall_score {
                failures.push(format!(
                    "{file}: overall {} <= {}",
                    better.overall_score, worse.overall_score
                ));
            }
            for metric in Metric::ALL {
                if let (Some(b), Some(w)) = (better.scores.get(metric), worse.scores.get(metric))
                    && b <= w
                {
                    failures.push(format!("{file}: {} {b} <= {w}", metric.key()));
                }
            }
        }
        assert!(
            failures.is_empty(),
            "with the {bank_name}:\n{}",
            failures.join("\n")
        );
    }
}

#[test]
fn empty_one_word_gibberish_and_buzzwords_score_near_zero_and_say_why() {
    let reports = evaluate_all(&fixture_bank());
    let cases = [
        ("01-", "list of terms"),
        ("02-", "no answer was given"),
        ("03-", "word reply"),
        ("07-", "gibberish"),
        ("14-", "repeats itself"),
    ];
    for (prefix, why) in cases {
        let (file, _, worse) = by_file(&reports, prefix);
        assert!(
            worse.overall_score <= 1.5,
            "{file}: {}",
            worse.overall_score
        );
        assert!(
            matches!(worse.recommendation, Recommendation::NoHire),
            "{file}: {:?}",
            worse.recommendation
        );
        let reasons: Vec<&String> = Metric::ALL
            .iter()
            .flat_map(|m| worse.evidence.get(*m).evidence.iter())
            .flat_map(|e| e.reasons.iter())
            .collect();
        assert!(
            reasons.iter().any(|r| r.contains(why)),
            "{file}: no reason mentions {why:?}: {reasons:?}"
        );
        assert!(!worse.improvements.is_empty(), "{file}: no improvements");
    }
    let (_, _, empty) = by_file(&reports, "02-");
    assert_eq!(empty.overall_score, 0.0);
    assert_eq!(empty.metrics.unanswered_questions, 2);
}

#[test]
fn bank_questions_are_scored_against_their_key_points() {
    let reports = evaluate_all(&fixture_bank());
    let (_, better, worse) = by_file(&reports, "01-");
    assert_eq!(better.metrics.bank_questions_matched, 1);
    let first = &better.evidence.technical_knowledge.evidence[0];
    assert_eq!(first.question_id.as_deref(), Some("fixture-hash-map"));
    assert!(
        first.reasons.iter().any(|r| r.contains("key points")),
        "{:?}",
        first.reasons
    );
    let salad = &worse.evidence.technical_knowledge.evidence[0];
    assert!(
        salad
            .reasons
            .iter()
            .any(|r| r.contains("covers none of the question's 4 key points")),
        "{:?}",
        salad.reasons
    );
    assert!(salad.score < 0.5, "{}", salad.score);
}

#[test]
fn metrics_without_evidence_are_not_assessed_and_never_made_up() {
    let reports = evaluate_all(&fixture_bank());
    let (_, star, _) = by_file(&reports, "05-");
    assert_eq!(
        star.not_assessed,
        vec![
            Metric::TechnicalKnowledge,
            Metric::ProblemSolving,
            Metric::CodeQuality
        ]
    );
    let json = serde_json::to_value(star).unwrap();
    assert!(json["scores"]["codeQuality"].is_null());
    assert!(json["scores"]["culturalFit"].is_number());
    assert!(
        star.detailed_feedback
            .contains("not assessed: no code was submitted")
    );
    let (_, code, _) = by_file(&reports, "06-");
    assert!(code.scores.code_quality.is_some() && code.scores.cultural_fit.is_none());
    // Every score of every report is a number in range.
    for (file, better, worse) in &reports {
        for report in [better, worse] {
            assert!((0.0..=10.0).contains(&report.overall_score), "{file}");
            for m in Metric::ALL {
                if let Some(s) = report.scores.get(m) {
                    assert!(
                        s.is_finite() && (0.0..=10.0).contains(&s),
                        "{file} {m:?} {s}"
                    );
                }
            }
        }
    }
}

#[test]
fn strong_answers_name_their_strengths_and_weak_ones_get_specific_tips() {
    let reports = evaluate_all(&fixture_bank());
    let (_, star, we_did_it) = by_file(&reports, "05-");
    assert!(
        star.strengths.iter().any(|s| s.contains("STAR")),
        "{:?}",
        star.strengths
    );
    assert!(
        we_did_it
            .improvements
            .iter()
            .any(|i| i.contains("what you personally did")),
        "{:?}",
        we_did_it.improvements
    );
    let (_, _, failing) = by_file(&reports, "06-");
    assert!(
        failing.evidence.code_quality.evidence[0]
            .reasons
            .iter()
            .any(|r| r.contains("2 of 4")),
        "{:?}",
        failing.evidence.code_quality.evidence
    );
    let (_, _, rushed) = by_file(&reports, "09-");
    assert!(
        rushed.improvements.iter().any(|i| i.contains("filler"))
            || rushed.improvements.iter().any(|i| i.contains("Slow down")),
        "{:?}",
        rushed.improvements
    );
    assert!(rushed.metrics.average_words_per_minute.unwrap() > 200.0);
}
