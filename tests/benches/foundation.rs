//! Foundation figures: handler latency of create/get/list on the filesystem and S3 (over loopback HTTP) adapters,
//! what one durable write costs the filesystem store alone and from many writers at once, and requests/s of
//! `GET /api/sessions/{id}` through the local server.
//!
//! `cargo bench -p prepai-tests --bench foundation`

use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use http::Method;
use prepai::adapters::local::FsObjectStore;
use prepai::api::ApiRequest;
use prepai::domain::{Identity, SessionId};
use prepai::ports::{ObjectKey, ObjectStore, Precondition};
use prepai::{AppContext, Route};
use prepai_tests::local_server::LocalServer;
use prepai_tests::s3_server::S3Server;
use prepai_tests::stats::{Summary, summarise};

const ROUNDS: usize = 300;

fn request(identity: &Identity, path_params: &[(&str, &str)], body: &str) -> ApiRequest {
    ApiRequest {
        method: Method::GET,
        path_params: path_params
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect(),
        body: Bytes::from(body.to_owned()),
        identity: Some(identity.clone()),
        ..ApiRequest::default()
    }
}

fn print_row(adapter: &str, op: &str, s: &Summary) {
    println!(
        "| {adapter:<10} | {op:<22} | {:>8.3} | {:>8.3} | {:>8.3} |",
        s.p50.as_secs_f64() * 1e3,
        s.p95.as_secs_f64() * 1e3,
        s.mean.as_secs_f64() * 1e3
    );
}

async fn handler_latency(adapter: &str, objects: Arc<dyn ObjectStore>) {
    let ctx = AppContext::new(objects);
    let me = Identity::new("bench-user", vec![]).unwrap();
    let body = r#"{"interview_type": "Google SDE", "candidate_name": "Bench Candidate"}"#;
    let mut ids = Vec::new();
    let mut samples = Vec::new();
    for _ in 0..ROUNDS {
        let started = Instant::now();
        let response = Route::CreateSession
            .handle(&ctx, request(&me, &[], body))
            .await;
        samples.push(started.elapsed());
        assert_eq!(response.status, 201);
        ids.push(
            response.body_json()["session_id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    print_row(adapter, "create", &summarise(samples));

    let mut samples = Vec::new();
    for id in &ids {
        let started = Instant::now();
        let response = Route::GetSession
            .handle(&ctx, request(&me, &[("session_id", id)], ""))
            .await;
        samples.push(started.elapsed());
        assert_eq!(response.status, 200);
    }
    print_row(adapter, "get", &summarise(samples));

    let other = Identity::new("bench-user-2", vec![]).unwrap();
    for _ in 0..20 {
        Route::CreateSession
            .handle(&ctx, request(&other, &[], body))
            .await;
    }
    let mut samples = Vec::new();
    for _ in 0..50 {
        let started = Instant::now();
        let response = Route::ListSessions
            .handle(&ctx, request(&other, &[], ""))
            .await;
        samples.push(started.elapsed());
        assert_eq!(response.body_json()["count"], 20);
    }
    print_row(adapter, "list (20 of 320)", &summarise(samples));
}

/// Durable writes of a 3 KB document (temporary file, flush, rename, directory flush) on the filesystem store: one
/// at a time, then from 16 writers at once — whether the disk or the CPU limits the local server under load.
async fn durable_writes() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(FsObjectStore::new(dir.path()));
    let body = Bytes::from(vec![b'x'; 3_000]);
    let mut samples = Vec::new();
    for _ in 0..ROUNDS {
        let key = ObjectKey::session(&SessionId::new_random());
        let started = Instant::now();
        store
            .put(&key, body.clone(), Precondition::IfAbsent)
            .await
            .unwrap();
        samples.push(started.elapsed());
    }
    print_row("filesystem", "durable write", &summarise(samples));
    const WRITERS: usize = 16;
    const EACH: usize = 100;
    let started = Instant::now();
    let writers: Vec<_> = (0..WRITERS)
        .map(|_| {
            let (store, body) = (Arc::clone(&store), body.clone());
            tokio::spawn(async move {
                for _ in 0..EACH {
                    let key = ObjectKey::session(&SessionId::new_random());
                    store
                        .put(&key, body.clone(), Precondition::None)
                        .await
                        .unwrap();
                }
            })
        })
        .collect();
    for writer in writers {
        writer.await.unwrap();
    }
    let took = started.elapsed().as_secs_f64();
    println!(
        "\n{WRITERS} writers at once: {} durable writes in {took:.2} s, {:.0} a second\n",
        WRITERS * EACH,
        (WRITERS * EACH) as f64 / took
    );
}

async fn local_server_throughput() {
    let server = Arc::new(LocalServer::start().await);
    let token = server.token("bench-user", &[]);
    let created: serde_json::Value = server
        .http
        .post(server.url("/api/sessions/create"))
        .bearer_auth(&token)
        .body(r#"{"interview_type": "Coding", "candidate_name": "Bench"}"#)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let url = server.url(&format!(
        "/api/sessions/{}",
        created["session_id"].as_str().unwrap()
    ));
    let concurrency = 32;
    let per_worker = 400;
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let server = Arc::clone(&server);
            let url = url.clone();
            let token = token.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(per_worker);
                for _ in 0..per_worker {
                    let t = Instant::now();
                    let response = server
                        .http
                        .get(&url)
                        .bearer_auth(&token)
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(response.status(), 200);
                    response.bytes().await.unwrap();
                    latencies.push(t.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut all = Vec::new();
    for w in workers {
        all.extend(w.await.unwrap());
    }
    let elapsed = started.elapsed();
    let total = all.len();
    let s = summarise(all);
    println!(
        "\nGET /api/sessions/{{id}} through prepai-local (filesystem, {concurrency} connections, client on the same \
         2 cores): {total} requests in {:.2} s = {:.0} req/s; p50 {:.2} ms, p95 {:.2} ms",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64(),
        s.p50.as_secs_f64() * 1e3,
        s.p95.as_secs_f64() * 1e3
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    println!(
        "Handler latency in ms ({ROUNDS} creates and gets, 50 lists), handler called directly:\n"
    );
    println!("| adapter    | operation              |      p50 |      p95 |     mean |");
    println!("|------------|------------------------|----------|----------|----------|");
    let dir = tempfile::tempdir().unwrap();
    handler_latency("filesystem", Arc::new(FsObjectStore::new(dir.path()))).await;
    let s3 = S3Server::start().await;
    handler_latency("S3 (s3s)", s3.object_store()).await;
    durable_writes().await;
    local_server_throughput().await;
}
