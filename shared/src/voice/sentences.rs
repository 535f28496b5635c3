//! Cuts the interviewer's streaming reply into sentences, so each can be spoken as soon as it is complete instead
//! of after the whole reply.

use crate::tools::performance_evaluator::language::is_abbreviation;

/// Polly bills and accepts at most 3,000 characters per request; we cut long runs well before that.
pub const MAX_SENTENCE_CHARS: usize = 600;

/// Accumulates streamed text and hands out finished sentences in order.
#[derive(Debug, Default)]
pub struct SentenceSplitter {
    pending: String,
}

impl SentenceSplitter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a chunk; returns the sentences it completed.
    pub fn push(&mut self, chunk: &str) -> Vec<String> {
        self.pending.push_str(chunk);
        let mut out = Vec::new();
        while let Some(end) = self.sentence_end() {
            let rest = self.pending.split_off(end);
            let sentence = std::mem::replace(&mut self.pending, rest);
            push_sentence(&mut out, &sentence);
        }
        out
    }

    /// The text left when the reply ends.
    pub fn finish(&mut self) -> Vec<String> {
        let mut out = Vec::new();
        let rest = std::mem::take(&mut self.pending);
        push_sentence(&mut out, &rest);
        out
    }

    /// Byte offset just past the first complete sentence (its terminator and following space), if any. A
    /// terminator at the very end of the pending text waits for the next chunk: "3." may become "3.5".
    fn sentence_end(&self) -> Option<usize> {
        let text = &self.pending;
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let next = chars.peek().map(|&(_, n)| n);
            let boundary = match c {
                '\n' => next.is_some(),
                '.' | '!' | '?' | ':' | ';' => {
                    next.is_some_and(char::is_whitespace)
                        && !(c == '.' && is_abbreviation(&text[..i]))
                }
                _ => false,
            };
            if boundary {
                let mut end = i + c.len_utf8();
                while let Some(&(j, n)) = chars.peek() {
                    if !n.is_whitespace() {
                        break;
                    }
                    end = j + n.len_utf8();
                    chars.next();
                }
                // Closing quotes or brackets belong to the sentence they end; a lone space run at the end is
                // still pending (the next chunk may start a new sentence or not).
                if end < text.len() {
                    return Some(end);
                }
                return None;
            }
            if i >= MAX_SENTENCE_CHARS && c.is_whitespace() {
                return Some(i + c.len_utf8());
            }
        }
        None
    }
}

/// Keeps a sentence worth saying: trimmed, with something pronounceable in it; code-like markdown is dropped.
fn push_sentence(out: &mut Vec<String>, raw: &str) {
    let cleaned: String = raw
        .chars()
        .filter(|c| !matches!(c, '*' | '`' | '#'))
        .map(|c| if c == '_' { ' ' } else { c })
        .collect();
    let cleaned = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    if cleaned.chars().any(char::is_alphanumeric) {
        out.push(cleaned);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_streamed(chunks: &[&str]) -> Vec<String> {
        let mut splitter = SentenceSplitter::new();
        let mut out: Vec<String> = chunks.iter().flat_map(|c| splitter.push(c)).collect();
        out.extend(splitter.finish());
        out
    }

    #[test]
    fn sentences_come_out_as_soon_as_they_end() {
        let mut splitter = SentenceSplitter::new();
        assert!(splitter.push("Hello Ada").is_empty());
        assert_eq!(splitter.push(". Tell me "), vec!["Hello Ada."]);
        assert!(splitter.push("about a project").is_empty());
        assert_eq!(
            splitter.push("? Take your time"),
            vec!["Tell me about a project?"]
        );
        assert_eq!(splitter.finish(), vec!["Take your time"]);
    }

    #[test]
    fn chunk_boundaries_do_not_change_the_result() {
        let text = "Good answer! The cost is O(n log n), e.g. for 3.5 million rows. Next: design a cache.\n\
                    What would you evict first?";
        let whole = split_streamed(&[text]);
        assert_eq!(
            whole,
            vec![
                "Good answer!",
                "The cost is O(n log n), e.g. for 3.5 million rows.",
                "Next:",
                "design a cache.",
                "What would you evict first?"
            ]
        );
        let by_char: Vec<String> = text.chars().map(String::from).collect();
        let by_char: Vec<&str> = by_char.iter().map(String::as_str).collect();
        assert_eq!(split_streamed(&by_char), whole);
    }

    #[test]
    fn markdown_and_empty_pieces_are_not_spoken() {
        assert_eq!(
            split_streamed(&["**Problem:** `two_sum`.\n\n---\n", "Ready?"]),
            vec!["Problem: two sum.", "Ready?"]
        );
    }

    #[test]
    fn a_run_without_punctuation_is_cut_at_a_space() {
        let long = "word ".repeat(400);
        let parts = split_streamed(&[&long]);
        assert!(parts.len() >= 3, "{}", parts.len());
        assert!(parts.iter().all(|p| p.len() <= MAX_SENTENCE_CHARS + 10));
        assert_eq!(parts.join(" "), long.trim());
    }
}
