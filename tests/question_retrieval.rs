//! Recognising the bank question an interviewer asks in other words (`tests/fixtures/question-paraphrases/`, see
//! its README). The Bedrock agent does not ask bank questions word for word: it shortens them, leads in with small
//! talk, speaks informally, splits them or frames a scenario. When its question is a paraphrase, that question's
//! rubric should grade the answer (key points, red flags); when it asks something else that shares the words, the
//! rubric would grade the candidate on points nobody asked, so it must not apply.
//!
//! The prompts were written blind by a helper who read only the bank's question lines: per chosen bank question two
//! paraphrases ("same"), sometimes a narrower ask ("part"), and a question sharing its vocabulary about something
//! else ("different"), plus interviewer small talk. `development.json` is read to tune the matcher;
//! `holdout.json` is only scored. The test prints recall and false matches for each file and fails below the
//! floors, which only rise.
//!
//! `cargo test --workspace --test question_retrieval -- --nocapture` shows the figures, and every miss of the
//! development file.

use std::path::PathBuf;

use prepai::domain::InterviewType;
use prepai::knowledge::QuestionBank;
use prepai::tools::performance_evaluator::conversation::References;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Case {
    prompt: String,
    interview_type: InterviewType,
    expected: Option<String>,
    kind: Kind,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum Kind {
    Same,
    Part,
    Different,
}

/// What one file's cases came to.
#[derive(Default)]
struct Tally {
    same: usize,
    same_found: usize,
    part: usize,
    part_found: usize,
    different: usize,
    /// Prompts matched to a question they do not ask: a "different" prompt matched at all, or any prompt matched to
    /// another question than its own.
    false_matches: usize,
    misses: Vec<String>,
}

impl Tally {
    fn share(n: usize, of: usize) -> f64 {
        n as f64 / of.max(1) as f64
    }

    fn recall(&self) -> f64 {
        Self::share(self.same_found, self.same)
    }

    /// False matches over every prompt that has no question or another one to match.
    fn false_match_rate(&self) -> f64 {
        Self::share(self.false_matches, self.same + self.part + self.different)
    }
}

fn score(file: &str, show_misses: bool) -> Tally {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/question-paraphrases")
        .join(file);
    let text = std::fs::read_to_string(&path).expect("fixture file");
    let cases: Vec<Case> = serde_json::from_str(&text).expect("fixture JSON");
    let bank = QuestionBank::embedded();
    let mut tally = Tally::default();
    for case in &cases {
        let found = References::new(bank, case.interview_type)
            .recognise(&case.prompt)
            .map(|(id, _)| id);
        let expected = case.expected.as_deref();
        match case.kind {
            Kind::Same => tally.same += 1,
            Kind::Part => tally.part += 1,
            Kind::Different => tally.different += 1,
        }
        let right = found.is_some() && found == expected;
        match (case.kind, right) {
            (Kind::Same, true) => tally.same_found += 1,
            (Kind::Part, true) => tally.part_found += 1,
            _ => {}
        }
        if found.is_some() && !right {
            tally.false_matches += 1;
        }
        let missed = match case.kind {
            Kind::Same => !right,
            Kind::Part | Kind::Different => found.is_some() && !right,
        };
        if missed {
            tally.misses.push(format!(
                "  {:<9} expected {:<18} found {:<18} {}",
                match case.kind {
                    Kind::Same => "same",
                    Kind::Part => "part",
                    Kind::Different => "different",
                },
                expected.unwrap_or("none"),
                found.unwrap_or("none"),
                case.prompt
            ));
        }
    }
    println!(
        "{file}: paraphrases recognised {} of {} ({:.0}%), narrower asks matched to their question {} of {}, \
         false matches {} of {} prompts ({:.1}%)",
        tally.same_found,
        tally.same,
        100.0 * tally.recall(),
        tally.part_found,
        tally.part,
        tally.false_matches,
        tally.same + tally.part + tally.different,
        100.0 * tally.false_match_rate()
    );
    // The held-out file's prompts stay unread: its misses are counted, not shown.
    if show_misses {
        for miss in &tally.misses {
            println!("{miss}");
        }
    }
    tally
}

#[test]
fn paraphrases_of_bank_questions_are_recognised_and_other_questions_are_not() {
    let dev = score("development.json", true);
    let holdout = score("holdout.json", false);
    for (name, tally, floor) in [
        ("development", &dev, DEVELOPMENT_MIN_RECALL),
        ("holdout", &holdout, HOLDOUT_MIN_RECALL),
    ] {
        assert!(
            tally.recall() >= floor,
            "{name}: recall {:.2} below {floor}",
            tally.recall()
        );
        assert!(
            tally.false_match_rate() <= MAX_FALSE_MATCH_RATE,
            "{name}: false matches {:.3} above {MAX_FALSE_MATCH_RATE}",
            tally.false_match_rate()
        );
    }
}

/// Floors measured on the files, which only rise. Word-for-word and containment matching alone recognised 27 of 96
/// (development) and 20 of 96 (held out); with the cosine of [`NEAREST_COSINE`] 42 and 39.
///
/// [`NEAREST_COSINE`]: prepai::tools::performance_evaluator::conversation::NEAREST_COSINE
const DEVELOPMENT_MIN_RECALL: f64 = 0.43;
const HOLDOUT_MIN_RECALL: f64 = 0.40;

/// A wrong rubric costs an honest answer more than a missed one (which is scored without a rubric, capped, and
/// marked low-confidence), so false matches are held down while recall is pushed: 6 of 171 and 6 of 172 now (1
/// and 3 before the cosine), one of which is right (see the fixtures' README).
const MAX_FALSE_MATCH_RATE: f64 = 0.045;
