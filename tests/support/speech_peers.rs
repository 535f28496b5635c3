//! Loopback endpoints that speak the speech services' wire formats, for testing our SDK adapters over real HTTP:
//! Transcribe streaming's StartStreamTranscription (a signed `application/vnd.amazon.eventstream` request body of
//! audio events, answered by an event stream of transcript events) and Polly's SynthesizeSpeech (JSON in, audio
//! bytes out). Both are served by hyper's automatic HTTP/1.1 + HTTP/2 connection builder, so whichever protocol
//! the SDK speaks over plain `http://` is the one it gets, and each request records which one that was.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_smithy_eventstream::frame::{
    DecodedFrame, MessageFrameDecoder, read_message_from, write_message_to,
};
use aws_smithy_types::event_stream::{Header, HeaderValue, Message};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, Version};
use axum::response::Response;
use axum::routing::post;
use bytes::BytesMut;
use futures::StreamExt;
use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::aws_peers::{loopback_sdk_config, serve};
use crate::faults::FaultDice;

/// One result of a scripted transcript event.
#[derive(Clone, Debug)]
pub struct ScriptedResult {
    pub result_id: String,
    pub transcript: String,
    pub is_partial: bool,
}

/// A result Transcribe is still revising.
pub fn partial(result_id: &str, transcript: &str) -> ScriptedResult {
    ScriptedResult {
        result_id: result_id.into(),
        transcript: transcript.into(),
        is_partial: true,
    }
}

/// A result Transcribe has finished.
pub fn finished(result_id: &str, transcript: &str) -> ScriptedResult {
    ScriptedResult {
        result_id: result_id.into(),
        transcript: transcript.into(),
        is_partial: false,
    }
}

/// What the Transcribe endpoint answers once it has the whole audio stream. Each inner `Vec` is one
/// `TranscriptEvent` message.
#[derive(Clone, Debug)]
pub enum TranscribeScript {
    /// These events, then a clean end of stream.
    Events(Vec<Vec<ScriptedResult>>),
    /// These events, then an exception message (`:exception-type`, e.g. `InternalFailureException`).
    FailAfter {
        events: Vec<Vec<ScriptedResult>>,
        exception: String,
        message: String,
    },
    /// These events, then the connection breaks.
    BreakAfter(Vec<Vec<ScriptedResult>>),
    /// These events; but when `dice` rolls a failure, the first half of them and then the connection breaks.
    Flaky {
        events: Vec<Vec<ScriptedResult>>,
        dice: Arc<FaultDice>,
    },
    /// No stream at all: this HTTP status with a restJson1 error (`x-amzn-errortype` and `{"Message"}`).
    Refuse {
        status: u16,
        error_type: String,
        message: String,
    },
}

/// One StartStreamTranscription request as received, audio decoded.
#[derive(Clone, Debug)]
pub struct TranscribeRequest {
    pub version: Version,
    pub path: String,
    pub headers: HeaderMap,
    /// The audio events' bytes, concatenated in arrival order.
    pub audio: Vec<u8>,
    pub audio_events: usize,
    /// Outer messages that lacked `:date` or `:chunk-signature` (the SDK signs every one).
    pub unsigned_messages: usize,
    /// Whether the stream ended with the empty signed message that closes an event stream.
    pub saw_end_of_stream: bool,
    /// Inner messages that were not audio events, as `:event-type` or a decoding error.
    pub unexpected: Vec<String>,
}

/// A fake-free Transcribe streaming endpoint: real HTTP, real event-stream framing both ways.
pub struct TranscribeEndpoint {
    pub url: String,
    /// Requests whose audio stream has been read to its end.
    pub requests: Arc<Mutex<Vec<TranscribeRequest>>>,
    /// Requests that reached the endpoint at all.
    pub arrivals: Arc<AtomicUsize>,
}

#[derive(Clone)]
struct TranscribeState {
    script: TranscribeScript,
    requests: Arc<Mutex<Vec<TranscribeRequest>>>,
    arrivals: Arc<AtomicUsize>,
}

fn frame(message: &Message) -> Bytes {
    let mut buffer = Vec::new();
    write_message_to(message, &mut buffer).expect("frame");
    Bytes::from(buffer)
}

fn string_header(name: &'static str, value: &str) -> Header {
    Header::new(name, HeaderValue::String(value.to_owned().into()))
}

fn transcript_event(results: &[ScriptedResult]) -> Bytes {
    let results: Vec<Value> = results
        .iter()
        .enumerate()
        .map(|(i, r)| {
            json!({
                "ResultId": r.result_id,
                "StartTime": i as f64 * 0.5,
                "EndTime": i as f64 * 0.5 + 0.5,
                "IsPartial": r.is_partial,
                "Alternatives": [{"Transcript": r.transcript, "Items": []}],
            })
        })
        .collect();
    let payload = json!({"Transcript": {"Results": results}}).to_string();
    frame(
        &Message::new(payload)
            .add_header(string_header(":message-type", "event"))
            .add_header(string_header(":event-type", "TranscriptEvent"))
            .add_header(string_header(":content-type", "application/json")),
    )
}

fn exception_message(exception: &str, message: &str) -> Bytes {
    frame(
        &Message::new(json!({"Message": message}).to_string())
            .add_header(string_header(":message-type", "exception"))
            .add_header(string_header(":exception-type", exception))
            .add_header(string_header(":content-type", "application/json")),
    )
}

fn has_header(message: &Message, name: &str) -> bool {
    message.headers().iter().any(|h| h.name().as_str() == name)
}

/// Reads the request's event stream to its end (or its first undecodable frame), recording what it carried.
async fn read_audio_stream(body: Body, request: &mut TranscribeRequest) {
    let mut decoder = MessageFrameDecoder::new();
    let mut buffer = BytesMut::new();
    let mut data = body.into_data_stream();
    while let Some(chunk) = data.next().await {
        let Ok(chunk) = chunk else {
            request.unexpected.push("request body broke".into());
            return;
        };
        buffer.extend_from_slice(&chunk);
        loop {
            match decoder.decode_frame(&mut buffer) {
                Ok(DecodedFrame::Incomplete) => break,
                Ok(DecodedFrame::Complete(outer)) => {
                    if !has_header(&outer, ":date") || !has_header(&outer, ":chunk-signature") {
                        request.unsigned_messages += 1;
                    }
                    if outer.payload().is_empty() {
                        request.saw_end_of_stream = true;
                        continue;
                    }
                    match read_message_from(outer.payload().clone()) {
                        Ok(inner) => {
                            let event_type = inner
                                .headers()
                                .iter()
                                .find(|h| h.name().as_str() == ":event-type")
                                .and_then(|h| h.value().as_string().ok())
                                .map(|s| s.as_str().to_owned())
                                .unwrap_or_default();
                            if event_type == "AudioEvent" {
                                request.audio.extend_from_slice(inner.payload());
                                request.audio_events += 1;
                            } else {
                                request.unexpected.push(event_type);
                            }
                        }
                        Err(e) => request.unexpected.push(format!("inner message: {e}")),
                    }
                }
                Err(e) => {
                    request.unexpected.push(format!("outer message: {e}"));
                    return;
                }
            }
        }
    }
}

async fn stream_transcription(State(state): State<TranscribeState>, request: Request) -> Response {
    state.arrivals.fetch_add(1, Ordering::SeqCst);
    if let TranscribeScript::Refuse {
        status,
        error_type,
        message,
    } = &state.script
    {
        return Response::builder()
            .status(*status)
            .header("content-type", "application/json")
            .header("x-amzn-errortype", error_type.as_str())
            .header("x-amzn-requestid", "transcribe-request-1")
            .body(Body::from(json!({"Message": message}).to_string()))
            .unwrap();
    }
    let (parts, body) = request.into_parts();
    let header = |name: &str| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let response = Response::builder()
        .status(StatusCode::OK)
        .header("content-type", "application/vnd.amazon.eventstream")
        .header("x-amzn-request-id", "11111111-2222-3333-4444-555555555555")
        .header(
            "x-amzn-transcribe-session-id",
            "66666666-7777-8888-9999-000000000000",
        )
        .header(
            "x-amzn-transcribe-language-code",
            header("x-amzn-transcribe-language-code"),
        )
        .header(
            "x-amzn-transcribe-sample-rate",
            header("x-amzn-transcribe-sample-rate"),
        )
        .header(
            "x-amzn-transcribe-media-encoding",
            header("x-amzn-transcribe-media-encoding"),
        );
    let mut received = TranscribeRequest {
        version: parts.version,
        path: parts.uri.path().to_owned(),
        headers: parts.headers.clone(),
        audio: Vec::new(),
        audio_events: 0,
        unsigned_messages: 0,
        saw_end_of_stream: false,
        unexpected: Vec::new(),
    };
    let (frames, outgoing) = mpsc::channel::<Result<Bytes, std::io::Error>>(8);
    // Like the service, answer with headers at once and keep reading audio on the same exchange; results follow
    // once the audio has ended.
    tokio::spawn(async move {
        read_audio_stream(body, &mut received).await;
        state.requests.lock().unwrap().push(received);
        let script = match state.script {
            TranscribeScript::Flaky { events, dice } => match dice.roll(1) {
                Some(_) => {
                    dice.record("transcribe stream broke");
                    let half = events.len() / 2;
                    TranscribeScript::BreakAfter(events[..half].to_vec())
                }
                None => TranscribeScript::Events(events),
            },
            other => other,
        };
        let (events, ending) = match script {
            TranscribeScript::Events(events) => (events, None),
            TranscribeScript::FailAfter {
                events,
                exception,
                message,
            } => (events, Some(Ok(exception_message(&exception, &message)))),
            TranscribeScript::BreakAfter(events) => (
                events,
                Some(Err(std::io::Error::other("connection reset mid-stream"))),
            ),
            TranscribeScript::Refuse { .. } | TranscribeScript::Flaky { .. } => return,
        };
        let frames_in_order = events
            .iter()
            .map(|results| Ok(transcript_event(results)))
            .chain(ending);
        for item in frames_in_order {
            // Paced like recognition, so the client has each event before a break.
            tokio::time::sleep(Duration::from_millis(15)).await;
            if frames.send(item).await.is_err() {
                return;
            }
        }
    });
    let body = futures::stream::unfold(outgoing, |mut outgoing| async move {
        outgoing.recv().await.map(|item| (item, outgoing))
    });
    response.body(Body::from_stream(body)).unwrap()
}

impl TranscribeEndpoint {
    /// Starts an endpoint that answers every StartStreamTranscription with `script`.
    pub async fn start(script: TranscribeScript) -> TranscribeEndpoint {
        let requests: Arc<Mutex<Vec<TranscribeRequest>>> = Arc::default();
        let arrivals: Arc<AtomicUsize> = Arc::default();
        let app = Router::new()
            .route("/stream-transcription", post(stream_transcription))
            .with_state(TranscribeState {
                script,
                requests: Arc::clone(&requests),
                arrivals: Arc::clone(&arrivals),
            });
        TranscribeEndpoint {
            url: serve(app).await,
            requests,
            arrivals,
        }
    }

    /// An SDK client pointed at this endpoint, static credentials, no retries.
    pub fn client(&self) -> aws_sdk_transcribestreaming::Client {
        let config =
            aws_sdk_transcribestreaming::config::Builder::from(&loopback_sdk_config(&self.url))
                .retry_config(aws_sdk_transcribestreaming::config::retry::RetryConfig::disabled())
                .build();
        aws_sdk_transcribestreaming::Client::from_conf(config)
    }
}

/// What the Polly endpoint answers.
#[derive(Clone, Debug)]
pub enum PollyReply {
    /// 200 with these bytes as the audio.
    Audio(Bytes),
    /// This status with a JSON error body `{"__type", "message"}`.
    Error {
        status: u16,
        error_type: String,
        message: String,
    },
    /// 200 with these bytes; but when `dice` rolls a failure, the audio stops half-way (its `Content-Length`
    /// promising the whole) and the connection breaks.
    Flaky { audio: Bytes, dice: Arc<FaultDice> },
}

/// One SynthesizeSpeech request as received.
#[derive(Clone, Debug)]
pub struct PollyRequest {
    pub version: Version,
    pub path: String,
    pub body: Value,
}

/// A fake-free Polly endpoint: real HTTP, Polly's restJson1 request and response shapes.
pub struct PollyEndpoint {
    pub url: String,
    pub requests: Arc<Mutex<Vec<PollyRequest>>>,
}

#[derive(Clone)]
struct PollyState {
    reply: PollyReply,
    requests: Arc<Mutex<Vec<PollyRequest>>>,
}

async fn synthesize_speech(State(state): State<PollyState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, 1 << 20)
        .await
        .unwrap_or_default();
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let characters = body["Text"].as_str().map_or(0, |t| t.chars().count());
    let content_type = match body["OutputFormat"].as_str() {
        Some("pcm") => "audio/pcm",
        _ => "audio/mpeg",
    };
    state.requests.lock().unwrap().push(PollyRequest {
        version: parts.version,
        path: parts.uri.path().to_owned(),
        body,
    });
    let reply = match state.reply {
        PollyReply::Flaky { audio, dice } => {
            if dice.roll(1).is_some() {
                dice.record("polly stream broke");
                let half = audio.slice(..audio.len() / 2);
                let frames = futures::stream::iter([
                    Ok(half),
                    Err(std::io::Error::other("connection reset mid-stream")),
                ]);
                return Response::builder()
                    .status(StatusCode::OK)
                    .header("content-type", content_type)
                    .header("content-length", audio.len().to_string())
                    .header("x-amzn-requestcharacters", characters.to_string())
                    .body(Body::from_stream(frames))
                    .unwrap();
            }
            PollyReply::Audio(audio)
        }
        other => other,
    };
    match reply {
        PollyReply::Flaky { .. } => unreachable!("resolved above"),
        PollyReply::Audio(audio) => Response::builder()
            .status(StatusCode::OK)
            .header("content-type", content_type)
            .header("x-amzn-requestcharacters", characters.to_string())
            .header("x-amzn-requestid", "polly-request-1")
            .body(Body::from(audio))
            .unwrap(),
        PollyReply::Error {
            status,
            error_type,
            message,
        } => Response::builder()
            .status(status)
            .header("content-type", "application/json")
            .header("x-amzn-requestid", "polly-request-1")
            .body(Body::from(
                json!({"__type": error_type, "message": message}).to_string(),
            ))
            .unwrap(),
    }
}

impl PollyEndpoint {
    /// Starts an endpoint that answers every SynthesizeSpeech with `reply`.
    pub async fn start(reply: PollyReply) -> PollyEndpoint {
        let requests: Arc<Mutex<Vec<PollyRequest>>> = Arc::default();
        let app = Router::new()
            .route("/v1/speech", post(synthesize_speech))
            .with_state(PollyState {
                reply,
                requests: Arc::clone(&requests),
            });
        PollyEndpoint {
            url: serve(app).await,
            requests,
        }
    }

    /// An SDK client pointed at this endpoint, static credentials, no retries.
    pub fn client(&self) -> aws_sdk_polly::Client {
        let config = aws_sdk_polly::config::Builder::from(&loopback_sdk_config(&self.url))
            .retry_config(aws_sdk_polly::config::retry::RetryConfig::disabled())
            .build();
        aws_sdk_polly::Client::from_conf(config)
    }
}
