//! The question bank compiled into the library (`knowledge/`): it parses, and it is big and complete enough for the
//! local interviewer to plan every interview type, for the evaluator to score key-point coverage, and for the code
//! executor to run every coding problem. The format itself is documented in `knowledge/README.md`.

use std::collections::HashSet;

use prepai::domain::InterviewType;
use prepai::knowledge::{QuestionBank, embedded_files};
use serde_json::Value;

const MIN_QUESTIONS_PER_TYPE: usize = 20;
const MIN_KEY_POINTS: usize = 3;
const MIN_CODING_PROBLEMS: usize = 15;
/// Enough that code which only returns the worked examples' answers fails most of a graded run.
const MIN_HIDDEN_TESTS_PER_PROBLEM: usize = 5;

fn bank() -> QuestionBank {
    QuestionBank::from_files(embedded_files().iter().copied())
        .unwrap_or_else(|e| panic!("the embedded question bank does not parse: {e}"))
}

/// `Google SDE` → `google-sde`: the file name and id prefix of the type's questions.
fn slug(kind: InterviewType) -> String {
    kind.as_str().to_lowercase().replace(' ', "-")
}

#[test]
fn the_embedded_bank_parses_and_embeds_every_type_file() {
    let bank = bank();
    let names: HashSet<&str> = embedded_files().iter().map(|(name, _)| *name).collect();
    for kind in InterviewType::ALL {
        let file = format!("questions/{}.md", slug(kind));
        assert!(names.contains(file.as_str()), "{file} is not embedded");
    }
    assert!(
        names
            .iter()
            .all(|n| n.starts_with("questions/") || n.starts_with("coding/")),
        "only bank files are embedded: {names:?}"
    );
    assert_eq!(
        QuestionBank::embedded().questions.len(),
        bank.questions.len()
    );
    assert_eq!(QuestionBank::embedded().coding.len(), bank.coding.len());
}

#[test]
fn every_interview_type_has_enough_questions_in_its_own_file() {
    let bank = bank();
    for kind in InterviewType::ALL {
        let questions: Vec<_> = bank.questions_for(kind).collect();
        assert!(
            questions.len() >= MIN_QUESTIONS_PER_TYPE,
            "{} has {} questions, wants at least {MIN_QUESTIONS_PER_TYPE}",
            kind.as_str(),
            questions.len()
        );
        let prefix = format!("{}-", slug(kind));
        for q in questions {
            assert!(
                q.id.starts_with(&prefix),
                "{} is a {} question but not named {prefix}NN",
                q.id,
                kind.as_str()
            );
        }
    }
}

#[test]
fn every_question_has_key_points_with_keywords_and_follow_ups() {
    let bank = bank();
    for q in &bank.questions {
        assert!(!q.title.is_empty(), "{} has no title", q.id);
        assert!(
            q.text.ends_with('?') || q.text.ends_with('.'),
            "{}: {:?}",
            q.id,
            q.text
        );
        assert!(!q.skills.is_empty(), "{} lists no skills", q.id);
        assert!(
            !q.follow_ups.is_empty(),
            "{} has no generic follow-ups",
            q.id
        );
        assert!(
            q.key_points.len() >= MIN_KEY_POINTS,
            "{} has {} key points, wants at least {MIN_KEY_POINTS}",
            q.id,
            q.key_points.len()
        );
        for kp in &q.key_points {
            assert!(
                !kp.keywords.is_empty() && kp.keywords.iter().all(|k| !k.trim().is_empty()),
                "{}: key point {:?} has no keywords",
                q.id,
                kp.point
            );
            assert!(
                kp.keywords
                    .iter()
                    .all(|k| k.chars().any(char::is_alphanumeric)),
                "{}: key point {:?} has a keyword no answer can match: {:?}",
                q.id,
                kp.point,
                kp.keywords
            );
            let follow_up = kp.follow_up.as_deref().unwrap_or_default();
            assert!(
                follow_up.ends_with('?') || follow_up.ends_with('.'),
                "{}: key point {:?} needs a follow-up question, has {follow_up:?}",
                q.id,
                kp.point
            );
        }
    }
}

#[test]
fn there_are_enough_coding_problems_each_complete_in_both_languages() {
    let bank = bank();
    assert!(
        bank.coding.len() >= MIN_CODING_PROBLEMS,
        "{} coding problems, wants at least {MIN_CODING_PROBLEMS}",
        bank.coding.len()
    );
    for p in &bank.coding {
        assert!(
            p.hidden_tests.len() >= MIN_HIDDEN_TESTS_PER_PROBLEM,
            "{} has {} hidden tests, wants at least {MIN_HIDDEN_TESTS_PER_PROBLEM}",
            p.id,
            p.hidden_tests.len()
        );
        assert!(
            (1..=3).contains(&p.examples.len()),
            "{}: one to three worked examples are shown",
            p.id
        );
        let tests: Vec<&Value> = p.graded_tests().collect();
        let arity = |t: &Value| t.get("args").and_then(Value::as_array).map(Vec::len);
        let first = arity(tests[0]);
        for t in tests {
            assert!(
                arity(t).is_some() && t.get("expected").is_some(),
                "{}: test {t} needs an args array and expected",
                p.id
            );
            assert_eq!(
                arity(t),
                first,
                "{}: tests pass different numbers of arguments",
                p.id
            );
        }
        for (language, name, starter, solution) in [
            (
                "python",
                &p.function_names.python,
                &p.starters.python,
                &p.solutions.python,
            ),
            (
                "javascript",
                &p.function_names.javascript,
                &p.starters.javascript,
                &p.solutions.javascript,
            ),
        ] {
            assert!(!name.is_empty(), "{}: no {language} function name", p.id);
            assert!(
                starter.contains(name.as_str()),
                "{}: the {language} starter does not define {name}",
                p.id
            );
            assert!(
                solution.contains(name.as_str()),
                "{}: the {language} solution does not define {name}",
                p.id
            );
            assert!(
                solution.trim().len() > starter.trim().len(),
                "{}: the {language} solution is no longer than its starter",
                p.id
            );
        }
        assert!(
            p.starters.python.contains("pass"),
            "{}: the Python starter should be a stub",
            p.id
        );
        assert!(!p.statement.is_empty(), "{} has no statement", p.id);
        assert!(
            p.key_points.len() >= MIN_KEY_POINTS,
            "{} has too few key points",
            p.id
        );
        assert!(
            p.key_points.iter().all(|kp| kp.follow_up.is_some()),
            "{}: every key point needs a follow-up",
            p.id
        );
        for kind in &p.interview_types {
            assert!(
                matches!(
                    kind,
                    InterviewType::GoogleSde
                        | InterviewType::AmazonSde
                        | InterviewType::MicrosoftSde
                        | InterviewType::Coding
                ),
                "{} is offered to {}, which has no coding round",
                p.id,
                kind.as_str()
            );
        }
    }
}

#[test]
fn ids_are_unique_across_questions_and_problems() {
    let bank = bank();
    let mut seen = HashSet::new();
    let ids = bank
        .questions
        .iter()
        .map(|q| &q.id)
        .chain(bank.coding.iter().map(|p| &p.id));
    for id in ids {
        assert!(seen.insert(id.as_str()), "duplicate id {id}");
    }
    for (name, _) in embedded_files()
        .iter()
        .filter(|(n, _)| n.starts_with("coding/"))
    {
        let id = name.trim_start_matches("coding/").trim_end_matches(".md");
        assert!(
            bank.coding_problem(id).is_some(),
            "{name} does not hold problem {id}"
        );
    }
}

#[test]
fn question_texts_are_distinct_so_the_evaluator_finds_the_right_one() {
    let bank = bank();
    for q in &bank.questions {
        let found = bank.find_by_text(&q.text).map(|f| f.id.as_str());
        assert_eq!(found, Some(q.id.as_str()), "text of {} is ambiguous", q.id);
    }
}
