//! PrepAI's library: everything but the entrances' wiring.
//!
//! - [`domain`]: types that parse (session ids, interview types, identities, the session document);
//! - [`ports`] and [`adapters`]: the outside world behind small traits, with AWS and local implementations;
//! - [`store`]: the bucket layout and the session repository;
//! - [`handlers`] and [`routes`]: one function per route, reached through [`routes::Route`];
//! - [`api`]: the framework-free request/response and the single error-to-HTTP mapping;
//! - [`entry`]: the Lambda entrances; [`auth`]: token verification for the local server.

pub mod adapters;
pub mod analytics;
pub mod api;
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

pub use context::{AppContext, Config};
pub use routes::Route;
