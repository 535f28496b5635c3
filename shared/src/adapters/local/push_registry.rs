//! The local server's stand-in for PostToConnection: each open socket registers a channel its writer task drains.

use std::collections::HashMap;
use std::sync::Mutex;

use async_trait::async_trait;
use tokio::sync::mpsc;

use crate::domain::ConnectionId;
use crate::ports::{PushChannel, PushError};

/// Open local sockets by connection id.
#[derive(Default)]
pub struct LocalPushRegistry {
    senders: Mutex<HashMap<String, mpsc::UnboundedSender<String>>>,
}

impl LocalPushRegistry {
    /// Registers a socket; its writer task reads frames from the returned receiver.
    pub fn register(&self, connection: &ConnectionId) -> mpsc::UnboundedReceiver<String> {
        let (tx, rx) = mpsc::unbounded_channel();
        if let Ok(mut senders) = self.senders.lock() {
            senders.insert(connection.to_string(), tx);
        }
        rx
    }

    /// Forgets a socket that closed.
    pub fn unregister(&self, connection: &ConnectionId) {
        if let Ok(mut senders) = self.senders.lock() {
            senders.remove(connection.as_str());
        }
    }
}

#[async_trait]
impl PushChannel for LocalPushRegistry {
    async fn push(&self, connection: &ConnectionId, text: String) -> Result<(), PushError> {
        let sender = self
            .senders
            .lock()
            .ok()
            .and_then(|s| s.get(connection.as_str()).cloned())
            .ok_or_else(|| PushError::Gone(connection.to_string()))?;
        sender
            .send(text)
            .map_err(|_| PushError::Gone(connection.to_string()))
    }
}
