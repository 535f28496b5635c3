//! The messages on the interview WebSocket, both directions, as the seed names them (plus `start`, `text`, `code`,
//! `coding_problem`, `code_result` and `report`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::{MessageId, Role};
use crate::ports::AudioFormat;
use crate::voice::settings::SilenceMs;

/// API Gateway closes a WebSocket on frames over 32 KB; we refuse messages over this size with an error reply.
pub const MAX_FRAME_BYTES: usize = 32 * 1024;

/// The longest typed answer accepted, in characters.
pub const MAX_TEXT_CHARS: usize = 10_000;

/// Client → server.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMessage {
    /// Sent once connected: the interviewer greets and asks the first question (API Gateway cannot push during
    /// `$connect`). With `voice`, the greeting is spoken too.
    Start {
        #[serde(default)]
        voice: bool,
        /// The client's id for this join: a `start` sent again under it after an error greets if the first copy's
        /// turn was claimed but its holder failed, instead of resuming a conversation nobody began.
        #[serde(default)]
        id: Option<MessageId>,
    },
    /// Sent after a reconnect instead of `start`: the voice settings and any open coding problem come back; the
    /// transcript is read over REST.
    Resume,
    /// A typed answer or question. `id` is the client's own id for it (a UUID): sent again with the same id after
    /// an error, the message is recognised rather than recorded twice. `retry` marks a copy sent again because the
    /// server reported an error for it: only such a copy takes over a turn its first copy claimed and may still
    /// hold; any other copy (a double send) waits for that turn, whose holder is still answering.
    Text {
        text: String,
        #[serde(default)]
        id: Option<MessageId>,
        #[serde(default)]
        retry: bool,
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
    /// The candidate started speaking; `audio` messages follow. `utterance` is the client's own number for this
    /// answer (0, 1, 2… per connection), repeated on its `audio` and `speech_end`: API Gateway may deliver the
    /// next answer's `speech_start` before this one's `speech_end`, and the number keeps them apart.
    SpeechStart {
        #[serde(default)]
        utterance: Option<u32>,
    },
    /// One piece of the utterance: `data` is base64 of 16 kHz mono PCM16 LE, `seq` counts from 0.
    Audio {
        seq: u32,
        data: String,
        #[serde(default)]
        utterance: Option<u32>,
    },
    /// The candidate stopped speaking. `chunks` (how many `audio` messages were sent) lets the server wait for
    /// pieces still in flight instead of reporting a gap. `silence`: the client's voice-activity detection ended
    /// the utterance after a pause (hands-free), not the candidate, so it may have stopped mid-sentence.
    SpeechEnd {
        #[serde(default)]
        chunks: Option<u32>,
        #[serde(default)]
        utterance: Option<u32>,
        #[serde(default)]
        silence: bool,
    },
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
    /// Part of the interviewer's spoken reply: the parts of one `clip` (a sentence) joined in `seq` order make one
    /// playable file of `format`; `last` marks a clip's final part.
    Audio {
        seq: u32,
        format: AudioFormat,
        data: String,
        clip: u32,
        last: bool,
    },
    /// The spoken reply is complete: `clips` clips were sent (the client may still be playing them).
    AudioEnd {
        clips: u32,
    },
    /// What voice can do on this server and how the browser should take turns.
    Voice {
        /// Speech input works.
        available: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        message: Option<String>,
        input: bool,
        output: bool,
        silence_ms: SilenceMs,
        max_utterance_seconds: u32,
        chunk_bytes: usize,
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

/// Why a frame was refused: an `error` code and a message a person can act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub code: &'static str,
    pub message: String,
}

impl Refusal {
    fn invalid(message: impl Into<String>) -> Self {
        Self {
            code: "invalid_message",
            message: message.into(),
        }
    }
}

/// Parses one frame, with a message a person can act on when it is wrong.
pub fn parse_client_message(text: &str) -> Result<ClientMessage, Refusal> {
    if text.len() > MAX_FRAME_BYTES {
        return Err(Refusal {
            code: "frame_too_large",
            message: format!(
                "messages must be at most {MAX_FRAME_BYTES} bytes; send audio in chunks of at most {} bytes",
                crate::voice::utterances::MAX_CHUNK_BYTES
            ),
        });
    }
    let value: Value =
        serde_json::from_str(text).map_err(|e| Refusal::invalid(format!("not JSON: {e}")))?;
    if !value.is_object() || value.get("type").and_then(Value::as_str).is_none() {
        return Err(Refusal::invalid(
            "a message must be a JSON object with a string \"type\"",
        ));
    }
    let message: ClientMessage = serde_json::from_value(value)
        .map_err(|e| Refusal::invalid(format!("invalid message: {e}")))?;
    if let ClientMessage::Text { text, .. } = &message {
        if text.trim().is_empty() {
            return Err(Refusal::invalid("text must not be empty"));
        }
        if text.chars().count() > MAX_TEXT_CHARS {
            return Err(Refusal::invalid(format!(
                "text must be at most {MAX_TEXT_CHARS} characters"
            )));
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
            Ok(ClientMessage::Start {
                voice: false,
                id: None
            })
        );
        assert_eq!(
            parse_client_message(r#"{"type":"start","voice":true}"#),
            Ok(ClientMessage::Start {
                voice: true,
                id: None
            })
        );
        assert_eq!(
            parse_client_message(r#"{"type":"audio","seq":3,"data":"AAA="}"#),
            Ok(ClientMessage::Audio {
                seq: 3,
                data: "AAA=".into(),
                utterance: None
            })
        );
        assert_eq!(
            parse_client_message(r#"{"type":"speech_end","chunks":4,"silence":true}"#),
            Ok(ClientMessage::SpeechEnd {
                chunks: Some(4),
                utterance: None,
                silence: true
            })
        );
        assert!(parse_client_message(r#"{"type":"audio","seq":-1,"data":""}"#).is_err());
        assert_eq!(
            parse_client_message(r#"{"type":"text","text":"hi"}"#),
            Ok(ClientMessage::Text {
                text: "hi".into(),
                id: None,
                retry: false
            })
        );
        assert_eq!(
            parse_client_message(r#"{"type":"text","text":"hi","id":"m1","retry":true}"#),
            Ok(ClientMessage::Text {
                text: "hi".into(),
                id: MessageId::parse("m1").ok(),
                retry: true
            })
        );
        assert!(parse_client_message(r#"{"type":"text","text":"hi","retry":"yes"}"#).is_err());
        assert_eq!(
            parse_client_message(r#"{"type":"speech_end"}"#),
            Ok(ClientMessage::SpeechEnd {
                chunks: None,
                utterance: None,
                silence: false
            })
        );
        assert_eq!(
            parse_client_message(r#"{"type":"speech_start","utterance":2}"#),
            Ok(ClientMessage::SpeechStart { utterance: Some(2) })
        );
        assert_eq!(
            parse_client_message(r#"{"type":"speech_start"}"#),
            Ok(ClientMessage::SpeechStart { utterance: None })
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
                .message
                .contains("not JSON")
        );
        assert!(
            parse_client_message("[]")
                .unwrap_err()
                .message
                .contains("\"type\"")
        );
        assert!(
            parse_client_message(r#"{"type":"dance"}"#)
                .unwrap_err()
                .message
                .contains("unknown variant")
        );
        assert!(
            parse_client_message(r#"{"type":"text"}"#)
                .unwrap_err()
                .message
                .contains("missing field")
        );
        assert!(
            parse_client_message(r#"{"type":"text","text":"  "}"#)
                .unwrap_err()
                .message
                .contains("empty")
        );
        let huge = json!({"type": "text", "text": "a".repeat(40_000)}).to_string();
        let refused = parse_client_message(&huge).unwrap_err();
        assert_eq!(refused.code, "frame_too_large");
        assert!(refused.message.contains("bytes"));
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
