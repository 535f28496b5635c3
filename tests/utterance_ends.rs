//! When the interviewer waits. A hands-free utterance ends at a silence, and `voice::turn_end::left_open` decides
//! from its transcript alone whether the candidate paused mid-sentence (the interviewer says only "go on") or
//! finished (the interviewer replies). Waiting on a finished answer leaves the candidate in silence, so that error
//! is gated; catching a pause is measured. The utterances were written blind, by a helper who saw neither the word
//! list nor the code (`tests/fixtures/utterance-ends/`).
//!
//! `cargo test --test utterance_ends -- --nocapture`

use std::path::Path;

use prepai::voice::turn_end::left_open;

/// The most finished utterances the interviewer may wait on, as a share.
const MAX_FALSE_HOLDS: f64 = 0.02;

#[derive(serde::Deserialize)]
struct Utterances {
    complete: Vec<String>,
    paused: Vec<String>,
}

#[test]
fn finished_answers_are_answered_and_pauses_counted() {
    let utterances: Utterances = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/utterance-ends/utterances.json"),
        )
        .expect("the utterances"),
    )
    .expect("the utterances parse");
    let held: Vec<&String> = utterances
        .complete
        .iter()
        .filter(|u| left_open(u))
        .collect();
    let caught = utterances.paused.iter().filter(|u| left_open(u)).count();
    let false_holds = held.len() as f64 / utterances.complete.len().max(1) as f64;
    println!(
        "finished utterances waited on: {} of {} ({:.1} %); pauses caught: {caught} of {} ({:.1} %)",
        held.len(),
        utterances.complete.len(),
        false_holds * 100.0,
        utterances.paused.len(),
        100.0 * caught as f64 / utterances.paused.len().max(1) as f64
    );
    for u in &held {
        println!("  waited on: {u:?}");
    }
    assert!(
        false_holds <= MAX_FALSE_HOLDS,
        "{:.1} % of finished utterances waited on",
        false_holds * 100.0
    );
}
