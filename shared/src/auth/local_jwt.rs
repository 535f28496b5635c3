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
    /// When the holder signed in (the first token of a refresh chain was minted); refreshing keeps it, and stops
    /// after [`MAX_SIGN_IN_AGE`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    auth_time: Option<i64>,
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

/// How long after signing in a token can still be refreshed: then the candidate signs in again (a new link).
pub const MAX_SIGN_IN_AGE: Duration = Duration::days(30);

/// The longest a refreshed token lives: refreshing keeps a page signed in, not a stolen token alive for long.
pub const MAX_REFRESHED_TTL: Duration = Duration::hours(12);

/// The shortest a refreshed token lives (a token minted for minutes refreshes to at least this).
pub const MIN_REFRESHED_TTL: Duration = Duration::minutes(5);

/// Why a token was not refreshed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RefreshError {
    /// Not one of ours, tampered with, or already expired: only a valid, unexpired token is refreshed.
    #[error("only a valid, unexpired sign-in token can be refreshed; sign in again")]
    Invalid,
    /// The sign-in it descends from is older than [`MAX_SIGN_IN_AGE`].
    #[error("this sign-in is more than 30 days old; sign in again")]
    TooOld,
}

/// A refreshed token and when it expires.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refreshed {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

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
            auth_time: Some(now.timestamp()),
            groups: groups.to_vec(),
        };
        self.sign(&claims)
    }

    fn sign(&self, claims: &Claims) -> String {
        // HS256 over a serialisable struct with a valid key cannot fail; an empty token would simply be refused.
        encode(&Header::new(Algorithm::HS256), claims, &self.encoding).unwrap_or_default()
    }

    /// A fresh token for the holder of `token`, which must be one of ours, untampered and not yet expired at `now`
    /// (no leeway). The new token names the same user and groups and keeps the sign-in time; it lives as long as
    /// the old one did, between [`MIN_REFRESHED_TTL`] and [`MAX_REFRESHED_TTL`], and never past
    /// [`MAX_SIGN_IN_AGE`] after signing in.
    pub fn refresh(&self, token: &str, now: DateTime<Utc>) -> Result<Refreshed, RefreshError> {
        let mut validation = self.validation.clone();
        validation.leeway = 0;
        validation.validate_exp = false;
        let claims = decode::<Claims>(token, &self.decoding, &validation)
            .map_err(|_| RefreshError::Invalid)?
            .claims;
        if claims.exp <= now.timestamp() {
            return Err(RefreshError::Invalid);
        }
        Identity::new(claims.sub.clone(), claims.groups.clone())
            .map_err(|_| RefreshError::Invalid)?;
        let signed_in = claims.auth_time.unwrap_or(claims.iat);
        let limit = signed_in + MAX_SIGN_IN_AGE.num_seconds();
        if now.timestamp() >= limit {
            return Err(RefreshError::TooOld);
        }
        let lifetime = (claims.exp - claims.iat).clamp(
            MIN_REFRESHED_TTL.num_seconds(),
            MAX_REFRESHED_TTL.num_seconds(),
        );
        let exp = (now.timestamp() + lifetime).min(limit);
        let fresh = Claims {
            iat: now.timestamp(),
            exp,
            auth_time: Some(signed_in),
            ..claims
        };
        Ok(Refreshed {
            token: self.sign(&fresh),
            expires_at: DateTime::from_timestamp(exp, 0).unwrap_or(now),
        })
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
    fn only_valid_unexpired_tokens_refresh_and_the_chain_ends_after_thirty_days() {
        let jwt = LocalJwt::new(SECRET).unwrap();
        let now = Utc::now();
        let token = jwt.mint(
            "ann",
            &["admin".into()],
            now - Duration::minutes(50),
            Duration::hours(1),
        );
        let fresh = jwt.refresh(&token, now).unwrap();
        assert_ne!(fresh.token, token);
        assert_eq!(
            fresh.expires_at.timestamp(),
            (now + Duration::hours(1)).timestamp()
        );
        let id = jwt.verify(&fresh.token).unwrap();
        assert_eq!(id.sub(), "ann");
        assert!(id.is_admin(), "groups carry over");
        // Refreshing the refreshed token works too, keeping the sign-in time.
        assert!(
            jwt.refresh(&fresh.token, now + Duration::minutes(30))
                .is_ok()
        );

        let expired = jwt.mint("ann", &[], now - Duration::hours(2), Duration::hours(1));
        assert_eq!(jwt.refresh(&expired, now), Err(RefreshError::Invalid));
        let just_expired = jwt.mint(
            "ann",
            &[],
            now - Duration::seconds(61),
            Duration::seconds(60),
        );
        assert_eq!(
            jwt.refresh(&just_expired, now),
            Err(RefreshError::Invalid),
            "no leeway"
        );
        let other = LocalJwt::new(b"another-secret-another-secret-xx").unwrap();
        let foreign = other.mint("ann", &[], now, Duration::hours(1));
        assert_eq!(jwt.refresh(&foreign, now), Err(RefreshError::Invalid));
        let mut tampered = token.clone();
        tampered.insert(tampered.len() / 2, 'x');
        assert_eq!(jwt.refresh(&tampered, now), Err(RefreshError::Invalid));
        assert_eq!(jwt.refresh("not.a.jwt", now), Err(RefreshError::Invalid));

        let long = jwt.mint("ann", &[], now - Duration::days(29), Duration::days(30));
        let capped = jwt.refresh(&long, now).unwrap();
        assert_eq!(
            capped.expires_at.timestamp(),
            (now + MAX_REFRESHED_TTL).timestamp()
        );
        let old = jwt.mint("ann", &[], now - Duration::days(31), Duration::days(40));
        assert_eq!(jwt.refresh(&old, now), Err(RefreshError::TooOld));
        let near_end = jwt.mint(
            "ann",
            &[],
            now - Duration::days(30) + Duration::hours(1),
            Duration::days(31),
        );
        let last = jwt.refresh(&near_end, now).unwrap();
        assert!(
            last.expires_at <= now + Duration::hours(1),
            "never past 30 days after signing in"
        );
    }

    #[test]
    fn short_secrets_are_refused() {
        assert!(LocalJwt::new(b"short").is_err());
    }
}
