//! The worker: the same executable re-run with [`WORKER_FLAG`], one process per submission. It reads its request
//! from stdin, parses the code, runs it in a fresh interpreter and reports frames on fd 3, then exits. The parent
//! set its limits before exec, so everything here already runs under them.
//!
//! The worker raises the rest of its walls itself, in this order: it closes every inherited descriptor besides its
//! pipes and, when started by root, becomes an unprivileged user (first thing, before reading anything); it installs
//! the seccomp filter once the interpreter is initialised, right before the candidate's code is loaded.
//!
//! Failure policy: when the worker cannot even speak its protocol (fd 3 missing, stdin unreadable) or cannot close
//! its descriptors or leave root, it exits with a distinctive status and the parent reports the run as failed; an
//! abort (a Rust allocation failure under the address-space limit, a stack overflow) is diagnosed by the parent
//! from the exit signal and stderr. A platform that refuses seccomp (Lambda) gets a run without the filter, reported
//! to the parent. Nothing in here can hurt the host.

mod capture;
mod identity;
mod inherited_fds;
mod javascript;
#[doc(hidden)]
pub mod probe;
mod python;
mod syscall_filter;

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::FromRawFd;

use prepai::tools::code_executor::{Language, TestError, Verdict};

use crate::metrics::{self, Analysis, Binding};
use crate::protocol::{Frame, FrameBody, RESULT_FD, WORKER_FLAG, WorkerRequest};

pub use identity::UNPRIVILEGED_ID;

/// The largest request a worker reads: 64 KiB of code plus 1 MiB of test data, with room for JSON escaping.
const MAX_REQUEST_BYTES: u64 = 4 * 1024 * 1024;

/// Exit status when the worker cannot read its request or has no result channel.
const EXIT_PROTOCOL: i32 = 70;
/// Exit status when the worker could not close its inherited descriptors or leave root.
const EXIT_UNCONFINED: i32 = 71;

/// Turns this process into a worker when it was started as one, and never returns in that case.
///
/// Call it first thing in `main` of every binary that runs the sandbox (the code-executor Lambda, the local
/// server, the `prepai-sandbox` tool) — before starting a tokio runtime or any thread: the worker runs under a
/// process limit that forbids new threads, its seccomp filter binds only the thread that installs it, and a worker
/// must not inherit anything the host set up.
pub fn run_if_requested() {
    if !started_as_worker() {
        return;
    }
    std::process::exit(match start() {
        Ok(request) => {
            run(&request, LastWall::Install);
            0
        }
        Err(status) => status,
    });
}

fn started_as_worker() -> bool {
    std::env::args_os().nth(1).as_deref() == Some(std::ffi::OsStr::new(WORKER_FLAG))
}

/// Everything before the code is looked at: the first walls, the request, the reporter. `Err` is the exit status.
fn start() -> Result<WorkerRequest, i32> {
    if let Err(e) = inherited_fds::close_all_but_pipes() {
        eprintln!("prepai-sandbox worker: cannot close inherited descriptors: {e}");
        return Err(EXIT_UNCONFINED);
    }
    if let Err(e) = identity::leave_root() {
        eprintln!("prepai-sandbox worker: cannot leave root: {e}");
        return Err(EXIT_UNCONFINED);
    }
    // SAFETY: fd 3 is the result pipe the parent installed for this process; nothing else in the worker owns it,
    // and `fcntl` first checks that it is open.
    let results = unsafe {
        if libc::fcntl(RESULT_FD, libc::F_GETFD) == -1 {
            return Err(EXIT_PROTOCOL);
        }
        File::from_raw_fd(RESULT_FD)
    };
    let mut raw = String::new();
    if std::io::stdin()
        .take(MAX_REQUEST_BYTES)
        .read_to_string(&mut raw)
        .is_err()
    {
        return Err(EXIT_PROTOCOL);
    }
    let Ok(request) = serde_json::from_str::<WorkerRequest>(&raw) else {
        return Err(EXIT_PROTOCOL);
    };
    drop(raw);
    let reporter = Reporter {
        results,
        nonce: request.nonce.clone(),
    };
    capture::install(reporter, request.output_limit_bytes);
    Ok(request)
}

/// Parses the code, reports its metrics and, when it defines the function, runs the tests.
fn run(request: &WorkerRequest, wall: LastWall) {
    let analysis = match request.language {
        Language::Python => metrics::analyse_python(&request.code, &request.function_name),
        Language::JavaScript => metrics::analyse_javascript(&request.code, &request.function_name),
    };
    match analysis {
        Analysis::Invalid(error) => {
            send(FrameBody::Parsed {
                quality: None,
                compile_error: Some(error),
                function_defined: false,
            });
            return;
        }
        Analysis::Parsed { quality, binding } => {
            send(FrameBody::Parsed {
                quality: Some(quality),
                compile_error: None,
                function_defined: binding != Binding::Missing,
            });
            let method_of = match binding {
                Binding::Missing => return,
                Binding::TopLevel => None,
                Binding::Method { class } => Some(class),
            };
            match request.language {
                Language::Python => python::run(request, method_of.as_deref(), wall),
                Language::JavaScript => javascript::run(request, method_of.as_deref(), wall),
            }
        }
    }
    send(FrameBody::Done);
}

/// The system-call filter, which each language raises once its interpreter is initialised and before the
/// candidate's code is loaded: interpreter start-up may read what running code never may.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LastWall {
    Install,
    /// Only the tests' probe binary runs without it, as the benchmark's baseline.
    Skip,
}

impl LastWall {
    /// Installs the filter (unless skipped) and tells the parent whether it stands.
    pub(crate) fn raise(self) {
        if self == Self::Skip {
            return;
        }
        let refused = syscall_filter::compile_and_install()
            .err()
            .map(|e| e.to_string());
        send(FrameBody::SyscallFilter { refused });
    }
}

/// Writes frames to the result pipe.
pub(crate) struct Reporter {
    results: File,
    nonce: String,
}

impl Reporter {
    fn send(&mut self, body: FrameBody) {
        let frame = Frame {
            nonce: self.nonce.clone(),
            body,
        };
        let Ok(mut line) = serde_json::to_vec(&frame) else {
            std::process::exit(EXIT_PROTOCOL);
        };
        line.push(b'\n');
        if self.results.write_all(&line).is_err() {
            // The parent is gone or stopped listening: nobody wants the rest of this run.
            std::process::exit(EXIT_PROTOCOL);
        }
    }
}

/// Sends a frame through the worker's one reporter.
pub(crate) fn send(body: FrameBody) {
    capture::with_reporter(|reporter| reporter.send(body));
}

/// Runs interpreter work, turning a panic inside the interpreter (a bug in it, not in the candidate's code) into
/// an error for the test at hand instead of the end of the run.
pub(crate) fn guarded<T>(work: impl FnOnce() -> T) -> Result<T, TestError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).map_err(|payload| {
        let detail = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no detail".to_owned());
        TestError::new(
            "InterpreterError",
            format!("the interpreter failed internally: {detail}"),
            None,
        )
    })
}

/// Reports a limit the worker noticed itself and ends the process: the candidate's code cannot catch this.
pub(crate) fn stop_with_limit(verdict: Verdict, error: TestError) -> ! {
    let stdout = capture::take_current();
    send(FrameBody::Limit {
        verdict,
        error,
        stdout,
    });
    std::process::exit(0);
}
