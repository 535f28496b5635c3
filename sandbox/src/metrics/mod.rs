//! Quality metrics from a real parse: RustPython's own parser (ruff's) for Python, oxc's for JavaScript. The
//! parsers give comment spans, function spans and the syntax tree; the line counts and the branch counts follow
//! from those, and the score from `prepai::tools::code_executor::QualityMetrics`.
//!
//! Parsing runs inside the worker process only: a pathological input that exhausts a parser's stack takes down
//! the worker, never the host.

mod javascript;
mod lines;
mod python;

pub(crate) use javascript::analyse as analyse_javascript;
pub(crate) use python::analyse as analyse_python;

use prepai::tools::code_executor::{QualityMetrics, TestError};

/// What the worker learns from parsing before running anything.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Analysis {
    Parsed {
        quality: QualityMetrics,
        /// Where the function the tests call is defined, if anywhere.
        binding: Binding,
    },
    Invalid(TestError),
}

/// Where the code defines the function the tests call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Binding {
    /// A top-level name (function, class, variable, import).
    TopLevel,
    /// A method of a top-level class, LeetCode style (`class Solution: def two_sum(self, …)`): the worker makes
    /// one instance with no arguments and calls the method on it.
    Method {
        class: String,
    },
    Missing,
}
