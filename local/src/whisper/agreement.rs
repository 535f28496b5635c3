//! Local agreement (the policy of whisper-streaming, Macháček et al. 2023): the audio of an utterance is decoded
//! again and again as it grows; words two consecutive hypotheses agree on are unlikely to change once more audio
//! arrives, so they are committed and forced as the prefix of every later decode. At the end of the utterance
//! only what follows the committed words is left to decode.

/// Whisper's byte-level tokens mark a word's first token with a leading space, written `Ġ`.
fn starts_word(token: &str) -> bool {
    token.starts_with('Ġ') || token.starts_with(' ')
}

/// The committed tokens of one utterance and the latest hypothesis of what follows them.
#[derive(Debug, Default)]
pub struct LocalAgreement {
    committed: Vec<String>,
    previous: Vec<String>,
}

impl LocalAgreement {
    /// The tokens no later hypothesis may change.
    pub fn committed(&self) -> &[String] {
        &self.committed
    }

    /// Takes a hypothesis of the tokens after [`Self::committed`] (decoded with them as the prefix) and commits
    /// the whole words it shares with the previous one. A word is only committed once a further agreed word has
    /// begun, since the audio may have cut the last one short.
    pub fn offer(&mut self, hypothesis: Vec<String>) {
        let agreed = self
            .previous
            .iter()
            .zip(&hypothesis)
            .take_while(|(a, b)| a == b)
            .count();
        let complete = (1..agreed)
            .rev()
            .find(|&i| starts_word(&hypothesis[i]))
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
        let mut a = LocalAgreement::default();
        a.offer(tokens("ĠI|Ġwould|Ġuse"));
        assert!(a.committed().is_empty());
    }

    #[test]
    fn agreed_whole_words_are_committed_and_the_rest_waits() {
        let mut a = LocalAgreement::default();
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
        let mut a = LocalAgreement::default();
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
    fn disagreement_commits_nothing() {
        let mut a = LocalAgreement::default();
        a.offer(tokens("ĠLed|Ġthe|Ġteam"));
        a.offer(tokens("ĠLand|Ġthe|Ġteam"));
        assert!(a.committed().is_empty());
    }
}
