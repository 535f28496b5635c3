use super::*;
use crate::domain::{CandidateName, Identity, InterviewType, SessionId};
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

/// One interviewer reply as the client sees it.
struct Turn {
    text: String,
    problem: Option<Value>,
    kind: Option<ReplyKind>,
}

async fn turn(i: &LocalInterviewer, session: &mut Session, input: InterviewInput) -> Turn {
    let mut stream = i
        .turn(InterviewTurn {
            session: session.clone(),
            input,
        })
        .await
        .unwrap();
    let mut text = String::new();
    let mut problem = None;
    let mut kind = None;
    let mut chunks = 0;
    while let Some(event) = stream.next().await {
        match event.unwrap() {
            InterviewerEvent::Chunk(c) => {
                chunks += 1;
                text.push_str(&c);
            }
            InterviewerEvent::CodingProblem(p) => problem = Some(p),
            InterviewerEvent::Kind(k) => kind = Some(k),
            InterviewerEvent::Done { state } => session.agent_state = state,
        }
    }
    assert!(
        chunks > 1 || text.split_whitespace().count() <= CHUNK_WORDS,
        "reply streams in chunks"
    );
    Turn {
        text,
        problem,
        kind,
    }
}

async fn run(
    i: &LocalInterviewer,
    session: &mut Session,
    input: InterviewInput,
) -> (String, Option<Value>) {
    let t = turn(i, session, input).await;
    (t.text, t.problem)
}

/// The candidate says `text`; the interviewer's reply.
async fn say(i: &LocalInterviewer, session: &mut Session, text: &str) -> Turn {
    turn(i, session, InterviewInput::Answer(text.into())).await
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
async fn a_question_on_the_subject_is_not_answered_from_the_bank() {
    let i = interviewer();
    let mut s = session(&[]);
    run(&i, &mut s, InterviewInput::Start).await;
    let reply = say(&i, &mut s, "What delivery guarantee should a queue give?").await;
    assert_eq!(reply.kind, Some(ReplyKind::Clarification));
    assert!(
        !reply.text.contains("persistence") && !reply.text.contains("delivery semantics"),
        "{}",
        reply.text
    );
    assert!(
        reply
            .text
            .ends_with("Now, back to my question. How does a hash map work?"),
        "{}",
        reply.text
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

// ---- Misfires found by trying the interviewer as a candidate: each test failed before its fix. ----

/// A problem with approach notes for each kind of talk: the approach, its cost, an edge case, a misconception.
const PAIR_PROBLEM: &str = "# [pair-sum] Pair sum
- Difficulty: easy
- Topics: arrays, hash map
- Function: python pair_sum; javascript pairSum

## Statement
Return the indices of the two numbers that add up to `target`. The numbers are not sorted. Exactly one answer exists.

## Examples
```json
[{\"args\": [[2,7,11,15], 9], \"expected\": [0,1]}]
```

## Hidden tests
```json
[{\"args\": [[3,3], 6], \"expected\": [0,1]}]
```

## Python starter
```python
def pair_sum(nums, target):
    pass
```

## JavaScript starter
```javascript
function pairSum(nums, target) {
}
```

## Python solution
```python
def pair_sum(nums, target):
    seen = {}
    for i, n in enumerate(nums):
        if target - n in seen:
            return [seen[target - n], i]
        seen[n] = i
```

## JavaScript solution
```javascript
function pairSum(nums, target) { const seen = new Map(); for (let i = 0; i < nums.length; i++) { if (seen.has(target - nums[i])) return [seen.get(target - nums[i]), i]; seen.set(nums[i], i); } }
```

## Key points
- One pass with a hash map from value to index | keywords: hash map, complement, dictionary | follow-up: How can you find the partner of each number without a second loop?
- Linear time versus the quadratic brute force | keywords: o(n), linear, o(n^2), brute force | follow-up: What are the time and space costs, compared with checking every pair?
- Duplicates work and a number is never paired with itself | keywords: duplicates, itself, same element | follow-up: What happens with nums = [3, 3] and target 6?

## Red flags
- Sorting first keeps the original indices | cancels: One pass with a hash map from value to index | phrases: sorting keeps the indices
";

fn interviewer_over(files: &[(&str, &str)]) -> LocalInterviewer {
    let bank = QuestionBank::from_files(files.iter().copied()).unwrap();
    LocalInterviewer::new(Arc::new(bank))
}

/// Skips every question until the coding problem is posed.
async fn skip_to_problem(i: &LocalInterviewer, s: &mut Session) {
    run(i, s, InterviewInput::Start).await;
    for _ in 0..10 {
        if say(i, s, "skip").await.problem.is_some() {
            return;
        }
    }
    panic!("no coding problem posed");
}

/// Asserts a reply gives away none of the question's marking scheme: no key point's text, no keyword list, and no
/// keyword the question's own text does not already contain.
fn assert_no_marking_scheme(reply: &str, points: &[KeyPoint], question_text: &str) {
    let lowered = reply.to_lowercase();
    let asked = normalise(question_text);
    let said = normalise(reply);
    for kp in points {
        assert!(
            !lowered.contains(&kp.point.to_lowercase()),
            "{:?} recited in {reply}",
            kp.point
        );
        assert!(
            !lowered.contains(&kp.keywords.join(", ")),
            "keywords recited in {reply}"
        );
        for k in kp.keywords.iter().filter(|k| !keyword_in(&asked, k)) {
            assert!(!keyword_in(&said, k), "keyword {k:?} in {reply}");
        }
    }
}

#[tokio::test]
async fn misfire_1_a_clarifying_question_gets_the_questions_scope_not_its_key_points() {
    let i = interviewer();
    let mut s = session(&[]);
    run(&i, &mut s, InterviewInput::Start).await;

    let hash_map = i.bank.question("c-01").unwrap();
    let reply = say(&i, &mut s, "Do you mean a single machine or distributed?").await;
    assert_eq!(reply.kind, Some(ReplyKind::Clarification));
    assert_no_marking_scheme(&reply.text, &hash_map.key_points, &hash_map.text);
    assert!(reply.text.contains("single machine"), "{}", reply.text);
    assert!(
        reply
            .text
            .ends_with("Now, back to my question. How does a hash map work?"),
        "{}",
        reply.text
    );

    say(&i, &mut s, "skip").await;
    let binary_search = i.bank.question("c-02").unwrap();
    let reply = say(&i, &mut s, "Can I assume the input is sorted?").await;
    assert_eq!(reply.kind, Some(ReplyKind::Clarification));
    assert_no_marking_scheme(&reply.text, &binary_search.key_points, &binary_search.text);
    assert!(reply.text.contains("assumption"), "{}", reply.text);
    assert!(reply.text.ends_with(&binary_search.text), "{}", reply.text);

    // On a coding problem, the statement answers; the approach notes stay hidden.
    let i = interviewer_over(&[
        ("questions/coding.md", QUESTIONS),
        ("coding/pair-sum.md", PAIR_PROBLEM),
    ]);
    let mut s = session(&[]);
    skip_to_problem(&i, &mut s).await;
    let problem = i.bank.coding_problem("pair-sum").unwrap();
    let reply = say(&i, &mut s, "Can I assume the input is sorted?").await;
    assert_eq!(reply.kind, Some(ReplyKind::Clarification));
    assert!(
        reply.text.contains("The numbers are not sorted"),
        "{}",
        reply.text
    );
    assert_no_marking_scheme(&reply.text, &problem.key_points, &problem.statement);
    assert!(reply.problem.is_none(), "the problem is not sent again");
    let reply = say(&i, &mut s, "What about an empty list?").await;
    assert_eq!(reply.kind, Some(ReplyKind::Clarification));
    assert!(
        reply
            .text
            .contains("handle every input the statement allows"),
        "{}",
        reply.text
    );
    assert_no_marking_scheme(&reply.text, &problem.key_points, &problem.statement);
}

#[tokio::test]
async fn misfire_2_remarks_on_the_coding_problem_answer_what_was_said() {
    let i = interviewer_over(&[
        ("questions/coding.md", QUESTIONS),
        ("coding/pair-sum.md", PAIR_PROBLEM),
    ]);
    let generic = "That sounds like a reasonable plan";

    // Complexity, then edge cases.
    let mut s = session(&[]);
    skip_to_problem(&i, &mut s).await;
    let reply = say(
        &i,
        &mut s,
        "The brute force is O(n^2), checking every pair.",
    )
    .await;
    assert_eq!(reply.kind, Some(ReplyKind::Remark));
    assert!(!reply.text.contains(generic), "{}", reply.text);
    assert!(reply.text.contains("cost"), "{}", reply.text);
    assert!(
        reply
            .text
            .contains("What happens with nums = [3, 3] and target 6?"),
        "the problem's own edge-case note: {}",
        reply.text
    );
    let reply = say(&i, &mut s, "If the list is empty I'd return an empty list.").await;
    assert_eq!(reply.kind, Some(ReplyKind::Remark));
    assert!(
        reply.text.starts_with("Good thinking — check those cases"),
        "{}",
        reply.text
    );

    // The approach, then nothing in particular.
    let mut s = session(&[]);
    skip_to_problem(&i, &mut s).await;
    let reply = say(
        &i,
        &mut s,
        "I'll keep each number's index in a hash map and look up the complement.",
    )
    .await;
    assert_eq!(reply.kind, Some(ReplyKind::Remark));
    assert!(
        reply.text.starts_with("That's on the right track.")
            && reply
                .text
                .ends_with("What are the time and space costs, compared with checking every pair?"),
        "{}",
        reply.text
    );
    let reply = say(&i, &mut s, "Let me think for a moment.").await;
    assert!(reply.text.starts_with("Take your time."), "{}", reply.text);

    // A misconception is questioned with the note it contradicts.
    let mut s = session(&[]);
    skip_to_problem(&i, &mut s).await;
    let reply = say(&i, &mut s, "Sorting keeps the indices, so I'll sort first.").await;
    assert!(
        reply.text.starts_with("I'm not sure that holds")
            && reply
                .text
                .ends_with("How can you find the partner of each number without a second loop?"),
        "{}",
        reply.text
    );
}

#[tokio::test]
async fn misfire_3_follows_up_until_a_missing_point_is_covered_or_twice_and_praises_only_what_was_said()
 {
    let i = interviewer();
    let mut s = session(&[]);
    run(&i, &mut s, InterviewInput::Start).await;
    let reply = say(&i, &mut s, "It stores values by key.").await;
    assert_eq!(reply.kind, Some(ReplyKind::FollowUp));
    assert_eq!(
        reply.text,
        "Thanks. What does the hash function do with a key?"
    );
    let reply = say(&i, &mut s, "It is fast.").await;
    assert_eq!(reply.kind, Some(ReplyKind::FollowUp), "{}", reply.text);
    assert_eq!(
        reply.text,
        "Let's look at another part of it. What happens when two keys collide?"
    );
    let reply = say(&i, &mut s, "I would keep them in memory.").await;
    assert_eq!(reply.kind, Some(ReplyKind::Question), "{}", reply.text);
    assert_eq!(
        reply.text,
        "Thanks. When does binary search apply and what does it cost?"
    );

    // Words echoed from the question or doubted are not praised.
    let mut s = session(&[]);
    run(&i, &mut s, InterviewInput::Start).await;
    let reply = say(
        &i,
        &mut s,
        "It uses hashing, I think, but I'm not sure about collisions.",
    )
    .await;
    assert!(
        !reply.text.contains("covered") && !reply.text.contains("good point"),
        "{}",
        reply.text
    );
    assert!(reply.text.starts_with("Thanks."), "{}", reply.text);
}

#[tokio::test]
async fn misfire_4_not_knowing_gets_a_hint_or_a_kind_move_on_never_okay() {
    let i = interviewer();
    let mut s = session(&[]);
    run(&i, &mut s, InterviewInput::Start).await;
    let reply = say(&i, &mut s, "I'm not sure.").await;
    assert_eq!(reply.kind, Some(ReplyKind::FollowUp));
    assert_eq!(
        reply.text,
        "That's fine — here's a hint to reason from. What does the hash function do with a key?"
    );
    let reply = say(&i, &mut s, "No idea, sorry.").await;
    assert_eq!(reply.kind, Some(ReplyKind::Question));
    assert!(
        reply.text.starts_with("That's fine — thanks for saying so")
            && reply
                .text
                .ends_with("When does binary search apply and what does it cost?"),
        "{}",
        reply.text
    );

    // After a follow-up, "I'm not sure" used to be met with "Okay."
    let reply = say(&i, &mut s, "It needs the data in order.").await;
    assert_eq!(reply.kind, Some(ReplyKind::FollowUp), "{}", reply.text);
    let reply = say(&i, &mut s, "I'm not sure").await;
    assert!(!reply.text.contains("Okay"), "{}", reply.text);
    assert!(reply.text.starts_with("That's fine"), "{}", reply.text);

    // Stuck on the coding problem: a hint from its notes.
    let i = interviewer_over(&[
        ("questions/coding.md", QUESTIONS),
        ("coding/pair-sum.md", PAIR_PROBLEM),
    ]);
    let mut s = session(&[]);
    skip_to_problem(&i, &mut s).await;
    let reply = say(&i, &mut s, "I don't know how to start.").await;
    assert_eq!(reply.kind, Some(ReplyKind::Remark));
    assert_eq!(
        reply.text,
        "No problem — here's a hint to get you going. How can you find the partner of each number without a second loop?"
    );
}

#[tokio::test]
async fn misfire_5_only_questions_to_the_interviewer_and_plain_skips_are_read_as_such() {
    let i = interviewer();
    let mut s = session(&[]);
    run(&i, &mut s, InterviewInput::Start).await;
    let reply = say(&i, &mut s, "Passwords are hashed with bcrypt.").await;
    assert!(!reply.text.contains("let's move on"), "{}", reply.text);
    assert_eq!(reply.kind, Some(ReplyKind::FollowUp), "{}", reply.text);
    let reply = say(&i, &mut s, "Consistent hashing?").await;
    assert_ne!(reply.kind, Some(ReplyKind::Clarification), "{}", reply.text);
    assert!(
        !reply.text.contains("back to my question"),
        "{}",
        reply.text
    );

    let mut s = session(&[]);
    run(&i, &mut s, InterviewInput::Start).await;
    let reply = say(&i, &mut s, "I'd like to skip this one.").await;
    assert!(
        reply.text
            == "No problem, let's move on. When does binary search apply and what does it cost?",
        "{}",
        reply.text
    );
    let reply = say(&i, &mut s, "Should I cover the worst case too?").await;
    assert_eq!(reply.kind, Some(ReplyKind::Clarification), "{}", reply.text);
}

#[tokio::test]
async fn misfire_6_names_keep_their_case_and_no_markdown_reaches_the_candidate() {
    let fan_out = "Interview type: Coding

## [w-01] Job fan-out
- Difficulty: easy
- Category: system design
- Skills: Kafka

Question: How would you run `jobs` that depend on each other, and fan their results out to many consumers?

Key points:
- Kahn's algorithm orders the jobs | keywords: kahn, topological | follow-up: In what order would you run the jobs?
- Pub/Sub fans the results out | keywords: pub/sub, publish | follow-up: How do many consumers get each result?
- Retries with backoff | keywords: retry, backoff | follow-up: What happens when a job fails?
";
    let i = interviewer_over(&[
        ("questions/coding.md", fan_out),
        ("coding/sum-list.md", PROBLEM),
    ]);
    let mut s = session(&[]);
    let (greeting, _) = run(&i, &mut s, InterviewInput::Start).await;
    assert!(!greeting.contains('`'), "{greeting}");
    assert!(greeting.ends_with("How would you run jobs that depend on each other, and fan their results out to many consumers?"), "{greeting}");
    let reply = say(
        &i,
        &mut s,
        "I'd order them with Kahn's algorithm and publish each result on Pub/Sub.",
    )
    .await;
    assert!(
        reply.text.starts_with(
            "Good — you covered Kahn's algorithm orders the jobs and Pub/Sub fans the results out."
        ),
        "{}",
        reply.text
    );
    assert!(!reply.text.contains('`'), "{}", reply.text);
    assert!(
        reply
            .text
            .contains("Write sum_list in Python or sumList in JavaScript"),
        "{}",
        reply.text
    );
}

#[tokio::test]
async fn misfire_7_resume_questions_are_about_the_candidates_own_positions() {
    let i = interviewer();
    let mut s = session(&[]);
    s.cv_analysis = Some(json!({
        "skills": ["Kafka"],
        "experience": [
            {"title": "Engineer", "company": "Initech", "startDate": "2016", "endDate": "2019",
             "highlights": ["Wrote the monthly billing reports."]},
            {"title": "Senior Engineer", "company": "Acme", "startDate": "2019", "endDate": "Present",
             "highlights": ["Built a durable message queue on Kafka for payments."]}
        ]
    }));
    let greeting = turn(&i, &mut s, InterviewInput::Start).await;
    assert_eq!(greeting.kind, Some(ReplyKind::Question));
    assert!(
        greeting.text.contains("We'll go through 4 questions"),
        "{}",
        greeting.text
    );
    assert!(
        greeting.text.contains(
            "I see from your resume that you work as Senior Engineer at Acme. Take your time and think out loud. \
             At Acme, your resume mentions “Built a durable message queue on Kafka for payments” — tell me how \
             you did it there as you answer. How would you design a durable message queue?"
        ),
        "{}",
        greeting.text
    );
    let reply = say(
        &i,
        &mut s,
        "A write-ahead log with replication, delivered at least once to idempotent consumers.",
    )
    .await;
    assert_eq!(reply.kind, Some(ReplyKind::Question));
    assert!(
        reply.text.ends_with(
            "At Initech you worked as Engineer — your resume mentions “Wrote the monthly billing reports”: how \
             did you go about it, and what would you do differently today?"
        ),
        "{}",
        reply.text
    );
    let reply = say(
        &i,
        &mut s,
        "I automated the reports with a nightly job in Python, talked to finance about what they needed, and \
         cut the close from five days to two; today I would add tests for the totals from the start.",
    )
    .await;
    assert_eq!(reply.kind, Some(ReplyKind::Question));
    assert!(
        reply.text.ends_with("How does a hash map work?"),
        "{}",
        reply.text
    );

    // A position with no highlight and no fitting question still gets a question about it.
    let mut s = session(&[]);
    s.cv_analysis =
        Some(json!({"experience": [{"title": "Analyst", "company": "Globex", "endDate": "2020"}]}));
    let greeting = turn(&i, &mut s, InterviewInput::Start).await;
    assert!(
        greeting.text.contains(
            "Tell me about the piece of work at Globex you're proudest of: how did you go about it, and how did it turn out?"
        ),
        "{}",
        greeting.text
    );
}
