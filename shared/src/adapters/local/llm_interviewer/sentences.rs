//! Holds the model's lead-in to what it is asked for: at most [`MAX_SENTENCES`] sentences, none of them a question.
//! The prompt says so, but a real small model (Qwen2.5-Coder 1.5B under llama.cpp) asked three or four questions of
//! its own before the bank's question, which left the candidate five questions in one turn and the report reading
//! one. Text is released a whole sentence at a time, so a question is dropped before any of it shows, and the lead-in
//! ends there: the bank's question follows.
//!
//! [`crate::voice::sentences::SentenceSplitter`] cuts the same stream for speech, but it also cuts at `:` and `;` and
//! tidies each sentence for the voice; here the model's text must show exactly as written, and a note's colon is not
//! a second sentence. Both read abbreviations the way the evaluator does ([`is_abbreviation`]).

use crate::tools::performance_evaluator::language::is_abbreviation;

/// The most sentences of lead-in before the question ("a sentence or two").
pub const MAX_SENTENCES: usize = 2;

/// Streamed lead-in text, released sentence by sentence.
#[derive(Debug, Default)]
pub struct SentenceGate {
    pending: String,
    released: usize,
    closed: bool,
}

impl SentenceGate {
    /// Adds text; returns the whole sentences that may now be shown. Once a sentence asks a question or
    /// [`MAX_SENTENCES`] are out, the gate is closed (see [`Self::is_closed`]) and releases nothing more.
    pub fn push(&mut self, text: &str) -> String {
        if self.closed {
            return String::new();
        }
        self.pending.push_str(text);
        let mut out = String::new();
        while let Some(end) = sentence_end(&self.pending) {
            let sentence: String = self.pending.drain(..end).collect();
            if !self.admit(&sentence, &mut out) {
                break;
            }
        }
        out
    }

    /// The stream ended: the last sentence, when it needs no full stop to be one and is not a question.
    pub fn finish(&mut self) -> String {
        let rest = std::mem::take(&mut self.pending);
        let mut out = String::new();
        if !self.closed && !rest.trim().is_empty() {
            self.admit(&rest, &mut out);
        }
        out
    }

    /// Whether the lead-in is over: a question came, or enough sentences were said.
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// Releases `sentence` into `out` unless it asks; false once the gate is closed.
    fn admit(&mut self, sentence: &str, out: &mut String) -> bool {
        if sentence.trim_end().ends_with('?') {
            self.closed = true;
            self.pending.clear();
            return false;
        }
        out.push_str(sentence);
        self.released += 1;
        if self.released >= MAX_SENTENCES {
            self.closed = true;
            self.pending.clear();
        }
        !self.closed
    }
}

/// Where the first complete sentence of `text` ends (after its mark and the blank that follows it): a full stop,
/// exclamation or question mark, or an ellipsis, followed by a blank. A mark at the very end may still be followed
/// by more ("3.5"), so it ends a sentence only once the next text comes, or at [`SentenceGate::finish`]; the full
/// stop of an abbreviation ("e.g.", "i.e.", an initial) ends none.
fn sentence_end(text: &str) -> Option<usize> {
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c == '.' && is_abbreviation(&text[..at]) {
            continue;
        }
        if matches!(c, '.' | '!' | '?' | '…') {
            // Closing quotes and brackets belong to the sentence they end.
            while let Some((_, '"' | '\'' | '”' | '’' | ')')) = chars.peek() {
                chars.next();
            }
            if let Some(&(i, next)) = chars.peek()
                && next.is_whitespace()
            {
                return Some(i + next.len_utf8());
            }
        } else if c == '\n' {
            return chars.peek().map(|&(i, _)| i).or(Some(text.len()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn through(deltas: &[&str]) -> (String, bool) {
        let mut gate = SentenceGate::default();
        let mut shown: String = deltas.iter().map(|d| gate.push(d)).collect();
        shown.push_str(&gate.finish());
        (shown, gate.is_closed())
    }

    #[test]
    fn a_question_of_the_model_s_own_is_dropped_before_any_of_it_shows() {
        // As the real model streamed it.
        let (shown, closed) = through(&[
            "That's great! Could you",
            " please explain how tracing",
            " a small example helps? Thanks.",
        ]);
        assert_eq!(shown, "That's great! ");
        assert!(closed);
    }

    #[test]
    fn at_most_two_sentences_are_said() {
        let (shown, closed) = through(&[
            "Thank you for joining, Ada. I look forward to ",
            "four questions together. Take your time and think out loud!",
        ]);
        assert_eq!(
            shown,
            "Thank you for joining, Ada. I look forward to four questions together. "
        );
        assert!(closed);
    }

    #[test]
    fn a_sentence_shows_whole_and_a_last_one_needs_no_full_stop() {
        let mut gate = SentenceGate::default();
        assert_eq!(gate.push("Thanks for walking me"), "");
        assert_eq!(gate.push(" through that"), "");
        assert_eq!(gate.finish(), "Thanks for walking me through that");
        assert!(!gate.is_closed());
    }

    #[test]
    fn a_decimal_or_an_abbreviation_does_not_end_a_sentence() {
        let (shown, closed) =
            through(&["A load factor of 0.", "75, e.g. in Java, is the default. "]);
        assert_eq!(
            shown,
            "A load factor of 0.75, e.g. in Java, is the default. "
        );
        assert!(!closed, "one sentence");
        let (shown, _) = through(&["Nice: that runs in O(n log n) time."]);
        assert_eq!(shown, "Nice: that runs in O(n log n) time.");
        // A name with a dot of its own still ends its sentence.
        let (shown, _) = through(&["You chose Node.js. It fits. And more."]);
        assert_eq!(shown, "You chose Node.js. It fits. ");
    }
}
