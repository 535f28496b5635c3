//! Misconceptions said in an answer. A red flag — a misconception the bank lists for a question — fires when a
//! sentence says one of its phrases, or its claim in the claim's own words, unless the sentence holds the claim to
//! reject it (negated, attributed, governed by "avoid", judged wrong: see [`super::stance`]), the next sentence
//! denies it ("It doesn't: …", "Is it? No, …"), or it is the next item of a list of misconceptions the answer has
//! already named ("A frequent assumption is… Another is that…").

use super::language::{lexicon, lowered, split_sentences, stem, words};
use super::stance::{Reading, Said, approves, pauses};
use crate::knowledge::RedFlag;

/// Words a claim's meaning rests on although they are function words: "*every* team is cluster admin" is a
/// misconception, "only the platform team is cluster admin" is the fix.
const QUANTIFIERS: &[&str] = &[
    "every", "all", "always", "only", "any", "each", "same", "more", "most", "no", "never",
    "without", "nothing", "not",
];

/// Words that end a claim's main clause: what follows qualifies it ("… between invocations *that you can rely
/// on*") and a candidate asserting the claim seldom repeats it.
const CLAUSE_ENDS: &[&str] = &["that", "which", "who", "so", "because"];

/// The fewest content words a claim's main clause needs to be matched in its own words: shorter ones ("every
/// team is cluster admin") say too little to tell the claim from its correction, and rely on their phrases.
const CLAIM_MIN_WORDS: usize = 4;

/// The most words a candidate may put between two consecutive words of a red flag's phrase ("bigtable supports
/// *multi-row ACID* transactions" says "bigtable supports transactions"). Measured on sentences written blind to
/// assert the bank's newest flags: two words caught 22 of 332, three 26, four 27 but with 2 of the bank's 436
/// correct answers firing a flag (three: none).
const PHRASE_GAP: usize = 3;

/// The most words a candidate may put between two consecutive words of a claim ("the standby *in the second AZ*
/// serves …").
const CLAIM_GAP: usize = 4;

/// How a sentence reads a sequence of stems said in order, at most `gap` other words between consecutive ones:
/// asserted if any occurrence is asserted, rejected if every occurrence is rejected (see [`reading`]).
fn read_in_order(said: Said<'_>, key: &[String], gap: usize) -> Reading {
    let stems = said.stems;
    let Some(first) = key.first() else {
        return Reading::Silent;
    };
    let mut best = Reading::Silent;
    // One buffer for every start, allocated at the first: this runs for every red flag of the interview type in
    // every sentence, and most never find their first word.
    let mut matched: Vec<usize> = Vec::new();
    'start: for start in (0..stems.len()).filter(|i| &stems[*i] == first) {
        matched.clear();
        matched.push(start);
        for word in &key[1..] {
            let at = matched[matched.len() - 1];
            match stems[at + 1..].iter().take(gap + 1).position(|w| w == word) {
                Some(offset) => matched.push(at + offset + 1),
                None => continue 'start,
            }
        }
        best = best.max(said.reading(&matched));
        if best == Reading::Asserted {
            break;
        }
    }
    best
}

/// What asserts one red flag, stemmed once: its phrases, and its claim's main clause when that is long enough to
/// be told from its correction.
#[derive(Clone, Debug)]
pub struct FlagKeys {
    phrases: Vec<Vec<String>>,
    claim: Option<Vec<String>>,
}

impl FlagKeys {
    pub fn new(flag: &RedFlag) -> Self {
        Self {
            phrases: flag.phrases.iter().map(|p| phrase_stems(p)).collect(),
            claim: claim_key(&flag.claim),
        }
    }

    /// How a sentence reads this flag: its phrases ([`PHRASE_GAP`] words apart at most) and its claim's main
    /// clause ([`CLAIM_GAP`]).
    fn read(&self, said: Said<'_>) -> Reading {
        let mut best = Reading::Silent;
        let keys = self
            .phrases
            .iter()
            .map(|p| (p, PHRASE_GAP))
            .chain(self.claim.iter().map(|c| (c, CLAIM_GAP)));
        for (key, gap) in keys {
            best = best.max(read_in_order(said, key, gap));
            if best == Reading::Asserted {
                break;
            }
        }
        best
    }
}

/// A claim's main clause as the stems a candidate must say to state it: its content words and quantifiers up to
/// the first word that opens a qualifying clause; `None` when that is fewer than [`CLAIM_MIN_WORDS`].
fn claim_key(claim: &str) -> Option<Vec<String>> {
    let lex = lexicon();
    let all: Vec<String> = words(claim).collect();
    let main = all
        .iter()
        .position(|w| CLAUSE_ENDS.contains(&w.as_str()))
        .map_or(all.as_slice(), |end| &all[..end]);
    let key: Vec<String> = main
        .iter()
        .filter(|w| !lex.function_words.contains(w.as_str()) || QUANTIFIERS.contains(&w.as_str()))
        .map(|w| stem(w))
        .collect();
    (key.len() >= CLAIM_MIN_WORDS).then_some(key)
}

/// The sentence of `answer` that asserts a red flag, if any. Misconceptions are matched over whole sentences
/// ("S3, which is block storage, …" asserts "s3 is block storage").
pub fn asserted(keys: &FlagKeys, answer: &str) -> Option<String> {
    StemmedSentences::new(answer).asserting(keys)
}

/// An answer's sentences, each with its stems: made once per answer, then checked against every red flag of the
/// interview type (hundreds), so the answer is split and stemmed once rather than once per flag.
pub struct StemmedSentences {
    sentences: Vec<AnswerSentence>,
}

/// How an answer bears on one red flag.
#[derive(Clone, Debug, Default)]
pub struct FlagCheck {
    /// The first sentence that asserts it.
    pub asserted: Option<String>,
    /// Whether a sentence before that one (or any, when none asserts it) names it as a misconception to correct it
    /// (a negation alone does not): an expert, one of whose red flags elsewhere in the answer may be the matcher's
    /// slip on another mistake they name.
    pub corrected: bool,
}

impl AnswerSentence {
    fn said(&self) -> Said<'_> {
        Said {
            stems: &self.stems,
            words: &self.words,
            pauses: &self.pauses,
        }
    }

    /// How this sentence reads a red flag: what it asserts is only rejected when the sentence is reported.
    fn reading(&self, keys: &FlagKeys) -> Reading {
        let read = keys.read(self.said());
        if self.reported && read == Reading::Asserted {
            Reading::Named
        } else {
            read
        }
    }
}

/// One sentence of an answer, split and stemmed.
struct AnswerSentence {
    /// As written, lowercased: what evidence quotes.
    text: String,
    words: Vec<String>,
    /// One stem per word.
    stems: Vec<String>,
    /// One per word: the pause after it, if any (see [`pauses`]).
    pauses: Vec<Option<char>>,
    /// Whether it ended with a full stop, "!" or "?" — what follows a semicolon continues the thought ("…; we never
    /// measured it") rather than answering it.
    stop: bool,
    /// Whether it ended with a question mark: a "No, …" after it answers it.
    question: bool,
    /// Whether what it says is reported to be rejected rather than asserted (see [`StemmedSentences::new`]).
    reported: bool,
}

/// Openings of a sentence that denies the one before ("It doesn't: …", "It isn't encrypted by default").
const DENIALS: &[&str] = &[
    "it doesn't",
    "it does not",
    "it isn't",
    "it is not",
    "it's not",
    "that's not",
    "that is not",
    "that isn't",
    "this isn't",
    "this is not",
    "not true",
    "not at all",
    "not really",
    "that's wrong",
    "that's a myth",
    "they don't",
    "they aren't",
    "they are not",
    "they do not",
];

/// Whether `next` opens by denying the sentence before it: a bare denial ("It doesn't.", "It isn't: …", "Not
/// true —"), not one that goes on to say something ("It doesn't need a database", "It isn't a problem", "It doesn't
/// keep it forever" continue a claim).
fn denies(next: &str, after_question: bool) -> bool {
    answered_no(next, after_question)
        || DENIALS.iter().any(|denial| {
            next.strip_prefix(denial).is_some_and(|rest| {
                let rest = rest.trim_start();
                rest.is_empty() || rest.starts_with([':', '.', '!', ';', '-', '—'])
            })
        })
}

/// Whether `next` answers a question just asked by denying it: "Is one AZ enough? No, …", "…? Hardly.", "…? Not in
/// production.", "…? Please don't." — a reply that opens with a denial, or says little but a negation. Not when it
/// goes on to praise it ("Would I say one AZ is enough? No, I'd say it's plenty"), nor "No-brainer".
fn answered_no(next: &str, after_question: bool) -> bool {
    if !after_question {
        return false;
    }
    let said: Vec<String> = words(next).collect();
    let said: Vec<&str> = said.iter().map(String::as_str).collect();
    let opens_denying = said
        .first()
        .is_some_and(|w| matches!(*w, "no" | "nope" | "not" | "never" | "hardly" | "wrong"))
        && !next.starts_with("no-");
    let short_negation = said.len() <= 4 && said.iter().any(|w| w.ends_with("n't") || *w == "not");
    (opens_denying || short_negation) && !approves(said.get(1..).unwrap_or(&[]))
}

/// Words with which an answer names misconceptions as such; after one, "Another is that…" adds to the list.
const NAMING: &[&str] = &[
    "misconception",
    "misconceptions",
    "myth",
    "myths",
    "fallacy",
    "fallacies",
];

/// Whether a sentence opens as the next item of a list of misconceptions: "Another is (that)…", "Another
/// (common) misconception…", "Second, that…", "The other is…".
fn next_item(words: &[String]) -> bool {
    let w = |i: usize| words.get(i).map_or("", String::as_str);
    match w(0) {
        "another" => matches!(w(1), "is" | "common") || NAMING.contains(&w(1)),
        "first" | "second" | "third" | "finally" => matches!(w(1), "that" | "is"),
        "the" => matches!(w(1), "other" | "second" | "third") && matches!(w(2), "is" | "one"),
        _ => false,
    }
}

impl StemmedSentences {
    /// Splits and stems an answer. A sentence is *reported* — its claims not asserted — when the next sentence
    /// opens by denying it ("X. It doesn't: …") or when it adds to a list of misconceptions the answer has already
    /// named ("A common misconception is A. … Another is that B.").
    pub fn new(answer: &str) -> Self {
        let lowered = lowered(answer);
        let mut sentences: Vec<AnswerSentence> = split_sentences(&lowered)
            .into_iter()
            .filter_map(|sentence| {
                let words: Vec<String> = words(sentence).collect();
                if words.is_empty() {
                    return None;
                }
                let end = sentence.as_ptr().addr() - lowered.as_ptr().addr() + sentence.len();
                let mut pauses = pauses(sentence);
                pauses.resize(words.len(), None);
                Some(AnswerSentence {
                    text: sentence.trim().to_owned(),
                    stems: words.iter().map(|w| stem(w)).collect(),
                    pauses,
                    words,
                    stop: matches!(lowered[end..].chars().next(), Some('.' | '!' | '?')),
                    question: lowered[end..].starts_with('?'),
                    reported: false,
                })
            })
            .collect();
        let mut naming_misconceptions = false;
        for i in 0..sentences.len() {
            let denied_next = sentences[i].stop
                && sentences
                    .get(i + 1)
                    .is_some_and(|next| denies(&next.text, sentences[i].question));
            let here = &sentences[i].words;
            let listed = naming_misconceptions && next_item(here);
            if !naming_misconceptions {
                let said = sentences[i].said();
                naming_misconceptions = here.iter().any(|w| NAMING.contains(&w.as_str()))
                    || (0..here.len()).any(|at| said.reports(at));
            }
            sentences[i].reported = denied_next || listed;
        }
        Self { sentences }
    }

    /// The first sentence that asserts the red flag (see [`asserted`]).
    pub fn asserting(&self, keys: &FlagKeys) -> Option<String> {
        self.check(keys).asserted
    }

    /// How the answer bears on a red flag: the first sentence asserting it, and whether some sentence names it as a
    /// misconception to correct it (see [`FlagCheck`]).
    pub fn check(&self, keys: &FlagKeys) -> FlagCheck {
        let mut check = FlagCheck::default();
        for sentence in &self.sentences {
            match sentence.reading(keys) {
                Reading::Asserted => {
                    check.asserted = Some(sentence.text.clone());
                    break;
                }
                Reading::Named => check.corrected = true,
                Reading::Rejected | Reading::Silent => {}
            }
        }
        check
    }
}

/// A phrase as stems, the form [`read_in_order`] compares.
pub fn phrase_stems(phrase: &str) -> Vec<String> {
    words(phrase).map(|w| stem(&w)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(text: &str) -> Vec<String> {
        phrase_stems(text)
    }

    fn said(text: &str, check: impl Fn(Said<'_>) -> bool) -> bool {
        let words: Vec<String> = words(text).collect();
        let stems: Vec<String> = words.iter().map(|w| stem(w)).collect();
        let pauses = pauses(text);
        check(Said {
            stems: &stems,
            words: &words,
            pauses: &pauses,
        })
    }

    #[test]
    fn a_phrase_is_asserted_in_order_unless_negated() {
        let phrase = stems("collision overwrites the old key");
        let check = |text: &str| {
            said(text, |s| {
                read_in_order(s, &phrase, PHRASE_GAP) == Reading::Asserted
            })
        };
        assert!(check("a collision simply overwrites the old key"));
        assert!(!check("a collision does not overwrite the old key"));
        assert!(!check("the old key collision overwrites"));
    }

    #[test]
    fn a_claim_the_sentence_judges_or_avoids_is_not_asserted() {
        let keys = flag("Mount a key file for the pod's identity");
        let phrase = FlagKeys {
            phrases: vec![stems("mount a key file")],
            claim: keys.claim,
        };
        for rejecting in [
            "Mounting a key file isn't safe for pods.",
            "Mounting a key file into pods looks simple, but the keys leak.",
            "I'd avoid mounting a key file into pods.",
            "Use Workload Identity instead of mounting a key file.",
        ] {
            assert!(asserted(&phrase, rejecting).is_none(), "{rejecting}");
        }
        for asserting in [
            "Mounting a key file into pods is the simplest way to give them an identity.",
            "We mount a key file into each pod, but rotate it monthly.",
            "Mounting a key file into pods is simplest, but rotate it monthly.",
            "Mounting a key file per pod works, it hasn't failed us.",
        ] {
            assert!(asserted(&phrase, asserting).is_some(), "{asserting}");
        }
    }

    fn flag(claim: &str) -> FlagKeys {
        FlagKeys::new(&RedFlag {
            claim: claim.to_owned(),
            cancels: None,
            phrases: Vec::new(),
        })
    }

    #[test]
    fn a_claim_said_in_its_own_words_is_asserted_without_its_qualifier() {
        let keys = flag("Lambda keeps state between invocations that you can rely on");
        assert!(
            asserted(
                &keys,
                "Lambda keeps state between invocations, so I store the basket there."
            )
            .is_some()
        );
        assert!(asserted(&keys, "Lambda keeps some state between warm invocations.").is_some());
        assert!(asserted(&keys, "Lambda does not keep state between invocations.").is_none());
        assert!(
            asserted(
                &keys,
                "It is a myth that Lambda keeps state between invocations."
            )
            .is_none()
        );
        assert!(asserted(&keys, "Invocations of Lambda keep no state.").is_none());
    }

    #[test]
    fn a_short_claim_needs_its_phrases_and_quantifiers_count() {
        assert!(flag("Locks are slow").claim.is_none());
        let keys = flag("Every team is cluster admin");
        assert!(
            asserted(
                &keys,
                "Every team is a cluster admin, it keeps things simple."
            )
            .is_some()
        );
        assert!(asserted(&keys, "Only the platform team is cluster admin.").is_none());
    }

    #[test]
    fn a_misconception_named_to_reject_it_is_not_asserted() {
        let keys = flag("Lambda keeps state between invocations that you can rely on");
        for rejecting in [
            "People often assume Lambda keeps state between invocations.",
            "A common misconception: Lambda keeps state between invocations.",
            "I'd correct the idea that Lambda keeps state between invocations.",
            "Lambda keeps state between invocations is a myth.",
            "Relying on Lambda keeps state between invocations is an anti-pattern.",
            "A common assumption is that Lambda keeps state between invocations.",
        ] {
            assert!(asserted(&keys, rejecting).is_none(), "{rejecting}");
        }
        for asserting in [
            "I think Lambda keeps state between invocations.",
            "Lambda keeps state between invocations, so I avoid a database.",
        ] {
            assert!(asserted(&keys, asserting).is_some(), "{asserting}");
        }
    }

    #[test]
    fn a_claim_denied_by_the_next_sentence_or_listed_among_misconceptions_is_not_asserted() {
        let keys = flag("Lambda keeps state between invocations that you can rely on");
        for rejecting in [
            "Lambda keeps state between invocations? It doesn't: each one may land on a new instance.",
            "Some say Lambda keeps state between invocations. It doesn't.",
            "A common misconception is that S3 is a file system. Another is that Lambda keeps state between invocations.",
        ] {
            assert!(asserted(&keys, rejecting).is_none(), "{rejecting}");
        }
        for asserting in [
            "Lambda keeps state between invocations; we don't need a cache.",
            "Lambda keeps state between invocations. We never needed Redis.",
            "Lambda keeps state between invocations. It doesn't need a database.",
            "Another point: Lambda keeps state between invocations.",
        ] {
            assert!(asserted(&keys, asserting).is_some(), "{asserting}");
        }
    }

    /// Sentences a confidently wrong candidate could say that still assert the claim: none of the rules that read a
    /// claim as reported may be tripped by an ordinary word (found by review).
    #[test]
    fn ordinary_words_do_not_hide_a_misconception() {
        let lambda = flag("Lambda keeps state between invocations that you can rely on");
        for asserting in [
            "I assume Lambda keeps state between invocations.",
            "Assuming steady traffic, Lambda keeps state between invocations.",
            "The idea is simple: Lambda keeps state between invocations.",
            "Lambda keeps state between invocations in a container. It isn't a problem.",
            "Lambda keeps state between invocations, not a myth.",
            "With nothing extra, Lambda keeps state between invocations.",
            "Lambda keeps state between invocations. It isn't, though, the cheapest option.",
            "My idea for the design is below. First, Lambda keeps state between invocations.",
            "I'm not an expert, but Lambda keeps state between invocations.",
            "No doubt Lambda keeps state between invocations.",
            "We can assume Lambda keeps state between invocations.",
            "Assume Lambda keeps state between invocations.",
            "My assumption is that Lambda keeps state between invocations.",
            "We avoid mistakes with tests. Another thing: Lambda keeps state between invocations.",
            "Lambda keeps state between invocations. It doesn't keep it forever, only while warm.",
        ] {
            assert!(asserted(&lambda, asserting).is_some(), "{asserting}");
        }
        let key_file = FlagKeys {
            phrases: vec![stems("mount a key file")],
            claim: None,
        };
        for asserting in [
            "Mounting a key file never failed us.",
            "Mounting a key file isn't risky at all.",
            "I'd rather mount a key file into each pod.",
            "Instead, mount a key file into each pod.",
            "To prevent outages, mount a key file into each pod.",
            "Instead of mounting a key file per node we mount a key file per pod.",
            "Mounting a key file is simplest, it looks clean and works, but rotate it.",
        ] {
            assert!(asserted(&key_file, asserting).is_some(), "{asserting}");
        }
    }
}
