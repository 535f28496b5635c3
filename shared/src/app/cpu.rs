//! CPU-heavy steps of the use cases — evaluating an interview, analysing a resume — run off the async workers and
//! a bounded number at a time, so that under load they queue among themselves instead of taking the cores from
//! the conversation: a burst of interviews ending together must not make every candidate's next turn wait.

use std::sync::OnceLock;

use tokio::sync::Semaphore;

/// How many heavy steps run at once: every core but one, which stays for the turns (at least one).
fn slots() -> &'static Semaphore {
    static SLOTS: OnceLock<Semaphore> = OnceLock::new();
    SLOTS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Semaphore::new(cores.saturating_sub(1).max(1))
    })
}

/// Runs `work` on the blocking pool once a slot is free; `Err` only if `work` panicked.
pub(crate) async fn run_heavy<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, String> {
    let _slot = slots()
        .acquire()
        .await
        .map_err(|e| format!("the CPU slots are closed: {e}"))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| e.to_string())
}
