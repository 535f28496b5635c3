//! From a list of messages to *exchanges*: an interviewer's question and the candidate's answer to it, with the bank
//! question it is (when it is one) and whether it asks for technical knowledge or for a behavioral story.
//!
//! Consecutive interviewer messages form one prompt (unless a question follows a question that got no reply) and
//! consecutive candidate messages one answer, because both voice and chat split turns. A prompt counts as a question when it asks something (a `?`, or a sentence opening
//! with "explain", "describe", "walk me through"…) about something (a content word that is not small talk — "are you
//! ready?" is not a question to be scored). A question with no reply is an unanswered question and scores 0. When
//! the conversation has no interviewer questions at all (a caller sent only the candidate's side), each candidate
//! turn is judged on its own against the interview type's vocabulary.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use super::continuation::{Joint, joint};
use super::input::{Message, Speaker};
use super::language::{AnswerText, content_stems, lexicon, phrase_key, words};
use super::misconceptions::FlagKeys;
use crate::domain::{InterviewType, ReplyKind};
use crate::knowledge::{KeyPoint, QuestionBank, QuestionCategory, RedFlag};

/// What an exchange asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExchangeKind {
    /// Knowledge, reasoning, design: scored for technical knowledge and problem solving.
    Technical,
    /// A story about past behaviour: scored for cultural fit.
    Behavioral,
}

/// A bank question (or coding problem) an interviewer's prompt was recognised as.
#[derive(Debug)]
pub struct Reference<'b> {
    pub id: &'b str,
    pub text: &'b str,
    pub category: QuestionCategory,
    pub key_points: &'b [KeyPoint],
    /// Each key point's keywords as phrase keys, stemmed once rather than once per answer.
    pub keyword_keys: Vec<Vec<String>>,
    /// Misconceptions about the subject, with what asserts each, stemmed once.
    pub red_flags: &'b [RedFlag],
    pub red_flag_keys: Vec<FlagKeys>,
    interview_type: Option<InterviewType>,
    terms: HashSet<String>,
    /// The length of `terms` as a vector of inverse document frequencies, squared: the cosine's denominator.
    norm: f64,
    /// A coding problem's title, as the interviewer names it when posing the problem ("Let's do a coding
    /// problem: Two Sum."); empty for questions.
    title: &'b str,
}

impl Reference<'_> {
    /// Whether this is a coding problem rather than an interview question.
    pub fn is_coding_problem(&self) -> bool {
        self.interview_type.is_none()
    }
}

/// How an interviewer's prompt was recognised as a bank question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchKind {
    /// The bank's own text (case and blanks aside), or nearly all of its content words.
    Exact,
    /// A paraphrase: most of the question's weighted content words are in the prompt. Its rubric applies.
    Nearest,
}

/// The interviewer's side of an exchange.
#[derive(Debug)]
pub struct Prompt {
    /// Index of its first message in the conversation.
    pub index: usize,
    pub text: String,
    /// When its last message was said.
    pub asked_at: Option<DateTime<Utc>>,
}

/// The candidate's side of an exchange.
#[derive(Debug)]
pub struct Reply {
    /// Index of its first message in the conversation.
    pub index: usize,
    pub text: String,
    pub started_at: Option<DateTime<Utc>>,
    /// Word-weighted average of the messages' speaking rates, when spoken.
    pub wpm: Option<f64>,
    /// Fillers the recogniser counted, when spoken.
    pub filler_count: Option<u32>,
    /// Where in `text` the answer to the first follow-up begins (a byte offset; `None` when no follow-up was
    /// answered): what comes after it was said once the interviewer had pointed at it.
    pub prompted_from: Option<usize>,
    /// The follow-ups asked from `prompted_from` on, after a real answer: what they asked for is hinted.
    pub hints: Vec<String>,
    /// What the interviewer told the candidate besides follow-ups after a real answer (replies to clarifying
    /// questions, a follow-up to a stall), each with everything the candidate had said by then, clarifying
    /// questions included: a point it names that the candidate had not named yet is hinted.
    pub told: Vec<(String, String)>,
}

/// One question and its answer.
#[derive(Debug)]
pub struct Exchange<'b> {
    pub prompt: Option<Prompt>,
    /// The interviewer's follow-up questions on the same subject; their answers are part of `reply`.
    pub follow_ups: Vec<String>,
    pub reply: Option<Reply>,
    pub kind: ExchangeKind,
    pub reference: Option<&'b Reference<'b>>,
    /// How the prompt was recognised as `reference`.
    pub match_kind: Option<MatchKind>,
    /// The prompt expects a long answer (system design, architecture).
    pub expects_design: bool,
    /// Clarifying questions the candidate asked before answering (not part of the answer).
    pub clarifying_questions: usize,
}

/// The conversation as exchanges, plus what does not belong to any.
#[derive(Debug, Default)]
pub struct Dialogue<'b> {
    pub exchanges: Vec<Exchange<'b>>,
    /// Candidate turns that answered no question (greetings, questions back to the interviewer).
    pub unprompted_replies: usize,
    pub candidate_messages: usize,
}

/// The bank questions an interview may use, with their content words, for recognising prompts.
pub struct References<'b> {
    index: IndexRef<'b>,
    interview_type: InterviewType,
    /// The coding problems the interviewer posed in this interview (indices into the items): a prompt that names
    /// one by its title asks it, though its statement went to the editor rather than into the transcript.
    posed: Vec<usize>,
}

/// What [`References`] knows about a bank, whatever the interview type. Building it stems every question, key point
/// and red flag, so the embedded bank's is built once per process.
pub struct BankIndex<'b> {
    items: Vec<Reference<'b>>,
    /// Bank question texts as [`normalise`] leaves them, to their item: exact matches in one lookup.
    by_text: HashMap<String, usize>,
    /// Content word to the items whose text has it, so a prompt is compared only with questions it shares words with.
    postings: HashMap<String, Vec<usize>>,
    /// Inverse document frequency of each content word over the bank: rare words say more about which question a
    /// paraphrase is.
    idf: HashMap<String, f64>,
}

/// The embedded bank's index, shared, or another bank's, built for this use.
enum IndexRef<'b> {
    Shared(&'b BankIndex<'b>),
    Owned(BankIndex<'b>),
}

impl<'b> std::ops::Deref for References<'b> {
    type Target = BankIndex<'b>;

    fn deref(&self) -> &BankIndex<'b> {
        match &self.index {
            IndexRef::Shared(index) => index,
            IndexRef::Owned(index) => index,
        }
    }
}

/// A prompt whose content words include at least this share of a bank question's content words is that question.
const MATCH_CONTAINMENT: f64 = 0.75;

/// A prompt that holds at least this share of a bank question's content words, each weighted by its inverse
/// document frequency, is a paraphrase of it, and that question's rubric applies (documented in the README).
pub const NEAREST_MATCH: f64 = 0.6;

/// A prompt whose content words, weighted by inverse document frequency, have at least this cosine with a bank
/// question's is a paraphrase of it too: the Bedrock agent shortens questions, which leaves few of a long
/// question's words but little else. Measured on blind paraphrases (`tests/question_retrieval.rs`): recall against
/// false matches on questions that share the words but ask something else.
pub const NEAREST_COSINE: f64 = 0.5;

/// What a prompt needs besides the cosine to match by it. A short follow-up ("What was the hardest part, and the
/// root cause?") is nearly all words of some bank question, yet says too little to be one: a question that stands
/// on its own has five content words or more (every blind paraphrase has), shares three with the bank question,
/// and holds 35 % of its weight ([`NEAREST_MATCH`]'s measure). Measured on the development paraphrases, these
/// cost no paraphrase and one false match less.
const COSINE_MIN_TERMS: usize = 5;
const COSINE_MIN_SHARED: usize = 3;
const COSINE_MIN_RECALL: f64 = 0.35;

impl<'b> BankIndex<'b> {
    fn build(bank: &'b QuestionBank) -> Self {
        let mut items: Vec<Reference<'b>> = bank
            .questions
            .iter()
            .map(|q| Reference {
                id: &q.id,
                text: &q.text,
                category: q.category,
                key_points: &q.key_points,
                keyword_keys: keyword_keys(&q.key_points),
                red_flags: &q.red_flags,
                red_flag_keys: q.red_flags.iter().map(FlagKeys::new).collect(),
                interview_type: Some(q.interview_type),
                terms: content_stems(&q.text),
                norm: 0.0,
                title: "",
            })
            .collect();
        items.extend(bank.coding.iter().map(|c| Reference {
            id: &c.id,
            text: &c.statement,
            category: QuestionCategory::Technical,
            key_points: &c.key_points,
            keyword_keys: keyword_keys(&c.key_points),
            red_flags: &c.red_flags,
            red_flag_keys: c.red_flags.iter().map(FlagKeys::new).collect(),
            interview_type: None,
            terms: content_stems(&format!("{} {}", c.title, c.statement)),
            norm: 0.0,
            title: &c.title,
        }));
        let mut by_text = HashMap::new();
        for (i, q) in bank.questions.iter().enumerate() {
            by_text.entry(normalise(&q.text)).or_insert(i);
        }
        let mut postings: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, r) in items.iter().enumerate() {
            for term in &r.terms {
                postings.entry(term.clone()).or_default().push(i);
            }
        }
        let n = items.len().max(1) as f64;
        let idf: HashMap<String, f64> = postings
            .iter()
            .map(|(term, list)| (term.clone(), (n / list.len() as f64).ln() + 1.0))
            .collect();
        for r in &mut items {
            r.norm = r
                .terms
                .iter()
                .filter_map(|t| idf.get(t))
                .map(|w| w * w)
                .sum();
        }
        Self {
            items,
            by_text,
            postings,
            idf,
        }
    }
}

impl<'b> References<'b> {
    /// Every bank question and coding problem; those of `interview_type` (and the coding problems) rank first.
    pub fn new(bank: &'b QuestionBank, interview_type: InterviewType) -> Self {
        static EMBEDDED: std::sync::OnceLock<BankIndex<'static>> = std::sync::OnceLock::new();
        let embedded = QuestionBank::embedded();
        let index = if std::ptr::eq(bank, embedded) {
            IndexRef::Shared(EMBEDDED.get_or_init(|| BankIndex::build(embedded)))
        } else {
            IndexRef::Owned(BankIndex::build(bank))
        };
        Self {
            index,
            interview_type,
            posed: Vec::new(),
        }
    }

    /// The coding problems posed in this interview, by id (unknown ids are ignored).
    pub fn with_posed(mut self, ids: &[String]) -> Self {
        self.posed = ids
            .iter()
            .filter_map(|id| {
                self.items
                    .iter()
                    .position(|r| r.is_coding_problem() && r.id == id.as_str())
            })
            .collect();
        self
    }

    /// Every red flag of this interview type's questions (and of the coding problems): a misconception is wrong
    /// whichever question it is said in.
    pub fn type_red_flags(&self) -> Vec<(&'b RedFlag, &FlagKeys)> {
        self.items
            .iter()
            .filter(|r| r.interview_type.is_none_or(|t| t == self.interview_type))
            .flat_map(|r| r.red_flags.iter().zip(&r.red_flag_keys))
            .collect()
    }

    /// The bank keywords of this interview type's questions: they extend its domain vocabulary.
    pub fn type_keywords(&self) -> impl Iterator<Item = &'b str> + '_ {
        self.items
            .iter()
            .filter(|r| r.interview_type == Some(self.interview_type))
            .flat_map(|r| r.key_points.iter())
            .flat_map(|k| k.keywords.iter().map(String::as_str))
    }

    /// The bank question or coding problem an interviewer's prompt is recognised as, by id, and how: what the
    /// report's `questionId` and `match` say for it.
    pub fn recognise(&self, prompt: &str) -> Option<(&'b str, MatchKind)> {
        self.find(prompt).map(|(i, kind)| (self.items[i].id, kind))
    }

    /// The reference a prompt asks: an exact text match (the whole prompt or one of its questions), else the
    /// question whose content words the prompt contains best — [`MatchKind::Exact`] from [`MATCH_CONTAINMENT`] of
    /// them, [`MatchKind::Nearest`] from [`NEAREST_MATCH`] of their weight.
    fn find(&self, prompt: &str) -> Option<(usize, MatchKind)> {
        if let Some(i) = self.by_text.get(&normalise(prompt)) {
            return Some((*i, MatchKind::Exact));
        }
        // The question after a lead-in ("Good — you covered…", "No problem, let's move on."), or before more talk:
        // any run of whole sentences that is a bank question's text.
        let starts: Vec<usize> = std::iter::once(0)
            .chain(
                prompt
                    .char_indices()
                    .filter(|(_, c)| matches!(c, '.' | '!' | '?' | '\n'))
                    .map(|(i, c)| i + c.len_utf8()),
            )
            .chain(std::iter::once(prompt.len()))
            .collect();
        for (n, &start) in starts.iter().enumerate() {
            // A bank question is a few sentences: bounded, so a long message costs linear time.
            for &end in starts[n + 1..].iter().take(MAX_QUESTION_SENTENCES) {
                if let Some(i) = self.by_text.get(&normalise(&prompt[start..end])) {
                    return Some((*i, MatchKind::Exact));
                }
            }
        }
        // A posed problem named by its title, when no bank question is asked word for word ("Let's do a coding
        // problem: Two Sum." — its statement went to the editor).
        if let Some(i) = self
            .posed
            .iter()
            .find(|i| names_title(prompt, self.items[**i].title))
        {
            return Some((*i, MatchKind::Exact));
        }
        let terms = content_stems(prompt);
        if terms.is_empty() {
            return None;
        }
        let mut shared_terms = vec![0usize; self.items.len()];
        for term in &terms {
            for i in self.postings.get(term).into_iter().flatten() {
                shared_terms[*i] += 1;
            }
        }
        let weight = |t: &String| self.idf.get(t).copied().unwrap_or(1.0);
        // The prompt's side of the cosine: its small talk ("great", "thanks") says nothing about which question it is.
        let lex = lexicon();
        let asking = |t: &&String| !lex.small_talk.contains(t.as_str());
        let prompt_norm: f64 = terms.iter().filter(asking).map(|t| weight(t).powi(2)).sum();
        let prompt_terms = terms.iter().filter(asking).count();
        // Ranked by (recognised word for word, same interview type, strength, shared words).
        let mut best: Option<((bool, bool, f64, usize), usize)> = None;
        for (i, r) in self.items.iter().enumerate() {
            let shared = shared_terms[i];
            if r.terms.len() < 3 || shared < 2 {
                continue;
            }
            let total: f64 = r.terms.iter().map(weight).sum();
            let held: f64 = r
                .terms
                .iter()
                .filter(|t| terms.contains(*t))
                .map(weight)
                .sum();
            let weighted = held / total.max(f64::MIN_POSITIVE);
            let containment = shared as f64 / r.terms.len() as f64;
            let exact = containment >= MATCH_CONTAINMENT;
            let strength = if exact {
                containment
            } else {
                let common: Vec<f64> = r
                    .terms
                    .iter()
                    .filter(|t| terms.contains(*t) && asking(t))
                    .map(|t| weight(t).powi(2))
                    .collect();
                let cosine = if common.len() >= COSINE_MIN_SHARED
                    && prompt_terms >= COSINE_MIN_TERMS
                    && weighted >= COSINE_MIN_RECALL
                {
                    common.iter().sum::<f64>()
                        / (r.norm * prompt_norm).sqrt().max(f64::MIN_POSITIVE)
                } else {
                    0.0
                };
                (weighted / NEAREST_MATCH).max(cosine / NEAREST_COSINE)
            };
            if strength < 1.0 && !exact {
                continue;
            }
            // The interview's own type (or a coding problem, posed in any interview) ranks before strength: the
            // banks of two types share subjects ("How does a Well-Architected review work?" is an AWS and an Azure
            // question), and their rubrics differ.
            let same_type = r.interview_type.is_none_or(|t| t == self.interview_type);
            let rank = (exact, same_type, strength, shared);
            if best.is_none_or(|(b, _)| rank > b) {
                best = Some((rank, i));
            }
        }
        best.map(|((exact, ..), i)| {
            (
                i,
                if exact {
                    MatchKind::Exact
                } else {
                    MatchKind::Nearest
                },
            )
        })
    }
}

/// The most sentences a bank question's text spans (the longest has four).
const MAX_QUESTION_SENTENCES: usize = 8;

/// Blanks folded and lowercase, as the bank's own `find_by_text` compares texts.
/// Whether `prompt` names `title` as words of its own ("…a coding problem: Two Sum." names "Two Sum"; "two
/// summaries" does not).
fn names_title(prompt: &str, title: &str) -> bool {
    let words = |text: &str| -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let title = words(title);
    !title.is_empty()
        && words(prompt)
            .windows(title.len())
            .any(|w| w == title.as_slice())
}

pub(super) fn normalise(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn keyword_keys(points: &[KeyPoint]) -> Vec<Vec<String>> {
    points
        .iter()
        .map(|p| p.keywords.iter().map(|k| phrase_key(k)).collect())
        .collect()
}

/// Whether an interviewer's prompt asks the candidate something worth scoring: it has an asking sentence (ending in
/// `?` or opening with an imperative such as "explain"), and a content word that is not small talk — in the asking
/// sentences, or, when they refer back ("it", "this", or a command such as "walk me through your approach"),
/// anywhere in the prompt ("Let's talk about caching. How would you design it?").
pub fn is_question(text: &str) -> bool {
    let lex = lexicon();
    let topical = |s: &str| {
        words(s).any(|w| {
            !lex.function_words.contains(w.as_str())
                && !lex.scaffolding.contains(w.as_str())
                && !lex.small_talk.contains(w.as_str())
                && !lex.imperative_prompts.contains(w.as_str())
                && w.chars().count() > 1
        })
    };
    let asking: Vec<&str> = text
        .split_inclusive(['.', '!', '?', '\n', ':'])
        .filter(|s| {
            s.trim_end().ends_with('?')
                || words(s)
                    .next()
                    .is_some_and(|first| lex.imperative_prompts.contains(first.as_str()))
        })
        .collect();
    // "How would you design it?" and "Walk me through your approach." take their topic from the sentences before;
    // "Are you ready?" has none.
    let refers_back = asking.iter().any(|s| {
        let mut ws = words(s);
        ws.next()
            .is_some_and(|first| lex.imperative_prompts.contains(first.as_str()))
            || words(s).any(|w| {
                matches!(
                    w.as_str(),
                    "it" | "this" | "that" | "these" | "those" | "them"
                )
            })
    });
    !asking.is_empty() && (asking.iter().any(|s| topical(s)) || (refers_back && topical(text)))
}

/// Words that, right after a sentence's first word, show that word to be a verb giving an order on something: "Count
/// *the* distinct user IDs", "Find *a* target's index", "Estimate *how* many servers…", "Tell *me*…".
const COMMAND_OBJECTS: &[&str] = &[
    "the", "a", "an", "all", "each", "every", "your", "this", "these", "those", "how", "what",
    "which", "whether", "why", "where", "when", "me", "us", "it", "them",
];

/// The fewest words of a reply that make an interviewer's statement a prompt it answers (see [`commands`]): the
/// length of a substantive answer, past any "sure, go ahead".
const ANSWER_WORDS: usize = 10;

/// Verbs that set a task, besides the imperative prompts every question reader knows ("explain", "design"…): the
/// ones the bank's own prompts open with ("Find…", "Return…", "Estimate…", "Determine…", "Name…", "Merge…",
/// "Reverse…", "Rotate…") and their kin for working something out. Not verbs of the product's remarks ("Take a
/// look…", "Click Run…", "Press…", "Enjoy the rest of your day", "Expect your report…").
const TASK_COMMANDS: &[&str] = &[
    "find",
    "return",
    "count",
    "compute",
    "calculate",
    "estimate",
    "determine",
    "name",
    "merge",
    "reverse",
    "rotate",
    "sort",
    "detect",
    "identify",
    "choose",
    "pick",
    "recommend",
    "suggest",
    "justify",
    "evaluate",
    "analyse",
    "analyze",
    "optimise",
    "optimize",
    "troubleshoot",
    "debug",
    "diagnose",
    "prove",
    "derive",
    "predict",
    "migrate",
    "model",
    "plan",
    "sketch",
];

/// Whether a prompt gives the candidate a task with a verb the imperative prompts do not list: a sentence opening
/// with one of [`TASK_COMMANDS`] followed by its object ("Count the distinct user IDs, exactly and
/// approximately.", "Determine whether the list has a cycle.") that names at least two things of substance. An
/// interviewer writing its own questions (the Bedrock agent) marks nothing, and a reply to such a prompt was
/// otherwise dropped as unprompted. Read only when a substantive reply follows.
fn commands(text: &str) -> bool {
    let lex = lexicon();
    text.split_inclusive(['.', '!', '\n', ':', ';'])
        .any(|sentence| {
            let ws: Vec<String> = words(sentence).collect();
            let [first, second, rest @ ..] = ws.as_slice() else {
                return false;
            };
            let plain = |w: &str| {
                !lex.function_words.contains(w)
                    && !lex.scaffolding.contains(w)
                    && !lex.small_talk.contains(w)
                    && w.chars().count() > 2
            };
            TASK_COMMANDS.contains(&first.as_str())
                && COMMAND_OBJECTS.contains(&second.as_str())
                && rest.iter().filter(|w| plain(w)).count() >= 2
        })
}

/// Phrases that make a prompt behavioral whatever the interview type.
const BEHAVIORAL_PROMPTS: &[&str] = &[
    "tell me about a time",
    "describe a time",
    "describe a situation",
    "give me an example of a time",
    "give an example of a time",
    "a time when you",
    "a time you",
    "how did you handle",
    "what did you learn",
    "why do you want",
    "why are you interested",
    "tell me about yourself",
    "your greatest",
    "biggest mistake",
    "most proud",
    "disagreed with",
    "conflict with",
];

/// Words that make a prompt a design question, which expects a longer answer.
const DESIGN_WORDS: &[&str] = &["design", "architect", "architecture", "scale", "system"];

/// The longest question (in words) read as a follow-up because it names a key-point term of the question before;
/// a new question is usually a longer scenario.
const FOLLOW_UP_WORDS: usize = 30;

/// Phrases with which an interviewer moves on to a new topic, as whole words: the question after them is not a
/// follow-up.
const TRANSITIONS: &[&str] = &[
    "next question",
    "move on",
    "moving on",
    "let's move",
    "let us move",
    "let's switch",
    "switch gears",
    "change gears",
    "another question",
    "new topic",
    "next topic",
    "different topic",
    "let's talk about",
    "now let's",
    "let's turn",
    "let's look at",
    "let's shift",
    "next up",
    "now for",
    "shifting",
    "last question",
    "final question",
    "one more question",
];

/// Verbs that open a new task ("Design…", "Build…").
const TASK_VERBS: &[&str] = &[
    "design",
    "build",
    "implement",
    "write",
    "create",
    "architect",
    "sketch",
    "plan",
];

/// Openings that refer back to what was just said: the question is a follow-up.
const REFERS_BACK: &[&str] = &[
    "that",
    "this",
    "it",
    "those",
    "these",
    "your",
    "you mentioned",
    "you said",
    "you described",
    "the same",
    "there",
    "why",
    "how did",
    "what was",
    "what were",
    "what happened",
    "what if",
    "and if",
    "and what",
    "and how",
    "elaborate",
    "expand",
    "tell me more",
    "go deeper",
    "say more",
    // Asking for the particulars of what was just said.
    "specific",
    "specifically",
    "concretely",
    "instance",
    "an example",
    "for example",
    "personally",
    "in detail",
    "more detail",
    // A scenario on the design just given.
    "suppose",
    "what happens if",
    "what happens when",
];

/// What an unmarked interviewer message does, when its words say it plainly: a report of test results is a remark
/// on the code run, "welcome back" resumes the question that stands.
fn kind_by_text(text: &str) -> Option<ReplyKind> {
    let lowered = text.to_lowercase();
    let reports_tests = [
        "tests pass",
        "test passes",
        "tests passed",
        "tests fail",
        "tests failed",
    ]
    .iter()
    .any(|p| lowered.contains(p));
    if reports_tests {
        return Some(ReplyKind::Remark);
    }
    if lowered.starts_with("welcome back") {
        return Some(ReplyKind::Resumed);
    }
    None
}

/// Whether a candidate's message is a question back to the interviewer (a clarifying question), not an answer:
/// short, and asking.
pub fn is_clarifying(text: &str) -> bool {
    let n = words(text).count();
    let trimmed = text.trim();
    n > 0
        && n <= CLARIFYING_WORDS
        && trimmed.ends_with('?')
        && trimmed.matches(['.', '!']).count() <= 1
}

/// The longest message (in words) read as a clarifying question: one or two questions about the requirements ("Before
/// I design: is a few seconds of staleness acceptable, or must every read be consistent?").
const CLARIFYING_WORDS: usize = 60;

/// One exchange being read.
struct Draft {
    prompt: Prompt,
    follow_ups: Vec<String>,
    reply: Option<Reply>,
    clarifying: usize,
    /// The candidate's last message asked something; the interviewer's next one answers it.
    awaiting_clarification: bool,
    reply_words: f64,
    wpm_weighted: f64,
    /// The product marked the prompt as a question (or a coding problem): it asks, whatever its wording.
    marked_question: bool,
    /// The candidate's last message ended with a question: a statement from the interviewer next answers it, and the
    /// exchange goes on.
    reply_asked: bool,
    /// What the interviewer told the candidate besides the question and follow-ups (see [`Reply::told`]).
    told: Vec<(String, String)>,
    /// Everything the candidate has said in this exchange, clarifying questions included.
    candidate_said: String,
    /// The candidate's last message was part of the reply and nothing has been said since: the next one may go on
    /// with its sentence (see [`continuation`](super::continuation)).
    reply_open: bool,
}

impl Draft {
    fn new(index: usize, m: &Message) -> Self {
        Self {
            prompt: Prompt {
                index,
                text: m.text.clone(),
                asked_at: m.timestamp,
            },
            follow_ups: Vec::new(),
            reply: None,
            clarifying: 0,
            awaiting_clarification: false,
            reply_words: 0.0,
            wpm_weighted: 0.0,
            marked_question: matches!(m.kind, Some(ReplyKind::Question | ReplyKind::CodingProblem)),
            reply_asked: false,
            told: Vec::new(),
            candidate_said: String::new(),
            reply_open: false,
        }
    }

    /// Whether the prompt asks something: marked so, or worded as a question.
    fn asks(&self) -> bool {
        !self.prompt.text.is_empty() && (self.marked_question || is_question(&self.prompt.text))
    }

    /// Adds an interviewer's follow-up. Once the candidate has really answered ([`ANSWER_WORDS`]; "give me a
    /// moment" is not an answer), what they say from here on is said after it.
    fn push_follow_up(&mut self, text: &str) {
        self.reply_open = false;
        self.follow_ups.push(text.to_owned());
        if let Some(r) = self.reply.as_mut()
            && words(&r.text).count() >= ANSWER_WORDS
        {
            r.prompted_from.get_or_insert(r.text.len());
            r.hints.push(text.to_owned());
        } else {
            self.told(text);
        }
    }

    /// Notes what the interviewer told the candidate (a reply to a clarifying question, a nudge after a stall): a
    /// point it names that the candidate had not named yet is a hint ("Think about breadth-first search"). Once
    /// there is a real answer, what follows is said after it.
    fn told(&mut self, text: &str) {
        self.reply_open = false;
        self.told
            .push((text.to_owned(), self.candidate_said.clone()));
        if let Some(r) = self.reply.as_mut()
            && words(&r.text).count() >= ANSWER_WORDS
        {
            r.prompted_from.get_or_insert(r.text.len());
        }
    }

    fn answered(&self) -> bool {
        self.reply
            .as_ref()
            .is_some_and(|r| !r.text.trim().is_empty())
    }

    fn add_reply(&mut self, index: usize, m: &Message) {
        self.reply_asked = m.text.trim_end().ends_with('?');
        let r = self.reply.get_or_insert_with(|| Reply {
            index,
            text: String::new(),
            started_at: m.timestamp,
            wpm: None,
            filler_count: None,
            prompted_from: None,
            hints: Vec::new(),
            told: Vec::new(),
        });
        if !r.text.is_empty() {
            match self.reply_open.then(|| joint(&r.text, &m.text)) {
                Some(Joint::Continues { drop_stop }) => {
                    r.text.truncate(r.text.trim_end().len());
                    if drop_stop {
                        r.text.pop();
                    }
                    r.text.push(' ');
                }
                _ => r.text.push('\n'),
            }
        }
        self.reply_open = true;
        r.text.push_str(m.text.trim_start());
        if let Some(wpm) = m.delivery.wpm {
            let n = words(&m.text).count().max(1) as f64;
            self.reply_words += n;
            self.wpm_weighted += wpm * n;
            r.wpm = Some(self.wpm_weighted / self.reply_words);
        }
        if let Some(f) = m.delivery.filler_count {
            r.filler_count = Some(r.filler_count.unwrap_or(0).saturating_add(f));
        }
    }
}

impl<'b> Dialogue<'b> {
    /// Groups messages into exchanges and recognises bank questions, each distinct prompt text once.
    ///
    /// - Consecutive interviewer messages before an answer are one prompt (unless a question follows a question
    ///   that got no reply: that one stays unanswered).
    /// - A question after an answer that follows it up — it refers back to what was said, shares its subject, or
    ///   is one of the bank question's own follow-ups, and is neither a different bank question nor introduced as a
    ///   new topic — joins the exchange: its answer counts as part of the answer to the original question.
    /// - A short question from the candidate is a clarifying question: not an answer, and the interviewer's reply
    ///   to it is not a new question.
    pub fn build(
        messages: &[Message],
        references: &'b References<'b>,
        interview_type: InterviewType,
    ) -> Self {
        let mut dialogue = Dialogue::default();
        let mut cache: HashMap<String, Option<(usize, MatchKind)>> = HashMap::new();
        let any_question = messages.iter().any(|m| {
            m.speaker == Speaker::Interviewer
                && (matches!(m.kind, Some(ReplyKind::Question | ReplyKind::CodingProblem))
                    || is_question(&m.text)
                    || matches!(
                        cache
                            .entry(m.text.clone())
                            .or_insert_with(|| references.find(&m.text)),
                        Some((_, MatchKind::Exact))
                    ))
        });
        let mut current: Option<Draft> = None;
        for (index, m) in messages.iter().enumerate() {
            match m.speaker {
                Speaker::System => {}
                Speaker::Interviewer => {
                    match m.kind.or_else(|| kind_by_text(&m.text)) {
                        Some(ReplyKind::Remark | ReplyKind::Resumed | ReplyKind::Clarification) => {
                            // Not a new question: the one that stands is still being answered.
                            if let Some(draft) = current.as_mut() {
                                draft.awaiting_clarification = false;
                                if m.kind == Some(ReplyKind::Clarification) {
                                    draft.told(&m.text);
                                }
                            }
                            continue;
                        }
                        Some(ReplyKind::FollowUp) => {
                            if let Some(draft) = current.as_mut().filter(|d| d.asks()) {
                                draft.push_follow_up(&m.text);
                                draft.awaiting_clarification = false;
                                continue;
                            }
                        }
                        Some(
                            ReplyKind::Question | ReplyKind::CodingProblem | ReplyKind::WrapUp,
                        ) => {
                            let done = current.take();
                            dialogue.close(
                                done,
                                any_question,
                                references,
                                interview_type,
                                &mut cache,
                            );
                            let mut draft = Draft::new(index, m);
                            if m.kind == Some(ReplyKind::WrapUp) {
                                // Replies to a wrap-up answer no question.
                                draft.prompt.text.clear();
                            }
                            current = Some(draft);
                            continue;
                        }
                        None => {}
                    }
                    let Some(draft) = current.as_mut() else {
                        current = Some(Draft::new(index, m));
                        continue;
                    };
                    if draft.awaiting_clarification {
                        // The interviewer answers the candidate's question; the original question stands.
                        draft.awaiting_clarification = false;
                        draft.told(&m.text);
                        continue;
                    }
                    if !draft.answered() {
                        if draft.asks() && is_question(&m.text) {
                            let done = current.take();
                            dialogue.close(
                                done,
                                any_question,
                                references,
                                interview_type,
                                &mut cache,
                            );
                            current = Some(Draft::new(index, m));
                        } else {
                            draft.prompt.text.push('\n');
                            draft.prompt.text.push_str(&m.text);
                            draft.prompt.asked_at = m.timestamp.or(draft.prompt.asked_at);
                        }
                        continue;
                    }
                    if draft.reply_asked && !is_question(&m.text) {
                        // The interviewer answers what the candidate asked; the answer goes on.
                        draft.reply_asked = false;
                        draft.told(&m.text);
                        continue;
                    }
                    // A bank question asks even when worded as a statement ("Given the dependency list, return an
                    // order…"), so its follow-ups follow it up too.
                    let posed = draft.asks()
                        || matches!(
                            cache
                                .entry(draft.prompt.text.clone())
                                .or_insert_with(|| references.find(&draft.prompt.text)),
                            Some((_, MatchKind::Exact))
                        );
                    if posed && dialogue.follows_up(draft, &m.text, references, &mut cache) {
                        draft.push_follow_up(&m.text);
                        continue;
                    }
                    let done = current.take();
                    dialogue.close(done, any_question, references, interview_type, &mut cache);
                    current = Some(Draft::new(index, m));
                }
                Speaker::Candidate => {
                    dialogue.candidate_messages += 1;
                    if !any_question {
                        // No interviewer questions at all: each candidate turn is judged on its own.
                        let done = current.take();
                        dialogue.close(done, any_question, references, interview_type, &mut cache);
                        let mut draft = Draft::new(index, m);
                        draft.prompt.text.clear();
                        draft.add_reply(index, m);
                        dialogue.close(
                            Some(draft),
                            any_question,
                            references,
                            interview_type,
                            &mut cache,
                        );
                        continue;
                    }
                    match current.as_mut() {
                        Some(draft) if is_clarifying(&m.text) && !draft.answered() => {
                            draft.reply_open = false;
                            draft.clarifying += 1;
                            draft.awaiting_clarification = true;
                            draft.candidate_said.push_str(&m.text);
                            draft.candidate_said.push('\n');
                        }
                        Some(draft) => {
                            draft.awaiting_clarification = false;
                            draft.candidate_said.push_str(&m.text);
                            draft.candidate_said.push('\n');
                            draft.add_reply(index, m);
                        }
                        None => dialogue.unprompted_replies += 1,
                    }
                }
            }
        }
        dialogue.close(
            current,
            any_question,
            references,
            interview_type,
            &mut cache,
        );
        dialogue
    }

    /// Whether an interviewer's question after an answer follows that answer up.
    fn follows_up(
        &self,
        draft: &Draft,
        text: &str,
        references: &'b References<'b>,
        cache: &mut HashMap<String, Option<(usize, MatchKind)>>,
    ) -> bool {
        // "Could you walk me through that in more detail?" names no topic of its own, so it is no question by
        // itself, but it asks for more of what was just said: it goes on if it refers back (below).
        let lex = lexicon();
        let asks_in_form = text.trim_end().ends_with('?')
            || words(text)
                .next()
                .is_some_and(|first| lex.imperative_prompts.contains(first.as_str()));
        if !is_question(text) && !asks_in_form {
            return false;
        }
        let lowered = text.to_lowercase().replace('’', "'");
        // Whole words: "move on" opens a new topic, "on top" and "representation to" do not; "on to" only opening
        // a sentence ("On to design."), not as a verb's particle ("what do you hold on to?").
        let padded = format!(" {} ", words(&lowered).collect::<Vec<_>>().join(" "));
        let opens_on_to = lowered.split(['.', '!', '?', '\n', ':']).any(|sentence| {
            let mut ws = words(sentence);
            matches!(
                (ws.next().as_deref(), ws.next().as_deref()),
                (Some("onto"), _) | (Some("on"), Some("to"))
            )
        });
        if opens_on_to
            || TRANSITIONS
                .iter()
                .any(|t| padded.contains(&format!(" {t} ")))
        {
            return false;
        }
        let asked = cache
            .entry(draft.prompt.text.clone())
            .or_insert_with(|| references.find(&draft.prompt.text))
            .map(|(i, _)| i);
        // The bank question's own follow-up follows it up, whichever other question its words resemble.
        if let Some(i) = asked {
            let own = references.items[i]
                .key_points
                .iter()
                .filter_map(|k| k.follow_up.as_deref())
                .any(|f| normalise(text).contains(&normalise(f)));
            if own {
                return true;
            }
        }
        let this = *cache
            .entry(text.to_owned())
            .or_insert_with(|| references.find(text));
        if let Some((i, _)) = this {
            return Some(i) == asked;
        }
        if let Some(i) = asked {
            let r = &references.items[i];
            // A short question that names one of the question's key-point terms digs into it ("Concretely, what
            // would the management group hierarchy look like?"): a follow-up, not a new topic.
            if words(text).count() <= FOLLOW_UP_WORDS {
                let key = phrase_key(text);
                if r.keyword_keys
                    .iter()
                    .flatten()
                    .any(|k| key.contains(k.as_str()))
                {
                    return true;
                }
            }
        }
        let opening: Vec<String> = words(&lowered).take(8).collect();
        // In a new task ("Design a pipeline *that* ingests…", "How would you build a cache that…"), "that" right after
        // a noun opens a relative clause, which refers to the noun, not to what was said before ("Explain that
        // trade-off" still refers back).
        let opening: Vec<&str> = opening
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let task = opening[..i]
                    .iter()
                    .any(|w| TASK_VERBS.contains(&w.as_str()));
                let relative = task
                    && w == "that"
                    && i > 0
                    && !lex.function_words.contains(opening[i - 1].as_str());
                if relative { "" } else { w.as_str() }
            })
            .collect();
        let opening = format!(" {} ", opening.join(" "));
        REFERS_BACK
            .iter()
            .any(|r| opening.contains(&format!(" {r} ")))
    }

    fn close(
        &mut self,
        draft: Option<Draft>,
        any_question: bool,
        references: &'b References<'b>,
        interview_type: InterviewType,
        cache: &mut HashMap<String, Option<(usize, MatchKind)>>,
    ) {
        let Some(draft) = draft else { return };
        // A task set with a task verb asks when a real answer follows it (see [`commands`]).
        let commanded = draft
            .reply
            .as_ref()
            .is_some_and(|r| words(&r.text).count() >= ANSWER_WORDS)
            && commands(&draft.prompt.text);
        // A bank question asks even when it is worded as a statement ("Given the dependency list, return an
        // order…"), marked or not.
        let asked = draft.asks()
            || commanded
            || (!draft.prompt.text.is_empty()
                && matches!(
                    cache
                        .entry(draft.prompt.text.clone())
                        .or_insert_with(|| references.find(&draft.prompt.text)),
                    Some((_, MatchKind::Exact))
                ));
        if !asked {
            if draft.reply.is_some() {
                if any_question {
                    self.unprompted_replies += 1;
                } else {
                    self.exchanges.push(Exchange {
                        prompt: None,
                        follow_ups: Vec::new(),
                        reply: draft.reply,
                        kind: default_kind(interview_type),
                        reference: None,
                        match_kind: None,
                        expects_design: false,
                        clarifying_questions: 0,
                    });
                }
            }
            return;
        }
        let prompt = draft.prompt;
        let found = *cache
            .entry(prompt.text.clone())
            .or_insert_with(|| references.find(&prompt.text));
        let reference = found.map(|(i, _)| &references.items[i]);
        let analysed = AnswerText::analyse(&prompt.text);
        let mentions = |keys: &[String]| {
            keys.iter().any(|key| {
                analysed
                    .sentences
                    .iter()
                    .any(|s| s.padded.contains(key.as_str()))
            })
        };
        let (behavioral_keys, design_keys) = prompt_keys();
        let kind = match reference.map(|r| r.category) {
            Some(QuestionCategory::Behavioral) => ExchangeKind::Behavioral,
            Some(_) => ExchangeKind::Technical,
            None if mentions(behavioral_keys) => ExchangeKind::Behavioral,
            None => default_kind(interview_type),
        };
        let expects_design = kind == ExchangeKind::Technical
            && (matches!(
                reference.map(|r| r.category),
                Some(QuestionCategory::SystemDesign | QuestionCategory::Architecture)
            ) || mentions(design_keys));
        let mut reply = draft.reply;
        if let Some(r) = reply.as_mut() {
            r.told = draft.told;
        }
        self.exchanges.push(Exchange {
            prompt: Some(prompt),
            follow_ups: draft.follow_ups,
            reply,
            kind,
            reference,
            match_kind: found.map(|(_, k)| k),
            expects_design,
            clarifying_questions: draft.clarifying,
        });
    }
}

/// [`BEHAVIORAL_PROMPTS`] and [`DESIGN_WORDS`] as phrase keys, stemmed once per process.
fn prompt_keys() -> (&'static [String], &'static [String]) {
    static KEYS: std::sync::OnceLock<(Vec<String>, Vec<String>)> = std::sync::OnceLock::new();
    let (behavioral, design) = KEYS.get_or_init(|| {
        (
            BEHAVIORAL_PROMPTS.iter().map(|p| phrase_key(p)).collect(),
            DESIGN_WORDS.iter().map(|p| phrase_key(p)).collect(),
        )
    });
    (behavioral, design)
}

fn default_kind(interview_type: InterviewType) -> ExchangeKind {
    if interview_type == InterviewType::Behavioral {
        ExchangeKind::Behavioral
    } else {
        ExchangeKind::Technical
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tools::performance_evaluator::input::Delivery;

    fn msg(speaker: Speaker, text: &str) -> Message {
        Message {
            speaker,
            text: text.into(),
            timestamp: None,
            delivery: Delivery::default(),
            kind: None,
        }
    }

    #[test]
    fn questions_are_told_from_small_talk() {
        assert!(is_question("How does a hash map handle collisions?"));
        assert!(is_question(
            "Great. Explain how TCP congestion control works."
        ));
        assert!(is_question("Tell me about yourself."));
        assert!(!is_question("Are you ready to begin?"));
        assert!(!is_question("Do you have any questions for me?"));
        assert!(!is_question("Thanks, that was great."));
        assert!(!is_question(
            "Hi Ada, welcome to your Google SDE mock interview. Are you ready to begin?"
        ));
        assert!(is_question(
            "Let's talk about caching. How would you design it?"
        ));
        assert!(is_question(
            "Given an array, return the two indices summing to a target. Walk me through your approach."
        ));
    }

    /// An utterance that ends mid-sentence goes on in the next one, across a backchannel ("Mm-hm."), but not across
    /// a follow-up: what is said after one answers it.
    #[test]
    fn a_sentence_cut_by_a_pause_is_one_sentence() {
        let bank = QuestionBank::default();
        let refs = References::new(&bank, InterviewType::GoogleSde);
        let mut backchannel = msg(Speaker::Interviewer, "Mm-hm.");
        backchannel.kind = Some(ReplyKind::Remark);
        let messages = [
            msg(
                Speaker::Interviewer,
                "How would you find the shortest path in a weighted graph?",
            ),
            msg(
                Speaker::Candidate,
                "With weights on the edges I would switch.",
            ),
            backchannel,
            msg(Speaker::Candidate, "To Dijkstra with a priority queue."),
            msg(Speaker::Interviewer, "And why does that work?"),
            msg(Speaker::Candidate, "because the closest node is final"),
        ];
        let d = Dialogue::build(&messages, &refs, InterviewType::GoogleSde);
        assert_eq!(d.exchanges.len(), 1, "{d:?}");
        let reply = d.exchanges[0].reply.as_ref().expect("an answer");
        assert_eq!(
            reply.text,
            "With weights on the edges I would switch To Dijkstra with a priority queue.\n\
             because the closest node is final"
        );
    }

    #[test]
    fn turns_are_merged_and_unanswered_questions_kept() {
        let bank = QuestionBank::default();
        let refs = References::new(&bank, InterviewType::GoogleSde);
        let messages = [
            msg(Speaker::Interviewer, "Hi! Are you ready?"),
            msg(Speaker::Candidate, "Yes."),
            msg(Speaker::Interviewer, "Good."),
            msg(
                Speaker::Interviewer,
                "How does a hash map handle collisions?",
            ),
            msg(Speaker::Candidate, "Each bucket keeps a list."),
            msg(Speaker::Candidate, "Colliding keys are chained in it."),
            msg(Speaker::System, "code ran"),
            msg(
                Speaker::Interviewer,
                "Tell me about a time you disagreed with a teammate.",
            ),
            msg(
                Speaker::Interviewer,
                "What is the difference between a process and a thread?",
            ),
        ];
        let d = Dialogue::build(&messages, &refs, InterviewType::GoogleSde);
        assert_eq!(d.unprompted_replies, 1);
        assert_eq!(d.candidate_messages, 3);
        assert_eq!(d.exchanges.len(), 3, "{d:?}");
        // "Good." and the question after it are one prompt; the two answer messages one reply.
        assert!(
            d.exchanges[0]
                .prompt
                .as_ref()
                .unwrap()
                .text
                .starts_with("Good.")
        );
        assert_eq!(
            d.exchanges[0].reply.as_ref().unwrap().text.lines().count(),
            2
        );
        assert_eq!(d.exchanges[0].kind, ExchangeKind::Technical);
        // Two questions in a row without a reply are two unanswered questions.
        assert!(d.exchanges[1].reply.is_none() && d.exchanges[2].reply.is_none());
        assert_eq!(d.exchanges[1].kind, ExchangeKind::Behavioral);
        assert_eq!(d.exchanges[2].kind, ExchangeKind::Technical);
    }

    #[test]
    fn a_task_set_with_a_task_verb_is_answered_and_remarks_are_not() {
        let bank = QuestionBank::default();
        let refs = References::new(&bank, InterviewType::GoogleSde);
        let long_reply = "One pass hashing each id into 64 files, then a set per file; \
                          HyperLogLog with 2^14 registers for the estimate, about 0.8% error.";
        let messages = [
            msg(
                Speaker::Interviewer,
                "Hi, I'm Sam from the payments team. Thanks for joining.",
            ),
            msg(
                Speaker::Candidate,
                "Thanks Sam. I'm a backend engineer, five years on payments and ledgers at a bank.",
            ),
            msg(
                Speaker::Interviewer,
                "How does a hash map handle collisions?",
            ),
            msg(
                Speaker::Candidate,
                "Each bucket keeps a list, and colliding keys are chained in it.",
            ),
            msg(
                Speaker::Interviewer,
                "My own one: a 100 GB log on one machine with 8 GB of RAM. \
                 Count the distinct user IDs, exactly and approximately.",
            ),
            msg(Speaker::Candidate, long_reply),
            msg(Speaker::Interviewer, "Take your time."),
            msg(Speaker::Candidate, "Sure."),
        ];
        let d = Dialogue::build(&messages, &refs, InterviewType::GoogleSde);
        assert_eq!(d.exchanges.len(), 2, "{d:?}");
        assert!(
            d.exchanges[1]
                .prompt
                .as_ref()
                .unwrap()
                .text
                .contains("Count the distinct")
        );
        assert_eq!(d.exchanges[1].reply.as_ref().unwrap().text, long_reply);
        assert_eq!(d.unprompted_replies, 2);
        // The rule needs the reply: a command with only "sure" after it asks nothing worth scoring.
        assert!(commands("Determine whether the list has a cycle."));
        // Remarks and pleasantries are never tasks, whatever reply follows them.
        for remark in [
            "Take your time.",
            "That's it from me, thanks.",
            "Take a look at the examples on the right.",
            "Click the Run button when you are ready to test the solution.",
            "Press the submit button when you are done with the code.",
            "Enjoy the rest of your day!",
            "That wraps up our interview. Expect your report within a few minutes.",
            "Hope the rest of your week goes well.",
            "Mute your microphone while the other candidate speaks.",
        ] {
            assert!(!commands(remark), "{remark}");
        }
    }

    #[test]
    fn bank_questions_are_recognised_exactly_or_by_their_words() {
        let file = "Interview type: Google SDE\n\n## [q-hash] Hash maps\n- Category: technical\n\n\
                    Question: How does a hash map handle collisions?\n\nKey points:\n\
                    - Chaining | keywords: chaining, linked list\n\n\
                    ## [q-tcp] TCP\n- Category: technical\n\nQuestion: How does TCP congestion control work?\n\n\
                    Key points:\n- Windows | keywords: congestion window\n";
        let bank = QuestionBank::from_files([("questions/t.md", file)]).unwrap();
        let refs = References::new(&bank, InterviewType::GoogleSde);
        let id = |prompt: &str| refs.find(prompt).map(|(i, _)| refs.items[i].id);
        assert_eq!(
            id("how does a HASH MAP   handle collisions?"),
            Some("q-hash")
        );
        assert_eq!(
            id("Thanks. How does a hash map handle collisions?"),
            Some("q-hash")
        );
        assert_eq!(
            id("Next: in a hash map, how are collisions handled, and how does it work?"),
            Some("q-hash")
        );
        assert_eq!(id("How does TCP handle retransmission?"), None);
        assert_eq!(id("What is a linked list?"), None);
    }

    #[test]
    fn a_shortened_bank_question_is_its_paraphrase_and_a_short_follow_up_is_not() {
        let refs = References::new(QuestionBank::embedded(), InterviewType::GoogleSde);
        // Half of google-sde-06's words are missing, but nearly every word the prompt has is one of them.
        assert_eq!(
            refs.recognise(
                "No problem. How does a hash table work inside? Why are lookups usually fast, and when do they \
                 get slow?"
            ),
            Some(("google-sde-06", MatchKind::Nearest))
        );
        assert_eq!(
            refs.recognise(
                "Explain how a hash table works internally. Why are lookups usually constant time, and when do \
                 they degrade?"
            ),
            Some(("google-sde-06", MatchKind::Exact))
        );
        // Two shared words ("hardest", "root cause") are not enough to make a follow-up a new bank question.
        assert_eq!(
            refs.recognise("What was the hardest part, and the root cause?"),
            None
        );
        // The interview's own type ranks first: this is an AWS question in an AWS interview, though its words are
        // as close to the Azure bank's.
        let aws = References::new(QuestionBank::embedded(), InterviewType::AwsSa);
        let found =
            aws.recognise("How does a Well-Architected review actually work with a customer?");
        assert!(
            found.is_some_and(|(id, _)| id.starts_with("aws-sa-")),
            "{found:?}"
        );
    }

    #[test]
    fn a_request_for_more_of_the_answer_follows_it_up() {
        let bank = QuestionBank::embedded();
        let refs = References::new(bank, InterviewType::GoogleSde);
        let question = &bank.question("google-sde-07").expect("grid").text;
        let messages = [
            msg(Speaker::Interviewer, question),
            msg(
                Speaker::Candidate,
                "A breadth-first search from the corner with a queue of cells.",
            ),
            msg(
                Speaker::Interviewer,
                "Could you walk me through that in more detail?",
            ),
            msg(
                Speaker::Candidate,
                "Each visited cell goes into a set so no cell is expanded twice.",
            ),
        ];
        let dialogue = Dialogue::build(&messages, &refs, InterviewType::GoogleSde);
        assert_eq!(dialogue.exchanges.len(), 1, "{dialogue:#?}");
        let reply = dialogue.exchanges[0].reply.as_ref().expect("answered");
        assert!(reply.text.contains("visited cell"), "{}", reply.text);
        assert_eq!(dialogue.unprompted_replies, 0);
    }

    #[test]
    fn on_to_opens_a_new_topic_only_at_the_start_of_a_sentence() {
        let bank = QuestionBank::embedded();
        let refs = References::new(bank, InterviewType::GoogleSde);
        let question = &bank.question("google-sde-07").expect("grid").text;
        let exchanges = |follow_up: &str| {
            let messages = [
                msg(Speaker::Interviewer, question),
                msg(
                    Speaker::Candidate,
                    "A breadth-first search from the corner with a queue of cells.",
                ),
                msg(Speaker::Interviewer, follow_up),
                msg(Speaker::Candidate, "A set of the cells already visited."),
            ];
            Dialogue::build(&messages, &refs, InterviewType::GoogleSde)
                .exchanges
                .len()
        };
        assert_eq!(
            exchanges("And what do you hold on to for each cell so the search never loops?"),
            1
        );
        assert_eq!(
            exchanges("Good. On to something else: what is a bloom filter used for?"),
            2
        );
    }

    #[test]
    fn a_question_back_and_its_answer_do_not_end_the_exchange() {
        let bank = QuestionBank::default();
        let refs = References::new(&bank, InterviewType::AwsSa);
        let messages = [
            msg(
                Speaker::Interviewer,
                "Design an active-active API across two regions. What makes it hard?",
            ),
            msg(
                Speaker::Candidate,
                "Before I design: when a region fails mid-flight, may a payment be briefly visible in one region and \
                 not the other, as long as it is never charged twice? Or must every read everywhere be consistent?",
            ),
            msg(
                Speaker::Interviewer,
                "Never charging twice is non-negotiable; seconds of staleness are fine.",
            ),
            msg(
                Speaker::Candidate,
                "Then writes go to a home region per account, with idempotency keys.",
            ),
        ];
        let dialogue = Dialogue::build(&messages, &refs, InterviewType::AwsSa);
        assert_eq!(dialogue.exchanges.len(), 1);
        let e = &dialogue.exchanges[0];
        assert_eq!(e.clarifying_questions, 1);
        assert_eq!(
            e.reply.as_ref().map(|r| r.text.as_str()),
            Some("Then writes go to a home region per account, with idempotency keys.")
        );

        // A question at the end of an answer, answered by the interviewer, leaves the answer open too.
        let messages = [
            msg(Speaker::Interviewer, "How would you shard the user table?"),
            msg(
                Speaker::Candidate,
                "By user id with consistent hashing. Do we need cross-user queries?",
            ),
            msg(
                Speaker::Interviewer,
                "Only for reporting, which can be offline.",
            ),
            msg(
                Speaker::Candidate,
                "Then reports read from a warehouse fed by change data capture.",
            ),
        ];
        let dialogue = Dialogue::build(&messages, &refs, InterviewType::AwsSa);
        assert_eq!(dialogue.exchanges.len(), 1);
        assert!(
            dialogue.exchanges[0]
                .reply
                .as_ref()
                .is_some_and(|r| r.text.contains("change data capture"))
        );
    }

    /// A bank question's own follow-ups (each key point's), asked after its answer, join its exchange, whatever
    /// other bank question their words resemble.
    #[test]
    fn a_bank_question_s_own_follow_ups_follow_it_up() {
        let bank = QuestionBank::embedded();
        let mut split = Vec::new();
        for interview_type in InterviewType::ALL {
            let refs = References::new(bank, interview_type);
            for q in bank.questions_for(interview_type) {
                let follow_ups = q.key_points.iter().filter_map(|k| k.follow_up.as_deref());
                // As written, and after a lead-in.
                for asked in follow_ups.flat_map(|f| [f.to_owned(), format!("Okay, good. {f}")]) {
                    let messages = [
                        msg(Speaker::Interviewer, &q.text),
                        msg(
                            Speaker::Candidate,
                            "I would start from the requirements and go from there.",
                        ),
                        msg(Speaker::Interviewer, &asked),
                        msg(
                            Speaker::Candidate,
                            "Then I would measure it before changing anything.",
                        ),
                    ];
                    let dialogue = Dialogue::build(&messages, &refs, interview_type);
                    if dialogue.exchanges.len() != 1 {
                        split.push(format!("{}: {asked}", q.id));
                    }
                }
            }
        }
        assert!(split.is_empty(), "read as new questions: {split:#?}");
    }

    /// Every question in the bank, asked after a lead-in the way the interviewer asks it — marked, as the product
    /// writes transcripts, and unmarked, as an imported one would be — is one exchange, recognised as itself, with
    /// the answer under it.
    #[test]
    fn every_bank_question_is_read_as_asked_and_answered() {
        let bank = QuestionBank::embedded();
        for interview_type in InterviewType::ALL {
            let refs = References::new(bank, interview_type);
            for q in bank.questions_for(interview_type) {
                for kind in [Some(ReplyKind::Question), None] {
                    let mut asked = msg(
                        Speaker::Interviewer,
                        &format!("No problem, let's move on. {}", q.text),
                    );
                    asked.kind = kind;
                    let answer = msg(Speaker::Candidate, "topological sort, kahn, cycle");
                    let dialogue = Dialogue::build(&[asked, answer], &refs, interview_type);
                    assert_eq!(dialogue.exchanges.len(), 1, "{} ({kind:?})", q.id);
                    let e = &dialogue.exchanges[0];
                    assert_eq!(
                        e.reference.map(|r| r.id),
                        Some(q.id.as_str()),
                        "{kind:?}: {}",
                        q.text
                    );
                    assert!(e.reply.is_some(), "{} ({kind:?})", q.id);
                }
            }
        }
    }

    #[test]
    fn candidate_only_transcripts_are_judged_turn_by_turn() {
        let bank = QuestionBank::default();
        let refs = References::new(&bank, InterviewType::Coding);
        let messages = [
            msg(Speaker::Candidate, "I would use a hash map."),
            msg(Speaker::Candidate, "It is linear time."),
        ];
        let d = Dialogue::build(&messages, &refs, InterviewType::Coding);
        assert_eq!(d.exchanges.len(), 2);
        assert!(d.exchanges.iter().all(|e| e.prompt.is_none()));
    }

    #[test]
    fn a_new_task_with_a_relative_clause_is_a_new_question() {
        let bank = QuestionBank::default();
        let refs = References::new(&bank, InterviewType::GcpSa);
        let messages = [
            msg(
                Speaker::Interviewer,
                "A media company stores user uploads in Cloud Storage. How do you choose the storage class?",
            ),
            msg(
                Speaker::Candidate,
                "Standard for hot files, Coldline for the rest.",
            ),
            msg(
                Speaker::Interviewer,
                "Design a streaming pipeline that ingests clickstream events from a mobile app into BigQuery.",
            ),
            msg(Speaker::Candidate, "Pub/Sub into Dataflow, then BigQuery."),
            msg(
                Speaker::Interviewer,
                "Is that fast enough for the dashboard?",
            ),
            msg(Speaker::Candidate, "Yes, seconds end to end."),
            msg(Speaker::Interviewer, "Can you explain that trade-off?"),
            msg(Speaker::Candidate, "Freshness against cost."),
            msg(
                Speaker::Interviewer,
                "Great. How would you build a cache that survives a region outage?",
            ),
            msg(Speaker::Candidate, "Replicate it to a second region."),
        ];
        let d = Dialogue::build(&messages, &refs, InterviewType::GcpSa);
        assert_eq!(d.exchanges.len(), 3, "{d:?}");
        assert!(d.exchanges[0].follow_ups.is_empty(), "{d:?}");
        assert!(d.exchanges[2].follow_ups.is_empty(), "{d:?}");
        // "Is that …" and "Can you explain that trade-off?" after an answer still refer back to it.
        assert_eq!(d.exchanges[1].follow_ups.len(), 2, "{d:?}");
    }
}
