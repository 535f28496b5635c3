//! Lambda for `GET /api/code/{session_id}/submissions` (storage only); the handler lives in `prepai::handlers`.

use prepai::Route;
use prepai::entry::config::Wiring;
use prepai::entry::http_lambda;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    http_lambda::serve(
        Route::ListSubmissions,
        Wiring::storage(),
        |ctx, request| async move { prepai::handlers::code::list_submissions(&ctx, request).await },
    )
    .await
}
