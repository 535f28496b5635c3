//! Lambda for the `AnalyticsHistory` route; the handler lives in `prepai::handlers`.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    prepai::entry::http_lambda::serve(prepai::Route::AnalyticsHistory).await
}
