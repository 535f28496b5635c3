//! What the evaluator can tell from an answer's words without a language model: sentences, whether they are prose
//! or a list of terms, gibberish, repetition, and which of a fixed set of phrases (hedges, reasons, fillers, STAR
//! markers…) occur.
//!
//! Everything is matched on *stems* (a few suffix rules applied alike to the text and to every phrase), so
//! "collisions" matches the bank keyword "collision" and "caching" matches "cache". Phrases only count inside
//! *prose sentences* — at least four words with a subject or verb among them and a share of function words — which
//! is what makes a string of buzzwords worth nothing: it has the keywords but no sentence to carry them.

use std::collections::HashSet;
use std::sync::OnceLock;

/// Words of one answer that are analysed; the rest only count towards its length, so a pasted novel costs the same
/// as a long answer.
pub const MAX_ANALYSED_WORDS: usize = 3_000;

/// A sentence of an answer.
#[derive(Debug)]
pub struct Sentence {
    /// Its stems joined by single spaces, with a space at each end, so `contains(" hash map ")` is a phrase match.
    pub padded: String,
    pub words: usize,
    /// A real sentence rather than a list of terms or noise.
    pub prose: bool,
}

/// The analysed text of one answer.
#[derive(Debug, Default)]
pub struct AnswerText {
    /// Every word, including those past [`MAX_ANALYSED_WORDS`].
    pub total_words: usize,
    /// Lowercased words (analysed part only).
    pub words: Vec<String>,
    pub sentences: Vec<Sentence>,
    /// Words inside prose sentences.
    pub prose_words: usize,
    /// Alphabetic words that do not look like any language's words (no vowel, long consonant runs, keyboard mash).
    pub implausible_words: usize,
    /// The share of word trigrams that already occurred earlier in the answer.
    pub repetition: f64,
    /// Filler words found in the text ("um", "you know"…).
    pub text_fillers: usize,
    /// Whether the text has sentence punctuation at all (voice transcripts sometimes have none).
    pub punctuated: bool,
    /// A prose clause opens with a consequence "so" (", so the cache fills…", "So we shard…"): reasoning, unlike
    /// the degree "so" ("so slow") or "so far".
    pub causal_so: bool,
    /// Every stem of the prose sentences: most phrases are ruled out by one set lookup before any sentence is
    /// searched.
    prose_set: HashSet<String>,
}

/// Stems a word: lowercase, possessive and plural endings, `-ing`/`-ed`/`-ly`, a final `e`, and a doubled final
/// consonant; the same rules on both sides make inflections meet.
pub fn stem(word: &str) -> String {
    let mut w: String = word.to_lowercase().replace('’', "'");
    if let Some(base) = w.strip_suffix("'s") {
        w = base.to_owned();
    }
    let w = w.trim_matches('\'').to_owned();
    let n = w.chars().count();
    let cut = |suffix: &str, min_stem: usize| -> Option<String> {
        let base = w.strip_suffix(suffix)?;
        (base.chars().count() >= min_stem).then(|| base.to_owned())
    };
    let mut s = if let Some(b) = cut("ies", 2).or_else(|| cut("ied", 2)) {
        format!("{b}y")
    } else if let Some(b) = cut("sses", 2) {
        format!("{b}ss")
    } else if let Some(b) = cut("ing", 3) {
        b
    } else if w.ends_with("eed") {
        w.clone()
    } else if let Some(b) = cut("ed", 3) {
        b
    } else if let Some(b) = w
        .strip_suffix("es")
        .filter(|b| ["s", "x", "z", "ch", "sh"].iter().any(|e| b.ends_with(e)) && b.len() >= 2)
    {
        b.to_owned()
    } else if n > 3 && w.ends_with('s') && !["ss", "us", "is"].iter().any(|e| w.ends_with(e)) {
        w[..w.len() - 1].to_owned()
    } else if let Some(b) = cut("ly", 4) {
        b
    } else {
        w.clone()
    };
    if s.chars().count() >= 4 && s.ends_with('e') {
        s.pop();
    }
    let bytes = s.as_bytes();
    if bytes.len() >= 4 {
        let (a, b) = (bytes[bytes.len() - 1], bytes[bytes.len() - 2]);
        if a == b && a.is_ascii_alphabetic() && !b"aeioulsz".contains(&a) {
            s.pop();
        }
    }
    s
}

/// Splits text into lowercase words: letters, digits and inner apostrophes; everything else separates.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    word_slices(text).map(str::to_lowercase)
}

/// The words of `text` as slices of it, as [`words`] splits them (before lowercasing): where each one sits tells
/// what punctuation follows it.
pub fn word_slices(text: &str) -> impl Iterator<Item = &str> + '_ {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .map(|w| w.trim_matches(['\'', '’']))
        .filter(|w| !w.is_empty())
}

/// A phrase as a padded stem string, the form [`Sentence::padded`] is searched with.
pub fn phrase_key(phrase: &str) -> String {
    let stems: Vec<String> = words(phrase).map(|w| stem(&w)).collect();
    format!(" {} ", stems.join(" "))
}

/// Content words of a text (no function words, no question scaffolding), as stems.
pub fn content_stems(text: &str) -> HashSet<String> {
    let lex = lexicon();
    words(text)
        .filter(|w| {
            !lex.function_words.contains(w.as_str()) && !lex.scaffolding.contains(w.as_str())
        })
        .filter(|w| w.chars().count() > 1)
        .map(|w| stem(&w))
        .collect()
}

impl AnswerText {
    /// Analyses an answer. Linear in its length; at most [`MAX_ANALYSED_WORDS`] words are examined.
    pub fn analyse(text: &str) -> Self {
        let expanded = expand_abbreviations(text);
        let text = expanded.as_ref();
        let lex = lexicon();
        let mut out = AnswerText {
            punctuated: text.contains(['.', '!', '?', ';', '\n']),
            ..AnswerText::default()
        };
        let lowered = text.to_lowercase().replace('’', "'");
        out.text_fillers = count_fillers(&lowered, lex);
        for original in split_sentences(text) {
            let lowered_sentence = original.to_lowercase().replace('’', "'");
            let raw_sentence = lowered_sentence.as_str();
            let sentence_words: Vec<String> = words(raw_sentence).collect();
            if sentence_words.is_empty() {
                continue;
            }
            out.total_words += sentence_words.len();
            let room = MAX_ANALYSED_WORDS.saturating_sub(out.words.len());
            if room == 0 {
                continue;
            }
            let sentence_words: Vec<String> = sentence_words.into_iter().take(room).collect();
            let mut function = 0usize;
            let mut clause = false;
            for w in &sentence_words {
                if lex.function_words.contains(w.as_str()) {
                    function += 1;
                }
                if lex.clause_words.contains(w.as_str()) {
                    clause = true;
                }
                if !plausible(w) {
                    out.implausible_words += 1;
                }
            }
            let n = sentence_words.len();
            let share = function as f64 / n as f64;
            let opener = raw_sentence.trim_start();
            let consequence = (opener.starts_with("so ")
                || raw_sentence.contains(", so ")
                || raw_sentence.contains(" and so "))
                && !raw_sentence.contains("so far")
                && !opener.starts_with("so that");
            // A sentence is prose when it has a subject or verb and some function words — or, written tersely as
            // experts often do ("Standard for 30 days, then Glacier for archives"), when a fifth of its words
            // relate the others (prepositions, conjunctions). A list of terms has neither.
            // Note form: the colon, arrow or equals sign is the verb, and each stands for one function word ("is",
            // "then").
            let notation = Notation::of(raw_sentence);
            let (clause, share) = if notation.states() {
                let marks = notation.marks;
                (true, (function + marks) as f64 / (n + marks) as f64)
            } else {
                (clause, share)
            };
            let prose = n >= 4
                && (!is_list(raw_sentence) || notation.defines)
                && ((clause && share >= 0.15)
                    || (n >= 6 && share >= 0.12 && relates(&sentence_words)));
            if prose {
                out.prose_words += n;
                out.causal_so |= consequence;
            }
            let stems: Vec<String> = sentence_words.iter().map(|w| stem(w)).collect();
            if prose {
                out.prose_set.extend(stems.iter().cloned());
            }
            out.sentences.push(Sentence {
                padded: format!(" {} ", stems.join(" ")),
                words: n,
                prose,
            });
            out.words.extend(sentence_words);
        }
        out.repetition = {
            let mut seen: HashSet<(&str, &str, &str)> = HashSet::new();
            let trigrams = out.words.len().saturating_sub(2);
            let repeats = out
                .words
                .windows(3)
                .filter(|t| !seen.insert((&t[0], &t[1], &t[2])))
                .count();
            if trigrams > 0 {
                repeats as f64 / trigrams as f64
            } else {
                0.0
            }
        };
        out
    }

    /// Whether a phrase key (see [`phrase_key`]) occurs in a prose sentence.
    pub fn says(&self, key: &str) -> bool {
        key.split_whitespace()
            .all(|stem| self.prose_set.contains(stem))
            && self
                .sentences
                .iter()
                .any(|s| s.prose && s.padded.contains(key))
    }

    /// Which of the phrases (display text, key) occur in prose sentences.
    pub fn which<'a>(&self, phrases: &'a [(&'static str, String)]) -> Vec<&'a str> {
        phrases
            .iter()
            .filter(|(_, key)| self.says(key))
            .map(|(shown, _)| *shown)
            .collect()
    }

    /// The number of prose sentences.
    pub fn prose_sentences(&self) -> usize {
        self.sentences.iter().filter(|s| s.prose).count()
    }

    /// Stems occurring in prose sentences.
    pub fn prose_stems(&self) -> &HashSet<String> {
        &self.prose_set
    }

    /// Whether a number (digits or a number word) occurs in a prose sentence.
    pub fn has_number(&self) -> bool {
        let lex = lexicon();
        self.sentences.iter().filter(|s| s.prose).any(|s| {
            s.padded
                .split_whitespace()
                .any(|w| w.chars().any(|c| c.is_ascii_digit()) || lex.number_words.contains(w))
        })
    }

    /// Big-O notation (`O(n log n)` becomes the stems `o n log n`) in a prose sentence.
    pub fn has_complexity_notation(&self) -> bool {
        self.sentences.iter().filter(|s| s.prose).any(|s| {
            [
                " o n ",
                " o 1 ",
                " o log ",
                " o n2 ",
                " o v ",
                " o k ",
                " o m ",
                " o nlogn ",
            ]
            .iter()
            .any(|k| s.padded.contains(k))
        })
    }

    /// First-person singular and plural pronouns in prose sentences: the ownership signal of behavioral answers.
    pub fn pronouns(&self) -> (usize, usize) {
        let mut singular = 0;
        let mut plural = 0;
        for s in self.sentences.iter().filter(|s| s.prose) {
            for w in s.padded.split_whitespace() {
                match w {
                    "i" | "me" | "my" | "min" | "myself" | "i'm" | "i'v" | "i'd" | "i'll" => {
                        singular += 1
                    }
                    "we" | "us" | "our" | "ourselv" | "we'r" | "we'v" | "we'd" | "we'll" => {
                        plural += 1
                    }
                    _ => {}
                }
            }
        }
        (singular, plural)
    }

    /// Whether a prose sentence has "I" followed (within two words) by a past-tense or action verb: the Action of
    /// STAR, told in the first person.
    pub fn first_person_actions(&self) -> usize {
        let lex = lexicon();
        let mut count = 0;
        for s in self.sentences.iter().filter(|s| s.prose) {
            let stems: Vec<&str> = s.padded.split_whitespace().collect();
            for (i, w) in stems.iter().enumerate() {
                if *w != "i" {
                    continue;
                }
                let acted = stems
                    .iter()
                    .skip(i + 1)
                    .take(2)
                    .any(|next| lex.action_stems.contains(*next));
                if acted {
                    count += 1;
                }
            }
        }
        count
    }
}

/// The parts of a STAR story an answer labels outright, as candidates taught the method write them in notes:
/// "S: payments team, a mandate due in six weeks", "T/A: …", "Result: live two days early", "Learned: …".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StarLabels {
    pub situation: bool,
    pub task: bool,
    pub action: bool,
    pub result: bool,
    pub reflection: bool,
}

/// Words that follow a STAR label: the fewest that tell a part rather than name it, a short sentence ("R: live two
/// days before the deadline").
const STAR_LABEL_WORDS: usize = 6;

impl StarLabels {
    /// Reads labels at the start of a line or sentence, bulleted or in bold or not: a letter or word of the method
    /// (two joined by "/", as "S/T:" — one sentence cannot tell the whole story, so "S/T/A/R:" labels nothing),
    /// then a colon, then at least [`STAR_LABEL_WORDS`] words.
    pub fn of(answer: &str) -> Self {
        let mut labels = Self::default();
        for segment in answer.split(['\n', '.', ';']) {
            let Some((head, body)) = segment.split_once(':') else {
                continue;
            };
            let head = head
                .trim()
                .trim_start_matches(['-', '•', '>', ' '])
                .trim_matches(['*', '_', ' ']);
            if head.chars().count() > 12
                || head.split(['/', '&', '+']).count() > 2
                || words(body).count() < STAR_LABEL_WORDS
            {
                continue;
            }
            for part in head.split(['/', '&', '+']) {
                match part.trim().to_lowercase().as_str() {
                    "s" | "situation" | "context" | "background" => labels.situation = true,
                    "t" | "task" | "goal" => labels.task = true,
                    "a" | "action" | "actions" => labels.action = true,
                    "r" | "result" | "results" | "outcome" => labels.result = true,
                    "l" | "learned" | "learnt" | "lesson" | "lessons" | "takeaway" => {
                        labels.reflection = true
                    }
                    _ => {}
                }
            }
        }
        labels
    }
}

/// Whether a sentence is a list of terms: three or more comma-separated items (commas inside parentheses do not
/// separate items: "pilot light (data replicated, services off)" is one item), most of them three words or fewer —
/// "We use Kafka, Kubernetes, Redis and CQRS". The first item may be a longer lead-in ("For the cart we use X on
/// Y with Z, …"): a lead-in does not make an enumeration a sentence.
pub fn is_list(sentence: &str) -> bool {
    let mut items: Vec<String> = Vec::new();
    let mut depth = 0usize;
    let mut current = String::new();
    let mut chars = sentence.chars().peekable();
    let mut previous = ' ';
    while let Some(c) = chars.next() {
        // A slash between digits is a ratio or a choice of numbers ("0/1 costs", "24/7"), not a separator.
        let numeric_slash =
            c == '/' && previous.is_ascii_digit() && chars.peek().is_some_and(char::is_ascii_digit);
        previous = c;
        if numeric_slash {
            current.push(c);
            continue;
        }
        match c {
            '(' | '[' => {
                depth += 1;
                current.push(' ');
            }
            ')' | ']' => {
                depth = depth.saturating_sub(1);
                current.push(' ');
            }
            ',' | '/' if depth == 0 => items.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    items.push(current);
    items.retain(|item| words(item).next().is_some());
    if items.len() < 3 {
        return false;
    }
    let short = items.iter().filter(|item| words(item).count() <= 3).count();
    // Speech chopped by commas ("um, so I decided, you know, …") is full of function words; a list is not. The
    // items after the first tell (the first may be a lead-in of any kind). A hyphenated compound
    // ("at-least-once", "read-through") is one term here, not three words, two of them function words.
    let lex = lexicon();
    let tokens: Vec<String> = items[1..]
        .iter()
        .flat_map(|item| {
            item.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
                .map(|t| t.trim_matches(['-', '\'']).to_lowercase())
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
        })
        .collect();
    let function = tokens
        .iter()
        .filter(|w| lex.function_words.contains(w.as_str()))
        .count();
    short * 3 >= items.len() * 2 && function * 10 < tokens.len() * 3
}

/// How a sentence written in note form states something without a verb. Experts writing tersely put a colon for
/// "is" or "means" ("LRS: three copies in one datacenter"), an arrow for "leads to" or "then" ("audit first ->
/// fix -> deny") and an equals sign for "is" ("max-heap = lower half"); read as words, such a line has no verb and
/// would count as a list of terms. What follows the colon must itself say something (three words or more, not a
/// list), so "Stack: Kafka, Redis, CQRS" stays a list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Notation {
    /// A short head (one to four words) before a colon, then a statement about it: the colon reads "is".
    pub defines: bool,
    /// An arrow or an equals sign between terms: it reads "then", "leads to" or "is".
    pub arrows: bool,
    /// How many marks stand in for words: the defining colon, each arrow, and the equals signs once. Each counts as
    /// one function word of the sentence, as the word it replaces would.
    pub marks: usize,
}

/// Arrows that read "then" or "leads to".
const ARROWS: [&str; 3] = ["->", "→", "=>"];

/// Equals signs standing alone ("lower = max-heap"), not part of a comparison or an arrow ("==", "<=", "=>").
fn equals_signs(sentence: &str) -> usize {
    let bytes = sentence.as_bytes();
    (0..bytes.len())
        .filter(|&i| bytes[i] == b'=')
        .filter(|&i| {
            let joined = |b: Option<&u8>| b.is_some_and(|b| b"=<>!".contains(b));
            !joined(i.checked_sub(1).and_then(|j| bytes.get(j))) && !joined(bytes.get(i + 1))
        })
        .count()
}

impl Notation {
    /// Reads a sentence's notation (the sentence as written, any case). A note must relate its terms with at least
    /// one word of its own — a function word, a number, "per", "then", "e.g." (see [`relates`]) — so a chain of
    /// names ("Redis -> Kafka -> DynamoDB", "Cart: Kafka Redis sharding", "Cart = Kafka + Redis") stays a list of
    /// terms.
    pub fn of(sentence: &str) -> Self {
        let arrows: usize = ARROWS.iter().map(|a| sentence.matches(a).count()).sum();
        let equals = if sentence.contains('=') {
            equals_signs(sentence)
        } else {
            0
        };
        // Most sentences have none of these marks: nothing to read, and no words to collect.
        if arrows + equals == 0 && !sentence.contains(':') {
            return Self::default();
        }
        let tokens: Vec<String> = words(sentence).collect();
        // A count in words before what it counts ("Two heaps: …") grounds a note's head; a number word in a name
        // ("Six Sigma") counts nothing.
        let counts = tokens.windows(2).any(|w| {
            NUMBER_WORDS.contains(&w[0].as_str()) && w[1].len() > 3 && w[1].ends_with('s')
        });
        if !grounded(&tokens) && !counts {
            return Self::default();
        }
        let defines = sentence.split_once(':').is_some_and(|(head, body)| {
            let head_words = words(head).count();
            (1..=4).contains(&head_words)
                && !head.contains(['(', '['])
                && !body.starts_with("//")
                && words(body).count() >= 3
                && !is_list(body)
        });
        Self {
            defines,
            arrows: arrows + equals > 0,
            // Arrows chain steps, each a verb of its own; an equals sign reads "is" once however many are chained
            // ("Collisions = the chaining = linked list" says one thing).
            marks: usize::from(defines) + arrows + usize::from(equals > 0),
        }
    }

    /// Whether the notation stands in for a verb.
    pub fn states(self) -> bool {
        self.defines || self.arrows
    }
}

/// Whether a terse text relates its terms with at least one word of its own: a function word or one of
/// [`relates`]'s words. Notes need one; a string of names ("Redis Kafka DynamoDB") has none.
fn grounded(tokens: &[String]) -> bool {
    let lex = lexicon();
    tokens
        .iter()
        .any(|w| lex.function_words.contains(w.as_str()))
        || relates(tokens)
}

/// Words that relate the terms of a terse sentence to each other: a number, a sequence, a condition, a comparison,
/// an example. A sentence without a subject or verb is still prose when it has one ("Standard for 30 days, then
/// Glacier"); a string of terms joined by "and" and "with" is not.
pub(crate) fn relates(tokens: &[String]) -> bool {
    const RELATIONS: &[&str] = &[
        "then", "if", "when", "after", "before", "until", "unless", "instead", "than", "so",
        "because", "per", "each", "every", "via", "by", "example", "such", "only", "once", "twice",
        "while", "whereas", "but",
    ];
    tokens
        .iter()
        .any(|w| RELATIONS.contains(&w.as_str()) || w.chars().any(|c| c.is_ascii_digit()))
        // "e.g." and "i.e." arrive as two one-letter words.
        || tokens
            .windows(2)
            .any(|w| matches!((w[0].as_str(), w[1].as_str()), ("e", "g") | ("i", "e")))
}

/// Abbreviations whose full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "e.g", "i.e", "etc", "vs", "mr", "mrs", "ms", "dr", "prof", "approx", "no", "fig", "st", "jr",
    "sr", "cf", "incl", "min", "max", "avg", "est",
];

/// Whether the text before a full stop ends with an abbreviation (or a single letter, an initial), so the stop does
/// not end the sentence.
pub fn is_abbreviation(before: &str) -> bool {
    let word: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || *c == '.')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let word = word.to_lowercase();
    ABBREVIATIONS.contains(&word.as_str())
        || (word.len() == 1 && word.chars().all(|c| c.is_alphabetic()))
}

/// Whether the `!` at byte `at` of `text` is a factorial ("n! orderings", "O(n!)", "5! = 120"): it follows a number
/// or one of the letters that name a count in an answer (n, k, m, r), and the text goes on in the same sentence —
/// into a closing bracket or an operator, or, after a letter, into a lowercase word ("n! results"). After anything
/// else it is an exclamation: "Plan B! We…", "I did 5! then…", "got an A! it…".
fn is_factorial(text: &str, at: usize) -> bool {
    let word = text[..at]
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    let number = !word.is_empty() && word.chars().all(|c| c.is_ascii_digit());
    let count = matches!(word, "n" | "k" | "m" | "r");
    let after = text[at + 1..].trim_start_matches(' ');
    let Some(next) = after.chars().next() else {
        return false;
    };
    let operator = matches!(
        next,
        ')' | ']' | '}' | '=' | '+' | '-' | '*' | '/' | '×' | '<' | '>' | ','
    ) || next.is_ascii_digit();
    (number || count) && (operator || (count && next.is_lowercase()))
}

/// Expands the note-form abbreviations "w/" ("with") and "w/o" ("without"), any case, where they start a word:
/// read as written they are a one-letter word and a slash, which splits a note into a list of terms ("Dijkstra w/
/// min-heap on dist") and hides its function word.
pub(crate) fn expand_abbreviations(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("w/") && !text.contains("W/") {
        return std::borrow::Cow::Borrowed(text);
    }
    // Longest first, so "w/out" and "w/o" are not read as "w/" and a word.
    const WHOLE: [(&str, &str); 2] = [("w/out", "without"), ("w/o", "without")];
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    let mut word_start = true;
    'text: while let Some(c) = rest.chars().next() {
        if word_start {
            for (short, long) in WHOLE {
                let ends = rest
                    .get(short.len()..)
                    .is_some_and(|after| after.chars().next().is_none_or(|c| !c.is_alphanumeric()));
                if ends && rest[..short.len()].eq_ignore_ascii_case(short) {
                    out.push_str(long);
                    rest = &rest[short.len()..];
                    word_start = false;
                    continue 'text;
                }
            }
            if matches!(rest.get(..2), Some("w/" | "W/")) {
                out.push_str("with ");
                rest = rest[2..].trim_start_matches([' ', '\t']);
                continue;
            }
        }
        out.push(c);
        word_start = !(c.is_alphanumeric() || c == '\'' || c == '/');
        rest = &rest[c.len_utf8()..];
    }
    std::borrow::Cow::Owned(out)
}

/// An answer lowercased as every reader of it compares words: lowercase, typographic apostrophes plain, note-form
/// abbreviations expanded (see [`expand_abbreviations`]).
pub(crate) fn lowered(text: &str) -> String {
    expand_abbreviations(&text.to_lowercase()).replace('’', "'")
}

/// Sentences end at `.`, `!`, `?`, `;` or a line break; a `.` between digits ("3.5") or after an abbreviation
/// ("e.g."), and a factorial's `!`, do not end one.
pub(crate) fn split_sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        let ends = match c {
            '!' => !is_factorial(text, i),
            '?' | ';' | '\n' => true,
            '.' => {
                let next = bytes.get(i + 1).copied();
                !matches!(next, Some(b) if b.is_ascii_alphanumeric())
                    && !is_abbreviation(&text[..i])
            }
            _ => false,
        };
        if ends {
            out.push(&text[start..i]);
            start = i + c.len_utf8();
        }
    }
    out.push(&text[start..]);
    out
}

/// Whether a lowercase word could be a word: digits and short tokens pass (acronyms, `s3`), longer ones need a
/// vowel, no run of six consonants, no letter three times in a row, and no five keyboard-row neighbours in order.
fn plausible(word: &str) -> bool {
    if word.chars().any(|c| c.is_ascii_digit()) || !word.is_ascii() {
        return true;
    }
    let len = word.len();
    if len <= 4 {
        return true;
    }
    if len > 24 {
        return false;
    }
    let is_vowel = |c: u8| b"aeiouy".contains(&c);
    let bytes = word.as_bytes();
    if !bytes.iter().any(|&c| is_vowel(c)) {
        return false;
    }
    let mut consonants = 0;
    let mut same = 1;
    for (i, &c) in bytes.iter().enumerate() {
        consonants = if is_vowel(c) { 0 } else { consonants + 1 };
        if consonants >= 6 {
            return false;
        }
        same = if i > 0 && bytes[i - 1] == c {
            same + 1
        } else {
            1
        };
        if same >= 3 {
            return false;
        }
    }
    const ROWS: [&str; 3] = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];
    let mashed = ROWS.iter().any(|row| {
        bytes.windows(5).any(|w| {
            w.windows(2).all(|p| {
                row.find(p[0] as char)
                    .zip(row.find(p[1] as char))
                    .is_some_and(|(a, b)| b == a + 1)
            })
        })
    });
    !mashed
}

/// Filler words and phrases ("um", "you know", a comma-set "like") in `text`, as the evaluator counts them; the
/// voice pipeline stores this on each spoken answer.
pub fn filler_words(text: &str) -> usize {
    count_fillers(&text.to_lowercase(), lexicon())
}

fn count_fillers(lowered: &str, lex: &Lexicon) -> usize {
    let tokens: Vec<String> = words(lowered).collect();
    let mut count = tokens
        .iter()
        .filter(|w| lex.filler_words.contains(w.as_str()))
        .count();
    let padded = format!(" {} ", tokens.join(" "));
    for phrase in ["you know", "i mean", "kind of like", "sort of like"] {
        count += padded.matches(&format!(" {phrase} ")).count();
    }
    // "like" is a filler only when set off by commas ("it was, like, slow"); elsewhere it is a verb or comparison.
    count += lowered.matches(", like,").count();
    count
}

/// Business jargon: words that stand in for content ("leverage", "synergy", "holistic", "seamless", "best
/// practice"), from the usual lists of corporate buzzwords — not technical terms, which name a mechanism. Words
/// ending in "-grade" ("enterprise-grade") count too.
const JARGON: &[&str] = &[
    "leverage",
    "leverages",
    "leveraging",
    "leveraged",
    "synergy",
    "synergies",
    "synergistic",
    "holistic",
    "holistically",
    "paradigm",
    "paradigms",
    "seamless",
    "seamlessly",
    "robustness",
    "cutting-edge",
    "state-of-the-art",
    "world-class",
    "best-in-class",
    "next-generation",
    "next-gen",
    "mission-critical",
    "game-changer",
    "game-changing",
    "disruptive",
    "innovative",
    "empower",
    "empowers",
    "empowering",
    "streamline",
    "streamlines",
    "streamlined",
    "actionable",
    "turnkey",
    "future-proof",
    "battle-tested",
    "value-add",
];

/// Jargon phrases (see [`JARGON`]).
const JARGON_PHRASES: &[&str] = &[
    "best practice",
    "end-to-end",
    "end to end",
    "deep dive",
    "low-hanging fruit",
    "move the needle",
    "core competency",
    "paradigm shift",
    "circle back",
];

/// Business jargon in a text (see [`JARGON`]), in order of appearance.
pub fn jargon(text: &str) -> Vec<String> {
    let lowered = text.to_lowercase();
    let mut found: Vec<String> = lowered
        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
        .filter(|w| JARGON.contains(w) || (w.ends_with("-grade") && w.len() > 6))
        .map(str::to_owned)
        .collect();
    for phrase in JARGON_PHRASES {
        found.extend(std::iter::repeat_n(
            (*phrase).to_owned(),
            lowered.matches(phrase).count(),
        ));
    }
    found
}

/// The fixed word lists, built once.
pub struct Lexicon {
    pub function_words: HashSet<&'static str>,
    /// Pronouns, auxiliaries and common verbs: a sentence with none of them has no subject or verb.
    pub clause_words: HashSet<&'static str>,
    /// Words of a question that say what to do, not what about ("describe", "explain", "time").
    pub scaffolding: HashSet<&'static str>,
    pub filler_words: HashSet<&'static str>,
    /// Stems of number words ("three", "doubled", "percent").
    pub number_words: HashSet<String>,
    pub action_stems: HashSet<String>,
    pub strong_hedges: Vec<(&'static str, String)>,
    pub mild_hedges: Vec<(&'static str, String)>,
    pub reasons: Vec<(&'static str, String)>,
    pub tradeoffs: Vec<(&'static str, String)>,
    pub examples: Vec<(&'static str, String)>,
    pub approach: Vec<(&'static str, String)>,
    pub edge_cases: Vec<(&'static str, String)>,
    pub complexity: Vec<(&'static str, String)>,
    pub signposts: Vec<(&'static str, String)>,
    pub situation: Vec<(&'static str, String)>,
    pub task: Vec<(&'static str, String)>,
    pub result: Vec<(&'static str, String)>,
    pub reflection: Vec<(&'static str, String)>,
    pub behavioral_prompts: Vec<(&'static str, String)>,
    pub imperative_prompts: HashSet<&'static str>,
    pub small_talk: HashSet<&'static str>,
}

/// Phrases with their keys; a phrase whose key an earlier one already has ("alternatively" after "alternative")
/// is dropped, so one word is never counted twice.
fn keyed(list: &[&'static str]) -> Vec<(&'static str, String)> {
    let mut seen = HashSet::new();
    list.iter()
        .map(|p| (*p, phrase_key(p)))
        .filter(|(_, key)| seen.insert(key.clone()))
        .collect()
}

/// The lists, stemmed once per process.
pub fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| Lexicon {
        function_words: FUNCTION_WORDS.iter().copied().collect(),
        clause_words: CLAUSE_WORDS.iter().chain(FUNCTION_VERBS).copied().collect(),
        scaffolding: SCAFFOLDING.iter().copied().collect(),
        filler_words: [
            "um",
            "umm",
            "uh",
            "uhh",
            "uhm",
            "erm",
            "er",
            "hmm",
            "ah",
            "basically",
            "literally",
        ]
        .into_iter()
        .collect(),
        number_words: NUMBER_WORDS.iter().map(|w| stem(w)).collect(),
        action_stems: ACTION_VERBS.iter().map(|v| stem(v)).collect(),
        strong_hedges: keyed(&[
            "i don't know",
            "i do not know",
            "dont know",
            "no idea",
            "not sure",
            "no clue",
            "can't remember",
            "cannot remember",
            "don't remember",
            "i forget",
            "i forgot",
            "never heard of",
            "i have no experience",
        ]),
        mild_hedges: keyed(&[
            "i guess",
            "maybe",
            "i suppose",
            "or something",
            "something like that",
            "kind of",
            "sort of",
            "i think maybe",
            "hopefully",
        ]),
        reasons: keyed(&[
            "if",
            "only if",
            "only when",
            "whenever",
            "since",
            "because",
            "so that",
            "therefore",
            "which means",
            "that means",
            "this means",
            "due to",
            "the reason",
            "that way",
            "in order to",
            "which lets",
            "which allows",
            "it depends",
            "depends on",
            "unless",
            "otherwise",
            "which is why",
            "that is why",
            "this is why",
            "so that",
            "thanks to",
            "as long as",
        ]),
        tradeoffs: keyed(&[
            "than",
            "instead",
            "trade-off",
            "tradeoff",
            "trade off",
            "on the other hand",
            "downside",
            "drawback",
            "disadvantage",
            "advantage",
            "at the expense",
            "at the cost",
            "the cost",
            "versus",
            "vs",
            "whereas",
            "instead of",
            "rather than",
            "compared to",
            "pros and cons",
            "however",
            "alternative",
            "alternatively",
            "but",
            "at the price",
            "in exchange",
        ]),
        examples: keyed(&[
            "for example",
            "for instance",
            "e.g",
            "such as",
            "in my last",
            "in my previous",
            "at my last",
            "in production",
            "we had",
            "i once",
        ]),
        approach: keyed(&[
            "first",
            "start by",
            "start with",
            "step",
            "approach",
            "break it down",
            "break down",
            "brute force",
            "naive",
            "optimize",
            "optimise",
            "clarify",
            "assume",
            "assumption",
            "requirement",
            "then i",
            "then we",
            "next",
            "finally",
            "iterate",
            "plan",
            "i would",
            "i'd",
            "we would",
        ]),
        edge_cases: keyed(&[
            "edge case",
            "corner case",
            "empty",
            "null",
            "none",
            "overflow",
            "duplicate",
            "negative",
            "boundary",
            "invalid",
            "zero",
            "single element",
            "failure",
            "fails",
            "timeout",
            "retry",
            "bottleneck",
            "single point of failure",
            "failover",
            "hot spot",
            "hotspot",
            "spike",
            "out of memory",
            "race condition",
            "worst case",
            "crash",
            "contention",
            "corrupt",
            "lost",
            "stale",
            "outage",
            "unavailable",
        ]),
        complexity: keyed(&[
            "complexity",
            "big o",
            "linear time",
            "constant time",
            "logarithmic",
            "quadratic",
            "n log n",
            "log n",
            "time and space",
            "space complexity",
            "time complexity",
            "amortized",
            "amortised",
            "throughput",
            "capacity",
            "per second",
            "qps",
            "rps",
            "latency",
            "estimate",
            "scale to",
            "scales to",
        ]),
        signposts: keyed(&[
            "first",
            "second",
            "third",
            "then",
            "next",
            "finally",
            "to summarize",
            "to summarise",
            "in summary",
            "overall",
            "in short",
            "there are two",
            "there are three",
            "the key",
            "for example",
        ]),
        situation: keyed(&[
            "when i was",
            "at my previous",
            "at my last",
            "in my previous",
            "in my last",
            "in my role",
            "last year",
            "a few years ago",
            "the situation",
            "the context",
            "we were",
            "our team was",
            "there was a",
            "i was working",
            "i was leading",
            "i was on",
            "i worked at",
            "during",
            "the project",
        ]),
        task: keyed(&[
            "my task",
            "my goal",
            "my job was",
            "my role was",
            "i was responsible",
            "i was asked",
            "i needed to",
            "i had to",
            "the goal was",
            "the task was",
            "my responsibility",
            "asked me to",
            "it was my",
            "the challenge was",
            "the problem was",
        ]),
        result: keyed(&[
            "as a result",
            "the result",
            "the outcome",
            "in the end",
            "ultimately",
            "we reduced",
            "i reduced",
            "reduced",
            "increased",
            "decreased",
            "improved",
            "saved",
            "cut",
            "launched",
            "shipped",
            "delivered",
            "on time",
            "went from",
            "dropped",
            "grew",
            "resolved",
        ]),
        reflection: keyed(&[
            "since then",
            "from then on",
            "going forward",
            "would have",
            "should have",
            "realized",
            "realised",
            "i now",
            "now i",
            "i learned",
            "i learnt",
            "lesson",
            "next time",
            "in hindsight",
            "differently",
            "taught me",
        ]),
        behavioral_prompts: keyed(&[
            "tell me about a time",
            "describe a time",
            "describe a situation",
            "give me an example of a time",
            "give an example of a time",
            "a time when you",
            "a time you",
            "how did you handle",
            "how do you handle",
            "what did you learn",
            "conflict",
            "disagree",
            "disagreement",
            "failure",
            "failed",
            "mistake",
            "proud",
            "weakness",
            "strength",
            "why do you want",
            "why are you interested",
            "leadership",
            "difficult coworker",
            "difficult colleague",
            "tight deadline",
            "feedback",
        ]),
        imperative_prompts: [
            "tell",
            "describe",
            "explain",
            "walk",
            "design",
            "write",
            "implement",
            "give",
            "talk",
            "share",
            "show",
            "compare",
            "discuss",
            "outline",
            "list",
            "define",
            "solve",
            "code",
            "build",
            "architect",
            "propose",
        ]
        .into_iter()
        .collect(),
        small_talk: [
            "ready",
            "begin",
            "start",
            "hear",
            "today",
            "doing",
            "thanks",
            "thank",
            "welcome",
            "hello",
            "hi",
            "hey",
            "good",
            "great",
            "morning",
            "afternoon",
            "evening",
            "questions",
            "question",
            "anything",
            "else",
            "ask",
            "name",
            "joining",
            "join",
            "joined",
            "here",
            "nice",
            "meet",
            "glad",
            "pleasure",
            "interview",
            "session",
            "chat",
            "call",
            "let's",
            "lets",
            "first",
            "next",
            "last",
            "one",
            "final",
            "alright",
            "right",
            "cool",
            "shall",
            "continue",
            "move",
            "on",
            "okay",
            "ok",
            "sure",
            "set",
            "go",
            "get",
            "started",
        ]
        .into_iter()
        .collect(),
    })
}

const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "the", "of", "to", "in", "on", "at", "for", "with", "by", "from", "as", "into",
    "about", "over", "under", "between", "through", "after", "before", "during", "without",
    "within", "and", "or", "but", "if", "then", "so", "because", "than", "that", "this", "these",
    "those", "which", "who", "whom", "whose", "what", "when", "where", "why", "how", "it", "its",
    "it's", "i", "we", "you", "he", "she", "they", "me", "us", "him", "her", "them", "my", "our",
    "your", "his", "their", "is", "are", "was", "were", "be", "been", "being", "am", "do", "does",
    "did", "have", "has", "had", "can", "could", "would", "should", "will", "shall", "may",
    "might", "must", "not", "no", "there", "here", "each", "all", "some", "any", "more", "most",
    "very", "also", "just", "only", "up", "out", "one", "both", "either", "neither", "such", "own",
    "same", "other", "another", "too", "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't",
    "can't", "won't", "i'm", "i've", "i'd", "i'll", "we're", "we've", "they're", "that's",
    "there's", "let's", "while", "until", "since", "though", "although", "whether", "every",
    "much", "many", "few", "way",
];

/// Verbs that are also function words or nearly so; with [`CLAUSE_WORDS`] they mark a clause.
const FUNCTION_VERBS: &[&str] = &[
    "is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did", "have", "has",
    "had", "can", "could", "would", "should", "will", "shall", "may", "might", "must", "it's",
    "i'm", "i've", "i'd", "i'll", "we're", "we've", "they're", "that's", "there's", "let's",
    "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "can't", "won't",
];

const CLAUSE_WORDS: &[&str] = &[
    "i", "we", "you", "he", "she", "they", "it", "this", "that", "there", "use", "uses", "used",
    "using", "need", "needs", "make", "makes", "made", "store", "stores", "get", "gets", "got",
    "let", "lets", "allow", "allows", "means", "work", "works", "worked", "handle", "handles",
    "return", "returns", "run", "runs", "ran", "call", "calls", "called", "keep", "keeps", "kept",
    "put", "puts", "go", "goes", "went", "take", "takes", "took", "give", "gives", "gave", "find",
    "finds", "found", "check", "checks", "add", "adds", "added", "want", "wanted", "think",
    "thought", "know", "knew", "see", "saw", "say", "said", "try", "tried", "build", "built",
    "write", "wrote", "read", "led", "lead", "leads", "helps", "help", "helped", "became",
    "become", "becomes",
];

const SCAFFOLDING: &[&str] = &[
    "describe",
    "explain",
    "tell",
    "walk",
    "through",
    "would",
    "could",
    "please",
    "question",
    "example",
    "time",
    "talk",
    "share",
    "give",
    "discuss",
    "briefly",
    "detail",
    "know",
    "think",
    "approach",
    "handle",
    "situation",
    "happen",
    "happens",
    "difference",
    "between",
    "work",
    "works",
    "design",
    "implement",
    "use",
    "using",
    "like",
    "let",
    "let's",
    "okay",
    "ok",
    "so",
    "now",
    "next",
    "great",
    "thanks",
    "good",
    "interesting",
    "me",
    "you",
    "your",
];

const NUMBER_WORDS: &[&str] = &[
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twenty", "fifty",
    "hundred", "thousand", "million", "billion", "half", "twice", "double", "triple", "percent",
    "dozen",
];

const ACTION_VERBS: &[&str] = &[
    "built",
    "wrote",
    "led",
    "took",
    "made",
    "ran",
    "set",
    "met",
    "spoke",
    "brought",
    "began",
    "chose",
    "drove",
    "found",
    "gave",
    "held",
    "kept",
    "put",
    "sent",
    "spent",
    "taught",
    "told",
    "won",
    "decided",
    "proposed",
    "organized",
    "organised",
    "implemented",
    "created",
    "started",
    "reached",
    "analyzed",
    "analysed",
    "designed",
    "wrote",
    "migrated",
    "fixed",
    "measured",
    "negotiated",
    "convinced",
    "scheduled",
    "prioritized",
    "prioritised",
    "volunteered",
    "asked",
    "talked",
    "listened",
    "mentored",
    "introduced",
    "rewrote",
    "automated",
    "investigated",
    "escalated",
    "presented",
    "documented",
    "reviewed",
    "owned",
    "coordinated",
    "refactored",
    "tested",
    "deployed",
    "interviewed",
    "pushed",
    "suggested",
    "explained",
    "paired",
    "agreed",
    "compromised",
    "delegated",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflections_meet_on_one_stem() {
        for (a, b) in [
            ("collision", "collisions"),
            ("cache", "caching"),
            ("cache", "cached"),
            ("cache", "caches"),
            ("queue", "queues"),
            ("strategy", "strategies"),
            ("shard", "sharded"),
            ("index", "indexes"),
            ("need", "needs"),
            ("speed", "speeds"),
            ("ship", "shipped"),
            ("replicate", "replicated"),
        ] {
            assert_eq!(stem(a), stem(b), "{a} / {b}");
        }
        assert_ne!(stem("shard"), stem("share"));
    }

    #[test]
    fn note_form_statements_are_prose_and_labelled_lists_are_not() {
        // A colon for "is", an arrow for "then": notes an expert writes.
        for note in [
            "- LRS: 3 copies, one datacenter.",
            "Rollout: audit first -> compliance report -> fix -> switch to deny.",
            "Backups: cool tier for 30 days, then archive.",
        ] {
            let text = AnswerText::analyse(note);
            assert_eq!(text.prose_sentences(), 1, "{note}");
        }
        // A label over a list of terms, a bare list, a label over too little: not statements.
        for list in [
            "Stack: Kafka, Redis, CQRS, Kubernetes.",
            "Kafka, Redis, CQRS, sharding, Kubernetes.",
            "Tech: Kafka.",
            // Names chained by notation alone relate nothing.
            "Cart: Kafka Redis DynamoDB sharding.",
            "Redis -> Kafka -> DynamoDB -> CQRS.",
        ] {
            let text = AnswerText::analyse(list);
            assert_eq!(text.prose_sentences(), 0, "{list}");
        }
        // A count grounds a note's head; an equals sign reads "is", once however many are chained.
        let text = AnswerText::analyse("Two heaps: lower half = max-heap, upper half = min-heap.");
        assert_eq!(text.prose_sentences(), 1);
        let text = AnswerText::analyse("Kafka, Redis, CQRS and S3. O(1).");
        assert_eq!(text.prose_sentences(), 0);
    }

    #[test]
    fn buzzwords_are_not_prose_and_sentences_are() {
        let salad = AnswerText::analyse(
            "Kubernetes microservices blockchain synergy cloud-native scalability AI ML DevOps",
        );
        assert_eq!(salad.prose_sentences(), 0);
        let salad2 = AnswerText::analyse(
            "Kubernetes and microservices with blockchain and AI for synergy in the cloud",
        );
        assert_eq!(salad2.prose_sentences(), 0);
        let prose = AnswerText::analyse(
            "A hash map stores keys in buckets. Collisions are handled by chaining because two keys can share a bucket.",
        );
        assert_eq!(prose.prose_sentences(), 2);
        assert!(prose.says(&phrase_key("collisions")));
        assert!(prose.says(&phrase_key("because")));
    }

    #[test]
    fn gibberish_and_repetition_are_measured() {
        let noise = AnswerText::analyse("asdfgh qwerty zxcvbn lkjhgf sdfkjwer xcvbnmq");
        assert!(noise.implausible_words >= 5, "{noise:?}");
        let words = AnswerText::analyse("strengths rhythm twelfths queueing throughput");
        assert_eq!(words.implausible_words, 0);
        let echo = AnswerText::analyse("I like it I like it I like it I like it I like it");
        assert!(echo.repetition > 0.6);
    }

    #[test]
    fn fillers_numbers_and_pronouns_are_found() {
        let t = AnswerText::analyse(
            "Um, so I decided to rewrite the job, you know, and it was, like, 40% faster. We shipped it last week.",
        );
        assert_eq!(t.text_fillers, 3);
        assert!(t.has_number());
        assert_eq!(t.pronouns(), (1, 1));
        assert_eq!(t.first_person_actions(), 1);
        assert!(
            AnswerText::analyse("The lookup is O(n log n) in the worst case.")
                .has_complexity_notation()
        );
    }

    #[test]
    fn a_factorial_does_not_end_a_sentence() {
        let count = |text: &str| {
            split_sentences(text)
                .iter()
                .filter(|s| !s.trim().is_empty())
                .count()
        };
        assert_eq!(
            count("using a used array, n! results and O(n x n!) work. next"),
            2
        );
        assert_eq!(count("5! = 120"), 1);
        for exclamation in [
            "That's it! Then we ship.",
            "it runs in O(n)! and then",
            "plan b! we use a queue",
            "I did 5! then we went",
            "Great, I got an A! it was fun",
            "top 3! and that matters",
        ] {
            assert_eq!(count(exclamation), 2, "{exclamation}");
        }
    }

    #[test]
    fn note_abbreviations_read_as_words() {
        assert_eq!(
            expand_abbreviations("Dijkstra w/ min-heap, W/O stale entries; r/w lock"),
            "Dijkstra with min-heap, without stale entries; r/w lock"
        );
        assert_eq!(lowered("BFS w/deque"), "bfs with deque");
        assert_eq!(
            expand_abbreviations("BFS w/out a queue, w/\nnext"),
            "BFS without a queue, with \nnext"
        );
        // A slash between numbers separates no terms.
        assert!(!is_list("costs only 0/1 -> 0-1 BFS with a deque, O(RC)"));
        assert!(is_list("Kafka/Redis/CQRS"));
    }

    #[test]
    fn decimals_do_not_split_sentences() {
        assert_eq!(split_sentences("it took 3.5 seconds. then").len(), 2);
    }

    #[test]
    fn analysis_is_capped() {
        let long = "the cache is warm. ".repeat(2_000);
        let t = AnswerText::analyse(&long);
        assert_eq!(t.total_words, 8_000);
        assert_eq!(t.words.len(), MAX_ANALYSED_WORDS);
    }

    #[test]
    fn star_parts_labelled_outright_are_read() {
        let labels = StarLabels::of(
            "S/T: I changed the cache key and left out currency.\nA: switched the flag off and purged the cache.\n\
             **R:** 212 orders affected, all of them refunded.\n- Learned: cache keys are a contract, review them.",
        );
        assert_eq!(
            labels,
            StarLabels {
                situation: true,
                task: true,
                action: true,
                result: true,
                reflection: true,
            }
        );
        // A label needs a part told after it, one label cannot tell the whole story, and a colon inside a sentence
        // labels nothing.
        assert_eq!(
            StarLabels::of("S: x. T: y. A: z. R: done."),
            StarLabels::default()
        );
        assert_eq!(
            StarLabels::of(
                "S/T/A/R: I resolved the conflict with my coworker through honest conversation."
            ),
            StarLabels::default()
        );
        assert_eq!(
            StarLabels::of("The reason was simple: a stale cache entry outlived its key."),
            StarLabels::default()
        );
    }
}
