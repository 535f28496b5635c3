//! The contract's test-case semantics, run end to end through worker processes: how inputs become arguments, how
//! results become JSON, what each test reports.

mod common;

use prepai::tools::code_executor::Verdict;
use serde_json::json;

#[tokio::test]
async fn the_seed_example_and_the_two_sum_call_shape() {
    let result = common::run(
        "python",
        "def solution(arr): return sorted(arr)",
        "solution",
        json!([{"input": "[3,1,2]", "expected": "[1,2,3]"}]),
    )
    .await;
    assert_eq!(result.verdict, Verdict::Accepted);
    assert!(result.success && result.all_tests_passed);
    assert_eq!(result.test_results[0].input, json!([3, 1, 2]));
    assert_eq!(result.test_results[0].actual, Some(json!([1, 2, 3])));
    assert!(result.execution_time > 0.0);
    assert!(result.resources.peak_memory_bytes > 0);

    for (language, code) in [
        (
            "python",
            "def f(nums, target):\n    return [nums.index(target - nums[1]), 1]",
        ),
        (
            "javascript",
            "function f(nums, target) { return [nums.indexOf(target - nums[1]), 1]; }",
        ),
    ] {
        let result = common::run(
            language,
            code,
            "f",
            json!([{"input": "[[2,7,11,15], 9]", "expected": "[0,1]"}]),
        )
        .await;
        assert_eq!(
            result.verdict,
            Verdict::Accepted,
            "{language}: {:?}",
            result.test_results
        );
    }
}

#[tokio::test]
async fn arguments_one_parameter_spread_explicit_and_none() {
    let python = "def one(x):\n    return x\n\ndef two(a, b):\n    return [b, a]\n\ndef star(*xs):\n    return len(xs)\n\ndef none():\n    return 'ok'\n";
    let javascript = "function one(x) { return x; }\nconst two = (a, b) => [b, a];\nfunction none() { return 'ok'; }\n";
    for (language, code) in [("python", python), ("javascript", javascript)] {
        let cases = [
            (
                "one",
                json!([{"input": "[1, 2]", "expected": [1, 2]}, {"input": "plain text", "expected": "plain text"}]),
            ),
            (
                "two",
                json!([{"input": [1, 2], "expected": [2, 1]}, {"args": [[1], {"k": 2}], "expected": [{"k": 2}, [1]]}]),
            ),
            ("none", json!([{"input": null, "expected": "ok"}])),
        ];
        for (function, tests) in cases {
            let result = common::run(language, code, function, tests).await;
            assert_eq!(
                result.verdict,
                Verdict::Accepted,
                "{language} {function}: {:?}",
                result.test_results
            );
        }
    }
    let result = common::run(
        "python",
        python,
        "star",
        json!([{"input": [1, 2, 3], "expected": 3}]),
    )
    .await;
    assert_eq!(result.verdict, Verdict::Accepted);
}

#[tokio::test]
async fn results_convert_to_json_and_compare_with_tolerance() {
    let python = "def f(x):\n    return {'t': (1, 2), 's': {3, 1, 2}, 1: 0.1 + 0.2, 'n': None, 'b': True, 'big': 2 ** 64}";
    let result = common::run(
        "python",
        python,
        "f",
        json!([{"input": 0, "expected": {"t": [1, 2], "s": [1, 2, 3], "1": 0.3, "n": null, "b": true, "big": 18446744073709551616.0}}]),
    )
    .await;
    assert_eq!(
        result.verdict,
        Verdict::Accepted,
        "{:?}",
        result.test_results
    );

    let javascript = "function f(x) { return { m: new Map([['a', 1]]), s: new Set([3, 1]), u: undefined, n: NaN, f: 0.1 + 0.2, big: 5n }; }";
    let result = common::run(
        "javascript",
        javascript,
        "f",
        json!([{"input": 0, "expected": {"m": {"a": 1}, "s": [3, 1], "u": null, "n": null, "f": 0.3, "big": 5}}]),
    )
    .await;
    assert_eq!(
        result.verdict,
        Verdict::Accepted,
        "{:?}",
        result.test_results
    );

    let result = common::run(
        "python",
        "def f(x):\n    return 1 == 1.0",
        "f",
        json!([{"input": 0, "expected": 1}]),
    )
    .await;
    assert_eq!(
        result.verdict,
        Verdict::WrongAnswer,
        "a boolean is not the number 1"
    );
}

#[tokio::test]
async fn each_test_reports_its_output_error_line_and_time() {
    let code =
        "def f(x):\n    print('seeing', x)\n    if x == 0:\n        return 1 // x\n    return x\n";
    let result = common::run(
        "python",
        code,
        "f",
        json!([{"input": 2, "expected": 2}, {"input": 0, "expected": 0}, {"input": 3, "expected": 4}]),
    )
    .await;
    assert_eq!(result.verdict, Verdict::RuntimeError);
    assert!(!result.success);
    let [first, second, third] = &result.test_results[..] else {
        panic!("three results expected");
    };
    assert!(first.passed);
    assert_eq!(first.stdout, "seeing 2\n");
    let error = second.error.as_ref().unwrap();
    assert_eq!(error.kind, "ZeroDivisionError");
    assert_eq!(error.line, Some(4));
    assert_eq!(second.stdout, "seeing 0\n");
    assert!(!third.passed && third.error.is_none());
    assert_eq!(third.actual, Some(json!(3)));

    let code = "function f(x) {\n  console.log('seeing', x, [1, 2]);\n  if (x === 0) {\n    null.boom();\n  }\n  return x;\n}";
    let result = common::run(
        "javascript",
        code,
        "f",
        json!([{"input": 0, "expected": 0}]),
    )
    .await;
    let test = &result.test_results[0];
    assert_eq!(test.stdout, "seeing 0 [1,2]\n");
    let error = test.error.as_ref().unwrap();
    assert_eq!(error.kind, "TypeError");
    assert_eq!(error.line, Some(4));
}

#[tokio::test]
async fn syntax_and_load_errors() {
    for (language, code) in [
        ("python", "def f(x)\n    return x"),
        ("javascript", "function f(x) {\n  return x +;\n}"),
    ] {
        let result = common::run(language, code, "f", json!([{"input": 1, "expected": 1}])).await;
        assert_eq!(result.verdict, Verdict::CompileError, "{language}");
        assert!(result.quality_metrics.is_none());
        let error = result.error.as_ref().unwrap();
        assert_eq!(error.kind, "SyntaxError");
        assert!(error.line.is_some(), "{language}: {error:?}");
    }
    let result = common::run(
        "python",
        "import no_such_module\ndef f(x):\n    return x",
        "f",
        json!([{"input": 1, "expected": 1}]),
    )
    .await;
    assert_eq!(result.verdict, Verdict::RuntimeError);
    assert_eq!(result.error.as_ref().unwrap().kind, "ModuleNotFoundError");
    assert_eq!(result.error.as_ref().unwrap().line, Some(1));
    assert!(result.quality_metrics.is_some());

    let result = common::run("python", "f = 3", "f", json!([{"input": 1, "expected": 1}])).await;
    assert_eq!(result.verdict, Verdict::RuntimeError);
    assert_eq!(result.error.as_ref().unwrap().kind, "TypeError");
}

#[tokio::test]
async fn quality_metrics_come_from_the_parse() {
    let code = "# Adds one.\ndef f(x):\n    \"\"\"Docstring.\"\"\"\n    if x > 0 and x < 10:\n        return x + 1\n    return x\n";
    let result = common::run("python", code, "f", json!([])).await;
    let metrics = result.quality_metrics.unwrap();
    assert_eq!(metrics.lines_of_code, 4);
    assert_eq!(metrics.comment_lines, 2);
    assert_eq!(metrics.cyclomatic_complexity, 3);
    assert_eq!(metrics.function_count, 1);
    assert_eq!(metrics.quality_score, 10.0);
    assert!(!result.all_tests_passed, "no tests is not all tests passed");

    let code = "// Adds one.\nconst f = (x) => (x > 0 && x < 10 ? x + 1 : x);\n";
    let result = common::run(
        "javascript",
        code,
        "f",
        json!([{"input": 1, "expected": 2}]),
    )
    .await;
    let metrics = result.quality_metrics.unwrap();
    assert_eq!(metrics.lines_of_code, 1);
    assert_eq!(metrics.comment_lines, 1);
    assert_eq!(metrics.cyclomatic_complexity, 3);
}

#[tokio::test]
async fn the_standard_library_modules_candidates_use_import() {
    let code = "import random, statistics, dataclasses, heapq, collections, itertools, functools, math, re, string, bisect, json, typing, fractions, decimal, copy, operator, enum\nfrom dataclasses import dataclass\n\n@dataclass\nclass P:\n    x: int\n\ndef f(n):\n    random.seed(n)\n    return [statistics.median([1, 2, 3, 4]), P(n).x, math.comb(5, 2), len(random.sample(range(10), 3))]\n";
    let result = common::run(
        "python",
        code,
        "f",
        json!([{"input": 7, "expected": [2.5, 7, 10, 3]}]),
    )
    .await;
    assert_eq!(
        result.verdict,
        Verdict::Accepted,
        "{:?} {:?}",
        result.error,
        result.test_results
    );
}

#[tokio::test]
async fn the_debugging_binary_runs_a_submission_from_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("submission.json");
    std::fs::write(
        &path,
        serde_json::to_vec(&common::input(
            "javascript",
            "const double = (x) => x * 2;",
            "double",
            json!([{"input": 21, "expected": 42}]),
        ))
        .unwrap(),
    )
    .unwrap();
    let output = std::process::Command::new(common::WORKER)
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(result["verdict"], "Accepted");
    assert_eq!(result["testResults"][0]["actual"], 42);
}

#[tokio::test]
async fn leetcode_style_methods_of_a_solution_class() {
    let python = "class Solution:\n    def twoSum(self, nums, target):\n        seen = {}\n        for i, n in enumerate(nums):\n            if target - n in seen:\n                return [seen[target - n], i]\n            seen[n] = i\n";
    let javascript = "class Solution {\n  twoSum(nums, target) {\n    const seen = new Map();\n    for (const [i, n] of nums.entries()) {\n      if (seen.has(target - n)) return [seen.get(target - n), i];\n      seen.set(n, i);\n    }\n  }\n}\n";
    for (language, code) in [("python", python), ("javascript", javascript)] {
        let result = common::run(
            language,
            code,
            "twoSum",
            json!([{"input": "[[2,7,11,15], 9]", "expected": "[0,1]"}]),
        )
        .await;
        assert_eq!(
            result.verdict,
            Verdict::Accepted,
            "{language}: {:?} {:?}",
            result.error,
            result.test_results
        );
    }
}
