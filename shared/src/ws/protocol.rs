//! The messages on the interview WebSocket, both directions, as the seed names them (plus `start`, `text`, `code`,
//! `coding_problem`, `code_result` and `report`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::Role;

/// API Gateway closes a WebSocket on frames over 32 KB; we refuse messages over this size with an error reply.
pub const MAX_FRAME_BYTES: usize = 32 * 1024;

/// The longest typed answer accepted, in characters.
pub const MAX_TEXT_CHARS: usize = 10_000;

/// Client → server.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMessage {
    /// Sent once connected: the interviewer greets and asks the first question (API Gateway cannot push during
    /// `$connect`).
    Start,
    /// A typed answer or question.
    Text {
        text: String,
    },
    /// Code to run against the current problem's tests (or the tests given).
    Code {
        code: String,
        language: String,
        #[serde(default, rename = "functionName")]
        function_name: Option<String>,
        #[serde(default, rename = "testCases")]
        test_cases: Option<Value>,
    },
    SpeechStart,
    SpeechEnd,
    /// End the interview and get the report.
    End,
}

/// Server → client.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    Transcript {
        text: String,
        role: Role,
        is_final: bool,
    },
    LlmChunk {
        text: String,
    },
    AssistantComplete {
        text: String,
        role: Role,
    },
    CodingProblem {
        problem: Value,
    },
    CodeResult {
        #[serde(flatten)]
        result: Value,
    },
    Report {
        session_id: String,
        report_url: String,
        report: Value,
    },
    /// Something the client should show; the connection stays open.
    Error {
        code: String,
        message: String,
    },
}

impl ServerMessage {
    /// An error reply.
    pub fn error(code: &str, message: impl Into<String>) -> Self {
        Self::Error {
            code: code.to_owned(),
            message: message.into(),
        }
    }

    /// The frame text.
    pub fn to_text(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| {
            r#"{"type":"error","code":"internal","message":"a reply could not be encoded"}"#
                .to_owned()
        })
    }
}

/// Parses one frame, with a message a person can act on when it is wrong.
pub fn parse_client_message(text: &str) -> Result<ClientMessage, String> {
    if text.len() > MAX_FRAME_BYTES {
        return Err(format!("messages must be at most {MAX_FRAME_BYTES} bytes"));
    }
    let value: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    if !value.is_object() || value.get("type").and_then(Value::as_str).is_none() {
        return Err("a message must be a JSON object with a string \"type\"".into());
    }
    let message: ClientMessage =
        serde_json::from_value(value).map_err(|e| format!("invalid message: {e}"))?;
    if let ClientMessage::Text { text } = &message {
        if text.trim().is_empty() {
            return Err("text must not be empty".into());
        }
        if text.chars().count() > MAX_TEXT_CHARS {
            return Err(format!("text must be at most {MAX_TEXT_CHARS} characters"));
        }
    }
    Ok(message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_every_client_message() {
        assert_eq!(
            parse_client_message(r#"{"type":"start"}"#),
            Ok(ClientMessage::Start)
        );
        assert_eq!(
            parse_client_message(r#"{"type":"text","text":"hi"}"#),
            Ok(ClientMessage::Text { text: "hi".into() })
        );
        assert_eq!(
            parse_client_message(r#"{"type":"speech_end"}"#),
            Ok(ClientMessage::SpeechEnd)
        );
        let code = parse_client_message(
            r#"{"type":"code","code":"x","language":"python","functionName":"f"}"#,
        );
        assert!(matches!(
            code,
            Ok(ClientMessage::Code {
                function_name: Some(_),
                ..
            })
        ));
    }

    #[test]
    fn explains_what_is_wrong() {
        assert!(
            parse_client_message("nope")
                .unwrap_err()
                .contains("not JSON")
        );
        assert!(parse_client_message("[]").unwrap_err().contains("\"type\""));
        assert!(
            parse_client_message(r#"{"type":"dance"}"#)
                .unwrap_err()
                .contains("unknown variant")
        );
        assert!(
            parse_client_message(r#"{"type":"text"}"#)
                .unwrap_err()
                .contains("missing field")
        );
        assert!(
            parse_client_message(r#"{"type":"text","text":"  "}"#)
                .unwrap_err()
                .contains("empty")
        );
        let huge = json!({"type": "text", "text": "a".repeat(40_000)}).to_string();
        assert!(parse_client_message(&huge).unwrap_err().contains("bytes"));
    }

    #[test]
    fn server_messages_match_the_seed() {
        let chunk = ServerMessage::LlmChunk { text: "Hel".into() }.to_text();
        assert_eq!(
            serde_json::from_str::<Value>(&chunk).unwrap(),
            json!({"type": "llm_chunk", "text": "Hel"})
        );
        let done = ServerMessage::AssistantComplete {
            text: "Hello".into(),
            role: Role::Assistant,
        };
        assert_eq!(
            serde_json::from_str::<Value>(&done.to_text()).unwrap(),
            json!({"type": "assistant_complete", "text": "Hello", "role": "assistant"})
        );
        let t = ServerMessage::Transcript {
            text: "x".into(),
            role: Role::User,
            is_final: true,
        };
        assert_eq!(
            serde_json::from_str::<Value>(&t.to_text()).unwrap(),
            json!({"type": "transcript", "text": "x", "role": "user", "is_final": true})
        );
    }
}
