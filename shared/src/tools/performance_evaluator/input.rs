//! The evaluator's input: the seed's JSON (`{sessionId, conversationHistory, codeSubmissions, interviewType,
//! duration, candidateName?}`) read tolerantly — an agent sends arrays as JSON text and numbers as strings, older
//! clients say `text` where the seed says `content` — and parsed into types that cannot hold a bad value, so the
//! scoring never meets a NaN duration or an unknown role.

use chrono::{DateTime, TimeZone, Utc};
use serde_json::{Map, Value};

use crate::domain::{
    CandidateName, InterviewType, ReplyKind, Role, Session, SubmissionEntry, TranscriptEntry,
    timestamp,
};
use crate::tools::ToolError;

/// The most messages one evaluation accepts. A 60-minute interview has a few hundred; the bound keeps a runaway
/// caller from holding a Lambda for its whole timeout, while a 10,000-message transcript still evaluates.
pub const MAX_MESSAGES: usize = 20_000;

/// The most code submissions one evaluation reads; later ones are ignored (and counted in the metrics).
pub const MAX_CODE_SUBMISSIONS: usize = 500;

/// Everything the evaluator looks at, already parsed.
#[derive(Clone, Debug, PartialEq)]
pub struct EvaluationInput {
    /// The caller's session id, echoed in the report; any short string (the seed's example is `session-123`).
    pub session_id: Option<String>,
    pub interview_type: InterviewType,
    pub duration: Option<DurationSeconds>,
    pub candidate_name: Option<CandidateName>,
    pub conversation: Vec<Message>,
    pub code_submissions: Vec<CodeSubmission>,
    /// Bank coding problems the interviewer posed, in order. A posed problem with no passing graded run is an
    /// unsolved problem: skipping one is never better than trying it.
    pub posed_problems: Vec<String>,
}

/// Who said a message, in the evaluator's terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Speaker {
    Candidate,
    Interviewer,
    /// System notes (a code result, a phase change): neither question nor answer.
    System,
}

/// One message of the conversation.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    pub speaker: Speaker,
    pub text: String,
    pub timestamp: Option<DateTime<Utc>>,
    pub delivery: Delivery,
    /// For the interviewer's messages: what the message does, when the interviewer marked it.
    pub kind: Option<ReplyKind>,
}

/// Speech measurements the voice pipeline attaches to a candidate's message, when it was spoken.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Delivery {
    /// Words per minute, finite and non-negative.
    pub wpm: Option<f64>,
    /// Filler words ("um", "uh") the recogniser heard, which transcripts often drop from the text.
    pub filler_count: Option<u32>,
}

/// An interview's length in seconds: finite and never negative.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub struct DurationSeconds(f64);

impl DurationSeconds {
    /// Accepts finite, non-negative seconds.
    pub fn new(seconds: f64) -> Result<Self, ToolError> {
        if seconds.is_finite() && seconds >= 0.0 {
            Ok(Self(seconds))
        } else {
            Err(ToolError::invalid_input(format!(
                "duration must be a non-negative number of seconds, got {seconds}"
            )))
        }
    }

    pub fn seconds(self) -> f64 {
        self.0
    }
}

/// A code run as the code executor reported it, reduced to what scoring uses. Every part is optional because
/// older sessions and other producers leave fields out.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CodeSubmission {
    pub submission_id: Option<String>,
    pub function_name: Option<String>,
    pub language: Option<String>,
    /// Non-blank lines of the submitted code; `Some(0)` means an empty submission.
    pub code_lines: Option<usize>,
    /// The code itself (to recognise code that returns the worked examples' answers).
    pub code: Option<String>,
    pub tests: Option<TestTally>,
    /// The first error the run reported (a syntax error, an exception in a test).
    pub first_error: Option<String>,
    pub quality: QualityMetrics,
    pub timestamp: Option<DateTime<Utc>>,
    /// The bank problem a graded run was judged against.
    pub problem_id: Option<String>,
    /// Judged by the server's own tests of a bank problem; only graded runs count towards the score (a run against
    /// the candidate's own tests proves nothing).
    pub graded: bool,
    /// Each test's outcome, in order (for a graded run: the worked examples first, then the hidden tests).
    pub passes: Vec<bool>,
}

/// How many of a run's tests passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TestTally {
    pub passed: usize,
    pub total: usize,
}

impl TestTally {
    /// The pass rate in 0..=1 (a run with no tests has none).
    pub fn rate(self) -> Option<f64> {
        (self.total > 0).then(|| self.passed as f64 / self.total as f64)
    }
}

/// The code executor's `qualityMetrics`, each kept only when it is a finite number in range.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct QualityMetrics {
    pub lines_of_code: Option<f64>,
    pub cyclomatic_complexity: Option<f64>,
    pub comment_ratio: Option<f64>,
    /// 0–10.
    pub quality_score: Option<f64>,
}

impl EvaluationInput {
    /// Parses the tool's arguments (the direct event, or an agent's parameters already merged into one object).
    pub fn from_json(args: &Value) -> Result<Self, ToolError> {
        let Some(args) = args.as_object() else {
            return Err(ToolError::invalid_input(
                "the input must be a JSON object with conversationHistory, interviewType and duration",
            ));
        };
        let interview_type = match field(args, "interviewType", "interview_type") {
            Some(Value::String(raw)) => InterviewType::parse(raw).map_err(|e| {
                ToolError::invalid_input(e.to_string().replacen(
                    "interview_type",
                    "interviewType",
                    1,
                ))
            })?,
            Some(other) => {
                return Err(ToolError::invalid_input(format!(
                    "interviewType must be a string such as \"Google SDE\", got {other}"
                )));
            }
            None => {
                return Err(ToolError::invalid_input(
                    "interviewType is required (one of: Google SDE, Amazon SDE, Microsoft SDE, AWS SA, Azure SA, \
                     GCP SA, Behavioral, Coding)",
                ));
            }
        };
        let duration = match field(args, "duration", "duration") {
            None | Some(Value::Null) => None,
            Some(value) => Some(DurationSeconds::new(number(value).ok_or_else(|| {
                ToolError::invalid_input(format!(
                    "duration must be a number of seconds, got {value}"
                ))
            })?)?),
        };
        let session_id = match field(args, "sessionId", "session_id") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.trim().is_empty() => None,
            Some(Value::String(s)) if s.chars().count() <= 128 => Some(s.trim().to_owned()),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(_) => {
                return Err(ToolError::invalid_input(
                    "sessionId must be a string of at most 128 characters",
                ));
            }
        };
        let candidate_name = match field(args, "candidateName", "candidate_name") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.trim().is_empty() => None,
            Some(Value::String(s)) => Some(CandidateName::parse(s).map_err(|e| {
                ToolError::invalid_input(e.to_string().replacen(
                    "candidate_name",
                    "candidateName",
                    1,
                ))
            })?),
            Some(other) => {
                return Err(ToolError::invalid_input(format!(
                    "candidateName must be a string, got {other}"
                )));
            }
        };
        let history = array(args, "conversationHistory", "conversation_history")?;
        if history.len() > MAX_MESSAGES {
            return Err(ToolError::invalid_input(format!(
                "conversationHistory has {} messages; at most {MAX_MESSAGES} are evaluated",
                history.len()
            )));
        }
        let conversation = history
            .iter()
            .enumerate()
            .map(|(i, m)| message(i, m))
            .collect::<Result<Vec<_>, _>>()?;
        let code_submissions = array(args, "codeSubmissions", "code_submissions")?
            .iter()
            .take(MAX_CODE_SUBMISSIONS)
            .filter_map(CodeSubmission::from_json)
            .collect();
        let posed_problems = match field(args, "posedProblems", "posed_problems") {
            Some(Value::Array(ids)) => ids
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .take(MAX_CODE_SUBMISSIONS)
                .collect(),
            _ => Vec::new(),
        };
        Ok(Self {
            session_id,
            interview_type,
            duration,
            candidate_name,
            conversation,
            code_submissions,
            posed_problems,
        })
    }

    /// The input for a stored session at its end: the transcript with each entry's voice measurements
    /// (`wpm`, `filler_count`), the code runs it lists (`runs` holds the records of those stored on their own),
    /// and the duration the end route computed.
    pub fn from_session(
        session: &Session,
        runs: &[crate::tools::code_executor::CodeSubmission],
        duration_seconds: f64,
    ) -> Self {
        Self {
            session_id: Some(session.session_id.to_string()),
            interview_type: session.interview_type,
            duration: DurationSeconds::new(duration_seconds).ok(),
            candidate_name: Some(session.candidate_name.clone()),
            conversation: session
                .transcript
                .iter()
                .take(MAX_MESSAGES)
                .map(Message::from_entry)
                .collect(),
            code_submissions: session
                .code_submissions
                .iter()
                .filter_map(|entry| match entry {
                    SubmissionEntry::Ref(line) => runs
                        .iter()
                        .find(|run| run.submission_id == line.submission_id)
                        .map(CodeSubmission::from),
                    // Documents written before runs moved out hold them inline, in any state: read tolerantly.
                    SubmissionEntry::Inline(value) => CodeSubmission::from_json(value),
                })
                .take(MAX_CODE_SUBMISSIONS)
                .collect(),
            posed_problems: session.posed_problems.clone(),
        }
    }
}

impl Message {
    fn from_entry(entry: &TranscriptEntry) -> Self {
        Self {
            speaker: match entry.role {
                Role::User => Speaker::Candidate,
                Role::Assistant => Speaker::Interviewer,
                Role::System => Speaker::System,
            },
            text: entry.text.clone(),
            timestamp: Some(entry.timestamp),
            delivery: Delivery::from_fields(&entry.extra),
            kind: entry.reply_kind,
        }
    }
}

impl Delivery {
    /// Reads `wpm` and `filler_count` (or `fillerCount`), ignoring values that are not sensible numbers.
    fn from_fields(fields: &Map<String, Value>) -> Self {
        let wpm = fields
            .get("wpm")
            .and_then(number)
            .filter(|w| w.is_finite() && *w >= 0.0 && *w < 2_000.0);
        let filler_count = fields
            .get("filler_count")
            .or_else(|| fields.get("fillerCount"))
            .and_then(number)
            .filter(|n| n.is_finite() && *n >= 0.0 && n.fract() == 0.0 && *n <= f64::from(u32::MAX))
            .map(|n| n as u32);
        Self { wpm, filler_count }
    }
}

impl From<&crate::tools::code_executor::CodeSubmission> for CodeSubmission {
    /// A run as the code executor recorded it (typed: read from its own object, not parsed from JSON).
    fn from(run: &crate::tools::code_executor::CodeSubmission) -> Self {
        let result = &run.result;
        let tests = if result.test_results.is_empty() {
            None
        } else {
            Some(TestTally {
                passed: result.test_results.iter().filter(|t| t.passed).count(),
                total: result.test_results.len(),
            })
        };
        let first_error = result
            .error
            .as_ref()
            .map(|e| e.message.clone())
            .or_else(|| {
                result
                    .test_results
                    .iter()
                    .find_map(|t| t.error.as_ref().map(|e| e.message.clone()))
            })
            .map(|e| e.chars().take(200).collect());
        let quality = result
            .quality_metrics
            .as_ref()
            .map(|m| QualityMetrics {
                lines_of_code: Some(f64::from(m.lines_of_code)),
                cyclomatic_complexity: Some(f64::from(m.cyclomatic_complexity)),
                comment_ratio: Some(m.comment_ratio).filter(|r| (0.0..=1.0).contains(r)),
                quality_score: Some(m.quality_score).filter(|q| (0.0..=10.0).contains(q)),
            })
            .unwrap_or_default();
        Self {
            submission_id: Some(run.submission_id.to_string()),
            function_name: Some(result.function_name.clone()),
            language: Some(result.language.to_string()),
            code_lines: Some(run.code.lines().filter(|l| !l.trim().is_empty()).count()),
            code: Some(run.code.clone()),
            tests,
            first_error,
            quality,
            timestamp: Some(run.timestamp),
            problem_id: run.problem_id.clone(),
            graded: run.mode == crate::domain::RunMode::Graded,
            passes: result.test_results.iter().map(|t| t.passed).collect(),
        }
    }
}

impl CodeSubmission {
    /// Reads one code-executor result tolerantly: wrong or missing fields become `None`; a value that is not an
    /// object is no submission at all.
    pub fn from_json(value: &Value) -> Option<Self> {
        let obj = value.as_object()?;
        let text = |k: &str| obj.get(k).and_then(Value::as_str).map(str::to_owned);
        let results = obj.get("testResults").and_then(Value::as_array);
        let tests = match results {
            Some(results) if !results.is_empty() => Some(TestTally {
                passed: results
                    .iter()
                    .filter(|r| r.get("passed").and_then(Value::as_bool) == Some(true))
                    .count(),
                total: results.len(),
            }),
            _ => obj
                .get("allTestsPassed")
                .and_then(Value::as_bool)
                .map(|all| TestTally {
                    passed: usize::from(all),
                    total: 1,
                }),
        };
        let first_error = obj
            .get("error")
            .and_then(error_text)
            .or_else(|| {
                results?
                    .iter()
                    .find_map(|r| r.get("error").and_then(error_text))
            })
            .map(|e| e.chars().take(200).collect());
        let metrics = obj.get("qualityMetrics").and_then(Value::as_object);
        let metric = |k: &str, max: f64| {
            metrics
                .and_then(|m| m.get(k))
                .and_then(number)
                .filter(|v| v.is_finite() && (0.0..=max).contains(v))
        };
        Some(Self {
            submission_id: text("submissionId").or_else(|| text("submission_id")),
            function_name: text("functionName").or_else(|| text("function_name")),
            language: text("language"),
            code_lines: obj
                .get("code")
                .and_then(Value::as_str)
                .map(|code| code.lines().filter(|l| !l.trim().is_empty()).count()),
            code: text("code"),
            tests,
            first_error,
            quality: QualityMetrics {
                lines_of_code: metric("linesOfCode", 1e7),
                cyclomatic_complexity: metric("cyclomaticComplexity", 1e6),
                comment_ratio: metric("commentRatio", 1.0),
                quality_score: metric("qualityScore", 10.0),
            },
            timestamp: obj.get("timestamp").and_then(time),
            problem_id: text("problemId"),
            graded: text("mode").as_deref() == Some("graded"),
            passes: results
                .map(|rs| {
                    rs.iter()
                        .map(|r| r.get("passed").and_then(Value::as_bool) == Some(true))
                        .collect()
                })
                .unwrap_or_default(),
        })
    }
}

fn error_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Object(o) => o.get("message").and_then(error_text),
        _ => None,
    }
}

/// The camelCase field, or its snake_case spelling.
fn field<'a>(args: &'a Map<String, Value>, camel: &str, snake: &str) -> Option<&'a Value> {
    args.get(camel).or_else(|| args.get(snake))
}

/// An array field, also when an agent sent it as JSON text; absent or null is empty.
fn array(args: &Map<String, Value>, camel: &str, snake: &str) -> Result<Vec<Value>, ToolError> {
    match field(args, camel, snake) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => Ok(items.clone()),
        Some(Value::String(text)) if text.trim().is_empty() => Ok(Vec::new()),
        Some(Value::String(text)) => match serde_json::from_str::<Value>(text) {
            Ok(Value::Array(items)) => Ok(items),
            _ => Err(ToolError::invalid_input(format!(
                "{camel} must be an array (or an array as JSON text)"
            ))),
        },
        Some(_) => Err(ToolError::invalid_input(format!(
            "{camel} must be an array"
        ))),
    }
}

/// A number, or a string holding one (agents send every parameter as text).
fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
}

/// A timestamp as RFC 3339 / ISO text, or as Unix seconds (milliseconds when it is too large to be seconds).
fn time(value: &Value) -> Option<DateTime<Utc>> {
    match value {
        Value::String(s) => timestamp::parse(s.trim()),
        Value::Number(n) => {
            let n = n.as_f64()?;
            let millis = if n.abs() > 1e11 { n } else { n * 1000.0 };
            if !millis.is_finite() || millis.abs() > 1e15 {
                return None;
            }
            Utc.timestamp_millis_opt(millis as i64).single()
        }
        _ => None,
    }
}

fn message(index: usize, value: &Value) -> Result<Message, ToolError> {
    let at = |what: &str| format!("conversationHistory[{index}]{what}");
    let Some(obj) = value.as_object() else {
        return Err(ToolError::invalid_input(format!(
            "{} must be an object with role and content",
            at("")
        )));
    };
    let speaker = match obj
        .get("role")
        .and_then(Value::as_str)
        .map(|r| r.trim().to_lowercase())
    {
        Some(role) => match role.as_str() {
            "user" | "candidate" | "human" => Speaker::Candidate,
            "assistant" | "interviewer" | "agent" | "ai" | "bot" => Speaker::Interviewer,
            "system" | "tool" => Speaker::System,
            other => {
                return Err(ToolError::invalid_input(format!(
                    "{} is {other:?}; use user (the candidate), assistant (the interviewer) or system",
                    at(".role")
                )));
            }
        },
        None => {
            return Err(ToolError::invalid_input(format!(
                "{} is missing; use user (the candidate), assistant (the interviewer) or system",
                at(".role")
            )));
        }
    };
    let text = match obj.get("content").or_else(|| obj.get("text")) {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        // Content blocks (`[{"type": "text", "text": "…"}]`), as some agent frameworks send them.
        Some(Value::Array(parts)) => parts
            .iter()
            .filter_map(|p| p.get("text").and_then(Value::as_str).or_else(|| p.as_str()))
            .collect::<Vec<_>>()
            .join(" "),
        Some(other) => {
            return Err(ToolError::invalid_input(format!(
                "{} must be text, got {other}",
                at(".content")
            )));
        }
    };
    let timestamp = match obj.get("timestamp") {
        None | Some(Value::Null) => None,
        Some(raw) => Some(time(raw).ok_or_else(|| {
            ToolError::invalid_input(format!(
                "{} must be an ISO 8601 / RFC 3339 time or Unix seconds, got {raw}",
                at(".timestamp")
            ))
        })?),
    };
    let kind = obj
        .get("replyKind")
        .or_else(|| obj.get("reply_kind"))
        .and_then(|k| serde_json::from_value(k.clone()).ok());
    Ok(Message {
        speaker,
        text,
        timestamp,
        delivery: Delivery::from_fields(obj),
        kind,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn minimal() -> Value {
        json!({"interviewType": "Coding", "duration": 60, "conversationHistory": []})
    }

    #[test]
    fn text_is_an_alias_of_content_and_metrics_are_read() {
        let input = EvaluationInput::from_json(&json!({
            "interviewType": "google sde",
            "duration": "1800",
            "conversationHistory": [
                {"role": "assistant", "content": "Q?", "timestamp": "2026-01-01T10:00:00Z"},
                {"role": "user", "text": "A.", "timestamp": "2026-01-01T10:00:05Z", "wpm": 140, "fillerCount": 2},
                {"role": "user", "content": "B.", "filler_count": 1}
            ]
        }))
        .unwrap();
        assert_eq!(input.interview_type, InterviewType::GoogleSde);
        assert_eq!(input.duration.unwrap().seconds(), 1800.0);
        assert_eq!(input.conversation[1].text, "A.");
        assert_eq!(input.conversation[1].delivery.wpm, Some(140.0));
        assert_eq!(input.conversation[1].delivery.filler_count, Some(2));
        assert_eq!(input.conversation[2].delivery.filler_count, Some(1));
        assert_eq!(input.conversation[0].speaker, Speaker::Interviewer);
    }

    #[test]
    fn arrays_sent_as_json_text_are_read() {
        let input = EvaluationInput::from_json(&json!({
            "interviewType": "Coding",
            "duration": 10,
            "conversationHistory": "[{\"role\": \"user\", \"content\": \"hi\"}]",
            "codeSubmissions": "[{\"testResults\": [{\"passed\": true}, {\"passed\": false}]}]"
        }))
        .unwrap();
        assert_eq!(input.conversation.len(), 1);
        assert_eq!(
            input.code_submissions[0].tests,
            Some(TestTally {
                passed: 1,
                total: 2
            })
        );
    }

    #[test]
    fn bad_values_are_refused_with_a_reason() {
        let cases = [
            (
                json!({"interviewType": "Netflix SDE", "duration": 1}),
                "Google SDE",
            ),
            (json!({"duration": 1}), "interviewType is required"),
            (
                json!({"interviewType": "Coding", "duration": -5}),
                "non-negative",
            ),
            (
                json!({"interviewType": "Coding", "duration": "NaN"}),
                "non-negative",
            ),
            (
                json!({"interviewType": "Coding", "duration": "soon"}),
                "number of seconds",
            ),
            (
                json!({"interviewType": "Coding", "conversationHistory": [{"role": "judge", "content": "x"}]}),
                "conversationHistory[0].role",
            ),
            (
                json!({"interviewType": "Coding", "conversationHistory": [{"role": "user", "content": "x", "timestamp": "noon"}]}),
                "conversationHistory[0].timestamp",
            ),
            (
                json!({"interviewType": "Coding", "conversationHistory": {"a": 1}}),
                "must be an array",
            ),
            (json!([1, 2]), "JSON object"),
        ];
        for (input, expected) in cases {
            let err = EvaluationInput::from_json(&input).unwrap_err();
            assert!(err.message.contains(expected), "{input}: {}", err.message);
            assert_eq!(err.code, "invalid_input");
        }
    }

    #[test]
    fn duration_is_optional_and_submissions_are_tolerant() {
        let mut args = minimal();
        args["duration"] = Value::Null;
        args["codeSubmissions"] = json!([
            "not a submission",
            {"submissionId": "s1", "code": "def f():\n\n    return 1\n", "qualityMetrics": {"qualityScore": "7.5", "commentRatio": 4}},
            {"allTestsPassed": false, "error": {"message": "SyntaxError"}}
        ]);
        let input = EvaluationInput::from_json(&args).unwrap();
        assert!(input.duration.is_none());
        assert_eq!(input.code_submissions.len(), 2);
        let first = &input.code_submissions[0];
        assert_eq!(first.code_lines, Some(2));
        assert_eq!(first.quality.quality_score, Some(7.5));
        assert_eq!(first.quality.comment_ratio, None);
        let second = &input.code_submissions[1];
        assert_eq!(
            second.tests,
            Some(TestTally {
                passed: 0,
                total: 1
            })
        );
        assert_eq!(second.first_error.as_deref(), Some("SyntaxError"));
    }
}
