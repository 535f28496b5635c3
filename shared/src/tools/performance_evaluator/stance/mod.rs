//! How a sentence holds a claim it contains: said in the speaker's own voice, or named in order to reject it.
//!
//! Experts name misconceptions to correct them ("the classic mistake is trusting the tenant id the client sends"),
//! and reading that as the claim caps a strong candidate's score. Each rule here is a way English marks a claim as
//! not the speaker's: negation; a report of someone else's belief or of an error ("a common myth is…", "it's wrong
//! to assume…", "another is thinking…"); a verb of rejection governing it ("avoid giving…", "push back on
//! letting…"); a judgement passed on it as the subject of its sentence ("mounting a key file is risky", "…might
//! look simple, but"), or in a clause referring back to it ("…, and that doesn't hold up"); a counterfactual or a
//! habit given up. Every rule stops at a clause boundary — a pause (comma, colon, dash, parenthesis; not the commas
//! around a short aside) or a conjunction that opens a new clause — so a rejecting word in one clause cannot hide
//! a claim asserted in the next ("The mistake is overthinking it, just trust the client's tenant id"), and an
//! endorsement after a report ("…, and they're right") undoes it. The rules were attacked twice by reviewers who
//! had read them; their sentences are unit tests (`tests.rs`); the word lists are in `lexicon.rs`.

mod lexicon;

use lexicon::{
    APPEARANCES, APPROVALS, BELIEF_VERBS, BENEFITS, CLAUSE_BREAKS, DISAPPROVALS,
    ERROR_BEFORE_BELIEF, FAULTY, GOVERNING_PAIRS, GOVERNORS, IDIOMS_AFTER_NEGATION, IMPULSES,
    INTRODUCING, IRREGULAR_PARTICIPLES, NEGATIONS, NOT_GERUNDS, OPENERS, PRONOUNS, REFERENTS,
    REJECTED_AFTER, REPORTED_BEFORE, TAKING_UP, THIRD_PARTIES, VERBS,
};

/// How far before a claim a reporting word still reports it.
const REPORT_REACH: usize = 10;

/// How many words after a claim the clause judging it may open: the claim's own clause may run on a little ("…a
/// key file into each pod, which is a mistake").
const NEXT_CLAUSE_WITHIN: usize = 5;

/// How near after a claim a judging word still judges it.
const JUDGED_WITHIN: usize = 4;

/// A sentence's stems beside its words as written (lowercased), one to one, and what follows each word: the stems
/// are compared, the words show what the stems hide ("mounting", a gerund, stems to "mount"), the pauses where a
/// clause ends.
#[derive(Clone, Copy)]
pub(super) struct Said<'a> {
    pub stems: &'a [String],
    pub words: &'a [String],
    /// For each word, the punctuation that marks a pause after it (a comma, colon, semicolon, dash or parenthesis),
    /// if any.
    pub pauses: &'a [Option<char>],
}

/// How a sentence bears on a claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Reading {
    /// It does not say the claim.
    Silent,
    /// It says the claim negated, avoided or judged wrong ("Lambda does not keep state…").
    Rejected,
    /// It names the claim as a misconception to correct it ("People often assume…", "…is a myth", "X. It
    /// doesn't."): the speaker knows it for a mistake.
    Named,
    /// It asserts the claim.
    Asserted,
}

/// The byte spans of the words of `text`, as [`super::language::words`] splits it.
fn spans(text: &str) -> Vec<(usize, usize)> {
    let base = text.as_ptr().addr();
    super::language::word_slices(text)
        .map(|w| {
            let start = w.as_ptr().addr() - base;
            (start, start + w.len())
        })
        .collect()
}

/// For each word of `text` as [`super::language::words`] splits it, the pause that follows it before the next word:
/// the first comma, colon, semicolon, dash or parenthesis between them ("copy-pasting" is one word's hyphen, not a
/// pause).
pub(super) fn pauses(text: &str) -> Vec<Option<char>> {
    let spans = spans(text);
    spans
        .iter()
        .enumerate()
        .map(|(i, &(_, end))| {
            let next = spans.get(i + 1).map_or(text.len(), |s| s.0);
            let gap = &text[end..next];
            gap.chars()
                .find(|c| matches!(c, ',' | ';' | ':' | '—' | '–' | '(' | ')'))
                .or_else(|| gap.contains(" - ").then_some('-'))
        })
        .collect()
}

fn negation(word: &str) -> bool {
    NEGATIONS.contains(&word) || word.ends_with("n't")
}

/// Whether words said of a claim judge it wrong: a word of [`DISAPPROVALS`] before any negation ("is risky", not
/// "is never risky"), not lessened ("the least risky option") and not inside a purpose ("to avoid any mistake"), or
/// "avoid" ending them ("…is another thing I'd avoid").
fn disapproves(words: &[&str]) -> bool {
    for (k, w) in words.iter().enumerate() {
        if (negation(w) && !idiom(words, k)) || GOVERNORS.contains(w) {
            return GOVERNORS.contains(w) && k + 1 == words.len();
        }
        // "The least risky option", "removes the risk", "far from risky", "keeps the risk low".
        let lessened = (k.saturating_sub(2)..k).any(|j| {
            matches!(
                words[j],
                "least"
                    | "less"
                    | "low"
                    | "lower"
                    | "lowest"
                    | "minimal"
                    | "zero"
                    | "far"
                    | "removes"
                    | "reduces"
                    | "eliminates"
                    | "cuts"
                    | "minimises"
                    | "minimizes"
            )
        }) || matches!(words.get(k + 1), Some(&("low" | "down" | "minimal")));
        // "Risk-free" is praise.
        let freed = words.get(k + 1) == Some(&"free");
        if DISAPPROVALS.contains(w) && !lessened && !freed {
            return true;
        }
    }
    false
}

/// Whether words praise what they follow: a word of [`APPROVALS`] before any negation, and nothing they disapprove
/// ("but it works fine", not "but it will bite you at this scale").
pub(super) fn approves(words: &[&str]) -> bool {
    !disapproves(words)
        && words
            .iter()
            .enumerate()
            .take_while(|&(k, w)| !negation(w) || idiom(words, k))
            .any(|(_, w)| APPROVALS.contains(w) || matches!(*w, "works" | "worked"))
}

/// Whether the negation at `i` of `words` is an idiom that negates nothing ("without a doubt", "no joke", "I can't
/// stress enough").
fn idiom<S: AsRef<str>>(words: &[S], i: usize) -> bool {
    let at = |j: usize| words.get(j).map_or("", AsRef::as_ref);
    let before = i.checked_sub(1).map_or("", at);
    IDIOMS_AFTER_NEGATION.contains(&at(i + 1))
        || (at(i + 1) == "a" && IDIOMS_AFTER_NEGATION.contains(&at(i + 2)))
        // "not to mention", "couldn't agree more", "more often than not", "there's no denying".
        || (at(i + 1) == "to" && at(i + 2) == "mention")
        || at(i + 2) == "more"
        || before == "than"
        || at(i + 1) == "denying"
}

fn participle(word: &str) -> bool {
    (word.len() > 3 && (word.ends_with("ed") || word.ends_with("en") || word.ends_with("wn")))
        || IRREGULAR_PARTICIPLES.contains(&word)
}

fn gerund(word: &str) -> bool {
    word.len() > 5 && word.ends_with("ing") && !NOT_GERUNDS.contains(&word)
}

impl Said<'_> {
    fn word(&self, i: usize) -> &str {
        self.words.get(i).map_or("", String::as_str)
    }

    fn pause_after(&self, i: usize) -> Option<char> {
        self.pauses.get(i).copied().flatten()
    }

    /// Where a short aside between commas that opens right after the word at `i` ends: "Please don't, under any
    /// circumstances, mount…", "People assume, wrongly, that…". Only right after the word that marks the claim: "I
    /// won't sugarcoat it, honestly, …" has no aside after its negation.
    fn aside_after(&self, i: usize) -> Option<usize> {
        (self.pause_after(i) == Some(','))
            .then(|| (i + 1..=i + 3).find(|&j| self.pause_after(j) == Some(',')))
            .flatten()
    }

    /// Whether a clause ends between the word at `from` and the word at `to`: a pause after any word from `from` up
    /// to the one before `to`, or a clause-opening conjunction between them. A colon or dash right after `from`
    /// introduces what follows ("A common misconception: …") and does not end its clause.
    fn crosses_clause(&self, from: usize, to: usize) -> bool {
        // "A common misconception: …" introduces; "let me clear up the confusion: …" ends a clause of its own.
        let introduces = matches!(self.pause_after(from), Some(':' | '—' | '–' | '-'))
            && (0..from)
                .all(|i| INTRODUCING.contains(&self.word(i)) || FAULTY.contains(&self.word(i)));
        let aside = self.aside_after(from);
        (from..to).any(|i| {
            self.pause_after(i).is_some()
                && !(i == from && introduces)
                && !aside.is_some_and(|end| (from..=end).contains(&i))
        }) || (from + 1..to).any(|i| CLAUSE_BREAKS.contains(&self.word(i)))
    }

    /// Whether the word at `at` reports the claim that follows it (see [`REPORTED_BEFORE`]): a verb of belief as
    /// [`BELIEF_VERBS`] says, an impulse ([`IMPULSES`]), an error noun unless it is someone's own ("my biggest
    /// mistake is…", "make no mistake"); "assumption", "belief", "idea" or "claim" when faulty ("a common
    /// assumption") or as "the belief that…" unless taken up ([`TAKING_UP`]); "hear" only as hearsay ("I hear
    /// that…", "I hear people say…"); "wrong" only as "wrong to…"; "worst" only opening the sentence.
    pub(super) fn reports(&self, at: usize) -> bool {
        let word = self.word(at);
        let before = &self.words[at.saturating_sub(2)..at];
        let previous = at.checked_sub(1).map_or("", |i| self.word(i));
        let next = self.word(at + 1);
        if BELIEF_VERBS.contains(&word) {
            // "Another is assuming…", not "as I was saying…".
            let copula = matches!(previous, "is" | "was")
                && word.ends_with("ing")
                && !(at >= 2 && PRONOUNS.contains(&self.word(at - 2)));
            let used_to = previous == "to" && at >= 2 && self.word(at - 2) == "used";
            // "It's wrong to assume…", "it's too narrow to say…".
            let erroneous = previous == "to"
                && at >= 2
                && (ERROR_BEFORE_BELIEF.contains(&self.word(at - 2))
                    || (at.saturating_sub(4)..at - 1).any(|i| self.word(i) == "too"));
            // The third party is the verb's subject: right before it, or before one adverb or a "who" ("people often
            // say", "anyone who tells you"), not "for those reasons I'd say".
            let subject = |i: usize| THIRD_PARTIES.contains(&self.word(i));
            let third_party = (at >= 1 && subject(at - 1))
                || (at >= 2
                    && subject(at - 2)
                    && (previous.ends_with("ly")
                        || matches!(previous, "who" | "often" | "sometimes" | "still" | "always")));
            // "A junior engineer might think…", "if you think…", "you'd think…": a belief supposed, not held.
            let hypothetical_subject = at >= 2 && !matches!(self.word(at - 2), "i" | "we");
            let supposed = word != "reach"
                && ((matches!(previous, "might" | "may") && hypothetical_subject)
                    || previous == "you'd"
                    || (at >= 2 && self.word(at - 2) == "if" && PRONOUNS.contains(&previous)));
            // "I doubt…", "we disagree that…".
            let doubted = matches!(word, "doubt" | "disagree") && PRONOUNS.contains(&previous);
            if copula || used_to || erroneous || third_party || supposed || doubted {
                return true;
            }
        }
        match word {
            // "A common assumption…", "the belief that…", "the claim that…": a view held up to be examined.
            "assumption" | "assumptions" | "belief" | "beliefs" | "idea" | "notion" | "claim" => {
                // "The belief that…", unless taken up ("I like / hold the belief that…", "on the assumption that…").
                let taken_up = at >= 2
                    && TAKING_UP.contains(&self.word(at - 2))
                    && !(at >= 3
                        && GOVERNING_PAIRS.contains(&(self.word(at - 3), self.word(at - 2))));
                before.iter().any(|w| FAULTY.contains(&w.as_str()))
                    || (next == "that" && previous == "the" && !taken_up)
            }
            "hear" | "hears" | "heard" => next == "that" || THIRD_PARTIES.contains(&next),
            "wrong" => next == "to",
            // "The worst option is to…" opening the sentence, not "at our worst peak" or "the worst case".
            "worst" => at == 1 && previous == "the" && next != "case",
            "up" => previous == "mix",
            // "My first instinct was to…", "the reflex is to…", "the instinct that…"; not "my instinct says…".
            _ if IMPULSES.contains(&word) => {
                next == "was"
                    || (next == "is" && self.word(at + 2) == "to")
                    || (next == "that" && previous == "the")
            }
            _ if !REPORTED_BEFORE.contains(&word) => false,
            _ => {
                // "My biggest mistake is…", "her mistakes": someone's own errors, not a belief named to correct it.
                let owned = before
                    .iter()
                    .any(|w| matches!(w.as_str(), "my" | "our" | "her" | "his" | "their" | "your"));
                // "Make no mistake", "avoid mistakes": no error is being named.
                let denied = before
                    .iter()
                    .any(|w| negation(w) || GOVERNORS.contains(&w.as_str()));
                !owned && !denied
            }
        }
    }

    /// Whether the word at `g` governs a claim starting at `start` as the thing rejected: right before it ("avoid
    /// giving…"), or through a gerund object in the same clause ("avoid giving the pipeline's service account
    /// owner", "push back on letting both regions write…") with no verb or new subject between.
    fn governs(&self, g: usize, start: usize, end: usize) -> bool {
        let pair = g >= 1 && GOVERNING_PAIRS.contains(&(self.word(g - 1), self.word(g)));
        if !(GOVERNORS.contains(&self.word(g)) || pair) {
            return false;
        }
        // Through a gerund, the claim must be its object, not a clause of its own ("stop overthinking | one AZ is
        // enough", "avoid overengineering, just mount…").
        g + 1 == start
            || (gerund(self.word(g + 1))
                && !self.crosses_clause(g, start)
                && !(start..=end).any(|i| VERBS.contains(&self.word(i)))
                && !(g + 2..start).any(|i| {
                    let w = self.word(i);
                    VERBS.contains(&w)
                        || PRONOUNS.contains(&w)
                        || matches!(w, "by" | "just" | "simply" | "and")
                }))
    }

    /// Whether the negation at `i` is an interjection of its own clause rather than part of the claim's: "No, a
    /// single AZ is enough", "Not really — one AZ is fine" answer something else and then assert.
    fn interjected(&self, i: usize, start: usize) -> bool {
        let opens =
            i == 0 || self.pause_after(i - 1).is_some() || OPENERS.contains(&self.word(i - 1));
        opens
            && matches!(self.word(i), "no" | "not" | "nope")
            && (i..(i + 3).min(start)).any(|j| self.pause_after(j).is_some())
    }

    /// The words that say something of a subject ending at `end`: from its verb on, up to a clause-opening
    /// conjunction, or a pause that a new subject follows ("…is fine, we never found it risky"), at most eight.
    fn predicate(&self, end: usize) -> std::ops::Range<usize> {
        let from = end + 1;
        let mut to = from;
        while to < self.words.len() && to < from + 8 {
            if CLAUSE_BREAKS.contains(&self.word(to)) {
                break;
            }
            to += 1;
            if self.pause_after(to - 1).is_some() && PRONOUNS.contains(&self.word(to)) {
                break;
            }
        }
        from..to
    }

    /// Whether a claim spanning `start..=end` is the subject of its sentence and judged wrong by what the sentence
    /// says of it: "Pushing 500 TB in a weekend isn't realistic", "Mounting a key file into pods is the old way, and
    /// risky", "One function that calls every step synchronously might look simple, but…". The subject is an action
    /// opening the sentence (a gerund, the claim inside it, no verb before the claim) or a noun phrase holding the
    /// claim up to the sentence's first verb; it runs into its verb with no pause.
    fn judged_subject(&self, matched: &[usize]) -> bool {
        let (Some(&start), Some(&end)) = (matched.first(), matched.last()) else {
            return false;
        };
        // The subject opens its clause: the sentence, or what follows the last pause or "but" before the claim
        // ("…, but treating equal hashes as a guaranteed match is a bug").
        let clause = (0..start)
            .rev()
            .find(|&i| self.pause_after(i).is_some() || self.word(i) == "but")
            .map_or(0, |i| i + 1);
        let opening = (clause..start)
            .find(|&i| !OPENERS.contains(&self.word(i)))
            .unwrap_or(start);
        let is_verb =
            |i: usize| VERBS.contains(&self.word(i)) || APPEARANCES.contains(&self.word(i));
        let action = (gerund(self.word(opening))
            || (gerund(self.word(opening + 1)) && self.pause_after(opening).is_none()))
            && start >= opening
            && !(opening..start).any(is_verb);
        // A subject that is not an action runs to the sentence's first verb ("One function that receives the order
        // and calls every step synchronously | might look simple"), with no subject pronoun of a clause in it.
        // An action may run on past the claim to its verb ("creating a new copy every time you reach a node through an
        // edge | is the trap"); one with a plain verb ("evaluating on the training data gives…") ends with the claim.
        // "Believing one AZ is enough | is risky": a belief held up as the subject takes the claim, verb and all, as
        // its object.
        let belief = action
            && matches!(
                self.word(opening),
                "believing"
                    | "assuming"
                    | "thinking"
                    | "pretending"
                    | "saying"
                    | "claiming"
                    | "expecting"
            );
        let subject_end = if action {
            (if belief { end + 1 } else { start + 1 }..self.words.len().min(end + 12))
                .take_while(|&i| self.pause_after(i - 1).is_none())
                .find(|&i| is_verb(i))
                .map_or(end, |verb| verb - 1)
        } else {
            match (opening..self.words.len()).find(|i| is_verb(*i)) {
                Some(verb)
                    if verb > end && !(opening..verb).any(|i| PRONOUNS.contains(&self.word(i))) =>
                {
                    verb - 1
                }
                _ => return false,
            }
        };
        // A claim that runs past its verb to what it says ("deploying into one AZ | is enough") is a whole clause,
        // not a subject: what follows judges something else ("…and the rest is overkill").
        if let Some(verb) = (start..=end).find(|&i| is_verb(i) && !belief) {
            let lex = super::language::lexicon();
            if matched
                .iter()
                .any(|&m| m > verb && !lex.function_words.contains(self.word(m)))
            {
                return false;
            }
        }
        if self.crosses_clause(opening, subject_end + 1) {
            return false;
        }
        let predicate = self.predicate(subject_end);
        // The claim's own words are what it says, not a judgement on it ("caching is unnecessary" is the claim).
        let said: Vec<&str> = predicate
            .clone()
            .map(|i| {
                if matched.contains(&i) {
                    ""
                } else {
                    self.word(i)
                }
            })
            .collect();
        // "…isn't realistic", "…is not safe at all"; not "…isn't hard, and it's good enough".
        let denied_approval = (0..said.len().min(2)).any(|n| {
            negation(said[n])
                && (n + 1..said.len().min(n + 4))
                    .take_while(|&k| said[k] != "and")
                    .any(|k| APPROVALS.contains(&said[k]))
        });
        // The appearance must be the subject's own verb: before any other ("…is simplest, it looks clean" is not it),
        // and what the "but" says must not be praise ("might sound old-school, but it works fine").
        let but = self.words[subject_end + 1..]
            .iter()
            .position(|w| w == "but");
        let seems_but = said
            .iter()
            .take(4)
            .take_while(|w| !VERBS.contains(w))
            .any(|w| APPEARANCES.contains(w))
            && but.is_some_and(|b| {
                let after: Vec<&str> = (subject_end + 2 + b..self.words.len())
                    .take(8)
                    .map(|i| self.word(i))
                    .collect();
                !approves(&after)
            });
        denied_approval || seems_but || disapproves(&said)
    }

    /// Whether the claim is conceded to be tempting before a "but" that speaks against it: "It's tempting to just
    /// mount a key file, but the key will leak", "it's easy to add capacity, but…".
    fn conceded(&self, from: usize, start: usize, end: usize) -> bool {
        let tempting = (from..start).any(|i| {
            matches!(self.word(i), "tempting" | "easy" | "simplest" | "easiest")
                && self.word(i + 1) == "to"
        });
        tempting
            && (end + 1..self.words.len())
                .find(|&i| self.word(i) == "but")
                .is_some_and(|b| {
                    let after: Vec<&str> = (b + 1..self.words.len())
                        .take(8)
                        .map(|i| self.word(i))
                        .collect();
                    // "…, but the key will leak", not "…, but rotate it quarterly".
                    disapproves(&after) || after.iter().any(|w| negation(w))
                })
    }

    /// Whether the clause before a claim (from `from`) puts it out of the present: a counterfactual ("some engineers
    /// *would have* fixed it quietly", "*I could have* kept it to myself", "*I'd have* built whatever…") or a past
    /// habit given up ("I *used to* keep the one that starts first").
    fn unreal(&self, from: usize, start: usize) -> bool {
        // Not across a clause, nor into a condition: "We would have been on time *if* the other team had…" blames.
        (from..start).any(|i| {
            if self.crosses_clause(i, start) || (i..start).any(|j| self.word(j) == "if") {
                return false;
            }
            let next = self.word(i + 1);
            let modal_perfect = matches!(
                self.word(i),
                "would" | "could" | "i'd" | "we'd" | "they'd" | "he'd" | "she'd" | "you'd"
            ) && next == "have"
                && (i + 2..i + 4).any(|j| participle(self.word(j)));
            // "I used to mount…", not "…is used to mount" (a purpose).
            let habit = self.word(i) == "used"
                && next == "to"
                && !gerund(self.word(i + 2))
                && !(i >= 1
                    && matches!(
                        self.word(i - 1),
                        "is" | "are"
                            | "was"
                            | "were"
                            | "be"
                            | "been"
                            | "being"
                            | "get"
                            | "gets"
                            | "got"
                            | "we're"
                            | "i'm"
                            | "you're"
                            | "they're"
                    ));
            modal_perfect || habit
        })
    }

    /// Where the clause right after a claim ending at `end` opens: at a pause or an "and"/"which" within
    /// [`NEXT_CLAUSE_WITHIN`] words (the claim's own clause may run on a little).
    fn next_clause(&self, end: usize) -> Option<usize> {
        (end + 1..(end + 1 + NEXT_CLAUSE_WITHIN).min(self.words.len()))
            .find(|&j| self.pause_after(j - 1).is_some() || matches!(self.word(j), "and" | "which"))
    }

    /// Whether the clause right after a claim refers back to it and judges it wrong: "…, and that doesn't hold up",
    /// "…, which is a mistake", "…, and it won't help", "…, and I'd push back on it". The clause opens at a pause
    /// or an "and"/"which" within [`NEXT_CLAUSE_WITHIN`] words of the claim's end; a "but" clause contrasts rather
    /// than judges ("one AZ is enough, but it's not ideal" still says it).
    fn judged_in_next_clause(&self, end: usize) -> bool {
        let len = self.words.len();
        let Some(open) = self.next_clause(end) else {
            return false;
        };
        let clause: Vec<&str> = (open..len)
            .take(10)
            .take_while(|&i| i == open || !CLAUSE_BREAKS.contains(&self.word(i)))
            .map(|i| self.word(i))
            .collect();
        // The clause is about the claim when a word referring back opens it ("…, which is…", "…, and that…") or is
        // the object of a governor ("…, and I'd push back on it"), not a dummy "it" later ("…, and said it wasn't
        // well defined").
        let refers = clause.first().is_some_and(|w| REFERENTS.contains(w))
            || (clause.first() == Some(&"and")
                && clause.get(1).is_some_and(|w| REFERENTS.contains(w)));
        let negated_at = (0..clause.len()).find(|&k| negation(clause[k]) && !idiom(&clause, k));
        let disapproved = disapproves(&clause);
        let denied = negated_at.is_some_and(|n| {
            clause[n + 1..]
                .iter()
                .any(|w| APPROVALS.contains(w) || BENEFITS.contains(w))
        });
        // "…and I'd push back on it", "avoid that": a governor whose object is the word referring back.
        let governed = (0..clause.len().saturating_sub(1)).any(|k| {
            let governs = GOVERNORS.contains(&clause[k])
                || (k > 0 && GOVERNING_PAIRS.contains(&(clause[k - 1], clause[k])));
            governs && REFERENTS.contains(&clause[k + 1])
        });
        governed || (refers && (disapproved || denied))
    }

    /// Whether the clause right after a claim refers back to it and endorses it: "They say one AZ is enough, and
    /// they're right", "…, which is true". Whatever reported the claim, the speaker then holds it.
    fn endorsed_in_next_clause(&self, end: usize) -> bool {
        let len = self.words.len();
        let Some(open) = self.next_clause(end) else {
            return false;
        };
        let clause: Vec<&str> = (open..len).take(7).map(|i| self.word(i)).collect();
        // "…, and honestly they're right", "…, and I agree with them", "…, and I still do".
        let backs = |w: &&str| {
            REFERENTS.contains(w) || matches!(*w, "they" | "they're" | "i" | "we" | "i'd" | "we'd")
        };
        let refers = clause.iter().take(3).any(backs);
        refers
            && clause
                .iter()
                .enumerate()
                .take_while(|&(k, w)| !negation(w) || idiom(&clause, k))
                .any(|(k, w)| {
                    // An adjective of the claim ("they're right", "that's correct"), not "I correct that".
                    let right = matches!(*w, "right" | "true" | "correct")
                        && !(k > 0 && PRONOUNS.contains(&clause[k - 1]))
                        && !matches!(
                            clause.get(k + 1),
                            Some(&("up" | "away" | "now" | "after" | "before" | "until"))
                        );
                    right
                        || matches!(*w, "agree" | "agreed")
                        || (*w == "still" && matches!(clause.get(k + 1), Some(&("do" | "believe"))))
                })
    }

    /// How the words of the sentence around a claim matched at the positions `matched` (in order) read it: rejected
    /// by a negation in its clause, by a governing word, or as a subject judged wrong; named by a reporting word
    /// shortly before it in its clause (other than the claim's own words) or a judging word just after it.
    pub(super) fn reading(&self, matched: &[usize]) -> Reading {
        let (Some(&start), Some(&end)) = (matched.first(), matched.last()) else {
            return Reading::Silent;
        };
        let own = |i: usize| matched.contains(&i);
        // A negation before a "but" or a pause belongs to the clause that ends there ("I'm not an expert, but Lambda
        // keeps…", "Don't overthink it: one AZ is enough").
        // A full clause of its own ("one AZ is enough") also starts after an "and": "We've never lost a zone and
        // one AZ is enough".
        let own_clause = (start..=end).any(|i| VERBS.contains(&self.word(i)));
        let mut clause_start = (0..start)
            .rev()
            .find(|&i| {
                CLAUSE_BREAKS.contains(&self.word(i))
                    || self.pause_after(i).is_some()
                    || (own_clause && self.word(i) == "and" && i + 1 == start)
            })
            .map_or(0, |i| i + 1);
        // …unless that pause closes an aside right after a negation ("Please don't, under any circumstances, …").
        if let Some(k) = (clause_start.saturating_sub(4)..clause_start.saturating_sub(1))
            .find(|&k| negation(self.word(k)) && self.aside_after(k) == Some(clause_start - 1))
        {
            clause_start = k;
        }
        let negated = (clause_start..=end).any(|i| {
            !own(i)
                && negation(self.word(i))
                && !self.interjected(i, start)
                && !idiom(self.words, i)
        }) || (matches!(self.word(end + 1), "nothing" | "none")
            && self.pause_after(end).is_none())
            || self.unreal(clause_start, start);
        let reported = (start.saturating_sub(REPORT_REACH)..start)
            .any(|i| !own(i) && self.reports(i) && !self.crosses_clause(i, start));
        // "…is an anti-pattern", but not "…, not a myth".
        let judged = (end + 1..self.words.len().min(end + 1 + JUDGED_WITHIN)).any(|i| {
            let judging = REJECTED_AFTER.contains(&self.word(i))
                || (self.word(i) == "anti" && matches!(self.word(i + 1), "pattern" | "patterns"));
            // Not negated ("…, not a myth"), nor the object of a purpose ("…enough to avoid any mistake").
            judging
                && !(i.saturating_sub(2)..i).any(|j| negation(self.word(j)))
                && !(end + 1..i).any(|j| GOVERNORS.contains(&self.word(j)))
                && !self.crosses_clause(end, i)
        });
        let governed =
            (start.saturating_sub(REPORT_REACH)..start).any(|g| self.governs(g, start, end));
        if self.endorsed_in_next_clause(end) {
            Reading::Asserted
        } else if reported || judged {
            Reading::Named
        } else if negated
            || governed
            || self.judged_subject(matched)
            || self.conceded(clause_start, start, end)
            || self.judged_in_next_clause(end)
        {
            Reading::Rejected
        } else {
            Reading::Asserted
        }
    }
}

#[cfg(test)]
mod tests;
