//! The worker's seccomp-bpf wall: once the interpreter is initialised and before candidate code runs, the worker
//! allows itself only the system calls running code needs — memory, clocks, futexes, randomness, its own pipes,
//! signals to itself and exit.
//!
//! Two filters, because one action does not suit every forbidden call:
//! - an allow-list whose default is `EPERM`: the C library and the interpreters touch the system lazily (glibc's
//!   `localtime` opens `/etc/localtime`, a failed allocation path may ask for the stack limit), and valid code must
//!   see those fail politely and keep its verdict rather than die;
//! - a short list that kills the process: starting a program, creating a process or thread, opening a socket,
//!   reaching into another process, and the kernel interfaces exploits favour. No interpreter path makes these; only
//!   an escape does, and it gets no second try.
//!
//! Seccomp evaluates every installed filter and the strictest answer wins, so the two compose: a call on the second
//! list is fatal whatever the first says, anything else not on the allow-list fails with `EPERM`.
//!
//! `mmap` and `mprotect` are allowed only without `PROT_EXEC` (neither interpreter compiles to machine code), so
//! an escape cannot map code of its own either. The kernel keeps filters across `execve` and never lets a process
//! drop one, so nothing the code does afterwards loosens them.
//!
//! Installing a filter needs `PR_SET_NO_NEW_PRIVS` (or `CAP_SYS_ADMIN`); where the platform refuses either
//! (AWS Lambda's own seccomp policy does), [`install`] says why and the worker runs on behind its other walls.

use std::collections::BTreeMap;
use std::io;

use seccompiler::{
    BackendError, BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition,
    SeccompFilter, SeccompRule, TargetArch,
};

use crate::protocol::RESULT_FD;

/// Why the filter is not in place.
#[derive(Debug, thiserror::Error)]
pub enum FilterError {
    /// The filter could not be compiled (a bug in the rules, not the platform).
    #[error("the system-call filter does not compile: {0}")]
    Build(#[from] BackendError),
    /// The kernel refused `PR_SET_NO_NEW_PRIVS` (Lambda does).
    #[error("the kernel refused PR_SET_NO_NEW_PRIVS: {0}")]
    NoNewPrivs(io::Error),
    /// The kernel refused the filter itself.
    #[error("the kernel refused the seccomp filter: {0}")]
    Install(io::Error),
    /// No rules for this processor.
    #[error("no system-call filter for this architecture ({0})")]
    UnsupportedArch(&'static str),
}

#[cfg(target_arch = "x86_64")]
const ARCH: Option<TargetArch> = Some(TargetArch::x86_64);
#[cfg(target_arch = "aarch64")]
const ARCH: Option<TargetArch> = Some(TargetArch::aarch64);
#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
const ARCH: Option<TargetArch> = None;

/// The two compiled programs.
pub(crate) struct Programs {
    allow_list: BpfProgram,
    fatal_list: BpfProgram,
}

/// Compiles both filters for this process (`pid` is the only target signals may have).
pub(crate) fn compile(pid: libc::pid_t) -> Result<Programs, FilterError> {
    let arch = ARCH.ok_or(FilterError::UnsupportedArch(std::env::consts::ARCH))?;
    let allow_list = SeccompFilter::new(
        allowed(pid)?,
        SeccompAction::Errno(libc::EPERM as u32),
        SeccompAction::Allow,
        arch,
    )?;
    let fatal_list = SeccompFilter::new(
        fatal().into_iter().map(|nr| (nr, Vec::new())).collect(),
        SeccompAction::Allow,
        SeccompAction::KillProcess,
        arch,
    )?;
    Ok(Programs {
        allow_list: allow_list.try_into()?,
        fatal_list: fatal_list.try_into()?,
    })
}

/// Sets `PR_SET_NO_NEW_PRIVS` and installs both filters on every thread of the process (`SECCOMP_FILTER_FLAG_TSYNC`;
/// the worker has one thread, but a thread an interpreter might have started would otherwise escape the filter).
pub(crate) fn install(programs: &Programs) -> Result<(), FilterError> {
    // SAFETY: prctl(PR_SET_NO_NEW_PRIVS) only sets a flag of this process.
    if unsafe { libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) } != 0 {
        return Err(FilterError::NoNewPrivs(io::Error::last_os_error()));
    }
    // The fatal list first: once the allow-list is in, the `prctl` and `seccomp` calls that install a filter are
    // themselves refused.
    for program in [&programs.fatal_list, &programs.allow_list] {
        seccompiler::apply_filter_all_threads(program).map_err(|e| match e {
            seccompiler::Error::Prctl(e) => FilterError::NoNewPrivs(e),
            seccompiler::Error::Seccomp(e) => FilterError::Install(e),
            other => FilterError::Install(io::Error::other(other.to_string())),
        })?;
    }
    Ok(())
}

/// Compiles and installs the wall for the calling process.
pub(crate) fn compile_and_install() -> Result<(), FilterError> {
    // SAFETY: getpid has no preconditions.
    let pid = unsafe { libc::getpid() };
    install(&compile(pid)?)
}

type Rules = BTreeMap<i64, Vec<SeccompRule>>;

/// A condition on argument `index`; the values used here are all valid, so an error is a bug in the rules.
fn arg(index: u8, op: SeccompCmpOp, value: u64) -> Result<SeccompCondition, BackendError> {
    SeccompCondition::new(index, SeccompCmpArgLen::Dword, op, value)
}

/// One rule per value: argument `index` equals one of `values`.
fn one_of(index: u8, values: &[u64]) -> Result<Vec<SeccompRule>, BackendError> {
    values
        .iter()
        .map(|&value| SeccompRule::new(vec![arg(index, SeccompCmpOp::Eq, value)?]))
        .collect()
}

/// What running code may do. Everything else fails with `EPERM`.
fn allowed(pid: libc::pid_t) -> Result<Rules, BackendError> {
    let mut rules = Rules::new();
    let any = |rules: &mut Rules, nr: libc::c_long| {
        rules.insert(nr, Vec::new());
    };

    // Its own pipes: the request on stdin (already read, but harmless), diagnostics on stdout and stderr, frames on
    // the result pipe. Not any other descriptor, whatever an escape might open or guess.
    let outputs = [1, 2, RESULT_FD as u64];
    rules.insert(libc::SYS_read, one_of(0, &[0])?);
    rules.insert(libc::SYS_write, one_of(0, &outputs)?);
    rules.insert(libc::SYS_writev, one_of(0, &outputs)?);
    // Descriptor flags, asked by the standard library's debug checks when a file is dropped.
    rules.insert(
        libc::SYS_fcntl,
        one_of(1, &[libc::F_GETFD as u64, libc::F_GETFL as u64])?,
    );
    any(&mut rules, libc::SYS_close);

    // Memory, never executable.
    let no_exec = || -> Result<Vec<SeccompRule>, BackendError> {
        Ok(vec![SeccompRule::new(vec![arg(
            2,
            SeccompCmpOp::MaskedEq(libc::PROT_EXEC as u64),
            0,
        )?])?])
    };
    rules.insert(libc::SYS_mmap, no_exec()?);
    rules.insert(libc::SYS_mprotect, no_exec()?);
    for nr in [
        libc::SYS_brk,
        libc::SYS_munmap,
        libc::SYS_mremap,
        libc::SYS_madvise,
    ] {
        any(&mut rules, nr);
    }

    // Time (usually answered by the vDSO without a system call), sleeping, locks, randomness.
    for nr in [
        libc::SYS_clock_gettime,
        libc::SYS_clock_getres,
        libc::SYS_gettimeofday,
        libc::SYS_clock_nanosleep,
        libc::SYS_nanosleep,
        libc::SYS_futex,
        libc::SYS_sched_yield,
        libc::SYS_getrandom,
    ] {
        any(&mut rules, nr);
    }
    #[cfg(target_arch = "x86_64")]
    any(&mut rules, libc::SYS_time);

    // Signals, to itself only: `abort` (a Rust allocation failure, the stack-overflow handler) raises SIGABRT with
    // tgkill(getpid(), gettid(), ...), and the parent reads the verdict from that signal. The parent's kill at the
    // deadline comes from outside and is not subject to this process's filter.
    for nr in [
        libc::SYS_getpid,
        libc::SYS_gettid,
        libc::SYS_rt_sigaction,
        libc::SYS_rt_sigprocmask,
        libc::SYS_rt_sigreturn,
        libc::SYS_sigaltstack,
        libc::SYS_restart_syscall,
    ] {
        any(&mut rules, nr);
    }
    let own = u64::try_from(pid).unwrap_or(u64::MAX);
    for nr in [libc::SYS_kill, libc::SYS_tkill, libc::SYS_tgkill] {
        rules.insert(nr, one_of(0, &[own])?);
    }

    any(&mut rules, libc::SYS_exit);
    any(&mut rules, libc::SYS_exit_group);
    Ok(rules)
}

/// Calls only an escape makes: the process dies at the first one.
fn fatal() -> Vec<libc::c_long> {
    let everywhere = [
        // Running another program.
        libc::SYS_execve,
        libc::SYS_execveat,
        // New processes and threads.
        libc::SYS_clone,
        libc::SYS_clone3,
        // Other processes' memory.
        libc::SYS_ptrace,
        libc::SYS_process_vm_readv,
        libc::SYS_process_vm_writev,
        // The network (the Lambda Runtime API is a socket away).
        libc::SYS_socket,
        libc::SYS_socketpair,
        libc::SYS_connect,
        // Kernel interfaces exploits favour.
        libc::SYS_bpf,
        libc::SYS_userfaultfd,
        libc::SYS_io_uring_setup,
        libc::SYS_perf_event_open,
        libc::SYS_unshare,
        libc::SYS_setns,
        libc::SYS_keyctl,
        libc::SYS_add_key,
    ];
    // The older spellings only x86_64 has (aarch64 forks through clone).
    #[cfg(target_arch = "x86_64")]
    let legacy: &[libc::c_long] = &[libc::SYS_fork, libc::SYS_vfork];
    #[cfg(not(target_arch = "x86_64"))]
    let legacy: &[libc::c_long] = &[];
    [&everywhere[..], legacy].concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_filters_compile_for_this_architecture() {
        let programs = compile(4242).unwrap();
        assert!(!programs.allow_list.is_empty());
        assert!(!programs.fatal_list.is_empty());
    }

    #[test]
    fn no_call_is_both_allowed_and_fatal() {
        let allowed = allowed(1).unwrap();
        for nr in fatal() {
            assert!(
                !allowed.contains_key(&nr),
                "system call {nr} is on both lists"
            );
        }
    }
}
