//! Lambda for `POST /api/interviews/{session_id}/upload-cv` (storage and Textract); the handler lives in `prepai::handlers`.

use prepai::Route;
use prepai::entry::config::Wiring;
use prepai::entry::http_lambda;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    http_lambda::serve(
        Route::UploadCv,
        async { Wiring::storage().await.textract() },
        |ctx, request| async move { prepai::handlers::cv::upload(&ctx, request).await },
    )
    .await
}
