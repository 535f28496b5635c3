//! Starting a worker and watching it: fork/exec of the worker executable with an empty environment and the limits
//! applied between fork and exec, its own process group killed at the wall-clock deadline, its output pipes drained
//! with caps, and its resource use read from `wait4`.

use std::io::{self, Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use prepai::tools::code_executor::ResourceUsage;

use crate::protocol::{Frame, FrameBody, RESULT_FD, WORKER_FLAG};

/// The most result-channel bytes read from one worker (50 results of at most 1 MiB, with room).
const MAX_RESULT_CHANNEL_BYTES: usize = 64 * 1024 * 1024;

/// The most stdout/stderr bytes kept from one worker: only diagnostics (panics, allocation failures) go there,
/// since candidate output is captured in memory.
const MAX_DIAGNOSTIC_BYTES: usize = 16 * 1024;

/// Process limits for one worker, applied with `setrlimit` between fork and exec.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ProcessLimits {
    /// When the parent kills the process group.
    pub wall: Duration,
    /// `RLIMIT_CPU`: a backstop for the wall clock (SIGXCPU, then SIGKILL one second later).
    pub cpu_seconds: u64,
    /// `RLIMIT_AS`.
    pub address_space_bytes: u64,
    /// `RLIMIT_STACK`, which sizes the main thread's stack at exec.
    pub stack_bytes: u64,
    /// `RLIMIT_NOFILE`.
    pub open_files: u64,
}

/// How the worker ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ending {
    Exited(i32),
    Signaled(i32),
}

/// Everything observed about one worker run.
#[derive(Debug)]
pub(crate) struct WorkerRun {
    /// Frames that carried this run's nonce, in order.
    pub frames: Vec<FrameBody>,
    /// Some bytes on the result channel were not a frame of this run.
    pub tampered: bool,
    pub ending: Ending,
    /// The parent killed the worker at the wall-clock deadline.
    pub timed_out: bool,
    /// The worker's own stdout and stderr (diagnostics), capped.
    pub diagnostics: String,
    pub usage: ResourceUsage,
    pub wall: Duration,
}

/// Runs one worker to its end. Blocking: callers on an async runtime use `spawn_blocking`.
pub(crate) fn run_worker(
    exe: &Path,
    request: &[u8],
    nonce: &str,
    limits: ProcessLimits,
) -> io::Result<WorkerRun> {
    let (result_read, result_write) = pipe()?;
    let (diag_read, diag_write) = pipe()?;
    let diag_write_err = diag_write.try_clone()?;
    let result_write_fd = result_write.as_raw_fd();

    let mut command = Command::new(exe);
    command
        .arg(WORKER_FLAG)
        .env_clear()
        .current_dir("/")
        .stdin(Stdio::piped())
        .stdout(Stdio::from(diag_write))
        .stderr(Stdio::from(diag_write_err))
        .process_group(0);
    // SAFETY: the closure runs in the forked child before exec and only makes async-signal-safe system calls
    // (setrlimit, dup2, fcntl, prctl) on values copied into it; it allocates nothing and takes no locks.
    unsafe {
        command.pre_exec(move || confine(result_write_fd, limits));
    }
    let started = Instant::now();
    let mut child = command.spawn()?;
    // The parent's copies of the write ends must close, or the pipes never report end-of-file.
    drop(command);
    drop(result_write);
    let pid = child.id();
    let stdin = child.stdin.take();

    let mut pump = Pump::new(stdin, request, result_read, diag_read)?;
    let deadline = started + limits.wall;
    let timed_out = pump.run_until(deadline);

    // The worker is dead or a zombie until `wait4` reaps it, so its process group id cannot have been reused.
    let pgid = libc::pid_t::try_from(pid).unwrap_or(0);
    if pgid > 0 {
        // SAFETY: killpg only sends a signal to the worker's own process group.
        unsafe {
            libc::killpg(pgid, libc::SIGKILL);
        }
    }
    let (ending, usage) = reap(pgid)?;
    let wall = started.elapsed();
    drop(child);

    let (frames, tampered) = decode(&pump.results, nonce);
    Ok(WorkerRun {
        frames,
        tampered,
        ending,
        timed_out,
        diagnostics: String::from_utf8_lossy(&pump.diagnostics).into_owned(),
        usage,
        wall,
    })
}

/// Applies the limits in the child between fork and exec.
fn confine(result_write: RawFd, limits: ProcessLimits) -> io::Result<()> {
    set_limit(libc::RLIMIT_CORE, 0)?;
    set_limit(libc::RLIMIT_FSIZE, 0)?;
    set_limit(libc::RLIMIT_MEMLOCK, 0)?;
    set_limit(libc::RLIMIT_MSGQUEUE, 0)?;
    set_limit(libc::RLIMIT_NPROC, 0)?;
    set_limit(libc::RLIMIT_AS, limits.address_space_bytes)?;
    set_limit(libc::RLIMIT_STACK, limits.stack_bytes)?;
    set_soft_hard(
        libc::RLIMIT_CPU,
        limits.cpu_seconds,
        limits.cpu_seconds.saturating_add(1),
    )?;
    // SAFETY: plain descriptor calls on descriptors this process owns.
    unsafe {
        if result_write == RESULT_FD {
            let flags = libc::fcntl(RESULT_FD, libc::F_GETFD);
            if flags == -1 || libc::fcntl(RESULT_FD, libc::F_SETFD, flags & !libc::FD_CLOEXEC) == -1
            {
                return Err(io::Error::last_os_error());
            }
        } else if libc::dup2(result_write, RESULT_FD) == -1 {
            return Err(io::Error::last_os_error());
        }
        // Dies with the host, should the host die first. Best effort: a failure here changes nothing else.
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0);
        // No privilege gain through exec (setuid binaries), where the kernel allows it; Lambda does not, and the
        // worker runs no other program anyway, so a refusal is ignored.
        libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    }
    set_limit(libc::RLIMIT_NOFILE, limits.open_files)
}

/// glibc spells the resource argument of setrlimit as its own type, musl as a plain int.
#[cfg(target_env = "gnu")]
type Resource = libc::__rlimit_resource_t;
#[cfg(not(target_env = "gnu"))]
type Resource = libc::c_int;

fn set_limit(resource: Resource, value: u64) -> io::Result<()> {
    set_soft_hard(resource, value, value)
}

fn set_soft_hard(resource: Resource, soft: u64, hard: u64) -> io::Result<()> {
    let limit = libc::rlimit {
        rlim_cur: soft,
        rlim_max: hard,
    };
    // SAFETY: `limit` is a valid rlimit for the duration of the call.
    if unsafe { libc::setrlimit(resource, &limit) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two descriptors pipe2 writes; on success each is owned by exactly one
    // OwnedFd from here on.
    unsafe {
        if libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) == -1 {
            return Err(io::Error::last_os_error());
        }
        Ok((OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])))
    }
}

fn set_nonblocking(fd: RawFd) -> io::Result<()> {
    // SAFETY: fcntl on a descriptor owned by the caller.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        if flags == -1 || libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK) == -1 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

/// Moves bytes between the parent and the worker's three pipes without threads: the request in, results and
/// diagnostics out, until both outputs close or the deadline passes.
struct Pump<'a> {
    stdin: Option<std::process::ChildStdin>,
    request: &'a [u8],
    written: usize,
    result: Option<std::fs::File>,
    diag: Option<std::fs::File>,
    results: Vec<u8>,
    diagnostics: Vec<u8>,
}

impl<'a> Pump<'a> {
    fn new(
        stdin: Option<std::process::ChildStdin>,
        request: &'a [u8],
        result: OwnedFd,
        diag: OwnedFd,
    ) -> io::Result<Self> {
        if let Some(stdin) = &stdin {
            set_nonblocking(stdin.as_raw_fd())?;
        }
        set_nonblocking(result.as_raw_fd())?;
        set_nonblocking(diag.as_raw_fd())?;
        Ok(Self {
            stdin,
            request,
            written: 0,
            result: Some(std::fs::File::from(result)),
            diag: Some(std::fs::File::from(diag)),
            results: Vec::new(),
            diagnostics: Vec::new(),
        })
    }

    /// Returns whether the deadline passed before the worker closed its outputs.
    fn run_until(&mut self, deadline: Instant) -> bool {
        loop {
            if self.result.is_none() && self.diag.is_none() {
                return false;
            }
            let now = Instant::now();
            if now >= deadline {
                return true;
            }
            let wait_ms = i32::try_from((deadline - now).as_millis() + 1).unwrap_or(i32::MAX);
            let mut fds = Vec::with_capacity(3);
            let ids: [(Option<RawFd>, libc::c_short); 3] = [
                (self.result.as_ref().map(AsRawFd::as_raw_fd), libc::POLLIN),
                (self.diag.as_ref().map(AsRawFd::as_raw_fd), libc::POLLIN),
                (self.stdin.as_ref().map(AsRawFd::as_raw_fd), libc::POLLOUT),
            ];
            for (fd, events) in ids.iter().filter_map(|(fd, ev)| fd.map(|fd| (fd, *ev))) {
                fds.push(libc::pollfd {
                    fd,
                    events,
                    revents: 0,
                });
            }
            let count = libc::nfds_t::try_from(fds.len()).unwrap_or(0);
            // SAFETY: `fds` is a valid array of `count` pollfd structures for the duration of the call.
            let ready = unsafe { libc::poll(fds.as_mut_ptr(), count, wait_ms) };
            if ready < 0 {
                if io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                return false;
            }
            for pollfd in &fds {
                if pollfd.revents == 0 {
                    continue;
                }
                let fd = pollfd.fd;
                if self.result.as_ref().is_some_and(|f| f.as_raw_fd() == fd) {
                    if !drain(
                        &mut self.result,
                        &mut self.results,
                        MAX_RESULT_CHANNEL_BYTES,
                    ) {
                        self.result = None;
                    }
                } else if self.diag.as_ref().is_some_and(|f| f.as_raw_fd() == fd) {
                    if !drain(&mut self.diag, &mut self.diagnostics, MAX_DIAGNOSTIC_BYTES) {
                        self.diag = None;
                    }
                } else {
                    self.feed();
                }
            }
        }
    }

    /// Writes more of the request; closes stdin when all is written or the worker stopped reading.
    fn feed(&mut self) {
        let Some(stdin) = self.stdin.as_mut() else {
            return;
        };
        match stdin.write(&self.request[self.written..]) {
            Ok(n) => {
                self.written += n;
                if self.written >= self.request.len() {
                    self.stdin = None;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => self.stdin = None,
        }
    }
}

/// Reads what is available; returns false at end-of-file (or on an error). Bytes past `cap` are read and dropped.
fn drain(file: &mut Option<std::fs::File>, into: &mut Vec<u8>, cap: usize) -> bool {
    let Some(file) = file.as_mut() else {
        return false;
    };
    let mut chunk = [0_u8; 16 * 1024];
    loop {
        match file.read(&mut chunk) {
            Ok(0) => return false,
            Ok(n) => {
                let room = cap.saturating_sub(into.len());
                into.extend_from_slice(&chunk[..n.min(room)]);
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return true,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
}

/// Waits for the worker and reads its resource use.
fn reap(pid: libc::pid_t) -> io::Result<(Ending, ResourceUsage)> {
    let mut status = 0;
    // SAFETY: rusage is plain data that wait4 fills in.
    let mut rusage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `status` and `rusage` are valid for writes; `pid` is our own child.
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut rusage) };
        if reaped == pid {
            break;
        }
        let error = io::Error::last_os_error();
        if error.kind() != io::ErrorKind::Interrupted {
            return Err(error);
        }
    }
    let ending = if libc::WIFSIGNALED(status) {
        Ending::Signaled(libc::WTERMSIG(status))
    } else {
        Ending::Exited(libc::WEXITSTATUS(status))
    };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    let usage = ResourceUsage {
        // ru_maxrss is in KiB on Linux.
        peak_memory_bytes: u64::try_from(rusage.ru_maxrss).unwrap_or(0) * 1024,
        cpu_time: ((seconds(rusage.ru_utime) + seconds(rusage.ru_stime)) * 1e6).round() / 1e6,
    };
    Ok((ending, usage))
}

/// Splits the result channel into frames, keeping those with this run's nonce.
fn decode(bytes: &[u8], nonce: &str) -> (Vec<FrameBody>, bool) {
    let mut frames = Vec::new();
    let mut tampered = false;
    for line in bytes.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        match serde_json::from_slice::<Frame>(line) {
            Ok(frame) if frame.nonce == nonce => frames.push(frame.body),
            _ => tampered = true,
        }
    }
    (frames, tampered)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};
    use std::process::{Command, Stdio};

    /// Writes an executable stand-in worker from a separate process.
    ///
    /// Why not `std::fs::write`: other tests in this process fork workers concurrently, and a child forked while
    /// our write descriptor is open keeps a copy of it until it execs; executing the script in that window fails with
    /// ETXTBSY ("Text file busy"). Written by `sh`, the descriptor never exists in this process, so no sibling fork
    /// can hold it.
    fn write_script(dir: &Path, name: &str, contents: &str) -> PathBuf {
        let path = dir.join(name);
        let mut writer = Command::new("/bin/sh")
            .args(["-c", "cat > \"$1\" && chmod 755 \"$1\"", "sh"])
            .arg(&path)
            .stdin(Stdio::piped())
            .spawn()
            .unwrap();
        writer
            .stdin
            .take()
            .unwrap()
            .write_all(contents.as_bytes())
            .unwrap();
        assert!(writer.wait().unwrap().success());
        path
    }

    /// A stand-in worker (a shell script) that reports what a worker process sees: its environment, its limits
    /// and its descriptors.
    #[test]
    fn workers_start_with_an_empty_environment_and_their_limits() {
        let dir = tempfile::tempdir().unwrap();
        let script = write_script(
            dir.path(),
            "worker.sh",
            "#!/bin/sh\necho \"args=$*\"\necho \"cwd=$(pwd)\"\nexport -p\nulimit -a\nwhile read -r line; do case $line in NoNewPrivs*) echo \"$line\";; esac; done < /proc/self/status\necho fd3 >&3\n",
        );
        let limits = ProcessLimits {
            wall: Duration::from_secs(5),
            cpu_seconds: 7,
            address_space_bytes: 512 * 1024 * 1024,
            stack_bytes: 16 * 1024 * 1024,
            open_files: 16,
        };
        let run = run_worker(&script, b"", "nonce", limits).unwrap();
        let seen = run.diagnostics;
        assert_eq!(run.ending, Ending::Exited(0), "{seen}");
        assert!(!run.timed_out);
        assert!(seen.contains(&format!("args={WORKER_FLAG}")), "{seen}");
        assert!(seen.contains("cwd=/\n"), "{seen}");
        for secret in ["AWS_", "HOME=", "PATH=/", "CARGO", "RUST"] {
            let exported = seen
                .lines()
                .filter(|l| l.starts_with("export "))
                .any(|l| l.contains(secret));
            assert!(!exported, "{secret} leaked into the worker: {seen}");
        }
        // dash's `ulimit -a` names, one per line, the value last.
        let limit = |name: &str| {
            seen.lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().last())
                .unwrap_or_default()
                .to_owned()
        };
        assert_eq!(limit("file(blocks)"), "0", "{seen}");
        assert_eq!(limit("coredump(blocks)"), "0", "{seen}");
        assert_eq!(limit("nofiles"), "16", "{seen}");
        assert_eq!(limit("process"), "0", "{seen}");
        assert_eq!(limit("time(seconds)"), "7", "{seen}");
        assert_eq!(limit("stack(kbytes)"), "16384", "{seen}");
        assert_eq!(limit("vmemory(kbytes)"), "524288", "{seen}");
        assert_eq!(limit("locked memory(kbytes)"), "0", "{seen}");
        assert!(seen.contains("NoNewPrivs:\t1"), "{seen}");
        // The script's `fd3` line is not a frame of this run.
        assert!(run.tampered);
    }

    #[test]
    fn the_process_group_is_killed_at_the_deadline() {
        let dir = tempfile::tempdir().unwrap();
        let script = write_script(
            dir.path(),
            "sleeper.sh",
            "#!/bin/sh\nsleep 30 &\nsleep 30\n",
        );
        let limits = ProcessLimits {
            wall: Duration::from_millis(300),
            cpu_seconds: 5,
            address_space_bytes: 512 * 1024 * 1024,
            stack_bytes: 8 * 1024 * 1024,
            open_files: 16,
        };
        let started = Instant::now();
        let run = run_worker(&script, b"", "nonce", limits).unwrap();
        assert!(run.timed_out);
        assert_eq!(run.ending, Ending::Signaled(libc::SIGKILL));
        // Far below the 30 s the script would sleep, far above the 1.05 s kill on a loaded machine.
        assert!(started.elapsed() < Duration::from_secs(20));
    }

    #[test]
    fn frames_need_the_nonce_and_whole_lines() {
        let good = serde_json::to_vec(&Frame {
            nonce: "n1".into(),
            body: FrameBody::Done,
        })
        .unwrap();
        let forged = serde_json::to_vec(&Frame {
            nonce: "n2".into(),
            body: FrameBody::Done,
        })
        .unwrap();
        let mut channel = good.clone();
        channel.push(b'\n');
        let (frames, tampered) = decode(&channel, "n1");
        assert_eq!(frames, vec![FrameBody::Done]);
        assert!(!tampered);
        channel.extend_from_slice(&forged);
        channel.extend_from_slice(b"\n{\"frame\":\"done\"}\ngarbage");
        let (frames, tampered) = decode(&channel, "n1");
        assert_eq!(frames.len(), 1);
        assert!(tampered);
    }
}
