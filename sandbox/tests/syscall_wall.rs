//! The walls the worker raises around itself, observed from inside: the `prepai-sandbox-probe` worker starts like the
//! real one, raises the seccomp filter and then makes forbidden system calls directly — what an attacker who broke
//! out of the interpreter would do — and each must be refused or end the process. And code that only computes still
//! runs under the filter, even where the C library touches files on its own (time zones).

mod common;

use std::io::ErrorKind;
use std::net::TcpListener;
use std::os::fd::AsRawFd;

use prepai::tools::code_executor::{ExecutionRequest, ExecutionResult, Verdict};
use prepai_sandbox::worker::UNPRIVILEGED_ID;
use prepai_sandbox::worker::probe::{ATTEMPTS, PROBE_PREFIX};
use prepai_sandbox::{Sandbox, SandboxConfig};
use serde_json::{Value, json};

/// The probe worker Cargo built for these tests.
const PROBE: &str = env!("CARGO_BIN_EXE_prepai-sandbox-probe");

/// The Lambda Runtime API's port: the first thing an escape on Lambda would connect to.
const RUNTIME_API_PORT: u16 = 9001;

/// How an attempt must end.
#[derive(Debug)]
enum Expect {
    /// The call returns this answer ("EPERM", or "allowed" for the calls running code needs).
    Answer(&'static str),
    /// The kernel kills the worker at the call.
    Killed,
}

fn expectation(attempt: &str) -> Expect {
    match attempt {
        "open" | "signal-parent" | "write-other-fd" | "mmap-exec" | "mprotect-exec" => {
            Expect::Answer("EPERM")
        }
        "signal-self" | "write-stderr" => Expect::Answer("allowed"),
        "connect" | "execve" | "fork" | "thread" | "ptrace" => Expect::Killed,
        other => panic!("no expectation for the probe {other:?}"),
    }
}

async fn probe(name: &str) -> ExecutionResult {
    let input = json!({
        "code": format!("{PROBE_PREFIX}{name}"),
        "language": "python",
        "functionName": "probe",
        "testCases": [{"input": 0, "expected": 0}],
    });
    let request = ExecutionRequest::parse(&input).expect("a valid probe request");
    Sandbox::new(SandboxConfig {
        worker_exe: Some(PROBE.into()),
        ..SandboxConfig::default()
    })
    .execute(request)
    .await
    .unwrap_or_else(|e| panic!("probe {name}: the sandbox failed: {e}"))
}

fn actual(result: &ExecutionResult) -> Value {
    result.test_results[0].actual.clone().unwrap_or_default()
}

fn describe(result: &ExecutionResult) -> String {
    serde_json::to_string(result).unwrap_or_default()
}

#[tokio::test]
async fn forbidden_system_calls_are_refused_or_end_the_worker() {
    // Something listening where the Runtime API would be, to see that no connection arrives.
    let listener = TcpListener::bind(("127.0.0.1", RUNTIME_API_PORT)).ok();
    let mut failures = Vec::new();
    for &name in ATTEMPTS {
        let result = probe(name).await;
        let seen = describe(&result);
        match expectation(name) {
            Expect::Answer(answer) => {
                let report = actual(&result);
                if report["filter"] != "installed" || report["outcome"] != answer {
                    failures.push(format!("{name}: expected {answer}, got {seen}"));
                }
            }
            Expect::Killed => {
                let error = result.test_results[0].error.as_ref();
                if result.verdict != Verdict::RuntimeError
                    || error.is_none_or(|e| e.kind != "SandboxViolation")
                {
                    failures.push(format!("{name}: expected the worker killed, got {seen}"));
                }
            }
        }
    }
    if let Some(listener) = listener {
        listener.set_nonblocking(true).unwrap();
        match listener.accept() {
            Err(e) if e.kind() == ErrorKind::WouldBlock => {}
            other => failures.push(format!(
                "a worker reached port {RUNTIME_API_PORT}: {other:?}"
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn workers_hold_only_their_pipes_and_no_privilege() {
    // A descriptor the host leaks into its children (not close-on-exec), as a careless library might.
    let leaked = std::fs::File::open("/dev/null").unwrap();
    // SAFETY: clears the close-on-exec flag of a descriptor this test owns.
    assert_eq!(
        unsafe { libc::fcntl(leaked.as_raw_fd(), libc::F_SETFD, 0) },
        0
    );

    let result = probe("facts").await;
    let facts = actual(&result);
    drop(leaked);
    assert_eq!(facts["fds"], json!([0, 1, 2, 3]), "{}", describe(&result));
    assert_eq!(facts["filter"], "installed", "{facts}");
    assert_eq!(facts["no_new_privs"], 1, "{facts}");
    // SAFETY: getuid/getgid have no preconditions.
    let (uid, gid) = unsafe { (libc::getuid(), libc::getgid()) };
    let (want_uid, want_gid) = if uid == 0 {
        (UNPRIVILEGED_ID, UNPRIVILEGED_ID)
    } else {
        (uid, gid)
    };
    for (field, want) in [
        ("uid", want_uid),
        ("euid", want_uid),
        ("gid", want_gid),
        ("egid", want_gid),
    ] {
        assert_eq!(facts[field], want, "{field}: {facts}");
    }
    if uid == 0 {
        assert_eq!(facts["supplementary_groups"], 0, "{facts}");
    }
}

#[tokio::test]
async fn the_probe_reports_what_the_filter_costs() {
    let result = probe("cost").await;
    let cost = actual(&result);
    assert_eq!(cost["filter"], "installed", "{}", describe(&result));
    for field in [
        "compile_us",
        "install_us",
        "getpid_ns_before",
        "getpid_ns_after",
    ] {
        assert!(
            cost[field].as_f64().is_some_and(|v| v > 0.0),
            "{field}: {cost}"
        );
    }
}

/// Code that only computes keeps working behind the filter, including where the C library or the interpreter reach
/// for the system on their own: local time (glibc opens `/etc/localtime`, now refused, and falls back to UTC),
/// randomness, sleeping, printing, big allocations.
#[tokio::test]
async fn ordinary_code_runs_behind_the_filter() {
    let python = "import time, datetime, random, json, re, collections, heapq, statistics, dataclasses\n\
        def f(x):\n    \
            time.sleep(0.01)\n    \
            random.seed(x)\n    \
            big = list(range(2_000_000))\n    \
            print(time.localtime().tm_year, datetime.datetime.now().year, time.strftime('%Y'))\n    \
            return [len(big), statistics.mean([1, 2, 3]), time.localtime().tm_year > 2000, \
                    datetime.datetime.now().year > 2000, 0 <= random.random() < 1]";
    let result = common::run(
        "python",
        python,
        "f",
        json!([{"input": 1, "expected": [2_000_000, 2, true, true, true]}]),
    )
    .await;
    assert_eq!(result.verdict, Verdict::Accepted, "{}", describe(&result));

    let javascript = "function f(x) {\n\
        const d = new Date();\n\
        console.log(d.toString(), d.getTimezoneOffset());\n\
        const big = new Array(1000000).fill(x);\n\
        return [big.length, d.getFullYear() > 2000, Date.now() > 0, Math.random() < 1, new Date(2020, 1, 1).getMonth()];\n\
    }";
    let result = common::run(
        "javascript",
        javascript,
        "f",
        json!([{"input": 1, "expected": [1_000_000, true, true, true, 1]}]),
    )
    .await;
    assert_eq!(result.verdict, Verdict::Accepted, "{}", describe(&result));
}
