//! Adapters that talk to AWS services.

mod apigw_push;
mod bedrock_agent;
mod error_text;
mod lambda_code_runner;
mod polly;
mod s3_store;
mod speech_setting;
mod textract;
mod transcribe;

pub use apigw_push::ApiGatewayPush;
pub use bedrock_agent::{BedrockInterviewer, configure_agent_client};
pub use lambda_code_runner::LambdaCodeRunner;
pub use polly::{
    MAX_POLLY_TEXT_CHARS, POLLY_ENGINE_ENV, POLLY_FORMAT_ENV, POLLY_VOICE_ENV, PollyConfig,
    PollyEngine, PollyFormat, PollySpeech, configure_polly_client,
};
pub use s3_store::{
    S3_ATTEMPT_TIMEOUT, S3_CONNECT_TIMEOUT, S3_INITIAL_BACKOFF, S3_MAX_ATTEMPTS, S3_MAX_BACKOFF,
    S3_OPERATION_TIMEOUT, S3ObjectStore, configure_client as configure_s3_client,
};
pub use speech_setting::InvalidSpeechSetting;
pub use textract::{TEXTRACT_ENV, TextractExtractor, textract_enabled};
pub use transcribe::{TRANSCRIBE_LANGUAGE_ENV, TranscribeConfig, TranscribeSpeech};
