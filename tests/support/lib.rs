//! Test support: real protocol peers on loopback (an S3 server, AWS service endpoints, the speech services) and
//! the local server on a free port.

pub mod aws_peers;
pub mod candidate;
pub mod counting_store;
pub mod faults;
pub mod iam;
pub mod load;
pub mod local_server;
pub mod recording;
pub mod red_flag_frames;
pub mod s3_server;
pub mod socket;
pub mod speech_peers;
pub mod stats;
pub mod stores;
pub mod wer;
