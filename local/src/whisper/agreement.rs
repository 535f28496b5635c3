//! Local agreement (the policy of whisper-streaming, Macháček et al. 2023): the audio of an utterance is decoded
//! again and again as it grows; words two consecutive hypotheses agree on are unlikely to change once more audio
//! arrives, so they are committed and forced as the prefix of every later decode. At the end of the utterance
//! only what follows the committed words is left to decode.

/// Whisper's byte-level tokens mark a word's first token with a leading space, written `Ġ`.
fn starts_word(token: &str) -> bool {
    token.starts_with('Ġ') || token.starts_with(' ')
}

/// Words of a hypothesis never committed, however well agreed: the last second or so of the audio decoded, where
/// Whisper still guesses (on three seconds of "I would start with…" it wrote "I will" twice running, and the whole
/// answer then came out "I will").
const HOLD_BACK: usize = 4;

/// The committed tokens of one utterance and the latest hypothesis of what follows them.
#[derive(Debug)]
pub struct LocalAgreement {
    committed: Vec<String>,
    previous: Vec<String>,
    hold_back: usize,
}

impl Default for LocalAgreement {
    fn default() -> Self {
        Self::holding_back(HOLD_BACK)
    }
}

impl LocalAgreement {
    /// An agreement that leaves the last `words` of every hypothesis uncommitted (at least one).
    pub fn holding_back(words: usize) -> Self {
        Self {
            committed: Vec::new(),
            previous: Vec::new(),
            hold_back: words.max(1),
        }
    }

    /// The tokens no later hypothesis may change.
    pub fn committed(&self) -> &[String] {
        &self.committed
    }

    /// Takes a hypothesis of the tokens after [`Self::committed`] (decoded with them as the prefix) and commits
    /// the whole words it shares with the previous one. A word is only committed once a further agreed word has
    /// begun, since the audio may have cut the last one short, and never among the hypothesis's last words.
    pub fn offer(&mut self, hypothesis: Vec<String>) {
        let agreed = self
            .previous
            .iter()
            .zip(&hypothesis)
            .take_while(|(a, b)| a == b)
            .count();
        let word_starts: Vec<usize> = (1..hypothesis.len())
            .filter(|&i| starts_word(&hypothesis[i]))
            .collect();
        let held = word_starts.len().saturating_sub(self.hold_back - 1);
        let complete = word_starts[..held]
            .iter()
            .rev()
            .find(|&&i| i < agreed)
            .copied()
            .unwrap_or(0);
        self.committed
            .extend(hypothesis[..complete].iter().cloned());
        self.previous = hypothesis[complete..].to_vec();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(s: &str) -> Vec<String> {
        s.split('|').map(str::to_owned).collect()
    }

    #[test]
    fn the_first_hypothesis_commits_nothing() {
        let mut a = LocalAgreement::holding_back(1);
        a.offer(tokens("ĠI|Ġwould|Ġuse"));
        assert!(a.committed().is_empty());
    }

    #[test]
    fn agreed_whole_words_are_committed_and_the_rest_waits() {
        let mut a = LocalAgreement::holding_back(1);
        a.offer(tokens("ĠI|Ġwould|Ġuse|Ġa|Ġca"));
        a.offer(tokens("ĠI|Ġwould|Ġuse|Ġa|Ġcache|Ġin"));
        // "a" is agreed but may still be the start of "a cache"-like merges; only words before it are sure.
        assert_eq!(a.committed(), tokens("ĠI|Ġwould|Ġuse").as_slice());
        // The next hypothesis is decoded after the committed prefix.
        a.offer(tokens("Ġa|Ġcache|Ġin|Ġfront"));
        assert_eq!(a.committed(), tokens("ĠI|Ġwould|Ġuse|Ġa|Ġcache").as_slice());
    }

    #[test]
    fn a_word_split_into_tokens_is_committed_whole_or_not_at_all() {
        let mut a = LocalAgreement::holding_back(1);
        a.offer(tokens("ĠHash|map|Ġkeys"));
        a.offer(tokens("ĠHash|map|Ġkey|ed"));
        assert!(
            a.committed().is_empty(),
            "no agreed word follows \"Hashmap\""
        );
        a.offer(tokens("ĠHash|map|Ġkey|ed|Ġby"));
        assert_eq!(a.committed(), tokens("ĠHash|map").as_slice());
    }

    #[test]
    fn the_last_words_are_held_back() {
        let mut a = LocalAgreement::holding_back(3);
        a.offer(tokens("ĠI|Ġwould|Ġuse|Ġa|Ġcache"));
        a.offer(tokens("ĠI|Ġwould|Ġuse|Ġa|Ġcache"));
        assert_eq!(a.committed(), tokens("ĠI|Ġwould").as_slice());
        assert_eq!(LocalAgreement::default().hold_back, HOLD_BACK);
    }

    #[test]
    fn disagreement_commits_nothing() {
        let mut a = LocalAgreement::holding_back(1);
        a.offer(tokens("ĠLed|Ġthe|Ġteam"));
        a.offer(tokens("ĠLand|Ġthe|Ġteam"));
        assert!(a.committed().is_empty());
    }
}
