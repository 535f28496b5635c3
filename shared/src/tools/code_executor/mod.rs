//! The code executor tool's contract, free of any interpreter (this crate is linked by every Lambda): the input
//! and its test-case semantics, the output and its verdict rules, the JSON comparison, quality metrics, and the
//! submission record stored on the session. The sandbox that runs the code is the `prepai-sandbox` crate.

mod compare;
mod quality;
mod request;
mod result;
mod submission;

pub use compare::{FLOAT_TOLERANCE, json_equal};
pub use quality::{LONG_LINE_CHARS, QualityMetrics, SourceMeasurements};
pub use request::{
    DEFAULT_TIMEOUT, ExecutionRequest, Language, MAX_CODE_BYTES, MAX_FUNCTION_NAME_CHARS,
    MAX_TEST_CASES, MAX_TEST_DATA_BYTES, MAX_TIMEOUT, TestCase, json_or_text,
};
pub use result::{
    ExecutionResult, MAX_STORED_OUTPUT_BYTES, ResourceUsage, SandboxReport, TestError, TestOutcome,
    TestResult, TruncatedOutput, Verdict,
};
pub use submission::{CodeSubmission, InvalidSubmissionId, QualitySummary, RunMode, SubmissionId};
