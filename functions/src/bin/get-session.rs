//! Lambda for `GET /api/sessions/{session_id}` (storage only); the handler lives in `prepai::handlers`.

use prepai::Route;
use prepai::entry::config::Wiring;
use prepai::entry::http_lambda;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    http_lambda::serve(
        Route::GetSession,
        Wiring::storage(),
        |ctx, request| async move { prepai::handlers::sessions::get(&ctx, request).await },
    )
    .await
}
