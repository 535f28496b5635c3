//! Embedded adapters: what the local server and the tests run with, no AWS needed.

mod fs_store;

pub use fs_store::FsObjectStore;
