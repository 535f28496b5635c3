//! The tool's input: the seed's `{code, language, testCases, functionName, timeout?}`, parsed once into an
//! [`ExecutionRequest`] whose every field is within limits, so neither the route, the Lambda nor the sandbox
//! re-checks it.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::tools::ToolError;

/// The most source a submission may have (64 KiB).
pub const MAX_CODE_BYTES: usize = 64 * 1024;
/// The most test cases one submission may run.
pub const MAX_TEST_CASES: usize = 50;
/// The most JSON all test cases together may hold (inputs, arguments and expectations).
pub const MAX_TEST_DATA_BYTES: usize = 1024 * 1024;
/// The longest function name accepted.
pub const MAX_FUNCTION_NAME_CHARS: usize = 100;
/// The wall-clock limit of a submission when the caller names none.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);
/// The longest wall-clock limit a caller may ask for.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(10);

/// The languages the sandbox embeds an interpreter for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Python,
    #[serde(rename = "javascript")]
    JavaScript,
}

impl Language {
    /// Accepts the usual spellings (`python`, `python3`, `py`, `javascript`, `js`, `node`), any case.
    pub fn parse(raw: &str) -> Result<Self, ToolError> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "python" | "python3" | "py" => Ok(Self::Python),
            "javascript" | "js" | "node" | "nodejs" => Ok(Self::JavaScript),
            _ => Err(ToolError {
                code: "unsupported_language",
                message: format!(
                    "language must be one of: python, javascript (got {:?})",
                    truncate(raw, 40)
                ),
            }),
        }
    }

    /// The canonical name, as stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Python => "python",
            Self::JavaScript => "javascript",
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One test: what the function is called with and what it must return.
///
/// `input` and `expected`, when given as strings, are JSON texts if they parse as JSON (the seed's `"[3,1,2]"`)
/// and plain strings otherwise; any other JSON value is used as is. `args`, when present, gives the positional
/// arguments explicitly. Without it, a function of one parameter receives the whole input and a function of
/// N > 1 parameters receives the input array spread over them. Precisely, decided in the sandbox where the
/// function's arity is known:
/// - explicit `args`: called with exactly those positional arguments;
/// - a function with exactly one parameter (Python positional, JavaScript `length`): the whole input;
/// - a function with N > 1 parameters, or Python `*args`, given an array: the array spread;
/// - a function with no parameters: no arguments (Python), or the input as its one argument (JavaScript, where
///   a zero `length` also means rest or default parameters).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TestCase {
    pub input: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub args: Option<Vec<Value>>,
    pub expected: Value,
}

/// A validated submission.
#[derive(Clone, Debug, PartialEq)]
pub struct ExecutionRequest {
    pub code: String,
    pub language: Language,
    pub function_name: String,
    pub test_cases: Vec<TestCase>,
    pub timeout: Duration,
}

impl ExecutionRequest {
    /// Parses the tool's direct input (also the shape the agent's parameters are merged into). Every refusal
    /// says what to fix.
    pub fn parse(input: &Value) -> Result<Self, ToolError> {
        let Some(fields) = input.as_object() else {
            return Err(ToolError::invalid_input(
                "the input must be a JSON object {code, language, testCases, functionName}",
            ));
        };
        let language = match fields.get("language") {
            Some(Value::String(raw)) => Language::parse(raw)?,
            None | Some(Value::Null) => {
                return Err(ToolError::invalid_input(
                    "language is required: python or javascript",
                ));
            }
            Some(_) => {
                return Err(ToolError::invalid_input(
                    "language must be a string: python or javascript",
                ));
            }
        };
        let code = match fields.get("code") {
            Some(Value::String(code)) => code.clone(),
            None | Some(Value::Null) => {
                return Err(refusal("empty_code", "code is required"));
            }
            Some(_) => return Err(ToolError::invalid_input("code must be a string")),
        };
        if code.trim().is_empty() {
            return Err(refusal("empty_code", "code is empty"));
        }
        if code.len() > MAX_CODE_BYTES {
            return Err(refusal(
                "code_too_large",
                format!(
                    "code is {} bytes; the limit is {MAX_CODE_BYTES} bytes (64 KiB)",
                    code.len()
                ),
            ));
        }
        let function_name = parse_function_name(fields.get("functionName"))?;
        let test_cases = parse_test_cases(fields.get("testCases"))?;
        let timeout = parse_timeout(fields.get("timeout"))?;
        Ok(Self {
            code,
            language,
            function_name,
            test_cases,
            timeout,
        })
    }

    /// A submission from parts our own layers already hold (a bank problem's tests, a parsed socket message),
    /// checked against the same limits as [`ExecutionRequest::parse`], with the default time limit.
    pub fn new(
        code: String,
        language: Language,
        function_name: &str,
        test_cases: Vec<TestCase>,
    ) -> Result<Self, ToolError> {
        if code.trim().is_empty() {
            return Err(refusal("empty_code", "code is empty"));
        }
        if code.len() > MAX_CODE_BYTES {
            return Err(refusal(
                "code_too_large",
                format!(
                    "code is {} bytes; the limit is {MAX_CODE_BYTES} bytes (64 KiB)",
                    code.len()
                ),
            ));
        }
        if test_cases.len() > MAX_TEST_CASES {
            return Err(refusal(
                "too_many_tests",
                format!(
                    "{} test cases given; at most {MAX_TEST_CASES} are run per submission",
                    test_cases.len()
                ),
            ));
        }
        let function_name = parse_function_name(Some(&Value::String(function_name.to_owned())))?;
        Ok(Self {
            code,
            language,
            function_name,
            test_cases,
            timeout: DEFAULT_TIMEOUT,
        })
    }

    /// The canonical direct input for this request: what the route sends to the code runner.
    pub fn to_tool_input(&self) -> Value {
        let mut fields = Map::new();
        fields.insert("code".into(), Value::String(self.code.clone()));
        fields.insert("language".into(), Value::String(self.language.to_string()));
        fields.insert(
            "functionName".into(),
            Value::String(self.function_name.clone()),
        );
        let cases = self
            .test_cases
            .iter()
            .map(|case| {
                let mut fields = Map::new();
                fields.insert("input".into(), as_json_text(&case.input));
                if let Some(args) = &case.args {
                    fields.insert("args".into(), Value::Array(args.clone()));
                }
                fields.insert("expected".into(), as_json_text(&case.expected));
                Value::Object(fields)
            })
            .collect();
        fields.insert("testCases".into(), Value::Array(cases));
        fields.insert("timeout".into(), Value::from(self.timeout.as_secs_f64()));
        Value::Object(fields)
    }
}

fn refusal(code: &'static str, message: impl Into<String>) -> ToolError {
    ToolError {
        code,
        message: message.into(),
    }
}

fn truncate(raw: &str, chars: usize) -> String {
    raw.chars().take(chars).collect()
}

/// An identifier in both languages (`$` only matters to JavaScript), so the sandbox can look it up by name.
fn parse_function_name(raw: Option<&Value>) -> Result<String, ToolError> {
    let name = match raw {
        Some(Value::String(name)) => name.trim(),
        None | Some(Value::Null) => {
            return Err(refusal(
                "missing_function",
                "functionName is required: the name of the function the tests call",
            ));
        }
        Some(_) => return Err(ToolError::invalid_input("functionName must be a string")),
    };
    if name.is_empty() {
        return Err(refusal(
            "missing_function",
            "functionName is empty: name the function the tests call",
        ));
    }
    let mut chars = name.chars();
    let valid = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
        && name.chars().count() <= MAX_FUNCTION_NAME_CHARS;
    if !valid {
        return Err(ToolError::invalid_input(format!(
            "functionName must be an identifier of letters, digits and underscores, at most \
             {MAX_FUNCTION_NAME_CHARS} characters (got {:?})",
            truncate(name, 40)
        )));
    }
    Ok(name.to_owned())
}

impl TestCase {
    /// A list of test cases in the tool's input form (`[{input?, args?, expected}]`), within the tool's limits.
    pub fn parse_list(raw: &Value) -> Result<Vec<TestCase>, ToolError> {
        parse_test_cases(Some(raw))
    }
}

fn parse_test_cases(raw: Option<&Value>) -> Result<Vec<TestCase>, ToolError> {
    let list = match raw {
        None | Some(Value::Null) => return Ok(Vec::new()),
        // An agent may send the list as JSON text even when the schema says array.
        Some(Value::String(text)) => serde_json::from_str::<Value>(text)
            .map_err(|e| ToolError::invalid_input(format!("testCases is not a JSON array: {e}")))?,
        Some(other) => other.clone(),
    };
    let Value::Array(items) = list else {
        return Err(ToolError::invalid_input(
            "testCases must be an array of {input, expected} objects",
        ));
    };
    if items.len() > MAX_TEST_CASES {
        return Err(refusal(
            "too_many_tests",
            format!(
                "{} test cases given; at most {MAX_TEST_CASES} are run per submission",
                items.len()
            ),
        ));
    }
    let mut data_bytes = 0;
    let mut cases = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let number = index + 1;
        let Some(fields) = item.as_object() else {
            return Err(refusal(
                "invalid_test_case",
                format!("test case {number} must be an object {{input, expected}}"),
            ));
        };
        let expected = fields.get("expected").ok_or_else(|| {
            refusal(
                "invalid_test_case",
                format!("test case {number} has no expected value"),
            )
        })?;
        let args = match fields.get("args") {
            None | Some(Value::Null) => None,
            Some(Value::Array(args)) => Some(args.clone()),
            Some(Value::String(text)) => match serde_json::from_str::<Value>(text) {
                Ok(Value::Array(args)) => Some(args),
                _ => {
                    return Err(refusal(
                        "invalid_test_case",
                        format!("test case {number}: args must be a JSON array"),
                    ));
                }
            },
            Some(_) => {
                return Err(refusal(
                    "invalid_test_case",
                    format!("test case {number}: args must be a JSON array"),
                ));
            }
        };
        let input = match (fields.get("input"), &args) {
            (Some(input), _) => json_or_text(input),
            (None, Some(args)) => Value::Array(args.clone()),
            (None, None) => Value::Null,
        };
        let case = TestCase {
            input,
            args,
            expected: json_or_text(expected),
        };
        data_bytes += serde_json::to_string(&case).map_or(0, |s| s.len());
        if data_bytes > MAX_TEST_DATA_BYTES {
            return Err(refusal(
                "invalid_test_case",
                format!("the test cases hold more than {MAX_TEST_DATA_BYTES} bytes of data"),
            ));
        }
        cases.push(case);
    }
    Ok(cases)
}

/// A string that is JSON text becomes that JSON value; any other string stays a string.
pub fn json_or_text(value: &Value) -> Value {
    match value {
        Value::String(text) => serde_json::from_str(text).unwrap_or_else(|_| value.clone()),
        other => other.clone(),
    }
}

/// The inverse of [`json_or_text`] for strings: a string value is sent as its JSON text, so a string that looks
/// like a number (`"123"`) stays a string when parsed again.
fn as_json_text(value: &Value) -> Value {
    match value {
        Value::String(_) => Value::String(value.to_string()),
        other => other.clone(),
    }
}

fn parse_timeout(raw: Option<&Value>) -> Result<Duration, ToolError> {
    let seconds = match raw {
        None | Some(Value::Null) => return Ok(DEFAULT_TIMEOUT),
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(text)) => text.trim().parse::<f64>().ok(),
        Some(_) => None,
    };
    let max = MAX_TIMEOUT.as_secs_f64();
    match seconds {
        Some(s) if s > 0.0 && s <= max => Ok(Duration::from_secs_f64(s)),
        _ => Err(refusal(
            "invalid_timeout",
            format!("timeout must be a number of seconds greater than 0 and at most {max}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn base() -> Value {
        json!({
            "code": "def solution(arr): return sorted(arr)",
            "language": "python",
            "testCases": [{"input": "[3,1,2]", "expected": "[1,2,3]"}],
            "functionName": "solution"
        })
    }

    #[test]
    fn the_seed_example_parses_with_json_text_inputs() {
        let request = ExecutionRequest::parse(&base()).unwrap();
        assert_eq!(request.language, Language::Python);
        assert_eq!(request.timeout, DEFAULT_TIMEOUT);
        assert_eq!(request.test_cases[0].input, json!([3, 1, 2]));
        assert_eq!(request.test_cases[0].expected, json!([1, 2, 3]));
    }

    #[test]
    fn strings_that_are_not_json_stay_strings_and_other_values_are_kept() {
        let mut input = base();
        input["testCases"] = json!([
            {"input": "hello world", "expected": "\"dlrow olleh\""},
            {"input": {"a": 1}, "expected": 3.5},
            {"args": "[1, 2]", "expected": "3"},
            {"input": "[[2,7,11,15], 9]", "expected": "[0,1]"}
        ]);
        let cases = ExecutionRequest::parse(&input).unwrap().test_cases;
        assert_eq!(cases[0].input, json!("hello world"));
        assert_eq!(cases[0].expected, json!("dlrow olleh"));
        assert_eq!(cases[1].input, json!({"a": 1}));
        assert_eq!(cases[1].expected, json!(3.5));
        assert_eq!(cases[2].args, Some(vec![json!(1), json!(2)]));
        assert_eq!(cases[2].input, json!([1, 2]));
        assert_eq!(cases[3].input, json!([[2, 7, 11, 15], 9]));
    }

    #[test]
    fn bad_input_is_refused_with_a_specific_code() {
        let cases: Vec<(Value, &str)> = vec![
            (json!({"language": "ruby"}), "unsupported_language"),
            (json!({"code": "   \n"}), "empty_code"),
            (json!({"functionName": null}), "missing_function"),
            (json!({"functionName": ""}), "missing_function"),
            (json!({"functionName": "a b"}), "invalid_input"),
            (
                json!({"testCases": vec![json!({"input": 1, "expected": 1}); 51]}),
                "too_many_tests",
            ),
            (
                json!({"code": "x".repeat(MAX_CODE_BYTES + 1)}),
                "code_too_large",
            ),
            (json!({"testCases": [{"input": 1}]}), "invalid_test_case"),
            (
                json!({"testCases": [{"args": 3, "expected": 1}]}),
                "invalid_test_case",
            ),
            (json!({"timeout": 0}), "invalid_timeout"),
            (json!({"timeout": 11}), "invalid_timeout"),
        ];
        for (patch, code) in cases {
            let mut input = base();
            for (k, v) in patch.as_object().unwrap() {
                input[k] = v.clone();
            }
            let error = ExecutionRequest::parse(&input).unwrap_err();
            assert_eq!(error.code, code, "{patch}: {}", error.message);
        }
        assert_eq!(
            ExecutionRequest::parse(&json!([1])).unwrap_err().code,
            "invalid_input"
        );
    }

    #[test]
    fn fifty_tests_and_exactly_64_kib_are_accepted() {
        let mut input = base();
        input["testCases"] = json!(vec![json!({"input": 1, "expected": 1}); 50]);
        let padding = MAX_CODE_BYTES - "def solution(a): return a\n".len();
        input["code"] = json!(format!(
            "def solution(a): return a\n{}",
            "#".repeat(padding)
        ));
        let request = ExecutionRequest::parse(&input).unwrap();
        assert_eq!(request.code.len(), MAX_CODE_BYTES);
        assert_eq!(request.test_cases.len(), 50);
    }

    #[test]
    fn canonical_input_parses_back_to_the_same_request() {
        let mut input = base();
        input["language"] = json!("JS");
        input["testCases"] = json!([{"input": "\"123\"", "expected": "plain"}]);
        input["timeout"] = json!(2.5);
        let request = ExecutionRequest::parse(&input).unwrap();
        assert_eq!(request.language, Language::JavaScript);
        let again = ExecutionRequest::parse(&request.to_tool_input()).unwrap();
        assert_eq!(again, request);
    }
}
