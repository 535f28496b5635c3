//! A strong Google SDE interview played through the local socket with everything a real one has besides questions
//! and answers — a follow-up, a reloaded page, a clarifying question, a failed run in one language and a passing one
//! in the other, the interviewer's comments on both — and the report read back over HTTP: every answer credited
//! under the question it answered, and none of the product's own messages scored as a question or an answer.

use prepai::adapters::local::interviewer::{keyword_in, normalise_for_matching};
use prepai::knowledge::{Difficulty, KeyPoint, QuestionBank};
use prepai::tools::performance_evaluator::scoring::EASY_SOLVED;
use prepai_tests::candidate::{Candidate, Reply};
use prepai_tests::local_server::LocalServer;
use serde_json::{Value, json};

/// The most messages the candidate sends: the plan is four questions, the coding problem and the wrap-up.
const MAX_TURNS: usize = 24;

/// Asked before answering one question; the interviewer answers it and repeats the question.
const CLARIFYING: &str = "Before I answer, should I optimise for latency or for cost here?";

/// The bank-answers fixture's correct answers for each Google SDE question, best first.
fn correct_answers() -> serde_json::Map<String, Value> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/bank-answers/google-sde.json");
    let text = std::fs::read_to_string(&path).expect("the bank-answers fixture");
    let answers: Value = serde_json::from_str(&text).expect("JSON");
    answers
        .as_object()
        .expect("question id -> answers")
        .iter()
        .map(|(id, a)| (id.clone(), a["correct"].clone()))
        .collect()
}

/// The Google SDE bank question `reply` asks, by its text.
fn asked_in(reply: &str) -> Option<&'static prepai::knowledge::Question> {
    QuestionBank::embedded()
        .questions
        .iter()
        .find(|q| reply.contains(q.text.as_str()))
}

/// The share of `points` the local interviewer sees covered in `answer` (it follows up below one half).
fn covered_share(points: &[KeyPoint], answer: &str) -> f64 {
    let normalised = normalise_for_matching(answer);
    let covered = points
        .iter()
        .filter(|kp| kp.keywords.iter().any(|k| keyword_in(&normalised, k)))
        .count();
    covered as f64 / points.len().max(1) as f64
}

/// `text` split after its first sentence.
fn first_sentence(text: &str) -> (&str, &str) {
    match text.find(". ") {
        Some(end) => (&text[..=end], text[end + 2..].trim()),
        None => (text, ""),
    }
}

fn reviews(report: &Value) -> &Vec<Value> {
    report["answers"]
        .as_array()
        .expect("the per-answer reviews")
}

/// What happened during the interview, for the assertions on the report.
#[derive(Default)]
struct Played {
    /// Bank question ids answered, in order.
    answered: Vec<String>,
    /// (question id, the follow-up asked, the answer to it).
    followed_up: Option<(String, String, String)>,
    /// (question id, the answer given after the clarifying question).
    clarified: Option<(String, String)>,
    reloads: usize,
    /// The coding problem's id, once solved.
    solved: Option<String>,
    /// What the candidate said about the coding problem: the plan, then the answer to the follow-up.
    coding_talk: Vec<String>,
}

/// Plays a strong Google SDE interview on `server` with a follow-up, a clarifying question, two reloads and the
/// coding problem solved at the second attempt; ends it over HTTP and returns the report with what was played.
async fn play_strong_interview(server: &LocalServer) -> (Value, Played) {
    let correct = correct_answers();
    let (mut candidate, mut reply) =
        Candidate::join(server, "grace", "Google SDE", "Grace Hopper").await;
    let mut played = Played::default();

    for _ in 0..MAX_TURNS {
        if reply.kind.as_deref() == Some("wrap_up") {
            break;
        }
        if let Some(problem) = reply.problem.clone() {
            reply = solve(&mut candidate, &problem, &mut played).await;
            continue;
        }
        assert_eq!(
            reply.kind.as_deref(),
            Some("question"),
            "only questions are left to answer: {}",
            reply.text
        );
        let question = asked_in(&reply.text).expect("a bank question");
        let best = correct[&question.id][0].as_str().unwrap();

        // (i) The first question whose answer's opening sentence leaves the interviewer wanting more: say only that,
        // then answer its follow-up with the rest.
        let (opening, rest) = first_sentence(best);
        if played.followed_up.is_none()
            && !rest.is_empty()
            && covered_share(&question.key_points, opening) < 0.5
        {
            let follow_up = candidate.say(opening).await;
            assert_eq!(
                follow_up.kind.as_deref(),
                Some("follow_up"),
                "{}",
                follow_up.text
            );
            let asked = question
                .key_points
                .iter()
                .filter_map(|kp| kp.follow_up.clone())
                .find(|f| follow_up.text.contains(f.as_str()))
                .expect("a follow-up from the question's key points");
            played.followed_up = Some((question.id.clone(), asked, rest.to_owned()));
            played.answered.push(question.id.clone());
            reply = candidate.say(rest).await;
            continue;
        }

        // (iii) On the first other question, a clarifying question first: answered, and the question stands.
        if played.clarified.is_none() {
            let clarification = candidate.say(CLARIFYING).await;
            assert_eq!(
                clarification.kind.as_deref(),
                Some("clarification"),
                "{}",
                clarification.text
            );
            assert!(clarification.text.contains(question.text.as_str()));
            played.clarified = Some((question.id.clone(), best.to_owned()));
        }
        played.answered.push(question.id.clone());
        reply = candidate.say(best).await;
        // A correct answer may still leave a key point to ask about.
        if reply.kind.as_deref() == Some("follow_up") {
            let again = correct[&question.id][1].as_str().unwrap_or(best);
            reply = candidate.say(again).await;
        }

        // (ii) Reload the page once the clarified question is answered, and again after the next.
        if played.clarified.is_some() && played.reloads < 2 {
            let message = if played.reloads == 0 {
                "resume"
            } else {
                "start"
            };
            candidate.reload(message).await;
            played.reloads += 1;
        }
    }
    assert_eq!(reply.kind.as_deref(), Some("wrap_up"), "{}", reply.text);
    assert!(played.followed_up.is_some(), "a follow-up was asked");
    assert!(
        played.clarified.is_some(),
        "a clarifying question was asked"
    );
    assert!(played.solved.is_some(), "the coding problem was solved");
    assert_eq!(played.reloads, 2);

    (candidate.end().await, played)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answer_is_credited_under_its_question_and_the_products_messages_are_not_scored() {
    let server = LocalServer::start().await;
    let (report, played) = play_strong_interview(&server).await;
    let report = &report;
    eprintln!("overall {}", report["overallScore"]);
    let (followed, follow_up, follow_up_answer) = played.followed_up.clone().unwrap();
    let (clarified, clarified_answer) = played.clarified.clone().unwrap();
    let problem = played.solved.clone().unwrap();

    // Nothing the interviewer said is left unanswered: not "welcome back", not a test result, not the reply to the
    // clarifying question.
    let metrics = &report["metrics"];
    assert_eq!(metrics["unansweredQuestions"], 0, "{metrics}");
    assert_eq!(metrics["codeSubmissions"], 2, "{metrics}");

    let reviews = reviews(report);
    for review in reviews {
        let question = review["question"].as_str().unwrap();
        let answer = review["answer"].as_str().unwrap();
        for artefact in [
            "Welcome back",
            "tests pass",
            "Good question",
            "back to my question",
            "reasonable plan",
        ] {
            assert!(
                !question.contains(artefact),
                "the interviewer's own message scored as a question: {review}"
            );
        }
        let follow_ups = review["followUps"].as_array().cloned().unwrap_or_default();
        assert!(
            !follow_ups
                .iter()
                .any(|f| f.as_str().unwrap().contains("Take another look")),
            "the comment on the failing run scored as a follow-up: {review}"
        );
        assert!(
            !answer.starts_with(CLARIFYING),
            "the clarifying question scored as the answer: {review}"
        );
        assert!(
            review["score"].as_f64().unwrap() > 0.0,
            "a 0.0 review: {review}"
        );
        assert!(review["integrity"].is_null(), "{review}");
    }
    for id in &played.answered {
        let under: Vec<&Value> = reviews.iter().filter(|r| r["questionId"] == **id).collect();
        assert_eq!(under.len(), 1, "one review for {id}: {reviews:?}");
    }

    // (i) The follow-up's answer is credited under the question it followed.
    let review = reviews
        .iter()
        .find(|r| r["questionId"] == followed)
        .unwrap();
    let follow_ups: Vec<&str> = review["followUps"]
        .as_array()
        .map(|f| f.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    assert!(
        follow_ups.iter().any(|f| f.contains(follow_up.as_str())),
        "{follow_up:?} under {followed}: {review}"
    );
    // The report quotes each credited sentence lowercased.
    let follow_up_answer = follow_up_answer.to_lowercase();
    let credited_from_follow_up = review["keyPointsCredited"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| follow_up_answer.contains(c["sentence"].as_str().unwrap().trim()))
        .count();
    assert!(
        credited_from_follow_up > 0,
        "no key point credited from the follow-up's answer: {review}"
    );

    // (iii) The clarified question is judged by the answer, not by the clarifying question.
    let review = reviews
        .iter()
        .find(|r| r["questionId"] == clarified)
        .unwrap();
    let opening: String = clarified_answer.chars().take(40).collect();
    assert!(
        review["answer"].as_str().unwrap().starts_with(&opening),
        "{review}"
    );

    // (iv) Two runs in two languages are one problem, judged by its best graded run.
    let problem_items: Vec<&Value> = report["evidence"]["problemSolving"]["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["source"] == "codingProblem")
        .collect();
    assert_eq!(problem_items.len(), 1, "{problem_items:?}");
    let item = problem_items[0];
    assert_eq!(item["questionId"], problem.as_str());
    // Solved at the second graded run: half a point off what the problem earns (an easy one earns less).
    let top = match QuestionBank::embedded()
        .coding_problem(&problem)
        .map(|p| p.difficulty)
    {
        Some(Difficulty::Easy) => EASY_SOLVED,
        _ => 10.0,
    };
    assert_eq!(item["score"].as_f64().unwrap(), top - 0.5, "{item}");
    assert!(
        item["reasons"].as_array().unwrap().iter().any(|r| r
            .as_str()
            .unwrap()
            .contains("one problem, judged by its best graded run")),
        "{item}"
    );
    // Nothing stands against this interview.
    assert_eq!(report["integrity"], json!([]), "{}", report["integrity"]);

    // Strong, though not always 9+: the fixture's behavioral stories give no explicit situation and task (about 7 on
    // STAR), some fixture answers cover only part of their rubric (google-sde-03: 3 of 5 key points, 4.8), and the
    // reference solutions' quality scores range from 5.8 to 10. Measured 6.8–9.1 over 120 sessions; 8.0–9.5 over 100
    // once problem solving and communication read form with the claims and an SDE loop posed only medium and hard
    // problems (each session plans its own questions and problem).
    let overall = report["overallScore"].as_f64().unwrap();
    assert!(overall >= 6.0, "{overall}");
}

/// What the candidate says about the posed problem is scored against that problem's key points, as an answer about
/// a bank question is against its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_coding_discussion_is_scored_against_the_posed_problem() {
    let server = LocalServer::start().await;
    let (report, played) = play_strong_interview(&server).await;
    let problem = played.solved.clone().unwrap();
    let plan: String = played.coding_talk[0].chars().take(40).collect();
    let review = reviews(&report)
        .iter()
        .find(|r| r["answer"].as_str().unwrap().starts_with(&plan))
        .unwrap_or_else(|| panic!("no review of the coding discussion: {}", report["answers"]));
    assert_eq!(review["questionId"], problem.as_str(), "{review}");
    assert_ne!(review["confidence"], "low", "{review}");
    assert!(review["integrity"].is_null(), "{review}");
    assert!(review["score"].as_f64().unwrap() > 0.0, "{review}");
    // Credited against the problem's own key points (how many depends on how the plan is worded; the fixture
    // recites them as fragments, which earn less than sentences that say something about them).
    let credited = review["keyPointsCredited"].as_array().map_or(0, Vec::len);
    assert!(credited >= 1, "{review}");
}

/// The coding problem: the first key point as the plan, a failing JavaScript attempt, the reference Python
/// solution, and the rest of the key points in answer to the interviewer's follow-up on the passing run.
async fn solve(candidate: &mut Candidate<'_>, problem: &Value, played: &mut Played) -> Reply {
    let id = problem["id"].as_str().unwrap();
    let bank = QuestionBank::embedded();
    let reference = bank.coding_problem(id).expect("a bank problem");
    // Each key point said as a sentence with its reason, as a candidate explains a plan — not its rubric label
    // recited (a problem whose labels are verbless fragments, "Complexity of each approach.", reads as a list of
    // terms and earns nothing, which made this test depend on the problem the plan happened to pose).
    let sentence = |kp: &KeyPoint| {
        let point = kp.point.trim_end_matches('.');
        let mut chars = point.chars();
        let point = chars.next().map_or_else(String::new, |first| {
            first.to_lowercase().chain(chars).collect::<String>()
        });
        let keyword = kp.keywords.first().map_or("it", String::as_str);
        format!(
            "One part I would get right is {point}, because {keyword} is what keeps this correct and fast."
        )
    };

    let plan_text = format!(
        "For {}, my plan: {}",
        reference.title,
        sentence(&reference.key_points[0])
    );
    let plan = candidate.say(&plan_text).await;
    assert_eq!(plan.kind.as_deref(), Some("remark"), "{}", plan.text);

    let attempt = format!(
        "function {}(...args) {{\n  return args[0];\n}}\n",
        problem["functionName"]["javascript"].as_str().unwrap()
    );
    let (failed, comment) = candidate.run(&attempt, "javascript").await;
    assert_eq!(failed["mode"], "graded", "{failed}");
    assert_eq!(failed["allTestsPassed"], false, "{failed}");
    assert_eq!(comment.kind.as_deref(), Some("remark"), "{}", comment.text);

    let (passed, comment) = candidate.run(&reference.solutions.python, "python").await;
    assert_eq!(passed["allTestsPassed"], true, "{passed}");
    assert!(comment.text.contains("tests pass"), "{}", comment.text);
    assert_eq!(
        comment.kind.as_deref(),
        Some("follow_up"),
        "{}",
        comment.text
    );

    let explanation: Vec<String> = reference.key_points[1..].iter().map(sentence).collect();
    let explanation = format!("In {}: {}", reference.title, explanation.join(" "));
    played.solved = Some(id.to_owned());
    played.coding_talk = vec![plan_text, explanation.clone()];
    candidate.say(&explanation).await
}
