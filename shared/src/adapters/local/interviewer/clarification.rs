//! Answers to the candidate's own questions. A clarifying question ("Do you mean a single machine or distributed?",
//! "Can I assume the input is sorted?") is answered with what the question means — its scope and the assumptions a
//! candidate may make — from the question's text and category, or from the coding problem's statement. Never from
//! the key points: they are the marking scheme, and reading them out would hand the candidate the answer.

use super::text_match::{content_words, normalise, sentences};
use crate::knowledge::{CodingProblem, Question, QuestionCategory};

/// What the candidate is asking about.
pub enum Topic<'a> {
    Question(&'a Question),
    Coding(&'a CodingProblem),
    /// A question about one of their own positions.
    Experience,
    /// The interview is over; their questions are about the job or the company.
    WrapUp,
}

/// What kind of clarification the candidate wants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ask {
    /// How big: one machine or many, how many users, how much data.
    Scale,
    /// Whether they may take something as given.
    Assumption,
    /// How an unusual input should be treated ("What about an empty list?").
    EdgeCase,
    /// How long or detailed the answer should be.
    Depth,
    /// Which language to write the code in.
    Language,
    /// Which of two options they are meant to address.
    Choice,
    /// What the question means.
    Meaning,
    /// Whether what they said is right.
    Check,
    /// Anything else: a question on the subject itself, or about the job.
    Other,
}

/// Reads what a clarifying question asks, most specific first.
fn ask_of(text: &str) -> Ask {
    let t = normalise(text);
    let has = |phrases: &[&str]| phrases.iter().any(|p| t.contains(&format!(" {p} ")));
    if has(&[
        "single machine",
        "one machine",
        "single server",
        "one server",
        "single node",
        "one node",
        "single instance",
        "distributed",
        "scale",
        "how many users",
        "how many requests",
        "how much traffic",
        "traffic",
        "qps",
        "throughput",
        "how much data",
        "how big",
        "how large",
    ]) {
        Ask::Scale
    } else if has(&["python", "javascript", "which language", "what language"]) {
        Ask::Language
    } else if has(&[
        "assume",
        "assuming",
        "can i use",
        "may i use",
        "am i allowed",
        "is it ok",
        "is it okay",
        "do i need to handle",
        "should i handle",
        "do i have to handle",
        "should i worry",
        "can we ignore",
        "can i ignore",
        "do we care",
        "guaranteed",
        "always",
    ]) {
        Ask::Assumption
    } else if has(&[
        "empty",
        "null",
        "none",
        "negative",
        "duplicate",
        "duplicates",
        "zero",
        "edge case",
        "edge cases",
        "invalid",
        "overflow",
    ]) {
        Ask::EdgeCase
    } else if has(&[
        "how much detail",
        "how detailed",
        "how deep",
        "how long should",
        "high level",
        "high-level",
        "in detail",
    ]) {
        Ask::Depth
    } else if has(&[
        "is that right",
        "is that correct",
        "am i right",
        "does that make sense",
        "is that ok",
        "is that okay",
        "is this right",
        "was that right",
        "how did i do",
    ]) {
        Ask::Check
    } else if has(&["or"]) {
        Ask::Choice
    } else if has(&[
        "mean",
        "meant",
        "clarify",
        "rephrase",
        "repeat",
        "what exactly",
        "which part",
        "example",
        "understand",
    ]) {
        Ask::Meaning
    } else {
        Ask::Other
    }
}

/// The answer to the candidate's question `asked` about `topic`: one to three sentences, none from the key points.
pub fn answer(topic: &Topic<'_>, asked: &str) -> String {
    let ask = ask_of(asked);
    match topic {
        Topic::Question(q) => about_question(q, ask),
        Topic::Coding(p) => about_problem(p, asked, ask),
        Topic::Experience => match ask {
            Ask::Depth => "A couple of minutes is right: what the work was, what you did yourself, and how it \
                           turned out."
                .to_owned(),
            Ask::Check => CHECK.to_owned(),
            _ => "I'm asking about your own work there: what the situation was, what you did yourself and why, \
                  and how it turned out. Any project from that role you know well is fine."
                .to_owned(),
        },
        Topic::WrapUp if ask == Ask::Check => "Your report will have a detailed assessment of each answer — end \
                                               the interview whenever you're ready to see it."
            .to_owned(),
        Topic::WrapUp => "That's a great one to ask your interviewers at the company — they can tell you about the \
                          team and the role. This practice session is about your answers, and your report will \
                          have detailed feedback on each of them."
            .to_owned(),
    }
}

const CHECK: &str = "I'll keep my assessment for your report at the end, so it doesn't steer your answers — if \
                     there's more you'd add, go ahead.";

/// Phrases in a question's text that tell its scale.
const SCALE_CUES: &[&str] = &[
    "highly available",
    "millions",
    "billions",
    "global",
    "globally",
    "worldwide",
    "multi-region",
    "regions",
    "distributed",
    "at scale",
    "large scale",
    "high traffic",
    "thousands",
];

fn about_question(q: &Question, ask: Ask) -> String {
    let category = q.category;
    let design = matches!(
        category,
        QuestionCategory::SystemDesign | QuestionCategory::Architecture
    );
    match ask {
        Ask::Scale => {
            let text = normalise(&q.text);
            let cue = SCALE_CUES
                .iter()
                .find(|c| text.contains(&format!(" {} ", normalise(c).trim())));
            match (cue, category) {
                (_, QuestionCategory::Behavioral) => "Whatever size your real situation was — tell it as it \
                                                      happened, and give me a sense of the numbers."
                    .to_owned(),
                (Some(cue), _) => format!(
                    "The question says “{cue}”, so plan for more than one machine: it has to carry real \
                     traffic and keep working when a machine fails. Starting from a single machine and showing \
                     how it grows is a fine way to get there; state the numbers you assume."
                ),
                (None, _) if design => "Assume a production system: more than one machine, so it keeps working \
                                        when one fails. Start from a single machine if you like and show how it \
                                        grows — and state the traffic and data volume you assume."
                    .to_owned(),
                (None, _) => "Start with a single machine — that's the heart of the question — and mention \
                              what changes when it's distributed, if that matters to your answer."
                    .to_owned(),
            }
        }
        Ask::EdgeCase => "Good thing to consider — cover it in your answer, and say how your approach handles it."
            .to_owned(),
        Ask::Assumption | Ask::Language => match category {
            QuestionCategory::Behavioral => "Yes — use a real situation, and keep confidential details general; \
                                             that's fine."
                .to_owned(),
            _ => "That's a reasonable assumption to make — say it out loud as you answer, and tell me briefly \
                  what would change if it didn't hold."
                .to_owned(),
        },
        Ask::Depth => match category {
            QuestionCategory::Behavioral => "About two minutes: the situation, what you did yourself, and the \
                                             result. I'll ask if I want more."
                .to_owned(),
            _ => "About two minutes: the main idea first, then the details and trade-offs that matter most. I'll \
                  ask if I want more."
                .to_owned(),
        },
        Ask::Choice => match category {
            QuestionCategory::Behavioral => "Either works — choose the example you can tell in the most detail."
                .to_owned(),
            _ if design => "It's your call: pick the option that fits the requirements you assume, say why, and \
                            mention what would change with the other."
                .to_owned(),
            _ => "Either is fine: take the case you know best, and mention how the other differs if it matters."
                .to_owned(),
        },
        Ask::Meaning => scope(category).to_owned(),
        Ask::Check => CHECK.to_owned(),
        Ask::Other => "Good question — I'd rather not answer that one during the interview, since it's close to \
                       what I might ask you. It's a great one to raise with your interviewers."
            .to_owned(),
    }
}

/// What a question of each category asks for.
fn scope(category: QuestionCategory) -> &'static str {
    match category {
        QuestionCategory::Technical => {
            "I mean it as a question about the concept and how it behaves in practice: explain how it works and \
             its trade-offs, at the depth you'd use with a colleague — an example helps."
        }
        QuestionCategory::SystemDesign => {
            "It's open-ended on purpose: choose the requirements and scale you think are realistic, state them, \
             and design for those — I'm most interested in your trade-offs."
        }
        QuestionCategory::Architecture => {
            "Treat it as a real customer's production workload: state what you assume about users, regions, \
             availability and budget, then design for that."
        }
        QuestionCategory::Behavioral => {
            "I'm looking for one real situation from your own experience: what was at stake, what you did \
             yourself, and how it turned out."
        }
    }
}

/// Words of a clarifying question about a coding problem that say nothing about which property is meant.
const GENERIC_WORDS: &[&str] = &[
    "assume",
    "assuming",
    "input",
    "inputs",
    "ok",
    "okay",
    "allowed",
    "need",
    "handle",
    "given",
    "always",
    "guaranteed",
    "array",
    "list",
    "string",
    "strings",
    "number",
    "numbers",
    "value",
    "values",
    "use",
    "able",
    "case",
    "cases",
    "question",
    "problem",
    "mean",
    "sure",
    "just",
    "also",
    "here",
    "worry",
    "ignore",
    "care",
    "any",
    "all",
    "every",
    "each",
    "there",
    "will",
    "get",
    "one",
    "return",
    "returns",
    "output",
    "function",
    "solution",
    "code",
    "write",
];

fn about_problem(p: &CodingProblem, asked: &str, ask: Ask) -> String {
    match ask {
        Ask::Language => {
            return "Either Python or JavaScript is fine — use the one you're most comfortable with; the tests run \
                    in both."
                .to_owned();
        }
        Ask::Depth => {
            return "Talk me through your approach briefly, then implement it and run the tests — I'll ask about \
                    the details that matter."
                .to_owned();
        }
        Ask::Check => return CHECK.to_owned(),
        Ask::Meaning => {
            return format!(
                "The problem is {}, as the statement in your editor describes it — the worked examples there \
                 show the input and the expected output, and you can run them any time.",
                p.title
            );
        }
        Ask::Scale | Ask::Assumption | Ask::EdgeCase | Ask::Choice | Ask::Other => {}
    }
    if let Some(sentence) = statement_on(p, asked) {
        return format!("The statement covers that: “{sentence}”.");
    }
    match ask {
        Ask::EdgeCase => "Good thing to ask — your solution should handle every input the statement allows, that \
                          one included: decide what it should return, and tell me why."
            .to_owned(),
        Ask::Scale => "It runs on one machine, in memory — aim for the best time complexity you can, and tell me \
                       what it is."
            .to_owned(),
        Ask::Other => "I can't help with the solution itself, but I'm happy to clear up what the problem asks — \
                       the statement and the worked examples in your editor are the specification."
            .to_owned(),
        _ => "The statement doesn't promise that, so don't rely on it: your solution should work for any input \
              the statement allows. If you'd like to solve a simpler case first, say so, and then tell me what \
              changes for the general one."
            .to_owned(),
    }
}

/// The sentence of the problem's statement about what the candidate asks, if one shares a distinctive word with
/// the question ("sorted" in "Can I assume the input is sorted?", "negative" in "Can there be negatives?").
fn statement_on(p: &CodingProblem, asked: &str) -> Option<String> {
    let wanted: Vec<String> = content_words(asked)
        .into_iter()
        .filter(|w| !GENERIC_WORDS.contains(&w.as_str()) && w.chars().count() >= 3)
        .collect();
    if wanted.is_empty() {
        return None;
    }
    sentences(&p.statement)
        .into_iter()
        .find(|s| {
            let words = content_words(s);
            wanted.iter().any(|w| words.iter().any(|x| same_word(w, x)))
        })
        .map(|s| s.trim_end_matches(['.', ';']).to_owned())
}

/// Whether two words are the same word, give or take a plural ("duplicate" and "duplicates") — not merely the
/// same root: "sorted" (the input) is not "sorting" (an approach).
fn same_word(a: &str, b: &str) -> bool {
    let singular = |w: &str| -> String {
        w.strip_suffix("es")
            .filter(|s| s.ends_with(['s', 'x', 'z']) || s.ends_with("ch") || s.ends_with("sh"))
            .or_else(|| w.strip_suffix('s').filter(|s| !s.ends_with('s')))
            .unwrap_or(w)
            .to_owned()
    };
    a == b || singular(a) == singular(b)
}
