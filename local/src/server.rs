//! The HTTP side of the local server: template routes → the same handlers the Lambdas run.

use std::collections::BTreeMap;
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::Body;
use axum::extract::{RawPathParams, RawQuery, Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{MethodFilter, MethodRouter, get, on, post};
use axum::serve::ListenerExt;
use http::{HeaderMap, Method, StatusCode, header};
use prepai::adapters::local::LocalPushRegistry;
use prepai::api::{ApiError, ApiRequest, ApiResponse};
use prepai::auth::LocalJwt;
use prepai::{AppContext, Route};
use tokio::net::TcpListener;

use crate::template_routes::{self, TEMPLATE_YAML, TemplateError};

/// The largest body the server reads at all; routes apply their own, smaller limits (1 MiB for JSON).
pub const MAX_BODY_BYTES: usize = 6 * 1024 * 1024;

/// What every request shares.
pub struct ServerState {
    /// The handlers' adapters; `ctx.verifier` checks bearer tokens on REST routes and the WebSocket alike.
    pub ctx: AppContext,
    /// Open WebSocket connections, standing in for API Gateway's PostToConnection.
    pub push: Arc<LocalPushRegistry>,
    /// The built browser app (`web/dist`), served at `/`; `None` serves the API alone.
    pub web_dist: Option<PathBuf>,
    /// The local token signer, for `POST /api/auth/local-refresh`; `None` answers that route 404.
    pub local_tokens: Option<Arc<LocalJwt>>,
}

impl ServerState {
    pub fn new(ctx: AppContext) -> Self {
        Self {
            ctx,
            push: Arc::new(LocalPushRegistry::default()),
            web_dist: None,
            local_tokens: None,
        }
    }

    /// Serves `POST /api/auth/local-refresh` with `tokens` (the server's own signer).
    pub fn with_local_tokens(mut self, tokens: Arc<LocalJwt>) -> Self {
        self.local_tokens = Some(tokens);
        self
    }

    /// Serves the built app in `dist` at `/`.
    pub fn with_web_dist(mut self, dist: PathBuf) -> Self {
        self.web_dist = Some(dist);
        self
    }
}

/// The router for every template route, plus JSON answers for unknown paths and methods.
pub fn router(state: Arc<ServerState>) -> Result<Router, TemplateError> {
    let routes = template_routes::resolve(&template_routes::http_routes(TEMPLATE_YAML)?)?;
    let mut by_path: BTreeMap<String, MethodRouter<Arc<ServerState>>> = BTreeMap::new();
    for (template_route, route) in routes {
        let filter = MethodFilter::try_from(template_route.method.clone())
            .map_err(|e| TemplateError::Shape(format!("{}: {e}", template_route.path)))?;
        let handler = move |State(state): State<Arc<ServerState>>,
                            method: Method,
                            params: Result<
            RawPathParams,
            axum::extract::rejection::RawPathParamsRejection,
        >,
                            RawQuery(query): RawQuery,
                            headers: HeaderMap,
                            body: Body| async move {
            run_route(route, &state, method, params, query, headers, body).await
        };
        let entry = by_path.remove(&template_route.path).unwrap_or_default();
        by_path.insert(
            template_route.path.clone(),
            entry.merge(on(filter, handler)),
        );
    }
    let mut router = Router::new()
        .route(
            crate::interview_socket::PATH,
            get(crate::interview_socket::upgrade),
        )
        .route(LOCAL_REFRESH_PATH, post(local_refresh))
        .route(
            "/config.json",
            get(|| async {
                to_response(ApiResponse::json(
                    StatusCode::OK,
                    &crate::web_app::config_json(),
                ))
            }),
        );
    for (path, methods) in by_path {
        router = router.route(&path, methods.fallback(method_not_allowed));
    }
    Ok(router
        .fallback(not_found)
        .layer(middleware::from_fn(log_request))
        .with_state(state))
}

/// Serves until `shutdown` resolves, then lets in-flight requests finish.
pub async fn serve(
    listener: TcpListener,
    state: Arc<ServerState>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).map_err(std::io::Error::other)?;
    // Replies stream as many small frames; without TCP_NODELAY each one waits for the client's delayed ACK.
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

async fn run_route(
    route: Route,
    state: &ServerState,
    method: Method,
    params: Result<RawPathParams, axum::extract::rejection::RawPathParamsRejection>,
    query: Option<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(prepai::auth::bearer_token);
    let Some(token) = token else {
        return to_response(ApiError::Unauthorized.into_response());
    };
    let Ok(identity) = state.ctx.verifier.verify(token).await else {
        return to_response(ApiError::Unauthorized.into_response());
    };
    let Ok(params) = params else {
        return to_response(
            ApiError::bad_request("invalid_path", "the path is not valid UTF-8").into_response(),
        );
    };
    let body = match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(body) => body,
        Err(_) => {
            return to_response(
                ApiError::PayloadTooLarge {
                    limit_bytes: MAX_BODY_BYTES,
                }
                .into_response(),
            );
        }
    };
    let query = query
        .map(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(&q).unwrap_or_default())
        .unwrap_or_default()
        .into_iter()
        .collect();
    let request = ApiRequest {
        method,
        path_params: params
            .iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
        query,
        headers,
        body,
        identity: Some(identity),
    };
    to_response(route.handle(&state.ctx, request).await)
}

/// The local server's own route (not in `template.yaml`: on AWS, Cognito refreshes tokens): a fresh token for the
/// bearer of a valid, unexpired local token, so a long interview never meets an expired one.
pub const LOCAL_REFRESH_PATH: &str = "/api/auth/local-refresh";

/// `POST /api/auth/local-refresh` with `Authorization: Bearer <token>` → `{token, expiresAt}`; 401 for anything but
/// a valid, unexpired local token (see [`LocalJwt::refresh`]).
async fn local_refresh(State(state): State<Arc<ServerState>>, headers: HeaderMap) -> Response {
    let Some(tokens) = &state.local_tokens else {
        return no_route(&Method::POST, &http::Uri::from_static(LOCAL_REFRESH_PATH));
    };
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(prepai::auth::bearer_token);
    let Some(token) = token else {
        return to_response(ApiError::Unauthorized.into_response());
    };
    match tokens.refresh(token, chrono::Utc::now()) {
        Ok(fresh) => {
            let mut response = to_response(ApiResponse::ok(&serde_json::json!({
                "token": fresh.token,
                "expiresAt": prepai::domain::timestamp::format(&fresh.expires_at),
            })));
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                http::HeaderValue::from_static("no-store"),
            );
            response
        }
        Err(refusal) => json_error(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            refusal.to_string(),
        ),
    }
}

pub(crate) fn to_response(response: ApiResponse) -> Response {
    let mut out = Response::new(Body::from(response.body));
    *out.status_mut() = response.status;
    *out.headers_mut() = response.headers;
    out
}

pub(crate) fn json_error(status: StatusCode, code: &str, message: String) -> Response {
    let body = serde_json::json!({"error": {"code": code, "message": message}});
    to_response(ApiResponse::json(status, &body))
}

/// API paths answer a JSON 404; everything else is the browser app's.
async fn not_found(State(state): State<Arc<ServerState>>, request: Request) -> Response {
    let path = request.uri().path();
    match &state.web_dist {
        Some(dist) if !crate::web_app::is_api_path(path) => {
            if dist.join("index.html").is_file() {
                crate::web_app::serve(dist, request).await
            } else {
                crate::web_app::not_built(dist)
            }
        }
        _ => no_route(request.method(), request.uri()),
    }
}

fn no_route(method: &Method, uri: &http::Uri) -> Response {
    json_error(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("no route for {method} {}", uri.path()),
    )
}

async fn method_not_allowed(method: Method, uri: http::Uri) -> Response {
    json_error(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!("{method} is not supported on {}", uri.path()),
    )
}

/// One log line per request: method, path, status, milliseconds.
async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    tracing::info!(
        "{method} {path} {} {:.1}ms",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    response
}
