//! How generated text reads: a term quoted from the bank mid-sentence keeps the case its authors gave it ("Pub/Sub",
//! "Kahn's algorithm", "BigQuery") while an ordinary word capitalised only because it starts a key point is
//! lowercased ("good point on handling collisions"); and the bank's Markdown is spoken as plain text.

use std::collections::HashMap;

use crate::knowledge::QuestionBank;

/// What the bank's own prose says about each capitalised word: how often it is written in lowercase, and how often
/// capitalised in the middle of a sentence (where only names are). Built once per bank.
pub struct Casing {
    /// Lowercase form → (times written in lowercase, times capitalised mid-sentence).
    seen: HashMap<String, (usize, usize)>,
}

impl Casing {
    /// Reads the prose of every question and problem in `bank`.
    pub fn new(bank: &QuestionBank) -> Self {
        let mut casing = Self {
            seen: HashMap::new(),
        };
        for q in &bank.questions {
            casing.read(&q.text);
            q.follow_ups.iter().for_each(|f| casing.read(f));
            q.key_points.iter().for_each(|kp| casing.read_point(kp));
            q.red_flags.iter().for_each(|f| casing.read(&f.claim));
        }
        for p in &bank.coding {
            casing.read(&p.statement);
            p.key_points.iter().for_each(|kp| casing.read_point(kp));
            p.red_flags.iter().for_each(|f| casing.read(&f.claim));
        }
        casing
    }

    fn read_point(&mut self, kp: &crate::knowledge::KeyPoint) {
        self.read(&kp.point);
        if let Some(f) = &kp.follow_up {
            self.read(f);
        }
    }

    /// Counts the words of `text`, skipping each sentence's (and each clause-after-a-colon's) first word, whose
    /// capital says nothing.
    fn read(&mut self, text: &str) {
        for sentence in super::text_match::sentences(text) {
            for clause in sentence.split(':') {
                for word in clause.split_whitespace().skip(1) {
                    let word = bare(word);
                    let Some(first) = word.chars().next() else {
                        continue;
                    };
                    if !word.chars().all(|c| c.is_alphabetic() || c == '-') {
                        continue;
                    }
                    let entry = self.seen.entry(word.to_lowercase()).or_default();
                    if word.chars().all(char::is_lowercase) {
                        entry.0 += 1;
                    } else if first.is_uppercase() && word.chars().skip(1).all(char::is_lowercase) {
                        entry.1 += 1;
                    }
                }
            }
        }
    }

    /// `phrase` (a key point, say) as it reads inside a sentence: its first letter lowercased when the first word
    /// is an ordinary word, kept when it is a name, an acronym, a possessive ("Kahn's") or a compound ("Pub/Sub").
    /// Nothing but the first letter ever changes.
    pub fn mid_sentence(&self, phrase: &str) -> String {
        let phrase = phrase.trim();
        let Some(first_word) = phrase.split_whitespace().next() else {
            return String::new();
        };
        let word = first_word.trim_end_matches([',', ';', ':', '.']);
        let mut chars = word.chars();
        let Some(first) = chars.next() else {
            return phrase.to_owned();
        };
        let keep = !first.is_uppercase()
            // Acronyms and mixed case: "BFS", "DynamoDB", "Rabin-Karp".
            || chars.clone().any(char::is_uppercase)
            // Compounds and symbols: "Pub/Sub", "O(n^2)", "async/await", "S3".
            || !word.chars().all(|c| c.is_alphabetic() || c == '-' || c == '\'' || c == '’')
            // Possessives name someone: "Kahn's", "Dijkstra's".
            || word.ends_with("'s")
            || word.ends_with("’s")
            || self.is_name(word, phrase);
        if keep {
            return phrase.to_owned();
        }
        first
            .to_lowercase()
            .chain(phrase[first.len_utf8()..].chars())
            .collect()
    }

    /// Whether a capitalised word is a name by the bank's usage: capitalised mid-sentence more often than not, or
    /// the start of a multi-word name — followed by another capitalised word ("Compute Engine", "Transit Gateway",
    /// "Cloud Run") — unless it reads as a verb the bank only writes in lowercase ("Uses Terraform").
    fn is_name(&self, word: &str, phrase: &str) -> bool {
        let (lower, capital) = self
            .seen
            .get(&word.to_lowercase())
            .copied()
            .unwrap_or_default();
        if capital > lower {
            return true;
        }
        let next_is_title = phrase.split_whitespace().nth(1).is_some_and(|w| {
            let mut chars = w.chars();
            chars.next().is_some_and(char::is_uppercase)
                && chars.clone().next().is_some()
                && chars.all(|c| c.is_lowercase() || !c.is_alphabetic())
        });
        let verb = word.ends_with('s') && lower > 0 && capital == 0;
        next_is_title && !verb
    }
}

/// A word without the punctuation around it.
fn bare(word: &str) -> &str {
    word.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .trim_end_matches("'s")
        .trim_end_matches("’s")
}

/// Bank text as it should be spoken or shown in a chat bubble: inline code marks and bold marks removed (the words
/// stay), so the candidate never sees raw Markdown.
pub fn plain(text: &str) -> String {
    text.replace("**", "").replace('`', "")
}

/// The candidate's first name for addressing them, capitalised when they typed their whole name in lowercase (a
/// name with any capital is kept as written).
pub fn first_name(full_name: &str) -> String {
    let Some(first) = full_name.split_whitespace().next() else {
        return "there".to_owned();
    };
    if full_name.chars().any(char::is_uppercase) {
        return first.to_owned();
    }
    let mut chars = first.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => "there".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_ordinary_words_lose_their_capital() {
        let bank = QuestionBank::embedded();
        let casing = Casing::new(bank);
        assert_eq!(
            casing.mid_sentence("Pub/Sub for fan-out"),
            "Pub/Sub for fan-out"
        );
        assert_eq!(
            casing.mid_sentence("Kahn's algorithm: repeatedly take courses"),
            "Kahn's algorithm: repeatedly take courses"
        );
        assert_eq!(
            casing.mid_sentence("BigQuery for analytics"),
            "BigQuery for analytics"
        );
        assert_eq!(
            casing.mid_sentence("Handling collisions"),
            "handling collisions"
        );
        assert_eq!(casing.mid_sentence("Uses BigQuery"), "uses BigQuery");
        assert_eq!(
            casing.mid_sentence("Uses AWS Config rules"),
            "uses AWS Config rules"
        );
        assert_eq!(
            casing.mid_sentence("Uses Terraform modules"),
            "uses Terraform modules"
        );
        assert_eq!(
            casing.mid_sentence("Transit Gateway hub"),
            "Transit Gateway hub"
        );
        assert_eq!(
            casing.mid_sentence("Compute Engine VMs"),
            "Compute Engine VMs"
        );
        assert_eq!(
            casing.mid_sentence("Service Bus queues"),
            "Service Bus queues"
        );
        assert_eq!(
            casing.mid_sentence("Spanner for global writes"),
            "Spanner for global writes"
        );
    }

    #[test]
    fn markdown_is_spoken_plainly() {
        assert_eq!(
            plain("Write `two_sum` in **Python**."),
            "Write two_sum in Python."
        );
        assert_eq!(first_name("ada lovelace"), "Ada");
        assert_eq!(first_name("danah Boyd"), "danah");
        assert_eq!(first_name("Grace"), "Grace");
    }
}
