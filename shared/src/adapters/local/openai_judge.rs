//! The judge locally: any OpenAI-compatible chat-completions endpoint (Ollama, a llama.cpp server, vLLM), set by
//! `PREPAI_JUDGE_URL` and `PREPAI_JUDGE_MODEL`. It asks for a JSON object (`response_format: json_object`, which
//! these servers support even where tool choice is not), shows its shape by example ([`judging::JSON_REPLY`]) and
//! reads the grade from the reply's text.

use std::time::Duration;

use async_trait::async_trait;
use serde_json::{Value, json};

use crate::ports::{Judge, JudgeError, JudgeRequest, JudgeVerdict};
use crate::tools::performance_evaluator::judging;

/// The most tokens a grade may take.
const MAX_REPLY_TOKENS: u32 = 600;

/// Grades answers through `POST {base}/v1/chat/completions`.
#[derive(Clone)]
pub struct OpenAiJudge {
    http: reqwest::Client,
    url: String,
    model: String,
    api_key: Option<String>,
}

impl OpenAiJudge {
    /// `base` is the server's address (`http://127.0.0.1:11434` for Ollama); `/v1/chat/completions` is added
    /// unless the address already ends with it.
    pub fn new(
        base: &str,
        model: impl Into<String>,
        api_key: Option<String>,
        timeout: Duration,
    ) -> Result<Self, JudgeError> {
        let url = chat_completions_url(base);
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .map_err(|e| JudgeError::Unavailable(e.to_string()))?;
        Ok(Self {
            http,
            url,
            model: model.into(),
            api_key,
        })
    }
}

#[async_trait]
impl Judge for OpenAiJudge {
    async fn grade(&self, request: &JudgeRequest) -> Result<JudgeVerdict, JudgeError> {
        let body = json!({
            "model": self.model,
            "temperature": 0,
            // A grade is a few hundred tokens; a small model that loses its way stops here, not at its context.
            "max_tokens": MAX_REPLY_TOKENS,
            "response_format": {"type": "json_object"},
            "messages": [
                {"role": "system", "content": format!("{} {}", judging::SYSTEM_PROMPT, judging::JSON_REPLY)},
                {"role": "user", "content": judging::user_message(request)},
            ],
        });
        let mut call = self.http.post(&self.url).json(&body);
        if let Some(key) = &self.api_key {
            call = call.bearer_auth(key);
        }
        let response = call.send().await.map_err(|e| {
            if e.is_timeout() {
                JudgeError::Timeout
            } else {
                JudgeError::Unavailable(e.to_string())
            }
        })?;
        if !response.status().is_success() {
            return Err(JudgeError::Unavailable(format!(
                "the endpoint answered {}",
                response.status()
            )));
        }
        let reply: Value = response.json().await.map_err(|e| {
            if e.is_timeout() {
                JudgeError::Timeout
            } else {
                JudgeError::Malformed(e.to_string())
            }
        })?;
        let message = &reply["choices"][0]["message"];
        if let Some(arguments) = message["tool_calls"][0]["function"]["arguments"].as_str() {
            return judging::parse_verdict_text(arguments);
        }
        match message["content"].as_str() {
            Some(text) => judging::parse_verdict_text(text),
            None => Err(JudgeError::Malformed(
                "the reply has no message content".into(),
            )),
        }
    }
}

/// The chat-completions address of an OpenAI-compatible server: `base` as given when it already ends with
/// `/chat/completions`, else with `/chat/completions` (after `/v1`) or `/v1/chat/completions` added — so the
/// address users copy from Ollama, llama.cpp or vLLM documentation works in any of its usual forms.
pub fn chat_completions_url(base: &str) -> String {
    let base = base.trim_end_matches('/');
    if base.ends_with("/chat/completions") {
        base.to_owned()
    } else if base.ends_with("/v1") {
        format!("{base}/chat/completions")
    } else {
        format!("{base}/v1/chat/completions")
    }
}
