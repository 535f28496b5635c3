//! The CV analyzer tool: structured analysis of resume text (issue 4).
