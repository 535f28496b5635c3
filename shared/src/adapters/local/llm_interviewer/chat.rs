//! A streamed chat completion from an OpenAI-compatible endpoint (Ollama, a llama.cpp server, vLLM): `POST` with
//! `"stream": true`, read as server-sent events (`data: {…choices[0].delta.content…}` up to `data: [DONE]`).

use std::time::Duration;

use serde_json::{Value, json};

/// Why a completion could not be read to its end.
#[derive(Debug, thiserror::Error)]
pub enum ChatError {
    /// The request did not go through, or the connection broke while reading.
    #[error("the endpoint is unreachable: {0}")]
    Transport(String),
    /// The endpoint refused the request.
    #[error("the endpoint answered {0}")]
    Status(reqwest::StatusCode),
    /// The event stream ended before `[DONE]` or a finish reason.
    #[error("the reply stream ended midway")]
    Died,
    /// The endpoint sent something that is not a chat completion, or an error event.
    #[error("the endpoint sent {0}")]
    Malformed(String),
}

/// Where completions are asked for.
#[derive(Clone)]
pub struct ChatEndpoint {
    http: reqwest::Client,
    url: String,
    model: String,
    api_key: Option<String>,
}

/// Longest reply asked for: a lead-in is a sentence or two.
const MAX_TOKENS: u32 = 120;

impl ChatEndpoint {
    /// `base` is the server's address (`http://127.0.0.1:11434` for Ollama); `/v1/chat/completions` is added
    /// unless the address already ends with it (as the judge's client does). Only connecting is bounded here; the
    /// caller bounds the whole reply.
    pub fn new(
        base: &str,
        model: impl Into<String>,
        api_key: Option<String>,
        connect_timeout: Duration,
    ) -> Result<Self, ChatError> {
        let url = crate::adapters::local::openai_judge::chat_completions_url(base);
        let http = reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .build()
            .map_err(|e| ChatError::Transport(e.to_string()))?;
        Ok(Self {
            http,
            url,
            model: model.into(),
            api_key,
        })
    }

    /// Sends `messages` and returns the reply as it streams.
    pub async fn open(&self, messages: Vec<Value>) -> Result<ChatStream, ChatError> {
        let body = json!({
            "model": self.model,
            "stream": true,
            "temperature": 0.6,
            "max_tokens": MAX_TOKENS,
            "messages": messages,
        });
        let mut call = self.http.post(&self.url).json(&body);
        if let Some(key) = &self.api_key {
            call = call.bearer_auth(key);
        }
        let response = call
            .send()
            .await
            .map_err(|e| ChatError::Transport(e.to_string()))?;
        if !response.status().is_success() {
            return Err(ChatError::Status(response.status()));
        }
        let whole = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        Ok(ChatStream {
            response,
            buffer: Vec::new(),
            whole,
            finished: false,
        })
    }
}

/// A reply being read, one piece of text at a time.
pub struct ChatStream {
    response: reqwest::Response,
    buffer: Vec<u8>,
    /// The server ignored `stream` and answers one JSON completion.
    whole: bool,
    /// A choice reported its finish reason: the stream may end without `[DONE]`.
    finished: bool,
}

impl ChatStream {
    /// The next piece of reply text; `None` once the reply is complete.
    pub async fn next_text(&mut self) -> Result<Option<String>, ChatError> {
        if self.whole {
            return self.whole_reply().await;
        }
        loop {
            if let Some(end) = self.buffer.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = self.buffer.drain(..=end).collect();
                let line = String::from_utf8_lossy(&line);
                match self.event(line.trim())? {
                    Event::Text(text) => return Ok(Some(text)),
                    Event::Done => return Ok(None),
                    Event::Nothing => continue,
                }
            }
            match self.response.chunk().await {
                Ok(Some(bytes)) => self.buffer.extend_from_slice(&bytes),
                Ok(None) => {
                    if !self.buffer.is_empty() {
                        // A last event without its newline.
                        self.buffer.push(b'\n');
                        continue;
                    }
                    return if self.finished {
                        Ok(None)
                    } else {
                        Err(ChatError::Died)
                    };
                }
                Err(e) if self.finished => {
                    tracing::debug!(error = %e, "the stream broke after its finish reason");
                    return Ok(None);
                }
                Err(e) => return Err(ChatError::Transport(e.to_string())),
            }
        }
    }

    /// Reads one server-sent-event line.
    fn event(&mut self, line: &str) -> Result<Event, ChatError> {
        let Some(data) = line.strip_prefix("data:") else {
            // Blank lines, comments (`:`), `event:` and `id:` fields.
            return Ok(Event::Nothing);
        };
        let data = data.trim();
        if data == "[DONE]" {
            return Ok(Event::Done);
        }
        let value: Value =
            serde_json::from_str(data).map_err(|e| ChatError::Malformed(e.to_string()))?;
        if let Some(error) = value.get("error") {
            return Err(ChatError::Malformed(format!("an error event: {error}")));
        }
        let choice = &value["choices"][0];
        if !choice["finish_reason"].is_null() {
            self.finished = true;
        }
        match choice["delta"]["content"].as_str() {
            Some(text) if !text.is_empty() => Ok(Event::Text(text.to_owned())),
            _ => Ok(Event::Nothing),
        }
    }

    /// A server that does not stream: its one completion's text, then the end.
    async fn whole_reply(&mut self) -> Result<Option<String>, ChatError> {
        if self.finished {
            return Ok(None);
        }
        self.finished = true;
        let mut body = Vec::new();
        while let Some(bytes) = self
            .response
            .chunk()
            .await
            .map_err(|e| ChatError::Transport(e.to_string()))?
        {
            body.extend_from_slice(&bytes);
        }
        let value: Value =
            serde_json::from_slice(&body).map_err(|e| ChatError::Malformed(e.to_string()))?;
        match value["choices"][0]["message"]["content"].as_str() {
            Some(text) => Ok(Some(text.to_owned())),
            None => Err(ChatError::Malformed(
                "a reply without message content".into(),
            )),
        }
    }
}

enum Event {
    Text(String),
    Done,
    Nothing,
}
