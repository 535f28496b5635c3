//! How much of a misconception said in a candidate's own words the bank's red flags catch: recall on sentences
//! written blind to assert each claim (`tests/fixtures/red-flag-recall/`), per interview type, beside the false
//! alarms on the bank's correct answers (`tests/fixtures/bank-answers/`). A figure to watch, not a gate: the
//! knowledge-bank tests gate what must hold.
//!
//! `cargo bench -p prepai-tests --bench red_flag_recall`

use std::collections::BTreeMap;
use std::path::Path;

use prepai::domain::InterviewType;
use prepai::knowledge::{QuestionBank, RedFlag};
use prepai::tools::performance_evaluator::claims::{asserted, phrase_stems};

/// Question id → claim → sentences asserting it.
type Held = BTreeMap<String, BTreeMap<String, Vec<String>>>;

#[derive(serde::Deserialize)]
struct SaidAbout {
    #[serde(default)]
    correct: Vec<String>,
}

fn fixtures() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"))
}

fn stems(flag: &RedFlag) -> Vec<Vec<String>> {
    flag.phrases.iter().map(|p| phrase_stems(p)).collect()
}

fn main() {
    let bank = QuestionBank::embedded();
    let held: Held = serde_json::from_str(
        &std::fs::read_to_string(fixtures().join("red-flag-recall/blind-wrong-sentences.json"))
            .expect("the held-out sentences"),
    )
    .expect("the held-out sentences parse");
    println!(
        "red-flag recall on sentences written blind (the flag's own claim, the candidate's words):\n"
    );
    println!(
        "| interview type | sentences | caught by their flag | caught by any flag of the type |"
    );
    println!("| --- | ---: | ---: | ---: |");
    let (mut all, mut own_all, mut any_all) = (0, 0, 0);
    for kind in InterviewType::ALL {
        let questions: Vec<_> = bank
            .questions
            .iter()
            .filter(|q| q.interview_type == kind)
            .collect();
        let type_flags: Vec<Vec<Vec<String>>> = questions
            .iter()
            .flat_map(|q| q.red_flags.iter().map(stems))
            .collect();
        let (mut total, mut own, mut any) = (0, 0, 0);
        for question in &questions {
            let Some(claims) = held.get(&question.id) else {
                continue;
            };
            for (claim, sentences) in claims {
                let Some(flag) = question.red_flags.iter().find(|f| &f.claim == claim) else {
                    println!("  (no red flag {claim:?} on {})", question.id);
                    continue;
                };
                let flag = stems(flag);
                for sentence in sentences {
                    total += 1;
                    own += usize::from(asserted(&flag, sentence).is_some());
                    any += usize::from(type_flags.iter().any(|f| asserted(f, sentence).is_some()));
                }
            }
        }
        if total > 0 {
            println!("| {} | {total} | {own} | {any} |", kind.as_str());
        }
        all += total;
        own_all += own;
        any_all += any;
    }
    let share = |n: usize| 100.0 * n as f64 / all.max(1) as f64;
    println!(
        "| all | {all} | {own_all} ({:.1} %) | {any_all} ({:.1} %) |",
        share(own_all),
        share(any_all)
    );

    let (mut correct, mut alarms) = (0, 0);
    for kind in InterviewType::ALL {
        let path = fixtures().join("bank-answers").join(format!(
            "{}.json",
            kind.as_str().to_lowercase().replace(' ', "-")
        ));
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let said: BTreeMap<String, SaidAbout> =
            serde_json::from_str(&text).expect("bank answers parse");
        let type_flags: Vec<Vec<Vec<String>>> = bank
            .questions
            .iter()
            .filter(|q| q.interview_type == kind)
            .flat_map(|q| q.red_flags.iter().map(stems))
            .collect();
        for answer in said.values().flat_map(|s| &s.correct) {
            correct += 1;
            alarms += usize::from(type_flags.iter().any(|f| asserted(f, answer).is_some()));
        }
    }
    println!("\nfalse alarms: {alarms} of {correct} correct answers fire a red flag of their type");
}
