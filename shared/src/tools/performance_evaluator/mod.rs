//! The performance evaluator tool: a grounded, explainable end-of-interview report.
//!
//! The original evaluator scored answer length and keyword counts, so a string of buzzwords did well and an empty
//! interview got a neutral 5. This one scores only what the transcript and the code runs show, and says which
//! answer or submission moved each score and why.
//!
//! # Method (`grounded-v2`)
//! 1. **Exchanges.** The conversation becomes question → answer pairs ([`conversation`]), read by the marks the
//!    interviewer puts on its messages: remarks, test results and welcome-backs are not questions, follow-ups count
//!    for their question, a clarifying question from the candidate is not the answer; an unanswered question is an
//!    answer of zero. A question is recognised as a bank question by its text (or retrieval, for paraphrases) and
//!    is then scored against the bank's key points, credited only where a sentence claims them ([`claims`]), with
//!    red flags cancelling them; reuse, parroting and text addressed to the grader are found by [`integrity`].
//!    An optional judge ([`judging`], [`evaluate_with`]) grades technical answers within the rubric's caps.
//! 2. **Per answer** ([`scoring`]): a *form* factor (no answer 0, gibberish 0.05, under four words 0.2, otherwise
//!    0.1–1 by the share of words in real sentences, less for repetition; for technical knowledge, problem solving
//!    and communication at least the share of the rubric its claim clauses cover) and a *relevance* (bank key
//!    points covered, or the question's own terms and the interview type's vocabulary) gate every metric.
//!    - technical knowledge (technical questions): coverage (full at [`scoring::COVERAGE_FULL_AT`] of the key
//!      points)/relevance, reasons and trade-offs, specifics (numbers,
//!      Big-O, examples, named mechanisms), hedging ("I don't know" in a short answer scores 0);
//!    - problem solving: approach, trade-offs, edge cases, complexity discussed; and per coding problem the test
//!      pass rates over the attempts (last attempt 75 %, mean of attempts 25 %); talk and code weigh half each;
//!    - communication (every question): structure, sentence length, length for the kind of question,
//!      responsiveness, filler words per 100 words, and pace (110–170 words per minute) when spoken;
//!    - code quality: per problem, from graded runs only (the server's hidden tests; scratch runs never count),
//!      the executor's quality score scaled by the pass rate; a posed problem never solved scores 0;
//!    - cultural fit (behavioral questions): STAR parts, ownership ("I" vs "we"), a measurable result, reflection.
//! 3. **Metric scores** are the mean of their items; communication is then held to at most
//!    [`COMMUNICATION_ABOVE_SUBSTANCE`] above the substance metrics (technical knowledge, problem solving,
//!    cultural fit), since fluent delivery of little is not strong communication. A metric with no item at all (no code in a behavioral
//!    interview, no behavioral question in a coding one) is *not assessed*: its score is `null` and its weight is
//!    spread over the assessed metrics in proportion to theirs. The overall score is the weighted mean of the
//!    assessed metrics with the seed's weights 30 / 25 / 20 / 15 / 10; with nothing assessed it is 0.
//! 4. **Recommendation** by the overall score: `STRONG_HIRE` ≥ 8.5, `HIRE` ≥ 7.0, `LEAN_HIRE` ≥ 5.5,
//!    `LEAN_NO_HIRE` ≥ 4.0, else `NO_HIRE`; capped at `LEAN_HIRE` when there are fewer than three substantive
//!    answers, with or without code (see [`Recommendation`]); misconceptions and injection cap the overall.
//!
//! Work is linear in the transcript: at most [`input::MAX_MESSAGES`] messages and
//! [`language::MAX_ANALYSED_WORDS`] words per answer are examined, and each report lists at most
//! [`MAX_EVIDENCE_PER_METRIC`] evidence items per metric (the lowest and highest scoring). Scores are clamped to
//! 0–10 and never NaN.

pub mod claims;
mod continuation;
pub mod conversation;
pub mod input;
pub mod integrity;
pub mod judging;
pub mod language;
pub mod misconceptions;
pub mod report;
pub mod scoring;
mod stance;
mod vocabulary;

use std::collections::BTreeMap;

use serde_json::Value;

pub use input::{
    CodeSubmission, Delivery, DurationSeconds, EvaluationInput, MAX_MESSAGES, Message,
    QualityMetrics, Speaker, TestTally,
};
pub use report::{
    AnswerReview, Assessments, CreditedPoint, Evidence, EvidenceSource, MIN_ANSWERS_FOR_HIRE,
    Metric, MetricAssessment, PerformanceReport, Recommendation, RedFlagHit, ReportMetrics, Scores,
};

use conversation::{Dialogue, ExchangeKind, References};
use integrity::IntegrityFlag;
use scoring::{Judged, Profile, Vocabulary, answer_evidence, clamp10, join, plural};

use crate::knowledge::QuestionBank;
use crate::tools::ToolError;
use judging::{JudgeRequest, JudgeRubric, JudgeVerdict};

/// The method name stored in every report.
pub const METHOD: &str = "grounded-v2";

/// The highest overall score with two misconceptions asserted (below LEAN_HIRE): a candidate who is confidently
/// wrong twice has not shown the knowledge the role needs, however fluent.
pub const MISCONCEPTIONS_CAP_2: f64 = 4.5;

/// The highest overall score with three or more misconceptions asserted, or with misconceptions in two or more
/// technical answers that are at least half of them: the grading scale's "mostly wrong" (1.5–3), whatever the
/// delivery.
pub const MISCONCEPTIONS_CAP_3: f64 = 2.5;

/// The highest overall score an interview with an answer addressed to the grader can have.
pub const INJECTION_CAP: f64 = 1.0;

/// The most evidence items a report lists per metric; beyond it, the lowest and highest scoring half each.
pub const MAX_EVIDENCE_PER_METRIC: usize = 10;

/// Whether the interview's technical content is mostly wrong: two or more technical answers assert a misconception
/// that counts (see [`Profile::confident_misconceptions`]), and they are at least half of the technical answers that
/// say anything (ten words or more, not void).
fn mostly_wrong(profiles: &[Profile<'_, '_>]) -> bool {
    let answered: Vec<&Profile<'_, '_>> = profiles
        .iter()
        .filter(|p| {
            p.exchange.kind == ExchangeKind::Technical
                && p.text.total_words >= 10
                && !p.disqualified()
        })
        .collect();
    let wrong = answered
        .iter()
        .filter(|p| p.confident_misconceptions() > 0)
        .count();
    wrong >= 2 && wrong * 2 >= answered.len()
}

/// The tool's entry: the seed's input (any of the three event forms, already unwrapped) in, the report with
/// `success: true` out. Evaluation runs on the blocking pool: it is CPU work, linear in the transcript.
pub async fn run(args: Value) -> Result<Value, ToolError> {
    let input = EvaluationInput::from_json(&args)?;
    let report = tokio::task::spawn_blocking(move || evaluate(&input, QuestionBank::embedded()))
        .await
        .map_err(|e| ToolError {
            code: "internal",
            message: format!("the evaluation did not finish: {e}"),
        })?;
    let mut value = serde_json::to_value(&report).map_err(|e| ToolError {
        code: "internal",
        message: format!("the report did not serialise: {e}"),
    })?;
    if let Value::Object(map) = &mut value {
        map.insert("success".into(), Value::Bool(true));
    }
    Ok(value)
}

/// What a judge said about one answer, by the answer's place among the interview's exchanges.
#[derive(Clone, Debug, PartialEq)]
pub enum JudgeOutcome {
    /// The judge graded it.
    Graded(JudgeVerdict),
    /// The judge failed (timeout, malformed answer, unavailable); the rubric's score stands.
    Failed(String),
}

/// The answers a judge should grade: each technical answer, with its question (follow-ups included), the bank's
/// rubric when the question is one of ours, and the answer as data. Keyed by exchange, as [`evaluate_with`] reads
/// the verdicts.
pub fn judge_requests(input: &EvaluationInput, bank: &QuestionBank) -> Vec<(usize, JudgeRequest)> {
    let references = References::new(bank, input.interview_type).with_posed(&input.posed_problems);
    let dialogue = Dialogue::build(&input.conversation, &references, input.interview_type);
    dialogue
        .exchanges
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind == ExchangeKind::Technical)
        .filter_map(|(i, e)| {
            let prompt = e.prompt.as_ref()?;
            let answer = e
                .reply
                .as_ref()
                .filter(|r| r.text.split_whitespace().count() >= MIN_JUDGED_WORDS)?;
            let mut question = prompt.text.clone();
            for f in &e.follow_ups {
                question.push('\n');
                question.push_str(f);
            }
            Some((
                i,
                JudgeRequest {
                    interview_type: input.interview_type,
                    question,
                    rubric: e.reference.map(|r| JudgeRubric {
                        key_points: r.key_points.iter().map(|k| k.point.clone()).collect(),
                        red_flags: r.red_flags.iter().map(|f| f.claim.clone()).collect(),
                    }),
                    answer: answer.text.chars().take(MAX_JUDGED_CHARS).collect(),
                },
            ))
        })
        .collect()
}

/// Answers shorter than this (in words) are not sent to a judge: there is nothing in them to grade.
pub const MIN_JUDGED_WORDS: usize = 5;

/// The longest answer text sent to a judge.
pub const MAX_JUDGED_CHARS: usize = 6_000;

/// Scores an interview without a judge. Pure: the same input and bank give the same report.
pub fn evaluate(input: &EvaluationInput, bank: &QuestionBank) -> PerformanceReport {
    evaluate_with(input, bank, &BTreeMap::new())
}

/// Scores an interview, taking a judge's verdicts on its answers (by exchange, see [`judge_requests`]) within the
/// bounds the deterministic guard sets.
pub fn evaluate_with(
    input: &EvaluationInput,
    bank: &QuestionBank,
    verdicts: &BTreeMap<usize, JudgeOutcome>,
) -> PerformanceReport {
    let references = References::new(bank, input.interview_type).with_posed(&input.posed_problems);
    let vocabulary = Vocabulary::new(input.interview_type, references.type_keywords());
    let dialogue = Dialogue::build(&input.conversation, &references, input.interview_type);
    let type_flags = references.type_red_flags();
    let mut profiles: Vec<Profile<'_, '_>> = dialogue
        .exchanges
        .iter()
        .map(|e| Profile::new(e, &vocabulary, &type_flags))
        .collect();
    // The same answer (or a near copy) to several questions counts once: later copies are void.
    let replies: Vec<&str> = dialogue
        .exchanges
        .iter()
        .map(|e| e.reply.as_ref().map_or("", |r| r.text.as_str()))
        .collect();
    for (later, earlier) in integrity::near_copies(&replies).into_iter().enumerate() {
        if let Some(earlier) = earlier {
            let question = dialogue.exchanges[earlier]
                .prompt
                .as_ref()
                .map(|p| scoring::excerpt(&p.text, 80))
                .unwrap_or_default();
            profiles[later].integrity.push(IntegrityFlag::ReusedAnswer {
                same_as_question: question,
            });
            profiles[later].relevance = 0.0;
        }
    }
    for p in &mut profiles {
        if p.integrity.is_empty()
            && p.text.total_words >= 10
            && p.relevance < 0.15
            && !p.names_topic
        {
            p.integrity.push(IntegrityFlag::OffTopic);
        }
    }

    let mut items: BTreeMap<Metric, Vec<(Evidence, Judged)>> = BTreeMap::new();
    let mut talk: Vec<(Evidence, Judged)> = Vec::new();
    let mut main_scores: Vec<(f64, Vec<String>)> = Vec::new();
    for (exchange, p) in profiles.iter().enumerate() {
        let judged = scoring::communication(p);
        items
            .entry(Metric::Communication)
            .or_default()
            .push((answer_evidence(p, &judged), judged));
        match p.exchange.kind {
            ExchangeKind::Technical => {
                let judged = scoring::technical(p, input.interview_type, verdicts.get(&exchange));
                main_scores.push((judged.score, judged.reasons.clone()));
                items
                    .entry(Metric::TechnicalKnowledge)
                    .or_default()
                    .push((answer_evidence(p, &judged), judged));
                // Problem solving is shown in design questions and in talk about a coding problem; a knowledge
                // question ("what is the difference between…") does not ask for an approach or trade-offs.
                if p.exchange.expects_design
                    || p.exchange.reference.is_some_and(|r| r.is_coding_problem())
                {
                    let judged = scoring::problem_solving(p);
                    talk.push((answer_evidence(p, &judged), judged));
                }
            }
            ExchangeKind::Behavioral => {
                let judged = scoring::cultural_fit(p);
                main_scores.push((judged.score, judged.reasons.clone()));
                items
                    .entry(Metric::CulturalFit)
                    .or_default()
                    .push((answer_evidence(p, &judged), judged));
            }
        }
    }
    let code_items = scoring::code_items(input, bank);
    let code = code_items.problem_solving;
    if !code_items.quality.is_empty() {
        items.insert(Metric::CodeQuality, code_items.quality);
    }

    let mut scores = Scores::default();
    for metric in Metric::ALL {
        let score = match metric {
            Metric::ProblemSolving => match (mean(&talk), mean(&code)) {
                (Some(t), Some(c)) => Some(0.5 * t + 0.5 * c),
                (t, c) => t.or(c),
            },
            other => items.get(&other).and_then(|list| mean(list)),
        };
        scores.set(metric, score.map(clamp10));
    }
    let mut problem_items = talk;
    problem_items.extend(code);
    items.insert(Metric::ProblemSolving, problem_items);
    let communication_bound = bound_communication(&mut scores);

    let assessed_weight: f64 = Metric::ALL
        .iter()
        .filter(|m| scores.get(**m).is_some())
        .map(|m| m.weight())
        .sum();
    let overall = if assessed_weight > 0.0 {
        Metric::ALL
            .iter()
            .filter_map(|m| scores.get(*m).map(|s| s * m.weight()))
            .sum::<f64>()
            / assessed_weight
    } else {
        0.0
    };
    let mut integrity_flags: Vec<IntegrityFlag> = Vec::new();
    for p in &profiles {
        for f in &p.integrity {
            if !integrity_flags.contains(f) {
                integrity_flags.push(f.clone());
            }
        }
    }
    integrity_flags.extend(code_items.flags);
    integrity_flags.truncate(MAX_INTEGRITY_FLAGS);
    let injected = integrity_flags
        .iter()
        .any(|f| matches!(f, IntegrityFlag::PromptInjection { .. }));
    let misconceptions: usize = profiles.iter().map(Profile::confident_misconceptions).sum();
    let mostly_wrong = mostly_wrong(&profiles);
    let overall = if injected {
        overall.min(INJECTION_CAP)
    } else if misconceptions >= 3 || mostly_wrong {
        overall.min(MISCONCEPTIONS_CAP_3)
    } else if misconceptions == 2 {
        overall.min(MISCONCEPTIONS_CAP_2)
    } else {
        overall
    };
    let overall = round1(clamp10(overall));

    let metrics = report_metrics(input, &dialogue, &profiles);
    let substantive = profiles
        .iter()
        .filter(|p| {
            p.exchange.prompt.is_some()
                && p.text.total_words >= 10
                && !p.disqualified()
                && p.relevance >= 0.2
        })
        .count();
    let banded = Recommendation::for_score(overall);
    let thin = substantive < MIN_ANSWERS_FOR_HIRE
        && matches!(banded, Recommendation::StrongHire | Recommendation::Hire);
    let recommendation = if injected {
        Recommendation::NoHire
    } else if thin {
        Recommendation::LeanHire
    } else {
        banded
    };
    let mut recommendation_reason = format!(
        "overall {overall:.1}/10 is in the {} band ({})",
        banded.as_str(),
        band_range(banded)
    );
    if injected {
        recommendation_reason.push_str(
            "; NO_HIRE because an answer addresses the grader instead of the interviewer",
        );
    } else if mostly_wrong && misconceptions < 3 {
        recommendation_reason.push_str(&format!(
            "; overall capped at {MISCONCEPTIONS_CAP_3:.1} because at least half of the technical answers assert a common misconception"
        ));
    } else if misconceptions >= 2 {
        recommendation_reason.push_str(&format!(
            "; overall capped at {:.1} because {misconceptions} common misconceptions were asserted",
            if misconceptions >= 3 {
                MISCONCEPTIONS_CAP_3
            } else {
                MISCONCEPTIONS_CAP_2
            }
        ));
    } else if thin {
        recommendation_reason.push_str(&format!(
            "; capped at LEAN_HIRE because only {} substantive {} — too little evidence for a hire, with or without code",
            substantive,
            if substantive == 1 { "answer" } else { "answers" }
        ));
    }

    let mut assessments = build_assessments(&scores, &items, assessed_weight, &profiles, input);
    if let Some(bound) = communication_bound {
        assessments.communication.summary.push_str(&format!(
            "; held at {bound:.1}, {COMMUNICATION_ABOVE_SUBSTANCE:.0} above the substance it carried (technical knowledge, problem solving, cultural fit)"
        ));
    }
    let not_assessed: Vec<Metric> = Metric::ALL
        .into_iter()
        .filter(|m| scores.get(*m).is_none())
        .collect();
    let strengths = strengths(&scores, &items);
    let mut improvements = improvements(&scores, &items);
    if assessed_weight == 0.0 {
        improvements.push(
            "Nothing could be assessed: the candidate answered no question and submitted no code"
                .to_owned(),
        );
    }
    let detailed_feedback = detailed_feedback(overall, recommendation, &assessments, &metrics);
    let reviews = answer_reviews(&profiles, &main_scores);
    let mut rounded = Scores::default();
    for m in Metric::ALL {
        rounded.set(m, scores.get(m).map(round1));
    }
    PerformanceReport {
        session_id: input.session_id.clone(),
        candidate_name: input.candidate_name.as_ref().map(|n| n.to_string()),
        interview_type: input.interview_type,
        overall_score: overall,
        scores: rounded,
        strengths,
        improvements,
        recommendation,
        recommendation_reason,
        detailed_feedback,
        evidence: assessments,
        not_assessed,
        metrics,
        answers: reviews,
        integrity: integrity_flags,
        method: METHOD.to_owned(),
    }
}

/// How far communication may score above the substance it carried (the weighted mean of technical knowledge,
/// problem solving and cultural fit). Fluent delivery of buzzwords, a stuffed paragraph or a wrong answer is not
/// strong communication: an interviewer rates how clearly the candidate conveyed what they know, and these conveyed
/// little. Measured on the adversarial and held-out sets and on interviews of blind correct answers: 3 lowered
/// fluent attacks without lowering the correct answers.
pub const COMMUNICATION_ABOVE_SUBSTANCE: f64 = 3.0;

/// Holds communication to at most [`COMMUNICATION_ABOVE_SUBSTANCE`] above the substance metrics; returns the bound
/// when it lowered the score, for the report.
fn bound_communication(scores: &mut Scores) -> Option<f64> {
    let substance = [
        Metric::TechnicalKnowledge,
        Metric::ProblemSolving,
        Metric::CulturalFit,
    ];
    let (weighted, weight) = substance
        .iter()
        .filter_map(|m| scores.get(*m).map(|s| (s * m.weight(), m.weight())))
        .fold((0.0, 0.0), |(a, b), (s, w)| (a + s, b + w));
    let communication = scores.get(Metric::Communication)?;
    if weight == 0.0 {
        return None;
    }
    let bound = weighted / weight + COMMUNICATION_ABOVE_SUBSTANCE;
    (communication > bound).then(|| {
        scores.set(Metric::Communication, Some(bound));
        bound
    })
}

/// The most answers a report reviews one by one (a 60-minute interview has about twenty); the metrics still
/// cover every answer.
pub const MAX_ANSWER_REVIEWS: usize = 60;

/// The most integrity flags a report lists.
pub const MAX_INTEGRITY_FLAGS: usize = 20;

/// Each scored answer under its question, for the report.
fn answer_reviews(
    profiles: &[Profile<'_, '_>],
    scores: &[(f64, Vec<String>)],
) -> Vec<AnswerReview> {
    profiles
        .iter()
        .zip(scores)
        .take(MAX_ANSWER_REVIEWS)
        .filter_map(|(p, (score, notes))| {
            let e = p.exchange;
            let prompt = e.prompt.as_ref()?;
            let (credited, missed, flags) = match (e.reference, &p.credit) {
                (Some(r), Some(c)) => (
                    c.covered
                        .iter()
                        .map(|(i, sentence)| CreditedPoint {
                            point: r.key_points[*i].point.clone(),
                            sentence: scoring::excerpt(sentence, 200),
                            hinted: c.hinted.contains(i),
                        })
                        .collect(),
                    c.missed
                        .iter()
                        .map(|i| r.key_points[*i].point.clone())
                        .collect(),
                    c.red_flags
                        .iter()
                        .map(|(i, sentence)| RedFlagHit {
                            claim: r.red_flags[*i].claim.clone(),
                            sentence: scoring::excerpt(sentence, 200),
                        })
                        .collect::<Vec<_>>(),
                ),
                _ => (Vec::new(), Vec::new(), Vec::new()),
            };
            let mut red_flags = flags;
            red_flags.extend(
                p.other_red_flags
                    .iter()
                    .map(|(claim, sentence)| RedFlagHit {
                        claim: claim.clone(),
                        sentence: scoring::excerpt(sentence, 200),
                    }),
            );
            Some(AnswerReview {
                question: scoring::excerpt(scoring::question_line(&prompt.text), 300),
                question_id: e.reference.map(|r| r.id.to_owned()),
                follow_ups: e
                    .follow_ups
                    .iter()
                    .map(|f| scoring::excerpt(f, 200))
                    .collect(),
                answer: e
                    .reply
                    .as_ref()
                    .map(|r| scoring::excerpt(&r.text, 400))
                    .unwrap_or_default(),
                kind: match e.kind {
                    ExchangeKind::Technical => "technical",
                    ExchangeKind::Behavioral => "behavioral",
                }
                .to_owned(),
                score: round1(*score),
                notes: notes.clone(),
                confidence: match e.match_kind {
                    _ if notes.iter().any(|n| n.starts_with("judge: ")) => "judge",
                    Some(conversation::MatchKind::Exact) => "rubric",
                    Some(conversation::MatchKind::Nearest) => "nearest",
                    None if e.kind == ExchangeKind::Behavioral => "star",
                    None => "low",
                }
                .to_owned(),
                key_points_credited: credited,
                key_points_missed: missed,
                red_flags,
                integrity: p.integrity.clone(),
            })
        })
        .collect()
}

fn mean(list: &[(Evidence, Judged)]) -> Option<f64> {
    (!list.is_empty()).then(|| list.iter().map(|(_, j)| j.score).sum::<f64>() / list.len() as f64)
}

/// One decimal, as the seed shows scores.
fn round1(x: f64) -> f64 {
    (clamp10(x) * 10.0).round() / 10.0
}

fn band_range(r: Recommendation) -> &'static str {
    match r {
        Recommendation::StrongHire => "8.5 and above",
        Recommendation::Hire => "7.0 to 8.5",
        Recommendation::LeanHire => "5.5 to 7.0",
        Recommendation::LeanNoHire => "4.0 to 5.5",
        Recommendation::NoHire => "below 4.0",
    }
}

fn report_metrics(
    input: &EvaluationInput,
    dialogue: &Dialogue<'_>,
    profiles: &[Profile<'_, '_>],
) -> ReportMetrics {
    let asked: Vec<&Profile<'_, '_>> = profiles
        .iter()
        .filter(|p| p.exchange.prompt.is_some())
        .collect();
    let answered = asked.iter().filter(|p| p.text.total_words > 0).count();
    let delays: Vec<f64> = dialogue
        .exchanges
        .iter()
        .filter_map(|e| {
            let asked_at = e.prompt.as_ref()?.asked_at?;
            let started = e.reply.as_ref()?.started_at?;
            let seconds = (started - asked_at).num_milliseconds() as f64 / 1000.0;
            (0.0..3600.0).contains(&seconds).then_some(seconds)
        })
        .collect();
    let words: usize = profiles.iter().map(|p| p.text.total_words).sum();
    let fillers: usize = profiles.iter().map(|p| p.fillers).sum();
    let (spoken_words, wpm_sum) = profiles
        .iter()
        .filter_map(|p| Some((p.text.total_words as f64, p.exchange.reply.as_ref()?.wpm?)))
        .fold((0.0, 0.0), |(n, s), (w, wpm)| (n + w, s + w * wpm));
    let span = {
        let times: Vec<_> = input
            .conversation
            .iter()
            .filter_map(|m| m.timestamp)
            .collect();
        match (times.iter().min(), times.iter().max()) {
            (Some(a), Some(b)) => Some((*b - *a).num_milliseconds() as f64 / 1000.0),
            _ => None,
        }
    };
    ReportMetrics {
        questions_asked: asked.len(),
        answers_given: answered,
        unanswered_questions: asked.len() - answered,
        candidate_messages: dialogue.candidate_messages,
        code_submissions: input.code_submissions.len(),
        average_response_time_seconds: (!delays.is_empty())
            .then(|| round2(delays.iter().sum::<f64>() / delays.len() as f64)),
        duration_seconds: input.duration.map(|d| d.seconds()).or(span),
        candidate_words: words,
        filler_words_per_100_words: (words > 0)
            .then(|| round2(fillers as f64 * 100.0 / words as f64)),
        average_words_per_minute: (spoken_words > 0.0).then(|| round2(wpm_sum / spoken_words)),
        bank_questions_matched: dialogue
            .exchanges
            .iter()
            .filter(|e| e.reference.is_some())
            .count(),
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn build_assessments(
    scores: &Scores,
    items: &BTreeMap<Metric, Vec<(Evidence, Judged)>>,
    assessed_weight: f64,
    profiles: &[Profile<'_, '_>],
    input: &EvaluationInput,
) -> Assessments {
    let assess = |metric: Metric| {
        let list = items.get(&metric).map(Vec::as_slice).unwrap_or_default();
        let score = scores.get(metric);
        MetricAssessment {
            assessed: score.is_some(),
            score: score.map(round1),
            weight: metric.weight(),
            effective_weight: match score {
                Some(_) if assessed_weight > 0.0 => round4(metric.weight() / assessed_weight),
                _ => 0.0,
            },
            summary: summary(metric, list, profiles, input),
            evidence: select_evidence(list),
            evidence_count: list.len(),
        }
    };
    Assessments {
        technical_knowledge: assess(Metric::TechnicalKnowledge),
        problem_solving: assess(Metric::ProblemSolving),
        communication: assess(Metric::Communication),
        code_quality: assess(Metric::CodeQuality),
        cultural_fit: assess(Metric::CulturalFit),
    }
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// All items when few; else the lowest and highest scoring halves, kept in interview order.
fn select_evidence(list: &[(Evidence, Judged)]) -> Vec<Evidence> {
    let mut order: Vec<usize> = (0..list.len()).collect();
    if list.len() > MAX_EVIDENCE_PER_METRIC {
        order.sort_by(|a, b| list[*a].1.score.total_cmp(&list[*b].1.score).then(a.cmp(b)));
        let half = MAX_EVIDENCE_PER_METRIC / 2;
        let mut keep: Vec<usize> = order[..half].to_vec();
        keep.extend_from_slice(&order[order.len() - half..]);
        keep.sort_unstable();
        order = keep;
    }
    order
        .into_iter()
        .map(|i| {
            let mut e = list[i].0.clone();
            e.score = round1(e.score);
            e
        })
        .collect()
}

/// One sentence on what a metric rests on, or why it was not assessed.
fn summary(
    metric: Metric,
    list: &[(Evidence, Judged)],
    profiles: &[Profile<'_, '_>],
    input: &EvaluationInput,
) -> String {
    let answers_of =
        |kind: ExchangeKind| profiles.iter().filter(|p| p.exchange.kind == kind).count();
    let technical = answers_of(ExchangeKind::Technical);
    let behavioral = answers_of(ExchangeKind::Behavioral);
    let unanswered = |kind: ExchangeKind| {
        profiles
            .iter()
            .filter(|p| p.exchange.kind == kind && p.text.total_words == 0)
            .count()
    };
    if list.is_empty() {
        return match metric {
            Metric::TechnicalKnowledge => {
                "not assessed: no technical question was asked".to_owned()
            }
            Metric::ProblemSolving => {
                "not assessed: no technical question was asked and no code was run".to_owned()
            }
            Metric::Communication => {
                "not assessed: the conversation has no question or answer".to_owned()
            }
            Metric::CodeQuality if input.code_submissions.is_empty() => {
                "not assessed: no code was submitted".to_owned()
            }
            Metric::CodeQuality => {
                "not assessed: the submissions carry neither test results nor quality metrics"
                    .to_owned()
            }
            Metric::CulturalFit => "not assessed: no behavioral question was asked".to_owned(),
        };
    }
    match metric {
        Metric::TechnicalKnowledge => {
            let mut text = format!("mean of {}", plural(technical, "technical answer"));
            let (covered, total) =
                profiles
                    .iter()
                    .filter_map(|p| p.coverage.as_ref())
                    .fold((0, 0), |(c, t), cov| {
                        (
                            c + cov.covered.len(),
                            t + cov.covered.len() + cov.missing.len(),
                        )
                    });
            if total > 0 {
                text.push_str(&format!("; {covered} of {total} bank key points covered"));
            }
            let missed = unanswered(ExchangeKind::Technical);
            if missed > 0 {
                text.push_str(&format!("; {} unanswered", plural(missed, "question")));
            }
            text
        }
        Metric::ProblemSolving => {
            let coding = list
                .iter()
                .filter(|(e, _)| e.source == EvidenceSource::CodingProblem)
                .count();
            match (technical, coding) {
                (0, c) => format!("test results of {}", plural(c, "coding problem")),
                (t, 0) => format!(
                    "approach, trade-offs, edge cases and complexity in {}",
                    plural(t, "technical answer")
                ),
                (t, c) => format!(
                    "half the discussion in {}, half the test results of {}",
                    plural(t, "technical answer"),
                    plural(c, "coding problem")
                ),
            }
        }
        Metric::Communication => {
            let mut text = format!("mean over {}", plural(list.len(), "question"));
            let words: usize = profiles.iter().map(|p| p.text.total_words).sum();
            if words > 0 {
                let fillers: usize = profiles.iter().map(|p| p.fillers).sum();
                text.push_str(&format!(
                    "; {words} words, {:.1} fillers per 100 words",
                    fillers as f64 * 100.0 / words as f64
                ));
            }
            text
        }
        Metric::CodeQuality => format!(
            "{} over {}",
            plural(input.code_submissions.len(), "submission"),
            plural(list.len(), "coding problem")
        ),
        Metric::CulturalFit => {
            let mut text = format!("mean of {}", plural(behavioral, "behavioral answer"));
            let missed = unanswered(ExchangeKind::Behavioral);
            if missed > 0 {
                text.push_str(&format!("; {} unanswered", plural(missed, "question")));
            }
            text
        }
    }
}

/// For each well-scored metric, its best-supported good points.
fn strengths(scores: &Scores, items: &BTreeMap<Metric, Vec<(Evidence, Judged)>>) -> Vec<String> {
    let mut ranked: Vec<(Metric, f64)> = Metric::ALL
        .iter()
        .filter_map(|m| scores.get(*m).map(|s| (*m, s)))
        .filter(|(_, s)| *s >= 6.5)
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut out = Vec::new();
    for (metric, score) in ranked {
        let Some(list) = items.get(&metric) else {
            continue;
        };
        let mut best: Vec<&(Evidence, Judged)> =
            list.iter().filter(|(_, j)| !j.good.is_empty()).collect();
        best.sort_by(|a, b| b.1.score.total_cmp(&a.1.score));
        let Some((evidence, judged)) = best.first() else {
            continue;
        };
        let points: Vec<&str> = judged.good.iter().take(3).map(String::as_str).collect();
        let mut line = format!(
            "{} {:.1}/10: {}",
            metric.label(),
            round1(score),
            join(&points, 3)
        );
        if let Some(q) = &evidence.question {
            line.push_str(&format!(" (on \"{}\")", scoring::excerpt(q, 60)));
        } else if let Some(f) = &evidence.function_name {
            line.push_str(&format!(" ({f})"));
        }
        out.push(line);
    }
    out.truncate(5);
    out
}

/// For each weak metric, biggest loss first, the tips of its lowest-scoring items.
fn improvements(scores: &Scores, items: &BTreeMap<Metric, Vec<(Evidence, Judged)>>) -> Vec<String> {
    let mut ranked: Vec<(Metric, f64)> = Metric::ALL
        .iter()
        .filter_map(|m| scores.get(*m).map(|s| (*m, s)))
        .filter(|(_, s)| *s < 7.0)
        .collect();
    ranked.sort_by(|a, b| ((10.0 - b.1) * b.0.weight()).total_cmp(&((10.0 - a.1) * a.0.weight())));
    let mut out: Vec<String> = Vec::new();
    for (metric, _) in ranked {
        let Some(list) = items.get(&metric) else {
            continue;
        };
        let mut worst: Vec<&(Evidence, Judged)> = list.iter().collect();
        worst.sort_by(|a, b| a.1.score.total_cmp(&b.1.score));
        let mut taken = 0;
        for (_, j) in worst {
            for tip in &j.tips {
                let line = format!("{}: {tip}", metric.label());
                if !out.iter().any(|o| o.ends_with(tip.as_str())) {
                    out.push(line);
                    taken += 1;
                }
                if taken == 2 {
                    break;
                }
            }
            if taken == 2 {
                break;
            }
        }
    }
    if out.is_empty() {
        // Nothing scored below 7: the lowest assessed metric's own tips are still worth hearing.
        let lowest = Metric::ALL
            .iter()
            .filter_map(|m| scores.get(*m).map(|s| (*m, s)))
            .min_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((metric, _)) = lowest {
            let tips = items
                .get(&metric)
                .into_iter()
                .flatten()
                .flat_map(|(_, j)| j.tips.iter());
            for tip in tips {
                if !out.iter().any(|o| o.ends_with(tip.as_str())) && out.len() < 2 {
                    out.push(format!("{}: {tip}", metric.label()));
                }
            }
        }
    }
    out.truncate(6);
    out
}

fn detailed_feedback(
    overall: f64,
    recommendation: Recommendation,
    assessments: &Assessments,
    metrics: &ReportMetrics,
) -> String {
    let mut lines = vec![format!(
        "Overall {overall:.1}/10 ({}) from {} of {} and {}.",
        recommendation.as_str(),
        plural(metrics.answers_given, "answer"),
        plural(metrics.questions_asked, "question"),
        plural(metrics.code_submissions, "code submission")
    )];
    let assessed: Vec<&str> = Metric::ALL
        .iter()
        .filter(|m| assessments.get(**m).assessed)
        .map(|m| m.label())
        .collect();
    for metric in Metric::ALL {
        let a = assessments.get(metric);
        match a.score {
            Some(score) => lines.push(format!(
                "{} {score:.1}/10 (weight {:.0}%, {:.0}% after redistribution): {}.",
                metric.label(),
                a.weight * 100.0,
                a.effective_weight * 100.0,
                a.summary
            )),
            None => lines.push(format!(
                "{}: {}; its {:.0}% weight was spread over {}.",
                metric.label(),
                a.summary,
                a.weight * 100.0,
                if assessed.is_empty() {
                    "nothing, as no metric could be assessed".to_owned()
                } else {
                    join(&assessed, 5)
                }
            )),
        }
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::InterviewType;

    fn input(messages: &[(Speaker, &str)]) -> EvaluationInput {
        EvaluationInput {
            session_id: None,
            interview_type: InterviewType::GoogleSde,
            duration: None,
            candidate_name: None,
            conversation: messages
                .iter()
                .map(|(speaker, text)| Message {
                    speaker: *speaker,
                    text: (*text).to_owned(),
                    timestamp: None,
                    delivery: Delivery::default(),
                    kind: None,
                })
                .collect(),
            code_submissions: Vec::new(),
            posed_problems: Vec::new(),
        }
    }

    #[test]
    fn an_empty_conversation_assesses_nothing_and_scores_zero() {
        let report = evaluate(&input(&[]), &QuestionBank::default());
        assert_eq!(report.overall_score, 0.0);
        assert_eq!(report.recommendation, Recommendation::NoHire);
        assert_eq!(report.not_assessed.len(), 5);
        assert!(
            report
                .improvements
                .iter()
                .any(|i| i.contains("Nothing could be assessed"))
        );
        assert!(report.detailed_feedback.contains("not assessed"));
    }

    #[test]
    fn communication_is_held_near_the_substance_it_carried() {
        let mut scores = Scores::default();
        scores.set(Metric::TechnicalKnowledge, Some(2.0));
        scores.set(Metric::ProblemSolving, Some(1.0));
        scores.set(Metric::Communication, Some(9.0));
        // Substance: (2.0 × 0.30 + 1.0 × 0.25) / 0.55 ≈ 1.55, so communication is held at about 4.55.
        let bound = bound_communication(&mut scores).expect("held");
        assert!((bound - (0.85 / 0.55 + 3.0)).abs() < 1e-9, "{bound}");
        assert_eq!(scores.get(Metric::Communication), Some(bound));
        // Within reach of the substance, or with no substance metric at all, it stands.
        let mut scores = Scores::default();
        scores.set(Metric::CulturalFit, Some(6.0));
        scores.set(Metric::Communication, Some(8.5));
        assert_eq!(bound_communication(&mut scores), None);
        assert_eq!(scores.get(Metric::Communication), Some(8.5));
        let mut scores = Scores::default();
        scores.set(Metric::Communication, Some(8.5));
        assert_eq!(bound_communication(&mut scores), None);
    }

    #[test]
    fn weights_of_unassessed_metrics_are_spread() {
        let report = evaluate(
            &input(&[
                (
                    Speaker::Interviewer,
                    "How does a hash map handle collisions?",
                ),
                (
                    Speaker::Candidate,
                    "A hash map stores each key in a bucket chosen by its hash. When two keys collide, the bucket \
                     keeps a linked list, because chaining keeps inserts O(1) on average.",
                ),
            ]),
            &QuestionBank::default(),
        );
        let e = &report.evidence;
        assert!(!e.code_quality.assessed && !e.cultural_fit.assessed);
        assert_eq!(e.code_quality.effective_weight, 0.0);
        let total: f64 = Metric::ALL.iter().map(|m| e.get(*m).effective_weight).sum();
        assert!((total - 1.0).abs() < 1e-3, "{total}");
        // A knowledge question asks for no approach, so problem solving is not assessed either.
        assert!((e.technical_knowledge.effective_weight - 0.30 / 0.50).abs() < 1e-3);
        assert!(report.scores.code_quality.is_none());
        assert_eq!(
            report.not_assessed,
            vec![
                Metric::ProblemSolving,
                Metric::CodeQuality,
                Metric::CulturalFit
            ]
        );
    }

    /// A key point said only once the interviewer's follow-up asked for it counts half: the same words said
    /// unprompted score higher, and the report names the point. Points the follow-up did not ask for, and answers
    /// after a stall ("give me a moment"), are not hinted; a hint asked for before answering is.
    #[test]
    fn a_point_said_only_after_a_follow_up_asked_for_it_earns_half() {
        let bank = QuestionBank::embedded();
        let question = &bank
            .question("google-sde-07")
            .expect("the grid question")
            .text;
        let first = "I would run a breadth-first search from the top-left corner with a queue, because it explores \
                     the grid level by level and the first time it reaches the far corner is the shortest path.";
        let second = "I mark each visited cell in a set so that no cell is ever expanded twice, and with weighted \
                      cells I would switch to Dijkstra with a priority queue.";
        let technical = |messages: &[(Speaker, &str)]| {
            let report = evaluate(&input(messages), bank);
            let evidence = &report.evidence.technical_knowledge.evidence;
            assert_eq!(evidence.len(), 1, "one exchange: {evidence:#?}");
            (evidence[0].score, evidence[0].reasons.join(" | "))
        };
        let together = format!("{first} {second}");
        let (unprompted, unprompted_reasons) = technical(&[
            (Speaker::Interviewer, question.as_str()),
            (Speaker::Candidate, together.as_str()),
        ]);
        assert!(
            !unprompted_reasons.contains("pointed at"),
            "{unprompted_reasons}"
        );
        // The bank's follow-up for the visited set asks for it; Dijkstra, said in the same reply, was not asked for.
        let (hinted, hinted_reasons) = technical(&[
            (Speaker::Interviewer, question.as_str()),
            (Speaker::Candidate, first),
            (
                Speaker::Interviewer,
                "Okay. What stops the search from looping forever?",
            ),
            (Speaker::Candidate, second),
        ]);
        assert!(hinted < unprompted, "{hinted} vs {unprompted}");
        assert!(
            hinted_reasons.contains("only once the interviewer had pointed at it")
                && hinted_reasons.contains("visited cells")
                && !hinted_reasons.contains("(half credit): Weighted"),
            "{hinted_reasons}"
        );
        // A stall is not a first answer: what follows the interviewer's nudge is the answer itself.
        let (after_stall, stall_reasons) = technical(&[
            (Speaker::Interviewer, question.as_str()),
            (Speaker::Candidate, "Hmm, good question. Give me a moment."),
            (
                Speaker::Interviewer,
                "Of course. What stops the search from looping forever?",
            ),
            (Speaker::Candidate, together.as_str()),
        ]);
        assert!(!stall_reasons.contains("pointed at"), "{stall_reasons}");
        assert!(
            (after_stall - unprompted).abs() < 0.5,
            "{after_stall} vs {unprompted}"
        );
        // A hint fished with a clarifying question before answering counts like one given after an answer.
        let (fished, fished_reasons) = technical(&[
            (Speaker::Interviewer, question.as_str()),
            (
                Speaker::Candidate,
                "Could you give me a hint on which search to use?",
            ),
            (Speaker::Interviewer, "Think about breadth-first search."),
            (Speaker::Candidate, together.as_str()),
        ]);
        assert!(fished < unprompted, "{fished} vs {unprompted}");
        assert!(
            fished_reasons.contains("(half credit): Breadth-first"),
            "{fished_reasons}"
        );
        // What points at nothing hints nothing: a courtesy question, a reply restating the question, a "yes" to the
        // candidate's own idea.
        for (asked, told) in [
            (None, "Does that make sense?"),
            (None, "Is there anything else you would add?"),
            (
                Some("Can I assume the grid fits in memory?"),
                question.as_str(),
            ),
            (
                Some("Would a breadth-first search work here?"),
                "Yes, breadth-first search works. Go ahead.",
            ),
        ] {
            let mut messages = vec![(Speaker::Interviewer, question.as_str())];
            match asked {
                Some(clarifying) => messages.extend([
                    (Speaker::Candidate, clarifying),
                    (Speaker::Interviewer, told),
                    (Speaker::Candidate, together.as_str()),
                ]),
                None => messages.extend([
                    (Speaker::Candidate, first),
                    (Speaker::Interviewer, told),
                    (Speaker::Candidate, second),
                ]),
            }
            let (score, reasons) = technical(&messages);
            assert!(!reasons.contains("pointed at"), "{told}: {reasons}");
            assert!(
                (score - unprompted).abs() < 0.05,
                "{told}: {score} vs {unprompted}"
            );
        }
        // A hint in reply to a question the candidate asks mid-answer counts like a follow-up's.
        let (mid, mid_reasons) = technical(&[
            (Speaker::Interviewer, question.as_str()),
            (Speaker::Candidate, first),
            (
                Speaker::Candidate,
                "Should I also handle cells with different costs?",
            ),
            (
                Speaker::Interviewer,
                "Yes. Think about Dijkstra with a priority queue.",
            ),
            (Speaker::Candidate, second),
        ]);
        assert!(
            mid_reasons.contains("(half credit): Weighted"),
            "{mid} {mid_reasons}"
        );
    }

    #[test]
    fn one_good_answer_is_not_enough_for_a_hire() {
        assert_eq!(Recommendation::for_score(8.5), Recommendation::StrongHire);
        assert_eq!(Recommendation::for_score(7.0), Recommendation::Hire);
        assert_eq!(Recommendation::for_score(5.5), Recommendation::LeanHire);
        assert_eq!(Recommendation::for_score(4.0), Recommendation::LeanNoHire);
        assert_eq!(Recommendation::for_score(3.99), Recommendation::NoHire);
    }
}
