//! Verifying Cognito tokens ourselves, for the WebSocket `$connect` (API Gateway's WebSocket APIs have no JWT
//! authorizer): RS256 against the user pool's published keys, with the same issuer and client checks the HTTP
//! API's authorizer makes.

use async_trait::async_trait;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use serde::Deserialize;
use tokio::sync::RwLock;

use super::AuthError;
use crate::domain::Identity;
use crate::ports::TokenVerifier;

/// A user pool's token verifier. Keys are fetched once and again only when a token names an unknown key id
/// (Cognito rotates keys rarely).
pub struct CognitoVerifier {
    issuer: String,
    jwks_url: String,
    client_id: String,
    http: reqwest::Client,
    keys: RwLock<Option<JwkSet>>,
}

#[derive(Deserialize)]
struct Claims {
    sub: String,
    #[serde(default)]
    token_use: String,
    #[serde(default)]
    aud: Option<String>,
    #[serde(default)]
    client_id: Option<String>,
    #[serde(rename = "cognito:groups", default)]
    groups: Vec<String>,
}

impl CognitoVerifier {
    /// For the pool `user_pool_id` in `region` and its app client `client_id`.
    pub fn new(region: &str, user_pool_id: &str, client_id: &str) -> Self {
        let issuer = format!("https://cognito-idp.{region}.amazonaws.com/{user_pool_id}");
        let jwks_url = format!("{issuer}/.well-known/jwks.json");
        Self::with_urls(issuer, jwks_url, client_id)
    }

    /// With explicit issuer and key URL (tests serve keys on loopback).
    pub fn with_urls(
        issuer: impl Into<String>,
        jwks_url: impl Into<String>,
        client_id: impl Into<String>,
    ) -> Self {
        Self {
            issuer: issuer.into(),
            jwks_url: jwks_url.into(),
            client_id: client_id.into(),
            http: reqwest::Client::new(),
            keys: RwLock::new(None),
        }
    }

    async fn fetch_keys(&self) -> Result<JwkSet, AuthError> {
        let response = self.http.get(&self.jwks_url).send().await.map_err(|e| {
            tracing::error!(error = %e, "could not fetch the user pool's keys");
            AuthError::Invalid
        })?;
        response.json::<JwkSet>().await.map_err(|e| {
            tracing::error!(error = %e, "the user pool's keys did not parse");
            AuthError::Invalid
        })
    }

    async fn key_for(&self, kid: &str) -> Result<DecodingKey, AuthError> {
        if let Some(keys) = self.keys.read().await.as_ref()
            && let Some(jwk) = keys.find(kid)
        {
            return DecodingKey::from_jwk(jwk).map_err(|_| AuthError::Invalid);
        }
        let fresh = self.fetch_keys().await?;
        let key = fresh.find(kid).map(DecodingKey::from_jwk);
        *self.keys.write().await = Some(fresh);
        key.ok_or(AuthError::Invalid)?
            .map_err(|_| AuthError::Invalid)
    }
}

#[async_trait]
impl TokenVerifier for CognitoVerifier {
    async fn verify(&self, token: &str) -> Result<Identity, AuthError> {
        let header = decode_header(token).map_err(|_| AuthError::Invalid)?;
        if header.alg != Algorithm::RS256 {
            return Err(AuthError::Invalid);
        }
        let kid = header.kid.ok_or(AuthError::Invalid)?;
        let key = self.key_for(&kid).await?;
        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_issuer(&[&self.issuer]);
        validation.validate_aud = false;
        validation.set_required_spec_claims(&["exp", "iss", "sub"]);
        let claims = decode::<Claims>(token, &key, &validation)
            .map_err(|_| AuthError::Invalid)?
            .claims;
        let for_us = match claims.token_use.as_str() {
            "id" => claims.aud.as_deref() == Some(self.client_id.as_str()),
            "access" => claims.client_id.as_deref() == Some(self.client_id.as_str()),
            _ => false,
        };
        if !for_us {
            return Err(AuthError::Invalid);
        }
        Identity::new(claims.sub, claims.groups).map_err(|_| AuthError::Invalid)
    }
}
