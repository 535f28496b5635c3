//! The three Bedrock Agent tools' pure logic (no Lambda, no AWS) and the action-group envelope they share.

pub mod action_group;
pub mod code_executor;
pub mod cv_analyzer;
pub mod performance_evaluator;

pub use action_group::{ToolError, ToolInvocation};

/// The binaries of the three tool Lambdas (each has a sample event in `events/`).
pub const TOOL_BINARIES: [&str; 3] = ["code-executor", "cv-analyzer", "performance-evaluator"];
