//! A sandbox worker for tests and benches only: tries forbidden system calls once the walls are up (`#probe NAME`
//! submissions), and runs other submissions without the system-call filter as the benchmark's baseline. Never
//! deployed: only `prepai-sandbox`, the Lambda and the local server are real workers.

use std::process::ExitCode;

fn main() -> ExitCode {
    prepai_sandbox::worker::probe::run_if_requested();
    eprintln!("prepai-sandbox-probe is started by the sandbox's tests as a worker, not by hand");
    ExitCode::from(2)
}
