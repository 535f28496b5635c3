//! Word error rate: how far a transcript is from what was said, the figure speech recognition is judged by.

/// Lower-case words without punctuation, so "Cache," and "cache" are the same word; digits are kept as said.
pub fn normalised_words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric() || *c == '\'')
                .flat_map(char::to_lowercase)
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// Word-level edit distance (substitutions, insertions, deletions) between `reference` and `hypothesis`, after
/// [`normalised_words`].
pub fn word_errors(reference: &str, hypothesis: &str) -> (usize, usize) {
    let r = normalised_words(reference);
    let h = normalised_words(hypothesis);
    let mut row: Vec<usize> = (0..=h.len()).collect();
    for (i, rw) in r.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, hw) in h.iter().enumerate() {
            let substitute = diagonal + usize::from(rw != hw);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(diagonal + 1);
        }
    }
    (row[h.len()], r.len())
}

/// Errors over reference words, for a set of (reference, hypothesis) pairs.
pub fn word_error_rate<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> f64 {
    let (errors, words) = pairs
        .into_iter()
        .map(|(r, h)| word_errors(r, h))
        .fold((0, 0), |(e, w), (de, dw)| (e + de, w + dw));
    if words == 0 {
        0.0
    } else {
        errors as f64 / words as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_and_case_are_not_errors() {
        assert_eq!(
            word_errors("I would use a cache.", "i would use a Cache"),
            (0, 5)
        );
    }

    #[test]
    fn substitutions_insertions_and_deletions_count_once_each() {
        assert_eq!(
            word_errors("put a cache in front", "put a cash in front"),
            (1, 5)
        );
        assert_eq!(word_errors("put a cache", "put a big cache"), (1, 3));
        assert_eq!(word_errors("put a cache", "put cache"), (1, 3));
        assert_eq!(word_errors("a b", ""), (2, 2));
        let rate = word_error_rate([("a b c d", "a b c x"), ("e f g h", "e f g h")]);
        assert!((rate - 0.125).abs() < 1e-9);
    }
}
