//! Lambda for `GET /api/analytics/history` (storage only); the handler lives in `prepai::handlers`.

use prepai::Route;
use prepai::entry::config::Wiring;
use prepai::entry::http_lambda;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    http_lambda::serve(
        Route::AnalyticsHistory,
        Wiring::storage(),
        |ctx, request| async move { prepai::handlers::analytics::own_history(&ctx, request).await },
    )
    .await
}
