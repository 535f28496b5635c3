//! The words [`super`] reads a sentence by, grouped by what each kind does to a claim. Each list is a closed
//! class of English (negations, verbs of belief, error nouns, evaluative words), not words taken from any answer.

/// Words that negate what follows them in a clause. ("Nothing" is not one: "with nothing extra, Lambda keeps state…"
/// still says it.)
pub(super) const NEGATIONS: &[&str] = &[
    "not", "never", "no", "cannot", "without", "neither", "nor", "nobody", "rarely", "seldom",
    "hardly",
];

/// Words after which a negation negates nothing of the claim: idioms ("without a *doubt*", "no *joke*", "I can't
/// *stress* enough", "not *only*").
pub(super) const IDIOMS_AFTER_NEGATION: &[&str] = &[
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
pub(super) const REPORTED_BEFORE: &[&str] = &[
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
pub(super) const IMPULSES: &[&str] = &["reflex", "instinct", "temptation", "urge"];

/// Who is said to hold a claim when the speaker reports it, as the subject of the verb of belief: right before it,
/// or before one adverb or a "who" ("*people* often assume…", "*anyone* who tells you…", "it's *common* to
/// assume…"). After anyone else ("I assume", "I often say", "for those reasons I'd say", "the kind of engineer who
/// says…") the speaker holds it.
pub(super) const THIRD_PARTIES: &[&str] = &[
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
pub(super) const FAULTY: &[&str] = &[
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
pub(super) const BELIEF_VERBS: &[&str] = &[
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
pub(super) const TAKING_UP: &[&str] = &[
    "like", "love", "liked", "loved", "support", "share", "accept", "agree", "buy", "endorse",
    "prefer", "with", "hold", "holds", "of", "on", "under",
];

/// Words that make believing something an error when they govern "to <believe>": "it's *wrong* to assume…".
pub(super) const ERROR_BEFORE_BELIEF: &[&str] = &[
    "wrong",
    "mistake",
    "naive",
    "tempting",
    "easy",
    "dangerous",
    "misleading",
];

/// Words that judge a claim just said as wrong ("sending reads to the standby is an anti-pattern"): within
/// [`JUDGED_WITHIN`] words after the claim and not negated ("…, not a myth"), the claim is not asserted.
pub(super) const REJECTED_AFTER: &[&str] =
    &["myth", "misconception", "fallacy", "antipattern", "mistake"];

/// Verbs of rejection that govern the claim as their object ("*avoid* giving…", "*stop* mounting…").
pub(super) const GOVERNORS: &[&str] = &[
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
pub(super) const GOVERNING_PAIRS: &[(&str, &str)] = &[
    ("instead", "of"),
    ("rather", "than"),
    ("back", "on"),
    ("clear", "of"),
    ("away", "from"),
    ("refrain", "from"),
];

/// Words of appearance that concede before a "but" ("seems quick, but…", "might look simple, but…"), as the verb
/// of a claim that is its sentence's subject.
pub(super) const APPEARANCES: &[&str] = &[
    "seems", "seem", "looks", "look", "sounds", "sound", "might", "may",
];

/// Auxiliaries, copulas and modals: the first of them after a subject is its verb.
pub(super) const VERBS: &[&str] = &[
    "is", "are", "was", "were", "has", "have", "had", "does", "do", "did", "will", "can", "it's",
    "would", "could", "should", "must", "isn't", "aren't", "wasn't", "won't", "can't", "doesn't",
];

/// What an action is denied to be ("Pushing 500 TB in a weekend isn't *realistic*"): a negation before one of these
/// judges the action wrong; before anything else ("isn't risky", "never failed us") it may praise it.
pub(super) const APPROVALS: &[&str] = &[
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
pub(super) const DISAPPROVALS: &[&str] = &[
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
pub(super) const BENEFITS: &[&str] = &[
    "help", "helps", "hold", "holds", "work", "works", "fix", "solve", "solves", "scale",
];

/// Words that refer back to the claim just said, in the clause that judges it ("…, and *that* assumption is
/// wrong", "…, which is a mistake", "…, and I'd push back on *it*").
pub(super) const REFERENTS: &[&str] = &["that", "this", "it", "which", "it's", "that's"];

/// Words that may stand before an error noun that a colon then introduces ("A common misconception: …", "The
/// classic mistake — …").
pub(super) const INTRODUCING: &[&str] = &[
    "a", "an", "the", "one", "another", "first", "second", "third", "big", "biggest", "most",
    "also", "and", "my",
];

/// Words that may open a sentence before its subject.
pub(super) const OPENERS: &[&str] = &["and", "but", "so", "also", "then", "or"];

/// Words that open a new clause: a reporting or governing word before one does not reach a claim after it, and a
/// judgement after one is not said of the subject before it.
pub(super) const CLAUSE_BREAKS: &[&str] = &[
    "but", "so", "because", "though", "although", "yet", "however", "while", "whereas", "unless",
    "when", "whenever", "since", "until", "whether",
];

/// Subjects that open a clause of their own after a governed gerund ("instead of mounting a key file per node *we*
/// mount…") or after a pause ("…is fine, *we* never found it risky").
pub(super) const PRONOUNS: &[&str] = &[
    "i", "we", "you", "they", "he", "she", "it", "i'd", "we'd", "i'm", "we're",
];

/// Words ending in "-ing" that are not gerunds.
pub(super) const NOT_GERUNDS: &[&str] = &[
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

/// Past participles that do not end in "-ed" or "-en", for the counterfactual "would have <done>": "I'd have
/// *built* whatever they asked" is one, "I'd have the reports query production" is not.
pub(super) const IRREGULAR_PARTICIPLES: &[&str] = &[
    "been", "built", "kept", "made", "done", "said", "told", "thought", "sent", "left", "let",
    "put", "set", "gone", "run", "got", "had", "held", "brought", "bought", "spent", "lost",
    "paid", "sold", "split", "shut", "caught", "taught", "found", "felt", "met", "won", "struck",
    "stuck", "hit",
];
