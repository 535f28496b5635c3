//! The live interview over WebSocket: protocol, connection records and the three route handlers.

pub mod connections;
pub mod handlers;
pub mod protocol;
mod speech;

pub use connections::{ConnectionId, ConnectionRecord, OpenUtterance};
pub use protocol::{ClientMessage, MAX_FRAME_BYTES, ServerMessage};

/// The binaries of the WebSocket API's three functions (each has a sample event in `events/`).
pub const WS_BINARIES: [&str; 3] = ["ws-connect", "ws-default", "ws-disconnect"];
