//! Lambda for the performance-evaluator tool (direct input and both Bedrock action-group event forms); the scoring
//! lives in `prepai::tools::performance_evaluator`.

#[tokio::main]
async fn main() -> Result<(), lambda_http::lambda_runtime::Error> {
    prepai::entry::tool_lambda::serve(prepai::tools::performance_evaluator::run).await
}
