//! The live interview over WebSocket: protocol, connection records and the three route handlers.

pub mod connections;
pub mod handlers;
pub mod protocol;

pub use connections::{ConnectionId, ConnectionRecord};
pub use protocol::{ClientMessage, MAX_FRAME_BYTES, ServerMessage};
