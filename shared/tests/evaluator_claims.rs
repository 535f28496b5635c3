//! What a sentence asserting a misconception earns: the misconception is quoted, and the sentence credits no key
//! point, even one it names ("Lambda keeps state between invocations" names the core services).

use prepai::tools::performance_evaluator::run;
use serde_json::{Value, json};

const QUESTION: &str = "Design a serverless REST API on AWS for a mobile app with unpredictable traffic. What are the limits and pitfalls you would plan for?";

async fn answer(text: &str) -> Value {
    run(json!({
        "interviewType": "AWS SA",
        "duration": 10,
        "conversationHistory": [
            {"role": "assistant", "content": QUESTION},
            {"role": "user", "content": text}
        ]
    }))
    .await
    .expect("the evaluation runs")
}

fn credited(report: &Value) -> Vec<String> {
    report["answers"][0]["keyPointsCredited"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|k| k["sentence"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn flagged(report: &Value) -> Vec<String> {
    report["answers"][0]["redFlags"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|k| k["claim"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn a_misconception_in_its_claims_own_words_is_flagged_and_earns_nothing() {
    let wrong = answer(
        "Lambda keeps state between invocations, so the user's basket lives in a global variable of the function. \
         Behind API Gateway the Lambda functions read and write DynamoDB tables keyed by user id.",
    )
    .await;
    assert!(
        flagged(&wrong)
            .iter()
            .any(|c| c.starts_with("Lambda keeps state")),
        "{:#}",
        wrong["answers"]
    );
    assert!(
        credited(&wrong).iter().all(|s| !s.contains("keeps state")),
        "{:#}",
        wrong["answers"]
    );

    let right = answer(
        "Lambda does not keep state between invocations, so the user's basket lives in DynamoDB, not in the function. \
         Behind API Gateway the Lambda functions read and write DynamoDB tables keyed by user id.",
    )
    .await;
    assert!(flagged(&right).is_empty(), "{:#}", right["answers"]);
    assert!(
        !credited(&right).is_empty(),
        "the corrected answer earns its key points: {:#}",
        right["answers"]
    );
}
