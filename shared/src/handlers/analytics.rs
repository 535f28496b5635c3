//! Analytics routes (issue 5).
