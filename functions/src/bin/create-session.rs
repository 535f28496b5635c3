//! Lambda for `POST /api/sessions/create` (storage only); the handler lives in `prepai::handlers`.

use prepai::Route;
use prepai::entry::config::Wiring;
use prepai::entry::http_lambda;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    http_lambda::serve(
        Route::CreateSession,
        Wiring::storage(),
        |ctx, request| async move { prepai::handlers::sessions::create(&ctx, request).await },
    )
    .await
}
