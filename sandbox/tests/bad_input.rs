//! Requests refused before anything runs: each with its error code, through the tool (what the Lambda serves)
//! and through the local code runner (what the routes call).

mod common;

use prepai::ports::{CodeRunner, CodeRunnerError};
use prepai::tools::code_executor::ExecutionRequest;
use prepai_sandbox::LocalCodeRunner;
use serde_json::{Value, json};

fn bad_inputs() -> Vec<(&'static str, Value, &'static str)> {
    let ok_tests = json!([{"input": 1, "expected": 1}]);
    vec![
        (
            "unknown language",
            common::input("cobol", "def f(x): return x", "f", ok_tests.clone()),
            "unsupported_language",
        ),
        (
            "empty code",
            common::input("python", "  \n\t", "f", ok_tests.clone()),
            "empty_code",
        ),
        (
            "no function name",
            json!({"code": "def f(x): return x", "language": "python", "testCases": ok_tests.clone()}),
            "missing_function",
        ),
        (
            "python function not defined",
            common::input("python", "def g(x): return x", "f", ok_tests.clone()),
            "missing_function",
        ),
        (
            "javascript function not defined",
            common::input(
                "javascript",
                "function outer() { function f(x) { return x; } }",
                "f",
                ok_tests.clone(),
            ),
            "missing_function",
        ),
        (
            "51 test cases",
            common::input(
                "python",
                "def f(x): return x",
                "f",
                json!(vec![json!({"input": 1, "expected": 1}); 51]),
            ),
            "too_many_tests",
        ),
        (
            "code over 64 KiB",
            common::input(
                "python",
                &format!("def f(x): return x\n#{}", "x".repeat(64 * 1024)),
                "f",
                ok_tests.clone(),
            ),
            "code_too_large",
        ),
    ]
}

#[tokio::test]
async fn the_tool_refuses_bad_input_with_a_clear_code() {
    let sandbox = common::sandbox();
    for (name, input, code) in bad_inputs() {
        let error = sandbox.run_tool(input).await.expect_err(name);
        assert_eq!(error.code, code, "{name}: {}", error.message);
        assert!(!error.message.is_empty());
    }
}

#[tokio::test]
async fn the_local_runner_rejects_bad_input() {
    let runner = LocalCodeRunner::new(common::sandbox());
    for (name, input, _) in bad_inputs() {
        // Input that does not even parse never reaches a runner: the typed request cannot be made.
        let Ok(request) = ExecutionRequest::parse(&input) else {
            continue;
        };
        match runner.run(&request).await {
            Err(CodeRunnerError::Rejected(message)) => assert!(!message.is_empty(), "{name}"),
            other => panic!("{name}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_missing_worker_executable_is_unavailable_not_a_verdict() {
    let runner = LocalCodeRunner::new(prepai_sandbox::Sandbox::with_worker_exe(
        "/nonexistent/prepai-worker",
    ));
    let request = ExecutionRequest::parse(&common::input(
        "python",
        "def f(x): return x",
        "f",
        json!([{"input": 1, "expected": 1}]),
    ))
    .unwrap();
    let outcome = runner.run(&request).await;
    assert!(
        matches!(outcome, Err(CodeRunnerError::Unavailable(_))),
        "{outcome:?}"
    );
}
