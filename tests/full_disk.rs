//! A full disk under the local server's store: every write refused with 507 `insufficient_storage` (REST) or an
//! `insufficient_storage` socket error, nothing half-written — every stored document still parses and no
//! temporary file is left — and once space is freed the interview carries on with nothing lost or doubled.
//!
//! The disk is a 2 MiB tmpfs mounted for the test, which needs root (CI runs as root); elsewhere the test says so
//! and passes without running.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use prepai::adapters::local::FsObjectStore;
use prepai_tests::local_server::LocalServer;
use prepai_tests::socket::{connect, next_json, read_turn, send};
use serde_json::{Value, json};

/// A small tmpfs, unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(size: &str) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().ok()?;
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .status()
            .ok()?
            .success();
        mounted.then_some(SmallDisk { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

/// Fills the disk to the last byte with one file; returns its path.
fn fill(disk: &Path) -> PathBuf {
    use std::io::Write;
    let path = disk.join("filler");
    let mut file = std::fs::File::create(&path).unwrap();
    let block = vec![0u8; 4096];
    while file.write_all(&block).is_ok() {}
    while file.write_all(&[0]).is_ok() {}
    let _ = file.sync_all();
    path
}

/// Every stored file: JSON documents parse, JSON Lines parse line by line, and no temporary file is left.
fn assert_consistent(root: &Path) {
    let mut pending = vec![root.to_owned()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.file_type().unwrap().is_dir() {
                pending.push(path);
                continue;
            }
            assert!(
                !name.starts_with(".tmp-"),
                "a temporary file is left: {}",
                path.display()
            );
            let bytes = std::fs::read(&path).unwrap();
            if name.ends_with(".json") {
                serde_json::from_slice::<Value>(&bytes)
                    .unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()));
            } else if name.ends_with(".jsonl") {
                for line in bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
                    serde_json::from_slice::<Value>(line)
                        .unwrap_or_else(|e| panic!("{} has a bad line: {e}", path.display()));
                }
            }
        }
    }
}

fn assert_insufficient_storage(status: u16, body: &Value) {
    assert_eq!(status, 507, "{body}");
    assert_eq!(body["error"]["code"], "insufficient_storage", "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("space")),
        "{body}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_answers_507_and_corrupts_nothing() {
    let Some(disk) = SmallDisk::mount("2m") else {
        eprintln!("skipped: mounting a tmpfs needs root");
        return;
    };
    let store = Arc::new(FsObjectStore::new(disk.path().join("data")));
    let server = LocalServer::start_on(tempfile::tempdir().unwrap(), store, |c| c).await;
    let token = server.token("ada", &[]);
    let session = server.create_session(&token, "Google SDE", "Ada").await;
    let mut socket = connect(&server, &session, &token).await;
    send(&mut socket, json!({"type": "start"})).await;
    read_turn(&mut socket).await;
    let before = "I would start with a hash map from user id to profile.";
    send(&mut socket, json!({"type": "text", "text": before})).await;
    assert_eq!(next_json(&mut socket).await["is_final"], true);
    read_turn(&mut socket).await;

    let filler = fill(disk.path());

    // REST: a new session is refused with 507 and the JSON error.
    let response = server
        .http
        .post(server.url("/api/sessions/create"))
        .bearer_auth(&token)
        .json(&json!({"interview_type": "Coding", "candidate_name": "Ada"}))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    assert_insufficient_storage(status, &response.json().await.unwrap());

    // The socket: an answer is refused before it is acknowledged, and says why.
    let lost = "This answer cannot be stored.";
    send(&mut socket, json!({"type": "text", "text": lost})).await;
    let refusal = next_json(&mut socket).await;
    assert_eq!(refusal["type"], "error", "{refusal}");
    assert_eq!(refusal["code"], "insufficient_storage", "{refusal}");

    // A new socket cannot be opened either: its handshake is refused with 507.
    let url = format!("ws://{}/ws/interview/{session}?token={token}", server.addr);
    match tokio_tungstenite::connect_async(url).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(r)) => assert_eq!(r.status(), 507),
        other => panic!("the handshake should be refused: {:?}", other.map(|_| ())),
    }

    assert_consistent(&disk.path().join("data"));

    // Space is back: the interview goes on, with the refused answer nowhere and nothing doubled.
    std::fs::remove_file(filler).unwrap();
    let after = "Then I would add an LRU cache in front of it.";
    send(&mut socket, json!({"type": "text", "text": after})).await;
    assert_eq!(next_json(&mut socket).await["is_final"], true);
    read_turn(&mut socket).await;
    let stored = server
        .get_json(&token, &format!("/api/interviews/{session}/transcript"))
        .await;
    let answers: Vec<&str> = stored["transcript"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["role"] == "user")
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    assert_eq!(answers, [before, after]);
    assert_consistent(&disk.path().join("data"));
}
