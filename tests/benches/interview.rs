//! Live-interview figures on the local server: time from a text answer to the first `llm_chunk` and to
//! `assistant_complete`, and 100 concurrent interviews of 10 turns each (errors, p95 turn latency).
//!
//! `cargo bench -p prepai-tests --bench interview`

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::{SinkExt, StreamExt};
use prepai_tests::local_server::LocalServer;
use prepai_tests::stats;
use serde_json::{Value, json};
use tokio_tungstenite::connect_async;
use tokio_tungstenite::tungstenite::Message;

const CONNECTIONS: usize = 100;
const TURNS: usize = 10;

struct Turn {
    first_chunk: Duration,
    complete: Duration,
}

async fn create(server: &LocalServer, token: &str) -> String {
    let created: Value = server
        .http
        .post(server.url("/api/sessions/create"))
        .bearer_auth(token)
        .json(&json!({"interview_type": "Google SDE", "candidate_name": "Bench Candidate"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    created["session_id"].as_str().unwrap().to_owned()
}

/// One interview: start, then `turns` answers; returns per-turn timings, or the first error message.
async fn interview(
    server: Arc<LocalServer>,
    user: usize,
    turns: usize,
) -> Result<Vec<Turn>, String> {
    let token = server.token(&format!("bench-{user}"), &[]);
    let session = create(&server, &token).await;
    let url = format!("ws://{}/ws/interview/{session}?token={token}", server.addr);
    let (mut socket, _) = connect_async(url).await.map_err(|e| e.to_string())?;
    let mut timings = Vec::new();
    for turn in 0..=turns {
        let message = if turn == 0 {
            json!({"type": "start"})
        } else {
            json!({"type": "text", "text": "I would use a hash map keyed by user id, so lookups are O(1), and shard by user \
                                              id with consistent hashing so adding nodes moves few keys."})
        };
        let sent = Instant::now();
        socket
            .send(Message::Text(message.to_string().into()))
            .await
            .map_err(|e| e.to_string())?;
        let mut first_chunk = None;
        loop {
            let frame = tokio::time::timeout(Duration::from_secs(30), socket.next())
                .await
                .map_err(|_| "timeout".to_owned())?
                .ok_or("closed")?
                .map_err(|e| e.to_string())?;
            let Message::Text(text) = frame else { continue };
            let reply: Value = serde_json::from_str(text.as_str()).map_err(|e| e.to_string())?;
            match reply["type"].as_str() {
                Some("llm_chunk") if first_chunk.is_none() => first_chunk = Some(sent.elapsed()),
                Some("assistant_complete") => break,
                Some("error") => return Err(reply.to_string()),
                _ => {}
            }
        }
        if turn > 0 {
            timings.push(Turn {
                first_chunk: first_chunk.unwrap_or_default(),
                complete: sent.elapsed(),
            });
        }
    }
    let _ = socket.close(None).await;
    Ok(timings)
}

fn percentile(samples: &mut [Duration], q: f64) -> f64 {
    stats::ms(stats::percentile(samples, q))
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let server = Arc::new(LocalServer::start().await);

    let turns = interview(Arc::clone(&server), 0, 50)
        .await
        .expect("single interview");
    let mut first: Vec<Duration> = turns.iter().map(|t| t.first_chunk).collect();
    let mut complete: Vec<Duration> = turns.iter().map(|t| t.complete).collect();
    println!("One interview, 50 text turns (local interviewer, filesystem store):");
    println!("| measure                         |   p50 ms |   p95 ms |");
    println!("|---------------------------------|----------|----------|");
    println!(
        "| answer → first llm_chunk        | {:>8.2} | {:>8.2} |",
        percentile(&mut first, 0.5),
        percentile(&mut first, 0.95)
    );
    println!(
        "| answer → assistant_complete     | {:>8.2} | {:>8.2} |",
        percentile(&mut complete, 0.5),
        percentile(&mut complete, 0.95)
    );

    let started = Instant::now();
    let tasks: Vec<_> = (1..=CONNECTIONS)
        .map(|user| tokio::spawn(interview(Arc::clone(&server), user, TURNS)))
        .collect();
    let mut errors = 0;
    let mut latencies = Vec::new();
    for task in tasks {
        match task.await.expect("task") {
            Ok(turns) => latencies.extend(turns.into_iter().map(|t| t.complete)),
            Err(e) => {
                errors += 1;
                eprintln!("interview failed: {e}");
            }
        }
    }
    let elapsed = started.elapsed();
    println!(
        "\n{CONNECTIONS} concurrent interviews × {TURNS} turns: {} turns in {:.2} s, {errors} errors; turn latency p50 \
         {:.1} ms, p95 {:.1} ms",
        latencies.len(),
        elapsed.as_secs_f64(),
        percentile(&mut latencies, 0.5),
        percentile(&mut latencies, 0.95)
    );
}
