//! `prepai-local`: the whole API on one machine, with the embedded adapters and the handlers the Lambdas run.

pub mod interview_socket;
pub mod secret;
pub mod server;
pub mod speech;
pub mod template_routes;
pub mod web_app;
pub mod whisper;

pub use server::{ServerState, router, serve};
