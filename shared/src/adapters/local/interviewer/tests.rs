use super::*;
use crate::domain::{CandidateName, Identity, SessionId};
use futures::StreamExt;
use serde_json::json;

const QUESTIONS: &str = "Interview type: Coding

## [c-01] Hash maps
- Difficulty: easy
- Category: technical
- Skills: Python

Question: How does a hash map work?

Key points:
- Hashing keys to buckets | keywords: hash, bucket | follow-up: What does the hash function do with a key?
- Handling collisions | keywords: collision, chaining, open addressing | follow-up: What happens when two keys collide?
- Constant average lookup | keywords: o(1), constant time | follow-up: What is the lookup cost?

## [c-02] Binary search
- Difficulty: medium
- Category: technical
- Skills: Algorithms

Question: When does binary search apply and what does it cost?

Key points:
- Sorted input | keywords: sorted, monotonic | follow-up: What must be true of the input?
- Logarithmic time | keywords: log n, logarithmic | follow-up: How many steps does it take?

## [c-03] Queues
- Difficulty: hard
- Category: technical
- Skills: Kafka

Question: How would you design a durable message queue?

Key points:
- Persistence | keywords: write-ahead log, replication | follow-up: How do messages survive a crash?
- Delivery semantics | keywords: at least once, idempotent | follow-up: What delivery guarantee do you give?
";

const PROBLEM: &str = "# [sum-list] Sum a list
- Difficulty: easy
- Topics: arrays
- Function: python sum_list; javascript sumList

## Statement
Return the sum of the numbers.

## Examples
```json
[{\"args\": [[1,2,3]], \"expected\": 6}]
```

## Hidden tests
```json
[{\"args\": [[]], \"expected\": 0}]
```

## Python starter
```python
def sum_list(nums):
    pass
```

## JavaScript starter
```javascript
function sumList(nums) {
}
```

## Python solution
```python
def sum_list(nums):
    return sum(nums)
```

## JavaScript solution
```javascript
function sumList(nums) { return nums.reduce((a, b) => a + b, 0); }
```

## Key points
- Linear pass | keywords: o(n), linear | follow-up: What is the time complexity of your solution?
";

fn interviewer() -> LocalInterviewer {
    let bank = QuestionBank::from_files([
        ("questions/coding.md", QUESTIONS),
        ("coding/sum-list.md", PROBLEM),
    ])
    .unwrap();
    LocalInterviewer::new(Arc::new(bank))
}

fn session(cv_skills: &[&str]) -> Session {
    let owner = Identity::new("u", vec![]).unwrap();
    let mut s = Session::new(
        SessionId::parse("3f2c1a9e-8d4b-4c6a-9e1f-2b3c4d5e6f70").unwrap(),
        &owner,
        InterviewType::Coding,
        CandidateName::parse("Ada Lovelace").unwrap(),
        chrono::Utc::now(),
    );
    if !cv_skills.is_empty() {
        s.cv_analysis = Some(json!({"skills": cv_skills}));
    }
    s
}

async fn run(
    i: &LocalInterviewer,
    session: &mut Session,
    input: InterviewInput,
) -> (String, Option<Value>) {
    let mut stream = i
        .turn(InterviewTurn {
            session: session.clone(),
            input,
        })
        .await
        .unwrap();
    let mut text = String::new();
    let mut problem = None;
    let mut chunks = 0;
    while let Some(event) = stream.next().await {
        match event.unwrap() {
            InterviewerEvent::Chunk(c) => {
                chunks += 1;
                text.push_str(&c);
            }
            InterviewerEvent::CodingProblem(p) => problem = Some(p),
            InterviewerEvent::Kind(_) => {}
            InterviewerEvent::Done { state } => session.agent_state = state,
        }
    }
    assert!(
        chunks > 1 || text.split_whitespace().count() <= CHUNK_WORDS,
        "reply streams in chunks"
    );
    (text, problem)
}

#[tokio::test]
async fn greets_by_name_and_asks_the_easiest_question_first() {
    let i = interviewer();
    let mut s = session(&[]);
    let (text, _) = run(&i, &mut s, InterviewInput::Start).await;
    assert!(
        text.starts_with("Hi Ada, I'm your interviewer for this Coding interview."),
        "{text}"
    );
    assert!(text.contains("3 questions and a coding problem"), "{text}");
    assert!(text.ends_with("How does a hash map work?"), "{text}");
}

#[tokio::test]
async fn the_same_session_gets_the_same_interview() {
    let i = interviewer();
    let (mut a, mut b) = (session(&[]), session(&[]));
    assert_eq!(
        run(&i, &mut a, InterviewInput::Start).await,
        run(&i, &mut b, InterviewInput::Start).await
    );
    assert_eq!(a.agent_state, b.agent_state);
}

#[tokio::test]
async fn resume_skills_pick_the_first_questions() {
    let i = interviewer();
    let mut s = session(&["Kafka"]);
    let (text, _) = run(&i, &mut s, InterviewInput::Start).await;
    assert!(
        text.contains("I see Kafka on your resume. How would you design a durable message queue?"),
        "{text}"
    );
}

#[tokio::test]
async fn follows_up_on_a_missed_key_point_then_moves_on() {
    let i = interviewer();
    let mut s = session(&[]);
    run(&i, &mut s, InterviewInput::Start).await;
    let (text, _) = run(
        &i,
        &mut s,
        InterviewInput::Answer("It hashes the key to find a bucket.".into()),
    )
    .await;
    assert_eq!(
        text,
        "Thanks — good point on hashing keys to buckets. What happens when two keys collide?"
    );
    let (text, _) = run(
        &i,
        &mut s,
        InterviewInput::Answer("Collisions go into a chained list; lookups stay O(1).".into()),
    )
    .await;
    assert!(
        text.starts_with("Good — you covered handling collisions and constant average lookup."),
        "{text}"
    );
    assert!(
        text.ends_with("When does binary search apply and what does it cost?"),
        "{text}"
    );
}

#[tokio::test]
async fn a_complete_answer_needs_no_follow_up() {
    let i = interviewer();
    let mut s = session(&[]);
    run(&i, &mut s, InterviewInput::Start).await;
    let answer = "A hash function maps each key to a bucket; collisions are handled by chaining; lookups are O(1).";
    let (text, _) = run(&i, &mut s, InterviewInput::Answer(answer.into())).await;
    assert!(text.contains("binary search"), "{text}");
}

#[tokio::test]
async fn answers_the_candidates_question_from_the_bank() {
    let i = interviewer();
    let mut s = session(&[]);
    run(&i, &mut s, InterviewInput::Start).await;
    let (text, _) = run(
        &i,
        &mut s,
        InterviewInput::Answer("What delivery guarantee should a queue give?".into()),
    )
    .await;
    assert!(
        text.starts_with("Good question. In short: persistence; delivery semantics."),
        "{text}"
    );
    assert!(
        text.ends_with("Now, back to my question. How does a hash map work?"),
        "{text}"
    );
}

#[tokio::test]
async fn the_coding_problem_goes_to_the_client_with_its_examples_only_and_the_result_gets_comments()
{
    let i = interviewer();
    let mut s = session(&[]);
    run(&i, &mut s, InterviewInput::Start).await;
    let mut problem = None;
    for _ in 0..3 {
        let (_, p) = run(&i, &mut s, InterviewInput::Answer("skip".into())).await;
        problem = problem.or(p);
    }
    let problem = problem.expect("the coding problem was sent");
    assert_eq!(problem["functionName"]["python"], "sum_list");
    assert_eq!(problem["testCases"][0]["expected"], 6);
    assert_eq!(
        problem["testCases"].as_array().map(Vec::len),
        Some(1),
        "the hidden tests never leave the server"
    );
    assert!(!problem.to_string().contains("\"expected\":0"));
    assert!(problem.get("solution").is_none());

    let failing = CodeRunSummary {
        language: "python".into(),
        passed: 1,
        total: 2,
        first_failure: Some("input [[]] expected 0 but got None".into()),
    };
    let (text, _) = run(&i, &mut s, InterviewInput::CodeResult(failing)).await;
    assert!(
        text.starts_with(
            "1 of 2 tests pass. The first problem: input [[]] expected 0 but got None."
        ),
        "{text}"
    );
    let passing = CodeRunSummary {
        language: "python".into(),
        passed: 2,
        total: 2,
        first_failure: None,
    };
    let (text, _) = run(&i, &mut s, InterviewInput::CodeResult(passing)).await;
    assert_eq!(
        text,
        "Nice — all 2 tests pass. What is the time complexity of your solution?"
    );
    let (text, _) = run(
        &i,
        &mut s,
        InterviewInput::Answer("It is linear, O(n).".into()),
    )
    .await;
    assert!(
        text.starts_with("Good — you covered linear pass."),
        "{text}"
    );
    assert!(text.contains("That's all my questions"), "{text}");
}
