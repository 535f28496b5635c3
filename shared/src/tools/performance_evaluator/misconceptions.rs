//! Misconceptions said in an answer. A red flag — a misconception the bank lists for a question — fires when a
//! sentence says one of its phrases, or its claim in the claim's own words, unless the sentence reports the claim to
//! reject it: negated, attributed ("people assume…", "a common myth is…"), denied by the next sentence ("It
//! doesn't: …"), listed among misconceptions already named ("Another is that…"), governed by "avoid", or judged as
//! a gerund subject ("Pushing 500 TB in a weekend isn't realistic").

use std::collections::HashSet;
use std::sync::OnceLock;

use super::language::{lexicon, split_sentences, stem, words};
use crate::knowledge::RedFlag;

/// Words that negate what follows them in a clause.
const NEGATIONS: &[&str] = &[
    "not", "never", "no", "cannot", "without", "neither", "nor", "nothing",
];

/// Words with which a speaker reports a claim as a belief to correct rather than asserting it ("a common myth is
/// that…", "people often assume…", "I'd push back on the idea that…"): said before the claim in its sentence, the
/// claim is not asserted. ("Think" is not among them: "I think S3 is block storage" asserts it.)
const REPORTED_BEFORE: &[&str] = &[
    "myth",
    "misconception",
    "mistaken",
    "mistakenly",
    "untrue",
    "assume",
    "assumption",
    "belief",
    "idea",
    "notion",
    "misunderstanding",
    "misunderstand",
    "confusion",
    "confuse",
    "trap",
    "pitfall",
    "fallacy",
    "anti",
];

/// Words that judge a claim just said as wrong ("sending reads to the standby is an anti-pattern"): within
/// [`JUDGED_WITHIN`] words after the claim, it is not asserted.
const REJECTED_AFTER: &[&str] = &["myth", "misconception", "fallacy", "anti"];

/// Words that, just before a claim, make it the thing rejected ("avoid giving…", "instead of mounting…").
const GOVERNORS: &[&str] = &[
    "avoid", "avoiding", "instead", "rather", "stop", "stopped", "against", "prevent",
];

/// Words of appearance that concede before a "but" ("seems quick, but…", "might look simple, but…").
const APPEARANCES: &[&str] = &[
    "seems",
    "seem",
    "looks",
    "look",
    "sounds",
    "sound",
    "tempting",
    "appealing",
];

/// Words that may open a sentence before its subject.
const OPENERS: &[&str] = &["and", "but", "so", "also", "then", "or"];

/// A sentence's stems beside its words as written (lowercased), one to one: the stems are compared, the words
/// show what the stems hide ("mounting", a gerund, stems to "mount").
#[derive(Clone, Copy)]
struct Said<'a> {
    stems: &'a [String],
    words: &'a [String],
}

/// How near after a claim a judging word still judges it.
const JUDGED_WITHIN: usize = 4;

/// [`REPORTED_BEFORE`] and [`REJECTED_AFTER`] as stems, the form sentences are compared in.
fn reporting() -> &'static (HashSet<String>, HashSet<String>) {
    static STEMS: OnceLock<(HashSet<String>, HashSet<String>)> = OnceLock::new();
    STEMS.get_or_init(|| {
        let stems = |words: &[&str]| words.iter().map(|w| stem(w)).collect();
        (stems(REPORTED_BEFORE), stems(REJECTED_AFTER))
    })
}

/// Whether an answer talks about misconceptions as such ("a common misconception…", "people assume…", "the classic
/// mistake is…"): an expert correcting mistakes, whose red flags may be the mistakes they name, not a candidate
/// confidently wrong.
pub fn names_misconceptions(answer: &str) -> bool {
    let (before, _) = reporting();
    let mistake = stem("mistake");
    words(answer)
        .map(|w| stem(&w))
        .any(|w| before.contains(&w) || w == mistake)
}

/// Whether the words of `sentence` around a claim matched at `start..=end` reject it rather than assert it: a
/// negation or reporting word before its end, or a judging word just after it — other than the claim's own words,
/// `own`.
fn rejected(said: Said<'_>, start: usize, end: usize, own: &[String]) -> bool {
    let sentence = said.stems;
    let (before, after) = reporting();
    // "avoid giving…", "instead of mounting…": the word governing the claim rejects it.
    let governed = said.words[start.saturating_sub(2)..start]
        .iter()
        .any(|w| GOVERNORS.contains(&w.as_str()));
    // "Pushing 500 TB over the internet in a weekend isn't realistic", "Copy-pasting a template seems quick, but…":
    // a claim stated as the sentence's gerund subject is being judged — wrong, when a negation follows it at once
    // or it only *seems* good before a "but".
    let opening = said
        .words
        .iter()
        .position(|w| !OPENERS.contains(&w.as_str()))
        .unwrap_or(0);
    let judged_subject = start <= opening + 1
        && said
            .words
            .get(opening)
            .is_some_and(|w| w.len() > 5 && w.ends_with("ing"))
        && {
            let after = &said.words[end + 1..];
            let negated_at_once = after
                .iter()
                .take(2)
                .any(|w| w.ends_with("n't") || matches!(w.as_str(), "not" | "never"));
            let seems_but = after
                .iter()
                .position(|w| APPEARANCES.contains(&w.as_str()))
                .is_some_and(|at| after[at..].iter().any(|w| w == "but"));
            negated_at_once || seems_but
        };
    governed
        || judged_subject
        || sentence[..=end]
            .iter()
            .filter(|w| !own.contains(w))
            .any(|w| NEGATIONS.contains(&w.as_str()) || w.ends_with("n't") || before.contains(w))
        || sentence[end + 1..]
            .iter()
            .take(JUDGED_WITHIN)
            .any(|w| after.contains(w) && !own.contains(w))
}

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

/// Whether a clause asserts a phrase: its stems in order, at most [`PHRASE_GAP`] other words between consecutive
/// ones, and no negation earlier in the clause or between them.
fn asserts(said: Said<'_>, phrase: &[String]) -> bool {
    let clause = said.stems;
    let Some(first) = phrase.first() else {
        return false;
    };
    for start in (0..clause.len()).filter(|i| &clause[*i] == first) {
        let mut at = start;
        let mut matched = true;
        for word in &phrase[1..] {
            match clause[at + 1..]
                .iter()
                .take(PHRASE_GAP + 1)
                .position(|w| w == word)
            {
                Some(offset) => at += offset + 1,
                None => {
                    matched = false;
                    break;
                }
            }
        }
        if matched {
            return !rejected(said, start, at, phrase);
        }
    }
    false
}

/// Whether a sentence states a claim in the claim's own words: the claim's main-clause words in order, at most
/// [`CLAIM_GAP`] other words between consecutive ones, and no negation or distancing word before the last of them
/// that is not itself part of the claim.
fn states(said: Said<'_>, claim: &[String]) -> bool {
    let sentence = said.stems;
    let Some(first) = claim.first() else {
        return false;
    };
    'start: for start in (0..sentence.len()).filter(|i| &sentence[*i] == first) {
        let mut at = start;
        for word in &claim[1..] {
            match sentence[at + 1..]
                .iter()
                .take(CLAIM_GAP + 1)
                .position(|w| w == word)
            {
                Some(offset) => at += offset + 1,
                None => continue 'start,
            }
        }
        return !rejected(said, start, at, claim);
    }
    false
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

    fn asserted_by(&self, said: Said<'_>) -> bool {
        self.phrases.iter().any(|p| asserts(said, p))
            || self.claim.as_ref().is_some_and(|c| states(said, c))
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

/// One sentence of an answer, split and stemmed.
struct AnswerSentence {
    /// As written, lowercased: what evidence quotes.
    text: String,
    words: Vec<String>,
    /// One stem per word.
    stems: Vec<String>,
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
    "that's wrong",
    "that's a myth",
    "they don't",
    "they aren't",
    "they are not",
    "they do not",
];

/// Whether `next` opens by denying the sentence before it (`before`, as stems): a denial followed by nothing, by
/// punctuation, or by a word of that sentence ("It isn't *encrypted* by default") — not one that goes on to say
/// something new ("It doesn't need a database" continues a claim).
fn denies(next: &str, before: &[String]) -> bool {
    DENIALS.iter().any(|denial| {
        next.strip_prefix(denial).is_some_and(|rest| {
            let rest = rest.trim_start();
            rest.is_empty()
                || rest.starts_with([':', ';', ',', '.', '!', '-', '—'])
                || words(rest)
                    .next()
                    .is_some_and(|w| before.contains(&stem(&w)))
        })
    })
}

/// Openings that add one more item to a list of misconceptions ("Another is that…", "Second, that…").
const NEXT_ITEM: &[&str] = &["another", "second", "third", "first", "other"];

impl StemmedSentences {
    /// Splits and stems an answer. A sentence is *reported* — its claims not asserted — when the next sentence
    /// opens by denying it ("X. It doesn't: …") or when it adds to a list of misconceptions the answer has already
    /// named ("A common misconception is A. … Another is that B.").
    pub fn new(answer: &str) -> Self {
        let (before, _) = reporting();
        let lowered = answer.to_lowercase().replace('’', "'");
        // Each sentence with whether it ended with a full stop, "!" or "?" — what follows a semicolon continues
        // the thought ("…; we never measured it") rather than answering it.
        let split: Vec<(String, Vec<String>, bool)> = split_sentences(&lowered)
            .into_iter()
            .map(|sentence| {
                let end = sentence.as_ptr().addr() - lowered.as_ptr().addr() + sentence.len();
                let stop = matches!(lowered[end..].chars().next(), Some('.' | '!' | '?'));
                (
                    sentence.trim().to_owned(),
                    words(sentence).collect::<Vec<_>>(),
                    stop,
                )
            })
            .filter(|(_, words, _)| !words.is_empty())
            .collect();
        let stems: Vec<Vec<String>> = split
            .iter()
            .map(|(_, words, _)| words.iter().map(|w| stem(w)).collect())
            .collect();
        let mut naming_misconceptions = false;
        let mut sentences = Vec::with_capacity(split.len());
        for (i, (text, words, stop)) in split.iter().enumerate() {
            let here = &stems[i];
            let denied_next = *stop
                && split
                    .get(i + 1)
                    .is_some_and(|(next, _, _)| denies(next, here));
            let next_item = naming_misconceptions
                && here.iter().take(2).any(|w| NEXT_ITEM.contains(&w.as_str()));
            naming_misconceptions |= here.iter().any(|w| before.contains(w));
            sentences.push(AnswerSentence {
                text: text.clone(),
                words: words.clone(),
                stems: here.clone(),
                reported: denied_next || next_item,
            });
        }
        Self { sentences }
    }

    /// The first sentence that asserts the red flag (see [`asserted`]).
    pub fn asserting(&self, keys: &FlagKeys) -> Option<String> {
        self.sentences
            .iter()
            .find(|s| {
                !s.reported
                    && keys.asserted_by(Said {
                        stems: &s.stems,
                        words: &s.words,
                    })
            })
            .map(|s| s.text.clone())
    }
}

/// A phrase as stems, the form [`asserts`] compares.
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
        check(Said {
            stems: &stems,
            words: &words,
        })
    }

    #[test]
    fn a_phrase_is_asserted_in_order_unless_negated() {
        let phrase = stems("collision overwrites the old key");
        let check = |text: &str| said(text, |s| asserts(s, &phrase));
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
}
