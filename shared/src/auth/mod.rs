//! Identity at the entrances. On AWS the HTTP API's JWT authorizer verifies Cognito tokens before a REST Lambda
//! runs, and [`CognitoVerifier`] does the same for the WebSocket `$connect`; locally the server verifies its own
//! HS256 tokens with [`LocalJwt`].

mod cognito;
mod local_jwt;

pub use crate::ports::AuthError;
pub use cognito::CognitoVerifier;
pub use local_jwt::{
    LOCAL_ISSUER, LocalJwt, MAX_REFRESHED_TTL, MAX_SIGN_IN_AGE, MIN_REFRESHED_TTL,
    MIN_SECRET_BYTES, RefreshError, Refreshed,
};

/// The token in an `Authorization: Bearer <token>` header value (either case of "Bearer"), trimmed.
pub fn bearer_token(authorization: &str) -> Option<&str> {
    authorization
        .strip_prefix("Bearer ")
        .or_else(|| authorization.strip_prefix("bearer "))
        .map(str::trim)
}
