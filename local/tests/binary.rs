//! The `prepai-local` binary as the README runs it: it starts, prints a working token, serves the API, runs code
//! in its own sandbox workers (the binary re-executed), and stops on a signal.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    addr: String,
    token: String,
    _data: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start() -> Server {
    start_with(&["--no-web"])
}

fn start_with(extra: &[&str]) -> Server {
    let data = tempfile::tempdir().unwrap();
    // Port 0: the server binds a free port itself and prints it, so no other test can take it in between.
    let mut child = Command::new(env!("CARGO_BIN_EXE_prepai-local"))
        .args(["--addr", "127.0.0.1:0", "--data"])
        .arg(data.path())
        .args(extra)
        .env_remove("PREPAI_JWT_SECRET")
        .env_remove("PREPAI_BUCKET")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut token = String::new();
    let mut addr = String::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(rest) = line.split_once("listening on http://").map(|(_, r)| r) {
            addr = rest
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned();
        }
        if line.starts_with("eyJ") {
            token = line.trim().to_owned();
            break;
        }
    }
    // Keep reading the log so the server never writes into a full or closed pipe.
    std::thread::spawn(move || lines.for_each(drop));
    assert!(!token.is_empty(), "the banner prints a token");
    assert!(!addr.is_empty(), "the banner prints the address");
    Server {
        child,
        addr,
        token,
        _data: data,
    }
}

/// One HTTP/1.1 request; returns (status, body).
fn request(server: &Server, method: &str, path: &str, body: &str) -> (u16, serde_json::Value) {
    let (status, _, body) = raw_request(server, method, path, body);
    (
        status,
        serde_json::from_str(&body).unwrap_or(serde_json::Value::Null),
    )
}

/// One HTTP/1.1 request; returns (status, head, body text).
fn raw_request(server: &Server, method: &str, path: &str, body: &str) -> (u16, String, String) {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut stream = loop {
        match TcpStream::connect(&server.addr) {
            Ok(s) => break s,
            Err(_) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => panic!("server not reachable: {e}"),
        }
    };
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        server.addr,
        server.token,
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response[9..12].parse().unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or_default();
    (status, head.to_ascii_lowercase(), body.to_owned())
}

#[test]
fn the_binary_serves_the_api_and_runs_code_in_its_own_workers() {
    let server = start();
    let (status, created) = request(
        &server,
        "POST",
        "/api/sessions/create",
        r#"{"interview_type": "Coding", "candidate_name": "Readme Reader"}"#,
    );
    assert_eq!(status, 201, "{created}");
    let id = created["session_id"].as_str().unwrap();
    let code = serde_json::json!({
        "sessionId": id,
        "language": "python",
        "functionName": "solution",
        "code": "import heapq\ndef solution(arr):\n    return heapq.nsmallest(len(arr), arr)\n",
        "testCases": [{"input": "[3,1,2]", "expected": "[1,2,3]"}]
    });
    let (status, result) = request(&server, "POST", "/api/code/execute", &code.to_string());
    assert_eq!(status, 200, "{result}");
    assert_eq!(result["allTestsPassed"], true, "{result}");
    let (status, list) = request(&server, "GET", &format!("/api/code/{id}/submissions"), "");
    assert_eq!(status, 200);
    assert_eq!(list["submissions"].as_array().unwrap().len(), 1);
}

#[test]
fn the_binary_serves_the_browser_app_beside_the_api() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(
        dist.path().join("index.html"),
        "<!doctype html><div id=root>",
    )
    .unwrap();
    std::fs::create_dir(dist.path().join("assets")).unwrap();
    std::fs::write(dist.path().join("assets/app-1a2b.js"), "console.log(1)").unwrap();
    let server = start_with(&["--web-dir", dist.path().to_str().unwrap()]);

    let (status, head, body) = raw_request(&server, "GET", "/", "");
    assert_eq!(status, 200);
    assert!(body.contains("id=root"), "{body}");
    assert!(head.contains("cache-control: no-cache"), "{head}");
    let (status, head, body) = raw_request(&server, "GET", "/assets/app-1a2b.js", "");
    assert_eq!((status, body.as_str()), (200, "console.log(1)"));
    assert!(head.contains("immutable"), "{head}");
    // A client-side route gets the app; an unknown API path still gets a JSON 404.
    let (status, _, body) = raw_request(&server, "GET", "/interview/some-session", "");
    assert_eq!(status, 200);
    assert!(body.contains("id=root"));
    let (status, error) = request(&server, "GET", "/api/no-such-route", "");
    assert_eq!(status, 404);
    assert_eq!(error["error"]["code"], "not_found");
    let (status, error) = request(&server, "POST", "/somewhere", "");
    assert_eq!(status, 405, "{error}");
    let (status, config) = request(&server, "GET", "/config.json", "");
    assert_eq!(status, 200);
    assert_eq!(config["auth"]["mode"], "local");
    // Escaping the app's folder is not possible.
    let (status, _, body) = raw_request(&server, "GET", "/../../etc/passwd", "");
    assert!(!body.contains("root:"), "{status} {body}");
}
