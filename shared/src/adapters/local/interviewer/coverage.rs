//! Which key points an answer covers. Two readings: by keyword, as `knowledge/README.md` documents, for deciding
//! whether to follow up; and, stricter, which points the candidate actually made, for saying so — the interviewer
//! never praises a point the candidate only echoed from the question or mentioned to say they did not know it.

use super::text_match::{contains_keyword, keyword_starts, normalise, sentences, tokens};
use crate::knowledge::KeyPoint;

/// Indices of the key points any of whose keywords occur in the (normalised) answer.
pub fn covered(points: &[KeyPoint], normalised_answer: &str) -> Vec<usize> {
    points
        .iter()
        .enumerate()
        .filter(|(_, kp)| {
            kp.keywords
                .iter()
                .any(|k| contains_keyword(normalised_answer, k))
        })
        .map(|(i, _)| i)
        .collect()
}

/// Indices of the key points the candidate made in `answer`: one of the point's keywords, said in a clause of the
/// answer that does not doubt it — no hedge before it in the clause ("I'm not sure how it handles collisions") and
/// no negation in the three words before it ("don't use chaining") — and not merely repeated from `prompt` (unless
/// every keyword of the point is in the prompt).
pub fn said(points: &[KeyPoint], answer: &str, prompt: &str) -> Vec<usize> {
    let prompt = normalise(prompt);
    let clauses: Vec<String> = sentences(answer)
        .into_iter()
        .flat_map(|s| s.split([',', ';', ':', '—', '–']))
        .map(normalise)
        .flat_map(|c| {
            c.split(" but ")
                .map(|part| format!(" {} ", part.trim()))
                .collect::<Vec<_>>()
        })
        .collect();
    points
        .iter()
        .enumerate()
        .filter(|(_, kp)| {
            let own: Vec<&String> = kp
                .keywords
                .iter()
                .filter(|k| !contains_keyword(&prompt, k))
                .collect();
            let keywords = if own.is_empty() {
                kp.keywords.iter().collect()
            } else {
                own
            };
            keywords.iter().any(|k| {
                clauses
                    .iter()
                    .any(|c| keyword_starts(c, k).into_iter().any(|at| !doubted(c, at)))
            })
        })
        .map(|(i, _)| i)
        .collect()
}

/// Words that, just before a keyword, deny it ("don't", "never").
const NEGATIONS: &[&str] = &["not", "no", "never", "t", "cannot", "nor", "without"];
/// How many words before a keyword a negation reaches.
const NEGATION_REACH: usize = 3;
/// Phrases that, anywhere earlier in the clause, put what follows in doubt.
const HEDGES: &[&str] = &[
    " not sure ",
    " unsure ",
    " don t know ",
    " do not know ",
    " dont know ",
    " no idea ",
    " not certain ",
    " don t remember ",
    " can t remember ",
    " never heard ",
    " no clue ",
];

fn doubted(normalised_clause: &str, at: usize) -> bool {
    let before = &normalised_clause[..at];
    HEDGES.iter().any(|h| before.contains(h))
        || tokens(before)
            .iter()
            .rev()
            .take(NEGATION_REACH)
            .any(|w| NEGATIONS.contains(w))
}

/// The next key point to follow up on: the first one not covered whose follow-up has not been asked yet.
pub fn next_follow_up<'a>(
    points: &'a [KeyPoint],
    covered: &[usize],
    asked: &[usize],
) -> Option<(usize, &'a str)> {
    points.iter().enumerate().find_map(|(i, kp)| {
        if covered.contains(&i) || asked.contains(&i) {
            return None;
        }
        kp.follow_up.as_deref().map(|f| (i, f))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(text: &str, keywords: &[&str]) -> KeyPoint {
        KeyPoint {
            point: text.into(),
            keywords: keywords.iter().map(|k| (*k).to_owned()).collect(),
            follow_up: None,
        }
    }

    #[test]
    fn an_echo_or_a_denial_is_not_a_point_made() {
        let points = [
            point("Hashing keys to buckets", &["hash", "bucket"]),
            point("Handling collisions", &["collision", "chaining"]),
        ];
        let prompt = "How does a hash map work?";
        assert_eq!(
            said(&points, "A hash map is a map.", prompt),
            Vec::<usize>::new()
        );
        assert_eq!(
            said(&points, "I don't know about collisions.", prompt),
            Vec::<usize>::new()
        );
        assert_eq!(
            said(
                &points,
                "I'm not sure how a hash map handles collisions.",
                prompt
            ),
            Vec::<usize>::new()
        );
        assert_eq!(
            said(
                &points,
                "I don't know the constant, but collisions chain.",
                prompt
            ),
            [1]
        );
        assert_eq!(
            said(&points, "Keys land in buckets; collisions chain.", prompt),
            [0, 1]
        );
        assert_eq!(
            covered(&points, &normalise("A hash map is a map.")),
            [0],
            "the keyword reading, for follow-up decisions, is unchanged"
        );
    }
}
