//! Adapters that talk to AWS services.

mod apigw_push;
mod bedrock_agent;
mod lambda_code_runner;
mod s3_store;

pub use apigw_push::ApiGatewayPush;
pub use bedrock_agent::BedrockInterviewer;
pub use lambda_code_runner::LambdaCodeRunner;
pub use s3_store::S3ObjectStore;
