//! Lambda for `GET /api/code/{session_id}/submissions/{submission_id}` (storage only); the handler lives in `prepai::handlers`.

use prepai::Route;
use prepai::entry::config::Wiring;
use prepai::entry::http_lambda;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    http_lambda::serve(
        Route::GetSubmission,
        Wiring::storage(),
        |ctx, request| async move { prepai::handlers::code::get_submission(&ctx, request).await },
    )
    .await
}
