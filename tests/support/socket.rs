//! A WebSocket client for the interview socket, as the end-to-end tests and benchmarks drive it.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};

use crate::local_server::LocalServer;

pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

pub fn socket_url(server: &LocalServer, session: &str, token: &str) -> String {
    format!("ws://{}/ws/interview/{session}?token={token}", server.addr)
}

/// Opens the interview socket for `session`.
pub async fn connect(server: &LocalServer, session: &str, token: &str) -> Socket {
    connect_async(socket_url(server, session, token))
        .await
        .expect("the socket opens")
        .0
}

/// The next JSON message, waiting at most `within`.
pub async fn next_json_within(socket: &mut Socket, within: Duration) -> Value {
    loop {
        let frame = tokio::time::timeout(within, socket.next())
            .await
            .expect("a reply in time")
            .expect("the socket is open")
            .expect("a frame");
        if let Message::Text(text) = frame {
            return serde_json::from_str(text.as_str()).expect("JSON");
        }
    }
}

/// The next JSON message within 10 s.
pub async fn next_json(socket: &mut Socket) -> Value {
    next_json_within(socket, Duration::from_secs(10)).await
}

pub async fn send(socket: &mut Socket, message: Value) {
    socket
        .send(Message::Text(message.to_string().into()))
        .await
        .expect("send");
}

/// Reads one interviewer turn: chunks until `assistant_complete`; returns (chunks, complete text, other messages).
pub async fn read_turn(socket: &mut Socket) -> (Vec<String>, String, Vec<Value>) {
    let mut chunks = Vec::new();
    let mut others = Vec::new();
    loop {
        let message = next_json(socket).await;
        match message["type"].as_str().unwrap_or_default() {
            "llm_chunk" => chunks.push(message["text"].as_str().unwrap_or_default().to_owned()),
            "assistant_complete" => {
                assert_eq!(message["role"], "assistant");
                let text = message["text"].as_str().unwrap_or_default().to_owned();
                return (chunks, text, others);
            }
            "error" => panic!("unexpected error: {message}"),
            _ => others.push(message),
        }
    }
}

/// Opens an utterance and sends `pcm` (16 kHz mono PCM16) as `audio` messages of the largest size the server
/// takes, as the browser does; returns how many went. The caller sends `speech_end`.
pub async fn send_speech(socket: &mut Socket, pcm: &[u8]) -> usize {
    use base64::Engine;
    send(socket, serde_json::json!({"type": "speech_start"})).await;
    let chunks = pcm.chunks(prepai::voice::utterances::MAX_CHUNK_BYTES);
    let mut sent = 0;
    for (seq, chunk) in chunks.enumerate() {
        let data = base64::engine::general_purpose::STANDARD.encode(chunk);
        send(
            socket,
            serde_json::json!({"type": "audio", "seq": seq, "data": data}),
        )
        .await;
        sent += 1;
    }
    sent
}
