//! The adapters chosen at start-up, built once per cold start (or once per local server) and shared by every
//! request.

use std::path::PathBuf;
use std::sync::Arc;

use crate::adapters::aws::S3ObjectStore;
use crate::adapters::local::FsObjectStore;
use crate::ports::{Clock, CodeRunner, NoCodeRunner, ObjectStore, SystemClock};
use crate::store::SessionStore;

/// Everything a handler needs from the outside world.
#[derive(Clone)]
pub struct AppContext {
    pub sessions: SessionStore,
    pub clock: Arc<dyn Clock>,
    /// Runs candidate code (the code-executor Lambda on AWS, a sandboxed child process locally).
    pub code_runner: Arc<dyn CodeRunner>,
}

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
}

/// The default local data directory.
pub const DEFAULT_DATA_DIR: &str = ".prepai-data";

impl Config {
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
        Self { storage }
    }
}

impl AppContext {
    /// A context over any object store, with the system clock.
    pub fn new(objects: Arc<dyn ObjectStore>) -> Self {
        Self {
            sessions: SessionStore::new(objects),
            clock: Arc::new(SystemClock),
            code_runner: Arc::new(NoCodeRunner),
        }
    }

    /// Replaces the code runner (the local server and the code route's Lambda set theirs).
    pub fn with_code_runner(mut self, runner: Arc<dyn CodeRunner>) -> Self {
        self.code_runner = runner;
        self
    }

    /// Builds the adapters `config` names. AWS clients read credentials and region the SDK's usual way.
    pub async fn from_config(config: &Config) -> Self {
        let objects: Arc<dyn ObjectStore> = match &config.storage {
            StorageConfig::S3 { bucket, endpoint } => {
                let sdk = aws_config::load_from_env().await;
                let mut s3 = aws_sdk_s3::config::Builder::from(&sdk);
                if let Some(endpoint) = endpoint {
                    s3 = s3.endpoint_url(endpoint).force_path_style(true);
                }
                Arc::new(S3ObjectStore::new(
                    aws_sdk_s3::Client::from_conf(s3.build()),
                    bucket.clone(),
                ))
            }
            StorageConfig::Filesystem { dir } => Arc::new(FsObjectStore::new(dir.clone())),
        };
        Self::new(objects)
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
    }
}
