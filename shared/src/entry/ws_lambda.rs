//! The Lambda entrance for the WebSocket API's `$connect`, `$default` and `$disconnect` routes.

use std::collections::HashMap;
#[cfg(feature = "aws-apigw")]
use std::sync::{Arc, Mutex};

use lambda_http::lambda_runtime::{self, LambdaEvent, service_fn};
use serde::Deserialize;
use serde_json::{Value, json};

use super::config::Wiring;
use super::telemetry;
use crate::context::AppContext;
use crate::ports::PushChannel;
use crate::ws::handlers::{self, Outcome};

/// The part of API Gateway's WebSocket event we use.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WsLambdaEvent {
    pub request_context: WsRequestContext,
    #[serde(default)]
    pub query_string_parameters: Option<HashMap<String, String>>,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub is_base64_encoded: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WsRequestContext {
    pub route_key: String,
    pub connection_id: String,
    #[serde(default)]
    pub domain_name: Option<String>,
    #[serde(default)]
    pub stage: Option<String>,
}

/// PostToConnection clients by endpoint, built on first use and kept for the warm container's life.
#[cfg(feature = "aws-apigw")]
struct Pushers {
    sdk: aws_config::SdkConfig,
    by_endpoint: Mutex<HashMap<String, Arc<crate::adapters::aws::ApiGatewayPush>>>,
}

#[cfg(feature = "aws-apigw")]
impl Pushers {
    fn for_event(&self, ctx: &WsRequestContext) -> Arc<crate::adapters::aws::ApiGatewayPush> {
        let endpoint = format!(
            "https://{}/{}",
            ctx.domain_name.as_deref().unwrap_or_default(),
            ctx.stage.as_deref().unwrap_or_default()
        );
        let mut map = match self.by_endpoint.lock() {
            Ok(map) => map,
            Err(poisoned) => poisoned.into_inner(),
        };
        Arc::clone(map.entry(endpoint.clone()).or_insert_with(|| {
            Arc::new(crate::adapters::aws::ApiGatewayPush::new(
                &self.sdk, &endpoint,
            ))
        }))
    }
}

/// `$connect`'s `main`: storage and the token verifier.
pub async fn serve_connect() -> Result<(), lambda_runtime::Error> {
    super::init_tracing();
    let ctx = Wiring::storage().await.verifier().context();
    let ctx = &ctx;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| async move {
        let request_id = event.context.request_id.clone();
        let response = match parse(event.payload) {
            Ok(event) => connect(ctx, event).await,
            Err(refusal) => refusal,
        };
        if response["statusCode"].as_u64().is_some_and(|s| s >= 500) {
            telemetry::report_handler_error(CONNECT_BINARY, &request_id, "connect failed");
        }
        Ok::<_, std::convert::Infallible>(response)
    }))
    .await
}

/// `$disconnect`'s `main`: storage only.
pub async fn serve_disconnect() -> Result<(), lambda_runtime::Error> {
    super::init_tracing();
    let ctx = Wiring::storage().await.context();
    let ctx = &ctx;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| async move {
        let response = match parse(event.payload) {
            Ok(event) => disconnect(ctx, event).await,
            Err(refusal) => refusal,
        };
        Ok::<_, std::convert::Infallible>(response)
    }))
    .await
}

/// `$default`'s `main`: every port a message may use — the interviewer, code runs, voice — and pushes back to the
/// client through PostToConnection.
#[cfg(all(
    feature = "aws-apigw",
    feature = "aws-bedrock",
    feature = "aws-speech",
    feature = "aws-lambda"
))]
pub async fn serve_default() -> Result<(), lambda_runtime::Error> {
    super::init_tracing();
    let config = super::config::Config::from_env();
    let sdk = aws_config::load_from_env().await;
    let (ctx, _) = Wiring::with_sdk(config, Some(sdk.clone()))
        .code_runner()
        .speech()
        .interviewer()
        .judge()
        .into_parts();
    let pushers = Pushers {
        sdk,
        by_endpoint: Mutex::new(HashMap::new()),
    };
    let (ctx, pushers) = (&ctx, &pushers);
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| async move {
        let request_id = event.context.request_id.clone();
        let response = match parse(event.payload) {
            Ok(event) => {
                let push = pushers.for_event(&event.request_context);
                let (response, outcome) = message(ctx, push.as_ref(), event).await;
                if outcome == Outcome::Failed {
                    telemetry::report_handler_error(DEFAULT_BINARY, &request_id, "message failed");
                }
                response
            }
            Err(refusal) => refusal,
        };
        Ok::<_, std::convert::Infallible>(response)
    }))
    .await
}

const CONNECT_BINARY: &str = "ws-connect";
#[cfg(feature = "aws-apigw")]
const DEFAULT_BINARY: &str = "ws-default";

fn parse(payload: Value) -> Result<WsLambdaEvent, Value> {
    serde_json::from_value(payload)
        .map_err(|e| json!({"statusCode": 400, "body": format!("not a WebSocket event: {e}")}))
}

async fn connect(ctx: &AppContext, event: WsLambdaEvent) -> Value {
    let connection = event.request_context.connection_id.as_str();
    let query = event.query_string_parameters.unwrap_or_default();
    let reply = handlers::connect(ctx, connection, &query).await;
    json!({"statusCode": reply.status, "body": reply.message})
}

async fn disconnect(ctx: &AppContext, event: WsLambdaEvent) -> Value {
    handlers::disconnect(ctx, &event.request_context.connection_id).await;
    json!({"statusCode": 200})
}

async fn message(
    ctx: &AppContext,
    push: &dyn PushChannel,
    event: WsLambdaEvent,
) -> (Value, Outcome) {
    let connection = event.request_context.connection_id.as_str();
    let body = event.body.unwrap_or_default();
    let outcome = if event.is_base64_encoded {
        // API Gateway closes the socket on binary frames anyway; say why if one ever gets here.
        if let Some(id) = crate::domain::ConnectionId::parse(connection) {
            let message =
                crate::ws::ServerMessage::error("invalid_message", "send text frames only");
            let _ = push.push(&id, message.to_text()).await;
        }
        Outcome::Answered
    } else {
        handlers::message(ctx, push, connection, &body).await
    };
    (json!({"statusCode": 200}), outcome)
}

/// One WebSocket event of any route through the shared handlers (every route's code: for tests and sample
/// events); answers API Gateway's `{statusCode, body}`.
pub async fn invoke(ctx: &AppContext, push: &dyn PushChannel, event: WsLambdaEvent) -> Value {
    match event.request_context.route_key.as_str() {
        "$connect" => connect(ctx, event).await,
        "$disconnect" => disconnect(ctx, event).await,
        _ => message(ctx, push, event).await.0,
    }
}
