//! Identity at the entrances. On AWS the HTTP API's JWT authorizer verifies Cognito tokens before a REST Lambda
//! runs, and [`CognitoVerifier`] does the same for the WebSocket `$connect`; locally the server verifies its own
//! HS256 tokens with [`LocalJwt`].

mod cognito;
mod local_jwt;

pub use cognito::CognitoVerifier;
pub use local_jwt::{AuthError, LOCAL_ISSUER, LocalJwt, MIN_SECRET_BYTES};
