//! The question bank compiled into the library (`knowledge/`): it parses, and it is big and complete enough for the
//! local interviewer to plan every interview type, for the evaluator to score key-point coverage and recognise
//! misconceptions (red flags), and for the code executor to grade every coding problem on hidden tests. The format
//! itself is documented in `knowledge/README.md`.

use std::collections::HashSet;

use prepai::domain::InterviewType;
use prepai::knowledge::{KeyPoint, QuestionBank, RedFlag, embedded_files};
use serde_json::Value;

const MIN_QUESTIONS_PER_TYPE: usize = 20;
const MIN_KEY_POINTS: usize = 3;
const MIN_CODING_PROBLEMS: usize = 15;
/// Enough that code which only returns the worked examples' answers fails most of a graded run, and that the edge
/// cases (empty, single, duplicates, negatives, large values, a larger input, a wrong approach's trap) all fit.
const MIN_HIDDEN_TESTS_PER_PROBLEM: usize = 8;
/// Misconceptions per interview question, and per coding problem.
const RED_FLAGS_PER_QUESTION: std::ops::RangeInclusive<usize> = 2..=4;
const RED_FLAGS_PER_PROBLEM: std::ops::RangeInclusive<usize> = 1..=3;
/// Words per red-flag phrase (runs of letters, digits, `+` and `#`).
const PHRASE_WORDS: std::ops::RangeInclusive<usize> = 2..=6;
/// Words that cancel a phrase match when they come earlier in the sentence, so a phrase must not contain them.
const NEGATIONS: [&str; 7] = ["not", "never", "no", "without", "cannot", "nt", "t"];

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
fn hidden_tests_do_not_repeat_the_worked_examples() {
    let bank = bank();
    for p in &bank.coding {
        let shown: HashSet<String> = p.examples.iter().map(|t| t["args"].to_string()).collect();
        let mut hidden = HashSet::new();
        for t in &p.hidden_tests {
            let args = t["args"].to_string();
            assert!(
                !shown.contains(&args),
                "{}: hidden test {args} is also a worked example, so an examples-only fake passes it",
                p.id
            );
            assert!(
                hidden.insert(args.clone()),
                "{}: hidden test {args} is repeated",
                p.id
            );
        }
    }
}

/// Lowercase words: runs of letters, digits, `+` and `#` (the interviewer's normalisation).
fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || c == '+' || c == '#'))
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A light stemmer, so plural and verb endings do not hide a keyword (`visited` ≈ `visiting`, `sorted` ≈ `sorting`).
fn stem(word: &str) -> String {
    let n = word.len();
    if n > 4 && word.ends_with("ies") {
        return format!("{}y", &word[..n - 3]);
    }
    if word.ends_with("sses") {
        return word[..n - 2].to_owned();
    }
    if n > 4
        && ["ses", "xes", "zes", "ches", "shes"]
            .iter()
            .any(|s| word.ends_with(s))
    {
        return word[..n - 2].to_owned();
    }
    let mut w = word.to_owned();
    if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") {
        w.pop();
    }
    if w.len() > 5 && w.ends_with("ing") {
        w.truncate(w.len() - 3);
    } else if w.len() > 4 && w.ends_with("ed") {
        w.truncate(w.len() - 2);
    }
    w
}

fn stems(text: &str) -> Vec<String> {
    words(text).iter().map(|w| stem(w)).collect()
}

/// Checks one question's or problem's red flags against its key points; returns the problems found.
fn red_flag_problems(
    id: &str,
    key_points: &[KeyPoint],
    red_flags: &[RedFlag],
    allowed: &std::ops::RangeInclusive<usize>,
) -> Vec<String> {
    let mut problems = Vec::new();
    if !allowed.contains(&red_flags.len()) {
        problems.push(format!(
            "{id} has {} red flags, wants {allowed:?}",
            red_flags.len()
        ));
    }
    let points: HashSet<&str> = key_points.iter().map(|kp| kp.point.as_str()).collect();
    let keywords: Vec<(&str, Vec<String>)> = key_points
        .iter()
        .flat_map(|kp| &kp.keywords)
        .map(|k| (k.as_str(), stems(k)))
        .filter(|(_, s)| !s.is_empty())
        .collect();
    for flag in red_flags {
        if flag.claim.trim().is_empty() {
            problems.push(format!("{id}: a red flag has no claim"));
        }
        if let Some(cancels) = &flag.cancels
            && !points.contains(cancels.as_str())
        {
            problems.push(format!(
                "{id}: red flag {:?} cancels {cancels:?}, which is not one of its key points",
                flag.claim
            ));
        }
        if flag.phrases.is_empty() {
            problems.push(format!("{id}: red flag {:?} has no phrases", flag.claim));
        }
        for phrase in &flag.phrases {
            let phrase_words = words(phrase);
            if !PHRASE_WORDS.contains(&phrase_words.len()) {
                problems.push(format!(
                    "{id}: phrase {phrase:?} has {} words, wants {PHRASE_WORDS:?}",
                    phrase_words.len()
                ));
            }
            if let Some(negation) = phrase_words
                .iter()
                .find(|w| NEGATIONS.contains(&w.as_str()))
            {
                problems.push(format!(
                    "{id}: phrase {phrase:?} contains the negation {negation:?}, which cancels matches"
                ));
            }
            // A phrase may name the subject ("bigtable supports joins") but must then say something about it — two
            // words at least that are not the key points' keywords — or it would fire on a correct mention.
            // Whether phrases fire on correct answers is checked on what candidates say (`bank-answers`).
            let phrase_stems: Vec<String> = phrase_words.iter().map(|w| stem(w)).collect();
            let keyword_stems: HashSet<&str> = keywords
                .iter()
                .flat_map(|(_, s)| s.iter().map(String::as_str))
                .collect();
            let saying = phrase_stems
                .iter()
                .filter(|s| !keyword_stems.contains(s.as_str()))
                .count();
            for (keyword, stems_of_keyword) in &keywords {
                if saying < 2
                    && phrase_stems
                        .windows(stems_of_keyword.len())
                        .any(|w| w == stems_of_keyword.as_slice())
                {
                    problems.push(format!(
                        "{id}: phrase {phrase:?} contains the key-point keyword {keyword:?} and says little else"
                    ));
                }
            }
        }
    }
    problems
}

#[test]
fn every_question_has_red_flags_whose_phrases_avoid_its_keywords() {
    let bank = bank();
    let problems: Vec<String> = bank
        .questions
        .iter()
        .flat_map(|q| {
            red_flag_problems(&q.id, &q.key_points, &q.red_flags, &RED_FLAGS_PER_QUESTION)
        })
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_coding_problem_has_red_flags_about_its_approach() {
    let bank = bank();
    let problems: Vec<String> = bank
        .coding
        .iter()
        .flat_map(|p| red_flag_problems(&p.id, &p.key_points, &p.red_flags, &RED_FLAGS_PER_PROBLEM))
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_red_flag_checks_catch_what_they_should() {
    let kp = |point: &str, keywords: &[&str]| KeyPoint {
        point: point.to_owned(),
        keywords: keywords.iter().map(|k| (*k).to_owned()).collect(),
        follow_up: Some("Why?".to_owned()),
    };
    let flag = |cancels: Option<&str>, phrases: &[&str]| RedFlag {
        claim: "A wrong claim".to_owned(),
        cancels: cancels.map(str::to_owned),
        phrases: phrases.iter().map(|p| (*p).to_owned()).collect(),
    };
    let points = [kp("Tracks visited cells", &["visited", "seen"])];
    let good = [
        flag(
            Some("Tracks visited cells"),
            &["revisiting is harmless", "cells can be revisited"],
        ),
        flag(None, &["dfs finds the shortest", "dfs gives the shortest"]),
    ];
    assert_eq!(
        red_flag_problems("q", &points, &good, &RED_FLAGS_PER_QUESTION),
        Vec::<String>::new()
    );
    let cases: [(&[RedFlag], &str); 6] = [
        (&good[..1], "red flags, wants"),
        (
            &[
                flag(Some("Tracks visited"), &["cells can be revisited"]),
                good[1].clone(),
            ],
            "not one of its key points",
        ),
        (&[flag(None, &["harmless"]), good[1].clone()], "has 1 words"),
        (
            &[
                flag(None, &["one two three four five six seven"]),
                good[1].clone(),
            ],
            "has 7 words",
        ),
        (
            &[flag(None, &["no need to track"]), good[1].clone()],
            "negation",
        ),
        (
            &[flag(None, &["cells visited"]), good[1].clone()],
            "keyword \"visited\" and says little else",
        ),
    ];
    for (flags, expected) in cases {
        let found = red_flag_problems("q", &points, flags, &RED_FLAGS_PER_QUESTION);
        assert!(
            found.iter().any(|p| p.contains(expected)),
            "expected a problem containing {expected:?}, got {found:?}"
        );
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

/// What candidates say about a question, written by someone who saw the question and its rubric but not the
/// matcher: correct answers (no misconception of the interview type may fire on them) and, per red flag, sentences
/// that assert it the way people do (the flag must fire on each). Files: `tests/fixtures/bank-answers/<type>.json`,
/// `{"<question id>": {"correct": ["…"], "wrong": {"<claim>": ["…"]}}}`.
#[derive(serde::Deserialize)]
struct SaidAbout {
    #[serde(default)]
    correct: Vec<String>,
    #[serde(default)]
    wrong: std::collections::BTreeMap<String, Vec<String>>,
}

fn said_about(kind: InterviewType) -> std::collections::BTreeMap<String, SaidAbout> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/bank-answers")
        .join(format!("{}.json", slug(kind)));
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        }
        Err(_) => std::collections::BTreeMap::new(),
    }
}

#[test]
fn red_flags_fire_on_misconceptions_and_not_on_correct_answers() {
    use prepai::tools::performance_evaluator::misconceptions::{FlagKeys, asserted};
    let bank = bank();
    let mut problems = Vec::new();
    let mut checked = 0;
    for kind in InterviewType::ALL {
        // Every misconception of the type (its questions' and the coding problems'), as the evaluator checks them.
        let flags: Vec<(&str, &RedFlag, FlagKeys)> = bank
            .questions
            .iter()
            .filter(|q| q.interview_type == kind)
            .flat_map(|q| q.red_flags.iter().map(move |f| (q.id.as_str(), f)))
            .chain(
                bank.coding
                    .iter()
                    .flat_map(|p| p.red_flags.iter().map(move |f| (p.id.as_str(), f))),
            )
            .map(|(id, f)| (id, f, FlagKeys::new(f)))
            .collect();
        for (id, said) in said_about(kind) {
            let question = bank
                .questions
                .iter()
                .find(|q| q.id == id)
                .map(|q| (q.red_flags.as_slice(), q.interview_type))
                .or_else(|| {
                    bank.coding
                        .iter()
                        .find(|p| p.id == id)
                        .map(|p| (p.red_flags.as_slice(), kind))
                });
            let Some((own, _)) = question else {
                problems.push(format!("{}: no question {id}", slug(kind)));
                continue;
            };
            for answer in &said.correct {
                checked += 1;
                for (flag_id, flag, stems) in &flags {
                    if let Some(sentence) = asserted(stems, answer) {
                        problems.push(format!(
                            "{id}: a correct answer fires {flag_id}'s {:?} on {sentence:?}",
                            flag.claim
                        ));
                    }
                }
            }
            for (claim, sentences) in &said.wrong {
                let Some(flag) = own.iter().find(|f| &f.claim == claim) else {
                    problems.push(format!("{id}: no red flag {claim:?}"));
                    continue;
                };
                let keys = FlagKeys::new(flag);
                for sentence in sentences {
                    checked += 1;
                    if asserted(&keys, sentence).is_none() {
                        problems.push(format!("{id}: {claim:?} misses {sentence:?}"));
                    }
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    eprintln!("{checked} sentences checked");
}

/// The integrity check for text addressed to the grader voids an answer and caps the interview at NO_HIRE, so a
/// false alarm fails a strong candidate outright: no correct answer we hold may trip it — the bank's correct
/// answers and the blind correct answers, plain and rebuttal (`tests/fixtures/red-flag-recall/`), 824 answers
/// written by people who never saw the check. (A design answer saying a dispatcher "ignores direction" once did.)
#[test]
fn no_correct_answer_is_read_as_addressing_the_grader() {
    use prepai::tools::performance_evaluator::integrity::addresses_grader;
    #[derive(serde::Deserialize)]
    struct Correct {
        plain: String,
        rebuttal: String,
    }
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/red-flag-recall/blind-correct-answers.json");
    let blind: std::collections::BTreeMap<String, Correct> =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("the blind correct answers"))
            .expect("they parse");
    let mut answers: Vec<(String, String)> = blind
        .into_iter()
        .flat_map(|(id, c)| [(id.clone(), c.plain), (id, c.rebuttal)])
        .collect();
    for kind in InterviewType::ALL {
        for (id, said) in said_about(kind) {
            answers.extend(said.correct.into_iter().map(|a| (id.clone(), a)));
        }
    }
    assert!(answers.len() >= 500, "{} answers", answers.len());
    let fired: Vec<String> = answers
        .iter()
        .filter_map(|(id, a)| addresses_grader(a).map(|q| format!("{id}: {q}")))
        .collect();
    assert!(fired.is_empty(), "{}", fired.join("\n"));
}
