//! Leaving root: a worker started by a root host (the local server often is one) switches to an unprivileged user
//! before anything else, so `RLIMIT_NPROC` 0 binds (the kernel exempts root from it), root's files and processes are
//! out of reach, and every capability is gone.
//!
//! Done in the worker rather than between fork and exec so the executable need not be readable by that user (a
//! checkout under `/root` is not). Hosts that are not root — every Lambda function — keep their user: a process
//! cannot become another user without privilege.

use std::io;

/// The user and group a root host's workers run as: `nobody`/`nogroup` on Debian and Amazon Linux alike.
pub const UNPRIVILEGED_ID: u32 = 65534;

/// Switches to [`UNPRIVILEGED_ID`] if this process runs as root; returns whether it did. An error means the
/// process is still privileged and must not run candidate code.
pub(crate) fn leave_root() -> io::Result<bool> {
    // SAFETY: the get*id calls have no preconditions.
    let (uid, euid) = unsafe { (libc::getuid(), libc::geteuid()) };
    if uid != 0 && euid != 0 {
        return Ok(false);
    }
    // SAFETY: getppid has no preconditions.
    let parent = unsafe { libc::getppid() };
    let id = UNPRIVILEGED_ID;
    // SAFETY: plain credential calls on this single-threaded process; setgroups gets an empty list.
    unsafe {
        check(libc::setgroups(0, std::ptr::null()))?;
        check(libc::setresgid(id, id, id))?;
        check(libc::setresuid(id, id, id))?;
    }
    // SAFETY: as above; the pointers are valid for writes.
    let still_root = unsafe {
        let (mut r, mut e, mut s) = (0, 0, 0);
        check(libc::getresuid(&mut r, &mut e, &mut s))?;
        r == 0 || e == 0 || s == 0 || libc::setuid(0) == 0
    };
    if still_root {
        return Err(io::Error::other(
            "the process is still root after setresuid",
        ));
    }
    // Changing the user clears the parent-death signal set before exec; set it again, and give up if the host
    // already died in between (the worker would then have no one to answer to).
    // SAFETY: prctl(PR_SET_PDEATHSIG) only sets a flag of this process; getppid has no preconditions.
    unsafe {
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0);
        if libc::getppid() != parent {
            return Err(io::Error::other("the host exited while the worker started"));
        }
    }
    Ok(true)
}

fn check(status: libc::c_int) -> io::Result<()> {
    if status == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}
