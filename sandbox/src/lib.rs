//! The code sandbox: candidate Python and JavaScript run in embedded interpreters (RustPython, QuickJS), one fresh
//! worker process per submission.
//!
//! The worker is the running executable itself, re-run with a flag ([`worker::run_if_requested`] must be the
//! first call in `main`), with an empty environment, `/` as its directory, its own process group and these
//! limits set between fork and exec: CPU time, address space, stack, file size 0, few open files, no new
//! processes, no core dumps. The worker then closes every inherited descriptor besides its pipes, leaves root
//! (a root host's workers run as 65534) and, once its interpreter is initialised, installs a seccomp-bpf allow-list
//! before the candidate's code is loaded. The parent feeds it the request on stdin, reads result frames on a
//! dedicated pipe (fd 3), kills the group at the wall-clock deadline and reads peak memory and CPU time from
//! `wait4`. Test results are compared with their expectations here, in the parent, as JSON.
//!
//! What the code can do inside is bounded first by the languages: RustPython is built without `host_env` (no
//! `os`, `socket`, `subprocess`, file `open`, `ctypes`), and QuickJS has no I/O API at all. The process walls stand
//! behind them for an escape from either interpreter. See the repository README's "Code execution" section for what
//! each wall stops and which hold on Lambda.

mod convert;
pub mod host;
mod judge;
mod metrics;
mod protocol;
mod spawn;
pub mod worker;

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use async_trait::async_trait;
use prepai::ports::{CodeRunner, CodeRunnerError};
use prepai::tools::ToolError;
use prepai::tools::code_executor::{ExecutionRequest, ExecutionResult};
use serde_json::Value;
use tokio::sync::Semaphore;

use crate::protocol::{WorkerRequest, WorkerTest};
use crate::spawn::ProcessLimits;

/// The memory a submission may use by default.
pub const DEFAULT_MEMORY_LIMIT_BYTES: u64 = 256 * 1024 * 1024;
/// What a submission may print by default (all tests together).
pub const DEFAULT_OUTPUT_LIMIT_BYTES: usize = 64 * 1024;
/// The largest JSON one test's result may be.
pub const DEFAULT_RESULT_LIMIT_BYTES: usize = 1024 * 1024;

/// Address space the worker needs besides the candidate's data: the executable's mappings and the interpreter's
/// own heap (a worker idles at about 45 MiB of address space).
const INTERPRETER_ADDRESS_SPACE: u64 = 64 * 1024 * 1024;
/// The worker's main-thread stack (RustPython's frames live on it; QuickJS stops at half of it).
const WORKER_STACK_BYTES: u64 = 64 * 1024 * 1024;
/// Open descriptors a worker may hold: stdio, the result pipe and what the dynamic loader briefly needs.
const WORKER_OPEN_FILES: u64 = 16;
/// Time for the worker to start its interpreter, on top of the submission's own wall-clock limit.
const STARTUP_ALLOWANCE: Duration = Duration::from_millis(750);

/// How the sandbox runs workers.
#[derive(Clone, Debug)]
pub struct SandboxConfig {
    /// The executable re-run as the worker; `None` means the running one (`std::env::current_exe`), whose `main`
    /// must call [`worker::run_if_requested`] first.
    pub worker_exe: Option<PathBuf>,
    /// Memory for the candidate's data and stack: the worker's address space is this plus what the interpreter
    /// itself needs.
    pub memory_limit_bytes: u64,
    /// What all tests of a submission may print together.
    pub output_limit_bytes: usize,
    /// The largest JSON one test's return value may become.
    pub result_limit_bytes: usize,
    /// How many workers may run at once; more submissions wait their turn.
    pub max_concurrent_workers: usize,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            worker_exe: None,
            memory_limit_bytes: DEFAULT_MEMORY_LIMIT_BYTES,
            output_limit_bytes: DEFAULT_OUTPUT_LIMIT_BYTES,
            result_limit_bytes: DEFAULT_RESULT_LIMIT_BYTES,
            max_concurrent_workers: std::thread::available_parallelism().map_or(2, usize::from),
        }
    }
}

/// What a Lambda function's memory must keep besides the worker: the host process and the runtime.
const HOST_RESERVE_BYTES: u64 = 64 * 1024 * 1024;

impl SandboxConfig {
    /// The default limits, with the memory limit lowered when the function's memory (Lambda's
    /// `AWS_LAMBDA_FUNCTION_MEMORY_SIZE`, in MiB) could not hold the host plus a worker at the full limit: a worker
    /// that outgrew the function would get the whole function killed, host included.
    pub fn for_function_memory(function_memory_mib: Option<u64>) -> Self {
        let mut config = Self::default();
        if let Some(mib) = function_memory_mib {
            let worker_room =
                (mib * 1024 * 1024).saturating_sub(HOST_RESERVE_BYTES + INTERPRETER_ADDRESS_SPACE);
            config.memory_limit_bytes = config
                .memory_limit_bytes
                .min(worker_room.max(MIN_MEMORY_LIMIT_BYTES));
        }
        config
    }
}

/// The least memory a submission gets, however small the function.
const MIN_MEMORY_LIMIT_BYTES: u64 = 64 * 1024 * 1024;

/// Why a submission could not be run at all (code that ran and failed is a normal [`ExecutionResult`]).
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// The request is wrong in a way only the parse could tell (the function is not defined).
    #[error("{0}")]
    Rejected(ToolError),
    /// The worker executable could not be found or started.
    #[error("could not start the sandbox worker: {0}")]
    Spawn(#[from] std::io::Error),
    /// The worker broke its protocol (not the candidate's doing).
    #[error("the sandbox worker failed: {0}")]
    Worker(String),
}

impl SandboxError {
    /// The refusal in the tool's terms.
    pub fn into_tool_error(self) -> ToolError {
        match self {
            Self::Rejected(e) => e,
            other => ToolError {
                code: "sandbox_unavailable",
                message: other.to_string(),
            },
        }
    }
}

/// Runs submissions in worker processes.
#[derive(Clone, Debug)]
pub struct Sandbox {
    config: SandboxConfig,
    slots: Arc<Semaphore>,
}

impl Sandbox {
    /// A sandbox with `config`; clones share its limit on concurrent workers.
    pub fn new(config: SandboxConfig) -> Self {
        let slots = Arc::new(Semaphore::new(config.max_concurrent_workers.max(1)));
        Self { config, slots }
    }

    /// A sandbox whose workers are `exe` (tests and benches point this at the `prepai-sandbox` binary).
    pub fn with_worker_exe(exe: impl Into<PathBuf>) -> Self {
        Self::new(SandboxConfig {
            worker_exe: Some(exe.into()),
            ..SandboxConfig::default()
        })
    }

    /// The limits this sandbox applies.
    pub fn config(&self) -> &SandboxConfig {
        &self.config
    }

    /// Runs one submission in a fresh worker and judges it.
    pub async fn execute(
        &self,
        request: ExecutionRequest,
    ) -> Result<ExecutionResult, SandboxError> {
        let _slot = self
            .slots
            .acquire()
            .await
            .map_err(|e| SandboxError::Worker(e.to_string()))?;
        let sandbox = self.clone();
        tokio::task::spawn_blocking(move || sandbox.execute_blocking(&request))
            .await
            .map_err(|e| SandboxError::Worker(format!("the sandbox task failed: {e}")))?
    }

    /// [`Sandbox::execute`] for callers without an async runtime (the debugging binary). Blocks the thread for
    /// up to the submission's time limit.
    pub fn execute_blocking(
        &self,
        request: &ExecutionRequest,
    ) -> Result<ExecutionResult, SandboxError> {
        let exe = match &self.config.worker_exe {
            Some(exe) => exe.clone(),
            None => std::env::current_exe()?,
        };
        let nonce = uuid::Uuid::new_v4().simple().to_string();
        let memory = self.config.memory_limit_bytes;
        let worker_request = WorkerRequest {
            nonce: nonce.clone(),
            language: request.language,
            code: request.code.clone(),
            function_name: request.function_name.clone(),
            tests: request
                .test_cases
                .iter()
                .map(|case| WorkerTest {
                    input: case.input.clone(),
                    args: case.args.clone(),
                })
                .collect(),
            timeout_ms: u64::try_from(request.timeout.as_millis()).unwrap_or(u64::MAX),
            output_limit_bytes: self.config.output_limit_bytes,
            result_limit_bytes: self.config.result_limit_bytes,
            js_memory_limit_bytes: usize::try_from(memory).unwrap_or(usize::MAX),
            js_stack_limit_bytes: usize::try_from(WORKER_STACK_BYTES / 2).unwrap_or(usize::MAX),
        };
        let body = serde_json::to_vec(&worker_request)
            .map_err(|e| SandboxError::Worker(format!("request did not serialise: {e}")))?;
        let wall = request.timeout + STARTUP_ALLOWANCE;
        let limits = ProcessLimits {
            wall,
            cpu_seconds: wall.as_secs() + 1,
            address_space_bytes: memory + INTERPRETER_ADDRESS_SPACE,
            stack_bytes: WORKER_STACK_BYTES,
            open_files: WORKER_OPEN_FILES,
        };
        let run = spawn::run_worker(&exe, &body, &nonce, limits)?;
        judge::judge(request, run, limits, memory)
    }

    /// The tool's whole job: parse the direct input, run it, answer with the output JSON.
    pub async fn run_tool(&self, input: Value) -> Result<Value, ToolError> {
        let request = ExecutionRequest::parse(&input)?;
        let result = self
            .execute(request)
            .await
            .map_err(SandboxError::into_tool_error)?;
        serde_json::to_value(result).map_err(|e| ToolError {
            code: "sandbox_unavailable",
            message: format!("the result did not serialise: {e}"),
        })
    }
}

/// The code-executor tool with the default sandbox (workers are the running executable): what the Lambda's
/// `main` serves.
///
/// On first use it also marks the host process non-dumpable ([`host::make_non_dumpable`]): workers run as the same
/// user, and a worker that escaped its interpreter could otherwise read the host's `/proc/<pid>/environ` (the
/// Lambda's credentials and runtime API address) or attach to it.
pub async fn execute(input: Value) -> Result<Value, ToolError> {
    static SANDBOX: OnceLock<Sandbox> = OnceLock::new();
    SANDBOX
        .get_or_init(|| {
            if let Err(e) = host::make_non_dumpable() {
                tracing::warn!(error = %e, "the code executor could not make itself non-dumpable");
            }
            let function_memory = std::env::var("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
                .ok()
                .and_then(|mib| mib.trim().parse().ok());
            Sandbox::new(SandboxConfig::for_function_memory(function_memory))
        })
        .run_tool(input)
        .await
}

/// The [`CodeRunner`] for the local server: the same sandbox, its workers children of the server.
#[derive(Clone, Debug)]
pub struct LocalCodeRunner {
    sandbox: Sandbox,
}

impl LocalCodeRunner {
    /// A runner over `sandbox` (tests pass one whose workers are the `prepai-sandbox` binary).
    pub fn new(sandbox: Sandbox) -> Self {
        Self { sandbox }
    }
}

impl Default for LocalCodeRunner {
    /// Workers are the running executable, whose `main` calls [`worker::run_if_requested`].
    fn default() -> Self {
        Self::new(Sandbox::new(SandboxConfig::default()))
    }
}

#[async_trait]
impl CodeRunner for LocalCodeRunner {
    async fn run(&self, request: &ExecutionRequest) -> Result<ExecutionResult, CodeRunnerError> {
        match self.sandbox.execute(request.clone()).await {
            Ok(result) => Ok(result),
            Err(SandboxError::Rejected(e)) => Err(CodeRunnerError::Rejected(e.message)),
            Err(other) => Err(CodeRunnerError::Unavailable(other.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_memory_limit_fits_the_function() {
        let mib = 1024 * 1024;
        assert_eq!(
            SandboxConfig::for_function_memory(None).memory_limit_bytes,
            DEFAULT_MEMORY_LIMIT_BYTES
        );
        assert_eq!(
            SandboxConfig::for_function_memory(Some(512)).memory_limit_bytes,
            256 * mib
        );
        assert_eq!(
            SandboxConfig::for_function_memory(Some(256)).memory_limit_bytes,
            128 * mib
        );
        assert_eq!(
            SandboxConfig::for_function_memory(Some(128)).memory_limit_bytes,
            MIN_MEMORY_LIMIT_BYTES
        );
    }
}
