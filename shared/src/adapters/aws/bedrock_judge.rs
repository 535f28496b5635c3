//! The judge on AWS: Bedrock Runtime's Converse with a tool schema, so the grade comes back as structured input to
//! the `grade_answer` tool rather than as free text. The model (or inference profile) is the template's
//! `JudgeModel` parameter.

use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_bedrockruntime::Client;
use aws_sdk_bedrockruntime::types::{
    ContentBlock, ConversationRole, ConverseOutput, InferenceConfiguration, Message,
    SpecificToolChoice, SystemContentBlock, Tool, ToolChoice, ToolConfiguration, ToolInputSchema,
    ToolSpecification,
};
use aws_smithy_types::{Document, Number};
use serde_json::Value;

use crate::ports::{Judge, JudgeError, JudgeRequest, JudgeVerdict};
use crate::tools::performance_evaluator::judging;

/// Grades answers with a Bedrock model through Converse.
#[derive(Clone)]
pub struct BedrockJudge {
    client: Client,
    model: String,
    timeout: Duration,
}

impl BedrockJudge {
    /// `model` is a model id or an inference profile id/ARN.
    pub fn new(client: Client, model: impl Into<String>, timeout: Duration) -> Self {
        Self {
            client,
            model: model.into(),
            timeout,
        }
    }
}

#[async_trait]
impl Judge for BedrockJudge {
    async fn grade(&self, request: &JudgeRequest) -> Result<JudgeVerdict, JudgeError> {
        let spec = ToolSpecification::builder()
            .name(judging::TOOL_NAME)
            .description("Record the grade of the answer.")
            .input_schema(ToolInputSchema::Json(to_document(&judging::tool_schema())))
            .build()
            .map_err(|e| JudgeError::Unavailable(e.to_string()))?;
        let tools = ToolConfiguration::builder()
            .tools(Tool::ToolSpec(spec))
            .tool_choice(ToolChoice::Tool(
                SpecificToolChoice::builder()
                    .name(judging::TOOL_NAME)
                    .build()
                    .map_err(|e| JudgeError::Unavailable(e.to_string()))?,
            ))
            .build()
            .map_err(|e| JudgeError::Unavailable(e.to_string()))?;
        let message = Message::builder()
            .role(ConversationRole::User)
            .content(ContentBlock::Text(judging::user_message(request)))
            .build()
            .map_err(|e| JudgeError::Unavailable(e.to_string()))?;
        let call = self
            .client
            .converse()
            .model_id(&self.model)
            .system(SystemContentBlock::Text(format!(
                "{} {}",
                judging::SYSTEM_PROMPT,
                judging::TOOL_REPLY
            )))
            .messages(message)
            .tool_config(tools)
            .inference_config(
                InferenceConfiguration::builder()
                    .max_tokens(800)
                    .temperature(0.0)
                    .build(),
            )
            .send();
        let output = tokio::time::timeout(self.timeout, call)
            .await
            .map_err(|_| JudgeError::Timeout)?
            .map_err(|e| JudgeError::Unavailable(format!("{e:?}")))?;
        let Some(ConverseOutput::Message(reply)) = output.output() else {
            return Err(JudgeError::Malformed("no message in the reply".into()));
        };
        for block in reply.content() {
            match block {
                ContentBlock::ToolUse(tool) if tool.name() == judging::TOOL_NAME => {
                    return judging::parse_verdict(&to_value(tool.input()));
                }
                ContentBlock::Text(text) => {
                    if let Ok(verdict) = judging::parse_verdict_text(text) {
                        return Ok(verdict);
                    }
                }
                _ => {}
            }
        }
        Err(JudgeError::Malformed(
            "the reply has no grade_answer tool call".into(),
        ))
    }
}

/// A JSON value as the SDK's document type.
fn to_document(value: &Value) -> Document {
    match value {
        Value::Null => Document::Null,
        Value::Bool(b) => Document::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => Document::Number(Number::PosInt(u)),
            (_, Some(i), _) => Document::Number(Number::NegInt(i)),
            (_, _, Some(f)) => Document::Number(Number::Float(f)),
            _ => Document::Null,
        },
        Value::String(s) => Document::String(s.clone()),
        Value::Array(items) => Document::Array(items.iter().map(to_document).collect()),
        Value::Object(map) => Document::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), to_document(v)))
                .collect(),
        ),
    }
}

/// The SDK's document type as a JSON value.
fn to_value(document: &Document) -> Value {
    match document {
        Document::Null => Value::Null,
        Document::Bool(b) => Value::Bool(*b),
        Document::Number(Number::PosInt(u)) => Value::from(*u),
        Document::Number(Number::NegInt(i)) => Value::from(*i),
        Document::Number(Number::Float(f)) => {
            serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number)
        }
        Document::String(s) => Value::String(s.clone()),
        Document::Array(items) => Value::Array(items.iter().map(to_value).collect()),
        Document::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), to_value(v))).collect())
        }
    }
}
