//! Nothing to call: this crate exists for the `ct2rs` features its manifest asks for (see its Cargo.toml).
#![no_std]
