//! What a candidate's message is before it is read as an answer: an explicit request to skip, an admission of not
//! knowing, or a question back to the interviewer. Each test is deliberately narrow — a misread answer costs the
//! candidate a question (skipped) or their words (taken for a question) — so anything unclear is an answer.

use super::text_match::{content_words, normalise, sentences, starts_with_words, tokens};

/// What the candidate's message does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Intent {
    /// "Skip", "pass", "next question", "I'd like to skip" — and nothing more of substance.
    Skip,
    /// "I don't know", "no idea", "I'm not sure", "I'm stuck" — with no attempt at an answer after it.
    DontKnow,
    /// A question to the interviewer: phrased as one, and not the tail of an answer.
    AsksInterviewer,
    /// Anything else.
    Answer,
}

/// Reads a candidate's message.
pub fn read(text: &str) -> Intent {
    let normalised = normalise(text);
    let words = tokens(&normalised);
    let words = skip_fillers(&words);
    if is_skip(words) {
        Intent::Skip
    } else if is_confused(words) {
        Intent::AsksInterviewer
    } else if is_dont_know(words) {
        Intent::DontKnow
    } else if asks_interviewer(text) {
        Intent::AsksInterviewer
    } else {
        Intent::Answer
    }
}

/// The longest message (in words) read as a question to the interviewer rather than an answer.
const MAX_QUESTION_WORDS: usize = 40;
/// The most words of statements before a final question for the message still to be a question ("Quick question.
/// Can I assume…?"); more, and the question is the tail of an answer ("…, so it is O(n). Does that make sense?").
const MAX_LEAD_IN_WORDS: usize = 12;
/// The most content words after "I don't know" for it still to be one ("I don't know this one, sorry").
const MAX_DONT_KNOW_CONTENT_WORDS: usize = 3;

/// Words that open a message without saying anything ("um", "okay", "sorry").
const FILLERS: &[&str] = &[
    "um", "umm", "uh", "erm", "hmm", "ok", "okay", "so", "well", "sorry", "honestly", "actually",
    "yeah", "please", "really", "hi", "hey", "right", "alright",
];

fn skip_fillers<'a, 'b>(mut words: &'a [&'b str]) -> &'a [&'b str] {
    while let Some((first, rest)) = words.split_first() {
        if FILLERS.contains(first) {
            words = rest;
        } else if starts_with_words(words, &["to", "be", "honest"]) {
            words = &words[3..];
        } else {
            break;
        }
    }
    words
}

/// Ways to ask to skip, as normalised words.
const SKIP_PHRASES: &[&[&str]] = &[
    &["i", "d", "like", "to", "skip"],
    &["i", "would", "like", "to", "skip"],
    &["i", "want", "to", "skip"],
    &["can", "we", "skip"],
    &["could", "we", "skip"],
    &["can", "i", "skip"],
    &["could", "i", "skip"],
    &["let", "s", "skip"],
    &["let", "s", "move", "on"],
    &["can", "we", "move", "on"],
    &["i", "think", "i", "ll", "pass"],
    &["i", "ll", "pass"],
    &["i", "will", "pass"],
    &["i", "ll", "skip"],
    &["i", "will", "skip"],
    &["i", "pass"],
    &["next", "question"],
    &["move", "on"],
    &["skip"],
    &["pass"],
    &["next"],
];

/// Words that may follow a request to skip without making it an answer ("skip this one, sorry").
const SKIP_TAIL: &[&str] = &[
    "this", "that", "it", "one", "question", "please", "for", "now", "the", "if", "ok", "okay",
    "thanks", "thank", "you", "sorry", "i", "on", "to", "next", "move", "and", "let", "s", "go",
    "we", "can", "could", "a", "that", "fine", "with", "me", "don", "t", "know", "not", "sure",
    "no", "idea", "have", "m", "am", "pass", "skip", "honestly", "actually", "just", "here",
    "maybe", "is", "would", "like", "rather",
];

/// An explicit request to skip as the whole message or its clear start, followed by nothing of substance. A word
/// that merely begins with one ("Passwords are hashed", "Skip lists give…", "Next, I would shard") is not one.
fn is_skip(words: &[&str]) -> bool {
    SKIP_PHRASES.iter().any(|phrase| {
        starts_with_words(words, phrase)
            && words[phrase.len()..].len() <= 8
            && words[phrase.len()..].iter().all(|w| SKIP_TAIL.contains(w))
    })
}

/// The longest message (in words) read as "I don't understand the question" rather than an answer.
const MAX_CONFUSED_WORDS: usize = 15;

/// Ways to say the question itself is unclear, as normalised words with spaces around.
const CONFUSED_PHRASES: &[&str] = &[
    " what you mean ",
    " understand the question ",
    " not sure i understand ",
    " don t understand ",
    " didn t understand ",
    " do not understand ",
    " didn t get the question ",
    " rephrase ",
    " repeat the question ",
];

/// "I'm not sure what you mean", with or without a question mark: a request to clarify, not "I don't know".
fn is_confused(words: &[&str]) -> bool {
    let padded = format!(" {} ", words.join(" "));
    words.len() <= MAX_CONFUSED_WORDS && CONFUSED_PHRASES.iter().any(|p| padded.contains(p))
}

/// Ways to say "I don't know", as normalised words.
const DONT_KNOW_PHRASES: &[&[&str]] = &[
    &["i", "don", "t", "know"],
    &["i", "do", "not", "know"],
    &["i", "dont", "know"],
    &["don", "t", "know"],
    &["dont", "know"],
    &["i", "have", "no", "idea"],
    &["i", "ve", "no", "idea"],
    &["no", "idea"],
    &["not", "a", "clue"],
    &["i", "have", "no", "clue"],
    &["no", "clue"],
    &["i", "m", "not", "sure"],
    &["i", "am", "not", "sure"],
    &["im", "not", "sure"],
    &["not", "sure"],
    &["i", "m", "unsure"],
    &["unsure"],
    &["i", "m", "stuck"],
    &["i", "am", "stuck"],
    &["stuck"],
    &["i", "don", "t", "remember"],
    &["i", "can", "t", "remember"],
    &["i", "don", "t", "recall"],
    &["i", "m", "blanking"],
    &["idk"],
];

/// Words after "I'm not sure" that make it the start of an attempt ("…, but I think it hashes the key").
const ATTEMPT_WORDS: &[&str] = &[
    "but", "think", "guess", "maybe", "probably", "perhaps", "might", "would", "could", "because",
];

/// "I don't know" as the whole message, give or take a few words ("I'm not sure about this one").
fn is_dont_know(words: &[&str]) -> bool {
    DONT_KNOW_PHRASES.iter().any(|phrase| {
        if !starts_with_words(words, phrase) {
            return false;
        }
        let rest = &words[phrase.len()..];
        !rest.iter().any(|w| ATTEMPT_WORDS.contains(w))
            && content_words(&rest.join(" ")).len() <= MAX_DONT_KNOW_CONTENT_WORDS
    })
}

/// Words that open a question.
const QUESTION_OPENERS: &[&str] = &[
    "what", "whats", "which", "who", "whom", "whose", "when", "where", "why", "how", "is", "are",
    "am", "was", "were", "do", "does", "did", "can", "could", "may", "might", "shall", "should",
    "will", "would", "have", "has", "had", "must", "any", "isn", "aren", "don", "doesn", "didn",
    "wouldn", "shouldn", "couldn",
];

/// Phrases that address the interviewer wherever they stand in the clause.
const ASKING_PHRASES: &[&str] = &[
    " can i ",
    " could i ",
    " may i ",
    " should i ",
    " do i ",
    " am i allowed ",
    " do you ",
    " did you ",
    " would you ",
    " could you ",
    " can you ",
    " are you ",
    " do we ",
    " should we ",
    " can we ",
    " is it ok ",
    " is it okay ",
    " what you mean ",
    " i was wondering ",
    " i d like to know ",
    " i want to know ",
];

/// Questions that only check an answer just given ("…, is that right?"): part of the answer when they follow one.
const CHECKS: &[&[&str]] = &[
    &["is", "that", "right"],
    &["is", "that", "correct"],
    &["is", "that", "ok"],
    &["is", "that", "okay"],
    &["does", "that", "make", "sense"],
    &["make", "sense"],
    &["am", "i", "right"],
    &["right"],
    &["correct"],
    &["isn", "t", "it"],
    &["doesn", "t", "it"],
    &["wouldn", "t", "it"],
    &["aren", "t", "they"],
    &["would", "that", "work"],
    &["does", "that", "answer", "your", "question"],
];

/// A short message whose final question is phrased as a question to the interviewer, with at most a short lead-in
/// before it. A trailing "?" alone ("Consistent hashing?", "It's O(n), isn't it?") does not make one.
fn asks_interviewer(text: &str) -> bool {
    let trimmed = text.trim();
    if !trimmed.ends_with('?') || trimmed.split_whitespace().count() > MAX_QUESTION_WORDS {
        return false;
    }
    let all = sentences(trimmed);
    let Some((last, before)) = all.split_last() else {
        return false;
    };
    let lead_in_words: usize = before.iter().map(|s| s.split_whitespace().count()).sum();
    if lead_in_words > MAX_LEAD_IN_WORDS {
        return false;
    }
    phrased_as_question(last, lead_in_words > 0)
}

/// Whether one sentence asks the interviewer something: its first clause of substance (after lead-ins such as
/// "Before I answer," or "Quick question:") opens with an interrogative or an auxiliary, or addresses the
/// interviewer ("should I", "do you"). A first clause that states something ("I'd use a heap, is that right?")
/// makes the sentence an answer.
fn phrased_as_question(sentence: &str, after_statements: bool) -> bool {
    let clauses: Vec<String> = sentence
        .split([',', ':', ';', '—', '–'])
        .map(normalise)
        .collect();
    for clause in &clauses {
        let words = tokens(clause);
        let words = skip_fillers(&words);
        if words.is_empty() || is_lead_in(words) {
            continue;
        }
        let padded = format!(" {} ", words.join(" "));
        let opens = words.first().is_some_and(|w| QUESTION_OPENERS.contains(w));
        let addresses = ASKING_PHRASES.iter().any(|p| padded.contains(p));
        if !opens && !addresses {
            return false;
        }
        // "It's a heap. Is that right?" checks an answer; "Is that right?" on its own asks.
        let check = CHECKS.contains(&words);
        return !(check && after_statements);
    }
    // Every clause was a lead-in or a filler.
    false
}

/// Clauses that only announce a question ("before I answer", "quick question", "just to clarify").
fn is_lead_in(words: &[&str]) -> bool {
    (words.first() == Some(&"before") && words.len() <= 4)
        || [
            &["quick", "question"][..],
            &["a", "quick", "question"],
            &["one", "question"],
            &["one", "thing"],
            &["just", "to", "clarify"],
            &["to", "clarify"],
            &["just", "to", "check"],
            &["just", "checking"],
            &["first"],
            &["also"],
            &["and"],
            &["but"],
            &["then"],
            &["wait"],
        ]
        .contains(&words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_only_when_asked_plainly() {
        for skip in [
            "skip",
            "Pass.",
            "Next question, please",
            "I'd like to skip this one.",
            "Um, can we skip this?",
            "pass, I don't know this one",
        ] {
            assert_eq!(read(skip), Intent::Skip, "{skip}");
        }
        for answer in [
            "Passwords are hashed with bcrypt.",
            "Skip lists give O(log n) search.",
            "Next, I would shard by user id.",
            "Passing the token in a header works.",
            "Move on to the next node once visited.",
        ] {
            assert_ne!(read(answer), Intent::Skip, "{answer}");
        }
    }

    #[test]
    fn knows_a_question_to_the_interviewer_from_a_hesitant_answer() {
        for question in [
            "Do you mean a single machine or distributed?",
            "Can I assume the input is sorted?",
            "Before I answer, should I optimise for latency or for cost here?",
            "Quick question: is the data read-heavy?",
            "So, what's the expected scale?",
            "Is that right?",
            "I'm not sure what you mean — single machine or distributed?",
            "I'm not sure what you mean.",
            "Sorry, I don't understand the question",
        ] {
            assert_eq!(read(question), Intent::AsksInterviewer, "{question}");
        }
        for answer in [
            "Consistent hashing?",
            "It's O(n), isn't it?",
            "I'd use a min-heap, is that right?",
            "A hash map hashes each key into a bucket and chains collisions. Lookups stay constant on average, which is why we use them. Does that make sense?",
            "Binary search on the sorted array?",
        ] {
            assert_eq!(read(answer), Intent::Answer, "{answer}");
        }
    }

    #[test]
    fn hears_i_dont_know_but_not_an_attempt() {
        for hedge in [
            "I don't know.",
            "No idea, sorry.",
            "Honestly, I'm not sure about this one.",
            "I'm stuck",
            "I don't know, can you give me a hint?",
        ] {
            assert_eq!(read(hedge), Intent::DontKnow, "{hedge}");
        }
        for attempt in [
            "I'm not sure, but I think it hashes the key into a bucket.",
            "Not sure, maybe a heap?",
        ] {
            assert_ne!(read(attempt), Intent::DontKnow, "{attempt}");
        }
    }
}
