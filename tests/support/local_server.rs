//! The local server on a free port over a temporary directory, as the end-to-end tests and benchmarks use it.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use prepai::AppContext;
use prepai::adapters::local::FsObjectStore;
use prepai::auth::LocalJwt;
use prepai::ports::ObjectStore;
use prepai_local::ServerState;
use prepai_sandbox::{LocalCodeRunner, Sandbox};
use tempfile::TempDir;
use tokio::sync::oneshot;

pub const TEST_SECRET: &[u8] = b"prepai-tests-secret-0123456789abcdef";

/// The `prepai-test-worker` binary cargo builds beside the test executables (`target/<profile>/`), which live one
/// level down in `deps/`.
pub fn worker_exe() -> PathBuf {
    let exe = std::env::current_exe().expect("current exe");
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>/deps");
    profile_dir.join(format!(
        "prepai-test-worker{}",
        std::env::consts::EXE_SUFFIX
    ))
}

/// A running `prepai-local` server; stops when dropped.
pub struct LocalServer {
    pub addr: SocketAddr,
    pub base: String,
    pub http: reqwest::Client,
    pub data: TempDir,
    jwt: LocalJwt,
    stop: Option<oneshot::Sender<()>>,
}

impl LocalServer {
    /// Starts the server over a fresh data directory.
    pub async fn start() -> LocalServer {
        Self::start_with(|ctx| ctx).await
    }

    /// Starts the server with adapters changed by `customise` (another interviewer, a code runner…).
    pub async fn start_with(customise: impl FnOnce(AppContext) -> AppContext) -> LocalServer {
        let data = tempfile::tempdir().expect("temp dir");
        let objects = Arc::new(FsObjectStore::new(data.path()));
        Self::start_on(data, objects, customise).await
    }

    /// Starts the server over `objects` (S3 over HTTP, a directory on a small disk…); `data` is kept for the
    /// server's lifetime.
    pub async fn start_on(
        data: TempDir,
        objects: Arc<dyn ObjectStore>,
        customise: impl FnOnce(AppContext) -> AppContext,
    ) -> LocalServer {
        let ctx = AppContext::new(objects)
            .with_interviewer(Arc::new(
                prepai::adapters::local::LocalInterviewer::embedded(),
            ))
            .with_verifier(Arc::new(LocalJwt::new(TEST_SECRET).expect("secret")))
            .with_code_runner(Arc::new(LocalCodeRunner::new(Sandbox::with_worker_exe(
                worker_exe(),
            ))));
        let ctx = customise(ctx);
        let state = Arc::new(ServerState::new(ctx));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = prepai_local::serve(listener, state, async {
                let _ = stopped.await;
            })
            .await;
        });
        LocalServer {
            addr,
            base: format!("http://{addr}"),
            http: reqwest::Client::new(),
            data,
            jwt: LocalJwt::new(TEST_SECRET).expect("secret"),
            stop: Some(stop),
        }
    }

    /// A valid token for `sub` in `groups`.
    pub fn token(&self, sub: &str, groups: &[&str]) -> String {
        let groups: Vec<String> = groups.iter().map(|g| (*g).to_owned()).collect();
        self.jwt
            .mint(sub, &groups, chrono::Utc::now(), chrono::Duration::hours(1))
    }

    /// `base` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// `GET path` with `token`, as JSON (panics on transport errors: tests want them loud).
    pub async fn get_json(&self, token: &str, path: &str) -> serde_json::Value {
        let response = self
            .http
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request");
        response.json().await.expect("JSON body")
    }

    /// Creates a session for `token`'s user and returns its id.
    pub async fn create_session(
        &self,
        token: &str,
        interview_type: &str,
        candidate_name: &str,
    ) -> String {
        let response = self
            .http
            .post(self.url("/api/sessions/create"))
            .bearer_auth(token)
            .json(&serde_json::json!({"interview_type": interview_type, "candidate_name": candidate_name}))
            .send()
            .await
            .expect("request");
        let created: serde_json::Value = response.json().await.expect("JSON body");
        created["session_id"]
            .as_str()
            .expect("session_id")
            .to_owned()
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
