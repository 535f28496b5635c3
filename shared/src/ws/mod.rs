//! The live interview over WebSocket, as a thin adapter over [`crate::app`]: the protocol, the three route
//! handlers, and the socket's own rendering (replies pushed as they stream, the interviewer's voice).

pub mod handlers;
mod outgoing;
pub mod protocol;
mod speaking;

pub use crate::domain::ConnectionId;
pub use crate::store::ConnectionRecord;
pub use outgoing::AUDIO_PART_BYTES;
pub use protocol::{ClientMessage, MAX_FRAME_BYTES, ServerMessage};

/// The binaries of the WebSocket API's three functions (each has a sample event in `events/`).
pub const WS_BINARIES: [&str; 3] = ["ws-connect", "ws-default", "ws-disconnect"];
