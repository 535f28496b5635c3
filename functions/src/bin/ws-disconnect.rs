//! Lambda for the WebSocket API's `$disconnect` route (storage only); the handler lives in `prepai::ws::handlers`.

#[tokio::main]
async fn main() -> Result<(), lambda_http::lambda_runtime::Error> {
    prepai::entry::ws_lambda::serve_disconnect().await
}
