//! Lambda for `GET /api/interviews/{session_id}/drafts` (storage only); the handler lives in `prepai::handlers`.

use prepai::Route;
use prepai::entry::config::Wiring;
use prepai::entry::http_lambda;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    http_lambda::serve(
        Route::ListDrafts,
        Wiring::storage(),
        |ctx, request| async move { prepai::handlers::drafts::list(&ctx, request).await },
    )
    .await
}
