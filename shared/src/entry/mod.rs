//! Entrances from AWS Lambda. Each function's `main` is one call into here, naming its handler and the ports it
//! wires ([`config::Wiring`]), so a binary links only what its handler uses.

pub mod config;
pub mod http_lambda;
pub mod telemetry;
pub mod tool_lambda;
pub mod ws_lambda;

/// Logs to stdout: JSON with a `level` field and the request id on Lambda, text elsewhere (see [`telemetry`]).
pub fn init_tracing() {
    telemetry::init_logging();
}
