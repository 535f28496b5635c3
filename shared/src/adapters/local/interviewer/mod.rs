//! The local interviewer: an interview plan per type from our question bank, follow-ups on the key points an
//! answer missed, resume-based questions, a coding problem for SDE and Coding interviews, and answers to the
//! candidate's own questions by retrieval over the bank. Deterministic for a session (seeded by its id), so tests
//! can assert on what it says. It streams its reply in chunks, as the Bedrock Agent does.

mod retrieval;
mod text_match;

use std::sync::Arc;

use async_trait::async_trait;
use futures::stream;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use self::retrieval::BankIndex;
use self::text_match::{contains_keyword, normalise};
use crate::domain::{InterviewType, ReplyKind, Session};
use crate::knowledge::{CodingProblem, Difficulty, KeyPoint, Question, QuestionBank};
use crate::ports::{
    CodeRunSummary, InterviewInput, InterviewTurn, Interviewer, InterviewerError, InterviewerEvent,
    InterviewerStream,
};

pub use text_match::{contains_keyword as keyword_in, normalise as normalise_for_matching};

/// The interviewer over a question bank.
pub struct LocalInterviewer {
    bank: Arc<QuestionBank>,
    index: BankIndex,
}

/// Where the interview stands between turns (kept in the session's `agent_state`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct PlanState {
    steps: Vec<Step>,
    index: usize,
    #[serde(default)]
    follow_ups_asked: u32,
    #[serde(default)]
    coding_passed: bool,
    #[serde(default)]
    coding_turns: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Step {
    Question {
        id: String,
        /// The resume skill that made us pick it, when it was picked from the CV.
        #[serde(default)]
        resume_skill: Option<String>,
    },
    Coding {
        id: String,
    },
    WrapUp,
}

/// Core questions per interview, besides resume questions and the coding problem.
const CORE_QUESTIONS: usize = 4;
/// Resume-based questions when a CV analysis lists matching skills.
const RESUME_QUESTIONS: usize = 2;
/// Below this share of key points covered, the interviewer follows up once before moving on.
const FOLLOW_UP_BELOW: f64 = 0.5;
/// Words per streamed chunk.
const CHUNK_WORDS: usize = 4;

/// A reply being assembled: text plus, optionally, a coding problem for the client, and what the reply does.
#[derive(Default)]
struct Reply {
    text: String,
    problem: Option<Value>,
    kind: Option<ReplyKind>,
}

impl Reply {
    fn say(&mut self, sentence: impl AsRef<str>) {
        let sentence = sentence.as_ref().trim();
        if sentence.is_empty() {
            return;
        }
        if !self.text.is_empty() {
            self.text.push(' ');
        }
        self.text.push_str(sentence);
    }
}

impl LocalInterviewer {
    pub fn new(bank: Arc<QuestionBank>) -> Self {
        let index = BankIndex::new(&bank);
        Self { bank, index }
    }

    /// Over the bank compiled into the binary.
    pub fn embedded() -> Self {
        Self::new(Arc::new(QuestionBank::embedded().clone()))
    }

    /// Builds the plan for a session: resume questions, core questions of rising difficulty, a coding problem
    /// where the interview type has one, and the wrap-up.
    fn plan(&self, session: &Session) -> PlanState {
        let mut rng = fastrand::Rng::with_seed(seed_of(session));
        let mut steps = Vec::new();
        let own: Vec<&Question> = self.bank.questions_for(session.interview_type).collect();
        let mut taken: Vec<String> = Vec::new();

        for skill in cv_skills(session) {
            if steps.len() >= RESUME_QUESTIONS {
                break;
            }
            let wanted = skill.to_lowercase();
            let matches = |q: &&Question| {
                !taken.contains(&q.id) && q.skills.iter().any(|s| s.to_lowercase() == wanted)
            };
            let candidate = own
                .iter()
                .copied()
                .filter(matches)
                .min_by_key(|q| q.difficulty)
                .or_else(|| {
                    self.bank
                        .questions
                        .iter()
                        .filter(matches)
                        .min_by_key(|q| q.difficulty)
                });
            if let Some(q) = candidate {
                taken.push(q.id.clone());
                steps.push(Step::Question {
                    id: q.id.clone(),
                    resume_skill: Some(skill.clone()),
                });
            }
        }

        let mut pool: Vec<&Question> = own.into_iter().filter(|q| !taken.contains(&q.id)).collect();
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
        }));

        if has_coding(session.interview_type) {
            let problems: Vec<&CodingProblem> = self
                .bank
                .coding
                .iter()
                .filter(|p| {
                    p.interview_types.is_empty()
                        || p.interview_types.contains(&session.interview_type)
                })
                .collect();
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
        }
    }

    fn question(&self, id: &str) -> Option<&Question> {
        self.bank.question(id)
    }

    /// Puts the current step to the candidate.
    fn ask_current(&self, session: &Session, state: &PlanState, reply: &mut Reply) {
        reply
            .kind
            .get_or_insert(match state.steps.get(state.index) {
                Some(Step::Question { .. }) => ReplyKind::Question,
                Some(Step::Coding { .. }) => ReplyKind::CodingProblem,
                Some(Step::WrapUp) | None => ReplyKind::WrapUp,
            });
        match state.steps.get(state.index) {
            Some(Step::Question { id, resume_skill }) => {
                if let Some(q) = self.question(id) {
                    if let Some(skill) = resume_skill {
                        reply.say(format!("I see {skill} on your resume."));
                    }
                    reply.say(&q.text);
                }
            }
            Some(Step::Coding { id }) => {
                if let Some(p) = self.bank.coding_problem(id) {
                    reply.say(format!(
                        "Let's do a coding problem: {}. The statement and tests are in your editor. Write `{}` in \
                         Python or `{}` in JavaScript, run it against the tests, and talk me through your approach.",
                        p.title, p.function_names.python, p.function_names.javascript
                    ));
                    reply.problem = Some(problem_for_client(p));
                }
            }
            Some(Step::WrapUp) | None => {
                reply.say(format!(
                    "That's all my questions — thank you, {}. Do you have any questions for me? When you're ready, \
                     end the interview to see your report.",
                    first_name(session)
                ));
            }
        }
    }

    fn advance(&self, session: &Session, state: &mut PlanState, reply: &mut Reply) {
        if state.index + 1 < state.steps.len() {
            state.index += 1;
        }
        state.follow_ups_asked = 0;
        state.coding_passed = false;
        state.coding_turns = 0;
        self.ask_current(session, state, reply);
    }

    fn start(&self, session: &Session, existing: Option<PlanState>) -> (PlanState, Reply) {
        let mut reply = Reply::default();
        match existing {
            Some(state) if state.index > 0 || state.follow_ups_asked > 0 => {
                reply.kind = Some(ReplyKind::Resumed);
                reply.say("Welcome back — let's pick up where we left off.");
                self.ask_current(session, &state, &mut reply);
                (state, reply)
            }
            _ => {
                let state = self.plan(session);
                let questions = state
                    .steps
                    .iter()
                    .filter(|s| matches!(s, Step::Question { .. }))
                    .count();
                let coding = state.steps.iter().any(|s| matches!(s, Step::Coding { .. }));
                reply.say(format!(
                    "Hi {}, I'm your interviewer for this {} interview. We'll go through {} questions{}.",
                    first_name(session),
                    session.interview_type,
                    questions,
                    if coding { " and a coding problem" } else { "" }
                ));
                if let Some(role) = cv_latest_role(session) {
                    reply.say(format!("I see from your resume that you work as {role}."));
                }
                reply.say("Take your time and think out loud.");
                self.ask_current(session, &state, &mut reply);
                (state, reply)
            }
        }
    }

    fn answer(&self, session: &Session, mut state: PlanState, text: &str) -> (PlanState, Reply) {
        let mut reply = Reply::default();
        let normalised = normalise(text);
        if wants_to_skip(&normalised) && !matches!(state.steps.get(state.index), Some(Step::WrapUp))
        {
            reply.say("No problem, let's move on.");
            self.advance(session, &mut state, &mut reply);
            return (state, reply);
        }
        if is_question_to_interviewer(text) {
            reply.kind = Some(ReplyKind::Clarification);
            self.answer_their_question(text, &mut reply);
            if !matches!(state.steps.get(state.index), Some(Step::WrapUp)) {
                reply.say("Now, back to my question.");
                self.ask_current(session, &state, &mut reply);
            }
            return (state, reply);
        }
        match state.steps.get(state.index).cloned() {
            Some(Step::Question { id, .. }) => {
                let Some(q) = self.question(&id) else {
                    self.advance(session, &mut state, &mut reply);
                    return (state, reply);
                };
                let (covered, missed) = coverage(&q.key_points, &normalised);
                let share = covered.len() as f64 / q.key_points.len().max(1) as f64;
                let follow_up = missed.iter().find_map(|kp| kp.follow_up.clone());
                if share < FOLLOW_UP_BELOW && state.follow_ups_asked == 0 && follow_up.is_some() {
                    state.follow_ups_asked += 1;
                    reply.kind = Some(ReplyKind::FollowUp);
                    if let Some(kp) = covered.first() {
                        reply.say(format!(
                            "Thanks — good point on {}.",
                            lower_first(&kp.point)
                        ));
                    } else {
                        reply.say("Thanks.");
                    }
                    reply.say(follow_up.unwrap_or_default());
                } else {
                    acknowledge(&covered, &mut reply);
                    self.advance(session, &mut state, &mut reply);
                }
            }
            Some(Step::Coding { id }) => {
                state.coding_turns += 1;
                let problem = self.bank.coding_problem(&id);
                if state.coding_passed || state.coding_turns >= 3 {
                    if let Some(p) = problem {
                        let (covered, _) = coverage(&p.key_points, &normalised);
                        acknowledge(&covered, &mut reply);
                    }
                    self.advance(session, &mut state, &mut reply);
                } else {
                    reply.kind = Some(ReplyKind::Remark);
                    reply.say(
                        "That sounds like a reasonable plan. Go ahead and implement it, then run it against the \
                         tests.",
                    );
                }
            }
            Some(Step::WrapUp) | None => {
                reply.kind = Some(ReplyKind::WrapUp);
                reply.say(format!(
                    "Thank you, {}. You can end the interview whenever you're ready to see your report.",
                    first_name(session)
                ));
            }
        }
        (state, reply)
    }

    fn code_result(&self, mut state: PlanState, run: &CodeRunSummary) -> (PlanState, Reply) {
        let mut reply = Reply::default();
        let problem = match state.steps.get(state.index) {
            Some(Step::Coding { id }) => self.bank.coding_problem(id),
            _ => None,
        };
        if run.total > 0 && run.passed == run.total {
            state.coding_passed = true;
            // The complexity question is about the code just run: a follow-up of the coding problem.
            reply.kind = Some(ReplyKind::FollowUp);
            reply.say(format!("Nice — all {} tests pass.", run.total));
            let follow_up = problem
                .and_then(|p| p.key_points.iter().find_map(|kp| kp.follow_up.clone()))
                .unwrap_or_else(|| {
                    "What are the time and space complexity of your solution?".to_owned()
                });
            reply.say(follow_up);
        } else {
            reply.kind = Some(ReplyKind::Remark);
            if run.total == 0 {
                reply.say("Your code didn't get as far as the tests.");
            } else {
                reply.say(format!("{} of {} tests pass.", run.passed, run.total));
            }
            if let Some(failure) = &run.first_failure {
                reply.say(format!("The first problem: {failure}."));
            }
            reply.say("Take another look, and tell me what you think is going on.");
        }
        (state, reply)
    }

    fn answer_their_question(&self, text: &str, reply: &mut Reply) {
        match self.index.best(text).and_then(|i| self.bank.questions.get(i)) {
            Some(q) => {
                let points: Vec<String> = q.key_points.iter().take(3).map(|kp| lower_first(&kp.point)).collect();
                reply.say(format!("Good question. In short: {}.", points.join("; ")));
            }
            None => reply.say(
                "Good question — I don't have a definitive answer for that here; it's a great one to ask your \
                 interviewers.",
            ),
        }
    }
}

#[async_trait]
impl Interviewer for LocalInterviewer {
    async fn turn(&self, turn: InterviewTurn) -> Result<InterviewerStream, InterviewerError> {
        let session = &turn.session;
        let existing: Option<PlanState> = session
            .agent_state
            .clone()
            .and_then(|s| serde_json::from_value(s).ok());
        let (state, reply) = match (&turn.input, existing) {
            (InterviewInput::Start, existing) => self.start(session, existing),
            (InterviewInput::Answer(_) | InterviewInput::CodeResult(_), None) => {
                self.start(session, None)
            }
            (InterviewInput::Answer(text), Some(state)) => self.answer(session, state, text),
            (InterviewInput::CodeResult(run), Some(state)) => self.code_result(state, run),
        };
        let mut events: Vec<Result<InterviewerEvent, InterviewerError>> = reply
            .kind
            .map(|k| Ok(InterviewerEvent::Kind(k)))
            .into_iter()
            .collect();
        events.extend(
            chunk(&reply.text)
                .into_iter()
                .map(|c| Ok(InterviewerEvent::Chunk(c))),
        );
        if let Some(problem) = reply.problem {
            events.push(Ok(InterviewerEvent::CodingProblem(problem)));
        }
        events.push(Ok(InterviewerEvent::Done {
            state: serde_json::to_value(&state).ok(),
        }));
        Ok(Box::pin(stream::iter(events)))
    }
}

/// The key points an answer covered and missed.
fn coverage<'a>(
    points: &'a [KeyPoint],
    normalised_answer: &str,
) -> (Vec<&'a KeyPoint>, Vec<&'a KeyPoint>) {
    points.iter().partition(|kp| {
        kp.keywords
            .iter()
            .any(|k| contains_keyword(normalised_answer, k))
    })
}

fn acknowledge(covered: &[&KeyPoint], reply: &mut Reply) {
    match covered {
        [] => reply.say("Okay."),
        [one] => reply.say(format!("Good — you covered {}.", lower_first(&one.point))),
        [one, two, ..] => reply.say(format!(
            "Good — you covered {} and {}.",
            lower_first(&one.point),
            lower_first(&two.point)
        )),
    }
}

/// What the client needs to show and run a problem (reference solutions and hidden tests stay on the server).
fn problem_for_client(p: &CodingProblem) -> Value {
    p.for_client()
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

fn cv_skills(session: &Session) -> Vec<String> {
    session
        .cv_analysis
        .as_ref()
        .and_then(|cv| cv.get("skills"))
        .and_then(Value::as_array)
        .map(|skills| {
            skills
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// The resume's current (or else first listed) position, as "title at company", from the analysis as the candidate
/// last corrected it.
fn cv_latest_role(session: &Session) -> Option<String> {
    let jobs = session
        .cv_analysis
        .as_ref()?
        .get("experience")?
        .as_array()?;
    let current = jobs
        .iter()
        .find(|j| {
            j.get("endDate")
                .and_then(Value::as_str)
                .is_some_and(|e| e.eq_ignore_ascii_case("present"))
        })
        .or_else(|| jobs.first())?;
    let field = |name: &str| {
        current
            .get(name)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|t| !t.is_empty())
    };
    match (field("title"), field("company")) {
        (Some(title), Some(company)) => Some(format!("{title} at {company}")),
        (Some(title), None) => Some(title.to_owned()),
        (None, Some(company)) => Some(format!("a member of the team at {company}")),
        (None, None) => None,
    }
}

fn first_name(session: &Session) -> String {
    session
        .candidate_name
        .as_str()
        .split_whitespace()
        .next()
        .unwrap_or("there")
        .to_owned()
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        // Keep acronyms ("TCP", "CAP theorem") as written.
        Some(_) if chars.clone().next().is_some_and(char::is_uppercase) => text.to_owned(),
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn wants_to_skip(normalised: &str) -> bool {
    let t = normalised.trim();
    [
        "skip",
        "pass",
        "next question",
        "move on",
        "i don t know",
        "no idea",
        "idk",
    ]
    .iter()
    .any(|p| t == *p || (t.len() < 40 && t.starts_with(p)))
}

fn is_question_to_interviewer(text: &str) -> bool {
    let t = text.trim();
    t.ends_with('?') && t.split_whitespace().count() <= 40
}

/// Splits a reply into chunks of a few words, keeping the spacing, so it streams like a model's output.
fn chunk(text: &str) -> Vec<String> {
    let words: Vec<&str> = text.split_inclusive(' ').collect();
    words
        .chunks(CHUNK_WORDS)
        .map(|c| c.concat())
        .filter(|c| !c.is_empty())
        .collect()
}

#[cfg(test)]
mod tests;
