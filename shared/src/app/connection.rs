//! Opening and closing the interview socket: `$connect` checks the token and the session and binds the connection
//! to it; `$disconnect` forgets the binding.

use crate::domain::{ConnectionId, Identity, SessionId};
use crate::ports::{Clock, TokenVerifier};
use crate::store::{ConnectionRecord, ConnectionStore, SessionStore};

use super::AppError;

/// What connecting needs.
pub struct Connections<'a> {
    pub sessions: &'a SessionStore,
    pub connections: &'a ConnectionStore,
    pub verifier: &'a dyn TokenVerifier,
    pub clock: &'a dyn Clock,
}

/// Why a connection was refused, with the HTTP status the handshake answers.
#[derive(Debug, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub message: String,
}

impl Refusal {
    fn new(status: u16, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }
}

impl Connections<'_> {
    /// `$connect`: a valid token, the caller's own session, still running; then the binding is stored.
    pub async fn connect(
        &self,
        connection: &ConnectionId,
        token: Option<&str>,
        session_id: Option<&str>,
    ) -> Result<Identity, Refusal> {
        let Some(token) = token.filter(|t| !t.is_empty()) else {
            return Err(Refusal::new(401, "missing token query parameter"));
        };
        let identity = self
            .verifier
            .verify(token)
            .await
            .map_err(|_| Refusal::new(401, "the token is invalid or expired"))?;
        let Some(raw_session) = session_id else {
            return Err(Refusal::new(400, "missing session_id query parameter"));
        };
        let session_id = SessionId::parse(raw_session)
            .map_err(|_| Refusal::new(400, "session_id must be a UUID"))?;
        let session = self
            .sessions
            .get(&session_id, &identity)
            .await
            .map_err(|e| match AppError::from(e) {
                AppError::NotFound { .. } => Refusal::new(404, "session not found"),
                AppError::StorageUnavailable => {
                    Refusal::new(503, AppError::StorageUnavailable.to_string())
                }
                other => {
                    tracing::error!(error = %other, "connect: session lookup failed");
                    Refusal::new(500, "could not open the session; please retry")
                }
            })?;
        if session.ensure_accepting().is_err() {
            return Err(Refusal::new(
                409,
                "this interview has ended; open its report instead",
            ));
        }
        let record = ConnectionRecord {
            connection_id: connection.to_string(),
            session_id,
            sub: identity.sub().to_owned(),
            groups: identity.groups().to_vec(),
            connected_at: self.clock.now(),
            utterances: Vec::new(),
        };
        if let Err(e) = self.connections.create(connection, &record).await {
            return Err(match AppError::from(e) {
                AppError::InsufficientStorage => {
                    Refusal::new(507, AppError::InsufficientStorage.to_string())
                }
                AppError::StorageUnavailable => {
                    Refusal::new(503, AppError::StorageUnavailable.to_string())
                }
                other => {
                    tracing::error!(error = %other, "connect: could not save the connection");
                    Refusal::new(500, "could not open the connection; please retry")
                }
            });
        }
        tracing::info!(%session_id, %connection, "connected");
        Ok(identity)
    }

    /// `$disconnect`: forgets the connection.
    pub async fn disconnect(&self, connection: &ConnectionId) {
        if let Err(e) = self.connections.remove(connection).await {
            tracing::warn!(error = %e, "disconnect: could not remove the connection record");
        }
    }
}
