//! Scoring of single answers and code submissions. Each judgement is a 0–10 score with the reasons behind it, the
//! good points (which become strengths) and tips (which become improvements).
//!
//! Every answer first gets a *form* factor in 0..=1 — 0 with no answer, 0.05 for gibberish, 0.2 for a reply of
//! under four words, else 0.1 + 0.9 × the share of its words that stand in prose sentences, reduced by repetition —
//! and a *relevance* in 0..=1 — for a bank question the share of its key points covered, else half the share of
//! the question's content words the answer takes up (three suffice) and half its use of the interview type's
//! vocabulary (four distinct terms suffice). Each metric multiplies its own signals by the form factor, so a list
//! of buzzwords, a one-word reply or noise scores near 0 on every metric, and reasoning or specifics only count in
//! proportion to relevance, so a fluent but off-topic answer does not score either.

use std::collections::{HashMap, HashSet};

use super::claims::{self, Credit};
use super::conversation::{Exchange, ExchangeKind};
use super::input::CodeSubmission;
use super::integrity::{self, IntegrityFlag};
use super::language::{AnswerText, StarLabels, lexicon, phrase_key, words};
use super::misconceptions;
use super::report::{Evidence, EvidenceSource};
use super::vocabulary;
use crate::domain::InterviewType;
use crate::knowledge::{Difficulty, QuestionBank, RedFlag};

/// A score with its explanation.
#[derive(Clone, Debug, Default)]
pub struct Judged {
    pub score: f64,
    /// Everything that moved the score, good and bad.
    pub reasons: Vec<String>,
    /// Good points, for the report's strengths.
    pub good: Vec<String>,
    /// What would have scored higher, for the report's improvements.
    pub tips: Vec<String>,
}

impl Judged {
    fn new(score: f64) -> Self {
        Self {
            score: clamp10(score),
            ..Self::default()
        }
    }

    fn good(&mut self, text: String) {
        self.reasons.push(text.clone());
        self.good.push(text);
    }

    fn bad(&mut self, reason: String, tip: Option<String>) {
        self.reasons.push(reason);
        self.tips.extend(tip);
    }
}

/// Keeps a score in 0..=10 and turns a NaN (which no path should produce) into 0.
pub fn clamp10(x: f64) -> f64 {
    if x.is_nan() { 0.0 } else { x.clamp(0.0, 10.0) }
}

/// The domain vocabulary of one interview, as single-word stems (looked up) and phrases (searched).
pub struct Vocabulary {
    technical_words: HashMap<String, String>,
    technical_phrases: Vec<(String, String)>,
    behavioral_words: HashMap<String, String>,
    behavioral_phrases: Vec<(String, String)>,
}

impl Vocabulary {
    /// The type's fixed terms plus the bank keywords of its questions.
    pub fn new<'a>(
        interview_type: InterviewType,
        bank_keywords: impl Iterator<Item = &'a str>,
    ) -> Self {
        let mut technical: Vec<String> = vocabulary::domain_terms(interview_type)
            .into_iter()
            .map(str::to_owned)
            .collect();
        // Bank keywords also serve to spot key points ("because", "0.75"); only those naming a thing are vocabulary.
        let lex = lexicon();
        technical.extend(
            bank_keywords
                .filter(|k| {
                    words(k).any(|w| {
                        w.chars().count() >= 3
                            && w.chars().any(char::is_alphabetic)
                            && !lex.function_words.contains(w.as_str())
                    })
                })
                .map(str::to_owned),
        );
        let behavioral: Vec<String> = vocabulary::behavioral_terms()
            .iter()
            .map(|t| (*t).to_owned())
            .collect();
        let (technical_words, technical_phrases) = split_terms(technical);
        let (behavioral_words, behavioral_phrases) = split_terms(behavioral);
        Self {
            technical_words,
            technical_phrases,
            behavioral_words,
            behavioral_phrases,
        }
    }

    /// Distinct domain terms used in the answer's prose sentences.
    fn hits(&self, text: &AnswerText, kind: ExchangeKind) -> Vec<String> {
        let (words, phrases) = match kind {
            ExchangeKind::Technical => (&self.technical_words, &self.technical_phrases),
            ExchangeKind::Behavioral => (&self.behavioral_words, &self.behavioral_phrases),
        };
        let mut found: Vec<String> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        for stem in text.prose_stems() {
            if let Some(shown) = words.get(stem.as_str())
                && seen.insert(shown.as_str())
            {
                found.push(shown.clone());
            }
        }
        for (shown, key) in phrases {
            if text.says(key) && seen.insert(shown.as_str()) {
                found.push(shown.clone());
            }
        }
        found.sort();
        found
    }
}

fn split_terms(terms: Vec<String>) -> (HashMap<String, String>, Vec<(String, String)>) {
    let mut words = HashMap::new();
    let mut phrases = Vec::new();
    let mut seen = HashSet::new();
    for term in terms {
        let key = phrase_key(&term);
        if key.trim().is_empty() || !seen.insert(key.clone()) {
            continue;
        }
        let stems: Vec<&str> = key.split_whitespace().collect();
        if stems.len() == 1 {
            words.insert(stems[0].to_owned(), term);
        } else {
            phrases.push((term, key));
        }
    }
    (words, phrases)
}

/// Which of a bank question's key points an answer covers.
pub struct Coverage<'b> {
    pub covered: Vec<&'b str>,
    /// Those of `covered` first said in answer to a follow-up (see [`claims::HINTED_CREDIT`]).
    pub hinted: Vec<&'b str>,
    pub missing: Vec<&'b str>,
}

/// What is known about one answer before any metric looks at it.
pub struct Profile<'e, 'b> {
    pub exchange: &'e Exchange<'b>,
    pub text: AnswerText,
    pub form: f64,
    form_notes: Vec<String>,
    form_tip: Option<String>,
    pub relevance: f64,
    question_terms: usize,
    question_terms_used: usize,
    pub coverage: Option<Coverage<'b>>,
    /// What the answer earns against the bank rubric, clause by clause.
    pub credit: Option<Credit>,
    /// Clauses that are statements (not lists or fragments).
    pub claims: usize,
    /// Why the answer cannot be taken at face value (injection, parroting, reuse — set by the caller).
    pub integrity: Vec<IntegrityFlag>,
    /// Misconceptions of this interview type asserted in the answer, besides the matched question's own: (claim,
    /// the sentence that asserts it).
    pub other_red_flags: Vec<(String, String)>,
    pub domain_hits: Vec<String>,
    reasons: Vec<&'static str>,
    tradeoffs: Vec<&'static str>,
    examples: Vec<&'static str>,
    strong_hedges: Vec<&'static str>,
    mild_hedges: Vec<&'static str>,
    /// Filler words: the recogniser's count when spoken, else the text's.
    pub fillers: usize,
    /// Business jargon standing in for content.
    pub jargon: Vec<String>,
    /// The answer names something the question or its rubric is about, in prose or not: a list of the right terms
    /// is weak, but it is not off-topic.
    pub names_topic: bool,
    /// The answer names one of the interview type's misconceptions to correct it ("People assume X. It
    /// doesn't.").
    pub corrects_misconceptions: bool,
}

impl<'e, 'b> Profile<'e, 'b> {
    /// Analyses an exchange's answer (an unanswered question gives an empty profile).
    pub fn new(
        exchange: &'e Exchange<'b>,
        vocabulary: &Vocabulary,
        type_flags: &[(&RedFlag, &misconceptions::FlagKeys)],
    ) -> Self {
        let lex = lexicon();
        let reply_text = exchange.reply.as_ref().map_or("", |r| r.text.as_str());
        let text = AnswerText::analyse(reply_text);
        let words = text.total_words;
        let analysed = text.words.len().max(1);
        let mut form_notes = Vec::new();
        let mut form_tip = None;
        let mut form = if words == 0 {
            form_notes.push(
                if exchange.reply.is_some() {
                    "the answer is empty"
                } else {
                    "no answer was given"
                }
                .to_owned(),
            );
            form_tip = Some("Answer every question, even partially: say what you know and how you would find out the rest".to_owned());
            0.0
        } else if text.implausible_words * 2 > analysed {
            form_notes.push(format!(
                "looks like gibberish: {} of {} words are not words",
                text.implausible_words,
                text.words.len()
            ));
            form_tip = Some("Answer in real words and sentences".to_owned());
            0.05
        } else if words < 4 {
            form_notes.push(format!("a {words}-word reply says nothing to assess"));
            form_tip =
                Some("Give full answers: explain what, how and why in a few sentences".to_owned());
            0.2
        } else {
            let prose_share = text.prose_words as f64 / analysed as f64;
            if prose_share < 0.5 {
                form_notes.push(format!(
                    "mostly a list of terms rather than sentences ({:.0}% of its words are in sentences)",
                    prose_share * 100.0
                ));
                form_tip = Some(
                    "Explain in full sentences how the pieces fit together instead of listing terms".to_owned(),
                );
            }
            0.1 + 0.9 * prose_share
        };
        if text.repetition > 0.3 && words >= 8 {
            form *= 1.0 - text.repetition;
            form_notes.push(format!(
                "repeats itself ({:.0}% of its phrases are repeats)",
                text.repetition * 100.0
            ));
            form_tip
                .get_or_insert_with(|| "Say each point once, then move on to the next".to_owned());
        }
        // Clauses said once a follow-up had pointed at them are marked, so the key points they alone earn count
        // as hinted.
        let clauses = match exchange.reply.as_ref().and_then(|r| r.prompted_from) {
            Some(at) if reply_text.is_char_boundary(at) => {
                let mut all = claims::clauses(&reply_text[..at]);
                all.extend(claims::clauses(&reply_text[at..]).into_iter().map(|mut c| {
                    c.prompted = true;
                    c
                }));
                all
            }
            _ => claims::clauses(reply_text),
        };
        let claims = clauses.iter().filter(|c| c.claim).count();
        let own: Vec<&str> = exchange
            .reference
            .map(|r| r.red_flags.iter().map(|f| f.claim.as_str()).collect())
            .unwrap_or_default();
        let mut other_red_flags: Vec<(String, String)> = Vec::new();
        let stemmed = misconceptions::StemmedSentences::new(reply_text);
        let mut corrects_misconceptions = false;
        for (flag, keys) in type_flags {
            let check = stemmed.check(keys);
            corrects_misconceptions |= check.corrected;
            if own.contains(&flag.claim.as_str())
                || other_red_flags.iter().any(|(c, _)| *c == flag.claim)
            {
                continue;
            }
            if let Some(sentence) = check.asserted {
                other_red_flags.push((flag.claim.clone(), sentence));
            }
        }
        let elsewhere: Vec<&str> = other_red_flags.iter().map(|(_, s)| s.as_str()).collect();
        let credit = exchange.reference.map(|r| {
            let hints = exchange
                .reply
                .as_ref()
                .map_or(claims::Hints::default(), |reply| claims::Hints {
                    question: exchange.prompt.as_ref().map_or("", |p| p.text.as_str()),
                    first_answer: reply
                        .prompted_from
                        .and_then(|at| reply_text.get(..at))
                        .unwrap_or(reply_text),
                    after: &reply.hints,
                    told: &reply.told,
                });
            claims::credit(r, &clauses, &stemmed, &elsewhere, hints)
        });
        let coverage = exchange
            .reference
            .zip(credit.as_ref())
            .map(|(r, c)| Coverage {
                covered: c
                    .covered
                    .iter()
                    .map(|(i, _)| r.key_points[*i].point.as_str())
                    .collect(),
                hinted: c
                    .hinted
                    .iter()
                    .map(|i| r.key_points[*i].point.as_str())
                    .collect(),
                missing: c
                    .missed
                    .iter()
                    .map(|i| r.key_points[*i].point.as_str())
                    .collect(),
            });
        let asked = exchange
            .prompt
            .as_ref()
            .map(|p| {
                let mut all = p.text.clone();
                for f in &exchange.follow_ups {
                    all.push('\n');
                    all.push_str(f);
                }
                all
            })
            .unwrap_or_default();
        let mut integrity = Vec::new();
        if let Some(quote) = integrity::addresses_grader(reply_text) {
            integrity.push(IntegrityFlag::PromptInjection { quote });
        } else if !asked.is_empty() && integrity::parroting(&asked, reply_text) {
            integrity.push(IntegrityFlag::Parroting);
        }
        let domain_hits = vocabulary.hits(&text, exchange.kind);
        let prose_stems = text.prose_stems();
        let question_stems = exchange
            .prompt
            .as_ref()
            .map(|p| super::language::content_stems(&p.text))
            .unwrap_or_default();
        let question_stems: HashSet<String> = question_stems
            .into_iter()
            .filter(|s| !lex.small_talk.contains(s.as_str()))
            .collect();
        let used = question_stems
            .iter()
            .filter(|s| prose_stems.contains(s.as_str()))
            .count();
        let names_topic = {
            let padded: Vec<&str> = text.sentences.iter().map(|s| s.padded.as_str()).collect();
            let said = |key: &str| padded.iter().any(|p| p.contains(key));
            question_stems.iter().any(|s| said(&format!(" {s} ")))
                || exchange
                    .reference
                    .is_some_and(|r| r.keyword_keys.iter().flatten().any(|k| said(k)))
        };
        // Relevance is engagement with the question asked (its own content words taken up in real sentences) and,
        // for a bank question, the rubric's key points credited — never the interview type's vocabulary in general,
        // which any canned paragraph has.
        let mut relevance = if question_stems.is_empty() {
            (domain_hits.len() as f64 / 4.0).min(1.0)
        } else {
            (used as f64 / question_stems.len().min(3) as f64).min(1.0)
        };
        if let Some(c) = &credit {
            relevance = relevance.max(c.share());
        }
        if !integrity.is_empty() {
            relevance = 0.0;
        }
        let reply = exchange.reply.as_ref();
        let fillers = reply
            .and_then(|r| r.filler_count)
            .map_or(text.text_fillers, |f| (f as usize).max(text.text_fillers));
        Self {
            exchange,
            form,
            form_notes,
            form_tip,
            relevance,
            question_terms: question_stems.len(),
            question_terms_used: used,
            coverage,
            credit,
            claims,
            integrity,
            other_red_flags,
            domain_hits,
            reasons: {
                let mut reasons = text.which(&lex.reasons);
                if text.causal_so {
                    reasons.push("so");
                }
                reasons
            },
            tradeoffs: text.which(&lex.tradeoffs),
            examples: text.which(&lex.examples),
            strong_hedges: text.which(&lex.strong_hedges),
            mild_hedges: text.which(&lex.mild_hedges),
            fillers,
            jargon: super::language::jargon(reply_text),
            names_topic,
            corrects_misconceptions,
            text,
        }
    }

    fn words(&self) -> usize {
        self.text.total_words
    }

    /// Whether the answer is void whatever it says (grader-addressed, parroted or reused): it scores 0 on every
    /// metric, with the reason.
    pub fn disqualified(&self) -> bool {
        self.integrity.iter().any(|f| {
            matches!(
                f,
                IntegrityFlag::PromptInjection { .. }
                    | IntegrityFlag::Parroting
                    | IntegrityFlag::ReusedAnswer { .. }
            )
        })
    }

    /// How many misconceptions the answer asserts (the matched question's red flags and the interview type's).
    pub fn misconceptions(&self) -> usize {
        self.credit.as_ref().map_or(0, |c| c.red_flags.len()) + self.other_red_flags.len()
    }

    /// Misconceptions that count towards the interview's caps: one fewer when the answer names one of the type's
    /// misconceptions to correct it (an expert, see [`misconceptions::FlagCheck`]: one of their flags may be the
    /// matcher's slip on the mistake they name; naming one cannot excuse several). The flags still cost the answer.
    pub fn confident_misconceptions(&self) -> usize {
        self.misconceptions()
            .saturating_sub(usize::from(self.corrects_misconceptions))
    }

    /// What asserted misconceptions leave of the answer's problem-solving, communication and cultural-fit credit:
    /// a fluent, well-structured answer that is wrong is not good problem solving or good communication.
    fn soundness(&self) -> f64 {
        (1.0 - MISCONCEPTION_COST * self.misconceptions() as f64).max(0.1)
    }

    /// The form factor with the rubric's answer to it: form asks whether the answer is sentences or a list of terms,
    /// and claim clauses that cover the rubric have answered that, however tersely they are written ("Two heaps:
    /// lower half = max-heap") and whatever list lines stand beside them.
    fn form_with_claims(&self) -> f64 {
        self.credit.as_ref().map_or(self.form, |c| {
            self.form.max((c.share() / COVERAGE_FULL_AT).min(1.0))
        })
    }

    /// A zero score explaining why the answer does not count, for a disqualified answer.
    fn void(&self) -> Judged {
        let mut judged = Judged::default();
        for flag in &self.integrity {
            judged.bad(
                flag.describe(),
                Some(format!(
                    "{}: answer the question in your own words",
                    self.on_question()
                )),
            );
        }
        judged
    }

    /// The question, shortened, for tips ("On "How does…": …").
    fn on_question(&self) -> String {
        match &self.exchange.prompt {
            Some(p) => format!("On \"{}\"", excerpt(question_line(&p.text), 70)),
            None => "In this answer".to_owned(),
        }
    }

    fn note_form(&self, judged: &mut Judged) {
        for note in &self.form_notes {
            judged.bad(note.clone(), None);
        }
        if let Some(tip) = &self.form_tip {
            judged.tips.push(tip.clone());
        }
    }

    /// What jargon leaves of an answer's technical and problem-solving credit: each buzzword standing in for
    /// content costs a quarter, down to a fifth.
    fn jargon_factor(&self, judged: &mut Judged) -> f64 {
        if self.jargon.is_empty() {
            return 1.0;
        }
        let mut seen: Vec<&str> = self.jargon.iter().map(String::as_str).collect();
        seen.dedup();
        judged.bad(
            format!(
                "leans on buzzwords instead of specifics ({})",
                join(&seen, 4)
            ),
            Some(format!(
                "{}: replace buzzwords with the concrete mechanism, number or example",
                self.on_question()
            )),
        );
        (1.0 - JARGON_COST * self.jargon.len() as f64).max(0.2)
    }

    /// How much of its reasoning and specifics an answer may be credited with: full from relevance 0.4 up.
    fn gate(&self, full_at: f64) -> f64 {
        (self.relevance / full_at).min(1.0)
    }

    fn relevance_reason(&self, judged: &mut Judged, interview_type: InterviewType) {
        if self.words() == 0 {
            return;
        }
        if let Some(c) = &self.coverage {
            let total = c.covered.len() + c.missing.len();
            if c.covered.is_empty() {
                judged.bad(
                    format!("covers none of the question's {total} key points"),
                    Some(format!(
                        "{}: cover {}",
                        self.on_question(),
                        join(&c.missing, 3)
                    )),
                );
            } else if c.missing.is_empty() {
                judged.good(format!(
                    "covers all {total} key points ({})",
                    join(&c.covered, 4)
                ));
            } else {
                judged.good(format!(
                    "covers {} of {total} key points ({})",
                    c.covered.len(),
                    join(&c.covered, 3)
                ));
                judged.bad(
                    format!("misses {}", join(&c.missing, 3)),
                    Some(format!(
                        "{}: also cover {}",
                        self.on_question(),
                        join(&c.missing, 3)
                    )),
                );
            }
            if !c.hinted.is_empty() {
                judged.bad(
                    format!(
                        "{} only once the interviewer had pointed at {} (half credit): {}",
                        if c.hinted.len() == 1 {
                            "said one point"
                        } else {
                            "said points"
                        },
                        if c.hinted.len() == 1 { "it" } else { "them" },
                        join(&c.hinted, 3)
                    ),
                    Some(format!(
                        "{}: cover {} in your first answer, before the interviewer asks",
                        self.on_question(),
                        join(&c.hinted, 3)
                    )),
                );
            }
            return;
        }
        if self.relevance < 0.15 {
            judged.bad(
                format!(
                    "off-topic: takes up {} of the question's terms and uses {} {} terms",
                    self.question_terms_used,
                    self.domain_hits.len(),
                    interview_type
                ),
                Some(format!(
                    "{}: answer the question that was asked",
                    self.on_question()
                )),
            );
        } else if !self.domain_hits.is_empty() {
            judged.good(format!(
                "on topic: uses {} of the question's {} terms and {} ({})",
                self.question_terms_used,
                self.question_terms,
                plural(self.domain_hits.len(), "domain term"),
                join_owned(&self.domain_hits, 4)
            ));
        }
    }
}

/// What each buzzword standing in for content costs an answer's technical and problem-solving credit (of 1).
pub const JARGON_COST: f64 = 0.25;

/// What one asserted misconception costs an answer's problem-solving, communication and cultural-fit credit (of 1).
pub const MISCONCEPTION_COST: f64 = 0.35;

/// What one asserted misconception costs an answer's technical score (of 1).
pub const RED_FLAG_COST: f64 = 0.25;

/// The share of a bank question's key points that earns full coverage credit. A rubric lists more points than one
/// good answer needs to make, and the matcher misses points said in other words: of the blind correct answers
/// (`tests/fixtures/red-flag-recall/blind-correct-answers.json`, see the `red_flag_recall` bench) the plain ones are
/// credited with 80 % or more in three cases of four, but the equally correct rebuttals, which spend their words
/// on the misconceptions they reject, with a median of 40 %; terse strong held-out interviews were marked down for
/// points they had no reason to make.
pub const COVERAGE_FULL_AT: f64 = 0.6;

/// The problem-solving credit (of 1) a design answer earns from the rubric's key points alone, at full coverage
/// (see [`COVERAGE_FULL_AT`]): the talk about approach, trade-offs, edge cases and complexity is read from phrases,
/// and terse strong answers say them in other words. Kept below 1 so that naming the parts without discussing them
/// does not reach full marks; measured on the adversarial and held-out sets (0.8 lifted fluent attacks further for
/// no gain in rank agreement).
pub const PROBLEM_SOLVING_FROM_COVERAGE: f64 = 0.6;

/// The most technical credit (of 10) an answer to a question that matches no bank question can earn without a judge:
/// with no rubric, the deterministic scorer can see reasoning and engagement but not correctness.
pub const UNMATCHED_CAP: f64 = 7.0;

/// Technical knowledge of one technical answer: coverage (bank) or relevance, depth (reasons, trade-offs) and
/// specifics (numbers, Big-O, examples, three or more domain terms), times form and a length factor reaching 1 at
/// 20 words; "I don't know" in a short answer scores 0 and hedging costs.
pub fn technical(
    p: &Profile<'_, '_>,
    interview_type: InterviewType,
    verdict: Option<&super::JudgeOutcome>,
) -> Judged {
    if p.disqualified() {
        return p.void();
    }
    let words = p.words();
    let length = (words as f64 / 15.0).min(1.0);
    let markers = p.reasons.len() + p.tradeoffs.len();
    let depth = (markers as f64 / 3.0).min(1.0);
    let signals = [
        p.text.has_number(),
        p.text.has_complexity_notation(),
        !p.examples.is_empty(),
        p.domain_hits.len() >= 3,
    ]
    .iter()
    .filter(|s| **s)
    .count();
    let specifics = (signals as f64 / 2.0).min(1.0);
    let gate = p.gate(0.4);
    let mut judged = Judged::default();
    let flags = p.credit.as_ref().map_or(0, |c| c.red_flags.len()) + p.other_red_flags.len();
    let mut raw = match &p.credit {
        Some(c) => {
            0.6 * (c.share() / COVERAGE_FULL_AT).min(1.0) + gate * (0.25 * depth + 0.15 * specifics)
        }
        None => {
            let raw = 0.5 * p.relevance + gate * (0.3 * depth + 0.2 * specifics);
            if matches!(verdict, Some(super::JudgeOutcome::Graded(_))) {
                raw
            } else {
                raw.min(UNMATCHED_CAP / 10.0)
            }
        }
    } - RED_FLAG_COST * flags as f64;
    p.note_form(&mut judged);
    p.relevance_reason(&mut judged, interview_type);
    if let (Some(c), Some(r)) = (&p.credit, p.exchange.reference) {
        for (flag, clause) in &c.red_flags {
            judged.bad(
                format!(
                    "wrong: \"{}\" ({})",
                    excerpt(clause, 90),
                    r.red_flags[*flag].claim
                ),
                Some(format!(
                    "{}: check the claim that {}",
                    p.on_question(),
                    r.red_flags[*flag].claim.to_lowercase()
                )),
            );
        }
    }
    for (claim, sentence) in &p.other_red_flags {
        judged.bad(
            format!("wrong: \"{}\" ({claim})", excerpt(sentence, 90)),
            Some(format!("Check the claim that {}", claim.to_lowercase())),
        );
    }
    if p.credit.is_none() && words > 0 && !matches!(verdict, Some(super::JudgeOutcome::Graded(_))) {
        judged.reasons.push(format!(
            "not a bank question and no judge: technical credit capped at {UNMATCHED_CAP:.0} (low confidence)"
        ));
    }
    if words > 0 {
        if markers > 0 && gate > 0.0 {
            judged.good(format!(
                "explains why ({})",
                join(&[p.reasons.as_slice(), p.tradeoffs.as_slice()].concat(), 3)
            ));
        } else if words >= 4 {
            judged.bad(
                "states without reasoning (no because, trade-offs or conditions)".to_owned(),
                Some(format!(
                    "{}: explain why, and what the trade-offs are",
                    p.on_question()
                )),
            );
        }
        if signals > 0 && gate > 0.0 {
            let mut what = Vec::new();
            if p.text.has_number() {
                what.push("numbers");
            }
            if p.text.has_complexity_notation() {
                what.push("Big-O");
            }
            if !p.examples.is_empty() {
                what.push("an example");
            }
            if p.domain_hits.len() >= 3 {
                what.push("named mechanisms");
            }
            judged.good(format!("specific: {}", join(&what, 4)));
        } else if words >= 4 {
            judged.bad(
                "not specific: no numbers, complexity, examples or named mechanisms".to_owned(),
                Some(
                    "Be concrete: name the mechanism, give numbers, complexity or an example"
                        .to_owned(),
                ),
            );
        }
    }
    if !p.strong_hedges.is_empty() {
        if words < 25 {
            raw = 0.0;
            judged.bad(
                format!("says \"{}\" and little else", p.strong_hedges[0]),
                Some("When unsure, reason aloud from what you do know instead of stopping at \"I don't know\"".to_owned()),
            );
        } else {
            raw *= 0.6;
            judged.bad(
                format!("hedges: \"{}\"", p.strong_hedges[0]),
                Some(
                    "State what you know with confidence and mark clearly what you would verify"
                        .to_owned(),
                ),
            );
        }
    } else if !p.mild_hedges.is_empty() {
        raw -= 0.05 * p.mild_hedges.len().min(3) as f64;
        judged.bad(format!("hedges ({})", join(&p.mild_hedges, 3)), None);
    }
    if words > 0 && words < 20 {
        judged.bad(
            format!("short: {words} words"),
            Some(format!(
                "{}: develop the answer beyond one sentence",
                p.on_question()
            )),
        );
    }
    let jargon = p.jargon_factor(&mut judged);
    // List lines beside claim sentences that cover the rubric ("Cost: committed use discounts, rightsizing,
    // labels") cost no more.
    let form = p.form_with_claims();
    judged.score = clamp10(10.0 * form * length * raw.max(0.0) * jargon);
    match verdict {
        Some(super::JudgeOutcome::Graded(v)) => {
            // The judge grades correctness; the guard bounds it: misconceptions the bank knows, no statement at
            // all, and buzzwords keep it down whatever the judge was persuaded of.
            let mut cap: f64 = 10.0;
            if words < super::MIN_JUDGED_WORDS {
                // A fragment ("skip", "not sure") gives a judge nothing to grade.
                cap = cap.min(judged.score);
            }
            if p.integrity
                .iter()
                .any(|f| matches!(f, super::IntegrityFlag::OffTopic))
            {
                cap = cap.min(JUDGE_CAP_OFF_TOPIC);
            }
            if p.misconceptions() > 0 {
                cap = cap.min(JUDGE_CAP_MISCONCEPTION);
            }
            if p.claims == 0 {
                cap = cap.min(JUDGE_CAP_NO_CLAIM);
            }
            cap *= jargon;
            let rubric = judged.score;
            let held = v.score.min(cap);
            judged.reasons.push(format!(
                "judge: {:.1}/10{}",
                v.score,
                if v.rationale.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", excerpt(&v.rationale, 160))
                }
            ));
            // What the judge saw in the answer, and for a question that is not one of ours the rubric it wrote:
            // a judged score explains itself as the rubric's does.
            if !v.met.is_empty() {
                judged
                    .reasons
                    .push(format!("the judge found: {}", join_owned(&v.met, 4)));
            }
            if p.exchange.reference.is_none() && !v.rubric.is_empty() {
                judged.reasons.push(format!(
                    "not a bank question: graded against the judge's own rubric ({})",
                    join_owned(&v.rubric, 5)
                ));
            }
            if held < v.score {
                judged.reasons.push(format!(
                    "the guard holds the judge's {:.1} at {held:.1}",
                    v.score
                ));
            }
            if (v.score - rubric).abs() > JUDGE_DISAGREEMENT {
                judged.reasons.push(format!(
                    "judge and rubric disagree by more than {JUDGE_DISAGREEMENT:.0} points (judge {:.1}, rubric {rubric:.1})",
                    v.score
                ));
            }
            for error in v.errors.iter().take(3) {
                judged.tips.push(format!("{}: {}", p.on_question(), error));
            }
            judged.score = clamp10(held);
        }
        Some(super::JudgeOutcome::Failed(why)) => judged.reasons.push(format!(
            "judge unavailable ({}); the rubric's score stands",
            excerpt(why, 100)
        )),
        None => {}
    }
    judged
}

/// The most a judge may give an answer that asserts a misconception the bank knows.
pub const JUDGE_CAP_MISCONCEPTION: f64 = 4.0;

/// The most a judge may give an answer that shares no terms with its question or the interview's subject.
pub const JUDGE_CAP_OFF_TOPIC: f64 = 3.0;

/// The most a judge may give an answer that makes no statement at all (a list of terms, a fragment).
pub const JUDGE_CAP_NO_CLAIM: f64 = 2.0;

/// Judge and rubric scores further apart than this are reported as a disagreement.
pub const JUDGE_DISAGREEMENT: f64 = 3.0;

/// Problem solving shown in one technical answer: how many of approach, trade-offs, edge cases and complexity it
/// discusses (three of four score full), times form, length and relevance.
pub fn problem_solving(p: &Profile<'_, '_>) -> Judged {
    if p.disqualified() {
        return p.void();
    }
    let lex = lexicon();
    let approach = p.text.which(&lex.approach);
    let edge = p.text.which(&lex.edge_cases);
    let mut complexity = p.text.which(&lex.complexity);
    if p.text.has_complexity_notation() {
        complexity.push("Big-O");
    }
    let parts = [
        ("an approach", !approach.is_empty()),
        ("trade-offs", !p.tradeoffs.is_empty()),
        ("edge cases or failures", !edge.is_empty()),
        ("complexity or scale", !complexity.is_empty()),
    ];
    let present: Vec<&str> = parts
        .iter()
        .filter(|(_, on)| *on)
        .map(|(n, _)| *n)
        .collect();
    let absent: Vec<&str> = parts
        .iter()
        .filter(|(_, on)| !*on)
        .map(|(n, _)| *n)
        .collect();
    let length = (p.words() as f64 / 20.0).min(1.0);
    let raw = (present.len() as f64 / 3.0).min(1.0);
    let gate = p.gate(0.4);
    let mut judged = Judged::default();
    let jargon = p.jargon_factor(&mut judged);
    judged.score = clamp10(10.0 * p.form * length * gate * raw * jargon * p.soundness());
    // The rubric's key points are the solution's parts: an answer credited with them solved the problem, whether
    // or not it says "trade-off" or "edge case" in those words.
    let solved = p.credit.as_ref().map_or(0.0, |c| {
        clamp10(
            10.0 * PROBLEM_SOLVING_FROM_COVERAGE
                * (c.share() / COVERAGE_FULL_AT).min(1.0)
                * p.form_with_claims()
                * jargon
                * p.soundness(),
        )
    });
    let from_coverage = solved > judged.score;
    judged.score = judged.score.max(solved);
    p.note_form(&mut judged);
    if p.words() == 0 {
        return judged;
    }
    if gate < 0.5 {
        judged.bad(
            "the discussion does not address the question".to_owned(),
            None,
        );
    }
    if !present.is_empty() && gate > 0.0 {
        judged.good(format!("discusses {}", join(&present, 4)));
    }
    if from_coverage {
        judged.good(format!(
            "covers the rubric's key points: problem solving at least {solved:.1}"
        ));
    }
    if present.len() < 3 {
        judged.bad(
            format!("does not discuss {}", join(&absent, 4)),
            Some(format!(
                "{}: talk through {}",
                p.on_question(),
                join(&absent, 2)
            )),
        );
    }
    judged
}

/// Communication in one answer: delivery — structure (sentences, signposting) 30 %, length for the kind of question
/// 35 %, fluency (fillers per 100 words, and pace when spoken: 110–170 words per minute is full marks) 20 %, clarity
/// (sentence length; not measured on unpunctuated speech) 15 % — scaled by responsiveness (relevance, full from
/// 0.5): `delivery × (0.4 + 0.6 × responsiveness)`, so a clear answer to another question scores at most 4; more
/// than ten fillers per 100 words cost up to half the score besides.
pub fn communication(p: &Profile<'_, '_>) -> Judged {
    if p.disqualified() {
        return p.void();
    }
    let lex = lexicon();
    let words = p.words();
    let mut judged = Judged::default();
    p.note_form(&mut judged);
    if words == 0 {
        return judged;
    }
    let sentences = p.text.prose_sentences();
    let signposted = !p.text.which(&lex.signposts).is_empty();
    let structure = match sentences {
        0 => 0.0,
        1 => 0.5 + if words < 60 { 0.25 } else { 0.0 },
        _ => 0.75 + if signposted || words < 60 { 0.25 } else { 0.0 },
    };
    if sentences >= 2 && (signposted || words < 60) {
        judged.good("well structured".to_owned());
    } else if sentences >= 2 {
        judged.bad(
            "long answer without signposting".to_owned(),
            Some("Structure long answers: say how many points you will make, then first, second, finally".to_owned()),
        );
    }
    let prose: Vec<usize> = p
        .text
        .sentences
        .iter()
        .filter(|s| s.prose)
        .map(|s| s.words)
        .collect();
    let clarity = if !p.text.punctuated && words > 40 {
        None
    } else if prose.is_empty() {
        Some(0.0)
    } else {
        let mean = prose.iter().sum::<usize>() as f64 / prose.len() as f64;
        Some(if mean > 30.0 {
            judged.bad(
                format!("long sentences (about {mean:.0} words each)"),
                Some("Use shorter sentences: one idea each".to_owned()),
            );
            (1.0 - (mean - 30.0) / 30.0).max(0.0)
        } else if mean < 6.0 {
            mean / 6.0
        } else {
            1.0
        })
    };
    let (low, high) = match (p.exchange.kind, p.exchange.expects_design) {
        (ExchangeKind::Behavioral, _) => (60, 350),
        (ExchangeKind::Technical, true) => (60, 400),
        (ExchangeKind::Technical, false) => (25, 250),
    };
    let length = if words < low {
        if words >= 4 {
            judged.bad(
                format!("brief for the question ({words} words; {low}–{high} expected)"),
                None,
            );
        }
        words as f64 / low as f64
    } else if words > high {
        judged.bad(
            format!("long for the question ({words} words; {low}–{high} expected)"),
            Some("Keep answers focused: lead with the answer, then add detail if asked".to_owned()),
        );
        (high as f64 / words as f64).max(0.3)
    } else {
        judged.good(format!("fitting length ({words} words)"));
        1.0
    };
    let responsive = (p.relevance / 0.5).min(1.0);
    if responsive < 0.3 {
        judged.bad(
            "does not respond to the question".to_owned(),
            Some(format!(
                "{}: address the question directly before anything else",
                p.on_question()
            )),
        );
    }
    let per_100 = p.fillers as f64 * 100.0 / words as f64;
    let mut fluency = if words < 8 {
        0.0
    } else {
        (1.0 - (per_100 - 2.0) / 8.0).clamp(0.0, 1.0)
    };
    if words >= 8 && per_100 > 3.0 {
        judged.bad(
            format!("{per_100:.1} filler words per 100 words"),
            Some("Cut filler words (um, uh, you know): pause silently instead".to_owned()),
        );
    }
    if let Some(wpm) = p.exchange.reply.as_ref().and_then(|r| r.wpm) {
        let pace = if wpm < 110.0 {
            ((wpm - 60.0) / 50.0).clamp(0.0, 1.0)
        } else if wpm > 170.0 {
            ((240.0 - wpm) / 70.0).clamp(0.0, 1.0)
        } else {
            1.0
        };
        if pace < 1.0 {
            judged.bad(
                format!("pace {wpm:.0} words per minute (110–170 is easy to follow)"),
                Some(
                    if wpm > 170.0 {
                        "Slow down a little when speaking"
                    } else {
                        "Speak a little faster and more fluidly"
                    }
                    .to_owned(),
                ),
            );
        } else {
            judged.good(format!("comfortable pace ({wpm:.0} words per minute)"));
        }
        fluency = (fluency + pace) / 2.0;
    }
    let mut parts = vec![(0.3, structure), (0.35, length), (0.2, fluency)];
    if let Some(c) = clarity {
        parts.push((0.15, c));
    }
    let total_weight: f64 = parts.iter().map(|(w, _)| w).sum();
    let delivery = parts.iter().map(|(w, v)| w * v).sum::<f64>() / total_weight;
    // Past ten fillers per 100 words the answer is hard to follow at all: up to half the score goes.
    let drowned = if words >= 8 {
        (1.0 - (per_100 - 10.0) / 40.0).clamp(0.5, 1.0)
    } else {
        1.0
    };
    // A clear answer to another question still leaves the question unanswered: responsiveness scales the rest.
    // Buzzwords obscure what is meant: they cost clarity as they cost technical credit. Terse notes whose claims the
    // rubric credits got their meaning across, so form is read with the claims (the notes of
    // `tests/fixtures/note-form/`, graded 7.5 or more, had a median communication of 6 without them).
    let jargon = p.jargon_factor(&mut judged);
    judged.score = clamp10(
        10.0 * p.form_with_claims()
            * delivery
            * drowned
            * (0.2 + 0.8 * responsive)
            * p.soundness()
            * jargon,
    );
    judged
}

/// Cultural fit from one behavioral answer: STAR structure (situation, task, action told as "I …", result), ownership
/// ("I" against "we"), a measurable result and reflection, times form, a length factor reaching 1 at 40 words, and
/// relevance (full from 0.3).
pub fn cultural_fit(p: &Profile<'_, '_>) -> Judged {
    if p.disqualified() {
        return p.void();
    }
    let lex = lexicon();
    let words = p.words();
    let mut judged = Judged::default();
    p.note_form(&mut judged);
    if words == 0 {
        return judged;
    }
    // A part labelled outright ("S: …", "R: …") is told as plainly as one introduced in words.
    let labels = p
        .exchange
        .reply
        .as_ref()
        .map_or_else(StarLabels::default, |r| StarLabels::of(&r.text));
    let situation = labels.situation || !p.text.which(&lex.situation).is_empty();
    let task = labels.task || !p.text.which(&lex.task).is_empty();
    let action = labels.action || p.text.first_person_actions() > 0;
    let result = labels.result || !p.text.which(&lex.result).is_empty();
    let star = [
        ("situation", situation),
        ("task", task),
        ("action", action),
        ("result", result),
    ];
    let present: Vec<&str> = star.iter().filter(|(_, on)| *on).map(|(n, _)| *n).collect();
    let missing: Vec<&str> = star
        .iter()
        .filter(|(_, on)| !*on)
        .map(|(n, _)| *n)
        .collect();
    if present.len() == 4 {
        judged.good("complete STAR story (situation, task, action, result)".to_owned());
    } else {
        judged.bad(
            format!(
                "STAR: has {}; missing {}",
                if present.is_empty() {
                    "nothing".to_owned()
                } else {
                    join(&present, 4)
                },
                join(&missing, 4)
            ),
            Some(format!(
                "{}: tell it as STAR — add the {}",
                p.on_question(),
                join(&missing, 4)
            )),
        );
    }
    let (singular, plural_count) = p.text.pronouns();
    let ownership = if singular + plural_count == 0 {
        0.0
    } else {
        (singular as f64 / (singular + plural_count) as f64 / 0.5).min(1.0)
    };
    if singular + plural_count == 0 {
        judged.bad(
            "no one acts in the story (no \"I\" or \"we\")".to_owned(),
            Some("Say what you did, in the first person".to_owned()),
        );
    } else if ownership < 0.5 {
        judged.bad(
            format!("credits the team, not the candidate: \"we\" {plural_count} times, \"I\" {singular}"),
            Some("Say what you personally did: \"I proposed…\", \"I built…\", not only \"we did it\"".to_owned()),
        );
    } else {
        judged.good(format!(
            "takes ownership (\"I\" {singular} times, \"we\" {plural_count})"
        ));
    }
    let measurable = p.text.has_number();
    if measurable && result {
        judged.good("measurable result".to_owned());
    } else {
        judged.bad(
            "no measurable result".to_owned(),
            Some("Quantify the outcome: a percentage, a time saved, a number of users".to_owned()),
        );
    }
    let reflection = labels.reflection || !p.text.which(&lex.reflection).is_empty();
    if reflection {
        judged.good("reflects on what was learned".to_owned());
    }
    let gate = p.gate(0.3);
    if gate < 0.5 {
        judged.bad(
            "the story does not answer the question".to_owned(),
            Some(format!(
                "{}: pick a story that fits the question",
                p.on_question()
            )),
        );
    }
    let length = (words as f64 / 40.0).min(1.0);
    let raw = 0.45 * present.len() as f64 / 4.0
        + 0.25 * ownership
        + 0.2 * f64::from(u8::from(measurable))
        + 0.1 * f64::from(u8::from(reflection));
    for (claim, sentence) in &p.other_red_flags {
        judged.bad(
            format!("\"{}\" ({claim})", excerpt(sentence, 90)),
            Some(format!("{}: {}", p.on_question(), claim.to_lowercase())),
        );
    }
    judged.score = clamp10(10.0 * p.form * length * gate * raw * p.soundness());
    judged
}

/// The evidence entry for an answer.
pub fn answer_evidence(p: &Profile<'_, '_>, judged: &Judged) -> Evidence {
    let e = p.exchange;
    Evidence {
        source: EvidenceSource::Answer,
        message_index: e
            .reply
            .as_ref()
            .map(|r| r.index)
            .or(e.prompt.as_ref().map(|q| q.index)),
        question: e
            .prompt
            .as_ref()
            .map(|q| excerpt(question_line(&q.text), 160)),
        question_id: e.reference.map(|r| r.id.to_owned()),
        excerpt: e
            .reply
            .as_ref()
            .filter(|r| !r.text.trim().is_empty())
            .map(|r| excerpt(&r.text, 160)),
        submission_id: None,
        function_name: None,
        score: judged.score,
        reasons: judged.reasons.clone(),
    }
}

/// What the code runs of an interview earn, per coding problem.
#[derive(Default)]
pub struct CodeItems {
    /// Problem solving shown in code: one item per problem.
    pub problem_solving: Vec<(Evidence, Judged)>,
    /// Code quality: one item per problem.
    pub quality: Vec<(Evidence, Judged)>,
    pub flags: Vec<IntegrityFlag>,
}

/// What solving an easy problem earns (of 10; medium and hard ones earn 10). Solving an easy problem (Two Sum,
/// Binary Search) shows less than solving a medium one, and a weak candidate can do it after a hint: of the graded
/// interviews (`tests/scoring_adversarial.rs`), the five that solved an easy problem were graded 3.0–6.0 (weak,
/// mediocre or solid) and, with full marks for it, each scored over its grade (6.5 for a 3.5, 8.7 for a 6.0). No
/// strong interview there drew an easy problem; one that does loses about a quarter of a point overall.
pub const EASY_SOLVED: f64 = 8.0;

/// Scores code by problem. Only graded runs count — judged by the server's own tests of a bank problem (its worked
/// examples and hidden tests); runs against the candidate's own tests are recorded and never scored. Each problem
/// the interviewer posed (or, when none is recorded, that a graded run names) is one item: solved (a graded run
/// passed every test) scores 10 ([`EASY_SOLVED`] for an easy problem), less half a point per failed graded attempt
/// before it (at most 2). Unsolved, not attempted, or code that returns the worked examples' answers by matching
/// their inputs, scores 0, as the rubric has it: hidden tests exist so that "most of the tests" cannot be
/// reached by a wrong approach (counting brackets, a greedy pass where the problem needs dynamic programming), and
/// every graded run tells the candidate how many tests pass, so an unsolved problem is one the candidate stopped
/// working on. Skipping is never better than trying; trying without solving is not better than skipping either. One
/// problem tried in several languages is one problem, judged by its best graded run.
pub fn code_items(input: &super::EvaluationInput, bank: &QuestionBank) -> CodeItems {
    // The interview's problems are those the interviewer posed. A graded run of another bank problem (the REST
    // route takes any `problemId`) is practice: counted, a candidate could pad an unsolved posed problem with an
    // easy one of their choosing, or lower their score by solving one more. Only when nothing was posed (a
    // transcript without the record) do the graded runs name the problems.
    let mut problems: Vec<String> = input.posed_problems.clone();
    if problems.is_empty() {
        for s in &input.code_submissions {
            if let Some(id) = s.problem_id.as_ref().filter(|_| s.graded)
                && !problems.contains(id)
            {
                problems.push(id.clone());
            }
        }
    }
    let mut items = CodeItems::default();
    for id in problems {
        let problem = bank.coding_problem(&id);
        let examples = problem.map_or(0, |p| p.examples.len());
        let title = problem.map_or_else(|| id.clone(), |p| p.title.clone());
        let graded: Vec<&CodeSubmission> = input
            .code_submissions
            .iter()
            .filter(|s| s.graded && s.problem_id.as_deref() == Some(id.as_str()))
            .collect();
        let scratch = input
            .code_submissions
            .iter()
            .filter(|s| !s.graded && s.problem_id.as_deref() == Some(id.as_str()))
            .count();
        let hidden_rate = |s: &CodeSubmission| {
            let hidden = &s.passes[examples.min(s.passes.len())..];
            if hidden.is_empty() {
                s.tests.and_then(|t| t.rate()).unwrap_or(0.0)
            } else {
                hidden.iter().filter(|p| **p).count() as f64 / hidden.len() as f64
            }
        };
        let solved = |s: &CodeSubmission| !s.passes.is_empty() && s.passes.iter().all(|p| *p);
        let hard_coded =
            problem.is_some_and(|p| graded.iter().any(|s| returns_examples(s, &p.examples)));
        let best = graded.iter().copied().max_by(|a, b| {
            (solved(a), hidden_rate(a))
                .partial_cmp(&(solved(b), hidden_rate(b)))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        let mut judged;
        let mut quality;
        match best {
            None => {
                judged = Judged::new(0.0);
                let flag = if scratch > 0 {
                    IntegrityFlag::ScratchRunsOnly {
                        problem: title.clone(),
                    }
                } else {
                    IntegrityFlag::UnsolvedProblem {
                        problem: title.clone(),
                    }
                };
                judged.bad(
                    flag.describe(),
                    Some(format!(
                        "{title}: run your solution against the problem's tests (Run), not only your own"
                    )),
                );
                items.flags.push(flag);
                quality = Judged::new(0.0);
                quality
                    .reasons
                    .push(format!("{title}: no graded run to assess"));
            }
            Some(_) if hard_coded => {
                judged = Judged::new(0.0);
                let flag = IntegrityFlag::HardCodedExamples {
                    problem: title.clone(),
                };
                judged.bad(
                    flag.describe(),
                    Some(format!("{title}: solve the problem, not its examples")),
                );
                items.flags.push(flag);
                quality = Judged::new(0.0);
                quality
                    .reasons
                    .push(format!("{title}: the code does not solve the problem"));
            }
            Some(best) => {
                let failed_before = graded
                    .iter()
                    .take_while(|s| !std::ptr::eq(**s, best))
                    .filter(|s| !solved(s))
                    .count();
                let rate = hidden_rate(best);
                let passes = format!(
                    "{} of {} tests ({} of {} hidden)",
                    best.passes.iter().filter(|p| **p).count(),
                    best.passes.len(),
                    best.passes[examples.min(best.passes.len())..]
                        .iter()
                        .filter(|p| **p)
                        .count(),
                    best.passes.len().saturating_sub(examples)
                );
                let languages: Vec<String> = {
                    let mut l: Vec<String> =
                        graded.iter().filter_map(|s| s.language.clone()).collect();
                    l.dedup();
                    l
                };
                if solved(best) {
                    let easy = problem.is_some_and(|p| p.difficulty == Difficulty::Easy);
                    let top = if easy { EASY_SOLVED } else { 10.0 };
                    judged = Judged::new(top - 0.5 * failed_before.min(4) as f64);
                    judged.good(format!(
                        "{title}: solved — passes {passes}{}{}",
                        if failed_before > 0 {
                            format!(" after {}", plural(failed_before, "failed graded run"))
                        } else {
                            String::new()
                        },
                        if easy {
                            format!(" (an easy problem: at most {EASY_SOLVED:.0})")
                        } else {
                            String::new()
                        }
                    ));
                } else {
                    judged = Judged::new(0.0);
                    let how_far = if best.passes.is_empty() {
                        "the best graded run reports no per-test results to verify".to_owned()
                    } else {
                        format!("the best graded run passes {passes}")
                    };
                    judged.bad(
                        format!("{title}: unsolved — {how_far}; a problem counts once every test passes"),
                        Some(format!(
                            "{title}: test the edge cases the examples do not show before submitting"
                        )),
                    );
                    items.flags.push(IntegrityFlag::UnsolvedProblem {
                        problem: title.clone(),
                    });
                }
                if languages.len() > 1 {
                    judged.reasons.push(format!(
                        "tried in {}: one problem, judged by its best graded run",
                        languages.join(" and ")
                    ));
                }
                let q = best.quality.quality_score.unwrap_or(5.0);
                // Tidy code that is wrong is not good code: readability is credited on code that solves the problem.
                quality = Judged::new(if solved(best) { q } else { 0.0 });
                quality.reasons.push(format!(
                    "{title}: passes {passes}; quality score {q:.1}/10{}",
                    if solved(best) {
                        String::new()
                    } else {
                        format!(
                            ", not credited because {:.0}% of the hidden tests fail",
                            (1.0 - rate) * 100.0
                        )
                    }
                ));
                if let Some(c) = best.quality.cyclomatic_complexity.filter(|c| *c > 10.0) {
                    quality.bad(
                        format!("cyclomatic complexity {c:.0} (over 10 is hard to follow)"),
                        Some(format!("{title}: split the logic into smaller functions")),
                    );
                }
            }
        }
        let submission_id = best.and_then(|s| s.submission_id.clone());
        let evidence = |judged: &Judged, source: EvidenceSource| Evidence {
            source,
            message_index: None,
            question: Some(title.clone()),
            question_id: Some(id.clone()),
            excerpt: None,
            submission_id: submission_id.clone(),
            function_name: best.and_then(|s| s.function_name.clone()),
            score: judged.score,
            reasons: judged.reasons.clone(),
        };
        items
            .problem_solving
            .push((evidence(&judged, EvidenceSource::CodingProblem), judged));
        items
            .quality
            .push((evidence(&quality, EvidenceSource::CodeSubmission), quality));
    }
    items
}

/// Whether a submission's code holds every worked example's arguments and expected answer as literals — the shape of
/// code that returns the examples' answers by matching their inputs rather than solving the problem.
fn returns_examples(s: &CodeSubmission, examples: &[serde_json::Value]) -> bool {
    let Some(code) = s.code.as_deref() else {
        return false;
    };
    let squeezed: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let literal = |v: &serde_json::Value| -> Option<String> {
        let text: String = v
            .to_string()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        // Short literals (`0`, `true`, `[]`) occur in honest code; only distinctive ones count.
        (text.len() >= 5).then_some(text)
    };
    let mut distinctive = 0;
    for example in examples {
        let args = example
            .get("args")
            .and_then(|a| a.as_array())
            .and_then(|a| a.iter().filter_map(literal).max_by_key(String::len));
        match args {
            Some(args) if squeezed.contains(&args) => distinctive += 1,
            Some(_) => return false,
            None => {}
        }
    }
    distinctive > 0
}

/// The question sentence of a prompt (the last line with a `?`, else its last line), for quoting.
pub fn question_line(text: &str) -> &str {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines
        .iter()
        .rev()
        .find(|l| l.contains('?'))
        .or(lines.last())
        .copied()
        .unwrap_or(text)
}

/// The first `max` characters, on a character boundary, with an ellipsis when cut.
pub fn excerpt(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let cut: String = flat.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

/// "a, b and c" (at most `max` items, then "and N more").
pub fn join(items: &[&str], max: usize) -> String {
    let shown: Vec<&str> = items.iter().take(max).copied().collect();
    let rest = items.len().saturating_sub(max);
    let mut text = match shown.len() {
        0 => String::new(),
        1 => shown[0].to_owned(),
        n => format!("{} and {}", shown[..n - 1].join(", "), shown[n - 1]),
    };
    if rest > 0 {
        text = format!("{}, and {rest} more", shown.join(", "));
    }
    text
}

fn join_owned(items: &[String], max: usize) -> String {
    let refs: Vec<&str> = items.iter().map(String::as_str).collect();
    join(&refs, max)
}

/// "1 answer", "3 answers".
pub fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_naturally() {
        assert_eq!(join(&[], 3), "");
        assert_eq!(join(&["a"], 3), "a");
        assert_eq!(join(&["a", "b", "c"], 3), "a, b and c");
        assert_eq!(join(&["a", "b", "c", "d"], 2), "a, b, and 2 more");
        assert_eq!(excerpt("  one   two three ", 9), "one two…");
        assert_eq!(plural(1, "answer"), "1 answer");
    }

    fn run(
        problem: &str,
        graded: bool,
        passes: &[bool],
        language: &str,
        code: &str,
    ) -> CodeSubmission {
        CodeSubmission {
            submission_id: None,
            function_name: Some("two_sum".into()),
            language: Some(language.into()),
            code_lines: Some(code.lines().count()),
            code: Some(code.into()),
            tests: Some(super::super::input::TestTally {
                passed: passes.iter().filter(|p| **p).count(),
                total: passes.len(),
            }),
            first_error: None,
            quality: super::super::input::QualityMetrics {
                quality_score: Some(8.0),
                ..Default::default()
            },
            timestamp: None,
            problem_id: Some(problem.into()),
            graded,
            passes: passes.to_vec(),
        }
    }

    fn input(posed: &[&str], runs: Vec<CodeSubmission>) -> super::super::EvaluationInput {
        super::super::EvaluationInput {
            session_id: None,
            interview_type: InterviewType::Coding,
            duration: None,
            candidate_name: None,
            conversation: Vec::new(),
            code_submissions: runs,
            posed_problems: posed.iter().map(|p| (*p).to_owned()).collect(),
        }
    }

    #[test]
    fn only_graded_runs_score_and_a_posed_problem_left_alone_is_zero() {
        let items_of = |posed: &[&str], runs: Vec<CodeSubmission>| {
            code_items(&input(posed, runs), QuestionBank::embedded())
        };
        let all = vec![true; 12];
        // Scratch runs that "pass" score nothing; a posed problem without a graded run is unsolved.
        let items = items_of(
            &["two-sum"],
            vec![run("two-sum", false, &all, "python", "x")],
        );
        assert_eq!(items.problem_solving[0].1.score, 0.0);
        assert!(matches!(
            items.flags[0],
            IntegrityFlag::ScratchRunsOnly { .. }
        ));
        let skipped = items_of(&["two-sum"], vec![]);
        assert_eq!(skipped.problem_solving[0].1.score, 0.0);
        // Solved on the second graded attempt, in another language: one problem, half a point off. Two Sum is an
        // easy problem, which earns at most EASY_SOLVED; a medium one earns 10.
        let mut failing = all.clone();
        failing[5] = false;
        let items = items_of(
            &["two-sum"],
            vec![
                run("two-sum", true, &failing, "javascript", "x"),
                run("two-sum", true, &all, "python", "y"),
            ],
        );
        assert_eq!(items.problem_solving.len(), 1);
        assert_eq!(items.problem_solving[0].1.score, EASY_SOLVED - 0.5);
        let medium = items_of(
            &["coin-change"],
            vec![run("coin-change", true, &all, "python", "y")],
        );
        assert_eq!(medium.problem_solving[0].1.score, 10.0);
        // A problem the interviewer did not pose is practice: solving it neither pads the posed one nor lowers the
        // score (Two Sum is easy).
        let padded = items_of(
            &["coin-change"],
            vec![
                run("coin-change", true, &all, "python", "y"),
                run("two-sum", true, &all, "python", "z"),
            ],
        );
        assert_eq!(padded.problem_solving.len(), 1);
        assert_eq!(padded.problem_solving[0].1.score, 10.0);
        let unsolved = items_of(
            &["coin-change"],
            vec![run("two-sum", true, &all, "python", "z")],
        );
        assert_eq!(unsolved.problem_solving.len(), 1);
        assert_eq!(unsolved.problem_solving[0].1.score, 0.0);
        assert!(
            items.problem_solving[0]
                .1
                .reasons
                .iter()
                .any(|r| r.contains("javascript and python"))
        );
        // A run that fails one hidden test leaves the problem unsolved: no better than skipping, and no worse; its
        // tidy code earns no quality credit, and the report says how far it got.
        let tried = items_of(
            &["two-sum"],
            vec![run("two-sum", true, &failing, "python", "x")],
        );
        assert_eq!(
            tried.problem_solving[0].1.score,
            skipped.problem_solving[0].1.score
        );
        assert_eq!(tried.quality[0].1.score, 0.0);
        assert!(matches!(
            tried.flags[0],
            IntegrityFlag::UnsolvedProblem { .. }
        ));
        let passes = format!("passes {} of {} tests", all.len() - 1, all.len());
        assert!(
            tried.problem_solving[0]
                .1
                .reasons
                .iter()
                .any(|r| r.contains("unsolved") && r.contains(&passes)),
            "{:?}",
            tried.problem_solving[0].1.reasons
        );
    }

    #[test]
    fn code_that_matches_the_examples_inputs_is_hard_coded() {
        let bank = QuestionBank::embedded();
        let problem = bank.coding_problem("two-sum").unwrap();
        let mut code = String::from("def two_sum(nums, target):\n");
        for e in &problem.examples {
            code.push_str(&format!(
                "    if nums == {} and target == {}:\n        return {}\n",
                e["args"][0], e["args"][1], e["expected"]
            ));
        }
        let mut passes = vec![false; 2 + problem.hidden_tests.len()];
        passes[0] = true;
        passes[1] = true;
        let items = code_items(
            &input(
                &["two-sum"],
                vec![run("two-sum", true, &passes, "python", &code)],
            ),
            bank,
        );
        assert_eq!(items.problem_solving[0].1.score, 0.0);
        assert!(matches!(
            items.flags[0],
            IntegrityFlag::HardCodedExamples { .. }
        ));
        assert_eq!(clamp10(f64::NAN), 0.0);
    }
}
