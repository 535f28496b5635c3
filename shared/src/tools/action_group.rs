//! The three shapes a tool invocation arrives in — direct JSON, a Bedrock Agent action group defined by an OpenAPI
//! schema, or one defined by function details — and the matching response shapes.
//!
//! `aws_lambda_events`' `AgentEvent` only parses the OpenAPI form, hence these types.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

/// One `{name, type, value}` parameter as the agent sends it; every value arrives as a string.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct AgentParameter {
    pub name: String,
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub value: Value,
}

/// Fields both agent forms share.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentCommon {
    #[serde(default = "default_message_version")]
    pub message_version: String,
    pub action_group: String,
    #[serde(default)]
    pub session_id: Option<String>,
    #[serde(default)]
    pub parameters: Vec<AgentParameter>,
    #[serde(default)]
    pub session_attributes: Map<String, Value>,
    #[serde(default)]
    pub prompt_session_attributes: Map<String, Value>,
}

fn default_message_version() -> String {
    "1.0".into()
}

/// An action group defined by an OpenAPI schema.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenApiEvent {
    #[serde(flatten)]
    pub common: AgentCommon,
    pub api_path: String,
    pub http_method: String,
    #[serde(default)]
    pub request_body: Option<OpenApiRequestBody>,
}

/// `requestBody.content.<media type>.properties[]`.
#[derive(Clone, Debug, Deserialize)]
pub struct OpenApiRequestBody {
    #[serde(default)]
    pub content: Map<String, Value>,
}

/// An action group defined by function details.
#[derive(Clone, Debug, Deserialize)]
pub struct FunctionEvent {
    #[serde(flatten)]
    pub common: AgentCommon,
    pub function: String,
}

/// A tool invocation in whichever form it came.
#[derive(Clone, Debug)]
pub enum ToolInvocation {
    /// The seed's direct input (a Lambda invoke from our own code or a test).
    Direct(Value),
    OpenApi(OpenApiEvent),
    Function(FunctionEvent),
}

/// A tool's refusal, reported in the invocation's own form.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ToolError {
    /// Stable, machine-readable (`invalid_input`, `unsupported_language`, …).
    pub code: &'static str,
    pub message: String,
}

impl ToolError {
    pub fn invalid_input(message: impl Into<String>) -> Self {
        Self {
            code: "invalid_input",
            message: message.into(),
        }
    }
}

impl ToolInvocation {
    /// Recognises the form: `function` means function details, `apiPath` means OpenAPI, anything else is direct.
    pub fn parse(event: Value) -> Result<Self, ToolError> {
        let is_agent = event.get("actionGroup").is_some() && event.get("messageVersion").is_some();
        if is_agent && event.get("function").is_some() {
            return serde_json::from_value(event)
                .map(Self::Function)
                .map_err(|e| ToolError::invalid_input(format!("function-details event: {e}")));
        }
        if is_agent && event.get("apiPath").is_some() {
            return serde_json::from_value(event)
                .map(Self::OpenApi)
                .map_err(|e| ToolError::invalid_input(format!("OpenAPI action-group event: {e}")));
        }
        Ok(Self::Direct(event))
    }

    /// The tool's input as one JSON object: the direct event as is, or the agent's parameters and request-body
    /// properties with their declared types restored (numbers, booleans, and arrays/objects the agent sent as JSON
    /// text).
    pub fn arguments(&self) -> Value {
        match self {
            Self::Direct(value) => value.clone(),
            Self::OpenApi(event) => {
                let mut args = collect(&event.common.parameters);
                if let Some(body) = &event.request_body {
                    for media in body.content.values() {
                        let properties: Vec<AgentParameter> = media
                            .get("properties")
                            .cloned()
                            .and_then(|p| serde_json::from_value(p).ok())
                            .unwrap_or_default();
                        args.extend(collect(&properties));
                    }
                }
                Value::Object(args)
            }
            Self::Function(event) => Value::Object(collect(&event.common.parameters)),
        }
    }

    /// The session id the agent passed (our session id), if any.
    pub fn agent_session_id(&self) -> Option<&str> {
        match self {
            Self::Direct(_) => None,
            Self::OpenApi(e) => e.common.session_id.as_deref(),
            Self::Function(e) => e.common.session_id.as_deref(),
        }
    }

    /// Wraps a tool's result in the response format of the invocation's form.
    pub fn respond(&self, result: Result<Value, ToolError>) -> Value {
        let (status, body) = match result {
            Ok(value) => (200, value),
            Err(e) => (
                400,
                json!({"success": false, "error": {"code": e.code, "message": e.message}}),
            ),
        };
        match self {
            Self::Direct(_) => body,
            Self::OpenApi(event) => json!({
                "messageVersion": event.common.message_version,
                "response": {
                    "actionGroup": event.common.action_group,
                    "apiPath": event.api_path,
                    "httpMethod": event.http_method,
                    "httpStatusCode": status,
                    "responseBody": {"application/json": {"body": body.to_string()}}
                },
                "sessionAttributes": event.common.session_attributes,
                "promptSessionAttributes": event.common.prompt_session_attributes,
            }),
            Self::Function(event) => {
                let mut function_response =
                    json!({"responseBody": {"TEXT": {"body": body.to_string()}}});
                if status != 200 {
                    // REPROMPT lets the agent fix its arguments and call again instead of ending the turn.
                    function_response["responseState"] = json!("REPROMPT");
                }
                json!({
                    "messageVersion": event.common.message_version,
                    "response": {
                        "actionGroup": event.common.action_group,
                        "function": event.function,
                        "functionResponse": function_response,
                    },
                    "sessionAttributes": event.common.session_attributes,
                    "promptSessionAttributes": event.common.prompt_session_attributes,
                })
            }
        }
    }
}

fn collect(parameters: &[AgentParameter]) -> Map<String, Value> {
    parameters
        .iter()
        .map(|p| (p.name.clone(), typed_value(&p.kind, &p.value)))
        .collect()
}

fn typed_value(kind: &str, value: &Value) -> Value {
    let Value::String(text) = value else {
        return value.clone();
    };
    match kind {
        "number" | "integer" | "boolean" | "array" | "object" => {
            serde_json::from_str(text.trim()).unwrap_or_else(|_| value.clone())
        }
        _ => value.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn openapi_event() -> Value {
        json!({
            "messageVersion": "1.0",
            "agent": {"name": "prepai", "id": "A1", "alias": "TSTALIASID", "version": "DRAFT"},
            "inputText": "run my code",
            "sessionId": "3f2c1a9e-8d4b-4c6a-9e1f-2b3c4d5e6f70",
            "actionGroup": "CodeExecutor",
            "apiPath": "/execute-code",
            "httpMethod": "POST",
            "parameters": [{"name": "timeout", "type": "integer", "value": "3"}],
            "requestBody": {"content": {"application/json": {"properties": [
                {"name": "code", "type": "string", "value": "def f(x): return x"},
                {"name": "testCases", "type": "array", "value": "[{\"input\": \"1\", \"expected\": \"1\"}]"}
            ]}}},
            "sessionAttributes": {"interviewType": "Coding"},
            "promptSessionAttributes": {}
        })
    }

    #[test]
    fn openapi_arguments_are_typed_and_merged() {
        let invocation = ToolInvocation::parse(openapi_event()).unwrap();
        let args = invocation.arguments();
        assert_eq!(args["timeout"], json!(3));
        assert_eq!(args["code"], json!("def f(x): return x"));
        assert_eq!(args["testCases"][0]["expected"], json!("1"));
        assert_eq!(
            invocation.agent_session_id(),
            Some("3f2c1a9e-8d4b-4c6a-9e1f-2b3c4d5e6f70")
        );
    }

    #[test]
    fn openapi_response_wraps_the_body_as_text() {
        let invocation = ToolInvocation::parse(openapi_event()).unwrap();
        let response = invocation.respond(Ok(json!({"success": true})));
        assert_eq!(response["response"]["httpStatusCode"], 200);
        assert_eq!(response["response"]["apiPath"], "/execute-code");
        let body = response["response"]["responseBody"]["application/json"]["body"]
            .as_str()
            .unwrap();
        assert_eq!(
            serde_json::from_str::<Value>(body).unwrap(),
            json!({"success": true})
        );
        assert_eq!(response["sessionAttributes"]["interviewType"], "Coding");
    }

    #[test]
    fn function_details_events_parse_and_respond() {
        let event = json!({
            "messageVersion": "1.0",
            "agent": {"name": "prepai", "id": "A1", "alias": "TSTALIASID", "version": "DRAFT"},
            "inputText": "analyse",
            "sessionId": "s",
            "actionGroup": "CVAnalyzer",
            "function": "analyze_cv",
            "parameters": [
                {"name": "cvText", "type": "string", "value": "Jane Doe"},
                {"name": "extractSkills", "type": "boolean", "value": "true"}
            ],
            "sessionAttributes": {},
            "promptSessionAttributes": {}
        });
        let invocation = ToolInvocation::parse(event).unwrap();
        assert_eq!(
            invocation.arguments(),
            json!({"cvText": "Jane Doe", "extractSkills": true})
        );
        let failed = invocation.respond(Err(ToolError::invalid_input("cvText is empty")));
        assert_eq!(failed["response"]["function"], "analyze_cv");
        assert_eq!(
            failed["response"]["functionResponse"]["responseState"],
            "REPROMPT"
        );
        let ok = invocation.respond(Ok(json!({"candidateName": "Jane Doe"})));
        assert!(
            ok["response"]["functionResponse"]
                .get("responseState")
                .is_none()
        );
    }

    #[test]
    fn anything_else_is_direct() {
        let direct = json!({"code": "x", "language": "python"});
        let invocation = ToolInvocation::parse(direct.clone()).unwrap();
        assert_eq!(invocation.arguments(), direct);
        assert_eq!(invocation.respond(Ok(json!({"a": 1}))), json!({"a": 1}));
    }
}
