//! The performance evaluator through its Lambda entrance (`tool_lambda::invoke`) in all three event forms: the
//! sample OpenAPI action-group event in `events/`, a function-details event, and the direct JSON input.

use std::path::PathBuf;

use prepai::entry::tool_lambda;
use prepai::tools::performance_evaluator::run;
use serde_json::{Value, json};

fn sample_event() -> Value {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../events/performance-evaluator.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The report inside a response body, checked for the seed's shape.
fn check_report(report: &Value) {
    assert_eq!(report["success"], true, "{report}");
    let overall = report["overallScore"].as_f64().unwrap();
    assert!((0.0..=10.0).contains(&overall));
    for key in [
        "technicalKnowledge",
        "problemSolving",
        "communication",
        "codeQuality",
        "culturalFit",
    ] {
        assert!(
            report["scores"].get(key).is_some(),
            "scores.{key} missing: {report}"
        );
        assert!(report["evidence"][key]["summary"].is_string());
    }
    assert!(
        [
            "STRONG_HIRE",
            "HIRE",
            "LEAN_HIRE",
            "LEAN_NO_HIRE",
            "NO_HIRE"
        ]
        .contains(&report["recommendation"].as_str().unwrap())
    );
    assert!(report["strengths"].is_array() && report["improvements"].is_array());
    assert!(
        report["detailedFeedback"]
            .as_str()
            .unwrap()
            .starts_with("Overall")
    );
}

#[tokio::test]
async fn the_sample_openapi_event_is_evaluated_and_wrapped() {
    let event = sample_event();
    let response = tool_lambda::invoke(event.clone(), &run).await;
    assert_eq!(response["messageVersion"], "1.0");
    assert_eq!(response["response"]["actionGroup"], "PerformanceEvaluator");
    assert_eq!(response["response"]["apiPath"], "/evaluate-performance");
    assert_eq!(response["response"]["httpMethod"], "POST");
    assert_eq!(response["response"]["httpStatusCode"], 200, "{response}");
    assert_eq!(response["sessionAttributes"], event["sessionAttributes"]);
    let body = response["response"]["responseBody"]["application/json"]["body"]
        .as_str()
        .unwrap();
    let report: Value = serde_json::from_str(body).unwrap();
    check_report(&report);
    assert_eq!(report["sessionId"], "3f2c1a9e-8d4b-4c6a-9e1f-2b3c4d5e6f70");
    assert_eq!(report["candidateName"], "Ada Lovelace");
    assert_eq!(report["interviewType"], "Google SDE");
    // The sample is a good interview: three real answers, passing code, timings from the timestamps.
    assert!(report["overallScore"].as_f64().unwrap() >= 6.0, "{report}");
    let metrics = &report["metrics"];
    assert_eq!(metrics["questionsAsked"], 3);
    assert_eq!(metrics["answersGiven"], 3);
    assert_eq!(metrics["codeSubmissions"], 1);
    assert_eq!(metrics["durationSeconds"], 600.0);
    // Answers start 19, 30 and 25 seconds after their questions.
    assert_eq!(metrics["averageResponseTimeSeconds"], 24.67);
    assert!(metrics["averageWordsPerMinute"].as_f64().unwrap() > 130.0);
    assert!(report["scores"]["codeQuality"].as_f64().unwrap() >= 8.0);
}

#[tokio::test]
async fn function_details_events_are_evaluated_and_bad_input_reprompts() {
    let history = json!([
        {"role": "assistant", "text": "Tell me about a time you missed a deadline."},
        {"role": "user", "text": "Last year I was responsible for a data migration and I realised three weeks out that validation would take twice as long. I met the product manager and we agreed to move the ten most important jobs first. I automated the checks, which saved a week, and the critical jobs moved on time."}
    ]);
    let event = |interview_type: &str| {
        json!({
            "messageVersion": "1.0",
            "agent": {"name": "prepai-interviewer", "id": "AGENT12345", "alias": "TSTALIASID", "version": "DRAFT"},
            "inputText": "evaluate",
            "sessionId": "3f2c1a9e-8d4b-4c6a-9e1f-2b3c4d5e6f70",
            "actionGroup": "PerformanceEvaluator",
            "function": "evaluate_performance",
            "parameters": [
                {"name": "interviewType", "type": "string", "value": interview_type},
                {"name": "duration", "type": "number", "value": "420"},
                {"name": "conversationHistory", "type": "array", "value": history.to_string()}
            ],
            "sessionAttributes": {},
            "promptSessionAttributes": {}
        })
    };
    let response = tool_lambda::invoke(event("Behavioral"), &run).await;
    assert_eq!(response["response"]["function"], "evaluate_performance");
    let function_response = &response["response"]["functionResponse"];
    assert!(
        function_response.get("responseState").is_none(),
        "{response}"
    );
    let report: Value = serde_json::from_str(
        function_response["responseBody"]["TEXT"]["body"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    check_report(&report);
    assert!(report["scores"]["culturalFit"].is_number());
    assert!(report["scores"]["codeQuality"].is_null());
    assert_eq!(
        report["notAssessed"],
        json!(["technicalKnowledge", "problemSolving", "codeQuality"])
    );

    let refused = tool_lambda::invoke(event("Netflix SDE"), &run).await;
    let function_response = &refused["response"]["functionResponse"];
    assert_eq!(function_response["responseState"], "REPROMPT");
    let body: Value = serde_json::from_str(
        function_response["responseBody"]["TEXT"]["body"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(body["success"], false);
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("interviewType must be one of") && message.contains("Behavioral"),
        "{message}"
    );
}

#[tokio::test]
async fn the_direct_form_answers_the_report_itself() {
    let direct = json!({
        "sessionId": "session-123",
        "interviewType": "Coding",
        "duration": 1800,
        "conversationHistory": [
            {"role": "assistant", "content": "How would you reverse a linked list?"},
            {"role": "user", "content": "I would walk the list once with three pointers: previous, current and next. At each node I point current back to previous, then move all three forward. It is O(n) time and O(1) space, and an empty list simply returns null."}
        ],
        "codeSubmissions": []
    });
    let report = tool_lambda::invoke(direct, &run).await;
    check_report(&report);
    assert_eq!(report["sessionId"], "session-123");
    assert!(report.get("response").is_none());

    let refused =
        tool_lambda::invoke(json!({"interviewType": "Coding", "duration": -1}), &run).await;
    assert_eq!(refused["success"], false);
    assert_eq!(refused["error"]["code"], "invalid_input");
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("non-negative")
    );
}
