//! Verifying a bearer token where no API Gateway authorizer does it for us: the WebSocket `$connect` (browsers
//! cannot set headers on a WebSocket, so the token comes as a query parameter) and the local server.

use async_trait::async_trait;

use crate::domain::Identity;

/// Why a bearer token was refused. Deliberately coarse: a caller learns only that the token is not accepted.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AuthError {
    #[error("missing Authorization: Bearer <token> header")]
    Missing,
    #[error("the token is invalid or expired")]
    Invalid,
}

/// Turns a token into the caller it names.
#[async_trait]
pub trait TokenVerifier: Send + Sync {
    async fn verify(&self, token: &str) -> Result<Identity, AuthError>;
}

/// For functions deployed without a verifier configured: every token is refused.
#[derive(Clone, Copy, Debug, Default)]
pub struct RejectAllTokens;

#[async_trait]
impl TokenVerifier for RejectAllTokens {
    async fn verify(&self, _token: &str) -> Result<Identity, AuthError> {
        Err(AuthError::Invalid)
    }
}
