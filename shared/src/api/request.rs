//! The request and response every handler speaks, whichever entrance (Lambda or the local server) it came through.

use std::collections::HashMap;

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::ApiError;
use crate::domain::{Identity, SessionId};

/// The largest JSON body a JSON route reads.
pub const MAX_JSON_BODY_BYTES: usize = 1024 * 1024;

/// A framework-free HTTP request: the Lambda main converts from `lambda_http`, the local server from axum.
#[derive(Clone, Debug, Default)]
pub struct ApiRequest {
    pub method: Method,
    /// Path parameters by their template name (`session_id`), already percent-decoded.
    pub path_params: HashMap<String, String>,
    pub query: HashMap<String, String>,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// The verified caller; `None` only when an entrance let an unauthenticated request through.
    pub identity: Option<Identity>,
}

impl ApiRequest {
    /// The verified caller, or 401.
    pub fn caller(&self) -> Result<&Identity, ApiError> {
        self.identity.as_ref().ok_or(ApiError::Unauthorized)
    }

    /// The `session_id` path parameter, parsed — the only way a handler gets one.
    pub fn session_id(&self) -> Result<SessionId, ApiError> {
        let raw = self.path_params.get("session_id").ok_or_else(|| {
            ApiError::bad_request("missing_parameter", "the path needs a session_id")
        })?;
        SessionId::parse(raw)
            .map_err(|e| ApiError::bad_request("invalid_session_id", e.to_string()))
    }

    /// The body as JSON of type `T`: 413 past [`MAX_JSON_BODY_BYTES`], 400 with serde's explanation otherwise.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        if self.body.len() > MAX_JSON_BODY_BYTES {
            return Err(ApiError::PayloadTooLarge {
                limit_bytes: MAX_JSON_BODY_BYTES,
            });
        }
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::bad_request(
                "invalid_json",
                "the request body must be a JSON object",
            ));
        }
        serde_json::from_slice(&self.body).map_err(|e| {
            let code = if e.is_data() {
                "invalid_field"
            } else {
                "invalid_json"
            };
            ApiError::bad_request(code, format!("request body: {e}"))
        })
    }

    /// The body as a JSON object read into `T`: like [`json`](Self::json), but a JSON array is refused rather than
    /// read into `T`'s fields by position (serde's default for structs).
    pub fn json_object<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        let value: serde_json::Value = self.json()?;
        if !value.is_object() {
            return Err(ApiError::bad_request(
                "invalid_field",
                "request body: expected a JSON object",
            ));
        }
        serde_json::from_value(value)
            .map_err(|e| ApiError::bad_request("invalid_field", format!("request body: {e}")))
    }
}

/// A framework-free HTTP response.
#[derive(Clone, Debug)]
pub struct ApiResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl ApiResponse {
    /// A JSON response with `status`.
    pub fn json<T: Serialize>(status: StatusCode, value: &T) -> Self {
        match serde_json::to_vec(value) {
            Ok(body) => {
                let mut headers = HeaderMap::new();
                headers.insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                );
                Self {
                    status,
                    headers,
                    body: Bytes::from(body),
                }
            }
            Err(e) => {
                ApiError::Internal(format!("response did not serialise: {e}")).into_response()
            }
        }
    }

    /// 200 with a JSON body.
    pub fn ok<T: Serialize>(value: &T) -> Self {
        Self::json(StatusCode::OK, value)
    }

    /// The body parsed as JSON (tests and the local server's logs use it).
    pub fn body_json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}
