//! Entrances from AWS Lambda. Each function's `main` is one call into here.

pub mod config;
pub mod http_lambda;
pub mod tool_lambda;
pub mod ws_lambda;

/// Logs to stdout (CloudWatch) without colours or timestamps, which Lambda adds; `RUST_LOG` or
/// `AWS_LAMBDA_LOG_LEVEL` pick the level.
pub fn init_tracing() {
    let filter = std::env::var("RUST_LOG")
        .or_else(|_| std::env::var("AWS_LAMBDA_LOG_LEVEL"))
        .unwrap_or_else(|_| "info".into())
        .to_lowercase();
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_ansi(false)
        .without_time()
        .with_target(false)
        .try_init();
}
