//! Wiring for the Lambda entrances: which adapter serves which port, read from the environment the template sets.
//! This is the only place in the library that builds AWS adapters; the local server builds its own.
//!
//! Each function wires only the ports its handler uses ([`Wiring`]): a function's `main` names them, so the
//! adapters — and the SDKs behind them — that it does not name are never linked into its binary.

use std::path::PathBuf;
use std::sync::Arc;

#[cfg(feature = "aws-speech")]
use crate::adapters::aws::{PollyConfig, PollySpeech, TranscribeConfig, TranscribeSpeech};
use crate::adapters::aws::{S3ObjectStore, TEXTRACT_ENV, configure_s3_client, textract_enabled};
use crate::adapters::local::{
    FsObjectStore, LlmEndpoint, LlmInterviewer, LocalInterviewer, OpenAiJudge,
};
use crate::auth::{CognitoVerifier, LocalJwt};
use crate::context::AppContext;
use crate::domain::QuotaLimits;
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
    /// The judge that grades answers at the end, if any.
    pub judge: JudgeConfig,
    /// The model that phrases the local interviewer's replies, if any.
    pub llm: LlmConfig,
    /// Per-user daily limits (`PREPAI_QUOTA_*`; the deployed defaults when unset).
    pub quotas: QuotaLimits,
}

/// Which language model grades answers (see [`crate::ports::Judge`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JudgeConfig {
    /// None: the deterministic rubric alone.
    Off,
    /// An OpenAI-compatible endpoint (`PREPAI_JUDGE_URL` and `PREPAI_JUDGE_MODEL`, optional `PREPAI_JUDGE_API_KEY`):
    /// Ollama, a llama.cpp server, vLLM.
    OpenAi {
        url: String,
        model: String,
        api_key: Option<String>,
    },
    /// A Bedrock model or inference profile through Converse (`PREPAI_JUDGE_MODEL` without a URL).
    Bedrock { model: String },
}

/// How long one answer's grading may take before the rubric's score stands.
pub const JUDGE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

impl JudgeConfig {
    fn from_lookup(var: &impl Fn(&str) -> Option<String>) -> Self {
        match (var("PREPAI_JUDGE_URL"), var("PREPAI_JUDGE_MODEL")) {
            (Some(url), Some(model)) => Self::OpenAi {
                url,
                model,
                api_key: var("PREPAI_JUDGE_API_KEY"),
            },
            (None, Some(model)) => Self::Bedrock { model },
            _ => Self::Off,
        }
    }
}

/// Which language model phrases the local interviewer's replies (see [`LlmInterviewer`]); the bank interviewer
/// still decides what each turn asks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LlmConfig {
    /// None: the bank interviewer speaks alone.
    Off,
    /// An OpenAI-compatible endpoint (`PREPAI_LLM_URL` and `PREPAI_LLM_MODEL`, optional `PREPAI_LLM_API_KEY`).
    OpenAi {
        url: String,
        model: String,
        api_key: Option<String>,
    },
}

impl LlmConfig {
    fn from_lookup(var: &impl Fn(&str) -> Option<String>) -> Self {
        match (var("PREPAI_LLM_URL"), var("PREPAI_LLM_MODEL")) {
            (Some(url), Some(model)) => Self::OpenAi {
                url,
                model,
                api_key: var("PREPAI_LLM_API_KEY"),
            },
            _ => Self::Off,
        }
    }
}

/// Which speech services the functions use (`PREPAI_SPEECH`). The services' own settings (voice, engine,
/// language) are read only by [`Wiring::speech`], so a function without voice never parses them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SpeechConfig {
    /// None: voice input is refused with a clear message (the local server brings its own).
    Off,
    /// Transcribe streaming and Polly.
    Aws,
    /// A value we do not know: voice stays off and the reason is logged, rather than every message failing.
    Invalid(String),
}

impl SpeechConfig {
    /// Whether Transcribe and Polly are configured.
    pub fn is_aws(&self) -> bool {
        *self == Self::Aws
    }

    fn from_lookup(var: &impl Fn(&str) -> Option<String>) -> Self {
        match var("PREPAI_SPEECH")
            .map(|v| v.trim().to_ascii_lowercase())
            .as_deref()
        {
            Some("aws") => Self::Aws,
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
            || self.speech.is_aws()
            || matches!(self.judge, JudgeConfig::Bedrock { .. })
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
            judge: JudgeConfig::from_lookup(&var),
            llm: LlmConfig::from_lookup(&var),
            quotas: QuotaLimits::from_lookup(&var, QuotaLimits::DEFAULTS),
        }
    }
}

/// Builds every adapter `config` names: what the local server uses, and the full set `ws-default` runs with.
pub async fn from_config(config: &Config) -> AppContext {
    let wiring = Wiring::new(config.clone()).await;
    #[cfg(feature = "aws-textract")]
    let wiring = wiring.textract();
    #[cfg(feature = "aws-lambda")]
    let wiring = wiring.code_runner();
    #[cfg(feature = "aws-speech")]
    let wiring = wiring.speech();
    wiring.interviewer().judge().verifier().context()
}

/// One function's adapters: storage always, then whichever other ports its `main` asks for. The SDK configuration
/// is loaded once, only when some configured adapter talks to AWS.
pub struct Wiring {
    config: Config,
    sdk: Option<aws_config::SdkConfig>,
    ctx: AppContext,
}

impl Wiring {
    /// Storage from `config`: the S3 bucket, or the local directory.
    pub async fn new(config: Config) -> Self {
        let sdk = if config.needs_aws() {
            Some(aws_config::load_from_env().await)
        } else {
            None
        };
        Self::with_sdk(config, sdk)
    }

    /// Storage only, from the environment: what most REST routes and `$disconnect` need.
    pub async fn storage() -> Self {
        Self::new(Config::from_env()).await
    }

    /// [`Wiring::new`] with an SDK configuration already loaded (or none: then every AWS adapter is left out).
    pub fn with_sdk(config: Config, sdk: Option<aws_config::SdkConfig>) -> Self {
        let objects: Arc<dyn ObjectStore> = match (&config.storage, &sdk) {
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
                tracing::error!(%bucket, "S3 storage configured without an AWS configuration; using the local directory");
                Arc::new(FsObjectStore::new(DEFAULT_DATA_DIR))
            }
        };
        let mut ctx = AppContext::new(objects).with_quota_limits(config.quotas);
        ctx.speech.settings = config.voice;
        Self { config, sdk, ctx }
    }

    /// The SDK configuration, when one was loaded.
    pub fn sdk(&self) -> Option<&aws_config::SdkConfig> {
        self.sdk.as_ref()
    }

    /// Textract in front of the local extractor when `PREPAI_TEXTRACT` is on (`upload-cv`).
    #[cfg(feature = "aws-textract")]
    pub fn textract(mut self) -> Self {
        if let (true, Some(sdk)) = (self.config.textract, &self.sdk) {
            // The asynchronous (multi-page) API reads the stored upload from S3; without a bucket only one-page
            // scans can be read.
            let bucket = match &self.config.storage {
                StorageConfig::S3 { bucket, .. } => Some(bucket.clone()),
                StorageConfig::Filesystem { .. } => None,
            };
            self.ctx = self.ctx.with_text_extractor(Arc::new(
                crate::adapters::aws::TextractExtractor::from_sdk_config(
                    sdk,
                    bucket,
                    crate::extract::LocalExtractor::default(),
                ),
            ));
        }
        self
    }

    /// The code-executor function as the code runner (`execute-code`, `ws-default`).
    #[cfg(feature = "aws-lambda")]
    pub fn code_runner(mut self) -> Self {
        if let (Some(function), Some(sdk)) = (&self.config.code_executor_function, &self.sdk) {
            let client = aws_sdk_lambda::Client::new(sdk);
            self.ctx =
                self.ctx
                    .with_code_runner(Arc::new(crate::adapters::aws::LambdaCodeRunner::new(
                        client, function,
                    )));
        }
        self
    }

    /// Transcribe and Polly when `PREPAI_SPEECH=aws` (`ws-default`), with their settings from the environment; a
    /// setting that does not parse leaves voice off with the reason logged.
    #[cfg(feature = "aws-speech")]
    pub fn speech(self) -> Self {
        self.speech_from(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    /// [`Wiring::speech`] with the settings from `var`.
    #[cfg(feature = "aws-speech")]
    pub fn speech_from(mut self, var: impl Fn(&str) -> Option<String>) -> Self {
        let problem = match (&self.config.speech, &self.sdk) {
            (SpeechConfig::Aws, Some(sdk)) => {
                match (
                    TranscribeConfig::from_lookup(&var),
                    PollyConfig::from_lookup(&var),
                ) {
                    (Ok(transcribe), Ok(polly)) => {
                        self.ctx.speech.stt = Some(Arc::new(TranscribeSpeech::from_config(
                            aws_sdk_transcribestreaming::Client::new(sdk),
                            &transcribe,
                        )));
                        self.ctx.speech.tts = Some(Arc::new(PollySpeech::new(
                            aws_sdk_polly::Client::from_conf(
                                crate::adapters::aws::configure_polly_client(
                                    aws_sdk_polly::config::Builder::from(sdk),
                                )
                                .build(),
                            ),
                            polly,
                        )));
                        None
                    }
                    (Err(e), _) | (_, Err(e)) => Some(e.to_string()),
                }
            }
            (SpeechConfig::Invalid(problem), _) => Some(problem.clone()),
            _ => None,
        };
        if let Some(problem) = problem {
            tracing::error!(%problem, "voice is off: invalid speech settings");
            self.ctx.speech.unavailable_reason =
                Some("voice is not available right now; type your answers".into());
        }
        self
    }

    /// The Bedrock Agent when one is configured, else the local interviewer (`ws-default`), phrased by a model when
    /// `PREPAI_LLM_URL` and `PREPAI_LLM_MODEL` are set.
    pub fn interviewer(mut self) -> Self {
        #[cfg(feature = "aws-bedrock")]
        if let (InterviewerConfig::Bedrock { agent_id, alias_id }, Some(sdk)) =
            (&self.config.interviewer, &self.sdk)
        {
            let client = aws_sdk_bedrockagentruntime::Client::from_conf(
                crate::adapters::aws::configure_agent_client(
                    aws_sdk_bedrockagentruntime::config::Builder::from(sdk),
                )
                .build(),
            );
            self.ctx =
                self.ctx
                    .with_interviewer(Arc::new(crate::adapters::aws::BedrockInterviewer::new(
                        client,
                        agent_id,
                        alias_id,
                        crate::knowledge::QuestionBank::embedded(),
                    )));
            return self;
        }
        if let LlmConfig::OpenAi {
            url,
            model,
            api_key,
        } = &self.config.llm
        {
            match LlmInterviewer::embedded(&LlmEndpoint::new(url, model, api_key.clone())) {
                Ok(interviewer) => {
                    self.ctx = self.ctx.with_interviewer(Arc::new(interviewer));
                    return self;
                }
                Err(e) => {
                    tracing::error!(error = %e, "the interviewer model is off: its endpoint is unusable")
                }
            }
        }
        self.ctx = self
            .ctx
            .with_interviewer(Arc::new(LocalInterviewer::embedded()));
        self
    }

    /// The judge that grades answers at the end (`end-interview`, `ws-default`): an OpenAI-compatible endpoint, or a
    /// Bedrock model through Converse; none leaves the rubric to score alone. An unusable endpoint is logged and
    /// left out rather than failing every end.
    pub fn judge(mut self) -> Self {
        match &self.config.judge {
            JudgeConfig::OpenAi {
                url,
                model,
                api_key,
            } => match OpenAiJudge::new(url, model.clone(), api_key.clone(), JUDGE_TIMEOUT) {
                Ok(judge) => self.ctx = self.ctx.with_judge(Arc::new(judge)),
                Err(e) => tracing::error!(error = %e, "the judge is off: its endpoint is unusable"),
            },
            #[cfg(feature = "aws-judge")]
            JudgeConfig::Bedrock { model } => {
                if let Some(sdk) = &self.sdk {
                    let client = aws_sdk_bedrockruntime::Client::new(sdk);
                    self.ctx =
                        self.ctx
                            .with_judge(Arc::new(crate::adapters::aws::BedrockJudge::new(
                                client,
                                model.clone(),
                                JUDGE_TIMEOUT,
                            )));
                }
            }
            #[cfg(not(feature = "aws-judge"))]
            JudgeConfig::Bedrock { .. } => {
                tracing::error!(
                    "the judge is off: this function is built without Bedrock Converse"
                );
            }
            JudgeConfig::Off => {}
        }
        self
    }

    /// The socket's token verifier: the Cognito user pool, or the local secret (`ws-connect`).
    pub fn verifier(mut self) -> Self {
        let verifier: Arc<dyn crate::ports::TokenVerifier> = match &self.config.tokens {
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
        self.ctx = self.ctx.with_verifier(verifier);
        self
    }

    /// The context, ready to serve.
    pub fn context(self) -> AppContext {
        self.ctx
    }

    /// The context and the SDK configuration (the socket's `$default` also builds its pushers from it).
    pub fn into_parts(self) -> (AppContext, Option<aws_config::SdkConfig>) {
        (self.ctx, self.sdk)
    }
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
        assert_eq!(config.llm, LlmConfig::Off);
    }

    #[test]
    fn the_interviewer_model_needs_an_address_and_a_model() {
        let env = HashMap::from([
            ("PREPAI_LLM_URL", "http://127.0.0.1:11434"),
            ("PREPAI_LLM_MODEL", "qwen2.5:7b"),
        ]);
        let config = Config::from_lookup(|k| env.get(k).map(|v| v.to_string()));
        assert_eq!(
            config.llm,
            LlmConfig::OpenAi {
                url: "http://127.0.0.1:11434".into(),
                model: "qwen2.5:7b".into(),
                api_key: None
            }
        );
        let only_url = HashMap::from([("PREPAI_LLM_URL", "http://127.0.0.1:11434")]);
        let config = Config::from_lookup(|k| only_url.get(k).map(|v| v.to_string()));
        assert_eq!(config.llm, LlmConfig::Off);
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
