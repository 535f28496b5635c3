//! BM25 over the question bank, to find the bank question closest to a line of the candidate's resume.

use std::collections::HashMap;

use super::text_match::content_words;
use crate::knowledge::QuestionBank;

/// An index over every bank question's text, key points and keywords.
pub struct BankIndex {
    docs: Vec<Doc>,
    document_frequency: HashMap<String, usize>,
    average_length: f64,
}

struct Doc {
    question: usize,
    terms: HashMap<String, usize>,
    length: usize,
}

const K1: f64 = 1.2;
const B: f64 = 0.75;

impl BankIndex {
    pub fn new(bank: &QuestionBank) -> Self {
        let mut document_frequency: HashMap<String, usize> = HashMap::new();
        let docs: Vec<Doc> = bank
            .questions
            .iter()
            .enumerate()
            .map(|(i, q)| {
                let mut text = q.text.clone();
                for kp in &q.key_points {
                    text.push(' ');
                    text.push_str(&kp.point);
                    text.push(' ');
                    text.push_str(&kp.keywords.join(" "));
                }
                let words = content_words(&text);
                let mut terms: HashMap<String, usize> = HashMap::new();
                for w in &words {
                    *terms.entry(w.clone()).or_default() += 1;
                }
                for t in terms.keys() {
                    *document_frequency.entry(t.clone()).or_default() += 1;
                }
                Doc {
                    question: i,
                    terms,
                    length: words.len(),
                }
            })
            .collect();
        let total: usize = docs.iter().map(|d| d.length).sum();
        let average_length = if docs.is_empty() {
            1.0
        } else {
            total as f64 / docs.len() as f64
        };
        Self {
            docs,
            document_frequency,
            average_length: average_length.max(1.0),
        }
    }

    /// The index (into `bank.questions`) of the best match for `query` among the questions `allowed` accepts, if
    /// any term matched at all.
    pub fn best_among(&self, query: &str, allowed: impl Fn(usize) -> bool) -> Option<usize> {
        let n = self.docs.len() as f64;
        let query_terms = content_words(query);
        let mut best: Option<(f64, usize)> = None;
        for doc in self.docs.iter().filter(|d| allowed(d.question)) {
            let mut score = 0.0;
            for term in &query_terms {
                let Some(&tf) = doc.terms.get(term) else {
                    continue;
                };
                let df = self.document_frequency.get(term).copied().unwrap_or(0) as f64;
                let idf = ((n - df + 0.5) / (df + 0.5) + 1.0).ln();
                let tf = tf as f64;
                score += idf * tf * (K1 + 1.0)
                    / (tf + K1 * (1.0 - B + B * doc.length as f64 / self.average_length));
            }
            if score > 0.0 && best.is_none_or(|(s, _)| score > s) {
                best = Some((score, doc.question));
            }
        }
        best.map(|(_, q)| q)
    }
}
