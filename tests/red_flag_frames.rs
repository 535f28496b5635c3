//! How the red flags read the stance a sentence takes, on answers written blind (`tests/fixtures/red-flag-frames/`,
//! see its README; and the rebuttals in `tests/fixtures/red-flag-recall/blind-correct-answers.json`).
//!
//! Two promises, both against a candidate who knows the rules. A strong candidate who names a misconception to
//! reject it ("the classic mistake is trusting the tenant id the client sends") is not read as asserting it: a red
//! flag caps the whole interview. And a candidate who asserts one is not let off because the sentence also holds a
//! rejecting word ("Don't overthink it: one AZ is enough"): every trap fires the flag it asserts.
//!
//! A ratchet like the adversarial scoring test: the correct answers still read as asserting a flag are listed with
//! the reason each needs more than one sentence's grammar (the story around it, or a judge). The test fails on any
//! other false alarm, and when a listed one is cleared, so the lists only shrink.
//!
//! `cargo bench -p prepai-tests --bench red_flag_recall` prints the figures beside recall.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use prepai::domain::InterviewType;
use prepai::knowledge::QuestionBank;
use prepai::tools::performance_evaluator::conversation::References;
use prepai::tools::performance_evaluator::misconceptions::asserted;
use prepai_tests::red_flag_frames::frames;
use serde::Deserialize;

/// The wrong behaviour in a story is someone else's or the speaker's earlier self's, and the story turns on it
/// ("two colleagues before me had started coding right away…, so I first timed every step"): reading that needs the
/// arc of the story, not the sentence.
const STORY: &str =
    "the behaviour is someone else's or an earlier self's that the story turns away from";
/// A flag's phrase inside a correct statement about something else ("the later timestamp silently drops the other
/// item" is not a rate limiter dropping requests).
const PHRASE_ELSEWHERE: &str = "a flag's phrase said in a correct statement about something else";
/// The claim is judged by its consequence, not by an evaluative word ("is the fastest way to miss the deadline",
/// "teams that do it get burned").
const CONSEQUENCE: &str = "the claim is judged by a consequence rather than an evaluative word";
/// The report and the claim are separated by a subordinate clause or a second verb ("some designs assume that,
/// because the client gets an ack, duplicates are impossible").
const DISTANT_REPORT: &str =
    "a subordinate clause or a second verb separates the report from the claim";

/// Frames rebuttals still read as asserting a flag, by question id.
const FRAMES_KNOWN: &[(&str, &str)] = &[
    ("amazon-sde-03", STORY),
    ("amazon-sde-07", STORY),
    ("amazon-sde-09", STORY),
    ("amazon-sde-11", PHRASE_ELSEWHERE),
    ("amazon-sde-19", DISTANT_REPORT),
    ("microsoft-sde-05", STORY),
    ("microsoft-sde-15", DISTANT_REPORT),
    ("microsoft-sde-19", CONSEQUENCE),
    ("microsoft-sde-20", PHRASE_ELSEWHERE),
    ("aws-sa-07", CONSEQUENCE),
    ("azure-sa-22", STORY),
    ("behavioral-06", STORY),
    ("behavioral-08", STORY),
    ("behavioral-12", STORY),
    ("behavioral-18", STORY),
    ("behavioral-20", STORY),
];

/// Rebuttals of `blind-correct-answers.json` still read as asserting a flag, by question id.
const REBUTTALS_KNOWN: &[(&str, &str)] = &[
    ("amazon-sde-04", STORY),
    ("amazon-sde-11", PHRASE_ELSEWHERE),
    ("microsoft-sde-25", CONSEQUENCE),
    ("azure-sa-14", PHRASE_ELSEWHERE),
    ("azure-sa-20", PHRASE_ELSEWHERE),
];

#[derive(Deserialize)]
struct Correct {
    rebuttal: String,
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// The ids of the rebuttals that fire any red flag of their interview type, each with what fired it.
fn false_alarms<'a>(
    bank: &QuestionBank,
    rebuttals: impl Fn(&str) -> Option<&'a str>,
) -> BTreeMap<String, String> {
    let mut fired = BTreeMap::new();
    for kind in InterviewType::ALL {
        let references = References::new(bank, kind);
        let flags = references.type_red_flags();
        for question in bank.questions.iter().filter(|q| q.interview_type == kind) {
            let Some(rebuttal) = rebuttals(&question.id) else {
                continue;
            };
            if let Some((flag, sentence)) = flags
                .iter()
                .find_map(|(f, keys)| asserted(keys, rebuttal).map(|s| (f, s)))
            {
                fired.insert(
                    question.id.clone(),
                    format!("{:?} on {sentence:?}", flag.claim),
                );
            }
        }
    }
    fired
}

/// Fails unless the false alarms are exactly the known ones, naming each new one and each cleared one.
fn check_ratchet(
    set: &str,
    fired: &BTreeMap<String, String>,
    known: &[(&str, &str)],
    total: usize,
) {
    let known: BTreeSet<&str> = known.iter().map(|(id, _)| *id).collect();
    println!(
        "{set}: {} of {total} correct rebuttals fire a red flag",
        fired.len()
    );
    let mut problems = Vec::new();
    for (id, what) in fired {
        if !known.contains(id.as_str()) {
            problems.push(format!("new false alarm {id}: {what}"));
        }
    }
    for id in &known {
        if !fired.contains_key(*id) {
            problems.push(format!("{id} no longer fires: take it off the known list"));
        }
    }
    assert!(problems.is_empty(), "{set}:\n{}", problems.join("\n"));
}

#[test]
fn every_trap_fires_the_flag_it_asserts() {
    let bank = QuestionBank::embedded();
    let pairs = frames();
    assert!(
        pairs.len() >= 190,
        "the frames set shrank to {}",
        pairs.len()
    );
    let mut missed = Vec::new();
    for (id, pair) in &pairs {
        let question = bank
            .questions
            .iter()
            .find(|q| &q.id == id)
            .unwrap_or_else(|| panic!("no bank question {id}"));
        for claim in [&pair.asserts, &pair.rejects] {
            assert!(
                question.red_flags.iter().any(|f| &f.claim == claim),
                "{id} has no red flag {claim:?}"
            );
        }
        let flag = question
            .red_flags
            .iter()
            .find(|f| f.claim == pair.asserts)
            .expect("checked above");
        let keys = prepai::tools::performance_evaluator::misconceptions::FlagKeys::new(flag);
        if asserted(&keys, &pair.trap).is_none() {
            missed.push(format!("{id}: {:?}", pair.trap));
        }
    }
    println!(
        "traps: {} of {} fire their flag",
        pairs.len() - missed.len(),
        pairs.len()
    );
    assert!(
        missed.is_empty(),
        "traps let through:\n{}",
        missed.join("\n")
    );
}

#[test]
fn rebuttals_written_blind_are_not_read_as_asserting_what_they_reject() {
    let bank = QuestionBank::embedded();
    let pairs = frames();
    let fired = false_alarms(bank, |id| pairs.get(id).map(|p| p.rebuttal.as_str()));
    check_ratchet("red-flag-frames", &fired, FRAMES_KNOWN, pairs.len());

    let correct: BTreeMap<String, Correct> = serde_json::from_str(
        &std::fs::read_to_string(fixtures().join("red-flag-recall/blind-correct-answers.json"))
            .expect("the blind correct answers"),
    )
    .expect("the blind correct answers parse");
    let fired = false_alarms(bank, |id| correct.get(id).map(|c| c.rebuttal.as_str()));
    check_ratchet(
        "blind-correct-answers",
        &fired,
        REBUTTALS_KNOWN,
        correct.len(),
    );
}
