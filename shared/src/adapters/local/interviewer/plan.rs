//! The interview plan — resume questions, core questions of rising difficulty, a coding problem where the interview
//! type has one, the wrap-up — and where the interview stands between turns (kept in the session's
//! `agent_state`; every field added since the first release has a default, so older sessions still resume).

use serde::{Deserialize, Serialize};

use super::resume::{self, Position, RoleMention};
use super::retrieval::BankIndex;
use super::text_match::{contains_keyword, normalise};
use crate::domain::{InterviewType, Session};
use crate::knowledge::{CodingProblem, Difficulty, Question, QuestionBank};

/// Where the interview stands between turns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanState {
    pub steps: Vec<Step>,
    /// The step being asked.
    pub index: usize,
    /// Follow-ups (and hints) asked on the current question.
    #[serde(default)]
    pub follow_ups_asked: u32,
    /// The coding problem's solution passed its tests.
    #[serde(default)]
    pub coding_passed: bool,
    /// Messages about the coding problem so far.
    #[serde(default)]
    pub coding_turns: u32,
    /// Key points (indices) of the current question or problem the candidate has covered so far, over the answer
    /// and its follow-ups.
    #[serde(default)]
    pub covered: Vec<usize>,
    /// Key points (indices) whose follow-up or hint was asked for the current step, so none is asked twice.
    #[serde(default)]
    pub followed_up: Vec<usize>,
}

/// One step of the plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Step {
    /// A bank question.
    Question {
        id: String,
        /// The resume skill that made us pick it, when it was picked from the CV.
        #[serde(default)]
        resume_skill: Option<String>,
        /// The position it is asked about, when the resume lists one.
        #[serde(default)]
        role: Option<RoleMention>,
    },
    /// A question about one of the candidate's positions that no bank question fits.
    Experience { role: RoleMention },
    /// The coding problem.
    Coding { id: String },
    /// The close: thanks, and the candidate's own questions.
    WrapUp,
}

impl Step {
    /// Whether the step is a question (from the bank or about the resume), as the greeting counts them.
    pub fn is_question(&self) -> bool {
        matches!(self, Step::Question { .. } | Step::Experience { .. })
    }
}

/// Core questions per interview, besides resume questions and the coding problem.
const CORE_QUESTIONS: usize = 4;
/// Resume-based questions when a CV analysis lists positions or matching skills.
const RESUME_QUESTIONS: usize = 2;

/// Builds the plan for a session. Deterministic for a session (seeded by its id).
pub fn build(bank: &QuestionBank, index: &BankIndex, session: &Session) -> PlanState {
    let mut rng = fastrand::Rng::with_seed(seed_of(session));
    let own: Vec<&Question> = bank.questions_for(session.interview_type).collect();
    let mut steps = resume_steps(bank, index, session, &own);
    let taken: Vec<&str> = steps
        .iter()
        .filter_map(|s| match s {
            Step::Question { id, .. } => Some(id.as_str()),
            _ => None,
        })
        .collect();

    let mut pool: Vec<&Question> = own
        .iter()
        .copied()
        .filter(|q| !taken.contains(&q.id.as_str()))
        .collect();
    rng.shuffle(&mut pool);
    let mut core: Vec<&Question> = Vec::new();
    for difficulty in [
        Difficulty::Easy,
        Difficulty::Medium,
        Difficulty::Medium,
        Difficulty::Hard,
    ] {
        if let Some(pos) = pool.iter().position(|q| q.difficulty == difficulty) {
            core.push(pool.remove(pos));
        }
    }
    while core.len() < CORE_QUESTIONS && !pool.is_empty() {
        core.push(pool.remove(0));
    }
    core.sort_by_key(|q| q.difficulty);
    steps.extend(core.into_iter().map(|q| Step::Question {
        id: q.id.clone(),
        resume_skill: None,
        role: None,
    }));

    if has_coding(session.interview_type) {
        let problems: Vec<&CodingProblem> = bank
            .coding
            .iter()
            .filter(|p| {
                p.interview_types.is_empty() || p.interview_types.contains(&session.interview_type)
            })
            .collect();
        // A company's SDE loop poses medium and hard problems; the Coding interview, which is practice, any. An easy
        // problem solved earns less in the report (`EASY_SOLVED`), and a candidate in an SDE loop should not lose
        // that by the draw.
        let loop_level: Vec<&CodingProblem> = problems
            .iter()
            .copied()
            .filter(|p| p.difficulty >= Difficulty::Medium)
            .collect();
        let problems = if session.interview_type != InterviewType::Coding && !loop_level.is_empty()
        {
            loop_level
        } else {
            problems
        };
        if !problems.is_empty() {
            let p = problems[rng.usize(..problems.len())];
            steps.push(Step::Coding { id: p.id.clone() });
        }
    }
    steps.push(Step::WrapUp);
    PlanState {
        steps,
        index: 0,
        follow_ups_asked: 0,
        coding_passed: false,
        coding_turns: 0,
        covered: Vec::new(),
        followed_up: Vec::new(),
    }
}

/// The resume questions. With positions on the resume, each is about one of them: a bank question that fits one of
/// its highlights, else a question picked by a resume skill and asked about the position, else a question about
/// the position itself. Without positions, questions are picked by resume skills alone.
fn resume_steps(
    bank: &QuestionBank,
    index: &BankIndex,
    session: &Session,
    own: &[&Question],
) -> Vec<Step> {
    let positions = resume::positions(session);
    let skills = resume::skills(session);
    // The greeting names the first position.
    let mut introduced: Vec<bool> = (0..positions.len()).map(|i| i == 0).collect();
    let mut mentioned: Vec<bool> = vec![false; positions.len()];
    let mut used_highlights: Vec<(usize, usize)> = Vec::new();
    let mut taken: Vec<String> = Vec::new();
    let mut next_skill = 0;
    let mut steps = Vec::new();

    while steps.len() < RESUME_QUESTIONS {
        // Positions not asked about yet come first.
        let order: Vec<usize> = (0..positions.len())
            .filter(|&p| !mentioned[p])
            .chain((0..positions.len()).filter(|&p| mentioned[p]))
            .collect();

        let fitted = order.iter().find_map(|&p| {
            positions[p]
                .highlights
                .iter()
                .enumerate()
                .filter(|(h, _)| !used_highlights.contains(&(p, *h)))
                .find_map(|(h, text)| {
                    question_for_highlight(bank, index, own, &taken, text).map(|q| (p, h, q))
                })
        });
        if let Some((p, h, q)) = fitted {
            let highlight = positions[p].highlights.get(h).map(String::as_str);
            steps.push(Step::Question {
                id: q.id.clone(),
                resume_skill: None,
                role: Some(positions[p].mention(highlight, introduced[p])),
            });
            taken.push(q.id.clone());
            used_highlights.push((p, h));
            introduced[p] = true;
            mentioned[p] = true;
            continue;
        }

        let by_skill = skills
            .iter()
            .enumerate()
            .skip(next_skill)
            .find_map(|(i, skill)| {
                question_for_skill(bank, own, &taken, skill).map(|q| (i, skill, q))
            });
        if let Some((i, skill, q)) = by_skill {
            next_skill = i + 1;
            let role = order.first().map(|&p| {
                let mention = positions[p].mention(None, introduced[p]);
                introduced[p] = true;
                mentioned[p] = true;
                mention
            });
            steps.push(Step::Question {
                id: q.id.clone(),
                resume_skill: Some(skill.clone()),
                role,
            });
            taken.push(q.id.clone());
            continue;
        }

        match order.iter().copied().find(|&p| !mentioned[p]) {
            Some(p) => {
                let position: &Position = &positions[p];
                steps.push(Step::Experience {
                    role: position.mention(
                        position.highlights.first().map(String::as_str),
                        introduced[p],
                    ),
                });
                introduced[p] = true;
                mentioned[p] = true;
            }
            None => break,
        }
    }
    steps
}

/// The bank question a resume highlight is about: one whose skills the highlight names (short names such as "Go"
/// or "AWS" only as written), the interview type's own first, the closest by retrieval, else the easiest.
fn question_for_highlight<'b>(
    bank: &'b QuestionBank,
    index: &BankIndex,
    own: &[&'b Question],
    taken: &[String],
    highlight: &str,
) -> Option<&'b Question> {
    let normalised = normalise(highlight);
    let fits = |q: &Question| {
        !taken.contains(&q.id)
            && q.skills
                .iter()
                .any(|s| names_skill(highlight, &normalised, s))
    };
    let pick = |candidates: Vec<(usize, &'b Question)>| -> Option<&'b Question> {
        let ids: Vec<usize> = candidates.iter().map(|(i, _)| *i).collect();
        index
            .best_among(highlight, |i| ids.contains(&i))
            .and_then(|i| bank.questions.get(i))
            .or_else(|| {
                candidates
                    .iter()
                    .map(|(_, q)| *q)
                    .min_by_key(|q| q.difficulty)
            })
    };
    let all: Vec<(usize, &'b Question)> = bank
        .questions
        .iter()
        .enumerate()
        .filter(|(_, q)| fits(q))
        .collect();
    let own_fits: Vec<(usize, &'b Question)> = all
        .iter()
        .copied()
        .filter(|(_, q)| own.iter().any(|o| o.id == q.id))
        .collect();
    if own_fits.is_empty() {
        pick(all)
    } else {
        pick(own_fits)
    }
}

/// Whether a resume line names a skill: as a keyword for names of four or more characters, as written (case and
/// whole word) for short ones, so "go live" is not Go.
fn names_skill(text: &str, normalised: &str, skill: &str) -> bool {
    let skill = skill.trim();
    if skill.chars().count() >= 4 {
        return contains_keyword(normalised, skill);
    }
    text.split(|c: char| !(c.is_alphanumeric() || c == '+' || c == '#'))
        .any(|w| w == skill)
}

/// The easiest question (the interview type's own first) whose skills include `skill`.
fn question_for_skill<'b>(
    bank: &'b QuestionBank,
    own: &[&'b Question],
    taken: &[String],
    skill: &str,
) -> Option<&'b Question> {
    let wanted = skill.to_lowercase();
    let matches = |q: &&Question| {
        !taken.contains(&q.id) && q.skills.iter().any(|s| s.to_lowercase() == wanted)
    };
    own.iter()
        .copied()
        .filter(matches)
        .min_by_key(|q| q.difficulty)
        .or_else(|| {
            bank.questions
                .iter()
                .filter(matches)
                .min_by_key(|q| q.difficulty)
        })
}

fn has_coding(t: InterviewType) -> bool {
    matches!(
        t,
        InterviewType::GoogleSde
            | InterviewType::AmazonSde
            | InterviewType::MicrosoftSde
            | InterviewType::Coding
    )
}

fn seed_of(session: &Session) -> u64 {
    let text = session.session_id.to_string();
    text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{CandidateName, Identity, SessionId};

    fn posed(kind: InterviewType, n: u32) -> Vec<Difficulty> {
        let bank = QuestionBank::embedded();
        let index = BankIndex::new(bank);
        let owner = Identity::new("u", vec![]).expect("an identity");
        (0..n)
            .filter_map(|i| {
                let id =
                    SessionId::parse(&format!("3f2c1a9e-8d4b-4c6a-9e1f-{i:012x}")).expect("an id");
                let session = Session::new(
                    id,
                    &owner,
                    kind,
                    CandidateName::parse("Ada Lovelace").expect("a name"),
                    chrono::Utc::now(),
                );
                build(bank, &index, &session)
                    .steps
                    .iter()
                    .find_map(|s| match s {
                        Step::Coding { id } => bank.coding_problem(id).map(|p| p.difficulty),
                        _ => None,
                    })
            })
            .collect()
    }

    #[test]
    fn an_sde_loop_poses_medium_or_hard_problems_and_practice_any() {
        for kind in [
            InterviewType::GoogleSde,
            InterviewType::AmazonSde,
            InterviewType::MicrosoftSde,
        ] {
            let drawn = posed(kind, 200);
            assert_eq!(drawn.len(), 200, "{kind:?}: every plan has a problem");
            assert!(drawn.iter().all(|d| *d >= Difficulty::Medium), "{kind:?}");
        }
        assert!(posed(InterviewType::Coding, 200).contains(&Difficulty::Easy));
    }
}
