//! The application layer's one error type. Each entrance maps it once: to an HTTP status and the
//! `{"error": {"code", "message"}}` body (`api::ApiError`), or to an `error` message on the socket.

use crate::analytics::AnalyticsError;
use crate::domain::LifecycleError;
use crate::ports::{CodeRunnerError, ExtractError, StoreError};
use crate::store::{ConnectionStoreError, QuotaStoreError, SessionStoreError};

/// Every way a use case can fail, in terms a caller can act on.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The input is wrong; `code` is stable for programs, `message` says what to fix.
    #[error("{message}")]
    Invalid { code: &'static str, message: String },
    /// No such thing, or it belongs to someone else (the two are indistinguishable on purpose).
    #[error("{what} not found")]
    NotFound { what: String },
    /// It will exist later (a report before the end, an analysis before an upload); the message says how.
    #[error("{message}")]
    NotYet { code: &'static str, message: String },
    /// The session is not in a state that allows this (the interview has ended, a cap is reached).
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// More than a documented cap.
    #[error("{message}")]
    TooLarge { limit_bytes: usize, message: String },
    /// A file type we do not read.
    #[error("{message}")]
    Unsupported { message: String },
    /// A readable type that yields nothing usable.
    #[error("{message}")]
    Unprocessable { code: &'static str, message: String },
    /// A daily quota is used up; `retry_after_seconds` is when it starts again.
    #[error("{message}")]
    TooManyRequests {
        code: &'static str,
        message: String,
        retry_after_seconds: u64,
    },
    /// Too many writers at once; the caller may retry.
    #[error("the session is busy, please retry")]
    Busy,
    /// Storage kept failing through its retries (throttled, unreachable); nothing the caller sent was lost
    /// half-way, and the same request may work shortly.
    #[error("storage is unavailable right now; nothing was half-saved, please retry shortly")]
    StorageUnavailable,
    /// The disk is full: nothing was written.
    #[error("the server is out of storage space; nothing was saved — please try again later")]
    InsufficientStorage,
    /// Our fault; the detail is for logs, never for the caller.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid {
            code,
            message: message.into(),
        }
    }

    pub fn not_found(what: impl Into<String>) -> Self {
        Self::NotFound { what: what.into() }
    }

    /// The refusal every late answer, code run or upload gets once `end` has been accepted.
    pub fn interview_ended() -> Self {
        Self::Conflict {
            code: "interview_ended",
            message: "this interview has ended; nothing more can be added to it — open its report instead"
                .into(),
        }
    }

    /// The stable code of this error, as both entrances show it.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Invalid { code, .. }
            | Self::NotYet { code, .. }
            | Self::Conflict { code, .. }
            | Self::Unprocessable { code, .. }
            | Self::TooManyRequests { code, .. } => code,
            Self::NotFound { .. } => "not_found",
            Self::TooLarge { .. } => "payload_too_large",
            Self::Unsupported { .. } => "unsupported_media_type",
            Self::Busy => "busy",
            Self::StorageUnavailable => "storage_unavailable",
            Self::InsufficientStorage => "insufficient_storage",
            Self::Internal(_) => "internal",
        }
    }
}

impl From<SessionStoreError> for AppError {
    fn from(e: SessionStoreError) -> Self {
        match e {
            SessionStoreError::NotFound(id) => Self::not_found(format!("session {id}")),
            SessionStoreError::Contention(_) => Self::Busy,
            SessionStoreError::Store(e) => e.into(),
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<StoreError> for AppError {
    /// A full disk and an unavailable backend are the caller's to hear about (507, 503); anything else is ours.
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::OutOfSpace { key } => {
                tracing::error!(%key, "out of storage space");
                Self::InsufficientStorage
            }
            StoreError::Unavailable { key, message } => {
                tracing::warn!(%key, %message, "storage unavailable");
                Self::StorageUnavailable
            }
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<ConnectionStoreError> for AppError {
    fn from(e: ConnectionStoreError) -> Self {
        match e {
            ConnectionStoreError::NotConnected(_) => Self::NotYet {
                code: "not_connected",
                message: "this connection is not bound to a session; reconnect".into(),
            },
            ConnectionStoreError::Contention(_) => Self::Busy,
            ConnectionStoreError::Store(e) => e.into(),
        }
    }
}

impl From<LifecycleError> for AppError {
    fn from(e: LifecycleError) -> Self {
        match e {
            LifecycleError::InterviewEnded => Self::interview_ended(),
            LifecycleError::Deleted => Self::not_found("session"),
        }
    }
}

impl From<AnalyticsError> for AppError {
    fn from(e: AnalyticsError) -> Self {
        match e {
            AnalyticsError::Contention { .. } => Self::Busy,
            AnalyticsError::Store(e) => e.into(),
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<CodeRunnerError> for AppError {
    fn from(e: CodeRunnerError) -> Self {
        match e {
            CodeRunnerError::Rejected(message) => Self::invalid("code_rejected", message),
            CodeRunnerError::Unavailable(detail) => Self::Internal(detail),
        }
    }
}

impl From<ExtractError> for AppError {
    /// 415 for file types we do not read, 422 for readable types that yield no text.
    fn from(e: ExtractError) -> Self {
        if e.is_unsupported_type() {
            Self::Unsupported {
                message: e.to_string(),
            }
        } else {
            Self::Unprocessable {
                code: e.code(),
                message: e.to_string(),
            }
        }
    }
}

impl From<QuotaStoreError> for AppError {
    fn from(e: QuotaStoreError) -> Self {
        match e {
            QuotaStoreError::Contention(_) => Self::Busy,
            other => Self::Internal(other.to_string()),
        }
    }
}
