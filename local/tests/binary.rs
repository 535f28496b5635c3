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
    start_in_env(extra, &[])
}

fn start_in_env(extra: &[&str], env: &[(&str, &std::ffi::OsStr)]) -> Server {
    let data = tempfile::tempdir().unwrap();
    // Port 0: the server binds a free port itself and prints it, so no other test can take it in between.
    let mut child = Command::new(env!("CARGO_BIN_EXE_prepai-local"))
        .args(["--addr", "127.0.0.1:0", "--data"])
        .arg(data.path())
        .args(extra)
        .env_remove("PREPAI_JWT_SECRET")
        .env_remove("PREPAI_BUCKET")
        .envs(env.iter().copied())
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
        if let Some((_, rest)) = line.split_once("/#token=") {
            assert!(
                line.trim().starts_with(&format!("http://{addr}/#token=")),
                "the link opens the app at the server's own address: {line}"
            );
            token = rest.trim().to_owned();
            break;
        }
    }
    // Keep reading the log so the server never writes into a full or closed pipe.
    std::thread::spawn(move || lines.for_each(drop));
    assert!(
        token.starts_with("eyJ"),
        "the banner prints a sign-in link with a token"
    );
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
    raw_request_as(server, &server.token, method, path, body)
}

/// One HTTP/1.1 request with `token`; returns (status, head, body text).
fn raw_request_as(
    server: &Server,
    token: &str,
    method: &str,
    path: &str,
    body: &str,
) -> (u16, String, String) {
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
        token,
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

/// The local-only refresh route: a valid token gets a fresh one for the same user, which works everywhere; a token
/// that is expired, foreign or missing gets a 401; the route is not one of the template's.
#[test]
fn the_local_refresh_route_renews_only_valid_unexpired_tokens() {
    let server = start();
    let (status, head, body) = raw_request(&server, "POST", "/api/auth/local-refresh", "");
    assert_eq!(status, 200, "{body}");
    assert!(head.contains("cache-control: no-store"), "{head}");
    let fresh: serde_json::Value = serde_json::from_str(&body).unwrap();
    let token = fresh["token"].as_str().unwrap();
    assert!(token.starts_with("eyJ") && token != server.token);
    assert!(fresh["expiresAt"].is_string());
    let (status, _, list) = raw_request_as(&server, token, "GET", "/api/sessions/list", "");
    assert_eq!(status, 200, "the refreshed token works: {list}");

    let other_secret = prepai::auth::LocalJwt::new(b"not-the-servers-secret-0123456789ab").unwrap();
    let foreign = other_secret.mint(
        "local-user",
        &[],
        chrono::Utc::now(),
        chrono::Duration::hours(1),
    );
    for bad in [foreign.as_str(), "not-a-token", ""] {
        let (status, _, body) = raw_request_as(&server, bad, "POST", "/api/auth/local-refresh", "");
        assert_eq!(status, 401, "{bad:?}: {body}");
    }
    let (status, _, _) = raw_request(&server, "GET", "/api/auth/local-refresh", "");
    assert_eq!(status, 405, "POST only");
    assert!(
        !include_str!("../../template.yaml").contains("local-refresh"),
        "the refresh route is the local server's own"
    );
}

/// `--open` hands the sign-in link to the desktop's opener (here a stand-in `xdg-open` on PATH that records its
/// argument); the server runs either way.
#[test]
fn open_hands_the_sign_in_link_to_the_browser() {
    let bin = tempfile::tempdir().unwrap();
    let record = bin.path().join("opened.txt");
    let opener = bin.path().join(if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    });
    // Written by a separate process (sh), so no sibling test's fork can hold it open for writing (ETXTBSY).
    let mut writer = Command::new("sh")
        .args(["-c", "cat > \"$1\" && chmod +x \"$1\"", "sh"])
        .arg(&opener)
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    writer
        .stdin
        .take()
        .unwrap()
        .write_all(format!("#!/bin/sh\nprintf %s \"$1\" > '{}'\n", record.display()).as_bytes())
        .unwrap();
    let status = writer.wait().unwrap();
    assert!(status.success());
    let path = std::env::join_paths(std::iter::once(bin.path().to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let server = start_in_env(&["--no-web", "--open"], &[("PATH", path.as_os_str())]);
    let deadline = Instant::now() + Duration::from_secs(10);
    let opened = loop {
        match std::fs::read_to_string(&record) {
            Ok(text) if !text.is_empty() => break text,
            _ if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
            _ => panic!("the opener was not run"),
        }
    };
    assert_eq!(
        opened,
        format!("http://{}/#token={}", server.addr, server.token)
    );

    // Without any opener the server still starts and prints the link.
    let empty = tempfile::tempdir().unwrap();
    let server = start_in_env(
        &["--no-web", "--open"],
        &[("PATH", empty.path().as_os_str())],
    );
    let (status, _) = request(&server, "GET", "/api/sessions/list", "");
    assert_eq!(status, 200);
}
