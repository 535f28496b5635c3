//! The Lambda entrance for REST routes: API Gateway HTTP API events in, [`Route::handle`] in the middle.

use std::sync::Arc;

use bytes::Bytes;
use http::HeaderMap;
use lambda_http::request::RequestContext;
use lambda_http::{Body, Request, RequestExt, Response, service_fn};

use super::config::{Config, from_config};
use crate::api::{ApiRequest, ApiResponse};
use crate::context::AppContext;
use crate::domain::Identity;
use crate::routes::Route;

/// What a route's `main` calls: builds the adapters once from the environment, then serves invocations.
pub async fn serve(route: Route) -> Result<(), lambda_http::Error> {
    super::init_tracing();
    let ctx = Arc::new(from_config(&Config::from_env()).await);
    lambda_http::run(service_fn(move |request: Request| {
        let ctx = Arc::clone(&ctx);
        async move { Ok::<_, std::convert::Infallible>(invoke(route, &ctx, request).await) }
    }))
    .await
}

/// One invocation, separate from the runtime loop so sample events can be fed to it in tests.
pub async fn invoke(route: Route, ctx: &AppContext, request: Request) -> Response<Body> {
    let response = route.handle(ctx, to_api_request(request)).await;
    to_lambda_response(response)
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
