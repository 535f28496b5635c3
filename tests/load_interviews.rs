//! Whole interviews at once, on both stores: a dozen simulated candidates, each through start, text turns, a code
//! run, a resume upload, `end` and the report, beside analytics readers — no answer lost or repeated, no 5xx, every
//! report agreeing with its session. The large runs are `cargo bench --workspace --bench load`.

use std::sync::Arc;

use prepai_tests::load::{self, LoadPlan};
use prepai_tests::local_server::LocalServer;
use prepai_tests::s3_server::S3Server;

async fn check(server: LocalServer, title: &str) {
    let plan = LoadPlan::small(12);
    let report = load::run(Arc::new(server), plan.clone()).await;
    println!("{}", report.render(title));
    assert_eq!(
        report.interviews_completed, plan.candidates,
        "every interview completes"
    );
    assert_eq!(report.answers_accepted, plan.candidates * plan.turns);
    assert_eq!(report.runs_accepted, plan.candidates);
    assert_eq!(report.lost_answers, 0);
    assert_eq!(report.duplicated_answers, 0);
    assert_eq!(report.lost_runs + report.duplicated_runs, 0);
    assert_eq!(report.total_5xx(), 0);
    assert_eq!(report.total_errors(), 0, "{:?}", report.ops);
    assert!(
        report.report_mismatches.is_empty(),
        "{:?}",
        report.report_mismatches
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dozen_interviews_at_once_lose_nothing_on_the_filesystem() {
    check(LocalServer::start().await, "filesystem store").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dozen_interviews_at_once_lose_nothing_on_s3() {
    let s3 = S3Server::start().await;
    let server =
        LocalServer::start_on(tempfile::tempdir().unwrap(), s3.object_store(), |c| c).await;
    check(server, "S3 over HTTP").await;
}
