//! Whether a spoken answer stopped at the end of a thought or only paused. Hands-free turn taking ends an utterance
//! after a short silence, and candidates pause mid-sentence to think ("…with weighted cells I'd switch to the").
//! An interviewer who answers that half sentence talks over the candidate, and a follow-up asked into the pause
//! makes the rest of the answer look prompted. A sentence that stops on a word no English sentence ends on is
//! left open: the interviewer only says [`GO_ON`] and answers once the thought is complete, all of it at once.

use crate::domain::{ReplyKind, Role, Source, TranscriptEntry};

/// What the interviewer says to an answer left open: a backchannel, marked as a remark so neither the client nor
/// the report takes it for a question.
pub const GO_ON: &str = "Mm-hm, go on.";

/// The most times in a row the interviewer waits for the rest of an answer: a candidate whose every utterance
/// stops on "the" is answered after the third.
pub const MAX_HELD: usize = 2;

/// Words an English sentence does not end on: articles, possessive determiners, conjunctions that join what comes
/// next, "of", and hesitation sounds. Closed-class words only, so no subject matter decides it. Words that can end
/// a sentence ("to": "I wanted to"; "with": "what I'd go with"; "so": "I think so") are left out.
const NEVER_LAST: &[&str] = &[
    "a", "an", "the", "my", "our", "their", "your", "its", "and", "or", "but", "because", "of",
    "if", "than", "whether", "whose", "um", "uh", "er", "erm", "umm", "uhm",
];

/// Whether `text`, a transcribed utterance, stops where a sentence cannot end: on a comma or dash, or on one of
/// [`NEVER_LAST`] (a transcriber's full stop after it is not an end). A question or an exclamation is complete.
pub fn left_open(text: &str) -> bool {
    let text = text.trim_end();
    if text.ends_with(['?', '!']) {
        return false;
    }
    if text.ends_with([',', '-', '–', '—', '…']) || text.ends_with("...") {
        return true;
    }
    let last = text
        .trim_end_matches(['.', ' '])
        .rsplit(|c: char| !(c.is_alphanumeric() || c == '\''))
        .next()
        .unwrap_or("")
        .to_lowercase();
    NEVER_LAST.contains(&last.as_str())
}

/// What the interviewer should do with the candidate's answer `text`, the transcript's latest line with that text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Heard {
    /// A spoken answer left open: say [`GO_ON`] and wait for the rest.
    Hold,
    /// Answer this: the answer with whatever was held before it, in the order said.
    Answer(String),
}

/// Decides on `text` from the transcript: the candidate lines since the interviewer last said more than
/// [`GO_ON`] are one answer.
pub fn heard(transcript: &[TranscriptEntry], text: &str) -> Heard {
    let text = text.trim();
    let Some(at) = transcript
        .iter()
        .rposition(|e| e.role == Role::User && e.text.trim() == text)
    else {
        return Heard::Answer(text.to_owned());
    };
    let start = transcript[..at]
        .iter()
        .rposition(|e| e.role != Role::User && !is_go_on(e))
        .map_or(0, |i| i + 1);
    let since = &transcript[start..at];
    let held = since.iter().filter(|e| is_go_on(e)).count();
    if transcript[at].source == Source::Voice && left_open(text) && held < MAX_HELD {
        return Heard::Hold;
    }
    let parts: Vec<&str> = since
        .iter()
        .filter(|e| e.role == Role::User)
        .map(|e| e.text.trim())
        .chain(std::iter::once(text))
        .collect();
    Heard::Answer(parts.join(" "))
}

fn is_go_on(entry: &TranscriptEntry) -> bool {
    entry.role == Role::Assistant
        && entry.reply_kind == Some(ReplyKind::Remark)
        && entry.text.trim() == GO_ON
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    #[test]
    fn a_sentence_that_stops_on_a_word_no_sentence_ends_on_is_open() {
        for open in [
            "With weighted cells I would switch to the",
            "With weighted cells I would switch to the.",
            "I'd keep a queue of the cells and",
            "It depends on the size of.",
            "So I would use um",
            "First I would sort the input,",
            "I'd cache it -",
        ] {
            assert!(left_open(open), "{open}");
        }
        for complete in [
            "I would use Dijkstra with a priority queue.",
            "That's the one I'd go with.",
            "I think so",
            "It is what I wanted to.",
            "Would you like the whole thing?",
            "",
        ] {
            assert!(!left_open(complete), "{complete}");
        }
    }

    fn line(role: Role, text: &str, source: Source, kind: Option<ReplyKind>) -> TranscriptEntry {
        TranscriptEntry {
            role,
            text: text.to_owned(),
            timestamp: Utc::now(),
            source,
            reply_kind: kind,
            message_id: None,
            extra: Default::default(),
        }
    }

    #[test]
    fn an_open_answer_is_held_and_answered_whole_with_what_follows() {
        let question = line(
            Role::Assistant,
            "How would you find the shortest path?",
            Source::Agent,
            Some(ReplyKind::Question),
        );
        let first = "I'd run a breadth-first search from the";
        let mut transcript = vec![question, line(Role::User, first, Source::Voice, None)];
        assert_eq!(heard(&transcript, first), Heard::Hold);
        // Typed, the same words are sent on purpose: answered as they are.
        let mut typed = transcript.clone();
        typed[1].source = Source::Text;
        assert_eq!(heard(&typed, first), Heard::Answer(first.to_owned()));

        transcript.push(line(
            Role::Assistant,
            GO_ON,
            Source::Agent,
            Some(ReplyKind::Remark),
        ));
        let rest = "start cell, level by level.";
        transcript.push(line(Role::User, rest, Source::Voice, None));
        assert_eq!(
            heard(&transcript, rest),
            Heard::Answer(format!("{first} {rest}"))
        );
    }

    #[test]
    fn the_interviewer_waits_at_most_twice_in_a_row() {
        let mut transcript = vec![line(
            Role::Assistant,
            "Tell me about a project.",
            Source::Agent,
            Some(ReplyKind::Question),
        )];
        for (i, open) in ["I built the", "payment service and", "the"]
            .iter()
            .enumerate()
        {
            transcript.push(line(Role::User, open, Source::Voice, None));
            if i < MAX_HELD {
                assert_eq!(heard(&transcript, open), Heard::Hold);
                transcript.push(line(
                    Role::Assistant,
                    GO_ON,
                    Source::Agent,
                    Some(ReplyKind::Remark),
                ));
            } else {
                assert_eq!(
                    heard(&transcript, open),
                    Heard::Answer("I built the payment service and the".to_owned())
                );
            }
        }
    }
}
