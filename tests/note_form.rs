//! Terse is not weak, and terse is no disguise. Strong engineers often answer in notes ("LRS: 3 copies, one DC",
//! "audit -> fix -> deny", "lower half = max-heap; O(log n)."), and the issue asks that a concise correct answer not
//! be penalised for being short; keyword stuffing and confident wrong claims can be written in notes too.
//!
//! `tests/fixtures/note-form/answers.json` holds, for 80 bank questions (ten per interview type), three answers in
//! note form written blind (see its README): `notes`, correct and strong; `stuffed`, the topic's vocabulary saying
//! nothing checkable; `wrong`, specific-sounding and wrong. Each style is scored as whole interviews (the type's
//! questions in runs of four, no judge) and answer by answer. The test prints the figures and holds them to their
//! measured floors and ceilings, so a change that trades one side for the other shows.
//!
//! `cargo test --test note_form -- --nocapture`; `PREPAI_SHOW_NOTES=1` lists the development half's scores answer by
//! answer, `PREPAI_SHOW_NOTES_REPORT=<style>` prints its reports.

use std::collections::BTreeMap;
use std::path::Path;

use prepai::domain::InterviewType;
use prepai::knowledge::QuestionBank;
use prepai::tools::performance_evaluator::{EvaluationInput, evaluate};
use serde_json::{Value, json};

#[derive(serde::Deserialize)]
struct Answers {
    notes: String,
    stuffed: String,
    wrong: String,
}

const STYLES: [&str; 3] = ["notes", "stuffed", "wrong"];

impl Answers {
    fn get(&self, style: &str) -> &str {
        match style {
            "notes" => &self.notes,
            "stuffed" => &self.stuffed,
            _ => &self.wrong,
        }
    }
}

/// An interview of `run`'s questions, each answered in `style`: the overall score and each answer's score by the
/// bank question it answers.
fn interview(
    kind: InterviewType,
    run: &[(&str, &Answers)],
    style: &str,
    bank: &QuestionBank,
    show: bool,
) -> (f64, Vec<(String, f64)>) {
    let mut history = Vec::new();
    for (question, answers) in run {
        history.push(json!({"role": "assistant", "content": question}));
        history.push(json!({"role": "user", "content": answers.get(style)}));
    }
    let input = EvaluationInput::from_json(&json!({
        "interviewType": kind.as_str(),
        "duration": 30,
        "conversationHistory": Value::Array(history),
    }))
    .expect("a valid interview");
    let report = evaluate(&input, bank);
    if show && std::env::var_os("PREPAI_SHOW_NOTES_REPORT").is_some_and(|v| v == style) {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
    }
    let answers = report
        .answers
        .iter()
        .filter_map(|a| a.question_id.clone().map(|id| (id, a.score)))
        .collect();
    (report.overall_score, answers)
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

/// What one half of the set scored.
#[derive(Default)]
struct Figures {
    /// Overall score of each interview, by style.
    overall: BTreeMap<&'static str, Vec<f64>>,
    /// Each answer's score by question id, by style.
    per_answer: BTreeMap<&'static str, BTreeMap<String, f64>>,
}

impl Figures {
    fn count(&self, style: &str, f: impl Fn(f64) -> bool) -> usize {
        self.overall[style].iter().filter(|s| f(**s)).count()
    }

    /// How often the strong notes outscore `style`'s answer to the same question.
    fn beaten(&self, style: &str) -> usize {
        self.per_answer["notes"]
            .iter()
            .filter(|(id, n)| self.per_answer[style].get(*id).is_some_and(|o| *n > o))
            .count()
    }

    fn print(&mut self, half: &str) {
        println!("{half}:");
        for style in STYLES {
            let scores = self.overall.get_mut(style).expect("every style scored");
            let n = scores.len();
            let med = median(scores);
            let (low, high) = (scores[0], scores[n - 1]);
            let mut each: Vec<f64> = self.per_answer[style].values().copied().collect();
            let answer_median = median(&mut each);
            println!(
                "  {style}: {n} interviews, overall median {med:.1} (lowest {low:.1}, highest {high:.1}); answers \
                 median {answer_median:.1}"
            );
        }
        let answers = self.per_answer["notes"].len();
        println!(
            "  strong notes under 7: {} of {}; stuffed interviews at 3 or more: {} of {}; wrong ones: {} of {}; \
             strong notes outscore the stuffed answer to the same question {} of {answers} times, the wrong one {} \
             of {answers}",
            self.count("notes", |s| s < 7.0),
            self.overall["notes"].len(),
            self.count("stuffed", |s| s >= 3.0),
            self.overall["stuffed"].len(),
            self.count("wrong", |s| s >= 3.0),
            self.overall["wrong"].len(),
            self.beaten("stuffed"),
            self.beaten("wrong"),
        );
    }
}

#[test]
fn notes_are_read_for_what_they_say() {
    let bank = QuestionBank::embedded();
    let answers: BTreeMap<String, Answers> = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/note-form/answers.json"),
        )
        .expect("the note-form answers"),
    )
    .expect("the note-form answers parse");
    // Each type's first five questions (in bank order) may be read to find what the scorer misreads; the last five
    // are only ever scored.
    let mut halves = [Figures::default(), Figures::default()];
    let show = std::env::var_os("PREPAI_SHOW_NOTES").is_some();
    for kind in InterviewType::ALL {
        let questions: Vec<(&str, &Answers)> = bank
            .questions
            .iter()
            .filter(|q| q.interview_type == kind)
            .filter_map(|q| answers.get(&q.id).map(|a| (q.text.as_str(), a)))
            .collect();
        assert_eq!(questions.len(), 10, "{}: ten questions", kind.as_str());
        for (index, (half, run)) in halves.iter_mut().zip(questions.chunks(5)).enumerate() {
            // Only the development half is ever shown answer by answer.
            let development = index == 0;
            for style in STYLES {
                let (score, each) = interview(kind, run, style, bank, development);
                half.overall.entry(style).or_default().push(score);
                if show && development {
                    println!("  {} {style}: {score:.1} {each:?}", kind.as_str());
                }
                for (id, score) in each {
                    half.per_answer.entry(style).or_default().insert(id, score);
                }
            }
        }
    }
    let [mut development, mut held_out] = halves;
    development.print("development half");
    held_out.print("held-out half");
    let mut failures = Vec::new();
    for (name, half, bounds) in [
        ("development", &development, DEVELOPMENT),
        ("held out", &held_out, HELD_OUT),
    ] {
        let mut notes = half.overall["notes"].clone();
        let notes_median = median(&mut notes);
        if notes_median < bounds.notes_median {
            failures.push(format!(
                "{name}: strong notes' median interview {notes_median:.1} (at least {:.1})",
                bounds.notes_median
            ));
        }
        let strong_under_7 = half.count("notes", |s| s < 7.0);
        let stuffed_at_3 = half.count("stuffed", |s| s >= 3.0);
        let (beats_stuffed, beats_wrong) = (half.beaten("stuffed"), half.beaten("wrong"));
        if strong_under_7 > bounds.strong_under_7 {
            failures.push(format!(
                "{name}: {strong_under_7} strong note interviews under 7 (at most {})",
                bounds.strong_under_7
            ));
        }
        if stuffed_at_3 > 0 {
            failures.push(format!(
                "{name}: {stuffed_at_3} stuffed interviews at 3 or more"
            ));
        }
        if beats_stuffed < bounds.beats_stuffed || beats_wrong < bounds.beats_wrong {
            failures.push(format!(
                "{name}: strong notes outscore stuffing {beats_stuffed} and wrong answers {beats_wrong} times (at \
                 least {} and {})",
                bounds.beats_stuffed, bounds.beats_wrong
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// What a half of the set is held to: its figures as measured, a ratchet that a change may raise, not lower.
#[derive(Clone, Copy)]
struct Bounds {
    /// Lowest median overall score of the strong notes' interviews.
    notes_median: f64,
    /// Most interviews of strong notes scoring under 7 (of 8).
    strong_under_7: usize,
    /// Fewest answers (of 40) where the strong notes outscore the stuffed answer to the same question.
    beats_stuffed: usize,
    /// Fewest answers (of 40) where the strong notes outscore the wrong answer to the same question.
    beats_wrong: usize,
}

/// Measured on 2026-12-07. With the code before note form's equals signs, counted heads and "w/" were read
/// (b26b999): strong-note interview medians 5.7 and 5.8, strong notes under 7 in 7 of 8 interviews in each half,
/// wrong notes beaten 26 and 31 times. With it: medians 6.1 and 6.4, 7 and 7 of 8, 30 and 31. Reading the items after
/// a note's semicolons as notes, a semicolon inside parentheses as an aside and a lone cost as the sentence before's
/// predicate lifted the strong notes further (5 of 8 under 7 held out) but let stuffing and wrong claims through
/// (a reviewer's "Hash table: …; the collision chaining linked list probing; …" went 0.9 → 6.7), so they were
/// withdrawn. Reading an answer's form with the claims the rubric credits in problem solving and communication too, as
/// technical knowledge already did (a note whose claims cover the rubric got its meaning across): medians 7.1 and
/// 7.3, 3 and 1 of 8 under 7, the stuffed and wrong notes unmoved. Confident wrong notes still score over 3 in most
/// interviews: telling them apart needs reading for meaning.
const DEVELOPMENT: Bounds = Bounds {
    notes_median: 7.1,
    strong_under_7: 3,
    beats_stuffed: 40,
    beats_wrong: 30,
};
const HELD_OUT: Bounds = Bounds {
    notes_median: 7.3,
    strong_under_7: 1,
    beats_stuffed: 40,
    beats_wrong: 31,
};
