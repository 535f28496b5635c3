//! Adapters that talk to AWS services.

mod apigw_push;
mod bedrock_agent;
mod s3_store;

pub use apigw_push::ApiGatewayPush;
pub use bedrock_agent::BedrockInterviewer;
pub use s3_store::S3ObjectStore;
