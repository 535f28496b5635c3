//! `ws://…/ws/interview/{session_id}?token=…`: the local stand-in for API Gateway's WebSocket API, feeding the
//! same `$connect` / `$default` / `$disconnect` handlers, with a socket registry in place of PostToConnection.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use futures::{SinkExt, StreamExt};
use http::StatusCode;
use prepai::ports::PushChannel;
use prepai::ws::{ConnectionId, MAX_FRAME_BYTES, ServerMessage, handlers};

use crate::server::{ServerState, json_error};

/// The route, in axum's (and API Gateway's) path syntax.
pub const PATH: &str = "/ws/interview/{session_id}";

/// API Gateway's close code for a binary frame, which it does not accept.
const CLOSE_UNSUPPORTED_DATA: u16 = 1003;

/// Runs `$connect` before accepting the upgrade, so a bad token or someone else's session is refused with an
/// HTTP status, as API Gateway refuses the handshake.
pub async fn upgrade(
    State(state): State<Arc<ServerState>>,
    Path(session_id): Path<String>,
    RawQuery(query): RawQuery,
    upgrade: Result<WebSocketUpgrade, axum::extract::ws::rejection::WebSocketUpgradeRejection>,
) -> Response {
    let mut params: HashMap<String, String> = query
        .map(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(&q).unwrap_or_default())
        .unwrap_or_default()
        .into_iter()
        .collect();
    params.insert("session_id".into(), session_id);
    let Ok(upgrade) = upgrade else {
        return json_error(
            StatusCode::BAD_REQUEST,
            "not_websocket",
            "expected a WebSocket upgrade".into(),
        );
    };
    let connection = uuid_connection_id();
    let reply = handlers::connect(&state.ctx, connection.as_str(), &params).await;
    if reply.status != 200 {
        let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::BAD_REQUEST);
        let code = match reply.status {
            401 => "unauthorized",
            404 => "not_found",
            409 => "session_ended",
            _ => "bad_request",
        };
        return json_error(status, code, reply.message);
    }
    upgrade
        .max_message_size(4 * MAX_FRAME_BYTES)
        .on_upgrade(move |socket| serve_socket(state, connection, socket))
}

fn uuid_connection_id() -> ConnectionId {
    let raw = uuid::Uuid::new_v4().simple().to_string();
    ConnectionId::parse(&raw)
        .unwrap_or_else(|| unreachable!("a simple UUID is a valid connection id"))
}

/// Pumps one socket: pushed replies out, client frames in (one at a time, in order).
async fn serve_socket(state: Arc<ServerState>, connection: ConnectionId, socket: WebSocket) {
    let (mut sink, mut frames) = socket.split();
    let mut outbox = state.push.register(&connection);
    let (close_tx, mut close_rx) = tokio::sync::mpsc::unbounded_channel::<u16>();
    let writer = tokio::spawn(async move {
        loop {
            tokio::select! {
                Some(text) = outbox.recv() => {
                    if sink.send(Message::Text(text.into())).await.is_err() {
                        break;
                    }
                }
                Some(code) = close_rx.recv() => {
                    let frame = CloseFrame { code, reason: "binary frames are not supported".into() };
                    let _ = sink.send(Message::Close(Some(frame))).await;
                    break;
                }
                else => break,
            }
        }
    });
    while let Some(Ok(frame)) = frames.next().await {
        match frame {
            Message::Text(text) => {
                if text.len() > MAX_FRAME_BYTES {
                    let error = ServerMessage::error(
                        "frame_too_large",
                        format!(
                            "frames must be at most {MAX_FRAME_BYTES} bytes (API Gateway's limit)"
                        ),
                    );
                    let _ = state.push.push(&connection, error.to_text()).await;
                    continue;
                }
                handlers::message(
                    &state.ctx,
                    state.push.as_ref(),
                    connection.as_str(),
                    text.as_str(),
                )
                .await;
            }
            Message::Binary(_) => {
                let _ = close_tx.send(CLOSE_UNSUPPORTED_DATA);
                break;
            }
            Message::Close(_) => break,
            Message::Ping(_) | Message::Pong(_) => {}
        }
    }
    state.push.unregister(&connection);
    handlers::disconnect(&state.ctx, connection.as_str()).await;
    drop(close_tx);
    let _ = writer.await;
}
