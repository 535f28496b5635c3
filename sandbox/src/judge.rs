//! From what a worker run left behind (frames, exit status, stderr, rusage) to the report the shared verdict
//! rules judge. Everything that decides a verdict happens here, in the parent.

use prepai::tools::ToolError;
use prepai::tools::code_executor::{
    ExecutionRequest, ExecutionResult, SandboxReport, TestError, TestOutcome, Verdict,
};

use crate::SandboxError;
use crate::protocol::FrameBody;
use crate::spawn::{Ending, ProcessLimits, WorkerRun};

/// What Rust's allocator prints before aborting when an allocation fails (here: under `RLIMIT_AS`).
const ALLOCATION_FAILURE: &str = "memory allocation of";
/// What Rust's stack-overflow handler prints before aborting.
const STACK_OVERFLOW: &str = "has overflowed its stack";
/// The worker's exit status when it could not speak its protocol.
const EXIT_PROTOCOL: i32 = 70;
/// The worker's exit status when it could not close its inherited descriptors or leave root.
const EXIT_UNCONFINED: i32 = 71;

/// Judges one run of `request`.
pub(crate) fn judge(
    request: &ExecutionRequest,
    mut run: WorkerRun,
    limits: ProcessLimits,
    memory_limit_bytes: u64,
) -> Result<ExecutionResult, SandboxError> {
    let mut report = SandboxReport {
        wall_seconds: run.wall.as_secs_f64(),
        resources: run.usage,
        ..SandboxReport::default()
    };
    let mut done = false;
    let mut parsed = false;
    for frame in std::mem::take(&mut run.frames) {
        match frame {
            FrameBody::Parsed {
                quality,
                compile_error,
                function_defined,
            } => {
                parsed = true;
                report.quality_metrics = quality;
                if compile_error.is_some() {
                    report.compile_error = compile_error;
                } else if !function_defined {
                    return Err(SandboxError::Rejected(ToolError {
                        code: "missing_function",
                        message: format!(
                            "the code does not define `{}` at its top level; define the function the tests call \
                             (or fix functionName)",
                            request.function_name
                        ),
                    }));
                }
            }
            FrameBody::SyscallFilter { refused } => {
                if let Some(why) = refused {
                    warn_once_about_the_filter(&why);
                }
            }
            FrameBody::LoadError { error } if error.kind == "SyntaxError" => {
                report.compile_error = Some(error);
            }
            FrameBody::LoadError { error } => report.load_error = Some(error),
            FrameBody::Started { test } => report.tests_started = test + 1,
            FrameBody::Finished {
                test,
                actual,
                error,
                stdout,
                seconds,
            } if test == report.outcomes.len() => {
                report.outcomes.push(match (actual, error) {
                    (_, Some(error)) => TestOutcome::Raised {
                        error,
                        stdout,
                        seconds,
                    },
                    (actual, None) => TestOutcome::Returned {
                        actual: actual.unwrap_or_default(),
                        stdout,
                        seconds,
                    },
                });
            }
            FrameBody::Finished { .. } => {}
            FrameBody::Limit {
                verdict,
                error,
                stdout,
            } => {
                report.limit = Some((verdict, error));
                report.stopped_stdout = stdout;
            }
            FrameBody::Done => done = true,
        }
    }

    if run.tampered {
        // Only the worker's own code writes to the result channel; anything else there voids the run.
        report.outcomes.clear();
        report.limit = None;
        report.load_error = Some(TestError::new(
            "SandboxViolation",
            "the result channel carried data that was not the sandbox's",
            None,
        ));
        return Ok(ExecutionResult::assemble(request, report));
    }

    let settled = done
        || report.compile_error.is_some()
        || report.load_error.is_some()
        || report.limit.is_some();
    if !settled {
        if !parsed && matches!(run.ending, Ending::Exited(EXIT_PROTOCOL)) {
            return Err(SandboxError::Worker(format!(
                "the worker could not read its request: {}",
                run.diagnostics.trim()
            )));
        }
        if !parsed && matches!(run.ending, Ending::Exited(EXIT_UNCONFINED)) {
            return Err(SandboxError::Worker(format!(
                "the worker could not confine itself: {}",
                run.diagnostics.trim()
            )));
        }
        explain_early_end(&mut report, &run, limits, memory_limit_bytes, request);
    }
    Ok(ExecutionResult::assemble(request, report))
}

/// The worker ended without saying why: work it out from how it ended.
fn explain_early_end(
    report: &mut SandboxReport,
    run: &WorkerRun,
    limits: ProcessLimits,
    memory_limit_bytes: u64,
    request: &ExecutionRequest,
) {
    let (diagnostics, ending, timed_out) = (run.diagnostics.as_str(), run.ending, run.timed_out);
    let cpu_exhausted = matches!(ending, Ending::Signaled(libc::SIGXCPU))
        || (matches!(ending, Ending::Signaled(libc::SIGKILL))
            && report.resources.cpu_time >= limits.cpu_seconds as f64);
    let crashed = matches!(
        ending,
        Ending::Signaled(libc::SIGABRT | libc::SIGSEGV | libc::SIGBUS)
    );
    let near_memory_limit =
        report.resources.peak_memory_bytes as f64 >= 0.9 * limits.address_space_bytes as f64;
    if timed_out {
        report.limit = Some((
            Verdict::TimeLimitExceeded,
            TestError::new(
                "TimeLimitExceeded",
                format!(
                    "the code ran longer than its {} s time limit",
                    request.timeout.as_secs_f64()
                ),
                None,
            ),
        ));
    } else if cpu_exhausted {
        report.limit = Some((
            Verdict::TimeLimitExceeded,
            TestError::new(
                "TimeLimitExceeded",
                format!(
                    "the code used more than {} s of CPU time",
                    limits.cpu_seconds
                ),
                None,
            ),
        ));
    } else if matches!(ending, Ending::Signaled(libc::SIGSYS)) {
        let error = TestError::new(
            "SandboxViolation",
            "the code made a system call the sandbox forbids (a new process, a program, a socket or another \
             process's memory), and the run was stopped",
            None,
        );
        attribute(report, error);
    } else if diagnostics.contains(ALLOCATION_FAILURE) || (crashed && near_memory_limit) {
        report.limit = Some((
            Verdict::MemoryLimitExceeded,
            TestError::new(
                "MemoryError",
                format!(
                    "the code used more than its {} MiB memory limit",
                    memory_limit_bytes / (1024 * 1024)
                ),
                None,
            ),
        ));
    } else {
        let error = if diagnostics.contains(STACK_OVERFLOW) {
            TestError::new(
                "RecursionError",
                "the interpreter's stack overflowed (recursion or nesting too deep)",
                None,
            )
        } else {
            let how = match ending {
                Ending::Exited(code) => format!("exit status {code}"),
                Ending::Signaled(signal) => format!("signal {signal}"),
            };
            let detail = last_words(diagnostics)
                .map(|line| format!(": {line}"))
                .unwrap_or_default();
            TestError::new(
                "Crash",
                format!("the interpreter stopped unexpectedly ({how}){detail}"),
                None,
            )
        };
        attribute(report, error);
    }
}

/// Charges an error to the test that was running, or to loading the code when none was.
fn attribute(report: &mut SandboxReport, error: TestError) {
    if report.tests_started > report.outcomes.len() {
        report.outcomes.push(TestOutcome::Raised {
            error,
            stdout: String::new(),
            seconds: 0.0,
        });
    } else {
        report.load_error = Some(error);
    }
}

/// Says once per host process that workers run without the system-call filter (expected on Lambda, whose own
/// seccomp policy refuses nested filters), so the missing wall is visible in the logs without flooding them.
fn warn_once_about_the_filter(why: &str) {
    static WARNED: std::sync::Once = std::sync::Once::new();
    WARNED.call_once(|| {
        tracing::warn!(
            reason = why,
            "sandbox workers run without their seccomp filter; the other walls stand"
        );
    });
}

/// The worker's last meaningful line on stderr (a panic message, say), shortened.
fn last_words(diagnostics: &str) -> Option<String> {
    diagnostics
        .lines()
        .map(str::trim)
        .rfind(|line| !line.is_empty() && !line.starts_with("note:"))
        .map(|line| line.chars().take(300).collect())
}
