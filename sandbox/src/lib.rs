//! The code sandbox (issue 3).
