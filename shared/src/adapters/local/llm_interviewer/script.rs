//! What a turn must say, read from the bank interviewer's reply: either the reply as it stands (a coding problem, a
//! remark on a run, the wrap-up — structured messages a model must not reword), or its lead-in, which the model may
//! phrase, and its question, which is said unchanged (the scorer recognises bank questions by their text).
//!
//! The bank interviewer's plan is read from the state it hands back (`agent_state`): only the fields needed to
//! find the current question, read leniently, so a change there degrades to the bank reply rather than an error.

use serde::Deserialize;
use serde_json::Value;

use crate::domain::ReplyKind;
use crate::knowledge::{KeyPoint, QuestionBank};

/// How one reply is said.
#[derive(Clone, Debug, PartialEq)]
pub enum Script {
    /// The bank reply, word for word.
    Verbatim,
    /// A lead-in the model phrases, then the bank's question unchanged.
    LeadIn(LeadIn),
}

/// The parts of a reply the model phrases around.
#[derive(Clone, Debug, PartialEq)]
pub struct LeadIn {
    /// What the bank interviewer says before its question (the model conveys it in its own words).
    pub bank_lead_in: String,
    /// The question, said as the bank interviewer wrote it.
    pub question: String,
    /// What the model may know but never say.
    pub private: PrivateContext,
}

/// The current question's key points and follow-ups: context for the model, never for the candidate.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PrivateContext {
    pub key_points: Vec<String>,
    pub follow_ups: Vec<String>,
    /// Key points the candidate has not made yet: the model's words may never contain one.
    pub unmade: Vec<String>,
}

/// The part of the bank interviewer's state this adapter reads.
#[derive(Deserialize)]
struct PlanView {
    steps: Vec<StepView>,
    index: usize,
    #[serde(default)]
    covered: Vec<usize>,
}

#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum StepView {
    Question {
        id: String,
    },
    Coding {
        id: String,
    },
    Experience {},
    #[serde(other)]
    Other,
}

/// Decides how the bank reply `text` of kind `kind` is said, given the bank interviewer's new `state`.
pub fn plan(
    bank: &QuestionBank,
    kind: Option<ReplyKind>,
    has_problem: bool,
    state: Option<&Value>,
    text: &str,
) -> Script {
    let conversational = matches!(
        kind,
        Some(
            ReplyKind::Question
                | ReplyKind::FollowUp
                | ReplyKind::Clarification
                | ReplyKind::Resumed
        )
    );
    if !conversational || has_problem {
        return Script::Verbatim;
    }
    let Some(view) = state.and_then(|s| serde_json::from_value::<PlanView>(s.clone()).ok()) else {
        return Script::Verbatim;
    };
    let step = view.steps.get(view.index);
    let (anchors, private) = current_step(bank, &view);
    // Questions about the candidate's own position, and the coding problem's follow-ups, are worded from the
    // resume or by rules of the bank interviewer's own: one sentence, the reply's last. Anything else unplaced
    // (a clarification about the coding problem or the wrap-up) is said as written.
    let last_sentence_asks = matches!(step, Some(StepView::Experience {}))
        || (matches!(step, Some(StepView::Coding { .. })) && kind == Some(ReplyKind::FollowUp));
    let split = anchors
        .iter()
        .filter_map(|a| find_phrase(text, a))
        .min()
        .or_else(|| last_sentence_asks.then(|| last_sentence(text)).flatten());
    match split {
        Some(at) if at > 0 && !text[..at].trim().is_empty() => Script::LeadIn(LeadIn {
            bank_lead_in: text[..at].trim().to_owned(),
            question: text[at..].trim().to_owned(),
            private,
        }),
        _ => Script::Verbatim,
    }
}

/// The texts the current step may be asked with (its question and follow-ups) and its private context.
fn current_step(bank: &QuestionBank, view: &PlanView) -> (Vec<String>, PrivateContext) {
    let (text, points, extra): (Option<&str>, &[KeyPoint], &[String]) =
        match view.steps.get(view.index) {
            Some(StepView::Question { id }) => match bank.question(id) {
                Some(q) => (Some(&q.text), &q.key_points, &q.follow_ups),
                None => return Default::default(),
            },
            Some(StepView::Coding { id }) => match bank.coding_problem(id) {
                Some(p) => (None, &p.key_points, &[]),
                None => return Default::default(),
            },
            _ => return Default::default(),
        };
    let follow_ups: Vec<String> = points
        .iter()
        .filter_map(|kp| kp.follow_up.clone())
        .chain(extra.iter().cloned())
        .collect();
    let anchors = text
        .map(str::to_owned)
        .into_iter()
        .chain(follow_ups.iter().cloned())
        .collect();
    let private = PrivateContext {
        key_points: points.iter().map(|kp| kp.point.clone()).collect(),
        unmade: points
            .iter()
            .enumerate()
            .filter(|(i, _)| !view.covered.contains(i))
            .map(|(_, kp)| kp.point.clone())
            .collect(),
        follow_ups,
    };
    (anchors, private)
}

/// Where `phrase` starts in `text` (byte offset, at a word's start), comparing letters and digits only, so the
/// Markdown the bank interviewer drops (`**`, backticks) and spacing do not matter.
fn find_phrase(text: &str, phrase: &str) -> Option<usize> {
    let hay: Vec<(usize, char)> = text
        .char_indices()
        .filter(|(_, c)| c.is_alphanumeric())
        .flat_map(|(i, c)| c.to_lowercase().map(move |l| (i, l)))
        .collect();
    let needle: Vec<char> = phrase
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    if needle.is_empty() || needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len())
        .filter(|&s| {
            hay[s..s + needle.len()]
                .iter()
                .map(|(_, c)| *c)
                .eq(needle.iter().copied())
        })
        .map(|s| word_start(text, hay[s].0))
        .find(|&at| at == 0 || text[..at].ends_with(char::is_whitespace))
}

/// Where the word whose first letter is at byte `at` starts: back over marks before it (an opening quote, a
/// backtick), never over letters.
fn word_start(text: &str, at: usize) -> usize {
    text[..at]
        .char_indices()
        .rev()
        .take_while(|(_, c)| !c.is_whitespace() && !c.is_alphanumeric())
        .last()
        .map_or(at, |(i, _)| i)
}

/// Where the last sentence of `text` starts, when the text has more than one: after a `.`, `!` or `?` and a blank,
/// before a capital or an opening quote, outside curly quotes (a resume highlight may hold full stops).
fn last_sentence(text: &str) -> Option<usize> {
    let mut quoted = false;
    let mut last = None;
    let mut prev: Option<char> = None;
    let mut after_stop = false;
    for (i, c) in text.char_indices() {
        match c {
            '“' => quoted = true,
            '”' => quoted = false,
            _ => {}
        }
        if c.is_whitespace() {
            if matches!(prev, Some('.' | '!' | '?')) && !quoted {
                after_stop = true;
            }
        } else {
            if after_stop && (c.is_uppercase() || matches!(c, '“' | '"' | '\'')) {
                last = Some(i);
            }
            after_stop = false;
        }
        prev = Some(c);
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_are_found_at_word_starts_ignoring_markdown() {
        let text = "Thanks. How does a hash map work?";
        assert_eq!(find_phrase(text, "How does a **hash map** work?"), Some(8));
        assert_eq!(find_phrase("Thanks. `map()` does", "`map()` does"), Some(8));
        assert_eq!(find_phrase("cash map work", "ash map"), None);
    }

    #[test]
    fn the_last_sentence_skips_stops_inside_quotes() {
        let text =
            "Thanks. At Acme — your resume mentions “cut costs. Big wins”: how did you do it?";
        assert_eq!(last_sentence(text), Some(8));
        assert_eq!(last_sentence("Just one sentence?"), None);
    }

    #[test]
    fn structured_replies_stay_verbatim() {
        let bank = QuestionBank::default();
        for kind in [
            Some(ReplyKind::WrapUp),
            Some(ReplyKind::Remark),
            Some(ReplyKind::CodingProblem),
            None,
        ] {
            assert_eq!(
                plan(&bank, kind, false, None, "Thanks. Bye."),
                Script::Verbatim
            );
        }
        assert_eq!(
            plan(
                &bank,
                Some(ReplyKind::Question),
                true,
                None,
                "Thanks. Solve it."
            ),
            Script::Verbatim
        );
    }
}

/// Whole interviews with the bank interviewer over the embedded bank, of every type, with a resume: every reply a
/// model may phrase splits into the bank's lead-in and a question that ends the reply unchanged, and a bank
/// question is always whole in the part said unchanged.
#[cfg(test)]
mod interviews {
    use futures::StreamExt;
    use serde_json::json;

    use super::*;
    use crate::adapters::local::LocalInterviewer;
    use crate::domain::{CandidateName, Identity, InterviewType, Session, SessionId};
    use crate::ports::{
        CodeRunSummary, InterviewInput, InterviewTurn, Interviewer, InterviewerEvent,
    };

    async fn reply(
        i: &LocalInterviewer,
        s: &mut Session,
        input: InterviewInput,
    ) -> (Option<ReplyKind>, bool, String) {
        let mut stream = i
            .turn(InterviewTurn {
                session: s.clone(),
                input,
            })
            .await
            .unwrap();
        let (mut kind, mut problem, mut text) = (None, false, String::new());
        while let Some(event) = stream.next().await {
            match event.unwrap() {
                InterviewerEvent::Kind(k) => kind = Some(k),
                InterviewerEvent::Chunk(c) => text.push_str(&c),
                InterviewerEvent::CodingProblem(_) => problem = true,
                InterviewerEvent::Done { state } => s.agent_state = state,
            }
        }
        (kind, problem, text)
    }

    #[tokio::test]
    async fn every_phrased_reply_ends_with_the_bank_question_unchanged() {
        let bank = QuestionBank::embedded();
        let i = LocalInterviewer::new(std::sync::Arc::new(bank.clone()));
        let answers = [
            "Hmm.",
            "What do you mean by that?",
            "I don't know.",
            "I would start with the requirements, pick a simple design, measure it, and iterate on the parts \
             that turn out to matter most for the users and the team over the following months.",
            "Let's skip this one.",
        ];
        let mut phrased = 0;
        let mut about_positions = 0;
        let cvs = [
            json!({
                "skills": ["Python", "Kafka"],
                "experience": [{"title": "Senior Engineer", "company": "Acme Inc.", "startDate": "2019",
                    "endDate": "Present", "highlights": ["Cut costs by 30%. Led the migration."]}]
            }),
            json!({
                "experience": [{"title": "Florist", "company": "Petals Ltd.", "startDate": "2019",
                    "endDate": "Present", "highlights": ["Arranged flowers. Won a prize."]}]
            }),
        ];
        let runs = InterviewType::ALL
            .into_iter()
            .flat_map(|t| cvs.iter().map(move |cv| (t, cv)))
            .enumerate();
        for (n, (interview_type, cv)) in runs {
            let owner = Identity::new("u", vec![]).unwrap();
            let mut s = Session::new(
                SessionId::parse(&format!("3f2c1a9e-8d4b-4c6a-9e1f-2b3c4d5e6f{n:02}")).unwrap(),
                &owner,
                interview_type,
                CandidateName::parse("Ada Lovelace").unwrap(),
                chrono::Utc::now(),
            );
            s.cv_analysis = Some(cv.clone());
            let mut inputs = vec![InterviewInput::Start];
            for turn in 0..24 {
                inputs.push(InterviewInput::Answer(answers[turn % answers.len()].into()));
                if turn == 12 {
                    inputs.push(InterviewInput::CodeResult(CodeRunSummary {
                        language: "python".into(),
                        passed: 3,
                        total: 3,
                        first_failure: None,
                    }));
                }
            }
            for input in inputs {
                let (kind, problem, text) = reply(&i, &mut s, input).await;
                let Script::LeadIn(lead_in) =
                    plan(bank, kind, problem, s.agent_state.as_ref(), &text)
                else {
                    continue;
                };
                phrased += 1;
                assert!(text.ends_with(&lead_in.question), "{text}");
                assert!(!lead_in.bank_lead_in.is_empty() && !lead_in.question.is_empty());
                let view: PlanView =
                    serde_json::from_value(s.agent_state.clone().unwrap()).unwrap();
                if let Some(StepView::Experience {}) = view.steps.get(view.index)
                    && kind != Some(ReplyKind::FollowUp)
                {
                    about_positions += 1;
                    assert!(
                        lead_in.question.contains("Petals Ltd."),
                        "{}",
                        lead_in.question
                    );
                }
                if let Some(StepView::Question { id }) = view.steps.get(view.index)
                    && kind != Some(ReplyKind::FollowUp)
                {
                    let q = bank.question(id).unwrap();
                    assert!(
                        find_phrase(&lead_in.question, &q.text) == Some(0),
                        "{} | {}",
                        lead_in.bank_lead_in,
                        lead_in.question
                    );
                }
            }
        }
        assert!(phrased > 40, "{phrased}");
        assert!(about_positions > 0);
    }
}
