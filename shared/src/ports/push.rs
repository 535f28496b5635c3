//! Sending a message to a connected WebSocket client: API Gateway's PostToConnection on AWS, a socket registry in
//! the local server.

use async_trait::async_trait;

use crate::domain::ConnectionId;

/// Why a message did not reach its client.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    /// The client has gone (API Gateway's `GoneException`); its connection record should be removed.
    #[error("connection {0} is gone")]
    Gone(String),
    #[error("push to {connection} failed: {message}")]
    Failed { connection: String, message: String },
}

/// Delivers one text frame to one connection.
#[async_trait]
pub trait PushChannel: Send + Sync {
    async fn push(&self, connection: &ConnectionId, text: String) -> Result<(), PushError>;
}
