//! Lambda for the WebSocket API's `$default` route: every client message (the interviewer on Bedrock, code runs,
//! voice through Transcribe and Polly, pushes through PostToConnection); the handler lives in `prepai::ws::handlers`.

#[tokio::main]
async fn main() -> Result<(), lambda_http::lambda_runtime::Error> {
    prepai::entry::ws_lambda::serve_default().await
}
