//! The one place errors become HTTP statuses and the `{"error": {"code", "message"}}` body.

use http::StatusCode;
use serde_json::json;

use super::ApiResponse;
use crate::app::AppError;
use crate::store::SessionStoreError;

/// Every way a request can fail, as the caller should hear it.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request is wrong; `code` is stable for programs, `message` says what to fix.
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    #[error("missing or invalid credentials: send Authorization: Bearer <token>")]
    Unauthorized,
    #[error("{what} not found")]
    NotFound { what: String },
    /// 404 with a message that says what to do (end the interview first, upload a resume first…).
    #[error("{message}")]
    NotYet { code: &'static str, message: String },
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error("the request body is larger than {limit_bytes} bytes")]
    PayloadTooLarge { limit_bytes: usize },
    #[error("{message}")]
    UnsupportedMediaType { message: String },
    #[error("{message}")]
    Unprocessable { code: &'static str, message: String },
    /// 429: a daily quota is used up; `Retry-After` says when it starts again.
    #[error("{message}")]
    TooManyRequests {
        code: &'static str,
        message: String,
        retry_after_seconds: u64,
    },
    /// Too many writers at once; the caller may retry.
    #[error("the session is busy, please retry")]
    Busy,
    /// Storage kept failing through its retries; the caller may retry shortly (503).
    #[error("storage is unavailable right now; nothing was half-saved, please retry shortly")]
    StorageUnavailable,
    /// The disk is full; nothing was written (507).
    #[error("the server is out of storage space; nothing was saved — please try again later")]
    InsufficientStorage,
    /// Our fault. The detail goes to the log, never to the caller.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::BadRequest {
            code,
            message: message.into(),
        }
    }

    pub fn not_found(what: impl Into<String>) -> Self {
        Self::NotFound { what: what.into() }
    }

    /// The status this error maps to.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::NotFound { .. } | Self::NotYet { .. } => StatusCode::NOT_FOUND,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Busy | Self::StorageUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::InsufficientStorage => StatusCode::INSUFFICIENT_STORAGE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::BadRequest { code, .. }
            | Self::Conflict { code, .. }
            | Self::Unprocessable { code, .. }
            | Self::NotYet { code, .. }
            | Self::TooManyRequests { code, .. } => code,
            Self::Unauthorized => "unauthorized",
            Self::NotFound { .. } => "not_found",
            Self::PayloadTooLarge { .. } => "payload_too_large",
            Self::UnsupportedMediaType { .. } => "unsupported_media_type",
            Self::Busy => "busy",
            Self::StorageUnavailable => "storage_unavailable",
            Self::InsufficientStorage => "insufficient_storage",
            Self::Internal(_) => "internal",
        }
    }

    /// The response a caller sees. Internal details are logged here and replaced by a generic message.
    pub fn into_response(self) -> ApiResponse {
        let message = match &self {
            Self::Internal(detail) => {
                tracing::error!(%detail, "request failed");
                "something went wrong on our side; please try again".to_owned()
            }
            other => other.to_string(),
        };
        let mut response = ApiResponse::json(
            self.status(),
            &json!({"error": {"code": self.code(), "message": message}}),
        );
        if let Self::TooManyRequests {
            retry_after_seconds,
            ..
        } = self
        {
            response
                .headers
                .insert(http::header::RETRY_AFTER, retry_after_seconds.into());
        }
        response
    }
}

impl From<SessionStoreError> for ApiError {
    fn from(e: SessionStoreError) -> Self {
        match e {
            SessionStoreError::NotFound(id) => Self::not_found(format!("session {id}")),
            SessionStoreError::Contention(_) => Self::Busy,
            SessionStoreError::Store(e) => AppError::from(e).into(),
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<AppError> for ApiError {
    /// The application layer's errors as HTTP: the one mapping for every REST route.
    fn from(e: AppError) -> Self {
        match e {
            AppError::Invalid { code, message } => Self::BadRequest { code, message },
            AppError::NotFound { what } => Self::NotFound { what },
            AppError::NotYet { code, message } => Self::NotYet { code, message },
            AppError::Conflict { code, message } => Self::Conflict { code, message },
            AppError::TooLarge { limit_bytes, .. } => Self::PayloadTooLarge { limit_bytes },
            AppError::Unsupported { message } => Self::UnsupportedMediaType { message },
            AppError::Unprocessable { code, message } => Self::Unprocessable { code, message },
            AppError::TooManyRequests {
                code,
                message,
                retry_after_seconds,
            } => Self::TooManyRequests {
                code,
                message,
                retry_after_seconds,
            },
            AppError::Busy => Self::Busy,
            AppError::StorageUnavailable => Self::StorageUnavailable,
            AppError::InsufficientStorage => Self::InsufficientStorage,
            AppError::Internal(detail) => Self::Internal(detail),
        }
    }
}
