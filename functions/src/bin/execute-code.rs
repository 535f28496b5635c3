//! Lambda for `POST /api/code/execute` (storage and the code-executor function); the handler lives in `prepai::handlers`.

use prepai::Route;
use prepai::entry::config::Wiring;
use prepai::entry::http_lambda;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    http_lambda::serve(
        Route::ExecuteCode,
        async { Wiring::storage().await.code_runner() },
        |ctx, request| async move { prepai::handlers::code::execute(&ctx, request).await },
    )
    .await
}
