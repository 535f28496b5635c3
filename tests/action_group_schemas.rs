//! The Bedrock Agent's action groups in `template.yaml` against our code: an OpenAPI-form event built from each
//! schema (every property the schema declares, typed and stringified the way the agent sends them) must be
//! accepted by the tool's entrance as deployed — the resume analyser and the evaluator acting on the interview the
//! event names — and every property the response schema promises must be in its answer; the return-of-control
//! group must name the function and parameter the Bedrock adapter answers.

use std::sync::Arc;

use prepai::AppContext;
use prepai::domain::{CandidateName, Identity, InterviewType, Session, SessionId};
use prepai::entry::tool_lambda;
use prepai_sandbox::Sandbox;
use prepai_tests::local_server::worker_exe;
use serde_json::{Map, Value, json};

/// The session the sample events name.
const SESSION: &str = "3f2c1a9e-8d4b-4c6a-9e1f-2b3c4d5e6f70";

fn template() -> serde_yaml::Value {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../template.yaml")).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

/// (action group name, OpenAPI document) for every action group of the agent that a tool Lambda runs. A
/// return-of-control group (`CustomControl: RETURN_CONTROL`, declared by a `FunctionSchema`) has no Lambda and no
/// OpenAPI document: the socket handler answers it.
fn action_groups() -> Vec<(String, Value)> {
    let template = template();
    let groups = template["Resources"]["InterviewAgent"]["Properties"]["ActionGroups"]
        .as_sequence()
        .expect("the agent has action groups")
        .clone();
    let with_api: Vec<(String, Value)> = groups
        .iter()
        // Return-of-control groups have no executor and no OpenAPI schema (see the test below).
        .filter(|g| !g["ApiSchema"].is_null())
        .map(|g| {
            let name = g["ActionGroupName"].as_str().unwrap().to_owned();
            let payload = g["ApiSchema"]["Payload"]
                .as_str()
                .unwrap_or_else(|| panic!("{name}: a Lambda-run group needs an ApiSchema payload"));
            let schema: Value =
                serde_json::from_str(payload).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, schema)
        })
        .collect();
    assert_eq!(
        with_api.len(),
        3,
        "the three tools each have an OpenAPI schema"
    );
    with_api
}

/// Example values, as the agent would send them (every value a string), for each property a schema may declare.
fn example(group: &str, property: &str) -> Option<&'static str> {
    Some(match (group, property) {
        ("CodeExecutor", "code") => "def solution(arr):\n    return sorted(arr)\n",
        ("CodeExecutor", "language") => "python",
        ("CodeExecutor", "functionName") => "solution",
        ("CodeExecutor", "testCases") => {
            r#"[{"input": "[3,1,2]", "expected": "[1,2,3]"}, {"input": "[]", "expected": "[]"}]"#
        }
        ("CodeExecutor", "timeout") => "3",
        ("CVAnalyzer", "cvText") => {
            "Ada Lovelace\nada@example.com\n+44 7700 900123\n\nExperience\nSenior Engineer, Analytical Engines \
             Ltd, Jan 2019 - Present\n\nSkills\nPython, Rust, AWS, Kubernetes\n"
        }
        ("CVAnalyzer", "extractSkills") => "true",
        ("CVAnalyzer", "interviewType") => "AWS SA",
        ("PerformanceEvaluator", "sessionId") => "3f2c1a9e-8d4b-4c6a-9e1f-2b3c4d5e6f70",
        ("PerformanceEvaluator", "conversationHistory") => {
            r#"[{"role": "assistant", "content": "How would you design a rate limiter?"},
                {"role": "user", "content": "I would use a token bucket per client id stored in Redis, because it allows short bursts while keeping the average rate; the trade-off is one extra network hop per request."}]"#
        }
        ("PerformanceEvaluator", "codeSubmissions") => "[]",
        ("PerformanceEvaluator", "interviewType") => "Google SDE",
        ("PerformanceEvaluator", "duration") => "1800",
        ("PerformanceEvaluator", "candidateName") => "Ada Lovelace",
        _ => return None,
    })
}

/// The OpenAPI-form event the agent would send for the schema's one operation.
fn event_for(group: &str, schema: &Value) -> (Value, Value) {
    let paths = schema["paths"].as_object().unwrap();
    assert_eq!(paths.len(), 1, "{group}: one operation per action group");
    let (path, operation) = paths.iter().next().unwrap();
    let post = &operation["post"];
    let body_schema = &post["requestBody"]["content"]["application/json"]["schema"];
    let declared = body_schema["properties"].as_object().unwrap();
    for required in body_schema["required"].as_array().unwrap() {
        assert!(
            declared.contains_key(required.as_str().unwrap()),
            "{group}: required {required} undeclared"
        );
    }
    let properties: Vec<Value> = declared
        .iter()
        .map(|(name, spec)| {
            let value = example(group, name)
                .unwrap_or_else(|| panic!("{group}: no example for new property {name}"));
            json!({"name": name, "type": spec["type"], "value": value})
        })
        .collect();
    let event = json!({
        "messageVersion": "1.0",
        "agent": {"name": "prepai-interviewer", "id": "AGENT", "alias": "ALIAS", "version": "1"},
        "inputText": "please run this",
        "sessionId": SESSION,
        "actionGroup": group,
        "apiPath": path,
        "httpMethod": "POST",
        "parameters": [],
        "requestBody": {"content": {"application/json": {"properties": properties}}},
        "sessionAttributes": {},
        "promptSessionAttributes": {}
    });
    let response_schema = post["responses"]["200"]["content"]["application/json"]["schema"].clone();
    (event, response_schema)
}

/// A store holding the session the events name, with an uploaded resume's analysis and a short interview.
async fn interview() -> (Arc<AppContext>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let ctx = AppContext::new(Arc::new(prepai::adapters::local::FsObjectStore::new(
        dir.path(),
    )));
    let owner = Identity::new("ada", vec![]).unwrap();
    let mut session = Session::new(
        SessionId::parse(SESSION).unwrap(),
        &owner,
        InterviewType::GoogleSde,
        CandidateName::parse("Ada Lovelace").unwrap(),
        chrono::Utc::now(),
    );
    let analysis = prepai::tools::cv_analyzer::run(
        json!({"cvText": example("CVAnalyzer", "cvText").unwrap()}),
    )
    .await
    .unwrap();
    session.cv_analysis = Some(analysis);
    ctx.sessions.create(&session).await.unwrap();
    (Arc::new(ctx), dir)
}

async fn invoke(group: &str, event: Value) -> Value {
    match group {
        "CodeExecutor" => {
            let sandbox = Sandbox::with_worker_exe(worker_exe());
            tool_lambda::invoke(event, &|args| {
                let sandbox = sandbox.clone();
                async move { sandbox.run_tool(args).await }
            })
            .await
        }
        "CVAnalyzer" => {
            let (ctx, _dir) = interview().await;
            tool_lambda::invoke_with_context(ctx, event, &tool_lambda::cv_analyzer).await
        }
        "PerformanceEvaluator" => {
            let (ctx, _dir) = interview().await;
            tool_lambda::invoke_with_context(ctx, event, &tool_lambda::performance_evaluator).await
        }
        other => panic!("action group {other} has no tool"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_action_group_schema_matches_its_tool() {
    let groups = action_groups();
    let names: Vec<&str> = groups.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["CodeExecutor", "CVAnalyzer", "PerformanceEvaluator"]
    );
    for (group, schema) in &groups {
        let (event, response_schema) = event_for(group, schema);
        let response = invoke(group, event).await;
        assert_eq!(
            response["response"]["httpStatusCode"], 200,
            "{group}: {response}"
        );
        let body: Value = serde_json::from_str(
            response["response"]["responseBody"]["application/json"]["body"]
                .as_str()
                .unwrap(),
        )
        .unwrap();
        let promised: &Map<String, Value> = response_schema["properties"].as_object().unwrap();
        for property in promised.keys() {
            assert!(
                body.get(property).is_some(),
                "{group}: the schema promises {property}, the tool omits it: {body}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_schema_violation_is_refused_in_the_agents_own_form() {
    let (_, schema) = action_groups()
        .into_iter()
        .find(|(n, _)| n == "CodeExecutor")
        .unwrap();
    let (mut event, _) = event_for("CodeExecutor", &schema);
    let properties = event["requestBody"]["content"]["application/json"]["properties"]
        .as_array_mut()
        .unwrap();
    properties.retain(|p| p["name"] != "code");
    let response = invoke("CodeExecutor", event).await;
    assert_eq!(response["response"]["httpStatusCode"], 400, "{response}");
}

/// The coding-problem group returns control (no Lambda runs it) with the function and parameter the Bedrock
/// adapter answers.
#[test]
fn the_return_of_control_group_names_what_the_adapter_answers() {
    let template = template();
    let groups = template["Resources"]["InterviewAgent"]["Properties"]["ActionGroups"]
        .as_sequence()
        .unwrap();
    let group = groups
        .iter()
        .find(|g| g["ApiSchema"].is_null())
        .expect("a return-of-control group");
    assert_eq!(
        group["ActionGroupExecutor"]["CustomControl"].as_str(),
        Some("RETURN_CONTROL")
    );
    let functions = group["FunctionSchema"]["Functions"].as_sequence().unwrap();
    assert_eq!(functions.len(), 1);
    assert_eq!(
        functions[0]["Name"].as_str(),
        Some(prepai::adapters::aws::PRESENT_CODING_PROBLEM)
    );
    assert_eq!(
        functions[0]["Parameters"]["problemId"]["Required"].as_bool(),
        Some(true)
    );
}
