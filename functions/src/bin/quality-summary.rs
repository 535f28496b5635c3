//! Lambda for `GET /api/code/{session_id}/quality-summary` (storage only); the handler lives in `prepai::handlers`.

use prepai::Route;
use prepai::entry::config::Wiring;
use prepai::entry::http_lambda;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    http_lambda::serve(
        Route::QualitySummary,
        Wiring::storage(),
        |ctx, request| async move { prepai::handlers::code::quality_summary(&ctx, request).await },
    )
    .await
}
