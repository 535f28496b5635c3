//! Matching key-point keywords in free text, tolerant of punctuation, case and simple inflection.

/// Lowercase words separated by single spaces, every non-alphanumeric character a separator, padded with a space
/// on both sides so phrase matches can anchor on word starts.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push(' ');
    let mut last_space = true;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '+' || c == '#' {
            out.push(c);
            last_space = false;
        } else if !last_space {
            out.push(' ');
            last_space = true;
        }
    }
    if !last_space {
        out.push(' ');
    }
    out
}

/// Whether `keyword` occurs in already-normalised `text` starting at a word boundary. Keywords of four or more
/// characters also match inflected forms ("hash" in "hashing"); short ones must match whole words, so "go" is not
/// found in "good".
pub fn contains_keyword(normalised_text: &str, keyword: &str) -> bool {
    !keyword_starts(normalised_text, keyword).is_empty()
}

/// Where `keyword` occurs in already-normalised `text` (byte offsets of the word it starts), by the rules of
/// [`contains_keyword`].
pub fn keyword_starts(normalised_text: &str, keyword: &str) -> Vec<usize> {
    let kw = normalise(keyword);
    let kw = kw.trim();
    let mut found = Vec::new();
    if kw.is_empty() {
        return found;
    }
    let needle = format!(" {kw}");
    let mut from = 0;
    while let Some(at) = normalised_text[from..].find(&needle) {
        let end = from + at + needle.len();
        let next = normalised_text[end..].chars().next();
        match next {
            Some(' ') | None => found.push(from + at + 1),
            Some(_) if kw.chars().count() >= 4 => found.push(from + at + 1),
            Some(_) => {}
        }
        from = end;
    }
    found
}

/// The words of already-normalised text.
pub fn tokens(normalised_text: &str) -> Vec<&str> {
    normalised_text.split_whitespace().collect()
}

/// Whether `phrase` (words) starts `words`.
pub fn starts_with_words(words: &[&str], phrase: &[&str]) -> bool {
    words.len() >= phrase.len() && words.iter().zip(phrase).all(|(w, p)| w == p)
}

/// The sentences of a text, split after `.`, `!`, `?` and line breaks, trimmed, empty ones dropped. A full stop
/// inside a word ("list.pop", "3.5") does not end a sentence.
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let ends = match c {
            '!' | '?' | '\n' => true,
            '.' => next.is_none_or(char::is_whitespace),
            _ => false,
        };
        if ends {
            let end = i + c.len_utf8();
            let sentence = text[start..end].trim();
            if !sentence.is_empty() {
                out.push(sentence);
            }
            start = end;
        }
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

/// Content words of a text (for retrieval): normalised tokens minus common English stop words.
pub fn content_words(text: &str) -> Vec<String> {
    normalise(text)
        .split_whitespace()
        .filter(|w| w.chars().count() > 1 && !STOP_WORDS.contains(w))
        .map(str::to_owned)
        .collect()
}

const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "could", "did", "do", "does",
    "for", "from", "had", "has", "have", "how", "i", "if", "in", "into", "is", "it", "its", "me",
    "my", "of", "on", "or", "our", "should", "so", "than", "that", "the", "their", "them", "then",
    "there", "these", "they", "this", "to", "was", "we", "what", "when", "where", "which", "who",
    "why", "will", "with", "would", "you", "your",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_match_on_word_starts() {
        let text = normalise(
            "I'd use a HashMap, hashing keys into buckets; lookups are O(1) on average. Good.",
        );
        assert!(contains_keyword(&text, "hash"));
        assert!(contains_keyword(&text, "o(1)"));
        assert!(contains_keyword(&text, "bucket"));
        assert!(!contains_keyword(&text, "go"));
        assert!(!contains_keyword(&text, "ash"));
        assert!(contains_keyword(&normalise("C++ and C#"), "c++"));
    }

    #[test]
    fn sentences_split_on_terminators_but_not_inside_words() {
        assert_eq!(
            sentences("Use list.pop(0)? No. Use a deque!\nDone"),
            ["Use list.pop(0)?", "No.", "Use a deque!", "Done"]
        );
    }
}
