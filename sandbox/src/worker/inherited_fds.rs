//! Closing every descriptor the worker inherited besides its pipes (stdin 0, stdout 1, stderr 2, results 3).
//!
//! The host opens its own files close-on-exec, but not everything a host inherits or a library opens is: a leaked
//! descriptor to a socket, a store file or the Lambda runtime's connection would be one `write` away from an
//! escaped interpreter. Closing happens first thing in the worker, while listing `/proc/self/fd` is still allowed
//! (the system-call filter later forbids opening anything).

use std::io;

/// The lowest descriptor that is not one of the worker's pipes.
const FIRST_UNEXPECTED_FD: libc::c_uint = 4;

/// Closes every descriptor from 4 up. `close_range` (Linux 5.9) does it in one call; where the kernel or the
/// platform refuses it, the descriptors listed in `/proc/self/fd` are closed one by one.
pub(crate) fn close_all_but_pipes() -> io::Result<()> {
    // SAFETY: closes descriptors no code in this process has opened: the worker has not opened anything yet, so
    // nothing owns them and nothing will use them again.
    let closed = unsafe {
        libc::syscall(
            libc::SYS_close_range,
            FIRST_UNEXPECTED_FD,
            libc::c_uint::MAX,
            0_u32,
        )
    };
    if closed == 0 {
        return Ok(());
    }
    close_listed()
}

/// Closes what `/proc/self/fd` lists from 4 up.
fn close_listed() -> io::Result<()> {
    let mut open = Vec::new();
    for entry in std::fs::read_dir("/proc/self/fd")? {
        let name = entry?.file_name();
        if let Some(fd) = name.to_str().and_then(|n| n.parse::<libc::c_int>().ok())
            && fd >= FIRST_UNEXPECTED_FD as libc::c_int
        {
            open.push(fd);
        }
    }
    // The listing's own descriptor is among them, already closed by now; closing it again fails harmlessly.
    for fd in open {
        // SAFETY: as in `close_all_but_pipes`: nothing in this process owns these descriptors.
        unsafe {
            libc::close(fd);
        }
    }
    Ok(())
}

/// The descriptors this process has open (what the tests' probe reports, before the filter).
pub(crate) fn list() -> io::Result<Vec<libc::c_int>> {
    let mut listed = Vec::new();
    for entry in std::fs::read_dir("/proc/self/fd")? {
        if let Some(fd) = entry?.file_name().to_str().and_then(|n| n.parse().ok()) {
            listed.push(fd);
        }
    }
    // The listing's own descriptor was closed when the listing ended; keep only what is still open.
    // SAFETY: F_GETFD only reads a descriptor's flags.
    listed.retain(|&fd| unsafe { libc::fcntl(fd, libc::F_GETFD) } != -1);
    listed.sort_unstable();
    Ok(listed)
}
