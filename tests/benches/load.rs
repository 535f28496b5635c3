//! Many whole interviews at once on one local server: throughput, p50/p95/p99 per operation, error counts, then
//! the checks — every accepted answer in its transcript exactly once, every report agreeing with its session.
//!
//! `cargo bench --workspace --bench load` runs 200 and 1,000 candidates on the filesystem store and on S3 over
//! HTTP (the s3s loopback server). `LOAD_CANDIDATES=200,1000`, `LOAD_STORES=fs,s3`, `LOAD_TURNS=4`,
//! `LOAD_THINK_MS=500-2000`, `LOAD_RAMP_MS=5000` and `LOAD_READERS=4` change the runs. The default pace is a stress
//! test; `LOAD_THINK_MS=10000-30000 LOAD_RAMP_MS=20000` is an interview's pace, with every candidate's interview open
//! at once (the report prints the most in progress together). Loopback only; every wait is bounded, and the
//! process exits non-zero when an answer was lost or repeated or a 5xx was answered.

use std::sync::Arc;
use std::time::Duration;

use prepai_tests::load::{self, LoadPlan};
use prepai_tests::local_server::LocalServer;
use prepai_tests::s3_server::S3Server;

fn env_list(name: &str, default: &str) -> Vec<String> {
    std::env::var(name)
        .unwrap_or_else(|_| default.to_owned())
        .split(',')
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    // `cargo bench` passes `--bench`; anything else (a name filter) is ignored.
    let think = std::env::var("LOAD_THINK_MS").unwrap_or_else(|_| "500-2000".into());
    let (lo, hi) = think
        .split_once('-')
        .and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?)))
        .unwrap_or((500, 2000));
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    let mut failed = false;
    for store in env_list("LOAD_STORES", "fs,s3") {
        for candidates in env_list("LOAD_CANDIDATES", "200,1000") {
            let Ok(candidates) = candidates.parse::<usize>() else {
                continue;
            };
            let plan = LoadPlan {
                candidates,
                turns: env_num("LOAD_TURNS", 4) as usize,
                analytics_readers: env_num("LOAD_READERS", 4) as usize,
                think_ms: lo..hi,
                ramp: Duration::from_millis(env_num("LOAD_RAMP_MS", 5_000)),
                reply_timeout: Duration::from_secs(60),
                resends: 3,
                seed: 42,
            };
            let (server, _s3) = match store.as_str() {
                "s3" => {
                    let s3 = S3Server::start().await;
                    let server = LocalServer::start_on(
                        tempfile::tempdir().unwrap(),
                        s3.object_store(),
                        |c| c,
                    )
                    .await;
                    (server, Some(s3))
                }
                _ => (LocalServer::start().await, None),
            };
            let title = format!(
                "{candidates} candidates × ({} text turns + start + code run + resume + end + report), think \
                 {lo}–{hi} ms, {} analytics readers, {} store, {profile} build",
                plan.turns,
                plan.analytics_readers,
                if store == "s3" {
                    "S3 over HTTP"
                } else {
                    "filesystem"
                }
            );
            // Bounded: a run that has not finished in 15 minutes is a failure.
            let report = match tokio::time::timeout(
                Duration::from_secs(900),
                load::run(Arc::new(server), plan.clone()),
            )
            .await
            {
                Ok(report) => report,
                Err(_) => {
                    eprintln!("{title}: did not finish within 15 minutes");
                    failed = true;
                    continue;
                }
            };
            println!("{}", report.render(&title));
            if report.lost_answers + report.duplicated_answers + report.total_5xx() > 0
                || report.lost_runs + report.duplicated_runs > 0
            {
                failed = true;
            }
        }
    }
    if failed {
        std::process::exit(1);
    }
}
