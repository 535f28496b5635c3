//! Identity at the entrances. On AWS the HTTP API's JWT authorizer verifies Cognito tokens before a Lambda runs;
//! locally the server verifies its own HS256 tokens with [`LocalJwt`].

mod local_jwt;

pub use local_jwt::{AuthError, LOCAL_ISSUER, LocalJwt, MIN_SECRET_BYTES};
