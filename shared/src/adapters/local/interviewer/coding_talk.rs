//! What the interviewer says while the candidate works on the coding problem, before a passing run: a reaction to
//! what they said — the cost of their solution, the edge cases, their approach — drawn from the problem's own key
//! points and follow-ups (its approach notes in `knowledge/coding/*.md`), and a general encouragement only when
//! nothing they said matches. Each reply comments and at most offers one thing to think about, so it stays a
//! remark: the coding problem is still the question being answered.

use super::coverage::covered;
use super::text_match::{contains_keyword, normalise};
use crate::knowledge::{CodingProblem, KeyPoint};

/// A remark and the key point whose follow-up it offered as a hint, if any (so it is not offered twice).
pub struct Remark {
    pub text: String,
    pub hinted: Option<usize>,
}

/// What the candidate talked about, by the words they used.
struct Cues {
    complexity: bool,
    edge_cases: bool,
    approach: bool,
}

const COMPLEXITY_CUES: &[&str] = &[
    "complexity",
    "big o",
    "o(",
    "linear",
    "quadratic",
    "logarithmic",
    "log n",
    "constant time",
    "constant space",
    "n squared",
    "exponential",
    "time complexity",
    "space complexity",
    "runtime",
    "run time",
    "extra space",
    "memory",
];

const EDGE_CUES: &[&str] = &[
    "edge case",
    "corner case",
    "empty",
    "null",
    "none",
    "zero",
    "negative",
    "duplicate",
    "single element",
    "one element",
    "overflow",
    "boundary",
    "invalid",
    "large input",
    "all the same",
];

const APPROACH_CUES: &[&str] = &[
    "i would",
    "i d",
    "i will",
    "i ll",
    "i m going to",
    "i am going to",
    "my approach",
    "approach",
    "my plan",
    "plan is",
    "idea",
    "use a",
    "using",
    "iterate",
    "loop",
    "traverse",
    "recursion",
    "recursive",
    "sort",
    "hash",
    "stack",
    "queue",
    "heap",
    "pointer",
    "dynamic programming",
    "greedy",
    "bfs",
    "dfs",
    "binary search",
    "my solution",
];

fn cues(normalised: &str) -> Cues {
    let any = |list: &[&str]| list.iter().any(|c| contains_keyword(normalised, c));
    Cues {
        complexity: any(COMPLEXITY_CUES),
        edge_cases: any(EDGE_CUES),
        approach: any(APPROACH_CUES),
    }
}

/// The key point about the solution's cost: the first whose text names time, complexity or linearity, else the
/// first with a Big-O keyword.
fn complexity_point(points: &[KeyPoint]) -> Option<usize> {
    let named = |kp: &KeyPoint| {
        let t = normalise(&kp.point);
        ["complexity", "time", "linear", "logarithmic", "o("]
            .iter()
            .any(|w| contains_keyword(&t, w))
    };
    points.iter().position(named).or_else(|| {
        points
            .iter()
            .position(|kp| kp.keywords.iter().any(|k| k.starts_with("o(")))
    })
}

/// The key point about edge cases, by its text.
fn edge_point(points: &[KeyPoint]) -> Option<usize> {
    points.iter().position(|kp| {
        let t = normalise(&kp.point);
        [
            "edge case",
            "empty",
            "zero",
            "duplicate",
            "negative",
            "base case",
            "boundary",
            "fewer than",
            "handled",
            "handles",
            "ties",
            "unreachable",
            "overflow",
        ]
        .iter()
        .any(|w| contains_keyword(&t, w))
    })
}

/// The follow-up of key point `i`, when it has one and it was neither covered nor offered before.
fn fresh_follow_up<'a>(
    points: &'a [KeyPoint],
    i: Option<usize>,
    covered_so_far: &[usize],
    hinted: &[usize],
) -> Option<(usize, &'a str)> {
    let i = i?;
    if covered_so_far.contains(&i) || hinted.contains(&i) {
        return None;
    }
    points.get(i)?.follow_up.as_deref().map(|f| (i, f))
}

/// The first approach point (neither the cost nor the edge cases) not covered or offered yet.
fn approach_hint<'a>(
    points: &'a [KeyPoint],
    covered_so_far: &[usize],
    hinted: &[usize],
) -> Option<(usize, &'a str)> {
    let (cost, edges) = (complexity_point(points), edge_point(points));
    (0..points.len())
        .filter(|i| Some(*i) != cost && Some(*i) != edges)
        .find_map(|i| fresh_follow_up(points, Some(i), covered_so_far, hinted))
}

const IMPLEMENT: &str = "Go ahead and implement it, then run it against the tests.";

/// The reaction to `said` about problem `p`, given the key points covered before this message and the hints
/// already offered.
pub fn react(p: &CodingProblem, said: &str, covered_before: &[usize], hinted: &[usize]) -> Remark {
    let normalised = normalise(said);
    let points = &p.key_points;
    let now = covered(points, &normalised);
    let mut so_far: Vec<usize> = covered_before.to_vec();
    so_far.extend(now.iter().copied().filter(|i| !covered_before.contains(i)));
    let cues = cues(&normalised);
    let remark = |text: String, hinted: Option<usize>| Remark { text, hinted };

    // A misconception about the approach: question it, without correcting it outright.
    if let Some(flag) = p
        .red_flags
        .iter()
        .find(|f| f.phrases.iter().any(|ph| contains_keyword(&normalised, ph)))
    {
        let target = flag
            .cancels
            .as_ref()
            .and_then(|c| points.iter().position(|kp| &kp.point == c));
        let hint = fresh_follow_up(points, target, &[], hinted);
        return match hint {
            Some((i, f)) => remark(
                format!("I'm not sure that holds — think it through. {f}"),
                Some(i),
            ),
            None => remark(
                "I'm not sure that holds — try it on a small example before you rely on it."
                    .to_owned(),
                None,
            ),
        };
    }

    let cost = complexity_point(points);
    let edges = edge_point(points);
    if cues.complexity {
        let said_cost = cost.is_some_and(|c| now.contains(&c));
        if said_cost || cost.is_none() {
            let text = "Good — you're weighing the cost of your solution; keep that in mind as you write it.";
            return match fresh_follow_up(points, edges, &so_far, hinted) {
                Some((i, f)) => remark(
                    format!("{text} One more thing to think about as you go. {f}"),
                    Some(i),
                ),
                None => remark(format!("{text} {IMPLEMENT}"), None),
            };
        }
        return match fresh_follow_up(points, cost, &so_far, hinted) {
            Some((i, f)) => remark(format!("Think the cost through carefully. {f}"), Some(i)),
            None => remark(
                "Keep the cost in mind as you implement it; we'll come back to it once it runs."
                    .to_owned(),
                None,
            ),
        };
    }

    if cues.edge_cases {
        if edges.is_some_and(|e| now.contains(&e)) || edges.is_none() {
            return remark(
                "Good — those are exactly the inputs to check. Make sure your code handles them, then run it \
                 against the tests."
                    .to_owned(),
                None,
            );
        }
        return match fresh_follow_up(points, edges, &so_far, hinted) {
            Some((i, f)) => remark(
                format!("Good thinking about edge cases. Here's another to consider. {f}"),
                Some(i),
            ),
            None => remark(
                "Good thinking — check those cases when you run it against the tests.".to_owned(),
                None,
            ),
        };
    }

    let approach_said = now.iter().any(|i| Some(*i) != cost && Some(*i) != edges);
    if approach_said {
        let next = fresh_follow_up(points, cost, &so_far, hinted)
            .or_else(|| approach_hint(points, &so_far, hinted));
        return match next {
            Some((i, f)) => remark(
                format!(
                    "That's on the right track. Something to think about as you implement it. {f}"
                ),
                Some(i),
            ),
            None => remark(format!("That's on the right track. {IMPLEMENT}"), None),
        };
    }
    if cues.approach {
        return match approach_hint(points, &so_far, hinted) {
            Some((i, f)) => remark(
                format!(
                    "Walk through it on the first example before you code it, and think about this. {f}"
                ),
                Some(i),
            ),
            None => remark(
                format!("Walk through it on the first example before you code it. {IMPLEMENT}"),
                None,
            ),
        };
    }
    remark(
        "Take your time. When you're ready, implement it and run it against the tests — and keep talking me \
         through your thinking."
            .to_owned(),
        None,
    )
}

/// A hint for a candidate who is stuck on the problem: the next approach note they have not covered, or a way in.
pub fn hint(p: &CodingProblem, covered_so_far: &[usize], hinted: &[usize]) -> Remark {
    let points = &p.key_points;
    let next = approach_hint(points, covered_so_far, hinted)
        .or_else(|| fresh_follow_up(points, complexity_point(points), covered_so_far, hinted));
    match next {
        Some((i, f)) => Remark {
            text: format!("No problem — here's a hint to get you going. {f}"),
            hinted: Some(i),
        },
        None => Remark {
            text: "No problem — try working through the first example by hand: the steps you take are usually \
                   the algorithm."
                .to_owned(),
            hinted: None,
        },
    }
}

/// The question to ask once the solution passes: the follow-up on its cost when the candidate has not covered it,
/// else the first follow-up of a point not yet covered, else a plain question about complexity.
pub fn after_passing(p: &CodingProblem, covered_so_far: &[usize]) -> String {
    let points = &p.key_points;
    fresh_follow_up(points, complexity_point(points), covered_so_far, &[])
        .or_else(|| {
            (0..points.len()).find_map(|i| fresh_follow_up(points, Some(i), covered_so_far, &[]))
        })
        .map(|(_, f)| f.to_owned())
        .unwrap_or_else(|| "What are the time and space complexity of your solution?".to_owned())
}
