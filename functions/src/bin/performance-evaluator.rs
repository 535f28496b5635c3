//! Lambda for the performance-evaluator tool (storage and the answer judge: called by the agent, it ends the interview and stores the
//! report as `POST …/end` does); the scoring lives in `prepai::tools::performance_evaluator`.

use prepai::entry::config::Wiring;
use prepai::entry::tool_lambda;

#[tokio::main]
async fn main() -> Result<(), lambda_http::lambda_runtime::Error> {
    tool_lambda::serve_with_context(
        "performance-evaluator",
        async { Wiring::storage().await.judge() },
        tool_lambda::performance_evaluator,
    )
    .await
}
