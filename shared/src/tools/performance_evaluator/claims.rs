//! Credit needs a claim, not a word. An answer is cut into clauses; a clause is a *claim* when it is a real
//! statement (enough words, a subject or verb, function words — not a list of terms). A key point is credited only
//! by a claim clause that names it *and says something about it* (at least two other content words), and a clause
//! credits at most one key point, so one sentence cannot collect several points by naming them. A red flag (see
//! [`super::misconceptions`]) cancels the key point it contradicts, and a sentence asserting one credits nothing.

use super::conversation::{Reference, normalise};
use super::language::{
    Notation, content_stems, is_list, lexicon, lowered, phrase_key, relates, split_sentences, stem,
    word_slices, words,
};
use super::misconceptions::StemmedSentences;

/// One clause of an answer.
#[derive(Clone, Debug)]
pub struct Clause {
    /// The clause as written, for quoting.
    pub text: String,
    /// The sentence it belongs to, lowercased, as [`StemmedSentences`] quotes it; shared by the sentence's clauses,
    /// so a long sentence cut into many clauses is stored once.
    sentence: std::rc::Rc<str>,
    pub stems: Vec<String>,
    /// The stems joined by single spaces with a space at each end, for phrase search.
    padded: String,
    /// A statement rather than a list, a fragment or noise.
    pub claim: bool,
    /// Said in answer to a follow-up (see [`HINTED_CREDIT`]); set by the caller, which knows where those answers
    /// begin.
    pub prompted: bool,
}

/// Clause boundaries inside a sentence: a comma followed by a conjunction. (A colon or dash introduces what
/// describes the term before it, so it does not end a clause.)
const CLAUSE_BREAKS: &[&str] = &[
    ", and ",
    ", but ",
    ", so ",
    ", which ",
    ", while ",
    ", whereas ",
    ", because ",
    ", then ",
    ", or ",
];

/// First-person statements of not knowing. A clause that says the speaker does not know or remember something
/// ("I don't remember how you keep them balanced") asserts nothing about it, however many of the rubric's words it
/// repeats. First person only: "the client isn't sure the write landed" is a claim about the client.
const DISCLAIMERS: &[&str] = &[
    "i don't know",
    "i do not know",
    "i dont know",
    "i'm not sure",
    "im not sure",
    "i am not sure",
    "i'm not certain",
    "i am not certain",
    "no idea",
    "i don't remember",
    "i do not remember",
    "i dont remember",
    "i can't remember",
    "i cannot remember",
    "i don't recall",
    "i do not recall",
    "i can't recall",
    "i forget",
    "i forgot",
];

/// Words before a disclaimer that make it part of a condition or a reason, not an admission: "since I don't know the
/// range up front, I'd keep two heaps", "if I forget to release the lock, the lease expires".
const SUBORDINATORS: &[&str] = &[
    "if", "when", "since", "because", "as", "unless", "while", "though", "although", "whether",
    "once",
];

/// Words that end what a disclaimer covers, with or without a comma before them (speech transcripts have none):
/// "I'm not sure this is the cleanest way but I'd keep a max-heap…" admits the first part only.
const SCOPE_ENDS: &[&str] = &[
    "but", "so", "and", "which", "though", "although", "yet", "however", "still",
];

/// Endings that turn a statement into a question asking for agreement, not information: "…is logarithmic, right?"
/// still says it is logarithmic.
const TAG_QUESTIONS: &[&str] = &[
    "right",
    "correct",
    "isn't it",
    "aren't they",
    "doesn't it",
    "don't they",
    "wouldn't it",
    "no",
    "yes",
    "yeah",
    "ok",
    "okay",
    "you know",
    "makes sense",
    "make sense",
    "does that make sense",
    "if that makes sense",
    "agreed",
];

/// Whether the sentence, a slice of `text`, was ended by a question mark: a question asks, it asserts nothing
/// ("maybe a max heap and a min heap?"), unless it is a statement with a tag asking for agreement.
fn asks(text: &str, sentence: &str) -> bool {
    let end = (sentence.as_ptr() as usize).saturating_sub(text.as_ptr() as usize) + sentence.len();
    let marked = text.get(end..).is_some_and(|rest| rest.starts_with('?'));
    let tagged = || {
        sentence
            .trim_end()
            .rsplit_once(',')
            .is_some_and(|(_, tail)| {
                let tail: Vec<String> = words(tail).collect();
                TAG_QUESTIONS.contains(&tail.join(" ").as_str())
            })
    };
    marked && !tagged()
}

/// The words every entry of [`DISCLAIMERS`] ends with, one of which a clause must contain before it is searched
/// word by word: most clauses admit nothing, and a substring test is far cheaper than splitting them.
const DISCLAIMER_TAILS: &[&str] = &[
    "know", "sure", "certain", "idea", "remember", "recall", "forg",
];

/// Cuts a clause where a first-person disclaimer covers it: the words from "I don't remember" to the end of the
/// clause, or to the next word that opens another ("but", "so", "and"…), assert nothing; the rest is read as usual.
/// Whole words only ("no ideal structure" admits nothing), and not inside a condition or reason ("since I don't
/// know the range…"). Returns the pieces in order, each with whether it is disclaimed.
fn disclaimed_pieces(part: &str) -> Vec<(&str, bool)> {
    if !DISCLAIMER_TAILS.iter().any(|t| part.contains(t)) {
        return vec![(part, false)];
    }
    // `part` is lowercased already (see `clauses`), so its words compare as they are. Tokenised once and read
    // left to right, so a clause with many admissions costs no more than one with a single admission.
    let tokens: Vec<(usize, &str)> = word_spans(part);
    let mut pieces = Vec::new();
    // Where the text still to read begins: its first token and its byte offset.
    let (mut from_token, mut from_byte) = (0, 0);
    loop {
        let admission = (from_token..tokens.len()).find_map(|at| {
            if at > from_token && SUBORDINATORS.contains(&tokens[at - 1].1) {
                return None;
            }
            DISCLAIMERS
                .iter()
                .find_map(|d| {
                    let len = d.split_whitespace().count();
                    tokens
                        .get(at..at + len)
                        .is_some_and(|run| run.iter().map(|(_, w)| *w).eq(d.split_whitespace()))
                        .then_some(at + len)
                })
                .map(|after| (at, after))
        });
        let Some((at, after)) = admission else {
            break;
        };
        let start = tokens[at].0;
        let scope_end = (after..tokens.len()).find(|&i| SCOPE_ENDS.contains(&tokens[i].1));
        let end = scope_end.map_or(part.len(), |i| tokens[i].0);
        if start > from_byte {
            pieces.push((&part[from_byte..start], false));
        }
        pieces.push((&part[start..end], true));
        from_byte = end;
        match scope_end {
            Some(i) => from_token = i,
            None => break,
        }
    }
    if from_byte < part.len() {
        pieces.push((&part[from_byte..], false));
    }
    pieces
}

/// The words of `text` with their byte offsets, split as [`words`] splits them.
fn word_spans(text: &str) -> Vec<(usize, &str)> {
    let base = text.as_ptr() as usize;
    word_slices(text)
        .map(|w| (w.as_ptr() as usize - base, w))
        .collect()
}

/// The clauses of an answer, in order.
pub fn clauses(answer: &str) -> Vec<Clause> {
    let lex = lexicon();
    let mut out = Vec::new();
    // Lowercased before splitting, exactly as `StemmedSentences` does, so each clause's sentence is the text that
    // quotes a red flag.
    let lowered = lowered(answer);
    for sentence in split_sentences(&lowered) {
        if words(sentence).next().is_none() {
            continue;
        }
        let notation = Notation::of(sentence);
        let whole: std::rc::Rc<str> = sentence.trim().into();
        let list = is_list(sentence) && !notation.defines;
        let question = asks(&lowered, sentence);
        let mut parts = vec![sentence.to_owned()];
        for brk in CLAUSE_BREAKS {
            parts = parts
                .iter()
                .flat_map(|p| p.split(brk).map(str::to_owned).collect::<Vec<_>>())
                .collect();
        }
        for (part, disclaimed) in parts.iter().flat_map(|p| disclaimed_pieces(p)) {
            let tokens: Vec<String> = words(part).collect();
            if tokens.is_empty() {
                continue;
            }
            let mut function = tokens
                .iter()
                .filter(|w| lex.function_words.contains(w.as_str()))
                .count();
            let mut has_verb = tokens.iter().any(|w| lex.clause_words.contains(w.as_str()));
            // A clause in note form ("LRS: three copies in one datacenter", "audit -> fix -> deny"): its colon,
            // arrows and equals signs are the verb, and count as function words (see `Notation::marks`).
            let part_notation = Notation::of(part);
            if part_notation.states() {
                has_verb = true;
                function += part_notation.marks;
            }
            let share = function as f64 / tokens.len() as f64;
            let claim = !list
                && !question
                && !disclaimed
                && tokens.len() >= 4
                && ((has_verb && share >= 0.15)
                    || (tokens.len() >= 6 && share >= 0.12 && relates(&tokens)));
            let stems: Vec<String> = tokens.iter().map(|w| stem(w)).collect();
            out.push(Clause {
                text: part.trim().to_owned(),
                sentence: std::rc::Rc::clone(&whole),
                padded: format!(" {} ", stems.join(" ")),
                stems,
                claim,
                prompted: false,
            });
        }
    }
    out
}

/// What a key point first said in answer to a follow-up earns, of a full one. The bank's follow-ups are what an
/// interviewer asks when an answer did not cover a point, and the agent's point the same way; a point said once the
/// interviewer has pointed at it (or corrected the answer: "With a shared visited set, does DFS find the shortest
/// path?") shows less than one said unprompted, as interviewers weigh a hint.
pub const HINTED_CREDIT: f64 = 0.5;

/// What an answer earns against a bank question's rubric.
#[derive(Clone, Debug, Default)]
pub struct Credit {
    /// Key points credited (index into the reference's key points) with the clause that earned each.
    pub covered: Vec<(usize, String)>,
    /// Those of `covered` first said in answer to a follow-up: they count [`HINTED_CREDIT`] each.
    pub hinted: Vec<usize>,
    /// Key points not credited (including cancelled ones).
    pub missed: Vec<usize>,
    /// Red flags asserted (index into the reference's red flags) with the clause that asserted each.
    pub red_flags: Vec<(usize, String)>,
}

impl Credit {
    /// The share of key points credited, a hinted one counting [`HINTED_CREDIT`].
    pub fn share(&self) -> f64 {
        let total = self.covered.len() + self.missed.len();
        if total == 0 {
            0.0
        } else {
            let hinted = self.hinted.len() as f64;
            (self.covered.len() as f64 - hinted * (1.0 - HINTED_CREDIT)) / total as f64
        }
    }
}

/// What the interviewer said that may have pointed the candidate at a key point.
#[derive(Clone, Copy, Debug, Default)]
pub struct Hints<'a> {
    /// The question itself: what it names was asked for, not hinted.
    pub question: &'a str,
    /// The candidate's answer before the first follow-up.
    pub first_answer: &'a str,
    /// Follow-ups asked after a real first answer: a point they ask for (or any, when one questions the answer)
    /// said after them is hinted.
    pub after: &'a [String],
    /// What else the interviewer told the candidate (a reply to a clarifying question), with what the candidate had
    /// said by then: a point it names that the candidate had not named is hinted.
    pub told: &'a [(String, String)],
}

/// Credits an answer's clauses against a reference's key points and red flags (the answer's sentences are `stemmed`
/// once by the caller, for every red flag of the type). A clause inside a sentence that asserts a misconception —
/// one of the reference's red flags, or one found `elsewhere` (the interview type's other flags, as sentences) —
/// credits nothing: "Lambda keeps state between invocations" names the core services, but what it says about them
/// is wrong. Points the interviewer pointed at before the candidate said them (`hints`) are marked hinted and count
/// [`HINTED_CREDIT`].
pub fn credit(
    reference: &Reference<'_>,
    clauses: &[Clause],
    stemmed: &StemmedSentences,
    elsewhere: &[&str],
    hints: Hints<'_>,
) -> Credit {
    let mut red_flags = Vec::new();
    for (index, keys) in reference.red_flag_keys.iter().enumerate() {
        if let Some(sentence) = stemmed.asserting(keys) {
            red_flags.push((index, sentence));
        }
    }
    // Sentences that assert a misconception are left out before key points are handed out, so a correct
    // sentence later in the answer can still earn the point a wrong one names.
    let wrong: Vec<&str> = red_flags
        .iter()
        .map(|(_, sentence)| sentence.as_str())
        .chain(elsewhere.iter().copied())
        .collect();
    let sound: Vec<&Clause> = clauses
        .iter()
        .filter(|c| c.claim && !wrong.contains(&&*c.sentence))
        .collect();
    let mut covered: Vec<(usize, String)> = Vec::new();
    let mut said_after = Vec::new();
    for clause in sound.iter().copied() {
        let best = reference
            .keyword_keys
            .iter()
            .enumerate()
            .filter(|(point, _)| !covered.iter().any(|(p, _)| p == point))
            .filter_map(|(point, keys)| names_point(clause, keys).map(|len| (point, len)))
            .fold(None, |best: Option<(usize, usize)>, (point, len)| {
                if best.is_none_or(|(_, l)| len > l) {
                    Some((point, len))
                } else {
                    best
                }
            });
        if let Some((point, _)) = best {
            covered.push((point, clause.text.clone()));
            if clause.prompted {
                said_after.push(point);
            }
        }
    }
    let mut hinted = hinted_points(reference, &sound, &covered, &said_after, hints);
    for (index, _) in &red_flags {
        if let Some(cancelled) = reference.red_flags[*index]
            .cancels
            .as_deref()
            .and_then(|text| reference.key_points.iter().position(|k| k.point == text))
        {
            covered.retain(|(p, _)| *p != cancelled);
            hinted.retain(|p| *p != cancelled);
        }
    }
    let missed = (0..reference.key_points.len())
        .filter(|p| !covered.iter().any(|(c, _)| c == p))
        .collect();
    Credit {
        covered,
        hinted,
        missed,
        red_flags,
    }
}

/// Which credited key points the interviewer pointed at before the candidate said them (see [`HINTED_CREDIT`]).
/// `sound` are the claim clauses that may credit a point; `said_after` the points first credited by a clause said
/// after a follow-up.
fn hinted_points(
    reference: &Reference<'_>,
    sound: &[&Clause],
    covered: &[(usize, String)],
    said_after: &[usize],
    hints: Hints<'_>,
) -> Vec<usize> {
    let follow_ups = hints.after;
    // Hinted: said only after a follow-up that asked for it — one naming the point's keywords, or the point's own
    // follow-up — or after one that questioned the answer ("Does DFS find the shortest path?", "Is that really
    // O(log n)?"), which points at whatever the answer got wrong. A point the first answer already claimed (in a
    // clause credited to another point) is not hinted.
    // A key the question itself names was asked for from the start ("…how consistent hashing works…").
    let question = phrase_key(hints.question);
    let pointing = |text: &str, point: usize| {
        reference.keyword_keys[point]
            .iter()
            .any(|k| text.contains(k.as_str()) && !question.contains(k.as_str()))
    };
    let asked: Vec<String> = follow_ups.iter().map(|f| phrase_key(f)).collect();
    // A yes/no follow-up questions the answer when it is about something said or asked for: it names a key point
    // or takes up two of the first answer's words ("With a shared visited set, does DFS find…"). "Does that make
    // sense?" and "Anything else you'd add?" point at nothing.
    let first_answer = content_stems(hints.first_answer);
    let questioned = follow_ups.iter().zip(&asked).any(|(f, key)| {
        questions_the_answer(f)
            && ((0..reference.keyword_keys.len()).any(|p| pointing(key, p))
                || content_stems(f)
                    .iter()
                    .filter(|s| first_answer.contains(*s))
                    .count()
                    >= 2)
    });
    let mut hinted: Vec<usize> = said_after
        .iter()
        .copied()
        .filter(|point| {
            let own = reference.key_points[*point].follow_up.as_deref();
            questioned
                || follow_ups.iter().zip(&asked).any(|(f, key)| {
                    pointing(key, *point)
                        || own.is_some_and(|o| normalise(f).contains(&normalise(o)))
                })
        })
        .filter(|point| {
            !sound
                .iter()
                .filter(|c| !c.prompted)
                .any(|c| names_point(c, &reference.keyword_keys[*point]).is_some())
        })
        .collect();
    // Told ("Think about breadth-first search"): a point named there that the candidate had not named by then is
    // hinted (a reply restating the question names nothing new; "Would BFS work?" — "Yes" hints nothing).
    let told: Vec<(String, String)> = hints
        .told
        .iter()
        .map(|(text, before)| (phrase_key(text), phrase_key(before)))
        .collect();
    for (point, _) in covered {
        let named = told.iter().any(|(text, before)| {
            pointing(text, *point)
                && !reference.keyword_keys[*point]
                    .iter()
                    .any(|k| before.contains(k.as_str()))
        });
        if named && !hinted.contains(point) {
            hinted.push(*point);
        }
    }
    hinted
}

/// Openings of a yes/no question. A follow-up whose asking sentence opens with one questions what was said ("Does
/// DFS find the shortest path?", "Is inserting into a list really O(log n)?", "Would anything change at ten times
/// the load?") rather than asking for something new.
const YES_NO_OPENINGS: &[&str] = &[
    "is", "isn't", "are", "aren't", "was", "were", "does", "doesn't", "do", "don't", "did",
    "didn't", "can", "can't", "could", "would", "wouldn't", "will", "won't", "should", "has",
    "have",
];

/// Whether a follow-up questions the answer: it ends on a question that opens with a yes/no opening, after any
/// lead-in ("Hmm, with a shared visited set, does DFS…" opens its clause with "does").
fn questions_the_answer(follow_up: &str) -> bool {
    let lowered = follow_up.to_lowercase().replace('’', "'");
    // The question must be what the follow-up ends on: "Is that clear? Now tell me how…" asks the second.
    let Some(end) = lowered
        .rfind('?')
        .filter(|end| lowered[end + 1..].trim().is_empty())
    else {
        return false;
    };
    let start = lowered[..end]
        .rfind(['.', '!', '?', '\n'])
        .map_or(0, |i| i + 1);
    // The clause that asks: after the last comma of a lead-in ("With a shared visited set, does…").
    let asking = &lowered[start..end];
    let clause = asking
        .rsplit(',')
        .find(|c| words(c).next().is_some())
        .unwrap_or(asking);
    // Past a joining word ("and can two servers…", "so does it…").
    let first =
        |text: &str| words(text).find(|w| !matches!(w.as_str(), "and" | "but" | "so" | "then"));
    [first(asking), first(clause)]
        .into_iter()
        .flatten()
        .any(|w| YES_NO_OPENINGS.contains(&w.as_str()))
}

/// Whether a claim clause says something about a key point: it holds one of the point's keyword keys and two
/// more content words of its own (a keyword alone is a term, not a claim). The length of the longest key it holds,
/// so the most specific point wins a clause.
fn names_point(clause: &Clause, keys: &[String]) -> Option<usize> {
    let lex = lexicon();
    keys.iter()
        .filter(|key| clause.padded.contains(key.as_str()))
        .filter_map(|key| {
            let key_stems: Vec<&str> = key.split_whitespace().collect();
            let others = clause
                .stems
                .iter()
                .filter(|s| {
                    !key_stems.contains(&s.as_str())
                        && !lex.function_words.contains(s.as_str())
                        && s.chars().count() > 2
                })
                .count();
            (others >= 2).then_some(key_stems.len())
        })
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_yes_no_follow_up_questions_the_answer() {
        for challenge in [
            "With a shared visited set, does DFS find the shortest path?",
            "Is inserting into the middle of a Python list really O(log n)?",
            "Hmm. Would anything change at ten times the load?",
            "Okay, and can two servers hand out the same code?",
        ] {
            assert!(questions_the_answer(challenge), "{challenge}");
        }
        for request in [
            "What do you return if the destination cannot be reached?",
            "Okay. What stops the search from looping forever?",
            "So which key would you use, and what goes wrong with /orderDate?",
            "Walk me through the write path.",
            "Is that clear? Now tell me how you would shard it.",
        ] {
            assert!(!questions_the_answer(request), "{request}");
        }
    }

    #[test]
    fn a_list_of_terms_makes_no_claim() {
        let parts = clauses("We use Kafka, Kubernetes, Redis, sharding and CQRS.");
        assert!(parts.iter().all(|c| !c.claim), "{parts:?}");
        let parts = clauses("Colliding keys are chained in a linked list inside the bucket.");
        assert!(parts[0].claim);
    }

    #[test]
    fn a_terse_clause_with_an_example_is_a_claim() {
        let parts =
            clauses("SQS: one consumer group working through a backlog, e.g. image-resize jobs.");
        assert!(parts[0].claim, "{parts:?}");
    }

    #[test]
    fn a_note_says_something_and_a_labelled_list_does_not() {
        let parts = clauses("Lifecycle rule: cool to archive after 90 days.");
        assert!(parts[0].claim, "{parts:?}");
        let parts = clauses("Orchestrator replays history -> code must be deterministic.");
        assert!(parts[0].claim, "{parts:?}");
        let parts = clauses("Stack: Kafka, Redis, CQRS and Kubernetes.");
        assert!(parts.iter().all(|c| !c.claim), "{parts:?}");
        for chain in [
            "Cart service: Kafka Redis DynamoDB sharding.",
            "Kafka -> Redis -> DynamoDB -> CQRS.",
        ] {
            let parts = clauses(chain);
            assert!(parts.iter().all(|c| !c.claim), "{chain}: {parts:?}");
        }
    }

    #[test]
    fn an_equals_sign_reads_is_and_a_count_relates() {
        let parts = clauses(
            "Two heaps: max-heap = lower half, min-heap = upper half; lower holds the extra.",
        );
        assert!(parts[0].claim, "{parts:?}");
        // Names joined by signs relate nothing, and a number word in a name counts nothing.
        for names in [
            "Cart = Kafka + Redis + DynamoDB sharding.",
            "Process: Lean = Six Sigma value-stream mapping.",
            // A count grounds a note's head, not a string of terms joined by "and" and "with".
            "Two heaps and max-heap with min-heap.",
            "Million keys with modulo and remap and reshuffle.",
        ] {
            let parts = clauses(names);
            assert!(parts.iter().all(|c| !c.claim), "{names}: {parts:?}");
        }
        // Comparisons and arrows are not equals signs.
        assert_eq!(super::super::language::Notation::of("a <= b == c").marks, 0);
    }

    #[test]
    fn semicolon_items_are_read_on_their_own() {
        // An item after a note's semicolon is read as itself: a string of terms stays terms, whatever words pad
        // it (a rule reading such items as notes on the head let stuffing through, and was withdrawn).
        let parts = clauses(
            "Hash table: keys go into buckets of an array; the collision chaining linked list probing; the load \
             factor resize rehash amortized.",
        );
        let claims: Vec<bool> = parts.iter().map(|c| c.claim).collect();
        assert_eq!(claims, [true, false, false], "{parts:?}");
    }

    #[test]
    fn a_question_or_not_knowing_asserts_nothing() {
        let parts = clauses(
            "Maybe a max heap and a min heap? I don't remember exactly how you keep them balanced.",
        );
        assert!(parts.iter().all(|c| !c.claim), "{parts:?}");
        // Someone else's uncertainty is a claim about them, and a clause after the admission still counts.
        let parts = clauses(
            "The client is not sure the write landed, so it retries with the same idempotency key.",
        );
        assert!(parts.iter().all(|c| c.claim), "{parts:?}");
        let parts =
            clauses("I'm not sure of the exact figure, but the heap insert is logarithmic in n.");
        assert!(!parts[0].claim && parts[1].claim, "{parts:?}");
        // A question that the next sentence answers: the answer is the claim.
        let parts = clauses("Why two heaps? Each half's extreme sits at a heap's root.");
        assert!(!parts[0].claim && parts[1].claim, "{parts:?}");
    }

    #[test]
    fn every_admission_has_a_word_the_quick_check_looks_for() {
        for d in DISCLAIMERS {
            assert!(DISCLAIMER_TAILS.iter().any(|t| d.contains(t)), "{d}");
        }
    }

    #[test]
    fn what_an_admission_covers_ends_where_the_clause_does() {
        // Spoken, without commas: the admission covers its own words, not the answer after "but".
        let parts = clauses(
            "i'm not sure this is the cleanest way but i'd keep a max-heap for the lower half and a min-heap for \
             the upper half",
        );
        assert!(!parts[0].claim, "{parts:?}");
        assert!(
            parts
                .iter()
                .skip(1)
                .any(|c| c.claim && c.text.contains("max-heap")),
            "{parts:?}"
        );
        // Whole words only, and a condition or reason is not an admission.
        for said in [
            "There's no ideal single structure here so I'd combine a max-heap with a min-heap.",
            "Since I don't know the value range up front I'd keep a max-heap for the lower half.",
            "If I forget to release the lock, the lease expires after thirty seconds anyway.",
        ] {
            let parts = clauses(said);
            assert!(parts.iter().any(|c| c.claim), "{said}: {parts:?}");
        }
        // The first admission in the clause is the one read, whichever the list names first.
        let parts = clauses("no idea why the heap is kept there but i don't know the bound either");
        assert!(parts.iter().all(|c| !c.claim), "{parts:?}");
        // A tag asking for agreement leaves the statement a statement.
        let parts = clauses("Each insert into a heap is logarithmic in n, right?");
        assert!(parts[0].claim, "{parts:?}");
        let parts = clauses("Reading the median is constant time, isn't it?");
        assert!(parts[0].claim, "{parts:?}");
    }

    #[test]
    fn clauses_split_on_conjunctions_after_a_comma() {
        let parts = clauses("Keys hash to buckets, and collisions are chained in a list.");
        assert_eq!(parts.len(), 2);
    }
}
