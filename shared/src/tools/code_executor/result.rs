//! The tool's output: the seed's `{success, testResults[], allTestsPassed, executionTime, ...}` plus a verdict,
//! quality metrics and resource use, assembled from what the sandbox observed by a pure function so the verdict
//! rules are testable without an interpreter.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::compare::json_equal;
use super::quality::QualityMetrics;
use super::request::{ExecutionRequest, Language};

/// The outcome of a whole submission, in the order a judge reports them: the first that applies wins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    /// Every test returned the expected value.
    Accepted,
    /// Every test returned, at least one not the expected value.
    WrongAnswer,
    /// The code raised (at load time or in a test) or crashed.
    RuntimeError,
    /// The code does not parse.
    CompileError,
    /// The wall-clock or CPU limit was reached.
    TimeLimitExceeded,
    /// The memory limit was reached.
    MemoryLimitExceeded,
    /// The code printed more than the output limit, or returned a result larger than it.
    OutputLimitExceeded,
}

impl Verdict {
    /// Whether this verdict ends a run before all tests had their outcome.
    pub fn is_limit(self) -> bool {
        matches!(
            self,
            Self::TimeLimitExceeded | Self::MemoryLimitExceeded | Self::OutputLimitExceeded
        )
    }
}

/// An error attached to a test or to the whole submission.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestError {
    /// The exception's class (`ZeroDivisionError`, `TypeError`), `SyntaxError` for a compile error, or a verdict
    /// name (`TimeLimitExceeded`) when a limit stopped the test; `NotRun` for tests after such a stop.
    pub kind: String,
    pub message: String,
    /// 1-based line in the candidate's code, when known.
    #[serde(default)]
    pub line: Option<u32>,
}

impl TestError {
    pub fn new(kind: impl Into<String>, message: impl Into<String>, line: Option<u32>) -> Self {
        Self {
            kind: kind.into(),
            message: message.into(),
            line,
        }
    }
}

/// One test as reported.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TestResult {
    /// 1-based, in the order the tests were given.
    pub test_number: usize,
    pub passed: bool,
    pub input: Value,
    pub expected: Value,
    /// The function's return value as JSON; null when it raised or did not run.
    pub actual: Option<Value>,
    /// What the test printed (stdout and stderr interleaved), within the submission's output limit.
    pub stdout: String,
    pub error: Option<TestError>,
    /// Seconds spent in the call.
    pub execution_time: f64,
    /// Set when `actual` or `stdout` was cut to [`MAX_STORED_OUTPUT_BYTES`] for storage: what the whole was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub truncated: Option<TruncatedOutput>,
}

/// The most bytes of a test's return value (as JSON text) and of its printed output that a stored run keeps. The
/// comparison with the expectation happens before storing, on the whole value; what is stored is for people.
pub const MAX_STORED_OUTPUT_BYTES: usize = 4 * 1024;

/// What a cut test output was: sizes and SHA-256 digests of the whole, so two runs' outputs can still be compared.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TruncatedOutput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_bytes: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_sha256: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stdout_bytes: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stdout_sha256: Option<String>,
}

impl TestResult {
    /// Cuts `actual` (as JSON text) and `stdout` to [`MAX_STORED_OUTPUT_BYTES`] each, recording the size and
    /// digest of what was cut, so a stored run stays small whatever the code returned or printed.
    pub fn bound_for_storage(&mut self) {
        use sha2::{Digest, Sha256};
        let digest = |bytes: &[u8]| hex::encode(Sha256::digest(bytes));
        let mut cut = TruncatedOutput {
            actual_bytes: None,
            actual_sha256: None,
            stdout_bytes: None,
            stdout_sha256: None,
        };
        if let Some(actual) = &self.actual {
            let text = actual.to_string();
            if text.len() > MAX_STORED_OUTPUT_BYTES {
                cut.actual_bytes = Some(text.len());
                cut.actual_sha256 = Some(digest(text.as_bytes()));
                self.actual = Some(Value::String(format!(
                    "{}…",
                    prefix_on_char_boundary(&text, MAX_STORED_OUTPUT_BYTES)
                )));
            }
        }
        if self.stdout.len() > MAX_STORED_OUTPUT_BYTES {
            cut.stdout_bytes = Some(self.stdout.len());
            cut.stdout_sha256 = Some(digest(self.stdout.as_bytes()));
            self.stdout = format!(
                "{}…",
                prefix_on_char_boundary(&self.stdout, MAX_STORED_OUTPUT_BYTES)
            );
        }
        if cut.actual_bytes.is_some() || cut.stdout_bytes.is_some() {
            self.truncated = Some(cut);
        }
    }
}

fn prefix_on_char_boundary(text: &str, max: usize) -> &str {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// What the worker process used, from `wait4`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceUsage {
    /// Peak resident memory of the worker (interpreter included).
    pub peak_memory_bytes: u64,
    /// User + system CPU seconds of the worker.
    pub cpu_time: f64,
}

/// The tool's answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionResult {
    /// The code compiled and every test returned a value (right or wrong) within the limits.
    pub success: bool,
    pub verdict: Verdict,
    pub language: Language,
    pub function_name: String,
    pub test_results: Vec<TestResult>,
    pub passed_count: usize,
    pub total_count: usize,
    /// At least one test, and every test passed.
    pub all_tests_passed: bool,
    /// Wall-clock seconds from starting the worker to its end.
    pub execution_time: f64,
    /// Absent when the code does not parse.
    pub quality_metrics: Option<QualityMetrics>,
    /// What stopped the submission as a whole: a compile error, an error while loading the code, or a limit.
    pub error: Option<TestError>,
    pub resources: ResourceUsage,
}

/// How one test ended inside the sandbox.
#[derive(Clone, Debug, PartialEq)]
pub enum TestOutcome {
    Returned {
        actual: Value,
        stdout: String,
        seconds: f64,
    },
    Raised {
        error: TestError,
        stdout: String,
        seconds: f64,
    },
}

/// Everything the sandbox observed about one submission; [`ExecutionResult::assemble`] judges it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SandboxReport {
    /// The code does not parse.
    pub compile_error: Option<TestError>,
    /// The code parsed but failed before the first test: its top level raised, or the function is not callable.
    pub load_error: Option<TestError>,
    /// A limit that stopped the run, with its detail.
    pub limit: Option<(Verdict, TestError)>,
    /// How many tests had begun when the run ended.
    pub tests_started: usize,
    /// The outcomes of the tests that finished, in order.
    pub outcomes: Vec<TestOutcome>,
    /// What the test that was running when a limit stopped the run had printed.
    pub stopped_stdout: String,
    pub quality_metrics: Option<QualityMetrics>,
    pub wall_seconds: f64,
    pub resources: ResourceUsage,
}

impl ExecutionResult {
    /// Judges a run: compares each returned value with its expectation (in Rust, as JSON) and picks the verdict.
    pub fn assemble(request: &ExecutionRequest, report: SandboxReport) -> Self {
        let mut outcomes = report.outcomes.into_iter();
        let stop_error = report
            .compile_error
            .clone()
            .or_else(|| report.load_error.clone())
            .or_else(|| report.limit.as_ref().map(|(_, e)| e.clone()));
        let finished = outcomes.len();
        let test_results: Vec<TestResult> = request
            .test_cases
            .iter()
            .enumerate()
            .map(|(index, case)| {
                let base = TestResult {
                    test_number: index + 1,
                    passed: false,
                    input: case.input.clone(),
                    expected: case.expected.clone(),
                    actual: None,
                    stdout: String::new(),
                    error: None,
                    execution_time: 0.0,
                    truncated: None,
                };
                match outcomes.next() {
                    Some(TestOutcome::Returned {
                        actual,
                        stdout,
                        seconds,
                    }) => TestResult {
                        passed: json_equal(&case.expected, &actual),
                        actual: Some(actual),
                        stdout,
                        execution_time: round_seconds(seconds),
                        ..base
                    },
                    Some(TestOutcome::Raised {
                        error,
                        stdout,
                        seconds,
                    }) => TestResult {
                        stdout,
                        error: Some(error),
                        execution_time: round_seconds(seconds),
                        ..base
                    },
                    None => {
                        let running = index == finished && report.tests_started > finished;
                        let error = match (&stop_error, running) {
                            (Some(stop), true) => stop.clone(),
                            (Some(stop), false) => TestError::new(
                                "NotRun",
                                format!("not run: the submission stopped with {}", stop.kind),
                                None,
                            ),
                            (None, _) => TestError::new(
                                "NotRun",
                                "not run: the sandbox ended before this test",
                                None,
                            ),
                        };
                        TestResult {
                            error: Some(error),
                            stdout: if running {
                                report.stopped_stdout.clone()
                            } else {
                                String::new()
                            },
                            ..base
                        }
                    }
                }
            })
            .collect();
        let passed_count = test_results.iter().filter(|t| t.passed).count();
        let total_count = test_results.len();
        let any_raised = test_results.iter().any(|t| t.error.is_some());
        let verdict = if report.compile_error.is_some() {
            Verdict::CompileError
        } else if let Some((limit, _)) = &report.limit {
            *limit
        } else if report.load_error.is_some() || any_raised {
            Verdict::RuntimeError
        } else if passed_count < total_count {
            Verdict::WrongAnswer
        } else {
            Verdict::Accepted
        };
        Self {
            success: matches!(verdict, Verdict::Accepted | Verdict::WrongAnswer),
            verdict,
            language: request.language,
            function_name: request.function_name.clone(),
            passed_count,
            total_count,
            all_tests_passed: total_count > 0 && passed_count == total_count,
            test_results,
            execution_time: round_seconds(report.wall_seconds),
            quality_metrics: report.quality_metrics,
            error: stop_error,
            resources: report.resources,
        }
    }
}

/// Microsecond precision is all a wall clock on a shared machine can honestly report.
fn round_seconds(seconds: f64) -> f64 {
    (seconds * 1e6).round() / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request(tests: usize) -> ExecutionRequest {
        let cases: Vec<Value> = (0..tests)
            .map(|i| json!({"input": i, "expected": i * 2}))
            .collect();
        ExecutionRequest::parse(&json!({
            "code": "def double(x): return x * 2",
            "language": "python",
            "functionName": "double",
            "testCases": cases,
        }))
        .unwrap()
    }

    fn returned(actual: Value) -> TestOutcome {
        TestOutcome::Returned {
            actual,
            stdout: String::new(),
            seconds: 0.001,
        }
    }

    #[test]
    fn all_equal_is_accepted_and_one_wrong_is_a_wrong_answer() {
        let report = SandboxReport {
            tests_started: 2,
            outcomes: vec![returned(json!(0)), returned(json!(2.0))],
            ..Default::default()
        };
        let result = ExecutionResult::assemble(&request(2), report.clone());
        assert_eq!(result.verdict, Verdict::Accepted);
        assert!(result.success && result.all_tests_passed);
        let mut wrong = report;
        wrong.outcomes[1] = returned(json!(3));
        let result = ExecutionResult::assemble(&request(2), wrong);
        assert_eq!(result.verdict, Verdict::WrongAnswer);
        assert!(result.success && !result.all_tests_passed);
        assert_eq!(result.passed_count, 1);
        assert_eq!(result.test_results[1].actual, Some(json!(3)));
    }

    #[test]
    fn a_limit_marks_the_running_test_and_skips_the_rest() {
        let stop = TestError::new("TimeLimitExceeded", "ran past 5 s", None);
        let report = SandboxReport {
            limit: Some((Verdict::TimeLimitExceeded, stop.clone())),
            tests_started: 2,
            outcomes: vec![returned(json!(0))],
            ..Default::default()
        };
        let result = ExecutionResult::assemble(&request(3), report);
        assert_eq!(result.verdict, Verdict::TimeLimitExceeded);
        assert!(!result.success);
        assert!(result.test_results[0].passed);
        assert_eq!(result.test_results[1].error.as_ref(), Some(&stop));
        assert_eq!(
            result.test_results[2].error.as_ref().unwrap().kind,
            "NotRun"
        );
        assert_eq!(result.error, Some(stop));
    }

    #[test]
    fn compile_and_load_errors_fail_every_test() {
        let syntax = TestError::new("SyntaxError", "invalid syntax", Some(1));
        let result = ExecutionResult::assemble(
            &request(2),
            SandboxReport {
                compile_error: Some(syntax.clone()),
                ..Default::default()
            },
        );
        assert_eq!(result.verdict, Verdict::CompileError);
        assert!(result.quality_metrics.is_none());
        assert!(result.test_results.iter().all(|t| !t.passed));
        let result = ExecutionResult::assemble(
            &request(1),
            SandboxReport {
                load_error: Some(TestError::new(
                    "NameError",
                    "name 'x' is not defined",
                    Some(2),
                )),
                ..Default::default()
            },
        );
        assert_eq!(result.verdict, Verdict::RuntimeError);
        assert_eq!(
            result.test_results[0].error.as_ref().unwrap().kind,
            "NotRun"
        );
    }

    #[test]
    fn a_raising_test_is_a_runtime_error_and_the_shape_is_camel_case() {
        let report = SandboxReport {
            tests_started: 1,
            outcomes: vec![TestOutcome::Raised {
                error: TestError::new("ZeroDivisionError", "division by zero", Some(1)),
                stdout: "hi\n".into(),
                seconds: 0.0,
            }],
            ..Default::default()
        };
        let result = ExecutionResult::assemble(&request(1), report);
        assert_eq!(result.verdict, Verdict::RuntimeError);
        let json = serde_json::to_value(&result).unwrap();
        for field in [
            "success",
            "testResults",
            "allTestsPassed",
            "executionTime",
            "qualityMetrics",
            "verdict",
        ] {
            assert!(json.get(field).is_some(), "{field} missing");
        }
        assert_eq!(json["verdict"], "RuntimeError");
        assert_eq!(json["testResults"][0]["stdout"], "hi\n");
        assert_eq!(json["testResults"][0]["testNumber"], 1);
        assert_eq!(
            serde_json::from_value::<ExecutionResult>(json).unwrap(),
            result
        );
    }

    #[test]
    fn no_tests_is_not_all_tests_passed() {
        let result = ExecutionResult::assemble(&request(0), SandboxReport::default());
        assert_eq!(result.verdict, Verdict::Accepted);
        assert!(!result.all_tests_passed);
    }
}
