//! Lambda for `GET /api/analytics/trends` (storage only); the handler lives in `prepai::handlers`.

use prepai::Route;
use prepai::entry::config::Wiring;
use prepai::entry::http_lambda;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    http_lambda::serve(
        Route::AnalyticsTrends,
        Wiring::storage(),
        |ctx, request| async move { prepai::handlers::analytics::trends(&ctx, request).await },
    )
    .await
}
