//! Embedded adapters: what the local server and the tests run with, no AWS needed.

mod espeak;
mod fs_store;
pub mod interviewer;
mod llm_interviewer;
mod openai_judge;
mod push_registry;

pub use espeak::EspeakSpeech;
pub use fs_store::FsObjectStore;
pub use interviewer::LocalInterviewer;
pub use llm_interviewer::{BREAKER_FAILURES, LlmEndpoint, LlmInterviewer};
pub use openai_judge::{OpenAiJudge, chat_completions_url};
pub use push_registry::LocalPushRegistry;
