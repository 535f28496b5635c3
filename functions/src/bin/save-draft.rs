//! Lambda for the `SaveDraft` route; the handler lives in `prepai::handlers`.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    prepai::entry::http_lambda::serve(prepai::Route::SaveDraft).await
}
