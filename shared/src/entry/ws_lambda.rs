//! The Lambda entrance for the WebSocket API's `$connect`, `$default` and `$disconnect` routes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use lambda_http::lambda_runtime::{self, LambdaEvent, service_fn};
use serde::Deserialize;
use serde_json::{Value, json};

use super::config::{Config, from_config_with_sdk};
use crate::adapters::aws::ApiGatewayPush;
use crate::context::AppContext;
use crate::ports::PushChannel;
use crate::ws::handlers;

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
struct Pushers {
    sdk: aws_config::SdkConfig,
    by_endpoint: Mutex<HashMap<String, Arc<ApiGatewayPush>>>,
}

impl Pushers {
    fn for_event(&self, ctx: &WsRequestContext) -> Arc<ApiGatewayPush> {
        let endpoint = format!(
            "https://{}/{}",
            ctx.domain_name.as_deref().unwrap_or_default(),
            ctx.stage.as_deref().unwrap_or_default()
        );
        let mut map = match self.by_endpoint.lock() {
            Ok(map) => map,
            Err(poisoned) => poisoned.into_inner(),
        };
        Arc::clone(
            map.entry(endpoint.clone())
                .or_insert_with(|| Arc::new(ApiGatewayPush::new(&self.sdk, &endpoint))),
        )
    }
}

/// What each WebSocket function's `main` calls.
pub async fn serve() -> Result<(), lambda_runtime::Error> {
    super::init_tracing();
    let sdk = aws_config::load_from_env().await;
    let ctx = from_config_with_sdk(&Config::from_env(), Some(&sdk));
    let pushers = Pushers {
        sdk,
        by_endpoint: Mutex::new(HashMap::new()),
    };
    let (ctx, pushers) = (&ctx, &pushers);
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| async move {
        let parsed: Result<WsLambdaEvent, _> = serde_json::from_value(event.payload);
        let response = match parsed {
            Ok(event) => {
                let push = pushers.for_event(&event.request_context);
                invoke(ctx, push.as_ref(), event).await
            }
            Err(e) => json!({"statusCode": 400, "body": format!("not a WebSocket event: {e}")}),
        };
        Ok::<_, std::convert::Infallible>(response)
    }))
    .await
}

/// One WebSocket event through the shared handlers; answers API Gateway's `{statusCode, body}`.
pub async fn invoke(ctx: &AppContext, push: &dyn PushChannel, event: WsLambdaEvent) -> Value {
    let connection = event.request_context.connection_id.as_str();
    match event.request_context.route_key.as_str() {
        "$connect" => {
            let query = event.query_string_parameters.unwrap_or_default();
            let reply = handlers::connect(ctx, connection, &query).await;
            json!({"statusCode": reply.status, "body": reply.message})
        }
        "$disconnect" => {
            handlers::disconnect(ctx, connection).await;
            json!({"statusCode": 200})
        }
        _ => {
            let body = event.body.unwrap_or_default();
            if event.is_base64_encoded {
                // API Gateway closes the socket on binary frames anyway; say why if one ever gets here.
                if let Some(id) = crate::domain::ConnectionId::parse(connection) {
                    let message =
                        crate::ws::ServerMessage::error("invalid_message", "send text frames only");
                    let _ = push.push(&id, message.to_text()).await;
                }
            } else {
                handlers::message(ctx, push, connection, &body).await;
            }
            json!({"statusCode": 200})
        }
    }
}
