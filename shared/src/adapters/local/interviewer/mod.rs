//! The local interviewer: an interview plan per type from our question bank, follow-ups on the key points an
//! answer missed, questions about the candidate's own positions from their resume, a coding problem for SDE and
//! Coding interviews with remarks on what the candidate says about it, and answers to the candidate's clarifying
//! questions from what the question means (never from its key points). Deterministic for a session (seeded by its
//! id), so tests can assert on what it says. It streams its reply in chunks, as the Bedrock Agent does, and marks
//! each reply with what it does ([`ReplyKind`]) for the scorer.

mod clarification;
mod coding_talk;
mod coverage;
mod intent;
mod plan;
mod resume;
mod retrieval;
mod text_match;
mod wording;

use std::sync::Arc;

use async_trait::async_trait;
use futures::stream;
use serde_json::Value;

use self::clarification::Topic;
use self::intent::Intent;
use self::plan::{PlanState, Step};
use self::retrieval::BankIndex;
use self::text_match::normalise;
use self::wording::{Casing, first_name, plain};
use crate::domain::{ReplyKind, Session};
use crate::knowledge::{KeyPoint, QuestionBank};
use crate::ports::{
    CodeRunSummary, InterviewInput, InterviewTurn, Interviewer, InterviewerError, InterviewerEvent,
    InterviewerStream,
};

pub use text_match::{contains_keyword as keyword_in, normalise as normalise_for_matching};

/// The interviewer over a question bank.
pub struct LocalInterviewer {
    bank: Arc<QuestionBank>,
    index: BankIndex,
    casing: Casing,
}

/// Below this share of key points covered, the interviewer follows up before moving on.
const FOLLOW_UP_BELOW: f64 = 0.5;
/// The most follow-ups on one question: after these, the interviewer moves on whatever the answers covered.
const MAX_FOLLOW_UPS: u32 = 2;
/// Messages about the coding problem, before a passing run, after which the interviewer moves on.
const MAX_CODING_TURNS: u32 = 3;
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
    /// Adds a sentence, as plain text (bank Markdown such as inline code marks never reaches the candidate).
    fn say(&mut self, sentence: impl AsRef<str>) {
        let sentence = plain(sentence.as_ref().trim());
        if sentence.is_empty() {
            return;
        }
        if !self.text.is_empty() {
            self.text.push(' ');
        }
        self.text.push_str(&sentence);
    }
}

impl LocalInterviewer {
    /// Over `bank`, with the retrieval index and the casing of its terms built once, not per turn.
    pub fn new(bank: Arc<QuestionBank>) -> Self {
        let index = BankIndex::new(&bank);
        let casing = Casing::new(&bank);
        Self {
            bank,
            index,
            casing,
        }
    }

    /// Over the bank compiled into the binary.
    pub fn embedded() -> Self {
        Self::new(Arc::new(QuestionBank::embedded().clone()))
    }

    /// Puts the current step to the candidate.
    fn ask_current(&self, session: &Session, state: &PlanState, reply: &mut Reply) {
        self.put_step(session, state, true, reply);
    }

    /// Puts the current step, with or without the resume lead-in of a bank question (a question repeated after a
    /// clarification goes without it).
    fn put_step(&self, session: &Session, state: &PlanState, lead_in: bool, reply: &mut Reply) {
        let step = state.steps.get(state.index);
        reply.kind.get_or_insert(match step {
            Some(Step::Question { .. } | Step::Experience { .. }) => ReplyKind::Question,
            Some(Step::Coding { .. }) => ReplyKind::CodingProblem,
            Some(Step::WrapUp) | None => ReplyKind::WrapUp,
        });
        match step {
            Some(Step::Question {
                id,
                resume_skill,
                role,
            }) => {
                if let Some(q) = self.bank.question(id) {
                    match (role, resume_skill) {
                        _ if !lead_in => {}
                        (Some(role), skill) => reply.say(role.lead_in(skill.as_deref())),
                        (None, Some(skill)) => reply.say(format!("I see {skill} on your resume.")),
                        (None, None) => {}
                    }
                    reply.say(&q.text);
                }
            }
            Some(Step::Experience { role }) => reply.say(role.question()),
            Some(Step::Coding { id }) => {
                if let Some(p) = self.bank.coding_problem(id) {
                    reply.say(format!(
                        "Let's do a coding problem: {}. The statement and tests are in your editor. Write {} in \
                         Python or {} in JavaScript, run it against the tests, and talk me through your approach.",
                        p.title, p.function_names.python, p.function_names.javascript
                    ));
                    reply.problem = Some(p.for_client());
                }
            }
            Some(Step::WrapUp) | None => {
                reply.say(format!(
                    "That's all my questions — thank you, {}. Do you have any questions for me? When you're ready, \
                     end the interview to see your report.",
                    first_name(session.candidate_name.as_str())
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
        state.covered.clear();
        state.followed_up.clear();
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
                let state = plan::build(&self.bank, &self.index, session);
                let questions = state.steps.iter().filter(|s| s.is_question()).count();
                let coding = state.steps.iter().any(|s| matches!(s, Step::Coding { .. }));
                reply.say(format!(
                    "Hi {}, I'm your interviewer for this {} interview. We'll go through {} questions{}.",
                    first_name(session.candidate_name.as_str()),
                    session.interview_type,
                    questions,
                    if coding { " and a coding problem" } else { "" }
                ));
                if let Some(position) = resume::positions(session).first() {
                    reply.say(format!(
                        "I see from your resume that you work as {}.",
                        resume::greeting_role(position)
                    ));
                }
                reply.say("Take your time and think out loud.");
                self.ask_current(session, &state, &mut reply);
                (state, reply)
            }
        }
    }

    fn answer(&self, session: &Session, mut state: PlanState, text: &str) -> (PlanState, Reply) {
        let mut reply = Reply::default();
        let step = state.steps.get(state.index).cloned();
        let at_wrap_up = matches!(step, Some(Step::WrapUp) | None);
        let intent = intent::read(text);
        match intent {
            Intent::Skip if !at_wrap_up => {
                reply.say("No problem, let's move on.");
                self.advance(session, &mut state, &mut reply);
                return (state, reply);
            }
            Intent::AsksInterviewer => {
                reply.kind = Some(ReplyKind::Clarification);
                self.clarify(session, &state, text, &mut reply);
                return (state, reply);
            }
            _ => {}
        }
        let dont_know = intent == Intent::DontKnow;
        match step {
            Some(Step::Question { id, .. }) if dont_know => {
                self.hint_or_move_on(session, &mut state, &id, &mut reply);
            }
            Some(Step::Question { id, .. }) => {
                self.answer_question(session, &mut state, &id, text, &mut reply);
            }
            Some(Step::Experience { .. }) if dont_know => {
                reply.say("That's fine — let's move on.");
                self.advance(session, &mut state, &mut reply);
            }
            Some(Step::Experience { .. }) => {
                self.answer_experience(session, &mut state, text, &mut reply);
            }
            Some(Step::Coding { id }) => {
                self.talk_coding(session, &mut state, &id, text, dont_know, &mut reply);
            }
            Some(Step::WrapUp) | None => {
                reply.kind = Some(ReplyKind::WrapUp);
                reply.say(format!(
                    "Thank you, {}. You can end the interview whenever you're ready to see your report.",
                    first_name(session.candidate_name.as_str())
                ));
            }
        }
        (state, reply)
    }

    /// An answer to a bank question: a follow-up on a missed key point while fewer than half are covered, then,
    /// after each follow-up, another only if the answer covered nothing new (at most [`MAX_FOLLOW_UPS`]); otherwise
    /// an acknowledgement of the points the candidate made and the next question.
    fn answer_question(
        &self,
        session: &Session,
        state: &mut PlanState,
        id: &str,
        text: &str,
        reply: &mut Reply,
    ) {
        let Some(q) = self.bank.question(id) else {
            self.advance(session, state, reply);
            return;
        };
        let now = coverage::covered(&q.key_points, &normalise(text));
        let newly: Vec<usize> = now
            .into_iter()
            .filter(|i| !state.covered.contains(i))
            .collect();
        state.covered.extend(&newly);
        // Praise only the points made in this answer, in the candidate's own words.
        let made: Vec<&KeyPoint> = coverage::said(&q.key_points, text, &q.text)
            .into_iter()
            .filter(|i| newly.contains(i))
            .filter_map(|i| q.key_points.get(i))
            .collect();
        let share = state.covered.len() as f64 / q.key_points.len().max(1) as f64;
        let wants_more = if state.follow_ups_asked == 0 {
            share < FOLLOW_UP_BELOW
        } else {
            newly.is_empty() && state.follow_ups_asked < MAX_FOLLOW_UPS
        };
        let next = coverage::next_follow_up(&q.key_points, &state.covered, &state.followed_up);
        match next.filter(|_| wants_more) {
            Some((i, follow_up)) => {
                reply.kind = Some(ReplyKind::FollowUp);
                match (made.first(), state.follow_ups_asked) {
                    (Some(kp), _) => reply.say(format!(
                        "Thanks — good point on {}.",
                        self.casing.mid_sentence(&kp.point)
                    )),
                    (None, 0) => reply.say("Thanks."),
                    (None, _) => reply.say("Let's look at another part of it."),
                }
                reply.say(follow_up);
                state.follow_ups_asked += 1;
                state.followed_up.push(i);
            }
            None => {
                self.acknowledge(&made, reply);
                self.advance(session, state, reply);
            }
        }
    }

    /// "I don't know" to a bank question: a hint (the follow-up of a point not covered) the first time, else a
    /// kind word and the next question.
    fn hint_or_move_on(
        &self,
        session: &Session,
        state: &mut PlanState,
        id: &str,
        reply: &mut Reply,
    ) {
        let hint = self
            .bank
            .question(id)
            .filter(|_| state.follow_ups_asked == 0)
            .and_then(|q| {
                coverage::next_follow_up(&q.key_points, &state.covered, &state.followed_up)
            });
        match hint {
            Some((i, follow_up)) => {
                reply.kind = Some(ReplyKind::FollowUp);
                reply.say("That's fine — here's a hint to reason from.");
                reply.say(follow_up);
                state.follow_ups_asked += 1;
                state.followed_up.push(i);
            }
            None => {
                reply
                    .say("That's fine — thanks for saying so rather than guessing. Let's move on.");
                self.advance(session, state, reply);
            }
        }
    }

    /// An answer about the candidate's own position: one follow-up when it is too short to say much, then on.
    fn answer_experience(
        &self,
        session: &Session,
        state: &mut PlanState,
        text: &str,
        reply: &mut Reply,
    ) {
        if state.follow_ups_asked == 0 && text.split_whitespace().count() < EXPERIENCE_WORDS {
            state.follow_ups_asked += 1;
            reply.kind = Some(ReplyKind::FollowUp);
            reply.say("Thanks. Could you go a bit deeper — what did you do yourself, and how did it turn out?");
            return;
        }
        reply.say("Thanks — that gives me a good picture of your work there.");
        self.advance(session, state, reply);
    }

    /// What the candidate says while the coding problem is open: a remark on it (or a hint, when they are stuck)
    /// until the solution passes or [`MAX_CODING_TURNS`] messages, then on to the wrap-up.
    fn talk_coding(
        &self,
        session: &Session,
        state: &mut PlanState,
        id: &str,
        text: &str,
        stuck: bool,
        reply: &mut Reply,
    ) {
        state.coding_turns += 1;
        let problem = self.bank.coding_problem(id);
        if state.coding_passed || state.coding_turns >= MAX_CODING_TURNS {
            match problem {
                Some(_) if stuck => reply.say("That's fine — let's move on."),
                Some(p) => {
                    let made: Vec<&KeyPoint> = coverage::said(&p.key_points, text, &p.statement)
                        .into_iter()
                        .filter_map(|i| p.key_points.get(i))
                        .collect();
                    self.acknowledge(&made, reply);
                }
                None => {}
            }
            self.advance(session, state, reply);
            return;
        }
        reply.kind = Some(ReplyKind::Remark);
        let Some(p) = problem else {
            reply.say("Go ahead and implement it, then run it against the tests.");
            return;
        };
        let remark = if stuck {
            coding_talk::hint(p, &state.covered, &state.followed_up)
        } else {
            coding_talk::react(p, text, &state.covered, &state.followed_up)
        };
        for i in coverage::covered(&p.key_points, &normalise(text)) {
            if !state.covered.contains(&i) {
                state.covered.push(i);
            }
        }
        if let Some(i) = remark.hinted {
            state.followed_up.push(i);
        }
        reply.say(remark.text);
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
            reply.say(match problem {
                Some(p) => coding_talk::after_passing(p, &state.covered),
                None => "What are the time and space complexity of your solution?".to_owned(),
            });
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

    /// Answers the candidate's question from what the current question means, then puts the question again (a
    /// coding problem stays in the editor and is not sent again).
    fn clarify(&self, session: &Session, state: &PlanState, text: &str, reply: &mut Reply) {
        let step = state.steps.get(state.index);
        let topic = match step {
            Some(Step::Question { id, .. }) => self.bank.question(id).map(Topic::Question),
            Some(Step::Experience { .. }) => Some(Topic::Experience),
            Some(Step::Coding { id }) => self.bank.coding_problem(id).map(Topic::Coding),
            Some(Step::WrapUp) | None => Some(Topic::WrapUp),
        };
        match &topic {
            Some(topic) => reply.say(clarification::answer(topic, text)),
            None => reply.say("Good question — let's keep going."),
        }
        match step {
            Some(Step::WrapUp) | None => {}
            Some(Step::Coding { .. }) => reply.say("Back to the problem whenever you're ready."),
            Some(Step::Question { .. } | Step::Experience { .. }) => {
                reply.say("Now, back to my question.");
                self.put_step(session, state, false, reply);
            }
        }
    }

    /// Names the key points the candidate made, or simply thanks them.
    fn acknowledge(&self, made: &[&KeyPoint], reply: &mut Reply) {
        match made {
            [] => reply.say("Thanks."),
            [one] => reply.say(format!(
                "Good — you covered {}.",
                self.casing.mid_sentence(&one.point)
            )),
            [one, two, ..] => reply.say(format!(
                "Good — you covered {} and {}.",
                self.casing.mid_sentence(&one.point),
                self.casing.mid_sentence(&two.point)
            )),
        }
    }
}

/// Below this many words, an answer about the candidate's own work gets one follow-up asking for more.
const EXPERIENCE_WORDS: usize = 25;

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
