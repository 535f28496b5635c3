//! The sample event `events/code-executor.json` (a Bedrock Agent action-group event in its OpenAPI form) and its
//! function-details twin, through the tool Lambda's entrance (`tool_lambda::invoke`) and the sandbox.

mod common;

use std::path::Path;

use prepai::entry::tool_lambda;
use serde_json::{Value, json};

fn sample_event() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../events/code-executor.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[tokio::test]
async fn the_openapi_sample_event_runs_and_answers_in_its_form() {
    let sandbox = common::sandbox();
    let tool = |input: Value| {
        let sandbox = sandbox.clone();
        async move { sandbox.run_tool(input).await }
    };
    let response = tool_lambda::invoke(sample_event(), &tool).await;
    assert_eq!(response["messageVersion"], "1.0");
    assert_eq!(response["response"]["actionGroup"], "CodeExecutor");
    assert_eq!(response["response"]["apiPath"], "/execute-code");
    assert_eq!(response["response"]["httpStatusCode"], 200);
    assert_eq!(response["sessionAttributes"]["interviewType"], "Google SDE");
    let body: Value = serde_json::from_str(
        response["response"]["responseBody"]["application/json"]["body"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(body["success"], true);
    assert_eq!(body["allTestsPassed"], true);
    assert_eq!(body["verdict"], "Accepted");
    assert_eq!(body["testResults"].as_array().unwrap().len(), 3);
    assert!(body["qualityMetrics"]["qualityScore"].as_f64().unwrap() > 0.0);
}

#[tokio::test]
async fn function_details_events_and_refusals_answer_in_their_form() {
    let sandbox = common::sandbox();
    let tool = |input: Value| {
        let sandbox = sandbox.clone();
        async move { sandbox.run_tool(input).await }
    };
    let event = json!({
        "messageVersion": "1.0",
        "agent": {"name": "prepai", "id": "A1", "alias": "TSTALIASID", "version": "DRAFT"},
        "inputText": "run it",
        "sessionId": "3f2c1a9e-8d4b-4c6a-9e1f-2b3c4d5e6f70",
        "actionGroup": "CodeExecutor",
        "function": "execute_code",
        "parameters": [
            {"name": "code", "type": "string", "value": "const add = (a, b) => a + b;"},
            {"name": "language", "type": "string", "value": "javascript"},
            {"name": "functionName", "type": "string", "value": "add"},
            {"name": "testCases", "type": "array", "value": "[{\"input\": \"[1, 2]\", \"expected\": \"3\"}]"}
        ],
        "sessionAttributes": {},
        "promptSessionAttributes": {}
    });
    let response = tool_lambda::invoke(event.clone(), &tool).await;
    let body: Value = serde_json::from_str(
        response["response"]["functionResponse"]["responseBody"]["TEXT"]["body"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(body["verdict"], "Accepted", "{body}");
    assert!(
        response["response"]["functionResponse"]
            .get("responseState")
            .is_none()
    );

    let mut refused = event;
    refused["parameters"][1]["value"] = json!("brainfuck");
    let response = tool_lambda::invoke(refused, &tool).await;
    assert_eq!(
        response["response"]["functionResponse"]["responseState"],
        "REPROMPT"
    );
    let body: Value = serde_json::from_str(
        response["response"]["functionResponse"]["responseBody"]["TEXT"]["body"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(body["error"]["code"], "unsupported_language");
}

#[tokio::test]
async fn direct_input_answers_the_seed_shape() {
    let sandbox = common::sandbox();
    let tool = |input: Value| {
        let sandbox = sandbox.clone();
        async move { sandbox.run_tool(input).await }
    };
    let response = tool_lambda::invoke(
        json!({
            "code": "def solution(arr): return sorted(arr)",
            "language": "python",
            "testCases": [{"input": "[3,1,2]", "expected": "[1,2,3]"}],
            "functionName": "solution"
        }),
        &tool,
    )
    .await;
    assert_eq!(response["success"], true);
    assert_eq!(response["allTestsPassed"], true);
    assert!(response["executionTime"].as_f64().unwrap() > 0.0);
    assert_eq!(response["testResults"][0]["passed"], true);
}
