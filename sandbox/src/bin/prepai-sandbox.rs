//! The sandbox as a command: the worker executable for tests and benches, and a way to run a submission by hand.
//!
//! `prepai-sandbox [FILE]` reads the code executor's direct input (`{code, language, testCases, functionName}`)
//! from FILE or stdin and prints the tool's output.

use std::io::Read;
use std::process::ExitCode;

use prepai::tools::code_executor::ExecutionRequest;
use prepai_sandbox::{Sandbox, SandboxConfig, worker};

fn main() -> ExitCode {
    worker::run_if_requested();
    let mut input = String::new();
    let read = match std::env::args_os().nth(1) {
        Some(path) => std::fs::read_to_string(&path).map(|text| input = text),
        None => std::io::stdin().read_to_string(&mut input).map(|_| ()),
    };
    if let Err(e) = read {
        eprintln!("prepai-sandbox: cannot read the input: {e}");
        return ExitCode::from(2);
    }
    let parsed = serde_json::from_str(&input)
        .map_err(|e| format!("the input is not JSON: {e}"))
        .and_then(|value| {
            ExecutionRequest::parse(&value).map_err(|e| format!("{}: {}", e.code, e.message))
        });
    let request = match parsed {
        Ok(request) => request,
        Err(message) => {
            eprintln!("prepai-sandbox: {message}");
            return ExitCode::from(2);
        }
    };
    match Sandbox::new(SandboxConfig::default()).execute_blocking(&request) {
        Ok(result) => {
            println!(
                "{}",
                serde_json::to_string_pretty(&result).unwrap_or_default()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("prepai-sandbox: {e}");
            ExitCode::FAILURE
        }
    }
}
