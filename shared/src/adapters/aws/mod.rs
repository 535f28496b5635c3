//! Adapters that talk to AWS services. S3 is always here (every function keeps its state there); each other service
//! is behind the feature of the same name (see `shared/Cargo.toml`), so a function built without it cannot link it.

#[cfg(feature = "aws-apigw")]
mod apigw_push;
#[cfg(feature = "aws-bedrock")]
mod bedrock_agent;
#[cfg(feature = "aws-judge")]
mod bedrock_judge;
#[cfg(any(feature = "aws-bedrock", feature = "aws-speech"))]
mod error_text;
#[cfg(feature = "aws-lambda")]
mod lambda_code_runner;
#[cfg(feature = "aws-speech")]
mod polly;
mod s3_store;
#[cfg(feature = "aws-speech")]
mod speech_setting;
#[cfg(feature = "aws-textract")]
mod textract;
#[cfg(feature = "aws-speech")]
mod transcribe;

#[cfg(feature = "aws-apigw")]
pub use apigw_push::ApiGatewayPush;
#[cfg(feature = "aws-bedrock")]
pub use bedrock_agent::{BedrockInterviewer, PRESENT_CODING_PROBLEM, configure_agent_client};
#[cfg(feature = "aws-judge")]
pub use bedrock_judge::BedrockJudge;
#[cfg(feature = "aws-lambda")]
pub use lambda_code_runner::LambdaCodeRunner;
#[cfg(feature = "aws-speech")]
pub use polly::{
    MAX_POLLY_TEXT_CHARS, POLLY_ENGINE_ENV, POLLY_FORMAT_ENV, POLLY_VOICE_ENV, PollyConfig,
    PollyEngine, PollyFormat, PollySpeech, configure_polly_client,
};
pub use s3_store::{
    S3_ATTEMPT_TIMEOUT, S3_CONNECT_TIMEOUT, S3_INITIAL_BACKOFF, S3_MAX_ATTEMPTS, S3_MAX_BACKOFF,
    S3_OPERATION_TIMEOUT, S3ObjectStore, configure_client as configure_s3_client,
};
#[cfg(feature = "aws-speech")]
pub use speech_setting::InvalidSpeechSetting;
#[cfg(feature = "aws-textract")]
pub use textract::TextractExtractor;
#[cfg(feature = "aws-speech")]
pub use transcribe::{TRANSCRIBE_LANGUAGE_ENV, TranscribeConfig, TranscribeSpeech};

/// The variable that turns Textract on for resume uploads (`on`, `true`, `1` or `yes`).
pub const TEXTRACT_ENV: &str = "PREPAI_TEXTRACT";

/// Whether a `PREPAI_TEXTRACT` value turns Textract on.
pub fn textract_enabled(value: Option<&str>) -> bool {
    value.is_some_and(|v| {
        matches!(
            v.trim().to_ascii_lowercase().as_str(),
            "on" | "true" | "1" | "yes"
        )
    })
}
