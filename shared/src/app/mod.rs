//! The use cases, once each, typed in and out: sessions, the interview turn, code runs, ending and the report, the
//! resume, voice and analytics. The REST handlers (`handlers/`) and the socket handlers (`ws/`) are thin adapters
//! over these: they parse their event, call a use case and render its result. Neither reaches the other, and no
//! JSON passes between them and this layer.
//!
//! Each use case takes only the ports it needs, gathered in a small struct per area ([`sessions::Sessions`],
//! [`code::CodeRuns`], …) that borrows them from the context the entrance built.

pub mod agent_tools;
pub mod analytics;
pub mod code;
pub mod connection;
mod cpu;
pub mod cv;
pub mod drafts;
pub mod end;
mod error;
pub mod interview;
pub mod quotas;
pub mod sessions;
pub mod voice;

pub use error::AppError;
