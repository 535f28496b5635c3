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
    let kw = normalise(keyword);
    let kw = kw.trim();
    if kw.is_empty() {
        return false;
    }
    let needle = format!(" {kw}");
    let mut from = 0;
    while let Some(at) = normalised_text[from..].find(&needle) {
        let end = from + at + needle.len();
        let next = normalised_text[end..].chars().next();
        match next {
            Some(' ') | None => return true,
            Some(_) if kw.chars().count() >= 4 => return true,
            Some(_) => {}
        }
        from = end;
    }
    false
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
}
