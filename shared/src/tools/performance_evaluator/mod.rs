//! The performance evaluator tool: grounded, explainable interview scoring (issue 5).
