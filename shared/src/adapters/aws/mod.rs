//! Adapters that talk to AWS services.

mod s3_store;

pub use s3_store::S3ObjectStore;
