//! Helpers the test binaries in `shared/tests/` share.

pub mod cv_score;
