//! Lambda for the cv-analyzer tool (storage: called by the agent, it reads the interview's session); the analysis
//! lives in `prepai::tools::cv_analyzer`.

use prepai::entry::config::Wiring;
use prepai::entry::tool_lambda;

#[tokio::main]
async fn main() -> Result<(), lambda_http::lambda_runtime::Error> {
    tool_lambda::serve_with_context("cv-analyzer", Wiring::storage(), tool_lambda::cv_analyzer)
        .await
}
