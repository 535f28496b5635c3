//! Code routes: execute, submissions, quality summary (issue 3).
