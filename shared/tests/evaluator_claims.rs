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
    // The wrong sentence names the core services first; the correct one after it still earns them.
    assert!(
        credited(&wrong).iter().any(|s| s.contains("api gateway")),
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

async fn interview(turns: &[(&str, &str)]) -> Value {
    let mut history = Vec::new();
    for (question, answer) in turns {
        history.push(json!({"role": "assistant", "content": question}));
        history.push(json!({"role": "user", "content": answer}));
    }
    run(json!({"interviewType": "AWS SA", "duration": 30, "conversationHistory": history}))
        .await
        .expect("the evaluation runs")
}

const THREE_TIER: &str = "Design a highly available three-tier web application on AWS for an online retailer. Walk me from the user's browser to the database.";
const VPC: &str = "Design the VPC for a production workload with web servers, application servers and a database. How do you lay out subnets and control traffic?";
const DR: &str = "A customer asks for a disaster recovery plan for their main application. Which DR strategies does AWS describe, and how do you choose between them?";

const WRONG_THREE_TIER: &str = "Route 53 in front of an Application Load Balancer and an Auto Scaling group of EC2 instances in two zones. \
     For the product images I'd use S3, which is block storage, so the instances mount the bucket as a disk. \
     RDS Multi-AZ for the orders database, with a read replica for reporting.";
const RIGHT_VPC: &str = "Two public and two private subnets per Availability Zone from a /16 that overlaps nothing on premises. \
     The load balancer sits in the public subnets, the application servers and the database in private ones, with a \
     NAT gateway per zone for outbound updates. Security groups reference each other: the database only accepts the \
     app tier's group. VPC endpoints keep S3 and DynamoDB traffic off the internet, and flow logs go to S3.";
const RIGHT_DR: &str = "AWS describes four strategies, from cheapest to fastest: backup and restore, pilot light, warm standby \
     and multi-site active-active. I start from the RTO and RPO each application needs and what downtime costs, then \
     pick the cheapest strategy that meets them, because active-active doubles the bill. Backups go to another \
     region with AWS Backup, and we rehearse the failover every quarter.";

#[tokio::test]
async fn misconceptions_in_half_the_technical_answers_cap_the_interview_as_mostly_wrong() {
    let wrong_serverless = "API Gateway in front of Lambda functions that read and write DynamoDB. \
         Lambda keeps state between invocations, so each user's session stays in a global variable, \
         which is faster than a database.";
    let mostly_wrong = interview(&[
        (THREE_TIER, WRONG_THREE_TIER),
        (QUESTION, wrong_serverless),
        (VPC, RIGHT_VPC),
        (DR, RIGHT_DR),
    ])
    .await;
    assert!(
        mostly_wrong["overallScore"].as_f64().unwrap() <= 2.5,
        "{:#}",
        mostly_wrong
    );
    assert!(
        mostly_wrong["recommendationReason"]
            .as_str()
            .unwrap()
            .contains("half of the technical answers"),
        "{}",
        mostly_wrong["recommendationReason"]
    );

    // One slip in four answers is not "mostly wrong".
    let right_serverless = "API Gateway in front of Lambda functions that read and write DynamoDB, with Cognito for \
         sign-in. Lambda keeps no state between invocations you can count on, so sessions live in DynamoDB with a \
         TTL. Reserved concurrency protects the table, and anything slower than API Gateway's 29 second limit goes \
         through SQS to a worker.";
    let one_slip = interview(&[
        (THREE_TIER, WRONG_THREE_TIER),
        (QUESTION, right_serverless),
        (VPC, RIGHT_VPC),
        (DR, RIGHT_DR),
    ])
    .await;
    assert!(
        !one_slip["recommendationReason"]
            .as_str()
            .unwrap()
            .contains("half of the technical answers"),
        "{:#}",
        one_slip
    );
    assert!(
        one_slip["overallScore"].as_f64().unwrap() > 2.5,
        "{}",
        one_slip["overallScore"]
    );
}

#[tokio::test]
async fn an_expert_naming_misconceptions_is_not_capped_as_confidently_wrong() {
    // The same two flagged sentences, in answers that also correct one of the bank's misconceptions: the flags
    // still show and cost their answers, but the interview is not capped as the work of a confidently wrong
    // candidate.
    let three_tier = format!(
        "{WRONG_THREE_TIER} It's a myth that the Multi-AZ standby instance serves read traffic."
    );
    let serverless = "A common misconception is that Lambda scales instantly and without limit. API Gateway in \
         front of Lambda functions that read and write DynamoDB. Lambda keeps state between invocations, so each \
         user's session stays in a global variable.";
    let report = interview(&[
        (THREE_TIER, three_tier.as_str()),
        (QUESTION, serverless),
        (VPC, RIGHT_VPC),
        (DR, RIGHT_DR),
    ])
    .await;
    let reason = report["recommendationReason"].as_str().unwrap();
    assert!(!reason.contains("misconception"), "{reason}");
    let flags: usize = report["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["redFlags"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(flags, 2, "{:#}", report["answers"]);
}

#[tokio::test]
async fn naming_one_misconception_excuses_only_one_of_several() {
    // Three misconceptions asserted in one answer that also corrects a fourth: the correction excuses one flag
    // from the caps (it may be the matcher's slip on the mistake named), not all three.
    let answer = format!(
        "{WRONG_THREE_TIER} Lambda keeps state between invocations, so sessions live in a global variable. \
         The standby serves reads for the catalogue. A common misconception is that Lambda scales instantly and \
         without limit."
    );
    let report = interview(&[(THREE_TIER, answer.as_str())]).await;
    let flags = report["answers"][0]["redFlags"]
        .as_array()
        .map_or(0, Vec::len);
    assert_eq!(flags, 3, "{:#}", report["answers"]);
    let reason = report["recommendationReason"].as_str().unwrap();
    assert!(
        reason.contains("capped at 4.5 because 2 common misconceptions"),
        "{reason}"
    );
}
