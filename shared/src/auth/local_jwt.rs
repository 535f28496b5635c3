//! HS256 tokens for the local server, carrying the same claims Cognito puts in its ID tokens.

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};

use crate::domain::Identity;
use crate::ports::{AuthError, TokenVerifier};

/// The issuer the local server stamps and expects, so a token from elsewhere with the same secret is refused.
pub const LOCAL_ISSUER: &str = "prepai-local";

#[derive(Serialize, Deserialize)]
struct Claims {
    sub: String,
    iss: String,
    iat: i64,
    exp: i64,
    #[serde(
        rename = "cognito:groups",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    groups: Vec<String>,
}

/// Signs and verifies local tokens with one shared secret.
pub struct LocalJwt {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

/// The shortest secret accepted: HS256 with fewer than 32 bytes of key is guessable.
pub const MIN_SECRET_BYTES: usize = 32;

impl LocalJwt {
    /// A verifier for `secret`, which must be at least [`MIN_SECRET_BYTES`] long.
    pub fn new(secret: &[u8]) -> Result<Self, String> {
        if secret.len() < MIN_SECRET_BYTES {
            return Err(format!(
                "PREPAI_JWT_SECRET must be at least {MIN_SECRET_BYTES} bytes"
            ));
        }
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[LOCAL_ISSUER]);
        validation.set_required_spec_claims(&["exp", "sub", "iss"]);
        validation.leeway = 5;
        Ok(Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
        })
    }

    /// A token for `sub` in `groups`, valid from `now` for `ttl`.
    pub fn mint(&self, sub: &str, groups: &[String], now: DateTime<Utc>, ttl: Duration) -> String {
        let claims = Claims {
            sub: sub.to_owned(),
            iss: LOCAL_ISSUER.to_owned(),
            iat: now.timestamp(),
            exp: (now + ttl).timestamp(),
            groups: groups.to_vec(),
        };
        // HS256 over a serialisable struct with a valid key cannot fail; an empty token would simply be refused.
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).unwrap_or_default()
    }

    /// The caller named by an `Authorization` header value.
    pub fn verify_header(&self, authorization: Option<&str>) -> Result<Identity, AuthError> {
        let token = authorization
            .and_then(super::bearer_token)
            .ok_or(AuthError::Missing)?;
        self.verify(token)
    }

    /// The caller named by a bare token (the WebSocket's `?token=`).
    pub fn verify(&self, token: &str) -> Result<Identity, AuthError> {
        let data = decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|_| AuthError::Invalid)?;
        Identity::new(data.claims.sub, data.claims.groups).map_err(|_| AuthError::Invalid)
    }
}

#[async_trait::async_trait]
impl TokenVerifier for LocalJwt {
    async fn verify(&self, token: &str) -> Result<Identity, AuthError> {
        LocalJwt::verify(self, token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    #[test]
    fn minted_tokens_verify_with_groups() {
        let jwt = LocalJwt::new(SECRET).unwrap();
        let token = jwt.mint("ann", &["admin".into()], Utc::now(), Duration::hours(1));
        let id = jwt.verify_header(Some(&format!("Bearer {token}"))).unwrap();
        assert_eq!(id.sub(), "ann");
        assert!(id.is_admin());
    }

    #[test]
    fn refuses_expired_foreign_and_malformed_tokens() {
        let jwt = LocalJwt::new(SECRET).unwrap();
        let expired = jwt.mint(
            "ann",
            &[],
            Utc::now() - Duration::hours(2),
            Duration::hours(1),
        );
        assert_eq!(jwt.verify(&expired), Err(AuthError::Invalid));
        let other = LocalJwt::new(b"another-secret-another-secret-xx").unwrap();
        let foreign = other.mint("ann", &[], Utc::now(), Duration::hours(1));
        assert_eq!(jwt.verify(&foreign), Err(AuthError::Invalid));
        assert_eq!(jwt.verify("not.a.jwt"), Err(AuthError::Invalid));
        assert_eq!(jwt.verify_header(None), Err(AuthError::Missing));
        assert_eq!(
            jwt.verify_header(Some("Basic abc")),
            Err(AuthError::Missing)
        );
    }

    #[test]
    fn short_secrets_are_refused() {
        assert!(LocalJwt::new(b"short").is_err());
    }
}
