//! A worker for tests and benches only, run as the `prepai-sandbox-probe` binary: it starts exactly like the real
//! worker (descriptors closed, root left, request read), and then
//! - for code `#probe NAME`, raises the system-call filter and makes the system call NAME names directly — the
//!   things an escaped interpreter would try — reporting what the kernel answered as the first test's result
//!   (`facts` reports the process's identity and descriptors before the filter instead, `cost` what the filter
//!   costs);
//! - for any other code, runs the submission like the real worker but without the system-call filter: the
//!   benchmark's baseline.
//!
//! A forbidden call on the fatal list never returns: the kernel kills the probe, and the parent reports it.

use std::ffi::CStr;
use std::hint::black_box;
use std::time::{Duration, Instant};

use prepai::tools::code_executor::TestError;
use serde_json::{Value, json};

use super::{LastWall, inherited_fds, send, syscall_filter};
use crate::protocol::FrameBody;

/// What marks a submission as a probe.
pub const PROBE_PREFIX: &str = "#probe ";

/// The probes that try a forbidden (or, for contrast, an allowed) system call.
pub const ATTEMPTS: &[&str] = &[
    "open",
    "connect",
    "execve",
    "fork",
    "thread",
    "ptrace",
    "signal-parent",
    "signal-self",
    "write-other-fd",
    "write-stderr",
    "mmap-exec",
    "mprotect-exec",
];

/// Turns this process into the probe worker when it was started as a worker, and never returns in that case.
pub fn run_if_requested() {
    if !super::started_as_worker() {
        return;
    }
    std::process::exit(match super::start() {
        Ok(request) => {
            match request.code.strip_prefix(PROBE_PREFIX) {
                Some(name) => probe(name.trim()),
                None => super::run(&request, LastWall::Skip),
            }
            0
        }
        Err(status) => status,
    });
}

fn probe(name: &str) {
    send(FrameBody::Parsed {
        quality: None,
        compile_error: None,
        function_defined: true,
    });
    send(FrameBody::Started { test: 0 });
    let (actual, error) = match name {
        "facts" => (Some(facts()), None),
        "cost" => (Some(cost()), None),
        name if ATTEMPTS.contains(&name) => {
            let filter = install();
            (
                Some(json!({"filter": filter, "outcome": attempt(name)})),
                None,
            )
        }
        other => (
            None,
            Some(TestError::new(
                "UnknownProbe",
                format!("no probe named {other:?}"),
                None,
            )),
        ),
    };
    send(FrameBody::Finished {
        test: 0,
        actual,
        error,
        stdout: String::new(),
        seconds: 0.0,
    });
    send(FrameBody::Done);
}

/// Installs the filter; "installed", or why not.
fn install() -> String {
    match syscall_filter::compile_and_install() {
        Ok(()) => "installed".to_owned(),
        Err(e) => e.to_string(),
    }
}

/// Who the worker is and what it holds once its first walls are up, then whether the filter went up too.
fn facts() -> Value {
    let fds = inherited_fds::list().map_err(|e| e.to_string());
    // SAFETY: the get*id calls have no preconditions; getgroups with size 0 only counts.
    let (uid, euid, gid, egid, groups) = unsafe {
        (
            libc::getuid(),
            libc::geteuid(),
            libc::getgid(),
            libc::getegid(),
            libc::getgroups(0, std::ptr::null_mut()),
        )
    };
    // SAFETY: PR_GET_NO_NEW_PRIVS only reads a flag.
    let no_new_privs = unsafe { libc::prctl(libc::PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) };
    let filter = install();
    json!({
        "uid": uid, "euid": euid, "gid": gid, "egid": egid, "supplementary_groups": groups,
        "fds": fds.unwrap_or_default(), "filter": filter, "no_new_privs": no_new_privs,
    })
}

/// What the filter costs: compiling and installing it, and what it adds to an allowed system call.
fn cost() -> Value {
    const CALLS: u32 = 200_000;
    let before = per_call(CALLS);
    let started = Instant::now();
    // SAFETY: getpid has no preconditions.
    let compiled = syscall_filter::compile(unsafe { libc::getpid() });
    let compile_time = started.elapsed();
    let filter = match compiled {
        Ok(programs) => match syscall_filter::install(&programs) {
            Ok(()) => "installed".to_owned(),
            Err(e) => e.to_string(),
        },
        Err(e) => e.to_string(),
    };
    let install_time = started.elapsed() - compile_time;
    let after = per_call(CALLS);
    let micros = |d: Duration| d.as_secs_f64() * 1e6;
    let nanos = |d: Duration| d.as_secs_f64() * 1e9;
    json!({
        "filter": filter,
        "compile_us": micros(compile_time),
        "install_us": micros(install_time),
        "getpid_ns_before": nanos(before),
        "getpid_ns_after": nanos(after),
    })
}

/// The mean time of one `getpid` system call over `calls` calls.
fn per_call(calls: u32) -> Duration {
    let started = Instant::now();
    for _ in 0..calls {
        // SAFETY: getpid has no preconditions; the raw call bypasses any caching in the C library.
        black_box(unsafe { libc::syscall(libc::SYS_getpid) });
    }
    started.elapsed() / calls
}

/// Makes the system call `name` names and says how the kernel answered: "allowed", or the error's name.
fn attempt(name: &str) -> String {
    // SAFETY: each call gets valid arguments (static C strings, null-terminated arrays, a sockaddr_in of the size
    // given); a call that succeeds where it should not is reported, and the few that change the process (a fork's
    // child, a mapping) are undone at once.
    unsafe {
        match name {
            "open" => answer(libc::open(c"/etc/passwd".as_ptr(), libc::O_RDONLY).into()),
            "connect" => {
                let fd = libc::socket(libc::AF_INET, libc::SOCK_STREAM, 0);
                if fd < 0 {
                    return answer(fd.into());
                }
                let address = libc::sockaddr_in {
                    sin_family: libc::AF_INET as libc::sa_family_t,
                    sin_port: 9001_u16.to_be(),
                    sin_addr: libc::in_addr {
                        s_addr: u32::from_be_bytes([127, 0, 0, 1]).to_be(),
                    },
                    sin_zero: [0; 8],
                };
                let size = std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t;
                let connected =
                    libc::connect(fd, (&raw const address).cast::<libc::sockaddr>(), size);
                format!("socket allowed; connect {}", answer(connected.into()))
            }
            "execve" => {
                let program: &CStr = c"/bin/sh";
                let argv = [
                    program.as_ptr(),
                    c"-c".as_ptr(),
                    c"exit 0".as_ptr(),
                    std::ptr::null(),
                ];
                let envp = [std::ptr::null()];
                answer(libc::execve(program.as_ptr(), argv.as_ptr(), envp.as_ptr()).into())
            }
            "fork" => {
                let pid = libc::fork();
                if pid == 0 {
                    libc::_exit(0);
                }
                answer(pid.into())
            }
            "thread" => match std::thread::Builder::new().spawn(|| ()) {
                Ok(handle) => {
                    let _ = handle.join();
                    "allowed".to_owned()
                }
                Err(e) => format!("refused: {e}"),
            },
            "ptrace" => answer(libc::ptrace(libc::PTRACE_ATTACH, libc::getppid(), 0, 0)),
            "signal-parent" => answer(libc::kill(libc::getppid(), 0).into()),
            "signal-self" => answer(libc::kill(libc::getpid(), 0).into()),
            "write-other-fd" => answer(libc::write(7, c"x".as_ptr().cast(), 1) as libc::c_long),
            "write-stderr" => answer(libc::write(2, c"".as_ptr().cast(), 0) as libc::c_long),
            "mmap-exec" => {
                let mapped = libc::mmap(
                    std::ptr::null_mut(),
                    4096,
                    libc::PROT_READ | libc::PROT_EXEC,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                    -1,
                    0,
                );
                if mapped == libc::MAP_FAILED {
                    return answer(-1);
                }
                libc::munmap(mapped, 4096);
                "allowed".to_owned()
            }
            "mprotect-exec" => {
                let mapped = libc::mmap(
                    std::ptr::null_mut(),
                    4096,
                    libc::PROT_READ,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                    -1,
                    0,
                );
                if mapped == libc::MAP_FAILED {
                    return format!("mmap {}", answer(-1));
                }
                let changed = libc::mprotect(mapped, 4096, libc::PROT_READ | libc::PROT_EXEC);
                let outcome = answer(changed.into());
                libc::munmap(mapped, 4096);
                outcome
            }
            other => format!("no such attempt: {other}"),
        }
    }
}

/// "allowed" for a non-negative return value, else the name of `errno`.
fn answer(returned: libc::c_long) -> String {
    if returned >= 0 {
        return "allowed".to_owned();
    }
    match std::io::Error::last_os_error().raw_os_error() {
        Some(libc::EPERM) => "EPERM".to_owned(),
        Some(libc::EACCES) => "EACCES".to_owned(),
        Some(libc::EAGAIN) => "EAGAIN".to_owned(),
        Some(libc::EBADF) => "EBADF".to_owned(),
        Some(libc::ECONNREFUSED) => "ECONNREFUSED".to_owned(),
        Some(libc::ENOENT) => "ENOENT".to_owned(),
        Some(n) => format!("errno {n}"),
        None => "failed".to_owned(),
    }
}
