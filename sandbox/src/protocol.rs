//! What the parent and the worker process say to each other: the request on the worker's stdin, and result frames
//! on a dedicated pipe (fd 3) that candidate code has no way to reach — neither embedded interpreter can open or
//! write a file descriptor, and what the code prints goes to an in-memory capture, not to a descriptor at all.
//!
//! Frames are JSON lines, each carrying the run's nonce, so even bytes that somehow reached the pipe could not pass
//! for a frame of this run.

use prepai::tools::code_executor::{Language, QualityMetrics, TestError, Verdict};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The file descriptor results travel on, in the worker.
pub(crate) const RESULT_FD: i32 = 3;

/// The argument that turns the running binary into a worker.
pub(crate) const WORKER_FLAG: &str = "--prepai-sandbox-worker";

/// One test as the worker needs it: the call's input, never the expectation (the comparison happens in the
/// parent).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct WorkerTest {
    pub input: Value,
    #[serde(default)]
    pub args: Option<Vec<Value>>,
}

/// The worker's whole input, read from stdin before any candidate code exists in the process.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct WorkerRequest {
    pub nonce: String,
    pub language: Language,
    pub code: String,
    pub function_name: String,
    pub tests: Vec<WorkerTest>,
    /// The wall-clock budget, which the JavaScript engine's interrupt handler enforces from inside as well.
    pub timeout_ms: u64,
    /// What all tests together may print.
    pub output_limit_bytes: usize,
    /// The largest JSON a single result may be.
    pub result_limit_bytes: usize,
    /// QuickJS's own heap limit, below the process's address-space limit so it fails gracefully first.
    pub js_memory_limit_bytes: usize,
    /// QuickJS's stack limit, below the process's stack limit.
    pub js_stack_limit_bytes: usize,
}

/// A frame with the run's nonce.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Frame {
    pub nonce: String,
    #[serde(flatten)]
    pub body: FrameBody,
}

/// The events of a run, in the order the worker sends them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "frame", rename_all = "snake_case")]
pub(crate) enum FrameBody {
    /// The code was parsed (before anything ran): its metrics, or why it does not parse, and whether it binds
    /// the function at top level.
    Parsed {
        quality: Option<QualityMetrics>,
        compile_error: Option<TestError>,
        function_defined: bool,
    },
    /// The system-call filter is in place (`refused` is `None`), or why the platform refused it; sent before the
    /// candidate's code is loaded.
    SyscallFilter { refused: Option<String> },
    /// The code's top level raised, or the name is not callable.
    LoadError { error: TestError },
    /// Test `test` (0-based) is about to run.
    Started { test: usize },
    /// Test `test` ended.
    Finished {
        test: usize,
        actual: Option<Value>,
        error: Option<TestError>,
        stdout: String,
        seconds: f64,
    },
    /// A limit the worker noticed itself (output, a result too large, a memory error, the JavaScript deadline);
    /// the worker exits right after.
    Limit {
        verdict: Verdict,
        error: TestError,
        stdout: String,
    },
    /// Every test ran.
    Done,
}
