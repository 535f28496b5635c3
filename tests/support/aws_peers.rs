//! Loopback endpoints that speak AWS wire formats, for testing our SDK adapters over real HTTP: Bedrock Agent
//! Runtime's InvokeAgent (an `application/vnd.amazon.eventstream` body), API Gateway's management API
//! (PostToConnection) and a Cognito user pool's published keys.

use std::sync::{Arc, Mutex};

use aws_smithy_types::event_stream::{Header, HeaderValue, Message};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use base64::Engine;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder as ConnBuilder;
use hyper_util::service::TowerToHyperService;
use serde_json::{Value, json};

use crate::faults::FaultDice;

/// The SDK configuration every loopback peer's client uses: `url` as the endpoint, a fixed region and static test
/// credentials (requests are signed as on AWS; the peers do not check the signatures).
pub fn loopback_sdk_config(url: &str) -> aws_config::SdkConfig {
    use aws_sdk_lambda::config::{Credentials, SharedCredentialsProvider};
    aws_config::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "AKIDTEST", "secret", None, None, "tests",
        )))
        .endpoint_url(url)
        .build()
}

/// Serves `app` on a free loopback port over HTTP/1.1 and HTTP/2 (h2c with prior knowledge); returns its base
/// URL.
pub async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let http = ConnBuilder::new(TokioExecutor::new());
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                continue;
            };
            let _ = socket.set_nodelay(true);
            let conn = http
                .serve_connection(TokioIo::new(socket), TowerToHyperService::new(app.clone()))
                .into_owned();
            tokio::spawn(async move {
                let _ = conn.await;
            });
        }
    });
    format!("http://{addr}")
}

/// What the agent endpoint answers.
#[derive(Clone)]
pub enum AgentScript {
    /// These chunks, then a clean end of stream.
    Chunks(Vec<String>),
    /// These chunks, then the connection breaks mid-stream.
    BreakAfter(Vec<String>),
    /// The first request gets these chunks and then hands control back with this call (a `returnControl` event,
    /// as an agent with a `RETURN_CONTROL` action group does); every later request — the continuation carrying
    /// the result — gets `then`.
    ReturnControl {
        before: Vec<String>,
        call: ReturnControlCall,
        then: Vec<String>,
    },
    /// These chunks; but when `dice` rolls a failure, only the first half of them and then the connection breaks
    /// mid-stream.
    Flaky {
        chunks: Vec<String>,
        dice: Arc<FaultDice>,
    },
}

/// A function call the agent hands back to the application.
#[derive(Clone, Debug)]
pub struct ReturnControlCall {
    pub invocation_id: String,
    pub action_group: String,
    pub function: String,
    /// `(name, value)` pairs; every value is a string, as the agent sends them.
    pub parameters: Vec<(String, String)>,
}

/// A `returnControl` event frame: the payload InvokeAgent streams for a function-details action group.
fn return_control_frame(call: &ReturnControlCall) -> Bytes {
    let parameters: Vec<Value> = call
        .parameters
        .iter()
        .map(|(name, value)| json!({"name": name, "type": "string", "value": value}))
        .collect();
    let payload = json!({
        "invocationId": call.invocation_id,
        "invocationInputs": [{"functionInvocationInput": {
            "actionGroup": call.action_group,
            "function": call.function,
            "parameters": parameters,
            "actionInvocationType": "RESULT",
            "agentId": "AGENT1"
        }}]
    });
    event_frame("returnControl", payload.to_string())
}

/// One InvokeAgent request as received.
#[derive(Clone, Debug)]
pub struct AgentRequest {
    pub path: String,
    pub body: Value,
}

/// A fake-free Bedrock Agent Runtime endpoint: real HTTP, real event-stream framing.
pub struct AgentEndpoint {
    pub url: String,
    pub requests: Arc<Mutex<Vec<AgentRequest>>>,
}

fn chunk_frame(text: &str) -> Bytes {
    let payload =
        json!({"bytes": base64::engine::general_purpose::STANDARD.encode(text)}).to_string();
    event_frame("chunk", payload)
}

fn event_frame(event_type: &str, payload: String) -> Bytes {
    let message = Message::new(payload)
        .add_header(Header::new(
            ":message-type",
            HeaderValue::String("event".into()),
        ))
        .add_header(Header::new(
            ":event-type",
            HeaderValue::String(event_type.to_owned().into()),
        ))
        .add_header(Header::new(
            ":content-type",
            HeaderValue::String("application/json".into()),
        ));
    let mut buffer = Vec::new();
    aws_smithy_eventstream::frame::write_message_to(&message, &mut buffer).expect("frame");
    Bytes::from(buffer)
}

impl AgentEndpoint {
    pub async fn start(script: AgentScript) -> AgentEndpoint {
        let requests: Arc<Mutex<Vec<AgentRequest>>> = Arc::default();
        let recorded = Arc::clone(&requests);
        let app = Router::new().route(
            "/agents/{agent}/agentAliases/{alias}/sessions/{session}/text",
            post(
                move |Path(parts): Path<(String, String, String)>, body: Bytes| {
                    let recorded = Arc::clone(&recorded);
                    let script = script.clone();
                    async move {
                        let earlier = {
                            let mut recorded = recorded.lock().unwrap();
                            recorded.push(AgentRequest {
                                path: format!(
                                    "/agents/{}/agentAliases/{}/sessions/{}/text",
                                    parts.0, parts.1, parts.2
                                ),
                                body: serde_json::from_slice(&body).unwrap_or(Value::Null),
                            });
                            recorded.len() - 1
                        };
                        let (chunks, breaks, call) = match script {
                            AgentScript::Chunks(c) => (c, false, None),
                            AgentScript::BreakAfter(c) => (c, true, None),
                            AgentScript::ReturnControl { before, call, .. } if earlier == 0 => {
                                (before, false, Some(call))
                            }
                            AgentScript::ReturnControl { then, .. } => (then, false, None),
                            AgentScript::Flaky { chunks, dice } => match dice.roll(1) {
                                Some(_) => {
                                    dice.record("agent stream broke");
                                    let half = chunks.len().div_ceil(2);
                                    (chunks[..half].to_vec(), true, None)
                                }
                                None => (chunks, false, None),
                            },
                        };
                        let mut frames: Vec<Result<Bytes, std::io::Error>> =
                            chunks.iter().map(|c| Ok(chunk_frame(c))).collect();
                        if let Some(call) = &call {
                            frames.push(Ok(return_control_frame(call)));
                        }
                        if breaks {
                            frames.push(Err(std::io::Error::other("connection reset mid-stream")));
                        }
                        // Paced like a model generating text, so the client has headers and chunks before any break.
                        let stream = futures::stream::StreamExt::then(
                            futures::stream::iter(frames),
                            |frame| async move {
                                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                                frame
                            },
                        );
                        Response::builder()
                            .status(200)
                            .header("content-type", "application/vnd.amazon.eventstream")
                            .header("x-amzn-bedrock-agent-content-type", "application/json")
                            .header("x-amz-bedrock-agent-session-id", parts.2)
                            .body(Body::from_stream(stream))
                            .unwrap()
                    }
                },
            ),
        );
        AgentEndpoint {
            url: serve(app).await,
            requests,
        }
    }

    /// An SDK client pointed at this endpoint.
    pub fn client(&self) -> aws_sdk_bedrockagentruntime::Client {
        aws_sdk_bedrockagentruntime::Client::new(&loopback_sdk_config(&self.url))
    }
}

/// (connection id, message) pairs as the management endpoint received them.
pub type Posts = Arc<Mutex<Vec<(String, String)>>>;

/// API Gateway's management endpoint: records posts; connections named `gone-*` answer 410 GoneException.
pub struct ManagementEndpoint {
    pub url: String,
    pub posts: Posts,
}

impl ManagementEndpoint {
    pub async fn start() -> ManagementEndpoint {
        let posts: Posts = Arc::default();
        let app = Router::new()
            .route(
                "/@connections/{id}",
                post(
                    |State(posts): State<Posts>, Path(id): Path<String>, body: Bytes| async move {
                        if id.starts_with("gone-") {
                            return Response::builder()
                                .status(StatusCode::GONE)
                                .header("x-amzn-errortype", "GoneException")
                                .header("content-type", "application/json")
                                .body(Body::from(r#"{"message":"connection is gone"}"#))
                                .unwrap();
                        }
                        posts
                            .lock()
                            .unwrap()
                            .push((id, String::from_utf8_lossy(&body).into_owned()));
                        Response::builder().status(200).body(Body::empty()).unwrap()
                    },
                ),
            )
            .with_state(Arc::clone(&posts));
        ManagementEndpoint {
            url: serve(app).await,
            posts,
        }
    }

    pub fn client(&self) -> aws_sdk_apigatewaymanagement::Client {
        aws_sdk_apigatewaymanagement::Client::new(&loopback_sdk_config(&self.url))
    }
}

/// A user pool's `/.well-known/jwks.json`, counting fetches.
pub async fn jwks_endpoint(jwks: Value, fetches: Arc<Mutex<usize>>) -> String {
    let app = Router::new().route(
        "/pool/.well-known/jwks.json",
        get(move |_headers: HeaderMap| {
            let jwks = jwks.clone();
            let fetches = Arc::clone(&fetches);
            async move {
                *fetches.lock().unwrap() += 1;
                axum::Json(jwks)
            }
        }),
    );
    format!("{}/pool/.well-known/jwks.json", serve(app).await)
}

/// Lambda's Invoke API (`POST /2015-03-31/functions/{name}/invocations`), answering with `respond(payload)`;
/// a function named `crashing` answers as a function that threw (`X-Amz-Function-Error: Unhandled`).
pub async fn lambda_endpoint(
    respond: impl Fn(Value) -> Value + Clone + Send + Sync + 'static,
) -> String {
    let app = Router::new().route(
        "/2015-03-31/functions/{name}/invocations",
        post(move |Path(name): Path<String>, body: Bytes| {
            let respond = respond.clone();
            async move {
                if name == "crashing" {
                    return Response::builder()
                        .status(200)
                        .header("x-amz-function-error", "Unhandled")
                        .body(Body::from(r#"{"errorMessage":"boom","errorType":"Panic"}"#))
                        .unwrap();
                }
                let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                Response::builder()
                    .status(200)
                    .header("content-type", "application/json")
                    .body(Body::from(respond(request).to_string()))
                    .unwrap()
            }
        }),
    );
    serve(app).await
}

/// An SDK Lambda client pointed at `url`.
pub fn lambda_client(url: &str) -> aws_sdk_lambda::Client {
    aws_sdk_lambda::Client::new(&loopback_sdk_config(url))
}
