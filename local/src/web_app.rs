//! The browser app (`web/`, built by Vite into `web/dist`) served at `/` beside the API, so one command brings up
//! the whole product. Unknown non-API paths fall back to `index.html` for the app's client-side routes; API and
//! socket paths never do, so a mistyped API call still gets a JSON 404.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use axum::body::Body;
use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, Method, StatusCode, header};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

/// The app's sources in this checkout (present when run from the repository, as the README does).
pub fn source_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../web")
}

/// What the app reads at start to learn how to sign in; CloudFront answers the same path on AWS with the Cognito
/// hosted UI's settings.
pub fn config_json() -> serde_json::Value {
    serde_json::json!({"auth": {"mode": "local"}})
}

/// Whether `path` belongs to the API or the socket rather than the app.
pub fn is_api_path(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/") || path.starts_with("/ws/")
}

/// Serves a file of the built app, or `index.html` for a client-side route.
pub async fn serve(dist: &Path, request: Request) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return crate::server::json_error(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            format!(
                "{} is not supported on {}",
                request.method(),
                request.uri().path()
            ),
        );
    }
    let index = dist.join("index.html");
    let hashed_asset = request.uri().path().starts_with("/assets/");
    let service = ServeDir::new(dist).fallback(ServeFile::new(&index));
    let mut response = match service.oneshot(request).await {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    };
    // Vite names assets by content hash, so they never change; index.html must always be re-read.
    let cache = if hashed_asset && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

/// The page shown at `/` when the app has not been built, saying how to build it.
pub fn not_built(dist: &Path) -> Response {
    let body = format!(
        "<!doctype html><meta charset=utf-8><title>PrepAI</title>\
         <h1>PrepAI's API is running; the browser app is not built</h1>\
         <p>No <code>index.html</code> in <code>{}</code>. Build it with \
         <code>npm --prefix web ci &amp;&amp; npm --prefix web run build</code>, or restart \
         <code>prepai-local</code> from the repository with Node.js installed: it builds the app when its sources \
         changed.</p>",
        dist.display()
    );
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

/// Builds the app when `dist` is missing or older than any source under `web/` (skipping `node_modules` and
/// `dist`). Failures are reported, never fatal: the API runs without the app.
pub fn build_if_stale(web: &Path) -> Result<BuildOutcome, String> {
    if !web.join("package.json").is_file() {
        return Ok(BuildOutcome::NoSources);
    }
    let dist = web.join("dist");
    let built = modified(&dist.join("index.html"));
    let newest_source = newest_mtime(web);
    if built.is_some() && built >= newest_source {
        return Ok(BuildOutcome::UpToDate);
    }
    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    if !web.join("node_modules").is_dir() {
        eprintln!("prepai-local: installing the web app's packages (npm ci)…");
        run(Command::new(npm).arg("ci").current_dir(web))?;
    }
    eprintln!("prepai-local: building the web app (npm run build)…");
    run(Command::new(npm).args(["run", "build"]).current_dir(web))?;
    Ok(BuildOutcome::Built)
}

/// What [`build_if_stale`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum BuildOutcome {
    NoSources,
    UpToDate,
    Built,
}

fn run(command: &mut Command) -> Result<(), String> {
    let status = command
        .status()
        .map_err(|e| format!("cannot run npm ({e}); install Node.js 20+ to build the web app"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{command:?}` failed with {status}"))
    }
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

fn newest_mtime(dir: &Path) -> Option<SystemTime> {
    let mut newest = None;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return newest;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if matches!(
            name.to_str(),
            Some("node_modules" | "dist" | "test-artifacts" | ".vite")
        ) {
            continue;
        }
        let path = entry.path();
        let candidate = if path.is_dir() {
            newest_mtime(&path)
        } else {
            modified(&path)
        };
        newest = newest.max(candidate);
    }
    newest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_paths_never_fall_back_to_the_app() {
        assert!(is_api_path("/api/sessions/list"));
        assert!(is_api_path("/api"));
        assert!(is_api_path("/ws/interview/x"));
        assert!(!is_api_path("/"));
        assert!(!is_api_path("/interview/123"));
        assert!(!is_api_path("/apixyz"));
    }

    #[test]
    fn a_built_app_newer_than_its_sources_is_not_rebuilt() {
        let web = tempfile::tempdir().unwrap();
        std::fs::write(web.path().join("package.json"), "{}").unwrap();
        std::fs::create_dir(web.path().join("dist")).unwrap();
        std::fs::write(web.path().join("dist/index.html"), "<html>").unwrap();
        // Explicit times rather than a sleep: file systems with coarse timestamps would make them equal.
        let older = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
        std::fs::File::options()
            .write(true)
            .open(web.path().join("package.json"))
            .unwrap()
            .set_modified(older)
            .unwrap();
        assert_eq!(build_if_stale(web.path()), Ok(BuildOutcome::UpToDate));
        let none = tempfile::tempdir().unwrap();
        assert_eq!(build_if_stale(none.path()), Ok(BuildOutcome::NoSources));
    }
}
