//! What the sandbox's integration tests share: a sandbox whose workers are the `prepai-sandbox` binary, and a
//! shorthand for running one submission.

#![allow(dead_code)]

use std::time::Duration;

use prepai::tools::code_executor::{ExecutionRequest, ExecutionResult};
use prepai_sandbox::{Sandbox, SandboxConfig};
use serde_json::{Value, json};

/// The worker executable Cargo built for these tests.
pub const WORKER: &str = env!("CARGO_BIN_EXE_prepai-sandbox");

pub fn sandbox() -> Sandbox {
    Sandbox::new(SandboxConfig {
        worker_exe: Some(WORKER.into()),
        ..SandboxConfig::default()
    })
}

/// The direct input for one submission.
pub fn input(language: &str, code: &str, function: &str, tests: Value) -> Value {
    json!({"code": code, "language": language, "functionName": function, "testCases": tests})
}

/// Runs a submission that must be accepted as input.
pub async fn run(language: &str, code: &str, function: &str, tests: Value) -> ExecutionResult {
    run_with_timeout(language, code, function, tests, None).await
}

pub async fn run_with_timeout(
    language: &str,
    code: &str,
    function: &str,
    tests: Value,
    timeout: Option<Duration>,
) -> ExecutionResult {
    let mut direct = input(language, code, function, tests);
    if let Some(timeout) = timeout {
        direct["timeout"] = json!(timeout.as_secs_f64());
    }
    let request = ExecutionRequest::parse(&direct).expect("test input is valid");
    sandbox()
        .execute(request)
        .await
        .unwrap_or_else(|e| panic!("sandbox failed: {e}\n{code}"))
}
