//! Every coding problem in the bank, run in the real sandbox: both reference solutions pass every graded test (the
//! worked examples and the hidden tests), both starters fail, and code that only returns the worked examples'
//! answers fails most hidden tests — so a graded run means what it says.

mod common;

use prepai::knowledge::QuestionBank;
use serde_json::{Value, json};

/// Python that answers each worked example by matching its arguments and returns `None` otherwise.
fn hard_coded_python(function: &str, examples: &[Value]) -> String {
    let mut code = format!(
        "import json\ndef {function}(*args):\n    key = json.dumps(list(args), separators=(',', ':'))\n"
    );
    for example in examples {
        let args = serde_json::to_string(&example["args"]).unwrap();
        let expected = serde_json::to_string(&example["expected"]).unwrap();
        code.push_str(&format!(
            "    if key == {args:?}:\n        return json.loads({expected:?})\n"
        ));
    }
    code.push_str("    return None\n");
    code
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reference_solutions_pass_every_graded_test_and_shortcuts_fail() {
    let mut problems = Vec::new();
    for p in &QuestionBank::embedded().coding {
        let tests = Value::Array(p.graded_tests().cloned().collect());
        for (language, function, solution, starter) in [
            (
                "python",
                &p.function_names.python,
                &p.solutions.python,
                &p.starters.python,
            ),
            (
                "javascript",
                &p.function_names.javascript,
                &p.solutions.javascript,
                &p.starters.javascript,
            ),
        ] {
            let solved = common::run(language, solution, function, tests.clone()).await;
            assert!(
                solved.all_tests_passed,
                "{} {language}: the reference solution fails: {}",
                p.id,
                serde_json::to_string(&solved.test_results).unwrap()
            );
            let started = common::run(language, starter, function, tests.clone()).await;
            assert!(
                !started.all_tests_passed,
                "{} {language}: the starter passes",
                p.id
            );
        }
        let faked = common::run(
            "python",
            &hard_coded_python(&p.function_names.python, &p.examples),
            &p.function_names.python,
            tests.clone(),
        )
        .await;
        let hidden_passed = faked.passed_count.saturating_sub(p.examples.len());
        assert!(
            faked.passed_count >= p.examples.len() && !faked.all_tests_passed,
            "{}: the examples-only fake: {} of {}",
            p.id,
            faked.passed_count,
            faked.total_count
        );
        problems.push(json!({"id": p.id, "hidden": p.hidden_tests.len(), "fake_hidden_passed": hidden_passed}));
    }
    eprintln!("{}", serde_json::to_string_pretty(&problems).unwrap());
}
