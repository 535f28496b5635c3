//! Keeps the model from reciting a key point the candidate has not made. The prompt tells it not to; this makes
//! sure: a key point, or any run of [`RUN_WORDS`] words of a longer one, ends the model's text, and streamed text
//! is held back by that many words so the run is caught before any of it reaches the candidate.

/// Words of a key point, in a row, that count as reciting it: long enough not to occur by chance in a sentence
/// of encouragement, short enough that the stream is held back only a few words.
const RUN_WORDS: usize = 6;

/// The model's text wrote out a key point (word for word, ignoring case and punctuation).
#[derive(Debug, thiserror::Error)]
#[error("the model's reply recites a key point")]
pub struct Recited;

/// Streamed text, checked against the key points before it is released.
pub struct RecitationGuard {
    phrases: Vec<Vec<String>>,
    /// Words held back: the longest phrase's length.
    window: usize,
    text: String,
    released: usize,
}

impl RecitationGuard {
    /// Guards against `key_points` (those without any word are ignored).
    pub fn new(key_points: &[String]) -> Self {
        let phrases: Vec<Vec<String>> = key_points
            .iter()
            .map(|p| words(p).into_iter().map(|(_, w)| w).collect::<Vec<_>>())
            .flat_map(|w| {
                if w.len() <= RUN_WORDS {
                    vec![w]
                } else {
                    w.windows(RUN_WORDS).map(<[String]>::to_vec).collect()
                }
            })
            .filter(|w| !w.is_empty())
            .collect();
        let window = phrases.iter().map(Vec::len).max().unwrap_or(0);
        Self {
            phrases,
            window,
            text: String::new(),
            released: 0,
        }
    }

    /// Adds streamed text; returns what may now be shown, or [`Recited`] once the text holds a key point.
    pub fn push(&mut self, delta: &str) -> Result<String, Recited> {
        self.text.push_str(delta);
        let words = words(&self.text);
        let said: Vec<&str> = words.iter().map(|(_, w)| w.as_str()).collect();
        if self.phrases.iter().any(|p| {
            said.windows(p.len())
                .any(|w| w.iter().copied().eq(p.iter().map(String::as_str)))
        }) {
            return Err(Recited);
        }
        // A key point not yet complete can only end at the last word (still growing) or later, so it starts
        // within the last `window` words: everything before them is safe.
        let safe = if self.window == 0 {
            self.text.len()
        } else if words.len() >= self.window {
            words[words.len() - self.window].0
        } else {
            0
        };
        Ok(self.release(safe))
    }

    /// The stream ended (every word is whole and was checked by [`Self::push`]): the rest of the text.
    pub fn finish(&mut self) -> String {
        self.release(self.text.len())
    }

    fn release(&mut self, upto: usize) -> String {
        if upto <= self.released {
            return String::new();
        }
        let out = self.text[self.released..upto].to_owned();
        self.released = upto;
        out
    }
}

/// The words of `text` (runs of letters and digits, lowercased) with their byte offsets.
fn words(text: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            current
                .get_or_insert_with(|| (i, String::new()))
                .1
                .extend(c.to_lowercase());
        } else if let Some(word) = current.take() {
            out.push(word);
        }
    }
    out.extend(current);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard() -> RecitationGuard {
        RecitationGuard::new(&["Hashing keys to buckets".to_owned()])
    }

    #[test]
    fn a_key_point_split_across_deltas_is_caught_before_any_of_it_shows() {
        let mut g = guard();
        let mut shown = String::new();
        for delta in ["Nice start. ", "You mentioned ", "HASHING keys ", "to buck"] {
            shown.push_str(&g.push(delta).unwrap());
        }
        assert!(g.push("ets.").is_err());
        assert!(!shown.to_lowercase().contains("hashing"), "{shown}");
    }

    #[test]
    fn part_of_a_long_key_point_is_caught_and_only_a_few_words_are_held() {
        let mut g = RecitationGuard::new(&[
            "Keeps a stack of indexes with values in monotonic order and pops when resolved"
                .to_owned(),
        ]);
        let shown = g.push("Right, you would keep it simple and ").unwrap();
        assert_eq!(shown, "Right, ", "the last six words wait");
        assert!(
            g.push("say: a stack of indexes with values in order.")
                .is_err()
        );
    }

    #[test]
    fn ordinary_text_is_all_released() {
        let mut g = guard();
        let mut shown = g.push("Thanks, that's a clear ").unwrap();
        shown.push_str(&g.push("explanation of the basics.").unwrap());
        shown.push_str(&g.finish());
        assert_eq!(shown, "Thanks, that's a clear explanation of the basics.");
    }
}
