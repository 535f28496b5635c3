//! Repositories over the object-store port: sessions, connection records, code runs, reports and quota counters. The bucket
//! layout itself is [`ObjectKey`] and [`KeyPrefix`], beside the port.

mod connections;
mod drafts;
mod quotas;
mod reports;
mod sessions;
mod submissions;

pub use crate::ports::{KeyPrefix, ObjectKey};
pub use connections::{
    ConnectionRecord, ConnectionStore, ConnectionStoreError, MAX_UTTERANCES_KEPT, Utterance,
    UtteranceEnd, UtteranceStart, UtteranceState,
};
pub use drafts::{Draft, DraftStore};
pub use quotas::{QuotaStore, QuotaStoreError, Spend};
pub use reports::{ReportStore, StoredReport};
pub use sessions::{RetryPolicy, SessionStore, SessionStoreError};
pub use submissions::SubmissionStore;
