//! Lambda for `GET /api/interviews/{session_id}/performance-report` (storage only); the handler lives in `prepai::handlers`.

use prepai::Route;
use prepai::entry::config::Wiring;
use prepai::entry::http_lambda;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    http_lambda::serve(Route::GetPerformanceReport, Wiring::storage(), |ctx, request| async move {
        prepai::handlers::performance_report::get(&ctx, request).await
    })
    .await
}
