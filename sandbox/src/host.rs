//! What a host process — the code-executor Lambda, the local server — does to itself so its workers cannot reach
//! into it.

use std::io;

/// Marks this process non-dumpable: no core dumps, `/proc/<pid>/` files owned by root, and no `ptrace` or
/// `/proc/<pid>/environ`/`mem` access by other processes of the same user. Workers of a non-root host run as that
/// same user, so one that escaped its interpreter could otherwise read the host's environment (the Lambda's
/// credentials and runtime API address, the local server's signing secret) or attach to it.
///
/// Lambda's seccomp policy refuses `prctl`, so there this returns the refusal and the zero-permission role and the
/// worker's own walls carry the weight; callers treat an error as a warning.
pub fn make_non_dumpable() -> io::Result<()> {
    // SAFETY: prctl(PR_SET_DUMPABLE) only changes a flag of this process.
    if unsafe { libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}
