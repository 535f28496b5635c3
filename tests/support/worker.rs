//! The sandbox worker for the tests' local server: exactly what `prepai-local` does when re-run as a worker.

fn main() {
    prepai_sandbox::worker::run_if_requested();
    eprintln!("prepai-test-worker: run by the sandbox only");
    std::process::exit(2);
}
