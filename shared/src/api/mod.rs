//! The HTTP edge shared by both entrances: request/response types and the error mapping.

mod error;
mod request;

pub use error::ApiError;
pub use request::{ApiRequest, ApiResponse, MAX_JSON_BODY_BYTES};
