//! Lambda for `PUT /api/interviews/{session_id}/cv-analysis` (storage only); the handler lives in `prepai::handlers`.

use prepai::Route;
use prepai::entry::config::Wiring;
use prepai::entry::http_lambda;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    http_lambda::serve(
        Route::CorrectCvAnalysis,
        Wiring::storage(),
        |ctx, request| async move { prepai::handlers::cv::correct_analysis(&ctx, request).await },
    )
    .await
}
