//! Wiring for the Lambda entrances: which adapter serves which port, read from the environment the template sets.
//! This is the only place in the library that builds AWS adapters; the local server builds its own.

use std::path::PathBuf;
use std::sync::Arc;

use crate::adapters::aws::{
    BedrockInterviewer, LambdaCodeRunner, PollyConfig, PollySpeech, S3ObjectStore, TEXTRACT_ENV,
    TextractExtractor, TranscribeConfig, TranscribeSpeech, configure_agent_client,
    configure_polly_client, configure_s3_client, textract_enabled,
};
use crate::adapters::local::{FsObjectStore, LocalInterviewer};
use crate::auth::{CognitoVerifier, LocalJwt};
use crate::context::AppContext;
use crate::ports::{ObjectStore, RejectAllTokens};
use crate::voice::VoiceSettings;

/// Where state lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorageConfig {
    /// An S3 bucket; `endpoint` points the client at an S3-compatible server instead of AWS.
    S3 {
        bucket: String,
        endpoint: Option<String>,
    },
    /// A local directory.
    Filesystem { dir: PathBuf },
}

/// Configuration read from the environment (see the README's table).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub storage: StorageConfig,
    pub interviewer: InterviewerConfig,
    pub tokens: TokenConfig,
    /// The code-executor function to invoke for code runs (`PREPAI_CODE_EXECUTOR_FUNCTION`), on AWS.
    pub code_executor_function: Option<String>,
    /// Whether scanned resumes go to Textract (`PREPAI_TEXTRACT=on`).
    pub textract: bool,
    /// Turn-taking and recording settings.
    pub voice: VoiceSettings,
    /// Speech services (`PREPAI_SPEECH=aws`: Transcribe streaming and Polly).
    pub speech: SpeechConfig,
}

/// Which speech services the functions use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SpeechConfig {
    /// None: voice input is refused with a clear message (the local server brings its own).
    Off,
    Aws {
        transcribe: TranscribeConfig,
        polly: PollyConfig,
    },
    /// `PREPAI_SPEECH=aws` with a setting that does not parse: voice stays off and the reason is logged, rather
    /// than every message failing.
    Invalid(String),
}

impl SpeechConfig {
    fn from_lookup(var: &impl Fn(&str) -> Option<String>) -> Self {
        match var("PREPAI_SPEECH")
            .map(|v| v.trim().to_ascii_lowercase())
            .as_deref()
        {
            Some("aws") => match (
                TranscribeConfig::from_lookup(var),
                PollyConfig::from_lookup(var),
            ) {
                (Ok(transcribe), Ok(polly)) => Self::Aws { transcribe, polly },
                (Err(e), _) | (_, Err(e)) => Self::Invalid(e.to_string()),
            },
            Some("off") | None => Self::Off,
            Some(other) => {
                Self::Invalid(format!("PREPAI_SPEECH must be aws or off; got {other:?}"))
            }
        }
    }
}

/// Who interviews.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InterviewerConfig {
    /// A Bedrock Agent alias.
    Bedrock { agent_id: String, alias_id: String },
    /// The local interviewer over the embedded question bank.
    Local,
}

/// How WebSocket tokens are verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenConfig {
    /// A Cognito user pool and its app client.
    Cognito {
        region: String,
        user_pool_id: String,
        client_id: String,
    },
    /// HS256 with a shared secret (the local server's tokens).
    LocalSecret(String),
    /// Nothing configured: every token is refused.
    None,
}

/// The default local data directory.
pub const DEFAULT_DATA_DIR: &str = ".prepai-data";

impl Config {
    /// Whether any configured adapter talks to AWS (and so needs the SDK's configuration).
    pub fn needs_aws(&self) -> bool {
        matches!(self.storage, StorageConfig::S3 { .. })
            || matches!(self.interviewer, InterviewerConfig::Bedrock { .. })
            || self.code_executor_function.is_some()
            || self.textract
            || matches!(self.speech, SpeechConfig::Aws { .. })
    }

    /// `PREPAI_BUCKET` selects S3 (with `PREPAI_S3_ENDPOINT` for a non-AWS endpoint); otherwise the filesystem
    /// under `PREPAI_DATA_DIR` (default `./.prepai-data`).
    pub fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    /// [`Config::from_env`] over any variable source, for tests.
    pub fn from_lookup(var: impl Fn(&str) -> Option<String>) -> Self {
        let storage = match var("PREPAI_BUCKET") {
            Some(bucket) => StorageConfig::S3 {
                bucket,
                endpoint: var("PREPAI_S3_ENDPOINT"),
            },
            None => StorageConfig::Filesystem {
                dir: var("PREPAI_DATA_DIR")
                    .map_or_else(|| PathBuf::from(DEFAULT_DATA_DIR), PathBuf::from),
            },
        };
        let interviewer = match (var("PREPAI_AGENT_ID"), var("PREPAI_AGENT_ALIAS_ID")) {
            (Some(agent_id), Some(alias_id)) => InterviewerConfig::Bedrock { agent_id, alias_id },
            _ => InterviewerConfig::Local,
        };
        let tokens = match (
            var("PREPAI_COGNITO_USER_POOL_ID"),
            var("PREPAI_COGNITO_CLIENT_ID"),
        ) {
            (Some(user_pool_id), Some(client_id)) => TokenConfig::Cognito {
                region: var("AWS_REGION").unwrap_or_else(|| "us-east-1".into()),
                user_pool_id,
                client_id,
            },
            _ => var("PREPAI_JWT_SECRET").map_or(TokenConfig::None, TokenConfig::LocalSecret),
        };
        Self {
            storage,
            interviewer,
            tokens,
            code_executor_function: var("PREPAI_CODE_EXECUTOR_FUNCTION"),
            textract: textract_enabled(var(TEXTRACT_ENV).as_deref()),
            voice: VoiceSettings::from_lookup(&var),
            speech: SpeechConfig::from_lookup(&var),
        }
    }
}

/// Builds the adapters `config` names. AWS clients read credentials and region the SDK's usual way; the SDK
/// configuration is loaded only when some adapter needs it.
pub async fn from_config(config: &Config) -> AppContext {
    let sdk = if config.needs_aws() {
        Some(aws_config::load_from_env().await)
    } else {
        None
    };
    from_config_with_sdk(config, sdk.as_ref())
}

/// [`from_config`] with an SDK configuration the caller already loaded (the WebSocket functions
/// need one for PostToConnection anyway), so it is loaded once per cold start.
pub fn from_config_with_sdk(config: &Config, sdk: Option<&aws_config::SdkConfig>) -> AppContext {
    let objects: Arc<dyn ObjectStore> = match (&config.storage, sdk) {
        (StorageConfig::S3 { bucket, endpoint }, Some(sdk)) => {
            // Retries and timeouts set explicitly (see `configure_s3_client`), not the SDK's defaults.
            let mut s3 = configure_s3_client(aws_sdk_s3::config::Builder::from(sdk));
            if let Some(endpoint) = endpoint {
                s3 = s3.endpoint_url(endpoint).force_path_style(true);
            }
            Arc::new(S3ObjectStore::new(
                aws_sdk_s3::Client::from_conf(s3.build()),
                bucket.clone(),
            ))
        }
        (StorageConfig::Filesystem { dir }, _) => Arc::new(FsObjectStore::new(dir.clone())),
        (StorageConfig::S3 { bucket, .. }, None) => {
            // Only a caller of `from_config_with_sdk` that passed no SDK configuration gets here.
            tracing::error!(%bucket, "S3 storage configured without an AWS configuration; using the local directory");
            Arc::new(FsObjectStore::new(DEFAULT_DATA_DIR))
        }
    };
    let mut ctx = AppContext::new(objects);
    ctx.speech.settings = config.voice;
    match (&config.speech, sdk) {
        (SpeechConfig::Aws { transcribe, polly }, Some(sdk)) => {
            ctx.speech.stt = Some(Arc::new(TranscribeSpeech::from_config(
                aws_sdk_transcribestreaming::Client::new(sdk),
                transcribe,
            )));
            ctx.speech.tts = Some(Arc::new(PollySpeech::new(
                aws_sdk_polly::Client::from_conf(
                    configure_polly_client(aws_sdk_polly::config::Builder::from(sdk)).build(),
                ),
                polly.clone(),
            )));
        }
        (SpeechConfig::Invalid(problem), _) => {
            tracing::error!(%problem, "voice is off: invalid speech settings");
            ctx.speech.unavailable_reason =
                Some("voice is not available right now; type your answers".into());
        }
        _ => {}
    }
    ctx.interviewer = match (&config.interviewer, sdk) {
        (InterviewerConfig::Bedrock { agent_id, alias_id }, Some(sdk)) => {
            let client = aws_sdk_bedrockagentruntime::Client::from_conf(
                configure_agent_client(aws_sdk_bedrockagentruntime::config::Builder::from(sdk))
                    .build(),
            );
            Arc::new(BedrockInterviewer::new(client, agent_id, alias_id))
        }
        _ => Arc::new(LocalInterviewer::embedded()),
    };
    if let (true, Some(sdk)) = (config.textract, sdk) {
        // The asynchronous (multi-page) API reads the stored upload from S3; without a bucket only one-page
        // scans can be read.
        let bucket = match &config.storage {
            StorageConfig::S3 { bucket, .. } => Some(bucket.clone()),
            StorageConfig::Filesystem { .. } => None,
        };
        ctx.text_extractor = Arc::new(TextractExtractor::from_sdk_config(
            sdk,
            bucket,
            crate::extract::LocalExtractor::default(),
        ));
    }
    if let (Some(function), Some(sdk)) = (&config.code_executor_function, sdk) {
        let client = aws_sdk_lambda::Client::new(sdk);
        ctx.code_runner = Arc::new(LambdaCodeRunner::new(client, function));
    }
    ctx.verifier = match &config.tokens {
        TokenConfig::Cognito {
            region,
            user_pool_id,
            client_id,
        } => Arc::new(CognitoVerifier::new(region, user_pool_id, client_id)),
        TokenConfig::LocalSecret(secret) => match LocalJwt::new(secret.as_bytes()) {
            Ok(jwt) => Arc::new(jwt),
            Err(e) => {
                tracing::error!(error = %e, "PREPAI_JWT_SECRET is unusable; refusing all tokens");
                Arc::new(RejectAllTokens)
            }
        },
        TokenConfig::None => Arc::new(RejectAllTokens),
    };
    ctx
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn bucket_selects_s3_else_filesystem() {
        let env = HashMap::from([
            ("PREPAI_BUCKET", "b"),
            ("PREPAI_S3_ENDPOINT", "http://127.0.0.1:9000"),
        ]);
        let config = Config::from_lookup(|k| env.get(k).map(|v| v.to_string()));
        assert_eq!(
            config.storage,
            StorageConfig::S3 {
                bucket: "b".into(),
                endpoint: Some("http://127.0.0.1:9000".into())
            }
        );
        let config = Config::from_lookup(|_| None);
        assert_eq!(
            config.storage,
            StorageConfig::Filesystem {
                dir: PathBuf::from(".prepai-data")
            }
        );
        assert_eq!(config.interviewer, InterviewerConfig::Local);
        assert_eq!(config.tokens, TokenConfig::None);
    }

    #[test]
    fn agent_and_user_pool_come_from_the_environment() {
        let env = HashMap::from([
            ("PREPAI_AGENT_ID", "AG"),
            ("PREPAI_AGENT_ALIAS_ID", "AL"),
            ("PREPAI_COGNITO_USER_POOL_ID", "eu-west-1_X"),
            ("PREPAI_COGNITO_CLIENT_ID", "client"),
            ("AWS_REGION", "eu-west-1"),
        ]);
        let config = Config::from_lookup(|k| env.get(k).map(|v| v.to_string()));
        assert_eq!(
            config.interviewer,
            InterviewerConfig::Bedrock {
                agent_id: "AG".into(),
                alias_id: "AL".into()
            }
        );
        assert_eq!(
            config.tokens,
            TokenConfig::Cognito {
                region: "eu-west-1".into(),
                user_pool_id: "eu-west-1_X".into(),
                client_id: "client".into()
            }
        );
    }
}
