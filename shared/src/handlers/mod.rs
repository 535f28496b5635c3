//! One module per route: request → domain → ports → response. Both entrances call these.

pub mod sessions;
pub mod transcript;
