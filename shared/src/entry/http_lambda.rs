//! The Lambda entrance for REST routes: API Gateway HTTP API events in, the route's handler in the middle.

use std::future::Future;
use std::sync::Arc;

use bytes::Bytes;
use http::HeaderMap;
use lambda_http::request::RequestContext;
use lambda_http::{Body, Request, RequestExt, Response, service_fn};

use super::config::Wiring;
use super::telemetry;
use crate::api::{ApiError, ApiRequest, ApiResponse};
use crate::context::AppContext;
use crate::domain::Identity;
use crate::routes::Route;

/// What a route's `main` calls: wires the ports once (`wiring`), then serves each invocation with `handler` —
/// the route's own handler, named by the main, so no other route's code is linked into the binary.
pub async fn serve<W, H, F>(route: Route, wiring: W, handler: H) -> Result<(), lambda_http::Error>
where
    W: Future<Output = Wiring>,
    H: Fn(Arc<AppContext>, ApiRequest) -> F + Send + Sync + 'static,
    F: Future<Output = Result<ApiResponse, ApiError>> + Send,
{
    super::init_tracing();
    let ctx = Arc::new(wiring.await.context());
    let handler = Arc::new(handler);
    lambda_http::run(service_fn(move |request: Request| {
        let (ctx, handler) = (Arc::clone(&ctx), Arc::clone(&handler));
        async move {
            let request_id = request_id(&request);
            let response = route.respond(handler(ctx, to_api_request(request))).await;
            Ok::<_, std::convert::Infallible>(finish(route, &request_id, response))
        }
    }))
    .await
}

/// One invocation through [`Route::handle`] (every route's handler), so sample events can be fed to it in tests.
pub async fn invoke(route: Route, ctx: &AppContext, request: Request) -> Response<Body> {
    let request_id = request_id(&request);
    let response = route.handle(ctx, to_api_request(request)).await;
    finish(route, &request_id, response)
}

/// The Lambda response; a 5xx is also counted as a failed request (see [`telemetry`]).
fn finish(route: Route, request_id: &str, response: ApiResponse) -> Response<Body> {
    if response.status.is_server_error() {
        telemetry::report_handler_error(
            route.binary(),
            request_id,
            &format!("answered {}", response.status.as_u16()),
        );
    }
    to_lambda_response(response)
}

fn request_id(request: &Request) -> String {
    request
        .lambda_context_ref()
        .map(|c| c.request_id.clone())
        .unwrap_or_default()
}

/// Converts API Gateway's request, taking the caller from the JWT authorizer's claims in the request context.
pub fn to_api_request(request: Request) -> ApiRequest {
    let path_params = request
        .path_parameters_ref()
        .map(|p| {
            p.iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect()
        })
        .unwrap_or_default();
    let query = request
        .query_string_parameters_ref()
        .map(|q| {
            q.iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect()
        })
        .unwrap_or_default();
    let identity = match request.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(ctx)) => ctx
            .authorizer
            .as_ref()
            .and_then(|a| a.jwt.as_ref())
            .and_then(|jwt| {
                Identity::from_authorizer_claims(|k| jwt.claims.get(k).map(String::as_str)).ok()
            }),
        _ => None,
    };
    let (parts, body) = request.into_parts();
    let body = match body {
        Body::Empty => Bytes::new(),
        Body::Text(text) => Bytes::from(text),
        Body::Binary(bytes) => Bytes::from(bytes),
        _ => Bytes::new(),
    };
    ApiRequest {
        method: parts.method,
        path_params,
        query,
        headers: parts.headers,
        body,
        identity,
    }
}

fn to_lambda_response(response: ApiResponse) -> Response<Body> {
    let body = match String::from_utf8(response.body.to_vec()) {
        Ok(text) => Body::Text(text),
        Err(e) => Body::Binary(e.into_bytes()),
    };
    let mut out = Response::new(body);
    *out.status_mut() = response.status;
    *out.headers_mut() = merge_headers(response.headers);
    out
}

fn merge_headers(headers: HeaderMap) -> HeaderMap {
    let mut out = HeaderMap::new();
    for (name, value) in &headers {
        out.append(name.clone(), value.clone());
    }
    out
}
