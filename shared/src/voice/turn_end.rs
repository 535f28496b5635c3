//! Whether a spoken answer stopped at the end of a thought or only paused. Hands-free turn taking ends an utterance
//! after a short silence, and candidates pause mid-sentence to think ("…with weighted cells I'd switch to the").
//! An interviewer who answers that half sentence talks over the candidate, and a follow-up asked into the pause
//! makes the rest of the answer look prompted. A sentence that stops on a word no English sentence ends on is
//! left open: the interviewer only says [`GO_ON`] and answers once the thought is complete, all of it at once.

use serde_json::Value;

use crate::domain::{HeldChange, HeldLine, Role, Source, TranscriptEntry};

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
    /// A spoken answer left open: say [`GO_ON`] and hold this line.
    Hold(HeldLine),
    /// Answer `text`, which includes the lines held when `change` says so.
    Answer {
        text: String,
        change: Option<HeldChange>,
    },
}

/// The most characters an answer heard with its held lines may have. InvokeAgent takes at most 25,000 characters
/// of `inputText` (the Bedrock Agents runtime API reference); a typed answer has at most 10,000 and a spoken one
/// 120 s of speech, and the oldest held lines give way first (they stay in the transcript, which the report reads).
pub const MAX_HEARD_CHARS: usize = 20_000;

/// First words of a question that stands on its own, asked while a sentence was held ("Sorry, can moves be
/// diagonal?"); a question that does not open so ("…input fits in memory?") finishes the sentence held.
const QUESTION_OPENERS: &[&str] = &[
    "what", "how", "why", "when", "where", "which", "who", "whom", "can", "could", "should",
    "would", "is", "are", "am", "was", "were", "do", "does", "did", "will", "may", "might",
    "shall", "sorry", "wait", "excuse",
];

/// Decides on the candidate's answer `text`, the transcript's latest candidate line with that text, given the
/// lines `held` so far (see [`crate::domain::Turns::held`]). A question that stands on its own is answered on its
/// own, and what was held waits for the answer that completes it; a copy of a held line sent again is not heard
/// twice.
pub fn heard(transcript: &[TranscriptEntry], held: &[HeldLine], text: &str) -> Heard {
    let text = text.trim();
    let entry = transcript
        .iter()
        .rev()
        .find(|e| e.role == Role::User && e.text.trim() == text);
    let line = HeldLine {
        text: text.to_owned(),
        message: entry.and_then(|e| e.message_id.clone()),
    };
    let by_silence = entry.is_some_and(|e| {
        e.source == Source::Voice
            && e.extra.get(ENDED_BY).and_then(Value::as_str) == Some(BY_SILENCE)
    });
    if by_silence && left_open(text) && held.len() < MAX_HELD {
        return Heard::Hold(line);
    }
    // The newest lines first, as many as fit beside `text` in what the interviewer is sent.
    let mut room = MAX_HEARD_CHARS.saturating_sub(text.chars().count());
    let mut earlier: Vec<&str> = held
        .iter()
        .rev()
        .filter(|h| line.message.is_none() || h.message != line.message)
        .map(|h| h.text.as_str())
        .take_while(|h| {
            let fits = h.chars().count() < room;
            room = room.saturating_sub(h.chars().count() + 1);
            fits
        })
        .collect();
    earlier.reverse();
    if earlier.is_empty() || (text.ends_with('?') && asks_on_its_own(text)) {
        return Heard::Answer {
            text: text.to_owned(),
            change: None,
        };
    }
    let mut whole = earlier.join(" ");
    whole.push(' ');
    whole.push_str(text);
    Heard::Answer {
        text: whole,
        change: Some(HeldChange::Heard(line)),
    }
}

fn asks_on_its_own(text: &str) -> bool {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .find(|w| !w.is_empty())
        .is_some_and(|w| QUESTION_OPENERS.contains(&w.to_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::MessageId;
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

    fn line(role: Role, text: &str, id: &str, by_silence: bool) -> TranscriptEntry {
        let mut extra = serde_json::Map::new();
        if by_silence {
            extra.insert(ENDED_BY.into(), BY_SILENCE.into());
        }
        TranscriptEntry {
            role,
            text: text.to_owned(),
            timestamp: Utc::now(),
            source: if by_silence {
                Source::Voice
            } else {
                Source::Text
            },
            reply_kind: None,
            message_id: MessageId::parse(id).ok(),
            extra,
        }
    }

    fn held(text: &str, id: &str) -> HeldLine {
        HeldLine {
            text: text.to_owned(),
            message: MessageId::parse(id).ok(),
        }
    }

    #[test]
    fn an_open_answer_ended_by_silence_is_held_and_answered_with_what_follows() {
        let first = "I'd run a breadth-first search from the";
        assert_eq!(
            heard(&[line(Role::User, first, "u1", true)], &[], first),
            Heard::Hold(held(first, "u1"))
        );
        // Let go of on purpose, or typed, the same words are answered as they are.
        let mut spoken = line(Role::User, first, "u1", true);
        spoken.extra.clear();
        for sent in [spoken, line(Role::User, first, "m1", false)] {
            assert_eq!(
                heard(&[sent], &[], first),
                Heard::Answer {
                    text: first.to_owned(),
                    change: None
                }
            );
        }
        let kept = [held(first, "u1")];
        let rest = "start cell, level by level.";
        assert_eq!(
            heard(&[line(Role::User, rest, "u2", true)], &kept, rest),
            Heard::Answer {
                text: format!("{first} {rest}"),
                change: Some(HeldChange::Heard(held(rest, "u2")))
            }
        );
        // A copy of a line already held (sent again after its turn failed) is heard once.
        let failed = [held(first, "u1"), held(rest, "u2")];
        assert_eq!(
            heard(&[line(Role::User, rest, "u2", true)], &failed, rest),
            Heard::Answer {
                text: format!("{first} {rest}"),
                change: Some(HeldChange::Heard(held(rest, "u2")))
            }
        );
    }

    #[test]
    fn a_question_is_answered_alone_only_when_it_stands_alone() {
        let kept = [held("Can I assume that the", "u1")];
        let separate = "Sorry, can moves be diagonal?";
        assert_eq!(
            heard(&[line(Role::User, separate, "u2", true)], &kept, separate),
            Heard::Answer {
                text: separate.to_owned(),
                change: None
            }
        );
        let finishing = "Input fits in memory?";
        assert_eq!(
            heard(&[line(Role::User, finishing, "u2", true)], &kept, finishing),
            Heard::Answer {
                text: format!("Can I assume that the {finishing}"),
                change: Some(HeldChange::Heard(held(finishing, "u2")))
            }
        );
    }

    #[test]
    fn what_the_interviewer_is_sent_stays_within_the_agent_s_input_limit() {
        // Held lines pile up when turns keep failing (each failed turn keeps the line that completed them).
        let long = "word ".repeat(1_000);
        let kept: Vec<HeldLine> = (0..8)
            .map(|i| held(&format!("{i} {long}"), &format!("u{i}")))
            .collect();
        let text = "x ".repeat(4_000);
        let Heard::Answer { text: sent, .. } =
            heard(&[line(Role::User, &text, "u9", true)], &kept, &text)
        else {
            panic!("answered")
        };
        assert!(sent.chars().count() <= MAX_HEARD_CHARS, "{}", sent.len());
        // The newest held lines that fit (two of about 5,000 characters beside 8,000) are kept, in order, and the
        // answer is whole.
        assert!(
            sent.starts_with("6 word") && sent.ends_with(text.trim()),
            "{}",
            &sent[..40]
        );
    }

    #[test]
    fn the_interviewer_waits_at_most_twice_in_a_row() {
        let mut kept = Vec::new();
        for (i, open) in ["I built the", "payment service and", "the"]
            .iter()
            .enumerate()
        {
            let id = format!("u{i}");
            let spoken = [line(Role::User, open, &id, true)];
            if kept.len() < MAX_HELD {
                assert_eq!(heard(&spoken, &kept, open), Heard::Hold(held(open, &id)));
                kept.push(held(open, &id));
            } else {
                assert_eq!(
                    heard(&spoken, &kept, open),
                    Heard::Answer {
                        text: "I built the payment service and the".to_owned(),
                        change: Some(HeldChange::Heard(held(open, &id)))
                    }
                );
            }
        }
    }
}
