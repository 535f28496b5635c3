//! Where one candidate message goes on with the sentence the last one left open. A spoken answer reaches us as
//! several utterances whenever the candidate pauses (hands-free turn taking ends an utterance after a silence), and a
//! chat answer as several messages; a pause in the middle of a sentence ("…with weighted cells I would switch" /
//! "to Dijkstra with a priority queue.") must not cut it in two, or neither half says anything and the point it
//! makes is lost. A message boundary is kept as a sentence boundary unless one side is not a sentence on its own.

use super::claims::{Clause, clauses};
use super::language::{split_sentences, words};

/// How the next message joins the answer so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Joint {
    /// A new sentence: the messages are joined by a line break.
    Break,
    /// The same sentence goes on: joined by a space, after dropping the full stop a transcriber put at the pause.
    Continues { drop_stop: bool },
}

/// How `next` joins `previous`, both from the candidate with nothing said between them. The two clauses that meet
/// at the boundary are the last of `previous` and the first of `next`.
///
/// - After a `?`, `!`, `;` or `:` the next message is a new sentence.
/// - Otherwise it goes on when either clause at the boundary is no claim on its own ("…that filed." / "A ticket
///   asking for a CSV export."; "I would switch" / "to Dijkstra with a priority queue.") and the sentence they make
///   together loses none of the claims the two made apart (a list of terms before "we use them for caching" would
///   swallow the claim). A full stop before it is dropped: a transcriber ends every utterance with one.
///
/// Two statements stay two sentences, as a chat candidate who does not punctuate typed them, even when the first
/// stops on "and": one clause credits one key point, so joining two claims could only cost one.
pub fn joint(previous: &str, next: &str) -> Joint {
    let previous = previous.trim_end();
    let next = next.trim_start();
    let Some(end) = previous.chars().last() else {
        return Joint::Break;
    };
    if matches!(end, '?' | '!' | ';' | ':' | '…')
        || next.starts_with("```")
        || previous.ends_with("```")
        || is_numbered(next)
    {
        return Joint::Break;
    }
    let stopped = end == '.';
    let body = if stopped {
        &previous[..previous.len() - 1]
    } else {
        previous
    };
    let (Some(tail), Some(head)) = (last_sentence(body), first_sentence(next)) else {
        return Joint::Break;
    };
    // The head with the mark that ends it, so a question reads as one.
    let head_end = head.as_ptr() as usize - next.as_ptr() as usize + head.len();
    let head = next
        .get(..head_end + 1)
        .filter(|h| h.ends_with(['?', '!', '.', ';']))
        .unwrap_or(head);
    let (tail_clauses, head_clauses) = (clauses(tail), clauses(head));
    let open = !tail_clauses.last().is_some_and(|c| c.claim)
        || !head_clauses.first().is_some_and(|c| c.claim);
    let claims = |cs: &[Clause]| cs.iter().filter(|c| c.claim).count();
    if open
        && claims(&clauses(&format!("{tail} {head}")))
            >= claims(&tail_clauses) + claims(&head_clauses)
    {
        Joint::Continues { drop_stop: stopped }
    } else {
        Joint::Break
    }
}

/// The most of the answer so far read to find its last sentence: a reply of many messages is not split again in
/// full at each one (the joined text grows with every message).
const TAIL_BYTES: usize = 1_000;

/// The last sentence of `text` that has a word in it (within its last [`TAIL_BYTES`]).
fn last_sentence(text: &str) -> Option<&str> {
    let mut from = text.len().saturating_sub(TAIL_BYTES);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    split_sentences(&text[from..])
        .into_iter()
        .rev()
        .find(|s| words(s).next().is_some())
}

/// The first sentence of `text` that has a word in it.
fn first_sentence(text: &str) -> Option<&str> {
    split_sentences(text)
        .into_iter()
        .find(|s| words(s).next().is_some())
}

/// An item of a numbered or bulleted list starts a line of its own: a bullet, or a number followed by `.` or `)` and
/// a space ("3.2 to 1.1 seconds" is a decimal, not an item).
fn is_numbered(head: &str) -> bool {
    let head = head.trim_start();
    head.starts_with(['-', '*', '•'])
        || head.split_once([')', '.']).is_some_and(|(n, rest)| {
            !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) && rest.starts_with(' ')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sentence_cut_by_a_pause_goes_on() {
        assert_eq!(
            joint(
                "and with weighted cells I would switch",
                "to Dijkstra with a priority queue."
            ),
            Joint::Continues { drop_stop: false }
        );
        assert_eq!(
            joint(
                "And with weighted cells, I would switch.",
                "To Dijkstra with a priority queue."
            ),
            Joint::Continues { drop_stop: true }
        );
        assert_eq!(
            joint(
                "I would run a breadth-first",
                "Search from the top-left corner with a queue."
            ),
            Joint::Continues { drop_stop: false }
        );
    }

    #[test]
    fn sentences_that_stand_alone_stay_apart() {
        // Two statements typed on two lines without punctuation.
        assert_eq!(
            joint(
                "i would run a breadth first search from the corner with a queue",
                "then i mark every visited cell in a set so nothing is expanded twice"
            ),
            Joint::Break
        );
        assert_eq!(
            joint(
                "i would run bfs from the start with a queue and mark each cell visited when i push it",
                "with different costs i would switch to dijkstra with a priority queue"
            ),
            Joint::Break
        );
        assert_eq!(
            joint(
                "I would use a hash map for the lookups.",
                "It gives constant time on average."
            ),
            Joint::Break
        );
        assert_eq!(joint("Is that right?", "with a queue"), Joint::Break);
        // A list of terms would swallow the statement before it, and a question the one it follows.
        assert_eq!(
            joint(
                "I split the service into three stores for the checkout",
                "Redis, Kafka, S3"
            ),
            Joint::Break
        );
        assert_eq!(
            joint("i would keep the counts in a hash map", "is that ok?"),
            Joint::Break
        );
        assert_eq!(
            joint("I use a queue.", "What about the weights?"),
            Joint::Break
        );
        assert_eq!(
            joint("My plan has two steps.", "1. Sort the input"),
            Joint::Break
        );
    }
}
