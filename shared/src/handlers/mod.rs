//! One module per route: request → domain → ports → response. Both entrances call these.

pub mod analytics;
pub mod code;
pub mod cv;
pub mod drafts;
pub mod interview_end;
pub mod performance_report;
pub mod sessions;
pub mod transcript;
