//! PrepAI's library: everything but the entrances' wiring.
//!
//! - [`domain`]: types that parse (session ids, interview types, identities), the session document and its state
//!   machine;
//! - [`ports`] (with the bucket layout) and [`adapters`]: the outside world behind small traits, with AWS and local
//!   implementations;
//! - [`store`]: repositories over the object store (sessions, connections, code runs, reports);
//! - [`app`]: the use cases, typed in and out, each taking only the ports it needs;
//! - [`handlers`] and [`routes`]: the REST adapters, one function per route; [`ws`]: the socket adapters;
//! - [`api`]: the framework-free request/response and the single error-to-HTTP mapping;
//! - [`context`]: the bag of ports an entrance hands in; [`entry`]: the Lambda entrances and their wiring;
//!   [`auth`]: token verification.

pub mod adapters;
pub mod analytics;
pub mod api;
pub mod app;
pub mod auth;
pub mod context;
pub mod domain;
pub mod entry;
pub mod extract;
pub mod handlers;
pub mod knowledge;
pub mod ports;
pub mod routes;
pub mod store;
pub mod tools;
pub mod voice;
pub mod ws;

pub use context::AppContext;
pub use entry::config::Config;
pub use routes::Route;
