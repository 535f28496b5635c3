//! Lambda for `POST /api/interviews/{session_id}/end` (storage, and the answer judge when one is configured); the handler lives in `prepai::handlers`.

use prepai::Route;
use prepai::entry::config::Wiring;
use prepai::entry::http_lambda;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    http_lambda::serve(
        Route::EndInterview,
        async { Wiring::storage().await.judge() },
        |ctx, request| async move { prepai::handlers::interview_end::end(&ctx, request).await },
    )
    .await
}
