//! Lambda for the cv-analyzer tool (the seed's direct `{cvText, extractSkills}` input and both Bedrock
//! action-group event forms); the analysis lives in `prepai::tools::cv_analyzer`.

#[tokio::main]
async fn main() -> Result<(), lambda_http::lambda_runtime::Error> {
    prepai::entry::tool_lambda::serve(prepai::tools::cv_analyzer::run).await
}
