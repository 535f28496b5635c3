//! The CV analyzer through its Lambda entrance (`tool_lambda::invoke`) in all three event forms: the sample
//! function-details event in `events/`, an OpenAPI action-group event, and the seed's direct JSON input.

use std::path::PathBuf;

use prepai::entry::tool_lambda;
use prepai::tools::cv_analyzer::run;
use serde_json::{Value, json};

fn sample_event() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../events/cv-analyzer.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn cv_text(event: &Value) -> String {
    event["parameters"][0]["value"].as_str().unwrap().to_owned()
}

/// The analysis inside a response body, checked for the seed's fields.
fn check_analysis(analysis: &Value) {
    assert_eq!(analysis["candidateName"], "Ada Lovelace", "{analysis}");
    assert_eq!(analysis["email"], "ada.lovelace@example.com");
    assert_eq!(analysis["phone"], "(415) 555-0132");
    let skills: Vec<&str> = analysis["skills"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    for wanted in [
        "Go",
        "PostgreSQL",
        "Python",
        "TypeScript",
        "Kubernetes",
        "AWS",
    ] {
        assert!(skills.contains(&wanted), "{wanted} missing from {skills:?}");
    }
    let experience = analysis["experience"].as_array().unwrap();
    assert_eq!(experience.len(), 2);
    assert_eq!(experience[0]["title"], "Senior Software Engineer");
    assert_eq!(experience[0]["company"], "Stripe");
    assert_eq!(experience[0]["startDate"], "2021-01");
    assert_eq!(experience[0]["endDate"], "Present");
    assert_eq!(experience[1]["durationMonths"], 43);
    assert_eq!(
        analysis["education"][0]["institution"],
        "Stanford University"
    );
    assert!(analysis["totalYearsExperience"].as_f64().unwrap() >= 8.5);
    assert!(analysis["skillsByCategory"]["Software Engineering"].is_array());
}

#[tokio::test]
async fn the_sample_function_details_event_answers_in_its_form() {
    let event = sample_event();
    let response = tool_lambda::invoke(event, &run).await;
    assert_eq!(response["messageVersion"], "1.0");
    assert_eq!(response["response"]["actionGroup"], "CVAnalyzer");
    assert_eq!(response["response"]["function"], "analyze_cv");
    assert!(
        response["response"]["functionResponse"]
            .get("responseState")
            .is_none()
    );
    assert_eq!(response["sessionAttributes"]["interviewType"], "Google SDE");
    let body = response["response"]["functionResponse"]["responseBody"]["TEXT"]["body"]
        .as_str()
        .unwrap();
    let analysis: Value = serde_json::from_str(body).unwrap();
    check_analysis(&analysis);
    assert_eq!(analysis["interviewMatch"]["interviewType"], "Google SDE");
}

#[tokio::test]
async fn the_openapi_form_reads_the_request_body() {
    let text = cv_text(&sample_event());
    let event = json!({
        "messageVersion": "1.0",
        "agent": {"name": "prepai-interviewer", "id": "AGENT12345", "alias": "TSTALIASID", "version": "DRAFT"},
        "inputText": "analyse my resume",
        "sessionId": "3f2c1a9e-8d4b-4c6a-9e1f-2b3c4d5e6f70",
        "actionGroup": "CVAnalyzer",
        "apiPath": "/analyze-cv",
        "httpMethod": "POST",
        "parameters": [],
        "requestBody": {"content": {"application/json": {"properties": [
            {"name": "cvText", "type": "string", "value": text},
            {"name": "extractSkills", "type": "boolean", "value": "true"}
        ]}}},
        "sessionAttributes": {},
        "promptSessionAttributes": {}
    });
    let response = tool_lambda::invoke(event, &run).await;
    assert_eq!(response["response"]["httpStatusCode"], 200);
    assert_eq!(response["response"]["apiPath"], "/analyze-cv");
    let body = response["response"]["responseBody"]["application/json"]["body"]
        .as_str()
        .unwrap();
    check_analysis(&serde_json::from_str(body).unwrap());
}

#[tokio::test]
async fn the_seed_direct_input_answers_plain_json() {
    let text = cv_text(&sample_event());
    let response = tool_lambda::invoke(json!({"cvText": text, "extractSkills": true}), &run).await;
    check_analysis(&response);
    assert!(response.get("interviewMatch").is_none());

    let without_skills =
        tool_lambda::invoke(json!({"cvText": text, "extractSkills": false}), &run).await;
    assert_eq!(without_skills["skills"], json!([]));
    assert_eq!(without_skills["candidateName"], "Ada Lovelace");
}

#[tokio::test]
async fn bad_input_is_refused_in_each_form() {
    let refused = tool_lambda::invoke(json!({"extractSkills": true}), &run).await;
    assert_eq!(refused["success"], false);
    assert_eq!(refused["error"]["code"], "invalid_input");
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("cvText")
    );

    let mut event = sample_event();
    event["parameters"][0]["value"] = json!("   ");
    let response = tool_lambda::invoke(event, &run).await;
    assert_eq!(
        response["response"]["functionResponse"]["responseState"],
        "REPROMPT"
    );
}
