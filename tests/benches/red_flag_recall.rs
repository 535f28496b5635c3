//! How much of a misconception said in a candidate's own words the bank's red flags catch: recall on sentences
//! written blind to assert each claim (`tests/fixtures/red-flag-recall/`), per interview type, beside the false
//! alarms on the bank's correct answers (`tests/fixtures/bank-answers/`). A figure to watch, not a gate: the
//! knowledge-bank tests gate what must hold.
//!
//! `cargo bench -p prepai-tests --bench red_flag_recall`

use std::collections::BTreeMap;
use std::path::Path;

use prepai::domain::InterviewType;
use prepai::knowledge::QuestionBank;
use prepai::tools::performance_evaluator::conversation::References;
use prepai::tools::performance_evaluator::misconceptions::asserted;
use prepai::tools::performance_evaluator::{EvaluationInput, evaluate};

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
    let mut false_alarms = (0, 0);
    for kind in InterviewType::ALL {
        // The misconceptions the evaluator checks in every answer of this type (its questions' and the coding
        // problems'), stemmed as it stems them.
        let references = References::new(bank, kind);
        let flags = references.type_red_flags();
        let fires = |sentence: &str| {
            flags
                .iter()
                .any(|(_, keys)| asserted(keys, sentence).is_some())
        };
        let (mut total, mut own, mut any) = (0, 0, 0);
        for question in bank.questions.iter().filter(|q| q.interview_type == kind) {
            let Some(claims) = held.get(&question.id) else {
                continue;
            };
            for (claim, sentences) in claims {
                let flag = question.red_flags.iter().find(|f| &f.claim == claim);
                let Some((_, keys)) =
                    flag.and_then(|flag| flags.iter().find(|(f, _)| std::ptr::eq(*f, flag)))
                else {
                    println!("  (no red flag {claim:?} on {})", question.id);
                    continue;
                };
                for sentence in sentences {
                    total += 1;
                    own += usize::from(asserted(keys, sentence).is_some());
                    any += usize::from(fires(sentence));
                }
            }
        }
        if total > 0 {
            println!("| {} | {total} | {own} | {any} |", kind.as_str());
        }
        all += total;
        own_all += own;
        any_all += any;

        let path = fixtures().join("bank-answers").join(format!(
            "{}.json",
            kind.as_str().to_lowercase().replace(' ', "-")
        ));
        if let Ok(text) = std::fs::read_to_string(&path) {
            let said: BTreeMap<String, SaidAbout> =
                serde_json::from_str(&text).expect("bank answers parse");
            for answer in said.values().flat_map(|s| &s.correct) {
                false_alarms.0 += usize::from(fires(answer));
                false_alarms.1 += 1;
            }
        }
    }
    let share = |n: usize| 100.0 * n as f64 / all.max(1) as f64;
    println!(
        "| all | {all} | {own_all} ({:.1} %) | {any_all} ({:.1} %) |",
        share(own_all),
        share(any_all)
    );

    println!(
        "\nfalse alarms: {} of {} correct answers fire a red flag of their type",
        false_alarms.0, false_alarms.1
    );
    blind_correct_answers(bank);
    frames(bank);
}

/// The stance reading on pairs written blind (`red-flag-frames/*.json`): how many correct rebuttals fire a red flag
/// of their type (false alarms against experts), and how many traps still fire the flag they assert (a rejecting
/// word must not hide a claim). `PREPAI_SHOW_FRAMES=1` prints each miss.
fn frames(bank: &QuestionBank) {
    let show = std::env::var_os("PREPAI_SHOW_FRAMES").is_some();
    let pairs = prepai_tests::red_flag_frames::frames();
    let (mut total, mut alarms, mut caught) = (0, 0, 0);
    for kind in InterviewType::ALL {
        let references = References::new(bank, kind);
        let flags = references.type_red_flags();
        for question in bank.questions.iter().filter(|q| q.interview_type == kind) {
            let Some(pair) = pairs.get(&question.id) else {
                continue;
            };
            total += 1;
            if let Some((flag, sentence)) = flags
                .iter()
                .find_map(|(f, keys)| asserted(keys, &pair.rebuttal).map(|s| (f, s)))
            {
                alarms += 1;
                if show {
                    println!(
                        "  false alarm {} {:?} on {sentence:?}",
                        question.id, flag.claim
                    );
                }
            }
            let own = question
                .red_flags
                .iter()
                .find(|f| f.claim == pair.asserts)
                .and_then(|flag| flags.iter().find(|(f, _)| std::ptr::eq(*f, flag)));
            match own {
                Some((_, keys)) if asserted(keys, &pair.trap).is_some() => caught += 1,
                _ if show => println!("  trap missed {}: {:?}", question.id, pair.trap),
                _ => {}
            }
        }
    }
    println!(
        "\nrejecting frames written blind: {alarms} of {total} correct rebuttals fire a red flag; \
         {caught} of {total} traps (the flag's phrase in rejecting-sounding words) fire their flag"
    );
}

/// Question id → a correct answer in plain words, and one that names the question's misconceptions to reject them.
#[derive(serde::Deserialize)]
struct Correct {
    plain: String,
    rebuttal: String,
}

/// False alarms on correct answers written blind (`red-flag-recall/blind-correct-answers.json`): a plain answer and
/// a rebuttal per question — the rebuttals say each misconception's words in order to reject it, which is where a
/// matcher that misses a negation fires. Every hit is printed with the sentence that fired it.
fn blind_correct_answers(bank: &QuestionBank) {
    let answers: BTreeMap<String, Correct> = serde_json::from_str(
        &std::fs::read_to_string(fixtures().join("red-flag-recall/blind-correct-answers.json"))
            .expect("the blind correct answers"),
    )
    .expect("the blind correct answers parse");
    let mut fired = (0, 0);
    let mut total = 0;
    for kind in InterviewType::ALL {
        let references = References::new(bank, kind);
        let flags = references.type_red_flags();
        for question in bank.questions.iter().filter(|q| q.interview_type == kind) {
            let Some(correct) = answers.get(&question.id) else {
                continue;
            };
            total += 1;
            for (rebuttal, answer) in [(false, &correct.plain), (true, &correct.rebuttal)] {
                let hits: Vec<(&str, String)> = flags
                    .iter()
                    .filter_map(|(flag, keys)| {
                        asserted(keys, answer).map(|s| (flag.claim.as_str(), s))
                    })
                    .collect();
                if !hits.is_empty() {
                    if rebuttal {
                        fired.1 += 1;
                    } else {
                        fired.0 += 1;
                    }
                }
                for (claim, sentence) in hits {
                    println!(
                        "  {} ({}): {claim:?} on {sentence:?}",
                        question.id,
                        if rebuttal { "rebuttal" } else { "plain" }
                    );
                }
            }
        }
    }
    println!(
        "false alarms on correct answers written blind: {} of {total} plain answers, {} of {total} rebuttals",
        fired.0, fired.1
    );
    interviews_of_correct_answers(bank, &answers);
}

/// What false alarms cost a whole interview: each interview type's bank questions in runs of four, answered with
/// the blind correct answers, evaluated without a judge. Counts the interviews whose overall the misconception caps
/// lowered (two → 4.5; three, or half the technical answers → 2.5): each one is a strong candidate marked down. Also
/// prints the overall scores these interviews of correct answers get (the lowest, the median, how many fall below
/// 7: a strong interview's target); `PREPAI_SHOW_LOW=1` lists each one below 7 with its metrics.
fn interviews_of_correct_answers(bank: &QuestionBank, answers: &BTreeMap<String, Correct>) {
    println!("\ninterviews of four correct answers capped for misconceptions:");
    for style in ["plain", "rebuttal"] {
        let (mut capped, mut total) = (0, 0);
        let mut overall = Vec::new();
        let mut shares = Vec::new();
        let mut flagged = 0;
        for kind in InterviewType::ALL {
            let questions: Vec<_> = bank
                .questions
                .iter()
                .filter(|q| q.interview_type == kind && answers.contains_key(&q.id))
                .collect();
            for run in questions.chunks(4) {
                let mut history = Vec::new();
                for q in run {
                    let correct = &answers[&q.id];
                    let answer = if style == "plain" {
                        &correct.plain
                    } else {
                        &correct.rebuttal
                    };
                    history.push(serde_json::json!({"role": "assistant", "content": q.text}));
                    history.push(serde_json::json!({"role": "user", "content": answer}));
                }
                let input = EvaluationInput::from_json(&serde_json::json!({
                    "interviewType": kind.as_str(),
                    "duration": 30,
                    "conversationHistory": history,
                }))
                .expect("a valid interview");
                let report = evaluate(&input, bank);
                total += 1;
                overall.push((report.overall_score, kind.as_str()));
                flagged += usize::from(!report.integrity.is_empty());
                for flag in &report.integrity {
                    println!(
                        "  integrity flag on a correct {style} interview ({}): {}",
                        kind.as_str(),
                        serde_json::to_string(flag).unwrap_or_default()
                    );
                }
                for answer in report.answers.iter().filter(|a| a.question_id.is_some()) {
                    let total = answer.key_points_credited.len() + answer.key_points_missed.len();
                    if total > 0 {
                        shares.push(answer.key_points_credited.len() as f64 / total as f64);
                    }
                }
                if std::env::var_os("PREPAI_SHOW_LOW").is_some() && report.overall_score < 7.0 {
                    let ids: Vec<&str> = run.iter().map(|q| q.id.as_str()).collect();
                    println!(
                        "  LOW {style} {:.1} {:?} {}",
                        report.overall_score,
                        ids,
                        serde_json::to_string(&report.scores).unwrap_or_default()
                    );
                    for e in report.evidence.technical_knowledge.evidence.iter() {
                        println!("     tech {:?} {:?}", e.score, e.reasons);
                    }
                }
                if report.recommendation_reason.contains("misconception") {
                    capped += 1;
                    println!(
                        "  {} {style}: {}",
                        kind.as_str(),
                        report.recommendation_reason
                    );
                }
            }
        }
        println!("{style}: {capped} of {total} interviews capped");
        println!(
            "{style}: {flagged} of {total} interviews with an integrity flag (reuse, parroting, injection, off topic)"
        );
        overall.sort_by(|a, b| a.0.total_cmp(&b.0));
        if let (Some(low), Some(median)) = (overall.first(), overall.get(overall.len() / 2)) {
            let mean = overall.iter().map(|o| o.0).sum::<f64>() / overall.len() as f64;
            let below = overall.iter().filter(|o| o.0 < 7.0).count();
            shares.sort_by(f64::total_cmp);
            if let (Some(quarter), Some(median)) =
                (shares.get(shares.len() / 4), shares.get(shares.len() / 2))
            {
                println!(
                    "{style}: share of a bank question's key points credited: lower quartile {:.0}%, median {:.0}%, over {} answers",
                    quarter * 100.0,
                    median * 100.0,
                    shares.len()
                );
            }
            println!(
                "{style}: overall (no judge) lowest {:.1} ({}), median {:.1}, mean {mean:.1}; {below} of {total} below 7",
                low.0, low.1, median.0
            );
        }
    }
}
