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
//! had read them; their sentences are unit tests below.

/// Words that negate what follows them in a clause. ("Nothing" is not one: "with nothing extra, Lambda keeps state…"
/// still says it.)
const NEGATIONS: &[&str] = &[
    "not", "never", "no", "cannot", "without", "neither", "nor", "nobody", "rarely", "seldom",
    "hardly",
];

/// Words after which a negation negates nothing of the claim: idioms ("without a *doubt*", "no *joke*", "I can't
/// *stress* enough", "not *only*").
const IDIOMS_AFTER_NEGATION: &[&str] = &[
    "doubt",
    "question",
    "wonder",
    "joke",
    "kidding",
    "stress",
    "emphasise",
    "emphasize",
    "overstate",
    "only",
    "mind",
];

/// Nouns for an error, with which a speaker reports the claim after them as one ("a common *myth* is that…", "the
/// classic *mistake* is trusting…", "a *pitfall*: …"): said in the [`REPORT_REACH`] words before the claim, in its
/// clause, as written (not stemmed: "trapping" is not "trap"), the claim is not asserted. "Think" is not among
/// them ("I think S3 is block storage" asserts it); the words a speaker also uses for their own view count only in
/// the forms that report someone else's (see [`reports`]).
const REPORTED_BEFORE: &[&str] = &[
    "myth",
    "myths",
    "misconception",
    "misconceptions",
    "mistake",
    "mistakes",
    "mistaken",
    "mistakenly",
    "untrue",
    "misunderstanding",
    "misunderstand",
    "confusion",
    "confuse",
    "mixup",
    "trap",
    "traps",
    "pitfall",
    "pitfalls",
    "fallacy",
    "fallacies",
];

/// Nouns for an impulse resisted ("my first *instinct* was to go to my manager, but…", "the *reflex* is to add
/// capacity"): they report what follows even as the speaker's own ("my instinct"), where an error noun does not
/// ("my biggest mistake is that I care too much" says it).
const IMPULSES: &[&str] = &["reflex", "instinct", "temptation", "urge"];

/// Who is said to hold a claim when the speaker reports it, as the subject of the verb of belief: right before it,
/// or before one adverb or a "who" ("*people* often assume…", "*anyone* who tells you…", "it's *common* to
/// assume…"). After anyone else ("I assume", "I often say", "for those reasons I'd say", "the kind of engineer who
/// says…") the speaker holds it.
const THIRD_PARTIES: &[&str] = &[
    "people",
    "many",
    "most",
    "some",
    "teams",
    "developers",
    "engineers",
    "folks",
    "everyone",
    "customers",
    "beginners",
    "newcomers",
    "they",
    "anyone",
    "someone",
    "those",
    "nobody",
    "common",
    "wrongly",
    "mistakenly",
];

/// What makes an assumption or belief someone else's mistake ("a *common* assumption", "the *false* belief").
const FAULTY: &[&str] = &[
    "common",
    "false",
    "wrong",
    "mistaken",
    "popular",
    "naive",
    "widespread",
    "frequent",
    "classic",
    "usual",
    "typical",
    "riskiest",
    "dangerous",
    "worst",
    "flawed",
];

/// Verbs of belief, saying or habit. A claim after one is reported when the verb names someone else's view or an
/// error rather than the speaker's: after a third party ("people sometimes *say*…", "anyone who *tells* you…",
/// "teams *reach* for…"), as the complement of "is" ("a common slip is *saying*…", "another is *assuming*…"),
/// after "used to" ("I used to *think*…"), or after an error word and "to" ("it's wrong to *assume*…").
const BELIEF_VERBS: &[&str] = &[
    "think",
    "thinks",
    "thinking",
    "believe",
    "believes",
    "believing",
    "assume",
    "assumes",
    "assuming",
    "say",
    "says",
    "saying",
    "claim",
    "claims",
    "claiming",
    "expect",
    "expects",
    "expecting",
    "hope",
    "hopes",
    "tell",
    "tells",
    "treat",
    "treats",
    "conclude",
    "concludes",
    "insist",
    "insists",
    "argue",
    "argues",
    "reach",
    "doubt",
    "disagree",
];

/// Words that take up a belief as the speaker's own: "I *like* the idea that…", "I *hold* the belief that…", "I'm
/// *of* the belief that…", "*on* the assumption that…".
const TAKING_UP: &[&str] = &[
    "like", "love", "liked", "loved", "support", "share", "accept", "agree", "buy", "endorse",
    "prefer", "with", "hold", "holds", "of", "on", "under",
];

/// Words that make believing something an error when they govern "to <believe>": "it's *wrong* to assume…".
const ERROR_BEFORE_BELIEF: &[&str] = &[
    "wrong",
    "mistake",
    "naive",
    "tempting",
    "easy",
    "dangerous",
    "misleading",
];

/// How far before a claim a reporting word still reports it.
const REPORT_REACH: usize = 10;

/// Words that judge a claim just said as wrong ("sending reads to the standby is an anti-pattern"): within
/// [`JUDGED_WITHIN`] words after the claim and not negated ("…, not a myth"), the claim is not asserted.
const REJECTED_AFTER: &[&str] = &["myth", "misconception", "fallacy", "antipattern", "mistake"];

/// How many words after a claim the clause judging it may open: the claim's own clause may run on a little ("…a
/// key file into each pod, which is a mistake").
const NEXT_CLAUSE_WITHIN: usize = 5;

/// How near after a claim a judging word still judges it.
const JUDGED_WITHIN: usize = 4;

/// Verbs of rejection that govern the claim as their object ("*avoid* giving…", "*stop* mounting…").
const GOVERNORS: &[&str] = &[
    "avoid",
    "avoiding",
    "stop",
    "against",
    "prevent",
    "discourage",
    "discourages",
    "stopped",
    "stops",
    "quit",
    "replaced",
    "replacing",
    "ditched",
];

/// Two-word governors, matched at their second word: "instead of", "rather than", "(push) back on", "(steer)
/// clear of", "(stay) away from", "refrain from".
const GOVERNING_PAIRS: &[(&str, &str)] = &[
    ("instead", "of"),
    ("rather", "than"),
    ("back", "on"),
    ("clear", "of"),
    ("away", "from"),
    ("refrain", "from"),
];

/// Words of appearance that concede before a "but" ("seems quick, but…", "might look simple, but…"), as the verb
/// of a claim that is its sentence's subject.
const APPEARANCES: &[&str] = &[
    "seems", "seem", "looks", "look", "sounds", "sound", "might", "may",
];

/// Auxiliaries, copulas and modals: the first of them after a subject is its verb.
const VERBS: &[&str] = &[
    "is", "are", "was", "were", "has", "have", "had", "does", "do", "did", "will", "can", "it's",
    "would", "could", "should", "must", "isn't", "aren't", "wasn't", "won't", "can't", "doesn't",
];

/// What an action is denied to be ("Pushing 500 TB in a weekend isn't *realistic*"): a negation before one of these
/// judges the action wrong; before anything else ("isn't risky", "never failed us") it may praise it.
const APPROVALS: &[&str] = &[
    "realistic",
    "safe",
    "secure",
    "feasible",
    "acceptable",
    "advisable",
    "recommended",
    "wise",
    "practical",
    "viable",
    "sustainable",
    "scalable",
    "enough",
    "sufficient",
    "reliable",
    "good",
    "ok",
    "okay",
    "fine",
    "correct",
    "right",
    "true",
    "needed",
    "necessary",
    "harmless",
    "free",
    "plenty",
];

/// Words that judge an action as one not to take, said of a subject ("mounting a key file is *risky*", "giving every
/// team cluster admin is a *mistake*", "…is another thing I'd *avoid*"): the evaluative words of English for what
/// is wrong, unsafe, needless or misleading — the counterparts of [`APPROVALS`], not words of any answer.
const DISAPPROVALS: &[&str] = &[
    "mistake",
    "wrong",
    "risky",
    "risk",
    "dangerous",
    "unsafe",
    "insecure",
    "unnecessary",
    "needless",
    "unrealistic",
    "impractical",
    "fragile",
    "brittle",
    "flawed",
    "wasteful",
    "meaningless",
    "misleading",
    "harmful",
    "bad",
    "antipattern",
    "trap",
    "pitfall",
    "myth",
    "overkill",
    "outdated",
    "obsolete",
    "naive",
    "problematic",
    "unreliable",
    "unsound",
    "misconception",
    "misunderstanding",
    "fallacy",
    "backwards",
    "bite",
    "bites",
    "backfire",
    "backfires",
    "hurt",
    "hurts",
    "burn",
    "burns",
    "burned",
    "bitten",
    "leak",
    "leaks",
    "terrible",
    "awful",
    "horrible",
    "liability",
    "nightmare",
    "resort",
    "false",
    "bug",
];

/// What an action is denied to do when it is judged useless ("…and it won't *help*", "that doesn't *hold* up",
/// "I'd never treat that as a *fix*"): beside [`APPROVALS`], after a negation in a clause that refers back to the
/// claim.
const BENEFITS: &[&str] = &[
    "help", "helps", "hold", "holds", "work", "works", "fix", "solve", "solves", "scale",
];

/// Words that refer back to the claim just said, in the clause that judges it ("…, and *that* assumption is
/// wrong", "…, which is a mistake", "…, and I'd push back on *it*").
const REFERENTS: &[&str] = &["that", "this", "it", "which", "it's", "that's"];

/// Words that may stand before an error noun that a colon then introduces ("A common misconception: …", "The
/// classic mistake — …").
const INTRODUCING: &[&str] = &[
    "a", "an", "the", "one", "another", "first", "second", "third", "big", "biggest", "most",
    "also", "and", "my",
];

/// Words that may open a sentence before its subject.
const OPENERS: &[&str] = &["and", "but", "so", "also", "then", "or"];

/// Words that open a new clause: a reporting or governing word before one does not reach a claim after it, and a
/// judgement after one is not said of the subject before it.
const CLAUSE_BREAKS: &[&str] = &[
    "but", "so", "because", "though", "although", "yet", "however", "while", "whereas", "unless",
    "when", "whenever", "since", "until", "whether",
];

/// Subjects that open a clause of their own after a governed gerund ("instead of mounting a key file per node *we*
/// mount…") or after a pause ("…is fine, *we* never found it risky").
const PRONOUNS: &[&str] = &[
    "i", "we", "you", "they", "he", "she", "it", "i'd", "we'd", "i'm", "we're",
];

/// Words ending in "-ing" that are not gerunds.
const NOT_GERUNDS: &[&str] = &[
    "during",
    "nothing",
    "anything",
    "something",
    "everything",
    "string",
    "morning",
    "evening",
    "ceiling",
];

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
fn idiom(words: &[&str], i: usize) -> bool {
    let at = |j: usize| words.get(j).copied().unwrap_or("");
    let before = i.checked_sub(1).map_or("", at);
    IDIOMS_AFTER_NEGATION.contains(&at(i + 1))
        || (at(i + 1) == "a" && IDIOMS_AFTER_NEGATION.contains(&at(i + 2)))
        // "not to mention", "couldn't agree more", "more often than not", "there's no denying".
        || (at(i + 1) == "to" && at(i + 2) == "mention")
        || at(i + 2) == "more"
        || before == "than"
        || at(i + 1) == "denying"
}

/// Past participles that do not end in "-ed" or "-en", for the counterfactual "would have <done>": "I'd have
/// *built* whatever they asked" is one, "I'd have the reports query production" is not.
const IRREGULAR_PARTICIPLES: &[&str] = &[
    "been", "built", "kept", "made", "done", "said", "told", "thought", "sent", "left", "let",
    "put", "set", "gone", "run", "got", "had", "held", "brought", "bought", "spent", "lost",
    "paid", "sold", "split", "shut", "caught", "taught", "found", "felt", "met", "won", "struck",
    "stuck", "hit",
];

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

    fn idiomatic(&self, i: usize) -> bool {
        let words: Vec<&str> = (i..i + 3).map(|j| self.word(j)).collect();
        idiom(&words, 0)
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

    /// Whether the clause right after a claim refers back to it and judges it wrong: "…, and that doesn't hold up",
    /// "…, which is a mistake", "…, and it won't help", "…, and I'd push back on it". The clause opens at a pause
    /// or an "and"/"which" within [`NEXT_CLAUSE_WITHIN`] words of the claim's end; a "but" clause contrasts rather
    /// than judges ("one AZ is enough, but it's not ideal" still says it).
    fn judged_in_next_clause(&self, end: usize) -> bool {
        let len = self.words.len();
        let Some(open) = (end + 1..(end + 1 + NEXT_CLAUSE_WITHIN).min(len)).find(|&j| {
            self.pause_after(j - 1).is_some() || matches!(self.word(j), "and" | "which")
        }) else {
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
        let Some(open) = (end + 1..(end + 1 + NEXT_CLAUSE_WITHIN).min(len)).find(|&j| {
            self.pause_after(j - 1).is_some() || matches!(self.word(j), "and" | "which")
        }) else {
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
            !own(i) && negation(self.word(i)) && !self.interjected(i, start) && !self.idiomatic(i)
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
mod tests {
    use super::super::misconceptions::{FlagKeys, asserted};
    use crate::knowledge::RedFlag;

    fn flag(phrase: &str) -> FlagKeys {
        FlagKeys::new(&RedFlag {
            claim: "A claim too short to match in its own words".to_owned(),
            cancels: None,
            phrases: vec![phrase.to_owned()],
        })
    }

    /// The ways English marks a claim as not the speaker's: each sentence names the misconception to reject it.
    #[test]
    fn a_claim_named_to_reject_it_is_not_asserted() {
        let zone = flag("one az is enough");
        for rejecting in [
            "The classic mistake is thinking one AZ is enough.",
            "A common mix-up is assuming one AZ is enough.",
            "It's wrong to assume one AZ is enough.",
            "It's too simple to say one AZ is enough.",
            "I sometimes hear that one AZ is enough.",
            "People often say one AZ is enough.",
            "Anyone who tells you one AZ is enough has not lived through a zone outage.",
            "I'd push back on the belief that one AZ is enough.",
            "I used to think one AZ is enough.",
            "My first instinct was that one AZ is enough, until a zone failed.",
            "A common pitfall: one AZ is enough, people think.",
        ] {
            assert!(asserted(&zone, rejecting).is_none(), "{rejecting}");
        }
        let key_file = flag("mount a key file");
        for rejecting in [
            "Mounting a key file into pods is the old way, and risky.",
            "Mounting a key file per pod is a mistake.",
            "Mounting a key file into every pod will bite you.",
            "Mounting a key file gives you a false sense of security.",
            "Workload identity is the fix, but mounting a key file per pod is a bug waiting to happen.",
            "I'd push back on mounting a key file for each pod.",
            "I'd avoid giving each pod a way to mount a key file.",
            "We mount a key file into each pod, which is a mistake we are fixing.",
            "Some teams would have mounted a key file into each pod.",
            "I used to mount a key file into each pod.",
            "A service that needs to mount a key file might look simple, but the key leaks.",
        ] {
            assert!(asserted(&key_file, rejecting).is_none(), "{rejecting}");
        }
        let denied = flag("replica is promoted automatically");
        assert!(
            asserted(
                &denied,
                "Is the replica promoted automatically? No, you promote it yourself."
            )
            .is_none()
        );
    }

    /// A rejecting word in one clause must not hide the claim asserted in the next, nor a judgement that is the
    /// claim's own words, a purpose, or negated: how a candidate who knows the rules would try to slip one past.
    #[test]
    fn rejecting_words_do_not_hide_a_claim_asserted_beside_them() {
        let key_file = flag("mount a key file");
        for asserting in [
            "The mistake is overthinking it, just mount a key file into each pod.",
            "People say key files are risky, but mount a key file and move on.",
            "It's a myth that you need federation, so mount a key file into each pod.",
            "To avoid extra setup, mount a key file into each pod.",
            "Mounting a key file is never a mistake.",
            "Mounting a key file is enough to avoid outages.",
            "We mount a key file into each pod, and it's not a problem.",
            "We mount a key file into each pod, and that is not wrong.",
            "We mount a key file into each pod, but it isn't ideal.",
            "We mount a key file into each pod and said it wasn't worth the fix.",
            "I'd have the platform team mount a key file into each pod.",
            "No, mount a key file into each pod.",
            "My biggest mistake is that I mount a key file too late.",
            "We would have been fine if we mount a key file into each pod.",
        ] {
            assert!(asserted(&key_file, asserting).is_some(), "{asserting}");
        }
        let unnecessary = flag("caching is unnecessary");
        assert!(
            asserted(
                &unnecessary,
                "Caching is unnecessary here, the database is fast."
            )
            .is_some()
        );
        let slip = flag("the day before launch");
        assert!(
            asserted(
                &slip,
                "We only told them the date would slip on the day before launch."
            )
            .is_some()
        );
    }

    /// Sentences a reviewer who had read these rules wrote to defeat them (2026-12-07): stock phrases a gaming
    /// candidate could wrap any wrong claim in, and frames experts use. Each is held to its honest reading. Three of
    /// the reviewer's expert frames are still read as asserting the claim and are left out here: a contrast after it
    /// ("…enough for a demo, not for production", "…until it isn't") and a consequence as its judgement ("Thinking
    /// one AZ is enough is how outages happen").
    #[test]
    fn a_reviewers_attacks_are_read_for_what_they_say() {
        let zone = flag("one az is enough");
        let key_file = flag("mount a key file");
        let keys = |text: &str| {
            if text.to_lowercase().contains("key file") {
                &key_file
            } else {
                &zone
            }
        };
        for asserting in [
            "My instinct says one AZ is enough.",
            "Make no mistake: one AZ is enough.",
            "As I was saying one AZ is enough.",
            "I often say one AZ is enough.",
            "They say one AZ is enough and they're right.",
            "I can't stress enough that one AZ is enough.",
            "One AZ is enough, which I can't stress enough.",
            "We never had a zone outage so one AZ is enough.",
            "You don't need federation so mount a key file into each pod.",
            "Without a doubt one AZ is enough.",
            "One AZ, no joke, is enough.",
            "As you might have guessed one AZ is enough here.",
            "The init container is used to mount a key file into each pod.",
            "I like the idea that one AZ is enough.",
            "One AZ is enough to avoid any mistake.",
            "Mount a key file into each pod, it's risk-free.",
            "One AZ is enough, which is why we avoid multi-AZ.",
            "Mounting a key file per pod is the least risky option.",
            "Mounting a key file might sound old-school but it works fine.",
            "Deploying into one AZ is enough and the rest is overkill.",
            "Instead of paying for three zones one AZ is enough.",
            "To avoid overengineering just mount a key file into each pod.",
            "The easiest way to avoid mistakes is to mount a key file into each pod.",
            "Would I say one AZ is enough? No, I'd say it's plenty.",
            "One way we avoid mistakes is spot instances. Another is that one AZ is enough.",
        ] {
            assert!(
                asserted(keys(asserting), asserting).is_some(),
                "{asserting}"
            );
        }
        for rejecting in [
            "Please don't, under any circumstances, mount a key file into a pod.",
            "People often assume, wrongly, that one AZ is enough.",
            "I doubt one AZ is enough.",
            "One AZ is rarely enough for production.",
            "If you think one AZ is enough, look at the last us-east-1 outage.",
            "A junior engineer might think one AZ is enough.",
            "Nobody serious thinks one AZ is enough.",
            "It's tempting to just mount a key file, but the key will leak.",
            "The worst option is to mount a key file into every pod.",
            "Google explicitly discourages mounting a key file.",
            "Does that mean one AZ is enough? Not at all.",
            "The riskiest assumption here is that one AZ is enough.",
        ] {
            assert!(
                asserted(keys(rejecting), rejecting).is_none(),
                "{rejecting}"
            );
        }
    }

    /// A second reviewer's attacks on the rules as they stood after the first (2026-12-07). Three of their expert
    /// frames are still read as asserting and are left out: "Prefer Workload Identity over mounting a key file", "I've
    /// seen teams mount a key file into each pod, and it always ends badly", "If you mount a key file into each pod,
    /// you're one leak away from a breach" (a preference, someone else's practice judged by its outcome, a warning
    /// conditional).
    #[test]
    fn a_second_reviewers_attacks_are_read_for_what_they_say() {
        let zone = flag("one az is enough");
        let key_file = flag("mount a key file");
        let keys = |text: &str| {
            if text.to_lowercase().contains("key file") {
                &key_file
            } else {
                &zone
            }
        };
        let mut misread = Vec::new();
        for asserting in [
            "I won't sugarcoat it, honestly, one AZ is enough.",
            "It's cheaper and simpler, not to mention one AZ is enough for our SLA.",
            "In most cases, if not all, one AZ is enough.",
            "We've never lost a zone and one AZ is enough.",
            "There's no denying one AZ is enough.",
            "Most importantly, I think one AZ is enough.",
            "The common mistake is paying for three zones when one AZ is enough.",
            "Let me clear up the confusion: one AZ is enough.",
            "I hold the belief that one AZ is enough.",
            "My instinct is that one AZ is enough.",
            "Many people say one AZ is enough and I agree with them.",
            "Even at our worst peak one AZ is enough.",
            "Mounting a key file into each pod removes the risk.",
            "Mounting a key file might look basic but it works.",
            "One AZ is enough, which keeps the risk low.",
            "We're used to mounting a key file into every pod and it works.",
            "Going multi-AZ would have doubled the bill when one AZ is enough.",
            "It's easiest to mount a key file, but rotate it quarterly.",
            "One AZ is enough, right? No-brainer.",
            "Stop overthinking and mount a key file into each pod.",
        ] {
            if asserted(keys(asserting), asserting).is_none() {
                misread.push(format!("escapes: {asserting}"));
            }
        }
        for rejecting in [
            "You'd think one AZ is enough, but it isn't.",
            "One AZ is enough? Not in production.",
            "Mount a key file? Please don't.",
            "Mounting a key file is a terrible idea.",
            "Believing one AZ is enough is risky.",
            "We stopped mounting a key file into pods.",
            "Some teams say one AZ is enough, and that holds right up until a zone fails.",
        ] {
            if asserted(keys(rejecting), rejecting).is_some() {
                misread.push(format!("false alarm: {rejecting}"));
            }
        }
        assert!(misread.is_empty(), "{}", misread.join("\n"));
    }
}
