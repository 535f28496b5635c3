//! Implementations of the ports: `aws` for the deployed stack, `local` for the local server and tests.

pub mod aws;
pub mod local;
