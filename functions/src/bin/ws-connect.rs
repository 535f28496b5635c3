//! Lambda for the WebSocket API's `$connect` route (storage and the Cognito token verifier); the handler lives in
//! `prepai::ws::handlers`.

#[tokio::main]
async fn main() -> Result<(), lambda_http::lambda_runtime::Error> {
    prepai::entry::ws_lambda::serve_connect().await
}
