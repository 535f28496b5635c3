//! Whether a spoken answer stopped at the end of a thought or only paused. Hands-free turn taking ends an utterance
//! after a short silence, and candidates pause mid-sentence to think ("…with weighted cells I'd switch to the").
//! An interviewer who answers that half sentence talks over the candidate, and a follow-up asked into the pause
//! makes the rest of the answer look prompted. A sentence that stops on a word no English sentence ends on is
//! left open: the interviewer only says [`GO_ON`] and answers once the thought is complete, all of it at once.

use serde_json::Value;

use crate::domain::{Role, Source, TranscriptEntry};

/// What the interviewer says to an answer left open: a backchannel, marked as a remark so neither the client nor
/// the report takes it for a question.
pub const GO_ON: &str = "Mm-hm, go on.";

/// The most times in a row the interviewer waits for the rest of an answer: a candidate whose every utterance
/// stops on "the" is answered after the third.
pub const MAX_HELD: usize = 2;

/// The transcript field of a spoken answer whose end the client's voice-activity detection chose after a silence
/// (hands-free), with the value [`BY_SILENCE`]. Push-to-talk answers end where the candidate let go, on purpose, and
/// are never held.
pub const ENDED_BY: &str = "ended_by";
pub const BY_SILENCE: &str = "silence";

/// Words an English sentence does not end on: articles, possessive determiners, and conjunctions that join what
/// comes next. Closed-class words only, so no subject matter decides it. Words that can end a sentence ("of": "what
/// I'm proud of"; "to": "I wanted to"; "with": "what I'd go with"; "so": "I think so") and hesitations ("that's my
/// answer, um") are left out: a wrong hold keeps a candidate who had finished waiting for a reply.
pub const NEVER_LAST: &[&str] = &[
    "a", "an", "the", "my", "our", "their", "your", "its", "and", "or", "but", "because", "if",
    "than", "whether", "whose",
];

/// Whether `text`, a transcribed utterance, stops where a sentence cannot end: on a comma or a dash, or on one of
/// [`NEVER_LAST`] (a transcriber's full stop after it is not an end; a capital "A" is a grade or an option, not the
/// article). A question or an exclamation is complete.
pub fn left_open(text: &str) -> bool {
    let text = text.trim_end();
    if text.ends_with(['?', '!']) {
        return false;
    }
    if text.ends_with([',', '-', '–', '—']) {
        return true;
    }
    let last = text
        .trim_end_matches(['.', ' '])
        .rsplit(|c: char| !(c.is_alphanumeric() || c == '\''))
        .next()
        .unwrap_or("");
    last != "A" && NEVER_LAST.contains(&last.to_lowercase().as_str())
}

/// What the interviewer should do with the candidate's answer `text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Heard {
    /// A spoken answer left open: say [`GO_ON`] and keep `text` with what is held.
    Hold,
    /// Answer `text`; `with_held` when it includes what was held, which is then done with.
    Answer { text: String, with_held: bool },
}

/// Decides on the candidate's answer `text`, the transcript's latest candidate line with that text, given the
/// answers `held` so far. A question asked meanwhile ("Sorry, can moves be diagonal?") is answered on its own, and
/// what was held waits for the answer that completes it.
pub fn heard(transcript: &[TranscriptEntry], held: &[String], text: &str) -> Heard {
    let text = text.trim();
    let by_silence = transcript
        .iter()
        .rev()
        .find(|e| e.role == Role::User && e.text.trim() == text)
        .is_some_and(|e| {
            e.source == Source::Voice
                && e.extra.get(ENDED_BY).and_then(Value::as_str) == Some(BY_SILENCE)
        });
    if by_silence && left_open(text) && held.len() < MAX_HELD {
        return Heard::Hold;
    }
    if held.is_empty() || text.ends_with('?') {
        return Heard::Answer {
            text: text.to_owned(),
            with_held: false,
        };
    }
    let mut whole = held.join(" ");
    whole.push(' ');
    whole.push_str(text);
    Heard::Answer {
        text: whole,
        with_held: true,
    }
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
            "It depends on the size of their",
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
            "That's the part I'm most proud of.",
            "I'd go with option A.",
            "That's my answer, um.",
            "I'd use a hash map...",
            "Would you like the whole thing?",
            "",
        ] {
            assert!(!left_open(complete), "{complete}");
        }
    }

    fn line(role: Role, text: &str, source: Source, by_silence: bool) -> TranscriptEntry {
        let mut extra = serde_json::Map::new();
        if by_silence {
            extra.insert(ENDED_BY.into(), BY_SILENCE.into());
        }
        TranscriptEntry {
            role,
            text: text.to_owned(),
            timestamp: Utc::now(),
            source,
            reply_kind: None,
            message_id: None,
            extra,
        }
    }

    #[test]
    fn an_open_answer_ended_by_silence_is_held_and_answered_with_what_follows() {
        let first = "I'd run a breadth-first search from the";
        let spoken = vec![line(Role::User, first, Source::Voice, true)];
        assert_eq!(heard(&spoken, &[], first), Heard::Hold);
        // Let go of on purpose, or typed, the same words are answered as they are.
        for sent in [
            line(Role::User, first, Source::Voice, false),
            line(Role::User, first, Source::Text, false),
        ] {
            assert_eq!(
                heard(&[sent], &[], first),
                Heard::Answer {
                    text: first.to_owned(),
                    with_held: false
                }
            );
        }
        let held = [first.to_owned()];
        let rest = "start cell, level by level.";
        assert_eq!(
            heard(&[line(Role::User, rest, Source::Voice, true)], &held, rest),
            Heard::Answer {
                text: format!("{first} {rest}"),
                with_held: true
            }
        );
        // A question meanwhile is answered alone; what was held waits.
        let question = "Sorry, can moves be diagonal?";
        assert_eq!(
            heard(
                &[line(Role::User, question, Source::Voice, true)],
                &held,
                question
            ),
            Heard::Answer {
                text: question.to_owned(),
                with_held: false
            }
        );
    }

    #[test]
    fn the_interviewer_waits_at_most_twice_in_a_row() {
        let mut held = Vec::new();
        for open in ["I built the", "payment service and", "the"] {
            let spoken = [line(Role::User, open, Source::Voice, true)];
            if held.len() < MAX_HELD {
                assert_eq!(heard(&spoken, &held, open), Heard::Hold);
                held.push(open.to_owned());
            } else {
                assert_eq!(
                    heard(&spoken, &held, open),
                    Heard::Answer {
                        text: "I built the payment service and the".to_owned(),
                        with_held: true
                    }
                );
            }
        }
    }
}
