//! `prepai-local` makes itself non-dumpable, so another process of its user — a sandbox worker that escaped its
//! interpreter, say — cannot read the server's environment (its signing secret) through `/proc/<pid>/environ`.
//!
//! Observed the way an attacker would try it: a process of the same user reads the file. A dumpable process of that
//! user (`sleep`) with the same secret is the control, so the test cannot pass because the read fails for another
//! reason. Run as root, the server, the control and the reader all run as `nobody` (root could read anything).

use std::io::{BufRead, BufReader};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Output, Stdio};

const SECRET: &str = "0123456789abcdef0123456789abcdef-not-for-the-neighbours";
const NOBODY: u32 = 65534;

/// Kills its child when the test ends, however it ends.
struct Reaped(Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A command run as the test's unprivileged user: `nobody` when the test runs as root, else the test's own user.
fn as_peer(program: &str) -> Command {
    let mut command = Command::new(program);
    let root = std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
    if root {
        command.uid(NOBODY).gid(NOBODY);
    }
    command
}

fn read_environ(pid: u32) -> Output {
    as_peer("/bin/cat")
        .arg(format!("/proc/{pid}/environ"))
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn another_process_of_the_same_user_cannot_read_the_servers_environment() {
    let data = tempfile::tempdir().unwrap();
    std::fs::set_permissions(data.path(), std::fs::Permissions::from_mode(0o777)).unwrap();

    let control = Reaped(
        as_peer("/bin/sleep")
            .arg("30")
            .env("PREPAI_JWT_SECRET", SECRET)
            .spawn()
            .unwrap(),
    );
    let seen = read_environ(control.0.id());
    assert!(
        String::from_utf8_lossy(&seen.stdout).contains(SECRET),
        "the control is readable, so the reader is a fair test: {seen:?}"
    );

    let mut server = Reaped(
        as_peer(env!("CARGO_BIN_EXE_prepai-local"))
            .args(["--addr", "127.0.0.1:0", "--no-web", "--data"])
            .arg(data.path())
            .env("PREPAI_JWT_SECRET", SECRET)
            .env_remove("PREPAI_BUCKET")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    // The banner comes after start-up, by which time the server has made itself non-dumpable.
    let mut lines = BufReader::new(server.0.stdout.take().unwrap()).lines();
    let banner = lines
        .by_ref()
        .map_while(Result::ok)
        .any(|line| line.contains("listening on http://"));
    assert!(banner, "the server started");
    // Keep reading the log so the server never writes into a closed pipe.
    std::thread::spawn(move || lines.for_each(drop));

    let seen = read_environ(server.0.id());
    assert!(
        !seen.status.success() && !String::from_utf8_lossy(&seen.stdout).contains(SECRET),
        "the server's environment was readable: {seen:?}"
    );
}
