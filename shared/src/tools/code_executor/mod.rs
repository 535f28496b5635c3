//! The code executor tool's input/output types and test-case semantics (issue 3).
