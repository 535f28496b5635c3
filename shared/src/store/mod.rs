//! The bucket layout and the session repository built on the object-store port.

mod keys;
mod sessions;

pub use keys::{KeyPrefix, ObjectKey};
pub use sessions::{RetryPolicy, SessionStore, SessionStoreError};
